package server_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// TestDeletedNatGatewayListedForAnHour checks through the Go SDK that a
// deleted NAT gateway stays listed, state deleted, and is gone about an
// hour later (an engine clock the test moves on).
func TestDeletedNatGatewayListedForAnHour(t *testing.T) {
	t.Parallel()
	var skew atomic.Int64
	em := newEmulator(t, nil, engine.WithClock(func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }))
	c := sdkClients(em.URL)
	v, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
	must(t, err)
	s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.9.1.0/24")})
	must(t, err)
	ng, err := c.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: s.Subnet.SubnetId, ConnectivityType: ec2types.ConnectivityTypePrivate})
	must(t, err)
	id := aws.ToString(ng.NatGateway.NatGatewayId)
	state := func() ec2types.NatGatewayState {
		d, err := c.ec2.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{Filter: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{aws.ToString(v.Vpc.VpcId)}}}})
		must(t, err)
		for _, g := range d.NatGateways {
			if aws.ToString(g.NatGatewayId) == id {
				return g.State
			}
		}
		return ""
	}
	eventually(t, "the NAT gateway is available", func() bool { return state() == ec2types.NatGatewayStateAvailable })
	_, err = c.ec2.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: &id})
	must(t, err)
	skew.Store(int64(50 * time.Minute))
	time.Sleep(100 * time.Millisecond) // steps run
	if got := state(); got != ec2types.NatGatewayStateDeleted {
		t.Errorf("50 minutes after its deletion the NAT gateway is %q, want listed, deleted", got)
	}
	skew.Store(int64(61 * time.Minute))
	eventually(t, "the deleted NAT gateway leaves the list", func() bool { return state() == "" })
}
