package reach

import (
	"cmp"
	"net/netip"
	"slices"
	"sync/atomic"

	"github.com/ecsnet/ecsnet/internal/model"
)

// sgNode is a compiled security group.
type sgNode struct {
	sg      *model.SecurityGroup
	comp    *Component
	ingress []*sgRule
	egress  []*sgRule
}

// sgRule is one compiled security group rule: its peer is a CIDR, a
// referenced group or the CIDRs of a prefix list (expanded at compile).
type sgRule struct {
	group    *sgNode
	rule     *model.SecurityGroupRule
	egress   bool
	proto    model.Protocol
	ports    model.PortRange
	cidr     netip.Prefix
	ref      model.SecurityGroupID
	prefixes []netip.Prefix
	view     atomic.Pointer[SecurityGroupRule] // built by View on first use
}

// View returns the rule as results show it. It is built on first use
// (most rules never appear in a result) and then shared, also by
// concurrent queries of a sealed network.
func (r *sgRule) View() *SecurityGroupRule {
	if v := r.view.Load(); v != nil {
		return v
	}
	x := r.rule
	dir := "ingress"
	if r.egress {
		dir = "egress"
	}
	v := &SecurityGroupRule{SecurityGroupID: string(r.group.sg.ID), SecurityGroupName: r.group.comp.Name, RuleID: string(x.ID), Direction: dir,
		Protocol: x.Protocol.String(), CIDR: x.CIDR, ReferencedGroupID: string(x.Group), PrefixListID: string(x.PrefixList), Description: x.Description}
	if x.Protocol.HasPorts() {
		v.PortRange = &PortRange{x.Ports.First, x.Ports.Last}
	}
	v.ICMPTypeCode = icmpTypeCode(x.Protocol, x.Ports)
	if r.view.CompareAndSwap(nil, v) {
		return v
	}
	return r.view.Load()
}

// sgSet is the union of the security groups of an ENI (reference §8:
// "multiple SGs on an ENI are aggregated"). ENIs with the same groups
// share one set.
type sgSet struct {
	groups  []*sgNode
	comps   []*Component
	ingress []*sgRule
	egress  []*sgRule
}

func (n *Network) compileSGRules(g *sgNode, rules []model.SecurityGroupRule, egress bool) []*sgRule {
	if len(rules) == 0 {
		return nil
	}
	slab := make([]sgRule, len(rules)) // one allocation for the group's rules
	out := make([]*sgRule, len(rules))
	for i := range rules {
		r := &rules[i]
		x := &slab[i]
		x.group, x.rule, x.egress, x.proto, x.ports, x.cidr, x.ref = g, r, egress, r.Protocol, r.Ports, r.CIDR, r.Group
		if r.PrefixList != "" {
			if pl := n.st.PrefixLists[r.PrefixList]; pl != nil {
				x.prefixes = pl.CIDRs
			}
		}
		out[i] = x
	}
	return out
}

// admitsPort reports whether the rule covers the protocol and port. For
// ICMP and ICMPv6, port is the message's type and code (icmpKey): an ICMP
// rule keeps the type in ports.First and the code in ports.Last, 0xFFFF
// (AWS's -1) for any.
func (r *sgRule) admitsPort(p model.Protocol, port uint16) bool {
	if r.proto == model.AllProtocols {
		return true
	}
	if r.proto != p {
		return false
	}
	if p.HasPorts() {
		return r.ports.Contains(port)
	}
	return !isICMP(p) || icmpMatch(r.ports, port)
}

// isICMP reports whether p is ICMP or ICMPv6.
func isICMP(p model.Protocol) bool { return p == model.ICMP || p == model.ICMPv6 }

// icmpKey packs an ICMP type and code into the port argument of the
// security group and network ACL matchers.
func icmpKey(typ, code uint8) uint16 { return uint16(typ)<<8 | uint16(code) }

// icmpMatch reports whether a rule's ICMP type and code (in ports: type
// in First, code in Last, 0xFFFF for -1) cover a message (key: icmpKey).
// A rule whose type and code the state does not record (0-65535) covers
// every ICMP message.
func icmpMatch(ports model.PortRange, key uint16) bool {
	const icmpAny = 0xFFFF
	if ports == model.AllPorts {
		return true
	}
	typ, code := key>>8, key&0xFF
	return (ports.First == icmpAny || ports.First == typ) && (ports.Last == icmpAny || ports.Last == code)
}

// admitsPeer reports whether the rule's peer covers the packet's other
// end. A group reference matches only the private addresses of ENIs in the
// referenced group (reference §8), which the caller signals by passing the
// peer's ENI; a packet that came through an internet gateway or a NAT
// gateway has no peer ENI. via lists groups the packet counts as coming
// from besides its source ENI's (an NLB's groups, for traffic it forwards
// with the client's address).
func (r *sgRule) admitsPeer(peer netip.Addr, peerENI *eniNode, via []model.SecurityGroupID) bool {
	switch {
	case r.cidr.IsValid():
		return r.cidr.Contains(peer)
	case r.ref != "":
		return (peerENI != nil && peerENI.inGroup(r.ref)) || slices.Contains(via, r.ref)
	}
	for _, p := range r.prefixes {
		if p.Contains(peer) {
			return true
		}
	}
	return false
}

// match returns the first rule of the set that admits the packet in one
// direction, or nil. Security groups are allow-lists: any rule admits.
func (s *sgSet) match(egress bool, proto model.Protocol, port uint16, peer netip.Addr, peerENI *eniNode, via []model.SecurityGroupID) *sgRule {
	rules := s.ingress
	if egress {
		rules = s.egress
	}
	for _, r := range rules {
		if r.admitsPort(proto, port) && r.admitsPeer(peer, peerENI, via) {
			return r
		}
	}
	return nil
}

// groupNames returns "instance-sg" or "a, b".
func (s *sgSet) groupNames() string {
	out := ""
	for i, g := range s.groups {
		if i > 0 {
			out += ", "
		}
		out += g.comp.Label()
	}
	if out == "" {
		return "(none)"
	}
	return out
}

// routeTable is a compiled route table: routes sorted for longest-prefix
// match, prefix-list routes expanded into one route per CIDR.
type routeTable struct {
	rt     *model.RouteTable
	comp   *Component
	routes []*rtRoute
}

type rtRoute struct {
	prefix netip.Prefix
	route  model.Route
	active bool
	view   *Route
}

func (n *Network) routeTable(rt *model.RouteTable) *routeTable {
	if x, ok := n.rts[rt.ID]; ok {
		return x
	}
	x := &routeTable{rt: rt, comp: &Component{Type: "route-table", ID: string(rt.ID), ARN: n.arn("ec2", "route-table/"+string(rt.ID)), Name: rt.Tags.Name()}}
	for _, r := range n.vgwRoutes(rt) {
		active := n.st.RouteStateIn(rt.VpcID, r) == "active"
		state := "active"
		if !active {
			state = "blackhole"
		}
		view := &Route{RouteTableID: string(rt.ID), RouteTableName: x.comp.Name, DestinationCIDR: r.Destination,
			DestinationPrefixListID: string(r.DestinationPrefixList), TargetType: r.Target.String(), Target: r.TargetID, State: state, Origin: r.Origin}
		if r.DestinationPrefixList != "" {
			if pl := n.st.PrefixLists[r.DestinationPrefixList]; pl != nil {
				for _, p := range pl.CIDRs {
					x.routes = append(x.routes, &rtRoute{prefix: p, route: r, active: active, view: view})
				}
			}
			continue
		}
		x.routes = append(x.routes, &rtRoute{prefix: r.Destination, route: r, active: active, view: view})
	}
	// Longest prefix first; on a tie a CIDR route wins over a prefix-list
	// route (VPC User Guide, "Route priority").
	defer func() {
		if !n.sealed {
			n.rts[rt.ID] = x
		}
	}()
	slices.SortStableFunc(x.routes, func(a, b *rtRoute) int {
		if c := cmp.Compare(b.prefix.Bits(), a.prefix.Bits()); c != 0 {
			return c
		}
		ap, bp := a.route.DestinationPrefixList != "", b.route.DestinationPrefixList != ""
		switch {
		case ap == bp:
			return 0
		case bp:
			return -1
		}
		return 1
	})
	return x
}

// lookup returns the route for a destination (longest prefix match), or
// nil. A blackhole route is still selected: it drops the packet.
func (t *routeTable) lookup(a netip.Addr) *rtRoute {
	if t == nil {
		return nil
	}
	for _, r := range t.routes {
		if r.prefix.Contains(a) {
			return r
		}
	}
	return nil
}

// aclTable is a compiled network ACL: entries per direction in rule
// number order, ending with the "*" deny.
type aclTable struct {
	acl     *model.NetworkACL
	comp    *Component
	ingress []*aclEntry
	egress  []*aclEntry
}

type aclEntry struct {
	num    int
	action model.ACLAction
	proto  model.Protocol
	ports  model.PortRange
	cidr   netip.Prefix
	view   *ACLRule
}

func (n *Network) aclTable(acl *model.NetworkACL) *aclTable {
	if x, ok := n.acls[acl.ID]; ok {
		return x
	}
	name := acl.Tags.Name()
	if name == "" && acl.IsDefault {
		name = "default"
	}
	x := &aclTable{acl: acl, comp: &Component{Type: "network-acl", ID: string(acl.ID), ARN: n.arn("ec2", "network-acl/"+string(acl.ID)), Name: name}}
	for _, e := range acl.Entries {
		y := &aclEntry{num: e.RuleNumber, action: e.Action, proto: e.Protocol, ports: e.Ports, cidr: e.CIDR}
		y.view = &ACLRule{NetworkACLID: string(acl.ID), RuleNumber: e.RuleNumber, Egress: e.Egress, Action: e.Action.String(), Protocol: e.Protocol.String(), CIDR: e.CIDR}
		if e.Protocol.HasPorts() {
			y.view.PortRange = &PortRange{e.Ports.First, e.Ports.Last}
		}
		y.view.ICMPTypeCode = icmpTypeCode(e.Protocol, e.Ports)
		if e.Egress {
			x.egress = append(x.egress, y)
		} else {
			x.ingress = append(x.ingress, y)
		}
	}
	byNumber := func(a, b *aclEntry) int { return cmp.Compare(a.num, b.num) }
	slices.SortStableFunc(x.ingress, byNumber)
	slices.SortStableFunc(x.egress, byNumber)
	for _, egress := range []bool{false, true} {
		list := &x.ingress
		if egress {
			list = &x.egress
		}
		if k := len(*list); k == 0 || (*list)[k-1].num != model.ImplicitDenyRule {
			all := netip.MustParsePrefix("0.0.0.0/0")
			*list = append(*list, &aclEntry{num: model.ImplicitDenyRule, action: model.Deny, proto: model.AllProtocols, cidr: all,
				view: &ACLRule{NetworkACLID: string(acl.ID), RuleNumber: model.ImplicitDenyRule, Egress: egress, Action: "deny", Protocol: "-1", CIDR: all}})
		}
	}
	if !n.sealed {
		n.acls[acl.ID] = x
	}
	return x
}

// evalICMP returns the entry that decides an ICMP (or ICMPv6) packet of
// a type and code (an entry's type and code 0xFFFF, AWS's -1, match any;
// an entry whose type and code the state does not record matches every
// ICMP type).
func (t *aclTable) evalICMP(egress bool, proto model.Protocol, peer netip.Addr, typ, code uint8) *aclEntry {
	list := t.ingress
	if egress {
		list = t.egress
	}
	key := icmpKey(typ, code)
	for _, e := range list {
		if e.proto != model.AllProtocols && (e.proto != proto || !icmpMatch(e.ports, key)) {
			continue
		}
		if e.cidr.Contains(peer) {
			return e
		}
	}
	return list[len(list)-1]
}

// eval returns the entry that decides a packet: rules in number order,
// first match wins, the final "*" entry denies (reference §8). peer is the
// packet's source for ingress and its destination for egress.
func (t *aclTable) eval(egress bool, proto model.Protocol, peer netip.Addr, port uint16) *aclEntry {
	list := t.ingress
	if egress {
		list = t.egress
	}
	for _, e := range list {
		if e.proto != model.AllProtocols && (e.proto != proto || (proto.HasPorts() && !e.ports.Contains(port))) {
			continue
		}
		if e.cidr.Contains(peer) {
			return e
		}
	}
	return list[len(list)-1]
}
