package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

const cfn38RuntimeTemplate = `
Parameters:
  Runtime: {Type: String, Default: nodejs22.x}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: rt38
      Runtime: !Ref Runtime
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code: {ZipFile: "exports.handler = async () => ({});"}
`

// TestRound38RuntimeUpdateStack: an UpdateStack that moves a function to a
// runtime past its "block function update" date fails the function with
// Lambda's words and rolls back (the function keeps its runtime); the
// Lambda API refuses the same change in UpdateFunctionConfiguration.
func TestRound38RuntimeUpdateStack(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("rt38"), TemplateBody: aws.String(cfn38RuntimeTemplate),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	id := aws.ToString(st.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(id), UsePreviousTemplate: aws.Bool(true),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam},
		Parameters:   []cfntypes.Parameter{{ParameterKey: aws.String("Runtime"), ParameterValue: aws.String("python3.9")}}})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete)
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(id)})
	must(t, err)
	var reason string
	for _, e := range ev.StackEvents {
		if aws.ToString(e.LogicalResourceId) == "Fn" && e.ResourceStatus == cfntypes.ResourceStatusUpdateFailed {
			reason = aws.ToString(e.ResourceStatusReason)
		}
	}
	want := `Resource handler returned message: "The runtime parameter of python3.9 is no longer supported for creating or updating AWS Lambda functions. ` +
		`We recommend you use the new runtime (python3.14) while creating or updating functions. (Service: Lambda, Status Code: 400, Request ID: `
	if !strings.HasPrefix(reason, want) {
		t.Errorf("Fn UPDATE_FAILED reason %q, want %q…", reason, want)
	}
	lc := lambdaClient(em.URL)
	fn, err := lc.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("rt38")})
	must(t, err)
	if fn.Configuration.Runtime != lambdatypes.RuntimeNodejs22x {
		t.Errorf("after the rollback the runtime is %s", fn.Configuration.Runtime)
	}
	_, err = lc.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("rt38"), Runtime: lambdatypes.RuntimeNodejs16x})
	if apiCode(err) != "InvalidParameterValueException" || lambdaErrMessage(err) !=
		"The runtime parameter of nodejs16.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (nodejs24.x) while creating or updating functions." {
		t.Errorf("UpdateFunctionConfiguration to nodejs16.x: %v", err)
	}
}
