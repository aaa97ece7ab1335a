package server_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/ecsnet/ecsnet/internal/model"
)

// regionalRoute53 is a Route 53 client that signs for region, as the SDKs
// do when an endpoint override makes them use the client's region.
func regionalRoute53(url, region string) *route53.Client {
	return route53.NewFromConfig(sdkConfig(), func(o *route53.Options) { o.BaseEndpoint = aws.String(url); o.Region = region })
}

// vpcOf creates a VPC in region and returns its id.
func vpcOf(t *testing.T, url, region, cidr string) string {
	t.Helper()
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(url); o.Region = region })
	out, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)})
	must(t, err)
	return *out.Vpc.VpcId
}

// zoneOfTwoRegions creates a private zone of an eu-west-1 VPC associated
// with a us-west-2 one, through a client that signs for us-east-1.
func zoneOfTwoRegions(t *testing.T, url, name string) (zone *string, west, oregon string) {
	t.Helper()
	west, oregon = vpcOf(t, url, "eu-west-1", "10.1.0.0/16"), vpcOf(t, url, "us-west-2", "10.2.0.0/16")
	r := route53Client(url)
	created, err := r.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String(name), CallerReference: aws.String(name),
		VPC: &r53types.VPC{VPCId: aws.String(west), VPCRegion: r53types.VPCRegionEuWest1}})
	must(t, err)
	_, err = r.AssociateVPCWithHostedZone(ctx, &route53.AssociateVPCWithHostedZoneInput{HostedZoneId: created.HostedZone.Id,
		VPC: &r53types.VPC{VPCId: aws.String(oregon), VPCRegion: r53types.VPCRegionUsWest2}})
	must(t, err)
	return created.HostedZone.Id, west, oregon
}

// TestRoute53HealthChecksAreGlobal: a health check created through a
// client signing for eu-west-1 is the account's: a client signing for
// us-west-2 gets, lists, counts, tags, updates and deletes it; a record
// of a zone with copies in both regions names it, and each region's state
// (which its analyzer reads) holds the check the record names.
func TestRoute53HealthChecksAreGlobal(t *testing.T) {
	em := newEmulator(t, nil)
	zone, _, _ := zoneOfTwoRegions(t, em.URL, "hc.internal")
	a, b := regionalRoute53(em.URL, "eu-west-1"), regionalRoute53(em.URL, "us-west-2")
	created, err := a.CreateHealthCheck(ctx, &route53.CreateHealthCheckInput{CallerReference: aws.String("hc-1"),
		HealthCheckConfig: &r53types.HealthCheckConfig{Type: r53types.HealthCheckTypeHttp, IPAddress: aws.String("192.0.2.44"), Port: aws.Int32(80)}})
	must(t, err)
	id := created.HealthCheck.Id

	got, err := b.GetHealthCheck(ctx, &route53.GetHealthCheckInput{HealthCheckId: id})
	if err != nil || aws.ToString(got.HealthCheck.Id) != *id {
		t.Fatalf("GetHealthCheck from us-west-2 of a check created from eu-west-1 = %+v, %v", got, err)
	}
	list, err := b.ListHealthChecks(ctx, &route53.ListHealthChecksInput{})
	if err != nil || len(list.HealthChecks) != 1 || *list.HealthChecks[0].Id != *id {
		t.Errorf("ListHealthChecks from us-west-2 = %+v, %v; want the check", list, err)
	}
	count, err := route53Client(em.URL).GetHealthCheckCount(ctx, &route53.GetHealthCheckCountInput{})
	if err != nil || aws.ToInt64(count.HealthCheckCount) != 1 {
		t.Errorf("GetHealthCheckCount from us-east-1 = %+v, %v; want 1", count, err)
	}
	// The same CallerReference from another region is the same check.
	again, err := b.CreateHealthCheck(ctx, &route53.CreateHealthCheckInput{CallerReference: aws.String("hc-1"),
		HealthCheckConfig: &r53types.HealthCheckConfig{Type: r53types.HealthCheckTypeHttp, IPAddress: aws.String("192.0.2.44"), Port: aws.Int32(80)}})
	if err != nil || *again.HealthCheck.Id != *id {
		t.Errorf("CreateHealthCheck again with its CallerReference from us-west-2 = %+v, %v; want the same check", again, err)
	}

	// A failover record in the zone (copies in eu-west-1 and us-west-2)
	// names it.
	primary := r53types.Change{Action: r53types.ChangeActionCreate, ResourceRecordSet: &r53types.ResourceRecordSet{
		Name: aws.String("db.hc.internal"), Type: r53types.RRTypeA, TTL: aws.Int64(60), SetIdentifier: aws.String("primary"),
		Failover: r53types.ResourceRecordSetFailoverPrimary, HealthCheckId: id, ResourceRecords: []r53types.ResourceRecord{{Value: aws.String("10.1.0.10")}}}}
	if err := changeRecords(b, zone, primary); err != nil {
		t.Fatalf("a record of a zone with copies in two regions naming a check created from eu-west-1: %v", err)
	}
	for _, region := range []string{"eu-west-1", "us-west-2"} {
		e, err := em.srv.Engine(region)
		must(t, err)
		e.Read(func(st *model.State) {
			z := st.HostedZones[model.HostedZoneRef(*zone)]
			if z == nil || !slices.ContainsFunc(z.Records, func(r model.RecordSet) bool { return r.HealthCheckID == *id }) {
				t.Errorf("%s's copy of the zone: %+v, want the record naming %s", region, z, *id)
			}
			if st.HealthChecks[*id] == nil {
				t.Errorf("%s's state does not hold the check its record names", region)
			}
		})
	}

	// A VPC of a third region associated since: its new copy of the zone
	// brings the check its record names.
	sydney := vpcOf(t, em.URL, "ap-southeast-2", "10.3.0.0/16")
	_, err = a.AssociateVPCWithHostedZone(ctx, &route53.AssociateVPCWithHostedZoneInput{HostedZoneId: zone,
		VPC: &r53types.VPC{VPCId: aws.String(sydney), VPCRegion: r53types.VPCRegionApSoutheast2}})
	must(t, err)
	syd, err := em.srv.Engine("ap-southeast-2")
	must(t, err)
	syd.Read(func(st *model.State) {
		if st.HealthChecks[*id] == nil || st.HostedZones[model.HostedZoneRef(*zone)] == nil {
			t.Errorf("ap-southeast-2's state after the association: zone %v, check %v; want both", st.HostedZones[model.HostedZoneRef(*zone)] != nil, st.HealthChecks[*id] != nil)
		}
	})

	_, err = b.ChangeTagsForResource(ctx, &route53.ChangeTagsForResourceInput{ResourceType: r53types.TagResourceTypeHealthcheck, ResourceId: id,
		AddTags: []r53types.Tag{{Key: aws.String("team"), Value: aws.String("db")}}})
	must(t, err)
	tags, err := a.ListTagsForResource(ctx, &route53.ListTagsForResourceInput{ResourceType: r53types.TagResourceTypeHealthcheck, ResourceId: id})
	if err != nil || len(tags.ResourceTagSet.Tags) != 1 || *tags.ResourceTagSet.Tags[0].Value != "db" {
		t.Errorf("tags from eu-west-1 after tagging from us-west-2 = %+v, %v", tags, err)
	}
	up, err := b.UpdateHealthCheck(ctx, &route53.UpdateHealthCheckInput{HealthCheckId: id, HealthCheckVersion: got.HealthCheck.HealthCheckVersion,
		Inverted: aws.Bool(true)})
	if err != nil || !aws.ToBool(up.HealthCheck.HealthCheckConfig.Inverted) {
		t.Fatalf("UpdateHealthCheck from us-west-2 = %+v, %v", up, err)
	}
	for _, c := range []*route53.Client{a, b} {
		g, err := c.GetHealthCheck(ctx, &route53.GetHealthCheckInput{HealthCheckId: id})
		if err != nil || !aws.ToBool(g.HealthCheck.HealthCheckConfig.Inverted) || aws.ToInt64(g.HealthCheck.HealthCheckVersion) != aws.ToInt64(up.HealthCheck.HealthCheckVersion) {
			t.Errorf("GetHealthCheck after the update = %+v, %v; want it inverted, version %d", g, err, aws.ToInt64(up.HealthCheck.HealthCheckVersion))
		}
	}
	syd.Read(func(st *model.State) {
		if h := st.HealthChecks[*id]; h == nil || !h.Config.Inverted || h.Tags["team"] != "db" {
			t.Errorf("ap-southeast-2's copy of the check after the update and tagging: %+v", h)
		}
	})
	// A stale version is refused, and changes no copy.
	_, err = a.UpdateHealthCheck(ctx, &route53.UpdateHealthCheckInput{HealthCheckId: id, HealthCheckVersion: got.HealthCheck.HealthCheckVersion, Port: aws.Int32(81)})
	wantR53Error(t, "an update of a stale version", err, "HealthCheckVersionMismatch", 409, "HealthCheckVersion")

	_, err = b.DeleteHealthCheck(ctx, &route53.DeleteHealthCheckInput{HealthCheckId: id})
	must(t, err)
	for _, c := range []*route53.Client{a, b, route53Client(em.URL)} {
		_, err = c.GetHealthCheck(ctx, &route53.GetHealthCheckInput{HealthCheckId: id})
		wantR53Error(t, "GetHealthCheck of the deleted check", err, "NoSuchHealthCheck", 404, *id)
	}
}

// TestRoute53ChangeBatchAllOrNothingAcrossRegions: a change batch on a
// zone with copies in eu-west-1 and us-west-2 whose alias the us-west-2
// copy refuses (the load balancer there answers another canonical hosted
// zone id) is refused whole, and every region's copy is left as it was,
// read back through clients signing for each region.
func TestRoute53ChangeBatchAllOrNothingAcrossRegions(t *testing.T) {
	em := newEmulator(t, nil)
	zone, _, oregon := zoneOfTwoRegions(t, em.URL, "tx.internal")
	ec := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL); o.Region = "us-west-2" })
	var subnets []string
	for i, az := range []string{"us-west-2a", "us-west-2b"} {
		s, err := ec.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(oregon), CidrBlock: aws.String([]string{"10.2.1.0/24", "10.2.2.0/24"}[i]), AvailabilityZone: aws.String(az)})
		must(t, err)
		subnets = append(subnets, *s.Subnet.SubnetId)
	}
	elb := elasticloadbalancingv2.NewFromConfig(sdkConfig(), func(o *elasticloadbalancingv2.Options) { o.BaseEndpoint = aws.String(em.URL); o.Region = "us-west-2" })
	lb, err := elb.CreateLoadBalancer(ctx, &elasticloadbalancingv2.CreateLoadBalancerInput{Name: aws.String("db"), Subnets: subnets,
		Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	must(t, err)
	alb := lb.LoadBalancers[0]

	r := route53Client(em.URL)
	plain := change(r53types.ChangeActionCreate, "a.tx.internal", r53types.RRTypeA, "10.1.0.5")
	badAlias := r53types.Change{Action: r53types.ChangeActionCreate, ResourceRecordSet: &r53types.ResourceRecordSet{Name: aws.String("lb.tx.internal"), Type: r53types.RRTypeA,
		AliasTarget: &r53types.AliasTarget{DNSName: alb.DNSName, HostedZoneId: aws.String("Z0000000000000"), EvaluateTargetHealth: false}}}
	err = changeRecords(r, zone, plain, badAlias)
	wantR53Error(t, "a batch whose alias the us-west-2 copy refuses", err, "InvalidChangeBatch", 400, "alias target name does not lie within the target zone")
	for _, region := range []string{"us-east-1", "eu-west-1", "us-west-2"} {
		recs := allRecords(t, regionalRoute53(em.URL, region), zone, 100)
		if slices.ContainsFunc(recs, func(x r53types.ResourceRecordSet) bool { return *x.Name == "a.tx.internal." }) {
			t.Errorf("records read from %s after the refused batch: %v; want no a.tx.internal.", region, recs)
		}
	}
	for _, region := range []string{"eu-west-1", "us-west-2"} {
		e, err := em.srv.Engine(region)
		must(t, err)
		e.Read(func(st *model.State) {
			if z := st.HostedZones[model.HostedZoneRef(*zone)]; z == nil || slices.ContainsFunc(z.Records, func(r model.RecordSet) bool { return r.Name == "a.tx.internal" }) {
				t.Errorf("%s's copy after the refused batch: %+v; want it without a.tx.internal", region, z)
			}
		})
	}
	// The batch with the load balancer's own zone id reaches both copies.
	badAlias.ResourceRecordSet.AliasTarget.HostedZoneId = alb.CanonicalHostedZoneId
	must(t, changeRecords(r, zone, plain, badAlias))
	for _, region := range []string{"eu-west-1", "us-west-2"} {
		e, err := em.srv.Engine(region)
		must(t, err)
		e.Read(func(st *model.State) {
			if z := st.HostedZones[model.HostedZoneRef(*zone)]; z == nil || !slices.ContainsFunc(z.Records, func(r model.RecordSet) bool { return r.Name == "a.tx.internal" }) ||
				!slices.ContainsFunc(z.Records, func(r model.RecordSet) bool { return r.Name == "lb.tx.internal" && r.Alias != nil }) {
				t.Errorf("%s's copy after the batch: %+v; want its two records", region, z)
			}
		})
	}
	// A deletion that one copy refuses (records left) leaves every copy.
	_, err = r.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: zone})
	wantR53Error(t, "deleting a zone with records", err, "HostedZoneNotEmpty", 400, "non-required resource record sets")
	for _, region := range []string{"eu-west-1", "us-west-2"} {
		e, err := em.srv.Engine(region)
		must(t, err)
		e.Read(func(st *model.State) {
			if st.HostedZones[model.HostedZoneRef(*zone)] == nil {
				t.Errorf("%s lost its copy to a refused deletion", region)
			}
		})
	}
}

// TestTerraformApplyPrivateFailoverEuWest1 applies failover records of a
// private zone of a eu-west-1 VPC whose primary names a health check,
// with the real provider (which signs Route 53, health checks included,
// for us-east-1); the second plan must be empty, and destroy must
// succeed.
func TestTerraformApplyPrivateFailoverEuWest1(t *testing.T) {
	terraformApply(t, "testdata/terraform/privatefailover", "eu-west-1", "")
}
