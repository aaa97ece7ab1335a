package difftest

import (
	"strings"
	"testing"
)

// The firewall stream: about one system in six of seeds 1-400 gets an
// AWS Network Firewall in front of a public route table, every one of
// them builds, and some leave a subnet's range out of the edge route
// table (asymmetric routing) or give the firewall stateful rules of
// strict order.
func TestGenerateFirewalls(t *testing.T) {
	cfg := Config{LBs: true, TGWs: true, CLBs: true, NLBs: true, IPv6: true, Peering: true, Zones: true, TLS: true, BPA: true, Firewalls: true}
	n, strict, edgeless := 0, 0, 0
	for seed := uint64(1); seed <= 400; seed++ {
		s := Generate(seed, cfg)
		if len(s.Firewalls) == 0 {
			continue
		}
		n++
		y := s.YAML()
		if !strings.Contains(y, "firewalls:") || !strings.Contains(y, `target: "fw0:`) {
			t.Errorf("seed %d: no firewall or route to it in the YAML", seed)
		}
		if _, err := Build(s.Name+".yaml", y); err != nil {
			t.Errorf("seed %d: %v", seed, err)
		}
		if s.Firewalls[0].Strict {
			strict++
		}
		for _, rt := range s.RouteTables {
			if len(rt.Gateways) > 0 && len(rt.Routes) < len(s.Subnets) {
				edgeless++
				break
			}
		}
	}
	if n < 30 || strict == 0 || edgeless == 0 {
		t.Errorf("%d systems with a firewall, %d in strict order, %d with an edge route table: want more", n, strict, edgeless)
	}
	// Without the stream, the systems stay what they were.
	cfg.Firewalls = false
	for seed := uint64(1); seed <= 50; seed++ {
		if s := Generate(seed, cfg); len(s.Firewalls) > 0 || strings.Contains(s.YAML(), "firewalls:") {
			t.Fatalf("seed %d: a firewall without the stream", seed)
		}
	}
}
