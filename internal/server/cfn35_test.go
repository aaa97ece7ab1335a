package server_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	cdtypes "github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
)

// TestRound35CodeDeployStack: a stack's AWS::CodeDeploy::Application and
// AWS::CodeDeploy::DeploymentGroup, through the Go SDK. The group is
// CodeDeploy's (GetDeploymentGroup: the stack's CODE_DEPLOY service, its
// target groups, the template's termination wait and rollback), a
// deployment to it moves the production listener to the other target
// group, a stack update changes the group in place, a service of the ECS
// deployment controller fails the group with CodeDeploy's error and the
// stack rolls back, and deleting the stack deletes the application. Before
// round thirty-five both types were skipped: the stack completed with no
// application to deploy to.
func TestRound35CodeDeployStack(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	cd := codeDeployClient(em.URL)
	c := sdkClients(em.URL)
	body, err := os.ReadFile("../cfn/testdata/sweep35/codedeploy-bluegreen.yaml")
	must(t, err)
	caps := []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("bg"), TemplateBody: aws.String(string(body)), Capabilities: caps})
	must(t, err)
	id := aws.ToString(st.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	out := stackOutputs(t, cf, "bg")
	app, group := out["AppName"], out["GroupName"]
	ids := stackPhysicalIDs(t, cf, "bg")

	g, err := cd.GetDeploymentGroup(ctx, &codedeploy.GetDeploymentGroupInput{ApplicationName: &app, DeploymentGroupName: &group})
	must(t, err)
	info := g.DeploymentGroupInfo
	if info.ComputePlatform != cdtypes.ComputePlatformEcs || len(info.EcsServices) != 1 ||
		!strings.HasSuffix(ids["Service"], "/"+aws.ToString(info.EcsServices[0].ServiceName)) {
		t.Errorf("group %s: platform %s, services %+v (stack's service %s)", group, info.ComputePlatform, info.EcsServices, ids["Service"])
	}
	if info.BlueGreenDeploymentConfiguration == nil || info.BlueGreenDeploymentConfiguration.TerminateBlueInstancesOnDeploymentSuccess.TerminationWaitTimeInMinutes != 5 {
		t.Errorf("blueGreenDeploymentConfiguration %+v, want a 5-minute wait", info.BlueGreenDeploymentConfiguration)
	}
	if rb := info.AutoRollbackConfiguration; rb == nil || !rb.Enabled || len(rb.Events) != 1 || rb.Events[0] != cdtypes.AutoRollbackEventDeploymentFailure {
		t.Errorf("autoRollbackConfiguration %+v", rb)
	}
	pairs := info.LoadBalancerInfo.TargetGroupPairInfoList
	if len(pairs) != 1 || len(pairs[0].TargetGroups) != 2 || len(pairs[0].TestTrafficRoute.ListenerArns) != 1 {
		t.Fatalf("target group pairs %+v", pairs)
	}

	spec := `{"version": 0.0, "Resources": [{"TargetService": {"Type": "AWS::ECS::Service", "Properties": {
  "TaskDefinition": "` + ids["TaskDef"] + `", "LoadBalancerInfo": {"ContainerName": "web", "ContainerPort": 80}}}}]}`
	_, err = cd.CreateDeployment(ctx, &codedeploy.CreateDeploymentInput{ApplicationName: &app, DeploymentGroupName: &group,
		Revision: &cdtypes.RevisionLocation{RevisionType: cdtypes.RevisionLocationTypeAppSpecContent, AppSpecContent: &cdtypes.AppSpecContent{Content: aws.String(spec)}}})
	must(t, err)
	prodTarget := ""
	for range 200 {
		ls, err := c.elb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{ids["ProdListener"]}})
		must(t, err)
		if prodTarget = aws.ToString(ls.Listeners[0].DefaultActions[0].TargetGroupArn); prodTarget == ids["Green"] {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if prodTarget != ids["Green"] {
		t.Errorf("production listener after the deployment forwards to %s, want Green %s", prodTarget, ids["Green"])
	}

	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(id), UsePreviousTemplate: aws.Bool(true), Capabilities: caps,
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("TerminationWait"), ParameterValue: aws.String("30")}}})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)
	g2, err := cd.GetDeploymentGroup(ctx, &codedeploy.GetDeploymentGroupInput{ApplicationName: &app, DeploymentGroupName: &group})
	must(t, err)
	if aws.ToString(g2.DeploymentGroupInfo.DeploymentGroupId) != aws.ToString(info.DeploymentGroupId) ||
		g2.DeploymentGroupInfo.BlueGreenDeploymentConfiguration.TerminateBlueInstancesOnDeploymentSuccess.TerminationWaitTimeInMinutes != 30 {
		t.Errorf("after the update: group %s with %+v, want the same group %s with a 30-minute wait", aws.ToString(g2.DeploymentGroupInfo.DeploymentGroupId),
			g2.DeploymentGroupInfo.BlueGreenDeploymentConfiguration.TerminateBlueInstancesOnDeploymentSuccess, aws.ToString(info.DeploymentGroupId))
	}

	bad, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("rolling"), TemplateBody: aws.String(string(body)), Capabilities: caps,
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("DeploymentController"), ParameterValue: aws.String("ECS")}}})
	must(t, err)
	waitStack(t, cf, aws.ToString(bad.StackId), cfntypes.StackStatusRollbackComplete)
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: bad.StackId})
	must(t, err)
	reason := ""
	for _, e := range ev.StackEvents {
		if aws.ToString(e.LogicalResourceId) == "Group" && e.ResourceStatus == cfntypes.ResourceStatusCreateFailed {
			reason = aws.ToString(e.ResourceStatusReason)
		}
	}
	if !strings.Contains(reason, `"Deployment group's ECS service must be configured for a CODE_DEPLOY deployment controller. (Service: CodeDeploy, Status Code: 400`) {
		t.Errorf("Group CREATE_FAILED reason %q, want CodeDeploy's InvalidECSServiceException", reason)
	}

	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	_, err = cd.GetApplication(ctx, &codedeploy.GetApplicationInput{ApplicationName: &app})
	wantCodeDeployError(t, "GetApplication after the delete", err, "ApplicationDoesNotExistException", "No application found for name: "+app)
}

// TestRound35SweepFixes: what the round-thirty-five sweep found, through
// the Go SDK. A parameter of type List<String> is taken as a list (a
// policy's Action list from it; before, CreateStack was ValidationError
// "Template format error: Unrecognized parameter type: List<String>"), and
// a container Environment item with NAME for Name fails the stack's
// validation, the stack rolling back before anything is created (before,
// the task definition registered with a nameless variable).
func TestRound35SweepFixes(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	read := func(name string) *string {
		b, err := os.ReadFile("../cfn/testdata/sweep35/" + name)
		must(t, err)
		return aws.String(string(b))
	}
	caps := []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("lists"), TemplateBody: read("list-string-param.yaml"), Capabilities: caps,
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("AllowActions"), ParameterValue: aws.String("s3:GetObject,sqs:SendMessage")}}})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusCreateComplete)
	if got := stackOutputs(t, cf, "lists")["Actions"]; got != "s3:GetObject,sqs:SendMessage" {
		t.Errorf("output Actions %q, want the two actions", got)
	}

	st, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("wp"), TemplateBody: read("env-name-key.yaml")})
	must(t, err)
	id := aws.ToString(st.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	if reason, want := failedEvent(t, cf, id, "TaskDefinition"), "Properties validation failed for resource TaskDefinition with message: [#/ContainerDefinitions/0/Environment/1: extraneous key [NAME] is not permitted]"; reason != want {
		t.Errorf("TaskDefinition's reason %q, want %q", reason, want)
	}
	tds, err := c.ecs.ListTaskDefinitions(ctx, &ecs.ListTaskDefinitionsInput{})
	must(t, err)
	if len(tds.TaskDefinitionArns) != 0 {
		t.Errorf("task definitions after the rollback %v, want none", tds.TaskDefinitionArns)
	}
}
