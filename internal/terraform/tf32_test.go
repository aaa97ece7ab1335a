package terraform_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTF32ExactlyOneOfSeveral: an ExactlyOneOf set given more than once
// (an Auto Scaling group with launch_configuration and a launch_template
// block, a load balancer with subnets and a subnet_mapping block) is
// refused once per key of the set, "only one of `…` can be specified, but
// `…` were specified.", at the key's argument line when written as one,
// else at the resource block: terraform 1.11.4's `validate -json` with
// hashicorp/aws 5.100.0 on the fixture, word for word, and no other. An
// Auto Scaling group whose two values are known only after apply (a
// launch configuration's name, a launch template's id) is not refused by
// validate. ecsnet said "ValidationError: Valid requests must contain
// either LaunchTemplate, …" for the first group and nothing for the load
// balancer.
func TestTF32ExactlyOneOfSeveral(t *testing.T) {
	const dir = "testdata/tf32/exactly-one-of"
	var got []string
	for _, e := range loadErrs(t, dir) {
		got = append(got, strings.TrimPrefix(e.Error(), dir+"/"))
	}
	const asg = "only one of `launch_configuration,launch_template,mixed_instances_policy` can be specified, but `launch_configuration,launch_template` were specified."
	const lb = "only one of `subnet_mapping,subnets` can be specified, but `subnet_mapping,subnets` were specified."
	want := []string{
		`main.tf:21: aws_autoscaling_group.both: Invalid combination of arguments: "launch_template": ` + asg,
		`main.tf:21: aws_autoscaling_group.both: Invalid combination of arguments: "mixed_instances_policy": ` + asg,
		`main.tf:25: aws_autoscaling_group.both: Invalid combination of arguments: "launch_configuration": ` + asg,
		`main.tf:39: aws_lb.both: Invalid combination of arguments: "subnet_mapping": ` + lb,
		`main.tf:41: aws_lb.both: Invalid combination of arguments: "subnets": ` + lb,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("errors (-want +got):\n%s", d)
	}
}

// TestTF32DynamicSetOrder: the elements of a set written by a `dynamic`
// block (an ECS service's load_balancer over a local list, a listener
// rule's forward target_group over a list of strings) are numbered as the
// same blocks written out are, in cty's order of the set: terraform
// 1.11.4's `validate -json` with hashicorp/aws 5.100.0 says web-c, web-a,
// web-b as load_balancer.0 to .2 and aa, ok, zz as target_group.0 to .2
// for the dynamic and the static configuration alike (round thirty-two's
// check; the static case is TestTF31bSetBlockOrder's). It held before this
// round: a confirmation, not a fix.
func TestTF32DynamicSetOrder(t *testing.T) {
	const dir = "testdata/tf32/set-order-dynamic"
	var got []string
	for _, e := range loadErrs(t, dir) {
		got = append(got, strings.TrimPrefix(e.Error(), dir+"/"))
	}
	want := []string{
		`main.tf:19: aws_ecs_service.dyn: "load_balancer.0.target_group_arn" (web-c) is an invalid ARN: arn: invalid prefix`,
		`main.tf:19: aws_ecs_service.dyn: "load_balancer.1.target_group_arn" (web-a) is an invalid ARN: arn: invalid prefix`,
		`main.tf:19: aws_ecs_service.dyn: "load_balancer.2.target_group_arn" (web-b) is an invalid ARN: arn: invalid prefix`,
		`main.tf:38: aws_lb_listener_rule.dyn: "action.0.forward.0.target_group.0.arn" (aa) is an invalid ARN: arn: invalid prefix`,
		`main.tf:38: aws_lb_listener_rule.dyn: "action.0.forward.0.target_group.1.arn" (ok) is an invalid ARN: arn: invalid prefix`,
		`main.tf:38: aws_lb_listener_rule.dyn: "action.0.forward.0.target_group.2.arn" (zz) is an invalid ARN: arn: invalid prefix`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("errors (-want +got):\n%s", d)
	}
}
