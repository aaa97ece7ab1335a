package server_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// TestRound34bNatGatewaySecondaryAddresses: a stack's
// AWS::EC2::NatGateway with SecondaryAllocationIds and
// SecondaryPrivateIpAddresses, and a private one with
// SecondaryPrivateIpAddressCount, answer DescribeNatGateways with their
// secondary addresses (IsPrimary false, the public one's Elastic IP on
// the address the template names). A count beyond the gateway's 8
// addresses fails the resource and the stack rolls back. Before the
// second sweep of round thirty-four the three properties were skipped:
// each gateway had one address and the count of 8 was created.
func TestRound34bNatGatewaySecondaryAddresses(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body, err := os.ReadFile("../cfn/testdata/sweep34b/nat-secondary.yaml")
	must(t, err)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("nat2"), TemplateBody: aws.String(string(body))})
	must(t, err)
	waitStack(t, cf, aws.ToString(out.StackId), cfntypes.StackStatusCreateComplete)
	outs := stackOutputs(t, cf, "nat2")
	secondary := func(id string) (ips []string, public []string) {
		d, err := c.ec2.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}})
		must(t, err)
		if len(d.NatGateways) != 1 {
			t.Fatalf("DescribeNatGateways %s: %d gateways", id, len(d.NatGateways))
		}
		for _, a := range d.NatGateways[0].NatGatewayAddresses {
			if !aws.ToBool(a.IsPrimary) {
				ips = append(ips, aws.ToString(a.PrivateIp))
				public = append(public, aws.ToString(a.PublicIp))
			}
		}
		return ips, public
	}
	if ips, public := secondary(outs["PublicNat"]); len(ips) != 1 || ips[0] != "10.34.0.20" || public[0] == "" {
		t.Errorf("the public gateway's secondary addresses %v (public %v), want 10.34.0.20 with its Elastic IP", ips, public)
	}
	if ips, _ := secondary(outs["PrivateNat"]); len(ips) != 2 {
		t.Errorf("the private gateway's secondary addresses %v, want SecondaryPrivateIpAddressCount 2", ips)
	}

	// an update changes the count in place (the same gateway), up and down
	for _, n := range []string{"4", "1"} {
		_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("nat2"), UsePreviousTemplate: aws.Bool(true),
			Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("PrivateCount"), ParameterValue: aws.String(n)},
				{ParameterKey: aws.String("PublicSecondaryIp"), UsePreviousValue: aws.Bool(true)}}})
		must(t, err)
		waitStack(t, cf, "nat2", cfntypes.StackStatusUpdateComplete)
		after := stackOutputs(t, cf, "nat2")
		if after["PrivateNat"] != outs["PrivateNat"] {
			t.Errorf("PrivateCount %s replaced the gateway (%s, was %s), want it updated in place", n, after["PrivateNat"], outs["PrivateNat"])
		}
		if ips, _ := secondary(outs["PrivateNat"]); fmt.Sprint(len(ips)) != n {
			t.Errorf("PrivateCount %s: secondary addresses %v", n, ips)
		}
	}

	// and moves the public gateway's secondary address to another Elastic IP
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("nat2"), UsePreviousTemplate: aws.Bool(true),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("PublicSecondaryEip"), ParameterValue: aws.String("Eip3")},
			{ParameterKey: aws.String("PrivateCount"), UsePreviousValue: aws.Bool(true)},
			{ParameterKey: aws.String("PublicSecondaryIp"), UsePreviousValue: aws.Bool(true)}}})
	must(t, err)
	waitStack(t, cf, "nat2", cfntypes.StackStatusUpdateComplete)
	if after := stackOutputs(t, cf, "nat2"); after["PublicNat"] != outs["PublicNat"] {
		t.Errorf("a new SecondaryAllocationIds replaced the gateway (%s, was %s), want it updated in place", after["PublicNat"], outs["PublicNat"])
	}
	d, err := c.ec2.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{outs["PublicNat"]}})
	must(t, err)
	var allocs []string
	for _, a := range d.NatGateways[0].NatGatewayAddresses {
		if !aws.ToBool(a.IsPrimary) {
			allocs = append(allocs, aws.ToString(a.AllocationId)+"@"+aws.ToString(a.PrivateIp))
		}
	}
	if want := outs["Eip3"] + "@10.34.0.20"; len(allocs) != 1 || allocs[0] != want {
		t.Errorf("the public gateway's secondary addresses %v, want %s", allocs, want)
	}
	ad, err := c.ec2.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{outs["Eip2"]}})
	must(t, err)
	if aws.ToString(ad.Addresses[0].AssociationId) != "" {
		t.Errorf("Eip2 is still associated (%s), want it freed", aws.ToString(ad.Addresses[0].AssociationId))
	}

	out, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("nat-too-many"), TemplateBody: aws.String(string(body)),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("PrivateCount"), ParameterValue: aws.String("8")}}})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	if reason := failedEvent(t, cf, id, "PrivateNat"); !strings.Contains(reason, "at most 8 private IPv4 addresses") {
		t.Errorf("PrivateNat with 9 addresses failed with %q, want the gateway's limit of 8", reason)
	}
}
