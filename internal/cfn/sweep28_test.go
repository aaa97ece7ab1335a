package cfn_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

func sweep28(name string) string { return filepath.Join("testdata", "sweep28", name) }

// TestSweep28BlueGreenTransform: a template with the
// AWS::CodeDeployBlueGreen transform and its AWS::CodeDeploy::BlueGreen
// hook (AWS's blue/green template example, jbennett7/ecs-codepipeline's
// BlueGreen.yml) creates its blue side as written: the EXTERNAL service,
// its task set, primary, running behind the blue target group. Before
// round twenty-eight every such template was refused ("Transform
// AWS::CodeDeployBlueGreen is not supported").
func TestSweep28BlueGreenTransform(t *testing.T) {
	res, err := cfn.Load(sweep28("bluegreen.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var svc *model.Service
	running := 0
	res.Engine.Read(func(st *model.State) {
		for _, s := range st.Services {
			svc = s
		}
		for _, task := range st.Tasks {
			if task.LastStatus == model.TaskRunning {
				running++
			}
		}
	})
	if svc == nil || svc.DeploymentController != "EXTERNAL" {
		t.Fatalf("service: %+v", svc)
	}
	if running != 2 {
		t.Errorf("%d running tasks, want 2 (the blue task set at 100%%)", running)
	}
}

// TestSweep28BlueGreenHookRefused: the transform refuses a hook not of its
// schema with CloudFormation's words (cloudformation-coverage-roadmap#821),
// at the line at fault: TaskSets beside ECSAttributes instead of in it
// (jbennett7/ecs-codepipeline's BlueGreen.yml), a second application, an
// unknown traffic routing type; a name the hook gives that is no resource
// of the right type, Outputs and Fn::ImportValue (the transform's
// documented limits) are refused too.
func TestSweep28BlueGreenHookRefused(t *testing.T) {
	body, err := os.ReadFile(sweep28("bluegreen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const schema = `Transform AWS::CodeDeployBlueGreen failed with: Failed to transform template. Failed to parse the "Hooks" section for the provided template. Please ensure the AWS::CodeDeploy::BlueGreen Hook matches the expected schema.`
	for _, c := range []struct{ name, old, new, want, at string }{
		{"task sets outside the attributes",
			"          ECSAttributes:\n            TaskDefinitions: [ShopTaskBlue, ShopTaskGreen]\n            TaskSets: [ShopSetBlue, ShopSetGreen]\n",
			"          TaskSets: [ShopSetBlue, ShopSetGreen]\n          ECSAttributes:\n            TaskDefinitions: [ShopTaskBlue, ShopTaskGreen]\n",
			schema, "          TaskSets: ["},
		{"unknown routing type", "        Type: TimeBasedLinear\n", "        Type: Linear10PercentEvery1Minute\n", schema, "Type: Linear10Percent"},
		{"no hook type", "    Type: AWS::CodeDeploy::BlueGreen\n", "    Type: AWS::CodeDeploy::DeploymentGroup\n", schema, "AWS::CodeDeploy::DeploymentGroup"},
		{"target not a service", "            LogicalID: Shop\n", "            LogicalID: Cluster\n",
			"Transform AWS::CodeDeployBlueGreen failed with: Failed to transform template. The Target logical ID [Cluster] of hook ShopRollout is not a resource of type AWS::ECS::Service in the Resources section.",
			"LogicalID: Cluster"},
		{"blue task set missing", "TaskSets: [ShopSetBlue,", "TaskSets: [ShopSetBlu,",
			"The TaskSets logical ID [ShopSetBlu] of hook ShopRollout is not a resource of type AWS::ECS::TaskSet", "TaskSets: [ShopSetBlu,"},
		{"outputs", "Resources:\n  Net:", "Outputs:\n  Url:\n    Value: !GetAtt Balancer.DNSName\nResources:\n  Net:",
			"Failed to transform template. Outputs are not supported in a template with the AWS::CodeDeploy::BlueGreen hook.", "Outputs:"},
		{"import", "Properties: {CidrBlock: 10.60.0.0/16,", "Properties: {CidrBlock: !ImportValue shared-cidr,",
			"Fn::ImportValue is not supported in a template with the AWS::CodeDeploy::BlueGreen hook.", "CidrBlock: !ImportValue"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(string(body), c.old) {
				t.Fatal("fixture changed")
			}
			tmpl := strings.Replace(string(body), c.old, c.new, 1)
			path := filepath.Join(t.TempDir(), "t.yaml")
			if err := os.WriteFile(path, []byte(tmpl), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := cfn.Load(path, nil)
			var ce *cfn.Error
			if !errors.As(err, &ce) || !strings.Contains(ce.Msg, c.want) {
				t.Fatalf("Load = %v, want %s", err, c.want)
			}
			if line := strings.Count(tmpl[:strings.Index(tmpl, c.at)], "\n") + 1; ce.Line != line {
				t.Errorf("line %d, want %d", ce.Line, line)
			}
		})
	}
}
