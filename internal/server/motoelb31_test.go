package server_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	clb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	clbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/aws/smithy-go"
)

// wantAPIError fails the test unless err is the AWS error code with the message.
func wantCLBError(t *testing.T, what string, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code || ae.ErrorMessage() != msg {
		t.Errorf("%s: got %v, want %s %q", what, err, code, msg)
	}
}

// A Classic Load Balancer's listener takes only the policies its protocol
// can use: SetLoadBalancerPoliciesOfListener with a proxy protocol policy
// on an HTTP listener is InvalidConfigurationRequest "<name> cannot be
// enabled" (fog/fog-aws#193; the policy goes to the back-end server), as
// is a stickiness policy on a TCP listener and an SSL negotiation policy
// on an HTTP one (the policy types' descriptions); the listener keeps its
// policies. A policy the load balancer lacks is PolicyNotFound naming both
// (cloud-custodian/cloud-custodian#207).
func TestClassicListenerPolicyTypes(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	classic := classicClient(em.URL)
	ctx := context.Background()

	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	subnet, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	lb := aws.String("web")
	_, err = classic.CreateLoadBalancer(ctx, &clb.CreateLoadBalancerInput{LoadBalancerName: lb, Subnets: []string{aws.ToString(subnet.Subnet.SubnetId)},
		Listeners: []clbtypes.Listener{
			{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstancePort: aws.Int32(8080)},
			{Protocol: aws.String("TCP"), LoadBalancerPort: 81, InstancePort: aws.Int32(8081)},
		}})
	must(t, err)
	_, err = classic.CreateLoadBalancerPolicy(ctx, &clb.CreateLoadBalancerPolicyInput{LoadBalancerName: lb, PolicyName: aws.String("proxy"),
		PolicyTypeName:   aws.String("ProxyProtocolPolicyType"),
		PolicyAttributes: []clbtypes.PolicyAttribute{{AttributeName: aws.String("ProxyProtocol"), AttributeValue: aws.String("true")}}})
	must(t, err)
	_, err = classic.CreateLBCookieStickinessPolicy(ctx, &clb.CreateLBCookieStickinessPolicyInput{LoadBalancerName: lb, PolicyName: aws.String("sticky")})
	must(t, err)
	_, err = classic.CreateLoadBalancerPolicy(ctx, &clb.CreateLoadBalancerPolicyInput{LoadBalancerName: lb, PolicyName: aws.String("tls"),
		PolicyTypeName:   aws.String("SSLNegotiationPolicyType"),
		PolicyAttributes: []clbtypes.PolicyAttribute{{AttributeName: aws.String("Reference-Security-Policy"), AttributeValue: aws.String("ELBSecurityPolicy-TLS-1-2-2017-01")}}})
	must(t, err)

	set := func(port int32, names ...string) error {
		_, err := classic.SetLoadBalancerPoliciesOfListener(ctx, &clb.SetLoadBalancerPoliciesOfListenerInput{LoadBalancerName: lb, LoadBalancerPort: port, PolicyNames: names})
		return err
	}
	must(t, set(80, "sticky"))
	wantCLBError(t, "proxy protocol on HTTP", set(80, "sticky", "proxy"), "InvalidConfigurationRequest", "proxy cannot be enabled")
	wantCLBError(t, "SSL negotiation on HTTP", set(80, "tls"), "InvalidConfigurationRequest", "tls cannot be enabled")
	wantCLBError(t, "stickiness on TCP", set(81, "sticky"), "InvalidConfigurationRequest", "sticky cannot be enabled")
	wantCLBError(t, "proxy protocol on TCP", set(81, "proxy"), "InvalidConfigurationRequest", "proxy cannot be enabled")
	wantCLBError(t, "unknown policy", set(80, "nope"), "PolicyNotFound", "There is no policy with name nope for load balancer web")
	_, err = classic.DescribeLoadBalancerPolicies(ctx, &clb.DescribeLoadBalancerPoliciesInput{LoadBalancerName: lb, PolicyNames: []string{"nope"}})
	wantCLBError(t, "describe unknown policy", err, "PolicyNotFound", "There is no policy with name nope for load balancer web")

	_, err = classic.SetLoadBalancerPoliciesForBackendServer(ctx, &clb.SetLoadBalancerPoliciesForBackendServerInput{LoadBalancerName: lb, InstancePort: aws.Int32(8081), PolicyNames: []string{"proxy"}})
	must(t, err)
	out, err := classic.DescribeLoadBalancers(ctx, &clb.DescribeLoadBalancersInput{LoadBalancerNames: []string{"web"}})
	must(t, err)
	for _, l := range out.LoadBalancerDescriptions[0].ListenerDescriptions {
		want := []string{}
		if l.Listener.LoadBalancerPort == 80 {
			want = []string{"sticky"}
		}
		if len(l.PolicyNames) != len(want) || len(want) == 1 && l.PolicyNames[0] != want[0] {
			t.Errorf("listener %d: policies %v after the refused calls, want %v", l.Listener.LoadBalancerPort, l.PolicyNames, want)
		}
	}
}

// ConfigureHealthCheck with an HTTP target without a path is AWS's
// ValidationError "HealthCheck HTTP Target must specify a port followed by
// a path that begins with a slash. e.g. HTTP:80/ping/this/path" (goamz's
// elb tests against AWS, TestConfigureHealthCheckBadRequest); HTTPS the
// same with its own example; "HTTP:80/" is taken and the load balancer
// keeps no refused target.
func TestClassicHealthCheckTargetPath(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	classic := classicClient(em.URL)
	ctx := context.Background()

	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	subnet, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	lb := aws.String("testlb")
	_, err = classic.CreateLoadBalancer(ctx, &clb.CreateLoadBalancerInput{LoadBalancerName: lb, Subnets: []string{aws.ToString(subnet.Subnet.SubnetId)},
		Listeners: []clbtypes.Listener{{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstancePort: aws.Int32(80)}}})
	must(t, err)
	configure := func(target string) error {
		_, err := classic.ConfigureHealthCheck(ctx, &clb.ConfigureHealthCheckInput{LoadBalancerName: lb, HealthCheck: &clbtypes.HealthCheck{
			Target: aws.String(target), Interval: aws.Int32(30), Timeout: aws.Int32(5), HealthyThreshold: aws.Int32(10), UnhealthyThreshold: aws.Int32(2)}})
		return err
	}
	wantCLBError(t, "HTTP:80", configure("HTTP:80"), "ValidationError",
		"HealthCheck HTTP Target must specify a port followed by a path that begins with a slash. e.g. HTTP:80/ping/this/path")
	wantCLBError(t, "HTTPS:8443", configure("HTTPS:8443"), "ValidationError",
		"HealthCheck HTTPS Target must specify a port followed by a path that begins with a slash. e.g. HTTPS:443/ping/this/path")
	must(t, configure("HTTP:80/"))
	out, err := classic.DescribeLoadBalancers(ctx, &clb.DescribeLoadBalancersInput{LoadBalancerNames: []string{"testlb"}})
	must(t, err)
	if got := aws.ToString(out.LoadBalancerDescriptions[0].HealthCheck.Target); got != "HTTP:80/" {
		t.Errorf("health check target %q, want HTTP:80/", got)
	}
}
