package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// A plain HTTP client of an NLB's TLS listener is reset by the node
// before any target group is looked at: the verified fix is the client
// calling https://, nothing in the system changed. (The TLS target group
// in front of a plain application has its own fixes: the story's, in
// TestFailureStoryFixes.)
func TestPlainHTTPToNLBTLSListener(t *testing.T) {
	const story = "../../examples/failures/nlb-tls-target-group-plain-app.yaml"
	e := load(t, story, func(s string) string {
		return strings.Replace(s, "protocol: TLS\n    port: 8080", "protocol: TCP\n    port: 8080", 1)
	})
	fixes, res, err := fix.Find(e, "internet", "api-nlb:443", "tcp", fix.Options{Request: func(q *reach.Query) { q.PlainHTTP = true }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.Refused || !res.HasCode(reach.CodePlainHTTPToHTTPSListener) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	var titles []string
	for _, f := range fixes {
		titles = append(titles, f.Title)
		if strings.HasPrefix(f.Title, "Call https://<DNS name of api-nlb>/ instead of http://: the listener api-nlb TLS:443 is TLS") && f.Verification.Verdict == reach.Connected {
			return
		}
	}
	t.Errorf("no verified https:// fix; fixes:\n%s", strings.Join(titles, "\n"))
}

// An NLB's TLS target group of an instance's sshd, registered by hand (no
// ECS service registers there): the TCP copy of the group gets the same
// targets, registered by hand too, and is verified.
func TestNLBTLSTargetGroupHandRegistered(t *testing.T) {
	e := load(t, "../../internal/dataplane/testdata/nlb-tls.yaml", func(s string) string { return s })
	fixes, res, err := fix.Find(e, "internet", "api-nlb:11443", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.Refused || !res.HasCode(reach.CodeNLBTLSTargetHandshake) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	var titles []string
	for _, f := range fixes {
		titles = append(titles, f.Title)
		if f.Title == "Forward to a new target group sshd-tls-tg-tcp of protocol TCP instead of sshd-tls-tg (TLS), and register its targets in it" &&
			f.Verification.Verdict == reach.Connected && strings.Contains(strings.Join(f.Commands, "\n"), "aws elbv2 register-targets") {
			return
		}
	}
	t.Errorf("no verified TCP copy registering the targets; fixes:\n%s", strings.Join(titles, "\n"))
}
