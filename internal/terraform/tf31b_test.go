package terraform_test

import (
	"slices"
	"strings"
	"testing"
)

// sortedLoadErrs are a configuration's errors, each file:line: address:
// message with the folder left out, sorted.
func sortedLoadErrs(t *testing.T, dir string) []string {
	t.Helper()
	var got []string
	for _, e := range loadErrs(t, dir) {
		got = append(got, strings.TrimPrefix(e.Error(), dir+"/"))
	}
	slices.Sort(got)
	return got
}

// TestTF31bARNChecks: the provider's ARN check (verify.ValidARN) of a
// listener's load balancer, certificate and default action's target group,
// a listener rule's listener and action, an ECS service's load balancer
// (a set: said at the resource block) and service registry, a task
// definition's roles, a capacity provider's Auto Scaling group, a launch
// template's instance profile, a listener certificate and a policy
// attachment, each broken section its own error; the arguments the
// provider does not check (a target group attachment's, an Auto Scaling
// group's target_group_arns, a log group's kms_key_id) pass. The 19
// errors are terraform 1.11.4's validate with hashicorp/aws 5.100.0, word
// for word. Before, ecsnet said none of them.
func TestTF31bARNChecks(t *testing.T) {
	got := sortedLoadErrs(t, "testdata/tf31b/arn-checks")
	want := []string{
		`main.tf:12: aws_lb_listener.web: "certificate_arn" (arn:aws:acm) is an invalid ARN: arn: not enough sections`,
		`main.tf:15: aws_lb_listener.web: "default_action.0.target_group_arn" (web-tg) is an invalid ARN: arn: invalid prefix`,
		`main.tf:20: aws_lb_listener_rule.api: "listener_arn" (listener) is an invalid ARN: arn: invalid prefix`,
		`main.tf:24: aws_lb_listener_rule.api: "action.0.target_group_arn" (tg) is an invalid ARN: arn: invalid prefix`,
		`main.tf:36: aws_ecs_service.s: "load_balancer.0.target_group_arn" (tg-x) is an invalid ARN: arn: invalid prefix`,
		`main.tf:47: aws_ecs_service.s: "service_registries.0.registry_arn" (srv-123) is an invalid ARN: arn: invalid prefix`,
		`main.tf:54: aws_ecs_task_definition.t: "execution_role_arn" (exec-role) is an invalid ARN: arn: invalid prefix`,
		`main.tf:9: aws_lb_listener.web: "load_balancer_arn" (my-load-balancer) is an invalid ARN: arn: invalid prefix`,
		`more.tf:26: aws_launch_template.lt: "iam_instance_profile.0.arn" (prof) is an invalid ARN: arn: invalid prefix`,
		`more.tf:38: aws_lb_listener_certificate.c: "listener_arn" (l) is an invalid ARN: arn: invalid prefix`,
		`more.tf:39: aws_lb_listener_certificate.c: "certificate_arn" (c) is an invalid ARN: arn: invalid prefix`,
		`more.tf:4: aws_ecs_capacity_provider.cp: "auto_scaling_group_provider.0.auto_scaling_group_arn" (asg) is an invalid ARN: arn: invalid prefix`,
		`more.tf:60: aws_ecs_task_definition.t2: "execution_role_arn" (arn::iam::123456789012:role/x) is an invalid ARN: missing partition value`,
		`more.tf:61: aws_ecs_task_definition.t2: "task_role_arn" (arn:aws:iam:US-EAST:12:) is an invalid ARN: invalid account ID value (expecting to match regular expression: ^(aws|aws-managed|third-party|aws-marketplace|\d{12}|cw.{10})$)`,
		`more.tf:61: aws_ecs_task_definition.t2: "task_role_arn" (arn:aws:iam:US-EAST:12:) is an invalid ARN: invalid region value`,
		`more.tf:61: aws_ecs_task_definition.t2: "task_role_arn" (arn:aws:iam:US-EAST:12:) is an invalid ARN: missing resource value`,
		`more.tf:64: aws_lb_listener.w2: "load_balancer_arn" (arn:aws:elasticloadbalancing:us-east-1:123456789012:) is an invalid ARN: missing resource value`,
		`more.tf:75: aws_iam_role_policy_attachment.upper: "policy_arn" (arn:AWS:iam::aws:policy/AmazonECSTaskExecutionRolePolicy) is an invalid ARN: invalid partition value (expecting to match regular expression: ^aws(-[a-z]+)*$)`,
		`more.tf:9: aws_iam_role_policy_attachment.a: "policy_arn" (pol) is an invalid ARN: arn: invalid prefix`,
	}
	slices.Sort(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTF31bValueChecksWithValidateErrors: terraform validate lists the
// provider's checks of values it knows (constants, a local value of one)
// together with the schema's errors of other resources; a value from a
// variable is unknown to validate (plan would check it), and a resource
// the schema refuses is not validated by the provider at all. The
// elements of a set of blocks (an ECS service's load_balancer) are
// each said at the resource block (numbered in the set's order). Compared with
// terraform 1.11.4's validate -json (hashicorp/aws 5.100.0). Before, the
// schema's errors were said alone.
func TestTF31bValueChecksWithValidateErrors(t *testing.T) {
	got := sortedLoadErrs(t, "testdata/tf31b/validate-together")
	want := []string{
		`main.tf:22: aws_ecs_service.api: "load_balancer.0.target_group_arn" (public-targets) is an invalid ARN: arn: invalid prefix`,
		`main.tf:22: aws_ecs_service.api: "load_balancer.1.target_group_arn" (internal-targets) is an invalid ARN: arn: invalid prefix`,
		`main.tf:59: aws_ecs_task_definition.api: "execution_role_arn" (ecsTaskExecutionRole) is an invalid ARN: arn: invalid prefix`,
		`main.tf:72: aws_security_group.api: Unsupported argument: An argument named "port" is not expected here.`,
		`main.tf:81: aws_lb_listener.front: Unsupported argument: An argument named "listen_port" is not expected here.`,
	}
	slices.Sort(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTF31bSetBlockOrder: the elements of a set of blocks are numbered in
// cty's order of the set (the objects as the provider's schema types
// them), not as written: an ECS service's load_balancer blocks written
// c, a, b are load_balancer.0 (b), .1 (a), .2 (c), all at the resource
// block; a listener rule's forward target groups zz, ok, aa are
// target_group.0 (aa) and .2 (zz), at the forward block that holds them;
// a listener's one target group at its own block. Compared with terraform
// 1.11.4's validate -json (hashicorp/aws 5.100.0). Before, ecsnet numbered
// them as written, at each argument, and did not check the forward
// blocks' ARNs.
func TestTF31bSetBlockOrder(t *testing.T) {
	got := sortedLoadErrs(t, "testdata/tf31b/set-order")
	want := []string{
		`main.tf:11: aws_lb_listener_rule.r: "action.0.forward.0.target_group.0.arn" (aa) is an invalid ARN: arn: invalid prefix`,
		`main.tf:11: aws_lb_listener_rule.r: "action.0.forward.0.target_group.2.arn" (zz) is an invalid ARN: arn: invalid prefix`,
		`main.tf:33: aws_lb_listener.l: "default_action.0.forward.0.target_group.0.arn" (only) is an invalid ARN: arn: invalid prefix`,
		`main.tf:40: aws_ecs_service.web: "load_balancer.0.target_group_arn" (web-b) is an invalid ARN: arn: invalid prefix`,
		`main.tf:40: aws_ecs_service.web: "load_balancer.1.target_group_arn" (web-a) is an invalid ARN: arn: invalid prefix`,
		`main.tf:40: aws_ecs_service.web: "load_balancer.2.target_group_arn" (web-c) is an invalid ARN: arn: invalid prefix`,
	}
	slices.Sort(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
