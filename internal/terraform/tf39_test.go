package terraform_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// Round thirty-nine (docs/terraform-acceptance.md, "Round thirty-nine"):
// Terraform as users write it, the gaps round thirty-eight left.

// A plan's dynamic blocks are expanded in planned_values, the arguments
// known only after apply left out and no expression kept for them: the
// reader takes the plan's only resource of the kind an argument names
// (the task group admits the ALB's group; the service is behind the
// only target group), and leaves a block out, with a warning, when the
// plan holds several (tf39-dynamic-two-plan.json: two target groups).
func TestTF39PlanDynamicBlocks(t *testing.T) {
	res, err := terraform.LoadJSON("testdata/tf39-dynamic-plan.json", terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	st, _ := res.Engine.Snapshot()
	alb := st.SecurityGroups[model.SecurityGroupID(res.Names["aws_security_group.alb"])]
	task := st.SecurityGroups[model.SecurityGroupID(res.Names["aws_security_group.task"])]
	if alb == nil || task == nil {
		t.Fatalf("groups alb %v, task %v", alb, task)
	}
	var open []uint16
	for _, r := range alb.Ingress {
		if r.CIDR.String() == "0.0.0.0/0" && r.Ports.First == r.Ports.Last {
			open = append(open, r.Ports.First)
		}
	}
	slices.Sort(open)
	if len(open) != 2 || open[0] != 80 || open[1] != 443 {
		t.Errorf("alb group ingress %+v: want 80 and 443 from 0.0.0.0/0", alb.Ingress)
	}
	if len(task.Ingress) != 1 || task.Ingress[0].Group != alb.ID || task.Ingress[0].Ports.First != 80 {
		t.Errorf("task group ingress %+v: want tcp/80 from %s", task.Ingress, alb.ID)
	}
	svc := st.Services[res.Names["aws_ecs_service.web"]]
	if svc == nil {
		t.Fatalf("no service web among %v", res.Names)
	}
	if len(svc.LoadBalancers) != 1 || !strings.Contains(svc.LoadBalancers[0].TargetGroupARN, ":targetgroup/web/") ||
		svc.LoadBalancers[0].ContainerName != "web" || svc.LoadBalancers[0].ContainerPort != 80 {
		t.Errorf("service load balancers %+v: want web:80 behind target group web", svc.LoadBalancers)
	}

	two, err := terraform.LoadJSON("testdata/tf39-dynamic-two-plan.json", terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	warned := map[string]bool{}
	for _, w := range two.Warnings {
		for _, a := range []string{"aws_ecs_service.web", "aws_ecs_service.api[0]"} {
			if strings.Contains(w.Msg, a+": load_balancer block 1 is left out") && strings.Contains(w.Msg, "aws_lb_target_group.api[0], aws_lb_target_group.web") {
				warned[a] = true
			}
		}
	}
	if len(warned) != 2 {
		t.Errorf("warnings %v: want both services' load_balancer blocks left out", two.Warnings)
	}
}

// With the local state of an earlier apply, a resource whose change
// forces replacement has ids known only after apply again: a new
// cidr_block replaces the VPC, and terraform plan refuses the count and
// the for_each that depend on its id (through the group it replaces too);
// with the configuration the state was applied from, both are planned.
func TestTF39PlanViewReplacement(t *testing.T) {
	state, err := os.ReadFile("testdata/tf39-replace-state.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, tfvars string
		lines        []int
	}{
		{"unchanged", "", nil},
		{"unchanged, AWS's ids", "", nil},
		{"new cidr_block", "cidr = \"10.1.0.0/16\"\n", []int{32, 40, 58}},
		{"no state", "", []int{32, 40, 58}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			copyTree(t, "testdata/tf39-replace", dir)
			st := state
			if strings.Contains(tc.name, "AWS's ids") {
				// A state of a real account: its ids are not the ones
				// the reader's engine gives (a vpc_id that differs is not
				// a change of the configuration).
				st = regexp.MustCompile(`"(vpc|sg|subnet|rtb|acl|sgr)-[0-9a-f]+"`).ReplaceAll(state, []byte(`"$1-0fedcba9876543210"`))
			}
			if tc.name != "no state" {
				if err := os.WriteFile(filepath.Join(dir, "terraform.tfstate"), st, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if tc.tfvars != "" {
				if err := os.WriteFile(filepath.Join(dir, "terraform.tfvars"), []byte(tc.tfvars), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var es terraform.Errors
			if _, err := terraform.Load(dir, terraform.Options{}); err != nil && !errors.As(err, &es) {
				t.Fatal(err)
			}
			var lines []int
			for _, e := range es {
				lines = append(lines, e.Line)
				if !strings.HasPrefix(e.Msg, "Invalid count argument") && !strings.HasPrefix(e.Msg, "Invalid for_each argument") {
					t.Errorf("error %v", e)
				}
			}
			slices.Sort(lines)
			if !slices.Equal(lines, tc.lines) {
				t.Errorf("refused at lines %v, want %v: %v", lines, tc.lines, es)
			}
		})
	}
}

// The plan view inside a stand-in follows the module call's inputs into
// the count the stand-in transcribes from the registry module: acm's
// validation records are counted by distinct name, so a subject
// alternative name known only after apply refuses the plan (as terraform
// plan refuses it inside the real module) and names the configuration
// gives are planned.
func TestTF39PlanViewInsideStandin(t *testing.T) {
	_, err := terraform.Load("testdata/tf39-standin-acm", terraform.Options{})
	var es terraform.Errors
	if errors.As(err, &es) {
		t.Fatalf("errors %v: want only the refusal of module.acm_unknown", es)
	}
	var e *terraform.Error
	if !errors.As(err, &e) {
		t.Fatalf("err %v: want the refusal of module.acm_unknown", err)
	}
	if e.Address != "module.acm_unknown" || e.Line != 42 ||
		!strings.HasPrefix(e.Msg, "Invalid count argument") || !strings.Contains(e.Msg, "its input subject_alternative_names is known only after apply") {
		t.Errorf("error %v: want Invalid count argument at module.acm_unknown (line 42) naming subject_alternative_names", e)
	}
}

// A state file as Terraform writes it (terraform.tfstate, version 4) is
// read as `terraform show -json` of the same state is: the same
// resources, ids mapped the same way (tf39-dynamic.tfstate and
// tf39-dynamic-state.json: one apply of testdata/tf39-dynamic with
// second_service=true, terraform 1.11.4 against ecsnet serve).
func TestTF39RawStateFile(t *testing.T) {
	raw, err := os.ReadFile("testdata/tf39-dynamic.tfstate")
	if err != nil {
		t.Fatal(err)
	}
	if !terraform.IsShowJSON(raw) {
		t.Fatal("a version 4 state file is not taken for Terraform's JSON")
	}
	fromRaw, err := terraform.LoadJSON("testdata/tf39-dynamic.tfstate", terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fromShow, err := terraform.LoadJSON("testdata/tf39-dynamic-state.json", terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var a, b []string
	for _, r := range fromRaw.Resources {
		a = append(a, r.Address)
	}
	for _, r := range fromShow.Resources {
		b = append(b, r.Address)
	}
	slices.Sort(a)
	slices.Sort(b)
	if len(a) < 15 || !slices.Equal(a, b) {
		t.Errorf("resources from the state file %v, from show -json %v", a, b)
	}
	st, _ := fromRaw.Engine.Snapshot()
	for _, name := range []string{"aws_ecs_service.web", "aws_ecs_service.api[0]"} {
		svc := st.Services[fromRaw.Names[name]]
		if svc == nil || len(svc.LoadBalancers) != 1 || svc.LoadBalancers[0].TargetGroupARN == "" {
			t.Errorf("%s: %+v, want one load balancer", name, svc)
		}
	}
}

// A warning on a resource a stand-in makes is at the module block that
// calls it (the user has no stand-in file), and a stand-in's own call of
// another stand-in is not warned of again (the configuration's call is).
func TestTF39StandinWarningsAtModuleCall(t *testing.T) {
	res, err := terraform.Load("testdata/standin-ecs", terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range res.Warnings {
		if strings.HasPrefix(w.Msg, "module.api.aws_ecs_service.this[0] does not depend on the listeners") {
			found = true
			if w.File != "testdata/standin-ecs/main.tf" || w.Line != 74 {
				t.Errorf("the listener warning is at %s:%d, want testdata/standin-ecs/main.tf:74 (module \"api\")", w.File, w.Line)
			}
		}
	}
	if !found {
		t.Errorf("no listener warning for module.api in %v", res.Warnings)
	}
	res, err = terraform.Load("testdata/standin-ecs-v2", terraform.Options{})
	if err != nil {
		var le *terraform.LoadError
		if !errors.As(err, &le) {
			t.Fatal(err)
		}
		res = &terraform.Result{Warnings: le.Warnings}
	}
	for _, w := range res.Warnings {
		if terraform.IsStandIn(w.File) && strings.Contains(w.Msg, "is not installed") {
			t.Errorf("a stand-in's own module call is warned of: %s", w)
		}
	}
}
