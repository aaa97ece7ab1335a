package reach

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

func TestPolicyAllows(t *testing.T) {
	const obj = "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/docker/registry/v2/blobs/sha256/layer"
	for _, c := range []struct {
		doc  string
		want bool
	}{
		{"", true},
		{`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`, true},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*"}}`, true},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":["S3:Get*"],"Resource":["arn:aws:s3:::prod-*-starport-layer-bucket/*"]}]}`, true},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::acme-*","arn:aws:s3:::acme-*/*"]}]}`, false},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","NotResource":"arn:aws:s3:::acme-*/*"}]}`, false},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","NotAction":"s3:PutObject","Resource":"*"}]}`, true},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::prod-us-east-1-starport-layer-bucket"}]}`, false},
		{`not json`, false},
		// A data perimeter: only resources of the caller's account. ECR's
		// layer bucket is AWS's, so it is denied, as on AWS.
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*",
			"Condition":{"StringNotEquals":{"aws:ResourceAccount":["123456789012"]}}}]}`, false},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceAccount":"123456789012"}}}]}`, false},
		// The caller's own account: the Deny's condition does not hold.
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*",
			"Condition":{"StringNotEquals":{"aws:PrincipalAccount":"123456789012"}}}]}`, true},
		// Keys not modelled: an Allow's condition holds, a Deny's does not.
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}`, true},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*",
			"Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}`, true},
	} {
		if got := PolicyAllows(c.doc, "s3:GetObject", obj, "123456789012"); got != c.want {
			t.Errorf("PolicyAllows(%s) = %v, want %v", c.doc, got, c.want)
		}
	}
}

// An S3 gateway endpoint policy that does not allow ECR's layer bucket:
// the tasks stop at the layer download, with the endpoint as the cause.
func TestStartCheckS3EndpointPolicy(t *testing.T) {
	e := build(t, repoFile("examples/failures/s3-endpoint-policy-ecr-layers.yaml"))
	st := stateOf(e)
	tk := taskNamed(t, st, "web/0")
	if tk.LastStatus != model.TaskStopped || !strings.HasSuffix(tk.StoppedReason, "starport-layer-bucket.s3.us-east-1.amazonaws.com/: 403 Forbidden") {
		t.Fatalf("web/0 is %s: %q", tk.LastStatus, tk.StoppedReason)
	}
	n := compileEngine(e)
	for _, s := range st.Services {
		fs := ServiceStartFailures(n, s)
		if len(fs) == 0 || fs[0].Service != "s3" || fs[0].Verdict != HTTPVerdict(403) || fs[0].Blocked == nil ||
			fs[0].Blocked.Code != CodeEndpointPolicyDenied || fs[0].Blocked.Component.Name != "s3" {
			t.Fatalf("%+v", fs)
		}
		if h := StartFixHint(&fs[0]); !strings.Contains(h, "allows s3:GetObject on arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*") {
			t.Errorf("hint = %s", h)
		}
	}
}

// ECR interface endpoints whose policy has only a Deny statement (the
// terraform-aws-vpc example's generic_endpoint_policy) allow nothing: the
// registry auth through ecr.api is refused with AWS's endpoint-policy
// AccessDeniedException. With ecr.api's policy back to the default, the
// manifest through ecr.dkr is refused in turn.
func TestStartCheckECREndpointPolicy(t *testing.T) {
	e := build(t, repoFile("examples/failures/ecr-endpoint-policy-deny-only.yaml"))
	st := stateOf(e)
	tk := taskNamed(t, st, "web/0")
	if tk.LastStatus != model.TaskStopped || !strings.Contains(tk.StoppedReason, "unable to retrieve ecr registry auth") ||
		!strings.Contains(tk.StoppedReason, "is not authorized to perform: ecr:GetAuthorizationToken on resource: * because no VPC endpoint policy allows the ecr:GetAuthorizationToken action") {
		t.Fatalf("web/0 is %s: %q", tk.LastStatus, tk.StoppedReason)
	}
	check := func(st *model.State, svc, endpoint, hint string) {
		t.Helper()
		n := Compile(st)
		for _, s := range st.Services {
			fs := ServiceStartFailures(n, s)
			if len(fs) == 0 || fs[0].Service != svc || fs[0].Blocked == nil || fs[0].Blocked.Code != CodeEndpointPolicyDenied || fs[0].Blocked.Component.Name != endpoint {
				t.Fatalf("%s: %+v", svc, fs)
			}
			if h := StartFixHint(&fs[0]); !strings.Contains(h, hint) {
				t.Errorf("hint = %s", h)
			}
		}
	}
	check(st, "ecr.api", "ecr-api", "allows ecr:GetAuthorizationToken on *")
	st = st.Clone()
	for id, ep := range st.VpcEndpoints {
		if ep.Tags.Name() == "ecr-api" {
			c := *ep
			c.PolicyDocument = ""
			st.VpcEndpoints[id] = &c
		}
	}
	check(st, "ecr.dkr", "ecr-dkr", "allows ecr:BatchGetImage, ecr:GetDownloadUrlForLayer")
}

// aws:ResourceAccount is the account of the resource's ARN: a policy
// locked to the account allows its own secrets and refuses another
// account's (a shared secret named by its full ARN); ECR's layer bucket,
// an AWS-owned resource without an account, is refused as before.
func TestPolicyResourceAccount(t *testing.T) {
	const locked = `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceAccount":"123456789012"}}}]}`
	for _, c := range []struct {
		action, resource string
		want             bool
	}{
		{"secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", true},
		{"secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:111122223333:secret:shared/key-Xy12Ab", false},
		{"s3:GetObject", "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/docker/registry/v2/blobs/sha256/layer", false},
	} {
		if got := PolicyAllows(locked, c.action, c.resource, "123456789012"); got != c.want {
			t.Errorf("PolicyAllows(locked, %s, %s) = %v, want %v", c.action, c.resource, got, c.want)
		}
	}
}

// A Secrets Manager interface endpoint whose policy refuses the task's
// secret (another account's, the endpoint locked to the account): every
// task stops before it runs, ECS_SECRETS_UNREACHABLE, decided by the
// endpoint, in AWS's words ("because no VPC endpoint policy allows").
func TestStartCheckSecretsEndpointPolicy(t *testing.T) {
	e := build(t, repoFile("examples/failures/secrets-endpoint-policy-other-account.yaml"))
	st := stateOf(e)
	tk := taskNamed(t, st, "payments/0")
	if tk.LastStatus != model.TaskStopped || !strings.Contains(tk.StoppedReason, "because no VPC endpoint policy allows the secretsmanager:GetSecretValue action") {
		t.Fatalf("payments/0: %s %q", tk.LastStatus, tk.StoppedReason)
	}
	f := TaskStartFailure(st, tk)
	if f == nil || f.Code != CodeSecretsUnreachable || f.Blocked == nil || f.Blocked.Code != CodeEndpointPolicyDenied ||
		f.Secret != "arn:aws:secretsmanager:us-east-1:111122223333:secret:shared/processor-api-key-Xy12Ab" {
		t.Fatalf("start failure %+v", f)
	}
	if h := StartFixHint(f); !strings.Contains(h, "allows secretsmanager:GetSecretValue on arn:aws:secretsmanager:us-east-1:111122223333") {
		t.Errorf("hint %q", h)
	}
}

// An S3 gateway endpoint policy of ECR's layer bucket only: the layers
// download, the task's environment file from another bucket is refused
// (403), and the task stops at it with the endpoint as the cause; the
// hint names the file's object, not the layer bucket.
func TestStartCheckS3EndpointPolicyEnvFile(t *testing.T) {
	e := build(t, repoFile("examples/failures/s3-endpoint-policy-env-file.yaml"))
	st := stateOf(e)
	tk := taskNamed(t, st, "orders/0")
	if tk.LastStatus != model.TaskStopped || !strings.Contains(tk.StoppedReason, "failed to download env files") ||
		!strings.Contains(tk.StoppedReason, "StatusCode: 403") {
		t.Fatalf("orders/0 is %s: %q", tk.LastStatus, tk.StoppedReason)
	}
	n := compileEngine(e)
	for _, s := range st.Services {
		fs := ServiceStartFailures(n, s)
		if len(fs) == 0 || fs[0].Code != CodeEnvFilesUnreachable || fs[0].Service != "s3" || fs[0].Verdict != HTTPVerdict(403) ||
			fs[0].Blocked == nil || fs[0].Blocked.Code != CodeEndpointPolicyDenied || fs[0].Blocked.Component.Name != "s3" ||
			fs[0].EnvFile != "arn:aws:s3:::acme-service-config/orders/prod.env" {
			t.Fatalf("%+v", fs)
		}
		if h := StartFixHint(&fs[0]); !strings.Contains(h, "allows s3:GetObject on arn:aws:s3:::acme-service-config/orders/prod.env") {
			t.Errorf("hint = %s", h)
		}
	}
}

// A FireLens log router whose configuration file is in S3 (on EC2): the
// container instance's agent downloads it through the S3 gateway
// endpoint, whose policy allows ECR's layers only; the task stops with the
// agent's FireLens error and the endpoint as the cause.
func TestStartCheckFireLensConfigEndpointPolicy(t *testing.T) {
	e := build(t, repoFile("examples/failures/firelens-s3-config-endpoint-policy.yaml"))
	st := stateOf(e)
	tk := taskNamed(t, st, "catalog/0")
	if tk.LastStatus != model.TaskStopped || !strings.HasPrefix(tk.StoppedReason, "Unable to download firelens s3 config file: unable to download s3 config fluent-bit/extra.conf from bucket acme-platform-logging: AccessDenied") {
		t.Fatalf("catalog/0 is %s: %q", tk.LastStatus, tk.StoppedReason)
	}
	n := compileEngine(e)
	for _, s := range st.Services {
		fs := ServiceStartFailures(n, s)
		if len(fs) == 0 || fs[0].Code != CodeFireLensConfigUnreachable || fs[0].Service != "s3" || fs[0].Verdict != HTTPVerdict(403) ||
			fs[0].Blocked == nil || fs[0].Blocked.Code != CodeEndpointPolicyDenied || fs[0].FireLensConfig != "arn:aws:s3:::acme-platform-logging/fluent-bit/extra.conf" {
			t.Fatalf("%+v", fs)
		}
		if h := StartFixHint(&fs[0]); !strings.Contains(h, "allows s3:GetObject on arn:aws:s3:::acme-platform-logging/fluent-bit/extra.conf") {
			t.Errorf("hint = %s", h)
		}
	}
}

// The FireLens configuration files a task definition downloads: the
// options of config-file-type s3 only (file is read inside the image),
// which put S3 on the start path, and the agent's stopped reason.
func TestFireLensS3Configs(t *testing.T) {
	defs := []model.ContainerDefinition{{Name: "router", Raw: map[string]any{"firelensConfiguration": map[string]any{"type": "fluentbit",
		"options": map[string]any{"config-file-type": "s3", "config-file-value": "arn:aws:s3:::cfg/extra.conf"}}}},
		{Name: "app", Raw: map[string]any{"firelensConfiguration": map[string]any{"type": "fluentbit", "options": map[string]any{"config-file-type": "file"}}}}}
	if got := firelensS3Configs(defs); len(got) != 1 || got[0] != "arn:aws:s3:::cfg/extra.conf" {
		t.Errorf("firelensS3Configs = %v", got)
	}
	if needs, _ := startNeeds("us-east-1", nil, defs, false); !slices.Contains(needs, "s3") {
		t.Errorf("startNeeds = %v, want s3", needs)
	}
	if got := firelensConfigError("arn:aws:s3:::cfg/a/extra.conf", "x"); got != "Unable to download firelens s3 config file: unable to download s3 config a/extra.conf from bucket cfg: x" {
		t.Errorf("firelensConfigError = %q", got)
	}
}

// FireLens's configuration file in a bucket of another Region: the S3
// gateway endpoint serves its own Region's buckets only, and the private
// subnets have no other way out, so the agent's download fails before any
// policy is asked.
func TestStartCheckFireLensConfigOtherRegion(t *testing.T) {
	src, err := os.ReadFile(repoFile("examples/failures/firelens-s3-config-endpoint-policy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	y := strings.Replace(string(src), "acme-platform-logging: {region: us-east-1}", "acme-platform-logging: {region: us-west-2}", 1)
	path := filepath.Join(t.TempDir(), "firelens.yaml")
	if err := os.WriteFile(path, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	e := build(t, path)
	st := stateOf(e)
	n := compileEngine(e)
	for _, s := range st.Services {
		fs := ServiceStartFailures(n, s)
		if len(fs) == 0 || fs[0].Code != CodeFireLensConfigUnreachable || fs[0].ServiceRegion != "us-west-2" || fs[0].Verdict == HTTPVerdict(403) ||
			!strings.Contains(fs[0].Why, "FireLens's configuration file's bucket is in us-west-2") ||
			!strings.HasPrefix(fs[0].Reason, "Unable to download firelens s3 config file: unable to download s3 config fluent-bit/extra.conf from bucket acme-platform-logging: dial tcp") {
			t.Fatalf("%+v", fs)
		}
	}
}
