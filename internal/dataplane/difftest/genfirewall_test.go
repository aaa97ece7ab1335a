package difftest

import (
	"slices"
	"strings"
	"testing"
)

// The firewall stream: about one system in six of seeds 1-400 gets an
// AWS Network Firewall in front of a public route table, every one of
// them builds, and some leave a subnet's range out of the edge route
// table (asymmetric routing: its flows pass the firewall one way only,
// oneWayEdge), or give a subnet a route table of its own that goes around
// the firewall while the edge route table sends its range through it
// (oneWayOut), or give the firewall stateful rules of
// strict order, and some write stateful rules as Suricata rule strings
// ($HOME_NET, $EXTERNAL_NET, negations, source ports, <>, flow), which
// the model's parser reads (Build fails on an unreadable one).
func TestGenerateFirewalls(t *testing.T) {
	cfg := Config{LBs: true, TGWs: true, CLBs: true, NLBs: true, IPv6: true, Peering: true, Zones: true, TLS: true, BPA: true, Firewalls: true}
	n, strict, edgeless, outAround := 0, 0, 0, 0
	seen := map[string]int{}
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
		for _, f := range []string{"rules: |", "$EXTERNAL_NET", "$HOME_NET", " <> ", "flow:established", "direction: both", "source_ports:", "home_net:", "drop_established"} {
			if strings.Contains(y, f) {
				seen[f]++
			}
		}
		if s.Firewalls[0].Strict {
			strict++
		}
		if oneWaySubnet(s) {
			edgeless++
		}
		if slices.ContainsFunc(s.RouteTables, func(rt *RouteTable) bool { return strings.HasPrefix(rt.Name, "oneway") }) {
			outAround++
		}
	}
	if n < 30 || strict == 0 || edgeless == 0 || outAround == 0 {
		t.Errorf("%d systems with a firewall, %d in strict order, %d with a subnet's range out of the edge route table, %d with a subnet routed around the firewall: want more", n, strict, edgeless, outAround)
	}
	for _, f := range []string{"rules: |", "$EXTERNAL_NET", "$HOME_NET", " <> ", "flow:established", "direction: both", "source_ports:", "home_net:", "drop_established"} {
		if seen[f] == 0 {
			t.Errorf("no system's firewall has %q", f)
		}
	}
	// Without the stream, the systems stay what they were.
	cfg.Firewalls = false
	for seed := uint64(1); seed <= 50; seed++ {
		if s := Generate(seed, cfg); len(s.Firewalls) > 0 || strings.Contains(s.YAML(), "firewalls:") {
			t.Fatalf("seed %d: a firewall without the stream", seed)
		}
	}
}

// oneWaySubnet reports whether a system's firewall inspects a subnet
// whose range the edge route table leaves out (its replies come straight
// in: oneWayEdge).
func oneWaySubnet(s *System) bool {
	inspected := map[string]bool{}
	for _, rt := range s.RouteTables {
		for _, r := range rt.Routes {
			if len(rt.Gateways) == 0 && strings.HasPrefix(r.Target, `"fw0:`) {
				inspected[rt.Name] = true
			}
		}
	}
	edged := map[string]bool{}
	for _, rt := range s.RouteTables {
		if len(rt.Gateways) > 0 {
			for _, r := range rt.Routes {
				edged[r.Dest] = true
			}
		}
	}
	for _, sn := range s.Subnets {
		if inspected[sn.RouteTable] && !edged[sn.CIDR] {
			return true
		}
	}
	return false
}
