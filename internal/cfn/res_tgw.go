package cfn

import (
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Transit gateway resource types (AWS::EC2::TransitGateway and friends).
const (
	typeTGW              = "AWS::EC2::TransitGateway"
	typeTGWAttachment    = "AWS::EC2::TransitGatewayAttachment"
	typeTGWVpcAttachment = "AWS::EC2::TransitGatewayVpcAttachment"
	typeTGWRouteTable    = "AWS::EC2::TransitGatewayRouteTable"
	typeTGWRoute         = "AWS::EC2::TransitGatewayRoute"
	typeTGWRTAssociation = "AWS::EC2::TransitGatewayRouteTableAssociation"
	typeTGWRTPropagation = "AWS::EC2::TransitGatewayRouteTablePropagation"
)

func tgwHandler(typ string) (handler, bool) {
	switch typ {
	case typeTGW:
		return createTGW, true
	case typeTGWAttachment, typeTGWVpcAttachment:
		return createTGWAttachment, true
	case typeTGWRouteTable:
		return createTGWRouteTable, true
	case typeTGWRoute:
		return createTGWRoute, true
	case typeTGWRTAssociation:
		return createTGWRTAssociation, true
	case typeTGWRTPropagation:
		return createTGWRTPropagation, true
	}
	return nil, false
}

func tgwKnownProps(typ string) ([]string, bool) {
	switch typ {
	case typeTGW:
		return []string{"AmazonSideAsn", "AssociationDefaultRouteTableId", "AutoAcceptSharedAttachments", "DefaultRouteTableAssociation",
			"DefaultRouteTablePropagation", "Description", "DnsSupport", "EncryptionSupport", "MulticastSupport", "PropagationDefaultRouteTableId",
			"SecurityGroupReferencingSupport", "Tags", "TransitGatewayCidrBlocks", "VpnEcmpSupport"}, true
	case typeTGWAttachment:
		return []string{"Options", "SubnetIds", "Tags", "TransitGatewayId", "VpcId"}, true
	case typeTGWVpcAttachment:
		return []string{"AddSubnetIds", "Options", "RemoveSubnetIds", "SubnetIds", "Tags", "TransitGatewayId", "VpcId"}, true
	case typeTGWRouteTable:
		return []string{"Tags", "TransitGatewayId"}, true
	case typeTGWRoute:
		return []string{"Blackhole", "DestinationCidrBlock", "TransitGatewayAttachmentId", "TransitGatewayRouteTableId"}, true
	case typeTGWRTAssociation, typeTGWRTPropagation:
		return []string{"TransitGatewayAttachmentId", "TransitGatewayRouteTableId"}, true
	}
	return nil, false
}

// deleteTGW deletes a transit gateway resource (DeleteResources).
func deleteTGW(e *engine.Engine, r Resource) (bool, error) {
	id := r.PhysicalID
	switch r.Type {
	case typeTGW:
		_, err := e.DeleteTransitGateway(model.TransitGatewayID(id))
		return true, err
	case typeTGWAttachment, typeTGWVpcAttachment:
		_, err := e.DeleteTransitGatewayAttachment(model.TransitGatewayAttachmentID(id), model.TGWAttachVPC)
		return true, err
	case typeTGWRouteTable:
		_, err := e.DeleteTransitGatewayRouteTable(model.TransitGatewayRouteTableID(id))
		return true, err
	case typeTGWRoute:
		_, err := e.DeleteTransitGatewayRoute(model.TransitGatewayRouteTableID(r.Keys["TransitGatewayRouteTableId"]), r.Keys["DestinationCidrBlock"])
		return true, err
	case typeTGWRTAssociation:
		_, err := e.DisassociateTransitGatewayRouteTable(model.TransitGatewayRouteTableID(r.Keys["TransitGatewayRouteTableId"]),
			model.TransitGatewayAttachmentID(r.Keys["TransitGatewayAttachmentId"]))
		return true, err
	case typeTGWRTPropagation:
		_, err := e.SetTransitGatewayRouteTablePropagation(model.TransitGatewayRouteTableID(r.Keys["TransitGatewayRouteTableId"]),
			model.TransitGatewayAttachmentID(r.Keys["TransitGatewayAttachmentId"]), false)
		return true, err
	}
	return false, nil
}

// AWS::EC2::TransitGateway. Ref: the gateway id; GetAtt Id,
// TransitGatewayArn.
func createTGW(c *rctx) error {
	p := c.p
	var o engine.TGWOptions
	for _, f := range []struct {
		key string
		dst *string
	}{
		{"AutoAcceptSharedAttachments", &o.AutoAcceptSharedAttachments}, {"DefaultRouteTableAssociation", &o.DefaultRouteTableAssociation},
		{"DefaultRouteTablePropagation", &o.DefaultRouteTablePropagation}, {"VpnEcmpSupport", &o.VpnEcmpSupport}, {"DnsSupport", &o.DNSSupport},
		{"SecurityGroupReferencingSupport", &o.SecurityGroupReferencing}, {"MulticastSupport", &o.MulticastSupport},
	} {
		v, err := p.str(f.key)
		if err != nil {
			return err
		}
		*f.dst = v
	}
	asn, err := p.integer("AmazonSideAsn", 0)
	if err != nil {
		return err
	}
	o.AmazonSideAsn = int64(asn)
	if o.AddCIDRBlocks, err = p.strs("TransitGatewayCidrBlocks"); err != nil {
		return err
	}
	desc, err := p.str("Description")
	if err != nil {
		return err
	}
	tags, err := p.tags()
	if err != nil {
		return err
	}
	g, err := c.e().CreateTransitGateway(engine.CreateTransitGatewayInput{Description: desc, Options: o, Tags: tags})
	if err != nil {
		return p.at("AmazonSideAsn", err)
	}
	c.setRef(string(g.ID))
	c.set("Id", string(g.ID))
	cfg := c.e().Config()
	c.set("TransitGatewayArn", model.EC2ARN(cfg.Region, cfg.Account, "transit-gateway/"+string(g.ID)))
	return nil
}

// AWS::EC2::TransitGatewayAttachment and TransitGatewayVpcAttachment.
// Ref: the attachment id.
func createTGWAttachment(c *rctx) error {
	p := c.p
	tgw, err := p.req("TransitGatewayId")
	if err != nil {
		return err
	}
	vpc, err := p.req("VpcId")
	if err != nil {
		return err
	}
	subs, err := p.strs("SubnetIds")
	if err != nil {
		return err
	}
	opts, err := p.object("Options")
	if err != nil {
		return err
	}
	in := engine.CreateTGWVpcAttachmentInput{TransitGatewayID: model.TransitGatewayID(tgw), VpcID: model.VpcID(vpc)}
	for _, s := range subs {
		in.SubnetIDs = append(in.SubnetIDs, model.SubnetID(s))
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"DnsSupport", &in.DNSSupport}, {"Ipv6Support", &in.IPv6Support}, {"ApplianceModeSupport", &in.ApplianceModeSupport},
		{"SecurityGroupReferencingSupport", &in.SecurityGroupReferencing}} {
		if *f.dst, err = opts.str(f.key); err != nil {
			return err
		}
	}
	if in.Tags, err = p.tags(); err != nil {
		return err
	}
	a, err := c.e().CreateTransitGatewayVpcAttachment(in)
	if err != nil {
		return p.at("SubnetIds", err)
	}
	c.setRef(string(a.ID))
	c.set("Id", string(a.ID))
	return nil
}

// AWS::EC2::TransitGatewayRouteTable. Ref: the route table id.
func createTGWRouteTable(c *rctx) error {
	tgw, err := c.p.req("TransitGatewayId")
	if err != nil {
		return err
	}
	tags, err := c.p.tags()
	if err != nil {
		return err
	}
	rt, err := c.e().CreateTransitGatewayRouteTable(model.TransitGatewayID(tgw), tags)
	if err != nil {
		return c.p.at("TransitGatewayId", err)
	}
	c.setRef(string(rt.ID))
	c.set("TransitGatewayRouteTableId", string(rt.ID))
	return nil
}

// AWS::EC2::TransitGatewayRoute. Ref: "<route table id>_<destination>"
// (UNVERIFIED: the resource's documentation names no Ref value).
func createTGWRoute(c *rctx) error {
	p := c.p
	rtb, err := p.req("TransitGatewayRouteTableId")
	if err != nil {
		return err
	}
	dest, err := p.req("DestinationCidrBlock")
	if err != nil {
		return err
	}
	att, err := p.str("TransitGatewayAttachmentId")
	if err != nil {
		return err
	}
	bh, err := p.boolean("Blackhole")
	if err != nil {
		return err
	}
	in := engine.TGWRouteInput{RouteTableID: model.TransitGatewayRouteTableID(rtb), DestinationCIDR: dest, AttachmentID: model.TransitGatewayAttachmentID(att),
		Blackhole: bh != nil && *bh}
	r, err := c.e().CreateTransitGatewayRoute(in)
	if err != nil {
		return p.at("DestinationCidrBlock", err)
	}
	c.setRef(rtb + "_" + r.Destination.String())
	c.keep("TransitGatewayRouteTableId", rtb)
	c.keep("DestinationCidrBlock", r.Destination.String())
	return nil
}

func tgwLinkProps(c *rctx) (model.TransitGatewayRouteTableID, model.TransitGatewayAttachmentID, error) {
	rtb, err := c.p.req("TransitGatewayRouteTableId")
	if err != nil {
		return "", "", err
	}
	att, err := c.p.req("TransitGatewayAttachmentId")
	if err != nil {
		return "", "", err
	}
	c.keep("TransitGatewayRouteTableId", rtb)
	c.keep("TransitGatewayAttachmentId", att)
	return model.TransitGatewayRouteTableID(rtb), model.TransitGatewayAttachmentID(att), nil
}

// AWS::EC2::TransitGatewayRouteTableAssociation. Ref:
// "<route table id>|<attachment id>" (UNVERIFIED).
func createTGWRTAssociation(c *rctx) error {
	rtb, att, err := tgwLinkProps(c)
	if err != nil {
		return err
	}
	if _, err := c.e().AssociateTransitGatewayRouteTable(rtb, att); err != nil {
		return c.p.at("TransitGatewayAttachmentId", err)
	}
	c.setRef(string(rtb) + "|" + string(att))
	return nil
}

// AWS::EC2::TransitGatewayRouteTablePropagation. Ref:
// "<route table id>|<attachment id>" (UNVERIFIED).
func createTGWRTPropagation(c *rctx) error {
	rtb, att, err := tgwLinkProps(c)
	if err != nil {
		return err
	}
	if _, err := c.e().SetTransitGatewayRouteTablePropagation(rtb, att, true); err != nil {
		return c.p.at("TransitGatewayAttachmentId", err)
	}
	c.setRef(string(rtb) + "|" + string(att))
	return nil
}
