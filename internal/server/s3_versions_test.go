package server_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Object versions of a versioned bucket through the SDK for Go v2: each
// write a new version (x-amz-version-id), GetObject of a version, a delete
// without a version makes a delete marker (the key reads NoSuchKey, the
// marker's GET is 405), deleting the marker brings the object back,
// ListObjectVersions lists versions and markers newest first, the object
// written before versioning is the "null" version, and a write while
// suspended replaces the null version.
func TestS3ObjectVersions(t *testing.T) {
	em := newEmulator(t, nil)
	c := s3Client(em.URL, "us-east-1", true)
	b, k := aws.String("versioned-bucket"), aws.String("k")
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b})
	must(t, err)
	put := func(body string) string {
		t.Helper()
		out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: k, Body: strings.NewReader(body)})
		must(t, err)
		return aws.ToString(out.VersionId)
	}
	get := func(version string) (string, error) {
		t.Helper()
		in := &s3.GetObjectInput{Bucket: b, Key: k}
		if version != "" {
			in.VersionId = aws.String(version)
		}
		out, err := c.GetObject(ctx, in)
		if err != nil {
			return "", err
		}
		body, err := io.ReadAll(out.Body)
		return string(body), err
	}
	if v := put("v0"); v != "" {
		t.Errorf("a bucket never versioned answered version %q", v)
	}
	_, err = c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: b, VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
	must(t, err)
	v1 := put("v1")
	v2 := put("v2")
	if v1 == "" || v2 == "" || v1 == v2 || v1 == "null" {
		t.Fatalf("versions %q, %q", v1, v2)
	}
	for version, want := range map[string]string{"": "v2", v1: "v1", "null": "v0"} {
		if got, err := get(version); err != nil || got != want {
			t.Errorf("GetObject version %q: %q %v, want %q", version, got, err, want)
		}
	}
	_, err = get("no-such-version")
	wantS3Error(t, "a missing version", err, "NoSuchVersion", 404, "The specified version does not exist.")

	del, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k})
	must(t, err)
	marker := aws.ToString(del.VersionId)
	if !aws.ToBool(del.DeleteMarker) || marker == "" {
		t.Fatalf("DeleteObject: marker %v, version %q", del.DeleteMarker, marker)
	}
	_, err = get("")
	wantS3Error(t, "a key behind a delete marker", err, "NoSuchKey", 404, "The specified key does not exist.")
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.Response.Header.Get("X-Amz-Delete-Marker") != "true" {
		t.Errorf("NoSuchKey without x-amz-delete-marker: %v", err)
	}
	_, err = get(marker)
	wantS3Error(t, "GET of a delete marker", err, "MethodNotAllowed", 405, "The specified method is not allowed against this resource.")

	vs, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: b})
	must(t, err)
	var got []string
	for _, v := range vs.Versions {
		got = append(got, aws.ToString(v.VersionId))
		if aws.ToBool(v.IsLatest) {
			t.Errorf("version %s is latest behind a delete marker", aws.ToString(v.VersionId))
		}
	}
	if strings.Join(got, ",") != v2+","+v1+",null" || len(vs.DeleteMarkers) != 1 || aws.ToString(vs.DeleteMarkers[0].VersionId) != marker ||
		!aws.ToBool(vs.DeleteMarkers[0].IsLatest) {
		t.Errorf("ListObjectVersions: versions %v (want %s,%s,null), markers %+v", got, v2, v1, vs.DeleteMarkers)
	}
	page, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: b, MaxKeys: aws.Int32(2)})
	must(t, err)
	if !aws.ToBool(page.IsTruncated) || aws.ToString(page.NextVersionIdMarker) != v2 {
		t.Errorf("first page: truncated %v, next %q", aws.ToBool(page.IsTruncated), aws.ToString(page.NextVersionIdMarker))
	}
	page, err = c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: b, KeyMarker: k, VersionIdMarker: page.NextVersionIdMarker})
	must(t, err)
	if len(page.Versions) != 2 || aws.ToString(page.Versions[0].VersionId) != v1 || aws.ToBool(page.IsTruncated) {
		t.Errorf("second page %+v", page.Versions)
	}

	// Deleting the marker brings v2 back; deleting v2 for good, v1.
	del, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k, VersionId: aws.String(marker)})
	must(t, err)
	if !aws.ToBool(del.DeleteMarker) || aws.ToString(del.VersionId) != marker {
		t.Errorf("DeleteObject of the marker: %v %q", del.DeleteMarker, aws.ToString(del.VersionId))
	}
	if got, err := get(""); err != nil || got != "v2" {
		t.Errorf("after the marker's delete: %q %v", got, err)
	}
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k, VersionId: aws.String(v2)})
	must(t, err)
	if got, err := get(""); err != nil || got != "v1" {
		t.Errorf("after v2's delete: %q %v", got, err)
	}

	// Suspended: a write is the null version, replacing the old one.
	_, err = c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: b, VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusSuspended}})
	must(t, err)
	if v := put("v3"); v != "null" {
		t.Errorf("a write while suspended: version %q, want null", v)
	}
	vs, err = c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: b})
	must(t, err)
	got = nil
	for _, v := range vs.Versions {
		got = append(got, aws.ToString(v.VersionId)+"="+map[bool]string{true: "latest", false: "old"}[aws.ToBool(v.IsLatest)])
	}
	if strings.Join(got, ",") != "null=latest,"+v1+"=old" {
		t.Errorf("after the suspended write: %v", got)
	}
	if got, err := get(v1); err != nil || got != "v1" {
		t.Errorf("v1 after the suspended write: %q %v", got, err)
	}
}
