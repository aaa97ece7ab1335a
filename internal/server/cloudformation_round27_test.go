package server_test

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/internal/server"
)

// TestCloudFormationRound27GroupSignalsPerInstance: an Auto Scaling
// group's CreationPolicy counts one SUCCESS signal per instance of the
// group (SignalResource's UniqueId is the instance id): a UniqueId that
// is no instance of the group, or one already counted, does not bring
// the group nearer; its two instances' signals complete it. An empty
// UniqueId is refused with the length constraint botocore's model gives
// (min 1). Before round twenty-seven any two UniqueIds completed the group,
// and the empty one was refused as longer than 64.
func TestCloudFormationRound27GroupSignalsPerInstance(t *testing.T) {
	em, _ := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body, err := os.ReadFile("../cfn/testdata/signalwait/group.yaml")
	must(t, err)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("fleet"), TemplateBody: aws.String(string(body))})
	must(t, err)
	id := aws.ToString(out.StackId)
	signal := func(unique string) error {
		_, err := cf.SignalResource(ctx, &cloudformation.SignalResourceInput{StackName: aws.String("fleet"),
			LogicalResourceId: aws.String("Fleet"), UniqueId: aws.String(unique), Status: cfntypes.ResourceSignalStatusSuccess})
		return err
	}
	err = signal("")
	var ae smithy.APIError
	want := "1 validation error detected: Value '' at 'uniqueId' failed to satisfy constraint: Member must have length greater than or equal to 1"
	if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" || ae.ErrorMessage() != want {
		t.Errorf("empty UniqueId: %v, want ValidationError %q", err, want)
	}
	res, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String(id), LogicalResourceId: aws.String("Fleet")})
	must(t, err)
	groups, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{
		AutoScalingGroupNames: []string{aws.ToString(res.StackResourceDetail.PhysicalResourceId)}})
	must(t, err)
	if len(groups.AutoScalingGroups) != 1 || len(groups.AutoScalingGroups[0].Instances) != 2 {
		t.Fatalf("the group: %+v", groups.AutoScalingGroups)
	}
	first := aws.ToString(groups.AutoScalingGroups[0].Instances[0].InstanceId)
	second := aws.ToString(groups.AutoScalingGroups[0].Instances[1].InstanceId)
	must(t, signal("operator-1"))
	must(t, signal("operator-2"))
	must(t, signal(first))
	must(t, signal(first))
	time.Sleep(150 * time.Millisecond) // several steps
	if st := stackStatus(t, cf, id); st != cfntypes.StackStatusCreateInProgress {
		t.Fatalf("after signals of no instance and one instance twice: %s, want CREATE_IN_PROGRESS", st)
	}
	must(t, signal(second))
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
}

// TestCloudFormationRound27CreateTimeout: a create's TimeoutInMinutes
// runs on the engine's clock against what it waits for: a resource still
// short of its signals when the timeout (10 minutes, before its own PT15M)
// runs out is cancelled ("Resource creation cancelled") and the stack
// rolls back, "Stack creation time exceeded the specified timeout.
// Rollback requested by user."; with OnFailure DO_NOTHING it ends
// CREATE_FAILED, with DELETE it is deleted ("… Delete requested by
// user."). Before round twenty-seven the stack waited out the
// resource's own Timeout.
func TestCloudFormationRound27CreateTimeout(t *testing.T) {
	em, clk := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	body, err := os.ReadFile("../cfn/testdata/signalwait/instance.yaml")
	must(t, err)
	create := func(name string, onFailure cfntypes.OnFailure) string {
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(string(body)),
			TimeoutInMinutes: aws.Int32(10), OnFailure: onFailure})
		must(t, err)
		return aws.ToString(out.StackId)
	}
	rollback := create("timed", cfntypes.OnFailureRollback)
	kept := create("timed-kept", cfntypes.OnFailureDoNothing)
	gone := create("timed-gone", cfntypes.OnFailureDelete)
	clk.Advance(9 * time.Minute)
	time.Sleep(150 * time.Millisecond)
	if st := stackStatus(t, cf, rollback); st != cfntypes.StackStatusCreateInProgress {
		t.Fatalf("after 9 minutes: %s, want CREATE_IN_PROGRESS (TimeoutInMinutes 10)", st)
	}
	clk.Advance(2 * time.Minute)
	waitStack(t, cf, rollback, cfntypes.StackStatusRollbackComplete)
	if reason := failedEvent(t, cf, rollback, "Host"); reason != "Resource creation cancelled" {
		t.Errorf("Host failed with %q, want Resource creation cancelled", reason)
	}
	ev := stackEventsOf(t, cf, rollback)
	if !slices.Contains(ev, "timed ROLLBACK_IN_PROGRESS Stack creation time exceeded the specified timeout. Rollback requested by user.") {
		t.Errorf("events:\n%s", strings.Join(ev, "\n"))
	}
	waitStack(t, cf, kept, cfntypes.StackStatusCreateFailed)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(kept)})
	must(t, err)
	if r := aws.ToString(ds.Stacks[0].StackStatusReason); !strings.HasPrefix(r, "Stack creation time exceeded the specified timeout.") {
		t.Errorf("DO_NOTHING stack's reason %q", r)
	}
	waitStack(t, cf, gone, cfntypes.StackStatusDeleteComplete)
	if ev := stackEventsOf(t, cf, gone); !slices.Contains(ev, "timed-gone DELETE_IN_PROGRESS Stack creation time exceeded the specified timeout. Delete requested by user.") {
		t.Errorf("OnFailure DELETE events:\n%s", strings.Join(ev, "\n"))
	}
}

// TestCloudFormationRound27ChangeSetRollbackConfiguration: a change set's
// RollbackConfiguration is kept (DescribeChangeSet answers it) and its
// execution runs with it, as UpdateStack's does: an UPDATE change set
// whose alarm goes to ALARM in the monitoring period rolls the update back
// (UPDATE_ROLLBACK_COMPLETE), and a CREATE change set's monitoring period
// holds the create CREATE_IN_PROGRESS until it ends; DescribeStacks then
// answers the configuration. Before round twenty-seven it was read,
// checked and dropped.
func TestCloudFormationRound27ChangeSetRollbackConfiguration(t *testing.T) {
	em, clk := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	cw := cloudwatchClient(em.URL)
	_, err := cw.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{AlarmName: aws.String("queue-depth"), ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold,
		EvaluationPeriods: aws.Int32(1), MetricName: aws.String("ApproximateNumberOfMessagesVisible"), Namespace: aws.String("AWS/SQS"),
		Statistic: cwtypes.StatisticMaximum, Period: aws.Int32(60), Threshold: aws.Float64(100)})
	must(t, err)
	alarm, err := cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"queue-depth"}})
	must(t, err)
	arn := aws.ToString(alarm.MetricAlarms[0].AlarmArn)
	body := func(tag string) *string {
		return aws.String("Resources:\n  Net:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.50.0.0/16\n      Tags:\n        - Key: release\n          Value: " + tag + "\n")
	}
	rc := &cfntypes.RollbackConfiguration{MonitoringTimeInMinutes: aws.Int32(7),
		RollbackTriggers: []cfntypes.RollbackTrigger{{Arn: aws.String(arn), Type: aws.String("AWS::CloudWatch::Alarm")}}}

	// CREATE: the monitoring period holds the create.
	cs, err := cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("queue"), ChangeSetName: aws.String("first"),
		ChangeSetType: cfntypes.ChangeSetTypeCreate, TemplateBody: body("a"), RollbackConfiguration: rc})
	must(t, err)
	id := aws.ToString(cs.StackId)
	dcs, err := cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: cs.Id})
	must(t, err)
	if got := dcs.RollbackConfiguration; got == nil || aws.ToInt32(got.MonitoringTimeInMinutes) != 7 || len(got.RollbackTriggers) != 1 || aws.ToString(got.RollbackTriggers[0].Arn) != arn {
		t.Errorf("DescribeChangeSet's RollbackConfiguration: %+v", got)
	}
	_, err = cf.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: cs.Id})
	must(t, err)
	time.Sleep(150 * time.Millisecond)
	if st := stackStatus(t, cf, id); st != cfntypes.StackStatusCreateInProgress {
		t.Fatalf("created by a change set with a 7-minute monitoring period: %s, want CREATE_IN_PROGRESS", st)
	}
	clk.Advance(8 * time.Minute)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
	must(t, err)
	if got := ds.Stacks[0].RollbackConfiguration; got == nil || aws.ToInt32(got.MonitoringTimeInMinutes) != 7 {
		t.Errorf("the stack's RollbackConfiguration: %+v", got)
	}

	// UPDATE: the alarm rolls the update back.
	n := len(stackEventsOf(t, cf, id))
	up, err := cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String(id), ChangeSetName: aws.String("second"),
		TemplateBody: body("b"), RollbackConfiguration: &cfntypes.RollbackConfiguration{MonitoringTimeInMinutes: aws.Int32(3),
			RollbackTriggers: rc.RollbackTriggers}})
	must(t, err)
	_, err = cf.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: up.Id})
	must(t, err)
	time.Sleep(100 * time.Millisecond)
	if st := stackStatus(t, cf, id); st != cfntypes.StackStatusUpdateInProgress {
		t.Fatalf("during the change set's monitoring period: %s, want UPDATE_IN_PROGRESS", st)
	}
	_, err = cw.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String("queue-depth"), StateValue: cwtypes.StateValueAlarm, StateReason: aws.String("backlog")})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete)
	want := "queue UPDATE_ROLLBACK_IN_PROGRESS Rollback trigger " + arn + " is in ALARM state. "
	if ev := eventsSince(t, cf, id, n); !slices.Contains(ev, want) {
		t.Errorf("events:\n%s\nwant %q", strings.Join(ev, "\n"), want)
	}
}

// TestCloudFormationRound27ServiceHoldsDependents: a create holds back
// what depends on an ECS service until the service stabilizes (it is
// CREATE_COMPLETE only then): the parameter that records its name is
// created after the service's CREATE_COMPLETE, and the outputs with it;
// when the service's circuit breaker fails the create the parameter is
// never created. Before round twenty-seven dependents were created at
// once, before the service had a task running.
func TestCloudFormationRound27ServiceHoldsDependents(t *testing.T) {
	em := newEmulatorWith(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	body, err := os.ReadFile("../cfn/testdata/round27/service-dependents.yaml")
	must(t, err)
	create := func(name, online string) string {
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(string(body)),
			Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Online"), ParameterValue: aws.String(online)}}})
		must(t, err)
		return aws.ToString(out.StackId)
	}
	ok := create("web", "true")
	waitStack(t, cf, ok, cfntypes.StackStatusCreateComplete)
	ev := stackEventsOf(t, cf, ok)
	svc := slices.Index(ev, "WebService CREATE_COMPLETE ")
	param := slices.Index(ev, "ServiceName CREATE_IN_PROGRESS ")
	if svc < 0 || param < svc || !slices.Contains(ev, "ServiceName CREATE_COMPLETE ") {
		t.Errorf("events:\n%s\nwant ServiceName created after WebService's CREATE_COMPLETE", strings.Join(ev, "\n"))
	}
	if outs := stackOutputs(t, cf, "web"); !strings.HasPrefix(outs["ServiceName"], "web-WebService-") {
		t.Errorf("outputs %v, want the service's name", outs)
	}

	bad := create("web-offline", "false")
	waitStack(t, cf, bad, cfntypes.StackStatusRollbackComplete)
	for _, e := range stackEventsOf(t, cf, bad) {
		if strings.HasPrefix(e, "ServiceName ") {
			t.Errorf("the parameter that depends on the failed service was created: %s", e)
		}
	}
}

// TestCloudFormationRound27NestedServiceHoldsDependents: a nested stack
// is complete only once its resources are, so what depends on it (here a
// parameter recording one of its outputs) waits for the ECS service it
// holds to stabilize: when the service's circuit breaker fails the create,
// the parameter is never created; when it stabilizes, it is. Before round
// twenty-seven the parameter was created at once.
func TestCloudFormationRound27NestedServiceHoldsDependents(t *testing.T) {
	em := newEmulatorWith(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	child, err := os.ReadFile("../cfn/testdata/round27/service-dependents.yaml")
	must(t, err)
	s3c := s3Client(em.URL, "us-east-1", true)
	_, err = s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("templates27")})
	must(t, err)
	_, err = s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("templates27"), Key: aws.String("web.yaml"), Body: strings.NewReader(string(child))})
	must(t, err)
	parent := `Parameters:
  Online: {Type: String}
Resources:
  App:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://templates27.s3.amazonaws.com/web.yaml
      Parameters: {Online: !Ref Online}
  Recorded:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !GetAtt App.Outputs.ServiceName
`
	create := func(name, online string) string {
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(parent),
			Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Online"), ParameterValue: aws.String(online)}}})
		must(t, err)
		return aws.ToString(out.StackId)
	}
	bad := create("outer-offline", "false")
	waitStack(t, cf, bad, cfntypes.StackStatusRollbackComplete)
	for _, e := range stackEventsOf(t, cf, bad) {
		if strings.HasPrefix(e, "Recorded ") {
			t.Errorf("the parameter that depends on the failed nested stack was created: %s", e)
		}
	}
	ok := create("outer", "true")
	waitStack(t, cf, ok, cfntypes.StackStatusCreateComplete)
	if ev := stackEventsOf(t, cf, ok); !slices.Contains(ev, "Recorded CREATE_COMPLETE ") {
		t.Errorf("events:\n%s\nwant Recorded created", strings.Join(ev, "\n"))
	}
}
