package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// A VPC's Amazon-provided IPv6 block is public Amazon space advertised from
// the Region's network border group, in DescribeVpcs as in the association
// AssociateVpcCidrBlock answers.
func TestVpcAmazonIPv6BlockFields(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	must(t, err)
	v2, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")})
	must(t, err)
	a, err := e.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: v2.Vpc.VpcId, AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	must(t, err)
	check := func(what string, b ec2types.VpcIpv6CidrBlockAssociation) {
		t.Helper()
		if aws.ToString(b.NetworkBorderGroup) != "us-east-1" || aws.ToString(b.Ipv6Pool) != "Amazon" ||
			b.IpSource != ec2types.IpSourceAmazon || b.Ipv6AddressAttribute != ec2types.Ipv6AddressAttributePublic {
			t.Errorf("%s: %+v", what, b)
		}
	}
	check("AssociateVpcCidrBlock", *a.Ipv6CidrBlockAssociation)
	d, err := e.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{aws.ToString(v.Vpc.VpcId), aws.ToString(v2.Vpc.VpcId)}})
	must(t, err)
	for _, vpc := range d.Vpcs {
		if len(vpc.Ipv6CidrBlockAssociationSet) != 1 {
			t.Fatalf("DescribeVpcs %s: %+v", aws.ToString(vpc.VpcId), vpc.Ipv6CidrBlockAssociationSet)
		}
		check("DescribeVpcs "+aws.ToString(vpc.VpcId), vpc.Ipv6CidrBlockAssociationSet[0])
	}
}
