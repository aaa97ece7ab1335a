package server_test

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/server"
)

// TestCloudFormationNested27ChangeSetOnlyRollbackConfiguration: a change
// set whose only change is a new RollbackConfiguration is made (as
// UpdateStack accepts the same update) with no resource changes, and
// executing it gives the stack that configuration; the same change set
// again (the configuration now the stack's) has no changes and FAILED.
// Before, the first change set was FAILED "didn't contain changes".
func TestCloudFormationNested27ChangeSetOnlyRollbackConfiguration(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	cw := cloudwatchClient(em.URL)
	_, err := cw.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{AlarmName: aws.String("errors-5xx"), ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold,
		EvaluationPeriods: aws.Int32(1), MetricName: aws.String("HTTPCode_Target_5XX_Count"), Namespace: aws.String("AWS/ApplicationELB"),
		Statistic: cwtypes.StatisticSum, Period: aws.Int32(60), Threshold: aws.Float64(10)})
	must(t, err)
	alarm, err := cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"errors-5xx"}})
	must(t, err)
	arn := aws.ToString(alarm.MetricAlarms[0].AlarmArn)
	body := aws.String("Resources:\n  Net:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.61.0.0/16\n")
	cs, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("guarded"), TemplateBody: body})
	must(t, err)
	id := aws.ToString(cs.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)

	rc := &cfntypes.RollbackConfiguration{RollbackTriggers: []cfntypes.RollbackTrigger{{Arn: aws.String(arn), Type: aws.String("AWS::CloudWatch::Alarm")}}}
	set, err := cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String(id), ChangeSetName: aws.String("guard"),
		TemplateBody: body, RollbackConfiguration: rc})
	must(t, err)
	d, err := cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: set.Id})
	must(t, err)
	if d.Status != cfntypes.ChangeSetStatusCreateComplete || d.ExecutionStatus != cfntypes.ExecutionStatusAvailable || len(d.Changes) != 0 {
		t.Fatalf("change set of a new RollbackConfiguration alone: %s %s %q, %d changes; want CREATE_COMPLETE AVAILABLE, none",
			d.Status, d.ExecutionStatus, aws.ToString(d.StatusReason), len(d.Changes))
	}
	_, err = cf.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: set.Id})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
	must(t, err)
	if got := ds.Stacks[0].RollbackConfiguration; got == nil || len(got.RollbackTriggers) != 1 || aws.ToString(got.RollbackTriggers[0].Arn) != arn {
		t.Errorf("the stack's RollbackConfiguration after the change set: %+v", got)
	}

	again, err := cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String(id), ChangeSetName: aws.String("guard-again"),
		TemplateBody: body, RollbackConfiguration: rc})
	must(t, err)
	d, err = cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: again.Id})
	must(t, err)
	if want := "The submitted information didn't contain changes. Submit different information to create a change set."; d.Status != cfntypes.ChangeSetStatusFailed || aws.ToString(d.StatusReason) != want {
		t.Errorf("the same RollbackConfiguration again: %s %q, want FAILED %q", d.Status, aws.ToString(d.StatusReason), want)
	}
}

// nestedServiceParent is a parent template whose nested stack (web.yaml
// in the bucket templates27b: the round-27 service fixture) holds an
// ECS service, and a parameter recording one of its outputs.
const nestedServiceParent = `Parameters:
  Online: {Type: String}
Resources:
  App:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://templates27b.s3.amazonaws.com/web.yaml
      Parameters: {Online: !Ref Online}
  Recorded:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !GetAtt App.Outputs.ServiceName
`

// putNestedServiceTemplate stores the nested template nestedServiceParent
// names.
func putNestedServiceTemplate(t *testing.T, url string) {
	t.Helper()
	child, err := os.ReadFile("../cfn/testdata/round27/service-dependents.yaml")
	must(t, err)
	s3c := s3Client(url, "us-east-1", true)
	_, err = s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("templates27b")})
	must(t, err)
	_, err = s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("templates27b"), Key: aws.String("web.yaml"), Body: strings.NewReader(string(child))})
	must(t, err)
}

// TestCloudFormationNested27StackInProgressWhileServiceStabilizes: while
// the ECS service of a nested stack stabilizes, the nested stack and the
// parent's AWS::CloudFormation::Stack resource are CREATE_IN_PROGRESS:
// the service is CREATE_COMPLETE in the nested stack's events before the
// nested stack's own CREATE_COMPLETE, and the parent's resource completes
// after it, before what depends on it. When the service's circuit breaker trips,
// the parent's resource fails "Embedded stack ARN was not successfully
// created: …[WebService]", the parent names it ([App]) and the rollback
// deletes the nested stack. Before, both were CREATE_COMPLETE at once.
func TestCloudFormationNested27StackInProgressWhileServiceStabilizes(t *testing.T) {
	em := newEmulatorWith(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	putNestedServiceTemplate(t, em.URL)
	create := func(name, online string) (string, string) {
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(nestedServiceParent),
			Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Online"), ParameterValue: aws.String(online)}}})
		must(t, err)
		r, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: out.StackId, LogicalResourceId: aws.String("App")})
		must(t, err)
		nested := aws.ToString(r.StackResourceDetail.PhysicalResourceId)
		return aws.ToString(out.StackId), nested
	}
	ok, nested := create("outer27b", "true")
	waitStack(t, cf, ok, cfntypes.StackStatusCreateComplete)
	if st := stackStatus(t, cf, nested); st != cfntypes.StackStatusCreateComplete {
		t.Errorf("the nested stack once its service is stable: %s", st)
	}
	ev := stackEventsOf(t, cf, nested)
	last := ev[len(ev)-1]
	if svc := slices.Index(ev, "WebService CREATE_COMPLETE "); svc < 0 || svc > len(ev)-2 || !strings.HasPrefix(last, "outer27b-App-") || !strings.HasSuffix(last, " CREATE_COMPLETE ") {
		t.Errorf("nested stack events:\n%s\nwant WebService CREATE_COMPLETE, then the stack's", strings.Join(ev, "\n"))
	}
	// The parent's resource completes with the nested stack, once the
	// service has (the service's event is the nested stack's only).
	if svcAt, appAt := eventTime(t, cf, nested, "WebService", "CREATE_COMPLETE"), eventTime(t, cf, ok, "App", "CREATE_COMPLETE"); appAt.Before(svcAt) {
		t.Errorf("the parent's App CREATE_COMPLETE at %v, before the nested service's at %v", appAt, svcAt)
	}
	ev = stackEventsOf(t, cf, ok)
	if app, rec := slices.Index(ev, "App CREATE_COMPLETE "), slices.Index(ev, "Recorded CREATE_IN_PROGRESS "); app < 0 || rec < app {
		t.Errorf("parent events:\n%s\nwant App CREATE_COMPLETE before Recorded", strings.Join(ev, "\n"))
	}

	bad, nested := create("outer27b-offline", "false")
	waitStack(t, cf, bad, cfntypes.StackStatusRollbackComplete)
	ev = stackEventsOf(t, cf, bad)
	want := "App CREATE_FAILED Embedded stack " + nested + " was not successfully created: The following resource(s) failed to create: [WebService]. "
	if !slices.Contains(ev, want) || !slices.Contains(ev, "outer27b-offline ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [App]. Rollback requested by user.") {
		t.Errorf("parent events:\n%s\nwant %q and the stack's reason naming App", strings.Join(ev, "\n"), want)
	}
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(nested)})
	must(t, err)
	if st := ds.Stacks[0].StackStatus; st != cfntypes.StackStatusDeleteComplete {
		t.Errorf("the nested stack after the parent's rollback: %s, want DELETE_COMPLETE", st)
	}
}

// eventTime is the time of a stack's event of a resource's status.
func eventTime(t *testing.T, cf *cloudformation.Client, stack, logical string, status cfntypes.ResourceStatus) time.Time {
	t.Helper()
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(stack)})
	must(t, err)
	for _, e := range ev.StackEvents {
		if aws.ToString(e.LogicalResourceId) == logical && e.ResourceStatus == status {
			return aws.ToTime(e.Timestamp)
		}
	}
	t.Fatalf("stack %s has no event %s %s", stack, logical, status)
	return time.Time{}
}

// TestCloudFormationNested27StackTimeoutInMinutes: the TimeoutInMinutes
// of an AWS::CloudFormation::Stack resource bounds its nested stack's
// create: when it runs out (on the engine's clock) while the nested
// stack's ECS service still has not stabilized (no circuit breaker, its
// image unreachable), the parent's resource fails "Embedded stack ARN
// was not successfully created: Stack creation time exceeded the
// specified timeout. ", the service is cancelled, and the parent rolls
// back, long before the parent's own wait for the service would end.
// Before, the property was ignored and the stack waited on.
func TestCloudFormationNested27StackTimeoutInMinutes(t *testing.T) {
	clk := &testClock{}
	em := newEmulatorWith(t, server.Options{StackStabilizeTimeout: 3 * time.Hour}, engine.WithClock(clk.now))
	cf := cfnClient(em.URL)
	child, err := os.ReadFile("../cfn/testdata/sweep/service-stabilize.yaml")
	must(t, err)
	s3c := s3Client(em.URL, "us-east-1", true)
	_, err = s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("templates27t")})
	must(t, err)
	_, err = s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("templates27t"), Key: aws.String("svc.yaml"), Body: strings.NewReader(string(child))})
	must(t, err)
	parent := `Resources:
  Svc:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://templates27t.s3.amazonaws.com/svc.yaml
      TimeoutInMinutes: 5
      Parameters: {Breaker: "false"}
`
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("bounded"), TemplateBody: aws.String(parent)})
	must(t, err)
	id := aws.ToString(out.StackId)
	r, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: out.StackId, LogicalResourceId: aws.String("Svc")})
	must(t, err)
	nested := aws.ToString(r.StackResourceDetail.PhysicalResourceId)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(nested)})
	must(t, err)
	if got := aws.ToInt32(ds.Stacks[0].TimeoutInMinutes); got != 5 {
		t.Errorf("the nested stack's TimeoutInMinutes: %d, want 5", got)
	}
	clk.Advance(4 * time.Minute)
	time.Sleep(150 * time.Millisecond)
	if st := stackStatus(t, cf, id); st != cfntypes.StackStatusCreateInProgress {
		t.Fatalf("within the nested stack's timeout: %s, want CREATE_IN_PROGRESS", st)
	}
	clk.Advance(2 * time.Minute)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	ev := stackEventsOf(t, cf, id)
	want := "Svc CREATE_FAILED Embedded stack " + nested + " was not successfully created: Stack creation time exceeded the specified timeout. "
	if !slices.Contains(ev, want) || !slices.Contains(ev, "bounded ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [Svc]. Rollback requested by user.") {
		t.Errorf("events:\n%s\nwant %q and the stack's reason naming Svc", strings.Join(ev, "\n"), want)
	}
}

// TestCloudFormationNested27SignalNestedStack: a wait condition inside a
// nested stack waits for its signal as at top level: the nested stack
// and the parent's AWS::CloudFormation::Stack resource stay
// CREATE_IN_PROGRESS, what depends on the nested stack in the parent is
// not yet created, and SignalResource naming the nested stack (its own
// name) and the condition completes it, then the parent. Before, the
// wait failed the create at once and the signal was refused.
func TestCloudFormationNested27SignalNestedStack(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	s3c := s3Client(em.URL, "us-east-1", true)
	_, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("templates27s")})
	must(t, err)
	child := `Resources:
  Handle:
    Type: AWS::CloudFormation::WaitConditionHandle
  Ready:
    Type: AWS::CloudFormation::WaitCondition
    Properties:
      Handle: !Ref Handle
      Timeout: "600"
Outputs:
  HandleUrl:
    Value: !Ref Handle
`
	_, err = s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("templates27s"), Key: aws.String("gate.yaml"), Body: strings.NewReader(child)})
	must(t, err)
	parent := `Resources:
  Gate:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://templates27s.s3.amazonaws.com/gate.yaml
  Recorded:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !GetAtt Gate.Outputs.HandleUrl
`
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("gated"), TemplateBody: aws.String(parent)})
	must(t, err)
	id := aws.ToString(out.StackId)
	eventually(t, "the nested stack of Gate made", func() bool {
		r, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: out.StackId, LogicalResourceId: aws.String("Gate")})
		return err == nil && aws.ToString(r.StackResourceDetail.PhysicalResourceId) != ""
	})
	if st := stackStatus(t, cf, id); st != cfntypes.StackStatusCreateInProgress {
		t.Fatalf("the parent while the nested wait condition waits: %s, want CREATE_IN_PROGRESS", st)
	}
	r, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: out.StackId, LogicalResourceId: aws.String("Gate")})
	must(t, err)
	if st := r.StackResourceDetail.ResourceStatus; st != cfntypes.ResourceStatusCreateInProgress {
		t.Errorf("the parent's Gate resource: %s, want CREATE_IN_PROGRESS", st)
	}
	nested := aws.ToString(r.StackResourceDetail.PhysicalResourceId)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(nested)})
	must(t, err)
	name := aws.ToString(ds.Stacks[0].StackName)
	if st := ds.Stacks[0].StackStatus; st != cfntypes.StackStatusCreateInProgress {
		t.Errorf("the nested stack: %s, want CREATE_IN_PROGRESS", st)
	}
	for _, e := range stackEventsOf(t, cf, id) {
		if strings.HasPrefix(e, "Recorded ") {
			t.Errorf("what depends on the waiting nested stack was created: %s", e)
		}
	}
	_, err = cf.SignalResource(ctx, &cloudformation.SignalResourceInput{StackName: aws.String(name), LogicalResourceId: aws.String("Ready"),
		UniqueId: aws.String("setup-1"), Status: cfntypes.ResourceSignalStatusSuccess})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	if st := stackStatus(t, cf, nested); st != cfntypes.StackStatusCreateComplete {
		t.Errorf("the nested stack after its signal: %s", st)
	}
	ev := stackEventsOf(t, cf, nested)
	if sig, done := slices.Index(ev, "Ready CREATE_IN_PROGRESS Received SUCCESS signal with UniqueId setup-1"), slices.Index(ev, "Ready CREATE_COMPLETE "); sig < 0 || done < sig {
		t.Errorf("nested stack events:\n%s\nwant the signal, then Ready CREATE_COMPLETE", strings.Join(ev, "\n"))
	}
	if ev := stackEventsOf(t, cf, id); !slices.Contains(ev, "Recorded CREATE_COMPLETE ") {
		t.Errorf("parent events:\n%s\nwant Recorded created", strings.Join(ev, "\n"))
	}
}
