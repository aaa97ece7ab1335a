package server_test

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

const s3BucketTemplate = `
Parameters:
  Keep: {Type: String, Default: Delete}
Conditions:
  Retain: !Equals [!Ref Keep, Retain]
Resources:
  Data:
    Type: AWS::S3::Bucket
    DeletionPolicy: !If [Retain, Retain, Delete]
    Properties:
      VersioningConfiguration: {Status: Enabled}
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: "aws:kms", KMSMasterKeyID: alias/aws/s3}
            BucketKeyEnabled: true
      PublicAccessBlockConfiguration: {BlockPublicAcls: true, BlockPublicPolicy: false, IgnorePublicAcls: true, RestrictPublicBuckets: true}
      OwnershipControls: {Rules: [{ObjectOwnership: BucketOwnerPreferred}]}
      LifecycleConfiguration:
        Rules:
          - {Id: expire-tmp, Prefix: tmp/, Status: Enabled, ExpirationInDays: 7, AbortIncompleteMultipartUpload: {DaysAfterInitiation: 1}}
      LoggingConfiguration: {DestinationBucketName: !Ref Logs, LogFilePrefix: data/}
      Tags: [{Key: team, Value: web}]
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "logs-${AWS::AccountId}-${AWS::Region}"
  LogsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Logs
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: logging.s3.amazonaws.com}
            Action: s3:PutObject
            Resource: !Sub "${Logs.Arn}/*"
            Condition: {StringEquals: {"aws:SourceAccount": !Ref "AWS::AccountId"}}
Outputs:
  Name: {Value: !Ref Data}
  Arn: {Value: !GetAtt Data.Arn}
  DomainName: {Value: !GetAtt Data.DomainName}
  RegionalDomainName: {Value: !GetAtt Data.RegionalDomainName}
  DualStackDomainName: {Value: !GetAtt Data.DualStackDomainName}
  WebsiteURL: {Value: !GetAtt Data.WebsiteURL}
  PolicyRef: {Value: !Ref LogsPolicy}
`

// AWS::S3::Bucket and AWS::S3::BucketPolicy through `aws cloudformation
// deploy`'s calls: the buckets are made through S3 (seen by S3's API with
// the template's configurations), Ref and GetAtt answer as
// CloudFormation documents them, and a bucket that holds an object fails
// its delete as S3 refuses it (DELETE_FAILED), unless its DeletionPolicy
// is Retain.
func TestCloudFormationS3Bucket(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := s3Client(em.URL, "us-east-1", true)
	create := func(name string, params ...cfntypes.Parameter) string {
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(s3BucketTemplate), Parameters: params})
		must(t, err)
		return aws.ToString(out.StackId)
	}
	id := create("web-Data")
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	out := stackOutputs(t, cf, id)
	name := out["Name"]
	if !regexp.MustCompile(`^web-data-data-[a-z0-9]{12}$`).MatchString(name) {
		t.Errorf("generated bucket name %q, want web-data-data-<12 lowercase>", name)
	}
	for k, want := range map[string]string{"Arn": "arn:aws:s3:::" + name, "DomainName": name + ".s3.amazonaws.com",
		"RegionalDomainName": name + ".s3.us-east-1.amazonaws.com", "DualStackDomainName": name + ".s3.dualstack.us-east-1.amazonaws.com",
		"WebsiteURL": "http://" + name + ".s3-website-us-east-1.amazonaws.com", "PolicyRef": "logs-123456789012-us-east-1"} {
		if out[k] != want {
			t.Errorf("%s = %q, want %q", k, out[k], want)
		}
	}
	b := aws.String(name)
	v, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
	must(t, err)
	if v.Status != s3types.BucketVersioningStatusEnabled {
		t.Errorf("versioning %q", v.Status)
	}
	enc, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b})
	must(t, err)
	if r := enc.ServerSideEncryptionConfiguration.Rules; len(r) != 1 || r[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != s3types.ServerSideEncryptionAwsKms ||
		aws.ToString(r[0].ApplyServerSideEncryptionByDefault.KMSMasterKeyID) != "alias/aws/s3" || !aws.ToBool(r[0].BucketKeyEnabled) {
		t.Errorf("encryption %+v", r)
	}
	pab, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: b})
	must(t, err)
	if aws.ToBool(pab.PublicAccessBlockConfiguration.BlockPublicPolicy) || !aws.ToBool(pab.PublicAccessBlockConfiguration.BlockPublicAcls) {
		t.Errorf("public access block %+v", pab.PublicAccessBlockConfiguration)
	}
	own, err := c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: b})
	must(t, err)
	if own.OwnershipControls.Rules[0].ObjectOwnership != s3types.ObjectOwnershipBucketOwnerPreferred {
		t.Errorf("ownership %+v", own.OwnershipControls.Rules)
	}
	lc, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
	must(t, err)
	if len(lc.Rules) != 1 || aws.ToString(lc.Rules[0].ID) != "expire-tmp" || aws.ToInt32(lc.Rules[0].Expiration.Days) != 7 ||
		aws.ToString(lc.Rules[0].Filter.Prefix) != "tmp/" || aws.ToInt32(lc.Rules[0].AbortIncompleteMultipartUpload.DaysAfterInitiation) != 1 {
		t.Errorf("lifecycle %+v", lc.Rules)
	}
	lg, err := c.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: b})
	must(t, err)
	if lg.LoggingEnabled == nil || aws.ToString(lg.LoggingEnabled.TargetBucket) != "logs-123456789012-us-east-1" || aws.ToString(lg.LoggingEnabled.TargetPrefix) != "data/" {
		t.Errorf("logging %+v", lg.LoggingEnabled)
	}
	tags, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
	must(t, err)
	var keys []string
	for _, tg := range tags.TagSet {
		keys = append(keys, aws.ToString(tg.Key))
	}
	if !slices.Contains(keys, "team") || !slices.Contains(keys, "aws:cloudformation:stack-name") {
		t.Errorf("tags %v", keys)
	}
	pol, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("logs-123456789012-us-east-1")})
	must(t, err)
	if !strings.Contains(aws.ToString(pol.Policy), "logging.s3.amazonaws.com") {
		t.Errorf("policy %s", aws.ToString(pol.Policy))
	}

	// A bucket that holds an object is not deleted: DELETE_FAILED with
	// S3's text; emptied, the stack deletes.
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("k"), Body: bytes.NewReader([]byte("x"))})
	must(t, err)
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteFailed)
	if ev := stackEventsOf(t, cf, id); !slices.ContainsFunc(ev, func(e string) bool {
		return strings.HasPrefix(e, "Data DELETE_FAILED The bucket you tried to delete is not empty")
	}) {
		t.Errorf("events %q, want Data DELETE_FAILED with S3's BucketNotEmpty text", ev)
	}
	_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("logs-123456789012-us-east-1")})
	if err == nil {
		t.Errorf("the logs bucket outlived the delete")
	}
	// The bucket is versioned: the object's version goes for good.
	put, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: b})
	must(t, err)
	if len(put.Versions) != 1 {
		t.Fatalf("versions %+v", put.Versions)
	}
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("k"), VersionId: put.Versions[0].VersionId})
	must(t, err)
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	if _, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: b}); err == nil {
		t.Errorf("the bucket outlived its stack")
	}

	// DeletionPolicy Retain keeps the bucket, objects and all.
	id = create("kept", cfntypes.Parameter{ParameterKey: aws.String("Keep"), ParameterValue: aws.String("Retain")})
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	name = stackOutputs(t, cf, id)["Name"]
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(name), Key: aws.String("k"), Body: bytes.NewReader([]byte("x"))})
	must(t, err)
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(name)})
	must(t, err)
}

// A canned ACL on a bucket whose ACLs are disabled (the default since
// April 2023) fails the bucket as S3 refuses it; a name that is taken
// fails as CloudFormation's handler words it.
func TestCloudFormationS3BucketRefused(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	for name, tc := range map[string]struct{ tmpl, reason string }{
		"acl": {`
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties: {AccessControl: LogDeliveryWrite}
`, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"},
		"taken": {`
Resources:
  First:
    Type: AWS::S3::Bucket
    Properties: {BucketName: taken-bucket-name}
  Second:
    Type: AWS::S3::Bucket
    DependsOn: First
    Properties: {BucketName: taken-bucket-name}
`, "taken-bucket-name already exists"},
	} {
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(tc.tmpl)})
		must(t, err)
		id := aws.ToString(out.StackId)
		waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
		if ev := stackEventsOf(t, cf, id); !slices.ContainsFunc(ev, func(e string) bool { return strings.Contains(e, "CREATE_FAILED") && strings.Contains(e, tc.reason) }) {
			t.Errorf("%s: events %q, want CREATE_FAILED with %q", name, ev, tc.reason)
		}
	}
}
