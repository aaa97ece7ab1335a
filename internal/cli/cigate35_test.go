package cli

import (
	"strings"
	"testing"
)

// An aws_autoscaling_group without a name gets the provider's generated
// one; its instances are named by the group's address in the human
// outputs (check's text, SARIF, JUnit and annotations, show, probe), and
// keep the generated name in JSON, as AWS's describe calls would show it.
func TestTerraformGroupWithoutNameLabelledByAddress(t *testing.T) {
	const dir = "internal/terraform/testdata/sweep13-userdata-b64"
	const generated = "terraform-20260101000000000000000002/0"
	for _, out := range []string{"text", "sarif", "junit", "github"} {
		_, stdout, _ := run(t, "check", "-q", dir, "-o", out)
		if !strings.Contains(stdout, "aws_autoscaling_group.text/0") || strings.Contains(stdout, generated) {
			t.Errorf("check -o %s names the instance by the generated name:\n%s", out, stdout)
		}
	}
	_, stdout, _ := run(t, "check", "-q", dir, "-o", "json")
	if !strings.Contains(stdout, `"name": "`+generated+`"`) {
		t.Errorf("check -o json lost the generated name:\n%s", stdout)
	}
	_, stdout, _ = run(t, "show", "-q", dir)
	if !strings.Contains(stdout, "instance aws_autoscaling_group.text/0 i-") || strings.Contains(stdout, generated) {
		t.Errorf("show:\n%s", stdout)
	}
	_, stdout, _ = run(t, "probe", "-q", dir, "--from", "aws_autoscaling_group.text/0", "--to", "internet:443", "--fixes=false")
	if !strings.Contains(stdout, "the instance aws_autoscaling_group.text/0 reaches the internet") || strings.Contains(stdout, generated) {
		t.Errorf("probe:\n%s", stdout)
	}
	// The analyzer's own name still works, and a group with a name keeps it.
	if code, _, errs := run(t, "probe", "-q", dir, "--from", generated, "--to", "internet:443", "--fixes=false"); code != ExitOK {
		t.Errorf("probe --from %s: exit %d: %s", generated, code, errs)
	}
	if s := (&source{}).labels(); s != nil {
		t.Error("a source without Terraform relabels")
	}
}
