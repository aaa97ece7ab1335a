package server_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

func stsClient(url string, cfg aws.Config) *sts.Client {
	return sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(url) })
}

func ssmClient(url string) *ssm.Client {
	return ssm.NewFromConfig(sdkConfig(), func(o *ssm.Options) { o.BaseEndpoint = aws.String(url) })
}

func TestSTSCallerIdentityAndAssumeRole(t *testing.T) {
	em := newEmulator(t, nil)
	c := stsClient(em.URL, sdkConfig())
	id, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id.Account) != "123456789012" || aws.ToString(id.Arn) != "arn:aws:iam::123456789012:root" || aws.ToString(id.UserId) != "123456789012" {
		t.Fatalf("root identity %s %s %s", aws.ToString(id.Account), aws.ToString(id.Arn), aws.ToString(id.UserId))
	}
	ar, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/app/deployer"), RoleSessionName: aws.String("ci")})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(aws.ToString(ar.Credentials.AccessKeyId), "ASIA") || ar.Credentials.Expiration == nil {
		t.Fatalf("credentials %+v", ar.Credentials)
	}
	if got := aws.ToString(ar.AssumedRoleUser.Arn); got != "arn:aws:sts::123456789012:assumed-role/deployer/ci" {
		t.Fatalf("assumed role arn %s", got)
	}
	// The temporary credentials work, and say who they are.
	cfg := sdkConfig()
	cfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(ar.Credentials.AccessKeyId),
		aws.ToString(ar.Credentials.SecretAccessKey), aws.ToString(ar.Credentials.SessionToken))
	as, err := stsClient(em.URL, cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(as.Arn) != aws.ToString(ar.AssumedRoleUser.Arn) || aws.ToString(as.UserId) != aws.ToString(ar.AssumedRoleUser.AssumedRoleId) {
		t.Fatalf("assumed identity %s %s", aws.ToString(as.Arn), aws.ToString(as.UserId))
	}
	if _, err := stsClient(em.URL, cfg).GetSessionToken(ctx, &sts.GetSessionTokenInput{}); apiCode(err) != "AccessDenied" {
		t.Fatalf("GetSessionToken with session credentials: %v", err)
	}
	if _, err := c.GetSessionToken(ctx, &sts.GetSessionTokenInput{}); err != nil {
		t.Fatal(err)
	}
	wi, err := c.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String("arn:aws:iam::210987654321:role/gha"),
		RoleSessionName: aws.String("run-1"), WebIdentityToken: aws.String("eyJhbGciOi.payload.sig")})
	if err != nil || aws.ToString(wi.AssumedRoleUser.Arn) != "arn:aws:sts::210987654321:assumed-role/gha/run-1" {
		t.Fatalf("web identity: %+v %v", wi, err)
	}
	if _, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/x"), RoleSessionName: aws.String("bad name")}); apiCode(err) != "ValidationError" {
		t.Fatalf("bad session name: %v", err)
	}
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func TestSSMPublicParameters(t *testing.T) {
	em := newEmulator(t, nil)
	c := ssmClient(em.URL)
	get := func(name string) string {
		t.Helper()
		out, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name)})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return aws.ToString(out.Parameter.Value)
	}
	al2 := get("/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id")
	if !strings.HasPrefix(al2, "ami-") || len(al2) != 21 {
		t.Fatalf("AL2 ECS AMI %q", al2)
	}
	if rec := get("/aws/service/ecs/optimized-ami/amazon-linux-2/recommended"); !strings.Contains(rec, `"image_id":"`+al2+`"`) {
		t.Fatalf("recommended JSON %s does not hold %s", rec, al2)
	}
	for _, n := range []string{"/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
		"/aws/service/ecs/optimized-ami/amazon-linux-2/arm64/recommended/image_id",
		"/aws/service/ecs/optimized-ami/windows_server/2022/english/full/recommended/image_id",
		"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
		"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.12-x86_64"} {
		if v := get(n); v == al2 || !strings.HasPrefix(v, "ami-") {
			t.Errorf("%s = %s", n, v)
		}
	}
	if get("/aws/service/global-infrastructure/regions/eu-west-1/longName") != "Europe (Ireland)" {
		t.Error("region long name")
	}
	// Another region has other AMI ids.
	cfg := sdkConfig()
	cfg.Region = "eu-west-1"
	euc := ssm.NewFromConfig(cfg, func(o *ssm.Options) { o.BaseEndpoint = aws.String(em.URL) })
	eu, err := euc.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id")})
	if err != nil || aws.ToString(eu.Parameter.Value) == al2 {
		t.Fatalf("eu-west-1: %v %v", eu, err)
	}
	// By path, paginated.
	var names []string
	p := ssm.NewGetParametersByPathPaginator(c, &ssm.GetParametersByPathInput{Path: aws.String("/aws/service/ecs/optimized-ami/amazon-linux-2023"), Recursive: aws.Bool(true)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, pr := range page.Parameters {
			names = append(names, aws.ToString(pr.Name))
		}
	}
	if len(names) < 16 || !contains(names, "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id") {
		t.Fatalf("by path: %d %v", len(names), names)
	}
	if _, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/aws/service/nope")}); apiCode(err) != "ParameterNotFound" {
		t.Fatalf("missing public parameter: %v", err)
	}
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

func TestSSMUserParameters(t *testing.T) {
	em := newEmulator(t, nil)
	c := ssmClient(em.URL)
	put := func(in *ssm.PutParameterInput) (*ssm.PutParameterOutput, error) { return c.PutParameter(ctx, in) }
	if out, err := put(&ssm.PutParameterInput{Name: aws.String("/app/db/password"), Value: aws.String("s3cret"), Type: ssmtypes.ParameterTypeSecureString,
		Tags: []ssmtypes.Tag{{Key: aws.String("team"), Value: aws.String("web")}}}); err != nil || out.Version != 1 {
		t.Fatalf("put: %v %v", out, err)
	}
	if _, err := put(&ssm.PutParameterInput{Name: aws.String("/app/db/password"), Value: aws.String("x"), Type: ssmtypes.ParameterTypeSecureString}); apiCode(err) != "ParameterAlreadyExists" {
		t.Fatalf("second put: %v", err)
	}
	if out, err := put(&ssm.PutParameterInput{Name: aws.String("/app/db/password"), Value: aws.String("n3w"), Overwrite: aws.Bool(true)}); err != nil || out.Version != 2 {
		t.Fatalf("overwrite: %v %v", out, err)
	}
	if _, err := put(&ssm.PutParameterInput{Name: aws.String("/app/hosts"), Value: aws.String("a,b"), Type: ssmtypes.ParameterTypeStringList}); err != nil {
		t.Fatal(err)
	}
	if _, err := put(&ssm.PutParameterInput{Name: aws.String("/aws/mine"), Value: aws.String("a"), Type: ssmtypes.ParameterTypeString}); apiCode(err) != "ValidationException" {
		t.Fatalf("reserved name: %v", err)
	}
	if _, err := put(&ssm.PutParameterInput{Name: aws.String("/app/new"), Value: aws.String("a")}); apiCode(err) != "ValidationException" {
		t.Fatalf("no type: %v", err)
	}
	enc, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/app/db/password")})
	if err != nil || aws.ToString(enc.Parameter.Value) == "n3w" || enc.Parameter.Type != ssmtypes.ParameterTypeSecureString {
		t.Fatalf("without decryption: %+v %v", enc, err)
	}
	dec, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/app/db/password"), WithDecryption: aws.Bool(true)})
	if err != nil || aws.ToString(dec.Parameter.Value) != "n3w" {
		t.Fatalf("with decryption: %v", err)
	}
	v1, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/app/db/password:1"), WithDecryption: aws.Bool(true)})
	if err != nil || aws.ToString(v1.Parameter.Value) != "s3cret" || aws.ToString(v1.Parameter.Selector) != ":1" {
		t.Fatalf("version 1: %+v %v", v1, err)
	}
	if _, err := c.LabelParameterVersion(ctx, &ssm.LabelParameterVersionInput{Name: aws.String("/app/db/password"), ParameterVersion: aws.Int64(1), Labels: []string{"old"}}); err != nil {
		t.Fatal(err)
	}
	if l, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/app/db/password:old"), WithDecryption: aws.Bool(true)}); err != nil || aws.ToString(l.Parameter.Value) != "s3cret" {
		t.Fatalf("label: %v", err)
	}
	h, err := c.GetParameterHistory(ctx, &ssm.GetParameterHistoryInput{Name: aws.String("/app/db/password")})
	if err != nil || len(h.Parameters) != 2 || h.Parameters[0].Labels[0] != "old" {
		t.Fatalf("history: %+v %v", h, err)
	}
	gp, err := c.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{"/app/hosts", "/app/missing"}})
	if err != nil || len(gp.Parameters) != 1 || len(gp.InvalidParameters) != 1 || gp.InvalidParameters[0] != "/app/missing" {
		t.Fatalf("GetParameters: %+v %v", gp, err)
	}
	bp, err := c.GetParametersByPath(ctx, &ssm.GetParametersByPathInput{Path: aws.String("/app")})
	if err != nil || len(bp.Parameters) != 1 || aws.ToString(bp.Parameters[0].Name) != "/app/hosts" {
		t.Fatalf("one level: %+v %v", bp, err)
	}
	dp, err := c.DescribeParameters(ctx, &ssm.DescribeParametersInput{ParameterFilters: []ssmtypes.ParameterStringFilter{
		{Key: aws.String("Type"), Values: []string{"SecureString"}}}})
	if err != nil || len(dp.Parameters) != 1 || dp.Parameters[0].Version != 2 || aws.ToString(dp.Parameters[0].KeyId) != "alias/aws/ssm" {
		t.Fatalf("describe: %+v %v", dp, err)
	}
	if _, err := c.AddTagsToResource(ctx, &ssm.AddTagsToResourceInput{ResourceType: ssmtypes.ResourceTypeForTaggingParameter,
		ResourceId: aws.String("/app/db/password"), Tags: []ssmtypes.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}); err != nil {
		t.Fatal(err)
	}
	tl, err := c.ListTagsForResource(ctx, &ssm.ListTagsForResourceInput{ResourceType: ssmtypes.ResourceTypeForTaggingParameter, ResourceId: aws.String("/app/db/password")})
	if err != nil || len(tl.TagList) != 2 {
		t.Fatalf("tags: %+v %v", tl, err)
	}
	if _, err := c.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String("/app/hosts")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String("/app/hosts")}); apiCode(err) != "ParameterNotFound" {
		t.Fatalf("second delete: %v", err)
	}
	dd, err := c.DeleteParameters(ctx, &ssm.DeleteParametersInput{Names: []string{"/app/db/password", "/app/none"}})
	if err != nil || len(dd.DeletedParameters) != 1 || len(dd.InvalidParameters) != 1 {
		t.Fatalf("DeleteParameters: %+v %v", dd, err)
	}
}

// TestIAMGetUserOfCaller, through the AWS SDK for Go v2: GetUser without a
// user name answers the caller; with long-term keys that is the root user
// (the account as UserId, the ARN ending in :root), which Terraform's AWS
// provider reads for the account id; role credentials get IAM's
// ValidationError, and a named user (ecsnet models none) NoSuchEntity.
// Before round twenty-one GetUser was NotImplemented (HTTP 501).
func TestIAMGetUserOfCaller(t *testing.T) {
	t.Parallel()
	em := newAccount(t, nil)
	c := iam.NewFromConfig(sdkConfig(), func(o *iam.Options) { o.BaseEndpoint = aws.String(em.URL) })
	u, err := c.GetUser(ctx, &iam.GetUserInput{})
	must(t, err)
	if aws.ToString(u.User.Arn) != "arn:aws:iam::123456789012:root" || aws.ToString(u.User.UserId) != "123456789012" || u.User.CreateDate == nil {
		t.Errorf("root user %+v", u.User)
	}
	_, err = c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")})
	wantLimitError(t, "a user ecsnet does not have", err, "NoSuchEntity", "The user with name alice cannot be found.")
	ar, err := stsClient(em.URL, sdkConfig()).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/deployer"), RoleSessionName: aws.String("ci")})
	must(t, err)
	cfg := sdkConfig()
	cfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(ar.Credentials.AccessKeyId),
		aws.ToString(ar.Credentials.SecretAccessKey), aws.ToString(ar.Credentials.SessionToken))
	_, err = iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(em.URL) }).GetUser(ctx, &iam.GetUserInput{})
	wantLimitError(t, "GetUser with role credentials", err, "ValidationError", "Must specify userName when calling with non-User credentials")
}
