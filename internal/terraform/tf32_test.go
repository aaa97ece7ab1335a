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
