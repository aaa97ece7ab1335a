package cli

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/reach"
)

// TestPrintPathHopWithoutComponent: a hop the analyzer left without a
// component (its bug, found once on a chain of NAT gateways) is printed as
// such, with the hops around it, instead of a nil-pointer panic that loses
// the whole answer.
func TestPrintPathHopWithoutComponent(t *testing.T) {
	var out bytes.Buffer
	hops := []reach.Hop{
		{Seq: 1, Action: "sent", Component: &reach.Component{Type: "task", ID: "web/0"}},
		{Seq: 2, Action: "forwarded"},
		{Seq: 3, Action: "received", Component: &reach.Component{Type: "instance", ID: "i-0abc"}},
	}
	printPath(IO{Out: &out, Err: &out}, &out, "return path", hops)
	got := out.String()
	for _, want := range []string{"task web/0", "(a hop the analyzer did not name)", "instance i-0abc"} {
		if !strings.Contains(got, want) {
			t.Errorf("printPath lacks %q:\n%s", want, got)
		}
	}
}

// TestPrintPathReadsAsTheConsole: a path names its rules as the EC2
// console does (protocol -1 is "all traffic", a one-port range is the
// port), says what an internet gateway translated, keeps every component
// in one column, and names the container that accepted.
func TestPrintPathReadsAsTheConsole(t *testing.T) {
	before := reach.Packet{Protocol: "tcp", Source: netip.MustParseAddr("198.51.100.7"), SourcePort: 49152,
		Destination: netip.MustParseAddr("203.0.113.2"), DestinationPort: 3000}
	after := before
	after.Destination = netip.MustParseAddr("10.0.1.4")
	hops := []reach.Hop{
		{Seq: 1, Action: reach.ActionSent, Component: &reach.Component{Type: "internet", ID: "internet"}, Packet: before},
		{Seq: 2, Action: reach.ActionTranslated, Component: &reach.Component{Type: "internet-gateway", ID: "igw-1", Name: "igw"}, Packet: after},
		{Seq: 3, Action: reach.ActionAllowed, Direction: "ingress", Component: &reach.Component{Type: "network-acl", ID: "acl-1"}, Packet: after,
			ACLRule: &reach.ACLRule{NetworkACLID: "acl-1", RuleNumber: 100, Action: "allow", Protocol: "-1", CIDR: netip.MustParsePrefix("0.0.0.0/0")}},
		{Seq: 4, Action: reach.ActionAllowed, Direction: "ingress", Component: &reach.Component{Type: "network-interface", ID: "eni-1"}, Packet: after,
			SecurityGroupRule: &reach.SecurityGroupRule{SecurityGroupID: "sg-1", Direction: "ingress", Protocol: "tcp",
				PortRange: &reach.PortRange{From: 3000, To: 3000}, CIDR: netip.MustParsePrefix("0.0.0.0/0")}},
		{Seq: 5, Action: reach.ActionAccepted, Component: &reach.Component{Type: "listener", ID: "HTTP:80", Name: "web-alb HTTP:80"}, Packet: after,
			Socket: &reach.Socket{Kind: "container", Protocol: "tcp", Port: 3000, Task: "web/0", Container: "web"}},
	}
	var out bytes.Buffer
	printPath(IO{Out: &out, Err: &out}, &out, "forward path", hops)
	got := out.String()
	for _, want := range []string{
		"inbound rule 100 allow all traffic 0.0.0.0/0",
		"ingress rule tcp 3000 0.0.0.0/0",
		"destination 203.0.113.2 → 10.0.1.4",
		"   1 sent            internet",
		"   3 allowed ingress network-acl",
		"listener web-alb HTTP:80\n",
		"by container web of task web/0 listening on 0.0.0.0:3000/tcp",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("printPath lacks %q:\n%s", want, got)
		}
	}
	for _, bad := range []string{" -1 ", "3000-3000", "(HTTP:80)"} {
		if strings.Contains(got, bad) {
			t.Errorf("printPath says %q:\n%s", bad, got)
		}
	}
}
