package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// CreateSecurityGroup checks the form of VpcId before it looks the VPC up:
// vpc- followed by anything but 8 or 17 lowercase hexadecimal digits is
// InvalidVpcId.Malformed "The vpc ID 'vpc-xxxxxxxx' is malformed", as AWS
// answered an aws CLI session's `create-security-group --vpc-id
// vpc-xxxxxxxx` (2026-05). ecsnet answered InvalidVpcID.NotFound before. A
// well-formed id no VPC has is still NotFound, an id without the prefix
// still "Invalid id: … (expecting "vpc-...")", and a VPC that exists is
// taken whatever its id looks like.
func TestCreateSecurityGroupMalformedVpc38(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	create := func(vpc string) error {
		_, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web"), VpcId: aws.String(vpc)})
		return err
	}
	for _, id := range []string{"vpc-xxxxxxxx", "vpc-012345678", "vpc-0123456789ABCDEF0", "vpc-says-what"} {
		wantErrorPart32(t, create(id), "InvalidVpcId.Malformed", "The vpc ID '"+id+"' is malformed")
	}
	wantErrorPart32(t, create("vpc-0123456789abcdef0"), "InvalidVpcID.NotFound", "vpc-0123456789abcdef0")
	wantErrorPart32(t, create("vpc-12345678"), "InvalidVpcID.NotFound", "vpc-12345678")
	wantErrorPart32(t, create("MalformedVpcId"), "InvalidVpcID.Malformed", `Invalid id: "MalformedVpcId" (expecting "vpc-...")`)
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	must(t, create(aws.ToString(vpc.Vpc.VpcId)))
}

// DescribeVpcs, DescribeSubnets, DescribeInternetGateways,
// DescribeNetworkInterfaces and DescribeRouteTables answer an id without
// the resource's prefix EC2's malformed-id error, as DescribeInstances
// ("Invalid id: "ma1"", ClusterLabs/cluster-glue#29) and
// DescribeSecurityGroups (ingenieux/beanstalker#126) do; they answered
// NotFound before. An id with the prefix that no resource has stays
// NotFound, hexadecimal or not (AWS answered DescribeSubnets' `subnet-xyz`
// InvalidSubnetID.NotFound, moosefs/moosefs-csi#1; moto's tests name
// `vpc-does_not_exist` so), and a resource that exists is found whatever
// its id looks like.
func TestDescribeMalformedIDs38(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	sub, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.0.0/24")})
	must(t, err)
	eni, err := c.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: sub.Subnet.SubnetId})
	must(t, err)
	rt, err := c.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpc.Vpc.VpcId})
	must(t, err)
	igw, err := c.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	must(t, err)

	cases := []struct {
		prefix, malformed, notFound string
		describe                    func(id string) error
	}{
		{"vpc", "InvalidVpcID.Malformed", "InvalidVpcID.NotFound", func(id string) error {
			_, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{aws.ToString(vpc.Vpc.VpcId), id}})
			return err
		}},
		{"subnet", "InvalidSubnetID.Malformed", "InvalidSubnetID.NotFound", func(id string) error {
			_, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{aws.ToString(sub.Subnet.SubnetId), id}})
			return err
		}},
		{"eni", "InvalidNetworkInterfaceID.Malformed", "InvalidNetworkInterfaceID.NotFound", func(id string) error {
			_, err := c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{aws.ToString(eni.NetworkInterface.NetworkInterfaceId), id}})
			return err
		}},
		{"rtb", "InvalidRouteTableID.Malformed", "InvalidRouteTableID.NotFound", func(id string) error {
			_, err := c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{aws.ToString(rt.RouteTable.RouteTableId), id}})
			return err
		}},
		{"igw", "InvalidInternetGatewayID.Malformed", "InvalidInternetGatewayID.NotFound", func(id string) error {
			_, err := c.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{InternetGatewayIds: []string{aws.ToString(igw.InternetGateway.InternetGatewayId), id}})
			return err
		}},
	}
	for _, tc := range cases {
		for _, id := range []string{"foo", "not-an-id", tc.prefix + "-"} {
			wantErrorPart32(t, tc.describe(id), tc.malformed, `Invalid id: "`+id+`" (expecting "`+tc.prefix+`-...")`)
		}
		for _, id := range []string{tc.prefix + "-0123456789abcdef0", tc.prefix + "-does_not_exist"} {
			wantErrorPart32(t, tc.describe(id), tc.notFound, "'"+id+"' does not exist")
		}
	}
	// The resources themselves are found.
	out, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{aws.ToString(sub.Subnet.SubnetId)}})
	must(t, err)
	if len(out.Subnets) != 1 {
		t.Errorf("subnets %+v", out.Subnets)
	}
}
