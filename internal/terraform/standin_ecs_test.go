package terraform_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestECSModuleStandIns: terraform-aws-modules/ecs/aws's cluster and
// service submodules (v6) and autoscaling/aws, not installed, are read
// with ecsnet's stand-ins: the Auto Scaling group's instance joins the
// cluster through its capacity provider, the service's awsvpc task sits
// on it with the module's security group (to_port taken from from_port),
// and the ALB module's v10 weighted_forward rule sends the internet to it.
func TestECSModuleStandIns(t *testing.T) {
	res := load(t, "testdata/standin-ecs", nil)
	var sum string
	for _, w := range res.Warnings {
		sum += w.String() + "\n"
	}
	for _, m := range []string{"cluster", "api", "autoscaling"} {
		if !strings.Contains(sum, `module "`+m+`" (source "terraform-aws-modules/`) {
			t.Errorf("no stand-in warning for module %s:\n%s", m, sum)
		}
	}
	if !strings.Contains(res.Outputs["rule"], ":listener-rule/app/shop/") {
		t.Errorf("rule = %s, want the production rule's ARN", res.Outputs["rule"])
	}
	st, _ := res.Engine.Snapshot()
	if len(st.Instances) != 1 {
		t.Fatalf("%d instances, want the group's one", len(st.Instances))
	}
	for _, in := range st.Instances {
		if in.Tags["Name"] != "shop-od" || in.IAMProfile == "" {
			t.Errorf("instance %s: Name %q, profile %q; want shop-od with the module's instance profile", in.ID, in.Tags["Name"], in.IAMProfile)
		}
	}
	var svc *model.Service
	for _, s := range st.Services {
		svc = s
	}
	if svc == nil || svc.Name != "api" || svc.DesiredCount != 1 || len(svc.CapacityProviders) != 1 {
		t.Fatalf("service %+v, want api with the module's desired_count 1 on the od provider", svc)
	}
	for _, g := range st.SecurityGroups {
		if strings.HasPrefix(g.Name, "api-") {
			if len(g.Ingress) != 1 || g.Ingress[0].Ports.First != 8080 || g.Ingress[0].Ports.Last != 8080 {
				t.Errorf("api group ingress %+v, want tcp 8080 from the ALB", g.Ingress)
			}
		}
	}
	weighted := 0
	for _, r := range st.ListenerRules {
		for _, a := range r.Actions {
			if len(a.ForwardTargetGroups()) == 2 {
				weighted++
			}
		}
	}
	if weighted != 1 {
		t.Errorf("%d weighted forward rules, want 1", weighted)
	}
	if r := probe(t, res.Engine, "internet", "shop"); r.Verdict != reach.HTTP200 {
		t.Errorf("internet → the ALB = %s: %s", r.Verdict, r.Summary)
	}
}

// TestECSModuleStandInV5: the ECS module's root in its v5 interface (a
// services map with security_group_rules, snake_case port_mappings,
// load_balancer as a list) behind the ALB module v8.3, whose
// security_group_rules make it a group of its own (the service's rule
// refers to it); a Cloud Map DNS namespace found by
// aws_service_discovery_dns_namespace registers the tasks.
func TestECSModuleStandInV5(t *testing.T) {
	res := load(t, "testdata/standin-ecs-v5", nil)
	if res.Outputs["cluster"] != "core" && res.Outputs["cluster"] != `"core"` {
		t.Errorf("cluster = %s", res.Outputs["cluster"])
	}
	if !strings.HasPrefix(strings.Trim(res.Outputs["alb_sg"], `"`), "sg-") {
		t.Errorf("alb_sg = %s, want the v8.3 module's own group", res.Outputs["alb_sg"])
	}
	st, _ := res.Engine.Snapshot()
	running := 0
	for _, tk := range st.Tasks {
		if tk.LastStatus == "RUNNING" {
			running++
		}
	}
	if running != 2 {
		t.Errorf("%d running tasks, want 2", running)
	}
	for _, s := range st.Services {
		if len(s.ServiceRegistries) != 1 {
			t.Errorf("service %s registries %+v, want the Cloud Map service", s.Name, s.ServiceRegistries)
		}
	}
	if r := probe(t, res.Engine, "internet", "web-alb"); r.Verdict != reach.HTTP200 {
		t.Errorf("internet → the ALB = %s: %s", r.Verdict, r.Summary)
	}
}

// TestPreTerraform012Shapes: configurations written for Terraform 0.11 or
// the provider's 1.x are refused as Terraform and the provider refuse
// them, at their line, instead of read with an argument silently dropped:
// ["${aws_subnet.x.*.id}"] (a list in a list), a tags block, and a
// listener rule's condition { field, values }.
func TestPreTerraform012Shapes(t *testing.T) {
	net := "resource \"aws_vpc\" \"v\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n" +
		"resource \"aws_subnet\" \"s\" {\n  count = 2\n  vpc_id = aws_vpc.v.id\n  cidr_block = cidrsubnet(\"10.0.0.0/16\", 8, count.index)\n  availability_zone = [\"us-east-1a\", \"us-east-1b\"][count.index]\n}\n" +
		"resource \"aws_internet_gateway\" \"g\" {\n  vpc_id = aws_vpc.v.id\n}\n"
	lb := "resource \"aws_lb\" \"l\" {\n  subnets = %s\n}\n"
	rule := "resource \"aws_lb_target_group\" \"t\" {\n  port = 80\n  protocol = \"HTTP\"\n  vpc_id = aws_vpc.v.id\n}\n" +
		"resource \"aws_lb_listener\" \"h\" {\n  load_balancer_arn = aws_lb.l.arn\n  port = 80\n  default_action {\n    type = \"forward\"\n    target_group_arn = aws_lb_target_group.t.arn\n  }\n}\n" +
		"resource \"aws_lb_listener_rule\" \"r\" {\n  listener_arn = aws_lb_listener.h.arn\n  action {\n    type = \"forward\"\n    target_group_arn = aws_lb_target_group.t.arn\n  }\n  condition {\n    field  = \"path-pattern\"\n    values = [\"/api/*\"]\n  }\n}\n"
	for _, c := range []struct{ src, want string }{
		{net + fmt.Sprintf(lb, `["${aws_subnet.s.*.id}"]`), `main.tf:14: aws_lb.l: Incorrect attribute value type: Inappropriate value for attribute "subnets": element 0: string required.`},
		{"resource \"aws_vpc\" \"v\" {\n  cidr_block = \"10.0.0.0/16\"\n  tags {\n    Name = \"x\"\n  }\n}\n", `main.tf:3: aws_vpc.v: Unsupported block type: blocks of type "tags"`},
		{net + fmt.Sprintf(lb, "aws_subnet.s[*].id") + rule, `main.tf:35: aws_lb_listener_rule.r: Unsupported argument: an argument named "field" is not expected here (provider 3.0 removed condition's field and values: write path_pattern { values = [...] })`},
	} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "main.tf"), []byte(c.src), 0o644)
		_, err := terraform.Load(dir, terraform.Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s\nerr = %v, want %q", c.src, err, c.want)
		}
	}
	// The same configuration in today's form loads.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(net+fmt.Sprintf(lb, "aws_subnet.s[*].id")), 0o644)
	if _, err := terraform.Load(dir, terraform.Options{}); err != nil {
		t.Errorf("today's form: %v", err)
	}
}

// TestALBModuleStandInV5: the ALB module's list interface as v5 to v8
// wrote it: targets per target group become attachments, listener rules
// from http_tcp_listener_rules (a path condition of two values, an http
// header condition keeping its header name), create_lb = false makes
// nothing; the security group module's v3 output this_security_group_id.
func TestALBModuleStandInV5(t *testing.T) {
	res := load(t, "testdata/standin-alb-v5", nil)
	st, _ := res.Engine.Snapshot()
	if len(st.LoadBalancers) != 1 || len(st.ListenerRules) != 2 {
		t.Fatalf("%d load balancers, %d rules; want 1 and 2", len(st.LoadBalancers), len(st.ListenerRules))
	}
	for _, r := range st.ListenerRules {
		if len(r.Conditions) != 1 {
			t.Errorf("rule %d conditions %+v, want one", r.Priority, r.Conditions)
			continue
		}
		c := r.Conditions[0]
		switch r.Priority {
		case 10:
			if c.Field != "path-pattern" || len(c.Values) != 2 {
				t.Errorf("rule 10 condition %+v, want path-pattern /app/* or /app", c)
			}
		case 20:
			if c.Field != "http-header" || c.HeaderName != "x-probe" {
				t.Errorf("rule 20 condition %+v, want the x-probe header", c)
			}
		}
	}
	targets := 0
	for _, tg := range st.TargetGroups {
		targets += tg.Targets.Len()
	}
	if targets != 1 {
		t.Errorf("%d targets, want the instance", targets)
	}
	for _, g := range st.SecurityGroups {
		if strings.HasPrefix(g.Name, "web-sg-") && (len(g.Ingress) != 1 || g.Ingress[0].Group == "") {
			t.Errorf("web-sg ingress %+v, want 8080 from the ALB's group", g.Ingress)
		}
	}
}
