package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// A connection to a load balancer port without a listener times out
// (ELBV2_LISTENER_PORT_RESTRICTION). With a redirect to that port, the
// listener of the redirect's protocol moves there; without one, a new
// listener on the port copies the first listener's default actions.
func TestListenerPortFixes(t *testing.T) {
	const path = "../../examples/failures/alb-redirect-no-https-listener.yaml"
	for _, c := range []struct {
		name string
		edit func(string) string
		want string
	}{
		{"redirect", nil, "Move the listener HTTPS:8443 of web-alb to port 443"},
		{"no-redirect", func(s string) string {
			return strings.Replace(s, `redirect: "HTTPS:443", redirect_status: 301`, "forward: web-tg", 1)
		}, "Add a listener HTTP:443 to web-alb with the default actions of its listener HTTP:80 (forward)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := load(t, path, c.edit)
			fixes, res, err := fix.Find(e, "internet", "web-alb:443", "tcp", fix.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != reach.Timeout || !res.HasCode(reach.CodeListenerPortRestriction) {
				t.Fatalf("%s: %s", res.Verdict, res.Summary)
			}
			for _, f := range fixes {
				if f.Kind == "listener" && strings.HasPrefix(f.Title, c.want) && f.Verification.Verdict.Reachable() {
					return
				}
			}
			t.Fatalf("no verified fix %q: %+v", c.want, fixes)
		})
	}
}
