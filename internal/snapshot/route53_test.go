package snapshot_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// TestRoute53Files: the aws CLI's list-hosted-zones, get-hosted-zone and
// list-resource-record-sets (with the zone's id beside it) load as hosted
// zones with their records; a probe by a record's name resolves through
// the alias to the load balancer the snapshot has.
func TestRoute53Files(t *testing.T) {
	sc, err := scenario.Load("../../examples/failures/route53-split-horizon-missing-record.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := b.Engine.Snapshot()
	dir := t.TempDir()
	if err := snapshot.Write(dir, st); err != nil {
		t.Fatal(err)
	}
	var lb *model.LoadBalancer
	for _, x := range st.LoadBalancers {
		lb = x
	}
	var vpc model.VpcID
	for id := range st.VPCs {
		if !st.VPCs[id].IsDefault {
			vpc = id
		}
	}
	write := func(name string, v any) {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "aws_configs", st.Region, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	type obj = map[string]any
	write("route53-list-hosted-zones.json", obj{"HostedZones": []obj{
		{"Id": "/hostedzone/Z0PUBLIC0000000000001", "Name": "example.com.", "Config": obj{"PrivateZone": false}, "ResourceRecordSetCount": 3},
		{"Id": "/hostedzone/Z0PRIVATE000000000001", "Name": "example.com.", "Config": obj{"PrivateZone": true, "Comment": "internal"}, "ResourceRecordSetCount": 3},
	}, "IsTruncated": false, "MaxItems": "100"})
	write("route53-get-hosted-zone-Z0PRIVATE000000000001.json", obj{
		"HostedZone": obj{"Id": "/hostedzone/Z0PRIVATE000000000001", "Name": "example.com.", "Config": obj{"PrivateZone": true}},
		"VPCs":       []obj{{"VPCRegion": st.Region, "VPCId": string(vpc)}},
	})
	write("route53-list-resource-record-sets-Z0PUBLIC0000000000001.json", obj{"HostedZoneId": "Z0PUBLIC0000000000001", "ResourceRecordSets": []obj{
		{"Name": "example.com.", "Type": "NS", "TTL": 172800, "ResourceRecords": []obj{{"Value": "ns-1.awsdns-01.com."}}},
		{"Name": "example.com.", "Type": "SOA", "TTL": 900, "ResourceRecords": []obj{{"Value": "ns-1.awsdns-01.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"}}},
		{"Name": "api.example.com.", "Type": "A", "AliasTarget": obj{"HostedZoneId": lb.CanonicalHostedZoneID, "DNSName": "dualstack." + strings.ToLower(lb.DNSName) + ".", "EvaluateTargetHealth": true}},
		{"Name": "\\052.apps.example.com.", "Type": "A", "TTL": 60, "ResourceRecords": []obj{{"Value": "192.0.2.8"}}},
	}})
	write("route53-list-resource-record-sets-Z0PRIVATE000000000001.json", obj{"HostedZoneId": "/hostedzone/Z0PRIVATE000000000001", "ResourceRecordSets": []obj{
		{"Name": "db.example.com.", "Type": "A", "TTL": 300, "ResourceRecords": []obj{{"Value": "10.0.2.50"}}},
		{"Name": "svc.example.com.", "Type": "A", "SetIdentifier": "primary", "Failover": "PRIMARY", "HealthCheckId": "7f6c1c1e-0000-4000-8000-000000000001", "TTL": 60, "ResourceRecords": []obj{{"Value": "10.0.2.60"}}},
		{"Name": "svc.example.com.", "Type": "A", "SetIdentifier": "secondary", "Failover": "SECONDARY", "TTL": 60, "ResourceRecords": []obj{{"Value": "10.0.2.61"}}},
		{"Name": "w.example.com.", "Type": "A", "SetIdentifier": "blue", "Weight": 0, "TTL": 60, "ResourceRecords": []obj{{"Value": "10.0.2.70"}}},
		{"Name": "geo.example.com.", "Type": "A", "SetIdentifier": "eu", "GeoLocation": obj{"ContinentCode": "EU"}, "TTL": 60, "ResourceRecords": []obj{{"Value": "10.0.2.80"}}},
	}})

	res, err := snapshot.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := res.Engine.Snapshot()
	pub, priv := got.HostedZones["Z0PUBLIC0000000000001"], got.HostedZones["Z0PRIVATE000000000001"]
	if pub == nil || priv == nil || !priv.Private || priv.Comment != "internal" || len(priv.VPCs) != 1 || priv.VPCs[0] != vpc {
		t.Fatalf("zones: %+v %+v", pub, priv)
	}
	// The routing policies and the health check of records with a
	// SetIdentifier are kept (a failover pair is not two plain records).
	policy := map[string]string{}
	for _, r := range priv.Records {
		w := "-"
		if r.Weight != nil {
			w = fmt.Sprint(*r.Weight)
		}
		geo := ""
		if r.GeoLocation != nil {
			geo = r.GeoLocation.ContinentCode
		}
		policy[r.SetIdentifier] = r.Failover + "/" + w + "/" + geo + "/" + r.HealthCheckID
	}
	for id, want := range map[string]string{"primary": "PRIMARY/-//7f6c1c1e-0000-4000-8000-000000000001", "secondary": "SECONDARY/-//",
		"blue": "/0//", "eu": "/-/EU/", "": "/-//"} {
		if policy[id] != want {
			t.Errorf("record %q: %q, want %q", id, policy[id], want)
		}
	}
	if len(pub.Records) != 2 || len(pub.Lookup("x.apps.example.com")) != 1 {
		t.Errorf("public records %+v, want the alias and the wildcard (no SOA, no NS)", pub.Records)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.String(), "unknown key") {
			t.Errorf("warning: %s", w)
		}
	}
	n := reach.Compile(got)
	for _, c := range []struct {
		from, to string
		verdict  reach.Verdict
	}{
		{"internet", "api.example.com:80", reach.HTTP200},
		{"worker", "api.example.com:80", reach.NXDomain},
	} {
		q, err := reach.NewQuery(n, c.from, c.to, "tcp")
		if err != nil {
			t.Fatal(err)
		}
		if r := reach.Probe(n, q); r.Verdict != c.verdict {
			t.Errorf("%s → %s = %s, want %s: %s", c.from, c.to, r.Verdict, c.verdict, r.Summary)
		}
	}
}
