package terraform_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/terraform"
)

func tfDir(t *testing.T, files map[string]string) string {
	dir := t.TempDir()
	writeFiles(t, dir, files)
	return dir
}

const vpcOnly = `provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
`

// TestEveryError: every error of a configuration is reported, each at its
// file and line, sorted by file and line, as `terraform validate` lists
// them; what depends on a failed value is not evaluated (no cascade), and
// what does not is. An error of the configuration stops Terraform before
// it calls AWS; with none, every refusal of AWS is reported, as apply goes
// on with what does not depend on a failure.
func TestEveryError(t *testing.T) {
	dir := tfDir(t, map[string]string{
		"a.tf": vpcOnly + `resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet("10.0.0.0/16", 8, 300)
}
resource "aws_security_group" "uses_a" {
  vpc_id = aws_subnet.a.vpc_id
}
`,
		"b.tf": `locals {
  n = length(5)
}
resource "aws_subnet" "b" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.1.0.0/24"
}
`,
	})
	_, err := terraform.Load(dir, terraform.Options{})
	var es terraform.Errors
	if !errors.As(err, &es) {
		t.Fatalf("err = %v, want several", err)
	}
	var got []string
	for _, e := range es {
		got = append(got, filepath.Base(e.File)+":"+itoa(e.Line))
	}
	// a.tf:9 cidrsubnet's error; b.tf:2 length of a number.
	// aws_security_group.uses_a is not evaluated; aws_subnet.b (outside
	// the VPC's range) is not reached.
	want := []string{"a.tf:9", "b.tf:2"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("errors at %v, want %v:\n%v", got, want, err)
	}
	if !strings.Contains(es[1].Msg, `Call to function "length" failed`) {
		t.Errorf("b.tf:2: %s", es[1].Msg)
	}
	var one *terraform.Error
	if !errors.As(err, &one) || one != es[0] {
		t.Errorf("errors.As finds %v", one)
	}
	if strings.Count(err.Error(), "\n") != 1 {
		t.Errorf("one line per error:\n%s", err)
	}

	// Only AWS's refusals: each is reported, and what does not depend on
	// them is created.
	dir = tfDir(t, map[string]string{
		"a.tf": vpcOnly + `resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.2.0.0/24"
}
resource "aws_security_group" "uses_a" {
  vpc_id = aws_subnet.a.vpc_id
}
`,
		"b.tf": `resource "aws_subnet" "b" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.1.0.0/24"
}
resource "aws_subnet" "ok" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
`,
	})
	_, err = terraform.Load(dir, terraform.Options{})
	if !errors.As(err, &es) || len(es) != 2 || filepath.Base(es[0].File)+":"+itoa(es[0].Line) != "a.tf:9" || filepath.Base(es[1].File)+":"+itoa(es[1].Line) != "b.tf:3" ||
		!strings.Contains(es[0].Msg, "InvalidSubnet.Range") || !strings.Contains(es[1].Msg, "InvalidSubnet.Range") {
		t.Fatalf("err = %v, want AWS's refusal of both subnets", err)
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// TestRequiredVersion: required_version is checked against the Terraform
// release ecsnet reads the configuration as, with Terraform's diagnostic;
// it is reported in preference to the other errors.
func TestRequiredVersion(t *testing.T) {
	dir := tfDir(t, map[string]string{
		"versions.tf": `terraform {
  required_version = "= 0.11.14"
}
`,
		"main.tf": vpcOnly + `resource "aws_subnet" "a" {
  vpc_id = aws_vpc.nope.id
}
`,
	})
	_, err := terraform.Load(dir, terraform.Options{})
	want := "versions.tf:2: Unsupported Terraform Core version: This configuration does not support Terraform version " + terraform.TerraformVersion + ". To proceed, either choose another supported Terraform version or update this version constraint."
	if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "undeclared") {
		t.Fatalf("err = %v\nwant %s", err, want)
	}

	// An older release the configuration asks for is read as that
	// release (its language is the one ecsnet reads): the configuration's
	// own errors are reported.
	older := tfDir(t, map[string]string{
		"versions.tf": `terraform {
  required_version = ">= 0.12, < 0.14"
}
`,
		"main.tf": vpcOnly + `resource "aws_subnet" "a" {
  vpc_id = aws_vpc.nope.id
}
`,
	})
	if _, err := terraform.Load(older, terraform.Options{}); err == nil || strings.Contains(err.Error(), "Unsupported Terraform Core version") || !strings.Contains(err.Error(), "undeclared") {
		t.Fatalf(">= 0.12, < 0.14: %v", err)
	}
	pinned := tfDir(t, map[string]string{"main.tf": `terraform {
  required_version = "= 1.3.7"
}
` + vpcOnly})
	if _, err := terraform.Load(pinned, terraform.Options{}); err != nil {
		t.Fatalf("= 1.3.7: %v", err)
	}
	newer := tfDir(t, map[string]string{"main.tf": `terraform {
  required_version = ">= 9.0"
}
` + vpcOnly})
	if _, err := terraform.Load(newer, terraform.Options{}); err == nil || !strings.Contains(err.Error(), "does not support Terraform version "+terraform.TerraformVersion) {
		t.Fatalf(">= 9.0: %v", err)
	}

	ok := tfDir(t, map[string]string{"main.tf": `terraform {
  required_version = "~> 1.0"
}
` + vpcOnly})
	if _, err := terraform.Load(ok, terraform.Options{}); err != nil {
		t.Fatalf("~> 1.0: %v", err)
	}
	if _, err := terraform.Load(ok, terraform.Options{TerraformVersion: "0.15.5"}); err == nil || !strings.Contains(err.Error(), "does not support Terraform version 0.15.5") {
		t.Fatalf("as 0.15.5: %v", err)
	}

	bad := tfDir(t, map[string]string{"main.tf": `terraform {
  required_version = "1.x"
}
` + vpcOnly})
	if _, err := terraform.Load(bad, terraform.Options{}); err == nil || !strings.Contains(err.Error(), "main.tf:2: Invalid version constraint: This string does not use correct version constraint syntax.") {
		t.Fatalf("1.x: %v", err)
	}

	mod := tfDir(t, map[string]string{
		"main.tf": vpcOnly + `module "net" {
  source = "./modules/net"
  vpc_id = aws_vpc.main.id
}
`,
		"modules/net/main.tf": `terraform {
  required_version = "~> 0.12.0"
}
variable "vpc_id" {}
`,
	})
	_, err = terraform.Load(mod, terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "modules/net/main.tf:2: Unsupported Terraform Core version: Module module.net (from ./modules/net) does not support Terraform version") {
		t.Fatalf("module: %v", err)
	}
}

// TestAWSProviderConstraints: constraints on hashicorp/aws that no
// release meets together, or that the lock file's release does not meet,
// are refused as `terraform init` refuses them.
func TestAWSProviderConstraints(t *testing.T) {
	files := map[string]string{
		"main.tf": `terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 4.0"
    }
  }
}
` + vpcOnly + `module "net" {
  source = "./net"
}
`,
		"net/main.tf": `terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}
`,
	}
	_, err := terraform.Load(tfDir(t, files), terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "main.tf:3: Failed to query available provider packages: Could not retrieve the list of available versions for provider hashicorp/aws: no available releases match the given constraints ~> 4.0, >= 5.0") {
		t.Fatalf("err = %v", err)
	}
	files["net/main.tf"] = strings.Replace(files["net/main.tf"], ">= 5.0", ">= 4.30", 1)
	if _, err := terraform.Load(tfDir(t, files), terraform.Options{}); err != nil {
		t.Fatalf("~> 4.0 with >= 4.30: %v", err)
	}
	files[".terraform.lock.hcl"] = `provider "registry.terraform.io/hashicorp/aws" {
  version     = "4.20.1"
  constraints = "~> 4.0"
}
`
	_, err = terraform.Load(tfDir(t, files), terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "locked provider registry.terraform.io/hashicorp/aws 4.20.1 does not match configured version constraint ~> 4.0, >= 4.30; must use terraform init -upgrade") {
		t.Fatalf("lock: %v", err)
	}
}
