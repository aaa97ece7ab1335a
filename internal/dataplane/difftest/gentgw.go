package difftest

import (
	"math/rand/v2"
	"slices"
	"strconv"
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
