package reach_test

import (
	"net/netip"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// An instance's public DNS name resolves to its private address from its
// own VPC and, with the peering connection's DNS option on the
// instance's side, from the peer VPC; to its public address from the
// internet and from a peer VPC without the option (VPC Peering Guide,
// "Enable DNS resolution for a VPC peering connection").
func TestEC2PublicDNSName(t *testing.T) {
	const name = "ec2-54-210-33-40.compute-1.amazonaws.com:5432"
	pub, priv := netip.MustParseAddr("54.210.33.40"), netip.MustParseAddr("10.1.1.4")
	resolve := func(t *testing.T, patch func(e *engine.Engine), from string) (netip.Addr, *reach.Result) {
		t.Helper()
		sc, err := scenario.Load("../../examples/failures/peering-public-dns-name-no-dns-resolution.yaml")
		if err != nil {
			t.Fatal(err)
		}
		b, err := sc.Build(engine.WithStartCheck(reach.StartCheck))
		if err != nil {
			t.Fatal(err)
		}
		if patch != nil {
			patch(b.Engine)
		}
		st, _ := b.Engine.Snapshot()
		n := reach.Compile(st)
		q, err := reach.NewQuery(n, from, name, "tcp")
		if err != nil {
			t.Fatal(err)
		}
		return q.To.Address, reach.Probe(n, q)
	}
	t.Run("peer VPC, option off", func(t *testing.T) {
		a, res := resolve(t, nil, "orders")
		if a != pub || res.Reachable || !res.HasCode(reach.CodePeeringDNSPublicAddress) {
			t.Errorf("resolved to %s, %s, codes %v; want the public address, unreachable, %s", a, res.Verdict, res.Explanations, reach.CodePeeringDNSPublicAddress)
		}
	})
	t.Run("peer VPC, option on", func(t *testing.T) {
		on := true
		a, res := resolve(t, func(e *engine.Engine) {
			st, _ := e.Snapshot()
			for id := range st.VpcPeerings {
				if _, err := e.ModifyVpcPeeringConnectionOptions(id, nil, &on); err != nil {
					t.Fatal(err)
				}
			}
		}, "orders")
		if a != priv || !res.Reachable || res.HasCode(reach.CodePeeringDNSPublicAddress) {
			t.Errorf("resolved to %s, %s; want the private address %s, connected", a, res.Verdict, priv)
		}
	})
	t.Run("the requester's option does not help", func(t *testing.T) {
		on := true
		a, _ := resolve(t, func(e *engine.Engine) {
			st, _ := e.Snapshot()
			for id := range st.VpcPeerings {
				if _, err := e.ModifyVpcPeeringConnectionOptions(id, &on, nil); err != nil {
					t.Fatal(err)
				}
			}
		}, "orders")
		if a != pub {
			t.Errorf("resolved to %s; want the public address %s (the accepter's option decides the accepter's names)", a, pub)
		}
	})
	t.Run("option on, the client's VPC without DNS hostnames", func(t *testing.T) {
		on, off := true, false
		a, res := resolve(t, func(e *engine.Engine) {
			st, _ := e.Snapshot()
			for id := range st.VpcPeerings {
				if _, err := e.ModifyVpcPeeringConnectionOptions(id, nil, &on); err != nil {
					t.Fatal(err)
				}
			}
			for id, v := range st.VPCs {
				if v.Tags.Name() == "app" {
					if err := e.ModifyVpcAttribute(id, nil, &off); err != nil {
						t.Fatal(err)
					}
				}
			}
		}, "orders")
		if a != pub || !res.HasCode(reach.CodePeeringDNSPublicAddress) {
			t.Errorf("resolved to %s, %v; want the public address %s (both VPCs need DNS hostnames)", a, res.Explanations, pub)
		}
	})
	t.Run("internet", func(t *testing.T) {
		if a, _ := resolve(t, nil, "internet"); a != pub {
			t.Errorf("resolved to %s; want %s", a, pub)
		}
	})
	t.Run("own VPC", func(t *testing.T) {
		if a, _ := resolve(t, nil, "10.1.1.4"); a != priv {
			t.Errorf("resolved to %s; want %s", a, priv)
		}
	})
}
