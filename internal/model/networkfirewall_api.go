package model

import "net/netip"

// The Network Firewall API's own resources (round thirty-eight): rule
// groups and firewall policies as CreateRuleGroup and CreateFirewallPolicy
// take them, kept beside the firewalls whose flattened Policy they make.

// NetworkFirewallRuleGroup is a Network Firewall rule group. Document is
// its RuleGroup structure as the API carries it (JSON: RulesSource,
// RuleVariables, StatefulRuleOptions …), given back by DescribeRuleGroup;
// Stateless and Stateful are its rules as a policy flattens them, and
// Unmodelled says it holds rules ecsnet does not model (a Suricata rule
// string, a domain list, a header with a variable or an application
// protocol), which a firewall passes.
type NetworkFirewallRuleGroup struct {
	Name        string
	ARN         string
	ID          string
	Type        string // STATEFUL or STATELESS
	Capacity    int
	Description string
	Document    string
	// RulesString is the Suricata rules the group was given (Rules, or
	// RulesSource.RulesString), "" for none.
	RulesString string
	UpdateToken string
	Tags        Tags
	Stateless   []FirewallStatelessRule
	Stateful    []FirewallStatefulRule
	Unmodelled  bool
}

// FirewallGroupRef is a firewall policy's reference to a rule group, by
// ARN, with its priority (0 when the reference gives none).
type FirewallGroupRef struct {
	ARN      string
	Priority int
}

// NetworkFirewallPolicy is a Network Firewall firewall policy: Document
// is its FirewallPolicy structure as the API carries it (JSON); the other
// fields are what decides a packet (the firewall's Policy is composed
// from them and the rule groups they reference).
type NetworkFirewallPolicy struct {
	Name             string
	ARN              string
	ID               string
	Description      string
	Document         string
	UpdateToken      string
	Tags             Tags
	StatelessGroups  []FirewallGroupRef
	StatefulGroups   []FirewallGroupRef
	StatelessDefault string
	StatefulDefault  string
	StrictOrder      bool
	// HomeNet is the policy's HOME_NET variable (PolicyVariables
	// RuleVariables), which the firewall's Policy takes.
	HomeNet []netip.Prefix
}
