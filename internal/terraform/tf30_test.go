package terraform_test

import (
	"os"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestTF30NestedSchemaErrors: terraform validate (1.11.4, hashicorp/aws
// 5.100.0) checks every nested block against the provider's schema, as it
// checks a resource's top level: unsupported arguments with "Did you
// mean", missing required arguments at the block's brace, too many blocks
// of a list of at most one, a duplicate single block (timeouts), a block
// written as an argument and the content of dynamic blocks; a list of
// objects written as an argument (egress = [{ … }]) must give each object
// every attribute, while written as blocks every one is optional. The
// nineteen errors below are terraform validate's for the fixture, word for
// word. ecsnet checked only the top level and said none of them.
func TestTF30NestedSchemaErrors(t *testing.T) {
	const dir = "testdata/tf30/nested-schema"
	want := []string{
		`main.tf:21: aws_security_group.web: Unsupported argument: An argument named "from_prt" is not expected here. Did you mean "from_port"?`,
		`main.tf:33: aws_security_group.web: Incorrect attribute value type: Inappropriate value for attribute "egress": element 1: attributes "cidr_blocks", "description", "ipv6_cidr_blocks", "prefix_list_ids", "security_groups", and "self" are required.`,
		`main.tf:52: aws_security_group.web: Unsupported argument: An argument named "from_porrt" is not expected here. Did you mean "from_port"?`,
		`main.tf:62: aws_lb_listener.front: Missing required argument: The argument "type" is required, but no definition was found.`,
		`main.tf:64: aws_lb_listener.front: Missing required argument: The argument "arn" is required, but no definition was found.`,
		`main.tf:65: aws_lb_listener.front: Unsupported argument: An argument named "arm" is not expected here. Did you mean "arn"?`,
		`main.tf:67: aws_lb_listener.front: Missing required argument: The argument "duration" is required, but no definition was found.`,
		`main.tf:70: aws_lb_listener.front: Too many stickiness blocks: No more than 1 "stickiness" blocks are allowed`,
		`main.tf:78: aws_lb_listener.front: Unsupported argument: An argument named "fixed_response" is not expected here. Did you mean to define a block of type "fixed_response"?`,
		`main.tf:86: aws_ecs_service.api: Missing required argument: The argument "subnets" is required, but no definition was found.`,
		`main.tf:89: aws_ecs_service.api: Unsupported block type: Blocks of type "public" are not expected here.`,
		`main.tf:95: aws_ecs_service.api: Too many deployment_circuit_breaker blocks: No more than 1 "deployment_circuit_breaker" blocks are allowed`,
		`main.tf:99: aws_ecs_service.api: Missing required argument: The argument "container_name" is required, but no definition was found.`,
		`main.tf:100: aws_ecs_service.api: Unsupported argument: An argument named "container_nme" is not expected here. Did you mean "container_name"?`,
		`main.tf:106: aws_ecs_service.api: Missing required argument: The argument "capacity_provider" is required, but no definition was found.`,
		`main.tf:113: aws_ecs_service.api: Duplicate timeouts block: Only one block of type "timeouts" is allowed. Previous definition was at main.tf:110,3-11.`,
		`main.tf:120: aws_launch_template.node: Unsupported argument: An argument named "associate_public_ip_adress" is not expected here. Did you mean "associate_public_ip_address"?`,
		`main.tf:130: aws_ecs_task_definition.api: Unsupported argument: An argument named "cpu_arch" is not expected here.`,
		`main.tf:141: aws_ecs_task_definition.api: Missing required argument: The argument "name" is required, but no definition was found.`,
	}
	var got []string
	for _, e := range loadErrs(t, dir) {
		got = append(got, strings.TrimPrefix(e.Error(), dir+"/"))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTF30ProviderVersionWarningFrom014: Terraform 0.14 deprecated a
// version argument in a provider block and warns of it (the 0.14.0
// CHANGELOG's upgrade notes, hashicorp/terraform#26135); 0.12 and 0.13
// took it silently. A configuration whose required_version picks 0.12 or
// 0.13 ("~> 0.12.0", "< 0.14") gets no warning, in the root module or a
// module it calls; one that allows 0.14 or later ("~> 0.12" allows 0.15,
// ">= 0.12" today's release) gets it. ecsnet warned whatever the release.
func TestTF30ProviderVersionWarningFrom014(t *testing.T) {
	const withVersion = `provider "aws" {
  region  = "us-east-1"
  version = "~> 2.0"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
`
	for constraint, want := range map[string]bool{
		"~> 0.12.0":         false,
		">= 0.12.0, < 0.14": false,
		"0.13.7":            false,
		"~> 0.12":           true,
		">= 0.12":           true,
	} {
		dir := tfDir(t, map[string]string{
			"main.tf": "terraform {\n  required_version = \"" + constraint + "\"\n}\n" + withVersion + `module "net" {
  source = "./net"
}
`,
			"net/main.tf": `provider "aws" {
  version = "~> 2.0"
}
`,
		})
		res, err := terraform.Load(dir, terraform.Options{})
		if err != nil {
			t.Fatalf("%s: %v", constraint, err)
		}
		var n int
		for _, w := range res.Warnings {
			if strings.Contains(w.Msg, "Version constraints inside provider configuration blocks are deprecated") {
				n++
			}
		}
		if got := n == 2; got != want || (n != 0 && n != 2) {
			t.Errorf("required_version %q: %d provider version warnings, want them %v (root and module)", constraint, n, want)
		}
	}
}

// TestTF30ReservedVariablesAndOverrideSyntax: terraform validate refuses a
// variable named as one of a module block's arguments ("count",
// "for_each", …) and parses override files too, so the syntax error of a
// one-line block holding a block is the configuration's. ecsnet took the
// variables and skipped the override file unread.
func TestTF30ReservedVariablesAndOverrideSyntax(t *testing.T) {
	const dir = "testdata/tf30/legacy-files"
	want := []string{
		`backend_override.tf:1: Argument definition required: A single-line block definition can contain only a single argument. If you meant to define argument "backend", use an equals sign to assign it a value. To define a nested block, place it on a line of its own within its parent block.`,
		`main.tf:8: Invalid variable name: The variable name "count" is reserved due to its special meaning inside module blocks.`,
		`main.tf:12: Invalid variable name: The variable name "for_each" is reserved due to its special meaning inside module blocks.`,
	}
	var got []string
	for _, e := range loadErrs(t, dir) {
		got = append(got, strings.TrimPrefix(e.Error(), dir+"/"))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTF30EIPVpcDeprecated: terraform validate (1.11.4, hashicorp/aws
// 5.100.0) warns of an aws_eip's vpc = true, "vpc is deprecated. Use
// domain instead." (the schema's deprecation message), at the value; v4
// does not deprecate it and v6 removed it (refused, not warned).
// drujensen/terraform-aws-ecs-cluster's NAT EIPs, moved to v5, got the
// warning from Terraform and none from ecsnet.
func TestTF30EIPVpcDeprecated(t *testing.T) {
	const dir = "testdata/tf30/eip-vpc"
	res, err := terraform.Load(dir, terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "deprecated") {
			got = append(got, w.String())
		}
	}
	want := dir + "/main.tf:31: Argument is deprecated: vpc is deprecated. Use domain instead. (with aws_eip.nat, hashicorp/aws v5)"
	if len(got) != 1 || got[0] != want {
		t.Errorf("warnings %q, want %q", got, want)
	}
	src, err := os.ReadFile(dir + "/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	v4 := tfDir(t, map[string]string{"main.tf": strings.Replace(string(src), `"~> 5.0"`, `"~> 4.0"`, 1)})
	res, err = terraform.Load(v4, terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "deprecated") {
			t.Errorf("v4: %s", w)
		}
	}
	v6 := tfDir(t, map[string]string{"main.tf": strings.Replace(string(src), `"~> 5.0"`, `"~> 6.0"`, 1)})
	if _, err := terraform.Load(v6, terraform.Options{}); err == nil || strings.Contains(err.Error(), "Argument is deprecated") {
		t.Errorf("v6: %v, want vpc refused", err)
	}
}

// TestTF30ModuleTreeFirst: terraform init reads the tree of local
// modules before anything else and refuses a call whose directory is not
// there, alone (1.11.4: "Unreadable module directory: Unable to evaluate
// directory symlink: lstat net/security-groups: no such file or
// directory"): not the root's required variable, not the argument the
// module does not declare. ecsnet asked for the variable first, and
// found the missing directory only when it evaluated the module
// (shajalahamedcse/ecs-fargate-with-terraform, whose ./security-groups
// the repository does not hold).
func TestTF30ModuleTreeFirst(t *testing.T) {
	const dir = "testdata/tf30/module-tree"
	es := loadErrs(t, dir)
	want := dir + `/net/main.tf:8: module.groups: Unreadable module directory: Unable to evaluate directory symlink: lstat net/security-groups: no such file or directory`
	if len(es) != 1 || !strings.HasPrefix(es[0].Error(), want) {
		t.Errorf("errors %v\nwant %s", es, want)
	}
}
