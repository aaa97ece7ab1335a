package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
)

// A listener that forwards only requests with CloudFront's secret origin
// header: a request without it gets the default 403, and the first fix is
// the client's (send the header), verified with the header, before any
// rule that would forward without it. A rule whose header value is a
// wildcard cannot be sent: no such fix.
func TestHeaderRuleClientFix(t *testing.T) {
	const story = "../../examples/failures/alb-cloudfront-secret-header-direct.yaml"
	fixes, res, err := fix.Find(load(t, story, nil), "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != "http 403" {
		t.Fatalf("verdict %s", res.Verdict)
	}
	if len(fixes) == 0 || fixes[0].Kind != "client-request" || !strings.Contains(fixes[0].Title, "Send the header X-Origin-Verify: 3f8a-secret") ||
		fixes[0].Verification.Verdict != "http 200" {
		t.Fatalf("the first fix is not the header: %+v", fixes)
	}
	wild := load(t, story, func(s string) string {
		return strings.Replace(s, "header: {X-Origin-Verify: 3f8a-secret}, forward", "header: {X-Origin-Verify: \"3f8a-*\"}, forward", 1)
	})
	fixes, _, err = fix.Find(wild, "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixes {
		if f.Kind == "client-request" {
			t.Errorf("a wildcard header value proposed: %s", f.Title)
		}
	}
}
