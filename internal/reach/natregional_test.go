package reach

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// regionalNATStory is a VPC without public subnets: private subnets in
// us-east-1a and us-east-1b route 0.0.0.0/0 to one regional NAT gateway
// (nat, given here), a worker instance in each.
func regionalNATStory(t *testing.T, nat string) *Network {
	t.Helper()
	data := `name: regional-nat
vpcs:
  main: {cidr: 10.0.0.0/16, internet_gateway: igw}
subnets:
  private-a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, route_table: private}
  private-b: {vpc: main, cidr: 10.0.2.0/24, az: us-east-1b, route_table: private}
route_tables:
  private:
    vpc: main
    routes: [{destination: 0.0.0.0/0, target: rnat}]
elastic_ips:
  eip-a: {address: 54.160.0.10}
  eip-b: {address: 54.160.0.11}
nat_gateways:
` + nat + `
security_groups:
  worker-sg: {vpc: main}
instances:
  worker-a: {subnet: private-a, instance_type: t3.micro, security_groups: [worker-sg]}
  worker-b: {subnet: private-b, instance_type: t3.micro, security_groups: [worker-sg]}
`
	sc, err := scenario.Parse("regional-nat.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(StartCheck))
	if err != nil {
		t.Fatal(err)
	}
	return compileEngine(b.Engine)
}

// seenFrom is the source address the internet sees: the packet's source
// at the internet gateway.
func seenFrom(t *testing.T, r *Result) string {
	t.Helper()
	for _, h := range r.Forward {
		if h.Component != nil && h.Component.Type == "internet-gateway" {
			return h.Packet.Source.String()
		}
	}
	t.Fatalf("no internet gateway hop: %+v", r.Forward)
	return ""
}

func TestRegionalNATGateway(t *testing.T) {
	t.Run("manual mode: the listed zone through its Elastic IP, the other not served", func(t *testing.T) {
		n := regionalNATStory(t, "  rnat: {availability_mode: regional, vpc: main, zone_addresses: {us-east-1a: [eip-a]}}\n")
		r := probeSpec(t, n, "worker-a", "8.8.8.8:443", "tcp")
		checkClean(t, r, Connected)
		if got := seenFrom(t, r); got != "54.160.0.10" {
			t.Errorf("the internet sees %s, want the zone's Elastic IP 54.160.0.10", got)
		}
		back := false
		for _, h := range r.Return {
			back = back || h.Component != nil && h.Component.Type == "nat-gateway" && h.Packet.Destination.String() == "10.0.1.4"
		}
		if !back {
			t.Errorf("the reply does not come back through the NAT gateway to the worker: %+v", r.Return)
		}
		in := probeSpec(t, n, "internet", "54.160.0.10:443", "tcp")
		if b := in.Blocking(); in.Verdict != Timeout || len(b) == 0 || b[0].Code != CodeNATNoInbound || !strings.Contains(b[0].Message, "regional NAT gateway rnat") {
			t.Errorf("from the internet to the gateway's address: %s %+v", in.Verdict, b)
		}
		r = probeSpec(t, n, "worker-b", "8.8.8.8:443", "tcp")
		x := check(t, r, Timeout, CodeRegionalNATZoneNotServed)[CodeRegionalNATZoneNotServed]
		if !strings.Contains(x.Message, "no address in us-east-1b") || !strings.Contains(x.Message, "it serves us-east-1a") {
			t.Errorf("explanation: %s", x.Message)
		}
	})
	t.Run("automatic mode: every zone, each through its own address", func(t *testing.T) {
		n := regionalNATStory(t, "  rnat: {availability_mode: regional, vpc: main, elastic_ip: eip-b}\n")
		a := probeSpec(t, n, "worker-a", "8.8.8.8:443", "tcp")
		checkClean(t, a, Connected)
		b := probeSpec(t, n, "worker-b", "8.8.8.8:443", "tcp")
		checkClean(t, b, Connected)
		if sa, sb := seenFrom(t, a), seenFrom(t, b); sa != "54.160.0.11" || sb == sa || !isPublicString(sb) {
			t.Errorf("sources seen: %s (zone a, want its Elastic IP 54.160.0.11) and %s (zone b, want another public address)", sa, sb)
		}
	})
}

func isPublicString(s string) bool {
	return s != "" && !strings.HasPrefix(s, "10.")
}
