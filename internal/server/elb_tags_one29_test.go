package server_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	clb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	clbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// AddTags and RemoveTags take a list, but tag one resource a request:
// ELBv2 answers two ARNs with ValidationError "Only one resource can be
// tagged at a time" (aws/aws-sdk-go-v2#2715), the Classic API two names with
// "Exactly 1 LoadBalancerName can be specified"
// (cloud-custodian/cloud-custodian#192). Neither tags either resource;
// DescribeTags still describes several.
func TestELBTagOneResourceAtATime(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	classic := classicClient(em.URL)
	ctx := context.Background()
	refused := func(op string, err error, msg string) {
		t.Helper()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" || ae.ErrorMessage() != msg {
			t.Errorf("%s of two resources: got %v, want ValidationError %q", op, err, msg)
		}
	}

	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	var arns []string
	for _, name := range []string{"one", "two"} {
		tg, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: elbtypes.ProtocolEnumHttp,
			Port: aws.Int32(80), VpcId: vpc.Vpc.VpcId, Tags: []elbtypes.Tag{{Key: aws.String("keep"), Value: aws.String("x")}}})
		must(t, err)
		arns = append(arns, aws.ToString(tg.TargetGroups[0].TargetGroupArn))
	}
	_, err = c.elb.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: arns, Tags: []elbtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	refused("ELBv2 AddTags", err, "Only one resource can be tagged at a time")
	_, err = c.elb.RemoveTags(ctx, &elbv2.RemoveTagsInput{ResourceArns: arns, TagKeys: []string{"keep"}})
	refused("ELBv2 RemoveTags", err, "Only one resource can be tagged at a time")
	out, err := c.elb.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: arns})
	must(t, err)
	for _, d := range out.TagDescriptions {
		if len(d.Tags) != 1 || aws.ToString(d.Tags[0].Key) != "keep" {
			t.Errorf("%s: tags %v after the refused calls, want only keep", aws.ToString(d.ResourceArn), d.Tags)
		}
	}
	_, err = c.elb.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: arns[:1], Tags: []elbtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	must(t, err)

	subnet, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	names := []string{"web", "api"}
	for _, n := range names {
		_, err := classic.CreateLoadBalancer(ctx, &clb.CreateLoadBalancerInput{LoadBalancerName: aws.String(n), Subnets: []string{aws.ToString(subnet.Subnet.SubnetId)},
			Listeners: []clbtypes.Listener{{Protocol: aws.String("TCP"), LoadBalancerPort: 80, InstancePort: aws.Int32(80)}},
			Tags:      []clbtypes.Tag{{Key: aws.String("keep"), Value: aws.String("x")}}})
		must(t, err)
	}
	_, err = classic.AddTags(ctx, &clb.AddTagsInput{LoadBalancerNames: names, Tags: []clbtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	refused("Classic AddTags", err, "Exactly 1 LoadBalancerName can be specified")
	_, err = classic.RemoveTags(ctx, &clb.RemoveTagsInput{LoadBalancerNames: names, Tags: []clbtypes.TagKeyOnly{{Key: aws.String("keep")}}})
	refused("Classic RemoveTags", err, "Exactly 1 LoadBalancerName can be specified")
	cout, err := classic.DescribeTags(ctx, &clb.DescribeTagsInput{LoadBalancerNames: names})
	must(t, err)
	for _, d := range cout.TagDescriptions {
		if len(d.Tags) != 1 || aws.ToString(d.Tags[0].Key) != "keep" {
			t.Errorf("%s: tags %v after the refused calls, want only keep", aws.ToString(d.LoadBalancerName), d.Tags)
		}
	}
	_, err = classic.RemoveTags(ctx, &clb.RemoveTagsInput{LoadBalancerNames: names[:1], Tags: []clbtypes.TagKeyOnly{{Key: aws.String("keep")}}})
	must(t, err)
}
