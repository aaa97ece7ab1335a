package terraform_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestSweep24InlineRuleNoDestination: an inline ingress or egress block
// with ports and no cidr_blocks, ipv6_cidr_blocks, security_groups, self
// or prefix_list_ids is sent by the provider and EC2 adds no rule for it
// (hashicorp/terraform#21754, terraform-provider-aws#27196): the group is
// made without it and every later plan shows the block as a change.
// ecsnet dropped the block without a word; it now warns at the block.
func TestSweep24InlineRuleNoDestination(t *testing.T) {
	res := load(t, "testdata/sweep24-inline-no-destination", nil)
	want := map[string]bool{
		"40:aws_security_group.lb: an ingress block (tcp 80) names no source":         false,
		"26:aws_security_group.tasks: an egress block (tcp 80) names no destination":  false,
		"26:aws_security_group.tasks: an egress block (tcp 443) names no destination": false,
	}
	for _, w := range res.Warnings {
		for k := range want {
			line, msg, _ := strings.Cut(k, ":")
			if strings.HasPrefix(w.Msg, msg) && strings.Contains(w.Msg, "EC2 adds no rule for it") && line == strconv.Itoa(w.Line) {
				want[k] = true
			}
		}
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("no warning %q in\n%v", k, res.Warnings)
		}
	}
	st, _ := res.Engine.Snapshot()
	for _, g := range st.SecurityGroups {
		switch g.Name {
		case "lb":
			if len(g.Ingress) != 0 || len(g.Egress) != 1 {
				t.Errorf("lb: %d ingress, %d egress rules; want 0 and 1", len(g.Ingress), len(g.Egress))
			}
		case "tasks":
			if len(g.Ingress) != 1 || len(g.Egress) != 0 {
				t.Errorf("tasks: %d ingress, %d egress rules; want 1 and 0", len(g.Ingress), len(g.Egress))
			}
		}
	}
}

// TestSweep24WarningsWithError: Terraform prints its warnings with its
// errors; ecsnet dropped every warning gathered before a load failed, so
// the one that often says why was lost. The error now carries them.
func TestSweep24WarningsWithError(t *testing.T) {
	_, err := terraform.Load("testdata/sweep24-warning-with-error", terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "main.tf:22: aws_subnet.outside: InvalidSubnet.Range") {
		t.Fatalf("err = %v, want the subnet refused", err)
	}
	if !strings.Contains(err.Error(), "\nwarning: testdata/sweep24-warning-with-error/main.tf:13: aws_security_group.lb: an ingress block (tcp 80) names no source") {
		t.Errorf("err = %v, want the inline rule's warning with it", err)
	}
	var le *terraform.LoadError
	var e *terraform.Error
	if !errors.As(err, &le) || len(le.Warnings) != 1 || !errors.As(err, &e) || e.Line != 22 {
		t.Errorf("err = %#v: want a LoadError with one warning wrapping the *Error at line 22", err)
	}
}

// TestSweep24ProviderConstraints: a constraint on hashicorp/random (or
// another HashiCorp utility provider) that no release meets is refused by
// `terraform init`; ecsnet read the configuration as if it were met. With
// the constraint met, -v says which Terraform release and which AWS
// provider major the configuration is read as, and why.
func TestSweep24ProviderConstraints(t *testing.T) {
	dir := "testdata/sweep24-provider-constraints"
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "main.tf:8: Failed to query available provider packages: Could not retrieve the list of available versions for provider hashicorp/random: no available releases match the given constraints >= 4.0") {
		t.Fatalf("err = %v, want init's refusal of hashicorp/random >= 4.0 at line 8", err)
	}
	src, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	met := t.TempDir()
	if err := os.WriteFile(filepath.Join(met, "main.tf"), []byte(strings.Replace(string(src), `">= 4.0"`, `"~> 3.1"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := terraform.Load(met, terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var core, aws bool
	for _, n := range res.Versions {
		core = core || n.Line == 2 && n.Msg == `read as Terraform 1.1.9 (the newest release required_version ">= 0.15.0, < 1.2.0" allows)`
		aws = aws || n.Msg == `read with hashicorp/aws v3: the configuration requires hashicorp/aws "~> 3.0"`
	}
	if !core || !aws {
		t.Errorf("versions %v: want the Terraform release (%v) and AWS major (%v) said", res.Versions, core, aws)
	}
}

// withoutWarnings is a load's error without the warnings it carries.
func withoutWarnings(err error) error {
	var le *terraform.LoadError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// TestSweep24ModuleListenerRace: a service whose target group's ARN
// comes from another module's output that refers to the target group
// only does not wait for that module's listener, so Terraform may create
// it first and ECS refuses it ("does not have an associated load
// balancer"). ecsnet warned of a listener in the service's own module
// only; it now follows references through module inputs and outputs and
// depends_on on calls: the call with depends_on = [module.alb] and the one
// taking the ARN from the listener's action are quiet.
func TestSweep24ModuleListenerRace(t *testing.T) {
	res := load(t, "testdata/sweep24-module-listener", nil)
	var racing int
	for _, w := range res.Warnings {
		if !strings.Contains(w.Msg, "does not depend on") {
			continue
		}
		if strings.HasPrefix(w.Msg, `module.racing.aws_ecs_service.this does not depend on module.alb.aws_lb_listener.http, which puts its target group behind the load balancer`) &&
			strings.Contains(w.Msg, `add depends_on = [module.alb] to module "racing"`) {
			racing++
			continue
		}
		t.Errorf("unexpected warning %s", w)
	}
	if racing != 1 {
		t.Errorf("%d warnings for module.racing, want 1:\n%v", racing, res.Warnings)
	}
}

// TestSweep24ECRRepositoryUnmanaged: a configuration that manages no ECR
// repository and reads one with data "aws_ecr_repository" reads one that
// lives outside it, as its task images' repositories are taken to exist;
// ecsnet failed with RepositoryNotFoundException. It now takes it to
// exist, with a warning; one that manages repositories still gets the
// error (TestSweep21ECRRepositoryData), as does one given --base.
func TestSweep24ECRRepositoryUnmanaged(t *testing.T) {
	const dir = "testdata/sweep24-ecr-unmanaged"
	res := load(t, dir, nil)
	if res.Outputs["url"] != "123456789012.dkr.ecr.us-east-1.amazonaws.com/simple-web-app/projectp-api:manual1" {
		t.Errorf("outputs %v", res.Outputs)
	}
	warned := false
	for _, w := range res.Warnings {
		warned = warned || w.Line == 7 && strings.Contains(w.Msg, "data.aws_ecr_repository.repo: no ECR repository simple-web-app/projectp-api is in the system and the configuration manages none")
	}
	if !warned {
		t.Errorf("warnings %v", res.Warnings)
	}
	base := load(t, "testdata/sweep24-inline-no-destination", nil)
	_, err := terraform.Load(dir, terraform.Options{Base: base.Engine})
	if err == nil || !strings.Contains(err.Error(), "RepositoryNotFoundException") {
		t.Errorf("with a base: err = %v, want RepositoryNotFoundException", err)
	}
}

// TestSweep24StandInEnvironmentNumbers: terraform-aws-modules/ecs's
// container-definition submodule types environment (and secrets) as
// lists of objects of strings, so Terraform converts a number or a bool
// given there to a string. ecsnet's service stand-in passed them through,
// and the task definition's JSON was refused ("cannot unmarshal number").
func TestSweep24StandInEnvironmentNumbers(t *testing.T) {
	res := load(t, "testdata/sweep24-ecs-env-numbers", nil)
	st, _ := res.Engine.Snapshot()
	found := false
	for _, td := range st.TaskDefinitions {
		for _, c := range td.Containers {
			if c.Name != "miniflux" {
				continue
			}
			found = true
			env := map[string]string{}
			for _, kv := range c.Environment {
				env[kv.Name] = kv.Value
			}
			if env["PORT"] != "8120" || env["DEBUG"] != "true" {
				t.Errorf("environment %v, want PORT 8120 and DEBUG true as strings", c.Environment)
			}
		}
	}
	if !found {
		t.Fatal("no miniflux container")
	}
}

// TestSweep24EmptySubnets: data "aws_subnets" that matches nothing ecsnet
// knows gives an empty list (as AWS does when nothing matches), and what
// consumes it fails; ecsnet did not say the list was empty because it
// knows only the configuration's and the default VPC's subnets. It now
// warns at the data source; one that matches is quiet.
func TestSweep24EmptySubnets(t *testing.T) {
	res := load(t, "testdata/sweep24-subnets-empty", nil)
	if res.Outputs["public"] != "0" || res.Outputs["default"] != "4" {
		t.Errorf("outputs %v", res.Outputs)
	}
	var public, other int
	for _, w := range res.Warnings {
		switch {
		case strings.HasPrefix(w.Msg, "data.aws_subnets.public matches no subnet") && w.Line == 11:
			public++
		case strings.Contains(w.Msg, "matches no subnet"):
			other++
		}
	}
	if public != 1 || other != 0 {
		t.Errorf("warnings %v", res.Warnings)
	}
}

// TestSweep24StringForSet: a single string given for a set of strings
// (network_configuration's subnets = var.subnet_id) is refused by
// Terraform when it converts the configuration to the provider's schema
// ("Inappropriate value for attribute"); ecsnet read it as a one-element
// list. Both of the service's sets are checked, and aws_lb's.
func TestSweep24StringForSet(t *testing.T) {
	const dir = "testdata/sweep24-string-subnets"
	for _, tc := range []struct{ v, addr, key string }{{"one", "aws_ecs_service.s", "subnets"}, {"other", "aws_ecs_service.s", "security_groups"}, {"lb", "aws_lb.lb[0]", "subnets"}} {
		_, err := terraform.Load(dir, terraform.Options{Vars: map[string]string{"subnet": tc.v}})
		want := tc.addr + `: Inappropriate value for attribute "` + tc.key + `": set of string required.`
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("subnet=%s: err = %v, want %s", tc.v, err, want)
		}
	}
}

// TestSweep24MixedRuleStyles: a standalone ingress rule
// (aws_vpc_security_group_ingress_rule or aws_security_group_rule) on a
// group whose aws_security_group declares inline ingress blocks is read
// back into the group's ingress set, so every later plan removes it from
// the group and the rule's resource adds it back (round twenty-four's
// apply of Josewp10/ing-devops-challenge showed that plan). ecsnet said
// nothing; it now warns at the standalone rule. A direction the group
// declares no inline blocks for is quiet.
func TestSweep24MixedRuleStyles(t *testing.T) {
	res := load(t, "testdata/sweep24-mixed-rules", nil)
	got := map[string]int{}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "which declares inline") {
			got[strings.SplitN(w.Msg, " ", 2)[0]]++
			if !strings.Contains(w.Msg, "adds an ingress rule to aws_security_group.ecs, which declares inline ingress blocks") {
				t.Errorf("warning %s", w)
			}
		}
	}
	if got["aws_vpc_security_group_ingress_rule.app"] != 1 || got["aws_security_group_rule.https"] != 1 || len(got) != 2 {
		t.Errorf("warnings by rule %v, want app and https once each:\n%v", got, res.Warnings)
	}
}
