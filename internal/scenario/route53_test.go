package scenario_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// TestHostedZones: a hosted_zones section builds public and private
// zones (a key that is not the domain, with name:), record names
// relative to the zone, "@" for the apex and fully qualified, an alias to
// a load balancer of the file (its DNS name and canonical hosted zone
// id), and a probe by the name reaches the load balancer.
func TestHostedZones(t *testing.T) {
	b := build(t, "../../examples/failures/route53-public-alias-internal-alb.yaml")
	st, _ := b.Engine.Snapshot()
	if len(st.HostedZones) != 1 {
		t.Fatalf("%d zones", len(st.HostedZones))
	}
	var z *model.HostedZone
	for _, x := range st.HostedZones {
		z = x
	}
	var lb *model.LoadBalancer
	for _, x := range st.LoadBalancers {
		lb = x
	}
	if z.Name != "example.com" || z.Private || len(z.Records) != 2 {
		t.Fatalf("zone = %+v", z)
	}
	app := z.Lookup("app.example.com")
	if len(app) != 1 || app[0].Alias == nil || app[0].Alias.DNSName != strings.ToLower(lb.DNSName) || app[0].Alias.HostedZoneID != lb.CanonicalHostedZoneID {
		t.Errorf("app = %+v, want an alias to %s (%s)", app, lb.DNSName, lb.CanonicalHostedZoneID)
	}
	if www := z.Lookup("www.example.com"); len(www) != 1 || www[0].Type != "CNAME" || www[0].Values[0] != "app.example.com" || www[0].TTL != 300 {
		t.Errorf("www = %+v", www)
	}

	sc, err := scenario.Parse("z.yaml", []byte(`
vpcs:
  main: {cidr: 10.0.0.0/16, dns_hostnames: true}
hosted_zones:
  public:
    name: example.org
    records:
      "@": {values: [192.0.2.10]}
      "*.apps": {values: [192.0.2.11]}
  private:
    name: example.org
    vpcs: [main]
    records:
      db.example.org: {values: [10.0.0.9], ttl: 30}
`))
	if err != nil {
		t.Fatal(err)
	}
	built, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	st, _ = built.Engine.Snapshot()
	var pub, priv *model.HostedZone
	for _, x := range st.HostedZones {
		if x.Private {
			priv = x
		} else {
			pub = x
		}
	}
	if pub == nil || priv == nil || len(priv.VPCs) != 1 {
		t.Fatalf("zones %+v %+v", pub, priv)
	}
	if r := pub.Lookup("example.org"); len(r) != 1 || r[0].Addrs[0].String() != "192.0.2.10" {
		t.Errorf("apex = %+v", r)
	}
	if r := pub.Lookup("web.apps.example.org"); len(r) != 1 || r[0].Addrs[0].String() != "192.0.2.11" {
		t.Errorf("wildcard = %+v", r)
	}
	if r := priv.Lookup("db.example.org"); len(r) != 1 || r[0].TTL != 30 {
		t.Errorf("db = %+v", r)
	}
	// From the internet the private zone's name does not resolve.
	n := reach.Compile(st)
	q, err := reach.NewQuery(n, "internet", "db.example.org:5432", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	if res := reach.Probe(n, q); res.Verdict != reach.NXDomain || !res.HasCode(reach.CodePrivateZoneNotAssociated) {
		t.Errorf("internet → db.example.org = %s %v", res.Verdict, res.Explanations)
	}
}

// TestHostedZoneErrors: Route 53's refusals and the file's own mistakes
// come back with the line.
func TestHostedZoneErrors(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{"hosted_zones:\n  example.com:\n    records:\n      www: {type: CNAME, values: [a.example.net, b.example.net]}\n", "more than one resource record"},
		{"hosted_zones:\n  example.com:\n    records:\n      \"@\": {type: CNAME, values: [a.example.net]}\n", "not permitted at apex"},
		{"hosted_zones:\n  example.com:\n    vpcs: [nope]\n", `vpc "nope" is not defined`},
		{"hosted_zones:\n  example.com:\n    recods: {}\n", `unknown field "recods"`},
		{"hosted_zones:\n  example.com:\n    records:\n      db: {type: AAAA, values: [10.0.0.1]}\n", "AAAARRDATAIllegalIPv6Address"},
	} {
		sc, err := scenario.Parse("e.yaml", []byte(c.body))
		if err == nil {
			_, err = sc.Build()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.body, err, c.want)
		}
	}
}

// TestHostedZoneWeighted: a record name with weighted: is a weighted set,
// one record set per item with its set_identifier and weight (an alias
// to a load balancer of the file or values); its mistakes come back with
// the item's line.
func TestHostedZoneWeighted(t *testing.T) {
	sc, err := scenario.Parse("w.yaml", []byte(`
hosted_zones:
  example.com:
    records:
      api:
        weighted:
          - {set_identifier: blue, weight: 200, values: [192.0.2.1]}
          - {set_identifier: green, weight: 0, values: [192.0.2.2], ttl: 30}
`))
	if err != nil {
		t.Fatal(err)
	}
	built, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := built.Engine.Snapshot()
	got := map[string]string{}
	for _, z := range st.HostedZones {
		for _, r := range z.Lookup("api.example.com") {
			if r.Weight != nil {
				got[r.SetIdentifier] = fmt.Sprintf("%d %d %s", *r.Weight, r.TTL, strings.Join(r.Values, ","))
			}
		}
	}
	if len(got) != 2 || got["blue"] != "200 300 192.0.2.1" || got["green"] != "0 30 192.0.2.2" {
		t.Errorf("weighted records = %v", got)
	}

	for _, c := range []struct{ body, want string }{
		{"hosted_zones:\n  example.com:\n    records:\n      api:\n        weighted:\n          - {set_identifier: a, weight: 1, values: [192.0.2.1]}\n          - {weight: 1, values: [192.0.2.2]}\n",
			"e.yaml:7: hosted zone \"example.com\": record \"api\": a weighted record needs a set_identifier"},
		{"hosted_zones:\n  example.com:\n    records:\n      api:\n        weighted:\n          - {set_identifier: a, weight: 256, values: [192.0.2.1]}\n",
			"e.yaml:6: hosted zone \"example.com\": record \"api\": weighted record \"a\": weight must be 0 to 255"},
		{"hosted_zones:\n  example.com:\n    records:\n      api:\n        weighted:\n          - {set_identifier: a, values: [192.0.2.1]}\n",
			"weight must be 0 to 255"},
		{"hosted_zones:\n  example.com:\n    records:\n      api:\n        weighted:\n          - {set_identifier: a, weight: 1, values: [192.0.2.1]}\n          - {set_identifier: a, weight: 2, values: [192.0.2.2]}\n",
			"e.yaml:7: hosted zone \"example.com\": record \"api\": set_identifier \"a\" is given twice (first at line 6)"},
		{"hosted_zones:\n  example.com:\n    records:\n      api:\n        values: [192.0.2.9]\n        weighted:\n          - {set_identifier: a, weight: 1, values: [192.0.2.1]}\n",
			"e.yaml:4: hosted zone \"example.com\": record \"api\": weighted gives each record's values"},
		{"hosted_zones:\n  example.com:\n    records:\n      api:\n        weighted:\n          - {set_identifier: a, weight: 1, values: [not-an-ip]}\n",
			"e.yaml:6: hosted zone \"example.com\": record \"api\" (a): InvalidChangeBatch"},
		{"hosted_zones:\n  example.com:\n    records:\n      api:\n        weighted:\n          - {set_identifer: a, weight: 1}\n",
			`unknown field "set_identifer"`},
	} {
		sc, err := scenario.Parse("e.yaml", []byte(c.body))
		if err == nil {
			_, err = sc.Build()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.body, err, c.want)
		}
	}
}

// TestHostedZoneWeightedProbe: a weighted set from a scenario file feeds
// the analyzer: a probe of the name from the internet probes each record
// and answers the worst case (the light record to a private address),
// noting each record's verdict.
func TestHostedZoneWeightedProbe(t *testing.T) {
	b, err := os.ReadFile("../../examples/failures/route53-public-alias-internal-alb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Replace(string(b), "scheme: internal", "scheme: internet-facing", 1)
	i := strings.Index(body, "\nhosted_zones:")
	body = body[:i] + `
hosted_zones:
  example.com:
    records:
      app:
        weighted:
          - {set_identifier: blue, weight: 90, alias: web-alb}
          - {set_identifier: green, weight: 10, values: [10.0.1.99]}
`
	sc, err := scenario.Parse("w.yaml", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	built, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := built.Engine.Snapshot()
	n := reach.Compile(st)
	q, err := reach.NewQuery(n, "internet", "app.example.com:80", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	res := reach.Probe(n, q)
	notes := strings.Join(res.Notes, "\n")
	if res.Verdict.Reachable() || !strings.Contains(notes, `worst case, set "green"`) || !strings.Contains(notes, `set "blue" (weight 90)`) {
		t.Errorf("internet → app.example.com = %s, notes %q", res.Verdict, notes)
	}
}
