package ui_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/ui"
)

// TestSuggestedExamples: without a scenario's examples (ecsnet serve),
// the page gets examples built from the state, and each runs: for the
// article, the curl on the instance's public IP at the task's port, and
// an instance to the task; for fifty tasks, the internet to the load
// balancer's listener. Given examples win.
func TestSuggestedExamples(t *testing.T) {
	cases := []struct {
		file string
		want []string // from → to pairs that must be suggested
	}{
		{"../../examples/seed/article.yaml", []string{"internet → 203.0.113.2:3000", "ecs-asg/0 → web/0:3000"}},
		{"testdata/fifty.yaml", []string{"internet → web-alb:80"}},
	}
	for _, tc := range cases {
		e, _ := system(t, tc.file)
		c := newAPI(t, ui.Options{Engine: func() *engine.Engine { return e }, Title: "ecsnet serve"})
		var topo struct {
			Examples []ui.Probe `json:"examples"`
		}
		if code := c.do("GET", "/api/topology", nil, &topo); code != 200 {
			t.Fatalf("%s: topology status %d", tc.file, code)
		}
		got := map[string]bool{}
		var list []string
		for _, x := range topo.Examples {
			got[x.From+" → "+x.To] = true
			list = append(list, x.From+" → "+x.To)
			var p probeJSON
			to, ps, _ := strings.Cut(x.To, ":")
			port, _ := strconv.Atoi(ps)
			if code := c.do("POST", "/api/probe", map[string]any{"from": x.From, "to": to, "port": port, "fixes": false}, &p); code != 200 || p.Result.Verdict == "" {
				t.Errorf("%s: suggested probe %s → %s: status %d, verdict %q", tc.file, x.From, x.To, code, p.Result.Verdict)
			}
		}
		for _, w := range tc.want {
			if !got[w] {
				t.Errorf("%s: suggested %q, want %q among them", tc.file, list, w)
			}
		}
	}
	c, _ := articleAPI(t)
	var topo struct {
		Examples []ui.Probe `json:"examples"`
	}
	c.do("GET", "/api/topology", nil, &topo)
	if len(topo.Examples) != 3 || topo.Examples[0].Verdict != "timeout" {
		t.Errorf("with a scenario's examples: %+v, want its 3 expect: entries", topo.Examples)
	}
}
