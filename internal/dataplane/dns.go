package dataplane

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ecsnet/ecsnet/internal/dataplane/dnsmsg"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// Resolver is a DNS server the system runs: a VPC's Route 53 Resolver
// (in the VPC router's namespace, at the VPC's base address + 2 and
// 169.254.169.253) or the internet's DNS (in the internet's namespace,
// at internetDNS). It answers the names of Names over UDP and TCP; any
// other name is NXDOMAIN.
type Resolver struct {
	NS     string
	VPC    model.VpcID // "" for the internet's
	Listen []netip.Addr
	// Names are the answers, by lower-case name without the final dot,
	// as the analyzer resolves each name from the VPC (reach.NewQuery).
	Names map[string]DNSAnswer
	// DNS64 are the blocks (IPv4 and IPv6) of the VPC's subnets with
	// DNS64 on (EnableDns64): a query from one of their addresses, over
	// either family, for the AAAA records of a name that has A records
	// only gets them synthesized in 64:ff9b::/96 (dns64).
	DNS64 []netip.Prefix `json:",omitempty"`
}

// nat64Prefix is the well-known prefix DNS64 synthesizes addresses in
// (RFC 6052), the one the Route 53 Resolver uses (Amazon VPC User Guide,
// "DNS64 and NAT64").
var nat64Prefix = netip.MustParsePrefix("64:ff9b::/96")

// dns64 reports whether a query from addr gets DNS64's answers.
func (r *Resolver) dns64(addr netip.Addr) bool {
	addr = addr.Unmap()
	return slices.ContainsFunc(r.DNS64, func(p netip.Prefix) bool { return p.Contains(addr) })
}

// synthesize64 is the address DNS64 gives for an IPv4 address: the
// well-known prefix and the IPv4 address in its last 32 bits.
func synthesize64(v4 netip.Addr) netip.Addr {
	a, b := nat64Prefix.Addr().As16(), v4.As4()
	copy(a[12:], b[:])
	return netip.AddrFrom16(a)
}

// DNSAnswer is a name's answer: NXDOMAIN, or NOERROR with its
// addresses (none: no data, as for a Cloud Map name with SRV records
// only).
type DNSAnswer struct {
	NXDomain bool `json:",omitempty"`
	// CNAME are the CNAME records' targets the name leads through, in
	// order; the addresses are the last one's.
	CNAME []string     `json:",omitempty"`
	A     []netip.Addr `json:",omitempty"`
	AAAA  []netip.Addr `json:",omitempty"`
	// Weighted are the answers of each record of a weighted record set
	// the name's lookup meets (more than one a lookup may get, heaviest
	// first), which the resolver gives in turn; the fields above are
	// the heaviest record's.
	Weighted []DNSAnswer `json:",omitempty"`
}

var (
	// amazonDNS is the Route 53 Resolver's link-local address, which
	// every VPC answers beside its base + 2 (Amazon VPC guide, "Amazon
	// DNS server").
	amazonDNS = netip.MustParseAddr("169.254.169.253")
	// amazonDNS6 is its IPv6 address, which a VPC with an IPv6 block
	// answers too (Amazon VPC guide, "Amazon DNS server": fd00:ec2::253,
	// reached from Nitro instances).
	amazonDNS6 = netip.MustParseAddr("fd00:ec2::253")
	// internetDNS is where the internet's clients ask (a stub address on
	// the internet namespace's loopback) [choice].
	internetDNS = netip.MustParseAddr("127.0.0.53")
)

// resolvers gives each VPC router a Route 53 Resolver, the internet its
// DNS, and each client namespace the servers it asks (its VPC's DHCP
// options). The answers are the analyzer's (reach.NewQuery from an ENI of
// the VPC), so the kernel's lookup and the analyzer's agree by
// construction: the probes then test what each client does with them.
func (pl *planner) resolvers() {
	st := pl.st
	names := dnsNames(st)
	// The Resolver answers whatever DNS servers the clients ask: the
	// analyzer's view of a VPC whose own servers forward to it.
	rst := st
	for _, o := range st.DhcpOptions {
		if o.NoResolverForwarding {
			rst = st.Clone()
			for id, o := range rst.DhcpOptions {
				x := *o
				x.NoResolverForwarding = false
				rst.DhcpOptions[id] = &x
			}
			break
		}
	}
	var n *reach.Network
	if len(names) > 0 {
		n = reach.Compile(rst)
	}
	hosts := map[string][]netip.Addr{}
	for _, h := range pl.p.Hosts {
		hosts[h.Name] = append(hosts[h.Name], h.Addr)
	}
	// A client of each VPC: the first ENI by id that has a namespace.
	asker := map[model.VpcID]string{}
	for _, e := range sorted(st.NetworkInterfaces, func(e *model.NetworkInterface) string { return string(e.ID) }) {
		if _, ok := pl.eniNS[e.ID]; ok && asker[e.VpcID] == "" {
			asker[e.VpcID] = string(e.ID)
		}
	}
	table := func(from string) map[string]DNSAnswer {
		out := map[string]DNSAnswer{}
		for _, name := range names {
			a := answerFor(n, rst, hosts, from, name)
			if !pl.v6 {
				a.AAAA = nil // a system built without IPv6
			}
			out[name] = a
		}
		return out
	}
	pl.p.NameServers = map[string][]netip.Addr{pl.p.Nodes["internet"]: {internetDNS}}
	pl.p.Resolvers = append(pl.p.Resolvers, Resolver{NS: pl.p.Nodes["internet"], Listen: []netip.Addr{internetDNS}, Names: table("internet")})
	for _, v := range sorted(st.VPCs, func(v *model.VPC) string { return string(v.ID) }) {
		ns := pl.vpcNS[v.ID]
		if ns == "" || !v.CIDR.IsValid() || !v.CIDR.Addr().Is4() || reach.ResolverOff(st, v) {
			// DNS resolution off: the Amazon-provided DNS server answers
			// nothing, so none listens.
			continue
		}
		listen := []netip.Addr{v.ResolverAddr(), amazonDNS}
		if pl.v6 && len(vpcIPv6(v)) > 0 {
			listen = append(listen, amazonDNS6)
		}
		pl.p.Bridges = append(pl.p.Bridges, Link{NS: ns, Name: "dns", Kind: "dummy"})
		for _, a := range listen {
			pl.addr(ns, "dns", netip.PrefixFrom(a, a.BitLen()))
		}
		r := Resolver{NS: ns, VPC: v.ID, Listen: listen, Names: map[string]DNSAnswer{}}
		if pl.v6 {
			for _, sub := range vpcSubnets(st, v.ID) {
				if c, ok := subnetIPv6(sub); ok && sub.EnableDNS64 {
					if subnetIPv4(sub) {
						r.DNS64 = append(r.DNS64, sub.CIDR.Masked())
					}
					r.DNS64 = append(r.DNS64, c)
				}
			}
		}
		if from := asker[v.ID]; from != "" {
			r.Names = table(from)
		}
		pl.p.Resolvers = append(pl.p.Resolvers, r)
	}
	for id, ns := range pl.eniNS {
		if e := st.NetworkInterfaces[id]; e != nil {
			if servers := pl.eniServers(e); len(servers) > 0 {
				pl.p.NameServers[ns] = servers
			}
		}
	}
	// A bridge task asks what its instance asks.
	for _, x := range pl.p.Namespaces {
		if x.Role != "container" {
			continue
		}
		t := st.Tasks[x.Of]
		if t == nil {
			continue
		}
		if ci := st.ContainerInstances[t.ContainerInstanceARN]; ci != nil {
			if inst := st.Instances[ci.EC2InstanceID]; inst != nil {
				if e := st.NetworkInterfaces[inst.PrimaryENI]; e != nil {
					pl.p.NameServers[x.Name] = clientServers(st, e.VpcID)
				}
			}
		}
	}
}

// clientServers returns the DNS servers a client of a VPC asks: the
// Route 53 Resolver, unless the VPC's DHCP options give servers of their
// own that do not forward to it (forwards_to_resolver: false); servers
// that forward are taken to answer as the Resolver does, so the client
// asks the Resolver directly [choice]. The data plane runs none of a
// VPC's own servers: a client that asks them gets no answer.
func clientServers(st *model.State, vpc model.VpcID) []netip.Addr {
	v := st.VPCs[vpc]
	if v == nil || !v.CIDR.IsValid() || !v.CIDR.Addr().Is4() {
		return nil
	}
	o := st.DhcpOptions[v.DhcpOptions]
	servers := []string(nil)
	if o != nil {
		servers = o.Options["domain-name-servers"]
	}
	if o == nil || o.IsDefault || !o.NoResolverForwarding || len(servers) == 0 || slices.Contains(servers, "AmazonProvidedDNS") {
		return []netip.Addr{v.ResolverAddr()}
	}
	var out []netip.Addr
	for _, s := range servers {
		if a, err := netip.ParseAddr(s); err == nil && a.Is4() {
			out = append(out, a)
		}
	}
	return out
}

// eniServers returns the DNS servers a client ENI asks: its VPC's
// (clientServers), and, where those are the Route 53 Resolver and the ENI
// has an IPv6 address in a VPC with an IPv6 block, also the Resolver's
// IPv6 address fd00:ec2::253, which AWS's Nitro instances reach (IPv6 on
// AWS whitepaper, "Supporting Amazon VPC services": "IPv6 enabled Nitro
// instances can access the service via fd00:ec2::253"): after the IPv4
// address in a dual-stack subnet [choice: the DHCPv4 lease's server
// first], alone in an IPv6-only one, where the ENI has no IPv4 address to
// ask from ("Introducing IPv6-only subnets and EC2 instances": the VPC
// DNS server over IPv6 unique local addresses). A VPC's own servers are
// IPv4 addresses (DHCP options' domain-name-servers), so a client of them
// asks only those.
func (pl *planner) eniServers(e *model.NetworkInterface) []netip.Addr {
	servers := clientServers(pl.st, e.VpcID)
	v := pl.st.VPCs[e.VpcID]
	if _, has6 := e.PrimaryIPv6(); !pl.v6 || !has6 || v == nil || len(vpcIPv6(v)) == 0 || !slices.Equal(servers, []netip.Addr{v.ResolverAddr()}) {
		return servers
	}
	if !e.PrimaryIP().IsValid() {
		return []netip.Addr{amazonDNS6}
	}
	return append(servers, amazonDNS6)
}

// dnsNames lists the names the resolvers answer: every record of every
// hosted zone, every Cloud Map name (service.namespace; an HTTP namespace's
// answer NXDOMAIN), every load
// balancer's DNS name, the service name of every interface endpoint with
// private DNS, the public DNS name of every instance's public address.
func dnsNames(st *model.State) []string {
	seen := map[string]bool{}
	add := func(s string) {
		s = strings.TrimSuffix(strings.ToLower(s), ".")
		if s != "" && strings.Contains(s, ".") {
			seen[s] = true
		}
	}
	for _, z := range st.HostedZones {
		for _, r := range z.Records {
			add(r.Name)
		}
	}
	for _, ds := range st.DiscoveryServices {
		// An HTTP namespace's names are listed too: the analyzer answers
		// them NXDOMAIN (API-only discovery), and so does the Resolver.
		if ns := st.Namespaces[ds.NamespaceID]; ns != nil {
			add(ds.Name + "." + ns.Name)
		}
	}
	for _, lb := range st.LoadBalancers {
		add(lb.DNSName)
		if lb.DNSName != "" {
			add("dualstack." + lb.DNSName) // the same records (reach's resolve.go)
		}
	}
	for _, ep := range st.VpcEndpoints {
		add(endpointPrivateName(ep, st.Region))
	}
	for _, c := range st.ClassicLoadBalancers {
		add(c.DNSName)
		if c.DNSName != "" {
			add("dualstack." + c.DNSName)
		}
	}
	for _, e := range st.NetworkInterfaces {
		// The public DNS name EC2 gives an interface's public address in
		// a VPC with DNS hostnames on (the analyzer answers it private
		// from the VPC and, with the peering option, its peers).
		if v := st.VPCs[e.VpcID]; v != nil && v.EnableDNSHostnames && e.Attachment != nil && e.Attachment.InstanceID != "" {
			if a, ok := e.PublicIP(); ok {
				add(model.PublicDNSName(st.Region, a))
			}
		}
	}
	out := slices.Collect(func(yield func(string) bool) {
		for s := range seen {
			if !yield(s) {
				return
			}
		}
	})
	slices.Sort(out)
	return out
}

// endpointPrivateName is the service name an interface endpoint with
// private DNS answers in its VPC ("logs.us-east-1.amazonaws.com",
// "api.ecr.us-east-1.amazonaws.com"), or "" (ECR's registry names are a
// wildcard, *.dkr.ecr.REGION.amazonaws.com: not listed).
func endpointPrivateName(ep *model.VpcEndpoint, region string) string {
	svc, _, ok := model.EndpointServiceOf(region, ep.ServiceName)
	if !ok || ep.Type != "Interface" || !ep.PrivateDNSEnabled {
		return ""
	}
	switch svc {
	case "ecr.api":
		return "api.ecr." + region + "." + model.DNSSuffix(region)
	case "ecr.dkr":
		return ""
	case "kinesis-firehose":
		return "firehose." + region + ".amazonaws.com"
	case "kinesis-streams":
		return "kinesis." + region + ".amazonaws.com"
	}
	return svc + "." + region + "." + model.DNSSuffix(region)
}

// answerFor is a name's answer from a source, as the analyzer resolves
// it: NXDOMAIN where reach.NewQuery finds the name unresolved, no data
// for a Cloud Map name with SRV records only and a Route 53 name that
// exists without an address record, else the addresses of what
// it resolved to (a load balancer's nodes, an address, an interface
// endpoint's ENI, a Cloud Map service's registered instances, or the
// address the analyzer's first packet goes to).
func answerFor(n *reach.Network, st *model.State, hosts map[string][]netip.Addr, from, name string) DNSAnswer {
	q, err := reach.NewQuery(n, from, name+":1", "tcp")
	if err != nil {
		return DNSAnswer{NXDomain: true}
	}
	a := queryAnswer(n, st, hosts, q, name)
	if e := st.NetworkInterfaces[model.NetworkInterfaceID(from)]; e != nil {
		if ep := n.PrivateNameEndpoint(e.VpcID, name, e.AvailabilityZone); ep != nil {
			a.A, a.AAAA = endpointRecords(st, ep)
		}
	}
	for _, w := range n.WeightedRecords(q) {
		if w.Err != nil {
			a.Weighted = append(a.Weighted, DNSAnswer{NXDomain: true})
			continue
		}
		a.Weighted = append(a.Weighted, queryAnswer(n, st, hosts, w.Query, name))
	}
	return a
}

// queryAnswer is the answer to name of a query whose destination is
// name, resolved.
func queryAnswer(n *reach.Network, st *model.State, hosts map[string][]netip.Addr, q reach.Query, name string) DNSAnswer {
	if _, nx := q.Unresolved(); nx {
		if _, srv := q.SRVOnly(); srv {
			return DNSAnswer{}
		}
		if m, ok := q.Route53Miss(); ok && m.Code == reach.CodeDNSNoData {
			return DNSAnswer{} // NOERROR, no data: the name exists without an address record
		}
		return DNSAnswer{NXDomain: true}
	}
	var addrs []netip.Addr
	switch q.To.Kind {
	case reach.KindLoadBalancer:
		dns := ""
		if lb := st.LoadBalancers[q.To.ARN]; lb != nil {
			dns = lb.DNSName
		} else if c := st.ClassicLoadBalancers[q.To.Name]; c != nil {
			dns = c.DNSName
		}
		addrs = hosts[strings.ToLower(dns)]
	case reach.KindAddress:
		addrs = []netip.Addr{q.To.Address}
	case reach.KindENI:
		if e := st.NetworkInterfaces[model.NetworkInterfaceID(q.To.ID)]; e != nil {
			addrs = []netip.Addr{e.PrimaryIP()}
		}
	case reach.KindService:
		addrs = cloudMapAddrs(st, name)
	}
	if len(addrs) == 0 {
		if res := reach.Probe(n, q); len(res.Forward) > 0 {
			addrs = endpointAddrs(st, res.Forward[0].Packet.Destination)
		}
	}
	a := DNSAnswer{CNAME: q.CNAMEs()}
	for _, x := range addrs {
		if x.Is4() {
			a.A = append(a.A, x)
		} else if x.IsValid() {
			a.AAAA = append(a.AAAA, x)
		}
	}
	return a
}

// endpointAddrs returns the addresses of every ENI of the interface
// endpoint that holds a (a private DNS name answers them all), else a.
func endpointAddrs(st *model.State, a netip.Addr) []netip.Addr {
	for _, ep := range sorted(st.VpcEndpoints, func(e *model.VpcEndpoint) string { return string(e.ID) }) {
		var all []netip.Addr
		for _, id := range ep.NetworkInterfaces {
			if e := st.NetworkInterfaces[id]; e != nil {
				all = append(all, e.PrimaryIP())
			}
		}
		if slices.Contains(all, a) {
			return all
		}
	}
	return []netip.Addr{a}
}

// endpointRecords returns the A and AAAA records an interface endpoint's
// private DNS name has: its network interfaces' IPv4 addresses unless
// its DNS record IP type is ipv6, their IPv6 addresses when it is ipv6
// or dualstack (service-defined: A records only for the private name).
// PrivateLink guide, "DNS record IP types".
func endpointRecords(st *model.State, ep *model.VpcEndpoint) (a, aaaa []netip.Addr) {
	for _, id := range ep.NetworkInterfaces {
		e := st.NetworkInterfaces[id]
		if e == nil {
			continue
		}
		if x := e.PrimaryIP(); x.IsValid() && x.Is4() && ep.PrivateNameA() {
			a = append(a, x)
		}
		if x, ok := e.PrimaryIPv6(); ok && ep.PrivateNameAAAA() {
			aaaa = append(aaaa, x)
		}
	}
	return a, aaaa
}

// cloudMapAddrs returns the addresses registered with the Cloud Map
// service a name (service.namespace) names: each instance's
// AWS_INSTANCE_IPV4 and AWS_INSTANCE_IPV6 (a multivalue answer).
func cloudMapAddrs(st *model.State, name string) []netip.Addr {
	var out []netip.Addr
	for _, ds := range sorted(st.DiscoveryServices, func(d *model.DiscoveryService) string { return d.ID }) {
		ns := st.Namespaces[ds.NamespaceID]
		if ns == nil || !strings.EqualFold(ds.Name+"."+ns.Name, name) {
			continue
		}
		for _, in := range sorted(st.DiscoveryInstances, func(i *model.DiscoveryInstance) string { return i.ID }) {
			if in.ServiceID != ds.ID {
				continue
			}
			for _, k := range []string{"AWS_INSTANCE_IPV4", "AWS_INSTANCE_IPV6"} {
				if a, err := netip.ParseAddr(in.Attributes[k]); err == nil && (k == "AWS_INSTANCE_IPV4" && ds.HasRecord("A") || k == "AWS_INSTANCE_IPV6" && ds.HasRecord("AAAA")) {
					out = append(out, a)
				}
			}
		}
	}
	return out
}

// dnsTurns counts, per name and type, the lookups a resolver answered,
// so that it gives a weighted record set's records in turn.
type dnsTurns struct {
	mu sync.Mutex
	n  map[string]int
}

// next is the turn of a lookup of name of type typ: 0, 1, 2, ...
func (t *dnsTurns) next(name string, typ uint16) int {
	if t == nil {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.n == nil {
		t.n = map[string]int{}
	}
	k := name + "/" + fmt.Sprint(typ)
	i := t.n[k]
	t.n[k] = i + 1
	return i
}

// answer builds the response to a query from a client at from (invalid:
// unknown) from a resolver's table. A name
// whose lookup meets a weighted record set gets the answer of each of its
// records in turn (turns nil: always the heaviest): Route 53 picks one at
// random by weight for each lookup; in turn, a client that asks as many
// times as the set has records gets each [choice]. A client of a subnet
// with DNS64 on that asks for the AAAA records of a name with A records
// only gets them synthesized ("DNS queries made to the Amazon-provided
// DNS Resolver in this subnet should return synthetic IPv6 addresses for
// IPv4-only destinations", EC2 API, Subnet EnableDns64).
func (r *Resolver) answer(req *dnsmsg.Message, turns *dnsTurns, from netip.Addr) *dnsmsg.Message {
	resp := &dnsmsg.Message{ID: req.ID, Response: true, Opcode: req.Opcode, RecursionDesired: req.RecursionDesired, RecursionAvailable: true, Questions: req.Questions}
	if req.Opcode != 0 || len(req.Questions) != 1 {
		resp.Rcode = dnsmsg.RcodeNotImp
		if req.Opcode == 0 {
			resp.Rcode = dnsmsg.RcodeFormErr
		}
		return resp
	}
	q := req.Questions[0]
	a, ok := r.Names[strings.TrimSuffix(q.Name, ".")]
	if ok && len(a.Weighted) > 0 {
		a = a.Weighted[turns.next(strings.TrimSuffix(q.Name, "."), q.Type)%len(a.Weighted)]
	}
	if !ok || a.NXDomain {
		resp.Rcode = dnsmsg.RcodeNXDomain
		return resp
	}
	var addrs []netip.Addr
	switch q.Type {
	case dnsmsg.TypeA:
		addrs = a.A
	case dnsmsg.TypeAAAA:
		addrs = a.AAAA
		if len(addrs) == 0 && len(a.A) > 0 && r.dns64(from) {
			for _, x := range a.A {
				addrs = append(addrs, synthesize64(x))
			}
		}
	}
	// A CNAME chain comes first, each record owned by the name before
	// it; the addresses belong to its last name (RFC 1034 §3.6.2).
	owner := q.Name
	for _, c := range a.CNAME {
		resp.Answers = append(resp.Answers, dnsmsg.Record{Name: owner, Type: dnsmsg.TypeCNAME, Class: dnsmsg.ClassINET, TTL: 60, Target: c})
		owner = c
		if q.Type == dnsmsg.TypeCNAME {
			return resp
		}
	}
	for _, x := range addrs {
		resp.Answers = append(resp.Answers, dnsmsg.Record{Name: owner, Type: q.Type, Class: dnsmsg.ClassINET, TTL: 60, Addr: x})
	}
	return resp
}

// startResolvers serves each resolver of the plan over UDP and TCP on
// port 53 of each of its addresses, until Close.
func (s *System) startResolvers() error {
	for i := range s.plan.Resolvers {
		r := &s.plan.Resolvers[i]
		turns := &dnsTurns{}
		path := filepath.Join(s.opt.NetnsDir, r.NS)
		for _, a := range r.Listen {
			addr := netip.AddrPortFrom(a, 53).String()
			_, pc, err := listenIn(path, "udp", addr)
			if err != nil {
				return fmt.Errorf("resolver in %s: %w", r.NS, err)
			}
			s.addCloser(pc)
			l, _, err := listenIn(path, "tcp", addr)
			if err != nil {
				return fmt.Errorf("resolver in %s: %w", r.NS, err)
			}
			s.addCloser(l)
			s.wg.Add(2)
			go func() { defer s.wg.Done(); serveDNSUDP(pc, r, turns) }()
			go func() { defer s.wg.Done(); serveDNSTCP(l, r, turns) }()
		}
	}
	return nil
}

func serveDNSUDP(pc net.PacketConn, r *Resolver, turns *dnsTurns) {
	buf := make([]byte, 1500)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			return
		}
		req, err := dnsmsg.Parse(buf[:n])
		if err != nil || req.Response {
			continue
		}
		var src netip.Addr
		if u, ok := from.(*net.UDPAddr); ok {
			src = u.AddrPort().Addr()
		}
		if b, err := r.answer(req, turns, src).Pack(); err == nil {
			pc.WriteTo(b, from)
		}
	}
}

func serveDNSTCP(l net.Listener, r *Resolver, turns *dnsTurns) {
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			c.SetDeadline(time.Now().Add(5 * time.Second))
			for {
				var hdr [2]byte
				if _, err := io.ReadFull(c, hdr[:]); err != nil {
					return
				}
				b := make([]byte, int(hdr[0])<<8|int(hdr[1]))
				if _, err := io.ReadFull(c, b); err != nil {
					return
				}
				req, err := dnsmsg.Parse(b)
				if err != nil {
					return
				}
				var src netip.Addr
				if t, ok := c.RemoteAddr().(*net.TCPAddr); ok {
					src = t.AddrPort().Addr()
				}
				out, err := r.answer(req, turns, src).Pack()
				if err != nil {
					return
				}
				if _, err := c.Write(append([]byte{byte(len(out) >> 8), byte(len(out))}, out...)); err != nil {
					return
				}
			}
		}()
	}
}

// Lookup is a client's lookup: the rcode, the addresses, and which
// server answered (or why none did).
type Lookup struct {
	Answered bool
	Rcode    uint8
	Addrs    []netip.Addr
	Detail   string
}

// errNoServers: a namespace without DNS servers (not built with them).
var errNoServers = errors.New("the node has no DNS servers")

// lookup sends a real DNS query (A, or AAAA when v6) from a node's
// namespace to the servers its VPC's DHCP options give, one after the
// other, each with the system's timeout, as a stub resolver does.
func (s *System) lookup(ctx context.Context, from, name string, v6 bool) (Lookup, error) {
	path, src, err := s.source(from)
	if err != nil {
		return Lookup{}, err
	}
	servers := s.plan.NameServers[filepath.Base(path)]
	if len(servers) == 0 {
		return Lookup{}, errNoServers
	}
	if src.IsValid() && (!src.Is4() || servers[0].IsLoopback()) {
		src = netip.Addr{} // the internet's client asks its stub on loopback
	}
	qtype := dnsmsg.TypeA
	if v6 {
		qtype = dnsmsg.TypeAAAA
	}
	id := uint16(s.pings.Add(1))
	req := &dnsmsg.Message{ID: id, RecursionDesired: true, Questions: []dnsmsg.Question{{Name: strings.ToLower(strings.TrimSuffix(name, ".")), Type: qtype, Class: dnsmsg.ClassINET}}}
	b, err := req.Pack()
	if err != nil {
		return Lookup{}, err
	}
	var tried []string
	for _, srv := range servers {
		from := src
		if from.IsValid() && from.Is4() != srv.Is4() {
			from = netip.Addr{} // fd00:ec2::253, from the kernel's choice of IPv6 address
		}
		l, err := s.ask(ctx, path, from, srv, b, id)
		if err == nil {
			l.Detail = "the DNS server " + srv.String() + " answered " + rcodeName(l.Rcode)
			return l, nil
		}
		tried = append(tried, srv.String()+" ("+err.Error()+")")
	}
	return Lookup{Detail: "no DNS server answered: " + strings.Join(tried, ", ")}, nil
}

// ask sends one query to a server over UDP and reads its answer.
func (s *System) ask(ctx context.Context, path string, src, srv netip.Addr, b []byte, id uint16) (Lookup, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opt.Timeout)
	defer cancel()
	c, err := dialIn(ctx, path, "udp", src, 0, netip.AddrPortFrom(srv, 53).String())
	if err != nil {
		return Lookup{}, err
	}
	defer c.Close()
	dl, _ := ctx.Deadline()
	c.SetDeadline(dl)
	if _, err := c.Write(b); err != nil {
		return Lookup{}, err
	}
	buf := make([]byte, 1500)
	for {
		n, err := c.Read(buf)
		if err != nil {
			if errors.Is(err, syscall.ECONNREFUSED) {
				return Lookup{}, errors.New("port unreachable")
			}
			return Lookup{}, errors.New("timed out")
		}
		m, err := dnsmsg.Parse(buf[:n])
		if err != nil || !m.Response || m.ID != id {
			continue
		}
		l := Lookup{Answered: true, Rcode: m.Rcode}
		for _, r := range m.Answers {
			if r.Addr.IsValid() {
				l.Addrs = append(l.Addrs, r.Addr)
			}
		}
		return l, nil
	}
}

func rcodeName(r uint8) string {
	switch r {
	case dnsmsg.RcodeSuccess:
		return "NOERROR"
	case dnsmsg.RcodeNXDomain:
		return "NXDOMAIN"
	case dnsmsg.RcodeServFail:
		return "SERVFAIL"
	}
	return fmt.Sprintf("rcode %d", r)
}

// dnsTarget returns the name a query's destination was given by when a
// resolver of the system answers it ("" otherwise): such a probe looks
// the name up for real first.
func (s *System) dnsTarget(q reach.Query) string {
	host := q.To.Spec
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if !strings.Contains(host, ".") {
		return ""
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return ""
	}
	for _, r := range s.plan.Resolvers {
		if _, ok := r.Names[host]; ok {
			return host
		}
	}
	return ""
}

// probeName probes a destination given by a name the system's
// resolvers answer: the client in the source's namespace looks the name
// up (A, or AAAA over IPv6) at its DNS servers, then connects to the
// answer the analyzer's first packet goes to (any other answer when the
// analyzer's is not among them). No answer, NXDOMAIN or no address is
// the analyzer's nxdomain (no AAAA over IPv6: no-route, nothing to
// connect to). ok is false when the source has no DNS servers.
func (s *System) probeName(ctx context.Context, q reach.Query, res *reach.Result, name string) (Outcome, bool) {
	// A weighted record set: the resolver answers each record in turn,
	// and the analyzer's verdict is its worst record's, so the client
	// asks until it gets that record's answer (three rounds at most: other
	// probes may ask the same name meanwhile).
	tries := 1
	if ws := s.weightedRecords(q); len(ws) > 1 {
		tries = 3 * len(ws)
	}
	var l Lookup
	var err error
	for range tries {
		l, err = s.lookup(ctx, q.From.Spec, name, q.IPv6)
		if err != nil || analyzersAnswer(l, res) {
			break
		}
	}
	if errors.Is(err, errNoServers) {
		return Outcome{}, false
	}
	if err != nil {
		return Outcome{Verdict: reach.Unknown, Detail: err.Error()}, true
	}
	switch {
	case !l.Answered && resolverSilent(q):
		// DNS resolution off in the source's VPC: no server answers, as
		// the analyzer says none does.
		return Outcome{Verdict: reach.NXDomain, Detail: name + " does not resolve: " + l.Detail}, true
	case !l.Answered && asksOwnServers(q):
		// The VPC's own DNS servers, which the data plane does not run:
		// the client gets no address, as the analyzer says it gets none
		// from servers that never ask the Resolver.
		return Outcome{Verdict: reach.NXDomain, Detail: name + " does not resolve: " + l.Detail}, true
	case !l.Answered:
		return Outcome{Verdict: reach.Unknown, Detail: "the lookup of " + name + " got no answer: " + l.Detail}, true
	case l.Rcode == dnsmsg.RcodeNXDomain:
		return Outcome{Verdict: reach.NXDomain, Detail: name + " does not resolve: " + l.Detail}, true
	case l.Rcode != dnsmsg.RcodeSuccess:
		return Outcome{Verdict: reach.Unknown, Detail: name + ": " + l.Detail}, true
	case len(l.Addrs) == 0 && q.IPv6:
		return Outcome{Verdict: reach.NoRoute, Detail: name + " has no IPv6 address (no AAAA record): " + l.Detail}, true
	case len(l.Addrs) == 0:
		return Outcome{Verdict: reach.NXDomain, Detail: name + " has no address: " + l.Detail + " with no A record"}, true
	}
	var pk reach.Packet
	var dst netip.AddrPort
	if len(res.Forward) > 0 {
		pk = res.Forward[0].Packet
		dst = netip.AddrPortFrom(l.Addrs[0], pk.DestinationPort)
		if slices.Contains(l.Addrs, pk.Destination) {
			dst = netip.AddrPortFrom(pk.Destination, pk.DestinationPort)
		}
	} else {
		// The analyzer sends nothing (it finds no address): the kernel's
		// client connects to what it was told.
		port := q.Port
		if port == 0 {
			port = q.To.Port
		}
		pk.SourcePort = q.ClientPort
		dst = netip.AddrPortFrom(l.Addrs[0], port)
	}
	if q.HTTPHost == "" {
		q.HTTPHost = name
	}
	out := s.send(ctx, q, res, pk, dst)
	out.Detail = name + " is " + dst.Addr().String() + " (" + l.Detail + "); " + out.Detail
	return out, true
}

// analyzersAnswer reports whether a lookup got the answer the analyzer's
// probe follows: the address of its first packet, or no address when it
// found none.
func analyzersAnswer(l Lookup, res *reach.Result) bool {
	if len(res.Forward) > 0 {
		return l.Answered && l.Rcode == dnsmsg.RcodeSuccess && slices.Contains(l.Addrs, res.Forward[0].Packet.Destination)
	}
	return res.Verdict != reach.NXDomain || l.Rcode == dnsmsg.RcodeNXDomain || len(l.Addrs) == 0
}

// asksOwnServers reports whether the analyzer finds the query's name
// unresolved because the source's VPC asks DNS servers of its own that
// do not forward to the Route 53 Resolver.
func asksOwnServers(q reach.Query) bool {
	if _, ok := q.UnresolvedCustomDNS(); ok {
		return true
	}
	m, ok := q.Route53Miss()
	return ok && m.Code == reach.CodePrivateZoneCustomDNS
}

// resolverSilent reports whether the analyzer finds the source's VPC's
// Amazon-provided DNS server silent (DNS resolution off).
func resolverSilent(q reach.Query) bool {
	_, ok := q.ResolverSilent()
	return ok
}

// resolvDir is the folder of the system's state that holds each client
// namespace's resolv.conf, for ecsnet exec.
const resolvDir = "resolv"

// writeResolvConfs writes each client namespace's resolv.conf: its DNS
// servers, as its VPC's DHCP options give them.
func (p *Plan) writeResolvConfs(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for ns, servers := range p.NameServers {
		var b strings.Builder
		for _, a := range servers {
			fmt.Fprintf(&b, "nameserver %s\n", a)
		}
		b.WriteString("options timeout:1 attempts:1\n")
		if err := os.WriteFile(filepath.Join(dir, ns+".conf"), []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// weightedRecords are the records of the weighted record set q's lookup
// meets (nil when it meets none, or the system has no analyzer).
func (s *System) weightedRecords(q reach.Query) []reach.WeightedRecord {
	if s.net == nil {
		return nil
	}
	return s.net.WeightedRecords(q)
}

// LookupName sends one real DNS query for name (A, or AAAA when v6)
// from a node's namespace to the servers its VPC's DHCP options give,
// as a probe by name does first.
func (s *System) LookupName(ctx context.Context, from, name string, v6 bool) (Lookup, error) {
	return s.lookup(ctx, from, name, v6)
}
