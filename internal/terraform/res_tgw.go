package terraform

import (
	"github.com/zclconf/go-cty/cty"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Transit gateways: aws_ec2_transit_gateway, _vpc_attachment,
// _route_table, _route, _route_table_association, _route_table_propagation.

func tgwHandler(typ string) (handler, bool) {
	switch typ {
	case "aws_ec2_transit_gateway":
		return createTGW, true
	case "aws_ec2_transit_gateway_vpc_attachment":
		return createTGWVpcAttachment, true
	case "aws_ec2_transit_gateway_route_table":
		return createTGWRouteTable, true
	case "aws_ec2_transit_gateway_route":
		return createTGWRoute, true
	case "aws_ec2_transit_gateway_route_table_association":
		return createTGWRTAssociation, true
	case "aws_ec2_transit_gateway_route_table_propagation":
		return createTGWRTPropagation, true
	}
	return nil, false
}

// aws_ec2_transit_gateway: the provider's defaults are AWS's.
func createTGW(c *rctx) error {
	o := c.o
	asn, err := o.integer("amazon_side_asn", 0)
	if err != nil {
		return err
	}
	opts := engine.TGWOptions{AmazonSideAsn: int64(asn), AutoAcceptSharedAttachments: o.str("auto_accept_shared_attachments"),
		DefaultRouteTableAssociation: o.str("default_route_table_association"), DefaultRouteTablePropagation: o.str("default_route_table_propagation"),
		VpnEcmpSupport: o.str("vpn_ecmp_support"), DNSSupport: o.str("dns_support"), SecurityGroupReferencing: o.str("security_group_referencing_support"),
		AddCIDRBlocks: o.strs("transit_gateway_cidr_blocks")}
	if o.flag("multicast_support") {
		opts.MulticastSupport = "enable"
	}
	g, err := c.e().CreateTransitGateway(engine.CreateTransitGatewayInput{Description: o.str("description"), Options: opts, Tags: c.tags()})
	if err != nil {
		return c.fail("amazon_side_asn", err)
	}
	c.created(string(g.ID), string(g.ID))
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "transit-gateway/"+string(g.ID)))
	c.set("owner_id", c.l.account)
	c.set("association_default_route_table_id", string(g.AssociationDefaultRouteTable))
	c.set("propagation_default_route_table_id", string(g.PropagationDefaultRouteTable))
	return nil
}

// aws_ec2_transit_gateway_vpc_attachment. With
// transit_gateway_default_route_table_association or _propagation false,
// the provider undoes the gateway's default association or propagation
// after creating the attachment.
func createTGWVpcAttachment(c *rctx) error {
	o := c.o
	tgw, err := c.req("transit_gateway_id")
	if err != nil {
		return err
	}
	vpc, err := c.req("vpc_id")
	if err != nil {
		return err
	}
	in := engine.CreateTGWVpcAttachmentInput{TransitGatewayID: model.TransitGatewayID(tgw), VpcID: model.VpcID(vpc),
		DNSSupport: o.str("dns_support"), IPv6Support: o.str("ipv6_support"), ApplianceModeSupport: o.str("appliance_mode_support"),
		SecurityGroupReferencing: o.str("security_group_referencing_support"), Tags: c.tags()}
	for _, s := range o.strs("subnet_ids") {
		in.SubnetIDs = append(in.SubnetIDs, model.SubnetID(s))
	}
	a, err := c.e().CreateTransitGatewayVpcAttachment(in)
	if err != nil {
		return c.fail("subnet_ids", err)
	}
	assoc, err := o.boolean("transit_gateway_default_route_table_association")
	if err != nil {
		return err
	}
	if assoc != nil && !*assoc && a.Association != "" {
		if _, err := c.e().DisassociateTransitGatewayRouteTable(a.Association, a.ID); err != nil {
			return c.fail("transit_gateway_default_route_table_association", err)
		}
	}
	prop, err := o.boolean("transit_gateway_default_route_table_propagation")
	if err != nil {
		return err
	}
	if prop != nil && !*prop {
		var rt model.TransitGatewayRouteTableID
		c.read(func(st *model.State) {
			if g := st.TransitGateways[a.TransitGatewayID]; g != nil && g.DefaultRouteTablePropagation == "enable" {
				rt = g.PropagationDefaultRouteTable
			}
		})
		if rt != "" {
			if _, err := c.e().SetTransitGatewayRouteTablePropagation(rt, a.ID, false); err != nil {
				return c.fail("transit_gateway_default_route_table_propagation", err)
			}
		}
	}
	c.created(string(a.ID), string(a.ID))
	c.set("vpc_owner_id", c.l.account)
	return nil
}

// aws_ec2_transit_gateway_route_table.
func createTGWRouteTable(c *rctx) error {
	tgw, err := c.req("transit_gateway_id")
	if err != nil {
		return err
	}
	rt, err := c.e().CreateTransitGatewayRouteTable(model.TransitGatewayID(tgw), c.tags())
	if err != nil {
		return c.fail("transit_gateway_id", err)
	}
	c.created(string(rt.ID), string(rt.ID))
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "transit-gateway-route-table/"+string(rt.ID)))
	c.out["default_association_route_table"] = cty.False
	c.out["default_propagation_route_table"] = cty.False
	return nil
}

// aws_ec2_transit_gateway_route: id "<route table id>_<destination>", as
// the provider writes it.
func createTGWRoute(c *rctx) error {
	rtb, err := c.req("transit_gateway_route_table_id")
	if err != nil {
		return err
	}
	dest, err := c.req("destination_cidr_block")
	if err != nil {
		return err
	}
	bh, err := c.o.boolean("blackhole")
	if err != nil {
		return err
	}
	r, err := c.e().CreateTransitGatewayRoute(engine.TGWRouteInput{RouteTableID: model.TransitGatewayRouteTableID(rtb), DestinationCIDR: dest,
		AttachmentID: model.TransitGatewayAttachmentID(c.o.str("transit_gateway_attachment_id")), Blackhole: bh != nil && *bh})
	if err != nil {
		return c.fail("destination_cidr_block", err)
	}
	c.created(rtb+"_"+r.Destination.String(), "")
	return nil
}

func (c *rctx) tgwLink() (model.TransitGatewayRouteTableID, model.TransitGatewayAttachmentID, error) {
	rtb, err := c.req("transit_gateway_route_table_id")
	if err != nil {
		return "", "", err
	}
	att, err := c.req("transit_gateway_attachment_id")
	if err != nil {
		return "", "", err
	}
	return model.TransitGatewayRouteTableID(rtb), model.TransitGatewayAttachmentID(att), nil
}

// aws_ec2_transit_gateway_route_table_association: with
// replace_existing_association the provider first removes the
// attachment's current association.
func createTGWRTAssociation(c *rctx) error {
	rtb, att, err := c.tgwLink()
	if err != nil {
		return err
	}
	if c.o.flag("replace_existing_association") {
		var cur model.TransitGatewayRouteTableID
		c.read(func(st *model.State) {
			if a := st.TransitGatewayAttachments[att]; a != nil {
				cur = a.Association
			}
		})
		if cur != "" && cur != rtb {
			if _, err := c.e().DisassociateTransitGatewayRouteTable(cur, att); err != nil {
				return c.fail("transit_gateway_attachment_id", err)
			}
		}
	}
	a, err := c.e().AssociateTransitGatewayRouteTable(rtb, att)
	if err != nil {
		return c.fail("transit_gateway_attachment_id", err)
	}
	c.created(string(rtb)+"_"+string(att), "")
	c.set("resource_id", string(a.VpcID))
	c.set("resource_type", a.ResourceType)
	return nil
}

// aws_ec2_transit_gateway_route_table_propagation.
func createTGWRTPropagation(c *rctx) error {
	rtb, att, err := c.tgwLink()
	if err != nil {
		return err
	}
	a, err := c.e().SetTransitGatewayRouteTablePropagation(rtb, att, true)
	if err != nil {
		return c.fail("transit_gateway_attachment_id", err)
	}
	c.created(string(rtb)+"_"+string(att), "")
	c.set("resource_id", string(a.VpcID))
	c.set("resource_type", a.ResourceType)
	return nil
}
