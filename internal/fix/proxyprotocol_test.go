package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// An NLB target group and its application that disagree on the proxy
// protocol header: the target group's attribute follows the application,
// or the application's setting follows the target group, each verified.
// Both ways: a header the application does not read (400), and one it
// expects and does not get (closed unanswered).
func TestProxyProtocolFixes(t *testing.T) {
	const story = "../../examples/failures/analyzer-only/nlb-proxy-protocol-app-not-reading.yaml"
	for _, c := range []struct {
		name    string
		edit    func(string) string
		verdict reach.Verdict
		attr    string // the attribute's new value in the fix's command
		app     string // the application's setting in the fix's scenario
	}{
		{"header not read", func(s string) string { return s }, reach.HTTPVerdict(400), "Value=false", "proxy_protocol: true"},
		{"header missing", func(s string) string {
			s = strings.Replace(s, `attributes: {proxy_protocol_v2.enabled: "true"}`, `attributes: {proxy_protocol_v2.enabled: "false"}`, 1)
			return strings.Replace(s, "serves: {/: 200, /health: 200}}", "serves: {/: 200, /health: 200}, proxy_protocol: true}", 1)
		}, reach.Refused, "Value=true", "proxy_protocol: false"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := load(t, story, c.edit)
			fixes, res, err := fix.Find(e, "internet", "web-nlb:80", "tcp", fix.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != c.verdict || !res.HasCode(reach.CodeProxyProtocolMismatch) {
				t.Fatalf("%s: %s", res.Verdict, res.Summary)
			}
			var attr, app bool
			for _, f := range fixes {
				if f.Verification.Verdict != reach.Connected {
					t.Errorf("fix %q verified as %s", f.Title, f.Verification.Verdict)
				}
				attr = attr || strings.Contains(strings.Join(f.Commands, "\n"), "proxy_protocol_v2.enabled,"+c.attr)
				app = app || strings.Contains(f.Scenario, c.app)
			}
			if !attr || !app {
				var titles []string
				for _, f := range fixes {
					titles = append(titles, f.Title)
				}
				t.Errorf("attribute fix %v, application fix %v; fixes:\n%s", attr, app, strings.Join(titles, "\n"))
			}
		})
	}
}
