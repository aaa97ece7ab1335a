package server_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// TestELBv2AttributeValues: ModifyLoadBalancerAttributes and
// ModifyTargetGroupAttributes take only the values the ELBv2 API reference
// gives for each key (LoadBalancerAttribute, TargetGroupAttribute:
// idle_timeout 1-4000, deregistration_delay 0-3600, slow_start 0 or 30-900,
// true or false, the enumerations); ecsnet stored any string ("4000" s of
// deregistration delay, "abc", "yes"). A stickiness type of another kind of
// load balancer is AWS's InvalidConfigurationRequest "Stickiness type
// 'lb_cookie' is not supported for target groups with the TCP protocol"
// (ansible/ansible#67993), an ALB-only key on a Network Load Balancer
// "Load balancer attribute key 'idle_timeout.timeout_seconds' is not
// supported on load balancers with type 'network'"
// (hashicorp/terraform-provider-aws#3611). A refused request changes
// nothing.
func TestELBv2AttributeValues(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	ctx := context.Background()
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	var subnets []string
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String(fmt.Sprintf("10.0.%d.0/24", i+1)), AvailabilityZone: aws.String(az)})
		if err != nil {
			t.Fatal(err)
		}
		subnets = append(subnets, aws.ToString(s.Subnet.SubnetId))
	}
	alb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("alb"), Subnets: subnets, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	if err != nil {
		t.Fatal(err)
	}
	nlb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("nlb"), Subnets: subnets[:1], Scheme: elbtypes.LoadBalancerSchemeEnumInternal, Type: elbtypes.LoadBalancerTypeEnumNetwork})
	if err != nil {
		t.Fatal(err)
	}
	httpTG, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("web"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: vpc.Vpc.VpcId})
	if err != nil {
		t.Fatal(err)
	}
	tcpTG, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("tcp"), Protocol: elbtypes.ProtocolEnumTcp, Port: aws.Int32(80), VpcId: vpc.Vpc.VpcId})
	if err != nil {
		t.Fatal(err)
	}
	lbAttr := func(arn *string, k, v string) error {
		_, err := c.elb.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: arn,
			Attributes: []elbtypes.LoadBalancerAttribute{{Key: aws.String(k), Value: aws.String(v)}}})
		return err
	}
	tgAttr := func(arn *string, k, v string) error {
		_, err := c.elb.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: arn,
			Attributes: []elbtypes.TargetGroupAttribute{{Key: aws.String(k), Value: aws.String(v)}}})
		return err
	}
	albARN, nlbARN := alb.LoadBalancers[0].LoadBalancerArn, nlb.LoadBalancers[0].LoadBalancerArn
	httpARN, tcpARN := httpTG.TargetGroups[0].TargetGroupArn, tcpTG.TargetGroups[0].TargetGroupArn
	for _, tc := range []struct {
		name, code, msg string
		err             error
	}{
		{"idle timeout 4001", "ValidationError", "Load balancer attribute value '4001' for key 'idle_timeout.timeout_seconds' is not valid", lbAttr(albARN, "idle_timeout.timeout_seconds", "4001")},
		{"idle timeout 0", "ValidationError", "Load balancer attribute value '0' for key 'idle_timeout.timeout_seconds' is not valid", lbAttr(albARN, "idle_timeout.timeout_seconds", "0")},
		{"deletion protection yes", "ValidationError", "Load balancer attribute value 'yes' for key 'deletion_protection.enabled' is not valid", lbAttr(albARN, "deletion_protection.enabled", "yes")},
		{"desync mode", "ValidationError", "Load balancer attribute value 'lenient' for key 'routing.http.desync_mitigation_mode' is not valid", lbAttr(albARN, "routing.http.desync_mitigation_mode", "lenient")},
		{"keep alive 59", "ValidationError", "Load balancer attribute value '59' for key 'client_keep_alive.seconds' is not valid", lbAttr(albARN, "client_keep_alive.seconds", "59")},
		{"idle timeout on an NLB", "InvalidConfigurationRequest", "Load balancer attribute key 'idle_timeout.timeout_seconds' is not supported on load balancers with type 'network'", lbAttr(nlbARN, "idle_timeout.timeout_seconds", "120")},
		{"deregistration delay 4000", "ValidationError", "Target group attribute value '4000' for key 'deregistration_delay.timeout_seconds' is not valid", tgAttr(httpARN, "deregistration_delay.timeout_seconds", "4000")},
		{"deregistration delay abc", "ValidationError", "Target group attribute value 'abc' for key 'deregistration_delay.timeout_seconds' is not valid", tgAttr(tcpARN, "deregistration_delay.timeout_seconds", "abc")},
		{"slow start 10", "ValidationError", "Target group attribute value '10' for key 'slow_start.duration_seconds' is not valid", tgAttr(httpARN, "slow_start.duration_seconds", "10")},
		{"cookie duration 604801", "ValidationError", "Target group attribute value '604801' for key 'stickiness.lb_cookie.duration_seconds' is not valid", tgAttr(httpARN, "stickiness.lb_cookie.duration_seconds", "604801")},
		{"algorithm", "ValidationError", "Target group attribute value 'random' for key 'load_balancing.algorithm.type' is not valid", tgAttr(httpARN, "load_balancing.algorithm.type", "random")},
		{"lb_cookie on TCP", "InvalidConfigurationRequest", "Stickiness type 'lb_cookie' is not supported for target groups with the TCP protocol", tgAttr(tcpARN, "stickiness.type", "lb_cookie")},
		{"source_ip on HTTP", "InvalidConfigurationRequest", "Stickiness type 'source_ip' is not supported for target groups with the HTTP protocol", tgAttr(httpARN, "stickiness.type", "source_ip")},
	} {
		var ae smithy.APIError
		if !errors.As(tc.err, &ae) || ae.ErrorCode() != tc.code || ae.ErrorMessage() != tc.msg {
			t.Errorf("%s: %v, want %s %q", tc.name, tc.err, tc.code, tc.msg)
		}
	}
	// The values AWS takes, the bounds included, are set.
	for _, ok := range []error{
		lbAttr(albARN, "idle_timeout.timeout_seconds", "4000"),
		lbAttr(albARN, "routing.http.desync_mitigation_mode", "strictest"),
		tgAttr(httpARN, "deregistration_delay.timeout_seconds", "0"),
		tgAttr(httpARN, "slow_start.duration_seconds", "30"),
		tgAttr(httpARN, "stickiness.type", "app_cookie"),
		tgAttr(tcpARN, "stickiness.type", "source_ip"),
		tgAttr(tcpARN, "deregistration_delay.timeout_seconds", "3600"),
	} {
		if ok != nil {
			t.Errorf("a value AWS takes: %v", ok)
		}
	}
	out, err := c.elb.DescribeTargetGroupAttributes(ctx, &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: tcpARN})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range out.Attributes {
		if aws.ToString(a.Key) == "stickiness.type" && aws.ToString(a.Value) != "source_ip" ||
			aws.ToString(a.Key) == "deregistration_delay.timeout_seconds" && aws.ToString(a.Value) != "3600" {
			t.Errorf("TCP target group: %s = %s after the refused requests", aws.ToString(a.Key), aws.ToString(a.Value))
		}
	}
}
