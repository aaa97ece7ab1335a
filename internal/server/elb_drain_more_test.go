package server_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	clb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	clbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// classicClient is a Classic Load Balancing (API 2012-06-01) client of
// the emulator at url.
func classicClient(url string) *clb.Client {
	return clb.NewFromConfig(sdkConfig(), func(o *clb.Options) { o.BaseEndpoint = aws.String(url) })
}

// classicStates is each instance's state as DescribeInstanceHealth
// answers it (all registered instances, or those asked for).
func classicStates(t *testing.T, c *clb.Client, name string, ids ...string) map[string]clbtypes.InstanceState {
	t.Helper()
	in := &clb.DescribeInstanceHealthInput{LoadBalancerName: &name}
	for _, id := range ids {
		in.Instances = append(in.Instances, clbtypes.Instance{InstanceId: aws.String(id)})
	}
	out, err := c.DescribeInstanceHealth(ctx, in)
	must(t, err)
	m := map[string]clbtypes.InstanceState{}
	for _, s := range out.InstanceStates {
		m[aws.ToString(s.InstanceId)] = s
	}
	return m
}

// albTargetGroup makes an internal ALB forwarding port 80 to a new
// instance target group (5 s health checks) and returns the group's ARN.
func albTargetGroup(t *testing.T, es *estate, name string) string {
	t.Helper()
	c := es.c
	alb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String(name), Subnets: es.subnets,
		SecurityGroups: []string{es.open}, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	must(t, err)
	tgOut, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(80), VpcId: &es.vpc, HealthCheckIntervalSeconds: aws.Int32(5), HealthCheckTimeoutSeconds: aws.Int32(2)})
	must(t, err)
	tg := aws.ToString(tgOut.TargetGroups[0].TargetGroupArn)
	_, err = c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(80), DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: &tg}}})
	must(t, err)
	return tg
}

// TestStoppedAndTerminatedInstanceTargets checks through the Go SDK what
// DescribeTargetHealth shows of instances stopped and terminated while
// registered: the stopped one stays listed, unused, Target.InvalidState
// "Target is in the stopped state"; the terminated one leaves the list
// and, asked for by id, is draining (Target.DeregistrationInProgress)
// still after a deregistration delay has passed (AWS keeps that answer
// for at least ten minutes), while a target deregistered with
// DeregisterTargets after it drained and left.
func TestStoppedAndTerminatedInstanceTargets(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil, slowClock())
	es := newEstateOn(t, em, "t3.micro", 0)
	c := es.c
	tg := albTargetGroup(t, es, "web")
	stopped, terminated, other := runWeb(t, es, es.subnets[0]), runWeb(t, es, es.subnets[0]), runWeb(t, es, es.subnets[1])
	_, err := c.elb.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: &tg,
		Attributes: []elbtypes.TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("60")}}})
	must(t, err)
	_, err = c.elb.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: &tg,
		Targets: []elbtypes.TargetDescription{{Id: &stopped}, {Id: &terminated}, {Id: &other}}})
	must(t, err)
	eventually(t, "the targets become healthy", func() bool {
		s := targetStates(t, c.elb, tg)
		return s[stopped].State == elbtypes.TargetHealthStateEnumHealthy && s[terminated].State == elbtypes.TargetHealthStateEnumHealthy &&
			s[other].State == elbtypes.TargetHealthStateEnumHealthy
	})

	_, err = c.ec2.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{stopped}})
	must(t, err)
	_, err = c.ec2.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{terminated}})
	must(t, err)
	eventually(t, "the stopped instance is unused, the terminated one gone from the list", func() bool {
		s := targetStates(t, c.elb, tg)
		_, listed := s[terminated]
		return s[stopped].State == elbtypes.TargetHealthStateEnumUnused && !listed
	})
	if got := targetStates(t, c.elb, tg)[stopped]; got.Reason != elbtypes.TargetHealthReasonEnumInvalidState || aws.ToString(got.Description) != "Target is in the stopped state" {
		t.Errorf("the stopped instance: %s %s %q, want unused Target.InvalidState \"Target is in the stopped state\"", got.State, got.Reason, aws.ToString(got.Description))
	}
	byID := elbtypes.TargetDescription{Id: &terminated}
	wantDraining := func(when string) {
		t.Helper()
		got := targetStates(t, c.elb, tg, byID)[terminated]
		if got.State != elbtypes.TargetHealthStateEnumDraining || got.Reason != elbtypes.TargetHealthReasonEnumDeregistrationInProgress ||
			aws.ToString(got.Description) != "Target deregistration is in progress" {
			t.Errorf("the terminated instance asked for by id %s: %s %s %q, want draining Target.DeregistrationInProgress", when, got.State, got.Reason, aws.ToString(got.Description))
		}
	}
	wantDraining("at once")

	// A deregistration delay passes: a target deregistered now drains and
	// leaves; the terminated instance is still draining asked for by id.
	_, err = c.elb.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: &tg, Targets: []elbtypes.TargetDescription{{Id: &other}}})
	must(t, err)
	if got := targetStates(t, c.elb, tg)[other]; got.State != elbtypes.TargetHealthStateEnumDraining {
		t.Errorf("the deregistered target: %s, want draining", got.State)
	}
	eventually(t, "the deregistered target drains and leaves", func() bool { _, ok := targetStates(t, c.elb, tg)[other]; return !ok })
	wantDraining("after a deregistration delay")
	if got := targetStates(t, c.elb, tg)[stopped]; got.State != elbtypes.TargetHealthStateEnumUnused {
		t.Errorf("the stopped instance after a deregistration delay: %s, want unused (still registered)", got.State)
	}
}

// TestClassicConnectionDraining checks through the Go SDK a Classic Load
// Balancer's connection draining: with it enabled, an instance
// DeregisterInstancesFromLoadBalancer takes out leaves the answer's
// instances at once but DescribeInstanceHealth reports it InService,
// "Instance deregistration currently in progress.", until the timeout
// ends; then, asked for by id, OutOfService "Instance is not currently
// registered with the LoadBalancer.". Without draining it leaves at once.
func TestClassicConnectionDraining(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil, slowClock())
	es := newEstateOn(t, em, "t3.micro", 0)
	elb := classicClient(em.URL)
	_, err := elb.CreateLoadBalancer(ctx, &clb.CreateLoadBalancerInput{LoadBalancerName: aws.String("web"), Subnets: es.subnets,
		SecurityGroups: []string{es.open}, Scheme: aws.String("internal"),
		Listeners: []clbtypes.Listener{{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstanceProtocol: aws.String("HTTP"), InstancePort: aws.Int32(80)}}})
	must(t, err)
	a, b := runWeb(t, es, es.subnets[0]), runWeb(t, es, es.subnets[1])
	_, err = elb.RegisterInstancesWithLoadBalancer(ctx, &clb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("web"),
		Instances: []clbtypes.Instance{{InstanceId: &a}, {InstanceId: &b}}})
	must(t, err)
	eventually(t, "the instances are InService", func() bool {
		s := classicStates(t, elb, "web")
		return aws.ToString(s[a].State) == "InService" && aws.ToString(s[b].State) == "InService"
	})

	// Draining off (the default): b leaves at once.
	out, err := elb.DeregisterInstancesFromLoadBalancer(ctx, &clb.DeregisterInstancesFromLoadBalancerInput{LoadBalancerName: aws.String("web"),
		Instances: []clbtypes.Instance{{InstanceId: &b}}})
	must(t, err)
	if len(out.Instances) != 1 || aws.ToString(out.Instances[0].InstanceId) != a {
		t.Errorf("instances after deregistering %s: %+v, want [%s]", b, out.Instances, a)
	}
	if _, listed := classicStates(t, elb, "web")[b]; listed {
		t.Errorf("%s, deregistered without connection draining, is still listed", b)
	}
	if got := classicStates(t, elb, "web", b)[b]; aws.ToString(got.State) != "OutOfService" || aws.ToString(got.Description) != "Instance is not currently registered with the LoadBalancer." {
		t.Errorf("%s asked for by id: %s %q, want OutOfService \"Instance is not currently registered with the LoadBalancer.\"", b, aws.ToString(got.State), aws.ToString(got.Description))
	}

	_, err = elb.ModifyLoadBalancerAttributes(ctx, &clb.ModifyLoadBalancerAttributesInput{LoadBalancerName: aws.String("web"),
		LoadBalancerAttributes: &clbtypes.LoadBalancerAttributes{ConnectionDraining: &clbtypes.ConnectionDraining{Enabled: true, Timeout: aws.Int32(60)}}})
	must(t, err)
	out, err = elb.DeregisterInstancesFromLoadBalancer(ctx, &clb.DeregisterInstancesFromLoadBalancerInput{LoadBalancerName: aws.String("web"),
		Instances: []clbtypes.Instance{{InstanceId: &a}}})
	must(t, err)
	if len(out.Instances) != 0 {
		t.Errorf("instances after deregistering %s: %+v, want none", a, out.Instances)
	}
	got, listed := classicStates(t, elb, "web")[a]
	if !listed || aws.ToString(got.State) != "InService" || aws.ToString(got.Description) != "Instance deregistration currently in progress." {
		t.Errorf("%s draining: listed %v, %s %q, want InService \"Instance deregistration currently in progress.\"", a, listed, aws.ToString(got.State), aws.ToString(got.Description))
	}
	lbs, err := elb.DescribeLoadBalancers(ctx, &clb.DescribeLoadBalancersInput{LoadBalancerNames: []string{"web"}})
	must(t, err)
	if n := len(lbs.LoadBalancerDescriptions[0].Instances); n != 0 {
		t.Errorf("DescribeLoadBalancers lists %d instances while %s drains, want none", n, a)
	}
	eventually(t, "the draining instance leaves", func() bool { _, ok := classicStates(t, elb, "web")[a]; return !ok })
	if got := classicStates(t, elb, "web", a)[a]; aws.ToString(got.State) != "OutOfService" || aws.ToString(got.Description) != "Instance is not currently registered with the LoadBalancer." {
		t.Errorf("%s after draining: %s %q, want OutOfService, not registered", a, aws.ToString(got.State), aws.ToString(got.Description))
	}
}

// TestAutoScalingDrainsBeforeTerminating checks through the Go SDK that
// an Auto Scaling group with a target group and a Classic Load Balancer
// (connection draining on) takes an instance out of service by
// deregistering it first: on scale-in and on
// TerminateInstanceInAutoScalingGroup the instance waits, running, in
// lifecycle state Terminating (its activity WaitingForELBConnectionDraining)
// while its target drains and the Classic Load Balancer drains it, and is
// terminated only once both are done; the replacement (scale-out) is
// registered with both. Detaching the load balancers drains it from them.
func TestAutoScalingDrainsBeforeTerminating(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil, slowClock())
	es := newEstateOn(t, em, "t3.micro", 0)
	c, elb := es.c, classicClient(em.URL)
	tg := albTargetGroup(t, es, "asg")
	_, err := elb.CreateLoadBalancer(ctx, &clb.CreateLoadBalancerInput{LoadBalancerName: aws.String("classic"), Subnets: es.subnets,
		SecurityGroups: []string{es.open}, Scheme: aws.String("internal"),
		Listeners: []clbtypes.Listener{{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstanceProtocol: aws.String("HTTP"), InstancePort: aws.Int32(80)}}})
	must(t, err)
	_, err = elb.ModifyLoadBalancerAttributes(ctx, &clb.ModifyLoadBalancerAttributesInput{LoadBalancerName: aws.String("classic"),
		LoadBalancerAttributes: &clbtypes.LoadBalancerAttributes{ConnectionDraining: &clbtypes.ConnectionDraining{Enabled: true, Timeout: aws.Int32(120)}}})
	must(t, err)
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("web"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
			SecurityGroupIds: []string{es.open}}})
	must(t, err)
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("web"),
		LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId},
		MinSize:        aws.Int32(0), MaxSize: aws.Int32(3), DesiredCapacity: aws.Int32(2), VPCZoneIdentifier: aws.String(es.subnets[0] + "," + es.subnets[1]),
		TargetGroupARNs: []string{tg}, LoadBalancerNames: []string{"classic"}})
	must(t, err)
	inService := func() []string {
		var ids []string
		for _, i := range tfGroup(t, c, "web").Instances {
			if i.LifecycleState == asgtypes.LifecycleStateInService {
				ids = append(ids, aws.ToString(i.InstanceId))
			}
		}
		return ids
	}
	registered := func(id string) (target, classic bool) {
		_, target = targetStates(t, c.elb, tg)[id]
		s, ok := classicStates(t, elb, "classic")[id]
		return target, ok && aws.ToString(s.Description) != "Instance deregistration currently in progress."
	}
	eventually(t, "two instances in service, registered with both load balancers", func() bool {
		ids := inService()
		if len(ids) != 2 {
			return false
		}
		for _, id := range ids {
			if target, classic := registered(id); !target || !classic {
				return false
			}
		}
		return true
	})

	// leaves checks one instance taken out of service: Terminating and
	// running while it drains from both load balancers, terminated only
	// once it is gone from both.
	leaves := func(id, how string) {
		t.Helper()
		var lifecycle asgtypes.LifecycleState
		for _, i := range tfGroup(t, c, "web").Instances {
			if aws.ToString(i.InstanceId) == id {
				lifecycle = i.LifecycleState
			}
		}
		if lifecycle != asgtypes.LifecycleStateTerminating {
			t.Errorf("%s: the instance is %q, want Terminating while it drains", how, lifecycle)
		}
		if got := targetStates(t, c.elb, tg)[id]; got.State != elbtypes.TargetHealthStateEnumDraining {
			t.Errorf("%s: its target is %q, want draining", how, got.State)
		}
		if got := classicStates(t, elb, "classic")[id]; aws.ToString(got.Description) != "Instance deregistration currently in progress." {
			t.Errorf("%s: the Classic Load Balancer says %q, want deregistration in progress", how, aws.ToString(got.Description))
		}
		acts, err := c.asg.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: aws.String("web")})
		must(t, err)
		i := slices.IndexFunc(acts.Activities, func(a asgtypes.Activity) bool { return aws.ToString(a.Description) == "Terminating EC2 instance: "+id })
		if i < 0 || acts.Activities[i].StatusCode != asgtypes.ScalingActivityStatusCodeWaitingForELBConnectionDraining {
			t.Errorf("%s: no activity WaitingForELBConnectionDraining for %s: %+v", how, id, acts.Activities)
		}
		eventually(t, how+": the instance terminates", func() bool {
			d, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
			must(t, err)
			state := d.Reservations[0].Instances[0].State.Name
			target, _ := registered(id)
			_, classic := classicStates(t, elb, "classic")[id]
			if state != ec2types.InstanceStateNameRunning && (target || classic) {
				t.Fatalf("%s: the instance is %s while still registered (target %v, Classic %v)", how, state, target, classic)
			}
			return state == ec2types.InstanceStateNameShuttingDown || state == ec2types.InstanceStateNameTerminated
		})
		acts, err = c.asg.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: aws.String("web")})
		must(t, err)
		i = slices.IndexFunc(acts.Activities, func(a asgtypes.Activity) bool { return aws.ToString(a.Description) == "Terminating EC2 instance: "+id })
		if i < 0 || acts.Activities[i].StatusCode != asgtypes.ScalingActivityStatusCodeSuccessful {
			t.Errorf("%s: the activity for %s is not Successful after the termination", how, id)
		}
	}

	_, err = c.asg.SetDesiredCapacity(ctx, &autoscaling.SetDesiredCapacityInput{AutoScalingGroupName: aws.String("web"), DesiredCapacity: aws.Int32(1)})
	must(t, err)
	var gone string
	eventually(t, "scale-in takes an instance out of service", func() bool {
		for _, i := range tfGroup(t, c, "web").Instances {
			if i.LifecycleState != asgtypes.LifecycleStateInService {
				gone = aws.ToString(i.InstanceId)
			}
		}
		return gone != ""
	})
	leaves(gone, "scale-in")
	if ids := inService(); len(ids) != 1 {
		t.Fatalf("after scale-in: %d instances in service, want 1", len(ids))
	}

	// Without decrementing the capacity: the group launches a replacement
	// and registers it while the old one drains.
	last := inService()[0]
	act, err := c.asg.TerminateInstanceInAutoScalingGroup(ctx, &autoscaling.TerminateInstanceInAutoScalingGroupInput{InstanceId: &last,
		ShouldDecrementDesiredCapacity: aws.Bool(false)})
	must(t, err)
	if act.Activity.StatusCode != asgtypes.ScalingActivityStatusCodeWaitingForELBConnectionDraining {
		t.Errorf("TerminateInstanceInAutoScalingGroup's activity: %s, want WaitingForELBConnectionDraining", act.Activity.StatusCode)
	}
	leaves(last, "TerminateInstanceInAutoScalingGroup")
	eventually(t, "the replacement is in service and registered", func() bool {
		ids := inService()
		if len(ids) != 1 || ids[0] == last {
			return false
		}
		target, classic := registered(ids[0])
		return target && classic
	})

	// Detaching the load balancers drains the group's instance from them
	// too; the instance itself stays in service.
	now := inService()[0]
	_, err = c.asg.DetachLoadBalancerTargetGroups(ctx, &autoscaling.DetachLoadBalancerTargetGroupsInput{AutoScalingGroupName: aws.String("web"), TargetGroupARNs: []string{tg}})
	must(t, err)
	_, err = c.asg.DetachLoadBalancers(ctx, &autoscaling.DetachLoadBalancersInput{AutoScalingGroupName: aws.String("web"), LoadBalancerNames: []string{"classic"}})
	must(t, err)
	if got := targetStates(t, c.elb, tg)[now]; got.State != elbtypes.TargetHealthStateEnumDraining {
		t.Errorf("after DetachLoadBalancerTargetGroups the instance's target is %q, want draining", got.State)
	}
	if got := classicStates(t, elb, "classic")[now]; aws.ToString(got.Description) != "Instance deregistration currently in progress." {
		t.Errorf("after DetachLoadBalancers the Classic Load Balancer says %q, want deregistration in progress", aws.ToString(got.Description))
	}
	eventually(t, "the detached load balancers let the instance go", func() bool {
		_, target := targetStates(t, c.elb, tg)[now]
		_, classic := classicStates(t, elb, "classic")[now]
		return !target && !classic
	})
	if ids := inService(); len(ids) != 1 || ids[0] != now {
		t.Errorf("in service after detaching: %v, want [%s]", ids, now)
	}
}

// TestCapacityProviderWithoutManagedScalingNoInstances checks through the
// Go SDK what ECS answers for a capacity provider whose managed scaling is
// off and whose group has no instance: RunTask is refused
// (InvalidParameterException "No Container Instances were found in your
// capacity provider."), no task waits PROVISIONING and the group is not
// grown; a service under it starts nothing and says so in an event
// ("… was unable to place a task because no container instance met all
// of its requirements. Reason: No Container Instances were found in your
// capacity provider. …").
func TestCapacityProviderWithoutManagedScalingNoInstances(t *testing.T) {
	t.Parallel()
	es := newEstateOn(t, newEmulator(t, nil), "t3.micro", 0)
	c := es.c
	capacityProviders(t, es, []cpGroup{{"manual", 0, 2, false}})
	strategy := []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("manual-cp"), Weight: 1}}
	_, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("work"), CapacityProviderStrategy: strategy})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidParameterException" || ae.ErrorMessage() != "No Container Instances were found in your capacity provider." {
		t.Errorf("RunTask: %v, want InvalidParameterException \"No Container Instances were found in your capacity provider.\"", err)
	}
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("svc"), TaskDefinition: aws.String("work"),
		DesiredCount: aws.Int32(1), CapacityProviderStrategy: strategy})
	must(t, err)
	const want = "service svc was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your capacity provider."
	eventually(t, "the service reports it cannot place its task", func() bool {
		out, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"svc"}})
		must(t, err)
		return slices.ContainsFunc(out.Services[0].Events, func(e ecstypes.ServiceEvent) bool { return strings.HasPrefix(aws.ToString(e.Message), want) })
	})
	tasks, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c")})
	must(t, err)
	if len(tasks.TaskArns) != 0 {
		t.Errorf("tasks %v, want none (nothing waits for capacity without managed scaling)", tasks.TaskArns)
	}
	if d := aws.ToInt32(tfGroup(t, c, "manual").DesiredCapacity); d != 0 {
		t.Errorf("the group's desired capacity is %d, want 0 (managed scaling is off)", d)
	}
}

// TestInstanceRefreshDrains checks through the Go SDK that an instance
// refresh takes the instances it replaces out of service as scale-in
// does: the old instance waits in Terminating while its target drains,
// the refresh is not Successful before it has gone, and it is never
// terminated while its target is listed.
func TestInstanceRefreshDrains(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil, slowClock())
	es := newEstateOn(t, em, "t3.micro", 0)
	c := es.c
	tg := albTargetGroup(t, es, "refresh")
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("refresh"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
			SecurityGroupIds: []string{es.open}}})
	must(t, err)
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("refresh"),
		LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId},
		MinSize:        aws.Int32(1), MaxSize: aws.Int32(2), DesiredCapacity: aws.Int32(1), VPCZoneIdentifier: aws.String(es.subnets[0]),
		TargetGroupARNs: []string{tg}})
	must(t, err)
	var old string
	eventually(t, "the instance is registered", func() bool {
		g := tfGroup(t, c, "refresh")
		if len(g.Instances) != 1 {
			return false
		}
		old = aws.ToString(g.Instances[0].InstanceId)
		_, ok := targetStates(t, c.elb, tg)[old]
		return ok
	})
	ref, err := c.asg.StartInstanceRefresh(ctx, &autoscaling.StartInstanceRefreshInput{AutoScalingGroupName: aws.String("refresh"),
		Preferences: &asgtypes.RefreshPreferences{MinHealthyPercentage: aws.Int32(0), InstanceWarmup: aws.Int32(0)}})
	must(t, err)
	eventually(t, "the old instance is taken out of service", func() bool {
		for _, i := range tfGroup(t, c, "refresh").Instances {
			if aws.ToString(i.InstanceId) == old {
				return i.LifecycleState == asgtypes.LifecycleStateTerminating
			}
		}
		return false
	})
	if got := targetStates(t, c.elb, tg)[old]; got.State != elbtypes.TargetHealthStateEnumDraining {
		t.Errorf("the old instance's target is %q, want draining", got.State)
	}
	eventually(t, "the refresh succeeds", func() bool {
		r := tfRefresh(t, c, "refresh", aws.ToString(ref.InstanceRefreshId))
		d, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{old}})
		must(t, err)
		state := d.Reservations[0].Instances[0].State.Name
		_, listed := targetStates(t, c.elb, tg)[old]
		if state != ec2types.InstanceStateNameRunning && listed {
			t.Fatalf("the old instance is %s while its target is still listed", state)
		}
		if r.Status == asgtypes.InstanceRefreshStatusSuccessful && state == ec2types.InstanceStateNameRunning {
			t.Fatalf("the refresh succeeded while the old instance still runs")
		}
		return r.Status == asgtypes.InstanceRefreshStatusSuccessful
	})
}

// TestClassicServiceNeedsStaticHostPort checks through the Go SDK that ECS
// refuses a bridge service behind a Classic Load Balancer whose container
// port is published on a dynamic host port, with AWS's text, and accepts
// the same service on a static host port.
func TestClassicServiceNeedsStaticHostPort(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	es := newEstateOn(t, em, "t3.micro", 0)
	_, err := classicClient(em.URL).CreateLoadBalancer(ctx, &clb.CreateLoadBalancerInput{LoadBalancerName: aws.String("legacy"), Subnets: es.subnets,
		SecurityGroups: []string{es.open}, Scheme: aws.String("internal"),
		Listeners: []clbtypes.Listener{{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstanceProtocol: aws.String("HTTP"), InstancePort: aws.Int32(8080)}}})
	must(t, err)
	es.taskDef(t, "dynamic", ecstypes.NetworkModeBridge, 0)
	es.taskDef(t, "static", ecstypes.NetworkModeBridge, 8080)
	create := func(family string) error {
		_, err := es.c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String(family), TaskDefinition: aws.String(family),
			DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeEc2,
			LoadBalancers: []ecstypes.LoadBalancer{{LoadBalancerName: aws.String("legacy"), ContainerName: aws.String("web"), ContainerPort: aws.Int32(3000)}}})
		return err
	}
	wantAPIError(t, create("dynamic"), "InvalidParameterException", "A host port mapping for the container port 3000 is required.")
	must(t, create("static"))
	// Moving the service to the dynamic revision is refused alike.
	_, err = es.c.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("static"), TaskDefinition: aws.String("dynamic")})
	wantAPIError(t, err, "InvalidParameterException", "A host port mapping for the container port 3000 is required.")
}
