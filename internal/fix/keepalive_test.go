package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// A target whose keep-alive is shorter than the load balancer's idle
// timeout answers the probe with a warning; the verified fixes lower the
// idle timeout below the keep-alive, or raise the application's
// keep-alive above the idle timeout, each probed again without the
// warning. An Application Load Balancer, then a Classic one
// (ConnectionSettings.IdleTimeout).
func TestKeepAliveFixes(t *testing.T) {
	for _, c := range []struct {
		name, file, to string
		edit           func(string) string
		lower, command string
		// app: the application's longer keep-alive is verified (behind
		// the Classic Load Balancer the bridge service's static host port
		// is held by the old tasks on both instances, so ECS cannot place
		// the new revision's: not verified).
		app bool
	}{
		{"alb", "../../examples/failures/alb-keepalive-shorter-than-idle-timeout.yaml", "web-alb:80", func(s string) string { return s },
			"idle timeout to 4 s", "idle_timeout.timeout_seconds,Value=4", true},
		{"classic", "../../examples/classic/clb-bridge.yaml", "web-elb:80", func(s string) string {
			return strings.Replace(s, "serves: {/: 200, /health: 200}", "serves: {/: 200, /health: 200}\n        keep_alive_timeout: 5", 1)
		}, "Classic Load Balancer web-elb's idle timeout to 4 s", `{"ConnectionSettings":{"IdleTimeout":4}}`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := load(t, c.file, c.edit)
			fixes, res, err := fix.Find(e, "internet", c.to, "tcp", fix.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != reach.HTTP200 || !res.HasCode(reach.CodeKeepAliveShorterThanIdle) {
				t.Fatalf("%s: %s", res.Verdict, res.Summary)
			}
			var lower, app bool
			for _, f := range fixes {
				if f.Verification.Verdict != reach.HTTP200 {
					t.Errorf("fix %q verified as %s", f.Title, f.Verification.Verdict)
				}
				switch {
				case strings.Contains(f.Title, c.lower):
					lower = strings.Contains(strings.Join(f.Commands, "\n"), c.command)
				case strings.Contains(f.Title, "keep idle connections open longer") && strings.Contains(f.Scenario, "keep_alive_timeout: 65"):
					app = true
				}
			}
			if !lower || app != c.app {
				var titles []string
				for _, f := range fixes {
					titles = append(titles, f.Title+" | "+strings.Join(f.Commands, "; "))
				}
				t.Errorf("lower idle timeout %v, longer keep-alive %v; fixes:\n%s", lower, app, strings.Join(titles, "\n"))
			}
		})
	}
}
