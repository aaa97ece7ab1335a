package reach

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func albExample(t testing.TB) *engine.Engine { return build(t, repoFile("examples/seed/alb.yaml")) }

// tgARN returns the ARN of the target group named name.
func tgARN(t testing.TB, n *Network, name string) string {
	t.Helper()
	for _, tg := range n.tgOrder {
		if tg.tg.Name == name {
			return tg.tg.ARN
		}
	}
	t.Fatalf("no target group %s", name)
	return ""
}

func TestALB(t *testing.T) {
	t.Run("http 200 through the ALB", func(t *testing.T) {
		n := compileEngine(albExample(t))
		for _, to := range []string{"web-alb:80", "web-alb", n.lbOrder[0].lb.DNSName + ":80"} {
			r := probeSpec(t, n, "internet", to, "tcp")
			checkClean(t, r, HTTP200)
			if r.HTTPStatus != 200 || !r.Reachable {
				t.Errorf("%s: status %d reachable %v", to, r.HTTPStatus, r.Reachable)
			}
			if len(r.Targets) != 1 || !r.Targets[0].Chosen || r.Targets[0].Health != HealthHealthy || r.Targets[0].Name != "web/0" {
				t.Errorf("%s: targets = %+v", to, r.Targets)
			}
			// The ALB opens a new connection from its node's private address.
			tg := hopOf(t, r.Forward, "target-group", "web-tg")
			if tg.Action != ActionForwarded || isPublic(tg.Packet.Source) {
				t.Errorf("%s: target group hop = %+v", to, tg)
			}
			task := hopOf(t, r.Forward, "network-interface", "web/0")
			if task.SecurityGroupRule == nil || task.SecurityGroupRule.ReferencedGroupID == "" {
				t.Errorf("%s: the task's group should admit the ALB's group: %+v", to, task)
			}
			if !strings.HasPrefix(r.Summary, "http 200: web-alb accepts the request on HTTP:80 and forwards it to target ") {
				t.Errorf("%s: summary = %s", to, r.Summary)
			}
		}
	})
	t.Run("http 504 when the task's group does not admit the ALB", func(t *testing.T) {
		e := albExample(t)
		g := groupID(t, e, "task-sg")
		if _, err := e.RevokeSecurityGroup(g, false, []engine.IPPermission{{Protocol: "tcp", FromPort: intp(3000), ToPort: intp(3000),
			Groups: []engine.RuleSource{{Value: string(groupID(t, e, "alb-sg"))}}}}, nil); err != nil {
			t.Fatal(err)
		}
		n := compileEngine(e)
		r := probeSpec(t, n, "internet", "web-alb:80", "tcp")
		got := check(t, r, HTTP504, CodeSGRulesMismatch)
		if x := got[CodeSGRulesMismatch]; x.Component.Name != "task-sg" || x.NetworkInterface.Name != "web/0" {
			t.Errorf("explanation = %+v", x)
		}
		if _, ok := got[CodeALBFailOpen]; !ok {
			t.Errorf("every target is unhealthy, so the ALB fails open: %s", codeList(r))
		}
		if r.Targets[0].Health != HealthUnhealthy || r.Targets[0].Reason != ReasonTimeout {
			t.Errorf("targets = %+v", r.Targets)
		}
		h := TargetHealth(n, tgARN(t, n, "web-tg"))
		if len(h) != 1 || h[0].State != HealthUnhealthy || h[0].Reason != ReasonTimeout || h[0].Description != "Request timed out" || h[0].Name != "web/0" {
			t.Fatalf("target health = %+v", h)
		}
		if h[0].Check == nil || !h[0].Check.HasCode(CodeSGRulesMismatch) || h[0].Check.Verdict != Timeout {
			t.Errorf("health check path = %+v", h[0].Check)
		}
	})
	t.Run("http 502 when the app listens on loopback", func(t *testing.T) {
		n := compileEngine(build(t, "testdata/alb-loopback.yaml"))
		r := probeSpec(t, n, "internet", "web-alb:80", "tcp")
		check(t, r, HTTP502, CodeAppBoundToLoopback)
		if !strings.Contains(r.Summary, "listens on 127.0.0.1:3000") || !strings.Contains(r.Summary, "502 Bad Gateway") {
			t.Errorf("summary = %s", r.Summary)
		}
		h := TargetHealth(n, tgARN(t, n, "web-tg"))
		if len(h) != 1 || h[0].State != HealthUnhealthy || h[0].Reason != ReasonFailedHealthChecks || h[0].Description != "Health checks failed" {
			t.Errorf("target health = %+v", h)
		}
	})
	t.Run("http 503 without targets", func(t *testing.T) {
		n := compileEngine(build(t, "testdata/alb-notargets.yaml"))
		check(t, probeSpec(t, n, "internet", "web-alb:80", "tcp"), HTTP503, CodeNoRegisteredTargets)
		check(t, probeSpec(t, n, "internet", "web-alb:82", "tcp"), HTTP503, CodeNoTargetsInAZ)
		r := probeSpec(t, n, "internet", "web-alb:8080", "tcp")
		checkClean(t, r, HTTPVerdict(404))
		if !r.HasCode(CodeFixedResponse) || r.Reachable != true {
			t.Errorf("fixed response: %s reachable=%v", codeList(r), r.Reachable)
		}
	})
	t.Run("no listener on the port", func(t *testing.T) {
		n := compileEngine(build(t, "testdata/alb-notargets.yaml"))
		r := probeSpec(t, n, "internet", "web-alb:81", "tcp")
		check(t, r, Timeout, CodeListenerPortRestriction)
		if b := r.Blocking(); b[0].Code != CodeListenerPortRestriction || !strings.Contains(b[0].Message, "its listeners: HTTP:80, HTTP:82, HTTP:8080") {
			t.Errorf("blocking = %+v", b)
		}
	})
}

func TestALBFromInside(t *testing.T) {
	n := compileEngine(albExample(t))
	r := probeSpec(t, n, "ecs-asg/0", "web-alb:80", "tcp")
	checkClean(t, r, HTTP200)
	// An internet-facing load balancer's DNS name gives its nodes' public
	// addresses inside its VPC too: the client goes out through the
	// internet gateway and back in (docs/aws-behavior.md).
	if !isPublic(r.Forward[0].Packet.Destination) {
		t.Errorf("inside the VPC the DNS name of an internet-facing load balancer gives public addresses: %v", r.Forward[0].Packet.Destination)
	}
}

func TestTargetHealthStates(t *testing.T) {
	n := compileEngine(build(t, "testdata/alb-notargets.yaml"))
	h := TargetHealth(n, tgARN(t, n, "orphan-tg"))
	if len(h) != 1 || h[0].State != HealthUnused || h[0].Reason != ReasonNotInUse ||
		h[0].Description != "Target group is not configured to receive traffic from the load balancer" {
		t.Errorf("orphan = %+v", h)
	}
	h = TargetHealth(n, tgARN(t, n, "faraway-tg"))
	if len(h) != 1 || h[0].State != HealthUnused || h[0].Reason != ReasonNotInUse ||
		h[0].Description != "Target is in an Availability Zone that is not enabled for the load balancer" {
		t.Errorf("faraway = %+v", h)
	}
	h = TargetHealth(n, tgARN(t, n, "empty-tg"), model.Target{ID: "10.0.1.99", Port: 3000})
	if len(h) != 1 || h[0].State != HealthUnused || h[0].Reason != ReasonNotRegistered || h[0].Description != "Target is not registered to the target group" {
		t.Errorf("not registered = %+v", h)
	}
	if TargetHealth(n, "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/0123456789abcdef") != nil {
		t.Error("an unknown target group has no health")
	}
	a := compileEngine(albExample(t))
	h = TargetHealth(a, tgARN(t, a, "web-tg"))
	if len(h) != 1 || h[0].State != HealthHealthy || h[0].Reason != "" || h[0].HealthCheckPort != "3000" || h[0].Check != nil {
		t.Errorf("healthy = %+v", h)
	}
}

func TestBridgeBehindALB(t *testing.T) {
	n := compileEngine(build(t, "testdata/modes.yaml"))
	r := probeSpec(t, n, "internet", "dyn-alb:80", "tcp")
	got := check(t, r, HTTP504, CodeSGRulesMismatch)
	if x := got[CodeSGRulesMismatch]; x.Port < 32768 || x.Component.Name != "instance-sg" {
		t.Errorf("the dynamic host port should be blocked on the instance: %+v", x)
	}
	if r.Targets[0].Name != "dyn/0" {
		t.Errorf("the instance target should name its task: %+v", r.Targets)
	}
}

func TestNLB(t *testing.T) {
	e := build(t, "testdata/nlb.yaml")
	n := compileEngine(e)
	r := probeSpec(t, n, "internet", "web-nlb:80", "tcp")
	got := check(t, r, Timeout, CodeSGRulesMismatch)
	if x := got[CodeSGRulesMismatch]; x.Address.String() != "198.51.100.7" || x.Component.Name != "instance-sg" {
		t.Errorf("the NLB keeps the client's address, which instance-sg does not admit: %+v", x)
	}
	if !r.HasCode(CodePreserveClientIPEnabled) {
		t.Errorf("client IP preservation should be noted: %s", codeList(r))
	}
	if h := TargetHealth(n, tgARN(t, n, "web-tg")); len(h) != 1 || h[0].State != HealthHealthy {
		t.Errorf("health checks come from the NLB's private addresses and pass: %+v", h)
	}
	allow(t, e, "instance-sg", "tcp", 8080, 8080, "0.0.0.0/0")
	r = probeSpec(t, compileEngine(e), "internet", "web-nlb:80", "tcp")
	checkClean(t, r, Connected)
	if len(r.Notes) != 0 && !strings.Contains(r.Notes[0], "verdict is") {
		t.Errorf("notes = %v", r.Notes)
	}
}

// manyTargets is alb-notargets with n instance-less IP targets registered
// in empty-tg (10.0.1.0/24 and beyond, port 3000).
func manyTargets(t testing.TB, n int) (*Network, string, []model.Target) {
	t.Helper()
	st, _ := build(t, "testdata/alb-notargets.yaml").Snapshot()
	var arn string
	for a, tg := range st.TargetGroups {
		if tg.Name == "empty-tg" {
			arn = a
		}
	}
	targets := make([]model.Target, n)
	for i := range targets {
		targets[i] = model.Target{ID: fmt.Sprintf("10.%d.%d.%d", 1+i>>16, i>>8&255, i&255), Port: 3000, AvailabilityZone: "us-east-1a"}
	}
	tg := *st.TargetGroups[arn]
	tg.Targets = model.NewTargetList(targets...)
	st.TargetGroups[arn] = &tg
	return Compile(st), arn, targets
}

func TestTargetHealthAskedTargets(t *testing.T) {
	n, arn, targets := manyTargets(t, 300)
	asked := []model.Target{targets[299], {ID: targets[5].ID}, {ID: "10.9.9.9", Port: 3000}, {ID: targets[7].ID, Port: 3001}}
	h := TargetHealth(n, arn, asked...)
	if len(h) != 4 {
		t.Fatalf("health of %d targets asked = %d answers", len(asked), len(h))
	}
	for i, want := range []string{targets[299].ID, targets[5].ID, "10.9.9.9", targets[7].ID} {
		if h[i].Target.ID != want {
			t.Errorf("answer %d is for %s, want %s (in the order asked)", i, h[i].Target.ID, want)
		}
	}
	if h[0].Reason == ReasonNotRegistered || h[1].Reason == ReasonNotRegistered || h[1].Target.Port != 3000 {
		t.Errorf("registered targets (the port defaulting to the group's) = %+v, %+v", h[0], h[1])
	}
	if h[2].Reason != ReasonNotRegistered || h[3].Reason != ReasonNotRegistered {
		t.Errorf("an unknown address, or a known one on another port, is not registered: %+v, %+v", h[2], h[3])
	}
}

// BenchmarkTargetHealthAsked asks the health of every target of a large
// group one by one in one call: linear since the registered targets are
// indexed (it was quadratic, a scan of the group per target asked).
func BenchmarkTargetHealthAsked(b *testing.B) {
	n, arn, targets := manyTargets(b, 20000)
	asked := make([]model.Target, len(targets))
	for i, x := range targets {
		asked[i] = model.Target{ID: x.ID, Port: x.Port}
	}
	b.ReportAllocs()
	for b.Loop() {
		TargetHealth(n, arn, asked...)
	}
}

// A target's security group that admits the clients' range, behind an ALB:
// the ALB connects from its nodes, so the rule never matches, and the
// explanation says why in the words of the load balancer's documentation.
func TestALBClientRangeAtTarget(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/failures/alb-client-ip-at-target.yaml")))
	r := probeSpec(t, n, "internet:203.0.113.10", "web-alb:80", "tcp")
	xs := check(t, r, HTTP504, CodeSGRulesMismatch)
	m := xs[CodeSGRulesMismatch].Message
	if !strings.Contains(m, "connects to its targets from its nodes' private addresses") || !strings.Contains(m, "X-Forwarded-For") {
		t.Fatalf("message = %s", m)
	}
}

// A target group that no service registers in, behind the listener the
// request takes: the 503 says nothing registers there and where the
// service does register its tasks.
func TestNoTargetsNobodyRegisters(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/failures/listener-wrong-target-group.yaml")))
	r := probeSpec(t, n, "internet", "web-alb:80", "tcp")
	xs := check(t, r, HTTP503, CodeNoRegisteredTargets)
	m := xs[CodeNoRegisteredTargets].Message
	if !strings.Contains(m, "no ECS service or Auto Scaling group registers targets in it") || !strings.Contains(m, "the service web registers its tasks in the target group green-tg") {
		t.Fatalf("message = %s", m)
	}
}

// A host-mode service on a port the ECS agent reserves is never placed:
// the probe's root cause is the placement failure, and it says the port is
// reserved (more instances would not help), as the lint finding does.
func TestReservedHostPort(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/failures/host-mode-reserved-port.yaml")))
	r := probeSpec(t, n, "internet", "git-nlb:22", "tcp")
	xs := check(t, r, Timeout, CodePortConflict)
	if m := xs[CodePortConflict].Message; !strings.Contains(m, "host port 22 is reserved on every container instance (ECS_RESERVED_PORTS: 22, 2375, 2376, 51678, 51679") {
		t.Fatalf("message = %s", m)
	}
	found := false
	for _, x := range Lint(n) {
		if x.Code == CodePortConflict && strings.Contains(x.Message, "host port 22 is reserved") && strings.Contains(x.Fix, "another host port") {
			found = true
		}
	}
	if !found {
		t.Fatal("no lint finding names the reserved port")
	}
}

// A target group's load_balancing.cross_zone.enabled overrides its load
// balancer's: true lets an NLB node without cross-zone reach the other
// zone's targets, false keeps even an ALB's nodes in their own zone.
func TestTargetGroupCrossZone(t *testing.T) {
	e := build(t, repoFile("examples/failures/nlb-cross-zone-off.yaml"))
	n := compileEngine(e)
	if r := probeSpec(t, n, "internet", "198.51.100.22:443", "tcp"); r.Verdict != Timeout || !r.HasCode(CodeNoTargetsInAZ) {
		t.Fatalf("before: %s: %s", r.Verdict, r.Summary)
	}
	if _, err := e.ModifyTargetGroupAttributes(tgARN(t, n, "gateway-tg"), [][2]string{{"load_balancing.cross_zone.enabled", "true"}}); err != nil {
		t.Fatal(err)
	}
	if r := probeSpec(t, compileEngine(e), "internet", "198.51.100.22:443", "tcp"); r.Verdict != Connected {
		t.Errorf("target group cross-zone on: %s: %s", r.Verdict, r.Summary)
	}
	if _, err := e.ModifyTargetGroupAttributes(tgARN(t, n, "gateway-tg"), [][2]string{{"load_balancing.cross_zone.enabled", "maybe"}}); err == nil {
		t.Error("a value other than true, false or use_load_balancer_configuration: want ValidationError")
	}

	// An ALB refuses false at the load balancer level.
	a := albExample(t)
	na := compileEngine(a)
	var arn string
	for _, lb := range na.lbOrder {
		arn = lb.lb.ARN
	}
	if _, err := a.ModifyLoadBalancerAttributes(arn, [][2]string{{"load_balancing.cross_zone.enabled", "false"}}); err == nil || !strings.Contains(err.Error(), "cannot be disabled for Application Load Balancers") {
		t.Errorf("ALB cross-zone false: err = %v", err)
	}
}

// A weighted forward is probed through each target group of a weight
// above 0 (weightedforward.go): the production listener split between
// green-tg (the service's) and blue-tg (empty) answers 503 for blue-tg's
// share, whichever is heavier, and a note names it; blue-tg at weight 0
// gets nothing and the listener answers 200.
func TestWeightedForwardHeaviestGroup(t *testing.T) {
	e := build(t, repoFile("examples/failures/listener-wrong-target-group.yaml"))
	n0 := compileEngine(e)
	blue, green := tgARN(t, n0, "blue-tg"), tgARN(t, n0, "green-tg")
	for _, c := range []struct {
		blueW, greenW int
		want          Verdict
		note          string
	}{
		{1, 9, HTTP503, "http 503 for 10 % of requests (target group blue-tg)"},
		{9, 1, HTTP503, "http 503 for 90 % of requests (target group blue-tg)"},
		{5, 5, HTTP503, "http 503 for 50 % of requests (target group blue-tg)"},
		{0, 9, HTTP200, ""},
	} {
		st, _ := e.Snapshot()
		st.Listeners = maps.Clone(st.Listeners)
		for arn, l := range st.Listeners {
			if l.Port != 80 {
				continue
			}
			cp := *l
			cp.DefaultActions = []model.ListenerAction{{Type: "forward", Order: 1,
				TargetGroups: []model.WeightedTargetGroup{{ARN: blue, Weight: c.blueW}, {ARN: green, Weight: c.greenW}}}}
			st.Listeners[arn] = &cp
		}
		r := probeSpec(t, Compile(st), "internet", "web-alb:80", "tcp")
		if r.Verdict != c.want {
			t.Errorf("blue %d green %d: verdict %s, want %s", c.blueW, c.greenW, r.Verdict, c.want)
		}
		if c.note != "" && !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.Contains(n, c.note) }) {
			t.Errorf("blue %d green %d: notes %q, want one saying %q", c.blueW, c.greenW, r.Notes, c.note)
		}
	}
}
