package cli

import (
	"strings"
	"testing"
)

// A Terraform root module folder and `terraform show -json` output are
// SOURCEs; --from/--to take resource addresses.
func TestTerraformSources(t *testing.T) {
	code, out, errs := run(t, "probe", "examples/terraform/article", "--from", "internet", "--to", "203.0.113.2:3000")
	if code != ExitOK || !strings.Contains(out, "TIMEOUT") {
		t.Errorf("article: exit %d, want a timeout:\n%s\n%s", code, out, errs)
	}
	code, out, errs = run(t, "probe", "examples/terraform/article", "--param", "enable_alb=true", "--from", "internet", "--to", "aws_lb.web[0]")
	if code != ExitOK || !strings.Contains(out, "HTTP 200") {
		t.Errorf("article with the ALB: exit %d:\n%s\n%s", code, out, errs)
	}
	code, out, errs = run(t, "probe", "examples/terraform/article", "--from", "aws_autoscaling_group.ecs/0", "--to", "aws_ecs_service.web:3000")
	if code != ExitOK || !strings.Contains(out, "CONNECTED") {
		t.Errorf("by address: exit %d:\n%s\n%s", code, out, errs)
	}
	code, out, errs = run(t, "show", "internal/terraform/testdata/state.json")
	if code != ExitOK || !strings.Contains(out, "task api/0") {
		t.Errorf("state JSON: exit %d:\n%s\n%s", code, out, errs)
	}
	code, _, errs = run(t, "probe", "examples/terraform/article", "--param", "instance_type=t2.nano", "--from", "internet", "--to", "203.0.113.2:3000")
	if code == ExitOK || !strings.Contains(errs, "variables.tf:16") {
		t.Errorf("a failing validation: exit %d, want variables.tf:16 on stderr:\n%s", code, errs)
	}
}
