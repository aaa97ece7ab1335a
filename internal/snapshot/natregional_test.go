package snapshot_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/reach"
)

// TestRegionalNatGatewayRoundTrip: a regional NAT gateway written to a
// snapshot (describe-nat-gateways' AvailabilityMode, AutoProvisionZones
// and NatGatewayAddresses with their AvailabilityZone) reads back the
// same: no subnet, its zone's Elastic IP, and the analyzer's answers
// (the zone served connects from its address, the other is not served).
func TestRegionalNatGatewayRoundTrip(t *testing.T) {
	st := scenarioState(t, "testdata/regional-nat.yaml")
	dir, _ := writeSnapshot(t, st)
	back := state(load(t, dir))
	for id, ng := range st.NatGateways {
		got := back.NatGateways[id]
		if got == nil || !got.Regional() || got.SubnetID != "" || got.AutoProvisionZones != ng.AutoProvisionZones ||
			len(got.ZoneAddresses) != 1 || got.ZoneAddresses[0] != ng.ZoneAddresses[0] {
			t.Errorf("read back %+v, want %+v", got, ng)
		}
	}
	if r := probe(t, back, "worker-a", "8.8.8.8:443"); r.Verdict != reach.Connected {
		t.Errorf("worker-a: %s %s", r.Verdict, r.Summary)
	}
	r := probe(t, back, "worker-b", "8.8.8.8:443")
	if b := r.Blocking(); r.Verdict != reach.Timeout || len(b) == 0 || b[0].Code != reach.CodeRegionalNATZoneNotServed {
		t.Errorf("worker-b: %s %+v", r.Verdict, b)
	}
}
