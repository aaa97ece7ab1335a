package server_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

const lambdaStackTemplate = `
Parameters:
  Memory: {Type: Number, Default: 128}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !GetAtt Role.Arn
      MemorySize: !Ref Memory
      Environment: {Variables: {STAGE: prod}}
      Tags: [{Key: team, Value: net}]
      Code:
        ZipFile: |
          def handler(event, context):
              return {}
Outputs:
  Name: {Value: !Ref Fn}
  Arn: {Value: !GetAtt Fn.Arn}
`

// TestCloudFormationLambdaFunction: a stack's AWS::Lambda::Function is a
// function of the Lambda API (GetFunction, ListFunctions), with a
// generated name, its ARN from Fn::GetAtt, updated in place by a stack
// update and deleted with the stack; a role Lambda cannot assume fails the
// resource with Lambda's words.
func TestCloudFormationLambdaFunction(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cloudformation.NewFromConfig(sdkConfig(), func(o *cloudformation.Options) { o.BaseEndpoint = aws.String(em.URL) })
	lc := lambdaClient(em.URL)
	caps := []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}

	created, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("fns"),
		TemplateBody: aws.String(lambdaStackTemplate), Capabilities: caps})
	must(t, err)
	waitStack(t, cf, aws.ToString(created.StackId), cfntypes.StackStatusCreateComplete)
	out := stackOutputs(t, cf, "fns")
	name := out["Name"]
	if !strings.HasPrefix(name, "fns-Fn-") || len(name) > 64 {
		t.Errorf("generated function name %q, want fns-Fn-<suffix>", name)
	}
	got, err := lc.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)})
	must(t, err)
	c := got.Configuration
	if aws.ToString(c.FunctionArn) != out["Arn"] || out["Arn"] != "arn:aws:lambda:us-east-1:123456789012:function:"+name ||
		string(c.Runtime) != "python3.12" || aws.ToInt32(c.MemorySize) != 128 || string(c.State) != "Active" ||
		c.Environment == nil || c.Environment.Variables["STAGE"] != "prod" {
		t.Errorf("function %+v, outputs %v", c, out)
	}
	if got.Tags["team"] != "net" || got.Tags["aws:cloudformation:logical-id"] != "Fn" || got.Tags["aws:cloudformation:stack-name"] != "fns" {
		t.Errorf("tags %v", got.Tags)
	}
	list, err := lc.ListFunctions(ctx, &lambda.ListFunctionsInput{})
	must(t, err)
	if len(list.Functions) != 1 || aws.ToString(list.Functions[0].FunctionName) != name {
		t.Errorf("ListFunctions %d functions", len(list.Functions))
	}

	// An update of MemorySize is in place: the same function.
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("fns"), TemplateBody: aws.String(lambdaStackTemplate),
		Capabilities: caps, Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Memory"), ParameterValue: aws.String("512")}}})
	must(t, err)
	waitStack(t, cf, aws.ToString(created.StackId), cfntypes.StackStatusUpdateComplete)
	if out2 := stackOutputs(t, cf, "fns"); out2["Name"] != name {
		t.Errorf("the update replaced the function: %q, was %q", out2["Name"], name)
	}
	conf, err := lc.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name)})
	must(t, err)
	if aws.ToInt32(conf.MemorySize) != 512 {
		t.Errorf("memory after the update %d, want 512", aws.ToInt32(conf.MemorySize))
	}

	// The Resource Groups Tagging API lists the function and tags it.
	if os.Getenv("ECSNET_NO_CLIENT_TESTS") != "1" {
		requireTool(t, "aws", "--version")
		cli := func(args ...string) []byte {
			cmd := exec.Command("aws", append([]string{"--endpoint-url", em.URL, "--output", "json"}, args...)...)
			cmd.Env = append(os.Environ(), "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
				"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("aws %v: %v\n%s", args, err, out)
			}
			return out
		}
		var res struct {
			ResourceTagMappingList []struct{ ResourceARN string }
		}
		must(t, json.Unmarshal(cli("resourcegroupstaggingapi", "get-resources", "--resource-type-filters", "lambda:function"), &res))
		if len(res.ResourceTagMappingList) != 1 || res.ResourceTagMappingList[0].ResourceARN != out["Arn"] {
			t.Errorf("get-resources lambda:function %+v", res)
		}
		var tagged struct{ FailedResourcesMap map[string]any }
		must(t, json.Unmarshal(cli("resourcegroupstaggingapi", "tag-resources", "--resource-arn-list", out["Arn"], "--tags", "cost=ops"), &tagged))
		tags, err := lc.ListTags(ctx, &lambda.ListTagsInput{Resource: aws.String(out["Arn"])})
		must(t, err)
		if len(tagged.FailedResourcesMap) != 0 || tags.Tags["cost"] != "ops" {
			t.Errorf("tag-resources: failed %v, tags %v", tagged.FailedResourcesMap, tags.Tags)
		}
	}

	// A role for ECS tasks: Lambda refuses it and the stack rolls back.
	bad := strings.Replace(lambdaStackTemplate, "lambda.amazonaws.com", "ecs-tasks.amazonaws.com", 1)
	failed, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("bad-fns"), TemplateBody: aws.String(bad), Capabilities: caps})
	must(t, err)
	waitStack(t, cf, aws.ToString(failed.StackId), cfntypes.StackStatusRollbackComplete)
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: failed.StackId})
	must(t, err)
	reason := ""
	for _, e := range ev.StackEvents {
		if aws.ToString(e.LogicalResourceId) == "Fn" && e.ResourceStatus == cfntypes.ResourceStatusCreateFailed {
			reason = aws.ToString(e.ResourceStatusReason)
		}
	}
	if !strings.Contains(reason, "The role defined for the function cannot be assumed by Lambda.") || !strings.Contains(reason, "Service: Lambda") {
		t.Errorf("Fn's failure: %q", reason)
	}

	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("fns")})
	must(t, err)
	waitStack(t, cf, aws.ToString(created.StackId), cfntypes.StackStatusDeleteComplete)
	if _, err := lc.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)}); apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("GetFunction after the stack's deletion: %v", err)
	}
}
