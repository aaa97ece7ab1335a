package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
)

func kmsClient(url string) *kms.Client {
	return kms.NewFromConfig(sdkConfig(), func(o *kms.Options) { o.BaseEndpoint = aws.String(url) })
}

// KMS keys and aliases as aws_kms_key and aws_kms_alias drive them: the
// default key policy, rotation (90 to 2560 days), aliases found by name
// and ARN, scheduled deletion (7 to 30 days) that blocks changes until
// canceled (the key then disabled), tags; AWS's errors.
func TestKMSKeysAliases(t *testing.T) {
	em := newEmulator(t, nil)
	c := kmsClient(em.URL)
	k, err := c.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("app"), Tags: []kmstypes.Tag{{TagKey: aws.String("team"), TagValue: aws.String("web")}}})
	must(t, err)
	md := k.KeyMetadata
	id := aws.ToString(md.KeyId)
	if aws.ToString(md.Arn) != "arn:aws:kms:us-east-1:123456789012:key/"+id || md.KeyState != kmstypes.KeyStateEnabled || md.KeySpec != kmstypes.KeySpecSymmetricDefault || !md.Enabled {
		t.Errorf("metadata %+v", md)
	}
	pol, err := c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(id)})
	must(t, err)
	if !strings.Contains(aws.ToString(pol.Policy), `"AWS" : "arn:aws:iam::123456789012:root"`) {
		t.Errorf("default policy %s", aws.ToString(pol.Policy))
	}
	if _, err := c.EnableKeyRotation(ctx, &kms.EnableKeyRotationInput{KeyId: aws.String(id), RotationPeriodInDays: aws.Int32(30)}); apiCode(err) != "ValidationException" {
		t.Errorf("a rotation of 30 days: %v", err)
	}
	_, err = c.EnableKeyRotation(ctx, &kms.EnableKeyRotationInput{KeyId: aws.String(id)})
	must(t, err)
	rot, err := c.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(id)})
	must(t, err)
	if !rot.KeyRotationEnabled || aws.ToInt32(rot.RotationPeriodInDays) != 365 {
		t.Errorf("rotation %+v", rot)
	}
	_, err = c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/app"), TargetKeyId: aws.String(id)})
	must(t, err)
	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/app"), TargetKeyId: aws.String(id)}); apiCode(err) != "AlreadyExistsException" {
		t.Errorf("a second alias/app: %v", err)
	}
	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("app"), TargetKeyId: aws.String(id)}); apiCode(err) != "ValidationException" {
		t.Errorf("an alias without alias/: %v", err)
	}
	for _, ref := range []string{"alias/app", "arn:aws:kms:us-east-1:123456789012:alias/app", aws.ToString(md.Arn)} {
		d, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(ref)})
		if err != nil || aws.ToString(d.KeyMetadata.KeyId) != id {
			t.Errorf("DescribeKey %s: %v", ref, err)
		}
	}
	al, err := c.ListAliases(ctx, &kms.ListAliasesInput{KeyId: aws.String(id)})
	must(t, err)
	if len(al.Aliases) != 1 || aws.ToString(al.Aliases[0].TargetKeyId) != id {
		t.Errorf("aliases %+v", al.Aliases)
	}
	if _, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("1234abcd-12ab-34cd-56ef-1234567890ab")}); apiCode(err) != "NotFoundException" {
		t.Errorf("no key: %v", err)
	}
	tags, err := c.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: aws.String(id)})
	must(t, err)
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].TagKey) != "team" {
		t.Errorf("tags %+v", tags.Tags)
	}
	if _, err := c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(3)}); apiCode(err) != "ValidationException" {
		t.Errorf("a window of 3 days: %v", err)
	}
	del, err := c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(7)})
	must(t, err)
	if del.KeyState != kmstypes.KeyStatePendingDeletion || del.DeletionDate == nil {
		t.Errorf("deletion %+v", del)
	}
	if _, err := c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(id), Policy: pol.Policy}); apiCode(err) != "KMSInvalidStateException" {
		t.Errorf("a policy for a key pending deletion: %v", err)
	}
	_, err = c.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: aws.String(id)})
	must(t, err)
	d, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	must(t, err)
	if d.KeyMetadata.KeyState != kmstypes.KeyStateDisabled {
		t.Errorf("after CancelKeyDeletion: %s", d.KeyMetadata.KeyState)
	}
	_, err = c.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: aws.String("alias/app")})
	must(t, err)
}
