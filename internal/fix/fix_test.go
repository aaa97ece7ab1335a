package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

func load(t *testing.T, path string, edit func(string) string) *engine.Engine {
	t.Helper()
	sc, err := scenario.Load(path)
	if edit != nil {
		data := mustRead(t, path)
		sc, err = scenario.Parse(path, []byte(edit(data)))
	}
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck))
	if err != nil {
		t.Fatal(err)
	}
	return b.Engine
}

// The article: the four remedies of the article, each verified, and no
// "open the instance SG" (it only turns the timeout into a refusal).
func TestArticleRemedies(t *testing.T) {
	e := load(t, "../../examples/seed/article.yaml", nil)
	before, _ := e.Snapshot()
	fixes, res, err := fix.Find(e, "internet", "203.0.113.2:3000", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.Timeout {
		t.Fatalf("verdict %s", res.Verdict)
	}
	want := []struct{ kind, verdict string }{
		{"load-balancer", "http 200"}, {"private-address", "connected"}, {"network-mode", "connected"}, {"fargate", "connected"},
	}
	if len(fixes) != len(want) {
		for _, f := range fixes {
			t.Logf("fix %s: %s", f.Kind, f.Title)
		}
		t.Fatalf("%d fixes, want %d", len(fixes), len(want))
	}
	for i, w := range want {
		f := fixes[i]
		if f.Kind != w.kind || string(f.Verification.Verdict) != w.verdict || f.Rank != i+1 || len(f.Commands) == 0 || f.Scenario == "" {
			t.Errorf("fix %d = %s %q verified %s, want %s %s", i+1, f.Kind, f.Title, f.Verification.Verdict, w.kind, w.verdict)
		}
	}
	if !strings.Contains(strings.Join(fixes[0].Commands, "\n"), "aws elbv2 create-load-balancer --name web-alb --type application --scheme internet-facing") {
		t.Errorf("ALB commands:\n%s", strings.Join(fixes[0].Commands, "\n"))
	}
	after, _ := e.Snapshot()
	if len(after.LoadBalancers) != len(before.LoadBalancers) || len(after.Services) != len(before.Services) {
		t.Error("Find changed the engine it was given")
	}
}

// Behind an ALB whose task SG does not admit the load balancer, the least
// privileged fix (the ALB's group) comes first, before CIDRs.
func TestLeastPrivilegeFirst(t *testing.T) {
	e := load(t, "../../examples/seed/alb.yaml", func(s string) string {
		return strings.Replace(s, "      - {protocol: tcp, ports: 3000, group: alb-sg}", "      - {protocol: tcp, ports: 22, cidr: 10.0.0.0/16}", 1)
	})
	fixes, res, err := fix.Find(e, "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.HTTP504 {
		t.Fatalf("verdict %s, want http 504", res.Verdict)
	}
	if len(fixes) < 2 {
		t.Fatalf("fixes: %+v", fixes)
	}
	if fixes[0].Kind != "security-group" || !strings.Contains(fixes[0].Title, "from security group alb-sg") || !strings.Contains(fixes[0].Commands[0], "--source-group sg-") {
		t.Errorf("first fix = %q %v", fixes[0].Title, fixes[0].Commands)
	}
	for i, f := range fixes {
		if f.Verification.Verdict != reach.HTTP200 {
			t.Errorf("fix %d verified %s", i+1, f.Verification.Verdict)
		}
	}
	if !strings.Contains(fixes[1].Title, "the VPC 10.0.0.0/16") {
		t.Errorf("second fix %q: want the VPC's range (a load balancer node's /32 is never proposed)", fixes[1].Title)
	}
}

// A network ACL that forgets the ephemeral return ports: the fix adds an
// egress entry for 1024-65535, numbered before the deny.
func TestNACLReturnFix(t *testing.T) {
	e := load(t, "../../examples/seed/bridge.yaml", func(s string) string {
		return s + `
network_acls:
  strict:
    vpc: main
    subnets: [public-a, public-c]
    ingress:
      - {rule: 100, protocol: all, cidr: 0.0.0.0/0, action: allow}
    egress:
      - {rule: 100, protocol: tcp, ports: 443, cidr: 0.0.0.0/0, action: allow}
`
	})
	fixes, res, err := fix.Find(e, "internet", "203.0.113.2:3000", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.Timeout || !res.HasCode(reach.CodeSubnetACLRestriction) {
		t.Fatalf("verdict %s, codes %v", res.Verdict, res.Explanations)
	}
	if len(fixes) == 0 || fixes[0].Kind != "network-acl" || !strings.Contains(fixes[0].Commands[0], "--egress") || !strings.Contains(fixes[0].Commands[0], "From=1024,To=65535") {
		t.Fatalf("fixes = %+v", fixes)
	}
}

// A probe that already succeeds has no fixes.
func TestNoFixNeeded(t *testing.T) {
	e := load(t, "../../examples/seed/bridge.yaml", nil)
	fixes, res, err := fix.Find(e, "internet", "203.0.113.2:3000", "tcp", fix.Options{})
	if err != nil || !res.Reachable || len(fixes) != 0 {
		t.Errorf("err %v reachable %v fixes %d", err, res.Reachable, len(fixes))
	}
}

// Applying a fix to a clone makes the probe pass there.
func TestApplyToClone(t *testing.T) {
	e := load(t, "../../examples/seed/article.yaml", nil)
	fixes, _, err := fix.Find(e, "internet", "203.0.113.2:3000", "tcp", fix.Options{})
	if err != nil || len(fixes) == 0 {
		t.Fatal(err)
	}
	c := e.Clone()
	if err := fixes[0].Apply(c); err != nil {
		t.Fatal(err)
	}
	st, _ := c.Snapshot()
	n := reach.Compile(st)
	q, err := reach.NewQuery(n, "internet", "web-alb:80", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	if r := reach.Probe(n, q); r.Verdict != reach.HTTP200 {
		t.Errorf("after applying the ALB fix: %s", r.Summary)
	}
}
