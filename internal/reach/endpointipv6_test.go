package reach

import (
	"strings"
	"testing"
)

// withDualStackEndpoint edits the IPv6-only task's story: an ecr.api
// interface endpoint with private DNS in a dual-stack subnet, of the given
// YAML options, behind a group whose ingress is ingress.
func withDualStackEndpoint(opts, ingress string) func(string) string {
	return func(s string) string {
		s = strings.Replace(s, "ipv6: true, internet_gateway: igw}", "ipv6: true, dns_hostnames: true, internet_gateway: igw}", 1)
		s = strings.Replace(s, "route_tables:\n", "  ep-a: {vpc: main, cidr: 10.0.1.0/24, ipv6: 1, az: us-east-1a, route_table: app}\nroute_tables:\n", 1)
		s = strings.Replace(s, "  api-sg: {vpc: main}\n", "  api-sg: {vpc: main}\n  ep-sg: {vpc: main, ingress: [{protocol: tcp, ports: 443, cidr: \""+ingress+"\"}]}\n", 1)
		return strings.Replace(s, "clusters:\n", "vpc_endpoints:\n  ecr-api: {vpc: main, service: ecr.api, subnets: [ep-a], security_groups: [ep-sg]"+opts+"}\nclusters:\n", 1)
	}
}

// A dualstack endpoint answers AAAA records: the IPv6-only task reaches
// ECR's API at the endpoint's IPv6 address, through its group's IPv6 rule,
// and starts.
func TestIPv6OnlyDualStackEndpoint(t *testing.T) {
	if f := ipv6OnlyStart(t, withDualStackEndpoint(", ip_address_type: dualstack", "::/0")); f != nil {
		t.Fatalf("start failure %+v", f)
	}
}

// The endpoint's group allows the VPC's IPv4 block only: the IPv6
// connection is refused at the endpoint's group.
func TestIPv6OnlyDualStackEndpointGroupIPv4Only(t *testing.T) {
	f := ipv6OnlyStart(t, withDualStackEndpoint(", ip_address_type: dualstack", "10.0.0.0/16"))
	if f == nil || f.Service != "ecr.api" || f.Blocked == nil || f.Blocked.Code != CodeSGRulesMismatch {
		t.Fatalf("start failure %+v", f)
	}
}

// DnsRecordIpType ipv4 on a dualstack endpoint: its private DNS answers
// A records only, and the IPv6-only task has no address to connect to;
// the reason names the record type. service-defined answers the private
// name with A records only too.
func TestIPv6OnlyDualStackEndpointIPv4Records(t *testing.T) {
	for _, typ := range []string{"ipv4", "service-defined"} {
		f := ipv6OnlyStart(t, withDualStackEndpoint(", ip_address_type: dualstack, dns_record_ip_type: "+typ, "::/0"))
		if f == nil || f.Service != "ecr.api" || f.Blocked == nil || f.Blocked.Code != CodeNoIPv6Address ||
			!strings.Contains(f.Why, "has the IP address type dualstack but the DNS record IP type "+typ+": its private DNS answers the service's name with A records only") {
			t.Fatalf("%s: start failure %+v", typ, f)
		}
		if h := StartFixHint(f); !strings.HasPrefix(h, "set the interface endpoint's DNS record IP type to dualstack") {
			t.Errorf("%s: hint %q", typ, h)
		}
	}
}

// A probe by the service's name from the IPv6-only task: the dualstack
// endpoint's private DNS answers its IPv6 address, reached over IPv6;
// with DnsRecordIpType ipv4 the name has no AAAA record, and the probe
// fails at once with ECS_NO_IPV6_ADDRESS naming the record type.
func TestIPv6OnlyProbeByNameThroughEndpoint(t *testing.T) {
	story := readRepoFile(t, "examples/failures/analyzer-only/ipv6-only-ecr-dualstack-pull.yaml")
	n := Compile(stateOf(buildFromText(t, withDualStackEndpoint(", ip_address_type: dualstack", "::/0")(story))))
	r := probeSpec(t, n, "api/0", "api.ecr.us-east-1.amazonaws.com:443", "tcp")
	checkClean(t, r, Connected)
	if !strings.Contains(strings.Join(r.Notes, "\n"), "the IPv6 address of the interface endpoint") {
		t.Errorf("notes %q", r.Notes)
	}
	// An STS endpoint beside it (the start path does not call STS, so
	// the task runs) with A records only.
	text := withDualStackEndpoint(", ip_address_type: dualstack", "::/0")(story)
	text = strings.Replace(text, "vpc_endpoints:\n", "vpc_endpoints:\n  sts: {vpc: main, service: sts, subnets: [ep-a], security_groups: [ep-sg], ip_address_type: dualstack, dns_record_ip_type: ipv4}\n", 1)
	n = Compile(stateOf(buildFromText(t, text)))
	r = probeSpec(t, n, "api/0", "sts.us-east-1.amazonaws.com:443", "tcp")
	check(t, r, NoRoute)
	if b := r.Blocking(); len(b) == 0 || b[0].Code != CodeNoIPv6Address || !strings.Contains(b[0].Message, "the DNS record IP type ipv4") {
		t.Fatalf("blocking %+v", b)
	}
}
