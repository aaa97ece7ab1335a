package terraform_test

import (
	"strings"
	"testing"
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
