package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestSweep13UserDataAlreadyEncoded: an aws_instance whose user_data is
// base64encode(...) joins the cluster its script names (the provider
// sends base64 as written, not encoded twice), as does a launch
// configuration's plain-text script; before, the instance's script was
// encoded twice and it joined no cluster.
func TestSweep13UserDataAlreadyEncoded(t *testing.T) {
	res := load(t, "testdata/sweep13-userdata-b64", nil)
	st, _ := res.Engine.Snapshot()
	if len(st.Instances) != 2 {
		t.Fatalf("%d instances, want 2", len(st.Instances))
	}
	if len(st.ContainerInstances) != 2 {
		t.Errorf("%d container instances, want 2 (both join b64)", len(st.ContainerInstances))
	}
	for _, ci := range st.ContainerInstances {
		if !strings.HasSuffix(ci.ClusterARN, ":cluster/b64") {
			t.Errorf("container instance in %s", ci.ClusterARN)
		}
	}
}

// TestSweep13ResourcePrefix: "resource.TYPE.NAME" references read as
// "TYPE.NAME" (they said "There is no variable named \"resource\""); one
// without a type and a name is refused with Terraform's text.
func TestSweep13ResourcePrefix(t *testing.T) {
	res := load(t, "testdata/sweep13-resource-prefix", nil)
	st, _ := res.Engine.Snapshot()
	if len(st.Subnets) != 2 || len(st.LoadBalancers) != 1 {
		t.Fatalf("%d subnets, %d load balancers", len(st.Subnets), len(st.LoadBalancers))
	}
	for _, sn := range st.Subnets {
		if p := sn.CIDR.String(); p != "10.9.1.0/24" && p != "10.9.2.0/24" {
			t.Errorf("subnet %s", p)
		}
	}
	assoc := 0
	for _, rt := range st.RouteTables {
		for _, a := range rt.Associations {
			if a.SubnetID != "" {
				assoc++
			}
		}
	}
	if assoc != 2 {
		t.Errorf("%d subnet associations, want 2", assoc)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "b" {
  vpc_id     = resource.aws_vpc
  cidr_block = "10.0.1.0/24"
}
`), 0o644)
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), `main.tf:5: Invalid reference: The "resource" object must be followed by two attribute names: the resource type and the resource name.`) {
		t.Errorf("err = %v", err)
	}
}

// TestSweep13NullArgumentNotUnread: an argument set to null is one not
// set (Terraform's reading), so it is not said unread; one with a value
// ecsnet does not read still is.
func TestSweep13NullArgumentNotUnread(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`provider "aws" {
  region = "eu-west-1"
}
resource "aws_launch_configuration" "lc" {
  name          = "lc"
  name_prefix   = null
  image_id      = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  ebs_optimized = false
}
`), 0o644)
	res, err := terraform.Load(dir, terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sum string
	for _, w := range res.Warnings {
		sum += w.String() + "\n"
	}
	if strings.Contains(sum, "name_prefix") || !strings.Contains(sum, "does not read ebs_optimized (") {
		t.Errorf("warnings:\n%s", sum)
	}
}

// TestSweep13FargateSpotProvider: FARGATE_SPOT in the ECS module's
// fargate_capacity_providers is the cluster's and in its default strategy;
// it was said ignored (a list literal ["FARGATE"] in a stand-in was taken
// for a key the stand-in reads, so the level was not names).
func TestSweep13FargateSpotProvider(t *testing.T) {
	res := load(t, "testdata/sweep13-fargate-spot", nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.String(), "ignores") {
			t.Errorf("warning: %s", w)
		}
	}
	st, _ := res.Engine.Snapshot()
	for _, cl := range st.Clusters {
		got := map[string]int{}
		for _, s := range cl.DefaultStrategy {
			got[s.CapacityProvider] = s.Weight
		}
		if len(got) != 2 || got["FARGATE"] != 1 || got["FARGATE_SPOT"] != 3 {
			t.Errorf("strategy %+v", cl.DefaultStrategy)
		}
	}
}

// TestSweep13ServiceModuleRuntimePlatform: the ECS service module's
// runtime_platform reaches the task definition, and without one the
// module's default (X86_64, LINUX) does; it was ignored by the stand-in.
func TestSweep13ServiceModuleRuntimePlatform(t *testing.T) {
	res := load(t, "testdata/sweep13-service-runtime", nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.String(), "runtime_platform") {
			t.Errorf("warning: %s", w)
		}
	}
	st, _ := res.Engine.Snapshot()
	got := map[string]string{}
	for _, td := range st.TaskDefinitions {
		if td.RuntimePlatform == nil {
			got[td.Family] = "none"
			continue
		}
		got[td.Family] = td.RuntimePlatform.CPUArchitecture + "/" + td.RuntimePlatform.OperatingSystemFamily
	}
	if got["plain"] != "X86_64/LINUX" || got["graviton"] != "ARM64/LINUX" {
		t.Errorf("runtime platforms %v", got)
	}
}

// TestSweep13ACMModule: terraform-aws-modules/acm/aws without `terraform
// init` is read with ecsnet's stand-in (it was "not installed: run
// terraform init"): the certificate is issued and its ARN is on the ALB
// module's HTTPS listener. The ECS service module's container keeps its
// secrets and logConfiguration (they were dropped), so the start check
// sees what the task fetches.
func TestSweep13ACMModule(t *testing.T) {
	res := load(t, "testdata/sweep13-acm-module", nil)
	st, _ := res.Engine.Snapshot()
	if len(st.Certificates) != 1 {
		t.Fatalf("%d certificates, want 1", len(st.Certificates))
	}
	var certARN string
	for _, c := range st.Certificates {
		certARN = c.ARN
		if c.DomainName != "app.example.net" || c.Status != "ISSUED" {
			t.Errorf("certificate %s %s", c.DomainName, c.Status)
		}
	}
	found := false
	for _, l := range st.Listeners {
		for _, c := range l.Certificates {
			found = found || c == certARN
		}
	}
	if !found {
		t.Errorf("no listener has the certificate %s", certARN)
	}
	for _, w := range res.Warnings {
		if s := w.String(); strings.Contains(s, "secrets") || strings.Contains(s, "log_configuration") {
			t.Errorf("warning: %s", s)
		}
	}
	for _, td := range st.TaskDefinitions {
		if td.Family != "app" {
			continue
		}
		c := td.Containers[0]
		if _, ok := c.Raw["secrets"]; !ok {
			t.Errorf("container %s has no secrets: %v", c.Name, c.Raw)
		}
		if _, ok := c.Raw["logConfiguration"]; !ok {
			t.Errorf("container %s has no logConfiguration: %v", c.Name, c.Raw)
		}
	}
}

// TestSweep13InstanceGroupIDsInSecurityGroups: with subnet_id, an
// aws_instance's security_groups are sent as group ids (the provider's
// buildInstanceOpts), so ids there attach the group (they were looked up
// as names in the default VPC: InvalidGroup.NotFound); a name there is
// refused as EC2 refuses a malformed id.
func TestSweep13InstanceGroupIDsInSecurityGroups(t *testing.T) {
	res := load(t, "testdata/sweep13-instance-sg-ids", nil)
	st, _ := res.Engine.Snapshot()
	var web string
	for _, g := range st.SecurityGroups {
		if g.Name == "web" {
			web = string(g.ID)
		}
	}
	n := 0
	for _, eni := range st.NetworkInterfaces {
		if eni.Attachment == nil || eni.Attachment.InstanceID == "" {
			continue
		}
		n++
		if len(eni.SecurityGroups) != 1 || string(eni.SecurityGroups[0]) != web {
			t.Errorf("instance %s ENI groups %v, want [%s]", eni.Attachment.InstanceID, eni.SecurityGroups, web)
		}
	}
	if n != 2 {
		t.Errorf("%d instance ENIs, want 2", n)
	}
	dir := t.TempDir()
	src, _ := os.ReadFile("testdata/sweep13-instance-sg-ids/main.tf")
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(strings.Replace(string(src), "security_groups = [aws_security_group.web.id]", `security_groups = ["web"]`, 1)), 0o644)
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), `InvalidGroupId.Malformed: Invalid id: "web" (expecting "sg-...")`) {
		t.Errorf("err = %v", err)
	}
}
