package fix

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

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
	out := f.networkFirewallNamePass(fw, x)
	return append(out, Fix{
		score: 10, Kind: "network-firewall",
		Title: fmt.Sprintf("Add a stateful pass rule to the Network Firewall %s for %s to %s, ahead of the rule or default action that drops it", fw.Name, p.Protocol+"/"+orAny(port), dst),
		Detail: "In a stateful rule group of the firewall's policy (strict order: first, or with a priority before the group that drops the flow): " + suricata +
			". The stateful engine then passes the flow's replies too.",
		Commands: cmds,
		Scenario: fmt.Sprintf("firewalls:\n  %s:\n    stateful_rules:\n      - {name: %s, action: pass, protocol: %s, ports: %s, destination: %s}   # first\n", fw.Name, rule.Name, p.Protocol, orAny(port), dst),
		apply: func(e *engine.Engine) error {
			return e.SetNetworkFirewallPolicy(fw.ARN, pol)
		},
	})
}

// networkFirewallNamePass: a flow whose TLS SNI or HTTP Host the walk
// knows (x.ServerName), dropped by a firewall that filters by name (a
// domain allowlist's generated drop, a tls.sni rule): a stateful pass
// rule for the name, first among the firewall's stateful rules; for an
// AWS service's name, for its whole domain (".amazonaws.com": the start
// path calls several of them, ECR's API, its registry and the layers'
// S3 bucket), as a domain allowlist's target would.
func (f *finder) networkFirewallNamePass(fw *model.NetworkFirewall, x reach.Explanation) []Fix {
	p := *x.Packet
	app := model.FirewallAppProtocol(p.Protocol, p.DestinationPort)
	if x.ServerName == "" || app != "tls" && app != "http" {
		return nil
	}
	name := x.ServerName
	content := model.FirewallContent{Buffer: "tls.sni", Value: name, StartsWith: true, EndsWith: true}
	target := name
	for _, suffix := range []string{"amazonaws.com.cn", "amazonaws.com", "api.aws"} {
		if strings.HasSuffix(name, "."+suffix) {
			target = "." + suffix
			content = model.FirewallContent{Buffer: "tls.sni", Value: target, DotPrefix: true, EndsWith: true}
			break
		}
	}
	if app == "http" {
		content.Buffer = "http.host"
	}
	rule := model.FirewallStatefulRule{Name: "pass " + target, Match: model.FirewallMatch{Protocol: "tcp", SourceHome: true}, Action: "pass",
		AppProtocol: app, Established: true, Contents: []model.FirewallContent{content}}
	pol := fw.Policy
	pol.StatefulRules = append([]model.FirewallStatefulRule{rule}, slices.Clone(fw.Policy.StatefulRules)...)
	suricata := rule.Suricata(1000002)
	tt := map[string]string{"tls": "TLS_SNI", "http": "HTTP_HOST"}[app]
	return []Fix{{
		score: 11, Kind: "network-firewall",
		Title: fmt.Sprintf("Pass %s (%s) in the Network Firewall %s, ahead of the rule or default action that drops it", target, tt, fw.Name),
		Detail: "The firewall filters the flow by its " + map[string]string{"tls": "TLS SNI", "http": "HTTP Host"}[app] + " (" + name + "): add " + target +
			" to its domain allowlist's targets, or put this rule first among its stateful rules: " + suricata,
		Commands: []string{
			fmt.Sprintf(`aws network-firewall describe-rule-group --rule-group-name <the domain list group> --type STATEFUL   # its UpdateToken and RulesSourceList; then update-rule-group with %s among the Targets`, target),
			fmt.Sprintf(`aws network-firewall create-rule-group --rule-group-name %s-pass-domain --type STATEFUL --capacity 10 --rules '%s'   # or this rule group, referenced first by the policy`, fw.Name, suricata),
		},
		Scenario: fmt.Sprintf("firewalls:\n  %s:\n    domain_list: {type: allowlist, targets: [..., %s]}\n", fw.Name, target),
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
