package difftest

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/dataplane"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// Probe is one connection attempt: from a node ("internet", an instance
// or a task, by name) to a destination and port. The destination is
// symbolic (a node's private or public address), so a probe keeps its
// meaning while the shrinker removes resources and addresses move.
type Probe struct {
	From  string
	To    Dest
	Port  uint16
	Proto model.Protocol
	// HostPortOf, when set, names a bridge task whose dynamic host port
	// for container port Port is the destination port.
	HostPortOf string
	// Plain: the client sends a plain HTTP request (an http:// URL), to
	// a Network Load Balancer's TLS listener its node ends (nlbProbes).
	Plain bool `json:",omitempty"`
}

// Dest is a probe's destination: the private or public address of a
// named instance, task or NAT gateway, or a literal address.
type Dest struct {
	Node   string
	Public bool
	Addr   netip.Addr // when Node is ""
	// LB: Node is a load balancer, asked by name (and DNS name) over HTTP.
	LB bool
	// V6: the node's IPv6 address (its first), or, with LB, the load
	// balancer asked over IPv6.
	V6 bool `json:",omitempty"`
	// Name: a weighted record set's name, or a load balancer's DNS name
	// or its dualstack. form (genzones.go), which the kernel's client
	// looks up for real; Record, when set, the SetIdentifier of
	// the record the probe goes through (else the analyzer's worst case).
	Name   string `json:",omitempty"`
	Record string `json:",omitempty"`
}

func (d Dest) String() string {
	if d.Name != "" && d.Record != "" {
		return d.Name + "[" + d.Record + "]"
	}
	if d.Name != "" {
		return d.Name
	}
	if d.LB && d.V6 {
		return d.Node + "(ipv6)"
	}
	if d.LB {
		return d.Node
	}
	if d.Node == "" {
		return d.Addr.String()
	}
	if d.V6 {
		return d.Node + "(ipv6)"
	}
	if d.Public {
		return d.Node + "(public)"
	}
	return d.Node + "(private)"
}

func (p Probe) String() string {
	if p.HostPortOf != "" {
		return fmt.Sprintf("%s → %s:(host port of %s:%d)/%s", p.From, p.To, p.HostPortOf, p.Port, p.Proto)
	}
	if p.Proto == model.ICMP {
		return fmt.Sprintf("%s → %s ping", p.From, p.To)
	}
	if p.Plain {
		return fmt.Sprintf("%s → %s:%d/%s plain HTTP", p.From, p.To, p.Port, p.Proto)
	}
	return fmt.Sprintf("%s → %s:%d/%s", p.From, p.To, p.Port, p.Proto)
}

// Command is the `ecsnet probe` command line for the probe on a scenario
// file, with the destination resolved in st.
func (p Probe) Command(file string, st *model.State) string {
	to, ok := p.Resolve(st)
	dst := p.To.String() + ":" + strconv.Itoa(int(p.Port))
	if ok && !p.To.LB && p.To.Name == "" {
		dst = to.String()
	}
	if p.To.Name != "" {
		dst = p.To.Name + ":" + strconv.Itoa(int(p.Port))
	}
	if p.Proto == model.ICMP {
		dst = p.To.String()
		if ok && !p.To.LB {
			dst = to.Addr().String()
		}
	}
	c := "ecsnet probe " + file + " --from " + p.From + " --to " + dst
	if p.Plain {
		c += " --plain-http"
	}
	if p.To.V6 && p.To.LB {
		c += " --ipv6" // by name: the address does not say
	}
	switch p.Proto {
	case model.UDP:
		c += " --protocol udp"
	case model.ICMP:
		c += " --protocol icmp"
	}
	return c
}

// index finds the resources of a built state by the names probes use:
// their Name tags when unique, else their ids (task ARNs).
type index struct {
	st        *model.State
	instances map[string]*model.Instance
	tasks     map[string]*model.Task
	nats      map[string]*model.NatGateway
	// order lists the names of each kind, sorted.
	instanceNames, taskNames, natNames []string
}

func newIndex(st *model.State) *index {
	x := &index{st: st, instances: map[string]*model.Instance{}, tasks: map[string]*model.Task{}, nats: map[string]*model.NatGateway{}}
	count := map[string]int{}
	for _, i := range st.Instances {
		if i.State == model.InstanceRunning {
			count[i.Tags.Name()]++
		}
	}
	for _, t := range st.Tasks {
		if t.LastStatus == model.TaskRunning {
			count[t.Tags.Name()]++
		}
	}
	for _, g := range st.NatGateways {
		if g.State == "available" {
			count[g.Tags.Name()]++
		}
	}
	name := func(tags model.Tags, id string) string {
		if n := tags.Name(); n != "" && count[n] == 1 && n != "internet" {
			return n
		}
		return id
	}
	for _, i := range st.Instances {
		if i.State == model.InstanceRunning {
			x.instances[name(i.Tags, string(i.ID))] = i
		}
	}
	for _, t := range st.Tasks {
		if t.LastStatus == model.TaskRunning {
			x.tasks[name(t.Tags, t.ARN)] = t
		}
	}
	for _, g := range st.NatGateways {
		if g.State == "available" {
			x.nats[name(g.Tags, string(g.ID))] = g
		}
	}
	x.instanceNames = sortedKeys(x.instances)
	x.taskNames = sortedKeys(x.tasks)
	x.natNames = sortedKeys(x.nats)
	return x
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// eni returns the network interface a node is reached at: an instance's
// primary ENI, an awsvpc task's ENI, the instance of a bridge or host
// task.
func (x *index) eni(node string) *model.NetworkInterface {
	if i := x.instances[node]; i != nil {
		return x.st.NetworkInterfaces[i.PrimaryENI]
	}
	if t := x.tasks[node]; t != nil {
		if id := t.ENI(); id != "" {
			return x.st.NetworkInterfaces[id]
		}
		if ci := x.st.ContainerInstances[t.ContainerInstanceARN]; ci != nil {
			if i := x.st.Instances[ci.EC2InstanceID]; i != nil {
				return x.st.NetworkInterfaces[i.PrimaryENI]
			}
		}
	}
	if g := x.nats[node]; g != nil {
		return x.st.NetworkInterfaces[g.NetworkInterface]
	}
	return nil
}

// Resolve returns the probe's destination address in a built state, or
// false when the node is gone (or has no public IP).
func (p Probe) Resolve(st *model.State) (netip.AddrPort, bool) {
	return p.resolve(newIndex(st))
}

func (p Probe) resolve(x *index) (netip.AddrPort, bool) {
	if e := x.eni(p.From); e != nil && !e.PrimaryIP().IsValid() && (p.To.Node != "" || p.To.Name != "" || p.To.LB || !p.To.Addr.Is4()) {
		// An interface of an IPv6-only subnet (nat64's instances) probes
		// the internet's IPv4 hosts only, by DNS64 and NAT64: the
		// analyzer does not follow NAT64 to the VPC's own IPv4
		// addresses, nor a name's lookup from there (not reconciled,
		// round 36).
		return netip.AddrPort{}, false
	}
	if p.HostPortOf != "" {
		t := x.tasks[p.HostPortOf]
		if t == nil {
			return netip.AddrPort{}, false
		}
		found := false
		for _, c := range t.Containers {
			for _, b := range c.NetworkBindings {
				switch {
				case b.Protocol != p.Proto:
				case b.IsRange() && p.Port >= b.ContainerPortRange.First && p.Port <= b.ContainerPortRange.Last:
					p.Port, found = b.HostPortRange.First+(p.Port-b.ContainerPortRange.First), true
				case !b.IsRange() && b.ContainerPort == p.Port:
					p.Port, found = b.HostPort, true
				}
			}
		}
		if !found {
			return netip.AddrPort{}, false
		}
	}
	if p.To.Name != "" {
		// The analyzer's first packet says where (analyze).
		return netip.AddrPort{}, slices.Contains(weightedNames(x.st), p.To.Name) || slices.Contains(lbNames(x.st), p.To.Name)
	}
	if p.To.Node == "" {
		return netip.AddrPortFrom(p.To.Addr, p.Port), p.To.Addr.IsValid()
	}
	if p.To.LB {
		// The analyzer's first packet says which node (analyze).
		for _, lb := range x.st.LoadBalancers {
			if lb.Name == p.To.Node && len(lb.Nodes) > 0 {
				return netip.AddrPort{}, true
			}
		}
		if c := x.st.ClassicLoadBalancers[p.To.Node]; c != nil && len(c.Nodes) > 0 {
			return netip.AddrPort{}, true
		}
		return netip.AddrPort{}, false
	}
	e := x.eni(p.To.Node)
	if e == nil {
		return netip.AddrPort{}, false
	}
	if p.To.V6 {
		a, ok := e.PrimaryIPv6()
		return netip.AddrPortFrom(a, p.Port), ok
	}
	if !p.To.Public {
		// An interface of an IPv6-only subnet has no private IPv4
		// address to probe.
		return netip.AddrPortFrom(e.PrimaryIP(), p.Port), e.PrimaryIP().IsValid()
	}
	if g := x.nats[p.To.Node]; g != nil && g.PublicIP.IsValid() {
		return netip.AddrPortFrom(g.PublicIP, p.Port), true
	}
	a, ok := e.PublicIP()
	return netip.AddrPortFrom(a, p.Port), ok
}

// sourceOK says whether the probe's source exists in the state.
func (p Probe) sourceOK(x *index) bool {
	if p.From == "internet" {
		return true
	}
	if _, ok := x.instances[p.From]; ok {
		return true
	}
	t, ok := x.tasks[p.From]
	return ok && x.eni(p.From) != nil && t.NetworkMode != model.NetworkModeNone
}

// listener is a port something listens on; task names the bridge task
// whose host port it is.
type listener struct {
	port  uint16
	proto model.Protocol
	// task and container: a bridge task's binding, to follow its host port.
	task      string
	container uint16
}

// listening returns the ports something listens on at a node's address:
// sshd, bridge and host ports on an instance, container ports on an
// awsvpc task's ENI.
func (x *index) listening(node string) []listener {
	var out []listener
	if in := x.instances[node]; in != nil {
		out = append(out, listener{port: 22, proto: model.TCP})
		for _, name := range x.taskNames {
			t := x.tasks[name]
			ci := x.st.ContainerInstances[t.ContainerInstanceARN]
			if ci == nil || ci.EC2InstanceID != in.ID || t.NetworkMode == model.NetworkModeAwsvpc {
				continue
			}
			for _, c := range t.Containers {
				for _, b := range c.NetworkBindings {
					// A range's first and last ports stand for it.
					for _, hp := range rangeEnds(b.HostPorts()) {
						l := listener{port: hp, proto: b.Protocol}
						if t.NetworkMode == model.NetworkModeBridge {
							l.task, l.container = name, b.ContainerPortFor(hp)
						}
						out = append(out, l)
					}
				}
			}
		}
		return out
	}
	if t := x.tasks[node]; t != nil && t.NetworkMode == model.NetworkModeAwsvpc {
		if td := x.st.TaskDefinitions[t.TaskDefinitionARN]; td != nil {
			for _, c := range td.Containers {
				for _, m := range c.PortMappings {
					for _, cp := range rangeEnds(m.ContainerPorts()) {
						out = append(out, listener{port: cp, proto: protoOr(m.Protocol)})
					}
				}
			}
		}
	}
	return out
}

// rangeEnds is a port range's first and last port (one port when they
// are the same).
func rangeEnds(r model.PortRange) []uint16 {
	if r.First == r.Last {
		return []uint16{r.First}
	}
	return []uint16{r.First, r.Last}
}

func protoOr(p model.Protocol) model.Protocol {
	if p == model.UDP {
		return p
	}
	return model.TCP
}

// Probes makes n random probes for a built system, deterministically
// from seed: from the internet, the instances and the tasks, to the
// private and public addresses of the instances, tasks and NAT gateways
// (about half of them to a port something listens on, the others to
// ports the security group and network ACL rules name, and just past
// them), to addresses no one holds and to an internet host.
func Probes(st *model.State, seed uint64, n int) []Probe {
	r := rand.New(rand.NewPCG(seed, seed^0x51ed270b27c4a4e1))
	x := newIndex(st)
	froms := []string{"internet"}
	var nodes []string
	for _, name := range x.instanceNames {
		froms = append(froms, name)
		nodes = append(nodes, name)
	}
	for _, name := range x.taskNames {
		if (Probe{From: name}).sourceOK(x) {
			froms = append(froms, name)
			if x.tasks[name].NetworkMode == model.NetworkModeAwsvpc {
				nodes = append(nodes, name)
			}
		}
	}
	nodes = append(nodes, x.natNames...)
	var lbs []*model.LoadBalancer
	for _, lb := range st.LoadBalancers {
		if lb.Type == "application" && len(lb.Nodes) > 0 {
			lbs = append(lbs, lb)
		}
	}
	slices.SortFunc(lbs, func(a, b *model.LoadBalancer) int { return strings.Compare(a.Name, b.Name) })
	// Classic Load Balancers, after the ALBs (the systems without one
	// keep their probes).
	for _, c := range sortedKeys(st.ClassicLoadBalancers) {
		if lb := st.ClassicLoadBalancers[c]; len(lb.Nodes) > 0 {
			lbs = append(lbs, &model.LoadBalancer{Name: lb.Name, Type: "classic", Nodes: lb.Nodes})
		}
	}
	// Ports that rules name: their bounds and the port past them.
	portPool := []int{22, 80, 443, 3000, 8080}
	addPort := func(pr model.PortRange) {
		for _, p := range []uint16{pr.First, pr.Last} {
			if p > 0 && p < 65535 {
				portPool = append(portPool, int(p), int(p)+1)
			}
		}
	}
	for _, sg := range st.SecurityGroups {
		for _, r := range append(slices.Clone(sg.Ingress), sg.Egress...) {
			if r.Protocol.HasPorts() {
				addPort(r.Ports)
			}
		}
	}
	for _, a := range st.NetworkACLs {
		for _, e := range a.Entries {
			if e.Protocol.HasPorts() {
				addPort(e.Ports)
			}
		}
	}
	slices.Sort(portPool)
	portPool = slices.Compact(portPool)
	// Not a client's own port (clientPorts): a probe from a node to its
	// own address would connect to itself (TCP simultaneous open).
	portPool = slices.DeleteFunc(portPool, func(p int) bool {
		return p >= reach.DefaultClientPort && p < reach.DefaultClientPort+clientPortSpan
	})
	var subnets []netip.Prefix
	for _, sn := range st.Subnets {
		if sn.CIDR.IsValid() { // not an IPv6-only subnet
			subnets = append(subnets, sn.CIDR)
		}
	}
	slices.SortFunc(subnets, func(a, b netip.Prefix) int { return a.Addr().Compare(b.Addr()) })

	// A system with a transit gateway keeps a third of its probes for
	// connections from one VPC to another (probesAcross).
	main := n
	if len(st.TransitGatewayAttachments) > 0 {
		main = n - n/3
	}
	// An eighth are pings (pingProbes), after the others.
	pings := n / 8
	main -= pings
	var out []Probe
	for tries := 0; len(out) < main && tries < main*20; tries++ {
		p := Probe{From: froms[r.IntN(len(froms))], Proto: model.TCP}
		switch k := r.Float64(); {
		case len(lbs) > 0 && r.Float64() < 0.3:
			lb := lbs[r.IntN(len(lbs))]
			p.To = Dest{Node: lb.Name, LB: true}
			p.Port = 80
			if ls := x.lbPorts(lb); len(ls) > 0 && r.Float64() < 0.8 {
				p.Port = ls[r.IntN(len(ls))]
			}
		case k < 0.8 && len(nodes) > 0:
			pub := 0.3
			if p.From == "internet" {
				pub = 0.9
			}
			p.To = Dest{Node: nodes[r.IntN(len(nodes))], Public: r.Float64() < pub}
		case k < 0.9 && len(subnets) > 0:
			// An address of a subnet that no one holds.
			p.To = Dest{Addr: addrAt(subnets[r.IntN(len(subnets))], 200)}
		case k < 0.95:
			// A public address no one holds.
			p.To = Dest{Addr: netip.MustParseAddr("203.0.113.250")}
		default:
			// An internet host: a stand-in registry.
			p.To = Dest{Addr: netip.MustParseAddr("192.0.2.10")}
			p.Port = 443
		}
		if p.Port == 0 {
			ls := x.listening(p.To.Node)
			if len(ls) > 0 && r.Float64() < 0.5 {
				l := ls[r.IntN(len(ls))]
				p.Port, p.Proto = l.port, l.proto
				if l.task != "" && r.Float64() < 0.8 {
					// The task's host port, wherever it moves.
					p.Port, p.HostPortOf = l.container, l.task
				}
			} else {
				p.Port = uint16(portPool[r.IntN(len(portPool))])
				if r.Float64() < 0.15 {
					p.Proto = model.UDP
				}
			}
		}
		if p.From == "internet" && p.To.Node == "" && p.To.Addr.String() == "192.0.2.10" {
			continue
		}
		if _, ok := p.resolve(x); !ok {
			continue
		}
		if p.From == p.To.Node && !p.To.Public || slices.Contains(out, p) {
			continue
		}
		out = append(out, p)
	}
	if across := n - pings - main; across > 0 {
		out = append(out, probesAcross(x, seed, across, froms, nodes, portPool, out)...)
	}
	out = append(out, pingProbes(x, seed, pings, froms, nodes, lbs, subnets, out)...)
	// Network Load Balancers get a quarter more, on top (the systems
	// without one keep theirs).
	out = append(out, nlbProbes(x, seed, (n+3)/4, froms, out)...)
	// Dual-stack systems a third more over IPv6 (genipv6.go).
	out = append(out, probes6(x, seed, (n+2)/3, froms, nodes, portPool, out)...)
	// Weighted names a few, each through every record (genzones.go).
	out = append(out, nameProbes(x, seed, (n+5)/6, froms, portPool)...)
	// Load balancers by DNS name, plain and dualstack. (genzones.go).
	out = append(out, lbNameProbes(x, seed, (n+7)/8, froms)...)
	// Centralized egress a few to the internet host (gentgw.go).
	out = append(out, egressProbes(x, seed, (n+3)/4, froms, out)...)
	// Gateway Load Balancer endpoints' VPCs a third more (gengwlb.go).
	out = append(out, gwlbProbes(x, seed, (n+2)/3, out)...)
	return out
}

// nlbProbes makes up to n probes to the listeners of the Network Load
// Balancers (over each protocol a listener takes; a TCP_UDP listener
// over both) and to a port without a listener, from the internet, the
// instances and the tasks. Its own random stream leaves the other probes
// of a seed as they were.
func nlbProbes(x *index, seed uint64, n int, froms []string, have []Probe) []Probe {
	var nlbs []*model.LoadBalancer
	for _, lb := range x.st.LoadBalancers {
		if lb.Type == "network" && len(lb.Nodes) > 0 {
			nlbs = append(nlbs, lb)
		}
	}
	if len(nlbs) == 0 {
		return nil
	}
	slices.SortFunc(nlbs, func(a, b *model.LoadBalancer) int { return strings.Compare(a.Name, b.Name) })
	r := rand.New(rand.NewPCG(seed, 0x41b))
	// Plain clients of TLS listeners from a stream of their own (the
	// probes of systems without one stay what they were).
	plain := rand.New(rand.NewPCG(seed, 0x41c))
	var out []Probe
	for tries := 0; len(out) < n && tries < n*20; tries++ {
		lb := nlbs[r.IntN(len(nlbs))]
		p := Probe{From: froms[r.IntN(len(froms))], Proto: model.TCP, To: Dest{Node: lb.Name, LB: true}, Port: 8443}
		if p.From == "internet" && lb.Scheme == "internal" && len(froms) > 1 && r.Float64() < 0.7 {
			// Mostly the clients an internal load balancer serves.
			p.From = froms[1+r.IntN(len(froms)-1)]
		}
		var ls []*model.Listener
		for _, l := range x.st.Listeners {
			if l.LoadBalancerARN == lb.ARN {
				ls = append(ls, l)
			}
		}
		slices.SortFunc(ls, func(a, b *model.Listener) int { return int(a.Port) - int(b.Port) })
		if len(ls) > 0 && r.Float64() < 0.9 {
			l := ls[r.IntN(len(ls))]
			p.Port = l.Port
			switch l.Protocol {
			case "TLS":
				p.Plain = dataplane.NLBEndsTLS(x.st, l) && plain.Float64() < 0.3
			case "UDP":
				p.Proto = model.UDP
			case "TCP_UDP":
				if r.Float64() < 0.5 {
					p.Proto = model.UDP
				}
			}
		} else if r.Float64() < 0.5 {
			p.Proto = model.UDP
		}
		if _, ok := p.resolve(x); !ok || slices.Contains(have, p) || slices.Contains(out, p) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// pingProbes makes up to n pings (ICMP echo requests): from the internet,
// the instances and the tasks to the private and public addresses of the
// nodes (the instances, awsvpc tasks and NAT gateways), to a load
// balancer, to an address of a subnet no one holds and to an internet
// host. Its own random stream leaves the other probes of a seed as they
// were.
func pingProbes(x *index, seed uint64, n int, froms, nodes []string, lbs []*model.LoadBalancer, subnets []netip.Prefix, have []Probe) []Probe {
	r := rand.New(rand.NewPCG(seed, 0x1c3b))
	var out []Probe
	for tries := 0; len(out) < n && tries < n*20; tries++ {
		p := Probe{From: froms[r.IntN(len(froms))], Proto: model.ICMP}
		switch k := r.Float64(); {
		case k < 0.1 && len(lbs) > 0:
			p.To = Dest{Node: lbs[r.IntN(len(lbs))].Name, LB: true}
		case k < 0.85 && len(nodes) > 0:
			pub := 0.3
			if p.From == "internet" {
				pub = 0.9
			}
			p.To = Dest{Node: nodes[r.IntN(len(nodes))], Public: r.Float64() < pub}
		case k < 0.93 && len(subnets) > 0:
			p.To = Dest{Addr: addrAt(subnets[r.IntN(len(subnets))], 200)}
		default:
			if p.From == "internet" {
				continue
			}
			p.To = Dest{Addr: netip.MustParseAddr("192.0.2.10")}
		}
		if _, ok := p.resolve(x); !ok {
			continue
		}
		if p.From == p.To.Node && !p.To.Public || slices.Contains(out, p) || slices.Contains(have, p) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// probesAcross makes up to n probes from an instance or task to the
// private address of a node in another VPC, most to a port it listens
// on: the paths through a transit gateway.
func probesAcross(x *index, seed uint64, n int, froms, nodes []string, portPool []int, have []Probe) []Probe {
	r := rand.New(rand.NewPCG(seed, 0x746777))
	vpcOf := func(node string) model.VpcID {
		if e := x.eni(node); e != nil {
			return e.VpcID
		}
		return ""
	}
	var out []Probe
	if len(froms) < 2 || len(nodes) == 0 {
		return nil
	}
	for tries := 0; len(out) < n && tries < n*20; tries++ {
		from := froms[r.IntN(len(froms))]
		to := nodes[r.IntN(len(nodes))]
		if from == "internet" || vpcOf(from) == "" || vpcOf(to) == "" || vpcOf(from) == vpcOf(to) {
			continue
		}
		p := Probe{From: from, Proto: model.TCP, To: Dest{Node: to}}
		if ls := x.listening(to); len(ls) > 0 && r.Float64() < 0.7 {
			l := ls[r.IntN(len(ls))]
			p.Port, p.Proto = l.port, l.proto
			if l.task != "" && r.Float64() < 0.8 {
				p.Port, p.HostPortOf = l.container, l.task
			}
		} else {
			p.Port = uint16(portPool[r.IntN(len(portPool))])
		}
		if _, ok := p.resolve(x); !ok || slices.Contains(have, p) || slices.Contains(out, p) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// lbPorts returns a load balancer's listener ports.
func (x *index) lbPorts(lb *model.LoadBalancer) []uint16 {
	var out []uint16
	if c := x.st.ClassicLoadBalancers[lb.Name]; lb.Type == "classic" && c != nil {
		for _, l := range c.Listeners {
			out = append(out, uint16(l.LoadBalancerPort))
		}
		slices.Sort(out)
		return out
	}
	for _, l := range x.st.Listeners {
		if l.LoadBalancerARN == lb.ARN {
			out = append(out, l.Port)
		}
	}
	slices.Sort(out)
	return out
}

// addrAt returns the address i past a prefix's base.
func addrAt(p netip.Prefix, i int) netip.Addr {
	a := p.Masked().Addr()
	for range i {
		a = a.Next()
	}
	return a
}
