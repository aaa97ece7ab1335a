package server_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
)

// createRound21 creates a stack of a round-twenty-one template (edited by
// the replacements old, new, ...), with parameters.
func createRound21(t *testing.T, cf *cloudformation.Client, name, file string, params map[string]string, edits ...string) {
	t.Helper()
	body, err := os.ReadFile("../cfn/testdata/sweep21/" + file)
	must(t, err)
	text := string(body)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(text, edits[i]) {
			t.Fatalf("%s has no %q", file, edits[i])
		}
		text = strings.ReplaceAll(text, edits[i], edits[i+1])
	}
	var ps []cfntypes.Parameter
	for k, v := range params {
		ps = append(ps, cfntypes.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)})
	}
	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(text), Parameters: ps,
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityNamedIam}})
	must(t, err)
}

// deleteRound21 deletes stacks in order, each waited for.
func deleteRound21(t *testing.T, cf *cloudformation.Client, names ...string) {
	t.Helper()
	for _, name := range names {
		d, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
		must(t, err)
		id := aws.ToString(d.Stacks[0].StackId)
		_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
		must(t, err)
		waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	}
}

// TestCloudFormationSweepRound21ExternalTaskSets: aws-samples/
// ecs-bg-external-controller's app stack (a service of the EXTERNAL
// deployment controller without a TaskDefinition, an AWS::ECS::TaskSet
// at 100 percent behind the blue target group, an AWS::ECS::PrimaryTaskSet)
// is created as on AWS: Ref of the task set is Cluster|Service|Id, the
// service runs two tasks of its primary task set, and deleting the stack
// leaves the service INACTIVE with no task. Before round twenty-one it
// rolled back ("The property {/TaskDefinition} is required").
func TestCloudFormationSweepRound21ExternalTaskSets(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	createRound21(t, cf, "vpc", "vpc.yml", nil)
	waitStack(t, cf, "vpc", cfntypes.StackStatusCreateComplete)
	v := stackOutputs(t, cf, "vpc")
	createRound21(t, cf, "EcsBGSampleStack", "bg-infra.yml", map[string]string{"Vpc": v["VPCId"],
		"PublicSubnets":  v["PublicSubnetOne"] + "," + v["PublicSubnetTwo"],
		"PrivateSubnets": v["PrivateSubnetOne"] + "," + v["PrivateSubnetTwo"]})
	waitStack(t, cf, "EcsBGSampleStack", cfntypes.StackStatusCreateComplete)
	createRound21(t, cf, "bgapp", "bg-app.yml", nil)
	waitStack(t, cf, "bgapp", cfntypes.StackStatusCreateComplete)
	out := stackOutputs(t, cf, "bgapp")
	svcARN := `arn:aws:ecs:us-east-1:\d{12}:service/BlueGreenCluster/AwesomeApiService`
	if !regexp.MustCompile(`^BlueGreenCluster\|` + svcARN + `\|ecs-svc/\d+$`).MatchString(out["BlueTaskSet"]) {
		t.Errorf("Ref BlueTaskSet = %q, want BlueGreenCluster|<service ARN>|ecs-svc/<id>", out["BlueTaskSet"])
	}
	if !regexp.MustCompile(`^BlueGreenCluster\|` + svcARN + `$`).MatchString(out["PrimaryTaskSet"]) {
		t.Errorf("Ref PrimaryTaskSet = %q, want BlueGreenCluster|<service ARN>", out["PrimaryTaskSet"])
	}
	ecsc := ecs.NewFromConfig(sdkConfig(), func(o *ecs.Options) { o.BaseEndpoint = aws.String(em.URL) })
	d, err := ecsc.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("BlueGreenCluster"), Services: []string{"AwesomeApiService"}})
	must(t, err)
	s := d.Services[0]
	if len(s.TaskSets) != 1 || aws.ToString(s.TaskSets[0].Status) != "PRIMARY" || s.TaskSets[0].RunningCount != 2 ||
		!strings.HasSuffix(out["BlueTaskSet"], aws.ToString(s.TaskSets[0].Id)) {
		t.Errorf("task sets = %+v, want the stack's, PRIMARY with 2 running tasks", s.TaskSets)
	}
	deleteRound21(t, cf, "bgapp")
	d, err = ecsc.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("BlueGreenCluster"), Services: []string{"AwesomeApiService"}})
	must(t, err)
	if got := aws.ToString(d.Services[0].Status); got != "INACTIVE" {
		t.Errorf("service after delete-stack: %s, want INACTIVE", got)
	}
	tasks, err := ecsc.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("BlueGreenCluster")})
	must(t, err)
	if len(tasks.TaskArns) != 0 {
		t.Errorf("tasks after delete-stack: %v", tasks.TaskArns)
	}
	deleteRound21(t, cf, "EcsBGSampleStack", "vpc")
}
