package cli

import (
	"strings"
	"testing"
)

// A check that passes with warnings says so in its last line, and how to
// make them fail: "ok" above six warnings is not "nothing found". With
// --strict the warnings are failing findings, counted as such.
func TestCheckTallyCountsPassingWarnings(t *testing.T) {
	code, out, _ := run(t, "check", "examples/seed/article.yaml")
	if code != ExitOK || !strings.Contains(out, "; 2 warnings pass (--strict fails them)") {
		t.Errorf("exit %d, want 0 and the warnings counted\n%s", code, out)
	}
	code, out, _ = run(t, "check", "examples/seed/article.yaml", "--strict")
	if code != ExitFailed || !strings.Contains(out, "2 findings fail the check") || strings.Contains(out, "warnings pass") {
		t.Errorf("--strict: exit %d, want 1 and the warnings as failing findings\n%s", code, out)
	}
	code, out, _ = run(t, "check", "examples/seed/fargate.yaml")
	if code != ExitOK || strings.Contains(out, "warning") {
		t.Errorf("a clean file: exit %d\n%s", code, out)
	}
}
