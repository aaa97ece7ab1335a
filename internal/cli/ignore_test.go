package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyInsert copies src to a temp file (dir/name, or a folder holding it)
// with text inserted before the first line that starts with before.
func copyInsert(t *testing.T, src, dst, before, text string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "\n"+before)
	if i < 0 {
		t.Fatalf("%s has no line starting %q", src, before)
	}
	s = s[:i+1] + text + "\n" + s[i+1:]
	if err := os.WriteFile(dst, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// An ecsnet:ignore comment right above a resource accepts that resource's
// findings of the codes it names: they pass (the exit code, SARIF's
// suppression), a code the resource has no finding of is a warning with a
// did-you-mean, and --accept passes a code wherever it is found.
func TestCheckIgnoreComments(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tf")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src := "../../examples/terraform/nat-in-private-subnet/main.tf"
	// Without a comment: ECS_IMAGE_PULL_FAILED is an error and fails.
	copyInsert(t, src, filepath.Join(dir, "main.tf"), `resource "aws_ecs_service" "web"`, "")
	if code, out, _ := run(t, "check", dir); code != ExitFailed || !strings.Contains(out, "error: ECS_IMAGE_PULL_FAILED") {
		t.Fatalf("without a comment: exit %d, want %d:\n%s", code, ExitFailed, out)
	}
	copyInsert(t, src, filepath.Join(dir, "main.tf"), `resource "aws_ecs_service" "web"`,
		"# keep until the NAT move lands\n# ecsnet:ignore ECS_IMAGE_PULL_FAILED, ECS_NO_SUCH_CODE -- INFRA-123")
	code, out, _ := run(t, "check", dir)
	if code != ExitOK || !strings.Contains(out, "expected error: ECS_IMAGE_PULL_FAILED") {
		t.Fatalf("with the comment: exit %d, want 0:\n%s", code, out)
	}
	if !strings.Contains(out, "ecsnet:ignore ECS_NO_SUCH_CODE accepts no finding") {
		t.Errorf("no warning of the code that accepts nothing:\n%s", out)
	}
	_, sarif, _ := run(t, "check", "-o", "sarif", dir)
	var log sarifLog
	if err := json.Unmarshal([]byte(sarif), &log); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range log.Runs[0].Results {
		if r.RuleID == "ECS_IMAGE_PULL_FAILED" {
			n++
			if len(r.Suppressions) != 1 || r.Suppressions[0].Kind != "inSource" {
				t.Errorf("SARIF result %s not suppressed in source: %+v", r.RuleID, r.Suppressions)
			}
		}
	}
	if n == 0 {
		t.Error("SARIF has no ECS_IMAGE_PULL_FAILED result")
	}

	// An HCL block comment above the resource accepts too.
	copyInsert(t, src, filepath.Join(dir, "main.tf"), `resource "aws_ecs_service" "web"`, "/* ecsnet:ignore ECS_IMAGE_PULL_FAILED until INFRA-123 */")
	if code, out, _ = run(t, "check", dir); code != ExitOK {
		t.Errorf("a /* */ comment: exit %d, want 0:\n%s", code, out)
	}

	// A typo: the finding fails, and the warning names the code.
	copyInsert(t, src, filepath.Join(dir, "main.tf"), `resource "aws_ecs_service" "web"`, "// ecsnet:ignore:ECS_IMAGE_PUL_FAILED")
	code, out, _ = run(t, "check", dir)
	if code != ExitFailed || !strings.Contains(out, "did you mean ECS_IMAGE_PULL_FAILED?") {
		t.Errorf("typo: exit %d, want %d and a did-you-mean:\n%s", code, ExitFailed, out)
	}
	// A comment away from its resource (a line of code between) accepts nothing.
	copyInsert(t, src, filepath.Join(dir, "main.tf"), `resource "aws_ecs_service" "web"`, "# ecsnet:ignore ECS_IMAGE_PULL_FAILED\nlocals { x = 1 }")
	if code, out, _ = run(t, "check", dir); code != ExitFailed || !strings.Contains(out, "accepts no finding") {
		t.Errorf("a comment not above its resource: exit %d, want %d:\n%s", code, ExitFailed, out)
	}

	// A comment whose code --accept covers too is still used: no warning.
	copyInsert(t, src, filepath.Join(dir, "main.tf"), `resource "aws_ecs_service" "web"`, "# ecsnet:ignore ECS_IMAGE_PULL_FAILED")
	if code, out, _ = run(t, "check", "--accept", "ECS_IMAGE_PULL_FAILED", dir); code != ExitOK || strings.Contains(out, "accepts no finding") {
		t.Errorf("a comment and --accept: exit %d, want 0 and no warning:\n%s", code, out)
	}

	// --accept passes the code anywhere.
	if code, out, _ = run(t, "check", "--accept", "ECS_IMAGE_PULL_FAILED", "examples/terraform/nat-in-private-subnet"); code != ExitOK {
		t.Errorf("--accept: exit %d, want 0:\n%s", code, out)
	}

	// A CloudFormation YAML template, --strict: the comment above the
	// service's logical id accepts the service's (and its tasks') warnings.
	tmpl := filepath.Join(t.TempDir(), "article.yaml")
	copyInsert(t, "../../examples/cfn/article.yaml", tmpl, "  Service:", "")
	if code, out, _ = run(t, "check", "--strict", tmpl); code != ExitFailed {
		t.Fatalf("--strict without a comment: exit %d, want %d:\n%s", code, ExitFailed, out)
	}
	copyInsert(t, "../../examples/cfn/article.yaml", tmpl, "  Service:", "  # ecsnet:ignore ECS_AWSVPC_PUBLIC_INSTANCE ECS_PUBLIC_SUBNET_NO_PUBLIC_IP the article's trap, on purpose")
	if code, out, _ = run(t, "check", "--strict", tmpl); code != ExitOK || strings.Contains(out, "accepts no finding") {
		t.Errorf("--strict with the comment: exit %d, want 0:\n%s", code, out)
	}
}

func TestParseIgnore(t *testing.T) {
	for _, c := range []struct {
		line string
		want string
		ok   bool
	}{
		{"# ecsnet:ignore ECS_A", "ECS_A", true},
		{"  // ecsnet:ignore:ECS_A,ECS_B because reasons", "ECS_A ECS_B", true},
		{"/* ecsnet:ignore ECS_A */", "ECS_A", true},
		{"# ecsnet:ignore", "", true},
		{`name = "ecsnet:ignore ECS_A"`, "", false}, // not a comment
		{"# ecsnet:ignore ECS_A ecs_b ECS_C", "ECS_A", true},
	} {
		codes, ok := parseIgnore(c.line)
		if ok != c.ok || strings.Join(codes, " ") != c.want {
			t.Errorf("parseIgnore(%q) = %q, %v; want %q, %v", c.line, codes, ok, c.want, c.ok)
		}
	}
}
