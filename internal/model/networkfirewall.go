package model

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

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
	// What the Network Firewall API keeps of a firewall it created
	// (networkfirewall_api.go): its id, policy ARN, description, the three
	// protections, its logging configuration (JSON, "" for none) and the
	// update token an update must name.
	ID                     string
	PolicyARN              string
	Description            string
	DeleteProtection       bool
	SubnetChangeProtection bool
	PolicyChangeProtection bool
	Logging                string
	UpdateToken            string
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
	// HomeNet is the policy's HOME_NET variable (PolicyVariables); none:
	// the CIDR blocks of the firewall's VPC.
	HomeNet []netip.Prefix
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
	// SourceFromPort and SourceToPort are the source ports (0, 0: any).
	SourceFromPort, SourceToPort uint16
	// SourceHome and DestinationHome add $HOME_NET (the policy's, else
	// the firewall VPC's CIDR blocks) to a side's ranges; Negated makes
	// the side match what it does not hold ($EXTERNAL_NET: !$HOME_NET).
	SourceHome, DestinationHome       bool
	SourceNegated, DestinationNegated bool
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
	// Bidirectional: the header's direction is <> (ANY), the rule
	// matches either way.
	Bidirectional bool
	// AppProtocol is the application protocol the rule names (tls,
	// http …; "" none): it matches only a flow of that protocol, once
	// the firewall has detected it (after the TCP handshake).
	AppProtocol string
	// Established (flow:established, an application protocol or a
	// content match over TCP): the rule cannot match the TCP handshake.
	// HandshakeOnly (flow:not_established, stateless): only the first
	// packets. ToClient (flow:to_client): the rule's header is the
	// server's side.
	Established, HandshakeOnly, ToClient bool
	// Contents are the rule's content matches, all of which must hold.
	Contents []FirewallContent
	// Group and Line name where the rule is written (rule string line,
	// or header number).
	Group string
	Line  int
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

// FirewallProtocol is the protocol a stateless rule names by its IANA
// number (6 tcp, 17 udp, 1 icmp), or "" for one ecsnet does not model.
func FirewallProtocol(n int) string {
	switch n {
	case 6:
		return "tcp"
	case 17:
		return "udp"
	case 1:
		return "icmp"
	}
	return ""
}

// FirewallHeader is a stateful rule's 5-tuple header as the Network
// Firewall API, CloudFormation and Terraform write it: a protocol (IP,
// TCP, UDP, ICMP or an application protocol), a source and a destination
// (a CIDR block or an address) and a destination port (a number or a
// range [N:M]); ANY, or nothing, for any.
type FirewallHeader struct {
	Protocol, Source, Destination, DestinationPort string
}

// Match reads h. ok is false when h holds what ecsnet does not model: an
// application protocol (HTTP, TLS, DNS …), a variable ($HOME_NET), an IP
// set reference, or a port that is not a number or a range; such a rule
// is left out, never widened to any.
func (h FirewallHeader) Match() (m FirewallMatch, ok bool) {
	switch strings.ToUpper(h.Protocol) {
	case "TCP", "UDP", "ICMP":
		m.Protocol = strings.ToLower(h.Protocol)
	case "IP", "":
	default:
		return m, false
	}
	for _, side := range []struct {
		s   string
		out *[]netip.Prefix
	}{{h.Source, &m.Sources}, {h.Destination, &m.Destinations}} {
		if side.s == "" || strings.EqualFold(side.s, "ANY") {
			continue
		}
		p, err := netip.ParsePrefix(side.s)
		if err != nil {
			a, err := netip.ParseAddr(side.s)
			if err != nil {
				return m, false
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		*side.out = append(*side.out, p.Masked())
	}
	if port := h.DestinationPort; port != "" && !strings.EqualFold(port, "ANY") {
		lo, hi, isRange := strings.Cut(strings.Trim(port, "[]"), ":")
		from, err := strconv.ParseUint(lo, 10, 16)
		if err != nil {
			return m, false
		}
		to := from
		if isRange {
			if to, err = strconv.ParseUint(hi, 10, 16); err != nil {
				return m, false
			}
		}
		m.FromPort, m.ToPort = uint16(from), uint16(to)
	}
	return m, true
}

// AddStatelessGroup appends the rules of a stateless rule group the policy
// references at priority prio: after the groups of lower priority, each
// group's rules by their own priorities (the rule's priority in the
// policy is prio*1,000,000 plus its own).
func (p *FirewallPolicy) AddStatelessGroup(prio int, rules []FirewallStatelessRule) {
	rules = slices.Clone(rules)
	slices.SortStableFunc(rules, func(a, b FirewallStatelessRule) int { return cmp.Compare(a.Priority, b.Priority) })
	for _, r := range rules {
		r.Priority = prio*1_000_000 + r.Priority
		p.StatelessRules = append(p.StatelessRules, r)
	}
}
