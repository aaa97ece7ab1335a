package server_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/server"
	"github.com/ecsnet/ecsnet/internal/store"
	"github.com/ecsnet/ecsnet/internal/store/mem"
)

// newAccount starts a server whose regions start as a new AWS account's
// do: with the default VPC.
func newAccount(tb testing.TB, st store.Store) *emulator {
	tb.Helper()
	srv, err := server.New(server.Options{
		Registry: services.Registry(), Analyzer: services.Analyzer(), EngineOptions: services.EngineOptions(),
		Store: st, StepInterval: 10 * time.Millisecond, Models: testModels, DefaultVPC: true,
	})
	if err != nil {
		tb.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	go srv.StepLoop()
	tb.Cleanup(func() {
		hs.Close()
		if err := srv.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return &emulator{srv: srv, URL: hs.URL}
}

func filter(name string, values ...string) ec2types.Filter {
	return ec2types.Filter{Name: aws.String(name), Values: values}
}

func defaultVpcOf(t *testing.T, e *ec2.Client) ec2types.Vpc {
	t.Helper()
	v, err := e.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{filter("is-default", "true")}})
	must(t, err)
	if len(v.Vpcs) != 1 {
		t.Fatalf("%d default VPCs, want 1", len(v.Vpcs))
	}
	return v.Vpcs[0]
}

func accountAttr(t *testing.T, e *ec2.Client, name string) string {
	t.Helper()
	out, err := e.DescribeAccountAttributes(ctx, &ec2.DescribeAccountAttributesInput{AttributeNames: []ec2types.AccountAttributeName{ec2types.AccountAttributeName(name)}})
	must(t, err)
	if len(out.AccountAttributes) != 1 || len(out.AccountAttributes[0].AttributeValues) != 1 {
		t.Fatalf("DescribeAccountAttributes %s: %+v", name, out.AccountAttributes)
	}
	return aws.ToString(out.AccountAttributes[0].AttributeValues[0].AttributeValue)
}

// The default VPC as default-vpc.html describes it, in every region.
func TestDefaultVpc(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	v := defaultVpcOf(t, e)
	id := aws.ToString(v.VpcId)
	if aws.ToString(v.CidrBlock) != "172.31.0.0/16" || !aws.ToBool(v.IsDefault) {
		t.Errorf("default VPC %s %s", id, aws.ToString(v.CidrBlock))
	}
	h, err := e.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: &id, Attribute: ec2types.VpcAttributeNameEnableDnsHostnames})
	must(t, err)
	if !aws.ToBool(h.EnableDnsHostnames.Value) {
		t.Error("the default VPC has DNS hostnames off")
	}
	subs, err := e.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{filter("vpc-id", id)}})
	must(t, err)
	zones, err := e.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	must(t, err)
	if len(subs.Subnets) != len(zones.AvailabilityZones) || len(zones.AvailabilityZones) != 6 {
		t.Fatalf("%d default subnets for %d zones", len(subs.Subnets), len(zones.AvailabilityZones))
	}
	slices.SortFunc(subs.Subnets, func(a, b ec2types.Subnet) int {
		return compareStr(aws.ToString(a.AvailabilityZone), aws.ToString(b.AvailabilityZone))
	})
	want := []string{"172.31.0.0/20", "172.31.16.0/20", "172.31.32.0/20", "172.31.48.0/20", "172.31.64.0/20", "172.31.80.0/20"}
	for i, s := range subs.Subnets {
		if aws.ToString(s.CidrBlock) != want[i] || aws.ToString(s.AvailabilityZone) != aws.ToString(zones.AvailabilityZones[i].ZoneName) ||
			!aws.ToBool(s.DefaultForAz) || !aws.ToBool(s.MapPublicIpOnLaunch) || aws.ToInt32(s.AvailableIpAddressCount) != 4091 {
			t.Errorf("default subnet %d: %s %s default=%v public=%v free=%d", i, aws.ToString(s.CidrBlock), aws.ToString(s.AvailabilityZone),
				aws.ToBool(s.DefaultForAz), aws.ToBool(s.MapPublicIpOnLaunch), aws.ToInt32(s.AvailableIpAddressCount))
		}
	}
	igws, err := e.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{Filters: []ec2types.Filter{filter("attachment.vpc-id", id)}})
	must(t, err)
	if len(igws.InternetGateways) != 1 {
		t.Fatalf("%d internet gateways attached to the default VPC", len(igws.InternetGateways))
	}
	rts, err := e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{filter("vpc-id", id), filter("association.main", "true")}})
	must(t, err)
	if len(rts.RouteTables) != 1 {
		t.Fatalf("%d main route tables", len(rts.RouteTables))
	}
	toIGW := false
	for _, r := range rts.RouteTables[0].Routes {
		toIGW = toIGW || (aws.ToString(r.DestinationCidrBlock) == "0.0.0.0/0" && aws.ToString(r.GatewayId) == aws.ToString(igws.InternetGateways[0].InternetGatewayId))
	}
	if !toIGW {
		t.Errorf("main route table routes: %+v", rts.RouteTables[0].Routes)
	}
	sgs, err := e.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{filter("vpc-id", id), filter("group-name", "default")}})
	must(t, err)
	acls, err := e.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []ec2types.Filter{filter("vpc-id", id), filter("default", "true")}})
	must(t, err)
	if len(sgs.SecurityGroups) != 1 || len(acls.NetworkAcls) != 1 || len(acls.NetworkAcls[0].Associations) != 6 {
		t.Errorf("default VPC: %d default security groups, %d default network ACLs", len(sgs.SecurityGroups), len(acls.NetworkAcls))
	}
	if got := accountAttr(t, e, "default-vpc"); got != id {
		t.Errorf("default-vpc = %s, want %s", got, id)
	}
	if got := accountAttr(t, e, "supported-platforms"); got != "VPC" {
		t.Errorf("supported-platforms = %s", got)
	}
	_, err = e.CreateDefaultVpc(ctx, &ec2.CreateDefaultVpcInput{})
	wantAPIError(t, err, "DefaultVpcAlreadyExists", "A Default VPC already exists for this account in this region.")

	// Another region has its own.
	west := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL); o.Region = "eu-west-1" })
	wv := defaultVpcOf(t, west)
	if aws.ToString(wv.VpcId) == id || aws.ToString(wv.CidrBlock) != "172.31.0.0/16" {
		t.Errorf("eu-west-1's default VPC: %s %s", aws.ToString(wv.VpcId), aws.ToString(wv.CidrBlock))
	}
	ws, err := west.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{filter("default-for-az", "true")}})
	must(t, err)
	wz, err := west.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	must(t, err)
	if len(ws.Subnets) != len(wz.AvailabilityZones) {
		t.Errorf("eu-west-1: %d default subnets, %d zones", len(ws.Subnets), len(wz.AvailabilityZones))
	}
}

// ap-northeast-1 offers new accounts zones a, c and d (not b); a default
// subnet in each, and CreateSubnet in ap-northeast-1d works.
func TestZonesOfTokyo(t *testing.T) {
	em := newAccount(t, nil)
	tokyo := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL); o.Region = "ap-northeast-1" })
	z, err := tokyo.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	must(t, err)
	var names []string
	for _, x := range z.AvailabilityZones {
		names = append(names, aws.ToString(x.ZoneName)+"/"+aws.ToString(x.ZoneId))
	}
	if got := strings.Join(names, " "); got != "ap-northeast-1a/apne1-az1 ap-northeast-1c/apne1-az2 ap-northeast-1d/apne1-az4" {
		t.Errorf("ap-northeast-1 zones: %s", got)
	}
	v := defaultVpcOf(t, tokyo)
	s, err := tokyo.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.VpcId, CidrBlock: aws.String("172.31.128.0/20"), AvailabilityZone: aws.String("ap-northeast-1d")})
	must(t, err)
	if aws.ToString(s.Subnet.AvailabilityZoneId) != "apne1-az4" {
		t.Errorf("subnet in ap-northeast-1d: zone id %s", aws.ToString(s.Subnet.AvailabilityZoneId))
	}
	_, err = tokyo.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.VpcId, CidrBlock: aws.String("172.31.144.0/20"), AvailabilityZone: aws.String("ap-northeast-1b")})
	if err == nil || !strings.Contains(err.Error(), "ap-northeast-1a, ap-northeast-1c, ap-northeast-1d") {
		t.Errorf("subnet in ap-northeast-1b: %v", err)
	}
}

func compareStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// What uses the default VPC when a request names no VPC or subnet.
func TestDefaultVpcUsedByLaunches(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	id := aws.ToString(defaultVpcOf(t, e).VpcId)
	g, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web")})
	must(t, err)
	if aws.ToString(g.GroupId) == "" {
		t.Fatal("no group id")
	}
	d, err := e.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{aws.ToString(g.GroupId)}})
	must(t, err)
	if aws.ToString(d.SecurityGroups[0].VpcId) != id {
		t.Errorf("group without VpcId went to %s, want the default VPC %s", aws.ToString(d.SecurityGroups[0].VpcId), id)
	}
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		InstanceType: ec2types.InstanceTypeT3Micro})
	must(t, err)
	i := r.Instances[0]
	if aws.ToString(i.VpcId) != id || aws.ToString(i.PublicIpAddress) == "" || aws.ToString(i.Placement.AvailabilityZone) != "us-east-1a" {
		t.Errorf("instance without a subnet: vpc %s, public IP %q, zone %s", aws.ToString(i.VpcId), aws.ToString(i.PublicIpAddress), aws.ToString(i.Placement.AvailabilityZone))
	}
	if len(i.SecurityGroups) != 1 || aws.ToString(i.SecurityGroups[0].GroupName) != "default" {
		t.Errorf("instance groups: %+v", i.SecurityGroups)
	}
	r, err = e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		Placement: &ec2types.Placement{AvailabilityZone: aws.String("us-east-1c")}, SecurityGroups: []string{"web"}})
	must(t, err)
	s, err := e.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{aws.ToString(r.Instances[0].SubnetId)}})
	must(t, err)
	if aws.ToString(s.Subnets[0].AvailabilityZone) != "us-east-1c" || aws.ToString(s.Subnets[0].CidrBlock) != "172.31.32.0/20" {
		t.Errorf("placement us-east-1c launched into %s (%s)", aws.ToString(s.Subnets[0].AvailabilityZone), aws.ToString(s.Subnets[0].CidrBlock))
	}

	// A default subnet deleted and made again.
	sub := aws.ToString(s.Subnets[0].SubnetId)
	_, err = e.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{aws.ToString(r.Instances[0].InstanceId)}})
	must(t, err)
	eventually(t, "the instance terminates", func() bool {
		_, err := e.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: &sub})
		return err == nil
	})
	_, err = e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		Placement: &ec2types.Placement{AvailabilityZone: aws.String("us-east-1c")}})
	wantAPIError(t, err, "MissingInput", "No subnets found for the default VPC '"+id+"'. Please specify a subnet.")
	ds, err := e.CreateDefaultSubnet(ctx, &ec2.CreateDefaultSubnetInput{AvailabilityZone: aws.String("us-east-1c")})
	must(t, err)
	if aws.ToString(ds.Subnet.CidrBlock) != "172.31.32.0/20" || !aws.ToBool(ds.Subnet.DefaultForAz) || !aws.ToBool(ds.Subnet.MapPublicIpOnLaunch) ||
		ds.Subnet.State != ec2types.SubnetStateAvailable {
		t.Errorf("CreateDefaultSubnet: %s default=%v state %s", aws.ToString(ds.Subnet.CidrBlock), aws.ToBool(ds.Subnet.DefaultForAz), ds.Subnet.State)
	}
	_, err = e.CreateDefaultSubnet(ctx, &ec2.CreateDefaultSubnetInput{AvailabilityZone: aws.String("us-east-1c")})
	wantAPIError(t, err, "DefaultSubnetAlreadyExistsInAvailabilityZone",
		"'"+aws.ToString(ds.Subnet.SubnetId)+"' is already the default subnet in us-east-1c.")
}

// A reset (POST /moto-api/reset) gives a new account: a new default VPC
// and nothing else.
func TestDefaultVpcAfterReset(t *testing.T) {
	em := newAccount(t, mem.New())
	e := sdkClients(em.URL).ec2
	before := aws.ToString(defaultVpcOf(t, e).VpcId)
	_, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	resp, err := http.Post(em.URL+server.ResetPath, "application/json", nil)
	must(t, err)
	resp.Body.Close()
	v, err := e.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	must(t, err)
	if len(v.Vpcs) != 1 || !aws.ToBool(v.Vpcs[0].IsDefault) || aws.ToString(v.Vpcs[0].VpcId) == before {
		t.Errorf("after reset: %d VPCs, first %s (was %s)", len(v.Vpcs), aws.ToString(v.Vpcs[0].VpcId), before)
	}
}

// A blank account (ecsnet serve --no-default-vpc) answers what AWS answers
// an account whose default VPC was deleted.
func TestNoDefaultVpc(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	if got := accountAttr(t, e, "default-vpc"); got != "none" {
		t.Errorf("default-vpc = %s, want none", got)
	}
	_, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web")})
	wantAPIError(t, err, "VPCIdNotSpecified", "No default VPC for this user")
	_, err = e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
	wantAPIError(t, err, "VPCIdNotSpecified", "No default VPC for this user")
	_, err = e.CreateDefaultSubnet(ctx, &ec2.CreateDefaultSubnetInput{AvailabilityZone: aws.String("us-east-1a")})
	wantAPIError(t, err, "DefaultVpcDoesNotExist", "No default VPC exists for this account in this region.")
	c, err := e.CreateDefaultVpc(ctx, &ec2.CreateDefaultVpcInput{})
	must(t, err)
	if got := accountAttr(t, e, "default-vpc"); got != aws.ToString(c.Vpc.VpcId) {
		t.Errorf("default-vpc = %s after CreateDefaultVpc %s", got, aws.ToString(c.Vpc.VpcId))
	}
}

// ecsnet serve starts regions with the default VPC; --no-default-vpc
// starts blank accounts.
func TestServeDefaultVpcFlag(t *testing.T) {
	p := startServe(t, "--ephemeral")
	if got := accountAttr(t, sdkClients(p.URL).ec2, "default-vpc"); got == "none" {
		t.Error("ecsnet serve started without a default VPC")
	}
	q := startServe(t, "--ephemeral", "--no-default-vpc")
	if got := accountAttr(t, sdkClients(q.URL).ec2, "default-vpc"); got != "none" {
		t.Errorf("ecsnet serve --no-default-vpc: default-vpc = %s", got)
	}
}
