package engine

import (
	"maps"
	"net/netip"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Amazon S3: buckets (in the global region's state: names are global),
// their sub-resource configurations, and objects.

// NoSuchBucket is S3's answer for a bucket that does not exist.
func NoSuchBucket(name string) error {
	return &apierr.Error{Code: "NoSuchBucket", Message: "The specified bucket does not exist", HTTPStatus: 404,
		Fields: map[string]string{"BucketName": name}}
}

// NoSuchKey is S3's answer for an object that does not exist.
func NoSuchKey(key string) error {
	return &apierr.Error{Code: "NoSuchKey", Message: "The specified key does not exist.", HTTPStatus: 404,
		Fields: map[string]string{"Key": key}}
}

// ValidBucketName reports whether name follows S3's general purpose bucket
// naming rules ("Bucket naming rules", Amazon S3 User Guide): 3 to 63
// characters of lower-case letters, digits, dots and hyphens, beginning
// and ending with a letter or digit, no two adjacent dots, not an IPv4
// address, and none of the reserved prefixes (xn--, sthree-, amzn-s3-demo-)
// and suffixes (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3).
func ValidBucketName(name string) bool {
	if len(name) < 3 || len(name) > 63 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	alnum := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
	if !alnum(name[0]) || !alnum(name[len(name)-1]) || strings.Contains(name, "..") {
		return false
	}
	if a, err := netip.ParseAddr(name); err == nil && a.Is4() {
		return false
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return false
		}
	}
	return true
}

// CreateBucket creates a bucket in region, or reports why S3 refuses it:
// InvalidBucketName, BucketAlreadyOwnedByYou (409) outside us-east-1; in
// us-east-1 S3 answers 200 for a bucket the caller already owns there
// (legacy behaviour, "CreateBucket", Amazon S3 API Reference), which
// existed reports.
func (e *Engine) CreateBucket(b model.Bucket) (existed bool, err error) {
	if !ValidBucketName(b.Name) {
		return false, &apierr.Error{Code: "InvalidBucketName", Message: "The specified bucket is not valid.", HTTPStatus: 400,
			Fields: map[string]string{"BucketName": b.Name}}
	}
	err = e.write(func(t *txn) error {
		if old := t.st.Buckets[b.Name]; old != nil {
			if old.Region == "us-east-1" && b.Region == "us-east-1" {
				existed = true
				return nil
			}
			return &apierr.Error{Code: "BucketAlreadyOwnedByYou", HTTPStatus: 409,
				Message: "Your previous request to create the named bucket succeeded and you already own it.",
				Fields:  map[string]string{"BucketName": b.Name}}
		}
		b.Created = t.now
		b.Tags = b.Tags.Clone()
		b.Configs = maps.Clone(b.Configs)
		if b.ObjectLock {
			b.Versioning = "Enabled"
		}
		put(t, model.KindBucket, t.st.Buckets, b.Name, &b)
		return nil
	})
	return existed, err
}

// ChangeBucket applies fn to a copy of the bucket name (its tags and
// configurations copied too) and stores it.
func (e *Engine) ChangeBucket(name string, fn func(b *model.Bucket) error) (*model.Bucket, error) {
	var out *model.Bucket
	err := e.write(func(t *txn) error {
		old := t.st.Buckets[name]
		if old == nil {
			return NoSuchBucket(name)
		}
		b := *old
		b.Tags = old.Tags.Clone()
		b.Configs = maps.Clone(old.Configs)
		if b.Configs == nil {
			b.Configs = map[string]string{}
		}
		if err := fn(&b); err != nil {
			return err
		}
		put(t, model.KindBucket, t.st.Buckets, name, &b)
		out = &b
		return nil
	})
	return out, err
}

// DeleteBucket deletes an empty bucket (BucketNotEmpty, 409, otherwise).
func (e *Engine) DeleteBucket(name string) error {
	return e.write(func(t *txn) error {
		if t.st.Buckets[name] == nil {
			return NoSuchBucket(name)
		}
		prefix := model.S3ObjectKey(name, "")
		msg := "The bucket you tried to delete is not empty"
		if t.st.Buckets[name].Versioning != "" {
			// A versioned bucket's versions and delete markers count.
			msg += ". You must delete all versions in the bucket."
		}
		notEmpty := &apierr.Error{Code: "BucketNotEmpty", Message: msg, HTTPStatus: 409, Fields: map[string]string{"BucketName": name}}
		for k := range t.st.S3Versions {
			if strings.HasPrefix(k, prefix) {
				return notEmpty
			}
		}
		for k := range t.st.S3Objects {
			if strings.HasPrefix(k, prefix) {
				return notEmpty
			}
		}
		// Uploads in progress go with the bucket [choice].
		for id, u := range t.st.S3Uploads {
			if u.Object.Bucket == name {
				t.dropUpload(id)
			}
		}
		del(t, model.KindBucket, t.st.Buckets, name)
		return nil
	})
}

// PutObject stores an object (replacing one of the same key) in an
// existing bucket, within limit bytes held by all objects and parts (0:
// no bound); the caller sets its ETag.
func (e *Engine) PutObject(o model.S3Object, limit int64) (*model.S3Object, error) {
	err := e.write(func(t *txn) error {
		b := t.st.Buckets[o.Bucket]
		if b == nil {
			return NoSuchBucket(o.Bucket)
		}
		var freed int64
		if old := t.st.S3Objects[model.S3ObjectKey(o.Bucket, o.Key)]; old != nil && b.Versioning == "" {
			freed = int64(len(old.Body))
		}
		if err := checkRoom(t.st, limit, int64(len(o.Body)), freed); err != nil {
			return err
		}
		t.versionWrite(b, &o)
		o.Modified = t.now
		o.Metadata = maps.Clone(o.Metadata)
		o.Tags = o.Tags.Clone()
		put(t, model.KindS3Object, t.st.S3Objects, model.S3ObjectKey(o.Bucket, o.Key), &o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// DeleteObjects deletes keys of bucket; a key that does not exist is
// deleted all the same, as S3 answers (a delete of an unversioned bucket's
// missing key succeeds).
func (e *Engine) DeleteObjects(bucket string, keys ...string) error {
	return e.write(func(t *txn) error {
		if t.st.Buckets[bucket] == nil {
			return NoSuchBucket(bucket)
		}
		for _, k := range keys {
			del(t, model.KindS3Object, t.st.S3Objects, model.S3ObjectKey(bucket, k))
		}
		return nil
	})
}

// ChangeObject applies fn to a copy of an object (its tags and metadata
// copied too) and stores it.
func (e *Engine) ChangeObject(bucket, key string, fn func(o *model.S3Object) error) error {
	return e.write(func(t *txn) error {
		if t.st.Buckets[bucket] == nil {
			return NoSuchBucket(bucket)
		}
		old := t.st.S3Objects[model.S3ObjectKey(bucket, key)]
		if old == nil {
			return NoSuchKey(key)
		}
		o := *old
		o.Tags, o.Metadata = old.Tags.Clone(), maps.Clone(old.Metadata)
		if err := fn(&o); err != nil {
			return err
		}
		put(t, model.KindS3Object, t.st.S3Objects, model.S3ObjectKey(bucket, key), &o)
		return nil
	})
}

// versionWrite gives an object written to bucket b its version and
// sequence, keeping the current one as a noncurrent version when b is
// versioned.
func (t *txn) versionWrite(b *model.Bucket, o *model.S3Object) {
	o.DeleteMarker = false
	o.Seq = nextSeq(t.st, b.Name, o.Key)
	o.VersionID = t.newVersionID(b)
	if o.VersionID != "" {
		t.retire(b.Name, o.Key, o.VersionID)
	}
}
