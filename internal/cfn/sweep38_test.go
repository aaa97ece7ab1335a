package cfn_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func sweep38(name string) string { return filepath.Join("testdata", "sweep38", name) }

// TestSweep38: the round's public templates deploy on one engine as the
// reference architecture's master stack chains them (the VPC's outputs
// into the security groups, both into the load balancer, its listener
// into the two services), and aws-cloudformation-templates' ECS schedule
// example on the same VPC: its launch configuration's instance signals
// the group, its rule runs the task definition on the cluster.
func TestSweep38(t *testing.T) {
	e := cfn.NewEngine()
	outputs := map[string]string{}
	deploy := func(file, stack string, params map[string]string) *cfn.Stack {
		t.Helper()
		body, err := os.ReadFile(sweep38(file))
		if err != nil {
			t.Fatal(err)
		}
		tmpl, err := cfn.ParseTemplate(file, body)
		if err != nil {
			t.Fatal(err)
		}
		res, err := cfn.Deploy(e, tmpl, cfn.DeployOptions{StackName: stack, Parameters: params, IAM: e})
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, o := range res.Outputs {
			outputs[o.Name] = o.Value
		}
		return res
	}
	deploy("refarch-vpc.yaml", "refarch-vpc", map[string]string{"EnvironmentName": "refarch"})
	deploy("refarch-security-groups.yaml", "refarch-sg", map[string]string{"EnvironmentName": "refarch", "VPC": outputs["VPC"], "BastionCidr": "10.0.0.0/24"})
	deploy("refarch-load-balancers.yaml", "refarch-alb", map[string]string{"EnvironmentName": "refarch", "VPC": outputs["VPC"],
		"Subnets": outputs["PublicSubnets"], "SecurityGroup": outputs["LoadBalancerSecurityGroup"]})
	if _, err := e.CreateCluster(engine.CreateClusterInput{Name: "refarch"}); err != nil {
		t.Fatal(err)
	}
	deploy("refarch-product-service.yaml", "refarch-product", map[string]string{"VPC": outputs["VPC"], "Cluster": "refarch",
		"Listener": outputs["Listener"], "DesiredCount": "0"})
	deploy("refarch-website-service.yaml", "refarch-website", map[string]string{"VPC": outputs["VPC"], "Cluster": "refarch",
		"Listener": outputs["Listener"], "DesiredCount": "0", "ProductServiceUrl": "http://" + outputs["LoadBalancerUrl"] + "/products"})
	if _, _, err := e.CreateKeyPair("demo", "rsa", nil); err != nil {
		t.Fatal(err)
	}
	deploy("cfntemplates-ecs-schedule.yaml", "schedule", map[string]string{"KeyName": "demo", "VpcId": outputs["VPC"], "SubnetId": outputs["PublicSubnets"]})
	e.Read(func(st *model.State) {
		var rules int
		for _, r := range st.ListenerRules {
			if strings.Contains(string(r.ListenerARN), "/refarch/") {
				rules++
			}
		}
		if rules < 2 {
			t.Errorf("refarch listener: %d rules, want the product's and the website's", rules)
		}
		if len(st.EventRules) == 0 {
			t.Errorf("no scheduled rule")
		}
	})
}

// TestSweep38SAMHelloWorld: the template `sam init` writes reads SAM's
// implicit API (ServerlessRestApi, its Prod stage) and the role SAM makes
// for the function; before round 38 its outputs were an unresolved
// dependency on ServerlessRestApi.
func TestSweep38SAMHelloWorld(t *testing.T) {
	body, err := os.ReadFile(sweep38("sam-hello-world.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := cfn.ParseTemplate("sam-hello-world.yaml", body)
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	res, err := cfn.Deploy(e, tmpl, cfn.DeployOptions{StackName: "hello", IAM: e})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, o := range res.Outputs {
		out[o.Name] = o.Value
	}
	if !regexp.MustCompile(`^https://[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com/Prod/hello/$`).MatchString(out["HelloWorldApi"]) ||
		!strings.HasPrefix(out["HelloWorldFunction"], "arn:aws:lambda:us-east-1:123456789012:function:hello-HelloWorldFunction-") ||
		!strings.HasPrefix(out["HelloWorldFunctionIamRole"], "arn:aws:iam::123456789012:role/hello-HelloWorldFunctionRole-") {
		t.Errorf("outputs %v", out)
	}
	var perm bool
	for _, r := range res.Resources {
		perm = perm || r.LogicalID == "HelloWorldFunctionHelloWorldPermissionProd"
	}
	if !perm {
		t.Errorf("no permission for the API's event")
	}
}
