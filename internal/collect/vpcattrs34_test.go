package collect_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsnet/ecsnet/internal/cli"
	"github.com/ecsnet/ecsnet/internal/collect"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// privateDNSEndpoint is a template that adds a subnet and an interface
// endpoint with private DNS to a VPC of the base: AWS accepts it only in a
// VPC whose enableDnsSupport and enableDnsHostnames are both on.
const privateDNSEndpoint = `Parameters:
  VpcId: {Type: AWS::EC2::VPC::Id}
  Cidr: {Type: String}
Resources:
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VpcId, CidrBlock: !Ref Cidr, AvailabilityZone: us-east-1a}
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref VpcId
      ServiceName: com.amazonaws.us-east-1.ecr.api
      VpcEndpointType: Interface
      PrivateDnsEnabled: true
      SubnetIds: [!Ref Subnet]
`

// A VPC's DNS attributes, which describe-vpcs does not answer, are
// collected by both collectors (describe-vpc-attribute per VPC and
// attribute) and read back: a nondefault VPC with DNS hostnames turned
// on, one with DNS resolution turned off, and one left as created. So
// `ecsnet check TEMPLATE --base SNAPSHOT` accepts an interface endpoint
// with private DNS in the first, as AWS and the emulator do, and refuses
// it in the others with AWS's error. Before round thirty-four the
// snapshot took every nondefault VPC without public DNS names to have DNS
// hostnames off, and check refused the endpoint in the first VPC too.
func TestCollectVPCAttributesFromServe(t *testing.T) {
	srv, url := startServe(t)
	testCredentials(t)
	ctx := context.Background()
	c := ec2.NewFromConfig(sdkConfig(t, url))
	vpc := func(cidr string) string {
		out, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.Vpc.VpcId)
	}
	hostnames, noSupport, plain := vpc("10.20.0.0/16"), vpc("10.21.0.0/16"), vpc("10.22.0.0/16")
	if _, err := c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: aws.String(hostnames), EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: aws.String(noSupport), EnableDnsSupport: &ec2types.AttributeBooleanValue{Value: aws.Bool(false)}}); err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, live, snap *model.State) {
		t.Helper()
		if len(live.VPCs) < 3 {
			t.Fatalf("live: %d VPCs", len(live.VPCs))
		}
		for id, v := range live.VPCs {
			s := snap.VPCs[id]
			if s == nil {
				t.Errorf("the snapshot lacks %s", id)
				continue
			}
			if s.EnableDNSSupport != v.EnableDNSSupport || s.EnableDNSHostnames != v.EnableDNSHostnames {
				t.Errorf("%s: snapshot support %v hostnames %v, live %v %v", id, s.EnableDNSSupport, s.EnableDNSHostnames, v.EnableDNSSupport, v.EnableDNSHostnames)
			}
		}
		if v := live.VPCs[model.VpcID(hostnames)]; !v.EnableDNSHostnames || !v.EnableDNSSupport {
			t.Errorf("live %s: %+v", hostnames, v)
		}
		if v := live.VPCs[model.VpcID(noSupport)]; v.EnableDNSSupport {
			t.Errorf("live %s: %+v", noSupport, v)
		}
	}
	tmpl := filepath.Join(t.TempDir(), "endpoint.yaml")
	if err := os.WriteFile(tmpl, []byte(privateDNSEndpoint), 0o644); err != nil {
		t.Fatal(err)
	}
	deploy := func(t *testing.T, dir string) {
		t.Helper()
		for i, x := range []struct {
			vpc    string
			refuse bool
		}{{hostnames, false}, {noSupport, true}, {plain, true}} {
			var stdout, stderr bytes.Buffer
			code := cli.Run(cli.IO{Out: &stdout, Err: &stderr}, []string{"check", "--base", dir, "--param", "VpcId=" + x.vpc,
				"--param", "Cidr=10.2" + string(rune('0'+i)) + ".1.0/24", tmpl})
			out := stdout.String() + stderr.String()
			refused := strings.Contains(out, "Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for "+x.vpc)
			if refused != x.refuse {
				t.Errorf("check --base in %s: exit %d, refused %v, want %v\n%s", x.vpc, code, refused, x.refuse, out)
			}
		}
	}

	out := t.TempDir()
	if _, err := collect.Run(ctx, collect.Options{Regions: []string{"us-east-1"}, EndpointURL: url, Out: out}); err != nil {
		t.Fatal(err)
	}
	e, err := srv.Engine("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	live, _ := e.Snapshot()
	res, err := snapshot.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	snap, _ := res.Engine.Snapshot()
	check(t, live, snap)
	deploy(t, out)
	t.Run("scripts/collect.sh", func(t *testing.T) {
		dir, b, err := runCollectScript(t, url)
		if err != nil {
			t.Fatalf("collect.sh: %v\n%s", err, b)
		}
		for _, attr := range []string{"enableDnsSupport", "enableDnsHostnames"} {
			if _, err := os.Stat(filepath.Join(dir, "aws_configs", "us-east-1", snapshot.VPCAttributeFileName(hostnames, attr))); err != nil {
				t.Error(err)
			}
		}
		res, err := snapshot.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range res.Warnings {
			t.Errorf("warning: %s", w)
		}
		got, _ := res.Engine.Snapshot()
		check(t, live, got)
		deploy(t, dir)
	})
}
