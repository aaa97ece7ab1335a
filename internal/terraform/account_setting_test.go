package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/terraform"
)

// aws_ecs_account_setting_default sets the account default of an ECS
// setting: with dualStackIPv6 disabled a Fargate task in a dual-stack
// subnet gets no IPv6 address (enabled, AWS's default, it gets one),
// wherever the resource stands in the configuration.
func TestAccountSettingDefaultDualStackIPv6(t *testing.T) {
	for _, value := range []string{"disabled", "enabled"} {
		dir := t.TempDir()
		err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
  ipv6_cidr_block   = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
}
resource "aws_ecs_cluster" "c" {
  name = "c"
}
resource "aws_ecs_task_definition" "web" {
  family                   = "web"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"
  container_definitions    = jsonencode([{ name = "web", image = "nginx", portMappings = [{ containerPort = 80 }] }])
}
resource "aws_ecs_service" "web" {
  name            = "web"
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.web.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets = [aws_subnet.a.id]
  }
}
resource "aws_ecs_account_setting_default" "ipv6" {
  name  = "dualStackIPv6"
  value = "`+value+`"
}
`), 0o644)
		if err != nil {
			t.Fatal(err)
		}
		res, err := terraform.Load(dir, terraform.Options{})
		if err != nil {
			t.Fatal(err)
		}
		st, _ := res.Engine.Snapshot()
		tasks := 0
		for _, tk := range st.Tasks {
			tasks++
			if got := tk.Attachments[0].IPv6.IsValid(); got != (value == "enabled") {
				t.Errorf("dualStackIPv6 %s: the task has an IPv6 address: %v", value, got)
			}
		}
		if tasks == 0 {
			t.Errorf("dualStackIPv6 %s: no task", value)
		}
	}
}

// A task definition's volume blocks declare the volumes its containers
// mount; a mount point naming no volume is refused as ECS refuses it.
func TestTaskDefinitionVolumes(t *testing.T) {
	for _, tc := range []struct{ volume, want string }{
		{`volume {
    name = "data"
  }`, ""},
		{"", "Unknown volume 'data'."},
	} {
		dir := t.TempDir()
		err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
provider "aws" {
  region = "us-east-1"
}
resource "aws_ecs_task_definition" "web" {
  family                = "web"
  container_definitions = jsonencode([{ name = "web", image = "nginx", memory = 128, mountPoints = [{ sourceVolume = "data", containerPath = "/data" }] }])
  `+tc.volume+`
}
`), 0o644)
		if err != nil {
			t.Fatal(err)
		}
		_, err = terraform.Load(dir, terraform.Options{})
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("with the volume declared: %v", err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("without the volume: %v, want %q", err, tc.want)
		}
	}
}
