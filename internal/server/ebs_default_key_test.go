package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// An encrypted volume created without KmsKeyId is encrypted with the
// account's AWS managed key aws/ebs, which EC2 creates on first use: KMS
// then describes it by alias/aws/ebs (KeyManager AWS), and later encrypted
// volumes use the same key. A volume that is not encrypted names no key.
func TestEBSDefaultKMSKey(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	k := kmsClient(em.URL)
	if _, err := k.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/ebs")}); apiCode(err) != "NotFoundException" {
		t.Errorf("aws/ebs before any encrypted volume: %v", err)
	}
	plain, err := c.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(10)})
	must(t, err)
	if plain.KmsKeyId != nil {
		t.Errorf("an unencrypted volume names key %s", aws.ToString(plain.KmsKeyId))
	}
	v1, err := c.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(10), Encrypted: aws.Bool(true)})
	must(t, err)
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
	keys, err := k.ListKeys(ctx, &kms.ListKeysInput{})
	must(t, err)
	if len(keys.Keys) != 1 {
		t.Errorf("keys %d, want the one aws/ebs key", len(keys.Keys))
	}
}
