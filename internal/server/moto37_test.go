package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Every EC2 call that takes security group ids checks their form before it
// looks them up: a value that is not sg-… is InvalidGroupId.Malformed
// "Invalid id: "x" (expecting "sg-...")", as RunInstances already answered
// (AWS: RevokeSecurityGroupIngress with a group name, genevieve/leftovers#7;
// AWS::EC2::SecurityGroupIngress SourceSecurityGroupId
// "012345678901/sg-…", serverless/serverless#12688; DescribeSecurityGroups
// GroupIds, ingenieux/beanstalker#126). CreateNetworkInterface,
// ModifyNetworkInterfaceAttribute, ModifyInstanceAttribute,
// DescribeSecurityGroups and a rule's UserIdGroupPairs GroupId answered
// InvalidGroup.NotFound before; a well-formed id no group has still does.
func TestSecurityGroupIDForm37(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	sub, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.0.0/24")})
	must(t, err)
	malformed := func(err error, id string) {
		t.Helper()
		wantErrorPart32(t, err, "InvalidGroupId.Malformed", `Invalid id: "`+id+`" (expecting "sg-...")`)
	}

	_, err = c.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: sub.Subnet.SubnetId, Groups: []string{"testgroup"}})
	malformed(err, "testgroup")
	_, err = c.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: sub.Subnet.SubnetId, Groups: []string{"sg-0123456789abcdef0"}})
	wantErrorPart32(t, err, "InvalidGroup.NotFound", "sg-0123456789abcdef0")
	eni, err := c.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: sub.Subnet.SubnetId})
	must(t, err)
	_, err = c.ModifyNetworkInterfaceAttribute(ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: eni.NetworkInterface.NetworkInterfaceId, Groups: []string{"web"}})
	malformed(err, "web")

	run, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12c6146b"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: sub.Subnet.SubnetId})
	must(t, err)
	_, err = c.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: run.Instances[0].InstanceId, Groups: []string{"web"}})
	malformed(err, "web")

	_, err = c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"web"}})
	malformed(err, "web")
	_, err = c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-0123456789abcdef0"}})
	wantErrorPart32(t, err, "InvalidGroup.NotFound", "sg-0123456789abcdef0")

	sg, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web"), VpcId: vpc.Vpc.VpcId})
	must(t, err)
	pair := func(id string) []ec2types.IpPermission {
		return []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80),
			UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(id)}}}}
	}
	_, err = c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg.GroupId, IpPermissions: pair("012345678901/sg-0123456789abcdef")})
	malformed(err, "012345678901/sg-0123456789abcdef")
	_, err = c.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: sg.GroupId, IpPermissions: pair("web")})
	malformed(err, "web")
	_, err = c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg.GroupId, IpPermissions: pair(aws.ToString(sg.GroupId))})
	must(t, err)
	// An empty GroupId is malformed too, with the text AWS gives it
	// (systeminit/si#3042); no GroupId nor GroupName is a missing parameter.
	_, err = c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(""), IpPermissions: pair(aws.ToString(sg.GroupId))})
	wantErrorPart32(t, err, "InvalidGroupId.Malformed", "The security-group ID '' is malformed")
	_, err = c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{IpPermissions: pair(aws.ToString(sg.GroupId))})
	wantErrorPart32(t, err, "MissingParameter", "groupName or groupId")

	// The group's own id is taken everywhere the names were refused.
	_, err = c.ModifyNetworkInterfaceAttribute(ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: eni.NetworkInterface.NetworkInterfaceId, Groups: []string{aws.ToString(sg.GroupId)}})
	must(t, err)
	out, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{aws.ToString(sg.GroupId)}})
	must(t, err)
	if len(out.SecurityGroups) != 1 || len(out.SecurityGroups[0].IpPermissions) != 1 {
		t.Errorf("groups %+v", out.SecurityGroups)
	}
}

// DescribeInstances checks its ids' form first: a value that is not i-… is
// InvalidInstanceID.Malformed "Invalid id: "ma1"" (its own text, without
// the expected form; ClusterLabs/cluster-glue#29, mbailey/bash-my-aws#149,
// aws-quickstart/quickstart-confluent-kafka#50), not InvalidInstanceID.NotFound;
// a well-formed id no instance has stays not found.
func TestDescribeInstancesMalformedID37(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	sub, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.0.0/24")})
	must(t, err)
	run, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12c6146b"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: sub.Subnet.SubnetId})
	must(t, err)
	id := aws.ToString(run.Instances[0].InstanceId)
	for _, bad := range []string{"ma1", "AWS::EC2::Instance", "unknown"} {
		_, err = c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id, bad}})
		wantErrorPart32(t, err, "InvalidInstanceID.Malformed", `Invalid id: "`+bad+`"`)
	}
	_, err = c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id, "i-1234abcd"}})
	wantErrorPart32(t, err, "InvalidInstanceID.NotFound", "i-1234abcd")
	out, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
	must(t, err)
	if len(out.Reservations) != 1 || len(out.Reservations[0].Instances) != 1 {
		t.Errorf("reservations %+v", out.Reservations)
	}
}
