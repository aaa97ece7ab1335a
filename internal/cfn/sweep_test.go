package cfn_test

import (
	"os"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
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

// TestLanguageExtensions: a template with Transform
// AWS::LanguageExtensions has its Fn::ForEach loops expanded with the
// parameters' values (resources and outputs), and Fn::Length,
// Fn::ToJsonString and Fn::FindInMap's DefaultValue evaluated.
func TestLanguageExtensions(t *testing.T) {
	const rel = "internal/cfn/testdata/sweep/language-extensions.yaml"
	res := load(t, rel, nil)
	st := state(res)
	if len(st.Subnets) != 2 || res.PhysicalIDs["Subneta"] == "" || res.PhysicalIDs["Subnetb"] == "" || res.PhysicalIDs["Assocb"] == "" {
		t.Errorf("defaults: %d subnets, ids %v; want Subneta and Subnetb, associated", len(st.Subnets), res.PhysicalIDs)
	}
	res = load(t, rel, map[string]string{"Tiers": "a,b,c", "Env": "prod"})
	st = state(res)
	if len(st.Subnets) != 3 {
		t.Fatalf("Tiers a,b,c: %d subnets, want 3", len(st.Subnets))
	}
	sub := st.Subnets[model.SubnetID(res.PhysicalIDs["Subnetc"])]
	if sub == nil || sub.CIDR.String() != "10.60.2.0/24" || sub.AvailabilityZone != "us-east-1c" || sub.Tags["Name"] != "public-c" {
		t.Errorf("Subnetc = %+v, want 10.60.2.0/24 in us-east-1c named public-c", sub)
	}
	if rt := st.RouteTables[model.RouteTableID(res.PhysicalIDs["Public"])]; rt == nil || len(rt.Associations) != 3 {
		t.Errorf("route table Public = %+v, want 3 associations", rt)
	}
	outs := map[string]string{}
	for _, o := range res.Stacks[0].Outputs {
		outs[o.Name] = o.Value
	}
	if outs["TierCount"] != "3" || outs["SubnetcId"] != res.PhysicalIDs["Subnetc"] {
		t.Errorf("outputs = %v", outs)
	}
	for _, v := range st.VPCs {
		if v.Tags["tiers"] != `{"count":"3"}` {
			t.Errorf("VPC tag tiers = %q, want Fn::ToJsonString's {\"count\":\"3\"}", v.Tags["tiers"])
		}
	}
	// Without the transform the functions are refused.
	plain := strings.Replace(readFile(t, rel), "Transform: AWS::LanguageExtensions\n", "", 1)
	if _, err := cfn.Load(writeTemp(t, "plain.yaml", plain), nil); err == nil {
		t.Errorf("Fn::ForEach without the transform was accepted")
	}
}

func readFile(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(repoFile(rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
