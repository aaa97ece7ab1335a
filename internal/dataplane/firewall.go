package dataplane

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS Network Firewall endpoints and ingress routing (round 38), as the
// analyzer follows them (reach/networkfirewall.go, reach/gwlb.go).
//
// A firewall endpoint is a Gateway Load Balancer endpoint of a service AWS
// owns (tagged AWSNetworkFirewallManaged): a namespace holding its network
// interface, without security groups (a GWLB endpoint has none), that
// forwards what the VPC router sends it and gives it back to the router
// by its subnet, whose route table routes it on ("bump in the wire",
// PrivateLink guide, "Gateway Load Balancer endpoints"). On the way it
// applies its firewall's policy in nftables, generated from the model's
// flattened policy in the analyzer's order ("How AWS Network Firewall
// filters network traffic", Network Firewall developer guide): the
// stateless rules by priority, the first that matches deciding (pass,
// drop, or forward to the stateful engine), else the stateless default
// action; the stateful engine passes the packets of flows it already let
// through (conntrack: the replies, whatever the stateless rules forward
// to it), drops a packet of a flow it never saw start (a SYN-ACK, a reset
// or an echo reply: asymmetric routing, "Avoiding asymmetric routing"),
// and judges a new flow by its stateful rules: in strict order the first
// that matches (alert goes on), else the stateful default action
// (aws:drop_strict and aws:drop_established drop, as the analyzer judges
// them; aws:drop_strict in the handshake phase, aws:drop_established in
// the established one); in the default action order a pass rule first,
// then drop, then reject, and a flow no rule matches passes. A reject of
// a TCP flow sends the client a reset (refused); AWS's reject is TCP's
// only, so anything else is dropped. A firewall the state does not hold (a snapshot's
// endpoint whose policy is Network Firewall's) passes everything, as the
// analyzer assumes. A rule's whole 5-tuple header is built (source
// ports, $HOME_NET and negations, <>, flow:to_client) and a TCP flow is
// judged in the analyzer's two phases (handshake, established); a rule
// that needs the payload (an application protocol, the TLS SNI, the HTTP
// Host: domain lists) is refused (refusePayloadRules), never built on
// its 5-tuple.
//
// Ingress routing: a route table associated with a VPC's internet gateway
// (an edge association, "Gateway route tables", Amazon VPC guide) routes
// what the gateway brings into the VPC: the VPC router looks up its table
// for what enters from the gateway's link.

// firewallFlowMark marks, in a firewall endpoint's conntrack, the flows
// its stateful engine let through: only their packets (the replies too)
// pass it without a new judgement. A flow whose request a stateless pass
// rule let by has no mark, and its reply, forwarded to the stateful
// engine, is dropped as one of a flow the engine never saw (Network
// Firewall's analysis of stateless rule groups,
// STATELESS_RULE_FORWARDING_ASYMMETRICALLY, API_AnalysisResult.html).
const firewallFlowMark = 0x0f1e0001

// firewallEndpoint reports whether ep is one of AWS Network Firewall's
// endpoints (a GWLB endpoint tagged AWSNetworkFirewallManaged=true, or
// one the state's firewalls name).
func firewallEndpoint(st *model.State, ep *model.VpcEndpoint) bool {
	if ep.Type != "GatewayLoadBalancer" {
		return false
	}
	return strings.EqualFold(ep.Tags["AWSNetworkFirewallManaged"], "true") || st.FirewallOfEndpoint(ep.ID) != nil
}

// endpointLive reports whether an endpoint forwards: available (or
// pending, as the engine leaves one before its Step), as the analyzer's
// gwlbPass requires.
func endpointLive(ep *model.VpcEndpoint) bool {
	return ep.State == "" || strings.EqualFold(ep.State, "available") || strings.EqualFold(ep.State, "pending")
}

// firewallEndpoints gives each AWS Network Firewall endpoint its
// namespace, forwarding through the firewall's policy.
func (pl *planner) firewallEndpoints() {
	for _, ep := range sorted(pl.st.VpcEndpoints, func(e *model.VpcEndpoint) string { return string(e.ID) }) {
		if !firewallEndpoint(pl.st, ep) || len(ep.NetworkInterfaces) == 0 {
			continue
		}
		e := pl.st.NetworkInterfaces[ep.NetworkInterfaces[0]]
		if e == nil {
			continue
		}
		ns := pl.ns("f", "firewall", string(ep.ID))
		pl.p.Nodes[string(ep.ID)] = ns
		pl.sysctl(ns, "net/ipv4/ip_forward", "1")
		pl.attachENIs(ns, []*model.NetworkInterface{e}, false, false)
		fw := pl.st.FirewallOfEndpoint(ep.ID)
		var home []netip.Prefix
		if fw != nil {
			home = firewallHome(pl.st, fw)
		}
		pl.p.Tables = append(pl.p.Tables, firewallTable(ns, ep, fw, home))
	}
}

// firewallTable is a firewall endpoint's nftables table: it accepts no
// connection of its own, and forwards by its firewall's policy (none:
// everything, the analyzer's [choice] for a firewall the state lacks).
// home is the firewall's $HOME_NET (firewallHome).
func firewallTable(ns string, ep *model.VpcEndpoint, fw *model.NetworkFirewall, home []netip.Prefix) Table {
	in := Chain{Name: "in", Hook: "input", Type: "filter", Priority: 0, Rules: []Rule{
		{CtEstablished: true, Verdict: Verdict{Kind: "accept"}},
		{IIf: "eth0", Verdict: Verdict{Kind: "drop"}, Comment: "a firewall endpoint accepts no connection"},
	}}
	fwd := Chain{Name: "fwd", Hook: "forward", Type: "filter", Priority: 0}
	if !endpointLive(ep) {
		fwd.Rules = append(fwd.Rules, Rule{Verdict: Verdict{Kind: "drop"}, Comment: "the endpoint is " + ep.State + ", not available"})
		return Table{NS: ns, Name: "firewall", Chains: []Chain{in, fwd}}
	}
	if fw == nil {
		fwd.Rules = append(fwd.Rules, Rule{Verdict: Verdict{Kind: "accept"}, Comment: "a firewall the state does not hold: its rules pass the flow"})
		return Table{NS: ns, Name: "firewall", Chains: []Chain{in, fwd}}
	}
	pol := &fw.Policy
	b := &firewallBuild{}
	action := func(a string) Verdict {
		switch a {
		case "aws:pass":
			return Verdict{Kind: "accept"}
		case "aws:drop":
			return Verdict{Kind: "drop"}
		}
		return Verdict{Kind: "jump", Chain: "sfe"}
	}
	for _, r := range pol.StatelessRules {
		fwd.Rules = append(fwd.Rules, b.rules(r.Match, nil, action(r.Action), "stateless "+firewallRuleName(r.Name, "priority "+strconv.Itoa(r.Priority)))...)
	}
	def := pol.StatelessDefault
	if def == "" {
		def = "aws:forward_to_sfe"
	}
	fwd.Rules = append(fwd.Rules, Rule{Verdict: action(def), Comment: "stateless default " + def})
	sfe := Chain{Name: "sfe", Rules: []Rule{
		{CtMark: firewallFlowMark, Verdict: Verdict{Kind: "accept"}, Comment: "a flow the stateful engine let through"},
		{CtEstablished: true, Verdict: Verdict{Kind: "drop"}, Comment: "a packet of a flow the stateful engine never saw start (a stateless pass let its request by)"},
		{CtInvalid: true, Verdict: Verdict{Kind: "drop"}, Comment: "a packet of a flow it never saw start, or a segment of a flow whose replies go around the endpoint (conntrack saw its SYN, not the SYN-ACK): the default stream exception policy drops it"},
		{Proto: model.TCP, Verdict: Verdict{Kind: "jump", Chain: "sfetcp"}, Comment: "a new TCP flow: its handshake, then the established flow"},
	}}
	sfeTCP := Chain{Name: "sfetcp"}
	pass := Chain{Name: "pass", Rules: []Rule{
		{Verdict: Verdict{Kind: "ctmark", Mark: firewallFlowMark}},
		{Verdict: Verdict{Kind: "accept"}, Comment: "the stateful engine lets the flow through"},
	}}
	stateful := func(r model.FirewallStatefulRule) []Rule {
		name := "stateful " + firewallRuleName(r.Name, r.Action)
		var out []Rule
		switch r.Action {
		case "pass":
			out = b.statefulRules(r, home, Verdict{Kind: "jump", Chain: "pass"}, name)
		case "drop":
			out = b.statefulRules(r, home, Verdict{Kind: "drop"}, name)
		case "reject":
			// A TCP reset for TCP (the client is refused), else a drop:
			// Network Firewall's reject is TCP's.
			t := r
			if t.Match.Protocol == "" || t.Match.Protocol == "tcp" {
				t.Match.Protocol = "tcp"
				out = b.statefulRules(t, home, Verdict{Kind: "reject"}, name)
			}
			out = append(out, b.statefulRules(r, home, Verdict{Kind: "drop"}, name)...)
		}
		return out // alert: inspection goes on
	}
	// The stateful engine judges a TCP flow in two phases (as the
	// analyzer, reach/networkfirewall.go): its handshake, which a rule
	// with flow:established cannot match and aws:drop_strict drops, then
	// the established flow, which a rule with flow:not_established cannot
	// match and aws:drop_established drops too. Both phases hang on the
	// 5-tuple alone (the planner refuses a rule that inspects more), so
	// the data plane judges both at the flow's first packet: a flow the
	// established phase drops is dropped from its SYN on ([choice]: AWS
	// lets its handshake through, then drops its data; the client's
	// request times out either way).
	phase := func(rules []model.FirewallStatefulRule, keep func(model.FirewallStatefulRule) bool, defaults ...string) []Rule {
		var out []Rule
		if pol.StrictOrder {
			for _, r := range rules {
				if keep(r) {
					out = append(out, stateful(r)...)
				}
			}
			if slices.Contains(defaults, pol.StatefulDefault) {
				out = append(out, Rule{Verdict: Verdict{Kind: "drop"}, Comment: "stateful default " + pol.StatefulDefault})
			}
			return out
		}
		for _, a := range []string{"pass", "drop", "reject"} {
			for _, r := range rules {
				if r.Action == a && keep(r) {
					out = append(out, stateful(r)...)
				}
			}
		}
		return out
	}
	all := func(model.FirewallStatefulRule) bool { return true }
	sfeTCP.Rules = append(sfeTCP.Rules, phase(pol.StatefulRules, func(r model.FirewallStatefulRule) bool { return !r.Established }, "aws:drop_strict")...)
	sfeTCP.Rules = append(sfeTCP.Rules, phase(pol.StatefulRules, func(r model.FirewallStatefulRule) bool { return !r.HandshakeOnly }, "aws:drop_strict", "aws:drop_established")...)
	sfeTCP.Rules = append(sfeTCP.Rules, Rule{Verdict: Verdict{Kind: "jump", Chain: "pass"}, Comment: "a flow no stateful rule drops"})
	sfe.Rules = append(sfe.Rules, phase(pol.StatefulRules, all, "aws:drop_strict", "aws:drop_established")...)
	sfe.Rules = append(sfe.Rules, Rule{Verdict: Verdict{Kind: "jump", Chain: "pass"}, Comment: "a flow no stateful rule drops"})
	chains := []Chain{in, fwd, sfe, sfeTCP, pass}
	return Table{NS: ns, Name: "firewall", Chains: append(chains, b.chains...)}
}

func firewallRuleName(name, otherwise string) string {
	if name != "" {
		return strconv.Quote(name)
	}
	return otherwise
}

// firewallHome is $HOME_NET at firewall fw: its policy's, else its VPC's
// CIDR blocks (as the analyzer's, reach/networkfirewall.go).
func firewallHome(st *model.State, fw *model.NetworkFirewall) []netip.Prefix {
	if len(fw.Policy.HomeNet) > 0 {
		return fw.Policy.HomeNet
	}
	v := st.VPCs[fw.VpcID]
	if v == nil {
		return nil
	}
	out := []netip.Prefix{v.CIDR}
	out = append(out, v.Secondary...)
	for _, b := range v.IPv6 {
		out = append(out, b.CIDR)
	}
	return out
}

// firewallBuild collects the regular chains a firewall's rules need: a
// negated side (!$HOME_NET, $EXTERNAL_NET, ![…]) is a chain that returns
// for an address in the set, then matches the rest.
type firewallBuild struct {
	chains []Chain
}

// statefulRules are the matches of stateful rule r with verdict v: its
// header as written (the server's side first with flow:to_client), and
// the other way too when its direction is <>.
func (b *firewallBuild) statefulRules(r model.FirewallStatefulRule, home []netip.Prefix, v Verdict, comment string) []Rule {
	m := r.Match
	if r.ToClient {
		m = reverseMatch(m)
	}
	out := b.rules(m, home, v, comment)
	if r.Bidirectional {
		out = append(out, b.rules(reverseMatch(m), home, v, comment+" (<>, the other way)")...)
	}
	return out
}

// reverseMatch is m with its sides swapped.
func reverseMatch(m model.FirewallMatch) model.FirewallMatch {
	m.Sources, m.Destinations = m.Destinations, m.Sources
	m.SourceHome, m.DestinationHome = m.DestinationHome, m.SourceHome
	m.SourceNegated, m.DestinationNegated = m.DestinationNegated, m.SourceNegated
	m.FromPort, m.SourceFromPort = m.SourceFromPort, m.FromPort
	m.ToPort, m.SourceToPort = m.SourceToPort, m.ToPort
	return m
}

// firewallSide is what one side of a match holds (FirewallMatch's
// sideHolds): any address, none, the prefixes in, or (negated) those not
// in.
type firewallSide struct {
	any, none bool
	in, notIn []netip.Prefix
}

func sideOf(ps []netip.Prefix, isHome, negated bool, home []netip.Prefix) firewallSide {
	if !isHome && len(ps) == 0 {
		return firewallSide{any: true}
	}
	set := slices.Clone(ps)
	if isHome {
		set = append(set, home...)
	}
	switch {
	case negated && len(set) == 0:
		return firewallSide{any: true}
	case negated:
		return firewallSide{notIn: set}
	case len(set) == 0:
		return firewallSide{none: true}
	}
	return firewallSide{in: set}
}

// rules are the nftables rules of match m with verdict v (home being
// $HOME_NET): one rule per protocol and address family, behind a chain
// of returns when a side is negated.
func (b *firewallBuild) rules(m model.FirewallMatch, home []netip.Prefix, v Verdict, comment string) []Rule {
	src := sideOf(m.Sources, m.SourceHome, m.SourceNegated, home)
	dst := sideOf(m.Destinations, m.DestinationHome, m.DestinationNegated, home)
	if src.none || dst.none {
		return nil // $HOME_NET of no range: nothing
	}
	out := firewallRules(m, src.in, dst.in)
	if len(src.notIn) == 0 && len(dst.notIn) == 0 {
		for i := range out {
			out[i].Verdict, out[i].Comment = v, comment
		}
		return out
	}
	if len(out) == 0 {
		return nil
	}
	name := "neg" + strconv.Itoa(len(b.chains))
	c := Chain{Name: name}
	if len(src.notIn) > 0 {
		c.Rules = append(c.Rules, Rule{Src: src.notIn, Verdict: Verdict{Kind: "return"}, Comment: "a source in the negated set"})
	}
	if len(dst.notIn) > 0 {
		c.Rules = append(c.Rules, Rule{Dst: dst.notIn, Verdict: Verdict{Kind: "return"}, Comment: "a destination in the negated set"})
	}
	for _, r := range out {
		r.Verdict, r.Comment = v, comment
		c.Rules = append(c.Rules, r)
	}
	b.chains = append(b.chains, c)
	return []Rule{{Verdict: Verdict{Kind: "jump", Chain: name}, Comment: comment}}
}

// firewallRules turns a firewall rule's match into nftables matches
// (without verdicts): its protocol, the source and destination ranges
// src and dst (none: any), its destination and source ports. A match
// with ports and no protocol matches TCP and UDP on them (an ICMP packet
// has no port).
func firewallRules(m model.FirewallMatch, src, dst []netip.Prefix) []Rule {
	r := Rule{}
	ports := m.FromPort != 0 || m.ToPort != 0 || m.SourceFromPort != 0 || m.SourceToPort != 0
	if m.FromPort != 0 || m.ToPort != 0 {
		r.Ports = model.PortRange{First: m.FromPort, Last: m.ToPort}
	}
	if m.SourceFromPort != 0 || m.SourceToPort != 0 {
		r.SrcPorts = model.PortRange{First: m.SourceFromPort, Last: m.SourceToPort}
	}
	var protos []model.Protocol
	switch m.Protocol {
	case "tcp":
		protos = []model.Protocol{model.TCP}
	case "udp":
		protos = []model.Protocol{model.UDP}
	case "icmp":
		if ports {
			return nil
		}
		protos = []model.Protocol{model.ICMP}
	default:
		if ports {
			protos = []model.Protocol{model.TCP, model.UDP}
		} else {
			protos = []model.Protocol{0}
		}
	}
	// One rule per address family: nftables matches IPv4 and IPv6
	// addresses at different offsets, and a rule of mixed families
	// (sources of one, destinations of the other) matches nothing.
	var out []Rule
	for _, fam := range []int{4, 6} {
		x := r
		x.Src, x.Dst = familyPrefixes(src, fam), familyPrefixes(dst, fam)
		if (len(src) > 0 && len(x.Src) == 0) || (len(dst) > 0 && len(x.Dst) == 0) {
			continue
		}
		if len(src) == 0 && len(dst) == 0 && fam == 6 {
			continue // any address: one rule of both families
		}
		for _, p := range protos {
			y := x
			y.Proto = p
			out = append(out, y)
		}
	}
	return out
}

// familyPrefixes are the prefixes of ps of one family (4 or 6).
func familyPrefixes(ps []netip.Prefix, fam int) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range ps {
		if familyOf(p.Addr()) == fam {
			out = append(out, p)
		}
	}
	return out
}

// gwlbEndpointENI is the interface of a Gateway Load Balancer endpoint of
// VPC v that a route names (a firewall endpoint or another one), and its
// subnet's bridge; false for any other endpoint.
func (pl *planner) gwlbEndpointENI(v *model.VPC, id model.VpcEndpointID) (*model.NetworkInterface, string, bool) {
	ep := pl.st.VpcEndpoints[id]
	if ep == nil || ep.VpcID != v.ID || ep.Type != "GatewayLoadBalancer" || len(ep.NetworkInterfaces) == 0 {
		return nil, "", false
	}
	e, br, ok := pl.eniBridge(v, ep.NetworkInterfaces[0])
	if !ok || pl.eniNS[e.ID] == "" {
		return nil, "", false
	}
	return e, br, true
}

// edgeRules makes VPC v's router route what enters from its internet
// gateway by the gateway's route table (an edge association), when it
// has one.
func (pl *planner) edgeRules(v *model.VPC, tables map[model.RouteTableID]int) {
	g := pl.st.VpcInternetGateway(v.ID)
	if g == nil {
		return
	}
	rt := pl.st.GatewayRouteTable(string(g.ID))
	if rt == nil || rt.VpcID != v.ID {
		return
	}
	tbl, ok := tables[rt.ID]
	if !ok {
		return
	}
	ns := pl.vpcNS[v.ID]
	pl.p.Rules = append(pl.p.Rules, PolicyRule{NS: ns, Priority: 800, IIf: "igw", Table: tbl})
	if pl.v6 {
		pl.p.Rules = append(pl.p.Rules, PolicyRule{NS: ns, V6: true, Priority: 800, IIf: "igw", Table: tbl})
	}
}

// refusePayloadRules refuses a state whose Network Firewall policy holds
// a stateful rule that decides by more than the 5-tuple: an application
// protocol (tls, http …, a domain list's rules) or a content match (the
// TLS SNI, the HTTP Host): the data plane's firewall is nftables, which
// does not inspect the payload, and a rule built on the 5-tuple alone
// would match flows AWS's does not. An alert rule decides nothing and is
// left out. The analyzer judges them (ecsnet probe).
func refusePayloadRules(st *model.State) error {
	for _, fw := range sorted(st.NetworkFirewalls, func(f *model.NetworkFirewall) string { return f.Name }) {
		for _, r := range fw.Policy.StatefulRules {
			if r.Action == "alert" || (r.AppProtocol == "" && len(r.Contents) == 0) {
				continue
			}
			what := "the application protocol " + r.AppProtocol
			for _, c := range r.Contents {
				switch c.Buffer {
				case "tls.sni":
					what = "the TLS SNI"
				case "http.host":
					what = "the HTTP Host"
				default:
					what = "the traffic's content (" + c.Buffer + ")"
				}
				break
			}
			where := ""
			if r.Group != "" {
				where = " of rule group " + r.Group
			}
			if r.Line > 0 {
				where += ", line " + strconv.Itoa(r.Line)
			}
			return fmt.Errorf("the data plane cannot build AWS Network Firewall %s: its %s rule %q%s matches on %s, and the data plane does not inspect TLS SNI, HTTP Host or other payload (its firewall is nftables on the 5-tuple); use ecsnet probe", fw.Name, r.Action, r.Name, where, what)
		}
	}
	return nil
}
