package terraform_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestRegistryModules: a root calling registry modules installed as
// terraform init leaves them, and a local module with for_each.
func TestRegistryModules(t *testing.T) {
	res := load(t, "testdata/registry", nil)
	if res.Region != "eu-west-1" {
		t.Errorf("region = %s, want the provider's eu-west-1", res.Region)
	}
	for _, addr := range []string{`module.services["api"].aws_ecs_service.this`, `module.services["web"].aws_ecs_service.this`, "module.alb.aws_lb.this"} {
		if res.Names[addr] == "" {
			t.Errorf("no %s among the created resources", addr)
		}
	}
	r := probe(t, res.Engine, "internet", "shop-alb")
	if r.Verdict != reach.HTTP200 {
		t.Errorf("internet → shop-alb = %s: %s", r.Verdict, r.Summary)
	}
	// Cloud Map: the services register in the namespace; names resolve
	// inside the VPC.
	if r := probe(t, res.Engine, "web/0", "api.shop.local:8080"); r.Verdict != reach.Connected {
		t.Errorf("web/0 → api.shop.local:8080 = %s: %s", r.Verdict, r.Summary)
	}
	if got := res.Outputs["service_names"]; got != `{"api":"api","web":"web"}` {
		t.Errorf("service_names output = %s", got)
	}
	st, _ := res.Engine.Snapshot()
	running := 0
	for _, tk := range st.Tasks {
		if tk.LastStatus == model.TaskRunning {
			running++
		}
	}
	if running != 3 {
		t.Errorf("running tasks = %d, want 3 (api ×2, web ×1)", running)
	}
	var sum string
	for _, w := range res.Warnings {
		sum += w.String() + "\n"
	}
	if !strings.Contains(sum, "2 resources not modelled") || !strings.Contains(sum, "2 aws_iam_role") {
		t.Errorf("warnings lack the summary of unmodeled types:\n%s", sum)
	}
	// The module's log groups are created (CreateLogGroup, retention 7
	// days): the tasks that write to them start.
	for _, name := range []string{"/ecs/api", "/ecs/web"} {
		if g := st.LogGroups[name]; g == nil || g.RetentionInDays != 7 {
			t.Errorf("log group %s = %+v, want it created with retention 7", name, g)
		}
	}
	// Terraform semantics: the ALB module's group has only its declared
	// egress (to the VPC CIDR), not AWS's default allow-all.
	for _, g := range st.SecurityGroups {
		if strings.HasPrefix(g.Name, "shop-alb-") {
			if len(g.Egress) != 1 || g.Egress[0].CIDR.String() != "10.10.0.0/16" {
				t.Errorf("ALB group egress = %+v, want only 10.10.0.0/16", g.Egress)
			}
		}
	}
}

func TestMissingModule(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte("module \"vpc\" {\n  source = \"terraform-aws-modules/eks/aws\"\n}\n"), 0o644)
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "terraform init") || !strings.Contains(err.Error(), "main.tf:2") {
		t.Errorf("err = %v, want main.tf:2 naming terraform init", err)
	}
}

func TestErrorsAtLines(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"resource \"aws_vpc\" \"a\" {\n  cidr_block = \n}\n", "main.tf:2"},
		{"resource \"aws_vpc\" \"a\" {\n  cidr_block = \"10.0.0.0/16\"\n}\nresource \"aws_subnet\" \"b\" {\n  vpc_id = aws_vpc.a.id\n  cidr_block = \"192.168.0.0/24\"\n}\n", "main.tf:6"},
		{"variable \"x\" {}\n", "No value for required variable"},
		{"provider \"aws\" {\n  region = \"es-east-2\"\n}\n", "main.tf:1: Invalid AWS Region: es-east-2"},
		{"locals {\n  a = local.b\n  b = local.a\n}\n", "Cycle"},
		{"output \"o\" {\n  value = cidrsubnet(\"10.0.0.0/16\", 20, 0)\n}\n", "main.tf:2"},
		{"resource \"aws_security_group\" \"s\" {\n  count = -1\n}\n", "main.tf:2"},
		{"variable \"n\" {\n  default = 3\n}\nresource \"aws_vpc\" \"v\" {\n  cidr_block = \"10.0.0.0/16\"\n  lifecycle {\n    precondition {\n      condition     = var.n < 2\n      error_message = \"too many\"\n    }\n  }\n}\n", "main.tf:8: aws_vpc.v: Resource precondition failed: too many"},
	} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "main.tf"), []byte(c.src), 0o644)
		_, err := terraform.Load(dir, terraform.Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.src, err, c.want)
		}
	}
}

func TestFunctions(t *testing.T) {
	dir := t.TempDir()
	src := `
output "subnet"  { value = cidrsubnet("10.1.0.0/16", 8, 2) }
output "host"    { value = cidrhost("10.1.2.0/24", -2) }
output "mask"    { value = cidrnetmask("10.0.0.0/12") }
output "subnets" { value = join(",", cidrsubnets("10.0.0.0/16", 4, 4, 8)) }
output "v6"      { value = cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162) }
output "misc"    { value = format("%s-%03d", upper("a"), sum([1, 2, 3])) }
output "one"     { value = one([for x in ["a", "b"] : x if x == "b"]) }
output "lookup"  { value = lookup({a = 1}, "b", null) == null }
output "try"     { value = try(tonumber("x"), 7) }
output "coal"    { value = coalesce("", null, "z") }
output "yaml"    { value = join(",", [for s in yamldecode("services:\n  - {name: api, port: 8080}\n  - {name: web, port: 3000}\n").services : "${s.name}:${s.port}"]) }
output "tpl"     { value = templatestring("$${a}-x", { a = "b" }) }
`
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644)
	res, err := terraform.Load(dir, terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"subnet": "10.1.2.0/24", "host": "10.1.2.254", "mask": "255.240.0.0",
		"subnets": "10.0.0.0/20,10.0.16.0/20,10.0.32.0/24", "v6": "fd00:fd12:3456:7800:a200::/72", "misc": "A-006", "one": "b", "lookup": "true", "try": "7", "coal": "z", "yaml": "api:8080,web:3000", "tpl": "b-x"}
	for k, v := range want {
		if res.Outputs[k] != v {
			t.Errorf("%s = %q, want %q", k, res.Outputs[k], v)
		}
	}
}

func TestStateJSON(t *testing.T) {
	res, err := terraform.LoadJSON("testdata/state.json", terraform.Options{EngineOptions: []engine.Option{engine.WithStartCheck(reach.StartCheck)}})
	if err != nil {
		t.Fatal(err)
	}
	r := probe(t, res.Engine, "internet", "api/0:8080")
	if r.Verdict != reach.Connected {
		t.Errorf("internet → api/0:8080 = %s: %s", r.Verdict, r.Summary)
	}
	// Groups referring to each other: rules wait until every group exists.
	st, _ := res.Engine.Snapshot()
	var api, bastion *model.SecurityGroup
	for _, g := range st.SecurityGroups {
		switch g.Name {
		case "api":
			api = g
		case "bastion":
			bastion = g
		}
	}
	found := 0
	for _, r := range api.Ingress {
		if r.Group == bastion.ID && r.Ports.First == 9090 {
			found++
		}
	}
	for _, r := range bastion.Ingress {
		if r.Group == api.ID && r.Ports.First == 9090 {
			found++
		}
	}
	if found != 2 {
		t.Errorf("api ingress %+v, bastion ingress %+v: want tcp/9090 from each other's group", api.Ingress, bastion.Ingress)
	}
	// The instance keeps the state's addresses.
	if r := probe(t, res.Engine, "internet", "203.0.113.50:22"); r.Verdict != reach.Connected {
		t.Errorf("internet → 203.0.113.50:22 (the state's public IP) = %s: %s", r.Verdict, r.Summary)
	}
	if r := probe(t, res.Engine, "api/0", "10.20.1.100:22"); r.Verdict != reach.Connected {
		t.Errorf("api/0 → 10.20.1.100:22 (the state's private IP) = %s: %s", r.Verdict, r.Summary)
	}
	hashNote := false
	for _, w := range res.Warnings {
		hashNote = hashNote || strings.Contains(w.Msg, "hash of the user data")
	}
	if !hashNote {
		t.Errorf("no warning about the hashed user data: %v", res.Warnings)
	}
}

func TestPlanJSON(t *testing.T) {
	res, err := terraform.LoadJSON("testdata/plan.json", terraform.Options{EngineOptions: []engine.Option{engine.WithStartCheck(reach.StartCheck)}})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := res.Engine.Snapshot()
	var svc *model.Service
	for _, s := range st.Services {
		svc = s
	}
	if svc == nil || svc.Network == nil || len(svc.Network.Subnets) != 2 || len(svc.Network.SecurityGroups) != 1 {
		t.Fatalf("service network = %+v, want the module's two subnets and the group (from the configuration's references)", svc)
	}
	// Private subnets, no NAT, a group without egress: Fargate cannot pull
	// its image, as on AWS.
	found := false
	for _, w := range res.Warnings {
		found = found || strings.Contains(w.Msg, "0 of 2 tasks running")
	}
	if !found {
		t.Errorf("no warning about the job service's tasks: %v", res.Warnings)
	}
	if !terraform.IsShowJSON([]byte(`{"format_version":"1.2","terraform_version":"1.11.0"}`)) || terraform.IsShowJSON([]byte(`{"Resources":{}}`)) {
		t.Error("IsShowJSON")
	}
}

// gen writes a configuration of n resources (VPCs with subnets, groups
// and rules, count and for_each), for the benchmark and the fuzz seeds.
func gen(dir string, n int) {
	var b strings.Builder
	vpcs := n / 10
	fmt.Fprintf(&b, "locals {\n  vpcs = %d\n}\n", vpcs)
	b.WriteString(`
resource "aws_vpc" "v" {
  count      = local.vpcs
  cidr_block = cidrsubnet("10.0.0.0/8", 8, count.index)
}
resource "aws_subnet" "s" {
  count      = local.vpcs * 4
  vpc_id     = aws_vpc.v[floor(count.index / 4)].id
  cidr_block = cidrsubnet(aws_vpc.v[floor(count.index / 4)].cidr_block, 8, count.index % 4)
}
resource "aws_security_group" "g" {
  count  = local.vpcs * 2
  name   = "g-${count.index}"
  vpc_id = aws_vpc.v[floor(count.index / 2)].id
  dynamic "ingress" {
    for_each = [80, 443]
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
resource "aws_vpc_security_group_egress_rule" "e" {
  count             = local.vpcs * 3
  security_group_id = aws_security_group.g[count.index % (local.vpcs * 2)].id
  ip_protocol       = "tcp"
  from_port         = 1000 + count.index
  to_port           = 1000 + count.index
  cidr_ipv4         = "10.0.0.0/8"
}
`)
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(b.String()), 0o644)
}

// BenchmarkLoad2000: a configuration of 2,000 resources.
func BenchmarkLoad2000(b *testing.B) {
	dir := b.TempDir()
	gen(dir, 2000)
	for b.Loop() {
		res, err := terraform.Load(dir, terraform.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Resources) != 2000 {
			b.Fatalf("%d resources", len(res.Resources))
		}
	}
}

// FuzzLoad: any configuration text loads or fails with an error, never a
// panic.
func FuzzLoad(f *testing.F) {
	for _, p := range []string{"../../examples/terraform/article/main.tf", "testdata/registry/main.tf", "testdata/registry/.terraform/modules/vpc/main.tf"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("resource \"aws_vpc\" \"a\" { cidr_block = \"10.0.0.0/16\" }\n")
	f.Fuzz(func(t *testing.T, src string) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644)
		res, err := terraform.Load(dir, terraform.Options{})
		var te *terraform.Error
		if err != nil && strings.Contains(err.Error(), "internal error") && !errors.As(err, &te) {
			t.Fatalf("panic: %v", err)
		}
		_ = res
	})
}

// TestOlderPatterns: the default VPC through data sources, random_id
// names, template_file, a revision from data.aws_ecs_task_definition, an
// HTTPS listener with a placeholder certificate.
func TestOlderPatterns(t *testing.T) {
	res := load(t, "testdata/defaultvpc", nil)
	lb := res.Names["aws_lb.app"]
	if lb == "" {
		t.Fatalf("no aws_lb.app: %v", res.Names)
	}
	if r := probe(t, res.Engine, "internet", lb); r.Verdict != reach.HTTP200 {
		t.Errorf("internet → the ALB = %s: %s", r.Verdict, r.Summary)
	}
	said := false
	for _, w := range res.Warnings {
		said = said || strings.Contains(w.Msg, "default VPC") && strings.Contains(w.Msg, "--base")
	}
	if !said {
		t.Errorf("no warning that the default VPC is assumed: %v", res.Warnings)
	}
	st, _ := res.Engine.Snapshot()
	for _, g := range st.SecurityGroups {
		if strings.HasPrefix(g.Name, "app-") && len(g.Name) != len("app-")+8 {
			t.Errorf("group name %q: want app- and random_id's 8 hex digits", g.Name)
		}
	}
}

// TestJSONSyntaxAndVariables: *.tf.json files, terraform.tfvars,
// *.auto.tfvars and -var in Terraform's order of precedence, nullable,
// optional attributes, and a resource in a second region.
func TestJSONSyntaxAndVariables(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"main.tf.json": `{
  "variable": {
    "cidr": {"type": "string", "default": "10.0.0.0/16"},
    "name": {"type": "string", "default": "from-default"},
    "zone": {"type": "string", "default": "a", "nullable": false},
    "cfg":  {"type": "object({ public = optional(bool, true), tags = optional(map(string), {}) })", "default": {}}
  },
  "provider": {"aws": [{"region": "us-west-2"}, {"alias": "east", "region": "us-east-1"}]},
  "resource": {
    "aws_vpc": {"main": {"cidr_block": "${var.cidr}", "tags": {"Name": "${var.name}"}},
                "east": {"provider": "aws.east", "cidr_block": "10.9.0.0/16"}},
    "aws_subnet": {"a": {"vpc_id": "${aws_vpc.main.id}", "cidr_block": "${cidrsubnet(var.cidr, 8, 1)}",
      "availability_zone": "us-west-2${var.zone}", "map_public_ip_on_launch": "${var.cfg.public}"}}
  }
}`,
		"terraform.tfvars":   "name = \"from-tfvars\"\ncidr = \"10.1.0.0/16\"\n",
		"b.auto.tfvars":      "name = \"from-auto\"\n",
		"a.auto.tfvars.json": `{"name": "from-auto-json", "zone": null}`,
	}
	for n, s := range files {
		os.WriteFile(filepath.Join(dir, n), []byte(s), 0o644)
	}
	res, err := terraform.Load(dir, terraform.Options{Vars: map[string]string{"cidr": "10.2.0.0/16"}})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := res.Engine.Snapshot()
	var vpc *model.VPC
	for _, v := range st.VPCs {
		vpc = v
	}
	if len(st.VPCs) != 1 || vpc.CIDR.String() != "10.2.0.0/16" || vpc.Tags["Name"] != "from-auto" {
		t.Errorf("vpc = %v %v (of %d), want 10.2.0.0/16 (-var) named from-auto (b.auto.tfvars after a.auto.tfvars.json)", vpc.CIDR, vpc.Tags, len(st.VPCs))
	}
	for _, s := range st.Subnets {
		if s.AvailabilityZone != "us-west-2a" || !s.MapPublicIPOnLaunch || s.CIDR.String() != "10.2.1.0/24" {
			t.Errorf("subnet = %s %s public %v; want us-west-2a (nullable = false keeps the default), public from the optional attribute's default", s.CIDR, s.AvailabilityZone, s.MapPublicIPOnLaunch)
		}
	}
	if res.Region != "us-west-2" {
		t.Errorf("region = %s", res.Region)
	}
	said := false
	for _, w := range res.Warnings {
		said = said || strings.Contains(w.Msg, "aws_vpc.east is in region us-east-1")
	}
	if !said || len(res.Skipped) != 1 {
		t.Errorf("the second region's VPC should be skipped and said: %v", res.Warnings)
	}
}

// TestBase: a configuration applied on top of an existing system finds
// its VPC, subnets and groups through data sources.
func TestBase(t *testing.T) {
	base := load(t, repoFile("examples/terraform/article"), nil)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
data "aws_vpc" "main" {
  tags = { Name = "main" }
}
data "aws_subnets" "public" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.main.id]
  }
  filter {
    name   = "tag:Name"
    values = ["public-*"]
  }
}
data "aws_security_group" "task" {
  name   = "task-sg"
  vpc_id = data.aws_vpc.main.id
}
data "aws_ecs_cluster" "demo" {
  cluster_name = "demo"
}
data "aws_vpcs" "all" {}
data "aws_security_groups" "in_main" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.main.id]
  }
}
data "aws_route_table" "public" {
  subnet_id = data.aws_subnets.public.ids[0]
}
data "aws_internet_gateway" "igw" {
  filter {
    name   = "attachment.vpc-id"
    values = [data.aws_vpc.main.id]
  }
}
output "found" {
  value = "${length(data.aws_vpcs.all.ids)} ${length(data.aws_security_groups.in_main.ids)} ${data.aws_route_table.public.vpc_id == data.aws_vpc.main.id} ${substr(data.aws_internet_gateway.igw.id, 0, 4)}"
}
resource "aws_ecs_task_definition" "api" {
  family                   = "api"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  container_definitions    = jsonencode([{ name = "api", image = "public.ecr.aws/nginx/nginx:1.27", portMappings = [{ containerPort = 3000 }] }])
}
resource "aws_ecs_service" "api" {
  name            = "api"
  cluster         = data.aws_ecs_cluster.demo.arn
  task_definition = aws_ecs_task_definition.api.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = data.aws_subnets.public.ids
    security_groups  = [data.aws_security_group.task.id]
    assign_public_ip = true
  }
}
`), 0o644)
	res, err := terraform.Load(dir, terraform.Options{Base: base.Engine})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Outputs["found"]; got != "1 3 true igw-" {
		t.Errorf("data sources over the base: %q, want 1 VPC, 3 groups (default, instance-sg, task-sg), the public route table, the gateway", got)
	}
	if r := probe(t, res.Engine, "internet", "api/0:3000"); r.Verdict != reach.Connected {
		t.Errorf("internet → api/0:3000 = %s: %s", r.Verdict, r.Summary)
	}
	// The base is not changed.
	st, _ := base.Engine.Snapshot()
	for _, s := range st.Services {
		if s.Name == "api" {
			t.Error("the base engine got the new service")
		}
	}
}

func TestHostileInput(t *testing.T) {
	for _, src := range []string{
		"module \"me\" {\n  source = \"./\"\n}\n",
		"output \"x\" {\n  value = file(\"/dev/zero\")\n}\n",
		"resource \"aws_vpc\" \"v\" {\n  count = 100000000\n  cidr_block = \"10.0.0.0/16\"\n}\n",
	} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644)
		var te *terraform.Error
		if _, err := terraform.Load(dir, terraform.Options{}); !errors.As(err, &te) || te.Line == 0 {
			t.Errorf("%q: err = %v, want an error at a line", src, err)
		}
	}
}

// TestEveryHandler: each resource type leaves what AWS would hold.
func TestEveryHandler(t *testing.T) {
	res := load(t, "testdata/kitchen", nil)
	st, _ := res.Engine.Snapshot()
	id := func(addr string) string {
		for _, r := range res.Resources {
			if r.Address == addr {
				return r.ID
			}
		}
		t.Fatalf("%s was not created", addr)
		return ""
	}
	vpc := st.VPCs[model.VpcID(id("aws_vpc.main"))]
	if g := st.SecurityGroups[vpc.DefaultSecurityGroup]; len(g.Ingress)+len(g.Egress) != 0 {
		t.Errorf("aws_default_security_group: rules %v %v, want none (adopted and reset)", g.Ingress, g.Egress)
	}
	if vpc.MainRouteTable != model.RouteTableID(id("aws_route_table.private")) {
		t.Errorf("main route table = %s, want aws_route_table.private", vpc.MainRouteTable)
	}
	if rt := st.RouteTables[model.RouteTableID(id("aws_default_route_table.main"))]; rt == nil || rt.Tags["Name"] != "main-rt" || len(rt.Routes) != 1 {
		t.Errorf("aws_default_route_table = %+v, want only the local route and its tag", rt)
	}
	priv := model.SubnetID(id("aws_subnet.private"))
	if acl := st.SubnetNetworkACL(priv); acl == nil || string(acl.ID) != id("aws_network_acl.private") || len(acl.Entries) != 5 {
		t.Errorf("private subnet's ACL = %+v, want aws_network_acl.private with 3 rules and the 2 default denies", acl)
	}
	rt := st.SubnetRouteTable(priv)
	var nat, endpoint bool
	for _, r := range rt.Routes {
		nat = nat || r.Target == model.TargetNatGateway
		endpoint = endpoint || r.Target == model.TargetVpcEndpoint
	}
	if !nat || !endpoint {
		t.Errorf("private route table routes = %+v, want the NAT gateway (inline route) and the S3 endpoint", rt.Routes)
	}
	inst := st.Instances[model.InstanceID(id("aws_instance.web"))]
	if pub, _ := st.NetworkInterfaces[inst.PrimaryENI].PublicIP(); pub.String() != "203.0.113.81" {
		t.Errorf("aws_instance.web public IP = %v, want the EIP 203.0.113.81 (aws_eip_association)", pub)
	}
	tg := st.TargetGroups[id("aws_lb_target_group.web")]
	if ts := tg.Targets.Slice(); len(ts) != 1 || ts[0].ID != string(inst.ID) || ts[0].Port != 80 {
		t.Errorf("aws_lb_target_group_attachment: targets %+v", ts)
	}
	var web *model.SecurityGroup
	for _, g := range st.SecurityGroups {
		if strings.HasPrefix(g.Name, "web-") {
			web = g
		}
	}
	if web == nil || len(web.Name) != len("web-")+26 || len(web.Ingress) != 1 || len(web.Egress) != 1 {
		t.Errorf("name_prefix group = %+v, want web- and 26 characters, one rule each way (no default egress)", web)
	}
	registered := 0
	for _, ci := range st.ContainerInstances {
		if ci.Status == "ACTIVE" {
			registered++
		}
	}
	if registered != 1 {
		t.Errorf("container instances = %d, want the launch configuration's instance registered", registered)
	}
	if r := probe(t, res.Engine, "internet", "kitchen-front"); r.Verdict != reach.HTTP200 {
		t.Errorf("internet → kitchen-front = %s: %s", r.Verdict, r.Summary)
	}
	eni := st.NetworkInterfaces[model.NetworkInterfaceID(id("aws_network_interface.web_private"))]
	if eni == nil || eni.PrimaryIP().String() != "10.40.0.50" || eni.Attachment == nil || eni.Attachment.InstanceID != inst.ID ||
		eni.Attachment.DeviceIndex != 1 || len(eni.SecurityGroups) != 2 {
		t.Errorf("aws_network_interface = %+v, want 10.40.0.50 attached to the web instance at 1 with two groups", eni)
	}
}

// TestVarParsing: -var values are strings for untyped and primitive
// variables, HCL for any and complex types; legacy type keywords.
func TestVarParsing(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
variable "a" {}
variable "b" {
  type = any
}
variable "c" {
  type    = list
  default = []
}
variable "d" {
  type = list(string)
}
variable "e" {
  type = number
}
output "o" {
  value = "${var.a}|${jsonencode(var.b)}|${length(var.c)}|${join(",", var.d)}|${var.e + 1}"
}
`), 0o644)
	t.Setenv("TF_VAR_e", "1")     // overridden by -var
	t.Setenv("TF_VAR_c", `["z"]`) // overridden by nothing: the default loses
	res, err := terraform.Load(dir, terraform.Options{Vars: map[string]string{"a": "us-east-1", "b": "{x = 1}", "d": `["p", "q"]`, "e": "41"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Outputs["o"]; got != `us-east-1|{"x":1}|1|p,q|42` {
		t.Errorf("o = %s", got)
	}
}

func TestContainerLabels(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
resource "aws_ecs_task_definition" "t" {
  family = "t"
  container_definitions = jsonencode([{ name = "a", image = "x", memory = 128,
    portMappings = [{ containerPort = 80 }],
    dockerLabels = { "ecsnet.listen" = "127.0.0.1", "ecsnet.serves" = "/health=200,/=204" } }])
}
`), 0o644)
	res, err := terraform.Load(dir, terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	td, err := res.Engine.TaskDefinition("t")
	if err != nil {
		t.Fatal(err)
	}
	c := td.Containers[0]
	if c.ListenAddress.String() != "127.0.0.1" || c.Serves["/health"] != 200 || c.Serves["/"] != 204 || c.PortMappings[0].ContainerPort != 80 {
		t.Errorf("container = %+v", c)
	}
}

// TestProviderBeforeModules: a module declared before the provider block
// still creates its resources in the provider's region.
func TestProviderBeforeModules(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "m"), 0o755)
	os.WriteFile(filepath.Join(dir, "m", "main.tf"), []byte("resource \"aws_vpc\" \"v\" {\n  cidr_block = \"10.0.0.0/16\"\n}\noutput \"arn\" {\n  value = aws_vpc.v.arn\n}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte("module \"a\" {\n  source = \"./m\"\n}\nprovider \"aws\" {\n  region = \"eu-west-1\"\n}\noutput \"arn\" {\n  value = module.a.arn\n}\n"), 0o644)
	res, err := terraform.Load(dir, terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Region != "eu-west-1" || !strings.HasPrefix(res.Outputs["arn"], "arn:aws:ec2:eu-west-1:") {
		t.Errorf("region %s, arn %s; want eu-west-1", res.Region, res.Outputs["arn"])
	}
}

// TestStateOnDefaultVPC: a state whose resources live in the default VPC
// it read through data sources.
func TestStateOnDefaultVPC(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	os.WriteFile(path, []byte(`{"format_version":"1.0","terraform_version":"1.11.0","values":{"root_module":{"resources":[
 {"address":"data.aws_vpc.default","mode":"data","type":"aws_vpc","name":"default","values":{"id":"vpc-0d0d0d0d0d0d0d0d0","default":true,"cidr_block":"172.31.0.0/16"}},
 {"address":"data.aws_subnet.a","mode":"data","type":"aws_subnet","name":"a","values":{"id":"subnet-0a0a0a0a0a0a0a0a0","default_for_az":true,"availability_zone":"us-east-1a"}},
 {"address":"aws_security_group.web","mode":"managed","type":"aws_security_group","name":"web","values":{"id":"sg-0e0e0e0e0e0e0e0e0","name":"web","description":"web","vpc_id":"vpc-0d0d0d0d0d0d0d0d0",
   "ingress":[{"from_port":22,"to_port":22,"protocol":"tcp","cidr_blocks":["0.0.0.0/0"],"ipv6_cidr_blocks":[],"prefix_list_ids":[],"security_groups":[],"self":false,"description":""}],
   "egress":[{"from_port":0,"to_port":0,"protocol":"-1","cidr_blocks":["0.0.0.0/0"],"ipv6_cidr_blocks":[],"prefix_list_ids":[],"security_groups":[],"self":false,"description":""}]}},
 {"address":"aws_instance.web","mode":"managed","type":"aws_instance","name":"web","values":{"id":"i-0f0f0f0f0f0f0f0f0","ami":"ami-0c1f2a3b4d5e6f708","instance_type":"t3.micro",
   "subnet_id":"subnet-0a0a0a0a0a0a0a0a0","vpc_security_group_ids":["sg-0e0e0e0e0e0e0e0e0"],"associate_public_ip_address":true,"public_ip":"203.0.113.60","private_ip":"172.31.0.10"}}
]}}}`), 0o644)
	res, err := terraform.LoadJSON(path, terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := probe(t, res.Engine, "internet", "203.0.113.60:22"); r.Verdict != reach.Connected {
		t.Errorf("internet → 203.0.113.60:22 = %s: %s", r.Verdict, r.Summary)
	}
	said := false
	for _, w := range res.Warnings {
		said = said || strings.Contains(w.Msg, "default VPC")
	}
	if !said {
		t.Errorf("no warning that the default VPC is assumed: %v", res.Warnings)
	}
}

// Cloud Map namespaces of the three types; an HTTP namespace's service has
// no DNS records.
func TestCloudMapNamespaces(t *testing.T) {
	res := load(t, filepath.Join("testdata", "cloudmap"), nil)
	st, _ := res.Engine.Snapshot()
	types := map[string]string{}
	for _, ns := range st.Namespaces {
		types[ns.Name] = ns.Type
	}
	want := map[string]string{"corp.local": model.NamespaceDNSPrivate, "apis": model.NamespaceHTTP, "example.com": model.NamespaceDNSPublic}
	if !maps.Equal(types, want) {
		t.Errorf("namespaces %v, want %v", types, want)
	}
	if len(st.DiscoveryServices) != 1 {
		t.Fatalf("%d discovery services, want 1", len(st.DiscoveryServices))
	}
	for _, s := range st.DiscoveryServices {
		if s.Type != "HTTP" || len(s.DNSRecords) != 0 {
			t.Errorf("billing: type %s, records %v", s.Type, s.DNSRecords)
		}
	}
}

// TestMoreFunctions: the Terraform 1.x functions go-cty's library lacks,
// with the values Terraform's documentation gives, and their errors in
// Terraform's words at the file and line of the call.
func TestMoreFunctions(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "files", "sub"), 0o755)
	for _, f := range []string{"files/a.json", "files/b.txt", "files/sub/c.json"} {
		os.WriteFile(filepath.Join(dir, f), []byte("hello"), 0o644)
	}
	src := `
output "b64sha256" { value = base64sha256("hello") }
output "fileb64"   { value = filebase64sha256("files/a.json") }
output "sha512"    { value = substr(base64sha512("hello"), 0, 20) }
output "gzip"      { value = base64gzip("hello") }
output "utf16"     { value = textencodebase64("Hello World", "UTF-16LE") }
output "back"      { value = textdecodebase64("SABlAGwAbABvACAAVwBvAHIAbABkAA==", "UTF-16LE") }
output "fileset"   { value = join(",", sort(fileset(path.module, "files/**/*.json"))) }
output "braces"    { value = join(",", sort(fileset("${path.module}/files", "*.{txt,json}"))) }
output "matchkeys" { value = join(",", matchkeys(["i-1", "i-2", "i-3"], ["a", "b", "a"], ["a"])) }
output "timecmp"   { value = timecmp("2017-11-22T00:00:00Z", "2017-11-22T01:00:00+01:00") }
output "uuidv5"    { value = uuidv5("dns", "www.terraform.io") }
output "bcrypt"    { value = substr(bcrypt("x", 6), 0, 7) }
output "ephemeral" { value = ephemeralasnull("v") }
`
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644)
	res, err := terraform.Load(dir, terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"b64sha256": "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=", "fileb64": "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=",
		"sha512": "m3HSJL1i83hdltRq0+o9", "utf16": "SABlAGwAbABvACAAVwBvAHIAbABkAA==", "back": "Hello World",
		"fileset": "files/a.json,files/sub/c.json", "braces": "a.json,b.txt", "matchkeys": "i-1,i-3", "timecmp": "0",
		"uuidv5": "a5008fae-b28c-5ba5-96cd-82b4c53552d6", "bcrypt": "$2a$06$", "ephemeral": "v",
	}
	for k, v := range want {
		if res.Outputs[k] != v {
			t.Errorf("%s = %q, want %q", k, res.Outputs[k], v)
		}
	}
	if gz, err := base64.StdEncoding.DecodeString(res.Outputs["gzip"]); err != nil {
		t.Errorf("gzip = %q: %v", res.Outputs["gzip"], err)
	} else if r, err := gzip.NewReader(bytes.NewReader(gz)); err != nil {
		t.Errorf("gzip: %v", err)
	} else if b, _ := io.ReadAll(r); string(b) != "hello" {
		t.Errorf("gzip holds %q, want hello", b)
	}
	for _, c := range []struct{ src, want string }{
		{"output \"o\" {\n  value = textencodebase64(\"x\", \"KLINGON\")\n}\n", `main.tf:2: Invalid function argument: Invalid value for "encoding" parameter: "KLINGON" is not a supported IANA encoding name or alias in this Terraform version.`},
		{"output \"o\" {\n  value = matchkeys([1, 2], [1], [1])\n}\n", "main.tf:2: Error in function call: Call to function \"matchkeys\" failed: length of keys and values should be equal."},
		{"output \"o\" {\n  value = fileset(\".\", \"[\")\n}\n", `failed to glob pattern "[": syntax error in pattern`},
		{"output \"o\" {\n  value = timecmp(\"2017-11-22\", \"2017-11-22T00:00:00Z\")\n}\n", "main.tf:2"},
		{"locals {\n  m = { a = \"x\", b = \"y\" }\n  r = [for k, v in local.m : lookup(v, \"n\", 1)]\n}\noutput \"o\" { value = local.r }\n", "main.tf:3: Invalid function argument: Invalid value for \"inputMap\" parameter: lookup() requires a map as the first argument."},
		{"output \"o\" {\n  value = lookup({ a = 1 }, \"b\")\n}\n", "main.tf:2: Invalid function argument: Invalid value for \"inputMap\" parameter: the given object has no attribute \"b\"."},
		{"output \"o\" {\n  value = base64decode(\"/w==\")\n}\n", "main.tf:2: Error in function call: Call to function \"base64decode\" failed: the result of decoding the provided string is not valid UTF-8."},
		{"output \"o\" {\n  value = uuidv5(\"nope\", \"x\")\n}\n", "uuidv5() doesn't support namespace nope (invalid UUID length: 4)"},
	} {
		d := t.TempDir()
		os.WriteFile(filepath.Join(d, "main.tf"), []byte(c.src), 0o644)
		_, err := terraform.Load(d, terraform.Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.src, err, c.want)
		} else if strings.Count(err.Error(), "\n") > 0 {
			t.Errorf("%q: err repeats itself: %v", c.src, err)
		}
	}
}
