package cfn_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
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

// TestSweep28SAMFunctionCode: SAM's transform refuses a function whose
// code it cannot place, as aws-sam-translator does, and CloudFormation
// reports every such function in one message: a CodeUri that is a local
// folder (the template was not packaged), an Image function without
// ImageUri (the ECS Anywhere workshop's SAM launcher, deployed without
// `sam build`). Packaged (an s3:// CodeUri, here from Globals, and an
// ImageUri) it deploys. Before round twenty-eight both were taken.
func TestSweep28SAMFunctionCode(t *testing.T) {
	const want = "Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document. Number of errors found: 2. " +
		"Resource with id [Launcher] is invalid. 'CodeUri' is not a valid S3 Uri of the form 's3://bucket/key' with optional versionId query parameter. " +
		"Resource with id [Renderer] is invalid. 'ImageUri' must be set."
	_, err := cfn.Load(sweep28("sam-functions.yaml"), nil)
	var ce *cfn.Error
	if !errors.As(err, &ce) || ce.Msg != want || ce.Line != 11 {
		t.Fatalf("Load = %v, want line 11: %s", err, want)
	}
	body, err := os.ReadFile(sweep28("sam-functions.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	packaged := strings.NewReplacer("      CodeUri: launcher/\n", "",
		"    Timeout: 20\n", "    Timeout: 20\n    CodeUri: s3://artifacts-123456789012/launcher.zip?versionId=3\n",
		"      PackageType: Image\n", "      PackageType: Image\n      ImageUri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/renderer:1\n").Replace(string(body))
	path := filepath.Join(t.TempDir(), "t.yaml")
	if err := os.WriteFile(path, []byte(packaged), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := cfn.Load(path, nil); err != nil {
		t.Fatalf("packaged: %v", err)
	}
}

// TestSweep28PrivateCAArn: a Service Connect TLS configuration names its
// private CA by the CA's Ref or Fn::GetAtt Arn, which CloudFormation gives
// as AWS Private CA's ARN, arn:aws:acm-pca:REGION:ACCOUNT:certificate-authority/UUID.
// Before round twenty-eight ecsnet's placeholder was
// "arn:aws:acmpca:…:certificateauthority/<stack>-Issuer-…", a service
// and a resource type that do not exist.
func TestSweep28PrivateCAArn(t *testing.T) {
	res, err := cfn.Load(sweep28("serviceconnect-tls.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	uuid := `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
	want := regexp.MustCompile(`^arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/` + uuid + `$`)
	if ref, arn := res.Outputs["IssuerRef"], res.Outputs["IssuerArn"]; !want.MatchString(ref) || arn != ref {
		t.Errorf("Ref %q, Fn::GetAtt Arn %q, want one ARN matching %s", ref, arn, want)
	}
}

// TestSweep28FluentBitParameter: a FireLens router whose Image is the
// public parameter /aws/service/aws-for-fluent-bit/stable (the CDK's
// firelens integration test reads …/latest) gets AWS for Fluent Bit's
// image URI in the region, and the task runs. Before round twenty-eight
// the value was the placeholder "ssm:/aws/…", an image reference ECS
// refuses (ECS_IMAGE_REFERENCE_INVALID), and the endpoint refused the
// stack ("Unable to fetch parameters …").
func TestSweep28FluentBitParameter(t *testing.T) {
	res, err := cfn.Load(sweep28("firelens.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Outputs["Router"], "906394416424.dkr.ecr.us-east-1.amazonaws.com/aws-for-fluent-bit:stable"; got != want {
		t.Errorf("RouterImage = %q, want %q", got, want)
	}
	running := 0
	res.Engine.Read(func(st *model.State) {
		for _, task := range st.Tasks {
			if task.LastStatus == model.TaskRunning {
				running++
			}
		}
	})
	if running != 1 {
		t.Errorf("%d running tasks, want 1", running)
	}
}
