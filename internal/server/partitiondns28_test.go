package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/ecsnet/ecsnet/internal/server"
)

// In the China regions every AWS DNS name ends in amazonaws.com.cn: load
// balancers' (ALB internal-NAME-N.cn-north-1.elb.amazonaws.com.cn, NLB
// NAME-ID.elb.cn-north-1.amazonaws.com.cn, Classic NAME-N.cn-north-1.elb.amazonaws.com.cn)
// and the region's domain in the global-infrastructure parameters.
func TestLoadBalancerDNSNamesInChina(t *testing.T) {
	em := newEmulatorWith(t, server.Options{Region: "cn-north-1"})
	cfg := sdkConfig()
	cfg.Region = "cn-north-1"
	c := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	var subnets []string
	for i, az := range []string{"cn-north-1a", "cn-north-1b"} {
		s, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String([]string{"10.0.1.0/24", "10.0.2.0/24"}[i]), AvailabilityZone: aws.String(az)})
		if err != nil {
			t.Fatal(err)
		}
		subnets = append(subnets, aws.ToString(s.Subnet.SubnetId))
	}
	v2 := elasticloadbalancingv2.NewFromConfig(cfg, func(o *elasticloadbalancingv2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	for _, lb := range []struct {
		typ    elbv2types.LoadBalancerTypeEnum
		suffix string
	}{
		{elbv2types.LoadBalancerTypeEnumApplication, ".cn-north-1.elb.amazonaws.com.cn"},
		{elbv2types.LoadBalancerTypeEnumNetwork, ".elb.cn-north-1.amazonaws.com.cn"},
	} {
		out, err := v2.CreateLoadBalancer(ctx, &elasticloadbalancingv2.CreateLoadBalancerInput{Name: aws.String("lb-" + string(lb.typ)),
			Type: lb.typ, Scheme: elbv2types.LoadBalancerSchemeEnumInternal, Subnets: subnets})
		if err != nil {
			t.Fatal(err)
		}
		if n := aws.ToString(out.LoadBalancers[0].DNSName); !strings.HasSuffix(n, lb.suffix) {
			t.Errorf("%s load balancer DNS name %s, want …%s", lb.typ, n, lb.suffix)
		}
	}
	classic := elb.NewFromConfig(cfg, func(o *elb.Options) { o.BaseEndpoint = aws.String(em.URL) })
	out, err := classic.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("classic"), Subnets: subnets[:1],
		Listeners: []elbtypes.Listener{{Protocol: aws.String("TCP"), LoadBalancerPort: 80, InstancePort: aws.Int32(80)}}})
	if err != nil {
		t.Fatal(err)
	}
	if n := aws.ToString(out.DNSName); !strings.HasSuffix(n, ".cn-north-1.elb.amazonaws.com.cn") {
		t.Errorf("Classic Load Balancer DNS name %s", n)
	}
	p, err := ssm.NewFromConfig(cfg, func(o *ssm.Options) { o.BaseEndpoint = aws.String(em.URL) }).GetParameter(ctx,
		&ssm.GetParameterInput{Name: aws.String("/aws/service/global-infrastructure/regions/cn-north-1/domain")})
	if err != nil {
		t.Fatal(err)
	}
	if v := aws.ToString(p.Parameter.Value); v != "amazonaws.com.cn" {
		t.Errorf("the region's domain parameter is %q", v)
	}
}

// A new UDP or TCP_UDP target group terminates its connections at the end
// of deregistration by default; TCP (and the other NLB protocols) do not
// (botocore's elbv2 model: "For new UDP/TCP_UDP target groups the default
// is true. Otherwise, the default is false.").
func TestNLBConnectionTerminationDefault(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	for proto, want := range map[elbv2types.ProtocolEnum]string{
		elbv2types.ProtocolEnumUdp: "true", elbv2types.ProtocolEnumTcpUdp: "true", elbv2types.ProtocolEnumTcp: "false", elbv2types.ProtocolEnumTls: "false",
	} {
		tg, err := c.elb.CreateTargetGroup(ctx, &elasticloadbalancingv2.CreateTargetGroupInput{Name: aws.String("g-" + strings.ReplaceAll(string(proto), "_", "-")),
			Protocol: proto, Port: aws.Int32(53), VpcId: vpc.Vpc.VpcId, TargetType: elbv2types.TargetTypeEnumIp})
		if err != nil {
			t.Fatal(err)
		}
		attrs, err := c.elb.DescribeTargetGroupAttributes(ctx, &elasticloadbalancingv2.DescribeTargetGroupAttributesInput{TargetGroupArn: tg.TargetGroups[0].TargetGroupArn})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, a := range attrs.Attributes {
			if aws.ToString(a.Key) == "deregistration_delay.connection_termination.enabled" {
				got = aws.ToString(a.Value)
			}
		}
		if got != want {
			t.Errorf("%s target group: deregistration_delay.connection_termination.enabled = %q, want %q", proto, got, want)
		}
	}
}
