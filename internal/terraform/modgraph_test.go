package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// writeFiles writes name → content under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Two modules that read each other's outputs (the network module takes
// the app's security group, the app module the network's VPC) are not a
// cycle: Terraform's graph has a node per module variable and output. The
// system is in ap-northeast-1, whose zones are a, c and d, and in a VPC of
// the publicly routable 172.32.0.0/16, where a group reference still
// matches the private addresses of the group's ENIs.
func TestModulesReadEachOther(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"main.tf": `
provider "aws" { region = "ap-northeast-1" }
module "net" {
  source    = "./net"
  app_sg_id = module.app.sg_id
}
module "app" {
  source = "./app"
  vpc_id = module.net.vpc_id
  subnet = module.net.subnet_id
}
`,
		"net/main.tf": `
variable "app_sg_id" { type = string }
resource "aws_vpc" "this" { cidr_block = "172.32.0.0/16" }
resource "aws_subnet" "d" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "172.32.0.0/20"
  availability_zone = "ap-northeast-1d"
}
resource "aws_security_group" "client" {
  name   = "client"
  vpc_id = aws_vpc.this.id
}
resource "aws_security_group_rule" "to_app" {
  type                     = "egress"
  from_port                = 22
  to_port                  = 22
  protocol                 = "tcp"
  security_group_id        = aws_security_group.client.id
  source_security_group_id = var.app_sg_id
}
resource "aws_instance" "client" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.d.id
  vpc_security_group_ids = [aws_security_group.client.id]
  tags                   = { Name = "client" }
}
output "vpc_id" { value = aws_vpc.this.id }
output "subnet_id" { value = aws_subnet.d.id }
output "client_sg_id" { value = aws_security_group.client.id }
`,
		"app/main.tf": `
variable "vpc_id" { type = string }
variable "subnet" { type = string }
resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = var.vpc_id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["172.32.0.0/16"]
  }
}
resource "aws_instance" "app" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = var.subnet
  vpc_security_group_ids = [aws_security_group.app.id]
  tags                   = { Name = "app" }
}
output "sg_id" { value = aws_security_group.app.id }
`,
	})
	res := load(t, dir, nil)
	if res.Region != "ap-northeast-1" {
		t.Errorf("region = %s", res.Region)
	}
	if r := probe(t, res.Engine, "client", "app:22"); r.Verdict != reach.Connected {
		t.Errorf("client → app:22 = %s: %s", r.Verdict, r.Summary)
	}

	// A real cycle (an output that needs the other module's input that
	// needs this output) is still one, named by its variables and outputs.
	writeFiles(t, dir, map[string]string{"net/main.tf": `
variable "app_sg_id" { type = string }
resource "aws_vpc" "this" {
  cidr_block = "172.32.0.0/16"
  tags       = { App = var.app_sg_id }
}
output "vpc_id" { value = aws_vpc.this.id }
output "subnet_id" { value = "subnet-1" }
`})
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "Cycle: ") || !strings.Contains(err.Error(), "module.net.output.vpc_id") {
		t.Errorf("a real cycle between modules: err = %v", err)
	}
}

// A container definition built from resources ecsnet does not model (an
// ECR repository's URL for the image, a database's address in the
// environment) stays known: those attributes get placeholders of the
// shape AWS gives them.
func TestContainerDefinitionFromUnmodelledResources(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": `
resource "aws_ecr_repository" "api" { name = "api" }
resource "aws_db_instance" "db" {
  identifier     = "db"
  engine         = "postgres"
  instance_class = "db.t3.micro"
}
resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([{
    name        = "api"
    image       = "${aws_ecr_repository.api.repository_url}:1"
    memory      = 256
    environment = [{ name = "DB_HOST", value = aws_db_instance.db.address }]
  }])
}
`})
	res := load(t, dir, nil)
	st, _ := res.Engine.Snapshot()
	var image string
	for _, td := range st.TaskDefinitions {
		for _, c := range td.Containers {
			image = c.Image
		}
	}
	if image != "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1" {
		t.Errorf("image = %q", image)
	}
}

// An ECR repository's arn has AWS's shape (repository/NAME), so a container
// definition that names its image with the arn instead of repository_url
// registers as on AWS, and the analyzer sees the ARN it must not be.
func TestECRRepositoryARNPlaceholder(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": `
resource "aws_ecr_repository" "app" { name = "team/app" }
resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([{ name = "app", image = aws_ecr_repository.app.arn, memory = 256 }])
}
`})
	res := load(t, dir, nil)
	st, _ := res.Engine.Snapshot()
	var image string
	for _, td := range st.TaskDefinitions {
		for _, c := range td.Containers {
			image = c.Image
		}
	}
	if image != "arn:aws:ecr:us-east-1:123456789012:repository/team/app" {
		t.Errorf("image = %q", image)
	}
}
