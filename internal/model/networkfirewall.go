package model

import "net/netip"

// NetworkFirewall is an AWS Network Firewall firewall: in a VPC, with
// one firewall endpoint in each of its subnets (one subnet per zone). An
// endpoint is a Gateway Load Balancer endpoint of a service AWS owns,
// tagged AWSNetworkFirewallManaged=true; routes send traffic to it by its
// id (the firewall's SyncStates, by zone). Policy is its firewall
// policy, its rule groups' rules flattened in evaluation order.
type NetworkFirewall struct {
	Name  string
	ARN   string
	VpcID VpcID
	// Endpoints are the firewall's endpoints by zone.
	Endpoints map[string]VpcEndpointID
	Policy    FirewallPolicy
	Tags      Tags
}

// FirewallPolicy is what a firewall policy decides ("How AWS Network
// Firewall filters network traffic", Network Firewall developer guide):
// the stateless rules by priority, first match wins, then the stateless
// default action for a packet no rule matches; a packet forwarded to the
// stateful engine meets the stateful rules, in their order (StrictOrder)
// or by action (pass, then drop, reject, alert: the default action
// order).
type FirewallPolicy struct {
	StatelessRules []FirewallStatelessRule
	// StatelessDefault is aws:pass, aws:drop or aws:forward_to_sfe.
	StatelessDefault string
	StatefulRules    []FirewallStatefulRule
	StrictOrder      bool
	// StatefulDefault is, in strict order, aws:drop_strict,
	// aws:drop_established or "" (none: a packet no rule matches passes).
	StatefulDefault string
}

// FirewallMatch is a rule's match: a protocol ("" any; tcp, udp, icmp),
// source and destination ranges (none: any) and destination ports (0, 0:
// any).
type FirewallMatch struct {
	Protocol     string
	Sources      []netip.Prefix
	Destinations []netip.Prefix
	FromPort     uint16
	ToPort       uint16
}

// FirewallStatelessRule is a stateless rule: Action is aws:pass, aws:drop
// or aws:forward_to_sfe, taken by the first rule by Priority (lowest
// first) that matches a packet.
type FirewallStatelessRule struct {
	Name     string
	Priority int
	Match    FirewallMatch
	Action   string
}

// FirewallStatefulRule is a stateful rule of the flow's direction (a
// 5-tuple rule, "->"): Action is pass, drop, reject or alert.
type FirewallStatefulRule struct {
	Name   string
	Match  FirewallMatch
	Action string
}

// Matches reports whether a packet of protocol proto from src to dst on
// destination port dport matches m.
func (m FirewallMatch) Matches(proto string, src, dst netip.Addr, dport uint16) bool {
	if m.Protocol != "" && m.Protocol != proto {
		return false
	}
	if !prefixesHold(m.Sources, src) || !prefixesHold(m.Destinations, dst) {
		return false
	}
	if m.FromPort != 0 || m.ToPort != 0 {
		return dport >= m.FromPort && dport <= m.ToPort
	}
	return true
}

func prefixesHold(ps []netip.Prefix, a netip.Addr) bool {
	if len(ps) == 0 {
		return true
	}
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// FirewallOfEndpoint returns the Network Firewall firewall whose endpoint
// ep is, or nil.
func (s *State) FirewallOfEndpoint(ep VpcEndpointID) *NetworkFirewall {
	for _, f := range s.NetworkFirewalls {
		for _, id := range f.Endpoints {
			if id == ep {
				return f
			}
		}
	}
	return nil
}
