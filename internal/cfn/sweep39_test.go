package cfn_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestSweep39: the round's public templates on one engine: Copilot's
// environment (sweep36) and its backend service, whose environment
// controller's function is nodejs16.x (created today: its block date moved
// to 2027) and which imports the environment's cluster, subnets, group and
// namespace; and serverless-patterns' s3-lambda, whose S3 event gives the
// bucket SAM's Lambda notification. Then the service is updated (TaskCount
// 2) and every stack deleted.
func TestSweep39(t *testing.T) {
	e := cfn.NewEngine()
	exports := map[string]cfn.Export{}
	owner := map[string]string{} // export name → its stack
	stacks := map[string]*cfn.Stack{}
	deploy := func(path, stack string, params map[string]string) *cfn.Stack {
		t.Helper()
		body, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		tmpl, err := cfn.ParseTemplate(filepath.Base(path), body)
		if err != nil {
			t.Fatal(err)
		}
		others := map[string]cfn.Export{}
		for name, x := range exports {
			if owner[name] != stack {
				others[name] = x // an update's own exports are its to keep
			}
		}
		o := cfn.DeployOptions{StackName: stack, Parameters: params, IAM: e, Exports: others}
		if prev := stacks[stack]; prev != nil {
			o.Existing = existingOf(prev)
		}
		res, err := cfn.Deploy(e, tmpl, o)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, x := range res.Exports {
			exports[x.Name], owner[x.Name] = x, stack
		}
		stacks[stack] = res
		return res
	}
	env := map[string]string{"AppName": "my-app", "EnvironmentName": "my-env", "ALBWorkloads": "", "InternalALBWorkloads": "", "EFSWorkloads": "",
		"NATWorkloads": "", "AppRunnerPrivateWorkloads": "", "ToolsAccountPrincipalARN": "arn:aws:iam::123456789012:root", "AppDNSName": "",
		"AppDNSDelegationRole": "", "Aliases": "", "CreateHTTPSListener": "false", "CreateInternalHTTPSListener": "false",
		"ServiceDiscoveryEndpoint": "my-env.my-app.local"}
	deploy(filepath.Join("testdata", "sweep36", "copilot-env-basic.yml"), "my-app-my-env", env)
	svc := map[string]string{"AppName": "my-app", "EnvName": "my-env", "WorkloadName": "simple-backend", "ContainerImage": "public.ecr.aws/nginx/nginx",
		"TaskCPU": "256", "TaskMemory": "512", "TaskCount": "1", "ContainerPort": "8080", "TargetContainer": "simple-backend", "TargetPort": "8080"}
	backend := filepath.Join("testdata", "sweep39", "copilot-backend-simple.yml")
	deploy(backend, "my-app-my-env-simple-backend", svc)
	svc["TaskCount"] = "2"
	res := deploy(backend, "my-app-my-env-simple-backend", svc)
	e.Read(func(st *model.State) {
		s := st.Services[res.PhysicalIDs["Service"]]
		if s == nil || s.DesiredCount != 2 {
			t.Errorf("backend service after the update: %+v", s)
		}
		if fn := st.LambdaFunctions[res.PhysicalIDs["EnvControllerFunction"]]; fn == nil || fn.Config.Runtime != "nodejs16.x" {
			t.Errorf("environment controller function %+v", fn)
		}
	})

	sam := deploy(filepath.Join("testdata", "sweep39", "sam-s3-lambda.yaml"), "sam-s3", nil)
	e.Read(func(st *model.State) {
		b := st.Buckets[sam.PhysicalIDs["SrcBucket"]]
		if b == nil || !strings.Contains(b.Configs["notification"], "<Event>s3:ObjectCreated:*</Event>") ||
			!strings.Contains(b.Configs["notification"], ":function:"+sam.PhysicalIDs["CreateThumbnail"]+"</CloudFunction>") {
			t.Errorf("bucket %+v", b)
		}
	})
	for _, name := range []string{"sam-s3", "my-app-my-env-simple-backend", "my-app-my-env"} {
		if err := cfn.DeleteResources(e, stacks[name].Resources); err != nil {
			t.Fatalf("delete %s: %v", name, err)
		}
	}
	e.Read(func(st *model.State) {
		if len(st.Buckets) != 0 || len(st.LambdaFunctions) != 0 {
			t.Errorf("after the deletes: %d buckets, %d functions", len(st.Buckets), len(st.LambdaFunctions))
		}
	})
}
