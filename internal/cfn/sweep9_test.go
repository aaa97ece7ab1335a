package cfn_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestSweepUnknownProperty: a property a resource type does not have is a
// warning of the analyzer, at its line, with a did-you-mean; a deploy with
// StrictProperties (the emulator's) fails the resource before creating
// anything, with CloudFormation's validation message.
func TestSweepUnknownProperty(t *testing.T) {
	const rel = "internal/cfn/testdata/sweep/unknown-property.yaml"
	res := load(t, rel, nil)
	found := false
	for _, w := range res.Warnings {
		if w.Line == 15 && strings.Contains(w.Msg, "HealthCheckPth is not a property of AWS::ElasticLoadBalancingV2::TargetGroup (did you mean HealthCheckPath?)") {
			found = true
		}
	}
	if !found {
		t.Errorf("warnings = %v, want HealthCheckPth at line 15 with a did-you-mean", res.Warnings)
	}

	tpl, err := cfn.ReadTemplate("testdata/sweep/unknown-property.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	_, err = cfn.Deploy(e, tpl, cfn.DeployOptions{StrictProperties: true})
	var ce *cfn.Error
	if !errors.As(err, &ce) || !ce.Validation || ce.Resource != "Group" || ce.Line != 15 ||
		ce.Msg != "Properties validation failed for resource Group with message: [#: extraneous key [HealthCheckPth] is not permitted]" {
		t.Fatalf("strict deploy: %#v, want the validation failure of Group at line 15", err)
	}
	e.Read(func(st *model.State) {
		for _, v := range st.VPCs {
			if !v.IsDefault {
				t.Errorf("VPC %s after the failed validation, want none created", v.ID)
			}
		}
	})
}

// TestSweepListenerRace: a service that does not depend on the listener
// putting its target group behind the load balancer is warned of at its
// line (CloudFormation may create it first, and ECS refuses it); one with
// DependsOn is not.
func TestSweepListenerRace(t *testing.T) {
	res := load(t, "internal/cfn/testdata/sweep/listener-race.yaml", nil)
	var lines []int
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "does not have an associated load balancer") {
			lines = append(lines, w.Line)
			if !strings.Contains(w.Msg, "Service (AWS::ECS::Service) does not depend on Listener") || !strings.Contains(w.Msg, "add DependsOn: Listener") {
				t.Errorf("warning = %q", w.Msg)
			}
		}
	}
	if len(lines) != 1 || lines[0] != 38 {
		t.Errorf("race warnings at lines %v, want one at line 38 (Service, not FixedService)", lines)
	}
}

// TestStrictPropertiesNestedStack: a nested stack (a type CloudFormation
// checks itself) with a property it does not have fails when it is
// created, "Encountered unsupported property" (aws/aws-sdk#740), not in
// the validation before the stack's resources are created.
func TestStrictPropertiesNestedStack(t *testing.T) {
	const body = `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.5.0.0/16}
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: child.yaml
      TemplateBody: {Resources: {}}
`
	tpl, err := cfn.ParseTemplate("parent.yaml", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfn.Deploy(cfn.NewEngine(), tpl, cfn.DeployOptions{StrictProperties: true})
	var ce *cfn.Error
	if !errors.As(err, &ce) || ce.Validation || ce.Resource != "Child" || ce.Line != 9 || ce.Msg != "Encountered unsupported property TemplateBody" {
		t.Fatalf("deploy: %#v, want Child failing at line 9 with Encountered unsupported property TemplateBody", err)
	}
}

// TestSweepMixedInstances: a group whose launch template names no
// instance type launches the MixedInstancesPolicy's first override, as
// Spot when nothing above the base is on-demand, and on-demand when all is;
// an override of InstanceRequirements launches the smallest type that has
// them; Ref of a Route 53 hosted zone (not modelled) is shaped as its ID.
func TestSweepMixedInstances(t *testing.T) {
	for _, tc := range []struct {
		percent string
		spot    bool
	}{{"0", true}, {"100", false}} {
		res := load(t, "internal/cfn/testdata/sweep/mixed-instances.yaml", map[string]string{"OnDemandPercent": tc.percent})
		st := state(res)
		types := map[string]int{}
		for _, in := range st.Instances {
			types[in.Type]++
			if in.Type == "m5.large" && (in.Spot != nil) != tc.spot {
				t.Errorf("OnDemandPercent=%s: instance %s spot = %v, want %v", tc.percent, in.ID, in.Spot != nil, tc.spot)
			}
			if in.Type == "c5.large" && in.Spot == nil {
				t.Errorf("instance %s of the attribute-based group is on-demand, want Spot", in.ID)
			}
		}
		// Group: two of the first override; ByAttributes: the smallest
		// type with 2-4 vCPUs and 4-8 GiB, not burstable, Intel or AMD.
		if types["m5.large"] != 2 || types["c5.large"] != 1 || len(types) != 2 {
			t.Errorf("OnDemandPercent=%s: instance types %v, want 2 m5.large and 1 c5.large", tc.percent, types)
		}
		if g := st.AutoScalingGroups[res.PhysicalIDs["Group"]]; g != nil {
			if g.MixedInstances == nil || len(g.MixedInstances.Overrides) != 2 || g.MixedInstances.OnDemandAllocationStrategy != "prioritized" {
				t.Errorf("group's mixed instances policy = %+v, want the two overrides and the API's defaults", g.MixedInstances)
			}
		}
		if z := res.PhysicalIDs["Zone"]; len(z) != 21 || z[0] != 'Z' {
			t.Errorf("Ref of the hosted zone = %q, want a hosted zone ID (Z…)", z)
		}
	}
}
