package server_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/store/bolt"
)

// TestRoute53PrivateZoneOfAnotherRegion: Route 53 is global, so the SDK
// signs it for us-east-1 whatever the VPC's region; a private zone of an
// eu-west-1 VPC is created, changed, listed by VPC, associated with a
// us-west-2 VPC, and deleted through the us-east-1-signed client, and
// each region's state (which its analyzer reads) holds the zone with its
// own VPCs.
func TestRoute53PrivateZoneOfAnotherRegion(t *testing.T) {
	em := newEmulator(t, nil)
	r := route53Client(em.URL) // signs for us-east-1
	regionEC2 := func(region string) *ec2.Client {
		return ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL); o.Region = region })
	}
	vpcIn := func(region, cidr string) string {
		out, err := regionEC2(region).CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)})
		if err != nil {
			t.Fatal(err)
		}
		return *out.Vpc.VpcId
	}
	west := vpcIn("eu-west-1", "10.1.0.0/16")
	oregon := vpcIn("us-west-2", "10.2.0.0/16")

	created, err := r.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("internal.example"), CallerReference: aws.String("r53g33-1"),
		VPC: &r53types.VPC{VPCId: aws.String(west), VPCRegion: r53types.VPCRegionEuWest1}})
	if err != nil {
		t.Fatalf("CreateHostedZone with VPCRegion eu-west-1, signed for us-east-1: %v", err)
	}
	zone := created.HostedZone.Id
	if created.VPC == nil || *created.VPC.VPCId != west || created.VPC.VPCRegion != r53types.VPCRegionEuWest1 {
		t.Errorf("CreateHostedZone's VPC = %+v, want %s in eu-west-1", created.VPC, west)
	}
	if err := changeRecords(r, zone, change(r53types.ChangeActionCreate, "db.internal.example", r53types.RRTypeA, "10.1.0.10")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.GetChange(ctx, &route53.GetChangeInput{Id: created.ChangeInfo.Id}); err != nil {
		t.Errorf("GetChange of the creation: %v", err)
	}
	recs := allRecords(t, r, zone, 100)
	if !slices.ContainsFunc(recs, func(x r53types.ResourceRecordSet) bool { return *x.Name == "db.internal.example." }) {
		t.Errorf("records = %v, want db.internal.example.", recs)
	}
	byVPC, err := r.ListHostedZonesByVPC(ctx, &route53.ListHostedZonesByVPCInput{VPCId: aws.String(west), VPCRegion: r53types.VPCRegionEuWest1})
	if err != nil || len(byVPC.HostedZoneSummaries) != 1 || *byVPC.HostedZoneSummaries[0].HostedZoneId != model.HostedZoneRef(*zone) {
		t.Errorf("ListHostedZonesByVPC(eu-west-1) = %+v, %v; want the zone", byVPC, err)
	}
	list, err := r.ListHostedZones(ctx, &route53.ListHostedZonesInput{})
	if err != nil || len(list.HostedZones) != 1 {
		t.Errorf("ListHostedZones = %+v, %v; want the zone", list, err)
	}

	// A second VPC of a third region.
	if _, err := r.AssociateVPCWithHostedZone(ctx, &route53.AssociateVPCWithHostedZoneInput{HostedZoneId: zone,
		VPC: &r53types.VPC{VPCId: aws.String(oregon), VPCRegion: r53types.VPCRegionUsWest2}}); err != nil {
		t.Fatalf("associate a us-west-2 VPC: %v", err)
	}
	got, err := r.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: zone})
	if err != nil {
		t.Fatal(err)
	}
	var vpcs []string
	for _, v := range got.VPCs {
		vpcs = append(vpcs, string(v.VPCRegion)+"/"+*v.VPCId)
	}
	slices.Sort(vpcs)
	if want := []string{"eu-west-1/" + west, "us-west-2/" + oregon}; !slices.Equal(vpcs, want) {
		t.Errorf("GetHostedZone's VPCs = %v, want %v", vpcs, want)
	}
	// A record changed after the association reaches both regions.
	if err := changeRecords(r, zone, change(r53types.ChangeActionUpsert, "db.internal.example", r53types.RRTypeA, "10.1.0.11")); err != nil {
		t.Fatal(err)
	}
	for region, vpc := range map[string]string{"eu-west-1": west, "us-west-2": oregon} {
		e, err := em.srv.Engine(region)
		if err != nil {
			t.Fatal(err)
		}
		e.Read(func(st *model.State) {
			z := st.HostedZones[model.HostedZoneRef(*zone)]
			if z == nil || !slices.Equal(z.VPCs, []model.VpcID{model.VpcID(vpc)}) {
				t.Errorf("%s's state: zone %+v, want it with %s", region, z, vpc)
				return
			}
			if i := slices.IndexFunc(z.Records, func(x model.RecordSet) bool { return x.Name == "db.internal.example" }); i < 0 || !slices.Equal(z.Records[i].Values, []string{"10.1.0.11"}) {
				t.Errorf("%s's state: records %+v, want db at 10.1.0.11", region, z.Records)
			}
		})
	}
	byVPC, err = r.ListHostedZonesByVPC(ctx, &route53.ListHostedZonesByVPCInput{VPCId: aws.String(oregon), VPCRegion: r53types.VPCRegionUsWest2})
	if err != nil || len(byVPC.HostedZoneSummaries) != 1 {
		t.Errorf("ListHostedZonesByVPC(us-west-2) = %+v, %v; want the zone", byVPC, err)
	}
	if _, err := r.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("other.example"), CallerReference: aws.String("r53g33-1"),
		VPC: &r53types.VPC{VPCId: aws.String(oregon), VPCRegion: r53types.VPCRegionUsWest2}}); err == nil {
		t.Error("a caller reference used in another region: created, want HostedZoneAlreadyExists")
	} else {
		wantR53Error(t, "a reused caller reference", err, "HostedZoneAlreadyExists", 409, "caller reference")
	}

	// The eu-west-1 VPC goes; the zone stays with the us-west-2 one, which
	// is then its last.
	if _, err := r.DisassociateVPCFromHostedZone(ctx, &route53.DisassociateVPCFromHostedZoneInput{HostedZoneId: zone,
		VPC: &r53types.VPC{VPCId: aws.String(west), VPCRegion: r53types.VPCRegionEuWest1}}); err != nil {
		t.Fatalf("disassociate the eu-west-1 VPC: %v", err)
	}
	_, err = r.DisassociateVPCFromHostedZone(ctx, &route53.DisassociateVPCFromHostedZoneInput{HostedZoneId: zone,
		VPC: &r53types.VPC{VPCId: aws.String(oregon), VPCRegion: r53types.VPCRegionUsWest2}})
	wantR53Error(t, "the last VPC", err, "LastVPCAssociation", 400, "last VPC")
	if err := changeRecords(r, zone, change(r53types.ChangeActionDelete, "db.internal.example", r53types.RRTypeA, "10.1.0.11")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: zone}); err != nil {
		t.Fatalf("DeleteHostedZone: %v", err)
	}
	for _, region := range []string{"eu-west-1", "us-west-2", "us-east-1"} {
		e, _ := em.srv.Engine(region)
		e.Read(func(st *model.State) {
			if len(st.HostedZones) != 0 {
				t.Errorf("%s still holds zones %v", region, st.HostedZones)
			}
		})
	}
	_, err = r.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: zone})
	wantR53Error(t, "the deleted zone", err, "NoSuchHostedZone", 404, "No hosted zone found")
}

// TestTerraformApplyPrivateZoneEuWest1 applies a private hosted zone of
// eu-west-1 VPCs (aws_route53_zone with vpc, aws_route53_zone_association,
// records) with the real provider, which signs Route 53 for us-east-1;
// the second plan must be empty, and destroy must succeed.
func TestTerraformApplyPrivateZoneEuWest1(t *testing.T) {
	terraformApply(t, "testdata/terraform/privatezone", "eu-west-1", "")
}

// TestRoute53ZoneCopiesPersist: a private zone of eu-west-1 and us-west-2
// VPCs, made through a us-east-1-signed client, answers the same client
// after a restart (each region's copy is durable).
func TestRoute53ZoneCopiesPersist(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	b, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	srv, url := startOn(t, b, false)
	vpcIn := func(region, cidr string) string {
		c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(url); o.Region = region })
		out, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)})
		must(t, err)
		return *out.Vpc.VpcId
	}
	west, oregon := vpcIn("eu-west-1", "10.1.0.0/16"), vpcIn("us-west-2", "10.2.0.0/16")
	r := route53Client(url)
	created, err := r.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("p.internal"), CallerReference: aws.String("p"),
		VPC: &r53types.VPC{VPCId: aws.String(west), VPCRegion: r53types.VPCRegionEuWest1}})
	must(t, err)
	_, err = r.AssociateVPCWithHostedZone(ctx, &route53.AssociateVPCWithHostedZoneInput{HostedZoneId: created.HostedZone.Id,
		VPC: &r53types.VPC{VPCId: aws.String(oregon), VPCRegion: r53types.VPCRegionUsWest2}})
	must(t, err)
	must(t, changeRecords(r, created.HostedZone.Id, change(r53types.ChangeActionCreate, "a.p.internal", r53types.RRTypeA, "10.1.0.5")))
	srv.Close()
	must(t, b.Close())

	b2, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	t.Cleanup(func() { b2.Close() })
	_, url = startOn(t, b2, false)
	r = route53Client(url)
	got, err := r.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: created.HostedZone.Id})
	must(t, err)
	if len(got.VPCs) != 2 {
		t.Errorf("VPCs after a restart: %+v, want the eu-west-1 and us-west-2 ones", got.VPCs)
	}
	for _, region := range []r53types.VPCRegion{r53types.VPCRegionEuWest1, r53types.VPCRegionUsWest2} {
		vpc := map[r53types.VPCRegion]string{r53types.VPCRegionEuWest1: west, r53types.VPCRegionUsWest2: oregon}[region]
		byVPC, err := r.ListHostedZonesByVPC(ctx, &route53.ListHostedZonesByVPCInput{VPCId: aws.String(vpc), VPCRegion: region})
		if err != nil || len(byVPC.HostedZoneSummaries) != 1 {
			t.Errorf("ListHostedZonesByVPC(%s) after a restart = %+v, %v", region, byVPC, err)
		}
	}
	if recs := allRecords(t, r, created.HostedZone.Id, 100); !slices.ContainsFunc(recs, func(x r53types.ResourceRecordSet) bool { return *x.Name == "a.p.internal." }) {
		t.Errorf("records after a restart: %v", recs)
	}
}
