package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// IPv6 fixes: each verified by probing again over IPv6.
func TestIPv6Fixes(t *testing.T) {
	const path = "../../examples/ipv6/dual-stack.yaml"
	v6 := fix.Options{Request: func(q *reach.Query) { q.IPv6 = true }}
	find := func(edit func(string) string, from, to string) []fix.Fix {
		t.Helper()
		fixes, res, err := fix.Find(load(t, path, edit), from, to, "tcp", v6)
		if err != nil {
			t.Fatal(err)
		}
		if res.Reachable {
			t.Fatalf("%s → %s is reachable already: %s", from, to, res.Summary)
		}
		return fixes
	}
	// The egress-only gateway keeps the internet out: route ::/0 to the
	// internet gateway instead.
	fixes := find(nil, "internet", "worker/0")
	if len(fixes) == 0 || fixes[0].Kind != "route" || !strings.Contains(fixes[0].Commands[0], "replace-route") ||
		!strings.Contains(fixes[0].Commands[0], "--destination-ipv6-cidr-block ::/0 --gateway-id igw-") || fixes[0].Verification.Verdict != reach.Connected {
		t.Errorf("egress-only fixes: %+v", fixes)
	}
	// A task group without the ::/0 rule: an IPv6 rule, with the CLI's
	// --ip-permissions form (its --cidr takes IPv4 only).
	fixes = find(func(s string) string {
		return strings.Replace(s, "      - {protocol: tcp, ports: 3000, cidr: \"::/0\"}\n", "", 1)
	}, "internet", "web/0")
	found := false
	for _, f := range fixes {
		if f.Kind == "security-group" && strings.Contains(f.Commands[0], "Ipv6Ranges=[{CidrIpv6=::/0}]") && f.Verification.Verdict == reach.Connected {
			found = true
		}
	}
	if !found {
		for _, f := range fixes {
			t.Logf("%s: %s %v", f.Kind, f.Title, f.Commands)
		}
		t.Error("no verified ::/0 security group fix")
	}
	// An instance with no IPv6 address in a dual-stack subnet: assign one.
	fixes = find(func(s string) string {
		s = strings.Replace(s, "legacy-a: {vpc: main, cidr: 10.0.21.0/24,", "legacy-a: {vpc: main, cidr: 10.0.21.0/24, ipv6: 21,", 1)
		return strings.Replace(s, "      - {protocol: tcp, ports: 22, cidr: 0.0.0.0/0}\n", "      - {protocol: tcp, ports: 22, cidr: 0.0.0.0/0}\n      - {protocol: tcp, ports: 22, cidr: \"::/0\"}\n", 1)
	}, "internet", "legacy:22")
	if len(fixes) == 0 || fixes[0].Kind != "ipv6-address" || !strings.Contains(fixes[0].Commands[0], "assign-ipv6-addresses") {
		t.Errorf("no-address fixes: %+v", fixes)
	}
}
