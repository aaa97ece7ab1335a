package server_test

import (
	"net/netip"
	"slices"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Transit gateways through the API (the AWS SDK for Go v2): the gateway
// and its default route table, VPC attachments (one subnet per zone, one
// attachment per VPC), propagated and static routes, SearchTransitGatewayRoutes,
// associations and propagations, VPC routes to the gateway, and Network
// Insights following the path across it.
func TestTransitGatewayAPI(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	type side struct{ vpc, subnet, rtb, instance string }
	mk := func(cidr, sub string) side {
		v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)})
		must(t, err)
		s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String(sub), AvailabilityZone: aws.String("us-east-1a")})
		must(t, err)
		g, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: v.Vpc.VpcId, GroupName: aws.String("app"), Description: aws.String("app")})
		must(t, err)
		_, err = e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: g.GroupId, IpPermissions: []ec2types.IpPermission{{
			IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("10.0.0.0/8")}}}}})
		must(t, err)
		r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
			SubnetId: s.Subnet.SubnetId, SecurityGroupIds: []string{aws.ToString(g.GroupId)}})
		must(t, err)
		rts, err := e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{filter("vpc-id", aws.ToString(v.Vpc.VpcId))}})
		must(t, err)
		return side{aws.ToString(v.Vpc.VpcId), aws.ToString(s.Subnet.SubnetId), aws.ToString(rts.RouteTables[0].RouteTableId), aws.ToString(r.Instances[0].InstanceId)}
	}
	a, b := mk("10.0.0.0/16", "10.0.1.0/24"), mk("10.1.0.0/16", "10.1.1.0/24")

	c, err := e.CreateTransitGateway(ctx, &ec2.CreateTransitGatewayInput{Description: aws.String("hub"),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeTransitGateway, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("hub")}}}}})
	must(t, err)
	tgw := aws.ToString(c.TransitGateway.TransitGatewayId)
	o := c.TransitGateway.Options
	if c.TransitGateway.State != ec2types.TransitGatewayStatePending || aws.ToInt64(o.AmazonSideAsn) != 64512 ||
		o.DefaultRouteTableAssociation != "enable" || o.DefaultRouteTablePropagation != "enable" ||
		aws.ToString(o.AssociationDefaultRouteTableId) == "" || aws.ToString(o.AssociationDefaultRouteTableId) != aws.ToString(o.PropagationDefaultRouteTableId) {
		t.Fatalf("CreateTransitGateway: state %s, options %+v", c.TransitGateway.State, o)
	}
	def := aws.ToString(o.AssociationDefaultRouteTableId)
	d, err := e.DescribeTransitGateways(ctx, &ec2.DescribeTransitGatewaysInput{Filters: []ec2types.Filter{filter("tag:Name", "hub")}})
	must(t, err)
	if len(d.TransitGateways) != 1 || d.TransitGateways[0].State != ec2types.TransitGatewayStateAvailable {
		t.Fatalf("DescribeTransitGateways: %+v", d.TransitGateways)
	}
	tables, err := e.DescribeTransitGatewayRouteTables(ctx, &ec2.DescribeTransitGatewayRouteTablesInput{Filters: []ec2types.Filter{filter("transit-gateway-id", tgw)}})
	must(t, err)
	if len(tables.TransitGatewayRouteTables) != 1 || !aws.ToBool(tables.TransitGatewayRouteTables[0].DefaultAssociationRouteTable) {
		t.Fatalf("route tables: %+v", tables.TransitGatewayRouteTables)
	}
	_, err = e.CreateTransitGateway(ctx, &ec2.CreateTransitGatewayInput{Options: &ec2types.TransitGatewayRequestOptions{AmazonSideAsn: aws.Int64(100)}})
	wantAPIError(t, err, "InvalidParameterValue", "The value 100 for amazonSideAsn is invalid. The ASN must be in the private range of 64512-65534 or 4200000000-4294967294.")

	// A route to the gateway needs the VPC's attachment first.
	_, err = e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &a.rtb, DestinationCidrBlock: aws.String("10.1.0.0/16"), TransitGatewayId: &tgw})
	wantAPIError(t, err, "InvalidTransitGatewayID.NotFound", "The transitGateway ID '"+tgw+"' does not exist")

	attach := func(s side) string {
		r, err := e.CreateTransitGatewayVpcAttachment(ctx, &ec2.CreateTransitGatewayVpcAttachmentInput{TransitGatewayId: &tgw, VpcId: &s.vpc, SubnetIds: []string{s.subnet}})
		must(t, err)
		if r.TransitGatewayVpcAttachment.State != ec2types.TransitGatewayAttachmentStatePending {
			t.Errorf("CreateTransitGatewayVpcAttachment state %s", r.TransitGatewayVpcAttachment.State)
		}
		return aws.ToString(r.TransitGatewayVpcAttachment.TransitGatewayAttachmentId)
	}
	attA, attB := attach(a), attach(b)
	_, err = e.CreateTransitGatewayVpcAttachment(ctx, &ec2.CreateTransitGatewayVpcAttachmentInput{TransitGatewayId: &tgw, VpcId: &a.vpc, SubnetIds: []string{a.subnet}})
	wantAPIError(t, err, "DuplicateTransitGatewayAttachment", tgw+" has non-deleted Transit Gateway Attachments with same VPC ID.")
	s2, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &b.vpc, CidrBlock: aws.String("10.1.2.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	_, err = e.ModifyTransitGatewayVpcAttachment(ctx, &ec2.ModifyTransitGatewayVpcAttachmentInput{TransitGatewayAttachmentId: &attB, AddSubnetIds: []string{aws.ToString(s2.Subnet.SubnetId)}})
	wantAPIError(t, err, "DuplicateSubnetsInSameZone", "Duplicate Subnets for same AZ")

	all, err := e.DescribeTransitGatewayAttachments(ctx, &ec2.DescribeTransitGatewayAttachmentsInput{Filters: []ec2types.Filter{filter("association.transit-gateway-route-table-id", def)}})
	must(t, err)
	if len(all.TransitGatewayAttachments) != 2 || all.TransitGatewayAttachments[0].ResourceType != ec2types.TransitGatewayAttachmentResourceTypeVpc {
		t.Fatalf("attachments associated with the default table: %+v", all.TransitGatewayAttachments)
	}
	routes, err := e.SearchTransitGatewayRoutes(ctx, &ec2.SearchTransitGatewayRoutesInput{TransitGatewayRouteTableId: &def, Filters: []ec2types.Filter{filter("type", "propagated")}})
	must(t, err)
	var got []string
	for _, r := range routes.Routes {
		got = append(got, aws.ToString(r.DestinationCidrBlock)+" "+aws.ToString(r.TransitGatewayAttachments[0].ResourceId))
	}
	if !slices.Equal(got, []string{"10.0.0.0/16 " + a.vpc, "10.1.0.0/16 " + b.vpc}) {
		t.Fatalf("propagated routes %v", got)
	}

	for _, s := range []side{a, b} {
		_, err = e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &s.rtb, DestinationCidrBlock: aws.String("10.0.0.0/8"), TransitGatewayId: &tgw})
		must(t, err)
	}
	rts, err := e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{filter("route.transit-gateway-id", tgw)}})
	must(t, err)
	if len(rts.RouteTables) != 2 {
		t.Fatalf("%d route tables route to %s", len(rts.RouteTables), tgw)
	}
	waitState(t, e, a.instance, ec2types.InstanceStateNameRunning)
	waitState(t, e, b.instance, ec2types.InstanceStateNameRunning)
	an := analyzePort(t, e, a.instance, b.instance, 22)
	if !aws.ToBool(an.NetworkPathFound) {
		t.Fatalf("no path across the transit gateway; explanations %v", codes(an))
	}
	crossed := false
	for _, pc := range an.ForwardPathComponents {
		if pc.Component != nil && aws.ToString(pc.Component.Id) == def {
			r := pc.TransitGatewayRouteTableRoute
			crossed = r != nil && aws.ToString(r.DestinationCidr) == "10.1.0.0/16" && aws.ToString(r.RouteOrigin) == "propagated" && aws.ToString(r.AttachmentId) == attB
		}
	}
	if !crossed {
		t.Error("the forward path does not name the transit gateway route table and its propagated route to b's attachment")
	}

	// A blackhole for b's subnet, then no association: each is explained.
	_, err = e.CreateTransitGatewayRoute(ctx, &ec2.CreateTransitGatewayRouteInput{TransitGatewayRouteTableId: &def, DestinationCidrBlock: aws.String("10.1.1.0/24"), Blackhole: aws.Bool(true)})
	must(t, err)
	if an := analyzePort(t, e, a.instance, b.instance, 22); aws.ToBool(an.NetworkPathFound) || !slices.Contains(codes(an), "TGW_RTB_BAD_STATE_ROUTE") {
		t.Errorf("with a blackhole: found %v, explanations %v", aws.ToBool(an.NetworkPathFound), codes(an))
	}
	del, err := e.DeleteTransitGatewayRoute(ctx, &ec2.DeleteTransitGatewayRouteInput{TransitGatewayRouteTableId: &def, DestinationCidrBlock: aws.String("10.1.1.0/24")})
	must(t, err)
	if del.Route.State != ec2types.TransitGatewayRouteStateDeleted {
		t.Errorf("DeleteTransitGatewayRoute state %s", del.Route.State)
	}
	_, err = e.DisassociateTransitGatewayRouteTable(ctx, &ec2.DisassociateTransitGatewayRouteTableInput{TransitGatewayRouteTableId: &def, TransitGatewayAttachmentId: &attA})
	must(t, err)
	if an := analyzePort(t, e, a.instance, b.instance, 22); aws.ToBool(an.NetworkPathFound) || !slices.Contains(codes(an), "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION") {
		t.Errorf("without an association: found %v, explanations %v", aws.ToBool(an.NetworkPathFound), codes(an))
	}
	// A table of its own for a: associated, b propagating to it.
	own, err := e.CreateTransitGatewayRouteTable(ctx, &ec2.CreateTransitGatewayRouteTableInput{TransitGatewayId: &tgw})
	must(t, err)
	ownID := aws.ToString(own.TransitGatewayRouteTable.TransitGatewayRouteTableId)
	_, err = e.AssociateTransitGatewayRouteTable(ctx, &ec2.AssociateTransitGatewayRouteTableInput{TransitGatewayRouteTableId: &ownID, TransitGatewayAttachmentId: &attA})
	must(t, err)
	_, err = e.AssociateTransitGatewayRouteTable(ctx, &ec2.AssociateTransitGatewayRouteTableInput{TransitGatewayRouteTableId: &def, TransitGatewayAttachmentId: &attA})
	wantAPIError(t, err, "Resource.AlreadyAssociated", "Transit Gateway Attachment "+attA+" is already associated to a route table.")
	_, err = e.EnableTransitGatewayRouteTablePropagation(ctx, &ec2.EnableTransitGatewayRouteTablePropagationInput{TransitGatewayRouteTableId: &ownID, TransitGatewayAttachmentId: &attB})
	must(t, err)
	props, err := e.GetTransitGatewayRouteTablePropagations(ctx, &ec2.GetTransitGatewayRouteTablePropagationsInput{TransitGatewayRouteTableId: &ownID})
	must(t, err)
	if len(props.TransitGatewayRouteTablePropagations) != 1 || aws.ToString(props.TransitGatewayRouteTablePropagations[0].ResourceId) != b.vpc {
		t.Errorf("propagations %+v", props.TransitGatewayRouteTablePropagations)
	}
	assocs, err := e.GetTransitGatewayRouteTableAssociations(ctx, &ec2.GetTransitGatewayRouteTableAssociationsInput{TransitGatewayRouteTableId: &ownID})
	must(t, err)
	if len(assocs.Associations) != 1 || aws.ToString(assocs.Associations[0].TransitGatewayAttachmentId) != attA {
		t.Errorf("associations %+v", assocs.Associations)
	}
	if an := analyzePort(t, e, a.instance, b.instance, 22); !aws.ToBool(an.NetworkPathFound) {
		t.Errorf("no path with a's own table; explanations %v", codes(an))
	}

	// Teardown in AWS's order: attachments, then the gateway.
	_, err = e.DeleteTransitGateway(ctx, &ec2.DeleteTransitGatewayInput{TransitGatewayId: &tgw})
	first := min(attA, attB)
	wantAPIError(t, err, "IncorrectState", tgw+" has non-deleted Transit Gateway Attachments: "+first+".")
	for _, id := range []string{attA, attB} {
		_, err = e.DeleteTransitGatewayVpcAttachment(ctx, &ec2.DeleteTransitGatewayVpcAttachmentInput{TransitGatewayAttachmentId: aws.String(id)})
		must(t, err)
	}
	gone, err := e.DescribeTransitGatewayVpcAttachments(ctx, &ec2.DescribeTransitGatewayVpcAttachmentsInput{TransitGatewayAttachmentIds: []string{attA}})
	must(t, err)
	if len(gone.TransitGatewayVpcAttachments) != 1 || gone.TransitGatewayVpcAttachments[0].State != ec2types.TransitGatewayAttachmentStateDeleted {
		t.Errorf("a deleted attachment: %+v", gone.TransitGatewayVpcAttachments)
	}
	_, err = e.DeleteTransitGatewayVpcAttachment(ctx, &ec2.DeleteTransitGatewayVpcAttachmentInput{TransitGatewayAttachmentId: &attA})
	wantAPIError(t, err, "InvalidTransitGatewayAttachmentID.NotFound", "Transit Gateway Attachment "+attA+" was deleted or does not exist.")
	rts, err = e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{a.rtb}})
	must(t, err)
	for _, r := range rts.RouteTables[0].Routes {
		if aws.ToString(r.TransitGatewayId) == tgw && r.State != ec2types.RouteStateBlackhole {
			t.Errorf("the route to a gateway the VPC is no longer attached to is %s", r.State)
		}
	}
	dgw, err := e.DeleteTransitGateway(ctx, &ec2.DeleteTransitGatewayInput{TransitGatewayId: &tgw})
	must(t, err)
	if dgw.TransitGateway.State != ec2types.TransitGatewayStateDeleting {
		t.Errorf("DeleteTransitGateway answers %s", dgw.TransitGateway.State)
	}
	// AWS describes a deleted gateway, in state deleted, for a while.
	dg, err := e.DescribeTransitGateways(ctx, &ec2.DescribeTransitGatewaysInput{TransitGatewayIds: []string{tgw}})
	must(t, err)
	if len(dg.TransitGateways) != 1 || dg.TransitGateways[0].State != ec2types.TransitGatewayStateDeleted {
		t.Errorf("a deleted gateway: %+v", dg.TransitGateways)
	}
}

// Transit gateway peering attachments within one region and account:
// requested (initiatingRequest, then pendingAcceptance), accepted,
// listed as peering attachments, deleted (then shown as deleted); a peer
// gateway that does not exist makes the request failed.
func TestTransitGatewayPeeringAPI(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	gw := func() string {
		g, err := e.CreateTransitGateway(ctx, &ec2.CreateTransitGatewayInput{})
		must(t, err)
		return aws.ToString(g.TransitGateway.TransitGatewayId)
	}
	g1, g2 := gw(), gw()
	acct := aws.String("123456789012")
	c, err := e.CreateTransitGatewayPeeringAttachment(ctx, &ec2.CreateTransitGatewayPeeringAttachmentInput{TransitGatewayId: &g1, PeerTransitGatewayId: &g2,
		PeerAccountId: acct, PeerRegion: aws.String("us-east-1")})
	must(t, err)
	id := aws.ToString(c.TransitGatewayPeeringAttachment.TransitGatewayAttachmentId)
	if c.TransitGatewayPeeringAttachment.State != ec2types.TransitGatewayAttachmentStateInitiatingRequest ||
		aws.ToString(c.TransitGatewayPeeringAttachment.AccepterTgwInfo.TransitGatewayId) != g2 {
		t.Fatalf("CreateTransitGatewayPeeringAttachment: %+v", c.TransitGatewayPeeringAttachment)
	}
	d, err := e.DescribeTransitGatewayPeeringAttachments(ctx, &ec2.DescribeTransitGatewayPeeringAttachmentsInput{Filters: []ec2types.Filter{filter("state", "pendingAcceptance")}})
	must(t, err)
	if len(d.TransitGatewayPeeringAttachments) != 1 {
		t.Fatalf("pending: %+v", d.TransitGatewayPeeringAttachments)
	}
	_, err = e.AcceptTransitGatewayPeeringAttachment(ctx, &ec2.AcceptTransitGatewayPeeringAttachmentInput{TransitGatewayAttachmentId: &id})
	must(t, err)
	all, err := e.DescribeTransitGatewayAttachments(ctx, &ec2.DescribeTransitGatewayAttachmentsInput{Filters: []ec2types.Filter{filter("resource-type", "peering")}})
	must(t, err)
	if len(all.TransitGatewayAttachments) != 1 || all.TransitGatewayAttachments[0].State != ec2types.TransitGatewayAttachmentStateAvailable ||
		aws.ToString(all.TransitGatewayAttachments[0].ResourceId) != g2 {
		t.Fatalf("peering attachments: %+v", all.TransitGatewayAttachments)
	}
	_, err = e.DeleteTransitGatewayPeeringAttachment(ctx, &ec2.DeleteTransitGatewayPeeringAttachmentInput{TransitGatewayAttachmentId: &id})
	must(t, err)
	d, err = e.DescribeTransitGatewayPeeringAttachments(ctx, &ec2.DescribeTransitGatewayPeeringAttachmentsInput{TransitGatewayAttachmentIds: []string{id}})
	must(t, err)
	if len(d.TransitGatewayPeeringAttachments) != 1 || d.TransitGatewayPeeringAttachments[0].State != ec2types.TransitGatewayAttachmentStateDeleted {
		t.Errorf("deleted: %+v", d.TransitGatewayPeeringAttachments)
	}
	f, err := e.CreateTransitGatewayPeeringAttachment(ctx, &ec2.CreateTransitGatewayPeeringAttachmentInput{TransitGatewayId: &g1, PeerTransitGatewayId: aws.String("tgw-0123456789abcdef0"),
		PeerAccountId: acct, PeerRegion: aws.String("us-east-1")})
	must(t, err)
	d, err = e.DescribeTransitGatewayPeeringAttachments(ctx, &ec2.DescribeTransitGatewayPeeringAttachmentsInput{TransitGatewayAttachmentIds: []string{aws.ToString(f.TransitGatewayPeeringAttachment.TransitGatewayAttachmentId)}})
	must(t, err)
	if d.TransitGatewayPeeringAttachments[0].State != ec2types.TransitGatewayAttachmentStateFailed {
		t.Errorf("a request to a gateway that does not exist: %s", d.TransitGatewayPeeringAttachments[0].State)
	}
}

// SearchTransitGatewayRoutes pages with NextToken (the SDK's paginator,
// botocore's input and output token): every static route once, in
// destination order, AdditionalRoutesAvailable on every page but the last.
func TestSearchTransitGatewayRoutesPages(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	c, err := e.CreateTransitGateway(ctx, &ec2.CreateTransitGatewayInput{})
	must(t, err)
	table := c.TransitGateway.Options.AssociationDefaultRouteTableId
	var want []string
	for i := range 12 {
		cidr := "10." + strconv.Itoa(i*10) + ".0.0/16"
		_, err := e.CreateTransitGatewayRoute(ctx, &ec2.CreateTransitGatewayRouteInput{TransitGatewayRouteTableId: table, DestinationCidrBlock: aws.String(cidr), Blackhole: aws.Bool(true)})
		must(t, err)
		want = append(want, cidr)
	}
	slices.SortFunc(want, func(a, b string) int { return netip.MustParsePrefix(a).Addr().Compare(netip.MustParsePrefix(b).Addr()) })
	var got []string
	pages := 0
	p := ec2.NewSearchTransitGatewayRoutesPaginator(e, &ec2.SearchTransitGatewayRoutesInput{TransitGatewayRouteTableId: table,
		Filters: []ec2types.Filter{filter("type", "static")}, MaxResults: aws.Int32(5)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		must(t, err)
		pages++
		if more := aws.ToBool(out.AdditionalRoutesAvailable); more != (out.NextToken != nil) {
			t.Errorf("page %d: AdditionalRoutesAvailable %v with NextToken %v", pages, more, out.NextToken)
		}
		for _, r := range out.Routes {
			got = append(got, aws.ToString(r.DestinationCidrBlock))
		}
	}
	if pages != 3 || !slices.Equal(got, want) {
		t.Fatalf("%d pages: %v, want 3 pages of %v", pages, got, want)
	}
	_, err = e.SearchTransitGatewayRoutes(ctx, &ec2.SearchTransitGatewayRoutesInput{TransitGatewayRouteTableId: table,
		Filters: []ec2types.Filter{filter("type", "static")}, NextToken: aws.String("not-a-token!")})
	wantAPIError(t, err, "InvalidParameterValue", "Invalid value 'not-a-token!' for parameter nextToken.")
}
