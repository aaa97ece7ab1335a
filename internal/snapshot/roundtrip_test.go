package snapshot_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ecsnet/ecsnet/internal/estate"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// describeOnly ignores what the describe-* calls do not show: user data,
// where applications bind inside containers, ECS's request-side network
// configuration of tasks, and engine bookkeeping.
var describeOnly = cmp.Options{
	cmpopts.EquateEmpty(),
	cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{}),
	// AutoPublicIP: a snapshot tells an address from AWS's pool from an
	// Elastic IP (IpOwnerId), not a scenario's fixed public IP from either;
	// describe-volumes is not collected.
	cmpopts.IgnoreFields(model.Instance{}, "UserData", "StateReason", "LaunchTemplate", "AutoPublicIP", "Volumes"),
	cmpopts.IgnoreFields(model.Cluster{}, "CreatedAt"),
	cmpopts.IgnoreFields(model.TargetGroup{}, "CreatedAt", "Tags"),
	cmpopts.IgnoreFields(model.LoadBalancer{}, "Tags"), // elbv2 describe-tags, not read
	// Activities come from describe-scaling-activities, which is not collected.
	cmpopts.IgnoreFields(model.AutoScalingGroup{}, "FixedPublicIPs", "LaunchCount", "LastActivity", "Activities"),
	cmpopts.IgnoreFields(model.Task{}, "NextTransition", "Network"),
	cmpopts.IgnoreFields(model.NatGateway{}, "NextTransition"),
	cmpopts.IgnoreFields(model.ContainerDefinition{}, "ListenAddress", "Raw"),
	cmpopts.IgnoreFields(model.TaskDefinition{}, "Raw"),
	cmpopts.IgnoreFields(model.Service{}, "Events", "ClientToken"),
	cmpopts.IgnoreFields(model.Target{}, "RegisteredAt"),
	cmpopts.IgnoreFields(model.SecurityGroupRule{}, "ID"), // describe-security-group-rules has them; describe-security-groups does not
	cmpopts.IgnoreFields(model.State{}, "AccountSettings", "CapacityProviders", "InsightsPaths", "InsightsAnalyses", "DhcpOptions", "Volumes"),
	cmpopts.IgnoreFields(model.VPC{}, "DhcpOptions"), // describe-dhcp-options is not collected
	cmp.Comparer(func(a, b time.Time) bool { return a.Truncate(time.Microsecond).Equal(b.Truncate(time.Microsecond)) }),
}

// roundTrip writes st as a snapshot, loads it back and returns the state.
func roundTrip(t testing.TB, st *model.State) (*model.State, *snapshot.Result) {
	t.Helper()
	dir := t.TempDir()
	if err := snapshot.Write(dir, st); err != nil {
		t.Fatal(err)
	}
	res, err := snapshot.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := res.Engine.Snapshot()
	return got, res
}

func TestRoundTripEstate(t *testing.T) {
	e, err := estate.Build(estate.Small())
	if err != nil {
		t.Fatal(err)
	}
	st, _ := e.Snapshot()
	got, res := roundTrip(t, st)
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	if diff := cmp.Diff(st, got, describeOnly); diff != "" {
		t.Errorf("state after Write and Load (-want +got):\n%s", diff)
	}
}

func TestRoundTripSeedScenarios(t *testing.T) {
	for _, name := range []string{"article", "alb", "bridge", "fargate"} {
		t.Run(name, func(t *testing.T) {
			sc, err := scenario.Load("../../examples/seed/" + name + ".yaml")
			if err != nil {
				t.Fatal(err)
			}
			built, err := sc.Build()
			if err != nil {
				t.Fatal(err)
			}
			st, _ := built.Engine.Snapshot()
			got, res := roundTrip(t, st)
			for _, w := range res.Warnings {
				t.Errorf("warning: %s", w)
			}
			if diff := cmp.Diff(st, got, describeOnly); diff != "" {
				t.Errorf("state after Write and Load (-want +got):\n%s", diff)
			}
		})
	}
}
