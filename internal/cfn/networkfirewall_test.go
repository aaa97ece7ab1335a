package cfn_test

import (
	"os"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// An egress firewall: its rule groups and policy flattened on the firewall,
// EndpointIds as "<zone>:<id>" split for the routes' VpcEndpointId, in a
// subnet's route table and the internet gateway's.
func TestNetworkFirewallTemplate(t *testing.T) {
	tpl, err := cfn.ReadTemplate("testdata/networkfirewall/egress.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	s, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "nfw"})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := e.Snapshot()
	fw := st.NetworkFirewalls[output(t, s, "FirewallArn")]
	if fw == nil {
		t.Fatalf("no firewall %s", output(t, s, "FirewallArn"))
	}
	ep := output(t, s, "Endpoint")
	if !strings.HasPrefix(ep, "vpce-") || fw.Endpoints["us-east-1a"] != model.VpcEndpointID(ep) {
		t.Fatalf("endpoint output %q, firewall endpoints %v", ep, fw.Endpoints)
	}
	p := fw.Policy
	if !p.StrictOrder || p.StatefulDefault != "aws:drop_strict" || p.StatelessDefault != "aws:forward_to_sfe" {
		t.Errorf("policy options %+v", p)
	}
	if len(p.StatefulRules) != 1 || p.StatefulRules[0].Action != "pass" || p.StatefulRules[0].Match.FromPort != 443 || p.StatefulRules[0].Match.Protocol != "tcp" ||
		len(p.StatefulRules[0].Match.Sources) != 1 || p.StatefulRules[0].Match.Sources[0].String() != "10.0.0.0/16" {
		t.Errorf("stateful rules %+v", p.StatefulRules)
	}
	if len(p.StatelessRules) != 1 || p.StatelessRules[0].Action != "aws:drop" || p.StatelessRules[0].Match.Protocol != "udp" || p.StatelessRules[0].Match.ToPort != 53 {
		t.Errorf("stateless rules %+v", p.StatelessRules)
	}
	routes := 0
	for _, rt := range st.RouteTables {
		for _, r := range rt.Routes {
			if r.Target == model.TargetVpcEndpoint && r.TargetID == ep {
				routes++
			}
		}
	}
	if routes != 2 {
		t.Errorf("%d routes to the firewall endpoint, want 2 (the NAT gateway's subnet and the internet gateway's edge)", routes)
	}
	// Deleting the stack deletes the firewall and its endpoints, then the
	// subnets they were in.
	if err := cfn.DeleteResources(e, s.Resources); err != nil {
		t.Fatal(err)
	}
	e.Read(func(st *model.State) {
		if len(st.NetworkFirewalls)+len(st.VpcEndpoints)+len(st.Subnets) != 0 {
			t.Errorf("left: firewalls %v, endpoints %v, subnets %v", st.NetworkFirewalls, st.VpcEndpoints, st.Subnets)
		}
	})
}

// A domain list rule group (RulesSourceList) and the policy's HOME_NET
// (PolicyVariables) are applied: the allowlist's generated rules, from
// $HOME_NET, with the policy's ranges.
func TestNetworkFirewallDomainListTemplate(t *testing.T) {
	b, err := os.ReadFile("testdata/networkfirewall/egress.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(b), `        RulesSource:
          StatefulRules:
            - Action: PASS
              Header: {Protocol: TCP, Source: 10.0.0.0/16, SourcePort: ANY, Direction: FORWARD, Destination: ANY, DestinationPort: "443"}
              RuleOptions: [{Keyword: "sid", Settings: ["1"]}]`, `        RulesSource:
          RulesSourceList: {GeneratedRulesType: ALLOWLIST, TargetTypes: [TLS_SNI], Targets: [.amazonaws.com]}`, 1)
	src = strings.Replace(src, "        StatefulEngineOptions: {RuleOrder: STRICT_ORDER}\n", "        StatefulEngineOptions: {RuleOrder: STRICT_ORDER}\n        PolicyVariables: {RuleVariables: {HOME_NET: {Definition: [10.0.0.0/8]}}}\n", 1)
	if !strings.Contains(src, "RulesSourceList") || !strings.Contains(src, "PolicyVariables") {
		t.Fatal("the fixture changed")
	}
	tpl, err := cfn.ParseTemplate("egress.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	s, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "nfw"})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := e.Snapshot()
	fw := st.NetworkFirewalls[output(t, s, "FirewallArn")]
	if fw == nil {
		t.Fatal("no firewall")
	}
	p := fw.Policy
	if len(p.HomeNet) != 1 || p.HomeNet[0].String() != "10.0.0.0/8" || p.StatefulDefault != "aws:drop_strict" {
		t.Errorf("policy %+v", p)
	}
	if len(p.StatefulRules) != 2 || p.StatefulRules[0].Action != "pass" || p.StatefulRules[0].AppProtocol != "tls" || len(p.StatefulRules[0].Contents) != 1 ||
		p.StatefulRules[1].Action != "drop" || !p.StatefulRules[1].Match.SourceHome {
		t.Errorf("stateful rules %+v", p.StatefulRules)
	}
}
