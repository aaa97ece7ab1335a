package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	cdtypes "github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// taskSetStatuses renders a service's task sets: target group → status.
func taskSetStatuses(t *testing.T, es *estate, svc string) map[string]string {
	t.Helper()
	s, err := es.c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{svc}})
	must(t, err)
	out := map[string]string{}
	for _, ts := range s.Services[0].TaskSets {
		out[aws.ToString(ts.LoadBalancers[0].TargetGroupArn)] = aws.ToString(ts.Status)
	}
	return out
}

// TestCodeDeployReplacementTargetsUnhealthy: the test listener forwards
// to the green target group before the deployment, so the replacement
// task set's targets are health-checked during Install. Its tasks run in
// the VPC's default security group, which admits nothing from the load
// balancer's: the targets never turn healthy, the task set stays
// STABILIZING while ECS stops its tasks for failing ELB health checks,
// and the Install event fails (ECS_UPDATE_ERROR, the stopped tasks'
// reason), the traffic never leaving blue.
func TestCodeDeployReplacementTargetsUnhealthy(t *testing.T) {
	t.Parallel()
	x := newCodeDeployTimeline(t)
	_, err := x.es.c.elb.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: &x.test,
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: &x.green}}})
	must(t, err)
	_, err = x.cd.CreateDeploymentGroup(ctx, groupInput(x.role, "svc", x.prod, x.test, "blue-svc", "green-svc"))
	must(t, err)
	spec := strings.Replace(nextWebSpec, "Hooks:", "        NetworkConfiguration:\n          AwsvpcConfiguration:\n            Subnets: [\""+x.es.subnets[0]+
		"\"]\n            SecurityGroups: [\""+x.es.defaultSG+"\"]\n            AssignPublicIp: ENABLED\nHooks:", 1)
	id := x.deploy(t, spec)
	greenSteady := func() string {
		s, err := x.es.c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"svc"}})
		must(t, err)
		for _, ts := range s.Services[0].TaskSets {
			if aws.ToString(ts.LoadBalancers[0].TargetGroupArn) == x.green {
				return fmt.Sprintf("%s running %d", ts.StabilityStatus, ts.RunningCount)
			}
		}
		return "gone"
	}
	eventually(t, "the replacement's task runs", func() bool { return strings.HasSuffix(greenSteady(), "running 1") })
	if got := greenSteady(); got != "STABILIZING running 1" {
		t.Errorf("the replacement with an unhealthy target: %s, want STABILIZING", got)
	}
	if tg := x.target(t, id); !strings.HasPrefix(events(tg), "BeforeInstall=Succeeded Install=InProgress") {
		t.Errorf("while the target is unhealthy: %s", events(tg))
	}
	// A minute of the deployment's clock every 50 ms while it runs (the
	// health checks that fail its tasks come with time and steps; a fixed
	// count of minutes could pass by before a loaded machine steps).
	for deadline := time.Now().Add(patience); x.deployment(t, id).Status == cdtypes.DeploymentStatusInProgress && time.Now().Before(deadline); {
		x.advance(time.Minute)
		time.Sleep(50 * time.Millisecond)
	}
	eventually(t, "the deployment fails", func() bool { return x.deployment(t, id).Status == cdtypes.DeploymentStatusFailed })
	d := x.deployment(t, id)
	if d.ErrorInformation == nil || d.ErrorInformation.Code != cdtypes.ErrorCodeEcsUpdateError ||
		!strings.Contains(aws.ToString(d.ErrorInformation.Message), "Task failed ELB health checks in (target-group "+x.green+")") {
		t.Errorf("the failure: %+v", d.ErrorInformation)
	}
	if w := x.weights(t); w[x.blue] != 100 {
		t.Errorf("production after the failure: %v", w)
	}
	if st := taskSetStatuses(t, x.es, "svc"); st[x.blue] != "PRIMARY" {
		t.Errorf("task sets after the failure: %v", st)
	}
}

// TestCodeDeployAlarmStopsAndRollsBack: a group watching a CloudWatch
// alarm, rolling back on DEPLOYMENT_STOP_ON_ALARM, with a 60-minute
// termination wait. The deployment moves all traffic to green and waits;
// SetAlarmState ALARM during the wait stops it (Stopped, ALARM_ACTIVE
// naming the alarm), production goes back to blue, blue's task set is
// PRIMARY again and a rollback deployment is recorded. A deployment whose
// overrideAlarmConfiguration disables the alarms runs through while the
// alarm is still in ALARM, and answers its override; one of a group whose
// alarm does not exist stops unless ignorePollAlarmFailure.
func TestCodeDeployAlarmStopsAndRollsBack(t *testing.T) {
	t.Parallel()
	x := newCodeDeployTimeline(t)
	cw := cloudwatchClient(x.es.url)
	_, err := cw.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{AlarmName: aws.String("web-5xx"), ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold,
		EvaluationPeriods: aws.Int32(1), MetricName: aws.String("HTTPCode_Target_5XX_Count"), Namespace: aws.String("AWS/ApplicationELB"),
		Statistic: cwtypes.StatisticSum, Period: aws.Int32(60), Threshold: aws.Float64(5)})
	must(t, err)
	in := groupInput(x.role, "svc", x.prod, x.test, "blue-svc", "green-svc")
	in.BlueGreenDeploymentConfiguration.TerminateBlueInstancesOnDeploymentSuccess.TerminationWaitTimeInMinutes = 60
	in.AlarmConfiguration = &cdtypes.AlarmConfiguration{Enabled: true, Alarms: []cdtypes.Alarm{{Name: aws.String("web-5xx")}}}
	in.AutoRollbackConfiguration = &cdtypes.AutoRollbackConfiguration{Enabled: true, Events: []cdtypes.AutoRollbackEvent{cdtypes.AutoRollbackEventDeploymentStopOnAlarm}}
	_, err = x.cd.CreateDeploymentGroup(ctx, in)
	must(t, err)
	id := x.deploy(t, nextWebSpec)
	eventually(t, "all traffic on green", func() bool { return x.weights(t)[x.green] == 100 })
	if st := x.deployment(t, id).Status; st != cdtypes.DeploymentStatusInProgress {
		t.Fatalf("during the termination wait: %s", st)
	}
	_, err = cw.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String("web-5xx"), StateValue: cwtypes.StateValueAlarm, StateReason: aws.String("5xx")})
	must(t, err)
	eventually(t, "the alarm stops the deployment", func() bool { return x.deployment(t, id).Status == cdtypes.DeploymentStatusStopped })
	d := x.deployment(t, id)
	if d.ErrorInformation == nil || d.ErrorInformation.Code != cdtypes.ErrorCodeAlarmActive || !strings.Contains(aws.ToString(d.ErrorInformation.Message), "web-5xx") {
		t.Errorf("the stop: %+v", d.ErrorInformation)
	}
	if w := x.weights(t); w[x.blue] != 100 {
		t.Errorf("production after the alarm: %v, want all on blue", w)
	}
	if st := taskSetStatuses(t, x.es, "svc"); st[x.blue] != "PRIMARY" || (st[x.green] != "DRAINING" && st[x.green] != "") {
		t.Errorf("task sets after the alarm: %v", st)
	}
	if d.RollbackInfo == nil || aws.ToString(d.RollbackInfo.RollbackDeploymentId) == "" {
		t.Fatalf("no rollback: %+v", d.RollbackInfo)
	}
	if r := x.deployment(t, aws.ToString(d.RollbackInfo.RollbackDeploymentId)); aws.ToString(r.RollbackInfo.RollbackTriggeringDeploymentId) != id {
		t.Errorf("the rollback deployment: %+v", r.RollbackInfo)
	}

	// The alarm is still in ALARM: an override that disables it lets a
	// deployment through.
	o, err := x.cd.CreateDeployment(ctx, &codedeploy.CreateDeploymentInput{ApplicationName: aws.String("shop"), DeploymentGroupName: aws.String("dg-svc"),
		OverrideAlarmConfiguration: &cdtypes.AlarmConfiguration{Enabled: false},
		Revision:                   &cdtypes.RevisionLocation{RevisionType: cdtypes.RevisionLocationTypeAppSpecContent, AppSpecContent: &cdtypes.AppSpecContent{Content: aws.String(nextWebSpec)}}})
	must(t, err)
	second := aws.ToString(o.DeploymentId)
	eventually(t, "the overridden deployment moves all traffic", func() bool { return x.weights(t)[x.green] == 100 })
	x.advance(61 * time.Minute)
	eventually(t, "the overridden deployment succeeds", func() bool { return x.deployment(t, second).Status == cdtypes.DeploymentStatusSucceeded })
	if oc := x.deployment(t, second).OverrideAlarmConfiguration; oc == nil || oc.Enabled {
		t.Errorf("the deployment's override: %+v", oc)
	}

	// An alarm CloudWatch does not have: its state cannot be retrieved.
	_, err = x.cd.UpdateDeploymentGroup(ctx, &codedeploy.UpdateDeploymentGroupInput{ApplicationName: aws.String("shop"), CurrentDeploymentGroupName: aws.String("dg-svc"),
		AlarmConfiguration: &cdtypes.AlarmConfiguration{Enabled: true, Alarms: []cdtypes.Alarm{{Name: aws.String("no-such-alarm")}}}})
	must(t, err)
	third := x.deploy(t, strings.Replace(nextWebSpec, "web:2", "web:1", 1))
	eventually(t, "a missing alarm stops the deployment", func() bool { return x.deployment(t, third).Status == cdtypes.DeploymentStatusStopped })
	if e := x.deployment(t, third).ErrorInformation; e == nil || e.Code != cdtypes.ErrorCodeAlarmActive || !strings.Contains(aws.ToString(e.Message), "no-such-alarm") {
		t.Errorf("the missing alarm's stop: %+v", e)
	}
	_, err = x.cd.UpdateDeploymentGroup(ctx, &codedeploy.UpdateDeploymentGroupInput{ApplicationName: aws.String("shop"), CurrentDeploymentGroupName: aws.String("dg-svc"),
		AlarmConfiguration: &cdtypes.AlarmConfiguration{Enabled: true, IgnorePollAlarmFailure: true, Alarms: []cdtypes.Alarm{{Name: aws.String("no-such-alarm")}}}})
	must(t, err)
	fourth := x.deploy(t, strings.Replace(nextWebSpec, "web:2", "web:1", 1))
	eventually(t, "ignorePollAlarmFailure: the traffic moves", func() bool {
		return x.weights(t)[x.blue] == 100 && x.deployment(t, fourth).Status == cdtypes.DeploymentStatusInProgress
	})
}

// TestCodeDeployStopAfterTrafficMovedRollsBack: StopDeployment with
// autoRollbackEnabled during the termination wait (all traffic on green)
// puts production back on blue, whose task set is PRIMARY again; the
// deployment is Stopped with MANUAL_STOP.
func TestCodeDeployStopAfterTrafficMovedRollsBack(t *testing.T) {
	t.Parallel()
	x := newCodeDeployTimeline(t)
	in := groupInput(x.role, "svc", x.prod, x.test, "blue-svc", "green-svc")
	in.BlueGreenDeploymentConfiguration.TerminateBlueInstancesOnDeploymentSuccess.TerminationWaitTimeInMinutes = 30
	_, err := x.cd.CreateDeploymentGroup(ctx, in)
	must(t, err)
	id := x.deploy(t, nextWebSpec)
	eventually(t, "all traffic on green", func() bool { return x.weights(t)[x.green] == 100 })
	if st := taskSetStatuses(t, x.es, "svc"); st[x.green] != "PRIMARY" || st[x.blue] != "ACTIVE" {
		t.Errorf("task sets in the termination wait: %v", st)
	}
	_, err = x.cd.StopDeployment(ctx, &codedeploy.StopDeploymentInput{DeploymentId: &id, AutoRollbackEnabled: aws.Bool(true)})
	must(t, err)
	d := x.deployment(t, id)
	if d.Status != cdtypes.DeploymentStatusStopped || d.ErrorInformation == nil || d.ErrorInformation.Code != cdtypes.ErrorCodeManualStop {
		t.Errorf("the stopped deployment: %s %+v", d.Status, d.ErrorInformation)
	}
	if w := x.weights(t); w[x.blue] != 100 {
		t.Errorf("production after the stop: %v", w)
	}
	if st := taskSetStatuses(t, x.es, "svc"); st[x.blue] != "PRIMARY" {
		t.Errorf("task sets after the stop: %v", st)
	}
}

// TestExternalTaskSetTargetHealth: an EXTERNAL service's task sets
// register their tasks in their target groups; a task set is
// STEADY_STATE only once its targets are healthy there. One whose tasks
// the load balancer cannot reach (the default security group) stays
// STABILIZING and ECS stops its tasks for failing the health checks, as
// for a service's; UpdateServicePrimaryTaskSet makes the healthy one
// PRIMARY and the service takes its task definition.
func TestExternalTaskSetTargetHealth(t *testing.T) {
	t.Parallel()
	x := newCodeDeployTimeline(t)
	es := x.es
	_, err := es.c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("ext"), DesiredCount: aws.Int32(1),
		DeploymentController: &ecstypes.DeploymentController{Type: ecstypes.DeploymentControllerTypeExternal}})
	must(t, err)
	taskSet := func(sg, tg string) string {
		o, err := es.c.ecs.CreateTaskSet(ctx, &ecs.CreateTaskSetInput{Cluster: aws.String("c"), Service: aws.String("ext"), TaskDefinition: aws.String("web:2"),
			LaunchType: ecstypes.LaunchTypeFargate, Scale: &ecstypes.Scale{Unit: ecstypes.ScaleUnitPercent, Value: 100},
			NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: es.subnets,
				SecurityGroups: []string{sg}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}},
			LoadBalancers: []ecstypes.LoadBalancer{{TargetGroupArn: &tg, ContainerName: aws.String("web"), ContainerPort: aws.Int32(80)}}})
		must(t, err)
		return aws.ToString(o.TaskSet.Id)
	}
	// Blue takes production (80), green the test listener (8080): both
	// groups are in use, so both are health-checked.
	_, err = es.c.elb.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: &x.test,
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: &x.green}}})
	must(t, err)
	good := taskSet(es.open, x.blue)
	bad := taskSet(es.defaultSG, x.green)
	describe := func() map[string]ecstypes.TaskSet {
		o, err := es.c.ecs.DescribeTaskSets(ctx, &ecs.DescribeTaskSetsInput{Cluster: aws.String("c"), Service: aws.String("ext"), TaskSets: []string{good, bad}})
		must(t, err)
		m := map[string]ecstypes.TaskSet{}
		for _, ts := range o.TaskSets {
			m[aws.ToString(ts.Id)] = ts
		}
		return m
	}
	eventually(t, "the reachable task set is steady", func() bool { return describe()[good].StabilityStatus == ecstypes.StabilityStatusSteadyState })
	th, err := es.c.elb.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: &x.blue})
	must(t, err)
	registered := 0
	for _, d := range th.TargetHealthDescriptions {
		if aws.ToInt32(d.Target.Port) == 80 {
			registered++
		}
	}
	if registered < 1 {
		t.Errorf("the task set's task is not in its target group: %+v", th.TargetHealthDescriptions)
	}
	eventually(t, "the unreachable task set's task runs", func() bool { return describe()[bad].RunningCount == 1 })
	if ts := describe()[bad]; ts.StabilityStatus != ecstypes.StabilityStatusStabilizing {
		t.Errorf("the unreachable task set: %s, want STABILIZING", ts.StabilityStatus)
	}
	// The analyzer sees the second set's task in its group, not healthy
	// (the stop below is its verdict).
	th, err = es.c.elb.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: &x.green})
	must(t, err)
	if len(th.TargetHealthDescriptions) != 1 || th.TargetHealthDescriptions[0].TargetHealth.State == elbtypes.TargetHealthStateEnumHealthy {
		t.Errorf("the unreachable task set's targets: %d", len(th.TargetHealthDescriptions))
	}
	x.advance(3 * time.Minute)
	eventually(t, "ECS stops the unhealthy task", func() bool {
		l, err := es.c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), StartedBy: aws.String(bad), DesiredStatus: ecstypes.DesiredStatusStopped})
		must(t, err)
		if len(l.TaskArns) == 0 {
			return false
		}
		d, err := es.c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: l.TaskArns[:1]})
		must(t, err)
		return strings.HasPrefix(aws.ToString(d.Tasks[0].StoppedReason), "Task failed ELB health checks in (target-group "+x.green)
	})
	_, err = es.c.ecs.UpdateServicePrimaryTaskSet(ctx, &ecs.UpdateServicePrimaryTaskSetInput{Cluster: aws.String("c"), Service: aws.String("ext"), PrimaryTaskSet: &good})
	must(t, err)
	s, err := es.c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"ext"}})
	must(t, err)
	if got := aws.ToString(s.Services[0].TaskDefinition); !strings.HasSuffix(got, "web:2") {
		t.Errorf("the service's task definition after UpdateServicePrimaryTaskSet: %s", got)
	}
}

// hookExecution is the hook execution id a waiting lifecycle event's
// diagnostics give (the last word of the message), or "".
func hookExecution(tg *cdtypes.ECSTarget, event string) string {
	for _, ev := range tg.LifecycleEvents {
		if aws.ToString(ev.LifecycleEventName) == event && ev.Status == cdtypes.LifecycleEventStatusInProgress && ev.Diagnostics != nil {
			f := strings.Fields(aws.ToString(ev.Diagnostics.Message))
			if len(f) > 0 && strings.Contains(aws.ToString(ev.Diagnostics.Message), "lifecycleEventHookExecutionId") {
				return strings.TrimSuffix(f[len(f)-1], ".")
			}
		}
	}
	return ""
}

// TestCodeDeployHooksWait: with engine.WithCodeDeployHookWait (ecsnet
// serve --codedeploy-hook-wait) an AppSpec hook waits for
// PutLifecycleEventHookExecutionStatus, as the Lambda function's report
// on AWS: AfterAllowTestTraffic waits with the test listener on green and
// production on blue; Succeeded moves on to BeforeAllowTraffic, whose
// Failed fails the deployment (HOOK_EXECUTION_FAILURE), production never
// having left blue. A hook that never reports fails the next deployment
// after an hour.
func TestCodeDeployHooksWait(t *testing.T) {
	t.Parallel()
	x := newCodeDeployTimeline(t, engine.WithCodeDeployHookWait())
	_, err := x.cd.CreateDeploymentGroup(ctx, groupInput(x.role, "svc", x.prod, x.test, "blue-svc", "green-svc"))
	must(t, err)
	spec := nextWebSpec + "  - BeforeAllowTraffic: \"CheckBeforeTraffic\"\n"
	id := x.deploy(t, spec)
	var exec string
	eventually(t, "AfterAllowTestTraffic waits for its hook", func() bool { exec = hookExecution(x.target(t, id), "AfterAllowTestTraffic"); return exec != "" })
	if w := x.weights(t); w[x.blue] != 100 {
		t.Errorf("production while the hook waits: %v", w)
	}
	_, err = x.cd.PutLifecycleEventHookExecutionStatus(ctx, &codedeploy.PutLifecycleEventHookExecutionStatusInput{DeploymentId: &id,
		LifecycleEventHookExecutionId: aws.String("not-an-execution"), Status: cdtypes.LifecycleEventStatusSucceeded})
	wantCodeDeployError(t, "an unknown execution", err, "InvalidLifecycleEventHookExecutionIdException", "not-an-execution")
	_, err = x.cd.PutLifecycleEventHookExecutionStatus(ctx, &codedeploy.PutLifecycleEventHookExecutionStatusInput{DeploymentId: &id,
		LifecycleEventHookExecutionId: &exec, Status: cdtypes.LifecycleEventStatusSucceeded})
	must(t, err)
	var before string
	eventually(t, "BeforeAllowTraffic waits for its hook", func() bool { before = hookExecution(x.target(t, id), "BeforeAllowTraffic"); return before != "" })
	_, err = x.cd.PutLifecycleEventHookExecutionStatus(ctx, &codedeploy.PutLifecycleEventHookExecutionStatusInput{DeploymentId: &id,
		LifecycleEventHookExecutionId: &exec, Status: cdtypes.LifecycleEventStatusSucceeded})
	wantCodeDeployError(t, "the finished hook again", err, "LifecycleEventAlreadyCompletedException", "AfterAllowTestTraffic")
	_, err = x.cd.PutLifecycleEventHookExecutionStatus(ctx, &codedeploy.PutLifecycleEventHookExecutionStatusInput{DeploymentId: &id,
		LifecycleEventHookExecutionId: &before, Status: cdtypes.LifecycleEventStatusFailed})
	must(t, err)
	d := x.deployment(t, id)
	if d.Status != cdtypes.DeploymentStatusFailed || d.ErrorInformation == nil || d.ErrorInformation.Code != cdtypes.ErrorCodeHookExecutionFailure ||
		!strings.Contains(aws.ToString(d.ErrorInformation.Message), "CheckBeforeTraffic") {
		t.Errorf("the failed hook: %s %+v", d.Status, d.ErrorInformation)
	}
	if tg := x.target(t, id); !strings.Contains(events(tg), "AfterAllowTestTraffic=Succeeded BeforeAllowTraffic=Failed AllowTraffic=Skipped") {
		t.Errorf("the failed target: %s", events(tg))
	}
	if w := x.weights(t); w[x.blue] != 100 {
		t.Errorf("production after the failed hook: %v", w)
	}

	second := x.deploy(t, spec)
	eventually(t, "the second deployment's hook waits", func() bool { return hookExecution(x.target(t, second), "AfterAllowTestTraffic") != "" })
	x.advance(61 * time.Minute)
	eventually(t, "a silent hook fails the deployment", func() bool { return x.deployment(t, second).Status == cdtypes.DeploymentStatusFailed })
	if e := x.deployment(t, second).ErrorInformation; e == nil || e.Code != cdtypes.ErrorCodeHookExecutionFailure {
		t.Errorf("the silent hook: %+v", e)
	}
}
