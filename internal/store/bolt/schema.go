package bolt

// The layout of the file is an internal implementation detail, subject to
// change through a schema migration:
//
//	meta                  bucket
//	  version             schema version, in ASCII decimal ("1")
//	records               bucket
//	  <kind>              one bucket per kind, present only while it has records
//	    <id> = <data>     raw bytes of the id → the record's data
//
// Kinds live in a bucket of their own, never beside meta, so no kind name
// can collide with the file's own buckets. A file without meta is accepted
// only if it is empty (a new file), and then gets stamped with the current
// version.
var (
	metaBucket    = []byte("meta")
	versionKey    = []byte("version")
	recordsBucket = []byte("records")
)
