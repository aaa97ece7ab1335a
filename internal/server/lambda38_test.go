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

// TestLambdaTagsAndSettingsAsRecorded checks the tagging refusals AWS
// recorded (test_lambda_api.snapshot.json, test_tag_exceptions), the empty
// answer of GetFunctionCodeSigningConfig for a function without one, and
// GetAccountSettings.
func TestLambdaTagsAndSettingsAsRecorded(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := lambdaClient(em.URL)
	role := lambdaRole(t, iamClient(em.URL), "fn-role", "lambda.amazonaws.com")
	code := tinyZip(t)
	fn, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("fn"), Runtime: lambdatypes.RuntimeNodejs20x,
		Handler: aws.String("index.handler"), Role: aws.String(role), Code: &lambdatypes.FunctionCode{ZipFile: code}})
	must(t, err)
	arn := aws.ToString(fn.FunctionArn)
	must2 := func(_ any, err error) { t.Helper(); must(t, err) }
	if _, err := c.TagResource(ctx, &lambda.TagResourceInput{Resource: aws.String("arn:aws:something"), Tags: map[string]string{"a": "b"}}); apiCode(err) != "ValidationException" ||
		!strings.HasPrefix(lambdaErrMessage(err), "1 validation error detected: Value 'arn:aws:something' at 'resource' failed to satisfy constraint") {
		t.Errorf("TagResource of an ARN that is no Lambda ARN: %v", err)
	}
	if _, err := c.TagResource(ctx, &lambda.TagResourceInput{Resource: aws.String(arn + ":v1"), Tags: map[string]string{"a": "b"}}); apiCode(err) != "InvalidParameterValueException" ||
		lambdaErrMessage(err) != "Tags on function aliases and versions are not supported. Please specify a function ARN." {
		t.Errorf("TagResource of a qualified ARN: %v", err)
	}
	if _, err := c.TagResource(ctx, &lambda.TagResourceInput{Resource: aws.String(arn), Tags: map[string]string{}}); apiCode(err) != "InvalidParameterValueException" ||
		lambdaErrMessage(err) != "An error occurred and the request cannot be processed." {
		t.Errorf("TagResource without tags: %v", err)
	}
	must2(c.TagResource(ctx, &lambda.TagResourceInput{Resource: aws.String(arn), Tags: map[string]string{"a": "b"}}))
	must2(c.UntagResource(ctx, &lambda.UntagResourceInput{Resource: aws.String(arn), TagKeys: []string{"nomatch"}}))
	tags, err := c.ListTags(ctx, &lambda.ListTagsInput{Resource: aws.String(arn)})
	must(t, err)
	if len(tags.Tags) != 1 || tags.Tags["a"] != "b" {
		t.Errorf("tags: %v", tags.Tags)
	}

	csc, err := c.GetFunctionCodeSigningConfig(ctx, &lambda.GetFunctionCodeSigningConfigInput{FunctionName: aws.String("fn")})
	must(t, err)
	if csc.CodeSigningConfigArn != nil || csc.FunctionName != nil {
		t.Errorf("code signing configuration of a function without one: %q %q", aws.ToString(csc.CodeSigningConfigArn), aws.ToString(csc.FunctionName))
	}

	must2(c.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("fn"), ReservedConcurrentExecutions: aws.Int32(100)}))
	st, err := c.GetAccountSettings(ctx, &lambda.GetAccountSettingsInput{})
	must(t, err)
	if l, u := st.AccountLimit, st.AccountUsage; l.ConcurrentExecutions != 1000 || aws.ToInt32(l.UnreservedConcurrentExecutions) != 900 ||
		l.CodeSizeZipped != 52428800 || l.CodeSizeUnzipped != 262144000 || l.TotalCodeSize != 80530636800 ||
		u.FunctionCount != 1 || u.TotalCodeSize != int64(len(code)) {
		t.Errorf("account settings: %+v %+v", *l, *u)
	}
}

// TestLambdaEnvironmentLimitAsRecorded checks that the 4 KB of a
// function's environment are measured as JSON and quoted in the refusal
// (test_lambda_api.snapshot.json, test_large_environment_fails_multiple_keys),
// and that variables just under the limit are taken.
func TestLambdaEnvironmentLimitAsRecorded(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := lambdaClient(em.URL)
	role := lambdaRole(t, iamClient(em.URL), "fn-role", "lambda.amazonaws.com")
	create := func(name string, env map[string]string) error {
		_, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String(name), Runtime: lambdatypes.RuntimeNodejs20x,
			Handler: aws.String("index.handler"), Role: aws.String(role), Code: &lambdatypes.FunctionCode{ZipFile: tinyZip(t)},
			Environment: &lambdatypes.Environment{Variables: env}})
		return err
	}
	// {"LARGE_VAR":"x…"} is 4096 bytes with 4080 x's.
	must(t, create("near", map[string]string{"LARGE_VAR": strings.Repeat("x", 4080)}))
	big := map[string]string{"LARGE_VAR": strings.Repeat("x", 4080), "SMALL_VAR": "ok"}
	err := create("over", big)
	want := `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: {"LARGE_VAR":"` + strings.Repeat("x", 4080) + `","SMALL_VAR":"ok"}`
	if apiCode(err) != "InvalidParameterValueException" || lambdaErrMessage(err) != want {
		t.Errorf("over the limit: %v", err)
	}
}

// TestLambdaEventInvokeConfigs checks a function's asynchronous
// invocation settings through the Go SDK: Lambda's 404 "The function
// ARN:QUALIFIER doesn't have an EventInvokeConfig" for a function, a
// version or a function that does not exist (as AWS recorded,
// test_lambda_api.snapshot.json), Put's refusals, Update changing only
// what it names, List, Delete.
func TestLambdaEventInvokeConfigs(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := lambdaClient(em.URL)
	role := lambdaRole(t, iamClient(em.URL), "fn-role", "lambda.amazonaws.com")
	must2 := func(_ any, err error) { t.Helper(); must(t, err) }
	must2(c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("fn"), Runtime: lambdatypes.RuntimeNodejs20x,
		Handler: aws.String("index.handler"), Role: aws.String(role), Code: &lambdatypes.FunctionCode{ZipFile: tinyZip(t)}}))
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:"
	for _, tc := range []struct{ fn, qualifier, want string }{
		{"fn", "", arn + "fn:$LATEST"}, {"nope", "", arn + "nope:$LATEST"}, {"fn", "1221", arn + "fn:1221"},
	} {
		in := &lambda.GetFunctionEventInvokeConfigInput{FunctionName: aws.String(tc.fn)}
		if tc.qualifier != "" {
			in.Qualifier = aws.String(tc.qualifier)
		}
		if _, err := c.GetFunctionEventInvokeConfig(ctx, in); apiCode(err) != "ResourceNotFoundException" ||
			lambdaErrMessage(err) != "The function "+tc.want+" doesn't have an EventInvokeConfig" {
			t.Errorf("Get %s %q: %v", tc.fn, tc.qualifier, err)
		}
	}
	if _, err := c.PutFunctionEventInvokeConfig(ctx, &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("fn")}); apiCode(err) != "InvalidParameterValueException" {
		t.Errorf("Put of nothing: %v", err)
	}
	if _, err := c.PutFunctionEventInvokeConfig(ctx, &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("fn"), MaximumRetryAttempts: aws.Int32(3)}); apiCode(err) != "ValidationException" {
		t.Errorf("Put of 3 retries: %v", err)
	}
	if _, err := c.UpdateFunctionEventInvokeConfig(ctx, &lambda.UpdateFunctionEventInvokeConfigInput{FunctionName: aws.String("fn"), MaximumRetryAttempts: aws.Int32(1)}); apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("Update of no configuration: %v", err)
	}
	put, err := c.PutFunctionEventInvokeConfig(ctx, &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("fn"), MaximumRetryAttempts: aws.Int32(1)})
	must(t, err)
	if aws.ToString(put.FunctionArn) != arn+"fn:$LATEST" || aws.ToInt32(put.MaximumRetryAttempts) != 1 || put.MaximumEventAgeInSeconds != nil || put.LastModified == nil {
		t.Errorf("put: %+v", put)
	}
	must2(c.UpdateFunctionEventInvokeConfig(ctx, &lambda.UpdateFunctionEventInvokeConfigInput{FunctionName: aws.String("fn"), MaximumEventAgeInSeconds: aws.Int32(600),
		DestinationConfig: &lambdatypes.DestinationConfig{OnFailure: &lambdatypes.OnFailure{Destination: aws.String("arn:aws:sqs:us-east-1:123456789012:dlq")}}}))
	got, err := c.GetFunctionEventInvokeConfig(ctx, &lambda.GetFunctionEventInvokeConfigInput{FunctionName: aws.String("fn")})
	must(t, err)
	if aws.ToInt32(got.MaximumRetryAttempts) != 1 || aws.ToInt32(got.MaximumEventAgeInSeconds) != 600 ||
		aws.ToString(got.DestinationConfig.OnFailure.Destination) != "arn:aws:sqs:us-east-1:123456789012:dlq" {
		t.Errorf("after the update: %+v", got)
	}
	list, err := c.ListFunctionEventInvokeConfigs(ctx, &lambda.ListFunctionEventInvokeConfigsInput{FunctionName: aws.String("fn")})
	must(t, err)
	if len(list.FunctionEventInvokeConfigs) != 1 {
		t.Errorf("list: %d", len(list.FunctionEventInvokeConfigs))
	}
	must2(c.DeleteFunctionEventInvokeConfig(ctx, &lambda.DeleteFunctionEventInvokeConfigInput{FunctionName: aws.String("fn")}))
	if _, err := c.DeleteFunctionEventInvokeConfig(ctx, &lambda.DeleteFunctionEventInvokeConfigInput{FunctionName: aws.String("fn")}); apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("a second Delete: %v", err)
	}
}

// TestLambdaListsAsRecorded checks that ListFunctions and
// ListVersionsByFunction answer the subset of a configuration AWS lists
// (no State, LastUpdateStatus or RuntimeVersionConfig), $LATEST's ARN
// qualified in ListVersionsByFunction (test_lambda_api.snapshot.json,
// test_version_lifecycle's list_versions_result).
func TestLambdaListsAsRecorded(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := lambdaClient(em.URL)
	role := lambdaRole(t, iamClient(em.URL), "fn-role", "lambda.amazonaws.com")
	_, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("fn"), Runtime: lambdatypes.RuntimeNodejs20x,
		Handler: aws.String("index.handler"), Role: aws.String(role), Code: &lambdatypes.FunctionCode{ZipFile: tinyZip(t)}})
	must(t, err)
	fns, err := c.ListFunctions(ctx, &lambda.ListFunctionsInput{})
	must(t, err)
	vs, err := c.ListVersionsByFunction(ctx, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String("fn")})
	must(t, err)
	if len(fns.Functions) != 1 || len(vs.Versions) != 1 {
		t.Fatalf("listed %d functions, %d versions", len(fns.Functions), len(vs.Versions))
	}
	for _, f := range []lambdatypes.FunctionConfiguration{fns.Functions[0], vs.Versions[0]} {
		if f.State != "" || f.LastUpdateStatus != "" || f.StateReasonCode != "" || f.RuntimeVersionConfig != nil {
			t.Errorf("listed with %s %s %s %v", f.State, f.LastUpdateStatus, f.StateReasonCode, f.RuntimeVersionConfig)
		}
	}
	if got := aws.ToString(fns.Functions[0].FunctionArn); got != "arn:aws:lambda:us-east-1:123456789012:function:fn" {
		t.Errorf("ListFunctions ARN %s", got)
	}
	if got := aws.ToString(vs.Versions[0].FunctionArn); got != "arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST" {
		t.Errorf("ListVersionsByFunction ARN %s", got)
	}
}

// TestLambdaAliasRefusalsAsRecorded checks CreateAlias's refusals of a
// routing configuration and GetAlias's 404 with AWS's recorded texts
// (test_lambda_api.snapshot.json, TestLambdaAlias's routing_config_exc_*,
// alias_does_not_exist_esc).
func TestLambdaAliasRefusalsAsRecorded(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := lambdaClient(em.URL)
	role := lambdaRole(t, iamClient(em.URL), "fn-role", "lambda.amazonaws.com")
	must2 := func(_ any, err error) { t.Helper(); must(t, err) }
	must2(c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("fn"), Runtime: lambdatypes.RuntimeNodejs20x,
		Handler: aws.String("index.handler"), Role: aws.String(role), Code: &lambdatypes.FunctionCode{ZipFile: tinyZip(t)}, Publish: true}))
	active := lambda.NewFunctionActiveV2Waiter(c, func(o *lambda.FunctionActiveV2WaiterOptions) { o.MinDelay, o.MaxDelay = 10e6, 50e6 })
	must(t, active.Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("fn")}, 10e9))
	must2(c.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("fn"), Description: aws.String("v2")}))
	updated := lambda.NewFunctionUpdatedV2Waiter(c, func(o *lambda.FunctionUpdatedV2WaiterOptions) { o.MinDelay, o.MaxDelay = 10e6, 50e6 })
	must(t, updated.Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("fn")}, 10e9))
	must2(c.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String("fn")}))
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:"
	for _, tc := range []struct {
		fn, version string
		weights     map[string]float64
		code, msg   string
	}{
		{"fn", "1", map[string]float64{"1": 0.5, "2": 0.5}, "InvalidParameterValueException", "Number of items in AdditionalVersionWeights cannot be greater than 1"},
		{"fn", "1", map[string]float64{"2": 2}, "ValidationException", "1 validation error detected: Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]"},
		{"fn", "1", map[string]float64{"$LATEST": 0.5}, "ValidationException", "1 validation error detected: Value '{$LATEST=0.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not be null]"},
		{"fn", "1", map[string]float64{"1": 0.5}, "InvalidParameterValueException", "Invalid function version 1. Function version 1 is already included in routing configuration."},
		{"fn", "10", map[string]float64{"2": 0.5}, "ResourceNotFoundException", "Function not found: " + arn + "fn:10"},
		{"fn", "1", map[string]float64{"10": 0.5}, "ResourceNotFoundException", "Function not found: " + arn + "fn:10"},
		{"fn", "$LATEST", map[string]float64{"2": 0.5}, "InvalidParameterValueException", "$LATEST is not supported for an alias pointing to more than 1 version"},
		{"fn-unknown", "1", map[string]float64{"2": 0.5}, "ResourceNotFoundException", "Function not found: " + arn + "fn-unknown:1"},
	} {
		_, err := c.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String(tc.fn), Name: aws.String("custom"), FunctionVersion: aws.String(tc.version),
			RoutingConfig: &lambdatypes.AliasRoutingConfiguration{AdditionalVersionWeights: tc.weights}})
		if apiCode(err) != tc.code || lambdaErrMessage(err) != tc.msg {
			t.Errorf("%s %s %v: %v", tc.fn, tc.version, tc.weights, err)
		}
	}
	if _, err := c.GetAlias(ctx, &lambda.GetAliasInput{FunctionName: aws.String("fn"), Name: aws.String("non-existent")}); apiCode(err) != "ResourceNotFoundException" ||
		lambdaErrMessage(err) != "Cannot find alias arn: "+arn+"fn:non-existent" {
		t.Errorf("GetAlias of no alias: %v", err)
	}
}

// TestLambdaFunctionURLConfigs checks function URL configurations through
// the Go SDK: "Function does not exist" for Create and List of a function
// that does not exist, a version number refused as a qualifier (as AWS
// recorded, test_lambda_api.snapshot.json, TestLambdaUrl), Create's answer
// without InvokeMode, Update, Get and List with it, Delete, and Get's 404.
func TestLambdaFunctionURLConfigs(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := lambdaClient(em.URL)
	role := lambdaRole(t, iamClient(em.URL), "fn-role", "lambda.amazonaws.com")
	must2 := func(_ any, err error) { t.Helper(); must(t, err) }
	must2(c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("fn"), Runtime: lambdatypes.RuntimeNodejs20x,
		Handler: aws.String("index.handler"), Role: aws.String(role), Code: &lambdatypes.FunctionCode{ZipFile: tinyZip(t)}, Publish: true}))
	must2(c.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String("fn"), Name: aws.String("live"), FunctionVersion: aws.String("1")}))
	if _, err := c.ListFunctionUrlConfigs(ctx, &lambda.ListFunctionUrlConfigsInput{FunctionName: aws.String("nope")}); apiCode(err) != "ResourceNotFoundException" ||
		lambdaErrMessage(err) != "Function does not exist" {
		t.Errorf("List of no function: %v", err)
	}
	if _, err := c.CreateFunctionUrlConfig(ctx, &lambda.CreateFunctionUrlConfigInput{FunctionName: aws.String("nope"), AuthType: lambdatypes.FunctionUrlAuthTypeNone}); lambdaErrMessage(err) != "Function does not exist" {
		t.Errorf("Create of no function: %v", err)
	}
	if _, err := c.CreateFunctionUrlConfig(ctx, &lambda.CreateFunctionUrlConfigInput{FunctionName: aws.String("fn"), Qualifier: aws.String("1"), AuthType: lambdatypes.FunctionUrlAuthTypeNone}); apiCode(err) != "ValidationException" {
		t.Errorf("Create of a version: %v", err)
	}
	created, err := c.CreateFunctionUrlConfig(ctx, &lambda.CreateFunctionUrlConfigInput{FunctionName: aws.String("fn"), AuthType: lambdatypes.FunctionUrlAuthTypeNone,
		Cors: &lambdatypes.Cors{AllowOrigins: []string{"https://example.com"}, MaxAge: aws.Int32(300)}})
	must(t, err)
	url := aws.ToString(created.FunctionUrl)
	if !strings.HasPrefix(url, "https://") || !strings.HasSuffix(url, ".lambda-url.us-east-1.on.aws/") || created.InvokeMode != "" ||
		aws.ToString(created.FunctionArn) != "arn:aws:lambda:us-east-1:123456789012:function:fn" || aws.ToInt32(created.Cors.MaxAge) != 300 {
		t.Errorf("created: %s %s %q", url, aws.ToString(created.FunctionArn), created.InvokeMode)
	}
	if _, err := c.CreateFunctionUrlConfig(ctx, &lambda.CreateFunctionUrlConfigInput{FunctionName: aws.String("fn"), AuthType: lambdatypes.FunctionUrlAuthTypeNone}); apiCode(err) != "ResourceConflictException" {
		t.Errorf("a second URL: %v", err)
	}
	must2(c.CreateFunctionUrlConfig(ctx, &lambda.CreateFunctionUrlConfigInput{FunctionName: aws.String("fn"), Qualifier: aws.String("live"), AuthType: lambdatypes.FunctionUrlAuthTypeAwsIam}))
	upd, err := c.UpdateFunctionUrlConfig(ctx, &lambda.UpdateFunctionUrlConfigInput{FunctionName: aws.String("fn"), AuthType: lambdatypes.FunctionUrlAuthTypeAwsIam})
	must(t, err)
	if upd.AuthType != lambdatypes.FunctionUrlAuthTypeAwsIam || aws.ToString(upd.FunctionUrl) != url || upd.InvokeMode != lambdatypes.InvokeModeBuffered || aws.ToInt32(upd.Cors.MaxAge) != 300 {
		t.Errorf("updated: %s %s %s", upd.AuthType, aws.ToString(upd.FunctionUrl), upd.InvokeMode)
	}
	list, err := c.ListFunctionUrlConfigs(ctx, &lambda.ListFunctionUrlConfigsInput{FunctionName: aws.String("fn")})
	must(t, err)
	if len(list.FunctionUrlConfigs) != 2 {
		t.Errorf("listed %d", len(list.FunctionUrlConfigs))
	}
	must2(c.DeleteFunctionUrlConfig(ctx, &lambda.DeleteFunctionUrlConfigInput{FunctionName: aws.String("fn")}))
	if _, err := c.GetFunctionUrlConfig(ctx, &lambda.GetFunctionUrlConfigInput{FunctionName: aws.String("fn")}); lambdaErrMessage(err) != "The resource you requested does not exist." {
		t.Errorf("Get after Delete: %v", err)
	}
	must2(c.DeleteAlias(ctx, &lambda.DeleteAliasInput{FunctionName: aws.String("fn"), Name: aws.String("live")}))
	if list, err := c.ListFunctionUrlConfigs(ctx, &lambda.ListFunctionUrlConfigsInput{FunctionName: aws.String("fn")}); err != nil || len(list.FunctionUrlConfigs) != 0 {
		t.Errorf("the alias's URL outlived it: %v", err)
	}
}
