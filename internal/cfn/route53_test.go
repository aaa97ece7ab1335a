package cfn_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// route53Resources are a public and a private hosted zone of one domain
// (split horizon), an alias to the ALB sample's load balancer in the
// public zone and a record set group in the private one.
const route53Resources = `
  PublicZone:
    Type: AWS::Route53::HostedZone
    Properties:
      Name: example.com.
      HostedZoneConfig: {Comment: the shop}
  PrivateZone:
    Type: AWS::Route53::HostedZone
    Properties:
      Name: example.com
      VPCs: [{VPCId: !Ref VPC, VPCRegion: !Ref "AWS::Region"}]
  ShopRecord:
    Type: AWS::Route53::RecordSet
    Properties:
      HostedZoneId: !Ref PublicZone
      Name: shop.example.com.
      Type: A
      AliasTarget:
        DNSName: !GetAtt LoadBalancer.DNSName
        HostedZoneId: !GetAtt LoadBalancer.CanonicalHostedZoneID
  InternalRecords:
    Type: AWS::Route53::RecordSetGroup
    Properties:
      HostedZoneId: !GetAtt PrivateZone.Id
      RecordSets:
        - {Name: db.example.com, Type: A, TTL: "60", ResourceRecords: [10.0.9.9]}
        - {Name: www.example.com, Type: CNAME, TTL: 60, ResourceRecords: [!GetAtt LoadBalancer.DNSName]}
`

func loadWithRoute53(t *testing.T, extra string) (*cfn.Result, error) {
	t.Helper()
	b, err := os.ReadFile(repoFile("examples/cfn/alb.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := string(b)
	i := strings.Index(tmpl, "\nOutputs:")
	tmpl = tmpl[:i] + route53Resources + extra + tmpl[i:]
	path := filepath.Join(t.TempDir(), "route53.yaml")
	if err := os.WriteFile(path, []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfn.Load(path, nil, engine.WithStartCheck(reach.StartCheck))
}

// TestRoute53Template: the zones and records are created (Ref of a zone
// is its id; a public zone has four name servers, a private one none),
// and a probe by name resolves as the Resolver does: the internet asks
// the public zone (the alias leads to the ALB, 200); a task of the VPC
// asks the private zone, which lacks shop (split horizon: NXDOMAIN) and
// has www, a CNAME to the ALB's DNS name.
func TestRoute53Template(t *testing.T) {
	res, err := loadWithRoute53(t, "")
	if err != nil {
		t.Fatal(err)
	}
	st := state(res)
	pub, priv := st.HostedZones[res.PhysicalIDs["PublicZone"]], st.HostedZones[res.PhysicalIDs["PrivateZone"]]
	if pub == nil || priv == nil || pub.Private || !priv.Private || pub.Name != "example.com" || pub.Comment != "the shop" || len(pub.Records) != 1 || len(priv.Records) != 2 {
		t.Fatalf("zones: public %+v, private %+v", pub, priv)
	}
	if res.PhysicalIDs["ShopRecord"] != "shop.example.com" {
		t.Errorf("Ref ShopRecord = %q, want the record's name", res.PhysicalIDs["ShopRecord"])
	}
	if a := pub.Records[0].Alias; a == nil || !strings.HasSuffix(a.DNSName, ".elb.amazonaws.com") || a.HostedZoneID != "Z35SXDOTRQ7X7K" {
		t.Errorf("alias = %+v", a)
	}

	r := probe(t, res, "internet", "shop.example.com:80")
	if !r.Reachable || r.To.Kind != reach.KindLoadBalancer || r.To.ID != st.LoadBalancers[res.PhysicalIDs["LoadBalancer"]].Name {
		t.Errorf("internet → shop.example.com: %s, to %+v: %s", r.Verdict, r.To, r.Summary)
	}
	r = probe(t, res, "web", "shop.example.com:80")
	if r.Verdict != reach.NXDomain || !r.HasCode(reach.CodePrivateZoneSplitHorizon) {
		t.Errorf("web → shop.example.com: %s %v, want nxdomain (split horizon): %s", r.Verdict, r.Explanations, r.Summary)
	}
	r = probe(t, res, "web", "www.example.com:80")
	if !r.Reachable || r.To.Kind != reach.KindLoadBalancer {
		t.Errorf("web → www.example.com: %s, to %+v: %s", r.Verdict, r.To, r.Summary)
	}
	r = probe(t, res, "internet", "db.example.com:5432")
	if r.Verdict != reach.NXDomain || !r.HasCode(reach.CodePrivateZoneNotAssociated) {
		t.Errorf("internet → db.example.com (private only): %s %v: %s", r.Verdict, r.Explanations, r.Summary)
	}
}

// TestRoute53TemplateErrors: Route 53's checks fail the stack: a record
// outside its zone, HostedZoneName naming two zones, an alias naming the
// wrong hosted zone id for the load balancer.
func TestRoute53TemplateErrors(t *testing.T) {
	for _, c := range []struct{ extra, want string }{
		{`
  Stray:
    Type: AWS::Route53::RecordSet
    Properties: {HostedZoneId: !Ref PublicZone, Name: api.example.net, Type: A, TTL: 60, ResourceRecords: [192.0.2.1]}
`, "is not permitted in zone example.com"},
		{`
  ByName:
    Type: AWS::Route53::RecordSet
    Properties: {HostedZoneName: example.com., Name: api.example.com, Type: A, TTL: 60, ResourceRecords: [192.0.2.1]}
`, "More than one hosted zone"},
		{`
  WrongZone:
    Type: AWS::Route53::RecordSet
    Properties:
      HostedZoneId: !Ref PublicZone
      Name: api.example.com
      Type: A
      AliasTarget: {DNSName: !GetAtt LoadBalancer.DNSName, HostedZoneId: Z2FDTNDATAQYW2}
`, "does not lie within the target zone"},
		{`
  BadA:
    Type: AWS::Route53::RecordSet
    Properties: {HostedZoneId: !Ref PublicZone, Name: api.example.com, Type: A, TTL: 60, ResourceRecords: [not-an-ip]}
`, "ARRDATAIllegalIPv4Address"},
	} {
		_, err := loadWithRoute53(t, c.extra)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", strings.TrimSpace(c.extra)[:12], err, c.want)
		}
	}
}

// TestRoute53TemplateOutsideZones: a record in a zone the template does
// not make and the system lacks: by id it is skipped (as before zones
// were modelled); by name ecsnet stands in a public zone of that name,
// with a warning, and the record resolves from the internet.
func TestRoute53TemplateOutsideZones(t *testing.T) {
	res, err := loadWithRoute53(t, `
  ById:
    Type: AWS::Route53::RecordSet
    Properties: {HostedZoneId: Z0123456789NOTHERE00, Name: api.corp.example, Type: A, TTL: 60, ResourceRecords: [192.0.2.1]}
  ByName:
    Type: AWS::Route53::RecordSet
    Properties:
      HostedZoneName: corp.example.
      Name: shop.corp.example
      Type: A
      AliasTarget: {DNSName: !GetAtt LoadBalancer.DNSName, HostedZoneId: !GetAtt LoadBalancer.CanonicalHostedZoneID}
`)
	if err != nil {
		t.Fatal(err)
	}
	skipped := false
	for _, s := range res.Skipped {
		if s.LogicalID == "ById" && strings.Contains(s.Reason, "hosted zone") {
			skipped = true
		}
	}
	if !skipped {
		t.Errorf("ById not skipped: %+v", res.Skipped)
	}
	warned := false
	for _, w := range res.Warnings {
		if strings.Contains(w.String(), "stands in a public zone") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no stand-in warning in %v", res.Warnings)
	}
	if r := probe(t, res, "internet", "shop.corp.example:80"); !r.Reachable {
		t.Errorf("internet → shop.corp.example: %s: %s", r.Verdict, r.Summary)
	}
}

// TestRoute53StackUpdateDelete: a record whose value changes is replaced
// (the new record UPSERTs over the old); deleting the old resource then
// leaves the new record; deleting the stack deletes records and zones.
func TestRoute53StackUpdateDelete(t *testing.T) {
	tpl, err := cfn.ParseTemplate("r53.yaml", []byte(`
Parameters:
  Ip: {Type: String, Default: 192.0.2.1}
Resources:
  Zone:
    Type: AWS::Route53::HostedZone
    Properties: {Name: example.com}
  Api:
    Type: AWS::Route53::RecordSet
    Properties: {HostedZoneId: !Ref Zone, Name: api.example.com, Type: A, TTL: 60, ResourceRecords: [!Ref Ip]}
`))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	first, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "r53"})
	if err != nil {
		t.Fatal(err)
	}
	existing := map[string]cfn.Existing{}
	var oldAPI []cfn.Resource
	for _, r := range first.Resources {
		existing[r.LogicalID] = cfn.Existing{Type: r.Type, PhysicalID: r.PhysicalID, Keys: r.Keys, Props: r.Props, Attrs: r.Attrs}
		if r.LogicalID == "Api" {
			oldAPI = append(oldAPI, r)
		}
	}
	second, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "r53", Existing: existing, Parameters: map[string]string{"Ip": "192.0.2.9"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := cfn.DeleteResources(e, oldAPI); err != nil {
		t.Fatal(err)
	}
	zone := second.PhysicalIDs["Zone"]
	st, _ := e.Snapshot()
	if z := st.HostedZones[zone]; z == nil || len(z.Records) != 1 || z.Records[0].Addrs[0].String() != "192.0.2.9" {
		t.Fatalf("after the update: %+v", z)
	}
	if err := cfn.DeleteResources(e, second.Resources); err != nil {
		t.Fatal(err)
	}
	st, _ = e.Snapshot()
	if len(st.HostedZones) != 0 {
		t.Errorf("zones left after the stack's deletion: %+v", st.HostedZones)
	}
}

// TestRoute53WeightedRecordSets: two AWS::Route53::RecordSet resources of
// one name and type with their own SetIdentifier are two records of a
// weighted set (neither replaces the other), each with its weight; and
// deleting one resource leaves the other record, even when both have
// the same value.
func TestRoute53WeightedRecordSets(t *testing.T) {
	tpl, err := cfn.ParseTemplate("r53w.yaml", []byte(`
Resources:
  Zone:
    Type: AWS::Route53::HostedZone
    Properties: {Name: example.com}
  Blue:
    Type: AWS::Route53::RecordSet
    Properties: {HostedZoneId: !Ref Zone, Name: api.example.com, Type: A, TTL: 60, SetIdentifier: blue, Weight: 10, ResourceRecords: [192.0.2.1]}
  Green:
    Type: AWS::Route53::RecordSet
    Properties: {HostedZoneId: !Ref Zone, Name: api.example.com, Type: A, TTL: 60, SetIdentifier: green, Weight: "90", ResourceRecords: [192.0.2.1]}
`))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	res, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "r53w"})
	if err != nil {
		t.Fatal(err)
	}
	zone := res.PhysicalIDs["Zone"]
	st, _ := e.Snapshot()
	got := map[string]int64{}
	for _, r := range st.HostedZones[zone].Records {
		if r.Name == "api.example.com" && r.Weight != nil {
			got[r.SetIdentifier] = *r.Weight
		}
	}
	if len(got) != 2 || got["blue"] != 10 || got["green"] != 90 {
		t.Fatalf("weighted records = %v, want blue 10 and green 90", got)
	}
	var blue []cfn.Resource
	for _, r := range res.Resources {
		if r.LogicalID == "Blue" {
			blue = append(blue, r)
		}
	}
	if err := cfn.DeleteResources(e, blue); err != nil {
		t.Fatal(err)
	}
	st, _ = e.Snapshot()
	var left []string
	for _, r := range st.HostedZones[zone].Records {
		if r.Name == "api.example.com" {
			left = append(left, r.SetIdentifier)
		}
	}
	if len(left) != 1 || left[0] != "green" {
		t.Errorf("after deleting Blue: records %v, want [green]", left)
	}
}

// TestRoute53TemplateVPCRegion: a private zone's VPCs of another region
// (VPCRegion) are not associated in the stack's region, with a warning;
// a zone of other regions' VPCs only is skipped, and so is its record.
func TestRoute53TemplateVPCRegion(t *testing.T) {
	res, err := loadWithRoute53(t, `
  SharedZone:
    Type: AWS::Route53::HostedZone
    Properties:
      Name: shared.internal
      VPCs:
        - {VPCId: !Ref VPC, VPCRegion: !Ref "AWS::Region"}
        - {VPCId: vpc-0aaaabbbbccccdddd, VPCRegion: ap-southeast-2}
  ElsewhereZone:
    Type: AWS::Route53::HostedZone
    Properties:
      Name: elsewhere.internal
      VPCs: [{VPCId: vpc-0aaaabbbbccccdddd, VPCRegion: ap-southeast-2}]
  ElsewhereRecord:
    Type: AWS::Route53::RecordSet
    Properties: {HostedZoneId: !Ref ElsewhereZone, Name: db.elsewhere.internal, Type: A, TTL: 60, ResourceRecords: [10.9.0.1]}
`)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := res.Engine.Snapshot()
	var shared int
	for _, z := range st.HostedZones {
		switch z.Name {
		case "shared.internal":
			shared++
			if len(z.VPCs) != 1 {
				t.Errorf("shared.internal's VPCs = %v, want the stack region's one", z.VPCs)
			}
		case "elsewhere.internal":
			t.Errorf("elsewhere.internal (ap-southeast-2 VPCs only) is in the stack region's state: %+v", z)
		}
	}
	if shared != 1 {
		t.Errorf("%d zones shared.internal, want 1", shared)
	}
	skipped := map[string]string{}
	for _, s := range res.Skipped {
		skipped[s.LogicalID] = s.Reason
	}
	if !strings.Contains(skipped["ElsewhereZone"], "ap-southeast-2") {
		t.Errorf("ElsewhereZone skipped %q, want it skipped naming ap-southeast-2", skipped["ElsewhereZone"])
	}
	if skipped["ElsewhereRecord"] == "" {
		t.Errorf("ElsewhereRecord not skipped: %+v", res.Skipped)
	}
	warned := false
	for _, w := range res.Warnings {
		warned = warned || strings.Contains(w.String(), "vpc-0aaaabbbbccccdddd (ap-southeast-2)") && strings.Contains(w.String(), "SharedZone")
	}
	if !warned {
		t.Errorf("no warning of SharedZone's ap-southeast-2 VPC: %v", res.Warnings)
	}
}
