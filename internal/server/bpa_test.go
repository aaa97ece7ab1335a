package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/store/bolt"
)

// VPC Block Public Access through the Go SDK: the account's options (off
// and default-state until changed; update-in-progress, then
// update-complete), exclusions (create-in-progress → create-complete,
// update-in-progress → update-complete, delete-in-progress →
// delete-complete and still described), their errors, and the mode
// DescribeVpcs and DescribeSubnets report.
func TestVpcBlockPublicAccessAPI(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	o, err := e.DescribeVpcBlockPublicAccessOptions(ctx, &ec2.DescribeVpcBlockPublicAccessOptionsInput{})
	must(t, err)
	if x := o.VpcBlockPublicAccessOptions; x.InternetGatewayBlockMode != ec2types.InternetGatewayBlockModeOff || x.State != ec2types.VpcBlockPublicAccessStateDefaultState ||
		aws.ToString(x.AwsRegion) != "us-east-1" || aws.ToString(x.AwsAccountId) == "" || x.ExclusionsAllowed != ec2types.VpcBlockPublicAccessExclusionsAllowedAllowed {
		t.Fatalf("default options %+v", x)
	}
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	vpc := aws.ToString(v.Vpc.VpcId)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.0.1.0/24")})
	must(t, err)
	subnet := aws.ToString(s.Subnet.SubnetId)

	m, err := e.ModifyVpcBlockPublicAccessOptions(ctx, &ec2.ModifyVpcBlockPublicAccessOptionsInput{InternetGatewayBlockMode: ec2types.InternetGatewayBlockModeBlockBidirectional})
	must(t, err)
	if x := m.VpcBlockPublicAccessOptions; x.State != ec2types.VpcBlockPublicAccessStateUpdateInProgress || x.InternetGatewayBlockMode != ec2types.InternetGatewayBlockModeBlockBidirectional || x.LastUpdateTimestamp == nil {
		t.Fatalf("modify answered %+v", x)
	}
	eventually(t, "the options update completes", func() bool {
		o, err := e.DescribeVpcBlockPublicAccessOptions(ctx, &ec2.DescribeVpcBlockPublicAccessOptionsInput{})
		return err == nil && o.VpcBlockPublicAccessOptions.State == ec2types.VpcBlockPublicAccessStateUpdateComplete
	})
	_, err = e.ModifyVpcBlockPublicAccessOptions(ctx, &ec2.ModifyVpcBlockPublicAccessOptionsInput{InternetGatewayBlockMode: "block-everything"})
	wantCode(t, err, "InvalidParameterValue")

	mode := func(what string) (string, string) {
		t.Helper()
		d, err := e.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{vpc}})
		must(t, err)
		ds, err := e.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{subnet}})
		must(t, err)
		return string(d.Vpcs[0].BlockPublicAccessStates.InternetGatewayBlockMode), string(ds.Subnets[0].BlockPublicAccessStates.InternetGatewayBlockMode)
	}
	if vm, sm := mode("no exclusion"); vm != "block-bidirectional" || sm != "block-bidirectional" {
		t.Errorf("no exclusion: VPC %s, subnet %s", vm, sm)
	}

	// Exactly one of VpcId and SubnetId; an unknown VPC or subnet.
	_, err = e.CreateVpcBlockPublicAccessExclusion(ctx, &ec2.CreateVpcBlockPublicAccessExclusionInput{InternetGatewayExclusionMode: ec2types.InternetGatewayExclusionModeAllowEgress})
	wantCode(t, err, "InvalidParameterCombination")
	_, err = e.CreateVpcBlockPublicAccessExclusion(ctx, &ec2.CreateVpcBlockPublicAccessExclusionInput{VpcId: &vpc, SubnetId: &subnet, InternetGatewayExclusionMode: ec2types.InternetGatewayExclusionModeAllowEgress})
	wantCode(t, err, "InvalidParameterCombination")
	_, err = e.CreateVpcBlockPublicAccessExclusion(ctx, &ec2.CreateVpcBlockPublicAccessExclusionInput{SubnetId: aws.String("subnet-0123456789abcdef0"), InternetGatewayExclusionMode: ec2types.InternetGatewayExclusionModeAllowEgress})
	wantCode(t, err, "InvalidSubnetID.NotFound")

	c, err := e.CreateVpcBlockPublicAccessExclusion(ctx, &ec2.CreateVpcBlockPublicAccessExclusionInput{SubnetId: &subnet,
		InternetGatewayExclusionMode: ec2types.InternetGatewayExclusionModeAllowEgress,
		TagSpecifications:            []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpcBlockPublicAccessExclusion, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("app")}}}}})
	must(t, err)
	x := c.VpcBlockPublicAccessExclusion
	id := aws.ToString(x.ExclusionId)
	if !strings.HasPrefix(id, "vpcbpa-exclude-") || x.State != ec2types.VpcBlockPublicAccessExclusionStateCreateInProgress ||
		!strings.HasSuffix(aws.ToString(x.ResourceArn), ":subnet/"+subnet) || len(x.Tags) != 1 || x.CreationTimestamp == nil {
		t.Fatalf("create answered %+v", x)
	}
	_, err = e.CreateVpcBlockPublicAccessExclusion(ctx, &ec2.CreateVpcBlockPublicAccessExclusionInput{SubnetId: &subnet, InternetGatewayExclusionMode: ec2types.InternetGatewayExclusionModeAllowBidirectional})
	wantCode(t, err, "InvalidParameterValue")
	state := func() ec2types.VpcBlockPublicAccessExclusion {
		t.Helper()
		d, err := e.DescribeVpcBlockPublicAccessExclusions(ctx, &ec2.DescribeVpcBlockPublicAccessExclusionsInput{ExclusionIds: []string{id}})
		must(t, err)
		if len(d.VpcBlockPublicAccessExclusions) != 1 {
			t.Fatalf("%d exclusions", len(d.VpcBlockPublicAccessExclusions))
		}
		return d.VpcBlockPublicAccessExclusions[0]
	}
	eventually(t, "the exclusion is created", func() bool { return state().State == ec2types.VpcBlockPublicAccessExclusionStateCreateComplete })
	// allow-egress under block-bidirectional: the subnet reads
	// block-ingress, its VPC block-bidirectional.
	if vm, sm := mode("allow-egress"); vm != "block-bidirectional" || sm != "block-ingress" {
		t.Errorf("allow-egress: VPC %s, subnet %s", vm, sm)
	}
	f, err := e.DescribeVpcBlockPublicAccessExclusions(ctx, &ec2.DescribeVpcBlockPublicAccessExclusionsInput{Filters: []ec2types.Filter{
		filter("internet-gateway-exclusion-mode", "allow-egress"), filter("resource-arn", aws.ToString(x.ResourceArn)), filter("tag:Name", "app")}})
	must(t, err)
	if len(f.VpcBlockPublicAccessExclusions) != 1 {
		t.Errorf("filters matched %d exclusions", len(f.VpcBlockPublicAccessExclusions))
	}

	mo, err := e.ModifyVpcBlockPublicAccessExclusion(ctx, &ec2.ModifyVpcBlockPublicAccessExclusionInput{ExclusionId: &id, InternetGatewayExclusionMode: ec2types.InternetGatewayExclusionModeAllowBidirectional})
	must(t, err)
	if mo.VpcBlockPublicAccessExclusion.State != ec2types.VpcBlockPublicAccessExclusionStateUpdateInProgress {
		t.Errorf("modify answered %s", mo.VpcBlockPublicAccessExclusion.State)
	}
	eventually(t, "the exclusion is updated", func() bool { return state().State == ec2types.VpcBlockPublicAccessExclusionStateUpdateComplete })
	if _, sm := mode("allow-bidirectional"); sm != "off" {
		t.Errorf("allow-bidirectional: subnet %s", sm)
	}

	del, err := e.DeleteVpcBlockPublicAccessExclusion(ctx, &ec2.DeleteVpcBlockPublicAccessExclusionInput{ExclusionId: &id})
	must(t, err)
	if del.VpcBlockPublicAccessExclusion.State != ec2types.VpcBlockPublicAccessExclusionStateDeleteInProgress {
		t.Errorf("delete answered %s", del.VpcBlockPublicAccessExclusion.State)
	}
	eventually(t, "the exclusion is deleted", func() bool { return state().State == ec2types.VpcBlockPublicAccessExclusionStateDeleteComplete })
	if state().DeletionTimestamp == nil {
		t.Errorf("a deleted exclusion has no DeletionTimestamp")
	}
	// terraform-provider-aws treats this answer as already deleted.
	_, err = e.DeleteVpcBlockPublicAccessExclusion(ctx, &ec2.DeleteVpcBlockPublicAccessExclusionInput{ExclusionId: &id})
	wantCode(t, err, "InvalidParameterValue")
	if err == nil || !strings.Contains(err.Error(), "is in delete-complete state and cannot be deleted") {
		t.Errorf("second delete: %v", err)
	}
	if vm, sm := mode("deleted"); vm != "block-bidirectional" || sm != "block-bidirectional" {
		t.Errorf("after delete: VPC %s, subnet %s", vm, sm)
	}
	for _, call := range []func() error{
		func() error {
			_, err := e.DescribeVpcBlockPublicAccessExclusions(ctx, &ec2.DescribeVpcBlockPublicAccessExclusionsInput{ExclusionIds: []string{"vpcbpa-exclude-0123456789abcdef0"}})
			return err
		},
		func() error {
			_, err := e.ModifyVpcBlockPublicAccessExclusion(ctx, &ec2.ModifyVpcBlockPublicAccessExclusionInput{ExclusionId: aws.String("vpcbpa-exclude-0123456789abcdef0"), InternetGatewayExclusionMode: ec2types.InternetGatewayExclusionModeAllowEgress})
			return err
		},
		func() error {
			_, err := e.DeleteVpcBlockPublicAccessExclusion(ctx, &ec2.DeleteVpcBlockPublicAccessExclusionInput{ExclusionId: aws.String("vpcbpa-exclude-0123456789abcdef0")})
			return err
		},
	} {
		wantCode(t, call(), "InvalidVpcBlockPublicAccessExclusionId.NotFound")
	}
}

// A Network Insights analysis from the internet gateway to an instance's
// ENI (sshd on 22, its group open) is found; after the account turns
// Block Public Access on it is not, with VPC_BLOCK_PUBLIC_ACCESS naming
// the mode; an allow-bidirectional exclusion for the instance's subnet
// makes it found again.
func TestVpcBlockPublicAccessInsights(t *testing.T) {
	em := newEmulator(t, nil)
	path := filepath.Join(t.TempDir(), "bpa.yaml")
	must(t, os.WriteFile(path, []byte(`
name: bpa
vpcs:
  main: {cidr: 10.0.0.0/16, internet_gateway: igw}
subnets:
  public-a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, route_table: public}
route_tables:
  public: {vpc: main, routes: [{destination: 0.0.0.0/0, target: igw}]}
security_groups:
  ssh: {vpc: main, ingress: [{protocol: tcp, ports: 22, cidr: 0.0.0.0/0}]}
instances:
  pub: {subnet: public-a, instance_type: t3.micro, security_groups: [ssh], public_ip: true}
`), 0o644))
	sc, err := scenario.Load(path)
	must(t, err)
	must(t, em.srv.LoadScenario(sc))
	e := sdkClients(em.URL).ec2
	igws, err := e.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{Filters: []ec2types.Filter{filter("tag:Name", "igw")}})
	must(t, err)
	igw := aws.ToString(igws.InternetGateways[0].InternetGatewayId)
	in, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{filter("tag:Name", "pub")}})
	must(t, err)
	inst := in.Reservations[0].Instances[0]
	eni, subnet := aws.ToString(inst.NetworkInterfaces[0].NetworkInterfaceId), aws.ToString(inst.SubnetId)

	if an := analyzePort(t, e, igw, eni, 22); !aws.ToBool(an.NetworkPathFound) {
		t.Fatalf("before BPA: not found, %s", codes(an))
	}
	_, err = e.ModifyVpcBlockPublicAccessOptions(ctx, &ec2.ModifyVpcBlockPublicAccessOptionsInput{InternetGatewayBlockMode: ec2types.InternetGatewayBlockModeBlockIngress})
	must(t, err)
	eventually(t, "the options update completes", func() bool {
		o, err := e.DescribeVpcBlockPublicAccessOptions(ctx, &ec2.DescribeVpcBlockPublicAccessOptionsInput{})
		return err == nil && o.VpcBlockPublicAccessOptions.State == ec2types.VpcBlockPublicAccessStateUpdateComplete
	})
	an := analyzePort(t, e, igw, eni, 22)
	x := explanation(an, "VPC_BLOCK_PUBLIC_ACCESS")
	if aws.ToBool(an.NetworkPathFound) || x == nil {
		t.Fatalf("block-ingress: found %v, %s", aws.ToBool(an.NetworkPathFound), codes(an))
	}
	if x.Component == nil || aws.ToString(x.Component.Id) != subnet {
		t.Errorf("the explanation's component %+v, want the subnet %s", x.Component, subnet)
	}
	c, err := e.CreateVpcBlockPublicAccessExclusion(ctx, &ec2.CreateVpcBlockPublicAccessExclusionInput{SubnetId: &subnet, InternetGatewayExclusionMode: ec2types.InternetGatewayExclusionModeAllowBidirectional})
	must(t, err)
	eventually(t, "the exclusion is created", func() bool {
		d, err := e.DescribeVpcBlockPublicAccessExclusions(ctx, &ec2.DescribeVpcBlockPublicAccessExclusionsInput{ExclusionIds: []string{aws.ToString(c.VpcBlockPublicAccessExclusion.ExclusionId)}})
		return err == nil && d.VpcBlockPublicAccessExclusions[0].State == ec2types.VpcBlockPublicAccessExclusionStateCreateComplete
	})
	if an := analyzePort(t, e, igw, eni, 22); !aws.ToBool(an.NetworkPathFound) {
		t.Errorf("excluded: not found, %s", codes(an))
	}
}

// The mode and the exclusions persist across a restart on the bolt store.
func TestVpcBlockPublicAccessPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	b, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	srv, url := startOn(t, b, false)
	e := sdkClients(url).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	_, err = e.ModifyVpcBlockPublicAccessOptions(ctx, &ec2.ModifyVpcBlockPublicAccessOptionsInput{InternetGatewayBlockMode: ec2types.InternetGatewayBlockModeBlockIngress})
	must(t, err)
	c, err := e.CreateVpcBlockPublicAccessExclusion(ctx, &ec2.CreateVpcBlockPublicAccessExclusionInput{VpcId: v.Vpc.VpcId, InternetGatewayExclusionMode: ec2types.InternetGatewayExclusionModeAllowBidirectional})
	must(t, err)
	srv.Close()
	must(t, b.Close())

	b2, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	t.Cleanup(func() { b2.Close() })
	_, url = startOn(t, b2, false)
	e = sdkClients(url).ec2
	o, err := e.DescribeVpcBlockPublicAccessOptions(ctx, &ec2.DescribeVpcBlockPublicAccessOptionsInput{})
	must(t, err)
	if o.VpcBlockPublicAccessOptions.InternetGatewayBlockMode != ec2types.InternetGatewayBlockModeBlockIngress {
		t.Errorf("mode after restart %+v", o.VpcBlockPublicAccessOptions)
	}
	d, err := e.DescribeVpcBlockPublicAccessExclusions(ctx, &ec2.DescribeVpcBlockPublicAccessExclusionsInput{ExclusionIds: []string{aws.ToString(c.VpcBlockPublicAccessExclusion.ExclusionId)}})
	must(t, err)
	if len(d.VpcBlockPublicAccessExclusions) != 1 || d.VpcBlockPublicAccessExclusions[0].InternetGatewayExclusionMode != ec2types.InternetGatewayExclusionModeAllowBidirectional {
		t.Errorf("exclusions after restart %+v", d.VpcBlockPublicAccessExclusions)
	}
}
