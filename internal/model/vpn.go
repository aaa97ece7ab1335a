package model

import (
	"net/netip"
	"time"
)

// Identifiers of Site-to-Site VPN resources.
type (
	VpnGatewayID      string // vgw-…
	CustomerGatewayID string // cgw-…
	VpnConnectionID   string // vpn-…
)

// VpcAttachment is a virtual private gateway's attachment to a VPC: its
// State is attaching, attached, detaching or detached.
type VpcAttachment struct {
	VpcID VpcID
	State string
}

// VpnGateway is a virtual private gateway: the VPN concentrator on the
// Amazon side of a Site-to-Site VPN connection. It attaches to one VPC at
// a time; routes that name it send traffic out of the VPC to the
// on-premises network behind its VPN connections.
type VpnGateway struct {
	ID               VpnGatewayID
	Type             string // ipsec.1
	AvailabilityZone string // as given on creation; AWS ignores it otherwise
	AmazonSideAsn    int64
	// State is available, or deleted (a deleted gateway stays visible).
	State string
	// Attachments holds the current attachment and the last detached one,
	// as DescribeVpnGateways shows them.
	Attachments []VpcAttachment
	Tags        Tags
	CreatedAt   time.Time
}

// AttachedVpc returns the VPC the gateway is attached (or attaching) to.
func (g *VpnGateway) AttachedVpc() VpcID {
	if g == nil {
		return ""
	}
	for _, a := range g.Attachments {
		if a.State == "attached" || a.State == "attaching" {
			return a.VpcID
		}
	}
	return ""
}

// CustomerGateway is the customer's side of a Site-to-Site VPN
// connection: a device at a public address with a BGP ASN.
type CustomerGateway struct {
	ID             CustomerGatewayID
	Type           string // ipsec.1
	BgpAsn         int64
	IPAddress      netip.Addr
	DeviceName     string
	CertificateArn string
	// State is available or deleted (a deleted gateway stays visible).
	State string
	Tags  Tags
}

// VpnTunnel is one of a VPN connection's two tunnels.
type VpnTunnel struct {
	OutsideIP    netip.Addr   // the Amazon side's public address
	InsideCIDR   netip.Prefix // a /30 in 169.254.0.0/16
	PreSharedKey string
}

// VpnStaticRoute is a static route of a VPN connection: traffic to
// Destination goes over the connection to the customer gateway.
type VpnStaticRoute struct {
	Destination netip.Prefix
	State       string // available, deleted
}

// VpnConnection is a Site-to-Site VPN connection between a virtual
// private gateway and a customer gateway, over two IPsec tunnels.
type VpnConnection struct {
	ID                VpnConnectionID
	Type              string // ipsec.1
	CustomerGatewayID CustomerGatewayID
	VpnGatewayID      VpnGatewayID
	// State is available or deleted (a deleted connection stays visible).
	State            string
	StaticRoutesOnly bool
	LocalIPv4CIDR    netip.Prefix // the on-premises side (default 0.0.0.0/0)
	RemoteIPv4CIDR   netip.Prefix // the AWS side (default 0.0.0.0/0)
	Tunnels          []VpnTunnel
	Routes           []VpnStaticRoute
	Tags             Tags
	CreatedAt        time.Time
}

// VpcVpnGateway returns the virtual private gateway attached to vpc, if
// any.
func (s *State) VpcVpnGateway(vpc VpcID) *VpnGateway {
	for _, g := range s.VpnGateways {
		if g.State != "deleted" && g.AttachedVpc() == vpc {
			return g
		}
	}
	return nil
}

// vpnGatewayRouteActive reports whether a route to a virtual private
// gateway forwards: the gateway exists and is attached to a VPC.
func (s *State) vpnGatewayRouteActive(r Route) bool {
	g := s.VpnGateways[VpnGatewayID(r.TargetID)]
	return g != nil && g.State != "deleted" && g.AttachedVpc() != ""
}

// PropagatedRoutes returns the routes the table's propagating virtual
// private gateways add: each static route of their available VPN
// connections, to the gateway, with origin EnableVgwRoutePropagation. A
// gateway propagates only while attached to the table's VPC, and a
// destination the table already routes (statically) is not repeated
// (route-tables-priority.md: a static route wins over a propagated one).
func (s *State) PropagatedRoutes(rt *RouteTable) []Route {
	if rt == nil || len(rt.PropagatingVgws) == 0 {
		return nil
	}
	var out []Route
	seen := map[netip.Prefix]bool{}
	for _, r := range rt.Routes {
		if r.Destination.IsValid() {
			seen[r.Destination] = true
		}
	}
	for _, id := range rt.PropagatingVgws {
		g := s.VpnGateways[id]
		if g == nil || g.State == "deleted" || g.AttachedVpc() != rt.VpcID {
			continue
		}
		var conns []*VpnConnection
		for _, c := range s.VpnConnections {
			if c.VpnGatewayID == id && c.State == "available" {
				conns = append(conns, c)
			}
		}
		sortByID(conns)
		for _, c := range conns {
			for _, sr := range c.Routes {
				if sr.State != "available" || seen[sr.Destination] {
					continue
				}
				seen[sr.Destination] = true
				out = append(out, Route{Destination: sr.Destination, Target: TargetVpnGateway, TargetID: string(id), Origin: "EnableVgwRoutePropagation"})
			}
		}
	}
	return out
}

func sortByID(cs []*VpnConnection) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].ID < cs[j-1].ID; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// GatewayRouteTable returns the route table a gateway (an internet
// gateway or virtual private gateway) is edge-associated with, if any.
func (s *State) GatewayRouteTable(gw string) *RouteTable {
	for _, rt := range s.RouteTables {
		for _, a := range rt.Associations {
			if a.GatewayID == gw {
				return rt
			}
		}
	}
	return nil
}
