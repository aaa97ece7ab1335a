package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestSweep15CapacityProviderSteps: a capacity provider's managed scaling
// step sizes and warm-up period, and its managed draining, reach ECS;
// a service's force_new_deployment and triggers (sent on update only)
// are read. Before, the steps were ECS's defaults (1 and 10,000, 300 s),
// draining ENABLED, and every one of them said unread.
func TestSweep15CapacityProviderSteps(t *testing.T) {
	res := load(t, "testdata/sweep15-cp-steps", nil)
	st, _ := res.Engine.Snapshot()
	if len(st.CapacityProviders) != 1 {
		t.Fatalf("%d capacity providers, want 1", len(st.CapacityProviders))
	}
	for _, cp := range st.CapacityProviders {
		if cp.MinimumScalingStepSize != 2 || cp.MaximumScalingStepSize != 10 || cp.InstanceWarmupPeriod != 120 || !cp.ManagedDrainingDisabled {
			t.Errorf("capacity provider: steps %d-%d, warm-up %d, draining disabled %v; want 2-10, 120, true",
				cp.MinimumScalingStepSize, cp.MaximumScalingStepSize, cp.InstanceWarmupPeriod, cp.ManagedDrainingDisabled)
		}
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "does not read") {
			t.Errorf("warning %q", w)
		}
	}

	// ECS's range for a step size holds (1-10,000).
	dir := t.TempDir()
	src, _ := os.ReadFile("testdata/sweep15-cp-steps/main.tf")
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(strings.Replace(string(src), "maximum_scaling_step_size = 10", "maximum_scaling_step_size = 20000", 1)), 0o644)
	if _, err := terraform.Load(dir, terraform.Options{}); err == nil || !strings.Contains(err.Error(), "maximum scaling step size must be between 1 and 10000") {
		t.Errorf("err = %v", err)
	}
}

// TestSweep15ClusterArgsRemovedInV5: aws_ecs_cluster's capacity_providers
// and default_capacity_provider_strategy were removed in provider v5.0.0;
// a configuration that does not pin the provider below v5 gets v6 from
// `terraform init`, which refuses them. A constraint or a lock file of
// v4 or earlier reads them as before.
func TestSweep15ClusterArgsRemovedInV5(t *testing.T) {
	_, err := terraform.Load("testdata/sweep15-cluster-v6", terraform.Options{})
	want := `main.tf:11: aws_ecs_cluster.main: Unsupported argument: An argument named "capacity_providers" is not expected here: the configuration gives hashicorp/aws no version constraint, so ` + "`terraform init`" + ` installs the newest release (v6); v5.0.0 removed it`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v", err)
	}
	src, _ := os.ReadFile("testdata/sweep15-cluster-v6/main.tf")
	for name, extra := range map[string]map[string]string{
		"pinned":    {"versions.tf": "terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 4.0\"\n    }\n  }\n}\n"},
		"0.12 form": {"versions.tf": "terraform {\n  required_providers {\n    aws = \"~> 3.70\"\n  }\n}\n"},
		"lock file": {".terraform.lock.hcl": "provider \"registry.terraform.io/hashicorp/aws\" {\n  version     = \"4.67.0\"\n  constraints = \">= 3.0.0\"\n}\n"},
	} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "main.tf"), src, 0o644)
		for f, s := range extra {
			os.WriteFile(filepath.Join(dir, f), []byte(s), 0o644)
		}
		res, err := terraform.Load(dir, terraform.Options{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		st, _ := res.Engine.Snapshot()
		for _, cl := range st.Clusters {
			if len(cl.CapacityProviders) != 2 {
				t.Errorf("%s: cluster providers %v, want FARGATE and FARGATE_SPOT", name, cl.CapacityProviders)
			}
		}
	}
	// An unbounded constraint gets v6 too.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), src, 0o644)
	os.WriteFile(filepath.Join(dir, "versions.tf"), []byte("terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \">= 3.0\"\n    }\n  }\n}\n"), 0o644)
	if _, err := terraform.Load(dir, terraform.Options{}); err == nil || !strings.Contains(err.Error(), `constraint ">= 3.0" on hashicorp/aws has no upper bound`) {
		t.Errorf("unbounded: err = %v", err)
	}
}

// TestSweep15ContainerNameNoBaseHint: ECS's refusal of a container the
// task definition does not have is not followed by the hint that an id
// exists only in another account (--base cannot supply a container).
func TestSweep15ContainerNameNoBaseHint(t *testing.T) {
	_, err := terraform.Load("testdata/sweep15-container-name", terraform.Options{})
	if err == nil || !strings.HasSuffix(err.Error(), "main.tf:63: aws_ecs_service.s: InvalidParameterException: The container ecs-container does not exist in the task definition.") {
		t.Errorf("err = %v", err)
	}
}

// TestSweep15ModuleSourceWithoutDot: a module source that is neither a
// local path (./, ../), a registry address (namespace/name/system, with
// an optional host) nor one go-getter detects is refused with
// Terraform's "Invalid module source address" at its line; before, ecsnet
// said to run `terraform init`, which refuses it too.
func TestSweep15ModuleSourceWithoutDot(t *testing.T) {
	_, err := terraform.Load("testdata/sweep15-module-source", terraform.Options{})
	want := `main.tf:11: module.ecs: Invalid module source address: Terraform failed to determine your intended installation method for remote module package "modules/ecs". If you intended this as a path relative to the current module, use "./modules/ecs" instead.`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v", err)
	}
	for _, ok := range []string{"./x", "../x", "terraform-aws-modules/vpc/aws", "terraform-aws-modules/vpc/aws//modules/vpc-endpoints",
		"app.terraform.io/acme/vpc/aws", "git::https://example.com/vpc.git?ref=v1", "github.com/acme/vpc", "git@github.com:acme/vpc.git",
		"https://example.com/vpc.zip", "s3::https://s3.amazonaws.com/b/vpc.zip", "bucket.s3.amazonaws.com/vpc.zip"} {
		if msg := terraform.InvalidModuleSource(ok); msg != "" {
			t.Errorf("%q refused: %s", ok, msg)
		}
	}
	for _, bad := range []string{"modules/ecs", "ecs", "a/b/c/d/e"} {
		if terraform.InvalidModuleSource(bad) == "" {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestSweep15InvalidReference: a reference whose resource type is not
// followed by the resource's name (an index first) is Terraform's
// "Invalid reference", for resources and data sources alike.
func TestSweep15InvalidReference(t *testing.T) {
	_, err := terraform.Load("testdata/sweep15-invalid-ref", terraform.Options{})
	want := "main.tf:19: Invalid reference: A reference to a resource type must be followed by at least one attribute access, specifying the resource name."
	if err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("err = %v", err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`data "aws_vpc" "v" {
  count   = 1
  default = true
}
output "id" {
  value = data.aws_vpc[0].v.id
}
`), 0o644)
	_, err = terraform.Load(dir, terraform.Options{})
	err = withoutWarnings(err) // the warnings Terraform prints with the errors follow them
	if err == nil || !strings.HasSuffix(err.Error(), "main.tf:6: Invalid reference: A reference to a data source must be followed by at least one attribute access, specifying the resource name.") {
		t.Errorf("data: err = %v", err)
	}
}

// TestSweep15EIPVPCRemovedInV6: aws_eip's vpc, deprecated in provider v5
// for domain, is gone from v6: an unpinned configuration that sets it
// is refused as Terraform refuses it; one pinned to v5 is read.
func TestSweep15EIPVPCRemovedInV6(t *testing.T) {
	src := `provider "aws" {
  region = "ap-northeast-1"
}
resource "aws_eip" "nat" {
  vpc = true
}
`
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644)
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), `main.tf:5: aws_eip.nat: Unsupported argument: An argument named "vpc" is not expected here: the configuration gives hashicorp/aws no version constraint`) {
		t.Errorf("err = %v", err)
	}
	os.WriteFile(filepath.Join(dir, "versions.tf"), []byte("terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 5.0\"\n    }\n  }\n}\n"), 0o644)
	if _, err := terraform.Load(dir, terraform.Options{}); err != nil {
		t.Errorf("pinned to v5: %v", err)
	}
}

// TestSweep15ServiceModuleVolume: the ECS service module stand-in passes
// its volume map (a volume named by its key) and the containers' mount
// points to the task definition, so ECS's check that a mount point names
// a volume of the task definition applies ("Unknown volume").
func TestSweep15ServiceModuleVolume(t *testing.T) {
	res := load(t, "testdata/sweep15-service-volume", nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.String(), "ignores") && (strings.Contains(w.String(), "volume") || strings.Contains(w.String(), "mount_points")) {
			t.Errorf("warning: %s", w)
		}
	}
	src, _ := os.ReadFile("testdata/sweep15-service-volume/main.tf")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(strings.Replace(string(src), `sourceVolume  = "my-vol"`, `sourceVolume  = "other"`, 1)), 0o644)
	if _, err := terraform.Load(dir, terraform.Options{}); err == nil || !strings.Contains(err.Error(), "Unknown volume 'other'.") {
		t.Errorf("err = %v", err)
	}
}
