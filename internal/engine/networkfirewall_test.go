package engine_test

import (
	"net/netip"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/store/mem"
)

// A firewall: one GWLB endpoint per subnet, tagged as Network Firewall's;
// two subnets of a zone are refused; the firewall and its policy outlive
// a restart of a persisted engine.
func TestCreateNetworkFirewall(t *testing.T) {
	s := mem.New()
	e, err := engine.Open(s)
	if err != nil {
		t.Fatal(err)
	}
	vpc := orPanicT(t)(e.CreateVpc(engine.CreateVpcInput{CIDR: "10.0.0.0/16"}))
	sub := func(cidr, zone string) model.SubnetID {
		s, err := e.CreateSubnet(engine.CreateSubnetInput{VpcID: vpc.ID, CIDR: cidr, AvailabilityZone: zone})
		if err != nil {
			t.Fatal(err)
		}
		return s.ID
	}
	a, a2, b := sub("10.0.0.0/28", "us-east-1a"), sub("10.0.0.16/28", "us-east-1a"), sub("10.0.0.32/28", "us-east-1b")
	pol := model.FirewallPolicy{StrictOrder: true, StatefulDefault: "aws:drop_strict",
		StatefulRules: []model.FirewallStatefulRule{{Name: "https", Action: "pass", Match: model.FirewallMatch{Protocol: "tcp", FromPort: 443, ToPort: 443,
			Sources: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}}}}}
	if _, err := e.CreateNetworkFirewall(engine.CreateNetworkFirewallInput{Name: "fw", VpcID: vpc.ID, SubnetIDs: []model.SubnetID{a, a2}}); err == nil {
		t.Error("two subnets of one zone: no error")
	}
	fw, err := e.CreateNetworkFirewall(engine.CreateNetworkFirewallInput{Name: "fw", VpcID: vpc.ID, SubnetIDs: []model.SubnetID{a, b}, Policy: pol})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := e.Snapshot()
	for zone, id := range fw.Endpoints {
		ep := st.VpcEndpoints[id]
		if ep == nil || ep.Type != "GatewayLoadBalancer" || ep.Tags["AWSNetworkFirewallManaged"] != "true" || st.Subnets[ep.Subnets[0]].AvailabilityZone != zone {
			t.Errorf("endpoint in %s: %+v", zone, ep)
		}
	}
	if st.FirewallOfEndpoint(fw.Endpoints["us-east-1b"]) == nil {
		t.Error("FirewallOfEndpoint finds no firewall")
	}
	again, err := engine.Open(s)
	if err != nil {
		t.Fatal(err)
	}
	st2, _ := again.Snapshot()
	got := st2.NetworkFirewalls[fw.ARN]
	if got == nil || len(got.Endpoints) != 2 || len(got.Policy.StatefulRules) != 1 || got.Policy.StatefulRules[0].Match.Sources[0] != netip.MustParsePrefix("10.0.0.0/16") {
		t.Fatalf("restored firewall %+v", got)
	}
}

func orPanicT(t *testing.T) func(*model.VPC, error) *model.VPC {
	return func(v *model.VPC, err error) *model.VPC {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
