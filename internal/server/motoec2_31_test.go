package server_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

// A volume's autoEnableIO attribute is false until ModifyVolumeAttribute
// sets it; productCodes is empty; another attribute is InvalidParameterValue
// and an unknown volume InvalidVolume.NotFound. DescribeVolumeStatus answers
// each volume ok, I/O enabled, io-performance not-applicable but for
// Provisioned IOPS volumes (normal), and its filters select on those
// (botocore's examples-1.json for the three operations).
func TestVolumeAttributeAndStatus(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	gp, err := c.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(10)})
	must(t, err)
	io, err := c.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1b"), Size: aws.Int32(10),
		VolumeType: ec2types.VolumeTypeIo2, Iops: aws.Int32(3000)})
	must(t, err)

	attr, err := c.DescribeVolumeAttribute(ctx, &ec2.DescribeVolumeAttributeInput{VolumeId: gp.VolumeId, Attribute: ec2types.VolumeAttributeNameAutoEnableIO})
	must(t, err)
	if aws.ToString(attr.VolumeId) != aws.ToString(gp.VolumeId) || attr.AutoEnableIO == nil || aws.ToBool(attr.AutoEnableIO.Value) {
		t.Fatalf("autoEnableIO of a new volume: %+v, want false", attr)
	}
	_, err = c.ModifyVolumeAttribute(ctx, &ec2.ModifyVolumeAttributeInput{VolumeId: gp.VolumeId, AutoEnableIO: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(t, err)
	attr, err = c.DescribeVolumeAttribute(ctx, &ec2.DescribeVolumeAttributeInput{VolumeId: gp.VolumeId, Attribute: ec2types.VolumeAttributeNameAutoEnableIO})
	must(t, err)
	if attr.AutoEnableIO == nil || !aws.ToBool(attr.AutoEnableIO.Value) {
		t.Errorf("autoEnableIO after ModifyVolumeAttribute: %+v, want true", attr.AutoEnableIO)
	}
	codes, err := c.DescribeVolumeAttribute(ctx, &ec2.DescribeVolumeAttributeInput{VolumeId: gp.VolumeId, Attribute: ec2types.VolumeAttributeNameProductCodes})
	must(t, err)
	if len(codes.ProductCodes) != 0 || codes.AutoEnableIO != nil {
		t.Errorf("productCodes: %+v", codes)
	}
	wantCode := func(err error, code string) {
		t.Helper()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != code {
			t.Errorf("error %v, want %s", err, code)
		}
	}
	_, err = c.DescribeVolumeAttribute(ctx, &ec2.DescribeVolumeAttributeInput{VolumeId: gp.VolumeId, Attribute: "size"})
	wantCode(err, "InvalidParameterValue")
	_, err = c.DescribeVolumeAttribute(ctx, &ec2.DescribeVolumeAttributeInput{VolumeId: aws.String("vol-0123456789abcdef0"), Attribute: ec2types.VolumeAttributeNameAutoEnableIO})
	wantCode(err, "InvalidVolume.NotFound")
	_, err = c.ModifyVolumeAttribute(ctx, &ec2.ModifyVolumeAttributeInput{VolumeId: aws.String("vol-0123456789abcdef0"), AutoEnableIO: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	wantCode(err, "InvalidVolume.NotFound")

	st, err := c.DescribeVolumeStatus(ctx, &ec2.DescribeVolumeStatusInput{VolumeIds: []string{aws.ToString(gp.VolumeId), aws.ToString(io.VolumeId)}})
	must(t, err)
	if len(st.VolumeStatuses) != 2 {
		t.Fatalf("statuses %+v, want 2", st.VolumeStatuses)
	}
	for _, s := range st.VolumeStatuses {
		perf := "not-applicable"
		zone := "us-east-1a"
		if aws.ToString(s.VolumeId) == aws.ToString(io.VolumeId) {
			perf, zone = "normal", "us-east-1b"
		}
		d := s.VolumeStatus.Details
		if s.VolumeStatus.Status != ec2types.VolumeStatusInfoStatusOk || aws.ToString(s.AvailabilityZone) != zone || len(d) != 2 ||
			d[0].Name != ec2types.VolumeStatusNameIoEnabled || aws.ToString(d[0].Status) != "passed" ||
			d[1].Name != ec2types.VolumeStatusNameIoPerformance || aws.ToString(d[1].Status) != perf {
			t.Errorf("status of %s: %+v %+v", aws.ToString(s.VolumeId), s.VolumeStatus, d)
		}
	}
	imp, err := c.DescribeVolumeStatus(ctx, &ec2.DescribeVolumeStatusInput{Filters: []ec2types.Filter{{Name: aws.String("volume-status.status"), Values: []string{"impaired"}}}})
	must(t, err)
	if len(imp.VolumeStatuses) != 0 {
		t.Errorf("impaired volumes %+v, want none", imp.VolumeStatuses)
	}
	normal, err := c.DescribeVolumeStatus(ctx, &ec2.DescribeVolumeStatusInput{Filters: []ec2types.Filter{{Name: aws.String("volume-status.details-status"), Values: []string{"normal"}}}})
	must(t, err)
	if len(normal.VolumeStatuses) != 1 || aws.ToString(normal.VolumeStatuses[0].VolumeId) != aws.ToString(io.VolumeId) {
		t.Errorf("io-performance normal: %+v, want the io2 volume", normal.VolumeStatuses)
	}
	_, err = c.DescribeVolumeStatus(ctx, &ec2.DescribeVolumeStatusInput{VolumeIds: []string{"vol-0123456789abcdef0"}})
	wantCode(err, "InvalidVolume.NotFound")
}
