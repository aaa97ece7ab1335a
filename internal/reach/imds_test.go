package reach

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIMDSHopLimit: an IMDSv2 token request (PUT) from a bridge mode
// container is two hops from the instance metadata service, so a hop
// limit of 1 drops its response (buildkite/elastic-ci-stack-for-aws#857;
// EC2 User Guide, "Instance metadata access considerations"); the
// instance itself, a host mode task and a hop limit of 2 get their token;
// a GET without a token is 401 when IMDSv2 is required, 200 when it is
// optional; an awsvpc task whose agent blocks IMDS, an instance whose
// metadata service is off and a Fargate task get nothing.
func TestIMDSHopLimit(t *testing.T) {
	story, err := os.ReadFile(repoFile("examples/failures/analyzer-only/imds-hop-limit-bridge-container.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const md = "metadata_options: {http_tokens: required, hop_limit: 1}"
	for _, c := range []struct {
		name       string
		edits      [][2]string
		from, meth string
		want       Verdict
		code       string
	}{
		{"bridge hop limit 1", nil, "worker/0", "PUT", Timeout, CodeIMDSHopLimit},
		{"instance hop limit 1", nil, "ecs-asg/0", "PUT", HTTP200, ""},
		{"bridge hop limit 2", [][2]string{{md, "metadata_options: {http_tokens: required, hop_limit: 2}"}}, "worker/0", "PUT", HTTP200, ""},
		{"bridge EC2 defaults", [][2]string{{md, ""}}, "worker/0", "PUT", HTTP200, ""},
		{"host mode hop limit 1", [][2]string{{"network_mode: bridge", "network_mode: host"}}, "worker/0", "PUT", HTTP200, ""},
		{"IMDSv1 required", nil, "worker/0", "GET", HTTPVerdict(401), ""},
		{"IMDSv1 optional", [][2]string{{"http_tokens: required", "http_tokens: optional"}}, "worker/0", "GET", HTTP200, ""},
		{"endpoint disabled", [][2]string{{md, "metadata_options: {http_endpoint: disabled}"}}, "ecs-asg/0", "PUT", Timeout, CodeIMDSUnavailable},
		{"awsvpc blocked", [][2]string{{"network_mode: bridge", "network_mode: awsvpc"},
			{"launch_type: EC2}", "launch_type: EC2, subnets: [public-a]}"},
			{"ECS_CLUSTER=jobs >>", "ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config\n      echo ECS_CLUSTER=jobs >>"}}, "worker/0", "PUT", NoRoute, CodeIMDSUnavailable},
		{"fargate", [][2]string{{"network_mode: bridge\n    requires: [EC2]", "network_mode: awsvpc\n    requires: [FARGATE]\n    cpu: \"256\"\n    memory: \"512\""},
			{"launch_type: EC2}", "launch_type: FARGATE, subnets: [public-a], assign_public_ip: true}"}}, "worker/0", "PUT", NoRoute, CodeIMDSUnavailable},
		{"awsvpc not blocked", [][2]string{{"network_mode: bridge", "network_mode: awsvpc"},
			{"launch_type: EC2}", "launch_type: EC2, subnets: [public-a]}"}}, "worker/0", "PUT", HTTP200, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := string(story)
			for _, e := range c.edits {
				if !strings.Contains(src, e[0]) {
					t.Fatalf("the story has no %q", e[0])
				}
				src = strings.Replace(src, e[0], e[1], 1)
			}
			path := filepath.Join(t.TempDir(), "s.yaml")
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			n := compileEngine(build(t, path))
			q, err := NewQuery(n, c.from, "imds", "tcp")
			if err != nil {
				t.Fatal(err)
			}
			q.HTTPMethod = c.meth
			r := Probe(n, q)
			if c.code != "" {
				check(t, r, c.want, c.code)
			} else if r.Verdict != c.want {
				t.Errorf("verdict %s, want %s: %s", r.Verdict, c.want, r.Summary)
			}
			if c.want == Timeout && c.code == CodeIMDSHopLimit {
				if !strings.Contains(r.Summary, "HttpPutResponseHopLimit is 1") || len(r.Return) != 1 || !r.Return[0].Blocked {
					t.Errorf("summary %q, return path %+v", r.Summary, r.Return)
				}
			}
		})
	}
}

// TestIMDSQueries: IMDS is 169.254.169.254 on port 80, asked from an
// instance or a task; a Fargate task has none, and the internet cannot
// ask it.
func TestIMDSQueries(t *testing.T) {
	n := compileEngine(article(t))
	if r := probeSpec(t, n, "internet", "imds", "tcp"); r.Verdict != Unknown {
		t.Errorf("from the internet: %s", r.Summary)
	}
	if r := probeSpec(t, n, "web/0", "169.254.169.254:8080", "tcp"); r.Verdict != Unknown || !strings.Contains(r.Summary, "port 80") {
		t.Errorf("port 8080: %s", r.Summary)
	}
	r := probeSpec(t, n, "web/0", "imds", "tcp")
	if r.Port != 80 || r.To.Kind != KindIMDS {
		t.Errorf("port %d, kind %s", r.Port, r.To.Kind)
	}
}
