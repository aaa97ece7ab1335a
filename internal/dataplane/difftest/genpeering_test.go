package difftest

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Generated peering connections route more than the Amazon pool over
// IPv6: several blocks, some holding the peer's /56 and some missing it
// (as the engine draws the /56), so the differential test meets IPv6
// routes that send the peer through the connection and ones that leave
// it unrouted.
func TestGeneratePeeringIPv6Routes(t *testing.T) {
	dests := map[string]bool{}
	holds, misses := 0, 0
	for seed := uint64(1); seed <= 400; seed++ {
		s := Generate(seed, Config{IPv6: true, Peering: true})
		if s.Peering == nil {
			continue
		}
		st, err := Build(s.Name+".yaml", s.YAML())
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		for _, rt := range st.RouteTables {
			for _, r := range rt.Routes {
				if r.Target != model.TargetVpcPeering || !r.Destination.Addr().Is6() {
					continue
				}
				dests[r.Destination.String()] = true
				peer := peerOf(st, r.TargetID, rt.VpcID)
				if peer == nil || len(peer.IPv6) == 0 {
					continue
				}
				if r.Destination.Overlaps(peer.IPv6[0].CIDR) {
					holds++
				} else {
					misses++
				}
			}
		}
	}
	if len(dests) < 4 || holds == 0 || misses == 0 {
		t.Errorf("IPv6 peering routes to %d blocks (%v), %d holding the peer's block, %d missing it; want 4 or more blocks, both kinds", len(dests), dests, holds, misses)
	}
	t.Logf("%d blocks, %d routes holding the peer's block, %d missing it", len(dests), holds, misses)
}

// peerOf is the VPC at the other end of a peering connection from vpc.
func peerOf(st *model.State, pcx string, vpc model.VpcID) *model.VPC {
	for _, p := range st.VpcPeerings {
		if string(p.ID) != pcx {
			continue
		}
		if p.RequesterVpc == vpc {
			return st.VPCs[p.AccepterVpc]
		}
		return st.VPCs[p.RequesterVpc]
	}
	return nil
}
