package cli

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/collect"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// collectOptions are the flags of ecsnet collect.
type collectOptions struct {
	Regions     []string
	Profile     string
	EndpointURL string
	Out         string
	MaxAttempts int
	// Bar draws a progress bar (stderr is a terminal) instead of a line
	// per finished call.
	Bar bool
	// Quiet prints only the calls that failed (no bar, no line per call).
	Quiet bool
}

// regionList is a repeatable, comma-separable --region flag.
type regionList []string

func (r *regionList) String() string { return strings.Join(*r, ",") }

func (r *regionList) Set(s string) error {
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			*r = append(*r, x)
		}
	}
	return nil
}

func runCollect(stdio IO, args []string) int {
	fs := newFlags(stdio, "collect", "collect [--region R ...] [--profile P] [--endpoint-url URL] --out DIR")
	var o collectOptions
	var regions regionList
	fs.Var(&regions, "region", "region to collect (repeat, or separate with commas; default: the SDK's configured region)")
	fs.StringVar(&o.Profile, "profile", "", "shared config profile (default: the standard credential chain)")
	fs.StringVar(&o.EndpointURL, "endpoint-url", "", "send every request here (an emulator such as ecsnet serve); AWS_ENDPOINT_URL works too")
	fs.StringVar(&o.Out, "out", "", "snapshot folder to write (aws_configs/<region>/*.json)")
	fs.IntVar(&o.MaxAttempts, "max-attempts", collect.DefaultMaxAttempts, "tries per request, with exponential backoff")
	fs.BoolVar(&o.Quiet, "quiet", false, "print only the calls that failed (no progress)")
	fs.BoolVar(&o.Quiet, "q", false, "short for --quiet")
	pos, ferr := fs.parse(args)
	if ferr != nil {
		return flagExit(ferr)
	}
	if len(pos) > 0 {
		return fail(stdio, fmt.Errorf("collect takes no positional arguments, got %s", strings.Join(pos, " ")))
	}
	if o.Out == "" {
		fs.Usage()
		return fail(stdio, fmt.Errorf("--out is required"))
	}
	o.Regions = regions
	if f, ok := stdio.Err.(*os.File); ok && isTerminal(f) && !o.Quiet {
		o.Bar = true
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return collectRun(ctx, stdio, o)
}

// collectRun collects, then loads the snapshot it wrote and reports what
// it holds. It exits 1 when a call failed (the snapshot is still written).
func collectRun(ctx context.Context, stdio IO, o collectOptions) int {
	bar := &progressBar{w: stdio.Err, bar: o.Bar, quiet: o.Quiet, started: time.Now()}
	m, err := collect.Run(ctx, collect.Options{Regions: o.Regions, Profile: o.Profile, EndpointURL: o.EndpointURL, Out: o.Out,
		TestCredentials: isLoopbackURL(o.EndpointURL),
		MaxAttempts:     o.MaxAttempts, Progress: bar.event})
	bar.finish()
	if err != nil {
		return fail(stdio, fmt.Errorf("collect: %w", err))
	}
	failed := 0
	for _, c := range m.Calls {
		if c.Error != "" {
			failed++
		}
	}
	res, err := snapshot.Load(o.Out)
	if err != nil {
		return fail(stdio, fmt.Errorf("the snapshot written to %s does not load: %w", o.Out, err))
	}
	for _, region := range res.Regions {
		st, _ := res.Engines[region].Snapshot()
		fmt.Fprintf(stdio.Out, "%s: %s\n", region, stateCounts(st))
	}
	fmt.Fprintf(stdio.Out, "wrote %s (%d calls, %d failed, %d warnings)\n", o.Out, len(m.Calls), failed, len(res.Warnings))
	const shown = 10
	for i, w := range res.Warnings {
		if i == shown {
			fmt.Fprintf(stdio.Out, "  … and %d more warnings\n", len(res.Warnings)-shown)
			break
		}
		fmt.Fprintln(stdio.Out, "  warning:", w)
	}
	if failed > 0 {
		return ExitFailed
	}
	return ExitOK
}

func stateCounts(st *model.State) string {
	running := 0
	for _, t := range st.Tasks {
		if t.LastStatus == model.TaskRunning {
			running++
		}
	}
	return fmt.Sprintf("%d VPCs, %d subnets, %d security groups, %d ENIs, %d instances, %d clusters, %d services, %d tasks (%d running), %d load balancers",
		len(st.VPCs), len(st.Subnets), len(st.SecurityGroups), len(st.NetworkInterfaces), len(st.Instances), len(st.Clusters),
		len(st.Services), len(st.Tasks), running, len(st.LoadBalancers))
}

// progressBar shows collect's progress: a bar redrawn in place on a
// terminal, one line per finished call otherwise.
type progressBar struct {
	w       io.Writer
	bar     bool
	quiet   bool // only the calls that failed
	started time.Time
	drawn   bool
}

const barWidth = 24

func (p *progressBar) event(e collect.Event) {
	if !p.bar {
		if !e.Done || p.quiet && e.Err == nil {
			return
		}
		status := fmt.Sprintf("%d items, %d requests", e.Items, e.Pages)
		if e.Err != nil {
			status = "FAILED: " + e.Err.Error()
		}
		fmt.Fprintf(p.w, "[%d/%d] %s %s: %s\n", e.Finished, e.Total, e.Region, e.Call, status)
		return
	}
	filled := 0
	if e.Total > 0 {
		filled = e.Finished * barWidth / e.Total
	}
	line := fmt.Sprintf("\r[%s%s] %d/%d %s %s", strings.Repeat("#", filled), strings.Repeat("-", barWidth-filled), e.Finished, e.Total, e.Region, e.Call)
	if e.Items > 0 {
		line += fmt.Sprintf(" (%d items)", e.Items)
	}
	if len(line) > 100 {
		line = line[:100]
	}
	fmt.Fprintf(p.w, "%-100s", line)
	p.drawn = true
	if e.Done && e.Err != nil {
		fmt.Fprintf(p.w, "\r%-100s\r%s %s: FAILED: %s\n", "", e.Region, e.Call, e.Err)
	}
}

func (p *progressBar) finish() {
	if p.bar && p.drawn {
		fmt.Fprintf(p.w, "\r%-100s\rcollected in %s\n", "", time.Since(p.started).Round(time.Millisecond))
	}
}

// isLoopbackURL reports whether u points at this machine (an emulator),
// where any credentials do.
func isLoopbackURL(u string) bool {
	pu, err := url.Parse(u)
	if err != nil || pu.Host == "" {
		return false
	}
	host := pu.Hostname()
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}
