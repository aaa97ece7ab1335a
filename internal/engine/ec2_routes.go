package engine

import (
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// CreateInternetGateway creates a detached internet gateway.
func (e *Engine) CreateInternetGateway(tags model.Tags) (*model.InternetGateway, error) {
	var out *model.InternetGateway
	err := e.write(func(t *txn) error {
		out = &model.InternetGateway{ID: model.InternetGatewayID(t.newID("igw")), Tags: tags.Clone()}
		put(t, model.KindInternetGateway, t.st.InternetGateways, out.ID, out)
		return nil
	})
	return out, err
}

func (t *txn) igw(id model.InternetGatewayID) (*model.InternetGateway, error) {
	if err := checkID(string(id), "igw", "InvalidInternetGatewayID.Malformed"); err != nil {
		return nil, err
	}
	g := t.st.InternetGateways[id]
	if g == nil {
		return nil, errIGWNotFound(id)
	}
	return g, nil
}

// AttachInternetGateway attaches a gateway to a VPC. A gateway attaches to
// one VPC and a VPC takes one gateway.
func (e *Engine) AttachInternetGateway(id model.InternetGatewayID, vpc model.VpcID) error {
	return e.write(func(t *txn) error {
		g, err := t.igw(id)
		if err != nil {
			return err
		}
		if _, err := t.vpc(vpc); err != nil {
			return err
		}
		if g.VpcID != "" {
			return apierr.Newf("Resource.AlreadyAssociated", "resource %s is already attached to network %s", id, g.VpcID)
		}
		if other := t.st.VpcInternetGateway(vpc); other != nil {
			return apierr.Newf("Resource.AlreadyAssociated", "resource %s is already attached to network %s", other.ID, vpc)
		}
		ng := *g
		ng.VpcID = vpc
		put(t, model.KindInternetGateway, t.st.InternetGateways, id, &ng)
		return nil
	})
}

// DetachInternetGateway detaches a gateway from its VPC. AWS refuses while
// anything in the VPC holds a public address.
func (e *Engine) DetachInternetGateway(id model.InternetGatewayID, vpc model.VpcID) error {
	return e.write(func(t *txn) error {
		g, err := t.igw(id)
		if err != nil {
			return err
		}
		if _, err := t.vpc(vpc); err != nil {
			return err
		}
		if g.VpcID != vpc {
			return apierr.Newf("Gateway.NotAttached", "resource %s is not attached to network %s", id, vpc)
		}
		if t.e.idx.vpcPublicENIs[vpc] > 0 {
			return apierr.Newf("DependencyViolation", "Network %s has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.", vpc)
		}
		ng := *g
		ng.VpcID = ""
		put(t, model.KindInternetGateway, t.st.InternetGateways, id, &ng)
		return nil
	})
}

// DeleteInternetGateway deletes a detached gateway.
func (e *Engine) DeleteInternetGateway(id model.InternetGatewayID) error {
	return e.write(func(t *txn) error {
		g, err := t.igw(id)
		if err != nil {
			return err
		}
		if g.VpcID != "" {
			return errDependency("internetGateway", string(id))
		}
		del(t, model.KindInternetGateway, t.st.InternetGateways, id)
		return nil
	})
}

// CreateRouteTable creates a route table with a local route for each of the
// VPC's CIDRs.
func (e *Engine) CreateRouteTable(vpc model.VpcID, tags model.Tags) (*model.RouteTable, error) {
	var out *model.RouteTable
	err := e.write(func(t *txn) error {
		v, err := t.vpc(vpc)
		if err != nil {
			return err
		}
		rt := &model.RouteTable{ID: model.RouteTableID(t.newID("rtb")), VpcID: vpc, Tags: tags.Clone()}
		for _, c := range v.CIDRs() {
			rt.Routes = append(rt.Routes, localRoute(c))
		}
		for _, b := range v.IPv6 {
			rt.Routes = append(rt.Routes, localRoute(b.CIDR))
		}
		put(t, model.KindRouteTable, t.st.RouteTables, rt.ID, rt)
		out = rt
		return nil
	})
	return out, err
}

func (t *txn) routeTable(id model.RouteTableID) (*model.RouteTable, error) {
	if err := checkID(string(id), "rtb", "InvalidRouteTableID.Malformed"); err != nil {
		return nil, err
	}
	rt := t.st.RouteTables[id]
	if rt == nil {
		return nil, errRouteTableNotFound(id)
	}
	return rt, nil
}

// DeleteRouteTable deletes a route table that is neither main nor
// associated with a subnet.
func (e *Engine) DeleteRouteTable(id model.RouteTableID) error {
	return e.write(func(t *txn) error {
		rt, err := t.routeTable(id)
		if err != nil {
			return err
		}
		if len(rt.Associations) > 0 {
			return errDependency("routeTable", string(id))
		}
		for _, ep := range t.st.VpcEndpoints {
			if slices.Contains(ep.RouteTables, id) {
				return errDependency("routeTable", string(id))
			}
		}
		del(t, model.KindRouteTable, t.st.RouteTables, id)
		return nil
	})
}

// RouteInput describes a route: a destination (CIDR or prefix list) and
// exactly one target.
type RouteInput struct {
	RouteTableID          model.RouteTableID
	DestinationCIDR       string
	DestinationIPv6CIDR   string
	DestinationPrefixList model.PrefixListID
	GatewayID             string // an internet gateway (or "local" for ReplaceRoute)
	NatGatewayID          model.NatGatewayID
	NetworkInterfaceID    model.NetworkInterfaceID
	InstanceID            model.InstanceID
	VpcEndpointID         model.VpcEndpointID
	VpcPeeringID          model.VpcPeeringConnectionID
	EgressOnlyIGWID       model.EgressOnlyIGWID
	TransitGatewayID      model.TransitGatewayID
}

// resolveRoute validates a route's destination and target against rt.
func (t *txn) resolveRoute(rt *model.RouteTable, in RouteInput) (model.Route, error) {
	var r model.Route
	dests := 0
	for _, d := range []string{in.DestinationCIDR, in.DestinationIPv6CIDR, string(in.DestinationPrefixList)} {
		if d != "" {
			dests++
		}
	}
	switch {
	case dests > 1:
		return r, apierr.New("InvalidParameterCombination", "Only one of destinationCidrBlock, destinationIpv6CidrBlock and destinationPrefixListId may be specified.")
	case in.DestinationIPv6CIDR != "":
		p, err := parseIPv6Prefix("destinationIpv6CidrBlock", in.DestinationIPv6CIDR)
		if err != nil {
			return r, err
		}
		r.Destination = p.Masked()
	case in.DestinationCIDR != "":
		p, err := parseIPv4Prefix("destinationCidrBlock", in.DestinationCIDR)
		if err != nil {
			return r, err
		}
		r.Destination = p.Masked()
	case in.DestinationPrefixList != "":
		if t.st.PrefixLists[in.DestinationPrefixList] == nil {
			return r, apierr.Newf("InvalidPrefixListID.NotFound", "The prefix list ID '%s' does not exist", in.DestinationPrefixList)
		}
		r.DestinationPrefixList = in.DestinationPrefixList
	default:
		return r, errMissingParameter("destinationCidrBlock")
	}
	n := 0
	for _, s := range []string{in.GatewayID, string(in.NatGatewayID), string(in.NetworkInterfaceID), string(in.InstanceID), string(in.VpcEndpointID), string(in.VpcPeeringID), string(in.EgressOnlyIGWID), string(in.TransitGatewayID)} {
		if s != "" {
			n++
		}
	}
	if n != 1 {
		return r, apierr.New("InvalidParameterCombination", "The parameter combination is not valid: one target (gatewayId, natGatewayId, networkInterfaceId, instanceId or vpcEndpointId) must be specified.")
	}
	r.Origin = "CreateRoute"
	if strings.HasPrefix(in.GatewayID, "nat-") {
		// EC2 takes a NAT gateway's id as GatewayId too and makes a NAT
		// gateway route (hashicorp/terraform#8035, terraform-provider-aws#1239).
		in.NatGatewayID, in.GatewayID = model.NatGatewayID(in.GatewayID), ""
	}
	switch {
	case in.GatewayID == "local":
		r.Target, r.TargetID = model.TargetLocal, "local"
	case in.TransitGatewayID != "":
		tr, err := t.tgwRouteTarget(rt, in.TransitGatewayID)
		if err != nil {
			return r, err
		}
		r.Target, r.TargetID = tr.Target, tr.TargetID
	case in.EgressOnlyIGWID != "":
		g, err := t.eigw(in.EgressOnlyIGWID)
		if err != nil {
			return r, err
		}
		if g.VpcID != rt.VpcID {
			return r, errInvalidParameterValue("route table %s and network gateway %s belong to different networks", rt.ID, g.ID)
		}
		if !r.Destination.Addr().Is6() {
			// UNVERIFIED text: an egress-only gateway carries IPv6 only
			// (egress-only-internet-gateway.md).
			return r, errInvalidParameterValue("Egress-only internet gateway %s can only be used with IPv6 destinations (destinationIpv6CidrBlock).", g.ID)
		}
		r.Target, r.TargetID = model.TargetEgressOnlyIGW, string(g.ID)
	case strings.HasPrefix(in.GatewayID, "vgw-"):
		return t.vgwRoute(rt, r, model.VpnGatewayID(in.GatewayID))
	case in.GatewayID != "":
		g, err := t.igw(model.InternetGatewayID(in.GatewayID))
		if err != nil {
			return r, err
		}
		if g.VpcID != rt.VpcID {
			return r, errInvalidParameterValue("route table %s and network gateway %s belong to different networks", rt.ID, g.ID)
		}
		r.Target, r.TargetID = model.TargetInternetGateway, string(g.ID)
	case in.NatGatewayID != "":
		ng := t.st.NatGateways[in.NatGatewayID]
		if ng == nil || ng.State == "deleted" {
			return r, errNatNotFound(in.NatGatewayID)
		}
		if ng.VpcID != rt.VpcID {
			return r, errInvalidParameterValue("route table %s and network gateway %s belong to different networks", rt.ID, ng.ID)
		}
		r.Target, r.TargetID = model.TargetNatGateway, string(ng.ID)
	case in.NetworkInterfaceID != "":
		eni := t.st.NetworkInterfaces[in.NetworkInterfaceID]
		if eni == nil {
			return r, errENINotFound(in.NetworkInterfaceID)
		}
		if eni.VpcID != rt.VpcID {
			return r, errInvalidParameterValue("route table %s and interface %s belong to different networks", rt.ID, eni.ID)
		}
		r.Target, r.TargetID = model.TargetNetworkInterface, string(eni.ID)
	case in.InstanceID != "":
		inst := t.st.Instances[in.InstanceID]
		if inst == nil || inst.State == model.InstanceTerminated {
			return r, errInstanceNotFound(in.InstanceID)
		}
		if len(t.instanceENIs(inst.ID)) > 1 {
			return r, apierr.Newf("InvalidInstanceID", "There are multiple interfaces attached to instance '%s'. Please specify an interface ID for the operation instead.", inst.ID)
		}
		if inst.VpcID != rt.VpcID {
			return r, errInvalidParameterValue("route table %s and instance %s belong to different networks", rt.ID, inst.ID)
		}
		r.Target, r.TargetID = model.TargetInstance, string(inst.ID)
	case in.VpcEndpointID != "":
		ep := t.st.VpcEndpoints[in.VpcEndpointID]
		if ep == nil {
			return r, errEndpointNotFound(in.VpcEndpointID)
		}
		// "Supported for Gateway Load Balancer endpoints only"
		// (CreateRouteRequest.VpcEndpointId), and only once available: AWS
		// refuses a route to a gateway or interface endpoint, and to a
		// Gateway Load Balancer endpoint still pending, with
		// RouteNotSupported (docs/aws-behavior.md, VPC endpoints).
		if ep.Type != endpointGWLB || ep.State != "available" {
			return r, apierr.Newf("RouteNotSupported", "Route table contains unsupported route target: %s. VPC Endpoints of this type cannot be used as route targets.", ep.ID)
		}
		if ep.VpcID != rt.VpcID {
			return r, errInvalidParameterValue("route table %s and VPC endpoint %s belong to different networks", rt.ID, ep.ID)
		}
		r.Target, r.TargetID = model.TargetVpcEndpoint, string(ep.ID)
	case in.VpcPeeringID != "":
		pcx, err := t.peering(in.VpcPeeringID)
		if err != nil {
			return r, err
		}
		if _, ok := pcx.Peer(rt.VpcID); !ok {
			return r, errInvalidParameterValue("route table %s and VPC peering connection %s belong to different networks", rt.ID, pcx.ID)
		}
		r.Target, r.TargetID = model.TargetVpcPeering, string(pcx.ID)
	}
	return r, nil
}

// checkRouteInsideVPC refuses a route whose destination is one of the
// VPC's CIDR blocks (the local route's) or lies inside one (a route more
// specific than the local route) unless AWS takes its target there: the
// local target itself, a network interface or instance (a middlebox), a
// Gateway Load Balancer endpoint, or a NAT gateway. Any other target
// (internet, virtual private, egress-only or transit gateway, peering
// connection) is InvalidParameterValue "Route target is not supported. This
// route only supports interface and instance targets." (docs/aws-behavior.md,
// "Round thirty: EC2 networking").
func (t *txn) checkRouteInsideVPC(rt *model.RouteTable, r model.Route) error {
	v := t.st.VPCs[rt.VpcID]
	if v == nil || !r.Destination.IsValid() {
		return nil
	}
	blocks := v.CIDRs()
	for _, b := range v.IPv6 {
		blocks = append(blocks, b.CIDR)
	}
	inside := false
	for _, b := range blocks {
		if b.IsValid() && b.Addr().Is4() == r.Destination.Addr().Is4() && b.Bits() <= r.Destination.Bits() && b.Contains(r.Destination.Addr()) {
			inside = true
			break
		}
	}
	if !inside {
		return nil
	}
	switch r.Target {
	case model.TargetLocal, model.TargetNetworkInterface, model.TargetInstance, model.TargetVpcEndpoint, model.TargetNatGateway:
		return nil
	}
	return apierr.New("InvalidParameterValue", "Route target is not supported. This route only supports interface and instance targets.")
}

func sameDestination(a, b model.Route) bool {
	return a.Destination == b.Destination && a.DestinationPrefixList == b.DestinationPrefixList
}

func routeDest(r model.Route) string {
	if r.DestinationPrefixList != "" {
		return string(r.DestinationPrefixList)
	}
	return r.Destination.String()
}

// CreateRoute adds a route. The destination must be new to the table.
func (e *Engine) CreateRoute(in RouteInput) error {
	return e.write(func(t *txn) error {
		rt, err := t.routeTable(in.RouteTableID)
		if err != nil {
			return err
		}
		r, err := t.resolveRoute(rt, in)
		if err != nil {
			return err
		}
		if r.Target == model.TargetLocal {
			return errInvalidParameterValue("The gateway ID 'local' is not valid for CreateRoute.")
		}
		if err := t.checkRouteInsideVPC(rt, r); err != nil {
			return err
		}
		for _, old := range rt.Routes {
			if sameDestination(old, r) {
				return apierr.Newf("RouteAlreadyExists", "The route identified by %s already exists.", routeDest(r))
			}
		}
		c := cloneRT(rt)
		c.Routes = append(c.Routes, r)
		put(t, model.KindRouteTable, t.st.RouteTables, c.ID, c)
		return nil
	})
}

// ReplaceRoute changes the target of an existing route.
func (e *Engine) ReplaceRoute(in RouteInput) error {
	return e.write(func(t *txn) error {
		rt, err := t.routeTable(in.RouteTableID)
		if err != nil {
			return err
		}
		r, err := t.resolveRoute(rt, in)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(rt.Routes, func(old model.Route) bool { return sameDestination(old, r) })
		if i < 0 {
			return errInvalidParameterValue("There is no route defined for '%s' in the route table. Use CreateRoute instead.", routeDest(r))
		}
		if err := t.checkRouteInsideVPC(rt, r); err != nil {
			return err
		}
		c := cloneRT(rt)
		c.Routes[i] = r
		put(t, model.KindRouteTable, t.st.RouteTables, c.ID, c)
		return nil
	})
}

// DeleteRoute removes a route; the local route cannot be removed.
func (e *Engine) DeleteRoute(in RouteInput) error {
	return e.write(func(t *txn) error {
		rt, err := t.routeTable(in.RouteTableID)
		if err != nil {
			return err
		}
		var want model.Route
		if in.DestinationPrefixList != "" {
			want.DestinationPrefixList = in.DestinationPrefixList
		} else if in.DestinationIPv6CIDR != "" {
			p, err := parseIPv6Prefix("destinationIpv6CidrBlock", in.DestinationIPv6CIDR)
			if err != nil {
				return err
			}
			want.Destination = p.Masked()
		} else {
			p, err := parseIPv4Prefix("destinationCidrBlock", in.DestinationCIDR)
			if err != nil {
				return err
			}
			want.Destination = p.Masked()
		}
		i := slices.IndexFunc(rt.Routes, func(old model.Route) bool { return sameDestination(old, want) })
		if i < 0 {
			if want.Destination.Addr().Is6() {
				return apierr.Newf("InvalidRoute.NotFound", "no route with destination-ipv6-cidr-block %s in route table %s", routeDest(want), rt.ID)
			}
			return apierr.Newf("InvalidRoute.NotFound", "no route with destination-cidr-block %s in route table %s", routeDest(want), rt.ID)
		}
		if rt.Routes[i].Target == model.TargetLocal {
			return errInvalidParameterValue("cannot remove local route %s in route table %s", routeDest(want), rt.ID)
		}
		c := cloneRT(rt)
		c.Routes = slices.Delete(c.Routes, i, i+1)
		put(t, model.KindRouteTable, t.st.RouteTables, c.ID, c)
		return nil
	})
}

// AssociateRouteTable explicitly associates a route table with a subnet of
// its VPC.
func (e *Engine) AssociateRouteTable(id model.RouteTableID, subnet model.SubnetID) (model.RouteTableAssocID, error) {
	var out model.RouteTableAssocID
	err := e.write(func(t *txn) error {
		rt, err := t.routeTable(id)
		if err != nil {
			return err
		}
		s, err := t.subnet(subnet)
		if err != nil {
			return err
		}
		if s.VpcID != rt.VpcID {
			return errInvalidParameterValue("Route table %s and subnet %s belong to different networks", id, subnet)
		}
		for _, other := range t.st.RouteTables {
			for _, a := range other.Associations {
				if a.SubnetID == subnet {
					return apierr.Newf("Resource.AlreadyAssociated", "the specified association for route table %s conflicts with an existing association", id)
				}
			}
		}
		c := cloneRT(rt)
		out = model.RouteTableAssocID(t.newID("rtbassoc"))
		c.Associations = append(c.Associations, model.RouteTableAssociation{ID: out, SubnetID: subnet})
		put(t, model.KindRouteTable, t.st.RouteTables, c.ID, c)
		return nil
	})
	return out, err
}

func (t *txn) findRTAssociation(id model.RouteTableAssocID) (*model.RouteTable, int, error) {
	for _, rt := range t.st.RouteTables {
		for i, a := range rt.Associations {
			if a.ID == id {
				return rt, i, nil
			}
		}
	}
	return nil, 0, errAssociationNotFound(string(id))
}

// DisassociateRouteTable removes an explicit association; the subnet falls
// back to the main route table.
func (e *Engine) DisassociateRouteTable(id model.RouteTableAssocID) error {
	return e.write(func(t *txn) error {
		rt, i, err := t.findRTAssociation(id)
		if err != nil {
			return err
		}
		if rt.Associations[i].Main {
			return errInvalidParameterValue("cannot disassociate the main route table association %s", id)
		}
		c := cloneRT(rt)
		c.Associations = slices.Delete(c.Associations, i, i+1)
		put(t, model.KindRouteTable, t.st.RouteTables, c.ID, c)
		return nil
	})
}

// ReplaceRouteTableAssociation moves an association (explicit or main) to
// another route table of the same VPC, returning the new association id.
func (e *Engine) ReplaceRouteTableAssociation(id model.RouteTableAssocID, rtb model.RouteTableID) (model.RouteTableAssocID, error) {
	var out model.RouteTableAssocID
	err := e.write(func(t *txn) error {
		from, i, err := t.findRTAssociation(id)
		if err != nil {
			return err
		}
		to, err := t.routeTable(rtb)
		if err != nil {
			return err
		}
		if to.VpcID != from.VpcID {
			return errInvalidParameterValue("Route table %s and association %s belong to different networks", rtb, id)
		}
		a := from.Associations[i]
		c := cloneRT(from)
		c.Associations = slices.Delete(c.Associations, i, i+1)
		put(t, model.KindRouteTable, t.st.RouteTables, c.ID, c)
		out = model.RouteTableAssocID(t.newID("rtbassoc"))
		a.ID = out
		d := cloneRT(t.st.RouteTables[rtb])
		d.Associations = append(d.Associations, a)
		put(t, model.KindRouteTable, t.st.RouteTables, d.ID, d)
		if a.Main {
			v := *t.st.VPCs[to.VpcID]
			v.MainRouteTable = rtb
			put(t, model.KindVPC, t.st.VPCs, v.ID, &v)
		}
		return nil
	})
	return out, err
}

// RouteState reports whether a route of a table of vpc is "active" or a
// "blackhole", as DescribeRouteTables shows it (model.State.RouteStateIn).
func RouteState(st *model.State, vpc model.VpcID, r model.Route) string {
	return st.RouteStateIn(vpc, r)
}
