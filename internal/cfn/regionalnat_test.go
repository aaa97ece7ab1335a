package cfn_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// TestRegionalNatGatewayTemplate: AWS::EC2::NatGateway with
// AvailabilityMode regional (VpcId, no SubnetId) deploys as CDK's
// RegionalNatGatewayProvider writes it: in automatic mode (AllocationId)
// the gateway serves every zone of the VPC's subnets, the Elastic IP in
// the first; in manual mode (AvailabilityZoneAddresses) the listed zones
// only. A worker in the third zone, routed to the manual gateway, gets no
// translation (ECS_REGIONAL_NAT_ZONE_NOT_SERVED); the others reach the
// internet from their zone's address. Before round thirty-five the
// template was refused as what ecsnet did not model.
func TestRegionalNatGatewayTemplate(t *testing.T) {
	res, err := cfn.Load("testdata/regionalnat/cdk-regional-nat.yaml", nil, engine.WithStartCheck(reach.StartCheck))
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Outputs["AutoZones"]; got != "enabled" {
		t.Errorf("GetAtt Auto.AutoProvisionZones = %q, want enabled", got)
	}
	res.Engine.Read(func(st *model.State) {
		auto := st.NatGateways[model.NatGatewayID(res.PhysicalIDs["Auto"])]
		manual := st.NatGateways[model.NatGatewayID(res.PhysicalIDs["Manual"])]
		if auto == nil || manual == nil {
			t.Fatalf("NAT gateways %v", st.NatGateways)
		}
		if !auto.Regional() || auto.SubnetID != "" || len(auto.ZoneAddresses) != 3 || auto.ZoneAddresses[0].PublicIP.String() != res.PhysicalIDs["NatEip"] || auto.ZoneAddresses[0].AllocationID == "" {
			t.Errorf("automatic mode gateway: %+v", auto)
		}
		if manual.AutoProvisionZones || len(manual.ZoneAddresses) != 2 || manual.State != "available" {
			t.Errorf("manual mode gateway: %+v", manual)
		}
	})
	a := probe(t, res, "worker-a", "8.8.8.8:443")
	b := probe(t, res, "worker-b", "8.8.8.8:443")
	if a.Verdict != reach.Connected || b.Verdict != reach.Connected {
		t.Fatalf("workers a and b: %s, %s; want connected (%s | %s)", a.Verdict, b.Verdict, a.Summary, b.Summary)
	}
	c := probe(t, res, "worker-c", "8.8.8.8:443")
	if c.Verdict != reach.Timeout || len(c.Blocking()) == 0 || c.Blocking()[0].Code != reach.CodeRegionalNATZoneNotServed ||
		!strings.Contains(c.Blocking()[0].Message, "manual-nat") {
		t.Errorf("worker-c: %s %+v, want a timeout at the manual gateway (zone not served)", c.Verdict, c.Blocking())
	}
}

// TestRegionalNatGatewayTemplateRefusals: what a regional NAT gateway
// cannot take is refused on the property.
func TestRegionalNatGatewayTemplateRefusals(t *testing.T) {
	base := `Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Sub: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}}
  Nat:
    Type: AWS::EC2::NatGateway
    Properties:
      AvailabilityMode: regional
`
	for _, c := range []struct{ props, want string }{
		{"      SubnetId: !Ref Sub\n      VpcId: !Ref Vpc\n", "SubnetId cannot be specified for a regional NAT gateway"},
		{"      VpcId: !Ref Vpc\n      ConnectivityType: private\n", "public connectivity only"},
		{"      ConnectivityType: public\n", "VpcId"},
	} {
		path := filepath.Join(t.TempDir(), "nat.yaml")
		if err := os.WriteFile(path, []byte(base+c.props), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := cfn.Load(path, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", strings.TrimSpace(c.props), err, c.want)
		}
	}
}
