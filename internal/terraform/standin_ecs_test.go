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
		if in.Type != "c6a.2xlarge" {
			t.Errorf("instance type %s, want c6a.2xlarge (the ecs-blueprints' type, unknown before)", in.Type)
		}
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
		{"resource \"aws_vpc\" \"v\" {\n  cidr_block = \"10.0.0.0/16\"\n  tags {\n    Name = \"x\"\n  }\n}\n", `main.tf:3: aws_vpc.v: Unsupported block type: Blocks of type "tags"`},
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

// A tutorial's Fargate configuration, trimmed: the private route table
// sends 0.0.0.0/0 to the NAT gateway through gateway_id (EC2 takes a NAT
// gateway's id there), the load balancer and target group have no names,
// and the service refers to the target group but not to the listener rule
// that puts it behind the load balancer.
const raceConfig = `
provider "aws" {
  region = "us-east-2"
}
resource "aws_vpc" "this" {
  cidr_block = "172.32.0.0/16"
}
resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
}
resource "aws_subnet" "public" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet("172.32.0.0/16", 4, count.index)
  availability_zone = ["us-east-2a", "us-east-2b"][count.index]
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }
}
resource "aws_route_table_association" "public" {
  count          = 2
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}
resource "aws_eip" "this" {}
resource "aws_nat_gateway" "this" {
  allocation_id = aws_eip.this.id
  subnet_id     = aws_subnet.public[0].id
}
resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "172.32.160.0/20"
  availability_zone = "us-east-2a"
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_nat_gateway.this.id
  }
}
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
resource "aws_security_group" "lb" {
  vpc_id = aws_vpc.this.id
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_security_group" "app" {
  vpc_id = aws_vpc.this.id
  ingress {
    from_port       = 80
    to_port         = 80
    protocol        = "tcp"
    security_groups = [aws_security_group.lb.id]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_ecs_cluster" "this" {
  name = "fargate-cluster"
}
resource "aws_ecs_task_definition" "this" {
  family                   = "web"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name         = "app"
    image        = "public.ecr.aws/docker/library/httpd:latest"
    essential    = true
    portMappings = [{ containerPort = 80, hostPort = 80 }]
  }])
}
resource "aws_ecs_service" "this" {
  name            = "web"
  cluster         = aws_ecs_cluster.this.id
  launch_type     = "FARGATE"
  desired_count   = 1
  task_definition = aws_ecs_task_definition.this.arn
  network_configuration {
    subnets         = [aws_subnet.private.id]
    security_groups = [aws_security_group.app.id]
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = "app"
    container_port   = 80
  }
  DEPENDS
}
resource "aws_lb" "this" {
  subnets         = aws_subnet.public[*].id
  security_groups = [aws_security_group.lb.id]
}
resource "aws_lb_listener" "this" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = 404
    }
  }
}
resource "aws_lb_listener_rule" "this" {
  listener_arn = aws_lb_listener.this.arn
  priority     = 100
  condition {
    path_pattern {
      values = ["*"]
    }
  }
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }
}
resource "aws_lb_target_group" "this" {
  port        = 80
  protocol    = "HTTP"
  vpc_id      = aws_vpc.this.id
  target_type = "ip"
  depends_on  = [aws_lb.this]
}
`

// TestServiceBeforeItsListenerRule: a service that does not depend on the
// listener rule made beside it is warned of, with the depends_on that
// orders them: ECS refuses CreateService until the rule exists ("does not
// have an associated load balancer"), which the provider retries for two
// minutes (round twenty-eight: ecsnet refused it, as ECS refused the
// tutorial's author); with it, the NAT gateway route written as
// gateway_id works, and the unnamed load balancer and target group take
// the provider's tf-lb- and tf- names.
func TestServiceBeforeItsListenerRule(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(strings.Replace(raceConfig, "DEPENDS", "", 1)), 0o644)
	res, err := terraform.Load(dir, terraform.Options{})
	if err != nil {
		t.Fatalf("err = %v, want the service created once the rule is", err)
	}
	beside := false
	for _, w := range res.Warnings {
		beside = beside || strings.Contains(w.String(), "aws_ecs_service.this does not depend on aws_lb_listener_rule.this")
	}
	if !beside {
		t.Errorf("no warning of the service made beside its listener rule")
	}
	// Without any listener or rule forwarding to the group, the error says so.
	cfg := strings.Replace(raceConfig, "DEPENDS", "", 1)
	a, b := strings.Index(cfg, "resource \"aws_lb_listener_rule\""), strings.Index(cfg, "resource \"aws_lb_target_group\"")
	alone := cfg[:a] + cfg[b:]
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(alone), 0o644)
	if _, err := terraform.Load(dir, terraform.Options{}); err == nil || !strings.Contains(err.Error(), "no listener or listener rule of this configuration forwards to it") {
		t.Errorf("without a rule: err = %v", err)
	}
	// Declared after the rule, the service is created after it here, but
	// Terraform may not order them so: a warning says it.
	i, j := strings.Index(cfg, "resource \"aws_ecs_service\""), strings.Index(cfg, "resource \"aws_lb\" ")
	later := cfg[:i] + cfg[j:] + cfg[i:j]
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(later), 0o644)
	warned := false
	for _, w := range load(t, dir, nil).Warnings {
		warned = warned || strings.Contains(w.String(), "aws_ecs_service.this does not depend on aws_lb_listener_rule.this")
	}
	if !warned {
		t.Errorf("no warning of the service created before its listener rule could be")
	}
	// The same with a dynamic load_balancer block over the target groups.
	dyn := strings.Replace(later, `  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn`, `  dynamic "load_balancer" {
    for_each = [aws_lb_target_group.this]
    content {
      target_group_arn = load_balancer.value.arn
      container_name   = "app"
      container_port   = 80
    }
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn`, 1)
	dyn = strings.Replace(dyn, `  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = "app"
    container_port   = 80
  }
`, "", 1)
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(dyn), 0o644)
	warned = false
	for _, w := range load(t, dir, nil).Warnings {
		warned = warned || strings.Contains(w.String(), "aws_ecs_service.this does not depend on aws_lb_listener_rule.this")
	}
	if !warned || !strings.Contains(dyn, "dynamic") {
		t.Errorf("dynamic load_balancer: no warning")
	}
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(strings.Replace(raceConfig, "DEPENDS", "depends_on = [aws_lb_listener_rule.this]", 1)), 0o644)
	res = load(t, dir, nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.String(), "does not depend on") {
			t.Errorf("warning with depends_on: %s", w)
		}
	}
	st, _ := res.Engine.Snapshot()
	for _, rt := range st.RouteTables {
		for _, r := range rt.Routes {
			if strings.HasPrefix(r.TargetID, "nat-") && r.Target != model.TargetNatGateway {
				t.Errorf("route %+v: a NAT gateway given as gateway_id, want a NAT gateway route", r)
			}
		}
	}
	lbName := ""
	for _, lb := range st.LoadBalancers {
		lbName = lb.Name
		if !strings.HasPrefix(lb.Name, "tf-lb-") || len(lb.Name) > 32 {
			t.Errorf("load balancer name %q, want the provider's tf-lb- name", lb.Name)
		}
	}
	for _, tg := range st.TargetGroups {
		if !strings.HasPrefix(tg.Name, "tf-") || len(tg.Name) != 29 {
			t.Errorf("target group name %q, want tf- and 26 characters", tg.Name)
		}
	}
	if r := probe(t, res.Engine, "web/0", "internet:443"); r.Verdict != reach.Connected {
		t.Errorf("web/0 → the internet = %s: %s", r.Verdict, r.Summary)
	}
	if r := probe(t, res.Engine, "internet", lbName); r.Verdict != reach.HTTP200 {
		t.Errorf("internet → web = %s: %s", r.Verdict, r.Summary)
	}
}

// TestAutoscalingAttachmentForms: aws_autoscaling_attachment's
// alb_target_group_arn (the provider's name before 5.0, as HashiCorp's
// Learn tutorial wrote it) and elb (a Classic Load Balancer) attach the
// group; both were skipped as "not modelled". A reference to an attribute
// the type does not have is named in the error.
func TestAutoscalingAttachmentForms(t *testing.T) {
	// alb_target_group_arn is v4's (v5.0.0 removed it).
	const src = `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 4.0" }
  }
}
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_internet_gateway" "g" {
  vpc_id = aws_vpc.v.id
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1b"
}
resource "aws_launch_template" "web" {
  image_id      = "ami-12c6146b"
  instance_type = "t3.micro"
}
resource "aws_autoscaling_group" "web" {
  name                = "web"
  min_size            = 1
  max_size            = 1
  vpc_zone_identifier = [aws_subnet.a.id]
  launch_template {
    id = aws_launch_template.web.id
  }
}
resource "aws_lb_target_group" "web" {
  name     = "web"
  port     = 80
  protocol = "HTTP"
  vpc_id   = aws_vpc.v.id
}
resource "aws_lb" "web" {
  name    = "web"
  subnets = [aws_subnet.a.id, aws_subnet.b.id]
}
resource "aws_lb_listener" "web" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
resource "aws_autoscaling_attachment" "alb" {
  autoscaling_group_name = aws_autoscaling_group.web.id
  alb_target_group_arn   = aws_lb_target_group.web.arn
}
resource "aws_elb" "classic" {
  name    = "classic"
  subnets = [aws_subnet.a.id, aws_subnet.b.id]
  listener {
    instance_port     = 80
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }
}
resource "aws_autoscaling_attachment" "classic" {
  autoscaling_group_name = aws_autoscaling_group.web.id
  elb                    = aws_elb.classic.id
}
`
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644)
	res := load(t, dir, nil)
	st, _ := res.Engine.Snapshot()
	g := st.AutoScalingGroups["web"]
	if g == nil || len(g.TargetGroupARNs) != 1 || len(g.LoadBalancerNames) != 1 {
		t.Fatalf("group %+v, want the target group and the classic load balancer", g)
	}
	for _, tg := range st.TargetGroups {
		if tg.Targets.Len() != 1 {
			t.Errorf("target group %s has %d targets, want the group's instance", tg.Name, tg.Targets.Len())
		}
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.String(), "aws_autoscaling_attachment") {
			t.Errorf("warning %s", w)
		}
	}
	bad := src + `
resource "aws_lb_target_group_attachment" "test" {
  target_group_arn = aws_lb_target_group.web.arn
  target_id        = aws_autoscaling_group.web.instances
}
`
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(bad), 0o644)
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "aws_autoscaling_group.web.instances: an attribute ecsnet does not set, or one its type does not have") {
		t.Errorf("err = %v, want the unknown reference named", err)
	}
}

// TestUSWest1Zones: us-west-1 offers an account two of its zones a, b and
// c; a configuration naming us-west-1b and us-west-1c (as a public one
// does) was written for an account with b and c, and is read so (it was
// refused: "Subnets can currently only be created in the following
// availability zones: us-west-1a, us-west-1b").
func TestUSWest1Zones(t *testing.T) {
	src := "provider \"aws\" {\n  region = \"us-west-1\"\n}\ndata \"aws_availability_zones\" \"all\" {}\nresource \"aws_vpc\" \"v\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n" +
		"resource \"aws_subnet\" \"b\" {\n  vpc_id = aws_vpc.v.id\n  cidr_block = \"10.0.0.0/24\"\n  availability_zone = \"us-west-1b\"\n}\n" +
		"resource \"aws_subnet\" \"c\" {\n  vpc_id = aws_vpc.v.id\n  cidr_block = \"10.0.1.0/24\"\n  availability_zone = \"us-west-1c\"\n}\n" +
		"output \"zones\" {\n  value = data.aws_availability_zones.all.names\n}\n"
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644)
	res := load(t, dir, nil)
	if got := res.Outputs["zones"]; got != `["us-west-1b","us-west-1c"]` {
		t.Errorf("zones = %s", got)
	}
	// Naming 1a keeps the default pair, where 1c is refused as AWS refuses it.
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(strings.Replace(src, "us-west-1b", "us-west-1a", 1)), 0o644)
	if _, err := terraform.Load(dir, terraform.Options{}); err == nil || !strings.Contains(err.Error(), "us-west-1a, us-west-1b") {
		t.Errorf("a and c: err = %v, want 1c refused", err)
	}
}

// TestUndeclaredReferences: a root module that passes var.x to a module
// without declaring x (as a public one whose variables.tf is missing) is
// refused with Terraform's words at the first such reference; it said
// "There is no variable named "var"" at another line.
func TestUndeclaredReferences(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"module \"m\" {\n  source = \"./m\"\n  a = var.a\n  b = var.b\n}\n", `main.tf:3: Reference to undeclared input variable: An input variable with the name "a" has not been declared. This variable can be declared with a variable "a" {} block.`},
		{"locals {\n  x = 1\n}\noutput \"o\" {\n  value = local.y\n}\n", `main.tf:5: Reference to undeclared local value: A local value with the name "y" has not been declared.`},
	} {
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, "m"), 0o755)
		os.WriteFile(filepath.Join(dir, "m", "main.tf"), []byte("variable \"a\" {}\nvariable \"b\" {}\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "main.tf"), []byte(c.src), 0o644)
		_, err := terraform.Load(dir, terraform.Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s\nerr = %v, want %q", c.src, err, c.want)
		}
	}
}

// TestContainerInstanceWithoutProfile: instances whose user data joins an
// ECS cluster but that have no instance profile (a public configuration
// commented it out) are said: on AWS the agent cannot register them.
func TestContainerInstanceWithoutProfile(t *testing.T) {
	src := `
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_ecs_cluster" "c" {
  name = "demo"
}
resource "aws_launch_template" "lt" {
  image_id      = "ami-0c1f2a3b4d5e6f708"
  instance_type = "t3.micro"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=demo >> /etc/ecs/ecs.config\n")
  PROFILE
}
resource "aws_autoscaling_group" "g" {
  min_size            = 1
  max_size            = 1
  vpc_zone_identifier = [aws_subnet.a.id]
  launch_template {
    id = aws_launch_template.lt.id
  }
  depends_on = [aws_ecs_cluster.c]
}
`
	for _, c := range []struct {
		profile string
		warn    bool
	}{{"", true}, {"iam_instance_profile {\n    name = \"ecsInstanceRole\"\n  }", false}} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "main.tf"), []byte(strings.Replace(src, "PROFILE", c.profile, 1)), 0o644)
		res := load(t, dir, nil)
		warned := false
		for _, w := range res.Warnings {
			warned = warned || strings.Contains(w.String(), "aws_autoscaling_group.g: its instances join an ECS cluster without an instance profile")
		}
		if warned != c.warn {
			t.Errorf("profile %q: warned %v, want %v (%v)", c.profile, warned, c.warn, res.Warnings)
		}
	}
}

// TestECSModuleStandInV2V4: the ECS module's v2 and v4 interfaces, its
// ecs-instance-profile submodule and the autoscaling module's v3 interface
// are read with the stand-ins: the clusters' default strategies name their
// providers, the launch configurations' text user data joins each host
// to its cluster with the instance profile, and a disabled module makes
// nothing.
func TestECSModuleStandInV2V4(t *testing.T) {
	res := load(t, "testdata/standin-ecs-v2", nil)
	if res.Outputs["cluster"] != "v2" || !strings.HasPrefix(res.Outputs["lc"], "v2-") {
		t.Errorf("outputs = %v", res.Outputs)
	}
	st, _ := res.Engine.Snapshot()
	if len(st.Clusters) != 2 {
		t.Errorf("%d clusters, want v2 and v4 (the disabled one makes none)", len(st.Clusters))
	}
	want := map[string]string{"v2": "prov1", "v4": "one"}
	for _, c := range st.Clusters {
		if len(c.DefaultStrategy) != 1 || c.DefaultStrategy[0].CapacityProvider != want[c.Name] {
			t.Errorf("cluster %s default strategy %+v, want %s", c.Name, c.DefaultStrategy, want[c.Name])
		}
	}
	var one *model.CapacityProvider
	for _, cp := range st.CapacityProviders {
		if cp.Name == "one" {
			one = cp
		}
	}
	if one == nil || !one.ManagedScaling || one.TargetCapacity != 60 {
		t.Errorf("v4 provider = %+v, want managed scaling at 60", one)
	}
	active := 0
	for _, ci := range st.ContainerInstances {
		if ci.Status == "ACTIVE" {
			active++
		}
	}
	if active != 2 {
		t.Errorf("%d container instances, want one per cluster", active)
	}
	for _, in := range st.Instances {
		if in.Tags["Environment"] != "dev" || in.IAMProfile == "" {
			t.Errorf("instance %s: tags %v, profile %q", in.ID, in.Tags, in.IAMProfile)
		}
	}
}

// TestECSStandInSaysIgnoredServiceKeys: a key of the ECS module's
// services map that its stand-in never reads is named in a warning.
func TestECSStandInSaysIgnoredServiceKeys(t *testing.T) {
	dir := t.TempDir()
	src := `provider "aws" {
  region = "eu-west-1"
}
module "ecs" {
  source       = "terraform-aws-modules/ecs/aws"
  cluster_name = "c"
  services = {
    web = {
      create                   = false
      cpu                      = 256
      sigint_rollback          = true
    }
  }
}
`
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644)
	res, err := terraform.Load(dir, terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sum string
	for _, w := range res.Warnings {
		sum += w.String() + "\n"
	}
	if !strings.Contains(sum, `ecsnet's stand-in ignores services["web"].sigint_rollback`) || strings.Contains(sum, `services["web"].cpu`) {
		t.Errorf("warnings:\n%s", sum)
	}
}

// TestManagedInstancesPlaced: ECS Managed Instances from Terraform: a v6
// cluster module's managed_instances_provider (its stand-in makes the
// provider of the cluster) and a service of a task definition requiring
// MANAGED_INSTANCES with the provider's strategy. ECS launches an instance
// in the provider's subnet and places the service's awsvpc task on it:
// the task runs under the provider, launch type MANAGED_INSTANCES, with a
// private address only while the instance has a public one. A task
// definition requiring MANAGED_INSTANCES without a network mode is
// refused at its line.
func TestManagedInstancesPlaced(t *testing.T) {
	src := `provider "aws" {
  region = "eu-west-1"
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id                  = aws_vpc.v.id
  cidr_block              = "10.0.1.0/24"
  availability_zone       = "eu-west-1a"
  map_public_ip_on_launch = true
}
resource "aws_security_group" "g" {
  vpc_id = aws_vpc.v.id
}
module "cluster" {
  source = "terraform-aws-modules/ecs/aws//modules/cluster"
  name   = "mi"
  capacity_providers = {
    mi = {
      managed_instances_provider = {
        propagate_tags              = "CAPACITY_PROVIDER"
        infrastructure_optimization = { scale_in_after = 600 }
        instance_launch_template = {
          network_configuration = { subnets = [aws_subnet.a.id], security_groups = [aws_security_group.g.id] }
        }
      }
    }
  }
}
resource "aws_ecs_task_definition" "t" {
  family                   = "t"
  network_mode             = "awsvpc"
  requires_compatibilities = ["MANAGED_INSTANCES"]
  container_definitions    = jsonencode([{ name = "a", image = "nginx", memory = 256, portMappings = [{ containerPort = 80 }] }])
}
resource "aws_ecs_service" "s" {
  name            = "s"
  cluster         = module.cluster.name
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = 1
  capacity_provider_strategy {
    capacity_provider = "mi"
    weight            = 1
  }
  network_configuration {
    subnets         = [aws_subnet.a.id]
    security_groups = [aws_security_group.g.id]
  }
  depends_on = [module.cluster]
}
`
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644)
	res, err := terraform.Load(dir, terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := res.Engine.Snapshot()
	var cp *model.CapacityProvider
	for _, p := range st.CapacityProviders {
		cp = p
	}
	if cp == nil || cp.ManagedInstances == nil || !strings.HasSuffix(cp.ClusterARN, "/mi") {
		t.Fatalf("capacity provider %+v, want the cluster's Managed Instances provider", cp)
	}
	if v := cp.ManagedInstances.ScaleInAfter; v == nil || *v != 600 {
		t.Errorf("infrastructure_optimization.scale_in_after: %v, want 600", v)
	}
	var placed *model.Task
	for _, tk := range st.Tasks {
		placed = tk
	}
	if placed == nil || placed.LaunchType != model.LaunchManagedInstances || placed.CapacityProvider != "mi" || placed.ContainerInstanceARN == "" {
		t.Fatalf("task %+v, want one placed by the mi provider", placed)
	}
	ci := st.ContainerInstances[placed.ContainerInstanceARN]
	inst := st.Instances[ci.EC2InstanceID]
	if inst == nil || ci.CapacityProvider != "mi" {
		t.Fatalf("container instance %+v (instance %+v): want the provider's", ci, inst)
	}
	if _, ok := st.NetworkInterfaces[inst.PrimaryENI].PublicIP(); !ok {
		t.Errorf("the managed instance, in a subnet that maps public IPs, has no public IP")
	}
	n := st.NetworkInterfaces[placed.ENI()]
	if n == nil {
		t.Fatalf("the awsvpc task has no ENI")
	}
	if ip, ok := n.PublicIP(); ok {
		t.Errorf("task ENI %s has public IP %v", n.ID, ip)
	}

	bad := `provider "aws" {
  region = "eu-west-1"
}
resource "aws_ecs_task_definition" "t" {
  family                   = "t"
  requires_compatibilities = ["MANAGED_INSTANCES"]
  container_definitions    = jsonencode([{ name = "a", image = "nginx", memory = 256 }])
}
`
	dir = t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(bad), 0o644)
	if _, err := terraform.Load(dir, terraform.Options{}); err == nil || !strings.Contains(err.Error(), "network mode") {
		t.Errorf("MANAGED_INSTANCES without a network mode: err = %v", err)
	}
}

// TestServiceIAMRolePassed: aws_ecs_service's iam_role reaches ECS, which
// refuses one for an awsvpc service (it uses the service-linked role);
// until round ten the argument was dropped unsaid.
func TestServiceIAMRolePassed(t *testing.T) {
	dir := t.TempDir()
	src := `provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "s" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_ecs_cluster" "c" {
  name = "c"
}
resource "aws_ecs_task_definition" "t" {
  family                   = "t"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  container_definitions    = jsonencode([{ name = "a", image = "nginx" }])
}
resource "aws_ecs_service" "s" {
  name            = "s"
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.t.arn
  launch_type     = "FARGATE"
  iam_role        = "arn:aws:iam::123456789012:role/ecs"
  network_configuration {
    subnets = [aws_subnet.s.id]
  }
}
`
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644)
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "You cannot specify an IAM role for services that require a service linked role.") {
		t.Errorf("err = %v", err)
	}
}

// TestECSStandInSaysNestedServiceKeys: keys deeper in a service of the
// ECS module's services map are named too (a Service Connect client
// alias's test_traffic_rules, beside its port; the service's tls was the
// example until the stand-in passed it on, in round thirty-seven).
func TestECSStandInSaysNestedServiceKeys(t *testing.T) {
	dir := t.TempDir()
	src := `provider "aws" {
  region = "eu-west-1"
}
module "ecs" {
  source       = "terraform-aws-modules/ecs/aws"
  cluster_name = "c"
  services = {
    web = {
      create = false
      service_connect_configuration = {
        service = [{
          port_name    = "web"
          client_alias = { port = 80, test_traffic_rules = [{ header = { name = "x-canary" } }] }
        }]
      }
    }
  }
}
`
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644)
	res, err := terraform.Load(dir, terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sum string
	for _, w := range res.Warnings {
		sum += w.String() + "\n"
	}
	if !strings.Contains(sum, `services["web"].service_connect_configuration.service[0].client_alias.test_traffic_rules`) || strings.Contains(sum, `services["web"].create`) {
		t.Errorf("warnings:\n%s", sum)
	}
}
