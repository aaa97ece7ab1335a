package model

import (
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

// Rule strings as AWS's examples and users write them ("Examples of
// stateful rules for Network Firewall", Network Firewall developer guide).
func TestFirewallRulesString(t *testing.T) {
	g := FirewallStatefulGroup{Name: "egress", RulesString: `
# allow the SSM endpoints by SNI
pass tls $HOME_NET any -> $EXTERNAL_NET any (tls.sni; content:"ssm."; startswith; content:".amazonaws.com"; endswith; nocase; flow: to_server; sid:202308311;)
pass tcp $HOME_NET any <> $DB 5432 (msg:"db"; sid:2;)
drop udp [10.0.0.0/8,192.168.0.0/16] !53 -> any $WEB (sid:3;)
reject tcp any any -> 203.0.113.0/24 !22 (sid:4;)
drop tls $HOME_NET any -> $EXTERNAL_NET 443 (tls.sni; dotprefix; content:".example.com"; endswith; msg:"bad"; sid:5;)
alert http any any -> any any (http.uri; content:"/admin"; sid:6;)
pass ip any any -> any any (msg:"a \"quoted\" msg\; here"; sid:7;)
this is not a rule
pass tcp $NOPE any -> any any (sid:8;)
drop tcp any any -> @arn:aws:ec2:us-east-1:1:prefix-list/pl-1 any (sid:9;)
`, IPSets: map[string][]string{"DB": {"10.1.0.0/24"}}, PortSets: map[string][]string{"WEB": {"80", "443", "8000:8010"}}}
	rules, problems := g.Rules()
	if len(problems) != 3 {
		t.Fatalf("problems: %v", problems)
	}
	for _, p := range problems {
		if p.Group != "egress" || p.Line < 10 || !strings.Contains(p.Error(), "line ") {
			t.Errorf("problem %+v", p)
		}
	}
	home := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}
	fl := func(proto, src string, sp uint16, dst string, dp uint16, name string) FirewallFlow {
		return FirewallFlow{Protocol: proto, Source: netip.MustParseAddr(src), SourcePort: sp, Destination: netip.MustParseAddr(dst), DestPort: dp,
			App: FirewallAppProtocol(proto, dp), Name: name}
	}
	byName := func(n string) []FirewallStatefulRule {
		var out []FirewallStatefulRule
		for _, r := range rules {
			if r.Name == n {
				out = append(out, r)
			}
		}
		if len(out) == 0 {
			t.Fatalf("no rule %q in %+v", n, rules)
		}
		return out
	}
	matches := func(rs []FirewallStatefulRule, f FirewallFlow, handshake bool) (bool, bool) {
		for _, r := range rs {
			if m, u := r.MatchesFlow(f, home, handshake); m {
				return m, u
			}
		}
		return false, false
	}
	ssm := byName("sid 202308311")
	if m, u := matches(ssm, fl("tcp", "10.0.1.5", 40000, "52.1.2.3", 443, "ssm.us-east-1.amazonaws.com"), false); !m || u {
		t.Errorf("ssm SNI: %v %v", m, u)
	}
	if m, _ := matches(ssm, fl("tcp", "10.0.1.5", 40000, "52.1.2.3", 443, "ssm.us-east-1.amazonaws.com"), true); m {
		t.Error("an application-layer rule matches the handshake")
	}
	if m, _ := matches(ssm, fl("tcp", "10.0.1.5", 40000, "52.1.2.3", 443, "ecr.us-east-1.amazonaws.com"), false); m {
		t.Error("ecr matches ssm.")
	}
	if m, u := matches(ssm, fl("tcp", "10.0.1.5", 40000, "52.1.2.3", 443, ""), false); !m || !u {
		t.Errorf("no name: %v %v, want undecided", m, u)
	}
	if m, _ := matches(ssm, fl("tcp", "10.0.1.5", 40000, "10.0.3.3", 443, "ssm.x.amazonaws.com"), false); m {
		t.Error("$EXTERNAL_NET holds a $HOME_NET address")
	}
	db := byName("db")
	if m, _ := matches(db, fl("tcp", "10.1.0.9", 5432, "10.0.1.5", 33000, ""), true); !m {
		t.Error("<> does not match the reverse direction")
	}
	if m, _ := matches(db, fl("tcp", "10.0.1.5", 33000, "10.1.0.9", 5433, ""), true); m {
		t.Error("db matches port 5433")
	}
	s3 := byName("sid 3")
	if len(s3) != 3*2 {
		t.Errorf("sid 3: %d rules, want 6 (two source port ranges × three port set entries)", len(s3))
	}
	if m, _ := matches(s3, fl("udp", "192.168.1.1", 1000, "1.1.1.1", 8005, ""), true); !m {
		t.Error("sid 3 misses its port set")
	}
	if m, _ := matches(s3, fl("udp", "192.168.1.1", 53, "1.1.1.1", 80, ""), true); m {
		t.Error("sid 3 matches source port 53")
	}
	if r := byName("sid 4"); r[0].Action != "reject" {
		t.Errorf("sid 4: %+v", r[0])
	}
	bad := byName("bad")
	if m, _ := matches(bad, fl("tcp", "10.0.1.5", 40000, "52.1.2.3", 443, "example.com"), false); !m {
		t.Error("dotprefix .example.com misses example.com")
	}
	if m, _ := matches(bad, fl("tcp", "10.0.1.5", 40000, "52.1.2.3", 443, "badexample.com"), false); m {
		t.Error("dotprefix .example.com matches badexample.com")
	}
	if m, u := matches(byName("sid 6"), fl("tcp", "10.0.1.5", 40000, "52.1.2.3", 80, "x"), false); !m || !u {
		t.Errorf("a URI content: %v %v, want undecided", m, u)
	}
	if r := byName(`a "quoted" msg; here`); r[0].Action != "pass" {
		t.Errorf("escaped msg: %+v", r)
	}
}

// A domain allowlist passes the names and drops the protocol's other
// traffic from $HOME_NET; a denylist drops the names.
func TestFirewallDomainList(t *testing.T) {
	g := FirewallStatefulGroup{Name: "domains", DomainList: &FirewallDomainList{Type: "ALLOWLIST", TargetTypes: []string{"TLS_SNI", "HTTP_HOST"}, Targets: []string{".example.com", "api.github.com"}}}
	rules, problems := g.Rules()
	if len(problems) != 0 || len(rules) != 6 {
		t.Fatalf("%d rules, problems %v", len(rules), problems)
	}
	home := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}
	decide := func(name string, port uint16) string {
		f := FirewallFlow{Protocol: "tcp", Source: netip.MustParseAddr("10.0.1.1"), SourcePort: 40000, Destination: netip.MustParseAddr("54.0.0.1"), DestPort: port,
			App: FirewallAppProtocol("tcp", port), Name: name}
		act := ""
		for _, r := range rules {
			if m, _ := r.MatchesFlow(f, home, false); m && (act == "" || r.Action == "pass") {
				act = r.Action
			}
		}
		return act
	}
	for _, c := range []struct {
		name string
		port uint16
		want string
	}{{"www.example.com", 443, "pass"}, {"example.com", 80, "pass"}, {"api.github.com", 443, "pass"}, {"github.com", 443, "drop"},
		{"api.ecr.us-east-1.amazonaws.com", 443, "drop"}, {"x.example.com", 22, ""}} {
		if got := decide(c.name, c.port); got != c.want {
			t.Errorf("%s:%d: %q, want %q", c.name, c.port, got, c.want)
		}
	}
}

// Headers with variables, source ports and the ANY direction.
func TestFirewallHeaderRules(t *testing.T) {
	g := FirewallStatefulGroup{Name: "h", Headers: []FirewallHeaderRule{
		{Action: "DROP", Header: FirewallHeader{Protocol: "TCP", Source: "$HOME_NET", Destination: "ANY", DestinationPort: "[1024:65535]"}, Direction: "ANY", SourcePort: "ANY"},
		{Action: "PASS", Header: FirewallHeader{Protocol: "TLS", Source: "10.0.0.0/8", Destination: "ANY", DestinationPort: "ANY"}, Direction: "FORWARD",
			Options: [][2]string{{"sid", "1"}}},
	}}
	rules, problems := g.Rules()
	if len(problems) != 0 || len(rules) != 2 {
		t.Fatalf("%+v %v", rules, problems)
	}
	if !rules[0].Bidirectional || !rules[0].Match.SourceHome || rules[0].Match.FromPort != 1024 || rules[0].Name != "h rule 1" {
		t.Errorf("%+v", rules[0])
	}
	if rules[1].AppProtocol != "tls" || !rules[1].Established {
		t.Errorf("%+v", rules[1])
	}
}

func FuzzFirewallRulesString(f *testing.F) {
	for _, s := range []string{
		`pass tls $HOME_NET any -> $EXTERNAL_NET any (tls.sni; content:"ssm."; startswith; content:".amazonaws.com"; endswith; nocase; flow: to_server; sid:1;)`,
		`drop udp [10.0.0.0/8,!192.168.0.0/16] !53 <> any [80,$P] (msg:"x\;y"; sid:3;)`,
		`reject tcp any any -> 203.0.113.0/24 !22 (sid:4;)` + "\n" + `alert ip any any -> any any (content:!"a"; sid:5;)`,
		"pass tcp any 1: -> any :80 (sid:6;) \\\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g := FirewallStatefulGroup{Name: "f", RulesString: s, IPSets: map[string][]string{"A": {"$A"}, "B": {"10.0.0.0/8", "$HOME_NET"}},
			PortSets: map[string][]string{"P": {"443", "$P"}}}
		rules, _ := g.Rules()
		home := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}
		for _, r := range rules {
			r.MatchesFlow(FirewallFlow{Protocol: "tcp", Source: netip.MustParseAddr("10.0.0.1"), Destination: netip.MustParseAddr("1.1.1.1"), DestPort: 443, App: "tls"}, home, false)
		}
	})
}

// A rule written back as a rule string reads back the same.
func TestFirewallRuleSuricataRoundTrip(t *testing.T) {
	g := FirewallStatefulGroup{Name: "rt", RulesString: `pass tls $HOME_NET 1024: -> $EXTERNAL_NET 443 (msg:"ssm \"x\"; y"; tls.sni; content:"ssm."; startswith; dotprefix; content:".amazonaws.com"; endswith; sid:1;)
drop tcp [10.0.0.0/8,$HOME_NET] any <> !192.168.0.0/16 [1:79] (flow:to_client,not_established; sid:2;)
reject udp any any -> any 53 (sid:3;)
`}
	rules, problems := g.Rules()
	if len(problems) > 0 || len(rules) != 3 {
		t.Fatalf("%v %v", rules, problems)
	}
	var text []string
	for i, r := range rules {
		text = append(text, r.Suricata(i+1))
	}
	back, problems := FirewallStatefulGroup{Name: "rt", RulesString: strings.Join(text, "\n")}.Rules()
	if len(problems) > 0 || len(back) != 3 {
		t.Fatalf("%v %v\n%s", back, problems, strings.Join(text, "\n"))
	}
	for i := range rules {
		a, b := rules[i], back[i]
		a.Line, b.Line = 0, 0
		if a.Name == "sid 2" || a.Name == "sid 3" {
			a.Name = b.Name
		}
		if !reflectEqual(a, b) {
			t.Errorf("rule %d:\n%+v\n%+v\n%s", i+1, a, b, text[i])
		}
	}
}

func reflectEqual(a, b any) bool { return reflect.DeepEqual(a, b) }
