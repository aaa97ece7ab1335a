package reach

import (
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
		if err := e.RevokeSecurityGroup(g, false, []engine.IPPermission{{Protocol: "tcp", FromPort: intp(3000), ToPort: intp(3000),
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
	if isPublic(r.Forward[0].Packet.Destination) {
		t.Errorf("inside the VPC the DNS name gives private addresses: %v", r.Forward[0].Packet.Destination)
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
