package cli

import (
	"fmt"
	"net/netip"
	"strings"

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
	// An entry point that fails is said once, in full, under its heading:
	// its line in the table points there.
	failing := map[string]bool{}
	key := func(e reach.ExposureEntry) string {
		return fmt.Sprint(e.PublicIP, e.Protocol, e.Ports, e.Resource.Label(), e.Rule)
	}
	for _, e := range rep.Failing {
		failing[key(e)] = true
	}
	for _, e := range rep.Entries {
		ports := fmt.Sprint(e.Ports.From)
		if e.Ports.To != e.Ports.From {
			ports = fmt.Sprintf("%d-%d", e.Ports.From, e.Ports.To)
		}
		what := e.Kind + " " + e.Resource.Label()
		if e.Rule != "" {
			what += " " + e.Rule
		}
		summary := e.Summary
		if failing[key(e)] {
			summary = "fails: see below"
		}
		fmt.Fprintf(stdio.Out, "%-15s %s/%-11s %-9s %s: %s\n", e.PublicIP, e.Protocol, ports, verdictWord(stdio, e.Verdict), what, summary)
	}
	if len(rep.Failing) > 0 {
		fmt.Fprintf(stdio.Out, "\n%s\n", stdio.paint("bold", "internet-facing entry points that fail:"))
		for _, e := range rep.Failing {
			what := e.Kind + " " + e.Resource.Label()
			if e.Rule != "" {
				what += " " + e.Rule
			}
			cause := ""
			if e.Cause != "" {
				cause = " [" + e.Cause + "]"
			}
			fmt.Fprintf(stdio.Out, "%-15s %s/%-11d %-9s %s%s\n", e.PublicIP, e.Protocol, e.Ports.From, verdictWord(stdio, e.Verdict), what, cause)
			fmt.Fprintln(stdio.Out, wrap(e.Summary, 100, "    "))
		}
		// The next step: the path hop by hop and the verified fixes.
		e := rep.Failing[0]
		to := netip.AddrPortFrom(e.PublicIP, e.Ports.From).String()
		fmt.Fprintf(stdio.Out, "\nthe path hop by hop and verified fixes: ecsnet probe %s --from internet --to %s\n", probeArgs(o.Args), to)
	}
	if len(rep.PrivateLink) > 0 {
		fmt.Fprintf(stdio.Out, "\n%s\n", stdio.paint("bold", "endpoint services (AWS PrivateLink):"))
		for _, x := range rep.PrivateLink {
			fmt.Fprintln(stdio.Out, wrap(x.Summary, 100, "    "))
		}
	}
	return ExitOK
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

// shellWord quotes s for a POSIX shell when it needs it.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,@%+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
