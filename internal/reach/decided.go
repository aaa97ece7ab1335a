package reach

import (
	"strconv"
	"strings"
)

// Deciding returns the explanations that decided r's verdict: those with
// the code when one is given, else the blocking ones; when there are none
// of those, every explanation (a request a load balancer answered itself,
// a listener rule that matched).
func (r *Result) Deciding(code string) []Explanation {
	var out []Explanation
	for _, e := range r.Explanations {
		if (code != "" && e.Code == code) || (code == "" && e.Blocking) {
			out = append(out, e)
		}
	}
	if len(out) == 0 && code == "" {
		out = r.Explanations
	}
	return out
}

// DecidedBy reports whether the component named (by Name tag, name or
// id, case-insensitively) decided r's verdict: it is a component of a
// deciding explanation (Deciding(code)) — the resource to change, the
// security groups of the interface, the network ACL or route table of
// the rule, what blocked a target's health check — or of a blocked hop.
func (r *Result) DecidedBy(name, code string) bool {
	match := func(c *Component) bool {
		return c != nil && name != "" && (strings.EqualFold(c.Name, name) || strings.EqualFold(c.ID, name))
	}
	for _, e := range r.Deciding(code) {
		if match(e.Component) || match(e.NetworkInterface) || match(e.Decided) {
			return true
		}
		for _, g := range e.SecurityGroups {
			if match(g) {
				return true
			}
		}
		if e.ACLRule != nil && strings.EqualFold(e.ACLRule.NetworkACLID, name) {
			return true
		}
		if e.Route != nil && (strings.EqualFold(e.Route.RouteTableID, name) || strings.EqualFold(e.Route.RouteTableName, name) || strings.EqualFold(e.Route.Target, name)) {
			return true
		}
	}
	for _, path := range [][]Hop{r.Forward, r.Return} {
		for _, h := range path {
			if h.Blocked && (match(h.Component) || match(h.AttachedTo)) {
				return true
			}
		}
	}
	return false
}

// DecidedByRule reports whether rule is the rule of a deciding
// explanation (Deciding(code)): a network ACL rule number ("*" or 32767
// for the final deny), a route's destination (CIDR or prefix list), a
// security group rule id, or the direction ("ingress", "egress") of a
// security group or network ACL that dropped the packet.
func (r *Result) DecidedByRule(rule, code string) bool {
	rule = strings.TrimSpace(rule)
	if rule == "*" {
		rule = "32767"
	}
	for _, e := range r.Deciding(code) {
		if rule != "" && strings.EqualFold(e.Direction, rule) {
			return true
		}
		if a := e.ACLRule; a != nil {
			if strconv.Itoa(a.RuleNumber) == rule {
				return true
			}
			if (rule == "ingress" && !a.Egress) || (rule == "egress" && a.Egress) {
				return true
			}
		}
		if rt := e.Route; rt != nil {
			if (rt.DestinationCIDR.IsValid() && rt.DestinationCIDR.String() == rule) || (rt.DestinationPrefixListID != "" && rt.DestinationPrefixListID == rule) {
				return true
			}
		}
		if g := e.SecurityGroupRule; g != nil && g.RuleID != "" && g.RuleID == rule {
			return true
		}
	}
	return false
}
