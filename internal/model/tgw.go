package model

import (
	"net/netip"
	"slices"
	"time"
)

// Identifiers of transit gateway resources.
type (
	TransitGatewayID           string // tgw-…
	TransitGatewayAttachmentID string // tgw-attach-…
	TransitGatewayRouteTableID string // tgw-rtb-…
)

// TransitGateway is a regional router that connects the VPCs (and
// peered transit gateways) attached to it (tgw-transit-gateways.md).
type TransitGateway struct {
	ID          TransitGatewayID
	Description string
	// State is available (ecsnet answers a create with pending, as AWS
	// does, and describes it available from then on).
	State         string
	AmazonSideAsn int64
	// Options, each "enable" or "disable" as the API spells them.
	AutoAcceptSharedAttachments  string
	DefaultRouteTableAssociation string
	DefaultRouteTablePropagation string
	VpnEcmpSupport               string
	DNSSupport                   string
	SecurityGroupReferencing     string
	MulticastSupport             string
	// AssociationDefaultRouteTable and PropagationDefaultRouteTable are
	// the route tables new attachments are associated with and propagate
	// to (the default route table AWS creates, unless changed).
	AssociationDefaultRouteTable TransitGatewayRouteTableID
	PropagationDefaultRouteTable TransitGatewayRouteTableID
	CIDRBlocks                   []string
	CreatedAt                    time.Time
	// DeletedAt is when the gateway was deleted (State deleted).
	DeletedAt time.Time
	Tags      Tags
}

// Attachment resource types.
const (
	TGWAttachVPC     = "vpc"
	TGWAttachPeering = "peering"
)

// TransitGatewayAttachment attaches a VPC (through one subnet per
// Availability Zone) or a peer transit gateway to a transit gateway.
type TransitGatewayAttachment struct {
	ID               TransitGatewayAttachmentID
	TransitGatewayID TransitGatewayID
	ResourceType     string // TGWAttachVPC or TGWAttachPeering
	// VPC attachments.
	VpcID     VpcID
	SubnetIDs []SubnetID
	// Options, "enable" or "disable".
	DNSSupport               string
	IPv6Support              string
	ApplianceModeSupport     string
	SecurityGroupReferencing string
	// Peering attachments: the peer gateway, its account and region.
	PeerTransitGatewayID TransitGatewayID
	PeerAccount          string
	PeerRegion           string
	// State is pendingAcceptance, available, rejected, deleted, …
	State string
	// Association is the route table the attachment is associated with
	// (at most one; tgw-route-tables.md).
	Association TransitGatewayRouteTableID
	CreatedAt   time.Time
	// DeletedAt is when the attachment was deleted (State deleted).
	DeletedAt time.Time
	Tags      Tags
}

// TransitGatewayRoute is a static route of a transit gateway route
// table: to an attachment, or a blackhole.
type TransitGatewayRoute struct {
	Destination netip.Prefix
	Attachment  TransitGatewayAttachmentID // empty for a blackhole
	Blackhole   bool
}

// TransitGatewayRouteTable is a transit gateway route table: its static
// routes and the attachments that propagate their routes to it. The
// attachments associated with it are recorded on the attachments.
type TransitGatewayRouteTable struct {
	ID                 TransitGatewayRouteTableID
	TransitGatewayID   TransitGatewayID
	State              string // available or deleted
	DefaultAssociation bool
	DefaultPropagation bool
	Routes             []TransitGatewayRoute
	Propagations       []TransitGatewayAttachmentID
	CreatedAt          time.Time
	// DeletedAt is when the route table was deleted (State deleted).
	DeletedAt time.Time
	Tags      Tags
}

// TGWRouteView is one route of a transit gateway route table as
// SearchTransitGatewayRoutes and the analyzer see it: static or
// propagated, active or blackhole.
type TGWRouteView struct {
	Destination netip.Prefix
	Attachment  TransitGatewayAttachmentID // empty for a blackhole
	Type        string                     // static or propagated
	State       string                     // active or blackhole
}

// TGWRoutes returns the routes of a transit gateway route table, sorted
// by destination: its static routes, and for each attachment that
// propagates to it the CIDR blocks of its VPC. A static route hides a
// propagated one to the same destination (tgw-route-tables.md, "Route
// evaluation order": static routes are preferred over propagated ones).
// A static route to an attachment that no longer exists or is not
// available is a blackhole.
func (s *State) TGWRoutes(id TransitGatewayRouteTableID) []TGWRouteView {
	rt := s.TransitGatewayRouteTables[id]
	if rt == nil {
		return nil
	}
	var out []TGWRouteView
	static := map[netip.Prefix]bool{}
	for _, r := range rt.Routes {
		v := TGWRouteView{Destination: r.Destination, Attachment: r.Attachment, Type: "static", State: "active"}
		if r.Blackhole {
			v.State = "blackhole"
		} else if a := s.TransitGatewayAttachments[r.Attachment]; a == nil || a.State != "available" {
			v.State = "blackhole"
		}
		static[r.Destination] = true
		out = append(out, v)
	}
	for _, aid := range rt.Propagations {
		a := s.TransitGatewayAttachments[aid]
		if a == nil || a.ResourceType != TGWAttachVPC || a.State != "available" {
			continue
		}
		v := s.VPCs[a.VpcID]
		if v == nil {
			continue
		}
		cidrs := v.CIDRs()
		if a.IPv6Support == "enable" {
			for _, b := range v.IPv6 {
				cidrs = append(cidrs, b.CIDR)
			}
		}
		for _, c := range cidrs {
			if static[c] {
				continue
			}
			out = append(out, TGWRouteView{Destination: c, Attachment: aid, Type: "propagated", State: "active"})
		}
	}
	slices.SortStableFunc(out, func(a, b TGWRouteView) int {
		if c := a.Destination.Addr().Compare(b.Destination.Addr()); c != 0 {
			return c
		}
		return a.Destination.Bits() - b.Destination.Bits()
	})
	return out
}

// TGWLookup returns the route of a transit gateway route table that
// decides dst: the longest prefix that contains it (tgw-route-tables.md).
func (s *State) TGWLookup(id TransitGatewayRouteTableID, dst netip.Addr) (TGWRouteView, bool) {
	var best TGWRouteView
	found := false
	for _, r := range s.TGWRoutes(id) {
		if r.Destination.Contains(dst) && (!found || r.Destination.Bits() > best.Destination.Bits()) {
			best, found = r, true
		}
	}
	return best, found
}

// VpcTGWAttachment returns the available attachment of vpc to transit
// gateway tgw, if any (a VPC has at most one per gateway).
func (s *State) VpcTGWAttachment(vpc VpcID, tgw TransitGatewayID) *TransitGatewayAttachment {
	for _, a := range s.TransitGatewayAttachments {
		if a.ResourceType == TGWAttachVPC && a.VpcID == vpc && a.TransitGatewayID == tgw && a.State == "available" {
			return a
		}
	}
	return nil
}
