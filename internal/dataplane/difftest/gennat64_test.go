package difftest

import (
	"net/netip"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Generated NAT64 clients (genipv6.go, nat64): seeds 1-400 give some
// systems an IPv6-only subnet with an instance, with DNS64 on and off,
// with 64:ff9b::/96 routed to a NAT gateway and not; each builds, and the
// instance has no IPv4 address.
func TestGenerateNAT64(t *testing.T) {
	nat64Pfx := netip.MustParsePrefix("64:ff9b::/96")
	var systems, dns64, routed, unrouted int
	for seed := uint64(1); seed <= 400; seed++ {
		s := Generate(seed, Config{IPv6: true, NLBs: true, LBs: true})
		var only *Subnet
		for _, sn := range s.Subnets {
			if sn.IPv6Only {
				only = sn
			}
		}
		if only == nil {
			continue
		}
		systems++
		st, err := Build(s.Name+".yaml", s.YAML())
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		for _, sub := range st.Subnets {
			if !sub.IPv6Native {
				continue
			}
			if sub.EnableDNS64 {
				dns64++
			}
			rt := st.SubnetRouteTable(sub.ID)
			has := false
			for _, r := range rt.Routes {
				if r.Destination == nat64Pfx && r.Target == model.TargetNatGateway {
					has = true
				}
			}
			if has {
				routed++
			} else {
				unrouted++
			}
			for _, i := range st.Instances {
				if e := st.NetworkInterfaces[i.PrimaryENI]; e != nil && e.SubnetID == sub.ID && e.PrimaryIP().IsValid() {
					t.Errorf("seed %d: instance %s of the IPv6-only subnet has IPv4 address %s", seed, i.ID, e.PrimaryIP())
				}
			}
		}
	}
	if systems < 10 || dns64 == 0 || dns64 == systems || routed == 0 || unrouted == 0 {
		t.Errorf("%d systems with an IPv6-only subnet, %d with DNS64, %d routing 64:ff9b::/96 to a NAT gateway, %d not", systems, dns64, routed, unrouted)
	}
	t.Logf("%d systems with an IPv6-only subnet, %d with DNS64, %d routing 64:ff9b::/96 to a NAT gateway, %d not", systems, dns64, routed, unrouted)
}
