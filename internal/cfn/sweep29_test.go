package cfn_test

import (
	"path/filepath"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

func sweep29(name string) string { return filepath.Join("testdata", "sweep29", name) }

// TestSweep29NatGatewayBeforeAttachment: a public NAT gateway written
// before the internet gateway and its attachment, with no DependsOn on
// them (aws-samples/aws-proton-cloudformation-sample-templates'
// fargate-env), is available: CloudFormation attaches the gateway while
// the NAT gateway is pending. Before round twenty-nine ecsnet created the
// NAT gateway first and it failed (Gateway.NotAttached).
func TestSweep29NatGatewayBeforeAttachment(t *testing.T) {
	res, err := cfn.Load(sweep29("nat-before-igw.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	res.Engine.Read(func(st *model.State) {
		for _, ng := range st.NatGateways {
			states[ng.ConnectivityType] += ng.State + " " + ng.FailureCode
		}
	})
	if len(states) != 2 {
		t.Fatalf("NAT gateways: %v", states)
	}
	for kind, state := range states {
		if state != "available " {
			t.Errorf("the %q NAT gateway is %q, want available", kind, state)
		}
	}
}
