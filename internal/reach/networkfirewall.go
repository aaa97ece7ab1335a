package reach

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS Network Firewall's policy at a firewall endpoint ("How AWS Network
// Firewall filters network traffic", Network Firewall developer guide):
// every packet meets the stateless rules first, by priority (lowest
// first), the first that matches deciding (pass, drop, or forward to the
// stateful engine), else the stateless default action. The stateful
// engine sees the flow: with strict order the first matching rule in
// order decides (alert goes on), else the stateful default action
// (aws:drop_strict, aws:drop_established; none passes); with the default
// action order a pass rule wins over drop and reject ("Actions are
// processed in the following order: pass, drop, reject, alert"), and a
// flow no rule matches passes. The stateful engine passes the replies of
// the flows it let through; the stateless rules judge each packet, the
// replies too, so a stateless pass rule for a request's destination port
// does not pass its reply (whose destination port is the client's).

// firewallDecision is what a firewall's policy does with a packet: drop
// (or reject) it, by rule (nil for a default action); undecided when it
// hangs on what ecsnet cannot see (dependsOn: the TLS SNI, the HTTP Host,
// the payload), other being the rule that decides the other way.
type firewallDecision struct {
	drop, reject bool
	rule         string
	by, other    *model.FirewallStatefulRule
	engine       string // "stateless" or "stateful"
	// handshake: the stateful engine dropped the TCP handshake, before
	// any application-layer rule could see the flow; laterPass is the
	// pass rule it would then have met.
	handshake bool
	laterPass *model.FirewallStatefulRule
	undecided bool
	dependsOn string
	// sfe: the stateful engine judges the packet (a reply it passes
	// when it saw the flow's request).
	sfe bool
}

// firewallDecide applies policy pol to flow fl (its first packet, or a
// reply when ret: the stateful engine already let its flow through);
// home is $HOME_NET.
//
// The stateful engine judges a TCP flow in two phases: its handshake,
// which rules of the 5-tuple alone (no application protocol, content or
// flow:established) can match, then the established flow, once the
// application protocol is known ("Drop established ... allows the layer
// 3 and 4 connection establishment packets that are needed for the
// upper-layer connections to be established": StatefulDefaultActions).
// A pass rule passes the whole flow, a drop or reject drops it, so a
// drop tcp rule in the default action order drops the handshake before
// a pass tls rule for the name can match.
func firewallDecide(pol *model.FirewallPolicy, home []netip.Prefix, fl model.FirewallFlow, ret bool) firewallDecision {
	fwd := false
	matched := false
	for _, r := range pol.StatelessRules {
		if !r.Match.MatchesFlow(fl, nil) {
			continue
		}
		matched = true
		switch r.Action {
		case "aws:drop":
			return firewallDecision{drop: true, rule: strconv.Quote(statelessRuleName(r)), engine: "stateless"}
		case "aws:forward_to_sfe":
			fwd = true
		}
		break
	}
	if !matched {
		switch pol.StatelessDefault {
		case "aws:drop":
			return firewallDecision{drop: true, engine: "stateless"}
		case "aws:pass":
		default:
			fwd = true
		}
	}
	if !fwd || ret {
		return firewallDecision{sfe: fwd}
	}
	// A rule whose match hangs on what is unknown is taken to match, then
	// not to: when both answers agree the flow's fate is known.
	yes := statefulDecide(pol, home, fl, true)
	no := statefulDecide(pol, home, fl, false)
	if yes.drop == no.drop {
		if !yes.drop {
			return yes
		}
		if no.by == nil || yes.by != nil && no.by != nil {
			return no
		}
		return yes
	}
	d := yes
	if !d.drop {
		d = no
	}
	other := yes
	if other.drop {
		other = no
	}
	d.undecided, d.other = true, other.by
	for _, r := range []*model.FirewallStatefulRule{yes.by, no.by} {
		if r == nil {
			continue
		}
		for _, c := range r.Contents {
			switch {
			case c.Buffer == "tls.sni":
				d.dependsOn = "the TLS SNI"
			case c.Buffer == "http.host":
				d.dependsOn = "the HTTP Host"
			case d.dependsOn == "":
				d.dependsOn = "the traffic's content (" + c.Buffer + ")"
			}
		}
	}
	if d.dependsOn == "" {
		d.dependsOn = "what the flow carries"
	}
	return d
}

// statefulDecide is the stateful engine's decision, a rule whose match
// is undecided counting as a match when assume is set.
func statefulDecide(pol *model.FirewallPolicy, home []netip.Prefix, fl model.FirewallFlow, assume bool) firewallDecision {
	phases := []bool{false}
	if fl.Protocol == "tcp" {
		phases = []bool{true, false}
	}
	drop := func(r *model.FirewallStatefulRule, hs bool) firewallDecision {
		d := firewallDecision{drop: true, engine: "stateful", by: r, handshake: hs && fl.Protocol == "tcp"}
		if r != nil {
			d.rule, d.reject = firewallRuleLabel(r), r.Action == "reject"
		}
		if d.handshake {
			d.laterPass = firstPass(pol, home, fl, assume)
		}
		return d
	}
	hits := func(r *model.FirewallStatefulRule, hs bool) bool {
		m, u := r.MatchesFlow(fl, home, hs)
		return m && (!u || assume)
	}
	for _, hs := range phases {
		last := !hs
		if pol.StrictOrder {
			for i := range pol.StatefulRules {
				r := &pol.StatefulRules[i]
				if !hits(r, hs) {
					continue
				}
				switch r.Action {
				case "pass":
					return firewallDecision{by: r, sfe: true}
				case "drop", "reject":
					return drop(r, hs)
				}
			}
			switch {
			case pol.StatefulDefault == "aws:drop_strict":
				return drop(nil, hs)
			case last && pol.StatefulDefault == "aws:drop_established":
				return drop(nil, hs)
			}
			continue
		}
		var dropBy *model.FirewallStatefulRule
		for i := range pol.StatefulRules {
			r := &pol.StatefulRules[i]
			if !hits(r, hs) {
				continue
			}
			switch r.Action {
			case "pass":
				return firewallDecision{by: r, sfe: true}
			case "drop", "reject":
				if dropBy == nil || dropBy.Action == "reject" && r.Action == "drop" {
					dropBy = r
				}
			}
		}
		if dropBy != nil {
			return drop(dropBy, hs)
		}
	}
	return firewallDecision{sfe: true}
}

// firstPass is the first pass rule that matches the established flow.
func firstPass(pol *model.FirewallPolicy, home []netip.Prefix, fl model.FirewallFlow, assume bool) *model.FirewallStatefulRule {
	for i := range pol.StatefulRules {
		r := &pol.StatefulRules[i]
		if m, u := r.MatchesFlow(fl, home, false); m && (!u || assume) && r.Action == "pass" {
			return r
		}
	}
	return nil
}

// firewallRuleLabel names a stateful rule and where it is written.
func firewallRuleLabel(r *model.FirewallStatefulRule) string {
	l := strconv.Quote(r.Name)
	if r.Group != "" && r.Line > 0 && !strings.HasPrefix(r.Name, r.Group) {
		l += " (rule group " + r.Group + ", line " + strconv.Itoa(r.Line) + ")"
	}
	return l
}

// firewallHome is $HOME_NET at firewall fw: its policy's, else its VPC's
// CIDR blocks.
func (t *tracer) firewallHome(fw *model.NetworkFirewall) []netip.Prefix {
	if len(fw.Policy.HomeNet) > 0 {
		return fw.Policy.HomeNet
	}
	v := t.n.st.VPCs[fw.VpcID]
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

// serverName is the name the client sends in the flow being walked (the
// TLS SNI, the HTTP Host), "" when the walk does not know it: the pull
// check's registry or service name, the probe's HTTP host or the name it
// was given.
func (t *tracer) serverName() string {
	if t.sni != "" {
		return t.sni
	}
	q := t.query
	if q == nil {
		return ""
	}
	if q.HTTPHost != "" {
		return q.HTTPHost
	}
	s := strings.TrimPrefix(strings.TrimSpace(q.To.Spec), "internet:")
	if i := strings.LastIndexByte(s, ':'); i > 0 && allDigits(s[i+1:]) {
		s = s[:i]
	}
	if _, err := netip.ParseAddr(s); err == nil || !strings.Contains(s, ".") || strings.ContainsAny(s, "/[]") {
		return ""
	}
	return s
}

func statelessRuleName(r model.FirewallStatelessRule) string {
	if r.Name != "" {
		return r.Name
	}
	return "priority " + strconv.Itoa(r.Priority)
}

// firewallPolicyDrops applies the policy of the Network Firewall firewall
// whose endpoint ep is to p, and explains a drop (CodeNetworkFirewallDrop,
// naming the rule or the default action). It reports whether the packet
// goes on; a state without the firewall (a snapshot's endpoint) passes it.
func (t *tracer) firewallPolicyPasses(fs *flowState, path *[]Hop, ret bool, ep *endpointNode, p Packet) bool {
	fw := t.n.st.FirewallOfEndpoint(ep.ep.ID)
	if fw == nil {
		return true
	}
	fl := model.FirewallFlow{Protocol: t.protoName(), Source: p.Source, Destination: p.Destination, SourcePort: p.SourcePort, DestPort: p.DestinationPort}
	fl.App = model.FirewallAppProtocol(fl.Protocol, fl.DestPort)
	if fl.App == "tls" || fl.App == "http" {
		fl.Name = t.serverName()
	}
	// A UDP datagram from the server of a flow whose request did not pass
	// this endpoint is a new flow to its stateful engine, judged by the
	// stateful rules as one (the reply's addresses and ports its own)
	// [probable; the data plane's conntrack takes it for a new flow].
	unseen := ret && t.proto == model.UDP && !t.replyICMP && fs.firewalls[firewallFlow{ep.ep.ID, p.Destination, p.Source}] == 0
	d := firewallDecide(&fw.Policy, t.firewallHome(fw), fl, ret && !unseen)
	if !d.drop && !ret {
		if fs.firewalls == nil {
			fs.firewalls = map[firewallFlow]uint8{}
		}
		k := firewallFlow{ep.ep.ID, p.Source, p.Destination}
		if d.sfe {
			fs.firewalls[k] = firewallSFE
		} else if fs.firewalls[k] == 0 {
			fs.firewalls[k] = firewallSeen
		}
	}
	// The reply's flow is the request's with the addresses as the
	// endpoint saw them swapped: a reply whose addresses differ (a
	// request that hairpinned through the internet gateway, translated
	// on the way) is another flow to the stateful engine.
	if seen := fs.firewalls[firewallFlow{ep.ep.ID, p.Destination, p.Source}]; !d.drop && d.sfe && ret && seen != firewallSFE && (t.proto != model.UDP || seen == firewallSeen) {
		// "Network Firewall doesn't support asymmetric routing ... the
		// traffic must be routed to the Network Firewall endpoint in both
		// directions" (asymmetric-routing.html): the stateful engine
		// drops a reply of a flow whose request it never saw (a TCP
		// SYN-ACK, an echo reply; a stateless pass let its request by,
		// STATELESS_RULE_FORWARDING_ASYMMETRICALLY). A UDP datagram
		// from the server of a flow the endpoint never saw is a new flow
		// to it, judged as one ([probable]: ecsnet passes it).
		return t.firewallAsymmetric(fs, path, fw, ep, p)
	}
	if !d.drop {
		return true
	}
	c := &Component{Type: "network-firewall", ID: fw.Name, ARN: fw.ARN, Name: fw.Name}
	seq := t.add(path, ret, Hop{Action: ActionDropped, Blocked: true, Component: c, Packet: p})
	v := Timeout
	if d.reject && t.proto == model.TCP && !ret {
		v = Refused
	}
	code := CodeNetworkFirewallDrop
	if d.undecided {
		v, code = Unknown, CodeNetworkFirewallUndecided
	}
	t.blockOn(fs, ret, v, func() Explanation {
		what := "the " + d.engine + " rule " + d.rule
		if d.rule == "" {
			what = "the " + d.engine + " default action"
			if d.engine == "stateless" {
				what += " aws:drop (no stateless rule matches the packet)"
			} else {
				what += " " + fw.Policy.StatefulDefault + " (no stateful rule matches the flow)"
			}
		}
		where := string(ep.ep.ID)
		for zone, id := range fw.Endpoints {
			if id == ep.ep.ID {
				where += " in " + zone
			}
		}
		m := "AWS Network Firewall " + fw.Name + " (its endpoint " + where + ") drops the packet " + p.Source.String() + " → " + p.Destination.String() + ":" +
			strconv.Itoa(int(p.DestinationPort)) + "/" + t.protoName() + " by " + what
		if d.reject && t.proto == model.TCP && !ret {
			m += " (reject: the firewall answers with a TCP reset, so the connection is refused)"
		}
		if d.handshake && d.laterPass != nil {
			m += "; it drops the TCP handshake, before the firewall knows the application protocol the pass rule " + firewallRuleLabel(d.laterPass) +
				" matches: give the dropping rule flow:established (or, in strict order, use the default action aws:drop_established, which lets the handshakes through)"
		}
		if d.undecided {
			m = "AWS Network Firewall " + fw.Name + " (its endpoint " + where + ") drops the flow " + p.Source.String() + " → " + p.Destination.String() + ":" +
				strconv.Itoa(int(p.DestinationPort)) + "/" + t.protoName() + " or passes it depending on " + d.dependsOn + ", which ecsnet does not know here: it drops by " + what
			if d.other != nil {
				m += ", passes by " + firewallRuleLabel(d.other)
			}
			m += "; probe with the name the client uses (--to NAME:PORT) to decide"
		}
		if unseen && d.engine == "stateful" {
			m += "; the request did not go through this endpoint, so its stateful engine takes the reply for a new flow from " + p.Source.String() + " and judges it as one"
		}
		if ret && d.engine == "stateless" {
			m += "; stateless rules judge every packet, the replies too: pass the reply (its source port is the server's) or forward the flow to the stateful engine (aws:forward_to_sfe), which passes the replies of the flows it allows"
		}
		if fl.Name != "" && !d.undecided {
			m += " (the flow's " + map[string]string{"tls": "TLS SNI", "http": "HTTP Host"}[fl.App] + " is " + fl.Name + ")"
		}
		pk := p
		return Explanation{Code: code, Path: pathName(ret), Hop: seq, Component: c, Packet: &pk, Message: m, clause: m, ServerName: fl.Name}
	})
	return false
}

// firewallFlow is a request's flow at a firewall endpoint: the endpoint
// and the request's source and destination there.
type firewallFlow struct {
	ep       model.VpcEndpointID
	src, dst netip.Addr
}

// How a request went through a firewall endpoint (flowState.firewalls).
const (
	firewallSeen uint8 = 1 + iota // a stateless pass let it by
	firewallSFE                   // the stateful engine let its flow through
)

// firewallAsymmetric explains the drop of a reply at a firewall endpoint
// whose stateful engine did not see the request: the request went
// through no endpoint of the firewall, or another one.
func (t *tracer) firewallAsymmetric(fs *flowState, path *[]Hop, fw *model.NetworkFirewall, ep *endpointNode, p Packet) bool {
	c := &Component{Type: "network-firewall", ID: fw.Name, ARN: fw.ARN, Name: fw.Name}
	seq := t.add(path, true, Hop{Action: ActionDropped, Blocked: true, Component: c, Packet: p})
	t.blockOn(fs, true, Timeout, func() Explanation {
		m := "the reply " + p.Source.String() + " → " + p.Destination.String() + " is routed to AWS Network Firewall " + fw.Name + "'s endpoint " + string(ep.ep.ID) +
			", but the request did not go through it: its stateful engine drops a packet of a flow it never saw (asymmetric routing; Network Firewall needs both directions through the same endpoint). Route the request through the endpoint too, or the reply around it"
		pk := p
		return Explanation{Code: CodeApplianceAsymmetric, Path: "return", Hop: seq, Component: c, Packet: &pk, Message: m, clause: m}
	})
	return false
}

// natPastInspection carries a packet a NAT gateway translated, whose
// subnet's route rr sends it to a Gateway Load Balancer or Network
// Firewall endpoint ep (AWS's "internet gateway and NAT gateway"
// firewall architecture: the NAT gateway's subnet routes 0.0.0.0/0 to
// the firewall endpoint, the endpoint's subnet to the internet gateway),
// through the endpoints, and returns the route the last endpoint's subnet
// takes it by and that subnet.
func (t *tracer) natPastInspection(fs *flowState, path *[]Hop, cur *subnetNode, ep *endpointNode, p Packet, passed *[]inspectionPass) (*rtRoute, *subnetNode, bool) {
	for i := 0; i < maxGWLBPasses; i++ {
		sub, ok := t.gwlbPass(fs, path, false, cur, ep, p)
		if !ok {
			return nil, nil, false
		}
		*passed = append(*passed, inspectionPass{zone: sub.subnet.AvailabilityZone, by: ep.comp})
		rr, ok := t.route(fs, path, false, sub, p, p.Destination)
		if !ok {
			return nil, nil, false
		}
		next, _ := t.inspectionTarget(rr)
		if next == nil {
			return rr, sub, true
		}
		cur, ep = sub, next
	}
	t.inspectionLoop(fs, false, ep.comp)
	return nil, nil, false
}

// replyThroughEdge carries a reply the internet gateway gw let into the
// VPC for p.Destination, in subnet sn, through the inspection endpoint its
// route table (an edge association) sends that address to, as the request
// went the other way through the subnet's route ("ingress routing": the
// gateway's route table must send the subnet's range back through the
// endpoint, or the traffic is asymmetric). The firewall's stateless rules
// judge the reply here. fwd are the inspection points the request passed
// in the VPC: a reply that bypasses them, or meets an endpoint the
// request did not pass, is dropped (ingressasym.go). It reports whether
// the reply goes on; without such a route and passes it does, untouched.
func (t *tracer) replyThroughEdge(fs *flowState, path *[]Hop, gw *Component, sn *subnetNode, fwd []inspectionPass, p Packet) bool {
	rt := t.edgeTable(gw)
	var rr *rtRoute
	var ep *endpointNode
	if rt != nil {
		rr = rt.lookup(p.Destination)
		ep, _ = t.inspectionTarget(rr)
	}
	if !t.edgeSymmetric(fs, path, gw, rt, ep, sn, fwd, p) { // ingressasym.go
		return false
	}
	if ep == nil {
		return true
	}
	t.add(path, true, Hop{Action: ActionRouted, Component: rt.comp, Packet: p, Route: rr.view,
		Note: "the gateway route table of " + gw.Label() + " routes traffic entering the VPC"})
	sub, ok := t.gwlbPass(fs, path, true, nil, ep, p)
	if !ok {
		return false
	}
	_, ok = t.route(fs, path, true, sub, p, p.Destination)
	return ok
}

// edgeTable is the route table associated with a gateway (an edge
// association), or nil when the gateway has none.
func (t *tracer) edgeTable(gw *Component) *routeTable {
	if gw == nil {
		return nil
	}
	m := t.n.st.GatewayRouteTable(gw.ID)
	if m == nil {
		return nil
	}
	return t.n.routeTable(m)
}

// firewallResetBack takes the TCP reset a firewall's reject rule answers
// request p with (the server's address and port to the client's) back to
// a client in subnet cur, whose route sent p to the endpoint in subnet
// sub: out of the endpoint's subnet, into the client's. Network ACLs are
// stateless and filter every packet that crosses a subnet's boundary, the
// firewall's reset too: one that denies it leaves the client waiting (a
// timeout, not refused). Only a client in cur (a reset to the internet,
// or past a transit gateway, is not walked back [choice]).
func (t *tracer) firewallResetBack(fs *flowState, path *[]Hop, ret bool, cur, sub *subnetNode, p Packet) {
	if ret || !fs.blocked || fs.verdict != Refused || cur == nil || sub == nil || sameSubnet(cur, sub) {
		return
	}
	sn := cur.subnet
	in := sn != nil && sn.CIDR.IsValid() && sn.CIDR.Contains(p.Source)
	for _, b := range sn.IPv6 {
		in = in || b.CIDR.Contains(p.Source)
	}
	if !in {
		return
	}
	rst := Packet{Protocol: p.Protocol, Source: p.Destination, SourcePort: p.DestinationPort, Destination: p.Source, DestinationPort: p.SourcePort}
	if t.aclCheck(fs, path, true, sub, true, rst) {
		t.aclCheck(fs, path, true, cur, false, rst)
	}
}
