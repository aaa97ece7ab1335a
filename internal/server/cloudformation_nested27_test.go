package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
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
