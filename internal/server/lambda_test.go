package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/store/bolt"
)

func lambdaClient(url string) *lambda.Client {
	return lambda.NewFromConfig(sdkConfig(), func(o *lambda.Options) { o.BaseEndpoint = aws.String(url) })
}

// tinyZip is a deployment package of one file.
func tinyZip(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	f, err := w.Create("index.js")
	must(t, err)
	_, err = f.Write([]byte("exports.handler = async () => ({});\n"))
	must(t, err)
	must(t, w.Close())
	return b.Bytes()
}

func lambdaRole(t *testing.T, c *iam.Client, name, service string) string {
	t.Helper()
	out, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"` + service + `"},"Action":"sts:AssumeRole"}]}`)})
	must(t, err)
	return aws.ToString(out.Role.Arn)
}

func lambdaErrMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorMessage()
	}
	return ""
}

// TestLambdaFunctions checks Lambda's control plane through the Go SDK:
// CreateFunction's refusals (a role Lambda cannot assume, a deprecated
// runtime, a package that is not a zip, a subnet that does not exist), a
// function in a VPC with a Hyperplane ENI per subnet that goes Pending →
// Active, updates, versions, permissions, concurrency, tags, pages and
// deletion (its ENIs with it).
func TestLambdaFunctions(t *testing.T) {
	t.Parallel()
	// A change stays InProgress (and a new function Pending) for a second
	// (Config.TaskStartDelay), so the request that must find it in
	// progress does, however late it comes; at the default (until the
	// next 10 ms step) it came too late about once in a hundred runs.
	slowChanges := func(e *engine.Engine) {
		c := e.Config()
		c.TaskStartDelay = time.Second
		engine.WithConfig(c)(e)
	}
	em := newEmulator(t, nil, slowChanges)
	c := lambdaClient(em.URL)
	ic := iamClient(em.URL)
	ec := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	role := lambdaRole(t, ic, "fn-role", "lambda.amazonaws.com")
	ecsRole := lambdaRole(t, ic, "task-role", "ecs-tasks.amazonaws.com")
	code := tinyZip(t)
	create := func(name, runtime, role string, code []byte, vpc *lambdatypes.VpcConfig) (*lambda.CreateFunctionOutput, error) {
		return c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String(name), Runtime: lambdatypes.Runtime(runtime),
			Handler: aws.String("index.handler"), Role: aws.String(role), Code: &lambdatypes.FunctionCode{ZipFile: code}, VpcConfig: vpc,
			Tags: map[string]string{"team": "net"}})
	}
	if _, err := create("f", "nodejs20.x", ecsRole, code, nil); apiCode(err) != "InvalidParameterValueException" ||
		lambdaErrMessage(err) != "The role defined for the function cannot be assumed by Lambda." {
		t.Errorf("a role for ecs-tasks: %v", err)
	}
	if _, err := create("f", "nodejs20.x", strings.Replace(role, "fn-role", "missing", 1), code, nil); apiCode(err) != "InvalidParameterValueException" {
		t.Errorf("a role that does not exist: %v", err)
	}
	if _, err := create("f", "nodejs12.x", role, code, nil); apiCode(err) != "InvalidParameterValueException" ||
		!strings.Contains(lambdaErrMessage(err), "The runtime parameter of nodejs12.x is no longer supported for creating or updating AWS Lambda functions.") {
		t.Errorf("a deprecated runtime: %v", err)
	}
	if _, err := create("f", "nodejs20.x", role, []byte("not a zip"), nil); apiCode(err) != "InvalidParameterValueException" ||
		lambdaErrMessage(err) != "Could not unzip uploaded file. Please check your file, then try to upload again." {
		t.Errorf("a package that is not a zip: %v", err)
	}
	vpc, err := ec.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	var subnets []string
	for i, cidr := range []string{"10.0.1.0/24", "10.0.2.0/24"} {
		s, err := ec.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String(cidr), AvailabilityZone: aws.String([]string{"us-east-1a", "us-east-1b"}[i])})
		must(t, err)
		subnets = append(subnets, aws.ToString(s.Subnet.SubnetId))
	}
	sg, err := ec.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: vpc.Vpc.VpcId, GroupName: aws.String("fn"), Description: aws.String("fn")})
	must(t, err)
	if _, err := create("f", "nodejs20.x", role, code, &lambdatypes.VpcConfig{SubnetIds: subnets}); apiCode(err) != "InvalidParameterValueException" ||
		lambdaErrMessage(err) != "SubnetIds and SecurityIds must coexist or be both empty list." {
		t.Errorf("subnets without security groups: %v", err)
	}
	if _, err := create("f", "nodejs20.x", role, code, &lambdatypes.VpcConfig{SubnetIds: []string{"subnet-0123456789abcdef0"}, SecurityGroupIds: []string{aws.ToString(sg.GroupId)}}); apiCode(err) != "InvalidParameterValueException" ||
		!strings.Contains(lambdaErrMessage(err), "InvalidSubnetID.NotFound") {
		t.Errorf("a subnet that does not exist: %v", err)
	}
	out, err := create("f", "nodejs20.x", role, code, &lambdatypes.VpcConfig{SubnetIds: subnets, SecurityGroupIds: []string{aws.ToString(sg.GroupId)}})
	must(t, err)
	if out.State != lambdatypes.StatePending || aws.ToString(out.FunctionArn) != "arn:aws:lambda:us-east-1:123456789012:function:f" ||
		aws.ToString(out.VpcConfig.VpcId) != aws.ToString(vpc.Vpc.VpcId) || out.CodeSize != int64(len(code)) || aws.ToInt32(out.Timeout) != 3 || aws.ToInt32(out.MemorySize) != 128 {
		t.Errorf("created: state %s arn %s vpc %v size %d", out.State, aws.ToString(out.FunctionArn), out.VpcConfig, out.CodeSize)
	}
	if _, err := create("f", "nodejs20.x", role, code, nil); apiCode(err) != "ResourceConflictException" || lambdaErrMessage(err) != "Function already exist: f" {
		t.Errorf("a second f: %v", err)
	}
	enis, err := ec.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{})
	must(t, err)
	var lambdaENIs int
	for _, n := range enis.NetworkInterfaces {
		if string(n.InterfaceType) == "lambda" && strings.HasPrefix(aws.ToString(n.Description), "AWS Lambda VPC ENI-f") {
			lambdaENIs++
		}
	}
	if lambdaENIs != 2 {
		t.Errorf("Hyperplane ENIs: %d, want one per subnet", lambdaENIs)
	}
	w := lambda.NewFunctionActiveV2Waiter(c, func(o *lambda.FunctionActiveV2WaiterOptions) { o.MinDelay, o.MaxDelay = 10e6, 50e6 })
	must(t, w.Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("f")}, patience))
	got, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("f")})
	must(t, err)
	if got.Configuration.State != lambdatypes.StateActive || got.Tags["team"] != "net" || aws.ToString(got.Code.RepositoryType) != "S3" {
		t.Errorf("got: %s tags %v", got.Configuration.State, got.Tags)
	}
	_, err = c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("nope")})
	if apiCode(err) != "ResourceNotFoundException" || lambdaErrMessage(err) != "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope" {
		t.Errorf("no function: %v", err)
	}
	_, err = c.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("f"), Qualifier: aws.String("7")})
	if apiCode(err) != "ResourceNotFoundException" || lambdaErrMessage(err) != "Function not found: arn:aws:lambda:us-east-1:123456789012:function:f:7" {
		t.Errorf("no version 7: %v", err)
	}
	upd, err := c.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("f"), Timeout: aws.Int32(30),
		Environment: &lambdatypes.Environment{Variables: map[string]string{"A": "1"}}})
	must(t, err)
	if upd.LastUpdateStatus != lambdatypes.LastUpdateStatusInProgress || aws.ToInt32(upd.Timeout) != 30 {
		t.Errorf("updated: %s %d", upd.LastUpdateStatus, aws.ToInt32(upd.Timeout))
	}
	if _, err := c.UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("f"), ZipFile: code}); apiCode(err) != "ResourceConflictException" ||
		!strings.Contains(lambdaErrMessage(err), "An update is in progress for resource: arn:aws:lambda:us-east-1:123456789012:function:f") {
		t.Errorf("code while an update is in progress: %v", err)
	}
	uw := lambda.NewFunctionUpdatedV2Waiter(c, func(o *lambda.FunctionUpdatedV2WaiterOptions) { o.MinDelay, o.MaxDelay = 10e6, 50e6 })
	must(t, uw.Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("f")}, patience))
	v1, err := c.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String("f")})
	must(t, err)
	if aws.ToString(v1.Version) != "1" || aws.ToString(v1.FunctionArn) != "arn:aws:lambda:us-east-1:123456789012:function:f:1" {
		t.Errorf("version: %s %s", aws.ToString(v1.Version), aws.ToString(v1.FunctionArn))
	}
	vs, err := c.ListVersionsByFunction(ctx, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String("f")})
	must(t, err)
	if len(vs.Versions) != 2 || aws.ToString(vs.Versions[0].Version) != "$LATEST" || aws.ToString(vs.Versions[1].Version) != "1" {
		t.Errorf("versions: %d", len(vs.Versions))
	}

	// Aliases.
	live, err := c.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String("f"), Name: aws.String("live"), FunctionVersion: aws.String("1")})
	must(t, err)
	if aws.ToString(live.AliasArn) != "arn:aws:lambda:us-east-1:123456789012:function:f:live" {
		t.Errorf("alias ARN %s", aws.ToString(live.AliasArn))
	}
	if _, err := c.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String("f"), Name: aws.String("live"), FunctionVersion: aws.String("1")}); apiCode(err) != "ResourceConflictException" ||
		lambdaErrMessage(err) != "Alias already exists: arn:aws:lambda:us-east-1:123456789012:function:f:live" {
		t.Errorf("a second alias live: %v", err)
	}
	if _, err := c.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String("f"), Name: aws.String("next"), FunctionVersion: aws.String("9")}); apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("an alias of no version: %v", err)
	}
	byAlias, err := c.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("f:live")})
	must(t, err)
	if aws.ToString(byAlias.Version) != "1" {
		t.Errorf("by alias: version %s", aws.ToString(byAlias.Version))
	}
	if _, err := c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String("f"), Qualifier: aws.String("1")}); apiCode(err) != "ResourceConflictException" {
		t.Errorf("deleting a version an alias names: %v", err)
	}
	al, err := c.ListAliases(ctx, &lambda.ListAliasesInput{FunctionName: aws.String("f")})
	must(t, err)
	if len(al.Aliases) != 1 {
		t.Errorf("aliases: %d", len(al.Aliases))
	}
	must2 := func(_ any, err error) { t.Helper(); must(t, err) }
	must2(c.UpdateAlias(ctx, &lambda.UpdateAliasInput{FunctionName: aws.String("f"), Name: aws.String("live"), FunctionVersion: aws.String("$LATEST")}))
	must2(c.DeleteAlias(ctx, &lambda.DeleteAliasInput{FunctionName: aws.String("f"), Name: aws.String("live")}))
	if _, err := c.GetAlias(ctx, &lambda.GetAliasInput{FunctionName: aws.String("f"), Name: aws.String("live")}); apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("a deleted alias: %v", err)
	}

	// Permissions.
	_, err = c.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String("f")})
	if apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("no policy: %v", err)
	}
	perm := &lambda.AddPermissionInput{FunctionName: aws.String("f"), StatementId: aws.String("events"), Action: aws.String("lambda:InvokeFunction"),
		Principal: aws.String("events.amazonaws.com"), SourceArn: aws.String("arn:aws:events:us-east-1:123456789012:rule/r")}
	added, err := c.AddPermission(ctx, perm)
	must(t, err)
	var stmt struct {
		Sid       string
		Principal struct{ Service string }
		Condition map[string]map[string]string
	}
	must(t, json.Unmarshal([]byte(aws.ToString(added.Statement)), &stmt))
	if stmt.Sid != "events" || stmt.Principal.Service != "events.amazonaws.com" || stmt.Condition["ArnLike"]["AWS:SourceArn"] != "arn:aws:events:us-east-1:123456789012:rule/r" {
		t.Errorf("statement: %s", aws.ToString(added.Statement))
	}
	if _, err := c.AddPermission(ctx, perm); apiCode(err) != "ResourceConflictException" {
		t.Errorf("the same sid again: %v", err)
	}
	pol, err := c.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String("f")})
	must(t, err)
	if !strings.Contains(aws.ToString(pol.Policy), `"Sid":"events"`) {
		t.Errorf("policy: %s", aws.ToString(pol.Policy))
	}
	must2(c.RemovePermission(ctx, &lambda.RemovePermissionInput{FunctionName: aws.String("f"), StatementId: aws.String("events")}))
	if _, err := c.RemovePermission(ctx, &lambda.RemovePermissionInput{FunctionName: aws.String("f"), StatementId: aws.String("events")}); apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("a removed statement: %v", err)
	}

	// Concurrency, tags, code signing, URL, invoke.
	must2(c.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("f"), ReservedConcurrentExecutions: aws.Int32(5)}))
	conc, err := c.GetFunctionConcurrency(ctx, &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String("f")})
	must(t, err)
	if aws.ToInt32(conc.ReservedConcurrentExecutions) != 5 {
		t.Errorf("concurrency: %v", conc.ReservedConcurrentExecutions)
	}
	if _, err := c.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("f"), ReservedConcurrentExecutions: aws.Int32(901)}); apiCode(err) != "InvalidParameterValueException" {
		t.Errorf("concurrency above the unreserved minimum: %v", err)
	}
	must2(c.DeleteFunctionConcurrency(ctx, &lambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String("f")}))
	arn := "arn:aws:lambda:us-east-1:123456789012:function:f"
	must2(c.TagResource(ctx, &lambda.TagResourceInput{Resource: aws.String(arn), Tags: map[string]string{"env": "dev"}}))
	must2(c.UntagResource(ctx, &lambda.UntagResourceInput{Resource: aws.String(arn), TagKeys: []string{"team"}}))
	tags, err := c.ListTags(ctx, &lambda.ListTagsInput{Resource: aws.String(arn)})
	must(t, err)
	if len(tags.Tags) != 1 || tags.Tags["env"] != "dev" {
		t.Errorf("tags: %v", tags.Tags)
	}
	must2(c.GetFunctionCodeSigningConfig(ctx, &lambda.GetFunctionCodeSigningConfigInput{FunctionName: aws.String("f")}))
	if _, err := c.GetFunctionUrlConfig(ctx, &lambda.GetFunctionUrlConfigInput{FunctionName: aws.String("f")}); apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("no function URL: %v", err)
	}

	inv, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("f"), Payload: []byte(`{"k":1}`)})
	must(t, err)
	if inv.StatusCode != 200 || string(inv.Payload) != "{}" || inv.FunctionError != nil {
		t.Errorf("invoke: %d %q", inv.StatusCode, inv.Payload)
	}
	if _, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("nope")}); apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("invoke of no function: %v", err)
	}

	// Pages.
	for _, name := range []string{"g", "h"} {
		_, err := create(name, "python3.12", role, code, nil)
		must(t, err)
	}
	var names []string
	p := lambda.NewListFunctionsPaginator(c, &lambda.ListFunctionsInput{MaxItems: aws.Int32(2)})
	for p.HasMorePages() {
		pg, err := p.NextPage(ctx)
		must(t, err)
		if len(pg.Functions) > 2 {
			t.Errorf("a page of %d", len(pg.Functions))
		}
		for _, f := range pg.Functions {
			names = append(names, aws.ToString(f.FunctionName))
		}
	}
	if strings.Join(names, ",") != "f,g,h" {
		t.Errorf("listed: %v", names)
	}

	// A container image function.
	img, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("img"), PackageType: lambdatypes.PackageTypeImage,
		Role: aws.String(role), Code: &lambdatypes.FunctionCode{ImageUri: aws.String("123456789012.dkr.ecr.us-east-1.amazonaws.com/fn:1")}})
	must(t, err)
	if img.PackageType != lambdatypes.PackageTypeImage || img.Runtime != "" {
		t.Errorf("image function: %s runtime %q", img.PackageType, img.Runtime)
	}
	gotImg, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("img")})
	must(t, err)
	if aws.ToString(gotImg.Code.RepositoryType) != "ECR" || aws.ToString(gotImg.Code.ImageUri) != "123456789012.dkr.ecr.us-east-1.amazonaws.com/fn:1" {
		t.Errorf("image code: %+v", gotImg.Code)
	}

	// Deletion takes the function's ENIs.
	must2(c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String("f")}))
	if _, err := c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String("f")}); apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("deleted twice: %v", err)
	}
	enis, err = ec.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{})
	must(t, err)
	for _, n := range enis.NetworkInterfaces {
		if string(n.InterfaceType) == "lambda" {
			t.Errorf("ENI %s left after the function", aws.ToString(n.NetworkInterfaceId))
		}
	}
}

// A function persists: its configuration, versions, policy, reserved
// concurrency and tags are there after a restart.
func TestLambdaFunctionPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	b, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	srv, url := startOn(t, b, false)
	role := lambdaRole(t, iamClient(url), "fn-role", "lambda.amazonaws.com")
	c := lambdaClient(url)
	_, err = c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("p"), Runtime: lambdatypes.RuntimePython312,
		Handler: aws.String("index.handler"), Role: aws.String(role), Code: &lambdatypes.FunctionCode{ZipFile: tinyZip(t)},
		Publish: true, Tags: map[string]string{"k": "v"}, Environment: &lambdatypes.Environment{Variables: map[string]string{"A": "1"}}})
	must(t, err)
	_, err = c.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("p"), StatementId: aws.String("s3"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com")})
	must(t, err)
	_, err = c.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("p"), ReservedConcurrentExecutions: aws.Int32(3)})
	must(t, err)
	srv.Close()
	must(t, b.Close())

	b2, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	t.Cleanup(func() { b2.Close() })
	_, url = startOn(t, b2, false)
	c = lambdaClient(url)
	got, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("p")})
	must(t, err)
	if got.Tags["k"] != "v" || got.Concurrency == nil || aws.ToInt32(got.Concurrency.ReservedConcurrentExecutions) != 3 ||
		got.Configuration.Environment == nil || got.Configuration.Environment.Variables["A"] != "1" {
		t.Errorf("after a restart: %+v", got)
	}
	vs, err := c.ListVersionsByFunction(ctx, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String("p")})
	must(t, err)
	if len(vs.Versions) != 2 {
		t.Errorf("versions after a restart: %d", len(vs.Versions))
	}
	pol, err := c.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String("p")})
	must(t, err)
	if !strings.Contains(aws.ToString(pol.Policy), `"Sid":"s3"`) {
		t.Errorf("policy after a restart: %s", aws.ToString(pol.Policy))
	}
}
