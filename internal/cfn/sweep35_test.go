package cfn_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

func sweep35(name string) string { return filepath.Join("testdata", "sweep35", name) }

// codeDeployGroups returns the state's deployment groups.
func codeDeployGroups(res interface {
	Read(func(*model.State))
}) (apps []*model.CodeDeployApp, groups []*model.CodeDeployGroup) {
	res.Read(func(st *model.State) {
		for _, a := range st.CodeDeployApps {
			apps = append(apps, a)
		}
		for _, g := range st.CodeDeployGroups {
			groups = append(groups, g)
		}
	})
	return apps, groups
}

// TestSweep35CodeDeployBlueGreen: AWS::CodeDeploy::Application and
// AWS::CodeDeploy::DeploymentGroup are created (before round thirty-five
// they were skipped): the group names the CODE_DEPLOY service, its target
// group pair and the production and test listeners, and takes the
// template's termination wait. A service of the ECS deployment controller
// fails the group as CodeDeploy refuses it.
func TestSweep35CodeDeployBlueGreen(t *testing.T) {
	res, err := cfn.Load(sweep35("codedeploy-bluegreen.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	apps, groups := codeDeployGroups(res.Engine)
	if len(apps) != 1 || apps[0].ComputePlatform != "ECS" {
		t.Fatalf("applications %+v, want one of the ECS platform", apps)
	}
	if len(groups) != 1 {
		t.Fatalf("%d deployment groups, want 1", len(groups))
	}
	g := groups[0]
	if g.App != apps[0].Name || g.DeploymentType != "BLUE_GREEN" || g.Option != "WITH_TRAFFIC_CONTROL" ||
		g.ConfigName != "CodeDeployDefault.ECSAllAtOnce" || g.TerminationWaitMinutes != 5 {
		t.Errorf("group %+v", g)
	}
	if len(g.ECSServices) != 1 || !strings.Contains(g.ECSServices[0].Service, "-Service-") {
		t.Errorf("ECS services %+v", g.ECSServices)
	}
	if len(g.TargetGroupPairs) != 1 || len(g.TargetGroupPairs[0].TargetGroups) != 2 ||
		len(g.TargetGroupPairs[0].ProdListeners) != 1 || len(g.TargetGroupPairs[0].TestListeners) != 1 {
		t.Errorf("target group pairs %+v", g.TargetGroupPairs)
	}
	// The API's spelling of the members kept as given.
	bg, _ := g.Config["blueGreenDeploymentConfiguration"].(map[string]any)
	if ready, _ := bg["deploymentReadyOption"].(map[string]any); ready["actionOnTimeout"] != "CONTINUE_DEPLOYMENT" {
		t.Errorf("blueGreenDeploymentConfiguration %v", g.Config["blueGreenDeploymentConfiguration"])
	}
	if rb, _ := g.Config["autoRollbackConfiguration"].(map[string]any); rb["enabled"] != "true" {
		t.Errorf("autoRollbackConfiguration %v", g.Config["autoRollbackConfiguration"])
	}

	_, err = cfn.Load(sweep35("codedeploy-bluegreen.yaml"), map[string]string{"DeploymentController": "ECS"})
	if err == nil || !strings.Contains(err.Error(), "Deployment group's ECS service must be configured for a CODE_DEPLOY deployment controller.") {
		t.Errorf("an ECS-controlled service: %v, want CodeDeploy's InvalidECSServiceException", err)
	}
	_, err = cfn.Load(sweep35("codedeploy-bluegreen.yaml"), map[string]string{"TerminationWait": "3000"})
	if err == nil || !strings.Contains(err.Error(), "InvalidBlueGreenDeploymentConfigurationException") {
		t.Errorf("a termination wait of 3000 minutes: %v, want InvalidBlueGreenDeploymentConfigurationException", err)
	}
}

// TestSweep35CodeDeployUpdateDelete: a changed termination wait and Tags
// update the deployment group in place (UpdateDeploymentGroup), and
// deleting the stack's resources removes the application and its groups.
func TestSweep35CodeDeployUpdateDelete(t *testing.T) {
	tpl, err := cfn.ReadTemplate(sweep35("codedeploy-bluegreen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	first, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "bg"})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, r := range first.Resources {
		ids[r.LogicalID] = r.PhysicalID
	}
	second, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "bg", Existing: existingOf(first),
		Parameters: map[string]string{"TerminationWait": "30"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range second.Resources {
		if r.LogicalID == "Group" && (r.Change != cfn.ChangeModify || r.PhysicalID != ids["Group"]) {
			t.Errorf("Group: %q %s, want Modify of %s", r.Change, r.PhysicalID, ids["Group"])
		}
	}
	_, groups := codeDeployGroups(e)
	if len(groups) != 1 || groups[0].TerminationWaitMinutes != 30 {
		t.Fatalf("groups after the update %+v, want one with a 30-minute wait", groups)
	}

	if err := cfn.DeleteResources(e, second.Resources); err != nil {
		t.Fatal(err)
	}
	if apps, groups := codeDeployGroups(e); len(apps) != 0 || len(groups) != 0 {
		t.Errorf("after the delete: %d applications, %d groups", len(apps), len(groups))
	}
}

// TestSweep35ListStringParameter: a parameter of type List<String>
// (yicru/fargate-cloudformation-template's fargate.yml) is a list, as
// CommaDelimitedList is. Before round thirty-five the template was refused
// ("Template format error: Unrecognized parameter type: List<String>"), at
// ecsnet check and at CreateChangeSet alike; a type CloudFormation does
// not know still is.
func TestSweep35ListStringParameter(t *testing.T) {
	res, err := cfn.Load(sweep35("list-string-param.yaml"), map[string]string{"AllowActions": "s3:GetObject, sqs:SendMessage"})
	if err != nil {
		t.Fatal(err)
	}
	var cidrs []string
	res.Engine.Read(func(st *model.State) {
		for _, s := range st.Subnets {
			cidrs = append(cidrs, s.CIDR.String())
		}
	})
	slices.Sort(cidrs)
	if want := []string{"10.0.0.0/24", "10.0.1.0/24"}; !slices.Equal(cidrs, want) {
		t.Errorf("subnets %v, want %v (the list's items)", cidrs, want)
	}
	if got := res.Stacks[0].Outputs[0].Value; got != "s3:GetObject,sqs:SendMessage" {
		t.Errorf("output %q, want the two actions, trimmed", got)
	}
	tpl := strings.Replace(string(mustReadFile(t, sweep35("list-string-param.yaml"))), "Type: List<String>\n  Cidrs", "Type: List<Strings>\n  Cidrs", 1)
	if _, err := cfn.ParseTemplate("bad.yaml", []byte(tpl)); err == nil || !strings.Contains(err.Error(), "Unrecognized parameter type: List<Strings>") {
		t.Errorf("List<Strings>: %v, want the unrecognized type", err)
	}
}

func mustReadFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSweep35ContainerListItemKeys: a key an item of a container's
// Environment, Secrets or PortMappings does not have (NAME for Name, as
// jquirossoto/wordpress-multisite-ecs-efs-rds writes it) is named by its
// JSON pointer with the list indexes: the analyzer warns, a strict
// deployment (the endpoint's) fails the stack's validation. Before round
// thirty-five only the service's objects were checked below the top
// level, and the container got an environment variable without a name.
func TestSweep35ContainerListItemKeys(t *testing.T) {
	res, err := cfn.Load(sweep35("env-name-key.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	warned := false
	for _, w := range res.Warnings {
		warned = warned || strings.Contains(w.Msg, "ContainerDefinitions.0.Environment.1.NAME is not a property of AWS::ECS::TaskDefinition (did you mean Name?)") &&
			strings.Contains(w.Msg, "(#/ContainerDefinitions/0/Environment/1: extraneous key [NAME] is not permitted)")
	}
	if !warned {
		t.Errorf("warnings %v, want Environment.1.NAME named", res.Warnings)
	}
	tpl, err := cfn.ReadTemplate(sweep35("env-name-key.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfn.Deploy(cfn.NewEngine(), tpl, cfn.DeployOptions{StrictProperties: true})
	var ce *cfn.Error
	if !errors.As(err, &ce) || !ce.Validation || ce.Msg != "Properties validation failed for resource TaskDefinition with message: [#/ContainerDefinitions/0/Environment/1: extraneous key [NAME] is not permitted]" {
		t.Errorf("strict deploy: %v, want the validation failure naming Environment/1", err)
	}
	fixed := strings.Replace(string(mustReadFile(t, sweep35("env-name-key.yaml"))), "- NAME:", "- Name:", 1)
	tpl, err = cfn.ParseTemplate("fixed.yaml", []byte(fixed))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cfn.Deploy(cfn.NewEngine(), tpl, cfn.DeployOptions{StrictProperties: true}); err != nil {
		t.Errorf("with Name: %v, want it deployed (Secrets and PortMappings items have only their keys)", err)
	}
}

// TestSweep35SampleApplicationBesideCustomGroup: aws-samples'
// ecs-blue-green-deployment-with-codedeploy creates its CodeDeploy
// application with AWS::CodeDeploy::Application (named by the template)
// and its deployment group through a custom resource's Lambda. The
// application is created (before round thirty-five it was a placeholder);
// the custom resource stays one, with its warning.
func TestSweep35SampleApplicationBesideCustomGroup(t *testing.T) {
	params := map[string]string{"pApp": "shop", "pMonitoringTopicArn": "arn:aws:sns:us-east-1:123456789012:mon",
		"pECSCodeDeployRole": "arn:aws:iam::123456789012:role/ecsCodeDeployRole", "pBlueTargetGroupName": "blue", "pGreenTargetGroupName": "green",
		"pProdTrafficRoute": "prod", "pTestTrafficRoute": "test", "pFargateServiceName": "svc", "pClusterName": "c", "pTerminationTimeInMinutes": "5"}
	res, err := cfn.Load(sweep35("awss-codedeploy-deployment-group.yaml"), params)
	if err != nil {
		t.Fatal(err)
	}
	apps, groups := codeDeployGroups(res.Engine)
	if len(apps) != 1 || apps[0].Name != "shop-cd-app" || apps[0].ComputePlatform != "ECS" || len(groups) != 0 {
		t.Errorf("applications %+v, groups %d; want shop-cd-app of ECS and no group", apps, len(groups))
	}
	warned := false
	for _, w := range res.Warnings {
		warned = warned || strings.Contains(w.Msg, "rCodeDeployDeploymentGroupCustomResourceBG (Custom::CodeDeployDeploymentGroup) is not model")
	}
	if !warned {
		t.Errorf("warnings %v, want the custom resource's", res.Warnings)
	}
}

// TestSweep35CodeDeployTestListenerExplained: a probe of the test
// listener finds its target group empty and says why from the stack's
// deployment group: the idle member of the group's target group pair,
// named with the deployment group and its application (before round
// thirty-five the pair was guessed from the CODE_DEPLOY service alone).
func TestSweep35CodeDeployTestListenerExplained(t *testing.T) {
	res := load(t, "internal/cfn/testdata/sweep35/codedeploy-bluegreen.yaml", map[string]string{"TestListenerCidr": "0.0.0.0/0"})
	st := state(res)
	var dns string
	for _, lb := range st.LoadBalancers {
		dns = lb.DNSName
	}
	var group *model.CodeDeployGroup
	for _, g := range st.CodeDeployGroups {
		group = g
	}
	if dns == "" || group == nil {
		t.Fatalf("load balancer %q, deployment group %v", dns, group)
	}
	r := probe(t, res, "internet", dns+":8080")
	said := ""
	for _, e := range r.Explanations {
		said += e.Message + "\n"
	}
	want := "the target group pair of the deployment group " + group.Name + " of the application " + group.App
	if r.Verdict == reach.HTTP200 || !strings.Contains(said, "CodeDeploy blue/green deployment of the service") || !strings.Contains(said, want) {
		t.Errorf("probe of the test listener: %s\n%s\nwant the pair of %q", r.Verdict, said, want)
	}
}

// TestSweep35ServerDeploymentGroup: a deployment group of the Server
// platform keeps its EC2 tag set, Auto Scaling groups and triggers in the
// API's shapes (a tag set's groups as a list of lists of {Key, Value,
// Type}, the groups as {name}), and LoadBalancerInfo without traffic
// control is ignored, as CloudFormation ignores it.
func TestSweep35ServerDeploymentGroup(t *testing.T) {
	tpl, err := cfn.ParseTemplate("server.yaml", []byte(`Resources:
  App:
    Type: AWS::CodeDeploy::Application
    Properties: {ApplicationName: web-app}
  Group:
    Type: AWS::CodeDeploy::DeploymentGroup
    Properties:
      ApplicationName: !Ref App
      ServiceRoleArn: arn:aws:iam::123456789012:role/deployer
      DeploymentConfigName: CodeDeployDefault.OneAtATime
      Ec2TagSet:
        Ec2TagSetList:
          - Ec2TagGroup:
              - {Key: role, Value: web, Type: KEY_AND_VALUE}
      AutoScalingGroups: [web-asg]
      LoadBalancerInfo:
        TargetGroupInfoList: [{Name: web-tg}]
      DeploymentStyle: {DeploymentType: IN_PLACE, DeploymentOption: WITHOUT_TRAFFIC_CONTROL}
`))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	if _, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "server"}); err != nil {
		t.Fatal(err)
	}
	_, groups := codeDeployGroups(e)
	if len(groups) != 1 {
		t.Fatalf("%d groups", len(groups))
	}
	g := groups[0]
	set, _ := g.Config["ec2TagSet"].(map[string]any)
	list, _ := set["ec2TagSetList"].([]any)
	if len(list) != 1 {
		t.Fatalf("ec2TagSet %v, want one group", g.Config["ec2TagSet"])
	}
	group, _ := list[0].([]any)
	if len(group) != 1 || group[0].(map[string]any)["Key"] != "role" || group[0].(map[string]any)["Type"] != "KEY_AND_VALUE" {
		t.Errorf("tag group %v, want [{Key role Value web Type KEY_AND_VALUE}]", list[0])
	}
	if asg, _ := g.Config["autoScalingGroups"].([]any); len(asg) != 1 || asg[0].(map[string]any)["name"] != "web-asg" {
		t.Errorf("autoScalingGroups %v", g.Config["autoScalingGroups"])
	}
	if _, ok := g.Config["loadBalancerInfo"]; ok || g.ConfigName != "CodeDeployDefault.OneAtATime" {
		t.Errorf("loadBalancerInfo %v (want none without traffic control), config %s", g.Config["loadBalancerInfo"], g.ConfigName)
	}
}
