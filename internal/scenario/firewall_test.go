package scenario_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

const firewallFile = `
vpcs:
  app: {cidr: 10.0.0.0/16, internet_gateway: app-igw}
subnets:
  fw-a: {vpc: app, cidr: 10.0.0.0/28, az: us-east-1a}
  fw-b: {vpc: app, cidr: 10.0.0.16/28, az: us-east-1b}
  pub-a: {vpc: app, cidr: 10.0.1.0/24, az: us-east-1a, route_table: pub-a}
firewalls:
  egress-fw:
    vpc: app
    subnets: [fw-a, fw-b]
    stateless_rules:
      - {priority: 20, action: forward, protocol: tcp}
      - {priority: 10, name: no-dns, action: drop, protocol: udp, ports: 53}
    rule_order: strict
    stateful_default: drop_established
    stateful_rules:
      - {name: https-out, action: pass, protocol: tcp, ports: 443, source: 10.0.0.0/16}
route_tables:
  pub-a: {vpc: app, routes: [{destination: 0.0.0.0/0, target: "egress-fw:us-east-1a"}]}
`

// A firewall: one endpoint per subnet (a GWLB endpoint tagged as Network
// Firewall's), its policy in evaluation order, a route to its endpoint by
// firewall and zone.
func TestFirewallSection(t *testing.T) {
	b, err := buildString(t, firewallFile)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := b.Engine.Snapshot()
	if len(st.NetworkFirewalls) != 1 {
		t.Fatalf("%d firewalls", len(st.NetworkFirewalls))
	}
	var fw *model.NetworkFirewall
	for _, f := range st.NetworkFirewalls {
		fw = f
	}
	if len(fw.Endpoints) != 2 || fw.Endpoints["us-east-1a"] == "" || fw.Endpoints["us-east-1b"] == "" {
		t.Fatalf("endpoints %v", fw.Endpoints)
	}
	ep := st.VpcEndpoints[fw.Endpoints["us-east-1a"]]
	if ep == nil || ep.Type != "GatewayLoadBalancer" || ep.Tags["AWSNetworkFirewallManaged"] != "true" || st.Subnets[ep.Subnets[0]].Tags.Name() != "fw-a" {
		t.Fatalf("endpoint %+v", ep)
	}
	p := fw.Policy
	if len(p.StatelessRules) != 2 || p.StatelessRules[0].Name != "no-dns" || p.StatelessRules[0].Action != "aws:drop" || p.StatelessDefault != "aws:forward_to_sfe" {
		t.Errorf("stateless rules %+v, default %s", p.StatelessRules, p.StatelessDefault)
	}
	if !p.StrictOrder || p.StatefulDefault != "aws:drop_established" || len(p.StatefulRules) != 1 || p.StatefulRules[0].Match.FromPort != 443 {
		t.Errorf("stateful %+v", p)
	}
	found := false
	for _, rt := range st.RouteTables {
		for _, r := range rt.Routes {
			found = found || r.TargetID == string(ep.ID)
		}
	}
	if !found {
		t.Error("no route to the firewall's endpoint in us-east-1a")
	}
}

func TestFirewallErrors(t *testing.T) {
	for _, c := range []struct{ name, from, to, want string }{
		{"two subnets of a zone", "fw-b: {vpc: app, cidr: 10.0.0.16/28, az: us-east-1b}", "fw-b: {vpc: app, cidr: 10.0.0.16/28, az: us-east-1a}",
			`:9: firewall "egress-fw": InvalidRequestException: Only one subnet per Availability Zone`},
		{"a default action without strict order", "    rule_order: strict\n", "",
			`:15: firewall "egress-fw": stateful_default needs rule_order: strict`},
		{"an unknown action", "action: pass, protocol: tcp, ports: 443", "action: allow, protocol: tcp, ports: 443",
			`:18: firewall "egress-fw": a stateful rule's action "allow" is not pass, drop, reject or alert`},
		{"a bad range", "source: 10.0.0.0/16", "source: 10.0.0.0/33",
			`:18: firewall "egress-fw": range "10.0.0.0/33" is not a CIDR block`},
		{"a zone without an endpoint", `target: "egress-fw:us-east-1a"`, `target: "egress-fw:us-east-1c"`,
			`route target "egress-fw:us-east-1c" is not`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(firewallFile, c.from) {
				t.Fatalf("%q is not in the file", c.from)
			}
			_, err := buildString(t, strings.Replace(firewallFile, c.from, c.to, 1))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
}
