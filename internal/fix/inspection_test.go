package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

const inspectionStory = "../../examples/failures/analyzer-only/tgw-inspection-vpc-appliance-mode-off.yaml"

// A reply dropped by the other zone's firewall of an inspection VPC: the
// verified fix is appliance mode on the inspection VPC's attachment.
func TestApplianceModeFix(t *testing.T) {
	e := load(t, inspectionStory, nil)
	fixes, res, err := fix.Find(e, "orders/0", "ledger/0:8443", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.HasCode(reach.CodeApplianceAsymmetric) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	if len(fixes) == 0 || fixes[0].Kind != "transit-gateway" || !strings.Contains(fixes[0].Title, "appliance mode on for the transit gateway attachment inspection-att") ||
		fixes[0].Verification.Verdict != "connected" || !strings.Contains(fixes[0].Commands[0], "--options ApplianceModeSupport=enable") ||
		!strings.Contains(fixes[0].Scenario, "appliance_mode: true") {
		t.Fatalf("fixes = %+v", fixes)
	}
	// Applied through the scenario's words, the probe connects.
	e = load(t, inspectionStory, func(s string) string {
		return strings.Replace(s, "route_table: inspected}", "route_table: inspected, appliance_mode: true}", 1)
	})
	if _, res, err := fix.Find(e, "orders/0", "ledger/0:8443", "tcp", fix.Options{}); err != nil || res.Verdict != reach.Connected {
		t.Fatalf("%v: %s: %s", err, res.Verdict, res.Summary)
	}
}

// A firewall instance with its source/destination check on: the verified
// fix turns it off, in an appliance's words.
func TestApplianceSourceDestCheckFix(t *testing.T) {
	e := load(t, inspectionStory, func(s string) string {
		s = strings.Replace(s, "security_groups: [fw-sg], source_dest_check: false}", "security_groups: [fw-sg]}", 1)
		return strings.Replace(s, "route_table: inspected}", "route_table: inspected, appliance_mode: true}", 1)
	})
	fixes, res, err := fix.Find(e, "orders/0", "ledger/0:8443", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.HasCode(reach.CodeENISourceDestCheck) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	if len(fixes) == 0 || fixes[0].Title != "Turn off source/destination checking on the appliance instance fw-a" || fixes[0].Verification.Verdict != "connected" {
		t.Fatalf("fixes = %+v", fixes)
	}
}
