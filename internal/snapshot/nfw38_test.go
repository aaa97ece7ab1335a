package snapshot_test

import (
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// Network Firewall outputs as the aws CLI prints them (testdata/nfw38: a
// firewall in two zones, a STRICT_ORDER policy with a HOME_NET policy
// variable and StreamExceptionPolicy, a stateless group, a domain
// allowlist) are judged as the analyzer should: one endpoint per zone of
// the SyncStates, the strict order and its drop_established default, the
// stateless rules with their source ports (a rule of TCP flags left out,
// with a warning), and the allowlist passing TLS to an allowed name from
// the policy's HOME_NET while another name falls to the default.
func TestNetworkFirewallAsTheCLIPrintsIt(t *testing.T) {
	res := load(t, "testdata/nfw38")
	st, _ := res.Engine.Snapshot()
	fw := st.NetworkFirewalls["arn:aws:network-firewall:us-east-1:123456789012:firewall/egress"]
	if fw == nil {
		t.Fatalf("no firewall read: %v", st.NetworkFirewalls)
	}
	if want := map[string]model.VpcEndpointID{"us-east-1a": "vpce-0aaa00000000000a1", "us-east-1b": "vpce-0bbb00000000000b2"}; !reflect.DeepEqual(fw.Endpoints, want) {
		t.Errorf("endpoints %v, want %v", fw.Endpoints, want)
	}
	if fw.VpcID != "vpc-0a1b2c3d4e5f60001" || fw.Tags["Name"] != "egress" {
		t.Errorf("VPC %s, tags %v", fw.VpcID, fw.Tags)
	}
	p := fw.Policy
	home := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16"), netip.MustParsePrefix("100.64.0.0/16")}
	if !p.StrictOrder || p.StatefulDefault != "aws:drop_established" || p.StatelessDefault != "aws:forward_to_sfe" || !reflect.DeepEqual(p.HomeNet, home) {
		t.Errorf("policy: strict %v, stateful default %q, stateless default %q, HOME_NET %v", p.StrictOrder, p.StatefulDefault, p.StatelessDefault, p.HomeNet)
	}

	// The stateless group: SSH out dropped, NTP answers (source port
	// 123) passed; the SYN-only rule is left out.
	if len(p.StatelessRules) != 2 {
		t.Fatalf("%d stateless rules, want 2: %+v", len(p.StatelessRules), p.StatelessRules)
	}
	stateless := func(proto string, src, dst string, sport, dport uint16) string {
		fl := model.FirewallFlow{Protocol: proto, Source: netip.MustParseAddr(src), Destination: netip.MustParseAddr(dst), SourcePort: sport, DestPort: dport}
		for _, r := range p.StatelessRules {
			if r.Match.MatchesFlow(fl, p.HomeNet) {
				return r.Action
			}
		}
		return p.StatelessDefault
	}
	for _, tc := range []struct {
		proto, src, dst string
		sport, dport    uint16
		want            string
	}{
		{"tcp", "10.0.1.5", "203.0.113.9", 40000, 22, "aws:drop"},
		{"tcp", "10.0.1.5", "203.0.113.9", 40000, 443, "aws:forward_to_sfe"},
		{"udp", "203.0.113.9", "10.0.1.5", 123, 40000, "aws:pass"},
		{"udp", "203.0.113.9", "10.0.1.5", 53, 40000, "aws:forward_to_sfe"},
	} {
		if got := stateless(tc.proto, tc.src, tc.dst, tc.sport, tc.dport); got != tc.want {
			t.Errorf("stateless %s %s:%d -> %s:%d: %s, want %s", tc.proto, tc.src, tc.sport, tc.dst, tc.dport, got, tc.want)
		}
	}

	// The allowlist, in strict order: the first rule that matches decides.
	stateful := func(src, name string) string {
		fl := model.FirewallFlow{Protocol: "tcp", Source: netip.MustParseAddr(src), Destination: netip.MustParseAddr("52.94.1.10"), SourcePort: 40000, DestPort: 443, App: "tls", Name: name}
		for _, r := range p.StatefulRules {
			if m, _ := r.MatchesFlow(fl, p.HomeNet, false); m {
				return r.Action
			}
		}
		return p.StatefulDefault
	}
	for _, tc := range []struct{ src, name, want string }{
		{"10.0.1.5", "api.ecr.us-east-1.amazonaws.com", "pass"},
		// The group's own HOME_NET (10.0.0.0/16, as the console writes
		// a domain list's) is the one its rules use, not the policy's
		// [probable]: 100.64.3.7 is outside it and falls to the default.
		{"100.64.3.7", "api.ecr.us-east-1.amazonaws.com", "drop"},
		{"10.0.1.5", "registry-1.docker.io", "pass"},
		{"10.0.1.5", "example.com", "drop"},
	} {
		got := stateful(tc.src, tc.name)
		if got != tc.want && !(tc.want == "drop" && got == "aws:drop_established") {
			t.Errorf("TLS from %s to %s: %s, want %s", tc.src, tc.name, got, tc.want)
		}
	}

	// Warnings about the firewall files: the rule of TCP flags, and the
	// endpoints the snapshot's describe-vpc-endpoints (absent) does not
	// list; nothing else.
	flags := false
	for _, w := range res.Warnings {
		if !strings.Contains(w.File, "network-firewall") {
			continue
		}
		switch {
		case w.Code == snapshot.CodeNotModelled && strings.Contains(w.Message, "TCP flags"):
			flags = true
		case w.Code == snapshot.CodeDangling && strings.Contains(w.Message, "describe-vpc-endpoints"):
		default:
			t.Errorf("warning: %s", w)
		}
	}
	if !flags {
		t.Error("no warning of the stateless rule of TCP flags")
	}
}
