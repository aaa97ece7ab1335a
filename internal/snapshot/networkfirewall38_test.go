package snapshot_test

import (
	"net/netip"
	"reflect"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// A firewall whose policy holds a domain allowlist's rules (application
// protocol, SNI content with dotprefix, $HOME_NET and $EXTERNAL_NET) and
// a HOME_NET policy variable is written as one RulesString and the
// PolicyVariables, and reads back the same.
func TestNetworkFirewallRulesStringRoundTrip(t *testing.T) {
	st := scenarioState(t, "../../examples/failures/analyzer-only/network-firewall-domain-allowlist-ecr.yaml").Clone()
	var fw *model.NetworkFirewall
	for _, f := range st.NetworkFirewalls {
		fw = f
	}
	fw.Policy.HomeNet = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	want := fw.Policy
	if len(want.StatefulRules) != 8 {
		t.Fatalf("%d stateful rules in the story, want 8 (three names by SNI and by Host, two drops)", len(want.StatefulRules))
	}
	dir, _ := writeSnapshot(t, st)
	back, _ := load(t, dir).Engine.Snapshot()
	got := back.NetworkFirewalls[fw.ARN]
	if got == nil {
		t.Fatal("no firewall read back")
	}
	if !reflect.DeepEqual(got.Policy.HomeNet, want.HomeNet) || len(got.Policy.StatefulRules) != len(want.StatefulRules) {
		t.Fatalf("policy %+v, want %+v", got.Policy, want)
	}
	for i, r := range got.Policy.StatefulRules {
		w := want.StatefulRules[i]
		r.Group, r.Line, w.Group, w.Line = "", 0, "", 0
		if !reflect.DeepEqual(r, w) {
			t.Errorf("rule %d:\n got %+v\nwant %+v", i+1, r, w)
		}
	}
}
