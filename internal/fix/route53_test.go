package fix_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// The Route 53 stories: the failing expectation's verdict and cause, and
// the verified fix the story's engineer applied (its title names it).
func TestRoute53StoryFixes(t *testing.T) {
	for _, c := range []struct{ file, cause, title string }{
		{"route53-private-zone-other-vpc.yaml", reach.CodePrivateZoneNotAssociated, "Associate the private hosted zone corp.example"},
		{"route53-split-horizon-missing-record.yaml", reach.CodePrivateZoneSplitHorizon, "Create the A record api.example.com in the private hosted zone example.com"},
		// Verified by the name the clients use: the public record now
		// aliases the new load balancer.
		{"route53-public-alias-internal-alb.yaml", reach.CodeInternalLB, "Create an internet-facing load balancer web-alb-public"},
		{"route53-alias-deleted-alb.yaml", reach.CodeDNSAliasDangling, "Point the record api.example.com at the load balancer web-alb"},
	} {
		t.Run(c.file, func(t *testing.T) {
			sc, err := scenario.Load(filepath.Join("../../examples/failures", c.file))
			if err != nil {
				t.Fatal(err)
			}
			b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
			if err != nil {
				t.Fatal(err)
			}
			var x *scenario.Expectation
			for i := range sc.Expect {
				if sc.Expect[i].Cause == c.cause {
					x = &sc.Expect[i]
					break
				}
			}
			if x == nil {
				t.Fatalf("no expectation with cause %s", c.cause)
			}
			fixes, res, err := fix.Find(b.Engine, x.From, x.To, x.Protocol, fix.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if string(res.Verdict) != x.Verdict || !res.HasCode(c.cause) {
				t.Fatalf("verdict %s (%v), want %s with %s: %s", res.Verdict, res.Explanations, x.Verdict, c.cause, res.Summary)
			}
			var titles []string
			for _, f := range fixes {
				if strings.Contains(f.Title, c.title) {
					if !f.Verification.Verdict.Reachable() || len(f.Commands) == 0 || f.Scenario == "" {
						t.Errorf("fix %q: verification %+v, commands %v, scenario %q", f.Title, f.Verification, f.Commands, f.Scenario)
					}
					if c.cause == reach.CodeInternalLB && (f.Verification.To != x.To || !strings.HasSuffix(f.Title, "and point the record app.example.com at it")) {
						t.Errorf("fix %q verified to %s, want by the name %s with the record pointed at the new load balancer", f.Title, f.Verification.To, x.To)
					}
					return
				}
				titles = append(titles, f.Title)
			}
			t.Errorf("no fix %q; got %s", c.title, strings.Join(titles, "; "))
		})
	}
}
