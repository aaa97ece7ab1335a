package server_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/internal/reach"
)

func route53Client(url string) *route53.Client {
	return route53.NewFromConfig(sdkConfig(), func(o *route53.Options) { o.BaseEndpoint = aws.String(url) })
}

// wantR53Error fails unless err is the Route 53 error code with the HTTP
// status, and its message contains msg.
func wantR53Error(t *testing.T, what string, err error, code string, status int, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code || !strings.Contains(ae.ErrorMessage(), msg) {
		t.Errorf("%s: %v, want %s (%q)", what, err, code, msg)
		return
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() != status {
		t.Errorf("%s: HTTP %d, want %d", what, re.HTTPStatusCode(), status)
	}
}

func change(action r53types.ChangeAction, name string, typ r53types.RRType, values ...string) r53types.Change {
	rrs := &r53types.ResourceRecordSet{Name: aws.String(name), Type: typ, TTL: aws.Int64(300)}
	for _, v := range values {
		rrs.ResourceRecords = append(rrs.ResourceRecords, r53types.ResourceRecord{Value: aws.String(v)})
	}
	return r53types.Change{Action: action, ResourceRecordSet: rrs}
}

func changeRecords(r *route53.Client, zone *string, changes ...r53types.Change) error {
	_, err := r.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: zone,
		ChangeBatch: &r53types.ChangeBatch{Changes: changes}})
	return err
}

func allRecords(t *testing.T, r *route53.Client, zone *string, pageSize int32) []r53types.ResourceRecordSet {
	t.Helper()
	var out []r53types.ResourceRecordSet
	p := route53.NewListResourceRecordSetsPaginator(r, &route53.ListResourceRecordSetsInput{HostedZoneId: zone, MaxItems: aws.Int32(pageSize)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		must(t, err)
		if len(page.ResourceRecordSets) > int(pageSize) {
			t.Fatalf("page of %d records, MaxItems %d", len(page.ResourceRecordSets), pageSize)
		}
		out = append(out, page.ResourceRecordSets...)
	}
	return out
}

// TestRoute53PublicZoneAndRecords drives Route 53 through the Go SDK: a
// public zone with its delegation set and SOA/NS records, CallerReference
// idempotency, record changes with AWS's InvalidChangeBatch texts, batch
// atomicity, the listing's order and pagination, wildcard escapes, and
// HostedZoneNotEmpty.
func TestRoute53PublicZoneAndRecords(t *testing.T) {
	em := newEmulator(t, nil)
	r := route53Client(em.URL)
	z, err := r.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("Example.COM"), CallerReference: aws.String("ref-1"),
		HostedZoneConfig: &r53types.HostedZoneConfig{Comment: aws.String("public")}})
	must(t, err)
	zone := z.HostedZone.Id
	if !strings.HasPrefix(aws.ToString(zone), "/hostedzone/Z") || aws.ToString(z.HostedZone.Name) != "example.com." || z.HostedZone.Config.PrivateZone ||
		z.DelegationSet == nil || len(z.DelegationSet.NameServers) != 4 || z.ChangeInfo.Status != r53types.ChangeStatusInsync ||
		aws.ToString(z.Location) != "https://route53.amazonaws.com/2013-04-01"+aws.ToString(zone) {
		t.Fatalf("CreateHostedZone: %+v %+v %+v Location %q", z.HostedZone, z.DelegationSet, z.ChangeInfo, aws.ToString(z.Location))
	}
	_, err = r.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("other.com"), CallerReference: aws.String("ref-1")})
	wantR53Error(t, "CreateHostedZone with a used CallerReference", err, "HostedZoneAlreadyExists", 409, "A hosted zone has already been created with the specified caller reference.")

	ch, err := r.GetChange(ctx, &route53.GetChangeInput{Id: z.ChangeInfo.Id})
	must(t, err)
	if ch.ChangeInfo.Status != r53types.ChangeStatusInsync || aws.ToString(ch.ChangeInfo.Id) != aws.ToString(z.ChangeInfo.Id) ||
		!aws.ToTime(ch.ChangeInfo.SubmittedAt).Equal(aws.ToTime(z.ChangeInfo.SubmittedAt)) {
		t.Errorf("GetChange: %s %s %v, want the change CreateHostedZone answered (%s %v)", ch.ChangeInfo.Status, aws.ToString(ch.ChangeInfo.Id),
			aws.ToTime(ch.ChangeInfo.SubmittedAt), aws.ToString(z.ChangeInfo.Id), aws.ToTime(z.ChangeInfo.SubmittedAt))
	}
	recs := allRecords(t, r, zone, 100)
	if len(recs) != 2 || recs[0].Type != r53types.RRTypeNs || recs[1].Type != r53types.RRTypeSoa || len(recs[0].ResourceRecords) != 4 ||
		aws.ToString(recs[0].ResourceRecords[0].Value) != z.DelegationSet.NameServers[0]+"." {
		t.Fatalf("a new zone's records: %+v", recs)
	}

	must(t, changeRecords(r, zone, change(r53types.ChangeActionCreate, "WWW.example.com", r53types.RRTypeA, "10.0.0.1")))
	err = changeRecords(r, zone, change(r53types.ChangeActionCreate, "www.example.com.", r53types.RRTypeA, "10.0.0.2"))
	wantR53Error(t, "CREATE of an existing record", err, "InvalidChangeBatch", 400,
		"Tried to create resource record set [name='www.example.com.', type='A'] but it already exists")
	err = changeRecords(r, zone, change(r53types.ChangeActionDelete, "nope.example.com", r53types.RRTypeA, "10.0.0.2"))
	wantR53Error(t, "DELETE of a missing record", err, "InvalidChangeBatch", 400,
		"Tried to delete resource record set [name='nope.example.com.', type='A'] but it was not found")
	// All or nothing: the valid CREATE of a batch with a bad change is
	// not applied.
	err = changeRecords(r, zone, change(r53types.ChangeActionCreate, "api.example.com", r53types.RRTypeA, "10.0.0.3"),
		change(r53types.ChangeActionCreate, "www.example.com", r53types.RRTypeA, "10.0.0.2"))
	wantR53Error(t, "a batch with a bad change", err, "InvalidChangeBatch", 400, "already exists")
	for _, rec := range allRecords(t, r, zone, 100) {
		if aws.ToString(rec.Name) == "api.example.com." {
			t.Errorf("the failed batch's CREATE was applied")
		}
	}
	err = changeRecords(r, zone, change(r53types.ChangeActionCreate, "www.other.org", r53types.RRTypeA, "10.0.0.2"))
	wantR53Error(t, "a record outside the zone", err, "InvalidChangeBatch", 400, "is not permitted in zone example.com.")

	// UPSERT replaces; CNAME, TXT, a wildcard and weighted records.
	must(t, changeRecords(r, zone,
		change(r53types.ChangeActionUpsert, "www.example.com", r53types.RRTypeA, "10.0.0.9"),
		change(r53types.ChangeActionCreate, "docs.example.com", r53types.RRTypeCname, "www.example.com"),
		change(r53types.ChangeActionCreate, "example.com", r53types.RRTypeTxt, `"v=spf1 -all"`),
		change(r53types.ChangeActionCreate, "*.example.com", r53types.RRTypeA, "10.0.0.7"),
		r53types.Change{Action: r53types.ChangeActionCreate, ResourceRecordSet: &r53types.ResourceRecordSet{Name: aws.String("w.example.com"), Type: r53types.RRTypeA,
			SetIdentifier: aws.String("blue"), Weight: aws.Int64(10), TTL: aws.Int64(60), ResourceRecords: []r53types.ResourceRecord{{Value: aws.String("10.0.1.1")}}}},
		r53types.Change{Action: r53types.ChangeActionCreate, ResourceRecordSet: &r53types.ResourceRecordSet{Name: aws.String("w.example.com"), Type: r53types.RRTypeA,
			SetIdentifier: aws.String("green"), Weight: aws.Int64(90), TTL: aws.Int64(60), ResourceRecords: []r53types.ResourceRecord{{Value: aws.String("10.0.1.2")}}}},
	))
	var got []string
	for _, rec := range allRecords(t, r, zone, 2) {
		s := aws.ToString(rec.Name) + " " + string(rec.Type)
		if rec.SetIdentifier != nil {
			s += " " + aws.ToString(rec.SetIdentifier) + fmt.Sprint(aws.ToInt64(rec.Weight))
		}
		got = append(got, s)
	}
	// Names sort by their labels reversed: example.com. before
	// \052.example.com. before docs…, w…, www….
	want := []string{"example.com. NS", "example.com. SOA", "example.com. TXT", `\052.example.com. A`, "docs.example.com. CNAME",
		"w.example.com. A blue10", "w.example.com. A green90", "www.example.com. A"}
	if !slices.Equal(got, want) {
		t.Errorf("records in pages of 2:\n got %q\nwant %q", got, want)
	}
	l, err := r.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: zone, StartRecordName: aws.String("w.example.com"),
		StartRecordType: r53types.RRTypeA, MaxItems: aws.Int32(1)})
	must(t, err)
	if len(l.ResourceRecordSets) != 1 || aws.ToString(l.ResourceRecordSets[0].SetIdentifier) != "blue" || !l.IsTruncated ||
		aws.ToString(l.NextRecordIdentifier) != "green" || aws.ToString(l.NextRecordName) != "w.example.com." {
		t.Errorf("a page from w.example.com: %+v next %s %s %s", l.ResourceRecordSets, aws.ToString(l.NextRecordName), l.NextRecordType, aws.ToString(l.NextRecordIdentifier))
	}
	err = changeRecords(r, zone, change(r53types.ChangeActionDelete, "www.example.com", r53types.RRTypeA, "10.0.0.1"))
	wantR53Error(t, "DELETE with other values", err, "InvalidChangeBatch", 400, "but the values provided do not match the current values")

	_, err = r.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: zone})
	wantR53Error(t, "DeleteHostedZone with records", err, "HostedZoneNotEmpty", 400, "contains non-required resource record sets")

	hz, err := r.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: zone})
	must(t, err)
	if aws.ToInt64(hz.HostedZone.ResourceRecordSetCount) != 8 || aws.ToString(hz.HostedZone.Config.Comment) != "public" || len(hz.DelegationSet.NameServers) != 4 {
		t.Errorf("GetHostedZone: %+v", hz.HostedZone)
	}
	if _, err := r.UpdateHostedZoneComment(ctx, &route53.UpdateHostedZoneCommentInput{Id: zone, Comment: aws.String("new")}); err != nil {
		t.Fatal(err)
	}
	byName, err := r.ListHostedZonesByName(ctx, &route53.ListHostedZonesByNameInput{DNSName: aws.String("example.com")})
	must(t, err)
	if len(byName.HostedZones) != 1 || aws.ToString(byName.HostedZones[0].Config.Comment) != "new" {
		t.Errorf("ListHostedZonesByName: %+v", byName.HostedZones)
	}
	count, err := r.GetHostedZoneCount(ctx, &route53.GetHostedZoneCountInput{})
	must(t, err)
	if aws.ToInt64(count.HostedZoneCount) != 1 {
		t.Errorf("GetHostedZoneCount %d", aws.ToInt64(count.HostedZoneCount))
	}

	// Empty the zone (its NS and SOA stay) and delete it.
	var del []r53types.Change
	for _, rec := range allRecords(t, r, zone, 100) {
		if rec.Type != r53types.RRTypeNs && rec.Type != r53types.RRTypeSoa {
			del = append(del, r53types.Change{Action: r53types.ChangeActionDelete, ResourceRecordSet: &rec})
		}
	}
	must(t, changeRecords(r, zone, del...))
	_, err = r.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: zone})
	must(t, err)
	_, err = r.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: zone})
	wantR53Error(t, "GetHostedZone of a deleted zone", err, "NoSuchHostedZone", 404, "No hosted zone found with ID: "+strings.TrimPrefix(aws.ToString(zone), "/hostedzone/"))
	_, err = r.GetChange(ctx, &route53.GetChangeInput{Id: aws.String("not-a-change")})
	wantR53Error(t, "GetChange of an unknown id", err, "NoSuchChange", 404, "does not exist")
	// A well-formed id that Route 53 never issued is no change either.
	_, err = r.GetChange(ctx, &route53.GetChangeInput{Id: aws.String("/change/C0123456789ABCDEFGHIJ")})
	wantR53Error(t, "GetChange of an id never issued", err, "NoSuchChange", 404, "A change with the specified change ID does not exist.")
}

// TestRoute53AliasToALBAndPrivateZone: an alias record to an
// internet-facing ALB (with the canonical hosted zone id ELBv2 answers)
// resolves for the analyzer: the internet reaches the load balancer by
// the record's name. A private zone keeps its VPCs: a second VPC is
// associated, the last one cannot be removed, and ListHostedZonesByVPC
// finds the zone; tags round-trip.
func TestRoute53AliasToALBAndPrivateZone(t *testing.T) {
	em := newEmulator(t, nil)
	es := newEstateOn(t, em, ec2types.InstanceTypeT3Micro, 0)
	r := route53Client(es.url)
	lb, err := es.c.elb.CreateLoadBalancer(ctx, &elasticloadbalancingv2.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: es.subnets,
		SecurityGroups: []string{es.open}, Scheme: elbtypes.LoadBalancerSchemeEnumInternetFacing})
	must(t, err)
	alb := lb.LoadBalancers[0]
	_, err = es.c.elb.CreateListener(ctx, &elasticloadbalancingv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(80), DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse,
			FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("200")}}}})
	must(t, err)
	z, err := r.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("shop.test"), CallerReference: aws.String("a")})
	must(t, err)
	alias := func(zoneID string) r53types.Change {
		return r53types.Change{Action: r53types.ChangeActionUpsert, ResourceRecordSet: &r53types.ResourceRecordSet{Name: aws.String("app.shop.test"), Type: r53types.RRTypeA,
			AliasTarget: &r53types.AliasTarget{DNSName: aws.String("dualstack." + aws.ToString(alb.DNSName)), HostedZoneId: aws.String(zoneID), EvaluateTargetHealth: true}}}
	}
	err = changeRecords(r, z.HostedZone.Id, alias("Z0000000000000"))
	wantR53Error(t, "an alias with the wrong hosted zone id", err, "InvalidChangeBatch", 400, "alias target name does not lie within the target zone")
	must(t, changeRecords(r, z.HostedZone.Id, alias(aws.ToString(alb.CanonicalHostedZoneId))))
	recs := allRecords(t, r, z.HostedZone.Id, 100)
	i := slices.IndexFunc(recs, func(x r53types.ResourceRecordSet) bool { return aws.ToString(x.Name) == "app.shop.test." })
	if i < 0 || recs[i].AliasTarget == nil || aws.ToString(recs[i].AliasTarget.HostedZoneId) != aws.ToString(alb.CanonicalHostedZoneId) ||
		!strings.EqualFold(aws.ToString(recs[i].AliasTarget.DNSName), "dualstack."+aws.ToString(alb.DNSName)+".") || recs[i].TTL != nil {
		t.Fatalf("alias record: %+v", recs)
	}
	eng, err := em.srv.Engine("us-east-1")
	must(t, err)
	snap, _ := eng.Snapshot()
	n := reach.Compile(snap)
	q, err := reach.NewQuery(n, "internet", "app.shop.test:80", "tcp")
	must(t, err)
	res := reach.Probe(n, q)
	t.Log(res.Summary)
	if !res.Reachable || res.To == nil || !strings.Contains(res.Summary, "web") {
		t.Errorf("internet -> app.shop.test:80 does not reach the load balancer: %s", res.Summary)
	}

	// A private zone with the estate's VPC, then a second VPC.
	_, err = r.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("corp.internal"), CallerReference: aws.String("p0"),
		HostedZoneConfig: &r53types.HostedZoneConfig{PrivateZone: true}})
	wantR53Error(t, "a private zone without a VPC", err, "InvalidInput", 400, "you must also specify values for VPCId and VPCRegion")
	p, err := r.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("corp.internal"), CallerReference: aws.String("p1"),
		VPC: &r53types.VPC{VPCId: aws.String(es.vpc), VPCRegion: r53types.VPCRegionUsEast1}})
	must(t, err)
	if !p.HostedZone.Config.PrivateZone || p.VPC == nil || aws.ToString(p.VPC.VPCId) != es.vpc || p.DelegationSet != nil {
		t.Fatalf("private zone: %+v %+v %+v", p.HostedZone, p.VPC, p.DelegationSet)
	}
	_, err = r.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("corp.internal"), CallerReference: aws.String("p2"),
		VPC: &r53types.VPC{VPCId: aws.String(es.vpc), VPCRegion: r53types.VPCRegionUsEast1}})
	wantR53Error(t, "a second private zone of the name in the VPC", err, "ConflictingDomainExists", 400, "has already been associated with the hosted zone "+strings.TrimPrefix(aws.ToString(p.HostedZone.Id), "/hostedzone/")+" with the same domain name.")
	v2, err := es.c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")})
	must(t, err)
	_, err = r.DisassociateVPCFromHostedZone(ctx, &route53.DisassociateVPCFromHostedZoneInput{HostedZoneId: p.HostedZone.Id,
		VPC: &r53types.VPC{VPCId: aws.String(es.vpc), VPCRegion: r53types.VPCRegionUsEast1}})
	wantR53Error(t, "removing the last VPC", err, "LastVPCAssociation", 400, "the last VPC")
	_, err = r.AssociateVPCWithHostedZone(ctx, &route53.AssociateVPCWithHostedZoneInput{HostedZoneId: p.HostedZone.Id,
		VPC: &r53types.VPC{VPCId: v2.Vpc.VpcId, VPCRegion: r53types.VPCRegionUsEast1}})
	must(t, err)
	_, err = r.AssociateVPCWithHostedZone(ctx, &route53.AssociateVPCWithHostedZoneInput{HostedZoneId: z.HostedZone.Id,
		VPC: &r53types.VPC{VPCId: v2.Vpc.VpcId, VPCRegion: r53types.VPCRegionUsEast1}})
	wantR53Error(t, "a VPC for a public zone", err, "PublicZoneVPCAssociation", 400, "public hosted zone")
	got, err := r.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: p.HostedZone.Id})
	must(t, err)
	if len(got.VPCs) != 2 || got.DelegationSet != nil {
		t.Errorf("GetHostedZone of the private zone: VPCs %+v", got.VPCs)
	}
	byVPC, err := r.ListHostedZonesByVPC(ctx, &route53.ListHostedZonesByVPCInput{VPCId: v2.Vpc.VpcId, VPCRegion: r53types.VPCRegionUsEast1})
	must(t, err)
	if len(byVPC.HostedZoneSummaries) != 1 || aws.ToString(byVPC.HostedZoneSummaries[0].Name) != "corp.internal." {
		t.Errorf("ListHostedZonesByVPC: %+v", byVPC.HostedZoneSummaries)
	}
	_, err = r.DisassociateVPCFromHostedZone(ctx, &route53.DisassociateVPCFromHostedZoneInput{HostedZoneId: p.HostedZone.Id,
		VPC: &r53types.VPC{VPCId: v2.Vpc.VpcId, VPCRegion: r53types.VPCRegionUsEast1}})
	must(t, err)
	private, err := r.ListHostedZones(ctx, &route53.ListHostedZonesInput{HostedZoneType: r53types.HostedZoneTypePrivateHostedZone})
	must(t, err)
	all, err := r.ListHostedZones(ctx, &route53.ListHostedZonesInput{MaxItems: aws.Int32(1)})
	must(t, err)
	if len(private.HostedZones) != 1 || len(all.HostedZones) != 1 || !all.IsTruncated || all.NextMarker == nil {
		t.Errorf("ListHostedZones: private %d, first page %d truncated %v", len(private.HostedZones), len(all.HostedZones), all.IsTruncated)
	}

	zid := strings.TrimPrefix(aws.ToString(p.HostedZone.Id), "/hostedzone/")
	_, err = r.ChangeTagsForResource(ctx, &route53.ChangeTagsForResourceInput{ResourceType: r53types.TagResourceTypeHostedzone, ResourceId: &zid,
		AddTags: []r53types.Tag{{Key: aws.String("team"), Value: aws.String("net")}, {Key: aws.String("x"), Value: aws.String("y")}}})
	must(t, err)
	_, err = r.ChangeTagsForResource(ctx, &route53.ChangeTagsForResourceInput{ResourceType: r53types.TagResourceTypeHostedzone, ResourceId: &zid, RemoveTagKeys: []string{"x"}})
	must(t, err)
	tags, err := r.ListTagsForResource(ctx, &route53.ListTagsForResourceInput{ResourceType: r53types.TagResourceTypeHostedzone, ResourceId: &zid})
	must(t, err)
	if ts := tags.ResourceTagSet.Tags; len(ts) != 1 || aws.ToString(ts[0].Key) != "team" || aws.ToString(ts[0].Value) != "net" {
		t.Errorf("tags: %+v", ts)
	}
}

const route53Template = `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.9.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true}
  Zone:
    Type: AWS::Route53::HostedZone
    Properties:
      Name: stack.example.org
      HostedZoneConfig: {Comment: from a stack}
      HostedZoneTags: [{Key: team, Value: net}]
  Private:
    Type: AWS::Route53::HostedZone
    Properties:
      Name: svc.internal
      VPCs: [{VPCId: !Ref Vpc, VPCRegion: !Ref "AWS::Region"}]
  Www:
    Type: AWS::Route53::RecordSet
    Properties: {HostedZoneId: !Ref Zone, Name: www.stack.example.org., Type: A, TTL: "300", ResourceRecords: [192.0.2.1]}
  Group:
    Type: AWS::Route53::RecordSetGroup
    Properties:
      HostedZoneId: !Ref Private
      RecordSets:
        - {Name: db.svc.internal, Type: A, TTL: "60", ResourceRecords: [10.9.0.5]}
        - {Name: cache.svc.internal, Type: CNAME, TTL: "60", ResourceRecords: [db.svc.internal]}
Outputs:
  ZoneId: {Value: !Ref Zone}
  PrivateId: {Value: !Ref Private}
`

// TestRoute53FromCloudFormation: hosted zones and record sets a stack
// creates on the server are the ones the Route 53 API answers, and
// deleting the stack removes them.
func TestRoute53FromCloudFormation(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	r := route53Client(em.URL)
	_, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("dns"), TemplateBody: aws.String(route53Template)})
	must(t, err)
	waitStack(t, cf, "dns", cfntypes.StackStatusCreateComplete)
	out := stackOutputs(t, cf, "dns")
	zone := aws.String(out["ZoneId"])
	z, err := r.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: zone})
	must(t, err)
	if aws.ToString(z.HostedZone.Name) != "stack.example.org." || aws.ToString(z.HostedZone.Config.Comment) != "from a stack" || len(z.DelegationSet.NameServers) != 4 {
		t.Errorf("the stack's zone: %+v", z.HostedZone)
	}
	var names []string
	for _, rec := range allRecords(t, r, zone, 100) {
		names = append(names, aws.ToString(rec.Name)+" "+string(rec.Type))
	}
	if !slices.Equal(names, []string{"stack.example.org. NS", "stack.example.org. SOA", "www.stack.example.org. A"}) {
		t.Errorf("the stack's zone's records: %q", names)
	}
	p, err := r.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(out["PrivateId"])})
	must(t, err)
	if !p.HostedZone.Config.PrivateZone || len(p.VPCs) != 1 || aws.ToInt64(p.HostedZone.ResourceRecordSetCount) != 4 {
		t.Errorf("the stack's private zone: %+v %+v", p.HostedZone, p.VPCs)
	}
	tags, err := r.ListTagsForResource(ctx, &route53.ListTagsForResourceInput{ResourceType: r53types.TagResourceTypeHostedzone, ResourceId: zone})
	must(t, err)
	if len(tags.ResourceTagSet.Tags) == 0 {
		t.Errorf("the stack's zone has no tags")
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("dns")})
	must(t, err)
	eventually(t, "the stack's zones are deleted", func() bool {
		l, err := r.ListHostedZones(ctx, &route53.ListHostedZonesInput{})
		return err == nil && len(l.HostedZones) == 0
	})
}

// TestRoute53CloudMapZone: a Cloud Map private DNS namespace's hosted
// zone is listed by Route 53 with LinkedService servicediscovery (its
// description the namespace's ARN) and the namespace's VPC; associating
// another VPC through Route 53 reaches the namespace; deleting the zone
// through Route 53 is refused.
func TestRoute53CloudMapZone(t *testing.T) {
	em := newEmulator(t, nil)
	e := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	r := route53Client(em.URL)
	c := sdClient(em.URL)
	v1, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	v2, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")})
	must(t, err)
	cr, err := c.CreatePrivateDnsNamespace(ctx, &sd.CreatePrivateDnsNamespaceInput{Name: aws.String("corp.local"), Vpc: v1.Vpc.VpcId})
	must(t, err)
	nsID := waitOperation(t, c, cr.OperationId).Targets["NAMESPACE"]
	ns, err := c.GetNamespace(ctx, &sd.GetNamespaceInput{Id: &nsID})
	must(t, err)
	zoneID := aws.ToString(ns.Namespace.Properties.DnsProperties.HostedZoneId)

	l, err := r.ListHostedZones(ctx, &route53.ListHostedZonesInput{})
	must(t, err)
	if len(l.HostedZones) != 1 || aws.ToString(l.HostedZones[0].Id) != "/hostedzone/"+zoneID || aws.ToString(l.HostedZones[0].Name) != "corp.local." ||
		l.HostedZones[0].LinkedService == nil || aws.ToString(l.HostedZones[0].LinkedService.ServicePrincipal) != "servicediscovery.amazonaws.com" ||
		aws.ToString(l.HostedZones[0].LinkedService.Description) != aws.ToString(ns.Namespace.Arn) || !l.HostedZones[0].Config.PrivateZone {
		t.Fatalf("ListHostedZones: %+v", l.HostedZones)
	}
	_, err = r.AssociateVPCWithHostedZone(ctx, &route53.AssociateVPCWithHostedZoneInput{HostedZoneId: &zoneID,
		VPC: &r53types.VPC{VPCId: v2.Vpc.VpcId, VPCRegion: r53types.VPCRegionUsEast1}})
	must(t, err)
	z, err := r.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: &zoneID})
	must(t, err)
	if len(z.VPCs) != 2 {
		t.Errorf("the namespace's zone's VPCs: %+v", z.VPCs)
	}
	byVPC, err := r.ListHostedZonesByVPC(ctx, &route53.ListHostedZonesByVPCInput{VPCId: v2.Vpc.VpcId, VPCRegion: r53types.VPCRegionUsEast1})
	must(t, err)
	if len(byVPC.HostedZoneSummaries) != 1 || aws.ToString(byVPC.HostedZoneSummaries[0].Owner.OwningService) != "servicediscovery.amazonaws.com" {
		t.Errorf("ListHostedZonesByVPC: %+v", byVPC.HostedZoneSummaries)
	}
	_, err = r.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: &zoneID})
	wantR53Error(t, "DeleteHostedZone of Cloud Map's zone", err, "InvalidInput", 400, "managed by AWS Cloud Map")
}
