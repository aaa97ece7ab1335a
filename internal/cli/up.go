package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/ecsnet/ecsnet/internal/dataplane"
	"github.com/ecsnet/ecsnet/internal/model"
)

// dpOptions are the flags that say which system: its name and where its
// record and namespaces live.
type dpOptions struct {
	Name, StateDir, NetnsDir string
	// LBTimeScale is up's --lb-time-scale (0: 0.1).
	LBTimeScale float64
}

func (o *dpOptions) add(fs *flags) {
	fs.StringVar(&o.Name, "name", "ecsnet", "the system's name: its namespaces are NAME-… (at most 20 characters)")
	fs.StringVar(&o.StateDir, "state-dir", "/run/ecsnet", "where the system's record, plan and hosts file live")
	fs.StringVar(&o.NetnsDir, "netns-dir", "/run/netns", "where its network namespaces are mounted (ip netns looks in /run/netns)")
}

// options are the data plane's options; load balancers run ELB's health
// check timing a tenth as long by default (a 30 s interval is 3 s, the
// 10 s connect timeout behind a 504 is 1 s), so a system settles at once
// and a target that stops answering leaves within seconds.
func (o dpOptions) options() dataplane.Options {
	scale := o.LBTimeScale
	if scale <= 0 {
		scale = 0.1
	}
	return dataplane.Options{Name: o.Name, StateDir: o.StateDir, NetnsDir: o.NetnsDir, LBTimeScale: scale}
}

// upOptions are ecsnet up's flags.
type upOptions struct {
	Source     string
	Output     string
	Foreground bool
	// Follow is how often the server reads SOURCE again to follow its
	// load balancers' targets (0: never).
	Follow      time.Duration
	DP          dpOptions
	SourceFlags sourceFlags
}

func upFlags(stdio IO, cmd string, o *upOptions) *flags {
	fs := newFlags(stdio, cmd, "up SOURCE... [--name NAME] [--foreground] [--param K=V] [--base SOURCE] [--output text|json]")
	fs.outputFlag(&o.Output, "text", "json")
	fs.BoolVar(&o.Foreground, "foreground", false, "hold the listeners in this process until Ctrl-C or SIGTERM, then take the system down")
	fs.DurationVar(&o.Follow, "follow", 0, "read SOURCE again this often (e.g. 2s) and follow its load balancers' registered targets; other changes need down and up")
	o.DP.add(fs)
	fs.Float64Var(&o.DP.LBTimeScale, "lb-time-scale", 0.1, "multiply ELB's health check interval and timeouts by this (1: AWS's timing; 0.1: a 30 s interval is 3 s)")
	o.SourceFlags.add(fs.FlagSet)
	return fs
}

func runUp(stdio IO, args []string) int {
	var o upOptions
	fs := upFlags(stdio, "up", &o)
	pos, ferr := fs.parse(args)
	if ferr != nil {
		return flagExit(ferr)
	}
	src, err := oneSource(pos)
	if err != nil {
		return failAs(stdio, o.Output, err)
	}
	o.Source = src
	if o.Follow < 0 || o.Follow > 0 && o.Follow < 100*time.Millisecond {
		return failAs(stdio, o.Output, fmt.Errorf("--follow %s: want 100ms or more (or 0: never)", o.Follow))
	}
	if o.DP.LBTimeScale <= 0 || o.DP.LBTimeScale > 10 {
		return failAs(stdio, o.Output, fmt.Errorf("--lb-time-scale %g: want a number above 0 and at most 10 (1 is AWS's timing)", o.DP.LBTimeScale))
	}
	if !dataplane.Privileged() {
		return failAs(stdio, o.Output, dataplane.ErrPrivileges)
	}
	st, err := upState(stdio, o)
	if err != nil {
		return failAs(stdio, o.Output, err)
	}
	plan, err := dataplane.MakePlan(st, o.DP.Name)
	if err != nil {
		return failAs(stdio, o.Output, err)
	}
	start := time.Now()
	if o.Foreground {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		sys, err := dataplane.Up(ctx, st, o.DP.options())
		if err != nil {
			return failAs(stdio, o.Output, err)
		}
		printUp(stdio, o, plan, time.Since(start))
		if o.Follow > 0 {
			go followSource(ctx, stdio, o, sys, st)
		}
		<-ctx.Done()
		sys.Close()
		if err := dataplane.Down(context.Background(), o.DP.options()); err != nil {
			return fail(stdio, err)
		}
		fmt.Fprintf(stdio.Err, "ecsnet: system %s is down\n", o.DP.Name)
		return ExitOK
	}
	if err := startServer(args); err != nil {
		return failAs(stdio, o.Output, err)
	}
	printUp(stdio, o, plan, time.Since(start))
	return ExitOK
}

// upState builds the SOURCE into its converged state.
func upState(stdio IO, o upOptions) (*model.State, error) {
	s, err := openSource(o.Source, o.SourceFlags)
	if err != nil {
		return nil, err
	}
	if o.Output != "json" {
		s.warn(stdio, o.SourceFlags)
	}
	st, _ := s.Engine.Snapshot()
	return st, nil
}

// startServer starts `ecsnet dataplane-serve` with up's arguments in its
// own session and waits until it says the system is up (or why not) on
// a pipe.
func startServer(args []string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	defer r.Close()
	cmd := exec.Command(exe, append([]string{dataplane.ServeCommand}, args...)...)
	cmd.ExtraFiles = []*os.File{w}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		w.Close()
		return err
	}
	w.Close()
	msg, _ := io.ReadAll(r)
	text := strings.TrimSpace(string(msg))
	if text != "ok" {
		cmd.Wait()
		if text == "" {
			text = "the data plane server exited without a word"
		}
		return errors.New(strings.TrimPrefix(text, "error: "))
	}
	return cmd.Process.Release()
}

// runServe is the hidden dataplane-serve command: it brings the system
// up, holds its listeners, and says "ok" (or the error) on fd 3.
func runDataplaneServe(stdio IO, args []string) int {
	var o upOptions
	fs := upFlags(stdio, dataplane.ServeCommand, &o)
	pos, ferr := fs.parse(args)
	status := os.NewFile(3, "status")
	say := func(s string) {
		if status != nil {
			fmt.Fprintln(status, s)
			status.Close()
			status = nil
		}
	}
	defer say("error: the data plane server stopped")
	if ferr != nil {
		say("error: bad arguments")
		return flagExit(ferr)
	}
	src, err := oneSource(pos)
	if err != nil {
		say("error: " + err.Error())
		return ExitBadInput
	}
	o.Source = src
	o.Output = "json" // no warnings on a closed stderr
	st, err := upState(stdio, o)
	if err != nil {
		say("error: " + err.Error())
		return ExitBadInput
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	sys, err := dataplane.Up(ctx, st, o.DP.options())
	if err != nil {
		say("error: " + err.Error())
		return ExitBadInput
	}
	if err := dataplane.RecordServer(o.DP.options(), os.Getpid()); err != nil {
		sys.Close()
		dataplane.Down(context.Background(), o.DP.options())
		say("error: " + err.Error())
		return ExitBadInput
	}
	say("ok")
	if o.Follow > 0 {
		go followSource(ctx, stdio, o, sys, st)
	}
	<-ctx.Done()
	sys.Close()
	return ExitOK
}

// followFile is where a following server notes what its last reading of
// SOURCE did, in the system's state folder.
const followFile = "follow"

// followSource reads SOURCE again every --follow and, when the state it
// builds differs from the last one (its JSON), has the system follow it
// (dataplane.System.Retarget: load balancers' targets only). Each
// outcome is written to the system's follow file ("ok TIME: followed",
// or "error TIME: why"), and printed on stderr in the foreground.
func followSource(ctx context.Context, stdio IO, o upOptions, sys *dataplane.System, st *model.State) {
	last, _ := json.Marshal(st)
	note := func(msg string) {
		line := time.Now().UTC().Format(time.RFC3339) + " " + msg + "\n"
		path := filepath.Join(o.DP.options().StateDir, o.DP.Name, followFile)
		os.WriteFile(path, []byte(line), 0o644)
		if o.Foreground {
			fmt.Fprintf(stdio.Err, "ecsnet: %s", line)
		}
	}
	quiet := o
	quiet.Output = "json" // no warnings at every reading
	t := time.NewTicker(o.Follow)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		next, err := upState(stdio, quiet)
		if err != nil {
			note("error: " + err.Error())
			continue
		}
		b, _ := json.Marshal(next)
		if bytes.Equal(b, last) {
			continue
		}
		if err := sys.Retarget(ctx, next); err != nil {
			note("error: " + err.Error())
			continue
		}
		last = b
		note("ok: followed the load balancers' targets of " + o.Source)
	}
}

// upDoc is ecsnet up's JSON output.
type upDoc struct {
	Name       string        `json:"name"`
	Seconds    float64       `json:"seconds"`
	Namespaces []upNamespace `json:"namespaces"`
	Listeners  int           `json:"listeners"`
	Hosts      []string      `json:"hosts,omitempty"`
}

type upNamespace struct {
	Name  string   `json:"name"`
	Role  string   `json:"role"`
	Of    string   `json:"of"`
	Nodes []string `json:"nodes"`
}

func upDocOf(o upOptions, p *dataplane.Plan, d time.Duration) upDoc {
	doc := upDoc{Name: o.DP.Name, Seconds: d.Seconds(), Listeners: len(p.Listeners)}
	byNS := map[string][]string{}
	for alias, ns := range p.Aliases {
		byNS[ns] = append(byNS[ns], alias)
	}
	for _, ns := range p.Namespaces {
		names := append([]string{}, byNS[ns.Name]...)
		sort.Slice(names, func(i, j int) bool {
			return nodeRank(names[i]) < nodeRank(names[j]) || nodeRank(names[i]) == nodeRank(names[j]) && names[i] < names[j]
		})
		doc.Namespaces = append(doc.Namespaces, upNamespace{Name: ns.Name, Role: ns.Role, Of: ns.Of, Nodes: names})
	}
	for _, h := range p.Hosts {
		doc.Hosts = append(doc.Hosts, h.Addr.String()+" "+h.Name)
	}
	slices.Sort(doc.Hosts)
	return doc
}

// nodeRank orders a node's names: people's names first, then ids, then
// ARNs.
func nodeRank(s string) int {
	switch {
	case strings.HasPrefix(s, "arn:"):
		return 3
	case strings.HasPrefix(s, "i-"), strings.HasPrefix(s, "eni-"), strings.HasPrefix(s, "nat-"), len(s) == 32:
		return 2
	case strings.Contains(s, ".amazonaws.com"):
		return 1
	}
	return 0
}

func printUp(stdio IO, o upOptions, p *dataplane.Plan, d time.Duration) {
	doc := upDocOf(o, p, d)
	if o.Output == "json" {
		writeDoc(stdio.Out, "dataplane", doc)
		return
	}
	fmt.Fprintf(stdio.Out, "system %s is up: %d namespaces, %d listeners (%.2fs)\n", doc.Name, len(doc.Namespaces), doc.Listeners, doc.Seconds)
	for _, ns := range doc.Namespaces {
		name := ns.Of
		if len(ns.Nodes) > 0 {
			name = ns.Nodes[0]
		}
		fmt.Fprintf(stdio.Out, "  %-10s %-9s %s\n", ns.Name, ns.Role, name)
	}
	flag := ""
	if o.DP.Name != "ecsnet" {
		flag = " --name " + o.DP.Name
	}
	fmt.Fprintf(stdio.Out, "run a command in a node: ecsnet exec%s internet -- curl -m 3 http://ADDRESS:PORT\n", flag)
	fmt.Fprintf(stdio.Out, "take it down:            ecsnet down%s\n", flag)
}

// downOptions are ecsnet down's flags.
type downOptions struct {
	DP     dpOptions
	Output string
}

func runDown(stdio IO, args []string) int {
	var o downOptions
	fs := newFlags(stdio, "down", "down [--name NAME] [--output text|json]")
	fs.outputFlag(&o.Output, "text", "json")
	o.DP.add(fs)
	pos, ferr := fs.parse(args)
	if ferr != nil {
		return flagExit(ferr)
	}
	if len(pos) > 0 {
		return failAs(stdio, o.Output, fmt.Errorf("down takes no arguments (give the system with --name), not %q", pos[0]))
	}
	if !dataplane.Privileged() {
		return failAs(stdio, o.Output, dataplane.ErrPrivileges)
	}
	_, err := dataplane.Attach(o.DP.options())
	was := err == nil
	if err := dataplane.Down(context.Background(), o.DP.options()); err != nil {
		return failAs(stdio, o.Output, err)
	}
	if o.Output == "json" {
		writeDoc(stdio.Out, "dataplane-down", struct {
			Name    string `json:"name"`
			Removed bool   `json:"removed"`
		}{o.DP.Name, was})
		return ExitOK
	}
	if was {
		fmt.Fprintf(stdio.Out, "system %s is down\n", o.DP.Name)
	} else {
		fmt.Fprintf(stdio.Out, "no system named %s was up; nothing to remove\n", o.DP.Name)
	}
	return ExitOK
}

// runExec runs a command inside a node of a system that is up: in its
// network namespace, with the system's hosts file as /etc/hosts and the
// node's resolv.conf (its VPC's Route 53 Resolver) as /etc/resolv.conf
// (a private mount namespace), replacing this process.
func runExec(stdio IO, args []string) int {
	var o dpOptions
	fs := newFlags(stdio, "exec", "exec [--name NAME] NODE -- COMMAND [ARG...]")
	o.add(fs)
	i := slices.Index(args, "--")
	var argv []string
	if i >= 0 {
		args, argv = args[:i], args[i+1:]
	}
	pos, ferr := fs.parse(args)
	if ferr != nil {
		return flagExit(ferr)
	}
	if len(pos) != 1 || len(argv) == 0 {
		fs.say("give one NODE, then -- and the command: ecsnet exec internet -- curl -m 3 http://203.0.113.2:3000")
		return ExitBadInput
	}
	if !dataplane.Privileged() {
		return fail(stdio, dataplane.ErrPrivileges)
	}
	sys, err := dataplane.Attach(o.options())
	if err != nil {
		return fail(stdio, err)
	}
	path, err := sys.NodeNamespace(pos[0])
	if err != nil {
		return fail(stdio, err)
	}
	bin, err := exec.LookPath(argv[0])
	if err != nil {
		return fail(stdio, err)
	}
	runtime.LockOSThread()
	if err := dataplane.EnterNode(path, sys.HostsPath()); err != nil {
		return fail(stdio, err)
	}
	err = syscall.Exec(bin, argv, os.Environ())
	return fail(stdio, fmt.Errorf("exec %s: %w", argv[0], err))
}
