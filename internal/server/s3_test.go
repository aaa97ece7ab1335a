package server_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/internal/sdkhttp"
	"github.com/ecsnet/ecsnet/internal/server"
	"github.com/ecsnet/ecsnet/internal/store/mem"
)

func s3Client(url, region string, pathStyle bool) *s3.Client {
	cfg := sdkConfig()
	cfg.Region = region
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.BaseEndpoint, o.UsePathStyle = aws.String(url), pathStyle })
}

// wantS3Error fails unless err is the S3 error code with the HTTP status.
func wantS3Error(t *testing.T, what string, err error, code string, status int, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code || !strings.Contains(ae.ErrorMessage(), msg) {
		t.Errorf("%s: %v, want %s (%q)", what, err, code, msg)
		return
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() != status {
		t.Errorf("%s: HTTP %d, want %d", what, re.HTTPStatusCode(), status)
	}
}

func TestS3BucketsAsAWS(t *testing.T) {
	em := newEmulator(t, nil)
	c := s3Client(em.URL, "us-east-1", true)
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("logs-bucket")})
	must(t, err)
	// us-east-1 answers 200 to your own bucket's second creation.
	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("logs-bucket")})
	must(t, err)
	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("Bad_Name")})
	wantS3Error(t, "bad name", err, "InvalidBucketName", 400, "The specified bucket is not valid.")
	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("other-bucket"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: "eu-west-1"}})
	wantS3Error(t, "eu-west-1 constraint at us-east-1", err, "IllegalLocationConstraintException", 400, "The eu-west-1 location constraint is incompatible")
	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("other-bucket"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: "us-east-1"}})
	wantS3Error(t, "us-east-1 constraint", err, "InvalidLocationConstraint", 400, "The specified location-constraint is not valid")

	eu := s3Client(em.URL, "eu-west-1", true)
	_, err = eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("eu-bucket")})
	wantS3Error(t, "no constraint at eu-west-1", err, "IllegalLocationConstraintException", 400, "The unspecified location constraint")
	_, err = eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("eu-bucket"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: "eu-west-1"}})
	must(t, err)
	_, err = eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("eu-bucket"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: "eu-west-1"}})
	wantS3Error(t, "again at eu-west-1", err, "BucketAlreadyOwnedByYou", 409, "you already own it")

	loc, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("eu-bucket")})
	must(t, err)
	if loc.LocationConstraint != "eu-west-1" {
		t.Errorf("location %q", loc.LocationConstraint)
	}
	loc, err = c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("logs-bucket")})
	must(t, err)
	if loc.LocationConstraint != "" {
		t.Errorf("us-east-1 location %q, want empty", loc.LocationConstraint)
	}
	hb, err := eu.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("eu-bucket")})
	must(t, err)
	if aws.ToString(hb.BucketRegion) != "eu-west-1" {
		t.Errorf("HeadBucket region %q", aws.ToString(hb.BucketRegion))
	}
	// Through another region's endpoint S3 answers 301 with the bucket's
	// region (round twenty-four: TestS3RegionRedirect).
	_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("eu-bucket")})
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != 301 || re.Response.Header.Get("X-Amz-Bucket-Region") != "eu-west-1" {
		t.Errorf("HeadBucket of eu-west-1's bucket through us-east-1: %v", err)
	}
	_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("nope-bucket")})
	var nf *s3types.NotFound
	if !errors.As(err, &nf) {
		t.Errorf("HeadBucket of a missing bucket: %v", err)
	}
	lb, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
	must(t, err)
	if len(lb.Buckets) != 2 || aws.ToString(lb.Buckets[0].Name) != "eu-bucket" || aws.ToString(lb.Buckets[1].BucketRegion) != "us-east-1" {
		t.Errorf("ListBuckets: %+v", lb.Buckets)
	}

	b := aws.String("logs-bucket")
	// New buckets: SSE-S3, Block Public Access on, ACLs disabled.
	enc, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b})
	must(t, err)
	if r := enc.ServerSideEncryptionConfiguration.Rules; len(r) != 1 || r[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != s3types.ServerSideEncryptionAes256 {
		t.Errorf("default encryption %+v", r)
	}
	pab, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: b})
	must(t, err)
	if !aws.ToBool(pab.PublicAccessBlockConfiguration.BlockPublicPolicy) {
		t.Errorf("public access block %+v", pab.PublicAccessBlockConfiguration)
	}
	own, err := c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: b})
	must(t, err)
	if own.OwnershipControls.Rules[0].ObjectOwnership != s3types.ObjectOwnershipBucketOwnerEnforced {
		t.Errorf("ownership %+v", own.OwnershipControls.Rules)
	}
	_, err = c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: b, ACL: s3types.BucketCannedACLPublicRead})
	wantS3Error(t, "ACL with BucketOwnerEnforced", err, "AccessControlListNotSupported", 400, "The bucket does not allow ACLs")
	_, err = c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: b, OwnershipControls: &s3types.OwnershipControls{
		Rules: []s3types.OwnershipControlsRule{{ObjectOwnership: s3types.ObjectOwnershipBucketOwnerPreferred}}}})
	must(t, err)
	_, err = c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: b, ACL: s3types.BucketCannedACL("log-delivery-write")})
	must(t, err)
	acl, err := c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: b})
	must(t, err)
	if len(acl.Grants) != 3 || acl.Grants[1].Grantee.Type != s3types.TypeGroup || acl.Grants[0].Permission != s3types.PermissionFullControl {
		t.Errorf("log-delivery-write grants %+v", acl.Grants)
	}

	// Unset configurations answer AWS's errors.
	_, err = c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	wantS3Error(t, "no policy", err, "NoSuchBucketPolicy", 404, "The bucket policy does not exist")
	_, err = c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
	wantS3Error(t, "no tags", err, "NoSuchTagSet", 404, "The TagSet does not exist")
	_, err = c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
	wantS3Error(t, "no lifecycle", err, "NoSuchLifecycleConfiguration", 404, "The lifecycle configuration does not exist")
	_, err = c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})
	wantS3Error(t, "no cors", err, "NoSuchCORSConfiguration", 404, "The CORS configuration does not exist")
	_, err = c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: b})
	wantS3Error(t, "no website", err, "NoSuchWebsiteConfiguration", 404, "does not have a website configuration")
	_, err = c.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: b})
	wantS3Error(t, "no object lock", err, "ObjectLockConfigurationNotFoundError", 404, "Object Lock configuration does not exist")
	_, err = c.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: b})
	wantS3Error(t, "no replication", err, "ReplicationConfigurationNotFoundError", 404, "The replication configuration was not found")
	ver, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
	must(t, err)
	if ver.Status != "" {
		t.Errorf("versioning of a new bucket %q", ver.Status)
	}
	_, err = c.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: b})
	must(t, err)
	rp, err := c.GetBucketRequestPayment(ctx, &s3.GetBucketRequestPaymentInput{Bucket: b})
	must(t, err)
	if rp.Payer != s3types.PayerBucketOwner {
		t.Errorf("payer %q", rp.Payer)
	}

	// Written configurations read back.
	_, err = c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: b, Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String("team"), Value: aws.String("net")}}}})
	must(t, err)
	tg, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
	must(t, err)
	if len(tg.TagSet) != 1 || aws.ToString(tg.TagSet[0].Value) != "net" {
		t.Errorf("tags %+v", tg.TagSet)
	}
	_, err = c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String("{not json")})
	wantS3Error(t, "bad policy", err, "MalformedPolicy", 400, "Policies must be valid JSON")
	_, err = c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::logs-bucket/*"}]}`)})
	wantS3Error(t, "public policy with BlockPublicPolicy", err, "AccessDenied", 403, "BlockPublicPolicy")
	_, err = c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::127311923021:root"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::other/*"}]}`)})
	wantS3Error(t, "other bucket's resource", err, "MalformedPolicy", 400, "Policy has invalid resource")
	pol := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::127311923021:root"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::logs-bucket/alb/AWSLogs/*"}]}`
	_, err = c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(pol)})
	must(t, err)
	gp, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	must(t, err)
	if aws.ToString(gp.Policy) != pol {
		t.Errorf("policy %q", aws.ToString(gp.Policy))
	}
	_, err = c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: b, VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
	must(t, err)
	ver, err = c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
	must(t, err)
	if ver.Status != s3types.BucketVersioningStatusEnabled {
		t.Errorf("versioning %q", ver.Status)
	}
	_, err = c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: b, LifecycleConfiguration: &s3types.BucketLifecycleConfiguration{
		Rules: []s3types.LifecycleRule{{ID: aws.String("expire"), Status: s3types.ExpirationStatusEnabled, Filter: &s3types.LifecycleRuleFilter{Prefix: aws.String("alb/")},
			Expiration: &s3types.LifecycleExpiration{Days: aws.Int32(30)}}}}})
	must(t, err)
	lc, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
	must(t, err)
	if len(lc.Rules) != 1 || aws.ToInt32(lc.Rules[0].Expiration.Days) != 30 || aws.ToString(lc.Rules[0].Filter.Prefix) != "alb/" {
		t.Errorf("lifecycle %+v", lc.Rules)
	}
	_, err = c.DeleteBucketLifecycle(ctx, &s3.DeleteBucketLifecycleInput{Bucket: b})
	must(t, err)
	_, err = c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
	wantS3Error(t, "lifecycle deleted", err, "NoSuchLifecycleConfiguration", 404, "")

	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("k"), Body: strings.NewReader("x")})
	must(t, err)
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: b})
	wantS3Error(t, "delete a bucket with objects", err, "BucketNotEmpty", 409, "The bucket you tried to delete is not empty")
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("k")})
	must(t, err)
	// The bucket is versioned (above): the object is kept as a noncurrent
	// version behind a delete marker, and both must go (round
	// twenty-four; TestS3ObjectVersions).
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: b})
	wantS3Error(t, "delete a bucket with versions", err, "BucketNotEmpty", 409, "You must delete all versions in the bucket.")
	vs, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: b})
	must(t, err)
	var ids []s3types.ObjectIdentifier
	for _, v := range vs.Versions {
		ids = append(ids, s3types.ObjectIdentifier{Key: v.Key, VersionId: v.VersionId})
	}
	for _, m := range vs.DeleteMarkers {
		ids = append(ids, s3types.ObjectIdentifier{Key: m.Key, VersionId: m.VersionId})
	}
	if len(ids) != 2 {
		t.Errorf("versions %+v, markers %+v; want the object and its delete marker", vs.Versions, vs.DeleteMarkers)
	}
	_, err = c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: b, Delete: &s3types.Delete{Objects: ids}})
	must(t, err)
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: b})
	must(t, err)
	_, err = c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
	wantS3Error(t, "deleted bucket", err, "NoSuchBucket", 404, "The specified bucket does not exist")
}

func TestS3Objects(t *testing.T) {
	for _, pathStyle := range []bool{true, false} {
		em := newEmulatorWith(t, server.Options{Store: mem.New(), MaxBodyBytes: 1 << 20})
		url := em.URL
		if !pathStyle {
			// Virtual-hosted: bucket.localhost:PORT.
			url = strings.Replace(em.URL, "127.0.0.1", "localhost", 1)
		}
		c := s3Client(url, "us-east-1", pathStyle)
		if !pathStyle {
			// bucket.localhost does not resolve here: dial the server.
			addr := strings.TrimPrefix(em.URL, "http://")
			tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return (&net.Dialer{}).DialContext(ctx, network, addr)
			}}
			t.Cleanup(tr.CloseIdleConnections)
			c = s3.New(c.Options(), func(o *s3.Options) { o.HTTPClient = sdkhttp.Wrap(&http.Client{Transport: tr}) })
		}
		b := aws.String("objects-bucket")
		_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b})
		must(t, err)
		// The SDK sends aws-chunked bodies with a CRC32 trailer.
		put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("dir/a.env"), Body: strings.NewReader("A=1\n"),
			ContentType: aws.String("text/plain"), Metadata: map[string]string{"owner": "net"}})
		must(t, err)
		if aws.ToString(put.ETag) != `"`+"be6ee8fc7a0d5e5c04bd1bec7c2fd9e7"+`"` && len(aws.ToString(put.ETag)) != 34 {
			t.Errorf("ETag %q", aws.ToString(put.ETag))
		}
		for _, k := range []string{"dir/b.env", "dir/sub/c.env", "top.txt"} {
			_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String(k), Body: bytes.NewReader([]byte(k))})
			must(t, err)
		}
		got, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("dir/a.env")})
		must(t, err)
		body, _ := io.ReadAll(got.Body)
		if string(body) != "A=1\n" || aws.ToString(got.ContentType) != "text/plain" || got.Metadata["owner"] != "net" || aws.ToString(got.ETag) != aws.ToString(put.ETag) {
			t.Errorf("GetObject %q %q %v %q", body, aws.ToString(got.ContentType), got.Metadata, aws.ToString(got.ETag))
		}
		rng, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("dir/a.env"), Range: aws.String("bytes=0-1")})
		must(t, err)
		body, _ = io.ReadAll(rng.Body)
		if string(body) != "A=" {
			t.Errorf("range read %q", body)
		}
		_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("missing")})
		wantS3Error(t, "missing key", err, "NoSuchKey", 404, "The specified key does not exist.")
		_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("k")})
		wantS3Error(t, "missing bucket", err, "NoSuchBucket", 404, "The specified bucket does not exist")
		h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("top.txt")})
		must(t, err)
		if aws.ToInt64(h.ContentLength) != 7 {
			t.Errorf("HeadObject length %d", aws.ToInt64(h.ContentLength))
		}

		l, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: b, Prefix: aws.String("dir/"), Delimiter: aws.String("/")})
		must(t, err)
		if len(l.Contents) != 2 || len(l.CommonPrefixes) != 1 || aws.ToString(l.CommonPrefixes[0].Prefix) != "dir/sub/" || aws.ToInt32(l.KeyCount) != 3 {
			t.Errorf("ListObjectsV2 delimiter: %+v %+v", l.Contents, l.CommonPrefixes)
		}
		var keys []string
		p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: b, MaxKeys: aws.Int32(1)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			must(t, err)
			for _, o := range page.Contents {
				keys = append(keys, aws.ToString(o.Key))
			}
		}
		if strings.Join(keys, ",") != "dir/a.env,dir/b.env,dir/sub/c.env,top.txt" {
			t.Errorf("paged keys %v", keys)
		}

		_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: aws.String("copy.env"), CopySource: aws.String("objects-bucket/dir/a.env")})
		must(t, err)
		cp, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("copy.env")})
		must(t, err)
		body, _ = io.ReadAll(cp.Body)
		if string(body) != "A=1\n" || cp.Metadata["owner"] != "net" {
			t.Errorf("copy %q %v", body, cp.Metadata)
		}
		_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: aws.String("copy.env"), CopySource: aws.String("objects-bucket/copy.env")})
		wantS3Error(t, "copy onto itself", err, "InvalidRequest", 400, "copy an object to itself")

		_, err = c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: b, Key: aws.String("top.txt"), Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}}})
		must(t, err)
		ot, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: b, Key: aws.String("top.txt")})
		must(t, err)
		if len(ot.TagSet) != 1 {
			t.Errorf("object tags %+v", ot.TagSet)
		}

		_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("big"), Body: bytes.NewReader(make([]byte, 1<<20+1))})
		wantS3Error(t, "object over the limit", err, "EntityTooLarge", 400, "exceeds the maximum allowed size")

		del, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: b, Delete: &s3types.Delete{Objects: []s3types.ObjectIdentifier{
			{Key: aws.String("dir/a.env")}, {Key: aws.String("dir/b.env")}, {Key: aws.String("never-there")}}}})
		must(t, err)
		if len(del.Deleted) != 3 {
			t.Errorf("DeleteObjects %+v", del.Deleted)
		}
		l, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: b})
		must(t, err)
		if len(l.Contents) != 3 {
			t.Errorf("after DeleteObjects: %d objects", len(l.Contents))
		}
	}
}

// An ALB's access logs need a bucket whose policy lets Elastic Load
// Balancing write: a missing bucket, or one without such a policy, is
// InvalidConfigurationRequest; the regional ELB account or the log
// delivery service principal, on the prefix's AWSLogs/ACCOUNT/, is enough.
func TestS3ALBAccessLogBucket(t *testing.T) {
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	s := s3Client(em.URL, "us-east-1", true)
	subs, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	must(t, err)
	var ids []string
	for _, sn := range subs.Subnets[:2] {
		ids = append(ids, aws.ToString(sn.SubnetId))
	}
	lb, err := c.elb.CreateLoadBalancer(ctx, &elasticloadbalancingv2.CreateLoadBalancerInput{Name: aws.String("logs-alb"), Subnets: ids})
	must(t, err)
	arn := lb.LoadBalancers[0].LoadBalancerArn
	enable := func(bucket, prefix string) error {
		_, err := c.elb.ModifyLoadBalancerAttributes(ctx, &elasticloadbalancingv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: arn, Attributes: []elbtypes.LoadBalancerAttribute{
			{Key: aws.String("access_logs.s3.enabled"), Value: aws.String("true")},
			{Key: aws.String("access_logs.s3.bucket"), Value: aws.String(bucket)},
			{Key: aws.String("access_logs.s3.prefix"), Value: aws.String(prefix)}}})
		return err
	}
	denied := "Access Denied for bucket: alb-logs. Please check S3bucket permission"
	wantR53Error(t, "missing bucket", enable("alb-logs", "alb"), "InvalidConfigurationRequest", 400, denied)
	_, err = s.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("alb-logs")})
	must(t, err)
	wantR53Error(t, "bucket without a policy", enable("alb-logs", "alb"), "InvalidConfigurationRequest", 400, denied)
	policy := func(principal, resource string) {
		_, err := s.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("alb-logs"), Policy: aws.String(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":` + principal + `,"Action":"s3:PutObject","Resource":"` + resource + `"}]}`)})
		must(t, err)
	}
	// Another region's ELB account (eu-west-1's) does not write here.
	policy(`{"AWS":"arn:aws:iam::156460612806:root"}`, "arn:aws:s3:::alb-logs/alb/AWSLogs/*")
	wantR53Error(t, "another region's ELB account", enable("alb-logs", "alb"), "InvalidConfigurationRequest", 400, denied)
	policy(`{"AWS":"arn:aws:iam::127311923021:root"}`, "arn:aws:s3:::alb-logs/other/*")
	wantR53Error(t, "policy on another prefix", enable("alb-logs", "alb"), "InvalidConfigurationRequest", 400, denied)
	policy(`{"AWS":"arn:aws:iam::127311923021:root"}`, "arn:aws:s3:::alb-logs/alb/AWSLogs/*")
	must(t, enable("alb-logs", "alb"))
	policy(`{"Service":"logdelivery.elasticloadbalancing.amazonaws.com"}`, "arn:aws:s3:::alb-logs/*")
	must(t, enable("alb-logs", ""))
}

// A Fargate task whose container's environmentFiles name an S3 object
// that does not exist stops, TaskFailedToStart, with the agent's
// ResourceInitializationError; once the object is uploaded the task runs.
func TestS3TaskEnvironmentFilesMustExist(t *testing.T) {
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	s := s3Client(em.URL, "us-east-1", true)
	subs, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	must(t, err)
	subnet := aws.ToString(subs.Subnets[0].SubnetId)
	_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("envfile"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ExecutionRoleArn: aws.String(executionRole(t, em.URL)),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"),
			EnvironmentFiles: []ecstypes.EnvironmentFile{{Type: ecstypes.EnvironmentFileTypeS3, Value: aws.String("arn:aws:s3:::svc-config/web/app.env")}}}}})
	must(t, err)
	run := func() ecstypes.Task {
		out, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("envfile"), LaunchType: ecstypes.LaunchTypeFargate,
			NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{subnet}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}}})
		must(t, err)
		arn := aws.ToString(out.Tasks[0].TaskArn)
		var tk ecstypes.Task
		eventually(t, "task settles", func() bool {
			out, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: []string{arn}})
			must(t, err)
			tk = out.Tasks[0]
			return aws.ToString(tk.LastStatus) == "RUNNING" || aws.ToString(tk.LastStatus) == "STOPPED"
		})
		return tk
	}
	want := "ResourceInitializationError: failed to download env files: "
	if tk := run(); aws.ToString(tk.LastStatus) != "STOPPED" || tk.StopCode != ecstypes.TaskStopCodeTaskFailedToStart || !strings.HasPrefix(aws.ToString(tk.StoppedReason), want) {
		t.Errorf("no bucket: %s %s %q", aws.ToString(tk.LastStatus), tk.StopCode, aws.ToString(tk.StoppedReason))
	}
	_, err = s.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("svc-config")})
	must(t, err)
	if tk := run(); aws.ToString(tk.LastStatus) != "STOPPED" || !strings.HasPrefix(aws.ToString(tk.StoppedReason), want) {
		t.Errorf("no object: %s %q", aws.ToString(tk.LastStatus), aws.ToString(tk.StoppedReason))
	}
	_, err = s.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("svc-config"), Key: aws.String("web/app.env"), Body: strings.NewReader("PORT=80\n")})
	must(t, err)
	if tk := run(); aws.ToString(tk.LastStatus) != "RUNNING" {
		t.Errorf("with the object: %s %q", aws.ToString(tk.LastStatus), aws.ToString(tk.StoppedReason))
	}
}
