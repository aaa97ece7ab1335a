package scenario

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS Network Firewall firewalls in scenario files:
//
//	firewalls:
//	  egress-fw:
//	    vpc: inspection
//	    subnets: [fw-a, fw-b]            # one per zone: the firewall's endpoints
//	    stateless_default: forward       # forward (aws:forward_to_sfe, default) | pass | drop
//	    stateless_rules:                 # by priority, the first that matches decides
//	      - {priority: 10, action: drop, protocol: udp, ports: 53, destination: 0.0.0.0/0}
//	    rule_order: strict               # strict (STRICT_ORDER) | action (DEFAULT_ACTION_ORDER, default)
//	    stateful_rules:                  # the flow's direction; pass | drop | reject | alert
//	      - {name: https-out, action: pass, protocol: tcp, ports: 443, source: 10.0.0.0/8}
//	    stateful_default: drop_strict    # strict order only: drop_strict | drop_established (default: none, pass)
//	    rules: |                         # Suricata compatible rules, after stateful_rules
//	      pass tls $HOME_NET any -> $EXTERNAL_NET 443 (tls.sni; content:".amazonaws.com"; endswith; sid:1;)
//	    domain_list: {type: allowlist, targets: [.amazonaws.com], target_types: [tls_sni, http_host]}   # after rules
//	    variables: {PARTNERS: [198.51.100.0/24]}   # the rule group's IP sets ($PARTNERS); port_variables: {WEB: ["80", "443"]}
//	    home_net: [10.0.0.0/8]           # the policy's HOME_NET (default: the firewall VPC's CIDR blocks)
//
// A stateful rule may also give source_ports and direction: both (<>).
//
// and a route's target may name a firewall's endpoint in a zone:
// {destination: 0.0.0.0/0, target: "egress-fw:us-east-1a"}.

type firewallSpec struct {
	VPC              string              `yaml:"vpc"`
	Subnets          []string            `yaml:"subnets"`
	StatelessDefault string              `yaml:"stateless_default"`
	StatelessRules   []firewallRuleSpec  `yaml:"stateless_rules"`
	RuleOrder        string              `yaml:"rule_order"`
	StatefulRules    []firewallRuleSpec  `yaml:"stateful_rules"`
	StatefulDefault  string              `yaml:"stateful_default"`
	Rules            string              `yaml:"rules"`
	DomainList       *domainListSpec     `yaml:"domain_list"`
	Variables        map[string][]string `yaml:"variables"`
	PortVariables    map[string][]string `yaml:"port_variables"`
	HomeNet          []string            `yaml:"home_net"`
	Tags             map[string]string   `yaml:"tags"`
}

// domainListSpec is a domain list rule group (RulesSourceList).
type domainListSpec struct {
	Type        string   `yaml:"type"`
	Targets     []string `yaml:"targets"`
	TargetTypes []string `yaml:"target_types"`
}

// firewallRuleSpec is a rule: its action, protocol (tcp, udp, icmp; none:
// any), destination ports ("443", "1024-65535"; none: any), source and
// destination ranges (none: any), and a priority (stateless rules).
type firewallRuleSpec struct {
	Name        string `yaml:"name"`
	Priority    int    `yaml:"priority"`
	Action      string `yaml:"action"`
	Protocol    string `yaml:"protocol"`
	Ports       string `yaml:"ports"`
	Source      string `yaml:"source"`
	Destination string `yaml:"destination"`
	SourcePorts string `yaml:"source_ports"`
	Direction   string `yaml:"direction"`
}

// firewallMatch turns a rule's fields into its match.
func firewallMatch(r firewallRuleSpec) (model.FirewallMatch, error) {
	m := model.FirewallMatch{Protocol: strings.ToLower(r.Protocol)}
	switch m.Protocol {
	case "", "tcp", "udp", "icmp":
	case "all", "-1", "ip":
		m.Protocol = ""
	default:
		return m, errString("protocol " + strconv.Quote(r.Protocol) + " is not tcp, udp, icmp or all")
	}
	if r.Ports != "" && r.Ports != "all" {
		from, to, err := ports(r.Ports)
		if err != nil {
			return m, err
		}
		m.FromPort, m.ToPort = uint16(*from), uint16(*to)
	}
	if r.SourcePorts != "" && r.SourcePorts != "all" {
		from, to, err := ports(r.SourcePorts)
		if err != nil {
			return m, err
		}
		m.SourceFromPort, m.SourceToPort = uint16(*from), uint16(*to)
	}
	for _, x := range []struct {
		s   string
		out *[]netip.Prefix
	}{{r.Source, &m.Sources}, {r.Destination, &m.Destinations}} {
		if x.s == "" {
			continue
		}
		p, err := netip.ParsePrefix(x.s)
		if err != nil {
			return m, errString("range " + strconv.Quote(x.s) + " is not a CIDR block")
		}
		*x.out = append(*x.out, p.Masked())
	}
	return m, nil
}

type errString string

func (e errString) Error() string { return string(e) }

// firewalls creates the Network Firewall firewalls, before the routes
// that name their endpoints.
func (b *builder) firewalls(sp *fileSpec) error {
	for _, f := range sp.Firewalls {
		owner := "firewall " + strconv.Quote(f.Name)
		vpc, err := b.ref("vpc", f.Value.VPC, f.line("vpc"), owner)
		if err != nil {
			return err
		}
		in := engine.CreateNetworkFirewallInput{Name: f.Name, VpcID: model.VpcID(vpc), Tags: tags(f.Name, f.Value.Tags)}
		if in.SubnetIDs, err = b.subnetIDs(f.Value.Subnets, f.line("subnets"), owner); err != nil {
			return err
		}
		pol := &in.Policy
		switch f.Value.StatelessDefault {
		case "", "forward", "aws:forward_to_sfe":
			pol.StatelessDefault = "aws:forward_to_sfe"
		case "pass", "aws:pass":
			pol.StatelessDefault = "aws:pass"
		case "drop", "aws:drop":
			pol.StatelessDefault = "aws:drop"
		default:
			return b.errf(f.line("stateless_default"), "%s: stateless_default %q is not forward, pass or drop", owner, f.Value.StatelessDefault)
		}
		lines := itemLines(f.node, "stateless_rules", len(f.Value.StatelessRules))
		for i, r := range f.Value.StatelessRules {
			m, err := firewallMatch(r)
			if err != nil {
				return b.errf(lines[i], "%s: %v", owner, err)
			}
			act := map[string]string{"pass": "aws:pass", "drop": "aws:drop", "forward": "aws:forward_to_sfe"}[strings.TrimPrefix(strings.TrimSuffix(r.Action, "_to_sfe"), "aws:")]
			if act == "" {
				return b.errf(lines[i], "%s: a stateless rule's action %q is not pass, drop or forward", owner, r.Action)
			}
			if r.Priority < 1 {
				return b.errf(lines[i], "%s: a stateless rule needs a priority of 1 or more (the lowest is evaluated first)", owner)
			}
			pol.StatelessRules = append(pol.StatelessRules, model.FirewallStatelessRule{Name: r.Name, Priority: r.Priority, Match: m, Action: act})
		}
		slices.SortStableFunc(pol.StatelessRules, func(a, b model.FirewallStatelessRule) int { return a.Priority - b.Priority })
		switch f.Value.RuleOrder {
		case "", "action", "DEFAULT_ACTION_ORDER":
		case "strict", "STRICT_ORDER":
			pol.StrictOrder = true
		default:
			return b.errf(f.line("rule_order"), "%s: rule_order %q is not strict or action", owner, f.Value.RuleOrder)
		}
		switch d := strings.TrimPrefix(f.Value.StatefulDefault, "aws:"); d {
		case "", "pass", "none":
		case "drop_strict", "drop_established":
			if !pol.StrictOrder {
				// "You can only use these for strict rule ordering"
				// (StatefulDefaultActions, Network Firewall API reference).
				return b.errf(f.line("stateful_default"), "%s: stateful_default needs rule_order: strict", owner)
			}
			pol.StatefulDefault = "aws:" + d
		default:
			return b.errf(f.line("stateful_default"), "%s: stateful_default %q is not drop_strict or drop_established", owner, f.Value.StatefulDefault)
		}
		lines = itemLines(f.node, "stateful_rules", len(f.Value.StatefulRules))
		for i, r := range f.Value.StatefulRules {
			m, err := firewallMatch(r)
			if err != nil {
				return b.errf(lines[i], "%s: %v", owner, err)
			}
			switch r.Action {
			case "pass", "drop", "reject", "alert":
			default:
				return b.errf(lines[i], "%s: a stateful rule's action %q is not pass, drop, reject or alert", owner, r.Action)
			}
			name := r.Name
			if name == "" {
				name = "#" + strconv.Itoa(i+1)
			}
			rule := model.FirewallStatefulRule{Name: name, Match: m, Action: r.Action}
			switch r.Direction {
			case "", "forward", "->":
			case "both", "any", "<>":
				rule.Bidirectional = true
			default:
				return b.errf(lines[i], "%s: a stateful rule's direction %q is not forward or both", owner, r.Direction)
			}
			pol.StatefulRules = append(pol.StatefulRules, rule)
		}
		sg := model.FirewallStatefulGroup{Name: f.Name, RulesString: f.Value.Rules, IPSets: f.Value.Variables, PortSets: f.Value.PortVariables}
		if d := f.Value.DomainList; d != nil {
			sg.DomainList = &model.FirewallDomainList{Type: strings.ToUpper(d.Type), Targets: d.Targets, TargetTypes: d.TargetTypes}
			for i, tt := range sg.DomainList.TargetTypes {
				sg.DomainList.TargetTypes[i] = strings.ToUpper(tt)
			}
			if len(sg.DomainList.TargetTypes) == 0 {
				sg.DomainList.TargetTypes = []string{"TLS_SNI", "HTTP_HOST"}
			}
		}
		stateful, problems := sg.Rules()
		if len(problems) > 0 {
			// A scenario's rule is the author's: an unreadable one is an
			// error at the rules' line, not a rule left out.
			line := f.line("rules")
			if f.Value.Rules == "" {
				line = f.line("domain_list")
			} else {
				line += problems[0].Line
			}
			return b.errf(line, "%s: %v", owner, problems[0])
		}
		pol.StatefulRules = append(pol.StatefulRules, stateful...)
		for _, h := range f.Value.HomeNet {
			p, err := netip.ParsePrefix(h)
			if err != nil {
				return b.errf(f.line("home_net"), "%s: home_net %q is not a CIDR block", owner, h)
			}
			pol.HomeNet = append(pol.HomeNet, p.Masked())
		}
		fw, err := b.e.CreateNetworkFirewall(in)
		if err != nil {
			return b.fail(f.Line, owner, err)
		}
		b.set("firewall", f.Name, fw.ARN)
		for zone, ep := range fw.Endpoints {
			b.set("firewall endpoint", f.Name+":"+zone, string(ep))
		}
	}
	return nil
}
