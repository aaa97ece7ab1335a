package snapshot_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// TestManagedInstancesRoundTrip: an ECS Managed Instances provider
// survives a snapshot (describe-capacity-providers' type, cluster and
// managedInstancesProvider), the instances registered under it are named
// <provider>/<n> again, and the article's curl to the instance's public IP
// still times out on the loaded snapshot.
func TestManagedInstancesRoundTrip(t *testing.T) {
	sc, err := scenario.Load("../../examples/failures/managed-instances-public-ip.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	before, _ := b.Engine.Snapshot()
	dir, _ := writeSnapshot(t, before)
	st := state(load(t, dir))
	found := false
	for _, cp := range st.CapacityProviders {
		if cp.Name == "mi" {
			found = true
			if cp.ManagedInstances == nil || len(cp.ManagedInstances.Subnets) != 2 || cp.ClusterARN == "" || cp.Type() != "MANAGED_INSTANCES" {
				t.Errorf("provider mi after the round trip: %+v (%+v)", cp, cp.ManagedInstances)
			}
		}
	}
	if !found {
		t.Fatalf("no provider mi after the round trip")
	}
	if r := probe(t, st, "internet", "mi/0:8080"); r.Verdict != reach.Timeout || !r.HasCode(reach.CodePortOnTaskENI) {
		t.Errorf("internet → mi/0:8080 = %s %v, want a timeout with %s", r.Verdict, r.Explanations, reach.CodePortOnTaskENI)
	}
}
