package terraform_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

const cdBlueGreen = "testdata/tf35-codedeploy-bluegreen"

// codeDeployOf returns the state's CodeDeploy applications and groups.
func codeDeployOf(e *engine.Engine) (apps []*model.CodeDeployApp, groups []*model.CodeDeployGroup) {
	e.Read(func(st *model.State) {
		for _, a := range st.CodeDeployApps {
			apps = append(apps, a)
		}
		for _, g := range st.CodeDeployGroups {
			groups = append(groups, g)
		}
	})
	return apps, groups
}

// TestTF35CodeDeployBlueGreen: aws_codedeploy_app, _deployment_group and
// _deployment_config are created (before round thirty-five they were
// skipped as not modelled): the group names the CODE_DEPLOY service, its
// target group pair and the production and test listeners, and takes
// the configuration's termination wait and rollback.
func TestTF35CodeDeployBlueGreen(t *testing.T) {
	res := load(t, cdBlueGreen, nil)
	for _, s := range res.Skipped {
		if strings.HasPrefix(s.Type, "aws_codedeploy") {
			t.Errorf("skipped: %s (%s)", s.Address, s.Reason)
		}
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.String(), "aws_codedeploy") {
			t.Errorf("warning: %s", w)
		}
	}
	apps, groups := codeDeployOf(res.Engine)
	if len(apps) != 1 || apps[0].Name != "shop-app" || apps[0].ComputePlatform != "ECS" {
		t.Fatalf("applications %+v, want shop-app of the ECS platform", apps)
	}
	if len(groups) != 1 {
		t.Fatalf("%d deployment groups, want 1", len(groups))
	}
	g := groups[0]
	if g.Name != "shop-app-bg" || g.App != "shop-app" || g.DeploymentType != "BLUE_GREEN" || g.Option != "WITH_TRAFFIC_CONTROL" ||
		g.ConfigName != "CodeDeployDefault.ECSAllAtOnce" || g.TerminationWaitMinutes != 5 ||
		!strings.HasSuffix(g.ServiceRoleARN, ":role/shop-codedeploy") {
		t.Errorf("group %+v", g)
	}
	if len(g.ECSServices) != 1 || g.ECSServices[0] != (model.CodeDeployECSService{Cluster: "shop", Service: "app"}) {
		t.Errorf("ECS services %+v", g.ECSServices)
	}
	if len(g.TargetGroupPairs) != 1 || strings.Join(g.TargetGroupPairs[0].TargetGroups, ",") != "app-blue,app-green" ||
		len(g.TargetGroupPairs[0].ProdListeners) != 1 || len(g.TargetGroupPairs[0].TestListeners) != 1 ||
		g.TargetGroupPairs[0].ProdListeners[0] == g.TargetGroupPairs[0].TestListeners[0] {
		t.Errorf("target group pairs %+v", g.TargetGroupPairs)
	}
	rollback, _ := g.Config["autoRollbackConfiguration"].(map[string]any)
	if rollback["enabled"] != true || len(rollback["events"].([]any)) != 1 {
		t.Errorf("autoRollbackConfiguration %v", g.Config["autoRollbackConfiguration"])
	}
	bg, _ := g.Config["blueGreenDeploymentConfiguration"].(map[string]any)
	if ready, _ := bg["deploymentReadyOption"].(map[string]any); ready["actionOnTimeout"] != "CONTINUE_DEPLOYMENT" {
		t.Errorf("blueGreenDeploymentConfiguration %v", bg)
	}
}

// TestTF35CodeDeployCustomConfig: a group whose deployment_config_name is
// the configuration's id uses the custom canary.
func TestTF35CodeDeployCustomConfig(t *testing.T) {
	res := load(t, cdBlueGreen, map[string]string{"config": "custom"})
	_, groups := codeDeployOf(res.Engine)
	if len(groups) != 1 || groups[0].ConfigName != "shop-ecs-canary" {
		t.Fatalf("groups %+v, want one using shop-ecs-canary", groups)
	}
	var cfg model.CodeDeployConfig
	res.Engine.Read(func(st *model.State) {
		if c := st.CodeDeployConfigs["shop-ecs-canary"]; c != nil {
			cfg = *c
		}
	})
	if cfg.ComputePlatform != "ECS" || cfg.Type != "TimeBasedCanary" || cfg.Percentage != 25 || cfg.IntervalMinutes != 5 {
		t.Errorf("configuration %+v", cfg)
	}
}

// TestTF35CodeDeployRefused: CodeDeploy's refusals surface at the
// argument's line: a service of the ECS deployment controller, and the
// provider's default configuration (CodeDeployDefault.OneAtATime, of the
// Server platform) for an ECS group.
func TestTF35CodeDeployRefused(t *testing.T) {
	for _, tc := range []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"controller": "ECS"}, "InvalidECSServiceException: Deployment group's ECS service must be configured for a CODE_DEPLOY deployment controller."},
		{map[string]string{"config": "CodeDeployDefault.OneAtATime"}, "InvalidDeploymentConfigNameException"},
		{map[string]string{"config": "unset"}, "InvalidDeploymentConfigNameException: Deployment configuration CodeDeployDefault.OneAtATime"},
		{map[string]string{"config": "CodeDeployDefault.ECSCanary10Percent5Minutes"}, ""},
	} {
		res, err := terraform.Load(cdBlueGreen, terraform.Options{Vars: tc.vars})
		if tc.want == "" {
			if err != nil {
				t.Errorf("%v: %v", tc.vars, err)
			} else if _, groups := codeDeployOf(res.Engine); len(groups) != 1 || groups[0].ConfigName != tc.vars["config"] {
				t.Errorf("%v: groups %+v", tc.vars, groups)
			}
			continue
		}
		var te *terraform.Error
		if !errors.As(err, &te) || !strings.Contains(te.Msg, tc.want) || !strings.HasSuffix(te.File, "main.tf") || te.Line == 0 ||
			te.Address != "aws_codedeploy_deployment_group.app" {
			t.Errorf("%v: %v, want %q at a line of main.tf", tc.vars, err, tc.want)
		}
	}
}

// TestTF35CodeDeployTestListenerExplained: a probe of the test listener
// finds its target group empty and says why from the configuration's
// deployment group, as for a CloudFormation stack (TestSweep35CodeDeploy
// TestListenerExplained): the idle member of the group's pair, named
// with the group and its application.
func TestTF35CodeDeployTestListenerExplained(t *testing.T) {
	res := load(t, cdBlueGreen, map[string]string{"test_cidr": "0.0.0.0/0"})
	var dns string
	res.Engine.Read(func(st *model.State) {
		for _, lb := range st.LoadBalancers {
			dns = lb.DNSName
		}
	})
	r := probe(t, res.Engine, "internet", dns+":8080")
	said := ""
	for _, e := range r.Explanations {
		said += e.Message + "\n"
	}
	want := "the target group pair of the deployment group shop-app-bg of the application shop-app"
	if r.Verdict == reach.HTTP200 || !strings.Contains(said, "CodeDeploy blue/green deployment of the service app") || !strings.Contains(said, want) {
		t.Errorf("probe of the test listener: %s\n%s\nwant %q", r.Verdict, said, want)
	}
}

// TestTF35CodeDeployFromState: the three types are read from a state
// (terraform show -json), their unset blocks as the empty lists the state
// writes: a Server application's group on the provider's default
// configuration, and an ECS canary configuration.
func TestTF35CodeDeployFromState(t *testing.T) {
	state := `{"format_version": "1.0", "terraform_version": "1.11.0", "values": {"root_module": {"resources": [
 {"address": "aws_codedeploy_app.web", "mode": "managed", "type": "aws_codedeploy_app", "name": "web",
  "provider_name": "registry.terraform.io/hashicorp/aws",
  "values": {"id": "0f3e2d1c-aaaa-bbbb-cccc-0123456789ab:web", "name": "web", "compute_platform": "Server", "tags": {}}},
 {"address": "aws_codedeploy_deployment_config.canary", "mode": "managed", "type": "aws_codedeploy_deployment_config", "name": "canary",
  "provider_name": "registry.terraform.io/hashicorp/aws",
  "values": {"id": "ecs-canary", "deployment_config_name": "ecs-canary", "compute_platform": "ECS", "minimum_healthy_hosts": [],
   "traffic_routing_config": [{"type": "TimeBasedCanary", "time_based_canary": [{"interval": 15, "percentage": 10}], "time_based_linear": []}],
   "zonal_config": []}},
 {"address": "aws_codedeploy_deployment_group.web", "mode": "managed", "type": "aws_codedeploy_deployment_group", "name": "web",
  "provider_name": "registry.terraform.io/hashicorp/aws",
  "values": {"id": "5d4c3b2a-aaaa-bbbb-cccc-0123456789ab", "app_name": "web", "deployment_group_name": "web-fleet",
   "service_role_arn": "arn:aws:iam::123456789012:role/deployer", "deployment_config_name": "CodeDeployDefault.OneAtATime",
   "autoscaling_groups": ["web-asg"], "outdated_instances_strategy": "UPDATE", "termination_hook_enabled": false,
   "deployment_style": [{"deployment_option": "WITHOUT_TRAFFIC_CONTROL", "deployment_type": "IN_PLACE"}],
   "ec2_tag_filter": [{"key": "role", "type": "KEY_AND_VALUE", "value": "web"}], "ec2_tag_set": [], "ecs_service": [],
   "load_balancer_info": [], "blue_green_deployment_config": [], "alarm_configuration": [], "auto_rollback_configuration": [],
   "trigger_configuration": [], "on_premises_instance_tag_filter": [], "tags": {}},
  "depends_on": ["aws_codedeploy_app.web"]}
]}}}`
	path := t.TempDir() + "/state.json"
	if err := os.WriteFile(path, []byte(state), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := terraform.LoadJSON(path, terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	apps, groups := codeDeployOf(res.Engine)
	if len(apps) != 1 || apps[0].Name != "web" || apps[0].ComputePlatform != "Server" {
		t.Errorf("applications %+v", apps)
	}
	if len(groups) != 1 || groups[0].Name != "web-fleet" || groups[0].ConfigName != "CodeDeployDefault.OneAtATime" || groups[0].DeploymentType != "IN_PLACE" {
		t.Fatalf("groups %+v", groups)
	}
	filters, _ := groups[0].Config["ec2TagFilters"].([]any)
	if len(filters) != 1 || filters[0].(map[string]any)["Key"] != "role" {
		t.Errorf("ec2TagFilters %v", groups[0].Config["ec2TagFilters"])
	}
	var cfg model.CodeDeployConfig
	res.Engine.Read(func(st *model.State) {
		if c := st.CodeDeployConfigs["ecs-canary"]; c != nil {
			cfg = *c
		}
	})
	if cfg.ComputePlatform != "ECS" || cfg.Type != "TimeBasedCanary" || cfg.Percentage != 10 || cfg.IntervalMinutes != 15 {
		t.Errorf("configuration %+v", cfg)
	}
}
