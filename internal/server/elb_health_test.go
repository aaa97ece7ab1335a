package server_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// slowClock is an engine clock running at a tenth of the wall clock's
// speed, so that a test sees ELB's transient states (at a 10 ms step an
// ELB second is a millisecond of engine time: here ten of the wall's).
func slowClock() engine.Option {
	start := time.Now()
	return engine.WithClock(func() time.Time { return start.Add(time.Since(start) / 10) })
}

// heldClock is slowClock's clock that a test can also stop (hold), move
// by hand while it is stopped (advance) and start again (release) from
// where it stood: a transient state a test asserts lasts while the clock
// is held, however late a loaded machine polls.
type heldClock struct {
	mu    sync.Mutex
	base  time.Time // the reading when last held or released
	since time.Time // the wall time of the last release
	held  bool
}

// elbSecond is an ELB second of engine time at the tests' 10 ms step.
const elbSecond = time.Millisecond

func newHeldClock() *heldClock { now := time.Now(); return &heldClock{base: now, since: now} }

func (c *heldClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held {
		return c.base
	}
	return c.base.Add(time.Since(c.since) / 10)
}

func (c *heldClock) hold() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.held {
		c.base, c.held = c.base.Add(time.Since(c.since)/10), true
	}
}

// advance moves a held clock on by d.
func (c *heldClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base = c.base.Add(d)
}

func (c *heldClock) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held {
		c.since, c.held = time.Now(), false
	}
}

// targetStates is each target's health as DescribeTargetHealth answers it.
func targetStates(t *testing.T, c *elbv2.Client, tg string, targets ...elbtypes.TargetDescription) map[string]elbtypes.TargetHealth {
	t.Helper()
	out, err := c.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: &tg, Targets: targets})
	must(t, err)
	m := map[string]elbtypes.TargetHealth{}
	for _, d := range out.TargetHealthDescriptions {
		m[aws.ToString(d.Target.Id)] = *d.TargetHealth
	}
	return m
}

func runWeb(t *testing.T, es *estate, subnet string) string {
	t.Helper()
	run, err := es.c.ec2.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: &subnet, SecurityGroupIds: []string{es.open},
		UserData: aws.String("IyEvYmluL2Jhc2gKZG5mIGluc3RhbGwgLXkgbmdpbngKc3lzdGVtY3RsIHN0YXJ0IG5naW54Cg==")}) // nginx on 80
	must(t, err)
	id := aws.ToString(run.Instances[0].InstanceId)
	must(t, ec2.NewInstanceRunningWaiter(es.c.ec2, func(o *ec2.InstanceRunningWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}, waitFor))
	return id
}

// TestTargetHealthTransitions checks ELB's transient target states through
// the Go SDK: a target newly registered with an ALB's target group is
// initial (Elb.RegistrationInProgress) until its first health check, then
// healthy; with an NLB it passes through Elb.InitialHealthChecking until
// HealthyThresholdCount checks passed; a target in a zone the load balancer
// does not have is unused (Target.NotInUse) at once; a deregistered target
// is draining (Target.DeregistrationInProgress), listed, for the
// deregistration delay, then gone; an IP target outside the VPC in a zone
// the ALB lacks is served (its zone is treated as "all") unless the group
// turns cross-zone load balancing off.
func TestTargetHealthTransitions(t *testing.T) {
	t.Parallel()
	clk := newHeldClock()
	em := newEmulator(t, nil, engine.WithClock(clk.now))
	es := newEstateOn(t, em, "t3.micro", 0)
	c := es.c
	sc, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &es.vpc, CidrBlock: aws.String("10.0.3.0/24"), AvailabilityZone: aws.String("us-east-1c")})
	must(t, err)
	a, other := runWeb(t, es, es.subnets[0]), runWeb(t, es, aws.ToString(sc.Subnet.SubnetId))

	alb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("alb"), Subnets: es.subnets,
		SecurityGroups: []string{es.open}, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	must(t, err)
	tgOut, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("web"), Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(80), VpcId: &es.vpc, HealthCheckIntervalSeconds: aws.Int32(30)})
	must(t, err)
	tg := aws.ToString(tgOut.TargetGroups[0].TargetGroupArn)
	_, err = c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(80), DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: &tg}}})
	must(t, err)

	clk.hold() // until the new targets' states are read
	_, err = c.elb.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: &tg, Targets: []elbtypes.TargetDescription{{Id: &a}, {Id: &other}}})
	must(t, err)
	h := targetStates(t, c.elb, tg)
	if got := h[a]; got.State != elbtypes.TargetHealthStateEnumInitial || got.Reason != elbtypes.TargetHealthReasonEnumRegistrationInProgress ||
		aws.ToString(got.Description) != "Target registration is in progress" {
		t.Errorf("a new target: %s %s %q, want initial Elb.RegistrationInProgress", got.State, got.Reason, aws.ToString(got.Description))
	}
	if got := h[other]; got.State != elbtypes.TargetHealthStateEnumUnused || got.Reason != elbtypes.TargetHealthReasonEnumNotInUse ||
		!strings.Contains(aws.ToString(got.Description), "Availability Zone that is not enabled") {
		t.Errorf("a target in us-east-1c: %s %s %q, want unused Target.NotInUse", got.State, got.Reason, aws.ToString(got.Description))
	}
	clk.release()
	eventually(t, "the ALB target becomes healthy", func() bool { return targetStates(t, c.elb, tg)[a].State == elbtypes.TargetHealthStateEnumHealthy })
	if got := targetStates(t, c.elb, tg)[other]; got.State != elbtypes.TargetHealthStateEnumUnused {
		t.Errorf("the target in us-east-1c went %s, want unused", got.State)
	}

	// Deregistration: draining, listed, then gone.
	clk.hold()
	_, err = c.elb.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: &tg, Targets: []elbtypes.TargetDescription{{Id: &a}}})
	must(t, err)
	if got, ok := targetStates(t, c.elb, tg)[a]; !ok || got.State != elbtypes.TargetHealthStateEnumDraining || got.Reason != elbtypes.TargetHealthReasonEnumDeregistrationInProgress ||
		aws.ToString(got.Description) != "Target deregistration is in progress" {
		t.Errorf("a deregistered target: listed %v, %s %s %q, want draining Target.DeregistrationInProgress", ok, got.State, got.Reason, aws.ToString(got.Description))
	}
	clk.release()
	eventually(t, "the drained target leaves the list", func() bool { _, ok := targetStates(t, c.elb, tg)[a]; return !ok })
	if got := targetStates(t, c.elb, tg, elbtypes.TargetDescription{Id: &a})[a]; got.State != elbtypes.TargetHealthStateEnumUnused || got.Reason != elbtypes.TargetHealthReasonEnumNotRegistered {
		t.Errorf("the drained target asked for by id: %s %s, want unused Target.NotRegistered", got.State, got.Reason)
	}

	// An NLB needs HealthyThresholdCount checks: initial, checking, healthy.
	nlb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("nlb"), Subnets: es.subnets,
		Type: elbtypes.LoadBalancerTypeEnumNetwork, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	must(t, err)
	ntgOut, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("tcp"), Protocol: elbtypes.ProtocolEnumTcp,
		Port: aws.Int32(80), VpcId: &es.vpc, HealthCheckIntervalSeconds: aws.Int32(30), HealthyThresholdCount: aws.Int32(3)})
	must(t, err)
	ntg := aws.ToString(ntgOut.TargetGroups[0].TargetGroupArn)
	_, err = c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: nlb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumTcp,
		Port: aws.Int32(80), DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: &ntg}}})
	must(t, err)
	// Held, the clock moves only by hand: registration, the first of
	// the three checks (HealthCheckIntervalSeconds 30 after it), then on.
	clk.hold()
	_, err = c.elb.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: &ntg, Targets: []elbtypes.TargetDescription{{Id: &a}}})
	must(t, err)
	var seen []string
	observe := func() bool {
		got := targetStates(t, c.elb, ntg)[a]
		s := string(got.State) + " " + string(got.Reason)
		if len(seen) == 0 || seen[len(seen)-1] != s {
			seen = append(seen, s)
		}
		return got.State == elbtypes.TargetHealthStateEnumHealthy
	}
	observe()
	clk.advance(31 * elbSecond)
	observe()
	clk.release()
	eventually(t, "the NLB target becomes healthy", observe)
	want := []string{"initial Elb.RegistrationInProgress", "initial Elb.InitialHealthChecking", "healthy "}
	if strings.Join(seen, ", ") != strings.Join(want, ", ") {
		t.Errorf("the NLB target went %q, want %q", seen, want)
	}

	// An IP target outside the VPC, in a zone the ALB does not have.
	ipOut, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("outside"), Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(80), VpcId: &es.vpc, TargetType: elbtypes.TargetTypeEnumIp})
	must(t, err)
	ipTG := aws.ToString(ipOut.TargetGroups[0].TargetGroupArn)
	_, err = c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(8080), DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: &ipTG}}})
	must(t, err)
	_, err = c.elb.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: &ipTG, Targets: []elbtypes.TargetDescription{
		{Id: aws.String("192.168.7.7"), AvailabilityZone: aws.String("us-east-1c")}}})
	must(t, err)
	if got := targetStates(t, c.elb, ipTG)["192.168.7.7"]; got.State == elbtypes.TargetHealthStateEnumUnused {
		t.Errorf("an IP target outside the VPC with cross-zone on: unused %s, want its zone treated as all", got.Reason)
	}
	_, err = c.elb.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: &ipTG, Attributes: []elbtypes.TargetGroupAttribute{
		{Key: aws.String("load_balancing.cross_zone.enabled"), Value: aws.String("false")}}})
	must(t, err)
	if got := targetStates(t, c.elb, ipTG)["192.168.7.7"]; got.State != elbtypes.TargetHealthStateEnumUnused || got.Reason != elbtypes.TargetHealthReasonEnumNotInUse {
		t.Errorf("an IP target outside the VPC with cross-zone off: %s %s, want unused Target.NotInUse", got.State, got.Reason)
	}
}
