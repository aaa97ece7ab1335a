package server_test

import (
	"errors"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// testClock is an engine clock the test moves forward: real time plus
// what Advance added.
type testClock struct{ skew atomic.Int64 }

func (c *testClock) now() time.Time          { return time.Now().Add(time.Duration(c.skew.Load())) }
func (c *testClock) Advance(d time.Duration) { c.skew.Add(int64(d)) }

// newClockedEmulator is newEmulator on a clock the test advances.
func newClockedEmulator(t *testing.T) (*emulator, *testClock) {
	clk := &testClock{}
	return newEmulator(t, nil, engine.WithClock(clk.now)), clk
}

// stackStatus answers DescribeStacks' status of a stack.
func stackStatus(t *testing.T, cf *cloudformation.Client, id string) cfntypes.StackStatus {
	t.Helper()
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
	must(t, err)
	return ds.Stacks[0].StackStatus
}

// TestCloudFormationRound26SignalTimeout: a resource whose CreationPolicy
// waits for a signal that does not come stays CREATE_IN_PROGRESS (the
// stack too) until the policy's Timeout (PT15M) runs out on the engine's
// clock, then fails, "Failed to receive 1 resource signal(s) within the
// specified duration", and the stack rolls back (the instance
// terminated). Before round twenty-six it failed at once.
func TestCloudFormationRound26SignalTimeout(t *testing.T) {
	em, clk := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	id := createSignalWait(t, cf, "wait-timeout")
	time.Sleep(100 * time.Millisecond) // several steps
	if st := stackStatus(t, cf, id); st != cfntypes.StackStatusCreateInProgress {
		t.Fatalf("just created: %s, want CREATE_IN_PROGRESS (waiting for the signal)", st)
	}
	clk.Advance(14 * time.Minute)
	time.Sleep(100 * time.Millisecond)
	if st := stackStatus(t, cf, id); st != cfntypes.StackStatusCreateInProgress {
		t.Fatalf("after 14 minutes: %s, want CREATE_IN_PROGRESS (Timeout PT15M)", st)
	}
	host, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String(id), LogicalResourceId: aws.String("Host")})
	must(t, err)
	if st := host.StackResourceDetail.ResourceStatus; st != cfntypes.ResourceStatusCreateInProgress {
		t.Errorf("Host is %s while it waits, want CREATE_IN_PROGRESS", st)
	}
	clk.Advance(2 * time.Minute)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	if reason, want := failedEvent(t, cf, id, "Host"), "Failed to receive 1 resource signal(s) within the specified duration"; reason != want {
		t.Errorf("Host failed with %q, want %q", reason, want)
	}
	ev := stackEventsOf(t, cf, id)
	if !slices.Contains(ev, "wait-timeout ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [Host]. Rollback requested by user.") {
		t.Errorf("events:\n%s", strings.Join(ev, "\n"))
	}
	inst, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{aws.ToString(host.StackResourceDetail.PhysicalResourceId)}})
	must(t, err)
	if st := inst.Reservations[0].Instances[0].State.Name; st != "terminated" && st != "shutting-down" {
		t.Errorf("the rolled-back instance is %s", st)
	}
}

// TestCloudFormationRound26SignalResource: SignalResource during the wait
// counts: a SUCCESS signal completes the resource ("Received SUCCESS
// signal with UniqueId ID") and the stack; a FAILURE signal fails it at
// once ("Received FAILURE signal with UniqueId ID") and the stack rolls
// back; a wait condition counts SignalResource too; a resource that waits for nothing refuses the signal, "Resource
// NAME is in CREATE_COMPLETE state and cannot be signaled".
func TestCloudFormationRound26SignalResource(t *testing.T) {
	em, _ := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	signal := func(stack, logical, unique string, status cfntypes.ResourceSignalStatus) error {
		_, err := cf.SignalResource(ctx, &cloudformation.SignalResourceInput{StackName: aws.String(stack),
			LogicalResourceId: aws.String(logical), UniqueId: aws.String(unique), Status: status})
		return err
	}
	ok := createSignalWait(t, cf, "wait-ok")
	must(t, signal("wait-ok", "Host", "i-operator", cfntypes.ResourceSignalStatusSuccess))
	waitStack(t, cf, ok, cfntypes.StackStatusCreateComplete)
	ev := stackEventsOf(t, cf, ok)
	i := slices.Index(ev, "Host CREATE_IN_PROGRESS Received SUCCESS signal with UniqueId i-operator")
	j := slices.Index(ev, "Host CREATE_COMPLETE ")
	if i < 0 || j < i {
		t.Errorf("events:\n%s\nwant the signal, then Host CREATE_COMPLETE", strings.Join(ev, "\n"))
	}
	err := signal("wait-ok", "Host", "i-late", cfntypes.ResourceSignalStatusSuccess)
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" || ae.ErrorMessage() != "Resource Host is in CREATE_COMPLETE state and cannot be signaled" {
		t.Errorf("signal of a completed resource: %v", err)
	}
	err = signal("wait-ok", "Nope", "x", cfntypes.ResourceSignalStatusSuccess)
	if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" {
		t.Errorf("signal of an unknown resource: %v", err)
	}

	// A wait condition whose handle nothing passes on is signalled the
	// same way.
	wc := createRound22(t, cf, "wc26", "waitcondition.yaml", map[string]string{"Signal": "false"})
	must(t, signal("wc26", "WaitCondition", "operator", cfntypes.ResourceSignalStatusSuccess))
	waitStack(t, cf, wc, cfntypes.StackStatusCreateComplete)

	bad := createSignalWait(t, cf, "wait-bad")
	must(t, signal(bad, "Host", "i-broken", cfntypes.ResourceSignalStatusFailure))
	waitStack(t, cf, bad, cfntypes.StackStatusRollbackComplete)
	if reason, want := failedEvent(t, cf, bad, "Host"), "Received FAILURE signal with UniqueId i-broken"; reason != want {
		t.Errorf("Host failed with %q, want %q", reason, want)
	}
}

// createSignalWait creates the stack of testdata/signalwait/instance.yaml.
func createSignalWait(t *testing.T, cf *cloudformation.Client, name string) string {
	t.Helper()
	body, err := os.ReadFile("../cfn/testdata/signalwait/instance.yaml")
	must(t, err)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(string(body))})
	must(t, err)
	return aws.ToString(out.StackId)
}

// TestCloudFormationRound26RollingSignalsFromNewUserData: a rolling update
// with WaitOnResourceSignals waits for the signals of the new instances,
// which run the new launch template version's user data: when that user
// data no longer signals the group (cfn-signal dropped, or pointed at
// another resource) the update fails, "Received 0 SUCCESS signal(s) out
// of 2. Unable to satisfy 100% MinSuccessfulInstancesPercent
// requirement", and rolls back, though the instances can reach AWS
// CloudFormation. A create whose user data's cfn-signal names another
// stack waits for the Timeout and fails. Before round twenty-six only the
// way out was checked.
func TestCloudFormationRound26RollingSignalsFromNewUserData(t *testing.T) {
	em, clk := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	body, err := os.ReadFile("../cfn/testdata/signal/private-asg.yaml")
	must(t, err)
	rolling := strings.Replace(string(body), "    CreationPolicy:\n", "    UpdatePolicy:\n      AutoScalingRollingUpdate:\n"+
		"        MinInstancesInService: 1\n        MaxBatchSize: 1\n        WaitOnResourceSignals: true\n        PauseTime: PT15M\n    CreationPolicy:\n", 1)
	const signal = "--resource HostGroup"
	if !strings.Contains(rolling, signal) {
		t.Fatal("fixture changed")
	}
	params := []cfntypes.Parameter{{ParameterKey: aws.String("Egress"), ParameterValue: aws.String("nat")}}
	caps := []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("roll26"), TemplateBody: aws.String(rolling),
		Parameters: params, Capabilities: caps})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	want := "HostGroup UPDATE_FAILED Received 0 SUCCESS signal(s) out of 2. Unable to satisfy 100% MinSuccessfulInstancesPercent requirement"
	for _, userData := range []string{
		strings.Replace(rolling, signal, "--resource LaunchTemplate", 1),
		strings.Replace(rolling, "/opt/aws/bin/cfn-signal", "echo", 1),
	} {
		n := len(stackEventsOf(t, cf, id))
		_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("roll26"),
			TemplateBody: aws.String(strings.Replace(userData, "InstanceType: t3.small", "InstanceType: t3.medium", 1)),
			Parameters:   params, Capabilities: caps})
		must(t, err)
		clk.Advance(15 * time.Minute) // the PauseTime
		waitStack(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete)
		if ev := eventsSince(t, cf, id, n); !slices.Contains(ev, want) {
			t.Errorf("events of the update:\n%s\nwant %q", strings.Join(ev, "\n"), want)
		}
	}

	// SignalResource from the operator during the PauseTime counts: the
	// two new instances' signals complete the update.
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("roll26"),
		TemplateBody: aws.String(strings.Replace(strings.Replace(rolling, "/opt/aws/bin/cfn-signal", "echo", 1), "InstanceType: t3.small", "InstanceType: t3.large", 1)),
		Parameters:   params, Capabilities: caps})
	must(t, err)
	time.Sleep(100 * time.Millisecond)
	if st := stackStatus(t, cf, id); st != cfntypes.StackStatusUpdateInProgress {
		t.Fatalf("waiting for signals: %s, want UPDATE_IN_PROGRESS", st)
	}
	group, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String(id), LogicalResourceId: aws.String("HostGroup")})
	must(t, err)
	c := sdkClients(em.URL)
	g, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{aws.ToString(group.StackResourceDetail.PhysicalResourceId)}})
	must(t, err)
	if len(g.AutoScalingGroups) != 1 || len(g.AutoScalingGroups[0].Instances) != 2 {
		t.Fatalf("group: %+v", g.AutoScalingGroups)
	}
	for _, inst := range g.AutoScalingGroups[0].Instances {
		_, err := cf.SignalResource(ctx, &cloudformation.SignalResourceInput{StackName: aws.String("roll26"), LogicalResourceId: aws.String("HostGroup"),
			UniqueId: inst.InstanceId, Status: cfntypes.ResourceSignalStatusSuccess})
		must(t, err)
	}
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)

	out, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("other26"),
		TemplateBody: aws.String(strings.Replace(rolling, "--stack ${AWS::StackName}", "--stack roll26", 1)), Parameters: params, Capabilities: caps})
	must(t, err)
	other := aws.ToString(out.StackId)
	time.Sleep(100 * time.Millisecond)
	if st := stackStatus(t, cf, other); st != cfntypes.StackStatusCreateInProgress {
		t.Fatalf("a create signalled for another stack: %s, want CREATE_IN_PROGRESS until the Timeout", st)
	}
	clk.Advance(15 * time.Minute)
	waitStack(t, cf, other, cfntypes.StackStatusRollbackComplete)
	if reason, want := failedEvent(t, cf, other, "HostGroup"), "Received 0 SUCCESS signal(s) out of 2. Unable to satisfy 100% MinSuccessfulInstancesPercent requirement"; reason != want {
		t.Errorf("HostGroup failed with %q, want %q", reason, want)
	}
}

// TestCloudFormationRound26RollbackTriggers: a create with a
// RollbackConfiguration stays CREATE_IN_PROGRESS for its
// MonitoringTimeInMinutes once its resources are deployed, and completes
// when the period ends with its alarm not in ALARM; an alarm that goes to
// ALARM during the period (SetAlarmState) rolls the whole create back, as
// does a trigger whose alarm does not exist.
func TestCloudFormationRound26RollbackTriggers(t *testing.T) {
	em, clk := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	cw := cloudwatchClient(em.URL)
	_, err := cw.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{AlarmName: aws.String("errors"), ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold,
		EvaluationPeriods: aws.Int32(1), MetricName: aws.String("HTTPCode_Target_5XX_Count"), Namespace: aws.String("AWS/ApplicationELB"),
		Statistic: cwtypes.StatisticSum, Period: aws.Int32(60), Threshold: aws.Float64(10)})
	must(t, err)
	alarm, err := cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"errors"}})
	must(t, err)
	arn := aws.ToString(alarm.MetricAlarms[0].AlarmArn)
	body := aws.String("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.30.0.0/16\n")
	create := func(name, alarmARN string) string {
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: body,
			RollbackConfiguration: &cfntypes.RollbackConfiguration{MonitoringTimeInMinutes: aws.Int32(10),
				RollbackTriggers: []cfntypes.RollbackTrigger{{Arn: aws.String(alarmARN), Type: aws.String("AWS::CloudWatch::Alarm")}}}})
		must(t, err)
		return aws.ToString(out.StackId)
	}

	quiet := create("monitored", arn)
	time.Sleep(100 * time.Millisecond)
	if st := stackStatus(t, cf, quiet); st != cfntypes.StackStatusCreateInProgress {
		t.Fatalf("during the monitoring period: %s, want CREATE_IN_PROGRESS", st)
	}
	clk.Advance(11 * time.Minute)
	waitStack(t, cf, quiet, cfntypes.StackStatusCreateComplete)

	loud := create("alarmed", arn)
	time.Sleep(50 * time.Millisecond)
	_, err = cw.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String("errors"), StateValue: cwtypes.StateValueAlarm,
		StateReason: aws.String("5XX")})
	must(t, err)
	waitStack(t, cf, loud, cfntypes.StackStatusRollbackComplete)
	ev := stackEventsOf(t, cf, loud)
	want := "alarmed ROLLBACK_IN_PROGRESS Rollback trigger " + arn + " is in ALARM state. Rollback requested by user."
	if !slices.Contains(ev, want) || !slices.Contains(ev, "Vpc DELETE_COMPLETE ") {
		t.Errorf("events:\n%s\nwant %q and the VPC deleted", strings.Join(ev, "\n"), want)
	}

	missing := create("missing", strings.Replace(arn, ":errors", ":nope", 1))
	waitStack(t, cf, missing, cfntypes.StackStatusRollbackComplete)
}

// TestCloudFormationRound26UpdateRollbackTriggers: an update that gives a
// RollbackConfiguration is monitored too: UPDATE_IN_PROGRESS through its
// MonitoringTimeInMinutes (its cleanup waiting), UPDATE_COMPLETE after; an
// alarm that goes to ALARM in the period rolls the update back
// (UPDATE_ROLLBACK_COMPLETE, the VPC's old tag back), and so does
// CancelUpdateStack in the period.
func TestCloudFormationRound26UpdateRollbackTriggers(t *testing.T) {
	em, clk := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	cw := cloudwatchClient(em.URL)
	_, err := cw.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{AlarmName: aws.String("latency"), ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold,
		EvaluationPeriods: aws.Int32(1), MetricName: aws.String("TargetResponseTime"), Namespace: aws.String("AWS/ApplicationELB"),
		Statistic: cwtypes.StatisticAverage, Period: aws.Int32(60), Threshold: aws.Float64(1)})
	must(t, err)
	alarm, err := cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"latency"}})
	must(t, err)
	arn := aws.ToString(alarm.MetricAlarms[0].AlarmArn)
	body := func(tag string) *string {
		return aws.String("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.40.0.0/16\n      Tags:\n        - Key: v\n          Value: " + tag + "\n")
	}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("upd"), TemplateBody: body("one")})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	rc := &cfntypes.RollbackConfiguration{MonitoringTimeInMinutes: aws.Int32(5),
		RollbackTriggers: []cfntypes.RollbackTrigger{{Arn: aws.String(arn), Type: aws.String("AWS::CloudWatch::Alarm")}}}

	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("upd"), TemplateBody: body("two"), RollbackConfiguration: rc})
	must(t, err)
	time.Sleep(100 * time.Millisecond)
	if st := stackStatus(t, cf, id); st != cfntypes.StackStatusUpdateInProgress {
		t.Fatalf("during the monitoring period: %s, want UPDATE_IN_PROGRESS", st)
	}
	clk.Advance(6 * time.Minute)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)

	n := len(stackEventsOf(t, cf, id))
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("upd"), TemplateBody: body("three"), RollbackConfiguration: rc})
	must(t, err)
	_, err = cw.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String("latency"), StateValue: cwtypes.StateValueAlarm, StateReason: aws.String("slow")})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete)
	want := "upd UPDATE_ROLLBACK_IN_PROGRESS Rollback trigger " + arn + " is in ALARM state. "
	if ev := eventsSince(t, cf, id, n); !slices.Contains(ev, want) {
		t.Errorf("events:\n%s\nwant %q", strings.Join(ev, "\n"), want)
	}
	// CancelUpdateStack during the monitoring period rolls the update
	// back too.
	_, err = cw.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String("latency"), StateValue: cwtypes.StateValueOk, StateReason: aws.String("fast")})
	must(t, err)
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("upd"), TemplateBody: body("four"), RollbackConfiguration: rc})
	must(t, err)
	time.Sleep(50 * time.Millisecond)
	_, err = cf.CancelUpdateStack(ctx, &cloudformation.CancelUpdateStackInput{StackName: aws.String("upd")})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete)
	vpc, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String(id), LogicalResourceId: aws.String("Vpc")})
	must(t, err)
	c := sdkClients(em.URL)
	v, err := c.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{aws.ToString(vpc.StackResourceDetail.PhysicalResourceId)}})
	must(t, err)
	for _, tg := range v.Vpcs[0].Tags {
		if aws.ToString(tg.Key) == "v" && aws.ToString(tg.Value) != "two" {
			t.Errorf("after the rollback the VPC's tag v is %s, want two", aws.ToString(tg.Value))
		}
	}
}

// TestCloudFormationRound26CfnInitSourcesStopSignal: on the endpoint, an
// Auto Scaling group whose instances signal through a cfn-init command
// completes when the Init's sources are fetchable, and waits for its
// Timeout and fails when cfn-init stops at a source it cannot fetch
// (an ftp URL), before the command that runs cfn-signal.
func TestCloudFormationRound26CfnInitSourcesStopSignal(t *testing.T) {
	em, clk := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	body, err := os.ReadFile("../cfn/testdata/signal/private-asg.yaml")
	must(t, err)
	text := strings.Replace(string(body), "            /opt/aws/bin/cfn-signal -e $? --region ${AWS::Region} --stack ${AWS::StackName} --resource HostGroup\n",
		"            /opt/aws/bin/cfn-init -v --region ${AWS::Region} --stack ${AWS::StackName} --resource LaunchTemplate\n", 1)
	withSource := func(url string) string {
		return strings.Replace(text, "  LaunchTemplate:\n    Type: AWS::EC2::LaunchTemplate\n",
			"  LaunchTemplate:\n    Type: AWS::EC2::LaunchTemplate\n    Metadata:\n      AWS::CloudFormation::Init:\n        config:\n"+
				"          sources:\n            /opt/app: "+url+"\n"+
				"          commands:\n            01-signal:\n              command: !Sub /opt/aws/bin/cfn-signal -e 0 --region ${AWS::Region} --stack ${AWS::StackName} --resource HostGroup\n", 1)
	}
	if text == string(body) || !strings.Contains(withSource("x"), "sources:") {
		t.Fatal("fixture changed")
	}
	params := []cfntypes.Parameter{{ParameterKey: aws.String("Egress"), ParameterValue: aws.String("nat")}}
	create := func(name, tpl string) string {
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(tpl),
			Parameters: params, Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
		must(t, err)
		return aws.ToString(out.StackId)
	}
	good := create("src-good", withSource("https://s3.amazonaws.com/example-bucket/app.tar.gz"))
	waitStack(t, cf, good, cfntypes.StackStatusCreateComplete)
	bad := create("src-bad", withSource("ftp://example.com/app.tar.gz"))
	time.Sleep(100 * time.Millisecond)
	if st := stackStatus(t, cf, bad); st != cfntypes.StackStatusCreateInProgress {
		t.Fatalf("cfn-init stopped at its sources: %s, want CREATE_IN_PROGRESS until the Timeout", st)
	}
	clk.Advance(15 * time.Minute)
	waitStack(t, cf, bad, cfntypes.StackStatusRollbackComplete)
}
