package reach

import (
	"net/netip"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Insights converts a result to Reachability Analyzer's shapes (model's
// PathComponent and Explanation), for the emulated Network Insights API:
// whether a path was found, the forward and return components numbered
// from 1 (the internet itself is not a component), and the explanations
// of every blocking finding.
func (r *Result) Insights() (found bool, forward, ret []model.PathComponent, explanations []model.Explanation) {
	forward = insightsPath(r.Forward, r.Explanations, "forward")
	ret = insightsPath(r.Return, r.Explanations, "return")
	for i := range r.Explanations {
		if e := &r.Explanations[i]; e.Blocking {
			explanations = append(explanations, insightsExplanation(e))
		}
	}
	return r.Reachable, forward, ret, explanations
}

func insightsPath(hops []Hop, expl []Explanation, path string) []model.PathComponent {
	out := make([]model.PathComponent, 0, len(hops))
	for _, h := range hops {
		if h.Component == nil || h.Component.Type == "internet" {
			continue
		}
		pc := model.PathComponent{SequenceNumber: len(out) + 1, Component: analysisComponent(h.Component),
			AttachedTo: optComponent(h.AttachedTo), Subnet: optComponent(h.Subnet)}
		hdr := packetHeader(h.Packet)
		pc.OutboundHeader = &hdr
		if h.SecurityGroupRule != nil {
			r := h.SecurityGroupRule
			pc.SecurityGroupRule = &model.AnalysisSecurityGroupRule{SecurityGroupID: model.SecurityGroupID(r.SecurityGroupID), Direction: r.Direction,
				Protocol: protocolOf(r.Protocol), Ports: portRange(r.PortRange), CIDR: r.CIDR, PrefixListID: model.PrefixListID(r.PrefixListID)}
		}
		if h.ACLRule != nil {
			pc.ACLRule = aclRule(h.ACLRule)
		}
		switch {
		case h.Route != nil && h.Component.Type == "transit-gateway-route-table":
			r := &model.AnalysisTGWRoute{Destination: h.Route.DestinationCIDR, State: h.Route.State, Origin: h.Route.Origin}
			if h.Route.TargetType == "transit-gateway-attachment" {
				r.AttachmentID = model.TransitGatewayAttachmentID(h.Route.Target)
			}
			pc.TGWRoute = r
		case h.Route != nil:
			pc.Route = route(h.Route)
		}
		for i := range expl {
			if e := &expl[i]; e.Path == path && e.Hop == h.Seq && e.Hop != 0 {
				pc.Explanations = append(pc.Explanations, insightsExplanation(e))
			}
		}
		out = append(out, pc)
	}
	return out
}

func insightsExplanation(e *Explanation) model.Explanation {
	x := model.Explanation{Code: e.Code, Direction: e.Direction, Component: optComponent(e.Component), Address: e.Address, Port: e.Port, Detail: e.Message}
	if e.Protocol != "" {
		x.Protocols = []model.Protocol{protocolOf(e.Protocol)}
	}
	for _, g := range e.SecurityGroups {
		x.SecurityGroups = append(x.SecurityGroups, analysisComponent(g))
	}
	if e.ACLRule != nil {
		x.ACLRule = aclRule(e.ACLRule)
		x.ACL = &model.AnalysisComponent{ID: e.ACLRule.NetworkACLID}
	}
	if e.Route != nil {
		x.Route = route(e.Route)
		x.RouteTable = &model.AnalysisComponent{ID: e.Route.RouteTableID, Name: e.Route.RouteTableName}
	}
	if e.SecurityGroupRule != nil {
		r := e.SecurityGroupRule
		x.SecurityGroupRule = &model.AnalysisSecurityGroupRule{SecurityGroupID: model.SecurityGroupID(r.SecurityGroupID), Direction: r.Direction,
			Protocol: protocolOf(r.Protocol), Ports: portRange(r.PortRange), CIDR: r.CIDR, PrefixListID: model.PrefixListID(r.PrefixListID)}
	}
	if e.Component != nil && e.Component.Type == "target-group" {
		x.TargetGroup = analysisComponentPtr(e.Component)
	}
	return x
}

func analysisComponent(c *Component) model.AnalysisComponent {
	return model.AnalysisComponent{ID: c.ID, ARN: c.ARN, Name: c.Name}
}

func analysisComponentPtr(c *Component) *model.AnalysisComponent {
	a := analysisComponent(c)
	return &a
}

func optComponent(c *Component) *model.AnalysisComponent {
	if c == nil || c.Type == "internet" {
		return nil
	}
	return analysisComponentPtr(c)
}

func packetHeader(p Packet) model.PacketHeader {
	h := model.PacketHeader{Protocol: protocolOf(p.Protocol)}
	if p.Source.IsValid() {
		h.SourceAddrs = []netip.Prefix{netip.PrefixFrom(p.Source, 32)}
		h.SourcePorts = []model.PortRange{model.Port(p.SourcePort)}
	}
	if p.Destination.IsValid() {
		h.DestinationAddrs = []netip.Prefix{netip.PrefixFrom(p.Destination, 32)}
		h.DestinationPorts = []model.PortRange{model.Port(p.DestinationPort)}
	}
	return h
}

func protocolOf(s string) model.Protocol {
	p, err := model.ParseProtocol(s)
	if err != nil {
		return model.AllProtocols
	}
	return p
}

func portRange(r *PortRange) *model.PortRange {
	if r == nil {
		return nil
	}
	return &model.PortRange{First: r.From, Last: r.To}
}

func aclRule(r *ACLRule) *model.AnalysisACLRule {
	action := model.Deny
	if r.Action == "allow" {
		action = model.Allow
	}
	return &model.AnalysisACLRule{RuleNumber: r.RuleNumber, Egress: r.Egress, Action: action, Protocol: protocolOf(r.Protocol), Ports: portRange(r.PortRange), CIDR: r.CIDR}
}

func route(r *Route) *model.AnalysisRoute {
	return &model.AnalysisRoute{Destination: r.DestinationCIDR, DestinationPrefix: model.PrefixListID(r.DestinationPrefixListID),
		Target: routeKind(r.TargetType), TargetID: r.Target, Origin: r.Origin, State: r.State}
}

func routeKind(s string) model.RouteTargetKind {
	for k := model.TargetLocal; k.String() != "unknown"; k++ {
		if k.String() == s {
			return k
		}
	}
	if s == model.TargetTransitGateway.String() {
		return model.TargetTransitGateway
	}
	return 0
}
