package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTF30bDeprecatedArguments: besides aws_iam_role's and aws_eip's,
// hashicorp/aws 5.100.0's schema marks deprecated aws_instance's
// cpu_core_count and cpu_threads_per_core, aws_flow_log's log_group_name,
// aws_cloudwatch_event_rule's is_enabled and aws_launch_template's
// elastic_gpu_specifications and elastic_inference_accelerator blocks;
// terraform plan (1.11.4) warns of each with the provider's text (validate
// skips log_group_name, whose value is unknown until plan), a block at the
// resource's opening brace. ecsnet warned of none. v6.0.0 removed all but
// is_enabled: under "~> 6.0" they are refused, is_enabled still warned of.
func TestTF30bDeprecatedArguments(t *testing.T) {
	const dir = "testdata/tf30b/deprecated-v5"
	res := load(t, dir, nil)
	var got []string
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "Argument is deprecated") {
			got = append(got, strings.TrimPrefix(w.String(), dir+"/"))
		}
	}
	want := []string{
		"main.tf:42: Argument is deprecated: log_group_name is deprecated. Use log_destination instead. (with aws_flow_log.core, hashicorp/aws v5)",
		"main.tf:49: Argument is deprecated: cpu_core_count is deprecated. Use cpu_options instead. (with aws_instance.bastion, hashicorp/aws v5)",
		"main.tf:50: Argument is deprecated: cpu_threads_per_core is deprecated. Use cpu_options instead. (with aws_instance.bastion, hashicorp/aws v5)",
		"main.tf:53: Argument is deprecated: elastic_gpu_specifications is deprecated. AWS no longer supports the Elastic Graphics service. (with aws_launch_template.nodes, hashicorp/aws v5)",
		"main.tf:53: Argument is deprecated: elastic_inference_accelerator is deprecated. AWS no longer supports the Elastic Inference service. (with aws_launch_template.nodes, hashicorp/aws v5)",
		"main.tf:73: Argument is deprecated: is_enabled is deprecated. Use state instead. (with aws_cloudwatch_event_rule.nightly, hashicorp/aws v5)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	src, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	v6 := tfDir(t, map[string]string{"main.tf": strings.Replace(string(src), `"~> 5.40"`, `"~> 6.0"`, 1)})
	var errs []string
	for _, e := range loadErrs(t, v6) {
		errs = append(errs, strings.TrimPrefix(e.Error(), v6+"/"))
	}
	for _, want := range []string{
		`main.tf:42: aws_flow_log.core: Unsupported argument: An argument named "log_group_name" is not expected here`,
		`main.tf:49: aws_instance.bastion: Unsupported argument: An argument named "cpu_core_count" is not expected here`,
		`main.tf:50: aws_instance.bastion: Unsupported argument: An argument named "cpu_threads_per_core" is not expected here`,
		`main.tf:58: aws_launch_template.nodes: Unsupported block type: Blocks of type "elastic_gpu_specifications" are not expected here`,
		`main.tf:62: aws_launch_template.nodes: Unsupported block type: Blocks of type "elastic_inference_accelerator" are not expected here`,
	} {
		found := false
		for _, e := range errs {
			found = found || strings.HasPrefix(e, want)
		}
		if !found {
			t.Errorf("v6: no error %q in:\n%s", want, strings.Join(errs, "\n"))
		}
	}
	if len(errs) != 5 { // every removed argument, as validate lists every unsupported one
		t.Errorf("v6: %d errors, want 5:\n%s", len(errs), strings.Join(errs, "\n"))
	}
}

// TestTF30bUnconfigurableNestedAttributes: a computed attribute of a
// nested block given a value is refused as a top-level one is, named by
// its path: in a list (root_block_device) at the attribute, in a set
// (ebs_block_device) at the resource's header, whose elements Terraform
// cannot point at; a set with an element that refers to anything is
// unknown at validate and not checked (the load balancer's subnet
// mappings). terraform validate (1.11.4, hashicorp/aws 5.100.0) says these
// three, word for word; ecsnet said none.
func TestTF30bUnconfigurableNestedAttributes(t *testing.T) {
	const dir = "testdata/tf30b/unconfigurable"
	want := []string{
		`main.tf:34: aws_instance.ecs_node: Value for unconfigurable attribute: Can't configure a value for "ebs_block_device.0.volume_id": its value will be decided automatically based on the result of applying this configuration.`,
		`main.tf:41: aws_instance.ecs_node: Value for unconfigurable attribute: Can't configure a value for "root_block_device.0.device_name": its value will be decided automatically based on the result of applying this configuration.`,
		`main.tf:42: aws_instance.ecs_node: Value for unconfigurable attribute: Can't configure a value for "root_block_device.0.volume_id": its value will be decided automatically based on the result of applying this configuration.`,
	}
	var got []string
	for _, e := range loadErrs(t, dir) {
		got = append(got, strings.TrimPrefix(e.Error(), dir+"/"))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTF30bBrokenGraphErrorSet: terraform validate walks the graph and
// does not validate a node that depends on a failed one; a node with an
// invalid reference says only those references (its body is not decoded);
// a reference from an argument or block the schema refuses is no edge;
// file() of a file that is not there fails at validate. The eight errors
// are terraform validate's (1.11.4, hashicorp/aws 5.100.0) for the
// fixture; ecsnet listed every undeclared reference, missing module
// output and schema error (thirteen) and not the file() error.
func TestTF30bBrokenGraphErrorSet(t *testing.T) {
	const dir = "testdata/tf30b/broken-graph"
	want := []string{
		`main.tf:23: Reference to undeclared resource: A managed resource "aws_vpc" "main" has not been declared in the root module.`,
		`main.tf:29: Unsupported attribute: This object does not have an attribute named "vpc_id".`,
		`main.tf:42: Invalid function argument: Invalid value for "path" parameter: no file exists at "./containers.json"; this function works only with files that are distributed as part of the configuration source code, so if this file will be created by a resource in this configuration you must instead obtain this result from an attribute of that resource.`,
		`main.tf:59: Reference to undeclared input variable: An input variable with the name "app_port" has not been declared. This variable can be declared with a variable "app_port" {} block.`,
		`main.tf:82: Reference to undeclared local value: A local value with the name "cache_name" has not been declared.`,
		`main.tf:94: aws_security_group.edge: Unsupported block type: Blocks of type "egres" are not expected here. Did you mean "egress"?`,
		`main.tf:101: Unsupported attribute: This object does not have an attribute named "bucket".`,
		`main.tf:109: Reference to undeclared input variable: An input variable with the name "region" has not been declared. This variable can be declared with a variable "region" {} block.`,
	}
	var got []string
	for _, e := range loadErrs(t, dir) {
		got = append(got, strings.TrimPrefix(e.Error(), dir+"/"))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTF30bVPCModuleSubnetSets: terraform-aws-modules/vpc declares its
// subnet and zone lists list(string), so a root variable of type
// set(string) given to them is converted (sorted) and indexed by the
// module (Gpossas/ifood-simplificado's vpc environment does this). ecsnet's
// stand-in took them untyped: "Invalid index: Elements of a set are
// identified only by their value".
func TestTF30bVPCModuleSubnetSets(t *testing.T) {
	dir := tfDir(t, map[string]string{"main.tf": `
provider "aws" {
  region = "eu-west-3"
}

variable "private_cidrs" {
  type    = set(string)
  default = ["10.9.0.16/28", "10.9.0.0/28"]
}

module "network" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name               = "orders"
  cidr               = "10.9.0.0/24"
  azs                = toset(["eu-west-3a", "eu-west-3b"])
  private_subnets    = var.private_cidrs
  public_subnets     = toset(["10.9.0.64/28", "10.9.0.80/28"])
  enable_nat_gateway = true
  single_nat_gateway = true
}
`})
	res := load(t, dir, nil)
	subnets := 0
	for _, r := range res.Resources {
		if r.Type == "aws_subnet" {
			subnets++
		}
	}
	if subnets != 4 {
		t.Errorf("%d subnets, want 4", subnets)
	}
}

// TestTF30bUnreadBlockNamedOnce: a block ecsnet does not read, written
// several times (two ebs_block_device), is named once in the warning;
// ecsnet said "ebs_block_device, ebs_block_device".
func TestTF30bUnreadBlockNamedOnce(t *testing.T) {
	dir := tfDir(t, map[string]string{"main.tf": `
provider "aws" {
  region = "us-east-1"
}
resource "aws_instance" "node" {
  ami           = "ami-0c1bc246476a5572b"
  instance_type = "t3.small"
  ebs_block_device {
    device_name = "/dev/sdf"
    volume_size = 10
  }
  ebs_block_device {
    device_name = "/dev/sdg"
    volume_size = 20
  }
}
`})
	res := load(t, dir, nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "does not read") && strings.Count(w.Msg, "ebs_block_device") != 1 {
			t.Errorf("warning: %s", w.Msg)
		}
	}
}
