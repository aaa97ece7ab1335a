package difftest

import (
	"strings"
	"testing"
)

// The Gateway Load Balancer stream: about one system in six of seeds
// 1-400 gets endpoints in front of a public route table, every one of
// them builds, and the variants appear: appliances healthy, healthy in
// one zone only, none healthy, cross-zone load balancing, a route table
// split per zone, two appliances in a zone, none in a zone, and
// centralized inspection VPCs behind a transit gateway, with appliance
// mode and without.
func TestGenerateGWLBs(t *testing.T) {
	cfg := Config{LBs: true, TGWs: true, CLBs: true, NLBs: true, IPv6: true, Peering: true, Zones: true, TLS: true, BPA: true, Firewalls: true, GWLBs: true}
	n := 0
	seen := map[string]int{}
	for seed := uint64(1); seed <= 400; seed++ {
		s := Generate(seed, cfg)
		if len(s.GWLBs) == 0 {
			continue
		}
		n++
		y := s.YAML()
		if !strings.Contains(y, "type: gateway") || !strings.Contains(y, "vpc_endpoints:") {
			t.Errorf("seed %d: no Gateway Load Balancer or endpoint in the YAML", seed)
		}
		if strings.HasPrefix(s.GWLBs[0].Name, "gwlb") && !strings.HasPrefix(s.GWLBs[0].Name, "gwlbi") && !strings.Contains(y, "gateways: [") {
			t.Errorf("seed %d: no edge route table in the YAML", seed)
		}
		if _, err := Build(s.Name+".yaml", y); err != nil {
			t.Errorf("seed %d: %v", seed, err)
		}
		lb := s.GWLBs[0]
		var sg *SG
		for _, x := range s.SGs {
			if x.VPC == lb.VPC {
				sg = x
			}
		}
		switch {
		case len(sg.Ingress) == 1:
			seen["none healthy"]++
		case strings.HasSuffix(sg.Ingress[1].CIDR, "/24"):
			seen["one zone healthy"]++
		default:
			seen["healthy"]++
		}
		if lb.CrossZone {
			seen["cross-zone"]++
		}
		if len(lb.Appliances) > len(lb.Subnets) {
			seen["two in a zone"]++
		}
		if len(lb.Appliances) < len(lb.Subnets) {
			seen["none in a zone"]++
		}
		for _, rt := range s.RouteTables {
			if strings.Contains(rt.Name, "z") && rt.VPC != lb.VPC {
				seen["split"]++
			}
		}
		if s.TGW != nil && strings.HasPrefix(s.GWLBs[len(s.GWLBs)-1].Name, "gwlbi") {
			seen["inspection VPC"]++
			if strings.Contains(y, "appliance_mode: true") {
				seen["appliance mode"]++
			}
		}
	}
	t.Logf("%d systems with a Gateway Load Balancer: %v", n, seen)
	if n < 30 {
		t.Errorf("%d systems with a Gateway Load Balancer: want more", n)
	}
	for _, f := range []string{"none healthy", "one zone healthy", "healthy", "cross-zone", "two in a zone", "none in a zone", "split", "inspection VPC", "appliance mode"} {
		if seen[f] == 0 {
			t.Errorf("no system has %s (%v)", f, seen)
		}
	}
	// Without the stream, the systems stay what they were.
	cfg.GWLBs = false
	for seed := uint64(1); seed <= 50; seed++ {
		if s := Generate(seed, cfg); len(s.GWLBs) > 0 || strings.Contains(s.YAML(), "type: gateway") {
			t.Fatalf("seed %d: a Gateway Load Balancer without the stream", seed)
		}
	}
}
