package ec2

import (
	"net/netip"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Network Insights (VPC Reachability Analyzer). Paths and analyses live in
// the engine; StartNetworkInsightsAnalysis creates an analysis "running"
// and the server completes it in the background with the analyzer, so a
// later DescribeNetworkInsightsAnalyses sees "succeeded" — never because it
// was read.

func registerInsights(r *api.Registry) {
	add(r, "CreateNetworkInsightsPath", createNetworkInsightsPath)
	add(r, "DescribeNetworkInsightsPaths", describeNetworkInsightsPaths)
	add(r, "DeleteNetworkInsightsPath", deleteNetworkInsightsPath)
	add(r, "StartNetworkInsightsAnalysis", startNetworkInsightsAnalysis)
	add(r, "DescribeNetworkInsightsAnalyses", describeNetworkInsightsAnalyses)
	add(r, "DeleteNetworkInsightsAnalysis", deleteNetworkInsightsAnalysis)
}

func pathFilter(p awsproto.Params) (*model.PathFilter, error) {
	if p == nil {
		return nil, nil
	}
	f := &model.PathFilter{}
	for _, x := range []struct {
		name string
		dst  *netip.Addr
	}{{"SourceAddress", &f.SourceAddress}, {"DestinationAddress", &f.DestinationAddress}} {
		if s := p.String(x.name); s != "" {
			a, err := netip.ParseAddr(s)
			if err != nil || !a.Is4() {
				return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter %s is invalid. It is not a valid IPv4 address.", s, x.name)
			}
			*x.dst = a
		}
	}
	ports := func(name string) (*model.PortRange, error) {
		r := p.Struct(name)
		if r == nil {
			return nil, nil
		}
		from, to := r.IntOr("FromPort", 0), r.IntOr("ToPort", 65535)
		if from < 0 || to > 65535 || from > to {
			return nil, apierr.Newf("InvalidParameterValue", "Value for parameter %s is invalid: the port range must be within 0-65535 and FromPort <= ToPort.", name)
		}
		return &model.PortRange{First: uint16(from), Last: uint16(to)}, nil
	}
	var err error
	if f.SourcePorts, err = ports("SourcePortRange"); err != nil {
		return nil, err
	}
	if f.DestinationPorts, err = ports("DestinationPortRange"); err != nil {
		return nil, err
	}
	return f, nil
}

func pathFilterOut(f *model.PathFilter) any {
	if f == nil {
		return nil
	}
	out := map[string]any{}
	if f.SourceAddress.IsValid() {
		out["SourceAddress"] = f.SourceAddress
	}
	if f.DestinationAddress.IsValid() {
		out["DestinationAddress"] = f.DestinationAddress
	}
	if f.SourcePorts != nil {
		out["SourcePortRange"] = map[string]any{"FromPort": int(f.SourcePorts.First), "ToPort": int(f.SourcePorts.Last)}
	}
	if f.DestinationPorts != nil {
		out["DestinationPortRange"] = map[string]any{"FromPort": int(f.DestinationPorts.First), "ToPort": int(f.DestinationPorts.Last)}
	}
	return out
}

func insightsPathOut(p *model.NetworkInsightsPath) map[string]any {
	out := map[string]any{
		"NetworkInsightsPathId": p.ID, "NetworkInsightsPathArn": p.ARN, "CreatedDate": api.Time(p.CreatedAt),
		"Source": p.Source, "Destination": api.Str(p.Destination), "SourceArn": api.Str(p.SourceARN), "DestinationArn": api.Str(p.DestinationARN),
		"Protocol": p.Protocol.String(), "Tags": api.EC2Tags(p.Tags),
		"FilterAtSource": pathFilterOut(p.FilterAtSource), "FilterAtDestination": pathFilterOut(p.FilterAtDestination),
	}
	if p.SourceIP.IsValid() {
		out["SourceIp"] = p.SourceIP
	}
	if p.DestinationIP.IsValid() {
		out["DestinationIp"] = p.DestinationIP
	}
	if p.DestinationPort != 0 {
		out["DestinationPort"] = int(p.DestinationPort)
	}
	return out
}

func createNetworkInsightsPath(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "network-insights-path")
	if err != nil {
		return nil, err
	}
	fs, err := pathFilter(c.In.Struct("FilterAtSource"))
	if err != nil {
		return nil, err
	}
	fd, err := pathFilter(c.In.Struct("FilterAtDestination"))
	if err != nil {
		return nil, err
	}
	p, err := c.Engine.CreateNetworkInsightsPath(engine.CreateNetworkInsightsPathInput{
		Source: c.In.String("Source"), Destination: c.In.String("Destination"), SourceIP: c.In.String("SourceIp"),
		DestinationIP: c.In.String("DestinationIp"), Protocol: c.In.String("Protocol"), DestinationPort: int(c.In.Int("DestinationPort")),
		FilterAtSource: fs, FilterAtDestination: fd, Tags: tags,
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"NetworkInsightsPath": insightsPathOut(p)}, nil
}

func describeNetworkInsightsPaths(c *api.Call) (map[string]any, error) {
	var items []*model.NetworkInsightsPath
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.InsightsPaths, c.In.Strings("NetworkInsightsPathIds"), notFound("InvalidNetworkInsightsPathId.NotFound", "network insights path"))
	})
	if err != nil {
		return nil, err
	}
	addr := func(get func(*model.PathFilter) netip.Addr, at func(*model.NetworkInsightsPath) *model.PathFilter) func(*model.NetworkInsightsPath) []string {
		return func(p *model.NetworkInsightsPath) []string {
			if f := at(p); f != nil && get(f).IsValid() {
				return []string{get(f).String()}
			}
			return nil
		}
	}
	src := func(p *model.NetworkInsightsPath) *model.PathFilter { return p.FilterAtSource }
	dst := func(p *model.NetworkInsightsPath) *model.PathFilter { return p.FilterAtDestination }
	sa := func(f *model.PathFilter) netip.Addr { return f.SourceAddress }
	da := func(f *model.PathFilter) netip.Addr { return f.DestinationAddress }
	fs := api.FilterSet[*model.NetworkInsightsPath]{
		Tags: func(p *model.NetworkInsightsPath) model.Tags { return p.Tags },
		Attrs: map[string]func(*model.NetworkInsightsPath) []string{
			"source":      func(p *model.NetworkInsightsPath) []string { return api.One(p.Source) },
			"destination": func(p *model.NetworkInsightsPath) []string { return api.One(p.Destination) },
			"protocol":    func(p *model.NetworkInsightsPath) []string { return []string{p.Protocol.String()} },
			"destination-port": func(p *model.NetworkInsightsPath) []string {
				return []string{strconv.Itoa(int(p.DestinationPort))}
			},
			"filter-at-source.source-address":           addr(sa, src),
			"filter-at-source.destination-address":      addr(da, src),
			"filter-at-destination.source-address":      addr(sa, dst),
			"filter-at-destination.destination-address": addr(da, dst),
		},
	}
	if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	key := func(p *model.NetworkInsightsPath) string { return string(p.ID) }
	items, next, err := page(c.In, items, key, 1, 100)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, p := range items {
		out[i] = insightsPathOut(p)
	}
	return map[string]any{"NetworkInsightsPaths": out, "NextToken": next}, nil
}

func deleteNetworkInsightsPath(c *api.Call) (map[string]any, error) {
	id := c.In.String("NetworkInsightsPathId")
	if err := c.Engine.DeleteNetworkInsightsPath(model.NetworkInsightsPathID(id)); err != nil {
		return nil, err
	}
	return map[string]any{"NetworkInsightsPathId": id}, nil
}

func startNetworkInsightsAnalysis(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "network-insights-analysis")
	if err != nil {
		return nil, err
	}
	if len(c.In.Strings("AdditionalAccounts")) > 0 {
		return nil, apierr.New("UnsupportedOperation", "ecsnet emulates one account; AdditionalAccounts is not supported.")
	}
	a, err := c.Engine.StartNetworkInsightsAnalysis(engine.StartNetworkInsightsAnalysisInput{
		PathID: model.NetworkInsightsPathID(c.In.String("NetworkInsightsPathId")), FilterInARNs: c.In.Strings("FilterInArns"),
		FilterOutARNs: c.In.Strings("FilterOutArns"), Tags: tags,
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"NetworkInsightsAnalysis": analysisOut(a)}, nil
}

func describeNetworkInsightsAnalyses(c *api.Call) (map[string]any, error) {
	var items []*model.NetworkInsightsAnalysis
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.InsightsAnalyses, c.In.Strings("NetworkInsightsAnalysisIds"), notFound("InvalidNetworkInsightsAnalysisId.NotFound", "network insights analysis"))
		if err == nil && c.In.String("NetworkInsightsPathId") != "" && st.InsightsPaths[model.NetworkInsightsPathID(c.In.String("NetworkInsightsPathId"))] == nil {
			err = notFound("InvalidNetworkInsightsPathId.NotFound", "network insights path")(c.In.String("NetworkInsightsPathId"))
		}
	})
	if err != nil {
		return nil, err
	}
	if pid := c.In.String("NetworkInsightsPathId"); pid != "" || c.In.Has("AnalysisStartTime") || c.In.Has("AnalysisEndTime") {
		from, to := c.In.Time("AnalysisStartTime"), c.In.Time("AnalysisEndTime")
		var keep []*model.NetworkInsightsAnalysis
		for _, a := range items {
			if (pid == "" || string(a.PathID) == pid) && (from.IsZero() || !a.StartDate.Before(from)) && (to.IsZero() || !a.StartDate.After(to)) {
				keep = append(keep, a)
			}
		}
		items = keep
	}
	fs := api.FilterSet[*model.NetworkInsightsAnalysis]{
		Tags: func(a *model.NetworkInsightsAnalysis) model.Tags { return a.Tags },
		Attrs: map[string]func(*model.NetworkInsightsAnalysis) []string{
			"path-found": func(a *model.NetworkInsightsAnalysis) []string {
				if a.Status != "succeeded" {
					return nil
				}
				return api.Bool(a.NetworkPathFound)
			},
			"status": func(a *model.NetworkInsightsAnalysis) []string { return []string{a.Status} },
		},
	}
	if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	key := func(a *model.NetworkInsightsAnalysis) string { return string(a.ID) }
	items, next, err := page(c.In, items, key, 1, 100)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, a := range items {
		out[i] = analysisOut(a)
	}
	return map[string]any{"NetworkInsightsAnalyses": out, "NextToken": next}, nil
}

func deleteNetworkInsightsAnalysis(c *api.Call) (map[string]any, error) {
	id := c.In.String("NetworkInsightsAnalysisId")
	if err := c.Engine.DeleteNetworkInsightsAnalysis(model.NetworkInsightsAnalysisID(id)); err != nil {
		return nil, err
	}
	return map[string]any{"NetworkInsightsAnalysisId": id}, nil
}

func analysisOut(a *model.NetworkInsightsAnalysis) map[string]any {
	out := map[string]any{
		"NetworkInsightsAnalysisId": a.ID, "NetworkInsightsAnalysisArn": a.ARN, "NetworkInsightsPathId": a.PathID,
		"StartDate": api.Time(a.StartDate), "Status": a.Status, "StatusMessage": api.Str(a.StatusMessage),
		"WarningMessage": api.Str(a.WarningMessage), "Tags": api.EC2Tags(a.Tags),
		"FilterInArns": a.FilterInARNs, "FilterOutArns": a.FilterOutARNs,
	}
	if a.Status == "succeeded" {
		out["NetworkPathFound"] = a.NetworkPathFound
		out["ForwardPathComponents"] = pathComponentsOut(a.Forward)
		out["ReturnPathComponents"] = pathComponentsOut(a.Return)
		out["Explanations"] = explanationsOut(a.Explanations)
	}
	return out
}

func componentOut(c *model.AnalysisComponent) any {
	if c == nil {
		return nil
	}
	return map[string]any{"Id": api.Str(c.ID), "Arn": api.Str(c.ARN), "Name": api.Str(c.Name)}
}

func componentsOut(cs []model.AnalysisComponent) any {
	if len(cs) == 0 {
		return nil
	}
	out := make([]any, len(cs))
	for i := range cs {
		out[i] = componentOut(&cs[i])
	}
	return out
}

func portRangeOut(r *model.PortRange) any {
	if r == nil {
		return nil
	}
	return map[string]any{"From": int(r.First), "To": int(r.Last)}
}

func headerOut(h *model.PacketHeader) any {
	if h == nil {
		return nil
	}
	prefixes := func(ps []netip.Prefix) []string {
		out := make([]string, len(ps))
		for i, p := range ps {
			if p.Bits() == 32 {
				out[i] = p.Addr().String()
			} else {
				out[i] = p.String()
			}
		}
		return out
	}
	ranges := func(rs []model.PortRange) []any {
		out := make([]any, len(rs))
		for i := range rs {
			out[i] = portRangeOut(&rs[i])
		}
		return out
	}
	return map[string]any{
		"Protocol": strconv.Itoa(int(h.Protocol)), "SourceAddresses": prefixes(h.SourceAddrs), "DestinationAddresses": prefixes(h.DestinationAddrs),
		"SourcePortRanges": ranges(h.SourcePorts), "DestinationPortRanges": ranges(h.DestinationPorts),
	}
}

func protoName(p model.Protocol) string {
	if p == model.AllProtocols {
		return "all"
	}
	return p.String()
}

func sgRuleAnalysisOut(r *model.AnalysisSecurityGroupRule) any {
	if r == nil {
		return nil
	}
	out := map[string]any{"Direction": r.Direction, "SecurityGroupId": api.Str(r.SecurityGroupID), "Protocol": protoName(r.Protocol),
		"PortRange": portRangeOut(r.Ports), "PrefixListId": api.Str(r.PrefixListID)}
	if r.CIDR.IsValid() {
		out["Cidr"] = r.CIDR
	}
	return out
}

func aclRuleAnalysisOut(r *model.AnalysisACLRule) any {
	if r == nil {
		return nil
	}
	out := map[string]any{"Egress": r.Egress, "RuleAction": r.Action.String(), "RuleNumber": r.RuleNumber,
		"Protocol": strconv.Itoa(int(r.Protocol)), "PortRange": portRangeOut(r.Ports)}
	if r.CIDR.IsValid() {
		out["Cidr"] = r.CIDR
	}
	return out
}

func routeAnalysisOut(r *model.AnalysisRoute) any {
	if r == nil {
		return nil
	}
	out := map[string]any{"Origin": api.Str(r.Origin), "State": api.Str(r.State), "DestinationPrefixListId": api.Str(r.DestinationPrefix)}
	if r.Destination.IsValid() {
		out["DestinationCidr"] = r.Destination
	}
	switch r.Target {
	case model.TargetLocal, model.TargetInternetGateway, model.TargetVpcEndpoint, model.TargetVpnGateway:
		out["GatewayId"] = api.Str(r.TargetID)
	case model.TargetNatGateway:
		out["NatGatewayId"] = api.Str(r.TargetID)
	case model.TargetNetworkInterface:
		out["NetworkInterfaceId"] = api.Str(r.TargetID)
	case model.TargetInstance:
		out["InstanceId"] = api.Str(r.TargetID)
	case model.TargetVpcPeering:
		out["VpcPeeringConnectionId"] = api.Str(r.TargetID)
	case model.TargetTransitGateway:
		out["TransitGatewayId"] = api.Str(r.TargetID)
	}
	return out
}

func pathComponentsOut(pcs []model.PathComponent) []any {
	out := make([]any, len(pcs))
	for i := range pcs {
		p := &pcs[i]
		x := map[string]any{
			"SequenceNumber": p.SequenceNumber, "Component": componentOut(&p.Component), "Vpc": componentOut(p.Vpc),
			"Subnet": componentOut(p.Subnet), "AclRule": aclRuleAnalysisOut(p.ACLRule), "SecurityGroupRule": sgRuleAnalysisOut(p.SecurityGroupRule),
			"RouteTableRoute": routeAnalysisOut(p.Route), "InboundHeader": headerOut(p.InboundHeader), "OutboundHeader": headerOut(p.OutboundHeader),
			"AttachedTo": componentOut(p.AttachedTo),
		}
		if r := p.TGWRoute; r != nil {
			x["TransitGatewayRouteTableRoute"] = map[string]any{"DestinationCidr": r.Destination, "State": r.State, "RouteOrigin": r.Origin,
				"AttachmentId": api.Str(r.AttachmentID)}
		}
		if p.ListenerPort != 0 {
			x["ElasticLoadBalancerListener"] = map[string]any{"LoadBalancerPort": int(p.ListenerPort)}
		}
		if len(p.Explanations) > 0 {
			x["Explanations"] = explanationsOut(p.Explanations)
		}
		if len(p.AdditionalDetails) > 0 {
			ds := make([]any, len(p.AdditionalDetails))
			for k, d := range p.AdditionalDetails {
				ds[k] = map[string]any{"AdditionalDetailType": d.Name, "ServiceName": api.Str(d.Value)}
			}
			x["AdditionalDetails"] = ds
		}
		out[i] = x
	}
	return out
}

func explanationsOut(es []model.Explanation) []any {
	out := make([]any, len(es))
	for i := range es {
		e := &es[i]
		x := map[string]any{
			"ExplanationCode": e.Code, "Direction": api.Str(e.Direction), "Component": componentOut(e.Component), "Vpc": componentOut(e.Vpc),
			"Subnet": componentOut(e.Subnet), "SecurityGroups": componentsOut(e.SecurityGroups), "Acl": componentOut(e.ACL),
			"AclRule": aclRuleAnalysisOut(e.ACLRule), "SecurityGroupRule": sgRuleAnalysisOut(e.SecurityGroupRule),
			"RouteTable": componentOut(e.RouteTable), "RouteTableRoute": routeAnalysisOut(e.Route),
			"MissingComponent": api.Str(e.MissingComponent), "LoadBalancerArn": api.Str(e.LoadBalancerARN),
			"LoadBalancerTargetGroup": componentOut(e.TargetGroup),
		}
		if len(e.SecurityGroups) == 1 {
			x["SecurityGroup"] = componentOut(&e.SecurityGroups[0])
		}
		if e.Address.IsValid() {
			x["Address"] = e.Address
		}
		if e.Port != 0 {
			x["Port"] = int(e.Port)
		}
		if len(e.Protocols) > 0 {
			ps := make([]string, len(e.Protocols))
			for k, p := range e.Protocols {
				ps[k] = protoName(p)
			}
			x["Protocols"] = ps
		}
		if e.ListenerPort != 0 {
			x["LoadBalancerListenerPort"] = int(e.ListenerPort)
		}
		if e.Target != "" {
			t := map[string]any{"Port": int(e.TargetPort)}
			if a, err := netip.ParseAddr(e.Target); err == nil {
				t["Address"] = a
			} else {
				t["Instance"] = map[string]any{"Id": e.Target}
			}
			x["LoadBalancerTarget"] = t
		}
		if e.TargetPort != 0 {
			x["LoadBalancerTargetPort"] = int(e.TargetPort)
		}
		out[i] = x
	}
	return out
}
