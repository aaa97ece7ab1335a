package cfn_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestSweepLaunchTemplateTags: the instances an Auto Scaling group
// launches carry its launch template's TagSpecifications (here named
// ecs-host), and a group rule may name CloudFront's origin-facing list.
// The instance type is c3.large, previous generation, as older ECS samples
// use (it launched nothing before ecsnet knew it).
func TestSweepLaunchTemplateTags(t *testing.T) {
	res := load(t, "internal/cfn/testdata/sweep/launch-template-tags.yaml", nil)
	st := state(res)
	if len(st.Instances) != 1 {
		t.Fatalf("%d instances, want 1", len(st.Instances))
	}
	for _, in := range st.Instances {
		if in.Type != "c3.large" {
			t.Errorf("instance type = %s, want c3.large", in.Type)
		}
		if in.Tags["Name"] != "ecs-host" || in.Tags["Team"] != "web" {
			t.Errorf("instance tags = %v, want the launch template's Name=ecs-host, Team=web", in.Tags)
		}
	}
	g := st.SecurityGroups[model.SecurityGroupID(res.PhysicalIDs["Hosts"])]
	if g == nil || len(g.Ingress) != 1 || g.Ingress[0].PrefixList != "pl-3b927c52" {
		t.Errorf("Hosts group = %+v, want one rule from CloudFront's prefix list", g)
	}
}
