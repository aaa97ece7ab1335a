package server_test

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

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
	em, clk := newClockedEmulator(t)
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
	clk.Advance(15 * time.Minute) // the CreationPolicy's Timeout
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

// TestCloudFormationRollingUpdateSignals: an Auto Scaling group with an
// UpdatePolicy AutoScalingRollingUpdate (WaitOnResourceSignals) replaces
// its instances when an update changes its launch template version: the
// new instances (t3.medium) replace the old and signal through the NAT
// gateway. An update that moves the group to a subnet with no way to
// CloudFormation fails, "Received 0 SUCCESS signal(s) out of 2. Unable to
// satisfy 100% MinSuccessfulInstancesPercent requirement", and rolls back:
// the group's instances run in the private subnet again. With
// AutoScalingReplacingUpdate WillReplace the update makes a new group and
// deletes the old one.
func TestCloudFormationRollingUpdateSignals(t *testing.T) {
	em, clk := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body, err := os.ReadFile("../cfn/testdata/signal/private-asg.yaml")
	must(t, err)
	withPolicy := func(policy string) string {
		return strings.Replace(string(body), "    CreationPolicy:\n", "    UpdatePolicy:\n"+policy+"    CreationPolicy:\n", 1)
	}
	rolling := withPolicy("      AutoScalingRollingUpdate:\n        MinInstancesInService: 1\n        MaxBatchSize: 1\n        WaitOnResourceSignals: true\n        PauseTime: PT15M\n")
	isolated := strings.Replace(rolling, "  PrivateSubnet:\n", "  IsolatedSubnet:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref VPC\n      CidrBlock: 10.0.9.0/24\n      AvailabilityZone: !Select [0, !GetAZs \"\"]\n  PrivateSubnet:\n", 1)
	isolated = strings.Replace(isolated, "VPCZoneIdentifier: [!Ref PrivateSubnet]", "VPCZoneIdentifier: [!Ref IsolatedSubnet]", 1)
	params := []cfntypes.Parameter{{ParameterKey: aws.String("Egress"), ParameterValue: aws.String("nat")}}
	groupOf := func(stack string) (string, []string, []string) {
		t.Helper()
		res, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String(stack), LogicalResourceId: aws.String("HostGroup")})
		must(t, err)
		name := aws.ToString(res.StackResourceDetail.PhysicalResourceId)
		insts, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{
			{Name: aws.String("tag:aws:autoscaling:groupName"), Values: []string{name}},
			{Name: aws.String("instance-state-name"), Values: []string{"pending", "running"}}}})
		must(t, err)
		var ids, where []string
		for _, r := range insts.Reservations {
			for _, i := range r.Instances {
				ids = append(ids, aws.ToString(i.InstanceId))
				where = append(where, string(i.InstanceType)+" "+aws.ToString(i.SubnetId))
			}
		}
		slices.Sort(ids)
		return name, ids, where
	}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("roll"), TemplateBody: aws.String(rolling),
		Parameters: params, Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	group, first, firstWhere := groupOf("roll")
	if len(first) != 2 {
		t.Fatalf("instances after create: %v", first)
	}

	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("roll"), TemplateBody: aws.String(strings.Replace(rolling, "InstanceType: t3.small", "InstanceType: t3.medium", 1)),
		Parameters: params, Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)
	g2, second, secondWhere := groupOf("roll")
	if g2 != group || len(second) != 2 || slices.ContainsFunc(second, func(x string) bool { return slices.Contains(first, x) }) ||
		!strings.HasPrefix(secondWhere[0], "t3.medium ") || !strings.HasPrefix(secondWhere[1], "t3.medium ") {
		t.Errorf("after the rolling update: group %s (was %s), instances %v %v (were %v %v)", g2, group, second, secondWhere, first, firstWhere)
	}

	n := len(stackEventsOf(t, cf, id))
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("roll"), TemplateBody: aws.String(strings.Replace(isolated, "InstanceType: t3.small", "InstanceType: t3.medium", 1)),
		Parameters: params, Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	time.Sleep(100 * time.Millisecond)
	if st := stackStatus(t, cf, id); st != cfntypes.StackStatusUpdateInProgress {
		t.Errorf("waiting for the new instances' signals: %s, want UPDATE_IN_PROGRESS for the PauseTime", st)
	}
	clk.Advance(15 * time.Minute) // the rolling update's PauseTime
	waitStack(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete)
	want := "HostGroup UPDATE_FAILED Received 0 SUCCESS signal(s) out of 2. Unable to satisfy 100% MinSuccessfulInstancesPercent requirement"
	if ev := eventsSince(t, cf, id, n); !slices.Contains(ev, want) {
		t.Errorf("events of the failed update:\n%s\nwant %q", strings.Join(ev, "\n"), want)
	}
	_, third, thirdWhere := groupOf("roll")
	private := strings.Fields(secondWhere[0])[1]
	if len(third) != 2 || strings.Fields(thirdWhere[0])[1] != private || strings.Fields(thirdWhere[1])[1] != private {
		t.Errorf("after the rollback: instances %v in %v, want two in the private subnet %s", third, thirdWhere, private)
	}

	replacing := withPolicy("      AutoScalingReplacingUpdate:\n        WillReplace: true\n")
	out, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("repl"), TemplateBody: aws.String(replacing),
		Parameters: params, Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	rid := aws.ToString(out.StackId)
	waitStack(t, cf, rid, cfntypes.StackStatusCreateComplete)
	oldGroup, _, _ := groupOf("repl")
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("repl"), TemplateBody: aws.String(strings.Replace(replacing, "InstanceType: t3.small", "InstanceType: t3.medium", 1)),
		Parameters: params, Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	waitStack(t, cf, rid, cfntypes.StackStatusUpdateComplete)
	newGroup, ids, where := groupOf("repl")
	groups, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{oldGroup}})
	must(t, err)
	if newGroup == oldGroup || len(groups.AutoScalingGroups) != 0 || len(ids) != 2 || !strings.HasPrefix(where[0], "t3.medium ") {
		t.Errorf("replacing update: group %s (was %s, still there: %d), instances %v %v", newGroup, oldGroup, len(groups.AutoScalingGroups), ids, where)
	}
}
