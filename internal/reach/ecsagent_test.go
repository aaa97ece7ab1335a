package reach

import (
	"strings"
	"testing"
)

// TestTaskMetadataEndpoint: 169.254.170.2:80, where containers get their
// task role's credentials and task metadata, is answered for every task
// (by its instance's ECS agent, or by Fargate) and for a container
// instance's own processes, past no security group or route; an instance
// without an ECS agent gets nothing. It was routed as a private address
// of no VPC (no route).
func TestTaskMetadataEndpoint(t *testing.T) {
	for _, c := range []struct {
		story, from, to string
		want            Verdict
		code, says      string
	}{
		{"examples/seed/article.yaml", "web/0", "169.254.170.2", HTTP200, "", "the ECS agent on ecs-asg/0 answers the task web/0 (awsvpc mode)"},
		{"examples/seed/bridge.yaml", "web/0", "task-metadata", HTTP200, "", "(bridge mode)"},
		{"examples/seed/article.yaml", "ecs-asg/0", "169.254.170.2:80", HTTP200, "", "a process of the instance"},
		{"examples/failures/internal-alb-from-internet.yaml", "web/0", "169.254.170.2", HTTP200, "", "Fargate answers the task web/0"},
		{"examples/failures/internal-alb-from-internet.yaml", "bastion", "169.254.170.2", Timeout, CodeTaskMetadataUnavailable, "no ECS agent runs on bastion"},
	} {
		t.Run(c.story+" "+c.from, func(t *testing.T) {
			n := compileEngine(build(t, repoFile(c.story)))
			r := probeSpec(t, n, c.from, c.to, "tcp")
			if c.code != "" {
				check(t, r, c.want, c.code)
			} else if r.Verdict != c.want {
				t.Errorf("verdict %s, want %s: %s", r.Verdict, c.want, r.Summary)
			}
			if r.Port != 80 || r.To.Kind != KindTaskMetadata {
				t.Errorf("port %d, kind %s", r.Port, r.To.Kind)
			}
			if !strings.Contains(r.Summary, c.says) {
				t.Errorf("summary %q, want it to say %q", r.Summary, c.says)
			}
		})
	}
	n := compileEngine(article(t))
	for _, c := range [][2]string{{"internet", "169.254.170.2"}, {"web/0", "169.254.170.2:8080"}} {
		if r := probeSpec(t, n, c[0], c[1], "tcp"); r.Verdict != Unknown {
			t.Errorf("%s → %s: %s %s, want unknown", c[0], c[1], r.Verdict, r.Summary)
		}
	}
}
