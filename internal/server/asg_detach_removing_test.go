package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	clb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	clbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// TestDetachedLoadBalancersAreRemoving checks through the Go SDK what an
// Auto Scaling group lists after DetachLoadBalancerTargetGroups and
// DetachLoadBalancers: the detached target group
// (DescribeLoadBalancerTargetGroups, DescribeTrafficSources) and Classic
// Load Balancer (DescribeLoadBalancers) in state Removing while the
// group's instance drains from them (deregistration delay, connection
// draining), then no longer; a target group attached again while
// Removing is Added (health check type EC2), listed once.
func TestDetachedLoadBalancersAreRemoving(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil, slowClock())
	es := newEstateOn(t, em, "t3.micro", 0)
	c, elb := es.c, classicClient(em.URL)
	tg := albTargetGroup(t, es, "removing")
	other := albTargetGroup(t, es, "again")
	for _, arn := range []string{tg, other} {
		_, err := c.elb.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(arn),
			Attributes: []elbtypes.TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("20")}}})
		must(t, err)
	}
	_, err := elb.CreateLoadBalancer(ctx, &clb.CreateLoadBalancerInput{LoadBalancerName: aws.String("classic"), Subnets: es.subnets,
		SecurityGroups: []string{es.open}, Scheme: aws.String("internal"),
		Listeners: []clbtypes.Listener{{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstanceProtocol: aws.String("HTTP"), InstancePort: aws.Int32(80)}}})
	must(t, err)
	_, err = elb.ModifyLoadBalancerAttributes(ctx, &clb.ModifyLoadBalancerAttributesInput{LoadBalancerName: aws.String("classic"),
		LoadBalancerAttributes: &clbtypes.LoadBalancerAttributes{ConnectionDraining: &clbtypes.ConnectionDraining{Enabled: true, Timeout: aws.Int32(20)}}})
	must(t, err)
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("web"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
			SecurityGroupIds: []string{es.open}}})
	must(t, err)
	group := aws.String("web")
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: group,
		LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId},
		MinSize:        aws.Int32(1), MaxSize: aws.Int32(1), DesiredCapacity: aws.Int32(1), VPCZoneIdentifier: aws.String(es.subnets[0]),
		TargetGroupARNs: []string{tg, other}, LoadBalancerNames: []string{"classic"}})
	must(t, err)

	// states is each attached or detached load balancer's state as the
	// three Describe calls list it ("" when not listed; "twice" when
	// listed more than once).
	type listed struct{ targetGroups, trafficSources, classic map[string]string }
	states := func() listed {
		t.Helper()
		l := listed{map[string]string{}, map[string]string{}, map[string]string{}}
		put := func(m map[string]string, k, v string) {
			if _, ok := m[k]; ok {
				v = "twice"
			}
			m[k] = v
		}
		tgs, err := c.asg.DescribeLoadBalancerTargetGroups(ctx, &autoscaling.DescribeLoadBalancerTargetGroupsInput{AutoScalingGroupName: group})
		must(t, err)
		for _, x := range tgs.LoadBalancerTargetGroups {
			put(l.targetGroups, aws.ToString(x.LoadBalancerTargetGroupARN), aws.ToString(x.State))
		}
		ts, err := c.asg.DescribeTrafficSources(ctx, &autoscaling.DescribeTrafficSourcesInput{AutoScalingGroupName: group})
		must(t, err)
		for _, x := range ts.TrafficSources {
			put(l.trafficSources, aws.ToString(x.Identifier), aws.ToString(x.State))
		}
		lbs, err := c.asg.DescribeLoadBalancers(ctx, &autoscaling.DescribeLoadBalancersInput{AutoScalingGroupName: group})
		must(t, err)
		for _, x := range lbs.LoadBalancers {
			put(l.classic, aws.ToString(x.LoadBalancerName), aws.ToString(x.State))
		}
		return l
	}
	var id string
	eventually(t, "the instance is registered with both load balancers", func() bool {
		g := tfGroup(t, c, "web")
		if len(g.Instances) != 1 || g.Instances[0].LifecycleState != asgtypes.LifecycleStateInService {
			return false
		}
		id = aws.ToString(g.Instances[0].InstanceId)
		_, target := targetStates(t, c.elb, tg)[id]
		_, classic := classicStates(t, elb, "classic")[id]
		return target && classic
	})

	_, err = c.asg.DetachLoadBalancerTargetGroups(ctx, &autoscaling.DetachLoadBalancerTargetGroupsInput{AutoScalingGroupName: group, TargetGroupARNs: []string{tg, other}})
	must(t, err)
	_, err = c.asg.DetachLoadBalancers(ctx, &autoscaling.DetachLoadBalancersInput{AutoScalingGroupName: group, LoadBalancerNames: []string{"classic"}})
	must(t, err)
	if got := targetStates(t, c.elb, tg)[id]; got.State != elbtypes.TargetHealthStateEnumDraining {
		t.Fatalf("after DetachLoadBalancerTargetGroups the instance's target is %q, want draining", got.State)
	}
	l := states()
	if l.targetGroups[tg] != "Removing" || l.trafficSources[tg] != "Removing" || l.classic["classic"] != "Removing" {
		t.Errorf("while the instance drains: target groups %v, traffic sources %v, Classic Load Balancers %v; want the detached ones Removing",
			l.targetGroups, l.trafficSources, l.classic)
	}

	// Attached again while Removing: Added (the group's health check type
	// is EC2), listed once.
	_, err = c.asg.AttachLoadBalancerTargetGroups(ctx, &autoscaling.AttachLoadBalancerTargetGroupsInput{AutoScalingGroupName: group, TargetGroupARNs: []string{other}})
	must(t, err)
	if l := states(); l.targetGroups[other] != "Added" || l.trafficSources[other] != "Added" {
		t.Errorf("attached again: %s is %q (traffic sources %q), want Added once", other, l.targetGroups[other], l.trafficSources[other])
	}

	eventually(t, "the instance drains from the detached load balancers", func() bool {
		_, target := targetStates(t, c.elb, tg)[id]
		_, classic := classicStates(t, elb, "classic")[id]
		return !target && !classic
	})
	eventually(t, "the detached load balancers are no longer listed", func() bool {
		l := states()
		_, a := l.targetGroups[tg]
		_, b := l.trafficSources[tg]
		_, d := l.classic["classic"]
		return !a && !b && !d
	})
	if l := states(); len(l.targetGroups) != 1 || l.targetGroups[other] != "Added" {
		t.Errorf("after draining: target groups %v, want only %s Added", l.targetGroups, other)
	}
}
