package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// A /28 subnet another service fills: every task of web stops in
// PROVISIONING (InsufficientFreeAddressesInSubnet), the target group stays
// empty, and the root cause is ECS_SUBNET_NO_FREE_ADDRESSES; the verified
// fix runs web in the VPC's other private subnet (the same NAT route), not
// in the public ones.
func TestSubnetNoFreeAddressesAllStopped(t *testing.T) {
	const file = `
vpcs:
  main: {cidr: 10.0.0.0/16, internet_gateway: igw, dns_hostnames: true}
subnets:
  public-a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, route_table: public}
  public-b: {vpc: main, cidr: 10.0.2.0/24, az: us-east-1b, route_table: public}
  private-a: {vpc: main, cidr: 10.0.11.0/28, az: us-east-1a, route_table: private}
  private-b: {vpc: main, cidr: 10.0.12.0/24, az: us-east-1b, route_table: private}
elastic_ips:
  nat-eip: {}
nat_gateways:
  nat-a: {subnet: public-a, elastic_ip: nat-eip}
route_tables:
  public: {vpc: main, routes: [{destination: 0.0.0.0/0, target: igw}]}
  private: {vpc: main, routes: [{destination: 0.0.0.0/0, target: nat-a}]}
security_groups:
  alb-sg: {vpc: main, ingress: [{protocol: tcp, ports: 80, cidr: 0.0.0.0/0}]}
  task-sg: {vpc: main, ingress: [{protocol: tcp, ports: 3000, group: alb-sg}]}
clusters:
  demo: {}
task_definitions:
  web:
    network_mode: awsvpc
    requires: [FARGATE]
    cpu: "256"
    memory: "512"
    containers:
      web: {image: public.ecr.aws/docker/library/node:20, ports: [3000]}
target_groups:
  web-tg: {vpc: main, port: 3000, target_type: ip}
load_balancers:
  web-alb: {subnets: [public-a, public-b], security_groups: [alb-sg], listeners: [{port: 80, protocol: HTTP, forward: web-tg}]}
services:
  hog: {cluster: demo, task_definition: web, desired: 11, launch_type: FARGATE, subnets: [private-a], security_groups: [task-sg]}
  web:
    cluster: demo
    task_definition: web
    desired: 2
    launch_type: FARGATE
    subnets: [private-a]
    security_groups: [task-sg]
    load_balancers: [{target_group: web-tg, container: web, port: 3000}]
`
	sc, err := scenario.Parse("full.yaml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
	if err != nil {
		t.Fatal(err)
	}
	fixes, res, err := fix.Find(b.Engine, "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Reachable || !res.HasCode(reach.CodeSubnetNoFreeAddresses) {
		t.Fatalf("want a failed probe with %s: %s", reach.CodeSubnetNoFreeAddresses, res.Summary)
	}
	if len(fixes) == 0 || !strings.HasPrefix(fixes[0].Title, "Run the service web in the subnets private-b (251 free)") {
		var titles []string
		for _, f := range fixes {
			titles = append(titles, f.Title)
		}
		t.Fatalf("fixes: %q", titles)
	}
}
