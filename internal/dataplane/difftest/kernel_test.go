package difftest

import (
	"context"
	"flag"
	"fmt"
	"github.com/ecsnet/ecsnet/internal/dataplane/nstest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/dataplane"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// The differential test's knobs: go test ./internal/dataplane/difftest
// -run Diff -args -systems=50000 (or ECSNET_DIFF_SYSTEMS=50000), and
// -seed=N to replay a run from the seed a failure printed. go test ./...
// checks 200 systems (about a minute), well inside go test's default
// timeout; .ci/run checks the next 1,800 (-seed=201) in a step of its own.
var (
	flagSystems  = flag.Int("systems", envInt("ECSNET_DIFF_SYSTEMS", 200), "generated systems to check (ECSNET_DIFF_SYSTEMS)")
	flagSeed     = flag.Uint64("seed", uint64(envInt("ECSNET_DIFF_SEED", 1)), "seed of the first system (ECSNET_DIFF_SEED)")
	flagProbes   = flag.Int("probes", envInt("ECSNET_DIFF_PROBES", 12), "probes per system")
	flagParallel = flag.Int("parallel", envInt("ECSNET_DIFF_PARALLEL", 16), "systems up at a time (ECSNET_DIFF_PARALLEL)")
	flagLBs      = flag.Bool("lbs", true, "generate application load balancers")
	flagTGWs     = flag.Bool("tgws", true, "join VPCs with transit gateways")
	flagCLBs     = flag.Bool("clbs", true, "put Classic Load Balancers in front of instances")
	flagNLBs     = flag.Bool("nlbs", true, "generate Network Load Balancers")
	flagIPv6     = flag.Bool("ipv6", true, "make some systems dual-stack, and probe them over IPv6 (-ipv6=false: IPv4 only)")
	flagPeering  = flag.Bool("peering", true, "join two VPCs with a peering connection in some systems")
	flagZones    = flag.Bool("zones", true, "give some systems a hosted zone with a weighted name, probed through each record")
	flagTLS      = flag.Bool("tls", true, "make some load balancer listeners TLS ones (an ALB's HTTPS, a Classic Load Balancer's HTTPS and SSL)")
	flagBPA      = flag.Bool("bpa", true, "give some systems VPC Block Public Access")
	flagFirewall = flag.Bool("firewalls", true, "put an AWS Network Firewall in front of some systems' public route tables")
	flagWeighted = flag.Bool("weighted", true, "make some ALBs' forward actions weighted, to a second target group")
	flagGWLB     = flag.Bool("gwlbs", true, "put Gateway Load Balancer endpoints and their appliances in front of some systems' public route tables")
	flagShrink   = flag.Int("shrink", 400, "candidates the shrinker tries per disagreement (-1: no shrinking)")
	flagMaxFail  = flag.Int("maxfail", 3, "stop after this many disagreeing systems")
	flagExamples = flag.String("examples", "", "TestDiffExamples: only the example files whose path matches this regular expression")
	flagTimeout  = flag.Duration("connect-timeout", 300*time.Millisecond, "how long a real connection waits before it counts as a timeout")
)

func envInt(key string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil && v > 0 {
		return v
	}
	return def
}

// TestMain re-executes the tests inside a fresh network namespace (only
// loopback) and a private mount namespace when the process may create
// them (as internal/dataplane's tests do), so no system a test brings up
// can reach the machine's network or its /run/netns. Without privileges
// the tests run as they are and the kernel tests skip.
func TestMain(m *testing.M) {
	nstest.Main(m, dataplane.Privileged)
}

// isolated skips a kernel test unless it runs privileged inside the
// test's own namespaces.
func isolated(t testing.TB) {
	t.Helper()
	nstest.Isolated(t, dataplane.Privileged)
}

// upTime and downTime add up the time spent in Up and Down.
var upTime, downTime atomic.Int64

// kernel is the backend that brings each system up with dataplane.Up in
// its own directories under dir, and takes it down after its probes.
func kernel(dir string, timeout time.Duration) Backend {
	return func(ctx context.Context, st *model.State, name string) (Oracle, func() error, error) {
		opt := dataplane.Options{Name: name, StateDir: filepath.Join(dir, name, "state"), NetnsDir: filepath.Join(dir, name, "netns"), Timeout: timeout,
			LBTimeScale: 0.01}
		t0 := time.Now()
		s, err := dataplane.Up(ctx, st, opt)
		upTime.Add(int64(time.Since(t0)))
		if err != nil {
			dataplane.Down(context.Background(), opt)
			return nil, nil, fmt.Errorf("up: %w", err)
		}
		o := func(ctx context.Context, req Request) Outcome {
			var out dataplane.Outcome
			// From the analyzer's client port (reach.DefaultClientPort, or
			// the request's), so network ACLs see the same reply port.
			port := req.ClientPort
			if port == 0 {
				port = reach.DefaultClientPort
			}
			if req.Name != "" {
				if o, done := lookupFirst(ctx, s, req); done {
					return o
				}
			}
			if req.HTTP {
				out = s.HTTP(ctx, req.From, dataplane.HTTPRequest{To: req.To, Host: req.Host, Method: req.Method, Path: req.Path, Header: req.Header,
					ClientPort: port, TLS: req.TLS, HTTPVersion: req.HTTPVersion, Requests: req.Requests})
			} else if req.Proxied {
				out = s.DialProxied(ctx, req.From, port, req.To, req.TLS)
			} else if s.NodeEndsTLS(req.To) {
				// The node ends TLS (an NLB's TLS listener): the client
				// speaks TLS to it (or plain HTTP), by address or by name.
				out = s.DialTLSNode(ctx, req.From, port, req.To, req.Host, req.PlainToTLS)
			} else if req.TLSThrough {
				out = s.DialTLSThrough(ctx, req.From, port, req.To)
			} else {
				out = s.Dial(ctx, req.From, port, req.To, req.Proto)
			}
			return Outcome{Verdict: out.Verdict, Detail: out.Detail}
		}
		down := func() error {
			t0 := time.Now()
			defer func() { downTime.Add(int64(time.Since(t0))) }()
			s.Close()
			return dataplane.Down(context.Background(), opt)
		}
		return o, down, nil
	}
}

// TestDiff checks generated systems: every probe's analyzer verdict
// against a real connection. A disagreement fails with the smallest
// system that shows it, as a scenario file, and the seed to replay.
// lookupFirst looks a probe's name up for real, a dozen times at most (the
// resolver answers a weighted set's records in turn), until an answer
// holds the address the analyzer's packet went to; done, with the
// outcome, when the client has nowhere to connect: the name does not
// resolve (the analyzer's nxdomain), or no lookup answered the address.
func lookupFirst(ctx context.Context, s *dataplane.System, req Request) (Outcome, bool) {
	var last dataplane.Lookup
	for range 12 {
		l, err := s.LookupName(ctx, req.From, req.Name, false)
		if err != nil {
			return Outcome{Verdict: reach.Unknown, Detail: "lookup of " + req.Name + ": " + err.Error()}, true
		}
		last = l
		if !req.To.IsValid() {
			if !l.Answered || l.Rcode != 0 || len(l.Addrs) == 0 {
				return Outcome{Verdict: reach.NXDomain, Detail: req.Name + " does not resolve: " + l.Detail}, true
			}
			continue
		}
		if slices.Contains(l.Addrs, req.To.Addr()) {
			return Outcome{}, false
		}
	}
	return Outcome{Verdict: reach.Unknown, Detail: fmt.Sprintf("12 lookups of %s never answered %s; the last: %v (%s)", req.Name, req.To.Addr(), last.Addrs, last.Detail)}, true
}

func TestDiff(t *testing.T) {
	isolated(t)
	n := *flagSystems
	if testing.Short() {
		n = min(n, 50)
	}
	start := time.Now()
	last := start
	var until time.Time
	if d, ok := t.Deadline(); ok {
		until = d.Add(-90 * time.Second) // the shrinker and the examples need time too
	}
	sum := Run(context.Background(), Options{Until: until, Seed: *flagSeed, Systems: n, Probes: *flagProbes, Parallel: *flagParallel,
		Backend: kernel(t.TempDir(), *flagTimeout), ShrinkBudget: *flagShrink, MaxFailures: *flagMaxFail, Config: Config{LBs: *flagLBs, TGWs: *flagTGWs, CLBs: *flagCLBs, NLBs: *flagNLBs, IPv6: *flagIPv6, Peering: *flagPeering, Zones: *flagZones, TLS: *flagTLS, BPA: *flagBPA, Firewalls: *flagFirewall, GWLBs: *flagGWLB, Weighted: *flagWeighted},
		Progress: func(done int) {
			if time.Since(last) > 30*time.Second {
				last = time.Now()
				t.Logf("%d/%d systems, %.1f systems/s", done, n, float64(done)/time.Since(start).Seconds())
			}
		}})
	el := time.Since(start)
	t.Logf("time in up %s, in down %s", time.Duration(upTime.Load()).Round(time.Millisecond), time.Duration(downTime.Load()).Round(time.Millisecond))
	t.Logf("seed %d: %s in %s (%.1f systems/s, %.0f probes/s)", *flagSeed, sum, el.Round(time.Millisecond),
		float64(sum.Systems)/el.Seconds(), float64(sum.Probes)/el.Seconds())
	for seed, e := range sum.Errors {
		t.Errorf("seed %d: %s (replay: go test ./internal/dataplane/difftest -run 'Diff$' -args -seed=%d -systems=1)", seed, e, seed)
	}
	for _, f := range sum.Failures {
		t.Errorf("%s\nreplay: go test ./internal/dataplane/difftest -run 'Diff$' -args -seed=%d -systems=1", f.Text, f.Seed)
	}
	if sum.Cut {
		t.Errorf("only %d of %d systems checked before the test's deadline: run with a longer -timeout (go test -timeout 45m)", sum.Systems, n)
	}
	if sum.Systems == 0 || sum.Probes == 0 {
		t.Fatalf("nothing checked: %s", sum)
	}
}

// TestDiffExamples checks the examples the same way: their expect:
// entries and generated probes, the analyzer against the kernel.
func TestDiffExamples(t *testing.T) {
	isolated(t)
	be := kernel(t.TempDir(), *flagTimeout)
	total := 0
	for i, f := range exampleFiles(t) {
		cases, err := CheckExample(context.Background(), f, "ex"+strconv.Itoa(i), 16, be)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		total += len(cases)
		for _, c := range cases {
			if !c.Agree() {
				where := f
				if c.Line > 0 {
					where += ":" + strconv.Itoa(c.Line)
				}
				t.Errorf("%s: ecsnet probe %s %s: the analyzer says %s (%s), the kernel %s (%s)", where, f, c.Probe,
					c.Analyzer.Verdict, c.Analyzer.Summary, c.Real.Verdict, c.Real.Detail)
			}
		}
	}
	t.Logf("%d probes", total)
}
