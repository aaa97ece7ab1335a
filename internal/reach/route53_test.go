package reach

import (
	"os"
	"strings"
	"testing"
)

// route53Base is the listener-rule-miss story (an ALB whose host rule
// for www.shop.example is the only way to the web tasks) without its
// expectations, with hosted zones appended.
func route53Base(t *testing.T, zones string) *Network {
	t.Helper()
	return compileEngine(buildFromText(t, readStory(t)+"\n"+zones))
}

// TestRoute53AliasHostHeader: a name aliased to an ALB is requested with
// the name as its Host header, so the ALB's host-header rule matches it
// (the load balancer's own DNS name gets the listener's 404).
func TestRoute53AliasHostHeader(t *testing.T) {
	n := route53Base(t, `
hosted_zones:
  shop.example:
    records:
      www: {alias: shop-alb}
      other: {alias: shop-alb}
`)
	r := probeSpec(t, n, "internet", "www.shop.example:80", "tcp")
	if r.Verdict != HTTP200 || r.To.Kind != KindLoadBalancer || r.To.Name != "shop-alb" {
		t.Fatalf("internet → www.shop.example = %s to %+v: %s", r.Verdict, r.To, r.Summary)
	}
	if len(r.Notes) == 0 || !strings.Contains(r.Notes[0], "www.shop.example resolves through") {
		t.Errorf("notes %q", r.Notes)
	}
	// Another name on the same ALB carries its own Host: no rule.
	if r := probeSpec(t, n, "internet", "other.shop.example:80", "tcp"); r.Verdict != HTTPVerdict(404) {
		t.Errorf("internet → other.shop.example = %s, want the listener's 404: %s", r.Verdict, r.Summary)
	}
	// A name of the zone without a record: NXDOMAIN from the public zone.
	r = probeSpec(t, n, "internet", "api.shop.example:80", "tcp")
	check(t, r, NXDomain, CodeDNSRecordMissing)
	// A DNS name is no source.
	if _, err := NewQuery(n, "www.shop.example", "internet", "tcp"); err == nil || !strings.Contains(err.Error(), "is a DNS name") {
		t.Errorf("from a DNS name: %v", err)
	}
}

// TestRoute53Resolver: the VPC's Resolver uses a private zone only with
// enableDnsSupport and enableDnsHostnames on (else the public zone
// answers, or NXDOMAIN naming the attribute); another VPC, not
// associated, gets the public zone's answer; CNAME loops end; an alias to
// a name nothing answers is a dangling alias.
func TestRoute53Resolver(t *testing.T) {
	zones := `
hosted_zones:
  public:
    name: shop.example
    records:
      www: {alias: shop-alb}
      loop-a: {type: CNAME, values: [loop-b.shop.example]}
      loop-b: {type: CNAME, values: [loop-a.shop.example]}
      gone: {alias: old-alb-1.us-east-1.elb.amazonaws.com, alias_zone: Z35SXDOTRQ7X7K}
  private:
    name: shop.example
    vpcs: [main]
    records:
      www: {alias: shop-alb}
      db: {values: [10.0.1.77]}
`
	// The story's VPC has enableDnsHostnames off (a VPC's default): the
	// Resolver ignores the private zone, so the public zone answers www
	// and db does not resolve, for the attribute.
	n := route53Base(t, zones)
	r := probeSpec(t, n, "web", "db.shop.example:5432", "tcp")
	check(t, r, NXDomain, CodePrivateZoneDNSOff)
	q, err := NewQuery(n, "web", "db.shop.example:5432", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	if vpc, ok := q.UnresolvedDNSAttributes(); !ok || vpc == "" {
		t.Errorf("UnresolvedDNSAttributes = %q %v", vpc, ok)
	}
	if r := probeSpec(t, n, "web", "www.shop.example:80", "tcp"); r.To.Kind != KindLoadBalancer || !strings.Contains(r.Notes[0], "public hosted zone") {
		t.Errorf("web → www.shop.example: to %+v, notes %q", r.To, r.Notes)
	}
	check(t, probeSpec(t, n, "internet", "loop-a.shop.example:80", "tcp"), NXDomain, CodeDNSRecordMissing)
	r = probeSpec(t, n, "internet", "gone.shop.example:80", "tcp")
	check(t, r, NXDomain, CodeDNSAliasDangling)
	if !strings.Contains(r.Summary, "old-alb-1.us-east-1.elb.amazonaws.com") {
		t.Errorf("summary %q does not name the alias target", r.Summary)
	}

	// With enableDnsHostnames on, the private zone answers in the VPC:
	// db is its A record, www its alias (private zone's note).
	n = compileEngine(buildFromText(t, strings.Replace(readStory(t), "main: {cidr: 10.0.0.0/16", "main: {dns_hostnames: true, cidr: 10.0.0.0/16", 1)+"\n"+zones))
	r = probeSpec(t, n, "web", "db.shop.example:5432", "tcp")
	if r.To.Kind != KindAddress || r.To.Address.String() != "10.0.1.77" {
		t.Errorf("web → db.shop.example: to %+v, want 10.0.1.77: %s", r.To, r.Summary)
	}
	if r := probeSpec(t, n, "web", "www.shop.example:80", "tcp"); r.To.Kind != KindLoadBalancer || !strings.Contains(r.Notes[0], "private hosted zone") {
		t.Errorf("web → www.shop.example: to %+v, notes %q", r.To, r.Notes)
	}
	// From the internet the private zone's name does not resolve.
	check(t, probeSpec(t, n, "internet", "db.shop.example:5432", "tcp"), NXDomain, CodePrivateZoneNotAssociated)
}

func readStory(t *testing.T) string {
	b, err := os.ReadFile("../../examples/failures/listener-rule-miss.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	return s[:strings.Index(s, "\nexpect:")]
}
