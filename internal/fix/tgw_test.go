package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// Transit gateway fixes, each the one change a probe needs: the missing
// propagation, the missing association, the attachment's subnet in the
// sender's zone and the VPC route back to the transit gateway.
func TestTransitGatewayFixes(t *testing.T) {
	const hub = "../../examples/tgw/hub-and-spoke.yaml"
	for _, c := range []struct {
		name, path string
		edit       func(string) string
		from, to   string
		code, want string
	}{
		{"propagation", hub, func(s string) string {
			// audit-att associated with spokes, but propagating nowhere.
			return strings.Replace(s, "audit-att: {transit_gateway: hub, vpc: audit, subnets: [audit-a]}",
				"audit-att: {transit_gateway: hub, vpc: audit, subnets: [audit-a], route_table: spokes}", 1)
		}, "app-host", "audit-host:22", reach.CodeTGWRTBCannotRoute,
			"Propagate the routes of the transit gateway attachment audit-att to the transit gateway route table spokes"},
		{"association", hub, func(s string) string {
			// audit-att propagating to spokes, but associated with no table.
			return strings.Replace(s, "audit-att: {transit_gateway: hub, vpc: audit, subnets: [audit-a]}",
				"audit-att: {transit_gateway: hub, vpc: audit, subnets: [audit-a], propagate_to: [spokes]}", 1)
		}, "audit-host", "shared-host:22", reach.CodeTGWAttachNoRTB,
			"Associate the transit gateway attachment audit-att with the transit gateway route table spokes"},
		{"zone", "../../examples/failures/tgw-attachment-zone.yaml", nil, "orders/0", "ledger/0:8443", reach.CodeTGWAttachAZRestriction,
			"Add the subnet app-b to the transit gateway attachment app-att"},
		{"return-route", "../../examples/failures/tgw-return-route.yaml", nil, "orders/0", "ledger/0:8443", reach.CodeReturnRouteMismatch,
			"Route 10.0.0.0/16 (the VPC app) to transit gateway hub in route table shared-rt"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := load(t, c.path, c.edit)
			fixes, res, err := fix.Find(e, c.from, c.to, "tcp", fix.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Reachable || !res.HasCode(c.code) {
				t.Fatalf("%s: %s", res.Verdict, res.Summary)
			}
			for _, f := range fixes {
				if strings.HasPrefix(f.Title, c.want) && f.Verification.Verdict.Reachable() {
					return
				}
			}
			t.Fatalf("no verified fix %q: %+v", c.want, fixes)
		})
	}
}
