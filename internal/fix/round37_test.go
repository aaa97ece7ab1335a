package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
)

// titlesOf returns the titles of the verified fixes of a probe.
func titlesOf(t *testing.T, story, from, to string, edit func(string) string) []string {
	t.Helper()
	e := load(t, "../../examples/failures/"+story, edit)
	fixes, _, err := fix.Find(e, from, to, "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fixes {
		if f.Verification.Verdict != "" {
			out = append(out, f.Title)
		}
	}
	return out
}

// Already peered, the peer routing back: the route in the one table that
// lacks it, not a new peering connection.
func TestPeeringRouteFixNoNewConnection(t *testing.T) {
	titles := titlesOf(t, "peering-route-one-zone-table.yaml", "api/1", "10.1.1.4:5432", nil)
	if len(titles) == 0 {
		t.Fatal("no verified fix")
	}
	for _, title := range titles {
		if strings.HasPrefix(title, "Peer ") {
			t.Errorf("a new peering connection proposed: %q", title)
		}
	}
}

// The more specific route to the internet gateway goes to the default
// route's NAT gateway; without a NAT gateway there, no such fix.
func TestIGWMoreSpecificRouteFix(t *testing.T) {
	const story = "private-subnet-specific-route-igw.yaml"
	titles := titlesOf(t, story, "sync/0", "100.20.5.9:443", nil)
	if len(titles) == 0 || !strings.HasPrefix(titles[0], "Route 100.20.0.0/16 to the NAT gateway nat-a") {
		t.Errorf("fixes %q: want the route to nat-a first", titles)
	}
	titles = titlesOf(t, story, "sync/0", "100.20.5.9:443", func(s string) string {
		return strings.Replace(s, "      - {destination: 0.0.0.0/0, target: nat-a}\n", "", 1)
	})
	for _, title := range titles {
		if strings.Contains(title, "to the NAT gateway nat-a, as 0.0.0.0/0 is") {
			t.Errorf("no default route to a NAT gateway, yet %q", title)
		}
	}
}

// A health check matcher takes a redirect only when no path answers what
// the matcher accepts: with /login answering 200 (health-check-302.yaml)
// the path is the fix, not the matcher.
func TestRedirectMatcherOnlyWithoutPath(t *testing.T) {
	for _, title := range titlesOf(t, "health-check-302.yaml", "internet", "web-alb:80", nil) {
		if strings.HasPrefix(title, "Accept 302") {
			t.Errorf("a path answers 200, yet %q", title)
		}
	}
	titles := titlesOf(t, "health-check-https-redirect-301.yaml", "internet", "web-alb:80", nil)
	if len(titles) == 0 || !strings.HasPrefix(titles[0], "Accept 301 in the health check matcher of web-tg (200,301)") {
		t.Errorf("fixes %q", titles)
	}
}

// The health check protocol fix is kept only when it turns the targets
// healthy: a 404 path is no protocol problem.
func TestHealthProtocolFixOnlyWhenItHeals(t *testing.T) {
	titles := titlesOf(t, "health-check-404.yaml", "internet", "web-alb:80", nil)
	for _, title := range titles {
		if strings.Contains(title, "over HTTPS") {
			t.Errorf("a 404 health path, yet %q", title)
		}
	}
}
