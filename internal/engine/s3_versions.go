package engine

import (
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Object versions of versioned buckets ("Retaining multiple versions of
// objects with S3 Versioning", Amazon S3 User Guide): the current version
// of a key is in State.S3Objects, the others and the delete markers in
// State.S3Versions. A bucket never versioned keeps one version, "".

// versionPrefix is the S3Versions key prefix of a key's versions.
func versionPrefix(bucket, key string) string { return model.S3VersionKey(bucket, key, "") }

// keyVersions returns a key's noncurrent versions and delete markers,
// newest first.
func keyVersions(st *model.State, bucket, key string) []*model.S3Object {
	var out []*model.S3Object
	p := versionPrefix(bucket, key)
	for k, v := range st.S3Versions {
		if strings.HasPrefix(k, p) {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b *model.S3Object) int { return cmpSeq(b.Seq, a.Seq) })
	return out
}

func cmpSeq(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// nextSeq is the sequence number of a key's next version.
func nextSeq(st *model.State, bucket, key string) uint64 {
	var n uint64
	if cur := st.S3Objects[model.S3ObjectKey(bucket, key)]; cur != nil {
		n = cur.Seq
	}
	for _, v := range keyVersions(st, bucket, key) {
		n = max(n, v.Seq)
	}
	return n + 1
}

// retire makes room for a new latest version of key in a versioned
// bucket (id is its version: "null" while versioning is suspended): the
// current object is kept as a noncurrent version, unless it is the null
// version, which the new one replaces, as is a noncurrent null version.
func (t *txn) retire(bucket, key, id string) {
	k := model.S3ObjectKey(bucket, key)
	if cur := t.st.S3Objects[k]; cur != nil {
		vid := cur.VersionID
		if vid == "" {
			vid = "null"
		}
		if !(id == "null" && vid == "null") {
			cp := *cur
			cp.VersionID = vid
			put(t, model.KindS3Version, t.st.S3Versions, model.S3VersionKey(bucket, key, vid), &cp)
		}
		del(t, model.KindS3Object, t.st.S3Objects, k)
	}
	if id == "null" {
		del(t, model.KindS3Version, t.st.S3Versions, model.S3VersionKey(bucket, key, "null"))
	}
}

// newVersionID is the version a write to a bucket makes: "" when the
// bucket was never versioned, "null" while suspended, else a new id.
func (t *txn) newVersionID(b *model.Bucket) string {
	switch b.Versioning {
	case "":
		return ""
	case "Enabled":
		return t.e.ids.Hex(32)
	}
	return "null"
}

// promote makes a key's newest noncurrent version current when it is
// an object (a delete marker stays: the key reads as deleted).
func (t *txn) promote(bucket, key string) {
	vs := keyVersions(t.st, bucket, key)
	if len(vs) == 0 || vs[0].DeleteMarker {
		return
	}
	v := vs[0]
	del(t, model.KindS3Version, t.st.S3Versions, model.S3VersionKey(bucket, key, v.VersionID))
	put(t, model.KindS3Object, t.st.S3Objects, model.S3ObjectKey(bucket, key), v)
}

// ObjectDelete is one key (and version) DeleteObject or DeleteObjects
// names, and what deleting it did.
type ObjectDelete struct {
	Key, VersionID string
	// DeleteMarker: a delete marker was made or deleted; MarkerVersion is
	// the version of a marker made.
	DeleteMarker  bool
	MarkerVersion string
}

// DeleteKeys deletes objects as S3 does: in a bucket never versioned the
// key goes (a missing one all the same); in a versioned bucket a delete
// without a version makes a delete marker the latest version (the current
// object kept as a noncurrent version), and one with a version removes
// that version for good (the next newest becoming current).
func (e *Engine) DeleteKeys(bucket string, ds []ObjectDelete) ([]ObjectDelete, error) {
	out := slices.Clone(ds)
	err := e.write(func(t *txn) error {
		b := t.st.Buckets[bucket]
		if b == nil {
			return NoSuchBucket(bucket)
		}
		for i := range out {
			t.deleteKey(b, &out[i])
		}
		return nil
	})
	return out, err
}

func (t *txn) deleteKey(b *model.Bucket, d *ObjectDelete) {
	k := model.S3ObjectKey(b.Name, d.Key)
	cur := t.st.S3Objects[k]
	if d.VersionID == "" {
		if b.Versioning == "" {
			del(t, model.KindS3Object, t.st.S3Objects, k)
			return
		}
		id := t.newVersionID(b)
		seq := nextSeq(t.st, b.Name, d.Key)
		t.retire(b.Name, d.Key, id)
		m := &model.S3Object{Bucket: b.Name, Key: d.Key, VersionID: id, Seq: seq, DeleteMarker: true, Modified: t.now}
		put(t, model.KindS3Version, t.st.S3Versions, model.S3VersionKey(b.Name, d.Key, id), m)
		d.DeleteMarker, d.MarkerVersion = true, id
		return
	}
	if cur != nil && (cur.VersionID == d.VersionID || d.VersionID == "null" && cur.VersionID == "") {
		del(t, model.KindS3Object, t.st.S3Objects, k)
		t.promote(b.Name, d.Key)
		return
	}
	vk := model.S3VersionKey(b.Name, d.Key, d.VersionID)
	if v := t.st.S3Versions[vk]; v != nil {
		del(t, model.KindS3Version, t.st.S3Versions, vk)
		d.DeleteMarker = v.DeleteMarker
		if cur == nil {
			t.promote(b.Name, d.Key)
		}
	}
}

// NoSuchVersion is S3's answer for a version that does not exist.
func NoSuchVersion(key, version string) error {
	return &apierr.Error{Code: "NoSuchVersion", Message: "The specified version does not exist.", HTTPStatus: 404,
		Fields: map[string]string{"Key": key, "VersionId": version}}
}

// ObjectVersion returns version of key: the current object or a
// noncurrent version or delete marker ("null" names a version written
// unversioned or while suspended); nil when there is none.
func ObjectVersion(st *model.State, bucket, key, version string) *model.S3Object {
	if cur := st.S3Objects[model.S3ObjectKey(bucket, key)]; cur != nil && (cur.VersionID == version || version == "null" && cur.VersionID == "") {
		return cur
	}
	return st.S3Versions[model.S3VersionKey(bucket, key, version)]
}

// LatestIsDeleteMarker reports whether a key's latest version is a delete
// marker (the key reads as deleted), and its version.
func LatestIsDeleteMarker(st *model.State, bucket, key string) (string, bool) {
	if st.S3Objects[model.S3ObjectKey(bucket, key)] != nil {
		return "", false
	}
	vs := keyVersions(st, bucket, key)
	if len(vs) > 0 && vs[0].DeleteMarker {
		return vs[0].VersionID, true
	}
	return "", false
}

// BucketVersions returns the versions of a bucket's keys under prefix:
// by key, newest first, each with whether it is the latest.
func BucketVersions(st *model.State, bucket, prefix string) (vs []*model.S3Object, latest []bool) {
	p := model.S3ObjectKey(bucket, prefix)
	for k, o := range st.S3Objects {
		if strings.HasPrefix(k, p) {
			vs = append(vs, o)
		}
	}
	for k, o := range st.S3Versions {
		if strings.HasPrefix(k, p) {
			vs = append(vs, o)
		}
	}
	slices.SortFunc(vs, func(a, b *model.S3Object) int {
		if c := strings.Compare(a.Key, b.Key); c != 0 {
			return c
		}
		return cmpSeq(b.Seq, a.Seq)
	})
	latest = make([]bool, len(vs))
	for i := range vs {
		latest[i] = i == 0 || vs[i-1].Key != vs[i].Key
	}
	return vs, latest
}
