package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Gaps the real Terraform AWS provider (5.100) found when applying the
// configurations under scripts/terraform-apply/configs (round twenty-two).

// TestTFApply22InstanceUefiData: the provider's aws_ami data source calls
// GetInstanceUefiData with the image's id and ignores the error; EC2
// answers an id that is not an instance's InvalidInstanceID.Malformed (it
// was a 501), a missing instance NotFound, and an instance its id.
func TestTFApply22InstanceUefiData(t *testing.T) {
	t.Parallel()
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	_, err := c.ec2.GetInstanceUefiData(ctx, &ec2.GetInstanceUefiDataInput{InstanceId: aws.String("ami-0c1f2a3b4d5e6f708")})
	wantAPIError(t, err, "InvalidInstanceID.Malformed", `Invalid id: "ami-0c1f2a3b4d5e6f708" (expecting "i-...")`)
	_, err = c.ec2.GetInstanceUefiData(ctx, &ec2.GetInstanceUefiDataInput{InstanceId: aws.String("i-0123456789abcdef0")})
	wantAPIError(t, err, "InvalidInstanceID.NotFound", "The instance ID 'i-0123456789abcdef0' does not exist")

	subs, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("default-for-az"), Values: []string{"true"}}}})
	if err != nil || len(subs.Subnets) == 0 {
		t.Fatalf("default subnets: %v %v", subs, err)
	}
	run, err := c.ec2.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-0c1f2a3b4d5e6f708"), InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: subs.Subnets[0].SubnetId})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(run.Instances[0].InstanceId)
	out, err := c.ec2.GetInstanceUefiData(ctx, &ec2.GetInstanceUefiDataInput{InstanceId: aws.String(id)})
	if err != nil || aws.ToString(out.InstanceId) != id || out.UefiData != nil {
		t.Fatalf("GetInstanceUefiData(%s): %+v %v, want the instance's id and no UEFI data", id, out, err)
	}
}
