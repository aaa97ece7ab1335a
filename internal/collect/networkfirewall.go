package collect

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// The AWS Network Firewall reads, as scripts/collect.sh makes them, in the
// files internal/snapshot/networkfirewall.go reads: each firewall's
// describe-firewall (ListFirewalls paged), each of their policies'
// describe-firewall-policy, and each rule group those policies reference
// (an AWS managed one left out: the account cannot describe it), one file
// per resource as the aws CLI prints it. They are not among
// snapshot.Calls: a snapshot without them is complete, as before round
// thirty-eight.
var (
	nfFirewallsCall = snapshot.Call{Service: "network-firewall", Operation: "describe-firewall"}
	nfPoliciesCall  = snapshot.Call{Service: "network-firewall", Operation: "describe-firewall-policy"}
	nfGroupsCall    = snapshot.Call{Service: "network-firewall", Operation: "describe-rule-group"}
)

// arnResource is the resource part of an ARN (after its fifth colon).
func arnResource(arn string) string {
	if parts := strings.SplitN(arn, ":", 6); len(parts) == 6 {
		return parts[5]
	}
	return arn
}

// collectNetworkFirewall makes the three calls; a later one is skipped
// when an earlier one failed, so every region makes all three.
func (r *regionRun) collectNetworkFirewall(ctx context.Context) {
	var policies []string
	ok := r.run(ctx, nfFirewallsCall, func(ctx context.Context, c *counter) (files, error) {
		var arns []string
		err := r.client.pages(ctx, r, c, "network-firewall", "ListFirewalls", nil, func(out map[string]any) int {
			for _, f := range items(out, "Firewalls") {
				if m, ok := f.(map[string]any); ok {
					if a, _ := m["FirewallArn"].(string); a != "" {
						arns = append(arns, a)
					}
				}
			}
			return 0 // counted as describe-firewall answers them
		})
		if err != nil {
			return nil, err
		}
		out := files{}
		for _, arn := range arns {
			fw, err := r.client.call(ctx, r.region, "network-firewall", "DescribeFirewall", map[string]any{"FirewallArn": arn})
			if err != nil {
				return nil, err
			}
			c.page(1)
			if f, ok := fw["Firewall"].(map[string]any); ok {
				if p, _ := f["FirewallPolicyArn"].(string); p != "" && !slices.Contains(policies, p) {
					policies = append(policies, p)
				}
			}
			out[snapshot.NetworkFirewallFileName("describe-firewall", strings.TrimPrefix(arnResource(arn), "firewall/"))] = fw
		}
		return out, nil
	})
	var groups []string
	ok = r.run(ctx, nfPoliciesCall, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, errors.New("skipped: network-firewall list-firewalls failed")
		}
		out := files{}
		for _, arn := range policies {
			p, err := r.client.call(ctx, r.region, "network-firewall", "DescribeFirewallPolicy", map[string]any{"FirewallPolicyArn": arn})
			if err != nil {
				return nil, err
			}
			c.page(1)
			if fp, ok := p["FirewallPolicy"].(map[string]any); ok {
				for _, key := range []string{"StatelessRuleGroupReferences", "StatefulRuleGroupReferences"} {
					for _, ref := range items(fp, key) {
						m, _ := ref.(map[string]any)
						if g, _ := m["ResourceArn"].(string); g != "" && !strings.Contains(g, ":aws-managed:") && !slices.Contains(groups, g) {
							groups = append(groups, g)
						}
					}
				}
			}
			out[snapshot.NetworkFirewallFileName("describe-firewall-policy", strings.TrimPrefix(arnResource(arn), "firewall-policy/"))] = p
		}
		return out, nil
	})
	r.run(ctx, nfGroupsCall, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, errors.New("skipped: network-firewall describe-firewall-policy failed")
		}
		out := files{}
		for _, arn := range groups {
			g, err := r.client.call(ctx, r.region, "network-firewall", "DescribeRuleGroup", map[string]any{"RuleGroupArn": arn})
			if err != nil {
				return nil, err
			}
			c.page(1)
			kind, name, _ := strings.Cut(arnResource(arn), "-rulegroup/")
			out[snapshot.NetworkFirewallFileName("describe-rule-group", kind+"-"+name)] = g
		}
		return out, nil
	})
}
