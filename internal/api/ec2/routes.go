package ec2

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerRoutes(r *api.Registry) {
	add(r, "CreateRouteTable", createRouteTable)
	add(r, "DeleteRouteTable", deleteRouteTable)
	add(r, "DescribeRouteTables", describeRouteTables)
	add(r, "EnableVgwRoutePropagation", vgwRoutePropagation)
	add(r, "DisableVgwRoutePropagation", vgwRoutePropagation)
	add(r, "CreateRoute", createRoute)
	add(r, "ReplaceRoute", replaceRoute)
	add(r, "DeleteRoute", deleteRoute)
	add(r, "AssociateRouteTable", associateRouteTable)
	add(r, "DisassociateRouteTable", disassociateRouteTable)
	add(r, "ReplaceRouteTableAssociation", replaceRouteTableAssociation)
	add(r, "CreateNatGateway", createNatGateway)
	add(r, "DeleteNatGateway", deleteNatGateway)
	add(r, "DescribeNatGateways", describeNatGateways)
	add(r, "AssignPrivateNatGatewayAddress", assignPrivateNatGatewayAddress)
	add(r, "UnassignPrivateNatGatewayAddress", unassignPrivateNatGatewayAddress)
	add(r, "AssociateNatGatewayAddress", associateNatGatewayAddress)
	add(r, "DisassociateNatGatewayAddress", disassociateNatGatewayAddress)
	add(r, "AllocateAddress", allocateAddress)
	add(r, "AssociateAddress", associateAddress)
	add(r, "DisassociateAddress", disassociateAddress)
	add(r, "ReleaseAddress", releaseAddress)
	add(r, "DescribeAddresses", describeAddresses)
	add(r, "DescribeAddressesAttribute", describeAddressesAttribute)
	add(r, "ModifyAddressAttribute", modifyAddressAttribute)
	add(r, "ResetAddressAttribute", resetAddressAttribute)
}

func routeOut(st *model.State, account string, vpc model.VpcID, r model.Route) map[string]any {
	out := map[string]any{"Origin": r.Origin, "State": engine.RouteState(st, vpc, r)}
	if r.DestinationPrefixList != "" {
		out["DestinationPrefixListId"] = r.DestinationPrefixList
	} else if r.Destination.Addr().Is6() {
		out["DestinationIpv6CidrBlock"] = r.Destination
	} else {
		out["DestinationCidrBlock"] = r.Destination
	}
	switch r.Target {
	case model.TargetLocal:
		out["GatewayId"] = "local"
	case model.TargetInternetGateway, model.TargetVpcEndpoint, model.TargetVpnGateway:
		out["GatewayId"] = r.TargetID
	case model.TargetNatGateway:
		out["NatGatewayId"] = r.TargetID
	case model.TargetEgressOnlyIGW:
		out["EgressOnlyInternetGatewayId"] = r.TargetID
	case model.TargetVpcPeering:
		out["VpcPeeringConnectionId"] = r.TargetID
	case model.TargetTransitGateway:
		out["TransitGatewayId"] = r.TargetID
	case model.TargetNetworkInterface:
		out["NetworkInterfaceId"] = r.TargetID
		if n := st.NetworkInterfaces[model.NetworkInterfaceID(r.TargetID)]; n != nil && n.Attachment != nil && n.Attachment.InstanceID != "" {
			out["InstanceId"], out["InstanceOwnerId"] = n.Attachment.InstanceID, account
		}
	case model.TargetInstance:
		out["InstanceId"], out["InstanceOwnerId"] = r.TargetID, account
		if i := st.Instances[model.InstanceID(r.TargetID)]; i != nil {
			out["NetworkInterfaceId"] = api.Str(i.PrimaryENI)
		}
	}
	return out
}

func routeTableOut(st *model.State, account string, rt *model.RouteTable) map[string]any {
	routes := make([]any, 0, len(rt.Routes))
	for _, r := range rt.Routes {
		routes = append(routes, routeOut(st, account, rt.VpcID, r))
	}
	for _, r := range st.PropagatedRoutes(rt) {
		routes = append(routes, routeOut(st, account, rt.VpcID, r))
	}
	assocs := make([]any, len(rt.Associations))
	for i, a := range rt.Associations {
		assocs[i] = map[string]any{
			"Main": a.Main, "RouteTableAssociationId": a.ID, "RouteTableId": rt.ID, "SubnetId": api.Str(a.SubnetID),
			"GatewayId": api.Str(a.GatewayID), "AssociationState": map[string]any{"State": "associated"},
		}
	}
	vgws := make([]any, len(rt.PropagatingVgws))
	for i, g := range rt.PropagatingVgws {
		vgws[i] = map[string]any{"GatewayId": g}
	}
	// A route table always carries its tagSet, empty when untagged.
	return map[string]any{
		"RouteTableId": rt.ID, "VpcId": rt.VpcID, "OwnerId": account, "Routes": routes, "Associations": assocs,
		"PropagatingVgws": vgws, "Tags": api.TagList(rt.Tags, "Key", "Value"),
	}
}

func routeTableFilters(c *api.Call, st *model.State) api.FilterSet[*model.RouteTable] {
	routes := func(f func(model.Route) string) func(*model.RouteTable) []string {
		return func(rt *model.RouteTable) []string {
			var out []string
			for _, r := range rt.Routes {
				if v := f(r); v != "" {
					out = append(out, v)
				}
			}
			for _, r := range st.PropagatedRoutes(rt) {
				if v := f(r); v != "" {
					out = append(out, v)
				}
			}
			return out
		}
	}
	assocs := func(f func(model.RouteTableAssociation) string) func(*model.RouteTable) []string {
		return func(rt *model.RouteTable) []string {
			var out []string
			for _, a := range rt.Associations {
				if v := f(a); v != "" {
					out = append(out, v)
				}
			}
			return out
		}
	}
	target := func(kinds ...model.RouteTargetKind) func(model.Route) string {
		return func(r model.Route) string {
			for _, k := range kinds {
				if r.Target == k {
					return r.TargetID
				}
			}
			return ""
		}
	}
	return api.FilterSet[*model.RouteTable]{
		Tags: func(rt *model.RouteTable) model.Tags { return rt.Tags },
		Attrs: map[string]func(*model.RouteTable) []string{
			"route-table-id":                         func(rt *model.RouteTable) []string { return api.One(rt.ID) },
			"vpc-id":                                 func(rt *model.RouteTable) []string { return api.One(rt.VpcID) },
			"owner-id":                               func(*model.RouteTable) []string { return []string{c.Account} },
			"association.route-table-association-id": assocs(func(a model.RouteTableAssociation) string { return string(a.ID) }),
			"association.route-table-id":             func(rt *model.RouteTable) []string { return api.One(rt.ID) },
			"association.subnet-id":                  assocs(func(a model.RouteTableAssociation) string { return string(a.SubnetID) }),
			"association.gateway-id":                 assocs(func(a model.RouteTableAssociation) string { return a.GatewayID }),
			"association.main": func(rt *model.RouteTable) []string {
				return api.Bool(rt.IsMain())
			},
			"route.destination-cidr-block": routes(func(r model.Route) string {
				if r.Destination.IsValid() && r.Destination.Addr().Is4() {
					return r.Destination.String()
				}
				return ""
			}),
			"route.destination-ipv6-cidr-block": routes(func(r model.Route) string {
				if r.Destination.IsValid() && r.Destination.Addr().Is6() {
					return r.Destination.String()
				}
				return ""
			}),
			"route.egress-only-internet-gateway-id": routes(target(model.TargetEgressOnlyIGW)),
			"route.destination-prefix-list-id":      routes(func(r model.Route) string { return string(r.DestinationPrefixList) }),
			"route.gateway-id":                      routes(target(model.TargetInternetGateway, model.TargetVpcEndpoint, model.TargetLocal, model.TargetVpnGateway)),
			"route.nat-gateway-id":                  routes(target(model.TargetNatGateway)),
			"route.vpc-peering-connection-id":       routes(target(model.TargetVpcPeering)),
			"route.transit-gateway-id":              routes(target(model.TargetTransitGateway)),
			"route.instance-id":                     routes(target(model.TargetInstance)),
			"route.network-interface-id":            routes(target(model.TargetNetworkInterface)),
			"route.origin":                          routes(func(r model.Route) string { return r.Origin }),
			"route.state": func(rt *model.RouteTable) []string {
				out := make([]string, 0, len(rt.Routes))
				for _, r := range rt.Routes {
					out = append(out, engine.RouteState(st, rt.VpcID, r))
				}
				return out
			},
		},
	}
}

func createRouteTable(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "route-table")
	if err != nil {
		return nil, err
	}
	rt, err := c.Engine.CreateRouteTable(model.VpcID(c.In.String("VpcId")), tags)
	if err != nil {
		return nil, err
	}
	return map[string]any{"RouteTable": c.View(func(st *model.State) map[string]any { return routeTableOut(st, c.Account, rt) })}, nil
}

func deleteRouteTable(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteRouteTable(model.RouteTableID(c.In.String("RouteTableId")))
}

func describeRouteTables(c *api.Call) (map[string]any, error) {
	var out []any
	var next any
	var err error
	c.Engine.Read(func(st *model.State) {
		var items []*model.RouteTable
		if items, err = byIDs(st.RouteTables, c.In.Strings("RouteTableIds"), notFoundOrMalformed("InvalidRouteTableID.NotFound", "routeTable", "rtb", "InvalidRouteTableID.Malformed")); err != nil {
			return
		}
		if items, err = routeTableFilters(c, st).Apply(items, api.Filters(c.In)); err != nil {
			return
		}
		key := func(rt *model.RouteTable) string { return string(rt.ID) }
		if items, next, err = page(c.In, items, key, 5, 100); err != nil {
			return
		}
		out = make([]any, len(items))
		for i, rt := range items {
			out[i] = routeTableOut(st, c.Account, rt)
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"RouteTables": out, "NextToken": next}, nil
}

func routeInput(c *api.Call) engine.RouteInput {
	in := c.In
	return engine.RouteInput{
		RouteTableID:          model.RouteTableID(in.String("RouteTableId")),
		DestinationCIDR:       in.String("DestinationCidrBlock"),
		DestinationIPv6CIDR:   in.String("DestinationIpv6CidrBlock"),
		EgressOnlyIGWID:       model.EgressOnlyIGWID(in.String("EgressOnlyInternetGatewayId")),
		DestinationPrefixList: model.PrefixListID(in.String("DestinationPrefixListId")),
		GatewayID:             in.String("GatewayId"),
		NatGatewayID:          model.NatGatewayID(in.String("NatGatewayId")),
		NetworkInterfaceID:    model.NetworkInterfaceID(in.String("NetworkInterfaceId")),
		InstanceID:            model.InstanceID(in.String("InstanceId")),
		VpcEndpointID:         model.VpcEndpointID(in.String("VpcEndpointId")),
		VpcPeeringID:          model.VpcPeeringConnectionID(in.String("VpcPeeringConnectionId")),
		TransitGatewayID:      model.TransitGatewayID(in.String("TransitGatewayId")),
	}
}

// unsupportedRouteTarget rejects route targets ecsnet does not model
// (local and carrier gateways, …), rather than silently ignoring them.
func unsupportedRouteTarget(c *api.Call) error {
	for _, name := range []string{"LocalGatewayId", "CarrierGatewayId", "CoreNetworkArn", "OdbNetworkArn"} {
		if c.In.Has(name) {
			return apierr.Newf("UnsupportedOperation", "ecsnet does not model routes with %s.", name)
		}
	}
	return nil
}

func createRoute(c *api.Call) (map[string]any, error) {
	if err := unsupportedRouteTarget(c); err != nil {
		return nil, err
	}
	if err := c.Engine.CreateRoute(routeInput(c)); err != nil {
		return nil, err
	}
	return map[string]any{"Return": true}, nil
}

func replaceRoute(c *api.Call) (map[string]any, error) {
	if err := unsupportedRouteTarget(c); err != nil {
		return nil, err
	}
	ri := routeInput(c)
	if c.In.Bool("LocalTarget") {
		ri.GatewayID = "local"
	}
	return nil, c.Engine.ReplaceRoute(ri)
}

func deleteRoute(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteRoute(routeInput(c))
}

func associateRouteTable(c *api.Call) (map[string]any, error) {
	if c.In.Has("GatewayId") {
		return associateRouteTableGateway(c)
	}
	id, err := c.Engine.AssociateRouteTable(model.RouteTableID(c.In.String("RouteTableId")), model.SubnetID(c.In.String("SubnetId")))
	if err != nil {
		return nil, err
	}
	return map[string]any{"AssociationId": id, "AssociationState": map[string]any{"State": "associated"}}, nil
}

func disassociateRouteTable(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DisassociateRouteTable(model.RouteTableAssocID(c.In.String("AssociationId")))
}

func replaceRouteTableAssociation(c *api.Call) (map[string]any, error) {
	id, err := c.Engine.ReplaceRouteTableAssociation(model.RouteTableAssocID(c.In.String("AssociationId")), model.RouteTableID(c.In.String("RouteTableId")))
	if err != nil {
		return nil, err
	}
	return map[string]any{"NewAssociationId": id, "AssociationState": map[string]any{"State": "associated"}}, nil
}

func natOut(st *model.State, ng *model.NatGateway) map[string]any {
	out := map[string]any{
		"NatGatewayId": ng.ID, "SubnetId": ng.SubnetID, "VpcId": ng.VpcID, "State": ng.State,
		"ConnectivityType": ng.ConnectivityType, "CreateTime": api.Time(ng.CreatedAt),
		"Tags": api.EC2Tags(ng.Tags), "AvailabilityMode": "zonal",
	}
	if ng.State == "failed" {
		// A pending gateway that will fail says so only once it has.
		out["FailureCode"], out["FailureMessage"] = api.Str(ng.FailureCode), api.Str(ng.FailureMessage)
	}
	if ng.Regional() {
		out["AvailabilityMode"] = "regional"
		delete(out, "SubnetId")
		out["AutoProvisionZones"], out["AutoScalingIps"] = "disabled", "disabled"
		if ng.AutoProvisionZones {
			out["AutoProvisionZones"], out["AutoScalingIps"] = "enabled", "enabled"
		}
		out["NatGatewayAddresses"] = natZoneAddressesOut(ng)
		return out
	}
	out["NatGatewayAddresses"] = natAddressesOut(st, ng)
	return out
}

// natZoneAddressesOut is a regional NAT gateway's NatGatewayAddresses:
// each zone's public addresses with the zone's name and id, the first of
// each zone primary; AWS's own addresses have no allocation and no
// interface of the account.
func natZoneAddressesOut(ng *model.NatGateway) []any {
	out := []any{}
	zones := map[string]bool{}
	for _, a := range ng.ZoneAddresses {
		x := map[string]any{"AvailabilityZone": a.Zone, "PublicIp": a.PublicIP, "IsPrimary": !zones[a.Zone], "Status": "succeeded"}
		zones[a.Zone] = true
		if a.ZoneID != "" {
			x["AvailabilityZoneId"] = a.ZoneID
		}
		if a.AllocationID != "" {
			x["AllocationId"], x["AssociationId"] = a.AllocationID, api.Str(a.AssociationID)
		}
		out = append(out, x)
	}
	return out
}

// natAddressesOut is a NAT gateway's NatGatewayAddresses: its primary
// address, then the secondary addresses of its interface (IsPrimary false,
// with the Elastic IP associated with each for a public gateway), in the
// order they were assigned.
func natAddressesOut(st *model.State, ng *model.NatGateway) []any {
	if ng.NetworkInterface == "" && ng.AllocationID == "" {
		return []any{}
	}
	status := "succeeded"
	if ng.State == "failed" {
		status = "failed"
	}
	addr := map[string]any{
		"NetworkInterfaceId": api.Str(ng.NetworkInterface), "AllocationId": api.Str(ng.AllocationID),
		"IsPrimary": true, "Status": status,
	}
	if ng.PrivateIP.IsValid() {
		addr["PrivateIp"] = ng.PrivateIP
	}
	if ng.PublicIP.IsValid() {
		addr["PublicIp"] = ng.PublicIP
	}
	if a := st.Addresses[ng.AllocationID]; a != nil && a.NetworkInterfaceID == ng.NetworkInterface {
		addr["AssociationId"] = api.Str(a.AssociationID)
	}
	out := []any{addr}
	n := st.NetworkInterfaces[ng.NetworkInterface]
	if n == nil {
		return out
	}
	for _, p := range n.PrivateIPs {
		if p.Primary || p.Addr == ng.PrivateIP {
			continue
		}
		x := map[string]any{"NetworkInterfaceId": n.ID, "PrivateIp": p.Addr, "IsPrimary": false, "Status": status}
		if p.PublicIP != nil && p.PublicIP.AllocationID != "" {
			x["AllocationId"], x["PublicIp"], x["AssociationId"] = p.PublicIP.AllocationID, p.PublicIP.PublicIP, api.Str(p.PublicIP.AssociationID)
		}
		out = append(out, x)
	}
	return out
}

// natSecondary reads the secondary addresses a NAT gateway request asks
// for, under the names the operation gives them.
func natSecondary(c *api.Call, allocations, addresses, count string) (engine.NatSecondaryAddresses, error) {
	var out engine.NatSecondaryAddresses
	if allocations != "" {
		out.AllocationIDs = ids[model.AllocationID](c.In, allocations)
	}
	for _, s := range c.In.Strings(addresses) {
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return out, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter %s is invalid. Not a valid IPv4 address.", s, addresses)
		}
		out.PrivateIPs = append(out.PrivateIPs, a)
	}
	if count != "" {
		out.Count = int(c.In.Int(count))
	}
	return out, nil
}

// natAddressesAnswer is the answer of the NAT gateway address operations:
// the gateway's id and its addresses.
func natAddressesAnswer(c *api.Call, ng *model.NatGateway) map[string]any {
	return c.View(func(st *model.State) map[string]any {
		return map[string]any{"NatGatewayId": ng.ID, "NatGatewayAddresses": natOut(st, st.NatGateways[ng.ID])["NatGatewayAddresses"]}
	})
}

func assignPrivateNatGatewayAddress(c *api.Call) (map[string]any, error) {
	req, err := natSecondary(c, "", "PrivateIpAddresses", "PrivateIpAddressCount")
	if err != nil {
		return nil, err
	}
	ng, err := c.Engine.AssignNatGatewayAddresses(model.NatGatewayID(c.In.String("NatGatewayId")), req)
	if err != nil {
		return nil, err
	}
	return natAddressesAnswer(c, ng), nil
}

func associateNatGatewayAddress(c *api.Call) (map[string]any, error) {
	if c.In.Has("AvailabilityZone") || c.In.Has("AvailabilityZoneId") {
		if c.In.Has("PrivateIpAddresses") {
			return nil, apierr.New("InvalidParameterCombination", "PrivateIpAddresses cannot be specified for a regional NAT gateway.") // text [probable]
		}
		zone := engine.NatZoneRequest{Zone: c.In.String("AvailabilityZone"), ZoneID: c.In.String("AvailabilityZoneId"), AllocationIDs: ids[model.AllocationID](c.In, "AllocationIds")}
		if len(zone.AllocationIDs) == 0 {
			return nil, apierr.New("MissingParameter", "The request must contain the parameter AllocationId")
		}
		ng, err := c.Engine.AssociateNatGatewayZoneAddresses(model.NatGatewayID(c.In.String("NatGatewayId")), zone)
		if err != nil {
			return nil, err
		}
		return natAddressesAnswer(c, ng), nil
	}
	req, err := natSecondary(c, "AllocationIds", "PrivateIpAddresses", "")
	if err != nil {
		return nil, err
	}
	if len(req.AllocationIDs) == 0 {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter AllocationId")
	}
	ng, err := c.Engine.AssignNatGatewayAddresses(model.NatGatewayID(c.In.String("NatGatewayId")), req)
	if err != nil {
		return nil, err
	}
	return natAddressesAnswer(c, ng), nil
}

func unassignPrivateNatGatewayAddress(c *api.Call) (map[string]any, error) {
	req, err := natSecondary(c, "", "PrivateIpAddresses", "")
	if err != nil {
		return nil, err
	}
	ng, err := c.Engine.UnassignNatGatewayAddresses(model.NatGatewayID(c.In.String("NatGatewayId")), req.PrivateIPs)
	if err != nil {
		return nil, err
	}
	return natAddressesAnswer(c, ng), nil
}

func disassociateNatGatewayAddress(c *api.Call) (map[string]any, error) {
	ng, err := c.Engine.DisassociateNatGatewayAddresses(model.NatGatewayID(c.In.String("NatGatewayId")), ids[model.EIPAssociationID](c.In, "AssociationIds"))
	if err != nil {
		return nil, err
	}
	return natAddressesAnswer(c, ng), nil
}

func createNatGateway(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "natgateway")
	if err != nil {
		return nil, err
	}
	switch m := c.In.String("AvailabilityMode"); m {
	case "", "zonal":
		if c.In.Has("AvailabilityZoneAddresses") {
			return nil, apierr.New("InvalidParameterCombination", "AvailabilityZoneAddresses can be specified only for a regional NAT gateway (AvailabilityMode regional).") // text [probable]
		}
	case "regional":
		return createRegionalNatGateway(c, tags)
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter availabilityMode is invalid. Valid values: zonal, regional.", m) // text [probable]
	}
	if c.In.String("SubnetId") == "" {
		return nil, apierr.New("MissingParameter", "The request must include the SubnetId parameter. Add the required parameter and retry the request.")
	}
	if c.In.String("ConnectivityType") != "private" && c.In.String("AllocationId") == "" {
		return nil, apierr.New("MissingParameter", "The request must include the AllocationId parameter. Add the required parameter and retry the request.")
	}
	if c.In.String("ConnectivityType") == "private" && (c.In.Has("AllocationId") || c.In.Has("SecondaryAllocationIds")) {
		// "You cannot specify an Elastic IP address with a private NAT
		// gateway" (CreateNatGatewayRequest.AllocationId); the code and
		// text are [choice].
		return nil, apierr.New("InvalidParameterCombination", "You cannot specify an Elastic IP address with a private NAT gateway.")
	}
	secondary, err := natSecondary(c, "SecondaryAllocationIds", "SecondaryPrivateIpAddresses", "SecondaryPrivateIpAddressCount")
	if err != nil {
		return nil, err
	}
	ng, err := c.Engine.CreateNatGateway(engine.CreateNatGatewayInput{
		SubnetID: model.SubnetID(c.In.String("SubnetId")), AllocationID: model.AllocationID(c.In.String("AllocationId")),
		ConnectivityType: c.In.String("ConnectivityType"), PrivateIP: c.In.String("PrivateIpAddress"), Secondary: secondary, Tags: tags,
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"NatGateway": c.View(func(st *model.State) map[string]any { return natOut(st, ng) }), "ClientToken": api.Str(c.In.String("ClientToken"))}, nil
}

// createRegionalNatGateway is CreateNatGateway with AvailabilityMode
// regional: a VpcId and no SubnetId, public connectivity, no private
// address of a subnet; AvailabilityZoneAddresses (manual mode) or not
// (automatic mode, with an optional AllocationId). The codes and texts of
// the refusals are [probable] (docs/aws-behavior.md, "Regional NAT
// gateways").
func createRegionalNatGateway(c *api.Call, tags model.Tags) (map[string]any, error) {
	if c.In.String("SubnetId") != "" {
		return nil, apierr.New("InvalidParameterCombination", "SubnetId cannot be specified for a regional NAT gateway; specify VpcId.")
	}
	if c.In.String("VpcId") == "" {
		return nil, apierr.New("MissingParameter", "The request must include the VpcId parameter. Add the required parameter and retry the request.")
	}
	if c.In.String("ConnectivityType") == "private" {
		return nil, apierr.New("InvalidParameterCombination", "A regional NAT gateway supports public connectivity only.")
	}
	for _, p := range []string{"PrivateIpAddress", "SecondaryAllocationIds", "SecondaryPrivateIpAddresses", "SecondaryPrivateIpAddressCount"} {
		if c.In.Has(p) {
			return nil, apierr.Newf("InvalidParameterCombination", "%s cannot be specified for a regional NAT gateway.", p)
		}
	}
	var zones []engine.NatZoneRequest
	for _, z := range c.In.Structs("AvailabilityZoneAddresses") {
		zones = append(zones, engine.NatZoneRequest{Zone: z.String("AvailabilityZone"), ZoneID: z.String("AvailabilityZoneId"), AllocationIDs: ids[model.AllocationID](z, "AllocationIds")})
	}
	if len(zones) > 0 && c.In.Has("AllocationId") {
		return nil, apierr.New("InvalidParameterCombination", "AllocationId cannot be specified with AvailabilityZoneAddresses; give each zone's AllocationIds.")
	}
	ng, err := c.Engine.CreateNatGateway(engine.CreateNatGatewayInput{
		AvailabilityMode: "regional", VpcID: model.VpcID(c.In.String("VpcId")), Zones: zones,
		AllocationID: model.AllocationID(c.In.String("AllocationId")), ConnectivityType: "public", Tags: tags,
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"NatGateway": c.View(func(st *model.State) map[string]any { return natOut(st, ng) }), "ClientToken": api.Str(c.In.String("ClientToken"))}, nil
}

func deleteNatGateway(c *api.Call) (map[string]any, error) {
	id := c.In.String("NatGatewayId")
	if err := c.Engine.DeleteNatGateway(model.NatGatewayID(id)); err != nil {
		return nil, err
	}
	return map[string]any{"NatGatewayId": id}, nil
}

func describeNatGateways(c *api.Call) (map[string]any, error) {
	var out []any
	var next any
	var err error
	c.Engine.Read(func(st *model.State) {
		var items []*model.NatGateway
		if items, err = byIDs(st.NatGateways, c.In.Strings("NatGatewayIds"), func(id string) error {
			return apierr.Newf("NatGatewayNotFound", "NAT gateway %s was not found", id)
		}); err != nil {
			return
		}
		fs := api.FilterSet[*model.NatGateway]{
			Tags: func(n *model.NatGateway) model.Tags { return n.Tags },
			Attrs: map[string]func(*model.NatGateway) []string{
				"nat-gateway-id": func(n *model.NatGateway) []string { return api.One(n.ID) },
				"state":          func(n *model.NatGateway) []string { return api.One(n.State) },
				"subnet-id":      func(n *model.NatGateway) []string { return api.One(n.SubnetID) },
				"vpc-id":         func(n *model.NatGateway) []string { return api.One(n.VpcID) },
			},
		}
		if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
			return
		}
		key := func(n *model.NatGateway) string { return string(n.ID) }
		if items, next, err = page(c.In, items, key, 5, 1000); err != nil {
			return
		}
		out = make([]any, len(items))
		for i, n := range items {
			out[i] = natOut(st, n)
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"NatGateways": out, "NextToken": next}, nil
}

func addressOut(st *model.State, account string, a *model.Address) map[string]any {
	out := map[string]any{
		"AllocationId": a.AllocationID, "PublicIp": a.PublicIP, "Domain": a.Domain, "PublicIpv4Pool": "amazon",
		"NetworkBorderGroup": st.Region, "Tags": api.EC2Tags(a.Tags),
	}
	if a.AssociationID != "" {
		out["AssociationId"] = a.AssociationID
		out["NetworkInterfaceId"] = a.NetworkInterfaceID
		out["NetworkInterfaceOwnerId"] = account
		out["PrivateIpAddress"] = a.PrivateIP
		out["InstanceId"] = api.Str(a.InstanceID)
		if n := st.NetworkInterfaces[a.NetworkInterfaceID]; n != nil {
			out["SubnetId"] = n.SubnetID
			if n.Attachment != nil && n.Attachment.InstanceID != "" {
				out["InstanceId"] = n.Attachment.InstanceID
			}
		}
	}
	return out
}

func allocateAddress(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "elastic-ip")
	if err != nil {
		return nil, err
	}
	if d := c.In.String("Domain"); d == "standard" {
		return nil, apierr.New("InvalidParameterValue", "EC2-Classic addresses (Domain standard) no longer exist; use Domain vpc.")
	}
	var want netip.Addr
	if s := c.In.String("Address"); s != "" {
		if want, err = netip.ParseAddr(s); err != nil {
			return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter address is invalid.", s)
		}
	}
	a, err := c.Engine.AllocateAddress(want, tags)
	if err != nil {
		return nil, err
	}
	return map[string]any{"AllocationId": a.AllocationID, "PublicIp": a.PublicIP, "Domain": "vpc", "PublicIpv4Pool": "amazon", "NetworkBorderGroup": c.Region}, nil
}

func associateAddress(c *api.Call) (map[string]any, error) {
	if c.In.String("AllocationId") == "" && c.In.String("PublicIp") == "" {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter allocationId")
	}
	if c.In.String("AllocationId") == "" && c.In.String("PublicIp") != "" {
		return nil, apierr.New("InvalidParameterCombination", "You must specify an allocation id when mapping an address to a VPC instance")
	}
	id, err := c.Engine.AssociateAddress(engine.AssociateAddressInput{
		AllocationID: model.AllocationID(c.In.String("AllocationId")), InstanceID: model.InstanceID(c.In.String("InstanceId")),
		NetworkInterfaceID: model.NetworkInterfaceID(c.In.String("NetworkInterfaceId")), PrivateIP: c.In.String("PrivateIpAddress"),
		// "Reassociation is automatic, but you can specify false to ensure
		// the operation fails if the Elastic IP address is already
		// associated with another resource" (the API reference).
		AllowReassociation: c.In.OptBool("AllowReassociation") == nil || c.In.Bool("AllowReassociation"),
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"AssociationId": id}, nil
}

func disassociateAddress(c *api.Call) (map[string]any, error) {
	if c.In.String("AssociationId") == "" {
		if c.In.String("PublicIp") != "" {
			// Every address is a VPC one (EC2-Classic is retired):
			// AWS answers the deprecated PublicIp so (vagrant-aws#540).
			return nil, apierr.New("InvalidParameterValue", "You must specify an association id when unmapping an address from a VPC instance")
		}
		return nil, apierr.New("MissingParameter", "The request must contain the parameter associationId")
	}
	return nil, c.Engine.DisassociateAddress(model.EIPAssociationID(c.In.String("AssociationId")))
}

func releaseAddress(c *api.Call) (map[string]any, error) {
	if c.In.String("AllocationId") == "" && c.In.String("PublicIp") == "" {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter allocationId")
	}
	if c.In.String("AllocationId") == "" {
		return nil, apierr.New("InvalidParameterValue", "You must specify an allocation id when releasing a VPC elastic IP address")
	}
	id := model.AllocationID(c.In.String("AllocationId"))
	if nbg := c.In.String("NetworkBorderGroup"); nbg != "" && nbg != c.Region {
		// Every address is the Region's ("If you provide an incorrect
		// network border group, you receive an InvalidAddress.NotFound
		// error", API_ReleaseAddress); the text is [choice].
		var ip string
		c.Engine.Read(func(st *model.State) {
			if a := st.Addresses[id]; a != nil {
				ip = a.PublicIP.String()
			}
		})
		if ip != "" {
			return nil, apierr.Newf("InvalidAddress.NotFound", "Address '%s' not found in network border group '%s'.", ip, nbg)
		}
	}
	return nil, c.Engine.ReleaseAddress(id)
}

func describeAddresses(c *api.Call) (map[string]any, error) {
	var out []any
	var err error
	c.Engine.Read(func(st *model.State) {
		var items []*model.Address
		if items, err = byIDs(st.Addresses, c.In.Strings("AllocationIds"), notFound("InvalidAllocationID.NotFound", "allocation")); err != nil {
			return
		}
		if ips := c.In.Strings("PublicIps"); len(ips) > 0 {
			var keep []*model.Address
			for _, ip := range ips {
				found := false
				for _, a := range items {
					if a.PublicIP.String() == ip {
						keep, found = append(keep, a), true
					}
				}
				if !found {
					err = apierr.Newf("InvalidAddress.NotFound", "Address '%s' not found.", ip)
					return
				}
			}
			items = keep
		}
		fs := api.FilterSet[*model.Address]{
			Tags: func(a *model.Address) model.Tags { return a.Tags },
			Attrs: map[string]func(*model.Address) []string{
				"allocation-id":              func(a *model.Address) []string { return api.One(a.AllocationID) },
				"association-id":             func(a *model.Address) []string { return api.One(a.AssociationID) },
				"domain":                     func(a *model.Address) []string { return api.One(a.Domain) },
				"instance-id":                func(a *model.Address) []string { return api.One(a.InstanceID) },
				"network-interface-id":       func(a *model.Address) []string { return api.One(a.NetworkInterfaceID) },
				"network-interface-owner-id": func(a *model.Address) []string { return api.One(ownerIf(a.AssociationID != "", c.Account)) },
				"private-ip-address": func(a *model.Address) []string {
					if a.PrivateIP.IsValid() {
						return []string{a.PrivateIP.String()}
					}
					return nil
				},
				"public-ip":            func(a *model.Address) []string { return []string{a.PublicIP.String()} },
				"network-border-group": func(*model.Address) []string { return []string{c.Region} },
			},
		}
		if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
			return
		}
		items = api.SortBy(items, func(a *model.Address) string { return string(a.AllocationID) })
		out = make([]any, len(items))
		for i, a := range items {
			out[i] = addressOut(st, c.Account, a)
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Addresses": out}, nil
}

func ownerIf(ok bool, account string) string {
	if ok {
		return account
	}
	return ""
}

// addressAttrOut is an AddressAttribute: the reverse DNS record, when set.
func addressAttrOut(a *model.Address) map[string]any {
	return map[string]any{"AllocationId": a.AllocationID, "PublicIp": a.PublicIP, "PtrRecord": api.Str(a.PtrRecord)}
}

// checkDomainNameAttribute checks the Attribute parameter: domain-name is
// the one value (AddressAttributeName).
func checkDomainNameAttribute(c *api.Call, required bool) error {
	v := c.In.String("Attribute")
	if v == "" && !required {
		return nil
	}
	if v == "" {
		return apierr.New("MissingParameter", "The request must contain the parameter Attribute")
	}
	if v != "domain-name" {
		return apierr.Newf("InvalidParameterValue", "Value (%s) for parameter attribute is invalid. Valid values: domain-name", v)
	}
	return nil
}

func describeAddressesAttribute(c *api.Call) (map[string]any, error) {
	if err := checkDomainNameAttribute(c, false); err != nil {
		return nil, err
	}
	var items []*model.Address
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.Addresses, c.In.Strings("AllocationIds"), notFound("InvalidAllocationID.NotFound", "allocation"))
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(items, func(a, b *model.Address) int { return strings.Compare(string(a.AllocationID), string(b.AllocationID)) })
	items, next, err := page(c.In, items, func(a *model.Address) string { return string(a.AllocationID) }, 1, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, a := range items {
		out[i] = addressAttrOut(a)
	}
	return map[string]any{"Addresses": out, "NextToken": next}, nil
}

func modifyAddressAttribute(c *api.Call) (map[string]any, error) {
	name := c.In.String("DomainName")
	if name == "" {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter DomainName")
	}
	a, err := c.Engine.SetAddressDomainName(model.AllocationID(c.In.String("AllocationId")), name)
	if err != nil {
		return nil, err
	}
	out := addressAttrOut(a)
	// The change is answered as pending; Describe shows it applied.
	out["PtrRecordUpdate"] = map[string]any{"Value": a.PtrRecord, "Status": "PENDING", "Reason": nil}
	return map[string]any{"Address": out}, nil
}

func resetAddressAttribute(c *api.Call) (map[string]any, error) {
	if err := checkDomainNameAttribute(c, true); err != nil {
		return nil, err
	}
	a, err := c.Engine.SetAddressDomainName(model.AllocationID(c.In.String("AllocationId")), "")
	if err != nil {
		return nil, err
	}
	return map[string]any{"Address": addressAttrOut(a)}, nil
}

// vgwRoutePropagation answers Enable/DisableVgwRoutePropagation.
func vgwRoutePropagation(c *api.Call) (map[string]any, error) {
	rt, gw := c.In.String("RouteTableId"), c.In.String("GatewayId")
	if rt != "" && !strings.HasPrefix(rt, "rtb-") {
		return nil, apierr.Newf("InvalidRouteTableId.Malformed", "Invalid id: %q (expecting \"rtb-...\")", rt)
	}
	return nil, c.Engine.SetVgwRoutePropagation(model.RouteTableID(rt), model.VpnGatewayID(gw), c.Op.Name == "EnableVgwRoutePropagation")
}
