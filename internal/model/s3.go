package model

import (
	"fmt"
	"time"
)

// Bucket is an Amazon S3 bucket. Bucket names are global to the
// partition, so buckets live in the state of the partition's global
// region (with IAM); Region is where the bucket was created.
type Bucket struct {
	Name    string
	Region  string
	Created time.Time
	Tags    Tags
	// Policy is the bucket policy document, "" when none.
	Policy string
	// Versioning is "", "Enabled" or "Suspended"; MFADelete "",
	// "Enabled" or "Disabled".
	Versioning, MFADelete string
	// ObjectLock is set at creation (x-amz-bucket-object-lock-enabled)
	// and turns versioning on.
	ObjectLock bool
	// ACL is the bucket's canned ACL ("private" when none was given).
	ACL string
	// Configs are the bucket's sub-resource configurations that S3 keeps
	// as the documents the client sent (lifecycle, cors, website,
	// logging, encryption, publicAccessBlock, ownershipControls,
	// accelerate, requestPayment, objectLock, replication, notification),
	// by sub-resource name; a missing one is unset.
	Configs map[string]string
}

// S3Object is an object of a bucket, keyed by S3ObjectKey.
type S3Object struct {
	Bucket, Key string
	Body        []byte
	// ETag is the quoted hex MD5 of the body (of a single-part upload).
	ETag     string
	Modified time.Time
	// ContentType and the other representation headers, as sent.
	ContentType, ContentEncoding, ContentDisposition, ContentLanguage, CacheControl string
	// Metadata are the x-amz-meta-* headers, by lower-case name.
	Metadata map[string]string
	Tags     Tags
	// VersionID is the version of an object of a versioned bucket ("null"
	// for one written while versioning was suspended, "" in a bucket
	// never versioned); Seq orders a key's versions (newest highest);
	// DeleteMarker marks a delete marker (no body).
	VersionID    string
	Seq          uint64
	DeleteMarker bool
	// ChecksumAlgorithm is the additional checksum the upload sent
	// (crc32, crc32c, crc64nvme, sha1, sha256; "" for none), Checksum its
	// base64 value.
	ChecksumAlgorithm, Checksum string
}

// S3VersionKey keys a version in State.S3Versions.
func S3VersionKey(bucket, key, version string) string { return bucket + "/" + key + "\x00" + version }

// S3ObjectKey keys an object in State.S3Objects.
func S3ObjectKey(bucket, key string) string { return bucket + "/" + key }

// S3Upload is a multipart upload in progress (CreateMultipartUpload):
// the object it will make, less its body, which its parts hold.
type S3Upload struct {
	ID      string
	Object  S3Object
	Created time.Time
}

// S3Part is one uploaded part of a multipart upload, keyed by S3PartKey.
type S3Part struct {
	Upload   string
	Number   int
	Body     []byte
	ETag     string
	Modified time.Time
}

// S3PartKey keys a part in State.S3Parts: the upload id and the part
// number, zero-padded so that keys sort in part order.
func S3PartKey(upload string, number int) string {
	return upload + "/" + fmt.Sprintf("%05d", number)
}
