package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// TestLambdaAnswersAsRecorded checks, through the Go SDK, the answers
// LocalStack's AWS-validated Lambda API tests recorded from AWS
// (tests/aws/services/lambda_/test_lambda_api.snapshot.json): a function
// being created has no LastUpdateStatus, an update in progress says "The
// function is being created.", the RevisionId changes when the creation or
// the update completes, a Zip function names its runtime version, an ARN
// of another region finds no function, DeleteFunction answers 204 (and a
// version that does not exist is deleted already), GetFunctionUrlConfig
// of a function that does not exist answers the URL's 404, and Invoke
// answers 202 for an Event and 204 for a DryRun.
func TestLambdaAnswersAsRecorded(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := lambdaClient(em.URL)
	role := lambdaRole(t, iamClient(em.URL), "fn-role", "lambda.amazonaws.com")
	created, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("fn"), Runtime: lambdatypes.RuntimePython312,
		Handler: aws.String("handler.handler"), Role: aws.String(role), Code: &lambdatypes.FunctionCode{ZipFile: tinyZip(t)}})
	must(t, err)
	if created.State != lambdatypes.StatePending || created.LastUpdateStatus != "" {
		t.Errorf("created: State %s LastUpdateStatus %q, want Pending and none", created.State, created.LastUpdateStatus)
	}
	rv := created.RuntimeVersionConfig
	if rv == nil || !strings.HasPrefix(aws.ToString(rv.RuntimeVersionArn), "arn:aws:lambda:us-east-1::runtime:") {
		t.Errorf("RuntimeVersionConfig: %+v", rv)
	}
	wait := func() *lambda.GetFunctionOutput {
		t.Helper()
		w := lambda.NewFunctionUpdatedV2Waiter(c, func(o *lambda.FunctionUpdatedV2WaiterOptions) { o.MinDelay, o.MaxDelay = 10e6, 50e6 })
		must(t, w.Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("fn")}, 10e9))
		got, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("fn")})
		must(t, err)
		return got
	}
	active := wait()
	if active.Configuration.State != lambdatypes.StateActive || active.Configuration.LastUpdateStatus != lambdatypes.LastUpdateStatusSuccessful ||
		aws.ToString(active.Configuration.RevisionId) == aws.ToString(created.RevisionId) {
		t.Errorf("active: %s %s revision %s (created %s): want a new revision", active.Configuration.State, active.Configuration.LastUpdateStatus,
			aws.ToString(active.Configuration.RevisionId), aws.ToString(created.RevisionId))
	}
	upd, err := c.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("fn"), Runtime: lambdatypes.RuntimePython311})
	must(t, err)
	if upd.LastUpdateStatus != lambdatypes.LastUpdateStatusInProgress || aws.ToString(upd.LastUpdateStatusReason) != "The function is being created." ||
		upd.LastUpdateStatusReasonCode != "Creating" {
		t.Errorf("update: %s %q %q", upd.LastUpdateStatus, aws.ToString(upd.LastUpdateStatusReason), upd.LastUpdateStatusReasonCode)
	}
	if aws.ToString(upd.RuntimeVersionConfig.RuntimeVersionArn) == aws.ToString(rv.RuntimeVersionArn) {
		t.Errorf("the runtime version of python3.11 is python3.12's")
	}
	if updated := wait(); aws.ToString(updated.Configuration.RevisionId) == aws.ToString(upd.RevisionId) {
		t.Errorf("the revision did not change when the update completed")
	}

	wrong := "arn:aws:lambda:eu-central-1:123456789012:function:fn"
	const wrongMsg = "Functions from 'eu-central-1' are not reachable in this region ('us-east-1')"
	if _, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(wrong)}); apiCode(err) != "ResourceNotFoundException" || lambdaErrMessage(err) != wrongMsg {
		t.Errorf("GetFunction of another region: %v", err)
	}
	if _, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(wrong)}); lambdaErrMessage(err) != wrongMsg {
		t.Errorf("Invoke of another region: %v", err)
	}
	if _, err := c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(wrong)}); lambdaErrMessage(err) != wrongMsg {
		t.Errorf("DeleteFunction of another region: %v", err)
	}

	inv, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("fn")})
	must(t, err)
	if inv.StatusCode != 200 || aws.ToString(inv.ExecutedVersion) != "$LATEST" {
		t.Errorf("RequestResponse: %d %q", inv.StatusCode, aws.ToString(inv.ExecutedVersion))
	}
	for typ, want := range map[lambdatypes.InvocationType]int32{lambdatypes.InvocationTypeEvent: 202, lambdatypes.InvocationTypeDryRun: 204} {
		inv, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("fn"), InvocationType: typ})
		must(t, err)
		if inv.StatusCode != want || len(inv.Payload) != 0 {
			t.Errorf("%s: status %d payload %q, want %d and none", typ, inv.StatusCode, inv.Payload, want)
		}
	}

	if _, err := c.GetFunctionUrlConfig(ctx, &lambda.GetFunctionUrlConfigInput{FunctionName: aws.String("nope")}); apiCode(err) != "ResourceNotFoundException" ||
		lambdaErrMessage(err) != "The resource you requested does not exist." {
		t.Errorf("GetFunctionUrlConfig of no function: %v", err)
	}
	if _, err := c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String("arn:aws:lambda:us-east-1:123456789012:function:nope:$LATEST"), Qualifier: aws.String("$LATEST")}); apiCode(err) != "InvalidParameterValueException" ||
		lambdaErrMessage(err) != "$LATEST version cannot be deleted without deleting the function." {
		t.Errorf("DeleteFunction $LATEST of no function: %v", err)
	}
	for range 2 {
		del, err := c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String("fn"), Qualifier: aws.String("1233")})
		must(t, err)
		if del.StatusCode != 204 {
			t.Errorf("DeleteFunction of a version that does not exist: %d", del.StatusCode)
		}
	}
	del, err := c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String("fn")})
	must(t, err)
	if del.StatusCode != 204 {
		t.Errorf("DeleteFunction: %d, want 204", del.StatusCode)
	}
	if _, err := c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String("fn"), Qualifier: aws.String("1233")}); apiCode(err) != "ResourceNotFoundException" ||
		lambdaErrMessage(err) != "Function not found: arn:aws:lambda:us-east-1:123456789012:function:fn" {
		t.Errorf("DeleteFunction with a qualifier of a deleted function: %v", err)
	}
}
