package cfn_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS::EC2::VPCBlockPublicAccessOptions sets the account's mode and
// AWS::EC2::VPCBlockPublicAccessExclusion exempts a subnet; the stack's
// steady state has both in force.
func TestBlockPublicAccessResources(t *testing.T) {
	res := loadText(t, "bpa.yaml", `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Sub:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}
  Bpa:
    Type: AWS::EC2::VPCBlockPublicAccessOptions
    Properties: {InternetGatewayBlockMode: block-bidirectional}
  Excl:
    Type: AWS::EC2::VPCBlockPublicAccessExclusion
    Properties: {SubnetId: !Ref Sub, InternetGatewayExclusionMode: allow-egress}
`, nil)
	st, _ := res.Engine.Snapshot()
	if st.BPAMode() != model.BPABidirectional {
		t.Errorf("mode %s", st.BPAMode())
	}
	id := res.PhysicalIDs["Excl"]
	x := st.BPAExclusions[model.BPAExclusionID(id)]
	if !strings.HasPrefix(id, "vpcbpa-exclude-") || x == nil || x.State != "create-complete" || x.Mode != model.BPAAllowEgress || string(x.SubnetID) != res.PhysicalIDs["Sub"] {
		t.Errorf("exclusion %s: %+v", id, x)
	}
}
