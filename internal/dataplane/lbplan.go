package dataplane

import (
	"net/netip"
	"slices"
	"strconv"

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
func (pl *planner) lbListeners(ns string, lb *model.LoadBalancer, e *model.NetworkInterface) {
	rules := []Rule{{CtEstablished: true, Verdict: Verdict{Kind: "accept"}}}
	if active := lb.State == "" || lb.State == "active"; active && !lb.IsALB() {
		pl.nlbForward(ns, lb, e)
	}
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

// nlbForward passes a Network Load Balancer node's TCP listeners through
// to a target in the kernel: the node rewrites the destination to the
// target and the source to its own private address, as an NLB does for a
// TCP target group without client IP preservation (ip targets' default),
// so the client's handshake is the target's: connected, refused or timed
// out, as the analyzer says. The target is the first registered one the
// node may send to (not draining, in a zone the load balancer serves, in
// the node's zone unless cross-zone load balancing is on); health checks
// are not consulted (the analyzer's choice differs only when an earlier
// target fails them while a later one passes). A listener whose target
// group has no such target drops the connection (the client times out).
// Listeners that keep the client's address (instance targets, UDP) and
// TLS listeners are not passed through.
func (pl *planner) nlbForward(ns string, lb *model.LoadBalancer, e *model.NetworkInterface) {
	zones := map[string]bool{}
	for _, n := range lb.Nodes {
		zones[n.AvailabilityZone] = true
	}
	var pre []Rule
	for _, l := range pl.st.Listeners {
		if l.LoadBalancerARN != lb.ARN || l.Protocol != "TCP" {
			continue
		}
		var tg *model.TargetGroup
		for _, a := range l.DefaultActions {
			if arns := a.ForwardTargetGroups(); len(arns) > 0 {
				tg = pl.st.TargetGroups[arns[0]]
			}
		}
		if tg == nil || tg.Protocol != "TCP" || nlbPreservesClientIP(tg) {
			continue
		}
		var to netip.AddrPort
		for _, x := range tg.Targets {
			if x.Draining || (x.AvailabilityZone != "all" && !zones[x.AvailabilityZone]) ||
				(!lb.CrossZone && x.AvailabilityZone != "all" && x.AvailabilityZone != e.AvailabilityZone) {
				continue
			}
			if a, ok := pl.targetAddr(x); ok {
				to = netip.AddrPortFrom(a, x.Port)
				break
			}
		}
		r := Rule{IIf: "eth0", Proto: model.TCP, Ports: model.Port(l.Port), Verdict: Verdict{Kind: "drop"}, Comment: "no target the node may send to"}
		if to.IsValid() {
			r.Verdict, r.Comment = Verdict{Kind: "dnat", Addr: to.Addr(), Port: to.Port()}, "NLB listener TCP:"+strconv.Itoa(int(l.Port))
		}
		pre = append(pre, r)
	}
	if len(pre) == 0 {
		return
	}
	slices.SortStableFunc(pre, func(a, b Rule) int { return int(a.Ports.First) - int(b.Ports.First) })
	pl.sysctl(ns, "net/ipv4/ip_forward", "1")
	pl.p.Tables = append(pl.p.Tables, Table{NS: ns, Name: "nlb", Chains: []Chain{
		{Name: "pre", Hook: "prerouting", Type: "nat", Priority: -100, Rules: pre},
		{Name: "post", Hook: "postrouting", Type: "nat", Priority: 100, Rules: []Rule{
			{OIf: "eth0", CtDNAT: true, Verdict: Verdict{Kind: "snat", Addr: e.PrimaryIP()}, Comment: "the target sees the node's private address"},
		}},
	}})
}

// nlbPreservesClientIP is an NLB target group's client IP preservation:
// its preserve_client_ip.enabled attribute, else AWS's default (on for
// instance targets and UDP, off for ip targets over TCP and TLS).
func nlbPreservesClientIP(tg *model.TargetGroup) bool {
	switch tg.Attributes["preserve_client_ip.enabled"] {
	case "true":
		return true
	case "false":
		return tg.Protocol == "UDP" || tg.Protocol == "TCP_UDP"
	}
	return tg.TargetType == "instance" || tg.Protocol == "UDP" || tg.Protocol == "TCP_UDP"
}

// targetAddr is a target's address: an ip target's own, a running
// instance's primary private address.
func (pl *planner) targetAddr(x model.Target) (netip.Addr, bool) {
	if a, ok := x.TargetAddr(); ok {
		return a, true
	}
	i := pl.st.Instances[model.InstanceID(x.ID)]
	if i == nil || i.State != model.InstanceRunning {
		return netip.Addr{}, false
	}
	if e := pl.st.NetworkInterfaces[i.PrimaryENI]; e != nil {
		return e.PrimaryIP(), e.PrimaryIP().IsValid()
	}
	return netip.Addr{}, false
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
