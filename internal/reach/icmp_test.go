package reach

import (
	"strings"
	"testing"
)

// TestPingExpectations runs testdata/ping.yaml's expect: list: pings
// through security group ICMP rules (type 8, type 3, all ICMP), a network
// ACL that lets echo requests in but not echo replies out, a NAT gateway.
func TestPingExpectations(t *testing.T) {
	path := "testdata/ping.yaml"
	n := compileEngine(build(t, path))
	for _, x := range loadScenario(t, path) {
		r := probeSpec(t, n, x.From, x.To, x.Protocol)
		if string(r.Verdict) != x.Verdict {
			t.Errorf("%s → %s = %s, want %s (%s)\n%s", x.From, x.To, r.Verdict, x.Verdict, x.Note, r.Summary)
		}
		if r.Protocol != "icmp" || r.Port != 0 || r.ClientPort != 0 {
			t.Errorf("%s → %s: protocol %q port %d client port %d", x.From, x.To, r.Protocol, r.Port, r.ClientPort)
		}
	}
}

// TestPingExplains: each failing ping says what AWS would: which filter,
// which ICMP message, in which direction.
func TestPingExplains(t *testing.T) {
	n := compileEngine(build(t, "testdata/ping.yaml"))

	r := probeSpec(t, n, "web", "db", "icmp")
	x := check(t, r, Timeout, CodeSGRulesMismatch)[CodeSGRulesMismatch]
	if x.Direction != "ingress" || x.Protocol != "icmp" || !strings.Contains(x.Message, "icmp echo request (type 8)") {
		t.Errorf("explanation = %+v", x)
	}
	if !strings.Contains(r.Summary, "the echo request is dropped") {
		t.Errorf("summary = %s", r.Summary)
	}

	r = probeSpec(t, n, "internet", "locked", "icmp")
	x = check(t, r, Timeout, CodeSubnetACLRestriction)[CodeSubnetACLRestriction]
	if x.Path != "return" || x.Direction != "egress" || !strings.Contains(x.Message, "outbound icmp echo reply (type 0)") || !strings.Contains(x.Message, "echo reply needs its own rule") {
		t.Errorf("explanation = %+v", x)
	}
	fwd := r.Forward[0].Packet
	if fwd.ICMP != EchoRequest || fwd.Protocol != "icmp" {
		t.Errorf("first packet = %+v", fwd)
	}
	if got := r.Return[len(r.Return)-1].Packet.ICMP; got != EchoReply {
		t.Errorf("last return packet's ICMP = %q", got)
	}

	r = probeSpec(t, n, "worker", "internet", "icmp")
	checkClean(t, r, Connected)
	if !r.HasCode(CodeRemapEphemeralPort) || !strings.Contains(r.Summary, "through the NAT gateway") {
		t.Errorf("summary = %s", r.Summary)
	}
}

// TestPingLoadBalancer: a load balancer's nodes answer no ping.
func TestPingLoadBalancer(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/seed/alb.yaml")))
	r := probeSpec(t, n, "internet", "web-alb", "icmp")
	check(t, r, Timeout, CodeLBNoICMP)
	if len(r.Return) != 0 || len(r.Targets) != 0 {
		t.Errorf("return %d hops, %d targets; want none", len(r.Return), len(r.Targets))
	}
}

// TestPingPort: a ping has no port.
func TestPingPort(t *testing.T) {
	n := compileEngine(build(t, "testdata/ping.yaml"))
	if _, err := NewQuery(n, "internet", "web:80", "icmp"); err == nil || !strings.Contains(err.Error(), "has no port") {
		t.Errorf("err = %v", err)
	}
}

// TestPingIPv6: a ping over IPv6 is an ICMPv6 echo request, which an ICMP
// (IPv4) rule does not admit.
func TestPingIPv6(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/ipv6/dual-stack.yaml")))
	q, err := NewQuery(n, "internet", "web", "icmp")
	if err != nil {
		t.Fatal(err)
	}
	q.IPv6 = true
	r := Probe(n, q)
	if r.Protocol != "icmpv6" || len(r.Forward) == 0 || r.Forward[0].Packet.Protocol != "icmpv6" {
		t.Fatalf("protocol = %s: %s", r.Protocol, r.Summary)
	}
	if r.Verdict == Connected {
		t.Errorf("verdict = %s: %s", r.Verdict, r.Summary)
	}
}

// A rule written as ports 8-8 for ICMP is type 8, code 8
// (hashicorp/terraform#16260): the ping is dropped, and the explanation
// names that rule and why it does not match (an echo request has code 0),
// not only that no rule allows it.
func TestICMPRuleCodeNearMiss(t *testing.T) {
	e := build(t, repoFile("examples/failures/sg-icmp-code-as-port.yaml"))
	r := probeSpec(t, compileEngine(e), "monitor", "ecs-asg/0", "icmp")
	x := check(t, r, Timeout, CodeSGRulesMismatch)[CodeSGRulesMismatch]
	if !strings.Contains(x.Message, "admits only code 8") || !strings.Contains(x.Message, "code 0") {
		t.Errorf("explanation %q does not name the rule's code 8 against the echo request's code 0", x.Message)
	}
}
