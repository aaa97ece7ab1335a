package server_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestNatGatewayFailsLater checks through the Go SDK that CreateNatGateway
// answers pending whatever will fail it, and that the gateway then fails
// with AWS's FailureCode and FailureMessage and stays listed: a public NAT
// gateway in a VPC without an internet gateway (Gateway.NotAttached), and
// one whose Elastic IP another gateway holds (Resource.AlreadyAssociated).
func TestNatGatewayFailsLater(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	v, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
	must(t, err)
	s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.9.1.0/24")})
	must(t, err)
	eip, err := c.ec2.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc})
	must(t, err)
	failsLater := func(out *ec2.CreateNatGatewayOutput, code, msg string) {
		t.Helper()
		ng := out.NatGateway
		if ng.State != ec2types.NatGatewayStatePending || ng.FailureCode != nil {
			t.Errorf("CreateNatGateway answered %s %s, want pending", ng.State, aws.ToString(ng.FailureCode))
		}
		id := aws.ToString(ng.NatGatewayId)
		var got ec2types.NatGateway
		eventually(t, "the NAT gateway fails", func() bool {
			d, err := c.ec2.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}})
			must(t, err)
			got = d.NatGateways[0]
			return got.State != ec2types.NatGatewayStatePending
		})
		if got.State != ec2types.NatGatewayStateFailed || aws.ToString(got.FailureCode) != code || aws.ToString(got.FailureMessage) != msg {
			t.Errorf("the NAT gateway went %s %s %q, want failed %s %q", got.State, aws.ToString(got.FailureCode), aws.ToString(got.FailureMessage), code, msg)
		}
		time.Sleep(100 * time.Millisecond) // steps later, still there
		d, err := c.ec2.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{Filter: []ec2types.Filter{{Name: aws.String("state"), Values: []string{"failed"}}}})
		must(t, err)
		listed := false
		for _, n := range d.NatGateways {
			listed = listed || aws.ToString(n.NatGatewayId) == id
		}
		if !listed {
			t.Errorf("the failed NAT gateway %s is not listed", id)
		}
	}
	out, err := c.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: s.Subnet.SubnetId, AllocationId: eip.AllocationId})
	must(t, err)
	failsLater(out, "Gateway.NotAttached", "Network "+aws.ToString(v.Vpc.VpcId)+" has no Internet gateway attached")
	// Its address is free again: with an internet gateway, a gateway takes it.
	igw, err := c.ec2.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	must(t, err)
	_, err = c.ec2.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw.InternetGateway.InternetGatewayId, VpcId: v.Vpc.VpcId})
	must(t, err)
	first, err := c.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: s.Subnet.SubnetId, AllocationId: eip.AllocationId})
	must(t, err)
	must(t, ec2.NewNatGatewayAvailableWaiter(c.ec2, func(o *ec2.NatGatewayAvailableWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{aws.ToString(first.NatGateway.NatGatewayId)}}, waitFor))
	out, err = c.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: s.Subnet.SubnetId, AllocationId: eip.AllocationId})
	must(t, err)
	failsLater(out, "Resource.AlreadyAssociated", "Elastic IP address ["+aws.ToString(eip.AllocationId)+"] is already associated")
}
