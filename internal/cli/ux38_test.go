package cli

import (
	"regexp"
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

// exposure's next step names a probe for each entry point that fails, and
// one for a listener rule sends the request that rule matches: the probe
// of the address alone shows only the default action's failure.
func TestExposureNextStepPerFailingRule(t *testing.T) {
	src := "internal/terraform/testdata/kitchen"
	code, out, errs := run(t, "exposure", src, "-q")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	cmds := regexp.MustCompile(`(?m)^  ecsnet (probe .*)$`).FindAllStringSubmatch(out, -1)
	if len(cmds) != 2 {
		t.Fatalf("want two probes, one per failing entry point:\n%s", out)
	}
	for i, want := range []string{"HTTP 503", "HTTP 504"} {
		args := strings.Fields(cmds[i][1])
		code, pout, perrs := run(t, append(args, "--fixes=false")...)
		if code != ExitFailed || !strings.Contains(pout, want) {
			t.Errorf("%s: exit %d, want 1 and %s\n%s%s", cmds[i][1], code, want, pout, perrs)
		}
	}
	if !strings.Contains(cmds[1][1], "--host www.example.com") {
		t.Errorf("the rule's probe lacks its host: %s", cmds[1][1])
	}
}
