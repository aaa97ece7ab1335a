package reach

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// storyWith builds a failure story with one substitution (old → new;
// old "" keeps it as it is) and compiles it.
func storyWith(t *testing.T, rel, old, new string) *Network {
	t.Helper()
	story, err := os.ReadFile(repoFile(rel))
	if err != nil {
		t.Fatal(err)
	}
	src := string(story)
	if old != "" {
		if !strings.Contains(src, old) {
			t.Fatalf("%s has no %q", rel, old)
		}
		src = strings.Replace(src, old, new, 1)
	}
	path := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return compileEngine(build(t, path))
}

func probePath(t *testing.T, n *Network, from, to, path string) *Result {
	t.Helper()
	q, err := NewQuery(n, from, to, "tcp")
	if err != nil {
		t.Fatal(err)
	}
	q.HTTPPath = path
	return Probe(n, q)
}

// TestSlowResponseALB504: an ALB answers 504 to a request its target
// takes longer to answer than the idle timeout (ALB troubleshooting, HTTP
// 504; data-mermaid/mermaid-api#522), and only that request: the other
// paths answer 200, and an idle timeout above the answer lets it through.
func TestSlowResponseALB504(t *testing.T) {
	const story = "examples/failures/alb-slow-export-504.yaml"
	const export = "/v1/projects/42/export?format=csv"
	for _, c := range []struct {
		name, old, new, path string
		want                 Verdict
	}{
		{"export", "", "", export, HTTP504},
		{"another path", "", "", "/v1/projects/42/sites", HTTP200},
		{"answer equal to the idle timeout", "export: 90}", "export: 60}", export, HTTP504},
		{"answer within the idle timeout", "export: 90}", "export: 59}", export, HTTP200},
		{"idle timeout raised", "    security_groups: [alb-sg]\n", "    security_groups: [alb-sg]\n    attributes: {idle_timeout.timeout_seconds: \"120\"}\n", export, HTTP200},
		{"idle timeout lowered", "    security_groups: [alb-sg]\n", "    security_groups: [alb-sg]\n    attributes: {idle_timeout.timeout_seconds: \"10\"}\n", "/v1/projects/7/export", HTTP504},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := storyWith(t, story, c.old, c.new)
			r := probePath(t, n, "internet", "api-alb:80", c.path)
			if r.Verdict != c.want {
				t.Fatalf("verdict %s, want %s: %s", r.Verdict, c.want, r.Summary)
			}
			if c.want != HTTP504 {
				if r.HasCode(CodeTargetResponseSlow) {
					t.Errorf("codes %s", codeList(r))
				}
				return
			}
			x := check(t, r, HTTP504, CodeTargetResponseSlow)[CodeTargetResponseSlow]
			if x.Decided == nil || x.Decided.Name != "api-alb" || !strings.Contains(x.Message, "504") || !strings.Contains(x.Message, "idle_timeout.timeout_seconds") {
				t.Errorf("explanation %+v", x)
			}
		})
	}
}

// TestSlowHealthCheckTimeout: a health check path the application answers
// after the check's timeout fails with Target.Timeout ("Request timed
// out"), though the connection is accepted (aws/amazon-ecs-agent#1872); a
// timeout above the answer, or an answer within it, is healthy.
func TestSlowHealthCheckTimeout(t *testing.T) {
	const story = "examples/failures/health-check-slow-endpoint-timeout.yaml"
	for _, c := range []struct {
		name, old, new string
		unhealthy      bool
	}{
		{"default timeout", "", "", true},
		{"answer within the timeout", "/healthcheck: 8}", "/healthcheck: 4}", false},
		{"timeout above the answer", "{path: /healthcheck, interval: 30}", "{path: /healthcheck, interval: 30, timeout: 10}", false},
		{"timeout equal to the answer", "{path: /healthcheck, interval: 30}", "{path: /healthcheck, interval: 30, timeout: 8}", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := storyWith(t, story, c.old, c.new)
			for _, tg := range n.st.TargetGroups {
				hs := TargetHealth(n, tg.ARN)
				if len(hs) == 0 {
					t.Fatal("no targets")
				}
				for _, h := range hs {
					if (h.State == HealthUnhealthy) != c.unhealthy {
						t.Fatalf("target %s: %s %s", h.Name, h.State, h.Reason)
					}
					if c.unhealthy && (h.Reason != ReasonTimeout || h.Description != "Request timed out") {
						t.Errorf("target %s: %s %q", h.Name, h.Reason, h.Description)
					}
				}
			}
			r := probeSpec(t, n, "internet", "publisher-alb:80", "tcp")
			if r.HasCode(CodeTargetUnhealthy) != c.unhealthy {
				t.Fatalf("codes %s", codeList(r))
			}
			if c.unhealthy {
				for _, x := range r.Explanations {
					if x.Code == CodeTargetUnhealthy && !strings.Contains(x.Message, "answers in 8 s, not within the health check's timeout") {
						t.Errorf("explanation %q", x.Message)
					}
				}
			}
		})
	}
}

// TestSlowResponseClassic504: a Classic Load Balancer's HTTP listener
// answers 504 when the instance takes its idle timeout or longer
// (ConnectionSettings.IdleTimeout, 60 s by default; Knowledge Center,
// "504 errors … Classic Load Balancer"), and 200 for a path answered in
// time.
func TestSlowResponseClassic504(t *testing.T) {
	n := storyWith(t, "examples/classic/clb-bridge.yaml", "serves: {/: 200, /health: 200}", "serves: {/: 200, /health: 200, /slow: 200}\n        response_seconds: {/slow: 75}")
	if r := probePath(t, n, "internet", "web-elb:80", "/"); r.Verdict != HTTP200 {
		t.Fatalf("/: %s: %s", r.Verdict, r.Summary)
	}
	r := probePath(t, n, "internet", "web-elb:80", "/slow")
	x := check(t, r, HTTP504, CodeTargetResponseSlow)[CodeTargetResponseSlow]
	if x.Decided == nil || x.Decided.Name != "web-elb" || !strings.Contains(x.Message, "ConnectionSettings.IdleTimeout") {
		t.Errorf("explanation %+v", x)
	}
}
