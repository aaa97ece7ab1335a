package difftest

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// GWLB is a Gateway Load Balancer of a generated system (gengwlb.go): its
// appliances in an inspection VPC of their own, and the endpoints of its
// endpoint service in the inspected VPC, one per zone, that the internet
// gateway's edge route table and the inspected subnets' route tables send
// through (ingress routing, "Gateway route tables" in the VPC guide;
// "Inspection system for internet traffic", the GWLB guide).
type GWLB struct {
	Name string
	// VPC is the inspection VPC, of the appliances and the load
	// balancer's subnets (one per zone, Subnets).
	VPC     string
	Subnets []string
	// Appliances are the target group's instances, in registration order.
	Appliances []string
	// HealthPort is the target group's TCP health check port.
	HealthPort string
	CrossZone  bool
	Endpoints  []GWLBEndpoint
}

// GWLBEndpoint is a Gateway Load Balancer endpoint of the inspected VPC.
type GWLBEndpoint struct {
	Name, VPC, Subnet string
}

// gwlbs puts, in about one system in four with an internet gateway in
// front of a route table no firewall took (a VPC whose gateway has no edge
// route table yet), a Gateway Load Balancer in front of that table's
// subnets, from a stream of its own (the systems it leaves alone stay what
// they were): an inspection VPC with a subnet per zone of those subnets
// (the load balancer's), an appliance instance in each (sometimes two,
// sometimes none in the second zone), whose group admits GENEVE (UDP 6081)
// from the inspection VPC and the health check (TCP 22) from the
// inspection VPC, from the first zone's subnet only (the other zone's
// appliances unhealthy) or not at all (none healthy: the endpoints drop
// everything); cross-zone load balancing now and then; in the inspected
// VPC a /28 per zone for that zone's endpoint, whose route table sends
// 0.0.0.0/0 to the internet gateway; the subnets' route table (split per
// zone now and then, so each zone goes through its own endpoint) sending
// each of its IPv4 routes to the gateway through an endpoint; and the
// gateway's edge route table sending each subnet's range to the same
// endpoint, so that every flow goes through one appliance both ways.
func (g *gen) gwlbs(r *rand.Rand) {
	if r.Float64() >= 0.25 {
		return
	}
	saved := g.r
	g.r = r
	defer func() { g.r = saved }()
	// A VPC whose gateway has an edge route table (a firewall's) is left
	// alone, as is an inspection VPC.
	c, subs := g.publicTable(func(v *VPC) bool { return v.Inspection || g.s.edgeTable(v.IGW) != nil })
	if len(subs) == 0 {
		return
	}
	var zones []string
	for _, sn := range subs {
		if !slices.Contains(zones, sn.AZ) {
			zones = append(zones, sn.AZ)
		}
	}
	slices.Sort(zones)
	vi := strings.TrimPrefix(c.v.Name, "vpc")
	ni := strconv.Itoa(len(g.s.VPCs))
	insp := &VPC{Name: "vpc" + ni, CIDR: "10." + ni + ".0.0/16", Inspection: true}
	g.s.VPCs = append(g.s.VPCs, insp)
	lb := &GWLB{Name: "gwlb" + vi, VPC: insp.Name, HealthPort: "22", CrossZone: g.chance(0.25)}
	g.gwlbAppliances(lb, insp, zones)
	epRT := &RouteTable{Name: "gwert" + vi, VPC: c.v.Name, Routes: []Route{{Dest: "0.0.0.0/0", Target: c.v.IGW}}}
	g.s.RouteTables = append(g.s.RouteTables, epRT)
	endpoint := map[string]string{} // zone → endpoint
	for k, az := range zones {
		sn := &Subnet{Name: "gwesub" + vi + strconv.Itoa(k), VPC: c.v.Name, CIDR: fmt.Sprintf("10.%s.%d.0/28", vi, 240+k), AZ: az, RouteTable: epRT.Name}
		g.s.Subnets = append(g.s.Subnets, sn)
		ep := GWLBEndpoint{Name: "gwe" + vi + strconv.Itoa(k), VPC: c.v.Name, Subnet: sn.Name}
		lb.Endpoints = append(lb.Endpoints, ep)
		endpoint[az] = ep.Name
	}
	// The subnets' route table goes through the endpoint of its first
	// subnet's zone; split per zone, each zone's subnets get a copy that
	// goes through their own zone's endpoint.
	tables := map[string]*RouteTable{zones[0]: c.rt} // zone → table
	if len(zones) > 1 && g.chance(0.5) {
		for _, az := range zones[1:] {
			rt := &RouteTable{Name: c.rt.Name + "z" + az[len(az)-1:], VPC: c.v.Name, Routes: slices.Clone(c.rt.Routes)}
			g.s.RouteTables = append(g.s.RouteTables, rt)
			tables[az] = rt
		}
	}
	through := map[string]string{} // route table → endpoint
	for az, rt := range tables {
		through[rt.Name] = endpoint[az]
		for i, x := range rt.Routes {
			if x.Target == c.v.IGW && !strings.Contains(x.Dest, ":") {
				rt.Routes[i].Target = endpoint[az]
			}
		}
	}
	edge := &RouteTable{Name: "gwedge" + vi, VPC: c.v.Name, Gateways: []string{c.v.IGW}}
	for _, sn := range subs {
		rt := c.rt
		if t := tables[sn.AZ]; t != nil && t != c.rt {
			rt = t
			sn.RouteTable = rt.Name
		}
		edge.Routes = append(edge.Routes, Route{Dest: sn.CIDR, Target: through[rt.Name]})
	}
	g.s.RouteTables = append(g.s.RouteTables, edge)
	g.s.GWLBs = append(g.s.GWLBs, lb)
}

// gwlbAppliances gives a Gateway Load Balancer in the inspection VPC insp
// a subnet per zone (its own), an appliance instance in each (two now and
// then, none in a later zone now and then), and the appliances' group:
// GENEVE (UDP 6081) from the inspection VPC, and the health check (TCP
// 22) from the inspection VPC (70 %), from the first zone's subnet only
// (15 %) or not at all (15 %).
func (g *gen) gwlbAppliances(lb *GWLB, insp *VPC, zones []string) {
	ni := vpcIndex(insp)
	sg := &SG{Name: "apsg" + ni, VPC: insp.Name, Ingress: []Rule{{Proto: "udp", Ports: "6081", CIDR: insp.CIDR}}}
	health := g.r.Float64()
	for k, az := range zones {
		sn := &Subnet{Name: "apsub" + ni + strconv.Itoa(k), VPC: insp.Name, CIDR: fmt.Sprintf("10.%s.%d.0/24", ni, k+1), AZ: az}
		g.s.Subnets = append(g.s.Subnets, sn)
		lb.Subnets = append(lb.Subnets, sn.Name)
		if k == 0 && health >= 0.7 && health < 0.85 {
			// The health check admitted from the first zone's subnet
			// only: the other zones' nodes find their appliances
			// unhealthy.
			sg.Ingress = append(sg.Ingress, Rule{Proto: "tcp", Ports: "22", CIDR: sn.CIDR})
		}
		if k > 0 && g.chance(0.2) {
			continue // no appliance in this zone
		}
		n := 1
		if g.chance(0.2) {
			n = 2
		}
		for j := range n {
			in := &Instance{Name: fmt.Sprintf("ap%s%d%d", ni, k, j), Subnet: sn.Name, SGs: []string{sg.Name}, NoCluster: true}
			g.s.Instances = append(g.s.Instances, in)
			lb.Appliances = append(lb.Appliances, in.Name)
		}
	}
	if health < 0.7 {
		sg.Ingress = append(sg.Ingress, Rule{Proto: "tcp", Ports: "22", CIDR: insp.CIDR})
	}
	g.s.SGs = append(g.s.SGs, sg)
	if len(lb.Appliances) == 0 {
		in := &Instance{Name: "ap" + ni + "00", Subnet: lb.Subnets[0], SGs: []string{sg.Name}, NoCluster: true}
		g.s.Instances = append(g.s.Instances, in)
		lb.Appliances = append(lb.Appliances, in.Name)
	}
}

// inspectionTGW gives about a third of the systems with two VPCs or more
// and no transit gateway a centralized inspection VPC ("Centralized
// inspection architecture with AWS Gateway Load Balancer and AWS Transit
// Gateway", the GWLB guide and the AWS whitepaper): a transit gateway
// attaching every VPC (a subnet per zone it uses), the spokes' route
// tables sending 10.0.0.0/8 to it, their attachments associated with a
// route table whose default route is the inspection attachment and
// propagating into the inspection attachment's table; the inspection VPC
// with an attachment subnet per zone whose route table sends 0.0.0.0/0 to
// the zone's Gateway Load Balancer endpoint, whose subnet's route table
// sends 10.0.0.0/8 back to the gateway, and the load balancer's
// appliances (gwlbAppliances), over every zone the spokes use. Appliance
// mode on in half of them; without it a reply between zones meets
// another zone's appliance, which drops a TCP or ICMP reply and forwards
// a UDP answer as a new flow, in the analyzer as in the kernel
// (docs/dataplane.md). Beside a peering
// connection (its routes, more specific than 10.0.0.0/8, take one
// direction of a flow around the inspection VPC) and beside a spoke's
// Network Firewall (a reply through the inspection VPC comes into the
// spoke at its attachment, around the firewall its request left by) the
// flows are asymmetric, which the analyzer drops as the kernel's
// appliance and firewall do (seeds 445, 692, 848).
func (g *gen) inspectionTGW(r *rand.Rand) {
	s := g.s
	if s.TGW != nil || r.Float64() >= 0.35 {
		return
	}
	saved := g.r
	g.r = r
	defer func() { g.r = saved }()
	var spokes []*VPC
	for _, v := range s.VPCs {
		if !v.Egress && !v.Inspection && slices.ContainsFunc(s.Subnets, func(sn *Subnet) bool { return sn.VPC == v.Name && !sn.IPv6Only }) {
			spokes = append(spokes, v)
		}
	}
	if len(spokes) < 2 {
		return
	}
	ni := strconv.Itoa(len(s.VPCs))
	insp := &VPC{Name: "vpc" + ni, CIDR: "10." + ni + ".0.0/16", Inspection: true}
	t := &TGW{Name: "tgw", RouteTables: []*TGWRouteTable{{Name: "trtspk", Routes: []Route{{Dest: "0.0.0.0/0", Target: "att" + ni}}}, {Name: "trtins"}}}
	var zones []string
	for _, v := range spokes {
		a := &TGWAttachment{Name: "att" + vpcIndex(v), VPC: v.Name, RouteTable: "trtspk", PropagateTo: []string{"trtins"}}
		seen := map[string]bool{}
		for _, sn := range s.Subnets {
			if sn.VPC == v.Name && !sn.IPv6Only && !seen[sn.AZ] {
				seen[sn.AZ] = true
				a.Subnets = append(a.Subnets, sn.Name)
				if !slices.Contains(zones, sn.AZ) {
					zones = append(zones, sn.AZ)
				}
			}
		}
		t.Attachments = append(t.Attachments, a)
		var rts []*RouteTable
		for _, rt := range s.RouteTables {
			if rt.VPC == v.Name && len(rt.Gateways) == 0 {
				rts = append(rts, rt)
			}
		}
		if !slices.ContainsFunc(rts, func(rt *RouteTable) bool { return rt.Main }) {
			rt := &RouteTable{Name: "rt" + vpcIndex(v) + "t", VPC: v.Name, Main: true}
			s.RouteTables = append(s.RouteTables, rt)
			rts = append(rts, rt)
		}
		for _, rt := range rts {
			if g.chance(0.9) && !slices.ContainsFunc(rt.Routes, func(x Route) bool { return x.Dest == "10.0.0.0/8" }) {
				rt.Routes = append(rt.Routes, Route{Dest: "10.0.0.0/8", Target: t.Name})
			}
		}
	}
	// A spoke without an instance or task gets an instance (not of the
	// cluster), so that flows between spokes have two ends.
	for _, v := range spokes {
		if slices.ContainsFunc(s.Instances, func(in *Instance) bool { return s.vpcOfSubnet(in.Subnet) == v.Name }) ||
			slices.ContainsFunc(s.Tasks, func(t *Task) bool { return t.Mode == "awsvpc" && s.vpcOfSubnet(t.Subnet) == v.Name }) ||
			sgOfVPC(s, v.Name) == "" {
			continue
		}
		i := slices.IndexFunc(s.Subnets, func(sn *Subnet) bool { return sn.VPC == v.Name && !sn.IPv6Only })
		s.Instances = append(s.Instances, &Instance{Name: "sp" + vpcIndex(v), Subnet: s.Subnets[i].Name, SGs: g.someSGs(v.Name), NoCluster: true})
	}
	slices.Sort(zones)
	mode := len(zones) > 1 && g.chance(0.5)
	s.VPCs = append(s.VPCs, insp)
	lb := &GWLB{Name: "gwlbi" + ni, VPC: insp.Name, HealthPort: "22", CrossZone: g.chance(0.25)}
	g.gwlbAppliances(lb, insp, zones)
	epRT := &RouteTable{Name: "gwirt" + ni, VPC: insp.Name, Routes: []Route{{Dest: "10.0.0.0/8", Target: t.Name}}}
	s.RouteTables = append(s.RouteTables, epRT)
	att := &TGWAttachment{Name: "att" + ni, VPC: insp.Name, RouteTable: "trtins", ApplianceMode: mode}
	for k, az := range zones {
		ep := GWLBEndpoint{Name: "gwi" + ni + strconv.Itoa(k), VPC: insp.Name, Subnet: "gwisub" + ni + strconv.Itoa(k)}
		s.Subnets = append(s.Subnets, &Subnet{Name: ep.Subnet, VPC: insp.Name, CIDR: fmt.Sprintf("10.%s.%d.0/28", ni, 110+k), AZ: az, RouteTable: epRT.Name})
		lb.Endpoints = append(lb.Endpoints, ep)
		rt := &RouteTable{Name: "tgrt" + ni + strconv.Itoa(k), VPC: insp.Name, Routes: []Route{{Dest: "0.0.0.0/0", Target: ep.Name}}}
		s.RouteTables = append(s.RouteTables, rt)
		sn := &Subnet{Name: "tgsub" + ni + strconv.Itoa(k), VPC: insp.Name, CIDR: fmt.Sprintf("10.%s.%d.0/28", ni, 100+k), AZ: az, RouteTable: rt.Name}
		s.Subnets = append(s.Subnets, sn)
		att.Subnets = append(att.Subnets, sn.Name)
	}
	t.Attachments = append(t.Attachments, att)
	s.TGW = t
	s.GWLBs = append(s.GWLBs, lb)
	// Most groups admit the other VPCs (10.0.0.0/8), so that connections
	// through the inspection VPC succeed as often as they fail.
	for _, sg := range s.SGs {
		if sg.VPC != insp.Name && g.chance(0.6) {
			sg.Ingress = addRule(sg.Ingress, Rule{Proto: "all", CIDR: "10.0.0.0/8"})
		}
	}
}

// edgeTable is the route table associated with an internet gateway (an
// edge association), or nil.
func (s *System) edgeTable(igw string) *RouteTable {
	for _, rt := range s.RouteTables {
		if slices.Contains(rt.Gateways, igw) {
			return rt
		}
	}
	return nil
}

// gwlbTargetGroupsYAML renders the Gateway Load Balancers' target groups
// (under target_groups:).
func (s *System) gwlbTargetGroupsYAML(w func(string, ...any)) {
	for _, lb := range s.GWLBs {
		var ts []string
		for _, a := range lb.Appliances {
			ts = append(ts, "{id: "+a+"}")
		}
		w("  %s-tg: {vpc: %s, protocol: GENEVE, port: 6081, health_check: {protocol: TCP, port: %q}, targets: [%s]}\n", lb.Name, lb.VPC, lb.HealthPort, strings.Join(ts, ", "))
	}
}

// gwlbYAML renders the Gateway Load Balancers (under load_balancers:).
func (s *System) gwlbYAML(w func(string, ...any)) {
	for _, lb := range s.GWLBs {
		w("  %s: {type: gateway, subnets: [%s], listeners: [{forward: %s-tg}]", lb.Name, strings.Join(lb.Subnets, ", "), lb.Name)
		if lb.CrossZone {
			w(", cross_zone: true")
		}
		w("}\n")
	}
}

// gwlbEndpointsYAML renders the endpoint services and their endpoints.
func (s *System) gwlbEndpointsYAML(w func(string, ...any)) {
	if len(s.GWLBs) == 0 {
		return
	}
	w("\nendpoint_services:\n")
	for _, lb := range s.GWLBs {
		w("  %s-svc: {gateway_load_balancers: [%s]}\n", lb.Name, lb.Name)
	}
	w("\nvpc_endpoints:\n")
	for _, lb := range s.GWLBs {
		for _, ep := range lb.Endpoints {
			w("  %s: {vpc: %s, endpoint_service: %s-svc, subnets: [%s]}\n", ep.Name, ep.VPC, lb.Name, ep.Subnet)
		}
	}
}

// throughGWLBEndpoint says whether the analyzer's path (either way) goes
// through a Gateway Load Balancer endpoint the generator made.
func throughGWLBEndpoint(r *reach.Result) bool {
	if r == nil {
		return false
	}
	for _, h := range append(slices.Clone(r.Forward), r.Return...) {
		if h.Component != nil && h.Component.Type == "vpc-endpoint" && strings.HasPrefix(h.Component.Name, "gw") {
			return true
		}
	}
	return false
}

// gwlbProbes makes up to n probes of the nodes of a VPC with a Gateway
// Load Balancer endpoint (gengwlb.go): from the internet to a node's
// public address (a port it listens on, else 22 or 80) and from a node to
// the internet host, the flows the endpoints' edge and subnet routes take
// through an appliance both ways, and a few pings each way; and, when an
// inspection VPC's endpoints are behind a transit gateway, from a node of
// one attached VPC to a node of another (their private addresses), the
// flows the gateway sends through the inspection VPC.
func gwlbProbes(x *index, seed uint64, n int, have []Probe) []Probe {
	vpcs := map[model.VpcID]bool{}
	for _, ep := range x.st.VpcEndpoints {
		if ep.Type == "GatewayLoadBalancer" {
			vpcs[ep.VpcID] = true
		}
	}
	if len(vpcs) == 0 {
		return nil
	}
	attached := map[model.VpcID]bool{}
	inspected := false
	for _, a := range x.st.TransitGatewayAttachments {
		attached[a.VpcID] = true
		inspected = inspected || vpcs[a.VpcID]
	}
	var nodes, spokes []string
	for _, name := range slices.Concat(x.instanceNames, x.taskNames) {
		e := x.eni(name)
		if e == nil || !(Probe{From: name}).sourceOK(x) {
			continue
		}
		if vpcs[e.VpcID] {
			nodes = append(nodes, name)
		}
		if inspected && attached[e.VpcID] && !vpcs[e.VpcID] {
			spokes = append(spokes, name)
		}
	}
	if len(nodes) == 0 && len(spokes) < 2 {
		return nil
	}
	r := rand.New(rand.NewPCG(seed, 0x9e11b))
	port := func(node string) (uint16, model.Protocol) {
		if ls := x.listening(node); len(ls) > 0 && r.Float64() < 0.6 {
			l := ls[r.IntN(len(ls))]
			return l.port, l.proto
		}
		return []uint16{22, 80}[r.IntN(2)], model.TCP
	}
	var out []Probe
	for range n * 3 {
		if len(out) >= n {
			break
		}
		var p Probe
		if len(spokes) >= 2 && (len(nodes) == 0 || r.Float64() < 0.5) {
			from, to := spokes[r.IntN(len(spokes))], spokes[r.IntN(len(spokes))]
			if x.eni(from).VpcID == x.eni(to).VpcID {
				continue
			}
			p = Probe{From: from, To: Dest{Node: to}}
			if r.Float64() < 0.15 {
				p.Proto = model.ICMP
			} else {
				p.Port, p.Proto = port(to)
			}
		} else {
			node := nodes[r.IntN(len(nodes))]
			p = Probe{From: "internet", To: Dest{Node: node, Public: true}, Proto: model.TCP}
			switch k := r.Float64(); {
			case k < 0.4:
				p.Port, p.Proto = port(node)
			case k < 0.8:
				p = Probe{From: node, To: Dest{Addr: netip.MustParseAddr("192.0.2.10")}, Port: 443, Proto: model.TCP}
			case k < 0.9:
				p.Proto = model.ICMP
			default:
				p = Probe{From: node, To: Dest{Addr: netip.MustParseAddr("192.0.2.10")}, Proto: model.ICMP}
			}
		}
		if _, ok := p.resolve(x); !ok || slices.Contains(out, p) || slices.Contains(have, p) {
			continue
		}
		out = append(out, p)
	}
	return out
}
