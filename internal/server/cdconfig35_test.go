package server_test

import (
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	cdtypes "github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
)

// TestRound35CodeDeployConfigStack: a stack's AWS::CodeDeploy::DeploymentConfig
// (an ECS canary, its name generated) and the deployment group naming it
// by Ref, through the Go SDK: GetDeploymentConfig answers the template's
// canary and GetDeploymentGroup the configuration's name (before, the
// configuration was skipped and the group took CodeDeployDefault.ECSAllAtOnce).
// A changed interval replaces the configuration: the group moves to the
// new one and the old one is deleted in the update's cleanup. Deleting the
// stack deletes the configuration.
func TestRound35CodeDeployConfigStack(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	cd := codeDeployClient(em.URL)
	body, err := os.ReadFile("../cfn/testdata/sweep35/codedeploy-bluegreen.yaml")
	must(t, err)
	template := func(interval string) *string {
		text := strings.Replace(string(body), "DeploymentConfigName: CodeDeployDefault.ECSAllAtOnce", "DeploymentConfigName: !Ref Canary", 1)
		text = strings.Replace(text, "\nResources:\n", `
Resources:
  Canary:
    Type: AWS::CodeDeploy::DeploymentConfig
    Properties:
      ComputePlatform: ECS
      TrafficRoutingConfig:
        Type: TimeBasedCanary
        TimeBasedCanary: {CanaryPercentage: 20, CanaryInterval: `+interval+`}
`, 1)
		if !strings.Contains(text, "!Ref Canary") {
			t.Fatal("the template no longer names CodeDeployDefault.ECSAllAtOnce")
		}
		return aws.String(text)
	}
	caps := []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("canary"), TemplateBody: template("10"), Capabilities: caps})
	must(t, err)
	id := aws.ToString(st.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	out := stackOutputs(t, cf, "canary")
	app, group := out["AppName"], out["GroupName"]
	first := stackPhysicalIDs(t, cf, "canary")["Canary"]
	if !strings.HasPrefix(first, "canary-Canary-") {
		t.Errorf("configuration name %q, want canary-Canary-<suffix>", first)
	}
	check := func(when, name string, interval int32) {
		t.Helper()
		c, err := cd.GetDeploymentConfig(ctx, &codedeploy.GetDeploymentConfigInput{DeploymentConfigName: &name})
		must(t, err)
		info := c.DeploymentConfigInfo
		if info.ComputePlatform != cdtypes.ComputePlatformEcs || info.TrafficRoutingConfig == nil ||
			info.TrafficRoutingConfig.Type != cdtypes.TrafficRoutingTypeTimeBasedCanary || info.TrafficRoutingConfig.TimeBasedCanary == nil ||
			info.TrafficRoutingConfig.TimeBasedCanary.CanaryPercentage != 20 || info.TrafficRoutingConfig.TimeBasedCanary.CanaryInterval != interval {
			t.Errorf("%s: GetDeploymentConfig %s: %s %+v, want an ECS canary of 20%% for %d minutes", when, name, info.ComputePlatform, info.TrafficRoutingConfig, interval)
		}
		g, err := cd.GetDeploymentGroup(ctx, &codedeploy.GetDeploymentGroupInput{ApplicationName: &app, DeploymentGroupName: &group})
		must(t, err)
		if got := aws.ToString(g.DeploymentGroupInfo.DeploymentConfigName); got != name {
			t.Errorf("%s: the group's deployment configuration %q, want %q", when, got, name)
		}
	}
	check("created", first, 10)

	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(id), TemplateBody: template("15"), Capabilities: caps})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)
	second := stackPhysicalIDs(t, cf, "canary")["Canary"]
	if second == first {
		t.Fatalf("the configuration %s was not replaced", first)
	}
	check("replaced", second, 15)
	_, err = cd.GetDeploymentConfig(ctx, &codedeploy.GetDeploymentConfigInput{DeploymentConfigName: &first})
	wantCodeDeployError(t, "the replaced configuration", err, "DeploymentConfigDoesNotExistException", "")

	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	_, err = cd.GetDeploymentConfig(ctx, &codedeploy.GetDeploymentConfigInput{DeploymentConfigName: &second})
	wantCodeDeployError(t, "GetDeploymentConfig after the delete", err, "DeploymentConfigDoesNotExistException", "")
}

// TestTerraformApplyCodeDeployConfigs applies aws_codedeploy_deployment_config
// of the three compute platforms and a Server group using the custom one
// with the real Terraform AWS provider, plans it again (no changes) and
// destroys it (the group before the configuration it uses).
func TestTerraformApplyCodeDeployConfigs(t *testing.T) {
	terraformApply(t, "testdata/terraform/cdconfig35", "us-east-1", "")
}
