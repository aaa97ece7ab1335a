package engine_test

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// A firewall policy's HOME_NET (PolicyVariables) is the home network of
// the firewalls that use it, on create and after UpdateFirewallPolicy.
func TestFirewallPolicyHomeNet(t *testing.T) {
	f := newNetFixture(t, false)
	home := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	p := need(f.e.CreateFirewallPolicy(model.NetworkFirewallPolicy{Name: "p", HomeNet: home}))
	fw := need(f.e.CreateNetworkFirewall(engine.CreateNetworkFirewallInput{Name: "fw", VpcID: f.vpc.ID, SubnetIDs: []model.SubnetID{f.a.ID}, PolicyARN: p.ARN}))
	if !slices.Equal(fw.Policy.HomeNet, home) {
		t.Errorf("the firewall's home network = %v, want %v", fw.Policy.HomeNet, home)
	}
	wider := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.0.0/16")}
	need(f.e.UpdateFirewallPolicy(engine.NFRef{ARN: p.ARN}, p.UpdateToken, model.NetworkFirewallPolicy{HomeNet: wider}))
	var got []netip.Prefix
	f.e.Read(func(st *model.State) { got = st.NetworkFirewalls[fw.ARN].Policy.HomeNet })
	if !slices.Equal(got, wider) {
		t.Errorf("after UpdateFirewallPolicy: %v, want %v", got, wider)
	}
}
