package server_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
)

// TestAutoScalingPolicyByNameOnly checks ExecutePolicy and DeletePolicy
// without AutoScalingGroupName, which the API makes optional ("The name or
// Amazon Resource Name (ARN) of the policy"): a name carried by one group's
// policy names that policy; a name two groups' policies carry is refused
// (the group or the ARN says which); an unknown name is a ValidationError.
func TestAutoScalingPolicyByNameOnly(t *testing.T) {
	t.Parallel()
	es := newEstate(t, ec2types.InstanceTypeT3Micro, 0)
	c := es.c
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("pn-lt"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro}})
	must(t, err)
	for _, name := range []string{"pn-a", "pn-b"} {
		_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String(name),
			LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId},
			MinSize:        aws.Int32(0), MaxSize: aws.Int32(4), DesiredCapacity: aws.Int32(0), VPCZoneIdentifier: aws.String(es.subnets[0])})
		must(t, err)
	}
	put := func(group, policy string, adj int32) string {
		out, err := c.asg.PutScalingPolicy(ctx, &autoscaling.PutScalingPolicyInput{AutoScalingGroupName: aws.String(group), PolicyName: aws.String(policy),
			AdjustmentType: aws.String("ExactCapacity"), ScalingAdjustment: aws.Int32(adj)})
		must(t, err)
		return aws.ToString(out.PolicyARN)
	}
	put("pn-a", "only-a", 3)
	sharedA := put("pn-a", "shared", 1)
	put("pn-b", "shared", 2)

	_, err = c.asg.ExecutePolicy(ctx, &autoscaling.ExecutePolicyInput{PolicyName: aws.String("only-a")})
	must(t, err)
	if g := tfGroup(t, c, "pn-a"); aws.ToInt32(g.DesiredCapacity) != 3 {
		t.Fatalf("desired capacity of pn-a after ExecutePolicy by name: %d, want 3", aws.ToInt32(g.DesiredCapacity))
	}
	_, err = c.asg.ExecutePolicy(ctx, &autoscaling.ExecutePolicyInput{PolicyName: aws.String("shared")})
	if err == nil || !strings.Contains(err.Error(), "ValidationError") {
		t.Fatalf("ExecutePolicy of a name two groups carry: %v, want ValidationError", err)
	}
	_, err = c.asg.DeletePolicy(ctx, &autoscaling.DeletePolicyInput{PolicyName: aws.String("nope")})
	if err == nil || !strings.Contains(err.Error(), "ValidationError") {
		t.Fatalf("DeletePolicy of an unknown name: %v, want ValidationError", err)
	}
	_, err = c.asg.DeletePolicy(ctx, &autoscaling.DeletePolicyInput{PolicyName: aws.String("only-a")})
	must(t, err)
	_, err = c.asg.DeletePolicy(ctx, &autoscaling.DeletePolicyInput{PolicyName: &sharedA})
	must(t, err)
	// Now "shared" names pn-b's policy alone.
	_, err = c.asg.DeletePolicy(ctx, &autoscaling.DeletePolicyInput{PolicyName: aws.String("shared")})
	must(t, err)
	out, err := c.asg.DescribePolicies(ctx, &autoscaling.DescribePoliciesInput{})
	must(t, err)
	if len(out.ScalingPolicies) != 0 {
		t.Fatalf("policies left: %+v", out.ScalingPolicies)
	}
}

// TestAutoScalingStandbyDetachReplace checks, through the Go SDK, that
// EnterStandby and DetachInstances without decrementing the desired
// capacity start the replacement's launch with the request (the group
// lists it, Pending, in the next DescribeAutoScalingGroups, as after
// SetDesiredCapacity), and that a detached instance keeps the tags the
// group propagated but loses aws:autoscaling:groupName, which
// AttachInstances and launches set.
func TestAutoScalingStandbyDetachReplace(t *testing.T) {
	t.Parallel()
	es := newEstate(t, ec2types.InstanceTypeT3Micro, 0)
	c := es.c
	name := "sbd"
	_, err := c.asg.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String("sbd-lc"),
		ImageId: aws.String(testAMI), InstanceType: aws.String("t3.micro"), SecurityGroups: []string{es.open}})
	must(t, err)
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: &name, LaunchConfigurationName: aws.String("sbd-lc"),
		MinSize: aws.Int32(0), MaxSize: aws.Int32(4), DesiredCapacity: aws.Int32(2), VPCZoneIdentifier: aws.String(es.subnets[0]),
		Tags: []asgtypes.Tag{{Key: aws.String("team"), Value: aws.String("net"), PropagateAtLaunch: aws.Bool(true)}}})
	must(t, err)
	eventually(t, "two instances in service", func() bool {
		n := 0
		for _, i := range tfGroup(t, c, name).Instances {
			if i.LifecycleState == asgtypes.LifecycleStateInService {
				n++
			}
		}
		return n == 2
	})
	g := tfGroup(t, c, name)
	a, b := aws.ToString(g.Instances[0].InstanceId), aws.ToString(g.Instances[1].InstanceId)

	_, err = c.asg.EnterStandby(ctx, &autoscaling.EnterStandbyInput{AutoScalingGroupName: &name, InstanceIds: []string{a}, ShouldDecrementDesiredCapacity: aws.Bool(false)})
	must(t, err)
	g = tfGroup(t, c, name)
	if len(g.Instances) != 3 || aws.ToInt32(g.DesiredCapacity) != 2 {
		t.Fatalf("after EnterStandby without decrement: %d instances, desired %d; want 3 (one Standby, one replacement) and 2", len(g.Instances), aws.ToInt32(g.DesiredCapacity))
	}

	_, err = c.asg.DetachInstances(ctx, &autoscaling.DetachInstancesInput{AutoScalingGroupName: &name, InstanceIds: []string{b}, ShouldDecrementDesiredCapacity: aws.Bool(false)})
	must(t, err)
	g = tfGroup(t, c, name)
	live := 0
	for _, i := range g.Instances {
		if aws.ToString(i.InstanceId) == b {
			t.Fatalf("detached instance %s still in the group", b)
		}
		if i.LifecycleState != asgtypes.LifecycleStateStandby {
			live++
		}
	}
	if live != 2 {
		t.Fatalf("after DetachInstances without decrement: %d instances besides the standby one, want 2 (a replacement launched)", live)
	}
	out, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{b}})
	must(t, err)
	tags := map[string]string{}
	for _, tg := range out.Reservations[0].Instances[0].Tags {
		tags[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
	}
	if _, ok := tags["aws:autoscaling:groupName"]; ok || tags["team"] != "net" {
		t.Fatalf("tags of the detached instance: %v, want team=net without aws:autoscaling:groupName", tags)
	}
	// Detaching the standby instance with decrement: it leaves the group.
	_, err = c.asg.DetachInstances(ctx, &autoscaling.DetachInstancesInput{AutoScalingGroupName: &name, InstanceIds: []string{a}, ShouldDecrementDesiredCapacity: aws.Bool(true)})
	must(t, err)
	for _, i := range tfGroup(t, c, name).Instances {
		if aws.ToString(i.InstanceId) == a {
			t.Fatalf("detached standby instance %s still in the group (%s)", a, i.LifecycleState)
		}
	}
}

// TestAutoScalingLaunchBlockDevices checks, through the Go SDK, that the
// block device mappings of a launch template (kept and answered by
// DescribeLaunchTemplateVersions) and of a launch configuration give the
// instances an Auto Scaling group launches their volumes: a mapping of
// the root device sizes the root volume, another device is a volume of its
// own, a NoDevice mapping makes none.
func TestAutoScalingLaunchBlockDevices(t *testing.T) {
	t.Parallel()
	es := newEstate(t, ec2types.InstanceTypeT3Micro, 0)
	c := es.c
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("bd-lt"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
			BlockDeviceMappings: []ec2types.LaunchTemplateBlockDeviceMappingRequest{
				{DeviceName: aws.String("/dev/xvda"), Ebs: &ec2types.LaunchTemplateEbsBlockDeviceRequest{VolumeSize: aws.Int32(16)}},
				{DeviceName: aws.String("/dev/sdf"), Ebs: &ec2types.LaunchTemplateEbsBlockDeviceRequest{VolumeSize: aws.Int32(20), VolumeType: ec2types.VolumeTypeIo1,
					Iops: aws.Int32(400), Encrypted: aws.Bool(true)}},
				{DeviceName: aws.String("/dev/sdg"), NoDevice: aws.String("")}}}})
	must(t, err)
	vs, err := c.ec2.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId})
	must(t, err)
	bdm := vs.LaunchTemplateVersions[0].LaunchTemplateData.BlockDeviceMappings
	if len(bdm) != 3 || aws.ToString(bdm[1].DeviceName) != "/dev/sdf" || bdm[1].Ebs == nil || aws.ToInt32(bdm[1].Ebs.VolumeSize) != 20 ||
		bdm[1].Ebs.VolumeType != ec2types.VolumeTypeIo1 || !aws.ToBool(bdm[1].Ebs.Encrypted) || bdm[2].NoDevice == nil {
		t.Fatalf("template's block device mappings: %+v", bdm)
	}
	_, err = c.asg.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String("bd-lc"),
		ImageId: aws.String(testAMI), InstanceType: aws.String("t3.micro"),
		BlockDeviceMappings: []asgtypes.BlockDeviceMapping{{DeviceName: aws.String("/dev/sdh"), Ebs: &asgtypes.Ebs{VolumeSize: aws.Int32(50), VolumeType: aws.String("gp2")}}}})
	must(t, err)
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("bd-t"),
		LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId},
		MinSize:        aws.Int32(1), MaxSize: aws.Int32(1), DesiredCapacity: aws.Int32(1), VPCZoneIdentifier: aws.String(es.subnets[0])})
	must(t, err)
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("bd-c"),
		LaunchConfigurationName: aws.String("bd-lc"), MinSize: aws.Int32(1), MaxSize: aws.Int32(1), DesiredCapacity: aws.Int32(1),
		VPCZoneIdentifier: aws.String(es.subnets[0])})
	must(t, err)
	volumes := func(group string) map[string]ec2types.Volume {
		id := aws.ToString(tfGroup(t, c, group).Instances[0].InstanceId)
		out, err := c.ec2.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{{Name: aws.String("attachment.instance-id"), Values: []string{id}}}})
		must(t, err)
		m := map[string]ec2types.Volume{}
		for _, v := range out.Volumes {
			m[aws.ToString(v.Attachments[0].Device)] = v
		}
		return m
	}
	v := volumes("bd-t")
	if len(v) != 2 || aws.ToInt32(v["/dev/xvda"].Size) != 16 || aws.ToInt32(v["/dev/sdf"].Size) != 20 || v["/dev/sdf"].VolumeType != ec2types.VolumeTypeIo1 ||
		aws.ToInt32(v["/dev/sdf"].Iops) != 400 || !aws.ToBool(v["/dev/sdf"].Encrypted) {
		t.Fatalf("volumes of the template's instance: %+v", v)
	}
	v = volumes("bd-c")
	if len(v) != 2 || aws.ToInt32(v["/dev/sdh"].Size) != 50 || v["/dev/sdh"].VolumeType != ec2types.VolumeTypeGp2 {
		t.Fatalf("volumes of the launch configuration's instance: %+v", v)
	}
}

// TestAutoScalingLaunchLifecycleHook checks a launch lifecycle hook as
// AWS documents it (lifecycle-hooks.html), through the Go SDK: instances
// launched while the hook exists wait in Pending:Wait, out of the group's
// target group; a heartbeat keeps the action; CONTINUE lets the instance go
// InService and into the target group; ABANDON terminates it and the group
// launches a replacement, which waits in turn; an action already completed
// is no longer found.
func TestAutoScalingLaunchLifecycleHook(t *testing.T) {
	t.Parallel()
	es := newEstate(t, ec2types.InstanceTypeT3Micro, 0)
	c := es.c
	tg := tfTargetGroup(t, c, es.vpc, "hook-tg")
	_, err := c.asg.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String("hook-lc"),
		ImageId: aws.String(testAMI), InstanceType: aws.String("t3.micro"), SecurityGroups: []string{es.open}})
	must(t, err)
	name := "hook"
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: &name, LaunchConfigurationName: aws.String("hook-lc"),
		MinSize: aws.Int32(0), MaxSize: aws.Int32(3), DesiredCapacity: aws.Int32(2), VPCZoneIdentifier: aws.String(es.subnets[0]), TargetGroupARNs: []string{tg},
		LifecycleHookSpecificationList: []asgtypes.LifecycleHookSpecification{{LifecycleHookName: aws.String("boot"),
			LifecycleTransition: aws.String("autoscaling:EC2_INSTANCE_LAUNCHING"), HeartbeatTimeout: aws.Int32(600)}}})
	must(t, err)
	states := func() map[string]string {
		m := map[string]string{}
		for _, i := range tfGroup(t, c, name).Instances {
			m[aws.ToString(i.InstanceId)] = string(i.LifecycleState)
		}
		return m
	}
	eventually(t, "two instances in Pending:Wait", func() bool {
		s := states()
		return len(s) == 2 && !slices.ContainsFunc(slices.Collect(maps.Values(s)), func(v string) bool { return v != "Pending:Wait" })
	})
	targets := func() []string {
		out, err := c.elb.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: &tg})
		must(t, err)
		var ids []string
		for _, d := range out.TargetHealthDescriptions {
			ids = append(ids, aws.ToString(d.Target.Id))
		}
		return ids
	}
	time.Sleep(60 * time.Millisecond) // a few steps: waiting instances are not registered
	if ids := targets(); len(ids) != 0 {
		t.Fatalf("targets while the instances wait: %v", ids)
	}
	ids := slices.Sorted(maps.Keys(states()))
	a, b := ids[0], ids[1]
	hook := aws.String("boot")
	_, err = c.asg.RecordLifecycleActionHeartbeat(ctx, &autoscaling.RecordLifecycleActionHeartbeatInput{AutoScalingGroupName: &name, LifecycleHookName: hook, InstanceId: &a})
	must(t, err)
	_, err = c.asg.CompleteLifecycleAction(ctx, &autoscaling.CompleteLifecycleActionInput{AutoScalingGroupName: &name, LifecycleHookName: hook, InstanceId: &a,
		LifecycleActionResult: aws.String("CONTINUE")})
	must(t, err)
	eventually(t, "the continued instance InService and registered", func() bool {
		return states()[a] == "InService" && slices.Equal(targets(), []string{a})
	})
	_, err = c.asg.CompleteLifecycleAction(ctx, &autoscaling.CompleteLifecycleActionInput{AutoScalingGroupName: &name, LifecycleHookName: hook, InstanceId: &a,
		LifecycleActionResult: aws.String("CONTINUE")})
	wantAPIError(t, err, "ValidationError", "No active Lifecycle Action found with instance ID "+a)
	_, err = c.asg.CompleteLifecycleAction(ctx, &autoscaling.CompleteLifecycleActionInput{AutoScalingGroupName: &name, LifecycleHookName: hook,
		LifecycleActionToken: aws.String("bc2e2f6f-0000-4000-8000-000000000000"), LifecycleActionResult: aws.String("CONTINUE")})
	if apiCode(err) != "ValidationError" {
		t.Fatalf("CompleteLifecycleAction with an unknown token: %v", err)
	}
	_, err = c.asg.CompleteLifecycleAction(ctx, &autoscaling.CompleteLifecycleActionInput{AutoScalingGroupName: &name, LifecycleHookName: hook, InstanceId: &b,
		LifecycleActionResult: aws.String("ABANDON")})
	must(t, err)
	eventually(t, "the abandoned instance replaced by one that waits", func() bool {
		s := states()
		if _, ok := s[b]; ok || s[a] != "InService" || len(s) != 2 {
			return false
		}
		for id, st := range s {
			if id != a && st != "Pending:Wait" {
				return false
			}
		}
		return true
	})

	// A termination hook: scale in takes a out of the group's target group
	// and capacity at once, but EC2 terminates it only when the action ends.
	_, err = c.asg.PutLifecycleHook(ctx, &autoscaling.PutLifecycleHookInput{AutoScalingGroupName: &name, LifecycleHookName: aws.String("drain"),
		LifecycleTransition: aws.String("autoscaling:EC2_INSTANCE_TERMINATING"), HeartbeatTimeout: aws.Int32(600), DefaultResult: aws.String("CONTINUE")})
	must(t, err)
	for id, st := range states() {
		if id != a && st == "Pending:Wait" {
			_, err = c.asg.CompleteLifecycleAction(ctx, &autoscaling.CompleteLifecycleActionInput{AutoScalingGroupName: &name, LifecycleHookName: hook, InstanceId: &id,
				LifecycleActionResult: aws.String("CONTINUE")})
			must(t, err)
		}
	}
	_, err = c.asg.TerminateInstanceInAutoScalingGroup(ctx, &autoscaling.TerminateInstanceInAutoScalingGroupInput{InstanceId: &a, ShouldDecrementDesiredCapacity: aws.Bool(true)})
	must(t, err)
	if s := states(); s[a] != "Terminating:Wait" || len(s) != 2 {
		t.Fatalf("after TerminateInstanceInAutoScalingGroup with a termination hook: %v, want %s Terminating:Wait", s, a)
	}
	time.Sleep(60 * time.Millisecond) // a few steps: the group does not take another instance out, EC2 keeps a running
	if s := states(); len(s) != 2 || s[a] != "Terminating:Wait" {
		t.Fatalf("a few steps later: %v", s)
	}
	if slices.Contains(targets(), a) {
		t.Fatalf("the leaving instance is still a target: %v", targets())
	}
	ins, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{a}})
	must(t, err)
	if st := ins.Reservations[0].Instances[0].State.Name; st != ec2types.InstanceStateNameRunning {
		t.Fatalf("EC2 state of the instance waiting on its termination hook: %s", st)
	}
	_, err = c.asg.CompleteLifecycleAction(ctx, &autoscaling.CompleteLifecycleActionInput{AutoScalingGroupName: &name, LifecycleHookName: aws.String("drain"), InstanceId: &a,
		LifecycleActionResult: aws.String("CONTINUE")})
	must(t, err)
	eventually(t, "the instance terminated once its termination hook let it go", func() bool {
		_, in := states()[a]
		return !in
	})
}
