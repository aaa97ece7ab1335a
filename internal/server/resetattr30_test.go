package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestResetInstanceAttribute: resetting sourceDestCheck turns the check
// back on (a NAT instance's switched off); kernel needs a stopped
// instance; an attribute EC2 does not reset is refused.
func TestResetInstanceAttribute(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.33.0.0/16")})
	must(t, err)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.33.1.0/24")})
	must(t, err)
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: s.Subnet.SubnetId})
	must(t, err)
	id := r.Instances[0].InstanceId
	check := func() bool {
		t.Helper()
		a, err := e.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: id, Attribute: ec2types.InstanceAttributeNameSourceDestCheck})
		must(t, err)
		return aws.ToBool(a.SourceDestCheck.Value)
	}
	_, err = e.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: id, SourceDestCheck: &ec2types.AttributeBooleanValue{Value: aws.Bool(false)}})
	must(t, err)
	if check() {
		t.Fatal("the check is still on after ModifyInstanceAttribute")
	}
	_, err = e.ResetInstanceAttribute(ctx, &ec2.ResetInstanceAttributeInput{InstanceId: id, Attribute: ec2types.InstanceAttributeNameSourceDestCheck})
	must(t, err)
	if !check() {
		t.Error("the check is off after ResetInstanceAttribute")
	}
	eventually(t, "running", func() bool {
		d, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{aws.ToString(id)}})
		return err == nil && d.Reservations[0].Instances[0].State.Name == ec2types.InstanceStateNameRunning
	})
	_, err = e.ResetInstanceAttribute(ctx, &ec2.ResetInstanceAttributeInput{InstanceId: id, Attribute: ec2types.InstanceAttributeNameKernel})
	wantAPIError(t, err, "IncorrectInstanceState", "The instance '"+aws.ToString(id)+"' is not in the 'stopped' state.")
	_, err = e.ResetInstanceAttribute(ctx, &ec2.ResetInstanceAttributeInput{InstanceId: id, Attribute: ec2types.InstanceAttributeNameInstanceType})
	wantAPIError(t, err, "InvalidParameterValue", "Value (instanceType) for parameter attribute is invalid. Only kernel, ramdisk and sourceDestCheck can be reset.")
}
