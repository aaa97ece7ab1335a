package server_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestCloudFormationSignalNeedsAWayOut: an Auto Scaling group whose
// CreationPolicy waits for cfn-signal from its instances completes only
// when the instances reach AWS CloudFormation: through a NAT gateway or an
// interface endpoint for CloudFormation the two signals arrive ("Received
// SUCCESS signal with UniqueId i-…"); from private subnets with neither,
// CloudFormation never gets them, fails the group when the CreationPolicy's
// Timeout runs out ("Failed to receive 2 resource signal(s) within the
// specified duration") and rolls the stack back, the group and its
// instances deleted. Before round twenty-three every signal was taken to
// arrive.
func TestCloudFormationSignalNeedsAWayOut(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body, err := os.ReadFile("../cfn/testdata/signal/private-asg.yaml")
	must(t, err)
	create := func(name, egress string) string {
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(string(body)),
			Parameters:   []cfntypes.Parameter{{ParameterKey: aws.String("Egress"), ParameterValue: aws.String(egress)}},
			Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
		must(t, err)
		return aws.ToString(out.StackId)
	}
	signals := func(ev []string) int {
		n := 0
		for _, e := range ev {
			if strings.HasPrefix(e, "HostGroup CREATE_IN_PROGRESS Received SUCCESS signal with UniqueId i-") {
				n++
			}
		}
		return n
	}
	for _, egress := range []string{"nat", "endpoint"} {
		id := create("signal-"+egress, egress)
		waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
		if ev := stackEventsOf(t, cf, id); signals(ev) != 2 {
			t.Errorf("%s: want two signals:\n%s", egress, strings.Join(ev, "\n"))
		}
	}

	id := create("signal-none", "none")
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	ev := stackEventsOf(t, cf, id)
	var got []string
	for _, e := range ev {
		if strings.HasPrefix(e, "HostGroup ") {
			got = append(got, e)
		}
	}
	want := []string{"HostGroup CREATE_IN_PROGRESS ", "HostGroup CREATE_IN_PROGRESS Resource creation Initiated",
		"HostGroup CREATE_FAILED Received 0 SUCCESS signal(s) out of 2. Unable to satisfy 100% MinSuccessfulInstancesPercent requirement"}
	if len(got) < len(want) || !slices.Equal(got[:len(want)], want) || signals(ev) != 0 {
		t.Errorf("events:\n%s\nwant, in order:\n%s", strings.Join(ev, "\n"), strings.Join(want, "\n"))
	}
	var stackGroups []string
	groups, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{})
	must(t, err)
	for _, g := range groups.AutoScalingGroups {
		if strings.HasPrefix(aws.ToString(g.AutoScalingGroupName), "signal-none-") {
			stackGroups = append(stackGroups, aws.ToString(g.AutoScalingGroupName))
		}
	}
	if len(stackGroups) != 0 {
		t.Errorf("the rolled-back group is still there: %v", stackGroups)
	}
	// Only the four instances of the two stacks that completed run.
	insts, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{
		{Name: aws.String("instance-state-name"), Values: []string{"pending", "running"}}}})
	must(t, err)
	n := 0
	for _, r := range insts.Reservations {
		n += len(r.Instances)
	}
	if n != 4 {
		t.Errorf("%d instances pending or running, want the 4 of the stacks that completed", n)
	}
}
