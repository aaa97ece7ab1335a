package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// An instance of an IPv6-only subnet calls an IPv4-only host: the verified
// fix turns DNS64 on and routes 64:ff9b::/96 to the VPC's NAT gateway; with
// DNS64 already on, the route alone.
func TestNAT64Fix(t *testing.T) {
	const story = "../../examples/failures/analyzer-only/ipv6-only-subnet-no-dns64.yaml"
	worker := func(s string) string {
		return s[:strings.Index(s, "\nexpect:")] + "\ninstances:\n  worker: {subnet: app-a, instance_type: t3.micro, security_groups: [app-sg]}\n"
	}
	for _, c := range []struct {
		name  string
		edit  func(string) string
		title string
	}{
		{"DNS64 off", worker, "Turn DNS64 on in the IPv6-only subnet app-a and route 64:ff9b::/96 to the NAT gateway nat"},
		{"DNS64 on", func(s string) string {
			return strings.Replace(worker(s), "ipv6_native: true, route_table: app}", "ipv6_native: true, dns64: true, route_table: app}", 1)
		}, "Route 64:ff9b::/96 to the NAT gateway nat from route table app (NAT64)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := load(t, story, c.edit)
			fixes, res, err := fix.Find(e, "worker", "example.com:443", "tcp", fix.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != reach.NoRoute || !res.HasCode(reach.CodeIPv6OnlyNoNAT64) {
				t.Fatalf("%s: %s", res.Verdict, res.Summary)
			}
			found := false
			for _, f := range fixes {
				if strings.HasPrefix(f.Title, c.title) {
					found = f.Verification.Verdict == reach.Connected
				}
			}
			if !found {
				var titles []string
				for _, f := range fixes {
					titles = append(titles, f.Title+" → "+string(f.Verification.Verdict))
				}
				t.Errorf("no verified %q; fixes:\n%s", c.title, strings.Join(titles, "\n"))
			}
		})
	}
}
