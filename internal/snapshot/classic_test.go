package snapshot_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// A Classic Load Balancer in front of a bridge service survives Write and
// Load (elb describe-load-balancers' LoadBalancerDescriptions): listeners,
// health check, registered instances, its nodes' ENIs; the analyzer gives
// the same verdict on both.
func TestRoundTripClassicLoadBalancer(t *testing.T) {
	st := scenarioState(t, "../../examples/classic/clb-bridge.yaml")
	if len(st.ClassicLoadBalancers) != 1 || len(st.ClassicLoadBalancers["web-elb"].Instances) != 2 {
		t.Fatalf("the example's load balancer: %+v", st.ClassicLoadBalancers)
	}
	got, res := roundTrip(t, st)
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	// Tags, policies and attributes come from other calls (describe-tags,
	// describe-load-balancer-policies, describe-load-balancer-attributes);
	// registration times from none.
	opts := cmp.Options{describeOnly, cmpopts.IgnoreFields(model.ClassicLoadBalancer{}, "Tags", "Attributes", "Policies", "ListenerPolicies", "BackendPolicies", "RegisteredAt"),
		cmpopts.IgnoreFields(model.ContainerDefinition{}, "Serves")} // what the app serves is the scenario's
	if diff := cmp.Diff(st, got, opts); diff != "" {
		t.Errorf("state after Write and Load (-want +got):\n%s", diff)
	}
	for _, s := range []*model.State{st, got} {
		n := reach.Compile(s)
		q, err := reach.NewQuery(n, "internet", "web-elb:80", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		if r := reach.Probe(n, q); r.Verdict != reach.HTTP200 {
			t.Errorf("%s: %s", r.Verdict, r.Summary)
		}
	}
}
