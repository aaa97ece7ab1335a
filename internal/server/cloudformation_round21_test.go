package server_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
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
	// A new Scale updates the task set in place (UpdateTaskSet): the same
	// id, half the tasks.
	body, err := os.ReadFile("../cfn/testdata/sweep21/bg-app.yml")
	must(t, err)
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("bgapp"),
		TemplateBody: aws.String(strings.Replace(string(body), "Value: 100", "Value: 50", 1)),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityNamedIam}})
	must(t, err)
	waitStack(t, cf, "bgapp", cfntypes.StackStatusUpdateComplete)
	if got := stackOutputs(t, cf, "bgapp")["BlueTaskSet"]; got != out["BlueTaskSet"] {
		t.Errorf("Ref BlueTaskSet after the update = %q, want %q (in place)", got, out["BlueTaskSet"])
	}
	d, err = ecsc.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("BlueGreenCluster"), Services: []string{"AwesomeApiService"}})
	must(t, err)
	if ts := d.Services[0].TaskSets; len(ts) != 1 || ts[0].Scale == nil || ts[0].Scale.Value != 50 || ts[0].RunningCount != 1 {
		t.Errorf("task sets after the update = %+v, want one at 50 percent with 1 running task", ts)
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

// TestCloudFormationSweepRound21LogGroupBesideService: the yelb sample's
// stack (aws-samples/ecs-service-connect-yelb-sample-app, trimmed to its
// database service) creates the awslogs log group its tasks write to as
// its last resource, referenced by a parameter, not by Ref of the
// resource. On AWS the group exists within a second of the stack's start,
// long before a Fargate task starts its log driver; before round
// twenty-one ecsnet created it after the service, whose tasks then failed
// ("The specified log group does not exist") and the stack rolled back
// (the test turns the circuit breaker of the sample's other services on
// for this one, so that the failure ends the create at once).
func TestCloudFormationSweepRound21LogGroupBesideService(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	// the user's images, pushed by the sample's setup.sh
	_, err := ecrClient(em.URL).CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("yelb-db")})
	must(t, err)
	_, err = ecrClient(em.URL).PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("yelb-db"), ImageTag: aws.String("latest"),
		ImageManifest: aws.String(`{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":1,"digest":"sha256:` + strings.Repeat("ab", 32) + `"},"layers":[]}`)})
	must(t, err)
	createRound21(t, cf, "yelb", "yelb.yml", nil, "MinimumHealthyPercent: 0", "MinimumHealthyPercent: 0\n        DeploymentCircuitBreaker:\n          Enable: true\n          Rollback: true")
	waitStack(t, cf, "yelb", cfntypes.StackStatusCreateComplete)
	ecsc := ecs.NewFromConfig(sdkConfig(), func(o *ecs.Options) { o.BaseEndpoint = aws.String(em.URL) })
	d, err := ecsc.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("yelb-cluster"), Services: []string{"yelb-db"}})
	must(t, err)
	if s := d.Services[0]; s.RunningCount != 1 {
		t.Errorf("yelb-db runs %d tasks, want 1", s.RunningCount)
	}
	deleteRound21(t, cf, "yelb")
}

// sbNetworkExports are the exports a user adds to chtzuehlke/
// SpringBootFargateCloudFormationSample's network-cf.yaml (that version
// exports nothing, and its lb-cf.yaml's first Fn::ImportValue fails, as
// on AWS: "No export named net-LoadBalancerSG found").
var sbNetworkExports = []string{"  LoadBalancerSG:\n    Value: !Ref LoadBalancerSG\n", "  LoadBalancerSG:\n    Value: !Ref LoadBalancerSG\n    Export:\n      Name: !Sub ${AWS::StackName}-LoadBalancerSG\n" +
	"  VPC:\n    Value: !Ref VPC\n    Export:\n      Name: !Sub ${AWS::StackName}-VPC\n  Subnets:\n    Value: !Join [\",\", !Ref Subnets]\n    Export:\n      Name: !Sub ${AWS::StackName}-Subnets\n"}

// TestCloudFormationSweepRound21ImportsBySub: a stack whose
// Fn::ImportValue names are built with Fn::Sub (lb-cf.yaml:
// !Sub ${NetworkStack}-LoadBalancerSG) keeps those exports in use:
// DeleteStack of the exporting stack is refused in an event ("Export …
// cannot be deleted as it is in use by …"), nothing of it is deleted, and
// ListImports names the importer. Before round twenty-one ecsnet recorded
// only the export names written literally in the template, so the
// network stack's deletion went on, deleted what it could and ended
// DELETE_FAILED on the groups the load balancer still used.
func TestCloudFormationSweepRound21ImportsBySub(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	createRound21(t, cf, "vpc", "vpc.yml", nil)
	waitStack(t, cf, "vpc", cfntypes.StackStatusCreateComplete)
	v := stackOutputs(t, cf, "vpc")
	createRound21(t, cf, "net", "sb-network.yml", map[string]string{"VPC": v["VPCId"], "Subnets": v["PublicSubnetOne"] + "," + v["PublicSubnetTwo"]},
		sbNetworkExports...)
	waitStack(t, cf, "net", cfntypes.StackStatusCreateComplete)
	createRound21(t, cf, "lb", "sb-lb.yml", map[string]string{"NetworkStack": "net"})
	waitStack(t, cf, "lb", cfntypes.StackStatusCreateComplete)
	imp, err := cf.ListImports(ctx, &cloudformation.ListImportsInput{ExportName: aws.String("net-Subnets")})
	must(t, err)
	if len(imp.Imports) != 1 || imp.Imports[0] != "lb" {
		t.Errorf("ListImports net-Subnets = %v, want [lb]", imp.Imports)
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("net")})
	must(t, err)
	d, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("net")})
	must(t, err)
	if s := d.Stacks[0].StackStatus; s != cfntypes.StackStatusCreateComplete {
		t.Errorf("net after DeleteStack: %s, want CREATE_COMPLETE", s)
	}
	events := stackEventsOf(t, cf, "net")
	if !slices.ContainsFunc(events, func(e string) bool {
		return strings.Contains(e, "Export net-LoadBalancerSG cannot be deleted as it is in use by lb")
	}) {
		t.Errorf("events = %q, want the refusal", events)
	}
	r, err := cf.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String("net")})
	must(t, err)
	for _, res := range r.StackResources {
		if res.ResourceStatus != cfntypes.ResourceStatusCreateComplete {
			t.Errorf("%s: %s", aws.ToString(res.LogicalResourceId), res.ResourceStatus)
		}
	}
	deleteRound21(t, cf, "lb", "net", "vpc")
}
