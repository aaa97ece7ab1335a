package server_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// ModifyLoadBalancerAttributes refuses a value out of the attribute's
// range or set as ELB does (idle_timeout.timeout_seconds 1-4000,
// client_keep_alive.seconds 60-604800, the desync and X-Forwarded-For
// modes' words, true or false for an .enabled key), and a refused call
// changes nothing; values within the range are kept.
func TestLoadBalancerAttributeValueRanges(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	ctx := context.Background()
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	var subnets []string
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String([]string{"10.0.1.0/24", "10.0.2.0/24"}[i]), AvailabilityZone: aws.String(az)})
		must(t, err)
		subnets = append(subnets, aws.ToString(s.Subnet.SubnetId))
	}
	lb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: subnets, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	must(t, err)
	arn := lb.LoadBalancers[0].LoadBalancerArn
	modify := func(kv ...string) error {
		var attrs []elbtypes.LoadBalancerAttribute
		for i := 0; i < len(kv); i += 2 {
			attrs = append(attrs, elbtypes.LoadBalancerAttribute{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
		}
		_, err := c.elb.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: arn, Attributes: attrs})
		return err
	}
	get := func() map[string]string {
		out, err := c.elb.DescribeLoadBalancerAttributes(ctx, &elbv2.DescribeLoadBalancerAttributesInput{LoadBalancerArn: arn})
		must(t, err)
		m := map[string]string{}
		for _, a := range out.Attributes {
			m[aws.ToString(a.Key)] = aws.ToString(a.Value)
		}
		return m
	}
	must(t, modify("idle_timeout.timeout_seconds", "4000", "client_keep_alive.seconds", "60", "routing.http.desync_mitigation_mode", "strictest"))
	for _, bad := range [][2]string{
		{"idle_timeout.timeout_seconds", "0"},
		{"idle_timeout.timeout_seconds", "4001"},
		{"idle_timeout.timeout_seconds", "sixty"},
		{"client_keep_alive.seconds", "59"},
		{"client_keep_alive.seconds", "604801"},
		{"routing.http.desync_mitigation_mode", "strict"},
		{"routing.http.xff_header_processing.mode", "drop"},
		{"deletion_protection.enabled", "yes"},
		{"routing.http2.enabled", "on"},
	} {
		// The bad attribute after a good one: nothing is applied.
		err := modify("idle_timeout.timeout_seconds", "120", bad[0], bad[1])
		want := "Load balancer attribute value '" + bad[1] + "' for key '" + bad[0] + "' is not valid"
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" || ae.ErrorMessage() != want {
			t.Errorf("%s=%s: %v, want ValidationError %q", bad[0], bad[1], err, want)
		}
	}
	got := get()
	if got["idle_timeout.timeout_seconds"] != "4000" || got["client_keep_alive.seconds"] != "60" || got["routing.http.desync_mitigation_mode"] != "strictest" {
		t.Errorf("attributes after the refused calls: %v", got)
	}
}
