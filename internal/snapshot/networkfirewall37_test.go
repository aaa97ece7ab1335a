package snapshot_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// The egress allow-list story written as a snapshot and read back: the
// firewall, its endpoint and its policy (describe-firewall,
// describe-firewall-policy, describe-rule-group) come back, so that the
// endpoint drops 8443 and passes 443 as the scenario's does. Before round
// thirty-seven the writer left firewalls out and the endpoint passed
// every flow.
func TestNetworkFirewallRoundTrip(t *testing.T) {
	st := scenarioState(t, "../../examples/failures/analyzer-only/network-firewall-egress-allow-list-port.yaml")
	dir, region := writeSnapshot(t, st)
	for _, f := range []string{"network-firewall-describe-firewall-egress-fw.json", "network-firewall-describe-firewall-policy-egress-fw.json",
		"network-firewall-describe-rule-group-stateful-egress-fw.json"} {
		if _, err := os.Stat(filepath.Join(region, f)); err != nil {
			t.Errorf("no %s: %v", f, err)
		}
	}
	res := load(t, dir)
	for _, w := range res.Warnings {
		if strings.Contains(w.Message, "firewall") {
			t.Errorf("warning: %s", w.Message)
		}
	}
	got := state(res)
	if len(got.NetworkFirewalls) != len(st.NetworkFirewalls) || len(got.NetworkFirewalls) != 1 {
		t.Fatalf("firewalls %d, want %d", len(got.NetworkFirewalls), len(st.NetworkFirewalls))
	}
	for arn, want := range st.NetworkFirewalls {
		f := got.NetworkFirewalls[arn]
		if f == nil {
			t.Fatalf("no firewall %s", arn)
		}
		if f.Name != want.Name || f.VpcID != want.VpcID || len(f.Endpoints) != len(want.Endpoints) {
			t.Errorf("firewall %+v, want %+v", f, want)
		}
		for z, ep := range want.Endpoints {
			if f.Endpoints[z] != ep {
				t.Errorf("endpoint in %s: %s, want %s", z, f.Endpoints[z], ep)
			}
		}
		p, wp := f.Policy, want.Policy
		if p.StrictOrder != wp.StrictOrder || p.StatefulDefault != wp.StatefulDefault || p.StatelessDefault != wp.StatelessDefault ||
			len(p.StatefulRules) != len(wp.StatefulRules) || len(p.StatelessRules) != len(wp.StatelessRules) {
			t.Errorf("policy %+v, want %+v", p, wp)
		}
		for i := range min(len(p.StatefulRules), len(wp.StatefulRules)) {
			if p.StatefulRules[i].Name != wp.StatefulRules[i].Name || p.StatefulRules[i].Action != wp.StatefulRules[i].Action {
				t.Errorf("stateful rule %d %+v, want %+v", i, p.StatefulRules[i], wp.StatefulRules[i])
			}
		}
	}
	if r := probe(t, got, "worker/0", "203.0.113.10:8443"); r.Verdict != reach.Timeout || !blockedBy(r, reach.CodeNetworkFirewallDrop) {
		t.Errorf("8443: %s: %s", r.Verdict, r.Summary)
	}
	if r := probe(t, got, "worker/0", "203.0.113.10:443"); r.Verdict != reach.Connected {
		t.Errorf("443: %s: %s", r.Verdict, r.Summary)
	}
}

func blockedBy(r *reach.Result, code string) bool {
	for _, e := range r.Blocking() {
		if e.Code == code {
			return true
		}
	}
	return false
}

// Hand-written outputs in the aws CLI's shapes (botocore's
// network-firewall DescribeFirewall, DescribeFirewallPolicy and
// DescribeRuleGroup responses) beside a snapshot: the firewall takes
// its endpoint from FirewallStatus.SyncStates, its policy in strict
// order from the rule groups (a stateless drop of DNS, a stateful pass
// of HTTPS named by its msg option); a reference to an AWS managed group
// is not applied, and the policy's default action neither, with a
// warning.
func TestNetworkFirewallDescribeOutputs(t *testing.T) {
	st := scenarioState(t, "../../examples/failures/analyzer-only/network-firewall-egress-allow-list-port.yaml")
	var fw *model.NetworkFirewall
	for _, f := range st.NetworkFirewalls {
		fw = f
	}
	ep := string(fw.Endpoints["us-east-1a"])
	if ep == "" {
		t.Fatalf("endpoints %v", fw.Endpoints)
	}
	st = st.Clone()
	st.NetworkFirewalls = map[string]*model.NetworkFirewall{}
	dir, region := writeSnapshot(t, st)
	const arnBase = "arn:aws:network-firewall:us-east-1:123456789012:"
	writeFile(t, filepath.Join(region, snapshot.NetworkFirewallFileName("describe-firewall", "prod-fw")), `{
    "UpdateToken": "6e4a4f1b-0000-4000-8000-000000000001",
    "Firewall": {
        "FirewallName": "prod-fw",
        "FirewallArn": "`+arnBase+`firewall/prod-fw",
        "FirewallPolicyArn": "`+arnBase+`firewall-policy/prod-policy",
        "VpcId": "`+string(fw.VpcID)+`",
        "SubnetMappings": [{"SubnetId": "subnet-0123456789abcdef0", "IPAddressType": "IPV4"}],
        "DeleteProtection": false,
        "SubnetChangeProtection": false,
        "FirewallPolicyChangeProtection": false,
        "FirewallId": "0a1b2c3d-0000-4000-8000-000000000001",
        "Tags": [{"Key": "team", "Value": "net"}]
    },
    "FirewallStatus": {
        "Status": "READY",
        "ConfigurationSyncStateSummary": "IN_SYNC",
        "SyncStates": {
            "us-east-1a": {
                "Attachment": {"SubnetId": "subnet-0123456789abcdef0", "EndpointId": "`+ep+`", "Status": "READY"},
                "Config": {"`+arnBase+`firewall-policy/prod-policy": {"SyncStatus": "IN_SYNC", "UpdateToken": "x"}}
            }
        }
    }
}`)
	writeFile(t, filepath.Join(region, snapshot.NetworkFirewallFileName("describe-firewall-policy", "prod-policy")), `{
    "UpdateToken": "6e4a4f1b-0000-4000-8000-000000000002",
    "FirewallPolicyResponse": {
        "FirewallPolicyName": "prod-policy",
        "FirewallPolicyArn": "`+arnBase+`firewall-policy/prod-policy",
        "FirewallPolicyId": "0a1b2c3d-0000-4000-8000-000000000002",
        "FirewallPolicyStatus": "ACTIVE"
    },
    "FirewallPolicy": {
        "StatelessRuleGroupReferences": [{"ResourceArn": "`+arnBase+`stateless-rulegroup/no-dns", "Priority": 5}],
        "StatelessDefaultActions": ["aws:forward_to_sfe"],
        "StatelessFragmentDefaultActions": ["aws:forward_to_sfe"],
        "StatefulRuleGroupReferences": [{"ResourceArn": "`+arnBase+`stateful-rulegroup/https-only", "Priority": 10}],
        "StatefulDefaultActions": ["aws:drop_strict", "aws:alert_strict"],
        "StatefulEngineOptions": {"RuleOrder": "STRICT_ORDER", "StreamExceptionPolicy": "DROP"}
    }
}`)
	writeFile(t, filepath.Join(region, snapshot.NetworkFirewallFileName("describe-rule-group", "stateful-https-only")), `{
    "UpdateToken": "6e4a4f1b-0000-4000-8000-000000000003",
    "RuleGroup": {
        "RulesSource": {
            "StatefulRules": [{
                "Action": "PASS",
                "Header": {"Protocol": "TCP", "Source": "10.0.0.0/16", "SourcePort": "ANY", "Direction": "FORWARD", "Destination": "ANY", "DestinationPort": "443"},
                "RuleOptions": [{"Keyword": "msg", "Settings": ["\"https out\""]}, {"Keyword": "sid", "Settings": ["1"]}]
            }]
        },
        "StatefulRuleOptions": {"RuleOrder": "STRICT_ORDER"}
    },
    "RuleGroupResponse": {
        "RuleGroupArn": "`+arnBase+`stateful-rulegroup/https-only",
        "RuleGroupName": "https-only",
        "RuleGroupId": "0a1b2c3d-0000-4000-8000-000000000003",
        "Type": "STATEFUL",
        "Capacity": 10,
        "RuleGroupStatus": "ACTIVE"
    }
}`)
	writeFile(t, filepath.Join(region, snapshot.NetworkFirewallFileName("describe-rule-group", "stateless-no-dns")), `{
    "UpdateToken": "6e4a4f1b-0000-4000-8000-000000000004",
    "RuleGroup": {
        "RulesSource": {
            "StatelessRulesAndCustomActions": {
                "StatelessRules": [{
                    "RuleDefinition": {
                        "MatchAttributes": {"Destinations": [{"AddressDefinition": "0.0.0.0/0"}], "DestinationPorts": [{"FromPort": 53, "ToPort": 53}], "Protocols": [17, 6]},
                        "Actions": ["aws:drop"]
                    },
                    "Priority": 1
                }]
            }
        }
    },
    "RuleGroupResponse": {
        "RuleGroupArn": "`+arnBase+`stateless-rulegroup/no-dns",
        "RuleGroupName": "no-dns",
        "RuleGroupId": "0a1b2c3d-0000-4000-8000-000000000004",
        "Type": "STATELESS",
        "Capacity": 10
    }
}`)
	res := load(t, dir)
	for _, w := range res.Warnings {
		if strings.Contains(w.Message, "firewall") || strings.Contains(w.Message, "UpdateToken") || strings.Contains(w.Message, "RuleGroup") {
			t.Errorf("warning: %s", w.Message)
		}
	}
	got := state(res)
	f := got.NetworkFirewalls[arnBase+"firewall/prod-fw"]
	if f == nil {
		t.Fatalf("no firewall: %v", got.NetworkFirewalls)
	}
	if string(f.Endpoints["us-east-1a"]) != ep || f.Tags["team"] != "net" {
		t.Errorf("firewall %+v", f)
	}
	p := f.Policy
	if !p.StrictOrder || p.StatefulDefault != "aws:drop_strict" || len(p.StatelessRules) != 2 || len(p.StatefulRules) != 1 || p.StatefulRules[0].Name != "https out" {
		t.Errorf("policy %+v", p)
	}
	if r := probe(t, got, "worker/0", "203.0.113.10:8443"); r.Verdict != reach.Timeout || !blockedBy(r, reach.CodeNetworkFirewallDrop) {
		t.Errorf("8443: %s: %s", r.Verdict, r.Summary)
	}
	if r := probe(t, got, "worker/0", "203.0.113.10:443"); r.Verdict != reach.Connected {
		t.Errorf("443: %s: %s", r.Verdict, r.Summary)
	}
	if r := probe(t, got, "worker/0", "203.0.113.10:53"); r.Verdict != reach.Timeout || !strings.Contains(r.Summary+explanations(r), "no-dns") {
		t.Errorf("53: %s: %s", r.Verdict, r.Summary)
	}

	// An AWS managed stateful group beside it: not applied, nor the
	// default action; a warning says so.
	writeFile(t, filepath.Join(region, snapshot.NetworkFirewallFileName("describe-firewall-policy", "prod-policy")), strings.Replace(
		`{"UpdateToken": "t", "FirewallPolicyResponse": {"FirewallPolicyName": "prod-policy", "FirewallPolicyArn": "ARNfirewall-policy/prod-policy", "FirewallPolicyId": "p"},
		  "FirewallPolicy": {"StatelessDefaultActions": ["aws:forward_to_sfe"], "StatelessFragmentDefaultActions": ["aws:forward_to_sfe"],
		  "StatefulRuleGroupReferences": [{"ResourceArn": "ARNstateful-rulegroup/https-only", "Priority": 10},
		    {"ResourceArn": "arn:aws:network-firewall:us-east-1:aws-managed:stateful-rulegroup/MalwareDomainsStrictOrder", "Priority": 20}],
		  "StatefulDefaultActions": ["aws:drop_strict"], "StatefulEngineOptions": {"RuleOrder": "STRICT_ORDER"}}}`, "ARN", arnBase, -1))
	res = load(t, dir)
	warned := false
	for _, w := range res.Warnings {
		warned = warned || strings.Contains(w.Message, "prod-policy") && strings.Contains(w.Message, "AWS managed")
	}
	if !warned {
		t.Errorf("no warning of the managed group: %v", res.Warnings)
	}
	got = state(res)
	if r := probe(t, got, "worker/0", "203.0.113.10:8443"); r.Verdict != reach.Connected {
		t.Errorf("8443 with an unread group: %s: %s", r.Verdict, r.Summary)
	}
}

func explanations(r *reach.Result) string {
	var b strings.Builder
	for _, e := range r.Explanations {
		b.WriteString(e.Message + "\n")
	}
	return b.String()
}
