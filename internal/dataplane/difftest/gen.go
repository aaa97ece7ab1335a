package difftest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// System is a generated AWS system: the few resources a scenario file
// needs, in a shape the shrinker can take apart. YAML renders it as a
// scenario file (docs/scenario.md). Names are unique across kinds.
type System struct {
	Name        string
	Seed        uint64
	VPCs        []*VPC
	Subnets     []*Subnet
	RouteTables []*RouteTable
	NATs        []*NAT
	SGs         []*SG
	ACLs        []*ACL
	Instances   []*Instance
	Tasks       []*Task
	LBs         []*LB
	CLBs        []*CLB `json:",omitempty"`
	NLBs        []*NLB `json:",omitempty"`
	TGW         *TGW   `json:",omitempty"`
	// Peering joins the first two VPCs (genpeering.go).
	Peering *Peering `json:",omitempty"`
	// Zones are Route 53 hosted zones with weighted names (genzones.go).
	Zones []*Zone `json:",omitempty"`
	// BPA is the account's VPC Block Public Access (genbpa.go).
	BPA *BPA `json:",omitempty"`
	// Firewalls are AWS Network Firewall firewalls (genfirewall.go).
	Firewalls []*Firewall `json:",omitempty"`
	// GWLBs are Gateway Load Balancers and their endpoints (gengwlb.go).
	GWLBs []*GWLB `json:",omitempty"`
}

// VPC is a VPC with an optional internet gateway.
type VPC struct {
	Name, CIDR string
	IGW        string // the gateway's name, "" for none
	// IPv6: an Amazon-provided IPv6 block; EIGW an egress-only internet
	// gateway's name ("" for none). genipv6.go.
	IPv6 bool   `json:",omitempty"`
	EIGW string `json:",omitempty"`
	// DNSHostnames: enableDnsHostnames (a private hosted zone resolves
	// only with it; genzones.go).
	DNSHostnames bool `json:",omitempty"`
	// Egress: a centralized egress VPC (gentgw.go), which holds no
	// instance or task.
	Egress bool `json:",omitempty"`
	// Inspection: a Gateway Load Balancer's inspection VPC (gengwlb.go),
	// which holds its appliances and no instance or task of the cluster.
	Inspection bool `json:",omitempty"`
}

// Subnet is a subnet; RouteTable and ACL are names ("" for the main
// route table and the default network ACL).
type Subnet struct {
	Name, VPC, CIDR, AZ string
	PublicOnLaunch      bool
	RouteTable, ACL     string
	// IPv6 is the number of the subnet's /64 in its VPC's block ("":
	// none); AssignIPv6 gives the ENIs launched there an IPv6 address.
	IPv6       string `json:",omitempty"`
	AssignIPv6 bool   `json:",omitempty"`
	// IPv6Only makes it an IPv6-only subnet (no CIDR), DNS64 with the
	// Resolver's DNS64 on (genipv6.go, nat64).
	IPv6Only bool `json:",omitempty"`
	DNS64    bool `json:",omitempty"`
}

// RouteTable is a custom route table.
type RouteTable struct {
	Name, VPC string
	Main      bool // the VPC's main route table
	Routes    []Route
	// Gateways are the internet gateways the table is associated with
	// (an edge association: ingress routing, genfirewall.go).
	Gateways []string `json:",omitempty"`
}

// Route sends Dest (a CIDR) to Target (an internet gateway or NAT gateway
// name).
type Route struct{ Dest, Target string }

// NAT is a NAT gateway (with its own Elastic IP when public). Deleted
// gateways leave their routes as blackholes.
type NAT struct {
	Name, Subnet     string
	Private, Deleted bool
}

// SG is a security group.
type SG struct {
	Name, VPC string
	Ingress   []Rule
	Egress    []Rule
	Custom    bool // Egress replaces the default "all traffic out" (possibly with nothing)
}

// Rule is a security group rule: a CIDR or a group.
type Rule struct {
	// Ports: "3000", "1024-65535"; for icmp "TYPE/CODE" (-1: any).
	Proto, Ports string
	CIDR, Group  string
}

// ACL is a custom network ACL (deny-all until entries are added).
type ACL struct {
	Name, VPC       string
	Ingress, Egress []ACLEntry
}

// ACLEntry is a numbered network ACL entry.
type ACLEntry struct {
	Rule               int
	Proto, Ports, CIDR string
	Allow              bool
}

// Instance is an EC2 instance that joins the cluster.
type Instance struct {
	Name, Subnet string
	SGs          []string
	PublicIP     bool
	// NoCluster: not an ECS container instance (nat64's clients).
	NoCluster bool `json:",omitempty"`
}

// Task is a standalone ECS task with its own task definition, or with
// Service set an ECS service of Desired tasks (named <name>/0, …).
type Task struct {
	Name    string
	Service bool
	Desired int
	Mode    string // awsvpc, bridge, host
	Fargate bool
	Subnet  string // awsvpc
	SGs     []string
	Public  bool // Fargate assignPublicIp
	Ports   []Port
	Listen  string // "" or 127.0.0.1
	// TLS: the application speaks TLS on its ports (genbpa.go).
	TLS bool `json:",omitempty"`
}

// Port is a port mapping; Host 0 in bridge mode is a dynamic host port.
type Port struct {
	Container, Host int
	Proto           string
}

// LB is an application load balancer whose listener forwards to a target
// group of ip targets, the tasks of an awsvpc service.
type LB struct {
	Name     string
	Internal bool
	Subnets  []string
	SGs      []string
	Port     int
	// Service is the service (a Task with Service set) registered in the
	// target group, on its container port TGPort.
	Service string
	TGPort  int
	// HealthPath is the target group's health check path.
	HealthPath string
	// DualStack: ip address type dualstack (IPv4 and IPv6 clients).
	DualStack bool `json:",omitempty"`
	// HTTPS: the listener is HTTPS, not HTTP (genbpa.go).
	HTTPS bool `json:",omitempty"`
	// TGProtocol is the target group's protocol, HTTPS or "" (HTTP), and
	// so its health checks' (genbpa.go).
	TGProtocol string `json:",omitempty"`
	// Canary: the forward action is weighted, to a second target group
	// (genweighted.go).
	Canary *Canary `json:",omitempty"`
}

// CLB is a Classic Load Balancer in front of instances registered by
// hand, with one subnet per zone.
type CLB struct {
	Name      string
	Internal  bool
	CrossZone bool
	Subnets   []string
	SGs       []string
	Instances []string
	Listeners []CLBListener
	// Health is the health check target: TCP:port or HTTP:port/.
	Health string
}

// CLBListener is a Classic Load Balancer listener: HTTP or TCP on Port to
// the instances' InstancePort.
type CLBListener struct {
	Port, InstancePort int
	Protocol           string
	// InstanceProtocol is the back end's (the listener's when empty).
	InstanceProtocol string `json:",omitempty"`
}

// Config says what the generator may produce.
type Config struct {
	// CLBs adds, to about a third of the systems with instances, a
	// Classic Load Balancer in front of some of them.
	CLBs bool
	// LBs adds, to about half the systems, an application load balancer
	// in front of an awsvpc service.
	LBs bool
	// TGWs joins two or three VPCs with a transit gateway in about half
	// the systems.
	TGWs bool
	// NLBs adds, to about two systems in five, a Network Load Balancer
	// (gennlb.go).
	NLBs bool
	// IPv6 makes about a third of the systems dual-stack (genipv6.go).
	IPv6 bool
	// Peering joins two VPCs with a peering connection in about half
	// the systems that have two (genpeering.go).
	Peering bool
	// Zones gives about a third of the systems a hosted zone with a
	// weighted record set, probed by name (genzones.go).
	Zones bool
	// TLS makes some load balancer listeners TLS ones: an ALB's HTTPS, a
	// Classic Load Balancer's HTTPS and SSL (genbpa.go).
	TLS bool
	// BPA gives about one system in six VPC Block Public Access
	// (genbpa.go).
	BPA bool
	// Firewalls puts an AWS Network Firewall in front of a public route
	// table in about one system in four with an internet gateway
	// (genfirewall.go).
	Firewalls bool
	// GWLBs puts Gateway Load Balancer endpoints (appliances in an
	// inspection VPC) in front of a public route table in about one
	// system in four with an internet gateway whose gateway no firewall
	// took (gengwlb.go).
	GWLBs bool
	// Weighted makes the ALB's forward action a weighted one in about a
	// third of the systems with an ALB (genweighted.go).
	Weighted bool
}

var (
	containerPorts = []int{80, 3000, 8080, 5000}
	hostPorts      = []int{80, 3000, 8080, 9000}
	singlePorts    = []string{"22", "80", "443", "3000", "8080", "5000", "9000"}
	rangePorts     = []string{"1024-65535", "3000-3010", "0-65535", "32768-65535", "49152-65535", "1-1023", "1024-49151", "80-8080"}
)

// workloadSubnets are the subnets that may hold instances and tasks:
// all but a centralized egress VPC's (as the whitepaper builds it, the
// egress VPC holds the NAT gateways and the transit gateway attachment).
func (s *System) workloadSubnets() []*Subnet {
	var out []*Subnet
	for _, sn := range s.Subnets {
		if !sn.IPv6Only && !slices.ContainsFunc(s.VPCs, func(v *VPC) bool { return (v.Egress || v.Inspection) && v.Name == sn.VPC }) {
			out = append(out, sn)
		}
	}
	return out
}

// Generate makes a random small system, deterministically from seed.
// Every system it returns builds: when ECS has no registered instance for
// the EC2 tasks (none can reach the ECS endpoint), they run on Fargate.
func Generate(seed uint64, cfg Config) *System {
	s := generate(seed, cfg)
	if _, err := Build(s.Name+".yaml", s.YAML()); err != nil && strings.Contains(err.Error(), "No Container Instances") {
		for _, t := range s.Tasks {
			if !t.Fargate && !t.Service {
				t.Mode, t.Fargate, t.Subnet, t.Public = "awsvpc", true, pick(&gen{r: rand.New(rand.NewPCG(seed, 1))}, s.workloadSubnets()).Name, true
				for _, sn := range s.Subnets {
					if sn.Name == t.Subnet {
						t.SGs = []string{sgOfVPC(s, sn.VPC)}
					}
				}
				for i := range t.Ports {
					t.Ports[i].Host = 0
				}
			}
		}
	}
	return s
}

func sgOfVPC(s *System, vpc string) string {
	for _, sg := range s.SGs {
		if sg.VPC == vpc {
			return sg.Name
		}
	}
	return ""
}

type gen struct {
	r   *rand.Rand
	s   *System
	cfg Config
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }
func (g *gen) intn(n int) int {
	if n <= 0 {
		return 0
	}
	return g.r.IntN(n)
}

func pick[T any](g *gen, xs []T) T { return xs[g.intn(len(xs))] }

func generate(seed uint64, cfg Config) *System {
	g := &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), cfg: cfg}
	s := &System{Name: "d" + strconv.FormatUint(seed, 10), Seed: seed}
	g.s = s
	nv := 1
	if g.chance(0.3) {
		nv = 2
	}
	// Transit gateways draw from a stream of their own, so the systems
	// without one stay what they were.
	tr := rand.New(rand.NewPCG(seed, 0x746777))
	withTGW := cfg.TGWs && tr.Float64() < 0.5
	if withTGW && nv < 2 {
		nv = 2 + tr.IntN(2)
	}
	for v := range nv {
		vpc := &VPC{Name: "vpc" + strconv.Itoa(v), CIDR: fmt.Sprintf("10.%d.0.0/16", v)}
		if g.chance(0.9) {
			vpc.IGW = "igw" + strconv.Itoa(v)
		}
		s.VPCs = append(s.VPCs, vpc)
	}
	for _, v := range s.VPCs {
		g.vpc(v)
	}
	g.instances()
	g.tasks()
	if cfg.LBs {
		g.lbs()
	}
	if withTGW {
		g.tgw(tr)
	}
	if cfg.CLBs {
		// A stream of their own too.
		g.clbs(rand.New(rand.NewPCG(seed, 0xc1b)))
	}
	if cfg.NLBs {
		// And a stream of their own.
		g.nlbs(rand.New(rand.NewPCG(seed, 0x41b)))
	}
	if cfg.IPv6 {
		// And IPv6 too.
		g.ipv6(rand.New(rand.NewPCG(seed, 0x1b6)))
		// Dualstack NLBs from a stream of their own (the systems
		// without one stay what they were).
		g.nlbsIPv6(rand.New(rand.NewPCG(seed, 0x41b6)))
	}
	if cfg.Peering {
		// Peering, from a stream of its own, after IPv6 (its routes
		// carry IPv6 between dual-stack VPCs).
		g.peering(rand.New(rand.NewPCG(seed, 0x9ec)))
	}
	if cfg.Zones {
		// Zones last, from a stream of their own (their records name
		// the load balancers).
		g.zones(rand.New(rand.NewPCG(seed, 0x253)))
	}
	if cfg.TLS {
		// TLS listeners and Block Public Access, each from a stream of
		// its own: the systems they leave alone stay what they were.
		g.tlsListeners(rand.New(rand.NewPCG(seed, 0x715)))
		g.tlsTargets(rand.New(rand.NewPCG(seed, 0x716)))
		g.nlbTLSTargets(rand.New(rand.NewPCG(seed, 0x717)))
	}
	if cfg.BPA {
		g.bpa(rand.New(rand.NewPCG(seed, 0xb9a)))
	}
	if withTGW {
		// Centralized egress last, from a stream of its own (gentgw.go).
		g.tgwEgress(rand.New(rand.NewPCG(seed, 0xe9e55)))
	}
	if cfg.Firewalls {
		// Network Firewall in front of a public route table, from a
		// stream of its own (genfirewall.go).
		g.firewalls(rand.New(rand.NewPCG(seed, 0xf1e)))
	}
	if cfg.GWLBs {
		// Gateway Load Balancer endpoints in front of a public route
		// table no firewall took, from a stream of their own
		// (gengwlb.go).
		g.gwlbs(rand.New(rand.NewPCG(seed, 0x9e11b)))
		// And a centralized inspection VPC behind a transit gateway in
		// systems without one (gengwlb.go).
		g.inspectionTGW(rand.New(rand.NewPCG(seed, 0x9e11c)))
	}
	if cfg.Weighted {
		// Weighted forwards, from a stream of their own
		// (genweighted.go).
		g.weightedForwards(rand.New(rand.NewPCG(seed, 0x3e16)))
	}
	if cfg.IPv6 {
		// NAT64 clients after everything else, from a stream of their
		// own (genipv6.go): no other step meets their IPv6-only subnet.
		g.nat64(rand.New(rand.NewPCG(seed, 0x64ff9b)))
	}
	return s
}

// clbs adds a Classic Load Balancer in front of a VPC's instances: an
// HTTP listener to a port a task may publish, or a TCP listener (to sshd
// too), a TCP or HTTP health check, the groups usually open.
func (g *gen) clbs(r *rand.Rand) {
	if len(g.s.Instances) == 0 || r.Float64() >= 0.35 {
		return
	}
	saved := g.r
	g.r = r
	defer func() { g.r = saved }()
	vpc := g.vpcOf(pick(g, g.s.Instances).Subnet)
	if vpc == nil {
		return
	}
	c := &CLB{Name: "clb0", Internal: vpc.IGW == "" || g.chance(0.3), CrossZone: g.chance(0.5), SGs: g.someSGs(vpc.Name)}
	zones := map[string]bool{}
	for _, sn := range g.s.Subnets {
		if sn.VPC == vpc.Name && !zones[sn.AZ] && (len(c.Subnets) == 0 || g.chance(0.7)) {
			zones[sn.AZ] = true
			c.Subnets = append(c.Subnets, sn.Name)
		}
	}
	for _, in := range g.s.Instances {
		if v := g.vpcOf(in.Subnet); v == vpc && (len(c.Instances) == 0 || g.chance(0.8)) {
			c.Instances = append(c.Instances, in.Name)
		}
	}
	if g.chance(0.7) {
		c.Listeners = append(c.Listeners, CLBListener{Port: 80, Protocol: "HTTP", InstancePort: pick(g, hostPorts)})
	}
	if len(c.Listeners) == 0 || g.chance(0.5) {
		c.Listeners = append(c.Listeners, CLBListener{Port: 5000, Protocol: "TCP", InstancePort: pick(g, append([]int{22}, hostPorts...))})
	}
	hp := pick(g, c.Listeners).InstancePort
	if g.chance(0.2) {
		hp = pick(g, append([]int{22}, hostPorts...))
	}
	c.Health = "TCP:" + strconv.Itoa(hp)
	if hp != 22 && g.chance(0.5) {
		c.Health = "HTTP:" + strconv.Itoa(hp) + "/"
	}
	sgs := g.s.sgsByName()
	if g.chance(0.7) {
		x := sgs[c.SGs[0]]
		for _, l := range c.Listeners {
			x.Ingress = addRule(x.Ingress, Rule{Proto: "tcp", Ports: strconv.Itoa(l.Port), CIDR: "0.0.0.0/0"})
		}
	}
	for _, in := range g.s.Instances {
		if slices.Contains(c.Instances, in.Name) && len(in.SGs) > 0 && g.chance(0.7) {
			x := sgs[in.SGs[0]]
			for _, l := range c.Listeners {
				x.Ingress = addRule(x.Ingress, Rule{Proto: "tcp", Ports: strconv.Itoa(l.InstancePort), Group: c.SGs[0]})
			}
			x.Ingress = addRule(x.Ingress, Rule{Proto: "tcp", Ports: strconv.Itoa(hp), Group: c.SGs[0]})
		}
	}
	g.s.CLBs = append(g.s.CLBs, c)
}

func vpcIndex(v *VPC) string { return strings.TrimPrefix(v.Name, "vpc") }

func (g *gen) vpc(v *VPC) {
	s := g.s
	vi := vpcIndex(v)
	// Subnets: 1 to 3.
	ns := 1 + g.intn(3)
	var subs []*Subnet
	for i := range ns {
		sn := &Subnet{Name: "sub" + vi + strconv.Itoa(i), VPC: v.Name, CIDR: fmt.Sprintf("10.%s.%d.0/24", vi, i+1),
			AZ: []string{"us-east-1a", "us-east-1b"}[i%2], PublicOnLaunch: g.chance(0.5)}
		subs = append(subs, sn)
		s.Subnets = append(s.Subnets, sn)
	}
	// NAT gateways: at most one per VPC, in a subnet.
	var nats []*NAT
	if g.chance(0.35) {
		n := &NAT{Name: "nat" + vi, Subnet: pick(g, subs).Name, Private: g.chance(0.15), Deleted: g.chance(0.2)}
		nats = append(nats, n)
		s.NATs = append(s.NATs, n)
	}
	// Route tables: 0 to 2 custom ones; the first one usually routes to
	// the internet gateway and is often the main table.
	nrt := g.intn(3)
	if nrt == 0 && g.chance(0.6) {
		nrt = 1
	}
	for i := range nrt {
		rt := &RouteTable{Name: "rt" + vi + strconv.Itoa(i), VPC: v.Name}
		switch x := g.r.Float64(); {
		case (i == 0 && x < 0.8 || x < 0.5) && v.IGW != "":
			rt.Routes = append(rt.Routes, Route{"0.0.0.0/0", v.IGW})
		case x < 0.85 && len(nats) > 0:
			rt.Routes = append(rt.Routes, Route{"0.0.0.0/0", nats[0].Name})
		}
		if i == 0 && g.chance(0.5) {
			rt.Main = true
		}
		if g.chance(0.25) {
			targets := []string{}
			if v.IGW != "" {
				targets = append(targets, v.IGW)
			}
			for _, n := range nats {
				targets = append(targets, n.Name)
			}
			if len(targets) > 0 {
				rt.Routes = append(rt.Routes, Route{pick(g, []string{"198.51.100.0/24", "192.0.2.0/24", "198.51.100.7/32"}), pick(g, targets)})
			}
		}
		s.RouteTables = append(s.RouteTables, rt)
	}
	var rts []*RouteTable
	for _, rt := range s.RouteTables {
		if rt.VPC == v.Name {
			rts = append(rts, rt)
		}
	}
	// Security groups: 1 to 3.
	nsg := 1 + g.intn(3)
	var sgs []*SG
	for i := range nsg {
		sg := &SG{Name: "sg" + vi + strconv.Itoa(i), VPC: v.Name}
		sgs = append(sgs, sg)
		s.SGs = append(s.SGs, sg)
	}
	for _, sg := range sgs {
		for range 1 + g.intn(4) {
			sg.Ingress = addRule(sg.Ingress, g.rule(v, subs, sgs))
		}
		if g.chance(0.2) {
			sg.Custom = true
			for range g.intn(3) {
				sg.Egress = addRule(sg.Egress, g.rule(v, subs, sgs))
			}
		}
	}
	// Network ACLs: 0 to 2.
	var acls []*ACL
	for i := range g.intn(3) {
		a := &ACL{Name: "acl" + vi + strconv.Itoa(i), VPC: v.Name}
		a.Ingress = g.aclEntries(v, subs)
		a.Egress = g.aclEntries(v, subs)
		acls = append(acls, a)
		s.ACLs = append(s.ACLs, a)
	}
	for _, sn := range subs {
		if len(rts) > 0 && g.chance(0.7) {
			sn.RouteTable = pick(g, rts).Name
		}
		if len(acls) > 0 && g.chance(0.5) {
			sn.ACL = pick(g, acls).Name
		}
	}
}

// cidrs are the sources and destinations rules name.
func (g *gen) cidr(v *VPC, subs []*Subnet) string {
	if g.chance(0.35) {
		return "0.0.0.0/0"
	}
	pool := []string{"0.0.0.0/0", v.CIDR, "10.0.0.0/8", "198.51.100.7/32", "198.51.100.0/24", "203.0.113.0/24"}
	for _, sn := range subs {
		pool = append(pool, sn.CIDR)
	}
	return pick(g, pool)
}

func (g *gen) ports() string {
	if g.chance(0.6) {
		return pick(g, singlePorts)
	}
	return pick(g, rangePorts)
}

func (g *gen) proto() string {
	switch x := g.r.Float64(); {
	case x < 0.55:
		return "tcp"
	case x < 0.75:
		return "udp"
	case x < 0.87:
		return "icmp"
	}
	return "all"
}

// icmpTypes are the ICMP types and codes ("TYPE/CODE", -1 any) of the
// generated icmp rules: the echo request and the echo reply a ping
// needs, each with any code or code 0, a wrong code, another type, all.
var icmpTypes = []string{"8/-1", "8/0", "0/-1", "0/0", "0/1", "3/-1", "-1/-1"}

// portsFor returns a rule's ports for a protocol: ports for tcp and udp,
// a type and code for icmp.
func (g *gen) portsFor(proto string) string {
	switch proto {
	case "icmp":
		return pick(g, icmpTypes)
	case "icmpv6":
		return pick(g, icmpv6Types)
	}
	return g.ports()
}

func (g *gen) rule(v *VPC, subs []*Subnet, sgs []*SG) Rule {
	r := Rule{Proto: g.proto()}
	if r.Proto != "all" {
		r.Ports = g.portsFor(r.Proto)
	}
	if g.chance(0.25) {
		r.Group = pick(g, sgs).Name
	} else {
		r.CIDR = g.cidr(v, subs)
	}
	return r
}

// addRule adds a rule unless an equal one is there (AWS refuses
// duplicates: InvalidPermission.Duplicate).
func addRule(list []Rule, r Rule) []Rule {
	if slices.Contains(list, r) {
		return list
	}
	return append(list, r)
}

func (g *gen) aclEntries(v *VPC, subs []*Subnet) []ACLEntry {
	var out []ACLEntry
	used := map[int]bool{}
	n := g.intn(5)
	if g.chance(0.75) {
		// The usual shape: allow everything at a high number, with
		// random exceptions below it.
		out = append(out, ACLEntry{Rule: 200, Proto: "all", CIDR: "0.0.0.0/0", Allow: true})
		used[200] = true
	}
	for range n {
		num := 1 + g.intn(199)
		if used[num] {
			continue
		}
		used[num] = true
		e := ACLEntry{Rule: num, Proto: g.proto(), CIDR: g.cidr(v, subs), Allow: g.chance(0.6)}
		if e.Proto != "all" {
			e.Ports = g.portsFor(e.Proto)
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b ACLEntry) int { return a.Rule - b.Rule })
	return out
}

func (g *gen) vpcOf(subnet string) *VPC {
	for _, sn := range g.s.Subnets {
		if sn.Name == subnet {
			for _, v := range g.s.VPCs {
				if v.Name == sn.VPC {
					return v
				}
			}
		}
	}
	return nil
}

func (g *gen) sgsIn(vpc string) []*SG {
	var out []*SG
	for _, sg := range g.s.SGs {
		if sg.VPC == vpc {
			out = append(out, sg)
		}
	}
	return out
}

// sgsByName indexes the system's security groups by name.
func (s *System) sgsByName() map[string]*SG {
	sgs := map[string]*SG{}
	for _, sg := range s.SGs {
		sgs[sg.Name] = sg
	}
	return sgs
}

func (g *gen) someSGs(vpc string) []string {
	sgs := g.sgsIn(vpc)
	var out []string
	for _, sg := range sgs {
		if g.chance(0.5) {
			out = append(out, sg.Name)
		}
	}
	if len(out) == 0 {
		out = []string{pick(g, sgs).Name}
	}
	return out
}

func (g *gen) instances() {
	for i := range g.intn(4) {
		sn := pick(g, g.s.Subnets)
		pub := g.chance(0.75)
		if i == 0 && g.chance(0.7) {
			// Most systems have an instance that can register with ECS:
			// a public IP in a subnet routed to an internet gateway.
			for _, x := range g.s.Subnets {
				if g.publicRoute(x) {
					sn, pub = x, true
					break
				}
			}
		}
		in := &Instance{Name: "i" + strconv.Itoa(i), Subnet: sn.Name, SGs: g.someSGs(sn.VPC), PublicIP: pub}
		g.s.Instances = append(g.s.Instances, in)
	}
}

// publicRoute says whether a subnet's route table sends 0.0.0.0/0 to an
// internet gateway.
func (g *gen) publicRoute(sn *Subnet) bool {
	for _, rt := range g.s.RouteTables {
		if rt.Name == sn.RouteTable || sn.RouteTable == "" && rt.Main && rt.VPC == sn.VPC {
			for _, r := range rt.Routes {
				if r.Dest == "0.0.0.0/0" && strings.HasPrefix(r.Target, "igw") {
					return true
				}
			}
		}
	}
	return false
}

func (g *gen) tasks() {
	for i := range g.intn(5) {
		t := &Task{Name: "t" + strconv.Itoa(i)}
		switch x := g.r.Float64(); {
		case x < 0.3:
			t.Mode, t.Fargate = "awsvpc", true
		case x < 0.55:
			t.Mode = "awsvpc"
		case x < 0.85:
			t.Mode = "bridge"
		default:
			t.Mode = "host"
		}
		if t.Mode != "awsvpc" || !t.Fargate {
			if len(g.s.Instances) == 0 {
				t.Mode, t.Fargate = "awsvpc", true
			}
		}
		if t.Mode == "awsvpc" {
			var sn *Subnet
			if !t.Fargate {
				// On EC2 the task ENI is in the subnet of an instance (its zone).
				in := pick(g, g.s.Instances)
				for _, x := range g.s.Subnets {
					if x.Name == in.Subnet {
						sn = x
					}
				}
			} else {
				sn = pick(g, g.s.Subnets)
				t.Public = g.chance(0.75)
			}
			t.Subnet = sn.Name
			t.SGs = g.someSGs(sn.VPC)
		}
		np := 1 + g.intn(2)
		used := map[int]bool{}
		for range np {
			p := Port{Container: pick(g, containerPorts), Proto: "tcp"}
			if g.chance(0.15) {
				p.Proto = "udp"
			}
			if used[p.Container] {
				continue
			}
			used[p.Container] = true
			if t.Mode == "bridge" {
				if g.chance(0.5) {
					p.Host = pick(g, hostPorts)
				}
			}
			t.Ports = append(t.Ports, p)
		}
		if g.chance(0.15) {
			t.Listen = "127.0.0.1"
		}
		g.s.Tasks = append(g.s.Tasks, t)
	}
}

func (g *gen) lbs() {
	if !g.chance(0.5) {
		return
	}
	// A VPC with two subnets in two zones (an ALB needs two).
	var v *VPC
	var subs []string
	for _, x := range g.s.VPCs {
		var ss []string
		for _, sn := range g.s.Subnets {
			if sn.VPC == x.Name {
				ss = append(ss, sn.Name)
			}
		}
		if len(ss) >= 2 {
			v, subs = x, ss
			break
		}
	}
	if v == nil {
		return
	}
	svc := &Task{Name: "s0", Service: true, Desired: 1 + g.intn(2), Mode: "awsvpc", Fargate: true, Public: g.chance(0.85)}
	svc.Subnet = pick(g, subs)
	if g.chance(0.8) {
		// Usually in a subnet that can pull the image.
		for _, sn := range g.s.Subnets {
			if sn.VPC == v.Name && g.publicRoute(sn) {
				svc.Subnet = sn.Name
				break
			}
		}
	}
	svc.SGs = g.someSGs(v.Name)
	port := pick(g, containerPorts)
	svc.Ports = []Port{{Container: port, Proto: "tcp"}}
	if g.chance(0.1) {
		svc.Listen = "127.0.0.1"
	}
	g.s.Tasks = append(g.s.Tasks, svc)
	lb := &LB{Name: "alb0", Internal: v.IGW == "" || g.chance(0.3), Subnets: subs[:2], SGs: g.someSGs(v.Name), Port: pick(g, []int{80, 8080}),
		Service: svc.Name, TGPort: port, HealthPath: "/"}
	// Usually the groups let the client in and the load balancer through.
	sgs := g.s.sgsByName()
	if g.chance(0.7) {
		x := sgs[lb.SGs[0]]
		x.Ingress = addRule(x.Ingress, Rule{Proto: "tcp", Ports: strconv.Itoa(lb.Port), CIDR: "0.0.0.0/0"})
	}
	if g.chance(0.7) {
		x := sgs[svc.SGs[0]]
		r := Rule{Proto: "tcp", Ports: strconv.Itoa(port), Group: lb.SGs[0]}
		if g.chance(0.3) {
			r = Rule{Proto: "tcp", Ports: strconv.Itoa(port), CIDR: v.CIDR}
		}
		x.Ingress = addRule(x.Ingress, r)
	}
	g.s.LBs = append(g.s.LBs, lb)
}
