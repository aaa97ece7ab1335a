package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestSweep11RegionBeforeOtherProviders: a data source of another provider
// (terraform_remote_state) evaluated before the aws provider block no
// longer puts the configuration in the default region: everything is in
// the region the provider names (through a variable). A remote state of a
// backend ecsnet cannot read gives its defaults, and a warning; the
// stand-ins give the security-group module's owner_id and the ECS
// module's v3 outputs (ecs_cluster_*).
func TestSweep11RegionBeforeOtherProviders(t *testing.T) {
	res := load(t, "testdata/sweep11-region", nil)
	if res.Region != "eu-west-1" {
		t.Errorf("region %s, want eu-west-1", res.Region)
	}
	for _, r := range res.Skipped {
		if strings.Contains(r.Reason, "region") {
			t.Errorf("%s skipped: %s", r.Address, r.Reason)
		}
	}
	st, _ := res.Engine.Snapshot()
	if len(st.VPCs) != 1 {
		t.Fatalf("%d VPCs, want 1", len(st.VPCs))
	}
	for _, v := range st.VPCs {
		if v.CIDR.String() != "10.0.0.0/16" {
			t.Errorf("VPC %s, want the remote state's default 10.0.0.0/16", v.CIDR)
		}
	}
	if res.Outputs["sg_owner"] == "" || res.Outputs["cluster"] != "legacy" ||
		!strings.HasPrefix(res.Outputs["cluster_arn"], "arn:aws:ecs:eu-west-1:") {
		t.Errorf("outputs %v", res.Outputs)
	}
	var sum string
	for _, w := range res.Warnings {
		sum += w.String() + "\n"
	}
	if !strings.Contains(sum, `reads the state of another configuration (backend "s3"), which ecsnet cannot read`) {
		t.Errorf("no warning about the remote state:\n%s", sum)
	}
}

// TestSweep11RemoteStateLocal: terraform_remote_state with the local
// backend reads the state file's outputs, with their types.
func TestSweep11RemoteStateLocal(t *testing.T) {
	res := load(t, "testdata/sweep11-remote-state", nil)
	if res.Outputs["subnets"] != "2" {
		t.Errorf("subnets = %q, want 2", res.Outputs["subnets"])
	}
	st, _ := res.Engine.Snapshot()
	for _, v := range st.VPCs {
		if v.CIDR.String() != "10.8.0.0/16" {
			t.Errorf("VPC %s, want the state's 10.8.0.0/16", v.CIDR)
		}
	}
}

// TestSweep11ClusterCapacityProviders: before provider v5, aws_ecs_cluster
// took capacity_providers and default_capacity_provider_strategy itself; a
// service without a launch type runs on that strategy.
func TestSweep11ClusterCapacityProviders(t *testing.T) {
	res := load(t, "testdata/sweep11-cluster-cp", nil)
	st, _ := res.Engine.Snapshot()
	for _, cl := range st.Clusters {
		if len(cl.CapacityProviders) != 2 || len(cl.DefaultStrategy) != 1 ||
			cl.DefaultStrategy[0].CapacityProvider != "FARGATE_SPOT" {
			t.Errorf("cluster %s: providers %v, strategy %+v", cl.Name, cl.CapacityProviders, cl.DefaultStrategy)
		}
	}
	running := 0
	for _, tk := range st.Tasks {
		if tk.ServiceName == "app" && tk.LastStatus == "RUNNING" {
			running++
			if tk.CapacityProvider != "FARGATE_SPOT" {
				t.Errorf("task on %q, want FARGATE_SPOT", tk.CapacityProvider)
			}
		}
	}
	if running != 1 {
		t.Errorf("%d tasks running, want 1 on the default strategy (Fargate Spot)", running)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.String(), "does not read capacity_providers") {
			t.Errorf("warning: %s", w)
		}
	}
}

// TestSweep11Fleets: aws_spot_fleet_request (launch specifications from a
// dynamic block, one per subnet) and aws_ec2_fleet (a launch template with
// an override) launch the instances they ask for, Spot and On-Demand, which
// join the cluster through their user data; the bridge service runs a task
// on each. Before, both were skipped as not changing how packets flow.
func TestSweep11Fleets(t *testing.T) {
	res := load(t, "testdata/sweep11-fleet", nil)
	st, _ := res.Engine.Snapshot()
	spot, onDemand := 0, 0
	for _, in := range st.Instances {
		switch {
		case in.Spot != nil && in.Type == "m5.large" && in.Tags["Name"] == "spot-ecs":
			spot++
		case in.Spot == nil && in.Type == "c5.large":
			onDemand++
		default:
			t.Errorf("instance %s: %s spot=%v tags %v", in.ID, in.Type, in.Spot != nil, in.Tags)
		}
	}
	if spot != 2 || onDemand != 1 {
		t.Errorf("%d Spot and %d On-Demand instances, want 2 and 1", spot, onDemand)
	}
	if len(st.ContainerInstances) != 3 {
		t.Errorf("%d container instances, want 3", len(st.ContainerInstances))
	}
	running := 0
	for _, tk := range st.Tasks {
		if tk.LastStatus == "RUNNING" {
			running++
		}
	}
	if running != 3 {
		t.Errorf("%d tasks running, want 3", running)
	}
	for _, r := range res.Skipped {
		if r.Type == "aws_spot_fleet_request" || r.Type == "aws_ec2_fleet" {
			t.Errorf("%s skipped: %s", r.Address, r.Reason)
		}
	}
}

// TestSweep11DefaultResourceTags: the tags of aws_default_security_group
// and aws_default_network_acl (and the provider's default_tags) are put on
// the resources they adopt; before, they were dropped. data
// "aws_default_tags" gives the provider's default_tags.
func TestSweep11DefaultResourceTags(t *testing.T) {
	res := load(t, "testdata/sweep11-default-tags", nil)
	st, _ := res.Engine.Snapshot()
	n := 0
	for _, g := range st.SecurityGroups {
		if g.Name == "default" {
			n++
			if g.Tags["Name"] != "main-default-sg" || g.Tags["Team"] != "net" {
				t.Errorf("default group tags %v", g.Tags)
			}
		}
	}
	for _, a := range st.NetworkACLs {
		if a.IsDefault {
			n++
			if a.Tags["Name"] != "main-default-acl" || a.Tags["Team"] != "net" {
				t.Errorf("default ACL tags %v", a.Tags)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d default resources, want 2", n)
	}
	if res.Outputs["team"] != "net" {
		t.Errorf("data aws_default_tags: team = %q, want net", res.Outputs["team"])
	}
}

// TestSweep11InstanceTypeData: data "aws_ec2_instance_type" answers the
// type's vCPUs, memory, interfaces and architecture.
func TestSweep11InstanceTypeData(t *testing.T) {
	res := load(t, "testdata/sweep11-instance-type", nil)
	want := map[string]string{"cpu": "7168", "memory": "15360", "enis": "4", "arch": "x86_64"}
	for k, v := range want {
		if res.Outputs[k] != v {
			t.Errorf("%s = %q, want %q", k, res.Outputs[k], v)
		}
	}
}

// TestSweep11UnknownThroughLocal: an unknown required argument names the
// reference that is unknown, followed through local values, and not the
// known ones beside it.
func TestSweep11UnknownThroughLocal(t *testing.T) {
	_, err := terraform.Load("testdata/sweep11-unknown-local", terraform.Options{})
	if err == nil {
		t.Fatal("loaded; want an error for the cluster's unknown name")
	}
	msg := err.Error()
	if !strings.Contains(msg, "name depends on a value ecsnet does not know (data.aws_s3_object.config.body: a data source it does not answer)") ||
		strings.Contains(msg, "aws_cloudwatch_log_group") {
		t.Errorf("error: %s", msg)
	}
}

// TestSweep11VPCModuleDefaults: the VPC stand-in adopts the default
// security group, network ACL and route table with the module's names
// ("<name>-default") and the call's tags, and makes the flow log.
func TestSweep11VPCModuleDefaults(t *testing.T) {
	res := load(t, "testdata/sweep11-vpc-defaults", nil)
	st, _ := res.Engine.Snapshot()
	for _, g := range st.SecurityGroups {
		if g.Name == "default" && (g.Tags["Name"] != "web-default" || g.Tags["Tier"] != "sg") {
			t.Errorf("default group tags %v", g.Tags)
		}
	}
	for _, a := range st.NetworkACLs {
		if a.IsDefault && (a.Tags["Name"] != "web-default" || a.Tags["Tier"] != "acl") {
			t.Errorf("default ACL tags %v", a.Tags)
		}
	}
	for _, v := range st.VPCs {
		if rt := st.RouteTables[v.MainRouteTable]; rt == nil || rt.Tags["Name"] != "web-default" || rt.Tags["Tier"] != "rt" {
			t.Errorf("main route table %+v", rt)
		}
	}
	if len(st.FlowLogs) != 1 || !strings.HasPrefix(res.Outputs["flow"], "fl-") {
		t.Errorf("%d flow logs, output %q; want 1", len(st.FlowLogs), res.Outputs["flow"])
	}
}

// TestSweep11TLSImportedCertificate: tls_private_key and
// tls_self_signed_cert make a real key and certificate, which
// aws_acm_certificate imports into ACM (IMPORTED, its names from the
// certificate). Before, the import was taken for a request without a
// domain name and refused.
func TestSweep11TLSImportedCertificate(t *testing.T) {
	res := load(t, "testdata/sweep11-tls-import", nil)
	if res.Outputs["domain"] != "app.example.com" || res.Outputs["type"] != "IMPORTED" {
		t.Errorf("outputs %v", res.Outputs)
	}
	st, _ := res.Engine.Snapshot()
	c := st.Certificates[res.Outputs["arn"]]
	if c == nil || len(c.SANs) != 2 || c.Status != "ISSUED" {
		t.Errorf("certificate %+v", c)
	}
}

// TestSweep11LegacySyntax: what Terraform 1.11 does with Terraform 0.11's
// forms (checked with terraform validate): quoted references in depends_on
// are taken with a warning; quoted type constraints are refused; a list
// inside a list in a nested block's argument (["${var.groups}"]) is
// refused as the provider's schema refuses it.
func TestSweep11LegacySyntax(t *testing.T) {
	res := load(t, "testdata/sweep11-quoted-depends", nil)
	var sum string
	for _, w := range res.Warnings {
		sum += w.String() + "\n"
	}
	if !strings.Contains(sum, "main.tf:8: Quoted references are deprecated") {
		t.Errorf("warnings:\n%s", sum)
	}
	for name, c := range map[string]struct{ src, want string }{
		"quoted type": {`variable "l" {
  type = "list"
}`, `main.tf:2: Invalid quoted type constraints: Terraform 0.11 and earlier required type constraints to be given in quotes, but that form is now deprecated and will be removed in a future version of Terraform. Remove the quotes around "list" and write list(string) instead`},
		"nested list": {`variable "groups" {
  default = ["sg-1"]
}
resource "aws_spot_fleet_request" "f" {
  iam_fleet_role  = "arn:aws:iam::123456789012:role/fleet"
  target_capacity = 1
  launch_specification {
    ami                    = "ami-0c1f2a3b4d5e6f708"
    vpc_security_group_ids = ["${var.groups}"]
  }
}`, `main.tf:9: aws_spot_fleet_request.f: Incorrect attribute value type: Inappropriate value for attribute "vpc_security_group_ids": element 0: string required.`},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := terraform.Load(dir, terraform.Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", name, err, c.want)
		}
	}
}

// TestSweep11ECSModuleV2StrategyList: the ECS stand-in takes v2/v3's
// default_capacity_provider_strategy as a list of objects (before, a
// function error inside the stand-in: "Invalid value for "inputMap"").
func TestSweep11ECSModuleV2StrategyList(t *testing.T) {
	res := load(t, "testdata/sweep11-ecs-v2-strategy", nil)
	st, _ := res.Engine.Snapshot()
	for _, cl := range st.Clusters {
		if cl.Name != "legacy" || len(cl.CapacityProviders) != 2 || len(cl.DefaultStrategy) != 2 {
			t.Fatalf("cluster %s: providers %v, strategy %+v", cl.Name, cl.CapacityProviders, cl.DefaultStrategy)
		}
		for _, s := range cl.DefaultStrategy {
			if s.CapacityProvider == "FARGATE" && (s.Weight != 1 || s.Base != 1) || s.CapacityProvider == "FARGATE_SPOT" && s.Weight != 3 {
				t.Errorf("strategy item %+v", s)
			}
		}
	}
}

// TestSweep11ContainerDefinitionAndRoleStandIns: the stand-ins for
// cloudposse/ecs-container-definition (a container definition as the
// module renders it: camelCase, unset keys left out, map_environment
// sorted into a list) and iam-assumable-role (an ARN of IAM's shape), and
// the VPC stand-in's reuse_nat_ips. Before: "module "container" … is not
// installed: run terraform init".
func TestSweep11ContainerDefinitionAndRoleStandIns(t *testing.T) {
	res := load(t, "testdata/sweep11-container-definition", nil)
	if res.Outputs["role"] != "arn:aws:iam::123456789012:role/app-exec" {
		t.Errorf("role = %q", res.Outputs["role"])
	}
	if res.Outputs["env"] != `[{"name":"A","value":"1"},{"name":"B","value":"2"}]` {
		t.Errorf("env = %s", res.Outputs["env"])
	}
	st, _ := res.Engine.Snapshot()
	n := 0
	for _, td := range st.TaskDefinitions {
		n++
		c := td.Containers[0]
		if c.Name != "app" || c.Image != "nginx:1.27" || len(c.PortMappings) != 1 || c.PortMappings[0].ContainerPort != 8080 {
			t.Errorf("container %+v", c)
		}
	}
	if n != 1 {
		t.Errorf("%d task definitions, want 1", n)
	}
	if len(st.Addresses) != 2 || len(st.NatGateways) != 2 {
		t.Errorf("%d Elastic IPs and %d NAT gateways, want 2 and 2 (the caller's addresses reused)", len(st.Addresses), len(st.NatGateways))
	}
}
