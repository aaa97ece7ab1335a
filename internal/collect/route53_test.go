package collect_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/ecsnet/ecsnet/internal/cli"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// ecsnet collect reads Route 53 (REST-XML): the zones, a private zone's
// VPCs and every zone's record sets, in the files the snapshot reader
// takes; the snapshot has the live zones' records and VPCs (the apex SOA
// and NS records aside, which the reader leaves out).
func TestCollectRoute53FromServe(t *testing.T) {
	srv, url := startServe(t)
	ctx := context.Background()
	cfg := sdkConfig(t, url)
	e := ec2.NewFromConfig(cfg)
	r := route53.NewFromConfig(cfg)
	vpc := must[*ec2.CreateVpcOutput](t)(e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.5.0.0/16")}))
	pub := must[*route53.CreateHostedZoneOutput](t)(r.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("collect.example"), CallerReference: aws.String("c1")}))
	priv := must[*route53.CreateHostedZoneOutput](t)(r.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("in.corp"), CallerReference: aws.String("c2"),
		VPC: &r53types.VPC{VPCId: vpc.Vpc.VpcId, VPCRegion: r53types.VPCRegionUsEast1}}))
	var changes []r53types.Change
	for i := range 5 {
		changes = append(changes, r53types.Change{Action: r53types.ChangeActionCreate, ResourceRecordSet: &r53types.ResourceRecordSet{
			Name: aws.String(string(rune('a'+i)) + ".collect.example"), Type: r53types.RRTypeA, TTL: aws.Int64(60),
			ResourceRecords: []r53types.ResourceRecord{{Value: aws.String("192.0.2.1")}}}})
	}
	must[*route53.ChangeResourceRecordSetsOutput](t)(r.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: pub.HostedZone.Id,
		ChangeBatch: &r53types.ChangeBatch{Changes: changes}}))
	must[*route53.ChangeResourceRecordSetsOutput](t)(r.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: priv.HostedZone.Id,
		ChangeBatch: &r53types.ChangeBatch{Changes: []r53types.Change{{Action: r53types.ChangeActionCreate, ResourceRecordSet: &r53types.ResourceRecordSet{
			Name: aws.String("db.in.corp"), Type: r53types.RRTypeCname, TTL: aws.Int64(60), ResourceRecords: []r53types.ResourceRecord{{Value: aws.String("a.collect.example")}}}}}}}))

	testCredentials(t)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := cli.Run(cli.IO{Out: &stdout, Err: &stderr}, []string{"collect", "--region", "us-east-1", "--endpoint-url", url, "--out", out}); code != 0 {
		t.Fatalf("ecsnet collect exited %d\n%s%s", code, stdout.String(), stderr.String())
	}
	pubID, privID := model.HostedZoneRef(aws.ToString(pub.HostedZone.Id)), model.HostedZoneRef(aws.ToString(priv.HostedZone.Id))
	for _, f := range []string{"route53-list-hosted-zones.json", "route53-get-hosted-zone-" + privID + ".json",
		"route53-list-resource-record-sets-" + pubID + ".json", "route53-list-resource-record-sets-" + privID + ".json"} {
		if _, err := os.Stat(filepath.Join(out, "aws_configs", "us-east-1", f)); err != nil {
			t.Errorf("collect wrote no %s: %v", f, err)
		}
	}
	res, err := snapshot.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	snap, _ := res.Engine.Snapshot()
	eng, err := srv.Engine("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	live, _ := eng.Snapshot()
	for _, id := range []string{pubID, privID} {
		lz, sz := live.HostedZones[id], snap.HostedZones[id]
		if sz == nil {
			t.Fatalf("the snapshot lacks zone %s", id)
		}
		var ln, sn []string
		for _, rec := range lz.Records {
			if !(rec.Name == lz.Name && (rec.Type == "NS" || rec.Type == "SOA")) {
				ln = append(ln, rec.Name+" "+rec.Type)
			}
		}
		for _, rec := range sz.Records {
			if !(rec.Name == sz.Name && (rec.Type == "NS" || rec.Type == "SOA")) {
				sn = append(sn, rec.Name+" "+rec.Type)
			}
		}
		slices.Sort(ln)
		slices.Sort(sn)
		if len(ln) == 0 || !slices.Equal(ln, sn) || sz.Private != lz.Private || !slices.Equal(sz.VPCs, lz.VPCs) || sz.Name != lz.Name {
			t.Errorf("zone %s: live %v %v %v, snapshot %v %v %v", id, ln, lz.Private, lz.VPCs, sn, sz.Private, sz.VPCs)
		}
	}
}
