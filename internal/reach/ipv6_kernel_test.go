package reach

import (
	"testing"
)

// Two answers the data plane's kernel corrected (the differential test
// over dual-stack systems, round sixteen).
const kernelV6 = `
name: v6-kernel
vpcs:
  a: {cidr: 10.0.0.0/16, ipv6: true, internet_gateway: igw-a}
  b: {cidr: 10.1.0.0/16, ipv6: true, internet_gateway: igw-b}
subnets:
  a1: {vpc: a, cidr: 10.0.1.0/24, ipv6: 1, assign_ipv6_on_creation: true, az: us-east-1a, route_table: ra}
  b1: {vpc: b, cidr: 10.1.1.0/24, ipv6: 1, assign_ipv6_on_creation: true, az: us-east-1a, route_table: rb}
route_tables:
  ra: {vpc: a, routes: [{destination: 0.0.0.0/0, target: igw-a}, {destination: "::/0", target: igw-a}]}
  rb: {vpc: b, routes: [{destination: 0.0.0.0/0, target: igw-b}, {destination: "::/0", target: igw-b}]}
security_groups:
  grp-a: {vpc: a, ingress: [{protocol: all, cidr: "::/0"}, {protocol: all, cidr: 0.0.0.0/0}]}
clusters:
  c: {}
instances:
  i0: {subnet: a1, instance_type: m5.large, security_groups: [grp-a], public_ip: true, cluster: c}
task_definitions:
  br:
    network_mode: bridge
    requires: [EC2]
    containers:
      app: {image: public.ecr.aws/docker/library/nginx:1, memory: 128, ports: [{container: 80, host: 8080}]}
tasks:
  br: {cluster: c, task_definition: br, launch_type: EC2}
`

// A bridge mode task's containers are on Docker's bridge network, which
// has no IPv6: its IPv6 client fails at once (the kernel: "network is
// unreachable"), where the analyzer used to send from the instance's
// IPv6 address.
func TestIPv6BridgeTaskHasNoIPv6(t *testing.T) {
	n := compileEngine(buildFromText(t, kernelV6))
	r := probeV6(t, n, "br", "internet:443")
	check(t, r, NoRoute, CodeNoIPv6Address)
	check(t, probeV6(t, n, "i0", "internet:443"), Connected)
}

// An address of another VPC's IPv6 block that no network interface holds
// is no internet host: the packet reaches that VPC and nothing answers
// (the kernel: a timeout), where the analyzer used to assume an internet
// host accepts.
func TestIPv6UnheldAddressOfAVPCBlock(t *testing.T) {
	n := compileEngine(buildFromText(t, kernelV6))
	var block string
	for _, v := range n.st.VPCs {
		if v.CIDR.String() == "10.1.0.0/16" {
			block = v.IPv6[0].CIDR.Addr().String()
		}
	}
	if block == "" {
		t.Fatal("VPC b has no IPv6 block")
	}
	r := probeV6(t, n, "i0", "["+block+"c8]:443")
	check(t, r, Timeout, CodeIGWPrivateIPIngress)
}
