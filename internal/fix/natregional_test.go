package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// TestRegionalNATSecurityGroupSource: the story of an internet-facing ALB
// whose group admits the callers' security group, with the callers behind
// a regional NAT gateway (an address per zone) instead of a zonal one: the
// verified fixes admit the gateway's address in the caller's zone, or
// every address of the gateway.
func TestRegionalNATSecurityGroupSource(t *testing.T) {
	const story = "../../examples/failures/alb-sg-group-reference-via-nat.yaml"
	e := load(t, story, func(s string) string {
		s = strings.Replace(s, "  nat-eip: {address: 54.160.0.10}\n", "  nat-eip: {address: 54.160.0.10}\n  nat-eip-b: {address: 54.160.0.11}\n", 1)
		s = strings.Replace(s, "  nat: {subnet: public-a, elastic_ip: nat-eip}\n",
			"  nat: {availability_mode: regional, vpc: main, zone_addresses: {us-east-1a: [nat-eip], us-east-1b: [nat-eip-b]}}\n", 1)
		return s[:strings.Index(s, "\nexpect:")]
	})
	fixes, res, err := fix.Find(e, "frontend", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.Timeout || !res.HasCode(reach.CodeSGRulesMismatch) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	var titles []string
	zone, all := false, false
	for _, f := range fixes {
		titles = append(titles, f.Title+" → "+string(f.Verification.Verdict))
		ok := f.Verification.Verdict == reach.HTTP200 || f.Verification.Verdict == reach.Connected
		zone = zone || ok && strings.Contains(f.Title, "the regional NAT gateway nat's address in us-east-1")
		all = all || ok && strings.Contains(f.Title, "every address of the regional NAT gateway nat (")
	}
	if !zone || !all {
		t.Errorf("want verified fixes admitting the zone's address and every address; fixes:\n%s", strings.Join(titles, "\n"))
	}
}

// TestExistingRegionalNATRoute: the private subnets of no-nat.yaml have no
// default route, and the VPC has a regional NAT gateway (automatic mode,
// every zone): the verified fix is the one route to it.
func TestExistingRegionalNATRoute(t *testing.T) {
	e := load(t, "../../examples/failures/no-nat.yaml", func(s string) string {
		s = s[:strings.Index(s, "\nexpect:")]
		return s + "\nnat_gateways:\n  rnat: {availability_mode: regional, vpc: main}\n"
	})
	fixes, res, err := fix.Find(e, "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict == reach.HTTP200 {
		t.Fatalf("no failure: %s", res.Summary)
	}
	var titles []string
	found := false
	for _, f := range fixes {
		titles = append(titles, f.Title+" → "+string(f.Verification.Verdict))
		found = found || f.Title == "Route 0.0.0.0/0 to the regional NAT gateway rnat from route table private" && f.Verification.Verdict == reach.HTTP200
	}
	if !found {
		t.Errorf("no verified route to the regional NAT gateway; fixes:\n%s", strings.Join(titles, "\n"))
	}
}
