package fix

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// networkFirewallPass: an AWS Network Firewall firewall drops a flow
// (reach.CodeNetworkFirewallDrop). The fix puts a stateful pass rule for
// the flow (its protocol, destination address and port) first among the
// firewall's stateful rules: first in strict order, and a pass rule wins
// in the default action order ("How AWS Network Firewall filters network
// traffic", "Managing evaluation order for Suricata compatible rules").
// A drop by a stateless rule or the stateless default action is not
// mended by it, and the verification says so by failing.
func (f *finder) networkFirewallPass(x reach.Explanation) []Fix {
	if x.Component == nil || x.Component.Type != "network-firewall" || x.Packet == nil || x.Path != "forward" {
		return nil
	}
	fw := f.st.NetworkFirewalls[x.Component.ARN]
	if fw == nil {
		return nil
	}
	p := *x.Packet
	dst := netip.PrefixFrom(p.Destination, p.Destination.BitLen())
	m := model.FirewallMatch{Protocol: p.Protocol, Destinations: []netip.Prefix{dst}}
	port := ""
	if p.Protocol == "tcp" || p.Protocol == "udp" {
		m.FromPort, m.ToPort = p.DestinationPort, p.DestinationPort
		port = strconv.Itoa(int(p.DestinationPort))
	}
	rule := model.FirewallStatefulRule{Name: "pass-" + p.Protocol + "-" + port, Match: m, Action: "pass"}
	pol := fw.Policy
	pol.StatefulRules = append([]model.FirewallStatefulRule{rule}, slices.Clone(fw.Policy.StatefulRules)...)
	suricata := fmt.Sprintf("pass %s $HOME_NET any -> %s %s (flow:to_server; sid:1000001;)", p.Protocol, dst, orAny(port))
	order := "DEFAULT_ACTION_ORDER"
	if pol.StrictOrder {
		order = "STRICT_ORDER"
	}
	group := fw.Name + "-" + rule.Name
	cmds := []string{
		fmt.Sprintf(`aws network-firewall create-rule-group --rule-group-name %s --type STATEFUL --capacity 10 --rule-group '{"RulesSource":{"RulesString":%q},"StatefulRuleOptions":{"RuleOrder":"%s"}}'`, group, suricata, order),
		fmt.Sprintf("aws network-firewall describe-firewall --firewall-name %s   # its FirewallPolicyArn; then update-firewall-policy with the new group's StatefulRuleGroupReferences entry first (Priority lowest in strict order)", fw.Name),
	}
	return []Fix{{
		score: 10, Kind: "network-firewall",
		Title: fmt.Sprintf("Add a stateful pass rule to the Network Firewall %s for %s to %s, ahead of the rule or default action that drops it", fw.Name, p.Protocol+"/"+orAny(port), dst),
		Detail: "In a stateful rule group of the firewall's policy (strict order: first, or with a priority before the group that drops the flow): " + suricata +
			". The stateful engine then passes the flow's replies too.",
		Commands: cmds,
		Scenario: fmt.Sprintf("firewalls:\n  %s:\n    stateful_rules:\n      - {name: %s, action: pass, protocol: %s, ports: %s, destination: %s}   # first\n", fw.Name, rule.Name, p.Protocol, orAny(port), dst),
		apply: func(e *engine.Engine) error {
			return e.SetNetworkFirewallPolicy(fw.ARN, pol)
		},
	}}
}

func orAny(port string) string {
	if port == "" {
		return "any"
	}
	return port
}
