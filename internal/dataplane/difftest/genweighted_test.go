package difftest

import (
	"strings"
	"testing"
)

// The weighted forward stream: some ALBs of seeds 1-400 forward to two
// weighted target groups, every one of them builds, the second group
// with the service registered or empty; without the stream the systems
// stay what they were.
func TestGenerateWeightedForwards(t *testing.T) {
	cfg := Config{LBs: true, TGWs: true, CLBs: true, NLBs: true, IPv6: true, Peering: true, Zones: true, TLS: true, BPA: true, Firewalls: true, GWLBs: true, Weighted: true}
	n, registered := 0, 0
	for seed := uint64(1); seed <= 400; seed++ {
		s := Generate(seed, cfg)
		if len(s.LBs) == 0 || s.LBs[0].Canary == nil {
			continue
		}
		n++
		y := s.YAML()
		if !strings.Contains(y, "forward: {target_groups: [{name: alb0-tg, weight: ") || !strings.Contains(y, "  alb0-tg2: {") {
			t.Errorf("seed %d: no weighted forward or second group in the YAML", seed)
		}
		if s.LBs[0].Canary.Registered {
			registered++
			if !strings.Contains(y, "{target_group: alb0-tg2,") {
				t.Errorf("seed %d: the service is not registered in the second group", seed)
			}
		}
		if _, err := Build(s.Name+".yaml", y); err != nil {
			t.Errorf("seed %d: %v", seed, err)
		}
	}
	if n < 20 || registered == 0 || registered == n {
		t.Errorf("%d systems with a weighted forward, %d with the service in both groups: want more of each", n, registered)
	}
	cfg.Weighted = false
	for seed := uint64(1); seed <= 50; seed++ {
		if s := Generate(seed, cfg); len(s.LBs) > 0 && s.LBs[0].Canary != nil {
			t.Fatalf("seed %d: a weighted forward without the stream", seed)
		}
	}
}
