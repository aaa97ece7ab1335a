package fix

import (
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// behindNAT: a connection addressed to a NAT gateway, meant for the tasks
// whose subnets reach the internet through it. A NAT gateway carries only
// connections that start inside the VPC ("external services cannot
// initiate a connection with those instances", vpc-nat-gateway.html), so
// the way in is an internet-facing load balancer in front of the service
// of a task behind the gateway that serves the probed port (the first,
// in ARN order).
func (f *finder) behindNAT(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	ng := f.st.NatGateways[model.NatGatewayID(x.Component.ID)]
	if ng == nil {
		return nil
	}
	port := f.probedPort()
	arns := make([]string, 0, len(f.st.Tasks))
	for arn := range f.st.Tasks {
		arns = append(arns, arn)
	}
	slices.Sort(arns)
	for _, arn := range arns {
		tk := f.st.Tasks[arn]
		if !tk.Active() {
			continue
		}
		eni := f.st.NetworkInterfaces[tk.ENI()]
		td := f.st.TaskDefinitions[tk.TaskDefinitionARN]
		if eni == nil || td == nil || eni.VpcID != ng.VpcID || !f.routesToNAT(eni.SubnetID, ng.ID) {
			continue
		}
		if _, ok := containerFor(td, port); !ok {
			continue
		}
		fx, ok := f.viaLoadBalancer(tk)
		if !ok {
			continue
		}
		fx.Detail = "A NAT gateway only carries connections that start inside the VPC (its Elastic IP is the tasks' address for their outbound calls, never a way in). " +
			"An internet-facing load balancer in public subnets reaches the tasks' private addresses; clients call its DNS name."
		return []Fix{fx}
	}
	return nil
}

// routesToNAT reports whether a subnet's route table sends 0.0.0.0/0 to a
// NAT gateway.
func (f *finder) routesToNAT(s model.SubnetID, ng model.NatGatewayID) bool {
	rt := f.st.SubnetRouteTable(s)
	if rt == nil {
		return false
	}
	for _, r := range rt.Routes {
		if r.Target == model.TargetNatGateway && r.Destination.Bits() == 0 && strings.EqualFold(r.TargetID, string(ng)) {
			return true
		}
	}
	return false
}

// publicIPBehindNAT: a client on the internet calls a task's public IP,
// and the task's subnet routes 0.0.0.0/0 to a NAT gateway: the request
// comes in through the internet gateway, the reply leaves through the NAT
// gateway (from the NAT gateway's address) and the client never matches it
// to its connection. An internet-facing load balancer in the public
// subnets reaches the task by its private address, and the task keeps its
// private subnet.
func (f *finder) publicIPBehindNAT(x reach.Explanation) []Fix {
	tk := f.st.Tasks[f.q.To.ARN]
	if tk == nil || !tk.Active() || x.Component == nil {
		return nil
	}
	rt := f.st.RouteTables[model.RouteTableID(x.Component.ID)]
	if rt == nil || !slices.ContainsFunc(rt.Routes, func(r model.Route) bool {
		return r.Target == model.TargetNatGateway && r.Destination.Bits() == 0
	}) {
		return nil
	}
	if fx, ok := f.viaLoadBalancer(tk); ok {
		return []Fix{fx}
	}
	return nil
}
