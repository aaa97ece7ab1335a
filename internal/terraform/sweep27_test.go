package terraform_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestSweep27ContainerKeySwaps: a container definition key with two pairs
// of letters swapped ("essnetail") is four edits from "essential" by
// plain edit distance, so ecsnet named no key it is near; internal/suggest's
// distance counts a swap as one edit, as everywhere else in ecsnet.
func TestSweep27ContainerKeySwaps(t *testing.T) {
	_, warnings, err := loadWarnings("testdata/sweep27/container-key-swaps")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{`"essnetail", which is not a key of an ECS container definition (essential?)`: false,
		`"portMpapigns", which is not a key of an ECS container definition (portMappings?)`: false}
	for _, w := range warnings {
		for k := range want {
			if strings.Contains(w.Msg, k) {
				want[k] = true
			}
		}
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("no warning %s in %v", k, warnings)
		}
	}
}

// loadWarnings loads a root module and returns its warnings, whether it
// loaded or was refused.
func loadWarnings(dir string) (*terraform.Result, []terraform.Warning, error) {
	r, err := terraform.Load(dir, terraform.Options{})
	var le *terraform.LoadError
	if errors.As(err, &le) {
		return nil, le.Warnings, err
	}
	if err != nil {
		return nil, nil, err
	}
	return r, r.Warnings, nil
}

// TestSweep27SGRuleConflicts: aws_security_group_rule's sources conflict
// as the provider's schema says (cidr_blocks or ipv6_cidr_blocks with
// source_security_group_id or self; self with source_security_group_id):
// each argument set, even self = false, is refused at its line with the
// plugin SDK's text. ecsnet accepted both sources. A conflict with the id
// of a group the configuration creates is met during apply (Terraform
// 1.11.4, hashicorp/aws 5.100.0 against ecsnet serve: the groups created,
// then the rule refused beside other resources' AWS errors); one of values
// known at plan stops the plan, before AWS refuses anything.
func TestSweep27SGRuleConflicts(t *testing.T) {
	const dir = "testdata/sweep27/sg-rule-conflicts"
	fromLB := []string{
		`main.tf:41: aws_security_group_rule.from_lb: Conflicting configuration arguments: "source_security_group_id": conflicts with cidr_blocks`,
		`main.tf:42: aws_security_group_rule.from_lb: Conflicting configuration arguments: "cidr_blocks": conflicts with source_security_group_id`,
	}
	v6Self := []string{
		`main.tf:52: aws_security_group_rule.v6_self[0]: Conflicting configuration arguments: "self": conflicts with ipv6_cidr_blocks`,
		`main.tf:53: aws_security_group_rule.v6_self[0]: Conflicting configuration arguments: "ipv6_cidr_blocks": conflicts with self`,
	}
	const stray = "main.tf:24: aws_subnet.stray: InvalidSubnet.Range"
	for _, tc := range []struct {
		name      string
		vars      map[string]string
		want, not []string
	}{
		// The source a group the configuration creates: refused during
		// apply, beside EC2's refusal of the subnet.
		{"at apply", nil, append(fromLB, stray), nil},
		// A group id known at plan: the plan stops, nothing is created.
		{"at plan", map[string]string{"lb_group": "sg-0123456789abcdef0"}, fromLB, []string{stray}},
		// self = false is set: it conflicts; the plan stops before the
		// errors met during apply.
		{"self false", map[string]string{"v6_rule": "true"}, v6Self, []string{stray, "from_lb"}},
	} {
		_, err := terraform.Load(dir, terraform.Options{Vars: tc.vars})
		if err == nil {
			t.Fatalf("%s: loaded", tc.name)
		}
		got := err.Error()
		for _, l := range tc.want {
			if !strings.Contains(got, l) {
				t.Errorf("%s: no %q in\n%s", tc.name, l, got)
			}
		}
		for _, l := range tc.not {
			if strings.Contains(got, l) {
				t.Errorf("%s: %q said with the plan's errors:\n%s", tc.name, l, got)
			}
		}
	}
}

// TestSweep27PortMappingProtocol: "protocol": "http" in a port mapping is
// sent by the provider as written (the SDK's TransportProtocol is a
// string) and refused by ECS when the task definition is registered,
// during apply, with the other resources' refusals (Terraform 1.11.4,
// hashicorp/aws 5.100.0 against ecsnet serve). ecsnet said "protocol
// "http": want tcp or udp" as a plan error, alone.
func TestSweep27PortMappingProtocol(t *testing.T) {
	_, err := terraform.Load("testdata/sweep27/port-protocol-http", terraform.Options{})
	if err == nil {
		t.Fatal("loaded")
	}
	for _, want := range []string{
		`main.tf:14: aws_subnet.outside: InvalidSubnet.Range`,
		`main.tf:23: aws_ecs_task_definition.orders: ClientException: Valid values for portMapping protocol are tcp and udp. Please fix it for the containerDefinition=orders (protocol is the transport, tcp or udp; "http" is an appProtocol, which Service Connect reads)`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("no %q in\n%v", want, err)
		}
	}
}

// TestSweep27ProviderRemovedArgs: v5.0.0 of the AWS provider removed
// shared_credentials_file (for shared_credentials_files),
// s3_force_path_style and skip_get_ec2_platforms from its provider block.
// terraform validate (1.11.4, hashicorp/aws 5.100.0) refuses each at its
// line and says nothing of the resources, which depend on the provider: an
// undeclared reference among them waits for the provider block's fix.
// ecsnet accepted the block and said the reference. Pinned to v4, the
// block is accepted and the reference said.
func TestSweep27ProviderRemovedArgs(t *testing.T) {
	const dir = "testdata/sweep27/provider-removed-args"
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil {
		t.Fatal("loaded")
	}
	got := err.Error()
	for _, want := range []string{
		`main.tf:15: Unsupported argument: An argument named "shared_credentials_file" is not expected here. Did you mean "shared_credentials_files"?`,
		`main.tf:16: Unsupported argument: An argument named "s3_force_path_style" is not expected here. (`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "aws_security_group") {
		t.Errorf("a resource's error said beside the provider block's:\n%s", got)
	}
	src, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	v4 := t.TempDir()
	if err := os.WriteFile(filepath.Join(v4, "main.tf"), []byte(strings.Replace(string(src), `">= 4.0"`, `"~> 4.67"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = terraform.Load(v4, terraform.Options{})
	if err == nil || strings.Contains(err.Error(), "Unsupported argument") ||
		!strings.Contains(err.Error(), `Reference to undeclared resource: A managed resource "aws_security_group" "proxy" has not been declared in the root module.`) {
		t.Errorf("pinned to v4: %v", err)
	}
}

// TestSweep27ModuleOutputMissing: a reference to an output a local
// module does not declare (module.net.lb_dns_name) is refused by
// terraform validate (1.11.4) at the reference: "Unsupported attribute:
// This object does not have an attribute named "lb_dns_name".", before
// AWS is asked anything. ecsnet checked the attribute once the module
// was done: when one of the module's resources failed (here a subnet AWS
// refuses), it said that refusal and nothing of the output.
func TestSweep27ModuleOutputMissing(t *testing.T) {
	_, err := terraform.Load("testdata/sweep27/module-output-missing", terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), `main.tf:17: Unsupported attribute: This object does not have an attribute named "lb_dns_name".`) ||
		strings.Contains(err.Error(), "InvalidSubnet") {
		t.Errorf("err = %v", err)
	}
}

// TestSweep27FileMissing: file() of a path that does not exist is
// Terraform's "Invalid function argument: Invalid value for "path"
// parameter: no file exists at "iam-policy.json"; this function works
// only with files …" (terraform validate 1.11.4 of a module that reads a
// policy document it never shipped). ecsnet said HCL's generic "Error in
// function call: Call to function "file" failed: …".
func TestSweep27FileMissing(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`provider "aws" {
  region = "us-west-2"
}

resource "aws_iam_policy" "tasks" {
  name   = "tasks"
  policy = file("iam-policy.json")
}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := terraform.Load(dir, terraform.Options{})
	const want = `main.tf:7: Invalid function argument: Invalid value for "path" parameter: no file exists at "iam-policy.json"; this function works only with files that are distributed as part of the configuration source code, so if this file will be created by a resource in this configuration you must instead obtain this result from an attribute of that resource.`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v", err)
	}
}

// TestSweep27RouteNoTarget: an aws_route_table route block without a
// target is refused by the provider during apply, after the table is
// made and before EC2 is asked: "creating route: one of
// `carrier_gateway_id, …, vpc_peering_connection_id` must be specified"
// (terraform apply, 1.11.4 and hashicorp/aws 5.100.0 against ecsnet
// serve), beside EC2's refusals of other resources. ecsnet said EC2's
// InvalidParameterCombination.
func TestSweep27RouteNoTarget(t *testing.T) {
	_, err := terraform.Load("testdata/sweep27/route-no-target", terraform.Options{})
	for _, want := range []string{
		"main.tf:20: aws_route_table.private: creating route: one of `carrier_gateway_id, core_network_arn, egress_only_gateway_id, gateway_id, local_gateway_id, nat_gateway_id, network_interface_id, transit_gateway_id, vpc_endpoint_id, vpc_peering_connection_id` must be specified",
		"main.tf:27: aws_vpc_endpoint.logs: InvalidParameter: Enabling private DNS requires",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("no %q in\n%v", want, err)
		}
	}
}

// TestSweep27VPCRuleTwoSources: aws_vpc_security_group_ingress_rule takes
// exactly one source; two are refused once, at the first set of
// cidr_ipv4, cidr_ipv6, prefix_list_id, referenced_security_group_id
// (terraform validate, 1.11.4 with hashicorp/aws 5.100.0: "Invalid
// Attribute Combination"). With a group the configuration creates, the
// refusal comes during apply, beside AWS's; with values known at plan, it
// stops the plan. ecsnet took one source and dropped the other.
func TestSweep27VPCRuleTwoSources(t *testing.T) {
	const dir = "testdata/sweep27/vpc-rule-two-sources"
	const combo = "Invalid Attribute Combination: Exactly one of these attributes must be configured: [cidr_ipv4,cidr_ipv6,prefix_list_id,referenced_security_group_id]"
	const stray = "main.tf:24: aws_subnet.stray: InvalidSubnet.Range"
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "main.tf:51: aws_vpc_security_group_ingress_rule.from_lb: "+combo) ||
		!strings.Contains(err.Error(), stray) {
		t.Errorf("during apply: %v", err)
	}
	_, err = terraform.Load(dir, terraform.Options{Vars: map[string]string{"with_list": "true"}})
	if err == nil || !strings.Contains(err.Error(), "main.tf:42: aws_vpc_security_group_ingress_rule.admin[0]: "+combo) ||
		strings.Contains(err.Error(), stray) || strings.Contains(err.Error(), "from_lb") {
		t.Errorf("at plan: %v", err)
	}
}
