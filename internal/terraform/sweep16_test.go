package terraform_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// sweep16 are the public configurations of round sixteen
// (testdata/sweep16/*/SOURCE.md says where each is from), with what a
// correct reading gives: Terraform's errors where Terraform refuses the
// configuration, else no error, the warnings that say a service does not
// reach its count, and probes.
var sweep16 = []struct {
	dir  string
	vars map[string]string
	// errs are the errors Terraform gives, every one, in order
	// (file:line and a part of the message).
	errs []string
	// notSteady are the services that do not reach their desired count.
	notSteady []string
	// probes: from, to (an address of res.Names, or a name), verdict.
	probes [][3]string
}{
	{dir: "achie2-ecs", notSteady: []string{"aws_ecs_service.project_ECS_worker"}},
	{dir: "devops-recipes",
		vars: map[string]string{"aws_access_key_id": "x", "aws_secret_access_key": "x", "ecs_cluster": "test", "ecs_key_pair_name": "k",
			"region": "us-east-1", "test_vpc": "t", "test_network_cidr": "10.0.0.0/16", "test_public_01_cidr": "10.0.1.0/24",
			"test_public_02_cidr": "10.0.2.0/24", "max_instance_size": "2", "min_instance_size": "1", "desired_capacity": "1"},
		// terraform validate (1.11.4, hashicorp/aws 5.100.0) says these
		// four: every other resource depends on the VPC, whose tags
		// block failed, and is not validated (round thirty).
		errs: []string{
			`ecs-instance-role.tf:26: aws_iam_instance_profile.ecs-instance-profile: Unsupported argument: An argument named "roles" is not expected here. Did you mean "role"?`,
			`output.tf:34: Reference to undeclared resource: A managed resource "aws_alb_target_group" "ecs-target-group"`,
			`service.tf:9: Reference to undeclared resource`,
			`vpc.tf:10: aws_vpc.test_vpc: Unsupported block type`,
		}},
	{dir: "howyoudoin-a", vars: map[string]string{"whitelisted_ip_address": "0.0.0.0/0"},
		probes: [][3]string{{"internet", "aws_lb.this:80", "http 200"}}},
	// The service does not depend on the listener rule, made beside it:
	// the provider retries CreateService's "does not have an associated
	// load balancer" for two minutes, so the rule exists in time (round
	// twenty-eight; a warning says to add the depends_on).
	{dir: "howyoudoin-b", vars: map[string]string{"whitelisted_ip_address": "0.0.0.0/0"},
		probes: [][3]string{{"internet", "aws_lb.this:80", "http 200"}}},
	// The Auto Scaling group's tags list (removed in provider v5) is
	// refused at plan; the VPC of the author's account (an apply error) is
	// not reached.
	{dir: "jrdalino", errs: []string{
		`ecs_worker_nodes.tf:76: aws_autoscaling_group.ecs_cluster_spot: Unsupported argument: An argument named "tags" is not expected here`,
	}},
	{dir: "renanpolisciuc", probes: [][3]string{{"internet", "my-service/0:80", "connected"}}},
	{dir: "sasangame/infrastructure", probes: [][3]string{{"internet", "module.alb.aws_lb.main:80", "http 200"}}},
	{dir: "vineethvijay", errs: []string{
		`00-terraform.tf:3: Unsupported Terraform Core version: This configuration does not support Terraform version ` + terraform.TerraformVersion,
	}},
	{dir: "tf-single", errs: []string{
		`main.tf:213: aws_ecs_service.this: InvalidParameterException: The target group with targetGroupArn`,
	}},
}

// TestSweep16: every configuration of the sweep reads as Terraform and
// AWS would take it.
func TestSweep16(t *testing.T) {
	for _, c := range sweep16 {
		t.Run(c.dir, func(t *testing.T) {
			dir := filepath.Join("testdata", "sweep16", c.dir)
			res, err := terraform.Load(dir, terraform.Options{Vars: c.vars, EngineOptions: []engine.Option{engine.WithStartCheck(reach.StartCheck)}})
			if len(c.errs) > 0 {
				var got []string
				var es terraform.Errors
				var one *terraform.Error
				switch {
				case errors.As(err, &es):
					for _, e := range es {
						got = append(got, e.Error())
					}
				case errors.As(err, &one):
					got = []string{one.Error()}
				default:
					t.Fatalf("err = %v, want %d errors", err, len(c.errs))
				}
				if len(got) != len(c.errs) {
					t.Fatalf("%d errors, want %d:\n%s", len(got), len(c.errs), strings.Join(got, "\n"))
				}
				for i, want := range c.errs {
					if !strings.Contains(got[i], want) {
						t.Errorf("error %d = %s\nwant %s", i, got[i], want)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			var steady []string
			for _, w := range res.Warnings {
				if strings.Contains(w.Msg, " tasks running; terraform apply would wait") {
					addr, _, _ := strings.Cut(w.Msg, ":")
					steady = append(steady, addr)
				}
			}
			if strings.Join(steady, " ") != strings.Join(c.notSteady, " ") {
				t.Errorf("services short of their count: %v, want %v", steady, c.notSteady)
			}
			for _, p := range c.probes {
				to := p[1]
				host, port, _ := strings.Cut(to, ":")
				if n, ok := res.Names[host]; ok {
					to = n
					if port != "" {
						to += ":" + port
					}
				}
				if r := probe(t, res.Engine, p[0], to); string(r.Verdict) != p[2] {
					t.Errorf("%s → %s: %s, want %s: %s", p[0], p[1], r.Verdict, p[2], r.Summary)
				}
			}
		})
	}
}

// TestSweep16ASGTagsPinned: with the provider pinned to v4 (which still
// has aws_autoscaling_group's tags), jrdalino's configuration gets as far
// as AWS, which refuses the author's VPC.
func TestSweep16ASGTagsPinned(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join("testdata", "sweep16", "jrdalino")
	files := map[string]string{"versions.tf": "terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 4.0\"\n    }\n  }\n}\n"}
	for _, f := range []string{"ecs_master.tf", "ecs_worker_nodes.tf", "security_groups.tf", "variables.tf", "outputs.tf", "terraform.tfvars"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		files[f] = string(b)
	}
	writeFiles(t, dir, files)
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil || strings.Contains(err.Error(), `"tags"`) || !strings.Contains(err.Error(), "InvalidVpcID.NotFound") {
		t.Errorf("err = %v", err)
	}
}
