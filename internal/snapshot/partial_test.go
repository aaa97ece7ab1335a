package snapshot_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// The article's probes give the same verdicts from its snapshot as from
// the scenario it was built from.
func TestArticleVerdictsFromSnapshot(t *testing.T) {
	st := seedState(t, "article")
	dir, _ := writeSnapshot(t, st)
	res := load(t, dir)
	for _, p := range []struct {
		from, to string
		want     reach.Verdict
	}{
		{"internet", "203.0.113.2:3000", reach.Timeout},
		{"ecs-asg/0", "web/0:3000", reach.Connected},
		{"internet", "203.0.113.2:22", reach.Connected},
	} {
		live := probe(t, st, p.from, p.to)
		got := probe(t, state(res), p.from, p.to)
		if live.Verdict != p.want || got.Verdict != p.want {
			t.Errorf("%s → %s: live %s, snapshot %s, want %s", p.from, p.to, live.Verdict, got.Verdict, p.want)
		}
		if live.Summary != got.Summary {
			t.Errorf("%s → %s: summaries differ:\nlive     %s\nsnapshot %s", p.from, p.to, live.Summary, got.Summary)
		}
		if u := res.UndecidedBy(got); len(u) > 0 {
			t.Errorf("%s → %s: undecided in a complete snapshot: %v", p.from, p.to, u)
		}
	}
}

// Removing any one file of a snapshot never breaks loading or probing; the
// missing call is named in a warning; and every probe either gets the
// complete snapshot's verdict or is undecided (UndecidedBy): a partial
// snapshot never decides wrongly.
func TestEveryFileMissing(t *testing.T) {
	probes := map[string][][2]string{
		"alb": {{"internet", "web-alb:80"}, {"ecs-asg/0", "web/0:3000"}, {"internet", "203.0.113.2:3000"},
			{"internet", "203.0.113.2:22"}, {"web-alb", "web/0:3000"}, {"web/0", "internet:443"}},
		"article": {{"internet", "203.0.113.2:3000"}, {"ecs-asg/0", "web/0:3000"}, {"internet", "203.0.113.2:22"}, {"web/0", "internet:443"}},
		"bridge":  {{"internet", "203.0.113.2:3000"}, {"internet", "203.0.113.2:22"}},
		"fargate": {{"internet", "web/0:3000"}, {"web/0", "internet:443"}},
	}
	for _, name := range sortedKeys(probes) {
		t.Run(name, func(t *testing.T) { everyFileMissing(t, name, probes[name]) })
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func everyFileMissing(t *testing.T, scenario string, probes [][2]string) {
	st := seedState(t, scenario)
	full := map[[2]string]reach.Verdict{}
	for _, p := range probes {
		full[p] = probe(t, st, p[0], p[1]).Verdict
	}
	_, region := writeSnapshot(t, st)
	files, err := os.ReadDir(region)
	if err != nil {
		t.Fatal(err)
	}
	optional := map[string]bool{"ec2-describe-prefix-lists.json": true, "ec2-describe-vpc-endpoint-service-configurations.json": true, "ec2-describe-launch-templates.json": true,
		"ec2-describe-launch-template-versions.json": true, "autoscaling-describe-launch-configurations.json": true, "elbv2-describe-rules.json": true,
		"elb-describe-load-balancers.json": true, "ec2-describe-vpc-block-public-access-options.json": true,
		"ec2-describe-vpc-block-public-access-exclusions.json": true, "ec2-describe-managed-prefix-lists.json": true}
	for _, f := range files {
		t.Run(f.Name(), func(t *testing.T) {
			dir := t.TempDir()
			dst := filepath.Join(dir, "aws_configs", "us-east-1")
			for _, g := range files {
				if g.Name() == f.Name() {
					continue
				}
				b, err := os.ReadFile(filepath.Join(region, g.Name()))
				if err != nil {
					t.Fatal(err)
				}
				writeFile(t, filepath.Join(dst, g.Name()), string(b))
			}
			res := load(t, dir)
			for _, c := range snapshot.Calls() {
				if c.File != f.Name() || optional[c.File] {
					continue
				}
				mentioned := false
				for _, w := range res.Warnings {
					if w.Code == snapshot.CodeMissing && strings.Contains(w.Message, c.Command()) {
						mentioned = true
					}
				}
				if !mentioned && !strings.Contains(f.Name(), "target-health") && !strings.Contains(f.Name(), "listeners") &&
					!strings.Contains(f.Name(), "target-groups") && !strings.Contains(f.Name(), "task-definition") {
					t.Errorf("no warning names the missing %s: %v", c.Command(), res.Warnings)
				}
			}
			for _, spec := range probes {
				n := reach.Compile(state(res))
				q, err := reach.NewQuery(n, spec[0], spec[1], "tcp")
				if err != nil {
					continue // the endpoint itself is what the file described
				}
				r := reach.Probe(n, q)
				want := full[spec]
				if u := res.UndecidedBy(r); r.Verdict != want && len(u) == 0 {
					t.Errorf("%s → %s: %s without %s, %s with it, and not undecided: %s", spec[0], spec[1], r.Verdict, f.Name(), want, r.Summary)
				}
			}
		})
	}
}

// Without describe-security-groups, the groups ENIs name become
// placeholders, and a probe through them is undecided, not a verdict.
func TestNoSecurityGroups(t *testing.T) {
	st := seedState(t, "article")
	dir, region := writeSnapshot(t, st)
	if err := os.Remove(filepath.Join(region, "ec2-describe-security-groups.json")); err != nil {
		t.Fatal(err)
	}
	res := load(t, dir)
	c := codes(res.Warnings)
	if c[snapshot.CodeMissing] != 1 || c[snapshot.CodePlaceholder] < 2 {
		t.Errorf("warnings = %v, want one missing call and a placeholder per group", res.Warnings)
	}
	r := probe(t, state(res), "internet", "203.0.113.2:3000")
	u := res.UndecidedBy(r)
	if len(u) == 0 {
		t.Fatalf("probe %s through an unknown group is decided: %s", r.Verdict, r.Summary)
	}
	if !strings.Contains(u[0].Message, "is unknown") || u[0].Code != snapshot.CodePlaceholder {
		t.Errorf("undecided because %v", u)
	}
	for _, w := range res.Warnings {
		if w.Code == snapshot.CodeMissing && !strings.Contains(w.Message, "no ec2 describe-security-groups output") {
			t.Errorf("missing warning = %q", w.Message)
		}
	}
}
