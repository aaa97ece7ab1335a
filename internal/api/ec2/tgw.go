package ec2

import (
	"fmt"
	"net/netip"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerTGW(r *api.Registry) {
	add(r, "CreateTransitGateway", createTransitGateway)
	add(r, "ModifyTransitGateway", modifyTransitGateway)
	add(r, "DeleteTransitGateway", deleteTransitGateway)
	add(r, "DescribeTransitGateways", describeTransitGateways)
	add(r, "CreateTransitGatewayVpcAttachment", createTGWVpcAttachment)
	add(r, "ModifyTransitGatewayVpcAttachment", modifyTGWVpcAttachment)
	add(r, "DeleteTransitGatewayVpcAttachment", deleteTGWVpcAttachment)
	add(r, "AcceptTransitGatewayVpcAttachment", func(c *api.Call) (map[string]any, error) { return acceptTGWVpcAttachment(c, true) })
	add(r, "RejectTransitGatewayVpcAttachment", func(c *api.Call) (map[string]any, error) { return acceptTGWVpcAttachment(c, false) })
	add(r, "DescribeTransitGatewayVpcAttachments", describeTGWVpcAttachments)
	add(r, "DescribeTransitGatewayAttachments", describeTGWAttachments)
	add(r, "CreateTransitGatewayRouteTable", createTGWRouteTable)
	add(r, "DeleteTransitGatewayRouteTable", deleteTGWRouteTable)
	add(r, "DescribeTransitGatewayRouteTables", describeTGWRouteTables)
	add(r, "AssociateTransitGatewayRouteTable", associateTGWRouteTable)
	add(r, "DisassociateTransitGatewayRouteTable", disassociateTGWRouteTable)
	add(r, "EnableTransitGatewayRouteTablePropagation", func(c *api.Call) (map[string]any, error) { return tgwPropagation(c, true) })
	add(r, "DisableTransitGatewayRouteTablePropagation", func(c *api.Call) (map[string]any, error) { return tgwPropagation(c, false) })
	add(r, "CreateTransitGatewayRoute", createTGWRoute)
	add(r, "ReplaceTransitGatewayRoute", replaceTGWRoute)
	add(r, "DeleteTransitGatewayRoute", deleteTGWRoute)
	add(r, "SearchTransitGatewayRoutes", searchTGWRoutes)
	add(r, "GetTransitGatewayRouteTableAssociations", getTGWRouteTableAssociations)
	add(r, "GetTransitGatewayRouteTablePropagations", getTGWRouteTablePropagations)
	add(r, "GetTransitGatewayAttachmentPropagations", getTGWAttachmentPropagations)
	registerTGWPeering(r)
}

func tgwOut(c *api.Call, g *model.TransitGateway) map[string]any {
	opts := map[string]any{
		"AmazonSideAsn":                g.AmazonSideAsn,
		"AutoAcceptSharedAttachments":  g.AutoAcceptSharedAttachments,
		"DefaultRouteTableAssociation": g.DefaultRouteTableAssociation,
		"DefaultRouteTablePropagation": g.DefaultRouteTablePropagation,
		"VpnEcmpSupport":               g.VpnEcmpSupport, "DnsSupport": g.DNSSupport,
		"SecurityGroupReferencingSupport": g.SecurityGroupReferencing, "MulticastSupport": g.MulticastSupport,
		"AssociationDefaultRouteTableId": api.Str(g.AssociationDefaultRouteTable),
		"PropagationDefaultRouteTableId": api.Str(g.PropagationDefaultRouteTable),
	}
	// AWS leaves transitGatewayCidrBlocks out of a gateway without blocks
	// (LocalStack's recording of DescribeTransitGateways, docs/aws-behavior.md).
	if len(g.CIDRBlocks) > 0 {
		cidrs := make([]any, len(g.CIDRBlocks))
		for i, b := range g.CIDRBlocks {
			cidrs[i] = b
		}
		opts["TransitGatewayCidrBlocks"] = cidrs
	}
	return map[string]any{
		"TransitGatewayId": g.ID, "TransitGatewayArn": model.EC2ARN(c.Region, c.Account, "transit-gateway/"+string(g.ID)),
		"State": g.State, "OwnerId": c.Account, "Description": g.Description, "CreationTime": api.Time(g.CreatedAt),
		"Options": opts, "Tags": api.EC2Tags(g.Tags),
	}
}

func tgwOptionsIn(p awsproto.Params) engine.TGWOptions {
	return engine.TGWOptions{
		AmazonSideAsn:                p.Int("AmazonSideAsn"),
		AutoAcceptSharedAttachments:  p.String("AutoAcceptSharedAttachments"),
		DefaultRouteTableAssociation: p.String("DefaultRouteTableAssociation"),
		DefaultRouteTablePropagation: p.String("DefaultRouteTablePropagation"),
		VpnEcmpSupport:               p.String("VpnEcmpSupport"),
		DNSSupport:                   p.String("DnsSupport"),
		SecurityGroupReferencing:     p.String("SecurityGroupReferencingSupport"),
		MulticastSupport:             p.String("MulticastSupport"),
		AssociationDefaultRouteTable: model.TransitGatewayRouteTableID(p.String("AssociationDefaultRouteTableId")),
		PropagationDefaultRouteTable: model.TransitGatewayRouteTableID(p.String("PropagationDefaultRouteTableId")),
		AddCIDRBlocks:                append(p.Strings("TransitGatewayCidrBlocks"), p.Strings("AddTransitGatewayCidrBlocks")...),
		RemoveCIDRBlocks:             p.Strings("RemoveTransitGatewayCidrBlocks"),
	}
}

func createTransitGateway(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "transit-gateway")
	if err != nil {
		return nil, err
	}
	g, err := c.Engine.CreateTransitGateway(engine.CreateTransitGatewayInput{Description: c.In.String("Description"), Options: tgwOptionsIn(c.In.Struct("Options")), Tags: tags})
	if err != nil {
		return nil, err
	}
	out := tgwOut(c, g)
	// AWS answers while it builds the gateway (tgw-transit-gateways.md:
	// "The state of the transit gateway is pending").
	out["State"] = "pending"
	return map[string]any{"TransitGateway": out}, nil
}

func modifyTransitGateway(c *api.Call) (map[string]any, error) {
	var desc *string
	if c.In.Has("Description") {
		d := c.In.String("Description")
		desc = &d
	}
	g, err := c.Engine.ModifyTransitGateway(model.TransitGatewayID(c.In.String("TransitGatewayId")), desc, tgwOptionsIn(c.In.Struct("Options")))
	if err != nil {
		return nil, err
	}
	return map[string]any{"TransitGateway": tgwOut(c, g)}, nil
}

func deleteTransitGateway(c *api.Call) (map[string]any, error) {
	g, err := c.Engine.DeleteTransitGateway(model.TransitGatewayID(c.In.String("TransitGatewayId")))
	if err != nil {
		return nil, err
	}
	return map[string]any{"TransitGateway": tgwOut(c, g)}, nil
}

func describeTransitGateways(c *api.Call) (map[string]any, error) {
	type G = *model.TransitGateway
	fs := api.FilterSet[G]{
		Tags: func(x G) model.Tags { return x.Tags },
		Attrs: map[string]func(G) []string{
			"transit-gateway-id":      func(x G) []string { return api.One(x.ID) },
			"state":                   func(x G) []string { return []string{x.State} },
			"owner-id":                func(G) []string { return []string{c.Account} },
			"options.amazon-side-asn": func(x G) []string { return []string{strconv.FormatInt(x.AmazonSideAsn, 10)} },
			"options.association-default-route-table-id": func(x G) []string { return api.One(x.AssociationDefaultRouteTable) },
			"options.propagation-default-route-table-id": func(x G) []string { return api.One(x.PropagationDefaultRouteTable) },
			"options.auto-accept-shared-attachments":     func(x G) []string { return []string{x.AutoAcceptSharedAttachments} },
			"options.default-route-table-association":    func(x G) []string { return []string{x.DefaultRouteTableAssociation} },
			"options.default-route-table-propagation":    func(x G) []string { return []string{x.DefaultRouteTablePropagation} },
			"options.dns-support":                        func(x G) []string { return []string{x.DNSSupport} },
			"options.vpn-ecmp-support":                   func(x G) []string { return []string{x.VpnEcmpSupport} },
		},
	}
	var items []G
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.TransitGateways, c.In.Strings("TransitGatewayIds"), notFound("InvalidTransitGatewayID.NotFound", "transitGateway"))
	})
	if err != nil {
		return nil, err
	}
	key := func(x G) string { return string(x.ID) }
	return describePage(c, items, fs, key, "TransitGateways", func(x G) any { return tgwOut(c, x) })
}

func tgwVpcAttachmentOut(c *api.Call, a *model.TransitGatewayAttachment) map[string]any {
	subs := make([]any, len(a.SubnetIDs))
	for i, s := range a.SubnetIDs {
		subs[i] = s
	}
	return map[string]any{
		"TransitGatewayAttachmentId": a.ID, "TransitGatewayId": a.TransitGatewayID, "VpcId": a.VpcID, "VpcOwnerId": c.Account,
		"State": a.State, "SubnetIds": subs, "CreationTime": api.Time(a.CreatedAt),
		"Options": map[string]any{"DnsSupport": a.DNSSupport, "Ipv6Support": a.IPv6Support, "ApplianceModeSupport": a.ApplianceModeSupport,
			"SecurityGroupReferencingSupport": a.SecurityGroupReferencing},
		"Tags": api.EC2Tags(a.Tags),
	}
}

func subnetIDs(ss []string) []model.SubnetID {
	out := make([]model.SubnetID, len(ss))
	for i, s := range ss {
		out[i] = model.SubnetID(s)
	}
	return out
}

func createTGWVpcAttachment(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "transit-gateway-attachment")
	if err != nil {
		return nil, err
	}
	o := c.In.Struct("Options")
	a, err := c.Engine.CreateTransitGatewayVpcAttachment(engine.CreateTGWVpcAttachmentInput{
		TransitGatewayID: model.TransitGatewayID(c.In.String("TransitGatewayId")), VpcID: model.VpcID(c.In.String("VpcId")),
		SubnetIDs: subnetIDs(c.In.Strings("SubnetIds")), DNSSupport: o.String("DnsSupport"), IPv6Support: o.String("Ipv6Support"),
		ApplianceModeSupport: o.String("ApplianceModeSupport"), SecurityGroupReferencing: o.String("SecurityGroupReferencingSupport"), Tags: tags})
	if err != nil {
		return nil, err
	}
	out := tgwVpcAttachmentOut(c, a)
	// The attachment is pending while AWS places its network interfaces
	// (tgw-vpc-attachments.md, "Transit gateway attachment lifecycle").
	out["State"] = "pending"
	return map[string]any{"TransitGatewayVpcAttachment": out}, nil
}

func modifyTGWVpcAttachment(c *api.Call) (map[string]any, error) {
	o := c.In.Struct("Options")
	a, err := c.Engine.ModifyTransitGatewayVpcAttachment(engine.ModifyTGWVpcAttachmentInput{
		ID:           model.TransitGatewayAttachmentID(c.In.String("TransitGatewayAttachmentId")),
		AddSubnetIDs: subnetIDs(c.In.Strings("AddSubnetIds")), RemoveSubnetIDs: subnetIDs(c.In.Strings("RemoveSubnetIds")),
		DNSSupport: o.String("DnsSupport"), IPv6Support: o.String("Ipv6Support"), ApplianceModeSupport: o.String("ApplianceModeSupport"),
		SecurityGroupReferencing: o.String("SecurityGroupReferencingSupport")})
	if err != nil {
		return nil, err
	}
	return map[string]any{"TransitGatewayVpcAttachment": tgwVpcAttachmentOut(c, a)}, nil
}

func acceptTGWVpcAttachment(c *api.Call, accept bool) (map[string]any, error) {
	a, err := c.Engine.AcceptTransitGatewayVpcAttachment(model.TransitGatewayAttachmentID(c.In.String("TransitGatewayAttachmentId")), accept)
	if err != nil {
		return nil, err
	}
	return map[string]any{"TransitGatewayVpcAttachment": tgwVpcAttachmentOut(c, a)}, nil
}

func deleteTGWVpcAttachment(c *api.Call) (map[string]any, error) {
	a, err := c.Engine.DeleteTransitGatewayAttachment(model.TransitGatewayAttachmentID(c.In.String("TransitGatewayAttachmentId")), model.TGWAttachVPC)
	if err != nil {
		return nil, err
	}
	return map[string]any{"TransitGatewayVpcAttachment": tgwVpcAttachmentOut(c, a)}, nil
}

// attachmentsOf returns the attachments named by ids of one resource type
// (all types when kind is empty).
func attachmentsOf(c *api.Call, kind string) ([]*model.TransitGatewayAttachment, error) {
	var items []*model.TransitGatewayAttachment
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.TransitGatewayAttachments, c.In.Strings("TransitGatewayAttachmentIds"), func(id string) error {
			return apierr.Newf("InvalidTransitGatewayAttachmentID.NotFound", "Transit Gateway Attachment %s was deleted or does not exist.", id)
		})
	})
	if err != nil {
		return nil, err
	}
	if kind == "" {
		return items, nil
	}
	out := items[:0:0]
	for _, a := range items {
		if a.ResourceType == kind {
			out = append(out, a)
		}
	}
	return out, nil
}

func attachmentResource(a *model.TransitGatewayAttachment) string {
	if a.ResourceType == model.TGWAttachVPC {
		return string(a.VpcID)
	}
	return string(a.PeerTransitGatewayID)
}

func describeTGWVpcAttachments(c *api.Call) (map[string]any, error) {
	items, err := attachmentsOf(c, model.TGWAttachVPC)
	if err != nil {
		return nil, err
	}
	type A = *model.TransitGatewayAttachment
	fs := api.FilterSet[A]{
		Tags: func(x A) model.Tags { return x.Tags },
		Attrs: map[string]func(A) []string{
			"transit-gateway-attachment-id": func(x A) []string { return api.One(x.ID) },
			"transit-gateway-id":            func(x A) []string { return api.One(x.TransitGatewayID) },
			"vpc-id":                        func(x A) []string { return api.One(x.VpcID) },
			"state":                         func(x A) []string { return []string{x.State} },
		},
	}
	key := func(x A) string { return string(x.ID) }
	return describePage(c, items, fs, key, "TransitGatewayVpcAttachments", func(x A) any { return tgwVpcAttachmentOut(c, x) })
}

func describeTGWAttachments(c *api.Call) (map[string]any, error) {
	items, err := attachmentsOf(c, "")
	if err != nil {
		return nil, err
	}
	type A = *model.TransitGatewayAttachment
	assocState := func(x A) []string {
		if x.Association == "" {
			return nil
		}
		return []string{"associated"}
	}
	fs := api.FilterSet[A]{
		Tags: func(x A) model.Tags { return x.Tags },
		Attrs: map[string]func(A) []string{
			"transit-gateway-attachment-id": func(x A) []string { return api.One(x.ID) },
			"transit-gateway-id":            func(x A) []string { return api.One(x.TransitGatewayID) },
			"transit-gateway-owner-id":      func(A) []string { return []string{c.Account} },
			"resource-owner-id":             func(A) []string { return []string{c.Account} },
			"resource-id":                   func(x A) []string { return []string{attachmentResource(x)} },
			"resource-type":                 func(x A) []string { return []string{x.ResourceType} },
			"state":                         func(x A) []string { return []string{x.State} },
			"association.transit-gateway-route-table-id": func(x A) []string { return api.One(x.Association) },
			"association.state":                          assocState,
		},
	}
	if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	key := func(x A) string { return string(x.ID) }
	items, next, err := page(c.In, items, key, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, x := range items {
		o := map[string]any{
			"TransitGatewayAttachmentId": x.ID, "TransitGatewayId": x.TransitGatewayID, "TransitGatewayOwnerId": c.Account,
			"ResourceOwnerId": c.Account, "ResourceType": x.ResourceType, "ResourceId": attachmentResource(x), "State": x.State,
			"CreationTime": api.Time(x.CreatedAt), "Tags": api.EC2Tags(x.Tags),
		}
		if x.Association != "" {
			o["Association"] = map[string]any{"TransitGatewayRouteTableId": x.Association, "State": "associated"}
		}
		out[i] = o
	}
	return map[string]any{"TransitGatewayAttachments": out, "NextToken": next}, nil
}

func tgwRouteTableOut(rt *model.TransitGatewayRouteTable) map[string]any {
	return map[string]any{
		"TransitGatewayRouteTableId": rt.ID, "TransitGatewayId": rt.TransitGatewayID, "State": rt.State,
		"DefaultAssociationRouteTable": rt.DefaultAssociation, "DefaultPropagationRouteTable": rt.DefaultPropagation,
		"CreationTime": api.Time(rt.CreatedAt), "Tags": api.EC2Tags(rt.Tags),
	}
}

func createTGWRouteTable(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "transit-gateway-route-table")
	if err != nil {
		return nil, err
	}
	rt, err := c.Engine.CreateTransitGatewayRouteTable(model.TransitGatewayID(c.In.String("TransitGatewayId")), tags)
	if err != nil {
		return nil, err
	}
	out := tgwRouteTableOut(rt)
	out["State"] = "pending"
	return map[string]any{"TransitGatewayRouteTable": out}, nil
}

func deleteTGWRouteTable(c *api.Call) (map[string]any, error) {
	rt, err := c.Engine.DeleteTransitGatewayRouteTable(model.TransitGatewayRouteTableID(c.In.String("TransitGatewayRouteTableId")))
	if err != nil {
		return nil, err
	}
	return map[string]any{"TransitGatewayRouteTable": tgwRouteTableOut(rt)}, nil
}

func describeTGWRouteTables(c *api.Call) (map[string]any, error) {
	type R = *model.TransitGatewayRouteTable
	var items []R
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.TransitGatewayRouteTables, c.In.Strings("TransitGatewayRouteTableIds"), func(id string) error {
			return apierr.Newf("InvalidRouteTableID.NotFound", "Transit Gateway Route Table %s was deleted or does not exist.", id)
		})
	})
	if err != nil {
		return nil, err
	}
	fs := api.FilterSet[R]{
		Tags: func(x R) model.Tags { return x.Tags },
		Attrs: map[string]func(R) []string{
			"transit-gateway-route-table-id":  func(x R) []string { return api.One(x.ID) },
			"transit-gateway-id":              func(x R) []string { return api.One(x.TransitGatewayID) },
			"state":                           func(x R) []string { return []string{x.State} },
			"default-association-route-table": func(x R) []string { return api.Bool(x.DefaultAssociation) },
			"default-propagation-route-table": func(x R) []string { return api.Bool(x.DefaultPropagation) },
		},
	}
	key := func(x R) string { return string(x.ID) }
	return describePage(c, items, fs, key, "TransitGatewayRouteTables", func(x R) any { return tgwRouteTableOut(x) })
}

func tgwPairIn(c *api.Call) (model.TransitGatewayRouteTableID, model.TransitGatewayAttachmentID) {
	return model.TransitGatewayRouteTableID(c.In.String("TransitGatewayRouteTableId")), model.TransitGatewayAttachmentID(c.In.String("TransitGatewayAttachmentId"))
}

func associateTGWRouteTable(c *api.Call) (map[string]any, error) {
	rtb, att := tgwPairIn(c)
	a, err := c.Engine.AssociateTransitGatewayRouteTable(rtb, att)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Association": map[string]any{"TransitGatewayRouteTableId": rtb, "TransitGatewayAttachmentId": a.ID,
		"ResourceId": attachmentResource(a), "ResourceType": a.ResourceType, "State": "associating"}}, nil
}

func disassociateTGWRouteTable(c *api.Call) (map[string]any, error) {
	rtb, att := tgwPairIn(c)
	a, err := c.Engine.DisassociateTransitGatewayRouteTable(rtb, att)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Association": map[string]any{"TransitGatewayRouteTableId": rtb, "TransitGatewayAttachmentId": a.ID,
		"ResourceId": attachmentResource(a), "ResourceType": a.ResourceType, "State": "disassociating"}}, nil
}

func tgwPropagation(c *api.Call, enable bool) (map[string]any, error) {
	rtb, att := tgwPairIn(c)
	a, err := c.Engine.SetTransitGatewayRouteTablePropagation(rtb, att, enable)
	if err != nil {
		return nil, err
	}
	state := "enabling"
	if !enable {
		state = "disabling"
	}
	return map[string]any{"Propagation": map[string]any{"TransitGatewayRouteTableId": rtb, "TransitGatewayAttachmentId": a.ID,
		"ResourceId": attachmentResource(a), "ResourceType": a.ResourceType, "State": state}}, nil
}

func tgwRouteOut(st *model.State, r model.TGWRouteView) map[string]any {
	out := map[string]any{"DestinationCidrBlock": r.Destination, "Type": r.Type, "State": r.State}
	if r.Attachment != "" {
		att := map[string]any{"TransitGatewayAttachmentId": r.Attachment}
		if a := st.TransitGatewayAttachments[r.Attachment]; a != nil {
			att["ResourceId"], att["ResourceType"] = attachmentResource(a), a.ResourceType
		}
		out["TransitGatewayAttachments"] = []any{att}
	}
	return out
}

func tgwRouteIn(c *api.Call) engine.TGWRouteInput {
	rtb, att := tgwPairIn(c)
	return engine.TGWRouteInput{RouteTableID: rtb, DestinationCIDR: c.In.String("DestinationCidrBlock"), AttachmentID: att, Blackhole: c.In.Bool("Blackhole")}
}

// staticRouteOut describes a static route as the route operations answer.
func staticRouteOut(c *api.Call, r model.TransitGatewayRoute, state string) map[string]any {
	v := model.TGWRouteView{Destination: r.Destination, Attachment: r.Attachment, Type: "static", State: state}
	var out map[string]any
	c.Engine.Read(func(st *model.State) {
		if state == "" {
			v.State = "active"
			if r.Blackhole {
				v.State = "blackhole"
			} else if a := st.TransitGatewayAttachments[r.Attachment]; a == nil || a.State != "available" {
				v.State = "blackhole"
			}
		}
		out = tgwRouteOut(st, v)
	})
	return out
}

func createTGWRoute(c *api.Call) (map[string]any, error) {
	r, err := c.Engine.CreateTransitGatewayRoute(tgwRouteIn(c))
	if err != nil {
		return nil, err
	}
	return map[string]any{"Route": staticRouteOut(c, r, "")}, nil
}

func replaceTGWRoute(c *api.Call) (map[string]any, error) {
	r, err := c.Engine.ReplaceTransitGatewayRoute(tgwRouteIn(c))
	if err != nil {
		return nil, err
	}
	return map[string]any{"Route": staticRouteOut(c, r, "")}, nil
}

func deleteTGWRoute(c *api.Call) (map[string]any, error) {
	r, err := c.Engine.DeleteTransitGatewayRoute(model.TransitGatewayRouteTableID(c.In.String("TransitGatewayRouteTableId")), c.In.String("DestinationCidrBlock"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"Route": staticRouteOut(c, r, "deleted")}, nil
}

// prefixFilter matches a route's destination against route-search.*
// filter values.
func prefixFilter(name string, vals []string, d netip.Prefix) (bool, error) {
	for _, v := range vals {
		p, err := netip.ParsePrefix(v)
		if err != nil {
			if a, err2 := netip.ParseAddr(v); err2 == nil {
				p = netip.PrefixFrom(a, a.BitLen())
			} else {
				return false, apierr.Newf("InvalidParameterValue", "Value (%s) for filter %s is invalid. This is not a valid CIDR block.", v, name)
			}
		}
		p = p.Masked()
		switch name {
		case "route-search.exact-match":
			if d == p {
				return true, nil
			}
		case "route-search.subnet-of-match":
			// Routes whose destination is a subnet of the value.
			if p.Bits() <= d.Bits() && p.Contains(d.Addr()) {
				return true, nil
			}
		case "route-search.supernet-of-match", "route-search.longest-prefix-match":
			if d.Bits() <= p.Bits() && d.Contains(p.Addr()) {
				return true, nil
			}
		}
	}
	return false, nil
}

func searchTGWRoutes(c *api.Call) (map[string]any, error) {
	filters := api.Filters(c.In)
	if len(filters) == 0 {
		return nil, errMissingParam("Filters")
	}
	limit := 1000
	if c.In.Has("MaxResults") {
		n := int(c.In.Int("MaxResults"))
		if n < 5 || n > 1000 {
			return nil, apierr.Newf("InvalidParameterValue", "Value ( %d ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.", n)
		}
		limit = n
	}
	var out []any
	more, next := false, ""
	var err error
	c.Engine.Read(func(st *model.State) {
		id := model.TransitGatewayRouteTableID(c.In.String("TransitGatewayRouteTableId"))
		if st.TransitGatewayRouteTables[id] == nil {
			err = apierr.Newf("InvalidRouteTableID.NotFound", "Transit Gateway Route Table %s was deleted or does not exist.", id)
			return
		}
		var matched []model.TGWRouteView
		var longest []model.TGWRouteView
		for _, r := range st.TGWRoutes(id) {
			ok := true
			for _, f := range filters {
				var m bool
				switch f.Name {
				case "state":
					m = contains(f.Values, r.State)
				case "type":
					m = contains(f.Values, r.Type)
				case "attachment.transit-gateway-attachment-id":
					m = contains(f.Values, string(r.Attachment))
				case "attachment.resource-id", "attachment.resource-type":
					if a := st.TransitGatewayAttachments[r.Attachment]; a != nil {
						v := attachmentResource(a)
						if f.Name == "attachment.resource-type" {
							v = a.ResourceType
						}
						m = contains(f.Values, v)
					}
				case "prefix-list-id", "transit-gateway-route-destination-cidr-block":
					m = contains(f.Values, r.Destination.String())
				case "route-search.exact-match", "route-search.subnet-of-match", "route-search.supernet-of-match", "route-search.longest-prefix-match":
					if m, err = prefixFilter(f.Name, f.Values, r.Destination); err != nil {
						return
					}
				default:
					err = apierr.Newf("InvalidParameterValue", "The filter '%s' is invalid", f.Name)
					return
				}
				ok = ok && m
			}
			if !ok {
				continue
			}
			matched = append(matched, r)
		}
		for _, f := range filters {
			if f.Name == "route-search.longest-prefix-match" {
				// Only the most specific of the matching routes.
				best := -1
				for _, r := range matched {
					best = max(best, r.Destination.Bits())
				}
				for _, r := range matched {
					if r.Destination.Bits() == best {
						longest = append(longest, r)
					}
				}
				matched = longest
			}
		}
		// Pages in destination order (NextToken: the botocore paginator's
		// input and output token; AdditionalRoutesAvailable says more).
		page, tok, ok := api.Paginate(matched, tgwRouteKey, c.In.String("NextToken"), limit)
		if !ok {
			err = apierr.Newf("InvalidParameterValue", "Invalid value '%s' for parameter nextToken.", c.In.String("NextToken"))
			return
		}
		matched, next, more = page, tok, tok != ""
		out = make([]any, len(matched))
		for i, r := range matched {
			out[i] = tgwRouteOut(st, r)
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Routes": out, "AdditionalRoutesAvailable": more, "NextToken": api.Str(next)}, nil
}

// tgwRouteKey orders a route table's routes as model.State.TGWRoutes
// does, by destination (address bytes, then prefix length), as a string
// api.Paginate can page by; the attachment tells apart two propagations
// of one CIDR.
func tgwRouteKey(r model.TGWRouteView) string {
	a := r.Destination.Addr().As16()
	return fmt.Sprintf("%x/%03d/%s", a, r.Destination.Bits(), r.Attachment)
}

func contains(vals []string, v string) bool {
	for _, x := range vals {
		if x == v {
			return true
		}
	}
	return false
}

func errMissingParam(name string) error {
	return apierr.Newf("MissingParameter", "The request must contain the parameter %s", name)
}

// tgwLinks answers GetTransitGatewayRouteTableAssociations and
// …Propagations: the attachments associated with (or propagating to) a
// route table.
func tgwLinks(c *api.Call, outKey, state string, pick func(st *model.State, rt *model.TransitGatewayRouteTable) []*model.TransitGatewayAttachment) (map[string]any, error) {
	id := model.TransitGatewayRouteTableID(c.In.String("TransitGatewayRouteTableId"))
	type A = *model.TransitGatewayAttachment
	fs := api.FilterSet[A]{
		Attrs: map[string]func(A) []string{
			"transit-gateway-attachment-id": func(x A) []string { return api.One(x.ID) },
			"resource-id":                   func(x A) []string { return []string{attachmentResource(x)} },
			"resource-type":                 func(x A) []string { return []string{x.ResourceType} },
		},
	}
	var items []A
	var err error
	c.Engine.Read(func(st *model.State) {
		rt := st.TransitGatewayRouteTables[id]
		if rt == nil {
			if id == "" {
				err = errMissingParam("TransitGatewayRouteTableId")
			} else {
				err = apierr.Newf("InvalidRouteTableID.NotFound", "Transit Gateway Route Table %s was deleted or does not exist.", id)
			}
			return
		}
		items = pick(st, rt)
	})
	if err != nil {
		return nil, err
	}
	key := func(x A) string { return string(x.ID) }
	return describePage(c, items, fs, key, outKey, func(a A) any {
		return map[string]any{"TransitGatewayAttachmentId": a.ID, "ResourceId": attachmentResource(a), "ResourceType": a.ResourceType, "State": state}
	})
}

func getTGWRouteTableAssociations(c *api.Call) (map[string]any, error) {
	return tgwLinks(c, "Associations", "associated", func(st *model.State, rt *model.TransitGatewayRouteTable) []*model.TransitGatewayAttachment {
		var out []*model.TransitGatewayAttachment
		for _, a := range st.TransitGatewayAttachments {
			if a.Association == rt.ID {
				out = append(out, a)
			}
		}
		return out
	})
}

func getTGWRouteTablePropagations(c *api.Call) (map[string]any, error) {
	return tgwLinks(c, "TransitGatewayRouteTablePropagations", "enabled", func(st *model.State, rt *model.TransitGatewayRouteTable) []*model.TransitGatewayAttachment {
		var out []*model.TransitGatewayAttachment
		for _, id := range rt.Propagations {
			if a := st.TransitGatewayAttachments[id]; a != nil {
				out = append(out, a)
			}
		}
		return out
	})
}

func getTGWAttachmentPropagations(c *api.Call) (map[string]any, error) {
	id := model.TransitGatewayAttachmentID(c.In.String("TransitGatewayAttachmentId"))
	var out []any
	var err error
	c.Engine.Read(func(st *model.State) {
		if st.TransitGatewayAttachments[id] == nil {
			err = apierr.Newf("InvalidTransitGatewayAttachmentID.NotFound", "Transit Gateway Attachment %s was deleted or does not exist.", id)
			return
		}
		for _, rt := range api.SortBy(mapValues(st.TransitGatewayRouteTables), func(x *model.TransitGatewayRouteTable) string { return string(x.ID) }) {
			if contains(tgwIDs(rt.Propagations), string(id)) {
				out = append(out, map[string]any{"TransitGatewayRouteTableId": rt.ID, "State": "enabled"})
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"TransitGatewayAttachmentPropagations": out}, nil
}

func mapValues[K comparable, V any](m map[K]*V) []*V {
	out := make([]*V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func tgwIDs(ids []model.TransitGatewayAttachmentID) []string {
	out := make([]string, len(ids))
	for i, x := range ids {
		out[i] = string(x)
	}
	return out
}

func registerTGWPeering(r *api.Registry) {
	add(r, "CreateTransitGatewayPeeringAttachment", createTGWPeering)
	add(r, "AcceptTransitGatewayPeeringAttachment", func(c *api.Call) (map[string]any, error) { return tgwPeeringTransition(c, "available") })
	add(r, "RejectTransitGatewayPeeringAttachment", func(c *api.Call) (map[string]any, error) { return tgwPeeringTransition(c, "rejected") })
	add(r, "DeleteTransitGatewayPeeringAttachment", func(c *api.Call) (map[string]any, error) { return tgwPeeringTransition(c, "deleted") })
	add(r, "DescribeTransitGatewayPeeringAttachments", describeTGWPeerings)
}

func tgwPeeringOut(c *api.Call, a *model.TransitGatewayAttachment) map[string]any {
	return map[string]any{
		"TransitGatewayAttachmentId": a.ID,
		"RequesterTgwInfo":           map[string]any{"TransitGatewayId": a.TransitGatewayID, "OwnerId": c.Account, "Region": c.Region},
		"AccepterTgwInfo":            map[string]any{"TransitGatewayId": a.PeerTransitGatewayID, "OwnerId": a.PeerAccount, "Region": a.PeerRegion},
		"Options":                    map[string]any{"DynamicRouting": "disable"},
		"Status":                     map[string]any{"Code": a.State, "Message": a.State},
		"State":                      a.State, "CreationTime": api.Time(a.CreatedAt), "Tags": api.EC2Tags(a.Tags),
	}
}

func createTGWPeering(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "transit-gateway-attachment")
	if err != nil {
		return nil, err
	}
	a, err := c.Engine.CreateTransitGatewayPeeringAttachment(engine.CreateTGWPeeringInput{TransitGatewayID: model.TransitGatewayID(c.In.String("TransitGatewayId")),
		PeerTransitGatewayID: model.TransitGatewayID(c.In.String("PeerTransitGatewayId")), PeerAccount: c.In.String("PeerAccountId"),
		PeerRegion: c.In.String("PeerRegion"), Tags: tags})
	if err != nil {
		return nil, err
	}
	out := tgwPeeringOut(c, a)
	// The request is answered while AWS sends it (tgw-peering.md).
	out["State"] = "initiatingRequest"
	out["Status"] = map[string]any{"Code": "initiatingRequest", "Message": "initiatingRequest"}
	return map[string]any{"TransitGatewayPeeringAttachment": out}, nil
}

func tgwPeeringTransition(c *api.Call, to string) (map[string]any, error) {
	a, err := c.Engine.TransitGatewayPeeringTransition(model.TransitGatewayAttachmentID(c.In.String("TransitGatewayAttachmentId")), to)
	if err != nil {
		return nil, err
	}
	out := tgwPeeringOut(c, a)
	if to == "available" {
		out["State"] = "pending"
		out["Status"] = map[string]any{"Code": "pending", "Message": "pending"}
	}
	return map[string]any{"TransitGatewayPeeringAttachment": out}, nil
}

func describeTGWPeerings(c *api.Call) (map[string]any, error) {
	items, err := attachmentsOf(c, model.TGWAttachPeering)
	if err != nil {
		return nil, err
	}
	type A = *model.TransitGatewayAttachment
	fs := api.FilterSet[A]{
		Tags: func(x A) model.Tags { return x.Tags },
		Attrs: map[string]func(A) []string{
			"transit-gateway-attachment-id": func(x A) []string { return api.One(x.ID) },
			"transit-gateway-id":            func(x A) []string { return []string{string(x.TransitGatewayID), string(x.PeerTransitGatewayID)} },
			"local-owner-id":                func(A) []string { return []string{c.Account} },
			"remote-owner-id":               func(x A) []string { return []string{x.PeerAccount} },
			"state":                         func(x A) []string { return []string{x.State} },
		},
	}
	key := func(x A) string { return string(x.ID) }
	return describePage(c, items, fs, key, "TransitGatewayPeeringAttachments", func(x A) any { return tgwPeeringOut(c, x) })
}
