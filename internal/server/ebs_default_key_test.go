package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// An encrypted volume created without KmsKeyId is encrypted with the
// account's AWS managed key aws/ebs, which EC2 creates on first use: KMS
// then describes it by alias/aws/ebs (KeyManager AWS), and later encrypted
// volumes use the same key, as do a launch's encrypted block devices. A
// volume that is not encrypted names no key.
// DescribeKey of a predefined AWS alias creates its key first (in a region
// without an encrypted volume); an alias/aws/ name KMS does not predefine
// is NotFoundException.
func TestEBSDefaultKMSKey(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	k := kmsClient(em.URL)
	plain, err := c.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(10)})
	must(t, err)
	if plain.KmsKeyId != nil {
		t.Errorf("an unencrypted volume names key %s", aws.ToString(plain.KmsKeyId))
	}
	v1, err := c.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(10), Encrypted: aws.Bool(true)})
	must(t, err)
	keys, err := k.ListKeys(ctx, &kms.ListKeysInput{})
	must(t, err)
	if len(keys.Keys) != 1 || aws.ToString(keys.Keys[0].KeyArn) != aws.ToString(v1.KmsKeyId) {
		t.Fatalf("keys after an encrypted volume %+v, want the one aws/ebs key %s", keys.Keys, aws.ToString(v1.KmsKeyId))
	}
	d, err := k.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/ebs")})
	must(t, err)
	arn := aws.ToString(d.KeyMetadata.Arn)
	if aws.ToString(v1.KmsKeyId) != arn || !aws.ToBool(v1.Encrypted) {
		t.Errorf("volume key %s, want aws/ebs %s", aws.ToString(v1.KmsKeyId), arn)
	}
	if d.KeyMetadata.KeyManager != kmstypes.KeyManagerTypeAws || d.KeyMetadata.KeyState != kmstypes.KeyStateEnabled {
		t.Errorf("aws/ebs metadata %+v", d.KeyMetadata)
	}
	v2, err := c.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(20), Encrypted: aws.Bool(true)})
	must(t, err)
	got, err := c.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{aws.ToString(v2.VolumeId)}})
	must(t, err)
	if aws.ToString(got.Volumes[0].KmsKeyId) != arn {
		t.Errorf("second encrypted volume's key %s, want %s", aws.ToString(got.Volumes[0].KmsKeyId), arn)
	}

	// A launch's encrypted block device without a key gets the same key.
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	sub, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	r, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: sub.Subnet.SubnetId,
		BlockDeviceMappings: []ec2types.BlockDeviceMapping{{DeviceName: aws.String("/dev/sdf"), Ebs: &ec2types.EbsBlockDevice{VolumeSize: aws.Int32(10), Encrypted: aws.Bool(true)}}}})
	must(t, err)
	lv, err := c.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{
		{Name: aws.String("attachment.instance-id"), Values: []string{aws.ToString(r.Instances[0].InstanceId)}},
		{Name: aws.String("attachment.device"), Values: []string{"/dev/sdf"}}}})
	must(t, err)
	if len(lv.Volumes) != 1 || !aws.ToBool(lv.Volumes[0].Encrypted) || aws.ToString(lv.Volumes[0].KmsKeyId) != arn {
		t.Errorf("launch volume %+v, want encrypted with %s", lv.Volumes, arn)
	}

	// Another region: DescribeKey of the predefined alias creates the key,
	// which a later encrypted volume then uses.
	kw := kms.NewFromConfig(sdkConfig(), func(o *kms.Options) { o.BaseEndpoint = aws.String(em.URL); o.Region = "us-west-2" })
	cw := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL); o.Region = "us-west-2" })
	dw, err := kw.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/ebs")})
	must(t, err)
	if a := aws.ToString(dw.KeyMetadata.Arn); !strings.HasPrefix(a, "arn:aws:kms:us-west-2:123456789012:key/") || a == arn || dw.KeyMetadata.KeyManager != kmstypes.KeyManagerTypeAws {
		t.Errorf("us-west-2 aws/ebs %+v", dw.KeyMetadata)
	}
	vw, err := cw.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-west-2a"), Size: aws.Int32(10), Encrypted: aws.Bool(true)})
	must(t, err)
	if aws.ToString(vw.KmsKeyId) != aws.ToString(dw.KeyMetadata.Arn) {
		t.Errorf("us-west-2 volume key %s, want %s", aws.ToString(vw.KmsKeyId), aws.ToString(dw.KeyMetadata.Arn))
	}
	al, err := kw.ListAliases(ctx, &kms.ListAliasesInput{})
	must(t, err)
	if len(al.Aliases) != 1 || aws.ToString(al.Aliases[0].AliasName) != "alias/aws/ebs" || aws.ToString(al.Aliases[0].TargetKeyId) != aws.ToString(dw.KeyMetadata.KeyId) {
		t.Errorf("us-west-2 aliases %+v", al.Aliases)
	}
	if _, err := kw.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/nosuchservice")}); apiCode(err) != "NotFoundException" {
		t.Errorf("an alias/aws/ name KMS does not predefine: %v", err)
	}
}

// An AWS managed key takes no change from the account: its key policy lets
// the account use it through its service and read it, nothing more, so
// disabling, scheduling for deletion, tagging or replacing its policy is
// AccessDeniedException in IAM's words, for the root user too; reads answer
// (its rotation is on, yearly). A customer managed key still changes.
func TestAWSManagedKMSKeyTakesNoChange(t *testing.T) {
	em := newEmulator(t, nil)
	k := kmsClient(em.URL)
	d, err := k.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/ebs")})
	must(t, err)
	arn := aws.ToString(d.KeyMetadata.Arn)
	changes := map[string]func() error{
		"DisableKey": func() error { _, err := k.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(arn)}); return err },
		"ScheduleKeyDeletion": func() error {
			_, err := k.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(arn), PendingWindowInDays: aws.Int32(7)})
			return err
		},
		"TagResource": func() error {
			_, err := k.TagResource(ctx, &kms.TagResourceInput{KeyId: aws.String(arn), Tags: []kmstypes.Tag{{TagKey: aws.String("a"), TagValue: aws.String("b")}}})
			return err
		},
		"PutKeyPolicy": func() error {
			_, err := k.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(arn), PolicyName: aws.String("default"),
				Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]}`)})
			return err
		},
		"DisableKeyRotation": func() error {
			_, err := k.DisableKeyRotation(ctx, &kms.DisableKeyRotationInput{KeyId: aws.String(arn)})
			return err
		},
	}
	for op, call := range changes {
		err := call()
		want := "User: arn:aws:iam::123456789012:root is not authorized to perform: kms:" + op + " on resource: " + arn +
			" because no resource-based policy allows the kms:" + op + " action"
		if apiCode(err) != "AccessDeniedException" || !strings.Contains(err.Error(), want) {
			t.Errorf("%s of aws/ebs: %v, want AccessDeniedException %q", op, err, want)
		}
	}
	after, err := k.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(arn)})
	must(t, err)
	if after.KeyMetadata.KeyState != kmstypes.KeyStateEnabled {
		t.Errorf("aws/ebs after refused changes: %s", after.KeyMetadata.KeyState)
	}
	rot, err := k.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(arn)})
	must(t, err)
	if !rot.KeyRotationEnabled || aws.ToInt32(rot.RotationPeriodInDays) != 365 {
		t.Errorf("aws/ebs rotation %+v, want yearly", rot)
	}
	tags, err := k.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: aws.String(arn)})
	must(t, err)
	if len(tags.Tags) != 0 {
		t.Errorf("aws/ebs tags %+v after a refused TagResource", tags.Tags)
	}
	mine, err := k.CreateKey(ctx, &kms.CreateKeyInput{})
	must(t, err)
	_, err = k.DisableKey(ctx, &kms.DisableKeyInput{KeyId: mine.KeyMetadata.KeyId})
	must(t, err)
}

// EBS encryption by default: off at first (the default key named
// alias/aws/ebs); once enabled every new volume is encrypted, even one
// asked unencrypted, and so are a launch's block devices; a default key
// set by alias answers as its key ARN and encrypts later volumes that name
// no key; reset answers the aws/ebs key's ARN; disabled, volumes are
// unencrypted again. The setting is per region.
func TestEBSEncryptionByDefault(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	k := kmsClient(em.URL)
	get, err := c.GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{})
	must(t, err)
	if aws.ToBool(get.EbsEncryptionByDefault) {
		t.Fatal("encryption by default is on in a new account")
	}
	key, err := c.GetEbsDefaultKmsKeyId(ctx, &ec2.GetEbsDefaultKmsKeyIdInput{})
	must(t, err)
	if aws.ToString(key.KmsKeyId) != "alias/aws/ebs" {
		t.Errorf("default key %q, want alias/aws/ebs", aws.ToString(key.KmsKeyId))
	}
	on, err := c.EnableEbsEncryptionByDefault(ctx, &ec2.EnableEbsEncryptionByDefaultInput{})
	must(t, err)
	if !aws.ToBool(on.EbsEncryptionByDefault) {
		t.Errorf("EnableEbsEncryptionByDefault answered %+v", on)
	}
	v, err := c.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(10), Encrypted: aws.Bool(false)})
	must(t, err)
	ebs, err := k.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/ebs")})
	must(t, err)
	if !aws.ToBool(v.Encrypted) || aws.ToString(v.KmsKeyId) != aws.ToString(ebs.KeyMetadata.Arn) {
		t.Errorf("volume asked unencrypted under encryption by default: encrypted %v key %s, want aws/ebs %s",
			aws.ToBool(v.Encrypted), aws.ToString(v.KmsKeyId), aws.ToString(ebs.KeyMetadata.Arn))
	}

	mine, err := k.CreateKey(ctx, &kms.CreateKeyInput{})
	must(t, err)
	_, err = k.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/ebs-default"), TargetKeyId: mine.KeyMetadata.KeyId})
	must(t, err)
	mod, err := c.ModifyEbsDefaultKmsKeyId(ctx, &ec2.ModifyEbsDefaultKmsKeyIdInput{KmsKeyId: aws.String("alias/ebs-default")})
	must(t, err)
	if aws.ToString(mod.KmsKeyId) != aws.ToString(mine.KeyMetadata.Arn) {
		t.Errorf("ModifyEbsDefaultKmsKeyId answered %s, want the key ARN %s", aws.ToString(mod.KmsKeyId), aws.ToString(mine.KeyMetadata.Arn))
	}
	key, err = c.GetEbsDefaultKmsKeyId(ctx, &ec2.GetEbsDefaultKmsKeyIdInput{})
	must(t, err)
	if aws.ToString(key.KmsKeyId) != aws.ToString(mine.KeyMetadata.Arn) {
		t.Errorf("default key after modify %s", aws.ToString(key.KmsKeyId))
	}
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	sub, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	r, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: sub.Subnet.SubnetId})
	must(t, err)
	lv, err := c.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{
		{Name: aws.String("attachment.instance-id"), Values: []string{aws.ToString(r.Instances[0].InstanceId)}}}})
	must(t, err)
	if len(lv.Volumes) != 1 || !aws.ToBool(lv.Volumes[0].Encrypted) || aws.ToString(lv.Volumes[0].KmsKeyId) != aws.ToString(mine.KeyMetadata.Arn) {
		t.Errorf("root volume under encryption by default with a default key: %+v", lv.Volumes)
	}

	reset, err := c.ResetEbsDefaultKmsKeyId(ctx, &ec2.ResetEbsDefaultKmsKeyIdInput{})
	must(t, err)
	if aws.ToString(reset.KmsKeyId) != aws.ToString(ebs.KeyMetadata.Arn) {
		t.Errorf("ResetEbsDefaultKmsKeyId answered %s, want aws/ebs %s", aws.ToString(reset.KmsKeyId), aws.ToString(ebs.KeyMetadata.Arn))
	}
	off, err := c.DisableEbsEncryptionByDefault(ctx, &ec2.DisableEbsEncryptionByDefaultInput{})
	must(t, err)
	if aws.ToBool(off.EbsEncryptionByDefault) {
		t.Errorf("DisableEbsEncryptionByDefault answered %+v", off)
	}
	plain, err := c.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(10)})
	must(t, err)
	if aws.ToBool(plain.Encrypted) || plain.KmsKeyId != nil {
		t.Errorf("a volume after disabling encryption by default: encrypted %v key %v", aws.ToBool(plain.Encrypted), plain.KmsKeyId)
	}
	cw := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL); o.Region = "us-west-2" })
	_, err = c.EnableEbsEncryptionByDefault(ctx, &ec2.EnableEbsEncryptionByDefaultInput{})
	must(t, err)
	west, err := cw.GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{})
	must(t, err)
	if aws.ToBool(west.EbsEncryptionByDefault) {
		t.Error("encryption by default enabled in us-east-1 is on in us-west-2")
	}
}
