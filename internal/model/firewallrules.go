package model

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Stateful rule groups as AWS Network Firewall users write them ("Working
// with stateful rule groups in AWS Network Firewall", Network Firewall
// developer guide): Suricata compatible rule strings (RulesString),
// domain lists (RulesSourceList), and 5-tuple headers (StatefulRules),
// with the group's rule variables (IP sets and port sets). One parser
// reads them for every reader (scenario files, CloudFormation, Terraform,
// snapshots): a rule becomes a FirewallStatefulRule; a rule ecsnet cannot
// read is a FirewallRuleProblem naming the group and the line, and left
// out.
//
// A rule string's line is "action protocol source sport direction
// destination dport (options)". The 5-tuple decides; of the options,
// flow (established, to_server, to_client, stateless), msg, sid and the
// content matches of the TLS SNI (tls.sni) and HTTP Host (http.host)
// buffers are read; a content match of another buffer (payload, URI,
// JA3 …) or a pcre is one ecsnet cannot see: the analyzer reports a
// verdict that hangs on it as depending on the traffic's content.
// $HOME_NET is the policy's HOME_NET, else the group's, else the CIDR
// blocks of the firewall's VPC (PolicyVariables: "If you don't override
// HOME_NET with your own CIDRs, Network Firewall by default uses the CIDR
// of your inspection VPC"); $EXTERNAL_NET is !$HOME_NET unless the group
// defines it (Suricata's default configuration [probable]).

// FirewallStatefulGroup is one stateful rule group as written.
type FirewallStatefulGroup struct {
	Name string
	// RulesString holds Suricata compatible rules, one a line.
	RulesString string
	// DomainList is a domain list rule group's list (RulesSourceList).
	DomainList *FirewallDomainList
	// Headers are 5-tuple rules (StatefulRules).
	Headers []FirewallHeaderRule
	// IPSets and PortSets are the group's rule variables, by name
	// (without the $): CIDR blocks or addresses; ports and ranges.
	IPSets   map[string][]string
	PortSets map[string][]string
}

// FirewallDomainList is a domain list: GeneratedRulesType ALLOWLIST,
// DENYLIST, REJECTLIST or ALERTLIST; TargetTypes TLS_SNI and HTTP_HOST;
// Targets the names (".example.com": the domain and its subdomains).
type FirewallDomainList struct {
	Type        string
	TargetTypes []string
	Targets     []string
}

// FirewallHeaderRule is a 5-tuple stateful rule: its action and header.
type FirewallHeaderRule struct {
	Action string
	Header FirewallHeader
	// Direction is FORWARD (default) or ANY; SourcePort is written as
	// the header's DestinationPort.
	Direction, SourcePort string
	// Options are its rule options (keyword, settings), as Suricata
	// writes them: {"sid", "1"}, {"msg", `"x"`}.
	Options [][2]string
}

// FirewallRuleProblem is a rule ecsnet could not read, left out.
type FirewallRuleProblem struct {
	Group  string
	Line   int // 1-based, in the rule string; the rule's number for headers
	Rule   string
	Reason string
}

func (p FirewallRuleProblem) Error() string {
	return "rule group " + strconv.Quote(p.Group) + " line " + strconv.Itoa(p.Line) + ": " + p.Reason + ": " + p.Rule
}

// FirewallContent is a content match of a rule: a buffer ("tls.sni",
// "http.host", or another, which ecsnet cannot see) that must (or, when
// Negated, must not) hold Value: anywhere, at its start, at its end, or
// both; DotPrefix puts a "." before the buffer first.
type FirewallContent struct {
	Buffer               string
	Value                string
	StartsWith, EndsWith bool
	DotPrefix            bool
	Negated              bool
}

// NameBuffer reports whether c matches a name the analyzer can know: the
// TLS SNI or the HTTP Host.
func (c FirewallContent) NameBuffer() bool {
	return c.Buffer == "tls.sni" || c.Buffer == "http.host"
}

// MatchesName reports whether c holds for the name (case-insensitive).
func (c FirewallContent) MatchesName(name string) bool {
	buf := strings.ToLower(name)
	if c.DotPrefix {
		buf = "." + buf
	}
	v := strings.ToLower(c.Value)
	var ok bool
	switch {
	case c.StartsWith && c.EndsWith:
		ok = buf == v
	case c.StartsWith:
		ok = strings.HasPrefix(buf, v)
	case c.EndsWith:
		ok = strings.HasSuffix(buf, v)
	default:
		ok = strings.Contains(buf, v)
	}
	return ok != c.Negated
}

// firewallApps are the application protocols a rule may name, with the
// transport they run on.
var firewallApps = map[string]string{
	"tls": "tcp", "http": "tcp", "http2": "tcp", "ssh": "tcp", "ftp": "tcp", "smtp": "tcp", "imap": "tcp", "smb": "tcp",
	"dns": "", "ntp": "udp", "dhcp": "udp", "krb5": "", "quic": "udp", "tftp": "udp", "snmp": "udp",
}

// FirewallAppProtocol is the application protocol ecsnet takes a flow of
// protocol proto to port to speak: by the port's convention [choice: the
// firewall detects it from the traffic, which ecsnet does not see]:
// tcp/443 TLS, tcp/80 and 8080 HTTP, tcp/22 SSH, 21 FTP, 25 and 587
// SMTP, 53 DNS, udp/123 NTP; "" for any other.
func FirewallAppProtocol(proto string, port uint16) string {
	switch proto + "/" + strconv.Itoa(int(port)) {
	case "tcp/443", "tcp/8443":
		return "tls"
	case "tcp/80", "tcp/8080":
		return "http"
	case "tcp/22":
		return "ssh"
	case "tcp/21":
		return "ftp"
	case "tcp/25", "tcp/587":
		return "smtp"
	case "tcp/53", "udp/53":
		return "dns"
	case "udp/123":
		return "ntp"
	}
	return ""
}

// Rules reads the group's rules in their order: the rule string's, then
// the domain list's generated rules, then the headers'.
func (g FirewallStatefulGroup) Rules() ([]FirewallStatefulRule, []FirewallRuleProblem) {
	var rules []FirewallStatefulRule
	var problems []FirewallRuleProblem
	lines := strings.Split(strings.ReplaceAll(g.RulesString, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		n := i + 1
		line := strings.TrimSpace(lines[i])
		for strings.HasSuffix(line, `\`) && i+1 < len(lines) {
			i++
			line = strings.TrimSuffix(line, `\`) + " " + strings.TrimSpace(lines[i])
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rs, err := g.parseRule(line)
		if err != "" {
			problems = append(problems, FirewallRuleProblem{Group: g.Name, Line: n, Rule: line, Reason: err})
			continue
		}
		for k := range rs {
			rs[k].Group, rs[k].Line = g.Name, n
		}
		rules = append(rules, rs...)
	}
	if d := g.DomainList; d != nil {
		rs, err := g.domainRules(*d)
		if err != "" {
			problems = append(problems, FirewallRuleProblem{Group: g.Name, Line: 1, Rule: "domain list " + strings.Join(d.Targets, ","), Reason: err})
		}
		rules = append(rules, rs...)
	}
	for i, h := range g.Headers {
		line := h.Suricata()
		rs, err := g.parseRule(line)
		if err != "" {
			problems = append(problems, FirewallRuleProblem{Group: g.Name, Line: i + 1, Rule: line, Reason: err})
			continue
		}
		for k := range rs {
			rs[k].Group, rs[k].Line = g.Name, i+1
			if rs[k].Name == "" || strings.HasPrefix(rs[k].Name, "sid ") {
				rs[k].Name = g.Name + " rule " + strconv.Itoa(i+1)
			}
		}
		rules = append(rules, rs...)
	}
	return rules, problems
}

// Suricata writes a 5-tuple rule as its rule string.
func (h FirewallHeaderRule) Suricata() string {
	or := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "any"
		}
		return strings.TrimSpace(s)
	}
	dir := "->"
	if strings.EqualFold(h.Direction, "ANY") {
		dir = "<>"
	}
	var opts []string
	for _, o := range h.Options {
		if o[1] == "" {
			opts = append(opts, o[0]+";")
		} else {
			opts = append(opts, o[0]+":"+o[1]+";")
		}
	}
	return strings.ToLower(or(h.Action)) + " " + strings.ToLower(or(h.Header.Protocol)) + " " + or(h.Header.Source) + " " + or(h.SourcePort) + " " + dir + " " +
		or(h.Header.Destination) + " " + or(h.Header.DestinationPort) + " (" + strings.Join(opts, " ") + ")"
}

// domainRules are the rules AWS generates for a domain list ("Stateful
// domain list rule groups in AWS Network Firewall"): for each target
// type, from $HOME_NET to $EXTERNAL_NET, a rule of the list's action for
// the names; an allowlist also drops the other traffic of that protocol
// ("not matching any TLS allowlisted FQDNs").
func (g FirewallStatefulGroup) domainRules(d FirewallDomainList) ([]FirewallStatefulRule, string) {
	act := map[string]string{"ALLOWLIST": "pass", "DENYLIST": "drop", "REJECTLIST": "reject", "ALERTLIST": "alert"}[strings.ToUpper(d.Type)]
	if act == "" {
		return nil, "GeneratedRulesType " + strconv.Quote(d.Type) + " is not ALLOWLIST, DENYLIST, REJECTLIST or ALERTLIST"
	}
	var out []FirewallStatefulRule
	home, _ := g.address("$HOME_NET")
	ext, _ := g.address("$EXTERNAL_NET")
	base := FirewallMatch{Protocol: "tcp"}
	home.apply(&base.Sources, &base.SourceHome, &base.SourceNegated)
	ext.apply(&base.Destinations, &base.DestinationHome, &base.DestinationNegated)
	for _, tt := range d.TargetTypes {
		app, buf, what := "tls", "tls.sni", "TLS"
		switch strings.ToUpper(tt) {
		case "TLS_SNI":
		case "HTTP_HOST":
			app, buf, what = "http", "http.host", "HTTP"
		default:
			return out, "TargetType " + strconv.Quote(tt) + " is not TLS_SNI or HTTP_HOST"
		}
		for _, t := range d.Targets {
			c := FirewallContent{Buffer: buf, Value: t, StartsWith: true, EndsWith: true}
			if strings.HasPrefix(t, ".") {
				c = FirewallContent{Buffer: buf, Value: t, DotPrefix: true, EndsWith: true}
			}
			out = append(out, FirewallStatefulRule{Name: g.Name + ": " + strings.ToLower(d.Type) + " " + t + " (" + what + ")", Match: base, Action: act,
				AppProtocol: app, Established: true, Contents: []FirewallContent{c}, Group: g.Name, Line: 1})
		}
		if act == "pass" {
			out = append(out, FirewallStatefulRule{Name: g.Name + ": not matching any " + what + " allowlisted FQDNs", Match: base, Action: "drop",
				AppProtocol: app, Established: true, Group: g.Name, Line: 1})
		}
	}
	return out, ""
}

// fwAddress is one side of a rule: ranges, $HOME_NET (home), negated.
type fwAddress struct {
	prefixes []netip.Prefix
	home     bool
	negated  bool
}

func (a fwAddress) apply(ps *[]netip.Prefix, home, neg *bool) {
	*ps, *home, *neg = a.prefixes, a.home, a.negated
}

// address reads a rule's address: any, an address or CIDR block, a
// variable ($NAME), a list [..] of them, or one of these negated (!).
func (g FirewallStatefulGroup) address(s string) (fwAddress, string) {
	return g.addressDepth(s, 0)
}

func (g FirewallStatefulGroup) addressDepth(s string, depth int) (fwAddress, string) {
	var a fwAddress
	if depth > 4 {
		return a, "variables nest too deep"
	}
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "!") {
		x, err := g.addressDepth(s[1:], depth+1)
		if err != "" {
			return a, err
		}
		if x.negated || (!x.home && len(x.prefixes) == 0) {
			return a, "a negated negation or !any is not modelled"
		}
		x.negated = true
		return x, ""
	}
	if strings.EqualFold(s, "any") {
		return a, ""
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		for _, e := range splitList(s[1 : len(s)-1]) {
			x, err := g.addressDepth(e, depth+1)
			if err != "" {
				return a, err
			}
			if x.negated {
				return a, "a negation inside a list is not modelled"
			}
			if !x.home && len(x.prefixes) == 0 {
				return fwAddress{}, "" // any
			}
			a.home = a.home || x.home
			a.prefixes = append(a.prefixes, x.prefixes...)
		}
		if !a.home && len(a.prefixes) == 0 {
			return a, "an empty list"
		}
		return a, ""
	}
	if strings.HasPrefix(s, "$") {
		name := s[1:]
		if defs, ok := g.IPSets[name]; ok {
			return g.addressDepth("["+strings.Join(defs, ",")+"]", depth+1)
		}
		switch name {
		case "HOME_NET":
			return fwAddress{home: true}, ""
		case "EXTERNAL_NET":
			return fwAddress{home: true, negated: true}, ""
		}
		return a, "the variable $" + name + " is not defined by the rule group"
	}
	if strings.HasPrefix(s, "@") {
		return a, "the IP set reference " + s + " (a managed prefix list or resource group) is not modelled"
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		ad, err := netip.ParseAddr(s)
		if err != nil {
			return a, strconv.Quote(s) + " is not an address, CIDR block, list or variable"
		}
		p = netip.PrefixFrom(ad, ad.BitLen())
	}
	a.prefixes = []netip.Prefix{p.Masked()}
	return a, ""
}

// portRange is a port range, from–to.
type portRange struct{ from, to uint16 }

// ports reads a rule's ports: any, a port, a range N:M (N: to 65535), a
// variable, a list, or a negation; nil for any.
func (g FirewallStatefulGroup) ports(s string, depth int) ([]portRange, string) {
	s = strings.TrimSpace(s)
	if depth > 4 {
		return nil, "variables nest too deep"
	}
	if strings.EqualFold(s, "any") {
		return nil, ""
	}
	if strings.HasPrefix(s, "!") {
		in, err := g.ports(s[1:], depth+1)
		if err != "" {
			return nil, err
		}
		if in == nil {
			return nil, "!any is not modelled"
		}
		var out []portRange
		next := uint32(1)
		slices.SortFunc(in, func(a, b portRange) int { return int(a.from) - int(b.from) })
		for _, r := range in {
			if uint32(r.from) > next {
				out = append(out, portRange{uint16(next), r.from - 1})
			}
			next = max(next, uint32(r.to)+1)
		}
		if next <= 65535 {
			out = append(out, portRange{uint16(next), 65535})
		}
		if len(out) == 0 {
			return nil, "the negation leaves no port"
		}
		return out, ""
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		var out []portRange
		for _, e := range splitList(s[1 : len(s)-1]) {
			x, err := g.ports(e, depth+1)
			if err != "" {
				return nil, err
			}
			if x == nil {
				return nil, ""
			}
			out = append(out, x...)
		}
		if len(out) == 0 {
			return nil, "an empty port list"
		}
		return out, ""
	}
	if strings.HasPrefix(s, "$") {
		defs, ok := g.PortSets[s[1:]]
		if !ok {
			return nil, "the port variable " + s + " is not defined by the rule group"
		}
		return g.ports("["+strings.Join(defs, ",")+"]", depth+1)
	}
	lo, hi, isRange := strings.Cut(s, ":")
	from, err := strconv.ParseUint(lo, 10, 16)
	if lo == "" {
		from, err = 0, nil
	}
	if err != nil {
		return nil, strconv.Quote(s) + " is not a port, range, list or variable"
	}
	to := from
	if isRange {
		to = 65535
		if hi != "" {
			if to, err = strconv.ParseUint(hi, 10, 16); err != nil {
				return nil, strconv.Quote(s) + " is not a port range"
			}
		}
	}
	if to < from {
		return nil, "the range " + s + " ends before it starts"
	}
	return []portRange{{uint16(from), uint16(to)}}, ""
}

// splitList splits a list's elements at the commas outside brackets.
func splitList(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	if t := strings.TrimSpace(s[start:]); t != "" || len(out) > 0 {
		out = append(out, t)
	}
	return out
}

// ruleFields splits a rule's header into its words, keeping a bracketed
// list (which may hold spaces) one word, and returns the options' text.
func ruleFields(line string) (fields []string, opts string, ok bool) {
	i := strings.IndexByte(line, '(')
	if i < 0 || !strings.HasSuffix(line, ")") {
		return nil, "", false
	}
	head, opts := line[:i], line[i+1:len(line)-1]
	depth, start := 0, -1
	for j := 0; j <= len(head); j++ {
		c := byte(' ')
		if j < len(head) {
			c = head[j]
		}
		switch {
		case c == '[':
			depth++
		case c == ']':
			depth--
		}
		if (c == ' ' || c == '\t') && depth <= 0 {
			if start >= 0 {
				fields = append(fields, head[start:j])
				start = -1
			}
			continue
		}
		if start < 0 {
			start = j
		}
	}
	return fields, opts, true
}

// ruleOptions splits a rule's options at the semicolons outside quoted
// strings (a \; or \" is escaped), into keyword and value.
func ruleOptions(s string) ([][2]string, string) {
	var out [][2]string
	var cur strings.Builder
	inQuote := false
	flush := func() {
		t := strings.TrimSpace(cur.String())
		cur.Reset()
		if t == "" {
			return
		}
		k, v, _ := strings.Cut(t, ":")
		out = append(out, [2]string{strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)})
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			cur.WriteByte(c)
			cur.WriteByte(s[i+1])
			i++
		case c == '"':
			inQuote = !inQuote
			cur.WriteByte(c)
		case c == ';' && !inQuote:
			flush()
		default:
			cur.WriteByte(c)
		}
	}
	if inQuote {
		return nil, "an unterminated quoted string in the options"
	}
	flush()
	return out, ""
}

// unquote reads an option's quoted value, its escapes (\" \; \\) undone.
func unquote(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", false
	}
	v = v[1 : len(v)-1]
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
		}
		b.WriteByte(v[i])
	}
	return b.String(), true
}

// ignoredOptions are options that do not change which flows a rule
// matches (metadata, logging, thresholds of alerts).
var ignoredOptions = map[string]bool{
	"msg": true, "sid": true, "rev": true, "gid": true, "classtype": true, "priority": true, "metadata": true, "reference": true,
	"noalert": true, "threshold": true, "detection_filter": false, "target": true, "tag": true, "ssl_state": true, "fast_pattern": true,
	"depth": true, "offset": true, "distance": true, "within": true, "bsize": true, "flowbits": true, "xbits": true, "app-layer-protocol": true,
}

// parseRule reads one Suricata rule; a rule of several port ranges is
// several rules. It returns a reason when it cannot.
func (g FirewallStatefulGroup) parseRule(line string) ([]FirewallStatefulRule, string) {
	f, optText, ok := ruleFields(line)
	if !ok {
		return nil, "not of the form action protocol source port direction destination port (options)"
	}
	if len(f) != 7 {
		return nil, "the header has " + strconv.Itoa(len(f)) + " words, not 7 (action protocol source port direction destination port)"
	}
	var r FirewallStatefulRule
	switch a := strings.ToLower(f[0]); a {
	case "pass", "drop", "reject", "alert":
		r.Action = a
	case "rejectsrc", "rejectdst", "rejectboth":
		r.Action = "reject"
	default:
		return nil, "the action " + strconv.Quote(f[0]) + " is not pass, drop, reject or alert"
	}
	proto := strings.ToLower(f[1])
	switch proto {
	case "ip":
	case "tcp", "udp", "icmp":
		r.Match.Protocol = proto
	case "tcp-pkt", "tcp-stream":
		r.Match.Protocol = "tcp"
	default:
		tr, ok := firewallApps[proto]
		if !ok {
			return nil, "the protocol " + strconv.Quote(f[1]) + " is not modelled"
		}
		if proto == "http2" {
			proto = "http"
		}
		r.AppProtocol, r.Match.Protocol = proto, tr
	}
	src, err := g.address(f[2])
	if err != "" {
		return nil, err
	}
	src.apply(&r.Match.Sources, &r.Match.SourceHome, &r.Match.SourceNegated)
	sports, err := g.ports(f[3], 0)
	if err != "" {
		return nil, err
	}
	switch f[4] {
	case "->":
	case "<>":
		r.Bidirectional = true
	default:
		return nil, "the direction " + strconv.Quote(f[4]) + " is not -> or <>"
	}
	dst, err := g.address(f[5])
	if err != "" {
		return nil, err
	}
	dst.apply(&r.Match.Destinations, &r.Match.DestinationHome, &r.Match.DestinationNegated)
	dports, err := g.ports(f[6], 0)
	if err != "" {
		return nil, err
	}
	opts, err := ruleOptions(optText)
	if err != "" {
		return nil, err
	}
	buffer := ""
	sid := ""
	for _, o := range opts {
		k, v := o[0], o[1]
		switch k {
		case "msg":
			if s, ok := unquote(v); ok {
				r.Name = s
			}
		case "sid":
			sid = v
		case "flow":
			for _, w := range strings.Split(v, ",") {
				switch strings.TrimSpace(strings.ToLower(w)) {
				case "established":
					r.Established = true
				case "not_established", "stateless":
					r.HandshakeOnly = true
				case "to_client", "from_server":
					r.ToClient = true
				}
			}
		case "tls.sni", "tls_sni", "http.host", "http_host", "http.host.raw":
			buffer = map[string]string{"tls_sni": "tls.sni", "http_host": "http.host", "http.host.raw": "http.host"}[k]
			if buffer == "" {
				buffer = k
			}
		case "content":
			neg := strings.HasPrefix(v, "!")
			s, ok := unquote(strings.TrimPrefix(v, "!"))
			if !ok {
				return nil, "a content option without a quoted string"
			}
			b := buffer
			if b == "" {
				b = "payload"
			}
			r.Contents = append(r.Contents, FirewallContent{Buffer: b, Value: s, Negated: neg})
		case "startswith", "endswith", "dotprefix", "nocase":
			if len(r.Contents) == 0 {
				if k == "dotprefix" {
					continue // before its content: applies to the buffer
				}
				continue
			}
			c := &r.Contents[len(r.Contents)-1]
			switch k {
			case "startswith":
				c.StartsWith = true
			case "endswith":
				c.EndsWith = true
			case "dotprefix":
				c.DotPrefix = true
			}
		default:
			if ignoredOptions[k] {
				continue
			}
			// A keyword that narrows the match by what ecsnet cannot
			// see (a payload buffer, pcre, ja3, dsize, geoip …).
			if !strings.HasPrefix(k, "tls.") && !strings.HasPrefix(k, "http.") && !strings.HasPrefix(k, "ja3") && !strings.HasPrefix(k, "dns.") &&
				k != "pcre" && k != "dsize" && k != "geoip" && k != "urilen" && k != "byte_test" && k != "isdataat" {
				continue // unknown keywords are taken not to narrow the match [choice]
			}
			buffer = k
			r.Contents = append(r.Contents, FirewallContent{Buffer: k, Value: v})
		}
	}
	// dotprefix written before the content (tls.sni; dotprefix;
	// content:...) applies to that content.
	for i, o := range opts {
		if o[0] == "dotprefix" {
			for _, p := range opts[i+1:] {
				if p[0] == "content" {
					s, _ := unquote(strings.TrimPrefix(p[1], "!"))
					for k := range r.Contents {
						if r.Contents[k].Value == s && r.Contents[k].NameBuffer() {
							r.Contents[k].DotPrefix = true
						}
					}
					break
				}
			}
		}
	}
	if r.Name == "" && sid != "" {
		r.Name = "sid " + sid
	}
	if len(r.Contents) > 0 || r.AppProtocol != "" {
		r.Established = r.Established || r.Match.Protocol == "tcp"
	}
	if sports == nil {
		sports = []portRange{{}}
	}
	if dports == nil {
		dports = []portRange{{}}
	}
	var out []FirewallStatefulRule
	for _, sp := range sports {
		for _, dp := range dports {
			x := r
			x.Match.SourceFromPort, x.Match.SourceToPort = sp.from, sp.to
			x.Match.FromPort, x.Match.ToPort = dp.from, dp.to
			out = append(out, x)
		}
	}
	return out, ""
}

// FirewallFlow is a flow as the stateful engine sees its first packet:
// protocol, addresses, ports, the application protocol and the name the
// client sends (SNI or Host; "" when unknown).
type FirewallFlow struct {
	Protocol             string
	Source, Destination  netip.Addr
	SourcePort, DestPort uint16
	App                  string
	Name                 string
}

// MatchesFlow reports whether m holds for a packet of fl, home being
// $HOME_NET.
func (m FirewallMatch) MatchesFlow(fl FirewallFlow, home []netip.Prefix) bool {
	if m.Protocol != "" && m.Protocol != fl.Protocol {
		return false
	}
	if !sideHolds(m.Sources, m.SourceHome, m.SourceNegated, home, fl.Source) ||
		!sideHolds(m.Destinations, m.DestinationHome, m.DestinationNegated, home, fl.Destination) {
		return false
	}
	if (m.FromPort != 0 || m.ToPort != 0) && (fl.DestPort < m.FromPort || fl.DestPort > m.ToPort) {
		return false
	}
	if (m.SourceFromPort != 0 || m.SourceToPort != 0) && (fl.SourcePort < m.SourceFromPort || fl.SourcePort > m.SourceToPort) {
		return false
	}
	return true
}

func sideHolds(ps []netip.Prefix, isHome, negated bool, home []netip.Prefix, a netip.Addr) bool {
	if !isHome && len(ps) == 0 {
		return true
	}
	in := isHome && slices.ContainsFunc(home, func(p netip.Prefix) bool { return p.Contains(a) }) ||
		slices.ContainsFunc(ps, func(p netip.Prefix) bool { return p.Contains(a) })
	return in != negated
}

// MatchesFlow reports whether r matches flow fl at the phase the firewall
// judges: handshake (the first packets of a TCP flow, before the
// application protocol is known) or after it. undecided is set when the
// answer hangs on what the flow carries that is not known: the name
// (fl.Name "") or a buffer ecsnet never sees.
func (r FirewallStatefulRule) MatchesFlow(fl FirewallFlow, home []netip.Prefix, handshake bool) (match, undecided bool) {
	tcp := fl.Protocol == "tcp"
	if tcp && handshake && r.Established {
		return false, false
	}
	if tcp && !handshake && r.HandshakeOnly {
		return false, false
	}
	if r.AppProtocol != "" && r.AppProtocol != fl.App {
		return false, false
	}
	fwd := fl
	if r.ToClient {
		fwd.Source, fwd.Destination, fwd.SourcePort, fwd.DestPort = fl.Destination, fl.Source, fl.DestPort, fl.SourcePort
	}
	if !r.Match.MatchesFlow(fwd, home) {
		if !r.Bidirectional {
			return false, false
		}
		rev := fwd
		rev.Source, rev.Destination, rev.SourcePort, rev.DestPort = fwd.Destination, fwd.Source, fwd.DestPort, fwd.SourcePort
		if !r.Match.MatchesFlow(rev, home) {
			return false, false
		}
	}
	for _, c := range r.Contents {
		switch {
		case c.Buffer == "tls.sni" && fl.App != "tls", c.Buffer == "http.host" && fl.App != "http":
			return false, false
		case c.NameBuffer() && fl.Name != "":
			if !c.MatchesName(fl.Name) {
				return false, false
			}
		default:
			undecided = true
		}
	}
	return true, undecided
}

// Suricata writes r as a rule string (sid its id), which Rules reads back
// to r (its Group and Line aside).
func (r FirewallStatefulRule) Suricata(sid int) string {
	proto := r.Match.Protocol
	if r.AppProtocol != "" {
		proto = r.AppProtocol
	}
	if proto == "" {
		proto = "ip"
	}
	side := func(ps []netip.Prefix, home, neg bool) string {
		var parts []string
		if home {
			parts = append(parts, "$HOME_NET")
		}
		for _, p := range ps {
			parts = append(parts, p.String())
		}
		s := "any"
		switch {
		case len(parts) == 1:
			s = parts[0]
		case len(parts) > 1:
			s = "[" + strings.Join(parts, ",") + "]"
		}
		if neg && len(parts) > 0 {
			if s == "$HOME_NET" {
				return "$EXTERNAL_NET"
			}
			s = "!" + s
		}
		return s
	}
	port := func(from, to uint16) string {
		switch {
		case from == 0 && to == 0:
			return "any"
		case from == to:
			return strconv.Itoa(int(from))
		}
		return "[" + strconv.Itoa(int(from)) + ":" + strconv.Itoa(int(to)) + "]"
	}
	dir := "->"
	if r.Bidirectional {
		dir = "<>"
	}
	var opts []string
	if r.Name != "" {
		opts = append(opts, `msg:"`+strings.NewReplacer(`\`, `\\`, `"`, `\"`, `;`, `\;`).Replace(r.Name)+`";`)
	}
	var flow []string
	switch {
	case r.HandshakeOnly:
		flow = append(flow, "not_established")
	case r.Established:
		flow = append(flow, "established")
	}
	if r.ToClient {
		flow = append(flow, "to_client")
	}
	if len(flow) > 0 {
		opts = append(opts, "flow:"+strings.Join(flow, ",")+";")
	}
	for _, c := range r.Contents {
		if !c.NameBuffer() {
			continue // a buffer ecsnet cannot see is not written back [choice]
		}
		opts = append(opts, c.Buffer+";")
		if c.DotPrefix {
			opts = append(opts, "dotprefix;")
		}
		v := `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, `;`, `\;`).Replace(c.Value) + `"`
		if c.Negated {
			v = "!" + v
		}
		opts = append(opts, "content:"+v+";")
		if c.StartsWith {
			opts = append(opts, "startswith;")
		}
		if c.EndsWith {
			opts = append(opts, "endswith;")
		}
	}
	opts = append(opts, "sid:"+strconv.Itoa(sid)+";")
	return r.Action + " " + proto + " " + side(r.Match.Sources, r.Match.SourceHome, r.Match.SourceNegated) + " " +
		port(r.Match.SourceFromPort, r.Match.SourceToPort) + " " + dir + " " +
		side(r.Match.Destinations, r.Match.DestinationHome, r.Match.DestinationNegated) + " " + port(r.Match.FromPort, r.Match.ToPort) +
		" (" + strings.Join(opts, " ") + ")"
}
