package reach

import (
	"os"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
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

// A name the zone has without an address record (its apex, a name with
// records of other types, an empty non-terminal) answers NOERROR with no
// data, not NXDOMAIN; a name it does not have is NXDOMAIN.
func TestRoute53NoData(t *testing.T) {
	n := route53Base(t, `
hosted_zones:
  shop.example:
    records:
      www: {alias: shop-alb}
      mail: {type: MX, values: ["10 mx.shop.example"]}
      a.b: {values: [198.51.100.20]}
`)
	for _, c := range []struct{ to, what string }{
		{"shop.example:80", "zone's apex"},
		{"mail.shop.example:25", "has MX records"},
		{"b.shop.example:80", "names under it have records"},
	} {
		r := probeSpec(t, n, "internet", c.to, "tcp")
		check(t, r, NXDomain, CodeDNSNoData)
		if !strings.Contains(r.Summary, "NODATA") || !strings.Contains(r.Summary, c.what) {
			t.Errorf("internet → %s: %s", c.to, r.Summary)
		}
		q, err := NewQuery(n, "internet", c.to, "tcp")
		if err != nil {
			t.Fatal(err)
		}
		if m, ok := q.Route53Miss(); !ok || m.Code != CodeDNSNoData {
			t.Errorf("%s: Route53Miss = %+v %v", c.to, m, ok)
		}
	}
	check(t, probeSpec(t, n, "internet", "c.shop.example:80", "tcp"), NXDomain, CodeDNSRecordMissing)
}

// A weighted record set: each record of a weight above 0 may be the
// answer, so each target is probed and the result is the worst case,
// with a note of every record's verdict.
func TestRoute53Weighted(t *testing.T) {
	e := buildFromText(t, readStory(t)+`
hosted_zones:
  shop.example:
    records:
      www: {alias: shop-alb}
`)
	st, _ := e.Snapshot()
	var zone string
	for id := range st.HostedZones {
		zone = id
	}
	weight := func(w int64) *int64 { return &w }
	upsert := func(id string, w int64, in engine.RecordSetInput) {
		in.Name, in.Type, in.SetIdentifier, in.Weight = "app.shop.example", "A", id, weight(w)
		if err := e.ChangeRecordSets(zone, []engine.RecordChange{{Action: "UPSERT", Record: in}}); err != nil {
			t.Fatal(err)
		}
	}
	upsert("blue", 70, engine.RecordSetInput{Alias: &model.AliasTarget{DNSName: "www.shop.example", HostedZoneID: zone}})
	upsert("green", 30, engine.RecordSetInput{TTL: 60, Values: []string{"10.0.1.99"}})
	n := compileEngine(e)
	r := probeSpec(t, n, "internet", "app.shop.example:80", "tcp")
	if r.Verdict.Reachable() || r.To.Kind != KindAddress || r.To.Address.String() != "10.0.1.99" {
		t.Fatalf("internet → app.shop.example = %s to %+v, want green's private address: %s", r.Verdict, r.To, r.Summary)
	}
	note := strings.Join(r.Notes, "\n")
	for _, want := range []string{"weighted record set", `set "blue" (weight 70) → shop-alb: http 404`, `set "green" (weight 30) → 10.0.1.99: no-route`, `worst case, set "green"`} {
		if !strings.Contains(note, want) {
			t.Errorf("notes lack %q: %s", want, note)
		}
	}
	// Weight 0 beside a weight above 0: never answered.
	upsert("green", 0, engine.RecordSetInput{TTL: 60, Values: []string{"10.0.1.99"}})
	n = compileEngine(e)
	r = probeSpec(t, n, "internet", "app.shop.example:80", "tcp")
	if r.To.Kind != KindLoadBalancer || strings.Contains(strings.Join(r.Notes, "\n"), "weighted") {
		t.Errorf("green at weight 0: %s to %+v, notes %q", r.Verdict, r.To, r.Notes)
	}
}

// TestRoute53FailoverPrimary29: of a failover pair Route 53 answers the
// primary while it is healthy (it names no health check: healthy), so
// the name resolves to the primary's address even when the secondary was
// written first.
func TestRoute53FailoverPrimary29(t *testing.T) {
	e := buildFromText(t, readStory(t)+`
hosted_zones:
  shop.example:
    records:
      www: {alias: shop-alb}
`)
	st, _ := e.Snapshot()
	var zone string
	for id := range st.HostedZones {
		zone = id
	}
	for _, in := range []engine.RecordSetInput{
		{SetIdentifier: "backup", Failover: "SECONDARY", OtherPolicies: []string{"Failover"}, TTL: 60, Values: []string{"10.0.1.99"}},
		{SetIdentifier: "main", Failover: "PRIMARY", OtherPolicies: []string{"Failover"}, Alias: &model.AliasTarget{DNSName: "www.shop.example", HostedZoneID: zone}},
	} {
		in.Name, in.Type = "app.shop.example", "A"
		if err := e.ChangeRecordSets(zone, []engine.RecordChange{{Action: "CREATE", Record: in}}); err != nil {
			t.Fatal(err)
		}
	}
	r := probeSpec(t, compileEngine(e), "internet", "app.shop.example:80", "tcp")
	if r.To.Kind != KindLoadBalancer {
		t.Fatalf("internet → app.shop.example = %s to %+v, want the primary's load balancer: %s", r.Verdict, r.To, r.Summary)
	}
}

// TestRoute53FailoverHealthCheck: a primary whose health check Route 53
// considers unhealthy (inverted; a calculated check short of its
// threshold) gives way to the secondary; healthy again, the primary
// answers.
func TestRoute53FailoverHealthCheck(t *testing.T) {
	e := buildFromText(t, readStory(t)+`
hosted_zones:
  shop.example:
    records:
      www: {alias: shop-alb}
`)
	st, _ := e.Snapshot()
	var zone string
	for id := range st.HostedZones {
		zone = id
	}
	check, _, err := e.CreateHealthCheck("primary", model.Route53HealthCheckConfig{Type: "HTTP", IPAddress: "192.0.2.10", Inverted: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []engine.RecordSetInput{
		{SetIdentifier: "main", Failover: "PRIMARY", OtherPolicies: []string{"Failover"}, HealthCheckID: check.ID, Alias: &model.AliasTarget{DNSName: "www.shop.example", HostedZoneID: zone}},
		{SetIdentifier: "backup", Failover: "SECONDARY", OtherPolicies: []string{"Failover"}, TTL: 60, Values: []string{"10.0.1.99"}},
	} {
		in.Name, in.Type = "app.shop.example", "A"
		if err := e.ChangeRecordSets(zone, []engine.RecordChange{{Action: "CREATE", Record: in}}); err != nil {
			t.Fatal(err)
		}
	}
	toLB := func() bool {
		r := probeSpec(t, compileEngine(e), "internet", "app.shop.example:80", "tcp")
		return r.To.Kind == KindLoadBalancer
	}
	if toLB() {
		t.Error("the primary's health check is inverted (unhealthy): app.shop.example reached the primary's load balancer, want the secondary")
	}
	if _, err := e.UpdateHealthCheck(check.ID, 0, func(c *model.Route53HealthCheckConfig) { c.Inverted = false }); err != nil {
		t.Fatal(err)
	}
	if !toLB() {
		t.Error("the primary's health check healthy again: want the primary's load balancer")
	}
	// A calculated check with one healthy child of the two it needs.
	calc, _, err := e.CreateHealthCheck("calc", model.Route53HealthCheckConfig{Type: "CALCULATED", HealthThreshold: 2, ChildHealthChecks: []string{check.ID}})
	if err != nil {
		t.Fatal(err)
	}
	in := engine.RecordSetInput{Name: "app.shop.example", Type: "A", SetIdentifier: "main", Failover: "PRIMARY", OtherPolicies: []string{"Failover"}, HealthCheckID: calc.ID,
		Alias: &model.AliasTarget{DNSName: "www.shop.example", HostedZoneID: zone}}
	if err := e.ChangeRecordSets(zone, []engine.RecordChange{{Action: "UPSERT", Record: in}}); err != nil {
		t.Fatal(err)
	}
	if toLB() {
		t.Error("the primary's calculated check has 1 healthy child of the 2 it needs: want the secondary")
	}
}
