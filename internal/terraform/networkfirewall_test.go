package terraform_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestTF37NetworkFirewall: aws_networkfirewall_rule_group,
// _firewall_policy and _firewall create the firewall with its policy
// flattened; routes name its endpoints through firewall_status's
// sync_states (a for expression by zone); the analyzer applies the
// policy: HTTPS out passes, another port is dropped by the strict
// default action, DNS out by the stateless rule.
func TestTF37NetworkFirewall(t *testing.T) {
	res := load(t, "testdata/networkfirewall", nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "networkfirewall") {
			t.Errorf("warning: %s", w)
		}
	}
	st, _ := res.Engine.Snapshot()
	fw := st.NetworkFirewalls[res.Outputs["firewall_arn"]]
	if fw == nil {
		t.Fatalf("no firewall %q (outputs %v)", res.Outputs["firewall_arn"], res.Outputs)
	}
	if len(fw.Endpoints) != 2 || string(fw.Endpoints["us-east-1a"]) != res.Outputs["endpoint_a"] {
		t.Fatalf("endpoints %v, output %q", fw.Endpoints, res.Outputs["endpoint_a"])
	}
	p := fw.Policy
	if !p.StrictOrder || p.StatefulDefault != "aws:drop_strict" || p.StatelessDefault != "aws:forward_to_sfe" {
		t.Errorf("policy options %+v", p)
	}
	if len(p.StatefulRules) != 1 || p.StatefulRules[0].Action != "pass" || p.StatefulRules[0].Match.FromPort != 443 || p.StatefulRules[0].Match.Protocol != "tcp" {
		t.Errorf("stateful rules %+v", p.StatefulRules)
	}
	if len(p.StatelessRules) != 1 || p.StatelessRules[0].Action != "aws:drop" || p.StatelessRules[0].Match.Protocol != "udp" || p.StatelessRules[0].Match.ToPort != 53 {
		t.Errorf("stateless rules %+v", p.StatelessRules)
	}
	routes := map[model.VpcEndpointID]int{}
	for _, rt := range st.RouteTables {
		for _, r := range rt.Routes {
			if r.Target == model.TargetVpcEndpoint {
				routes[model.VpcEndpointID(r.TargetID)]++
			}
		}
	}
	for zone, ep := range fw.Endpoints {
		if routes[ep] != 2 {
			t.Errorf("%s: %d routes to endpoint %s, want 2 (the public subnet's and the internet gateway's edge)", zone, routes[ep], ep)
		}
	}
	n := reach.Compile(st)
	for _, c := range []struct {
		from, to, proto string
		want            reach.Verdict
		drop            string
	}{
		{"worker-0", "203.0.113.10:443", "tcp", reach.Connected, ""},
		{"worker-1", "203.0.113.10:443", "tcp", reach.Connected, ""},
		{"worker-0", "203.0.113.10:8443", "tcp", reach.Timeout, "stateful default action aws:drop_strict"},
		{"worker-1", "8.8.8.8:53", "udp", reach.Timeout, "no-outside-dns"},
	} {
		q, err := reach.NewQuery(n, c.from, c.to, c.proto)
		if err != nil {
			t.Fatal(err)
		}
		r := reach.Probe(n, q)
		if r.Verdict != c.want {
			t.Errorf("%s -> %s/%s: %s, want %s: %s", c.from, c.to, c.proto, r.Verdict, c.want, r.Summary)
			continue
		}
		if c.drop == "" {
			continue
		}
		found := false
		for _, f := range r.Blocking() {
			if f.Code == reach.CodeNetworkFirewallDrop && strings.Contains(f.Message, c.drop) && strings.Contains(f.Message, "egress-fw") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s -> %s: no %s naming %q: %+v", c.from, c.to, reach.CodeNetworkFirewallDrop, c.drop, r.Explanations)
		}
	}
}

// A state (`terraform show -json`) of a firewall: the rule group's and
// policy's ARNs of the file's account are mapped to the engine's, and the
// endpoint id firewall_status gives, which a route names, to the
// endpoint the engine made in that zone.
func TestTF37NetworkFirewallState(t *testing.T) {
	res, err := terraform.LoadJSON("testdata/networkfirewall-state.json", terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := res.Engine.Snapshot()
	if len(st.NetworkFirewalls) != 1 {
		t.Fatalf("firewalls %v", st.NetworkFirewalls)
	}
	for _, fw := range st.NetworkFirewalls {
		p := fw.Policy
		if !p.StrictOrder || p.StatefulDefault != "aws:drop_strict" || len(p.StatefulRules) != 1 || p.StatefulRules[0].Match.FromPort != 443 {
			t.Errorf("policy %+v", p)
		}
		ep := fw.Endpoints["us-east-1a"]
		found := false
		for _, rt := range st.RouteTables {
			for _, r := range rt.Routes {
				found = found || r.Target == model.TargetVpcEndpoint && r.TargetID == string(ep)
			}
		}
		if ep == "" || !found {
			t.Errorf("no route to the firewall endpoint %q", ep)
		}
	}
}
