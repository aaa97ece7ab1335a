package scenario_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/scenario"
)

// Transit gateway sections: AWS's errors come back with the file and line
// of the definition that caused them.
func TestTransitGatewayErrors(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"duplicate zone", `
vpcs: {a: {cidr: 10.0.0.0/16}}
subnets:
  a1: {vpc: a, cidr: 10.0.1.0/24, az: us-east-1a}
  a2: {vpc: a, cidr: 10.0.2.0/24, az: us-east-1a}
transit_gateways: {hub: {}}
transit_gateway_attachments:
  att: {transit_gateway: hub, vpc: a, subnets: [a1, a2]}
`, ":8: transit gateway attachment \"att\": DuplicateSubnetsInSameZone: Duplicate Subnets for same AZ"},
		{"route before any attachment", `
vpcs: {a: {cidr: 10.0.0.0/16}}
route_tables:
  rt: {vpc: a, routes: [{destination: 10.1.0.0/16, target: hub}]}
transit_gateways: {hub: {}}
`, ":4: route table \"rt\": InvalidTransitGatewayID.NotFound"},
		{"already associated", `
vpcs: {a: {cidr: 10.0.0.0/16}}
subnets: {a1: {vpc: a, cidr: 10.0.1.0/24, az: us-east-1a}}
transit_gateways: {hub: {}}
transit_gateway_route_tables: {own: {transit_gateway: hub}}
transit_gateway_attachments:
  att: {transit_gateway: hub, vpc: a, subnets: [a1], route_table: own}
`, "Resource.AlreadyAssociated: Transit Gateway Attachment"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.yaml")
			if err := os.WriteFile(path, []byte(c.body), 0o644); err != nil {
				t.Fatal(err)
			}
			sc, err := scenario.Load(path)
			if err == nil {
				_, err = sc.Build()
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
}
