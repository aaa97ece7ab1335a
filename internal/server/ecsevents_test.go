package server_test

import (
	"encoding/base64"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/server"
)

// ECS sends "ECS Task State Change" events to the default bus: a rule
// whose pattern matches a task of startedBy "first" reaching STOPPED runs
// its ECS target (startedBy events-rule/<name>), counted in the rule's
// AWS/Events metrics; a rule whose pattern matches nothing runs nothing.
func TestEventBridgeECSTaskStateChangeRule(t *testing.T) {
	start := time.Now()
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
	net := &ebtypes.NetworkConfiguration{AwsvpcConfiguration: &ebtypes.AwsVpcConfiguration{Subnets: []string{subnet}, AssignPublicIp: ebtypes.AssignPublicIpEnabled}}
	rule := func(name, pattern string) {
		t.Helper()
		_, err := eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String(name), EventPattern: aws.String(pattern)})
		must(t, err)
		out, err := eb.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String(name), Targets: []ebtypes.Target{{Id: aws.String("t"), Arn: cl.Cluster.ClusterArn,
			RoleArn: aws.String("arn:aws:iam::123456789012:role/ecsEventsRole"), EcsParameters: &ebtypes.EcsParameters{TaskDefinitionArn: td.TaskDefinition.TaskDefinitionArn,
				LaunchType: ebtypes.LaunchTypeFargate, NetworkConfiguration: net}}}})
		must(t, err)
		if out.FailedEntryCount != 0 {
			t.Fatalf("PutTargets %+v", out.FailedEntries)
		}
	}
	rule("on-stop", `{"source":["aws.ecs"],"detail-type":["ECS Task State Change"],"detail":{"lastStatus":["STOPPED"],"startedBy":["first"]}}`)
	rule("never", `{"source":["aws.ecs"],"detail-type":["ECS Task State Change"],"detail":{"startedBy":["someone-else"]}}`)

	run, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("batch"), TaskDefinition: td.TaskDefinition.TaskDefinitionArn,
		LaunchType: ecstypes.LaunchTypeFargate, StartedBy: aws.String("first"),
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{subnet}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}}})
	must(t, err)
	if len(run.Tasks) != 1 {
		t.Fatalf("RunTask: %+v", run.Failures)
	}
	startedBy := func(who string) int {
		n := 0
		for _, st := range []ecstypes.DesiredStatus{ecstypes.DesiredStatusRunning, ecstypes.DesiredStatusStopped} {
			l, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("batch"), StartedBy: aws.String(who), DesiredStatus: st})
			must(t, err)
			n += len(l.TaskArns)
		}
		return n
	}
	eventually(t, "the first task runs", func() bool {
		d, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("batch"), Tasks: []string{aws.ToString(run.Tasks[0].TaskArn)}})
		must(t, err)
		return aws.ToString(d.Tasks[0].LastStatus) == "RUNNING"
	})
	if n := startedBy("events-rule/on-stop"); n != 0 {
		t.Fatalf("the rule ran %d tasks before the first task stopped", n)
	}
	_, err = c.ecs.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String("batch"), Task: run.Tasks[0].TaskArn, Reason: aws.String("done")})
	must(t, err)
	eventually(t, "the rule on the STOPPED event runs its task", func() bool { return startedBy("events-rule/on-stop") == 1 })
	if n := startedBy("events-rule/never"); n != 0 {
		t.Errorf("the rule that matches nothing ran %d tasks", n)
	}
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
	for name, want := range map[string]float64{"Invocations": 1, "TriggeredRules": 1, "MatchedEvents": 1, "FailedInvocations": 0} {
		if got := metric("on-stop", name); got != want {
			t.Errorf("on-stop %s: %v, want %v", name, got, want)
		}
		if got := metric("never", name); got != 0 {
			t.Errorf("never %s: %v", name, got)
		}
	}

	// A service's deployment completing and its steady state are
	// "ECS Deployment State Change" and "ECS Service Action" events.
	rule("deployed", `{"source":["aws.ecs"],"detail-type":["ECS Deployment State Change"],"detail":{"eventName":["SERVICE_DEPLOYMENT_COMPLETED"]},"resources":[{"suffix":"/web"}]}`)
	rule("steady", `{"source":["aws.ecs"],"detail-type":["ECS Service Action"],"detail":{"eventType":["INFO"],"eventName":["SERVICE_STEADY_STATE"]}}`)
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("batch"), ServiceName: aws.String("web"), TaskDefinition: td.TaskDefinition.TaskDefinitionArn,
		DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate,
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{subnet}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}}})
	must(t, err)
	eventually(t, "the deployment's rule runs its task", func() bool { return startedBy("events-rule/deployed") >= 1 })
	eventually(t, "the steady state's rule runs its task", func() bool { return startedBy("events-rule/steady") >= 1 })

	// An instance registering with the cluster is an "ECS Container
	// Instance State Change" event.
	rule("registered", `{"source":["aws.ecs"],"detail-type":["ECS Container Instance State Change"],"detail":{"status":["ACTIVE"],"clusterArn":["`+
		aws.ToString(cl.Cluster.ClusterArn)+`"],"ec2InstanceId":[{"prefix":"i-"}]}}`)
	userData := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=batch >> /etc/ecs/ecs.config\n"))
	_, err = c.ec2.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeM5Large,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: &subnet, UserData: &userData, IamInstanceProfile: ecsInstanceProfile(t, em.URL)})
	must(t, err)
	eventually(t, "the registration's rule runs its task", func() bool { return startedBy("events-rule/registered") >= 1 })
}

// TestEventPattern answers with the matcher the rules use; an invalid
// pattern is InvalidEventPatternException, an event without its envelope
// a ValidationException. PutEvents gives each entry an id, and refuses
// alone an entry of an AWS source or without a detail.
func TestEventBridgeTestEventPatternAndPutEvents(t *testing.T) {
	em := newEmulator(t, nil)
	eb := eventsClient(em.URL)
	event := `{"id":"1","account":"123456789012","source":"aws.ecs","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":[],
"detail-type":"ECS Task State Change","detail":{"lastStatus":"STOPPED","containers":[{"exitCode":137}]}}`
	for pattern, want := range map[string]bool{
		`{"detail":{"lastStatus":["STOPPED"]}}`:                                    true,
		`{"detail":{"lastStatus":[{"anything-but":"STOPPED"}]}}`:                   false,
		`{"detail":{"containers":{"exitCode":[{"numeric":[">",0]}]}}}`:             true,
		`{"source":[{"prefix":"aws."}],"detail-type":[{"suffix":"State Change"}]}`: true,
	} {
		out, err := eb.TestEventPattern(ctx, &eventbridge.TestEventPatternInput{EventPattern: aws.String(pattern), Event: aws.String(event)})
		must(t, err)
		if out.Result != want {
			t.Errorf("%s: %v, want %v", pattern, out.Result, want)
		}
	}
	_, err := eb.TestEventPattern(ctx, &eventbridge.TestEventPatternInput{EventPattern: aws.String(`{"detail":{"lastStatus":"STOPPED"}}`), Event: aws.String(event)})
	wantEventsError(t, "a leaf that is no array", err, "InvalidEventPatternException", `Event pattern is not valid. Reason: "lastStatus" must be an object or an array`)
	_, err = eb.TestEventPattern(ctx, &eventbridge.TestEventPatternInput{EventPattern: aws.String(`{"source":["x"]}`), Event: aws.String(`{"source":"x"}`)})
	wantEventsError(t, "an event without its envelope", err, "ValidationException", "Parameter Event is not valid.")
	_, err = eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("bad"), EventPattern: aws.String(`{"detail":{"x":[{"suffix":["y"]}]}}`)})
	wantEventsError(t, "PutRule of an invalid pattern", err, "InvalidEventPatternException", "suffix match pattern must be a string")

	put, err := eb.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []ebtypes.PutEventsRequestEntry{
		{Source: aws.String("my.app"), DetailType: aws.String("Order"), Detail: aws.String(`{"n":1}`)},
		{Source: aws.String("aws.ecs"), DetailType: aws.String("ECS Task State Change"), Detail: aws.String(`{}`)},
		{Source: aws.String("my.app"), DetailType: aws.String("Order")},
		{Source: aws.String("my.app"), DetailType: aws.String("Order"), Detail: aws.String(`{}`), EventBusName: aws.String("nope")},
	}})
	must(t, err)
	if put.FailedEntryCount != 3 || aws.ToString(put.Entries[0].EventId) == "" ||
		aws.ToString(put.Entries[1].ErrorCode) != "NotAuthorizedForSourceException" || aws.ToString(put.Entries[2].ErrorCode) != "InvalidArgument" ||
		aws.ToString(put.Entries[3].ErrorCode) != "ResourceNotFoundException" {
		t.Errorf("PutEvents: %d failed, %+v", put.FailedEntryCount, put.Entries)
	}
}
