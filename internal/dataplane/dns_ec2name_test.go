package dataplane

import (
	"net/netip"
	"testing"

	"github.com/ecsnet/ecsnet/internal/dataplane/dnsmsg"
)

// The VPC Resolvers answer an instance's public DNS name as the analyzer
// resolves it: its private address in its own VPC, its public address in
// a peer VPC until the peering connection allows DNS resolution from the
// remote VPC on the instance's side, then the private address there too.
func TestResolverEC2PublicName(t *testing.T) {
	const name = "ec2-54-210-33-40.compute-1.amazonaws.com"
	st := loadState(t, "examples/failures/peering-public-dns-name-no-dns-resolution.yaml")
	answer := func(p *Plan, cidr string) []netip.Addr {
		t.Helper()
		m := askResolver(t, resolverOf(t, st, p, cidr), name, dnsmsg.TypeA)
		var got []netip.Addr
		for _, r := range m.Answers {
			got = append(got, r.Addr)
		}
		return got
	}
	p, err := MakePlan(st, "")
	if err != nil {
		t.Fatal(err)
	}
	pub, priv := []netip.Addr{netip.MustParseAddr("54.210.33.40")}, []netip.Addr{netip.MustParseAddr("10.1.1.4")}
	if got := answer(p, "10.0.0.0/16"); !sameAddrs(got, pub) {
		t.Errorf("from the peer VPC, option off: %v, want %v", got, pub)
	}
	if got := answer(p, "10.1.0.0/16"); !sameAddrs(got, priv) {
		t.Errorf("from the instance's VPC: %v, want %v", got, priv)
	}
	x := st.Clone()
	for id, c := range x.VpcPeerings {
		c2 := *c
		c2.AccepterAllowDNS = true
		x.VpcPeerings[id] = &c2
	}
	p2, err := MakePlan(x, "")
	if err != nil {
		t.Fatal(err)
	}
	st = x
	if got := answer(p2, "10.0.0.0/16"); !sameAddrs(got, priv) {
		t.Errorf("from the peer VPC, accepter option on: %v, want %v", got, priv)
	}
}
