package difftest

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
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
}

// Dest is a probe's destination: the private or public address of a
// named instance, task or NAT gateway, or a literal address.
type Dest struct {
	Node   string
	Public bool
	Addr   netip.Addr // when Node is ""
}

func (d Dest) String() string {
	if d.Node == "" {
		return d.Addr.String()
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
	return fmt.Sprintf("%s → %s:%d/%s", p.From, p.To, p.Port, p.Proto)
}

// Command is the `ecsnet probe` command line for the probe on a scenario
// file, with the destination resolved in st.
func (p Probe) Command(file string, st *model.State) string {
	to, ok := p.Resolve(st)
	dst := p.To.String() + ":" + strconv.Itoa(int(p.Port))
	if ok {
		dst = to.String()
	}
	c := "ecsnet probe " + file + " --from " + p.From + " --to " + dst
	if p.Proto == model.UDP {
		c += " --protocol udp"
	}
	return c
}

// index finds the resources of a built state by their Name tags.
type index struct {
	st        *model.State
	instances map[string]*model.Instance
	tasks     map[string]*model.Task
	nats      map[string]*model.NatGateway
}

func newIndex(st *model.State) *index {
	x := &index{st: st, instances: map[string]*model.Instance{}, tasks: map[string]*model.Task{}, nats: map[string]*model.NatGateway{}}
	for _, i := range st.Instances {
		if n := i.Tags.Name(); n != "" && i.State == model.InstanceRunning {
			x.instances[n] = i
		}
	}
	for _, t := range st.Tasks {
		if n := t.Tags.Name(); n != "" && t.LastStatus == model.TaskRunning {
			x.tasks[n] = t
		}
	}
	for _, g := range st.NatGateways {
		if n := g.Tags.Name(); n != "" && g.State == "available" {
			x.nats[n] = g
		}
	}
	return x
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
	if p.HostPortOf != "" {
		t := x.tasks[p.HostPortOf]
		if t == nil {
			return netip.AddrPort{}, false
		}
		found := false
		for _, c := range t.Containers {
			for _, b := range c.NetworkBindings {
				if b.ContainerPort == p.Port && b.Protocol == p.Proto {
					p.Port, found = b.HostPort, true
				}
			}
		}
		if !found {
			return netip.AddrPort{}, false
		}
	}
	if p.To.Node == "" {
		return netip.AddrPortFrom(p.To.Addr, p.Port), p.To.Addr.IsValid()
	}
	e := x.eni(p.To.Node)
	if e == nil {
		return netip.AddrPort{}, false
	}
	if !p.To.Public {
		return netip.AddrPortFrom(e.PrimaryIP(), p.Port), true
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
	Port
	task string
}

// listening returns the ports something listens on at a node's address,
// as the system says (container ports, host ports, sshd).
func (x *index) listening(sys *System, node string) []listener {
	var out []listener
	if in := x.instances[node]; in != nil {
		out = append(out, listener{Port: Port{Container: 22, Host: 22, Proto: "tcp"}})
		for _, t := range x.st.Tasks {
			ci := x.st.ContainerInstances[t.ContainerInstanceARN]
			if t.LastStatus != model.TaskRunning || ci == nil || ci.EC2InstanceID != in.ID || t.NetworkMode == model.NetworkModeAwsvpc {
				continue
			}
			for _, c := range t.Containers {
				for _, b := range c.NetworkBindings {
					l := listener{Port: Port{Container: int(b.ContainerPort), Host: int(b.HostPort), Proto: b.Protocol.String()}}
					if t.NetworkMode == model.NetworkModeBridge {
						l.task = t.Tags.Name()
					}
					out = append(out, l)
				}
			}
		}
		return out
	}
	for _, t := range sys.Tasks {
		if t.Name == node && t.Mode == "awsvpc" {
			for _, p := range t.Ports {
				out = append(out, listener{Port: Port{Container: p.Container, Host: p.Container, Proto: p.Proto}})
			}
		}
	}
	return out
}

// Probes makes n random probes for a built system, deterministically
// from seed: from the internet, the instances and the tasks, to the
// private and public addresses of the instances, tasks and NAT gateways
// (about half of them to a port something listens on), to addresses no
// one holds and to an internet host.
func Probes(sys *System, st *model.State, seed uint64, n int) []Probe {
	r := rand.New(rand.NewPCG(seed, seed^0x51ed270b27c4a4e1))
	x := newIndex(st)
	froms := []string{"internet"}
	var nodes []string
	for _, in := range sys.Instances {
		if _, ok := x.instances[in.Name]; ok {
			froms = append(froms, in.Name)
			nodes = append(nodes, in.Name)
		}
	}
	for _, t := range sys.Tasks {
		p := Probe{From: t.Name}
		if p.sourceOK(x) {
			froms = append(froms, t.Name)
			if t.Mode == "awsvpc" {
				nodes = append(nodes, t.Name)
			}
		}
	}
	for _, g := range sys.NATs {
		if _, ok := x.nats[g.Name]; ok {
			nodes = append(nodes, g.Name)
		}
	}
	// Ports that rules name: their bounds and the port past them.
	portPool := []int{22, 80, 443, 3000, 8080}
	addPort := func(s string) {
		if s == "" {
			return
		}
		lo, hi, _ := strings.Cut(s, "-")
		for _, v := range []string{lo, hi} {
			if p, err := strconv.Atoi(v); err == nil && p > 0 && p < 65535 {
				portPool = append(portPool, p, p+1)
			}
		}
	}
	for _, sg := range sys.SGs {
		for _, r := range append(slices.Clone(sg.Ingress), sg.Egress...) {
			addPort(r.Ports)
		}
	}
	for _, a := range sys.ACLs {
		for _, e := range append(slices.Clone(a.Ingress), a.Egress...) {
			addPort(e.Ports)
		}
	}
	slices.Sort(portPool)
	portPool = slices.Compact(portPool)

	var out []Probe
	for tries := 0; len(out) < n && tries < n*20; tries++ {
		p := Probe{From: froms[r.IntN(len(froms))], Proto: model.TCP}
		switch k := r.Float64(); {
		case k < 0.8 && len(nodes) > 0:
			pub := 0.3
			if p.From == "internet" {
				pub = 0.9
			}
			p.To = Dest{Node: nodes[r.IntN(len(nodes))], Public: r.Float64() < pub}
		case k < 0.9 && len(sys.Subnets) > 0:
			// An address of a subnet that no one holds.
			sn := sys.Subnets[r.IntN(len(sys.Subnets))]
			pfx := netip.MustParsePrefix(sn.CIDR)
			p.To = Dest{Addr: addrAt(pfx, 200)}
		case k < 0.95:
			// A public address no one holds.
			p.To = Dest{Addr: netip.MustParseAddr("203.0.113.250")}
		default:
			// An internet host: a stand-in registry.
			p.To = Dest{Addr: netip.MustParseAddr("192.0.2.10")}
			p.Port = 443
		}
		if p.Port == 0 {
			ls := x.listening(sys, p.To.Node)
			if len(ls) > 0 && r.Float64() < 0.5 {
				l := ls[r.IntN(len(ls))]
				p.Port = uint16(l.Host)
				if l.task != "" && r.Float64() < 0.8 {
					// The task's host port, wherever it moves.
					p.Port, p.HostPortOf = uint16(l.Container), l.task
				}
				if l.Proto == "udp" {
					p.Proto = model.UDP
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
		if p.From == p.To.Node && !p.To.Public {
			continue
		}
		out = append(out, p)
	}
	slices.SortStableFunc(out, func(a, b Probe) int { return cmp.Compare(a.From, b.From) })
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
