package dataplane

import (
	"context"
	"net/netip"
	"slices"
	"testing"

	"github.com/ecsnet/ecsnet/internal/dataplane/dnsmsg"
)

// askFrom has the resolver answer a query from a client address.
func askFrom(t *testing.T, r *Resolver, name string, qtype uint16, from netip.Addr) []netip.Addr {
	t.Helper()
	req := &dnsmsg.Message{ID: 7, RecursionDesired: true, Questions: []dnsmsg.Question{{Name: name, Type: qtype, Class: dnsmsg.ClassINET}}}
	m := r.answer(req, nil, from)
	if m.Rcode != dnsmsg.RcodeSuccess {
		t.Fatalf("%s: rcode %d", name, m.Rcode)
	}
	var out []netip.Addr
	for _, a := range m.Answers {
		if a.Addr.IsValid() {
			out = append(out, a.Addr)
		}
	}
	return out
}

// A client of a subnet with DNS64 on gets AAAA records synthesized in
// 64:ff9b::/96 for a name with A records only, and the name's own AAAA
// records for one that has them; a client of another subnet, and an A
// query, get the records as they are.
func TestResolverDNS64(t *testing.T) {
	r := &Resolver{
		Names: map[string]DNSAnswer{
			"v4only.example.com": {A: []netip.Addr{netip.MustParseAddr("192.0.2.9"), netip.MustParseAddr("198.51.100.4")}},
			"dual.example.com":   {A: []netip.Addr{netip.MustParseAddr("192.0.2.10")}, AAAA: []netip.Addr{netip.MustParseAddr("2001:db8::10")}},
		},
		DNS64: []netip.Prefix{netip.MustParsePrefix("2600:1f18:0:b::/64")},
	}
	in, out := netip.MustParseAddr("2600:1f18:0:b::5"), netip.MustParseAddr("2600:1f18:0:c::5")
	if got, want := askFrom(t, r, "v4only.example.com", dnsmsg.TypeAAAA, in), []netip.Addr{netip.MustParseAddr("64:ff9b::c000:209"), netip.MustParseAddr("64:ff9b::c633:6404")}; !slices.Equal(got, want) {
		t.Errorf("DNS64 subnet, AAAA of an IPv4-only name: %v, want %v", got, want)
	}
	if got := askFrom(t, r, "v4only.example.com", dnsmsg.TypeAAAA, out); len(got) != 0 {
		t.Errorf("another subnet, AAAA of an IPv4-only name: %v, want none", got)
	}
	if got := askFrom(t, r, "dual.example.com", dnsmsg.TypeAAAA, in); !slices.Equal(got, []netip.Addr{netip.MustParseAddr("2001:db8::10")}) {
		t.Errorf("DNS64 subnet, AAAA of a dual-stack name: %v, want its own record", got)
	}
	if got := askFrom(t, r, "v4only.example.com", dnsmsg.TypeA, in); len(got) != 2 || !got[0].Is4() {
		t.Errorf("DNS64 subnet, A of an IPv4-only name: %v, want the A records", got)
	}
}

// The plan gives a VPC's Resolver the IPv6 blocks of its subnets with
// DNS64 on, and only those.
func TestResolverDNS64Plan(t *testing.T) {
	st := loadState(t, "examples/failures/analyzer-only/ipv6-only-subnet-no-dns64.yaml").Clone()
	var on, off []netip.Prefix
	for id, sub := range st.Subnets {
		c, ok := subnetIPv6(sub)
		if !ok {
			continue
		}
		if !sub.IPv6Native {
			off = append(off, c)
			continue
		}
		x := *sub
		x.EnableDNS64 = true
		st.Subnets[id] = &x
		on = append(on, c)
	}
	if len(on) == 0 {
		t.Fatal("the story has no IPv6-only subnet")
	}
	p, err := MakePlan(st, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []netip.Prefix
	for _, r := range p.Resolvers {
		got = append(got, r.DNS64...)
	}
	for _, c := range on {
		if !slices.Contains(got, c) {
			t.Errorf("the DNS64 subnet %s is not in the Resolver's DNS64 blocks %v", c, got)
		}
	}
	for _, c := range off {
		if slices.Contains(got, c) {
			t.Errorf("the subnet %s without DNS64 is in the Resolver's DNS64 blocks %v", c, got)
		}
	}
}

// For real: with DNS64 on in the subnet of box (dual-stack), its AAAA
// lookup of the logs endpoint's private name (A records only) gets the
// synthesized address; v4box's subnet has DNS64 off and gets none.
func TestResolverDNS64Lookup(t *testing.T) {
	isolated(t)
	st := loadState(t, "internal/dataplane/testdata/dns-records.yaml").Clone()
	var box, v4box string
	for _, inst := range st.Instances {
		switch inst.Tags.Name() {
		case "box":
			box = string(inst.ID)
		case "v4box":
			v4box = string(inst.ID)
		}
	}
	for id, sub := range st.Subnets {
		if sub.CIDR.String() == "10.0.1.0/24" {
			x := *sub
			x.EnableDNS64 = true
			st.Subnets[id] = &x
		}
	}
	s := up(t, st)
	const name = "logs.us-east-1.amazonaws.com"
	var a4 netip.Addr
	for _, r := range s.plan.Resolvers {
		if x, ok := r.Names[name]; ok && len(x.A) > 0 {
			a4 = x.A[0]
		}
	}
	l, err := s.LookupName(context.Background(), box, name, true)
	if err != nil || !l.Answered || !slices.Contains(l.Addrs, synthesize64(a4)) {
		t.Errorf("box, AAAA %s: %+v %v, want %s", name, l, err, synthesize64(a4))
	}
	l, err = s.LookupName(context.Background(), v4box, name, true)
	if err != nil || !l.Answered || len(l.Addrs) != 0 {
		t.Errorf("v4box, AAAA %s: %+v %v, want no address", name, l, err)
	}
}
