package reach

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func dualStack(t testing.TB) *Network {
	return compileEngine(build(t, repoFile("examples/ipv6/dual-stack.yaml")))
}

// probeV6 probes from → to over IPv6 (--ipv6).
func probeV6(t testing.TB, n *Network, from, to string) *Result {
	t.Helper()
	q, err := NewQuery(n, from, to, "tcp")
	if err != nil {
		t.Fatalf("NewQuery(%q, %q): %v", from, to, err)
	}
	q.IPv6 = true
	return Probe(n, q)
}

// taskV6 returns a task's IPv6 address in the compiled network.
func taskV6(t testing.TB, n *Network, name string) netip.Addr {
	t.Helper()
	for _, x := range n.taskOrder {
		if x.name == name && x.eni != nil && x.eni.v6.IsValid() {
			return x.eni.v6
		}
	}
	t.Fatalf("task %s has no IPv6 address", name)
	return netip.Addr{}
}

// The article's twist: an awsvpc task on EC2 has no public IPv4 address,
// but over IPv6 the internet reaches it, untranslated, when its subnet
// routes ::/0 to the internet gateway and its group allows ::/0.
func TestIPv6InternetReachesAwsvpcTask(t *testing.T) {
	n := dualStack(t)
	check(t, probeSpec(t, n, "internet", "203.0.113.2:3000", "tcp"), Timeout)
	r := probeV6(t, n, "internet", "web/0")
	check(t, r, Connected)
	a := taskV6(t, n, "web/0")
	if r.Forward[0].Packet.Source != DefaultInternetClientV6() || r.Forward[0].Packet.Destination != a {
		t.Errorf("first hop %+v, want 2001:db8::7 → %s", r.Forward[0].Packet, a)
	}
	for _, h := range append(r.Forward, r.Return...) {
		if h.Action == ActionTranslated {
			t.Errorf("an IPv6 path translated an address at %s", h.Component.Label())
		}
	}
	if !strings.Contains(r.Summary, "(IPv6: no translation)") {
		t.Errorf("summary %q", r.Summary)
	}
	// The same address written as [ADDR]:PORT, and as ip:ADDR.
	for _, spec := range []string{"[" + a.String() + "]:3000", "ip:[" + a.String() + "]:3000"} {
		check(t, probeSpec(t, n, "internet", spec, "tcp"), Connected)
	}
	if _, err := NewQuery(n, "internet", a.String(), "tcp"); err == nil || !strings.Contains(err.Error(), "["+a.String()+"]:PORT") {
		t.Errorf("a bare IPv6 address without a port: %v", err)
	}
	// An internet client with its own IPv6 address.
	check(t, probeSpec(t, n, "internet:2001:db8::99", "["+a.String()+"]:3000", "tcp"), Connected)
}

// Closing the IPv6 rule closes the path: the security group is the one
// that decides, as for IPv4.
func TestIPv6SecurityGroupAndACL(t *testing.T) {
	e := build(t, repoFile("examples/ipv6/dual-stack.yaml"))
	st, _ := e.Snapshot()
	var sg *model.SecurityGroup
	for _, g := range st.SecurityGroups {
		if g.Name == "task-sg" {
			sg = g
		}
	}
	var v6 []model.SecurityGroupRule
	for _, r := range sg.Ingress {
		if r.CIDR.Addr().Is6() {
			v6 = append(v6, r)
		}
	}
	if len(v6) != 1 {
		t.Fatalf("task-sg IPv6 rules: %+v", v6)
	}
	if _, err := e.RevokeSecurityGroup(sg.ID, false, nil, []model.SecurityGroupRuleID{v6[0].ID}); err != nil {
		t.Fatal(err)
	}
	n := compileEngine(e)
	x := check(t, probeV6(t, n, "internet", "web/0"), Timeout, CodeSGRulesMismatch)
	if !strings.Contains(x[CodeSGRulesMismatch].Message, "2001:db8::7") {
		t.Errorf("explanation %q", x[CodeSGRulesMismatch].Message)
	}
	// IPv4 still works inside the VPC; the default network ACL's IPv6
	// entries (rule 101) are what let IPv6 through it.
	check(t, probeV6(t, n, "web/0", "worker/0"), Connected)
}

// An egress-only internet gateway: out and back, never in.
func TestIPv6EgressOnlyGateway(t *testing.T) {
	n := dualStack(t)
	x := check(t, probeV6(t, n, "internet", "worker/0"), Timeout, CodeEgressOnlyInbound)
	if e := x[CodeEgressOnlyInbound]; e.Path != "return" || !strings.Contains(e.Message, "egress-only internet gateway eigw") {
		t.Errorf("explanation %+v", e)
	}
	r := probeV6(t, n, "worker/0", "internet:443")
	check(t, r, Connected)
	sawEIGW := 0
	for _, h := range append(r.Forward, r.Return...) {
		if h.Component != nil && h.Component.Type == "egress-only-internet-gateway" {
			sawEIGW++
		}
	}
	if sawEIGW != 2 {
		t.Errorf("the egress-only gateway appears %d times on the paths, want 2 (out and the reply)", sawEIGW)
	}
	// Over IPv4 the worker goes out through its NAT gateway.
	check(t, probeSpec(t, n, "worker/0", "internet:443", "tcp"), Connected)
}

// A host behind an egress-only gateway that refuses a connection from
// the internet (nothing listens on the port) answers with a reset, and
// the reset is a reply the gateway does not carry: the client times
// out, it is not refused.
func TestIPv6EgressOnlyGatewayRefusedIsTimeout(t *testing.T) {
	text := strings.Replace(readRepoFile(t, "examples/ipv6/dual-stack.yaml"), `{protocol: tcp, ports: 8080, cidr: "::/0"}`, `{protocol: all, cidr: "::/0"}`, 1)
	n := compileEngine(buildFromText(t, text))
	a := taskV6(t, n, "worker/0")
	x := check(t, probeSpec(t, n, "internet", "["+a.String()+"]:9000", "tcp"), Timeout, CodeEgressOnlyInbound)
	if e := x[CodeEgressOnlyInbound]; e.Path != "return" {
		t.Errorf("explanation %+v", e)
	}
	// From inside the VPC the same port is refused: the reset comes back
	// over the local route.
	check(t, probeSpec(t, n, "web/0", "["+a.String()+"]:9000", "tcp"), Refused)
}

// Endpoints without an IPv6 address, and queries that mix families.
func TestIPv6NoAddressAndMixedFamilies(t *testing.T) {
	n := dualStack(t)
	x := check(t, probeV6(t, n, "internet", "legacy:22"), NoRoute, CodeNoIPv6Address)
	if !strings.Contains(x[CodeNoIPv6Address].Message, "has no IPv6 CIDR block") {
		t.Errorf("explanation %q", x[CodeNoIPv6Address].Message)
	}
	check(t, probeV6(t, n, "legacy", "web/0"), NoRoute, CodeNoIPv6Address)
	a := taskV6(t, n, "web/0")
	q, err := NewQuery(n, "internet:198.51.100.9", "["+a.String()+"]:3000", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	if r := Probe(n, q); r.Verdict != Unknown || !strings.Contains(r.Summary, "IPv4 address") {
		t.Errorf("mixed families: %s", r.Summary)
	}
	for _, bad := range []string{"[2600:1f18::1", "[2600:1f18::1]:x", "internet:fd00::1"} {
		if _, err := Resolve(n, bad); err == nil {
			t.Errorf("Resolve(%q) accepted it", bad)
		}
	}
}

// With the dualStackIPv6 account setting disabled, ECS gives the task no
// IPv6 address, and the analyzer says why.
func TestIPv6DualStackSettingOff(t *testing.T) {
	n := compileEngine(buildFromText(t, strings.Replace(readRepoFile(t, "examples/ipv6/dual-stack.yaml"), "clusters:", "settings:\n  dualStackIPv6: disabled\n\nclusters:", 1)))
	x := check(t, probeV6(t, n, "internet", "web/0"), NoRoute, CodeNoIPv6Address)
	if !strings.Contains(x[CodeNoIPv6Address].Message, "dualStackIPv6") {
		t.Errorf("explanation %q", x[CodeNoIPv6Address].Message)
	}
}

func readRepoFile(t testing.TB, rel string) string {
	t.Helper()
	b, err := os.ReadFile(repoFile(rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// buildFromText builds a scenario given as text.
func buildFromText(t testing.TB, text string) *engine.Engine {
	t.Helper()
	p := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return build(t, p)
}

// Exposure lists the task's IPv6 address: the internet reaches it
// without a public IPv4 address. The worker, behind an egress-only
// gateway, is not exposed though its group admits ::/0.
func TestIPv6Exposure(t *testing.T) {
	n := dualStack(t)
	rep := Exposure(n)
	a := taskV6(t, n, "web/0")
	found := false
	for _, x := range rep.Entries {
		if x.PublicIP == a && x.Ports.From == 3000 && x.Verdict == Connected && x.Source.String() == "::/0" {
			found = true
		}
		if x.Resource != nil && strings.HasPrefix(x.Resource.Label(), "worker") {
			t.Errorf("the worker is exposed: %s", x.Summary)
		}
	}
	if !found {
		t.Errorf("web/0's IPv6 address is not in the exposure report: %s", rep.Summary)
	}
}

// A dual-stack client in a VPC with DNS resolution off: its lookup gets
// no answer from the Amazon-provided DNS server at either address, over
// IPv6 as over IPv4 (nxdomain, not a mix of families), and the
// explanation names both servers it waits for.
func TestDNSOffDualStackClient(t *testing.T) {
	e := buildFromText(t, `
name: dns-off-dualstack
vpcs:
  main: {cidr: 10.0.0.0/16, internet_gateway: igw, ipv6: true, dns_support: false}
subnets:
  app: {vpc: main, cidr: 10.0.1.0/24, ipv6: 1, assign_ipv6_on_creation: true, route_table: public}
  v4only: {vpc: main, cidr: 10.0.2.0/24, route_table: public}
route_tables:
  public:
    vpc: main
    routes: [{destination: 0.0.0.0/0, target: igw}, {destination: "::/0", target: igw}]
security_groups:
  sg: {vpc: main, ingress: [{protocol: tcp, ports: 22, cidr: 0.0.0.0/0}]}
instances:
  client: {subnet: app, security_groups: [sg]}
  old: {subnet: v4only, security_groups: [sg]}
hosted_zones:
  example.com:
    records:
      www: {values: [198.51.100.60]}
`)
	n := compileEngine(e)
	for _, c := range []struct {
		from string
		v6   bool
		want string
	}{
		{"client", false, "fd00:ec2::253"},
		{"client", true, "fd00:ec2::253"},
		{"old", false, "169.254.169.253) does not answer and the lookup times out"},
	} {
		q, err := NewQuery(n, c.from, "www.example.com:22", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		q.IPv6 = c.v6
		r := Probe(n, q)
		if r.Verdict != NXDomain || !r.HasCode(CodeVPCDNSOff) {
			t.Errorf("%s (ipv6 %v) → www.example.com:22 = %s, want nxdomain (%s): %s", c.from, c.v6, r.Verdict, CodeVPCDNSOff, r.Summary)
			continue
		}
		if !strings.Contains(r.Explanations[0].Message, c.want) {
			t.Errorf("%s (ipv6 %v): %q, want it to name %q", c.from, c.v6, r.Explanations[0].Message, c.want)
		}
	}
}
