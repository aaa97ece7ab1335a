package cfn

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Site-to-Site VPN resources and gateway route table associations.
const (
	typeVPNGateway            = "AWS::EC2::VPNGateway"
	typeCustomerGateway       = "AWS::EC2::CustomerGateway"
	typeVPNConnection         = "AWS::EC2::VPNConnection"
	typeVPNConnectionRoute    = "AWS::EC2::VPNConnectionRoute"
	typeVPNGatewayPropagation = "AWS::EC2::VPNGatewayRoutePropagation"
	typeGatewayRTAssociation  = "AWS::EC2::GatewayRouteTableAssociation"
)

func vpnHandler(typ string) (handler, bool) {
	switch typ {
	case typeVPNGateway:
		return createVPNGateway, true
	case typeCustomerGateway:
		return createCustomerGateway, true
	case typeVPNConnection:
		return createVPNConnection, true
	case typeVPNConnectionRoute:
		return createVPNConnectionRoute, true
	case typeVPNGatewayPropagation:
		return createVPNGatewayPropagation, true
	case typeGatewayRTAssociation:
		return createGatewayRTAssociation, true
	}
	return nil, false
}

func vpnProps(typ string) []string {
	switch typ {
	case typeVPNGateway:
		return []string{"AmazonSideAsn", "Tags", "Type"}
	case typeCustomerGateway:
		return []string{"BgpAsn", "BgpAsnExtended", "CertificateArn", "DeviceName", "IpAddress", "Tags", "Type"}
	case typeVPNConnection:
		return []string{"CustomerGatewayId", "EnableAcceleration", "LocalIpv4NetworkCidr", "LocalIpv6NetworkCidr", "OutsideIpAddressType",
			"PreSharedKeyStorage", "RemoteIpv4NetworkCidr", "RemoteIpv6NetworkCidr", "StaticRoutesOnly", "Tags", "TransitGatewayId",
			"TransportTransitGatewayAttachmentId", "TunnelBandwidth", "TunnelInsideIpVersion", "Type", "VpnConcentratorId",
			"VpnGatewayId", "VpnTunnelOptionsSpecifications"}
	case typeVPNConnectionRoute:
		return []string{"DestinationCidrBlock", "VpnConnectionId"}
	case typeVPNGatewayPropagation:
		return []string{"RouteTableIds", "VpnGatewayId"}
	case typeGatewayRTAssociation:
		return []string{"GatewayId", "RouteTableId"}
	}
	return nil
}

// AWS::EC2::VPNGateway. Ref: the gateway id.
func createVPNGateway(c *rctx) error {
	typ, err := c.p.req("Type")
	if err != nil {
		return err
	}
	asn, err := c.p.integer("AmazonSideAsn", 0)
	if err != nil {
		return err
	}
	tags, err := c.p.tags()
	if err != nil {
		return err
	}
	g, err := c.e().CreateVpnGateway(engine.CreateVpnGatewayInput{Type: typ, AmazonSideAsn: int64(asn), Tags: tags})
	if err != nil {
		return c.p.at("Type", err)
	}
	c.setRef(string(g.ID))
	c.set("VPNGatewayId", string(g.ID))
	return nil
}

// attachVPNGateway is AWS::EC2::VPCGatewayAttachment with VpnGatewayId.
func attachVPNGateway(c *rctx, vpc string) error {
	vgw, err := c.p.req("VpnGatewayId")
	if err != nil {
		return err
	}
	if err := c.e().AttachVpnGateway(model.VpnGatewayID(vgw), model.VpcID(vpc)); err != nil {
		return c.p.at("VpnGatewayId", err)
	}
	c.setRef("VGW|" + vpc)
	c.keep("VpnGatewayId", vgw)
	c.keep("VpcId", vpc)
	c.set("AttachmentType", "VGW")
	c.set("VpcId", vpc)
	return nil
}

// AWS::EC2::CustomerGateway. Ref: the gateway id.
func createCustomerGateway(c *rctx) error {
	p := c.p
	typ, err := p.req("Type")
	if err != nil {
		return err
	}
	ip, err := p.str("IpAddress")
	if err != nil {
		return err
	}
	asn, err := p.integer("BgpAsn", 0)
	if err != nil {
		return err
	}
	if p.has("BgpAsnExtended") {
		if asn, err = p.integer("BgpAsnExtended", 0); err != nil {
			return err
		}
	}
	dev, err := p.str("DeviceName")
	if err != nil {
		return err
	}
	cert, err := p.str("CertificateArn")
	if err != nil {
		return err
	}
	tags, err := p.tags()
	if err != nil {
		return err
	}
	g, err := c.e().CreateCustomerGateway(engine.CreateCustomerGatewayInput{Type: typ, BgpAsn: int64(asn), IPAddress: ip, DeviceName: dev,
		CertificateArn: cert, Tags: tags})
	if err != nil {
		return p.at("IpAddress", err)
	}
	c.setRef(string(g.ID))
	c.set("CustomerGatewayId", string(g.ID))
	return nil
}

// AWS::EC2::VPNConnection. Ref: the connection id. A connection to a
// transit gateway is skipped (transit gateways are not modeled here).
func createVPNConnection(c *rctx) error {
	p := c.p
	if p.has("TransitGatewayId") {
		return c.skipAs("VPN connections to a transit gateway are not modeled by ecsnet; traffic through it is not analyzed")
	}
	in := engine.CreateVpnConnectionInput{}
	var err error
	if in.Type, err = p.req("Type"); err != nil {
		return err
	}
	cgw, err := p.req("CustomerGatewayId")
	if err != nil {
		return err
	}
	vgw, err := p.req("VpnGatewayId")
	if err != nil {
		return err
	}
	in.CustomerGatewayID, in.VpnGatewayID = model.CustomerGatewayID(cgw), model.VpnGatewayID(vgw)
	static, err := p.boolean("StaticRoutesOnly")
	if err != nil {
		return err
	}
	in.StaticRoutesOnly = static != nil && *static
	if in.LocalIPv4CIDR, err = p.str("LocalIpv4NetworkCidr"); err != nil {
		return err
	}
	if in.RemoteIPv4CIDR, err = p.str("RemoteIpv4NetworkCidr"); err != nil {
		return err
	}
	tunnels, err := p.objects("VpnTunnelOptionsSpecifications")
	if err != nil {
		return err
	}
	for _, t := range tunnels {
		var ti engine.VpnTunnelInput
		if ti.InsideCIDR, err = t.str("TunnelInsideCidr"); err != nil {
			return err
		}
		if ti.PreSharedKey, err = t.str("PreSharedKey"); err != nil {
			return err
		}
		in.Tunnels = append(in.Tunnels, ti)
	}
	if in.Tags, err = p.tags(); err != nil {
		return err
	}
	v, err := c.e().CreateVpnConnection(in)
	if err != nil {
		return p.at("VpnGatewayId", err)
	}
	c.setRef(string(v.ID))
	c.set("VpnConnectionId", string(v.ID))
	return nil
}

// AWS::EC2::VPNConnectionRoute. Ref: "<connection id>|<destination>".
func createVPNConnectionRoute(c *rctx) error {
	vpn, err := c.p.req("VpnConnectionId")
	if err != nil {
		return err
	}
	dest, err := c.p.req("DestinationCidrBlock")
	if err != nil {
		return err
	}
	if err := c.e().SetVpnConnectionRoute(model.VpnConnectionID(vpn), dest, true); err != nil {
		return c.p.at("DestinationCidrBlock", err)
	}
	c.setRef(vpn + "|" + dest)
	return nil
}

// AWS::EC2::VPNGatewayRoutePropagation. Ref: a generated id; the gateway
// and route tables are kept for deletion.
func createVPNGatewayPropagation(c *rctx) error {
	vgw, err := c.p.req("VpnGatewayId")
	if err != nil {
		return err
	}
	rts, err := c.p.strs("RouteTableIds")
	if err != nil {
		return err
	}
	for _, rt := range rts {
		if err := c.e().SetVgwRoutePropagation(model.RouteTableID(rt), model.VpnGatewayID(vgw), true); err != nil {
			return c.p.at("RouteTableIds", err)
		}
	}
	c.setRef(c.s.physicalName(c.r.def.name, 128))
	c.keep("VpnGatewayId", vgw)
	c.keep("RouteTableIds", strings.Join(rts, ","))
	return nil
}

// AWS::EC2::GatewayRouteTableAssociation. Ref and AssociationId: the
// association id.
func createGatewayRTAssociation(c *rctx) error {
	gw, err := c.p.req("GatewayId")
	if err != nil {
		return err
	}
	rt, err := c.p.req("RouteTableId")
	if err != nil {
		return err
	}
	id, err := c.e().AssociateRouteTableGateway(model.RouteTableID(rt), gw)
	if err != nil {
		return c.p.at("GatewayId", err)
	}
	c.setRef(string(id))
	c.set("AssociationId", string(id))
	return nil
}

// deleteVPN deletes a resource of vpnHandler's types; ok is false for
// other types.
func deleteVPN(e *engine.Engine, r Resource) (bool, error) {
	id := r.PhysicalID
	switch r.Type {
	case typeVPNGateway:
		return true, e.DeleteVpnGateway(model.VpnGatewayID(id))
	case typeCustomerGateway:
		return true, e.DeleteCustomerGateway(model.CustomerGatewayID(id))
	case typeVPNConnection:
		return true, e.DeleteVpnConnection(model.VpnConnectionID(id))
	case typeVPNConnectionRoute:
		vpn, dest, _ := strings.Cut(id, "|")
		return true, e.SetVpnConnectionRoute(model.VpnConnectionID(vpn), dest, false)
	case typeVPNGatewayPropagation:
		for _, rt := range strings.Split(r.Keys["RouteTableIds"], ",") {
			if rt == "" {
				continue
			}
			if err := e.SetVgwRoutePropagation(model.RouteTableID(rt), model.VpnGatewayID(r.Keys["VpnGatewayId"]), false); err != nil {
				return true, err
			}
		}
		return true, nil
	case typeGatewayRTAssociation:
		return true, e.DisassociateRouteTable(model.RouteTableAssocID(id))
	case typeGatewayAttachment:
		if vgw := r.Keys["VpnGatewayId"]; vgw != "" {
			return true, e.DetachVpnGateway(model.VpnGatewayID(vgw), model.VpcID(r.Keys["VpcId"]))
		}
	}
	return false, nil
}
