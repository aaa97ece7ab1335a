package server_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestRegionalNatGateway: a regional NAT gateway (AvailabilityMode
// regional) is created with VpcId and no SubnetId; in manual mode it
// serves the zones of AvailabilityZoneAddresses with their Elastic IPs,
// in automatic mode every zone of the VPC's subnets, expanding to a zone
// whose first subnet is created later. Routes from a subnet in any zone
// point at it; its Elastic IPs cannot be released while it holds them;
// AssociateNatGatewayAddress with an AvailabilityZone adds a zone;
// deleting it frees them.
func TestRegionalNatGateway(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.40.0.0/16")})
	must(t, err)
	vpc := v.Vpc.VpcId
	igw, err := e.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	must(t, err)
	_, err = e.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw.InternetGateway.InternetGatewayId, VpcId: vpc})
	must(t, err)
	sa, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.40.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	sb, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.40.2.0/24"), AvailabilityZone: aws.String("us-east-1b")})
	must(t, err)
	eipA, err := e.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc})
	must(t, err)
	eipB, err := e.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc})
	must(t, err)

	// The refusals.
	_, err = e.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{AvailabilityMode: ec2types.AvailabilityModeRegional})
	wantAPIError(t, err, "MissingParameter", "The request must include the VpcId parameter. Add the required parameter and retry the request.")
	_, err = e.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{AvailabilityMode: ec2types.AvailabilityModeRegional, VpcId: vpc, SubnetId: sa.Subnet.SubnetId})
	wantAPIError(t, err, "InvalidParameterCombination", "SubnetId cannot be specified for a regional NAT gateway; specify VpcId.")
	_, err = e.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{AvailabilityMode: ec2types.AvailabilityModeRegional, VpcId: vpc, ConnectivityType: ec2types.ConnectivityTypePrivate})
	wantAPIError(t, err, "InvalidParameterCombination", "A regional NAT gateway supports public connectivity only.")
	_, err = e.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: sa.Subnet.SubnetId, AllocationId: eipA.AllocationId,
		AvailabilityZoneAddresses: []ec2types.AvailabilityZoneAddress{{AvailabilityZone: aws.String("us-east-1a"), AllocationIds: []string{aws.ToString(eipA.AllocationId)}}}})
	wantAPIError(t, err, "InvalidParameterCombination", "AvailabilityZoneAddresses can be specified only for a regional NAT gateway (AvailabilityMode regional).")

	// Manual mode: zone a only.
	out, err := e.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{AvailabilityMode: ec2types.AvailabilityModeRegional, VpcId: vpc,
		AvailabilityZoneAddresses: []ec2types.AvailabilityZoneAddress{{AvailabilityZone: aws.String("us-east-1a"), AllocationIds: []string{aws.ToString(eipA.AllocationId)}}}})
	must(t, err)
	ng := out.NatGateway
	id := aws.ToString(ng.NatGatewayId)
	if ng.AvailabilityMode != ec2types.AvailabilityModeRegional || ng.SubnetId != nil || aws.ToString(ng.VpcId) != aws.ToString(vpc) || ng.AutoProvisionZones != ec2types.AutoProvisionZonesStateDisabled {
		t.Errorf("regional NAT gateway: mode %s subnet %v vpc %v auto %s", ng.AvailabilityMode, aws.ToString(ng.SubnetId), aws.ToString(ng.VpcId), ng.AutoProvisionZones)
	}
	if len(ng.NatGatewayAddresses) != 1 || aws.ToString(ng.NatGatewayAddresses[0].AvailabilityZone) != "us-east-1a" || aws.ToString(ng.NatGatewayAddresses[0].AvailabilityZoneId) != "use1-az1" ||
		aws.ToString(ng.NatGatewayAddresses[0].PublicIp) != aws.ToString(eipA.PublicIp) || ng.NatGatewayAddresses[0].NetworkInterfaceId != nil {
		t.Errorf("manual mode addresses: %+v", ng.NatGatewayAddresses)
	}
	must(t, ec2.NewNatGatewayAvailableWaiter(e, func(o *ec2.NatGatewayAvailableWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}}, waitFor))
	_, err = e.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: eipA.AllocationId})
	wantAPIError(t, err, "InvalidIPAddress.InUse", "Address "+aws.ToString(eipA.PublicIp)+" is in use.")

	// A route from a subnet of either zone points at it.
	for _, s := range []*ec2.CreateSubnetOutput{sa, sb} {
		rt, err := e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpc})
		must(t, err)
		_, err = e.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: rt.RouteTable.RouteTableId, SubnetId: s.Subnet.SubnetId})
		must(t, err)
		_, err = e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rt.RouteTable.RouteTableId, DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: aws.String(id)})
		must(t, err)
	}

	// Zone b gets its address.
	as, err := e.AssociateNatGatewayAddress(ctx, &ec2.AssociateNatGatewayAddressInput{NatGatewayId: aws.String(id), AvailabilityZone: aws.String("us-east-1b"), AllocationIds: []string{aws.ToString(eipB.AllocationId)}})
	must(t, err)
	if len(as.NatGatewayAddresses) != 2 || aws.ToString(as.NatGatewayAddresses[1].AvailabilityZone) != "us-east-1b" || aws.ToString(as.NatGatewayAddresses[1].PublicIp) != aws.ToString(eipB.PublicIp) {
		t.Fatalf("after AssociateNatGatewayAddress: %+v", as.NatGatewayAddresses)
	}
	_, err = e.AssociateNatGatewayAddress(ctx, &ec2.AssociateNatGatewayAddressInput{NatGatewayId: aws.String(id), AllocationIds: []string{aws.ToString(eipB.AllocationId)}})
	wantAPIError(t, err, "MissingParameter", "The request must include the AvailabilityZone or AvailabilityZoneId parameter for a regional NAT gateway. Add the required parameter and retry the request.")
	dis, err := e.DisassociateNatGatewayAddress(ctx, &ec2.DisassociateNatGatewayAddressInput{NatGatewayId: aws.String(id), AssociationIds: []string{aws.ToString(as.NatGatewayAddresses[1].AssociationId)}})
	must(t, err)
	if len(dis.NatGatewayAddresses) != 1 {
		t.Errorf("after DisassociateNatGatewayAddress: %+v", dis.NatGatewayAddresses)
	}

	// Automatic mode: both zones, then a third when its subnet comes.
	auto, err := e.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{AvailabilityMode: ec2types.AvailabilityModeRegional, VpcId: vpc, AllocationId: eipB.AllocationId})
	must(t, err)
	autoID := aws.ToString(auto.NatGateway.NatGatewayId)
	if a := auto.NatGateway.NatGatewayAddresses; auto.NatGateway.AutoProvisionZones != ec2types.AutoProvisionZonesStateEnabled || len(a) != 2 ||
		aws.ToString(a[0].AllocationId) != aws.ToString(eipB.AllocationId) || aws.ToString(a[1].AvailabilityZone) != "us-east-1b" || a[1].AllocationId != nil || a[1].PublicIp == nil {
		t.Errorf("automatic mode: %s %+v", auto.NatGateway.AutoProvisionZones, a)
	}
	_, err = e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.40.3.0/24"), AvailabilityZone: aws.String("us-east-1c")})
	must(t, err)
	d, err := e.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{autoID, id}})
	must(t, err)
	for _, g := range d.NatGateways {
		want := 1
		if aws.ToString(g.NatGatewayId) == autoID {
			want = 3
		}
		if len(g.NatGatewayAddresses) != want {
			t.Errorf("%s after a subnet in us-east-1c: %d addresses, want %d: %+v", aws.ToString(g.NatGatewayId), len(g.NatGatewayAddresses), want, g.NatGatewayAddresses)
		}
	}

	// Its last subnet in us-east-1c gone, the automatic gateway retracts.
	sc, err := e.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("availability-zone"), Values: []string{"us-east-1c"}}}})
	must(t, err)
	_, err = e.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: sc.Subnets[0].SubnetId})
	must(t, err)
	d, err = e.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{autoID}})
	must(t, err)
	if a := d.NatGateways[0].NatGatewayAddresses; len(a) != 2 {
		t.Errorf("after the zone's last subnet went: %+v", a)
	}

	// Flow logs of a regional NAT gateway: resource type RegionalNatGateway.
	fl, err := e.CreateFlowLogs(ctx, &ec2.CreateFlowLogsInput{ResourceType: ec2types.FlowLogsResourceType("RegionalNatGateway"), ResourceIds: []string{id, "nat-0000000000000dead"},
		TrafficType: ec2types.TrafficTypeAll, LogGroupName: aws.String("nat-flows"), DeliverLogsPermissionArn: aws.String("arn:aws:iam::123456789012:role/flow-logs")})
	must(t, err)
	if len(fl.FlowLogIds) != 1 || len(fl.Unsuccessful) != 1 || aws.ToString(fl.Unsuccessful[0].Error.Code) != "NatGatewayNotFound" {
		t.Errorf("CreateFlowLogs of regional NAT gateways: %+v %+v", fl.FlowLogIds, fl.Unsuccessful)
	}

	// Deleted, it gives its Elastic IP back.
	_, err = e.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(id)})
	must(t, err)
	_, err = e.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: eipA.AllocationId})
	must(t, err)
}

// TestRegionalNatGatewayAWSCLI: the aws CLI's create-nat-gateway
// --availability-mode regional --availability-zone-addresses (its
// shorthand for the list of structures) and describe-nat-gateways.
func TestRegionalNatGatewayAWSCLI(t *testing.T) {
	requireTool(t, "aws", "--version")
	t.Parallel()
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.41.0.0/16")})
	must(t, err)
	vpc := aws.ToString(v.Vpc.VpcId)
	igw, err := e.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	must(t, err)
	_, err = e.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw.InternetGateway.InternetGatewayId, VpcId: aws.String(vpc)})
	must(t, err)
	eip, err := e.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc})
	must(t, err)
	env := append(os.Environ(), "AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	cli := func(args ...string) (string, error) {
		cctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(cctx, "aws", append([]string{"--endpoint-url", em.URL, "ec2"}, args...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return strings.TrimSpace(string(out)), err
	}
	id, err := cli("create-nat-gateway", "--availability-mode", "regional", "--vpc-id", vpc,
		"--availability-zone-addresses", "AvailabilityZone=us-east-1b,AllocationIds="+aws.ToString(eip.AllocationId),
		"--query", "NatGateway.NatGatewayId", "--output", "text")
	if err != nil {
		t.Fatalf("create-nat-gateway: %v: %s", err, id)
	}
	out, err := cli("describe-nat-gateways", "--nat-gateway-ids", id, "--query",
		"NatGateways[0].[AvailabilityMode,AutoProvisionZones,NatGatewayAddresses[0].AvailabilityZone,NatGatewayAddresses[0].PublicIp]", "--output", "text")
	if err != nil || out != "regional\tdisabled\tus-east-1b\t"+aws.ToString(eip.PublicIp) {
		t.Errorf("describe-nat-gateways: %v: %q", err, out)
	}
	out, err = cli("create-nat-gateway", "--availability-mode", "regional")
	if err == nil || !strings.Contains(out, "MissingParameter") {
		t.Errorf("create-nat-gateway without --vpc-id: %v: %s", err, out)
	}
}
