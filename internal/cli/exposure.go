package cli

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/reach"
)

// exposureOptions are ecsnet exposure's flags.
type exposureOptions struct {
	Source      string
	Output      string
	SourceFlags sourceFlags
}

func runExposure(stdio IO, args []string) int {
	fs := newFlags(stdio, "exposure", "exposure SOURCE... [--param K=V] [--base SOURCE] [--output text|json]")
	var o exposureOptions
	fs.outputFlag(&o.Output, "text", "json")
	o.SourceFlags.add(fs.FlagSet)
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
	fmt.Fprintf(stdio.Out, "%s\n\n", wrap(rep.Summary, 100, ""))
	for _, e := range rep.Entries {
		ports := fmt.Sprint(e.Ports.From)
		if e.Ports.To != e.Ports.From {
			ports = fmt.Sprintf("%d-%d", e.Ports.From, e.Ports.To)
		}
		what := e.Kind + " " + e.Resource.Label()
		if e.Rule != "" {
			what += " " + e.Rule
		}
		fmt.Fprintf(stdio.Out, "%-15s %s/%-11s %-9s %s: %s\n", e.PublicIP, e.Protocol, ports, verdictWord(stdio, e.Verdict), what, e.Summary)
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
	}
	if len(rep.PrivateLink) > 0 {
		fmt.Fprintf(stdio.Out, "\n%s\n", stdio.paint("bold", "endpoint services (AWS PrivateLink):"))
		for _, x := range rep.PrivateLink {
			fmt.Fprintln(stdio.Out, wrap(x.Summary, 100, "    "))
		}
	}
	return ExitOK
}
