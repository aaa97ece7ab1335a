package snapshot_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// VPC Block Public Access survives Write and Load
// (ec2-describe-vpc-block-public-access-options.json and -exclusions):
// the mode and the exclusions, and the analyzer's verdict, which they
// decide (the failure story's tasks cannot pull their image).
func TestRoundTripBlockPublicAccess(t *testing.T) {
	st := scenarioState(t, "../../examples/failures/bpa-fargate-public-ip.yaml")
	got, res := roundTrip(t, st)
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	if got.BPAMode() != model.BPABidirectional || len(got.BPAExclusions) != 2 {
		t.Fatalf("after the round trip: mode %s, %d exclusions", got.BPAMode(), len(got.BPAExclusions))
	}
	for id, x := range st.BPAExclusions {
		y := got.BPAExclusions[id]
		if y == nil || y.SubnetID != x.SubnetID || y.Mode != x.Mode || y.State != x.State || y.ResourceARN != x.ResourceARN {
			t.Errorf("exclusion %s: %+v, want %+v", id, y, x)
		}
	}
	// Built without the start check, the tasks run; their own way out
	// (the public IP, through the internet gateway) is what the mode
	// blocks, before and after.
	for _, s := range []*model.State{st, got} {
		n := reach.Compile(s)
		q, err := reach.NewQuery(n, "web/0", "203.0.113.50:443", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		if r := reach.Probe(n, q); r.Reachable || !r.HasCode(reach.CodeVPCBlockPublicAccess) {
			t.Errorf("web/0 → the internet: %s", r.Summary)
		}
	}
}
