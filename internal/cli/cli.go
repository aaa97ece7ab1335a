// Package cli is ecsnet's command line: one file per command, each with an
// options struct, a flag parser and a run function that does the work.
package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Exit codes.
const (
	ExitOK       = 0
	ExitFailed   = 1 // an expectation or an error-level finding failed
	ExitBadInput = 2 // bad flags, a bad scenario, a missing file
)

// IO is where a command reads and writes.
type IO struct {
	Out, Err io.Writer
	// Color is set when Out is a terminal and NO_COLOR is unset.
	Color bool
}

// command is one ecsnet subcommand.
type command struct {
	name    string
	summary string
	run     func(io IO, args []string) int
}

func commands() []command {
	return []command{
		{"serve", "serve the AWS APIs (EC2, ECS, ELBv2, Auto Scaling) on one port", runServe},
		{"demo", "the article's story on its system: the failing curl, why, and each remedy, verified", runDemo},
		{"show", "print the system a SOURCE describes, as a tree (or JSON)", runShow},
		{"collect", "take a snapshot of an AWS account (or an emulator) into a folder", runCollect},
		{"probe", "can X reach Y? the verdict, the path hop by hop, and verified fixes", runProbe},
		{"check", "validate SOURCEs, lint them and assert their expect: lists (exit 1 on failure)", runCheck},
		{"exposure", "everything the internet can reach in a SOURCE, and by which path", runExposure},
		{"ui", "open a SOURCE in the web UI: the system drawn, probes on it, fixes tried on a copy", runUI},
		{"version", "print ecsnet's version", runVersion},
	}
}

// Main runs ecsnet with os.Args and returns the exit code.
func Main() int {
	stdio := IO{Out: os.Stdout, Err: os.Stderr, Color: isTerminal(os.Stdout) && os.Getenv("NO_COLOR") == ""}
	return Run(stdio, os.Args[1:])
}

// Run runs ecsnet with the given arguments.
func Run(stdio IO, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdio.Out)
		if len(args) == 0 {
			return ExitBadInput
		}
		return ExitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(stdio, args[1:])
		}
	}
	fmt.Fprintf(stdio.Err, "ecsnet: unknown command %q\n\n", args[0])
	usage(stdio.Err)
	return ExitBadInput
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "ecsnet: a faithful twin of AWS ECS networking that fails the way AWS fails.")
	fmt.Fprintln(w, "\nUsage: ecsnet <command> [arguments]\n\nCommands:")
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'ecsnet <command> -h' for a command's flags. Start with: ecsnet demo")
}

// version is set at build time with -ldflags "-X …cli.version=…".
var version = "dev"

func runVersion(stdio IO, args []string) int {
	fmt.Fprintln(stdio.Out, "ecsnet", version)
	return ExitOK
}

// parseFlags parses flags that may come before, between or after the
// positional arguments (ecsnet probe FILE --from x --to y) and returns the
// positionals. Errors (and -h) are printed with the command's usage; hand
// them to flagExit.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// flagExit is the exit code after a flag error: 0 for -h, else bad input.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	return ExitBadInput
}

// newFlags returns a flag set that reports errors to stdio.Err.
func newFlags(stdio IO, name, usageLine string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stdio.Err)
	fs.Usage = func() {
		fmt.Fprintf(stdio.Err, "Usage: ecsnet %s\n\nFlags:\n", usageLine)
		fs.PrintDefaults()
	}
	return fs
}

// outputFlag adds --output text|json.
func outputFlag(fs *flag.FlagSet) *string {
	return fs.String("output", "text", "output format: text or json")
}

func checkOutput(stdio IO, output string) bool {
	if output != "text" && output != "json" {
		fmt.Fprintf(stdio.Err, "ecsnet: --output must be text or json, not %q\n", output)
		return false
	}
	return true
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// fail prints err and returns the exit code for bad input.
func fail(stdio IO, err error) int {
	fmt.Fprintln(stdio.Err, "ecsnet:", err)
	return ExitBadInput
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// paint wraps s in an ANSI color when stdio.Color is set.
func (stdio IO) paint(color, s string) string {
	if !stdio.Color {
		return s
	}
	code := map[string]string{"red": "31", "green": "32", "yellow": "33", "blue": "34", "dim": "2", "bold": "1"}[color]
	if code == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

var errNoSource = errors.New("no SOURCE given: pass a scenario file (e.g. examples/seed/article.yaml)")

// oneSource returns the SOURCE of a command that reads one system.
// Several positionals are several templates of that system (ecsnet probe
// network.yaml cluster.yaml service.yaml …), as if joined with commas.
func oneSource(pos []string) (string, error) {
	if len(pos) == 0 {
		return "", errNoSource
	}
	for _, p := range pos {
		if strings.Contains(p, ",") && len(pos) > 1 {
			return "", fmt.Errorf("give several templates either as separate arguments or joined with commas, not both: %s", strings.Join(pos, " "))
		}
	}
	return strings.Join(pos, ","), nil
}
