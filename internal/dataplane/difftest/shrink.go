package difftest

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/ecsnet/ecsnet/internal/reach"
)

// Clone returns a deep copy of the system.
func (s *System) Clone() *System {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // plain data: cannot fail
	}
	var c System
	if err := json.Unmarshal(b, &c); err != nil {
		panic(err)
	}
	return &c
}

// Size counts the system's resources, rules and entries: what the
// shrinker makes smaller.
func (s *System) Size() int {
	n := len(s.VPCs) + len(s.Subnets) + len(s.NATs) + len(s.Instances) + len(s.LBs) + len(s.CLBs)
	for _, c := range s.CLBs {
		n += len(c.Listeners) + len(c.Instances)
	}
	for _, x := range s.NLBs {
		n += 1 + len(x.Listeners) + len(x.Instances) + len(x.SGs)
	}
	for _, z := range s.Zones {
		n += 1 + len(z.Items)
	}
	for _, rt := range s.RouteTables {
		n += 1 + len(rt.Routes)
	}
	for _, sg := range s.SGs {
		n += 1 + len(sg.Ingress) + len(sg.Egress)
	}
	for _, a := range s.ACLs {
		n += 1 + len(a.Ingress) + len(a.Egress)
	}
	for _, t := range s.Tasks {
		n += 1 + len(t.Ports)
	}
	if s.TGW != nil {
		n++
		for _, a := range s.TGW.Attachments {
			n += 1 + len(a.Subnets) + len(a.PropagateTo)
			if a.RouteTable != "" {
				n++
			}
		}
		for _, rt := range s.TGW.RouteTables {
			n += len(rt.Routes)
		}
	}
	return n
}

// Shrink removes resources, rules and entries from sys, and simplifies
// what is left, one change at a time, keeping each change after which
// still(candidate) holds, until no single change keeps it or budget
// candidates were tried. It returns the smallest system found and the
// number of candidates tried.
func Shrink(sys *System, still func(*System) bool, budget int) (*System, int) {
	cur := sys.Clone()
	tried := 0
	for {
		improved := false
		for _, cand := range candidates(cur) {
			if tried >= budget {
				return cur, tried
			}
			tried++
			if still(cand) {
				cur, improved = cand, true
				break
			}
		}
		if !improved {
			return cur, tried
		}
	}
}

// ShrinkCase shrinks a system while the probe keeps giving the same pair
// of answers (analyzer, kernel) that disagree.
func ShrinkCase(ctx context.Context, sys *System, c Case, be Backend, budget int) (*System, Case, int) {
	want := [2]reach.Verdict{c.Analyzer.Verdict, c.Real.Verdict}
	best := c
	still := func(s *System) bool {
		rep, err := Check(ctx, s, []Probe{c.Probe}, be)
		if err != nil || len(rep.Cases) != 1 {
			return false
		}
		got := rep.Cases[0]
		if got.Agree() || [2]reach.Verdict{got.Analyzer.Verdict, got.Real.Verdict} != want {
			return false
		}
		best = got
		return true
	}
	small, n := Shrink(sys, still, budget)
	// Run once more on the result: best is the last candidate kept.
	still(small)
	return small, best, n
}

// candidates returns the systems one change away from s, bigger
// removals first.
func candidates(s *System) []*System {
	var out []*System
	try := func(f func(c *System) bool) {
		c := s.Clone()
		if f(c) {
			out = append(out, c)
		}
	}
	for i := range s.VPCs {
		try(func(c *System) bool { c.removeVPC(c.VPCs[i].Name); return true })
	}
	for i := range s.Subnets {
		try(func(c *System) bool { c.removeSubnet(c.Subnets[i].Name); return true })
	}
	tgwCandidates(s, try)
	zoneCandidates(s, try)
	if s.Peering != nil {
		try(func(c *System) bool { c.removePeering(); return true })
	}
	for i := range s.Tasks {
		try(func(c *System) bool { c.Tasks = slices.Delete(c.Tasks, i, i+1); return true })
	}
	for i := range s.Instances {
		try(func(c *System) bool { c.Instances = slices.Delete(c.Instances, i, i+1); return true })
	}
	for i := range s.LBs {
		try(func(c *System) bool { c.LBs = slices.Delete(c.LBs, i, i+1); return true })
	}
	for i, x := range s.CLBs {
		try(func(c *System) bool { c.CLBs = slices.Delete(c.CLBs, i, i+1); return true })
		for j := range x.Listeners {
			try(func(c *System) bool {
				c.CLBs[i].Listeners = slices.Delete(c.CLBs[i].Listeners, j, j+1)
				return len(c.CLBs[i].Listeners) > 0
			})
		}
		for j := range x.Instances {
			try(func(c *System) bool { c.CLBs[i].Instances = slices.Delete(c.CLBs[i].Instances, j, j+1); return true })
		}
	}
	for i, x := range s.NLBs {
		try(func(c *System) bool { c.NLBs = slices.Delete(c.NLBs, i, i+1); return true })
		for j := range x.Listeners {
			try(func(c *System) bool {
				c.NLBs[i].Listeners = slices.Delete(c.NLBs[i].Listeners, j, j+1)
				return len(c.NLBs[i].Listeners) > 0
			})
		}
		for j := range x.Instances {
			try(func(c *System) bool { c.NLBs[i].Instances = slices.Delete(c.NLBs[i].Instances, j, j+1); return true })
		}
		if len(x.SGs) > 1 {
			for j := range x.SGs {
				try(func(c *System) bool { c.NLBs[i].SGs = slices.Delete(c.NLBs[i].SGs, j, j+1); return true })
			}
		}
	}
	for i := range s.NATs {
		try(func(c *System) bool {
			c.removeTarget(c.NATs[i].Name)
			c.NATs = slices.Delete(c.NATs, i, i+1)
			return true
		})
	}
	for i := range s.ACLs {
		try(func(c *System) bool {
			name := c.ACLs[i].Name
			c.ACLs = slices.Delete(c.ACLs, i, i+1)
			for _, sn := range c.Subnets {
				if sn.ACL == name {
					sn.ACL = ""
				}
			}
			return true
		})
	}
	for i := range s.RouteTables {
		try(func(c *System) bool {
			name := c.RouteTables[i].Name
			c.RouteTables = slices.Delete(c.RouteTables, i, i+1)
			for _, sn := range c.Subnets {
				if sn.RouteTable == name {
					sn.RouteTable = ""
				}
			}
			return true
		})
	}
	for i := range s.SGs {
		try(func(c *System) bool { return c.removeSG(c.SGs[i].Name) })
	}
	for i, v := range s.VPCs {
		if v.IGW != "" {
			try(func(c *System) bool { c.removeTarget(c.VPCs[i].IGW); c.VPCs[i].IGW = ""; return true })
		}
	}
	for i, rt := range s.RouteTables {
		for j := range rt.Routes {
			try(func(c *System) bool {
				c.RouteTables[i].Routes = slices.Delete(c.RouteTables[i].Routes, j, j+1)
				return true
			})
		}
	}
	for i, sg := range s.SGs {
		for j := range sg.Ingress {
			try(func(c *System) bool { c.SGs[i].Ingress = slices.Delete(c.SGs[i].Ingress, j, j+1); return true })
		}
		for j := range sg.Egress {
			try(func(c *System) bool { c.SGs[i].Egress = slices.Delete(c.SGs[i].Egress, j, j+1); return true })
		}
		if sg.Custom {
			try(func(c *System) bool { c.SGs[i].Custom, c.SGs[i].Egress = false, nil; return true })
		}
	}
	for i, a := range s.ACLs {
		for j := range a.Ingress {
			try(func(c *System) bool { c.ACLs[i].Ingress = slices.Delete(c.ACLs[i].Ingress, j, j+1); return true })
		}
		for j := range a.Egress {
			try(func(c *System) bool { c.ACLs[i].Egress = slices.Delete(c.ACLs[i].Egress, j, j+1); return true })
		}
	}
	for i, t := range s.Tasks {
		if len(t.Ports) > 1 {
			for j := range t.Ports {
				try(func(c *System) bool { c.Tasks[i].Ports = slices.Delete(c.Tasks[i].Ports, j, j+1); return true })
			}
		}
		if len(t.SGs) > 1 {
			for j := range t.SGs {
				try(func(c *System) bool { c.Tasks[i].SGs = slices.Delete(c.Tasks[i].SGs, j, j+1); return true })
			}
		}
		if t.Listen != "" {
			try(func(c *System) bool { c.Tasks[i].Listen = ""; return true })
		}
		if t.Public {
			try(func(c *System) bool { c.Tasks[i].Public = false; return true })
		}
	}
	for i, in := range s.Instances {
		if len(in.SGs) > 1 {
			for j := range in.SGs {
				try(func(c *System) bool { c.Instances[i].SGs = slices.Delete(c.Instances[i].SGs, j, j+1); return true })
			}
		}
		if in.PublicIP {
			try(func(c *System) bool { c.Instances[i].PublicIP = false; return true })
		}
	}
	for i, sn := range s.Subnets {
		if sn.PublicOnLaunch {
			try(func(c *System) bool { c.Subnets[i].PublicOnLaunch = false; return true })
		}
	}
	return out
}

// removeVPC removes a VPC and everything in it.
func (s *System) removeVPC(name string) {
	for _, sn := range slices.Clone(s.Subnets) {
		if sn.VPC == name {
			s.removeSubnet(sn.Name)
		}
	}
	for _, sg := range slices.Clone(s.SGs) {
		if sg.VPC == name {
			s.removeSG(sg.Name)
		}
	}
	s.RouteTables = slices.DeleteFunc(s.RouteTables, func(x *RouteTable) bool { return x.VPC == name })
	s.ACLs = slices.DeleteFunc(s.ACLs, func(x *ACL) bool { return x.VPC == name })
	if s.TGW != nil {
		for _, a := range slices.Clone(s.TGW.Attachments) {
			if a.VPC == name {
				s.removeAttachment(a.Name)
			}
		}
	}
	if p := s.Peering; p != nil && (p.Requester == name || p.Accepter == name) {
		s.removePeering()
	}
	s.VPCs = slices.DeleteFunc(s.VPCs, func(x *VPC) bool { return x.Name == name })
}

// removeSubnet removes a subnet and what runs in it.
func (s *System) removeSubnet(name string) {
	for _, n := range slices.Clone(s.NATs) {
		if n.Subnet == name {
			s.removeTarget(n.Name)
		}
	}
	s.NATs = slices.DeleteFunc(s.NATs, func(x *NAT) bool { return x.Subnet == name })
	s.Instances = slices.DeleteFunc(s.Instances, func(x *Instance) bool { return x.Subnet == name })
	s.Tasks = slices.DeleteFunc(s.Tasks, func(x *Task) bool { return x.Subnet == name })
	for _, lb := range s.LBs {
		lb.Subnets = slices.DeleteFunc(lb.Subnets, func(x string) bool { return x == name })
	}
	s.LBs = slices.DeleteFunc(s.LBs, func(x *LB) bool { return len(x.Subnets) == 0 })
	s.Subnets = slices.DeleteFunc(s.Subnets, func(x *Subnet) bool { return x.Name == name })
	if s.TGW != nil {
		for _, a := range slices.Clone(s.TGW.Attachments) {
			a.Subnets = slices.DeleteFunc(a.Subnets, func(x string) bool { return x == name })
			if len(a.Subnets) == 0 {
				s.removeAttachment(a.Name)
			}
		}
	}
}

// removeTarget removes the routes to a gateway.
func (s *System) removeTarget(name string) {
	for _, rt := range s.RouteTables {
		rt.Routes = slices.DeleteFunc(rt.Routes, func(r Route) bool { return r.Target == name })
	}
}

// removeSG removes a security group and every reference to it; false when
// something would be left without any group.
func (s *System) removeSG(name string) bool {
	drop := func(list []string) ([]string, bool) {
		out := slices.DeleteFunc(slices.Clone(list), func(x string) bool { return x == name })
		return out, len(list) == 0 || len(out) > 0
	}
	for _, in := range s.Instances {
		var ok bool
		if in.SGs, ok = drop(in.SGs); !ok {
			return false
		}
	}
	for _, t := range s.Tasks {
		if t.Mode != "awsvpc" {
			continue
		}
		var ok bool
		if t.SGs, ok = drop(t.SGs); !ok {
			return false
		}
	}
	for _, lb := range s.LBs {
		var ok bool
		if lb.SGs, ok = drop(lb.SGs); !ok {
			return false
		}
	}
	for _, lb := range s.NLBs {
		var ok bool
		if lb.SGs, ok = drop(lb.SGs); !ok {
			return false
		}
	}
	for _, sg := range s.SGs {
		sg.Ingress = slices.DeleteFunc(sg.Ingress, func(r Rule) bool { return r.Group == name })
		sg.Egress = slices.DeleteFunc(sg.Egress, func(r Rule) bool { return r.Group == name })
	}
	s.SGs = slices.DeleteFunc(s.SGs, func(x *SG) bool { return x.Name == name })
	return true
}
