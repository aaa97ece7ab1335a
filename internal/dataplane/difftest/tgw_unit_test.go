package difftest

import (
	"strings"
	"testing"
)

// Systems with a transit gateway build, and the analyzer follows their
// cross-VPC probes through it.
func TestGenerateTGW(t *testing.T) {
	built, crossed := 0, 0
	for seed := uint64(1); seed <= 60; seed++ {
		s := Generate(seed, Config{TGWs: true})
		if s.TGW == nil {
			continue
		}
		st, err := Build(s.Name+".yaml", s.YAML())
		if err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, s.YAML())
		}
		built++
		cases, err := analyze(st, Probes(st, seed, 24), clientPorts{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			if strings.Contains(c.Analyzer.Summary, "transit gateway") {
				crossed++
			}
			if c.Analyzer.Verdict == "unknown" {
				t.Errorf("seed %d: %s: the analyzer does not know: %s", seed, c.Probe, c.Analyzer.Summary)
			}
		}
	}
	if built < 15 || crossed == 0 {
		t.Errorf("%d systems with a transit gateway, %d probes through one", built, crossed)
	}
	t.Logf("%d systems with a transit gateway, %d probes mention one", built, crossed)
}
