package snapshot

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Transit gateways in a snapshot (ecsnet collect and scripts/collect.sh
// write these since round thirty-three; the aws CLI's output):
//
//	ec2-describe-transit-gateways.json                 describe-transit-gateways
//	ec2-describe-transit-gateway-attachments.json      every attachment (its association)
//	ec2-describe-transit-gateway-vpc-attachments.json  VPC attachments (subnets, options)
//	ec2-describe-transit-gateway-peering-attachments.json
//	ec2-describe-transit-gateway-route-tables.json
//	ec2-search-transit-gateway-routes-<tgw-rtb id>.json
//	    {"TransitGatewayRouteTableId": …, "Routes": […]}: search-transit-gateway-routes
//	    --filters Name=type,Values=static, the table's id beside it
//	ec2-get-transit-gateway-route-table-associations-<tgw-rtb id>.json
//	ec2-get-transit-gateway-route-table-propagations-<tgw-rtb id>.json
//	    the same, with the table's id beside Associations and
//	    TransitGatewayRouteTablePropagations
//
// Batfish's wrappers of the last two kinds (TransitGatewayStaticRoutes and
// TransitGatewayPropagations: lists of {TransitGatewayRouteTableId, Routes
// or TransitGatewayRouteTablePropagations}) are read as well. Propagated
// routes are not read: the model derives them from the propagations and
// the attached VPCs' CIDRs, as AWS does.

// TGWRoutesFileName is the file name of one transit gateway route table's
// static routes (search-transit-gateway-routes, filter type=static).
func TGWRoutesFileName(routeTableID string) string {
	return "ec2-search-transit-gateway-routes-" + routeTableID + ".json"
}

// TGWAssociationsFileName is the file name of one transit gateway route
// table's get-transit-gateway-route-table-associations output.
func TGWAssociationsFileName(routeTableID string) string {
	return "ec2-get-transit-gateway-route-table-associations-" + routeTableID + ".json"
}

// TGWPropagationsFileName is the file name of one transit gateway route
// table's get-transit-gateway-route-table-propagations output.
func TGWPropagationsFileName(routeTableID string) string {
	return "ec2-get-transit-gateway-route-table-propagations-" + routeTableID + ".json"
}

// ec2TransitGateway is an item of describe-transit-gateways.
type ec2TransitGateway struct {
	TransitGatewayID string  `json:"TransitGatewayId"`
	Description      string  `json:"Description,omitempty"`
	State            string  `json:"State"`
	CreationTime     awsTime `json:"CreationTime"`
	Options          struct {
		AmazonSideAsn                   flexInt  `json:"AmazonSideAsn"`
		AutoAcceptSharedAttachments     string   `json:"AutoAcceptSharedAttachments,omitempty"`
		DefaultRouteTableAssociation    string   `json:"DefaultRouteTableAssociation,omitempty"`
		DefaultRouteTablePropagation    string   `json:"DefaultRouteTablePropagation,omitempty"`
		VpnEcmpSupport                  string   `json:"VpnEcmpSupport,omitempty"`
		DNSSupport                      string   `json:"DnsSupport,omitempty"`
		SecurityGroupReferencingSupport string   `json:"SecurityGroupReferencingSupport,omitempty"`
		MulticastSupport                string   `json:"MulticastSupport,omitempty"`
		AssociationDefaultRouteTableID  string   `json:"AssociationDefaultRouteTableId,omitempty"`
		PropagationDefaultRouteTableID  string   `json:"PropagationDefaultRouteTableId,omitempty"`
		TransitGatewayCidrBlocks        []string `json:"TransitGatewayCidrBlocks,omitempty"`
	} `json:"Options"`
	Tags []ec2Tag `json:"Tags,omitempty"`
}

// ec2TGWAttachment is an item of describe-transit-gateway-attachments.
type ec2TGWAttachment struct {
	TransitGatewayAttachmentID string  `json:"TransitGatewayAttachmentId"`
	TransitGatewayID           string  `json:"TransitGatewayId"`
	ResourceType               string  `json:"ResourceType"`
	ResourceID                 string  `json:"ResourceId"`
	State                      string  `json:"State"`
	CreationTime               awsTime `json:"CreationTime"`
	Association                *struct {
		TransitGatewayRouteTableID string `json:"TransitGatewayRouteTableId"`
		State                      string `json:"State"`
	} `json:"Association,omitempty"`
	Tags []ec2Tag `json:"Tags,omitempty"`
}

// ec2TGWVpcAttachment is an item of describe-transit-gateway-vpc-attachments.
type ec2TGWVpcAttachment struct {
	TransitGatewayAttachmentID string   `json:"TransitGatewayAttachmentId"`
	TransitGatewayID           string   `json:"TransitGatewayId"`
	VpcID                      string   `json:"VpcId"`
	State                      string   `json:"State"`
	SubnetIDs                  []string `json:"SubnetIds"`
	CreationTime               awsTime  `json:"CreationTime"`
	Options                    struct {
		DNSSupport                      string `json:"DnsSupport,omitempty"`
		Ipv6Support                     string `json:"Ipv6Support,omitempty"`
		ApplianceModeSupport            string `json:"ApplianceModeSupport,omitempty"`
		SecurityGroupReferencingSupport string `json:"SecurityGroupReferencingSupport,omitempty"`
	} `json:"Options"`
	Tags []ec2Tag `json:"Tags,omitempty"`
}

// tgwInfo is one side of a peering attachment.
type tgwInfo struct {
	TransitGatewayID string `json:"TransitGatewayId"`
	OwnerID          string `json:"OwnerId,omitempty"`
	Region           string `json:"Region,omitempty"`
}

// ec2TGWPeering is an item of describe-transit-gateway-peering-attachments.
type ec2TGWPeering struct {
	TransitGatewayAttachmentID string   `json:"TransitGatewayAttachmentId"`
	RequesterTgwInfo           tgwInfo  `json:"RequesterTgwInfo"`
	AccepterTgwInfo            tgwInfo  `json:"AccepterTgwInfo"`
	State                      string   `json:"State"`
	CreationTime               awsTime  `json:"CreationTime"`
	Tags                       []ec2Tag `json:"Tags,omitempty"`
}

// ec2TGWRouteTable is an item of describe-transit-gateway-route-tables.
type ec2TGWRouteTable struct {
	TransitGatewayRouteTableID   string   `json:"TransitGatewayRouteTableId"`
	TransitGatewayID             string   `json:"TransitGatewayId"`
	State                        string   `json:"State"`
	DefaultAssociationRouteTable bool     `json:"DefaultAssociationRouteTable"`
	DefaultPropagationRouteTable bool     `json:"DefaultPropagationRouteTable"`
	CreationTime                 awsTime  `json:"CreationTime"`
	Tags                         []ec2Tag `json:"Tags,omitempty"`
}

// ec2TGWRoute is a route of search-transit-gateway-routes.
type ec2TGWRoute struct {
	DestinationCidrBlock      string `json:"DestinationCidrBlock,omitempty"`
	PrefixListID              string `json:"PrefixListId,omitempty"`
	TransitGatewayAttachments []struct {
		TransitGatewayAttachmentID string `json:"TransitGatewayAttachmentId"`
		ResourceID                 string `json:"ResourceId,omitempty"`
		ResourceType               string `json:"ResourceType,omitempty"`
	} `json:"TransitGatewayAttachments,omitempty"`
	Type  string `json:"Type"`
	State string `json:"State"`
}

// ec2TGWLink is an item of get-transit-gateway-route-table-associations
// and -propagations.
type ec2TGWLink struct {
	TransitGatewayAttachmentID string `json:"TransitGatewayAttachmentId"`
	ResourceID                 string `json:"ResourceId,omitempty"`
	ResourceType               string `json:"ResourceType,omitempty"`
	State                      string `json:"State"`
}

// ec2TGWTableRoutes is one route table's static routes; ec2TGWTableLinks
// its associations or propagations: the output with the table's id beside
// it (also the elements of Batfish's wrappers).
type ec2TGWTableRoutes struct {
	TransitGatewayRouteTableID string        `json:"TransitGatewayRouteTableId"`
	Routes                     []ec2TGWRoute `json:"Routes"`
	AdditionalRoutesAvailable  bool          `json:"AdditionalRoutesAvailable,omitempty"`
}

type ec2TGWTableLinks struct {
	TransitGatewayRouteTableID string       `json:"TransitGatewayRouteTableId"`
	Associations               []ec2TGWLink `json:"Associations,omitempty"`
	Propagations               []ec2TGWLink `json:"TransitGatewayRouteTablePropagations,omitempty"`
}

// tgwData is what a region's files hold of transit gateways.
type tgwData struct {
	gateways     []item[ec2TransitGateway]
	attachments  []item[ec2TGWAttachment]
	vpcAttach    []item[ec2TGWVpcAttachment]
	peerings     []item[ec2TGWPeering]
	routeTables  []item[ec2TGWRouteTable]
	routes       []item[ec2TGWTableRoutes]
	associations []item[ec2TGWTableLinks]
	propagations []item[ec2TGWTableLinks]
}

func (t *tgwData) merge(o *tgwData) {
	t.gateways = append(t.gateways, o.gateways...)
	t.attachments = append(t.attachments, o.attachments...)
	t.vpcAttach = append(t.vpcAttach, o.vpcAttach...)
	t.peerings = append(t.peerings, o.peerings...)
	t.routeTables = append(t.routeTables, o.routeTables...)
	t.routes = append(t.routes, o.routes...)
	t.associations = append(t.associations, o.associations...)
	t.propagations = append(t.propagations, o.propagations...)
}

// dispatchTGW files a transit gateway key away; handled is false for
// keys that are not transit gateways'.
func (rd *regionData) dispatchTGW(f *fileInfo, data []byte, m member, all map[string]span) (ok, handled bool) {
	at := pos{f, m.val.start}
	t := &rd.tgw
	// tableID is the route table id beside a per-table output.
	tableID := func(what string) (string, bool) {
		var id string
		if s, found := all["TransitGatewayRouteTableId"]; found && json.Unmarshal(data[s.start:s.end], &id) == nil && id != "" {
			return id, true
		}
		rd.warn(at.warning(CodeBadValue, "", m.key+" skipped: "+what+" does not name its transit gateway route table; "+
			"put its id beside them ({\"TransitGatewayRouteTableId\": …, \""+m.key+"\": […]})"))
		return "", false
	}
	switch m.key {
	case "TransitGateways":
		return decodeList(rd, f, data, m, &t.gateways), true
	case "TransitGatewayAttachments":
		return decodeList(rd, f, data, m, &t.attachments), true
	case "TransitGatewayVpcAttachments":
		return decodeList(rd, f, data, m, &t.vpcAttach), true
	case "TransitGatewayPeeringAttachments":
		return decodeList(rd, f, data, m, &t.peerings), true
	case "TransitGatewayRouteTables":
		return decodeList(rd, f, data, m, &t.routeTables), true
	case "TransitGatewayStaticRoutes":
		return decodeList(rd, f, data, m, &t.routes), true
	case "TransitGatewayPropagations":
		return decodeList(rd, f, data, m, &t.propagations), true
	case "Routes":
		var rs []item[ec2TGWRoute]
		if !decodeList(rd, f, data, m, &rs) {
			return false, true
		}
		id, found := tableID("search-transit-gateway-routes")
		if !found {
			return true, true
		}
		x := ec2TGWTableRoutes{TransitGatewayRouteTableID: id, Routes: []ec2TGWRoute{}}
		for _, r := range rs {
			x.Routes = append(x.Routes, r.v)
		}
		if more, found := all["AdditionalRoutesAvailable"]; found {
			_ = json.Unmarshal(data[more.start:more.end], &x.AdditionalRoutesAvailable)
		}
		t.routes = append(t.routes, item[ec2TGWTableRoutes]{x, at})
		return true, true
	case "Associations", "TransitGatewayRouteTablePropagations":
		var ls []item[ec2TGWLink]
		if !decodeList(rd, f, data, m, &ls) {
			return false, true
		}
		what := "get-transit-gateway-route-table-associations"
		if m.key != "Associations" {
			what = "get-transit-gateway-route-table-propagations"
		}
		id, found := tableID(what)
		if !found {
			return true, true
		}
		x := ec2TGWTableLinks{TransitGatewayRouteTableID: id}
		links := []ec2TGWLink{}
		for _, l := range ls {
			links = append(links, l.v)
		}
		if m.key == "Associations" {
			x.Associations = links
			t.associations = append(t.associations, item[ec2TGWTableLinks]{x, at})
		} else {
			x.Propagations = links
			t.propagations = append(t.propagations, item[ec2TGWTableLinks]{x, at})
		}
		return true, true
	}
	return true, false
}

// live reports whether a transit gateway resource's state is one the
// analyzer keeps (deleted ones are described for a while after).
func live(state string) bool { return state != "deleted" && state != "deleting" }

// transitGateways builds the transit gateways, their attachments and route
// tables (after the VPCs and subnets, before the VPC route tables that
// route to them).
func (b *builder) transitGateways() {
	t := &b.rd.tgw
	st := b.st
	for _, it := range t.gateways {
		g := it.v
		if g.TransitGatewayID == "" || !live(g.State) {
			continue
		}
		o := g.Options
		st.TransitGateways[model.TransitGatewayID(g.TransitGatewayID)] = &model.TransitGateway{
			ID: model.TransitGatewayID(g.TransitGatewayID), Description: g.Description, State: g.State,
			AmazonSideAsn: o.AmazonSideAsn.V, AutoAcceptSharedAttachments: o.AutoAcceptSharedAttachments,
			DefaultRouteTableAssociation: o.DefaultRouteTableAssociation, DefaultRouteTablePropagation: o.DefaultRouteTablePropagation,
			VpnEcmpSupport: o.VpnEcmpSupport, DNSSupport: o.DNSSupport, SecurityGroupReferencing: o.SecurityGroupReferencingSupport,
			MulticastSupport: o.MulticastSupport, AssociationDefaultRouteTable: model.TransitGatewayRouteTableID(o.AssociationDefaultRouteTableID),
			PropagationDefaultRouteTable: model.TransitGatewayRouteTableID(o.PropagationDefaultRouteTableID),
			CIDRBlocks:                   o.TransitGatewayCidrBlocks, CreatedAt: g.CreationTime.Time, Tags: ec2Tags(g.Tags),
		}
	}
	gateway := func(id, who string, at pos) bool {
		if st.TransitGateways[model.TransitGatewayID(id)] != nil {
			return true
		}
		b.note("dangling-tgw", "transit gateway resources of gateways not in the snapshot", at.warning(CodeDangling, id,
			who+" belongs to transit gateway "+id+", which is not in the snapshot (ec2 describe-transit-gateways)"))
		return false
	}
	attachment := func(id, tgw, typ, state string, created awsTime, tags []ec2Tag) *model.TransitGatewayAttachment {
		aid := model.TransitGatewayAttachmentID(id)
		a := st.TransitGatewayAttachments[aid]
		if a == nil {
			a = &model.TransitGatewayAttachment{ID: aid}
			st.TransitGatewayAttachments[aid] = a
		}
		a.TransitGatewayID = model.TransitGatewayID(tgw)
		a.ResourceType = typ
		if state != "" {
			a.State = state
		}
		if !created.IsZero() {
			a.CreatedAt = created.Time
		}
		if len(tags) > 0 {
			a.Tags = ec2Tags(tags)
		}
		return a
	}
	for _, it := range t.attachments {
		x := it.v
		if x.TransitGatewayAttachmentID == "" || !live(x.State) || !gateway(x.TransitGatewayID, "attachment "+x.TransitGatewayAttachmentID, it.at) {
			continue
		}
		switch x.ResourceType {
		case model.TGWAttachVPC, model.TGWAttachPeering:
		default:
			w := it.at.warning(CodeUnsupported, x.TransitGatewayAttachmentID, "transit gateway attachment "+x.TransitGatewayAttachmentID+
				" ("+x.ResourceType+" "+x.ResourceID+") skipped: ecsnet models VPC and peering attachments only; routes to it are undecided")
			b.note("tgw-attachment-type", "transit gateway attachments of types ecsnet does not model", w)
			b.unknown[x.TransitGatewayAttachmentID] = w
			b.unknown[x.TransitGatewayID] = w
			continue
		}
		a := attachment(x.TransitGatewayAttachmentID, x.TransitGatewayID, x.ResourceType, x.State, x.CreationTime, x.Tags)
		if x.ResourceType == model.TGWAttachVPC {
			a.VpcID = model.VpcID(x.ResourceID)
		} else {
			a.PeerTransitGatewayID = model.TransitGatewayID(x.ResourceID)
		}
		if as := x.Association; as != nil && as.TransitGatewayRouteTableID != "" && (as.State == "associated" || as.State == "") {
			a.Association = model.TransitGatewayRouteTableID(as.TransitGatewayRouteTableID)
		}
	}
	for _, it := range t.vpcAttach {
		x := it.v
		if x.TransitGatewayAttachmentID == "" || !live(x.State) || !gateway(x.TransitGatewayID, "attachment "+x.TransitGatewayAttachmentID, it.at) {
			continue
		}
		a := attachment(x.TransitGatewayAttachmentID, x.TransitGatewayID, model.TGWAttachVPC, x.State, x.CreationTime, x.Tags)
		a.VpcID = model.VpcID(x.VpcID)
		b.checkVPC(x.VpcID, it.at, "transit gateway attachment "+x.TransitGatewayAttachmentID)
		a.SubnetIDs = nil
		for _, s := range x.SubnetIDs {
			b.checkSubnet(s, it.at, "transit gateway attachment "+x.TransitGatewayAttachmentID)
			a.SubnetIDs = append(a.SubnetIDs, model.SubnetID(s))
		}
		o := x.Options
		a.DNSSupport, a.IPv6Support, a.ApplianceModeSupport, a.SecurityGroupReferencing = o.DNSSupport, o.Ipv6Support, o.ApplianceModeSupport, o.SecurityGroupReferencingSupport
	}
	for _, it := range t.peerings {
		x := it.v
		if x.TransitGatewayAttachmentID == "" || !live(x.State) {
			continue
		}
		// This account's side is the requester's gateway when it is in
		// the snapshot's region, else the accepter's.
		local, peer := x.RequesterTgwInfo, x.AccepterTgwInfo
		if st.TransitGateways[model.TransitGatewayID(local.TransitGatewayID)] == nil || (local.Region != "" && local.Region != b.region) {
			local, peer = peer, local
		}
		if !gateway(local.TransitGatewayID, "peering attachment "+x.TransitGatewayAttachmentID, it.at) {
			continue
		}
		a := attachment(x.TransitGatewayAttachmentID, local.TransitGatewayID, model.TGWAttachPeering, x.State, x.CreationTime, x.Tags)
		a.PeerTransitGatewayID, a.PeerAccount, a.PeerRegion = model.TransitGatewayID(peer.TransitGatewayID), peer.OwnerID, peer.Region
	}
	for _, it := range t.routeTables {
		x := it.v
		if x.TransitGatewayRouteTableID == "" || !live(x.State) || !gateway(x.TransitGatewayID, "route table "+x.TransitGatewayRouteTableID, it.at) {
			continue
		}
		id := model.TransitGatewayRouteTableID(x.TransitGatewayRouteTableID)
		st.TransitGatewayRouteTables[id] = &model.TransitGatewayRouteTable{ID: id, TransitGatewayID: model.TransitGatewayID(x.TransitGatewayID),
			State: x.State, DefaultAssociation: x.DefaultAssociationRouteTable, DefaultPropagation: x.DefaultPropagationRouteTable,
			CreatedAt: x.CreationTime.Time, Tags: ec2Tags(x.Tags)}
	}
	table := func(id string, at pos, what string) *model.TransitGatewayRouteTable {
		rt := st.TransitGatewayRouteTables[model.TransitGatewayRouteTableID(id)]
		if rt == nil {
			b.note("dangling-tgw-rtb", "transit gateway route table outputs of tables not in the snapshot", at.warning(CodeDangling, id,
				what+" of "+id+" skipped: the route table is not in ec2 describe-transit-gateway-route-tables"))
		}
		return rt
	}
	routed := map[model.TransitGatewayRouteTableID]bool{}
	for _, it := range t.routes {
		rt := table(it.v.TransitGatewayRouteTableID, it.at, "routes")
		if rt == nil {
			continue
		}
		routed[rt.ID] = true
		if it.v.AdditionalRoutesAvailable {
			w := it.at.warning(CodeMissing, string(rt.ID), "search-transit-gateway-routes answered only part of "+string(rt.ID)+
				"'s static routes (AdditionalRoutesAvailable): probes through it are undecided")
			b.rd.warn(w)
			b.unknown[string(rt.ID)] = w
			b.unknown[string(rt.TransitGatewayID)] = w
		}
		for _, r := range it.v.Routes {
			if !strings.EqualFold(r.Type, "static") {
				continue // propagated routes follow from the propagations
			}
			dest := r.DestinationCidrBlock
			p, ok := prefix(dest)
			if !ok {
				what := "destination " + quote(dest) + " does not parse"
				if r.PrefixListID != "" {
					what = "ecsnet does not model transit gateway prefix list references (" + r.PrefixListID + ")"
				}
				w := it.at.warning(CodeUnsupported, string(rt.ID), "a route of "+string(rt.ID)+" skipped: "+what+"; probes through the table are undecided")
				b.note("tgw-route", "transit gateway routes ecsnet cannot read", w)
				b.unknown[string(rt.ID)] = w
				b.unknown[string(rt.TransitGatewayID)] = w
				continue
			}
			route := model.TransitGatewayRoute{Destination: p}
			if len(r.TransitGatewayAttachments) > 0 {
				route.Attachment = model.TransitGatewayAttachmentID(r.TransitGatewayAttachments[0].TransitGatewayAttachmentID)
			} else {
				route.Blackhole = true
			}
			rt.Routes = append(rt.Routes, route)
		}
	}
	for _, it := range t.associations {
		rt := table(it.v.TransitGatewayRouteTableID, it.at, "associations")
		if rt == nil {
			continue
		}
		for _, l := range it.v.Associations {
			if a := st.TransitGatewayAttachments[model.TransitGatewayAttachmentID(l.TransitGatewayAttachmentID)]; a != nil && (l.State == "associated" || l.State == "") {
				a.Association = rt.ID
			}
		}
	}
	for _, it := range t.propagations {
		rt := table(it.v.TransitGatewayRouteTableID, it.at, "propagations")
		if rt == nil {
			continue
		}
		for _, l := range it.v.Propagations {
			id := model.TransitGatewayAttachmentID(l.TransitGatewayAttachmentID)
			if (l.State == "enabled" || l.State == "") && !slices.Contains(rt.Propagations, id) {
				rt.Propagations = append(rt.Propagations, id)
			}
		}
	}
	// A table whose static routes are not in the snapshot routes what
	// nobody knows: probes through its gateway are undecided.
	for _, rt := range sortedValues(st.TransitGatewayRouteTables) {
		if !routed[rt.ID] {
			w := Warning{Code: CodeMissing, Resource: string(rt.ID), Message: "no ec2 search-transit-gateway-routes output for " + string(rt.ID) +
				": its static routes are unknown, and probes through transit gateway " + string(rt.TransitGatewayID) + " are undecided"}
			b.note("tgw-no-routes", "transit gateway route tables without their routes", w)
			b.unknown[string(rt.ID)] = w
			b.unknown[string(rt.TransitGatewayID)] = w
		}
	}
}

// tgwRoute reads a VPC route to a transit gateway: a route to the gateway
// when the snapshot describes it, else false (the caller keeps it as a
// blackhole, undecided).
func (b *builder) tgwRoute(id string) bool {
	return b.st.TransitGateways[model.TransitGatewayID(id)] != nil
}

// ---- Write ----

// transitGatewayFiles adds the transit gateway files of the state, when it
// has any (older snapshots lack them; they are optional).
func (w *writer) transitGatewayFiles(files map[string]any) {
	st := w.st
	if len(st.TransitGateways) == 0 {
		return
	}
	var gws []ec2TransitGateway
	for _, g := range sortedValues(st.TransitGateways) {
		x := ec2TransitGateway{TransitGatewayID: string(g.ID), Description: g.Description, State: g.State, CreationTime: awsTime{g.CreatedAt}, Tags: tagsOut(g.Tags)}
		o := &x.Options
		o.AmazonSideAsn = flexInt{V: g.AmazonSideAsn, Set: true}
		o.AutoAcceptSharedAttachments, o.DefaultRouteTableAssociation, o.DefaultRouteTablePropagation = g.AutoAcceptSharedAttachments, g.DefaultRouteTableAssociation, g.DefaultRouteTablePropagation
		o.VpnEcmpSupport, o.DNSSupport, o.SecurityGroupReferencingSupport, o.MulticastSupport = g.VpnEcmpSupport, g.DNSSupport, g.SecurityGroupReferencing, g.MulticastSupport
		o.AssociationDefaultRouteTableID, o.PropagationDefaultRouteTableID = string(g.AssociationDefaultRouteTable), string(g.PropagationDefaultRouteTable)
		o.TransitGatewayCidrBlocks = g.CIDRBlocks
		gws = append(gws, x)
	}
	atts, vpcs, peerings := []ec2TGWAttachment{}, []ec2TGWVpcAttachment{}, []ec2TGWPeering{}
	for _, a := range sortedValues(st.TransitGatewayAttachments) {
		x := ec2TGWAttachment{TransitGatewayAttachmentID: string(a.ID), TransitGatewayID: string(a.TransitGatewayID), ResourceType: a.ResourceType,
			ResourceID: string(a.VpcID), State: a.State, CreationTime: awsTime{a.CreatedAt}, Tags: tagsOut(a.Tags)}
		if a.ResourceType == model.TGWAttachPeering {
			x.ResourceID = string(a.PeerTransitGatewayID)
			peerings = append(peerings, ec2TGWPeering{TransitGatewayAttachmentID: string(a.ID),
				RequesterTgwInfo: tgwInfo{TransitGatewayID: string(a.TransitGatewayID), OwnerID: st.Account, Region: st.Region},
				AccepterTgwInfo:  tgwInfo{TransitGatewayID: string(a.PeerTransitGatewayID), OwnerID: a.PeerAccount, Region: a.PeerRegion},
				State:            a.State, CreationTime: awsTime{a.CreatedAt}, Tags: tagsOut(a.Tags)})
		} else {
			v := ec2TGWVpcAttachment{TransitGatewayAttachmentID: string(a.ID), TransitGatewayID: string(a.TransitGatewayID), VpcID: string(a.VpcID),
				State: a.State, SubnetIDs: strs(a.SubnetIDs), CreationTime: awsTime{a.CreatedAt}, Tags: tagsOut(a.Tags)}
			v.Options.DNSSupport, v.Options.Ipv6Support, v.Options.ApplianceModeSupport, v.Options.SecurityGroupReferencingSupport = a.DNSSupport, a.IPv6Support, a.ApplianceModeSupport, a.SecurityGroupReferencing
			vpcs = append(vpcs, v)
		}
		if a.Association != "" {
			x.Association = &struct {
				TransitGatewayRouteTableID string `json:"TransitGatewayRouteTableId"`
				State                      string `json:"State"`
			}{string(a.Association), "associated"}
		}
		atts = append(atts, x)
	}
	rts := []ec2TGWRouteTable{}
	for _, rt := range sortedValues(st.TransitGatewayRouteTables) {
		rts = append(rts, ec2TGWRouteTable{TransitGatewayRouteTableID: string(rt.ID), TransitGatewayID: string(rt.TransitGatewayID), State: rt.State,
			DefaultAssociationRouteTable: rt.DefaultAssociation, DefaultPropagationRouteTable: rt.DefaultPropagation,
			CreationTime: awsTime{rt.CreatedAt}, Tags: tagsOut(rt.Tags)})
		link := func(a *model.TransitGatewayAttachment, state string) ec2TGWLink {
			l := ec2TGWLink{TransitGatewayAttachmentID: string(a.ID), ResourceType: a.ResourceType, ResourceID: string(a.VpcID), State: state}
			if a.ResourceType == model.TGWAttachPeering {
				l.ResourceID = string(a.PeerTransitGatewayID)
			}
			return l
		}
		assocs, props := []ec2TGWLink{}, []ec2TGWLink{}
		for _, a := range sortedValues(st.TransitGatewayAttachments) {
			if a.Association == rt.ID {
				assocs = append(assocs, link(a, "associated"))
			}
		}
		for _, id := range rt.Propagations {
			if a := st.TransitGatewayAttachments[id]; a != nil {
				props = append(props, link(a, "enabled"))
			}
		}
		files[TGWAssociationsFileName(string(rt.ID))] = map[string]any{"TransitGatewayRouteTableId": rt.ID, "Associations": assocs}
		files[TGWPropagationsFileName(string(rt.ID))] = map[string]any{"TransitGatewayRouteTableId": rt.ID, "TransitGatewayRouteTablePropagations": props}
		routes := []ec2TGWRoute{}
		for _, v := range st.TGWRoutes(rt.ID) {
			if v.Type != "static" {
				continue
			}
			r := ec2TGWRoute{DestinationCidrBlock: v.Destination.String(), Type: v.Type, State: v.State}
			if v.Attachment != "" {
				r.TransitGatewayAttachments = append(r.TransitGatewayAttachments, struct {
					TransitGatewayAttachmentID string `json:"TransitGatewayAttachmentId"`
					ResourceID                 string `json:"ResourceId,omitempty"`
					ResourceType               string `json:"ResourceType,omitempty"`
				}{TransitGatewayAttachmentID: string(v.Attachment)})
			}
			routes = append(routes, r)
		}
		files[TGWRoutesFileName(string(rt.ID))] = ec2TGWTableRoutes{TransitGatewayRouteTableID: string(rt.ID), Routes: routes}
	}
	files["ec2-describe-transit-gateways.json"] = map[string]any{"TransitGateways": gws}
	files["ec2-describe-transit-gateway-attachments.json"] = map[string]any{"TransitGatewayAttachments": atts}
	files["ec2-describe-transit-gateway-vpc-attachments.json"] = map[string]any{"TransitGatewayVpcAttachments": vpcs}
	files["ec2-describe-transit-gateway-peering-attachments.json"] = map[string]any{"TransitGatewayPeeringAttachments": peerings}
	files["ec2-describe-transit-gateway-route-tables.json"] = map[string]any{"TransitGatewayRouteTables": rts}
}
