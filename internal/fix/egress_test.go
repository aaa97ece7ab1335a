package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// An awsvpc task on EC2 in a public subnet calls the internet: its ENI has
// no public IP, the internet gateway drops the packet. The fix moves the
// service to the private subnets of the same zones; when they have no NAT
// gateway route, the fix adds one, and either way it verifies from the
// service's new task.
func TestAwsvpcEC2PublicEgress(t *testing.T) {
	const path = "../../examples/failures/awsvpc-ec2-public-egress.yaml"
	for _, c := range []struct {
		name string
		edit func(string) string
		want string
	}{
		{"nat", nil, "private subnets private-a, private-c, whose default route is a NAT gateway"},
		{"no-nat", func(s string) string {
			return strings.Replace(s, "      - {destination: 0.0.0.0/0, target: nat-a}\n", "", 1)
		}, "(a NAT gateway in public-a"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := load(t, path, c.edit)
			fixes, res, err := fix.Find(e, "web/0", "198.51.100.7:443", "tcp", fix.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != reach.Timeout || !res.HasCode(reach.CodeIGWPublicIPEgress) {
				t.Fatalf("%s: %s", res.Verdict, res.Summary)
			}
			for _, f := range fixes {
				if f.Kind == "subnets" && strings.Contains(f.Title, c.want) && f.Verification.Verdict == reach.Connected &&
					strings.Contains(f.Commands[len(f.Commands)-1], "assignPublicIp=DISABLED") {
					return
				}
			}
			t.Fatalf("no verified subnets fix with %q: %+v", c.want, fixes)
		})
	}
}
