package server_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/server"
	"github.com/ecsnet/ecsnet/internal/store/bolt"
)

func eventsClient(url string) *eventbridge.Client {
	return eventbridge.NewFromConfig(sdkConfig(), func(o *eventbridge.Options) { o.BaseEndpoint = aws.String(url) })
}

func wantEventsError(t *testing.T, what string, err error, code, msg string) {
	t.Helper()
	if apiCode(err) != code || !strings.Contains(fmt.Sprint(err), msg) {
		t.Errorf("%s: %v, want %s %q", what, err, code, msg)
	}
}

// EventBridge rules and targets as the SDK drives them: schedule
// validation with AWS's texts, NamePrefix and paging, the ECS target's
// parameters kept, DeleteRule refused while the rule has targets,
// RemoveTargets' failed entries, tags, the default and custom buses.
func TestEventBridgeRules(t *testing.T) {
	em := newEmulator(t, nil)
	c := eventsClient(em.URL)
	for _, expr := range []string{"rate(1 minutes)", "rate(5 minute)", "rate(0 minutes)", "cron(0 12 * * *)", "cron(0 12 * * 1 *)", "cron(0 12 ? * ? *)", "cron(61 12 * * ? *)", "every 5 minutes"} {
		_, err := c.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("bad"), ScheduleExpression: aws.String(expr)})
		wantEventsError(t, expr, err, "ValidationException", "Parameter ScheduleExpression is not valid.")
	}
	_, err := c.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("none")})
	wantEventsError(t, "no schedule nor pattern", err, "ValidationException", "Parameter(s) EventPattern or ScheduleExpression must be specified.")
	_, err = c.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("bad name"), ScheduleExpression: aws.String("rate(5 minutes)")})
	wantEventsError(t, "a name with a space", err, "ValidationException", "Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+")
	for _, name := range []string{"nightly", "nightly-2", "hourly"} {
		expr := "cron(0 3 * * ? *)"
		if name == "hourly" {
			expr = "rate(1 hour)"
		}
		out, err := c.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String(name), ScheduleExpression: aws.String(expr), Description: aws.String("d"),
			Tags: []ebtypes.Tag{{Key: aws.String("team"), Value: aws.String("batch")}}})
		must(t, err)
		if want := "arn:aws:events:us-east-1:123456789012:rule/" + name; aws.ToString(out.RuleArn) != want {
			t.Errorf("RuleArn %s, want %s", aws.ToString(out.RuleArn), want)
		}
	}
	d, err := c.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("nightly")})
	must(t, err)
	if d.State != ebtypes.RuleStateEnabled || aws.ToString(d.ScheduleExpression) != "cron(0 3 * * ? *)" || aws.ToString(d.EventBusName) != "default" || aws.ToString(d.CreatedBy) != "123456789012" {
		t.Errorf("DescribeRule %+v", d)
	}
	_, err = c.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("nope")})
	wantEventsError(t, "an unknown rule", err, "ResourceNotFoundException", "Rule nope does not exist on EventBus default.")
	l, err := c.ListRules(ctx, &eventbridge.ListRulesInput{NamePrefix: aws.String("night"), Limit: aws.Int32(1)})
	must(t, err)
	if len(l.Rules) != 1 || aws.ToString(l.Rules[0].Name) != "nightly" || l.NextToken == nil {
		t.Fatalf("ListRules page 1: %+v", l)
	}
	l, err = c.ListRules(ctx, &eventbridge.ListRulesInput{NamePrefix: aws.String("night"), Limit: aws.Int32(1), NextToken: l.NextToken})
	must(t, err)
	if len(l.Rules) != 1 || aws.ToString(l.Rules[0].Name) != "nightly-2" || l.NextToken != nil {
		t.Errorf("ListRules page 2: %+v", l)
	}

	cluster := "arn:aws:ecs:us-east-1:123456789012:cluster/batch"
	ecsTarget := ebtypes.Target{Id: aws.String("job"), Arn: aws.String(cluster), EcsParameters: &ebtypes.EcsParameters{
		TaskDefinitionArn: aws.String("arn:aws:ecs:us-east-1:123456789012:task-definition/job:1"), TaskCount: aws.Int32(2), LaunchType: ebtypes.LaunchTypeFargate,
		Group: aws.String("nightly-jobs"), NetworkConfiguration: &ebtypes.NetworkConfiguration{AwsvpcConfiguration: &ebtypes.AwsVpcConfiguration{
			Subnets: []string{"subnet-1"}, SecurityGroups: []string{"sg-1"}, AssignPublicIp: ebtypes.AssignPublicIpDisabled}}}}
	_, err = c.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("nightly"), Targets: []ebtypes.Target{ecsTarget}})
	wantEventsError(t, "an ECS target without RoleArn", err, "ValidationException", "RoleArn is required for target "+cluster+".")
	ecsTarget.RoleArn = aws.String("arn:aws:iam::123456789012:role/ecsEventsRole")
	pt, err := c.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("nightly"), Targets: []ebtypes.Target{ecsTarget,
		{Id: aws.String("bad-arn"), Arn: aws.String("not-an-arn")}}})
	must(t, err)
	if pt.FailedEntryCount != 1 || aws.ToString(pt.FailedEntries[0].TargetId) != "bad-arn" || aws.ToString(pt.FailedEntries[0].ErrorCode) != "ValidationException" {
		t.Errorf("PutTargets failed entries %+v", pt)
	}
	_, err = c.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("nope"), Targets: []ebtypes.Target{ecsTarget}})
	wantEventsError(t, "targets of an unknown rule", err, "ResourceNotFoundException", "Rule nope does not exist on EventBus default.")
	lt, err := c.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("nightly")})
	must(t, err)
	if len(lt.Targets) != 1 {
		t.Fatalf("ListTargetsByRule %+v", lt.Targets)
	}
	got := lt.Targets[0].EcsParameters
	if aws.ToInt32(got.TaskCount) != 2 || got.LaunchType != ebtypes.LaunchTypeFargate || aws.ToString(got.Group) != "nightly-jobs" ||
		got.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp != ebtypes.AssignPublicIpDisabled || got.NetworkConfiguration.AwsvpcConfiguration.Subnets[0] != "subnet-1" ||
		aws.ToString(lt.Targets[0].RoleArn) != "arn:aws:iam::123456789012:role/ecsEventsRole" {
		t.Errorf("target %+v", got)
	}
	names, err := c.ListRuleNamesByTarget(ctx, &eventbridge.ListRuleNamesByTargetInput{TargetArn: aws.String(cluster)})
	must(t, err)
	if len(names.RuleNames) != 1 || names.RuleNames[0] != "nightly" {
		t.Errorf("ListRuleNamesByTarget %v", names.RuleNames)
	}
	_, err = c.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String("nightly")})
	wantEventsError(t, "deleting a rule with targets", err, "ValidationException", "Rule can't be deleted since it has targets.")
	rt, err := c.RemoveTargets(ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String("nightly"), Ids: []string{"job", "ghost"}})
	must(t, err)
	if rt.FailedEntryCount != 1 || aws.ToString(rt.FailedEntries[0].ErrorMessage) != "Rule 'nightly' does not have a target with the Id 'ghost'." {
		t.Errorf("RemoveTargets %+v", rt)
	}
	must2 := func(_ any, err error) { t.Helper(); must(t, err) }
	must2(c.DisableRule(ctx, &eventbridge.DisableRuleInput{Name: aws.String("nightly")}))
	d, err = c.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("nightly")})
	must(t, err)
	if d.State != ebtypes.RuleStateDisabled {
		t.Errorf("after DisableRule: %s", d.State)
	}
	must2(c.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String("nightly")}))
	must2(c.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String("nightly")})) // idempotent

	arn := "arn:aws:events:us-east-1:123456789012:rule/hourly"
	must2(c.TagResource(ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(arn), Tags: []ebtypes.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}))
	must2(c.UntagResource(ctx, &eventbridge.UntagResourceInput{ResourceARN: aws.String(arn), TagKeys: []string{"team"}}))
	tags, err := c.ListTagsForResource(ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: aws.String(arn)})
	must(t, err)
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "env" {
		t.Errorf("tags %+v", tags.Tags)
	}

	bus, err := c.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{})
	must(t, err)
	if aws.ToString(bus.Name) != "default" || aws.ToString(bus.Arn) != "arn:aws:events:us-east-1:123456789012:event-bus/default" {
		t.Errorf("default bus %+v", bus)
	}
	must2(c.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String("orders")}))
	_, err = c.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String("orders")})
	wantEventsError(t, "a second bus orders", err, "ResourceAlreadyExistsException", "Event bus orders already exists.")
	_, err = c.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String("default")})
	wantEventsError(t, "a bus named default", err, "ResourceAlreadyExistsException", "Event bus default already exists.")
	_, err = c.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String("a/b")})
	wantEventsError(t, "a bus name with a slash", err, "ValidationException", "Event bus name must not contain '/'.")
	_, err = c.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("s"), EventBusName: aws.String("orders"), ScheduleExpression: aws.String("rate(5 minutes)")})
	wantEventsError(t, "a schedule on a custom bus", err, "ValidationException", "ScheduleExpression is supported only on the default event bus.")
	pr, err := c.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("placed"), EventBusName: aws.String("orders"), EventPattern: aws.String(`{"source":["shop"]}`)})
	must(t, err)
	if aws.ToString(pr.RuleArn) != "arn:aws:events:us-east-1:123456789012:rule/orders/placed" {
		t.Errorf("a custom bus's rule ARN %s", aws.ToString(pr.RuleArn))
	}
	buses, err := c.ListEventBuses(ctx, &eventbridge.ListEventBusesInput{})
	must(t, err)
	if len(buses.EventBuses) != 2 {
		t.Errorf("ListEventBuses %+v", buses.EventBuses)
	}
}

// A scheduled rule with an ECS target runs its tasks through RunTask on the
// engine's clock: startedBy events-rule/<name>, the target's group; the
// same Fargate task in the default VPC's public subnet with
// AssignPublicIp DISABLED cannot pull its image and stops; an awsvpc task
// definition targeted without NetworkConfiguration starts nothing (ECS
// refuses the RunTask: a failed invocation); a disabled rule never fires.
func TestEventBridgeScheduledTasks(t *testing.T) {
	start := time.Now()
	// The engine's clock runs 120 times faster: rate(1 minute) fires every
	// half second.
	fast := engine.WithClock(func() time.Time { return start.Add(120 * time.Since(start)) })
	em := newEmulatorWith(t, server.Options{DefaultVPC: true}, fast)
	c := sdkClients(em.URL)
	eb := eventsClient(em.URL)
	subs, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	must(t, err)
	subnet := aws.ToString(subs.Subnets[0].SubnetId)
	cl, err := c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("batch")})
	must(t, err)
	td, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("job"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ExecutionRoleArn:     aws.String(executionRole(t, em.URL)),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("public.ecr.aws/docker/library/busybox:latest")}}})
	must(t, err)
	rule := func(name, state string, net *ebtypes.NetworkConfiguration) {
		t.Helper()
		_, err := eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String(name), ScheduleExpression: aws.String("rate(1 minute)"), State: ebtypes.RuleState(state)})
		must(t, err)
		out, err := eb.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String(name), Targets: []ebtypes.Target{{Id: aws.String("t"), Arn: cl.Cluster.ClusterArn,
			RoleArn: aws.String("arn:aws:iam::123456789012:role/ecsEventsRole"), EcsParameters: &ebtypes.EcsParameters{TaskDefinitionArn: td.TaskDefinition.TaskDefinitionArn,
				LaunchType: ebtypes.LaunchTypeFargate, Group: aws.String("group-" + name), NetworkConfiguration: net}}}})
		must(t, err)
		if out.FailedEntryCount != 0 {
			t.Fatalf("PutTargets %+v", out.FailedEntries)
		}
	}
	awsvpc := func(ip ebtypes.AssignPublicIp) *ebtypes.NetworkConfiguration {
		return &ebtypes.NetworkConfiguration{AwsvpcConfiguration: &ebtypes.AwsVpcConfiguration{Subnets: []string{subnet}, AssignPublicIp: ip}}
	}
	rule("public", "ENABLED", awsvpc(ebtypes.AssignPublicIpEnabled))
	rule("private-ip", "ENABLED", awsvpc(ebtypes.AssignPublicIpDisabled))
	rule("no-network", "ENABLED", nil)
	rule("off", "DISABLED", awsvpc(ebtypes.AssignPublicIpEnabled))

	tasksOf := func(rule string, status ecstypes.DesiredStatus) []ecstypes.Task {
		l, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("batch"), StartedBy: aws.String("events-rule/" + rule), DesiredStatus: status})
		must(t, err)
		if len(l.TaskArns) == 0 {
			return nil
		}
		d, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("batch"), Tasks: l.TaskArns})
		must(t, err)
		return d.Tasks
	}
	eventually(t, "the public rule's task runs", func() bool {
		for _, tk := range tasksOf("public", ecstypes.DesiredStatusRunning) {
			if aws.ToString(tk.LastStatus) == "RUNNING" {
				if aws.ToString(tk.Group) != "group-public" || aws.ToString(tk.StartedBy) != "events-rule/public" {
					t.Errorf("task group %q startedBy %q", aws.ToString(tk.Group), aws.ToString(tk.StartedBy))
				}
				return true
			}
		}
		return false
	})
	eventually(t, "the private-ip rule's task stops", func() bool {
		for _, tk := range tasksOf("private-ip", ecstypes.DesiredStatusStopped) {
			if aws.ToString(tk.LastStatus) == "STOPPED" {
				if tk.StopCode != ecstypes.TaskStopCodeTaskFailedToStart || !strings.Contains(aws.ToString(tk.StoppedReason), "ResourceInitializationError") &&
					!strings.Contains(aws.ToString(tk.StoppedReason), "CannotPullContainerError") {
					t.Errorf("stopped %s %q", tk.StopCode, aws.ToString(tk.StoppedReason))
				}
				return true
			}
		}
		return false
	})
	for _, r := range []string{"no-network", "off"} {
		if n := len(tasksOf(r, ecstypes.DesiredStatusRunning)) + len(tasksOf(r, ecstypes.DesiredStatusStopped)); n != 0 {
			t.Errorf("rule %s started %d tasks", r, n)
		}
	}
	// The invocations are AWS/Events metrics: the refused ones
	// FailedInvocations, the accepted ones (whose task may still fail to
	// start) Invocations only.
	cw := cloudwatchClient(em.URL)
	metric := func(rule, name string) float64 {
		t.Helper()
		out, err := cw.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(start.Add(-time.Hour)), EndTime: aws.Time(start.Add(1000 * time.Hour)),
			MetricDataQueries: []cwtypes.MetricDataQuery{{Id: aws.String("m"), MetricStat: &cwtypes.MetricStat{Period: aws.Int32(86400), Stat: aws.String("Sum"),
				Metric: &cwtypes.Metric{Namespace: aws.String("AWS/Events"), MetricName: aws.String(name),
					Dimensions: []cwtypes.Dimension{{Name: aws.String("RuleName"), Value: aws.String(rule)}}}}}}})
		must(t, err)
		sum := 0.0
		for _, v := range out.MetricDataResults[0].Values {
			sum += v
		}
		return sum
	}
	// The rules fire on their own schedules: the no-network rule's first
	// invocation may come after the other rules' tasks were seen.
	eventually(t, "the no-network rule's invocations all fail", func() bool {
		f, n := metric("no-network", "FailedInvocations"), metric("no-network", "Invocations")
		return f >= 1 && f == n
	})
	if f, n := metric("private-ip", "FailedInvocations"), metric("private-ip", "Invocations"); f != 0 || n < 1 {
		t.Errorf("private-ip: FailedInvocations %v of Invocations %v, want none failed (RunTask accepted the task)", f, n)
	}
	if n := metric("off", "Invocations"); n != 0 {
		t.Errorf("the disabled rule: %v invocations", n)
	}
	lm, err := cw.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Namespace: aws.String("AWS/Events"), MetricName: aws.String("FailedInvocations")})
	must(t, err)
	if len(lm.Metrics) != 3 { // public, private-ip, no-network
		t.Errorf("ListMetrics AWS/Events FailedInvocations: %d metrics", len(lm.Metrics))
	}
	// The refusal EventBridge met is RunTask's own.
	_, err = c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("batch"), TaskDefinition: td.TaskDefinition.TaskDefinitionArn, LaunchType: ecstypes.LaunchTypeFargate})
	wantEventsError(t, "RunTask without networkConfiguration", err, "InvalidParameterException", "Network Configuration must be provided when networkMode 'awsvpc' is specified.")
}

// AWS::Events::Rule on a stack deployed through CloudFormation: the rule and
// its ECS target exist in EventBridge (Ref the name, GetAtt Arn in the
// outputs), and deleting the stack removes the target, then the rule.
func TestEventBridgeCloudFormation(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	eb := eventsClient(em.URL)
	body, err := os.ReadFile("../cfn/testdata/events/scheduled-task.yaml")
	must(t, err)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("sched"), TemplateBody: aws.String(string(body)),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	d, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
	must(t, err)
	outputs := map[string]string{}
	for _, o := range d.Stacks[0].Outputs {
		outputs[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	name := outputs["RuleName"]
	r, err := eb.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(name)})
	must(t, err)
	if aws.ToString(r.Arn) != outputs["RuleArn"] || aws.ToString(r.ScheduleExpression) != "cron(0 3 * * ? *)" {
		t.Errorf("rule %+v, outputs %v", r, outputs)
	}
	lt, err := eb.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String(name)})
	must(t, err)
	if len(lt.Targets) != 1 || lt.Targets[0].EcsParameters == nil ||
		lt.Targets[0].EcsParameters.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp != ebtypes.AssignPublicIpDisabled {
		t.Errorf("targets %+v", lt.Targets)
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	if _, err := eb.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(name)}); apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("after DeleteStack: %v", err)
	}
}

// Rules, their targets and custom buses are records of the store: they are
// there after a restart.
func TestEventBridgePersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	b, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	srv, url := startOn(t, b, false)
	c := eventsClient(url)
	_, err = c.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("nightly"), ScheduleExpression: aws.String("cron(0 3 * * ? *)"),
		Tags: []ebtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	must(t, err)
	_, err = c.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("nightly"), Targets: []ebtypes.Target{{Id: aws.String("t"),
		Arn: aws.String("arn:aws:ecs:us-east-1:123456789012:cluster/c"), RoleArn: aws.String("arn:aws:iam::123456789012:role/r"),
		EcsParameters: &ebtypes.EcsParameters{TaskDefinitionArn: aws.String("arn:aws:ecs:us-east-1:123456789012:task-definition/w:1"), TaskCount: aws.Int32(3)}}}})
	must(t, err)
	_, err = c.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String("orders")})
	must(t, err)
	srv.Close()
	must(t, b.Close())

	b2, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	t.Cleanup(func() { b2.Close() })
	_, url = startOn(t, b2, false)
	c = eventsClient(url)
	lt, err := c.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("nightly")})
	must(t, err)
	if len(lt.Targets) != 1 || aws.ToInt32(lt.Targets[0].EcsParameters.TaskCount) != 3 {
		t.Errorf("targets after restart %+v", lt.Targets)
	}
	tags, err := c.ListTagsForResource(ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: aws.String("arn:aws:events:us-east-1:123456789012:rule/nightly")})
	must(t, err)
	if len(tags.Tags) != 1 {
		t.Errorf("tags after restart %+v", tags.Tags)
	}
	if _, err := c.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("orders")}); err != nil {
		t.Errorf("the bus after restart: %v", err)
	}
}
