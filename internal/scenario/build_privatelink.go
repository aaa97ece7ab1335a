package scenario

import (
	"strconv"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// endpointServices creates the endpoint services of Network Load
// Balancers (AWS PrivateLink) once the load balancers exist, then the
// interface endpoints to them (vpc_endpoints with endpoint_service),
// accepting each one the file marks accepted, as the service's owner does
// with AcceptVpcEndpointConnections.
func (b *builder) endpointServices(sp *fileSpec) error {
	names := map[string]string{}
	for _, x := range sp.EndpointServices {
		owner := "endpoint service " + strconv.Quote(x.Name)
		in := engine.EndpointServiceInput{AcceptanceRequired: x.Value.AcceptanceRequired, Tags: tags(x.Name, x.Value.Tags)}
		for _, l := range x.Value.NetworkLoadBalancers {
			arn, err := b.ref("load balancer", l, x.line("network_load_balancers"), owner)
			if err != nil {
				return err
			}
			in.NetworkLBs = append(in.NetworkLBs, arn)
		}
		for _, l := range x.Value.GatewayLoadBalancers {
			arn, err := b.ref("load balancer", l, x.line("gateway_load_balancers"), owner)
			if err != nil {
				return err
			}
			in.GatewayLBs = append(in.GatewayLBs, arn)
		}
		svc, err := b.e.CreateEndpointService(in)
		if err != nil {
			return b.fail(x.Line, owner, err)
		}
		b.set("endpoint service", x.Name, string(svc.ID))
		names[x.Name] = model.VpceServiceName(b.s.Region, svc.ID)
	}
	for _, x := range sp.VpcEndpoints {
		if x.Value.EndpointService == "" {
			continue
		}
		owner := "vpc endpoint " + strconv.Quote(x.Name)
		id, err := b.ref("endpoint service", x.Value.EndpointService, x.line("endpoint_service"), owner)
		if err != nil {
			return err
		}
		vpc, err := b.ref("vpc", x.Value.VPC, x.line("vpc"), owner)
		if err != nil {
			return err
		}
		typ := x.Value.Type
		if typ == "" {
			typ = "Interface"
			if gatewayEndpointService(sp, x.Value.EndpointService) {
				typ = "GatewayLoadBalancer"
			}
		}
		in := engine.CreateVpcEndpointInput{VpcID: model.VpcID(vpc), ServiceName: names[x.Value.EndpointService], Type: typ,
			PrivateDNSEnabled: x.Value.PrivateDNS, PolicyDocument: x.Value.Policy, Tags: tags(x.Name, x.Value.Tags)}
		if in.SubnetIDs, err = b.subnetIDs(x.Value.Subnets, x.line("subnets"), owner); err != nil {
			return err
		}
		if in.SecurityGroupIDs, err = b.groupIDs(x.Value.SecurityGroups, x.line("security_groups"), owner); err != nil {
			return err
		}
		ep, err := b.e.CreateVpcEndpoint(in)
		if err != nil {
			line := x.Line
			if len(x.Value.Subnets) > 0 {
				line = x.line("subnets")
			}
			return b.fail(line, owner, err)
		}
		if x.Value.Accepted && ep.State == "pendingAcceptance" {
			items, err := b.e.SetEndpointConnections(model.EndpointServiceID(id), []model.VpcEndpointID{ep.ID}, true)
			if err != nil {
				return b.fail(x.line("accepted"), owner, err)
			}
			if len(items) > 0 {
				return b.errf(x.line("accepted"), "%s: %s: %s", owner, items[0].Code, items[0].Message)
			}
		}
		b.set("vpc endpoint", x.Name, string(ep.ID))
	}
	return nil
}
