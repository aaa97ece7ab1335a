package reach

import (
	"net/netip"
	"strconv"

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
// (or reject) it, by rule ("" for a default action).
type firewallDecision struct {
	drop, reject bool
	// sfe: the stateful engine judges the packet (a reply it passes
	// when it saw the flow's request).
	sfe          bool
	rule, engine string // engine: "stateless" or "stateful"
}

// decide applies policy to packet p of protocol proto; ret is a reply,
// whose flow the stateful engine already let through.
func firewallDecide(pol *model.FirewallPolicy, proto string, p Packet, ret bool) firewallDecision {
	fwd := false
	matched := false
	for _, r := range pol.StatelessRules {
		if !r.Match.Matches(proto, p.Source, p.Destination, p.DestinationPort) {
			continue
		}
		matched = true
		switch r.Action {
		case "aws:drop":
			return firewallDecision{drop: true, rule: statelessRuleName(r), engine: "stateless"}
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
	if pol.StrictOrder {
		for _, r := range pol.StatefulRules {
			if !r.Match.Matches(proto, p.Source, p.Destination, p.DestinationPort) {
				continue
			}
			switch r.Action {
			case "pass":
				return firewallDecision{sfe: true}
			case "drop", "reject":
				return firewallDecision{drop: true, reject: r.Action == "reject", rule: r.Name, engine: "stateful"}
			}
		}
		if pol.StatefulDefault == "aws:drop_strict" || pol.StatefulDefault == "aws:drop_established" {
			return firewallDecision{drop: true, engine: "stateful"}
		}
		return firewallDecision{sfe: true}
	}
	var dropBy *model.FirewallStatefulRule
	for i, r := range pol.StatefulRules {
		if !r.Match.Matches(proto, p.Source, p.Destination, p.DestinationPort) {
			continue
		}
		switch r.Action {
		case "pass":
			return firewallDecision{sfe: true}
		case "drop", "reject":
			if dropBy == nil || dropBy.Action == "reject" && r.Action == "drop" {
				dropBy = &pol.StatefulRules[i]
			}
		}
	}
	if dropBy != nil {
		return firewallDecision{drop: true, reject: dropBy.Action == "reject", rule: dropBy.Name, engine: "stateful"}
	}
	return firewallDecision{sfe: true}
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
	d := firewallDecide(&fw.Policy, t.protoName(), p, ret)
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
	t.blockOn(fs, ret, v, func() Explanation {
		what := "the " + d.engine + " rule " + strconv.Quote(d.rule)
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
		if ret && d.engine == "stateless" {
			m += "; stateless rules judge every packet, the replies too: pass the reply (its source port is the server's) or forward the flow to the stateful engine (aws:forward_to_sfe), which passes the replies of the flows it allows"
		}
		pk := p
		return Explanation{Code: CodeNetworkFirewallDrop, Path: pathName(ret), Hop: seq, Component: c, Packet: &pk, Message: m, clause: m}
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
func (t *tracer) natPastInspection(fs *flowState, path *[]Hop, cur *subnetNode, ep *endpointNode, p Packet) (*rtRoute, *subnetNode, bool) {
	for i := 0; i < maxGWLBPasses; i++ {
		sub, ok := t.gwlbPass(fs, path, false, cur, ep, p)
		if !ok {
			return nil, nil, false
		}
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
// VPC for p.Destination through the inspection endpoint its route table
// (an edge association) sends that address to, as the request went the
// other way through the subnet's route ("ingress routing": the gateway's
// route table must send the subnet's range back through the endpoint, or
// the traffic is asymmetric). The firewall's stateless rules judge the
// reply here. It reports whether the reply goes on; without such a
// route it does, untouched.
func (t *tracer) replyThroughEdge(fs *flowState, path *[]Hop, gw *Component, p Packet) bool {
	rt := t.edgeTable(gw)
	if rt == nil {
		return true
	}
	rr := rt.lookup(p.Destination)
	ep, _ := t.inspectionTarget(rr)
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
