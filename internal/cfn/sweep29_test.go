package cfn_test

import (
	"path/filepath"
	"strings"
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

// TestSweep29FailedNatGatewayRollsBack: a public NAT gateway in a VPC
// without an internet gateway fails (Gateway.NotAttached) and the rollback
// deletes it, so the VPC is deleted too, as CloudFormation's rollback does
// (the failed gateway's DELETE_COMPLETE). Before round twenty-nine the
// failed gateway stayed and the VPC's deletion failed ("has dependencies":
// ROLLBACK_FAILED).
func TestSweep29FailedNatGatewayRollsBack(t *testing.T) {
	tpl, err := cfn.ReadTemplate(sweep29("nat-without-igw.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	_, err = cfn.Deploy(e, tpl, cfn.DeployOptions{})
	if err == nil || !strings.Contains(err.Error(), "Gateway.NotAttached") {
		t.Fatalf("deploy: %v, want the NAT gateway's Gateway.NotAttached", err)
	}
	if strings.Contains(err.Error(), "has dependencies") {
		t.Errorf("the rollback failed: %v", err)
	}
	e.Read(func(st *model.State) {
		for _, v := range st.VPCs {
			if !v.IsDefault {
				t.Errorf("the stack's VPC %s is left", v.ID)
			}
		}
		for _, ng := range st.NatGateways {
			if ng.State != "deleted" {
				t.Errorf("NAT gateway %s is %s, want deleted", ng.ID, ng.State)
			}
		}
	})
}
