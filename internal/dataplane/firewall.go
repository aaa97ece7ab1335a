package dataplane

import (
	"net/netip"
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
// them); in the default action order a pass rule first, then drop, then
// reject, and a flow no rule matches passes. A reject of a TCP flow sends
// the client a reset (refused); AWS's reject is TCP's only, so anything
// else is dropped. A firewall the state does not hold (a snapshot's
// endpoint whose policy is Network Firewall's) passes everything, as the
// analyzer assumes. Suricata rule strings and domain lists are the
// analyzer's only (not generated here).
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
		pl.p.Tables = append(pl.p.Tables, firewallTable(ns, ep, fw))
	}
}

// firewallTable is a firewall endpoint's nftables table: it accepts no
// connection of its own, and forwards by its firewall's policy (none:
// everything, the analyzer's [choice] for a firewall the state lacks).
func firewallTable(ns string, ep *model.VpcEndpoint, fw *model.NetworkFirewall) Table {
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
		for _, m := range firewallRules(r.Match) {
			m.Verdict = action(r.Action)
			m.Comment = "stateless " + firewallRuleName(r.Name, "priority "+strconv.Itoa(r.Priority))
			fwd.Rules = append(fwd.Rules, m)
		}
	}
	def := pol.StatelessDefault
	if def == "" {
		def = "aws:forward_to_sfe"
	}
	fwd.Rules = append(fwd.Rules, Rule{Verdict: action(def), Comment: "stateless default " + def})
	sfe := Chain{Name: "sfe", Rules: []Rule{
		{CtMark: firewallFlowMark, Verdict: Verdict{Kind: "accept"}, Comment: "a flow the stateful engine let through"},
		{CtEstablished: true, Verdict: Verdict{Kind: "drop"}, Comment: "a packet of a flow the stateful engine never saw start (a stateless pass let its request by)"},
		{CtInvalid: true, Proto: model.TCP, TCPNoSYN: true, Verdict: Verdict{Kind: "accept"}, Comment: "a segment of a flow whose replies go around the endpoint (conntrack saw its SYN, not the SYN-ACK): passed, as the analyzer passes it"},
		{CtInvalid: true, Verdict: Verdict{Kind: "drop"}, Comment: "a packet of a flow it never saw start"},
	}}
	pass := Chain{Name: "pass", Rules: []Rule{
		{Verdict: Verdict{Kind: "ctmark", Mark: firewallFlowMark}},
		{Verdict: Verdict{Kind: "accept"}, Comment: "the stateful engine lets the flow through"},
	}}
	stateful := func(r model.FirewallStatefulRule) []Rule {
		var out []Rule
		for _, m := range firewallRules(r.Match) {
			m.Comment = "stateful " + firewallRuleName(r.Name, r.Action)
			switch r.Action {
			case "pass":
				m.Verdict = Verdict{Kind: "jump", Chain: "pass"}
			case "drop":
				m.Verdict = Verdict{Kind: "drop"}
			case "reject":
				// A TCP reset for TCP (the client is refused), else a drop:
				// Network Firewall's reject is TCP's.
				if m.Proto == 0 || m.Proto == model.TCP {
					t := m
					t.Proto, t.Verdict = model.TCP, Verdict{Kind: "reject"}
					out = append(out, t)
				}
				m.Verdict = Verdict{Kind: "drop"}
			default:
				continue // alert: inspection goes on
			}
			out = append(out, m)
		}
		return out
	}
	if pol.StrictOrder {
		for _, r := range pol.StatefulRules {
			sfe.Rules = append(sfe.Rules, stateful(r)...)
		}
		if pol.StatefulDefault == "aws:drop_strict" || pol.StatefulDefault == "aws:drop_established" {
			sfe.Rules = append(sfe.Rules, Rule{Verdict: Verdict{Kind: "drop"}, Comment: "stateful default " + pol.StatefulDefault})
		}
	} else {
		for _, a := range []string{"pass", "drop", "reject"} {
			for _, r := range pol.StatefulRules {
				if r.Action == a {
					sfe.Rules = append(sfe.Rules, stateful(r)...)
				}
			}
		}
	}
	sfe.Rules = append(sfe.Rules, Rule{Verdict: Verdict{Kind: "jump", Chain: "pass"}, Comment: "a flow no stateful rule drops"})
	return Table{NS: ns, Name: "firewall", Chains: []Chain{in, fwd, sfe, pass}}
}

func firewallRuleName(name, otherwise string) string {
	if name != "" {
		return strconv.Quote(name)
	}
	return otherwise
}

// firewallRules turns a firewall rule's match into nftables matches
// (without verdicts): its protocol, sources, destinations and
// destination ports (FirewallMatch.Matches). A match with ports and no
// protocol matches TCP and UDP on them (an ICMP packet has no port).
func firewallRules(m model.FirewallMatch) []Rule {
	r := Rule{Src: m.Sources, Dst: m.Destinations}
	ports := m.FromPort != 0 || m.ToPort != 0
	if ports {
		r.Ports = model.PortRange{First: m.FromPort, Last: m.ToPort}
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
		x.Src, x.Dst = familyPrefixes(m.Sources, fam), familyPrefixes(m.Destinations, fam)
		if (len(m.Sources) > 0 && len(x.Src) == 0) || (len(m.Destinations) > 0 && len(x.Dst) == 0) {
			continue
		}
		if len(m.Sources) == 0 && len(m.Destinations) == 0 && fam == 6 {
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
