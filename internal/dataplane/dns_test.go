package dataplane

import (
	"context"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/dataplane/dnsmsg"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

const privateZoneStory = "examples/failures/route53-private-zone-other-vpc.yaml"

// resolverOf returns the plan's Route 53 Resolver of the VPC whose CIDR
// is cidr.
func resolverOf(t *testing.T, st *model.State, p *Plan, cidr string) *Resolver {
	t.Helper()
	for i, r := range p.Resolvers {
		if v := st.VPCs[r.VPC]; v != nil && v.CIDR.String() == cidr {
			return &p.Resolvers[i]
		}
	}
	t.Fatalf("no resolver for the VPC %s", cidr)
	return nil
}

// ask packs a query, has the resolver answer it, and reads the answer
// back, as the server does on the wire.
func askResolver(t *testing.T, r *Resolver, name string, qtype uint16) *dnsmsg.Message {
	t.Helper()
	b, err := (&dnsmsg.Message{ID: 9, RecursionDesired: true, Questions: []dnsmsg.Question{{Name: name, Type: qtype, Class: dnsmsg.ClassINET}}}).Pack()
	if err != nil {
		t.Fatal(err)
	}
	req, err := dnsmsg.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.answer(req, nil, netip.Addr{}).Pack()
	if err != nil {
		t.Fatal(err)
	}
	m, err := dnsmsg.Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The Resolver of a VPC the private hosted zone is not associated with
// answers NXDOMAIN for its name; the associated VPC's answers the
// internal ALB's private node addresses; associating the zone with the
// first VPC changes its answer. Security groups leave DNS to the
// Resolver alone.
func TestResolverPlan(t *testing.T) {
	st := loadState(t, privateZoneStory)
	p, err := MakePlan(st, "")
	if err != nil {
		t.Fatal(err)
	}
	app, shared := resolverOf(t, st, p, "10.0.0.0/16"), resolverOf(t, st, p, "10.1.0.0/16")
	if !slices.Contains(app.Listen, netip.MustParseAddr("10.0.0.2")) || !slices.Contains(app.Listen, netip.MustParseAddr("169.254.169.253")) {
		t.Errorf("the app VPC's resolver listens on %v, want 10.0.0.2 and 169.254.169.253", app.Listen)
	}
	if m := askResolver(t, app, "ledger.corp.example", dnsmsg.TypeA); m.Rcode != dnsmsg.RcodeNXDomain || len(m.Answers) != 0 {
		t.Errorf("from the unassociated VPC: rcode %d, answers %+v; want NXDOMAIN", m.Rcode, m.Answers)
	}
	m := askResolver(t, shared, "ledger.corp.example", dnsmsg.TypeA)
	var got []netip.Addr
	for _, r := range m.Answers {
		got = append(got, r.Addr)
	}
	var want []netip.Addr
	for _, lb := range st.LoadBalancers {
		for _, h := range p.Hosts {
			if lb.Name == "ledger-alb" && h.Name == strings.ToLower(lb.DNSName) && h.Addr.Is4() {
				want = append(want, h.Addr)
			}
		}
	}
	if m.Rcode != dnsmsg.RcodeSuccess || len(got) == 0 || !sameAddrs(got, want) {
		t.Errorf("from the associated VPC: rcode %d, %v; want NOERROR with the ALB's nodes %v", m.Rcode, got, want)
	}
	if m := askResolver(t, shared, "nothing.corp.example", dnsmsg.TypeA); m.Rcode != dnsmsg.RcodeNXDomain {
		t.Errorf("a name no zone has: rcode %d, want NXDOMAIN", m.Rcode)
	}
	if m := askResolver(t, shared, "ledger.corp.example", dnsmsg.TypeAAAA); m.Rcode != dnsmsg.RcodeSuccess || len(m.Answers) != 0 {
		t.Errorf("AAAA of an ipv4 ALB's alias: rcode %d, %+v; want NOERROR, no data", m.Rcode, m.Answers)
	}
	// The client's servers: its VPC's base + 2.
	if ns := p.Nodes[taskARN(t, st, "orders")]; !slices.Equal(p.NameServers[ns], []netip.Addr{netip.MustParseAddr("10.0.0.2")}) {
		t.Errorf("the orders task asks %v, want [10.0.0.2]", p.NameServers[ns])
	}

	x := st.Clone()
	for id, z := range x.HostedZones {
		z2 := *z
		z2.VPCs = append(slices.Clone(z.VPCs), app.VPC)
		x.HostedZones[id] = &z2
	}
	p2, err := MakePlan(x, "")
	if err != nil {
		t.Fatal(err)
	}
	if m := askResolver(t, resolverOf(t, x, p2, "10.0.0.0/16"), "ledger.corp.example", dnsmsg.TypeA); m.Rcode != dnsmsg.RcodeSuccess || len(m.Answers) == 0 {
		t.Errorf("once the zone is associated with the app VPC: rcode %d, %+v; want its addresses", m.Rcode, m.Answers)
	}
}

func sameAddrs(a, b []netip.Addr) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.SortFunc(a, netip.Addr.Compare)
	slices.SortFunc(b, netip.Addr.Compare)
	return slices.Equal(a, b)
}

func taskARN(t *testing.T, st *model.State, service string) string {
	t.Helper()
	for _, tk := range st.Tasks {
		if tk.ServiceName == service && tk.LastStatus == model.TaskRunning {
			return tk.ARN
		}
	}
	t.Fatalf("no running task of %s", service)
	return ""
}

// For real: a task of the unassociated VPC, whose security group allows
// no egress at all, asks its Resolver (10.0.0.2) and gets NXDOMAIN, and
// the probe by name reports nxdomain as the analyzer does; a task of
// the associated VPC gets the ALB's addresses over UDP and over TCP at
// 169.254.169.253, and its probe by name reaches the ALB.
func TestResolverKernel(t *testing.T) {
	isolated(t)
	st := loadState(t, privateZoneStory).Clone()
	for id, g := range st.SecurityGroups {
		if g.Name == "orders-sg" {
			x := *g
			x.Egress = nil
			st.SecurityGroups[id] = &x
		}
	}
	s := up(t, st)
	ctx := context.Background()
	l, err := s.lookup(ctx, "orders", "ledger.corp.example", false)
	if err != nil {
		t.Fatal(err)
	}
	if !l.Answered || l.Rcode != dnsmsg.RcodeNXDomain {
		t.Errorf("orders (unassociated VPC, no egress rule): %+v; want NXDOMAIN from 10.0.0.2", l)
	}
	l, err = s.lookup(ctx, "ledger", "ledger.corp.example", false)
	if err != nil {
		t.Fatal(err)
	}
	want := resolverOf(t, st, s.plan, "10.1.0.0/16").Names["ledger.corp.example"].A
	if !l.Answered || l.Rcode != dnsmsg.RcodeSuccess || !sameAddrs(l.Addrs, want) {
		t.Errorf("ledger (associated VPC): %+v; want %v", l, want)
	}

	// DNS over TCP at the link-local address.
	path := filepath.Join(s.opt.NetnsDir, s.plan.Nodes[taskARN(t, st, "ledger")])
	tctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	c, err := dialIn(tctx, path, "tcp", netip.Addr{}, 0, "169.254.169.253:53")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(3 * time.Second))
	q, _ := (&dnsmsg.Message{ID: 4, Questions: []dnsmsg.Question{{Name: "ledger.corp.example", Type: dnsmsg.TypeA, Class: dnsmsg.ClassINET}}}).Pack()
	if _, err := c.Write(append([]byte{byte(len(q) >> 8), byte(len(q))}, q...)); err != nil {
		t.Fatal(err)
	}
	var hdr [2]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, int(hdr[0])<<8|int(hdr[1]))
	if _, err := io.ReadFull(c, b); err != nil {
		t.Fatal(err)
	}
	m, err := dnsmsg.Parse(b)
	if err != nil || m.ID != 4 || m.Rcode != 0 || len(m.Answers) != len(want) {
		t.Errorf("over TCP: %+v, %v; want %d addresses", m, err, len(want))
	}

	// ecsnet exec's commands ask the node's resolver.
	var out strings.Builder
	if err := s.Exec(ctx, "orders", []string{"cat", "/etc/resolv.conf"}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "nameserver 10.0.0.2\n") {
		t.Errorf("the orders task's /etc/resolv.conf under exec:\n%s\nwant nameserver 10.0.0.2", out.String())
	}

	// And the C library's resolver asks it: getent hosts, through the
	// node's /etc/resolv.conf.
	if _, err := exec.LookPath("getent"); err == nil {
		out.Reset()
		err := s.Exec(ctx, "ledger", []string{"getent", "ahostsv4", "ledger.corp.example"}, nil, &out, io.Discard)
		if err != nil || !slices.ContainsFunc(want, func(a netip.Addr) bool { return strings.Contains(out.String(), a.String()) }) {
			t.Errorf("getent ahostsv4 ledger.corp.example in the ledger task: %v\n%s\nwant one of %v", err, out.String(), want)
		}
		out.Reset()
		if err := s.Exec(ctx, "orders", []string{"getent", "ahostsv4", "ledger.corp.example"}, nil, &out, io.Discard); err == nil {
			t.Errorf("getent ahostsv4 ledger.corp.example in the orders task (unassociated VPC) found %q", out.String())
		}
	}

	n := reach.Compile(st)
	for _, c := range []struct {
		from string
		want reach.Verdict
	}{{"orders", reach.NXDomain}, {"ledger", reach.Verdict("http 200")}} {
		q, err := reach.NewQuery(n, c.from, "ledger.corp.example:80", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		real, res := s.Probe(ctx, q)
		if res.Verdict != c.want || real.Verdict != c.want || !strings.Contains(real.Detail, "the DNS server") {
			t.Errorf("%s → ledger.corp.example:80: analyzer %s, kernel %s (%s); want %s", c.from, res.Verdict, real.Verdict, real.Detail, c.want)
		}
	}
}

// A CNAME comes back as Route 53 answers it: the CNAME record first,
// then the addresses, owned by the CNAME's target (here an alias to an
// internal ALB, answered as the ALB's addresses under the alias's name).
func TestResolverCNAME(t *testing.T) {
	st := loadState(t, "examples/failures/route53-public-alias-internal-alb.yaml")
	p, err := MakePlan(st, "")
	if err != nil {
		t.Fatal(err)
	}
	var inet *Resolver
	for i, r := range p.Resolvers {
		if r.VPC == "" {
			inet = &p.Resolvers[i]
		}
	}
	m := askResolver(t, inet, "www.example.com", dnsmsg.TypeA)
	if m.Rcode != dnsmsg.RcodeSuccess || len(m.Answers) < 2 {
		t.Fatalf("www.example.com: rcode %d, %+v; want a CNAME and addresses", m.Rcode, m.Answers)
	}
	if c := m.Answers[0]; c.Type != dnsmsg.TypeCNAME || c.Name != "www.example.com" || c.Target != "app.example.com" {
		t.Errorf("first answer %+v, want www.example.com CNAME app.example.com", c)
	}
	for _, a := range m.Answers[1:] {
		if a.Type != dnsmsg.TypeA || a.Name != "app.example.com" || !a.Addr.IsPrivate() {
			t.Errorf("answer %+v: want an A record of app.example.com with the internal ALB's private address", a)
		}
	}
	if m := askResolver(t, inet, "app.example.com", dnsmsg.TypeA); len(m.Answers) == 0 || m.Answers[0].Type != dnsmsg.TypeA || m.Answers[0].Name != "app.example.com" {
		t.Errorf("the alias app.example.com: %+v; want A records of the name itself", m.Answers)
	}
}

// The Route 53 Resolver answers at fd00:ec2::253 in a VPC with an IPv6
// block, over UDP from a dual-stack task's IPv6 address, and, as at its
// IPv4 addresses, no security group filters what goes there: the task's
// group has no egress rule at all.
func TestResolverIPv6(t *testing.T) {
	isolated(t)
	st := loadState(t, "internal/dataplane/testdata/ipv6.yaml").Clone()
	for id, g := range st.SecurityGroups {
		if g.Name == "web-sg" {
			x := *g
			x.Egress = nil
			st.SecurityGroups[id] = &x
		}
	}
	s := up(t, st)
	ctx := context.Background()
	path := filepath.Join(s.opt.NetnsDir, s.plan.Nodes[taskARN(t, st, "web")])
	for _, name := range []string{"nothing.example", "web-nlb.example"} {
		q, _ := (&dnsmsg.Message{ID: 7, RecursionDesired: true, Questions: []dnsmsg.Question{{Name: name, Type: dnsmsg.TypeAAAA, Class: dnsmsg.ClassINET}}}).Pack()
		l6, err := s.ask(ctx, path, netip.Addr{}, amazonDNS6, q, 7)
		if err != nil {
			t.Fatalf("%s at %s: %v", name, amazonDNS6, err)
		}
		l4, err := s.ask(ctx, path, netip.Addr{}, amazonDNS, q, 7)
		if err != nil {
			t.Fatalf("%s at %s: %v", name, amazonDNS, err)
		}
		if !l6.Answered || l6.Rcode != l4.Rcode || !sameAddrs(l6.Addrs, l4.Addrs) {
			t.Errorf("%s: %s answered %+v, %s %+v", name, amazonDNS6, l6, amazonDNS, l4)
		}
	}
	// An IPv4-only system has no IPv6 resolver, and its clients ask only
	// base + 2.
	art := loadState(t, "examples/seed/article.yaml")
	p4 := mustPlan(t, art)
	for _, r := range p4.Resolvers {
		if slices.Contains(r.Listen, amazonDNS6) {
			t.Errorf("%s listens at %s in an IPv4-only system", r.NS, amazonDNS6)
		}
	}
	for ns, servers := range p4.NameServers {
		if slices.Contains(servers, amazonDNS6) {
			t.Errorf("%s asks %v in an IPv4-only system", ns, servers)
		}
	}
}

// ecsnet exec's resolv.conf of a dual-stack task names the Resolver's
// IPv4 address and then fd00:ec2::253; the C library's resolver, given
// only the IPv6 one, gets the dualstack NLB's AAAA records there.
func TestResolverIPv6Exec(t *testing.T) {
	isolated(t)
	st := loadState(t, "internal/dataplane/testdata/nlb-ipv6.yaml")
	s := up(t, st)
	ctx := context.Background()
	var out strings.Builder
	if err := s.Exec(ctx, taskARN(t, st, "api"), []string{"cat", "/etc/resolv.conf"}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "nameserver 10.0.0.2\nnameserver fd00:ec2::253\n") {
		t.Errorf("the api task's /etc/resolv.conf under exec:\n%s\nwant nameserver 10.0.0.2, then nameserver fd00:ec2::253", out.String())
	}
	if _, err := exec.LookPath("getent"); err != nil {
		t.Skip("no getent")
	}
	name := ""
	for _, lb := range st.LoadBalancers {
		name = strings.ToLower(lb.DNSName)
	}
	ns := s.plan.Nodes[taskARN(t, st, "api")]
	only6 := filepath.Join(s.opt.dir(), resolvDir, ns+".conf")
	if err := os.WriteFile(only6, []byte("nameserver fd00:ec2::253\noptions timeout:1 attempts:1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Not from the hosts file: exec's /etc/hosts names the load
	// balancer too, so ask for a name only DNS knows the answer of.
	out.Reset()
	err := s.Exec(ctx, taskARN(t, st, "api"), []string{"getent", "-s", "dns", "ahostsv6", name}, nil, &out, io.Discard)
	if err != nil || !strings.Contains(out.String(), ":") {
		t.Errorf("getent -s dns ahostsv6 %s asking fd00:ec2::253 only: %v\n%s", name, err, out.String())
	}
}

// A client ENI with an IPv6 address asks the Route 53 Resolver at
// fd00:ec2::253 too: after base + 2 in a dual-stack subnet, alone when it
// has no IPv4 address (an IPv6-only subnet's); a client of the VPC's own
// DNS servers asks only those.
func TestResolverServersIPv6(t *testing.T) {
	st := loadState(t, "internal/dataplane/testdata/ipv6.yaml").Clone()
	web := taskARN(t, st, "web")
	p := mustPlan(t, st)
	if got, want := p.NameServers[p.Nodes[web]], []netip.Addr{netip.MustParseAddr("10.0.0.2"), amazonDNS6}; !slices.Equal(got, want) {
		t.Errorf("the dual-stack web task asks %v, want %v", got, want)
	}
	var eni *model.NetworkInterface
	for _, e := range st.NetworkInterfaces {
		if p.Nodes[string(e.ID)] == p.Nodes[web] {
			eni = e
		}
	}
	if eni == nil {
		t.Fatal("no ENI of the web task")
	}
	x := *eni
	x.PrivateIPs = nil
	pl := &planner{st: st, v6: true}
	if got := pl.eniServers(&x); !slices.Equal(got, []netip.Addr{amazonDNS6}) {
		t.Errorf("an ENI without an IPv4 address asks %v, want [%s]", got, amazonDNS6)
	}
	x.IPv6 = nil
	if got := pl.eniServers(&x); slices.Contains(got, amazonDNS6) {
		t.Errorf("an ENI without an IPv6 address asks %v", got)
	}
}

// A weighted record set's lookups get each record of a weight above 0 in
// turn (testdata/route53-weighted.yaml), the heaviest first; a record of
// weight 0 never; A and AAAA lookups take their own turns.
func TestResolverWeightedTurns(t *testing.T) {
	st := loadState(t, "internal/dataplane/testdata/route53-weighted.yaml")
	p, err := MakePlan(st, "")
	if err != nil {
		t.Fatal(err)
	}
	r := resolverOf(t, st, p, "10.0.0.0/16")
	turns := &dnsTurns{}
	lookups := func(name string, n int) string {
		var got []string
		for range n {
			b, _ := (&dnsmsg.Message{ID: 1, Questions: []dnsmsg.Question{{Name: name, Type: dnsmsg.TypeA, Class: dnsmsg.ClassINET}}}).Pack()
			req, _ := dnsmsg.Parse(b)
			m := r.answer(req, turns, netip.Addr{})
			var as []string
			for _, a := range m.Answers {
				if a.Addr.IsValid() {
					as = append(as, a.Addr.String())
				}
			}
			got = append(got, strings.Join(as, ","))
		}
		return strings.Join(got, " ")
	}
	for _, c := range []struct{ name, want string }{
		{"light-fails.corp.internal", "10.0.1.10 10.0.1.11 10.0.1.10 10.0.1.11"},
		{"heavy-fails.corp.internal", "10.0.1.11 10.0.1.10 10.0.1.11"},
		{"zero-fails.corp.internal", "10.0.1.10 10.0.1.10 10.0.1.10"},
		{"three.corp.internal", "10.0.1.10 10.0.1.11 10.0.1.10 10.0.1.10"},
	} {
		if got := lookups(c.name, len(strings.Fields(c.want))); got != c.want {
			t.Errorf("%s, lookup after lookup: %s, want %s", c.name, got, c.want)
		}
	}
	// An AAAA lookup (no data here) does not take an A lookup's turn.
	b, _ := (&dnsmsg.Message{ID: 1, Questions: []dnsmsg.Question{{Name: "light-fails.corp.internal", Type: dnsmsg.TypeAAAA, Class: dnsmsg.ClassINET}}}).Pack()
	req, _ := dnsmsg.Parse(b)
	r.answer(req, turns, netip.Addr{})
	if got := lookups("light-fails.corp.internal", 1); got != "10.0.1.10" {
		t.Errorf("after an AAAA lookup: %s, want the next A turn, 10.0.1.10", got)
	}
}
