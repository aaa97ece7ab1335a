package dataplane

import "testing"

// The plan of an inspection VPC: the firewall instances (check off)
// forward with an appliance table, the one with its check on does not;
// with appliance mode on the inspection VPC's router marks the
// connections the transit gateway hands it, one policy rule per
// attachment subnet, and without it there is neither.
func TestPlanInspection(t *testing.T) {
	for _, c := range []struct {
		file      string
		modeRules int
	}{
		{"internal/dataplane/testdata/inspection-appliance-mode.yaml", 2},
		{"internal/dataplane/testdata/inspection-zones.yaml", 0},
	} {
		p := mustPlan(t, loadState(t, c.file))
		appliances := map[string]bool{}
		forwards := map[string]string{}
		for _, tb := range p.Tables {
			if tb.Name == "appliance" {
				appliances[tb.NS] = true
			}
		}
		for _, s := range p.Sysctls {
			if s.Key == "net/ipv4/ip_forward" {
				forwards[s.NS] = s.Value // the last one counts
			}
		}
		for _, n := range p.Namespaces {
			if n.Role != "instance" {
				continue
			}
			if appliances[n.Name] != (forwards[n.Name] == "1") {
				t.Errorf("%s: %s (%s): appliance table %v, ip_forward %s", c.file, n.Name, n.Of, appliances[n.Name], forwards[n.Name])
			}
		}
		if len(appliances) != 2 {
			t.Errorf("%s: %d appliance instances, want 2 (fw-a, fw-b)", c.file, len(appliances))
		}
		marks := 0
		for _, r := range p.Rules {
			if r.Mark >= applianceMarkBase && r.Mark < nlbMarkBase && r.IIf != "" {
				marks++
			}
		}
		if marks != c.modeRules {
			t.Errorf("%s: %d appliance mode rules, want %d", c.file, marks, c.modeRules)
		}
	}
}
