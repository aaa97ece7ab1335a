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

// Some systems with a transit gateway get centralized egress, and their
// probes to the internet host go through the egress VPC's NAT gateway
// (connected) as well as fail on the way (the missing default route,
// the missing return route), without the analyzer giving up.
func TestGenerateTGWEgress(t *testing.T) {
	egress, out, lost := 0, 0, 0
	for seed := uint64(1); seed <= 120; seed++ {
		s := Generate(seed, Config{TGWs: true})
		if s.TGW == nil {
			continue
		}
		ev := s.VPCs[len(s.VPCs)-1]
		if !ev.Egress {
			continue
		}
		for _, x := range s.Tasks {
			if s.vpcOfSubnet(x.Subnet) == ev.Name {
				t.Errorf("seed %d: task %s in the egress VPC", seed, x.Name)
			}
		}
		st, err := Build(s.Name+".yaml", s.YAML())
		if err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, s.YAML())
		}
		egress++
		cases, err := analyze(st, Probes(st, seed, 24), clientPorts{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			if c.Probe.To.Addr.String() != "192.0.2.10" || !strings.Contains(c.Analyzer.Summary, "transit gateway") && !strings.Contains(c.Analyzer.Summary, "nat"+vpcIndex(ev)) {
				continue
			}
			switch c.Analyzer.Verdict {
			case "connected":
				out++
			case "unknown":
				t.Errorf("seed %d: %s: the analyzer does not know: %s", seed, c.Probe, c.Analyzer.Summary)
			default:
				lost++
			}
		}
	}
	if egress < 5 || out == 0 || lost == 0 {
		t.Errorf("%d systems with centralized egress, %d probes out through it, %d lost on the way", egress, out, lost)
	}
	t.Logf("%d systems with centralized egress, %d probes out through it, %d lost on the way", egress, out, lost)
}
