package reach

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// asymSpokes: two spoke VPCs behind a transit gateway, and an inspection
// VPC (a Gateway Load Balancer endpoint and its appliance) that the
// spokes' route table sends everything to. The client's VPC (vpc0)
// sends its traffic through its own Network Firewall endpoint first.
const asymSpokes = `name: asym
vpcs:
  vpc0: {cidr: 10.0.0.0/16}
  vpc1: {cidr: 10.1.0.0/16}
  vpc2: {cidr: 10.2.0.0/16}
subnets:
  sub0: {vpc: vpc0, cidr: 10.0.1.0/24, az: us-east-1a, route_table: rt0}
  fwsub0: {vpc: vpc0, cidr: 10.0.250.0/28, az: us-east-1a, route_table: fwrt0}
  sub1: {vpc: vpc1, cidr: 10.1.1.0/24, az: us-east-1a, route_table: rt1}
  apsub2: {vpc: vpc2, cidr: 10.2.1.0/24, az: us-east-1a}
  gwisub2: {vpc: vpc2, cidr: 10.2.110.0/28, az: us-east-1a, route_table: gwirt2}
  tgsub2: {vpc: vpc2, cidr: 10.2.100.0/28, az: us-east-1a, route_table: tgrt2}
route_tables:
  rt0:
    vpc: vpc0
    routes:
      - {destination: 10.0.0.0/8, target: "fw0:us-east-1a"}
  fwrt0:
    vpc: vpc0
    routes:
      - {destination: 10.0.0.0/8, target: tgw}
  rt1:
    vpc: vpc1
    routes:
      - {destination: 10.0.0.0/8, target: tgw}
  gwirt2:
    vpc: vpc2
    routes:
      - {destination: 10.0.0.0/8, target: tgw}
  tgrt2:
    vpc: vpc2
    routes:
      - {destination: 0.0.0.0/0, target: gwi2}
firewalls:
  fw0:
    vpc: vpc0
    subnets: [fwsub0]
    stateless_default: forward
    stateful_rules:
      - {action: pass, protocol: tcp}
      - {action: pass, protocol: udp}
security_groups:
  sg0:
    vpc: vpc0
    ingress:
      - {protocol: all, cidr: 10.0.0.0/8}
  sg1:
    vpc: vpc1
    ingress:
      - {protocol: all, cidr: 10.0.0.0/8}
  apsg2:
    vpc: vpc2
    ingress:
      - {protocol: udp, ports: 6081, cidr: 10.2.0.0/16}
      - {protocol: tcp, ports: 22, cidr: 10.2.1.0/24}
transit_gateways:
  tgw: {default_association: false, default_propagation: false}
transit_gateway_route_tables:
  trtspk:
    transit_gateway: tgw
    routes:
      - {destination: 0.0.0.0/0, target: att2}
  trtins:
    transit_gateway: tgw
transit_gateway_attachments:
  att0: {transit_gateway: tgw, vpc: vpc0, subnets: [sub0], route_table: trtspk, propagate_to: [trtins]}
  att1: {transit_gateway: tgw, vpc: vpc1, subnets: [sub1], route_table: trtspk, propagate_to: [trtins]}
  att2: {transit_gateway: tgw, vpc: vpc2, subnets: [tgsub2], route_table: trtins}
instances:
  c0: {subnet: sub0, instance_type: m5.large, security_groups: [sg0]}
  s1: {subnet: sub1, instance_type: m5.large, security_groups: [sg1]}
  ap2: {subnet: apsub2, instance_type: m5.large, security_groups: [apsg2]}
target_groups:
  gwlb2-tg: {vpc: vpc2, protocol: GENEVE, port: 6081, health_check: {protocol: TCP, port: "22"}, targets: [{id: ap2}]}
load_balancers:
  gwlb2: {type: gateway, subnets: [apsub2], listeners: [{forward: gwlb2-tg}]}
endpoint_services:
  gwlb2-svc: {gateway_load_balancers: [gwlb2]}
vpc_endpoints:
  gwi2: {vpc: vpc2, endpoint_service: gwlb2-svc, subnets: [gwisub2]}
`

// asymNetwork compiles asymSpokes after the edits (pairs of old, new).
func asymNetwork(t *testing.T, edits ...string) *Network {
	t.Helper()
	data := asymSpokes
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(data, edits[i]) {
			t.Fatalf("edit %q: not in the scenario", edits[i])
		}
		data = strings.Replace(data, edits[i], edits[i+1], 1)
	}
	path := filepath.Join(t.TempDir(), "asym.yaml")
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return compileEngine(buildWith(t, path)) // no start check: the VPCs have no way to a registry
}

// The request leaves the client's VPC through the VPC's own Network
// Firewall endpoint to the transit gateway; the reply comes back into
// the VPC at its attachment and by the local route straight to the
// client, around the firewall, whose stateful engine saw the SYN only
// (difftest seed 848). A UDP answer needs no state: it reaches the client.
func TestReplyAroundOwnFirewallFromTGW(t *testing.T) {
	n := asymNetwork(t)
	r := probeSpec(t, n, "c0", "s1:22", "tcp")
	x := check(t, r, Timeout, CodeApplianceAsymmetric)[CodeApplianceAsymmetric]
	if x.Component == nil || !strings.HasPrefix(x.Component.ID, "vpce-") || !strings.Contains(x.Message, "att0") {
		t.Errorf("the explanation does not name the firewall endpoint and the attachment: %+v", x)
	}
	if h := r.Return[len(r.Return)-1]; h.Action != ActionDropped || h.Component.Type != "vpc-endpoint" {
		t.Errorf("the return path does not end at the firewall endpoint: %+v", h)
	}
	if r := probeSpec(t, n, "c0", "s1:53", "udp"); r.HasCode(CodeApplianceAsymmetric) {
		t.Errorf("a UDP answer around the firewall: %s: %s", r.Verdict, r.Summary)
	}
	// Without the firewall on the way out, the flow is symmetric.
	n = asymNetwork(t, `destination: 10.0.0.0/8, target: "fw0:us-east-1a"`, "destination: 10.0.0.0/8, target: tgw")
	checkClean(t, probeSpec(t, n, "c0", "s1:22", "tcp"), Connected)
}

// The spokes reach each other through the inspection VPC, but a peering
// connection's route (more specific than 10.0.0.0/8) takes the reply
// around it: the appliance saw the request only (difftest seeds 445,
// 692). The other way round, the reply meets an appliance that never saw
// the request.
func TestReplyAroundInspectionVPCByPeering(t *testing.T) {
	peered := []string{
		`destination: 10.0.0.0/8, target: "fw0:us-east-1a"`, "destination: 10.0.0.0/8, target: tgw",
		"  rt1:\n    vpc: vpc1\n    routes:\n", "  rt1:\n    vpc: vpc1\n    routes:\n      - {destination: 10.0.0.0/16, target: pcx0}\n",
		"subnets:\n", "vpc_peering_connections:\n  pcx0: {requester: vpc0, accepter: vpc1}\nsubnets:\n",
	}
	n := asymNetwork(t, peered...)
	r := probeSpec(t, n, "c0", "s1:22", "tcp")
	x := check(t, r, Timeout, CodeApplianceAsymmetric)[CodeApplianceAsymmetric]
	if !strings.Contains(x.Message, "gwi2") || !strings.Contains(x.Message, "pcx0") {
		t.Errorf("the explanation does not name the endpoint and the peering connection: %s", x.Message)
	}
	if r := probeSpec(t, n, "s1", "c0:22", "tcp"); r.Verdict != Timeout || !r.HasCode(CodeApplianceAsymmetric) {
		t.Errorf("the reply through an appliance that never saw the request: %s: %s", r.Verdict, r.Summary)
	}
}

// Two zones without appliance mode: the reply enters the inspection VPC
// in the answering side's zone and meets that zone's GWLB endpoint, which
// never saw the request. A TCP reply is dropped; a UDP answer is a new
// flow to that zone's appliance, which forwards it (as the data plane's
// conntrack does), and it needs no state of the other zone's appliance
// to reach the client.
func TestUDPReplyThroughOtherZoneEndpoint(t *testing.T) {
	edits := []string{
		`destination: 10.0.0.0/8, target: "fw0:us-east-1a"`, "destination: 10.0.0.0/8, target: tgw",
		"sub1: {vpc: vpc1, cidr: 10.1.1.0/24, az: us-east-1a", "sub1: {vpc: vpc1, cidr: 10.1.1.0/24, az: us-east-1b",
		"  apsub2: {", "  apsub2b: {vpc: vpc2, cidr: 10.2.2.0/24, az: us-east-1b}\n  gwisub2b: {vpc: vpc2, cidr: 10.2.111.0/28, az: us-east-1b, route_table: gwirt2}\n" +
			"  tgsub2b: {vpc: vpc2, cidr: 10.2.101.0/28, az: us-east-1b, route_table: tgrt2b}\n  apsub2: {",
		"  tgrt2:\n", "  tgrt2b:\n    vpc: vpc2\n    routes:\n      - {destination: 0.0.0.0/0, target: gwi2b}\n  tgrt2:\n",
		"subnets: [tgsub2]", "subnets: [tgsub2, tgsub2b]",
		"  ap2: {", "  ap2b: {subnet: apsub2b, instance_type: m5.large, security_groups: [apsg2]}\n  ap2: {",
		"targets: [{id: ap2}]", "targets: [{id: ap2}, {id: ap2b}]",
		"subnets: [apsub2],", "subnets: [apsub2, apsub2b],",
		"ports: 22, cidr: 10.2.1.0/24}", "ports: 22, cidr: 10.2.0.0/16}",
		"subnets: [gwisub2]}", "subnets: [gwisub2]}\n  gwi2b: {vpc: vpc2, endpoint_service: gwlb2-svc, subnets: [gwisub2b]}",
		"instances:\n", "clusters:\n  c: {}\ntask_definitions:\n  dns:\n    network_mode: awsvpc\n    requires: [FARGATE]\n    cpu: \"256\"\n    memory: \"512\"\n" +
			"    containers:\n      dns: {image: public.ecr.aws/docker/library/nginx:1, ports: [{container: 5353, protocol: udp}, 8443]}\n" +
			"tasks:\n  d1: {cluster: c, task_definition: dns, launch_type: FARGATE, subnets: [sub1], security_groups: [sg1]}\ninstances:\n",
	}
	n := asymNetwork(t, edits...)
	r := probeSpec(t, n, "c0", "d1:8443", "tcp")
	check(t, r, Timeout, CodeApplianceAsymmetric)
	r = probeSpec(t, n, "c0", "d1:5353", "udp")
	if r.Verdict != Connected {
		t.Fatalf("a UDP answer through the other zone's appliance: %s: %s", r.Verdict, r.Summary)
	}
	var met int
	for _, h := range r.Return {
		if h.Component != nil && h.Component.Type == "vpc-endpoint" {
			met++
			if h.Component.Name != "gwi2b" {
				t.Errorf("the reply goes through %s, not the answering side's zone's endpoint gwi2b", h.Component.Label())
			}
		}
	}
	if met == 0 {
		t.Errorf("the reply meets no endpoint: %+v", r.Return)
	}
	// With cross-zone load balancing both zones' endpoints send to the
	// first healthy appliance, which saw the request: connected (seed 1460).
	edits = append(edits, "listeners: [{forward: gwlb2-tg}]}", "listeners: [{forward: gwlb2-tg}], cross_zone: true}")
	n = asymNetwork(t, edits...)
	checkClean(t, probeSpec(t, n, "c0", "d1:8443", "tcp"), Connected)
}
