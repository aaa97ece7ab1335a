package terraform_test

import (
	"os"
	"path/filepath"
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

// Rule groups as users write them: rules_string with the group's
// rule_variables, and a rules_source_list domain allowlist; an unreadable
// rule is a warning naming the group and line.
func TestTF38NetworkFirewallRuleStrings(t *testing.T) {
	b, err := os.ReadFile("testdata/networkfirewall/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	i := strings.Index(src, "      stateful_rule {")
	j := strings.Index(src[i:], "\n    }\n  }\n}") + i
	if i < 0 || j < i {
		t.Fatal("no stateful_rule block in the fixture")
	}
	src = src[:i] + `      rules_string = <<-EOT
        pass tls $HOME_NET any -> $EXTERNAL_NET 443 (tls.sni; dotprefix; content:".amazonaws.com"; endswith; msg:"aws"; sid:1;)
        pass tcp $APP any <> $PARTNERS $WEB (msg:"partner"; sid:2;)
        drop tcp any any -> any any (sid:3
      EOT
    }
    rule_variables {
      ip_sets {
        key = "PARTNERS"
        ip_set {
          definition = ["203.0.113.0/24"]
        }
      }
      ip_sets {
        key = "APP"
        ip_set {
          definition = ["10.0.0.0/16"]
        }
      }
      port_sets {
        key = "WEB"
        port_set {
          definition = ["8443", "9443"]
        }
      }` + src[j:]
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res := load(t, dir, nil)
	warned := false
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, `rule group "https-only" line 3`) {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning for the unreadable line 3: %v", res.Warnings)
	}
	st, _ := res.Engine.Snapshot()
	fw := st.NetworkFirewalls[res.Outputs["firewall_arn"]]
	if fw == nil {
		t.Fatal("no firewall")
	}
	var names []string
	for _, r := range fw.Policy.StatefulRules {
		names = append(names, r.Name)
	}
	if len(names) != 3 || names[0] != "aws" || names[1] != "partner" || names[2] != "partner" {
		t.Fatalf("stateful rules %v, want aws and partner (two ports)", names)
	}
	if r := fw.Policy.StatefulRules[1]; !r.Bidirectional || r.Match.FromPort != 8443 || len(r.Match.Destinations) != 1 || r.Match.Destinations[0].String() != "203.0.113.0/24" {
		t.Errorf("partner rule %+v", r)
	}
	if fw.Policy.StatefulDefault != "" {
		t.Errorf("a group with an unreadable rule keeps the policy's stateful default %q", fw.Policy.StatefulDefault)
	}
}
