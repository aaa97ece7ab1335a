package dataplane

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// lbNode adds what a load balancer node does in the kernel besides its
// listener filter (plan.go): a load balancer that is not active takes no
// new connection (the client times out, as the analyzer says), and a
// Network Load Balancer's node passes TCP through (nlbForward).
func (pl *planner) lbNode(ns string, lb *model.LoadBalancer, e *model.NetworkInterface) {
	if lb.State != "" && lb.State != "active" {
		pl.p.Tables = append(pl.p.Tables, Table{NS: ns, Name: "inactive", Chains: []Chain{{Name: "in", Hook: "input", Type: "filter", Priority: -10, Rules: []Rule{
			{CtEstablished: true, Verdict: Verdict{Kind: "accept"}},
			{IIf: "eth0", Verdict: Verdict{Kind: "drop"}, Comment: "the load balancer is " + lb.State + ", not active"},
		}}}})
		return
	}
	if !lb.IsALB() {
		pl.nlbForward(ns, lb, e)
	}
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
		for _, x := range tg.Targets.All() {
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

// classicNodes adds each Classic Load Balancer's nodes: a namespace per
// node holding its network interface (in its subnet, with the load
// balancer's security groups), a filter that takes only the listeners'
// ports (anything else is dropped: a timeout, as the analyzer says), and
// its DNS name. The node's listeners are run by the LBRunner
// (elbproxy.NewClassic): the HTTP reverse proxy and the TCP proxy.
func (pl *planner) classicNodes() {
	st := pl.st
	for _, c := range sorted(st.ClassicLoadBalancers, func(c *model.ClassicLoadBalancer) string { return c.Name }) {
		arn := reach.ClassicLoadBalancerARN(st, c.Name)
		for _, node := range sortedNodes(c.Nodes) {
			e := st.NetworkInterfaces[node.ENI]
			if e == nil {
				continue
			}
			ns := pl.lbNodeNS(arn, e)
			pl.p.LoadBalancers = append(pl.p.LoadBalancers, LBNode{NS: ns, LBARN: arn, Addr: e.PrimaryIP(), Subnet: e.SubnetID, Classic: c.Name})
			var accept []Rule
			for _, l := range c.Listeners {
				if l.LoadBalancerPort > 0 && l.LoadBalancerPort < 65536 {
					accept = append(accept, Rule{IIf: "eth0", Proto: model.TCP, Ports: model.Port(uint16(l.LoadBalancerPort)), Verdict: Verdict{Kind: "accept"}, Comment: "listener " + l.Protocol})
				}
			}
			pl.lbListeners(ns, accept, e, c.Scheme, c.DNSName)
		}
	}
}

// lbNodeNS adds a load balancer node's namespace, holding its network
// interface e (the first node's namespace names the load balancer arn),
// and returns it.
func (pl *planner) lbNodeNS(arn string, e *model.NetworkInterface) string {
	ns := pl.ns("l", "lb", arn)
	if _, ok := pl.p.Nodes[arn]; !ok {
		pl.p.Nodes[arn] = ns
	}
	pl.sysctl(ns, "net/ipv4/ip_forward", "0")
	pl.attach(ns, []*model.NetworkInterface{e}, false)
	return ns
}

// lbListeners adds a load balancer node's listener filter, which takes
// what accept (its listeners' ports) does and drops the rest (no reset:
// the analyzer's ELBV2_LISTENER_PORT_RESTRICTION, a timeout), and the
// load balancer's DNS name, answered with the node's public address
// unless the scheme is internal.
func (pl *planner) lbListeners(ns string, accept []Rule, e *model.NetworkInterface, scheme, dnsName string) {
	in := Chain{Name: "in", Hook: "input", Type: "filter", Priority: 0, Rules: []Rule{
		{IIf: "eth0", CtEstablished: true, Verdict: Verdict{Kind: "accept"}},
	}}
	in.Rules = append(in.Rules, accept...)
	in.Rules = append(in.Rules, Rule{IIf: "eth0", Verdict: Verdict{Kind: "drop"}, Comment: "no listener: dropped"})
	pl.p.Tables = append(pl.p.Tables, Table{NS: ns, Name: "listeners", Chains: []Chain{in}})
	addr := e.PrimaryIP()
	pub, hasPub := e.PublicIP()
	if hasPub && scheme != "internal" {
		addr = pub
	}
	if dnsName != "" {
		pl.p.Hosts = append(pl.p.Hosts, HostEntry{Name: strings.ToLower(dnsName), Addr: addr, Public: addr == pub})
	}
}

// sortedNodes returns load balancer nodes by Availability Zone.
func sortedNodes(nodes []model.LoadBalancerNode) []model.LoadBalancerNode {
	out := slices.Clone(nodes)
	slices.SortStableFunc(out, func(a, b model.LoadBalancerNode) int { return strings.Compare(a.AvailabilityZone, b.AvailabilityZone) })
	return out
}
