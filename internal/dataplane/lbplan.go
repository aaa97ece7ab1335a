package dataplane

import (
	"slices"

	"github.com/ecsnet/ecsnet/internal/model"
)

// lbListeners adds a load balancer node's listener filter: after its
// security groups, a new connection to the node must be for one of the
// load balancer's listeners, on a protocol the listener takes (an ALB's
// listeners take TCP; an NLB's TCP, UDP or both); anything else is
// dropped silently, so the client times out, as the analyzer says ("a
// load balancer drops traffic that matches no listener"). A load
// balancer that is not active takes nothing. Replies to the node's own
// connections (health checks, requests to targets) pass.
func (pl *planner) lbListeners(ns string, lb *model.LoadBalancer) {
	rules := []Rule{{CtEstablished: true, Verdict: Verdict{Kind: "accept"}}}
	if lb.State == "" || lb.State == "active" {
		var ls []*model.Listener
		for _, l := range pl.st.Listeners {
			if l.LoadBalancerARN == lb.ARN {
				ls = append(ls, l)
			}
		}
		slices.SortFunc(ls, func(a, b *model.Listener) int { return int(a.Port) - int(b.Port) })
		for _, l := range ls {
			for _, p := range listenerProtos(l.Protocol) {
				rules = append(rules, Rule{IIf: "eth0", Proto: p, Ports: model.Port(l.Port), Verdict: Verdict{Kind: "accept"}, Comment: "listener " + l.Protocol})
			}
		}
	}
	rules = append(rules, Rule{IIf: "eth0", Verdict: Verdict{Kind: "drop"}, Comment: "no listener: the load balancer drops it"})
	pl.p.Tables = append(pl.p.Tables, Table{NS: ns, Name: "listeners", Chains: []Chain{{Name: "in", Hook: "input", Type: "filter", Priority: 0, Rules: rules}}})
}

// listenerProtos are the transport protocols a listener takes.
func listenerProtos(p string) []model.Protocol {
	switch p {
	case "UDP":
		return []model.Protocol{model.UDP}
	case "TCP_UDP":
		return []model.Protocol{model.TCP, model.UDP}
	}
	return []model.Protocol{model.TCP} // HTTP, HTTPS, TCP, TLS
}
