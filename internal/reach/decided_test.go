package reach

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// What decided a verdict is named by the resource and the rule: the
// blocking security group and its direction, the route table and route of
// a start path, the group that drops a target's health check, and the
// service that runs short of tasks. A wrong name or rule does not match.
func TestDecidedBy(t *testing.T) {
	cases := []struct {
		file, from, to string
		code           string
		decided, rule  string
		wrongDecided   string
		wrongRule      string
	}{
		// The ALB's own group lets nothing out to the tasks.
		{"examples/failures/alb-sg-egress.yaml", "internet", "web-alb:80", "", "alb-sg", "egress", "task-sg", "ingress"},
		// The health check port is closed on the tasks' group: the ALB
		// fails open, the unhealthy finding names the group.
		{"examples/failures/health-check-port-sg.yaml", "internet", "web-alb:80", CodeTargetUnhealthy, "task-sg", "ingress", "alb-sg", "egress"},
		// A start path through a blackhole route.
		{"examples/failures/nat-blackhole.yaml", "internet", "web-alb:80", CodeImagePullFailed, "private", "0.0.0.0/0", "public", "10.0.0.0/16"},
		// A start path dropped by the endpoints' group.
		{"examples/failures/endpoint-sg-443.yaml", "internet", "web-alb:80", CodeImagePullFailed, "endpoints-sg", "ingress", "task-sg", "egress"},
		// A network ACL's final deny ("*") of the task's reply.
		{"examples/failures/nacl-ephemeral.yaml", "internet", "web-alb:80", CodeSubnetACLRestriction, "app", "*", "alb-sg", "100"},
		{"examples/failures/nacl-ephemeral.yaml", "internet", "web-alb:80", CodeSubnetACLRestriction, "app", "egress", "task-sg", "ingress"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			n := compileEngine(build(t, repoFile(c.file)))
			r := probeSpec(t, n, c.from, c.to, "tcp")
			if c.decided != "" && !r.DecidedBy(c.decided, c.code) {
				t.Errorf("DecidedBy(%q, %q) false: %+v", c.decided, c.code, r.Deciding(c.code))
			}
			if c.rule != "" && !r.DecidedByRule(c.rule, c.code) {
				t.Errorf("DecidedByRule(%q, %q) false: %+v", c.rule, c.code, r.Deciding(c.code))
			}
			if r.DecidedBy(c.wrongDecided, c.code) {
				t.Errorf("DecidedBy(%q) true", c.wrongDecided)
			}
			if r.DecidedByRule(c.wrongRule, c.code) {
				t.Errorf("DecidedByRule(%q) true", c.wrongRule)
			}
		})
	}
}

// A service short of tasks is noted on the probe through its load
// balancer, with ECS's event.
func TestShortServiceNoted(t *testing.T) {
	for _, c := range []struct{ file, code string }{
		{"examples/failures/eni-limit.yaml", CodeENICapacity},
		{"examples/failures/host-port-conflict.yaml", CodePortConflict},
	} {
		n := compileEngine(build(t, repoFile(c.file)))
		r := probeSpec(t, n, "internet", "web-alb:80", "tcp")
		if !r.Reachable || !r.HasCode(c.code) || !r.DecidedBy("web", c.code) {
			t.Errorf("%s: %s, codes %+v", c.file, r.Verdict, r.Explanations)
		}
	}
	// A service that runs every task is not noted.
	n := compileEngine(build(t, repoFile("examples/seed/alb.yaml")))
	for _, tg := range n.tgOrder {
		for _, s := range n.servicesOf(tg.tg) {
			if code, _ := placementEvent(s.svc); code != "" {
				t.Errorf("service %s: %s", s.svc.Name, code)
			}
		}
	}
}

// A VPC with DNS resolution off stops the start path at its first name
// (ECS_VPC_DNS_RESOLUTION_OFF decides it, the VPC named); with DHCP
// options that give DNS servers of its own, names resolve through them.
func TestStartPathVPCDNSOff(t *testing.T) {
	e := build(t, repoFile("examples/failures/vpc-dns-off.yaml"))
	n := compileEngine(e)
	r := probeSpec(t, n, "internet", "web-alb:80", "tcp")
	if r.Verdict != HTTP503 || !r.HasCode(CodeImagePullFailed) || !r.DecidedBy("main", CodeImagePullFailed) {
		t.Fatalf("%s: %+v", r.Verdict, r.Explanations)
	}
	var vpc model.VpcID
	st, _ := e.Snapshot()
	for id, v := range st.VPCs {
		if v.Tags.Name() == "main" {
			vpc = id
		}
	}
	if !n.dnsOff(st.VPCs[vpc]) {
		t.Error("dnsOff false with the default DHCP options")
	}
	o, err := e.CreateDhcpOptions(map[string][]string{"domain-name-servers": {"10.0.0.53"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.AssociateDhcpOptions(o.ID, vpc); err != nil {
		t.Fatal(err)
	}
	st, _ = e.Snapshot()
	if n := Compile(st); n.dnsOff(st.VPCs[vpc]) {
		t.Error("dnsOff true with DNS servers of the VPC's own")
	}
}
