package cfn_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

func sweep21(file string) string { return repoFile("internal/cfn/testdata/sweep21/" + file) }

// base21 deploys the stand-in VPC of round twenty-one (two public and two
// private subnets, a cluster and two ALBs; aws-cloudformation-templates'
// Fargate private-vpc) as the stack "vpc".
func base21(t *testing.T) *cfn.Result {
	t.Helper()
	base, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep21("vpc.yml"), Name: "vpc"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return base
}

// load21 deploys round-twenty-one stacks on eng, as `ecsnet check --base`
// does.
func load21(t *testing.T, eng *engine.Engine, stacks ...cfn.StackInput) (*cfn.Result, error) {
	t.Helper()
	for i := range stacks {
		stacks[i].Path = sweep21(stacks[i].Path)
	}
	return cfn.LoadStacks(stacks, cfn.LoadOptions{Engine: eng, EngineOptions: []engine.Option{engine.WithStartCheck(reach.StartCheck)}})
}

// TestSweep21ExternalTaskSets: aws-samples/ecs-bg-external-controller's
// app stack makes a service of the EXTERNAL deployment controller without
// a TaskDefinition (the resource's schema requires none), a task set of
// two tasks behind the blue target group, and makes it primary. Before
// round twenty-one the service was refused ("The property
// {/TaskDefinition} is required") and task sets were not modelled.
func TestSweep21ExternalTaskSets(t *testing.T) {
	base := base21(t)
	params := map[string]string{"Vpc": base.Outputs["VPCId"],
		"PublicSubnets":  base.Outputs["PublicSubnetOne"] + "," + base.Outputs["PublicSubnetTwo"],
		"PrivateSubnets": base.Outputs["PrivateSubnetOne"] + "," + base.Outputs["PrivateSubnetTwo"]}
	res, err := load21(t, base.Engine, cfn.StackInput{Path: "bg-infra.yml", Name: "EcsBGSampleStack", Parameters: params},
		cfn.StackInput{Path: "bg-app.yml", Name: "bgapp"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	res.Engine.Read(func(st *model.State) {
		for _, s := range st.Services {
			if s.Name != "AwesomeApiService" {
				continue
			}
			for _, ts := range s.TaskSets {
				got = append(got, ts.Status+" "+ts.TaskDefinitionARN[strings.LastIndexByte(ts.TaskDefinitionARN, '/')+1:])
			}
			if s.TaskDefinitionARN == "" {
				got = append(got, "service without its primary task set's task definition")
			}
		}
		running := 0
		for _, tk := range st.Tasks {
			if tk.LastStatus == "RUNNING" {
				running++
			}
		}
		got = append(got, strings.Repeat("task ", running))
	})
	if want := []string{"PRIMARY BlueTaskDefinition:1", "task task "}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("task sets and running tasks = %q, want %q", got, want)
	}
}

// TestSweep21CDKExternalController: the AWS CDK's
// integ.external-deploy-controller snapshot declares a service of the
// EXTERNAL deployment controller with neither TaskDefinition nor launch
// type (CDK's FargateService with an external controller); CloudFormation
// creates it. Before round twenty-one ecsnet refused it ("The property
// {/TaskDefinition} is required").
func TestSweep21CDKExternalController(t *testing.T) {
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep21("cdk-external.template.json"), Name: "aws-ecs-integ"}},
		cfn.LoadOptions{SSM: map[string]string{"/cdk-bootstrap/hnb659fds/version": "21"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	res.Engine.Read(func(st *model.State) {
		for _, s := range st.Services {
			got = append(got, s.DeploymentController+" "+s.Status+" "+s.TaskDefinitionARN)
		}
	})
	if want := []string{"EXTERNAL ACTIVE "}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("services = %q, want %q", got, want)
	}
}
