package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/server"
)

// tfPlugins is the filesystem mirror that holds Terraform's AWS provider
// (the test has no registry to download it from).
const tfPlugins = "/opt/tf-plugins"

// tfEndpoints are the provider's endpoint names that ecsnet serves
// (scripts/terraform-apply/override.sh writes the same list).
var tfEndpoints = []string{"acm", "appautoscaling", "autoscaling", "cloudformation", "cloudwatch", "cloudwatchlogs", "ec2", "ecr", "ecs",
	"codedeploy", "efs", "elb", "elbv2", "events", "iam", "kms", "lambda", "networkfirewall", "route53", "s3", "secretsmanager", "servicediscovery", "sqs", "ssm", "sts"}

// statusRecorder remembers the requests the server answered with a 5xx.
type statusRecorder struct {
	next http.Handler
	mu   sync.Mutex
	bad  []string
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	s.next.ServeHTTP(sw, r)
	if sw.status >= 500 {
		s.mu.Lock()
		s.bad = append(s.bad, fmt.Sprintf("%d %s %s (X-Amz-Target %q)", sw.status, r.Method, r.URL, r.Header.Get("X-Amz-Target")))
		s.mu.Unlock()
	}
}

// TestTerraformApplyArticle applies examples/terraform/article with the
// real Terraform and AWS provider against an in-process ecsnet, plans it
// again (which must show no changes: a diff is a read that answers
// differently from what was written) and destroys it, with no 5xx from
// the server. scripts/terraform-apply does the same for any directory.
func TestTerraformApplyArticle(t *testing.T) {
	terraformApply(t, "../../examples/terraform/article", "us-east-1", "")
}

// terraformApply applies the configuration in src (copied) with the
// provider's region set to region, plans it again (no changes) and
// destroys it, against an in-process ecsnet that must answer no request
// with a 5xx. With failure set, the apply must fail with an error
// containing it (and the destroy still succeed).
func terraformApply(t *testing.T, src, region, failure string) {
	t.Helper()
	if testing.Short() {
		t.Skip("applies a Terraform configuration (about a minute); skipped under -short")
	}
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not installed")
	}
	if _, err := os.Stat(filepath.Join(tfPlugins, "registry.terraform.io/hashicorp/aws")); err != nil {
		t.Skipf("no hashicorp/aws provider in the filesystem mirror %s (the test cannot download it)", tfPlugins)
	}

	o := server.Options{Registry: services.Registry(), Analyzer: services.Analyzer(), EngineOptions: services.EngineOptions(),
		StepInterval: 10 * time.Millisecond, Models: testModels}
	srv, err := server.New(o)
	if err != nil {
		t.Fatal(err)
	}
	rec := &statusRecorder{next: srv}
	hs := httptest.NewServer(rec)
	go srv.StepLoop()
	t.Cleanup(func() {
		hs.Close()
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})

	dir := t.TempDir()
	cfg := filepath.Join(dir, "cfg")
	if err := os.CopyFS(cfg, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	var ov strings.Builder
	ov.WriteString("provider \"aws\" {\n  access_key = \"test\"\n  secret_key = \"test\"\n  skip_credentials_validation = true\n  skip_metadata_api_check = true\n  s3_use_path_style = true\n  endpoints {\n")
	for _, e := range tfEndpoints {
		fmt.Fprintf(&ov, "    %s = %q\n", e, hs.URL)
	}
	ov.WriteString("  }\n}\n")
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(cfg, "zz_ecsnet_override.tf"), ov.String())
	rc := filepath.Join(dir, "tfrc")
	write(rc, fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
`, tfPlugins))

	env := []string{"TF_CLI_CONFIG_FILE=" + rc, "TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1",
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_REGION=" + region, "AWS_EC2_METADATA_DISABLED=true",
		"HOME=" + dir, "TF_DATA_DIR=" + filepath.Join(dir, ".terraform")}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PATH=") || strings.HasPrefix(kv, "TMPDIR=") {
			env = append(env, kv)
		}
	}
	run := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.CommandContext(ctx, tf, args...)
		cmd.Dir, cmd.Env = cfg, env
		out, err := cmd.CombinedOutput()
		code := 0
		if err != nil {
			code = -1
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
		}
		return string(out), code
	}
	tail := func(s string) string {
		if len(s) > 6000 {
			return "…" + s[len(s)-6000:]
		}
		return s
	}

	if out, code := run("init", "-no-color"); code != 0 {
		t.Fatalf("terraform init: exit %d\n%s", code, tail(out))
	}
	start := time.Now()
	out, code := run("apply", "-no-color", "-auto-approve")
	switch {
	case failure != "" && (code == 0 || !strings.Contains(strings.Join(strings.Fields(out), " "), failure)):
		t.Errorf("terraform apply: exit %d, want a failure saying %q\n%s", code, failure, tail(out))
	case failure != "":
	case code != 0:
		t.Errorf("terraform apply: exit %d\n%s", code, tail(out))
	default:
		t.Logf("apply: %s", time.Since(start).Round(time.Second))
		// -detailed-exitcode: 0 no changes, 2 changes, 1 an error.
		out, code := run("plan", "-no-color", "-detailed-exitcode")
		switch code {
		case 0:
		case 2:
			t.Errorf("the second plan shows changes (a read answers differently from what was written):\n%s", tail(out))
		default:
			t.Errorf("terraform plan: exit %d\n%s", code, tail(out))
		}
	}
	if out, code := run("destroy", "-no-color", "-auto-approve"); code != 0 {
		t.Errorf("terraform destroy: exit %d\n%s", code, tail(out))
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.bad) > 0 {
		t.Errorf("the server answered %d requests with a 5xx:\n%s", len(rec.bad), strings.Join(rec.bad, "\n"))
	}
}
