package terraform_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// Round thirty-eight (docs/terraform-acceptance.md, "Round thirty-eight"):
// Terraform as users write it.

// Instances of a type ecsnet does not model get placeholder ids of their
// own, stable per address, as AWS gives each its own id: a map keyed by
// them (a for_each's attachments, count's queues, a module called with
// count) is not refused as "Duplicate object key".
func TestTF38PlaceholderIdsDistinct(t *testing.T) {
	res := load(t, "testdata/tf38-placeholder-ids", nil)
	for k, want := range map[string]string{"attachments": "2", "queues": "6", "modules": "2"} {
		if got := res.Outputs[k]; got != want {
			t.Errorf("output %s = %q, want %q", k, got, want)
		}
	}
	again := load(t, "testdata/tf38-placeholder-ids", nil)
	if ids := res.Outputs["queue_ids"]; ids != again.Outputs["queue_ids"] || strings.Count(ids, ",") != 4 {
		t.Errorf("queue ids %q then %q, want five, the same for the same addresses", ids, again.Outputs["queue_ids"])
	}
}

// In terraform plan's view, each.value is the element of the for_each
// value as plan sees it: a map keyed statically whose values are ids
// passes them on unknown. The two counts terraform 1.11.4 refuses in
// testdata/tf38-plan-each (a module's count on var.vpc_id given
// each.value, a count on an attribute set from each.value) are refused,
// the two it plans are not.
func TestTF38PlanViewEachValue(t *testing.T) {
	var got []string
	for _, e := range loadErrs(t, "testdata/tf38-plan-each") {
		got = append(got, filepath.Base(e.File)+":"+strconv.Itoa(e.Line)+" "+e.Address+" "+strings.SplitN(e.Msg, ":", 2)[0])
	}
	want := []string{
		"main.tf:50 aws_vpc_security_group_ingress_rule.bad_attr Invalid count argument",
		`main.tf:15 module.bad_each_value["main"].aws_security_group.this Invalid count argument`,
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// With the local state of an earlier apply holding what a count depends
// on, terraform plan knows its ids and plans the count: the reader refuses
// nothing then (terraform 1.11.4, after `apply -target=aws_vpc.main
// -target=aws_security_group.per_vpc` of testdata/tf38-plan-each, plans
// all four). The state's backend decides where it is.
func TestTF38PlanViewPriorState(t *testing.T) {
	state := `{"version": 4, "terraform_version": "1.11.4", "serial": 3, "lineage": "x", "outputs": {},
  "resources": [
    {"mode": "managed", "type": "aws_security_group", "name": "per_vpc", "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
     "instances": [{"index_key": "main", "schema_version": 1, "attributes": {"id": "sg-0123456789abcdef0"}}]},
    {"mode": "managed", "type": "aws_vpc", "name": "main", "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
     "instances": [{"schema_version": 1, "attributes": {"id": "vpc-0123456789abcdef0"}}]}
  ], "check_results": null}`
	for _, tc := range []struct {
		name, backend, file string
		refused             int
	}{
		{"default local state", "", "terraform.tfstate", 0},
		{"backend local path", "terraform {\n  backend \"local\" {\n    path = \"state/dev.tfstate\"\n  }\n}", "state/dev.tfstate", 0},
		{"state of another backend", "terraform {\n  backend \"s3\" {}\n}", "terraform.tfstate", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			copyTree(t, "testdata/tf38-plan-each", dir)
			st := state
			if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, tc.file)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, tc.file), []byte(st), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "backend.tf"), []byte(tc.backend+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			var es terraform.Errors
			if _, err := terraform.Load(dir, terraform.Options{}); err != nil && !errors.As(err, &es) {
				t.Fatal(err)
			}
			if len(es) != tc.refused {
				t.Errorf("%d errors, want %d: %v", len(es), tc.refused, es)
			}
		})
	}
}

// A state whose route table has an inline route to a Network Firewall
// endpoint (the route block's vpc_endpoint_id, from the firewall's
// firewall_status[0].sync_states): the route table comes before the
// firewall, so the route is made once the firewall's endpoints exist, to
// the engine's endpoint of the zone.
func TestTF38NetworkFirewallInlineRouteState(t *testing.T) {
	res, err := terraform.LoadJSON("testdata/tf38-nfw-inline-state.json", terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := res.Engine.Snapshot()
	if len(st.NetworkFirewalls) != 1 {
		t.Fatalf("firewalls %v", st.NetworkFirewalls)
	}
	for _, fw := range st.NetworkFirewalls {
		ep := fw.Endpoints["us-east-1a"]
		rt := st.RouteTables[model.RouteTableID(res.Names["aws_route_table.public"])]
		if rt == nil {
			t.Fatalf("no route table aws_route_table.public (%q)", res.Names["aws_route_table.public"])
		}
		found := false
		for _, r := range rt.Routes {
			found = found || r.Target == model.TargetVpcEndpoint && r.TargetID == string(ep) && r.Destination.String() == "0.0.0.0/0"
		}
		if ep == "" || !found {
			t.Errorf("routes %+v: none to the firewall endpoint %q", rt.Routes, ep)
		}
	}
}

// Inline routes to a Network Firewall's endpoints, in a configuration and
// in its plan (`terraform show -json`): each public table's default route
// goes to the endpoint of its own subnet's zone. The plan leaves the
// targets out (known after apply) and names only the route argument's
// references: the reader finds the target from them once the firewall
// exists (through a local value, which the plan keeps no references of:
// the plan's only firewall), and the counted tables and associations are
// each their own instance's (count.index).
func TestTF38NetworkFirewallInlineRoutes(t *testing.T) {
	for _, src := range []string{"testdata/tf38-nfw-inline", "testdata/tf38-nfw-inline-plan.json"} {
		t.Run(filepath.Base(src), func(t *testing.T) {
			var res *terraform.Result
			var err error
			if strings.HasSuffix(src, ".json") {
				res, err = terraform.LoadJSON(src, terraform.Options{})
			} else {
				res, err = terraform.Load(src, terraform.Options{})
			}
			if err != nil {
				t.Fatal(err)
			}
			st, _ := res.Engine.Snapshot()
			if len(st.NetworkFirewalls) != 1 {
				t.Fatalf("firewalls %v", st.NetworkFirewalls)
			}
			var fw *model.NetworkFirewall
			for _, f := range st.NetworkFirewalls {
				fw = f
			}
			for i := range 2 {
				sn := st.Subnets[model.SubnetID(res.Names[fmt.Sprintf("aws_subnet.public[%d]", i)])]
				rt := st.RouteTables[model.RouteTableID(res.Names[fmt.Sprintf("aws_route_table.public[%d]", i)])]
				if sn == nil || rt == nil {
					t.Fatalf("public[%d]: subnet %v, table %v", i, sn, rt)
				}
				if got := st.SubnetRouteTable(sn.ID); got == nil || got.ID != rt.ID {
					t.Errorf("subnet public[%d] is not associated with table public[%d]", i, i)
				}
				ep := fw.Endpoints[sn.AvailabilityZone]
				found := false
				for _, r := range rt.Routes {
					found = found || r.Target == model.TargetVpcEndpoint && r.TargetID == string(ep) && r.Destination.String() == "0.0.0.0/0"
				}
				if ep == "" || !found {
					t.Errorf("table public[%d] routes %+v: none to the endpoint of %s (%q)", i, rt.Routes, sn.AvailabilityZone, ep)
				}
				// The edge table sends each public subnet's replies back
				// through its zone's endpoint (in the plan, its target
				// comes through a local value: the plan's only firewall).
				edge := st.RouteTables[model.RouteTableID(res.Names["aws_route_table.ingress"])]
				if edge == nil {
					t.Fatal("no table aws_route_table.ingress")
				}
				back := false
				for _, r := range edge.Routes {
					back = back || r.Target == model.TargetVpcEndpoint && r.TargetID == string(ep) && r.Destination == sn.CIDR
				}
				if !back {
					t.Errorf("edge table routes %+v: none for %s to %q", edge.Routes, sn.CIDR, ep)
				}
			}
		})
	}
}

// cloudposse/alb's newest release opens HTTP and HTTPS to 0.0.0.0/0 and
// ::/0 by default, the IPv6 blocks only on a dualstack load balancer
// (cloudposse/terraform-aws-alb#186): the stand-in's group admits IPv6
// clients on a dualstack ALB and not on an IPv4 one.
func TestTF38CloudposseAlbIPv6Ingress(t *testing.T) {
	res := load(t, "testdata/tf38-cloudposse-alb", nil)
	st, _ := res.Engine.Snapshot()
	ingress := func(out string) []string {
		sg := st.SecurityGroups[model.SecurityGroupID(res.Outputs[out])]
		if sg == nil {
			t.Fatalf("output %s: no group %q", out, res.Outputs[out])
		}
		var got []string
		for _, r := range sg.Ingress {
			got = append(got, fmt.Sprintf("%s %d", r.CIDR, r.Ports.First))
		}
		slices.Sort(got)
		return got
	}
	if got, want := ingress("v4_sg"), []string{"0.0.0.0/0 80"}; !slices.Equal(got, want) {
		t.Errorf("IPv4 ALB ingress %v, want %v", got, want)
	}
	if got, want := ingress("dual_sg"), []string{"0.0.0.0/0 443", "0.0.0.0/0 80", "::/0 443", "::/0 80"}; !slices.Equal(got, want) {
		t.Errorf("dualstack ALB ingress %v, want %v", got, want)
	}
}

// Container definitions whose keys are capitalized ("Name", "Image",
// "PortMappings", "Environment") are read as the provider's encoding/json
// reads them, without regard to case: ECS gets the container's name,
// image, port and environment (before: "Container.name should not be null
// or empty").
func TestTF38ContainerDefinitionKeysAnyCase(t *testing.T) {
	res := load(t, "testdata/tf38-container-keys", nil)
	st, _ := res.Engine.Snapshot()
	if len(st.TaskDefinitions) != 1 {
		t.Fatalf("task definitions %v", st.TaskDefinitions)
	}
	for _, td := range st.TaskDefinitions {
		if len(td.Containers) != 1 {
			t.Fatalf("containers %+v", td.Containers)
		}
		c := td.Containers[0]
		if c.Name != "app" || c.Image != "public.ecr.aws/docker/library/nginx:latest" || len(c.PortMappings) != 1 || c.PortMappings[0].ContainerPort != 80 ||
			len(c.Environment) != 1 || c.Environment[0].Name != "MODE" || c.Environment[0].Value != "demo" {
			t.Errorf("container %+v", c)
		}
	}
}

// The ecs service stand-in takes a container's log_configuration that
// gives only the log driver, with the module's CloudWatch logging on and
// off (terraform-aws-modules/terraform-aws-ecs examples/ec2-autoscaling
// does so); before, the stand-in's own conditional refused it
// ("Inconsistent conditional result types").
func TestTF38EcsServiceStandinLogDriverOnly(t *testing.T) {
	res := load(t, "testdata/tf38-ecs-service-log", nil)
	st, _ := res.Engine.Snapshot()
	var names []string
	for _, td := range st.TaskDefinitions {
		for _, c := range td.Containers {
			names = append(names, c.Name)
		}
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"app", "sidecar"}) {
		t.Errorf("containers %v, want app and sidecar", names)
	}
}

// Two aws_appautoscaling_policy resources of one name on one scalable
// target are one policy (PutScalingPolicy creates or updates it): the
// reader warns once, naming both; a policy of its own name is not named.
// Against `ecsnet serve` the second plan of the Proton template this is
// written after shows the first policy changed back, as on AWS.
func TestTF38SameScalingPolicyName(t *testing.T) {
	_, ws, err := loadWarnings("testdata/tf38-same-scaling-policy")
	if err != nil {
		t.Fatal(err)
	}
	var same []string
	for _, w := range ws {
		if strings.Contains(w.Msg, "are the same scaling policy") {
			same = append(same, w.Msg)
		}
	}
	if len(same) != 1 || !strings.Contains(same[0], "aws_appautoscaling_policy.cpu and aws_appautoscaling_policy.memory") || strings.Contains(same[0], "requests") {
		t.Errorf("warnings %q, want one naming cpu and memory", same)
	}
}

// Under hashicorp/aws v5 an attribute only v6 has (region, which v6 added
// to every resource and data source) is "Unsupported attribute" at its
// line, the three terraform 1.11.4's validate refuses in
// testdata/tf38-v5-attributes; without the constraint (v6) they are read.
func TestTF38AttributeOfAnotherMajor(t *testing.T) {
	var got []string
	for _, e := range loadErrs(t, "testdata/tf38-v5-attributes") {
		got = append(got, filepath.Base(e.File)+":"+strconv.Itoa(e.Line)+" "+strings.SplitN(e.Msg, ":", 2)[0])
	}
	want := []string{"main.tf:31 Unsupported attribute", "main.tf:35 Unsupported attribute", "main.tf:39 Unsupported attribute"}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("errors %q, want %q", got, want)
	}
	dir := t.TempDir()
	copyTree(t, "testdata/tf38-v5-attributes", dir)
	b, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(strings.Replace(string(b), `"~> 5.0"`, `">= 5.0"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if res := load(t, dir, nil); res.Outputs["region_v6"] != "eu-west-1" {
		t.Errorf("under v6 region_v6 = %q, want eu-west-1", res.Outputs["region_v6"])
	}
}
