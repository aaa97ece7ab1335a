package ec2

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Site-to-Site VPN: virtual private gateways, customer gateways and VPN
// connections.

func registerVPN(r *api.Registry) {
	add(r, "CreateVpnGateway", createVpnGateway)
	add(r, "DeleteVpnGateway", deleteVpnGateway)
	add(r, "DescribeVpnGateways", describeVpnGateways)
	add(r, "AttachVpnGateway", attachVpnGateway)
	add(r, "DetachVpnGateway", detachVpnGateway)
	add(r, "CreateCustomerGateway", createCustomerGateway)
	add(r, "DeleteCustomerGateway", deleteCustomerGateway)
	add(r, "DescribeCustomerGateways", describeCustomerGateways)
	add(r, "CreateVpnConnection", createVpnConnection)
	add(r, "DeleteVpnConnection", deleteVpnConnection)
	add(r, "DescribeVpnConnections", describeVpnConnections)
	add(r, "CreateVpnConnectionRoute", createVpnConnectionRoute)
	add(r, "DeleteVpnConnectionRoute", deleteVpnConnectionRoute)
}

func vpnGatewayOut(g *model.VpnGateway) map[string]any {
	atts := make([]any, len(g.Attachments))
	for i, a := range g.Attachments {
		atts[i] = map[string]any{"VpcId": a.VpcID, "State": a.State}
	}
	return map[string]any{"VpnGatewayId": g.ID, "State": g.State, "Type": g.Type, "AvailabilityZone": api.Str(g.AvailabilityZone),
		"AmazonSideAsn": g.AmazonSideAsn, "VpcAttachments": atts, "Tags": api.EC2Tags(g.Tags)}
}

func createVpnGateway(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "vpn-gateway")
	if err != nil {
		return nil, err
	}
	g, err := c.Engine.CreateVpnGateway(engine.CreateVpnGatewayInput{Type: c.In.String("Type"), AvailabilityZone: c.In.String("AvailabilityZone"),
		AmazonSideAsn: c.In.Int("AmazonSideAsn"), Tags: tags})
	if err != nil {
		return nil, err
	}
	// AWS answers the new gateway available (CreateVpnGateway's CLI and
	// PowerShell examples); only its attachments go through attaching.
	return map[string]any{"VpnGateway": vpnGatewayOut(g)}, nil
}

func vgwID(c *api.Call) model.VpnGatewayID { return model.VpnGatewayID(c.In.String("VpnGatewayId")) }

func deleteVpnGateway(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteVpnGateway(vgwID(c))
}

func attachVpnGateway(c *api.Call) (map[string]any, error) {
	vpc := model.VpcID(c.In.String("VpcId"))
	if err := c.Engine.AttachVpnGateway(vgwID(c), vpc); err != nil {
		return nil, err
	}
	// The attachment is answered while attaching (AttachVpnGateway's
	// example); DescribeVpnGateways shows it attached.
	return map[string]any{"VpcAttachment": map[string]any{"VpcId": vpc, "State": "attaching"}}, nil
}

func detachVpnGateway(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DetachVpnGateway(vgwID(c), model.VpcID(c.In.String("VpcId")))
}

func describeVpnGateways(c *api.Call) (map[string]any, error) {
	var items []*model.VpnGateway
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.VpnGateways, c.In.Strings("VpnGatewayIds"), func(id string) error {
			return apierr.Newf("InvalidVpnGatewayID.NotFound", "The virtual private gateway ID '%s' does not exist", id)
		})
	})
	if err != nil {
		return nil, err
	}
	type G = *model.VpnGateway
	attach := func(f func(model.VpcAttachment) string) func(G) []string {
		return func(g G) []string {
			var out []string
			for _, a := range g.Attachments {
				out = append(out, f(a))
			}
			return out
		}
	}
	fs := api.FilterSet[G]{
		Tags: func(g G) model.Tags { return g.Tags },
		Attrs: map[string]func(G) []string{
			"vpn-gateway-id":    func(g G) []string { return api.One(g.ID) },
			"state":             func(g G) []string { return []string{g.State} },
			"type":              func(g G) []string { return []string{g.Type} },
			"availability-zone": func(g G) []string { return api.One(g.AvailabilityZone) },
			"amazon-side-asn":   func(g G) []string { return []string{strconv.FormatInt(g.AmazonSideAsn, 10)} },
			"attachment.state":  attach(func(a model.VpcAttachment) string { return a.State }),
			"attachment.vpc-id": attach(func(a model.VpcAttachment) string { return string(a.VpcID) }),
		},
	}
	if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	items = api.SortBy(items, func(g G) string { return string(g.ID) })
	out := make([]any, len(items))
	for i, g := range items {
		o := vpnGatewayOut(g)
		// Describe carries the tagSet even when empty; Create leaves it out.
		o["Tags"] = api.TagList(g.Tags, "Key", "Value")
		out[i] = o
	}
	return map[string]any{"VpnGateways": out}, nil
}

func customerGatewayOut(g *model.CustomerGateway) map[string]any {
	out := map[string]any{"CustomerGatewayId": g.ID, "State": g.State, "Type": g.Type, "BgpAsn": strconv.FormatInt(g.BgpAsn, 10),
		"DeviceName": api.Str(g.DeviceName), "CertificateArn": api.Str(g.CertificateArn), "Tags": api.EC2Tags(g.Tags)}
	if g.IPAddress.IsValid() {
		out["IpAddress"] = g.IPAddress.String()
	}
	if g.BgpAsn > 2147483647 {
		out["BgpAsnExtended"] = strconv.FormatInt(g.BgpAsn, 10)
	}
	return out
}

func createCustomerGateway(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "customer-gateway")
	if err != nil {
		return nil, err
	}
	if c.In.Has("BgpAsn") && c.In.Has("BgpAsnExtended") {
		return nil, apierr.New("InvalidParameterCombination", "The parameters BgpAsn and BgpAsnExtended cannot be used together.")
	}
	asn := c.In.Int("BgpAsn")
	if c.In.Has("BgpAsnExtended") {
		asn = c.In.Int("BgpAsnExtended")
		if asn < 2147483648 || asn > 4294967295 {
			return nil, apierr.Newf("InvalidParameterValue", "Value (%d) for parameter bgpAsnExtended is invalid. Valid values: 2147483648 to 4294967295.", asn)
		}
	} else if c.In.Has("BgpAsn") && (asn < 1 || asn > 2147483647) {
		return nil, apierr.Newf("InvalidParameterValue", "Value (%d) for parameter bgpAsn is invalid. Valid values: 1 to 2147483647.", asn)
	}
	ip := c.In.String("IpAddress")
	if ip == "" {
		ip = c.In.String("PublicIp") // the older name of the parameter
	}
	g, err := c.Engine.CreateCustomerGateway(engine.CreateCustomerGatewayInput{Type: c.In.String("Type"), BgpAsn: asn, IPAddress: ip,
		DeviceName: c.In.String("DeviceName"), CertificateArn: c.In.String("CertificateArn"), Tags: tags})
	if err != nil {
		return nil, err
	}
	return map[string]any{"CustomerGateway": customerGatewayOut(g)}, nil
}

func deleteCustomerGateway(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteCustomerGateway(model.CustomerGatewayID(c.In.String("CustomerGatewayId")))
}

func describeCustomerGateways(c *api.Call) (map[string]any, error) {
	var items []*model.CustomerGateway
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.CustomerGateways, c.In.Strings("CustomerGatewayIds"), func(id string) error {
			return apierr.Newf("InvalidCustomerGatewayID.NotFound", "The customerGateway ID '%s' does not exist", id)
		})
	})
	if err != nil {
		return nil, err
	}
	type G = *model.CustomerGateway
	fs := api.FilterSet[G]{
		Tags: func(g G) model.Tags { return g.Tags },
		Attrs: map[string]func(G) []string{
			"customer-gateway-id": func(g G) []string { return api.One(g.ID) },
			"state":               func(g G) []string { return []string{g.State} },
			"type":                func(g G) []string { return []string{g.Type} },
			"bgp-asn":             func(g G) []string { return []string{strconv.FormatInt(g.BgpAsn, 10)} },
			"ip-address": func(g G) []string {
				if g.IPAddress.IsValid() {
					return []string{g.IPAddress.String()}
				}
				return nil
			},
		},
	}
	if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	items = api.SortBy(items, func(g G) string { return string(g.ID) })
	out := make([]any, len(items))
	for i, g := range items {
		out[i] = customerGatewayOut(g)
	}
	return map[string]any{"CustomerGateways": out}, nil
}

// customerGatewayConfiguration is the connection's configuration for the
// customer gateway device, in the generic XML format AWS returns with
// CreateVpnConnection and DescribeVpnConnections.
func customerGatewayConfiguration(c *model.VpnConnection, cgw *model.CustomerGateway, vgw *model.VpnGateway) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<vpn_connection id=\"%s\">\n", c.ID)
	fmt.Fprintf(&b, "  <customer_gateway_id>%s</customer_gateway_id>\n  <vpn_gateway_id>%s</vpn_gateway_id>\n", c.CustomerGatewayID, c.VpnGatewayID)
	b.WriteString("  <vpn_connection_type>ipsec.1</vpn_connection_type>\n")
	var cgwIP, cgwAsn string
	if cgw != nil {
		cgwIP, cgwAsn = cgw.IPAddress.String(), strconv.FormatInt(cgw.BgpAsn, 10)
	}
	var vgwAsn string
	if vgw != nil {
		vgwAsn = strconv.FormatInt(vgw.AmazonSideAsn, 10)
	}
	for _, t := range c.Tunnels {
		inside := t.InsideCIDR.Addr()
		vgwInside := inside.Next()
		cgwInside := vgwInside.Next()
		b.WriteString("  <ipsec_tunnel>\n    <customer_gateway>\n      <tunnel_outside_address>\n")
		fmt.Fprintf(&b, "        <ip_address>%s</ip_address>\n      </tunnel_outside_address>\n      <tunnel_inside_address>\n", cgwIP)
		fmt.Fprintf(&b, "        <ip_address>%s</ip_address>\n        <network_mask>255.255.255.252</network_mask>\n        <network_cidr>30</network_cidr>\n      </tunnel_inside_address>\n", cgwInside)
		if !c.StaticRoutesOnly {
			fmt.Fprintf(&b, "      <bgp>\n        <asn>%s</asn>\n        <hold_time>10</hold_time>\n      </bgp>\n", cgwAsn)
		}
		b.WriteString("    </customer_gateway>\n    <vpn_gateway>\n      <tunnel_outside_address>\n")
		fmt.Fprintf(&b, "        <ip_address>%s</ip_address>\n      </tunnel_outside_address>\n      <tunnel_inside_address>\n", t.OutsideIP)
		fmt.Fprintf(&b, "        <ip_address>%s</ip_address>\n        <network_mask>255.255.255.252</network_mask>\n        <network_cidr>30</network_cidr>\n      </tunnel_inside_address>\n", vgwInside)
		if !c.StaticRoutesOnly {
			fmt.Fprintf(&b, "      <bgp>\n        <asn>%s</asn>\n        <hold_time>10</hold_time>\n      </bgp>\n", vgwAsn)
		}
		b.WriteString("    </vpn_gateway>\n    <ike>\n      <authentication_protocol>sha1</authentication_protocol>\n      <encryption_protocol>aes-128-cbc</encryption_protocol>\n")
		b.WriteString("      <lifetime>28800</lifetime>\n      <perfect_forward_secrecy>group2</perfect_forward_secrecy>\n      <mode>main</mode>\n")
		fmt.Fprintf(&b, "      <pre_shared_key>%s</pre_shared_key>\n    </ike>\n", t.PreSharedKey)
		b.WriteString("    <ipsec>\n      <protocol>esp</protocol>\n      <authentication_protocol>hmac-sha1-96</authentication_protocol>\n")
		b.WriteString("      <encryption_protocol>aes-128-cbc</encryption_protocol>\n      <lifetime>3600</lifetime>\n      <perfect_forward_secrecy>group2</perfect_forward_secrecy>\n")
		b.WriteString("      <mode>tunnel</mode>\n      <clear_df_bit>true</clear_df_bit>\n      <fragmentation_before_encryption>true</fragmentation_before_encryption>\n")
		b.WriteString("      <tcp_mss_adjustment>1379</tcp_mss_adjustment>\n      <dead_peer_detection>\n        <delay>10</delay>\n        <retries>3</retries>\n      </dead_peer_detection>\n    </ipsec>\n  </ipsec_tunnel>\n")
	}
	b.WriteString("</vpn_connection>")
	return b.String()
}

func vpnConnectionOut(st *model.State, c *model.VpnConnection) map[string]any {
	routes := make([]any, len(c.Routes))
	for i, r := range c.Routes {
		routes[i] = map[string]any{"DestinationCidrBlock": r.Destination, "Source": "Static", "State": r.State}
	}
	tunnels := make([]any, len(c.Tunnels))
	telemetry := make([]any, len(c.Tunnels))
	for i, t := range c.Tunnels {
		tunnels[i] = map[string]any{"OutsideIpAddress": t.OutsideIP, "TunnelInsideCidr": t.InsideCIDR, "PreSharedKey": t.PreSharedKey}
		// No customer gateway device answers: the tunnels are down.
		telemetry[i] = map[string]any{"OutsideIpAddress": t.OutsideIP, "Status": "DOWN", "StatusMessage": "", "AcceptedRouteCount": 0,
			"LastStatusChange": api.Time(c.CreatedAt)}
	}
	out := map[string]any{
		"VpnConnectionId": c.ID, "State": c.State, "Type": c.Type, "CustomerGatewayId": c.CustomerGatewayID, "VpnGatewayId": c.VpnGatewayID,
		"Category": "VPN", "Routes": routes, "VgwTelemetry": telemetry, "Tags": api.EC2Tags(c.Tags),
		"Options": map[string]any{"StaticRoutesOnly": c.StaticRoutesOnly, "EnableAcceleration": false, "TunnelInsideIpVersion": "ipv4",
			"LocalIpv4NetworkCidr": c.LocalIPv4CIDR, "RemoteIpv4NetworkCidr": c.RemoteIPv4CIDR, "OutsideIpAddressType": "PublicIpv4",
			"TunnelOptions": tunnels},
	}
	if c.State != "deleted" {
		out["CustomerGatewayConfiguration"] = customerGatewayConfiguration(c, st.CustomerGateways[c.CustomerGatewayID], st.VpnGateways[c.VpnGatewayID])
	}
	return out
}

func createVpnConnection(c *api.Call) (map[string]any, error) {
	for _, name := range []string{"TransitGatewayId", "VpnConcentratorId"} {
		if c.In.Has(name) {
			return nil, apierr.Newf("UnsupportedOperation", "ecsnet models VPN connections to a virtual private gateway, not with %s.", name)
		}
	}
	tags, err := api.TagSpecs(c.In, "vpn-connection")
	if err != nil {
		return nil, err
	}
	opts := c.In.Struct("Options")
	in := engine.CreateVpnConnectionInput{Type: c.In.String("Type"), CustomerGatewayID: model.CustomerGatewayID(c.In.String("CustomerGatewayId")),
		VpnGatewayID: model.VpnGatewayID(c.In.String("VpnGatewayId")), StaticRoutesOnly: opts.Bool("StaticRoutesOnly"),
		LocalIPv4CIDR: opts.String("LocalIpv4NetworkCidr"), RemoteIPv4CIDR: opts.String("RemoteIpv4NetworkCidr"), Tags: tags}
	for _, t := range opts.Structs("TunnelOptions") {
		in.Tunnels = append(in.Tunnels, engine.VpnTunnelInput{InsideCIDR: t.String("TunnelInsideCidr"), PreSharedKey: t.String("PreSharedKey")})
	}
	vc, err := c.Engine.CreateVpnConnection(in)
	if err != nil {
		return nil, err
	}
	out := c.View(func(st *model.State) map[string]any { return vpnConnectionOut(st, vc) })
	// AWS answers while the connection is pending; DescribeVpnConnections
	// shows it available.
	out["State"] = "pending"
	return map[string]any{"VpnConnection": out}, nil
}

func deleteVpnConnection(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteVpnConnection(model.VpnConnectionID(c.In.String("VpnConnectionId")))
}

func createVpnConnectionRoute(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.SetVpnConnectionRoute(model.VpnConnectionID(c.In.String("VpnConnectionId")), c.In.String("DestinationCidrBlock"), true)
}

func deleteVpnConnectionRoute(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.SetVpnConnectionRoute(model.VpnConnectionID(c.In.String("VpnConnectionId")), c.In.String("DestinationCidrBlock"), false)
}

func describeVpnConnections(c *api.Call) (map[string]any, error) {
	var out []any
	var err error
	c.Engine.Read(func(st *model.State) {
		var items []*model.VpnConnection
		if items, err = byIDs(st.VpnConnections, c.In.Strings("VpnConnectionIds"), func(id string) error {
			return apierr.Newf("InvalidVpnConnectionID.NotFound", "The vpnConnection ID '%s' does not exist", id)
		}); err != nil {
			return
		}
		type V = *model.VpnConnection
		fs := api.FilterSet[V]{
			Tags: func(v V) model.Tags { return v.Tags },
			Attrs: map[string]func(V) []string{
				"vpn-connection-id":   func(v V) []string { return api.One(v.ID) },
				"state":               func(v V) []string { return []string{v.State} },
				"type":                func(v V) []string { return []string{v.Type} },
				"customer-gateway-id": func(v V) []string { return api.One(v.CustomerGatewayID) },
				"vpn-gateway-id":      func(v V) []string { return api.One(v.VpnGatewayID) },
				// The BGP ASN of the connection's customer gateway; ecsnet
				// connects VPN connections to virtual private gateways only.
				"bgp-asn": func(v V) []string {
					if g := st.CustomerGateways[v.CustomerGatewayID]; g != nil {
						return []string{strconv.FormatInt(g.BgpAsn, 10)}
					}
					return nil
				},
				"transit-gateway-id": func(V) []string { return nil },
				"option.static-routes-only": func(v V) []string {
					return api.Bool(v.StaticRoutesOnly)
				},
				"route.destination-cidr-block": func(v V) []string {
					var out []string
					for _, r := range v.Routes {
						out = append(out, r.Destination.String())
					}
					return out
				},
				"customer-gateway-configuration": func(v V) []string {
					return []string{customerGatewayConfiguration(v, st.CustomerGateways[v.CustomerGatewayID], st.VpnGateways[v.VpnGatewayID])}
				},
			},
		}
		if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
			return
		}
		items = api.SortBy(items, func(v V) string { return string(v.ID) })
		out = make([]any, len(items))
		for i, v := range items {
			out[i] = vpnConnectionOut(st, v)
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"VpnConnections": out}, nil
}

// associateRouteTableGateway answers AssociateRouteTable with GatewayId: a
// gateway route table (edge association).
func associateRouteTableGateway(c *api.Call) (map[string]any, error) {
	if c.In.Has("SubnetId") {
		// UNVERIFIED text: a subnet and a gateway cannot be given together.
		return nil, apierr.New("InvalidParameterCombination", "The parameter combination is not valid: specify either subnetId or gatewayId, not both.")
	}
	id, err := c.Engine.AssociateRouteTableGateway(model.RouteTableID(c.In.String("RouteTableId")), c.In.String("GatewayId"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"AssociationId": id, "AssociationState": map[string]any{"State": "associated"}}, nil
}
