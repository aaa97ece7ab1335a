package cli

import (
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// probeOptions are ecsnet probe's flags.
type probeOptions struct {
	Source   string
	From, To string
	Protocol string
	Output   string
	Fixes    bool
	// Expect is the verdict the probe must give (normalized), or "".
	Expect      string
	SourceFlags sourceFlags
	// The HTTP request through an ALB (listener rules).
	Path, Host, Method string
	Headers            headerFlags
	// HTTPVersion is --http-version, normalized (1.1, 2, grpc).
	HTTPVersion string
	// PlainHTTP is --plain-http: an http:// URL even to an HTTPS listener.
	PlainHTTP bool
	// IPv6 probes over IPv6: the endpoints' IPv6 addresses.
	IPv6 bool
}

// headerFlags collects repeated --header K=V flags.
type headerFlags map[string]string

func (h *headerFlags) String() string { return "" }

func (h *headerFlags) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("want NAME=VALUE, got %q", s)
	}
	if *h == nil {
		*h = headerFlags{}
	}
	(*h)[k] = v
	return nil
}

// request completes a query with the HTTP request flags.
func (o *probeOptions) request(q *reach.Query) {
	q.HTTPPath, q.HTTPHost, q.HTTPMethod, q.HTTPHeaders = o.Path, o.Host, o.Method, o.Headers
	q.HTTPVersion, _ = reach.ParseHTTPVersion(o.HTTPVersion)
	q.PlainHTTP = o.PlainHTTP
	q.IPv6 = o.IPv6
}

func runProbe(stdio IO, args []string) int {
	fs := newFlags(stdio, "probe", "probe SOURCE... --from X --to Y[:PORT] [--expect VERDICT] [--protocol tcp|udp|icmp] [flags]")
	var o probeOptions
	fs.StringVar(&o.From, "from", "", "where the packet starts: internet, internet:ADDR, an IP, or an ENI, instance, task, service or load balancer (id or name, a template's logical id, a Terraform address)")
	fs.StringVar(&o.To, "to", "", "where it goes, with :PORT: an address, or an ENI, instance, task, service or load balancer (id, name, DNS name, logical id or Terraform address), a Cloud Map, Service Connect or Route 53 name (api.internal:8080), an AWS service (ecr, logs, s3) or an internet host (docker.io), localhost or 169.254.169.254")
	fs.StringVar(&o.Protocol, "protocol", "tcp", "tcp, udp, or icmp: a ping (an ICMP echo request; ICMPv6 with --ipv6), to a destination given without :PORT")
	fs.outputFlag(&o.Output, "text", "json")
	fs.BoolVar(&o.Fixes, "fixes", true, "when the probe fails, find verified fixes")
	fs.StringVar(&o.Expect, "expect", "", "the verdict the probe must give (connected, refused, timeout, no-route, nxdomain, http NNN): exit 1 when it differs")
	fs.StringVar(&o.Path, "path", "", "through an ALB: the request path, with an optional query string (default /)")
	fs.StringVar(&o.Host, "host", "", "through an ALB: the Host header (default the load balancer's DNS name)")
	fs.StringVar(&o.Method, "method", "", "through an ALB: the request method (default GET)")
	fs.Var(&o.Headers, "header", "through an ALB: a request header NAME=VALUE (repeatable)")
	fs.StringVar(&o.HTTPVersion, "http-version", "", "through an ALB: the client's protocol, 1.1 (default), 2 (HTTP/2, which an ALB speaks on HTTPS listeners) or grpc (HTTP/2 POST); a target group's protocol version may answer 464")
	fs.BoolVar(&o.PlainHTTP, "plain-http", false, "through a load balancer: send plain HTTP (an http:// URL) even to an HTTPS listener, which answers 400")
	fs.BoolVar(&o.IPv6, "ipv6", false, "probe over IPv6: the task's, instance's or ENI's IPv6 address, and the internet client 2001:db8::7 (implied by an IPv6 address, e.g. --to '[2600:1f18::5]:3000')")
	o.SourceFlags.add(fs.FlagSet)
	pos, ferr := fs.parse(args)
	if ferr != nil {
		return flagExit(ferr)
	}
	src, err := oneSource(pos)
	if err != nil {
		return failAs(stdio, o.Output, err)
	}
	if o.From == "" || o.To == "" {
		missing := "--from and --to"
		if o.From != "" {
			missing = "--to too"
		} else if o.To != "" {
			missing = "--from too"
		}
		example := ""
		// probe FILE internet 203.0.113.2:3000: the ends given as
		// arguments, which are no files, where the flags were meant.
		var stray []string
		for _, p := range pos[1:] { // after the SOURCE
			if _, err := os.Stat(p); err != nil && !strings.Contains(p, "://") {
				stray = append(stray, p)
			}
		}
		switch {
		case o.From == "" && o.To == "" && len(stray) == 2:
			example = fmt.Sprintf("did you mean --from %s --to %s?", stray[0], stray[1])
		case o.From == "" && o.To != "" && len(stray) == 1:
			example = fmt.Sprintf("did you mean --from %s?", stray[0])
		case o.From != "" && o.To == "" && len(stray) == 1:
			example = fmt.Sprintf("did you mean --to %s?", stray[0])
		default:
			example = probeExample(src, o.SourceFlags)
		}
		return failAs(stdio, o.Output, fmt.Errorf("probe needs %s (%s)", missing, example))
	}
	if p := strings.ToLower(o.Protocol); p != "tcp" && p != "udp" && p != "icmp" && p != "icmpv6" {
		return failAs(stdio, o.Output, fmt.Errorf("--protocol %q: want tcp, udp or icmp%s", o.Protocol, didYouMean(p, []string{"tcp", "udp", "icmp"})))
	}
	if o.Expect != "" {
		v, ok := scenario.NormalizeVerdict(o.Expect)
		if !ok {
			return failAs(stdio, o.Output, fmt.Errorf("--expect %q is not a verdict%s (want connected, refused, timeout, no-route, nxdomain or http NNN, e.g. 'http 503')",
				o.Expect, didYouMean(o.Expect, []string{"connected", "refused", "timeout", "no-route", "nxdomain"})))
		}
		o.Expect = v
	}
	if o.HTTPVersion != "" {
		v, ok := scenario.NormalizeHTTPVersion(o.HTTPVersion)
		if !ok {
			return failAs(stdio, o.Output, fmt.Errorf("--http-version %q: want 1.1, 2 or grpc", o.HTTPVersion))
		}
		o.HTTPVersion = v
	}
	o.Source = src
	return probe(stdio, o)
}

// probeReport is ecsnet probe's JSON output.
type probeReport struct {
	Source string        `json:"source"`
	Result *reach.Result `json:"result"`
	// Undecided lists, for snapshots, the facts the verdict depends on
	// that the snapshot lacks: when it is not empty the verdict is a guess.
	Undecided []string `json:"undecided,omitempty"`
	// Snapshot is a snapshot SOURCE's age.
	Snapshot *snapshotAge `json:"snapshot,omitempty"`
	Fixes    []fix.Fix    `json:"fixes,omitempty"`
	// TemplateChanges are the fixes as changes to the template, for a
	// template SOURCE.
	TemplateChanges []templateChange `json:"templateChanges,omitempty"`
	// Expect is --expect's verdict, when given; OK says whether the probe
	// passed (the expected verdict, or without one a reachable verdict).
	Expect string `json:"expect,omitempty"`
	OK     bool   `json:"ok"`
}

func probe(stdio IO, o probeOptions) int {
	s, err := openSource(o.Source, o.SourceFlags)
	if err != nil {
		return failAs(stdio, o.Output, err)
	}
	s.warn(stdio, o.SourceFlags)
	from, err := s.templateSpec(s.alias(o.From))
	if err != nil {
		return failAs(stdio, o.Output, err)
	}
	to, err := s.templateSpec(s.alias(o.To))
	if err != nil {
		return failAs(stdio, o.Output, err)
	}
	var fixes []fix.Fix
	var res *reach.Result
	if o.Fixes {
		fixes, res, err = fix.Find(s.Engine, from, to, o.Protocol, fix.Options{Request: o.request})
	} else {
		st, _ := s.Engine.Snapshot()
		n := reach.Compile(st)
		var q reach.Query
		if q, err = reach.NewQuery(n, from, to, o.Protocol); err == nil {
			o.request(&q)
			res = reach.Probe(n, q)
		}
	}
	if err != nil {
		typed := map[string]string{}
		for _, pair := range [][2]string{{from, o.From}, {to, o.To}} {
			typed[endpointBase(pair[0])] = endpointBase(pair[1])
		}
		return failAs(stdio, o.Output, s.relabelError(flagError(s.suggestOwnName(err, typed))))
	}
	for i := range fixes {
		if v := &fixes[i].Verification; v.From == from && v.To == to {
			v.From, v.To = o.From, o.To
		}
	}
	s.nameEndpoint(res.From, o.From)
	s.nameEndpoint(res.To, o.To)
	undecided := s.Undecided(res)
	changes := s.templateChanges(fixes)
	if o.Output == "json" {
		rep := probeReport{Source: o.Source, Result: res, Undecided: undecided, Snapshot: s.Snapshot, Fixes: fixes, TemplateChanges: changes, Expect: o.Expect}
		rep.OK = probeOK(res, o.Expect)
		if err := writeDoc(stdio.Out, "probe", rep); err != nil {
			return fail(stdio, err)
		}
		return probeExit(res, o.Expect)
	}
	stdio = s.relabeledIO(stdio)
	if s.Snapshot != nil {
		fmt.Fprintln(stdio.Out, stdio.paint("dim", s.Snapshot.Note))
	}
	if len(undecided) > 0 {
		fmt.Fprintf(stdio.Out, "%s: the snapshot lacks facts this probe depends on; the verdict below is what the known parts give.\n", stdio.paint("yellow", "INSUFFICIENT INFORMATION"))
		for _, u := range undecided {
			fmt.Fprintf(stdio.Out, "  - %s\n", u)
		}
		fmt.Fprintln(stdio.Out)
	}
	printResult(stdio, stdio.Out, res)
	if len(fixes) > 0 {
		printFixes(stdio, stdio.Out, fixes)
		printTemplateChanges(stdio, changes)
	} else if o.Fixes && !res.Reachable {
		// The next step: what the causes say, and where the ways in
		// that do work are listed (a command on a line of its own).
		line := "\nno single change found that makes this probe succeed"
		if len(res.Explanations) > 0 {
			line += `: what to change is in "why" above, and it may take more than one change`
		}
		fmt.Fprintln(stdio.Out, wrap(line, 100, ""))
		if o.From == "internet" || strings.HasPrefix(o.From, "internet:") {
			var srcs []string
			for _, f := range strings.Split(o.Source, ",") {
				srcs = append(srcs, shellWord(f))
			}
			fmt.Fprintf(stdio.Out, "the ways in from the internet that work: ecsnet exposure %s\n", strings.Join(srcs, " "))
		}
	}
	if o.Expect != "" && !probeOK(res, o.Expect) {
		fmt.Fprintf(stdio.Err, "ecsnet probe: expected %s, got %s\n", o.Expect, res.Verdict)
	}
	return probeExit(res, o.Expect)
}

// probeOK says whether a probe passed: it gave the expected verdict, or,
// without one, it reached its destination (connected, or an HTTP status
// below 500 through a load balancer: the request reached something that
// answered).
func probeOK(res *reach.Result, expect string) bool {
	if expect != "" {
		return string(res.Verdict) == expect
	}
	return res.Verdict.Reachable()
}

// probeExit is probe's exit code: 0 when it passed, 1 when not.
func probeExit(res *reach.Result, expect string) int {
	if probeOK(res, expect) {
		return ExitOK
	}
	return ExitFailed
}

// verdictWord paints a verdict: green when reachable, red otherwise.
func verdictWord(stdio IO, v reach.Verdict) string {
	s := strings.ToUpper(string(v))
	if v.Reachable() {
		return stdio.paint("green", s)
	}
	return stdio.paint("red", s)
}

func endpointLabel(e *reach.Endpoint) string {
	if e == nil {
		return "?"
	}
	label := e.Spec
	if specIsAddress(e.Spec, e.Address) && (e.Name == "" || e.Name == e.Address.String()) {
		return label // the address, already in the label
	}
	if e.Name != "" && e.Name != e.Spec {
		label += " (" + e.Name + ")"
	} else if e.Address.IsValid() && e.Address.String() != e.Spec {
		label += " (" + e.Address.String() + ")"
	}
	return label
}

// specIsAddress says whether an endpoint as given is its address with a
// port ("203.0.113.2:3000", "[2600:1f18::5]:3000"): its label says the
// address already.
func specIsAddress(spec string, addr netip.Addr) bool {
	ap, err := netip.ParseAddrPort(spec)
	return err == nil && ap.Addr() == addr
}

// printResult writes a probe result: the verdict, the sentence, both
// paths hop by hop, and the explanations.
func printResult(stdio IO, w io.Writer, r *reach.Result) {
	what := fmt.Sprintf("%s/%d", r.Protocol, r.Port)
	if r.Protocol == "icmp" || r.Protocol == "icmpv6" {
		what = r.Protocol + " echo (ping)"
	}
	fmt.Fprintf(w, "%s → %s, %s: %s\n\n", endpointLabel(r.From), endpointLabel(r.To), what, verdictWord(stdio, r.Verdict))
	fmt.Fprintln(w, wrap(r.Summary, 100, ""))
	if len(r.Forward) > 0 { // a name that does not resolve sends nothing
		printPath(stdio, w, "forward path", r.Forward)
	}
	if len(r.Return) > 0 {
		printPath(stdio, w, "return path", r.Return)
	}
	if len(r.Targets) > 0 {
		fmt.Fprintf(w, "\n%s\n", stdio.paint("bold", "targets"))
		for _, t := range r.Targets {
			reason := ""
			if t.Reason != "" {
				reason = " (" + t.Reason + ")"
			}
			fmt.Fprintf(w, "  %s:%d %s: %s%s, a connection from the load balancer: %s\n", t.ID, t.Port, t.Name, t.Health, reason, verdictWord(stdio, t.Verdict))
		}
	}
	if len(r.WeightedGroups) > 0 {
		fmt.Fprintf(w, "\n%s\n", stdio.paint("bold", "target groups of the weighted forward action"))
		for _, g := range r.WeightedGroups {
			this := ""
			if g.Reported {
				this = " (the paths above)"
			}
			fmt.Fprintf(w, "  %s: weight %d, %s of requests: %s%s\n", g.TargetGroup, g.Weight, g.Share, verdictWord(stdio, g.Verdict), this)
		}
	}
	var blocking, details []reach.Explanation
	for _, x := range r.Explanations {
		if x.Blocking {
			blocking = append(blocking, x)
		} else {
			details = append(details, x)
		}
	}
	if len(blocking) > 0 {
		fmt.Fprintf(w, "\n%s\n", stdio.paint("bold", "why"))
		for _, x := range blocking {
			fmt.Fprintf(w, "  %s %s\n%s\n", stdio.paint("red", "✗"), stdio.paint("bold", x.Code), wrap(x.Message, 96, "    "))
		}
	}
	if len(details) > 0 || len(r.Notes) > 0 {
		fmt.Fprintf(w, "\n%s\n", stdio.paint("bold", "notes"))
		for _, x := range details {
			fmt.Fprintf(w, "  · %s\n%s\n", x.Code, wrap(x.Message, 96, "    "))
		}
		// The result's notes (each node of a load balancer, each share of
		// a weighted forward action): sentences without a code.
		for _, n := range r.Notes {
			fmt.Fprintf(w, "  · %s\n", strings.TrimPrefix(wrap(n, 96, "    "), "    "))
		}
	}
}

func printPath(stdio IO, w io.Writer, title string, hops []reach.Hop) {
	fmt.Fprintf(w, "\n%s\n", stdio.paint("bold", title))
	// The action column is as wide as the path's widest action, so that
	// every hop's component starts in the same column.
	width := 0
	for _, h := range hops {
		n := len(h.Action)
		if h.Direction != "" {
			n += 1 + len(h.Direction)
		}
		width = max(width, n)
	}
	for i, h := range hops {
		// A hop without a component is the analyzer's bug; it is printed
		// as such rather than stopping the whole answer.
		what := "(a hop the analyzer did not name)"
		if c := h.Component; c != nil {
			what = c.Type + " " + c.Label()
			if c.ID != "" && !strings.Contains(c.Label(), c.ID) {
				what += " (" + c.ID + ")"
			}
		}
		if h.AttachedTo != nil {
			what += " of " + h.AttachedTo.Type + " " + h.AttachedTo.Label()
		}
		action := string(h.Action)
		if h.Direction != "" {
			action += " " + h.Direction
		}
		pad := strings.Repeat(" ", width-len(action))
		if h.Blocked {
			action = stdio.paint("red", strings.ToUpper(action))
		}
		fmt.Fprintf(w, "  %2d %s%s %s\n", h.Seq, action, pad, what)
		if rule := hopRule(h); rule != "" {
			fmt.Fprintf(w, "     %s %s\n", stdio.paint("dim", "by"), rule)
		}
		if i > 0 && h.Action == reach.ActionTranslated {
			if change := addressChange(hops[i-1].Packet, h.Packet); change != "" {
				fmt.Fprintf(w, "     %s\n", change)
			}
		}
		if h.Note != "" {
			fmt.Fprintf(w, "%s\n", wrap(h.Note, 92, "     "))
		}
	}
}

// addressChange says what a translating hop rewrote, from the packet as
// the hop before it left it: "destination 203.0.113.2 → 10.0.1.4" (an
// internet gateway's 1:1 NAT inbound), "source 10.0.2.7:49152 →
// 203.0.113.9:1024" (a NAT gateway). Empty when nothing changed.
func addressChange(before, after reach.Packet) string {
	var changes []string
	if before.Source != after.Source || before.SourcePort != after.SourcePort {
		changes = append(changes, "source "+packetEnd(before.Source, before.SourcePort, after.SourcePort)+" → "+packetEnd(after.Source, after.SourcePort, before.SourcePort))
	}
	if before.Destination != after.Destination || before.DestinationPort != after.DestinationPort {
		changes = append(changes, "destination "+packetEnd(before.Destination, before.DestinationPort, after.DestinationPort)+" → "+packetEnd(after.Destination, after.DestinationPort, before.DestinationPort))
	}
	return strings.Join(changes, ", ")
}

// packetEnd writes one end of a packet: its address, and its port when the
// translation changed the port too (other is the port on the other side).
func packetEnd(addr netip.Addr, port, other uint16) string {
	if port == other || port == 0 {
		return addr.String()
	}
	return netip.AddrPortFrom(addr, port).String()
}

// protocolWords writes a rule's protocol as the EC2 console does: "-1"
// (every protocol) is "all traffic".
func protocolWords(protocol string) string {
	if protocol == "-1" || protocol == "all" {
		return "all traffic"
	}
	return protocol
}

// portWords writes a rule's port range: one port alone, "80", else
// "1024-65535".
func portWords(from, to int) string {
	if from == to {
		return fmt.Sprint(from)
	}
	return fmt.Sprintf("%d-%d", from, to)
}

// icmpWords describes an ICMP rule's type and code: "type 8", "type 3
// code 4", "all types".
func icmpWords(x *reach.ICMPTypeCode) string {
	switch {
	case x.Type < 0:
		return "all types"
	case x.Code < 0:
		return fmt.Sprintf("type %d", x.Type)
	}
	return fmt.Sprintf("type %d code %d", x.Type, x.Code)
}

// hopRule describes the rule that decided a hop.
func hopRule(h reach.Hop) string {
	switch {
	case h.SecurityGroupRule != nil:
		r := h.SecurityGroupRule
		peer := r.CIDR.String()
		if r.ReferencedGroupID != "" {
			peer = "group " + r.ReferencedGroupID
		} else if r.PrefixListID != "" {
			peer = r.PrefixListID
		}
		ports := " all ports"
		switch {
		case r.PortRange != nil:
			ports = " " + portWords(int(r.PortRange.From), int(r.PortRange.To))
		case r.ICMPTypeCode != nil:
			ports = " " + icmpWords(r.ICMPTypeCode)
		case r.Protocol == "icmp" || r.Protocol == "icmpv6":
			ports = " all types"
		case protocolWords(r.Protocol) != r.Protocol:
			ports = "" // all traffic: every port of every protocol
		}
		name := r.SecurityGroupID
		if r.SecurityGroupName != "" {
			name = r.SecurityGroupName + " (" + r.SecurityGroupID + ")"
		}
		return fmt.Sprintf("security group %s %s rule %s%s %s", name, r.Direction, protocolWords(r.Protocol), ports, peer)
	case h.ACLRule != nil:
		r := h.ACLRule
		num := fmt.Sprint(r.RuleNumber)
		if r.RuleNumber == 32767 {
			num = "*"
		}
		ports := ""
		switch {
		case r.PortRange != nil:
			ports = " " + portWords(int(r.PortRange.From), int(r.PortRange.To))
		case r.ICMPTypeCode != nil:
			ports = " " + icmpWords(r.ICMPTypeCode)
		}
		dir := "inbound"
		if r.Egress {
			dir = "outbound"
		}
		return fmt.Sprintf("network ACL %s %s rule %s %s %s%s %s", r.NetworkACLID, dir, num, r.Action, protocolWords(r.Protocol), ports, r.CIDR)
	case h.Route != nil:
		r := h.Route
		dest := r.DestinationCIDR.String()
		if r.DestinationPrefixListID != "" {
			dest = r.DestinationPrefixListID
		}
		name := r.RouteTableID
		if r.RouteTableName != "" {
			name = r.RouteTableName + " (" + r.RouteTableID + ")"
		}
		return fmt.Sprintf("route table %s route %s → %s (%s)", name, dest, r.Target, r.State)
	case h.Socket != nil:
		s := h.Socket
		addr := "0.0.0.0"
		if s.Address.IsValid() {
			addr = s.Address.String()
		}
		who := s.Kind
		switch {
		case s.Container != "" && s.Task != "" && s.Kind == "container":
			who = "container " + s.Container + " of task " + s.Task
		case s.Container != "" && s.Task != "" && s.Kind == "bridge":
			who = "Docker's host port for container " + s.Container + " of task " + s.Task
		case s.Container != "" && s.Task != "" && s.Kind == "host":
			who = "container " + s.Container + " of task " + s.Task + " (host network mode)"
		default:
			if s.Task != "" {
				who += " of task " + s.Task
			}
			if s.Container != "" {
				who += ", container " + s.Container
			}
		}
		return fmt.Sprintf("%s listening on %s:%d/%s", who, addr, s.Port, s.Protocol)
	}
	return ""
}

func printFixes(stdio IO, w io.Writer, fixes []fix.Fix) {
	fmt.Fprintf(w, "\n%s\n", stdio.paint("bold", "fixes (each applied to a copy of the system and probed again)"))
	for _, f := range fixes {
		fmt.Fprintf(w, "\n  %d. %s\n", f.Rank, f.Title)
		v := f.Verification
		fmt.Fprintf(w, "     verified: %s → %s: %s\n", v.From, v.To, verdictWord(stdio, v.Verdict))
		if f.Detail != "" {
			fmt.Fprintln(w, wrap(f.Detail, 92, "     "))
		}
		// The commands without a prompt, indented past the prose: lines
		// that paste into a shell and run as they are.
		for _, c := range f.Commands {
			fmt.Fprintf(w, "       %s\n", c)
		}
	}
}

// wrap breaks s into lines of at most width runes, each with indent.
func wrap(s string, width int, indent string) string {
	var b strings.Builder
	line := indent
	for _, word := range strings.Fields(s) {
		if len([]rune(line))+len([]rune(word))+1 > width && strings.TrimSpace(line) != "" {
			b.WriteString(line + "\n")
			line = indent
		}
		if strings.TrimSpace(line) != "" {
			line += " "
		}
		line += word
	}
	b.WriteString(line)
	return b.String()
}

// flagError names the flag an endpoint error is about as the command line
// spells it: the analyzer's "to: give a port" is "--to: give a port" here
// (in a scenario's expect: list, from: and to: are the keys).
func flagError(err error) error {
	msg := err.Error()
	for _, name := range []string{"from", "to"} {
		if rest, ok := strings.CutPrefix(msg, name+": "); ok {
			return fmt.Errorf("--%s: %s", name, rest)
		}
	}
	return err
}

// endpointBase is a --from or --to endpoint without its :PORT.
func endpointBase(spec string) string {
	if i := strings.LastIndexByte(spec, ':'); i > 0 && allDigitsCLI(spec[i+1:]) {
		return spec[:i]
	}
	return spec
}

// probeExample is an example of --from and --to for the SOURCE a probe
// without them was given: the first way in from the internet that
// exposure finds (an example of another system's address misled), else
// the form.
func probeExample(src string, sf sourceFlags) string {
	sf.Quiet = true
	s, err := openSource(src, sf)
	if err != nil {
		return "e.g. --from internet --to ADDRESS:PORT"
	}
	st, _ := s.Engine.Snapshot()
	for _, e := range reach.Exposure(reach.Compile(st)).Entries {
		if e.PublicIP.Is4() {
			return "e.g. --from internet --to " + netip.AddrPortFrom(e.PublicIP, e.Ports.From).String() + ", a way in that ecsnet exposure lists"
		}
	}
	return "e.g. --from internet --to ADDRESS:PORT, or --from and --to an instance, task, service or load balancer by name"
}
