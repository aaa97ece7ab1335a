package server_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// The tests here replay, call by call, what Terraform's AWS provider
// (internal/service/autoscaling: group.go and its waiters, launch_configuration.go,
// policy.go, schedule.go, lifecycle_hook.go, notification.go, group_tag.go,
// attachment.go, autoscaling_traffic_attachment.go) sends to create, read,
// update and delete each resource, and check the fields the provider reads
// back.

// tfCapacity is the provider's waitGroupCapacitySatisfied: no failed
// scaling activity since start, and want instances Healthy and InService.
func tfCapacity(t *testing.T, c clients, name string, start time.Time, want int) {
	t.Helper()
	eventually(t, "capacity satisfied", func() bool {
		acts, err := c.asg.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: &name})
		must(t, err)
		for _, a := range acts.Activities {
			if start.Before(aws.ToTime(a.StartTime)) && a.StatusCode == asgtypes.ScalingActivityStatusCodeFailed && aws.ToInt32(a.Progress) == 100 {
				t.Fatalf("scaling activity (%s): %s: %s", aws.ToString(a.ActivityId), a.StatusCode, aws.ToString(a.StatusMessage))
			}
		}
		g := tfGroup(t, c, name)
		n := 0
		for _, i := range g.Instances {
			if aws.ToString(i.HealthStatus) == "Healthy" && i.LifecycleState == asgtypes.LifecycleStateInService {
				n++
			}
		}
		return n == want
	})
}

// tfGroup is the provider's findGroupByName.
func tfGroup(t *testing.T, c clients, name string) asgtypes.AutoScalingGroup {
	t.Helper()
	out, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}})
	must(t, err)
	if len(out.AutoScalingGroups) != 1 || aws.ToString(out.AutoScalingGroups[0].AutoScalingGroupName) != name {
		t.Fatalf("group %s: %+v", name, out.AutoScalingGroups)
	}
	return out.AutoScalingGroups[0]
}

func tfRefresh(t *testing.T, c clients, name, id string) asgtypes.InstanceRefresh {
	t.Helper()
	out, err := c.asg.DescribeInstanceRefreshes(ctx, &autoscaling.DescribeInstanceRefreshesInput{AutoScalingGroupName: &name, InstanceRefreshIds: []string{id}})
	must(t, err)
	if len(out.InstanceRefreshes) != 1 {
		t.Fatalf("refresh %s: %+v", id, out.InstanceRefreshes)
	}
	return out.InstanceRefreshes[0]
}

// TestTerraformAutoScalingGroup replays aws_autoscaling_group: create with
// a launch template, the capacity waiter, metrics, suspended processes and
// warm pool; read; update with an instance refresh (and the provider's
// cancel-and-retry when one is in progress), target groups and traffic
// sources with their state waiters; delete with warm pool delete, drain
// (instance protection lifted) and the wait for the group to go.
func TestTerraformAutoScalingGroup(t *testing.T) {
	t.Parallel()
	es := newEstate(t, ec2types.InstanceTypeT3Micro, 0)
	c := es.c
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("tf-lt"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
			SecurityGroupIds: []string{es.open}}})
	must(t, err)
	ltID := lt.LaunchTemplate.LaunchTemplateId
	name := "tf-asg"
	start := time.Now()

	// Create.
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: &name,
		LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: ltID, Version: aws.String("$Latest")},
		MinSize:        aws.Int32(2), MaxSize: aws.Int32(4), DesiredCapacity: aws.Int32(2),
		VPCZoneIdentifier: aws.String(es.subnets[0] + "," + es.subnets[1]), DefaultInstanceWarmup: aws.Int32(60),
		MaxInstanceLifetime: aws.Int32(86400), Context: aws.String("ctx"), NewInstancesProtectedFromScaleIn: aws.Bool(true),
		InstanceMaintenancePolicy: &asgtypes.InstanceMaintenancePolicy{MinHealthyPercentage: aws.Int32(90), MaxHealthyPercentage: aws.Int32(120)},
		Tags:                      []asgtypes.Tag{{Key: aws.String("Name"), Value: aws.String("web"), PropagateAtLaunch: aws.Bool(true)}}})
	must(t, err)
	tfCapacity(t, c, name, start, 2)
	_, err = c.asg.SuspendProcesses(ctx, &autoscaling.SuspendProcessesInput{AutoScalingGroupName: &name, ScalingProcesses: []string{"AZRebalance"}})
	must(t, err)
	_, err = c.asg.EnableMetricsCollection(ctx, &autoscaling.EnableMetricsCollectionInput{AutoScalingGroupName: &name, Granularity: aws.String("1Minute"),
		Metrics: []string{"GroupDesiredCapacity", "GroupInServiceInstances"}})
	must(t, err)
	_, err = c.asg.PutWarmPool(ctx, &autoscaling.PutWarmPoolInput{AutoScalingGroupName: &name, MinSize: aws.Int32(1), PoolState: asgtypes.WarmPoolStateStopped,
		InstanceReusePolicy: &asgtypes.InstanceReusePolicy{ReuseOnScaleIn: aws.Bool(true)}})
	must(t, err)

	// Read.
	g := tfGroup(t, c, name)
	if aws.ToInt32(g.DefaultInstanceWarmup) != 60 || aws.ToInt32(g.MaxInstanceLifetime) != 86400 || aws.ToString(g.Context) != "ctx" ||
		!aws.ToBool(g.NewInstancesProtectedFromScaleIn) || aws.ToInt32(g.HealthCheckGracePeriod) != 0 || aws.ToString(g.HealthCheckType) != "EC2" {
		t.Errorf("group settings: %+v", g)
	}
	if p := g.InstanceMaintenancePolicy; p == nil || aws.ToInt32(p.MinHealthyPercentage) != 90 || aws.ToInt32(p.MaxHealthyPercentage) != 120 {
		t.Errorf("InstanceMaintenancePolicy: %+v", g.InstanceMaintenancePolicy)
	}
	if len(g.EnabledMetrics) != 2 || aws.ToString(g.EnabledMetrics[0].Granularity) != "1Minute" {
		t.Errorf("EnabledMetrics: %+v", g.EnabledMetrics)
	}
	if len(g.SuspendedProcesses) != 1 || aws.ToString(g.SuspendedProcesses[0].ProcessName) != "AZRebalance" {
		t.Errorf("SuspendedProcesses: %+v", g.SuspendedProcesses)
	}
	if w := g.WarmPoolConfiguration; w == nil || aws.ToInt32(w.MinSize) != 1 || w.PoolState != asgtypes.WarmPoolStateStopped ||
		w.InstanceReusePolicy == nil || !aws.ToBool(w.InstanceReusePolicy.ReuseOnScaleIn) {
		t.Errorf("WarmPoolConfiguration: %+v", g.WarmPoolConfiguration)
	}
	if !slices.Equal(g.TerminationPolicies, []string{"Default"}) || g.TrafficSources == nil || g.TargetGroupARNs == nil {
		t.Errorf("TerminationPolicies %v, TrafficSources %v, TargetGroupARNs %v", g.TerminationPolicies, g.TrafficSources, g.TargetGroupARNs)
	}
	if ts := g.LaunchTemplate; ts == nil || aws.ToString(ts.LaunchTemplateId) != aws.ToString(ltID) || aws.ToString(ts.Version) != "$Latest" {
		t.Errorf("LaunchTemplate: %+v", g.LaunchTemplate)
	}
	for _, i := range g.Instances {
		if !aws.ToBool(i.ProtectedFromScaleIn) {
			t.Errorf("instance %s is not protected from scale in", aws.ToString(i.InstanceId))
		}
	}
	before := map[string]bool{}
	for _, i := range g.Instances {
		before[aws.ToString(i.InstanceId)] = true
	}

	// Update: a new template version and an instance refresh.
	_, err = c.ec2.CreateLaunchTemplateVersion(ctx, &ec2.CreateLaunchTemplateVersionInput{LaunchTemplateId: ltID,
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
			SecurityGroupIds: []string{es.open}}})
	must(t, err)
	_, err = c.asg.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: &name,
		NewInstancesProtectedFromScaleIn: aws.Bool(true), DefaultInstanceWarmup: aws.Int32(30), TerminationPolicies: []string{"Default"}})
	must(t, err)
	ref, err := c.asg.StartInstanceRefresh(ctx, &autoscaling.StartInstanceRefreshInput{AutoScalingGroupName: &name, Strategy: asgtypes.RefreshStrategyRolling,
		Preferences: &asgtypes.RefreshPreferences{MinHealthyPercentage: aws.Int32(50), InstanceWarmup: aws.Int32(0)}})
	must(t, err)
	id := aws.ToString(ref.InstanceRefreshId)
	eventually(t, "the instance refresh succeeds", func() bool {
		r := tfRefresh(t, c, name, id)
		switch r.Status {
		case asgtypes.InstanceRefreshStatusSuccessful:
			return true
		case asgtypes.InstanceRefreshStatusPending, asgtypes.InstanceRefreshStatusInProgress:
			return false
		}
		t.Fatalf("refresh: %+v", r)
		return false
	})
	r := tfRefresh(t, c, name, id)
	if aws.ToInt32(r.PercentageComplete) != 100 || aws.ToInt32(r.InstancesToUpdate) != 0 || r.Preferences == nil || aws.ToInt32(r.Preferences.MinHealthyPercentage) != 50 {
		t.Errorf("finished refresh: %+v", r)
	}
	tfCapacity(t, c, name, start, 2)
	for _, i := range tfGroup(t, c, name).Instances {
		if before[aws.ToString(i.InstanceId)] {
			t.Errorf("instance %s survived the refresh", aws.ToString(i.InstanceId))
		}
		if aws.ToString(i.LaunchTemplate.Version) != "$Latest" {
			t.Errorf("instance %s launch template %+v", aws.ToString(i.InstanceId), i.LaunchTemplate)
		}
	}
	// The provider cancels a refresh in progress and starts again. (The
	// InstanceRefresh process is suspended so that the first refresh is
	// still in progress when the second starts.)
	_, err = c.asg.SuspendProcesses(ctx, &autoscaling.SuspendProcessesInput{AutoScalingGroupName: &name, ScalingProcesses: []string{"InstanceRefresh"}})
	must(t, err)
	first, err := c.asg.StartInstanceRefresh(ctx, &autoscaling.StartInstanceRefreshInput{AutoScalingGroupName: &name})
	must(t, err)
	_, err = c.asg.StartInstanceRefresh(ctx, &autoscaling.StartInstanceRefreshInput{AutoScalingGroupName: &name})
	if apiCode(err) != "InstanceRefreshInProgress" {
		t.Fatalf("second refresh: %v", err)
	}
	cancelled, err := c.asg.CancelInstanceRefresh(ctx, &autoscaling.CancelInstanceRefreshInput{AutoScalingGroupName: &name})
	must(t, err)
	if aws.ToString(cancelled.InstanceRefreshId) != aws.ToString(first.InstanceRefreshId) {
		t.Errorf("cancelled %s, want %s", aws.ToString(cancelled.InstanceRefreshId), aws.ToString(first.InstanceRefreshId))
	}
	eventually(t, "the refresh is cancelled", func() bool {
		s := tfRefresh(t, c, name, aws.ToString(first.InstanceRefreshId)).Status
		return s == asgtypes.InstanceRefreshStatusCancelled
	})
	_, err = c.asg.CancelInstanceRefresh(ctx, &autoscaling.CancelInstanceRefreshInput{AutoScalingGroupName: &name})
	if apiCode(err) != "ActiveInstanceRefreshNotFound" {
		t.Errorf("cancel without a refresh: %v", err)
	}
	_, err = c.asg.ResumeProcesses(ctx, &autoscaling.ResumeProcessesInput{AutoScalingGroupName: &name, ScalingProcesses: []string{"InstanceRefresh"}})
	must(t, err)

	// Update: metrics, processes, target groups and traffic sources.
	_, err = c.asg.DisableMetricsCollection(ctx, &autoscaling.DisableMetricsCollectionInput{AutoScalingGroupName: &name, Metrics: []string{"GroupDesiredCapacity"}})
	must(t, err)
	_, err = c.asg.ResumeProcesses(ctx, &autoscaling.ResumeProcessesInput{AutoScalingGroupName: &name, ScalingProcesses: []string{"AZRebalance"}})
	must(t, err)
	tg1 := tfTargetGroup(t, c, es.vpc, "tf-tg1")
	tg2 := tfTargetGroup(t, c, es.vpc, "tf-tg2")
	_, err = c.asg.AttachLoadBalancerTargetGroups(ctx, &autoscaling.AttachLoadBalancerTargetGroupsInput{AutoScalingGroupName: &name, TargetGroupARNs: []string{tg1}})
	must(t, err)
	eventually(t, "no target group is Adding", func() bool {
		out, err := c.asg.DescribeLoadBalancerTargetGroups(ctx, &autoscaling.DescribeLoadBalancerTargetGroupsInput{AutoScalingGroupName: &name})
		must(t, err)
		return len(out.LoadBalancerTargetGroups) == 1 && aws.ToString(out.LoadBalancerTargetGroups[0].State) != "Adding"
	})
	_, err = c.asg.AttachTrafficSources(ctx, &autoscaling.AttachTrafficSourcesInput{AutoScalingGroupName: &name,
		TrafficSources: []asgtypes.TrafficSourceIdentifier{{Identifier: &tg2, Type: aws.String("elbv2")}}})
	must(t, err)
	ts, err := c.asg.DescribeTrafficSources(ctx, &autoscaling.DescribeTrafficSourcesInput{AutoScalingGroupName: &name})
	must(t, err)
	if len(ts.TrafficSources) != 2 || slices.ContainsFunc(ts.TrafficSources, func(s asgtypes.TrafficSourceState) bool { return aws.ToString(s.State) == "Adding" }) {
		t.Errorf("traffic sources: %+v", ts.TrafficSources)
	}
	g = tfGroup(t, c, name)
	if len(g.TrafficSources) != 2 || len(g.TargetGroupARNs) != 2 || len(g.EnabledMetrics) != 1 || len(g.SuspendedProcesses) != 0 {
		t.Errorf("after update: traffic %+v, target groups %v, metrics %+v, suspended %+v", g.TrafficSources, g.TargetGroupARNs, g.EnabledMetrics, g.SuspendedProcesses)
	}
	_, err = c.asg.DetachTrafficSources(ctx, &autoscaling.DetachTrafficSourcesInput{AutoScalingGroupName: &name,
		TrafficSources: []asgtypes.TrafficSourceIdentifier{{Identifier: &tg2, Type: aws.String("elbv2")}}})
	must(t, err)
	_, err = c.asg.DetachLoadBalancerTargetGroups(ctx, &autoscaling.DetachLoadBalancerTargetGroupsInput{AutoScalingGroupName: &name, TargetGroupARNs: []string{tg1}})
	must(t, err)
	out, err := c.asg.DescribeLoadBalancerTargetGroups(ctx, &autoscaling.DescribeLoadBalancerTargetGroupsInput{AutoScalingGroupName: &name})
	must(t, err)
	if len(out.LoadBalancerTargetGroups) != 0 {
		t.Errorf("target groups after detach: %+v", out.LoadBalancerTargetGroups)
	}

	// Delete: warm pool, drain, group.
	_, err = c.asg.DeleteWarmPool(ctx, &autoscaling.DeleteWarmPoolInput{AutoScalingGroupName: &name, ForceDelete: aws.Bool(true)})
	must(t, err)
	wp, err := c.asg.DescribeWarmPool(ctx, &autoscaling.DescribeWarmPoolInput{AutoScalingGroupName: &name})
	must(t, err)
	if wp.WarmPoolConfiguration != nil || wp.Instances == nil {
		t.Errorf("warm pool after delete: %+v", wp)
	}
	_, err = c.asg.DeleteWarmPool(ctx, &autoscaling.DeleteWarmPoolInput{AutoScalingGroupName: &name})
	wantAPIError(t, err, "ValidationError", "No warm pool found for Auto Scaling group tf-asg.")
	_, err = c.asg.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: &name,
		DesiredCapacity: aws.Int32(0), MinSize: aws.Int32(0), MaxSize: aws.Int32(0)})
	must(t, err)
	var protected []string
	for _, i := range tfGroup(t, c, name).Instances {
		if aws.ToBool(i.ProtectedFromScaleIn) {
			protected = append(protected, aws.ToString(i.InstanceId))
		}
	}
	if len(protected) == 0 {
		t.Fatal("no protected instance to unprotect")
	}
	_, err = c.asg.SetInstanceProtection(ctx, &autoscaling.SetInstanceProtectionInput{AutoScalingGroupName: &name, InstanceIds: protected, ProtectedFromScaleIn: aws.Bool(false)})
	must(t, err)
	eventually(t, "the group drains", func() bool { return len(tfGroup(t, c, name).Instances) == 0 })
	_, err = c.asg.DeleteAutoScalingGroup(ctx, &autoscaling.DeleteAutoScalingGroupInput{AutoScalingGroupName: &name, ForceDelete: aws.Bool(false)})
	must(t, err)
	gone, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}})
	must(t, err)
	if len(gone.AutoScalingGroups) != 0 {
		t.Errorf("group after delete: %+v", gone.AutoScalingGroups)
	}
	_, err = c.asg.DeleteAutoScalingGroup(ctx, &autoscaling.DeleteAutoScalingGroupInput{AutoScalingGroupName: &name})
	if apiCode(err) != "ValidationError" {
		t.Errorf("second delete: %v", err)
	}
}

func tfTargetGroup(t *testing.T, c clients, vpc, name string) string {
	t.Helper()
	out, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: &name, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: &vpc})
	must(t, err)
	return aws.ToString(out.TargetGroups[0].TargetGroupArn)
}

// TestTerraformAutoScalingResources replays aws_launch_configuration,
// aws_autoscaling_policy, aws_autoscaling_schedule,
// aws_autoscaling_lifecycle_hook, aws_autoscaling_notification,
// aws_autoscaling_group_tag, aws_autoscaling_attachment and
// aws_autoscaling_traffic_source_attachment on one group.
func TestTerraformAutoScalingResources(t *testing.T) {
	t.Parallel()
	es := newEstate(t, ec2types.InstanceTypeT3Micro, 0)
	c := es.c
	name := "tf-res"

	// aws_launch_configuration.
	_, err := c.asg.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String("tf-lc"),
		ImageId: aws.String(testAMI), InstanceType: aws.String("t3.micro"), SecurityGroups: []string{es.open},
		EbsOptimized: aws.Bool(false), InstanceMonitoring: &asgtypes.InstanceMonitoring{Enabled: aws.Bool(true)},
		MetadataOptions: &asgtypes.InstanceMetadataOptions{HttpTokens: asgtypes.InstanceMetadataHttpTokensStateRequired}})
	must(t, err)
	lcs, err := c.asg.DescribeLaunchConfigurations(ctx, &autoscaling.DescribeLaunchConfigurationsInput{LaunchConfigurationNames: []string{"tf-lc"}})
	must(t, err)
	if len(lcs.LaunchConfigurations) != 1 {
		t.Fatalf("launch configurations: %+v", lcs.LaunchConfigurations)
	}
	lc := lcs.LaunchConfigurations[0]
	if aws.ToString(lc.ImageId) != testAMI || aws.ToString(lc.InstanceType) != "t3.micro" || !slices.Equal(lc.SecurityGroups, []string{es.open}) ||
		lc.InstanceMonitoring == nil || !aws.ToBool(lc.InstanceMonitoring.Enabled) || lc.MetadataOptions == nil ||
		lc.MetadataOptions.HttpTokens != asgtypes.InstanceMetadataHttpTokensStateRequired || aws.ToString(lc.LaunchConfigurationARN) == "" {
		t.Errorf("launch configuration: %+v", lc)
	}

	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: &name, LaunchConfigurationName: aws.String("tf-lc"),
		MinSize: aws.Int32(1), MaxSize: aws.Int32(3), VPCZoneIdentifier: aws.String(es.subnets[0])})
	must(t, err)
	tfCapacity(t, c, name, time.Now().Add(-time.Minute), 1)

	// aws_autoscaling_policy.
	_, err = c.asg.PutScalingPolicy(ctx, &autoscaling.PutScalingPolicyInput{AutoScalingGroupName: &name, PolicyName: aws.String("cpu"),
		PolicyType: aws.String("TargetTrackingScaling"), EstimatedInstanceWarmup: aws.Int32(120),
		TargetTrackingConfiguration: &asgtypes.TargetTrackingConfiguration{TargetValue: aws.Float64(50),
			PredefinedMetricSpecification: &asgtypes.PredefinedMetricSpecification{PredefinedMetricType: asgtypes.MetricTypeASGAverageCPUUtilization}}})
	must(t, err)
	pols, err := c.asg.DescribePolicies(ctx, &autoscaling.DescribePoliciesInput{AutoScalingGroupName: &name, PolicyNames: []string{"cpu"}})
	must(t, err)
	if len(pols.ScalingPolicies) != 1 || aws.ToString(pols.ScalingPolicies[0].PolicyType) != "TargetTrackingScaling" ||
		aws.ToInt32(pols.ScalingPolicies[0].EstimatedInstanceWarmup) != 120 || pols.ScalingPolicies[0].TargetTrackingConfiguration == nil ||
		aws.ToFloat64(pols.ScalingPolicies[0].TargetTrackingConfiguration.TargetValue) != 50 || !aws.ToBool(pols.ScalingPolicies[0].Enabled) {
		t.Errorf("policies: %+v", pols.ScalingPolicies)
	}
	_, err = c.asg.DeletePolicy(ctx, &autoscaling.DeletePolicyInput{AutoScalingGroupName: &name, PolicyName: aws.String("cpu")})
	must(t, err)

	// aws_autoscaling_schedule.
	startAt := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Second)
	_, err = c.asg.PutScheduledUpdateGroupAction(ctx, &autoscaling.PutScheduledUpdateGroupActionInput{AutoScalingGroupName: &name,
		ScheduledActionName: aws.String("night"), StartTime: &startAt, Recurrence: aws.String("0 22 * * *"), TimeZone: aws.String("Etc/UTC"),
		MinSize: aws.Int32(1), MaxSize: aws.Int32(2), DesiredCapacity: aws.Int32(1)})
	must(t, err)
	sa, err := c.asg.DescribeScheduledActions(ctx, &autoscaling.DescribeScheduledActionsInput{AutoScalingGroupName: &name, ScheduledActionNames: []string{"night"}})
	must(t, err)
	if len(sa.ScheduledUpdateGroupActions) != 1 || aws.ToString(sa.ScheduledUpdateGroupActions[0].Recurrence) != "0 22 * * *" ||
		aws.ToInt32(sa.ScheduledUpdateGroupActions[0].DesiredCapacity) != 1 || aws.ToString(sa.ScheduledUpdateGroupActions[0].ScheduledActionARN) == "" {
		t.Errorf("scheduled actions: %+v", sa.ScheduledUpdateGroupActions)
	}
	_, err = c.asg.DeleteScheduledAction(ctx, &autoscaling.DeleteScheduledActionInput{AutoScalingGroupName: &name, ScheduledActionName: aws.String("night")})
	must(t, err)
	// Deleting it again (as Terraform's destroy of a one-off action AWS has
	// already run and forgotten does) is AWS's ValidationError.
	_, err = c.asg.DeleteScheduledAction(ctx, &autoscaling.DeleteScheduledActionInput{AutoScalingGroupName: &name, ScheduledActionName: aws.String("night")})
	wantAPIError(t, err, "ValidationError", "Scheduled action name not found")
	bd, err := c.asg.BatchDeleteScheduledAction(ctx, &autoscaling.BatchDeleteScheduledActionInput{AutoScalingGroupName: &name, ScheduledActionNames: []string{"night"}})
	must(t, err)
	if len(bd.FailedScheduledActions) != 1 || aws.ToString(bd.FailedScheduledActions[0].ErrorCode) != "ValidationError" ||
		aws.ToString(bd.FailedScheduledActions[0].ErrorMessage) != "Scheduled action name not found" {
		t.Errorf("batch delete of a missing action: %+v", bd.FailedScheduledActions)
	}

	// aws_autoscaling_lifecycle_hook.
	_, err = c.asg.PutLifecycleHook(ctx, &autoscaling.PutLifecycleHookInput{AutoScalingGroupName: &name, LifecycleHookName: aws.String("drain"),
		LifecycleTransition: aws.String("autoscaling:EC2_INSTANCE_TERMINATING"), HeartbeatTimeout: aws.Int32(300), DefaultResult: aws.String("CONTINUE")})
	must(t, err)
	hooks, err := c.asg.DescribeLifecycleHooks(ctx, &autoscaling.DescribeLifecycleHooksInput{AutoScalingGroupName: &name, LifecycleHookNames: []string{"drain"}})
	must(t, err)
	if len(hooks.LifecycleHooks) != 1 || aws.ToInt32(hooks.LifecycleHooks[0].HeartbeatTimeout) != 300 || aws.ToString(hooks.LifecycleHooks[0].DefaultResult) != "CONTINUE" {
		t.Errorf("lifecycle hooks: %+v", hooks.LifecycleHooks)
	}
	_, err = c.asg.DeleteLifecycleHook(ctx, &autoscaling.DeleteLifecycleHookInput{AutoScalingGroupName: &name, LifecycleHookName: aws.String("drain")})
	must(t, err)

	// aws_autoscaling_notification.
	topic := "arn:aws:sns:us-east-1:000000000000:asg-events"
	_, err = c.asg.PutNotificationConfiguration(ctx, &autoscaling.PutNotificationConfigurationInput{AutoScalingGroupName: &name, TopicARN: &topic,
		NotificationTypes: []string{"autoscaling:EC2_INSTANCE_LAUNCH", "autoscaling:EC2_INSTANCE_TERMINATE"}})
	must(t, err)
	nc, err := c.asg.DescribeNotificationConfigurations(ctx, &autoscaling.DescribeNotificationConfigurationsInput{AutoScalingGroupNames: []string{name}})
	must(t, err)
	if len(nc.NotificationConfigurations) != 2 || aws.ToString(nc.NotificationConfigurations[0].TopicARN) != topic ||
		aws.ToString(nc.NotificationConfigurations[0].NotificationType) != "autoscaling:EC2_INSTANCE_LAUNCH" {
		t.Errorf("notifications: %+v", nc.NotificationConfigurations)
	}
	_, err = c.asg.PutNotificationConfiguration(ctx, &autoscaling.PutNotificationConfigurationInput{AutoScalingGroupName: &name, TopicARN: &topic,
		NotificationTypes: []string{"autoscaling:EC2_INSTANCE_BOOM"}})
	if apiCode(err) != "ValidationError" {
		t.Errorf("bad notification type: %v", err)
	}
	_, err = c.asg.DeleteNotificationConfiguration(ctx, &autoscaling.DeleteNotificationConfigurationInput{AutoScalingGroupName: &name, TopicARN: &topic})
	must(t, err)
	nc, err = c.asg.DescribeNotificationConfigurations(ctx, &autoscaling.DescribeNotificationConfigurationsInput{AutoScalingGroupNames: []string{name}})
	must(t, err)
	if len(nc.NotificationConfigurations) != 0 {
		t.Errorf("notifications after delete: %+v", nc.NotificationConfigurations)
	}

	// aws_autoscaling_group_tag.
	_, err = c.asg.CreateOrUpdateTags(ctx, &autoscaling.CreateOrUpdateTagsInput{Tags: []asgtypes.Tag{{ResourceId: &name,
		ResourceType: aws.String("auto-scaling-group"), Key: aws.String("team"), Value: aws.String("net"), PropagateAtLaunch: aws.Bool(true)}}})
	must(t, err)
	tags, err := c.asg.DescribeTags(ctx, &autoscaling.DescribeTagsInput{Filters: []asgtypes.Filter{
		{Name: aws.String("auto-scaling-group"), Values: []string{name}}, {Name: aws.String("key"), Values: []string{"team"}}}})
	must(t, err)
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Value) != "net" || !aws.ToBool(tags.Tags[0].PropagateAtLaunch) {
		t.Errorf("tags: %+v", tags.Tags)
	}
	_, err = c.asg.DeleteTags(ctx, &autoscaling.DeleteTagsInput{Tags: []asgtypes.Tag{{ResourceId: &name, ResourceType: aws.String("auto-scaling-group"), Key: aws.String("team")}}})
	must(t, err)
	_, err = c.asg.CreateOrUpdateTags(ctx, &autoscaling.CreateOrUpdateTagsInput{Tags: []asgtypes.Tag{{ResourceId: aws.String("nope"),
		ResourceType: aws.String("auto-scaling-group"), Key: aws.String("team"), Value: aws.String("net")}}})
	wantAPIError(t, err, "ValidationError", "AutoScalingGroup not found - AutoScaling Group nope not found")

	// aws_autoscaling_attachment (target group), then
	// aws_autoscaling_traffic_source_attachment.
	tg := tfTargetGroup(t, c, es.vpc, "tf-att")
	_, err = c.asg.AttachLoadBalancerTargetGroups(ctx, &autoscaling.AttachLoadBalancerTargetGroupsInput{AutoScalingGroupName: &name, TargetGroupARNs: []string{tg}})
	must(t, err)
	if !slices.Contains(tfGroup(t, c, name).TargetGroupARNs, tg) {
		t.Error("attachment: the group lacks its target group")
	}
	eventually(t, "the group's instance registers in the target group", func() bool {
		h, err := c.elb.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: &tg})
		return err == nil && len(h.TargetHealthDescriptions) == 1
	})
	_, err = c.asg.DetachLoadBalancerTargetGroups(ctx, &autoscaling.DetachLoadBalancerTargetGroupsInput{AutoScalingGroupName: &name, TargetGroupARNs: []string{tg}})
	must(t, err)
	_, err = c.asg.AttachTrafficSources(ctx, &autoscaling.AttachTrafficSourcesInput{AutoScalingGroupName: &name,
		TrafficSources: []asgtypes.TrafficSourceIdentifier{{Identifier: &tg, Type: aws.String("elbv2")}}})
	must(t, err)
	ts, err := c.asg.DescribeTrafficSources(ctx, &autoscaling.DescribeTrafficSourcesInput{AutoScalingGroupName: &name, TrafficSourceType: aws.String("elbv2")})
	must(t, err)
	if len(ts.TrafficSources) != 1 || aws.ToString(ts.TrafficSources[0].Identifier) != tg {
		t.Errorf("traffic sources: %+v", ts.TrafficSources)
	}
	_, err = c.asg.DetachTrafficSources(ctx, &autoscaling.DetachTrafficSourcesInput{AutoScalingGroupName: &name,
		TrafficSources: []asgtypes.TrafficSourceIdentifier{{Identifier: &tg, Type: aws.String("elbv2")}}})
	must(t, err)

	_, err = c.asg.DeleteLaunchConfiguration(ctx, &autoscaling.DeleteLaunchConfigurationInput{LaunchConfigurationName: aws.String("tf-lc")})
	if apiCode(err) != "ResourceInUse" {
		t.Errorf("deleting a launch configuration in use: %v", err)
	}
	_, err = c.asg.DeleteAutoScalingGroup(ctx, &autoscaling.DeleteAutoScalingGroupInput{AutoScalingGroupName: &name, ForceDelete: aws.Bool(true)})
	must(t, err)
	_, err = c.asg.DeleteLaunchConfiguration(ctx, &autoscaling.DeleteLaunchConfigurationInput{LaunchConfigurationName: aws.String("tf-lc")})
	must(t, err)
}

// TestAutoScalingStandbyHealthLaunch covers EnterStandby/ExitStandby,
// SetInstanceHealth (the unhealthy instance is replaced once the grace
// period allows), LaunchInstances and the describe-only operations.
func TestAutoScalingStandbyHealthLaunch(t *testing.T) {
	t.Parallel()
	es := newEstate(t, ec2types.InstanceTypeT3Micro, 0)
	c := es.c
	name := "sb"
	_, err := c.asg.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String("sb-lc"),
		ImageId: aws.String(testAMI), InstanceType: aws.String("t3.micro"), SecurityGroups: []string{es.open}})
	must(t, err)
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: &name, LaunchConfigurationName: aws.String("sb-lc"),
		MinSize: aws.Int32(1), MaxSize: aws.Int32(4), DesiredCapacity: aws.Int32(2), VPCZoneIdentifier: aws.String(es.subnets[0] + "," + es.subnets[1])})
	must(t, err)
	tfCapacity(t, c, name, time.Now().Add(-time.Minute), 2)
	g := tfGroup(t, c, name)
	a, b := aws.ToString(g.Instances[0].InstanceId), aws.ToString(g.Instances[1].InstanceId)

	sb, err := c.asg.EnterStandby(ctx, &autoscaling.EnterStandbyInput{AutoScalingGroupName: &name, InstanceIds: []string{a}, ShouldDecrementDesiredCapacity: aws.Bool(true)})
	must(t, err)
	if len(sb.Activities) != 1 || aws.ToString(sb.Activities[0].Description) != "Moving EC2 instance to Standby: "+a {
		t.Errorf("EnterStandby activities: %+v", sb.Activities)
	}
	g = tfGroup(t, c, name)
	if aws.ToInt32(g.DesiredCapacity) != 1 {
		t.Errorf("desired after standby: %d", aws.ToInt32(g.DesiredCapacity))
	}
	for _, i := range g.Instances {
		if aws.ToString(i.InstanceId) == a && i.LifecycleState != asgtypes.LifecycleStateStandby {
			t.Errorf("instance %s: %s, want Standby", a, i.LifecycleState)
		}
	}
	_, err = c.asg.EnterStandby(ctx, &autoscaling.EnterStandbyInput{AutoScalingGroupName: &name, InstanceIds: []string{b}, ShouldDecrementDesiredCapacity: aws.Bool(true)})
	if apiCode(err) != "ValidationError" {
		t.Errorf("standby below min size: %v", err)
	}
	time.Sleep(50 * time.Millisecond) // a few steps: no replacement is launched for the standby instance
	if n := len(tfGroup(t, c, name).Instances); n != 2 {
		t.Errorf("instances with one in standby: %d, want 2", n)
	}
	_, err = c.asg.ExitStandby(ctx, &autoscaling.ExitStandbyInput{AutoScalingGroupName: &name, InstanceIds: []string{a}})
	must(t, err)
	g = tfGroup(t, c, name)
	if aws.ToInt32(g.DesiredCapacity) != 2 {
		t.Errorf("desired after exit standby: %d", aws.ToInt32(g.DesiredCapacity))
	}
	_, err = c.asg.ExitStandby(ctx, &autoscaling.ExitStandbyInput{AutoScalingGroupName: &name, InstanceIds: []string{a}})
	if apiCode(err) != "ValidationError" {
		t.Errorf("exit standby twice: %v", err)
	}

	// Unhealthy, grace period respected (none here): replaced.
	_, err = c.asg.SetInstanceHealth(ctx, &autoscaling.SetInstanceHealthInput{InstanceId: &b, HealthStatus: aws.String("Unhealthy")})
	must(t, err)
	eventually(t, "the unhealthy instance is replaced", func() bool {
		g := tfGroup(t, c, name)
		n, old := 0, false
		for _, i := range g.Instances {
			if aws.ToString(i.InstanceId) == b {
				old = true
			} else if i.LifecycleState == asgtypes.LifecycleStateInService {
				n++
			}
		}
		return !old && n == 2
	})
	_, err = c.asg.SetInstanceHealth(ctx, &autoscaling.SetInstanceHealthInput{InstanceId: aws.String("i-0123456789abcdef0"), HealthStatus: aws.String("Unhealthy")})
	wantAPIError(t, err, "ValidationError", "Instance Id not found - No managed instance found for instance ID: i-0123456789abcdef0")

	// LaunchInstances, and its client token.
	li, err := c.asg.LaunchInstances(ctx, &autoscaling.LaunchInstancesInput{AutoScalingGroupName: &name, RequestedCapacity: aws.Int32(1),
		ClientToken: aws.String("tok-1"), SubnetIds: []string{es.subnets[1]}})
	must(t, err)
	if len(li.Instances) != 1 || len(li.Instances[0].InstanceIds) != 1 || aws.ToString(li.Instances[0].SubnetId) != es.subnets[1] {
		t.Fatalf("LaunchInstances: %+v", li.Instances)
	}
	again, err := c.asg.LaunchInstances(ctx, &autoscaling.LaunchInstancesInput{AutoScalingGroupName: &name, RequestedCapacity: aws.Int32(1),
		ClientToken: aws.String("tok-1"), SubnetIds: []string{es.subnets[1]}})
	must(t, err)
	if len(again.Instances) != 1 || again.Instances[0].InstanceIds[0] != li.Instances[0].InstanceIds[0] {
		t.Errorf("LaunchInstances retried: %+v", again.Instances)
	}
	if d := aws.ToInt32(tfGroup(t, c, name).DesiredCapacity); d != 3 {
		t.Errorf("desired after LaunchInstances: %d", d)
	}

	types, err := c.asg.DescribeAutoScalingNotificationTypes(ctx, &autoscaling.DescribeAutoScalingNotificationTypesInput{})
	must(t, err)
	if !slices.Contains(types.AutoScalingNotificationTypes, "autoscaling:TEST_NOTIFICATION") {
		t.Errorf("notification types: %v", types.AutoScalingNotificationTypes)
	}
	mt, err := c.asg.DescribeMetricCollectionTypes(ctx, &autoscaling.DescribeMetricCollectionTypesInput{})
	must(t, err)
	if len(mt.Granularities) != 1 || aws.ToString(mt.Granularities[0].Granularity) != "1Minute" || len(mt.Metrics) < 13 {
		t.Errorf("metric collection types: %+v", mt)
	}
	_, err = c.asg.EnableMetricsCollection(ctx, &autoscaling.EnableMetricsCollectionInput{AutoScalingGroupName: &name, Granularity: aws.String("5Minute")})
	if apiCode(err) != "ValidationError" {
		t.Errorf("granularity 5Minute: %v", err)
	}
	_, err = c.asg.EnableMetricsCollection(ctx, &autoscaling.EnableMetricsCollectionInput{AutoScalingGroupName: &name, Granularity: aws.String("1Minute")})
	must(t, err)
	if n := len(tfGroup(t, c, name).EnabledMetrics); n != len(mt.Metrics) {
		t.Errorf("enabled metrics without a list: %d, want every one (%d)", n, len(mt.Metrics))
	}

	// A predictive forecast: hourly points over the window.
	_, err = c.asg.PutScalingPolicy(ctx, &autoscaling.PutScalingPolicyInput{AutoScalingGroupName: &name, PolicyName: aws.String("pred"),
		PolicyType: aws.String("PredictiveScaling"), PredictiveScalingConfiguration: &asgtypes.PredictiveScalingConfiguration{
			MetricSpecifications: []asgtypes.PredictiveScalingMetricSpecification{{TargetValue: aws.Float64(40),
				PredefinedMetricPairSpecification: &asgtypes.PredictiveScalingPredefinedMetricPair{PredefinedMetricType: asgtypes.PredefinedMetricPairTypeASGCPUUtilization}}}}})
	must(t, err)
	from := time.Now().UTC().Truncate(time.Hour)
	fc, err := c.asg.GetPredictiveScalingForecast(ctx, &autoscaling.GetPredictiveScalingForecastInput{AutoScalingGroupName: &name, PolicyName: aws.String("pred"),
		StartTime: &from, EndTime: aws.Time(from.Add(3 * time.Hour))})
	must(t, err)
	if len(fc.CapacityForecast.Timestamps) != 3 || len(fc.LoadForecast) != 1 || len(fc.LoadForecast[0].Values) != 3 {
		t.Errorf("forecast: %+v", fc)
	}
}

// TestAutoScalingWeightedCapacity checks a mixed-instances group whose
// override weighs 4 units: desired capacity 8 is two instances, 10 is
// three (AWS overshoots rather than fall short), and each instance
// reports its WeightedCapacity, which Terraform's capacity waiter sums.
func TestAutoScalingWeightedCapacity(t *testing.T) {
	t.Parallel()
	es := newEstate(t, ec2types.InstanceTypeT3Micro, 0)
	c := es.c
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("w-lt"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
			SecurityGroupIds: []string{es.open}}})
	must(t, err)
	name := "weighted"
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: &name, MinSize: aws.Int32(0), MaxSize: aws.Int32(16),
		DesiredCapacity: aws.Int32(8), VPCZoneIdentifier: aws.String(es.subnets[0]),
		MixedInstancesPolicy: &asgtypes.MixedInstancesPolicy{LaunchTemplate: &asgtypes.LaunchTemplate{
			LaunchTemplateSpecification: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId, Version: aws.String("$Latest")},
			Overrides:                   []asgtypes.LaunchTemplateOverrides{{InstanceType: aws.String("t3.small"), WeightedCapacity: aws.String("4")}}}}})
	must(t, err)
	count := func() (n, units int) {
		for _, i := range tfGroup(t, c, name).Instances {
			n++
			w, _ := strconv.Atoi(aws.ToString(i.WeightedCapacity))
			units += w
		}
		return n, units
	}
	if n, units := count(); n != 2 || units != 8 {
		t.Errorf("desired 8 at weight 4: %d instances, %d units", n, units)
	}
	_, err = c.asg.SetDesiredCapacity(ctx, &autoscaling.SetDesiredCapacityInput{AutoScalingGroupName: &name, DesiredCapacity: aws.Int32(10)})
	must(t, err)
	if n, units := count(); n != 3 || units != 12 {
		t.Errorf("desired 10 at weight 4: %d instances, %d units", n, units)
	}
}
