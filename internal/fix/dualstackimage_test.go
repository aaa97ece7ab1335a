package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// IPv6-only tasks whose start path goes over IPv6 (the image by ECR's
// dual-stack name) in a subnet without a ::/0 route: the verified fix
// routes ::/0 to the VPC's egress-only internet gateway (not 0.0.0.0/0 to
// a NAT gateway, which carries no IPv6). By ECR's IPv4-only name with a
// NAT gateway in the VPC, both the dual-stack image and NAT64 verify.
func TestIPv6OnlyStartFixes(t *testing.T) {
	const story = "../../examples/failures/analyzer-only/ipv6-only-ecr-dualstack-pull.yaml"
	for _, c := range []struct {
		name   string
		edit   func(string) string
		titles []string
	}{
		{"no ::/0 route", func(s string) string {
			return strings.Replace(s, `app: {vpc: main, routes: [{destination: "::/0", target: eigw}]}`, `app: {vpc: main, routes: []}`, 1)
		}, []string{"Route ::/0 to egress-only internet gateway eigw in route table app"}},
		{"IPv4-only image name", func(s string) string {
			s = strings.Replace(s, "123456789012.dkr-ecr.us-east-1.on.aws/api:7", "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:7", 1)
			s = strings.Replace(s, "route_tables:\n", "  public-a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, route_table: public}\nroute_tables:\n  public: {vpc: main, routes: [{destination: 0.0.0.0/0, target: igw}]}\n", 1)
			return strings.Replace(s, "security_groups:\n", "elastic_ips:\n  nat-eip: {}\nnat_gateways:\n  nat: {subnet: public-a, elastic_ip: nat-eip}\nsecurity_groups:\n", 1)
		}, []string{"Pull api by ECR's dual-stack registry name", "Turn DNS64 on in the IPv6-only subnet app-a and route 64:ff9b::/96 to the NAT gateway nat"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := load(t, story, c.edit)
			fixes, res, err := fix.Find(e, "api", "[2001:db8::7]:443", "tcp", fix.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != reach.Unknown || !res.HasCode(reach.CodeImagePullFailed) {
				t.Fatalf("%s: %s", res.Verdict, res.Summary)
			}
			var titles []string
			for _, f := range fixes {
				titles = append(titles, f.Title+" → "+string(f.Verification.Verdict))
				if strings.Contains(f.Title, "0.0.0.0/0") && f.Verification.Verdict == reach.Connected {
					t.Errorf("an IPv4 way out is verified for an IPv6-only task: %s", f.Title)
				}
			}
			for _, want := range c.titles {
				found := false
				for _, f := range fixes {
					found = found || strings.HasPrefix(f.Title, want) && f.Verification.Verdict == reach.Connected
				}
				if !found {
					t.Errorf("no verified %q; fixes:\n%s", want, strings.Join(titles, "\n"))
				}
			}
		})
	}
}
