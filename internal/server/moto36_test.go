package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// A DHCP options id that is not dopt-… is InvalidDhcpOptionsId.Malformed
// with AWS's own text, "The dhcp-options ID 'default' is malformed"
// (aws-samples/aws-control-tower-account-setup-using-step-functions#9:
// DeleteDhcpOptions of a VPC's "default" set); AssociateDhcpOptions still
// takes "default" to mean no options.
func TestDhcpOptionsMalformedText36(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	_, err := c.DeleteDhcpOptions(ctx, &ec2.DeleteDhcpOptionsInput{DhcpOptionsId: aws.String("default")})
	wantErrorPart32(t, err, "InvalidDhcpOptionsId.Malformed", "The dhcp-options ID 'default' is malformed")
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	_, err = c.AssociateDhcpOptions(ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: aws.String("foo"), VpcId: vpc.Vpc.VpcId})
	wantErrorPart32(t, err, "InvalidDhcpOptionsId.Malformed", "The dhcp-options ID 'foo' is malformed")
	_, err = c.AssociateDhcpOptions(ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: aws.String("default"), VpcId: vpc.Vpc.VpcId})
	must(t, err)
	_, err = c.DeleteDhcpOptions(ctx, &ec2.DeleteDhcpOptionsInput{DhcpOptionsId: aws.String("dopt-0123456789abcdef0")})
	wantErrorPart32(t, err, "InvalidDhcpOptionID.NotFound", "dopt-0123456789abcdef0")
}

// CreateEgressOnlyInternetGateway refuses a VPC id that is not vpc- and 8
// or 17 hexadecimal digits as InvalidVpcId.Malformed "The vpc ID … is
// malformed" (AWS answered vpc-012345678 so, ansible-collections/
// community.aws#1475); a well-formed id no VPC has is InvalidVpcID.NotFound.
func TestEgressOnlyGatewayMalformedVpc36(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	for _, id := range []string{"vpc-012345678", "vpc-says-what", "vpc-ABCDEF12", "foo"} {
		_, err := c.CreateEgressOnlyInternetGateway(ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: aws.String(id)})
		wantErrorPart32(t, err, "InvalidVpcId.Malformed", "The vpc ID "+id+" is malformed")
	}
	for _, id := range []string{"vpc-0123456789abcdef0", "vpc-abcd1234"} {
		_, err := c.CreateEgressOnlyInternetGateway(ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: aws.String(id)})
		wantErrorPart32(t, err, "InvalidVpcID.NotFound", id)
	}
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	g, err := c.CreateEgressOnlyInternetGateway(ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: vpc.Vpc.VpcId})
	must(t, err)
	if a := g.EgressOnlyInternetGateway.Attachments; len(a) != 1 || aws.ToString(a[0].VpcId) != aws.ToString(vpc.Vpc.VpcId) || a[0].State != ec2types.AttachmentStatusAttached {
		t.Errorf("attachments %+v", a)
	}
}
