package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Behaviours round thirty-six of LocalStack's AWS-validated tests found
// (docs/localstack-suite.md, "Round thirty-six"), through the Go SDK.

// userKeyConfig is the SDK configuration of clients signing with an IAM
// user's access key.
func userKeyConfig(key *iam.CreateAccessKeyOutput) aws.Config {
	cfg := sdkConfig()
	cfg.Credentials = credentials.NewStaticCredentialsProvider(*key.AccessKey.AccessKeyId, *key.AccessKey.SecretAccessKey, "")
	return cfg
}

// UpdateUser renames a user and moves it to a new path; it keeps its id
// and its access keys, whose signer GetCallerIdentity then names by the
// new ARN (tests/aws/services/iam/test_iam_users.snapshot.json,
// TestUserLifecycle::test_user_update, test_user_errors and
// TestUserRename::*, recorded 2026-02 and 2026-03).
func TestLocalStackIAMUpdateUser(t *testing.T) {
	em := newEmulator(t, nil)
	ic := iamClient(em.URL)
	created, err := ic.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dora")})
	must(t, err)
	_, err = ic.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("erin")})
	must(t, err)
	key, err := ic.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("dora")})
	must(t, err)

	_, err = ic.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("nobody"), NewUserName: aws.String("x")})
	wantAPIError(t, err, "NoSuchEntity", "The user with name nobody cannot be found.")
	if got := httpStatus(err); got != 404 {
		t.Errorf("UpdateUser of a missing user: HTTP %d, want 404", got)
	}
	_, err = ic.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("dora"), NewUserName: aws.String("ERIN")})
	wantAPIError(t, err, "EntityAlreadyExists", "User with name ERIN already exists.")

	_, err = ic.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("dora"), NewUserName: aws.String("dora2"), NewPath: aws.String("/moved/")})
	must(t, err)
	_, err = ic.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("dora")})
	wantAPIError(t, err, "NoSuchEntity", "The user with name dora cannot be found.")
	got, err := ic.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("dora2")})
	must(t, err)
	u := got.User
	if aws.ToString(u.UserId) != aws.ToString(created.User.UserId) || aws.ToString(u.Path) != "/moved/" ||
		aws.ToString(u.Arn) != "arn:aws:iam::123456789012:user/moved/dora2" {
		t.Errorf("renamed user = id %s path %s arn %s, want id %s, /moved/, …:user/moved/dora2",
			aws.ToString(u.UserId), aws.ToString(u.Path), aws.ToString(u.Arn), aws.ToString(created.User.UserId))
	}
	keys, err := ic.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("dora2")})
	must(t, err)
	if len(keys.AccessKeyMetadata) != 1 || aws.ToString(keys.AccessKeyMetadata[0].UserName) != "dora2" {
		t.Errorf("ListAccessKeys after the rename = %+v, want the key, UserName dora2", keys.AccessKeyMetadata)
	}
	id, err := stsClient(em.URL, userKeyConfig(key)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	must(t, err)
	if aws.ToString(id.Arn) != aws.ToString(u.Arn) || aws.ToString(id.UserId) != aws.ToString(u.UserId) {
		t.Errorf("GetCallerIdentity after the rename = %s %s, want %s %s", aws.ToString(id.Arn), aws.ToString(id.UserId), aws.ToString(u.Arn), aws.ToString(u.UserId))
	}
}

// Without a UserName, the access key operations and GetUser act on the
// user whose key signed the request; the root user must name one
// (ValidationError "Must specify userName when calling with non-User
// credentials"). GetAccessKeyLastUsed answers an unused key "N/A" and
// refuses a key no user has with AccessDenied
// (tests/aws/services/iam/test_iam_users.snapshot.json,
// TestUserAccessKeys::test_access_key_errors,
// test_access_key_deletion_without_username, test_access_key_last_used).
func TestLocalStackIAMAccessKeysOfTheSigningUser(t *testing.T) {
	em := newEmulator(t, nil)
	ic := iamClient(em.URL)
	_, err := ic.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("fred")})
	must(t, err)
	key, err := ic.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("fred")})
	must(t, err)
	kid := key.AccessKey.AccessKeyId

	_, err = ic.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: kid})
	wantAPIError(t, err, "ValidationError", "Must specify userName when calling with non-User credentials")
	if got := httpStatus(err); got != 400 {
		t.Errorf("DeleteAccessKey without UserName as root: HTTP %d, want 400", got)
	}

	last, err := ic.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: kid})
	must(t, err)
	if aws.ToString(last.UserName) != "fred" || last.AccessKeyLastUsed == nil ||
		aws.ToString(last.AccessKeyLastUsed.Region) != "N/A" || aws.ToString(last.AccessKeyLastUsed.ServiceName) != "N/A" {
		t.Errorf("GetAccessKeyLastUsed = %+v, want fred, N/A, N/A", last)
	}
	_, err = ic.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String("AKIAIOSFODNN7EXAMPLE")})
	wantAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:root is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key AKIAIOSFODNN7EXAMPLE")
	if got := httpStatus(err); got != 403 {
		t.Errorf("GetAccessKeyLastUsed of an unknown key: HTTP %d, want 403", got)
	}

	asFred := iam.NewFromConfig(userKeyConfig(key), func(o *iam.Options) { o.BaseEndpoint = aws.String(em.URL) })
	me, err := asFred.GetUser(ctx, &iam.GetUserInput{})
	must(t, err)
	if aws.ToString(me.User.UserName) != "fred" {
		t.Errorf("GetUser without UserName signed by fred's key = %s, want fred", aws.ToString(me.User.UserName))
	}
	_, err = asFred.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: kid})
	must(t, err)
	keys, err := ic.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("fred")})
	must(t, err)
	if len(keys.AccessKeyMetadata) != 0 {
		t.Errorf("fred's keys after he deleted his own = %d, want 0", len(keys.AccessKeyMetadata))
	}
}

// A log group or stream name longer than 512 characters is refused in
// CloudWatch Logs' own words, whatever its characters
// (tests/aws/services/logs/test_logs_groups.snapshot.json,
// TestLogsGroups::test_create_log_group_invalid_name_length, recorded
// 2026-02-03: 513 "a"s, a name of valid characters).
func TestLocalStackLogsNameTooLong(t *testing.T) {
	em := newEmulator(t, nil)
	c := logsClient(em.URL)
	const want = "Invalid LogGroup or LogStream, both must have length less than or equal to 512."
	_, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(strings.Repeat("a", 513))})
	wantAPIError(t, err, "InvalidParameterException", want)
	_, err = c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(strings.Repeat("a", 512))})
	must(t, err)
	_, err = c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(strings.Repeat("a", 512)), LogStreamName: aws.String(strings.Repeat("s", 513))})
	wantAPIError(t, err, "InvalidParameterException", want)
}

// A template that is not JSON is refused with the column CloudFormation's
// parser names: the one after the character it could not take
// (tests/aws/services/cloudformation/api/test_templates.snapshot.json,
// test_validate_invalid_json_template_should_fail, recorded 2024-06-18:
// "(line 1, column 25)" for the "=" that is the 24th character).
func TestLocalStackCloudFormationJSONErrorColumn(t *testing.T) {
	em := newEmulator(t, nil)
	c := cfnClient(em.URL)
	_, err := c.ValidateTemplate(ctx, &cloudformation.ValidateTemplateInput{TemplateBody: aws.String(`{"this is invalid JSON"="bobbins"}`)})
	wantAPIError(t, err, "ValidationError", "Template format error: JSON not well-formed. (line 1, column 25)")
	_, err = c.ValidateTemplate(ctx, &cloudformation.ValidateTemplateInput{TemplateBody: aws.String("{\n  \"Resources\": {\n    \"A\" 1")})
	wantAPIError(t, err, "ValidationError", "Template format error: JSON not well-formed. (line 3, column 10)")
}

// PutObject's additional checksum (the SDKs send CRC32 by default) is
// checked, kept and answered with x-amz-checksum-type FULL_OBJECT, to the
// PutObject and to a GetObject with checksum mode ENABLED; HeadObject
// without it answers none (tests/aws/services/s3/test_buckets.snapshot.json,
// test_put_and_get_object_md5, recorded 2025-09-12: "NPeJYw==" for
// "hello-localstack-s3-put-object"). A checksum the body does not have is
// BadDigest.
func TestLocalStackS3ObjectChecksum(t *testing.T) {
	em := newEmulator(t, nil)
	c := s3Client(em.URL, "us-east-1", true)
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("sums")})
	must(t, err)
	body := "hello-localstack-s3-put-object"
	put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sums"), Key: aws.String("k"),
		Body: strings.NewReader(body), ChecksumAlgorithm: s3types.ChecksumAlgorithmCrc32})
	must(t, err)
	if aws.ToString(put.ChecksumCRC32) != "NPeJYw==" || put.ChecksumType != s3types.ChecksumTypeFullObject {
		t.Errorf("PutObject checksum = %q %q, want NPeJYw== FULL_OBJECT", aws.ToString(put.ChecksumCRC32), put.ChecksumType)
	}
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sums"), Key: aws.String("k"), ChecksumMode: s3types.ChecksumModeEnabled})
	must(t, err)
	get.Body.Close()
	if aws.ToString(get.ChecksumCRC32) != "NPeJYw==" || get.ChecksumType != s3types.ChecksumTypeFullObject {
		t.Errorf("GetObject checksum = %q %q, want NPeJYw== FULL_OBJECT", aws.ToString(get.ChecksumCRC32), get.ChecksumType)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("sums"), Key: aws.String("k")})
	must(t, err)
	if head.ChecksumCRC32 != nil {
		t.Errorf("HeadObject without checksum mode answered ChecksumCRC32 %q", aws.ToString(head.ChecksumCRC32))
	}
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sums"), Key: aws.String("bad"),
		Body: strings.NewReader(body), ChecksumSHA256: aws.String("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")})
	wantS3Error(t, "PutObject with a wrong SHA256", err, "BadDigest", 400, "The SHA256 you specified did not match the calculated checksum.")
}

// A user has inline and managed policies as a role does: Put/Get/List/
// DeleteUserPolicy, Attach/Detach/ListAttachedUserPolicies, counted in
// the policy's AttachmentCount and ListEntitiesForPolicy, and DeleteUser
// refuses while any remain (tests/aws/services/iam/
// test_iam_users.snapshot.json, TestUserLifecycle::
// test_delete_user_with_attached_policy, _with_inline_policy,
// TestUserPolicies::*, recorded 2026-02).
func TestLocalStackIAMUserPolicies(t *testing.T) {
	em := newEmulator(t, nil)
	ic := iamClient(em.URL)
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`
	_, err := ic.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("gina")})
	must(t, err)
	pol, err := ic.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("list-users"), PolicyDocument: aws.String(doc)})
	must(t, err)
	arn := pol.Policy.Arn

	_, err = ic.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("gina"), PolicyArn: aws.String("arn:aws:iam::123456789012:policy/nonexistent")})
	wantAPIError(t, err, "NoSuchEntity", "Policy arn:aws:iam::123456789012:policy/nonexistent does not exist or is not attachable.")
	_, err = ic.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("gina"), PolicyArn: arn})
	wantAPIError(t, err, "NoSuchEntity", "Policy "+aws.ToString(arn)+" was not found.")

	_, err = ic.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("gina"), PolicyArn: arn})
	must(t, err)
	attached, err := ic.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("gina")})
	must(t, err)
	if len(attached.AttachedPolicies) != 1 || aws.ToString(attached.AttachedPolicies[0].PolicyName) != "list-users" {
		t.Errorf("ListAttachedUserPolicies = %+v, want list-users", attached.AttachedPolicies)
	}
	got, err := ic.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: arn})
	must(t, err)
	if aws.ToInt32(got.Policy.AttachmentCount) != 1 {
		t.Errorf("AttachmentCount = %d, want 1 (the user)", aws.ToInt32(got.Policy.AttachmentCount))
	}
	ents, err := ic.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: arn})
	must(t, err)
	if len(ents.PolicyUsers) != 1 || aws.ToString(ents.PolicyUsers[0].UserName) != "gina" {
		t.Errorf("ListEntitiesForPolicy users = %+v, want gina", ents.PolicyUsers)
	}
	_, err = ic.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: arn})
	wantAPIError(t, err, "DeleteConflict", "Cannot delete a policy attached to entities.")
	_, err = ic.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("gina")})
	wantAPIError(t, err, "DeleteConflict", "Cannot delete entity, must detach all policies first.")
	_, err = ic.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("gina"), PolicyArn: arn})
	must(t, err)

	_, err = ic.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("gina"), PolicyName: aws.String("inline"), PolicyDocument: aws.String(doc)})
	must(t, err)
	gp, err := ic.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("gina"), PolicyName: aws.String("inline")})
	must(t, err)
	if aws.ToString(gp.UserName) != "gina" || aws.ToString(gp.PolicyDocument) == "" {
		t.Errorf("GetUserPolicy = %+v", gp)
	}
	names, err := ic.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("gina")})
	must(t, err)
	if len(names.PolicyNames) != 1 || names.PolicyNames[0] != "inline" {
		t.Errorf("ListUserPolicies = %v, want [inline]", names.PolicyNames)
	}
	_, err = ic.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("gina")})
	wantAPIError(t, err, "DeleteConflict", "Cannot delete entity, must delete policies first.")
	_, err = ic.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("gina"), PolicyName: aws.String("inline")})
	must(t, err)
	_, err = ic.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("gina"), PolicyName: aws.String("inline")})
	wantAPIError(t, err, "NoSuchEntity", "The user policy with name inline cannot be found.")
	_, err = ic.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("gina")})
	must(t, err)
}
