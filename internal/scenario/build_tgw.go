package scenario

import (
	"strconv"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Transit gateways in scenario files:
//
//	transit_gateways:
//	  hub: {default_association: false, default_propagation: false}
//	transit_gateway_route_tables:
//	  spokes:
//	    transit_gateway: hub
//	    routes: [{destination: 10.1.0.0/16, target: shared-att}, {destination: 10.9.0.0/16, target: blackhole}]
//	transit_gateway_attachments:
//	  app-att: {transit_gateway: hub, vpc: app, subnets: [app-a], route_table: spokes, propagate_to: [spokes]}
//
// and a VPC route's target may name a transit gateway.

type tgwSpec struct {
	ASN                int64             `yaml:"amazon_side_asn"`
	DefaultAssociation *bool             `yaml:"default_association"`
	DefaultPropagation *bool             `yaml:"default_propagation"`
	Description        string            `yaml:"description"`
	Tags               map[string]string `yaml:"tags"`
}

type tgwRouteSpec struct {
	Destination string `yaml:"destination"`
	Target      string `yaml:"target"` // an attachment name or "blackhole"
}

type tgwRTSpec struct {
	TransitGateway string            `yaml:"transit_gateway"`
	Routes         []tgwRouteSpec    `yaml:"routes"`
	Tags           map[string]string `yaml:"tags"`
}

type tgwAttachSpec struct {
	TransitGateway string   `yaml:"transit_gateway"`
	VPC            string   `yaml:"vpc"`
	Subnets        []string `yaml:"subnets"`
	RouteTable     string   `yaml:"route_table"`
	PropagateTo    []string `yaml:"propagate_to"`
	IPv6           bool     `yaml:"ipv6"`
	// ApplianceMode is the attachment's ApplianceModeSupport (enable):
	// the gateway keeps both directions of a flow in one zone of the VPC.
	ApplianceMode bool              `yaml:"appliance_mode"`
	Tags          map[string]string `yaml:"tags"`
}

func enableIf(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "enable"
	}
	return "disable"
}

// transitGateways creates the gateways, their route tables, the VPC
// attachments (with their association and propagations) and then the
// route tables' static routes.
func (b *builder) transitGateways(sp *fileSpec) error {
	for _, g := range sp.TransitGateways {
		owner := "transit gateway " + strconv.Quote(g.Name)
		gw, err := b.e.CreateTransitGateway(engine.CreateTransitGatewayInput{Description: g.Value.Description, Tags: tags(g.Name, g.Value.Tags),
			Options: engine.TGWOptions{AmazonSideAsn: g.Value.ASN, DefaultRouteTableAssociation: enableIf(g.Value.DefaultAssociation),
				DefaultRouteTablePropagation: enableIf(g.Value.DefaultPropagation)}})
		if err != nil {
			return b.fail(g.Line, owner, err)
		}
		b.set("transit gateway", g.Name, string(gw.ID))
	}
	for _, r := range sp.TGWRouteTables {
		owner := "transit gateway route table " + strconv.Quote(r.Name)
		tgw, err := b.ref("transit gateway", r.Value.TransitGateway, r.line("transit_gateway"), owner)
		if err != nil {
			return err
		}
		rt, err := b.e.CreateTransitGatewayRouteTable(model.TransitGatewayID(tgw), tags(r.Name, r.Value.Tags))
		if err != nil {
			return b.fail(r.Line, owner, err)
		}
		b.set("transit gateway route table", r.Name, string(rt.ID))
	}
	for _, a := range sp.TGWAttachments {
		owner := "transit gateway attachment " + strconv.Quote(a.Name)
		tgw, err := b.ref("transit gateway", a.Value.TransitGateway, a.line("transit_gateway"), owner)
		if err != nil {
			return err
		}
		vpc, err := b.ref("vpc", a.Value.VPC, a.line("vpc"), owner)
		if err != nil {
			return err
		}
		subs, err := b.subnetIDs(a.Value.Subnets, a.line("subnets"), owner)
		if err != nil {
			return err
		}
		in := engine.CreateTGWVpcAttachmentInput{TransitGatewayID: model.TransitGatewayID(tgw), VpcID: model.VpcID(vpc), SubnetIDs: subs, Tags: tags(a.Name, a.Value.Tags)}
		if a.Value.IPv6 {
			in.IPv6Support = "enable"
		}
		if a.Value.ApplianceMode {
			in.ApplianceModeSupport = "enable"
		}
		att, err := b.e.CreateTransitGatewayVpcAttachment(in)
		if err != nil {
			return b.fail(a.line("subnets"), owner, err)
		}
		b.set("transit gateway attachment", a.Name, string(att.ID))
		if a.Value.RouteTable != "" {
			rt, err := b.ref("transit gateway route table", a.Value.RouteTable, a.line("route_table"), owner)
			if err != nil {
				return err
			}
			if _, err := b.e.AssociateTransitGatewayRouteTable(model.TransitGatewayRouteTableID(rt), att.ID); err != nil {
				return b.fail(a.line("route_table"), owner, err)
			}
		}
		for _, p := range a.Value.PropagateTo {
			rt, err := b.ref("transit gateway route table", p, a.line("propagate_to"), owner)
			if err != nil {
				return err
			}
			if _, err := b.e.SetTransitGatewayRouteTablePropagation(model.TransitGatewayRouteTableID(rt), att.ID, true); err != nil {
				return b.fail(a.line("propagate_to"), owner, err)
			}
		}
	}
	for _, r := range sp.TGWRouteTables {
		owner := "transit gateway route table " + strconv.Quote(r.Name)
		lines := itemLines(r.node, "routes", len(r.Value.Routes))
		for i, rs := range r.Value.Routes {
			in := engine.TGWRouteInput{RouteTableID: model.TransitGatewayRouteTableID(b.names["transit gateway route table"][r.Name]), DestinationCIDR: rs.Destination}
			if rs.Target == "blackhole" {
				in.Blackhole = true
			} else {
				att, err := b.ref("transit gateway attachment", rs.Target, lines[i], owner)
				if err != nil {
					return err
				}
				in.AttachmentID = model.TransitGatewayAttachmentID(att)
			}
			if _, err := b.e.CreateTransitGatewayRoute(in); err != nil {
				return b.fail(lines[i], owner, err)
			}
		}
	}
	return nil
}
