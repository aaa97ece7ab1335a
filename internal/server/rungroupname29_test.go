package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsnet/ecsnet/internal/store/mem"
)

// RunInstances names security groups (SecurityGroups) only without a
// subnet: with SubnetId, in the default VPC or another, it is
// InvalidParameterCombination "The parameter groupName cannot be used with
// the parameter subnet" (aws/aws-cli#2453, aws/aws-sdk#401), and nothing
// is launched; the same groups by id launch.
func TestRunInstancesGroupNameWithSubnet(t *testing.T) {
	em := newAccount(t, mem.New())
	e := sdkClients(em.URL).ec2
	vpc, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
	must(t, err)
	sub, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.9.1.0/24")})
	must(t, err)
	defaults, err := e.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("default-for-az"), Values: []string{"true"}}}})
	must(t, err)
	if len(defaults.Subnets) == 0 {
		t.Fatal("no default subnet")
	}
	run := func(subnet string, in ec2.RunInstancesInput) error {
		in.ImageId, in.MinCount, in.MaxCount, in.InstanceType = aws.String(testAMI), aws.Int32(1), aws.Int32(1), ec2types.InstanceTypeT3Micro
		in.SubnetId = aws.String(subnet)
		_, err := e.RunInstances(ctx, &in)
		return err
	}
	for _, subnet := range []string{aws.ToString(sub.Subnet.SubnetId), aws.ToString(defaults.Subnets[0].SubnetId)} {
		wantAPIError(t, run(subnet, ec2.RunInstancesInput{SecurityGroups: []string{"default"}}),
			"InvalidParameterCombination", "The parameter groupName cannot be used with the parameter subnet")
	}
	out, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
	must(t, err)
	if len(out.Reservations) != 0 {
		t.Fatalf("a refused launch left %d reservations", len(out.Reservations))
	}
	g, err := e.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{aws.ToString(vpc.Vpc.VpcId)}}, {Name: aws.String("group-name"), Values: []string{"default"}}}})
	must(t, err)
	must(t, run(aws.ToString(sub.Subnet.SubnetId), ec2.RunInstancesInput{SecurityGroupIds: []string{aws.ToString(g.SecurityGroups[0].GroupId)}}))
}
