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
	r, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: sub.Subnet.SubnetId,
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
