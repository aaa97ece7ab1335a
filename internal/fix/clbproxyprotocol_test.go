package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// A Classic Load Balancer and its application that disagree on the proxy
// protocol line: the instance port's ProxyProtocolPolicyType policy
// follows the application, off or on, each verified.
func TestClassicProxyProtocolFixes(t *testing.T) {
	const story = "../../examples/failures/analyzer-only/clb-proxy-protocol-app-not-reading.yaml"
	for _, c := range []struct {
		name    string
		edit    func(string) string
		verdict reach.Verdict
		command string // in the load balancer fix's commands
	}{
		{"line not read", func(s string) string { return s }, reach.HTTPVerdict(400), `--instance-port 8080 --policy-names "[]"`},
		{"line missing", func(s string) string {
			s = strings.Replace(s, "    proxy_protocol: [8080]\n", "", 1)
			s = strings.Replace(s, `"HTTP:8080/health"`, `"TCP:8080"`, 1)
			return strings.Replace(s, "serves: {/: 200, /health: 200}", "serves: {/: 200, /health: 200}\n        proxy_protocol: true", 1)
		}, reach.Refused, "--policy-type-name ProxyProtocolPolicyType"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := load(t, story, c.edit)
			fixes, res, err := fix.Find(e, "internet", "shop-elb:80", "tcp", fix.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != c.verdict || !res.HasCode(reach.CodeClassicProxyProtocolMismatch) {
				t.Fatalf("%s: %s", res.Verdict, res.Summary)
			}
			var found bool
			for _, f := range fixes {
				if f.Verification.Verdict != reach.Connected {
					t.Errorf("fix %q verified as %s", f.Title, f.Verification.Verdict)
				}
				found = found || strings.Contains(strings.Join(f.Commands, "\n"), c.command)
			}
			if !found {
				t.Errorf("no verified fix with %q among %d", c.command, len(fixes))
			}
		})
	}
}
