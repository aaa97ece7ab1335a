package difftest

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// Zone is a Route 53 hosted zone with one weighted record set, Name
// (relative to the zone): public, or private to VPCs.
type Zone struct {
	Domain string
	VPCs   []string `json:",omitempty"`
	Name   string
	Items  []WeightedItem
}

// WeightedItem is one record of a weighted set: an alias to a load
// balancer of the system, or an address.
type WeightedItem struct {
	SetID  string
	Weight int
	Alias  string `json:",omitempty"`
	Addr   string `json:",omitempty"`
}

// FQDN is the weighted set's name.
func (z *Zone) FQDN() string { return z.Name + "." + z.Domain }

// zones gives about a third of the systems (Config.Zones) a hosted zone
// with a weighted record set, from a random
// stream of its own: public, or private to the first VPC (sometimes the
// second too); two or three records, each an alias to one of the
// system's load balancers, an address of a subnet no one holds, a public address no
// one holds, or an internet host; weights from 0 to 255, some 0. The
// private zone's VPCs mostly have DNS hostnames on (the zone resolves
// there), else off (it does not). After every other kind of resource,
// so the systems without a zone stay what they were.
func (g *gen) zones(r *rand.Rand) {
	s := g.s
	if r.Float64() >= 0.35 || len(s.VPCs) == 0 {
		return
	}
	saved := g.r
	g.r = r
	defer func() { g.r = saved }()
	z := &Zone{Domain: "d" + strconv.FormatUint(s.Seed, 10) + ".example", Name: "app"}
	if g.chance(0.6) {
		z.VPCs = []string{s.VPCs[0].Name}
		if len(s.VPCs) > 1 && g.chance(0.3) {
			z.VPCs = append(z.VPCs, s.VPCs[1].Name)
		}
		for _, v := range s.VPCs {
			if slices.Contains(z.VPCs, v.Name) {
				v.DNSHostnames = g.chance(0.85)
			}
		}
	}
	var lbs []string
	for _, lb := range s.LBs {
		lbs = append(lbs, lb.Name)
	}
	for _, lb := range s.NLBs {
		lbs = append(lbs, lb.Name)
	}
	n := 2 + g.intn(2)
	for i := range n {
		it := WeightedItem{SetID: "r" + strconv.Itoa(i), Weight: 1 + g.intn(255)}
		if g.chance(0.15) {
			it.Weight = 0
		}
		switch k := g.r.Float64(); {
		case k < 0.4 && len(lbs) > 0:
			it.Alias = pick(g, lbs)
		case k < 0.6 && len(s.Subnets) > 0:
			sn := pick(g, s.Subnets)
			it.Addr = addrAt(netip.MustParsePrefix(sn.CIDR), 200+i).String()
		case k < 0.7:
			it.Addr = "203.0.113." + strconv.Itoa(240+i)
		default:
			it.Addr = "192.0.2.10"
		}
		z.Items = append(z.Items, it)
	}
	s.Zones = append(s.Zones, z)
}

// zonesYAML writes the hosted zones.
func (s *System) zonesYAML(w func(string, ...any)) {
	if len(s.Zones) == 0 {
		return
	}
	lbs := map[string]bool{}
	for _, lb := range s.LBs {
		lbs[lb.Name] = true
	}
	for _, lb := range s.NLBs {
		lbs[lb.Name] = true
	}
	vpcs := map[string]bool{}
	for _, v := range s.VPCs {
		vpcs[v.Name] = true
	}
	head := false
	for _, z := range s.Zones {
		// What the shrinker removed goes from the zone too.
		items := slices.DeleteFunc(slices.Clone(z.Items), func(it WeightedItem) bool { return it.Alias != "" && !lbs[it.Alias] })
		in := slices.DeleteFunc(slices.Clone(z.VPCs), func(v string) bool { return !vpcs[v] })
		if len(items) == 0 || len(z.VPCs) > 0 && len(in) == 0 {
			continue
		}
		if !head {
			w("\nhosted_zones:\n")
			head = true
		}
		w("  %s:\n", z.Domain)
		if len(in) > 0 {
			w("    vpcs: [%s]\n", strings.Join(in, ", "))
		}
		w("    records:\n      %s:\n        weighted:\n", z.Name)
		for _, it := range items {
			w("          - {set_identifier: %s, weight: %d", it.SetID, it.Weight)
			if it.Alias != "" {
				w(", alias: %s}\n", it.Alias)
			} else {
				w(", values: [%s]}\n", it.Addr)
			}
		}
	}
}

// zoneCandidates are the shrinker's changes to the zones: without a
// zone, without one of its records.
func zoneCandidates(s *System, try func(func(c *System) bool)) {
	for i, z := range s.Zones {
		try(func(c *System) bool { c.Zones = slices.Delete(c.Zones, i, i+1); return true })
		if len(z.Items) > 1 {
			for j := range z.Items {
				try(func(c *System) bool { c.Zones[i].Items = slices.Delete(c.Zones[i].Items, j, j+1); return true })
			}
		}
	}
}

// nameProbes makes, for each weighted name, up to n probes from random
// sources to a random port (of the pool, or a load balancer listener's
// usual one): one by the name itself (the analyzer's worst case) and,
// when the lookup from that source meets the set, one through each
// record a lookup may get (Dest.Record), from a random stream of their
// own.
func nameProbes(x *index, seed uint64, n int, froms []string, portPool []int) []Probe {
	names := weightedNames(x.st)
	if len(names) == 0 {
		return nil
	}
	net := reach.Compile(x.st)
	var out []Probe
	r := rand.New(rand.NewPCG(seed, 0x253))
	g := &gen{r: r}
	for _, name := range names {
		for range n {
			port := uint16(portPool[r.IntN(len(portPool))])
			if r.Float64() < 0.5 {
				port = pick(g, []uint16{80, 8080, 443, 22})
			}
			p := Probe{From: froms[r.IntN(len(froms))], To: Dest{Name: name}, Port: port, Proto: model.TCP}
			if _, ok := p.resolve(x); !ok || slices.Contains(out, p) {
				continue // (not from an IPv6-only subnet: resolve)
			}
			out = append(out, p)
			q, err := reach.NewQuery(net, p.From, name+":"+strconv.Itoa(int(port)), "tcp")
			if err != nil {
				continue
			}
			for _, w := range net.WeightedRecords(q) {
				if w.Err == nil {
					rp := p
					rp.To.Record = w.SetIdentifier
					out = append(out, rp)
				}
			}
		}
	}
	return out
}

// lbNameProbes makes up to n probes by a load balancer's DNS name, as
// often by its dualstack. form (the same A records: the VPC's Resolver
// answers both, dns.go), from the system's clients to one of the load
// balancer's listener ports. Its own random stream leaves the other
// probes of a seed as they were.
func lbNameProbes(x *index, seed uint64, n int, froms []string) []Probe {
	names := lbNames(x.st)
	if len(names) == 0 {
		return nil
	}
	ports := map[string][]uint16{}
	for _, lb := range x.st.LoadBalancers {
		for _, l := range x.st.Listeners {
			if l.LoadBalancerARN == lb.ARN && (l.Protocol == "HTTP" || l.Protocol == "HTTPS" || l.Protocol == "TCP" || l.Protocol == "TLS") {
				for _, name := range []string{lb.DNSName, "dualstack." + lb.DNSName} {
					ports[strings.ToLower(name)] = append(ports[strings.ToLower(name)], l.Port)
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(seed, 0xd5))
	var out []Probe
	for tries := 0; len(out) < n && tries < n*10; tries++ {
		name := names[r.IntN(len(names))]
		ps := ports[name]
		if len(ps) == 0 {
			continue
		}
		slices.Sort(ps)
		p := Probe{From: froms[r.IntN(len(froms))], To: Dest{Name: name}, Port: ps[r.IntN(len(ps))], Proto: model.TCP}
		if _, ok := p.resolve(x); p.From == "internet" || !ok || slices.Contains(out, p) {
			continue // the internet's client asks by name from no VPC
		}
		out = append(out, p)
	}
	return out
}

// lbNames are the DNS names of the state's Application and Network Load
// Balancers and their dualstack. forms, lower case, sorted.
func lbNames(st *model.State) []string {
	var out []string
	for _, lb := range st.LoadBalancers {
		if lb.DNSName != "" {
			out = append(out, strings.ToLower(lb.DNSName), "dualstack."+strings.ToLower(lb.DNSName))
		}
	}
	slices.Sort(out)
	return out
}

// weightedNames are the names of the state's weighted record sets,
// sorted.
func weightedNames(st *model.State) []string {
	var out []string
	for _, z := range st.HostedZones {
		for _, rs := range z.Records {
			if rs.Weight != nil {
				out = append(out, rs.Name)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
