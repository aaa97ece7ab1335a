package reach

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// dualStackALB builds testdata/alb-dualstack.yaml and returns its state
// with every node of web-alb holding an IPv6 address of its subnet's /64
// (::10), as AWS gives the nodes of a dualstack load balancer, when the
// engine has not given them one.
func dualStackALB(t *testing.T) (*model.State, *model.LoadBalancer) {
	t.Helper()
	st, _ := build(t, "testdata/alb-dualstack.yaml").Snapshot()
	var lb *model.LoadBalancer
	for _, l := range st.LoadBalancers {
		lb = l
	}
	if lb == nil || lb.IPAddressType != "dualstack" {
		t.Fatalf("load balancer %+v", lb)
	}
	for _, node := range lb.Nodes {
		e := *st.NetworkInterfaces[node.ENI]
		if len(e.IPv6) == 0 {
			sub := st.Subnets[node.SubnetID]
			a := sub.IPv6[0].CIDR.Addr().As16()
			a[15] = 0x10
			e.IPv6 = []netip.Addr{netip.AddrFrom16(a)}
			st.NetworkInterfaces[e.ID] = &e
		}
	}
	return st, lb
}

func probeV6State(t *testing.T, st *model.State, from, to string) *Result {
	t.Helper()
	return probeV6(t, Compile(st), from, to)
}

// An internet-facing dualstack ALB answers IPv6 clients: the internet
// gateway forwards to the node's own IPv6 address, the node's group
// admits ::/0, and the ALB opens an IPv4 connection to the task from the
// node's private address.
func TestDualStackALBOverIPv6(t *testing.T) {
	st, lb := dualStackALB(t)
	r := probeV6State(t, st, "internet", "web-alb:80")
	check(t, r, HTTP200)
	node := st.NetworkInterfaces[lb.Nodes[0].ENI]
	if p := r.Forward[0].Packet; p.Source != DefaultInternetClientV6() || !slices.Contains(node.IPv6, p.Destination) {
		t.Errorf("first hop %+v, want 2001:db8::7 → the node's IPv6 address %v", p, node.IPv6)
	}
	sawV4Backend := false
	for _, h := range r.Forward {
		if h.Packet.Destination.Is4() && h.Packet.Source.Is4() && h.Packet.DestinationPort == 3000 {
			sawV4Backend = true
		}
	}
	if !sawV4Backend {
		t.Errorf("no IPv4 hop to the task on 3000: %s", r.Summary)
	}
	// IPv4 still works as before.
	check(t, probeSpec(t, Compile(st), "internet", "web-alb:80", "tcp"), HTTP200)
	// The node's IPv6 address, given as an address.
	check(t, probeSpec(t, Compile(st), "internet", "["+node.IPv6[0].String()+"]:80", "tcp"), HTTP200)

	// Without the ::/0 rule the group decides, as for IPv4.
	var sg *model.SecurityGroup
	for _, g := range st.SecurityGroups {
		if g.Name == "alb-sg" {
			c := *g
			c.Ingress = slices.DeleteFunc(slices.Clone(g.Ingress), func(r model.SecurityGroupRule) bool { return r.CIDR.Addr().Is6() })
			sg = &c
		}
	}
	st.SecurityGroups[sg.ID] = sg
	check(t, probeV6State(t, st, "internet", "web-alb:80"), Timeout, CodeSGRulesMismatch)
}

// An ipv4 ALB has no AAAA record: an IPv6 client has no address to
// connect to (no-route, as for an ENI without an IPv6 address); a
// dualstack Network Load Balancer translates the IPv6 client for its ipv4
// target group (lb_nlb_ipv6_test.go); a dualstack one whose node has no
// IPv6 address says so.
func TestIPv4ALBOverIPv6(t *testing.T) {
	st, lb := dualStackALB(t)
	c := *lb
	c.IPAddressType = "ipv4"
	st.LoadBalancers[c.ARN] = &c
	r := probeV6State(t, st, "internet", "web-alb:80")
	if r.Verdict != NoRoute || !r.HasCode(CodeNoIPv6Address) || !strings.Contains(r.Summary, "ip address type ipv4") || !r.DecidedBy("web-alb", CodeNoIPv6Address) {
		t.Errorf("%s: %s", r.Verdict, r.Summary)
	}
	c.Type = "network"
	c.IPAddressType = "dualstack"
	r = probeV6State(t, st, "internet", "web-alb:80")
	if r.Verdict != Connected || r.HasCode(CodePreserveClientIPEnabled) || !r.HasCode(CodePreserveClientIPDisabled) {
		t.Errorf("a dualstack NLB over IPv6: %s: %s (%s)", r.Verdict, r.Summary, codeList(r))
	}

	st, lb = dualStackALB(t)
	for _, node := range lb.Nodes {
		e := *st.NetworkInterfaces[node.ENI]
		e.IPv6 = nil
		st.NetworkInterfaces[e.ID] = &e
	}
	check(t, probeV6State(t, st, "internet", "web-alb:80"), NoRoute, CodeNoIPv6Address)
}

// dualstack-without-public-ipv4: the nodes have no public IPv4 address,
// so the IPv4 internet cannot reach the ALB; IPv6 clients can.
func TestDualStackWithoutPublicIPv4(t *testing.T) {
	st, lb := dualStackALB(t)
	c := *lb
	c.IPAddressType = "dualstack-without-public-ipv4"
	st.LoadBalancers[c.ARN] = &c
	for _, node := range lb.Nodes {
		e := *st.NetworkInterfaces[node.ENI]
		e.PrivateIPs = slices.Clone(e.PrivateIPs)
		for i := range e.PrivateIPs {
			e.PrivateIPs[i].PublicIP = nil
		}
		st.NetworkInterfaces[e.ID] = &e
	}
	// ECS_LB_NO_PUBLIC_IPV4, not ECS_LB_INTERNAL: the load balancer is
	// internet-facing, and an internet-facing twin is no fix.
	r := probeSpec(t, Compile(st), "internet", "web-alb:80", "tcp")
	x := check(t, r, NoRoute, CodeLBNoPublicIPv4)
	if !strings.Contains(x[CodeLBNoPublicIPv4].Message, "dualstack-without-public-ipv4") {
		t.Errorf("explanation %q", x[CodeLBNoPublicIPv4].Message)
	}
	if r.HasCode(CodeInternalLB) {
		t.Errorf("an internet-facing load balancer explained as internal: %s", codeList(r))
	}
	check(t, probeV6State(t, st, "internet", "web-alb:80"), HTTP200)
}

// Exposure lists a dualstack ALB's listener twice: at its public IPv4
// address and at its IPv6 address (source ::/0).
func TestDualStackALBExposure(t *testing.T) {
	st, lb := dualStackALB(t)
	node := st.NetworkInterfaces[lb.Nodes[0].ENI]
	rep := Exposure(Compile(st))
	var v4, v6 bool
	for _, x := range rep.Entries {
		if x.Kind != "load-balancer" {
			continue
		}
		switch {
		case x.PublicIP.Is6() && slices.Contains(node.IPv6, x.PublicIP) && x.Source.String() == "::/0":
			v6 = true
		case x.PublicIP.Is4():
			v4 = true
		}
	}
	if !v4 || !v6 {
		t.Errorf("load balancer entries over IPv4 %v, IPv6 %v: %+v", v4, v6, rep.Entries)
	}
}
