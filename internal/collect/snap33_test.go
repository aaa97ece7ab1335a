package collect_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// tgwOnly compares the transit gateway part of two states (creation
// times are the second the aws CLI prints).
var tgwOnly = cmp.Options{
	cmpopts.EquateEmpty(),
	cmpopts.EquateComparable(netip.Prefix{}),
	cmpopts.IgnoreFields(model.TransitGateway{}, "CreatedAt", "DeletedAt"),
	cmpopts.IgnoreFields(model.TransitGatewayAttachment{}, "CreatedAt", "DeletedAt"),
	cmpopts.IgnoreFields(model.TransitGatewayRouteTable{}, "CreatedAt", "DeletedAt"),
}

// A hub-and-spoke network behind a transit gateway, collected from ecsnet
// serve by ecsnet collect and by scripts/collect.sh: both snapshots hold
// the live gateway, attachments and route tables (static route,
// association, propagation), and the scenario's probes give the live
// verdicts and causes, none undecided.
func TestCollectTransitGatewaysFromServe(t *testing.T) {
	const path = "../../examples/tgw/hub-and-spoke.yaml"
	sc, err := scenario.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	srv, url := serveScenario(t, path)
	live, snap, res := collectBoth(t, srv, url, nil)
	if len(live.TransitGatewayAttachments) != 3 {
		t.Fatalf("the live state has %d attachments", len(live.TransitGatewayAttachments))
	}
	for what, pair := range map[string][2]any{
		"transit gateways": {live.TransitGateways, snap.TransitGateways},
		"attachments":      {live.TransitGatewayAttachments, snap.TransitGatewayAttachments},
		"route tables":     {live.TransitGatewayRouteTables, snap.TransitGatewayRouteTables},
	} {
		if diff := cmp.Diff(pair[0], pair[1], tgwOnly); diff != "" {
			t.Errorf("%s (-live +snapshot):\n%s", what, diff)
		}
	}
	for _, x := range sc.Expect {
		l, s := probeExpectation(t, live, x), probeExpectation(t, snap, x)
		if string(l.Verdict) != x.Verdict || s.Verdict != l.Verdict || l.Summary != s.Summary {
			t.Errorf("%s → %s: live %s, snapshot %s, want %s\nlive     %s\nsnapshot %s", x.From, x.To, l.Verdict, s.Verdict, x.Verdict, l.Summary, s.Summary)
		}
		if u := res.UndecidedBy(s); len(u) != 0 {
			t.Errorf("%s → %s undecided: %v", x.From, x.To, u)
		}
	}

	t.Run("scripts/collect.sh", func(t *testing.T) {
		dir, b, err := runCollectScript(t, url)
		if err != nil {
			t.Fatalf("collect.sh: %v\n%s", err, b)
		}
		region := filepath.Join(dir, "aws_configs", "us-east-1")
		for rtb := range live.TransitGatewayRouteTables {
			for _, f := range []string{snapshot.TGWRoutesFileName(string(rtb)), snapshot.TGWAssociationsFileName(string(rtb)), snapshot.TGWPropagationsFileName(string(rtb))} {
				if _, err := os.Stat(filepath.Join(region, f)); err != nil {
					t.Error(err)
				}
			}
		}
		res2, err := snapshot.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range res2.Warnings {
			t.Errorf("warning: %s", w)
		}
		st2, _ := res2.Engine.Snapshot()
		for what, pair := range map[string][2]any{
			"transit gateways": {live.TransitGateways, st2.TransitGateways},
			"attachments":      {live.TransitGatewayAttachments, st2.TransitGatewayAttachments},
			"route tables":     {live.TransitGatewayRouteTables, st2.TransitGatewayRouteTables},
		} {
			if diff := cmp.Diff(pair[0], pair[1], tgwOnly); diff != "" {
				t.Errorf("%s (-live +collect.sh's snapshot):\n%s", what, diff)
			}
		}
	})
}

// VPC peering connections collected from ecsnet serve
// (describe-vpc-peering-connections): the snapshot holds the live
// connections, and the peering examples' probes give the live verdicts,
// none undecided (before, a route to pcx-… was an undecided blackhole).
func TestCollectVpcPeeringFromServe(t *testing.T) {
	for _, name := range []string{"peering-return-route", "peering-not-accepted"} {
		t.Run(name, func(t *testing.T) {
			path := "../../examples/failures/" + name + ".yaml"
			sc, err := scenario.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			srv, url := serveScenario(t, path)
			live, snap, res := collectBoth(t, srv, url, nil)
			if len(live.VpcPeerings) == 0 {
				t.Fatal("no peering connection in the live state")
			}
			if diff := cmp.Diff(live.VpcPeerings, snap.VpcPeerings, cmpopts.EquateEmpty(), cmpopts.EquateComparable(netip.Prefix{}),
				cmpopts.IgnoreFields(model.VpcPeeringConnection{}, "ExpiresAt")); diff != "" {
				t.Errorf("peering connections (-live +snapshot):\n%s", diff)
			}
			for _, x := range sc.Expect {
				if x.Verdict == "unknown" || queryError(live, x) != "" {
					continue
				}
				l, s := probeExpectation(t, live, x), probeExpectation(t, snap, x)
				if string(l.Verdict) != x.Verdict || s.Verdict != l.Verdict || causeOf(l.Summary) != causeOf(s.Summary) {
					t.Errorf("%s → %s: live %s, snapshot %s, want %s\nlive     %s\nsnapshot %s", x.From, x.To, l.Verdict, s.Verdict, x.Verdict, l.Summary, s.Summary)
				}
				if u := res.UndecidedBy(s); len(u) != 0 {
					t.Errorf("%s → %s undecided: %v", x.From, x.To, u)
				}
			}
		})
	}
}
