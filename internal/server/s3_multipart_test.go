package server_test

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/ecsnet/ecsnet/internal/server"
)

// multipartETag is S3's ETag of a multipart object: the MD5 of the
// concatenated binary MD5s of its parts, "-" and the number of parts.
func multipartETag(parts ...[]byte) string {
	var sums []byte
	for _, p := range parts {
		s := md5.Sum(p)
		sums = append(sums, s[:]...)
	}
	s := md5.Sum(sums)
	return fmt.Sprintf(`"%s-%d"`, hex.EncodeToString(s[:]), len(parts))
}

func fill(n int, b byte) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = b + byte(i%251)
	}
	return out
}

// Multipart upload through the SDK for Go v2: an object larger than the
// server's request limit made of parts, S3's ETag, part rules
// (EntityTooSmall, InvalidPart, InvalidPartOrder), UploadPartCopy, the
// listings, abort.
func TestS3MultipartUpload(t *testing.T) {
	em := newEmulator(t, nil)
	c := s3Client(em.URL, "us-east-1", true)
	b := aws.String("mp-bucket")
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b})
	must(t, err)

	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String("big.bin"),
		ContentType: aws.String("application/x-test"), Metadata: map[string]string{"origin": "test"}})
	must(t, err)
	id := up.UploadId
	p1, p2, p3 := fill(5<<20, 1), fill(5<<20, 2), fill(1000, 3)
	etags := map[int32]string{}
	for n, body := range map[int32][]byte{1: p1, 2: p2, 3: p3} {
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: aws.String("big.bin"), UploadId: id, PartNumber: aws.Int32(n), Body: bytes.NewReader(body)})
		must(t, err)
		etags[n] = aws.ToString(out.ETag)
		if s := md5.Sum(body); etags[n] != `"`+hex.EncodeToString(s[:])+`"` {
			t.Errorf("part %d ETag %s", n, etags[n])
		}
	}
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: aws.String("big.bin"), UploadId: id, PartNumber: aws.Int32(10001), Body: bytes.NewReader(p3)})
	wantS3Error(t, "part 10001", err, "InvalidArgument", 400, "Part number must be an integer between 1 and 10000")
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: aws.String("other.bin"), UploadId: id, PartNumber: aws.Int32(1), Body: bytes.NewReader(p3)})
	wantS3Error(t, "the upload under another key", err, "NoSuchUpload", 404, "The specified upload does not exist.")

	lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: b, Key: aws.String("big.bin"), UploadId: id, MaxParts: aws.Int32(2)})
	must(t, err)
	if len(lp.Parts) != 2 || aws.ToInt32(lp.Parts[1].PartNumber) != 2 || aws.ToInt64(lp.Parts[0].Size) != 5<<20 || !aws.ToBool(lp.IsTruncated) ||
		aws.ToString(lp.NextPartNumberMarker) != "2" {
		t.Errorf("ListParts %+v", lp)
	}
	lu, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: b})
	must(t, err)
	if len(lu.Uploads) != 1 || aws.ToString(lu.Uploads[0].UploadId) != aws.ToString(id) || aws.ToString(lu.Uploads[0].Key) != "big.bin" {
		t.Errorf("ListMultipartUploads %+v", lu.Uploads)
	}

	complete := func(parts ...s3types.CompletedPart) error {
		_, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: aws.String("big.bin"), UploadId: id,
			MultipartUpload: &s3types.CompletedMultipartUpload{Parts: parts}})
		return err
	}
	part := func(n int32) s3types.CompletedPart {
		return s3types.CompletedPart{PartNumber: aws.Int32(n), ETag: aws.String(etags[n])}
	}
	wantS3Error(t, "parts out of order", complete(part(2), part(1), part(3)), "InvalidPartOrder", 400, "The list of parts was not in ascending order.")
	wantS3Error(t, "a wrong ETag", complete(part(1), s3types.CompletedPart{PartNumber: aws.Int32(2), ETag: aws.String(etags[1])}), "InvalidPart", 400,
		"One or more of the specified parts could not be found.")
	wantS3Error(t, "a part not uploaded", complete(part(1), s3types.CompletedPart{PartNumber: aws.Int32(4), ETag: aws.String(etags[3])}), "InvalidPart", 400,
		"One or more of the specified parts could not be found.")
	wantS3Error(t, "a small part not last", complete(part(1), part(3), part(2)), "InvalidPartOrder", 400, "ascending order")
	small, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String("small.bin")})
	must(t, err)
	var smallParts []s3types.CompletedPart
	for n := int32(1); n <= 2; n++ {
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: aws.String("small.bin"), UploadId: small.UploadId, PartNumber: aws.Int32(n), Body: bytes.NewReader(p3)})
		must(t, err)
		smallParts = append(smallParts, s3types.CompletedPart{PartNumber: aws.Int32(n), ETag: out.ETag})
	}
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: aws.String("small.bin"), UploadId: small.UploadId,
		MultipartUpload: &s3types.CompletedMultipartUpload{Parts: smallParts}})
	wantS3Error(t, "a 1000-byte part not last", err, "EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed size")
	_, err = c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: b, Key: aws.String("small.bin"), UploadId: small.UploadId})
	must(t, err)
	_, err = c.ListParts(ctx, &s3.ListPartsInput{Bucket: b, Key: aws.String("small.bin"), UploadId: small.UploadId})
	wantS3Error(t, "ListParts after abort", err, "NoSuchUpload", 404, "may have been aborted or completed")

	must(t, complete(part(1), part(2), part(3)))
	want := append(append(append([]byte{}, p1...), p2...), p3...)
	got, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("big.bin")})
	must(t, err)
	body, err := io.ReadAll(got.Body)
	must(t, err)
	if !bytes.Equal(body, want) {
		t.Errorf("the object is %d bytes, not the parts joined (%d)", len(body), len(want))
	}
	if aws.ToString(got.ETag) != multipartETag(p1, p2, p3) || aws.ToString(got.ContentType) != "application/x-test" || got.Metadata["origin"] != "test" {
		t.Errorf("object ETag %s (want %s), type %s, metadata %v", aws.ToString(got.ETag), multipartETag(p1, p2, p3), aws.ToString(got.ContentType), got.Metadata)
	}
	_, err = c.ListParts(ctx, &s3.ListPartsInput{Bucket: b, Key: aws.String("big.bin"), UploadId: id})
	wantS3Error(t, "ListParts after complete", err, "NoSuchUpload", 404, "The specified upload does not exist.")

	// UploadPartCopy of a range of the object just made.
	cp, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String("copy.bin")})
	must(t, err)
	pc, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: b, Key: aws.String("copy.bin"), UploadId: cp.UploadId, PartNumber: aws.Int32(1),
		CopySource: aws.String("mp-bucket/big.bin"), CopySourceRange: aws.String("bytes=10-19")})
	must(t, err)
	if s := md5.Sum(want[10:20]); aws.ToString(pc.CopyPartResult.ETag) != `"`+hex.EncodeToString(s[:])+`"` {
		t.Errorf("UploadPartCopy ETag %s", aws.ToString(pc.CopyPartResult.ETag))
	}
	_, err = c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: b, Key: aws.String("copy.bin"), UploadId: cp.UploadId, PartNumber: aws.Int32(2),
		CopySource: aws.String("mp-bucket/big.bin"), CopySourceRange: aws.String(fmt.Sprintf("bytes=0-%d", len(want)))})
	wantS3Error(t, "a range past the end", err, "InvalidRequest", 400, "The specified copy range is invalid for the source object size")
}

// S3's objects and parts are held within the server's bound
// (Options.MaxS3Bytes): a write beyond it is EntityTooLarge.
func TestS3StoredBytesBound(t *testing.T) {
	em := newEmulatorWith(t, server.Options{MaxS3Bytes: 6 << 20})
	c := s3Client(em.URL, "us-east-1", true)
	b := aws.String("bound-bucket")
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b})
	must(t, err)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("a"), Body: bytes.NewReader(fill(4<<20, 0))})
	must(t, err)
	// Replacing it frees its bytes.
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("a"), Body: bytes.NewReader(fill(5<<20, 0))})
	must(t, err)
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String("b")})
	must(t, err)
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: aws.String("b"), UploadId: up.UploadId, PartNumber: aws.Int32(1), Body: bytes.NewReader(fill(2<<20, 0))})
	wantS3Error(t, "a part beyond the bound", err, "EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed size")
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("a")})
	must(t, err)
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: aws.String("b"), UploadId: up.UploadId, PartNumber: aws.Int32(1), Body: bytes.NewReader(fill(2<<20, 0))})
	must(t, err)
}

// A bucket of another region than the request's: 301 PermanentRedirect
// with x-amz-bucket-region, as S3's regional endpoints answer; the SDK for
// Go v2 returns it as an error. GetBucketLocation is answered anywhere.
func TestS3RegionRedirect(t *testing.T) {
	em := newEmulator(t, nil)
	eu := s3Client(em.URL, "eu-west-1", true)
	b := aws.String("eu-only-bucket")
	_, err := eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b, CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: "eu-west-1"}})
	must(t, err)
	_, err = eu.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("k"), Body: bytes.NewReader([]byte("x"))})
	must(t, err)
	for _, pathStyle := range []bool{true, false} {
		us := s3Client(em.URL, "us-east-1", pathStyle)
		_, err = us.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("k")})
		wantS3Error(t, "GetObject through us-east-1", err, "PermanentRedirect", 301, "must be addressed using the specified endpoint")
		_, err = us.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: b})
		wantS3Error(t, "ListObjectsV2 through us-east-1", err, "PermanentRedirect", 301, "must be addressed using the specified endpoint")
		_, err = us.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("k")})
		var re *awshttp.ResponseError
		if !errors.As(err, &re) || re.HTTPStatusCode() != 301 || re.Response.Header.Get("X-Amz-Bucket-Region") != "eu-west-1" {
			t.Errorf("HeadObject through us-east-1: %v", err)
		}
		loc, err := us.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: b})
		must(t, err)
		if loc.LocationConstraint != "eu-west-1" {
			t.Errorf("GetBucketLocation %q", loc.LocationConstraint)
		}
	}
	// A bucket that does not exist is not redirected.
	_, err = s3Client(em.URL, "us-east-1", true).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("nope-bucket"), Key: aws.String("k")})
	wantS3Error(t, "a missing bucket", err, "NoSuchBucket", 404, "The specified bucket does not exist")
}
