package reach

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// The egress allow-list story: a firewall in strict order with
// aws:drop_strict passes HTTPS and drops the rest by its default action;
// the rules of the other order and the stateless engine decide as AWS
// documents them.
func TestNetworkFirewallStory(t *testing.T) {
	const story = "examples/failures/analyzer-only/network-firewall-egress-allow-list-port.yaml"
	probe := func(t *testing.T, to string, edits ...string) *Result {
		t.Helper()
		n := compileEngine(storyEngine(t, story, edits...))
		q, err := NewQuery(n, "worker/0", to, "tcp")
		if err != nil {
			t.Fatal(err)
		}
		return Probe(n, q)
	}
	const rules = "      - {name: https-out, action: pass, protocol: tcp, ports: 443, source: 10.0.0.0/16}"
	for _, c := range []struct {
		name    string
		to      string
		edits   []string
		verdict Verdict
		rule    string // a part of the drop's explanation
	}{
		{"the default action drops 8443", "203.0.113.10:8443", nil, Timeout, "stateful default action aws:drop_strict"},
		{"HTTPS passes", "203.0.113.10:443", nil, Connected, ""},
		{"a pass rule for the partner", "203.0.113.10:8443", []string{rules, rules + "\n      - {name: partner, action: pass, protocol: tcp, ports: 8443, destination: 203.0.113.10/32}"}, Connected, ""},
		{"strict order: a drop before the pass", "203.0.113.10:443", []string{rules, "      - {name: no-partner, action: drop, destination: 203.0.113.0/24}\n" + rules}, Timeout, `stateful rule "no-partner"`},
		{"action order: pass wins over an earlier drop", "203.0.113.10:443", []string{"rule_order: strict\n    stateful_default: drop_strict", "rule_order: action",
			rules, "      - {name: no-partner, action: drop, destination: 203.0.113.0/24}\n" + rules}, Connected, ""},
		{"action order: no match passes", "203.0.113.10:8443", []string{"rule_order: strict\n    stateful_default: drop_strict", "rule_order: action"}, Connected, ""},
		{"reject", "203.0.113.10:8443", []string{rules, rules + "\n      - {name: refuse, action: reject, protocol: tcp, ports: 8443}"}, Refused, `stateful rule "refuse"`},
		{"a stateless drop by priority", "203.0.113.10:443", []string{"    rule_order: strict", "    stateless_rules:\n      - {priority: 20, action: forward, protocol: tcp, ports: 443}\n      - {priority: 10, name: block-partner, action: drop, destination: 203.0.113.0/24}\n    rule_order: strict"},
			Timeout, `stateless rule "block-partner"`},
		// A stateless pass skips the stateful engine, which then drops the
		// reply (forwarded to it by the default action): a flow it never
		// saw (STATELESS_RULE_FORWARDING_ASYMMETRICALLY), unless a
		// stateless rule passes the reply too.
		{"a stateless pass skips the stateful engine", "203.0.113.10:8443", []string{"    rule_order: strict", "    stateless_rules: [{priority: 10, action: pass, protocol: tcp, ports: 8443}]\n    rule_order: strict"}, Timeout, ""},
		{"a stateless pass both ways", "203.0.113.10:8443", []string{"    rule_order: strict", "    stateless_rules: [{priority: 10, action: pass, protocol: tcp, ports: 8443}, {priority: 11, action: pass, protocol: tcp, source: 203.0.113.10/32}]\n    rule_order: strict"}, Connected, ""},
		{"the stateless default drop", "203.0.113.10:443", []string{"    rule_order: strict", "    stateless_default: drop\n    rule_order: strict"}, Unknown, "stateless default action aws:drop"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := probe(t, c.to, c.edits...)
			if r.Verdict != c.verdict {
				t.Fatalf("%s, want %s: %s", r.Verdict, c.verdict, r.Summary)
			}
			if c.rule == "" {
				return
			}
			if c.verdict == Unknown {
				// The workers cannot pull their image: the start path's cause.
				if !strings.Contains(r.Summary, c.rule) {
					t.Errorf("summary: %s", r.Summary)
				}
				return
			}
			got := check(t, r, c.verdict, CodeNetworkFirewallDrop)[CodeNetworkFirewallDrop]
			if !strings.Contains(got.Message, c.rule) || !strings.Contains(got.Message, "egress-fw") {
				t.Errorf("explanation: %s", got.Message)
			}
		})
	}
}

// Stateless rules judge each packet, the replies too; the stateful engine
// passes the replies of the flows it let through.
func TestFirewallDecideReplies(t *testing.T) {
	https := model.FirewallMatch{Protocol: "tcp", FromPort: 443, ToPort: 443}
	client, server := netip.MustParseAddr("10.0.1.4"), netip.MustParseAddr("203.0.113.10")
	req := model.FirewallFlow{Protocol: "tcp", Source: client, SourcePort: 40000, Destination: server, DestPort: 443}
	rep := model.FirewallFlow{Protocol: "tcp", Source: server, SourcePort: 443, Destination: client, DestPort: 40000}
	stateless := model.FirewallPolicy{StatelessDefault: "aws:drop", StatelessRules: []model.FirewallStatelessRule{{Priority: 1, Match: https, Action: "aws:pass"}}}
	if d := firewallDecide(&stateless, nil, req, false); d.drop {
		t.Errorf("the request is dropped: %+v", d)
	}
	if d := firewallDecide(&stateless, nil, rep, true); !d.drop || d.engine != "stateless" || d.rule != "" {
		t.Errorf("the reply is not dropped by the stateless default: %+v", d)
	}
	stateful := model.FirewallPolicy{StatelessDefault: "aws:forward_to_sfe", StrictOrder: true, StatefulDefault: "aws:drop_strict",
		StatefulRules: []model.FirewallStatefulRule{{Name: "https", Match: https, Action: "pass"}}}
	if d := firewallDecide(&stateful, nil, req, false); d.drop {
		t.Errorf("the request is dropped: %+v", d)
	}
	if d := firewallDecide(&stateful, nil, rep, true); d.drop {
		t.Errorf("the reply of an allowed flow is dropped: %+v", d)
	}
}

// A firewall of stateless rules only, in the NAT gateway's path: the
// request to 443 passes by its rule, the reply comes back through the
// internet gateway's edge route table to the same endpoint, where no
// stateless rule matches it (its destination port is the NAT gateway's)
// and the stateless default drops it; a rule for the replies' range
// passes them.
func TestNetworkFirewallStatelessReplies(t *testing.T) {
	const story = "examples/failures/analyzer-only/network-firewall-egress-allow-list-port.yaml"
	stateless := []string{"    rule_order: strict\n    stateful_default: drop_strict\n", "    stateless_default: drop\n    stateless_rules:\n      - {priority: 10, action: pass, protocol: tcp, ports: 443}\n",
		"clusters:", "instances:\n  probe: {subnet: private, instance_type: t3.micro}\n\nclusters:"}
	probe := func(t *testing.T, edits ...string) *Result {
		t.Helper()
		n := compileEngine(storyEngine(t, story, edits...))
		q, err := NewQuery(n, "probe", "203.0.113.10:443", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		return Probe(n, q)
	}
	r := probe(t, stateless...)
	got := check(t, r, Timeout, CodeNetworkFirewallDrop)[CodeNetworkFirewallDrop]
	if got.Path != "return" || !strings.Contains(got.Message, "replies too") {
		t.Errorf("the drop: %s %s", got.Path, got.Message)
	}
	r = probe(t, append(slices.Clone(stateless), "      - {priority: 10, action: pass, protocol: tcp, ports: 443}\n",
		"      - {priority: 10, action: pass, protocol: tcp, ports: 443}\n      - {priority: 20, action: pass, protocol: tcp, destination: 10.0.1.0/24}\n")...)
	check(t, r, Connected)
	// The stateful engine passes the replies of the flows it allowed.
	r = probe(t, "clusters:", "instances:\n  probe: {subnet: private, instance_type: t3.micro}\n\nclusters:")
	check(t, r, Connected)
}

// Rule strings at the firewall: a drop tcp rule drops the handshake
// before a pass tls rule for the name can match (the default action
// order); flow:established on the drop lets the name decide; a probe by
// address cannot know the name.
func TestNetworkFirewallRuleStrings(t *testing.T) {
	const story = "examples/failures/analyzer-only/network-firewall-egress-allow-list-port.yaml"
	const old = "    rule_order: strict\n    stateful_default: drop_strict\n    stateful_rules:\n      - {name: https-out, action: pass, protocol: tcp, ports: 443, source: 10.0.0.0/16}"
	rules := func(order, text string) []string {
		return []string{old, "    rule_order: " + order + "\n    rules: |\n" + text}
	}
	probe := func(t *testing.T, to string, edits []string) *Result {
		t.Helper()
		n := compileEngine(storyEngine(t, story, edits...))
		q, err := NewQuery(n, "worker/0", to, "tcp")
		if err != nil {
			t.Fatal(err)
		}
		return Probe(n, q)
	}
	const passSNI = `      pass tls $HOME_NET any -> $EXTERNAL_NET 443 (tls.sni; dotprefix; content:".amazonaws.com"; endswith; msg:"aws"; sid:1;)` + "\n" +
		`      pass tls $HOME_NET any -> $EXTERNAL_NET 443 (tls.sni; content:"public.ecr.aws"; startswith; endswith; sid:4;)` + "\n"
	for _, c := range []struct {
		name, to string
		edits    []string
		verdict  Verdict
		code     string
		says     string
	}{
		{"drop tcp drops the handshake", "sts.us-east-1.amazonaws.com:443", rules("action", passSNI+"      drop tcp $HOME_NET any -> $EXTERNAL_NET any (msg:\"rest\"; sid:2;)\n"),
			Unknown, CodeImagePullFailed, "drops the TCP handshake"}, // the image pull meets it first
		{"established drop lets the name pass", "sts.us-east-1.amazonaws.com:443", rules("action", passSNI+"      drop tcp $HOME_NET any -> $EXTERNAL_NET any (flow:established; msg:\"rest\"; sid:2;)\n"),
			Connected, "", ""},
		{"a probe by address depends on the SNI", "203.0.113.10:443", rules("action", passSNI+"      drop tcp $HOME_NET any -> $EXTERNAL_NET any (flow:established; msg:\"rest\"; sid:2;)\n"),
			Unknown, CodeNetworkFirewallUndecided, "depending on the TLS SNI"},
		{"strict drop_strict drops the handshake", "sts.us-east-1.amazonaws.com:443",
			append(rules("strict", passSNI), "    rules: |", "    stateful_default: drop_strict\n    rules: |"), Unknown, CodeImagePullFailed, "aws:drop_established"},
		{"strict drop_established lets it through", "sts.us-east-1.amazonaws.com:443",
			append(rules("strict", passSNI), "    rules: |", "    stateful_default: drop_established\n    rules: |"), Connected, "", ""},
		{"reject is refused", "203.0.113.10:8443", rules("action", "      reject tcp any any <> 203.0.113.0/24 8443 (msg:\"no\"; sid:3;)\n"), Refused, CodeNetworkFirewallDrop, "TCP reset"},
		{"source ports", "203.0.113.10:8443", rules("action", "      drop tcp any 1024:65535 -> any 8443 (msg:\"hi\"; sid:3;)\n"), Timeout, CodeNetworkFirewallDrop, `"hi"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := probe(t, c.to, c.edits)
			if r.Verdict != c.verdict {
				t.Fatalf("%s, want %s: %s", r.Verdict, c.verdict, r.Summary)
			}
			if c.code == "" {
				return
			}
			got := check(t, r, c.verdict, c.code)[c.code]
			if !strings.Contains(got.Message, c.says) {
				t.Errorf("explanation: %s", got.Message)
			}
		})
	}
}
