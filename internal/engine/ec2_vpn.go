package engine

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Site-to-Site VPN: virtual private gateways, customer gateways, VPN
// connections, routes to a virtual private gateway, route propagation and
// gateway (edge) route table associations. docs/aws-behavior.md, "Site-to-
// Site VPN", gives the sources.

// defaultAmazonSideAsn is a virtual private gateway's ASN when none is
// given (CreateVpnGateway: 64512).
const defaultAmazonSideAsn = 64512

// defaultCustomerBgpAsn is a customer gateway's ASN when none is given
// (CreateCustomerGateway: 65000).
const defaultCustomerBgpAsn = 65000

func errVgwNotFound(id model.VpnGatewayID) error {
	return apierr.Newf("InvalidVpnGatewayID.NotFound", "The virtual private gateway ID '%s' does not exist", id)
}

func errCgwNotFound(id model.CustomerGatewayID) error {
	return apierr.Newf("InvalidCustomerGatewayID.NotFound", "The customerGateway ID '%s' does not exist", id)
}

func errVpnNotFound(id model.VpnConnectionID) error {
	return apierr.Newf("InvalidVpnConnectionID.NotFound", "The vpnConnection ID '%s' does not exist", id)
}

// vgw returns a virtual private gateway that is not deleted.
func (t *txn) vgw(id model.VpnGatewayID) (*model.VpnGateway, error) {
	g := t.st.VpnGateways[id]
	if g == nil || g.State == "deleted" {
		return nil, errVgwNotFound(id)
	}
	return g, nil
}

func (t *txn) cgw(id model.CustomerGatewayID) (*model.CustomerGateway, error) {
	g := t.st.CustomerGateways[id]
	if g == nil || g.State == "deleted" {
		return nil, errCgwNotFound(id)
	}
	return g, nil
}

func (t *txn) vpn(id model.VpnConnectionID) (*model.VpnConnection, error) {
	c := t.st.VpnConnections[id]
	if c == nil || c.State == "deleted" {
		return nil, errVpnNotFound(id)
	}
	return c, nil
}

func checkGatewayType(typ string) error {
	switch typ {
	case "":
		return errMissingParameter("type")
	case "ipsec.1":
		return nil
	}
	return errInvalidParameterValue("Value (%s) for parameter type is invalid. Valid values: ipsec.1", typ)
}

// CreateVpnGatewayInput is CreateVpnGateway's input.
type CreateVpnGatewayInput struct {
	Type             string
	AvailabilityZone string
	AmazonSideAsn    int64 // 0: the default
	Tags             model.Tags
}

// CreateVpnGateway creates a detached virtual private gateway.
func (e *Engine) CreateVpnGateway(in CreateVpnGatewayInput) (*model.VpnGateway, error) {
	if err := checkGatewayType(in.Type); err != nil {
		return nil, err
	}
	asn := in.AmazonSideAsn
	if asn == 0 {
		asn = defaultAmazonSideAsn
	}
	if !(asn >= 64512 && asn <= 65534) && !(asn >= 4200000000 && asn <= 4294967294) {
		return nil, errInvalidParameterValue("The amazonSideAsn %d is not valid. A 16-bit ASN must be in the range 64512 to 65534; a 32-bit ASN in the range 4200000000 to 4294967294.", asn)
	}
	var out *model.VpnGateway
	err := e.write(func(t *txn) error {
		out = &model.VpnGateway{ID: model.VpnGatewayID(t.newID("vgw")), Type: in.Type, AvailabilityZone: in.AvailabilityZone,
			AmazonSideAsn: asn, State: "available", Tags: in.Tags.Clone(), CreatedAt: t.now}
		put(t, model.KindVpnGateway, t.st.VpnGateways, out.ID, out)
		return nil
	})
	return out, err
}

// AttachVpnGateway attaches a virtual private gateway to a VPC. A gateway
// attaches to one VPC at a time, and a VPC takes one gateway.
func (e *Engine) AttachVpnGateway(id model.VpnGatewayID, vpc model.VpcID) error {
	return e.write(func(t *txn) error {
		if vpc == "" {
			return errMissingParameter("vpcId")
		}
		g, err := t.vgw(id)
		if err != nil {
			return err
		}
		if _, err := t.vpc(vpc); err != nil {
			return err
		}
		if cur := g.AttachedVpc(); cur != "" {
			// UNVERIFIED text; the code is EC2's (errors-overview.md).
			return apierr.Newf("VpnGatewayAttachmentLimitExceeded", "The virtual private gateway %s is already attached to %s; a virtual private gateway attaches to one VPC at a time.", id, cur)
		}
		if other := t.st.VpcVpnGateway(vpc); other != nil {
			return apierr.Newf("VpnGatewayAttachmentLimitExceeded", "The VPC %s already has the virtual private gateway %s attached; a VPC takes one virtual private gateway.", vpc, other.ID)
		}
		c := *g
		c.Attachments = []model.VpcAttachment{{VpcID: vpc, State: "attached"}}
		put(t, model.KindVpnGateway, t.st.VpnGateways, c.ID, &c)
		return nil
	})
}

// DetachVpnGateway detaches a virtual private gateway from its VPC. Its
// routes become blackholes; the detached attachment stays listed.
func (e *Engine) DetachVpnGateway(id model.VpnGatewayID, vpc model.VpcID) error {
	return e.write(func(t *txn) error {
		if vpc == "" {
			return errMissingParameter("vpcId")
		}
		g, err := t.vgw(id)
		if err != nil {
			return err
		}
		if _, err := t.vpc(vpc); err != nil {
			return err
		}
		if g.AttachedVpc() != vpc {
			// UNVERIFIED text; the code is EC2's (errors-overview.md).
			return apierr.Newf("InvalidVpnGatewayAttachment.NotFound", "The attachment with vpn gateway ID '%s' and vpc ID '%s' does not exist", id, vpc)
		}
		if rt := t.gatewayAssociation(string(id)); rt != nil {
			return apierr.Newf("DependencyViolation", "The virtual private gateway %s is associated with route table %s. Disassociate it before detaching it.", id, rt.ID)
		}
		c := *g
		c.Attachments = []model.VpcAttachment{{VpcID: vpc, State: "detached"}}
		put(t, model.KindVpnGateway, t.st.VpnGateways, c.ID, &c)
		for _, rt := range t.st.RouteTables {
			if rt.VpcID == vpc && slices.Contains(rt.PropagatingVgws, id) {
				n := cloneRT(rt)
				n.PropagatingVgws = slices.DeleteFunc(n.PropagatingVgws, func(v model.VpnGatewayID) bool { return v == id })
				put(t, model.KindRouteTable, t.st.RouteTables, n.ID, n)
			}
		}
		return nil
	})
}

// DeleteVpnGateway deletes a detached virtual private gateway with no VPN
// connection. It stays visible in state deleted.
func (e *Engine) DeleteVpnGateway(id model.VpnGatewayID) error {
	return e.write(func(t *txn) error {
		g, err := t.vgw(id)
		if err != nil {
			return err
		}
		if vpc := g.AttachedVpc(); vpc != "" {
			// UNVERIFIED text: AWS requires the gateway detached first
			// (DeleteVpnGateway).
			return apierr.Newf("IncorrectState", "The virtual private gateway %s is attached to %s. Detach it before deleting it.", id, vpc)
		}
		for _, c := range t.st.VpnConnections {
			if c.VpnGatewayID == id && c.State != "deleted" {
				return apierr.Newf("IncorrectState", "The virtual private gateway %s is used by the VPN connection %s. Delete the connection first.", id, c.ID)
			}
		}
		c := *g
		c.State = "deleted"
		c.Attachments = nil
		put(t, model.KindVpnGateway, t.st.VpnGateways, c.ID, &c)
		return nil
	})
}

// SetVgwRoutePropagation enables or disables the propagation of a virtual
// private gateway's routes to a route table of the VPC it is attached to.
func (e *Engine) SetVgwRoutePropagation(rtb model.RouteTableID, id model.VpnGatewayID, enable bool) error {
	return e.write(func(t *txn) error {
		if rtb == "" {
			return errMissingParameter("routeTableId")
		}
		if id == "" {
			return errMissingParameter("gatewayId")
		}
		rt, err := t.routeTable(rtb)
		if err != nil {
			return err
		}
		if err := checkID(string(id), "vgw", "InvalidVpnGatewayID.Malformed"); err != nil {
			return err
		}
		g, err := t.vgw(id)
		if err != nil {
			return err
		}
		has := slices.Contains(rt.PropagatingVgws, id)
		if enable == has {
			return nil
		}
		if enable && g.AttachedVpc() != rt.VpcID {
			// UNVERIFIED text (the code is the one DetachInternetGateway
			// uses for a gateway not attached to the network).
			return apierr.Newf("Gateway.NotAttached", "resource %s is not attached to network %s", id, rt.VpcID)
		}
		c := cloneRT(rt)
		if enable {
			c.PropagatingVgws = append(c.PropagatingVgws, id)
		} else {
			c.PropagatingVgws = slices.DeleteFunc(c.PropagatingVgws, func(v model.VpnGatewayID) bool { return v == id })
		}
		put(t, model.KindRouteTable, t.st.RouteTables, c.ID, c)
		return nil
	})
}

// CreateCustomerGatewayInput is CreateCustomerGateway's input.
type CreateCustomerGatewayInput struct {
	Type           string
	BgpAsn         int64 // 0: the default
	IPAddress      string
	DeviceName     string
	CertificateArn string
	Tags           model.Tags
}

// CreateCustomerGateway records a customer gateway device. An identical
// request (type, address, ASN and device name) returns the existing
// gateway instead of creating one.
func (e *Engine) CreateCustomerGateway(in CreateCustomerGatewayInput) (*model.CustomerGateway, error) {
	if err := checkGatewayType(in.Type); err != nil {
		return nil, err
	}
	asn := in.BgpAsn
	if asn == 0 {
		asn = defaultCustomerBgpAsn
	}
	if asn < 1 || asn > 4294967295 {
		return nil, errInvalidParameterValue("Value (%d) for parameter bgpAsn is invalid. Valid values: 1 to 4294967295.", asn)
	}
	var ip netip.Addr
	switch {
	case in.IPAddress != "":
		a, err := netip.ParseAddr(in.IPAddress)
		if err != nil || !a.Is4() {
			return nil, errInvalidParameterValue("Value (%s) for parameter ipAddress is invalid. The customer gateway IP address must be a valid IPv4 address.", in.IPAddress)
		}
		ip = a
	case in.CertificateArn == "":
		return nil, errMissingParameter("ipAddress")
	}
	var out *model.CustomerGateway
	err := e.write(func(t *txn) error {
		for _, g := range t.st.CustomerGateways {
			if g.State == "available" && g.Type == in.Type && g.IPAddress == ip && g.BgpAsn == asn && g.DeviceName == in.DeviceName {
				out = g
				return nil
			}
		}
		out = &model.CustomerGateway{ID: model.CustomerGatewayID(t.newID("cgw")), Type: in.Type, BgpAsn: asn, IPAddress: ip,
			DeviceName: in.DeviceName, CertificateArn: in.CertificateArn, State: "available", Tags: in.Tags.Clone()}
		put(t, model.KindCustomerGateway, t.st.CustomerGateways, out.ID, out)
		return nil
	})
	return out, err
}

// DeleteCustomerGateway deletes a customer gateway no VPN connection uses.
// It stays visible in state deleted.
func (e *Engine) DeleteCustomerGateway(id model.CustomerGatewayID) error {
	return e.write(func(t *txn) error {
		g, err := t.cgw(id)
		if err != nil {
			return err
		}
		for _, c := range t.st.VpnConnections {
			if c.CustomerGatewayID == id && c.State != "deleted" {
				// UNVERIFIED text: AWS requires the VPN connection deleted
				// first (DeleteCustomerGateway).
				return apierr.Newf("IncorrectState", "The customer gateway %s is used by the VPN connection %s. Delete the connection first.", id, c.ID)
			}
		}
		c := *g
		c.State = "deleted"
		put(t, model.KindCustomerGateway, t.st.CustomerGateways, c.ID, &c)
		return nil
	})
}

// VpnTunnelInput is one tunnel's options (VpnTunnelOptionsSpecification).
type VpnTunnelInput struct {
	InsideCIDR   string
	PreSharedKey string
}

// CreateVpnConnectionInput is CreateVpnConnection's input.
type CreateVpnConnectionInput struct {
	Type              string
	CustomerGatewayID model.CustomerGatewayID
	VpnGatewayID      model.VpnGatewayID
	StaticRoutesOnly  bool
	LocalIPv4CIDR     string
	RemoteIPv4CIDR    string
	Tunnels           []VpnTunnelInput
	Tags              model.Tags
}

// reservedInsideCIDRs are the /30 blocks of 169.254.0.0/16 a tunnel may
// not use (VpnTunnelOptionsSpecification.TunnelInsideCidr).
var reservedInsideCIDRs = []string{"169.254.0.0/30", "169.254.1.0/30", "169.254.2.0/30", "169.254.3.0/30",
	"169.254.4.0/30", "169.254.5.0/30", "169.254.169.252/30"}

func checkInsideCIDR(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	linkLocal := netip.MustParsePrefix("169.254.0.0/16")
	if err != nil || p.Bits() != 30 || !linkLocal.Contains(p.Addr()) || p.Masked() != p {
		return netip.Prefix{}, errInvalidParameterValue("The tunnel inside CIDR %s is not valid. It must be a /30 CIDR block from the 169.254.0.0/16 range.", s)
	}
	if slices.Contains(reservedInsideCIDRs, p.String()) {
		return netip.Prefix{}, errInvalidParameterValue("The tunnel inside CIDR %s is reserved and cannot be used.", s)
	}
	return p, nil
}

func checkPreSharedKey(k string) error {
	ok := len(k) >= 8 && len(k) <= 64 && k[0] != '0'
	for _, r := range k {
		ok = ok && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_')
	}
	if !ok {
		return errInvalidParameterValue("The pre-shared key is not valid. It must be 8 to 64 characters of letters, digits, periods and underscores, and cannot start with zero.")
	}
	return nil
}

const pskAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._"

// CreateVpnConnection creates a VPN connection between a virtual private
// gateway and a customer gateway: two tunnels, each with an outside
// address on the Amazon side, an inside /30 and a pre-shared key.
func (e *Engine) CreateVpnConnection(in CreateVpnConnectionInput) (*model.VpnConnection, error) {
	if err := checkGatewayType(in.Type); err != nil {
		return nil, err
	}
	if in.CustomerGatewayID == "" {
		return nil, errMissingParameter("customerGatewayId")
	}
	if in.VpnGatewayID == "" {
		return nil, apierr.New("MissingParameter", "The request must contain either a VpnGatewayId or a TransitGatewayId.")
	}
	if len(in.Tunnels) > 2 {
		return nil, errInvalidParameterValue("A VPN connection has two tunnels; %d tunnel options were given.", len(in.Tunnels))
	}
	cidr := func(name, s string) (netip.Prefix, error) {
		if s == "" {
			return netip.MustParsePrefix("0.0.0.0/0"), nil
		}
		p, err := netip.ParsePrefix(s)
		if err != nil || !p.Addr().Is4() {
			return netip.Prefix{}, errBadCIDR(name, s)
		}
		return p.Masked(), nil
	}
	local, err := cidr("localIpv4NetworkCidr", in.LocalIPv4CIDR)
	if err != nil {
		return nil, err
	}
	remote, err := cidr("remoteIpv4NetworkCidr", in.RemoteIPv4CIDR)
	if err != nil {
		return nil, err
	}
	var out *model.VpnConnection
	err = e.write(func(t *txn) error {
		if _, err := t.cgw(in.CustomerGatewayID); err != nil {
			return err
		}
		if _, err := t.vgw(in.VpnGatewayID); err != nil {
			return err
		}
		c := &model.VpnConnection{ID: model.VpnConnectionID(t.newID("vpn")), Type: in.Type, CustomerGatewayID: in.CustomerGatewayID,
			VpnGatewayID: in.VpnGatewayID, State: "available", StaticRoutesOnly: in.StaticRoutesOnly, LocalIPv4CIDR: local,
			RemoteIPv4CIDR: remote, Tags: in.Tags.Clone(), CreatedAt: t.now}
		used := map[netip.Prefix]bool{}
		for _, o := range t.st.VpnConnections {
			if o.VpnGatewayID == in.VpnGatewayID && o.State != "deleted" {
				for _, tu := range o.Tunnels {
					used[tu.InsideCIDR] = true
				}
			}
		}
		for i := 0; i < 2; i++ {
			var ti VpnTunnelInput
			if i < len(in.Tunnels) {
				ti = in.Tunnels[i]
			}
			var tu model.VpnTunnel
			if ti.InsideCIDR != "" {
				p, err := checkInsideCIDR(ti.InsideCIDR)
				if err != nil {
					return err
				}
				if used[p] {
					// UNVERIFIED text: inside CIDRs are unique per
					// virtual private gateway.
					return errInvalidParameterValue("The tunnel inside CIDR %s is already used by a VPN connection of %s.", p, in.VpnGatewayID)
				}
				tu.InsideCIDR = p
			} else {
				for {
					v := uint32(t.e.ids.Uint64()%(1<<14)) << 2
					p := netip.PrefixFrom(addrAdd(netip.MustParseAddr("169.254.0.0"), v), 30)
					if !used[p] && !slices.Contains(reservedInsideCIDRs, p.String()) {
						tu.InsideCIDR = p
						break
					}
				}
			}
			used[tu.InsideCIDR] = true
			if ti.PreSharedKey != "" {
				if err := checkPreSharedKey(ti.PreSharedKey); err != nil {
					return err
				}
				tu.PreSharedKey = ti.PreSharedKey
			} else {
				var b strings.Builder
				b.WriteByte(pskAlphabet[t.e.ids.Uint64()%52])
				for b.Len() < 32 {
					b.WriteByte(pskAlphabet[t.e.ids.Uint64()%uint64(len(pskAlphabet))])
				}
				tu.PreSharedKey = b.String()
			}
			ip, err := t.allocPublicIP(netip.Addr{})
			if err != nil {
				return err
			}
			tu.OutsideIP = ip
			t.holdPublicIP(ip, string(c.ID), true)
			c.Tunnels = append(c.Tunnels, tu)
		}
		put(t, model.KindVpnConnection, t.st.VpnConnections, c.ID, c)
		out = c
		return nil
	})
	return out, err
}

// DeleteVpnConnection deletes a VPN connection; it stays visible in state
// deleted, without its routes.
func (e *Engine) DeleteVpnConnection(id model.VpnConnectionID) error {
	return e.write(func(t *txn) error {
		if id == "" {
			return errMissingParameter("vpnConnectionId")
		}
		v, err := t.vpn(id)
		if err != nil {
			return err
		}
		c := *v
		if c.State != "deleted" {
			for _, tu := range c.Tunnels {
				t.holdPublicIP(tu.OutsideIP, string(c.ID), false)
			}
		}
		c.State = "deleted"
		c.Routes = nil
		put(t, model.KindVpnConnection, t.st.VpnConnections, c.ID, &c)
		return nil
	})
}

// SetVpnConnectionRoute adds (or removes) a static route of a VPN
// connection that uses static routing.
func (e *Engine) SetVpnConnectionRoute(id model.VpnConnectionID, dest string, add bool) error {
	return e.write(func(t *txn) error {
		if id == "" {
			return errMissingParameter("vpnConnectionId")
		}
		if dest == "" {
			return errMissingParameter("destinationCidrBlock")
		}
		p, err := parseIPv4Prefix("destinationCidrBlock", dest)
		if err != nil {
			return err
		}
		p = p.Masked()
		v, err := t.vpn(id)
		if err != nil {
			return err
		}
		if !v.StaticRoutesOnly {
			// UNVERIFIED code and text: static routes belong to
			// connections with StaticRoutesOnly (VPNRoutingTypes.md).
			return apierr.Newf("InvalidVpnConnection.InvalidType", "The VPN connection %s uses dynamic (BGP) routing; static routes need a connection created with StaticRoutesOnly.", id)
		}
		i := slices.IndexFunc(v.Routes, func(r model.VpnStaticRoute) bool { return r.Destination == p })
		c := *v
		c.Routes = slices.Clone(v.Routes)
		switch {
		case add && i >= 0:
			return apierr.Newf("RouteAlreadyExists", "The route identified by %s already exists.", p)
		case add:
			c.Routes = append(c.Routes, model.VpnStaticRoute{Destination: p, State: "available"})
		case i < 0:
			return apierr.Newf("InvalidRoute.NotFound", "no route with destination-cidr-block %s in VPN connection %s", p, id)
		default:
			c.Routes = slices.Delete(c.Routes, i, i+1)
		}
		put(t, model.KindVpnConnection, t.st.VpnConnections, c.ID, &c)
		return nil
	})
}

// gatewayAssociation returns the route table a gateway is edge-associated
// with, if any.
func (t *txn) gatewayAssociation(gw string) *model.RouteTable {
	for _, rt := range t.st.RouteTables {
		for _, a := range rt.Associations {
			if a.GatewayID == gw {
				return rt
			}
		}
	}
	return nil
}

// AssociateRouteTableGateway associates a route table with an internet
// gateway or virtual private gateway attached to its VPC (a gateway route
// table): traffic entering the VPC through the gateway is routed by it.
func (e *Engine) AssociateRouteTableGateway(id model.RouteTableID, gw string) (model.RouteTableAssocID, error) {
	var out model.RouteTableAssocID
	err := e.write(func(t *txn) error {
		rt, err := t.routeTable(id)
		if err != nil {
			return err
		}
		var vpc model.VpcID
		switch {
		case strings.HasPrefix(gw, "igw-"):
			g, err := t.igw(model.InternetGatewayID(gw))
			if err != nil {
				return err
			}
			vpc = g.VpcID
		case strings.HasPrefix(gw, "vgw-"):
			g, err := t.vgw(model.VpnGatewayID(gw))
			if err != nil {
				return err
			}
			vpc = g.AttachedVpc()
		default:
			// UNVERIFIED text: only internet gateways and virtual private
			// gateways take a gateway route table (gateway-route-tables.md).
			return errInvalidParameterValue("Invalid value '%s' for gatewayId. Only an internet gateway or a virtual private gateway can be associated with a route table.", gw)
		}
		if vpc != rt.VpcID {
			return errInvalidParameterValue("route table %s and network gateway %s belong to different networks", id, gw)
		}
		if other := t.gatewayAssociation(gw); other != nil {
			return apierr.Newf("Resource.AlreadyAssociated", "the specified association for route table %s conflicts with an existing association", id)
		}
		c := cloneRT(rt)
		out = model.RouteTableAssocID(t.newID("rtbassoc"))
		c.Associations = append(c.Associations, model.RouteTableAssociation{ID: out, GatewayID: gw})
		put(t, model.KindRouteTable, t.st.RouteTables, c.ID, c)
		return nil
	})
	return out, err
}

// vgwRoute completes a route whose target is a virtual private gateway
// (CreateRoute/ReplaceRoute with GatewayId vgw-…): the gateway must be
// attached to the route table's VPC.
func (t *txn) vgwRoute(rt *model.RouteTable, r model.Route, id model.VpnGatewayID) (model.Route, error) {
	g, err := t.vgw(id)
	if err != nil {
		return r, err
	}
	if g.AttachedVpc() != rt.VpcID {
		return r, errInvalidParameterValue("route table %s and network gateway %s belong to different networks", rt.ID, id)
	}
	r.Target, r.TargetID = model.TargetVpnGateway, string(id)
	return r, nil
}
