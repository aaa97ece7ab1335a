package scenario_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// ipv6 on a VPC, a subnet's /64 by number, an egress-only gateway and its
// ::/0 route, IPv6 rules and ACL entries, IPv6 addresses by count on an
// instance and through a launch template.
func TestIPv6Scenario(t *testing.T) {
	sc, err := scenario.Parse("v6.yaml", []byte(`
vpcs:
  main: {cidr: 10.0.0.0/16, ipv6: true}
egress_only_gateways:
  eigw: {vpc: main}
subnets:
  a: {vpc: main, cidr: 10.0.1.0/24, ipv6: 7, route_table: rt}
route_tables:
  rt:
    vpc: main
    routes:
      - {destination: "::/0", target: eigw}
security_groups:
  sg:
    vpc: main
    ingress:
      - {protocol: tcp, ports: 443, cidr: "2001:db8::/32"}
network_acls:
  acl:
    vpc: main
    subnets: [a]
    ingress:
      - {rule: 100, protocol: tcp, ports: 443, cidr: "::/0", action: allow}
launch_templates:
  node-lt: {instance_type: t3.micro, ipv6_addresses: 2, security_groups: [sg]}
instances:
  one: {subnet: a, instance_type: t3.micro, ipv6_addresses: 1, security_groups: [sg]}
  two: {subnet: a, launch_template: node-lt}
`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := b.Engine.Snapshot()
	var vpc *model.VPC
	for _, v := range st.VPCs {
		vpc = v
	}
	var sub *model.Subnet
	for _, s := range st.Subnets {
		sub = s
	}
	if len(vpc.IPv6) != 1 || len(sub.IPv6) != 1 || sub.IPv6[0].CIDR.Addr().As16()[7] != 7 || !vpc.IPv6[0].CIDR.Contains(sub.IPv6[0].CIDR.Addr()) {
		t.Fatalf("VPC %+v, subnet %+v", vpc.IPv6, sub.IPv6)
	}
	if len(st.EgressOnlyIGWs) != 1 {
		t.Errorf("%d egress-only gateways", len(st.EgressOnlyIGWs))
	}
	found := false
	for _, rt := range st.RouteTables {
		for _, r := range rt.Routes {
			found = found || r.Destination.String() == "::/0" && r.Target == model.TargetEgressOnlyIGW
		}
	}
	if !found {
		t.Error("no ::/0 route to the egress-only gateway")
	}
	for _, i := range st.Instances {
		want := map[string]int{"one": 1, "two": 2}[i.Tags.Name()]
		if got := len(st.NetworkInterfaces[i.PrimaryENI].IPv6); got != want {
			t.Errorf("instance %s: %d IPv6 addresses, want %d", i.Tags.Name(), got, want)
		}
	}
	for _, g := range st.SecurityGroups {
		if g.Name == "sg" && (len(g.Ingress) != 1 || g.Ingress[0].CIDR.String() != "2001:db8::/32") {
			t.Errorf("rules %+v", g.Ingress)
		}
	}
	// A subnet's ipv6: in a VPC without a block is an error at its line.
	sc2, err := scenario.Parse("bad.yaml", []byte("vpcs:\n  main: {cidr: 10.0.0.0/16}\nsubnets:\n  a: {vpc: main, cidr: 10.0.1.0/24, ipv6: 1}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err = sc2.Build(); err == nil || err.Error() != `bad.yaml:4: subnet "a": ipv6: the VPC has no IPv6 block (give it ipv6: true)` {
		t.Errorf("ipv6 without a VPC block: %v", err)
	}
}

// ip_address_type on a load balancer sets its IP address type as
// SetIpAddressType does, with its checks: dualstack-without-public-ipv4
// needs an internet-facing ALB (an error at the key's line).
func TestLoadBalancerIPAddressType(t *testing.T) {
	base := `vpcs:
  main: {cidr: 10.0.0.0/16, ipv6: true, internet_gateway: igw}
subnets:
  a: {vpc: main, cidr: 10.0.1.0/24, ipv6: 1, az: us-east-1a}
  b: {vpc: main, cidr: 10.0.2.0/24, ipv6: 2, az: us-east-1b}
load_balancers:
  web:
    scheme: %s
    ip_address_type: %s
    subnets: [a, b]
`
	for _, c := range []struct{ scheme, typ, err string }{
		{"internet-facing", "dualstack", ""},
		{"internet-facing", "dualstack-without-public-ipv4", ""},
		{"internal", "dualstack-without-public-ipv4", `lb.yaml:9: load balancer "web": ` + "ValidationError: IP address type 'dualstack-without-public-ipv4' is only supported for internet-facing Application Load Balancers"},
		{"internet-facing", "ipv6", `lb.yaml:9: load balancer "web": `},
	} {
		sc, err := scenario.Parse("lb.yaml", []byte(fmt.Sprintf(base, c.scheme, c.typ)))
		if err != nil {
			t.Fatal(err)
		}
		b, err := sc.Build()
		if c.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), c.err) {
				t.Errorf("%s %s: %v, want %s…", c.scheme, c.typ, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s %s: %v", c.scheme, c.typ, err)
		}
		st, _ := b.Engine.Snapshot()
		for _, lb := range st.LoadBalancers {
			if lb.IPAddressType != c.typ {
				t.Errorf("ip address type %q, want %q", lb.IPAddressType, c.typ)
			}
		}
	}
}
