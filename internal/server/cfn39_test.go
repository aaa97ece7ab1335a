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
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestRound39SAMS3EventDeploy: a SAM function with an S3 event on a
// bucket of its template, deployed through the SDK: S3's
// GetBucketNotificationConfiguration answers the Lambda configuration SAM
// adds (the function's ARN, the event, the filter) next to the bucket's
// own queue configuration; after the stack is deleted the bucket is gone.
func TestRound39SAMS3EventDeploy(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	body := `
Transform: AWS::Serverless-2016-10-31
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: uploads-round39
  Thumbs:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      InlineCode: "def handler(e, c): pass"
      Events:
        Created:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
            Filter: {S3Key: {Rules: [{Name: suffix, Value: .jpg}]}}
Outputs:
  Fn: {Value: !GetAtt Thumbs.Arn}
`
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("thumbs"), TemplateBody: aws.String(body),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityAutoExpand}})
	must(t, err)
	id := aws.ToString(st.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
	must(t, err)
	fnARN := aws.ToString(ds.Stacks[0].Outputs[0].OutputValue)

	s3c := s3Client(em.URL, "us-east-1", true)
	got, err := s3c.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("uploads-round39")})
	must(t, err)
	if len(got.LambdaFunctionConfigurations) != 1 {
		t.Fatalf("Lambda configurations %+v", got.LambdaFunctionConfigurations)
	}
	lc := got.LambdaFunctionConfigurations[0]
	if aws.ToString(lc.LambdaFunctionArn) != fnARN || !slices.Equal(lc.Events, []s3types.Event{"s3:ObjectCreated:*"}) || aws.ToString(lc.Id) == "" {
		t.Errorf("configuration %+v, want %s on s3:ObjectCreated:*", lc, fnARN)
	}
	if lc.Filter == nil || lc.Filter.Key == nil || len(lc.Filter.Key.FilterRules) != 1 ||
		lc.Filter.Key.FilterRules[0].Name != "Suffix" || aws.ToString(lc.Filter.Key.FilterRules[0].Value) != ".jpg" {
		t.Errorf("filter %+v", lc.Filter)
	}

	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	if _, err := s3c.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("uploads-round39")}); err == nil ||
		!strings.Contains(err.Error(), "NoSuchBucket") {
		t.Errorf("after delete: %v, want NoSuchBucket", err)
	}
}

// TestRound39CopilotControllerUpdateWaits: a Copilot service's stack
// updated (its environment controller now also names NATWorkloads) while
// the environment stack's own update is in progress: the controller's
// Update waits for the environment's update to end and applies its change
// then, as env-controller.js does for Update as for Create, so the
// service's stack completes its update and the environment lists the
// service in NATWorkloads. Before round thirty-nine the controller failed
// at once and the service's update rolled back.
func TestRound39CopilotControllerUpdateWaits(t *testing.T) {
	em, clk := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	caps, env, svc, envID, svcID := copilotEnvWithService(t, cf)
	var err error
	for round := 0; stackStatus(t, cf, svcID) != cfntypes.StackStatusCreateComplete; round++ {
		if round == 30 {
			t.Fatalf("service %s", stackStatus(t, cf, svcID))
		}
		clk.Advance(time.Minute)
		time.Sleep(50 * time.Millisecond)
	}
	envParam := func(key string) string {
		ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(envID)})
		must(t, err)
		for _, p := range ds.Stacks[0].Parameters {
			if aws.ToString(p.ParameterKey) == key {
				return aws.ToString(p.ParameterValue)
			}
		}
		return ""
	}
	if got := envParam("ALBWorkloads"); got != "fe" {
		t.Fatalf("ALBWorkloads %q after the service's create", got)
	}
	for round := 0; stackStatus(t, cf, envID) != cfntypes.StackStatusUpdateComplete; round++ {
		if round == 10 {
			t.Fatalf("environment %s", stackStatus(t, cf, envID))
		}
		clk.Advance(time.Minute)
		time.Sleep(50 * time.Millisecond)
	}

	// The environment's own update, monitored for three minutes.
	env["ALBWorkloads"], env["EFSWorkloads"] = "fe", "legacy"
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(envID), UsePreviousTemplate: aws.Bool(true),
		Parameters: cfn37Params(env), Capabilities: caps,
		RollbackConfiguration: &cfntypes.RollbackConfiguration{MonitoringTimeInMinutes: aws.Int32(3)}})
	must(t, err)
	if got := stackStatus(t, cf, envID); got != cfntypes.StackStatusUpdateInProgress {
		t.Fatalf("environment %s during its monitoring period, want UPDATE_IN_PROGRESS", got)
	}

	// The service's update changes its controller's properties.
	svcBody, err := os.ReadFile("../cfn/testdata/sweep17/cp-windows.yml")
	must(t, err)
	newBody := strings.Replace(string(svcBody), "Parameters: [ALBWorkloads, Aliases]", "Parameters: [ALBWorkloads, Aliases, NATWorkloads]", 1)
	if newBody == string(svcBody) {
		t.Fatal("the controller's Parameters not found in the template")
	}
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(svcID), TemplateBody: aws.String(newBody),
		Parameters: cfn37Params(svc), Capabilities: caps})
	must(t, err)
	if got := stackStatus(t, cf, svcID); got != cfntypes.StackStatusUpdateInProgress {
		logStackEvents(t, cf, svcID)
		t.Fatalf("service %s while the environment updates, want UPDATE_IN_PROGRESS", got)
	}
	for round := 0; ; round++ {
		got := stackStatus(t, cf, svcID)
		if got == cfntypes.StackStatusUpdateComplete {
			break
		}
		if got != cfntypes.StackStatusUpdateInProgress && got != cfntypes.StackStatusUpdateCompleteCleanupInProgress || round == 30 {
			logStackEvents(t, cf, svcID)
			t.Fatalf("service %s after %d minutes", got, round)
		}
		clk.Advance(time.Minute)
		time.Sleep(50 * time.Millisecond)
	}
	// The controller's update of the environment is monitored too (the
	// stack keeps its rollback configuration).
	for round := 0; stackStatus(t, cf, envID) != cfntypes.StackStatusUpdateComplete; round++ {
		if round == 10 {
			t.Fatalf("environment %s", stackStatus(t, cf, envID))
		}
		clk.Advance(time.Minute)
		time.Sleep(50 * time.Millisecond)
	}
	if got := envParam("NATWorkloads"); got != "fe" {
		t.Errorf("NATWorkloads %q, want fe", got)
		logStackEvents(t, cf, svcID)
		logStackEvents(t, cf, envID)
	}
	if got := envParam("EFSWorkloads"); got != "legacy" {
		t.Errorf("EFSWorkloads %q, want the environment's own update kept", got)
	}
}

// logStackEvents logs a stack's events that give a reason.
func logStackEvents(t *testing.T, cf *cloudformation.Client, id string) {
	t.Helper()
	ev, _ := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(id)})
	if ev == nil {
		return
	}
	for _, e := range ev.StackEvents {
		if e.ResourceStatusReason != nil {
			t.Logf("%s %s %s", aws.ToString(e.LogicalResourceId), e.ResourceStatus, aws.ToString(e.ResourceStatusReason))
		}
	}
}

// TestSweep39CopilotInternalALB: Copilot's backend service behind the
// environment's internal load balancer (sweep39), through the SDK: its
// environment controller adds it to InternalALBWorkloads, so the
// environment stack makes the internal load balancer whose listener the
// service's rule reads from the controller's attributes; a parameter
// update moves the rule's path; deleting the service takes it out of the
// environment again, and the environment deletes.
func TestSweep39CopilotInternalALB(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	caps := []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityNamedIam, cfntypes.CapabilityCapabilityAutoExpand}
	envBody, err := os.ReadFile("../cfn/testdata/sweep36/copilot-env-basic.yml")
	must(t, err)
	env := map[string]string{"AppName": "my-app", "EnvironmentName": "my-env", "ALBWorkloads": "",
		"InternalALBWorkloads": "", "EFSWorkloads": "", "NATWorkloads": "", "AppRunnerPrivateWorkloads": "",
		"ToolsAccountPrincipalARN": "arn:aws:iam::123456789012:root", "AppDNSName": "", "AppDNSDelegationRole": "", "Aliases": "",
		"CreateHTTPSListener": "false", "CreateInternalHTTPSListener": "false", "ServiceDiscoveryEndpoint": "my-env.my-app.local"}
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("my-app-my-env"), TemplateBody: aws.String(string(envBody)),
		Parameters: cfn37Params(env), Capabilities: caps})
	must(t, err)
	envID := aws.ToString(st.StackId)
	waitStack(t, cf, envID, cfntypes.StackStatusCreateComplete)
	envParam := func(key string) string {
		ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(envID)})
		must(t, err)
		for _, p := range ds.Stacks[0].Parameters {
			if aws.ToString(p.ParameterKey) == key {
				return aws.ToString(p.ParameterValue)
			}
		}
		return ""
	}

	body, err := os.ReadFile("../cfn/testdata/sweep39/copilot-backend-internal-alb.yml")
	must(t, err)
	svc := map[string]string{"AppName": "my-app", "EnvName": "my-env", "WorkloadName": "api", "ContainerImage": "public.ecr.aws/nginx/nginx",
		"TaskCPU": "256", "TaskMemory": "512", "TaskCount": "0", "ContainerPort": "8080", "TargetContainer": "api", "TargetPort": "8080",
		"HTTPSEnabled": "false", "RulePath": "api"}
	st, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("my-app-my-env-api"), TemplateBody: aws.String(string(body)),
		Parameters: cfn37Params(svc), Capabilities: caps})
	must(t, err)
	id := aws.ToString(st.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	if got := envParam("InternalALBWorkloads"); got != "api" {
		t.Errorf("InternalALBWorkloads %q, want api", got)
	}
	svc["RulePath"] = "v2"
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(id), UsePreviousTemplate: aws.Bool(true),
		Parameters: cfn37Params(svc), Capabilities: caps})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)

	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	if got := envParam("InternalALBWorkloads"); got != "" {
		t.Errorf("InternalALBWorkloads %q after the service's delete, want none", got)
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(envID)})
	must(t, err)
	waitStack(t, cf, envID, cfntypes.StackStatusDeleteComplete)
}

// copilotEnvWithService creates Copilot's environment stack my-app-test
// (sweep36) and, once it is complete, the service stack my-app-test-fe
// (sweep17's Windows service, whose environment controller updates the
// environment stack); it returns the capabilities both need, their
// parameters and ids, the service's create under way.
func copilotEnvWithService(t *testing.T, cf *cloudformation.Client) (caps []cfntypes.Capability, env, svc map[string]string, envID, svcID string) {
	t.Helper()
	caps = []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityNamedIam, cfntypes.CapabilityCapabilityAutoExpand}
	envBody, err := os.ReadFile("../cfn/testdata/sweep36/copilot-env-basic.yml")
	must(t, err)
	env = map[string]string{"AppName": "my-app", "EnvironmentName": "test", "ALBWorkloads": "",
		"InternalALBWorkloads": "", "EFSWorkloads": "", "NATWorkloads": "", "AppRunnerPrivateWorkloads": "",
		"ToolsAccountPrincipalARN": "arn:aws:iam::123456789012:root", "AppDNSName": "", "AppDNSDelegationRole": "", "Aliases": "",
		"CreateHTTPSListener": "false", "CreateInternalHTTPSListener": "false", "ServiceDiscoveryEndpoint": "test.my-app.local"}
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("my-app-test"), TemplateBody: aws.String(string(envBody)),
		Parameters: cfn37Params(env), Capabilities: caps})
	must(t, err)
	envID = aws.ToString(st.StackId)
	waitStack(t, cf, envID, cfntypes.StackStatusCreateComplete)

	svcBody, err := os.ReadFile("../cfn/testdata/sweep17/cp-windows.yml")
	must(t, err)
	svc = map[string]string{"AppName": "my-app", "EnvName": "test", "WorkloadName": "fe",
		"ContainerImage": "mcr.microsoft.com/windows/servercore/iis", "ContainerPort": "80", "TaskCPU": "1024", "TaskMemory": "2048",
		"TaskCount": "1", "DNSDelegated": "false", "LogRetention": "30", "TargetContainer": "fe", "TargetPort": "80", "HTTPSEnabled": "false",
		"RulePath": "/fe"}
	st, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("my-app-test-fe"), TemplateBody: aws.String(string(svcBody)),
		Parameters: cfn37Params(svc), Capabilities: caps})
	must(t, err)
	return caps, env, svc, envID, aws.ToString(st.StackId)
}

// advanceStackUntil advances clk a minute at a time until stack id is in
// status want, failing the test (with the stack's events) after rounds
// minutes.
func advanceStackUntil(t *testing.T, cf *cloudformation.Client, clk *testClock, id string, want cfntypes.StackStatus, rounds int) {
	t.Helper()
	for round := 0; stackStatus(t, cf, id) != want; round++ {
		if round == rounds {
			logStackEvents(t, cf, id)
			t.Fatalf("%s %s after %d minutes, want %s", id, stackStatus(t, cf, id), round, want)
		}
		clk.Advance(time.Minute)
		time.Sleep(50 * time.Millisecond)
	}
}
