package reach

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// dualStackNLB builds testdata/nlb-dualstack.yaml and returns its state
// and its load balancer (web-nlb).
func dualStackNLB(t *testing.T) (*model.State, *model.LoadBalancer) {
	t.Helper()
	st, _ := build(t, "testdata/nlb-dualstack.yaml").Snapshot()
	var lb *model.LoadBalancer
	for _, l := range st.LoadBalancers {
		lb = l
	}
	if lb == nil || lb.Type != "network" || lb.IPAddressType != "dualstack" {
		t.Fatalf("load balancer %+v", lb)
	}
	for _, node := range lb.Nodes {
		if len(st.NetworkInterfaces[node.ENI].IPv6) == 0 {
			t.Fatalf("the node %s has no IPv6 address", node.ENI)
		}
	}
	return st, lb
}

// setIngress replaces a security group's inbound rules (on a copy).
func setIngress(t *testing.T, st *model.State, name string, rules ...model.SecurityGroupRule) {
	t.Helper()
	for _, g := range st.SecurityGroups {
		if g.Name == name {
			c := *g
			c.Ingress = rules
			st.SecurityGroups[c.ID] = &c
			return
		}
	}
	t.Fatalf("no security group %s", name)
}

func tcpRule(port uint16, cidr string) model.SecurityGroupRule {
	return model.SecurityGroupRule{Protocol: model.TCP, Ports: model.PortRange{First: port, Last: port}, CIDR: netip.MustParsePrefix(cidr)}
}

// backendHop returns the last forward hop of the node's connection to a
// target on a port (the packet as the target receives it), or a zero Hop.
func backendHop(r *Result, port uint16) Hop {
	var out Hop
	for _, h := range r.Forward {
		if h.Packet.DestinationPort == port {
			out = h
		}
	}
	return out
}

func explanation(r *Result, code string) (Explanation, bool) {
	i := slices.IndexFunc(r.Explanations, func(e Explanation) bool { return e.Code == code })
	if i < 0 {
		return Explanation{}, false
	}
	return r.Explanations[i], true
}

// An IPv6 client reaches a dualstack NLB's listener at its node's IPv6
// address, through the NLB's group (a ::/0 rule); the NLB translates the
// connection for its ipv4 target group of instance targets: the instance
// sees the node's private IPv4 address, not the client (client IP
// preservation, on for instance targets, cannot carry an IPv6 address to
// an IPv4 target), while an IPv4 client's address is preserved.
func TestDualStackNLBToIPv4Instances(t *testing.T) {
	st, lb := dualStackNLB(t)
	node := st.NetworkInterfaces[lb.Nodes[0].ENI]
	r := probeV6State(t, st, "internet", "web-nlb:80")
	check(t, r, Connected)
	if p := r.Forward[0].Packet; p.Source != DefaultInternetClientV6() || !slices.Contains(node.IPv6, p.Destination) {
		t.Errorf("first hop %+v, want 2001:db8::7 → the node's IPv6 address %v", p, node.IPv6)
	}
	h := backendHop(r, 8080)
	if h.Packet.Source != node.PrimaryIP() || !h.Packet.Destination.Is4() {
		t.Errorf("the node's connection to the instance %+v, want from the node's private address %s", h.Packet, node.PrimaryIP())
	}
	if r.HasCode(CodePreserveClientIPEnabled) {
		t.Errorf("an IPv6 client preserved to an IPv4 target: %s", codeList(r))
	}
	if e, ok := explanation(r, CodePreserveClientIPDisabled); !ok || !strings.Contains(e.Message, "translates the IPv6 client's connection to IPv4") {
		t.Errorf("no translation explanation: %+v", e)
	}

	// IPv4 clients keep their address (instance targets).
	r4 := probeSpec(t, Compile(st), "internet", "web-nlb:80", "tcp")
	check(t, r4, Connected)
	if !r4.HasCode(CodePreserveClientIPEnabled) {
		t.Errorf("IPv4 client not preserved: %s", codeList(r4))
	}

	// The instance's group admitting the IPv6 clients (::/0) admits
	// nothing the NLB sends it for them: it judges the node's private
	// IPv4 address.
	setIngress(t, st, "instance-sg", tcpRule(8080, "::/0"))
	r = probeV6State(t, st, "internet", "web-nlb:80")
	x := check(t, r, Timeout, CodeSGRulesMismatch)
	e := x[CodeSGRulesMismatch]
	if e.NetworkInterface == nil || e.NetworkInterface.ID == string(node.ID) || !strings.Contains(e.Message, node.PrimaryIP().String()) ||
		!strings.Contains(e.Message, "translates a client of the other family") {
		t.Errorf("the instance's group decides on %s: %+v", node.PrimaryIP(), e)
	}

	// Admitting the VPC's IPv4 block lets the IPv6 clients in (the
	// node's address) and keeps the IPv4 clients out (their own).
	setIngress(t, st, "instance-sg", tcpRule(8080, "10.0.0.0/16"))
	check(t, probeV6State(t, st, "internet", "web-nlb:80"), Connected)
	check(t, probeSpec(t, Compile(st), "internet", "web-nlb:80", "tcp"), Timeout, CodeSGRulesMismatch)
}

// The NLB forwards an IPv6 client to its ipv6 target group's IPv6 ip
// targets over IPv6: from its node's IPv6 address (client IP preservation
// is off for ip targets over TCP), or with the client's own address when
// the target group preserves it; an IPv4 client is translated to the
// node's IPv6 address whatever the attribute says.
func TestDualStackNLBToIPv6Targets(t *testing.T) {
	st, lb := dualStackNLB(t)
	node := st.NetworkInterfaces[lb.Nodes[0].ENI]
	r := probeV6State(t, st, "internet", "web-nlb:81")
	check(t, r, Connected)
	h := backendHop(r, 3000)
	if !h.Packet.Destination.Is6() || !slices.Contains(node.IPv6, h.Packet.Source) {
		t.Errorf("the node's connection to the task %+v, want from the node's IPv6 address %v", h.Packet, node.IPv6)
	}

	var tg *model.TargetGroup
	for _, g := range st.TargetGroups {
		if g.Name == "api-tg" {
			c := *g
			c.Attributes = map[string]string{"preserve_client_ip.enabled": "true"}
			tg = &c
		}
	}
	st.TargetGroups[tg.ARN] = tg
	r = probeV6State(t, st, "internet", "web-nlb:81")
	check(t, r, Connected)
	if h := backendHop(r, 3000); h.Packet.Source != DefaultInternetClientV6() {
		t.Errorf("with client IP preservation the task sees %s, want the client %s", h.Packet.Source, DefaultInternetClientV6())
	}
	r4 := probeSpec(t, Compile(st), "internet", "web-nlb:81", "tcp")
	check(t, r4, Connected)
	if h := backendHop(r4, 3000); !slices.Contains(node.IPv6, h.Packet.Source) || r4.HasCode(CodePreserveClientIPEnabled) {
		t.Errorf("an IPv4 client to an IPv6 target: from %s (%s), want the node's IPv6 address %v", h.Packet.Source, codeList(r4), node.IPv6)
	}

	// The task's group admitting only the VPC's IPv6 block drops the
	// preserved client, and admits the translated IPv4 client.
	var vpcV6 netip.Prefix
	for _, s := range st.Subnets {
		if len(s.IPv6) > 0 {
			vpcV6 = netip.PrefixFrom(s.IPv6[0].CIDR.Addr(), 56).Masked()
		}
	}
	setIngress(t, st, "task-sg", tcpRule(3000, vpcV6.String()))
	check(t, probeV6State(t, st, "internet", "web-nlb:81"), Timeout, CodeSGRulesMismatch)
	check(t, probeSpec(t, Compile(st), "internet", "web-nlb:81", "tcp"), Connected)
}

// The NLB's security group judges the IPv6 source: a group that admits
// 0.0.0.0/0 only drops IPv6 clients at the node, while IPv4 clients
// connect.
func TestDualStackNLBGroupIPv4Only(t *testing.T) {
	st, _ := dualStackNLB(t)
	setIngress(t, st, "nlb-sg", tcpRule(80, "0.0.0.0/0"))
	r := probeV6State(t, st, "internet", "web-nlb:80")
	check(t, r, Timeout, CodeSGRulesMismatch)
	if !r.DecidedBy("web-nlb", CodeSGRulesMismatch) && !strings.Contains(r.Summary, "nlb-sg") {
		t.Errorf("not decided at the NLB's group: %s", r.Summary)
	}
	check(t, probeSpec(t, Compile(st), "internet", "web-nlb:80", "tcp"), Connected)
}

// An ipv4 NLB has no AAAA record (no-route, as an ipv4 ALB); a dualstack
// NLB's UDP listener over IPv6 (a source NAT prefix) is outside what the
// analyzer follows.
func TestNLBOverIPv6Limits(t *testing.T) {
	st, lb := dualStackNLB(t)
	c := *lb
	c.IPAddressType = "ipv4"
	st.LoadBalancers[c.ARN] = &c
	r := probeV6State(t, st, "internet", "web-nlb:80")
	if r.Verdict != NoRoute || !r.HasCode(CodeNoIPv6Address) || !strings.Contains(r.Summary, "ip address type ipv4") {
		t.Errorf("%s: %s", r.Verdict, r.Summary)
	}

	st, _ = dualStackNLB(t)
	n := Compile(st)
	q, err := NewQuery(n, "internet", "web-nlb:80", "udp")
	if err != nil {
		t.Fatal(err)
	}
	q.IPv6 = true
	if r := Probe(n, q); r.Verdict != Unknown || !strings.Contains(r.Summary, "EnablePrefixForIpv6SourceNat") {
		t.Errorf("udp over IPv6: %s: %s", r.Verdict, r.Summary)
	}
}

// Exposure lists a dualstack internet-facing NLB's listeners over IPv4 at
// its public address and over IPv6 at its node's IPv6 address (source
// ::/0, the NLB group's rule), with the targets each reaches.
func TestDualStackNLBExposure(t *testing.T) {
	st, lb := dualStackNLB(t)
	node := st.NetworkInterfaces[lb.Nodes[0].ENI]
	rep := Exposure(Compile(st))
	got := map[string]bool{}
	for _, x := range rep.Entries {
		if x.Kind != "load-balancer" || x.Resource == nil || x.Resource.Name != "web-nlb" {
			continue
		}
		fam := "4"
		if x.PublicIP.Is6() {
			fam = "6"
			if !slices.Contains(node.IPv6, x.PublicIP) || x.Source.String() != "::/0" || x.Verdict != Connected || len(x.Targets) == 0 {
				t.Errorf("IPv6 entry %+v", x)
			}
		}
		got[fam+":"+strconv.Itoa(int(x.Ports.From))] = true
	}
	for _, k := range []string{"4:80", "4:81", "6:80", "6:81"} {
		if !got[k] {
			t.Errorf("no exposure entry %s (entries %v; failing %+v)", k, got, rep.Failing)
		}
	}
}
