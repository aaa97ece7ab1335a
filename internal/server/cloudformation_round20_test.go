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
)

// createRound20 creates a stack of a round-twenty template (edited by the
// replacements old, new, ...), with parameters.
func createRound20(t *testing.T, cf *cloudformation.Client, name, file string, params map[string]string, edits ...string) {
	t.Helper()
	body, err := os.ReadFile("../cfn/testdata/sweep20/" + file)
	must(t, err)
	text := string(body)
	for i := 0; i+1 < len(edits); i += 2 {
		text = strings.ReplaceAll(text, edits[i], edits[i+1])
	}
	var ps []cfntypes.Parameter
	for k, v := range params {
		ps = append(ps, cfntypes.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)})
	}
	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(text), Parameters: ps,
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityAutoExpand}})
	must(t, err)
}

// TestCloudFormationSweepRound20FargateSizeReason: the task definition of
// nathanpeck's task-definition-across-ec2-and-fargate pattern (256 CPU,
// 128 MiB for FARGATE) fails as on AWS: ECS names the pair, and the task
// definition's handler words it "Create TaskDefinition:" (before: the
// 2018 sentence, "RegisterTaskDefinition error:").
func TestCloudFormationSweepRound20FargateSizeReason(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	createRound20(t, cf, "production", "sio-cluster.yml", nil)
	waitStack(t, cf, "production", cfntypes.StackStatusCreateComplete)
	out := stackOutputs(t, cf, "production")
	createRound20(t, cf, "td", "td-across.yml", map[string]string{"Cluster": out["ClusterName"], "ServiceName": "nginx", "VpcId": out["VPCId"],
		"SubnetOne": out["PublicSubnetOne"], "SubnetTwo": out["PublicSubnetTwo"]},
		"\nProperties:", "\nParameters:", "Type: string", "Type: String")
	waitStack(t, cf, "td", cfntypes.StackStatusRollbackComplete)
	want := `SampleTaskDefinition CREATE_FAILED Resource handler returned message: "Invalid request provided: Create TaskDefinition: No Fargate configuration exists for given values: 256 CPU, 128 memory. See the Amazon ECS documentation for the valid values. (Service: AmazonECS; Status Code: 400; Error Code: ClientException; Request ID: `
	events := stackEventsOf(t, cf, "td")
	if !slices.ContainsFunc(events, func(e string) bool { return strings.HasPrefix(e, want) }) {
		t.Errorf("events = %q\nwant one starting %s", events, want)
	}
}

// TestCloudFormationSweepRound20SkippedShapes: the socket.io chat's
// resources stack on its cluster exports a DynamoDB table's name (its
// TableName), its stream's ARN, an OpenSearch Serverless collection's
// endpoint and a Redis node's address in AWS's shapes, and both stacks
// delete.
func TestCloudFormationSweepRound20SkippedShapes(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	createRound20(t, cf, "production", "sio-cluster.yml", nil)
	waitStack(t, cf, "production", cfntypes.StackStatusCreateComplete)
	createRound20(t, cf, "sio-resources", "sio-resources.yml", nil)
	waitStack(t, cf, "sio-resources", cfntypes.StackStatusCreateComplete)
	out := stackOutputs(t, cf, "sio-resources")
	for key, want := range map[string]string{
		"UsersTable":                `^production_Users$`,
		"MessagesTableStreamArn":    `^arn:aws:dynamodb:us-east-1:\d{12}:table/production_Messages/stream/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$`,
		"MessageCollectionEndpoint": `^https://[a-z0-9]{20}\.us-east-1\.aoss\.amazonaws\.com$`,
		"RedisEndpoint":             `^[a-z0-9-]+\.[a-z0-9]{6}\.0001\.use1\.cache\.amazonaws\.com$`,
	} {
		if !regexp.MustCompile(want).MatchString(out[key]) {
			t.Errorf("%s = %q, want %s", key, out[key], want)
		}
	}
	for _, name := range []string{"sio-resources", "production"} {
		d, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
		must(t, err)
		id := aws.ToString(d.Stacks[0].StackId)
		_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
		must(t, err)
		waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	}
}
