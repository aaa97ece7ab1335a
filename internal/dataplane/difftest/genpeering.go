package difftest

import (
	"math/rand/v2"
	"slices"
)

// Peering is a VPC peering connection between two of the system's VPCs;
// Pending leaves it unaccepted (its routes are blackholes).
type Peering struct {
	Name, Requester, Accepter string
	Pending                   bool `json:",omitempty"`
}

// amazonIPv6Pool is the prefix every Amazon-provided VPC block comes
// from (the engine's pool): a route to it sends the other VPCs' IPv6
// blocks somewhere, while the VPC's own /56 stays local (the longer
// prefix). A generated system cannot name a peer's /56, which the
// engine draws.
const amazonIPv6Pool = "2600:1f18::/32"

// peerIPv6Dests are the IPv6 destinations a route table sends to the
// peering connection: the pool, a wider block around it, either half of
// it and a /40 of it (which hold the peer's /56 or not, as the engine
// draws it: a route that misses leaves the peer unrouted), another
// Region's pool (never the peer's), and every IPv6 destination.
var peerIPv6Dests = []string{amazonIPv6Pool, "2600::/12", "2600:1f18::/33", "2600:1f18:8000::/33", "2600:1f18:100::/40", "2600:1f14::/32", "::/0"}

// peering joins the first two VPCs with a peering connection in about
// half the systems that have two or more (Config.Peering), from a random
// stream of its own: one in ten left pending; each of their route tables
// (most of them) routes the peer's CIDR, or one of its subnets, to the
// connection, and, when both VPCs are dual-stack, often an IPv6 block
// too: mostly the Amazon IPv6 pool (the peer's /56), else one of
// peerIPv6Dests, which may miss it; some security groups admit the peer's
// CIDR.
func (g *gen) peering(r *rand.Rand) {
	s := g.s
	if len(s.VPCs) < 2 || r.Float64() >= 0.5 {
		return
	}
	saved := g.r
	g.r = r
	defer func() { g.r = saved }()
	a, b := s.VPCs[0], s.VPCs[1]
	p := &Peering{Name: "pcx0", Requester: a.Name, Accepter: b.Name, Pending: g.chance(0.1)}
	s.Peering = p
	both6 := a.IPv6 && b.IPv6
	for _, pair := range [][2]*VPC{{a, b}, {b, a}} {
		v, peer := pair[0], pair[1]
		var rts []*RouteTable
		for _, rt := range s.RouteTables {
			if rt.VPC == v.Name {
				rts = append(rts, rt)
			}
		}
		if len(rts) == 0 {
			rt := &RouteTable{Name: "rt" + vpcIndex(v) + "p", VPC: v.Name, Main: true}
			s.RouteTables = append(s.RouteTables, rt)
			rts = append(rts, rt)
		}
		for _, rt := range rts {
			if !g.chance(0.8) {
				continue
			}
			dest := peer.CIDR
			if g.chance(0.2) {
				var subs []string
				for _, sn := range s.Subnets {
					if sn.VPC == peer.Name {
						subs = append(subs, sn.CIDR)
					}
				}
				if len(subs) > 0 {
					dest = pick(g, subs)
				}
			}
			if !slices.ContainsFunc(rt.Routes, func(r Route) bool { return r.Dest == dest }) {
				rt.Routes = append(rt.Routes, Route{dest, p.Name})
			}
			if !both6 || !g.chance(0.7) {
				continue
			}
			dest6 := amazonIPv6Pool
			if g.chance(0.6) {
				dest6 = pick(g, peerIPv6Dests)
			}
			if !slices.ContainsFunc(rt.Routes, func(r Route) bool { return r.Dest == dest6 }) {
				rt.Routes = append(rt.Routes, Route{dest6, p.Name})
			}
		}
		for _, sg := range g.sgsIn(v.Name) {
			if g.chance(0.4) {
				r := Rule{Proto: "all", CIDR: peer.CIDR}
				if g.chance(0.5) {
					r.Proto, r.Ports = "tcp", "0-65535"
				}
				sg.Ingress = addRule(sg.Ingress, r)
			}
		}
	}
}

// removePeering removes the peering connection and the routes to it.
func (s *System) removePeering() {
	if s.Peering == nil {
		return
	}
	s.removeTarget(s.Peering.Name)
	s.Peering = nil
}

// peeringYAML renders the peering connection.
func (s *System) peeringYAML(w func(string, ...any)) {
	p := s.Peering
	if p == nil {
		return
	}
	w("\nvpc_peering_connections:\n  %s: {requester: %s, accepter: %s", p.Name, p.Requester, p.Accepter)
	if p.Pending {
		w(", accepted: false")
	}
	w("}\n")
}
