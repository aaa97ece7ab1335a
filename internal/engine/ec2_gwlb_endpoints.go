package engine

import (
	"net/netip"
	"slices"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// endpointGWLB is the endpoint type of Gateway Load Balancer endpoints.
const endpointGWLB = "GatewayLoadBalancer"

// endpointServiceName is the service name of the account's endpoint
// service id: com.amazonaws.vpce.<region>.<id>.
func (t *txn) endpointServiceName(id model.EndpointServiceID) string {
	return model.VpceServiceName(t.e.cfg.Region, id)
}

// endpointServiceInUse reports whether an endpoint that is not rejected
// connects to the account's endpoint service id.
func (t *txn) endpointServiceInUse(id model.EndpointServiceID) bool {
	name := t.endpointServiceName(id)
	for _, ep := range t.st.VpcEndpoints {
		if ep.ServiceName == name && ep.State != "rejected" {
			return true
		}
	}
	return false
}

// accountEndpointService returns the account's endpoint service a service
// name (com.amazonaws.vpce.<region>.vpce-svc-…) names, or nil.
func (t *txn) accountEndpointService(name string) *model.EndpointServiceConfig {
	id, ok := model.VpceServiceID(t.e.cfg.Region, name)
	if !ok {
		return nil
	}
	return t.st.EndpointServices[id]
}

// createGWLBEndpoint creates a Gateway Load Balancer endpoint to svc, as
// AWS does (PrivateLink guide, "Gateway Load Balancer endpoints"):
//   - its type must be GatewayLoadBalancer, the service's type;
//   - exactly one subnet, in a zone the service's load balancers serve;
//   - no security groups and no private DNS;
//   - one requester-managed ENI of type gateway_load_balancer_endpoint in
//     the subnet;
//   - it waits in pendingAcceptance when the service requires acceptance
//     (AcceptVpcEndpointConnections), else pending until Step makes it
//     available (stepVpcEndpoints).
func (t *txn) createGWLBEndpoint(v *model.VPC, svc *model.EndpointServiceConfig, in CreateVpcEndpointInput, typ string, fixed map[model.SubnetID]netip.Addr) (*model.VpcEndpoint, error) {
	if typ != svc.Type {
		return nil, apierr.Newf("InvalidParameter", "Endpoint type (%s) does not match available service types ([%s])", typ, svc.Type)
	}
	if len(in.SecurityGroupIDs) > 0 {
		return nil, apierr.New("InvalidParameter", "Security groups are not supported for Gateway Load Balancer endpoints.") // UNVERIFIED text
	}
	if in.PrivateDNSEnabled != nil && *in.PrivateDNSEnabled {
		return nil, apierr.New("InvalidParameter", "Private DNS is not supported for Gateway Load Balancer endpoints.") // UNVERIFIED text
	}
	if len(in.RouteTableIDs) > 0 {
		return nil, apierr.New("InvalidParameter", "Route tables are not supported for Gateway Load Balancer endpoints.") // UNVERIFIED text
	}
	if len(in.SubnetIDs) != 1 {
		// "You can choose only one Availability Zone in the service
		// consumer VPC" (PrivateLink guide); the text is UNVERIFIED.
		return nil, apierr.New("InvalidParameter", "A Gateway Load Balancer endpoint must be created in exactly one subnet.")
	}
	s, err := t.subnet(in.SubnetIDs[0])
	if err != nil {
		return nil, err
	}
	if s.VpcID != v.ID {
		return nil, apierr.Newf("InvalidParameter", "The subnet ID '%s' is not in VPC '%s'", s.ID, v.ID) // UNVERIFIED text
	}
	if !slices.Contains(svc.Zones, s.AvailabilityZone) {
		return nil, apierr.Newf("InvalidParameter", "The VPC endpoint service %s does not support the availability zone of the subnet: %s.", in.ServiceName, s.ID) // probable text
	}
	ep := &model.VpcEndpoint{
		ID:          model.VpcEndpointID(t.newID("vpce")),
		VpcID:       v.ID,
		ServiceName: in.ServiceName,
		Type:        endpointGWLB,
		State:       endpointCreatedState(endpointGWLB, svc.AcceptanceRequired),
		CreatedAt:   t.now,
		Tags:        in.Tags.Clone(),
	}
	n, err := t.newENI(eniSpec{
		privateIP:   fixed[s.ID],
		subnet:      s,
		description: "VPC Endpoint Interface " + string(ep.ID),
		typ:         model.InterfaceGWLBEndpoint,
		ownerKind:   model.OwnedByVpcEndpoint,
		managedBy:   string(ep.ID),
		requester:   endpointRequesterID,
	})
	if err != nil {
		return nil, err
	}
	c := cloneENI(n)
	c.SecurityGroups = nil // newENI gives the default group; the endpoint's ENI has none
	t.putENI(c)
	ep.Subnets = []model.SubnetID{s.ID}
	ep.NetworkInterfaces = []model.NetworkInterfaceID{n.ID}
	put(t, model.KindVpcEndpoint, t.st.VpcEndpoints, ep.ID, ep)
	return ep, nil
}

// endpointCreatedState is the state CreateVpcEndpoint answers for an
// endpoint of type typ: a Gateway endpoint is "available" at once,
// Interface and GatewayLoadBalancer endpoints are "pending" (the aws
// CLI's create-vpc-endpoint examples 1 to 3), or "pendingAcceptance" to
// an endpoint service that requires acceptance.
func endpointCreatedState(typ string, acceptance bool) string {
	switch {
	case typ == endpointGateway:
		return "available"
	case acceptance:
		return "pendingAcceptance"
	}
	return "pending"
}

// stepVpcEndpoints makes the pending endpoints available once due
// (Config.TaskStartDelay after their creation): AWS provisions an
// interface or Gateway Load Balancer endpoint's network interfaces
// before it carries traffic; until then it forwards nothing and routes
// cannot name it.
func (t *txn) stepVpcEndpoints() {
	var due []model.VpcEndpointID
	for id, ep := range t.st.VpcEndpoints {
		if ep.State == "pending" && t.due(ep.CreatedAt.Add(t.e.cfg.TaskStartDelay)) {
			due = append(due, id)
		}
	}
	slices.Sort(due)
	for _, id := range due {
		c := cloneEndpoint(t.st.VpcEndpoints[id])
		c.State = "available"
		put(t, model.KindVpcEndpoint, t.st.VpcEndpoints, c.ID, c)
	}
}

// EndpointConnectionItem is one endpoint AcceptVpcEndpointConnections or
// RejectVpcEndpointConnections could not change.
type EndpointConnectionItem struct {
	ResourceID, Code, Message string
}

// SetEndpointConnections accepts (or rejects) the connection requests of
// endpoints to one of the account's endpoint services: an endpoint in
// pendingAcceptance becomes available (or rejected). An endpoint that is
// not the service's, or not waiting, comes back as an unsuccessful item.
func (e *Engine) SetEndpointConnections(id model.EndpointServiceID, endpoints []model.VpcEndpointID, accept bool) ([]EndpointConnectionItem, error) {
	if len(endpoints) == 0 {
		return nil, errMissingParameter("VpcEndpointId")
	}
	var out []EndpointConnectionItem
	err := e.write(func(t *txn) error {
		svc, err := t.endpointService(id)
		if err != nil {
			return err
		}
		name := t.endpointServiceName(svc.ID)
		for _, eid := range endpoints {
			ep := t.st.VpcEndpoints[eid]
			switch {
			case ep == nil || ep.ServiceName != name:
				out = append(out, EndpointConnectionItem{ResourceID: string(eid), Code: "InvalidVpcEndpoint.NotFound",
					Message: "The Vpc Endpoint Id '" + string(eid) + "' does not exist"}) // as DeleteVpcEndpoints
				continue
			case ep.State != "pendingAcceptance":
				out = append(out, EndpointConnectionItem{ResourceID: string(eid), Code: "InvalidVpcEndpointState",
					Message: "Endpoint " + string(eid) + " is in state " + ep.State + ", not pendingAcceptance"}) // UNVERIFIED text
				continue
			}
			c := cloneEndpoint(ep)
			c.State = "available"
			if !accept {
				c.State = "rejected"
			}
			put(t, model.KindVpcEndpoint, t.st.VpcEndpoints, c.ID, c)
		}
		return nil
	})
	return out, err
}

// createPrivateLinkEndpoint creates an interface endpoint to svc, an
// endpoint service of Network Load Balancers (AWS PrivateLink), as AWS
// does (PrivateLink guide, "Access a service through an interface
// endpoint" and "Share your services through AWS PrivateLink"):
//   - its type must be Interface, the service's type;
//   - each subnet must be in a zone the service's load balancers serve
//     (the endpoint cannot be created in another zone);
//   - one ENI per subnet with the security groups given (else the VPC's
//     default group), as any interface endpoint;
//   - private DNS only when the service has a private DNS name [choice:
//     off by default, as the console's checkbox];
//   - it waits in pendingAcceptance when the service requires acceptance,
//     else it is pending until Step makes it available.
func (t *txn) createPrivateLinkEndpoint(v *model.VPC, svc *model.EndpointServiceConfig, in CreateVpcEndpointInput, typ string, fixed endpointFixed) (*model.VpcEndpoint, error) {
	if typ != svc.Type {
		return nil, apierr.Newf("InvalidParameter", "Endpoint type (%s) does not match available service types ([%s])", typ, svc.Type)
	}
	if in.PrivateDNSEnabled != nil && *in.PrivateDNSEnabled && svc.PrivateDNSName == "" {
		return nil, apierr.Newf("InvalidParameter", "Private DNS can't be enabled because the service %s does not provide a private DNS name.", in.ServiceName) // UNVERIFIED text
	}
	for _, id := range in.SubnetIDs {
		s, err := t.subnet(id)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(svc.Zones, s.AvailabilityZone) {
			return nil, apierr.Newf("InvalidParameter", "The VPC endpoint service %s does not support the availability zone of the subnet: %s.", in.ServiceName, s.ID) // probable text, as the GWLB endpoint's
		}
	}
	ep := &model.VpcEndpoint{
		ID:                model.VpcEndpointID(t.newID("vpce")),
		VpcID:             v.ID,
		ServiceName:       in.ServiceName,
		Type:              typ,
		State:             endpointCreatedState(typ, svc.AcceptanceRequired),
		PrivateDNSEnabled: in.PrivateDNSEnabled != nil && *in.PrivateDNSEnabled,
		PolicyDocument:    in.PolicyDocument,
		CreatedAt:         t.now,
		Tags:              in.Tags.Clone(),
	}
	groups, err := t.endpointGroups(v, in.SecurityGroupIDs)
	if err != nil {
		return nil, err
	}
	ep.SecurityGroups = groups
	if err := t.addEndpointSubnets(ep, in.SubnetIDs, fixed); err != nil {
		return nil, err
	}
	put(t, model.KindVpcEndpoint, t.st.VpcEndpoints, ep.ID, ep)
	return ep, nil
}
