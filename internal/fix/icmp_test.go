package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// TestPingFixes: a ping dropped by a security group is fixed by a rule
// allowing the echo request (type 8) from the source's group, and one
// whose echo reply a network ACL denies by an egress entry for type 0;
// each is verified by pinging again on a copy.
func TestPingFixes(t *testing.T) {
	for _, c := range []struct {
		from, to, kind, title, cmd string
	}{
		{"web", "db", "security-group", "Allow icmp echo request (type 8) from security group ping-sg on security group tcp-sg",
			"--ip-permissions 'IpProtocol=icmp,FromPort=8,ToPort=-1,UserIdGroupPairs=[{GroupId="},
		{"web", "quiet", "security-group", "Allow icmp echo request (type 8) from security group ping-sg on security group unreach-sg", "IpProtocol=icmp,FromPort=8"},
		{"internet", "locked", "network-acl", "Add egress rule 110 to network ACL locked: allow icmp echo reply (type 0) to 0.0.0.0/0",
			"--egress --rule-number 110 --protocol icmp --icmp-type-code Type=0,Code=-1"},
	} {
		e := load(t, "testdata/ping.yaml", nil)
		fixes, res, err := fix.Find(e, c.from, c.to, "icmp", fix.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Verdict != reach.Timeout {
			t.Fatalf("%s → %s: %s: %s", c.from, c.to, res.Verdict, res.Summary)
		}
		if len(fixes) == 0 {
			t.Fatalf("%s → %s: no verified fix", c.from, c.to)
		}
		f := fixes[0]
		if f.Kind != c.kind || !strings.HasPrefix(f.Title, c.title) || !strings.Contains(f.Commands[0], c.cmd) || f.Verification.Verdict != reach.Connected {
			t.Errorf("%s → %s: first fix = %+v", c.from, c.to, f)
		}
	}
}

// TestPingFixIPv6: a ping over IPv6 is an ICMPv6 echo request (type 128);
// its fix is an icmpv6 rule (protocol 58 for the aws CLI) from ::/0,
// verified over IPv6.
func TestPingFixIPv6(t *testing.T) {
	e := load(t, "../../examples/ipv6/dual-stack.yaml", nil)
	fixes, res, err := fix.Find(e, "internet", "web", "icmp", fix.Options{Request: func(q *reach.Query) { q.IPv6 = true }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.Timeout || res.Protocol != "icmpv6" || !res.HasCode(reach.CodeSGRulesMismatch) {
		t.Fatalf("%s %s: %s", res.Protocol, res.Verdict, res.Summary)
	}
	if len(fixes) == 0 {
		t.Fatal("no verified fix")
	}
	f := fixes[0]
	if !strings.HasPrefix(f.Title, "Allow icmpv6 echo request (type 128) from anywhere (::/0)") ||
		!strings.Contains(f.Commands[0], "'IpProtocol=58,FromPort=128,ToPort=-1,Ipv6Ranges=[{CidrIpv6=::/0}]'") ||
		!strings.Contains(f.Scenario, "{protocol: icmpv6, icmp_type: 128, cidr: \"::/0\"}") || f.Verification.Verdict != reach.Connected {
		t.Errorf("first fix = %+v", f)
	}
}
