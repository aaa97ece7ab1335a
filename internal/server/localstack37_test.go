package server_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go/middleware"
)

// Behaviours round thirty-seven of LocalStack's AWS-validated tests found
// (docs/localstack-suite.md, "Round thirty-seven"), through the Go SDK.

// A version that loses its last staging label is deprecated, not removed:
// ListSecretVersionIds lists it only with IncludeDeprecated, and then
// without VersionStages; DescribeSecret's VersionIdsToStages leaves it out;
// GetSecretValue still reads it by id
// (tests/aws/services/secretsmanager/test_secretsmanager.snapshot.json,
// test_deprecated_secret_version_stage, recorded 2024-03-29).
func TestLocalStackSecretsManagerDeprecatedVersions(t *testing.T) {
	em := newEmulator(t, nil)
	c := secretsClient(em.URL)
	created, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("dep"), SecretString: aws.String("original")})
	must(t, err)
	first := aws.ToString(created.VersionId)
	for _, v := range []string{"update1", "update2"} {
		_, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("dep"), SecretString: aws.String(v)})
		must(t, err)
	}
	ids := func(include bool) (labelled, bare []string) {
		t.Helper()
		out, err := c.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String("dep"), IncludeDeprecated: aws.Bool(include)})
		must(t, err)
		for _, v := range out.Versions {
			if len(v.VersionStages) == 0 {
				bare = append(bare, aws.ToString(v.VersionId))
			} else {
				labelled = append(labelled, aws.ToString(v.VersionId))
			}
		}
		return labelled, bare
	}
	if labelled, bare := ids(false); len(labelled) != 2 || len(bare) != 0 || slices.Contains(labelled, first) {
		t.Errorf("ListSecretVersionIds = %v and unlabelled %v, want the two labelled versions only", labelled, bare)
	}
	if labelled, bare := ids(true); len(labelled) != 2 || !slices.Equal(bare, []string{first}) {
		t.Errorf("ListSecretVersionIds IncludeDeprecated = %v and unlabelled %v, want the first version %s without stages", labelled, bare, first)
	}
	d, err := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("dep")})
	must(t, err)
	if _, ok := d.VersionIdsToStages[first]; ok || len(d.VersionIdsToStages) != 2 {
		t.Errorf("VersionIdsToStages = %v, want the two labelled versions", d.VersionIdsToStages)
	}
	v, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("dep"), VersionId: aws.String(first)})
	must(t, err)
	if aws.ToString(v.SecretString) != "original" || len(v.VersionStages) != 0 {
		t.Errorf("the deprecated version = %q stages %v, want original, no stages", aws.ToString(v.SecretString), v.VersionStages)
	}
}

// A secret never tagged has no Tags; once its tags are all removed it
// answers Tags [] (test_secret_tags, recorded 2024-04-05: describe_secret
// and describe_secret_4).
func TestLocalStackSecretsManagerEmptiedTags(t *testing.T) {
	em := newEmulator(t, nil)
	c := secretsClient(em.URL)
	_, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("tagged")})
	must(t, err)
	tagsMember := func() (bool, []smtypes.Tag) {
		t.Helper()
		d, err := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("tagged")})
		must(t, err)
		return d.Tags != nil, d.Tags
	}
	if has, _ := tagsMember(); has {
		t.Errorf("a secret never tagged answers Tags")
	}
	_, err = c.TagResource(ctx, &secretsmanager.TagResourceInput{SecretId: aws.String("tagged"), Tags: []smtypes.Tag{{Key: aws.String("tag1"), Value: aws.String("value1")}}})
	must(t, err)
	_, err = c.UntagResource(ctx, &secretsmanager.UntagResourceInput{SecretId: aws.String("tagged"), TagKeys: []string{"tag1"}})
	must(t, err)
	if has, tags := tagsMember(); !has || len(tags) != 0 {
		t.Errorf("after its only tag is removed: Tags present %v, %v; want Tags []", has, tags)
	}
}

// DeleteSecret with ForceDeleteWithoutRecovery of a secret that does not
// exist answers as if it deleted it: the name, an ARN, the deletion date
// (test_delete_non_existent_secret_returns_as_if_secret_exists, validated
// against AWS). Without the flag it is still ResourceNotFoundException.
func TestLocalStackSecretsManagerForceDeleteAbsent(t *testing.T) {
	em := newEmulator(t, nil)
	c := secretsClient(em.URL)
	out, err := c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("never-made"), ForceDeleteWithoutRecovery: aws.Bool(true)})
	must(t, err)
	if aws.ToString(out.Name) != "never-made" || out.DeletionDate == nil ||
		!regexp.MustCompile(`^arn:aws:secretsmanager:us-east-1:\d{12}:secret:never-made-[A-Za-z0-9]{6}$`).MatchString(aws.ToString(out.ARN)) {
		t.Errorf("forced deletion of an absent secret = %s %s %v", aws.ToString(out.Name), aws.ToString(out.ARN), out.DeletionDate)
	}
	_, err = c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("never-made")})
	smErr(t, "scheduled deletion of an absent secret", err, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
}

// withoutClientRequestToken makes the SDK send its request without the
// ClientRequestToken it fills in, as a raw HTTP request does.
func withoutClientRequestToken(o *secretsmanager.Options) {
	o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
		return st.Serialize.Add(middleware.SerializeMiddlewareFunc("dropClientRequestToken",
			func(ctx context.Context, in middleware.SerializeInput, next middleware.SerializeHandler) (middleware.SerializeOutput, middleware.Metadata, error) {
				switch p := in.Parameters.(type) {
				case *secretsmanager.CreateSecretInput:
					p.ClientRequestToken = nil
				case *secretsmanager.UpdateSecretInput:
					p.ClientRequestToken = nil
				case *secretsmanager.PutSecretValueInput:
					p.ClientRequestToken = nil
				}
				return next.HandleSerialize(ctx, in)
			}), middleware.Before)
	})
}

// A value sent without a ClientRequestToken is refused before the secret
// is looked up: InvalidRequestException "You must provide a
// ClientRequestToken value. We recommend a UUID-type value."
// (test_no_client_request_token[CreateSecret], [UpdateSecret],
// [PutSecretValue], recorded 2023-05-12, the latter two on a secret that
// does not exist).
func TestLocalStackSecretsManagerClientRequestTokenRequired(t *testing.T) {
	em := newEmulator(t, nil)
	c := secretsClient(em.URL)
	const msg = "You must provide a ClientRequestToken value. We recommend a UUID-type value."
	_, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("tok"), SecretString: aws.String("s"), Description: aws.String("My secret string")}, withoutClientRequestToken)
	smErr(t, "CreateSecret without a token", err, "InvalidRequestException", msg)
	_, err = c.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{SecretId: aws.String("absent"), SecretString: aws.String("s")}, withoutClientRequestToken)
	smErr(t, "UpdateSecret without a token", err, "InvalidRequestException", msg)
	_, err = c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("absent"), SecretString: aws.String("s")}, withoutClientRequestToken)
	smErr(t, "PutSecretValue without a token", err, "InvalidRequestException", msg)
	// Without a value there is no version to name: taken without a token.
	_, err = c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("empty")}, withoutClientRequestToken)
	must(t, err)
	// The SDK's own token is accepted as before.
	_, err = c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("tok"), SecretString: aws.String("s")})
	must(t, err)
}

// A multi-Region key's id is mrk- and 32 hex digits, and DescribeKey
// answers its MultiRegionConfiguration: the key its own PRIMARY, no
// replicas (tests/aws/services/kms/test_kms.snapshot.json,
// test_create_multi_region_key, recorded 2024-04-11; "Multi-Region key
// IDs", AWS KMS Developer Guide). A key of imported key material (Origin
// EXTERNAL) is created PendingImport, not enabled (test_import_key_symmetric,
// test_import_key_asymmetric, recorded 2024-01-24), and can be neither
// enabled nor disabled before its material is imported.
func TestLocalStackKMSMultiRegionAndExternalKeys(t *testing.T) {
	em := newEmulator(t, nil)
	k := kmsClient(em.URL)
	mrk, err := k.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("test multi region key"), MultiRegion: aws.Bool(true)})
	must(t, err)
	m := mrk.KeyMetadata
	if !regexp.MustCompile(`^mrk-[0-9a-f]{32}$`).MatchString(aws.ToString(m.KeyId)) {
		t.Errorf("multi-Region key id %s, want mrk- and 32 hex digits", aws.ToString(m.KeyId))
	}
	cfg := m.MultiRegionConfiguration
	if cfg == nil || cfg.MultiRegionKeyType != kmstypes.MultiRegionKeyTypePrimary || cfg.PrimaryKey == nil ||
		aws.ToString(cfg.PrimaryKey.Arn) != aws.ToString(m.Arn) || aws.ToString(cfg.PrimaryKey.Region) != "us-east-1" || cfg.ReplicaKeys == nil || len(cfg.ReplicaKeys) != 0 {
		t.Errorf("MultiRegionConfiguration = %+v", cfg)
	}
	d, err := k.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: m.KeyId})
	must(t, err)
	if d.KeyMetadata.MultiRegionConfiguration == nil {
		t.Errorf("DescribeKey of a multi-Region key without MultiRegionConfiguration")
	}
	single, err := k.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(false)})
	must(t, err)
	if single.KeyMetadata.MultiRegionConfiguration != nil || !regexp.MustCompile(`^[0-9a-f-]{36}$`).MatchString(aws.ToString(single.KeyMetadata.KeyId)) {
		t.Errorf("a single-Region key: %s %+v", aws.ToString(single.KeyMetadata.KeyId), single.KeyMetadata.MultiRegionConfiguration)
	}

	ext, err := k.CreateKey(ctx, &kms.CreateKeyInput{Origin: kmstypes.OriginTypeExternal, KeySpec: kmstypes.KeySpecEccNistP256, KeyUsage: kmstypes.KeyUsageTypeSignVerify})
	must(t, err)
	e := ext.KeyMetadata
	if e.KeyState != kmstypes.KeyStatePendingImport || e.Enabled || e.Origin != kmstypes.OriginTypeExternal ||
		!slices.Equal(e.SigningAlgorithms, []kmstypes.SigningAlgorithmSpec{kmstypes.SigningAlgorithmSpecEcdsaSha256}) {
		t.Errorf("an EXTERNAL key = state %s enabled %v origin %s algorithms %v, want PendingImport, false, EXTERNAL, [ECDSA_SHA_256]",
			e.KeyState, e.Enabled, e.Origin, e.SigningAlgorithms)
	}
	_, err = k.EnableKey(ctx, &kms.EnableKeyInput{KeyId: e.KeyId})
	wantAPIError(t, err, "KMSInvalidStateException", aws.ToString(e.Arn)+" is pending import.")
}

// GetPolicy answers Tags, [] for a policy without tags; a policy version
// of a policy that does not exist is NoSuchEntity "Policy ARN version V
// does not exist or is not attachable.", as for a version the policy lacks
// (tests/aws/services/iam/test_iam_policies.snapshot.json,
// test_policy_lifecycle and test_policy_version_errors, recorded
// 2026-02-10).
func TestLocalStackIAMPolicyTagsAndMissingVersions(t *testing.T) {
	em := newEmulator(t, nil)
	ic := iamClient(em.URL)
	doc := `{"Version":"2012-10-17","Statement":[{"Sid":"Statement1","Effect":"Allow","Action":["iam:ListUsers"],"Resource":"*"}]}`
	p, err := ic.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("test-policy-untagged"), PolicyDocument: aws.String(doc)})
	must(t, err)
	arn := aws.ToString(p.Policy.Arn)
	if p.Policy.Tags != nil {
		t.Errorf("CreatePolicy without tags answers Tags %v", p.Policy.Tags)
	}
	got, err := ic.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
	must(t, err)
	if got.Policy.Tags == nil || len(got.Policy.Tags) != 0 {
		t.Errorf("GetPolicy of a policy without tags: Tags %v, want []", got.Policy.Tags)
	}
	absent := "arn:aws:iam::123456789012:policy/TestNonExistingPolicy"
	_, err = ic.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(absent), VersionId: aws.String("v1")})
	wantAPIError(t, err, "NoSuchEntity", "Policy "+absent+" version v1 does not exist or is not attachable.")
	_, err = ic.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(absent), VersionId: aws.String("v1")})
	wantAPIError(t, err, "NoSuchEntity", "Policy "+absent+" version v1 does not exist or is not attachable.")
	if got := httpStatus(err); got != 404 {
		t.Errorf("SetDefaultPolicyVersion of a missing policy: HTTP %d, want 404", got)
	}
	_, err = ic.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(absent), VersionId: aws.String("v2")})
	wantAPIError(t, err, "NoSuchEntity", "Policy "+absent+" version v2 does not exist or is not attachable.")
	_, err = ic.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v9")})
	wantAPIError(t, err, "NoSuchEntity", "Policy "+arn+" version v9 does not exist or is not attachable.")
	// GetPolicy of a policy that does not exist keeps its own text.
	_, err = ic.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(absent)})
	wantAPIError(t, err, "NoSuchEntity", "Policy "+absent+" was not found.")
}

// CreatePolicy and CreatePolicyVersion check the document as IAM does and
// answer MalformedPolicyDocument with the first failing check's text
// (tests/aws/services/iam/test_iam_policies.py TestPolicyDocumentValidity,
// validated against AWS, 78 refused and 51 taken documents; the texts are
// those of moto's test_iam_policies.py the LocalStack cases were migrated
// from). A sample of each check, and documents IAM takes though they look
// odd.
func TestLocalStackIAMPolicyDocumentValidity(t *testing.T) {
	em := newEmulator(t, nil)
	ic := iamClient(em.URL)
	const b = `"arn:aws:s3:::example_bucket"`
	stmt := func(members string) string {
		return `{"Version":"2012-10-17","Statement":{` + members + `}}`
	}
	refused := []struct{ doc, msg string }{
		{"This is not a json document", "Syntax errors in policy."},
		{`{"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":` + b + `}}`, "Policy document must be version 2012-10-17 or greater."},
		{`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":` + b + `}}`, "Policy document must be version 2012-10-17 or greater."},
		{`{"Version":"2013-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":` + b + `}}`, "Syntax errors in policy."},
		{`{"Version":"2012-10-17","Statement":[]}`, "Syntax errors in policy."},
		{stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":` + b + `,"Extra field":"value"`), "Syntax errors in policy."},
		{stmt(`"Effect":"invalid","Action":"s3:ListBucket","Resource":` + b), "Syntax errors in policy."},
		{stmt(`"Effect":"Allow","NotAction":"s3:ListBucket","Action":"iam:dsf","Resource":` + b), "Syntax errors in policy."},
		{stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":` + b + `,"Condition":{"x":{"a":"1"}}`), "Syntax errors in policy."},
		{stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":` + b + `,"Condition":{"DateGreaterThan":{"a":{}}}`), "Syntax errors in policy."},
		{stmt(`"Effect":"denY","Action":"s3:ListBucket","Resource":` + b), "The policy failed legacy parsing"},
		{`{"Version":"2012-10-17","Statement":[{"Sid":"sdf","Effect":"Allow","Action":"s3:ListBucket","Resource":` + b + `},{"Sid":"sdf","Effect":"Allow"}]}`, "Statement IDs (SID) in a single policy must be unique."},
		{stmt(`"Effect":"Allow","Action":[],"Resource":` + b), "Policy statement must contain actions."},
		{stmt(`"Effect":"Allow","Action":"invalid"`), "Policy statement must contain resources."},
		{stmt(`"Effect":"Allow","Action":"s:3:ListBucket","Resource":"sdfsadf"`), `Resource sdfsadf must be in ARN format or "*".`},
		{stmt(`"Effect":"Allow","Action":"invalid","Resource":` + b), "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{stmt(`"Effect":"Allow","Action":"a a:ListBucket","Resource":` + b), "Vendor a a is not valid"},
		{stmt(`"Effect":"Allow","Action":"s3:List:Bucket","Resource":` + b), "Actions/Condition can contain only one colon."},
	}
	for i, c := range refused {
		_, err := ic.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(fmt.Sprintf("refused-%d", i)), PolicyDocument: aws.String(c.doc)})
		wantAPIError(t, err, "MalformedPolicyDocument", c.msg)
	}
	taken := []string{
		stmt(`"Effect":"Allow","Action":"iam: asdf safdsf af ","Resource":` + b),
		stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":` + b + `,"Condition":{}`),
		stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":` + b + `,"Condition":{"a":{},"DateGreaterThan":{"a":[]}}`),
		stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:fdsasf"`),
		stmt(`"Effect":"Deny","NotAction":["iam:GetUser","sts:GetSessionToken"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"},"NumericLessThanEquals":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":false}}`),
		`{"Version":"2012-10-17","Id":"x","Statement":[{"Sid":"","Effect":"Allow","Action":"rds:*","Resource":["arn:aws:rds:region:*:*"]},{"Sid":"","Effect":"Allow","Action":["rds:Describe*"],"Resource":["*"],"Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}}]}`,
	}
	for i, doc := range taken {
		_, err := ic.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(fmt.Sprintf("taken-%d", i)), PolicyDocument: aws.String(doc)})
		if err != nil {
			t.Errorf("taken-%d refused: %v", i, err)
		}
	}
	// CreatePolicyVersion checks the same way.
	_, err := ic.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/taken-0"),
		PolicyDocument: aws.String(`{"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}}`)})
	wantAPIError(t, err, "MalformedPolicyDocument", "Policy document must be version 2012-10-17 or greater.")
}
