package cfn_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// canaryTemplate is testdata/sweep35/codedeploy-bluegreen.yaml with a
// custom AWS::CodeDeploy::DeploymentConfig (an ECS canary of the given
// percentage and interval, its name generated) that the deployment group
// names by Ref, and extra appended to the config's properties.
func canaryTemplate(t *testing.T, percent, interval, extra string) string {
	t.Helper()
	b, err := os.ReadFile(sweep35("codedeploy-bluegreen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if !strings.Contains(text, "DeploymentConfigName: CodeDeployDefault.ECSAllAtOnce") {
		t.Fatal("the template no longer names CodeDeployDefault.ECSAllAtOnce")
	}
	text = strings.Replace(text, "DeploymentConfigName: CodeDeployDefault.ECSAllAtOnce", "DeploymentConfigName: !Ref Canary", 1)
	text = strings.Replace(text, "\nResources:\n", `
Resources:
  Canary:
    Type: AWS::CodeDeploy::DeploymentConfig
    Properties:
      ComputePlatform: ECS
      TrafficRoutingConfig:
        Type: TimeBasedCanary
        TimeBasedCanary:
          CanaryPercentage: `+percent+`
          CanaryInterval: `+interval+`
`+extra, 1)
	return text
}

func codeDeployConfigs(res interface{ Read(func(*model.State)) }) map[string]model.CodeDeployConfig {
	out := map[string]model.CodeDeployConfig{}
	res.Read(func(st *model.State) {
		for k, c := range st.CodeDeployConfigs {
			out[k] = *c
		}
	})
	return out
}

// TestCodeDeployConfigResource: an AWS::CodeDeploy::DeploymentConfig is
// created with a name CloudFormation generates (stack, logical id,
// suffix), Ref is its name and the deployment group naming it by Ref
// uses it (before, the group fell back to its platform's default with a
// warning). ZonalConfig is accepted with a warning.
func TestCodeDeployConfigResource(t *testing.T) {
	res := loadText(t, "canary.yaml", canaryTemplate(t, "20", "10", "      ZonalConfig:\n        MonitorDurationInSeconds: 600\n"), nil)
	name := res.PhysicalIDs["Canary"]
	if !strings.Contains(name, "-Canary-") || len(name) > 100 {
		t.Errorf("generated name %q, want <stack>-Canary-<suffix>", name)
	}
	cfgs := codeDeployConfigs(res.Engine)
	c, ok := cfgs[name]
	if !ok || c.ComputePlatform != "ECS" || c.Type != "TimeBasedCanary" || c.Percentage != 20 || c.IntervalMinutes != 10 {
		t.Fatalf("configurations %+v, want %s: an ECS canary of 20%% for 10 minutes", cfgs, name)
	}
	_, groups := codeDeployGroups(res.Engine)
	if len(groups) != 1 || groups[0].ConfigName != name {
		t.Fatalf("groups %+v, want one using %s", groups, name)
	}
	zonal := false
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "does not create") {
			t.Errorf("warning %q: the configuration is created", w.Msg)
		}
		zonal = zonal || strings.Contains(w.Msg, "ZonalConfig")
	}
	if !zonal {
		t.Errorf("no warning that ZonalConfig is not modelled: %v", res.Warnings)
	}
}

// TestCodeDeployConfigRefused: CodeDeploy's refusals fail the resource: a
// canary of 100 percent, and a traffic routing configuration without a
// compute platform (Server, which takes minimum healthy hosts).
func TestCodeDeployConfigRefused(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, text, want string }{
		{"percent", canaryTemplate(t, "100", "10", ""), "InvalidTrafficRoutingConfigurationException"},
		{"no step", strings.Replace(canaryTemplate(t, "20", "10", ""), "        TimeBasedCanary:\n          CanaryPercentage: 20\n          CanaryInterval: 10\n", "", 1),
			"InvalidTrafficRoutingConfigurationException"},
		{"server", strings.Replace(canaryTemplate(t, "20", "10", ""), "      ComputePlatform: ECS\n      TrafficRoutingConfig:", "      TrafficRoutingConfig:", 1),
			"Traffic routing configuration is not supported for the Server compute platform"},
		{"hosts type", strings.Replace(canaryTemplate(t, "20", "10", ""), "      ComputePlatform: ECS\n      TrafficRoutingConfig:",
			"      MinimumHealthyHosts: {Type: HOSTS, Value: 1}\n      TrafficRoutingConfig:", 1), "InvalidMinimumHealthyHostValueException"},
		{"no value", strings.Replace(canaryTemplate(t, "20", "10", ""), "      ComputePlatform: ECS\n      TrafficRoutingConfig:",
			"      MinimumHealthyHosts: {Type: HOST_COUNT}\n      TrafficRoutingConfig:", 1), "The property {/MinimumHealthyHosts/Value} is required"},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".yaml")
		if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := cfn.Load(path, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
}

// TestCodeDeployConfigReplaceDelete: a changed interval replaces the
// configuration (every property is "Update requires: Replacement"), the
// group moves to the new one in place, and deleting the stack's resources
// deletes the configurations with the group.
func TestCodeDeployConfigReplaceDelete(t *testing.T) {
	parse := func(interval string) *cfn.Template {
		tpl, err := cfn.ParseTemplate("canary.yaml", []byte(canaryTemplate(t, "20", interval, "")))
		if err != nil {
			t.Fatal(err)
		}
		return tpl
	}
	e := cfn.NewEngine()
	names := engine.SeededIDs(35) // one source of generated names for the stack's life, as the endpoint's
	first, err := cfn.Deploy(e, parse("10"), cfn.DeployOptions{StackName: "canary", Names: names})
	if err != nil {
		t.Fatal(err)
	}
	old := ""
	for _, r := range first.Resources {
		if r.LogicalID == "Canary" {
			old = r.PhysicalID
		}
	}
	second, err := cfn.Deploy(e, parse("15"), cfn.DeployOptions{StackName: "canary", Names: names, Existing: existingOf(first)})
	if err != nil {
		t.Fatal(err)
	}
	now := ""
	for _, r := range second.Resources {
		switch r.LogicalID {
		case "Canary":
			now = r.PhysicalID
			if r.Change != cfn.ChangeReplace || now == old || !strings.HasPrefix(now, "canary-Canary-") {
				t.Errorf("Canary: %q %s, want a replacement of %s named canary-Canary-…", r.Change, now, old)
			}
		case "Group":
			if r.Change != cfn.ChangeModify {
				t.Errorf("Group: %q, want Modify", r.Change)
			}
		}
	}
	if c, ok := codeDeployConfigs(e)[now]; !ok || c.IntervalMinutes != 15 {
		t.Errorf("configuration %s: %+v, want a 15-minute interval", now, c)
	}
	if _, groups := codeDeployGroups(e); len(groups) != 1 || groups[0].ConfigName != now {
		t.Errorf("groups %+v, want one using %s", groups, now)
	}
	if _, ok := codeDeployConfigs(e)[old]; !ok {
		t.Errorf("the replaced configuration %s is gone before the stack's cleanup", old)
	}
	if err := cfn.DeleteResources(e, second.Resources); err != nil {
		t.Fatal(err)
	}
	if _, ok := codeDeployConfigs(e)[now]; ok {
		t.Errorf("configuration %s left after the delete", now)
	}
	if _, groups := codeDeployGroups(e); len(groups) != 0 {
		t.Errorf("groups left after the delete: %+v", groups)
	}
}

// TestCodeDeployConfigNamedReplace: a configuration with its
// DeploymentConfigName given cannot be replaced under the same name:
// CloudFormation refuses the update before CodeDeploy is asked.
func TestCodeDeployConfigNamedReplace(t *testing.T) {
	parse := func(interval string) *cfn.Template {
		text := strings.Replace(canaryTemplate(t, "20", interval, ""), "      ComputePlatform: ECS\n", "      ComputePlatform: ECS\n      DeploymentConfigName: shop-canary\n", 1)
		tpl, err := cfn.ParseTemplate("canary.yaml", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return tpl
	}
	e := cfn.NewEngine()
	first, err := cfn.Deploy(e, parse("10"), cfn.DeployOptions{StackName: "canary"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := codeDeployConfigs(e)["shop-canary"]; !ok {
		t.Fatalf("no configuration shop-canary: %v", codeDeployConfigs(e))
	}
	_, err = cfn.Deploy(e, parse("15"), cfn.DeployOptions{StackName: "canary", Existing: existingOf(first)})
	if err == nil || !strings.Contains(err.Error(), "CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename shop-canary") {
		t.Errorf("replacing shop-canary: %v, want CloudFormation's refusal", err)
	}
}
