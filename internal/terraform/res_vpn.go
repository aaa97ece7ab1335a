package terraform

import (
	"strconv"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Site-to-Site VPN resources (the AWS provider's aws_vpn_gateway,
// aws_vpn_gateway_attachment, aws_customer_gateway, aws_vpn_connection,
// aws_vpn_connection_route, aws_vpn_gateway_route_propagation) and
// gateway route table associations.

func vpnHandler(typ string) (handler, bool) {
	switch typ {
	case "aws_vpn_gateway":
		return createVpnGateway, true
	case "aws_vpn_gateway_attachment":
		return attachVpnGateway, true
	case "aws_customer_gateway":
		return createCustomerGateway, true
	case "aws_vpn_connection":
		return createVpnConnection, true
	case "aws_vpn_connection_route":
		return createVpnConnectionRoute, true
	case "aws_vpn_gateway_route_propagation":
		return createVgwPropagation, true
	}
	return nil, false
}

func vpnTypes() []string {
	return []string{"aws_vpn_gateway", "aws_vpn_gateway_attachment", "aws_customer_gateway", "aws_vpn_connection", "aws_vpn_connection_route",
		"aws_vpn_gateway_route_propagation"}
}

func createVpnGateway(c *rctx) error {
	asn := 0
	if s := c.o.str("amazon_side_asn"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return c.errf("amazon_side_asn", "amazon_side_asn %q is not a number", s)
		}
		asn = n
	}
	g, err := c.e().CreateVpnGateway(engine.CreateVpnGatewayInput{Type: "ipsec.1", AvailabilityZone: c.o.str("availability_zone"),
		AmazonSideAsn: int64(asn), Tags: c.tags()})
	if err != nil {
		return c.fail("amazon_side_asn", err)
	}
	if vpc := c.o.str("vpc_id"); vpc != "" {
		if err := c.e().AttachVpnGateway(g.ID, model.VpcID(vpc)); err != nil {
			return c.fail("vpc_id", err)
		}
	}
	c.created(string(g.ID), string(g.ID))
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "vpn-gateway/"+string(g.ID)))
	c.set("amazon_side_asn", strconv.FormatInt(g.AmazonSideAsn, 10))
	return nil
}

func attachVpnGateway(c *rctx) error {
	vgw, err := c.req("vpn_gateway_id")
	if err != nil {
		return err
	}
	vpc, err := c.req("vpc_id")
	if err != nil {
		return err
	}
	if err := c.e().AttachVpnGateway(model.VpnGatewayID(vgw), model.VpcID(vpc)); err != nil {
		return c.fail("vpn_gateway_id", err)
	}
	c.created("vpn-attachment-"+strconv.FormatUint(uint64(crc(vgw+vpc)), 16), "")
	return nil
}

func createCustomerGateway(c *rctx) error {
	typ, err := c.req("type")
	if err != nil {
		return err
	}
	asn := int64(0)
	for _, k := range []string{"bgp_asn", "bgp_asn_extended"} {
		if s := c.o.str(k); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return c.errf(k, "%s %q is not a number", k, s)
			}
			asn = n
		}
	}
	g, err := c.e().CreateCustomerGateway(engine.CreateCustomerGatewayInput{Type: typ, BgpAsn: asn, IPAddress: c.o.str("ip_address"),
		DeviceName: c.o.str("device_name"), CertificateArn: c.o.str("certificate_arn"), Tags: c.tags()})
	if err != nil {
		return c.fail("ip_address", err)
	}
	c.created(string(g.ID), string(g.ID))
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "customer-gateway/"+string(g.ID)))
	return nil
}

func createVpnConnection(c *rctx) error {
	if c.o.str("transit_gateway_id") != "" {
		c.skip = "VPN connections to a transit gateway are not modeled by ecsnet; traffic through it is not analyzed"
		c.l.warnf(c.r.rng, "%s: %s", c.addr, c.skip)
		return nil
	}
	typ, err := c.req("type")
	if err != nil {
		return err
	}
	cgw, err := c.req("customer_gateway_id")
	if err != nil {
		return err
	}
	vgw, err := c.req("vpn_gateway_id")
	if err != nil {
		return err
	}
	in := engine.CreateVpnConnectionInput{Type: typ, CustomerGatewayID: model.CustomerGatewayID(cgw), VpnGatewayID: model.VpnGatewayID(vgw),
		StaticRoutesOnly: c.o.flag("static_routes_only"), LocalIPv4CIDR: c.o.str("local_ipv4_network_cidr"),
		RemoteIPv4CIDR: c.o.str("remote_ipv4_network_cidr"), Tags: c.tags()}
	for _, n := range []string{"1", "2"} {
		in.Tunnels = append(in.Tunnels, engine.VpnTunnelInput{InsideCIDR: c.o.str("tunnel" + n + "_inside_cidr"), PreSharedKey: c.o.str("tunnel" + n + "_preshared_key")})
	}
	v, err := c.e().CreateVpnConnection(in)
	if err != nil {
		return c.fail("vpn_gateway_id", err)
	}
	c.created(string(v.ID), string(v.ID))
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "vpn-connection/"+string(v.ID)))
	for i, t := range v.Tunnels {
		n := strconv.Itoa(i + 1)
		c.set("tunnel"+n+"_address", t.OutsideIP.String())
		c.set("tunnel"+n+"_inside_cidr", t.InsideCIDR.String())
		c.set("tunnel"+n+"_preshared_key", t.PreSharedKey)
		c.set("tunnel"+n+"_vgw_inside_address", t.InsideCIDR.Addr().Next().String())
		c.set("tunnel"+n+"_cgw_inside_address", t.InsideCIDR.Addr().Next().Next().String())
	}
	return nil
}

func createVpnConnectionRoute(c *rctx) error {
	vpn, err := c.req("vpn_connection_id")
	if err != nil {
		return err
	}
	dest, err := c.req("destination_cidr_block")
	if err != nil {
		return err
	}
	if err := c.e().SetVpnConnectionRoute(model.VpnConnectionID(vpn), dest, true); err != nil {
		return c.fail("destination_cidr_block", err)
	}
	c.created(dest+":"+vpn, "")
	return nil
}

func createVgwPropagation(c *rctx) error {
	vgw, err := c.req("vpn_gateway_id")
	if err != nil {
		return err
	}
	rt, err := c.req("route_table_id")
	if err != nil {
		return err
	}
	if err := c.e().SetVgwRoutePropagation(model.RouteTableID(rt), model.VpnGatewayID(vgw), true); err != nil {
		return c.fail("vpn_gateway_id", err)
	}
	c.created(rt+"_"+vgw, "")
	return nil
}

// propagatingVgws enables aws_route_table's propagating_vgws.
func (c *rctx) propagatingVgws(rt model.RouteTableID) error {
	for _, g := range c.o.strs("propagating_vgws") {
		if err := c.e().SetVgwRoutePropagation(rt, model.VpnGatewayID(g), true); err != nil {
			return c.fail("propagating_vgws", err)
		}
	}
	return nil
}

// gatewayRTAssociation is aws_route_table_association with gateway_id.
func gatewayRTAssociation(c *rctx, rt string) error {
	gw, err := c.req("gateway_id")
	if err != nil {
		return err
	}
	id, err := c.e().AssociateRouteTableGateway(model.RouteTableID(rt), gw)
	if err != nil {
		return c.fail("gateway_id", err)
	}
	c.created(string(id), "")
	return nil
}
