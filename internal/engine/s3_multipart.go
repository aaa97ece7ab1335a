package engine

import (
	"crypto/md5"
	"encoding/hex"
	"maps"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Amazon S3 multipart uploads ("Uploading and copying objects using
// multipart upload", Amazon S3 User Guide): an upload's parts are kept as
// records of their own until CompleteMultipartUpload joins them.

// MinPartSize is the smallest part but the last that
// CompleteMultipartUpload accepts (5 MiB).
const MinPartSize = 5 << 20

// NoSuchUpload is S3's answer for an upload id that is not in progress.
func NoSuchUpload(id string) error {
	return &apierr.Error{Code: "NoSuchUpload", HTTPStatus: 404,
		Message: "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
		Fields:  map[string]string{"UploadId": id}}
}

// storedBytes is what a state's objects and parts hold.
func storedBytes(st *model.State) int64 {
	var n int64
	for _, o := range st.S3Objects {
		n += int64(len(o.Body))
	}
	for _, p := range st.S3Parts {
		n += int64(len(p.Body))
	}
	for _, v := range st.S3Versions {
		n += int64(len(v.Body))
	}
	return n
}

// checkRoom refuses a write that would take the bytes S3 holds above
// limit (0: none), freed being what the write replaces.
func checkRoom(st *model.State, limit, adding, freed int64) error {
	if limit <= 0 {
		return nil
	}
	if storedBytes(st)-freed+adding > limit {
		return &apierr.Error{Code: "EntityTooLarge", HTTPStatus: 400,
			Message: "Your proposed upload exceeds the maximum allowed size",
			Fields: map[string]string{"ProposedSize": strconv.FormatInt(adding, 10),
				"MaxSizeAllowed": strconv.FormatInt(max(limit-storedBytes(st)+freed, 0), 10)}}
	}
	return nil
}

// CreateUpload starts a multipart upload of o (its body empty) and
// returns it with its id.
func (e *Engine) CreateUpload(o model.S3Object) (*model.S3Upload, error) {
	var out *model.S3Upload
	err := e.write(func(t *txn) error {
		if t.st.Buckets[o.Bucket] == nil {
			return NoSuchBucket(o.Bucket)
		}
		o.Metadata, o.Tags, o.Body = maps.Clone(o.Metadata), o.Tags.Clone(), nil
		u := &model.S3Upload{ID: t.e.ids.Hex(64), Object: o, Created: t.now}
		put(t, model.KindS3Upload, t.st.S3Uploads, u.ID, u)
		out = u
		return nil
	})
	return out, err
}

// upload returns the upload id of bucket/key (NoSuchBucket, NoSuchUpload).
func (t *txn) upload(bucket, key, id string) (*model.S3Upload, error) {
	if t.st.Buckets[bucket] == nil {
		return nil, NoSuchBucket(bucket)
	}
	u := t.st.S3Uploads[id]
	if u == nil || u.Object.Bucket != bucket || u.Object.Key != key {
		return nil, NoSuchUpload(id)
	}
	return u, nil
}

// PutPart stores part number of upload id (replacing one of the same
// number), within limit bytes held in all.
func (e *Engine) PutPart(bucket, key, id string, number int, body []byte, limit int64) (*model.S3Part, error) {
	sum := md5.Sum(body)
	p := &model.S3Part{Upload: id, Number: number, Body: body, ETag: `"` + hex.EncodeToString(sum[:]) + `"`}
	err := e.write(func(t *txn) error {
		if _, err := t.upload(bucket, key, id); err != nil {
			return err
		}
		k := model.S3PartKey(id, number)
		var freed int64
		if old := t.st.S3Parts[k]; old != nil {
			freed = int64(len(old.Body))
		}
		if err := checkRoom(t.st, limit, int64(len(body)), freed); err != nil {
			return err
		}
		p.Modified = t.now
		put(t, model.KindS3Part, t.st.S3Parts, k, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Parts returns an upload's parts in part order (st's).
func Parts(st *model.State, id string) []*model.S3Part {
	var out []*model.S3Part
	prefix := id + "/"
	for k, p := range st.S3Parts {
		if strings.HasPrefix(k, prefix) {
			out = append(out, p)
		}
	}
	sortParts(out)
	return out
}

func sortParts(ps []*model.S3Part) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].Number < ps[j-1].Number; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// PartRef is a part CompleteMultipartUpload names.
type PartRef struct {
	Number int
	ETag   string
}

// CompleteUpload joins the parts named (in ascending order, each
// uploaded with that ETag, each but the last at least 5 MiB) into the
// upload's object, whose ETag is the MD5 of the parts' MD5s and "-N", as
// S3 computes it; the upload and all its parts are then gone.
func (e *Engine) CompleteUpload(bucket, key, id string, refs []PartRef, limit int64) (*model.S3Object, error) {
	var out *model.S3Object
	err := e.write(func(t *txn) error {
		u, err := t.upload(bucket, key, id)
		if err != nil {
			return err
		}
		parts := make([]*model.S3Part, 0, len(refs))
		for i, r := range refs {
			if i > 0 && r.Number <= refs[i-1].Number {
				return &apierr.Error{Code: "InvalidPartOrder", HTTPStatus: 400,
					Message: "The list of parts was not in ascending order. Parts must be ordered by part number.",
					Fields:  map[string]string{"UploadId": id}}
			}
			p := t.st.S3Parts[model.S3PartKey(id, r.Number)]
			if p == nil || strings.Trim(r.ETag, `"`) != strings.Trim(p.ETag, `"`) {
				return &apierr.Error{Code: "InvalidPart", HTTPStatus: 400,
					Message: "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
					Fields:  map[string]string{"UploadId": id, "PartNumber": strconv.Itoa(r.Number), "ETag": r.ETag}}
			}
			parts = append(parts, p)
		}
		var size int64
		sums := make([]byte, 0, md5.Size*len(parts))
		for i, p := range parts {
			if i < len(parts)-1 && len(p.Body) < MinPartSize {
				return &apierr.Error{Code: "EntityTooSmall", HTTPStatus: 400,
					Message: "Your proposed upload is smaller than the minimum allowed size",
					Fields: map[string]string{"ProposedSize": strconv.Itoa(len(p.Body)), "MinSizeAllowed": strconv.Itoa(MinPartSize),
						"PartNumber": strconv.Itoa(p.Number), "ETag": p.ETag}}
			}
			size += int64(len(p.Body))
			b, _ := hex.DecodeString(strings.Trim(p.ETag, `"`))
			sums = append(sums, b...)
		}
		var freed int64
		for _, p := range Parts(t.st, id) {
			freed += int64(len(p.Body))
		}
		if old := t.st.S3Objects[model.S3ObjectKey(bucket, key)]; old != nil && t.st.Buckets[bucket].Versioning == "" {
			freed += int64(len(old.Body))
		}
		if err := checkRoom(t.st, limit, size, freed); err != nil {
			return err
		}
		body := make([]byte, 0, size)
		for _, p := range parts {
			body = append(body, p.Body...)
		}
		sum := md5.Sum(sums)
		o := u.Object
		o.Metadata, o.Tags = maps.Clone(o.Metadata), o.Tags.Clone()
		o.Body, o.ETag, o.Modified = body, `"`+hex.EncodeToString(sum[:])+"-"+strconv.Itoa(len(parts))+`"`, t.now
		t.dropUpload(id)
		t.versionWrite(t.st.Buckets[bucket], &o)
		put(t, model.KindS3Object, t.st.S3Objects, model.S3ObjectKey(bucket, key), &o)
		out = &o
		return nil
	})
	return out, err
}

func (t *txn) dropUpload(id string) {
	for _, p := range Parts(t.st, id) {
		del(t, model.KindS3Part, t.st.S3Parts, model.S3PartKey(id, p.Number))
	}
	del(t, model.KindS3Upload, t.st.S3Uploads, id)
}

// AbortUpload ends an upload and frees its parts.
func (e *Engine) AbortUpload(bucket, key, id string) error {
	return e.write(func(t *txn) error {
		if _, err := t.upload(bucket, key, id); err != nil {
			return err
		}
		t.dropUpload(id)
		return nil
	})
}
