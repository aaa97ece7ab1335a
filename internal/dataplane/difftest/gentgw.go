package difftest

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TGW is a transit gateway (its default route table off: every table,
// association and propagation is explicit).
type TGW struct {
	Name        string
	RouteTables []*TGWRouteTable
	Attachments []*TGWAttachment
}

// TGWRouteTable is a transit gateway route table with static routes
// (Target an attachment's name or "blackhole").
type TGWRouteTable struct {
	Name   string
	Routes []Route
}

// TGWAttachment attaches a VPC through Subnets (at most one per zone);
// RouteTable is the table it is associated with ("" for none).
type TGWAttachment struct {
	Name, VPC   string
	Subnets     []string
	RouteTable  string
	PropagateTo []string
	// ApplianceMode: ApplianceModeSupport enable (an inspection VPC's
	// attachment, gengwlb.go).
	ApplianceMode bool `json:",omitempty"`
}

// tgw gives the system (two or three VPCs) a transit gateway in about
// half the systems: attachments (some without a subnet in a zone the VPC
// uses), one or two route tables with static, blackhole and propagated
// routes, and VPC routes to the gateway. Static routes only name
// destinations inside the target attachment's VPC (the analyzer does not
// follow a packet on beyond the VPC a transit gateway delivers it to).
func (g *gen) tgw(tr *rand.Rand) {
	s := g.s
	t := &TGW{Name: "tgw"}
	for i := range 1 + tr.IntN(2) {
		t.RouteTables = append(t.RouteTables, &TGWRouteTable{Name: "trt" + strconv.Itoa(i)})
	}
	tg := &gen{r: tr, s: s}
	for _, v := range s.VPCs {
		if len(t.Attachments) >= 2 && tg.chance(0.15) {
			continue
		}
		a := &TGWAttachment{Name: "att" + vpcIndex(v), VPC: v.Name}
		zones := map[string]bool{}
		for _, sn := range s.Subnets {
			if sn.VPC != v.Name || zones[sn.AZ] {
				continue
			}
			zones[sn.AZ] = true
			if len(a.Subnets) > 0 && tg.chance(0.25) {
				continue // no attachment subnet in this zone
			}
			a.Subnets = append(a.Subnets, sn.Name)
		}
		if len(a.Subnets) == 0 {
			continue
		}
		if tg.chance(0.9) {
			a.RouteTable = pick(tg, t.RouteTables).Name
		}
		for _, rt := range t.RouteTables {
			if tg.chance(0.75) {
				a.PropagateTo = append(a.PropagateTo, rt.Name)
			}
		}
		t.Attachments = append(t.Attachments, a)
	}
	if len(t.Attachments) == 0 {
		return
	}
	for _, rt := range t.RouteTables {
		for range tr.IntN(3) {
			a := pick(tg, t.Attachments)
			dest := ""
			for _, v := range s.VPCs {
				if v.Name == a.VPC {
					dest = v.CIDR
				}
			}
			if tg.chance(0.4) {
				var subs []string
				for _, sn := range s.Subnets {
					if sn.VPC == a.VPC {
						subs = append(subs, sn.CIDR)
					}
				}
				dest = pick(tg, subs)
			}
			target := a.Name
			if tg.chance(0.25) {
				target = "blackhole"
			}
			if !slices.ContainsFunc(rt.Routes, func(r Route) bool { return r.Dest == dest }) {
				rt.Routes = append(rt.Routes, Route{dest, target})
			}
		}
	}
	s.TGW = t
	// Most groups admit the other VPCs (10.0.0.0/8), so that connections
	// through the gateway succeed as often as they fail.
	for _, sg := range s.SGs {
		if tg.chance(0.6) {
			r := Rule{Proto: "all", CIDR: "10.0.0.0/8"}
			if tg.chance(0.5) {
				r.Proto, r.Ports = "tcp", "0-65535"
			}
			sg.Ingress = addRule(sg.Ingress, r)
		}
	}
	// VPC routes to the gateway (only an attached VPC may have one).
	for _, v := range s.VPCs {
		if !slices.ContainsFunc(t.Attachments, func(a *TGWAttachment) bool { return a.VPC == v.Name }) {
			continue
		}
		var rts []*RouteTable
		for _, rt := range s.RouteTables {
			if rt.VPC == v.Name {
				rts = append(rts, rt)
			}
		}
		if len(rts) == 0 {
			rt := &RouteTable{Name: "rt" + vpcIndex(v) + "t", VPC: v.Name, Main: true}
			s.RouteTables = append(s.RouteTables, rt)
			rts = append(rts, rt)
		}
		for _, rt := range rts {
			if !tg.chance(0.8) {
				continue
			}
			dests := []string{"10.0.0.0/8"}
			for _, o := range s.VPCs {
				if o.Name != v.Name {
					dests = append(dests, o.CIDR)
				}
			}
			for _, sn := range s.Subnets {
				if sn.VPC != v.Name {
					dests = append(dests, sn.CIDR)
				}
			}
			dest := dests[0]
			if tg.chance(0.4) {
				dest = pick(tg, dests)
			}
			if !slices.ContainsFunc(rt.Routes, func(r Route) bool { return r.Dest == dest }) {
				rt.Routes = append(rt.Routes, Route{dest, t.Name})
			}
		}
	}
}

// removeAttachment removes a transit gateway attachment and the routes to it.
func (s *System) removeAttachment(name string) {
	if s.TGW == nil {
		return
	}
	s.TGW.Attachments = slices.DeleteFunc(s.TGW.Attachments, func(a *TGWAttachment) bool { return a.Name == name })
	for _, rt := range s.TGW.RouteTables {
		rt.Routes = slices.DeleteFunc(rt.Routes, func(r Route) bool { return r.Target == name })
	}
}

// tgwCandidates are the shrinker's changes to the transit gateway.
func tgwCandidates(s *System, try func(func(c *System) bool)) {
	if s.TGW == nil {
		return
	}
	try(func(c *System) bool { c.removeTarget(c.TGW.Name); c.TGW = nil; return true })
	for i := range s.TGW.Attachments {
		try(func(c *System) bool { c.removeAttachment(c.TGW.Attachments[i].Name); return true })
	}
	for i, a := range s.TGW.Attachments {
		if a.RouteTable != "" {
			try(func(c *System) bool { c.TGW.Attachments[i].RouteTable = ""; return true })
		}
		for j := range a.PropagateTo {
			try(func(c *System) bool {
				c.TGW.Attachments[i].PropagateTo = slices.Delete(c.TGW.Attachments[i].PropagateTo, j, j+1)
				return true
			})
		}
		if len(a.Subnets) > 1 {
			for j := range a.Subnets {
				try(func(c *System) bool {
					c.TGW.Attachments[i].Subnets = slices.Delete(c.TGW.Attachments[i].Subnets, j, j+1)
					return true
				})
			}
		}
	}
	for i, rt := range s.TGW.RouteTables {
		for j := range rt.Routes {
			try(func(c *System) bool {
				c.TGW.RouteTables[i].Routes = slices.Delete(c.TGW.RouteTables[i].Routes, j, j+1)
				return true
			})
		}
	}
}

// tgwYAML renders the transit gateway.
func (s *System) tgwYAML(w func(string, ...any)) {
	t := s.TGW
	if t == nil {
		return
	}
	w("\ntransit_gateways:\n  %s: {default_association: false, default_propagation: false}\n", t.Name)
	w("\ntransit_gateway_route_tables:\n")
	for _, rt := range t.RouteTables {
		w("  %s:\n    transit_gateway: %s\n", rt.Name, t.Name)
		if len(rt.Routes) > 0 {
			w("    routes:\n")
			for _, r := range rt.Routes {
				w("      - {destination: %s, target: %s}\n", r.Dest, r.Target)
			}
		}
	}
	if len(t.Attachments) > 0 {
		w("\ntransit_gateway_attachments:\n")
		for _, a := range t.Attachments {
			w("  %s: {transit_gateway: %s, vpc: %s, subnets: [%s]", a.Name, t.Name, a.VPC, joinComma(a.Subnets))
			if a.RouteTable != "" {
				w(", route_table: %s", a.RouteTable)
			}
			if len(a.PropagateTo) > 0 {
				w(", propagate_to: [%s]", joinComma(a.PropagateTo))
			}
			if a.ApplianceMode {
				w(", appliance_mode: true")
			}
			w("}\n")
		}
	}
}

func joinComma(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

// tgwEgress turns about two in five systems with a transit gateway into
// centralized egress (the whitepaper "Centralized egress to internet"):
// an egress VPC of its own, attached to the gateway through one subnet
// per zone (sometimes one zone only), whose route table sends 0.0.0.0/0
// to a NAT gateway in a public subnet (sometimes not: the missing
// default route), whose route table sends 0.0.0.0/0 to the internet
// gateway and the spokes' ranges back to the transit gateway (sometimes
// not: the missing return route). The spokes' transit gateway route
// tables send 0.0.0.0/0 to the egress attachment, the spokes propagate
// into the egress attachment's table, and the spokes' route tables send
// 0.0.0.0/0 to the gateway (usually; in place of a route to their own
// NAT gateway too, not of one to their internet gateway). It
// draws from a stream of its own, last, so the systems it leaves alone
// stay what they were.
func (g *gen) tgwEgress(r *rand.Rand) {
	s := g.s
	t := s.TGW
	if t == nil || len(t.Attachments) == 0 || r.Float64() >= 0.4 {
		return
	}
	eg := &gen{r: r, s: s}
	vi := strconv.Itoa(len(s.VPCs))
	v := &VPC{Name: "vpc" + vi, CIDR: "10." + vi + ".0.0/16", IGW: "igw" + vi, Egress: true}
	s.VPCs = append(s.VPCs, v)
	attRT := &RouteTable{Name: "rt" + vi + "a", VPC: v.Name}
	pubRT := &RouteTable{Name: "rt" + vi + "p", VPC: v.Name, Routes: []Route{{"0.0.0.0/0", v.IGW}}}
	att := &TGWAttachment{Name: "att" + vi, VPC: v.Name}
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		if i > 0 && eg.chance(0.2) {
			break // one zone only
		}
		sn := &Subnet{Name: "sub" + vi + strconv.Itoa(i), VPC: v.Name, CIDR: "10." + vi + "." + strconv.Itoa(i+1) + ".0/24", AZ: az, RouteTable: attRT.Name}
		s.Subnets = append(s.Subnets, sn)
		att.Subnets = append(att.Subnets, sn.Name)
	}
	pub := &Subnet{Name: "sub" + vi + "2", VPC: v.Name, CIDR: "10." + vi + ".3.0/24", AZ: pick(eg, []string{"us-east-1a", "us-east-1b"}), RouteTable: pubRT.Name}
	s.Subnets = append(s.Subnets, pub)
	nat := &NAT{Name: "nat" + vi, Subnet: pub.Name}
	s.NATs = append(s.NATs, nat)
	if eg.chance(0.8) {
		attRT.Routes = append(attRT.Routes, Route{"0.0.0.0/0", nat.Name})
	}
	spokes := slices.Clone(t.Attachments)
	if eg.chance(0.75) {
		if eg.chance(0.5) {
			pubRT.Routes = append(pubRT.Routes, Route{"10.0.0.0/8", t.Name})
		} else {
			for _, a := range spokes {
				for _, o := range s.VPCs {
					if o.Name == a.VPC && eg.chance(0.9) {
						pubRT.Routes = append(pubRT.Routes, Route{o.CIDR, t.Name})
					}
				}
			}
		}
	}
	s.RouteTables = append(s.RouteTables, attRT, pubRT)
	// The egress attachment's own transit gateway route table, which the
	// spokes propagate into.
	ert := &TGWRouteTable{Name: "trt" + vi}
	t.RouteTables = append(t.RouteTables, ert)
	att.RouteTable = ert.Name
	for _, a := range spokes {
		if eg.chance(0.9) {
			a.PropagateTo = append(a.PropagateTo, ert.Name)
		}
	}
	t.Attachments = append(t.Attachments, att)
	// The spokes' tables: 0.0.0.0/0 to the egress attachment, and a
	// blackhole for the spokes' private range, so that no spoke reaches
	// another through the egress VPC's NAT gateway (the whitepaper's
	// spoke route table; the VPCs' own routes are longer and still win).
	for _, rt := range t.RouteTables[:len(t.RouteTables)-1] {
		if eg.chance(0.85) && !slices.ContainsFunc(rt.Routes, func(x Route) bool { return x.Dest == "0.0.0.0/0" }) {
			rt.Routes = append(rt.Routes, Route{"0.0.0.0/0", att.Name})
			if !slices.ContainsFunc(rt.Routes, func(x Route) bool { return x.Dest == "10.0.0.0/8" }) {
				rt.Routes = append(rt.Routes, Route{"10.0.0.0/8", "blackhole"})
			}
		}
	}
	// The spokes' VPC route tables: the default route to the gateway
	// (usually added where there is none, and usually taking the place of
	// one to the spoke's own NAT gateway: the central NAT gateway replaces
	// the spokes'; a public subnet keeps its internet gateway).
	for _, a := range spokes {
		for _, rt := range s.RouteTables {
			if rt.VPC != a.VPC {
				continue
			}
			i := slices.IndexFunc(rt.Routes, func(x Route) bool { return x.Dest == "0.0.0.0/0" })
			switch {
			case i < 0 && eg.chance(0.8):
				rt.Routes = append(rt.Routes, Route{"0.0.0.0/0", t.Name})
			case i >= 0 && slices.ContainsFunc(s.NATs, func(n *NAT) bool { return n.Name == rt.Routes[i].Target }) && eg.chance(0.8):
				rt.Routes[i].Target = t.Name
			}
		}
	}
}

// egressProbes makes up to n probes to an internet host (443) from the
// instances and tasks of a system whose transit gateway joins a VPC with
// a NAT gateway (centralized egress, tgwEgress), from a stream of its own
// (the other systems keep their probes).
func egressProbes(x *index, seed uint64, n int, froms []string, have []Probe) []Probe {
	st := x.st
	egress := false
	for _, ng := range st.NatGateways {
		for _, a := range st.TransitGatewayAttachments {
			if a.VpcID == ng.VpcID {
				egress = true
			}
		}
	}
	if !egress {
		return nil
	}
	r := rand.New(rand.NewPCG(seed, 0xe9e55))
	var out []Probe
	for range n {
		p := Probe{From: froms[r.IntN(len(froms))], To: Dest{Addr: netip.MustParseAddr("192.0.2.10")}, Port: 443, Proto: model.TCP}
		if p.From == "internet" || slices.Contains(have, p) || slices.Contains(out, p) {
			continue
		}
		if _, ok := p.resolve(x); !ok {
			continue
		}
		out = append(out, p)
	}
	return out
}
