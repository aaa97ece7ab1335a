package fix_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
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
		// A CNAME to a deleted NLB's name (NAME-ID.elb.REGION.amazonaws.com).
		{"route53-cname-old-nlb-name.yaml", reach.CodeDNSAliasDangling, "Point the record api.example.com at the load balancer web-alb"},
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

// TestRoute53RepointWeighted: the dangling alias is one record of a
// weighted set; the fix points that record at the load balancer and it
// stays a record of the set (its SetIdentifier and weight), with no
// record beside the set.
func TestRoute53RepointWeighted(t *testing.T) {
	b, err := os.ReadFile("../../examples/failures/route53-alias-deleted-alb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Replace(string(b), "      api: {alias: web-alb-old-1234567890.us-east-1.elb.amazonaws.com, alias_zone: Z35SXDOTRQ7X7K}\n",
		"      api:\n        weighted:\n          - {set_identifier: old, weight: 90, alias: web-alb-old-1234567890.us-east-1.elb.amazonaws.com, alias_zone: Z35SXDOTRQ7X7K}\n          - {set_identifier: new, weight: 10, alias: web-alb}\n", 1)
	sc, err := scenario.Parse("w.yaml", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	built, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
	if err != nil {
		t.Fatal(err)
	}
	var x *scenario.Expectation
	for i := range sc.Expect {
		if sc.Expect[i].Cause == reach.CodeDNSAliasDangling {
			x = &sc.Expect[i]
		}
	}
	if x == nil {
		t.Fatal("no expectation")
	}
	fixes, res, err := fix.Find(built.Engine, x.From, x.To, x.Protocol, fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var f *fix.Fix
	for i := range fixes {
		if strings.Contains(fixes[i].Title, "Point the record api.example.com at the load balancer web-alb") {
			f = &fixes[i]
		}
	}
	if f == nil {
		t.Fatalf("no repoint fix for %s (%v)", res.Verdict, res.Explanations)
	}
	if !strings.Contains(strings.Join(f.Commands, "\n"), `"SetIdentifier":"old","Weight":90`) {
		t.Errorf("commands %v do not name the weighted record", f.Commands)
	}
	// The scenario form is the whole weighted set, old repointed beside
	// new: written into the file in place of the record, it reaches.
	const recs = "    records:\n"
	i := strings.Index(f.Scenario, recs)
	if i < 0 || !strings.Contains(f.Scenario, "weighted:") || !strings.Contains(f.Scenario, "{set_identifier: new, weight: 10, alias: ") ||
		!strings.Contains(f.Scenario, "{set_identifier: old, weight: 90, alias: web-alb-") || strings.Contains(f.Scenario, "old-1234567890") {
		t.Fatalf("scenario form:\n%s", f.Scenario)
	}
	start := strings.Index(body, "      api:\n")
	end := strings.Index(body[start:], "alias: web-alb}\n") + len("alias: web-alb}\n")
	fixed := body[:start] + f.Scenario[i+len(recs):] + body[start+end:]
	sc2, err := scenario.Parse("w.yaml", []byte(fixed))
	if err != nil {
		t.Fatalf("%v\n%s", err, fixed)
	}
	built2, err := sc2.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
	if err != nil {
		t.Fatal(err)
	}
	st2, _ := built2.Engine.Snapshot()
	n2 := reach.Compile(st2)
	q2, err := reach.NewQuery(n2, x.From, x.To, x.Protocol)
	if err != nil {
		t.Fatal(err)
	}
	if r := reach.Probe(n2, q2); !r.Verdict.Reachable() {
		t.Errorf("the scenario with the fix's records: %s: %s", r.Verdict, r.Summary)
	}
	if err := f.Apply(built.Engine); err != nil {
		t.Fatal(err)
	}
	st, _ := built.Engine.Snapshot()
	var got []string
	for _, z := range st.HostedZones {
		for _, r := range z.Lookup("api.example.com") {
			w := int64(-1)
			if r.Weight != nil {
				w = *r.Weight
			}
			got = append(got, fmt.Sprintf("%s/%d/%s", r.SetIdentifier, w, r.Alias.DNSName))
		}
	}
	slices.Sort(got)
	if len(got) != 2 || !strings.HasPrefix(got[0], "new/10/") || !strings.HasPrefix(got[1], "old/90/web-alb-") || strings.Contains(got[1], "old-1234567890") {
		t.Errorf("api records after the fix = %v, want old (90) pointed at web-alb beside new (10)", got)
	}
}
