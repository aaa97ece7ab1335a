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

// TestAttachedLaterIsAdded checks through the Go SDK the states Auto
// Scaling lists a load balancer attached to an existing group in
// (DescribeLoadBalancerTargetGroups, DescribeLoadBalancers,
// DescribeTrafficSources): Added once the group's instances are
// registered; with health check type ELB, InService once an instance
// passes the load balancer's health check, and Added while none does;
// with health check type EC2, Added however healthy the instances are.
// One given at the group's creation is InService from the start. A
// traffic source of type elb is a Classic Load Balancer, and a call naming
// one that does not exist attaches nothing.
func TestAttachedLaterIsAdded(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil, slowClock())
	es := newEstateOn(t, em, "t3.micro", 0)
	c, elb := es.c, classicClient(em.URL)

	// Health checks 300 s apart: 3 s on this clock, long enough to see
	// the states before the first check.
	alb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("alb"), Subnets: es.subnets,
		SecurityGroups: []string{es.open}, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	must(t, err)
	targetGroup := func(name string, port int32) string {
		out, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: elbtypes.ProtocolEnumHttp,
			Port: aws.Int32(port), VpcId: &es.vpc, HealthCheckIntervalSeconds: aws.Int32(300), HealthCheckTimeoutSeconds: aws.Int32(10)})
		must(t, err)
		arn := aws.ToString(out.TargetGroups[0].TargetGroupArn)
		_, err = c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp,
			Port: aws.Int32(port), DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: &arn}}})
		must(t, err)
		return arn
	}
	web, dead, given := targetGroup("web", 80), targetGroup("dead", 8080), targetGroup("given", 81) // nginx listens on 80 only
	_, err = elb.CreateLoadBalancer(ctx, &clb.CreateLoadBalancerInput{LoadBalancerName: aws.String("classic"), Subnets: es.subnets,
		SecurityGroups: []string{es.open}, Scheme: aws.String("internal"),
		Listeners: []clbtypes.Listener{{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstanceProtocol: aws.String("HTTP"), InstancePort: aws.Int32(80)}}})
	must(t, err)
	_, err = elb.ConfigureHealthCheck(ctx, &clb.ConfigureHealthCheckInput{LoadBalancerName: aws.String("classic"), HealthCheck: &clbtypes.HealthCheck{
		Target: aws.String("HTTP:80/"), Interval: aws.Int32(150), Timeout: aws.Int32(5), HealthyThreshold: aws.Int32(2), UnhealthyThreshold: aws.Int32(2)}})
	must(t, err)
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("web"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
			SecurityGroupIds: []string{es.open}, UserData: aws.String("IyEvYmluL2Jhc2gKZG5mIGluc3RhbGwgLXkgbmdpbngKc3lzdGVtY3RsIHN0YXJ0IG5naW54Cg==")}}) // nginx on 80
	must(t, err)
	group := func(name, check string, tgs ...string) {
		_, err := c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String(name),
			LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId},
			MinSize:        aws.Int32(1), MaxSize: aws.Int32(1), DesiredCapacity: aws.Int32(1), VPCZoneIdentifier: aws.String(es.subnets[0]),
			HealthCheckType: aws.String(check), HealthCheckGracePeriod: aws.Int32(3600), TargetGroupARNs: tgs})
		must(t, err)
		eventually(t, name+" has an instance InService", func() bool {
			g := tfGroup(t, c, name)
			return len(g.Instances) == 1 && g.Instances[0].LifecycleState == asgtypes.LifecycleStateInService
		})
	}
	group("elb", "ELB", given)
	group("ec2", "EC2")

	// states is each load balancer's state as the three Describe calls
	// list it, keyed by call and id.
	states := func(name string) map[string]string {
		t.Helper()
		m := map[string]string{}
		tgs, err := c.asg.DescribeLoadBalancerTargetGroups(ctx, &autoscaling.DescribeLoadBalancerTargetGroupsInput{AutoScalingGroupName: &name})
		must(t, err)
		for _, x := range tgs.LoadBalancerTargetGroups {
			m["tg "+aws.ToString(x.LoadBalancerTargetGroupARN)] = aws.ToString(x.State)
		}
		lbs, err := c.asg.DescribeLoadBalancers(ctx, &autoscaling.DescribeLoadBalancersInput{AutoScalingGroupName: &name})
		must(t, err)
		for _, x := range lbs.LoadBalancers {
			m["clb "+aws.ToString(x.LoadBalancerName)] = aws.ToString(x.State)
		}
		ts, err := c.asg.DescribeTrafficSources(ctx, &autoscaling.DescribeTrafficSourcesInput{AutoScalingGroupName: &name})
		must(t, err)
		for _, x := range ts.TrafficSources {
			m[aws.ToString(x.Type)+" "+aws.ToString(x.Identifier)] = aws.ToString(x.State)
		}
		return m
	}
	want := func(name string, w map[string]string) func() bool {
		return func() bool {
			got := states(name)
			for k, v := range w {
				if got[k] != v {
					return false
				}
			}
			return len(got) == len(w)
		}
	}

	// A traffic source that does not exist: nothing is attached.
	_, err = c.asg.AttachTrafficSources(ctx, &autoscaling.AttachTrafficSourcesInput{AutoScalingGroupName: aws.String("elb"),
		TrafficSources: []asgtypes.TrafficSourceIdentifier{{Identifier: &web, Type: aws.String("elbv2")}, {Identifier: aws.String("nope"), Type: aws.String("elb")}}})
	if err == nil {
		t.Fatal("AttachTrafficSources with a Classic Load Balancer that does not exist: no error")
	}
	if got := states("elb"); len(got) != 2 || got["tg "+given] != "InService" || got["elbv2 "+given] != "InService" {
		t.Fatalf("after a failed AttachTrafficSources: %v, want only %s InService (given at creation)", got, given)
	}

	for _, g := range []string{"elb", "ec2"} {
		_, err = c.asg.AttachLoadBalancerTargetGroups(ctx, &autoscaling.AttachLoadBalancerTargetGroupsInput{AutoScalingGroupName: aws.String(g),
			TargetGroupARNs: []string{web, dead}})
		must(t, err)
		_, err = c.asg.AttachTrafficSources(ctx, &autoscaling.AttachTrafficSourcesInput{AutoScalingGroupName: aws.String(g),
			TrafficSources: []asgtypes.TrafficSourceIdentifier{{Identifier: aws.String("classic"), Type: aws.String("elb")}}})
		must(t, err)
	}
	// Before the first health check: Added.
	added := map[string]string{"tg " + web: "Added", "elbv2 " + web: "Added", "tg " + dead: "Added", "elbv2 " + dead: "Added",
		"clb classic": "Added", "elb classic": "Added"}
	if got := states("ec2"); !want("ec2", added)() {
		t.Errorf("attached to group ec2: %v, want %v", got, added)
	}
	added["tg "+given], added["elbv2 "+given] = "InService", "InService"
	if got := states("elb"); !want("elb", added)() {
		t.Errorf("attached to group elb before the first health check: %v, want %v", got, added)
	}

	// Health check type ELB: InService once the instance passes; the
	// target group whose check fails stays Added.
	inService := map[string]string{"tg " + web: "InService", "elbv2 " + web: "InService", "tg " + dead: "Added", "elbv2 " + dead: "Added",
		"clb classic": "InService", "elb classic": "InService", "tg " + given: "InService", "elbv2 " + given: "InService"}
	eventually(t, "group elb's load balancers InService but dead", want("elb", inService))
	// Group ec2's own instance passes its checks on its own schedule
	// (it was registered apart from group elb's): wait for it too.
	id := aws.ToString(tfGroup(t, c, "ec2").Instances[0].InstanceId)
	eventually(t, "group ec2's instance healthy in target group web and InService behind classic", func() bool {
		return targetStates(t, c.elb, web)[id].State == elbtypes.TargetHealthStateEnumHealthy &&
			aws.ToString(classicStates(t, elb, "classic")[id].State) == "InService"
	})
	// Health check type EC2: Added however healthy.
	delete(added, "tg "+given)
	delete(added, "elbv2 "+given)
	if got := states("ec2"); !want("ec2", added)() {
		t.Errorf("group ec2 with healthy instances: %v, want %v", got, added)
	}
}
