package reach

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// TestKeepAliveShorterThanIdle: an ALB target whose keep-alive timeout is
// not longer than the load balancer's idle timeout (Node.js's 5 s against
// the default 60 s) answers the probe, with a note and a lint warning that
// some requests get 502 (PublicMapping/districtbuilder#448); a longer
// keep-alive, or an idle timeout lowered below it (the attribute), has
// neither.
func TestKeepAliveShorterThanIdle(t *testing.T) {
	story, err := os.ReadFile(repoFile("examples/failures/alb-keepalive-shorter-than-idle-timeout.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, old, new string
		warn           bool
	}{
		{"node default", "", "", true},
		{"equal", "keep_alive_timeout: 5 ", "keep_alive_timeout: 60 ", true},
		{"longer", "keep_alive_timeout: 5 ", "keep_alive_timeout: 65 ", false},
		{"idle timeout lowered", "    security_groups: [alb-sg]\n", "    security_groups: [alb-sg]\n    attributes: {idle_timeout.timeout_seconds: \"4\"}\n", false},
		{"idle timeout raised", "    security_groups: [alb-sg]\n", "    security_groups: [alb-sg]\n    attributes: {idle_timeout.timeout_seconds: \"300\"}\n", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := string(story)
			if c.old != "" {
				if !strings.Contains(src, c.old) {
					t.Fatalf("the story has no %q", c.old)
				}
				src = strings.Replace(src, c.old, c.new, 1)
			}
			path := filepath.Join(t.TempDir(), "s.yaml")
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			n := compileEngine(build(t, path))
			r := probeSpec(t, n, "internet", "web-alb:80", "tcp")
			if r.Verdict != HTTP200 {
				t.Fatalf("verdict %s: %s", r.Verdict, r.Summary)
			}
			if r.HasCode(CodeKeepAliveShorterThanIdle) != c.warn {
				t.Errorf("probe note %v, want %v: %s", r.HasCode(CodeKeepAliveShorterThanIdle), c.warn, codeList(r))
			}
			found := false
			for _, f := range Lint(n) {
				if f.Code == CodeKeepAliveShorterThanIdle {
					found = true
					if f.Severity != SeverityWarning || !strings.Contains(f.Message, "502") || !strings.Contains(f.Fix, "idle_timeout.timeout_seconds") {
						t.Errorf("finding %+v", f)
					}
				}
			}
			if found != c.warn {
				t.Errorf("lint finding %v, want %v", found, c.warn)
			}
		})
	}
}

// TestLoadBalancerAttributesInScenario: a scenario's load balancer
// attributes go through ModifyLoadBalancerAttributes (an unknown key is
// ELBv2's ValidationError at the file's line); a Classic Load Balancer
// takes none, and a negative keep-alive timeout is an error.
func TestLoadBalancerAttributesInScenario(t *testing.T) {
	story, err := os.ReadFile(repoFile("examples/failures/alb-keepalive-shorter-than-idle-timeout.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ old, new, want string }{
		{"    security_groups: [alb-sg]\n", "    security_groups: [alb-sg]\n    attributes: {idle_timeout.seconds: \"4\"}\n", "Load balancer attribute key 'idle_timeout.seconds' is not recognized"},
		{"keep_alive_timeout: 5 ", "keep_alive_timeout: -1 ", "keep_alive_timeout -1"},
	} {
		src := strings.Replace(string(story), c.old, c.new, 1)
		path := filepath.Join(t.TempDir(), "s.yaml")
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		sc, err := scenario.Load(path)
		if err == nil {
			_, err = sc.Build()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "s.yaml:") {
			t.Errorf("%q: %v, want %q at a line", c.new, err, c.want)
		}
	}
}

// A Classic Load Balancer with an HTTP listener reuses back-end
// connections up to its ConnectionSettings.IdleTimeout (60 s by
// default): a target's shorter keep-alive is the same warning, with the
// Classic API's command; a TCP listener's connections are the clients'
// own, so no warning.
func TestKeepAliveShorterThanClassicIdle(t *testing.T) {
	story, err := os.ReadFile(repoFile("examples/classic/clb-bridge.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(story), "serves: {/: 200, /health: 200}", "serves: {/: 200, /health: 200}\n        keep_alive_timeout: 5", 1)
	for _, c := range []struct {
		name, old, new string
		idle           string
		warn           bool
	}{
		{"default idle timeout", "", "", "", true},
		{"idle timeout lowered", "", "", "4", false},
		{"idle timeout raised", "", "", "300", true},
		{"tcp listener", "listeners: [{port: 80, protocol: HTTP, instance_port: 8080}]", "listeners: [{port: 80, protocol: TCP, instance_port: 8080}]", "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := src
			if c.old != "" {
				text = strings.Replace(text, c.old, c.new, 1)
			}
			e := buildFromText(t, text)
			if c.idle != "" {
				if _, err := e.UpdateClassicLoadBalancer("web-elb", func(lb *model.ClassicLoadBalancer) error {
					lb.Attributes = map[string]string{"ConnectionSettings.IdleTimeout": c.idle}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			}
			n := compileEngine(e)
			r := probeSpec(t, n, "internet", "web-elb:80", "tcp")
			if !r.Verdict.Reachable() {
				t.Fatalf("verdict %s: %s", r.Verdict, r.Summary)
			}
			if r.HasCode(CodeKeepAliveShorterThanIdle) != c.warn {
				t.Errorf("probe note %v, want %v: %s", r.HasCode(CodeKeepAliveShorterThanIdle), c.warn, codeList(r))
			}
			found := false
			for _, f := range Lint(n) {
				if f.Code == CodeKeepAliveShorterThanIdle {
					found = true
					if !strings.Contains(f.Message, "ConnectionSettings.IdleTimeout") || !strings.Contains(f.Fix, "aws elb modify-load-balancer-attributes --load-balancer-name web-elb") {
						t.Errorf("finding %+v", f)
					}
				}
			}
			if found != c.warn {
				t.Errorf("lint finding %v, want %v", found, c.warn)
			}
		})
	}
}
