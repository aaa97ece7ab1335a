package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// A network ACL entry that drops a peered VPC's task is fixed with the
// other VPC's range (every task of the service, and each replacement,
// has an address of it), not the one task's /32.
func TestNACLFixNamesOtherVPCRange(t *testing.T) {
	e := load(t, "../../examples/failures/peering-subnet-nacl-own-vpc-only.yaml", nil)
	fixes, res, err := fix.Find(e, "web/0", "ledger/0:8080", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.Timeout || !res.HasCode(reach.CodeSubnetACLRestriction) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	if len(fixes) == 0 || fixes[0].Kind != "network-acl" {
		t.Fatalf("fixes = %+v", fixes)
	}
	for _, fx := range fixes {
		if fx.Kind == "network-acl" && strings.Contains(fx.Title, "/32") {
			t.Errorf("a network ACL fix names one address: %s", fx.Title)
		}
	}
	if !strings.HasSuffix(fixes[0].Title, "allow tcp 8080 from 10.0.0.0/16") || !strings.Contains(fixes[0].Commands[0], "--cidr-block 10.0.0.0/16") ||
		!strings.Contains(fixes[0].Scenario, `cidr: "10.0.0.0/16"`) {
		t.Errorf("fix = %s\n%s\n%s", fixes[0].Title, fixes[0].Commands, fixes[0].Scenario)
	}
}

// The same across a transit gateway: the attached VPC's range.
func TestNACLFixNamesOtherVPCRangeThroughTGW(t *testing.T) {
	e := load(t, "../../examples/failures/peering-subnet-nacl-own-vpc-only.yaml", func(s string) string {
		s = strings.Replace(s, "vpc_peering_connections:\n  app-shared: {requester: app, accepter: shared}\n",
			"transit_gateways:\n  app-shared: {}\n\ntransit_gateway_attachments:\n  app-att: {transit_gateway: app-shared, vpc: app, subnets: [app-a]}\n  shared-att: {transit_gateway: app-shared, vpc: shared, subnets: [shared-a]}\n", 1)
		return s
	})
	fixes, res, err := fix.Find(e, "web/0", "ledger/0:8080", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.HasCode(reach.CodeSubnetACLRestriction) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	if len(fixes) == 0 || !strings.HasSuffix(fixes[0].Title, "allow tcp 8080 from 10.0.0.0/16") {
		t.Fatalf("fixes = %+v", fixes)
	}
}

// Two proposed security group rules never admit the same source: a NAT
// gateway's private address in another VPC is one rule, named once (as
// the NAT gateway's address), not again as a bare /32.
func TestSecurityGroupFixesListEachSourceOnce(t *testing.T) {
	e := load(t, "../../examples/failures/private-nat-tgw-sg-task-range.yaml", nil)
	fixes, _, err := fix.Find(e, "orders/0", "db:5432", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	n := 0
	for _, fx := range fixes {
		if fx.Kind != "security-group" {
			continue
		}
		n++
		key := strings.Join(fx.Commands, "\n")
		if prev, ok := seen[key]; ok {
			t.Errorf("one rule under two titles:\n  %s\n  %s", prev, fx.Title)
		}
		seen[key] = fx.Title
	}
	if n == 0 || !strings.Contains(fixes[0].Title, "the NAT gateway nat-private's private address 10.0.0.4/32") {
		t.Fatalf("fixes = %+v", fixes)
	}
}
