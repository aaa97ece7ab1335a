package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestSweep14InstanceAvailabilityZone: an aws_instance's
// availability_zone is its placement (the provider sends it as
// Placement.AvailabilityZone): without a subnet the instance is in that
// zone's default subnet, and with a subnet of another zone EC2 refuses
// it. Before, the argument was not read: both instances landed in the
// same default subnet, and the argument was said unread.
func TestSweep14InstanceAvailabilityZone(t *testing.T) {
	res := load(t, "testdata/sweep14-instance-az", nil)
	st, _ := res.Engine.Snapshot()
	if len(st.Instances) != 2 {
		t.Fatalf("%d instances, want 2", len(st.Instances))
	}
	zones := map[string]bool{}
	for _, in := range st.Instances {
		eni := st.NetworkInterfaces[in.PrimaryENI]
		zones[st.Subnets[eni.SubnetID].AvailabilityZone] = true
	}
	if !zones["eu-west-1b"] || !zones["eu-west-1c"] {
		t.Errorf("zones %v, want eu-west-1b and eu-west-1c", zones)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "does not read availability_zone") {
			t.Errorf("warning %q", w)
		}
	}

	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`provider "aws" {
  region = "eu-west-1"
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_instance" "x" {
  ami               = "ami-0c1f2a3b4d5e6f708"
  instance_type     = "t3.micro"
  subnet_id         = aws_subnet.a.id
  availability_zone = "eu-west-1b"
}
`), 0o644)
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "main.tf:12: aws_instance.x: InvalidParameterValue: Value (eu-west-1b) for parameter availabilityZone is invalid. Subnet subnet-") {
		t.Errorf("err = %v", err)
	}
}

// TestSweep14MissingInstanceKey: a reference to an attribute of a
// resource with count (or for_each) set, without an instance key, is
// refused with Terraform's "Missing resource instance key" at its line;
// before, it was "Unsupported attribute: This value does not have any
// attributes." An index, a splat, or the whole resource are fine.
func TestSweep14MissingInstanceKey(t *testing.T) {
	t.Setenv("AWS_REGION", "us-east-1") // the fixtures have no provider block: no note of the region
	_, err := terraform.Load("testdata/sweep14-instance-key", terraform.Options{})
	want := "main.tf:24: Missing resource instance key: Because aws_lb_target_group.tg has \"count\" set, its attributes must be accessed on specific instances.\n\nFor example, to correlate with indices of a referring resource, use:\n    aws_lb_target_group.tg[count.index]"
	if err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("err = %v", err)
	}

	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`data "aws_availability_zones" "az" {}
data "aws_subnet" "s" {
  for_each          = toset(data.aws_availability_zones.az.names)
  availability_zone = each.key
  default_for_az    = true
}
output "ids" {
  value = [for s in data.aws_subnet.s : s.id]
}
output "one" {
  value = data.aws_subnet.s.id
}
`), 0o644)
	_, err = terraform.Load(dir, terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "main.tf:11: Missing resource instance key: Because data.aws_subnet.s has \"for_each\" set") ||
		!strings.HasSuffix(err.Error(), "data.aws_subnet.s[each.key]") {
		t.Errorf("err = %v", err)
	}
}

// TestSweep14MixedInstancesArm64: a group's mixed_instances_policy
// reaches Auto Scaling (its weighted Graviton overrides launch, Spot
// above the On-Demand base); before, the group launched the template's
// type On-Demand, with a warning that overrides were not modeled. The
// arm64 ECS AMI parameter answers an arm64 image, so a group of x86_64
// instances on it cannot launch, as on AWS; the service waiting on that
// group's capacity provider says why.
func TestSweep14MixedInstancesArm64(t *testing.T) {
	res := load(t, "testdata/sweep14-mixed-arm64", nil)
	st, _ := res.Engine.Snapshot()
	spot, n := 0, 0
	for _, in := range st.Instances {
		if in.Tags["aws:autoscaling:groupName"] != "graviton" {
			t.Errorf("instance %s of %q", in.ID, in.Tags["aws:autoscaling:groupName"])
			continue
		}
		n++
		if in.Type != "t4g.medium" && in.Type != "t4g.small" {
			t.Errorf("instance type %s", in.Type)
		}
		if in.Spot != nil {
			spot++
		}
	}
	if n < 2 || spot == 0 || spot == n {
		t.Errorf("%d instances, %d Spot: want an On-Demand base and Spot above it", n, spot)
	}
	found := false
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "mixed_instances_policy") {
			t.Errorf("warning %q", w)
		}
		if strings.Contains(w.Msg, "aws_ecs_service.s: 0 of 1 tasks running") &&
			strings.Contains(w.Msg, "the Auto Scaling group x86 of capacity provider x86 cannot launch instances: Launching a new EC2 instance. Status Reason: The architecture 'x86_64' of the specified instance type does not match the architecture 'arm64' of the specified AMI.") {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning names the x86 group's failed launch: %v", res.Warnings)
	}
}

// TestSweep14ALBModuleDefaultPort: the ALB module's v9/v10 map
// interface gives a target group and a listener that name no port or
// protocol the module's default_port and default_protocol (80, HTTP);
// before, the stand-in sent none and ELB refused the target group.
func TestSweep14ALBModuleDefaultPort(t *testing.T) {
	res := load(t, "testdata/sweep14-alb-default-port", nil)
	st, _ := res.Engine.Snapshot()
	if len(st.TargetGroups) != 1 || len(st.Listeners) != 1 {
		t.Fatalf("%d target groups, %d listeners", len(st.TargetGroups), len(st.Listeners))
	}
	for _, tg := range st.TargetGroups {
		if tg.Port != 80 || tg.Protocol != "HTTP" {
			t.Errorf("target group %d %s, want 80 HTTP", tg.Port, tg.Protocol)
		}
	}
	for _, l := range st.Listeners {
		if l.Port != 80 || l.Protocol != "HTTP" {
			t.Errorf("listener %d %s, want 80 HTTP", l.Port, l.Protocol)
		}
	}
}

// TestSweep14GPUInstanceTypes: g5 and g4dn, the hosts of the ECS GPU
// blueprints, are instance types EC2 launches (with their ENI limits:
// an awsvpc task on a g5.12xlarge has 14 interfaces to use); before,
// "The instance type 'g5.12xlarge' does not exist".
func TestSweep14GPUInstanceTypes(t *testing.T) {
	res := load(t, "testdata/sweep14-gpu-types", nil)
	st, _ := res.Engine.Snapshot()
	types := map[string]bool{}
	for _, in := range st.Instances {
		types[in.Type] = true
	}
	if !types["g5.12xlarge"] || !types["g4dn.xlarge"] || len(st.Instances) != 2 {
		t.Errorf("instance types %v, want g5.12xlarge and g4dn.xlarge", types)
	}
	it, ok := model.LookupInstanceType("g5.12xlarge")
	if !ok || it.VCPUs != 48 || it.MemoryMiB != 196608 || it.TasksWithoutTrunking() != 14 {
		t.Errorf("g5.12xlarge = %+v", it)
	}
}

// TestSweep14ServiceConnectDefaultsAndLogs: a service's Service Connect
// namespace read back from its cluster's service_connect_defaults block
// (aws_ecs_cluster.c.service_connect_defaults[0].namespace), and the
// proxy's log_configuration options kept with its driver; before, the
// options were said unread.
func TestSweep14ServiceConnectDefaultsAndLogs(t *testing.T) {
	res := load(t, "testdata/sweep14-sc-defaults", nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "does not read") {
			t.Errorf("warning %q", w)
		}
	}
	st, _ := res.Engine.Snapshot()
	n := 0
	for _, s := range st.Services {
		sc := s.ServiceConnectConfig
		if sc == nil || !sc.Enabled || sc.LogDriver != "awslogs" || sc.LogOptions["awslogs-stream-prefix"] != "sc-"+s.Name {
			t.Errorf("service %s: Service Connect %+v", s.Name, sc)
			continue
		}
		n++
	}
	if n != 2 {
		t.Errorf("%d services with Service Connect, want 2", n)
	}
	r := probe(t, res.Engine, "web/0", "cart-svc:8000")
	if r.Verdict != reach.Connected {
		t.Errorf("web/0 → cart-svc:8000: %s", r.Verdict)
	}
}

// TestSweep14LaunchTemplateSpot: a launch template's
// instance_market_options (market type spot) makes the instances an Auto
// Scaling group launches from it Spot Instances at its maximum price, and
// its monitoring block turns detailed monitoring on; before, both were
// said unread and the instances were On-Demand.
func TestSweep14LaunchTemplateSpot(t *testing.T) {
	res := load(t, "testdata/sweep14-lt-spot", nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "does not read") {
			t.Errorf("warning %q", w)
		}
	}
	st, _ := res.Engine.Snapshot()
	if len(st.Instances) != 2 {
		t.Fatalf("%d instances, want 2", len(st.Instances))
	}
	for _, in := range st.Instances {
		switch g := in.Tags["aws:autoscaling:groupName"]; g {
		case "spot":
			if in.Spot == nil || in.Spot.MaxPrice != "0.05" || in.Spot.Persistent || !in.Monitoring {
				t.Errorf("spot group's instance: Spot %+v, monitoring %v", in.Spot, in.Monitoring)
			}
		case "od":
			if in.Spot != nil || in.Monitoring {
				t.Errorf("od group's instance: Spot %+v, monitoring %v", in.Spot, in.Monitoring)
			}
		default:
			t.Errorf("instance of group %q", g)
		}
	}
}
