package server_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"
)

// apiError is err's code and message, "" when err is no AWS error.
func apiError(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	return fmt.Sprint(err)
}

// KMS validates the tags of CreateKey and TagResource (lengths, then
// duplicate keys, more than 50, the reserved aws: prefix) and refuses an
// alias for an AWS managed key.
func TestKMSTagValidationRound26(t *testing.T) {
	em := newEmulator(t, nil)
	c := kmsClient(em.URL)
	tag := func(k, v string) kmstypes.Tag { return kmstypes.Tag{TagKey: aws.String(k), TagValue: aws.String(v)} }
	long := strings.Repeat("k", 129)
	many := make([]kmstypes.Tag, 51)
	for i := range many {
		many[i] = tag(fmt.Sprintf("k%d", i), "v")
	}
	for _, tc := range []struct {
		tags []kmstypes.Tag
		want string
	}{
		{[]kmstypes.Tag{tag("a", "1"), tag(long, "2")}, "ValidationException: 1 validation error detected: Value '" + long + "' at 'tags.2.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{[]kmstypes.Tag{tag("a", strings.Repeat("v", 257)), tag("", "x")}, "ValidationException: 2 validation errors detected: Value '" + strings.Repeat("v", 257) + "' at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256; Value '' at 'tags.2.member.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{[]kmstypes.Tag{tag("a", "1"), tag("a", "2")}, "TagException: Duplicate tag keys"},
		{many, "TagException: Too many tags"},
		{[]kmstypes.Tag{tag("AWS:team", "x")}, "TagException: Tags beginning with aws: are reserved"},
	} {
		if _, err := c.CreateKey(ctx, &kms.CreateKeyInput{Tags: tc.tags}); apiError(err) != tc.want {
			t.Errorf("CreateKey: %s\nwant %s", apiError(err), tc.want)
		}
	}
	keys, err := c.ListKeys(ctx, &kms.ListKeysInput{})
	must(t, err)
	if len(keys.Keys) != 0 {
		t.Errorf("refused CreateKey calls left %d keys", len(keys.Keys))
	}
	k, err := c.CreateKey(ctx, &kms.CreateKeyInput{Tags: []kmstypes.Tag{tag("Team", "web"), tag("team", "db")}})
	must(t, err) // tag keys are case sensitive
	id := k.KeyMetadata.KeyId
	if _, err := c.TagResource(ctx, &kms.TagResourceInput{KeyId: id, Tags: []kmstypes.Tag{tag("aws:cloudformation:stack-name", "x")}}); apiError(err) != "TagException: Tags beginning with aws: are reserved" {
		t.Errorf("TagResource aws:: %s", apiError(err))
	}
	if _, err := c.TagResource(ctx, &kms.TagResourceInput{KeyId: id, Tags: many[:49]}); apiError(err) != "TagException: Too many tags" {
		t.Errorf("TagResource to 51 tags: %s", apiError(err))
	}
	_, err = c.TagResource(ctx, &kms.TagResourceInput{KeyId: id, Tags: many[:48]})
	must(t, err)
	tags, err := c.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: id, Limit: aws.Int32(1000)})
	must(t, err)
	if len(tags.Tags) != 50 {
		t.Errorf("%d tags, want 50", len(tags.Tags))
	}

	// An alias for an AWS managed key: its key policy allows no CreateAlias.
	ebs, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/ebs")})
	must(t, err)
	want := "AccessDeniedException: User: arn:aws:iam::123456789012:root is not authorized to perform: kms:CreateAlias on resource: " +
		aws.ToString(ebs.KeyMetadata.Arn) + " because no resource-based policy allows the kms:CreateAlias action"
	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/my-ebs"), TargetKeyId: ebs.KeyMetadata.KeyId}); apiError(err) != want {
		t.Errorf("CreateAlias to the AWS managed key: %s\nwant %s", apiError(err), want)
	}
	_, err = c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/mine"), TargetKeyId: id})
	must(t, err)
	if _, err := c.UpdateAlias(ctx, &kms.UpdateAliasInput{AliasName: aws.String("alias/mine"), TargetKeyId: ebs.KeyMetadata.Arn}); apiCode(err) != "AccessDeniedException" {
		t.Errorf("UpdateAlias to the AWS managed key: %s", apiError(err))
	}
	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/aws/mine"), TargetKeyId: id}); apiCode(err) != "NotAuthorizedException" {
		t.Errorf("CreateAlias alias/aws/mine: %s", apiError(err))
	}
}
