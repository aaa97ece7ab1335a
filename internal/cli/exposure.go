package cli

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// exposureOptions are ecsnet exposure's flags.
type exposureOptions struct {
	Source      string
	Output      string
	SourceFlags sourceFlags
	// Args are the command's arguments, for the probe it suggests.
	Args []string
}

func runExposure(stdio IO, args []string) int {
	fs := newFlags(stdio, "exposure", "exposure SOURCE... [--param K=V] [--base SOURCE] [--output text|json]")
	var o exposureOptions
	fs.outputFlag(&o.Output, "text", "json")
	o.SourceFlags.add(fs.FlagSet)
	o.Args = args
	pos, ferr := fs.parse(args)
	if ferr != nil {
		return flagExit(ferr)
	}
	src, err := oneSource(pos)
	if err != nil {
		return failAs(stdio, o.Output, err)
	}
	o.Source = src
	s, err := openSource(o.Source, o.SourceFlags)
	if err != nil {
		return failAs(stdio, o.Output, err)
	}
	s.warn(stdio, o.SourceFlags)
	st, _ := s.Engine.Snapshot()
	rep := reach.Exposure(reach.Compile(st))
	if o.Output == "json" {
		if err := writeDoc(stdio.Out, "exposure", rep); err != nil {
			return failAs(stdio, o.Output, err)
		}
		return ExitOK
	}
	stdio = s.relabeledIO(stdio)
	fmt.Fprintf(stdio.Out, "%s\n\n", wrap(rep.Summary, 100, ""))
	if len(rep.Entries) == 0 && len(rep.Failing) == 0 {
		// Nothing to list: say what that means and what to run next.
		fmt.Fprintln(stdio.Out, wrap("Nothing in this system answers a client on the internet: no network interface "+
			"with a public IPv4 or IPv6 address, in a VPC with an internet gateway, has a security group rule that admits one.", 100, ""))
		fmt.Fprintf(stdio.Out, "\nwhy a resource is not reachable, hop by hop with verified fixes: ecsnet probe %s --from internet --to %s\n",
			probeArgs(o.Args), exposureTarget(st))
	}
	// An entry point that fails is said once, in full, under its heading:
	// its line in the table points there.
	failing := map[string]bool{}
	key := func(e reach.ExposureEntry) string {
		return fmt.Sprint(e.PublicIP, e.Protocol, e.Ports, e.Resource.Label(), e.Rule)
	}
	for _, e := range rep.Failing {
		failing[key(e)] = true
	}
	// A line per way in: address, port, verdict, what answers and, after
	// an arrow, where it leads and what admits it (on the next line when
	// it does not fit). JSON has each entry's whole summary.
	portsOf := func(e reach.ExposureEntry) string {
		if e.Ports.To != e.Ports.From {
			return fmt.Sprintf("%s/%d-%d", e.Protocol, e.Ports.From, e.Ports.To)
		}
		return fmt.Sprintf("%s/%d", e.Protocol, e.Ports.From)
	}
	width, portWidth := 15, 7
	for _, e := range rep.Entries {
		width, portWidth = max(width, len(e.PublicIP.String())), max(portWidth, len(portsOf(e)))
	}
	for _, e := range rep.Entries {
		ports := portsOf(e)
		what := e.Kind + " " + e.Resource.Label()
		if e.Rule != "" {
			what += " " + e.Rule
		}
		detail := exposureDetail(e)
		if failing[key(e)] {
			detail = "fails: see below"
		}
		row := fmt.Sprintf("%-*s %-*s %-9s %s", width, e.PublicIP, portWidth, ports, verdictLabel(e.Verdict), what)
		colored := fmt.Sprintf("%-*s %-*s %s%s %s", width, e.PublicIP, portWidth, ports, verdictWord(stdio, e.Verdict),
			strings.Repeat(" ", max(0, 9-len(verdictLabel(e.Verdict)))), what)
		if len([]rune(row))+3+len([]rune(detail)) <= 100 {
			fmt.Fprintf(stdio.Out, "%s → %s\n", colored, detail)
			continue
		}
		fmt.Fprintln(stdio.Out, colored)
		fmt.Fprintln(stdio.Out, stdio.paint("dim", wrap("→ "+detail, 100, "    ")))
	}
	if len(rep.Failing) > 0 {
		if len(rep.Entries) > 0 {
			fmt.Fprintln(stdio.Out)
		}
		fmt.Fprintln(stdio.Out, stdio.paint("bold", "internet-facing entry points that fail:"))
		for _, e := range rep.Failing {
			what := e.Kind + " " + e.Resource.Label()
			if e.Rule != "" {
				what += " " + e.Rule
			}
			cause := ""
			if e.Cause != "" {
				cause = " [" + e.Cause + "]"
			}
			fmt.Fprintf(stdio.Out, "%-*s %-*s %s%s %s%s\n", width, e.PublicIP, portWidth, fmt.Sprintf("%s/%d", e.Protocol, e.Ports.From), verdictWord(stdio, e.Verdict),
				strings.Repeat(" ", max(0, 9-len(verdictLabel(e.Verdict)))), what, cause)
			fmt.Fprintln(stdio.Out, wrap(e.Summary, 100, "    "))
		}
		// The next step: the path hop by hop and the verified fixes, a
		// probe for each entry point that fails (one listener's rules are
		// told apart by the request each matches).
		var next []string
		seen := map[string]bool{}
		for _, e := range rep.Failing {
			cmd := "ecsnet probe " + probeArgs(o.Args) + " --from internet --to " +
				netip.AddrPortFrom(e.PublicIP, e.Ports.From).String() + ruleRequestFlags(e)
			if !seen[cmd] {
				seen[cmd] = true
				next = append(next, cmd)
			}
		}
		if len(next) == 1 {
			fmt.Fprintf(stdio.Out, "\nthe path hop by hop and verified fixes: %s\n", next[0])
		} else {
			fmt.Fprintf(stdio.Out, "\nthe paths hop by hop and verified fixes:\n")
			for _, cmd := range next {
				fmt.Fprintf(stdio.Out, "  %s\n", cmd)
			}
		}
	}
	if len(rep.PrivateLink) > 0 {
		fmt.Fprintf(stdio.Out, "\n%s\n", stdio.paint("bold", "endpoint services (AWS PrivateLink):"))
		for _, x := range rep.PrivateLink {
			fmt.Fprintln(stdio.Out, wrap(x.Summary, 100, "    "))
		}
	}
	return ExitOK
}

// exposureTarget is what the next step of an empty exposure probes: an
// internet-facing load balancer, else any load balancer, else a service;
// NAME when the system has none of them.
func exposureTarget(st *model.State) string {
	var facing, lbs, services []string
	for _, lb := range st.LoadBalancers {
		lbs = append(lbs, lb.Name)
		if lb.Scheme == "internet-facing" {
			facing = append(facing, lb.Name)
		}
	}
	for _, s := range st.Services {
		services = append(services, s.Name)
	}
	for _, names := range [][]string{facing, lbs, services} {
		if len(names) > 0 {
			slices.Sort(names)
			return shellWord(names[0])
		}
	}
	return "NAME"
}

// probeArgs are exposure's arguments as probe takes them: the SOURCE and
// its flags, without --output (probe's text is the next step) and quoted
// for a POSIX shell.
func probeArgs(args []string) string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-o" || a == "--output" || a == "-output":
			i++
			continue
		case strings.HasPrefix(a, "-o=") || strings.HasPrefix(a, "--output=") || strings.HasPrefix(a, "-output="):
			continue
		}
		out = append(out, shellWord(a))
	}
	return strings.Join(out, " ")
}

// ruleRequestFlags are the probe flags that send an entry's request to
// the listener rule it names (" --host www.example.com --path /api/x"):
// none for the default action, whose request is the load balancer's own
// name and "/".
func ruleRequestFlags(e reach.ExposureEntry) string {
	if e.Rule == "" || e.Request == "" {
		return ""
	}
	method, target, ok := strings.Cut(e.Request, " ")
	if !ok {
		return ""
	}
	host, path := target, "/"
	if i := strings.Index(target, "/"); i >= 0 {
		host, path = target[:i], target[i:]
	}
	var flags string
	if host != "" {
		flags += " --host " + shellWord(host)
	}
	if path != "/" {
		flags += " --path " + shellWord(path)
	}
	if method != "" && method != "GET" {
		flags += " --method " + shellWord(method)
	}
	return flags
}

// shellWord quotes s for a POSIX shell when it needs it.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,@%+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// verdictLabel is a verdict as verdictWord writes it, without colour.
func verdictLabel(v reach.Verdict) string { return verdictWord(IO{}, v) }

var (
	// exposureLead is what an entry's summary repeats of its line: the
	// verdict, then the address and port ("connected: 203.0.113.2
	// tcp/22 ").
	exposureLead = regexp.MustCompile(`^[a-z0-9 ]+: (?:[0-9a-f.:]+ (?:tcp|udp|icmp|icmpv6)/[0-9-]+ )?`)
	// exposureRule is the security group rule that admits the entry, as
	// the summary says it; the line says it shorter.
	exposureRule = regexp.MustCompile(`; security group \S+ allows \S+(?: \(all\))? from \S+`)
	// exposureOpenBut is a refused entry's summary's lead.
	exposureOpenBut = regexp.MustCompile(`^is open to \S+ but `)
	// exposureForward is a load balancer entry's summary that reaches a
	// target: the listener (and the rule the line names), the target.
	exposureForward = regexp.MustCompile(`^\S+ accepts the (?:request|connection) on \S+(?: \((?:[^()]|\([^()]*\))*\))? and forwards it to (?:target|the InService instance) (\S+) \(([^)]+)\)(?: of (\S+))?, which accepts the connection\.\s*`)
)

// exposureDetail is the part of an entry's summary its line does not
// say already: where the way in leads and what admits it.
func exposureDetail(e reach.ExposureEntry) string {
	s := exposureLead.ReplaceAllString(e.Summary, "")
	if m := exposureForward.FindStringSubmatch(s); m != nil {
		lead := m[2] + " at " + m[1]
		if m[3] != "" {
			lead += " (target group " + m[3] + ")"
		}
		if rest := strings.TrimSpace(s[len(m[0]):]); rest != "" {
			lead += ". " + rest
		}
		return lead
	}
	// "is open to 0.0.0.0/0 but nothing listens": the rule says to whom.
	s = exposureOpenBut.ReplaceAllString(s, "")
	if r := e.SecurityGroupRule; r != nil && exposureRule.MatchString(s) {
		name := r.SecurityGroupName
		if name == "" {
			name = r.SecurityGroupID
		}
		s = exposureRule.ReplaceAllString(s, "") + ", open to " + e.Source.String() + " by " + name
		s = strings.Replace(s, ", open to", "; open to", 1)
	}
	return strings.TrimPrefix(s, "reaches ")
}
