package reach

import (
	"os"
	"path/filepath"
	"testing"
)

// A reply is held to the inspection endpoints of its own leg of the
// request. Found by the data plane's differential test (seeds 445 and
// 972 of the firewall stream), where the analyzer said
// ECS_INGRESS_ROUTING_ASYMMETRIC and the kernel answered 503:
//   - hairpin: an instance of a subnet that routes straight to the
//     internet gateway calls an internet-facing load balancer of its own
//     VPC, whose subnet goes through a firewall both ways (the edge route
//     in, the subnet's default route out). The firewall saw the request's
//     inbound leg and the reply's outbound one: symmetric.
//   - across VPCs: a client leaves its VPC through that VPC's firewall and
//     calls a load balancer of another VPC without one; the load
//     balancer's reply owes nothing to the first VPC's endpoint on its
//     way out of the second.
func TestIngressSymmetryPerLeg(t *testing.T) {
	const sys = `name: legs
vpcs:
  app: {cidr: 10.0.0.0/16, internet_gateway: igw}
  other: {cidr: 10.1.0.0/16, internet_gateway: igw1}
subnets:
  lb: {vpc: app, cidr: 10.0.1.0/24, az: us-east-1a, route_table: inspected}
  direct: {vpc: app, cidr: 10.0.3.0/24, az: us-east-1a, route_table: direct}
  fw: {vpc: app, cidr: 10.0.250.0/28, az: us-east-1a, route_table: fw}
  o1: {vpc: other, cidr: 10.1.1.0/24, az: us-east-1a, route_table: other}
route_tables:
  inspected:
    vpc: app
    routes: [{destination: 0.0.0.0/0, target: "fw0:us-east-1a"}]
  direct:
    vpc: app
    routes: [{destination: 0.0.0.0/0, target: igw}]
  fw:
    vpc: app
    routes: [{destination: 0.0.0.0/0, target: igw}]
  edge:
    vpc: app
    gateways: [igw]
    routes: [{destination: 10.0.1.0/24, target: "fw0:us-east-1a"}]
  other:
    vpc: other
    routes: [{destination: 0.0.0.0/0, target: igw1}]
firewalls:
  fw0:
    vpc: app
    subnets: [fw]
security_groups:
  lb-sg: {vpc: app, ingress: [{protocol: tcp, ports: 80, cidr: 0.0.0.0/0}]}
  c-sg: {vpc: app, ingress: []}
  o-sg: {vpc: other, ingress: [{protocol: tcp, ports: 80, cidr: 0.0.0.0/0}]}
instances:
  hairpin: {subnet: direct, instance_type: t3.micro, security_groups: [c-sg], public_ip: true}
  behind: {subnet: lb, instance_type: t3.micro, security_groups: [c-sg], public_ip: true}
load_balancers:
  clb:
    type: classic
    subnets: [lb]
    security_groups: [lb-sg]
    listeners: [{port: 80, protocol: HTTP, instance_port: 8080}]
  oclb:
    type: classic
    subnets: [o1]
    security_groups: [o-sg]
    listeners: [{port: 80, protocol: HTTP, instance_port: 8080}]
`
	f := filepath.Join(t.TempDir(), "legs.yaml")
	if err := os.WriteFile(f, []byte(sys), 0o644); err != nil {
		t.Fatal(err)
	}
	n := compileEngine(build(t, f))
	for _, c := range []struct{ from, to string }{
		{"hairpin", "clb:80"},
		{"behind", "oclb:80"},
	} {
		r := probeSpec(t, n, c.from, c.to, "tcp")
		for _, x := range r.Explanations {
			if x.Code == CodeIngressAsymmetric {
				t.Errorf("%s → %s: %s", c.from, c.to, x.Message)
			}
		}
		if r.Verdict != HTTPVerdict(503) {
			t.Errorf("%s → %s: %s, want http 503 (no instance in service)", c.from, c.to, r.Verdict)
		}
	}
}
