package reach

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// privateLinkEndpoints checks the interface endpoints to endpoint services
// of Network Load Balancers (AWS PrivateLink) without a client to probe
// from: an endpoint that waits for acceptance, one in a zone none of the
// service's load balancers serves, one whose security groups admit no
// client on any of the service's listener ports, and a load balancer whose
// security groups, enforced on PrivateLink traffic, admit no address of a
// connected consumer's VPC.
func (l *linter) privateLinkEndpoints() {
	n := l.n
	if len(n.st.EndpointServices) == 0 {
		return
	}
	ids := make([]model.VpcEndpointID, 0, len(n.st.VpcEndpoints))
	for id, ep := range n.st.VpcEndpoints {
		if ep.Type == "Interface" {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		ep := n.endpoint(id)
		svc := n.privateLinkService(ep)
		if svc == nil {
			continue
		}
		lbs := n.endpointServiceLBs(svc)
		if len(lbs) == 0 {
			continue
		}
		switch st := ep.ep.State; {
		case strings.EqualFold(st, "pendingAcceptance"), strings.EqualFold(st, "rejected"):
			l.add(SeverityError, CodePrivateLinkNotAccepted, ep.comp,
				"the interface endpoint "+ep.comp.Label()+" to the endpoint service "+string(svc.ID)+" is "+st+": it carries no connection until the service's owner accepts it",
				"accept it in the service's account: aws ec2 accept-vpc-endpoint-connections --service-id "+string(svc.ID)+" --vpc-endpoint-ids "+string(id))
		}
		l.privateLinkZones(ep, svc, lbs)
		ports := privateLinkPorts(lbs)
		if len(ports) == 0 {
			continue
		}
		l.privateLinkEndpointGroups(ep, svc, ports)
		if strings.EqualFold(ep.ep.State, "available") || ep.ep.State == "" {
			l.privateLinkNLBGroups(ep, svc, lbs)
		}
	}
}

// endpointServiceLBs are the compiled Network Load Balancers of an endpoint
// service, in its order.
func (n *Network) endpointServiceLBs(svc *model.EndpointServiceConfig) []*lbNode {
	var out []*lbNode
	for _, arn := range svc.NetworkLBs {
		if lb := n.lbs[arn]; lb != nil {
			out = append(out, lb)
		}
	}
	return out
}

// privateLinkPort is a listener's port and protocols.
type privateLinkPort struct {
	port  uint16
	bits  uint8
	proto string // the listener's protocol
}

// privateLinkPorts are the listener ports of an endpoint service's load
// balancers, each once.
func privateLinkPorts(lbs []*lbNode) []privateLinkPort {
	var out []privateLinkPort
	for _, lb := range lbs {
		for _, ls := range lb.listeners {
			if ls.l == nil || slices.ContainsFunc(out, func(p privateLinkPort) bool { return p.port == ls.l.Port }) {
				continue
			}
			out = append(out, privateLinkPort{port: ls.l.Port, bits: listenerProtocols(ls.l.Protocol), proto: ls.l.Protocol})
		}
	}
	return out
}

// privateLinkZones: an endpoint ENI hands its connections to a load
// balancer node of its own zone; an endpoint in a zone the service's load
// balancers no longer serve carries nothing there (PrivateLink guide,
// "Create a service powered by AWS PrivateLink": "the load balancer must
// have a node in each Availability Zone of the endpoints").
func (l *linter) privateLinkZones(ep *endpointNode, svc *model.EndpointServiceConfig, lbs []*lbNode) {
	n := l.n
	for _, eid := range ep.ep.NetworkInterfaces {
		e := n.eni(eid)
		if e == nil {
			continue
		}
		zone := e.eni.AvailabilityZone
		if lb, _ := n.endpointServiceNode(svc, zone); lb != nil {
			continue
		}
		var zones []string
		for _, lb := range lbs {
			for _, x := range lb.nodes {
				if !slices.Contains(zones, x.eni.AvailabilityZone) {
					zones = append(zones, x.eni.AvailabilityZone)
				}
			}
		}
		slices.Sort(zones)
		l.add(SeverityError, CodePrivateLinkZoneNotServed, ep.comp,
			"the interface endpoint "+ep.comp.Label()+"'s network interface "+e.comp.Label()+" is in "+zone+", where no Network Load Balancer of the endpoint service "+string(svc.ID)+
				" has a node (they serve "+orNone(zones)+"): clients that reach the endpoint there time out",
			"enable "+zone+" on the load balancer (aws elbv2 set-subnets), or move the endpoint to a subnet of "+orNone(zones))
	}
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "no zone"
	}
	return strings.Join(xs, ", ")
}

// privateLinkEndpointGroups: the endpoint ENI's security groups are the
// consumers' gate; groups with no inbound rule for any of the service's
// listener ports from a source a client can be admit nobody (a group
// written for AWS services' endpoints, open on 443 only, reused for a
// service on another port).
func (l *linter) privateLinkEndpointGroups(ep *endpointNode, svc *model.EndpointServiceConfig, ports []privateLinkPort) {
	n := l.n
	groups := ep.ep.SecurityGroups
	if len(groups) == 0 {
		return
	}
	var closed []string
	for _, p := range ports {
		open := false
		for _, id := range groups {
			g := n.st.SecurityGroups[id]
			if g == nil || len(g.UnknownRules) > 0 {
				return // not judged
			}
			for _, r := range g.Ingress {
				if ruleAdmitsPort(r, p) && l.groupRuleHasClients(r, ep.ep.NetworkInterfaces) {
					open = true
				}
			}
		}
		if !open {
			closed = append(closed, protoOfBits(p.bits)+"/"+strconv.Itoa(int(p.port)))
		}
	}
	if len(closed) == 0 {
		return
	}
	names := make([]string, 0, len(groups))
	for _, id := range groups {
		names = append(names, n.sg(id).comp.Label())
	}
	l.add(SeverityError, CodePrivateLinkEndpointClosed, ep.comp,
		"no security group of the interface endpoint "+ep.comp.Label()+" ("+strings.Join(names, ", ")+") admits "+strings.Join(closed, ", ")+
			", the port of the endpoint service "+string(svc.ID)+"'s listener, from any source: every consumer's connection is dropped at the endpoint",
		"add an inbound rule for "+closed[0]+" from the clients' security group or addresses to "+names[0])
}

// privateLinkNLBGroups: a Network Load Balancer with security groups
// evaluates their inbound rules on PrivateLink traffic against the
// client's private address, unless
// EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic is off (NLB guide,
// load-balancer-security-groups). Groups that admit no address of a
// connected consumer's VPC on a listener's port drop all of its clients.
func (l *linter) privateLinkNLBGroups(ep *endpointNode, svc *model.EndpointServiceConfig, lbs []*lbNode) {
	n := l.n
	vpc := n.st.VPCs[ep.ep.VpcID]
	if vpc == nil {
		return
	}
	cidrs := vpc.CIDRs()
	for _, lb := range lbs {
		if len(lb.lb.SecurityGroups) == 0 || lb.lb.PrivateLinkInboundOff {
			continue
		}
		for _, p := range privateLinkPorts([]*lbNode{lb}) {
			open := false
			for _, id := range lb.lb.SecurityGroups {
				g := n.st.SecurityGroups[id]
				if g == nil || len(g.UnknownRules) > 0 {
					open = true // not judged
					break
				}
				for _, r := range g.Ingress {
					if !ruleAdmitsPort(r, p) {
						continue
					}
					switch {
					case r.CIDR.IsValid():
						if slices.ContainsFunc(cidrs, func(c netip.Prefix) bool { return c.Overlaps(r.CIDR) }) {
							open = true
						}
					case r.PrefixList != "":
						open = true // not judged
					case r.Group != "" && ep.ep.VpcID == lb.lb.VpcID:
						// A consumer in the load balancer's own VPC: a
						// reference to the client's group can match.
						open = true
					}
				}
			}
			if open {
				continue
			}
			port := protoOfBits(p.bits) + "/" + strconv.Itoa(int(p.port))
			names := make([]string, 0, len(lb.lb.SecurityGroups))
			for _, id := range lb.lb.SecurityGroups {
				names = append(names, n.sg(id).comp.Label())
			}
			l.add(SeverityError, CodePrivateLinkNLBClosed, lb.comp,
				"the Network Load Balancer "+lb.lb.Name+" of the endpoint service "+string(svc.ID)+" evaluates its security groups ("+strings.Join(names, ", ")+
					") on PrivateLink traffic against the client's own private address, and none admits "+port+" from an address of "+"VPC "+n.vpcName(ep.ep.VpcID)+
					" ("+prefixList(cidrs)+"), where the interface endpoint "+ep.comp.Label()+" is: its clients' connections are dropped at the load balancer",
				"allow "+port+" from "+prefixList(cidrs)+" on "+names[0]+", or turn off inbound rule evaluation for PrivateLink traffic (aws elbv2 set-security-groups … --enforce-security-group-inbound-rules-on-private-link-traffic off)")
		}
	}
}

// ruleAdmitsPort reports whether an inbound rule's protocol and ports
// admit a listener's port.
func ruleAdmitsPort(r model.SecurityGroupRule, p privateLinkPort) bool {
	return r.Protocol == model.AllProtocols ||
		(r.Protocol == model.TCP && p.bits&tcpBit != 0 || r.Protocol == model.UDP && p.bits&udpBit != 0) &&
			r.Ports.First <= p.port && p.port <= r.Ports.Last
}

// groupRuleHasClients reports whether an inbound rule can admit a client
// other than the given network interfaces: a CIDR or prefix list can; a
// group only when some other network interface (or a service's tasks to
// come) has it; a group the system does not hold is not judged.
func (l *linter) groupRuleHasClients(r model.SecurityGroupRule, own []model.NetworkInterfaceID) bool {
	if r.Group == "" || l.n.st.SecurityGroups[r.Group] == nil {
		return true
	}
	for _, s := range l.n.st.Services {
		if runsNetworkWithGroup(s, r.Group) {
			return true
		}
	}
	for _, e := range l.n.eniOrder {
		if e.inGroup(r.Group) && !slices.Contains(own, e.eni.ID) {
			return true
		}
	}
	return false
}

// protoOfBits names a listener's transport for a rule: tcp, else udp.
func protoOfBits(bits uint8) string {
	if bits&tcpBit == 0 {
		return "udp"
	}
	return "tcp"
}

// prefixList joins prefixes with commas.
func prefixList(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}

// EndpointServiceExposure is what an endpoint service of Network Load
// Balancers (AWS PrivateLink) exposes, and to whom: the listeners of its
// load balancers, the principals allowed to connect endpoints to it, and
// the interface endpoints the state holds that are connected to it.
type EndpointServiceExposure struct {
	Service       *Component   `json:"service"`
	ServiceName   string       `json:"serviceName"`
	LoadBalancers []*Component `json:"loadBalancers"`
	// Listeners are the load balancers' listeners ("TCP:8443").
	Listeners          []string `json:"listeners"`
	AcceptanceRequired bool     `json:"acceptanceRequired"`
	// Principals are the ARNs allowed to create endpoints to the service
	// ("*" for everyone); none: only the service's own account.
	Principals []string `json:"principals"`
	// InboundRules says what filters the consumers' connections at the
	// load balancers: "enforced" (their security groups, on the client's
	// address), "off" (EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic
	// off) or "none" (no security groups).
	InboundRules string                    `json:"inboundRules"`
	Endpoints    []EndpointServiceConsumer `json:"endpoints"`
	Summary      string                    `json:"summary"`
}

// EndpointServiceConsumer is an interface endpoint connected (or asking to
// connect) to an endpoint service.
type EndpointServiceConsumer struct {
	Endpoint *Component `json:"endpoint"`
	VPC      string     `json:"vpc"`
	State    string     `json:"state"`
	Zones    []string   `json:"zones"`
	// SecurityGroups are the endpoint's groups: the consumers' gate.
	SecurityGroups []*Component `json:"securityGroups"`
}

// endpointServiceExposure lists the endpoint services of Network Load
// Balancers the state holds, by id.
func (n *Network) endpointServiceExposure() []EndpointServiceExposure {
	var out []EndpointServiceExposure
	for _, svc := range sortedMap(n.st.EndpointServices) {
		id := svc.ID
		lbs := n.endpointServiceLBs(svc)
		if len(lbs) == 0 {
			continue
		}
		x := EndpointServiceExposure{
			Service:     &Component{Type: "vpc-endpoint-service", ID: string(id), ARN: n.arn("ec2", "vpc-endpoint-service/"+string(id)), Name: svc.Tags.Name()},
			ServiceName: model.VpceServiceName(n.st.Region, id), AcceptanceRequired: svc.AcceptanceRequired,
			Principals: []string{}, Listeners: []string{}, Endpoints: []EndpointServiceConsumer{}, InboundRules: "none",
		}
		for _, lb := range lbs {
			x.LoadBalancers = append(x.LoadBalancers, lb.comp)
			for _, ls := range lb.listeners {
				if ls.l != nil {
					x.Listeners = append(x.Listeners, ls.l.Protocol+":"+strconv.Itoa(int(ls.l.Port)))
				}
			}
			switch {
			case len(lb.lb.SecurityGroups) > 0 && !lb.lb.PrivateLinkInboundOff:
				x.InboundRules = "enforced"
			case len(lb.lb.SecurityGroups) > 0 && x.InboundRules == "none":
				x.InboundRules = "off"
			}
		}
		for _, p := range svc.Principals {
			x.Principals = append(x.Principals, p.ARN)
		}
		slices.Sort(x.Principals)
		for _, ep := range sortedMap(n.st.VpcEndpoints) {
			eid := ep.ID
			if sid, ok := model.VpceServiceID(n.st.Region, ep.ServiceName); !ok || sid != id || ep.Type != "Interface" {
				continue
			}
			c := EndpointServiceConsumer{Endpoint: n.endpoint(eid).comp, VPC: n.vpcName(ep.VpcID), State: ep.State, Zones: []string{}, SecurityGroups: []*Component{}}
			for _, nid := range ep.NetworkInterfaces {
				if e := n.st.NetworkInterfaces[nid]; e != nil && !slices.Contains(c.Zones, e.AvailabilityZone) {
					c.Zones = append(c.Zones, e.AvailabilityZone)
				}
			}
			slices.Sort(c.Zones)
			for _, g := range ep.SecurityGroups {
				if sg := n.sg(g); sg != nil {
					c.SecurityGroups = append(c.SecurityGroups, sg.comp)
				}
			}
			x.Endpoints = append(x.Endpoints, c)
		}
		x.Summary = endpointServiceSummary(&x)
		out = append(out, x)
	}
	return out
}

// endpointServiceSummary says in a sentence what an endpoint service
// exposes to whom.
func endpointServiceSummary(x *EndpointServiceExposure) string {
	lbs := make([]string, len(x.LoadBalancers))
	for i, c := range x.LoadBalancers {
		lbs[i] = c.Label()
	}
	s := "the endpoint service " + x.Service.Label() + " exposes " + orNone(x.Listeners) + " of " + strings.Join(lbs, ", ") + " to "
	switch {
	case slices.Contains(x.Principals, "*"):
		s += "every AWS principal (allowed principal *)"
	case len(x.Principals) == 0:
		s += "its own account only (no allowed principals)"
	default:
		s += "the allowed principals " + strings.Join(x.Principals, ", ")
	}
	if x.AcceptanceRequired {
		s += ", each endpoint once its owner accepts it"
	} else {
		s += ", accepting every endpoint at once"
	}
	switch x.InboundRules {
	case "enforced":
		s += "; the load balancers' security groups filter the consumers' private addresses"
	case "off":
		s += "; the load balancers' security groups do not filter PrivateLink traffic: the endpoints' groups decide"
	default:
		s += "; no security group on the load balancers: the endpoints' groups decide"
	}
	var avail, waiting []string
	for _, c := range x.Endpoints {
		what := c.Endpoint.Label() + " in " + c.VPC + " (" + strings.Join(c.Zones, ", ") + ")"
		if strings.EqualFold(c.State, "available") || c.State == "" {
			avail = append(avail, what)
		} else {
			waiting = append(waiting, what+" "+c.State)
		}
	}
	switch len(avail) {
	case 0:
		s += "; no endpoint the state holds is connected"
	case 1:
		s += "; 1 endpoint connected: " + avail[0]
	default:
		s += "; " + strconv.Itoa(len(avail)) + " endpoints connected: " + strings.Join(avail, ", ")
	}
	if len(waiting) > 0 {
		s += "; not carrying traffic: " + strings.Join(waiting, ", ")
	}
	return s
}
