// Package cli is ecsnet's command line: one file per command, each with an
// options struct, a flag parser and a run function that does the work.
package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/ecsnet/ecsnet/internal/dataplane"
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
	// Color is set when Out gets ANSI colours (a terminal and NO_COLOR
	// unset, or --color=always); ErrColor likewise for Err.
	Color, ErrColor bool
}

// errIO is stdio with Err as its output stream (and Err's colour).
func (stdio IO) errIO() IO {
	return IO{Out: stdio.Err, Err: stdio.Err, Color: stdio.ErrColor, ErrColor: stdio.ErrColor}
}

// command is one ecsnet subcommand.
type command struct {
	name     string
	summary  string
	run      func(io IO, args []string) int
	examples []string
}

func commands() []command {
	return []command{
		{"serve", "serve the AWS APIs of ECS networking (EC2, ECS, ELB, Auto Scaling, CloudFormation, Route 53, IAM and more: docs/coverage.md) on one port", runServe, []string{
			"ecsnet serve                                  # 127.0.0.1:4566, state in ~/.local/share/ecsnet/state.db",
			"ecsnet serve --ephemeral --scenario examples/seed/article.yaml",
			"ecsnet serve --addr 127.0.0.1:4566 --state ./state.db --no-default-vpc",
		}},
		{"demo", "the article's story on its system: the failing curl, why, and each remedy, verified", runDemo, []string{
			"ecsnet demo",
		}},
		{"show", "print the system a SOURCE describes, as a tree (or JSON)", runShow, []string{
			"ecsnet show examples/seed/article.yaml",
			"ecsnet show examples/cfn/article.yaml --output json",
			"ecsnet show examples/terraform/article",
		}},
		{"collect", "take a snapshot of an AWS account (or an emulator) into a folder", runCollect, []string{
			"ecsnet collect --region us-east-1 --out ./snap",
			"ecsnet collect --profile prod --region eu-west-1 --out ./snap",
			"ecsnet collect --endpoint-url http://127.0.0.1:4566 --out ./snap",
		}},
		{"probe", "can X reach Y? the verdict, the path hop by hop, and verified fixes", runProbe, []string{
			"ecsnet probe examples/seed/article.yaml --from internet --to 203.0.113.2:3000",
			"ecsnet probe examples/seed/alb.yaml --from internet --to web-alb:80 --expect 'http 200'",
			"ecsnet probe examples/seed/article.yaml --from ecs-asg/0 --to web/0 -o json",
			"ecsnet probe examples/seed/article.yaml --from ecs-asg/0 --to web/0 --protocol icmp --expect timeout",
		}},
		{"check", "validate SOURCEs, lint them and assert their expect: lists (exit 1 on failure)", runCheck, []string{
			"ecsnet check examples/seed/*.yaml",
			"ecsnet check examples/seed/*.yaml --output sarif > ecsnet.sarif",
			"ecsnet check examples/failures/*.yaml -o junit > ecsnet-junit.xml",
			"ecsnet check examples/seed/*.yaml -o github     # in GitHub Actions: annotations on the pull request's files",
			"ecsnet check examples/terraform                # a folder: each scenario, template and Terraform root module in it",
		}},
		{"exposure", "everything the internet can reach in a SOURCE, and by which path", runExposure, []string{
			"ecsnet exposure examples/seed/article.yaml",
			"ecsnet exposure examples/cfn/article.yaml -o json",
		}},
		{"ui", "open a SOURCE in the web UI: the system drawn, probes on it, fixes tried on a copy", runUI, []string{
			"ecsnet ui examples/seed/article.yaml --open",
			"ecsnet ui examples/cfn/article.yaml --addr 127.0.0.1:8080",
		}},
		{"up", "run a SOURCE's network for real in Linux network namespaces (root): real packets, real timeouts", runUp, []string{
			"sudo ecsnet up examples/seed/article.yaml",
			"sudo ecsnet exec internet -- curl -m 3 http://203.0.113.2:3000   # times out, as in the article",
			"sudo ecsnet up examples/seed/alb.yaml --name alb -o json",
		}},
		{"exec", "run a command inside a node of a system that is up (internet, an instance, a task, an ENI)", runExec, []string{
			"sudo ecsnet exec internet -- curl -m 3 http://203.0.113.2:3000",
			"sudo ecsnet exec ecs-asg/0 -- curl -m 3 http://10.0.1.5:3000",
			"sudo ecsnet exec --name alb internet -- curl -s http://web-alb-1145110589.us-east-1.elb.amazonaws.com/",
		}},
		{"down", "remove a system brought up by ecsnet up (idempotent, works after a crash)", runDown, []string{
			"sudo ecsnet down",
			"sudo ecsnet down --name alb",
		}},
		{"version", "print ecsnet's version, and the Go and VCS details it was built with", runVersion, []string{
			"ecsnet version",
			"ecsnet --version",
		}},
		{"help", "print the help of ecsnet or of a command", runHelp, []string{
			"ecsnet help probe",
		}},
	}
}

// commandNamed returns the command called name, or nil.
func commandNamed(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return &c
		}
	}
	return nil
}

// Main runs ecsnet with os.Args and returns the exit code. Colour is
// decided per stream: --color=always|never wins, then NO_COLOR, then
// whether the stream is a terminal.
func Main() int {
	args, when, err := colorFlag(os.Args[1:])
	stdio := IO{Out: os.Stdout, Err: os.Stderr}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ecsnet:", err)
		return ExitBadInput
	}
	noColor := os.Getenv("NO_COLOR") != ""
	decide := func(f *os.File) bool {
		switch when {
		case "always":
			return true
		case "never":
			return false
		}
		return !noColor && isTerminal(f)
	}
	stdio.Color, stdio.ErrColor = decide(os.Stdout), decide(os.Stderr)
	return Run(stdio, args)
}

// colorFlag takes --color[=WHEN] out of args, wherever it stands.
func colorFlag(args []string) ([]string, string, error) {
	when := "auto"
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			out = append(out, args[i:]...)
			break
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "color" {
			out = append(out, a)
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return nil, "", fmt.Errorf("--color needs a value: auto, always or never")
			}
			i++
			val = args[i]
		}
		switch val {
		case "auto", "always", "never":
			when = val
		default:
			return nil, "", fmt.Errorf("--color must be auto, always or never, not %q", val)
		}
	}
	return out, when, nil
}

// Run runs ecsnet with the given arguments.
func Run(stdio IO, args []string) int {
	if len(args) == 0 {
		usage(stdio.Err)
		return ExitBadInput
	}
	switch args[0] {
	case "-h", "--help":
		usage(stdio.Out)
		return ExitOK
	case "--version", "-version":
		return runVersion(stdio, nil)
	}
	if c := commandNamed(args[0]); c != nil {
		return c.run(stdio, args[1:])
	}
	if args[0] == dataplane.ServeCommand { // hidden: ecsnet up's background process
		return runDataplaneServe(stdio, args[1:])
	}
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	if strings.HasPrefix(args[0], "-") && len(args[0]) > 1 {
		// ecsnet -v, ecsnet --output json: a flag before any command.
		fmt.Fprintf(stdio.Err, "ecsnet: %s is not a command: flags follow the command (ecsnet probe SOURCE %s …)\nRun 'ecsnet help' for the commands.\n", args[0], args[0])
		return ExitBadInput
	}
	fmt.Fprintf(stdio.Err, "ecsnet: unknown command %q%s\nRun 'ecsnet help' for the commands.\n", args[0], didYouMean(args[0], names))
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
	fmt.Fprintln(w, "\nRun 'ecsnet help <command>' for a command's flags and examples. Start with: ecsnet demo")
	fmt.Fprintln(w, "Exit codes: 0 success, 1 a probe, expectation or finding failed, 2 bad input (docs/cli.md).")
}

// runHelp prints the help of ecsnet, or of the command named.
func runHelp(stdio IO, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		usage(stdio.Out)
		return ExitOK
	}
	c := commandNamed(args[0])
	if c == nil || c.name == "help" {
		var names []string
		for _, c := range commands() {
			names = append(names, c.name)
		}
		fmt.Fprintf(stdio.Err, "ecsnet help: no command %q%s\n", args[0], didYouMean(args[0], names))
		return ExitBadInput
	}
	return c.run(stdio, []string{"-h"})
}

// version is set at build time with -ldflags "-X …cli.version=…"; when
// it is not, the module's version from the build info is used.
var version = ""

func runVersion(stdio IO, args []string) int {
	fs := newFlags(stdio, "version", "version")
	pos, err := fs.parse(args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) > 0 {
		return fail(stdio, fmt.Errorf("version takes no arguments, got %s", strings.Join(pos, " ")))
	}
	fmt.Fprintln(stdio.Out, versionLine())
	return ExitOK
}

// versionLine says which ecsnet this is: its version (from -ldflags, or
// the module version go install records), the commit and its time, and
// the Go release.
func versionLine() string {
	v, rev, when, dirty := version, "", "", false
	goVersion := runtime.Version()
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" && bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	line := "ecsnet " + v
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		line += " (" + rev
		if dirty {
			line += ", modified"
		}
		if when != "" {
			line += ", " + when
		}
		line += ")"
	}
	return line + " " + goVersion + " " + runtime.GOOS + "/" + runtime.GOARCH
}

// SchemaVersion is the version of every JSON document ecsnet prints
// (docs/json.md): it changes only when a field changes meaning or goes
// away, never when one is added.
const SchemaVersion = 1

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writeDoc prints a JSON document of the given kind: v's fields with
// "schemaVersion" and "kind" first.
func writeDoc(w io.Writer, kind string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return err
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "{\"schemaVersion\":%d,\"kind\":%q", SchemaVersion, kind)
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	// Keep v's field order: encoding/json marshals struct fields in order.
	order := fieldOrder(b)
	sort.SliceStable(keys, func(i, j int) bool { return order[keys[i]] < order[keys[j]] })
	for _, k := range keys {
		kb, _ := json.Marshal(k)
		fmt.Fprintf(&out, ",%s:%s", kb, fields[k])
	}
	out.WriteByte('}')
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, out.Bytes(), "", "  "); err != nil {
		return err
	}
	pretty.WriteByte('\n')
	_, err = w.Write(pretty.Bytes())
	return err
}

// fieldOrder returns the position of each top-level key of a JSON object.
func fieldOrder(b []byte) map[string]int {
	order := map[string]int{}
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return order
	}
	for i := 0; dec.More(); i++ {
		t, err := dec.Token()
		if err != nil {
			return order
		}
		if k, ok := t.(string); ok {
			order[k] = i
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return order
		}
	}
	return order
}

// fail prints err and returns the exit code for bad input.
func fail(stdio IO, err error) int {
	fmt.Fprintln(stdio.Err, "ecsnet:", err)
	return ExitBadInput
}

// failAs reports err in the command's output format: with --output json
// it is a JSON document on stdout ({"kind": "error"}), so a pipeline that
// parses the output gets it; with check's --output github an ::error
// workflow command; otherwise as fail does.
func failAs(stdio IO, output string, err error) int {
	if output == "github" {
		// An annotation too, so that the run's summary says why the step
		// failed.
		fmt.Fprintln(stdio.Out, githubCommand("error", "", 0, "ecsnet", err.Error()))
		return ExitBadInput
	}
	if output != "json" {
		return fail(stdio, err)
	}
	_ = writeDoc(stdio.Out, "error", struct {
		Error struct {
			Message  string `json:"message"`
			ExitCode int    `json:"exitCode"`
		} `json:"error"`
	}{Error: struct {
		Message  string `json:"message"`
		ExitCode int    `json:"exitCode"`
	}{err.Error(), ExitBadInput}})
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

var errNoSource = errors.New("no SOURCE given: pass a scenario file (e.g. examples/seed/article.yaml), a CloudFormation template, a Terraform folder, a snapshot folder or an ecsnet serve URL")

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
