package cli

import (
	"errors"
	"flag"
	"fmt"
	"github.com/ecsnet/ecsnet/internal/suggest"
	"io"
	"slices"
	"strings"
)

// flags is a command's flag set, with the conventions of gh, kubectl and
// the aws CLI: flags spelled --name (a single dash works too), -o for
// --output, help on stdout when asked for, and on a mistake a one-line
// error with a "did you mean" on stderr.
type flags struct {
	*flag.FlagSet
	stdio IO
	cmd   string
	usage string
	// outputs are the formats --output takes (none when the command has
	// no --output).
	outputs []string
	output  *string
	// aliases maps a short flag to its long name (o → output).
	aliases map[string]string
	// elsewhere maps a flag of another tool, as its users type it, to
	// what to give here instead (serve: moto_server's --port).
	elsewhere map[string]string
}

// newFlags returns the flag set of command cmd; usageLine follows
// "ecsnet " in its help.
func newFlags(stdio IO, cmd, usageLine string) *flags {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := &flags{FlagSet: fs, stdio: stdio, cmd: cmd, usage: usageLine, aliases: map[string]string{}}
	fs.Usage = func() {}
	return f
}

// outputFlag adds --output (and -o) with the formats it takes, the first
// the default.
func (f *flags) outputFlag(p *string, formats ...string) {
	f.outputs, f.output = formats, p
	f.StringVar(p, "output", formats[0], "output format: "+strings.Join(formats, ", "))
	f.StringVar(p, "o", formats[0], "")
	f.aliases["o"] = "output"
}

// parse parses flags that may come before, between or after the
// positional arguments (ecsnet probe FILE --from x --to y) and returns the
// positionals. -h prints the help on stdout and returns flag.ErrHelp; any
// other mistake is said on stderr. Hand errors to flagExit.
func (f *flags) parse(args []string) ([]string, error) {
	var pos []string
	for {
		if err := f.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				f.printHelp(f.stdio.Out)
				return nil, err
			}
			f.mistake(err)
			return nil, err
		}
		if f.NArg() == 0 {
			break
		}
		pos = append(pos, f.Arg(0))
		args = f.Args()[1:]
	}
	if f.output != nil && !slices.Contains(f.outputs, *f.output) {
		err := fmt.Errorf("--output must be one of %s, not %q%s", strings.Join(f.outputs, ", "), *f.output, didYouMean(*f.output, f.outputs))
		f.say(err.Error())
		return nil, err
	}
	return pos, nil
}

// mistake says what is wrong with the flags, with a suggestion.
func (f *flags) mistake(err error) {
	msg := err.Error()
	const undefined = "flag provided but not defined: "
	if name, ok := strings.CutPrefix(msg, undefined); ok {
		name = strings.TrimLeft(name, "-")
		var known []string
		f.VisitAll(func(fl *flag.Flag) { known = append(known, fl.Name) })
		dash := "--"
		if len(name) == 1 {
			dash = "-" // a short flag: -o, -q
		}
		msg = fmt.Sprintf("unknown flag %s%s%s", dash, name, didYouMean(name, known, "--"))
		// Terraform's own flags, as its users type them.
		if tf := map[string]string{"var": "param", "var-file": "parameters"}[name]; tf != "" && slices.Contains(known, tf) {
			msg = fmt.Sprintf("unknown flag --%s (Terraform's -%s is --%s here)", name, name, tf)
		}
		if hint := f.elsewhere[name]; hint != "" {
			msg = fmt.Sprintf("unknown flag %s%s (%s)", dash, name, hint)
		}
	} else if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		name = strings.TrimLeft(name, "-")
		if long := f.aliases[name]; long != "" {
			name = long // -o is --output
		}
		msg = fmt.Sprintf("flag --%s needs a value", name)
		if name == "output" && len(f.outputs) > 0 {
			msg += " (" + strings.Join(f.outputs, ", ") + ")"
		}
	} else if rest, ok := strings.CutPrefix(msg, "invalid boolean value "); ok {
		// flag's "invalid boolean value "x" for -strict: parse error"
		value, name, _ := strings.Cut(rest, " for -")
		name, _, _ = strings.Cut(name, ":")
		msg = fmt.Sprintf("--%s takes true or false, not %s (or give --%s alone for true)", name, value, name)
	} else if strings.HasPrefix(msg, "invalid value ") {
		msg = strings.Replace(msg, " for flag -", " for flag --", 1)
	}
	f.say(msg)
}

func (f *flags) say(msg string) {
	fmt.Fprintf(f.stdio.Err, "ecsnet %s: %s\nRun 'ecsnet help %s' for usage.\n", f.cmd, msg, f.cmd)
}

// printHelp writes the command's help: usage, summary, flags, examples.
func (f *flags) printHelp(w io.Writer) {
	c := commandNamed(f.cmd)
	fmt.Fprintf(w, "Usage: ecsnet %s\n", f.usage)
	if c != nil {
		fmt.Fprintf(w, "\n%s\n", wrap(capitalize(c.summary), 100, ""))
	}
	fmt.Fprintln(w, "\nFlags:")
	type row struct{ name, usage string }
	var rows []row
	width := 0
	f.VisitAll(func(fl *flag.Flag) {
		if _, isAlias := f.aliases[fl.Name]; isAlias {
			return
		}
		typ, usage := flag.UnquoteUsage(fl)
		name := "--" + fl.Name
		for short, long := range f.aliases {
			if long == fl.Name {
				name = "-" + short + ", " + name
			}
		}
		if len(fl.Name) == 1 {
			name = "-" + fl.Name
		}
		if typ == "value" {
			typ = "VALUE" // a repeatable flag (its usage says its form)
		}
		if typ != "" {
			name += " " + typ
		}
		switch def := fl.DefValue; {
		case def == "" || def == "false" || def == "0" || def == "[]":
		case typ == "string":
			usage += fmt.Sprintf(" (default %q)", def)
		default:
			usage += " (default " + def + ")"
		}
		rows = append(rows, row{name, usage})
		width = max(width, len(name))
	})
	rows = append(rows, row{"--color WHEN", "colour: auto (on a terminal, unless NO_COLOR is set), always or never"})
	// Each flag's words wrapped at 100 columns, under the words' column,
	// as a terminal of that width shows them.
	indent := strings.Repeat(" ", width+4)
	for _, r := range rows {
		fmt.Fprintf(w, "  %-*s  %s\n", width, r.name, strings.TrimPrefix(wrap(r.usage, 100, indent), indent))
	}
	if c != nil && len(c.examples) > 0 {
		fmt.Fprintln(w, "\nExamples:")
		for _, ex := range c.examples {
			fmt.Fprintf(w, "  %s\n", ex)
		}
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// flagExit is the exit code after a flag error: 0 for -h, else bad input.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	return ExitBadInput
}

// didYouMean suggests the known word closest to s, as ` (did you mean
// x?)`, or "". prefix is put before the suggestion (-- for flags).
func didYouMean(s string, known []string, prefix ...string) string {
	best, ok := suggest.Closest(s, known)
	if !ok {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s%s?)", strings.Join(prefix, ""), best)
}
