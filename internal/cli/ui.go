package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/ecsnet/ecsnet/internal/ui"
)

// uiOptions are ecsnet ui's flags.
type uiOptions struct {
	Source string
	Addr   string
	Open   bool
	// SourceFlags are the flags of the SOURCE (--param, --base, …).
	SourceFlags sourceFlags
	AllowHosts  hostsFlag
	// WatchInterval is how often the SOURCE's files are looked at (default
	// 500 ms: a change shows within about a second); reloaded, in tests,
	// hears of every reload.
	WatchInterval time.Duration
	// Refresh is how often a SOURCE read from an ecsnet serve endpoint
	// is collected again (default 5 s; negative: never).
	Refresh  time.Duration
	reloaded chan<- error
	// Real sends each probe as a real packet too, on the system `ecsnet
	// up` brought up from the same SOURCE (DP names it).
	Real bool
	DP   dpOptions
}

func (o uiOptions) refreshInterval() time.Duration {
	switch {
	case o.Refresh < 0:
		return 0
	case o.Refresh == 0:
		return 5 * time.Second
	}
	return o.Refresh
}

func (o uiOptions) watchInterval() time.Duration {
	if o.WatchInterval > 0 {
		return o.WatchInterval
	}
	return 500 * time.Millisecond
}

func runUI(stdio IO, args []string) int {
	fs := newFlags(stdio, "ui", "ui SOURCE... [--addr 127.0.0.1:0] [--open] [--real [--name NAME]] [--param K=V] [--base SOURCE] [--allow-host NAME]")
	var o uiOptions
	fs.StringVar(&o.Addr, "addr", "127.0.0.1:0", "address to listen on (loopback by default; port 0 picks a free one)")
	fs.BoolVar(&o.Open, "open", false, "open the page in the default browser")
	fs.DurationVar(&o.Refresh, "refresh", 5*time.Second, "how often a SOURCE read from an ecsnet serve URL is collected again (0: never)")
	o.SourceFlags.add(fs.FlagSet)
	fs.Var(&o.AllowHosts, "allow-host", allowHostUsage)
	fs.BoolVar(&o.Real, "real", false, "also send each probe as a real packet on the system ecsnet up brought up from this SOURCE (needs CAP_NET_ADMIN)")
	o.DP.add(fs)
	pos, ferr := fs.parse(args)
	if ferr != nil {
		return flagExit(ferr)
	}
	if o.Refresh == 0 {
		o.Refresh = -1
	}
	src, err := oneSource(pos)
	if err != nil {
		return fail(stdio, err)
	}
	o.Source = src
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serveUI(ctx, stdio, o, nil); err != nil {
		return fail(stdio, err)
	}
	return ExitOK
}

// serveUI loads the SOURCE and serves the web UI on it until ctx is done.
// ready, when not nil, gets the page's URL once the server accepts
// connections.
func serveUI(ctx context.Context, stdio IO, o uiOptions, ready chan<- string) error {
	allow, err := allowedHosts(o.AllowHosts, o.Addr)
	if err != nil {
		return err
	}
	// The files as they were before the first load: an edit made while it
	// loads, or before the watcher's first poll, is a change to load.
	loaded := fingerprint(watchedFiles(o))
	s, err := openSource(o.Source, o.SourceFlags)
	if err != nil {
		return err
	}
	s.warn(stdio, o.SourceFlags)
	sys := &uiSystem{src: s}
	opts := ui.Options{Engine: sys.engine, Title: s.Name, Examples: sourceExamples(s), Describe: sys.describe, Problem: sys.currentProblem, Locate: sys.locate, AllowHosts: allow}
	if o.Real {
		if opts.Real, err = realProber(o.DP, sys); err != nil {
			return err
		}
	}
	h := ui.New(opts)
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
	url := "http://" + ln.Addr().String() + "/"
	reload := ""
	switch {
	case remoteSource(o) && o.refreshInterval() > 0:
		reload = fmt.Sprintf("collected again every %s; ", o.refreshInterval())
	case len(watchedFiles(o)) > 0:
		reload = "reloads when the SOURCE changes; "
	case remoteSource(o):
		reload = "a copy collected once (--refresh 0); "
	}
	fmt.Fprintf(stdio.Out, "ecsnet ui: %s on %s (%sCtrl-C to stop)\n", s.Name, url, reload)
	for _, f := range s.Failures {
		fmt.Fprintf(stdio.Err, "ecsnet ui: placement failure: task %s: %s\n", f.Task, f.Reason)
	}
	if o.Open {
		if err := openBrowser(url); err != nil {
			fmt.Fprintf(stdio.Err, "ecsnet ui: could not open a browser (%v); open %s yourself\n", err, url)
		}
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	// Edits to the SOURCE's files show on the page.
	wctx, wstop := context.WithCancel(ctx)
	defer wstop()
	go watchSource(wctx, stdio, o, sys, loaded, o.watchInterval(), o.reloaded)
	if ready != nil {
		ready <- url
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	// Event streams never end on their own: close them.
	if err := srv.Shutdown(shut); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	srv.Close()
	return nil
}

// openBrowser opens url with the platform's opener.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	// xdg-open and friends exit at once when they find no browser: wait a
	// moment for that, and let a browser that starts run on.
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("%s: %w", cmd.Path, err)
		}
	case <-time.After(2 * time.Second):
	}
	return nil
}
