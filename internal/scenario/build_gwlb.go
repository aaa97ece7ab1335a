package scenario

import (
	"slices"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Gateway Load Balancers in scenario files: a load balancer of type
// gateway with a listener that forwards to a GENEVE target group of
// appliances, an endpoint service of it, Gateway Load Balancer endpoints
// in subnets, and routes whose target is such an endpoint:
//
//	target_groups:
//	  appliances: {vpc: sec, protocol: GENEVE, port: 6081, targets: [{id: fw-a}], health_check: {protocol: TCP, port: "80"}}
//	load_balancers:
//	  inspect: {type: gateway, subnets: [appl-a], listeners: [{forward: appliances}]}
//	endpoint_services:
//	  inspect-svc: {gateway_load_balancers: [inspect]}
//	vpc_endpoints:
//	  gwlbe-a: {vpc: app, endpoint_service: inspect-svc, subnets: [gwlbe-a]}   # type GatewayLoadBalancer
//	route_tables:
//	  ingress: {vpc: app, gateways: [app-igw], routes: [{destination: 10.0.1.0/24, target: gwlbe-a}]}
//
// A route table's gateways are edge associations (AssociateRouteTable
// with GatewayId): the table routes what enters the VPC through the
// internet gateway, AWS's "ingress routing" ("Gateway route tables",
// Amazon VPC user guide). The endpoints exist only once their load
// balancers do, so the routes to them are added last, as the routes to
// instances are.

// gatewayEndpointService reports whether the file's endpoint service of
// that name is one of Gateway Load Balancers.
func gatewayEndpointService(sp *fileSpec, name string) bool {
	i := slices.IndexFunc(sp.EndpointServices, func(x entry[endpointServiceSpec]) bool { return x.Name == name })
	return i >= 0 && len(sp.EndpointServices[i].Value.GatewayLoadBalancers) > 0
}

// declaresServiceEndpoint reports whether the file declares a VPC
// endpoint of that name to one of its endpoint services (created after
// the load balancers, build_privatelink.go).
func declaresServiceEndpoint(sp *fileSpec, name string) bool {
	return slices.ContainsFunc(sp.VpcEndpoints, func(x entry[vpceSpec]) bool { return x.Name == name && x.Value.EndpointService != "" })
}

// edgeAssociations associates route tables with the internet gateways
// their gateways name (gateway route tables).
func (b *builder) edgeAssociations(sp *fileSpec) error {
	for _, r := range sp.RouteTables {
		owner := "route table " + strconv.Quote(r.Name)
		for _, g := range r.Value.Gateways {
			gw, err := b.ref("internet gateway", g, r.line("gateways"), owner)
			if err != nil {
				return err
			}
			if _, err := b.e.AssociateRouteTableGateway(model.RouteTableID(b.names["route table"][r.Name]), gw); err != nil {
				return b.fail(r.line("gateways"), owner, err)
			}
		}
	}
	return nil
}
