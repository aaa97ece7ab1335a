package reach

import (
	"strings"
	"testing"
)

// TestALBZoneNACL runs testdata/alb-zone-nacl.yaml: an ALB's node in one
// zone forwards to a target in another (cross-zone load balancing), so a
// network ACL of the node's zone, or the target's subnet's ACL for that
// node's subnet, fails only that node. Each expectation probes one node's
// address; a probe by name says which node's clients get the failure.
// The data plane's differential test checks the file on the kernel.
func TestALBZoneNACL(t *testing.T) {
	path := "testdata/alb-zone-nacl.yaml"
	n := compileEngine(build(t, path))
	for _, x := range loadScenario(t, path) {
		r := probeSpec(t, n, x.From, x.To, x.Protocol)
		if string(r.Verdict) != x.Verdict {
			t.Errorf("%s → %s = %s, want %s (%s)\n%s", x.From, x.To, r.Verdict, x.Verdict, x.Note, r.Summary)
			continue
		}
		if x.Cause != "" && !r.HasCode(x.Cause) {
			t.Errorf("%s → %s: no %s in %s (%s)", x.From, x.To, x.Cause, codeList(r), x.Note)
		}
	}
	for lb, want := range map[string]string{
		"lb1": "through the node in us-east-1b (10.0.2.4) the verdict is http 504",
		"lb2": "through the node in us-east-1c (10.0.3.4) the verdict is http 504",
		"lb3": "through the node in us-east-1d (10.0.4.4) the verdict is http 504",
		"lb4": "through the node in us-east-1f (10.0.5.4) the verdict is timeout",
	} {
		r := probeSpec(t, n, "internet", lb+":80", "tcp")
		if r.Verdict != HTTP200 || !strings.Contains(strings.Join(r.Notes, "\n"), want) {
			t.Errorf("internet → %s:80 = %s, notes %q; want http 200 and %q", lb, r.Verdict, r.Notes, want)
		}
	}
}
