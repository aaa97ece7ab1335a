package dataplane

import (
	"maps"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// These tests read the plan as data: no privileges needed.

func mustPlan(t *testing.T, st *model.State) *Plan {
	t.Helper()
	p, err := MakePlan(st, "x")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func table(p *Plan, ns, name string) *Table {
	for i := range p.Tables {
		if p.Tables[i].NS == ns && p.Tables[i].Name == name {
			return &p.Tables[i]
		}
	}
	return nil
}

func chain(t *Table, name string) *Chain {
	if t == nil {
		return nil
	}
	for i := range t.Chains {
		if t.Chains[i].Name == name {
			return &t.Chains[i]
		}
	}
	return nil
}

// admits reports whether a chain has an accept rule for proto/port on
// interface dev whose peer prefixes include a.
func admits(c *Chain, dev string, proto model.Protocol, port uint16, a netip.Addr) bool {
	for _, r := range c.Rules {
		if r.Verdict.Kind != "accept" || r.IIf != dev || r.CtEstablished {
			continue
		}
		if r.Proto != proto && r.Proto != model.AllProtocols {
			continue
		}
		if r.Proto.HasPorts() && !r.Ports.Contains(port) {
			continue
		}
		for _, p := range r.Src {
			if p.Contains(a) {
				return true
			}
		}
	}
	return false
}

func nsOf(p *Plan, node string) string { return p.Aliases[node] }

func TestPlanArticle(t *testing.T) {
	st := loadState(t, "examples/seed/article.yaml")
	p := mustPlan(t, st)
	var roles []string
	for _, ns := range p.Namespaces {
		roles = append(roles, ns.Role)
		if len(ns.Name) > 32 {
			t.Errorf("namespace name %q is longer than 32", ns.Name)
		}
	}
	slices.Sort(roles)
	if got := strings.Join(roles, " "); got != "igw imds instance internet task vpc" {
		t.Errorf("namespaces: %s", got)
	}
	inst, task := nsOf(p, "ecs-asg/0"), nsOf(p, "web/0")
	if inst == "" || task == "" || inst == task {
		t.Fatalf("instance in %q, task in %q", inst, task)
	}
	client := netip.MustParseAddr("198.51.100.7")
	in := chain(table(p, inst, "sg"), "in")
	if in == nil {
		t.Fatal("no security group chain on the instance")
	}
	if !admits(in, "eth0", model.TCP, 22, client) || admits(in, "eth0", model.TCP, 3000, client) {
		t.Errorf("instance-sg admits 22 and not 3000: %+v", in.Rules)
	}
	if !admits(chain(table(p, task, "sg"), "in"), "eth0", model.TCP, 3000, client) {
		t.Error("task-sg admits 3000")
	}
	// The IGW maps 203.0.113.2 to the instance's primary address, and
	// nothing to the task's.
	igw := table(p, p.Aliases["internet"], "hosts")
	if igw == nil {
		t.Fatal("no internet table")
	}
	var g *Table
	for _, ns := range p.Namespaces {
		if ns.Role == "igw" {
			g = table(p, ns.Name, "igw")
		}
	}
	pre := chain(g, "pre")
	if pre == nil || len(pre.Rules) != 1 || pre.Rules[0].Dst[0].Addr() != netip.MustParseAddr("203.0.113.2") || pre.Rules[0].Verdict.Addr != netip.MustParseAddr("10.0.1.4") {
		t.Errorf("IGW DNAT: %+v", pre)
	}
	// The task listens on 3000 in its own namespace; the instance runs sshd.
	var found []string
	for _, l := range p.Listeners {
		found = append(found, l.NS+":"+l.Kind+":"+string(rune('0'+l.Port/1000)))
		if l.NS == task && l.Port == 3000 && l.Kind != "container" {
			t.Errorf("listener %+v", l)
		}
	}
	has := func(ns string, port uint16) bool {
		return slices.ContainsFunc(p.Listeners, func(l Listener) bool { return l.NS == ns && l.Port == port })
	}
	if !has(task, 3000) || has(inst, 3000) || !has(inst, 22) {
		t.Errorf("listeners: %+v", p.Listeners)
	}
	if !strings.Contains(p.HostsFile(), "localhost") {
		t.Error("hosts file")
	}
}

func TestPlanSGOpen(t *testing.T) {
	st := loadState(t, "examples/seed/article-sg-open.yaml")
	p := mustPlan(t, st)
	in := chain(table(p, nsOf(p, "ecs-asg/0"), "sg"), "in")
	if !admits(in, "eth0", model.TCP, 3000, netip.MustParseAddr("198.51.100.7")) {
		t.Error("instance-sg opens 3000 in article-sg-open.yaml")
	}
}

// A route whose target is gone becomes a blackhole; the NAT gateway's
// route otherwise goes via its private address.
func TestPlanRoutes(t *testing.T) {
	st := loadState(t, "internal/dataplane/testdata/mix.yaml")
	p := mustPlan(t, st)
	var nat *model.NatGateway
	for _, g := range st.NatGateways {
		nat = g
	}
	viaNAT := func(p *Plan) (via, blackhole bool) {
		for _, r := range p.Routes {
			if r.Table >= rtTableBase && r.Dst.Bits() == 0 {
				if r.Via == nat.PrivateIP {
					via = true
				}
				if r.Blackhole {
					blackhole = true
				}
			}
		}
		return
	}
	if via, bh := viaNAT(p); !via || bh {
		t.Errorf("private default route: via NAT %v, blackhole %v", via, bh)
	}
	st2 := st.Clone()
	g := *nat
	g.State = "deleted"
	st2.NatGateways[g.ID] = &g
	if via, bh := viaNAT(mustPlan(t, st2)); via || !bh {
		t.Errorf("after the NAT gateway is deleted: via NAT %v, blackhole %v", via, bh)
	}
}

// Network ACL entries keep rule-number order and end with a deny; the
// bridge task's host port is the one the model chose.
func TestPlanACLAndBridge(t *testing.T) {
	st := loadState(t, "internal/dataplane/testdata/mix.yaml")
	p := mustPlan(t, st)
	var vpc string
	for _, ns := range p.Namespaces {
		if ns.Role == "vpc" {
			vpc = ns.Name
		}
	}
	acl := table(p, vpc, "nacl")
	var in *Chain
	for i := range acl.Chains {
		c := &acl.Chains[i]
		if strings.HasPrefix(c.Name, "in-") && c.Rules[0].Proto == model.TCP {
			in = c
		}
	}
	if in == nil {
		t.Fatalf("no ingress chain for private-acl: %+v", acl.Chains)
	}
	if in.Rules[0].Ports != model.Port(3000) || in.Rules[1].Ports != (model.PortRange{First: 32768, Last: 65535}) || in.Rules[len(in.Rules)-1].Verdict.Kind != "drop" {
		t.Errorf("ingress order: %+v", in.Rules)
	}
	var hostPort uint16
	for _, tk := range st.Tasks {
		if tk.NetworkMode == model.NetworkModeBridge {
			hostPort = tk.Containers[0].NetworkBindings[0].HostPort
		}
	}
	if hostPort == 0 {
		t.Fatal("the bridge task has no host port")
	}
	dn := chain(table(p, nsOf(p, "ecs-asg/0"), "docker"), "pre")
	// From outside, and from a container to the instance's own address.
	if dn == nil || len(dn.Rules) != 2 || dn.Rules[0].Ports != model.Port(hostPort) || dn.Rules[0].Verdict.Port != 8080 ||
		dn.Rules[1].IIf != "docker0" || dn.Rules[1].Ports != model.Port(hostPort) || dn.Rules[1].Verdict.Port != 8080 {
		t.Errorf("bridge DNAT for host port %d: %+v", hostPort, dn)
	}
}

func TestPlanName(t *testing.T) {
	if _, err := MakePlan(model.NewState("1", "us-east-1"), strings.Repeat("n", 21)); err == nil {
		t.Error("a 21-character name is accepted")
	}
}

// A Gateway Load Balancer is planned (its endpoints send to its
// appliances, gwlb.go); a GWLB endpoint whose endpoint service the state
// does not hold (a snapshot's consumer side) is refused with a clear
// error, not half planned; a Network Firewall endpoint is not.
func TestPlanRefusesUnknownGWLBEndpoints(t *testing.T) {
	st := model.NewState("1", "us-east-1")
	st.LoadBalancers["arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/gwy/fw/0123456789abcdef"] = &model.LoadBalancer{
		ARN: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/gwy/fw/0123456789abcdef", Name: "fw", Type: "gateway"}
	if _, err := MakePlan(st, "x"); err != nil {
		t.Errorf("a GWLB: %v", err)
	}
	st = model.NewState("1", "us-east-1")
	st.VpcEndpoints["vpce-1"] = &model.VpcEndpoint{ID: "vpce-1", Type: "GatewayLoadBalancer", ServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"}
	if _, err := MakePlan(st, "x"); err == nil || !strings.Contains(err.Error(), "Gateway Load Balancer endpoint vpce-1") {
		t.Errorf("a GWLB endpoint of an unknown service: %v", err)
	}
	st.VpcEndpoints["vpce-1"].Tags = model.Tags{"AWSNetworkFirewallManaged": "true"}
	if _, err := MakePlan(st, "x"); err != nil {
		t.Errorf("a Network Firewall endpoint: %v", err)
	}
}

// A firewall's policy in nftables keeps the analyzer's order: stateless
// rules by priority, then the stateful engine, which in the default
// action order jumps to pass before it drops, and drops before it
// rejects, whatever order the rules are written in.
func TestFirewallTableOrder(t *testing.T) {
	fw := &model.NetworkFirewall{Name: "fw", Policy: model.FirewallPolicy{
		StatelessRules: []model.FirewallStatelessRule{{Priority: 1, Action: "aws:drop", Match: model.FirewallMatch{Protocol: "udp", FromPort: 53, ToPort: 53}}},
		StatefulRules: []model.FirewallStatefulRule{
			{Name: "r", Action: "reject", Match: model.FirewallMatch{Protocol: "tcp", FromPort: 22, ToPort: 22}},
			{Name: "d", Action: "drop", Match: model.FirewallMatch{Protocol: "tcp"}},
			{Name: "p", Action: "pass", Match: model.FirewallMatch{Protocol: "tcp", FromPort: 443, ToPort: 443}},
		}}}
	tab := firewallTable("ns", &model.VpcEndpoint{ID: "vpce-1", State: "available"}, fw, nil)
	chain := func(tab Table, name string) []Rule {
		for _, c := range tab.Chains {
			if c.Name == name {
				return c.Rules
			}
		}
		t.Fatalf("no chain %s", name)
		return nil
	}
	fwd := chain(tab, "fwd")
	if len(fwd) != 2 || fwd[0].Verdict.Kind != "drop" || fwd[0].Proto != model.UDP || fwd[1].Verdict.Chain != "sfe" {
		t.Fatalf("stateless: %+v", fwd)
	}
	kinds := func(rs []Rule) string {
		var k []string
		for _, r := range rs {
			k = append(k, r.Verdict.Kind+r.Verdict.Chain)
		}
		return strings.Join(k, " ")
	}
	// A TCP flow's two phases (handshake, established): the same rules,
	// none of them flow:established.
	if got := kinds(chain(tab, "sfetcp")); got != "jumppass drop reject drop jumppass drop reject drop jumppass" {
		t.Errorf("stateful: %s", got)
	}
	fw.Policy.StrictOrder, fw.Policy.StatefulDefault = true, "aws:drop_strict"
	tab = firewallTable("ns", &model.VpcEndpoint{ID: "vpce-1"}, fw, nil)
	if got := kinds(chain(tab, "sfetcp")); got != "reject drop drop jumppass drop reject drop drop jumppass drop jumppass" {
		t.Errorf("strict: %s", got)
	}
	// aws:drop_established lets the handshake phase go on to the
	// established one, which it drops; a flow:established rule is the
	// established phase's only.
	fw.Policy.StatefulDefault = "aws:drop_established"
	fw.Policy.StatefulRules = []model.FirewallStatefulRule{{Name: "e", Action: "pass", Established: true, Match: model.FirewallMatch{Protocol: "tcp"}}}
	tab = firewallTable("ns", &model.VpcEndpoint{ID: "vpce-1"}, fw, nil)
	if got := kinds(chain(tab, "sfetcp")); got != "jumppass drop jumppass" {
		t.Errorf("drop_established: %s", got)
	}
	fw.Policy.StatefulDefault = "aws:drop_strict"
	tab = firewallTable("ns", &model.VpcEndpoint{ID: "vpce-1"}, fw, nil)
	if got := kinds(chain(tab, "sfetcp")); got != "drop jumppass drop jumppass" {
		t.Errorf("drop_strict: %s", got)
	}
}

// A stateful rule's $HOME_NET, negation, source ports and <> direction
// become nftables matches: $EXTERNAL_NET a chain that returns for an
// address of $HOME_NET, <> a second rule the other way.
func TestFirewallTableHeader(t *testing.T) {
	home := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}
	fw := &model.NetworkFirewall{Name: "fw", Policy: model.FirewallPolicy{StrictOrder: true, StatefulRules: []model.FirewallStatefulRule{
		{Name: "ext", Action: "drop", Match: model.FirewallMatch{Protocol: "tcp", SourceHome: true, SourceNegated: true, FromPort: 22, ToPort: 22}},
		{Name: "bi", Action: "pass", Bidirectional: true, Match: model.FirewallMatch{Protocol: "udp", DestinationHome: true, SourceFromPort: 53, SourceToPort: 53}},
	}}}
	tab := firewallTable("ns", &model.VpcEndpoint{ID: "vpce-1"}, fw, home)
	var neg, sfe []Rule
	for _, c := range tab.Chains {
		switch c.Name {
		case "neg0":
			neg = c.Rules
		case "sfe":
			sfe = c.Rules
		}
	}
	if len(neg) != 2 || neg[0].Verdict.Kind != "return" || len(neg[0].Src) != 1 || neg[0].Src[0] != home[0] ||
		neg[1].Verdict.Kind != "drop" || neg[1].Ports.First != 22 || len(neg[1].Src) != 0 {
		t.Errorf("$EXTERNAL_NET: %+v", neg)
	}
	var bi []Rule
	for _, r := range sfe {
		if strings.Contains(r.Comment, `"bi"`) {
			bi = append(bi, r)
		}
	}
	if len(bi) != 2 || bi[0].SrcPorts.First != 53 || len(bi[0].Dst) != 1 || bi[1].Ports.First != 53 || len(bi[1].Src) != 1 || bi[1].Src[0] != home[0] {
		t.Errorf("<>: %+v", bi)
	}
	// A rule on the TLS SNI is refused, naming the firewall and the rule.
	st := model.NewState("1", "us-east-1")
	fw.Policy.StatefulRules = append(fw.Policy.StatefulRules, model.FirewallStatefulRule{Name: "sni", Action: "pass", AppProtocol: "tls", Group: "egress", Line: 3,
		Contents: []model.FirewallContent{{Buffer: "tls.sni", Value: "example.com"}}})
	st.NetworkFirewalls = map[string]*model.NetworkFirewall{"fw": fw}
	if _, err := MakePlan(st, "x"); err == nil || !strings.Contains(err.Error(), "the TLS SNI") || !strings.Contains(err.Error(), "rule group egress, line 3") {
		t.Errorf("a rule on the TLS SNI: %v", err)
	}
}

// A regional NAT gateway is built as a namespace of its own, linked to
// its VPC's router and internet gateway: the route table the subnets of
// three zones share leads to it, it translates each zone it has an
// address in to that address and nothing else, and the internet routes
// those addresses to the VPC's internet gateway. A deleted one is not
// built.
func TestPlanRegionalNATGateway(t *testing.T) {
	st := loadState(t, "examples/failures/analyzer-only/regional-nat-zone-not-listed.yaml")
	p := mustPlan(t, st)
	var ng *model.NatGateway
	for _, g := range st.NatGateways {
		ng = g
	}
	if ng == nil || !ng.Regional() {
		t.Fatal("the story has no regional NAT gateway")
	}
	ns := p.Nodes[string(ng.ID)]
	if ns == "" {
		t.Fatalf("no namespace for %s", ng.ID)
	}
	routed := 0
	for _, r := range p.Routes {
		if r.Dev == "r0" && r.Dst == netip.MustParsePrefix("0.0.0.0/0") && r.Table != 0 {
			routed++
		}
	}
	if routed != 1 {
		t.Errorf("%d route tables send 0.0.0.0/0 to the gateway's link r0, want 1", routed)
	}
	snat := map[string]string{}
	for _, tb := range p.Tables {
		if tb.NS != ns {
			continue
		}
		for _, c := range tb.Chains {
			for _, r := range c.Rules {
				if r.Verdict.Kind == "snat" {
					for _, src := range r.Src {
						snat[src.String()] = r.Verdict.Addr.String()
					}
				}
			}
		}
	}
	want := map[string]string{"10.0.1.0/24": "54.160.0.10", "10.0.2.0/24": "54.160.0.11"}
	if !maps.Equal(snat, want) {
		t.Errorf("the gateway translates %v, want %v (us-east-1c not at all)", snat, want)
	}
	inet := p.Nodes["internet"]
	back := 0
	for _, r := range p.Routes {
		if r.NS == inet && (r.Dst == netip.MustParsePrefix("54.160.0.10/32") || r.Dst == netip.MustParsePrefix("54.160.0.11/32")) {
			back++
		}
	}
	if back != 2 {
		t.Errorf("the internet routes %d of the gateway's 2 addresses to the internet gateway", back)
	}
	st = st.Clone()
	gone := *ng
	gone.State = "deleted"
	st.NatGateways[ng.ID] = &gone
	if p := mustPlan(t, st); p.Nodes[string(ng.ID)] != "" {
		t.Errorf("a deleted regional NAT gateway has namespace %s", p.Nodes[string(ng.ID)])
	}
}

// Every object of a plan lives in one of the plan's own namespaces: none
// (no veth end, address, route, rule, table or listener) in the
// namespace Up starts in. Checked on every example and on 200 tasks.
func TestPlanOwnNamespacesOnly(t *testing.T) {
	files := []string{"examples/seed/article.yaml", "examples/seed/alb.yaml", "examples/seed/bridge.yaml", "examples/seed/fargate.yaml",
		"internal/dataplane/testdata/mix.yaml", "internal/dataplane/testdata/endpoints.yaml"}
	for _, f := range files {
		p := mustPlan(t, loadState(t, f))
		own := map[string]bool{}
		for _, ns := range p.Namespaces {
			if own[ns.Name] {
				t.Errorf("%s: namespace %s twice", f, ns.Name)
			}
			own[ns.Name] = true
		}
		var in []string
		for _, v := range p.Veths {
			in = append(in, v.NS, v.PeerNS)
		}
		for _, x := range p.Bridges {
			in = append(in, x.NS)
		}
		for _, x := range p.Addrs {
			in = append(in, x.NS)
		}
		for _, x := range p.Routes {
			in = append(in, x.NS)
		}
		for _, x := range p.Rules {
			in = append(in, x.NS)
		}
		for _, x := range p.Sysctls {
			in = append(in, x.NS)
		}
		for _, x := range p.Tables {
			in = append(in, x.NS)
		}
		for _, x := range p.Listeners {
			in = append(in, x.NS)
		}
		for _, ns := range in {
			if !own[ns] {
				t.Errorf("%s: an object in namespace %q, not one of the plan's", f, ns)
			}
		}
	}
}

// Every load balancer node goes by the balancer's name and its zone, each
// in a namespace of its own, so `ecsnet up` lists no node by ENI id alone.
func TestPlanLoadBalancerNodeNames(t *testing.T) {
	st := loadState(t, "examples/seed/alb.yaml")
	p := mustPlan(t, st)
	for _, lb := range st.LoadBalancers {
		if len(lb.Nodes) < 2 {
			t.Fatalf("%s has %d nodes, want 2 or more", lb.Name, len(lb.Nodes))
		}
		seen := map[string]string{}
		for _, n := range lb.Nodes {
			name := lb.Name + "/" + n.AvailabilityZone
			ns, ok := p.Aliases[name]
			if !ok {
				t.Errorf("no node named %s", name)
				continue
			}
			if ns != p.Aliases[string(n.ENI)] {
				t.Errorf("%s is namespace %s, its ENI %s is %s", name, ns, n.ENI, p.Aliases[string(n.ENI)])
			}
			if other, dup := seen[ns]; dup {
				t.Errorf("%s and %s share namespace %s", name, other, ns)
			}
			seen[ns] = name
		}
	}
}

// An NLB node source-NATs only the listeners whose target group does not
// keep the client's address, and the replies of the others are routed
// back to it by the VPC router and by the targets beside it.
func TestPlanNLBClientIPPreservation(t *testing.T) {
	p := mustPlan(t, loadState(t, "internal/dataplane/testdata/nlb-preserve.yaml"))
	ns := nsOf(p, "pub-nlb")
	pre := chain(table(p, ns, "nlb"), "pre")
	if pre == nil {
		t.Fatalf("no nlb table in %s", ns)
	}
	snat := map[uint16]bool{}
	dnat := map[uint16]bool{}
	for _, r := range pre.Rules {
		switch r.Verdict.Kind {
		case "ctmark":
			snat[r.Ports.First] = true
		case "dnat":
			dnat[r.Ports.First] = true
		}
	}
	for port := uint16(80); port <= 85; port++ {
		if !dnat[port] {
			t.Errorf("listener %d: no DNAT to a target", port)
		}
		if want := port == 84; snat[port] != want {
			t.Errorf("listener %d: source NAT %v, want %v (only snat-tg turns preservation off)", port, snat[port], want)
		}
	}
	var mac string
	for _, v := range p.Veths {
		if v.PeerNS == ns && v.PeerName == "eth0" {
			mac = v.PeerMAC
		}
	}
	if !strings.HasPrefix(mac, "02:ec:") {
		t.Fatalf("the node's eth0 has hardware address %q, want 02:ec:…", mac)
	}
	marked := map[string]bool{} // namespaces that mark connections from the node
	for _, tb := range p.Tables {
		if !strings.HasPrefix(tb.Name, "nlbret") {
			continue
		}
		for _, r := range chain(&tb, "pre").Rules {
			if r.EtherSrc == mac && r.Verdict.Kind == "ctmark" {
				marked[tb.NS] = true
				if !slices.ContainsFunc(p.Rules, func(x PolicyRule) bool { return x.NS == tb.NS && x.Mark == r.Verdict.Mark }) {
					t.Errorf("%s marks the node's connections %#x but routes no mark", tb.NS, r.Verdict.Mark)
				}
			}
		}
	}
	router := ""
	for _, n := range p.Namespaces {
		if n.Role == "vpc" {
			router = n.Name
		}
	}
	for _, want := range []string{router, nsOf(p, "near/0")} {
		if want == "" || !marked[want] {
			t.Errorf("%s does not send the node's replies back to it (marked: %v)", want, marked)
		}
	}
	if marked[nsOf(p, "far/0")] {
		t.Errorf("far/0, behind the router, marks the node's hardware address it never sees")
	}
}

// TestPlanDocker0BIP: docker0 takes the bip the instance's user data
// gives (a cloud boothook), its containers their addresses and default
// route in it, and its masquerade rule that network; without a bip
// (examples/failures/docker0-vpc-cidr-overlap.yaml) 172.17.0.1/16.
func TestPlanDocker0BIP(t *testing.T) {
	for _, c := range []struct{ file, bridge, container string }{
		{"internal/reach/testdata/docker0-bip.yaml", "192.168.254.1/24", "192.168.254.2/24"},
		{"examples/failures/docker0-vpc-cidr-overlap.yaml", "172.17.0.1/16", "172.17.0.2/16"},
	} {
		p := mustPlan(t, loadState(t, c.file))
		var bridge, container []string
		for _, a := range p.Addrs {
			switch {
			case a.Link == "docker0":
				bridge = append(bridge, a.Prefix.String())
			case a.Link == "eth0" && a.Prefix.Addr().Is4() && !strings.HasPrefix(a.Prefix.String(), "172.17.1.") && !strings.HasPrefix(a.Prefix.String(), "172.17.2.") && !strings.HasPrefix(a.Prefix.String(), "172.17.10."):
				container = append(container, a.Prefix.String())
			}
		}
		if len(bridge) != 1 || bridge[0] != c.bridge || !slices.Contains(container, c.container) {
			t.Errorf("%s: docker0 %v, containers %v; want %s and %s", c.file, bridge, container, c.bridge, c.container)
		}
		gw := netip.MustParsePrefix(c.bridge).Addr()
		if !slices.ContainsFunc(p.Routes, func(r Route) bool { return r.Via == gw && r.Dev == "eth0" }) {
			t.Errorf("%s: no container route via %s", c.file, gw)
		}
	}
}

// TestPlanIntrospectionOffhost: a container instance's ECS agent port
// (tcp/51678) is dropped in its namespace unless it comes in on the
// loopback or docker0, as ecs-init's rule does, except on an instance
// whose ecs.config sets ECS_ALLOW_OFFHOST_INTROSPECTION_ACCESS=true.
func TestPlanIntrospectionOffhost(t *testing.T) {
	st := loadState(t, "examples/failures/datadog-agent-awsvpc-ecs-introspection.yaml")
	p := mustPlan(t, st)
	seen := 0
	for _, inst := range st.Instances {
		ns := p.Nodes[string(inst.ID)]
		tb := table(p, ns, "introspection")
		name := st.InstanceName(inst)
		switch name {
		case "ecs-asg/0":
			seen++
			c := chain(tb, "in")
			if c == nil || c.Hook != "input" || len(c.Rules) != 3 || c.Rules[0].IIf != "lo" || c.Rules[1].IIf != "docker0" ||
				c.Rules[2].Verdict.Kind != "drop" || c.Rules[2].Ports.First != 51678 {
				t.Errorf("%s: %+v", name, tb)
			}
		case "ecs-asg-next/0":
			seen++
			if tb != nil {
				t.Errorf("%s: %+v (off-host access allowed)", name, tb)
			}
		}
	}
	if seen != 2 {
		t.Errorf("%d of the two instances planned", seen)
	}
}
