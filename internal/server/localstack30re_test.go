package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Behaviours the round-thirty re-run of LocalStack's AWS-validated tests
// found (docs/localstack-suite.md, "Round thirty: regression re-run"),
// through the Go SDK.

// GetCallerIdentity signed with an IAM user's access key answers the user:
// its ARN and AIDA… id, in the account (tests/aws/services/sts/
// test_sts.snapshot.json, TestSTSCallerIdentity::
// test_get_caller_identity_with_iam_user_credentials, recorded 2026-02-09).
// Another long-term key is still the account's root user.
func TestLocalStackSTSCallerIdentityOfIAMUserKey(t *testing.T) {
	em := newEmulator(t, nil)
	ic := iamClient(em.URL)
	user, err := ic.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol"), Path: aws.String("/team/")})
	if err != nil {
		t.Fatal(err)
	}
	key, err := ic.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("carol")})
	if err != nil {
		t.Fatal(err)
	}
	cfg := sdkConfig()
	cfg.Credentials = credentials.NewStaticCredentialsProvider(*key.AccessKey.AccessKeyId, *key.AccessKey.SecretAccessKey, "")
	root, err := stsClient(em.URL, sdkConfig()).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	id, err := stsClient(em.URL, cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(id.Arn), aws.ToString(user.User.Arn); got != want {
		t.Errorf("Arn = %q, want the user's %q", got, want)
	}
	if got, want := aws.ToString(id.UserId), aws.ToString(user.User.UserId); got != want {
		t.Errorf("UserId = %q, want the user's %q", got, want)
	}
	if got, want := aws.ToString(id.Account), aws.ToString(root.Account); got != want {
		t.Errorf("Account = %q, want %q", got, want)
	}
	if got, want := aws.ToString(root.Arn), "arn:aws:iam::"+aws.ToString(root.Account)+":root"; got != want {
		t.Errorf("root key: Arn = %q, want %q", got, want)
	}
}
