package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/ecsnet/ecsnet/internal/store/mem"
)

// Security group names are of the default VPC's groups only: a name of a
// group in another VPC is not found "in default VPC 'vpc-…'", the error
// naming that VPC (aws/aws-cli#612); without a default VPC a name is
// refused as AWS refuses it (gruntwork-io/kubergrunt#106).
func TestSecurityGroupNamesDefaultVpc(t *testing.T) {
	em := newAccount(t, mem.New())
	e := sdkClients(em.URL).ec2
	def := aws.ToString(defaultVpcOf(t, e).VpcId)
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	_, err = e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("other"), Description: aws.String("d"), VpcId: v.Vpc.VpcId})
	must(t, err)
	g, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("mine"), Description: aws.String("d")})
	must(t, err)

	_, err = e.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupNames: []string{"other"}})
	wantAPIError(t, err, "InvalidGroup.NotFound", "The security group 'other' does not exist in default VPC '"+def+"'")
	d, err := e.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupNames: []string{"mine"}})
	must(t, err)
	if len(d.SecurityGroups) != 1 || aws.ToString(d.SecurityGroups[0].GroupId) != aws.ToString(g.GroupId) {
		t.Fatalf("GroupNames [mine]: %+v", d.SecurityGroups)
	}

	blank := sdkClients(newEmulator(t, nil).URL).ec2
	const noDefault = "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC."
	_, err = blank.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupName: aws.String("web")})
	wantAPIError(t, err, "VPCIdNotSpecified", noDefault)
	_, err = blank.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupNames: []string{"web"}})
	wantAPIError(t, err, "VPCIdNotSpecified", noDefault)
}
