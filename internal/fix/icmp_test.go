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
