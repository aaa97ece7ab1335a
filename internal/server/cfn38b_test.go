package server_test

import (
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// TestRound38bCopilotServicesConcurrently: a Copilot environment whose
// own update is in progress (its rollback configuration's monitoring
// period), and two load balanced services created at the same time
// through the SDK, each service's Custom::EnvControllerFunction adding it
// to the environment's ALBWorkloads: Copilot's controller waits for the
// environment stack's update to end (its stackUpdateComplete waiter) and
// applies its change then, the services' stacks CREATE_IN_PROGRESS
// meanwhile, so both complete and the environment lists both. Before round
// thirty-eight the controller failed at once ("… is in UPDATE_IN_PROGRESS
// state and can not be updated.") and the services rolled back.
func TestRound38bCopilotServicesConcurrently(t *testing.T) {
	em, clk := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	caps := []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityNamedIam, cfntypes.CapabilityCapabilityAutoExpand}
	envBody, err := os.ReadFile("../cfn/testdata/sweep36/copilot-env-basic.yml")
	must(t, err)
	env := map[string]string{"AppName": "my-app", "EnvironmentName": "test", "ALBWorkloads": "",
		"InternalALBWorkloads": "", "EFSWorkloads": "", "NATWorkloads": "", "AppRunnerPrivateWorkloads": "",
		"ToolsAccountPrincipalARN": "arn:aws:iam::123456789012:root", "AppDNSName": "", "AppDNSDelegationRole": "", "Aliases": "",
		"CreateHTTPSListener": "false", "CreateInternalHTTPSListener": "false", "ServiceDiscoveryEndpoint": "test.my-app.local"}
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("my-app-test"), TemplateBody: aws.String(string(envBody)),
		Parameters: cfn37Params(env), Capabilities: caps})
	must(t, err)
	envID := aws.ToString(st.StackId)
	waitStack(t, cf, envID, cfntypes.StackStatusCreateComplete)
	env["ALBWorkloads"] = "legacy"
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(envID), UsePreviousTemplate: aws.Bool(true),
		Parameters: cfn37Params(env), Capabilities: caps,
		RollbackConfiguration: &cfntypes.RollbackConfiguration{MonitoringTimeInMinutes: aws.Int32(3)}})
	must(t, err)
	if got := stackStatus(t, cf, envID); got != cfntypes.StackStatusUpdateInProgress {
		t.Fatalf("environment %s during its monitoring period, want UPDATE_IN_PROGRESS", got)
	}

	svcBody, err := os.ReadFile("../cfn/testdata/sweep17/cp-windows.yml")
	must(t, err)
	var wg sync.WaitGroup
	ids := map[string]string{}
	var mu sync.Mutex
	for _, name := range []string{"fe", "be"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			svc := map[string]string{"AppName": "my-app", "EnvName": "test", "WorkloadName": name,
				"ContainerImage": "mcr.microsoft.com/windows/servercore/iis", "ContainerPort": "80", "TaskCPU": "1024", "TaskMemory": "2048",
				"TaskCount": "1", "DNSDelegated": "false", "LogRetention": "30", "TargetContainer": name, "TargetPort": "80", "HTTPSEnabled": "false",
				"RulePath": "/" + name}
			st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("my-app-test-" + name), TemplateBody: aws.String(string(svcBody)),
				Parameters: cfn37Params(svc), Capabilities: caps})
			if err != nil {
				t.Errorf("%s: %v", name, err)
				return
			}
			mu.Lock()
			ids[name] = aws.ToString(st.StackId)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(ids) != 2 {
		t.Fatalf("stacks %v", ids)
	}
	for name, id := range ids {
		if got := stackStatus(t, cf, id); got != cfntypes.StackStatusCreateInProgress {
			t.Fatalf("%s: %s while the environment updates, want CREATE_IN_PROGRESS", name, got)
		}
	}
	// Each update of the environment (its own, then each controller's)
	// monitors for three minutes: the clock moves on a minute at a time
	// (the controller's waiter polls every 30 seconds, its function gives
	// up after 14.5 minutes) until both services are complete.
	for round := 0; ; round++ {
		done := 0
		for name, id := range ids {
			switch got := stackStatus(t, cf, id); got {
			case cfntypes.StackStatusCreateComplete:
				done++
			case cfntypes.StackStatusCreateInProgress:
			default:
				ev, _ := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(id)})
				for _, e := range ev.StackEvents {
					if e.ResourceStatusReason != nil {
						t.Logf("%s %s %s", aws.ToString(e.LogicalResourceId), e.ResourceStatus, aws.ToString(e.ResourceStatusReason))
					}
				}
				t.Fatalf("%s: %s", name, got)
			}
		}
		if done == len(ids) {
			break
		}
		if round == 60 {
			t.Fatalf("services not complete after %d minutes", round)
		}
		clk.Advance(time.Minute)
		time.Sleep(50 * time.Millisecond) // the server's step loop settles stacks
	}
	// The last controller's update of the environment ends with its
	// monitoring period.
	for round := 0; stackStatus(t, cf, envID) != cfntypes.StackStatusUpdateComplete; round++ {
		if round == 10 {
			t.Fatalf("environment %s", stackStatus(t, cf, envID))
		}
		clk.Advance(time.Minute)
		time.Sleep(50 * time.Millisecond)
	}
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("my-app-test")})
	must(t, err)
	for _, p := range ds.Stacks[0].Parameters {
		if aws.ToString(p.ParameterKey) == "ALBWorkloads" {
			if v := aws.ToString(p.ParameterValue); v != "legacy,fe,be" && v != "legacy,be,fe" {
				t.Errorf("ALBWorkloads %q, want the legacy workload and both services", v)
				ev, _ := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(envID)})
				for _, e := range ev.StackEvents {
					if aws.ToString(e.LogicalResourceId) == "my-app-test" {
						t.Logf("%s %s %s %s", e.Timestamp.Format("15:04:05"), aws.ToString(e.LogicalResourceId), e.ResourceStatus, aws.ToString(e.ResourceStatusReason))
					}
				}
			}
		}
	}
}

// TestRound38bSAMEventsDeploy: a SAM function with policy templates and
// SQS and SNS events, created through the SDK with CAPABILITY_AUTO_EXPAND:
// the stack completes, lists the event source mapping, subscription and
// permission SAM makes under their logical ids, and its outputs that
// reference them resolve.
func TestRound38bSAMEventsDeploy(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	body := `
Transform: AWS::Serverless-2016-10-31
Resources:
  Queue: {Type: AWS::SQS::Queue}
  Topic: {Type: AWS::SNS::Topic}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      InlineCode: "def handler(e, c): pass"
      Policies:
        - SQSPollerPolicy: {QueueName: !GetAtt Queue.QueueName}
        - SNSPublishMessagePolicy: {TopicName: !GetAtt Topic.TopicName}
      Events:
        Jobs:
          Type: SQS
          Properties: {Queue: !GetAtt Queue.Arn, BatchSize: 10}
        Notices:
          Type: SNS
          Properties: {Topic: !Ref Topic}
Outputs:
  Mapping: {Value: !Ref WorkerJobs}
  Permission: {Value: !Ref WorkerNoticesPermission}
`
	caps := []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityAutoExpand}
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("sam-events"), TemplateBody: aws.String(body), Capabilities: caps})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusCreateComplete)
	res, err := cf.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String("sam-events")})
	must(t, err)
	types := map[string]string{}
	for _, r := range res.StackResources {
		types[aws.ToString(r.LogicalResourceId)] = aws.ToString(r.ResourceType)
	}
	for id, typ := range map[string]string{"Worker": "AWS::Lambda::Function", "WorkerRole": "AWS::IAM::Role",
		"WorkerJobs": "AWS::Lambda::EventSourceMapping", "WorkerNotices": "AWS::SNS::Subscription", "WorkerNoticesPermission": "AWS::Lambda::Permission"} {
		if types[id] != typ {
			t.Errorf("%s: %q, want %s", id, types[id], typ)
		}
	}
	out := stackOutputs(t, cf, "sam-events")
	if out["Mapping"] == "" || out["Permission"] == "" {
		t.Errorf("outputs %v", out)
	}
}
