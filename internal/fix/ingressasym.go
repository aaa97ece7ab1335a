package fix

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// ingressSymmetry: a flow between the internet and a subnet goes through
// a Gateway Load Balancer or Network Firewall endpoint one way only
// (reach.CodeIngressAsymmetric). The fix routes the other way through the
// endpoint: when the finding names a subnet route (x.Route), that route
// replaced to the endpoint; else the subnet holding x.Address gets a route
// for its range to the endpoint in the internet gateway's route table (an
// edge association), the table created and associated when the gateway
// has none ("Configure routing", Gateway Load Balancer endpoints;
// Network Firewall, "Avoiding asymmetric routing").
func (f *finder) ingressSymmetry(x reach.Explanation) []Fix {
	if x.Component == nil || x.Component.Type != "vpc-endpoint" {
		return nil
	}
	ep := model.VpcEndpointID(x.Component.ID)
	vep := f.st.VpcEndpoints[ep]
	if vep == nil {
		return nil
	}
	if r := x.Route; r != nil && r.DestinationCIDR.IsValid() {
		// The route named, and the same route of every other subnet whose
		// range the internet gateway's route table sends to an endpoint
		// while the subnet sends that destination straight to the gateway:
		// each through its own endpoint.
		type change struct {
			rt model.RouteTableID
			ep model.VpcEndpointID
		}
		changes := []change{{model.RouteTableID(r.RouteTableID), ep}}
		dst := r.DestinationCIDR
		if igw := f.st.VpcInternetGateway(vep.VpcID); igw != nil {
			if edge := f.st.GatewayRouteTable(string(igw.ID)); edge != nil {
				for _, er := range edge.Routes {
					if er.Target != model.TargetVpcEndpoint {
						continue
					}
					for _, id := range slices.Sorted(maps.Keys(f.st.Subnets)) {
						sn := f.st.Subnets[id]
						rt := f.st.SubnetRouteTable(id)
						if sn.VpcID != vep.VpcID || rt == nil || !er.Destination.Contains(sn.CIDR.Addr()) || rt.ID == changes[0].rt ||
							slices.ContainsFunc(changes, func(c change) bool { return c.rt == rt.ID }) {
							continue
						}
						if slices.ContainsFunc(rt.Routes, func(x model.Route) bool {
							return x.Destination == dst && x.Target == model.TargetInternetGateway
						}) {
							changes = append(changes, change{rt.ID, model.VpcEndpointID(er.TargetID)})
						}
					}
				}
			}
		}
		var cmds, names []string
		for _, c := range changes {
			cmds = append(cmds, fmt.Sprintf("aws ec2 replace-route --route-table-id %s --destination-cidr-block %s --vpc-endpoint-id %s", c.rt, dst, c.ep))
			names = append(names, string(c.rt)+" → "+string(c.ep))
		}
		return []Fix{{
			score: 10, Kind: "route",
			Title:    fmt.Sprintf("Route %s through the Gateway Load Balancer endpoint the internet gateway's route table sends each subnet's range to (%s)", dst, strings.Join(names, ", ")),
			Detail:   "A stateful appliance (or AWS Network Firewall) behind an endpoint must see both directions of a flow: a subnet whose range the internet gateway's route table (ingress routing) sends through an endpoint sends its own traffic to the internet through that endpoint too.",
			Commands: cmds,
			Scenario: fmt.Sprintf("route_tables:\n  <%s>:\n    routes: [{destination: %s, target: <%s>}]\n", changes[0].rt, dst, ep),
			apply: func(e *engine.Engine) error {
				for _, c := range changes {
					if err := e.ReplaceRoute(engine.RouteInput{RouteTableID: c.rt, DestinationCIDR: dst.String(), VpcEndpointID: c.ep}); err != nil {
						return err
					}
				}
				return nil
			},
		}}
	}
	if !x.Address.IsValid() {
		return nil
	}
	var sub *model.Subnet
	for _, id := range slices.Sorted(maps.Keys(f.st.Subnets)) {
		if s := f.st.Subnets[id]; s.VpcID == vep.VpcID && s.CIDR.Contains(x.Address) {
			sub = s
		}
	}
	igw := f.st.VpcInternetGateway(vep.VpcID)
	if sub == nil || igw == nil {
		return nil
	}
	dst := sub.CIDR.String()
	edge := f.st.GatewayRouteTable(string(igw.ID))
	cmds := []string{}
	if edge == nil {
		cmds = append(cmds, fmt.Sprintf("aws ec2 create-route-table --vpc-id %s   # → RouteTableId", vep.VpcID),
			fmt.Sprintf("aws ec2 associate-route-table --route-table-id <RouteTableId> --gateway-id %s", igw.ID))
	}
	table := "<RouteTableId>"
	if edge != nil {
		table = string(edge.ID)
	}
	verb := "create-route"
	if edge != nil && slices.ContainsFunc(edge.Routes, func(r model.Route) bool { return r.Destination == sub.CIDR }) {
		verb = "replace-route"
	}
	cmds = append(cmds, fmt.Sprintf("aws ec2 %s --route-table-id %s --destination-cidr-block %s --vpc-endpoint-id %s", verb, table, dst, ep))
	return []Fix{{
		score: 10, Kind: "route",
		Title:    fmt.Sprintf("Route %s (subnet %s) through the endpoint %s in the internet gateway %s's route table", dst, sub.ID, ep, igw.ID),
		Detail:   "Ingress routing: the internet gateway's route table (an edge association) sends the traffic entering the VPC for the subnet through the endpoint its outbound traffic goes through, so the stateful appliance (or AWS Network Firewall) sees both directions of each flow.",
		Commands: cmds,
		Scenario: fmt.Sprintf("route_tables:\n  edge:\n    vpc: <%s>\n    gateways: [<%s>]\n    routes: [{destination: %s, target: %s}]\n", vep.VpcID, igw.ID, dst, ep),
		apply: func(e *engine.Engine) error {
			id := model.RouteTableID("")
			if edge != nil {
				id = edge.ID
			} else {
				rt, err := e.CreateRouteTable(vep.VpcID, nil)
				if err != nil {
					return err
				}
				if _, err := e.AssociateRouteTableGateway(rt.ID, string(igw.ID)); err != nil {
					return err
				}
				id = rt.ID
			}
			in := engine.RouteInput{RouteTableID: id, DestinationCIDR: dst, VpcEndpointID: ep}
			if verb == "replace-route" {
				return e.ReplaceRoute(in)
			}
			return e.CreateRoute(in)
		},
	}}
}
