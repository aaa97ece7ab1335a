package dataplane

import (
	"fmt"
	"maps"
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

// nlbForward passes a Network Load Balancer node's listeners through to
// a target in the kernel: the node rewrites the destination to the
// target, so the client's handshake (or datagram) is the target's:
// connected, refused or timed out, as the analyzer says. TCP and UDP
// listeners pass their protocol, TCP_UDP listeners both; a TLS listener
// ends TLS at the load balancer and opens a connection to the target
// port (TCP, or TLS again), which for the network is a TCP connection to
// the target: the data plane passes it through as TCP, and a probe of a
// TLS target group completes its TLS handshake with the target's
// application itself (nlbtls.go). A target group without client IP
// preservation (ip targets over TCP and TLS by default) also has the
// source rewritten to the node's private address; one that keeps it
// (instance targets, UDP and TCP_UDP, or preserve_client_ip.enabled)
// leaves the client's address, so the target's security group and the
// network ACLs on the way see the client as on AWS, and the replies come
// back through the node (nlbReturnPaths), which restores the listener's
// address. The load balancer tags what it passes (the DSCP,
// nlbGroupTags), so that a target's rule naming its group admits it even
// with the client's address, as AWS's NLB security groups do, and a rule
// naming the client's group does not. The target is the first registered one the node may send
// to (not draining, in a zone the load balancer serves, in the node's
// zone unless cross-zone load balancing is on) until the system is up;
// then, when there are several, the node health checks them from its
// namespace and address and the listener is sent to the first healthy
// one, or to the first if none is (fail-open, as the analyzer's
// toTargets): nlbhealth.go, with elbproxy's health checks. Replies of
// every candidate that sees the client's address come back through the
// node, whichever is chosen. A listener whose target group has no such
// target drops the connection (the client times out). A dualstack
// node does the same for the clients of an ipv6 target group's family
// (IPv6: its destination rewritten to the target's IPv6 address, the
// source to the node's IPv6 address unless the group preserves it, the
// tag in the traffic class); the clients of the other family are
// translated in user space (nlbxlat.go).
func (pl *planner) nlbForward(ns string, lb *model.LoadBalancer, e *model.NetworkInterface) {
	zones := map[string]bool{}
	for _, n := range lb.Nodes {
		zones[n.AvailabilityZone] = true
	}
	var pre []Rule
	var kept []netip.Addr // targets that see the client's address
	terminated := false   // a TLS listener ended at the node (nlbtls.go)
	transparent := false  // one of them connects to its targets from the client's address
	node6, has6 := e.PrimaryIPv6()
	has6 = has6 && pl.v6
	for _, l := range sorted(pl.st.Listeners, func(l *model.Listener) string { return l.ARN }) {
		if l.LoadBalancerARN != lb.ARN {
			continue
		}
		var protos []model.Protocol
		switch l.Protocol {
		case "TCP", "TLS":
			protos = []model.Protocol{model.TCP}
		case "UDP":
			protos = []model.Protocol{model.UDP}
		case "TCP_UDP":
			protos = []model.Protocol{model.TCP, model.UDP}
		default:
			continue
		}
		var tg *model.TargetGroup
		for _, a := range l.DefaultActions {
			if arn := a.MainTargetGroup(); a.Type == "forward" && arn != "" {
				tg = pl.st.TargetGroups[arn]
			}
		}
		if tg == nil {
			continue
		}
		var cands []NLBTarget
		for _, x := range tg.Targets.All() {
			if x.Draining || (x.AvailabilityZone != "all" && !zones[x.AvailabilityZone]) ||
				(!lb.CrossZone && x.AvailabilityZone != "all" && x.AvailabilityZone != e.AvailabilityZone) {
				continue
			}
			if a, ok := pl.targetAddrIn(tg, x); ok {
				cands = append(cands, NLBTarget{ID: x.ID, Port: x.Port, Addr: netip.AddrPortFrom(a, x.Port)})
			}
		}
		var to netip.AddrPort
		if len(cands) > 0 {
			to = cands[0].Addr
			if has6 && strings.HasPrefix(lb.IPAddressType, "dualstack") {
				for _, proto := range protos {
					pl.nlbTranslation(ns, lb, e, l, proto, tg, cands) // nlbxlat.go
				}
			}
		}
		if l.Protocol == "TLS" && to.IsValid() && pl.nlbTLSTermination(ns, lb, e, l, tg, cands) {
			// The node ends the client's TLS in user space and opens its
			// own connection to the target (nlbtls.go): no pass-through.
			// With client IP preservation that connection is from the
			// client's address, and the target's replies come back
			// through the node as a pass-through's do.
			if nlbPreservesClientIP(tg) {
				for _, c := range cands {
					kept = append(kept, c.Addr.Addr())
				}
				transparent = true
			}
			if len(cands) > 1 {
				pl.p.NLBForwards = append(pl.p.NLBForwards, NLBForward{NS: ns, LBARN: lb.ARN, Proto: model.TCP, Port: l.Port, TargetGroupARN: tg.ARN, Candidates: cands})
			}
			terminated = true
			continue
		}
		for _, proto := range protos {
			if len(cands) > 1 {
				pl.p.NLBForwards = append(pl.p.NLBForwards, NLBForward{NS: ns, LBARN: lb.ARN, Proto: proto, Port: l.Port, TargetGroupARN: tg.ARN, Candidates: cands})
			}
			match := Rule{IIf: "eth0", Proto: proto, Ports: model.Port(l.Port)}
			if !to.IsValid() {
				r := match
				r.Verdict, r.Comment = Verdict{Kind: "drop"}, "no target the node may send to"
				pre = append(pre, r)
				continue
			}
			name := "NLB listener " + l.Protocol + ":" + strconv.Itoa(int(l.Port)) + " (" + proto.String() + ")"
			if nlbPreservesClientIP(tg) {
				for _, c := range cands {
					kept = append(kept, c.Addr.Addr())
				}
				name += ", client IP preserved"
			} else {
				r := match
				r.Verdict, r.Comment = Verdict{Kind: "ctmark", Mark: nlbSNATMark}, "the target sees the node's address"
				pre = append(pre, r)
			}
			r := match
			r.Verdict, r.Comment = Verdict{Kind: "dnat", Addr: to.Addr(), Port: to.Port()}, name
			pre = append(pre, r)
		}
	}
	if len(pre) == 0 && !terminated {
		return
	}
	slices.SortStableFunc(pre, func(a, b Rule) int { return int(a.Ports.First) - int(b.Ports.First) })
	pl.sysctl(ns, "net/ipv4/ip_forward", "1")
	chains := []Chain{
		{Name: "pre", Hook: "prerouting", Type: "nat", Priority: -100, Rules: pre},
		{Name: "post", Hook: "postrouting", Type: "nat", Priority: 100, Rules: []Rule{
			{OIf: "eth0", CtDNAT: true, CtMarked: true, Verdict: Verdict{Kind: "snat", Addr: e.PrimaryIP()}, Comment: "the target sees the node's private address"},
		}},
	}
	if has6 {
		// An ipv6 target group's targets see the node's IPv6 address
		// ("Load balancer IPv6 address", NLB guide, client IP
		// preservation).
		chains[1].Rules = append(chains[1].Rules, Rule{OIf: "eth0", CtDNAT: true, CtMarked: true, Verdict: Verdict{Kind: "snat", Addr: node6}, Comment: "the target sees the node's IPv6 address"})
	}
	if tag := pl.nlbTag(lb.ARN); tag > 0 {
		tagRules := []Rule{
			{IIf: "eth0", CtDNAT: true, CtOriginal: true, Verdict: Verdict{Kind: "dscp", Mark: uint32(tag)}, Comment: "passed through the load balancer (its security groups)"},
		}
		if has6 {
			tagRules = append(tagRules, Rule{IIf: "eth0", CtDNAT: true, CtOriginal: true, DSCP6: true, Verdict: Verdict{Kind: "dscp", Mark: uint32(tag)}, Comment: "passed through the load balancer (its security groups), IPv6"})
		}
		chains = append(chains, Chain{Name: "tag", Hook: "forward", Type: "filter", Priority: 0, Rules: tagRules})
	}
	pl.p.Tables = append(pl.p.Tables, Table{NS: ns, Name: "nlb", Chains: chains})
	if transparent {
		pl.nlbTransparent(ns, e) // nlbtls.go
	}
	// The node's and its VPC's subnet routers' hardware addresses are
	// fixed whether or not a target keeps the client's address now, so
	// that a system that is up can follow new targets that do
	// (System.Retarget) without changing a live link's address.
	mac := macOf(0xec, e.PrimaryIP())
	for i := range pl.p.Veths {
		if v := &pl.p.Veths[i]; v.PeerNS == ns && v.PeerName == "eth0" {
			v.PeerMAC = mac
		}
	}
	if vns := pl.vpcNS[e.VpcID]; vns != "" {
		for _, sub := range pl.st.Subnets {
			if br, ok := pl.bridge[sub.ID]; ok && sub.VpcID == e.VpcID && sub.CIDR.IsValid() {
				for i := range pl.p.Bridges {
					if b := &pl.p.Bridges[i]; b.NS == vns && b.Name == br {
						b.MAC = macOf(0xed, sub.CIDR.Masked().Addr().Next())
					}
				}
			}
		}
	}
	if len(kept) > 0 {
		pl.nlbReturns = append(pl.nlbReturns, nlbReturn{node: e, mac: mac, targets: kept})
	}
}

// nlbTag is the DSCP value a Network Load Balancer's nodes set on what
// they pass to targets (0: none, past 63 load balancers).
func (pl *planner) nlbTag(arn string) uint8 {
	pl.nlbGroupTags()
	return pl.nlbTags[arn]
}

// nlbGroupTags numbers the Network Load Balancers (DSCP values 1 to 63,
// which their nodes set on what they pass to targets) and returns, for
// each security group of one, the tags of the load balancers that have
// it. A target's ingress rule that names the group admits a packet with
// such a tag whatever its source: the connection came through the load
// balancer, which AWS's NLB security groups guide says the rule admits
// even with client IP preservation on. A rule naming a group by its
// members' addresses admits only untagged packets: a client's own
// groups do not reach through a load balancer ("You cannot allow traffic
// from clients to targets through the load balancer using the security
// groups for the clients", NLB guide, target security groups). (No
// client of the data plane sets a DSCP of its own.) Past 63 load
// balancers the others tag nothing.
func (pl *planner) nlbGroupTags() map[model.SecurityGroupID][]uint8 {
	if pl.nlbGroupTag != nil {
		return pl.nlbGroupTag
	}
	pl.nlbGroupTag, pl.nlbTags = map[model.SecurityGroupID][]uint8{}, map[string]uint8{}
	next := uint8(1)
	for _, lb := range sorted(pl.st.LoadBalancers, func(l *model.LoadBalancer) string { return l.ARN }) {
		if lb.Type != "network" || next > 63 {
			continue
		}
		groups := map[model.SecurityGroupID]bool{}
		for _, n := range lb.Nodes {
			if e := pl.st.NetworkInterfaces[n.ENI]; e != nil {
				for _, g := range e.SecurityGroups {
					groups[g] = true
				}
			}
		}
		pl.nlbTags[lb.ARN] = next
		for _, g := range slices.Sorted(maps.Keys(groups)) {
			pl.nlbGroupTag[g] = append(pl.nlbGroupTag[g], next)
		}
		next++
	}
	return pl.nlbGroupTag
}

// nlbSNATMark marks, in a node's namespace, the connections of listeners
// whose targets see the node's address.
const nlbSNATMark = 1

// nlbMarkBase and nlbTableBase number the marks and routing tables of
// the return paths to NLB nodes that keep the client's address.
const (
	nlbMarkBase  = 0x4e1b0000
	nlbTableBase = 2000
)

// nlbReturn is an NLB node that passes connections through with the
// client's address, to targets.
type nlbReturn struct {
	node    *model.NetworkInterface
	mac     string
	targets []netip.Addr
}

// macOf is a locally administered hardware address, 02:tag:a:b:c:d.
func macOf(tag byte, a netip.Addr) string {
	b := a.As4()
	return fmt.Sprintf("02:%02x:%02x:%02x:%02x:%02x", tag, b[0], b[1], b[2], b[3])
}

// nlbReturnPaths routes the replies of connections an NLB node passed
// through with the client's address back through the node, as AWS's load
// balancer keeps the flow (the target answers the client's address, but
// the client hears the listener's): whoever first receives such a
// connection from the node (known by the node's hardware address) marks
// it, and its replies follow that mark to the node. That is the VPC
// router when the target is in another subnet, and the target itself when
// it shares the node's subnet. A target in another subnet also marks what
// the router delivers to it from an address of its own subnet (only an
// NLB passes a neighbour's address through the router), so that its
// replies to a client beside it go back to the router, not straight to
// the client.
func (pl *planner) nlbReturnPaths() {
	routerMAC := map[string]string{} // by target namespace and device
	for _, r := range pl.nlbReturns {
		node := r.node
		br, ok := pl.bridge[node.SubnetID]
		vns := pl.vpcNS[node.VpcID]
		if !ok || vns == "" {
			continue
		}
		node6, _ := node.PrimaryIPv6()
		if !pl.v6 {
			node6 = netip.Addr{}
		}
		pl.returnVia(vns, br, r.mac, nil, nil, node.PrimaryIP(), node6, "replies to the NLB node "+node.PrimaryIP().String())
		for _, t := range r.targets {
			te := pl.eniOf(t)
			if te == nil || pl.eniNS[te.ID] == "" {
				continue
			}
			tns, dev := pl.eniNS[te.ID], pl.eniDev[te.ID]
			if te.SubnetID == node.SubnetID {
				pl.returnVia(tns, dev, r.mac, nil, nil, node.PrimaryIP(), node6, "replies to the NLB node "+node.PrimaryIP().String())
				continue
			}
			sub := pl.st.Subnets[te.SubnetID]
			tbr, ok := pl.bridge[te.SubnetID]
			if sub == nil || !ok || !subnetIPv4(sub) {
				continue // an IPv6-only subnet's targets: not built [choice]
			}
			// Once per target (its namespace and device), whichever node
			// or listener passes to it: each target of the subnet sends
			// its replies to a neighbour back to the router.
			k := tns + "|" + dev
			if _, done := routerMAC[k]; done {
				continue
			}
			gw := sub.CIDR.Masked().Addr().Next()
			routerMAC[k] = macOf(0xed, gw)
			for i := range pl.p.Bridges {
				if b := &pl.p.Bridges[i]; b.NS == vns && b.Name == tbr {
					b.MAC = routerMAC[k]
				}
			}
			src, gw6 := []netip.Prefix{sub.CIDR.Masked()}, netip.Addr{}
			if c6, ok := subnetIPv6(sub); ok && pl.v6 {
				src, gw6 = append(src, c6), c6.Addr().Next()
			}
			pl.returnVia(tns, dev, routerMAC[k], src, nil, gw, gw6, "a neighbour passed through an NLB: replies to the router")
		}
	}
}

// returnVia marks, in namespace ns, the connections whose first packet
// arrives on dev from hardware address mac (when set; and from src, when
// set), and routes their replies via next hop via on dev: all of them
// (dst nil), or those to dst; and, when via6 is valid, the IPv6 ones
// via via6 (one mark for both families: a connection is of one).
func (pl *planner) returnVia(ns, dev, mac string, src, dst []netip.Prefix, via, via6 netip.Addr, comment string) {
	seq, ok := pl.retSeq[returnKey(ns, dev, mac, src)]
	if !ok {
		pl.nlbSeq = max(pl.nlbSeq, pl.retFloor) + 1
		seq = pl.nlbSeq
	}
	mark := uint32(nlbMarkBase + seq)
	tbl := nlbTableBase + seq
	restore := Rule{CtReply: true, CtMarked: true, Verdict: Verdict{Kind: "restoremark"}, Comment: "replies follow the connection's mark"}
	pl.p.Tables = append(pl.p.Tables, Table{NS: ns, Name: returnTablePrefix + strconv.Itoa(seq), Chains: []Chain{
		{Name: "pre", Hook: "prerouting", Type: "filter", Priority: -140, Rules: []Rule{
			{IIf: dev, EtherSrc: mac, Src: src, CtOriginal: true, Verdict: Verdict{Kind: "ctmark", Mark: mark}, Comment: comment},
			restore,
		}},
		{Name: "out", Hook: "output", Type: "route", Priority: -140, Rules: []Rule{restore}},
	}})
	pl.p.Rules = append(pl.p.Rules, PolicyRule{NS: ns, V6: via.Is6(), Priority: 5, Mark: mark, Table: tbl})
	if dst == nil {
		dst = []netip.Prefix{netip.PrefixFrom(netip.IPv4Unspecified(), 0)}
		if via.Is6() {
			dst = []netip.Prefix{netip.PrefixFrom(netip.IPv6Unspecified(), 0)}
		}
	}
	for _, d := range dst {
		pl.route(Route{NS: ns, Table: tbl, Dst: d, Via: via, Dev: dev})
	}
	if via6.IsValid() && via.Is4() {
		pl.p.Rules = append(pl.p.Rules, PolicyRule{NS: ns, V6: true, Priority: 5, Mark: mark, Table: tbl})
		pl.route(Route{NS: ns, Table: tbl, Dst: netip.PrefixFrom(netip.IPv6Unspecified(), 0), Via: via6, Dev: dev})
	}
}

// returnTablePrefix names a return path's nftables table (and its
// number, that of its mark and routing table).
const returnTablePrefix = "nlbret"

// returnKey is what a return path marks: the connections arriving on
// a namespace's device from a hardware address (and sources).
func returnKey(ns, dev, mac string, src []netip.Prefix) string {
	return fmt.Sprint(ns, "|", dev, "|", mac, "|", src)
}

// returnNumbers are the numbers of a plan's return paths, by what each
// marks, and the largest.
func returnNumbers(p *Plan) (map[string]int, int) {
	out, top := map[string]int{}, 0
	for _, t := range p.Tables {
		seq, err := strconv.Atoi(strings.TrimPrefix(t.Name, returnTablePrefix))
		if !strings.HasPrefix(t.Name, returnTablePrefix) || err != nil || len(t.Chains) == 0 || len(t.Chains[0].Rules) == 0 {
			continue
		}
		r := t.Chains[0].Rules[0]
		out[returnKey(t.NS, r.IIf, r.EtherSrc, r.Src)] = seq
		top = max(top, seq)
	}
	return out, top
}

// eniOf is the network interface holding private address a (IPv4, or
// one of its IPv6 addresses).
func (pl *planner) eniOf(a netip.Addr) *model.NetworkInterface {
	for _, e := range sorted(pl.st.NetworkInterfaces, func(e *model.NetworkInterface) string { return string(e.ID) }) {
		for _, p := range e.PrivateIPs {
			if p.Addr == a {
				return e
			}
		}
		if slices.Contains(e.IPv6, a) {
			return e
		}
	}
	return nil
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

// targetAddrIn is a target's address in its target group: an ip
// target's own; a running instance's primary private address, or, in an
// ipv6 group, its primary interface's first IPv6 address (AWS registers
// an instance with an IPv6 group by its primary IPv6 address).
func (pl *planner) targetAddrIn(tg *model.TargetGroup, x model.Target) (netip.Addr, bool) {
	if tg.IPAddressType != "ipv6" {
		return pl.targetAddr(x)
	}
	if a, ok := x.TargetAddr(); ok {
		return a, a.Is6()
	}
	i := pl.st.Instances[model.InstanceID(x.ID)]
	if i == nil || i.State != model.InstanceRunning || !pl.v6 {
		return netip.Addr{}, false
	}
	if e := pl.st.NetworkInterfaces[i.PrimaryENI]; e != nil {
		return e.PrimaryIPv6()
	}
	return netip.Addr{}, false
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
			pl.lbListeners(ns, accept, e, c.Scheme, c.DNSName, false)
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
	// A node's own connections to targets (traffic and health checks)
	// leave from ephemeral ports; AWS's are within 1024-65535 (the
	// network ACLs ELB's guides recommend admit the targets' answers on
	// 1024-65535, elb-vpc-network-acls.html) and the analyzer checks
	// them as its client port, 49152. Linux's default range, 32768-60999,
	// straddles 49152, so a network ACL entry on the target's way back
	// (deny 49152-65535) decided by the port the kernel drew: 49152-65535
	// decides as 49152 does for every range that covers all of it or none
	// (the differential test's seed 3280).
	pl.sysctl(ns, "net/ipv4/ip_local_port_range", "49152 65535")
	pl.attach(ns, []*model.NetworkInterface{e}, false)
	return ns
}

// lbListeners adds a load balancer node's listener filter, which takes
// what accept (its listeners' ports) does and drops the rest (no reset:
// the analyzer's ELBV2_LISTENER_PORT_RESTRICTION, a timeout), and the
// load balancer's DNS name, answered with the node's public address
// unless the scheme is internal.
func (pl *planner) lbListeners(ns string, accept []Rule, e *model.NetworkInterface, scheme, dnsName string, dualstack bool) {
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
		// A dualstack load balancer's name also has AAAA records: its
		// nodes' IPv6 addresses, global (reached from the internet and
		// the VPC alike); an ipv4 one has none.
		if dualstack && pl.v6 {
			for _, a := range e.IPv6 {
				pl.p.Hosts = append(pl.p.Hosts, HostEntry{Name: strings.ToLower(dnsName), Addr: a, Public: scheme != "internal"})
			}
		}
	}
}

// sortedNodes returns load balancer nodes by Availability Zone.
func sortedNodes(nodes []model.LoadBalancerNode) []model.LoadBalancerNode {
	out := slices.Clone(nodes)
	slices.SortStableFunc(out, func(a, b model.LoadBalancerNode) int { return strings.Compare(a.AvailabilityZone, b.AvailabilityZone) })
	return out
}
