package difftest

import (
	"context"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// Options configure a differential run.
type Options struct {
	// Seed is the first system's seed; system i has seed Seed+i.
	Seed    uint64
	Systems int
	// Probes per system (default 12).
	Probes int
	// Parallel systems at a time (default 4).
	Parallel int
	Backend  Backend
	// Config says what the generator makes.
	Config Config
	// ShrinkBudget bounds the candidates tried per disagreement (default
	// 400; 0 shrinks nothing when negative).
	ShrinkBudget int
	// MaxFailures stops the run after this many disagreeing systems
	// (default 3).
	MaxFailures int
	// Progress, when set, is called after each system.
	Progress func(done int)
	// Until, when set, stops starting systems after that time (a test's
	// deadline); Summary.Cut says the run was cut short.
	Until time.Time
}

// Failure is a system where the analyzer and the kernel disagree, with the
// smallest system found that still shows it.
type Failure struct {
	Seed   uint64
	Case   Case
	Shrunk *System
	// ShrunkCase is the probe's answers on the shrunk system.
	ShrunkCase Case
	Tried      int
	Text       string
}

// Summary counts a run.
type Summary struct {
	Systems, Probes, Agreed int
	// Verdicts counts the analyzer's verdicts of the probes run.
	Verdicts map[reach.Verdict]int
	// TGWProbes counts the probes whose analyzer path reaches a transit
	// gateway, and TGWVerdicts their verdicts.
	TGWProbes   int
	TGWVerdicts map[reach.Verdict]int
	// GWLBProbes counts the probes whose analyzer path goes through a
	// Gateway Load Balancer endpoint (gengwlb.go), GWLBAgreed those the
	// kernel agreed with, GWLBVerdicts their analyzer verdicts.
	GWLBProbes, GWLBAgreed int
	GWLBVerdicts           map[reach.Verdict]int
	// CLBProbes counts the probes to a Classic Load Balancer's listener
	// ports, and CLBVerdicts their verdicts.
	CLBProbes   int
	CLBVerdicts map[reach.Verdict]int
	// NLBProbes counts the probes to a Network Load Balancer, NLBAgreed
	// those the kernel agreed with, and NLBVerdicts their verdicts.
	NLBProbes, NLBAgreed int
	NLBVerdicts          map[reach.Verdict]int
	// NLBTLSProbes counts the probes to an NLB's TLS listener whose target
	// group is TLS (Case.TLSThrough), NLBTLSAgreed those the kernel agreed
	// with, NLBTLSVerdicts their analyzer verdicts.
	NLBTLSProbes, NLBTLSAgreed int
	NLBTLSVerdicts             map[reach.Verdict]int
	// NameProbes counts the probes by a weighted name (through one of
	// its records or by the name), NameAgreed those the kernel agreed
	// with, after real lookups (genzones.go).
	NameProbes, NameAgreed int
	// LBNameProbes counts the probes by a load balancer's DNS name or its
	// dualstack. form (lbNameProbes), LBNameAgreed those the kernel
	// agreed with; NameProbes counts them too.
	LBNameProbes, LBNameAgreed int
	// PlainTLSProbes counts the plain HTTP probes of an NLB's TLS
	// listener its node ends (Case.PlainToTLS), PlainTLSAgreed those the
	// kernel agreed with.
	PlainTLSProbes, PlainTLSAgreed int
	// Pings counts the ping probes (ICMP echo), PingsAgreed those the
	// kernel agreed with, PingVerdicts their analyzer verdicts.
	Pings, PingsAgreed int
	PingVerdicts       map[reach.Verdict]int
	// IPv6Probes counts the probes over IPv6, IPv6Agreed those the
	// kernel agreed with, IPv6Verdicts their analyzer verdicts.
	IPv6Probes, IPv6Agreed int
	IPv6Verdicts           map[reach.Verdict]int
	// NAT64Probes counts the probes from an IPv6-only subnet with DNS64
	// to an IPv4 address (the client connects to 64:ff9b::/96),
	// NAT64Agreed those the kernel agreed with, NAT64Verdicts their
	// analyzer verdicts.
	NAT64Probes, NAT64Agreed int
	NAT64Verdicts            map[reach.Verdict]int
	// IPv6Systems counts the systems checked that have a VPC with an
	// IPv6 block (Config.IPv6 makes about a third of them dual-stack).
	IPv6Systems int
	Failures    []Failure
	// Errors are systems that could not be checked (a build or backend
	// error), by seed.
	Errors map[uint64]string
	// Cut: Options.Until stopped the run before every system was checked.
	Cut bool
}

func (s *Summary) String() string {
	var keys []string
	for v := range s.Verdicts {
		keys = append(keys, string(v))
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, s.Verdicts[reach.Verdict(k)]))
	}
	out := fmt.Sprintf("%d systems, %d probes, %d agreed (%s), %d disagreeing systems, %d errors",
		s.Systems, s.Probes, s.Agreed, strings.Join(parts, ", "), len(s.Failures), len(s.Errors))
	if s.TGWProbes > 0 {
		var tp []string
		for _, k := range slices.Sorted(maps.Keys(s.TGWVerdicts)) {
			tp = append(tp, fmt.Sprintf("%s %d", k, s.TGWVerdicts[k]))
		}
		out += fmt.Sprintf("; %d probes reach a transit gateway (%s)", s.TGWProbes, strings.Join(tp, ", "))
	}
	if s.GWLBProbes > 0 {
		var gp []string
		for _, k := range slices.Sorted(maps.Keys(s.GWLBVerdicts)) {
			gp = append(gp, fmt.Sprintf("%s %d", k, s.GWLBVerdicts[k]))
		}
		out += fmt.Sprintf("; %d probes through a Gateway Load Balancer endpoint, %d agreed (%s)", s.GWLBProbes, s.GWLBAgreed, strings.Join(gp, ", "))
	}
	if s.CLBProbes > 0 {
		var cp []string
		for _, k := range slices.Sorted(maps.Keys(s.CLBVerdicts)) {
			cp = append(cp, fmt.Sprintf("%s %d", k, s.CLBVerdicts[k]))
		}
		out += fmt.Sprintf("; %d probes to a Classic Load Balancer (%s)", s.CLBProbes, strings.Join(cp, ", "))
	}
	if s.NLBProbes > 0 {
		var np []string
		for _, k := range slices.Sorted(maps.Keys(s.NLBVerdicts)) {
			np = append(np, fmt.Sprintf("%s %d", k, s.NLBVerdicts[k]))
		}
		out += fmt.Sprintf("; %d probes to a Network Load Balancer, %d agreed (%s)", s.NLBProbes, s.NLBAgreed, strings.Join(np, ", "))
	}
	if s.NLBTLSProbes > 0 {
		var np []string
		for _, k := range slices.Sorted(maps.Keys(s.NLBTLSVerdicts)) {
			np = append(np, fmt.Sprintf("%s %d", k, s.NLBTLSVerdicts[k]))
		}
		out += fmt.Sprintf("; %d through an NLB's TLS listener to a TLS target group, %d agreed (%s)", s.NLBTLSProbes, s.NLBTLSAgreed, strings.Join(np, ", "))
	}
	if s.NameProbes > 0 {
		out += fmt.Sprintf("; %d probes by a weighted name, %d agreed", s.NameProbes-s.LBNameProbes, s.NameAgreed-s.LBNameAgreed)
	}
	if s.PlainTLSProbes > 0 {
		out += fmt.Sprintf("; %d plain HTTP requests to an NLB's TLS listener, %d agreed", s.PlainTLSProbes, s.PlainTLSAgreed)
	}
	if s.LBNameProbes > 0 {
		out += fmt.Sprintf("; %d probes by a load balancer's DNS name (or its dualstack. form), %d agreed", s.LBNameProbes, s.LBNameAgreed)
	}
	if s.Pings > 0 {
		var pp []string
		for _, k := range slices.Sorted(maps.Keys(s.PingVerdicts)) {
			pp = append(pp, fmt.Sprintf("%s %d", k, s.PingVerdicts[k]))
		}
		out += fmt.Sprintf("; %d pings, %d agreed (%s)", s.Pings, s.PingsAgreed, strings.Join(pp, ", "))
	}
	if s.IPv6Probes > 0 {
		var vp []string
		for _, k := range slices.Sorted(maps.Keys(s.IPv6Verdicts)) {
			vp = append(vp, fmt.Sprintf("%s %d", k, s.IPv6Verdicts[k]))
		}
		out += fmt.Sprintf("; %d probes over IPv6 in %d dual-stack systems, %d agreed (%s)", s.IPv6Probes, s.IPv6Systems, s.IPv6Agreed, strings.Join(vp, ", "))
	}
	if s.NAT64Probes > 0 {
		var vp []string
		for _, k := range slices.Sorted(maps.Keys(s.NAT64Verdicts)) {
			vp = append(vp, fmt.Sprintf("%s %d", k, s.NAT64Verdicts[k]))
		}
		out += fmt.Sprintf("; %d probes by DNS64 and NAT64, %d agreed (%s)", s.NAT64Probes, s.NAT64Agreed, strings.Join(vp, ", "))
	}
	return out
}

// reachesTGW says whether the analyzer's path meets a transit gateway.
func reachesTGW(r *reach.Result) bool {
	if r == nil {
		return false
	}
	for _, h := range append(slices.Clone(r.Forward), r.Return...) {
		if h.Component != nil && strings.HasPrefix(h.Component.Type, "transit-gateway") {
			return true
		}
	}
	return false
}

// Run checks Systems generated systems against the backend and shrinks
// each disagreement it finds.
func Run(ctx context.Context, opt Options) *Summary {
	if opt.Probes == 0 {
		opt.Probes = 12
	}
	if opt.Parallel <= 0 {
		opt.Parallel = 4
	}
	if opt.ShrinkBudget == 0 {
		opt.ShrinkBudget = 400
	}
	if opt.MaxFailures == 0 {
		opt.MaxFailures = 3
	}
	sum := &Summary{Verdicts: map[reach.Verdict]int{}, Errors: map[uint64]string{}}
	var mu sync.Mutex
	seeds := make(chan uint64)
	// stop ends the run early (too many failures); systems being checked
	// finish, so no half-checked system reports a false disagreement.
	stop := make(chan struct{})
	var stopOnce sync.Once
	var wg sync.WaitGroup
	done := 0
	for range opt.Parallel {
		wg.Go(func() {
			for seed := range seeds {
				sys := Generate(seed, opt.Config)
				rep, err := checkSeed(ctx, sys, opt)
				mu.Lock()
				done++
				if err != nil {
					sum.Errors[seed] = err.Error()
				} else {
					sum.Systems++
					if slices.ContainsFunc(sys.VPCs, func(v *VPC) bool { return v.IPv6 }) {
						sum.IPv6Systems++
					}
					for _, c := range rep.Cases {
						sum.Probes++
						sum.Verdicts[c.Analyzer.Verdict]++
						if c.Agree() {
							sum.Agreed++
						}
						if c.Probe.Proto == model.ICMP {
							sum.Pings++
							if c.Agree() {
								sum.PingsAgreed++
							}
							if sum.PingVerdicts == nil {
								sum.PingVerdicts = map[reach.Verdict]int{}
							}
							sum.PingVerdicts[c.Analyzer.Verdict]++
						}
						if c.Probe.To.V6 || c.To.Addr().Is6() {
							sum.IPv6Probes++
							if c.Agree() {
								sum.IPv6Agreed++
							}
							if sum.IPv6Verdicts == nil {
								sum.IPv6Verdicts = map[reach.Verdict]int{}
							}
							sum.IPv6Verdicts[c.Analyzer.Verdict]++
						}
						if nat64Prefix.Contains(c.To.Addr()) {
							sum.NAT64Probes++
							if c.Agree() {
								sum.NAT64Agreed++
							}
							if sum.NAT64Verdicts == nil {
								sum.NAT64Verdicts = map[reach.Verdict]int{}
							}
							sum.NAT64Verdicts[c.Analyzer.Verdict]++
						}
						if reachesTGW(c.Analyzer) {
							sum.TGWProbes++
							if sum.TGWVerdicts == nil {
								sum.TGWVerdicts = map[reach.Verdict]int{}
							}
							sum.TGWVerdicts[c.Analyzer.Verdict]++
						}
						if throughGWLBEndpoint(c.Analyzer) { // gengwlb.go
							sum.GWLBProbes++
							if c.Agree() {
								sum.GWLBAgreed++
							}
							if sum.GWLBVerdicts == nil {
								sum.GWLBVerdicts = map[reach.Verdict]int{}
							}
							sum.GWLBVerdicts[c.Analyzer.Verdict]++
						}
						if c.Probe.To.Name != "" {
							sum.NameProbes++
							if c.Agree() {
								sum.NameAgreed++
							}
							if rep.State != nil && slices.Contains(lbNames(rep.State), c.Probe.To.Name) {
								sum.LBNameProbes++
								if c.Agree() {
									sum.LBNameAgreed++
								}
							}
						}
						if c.Probe.To.LB && rep.State != nil && isNLB(rep.State, c.Probe.To.Node) {
							sum.NLBProbes++
							if c.Agree() {
								sum.NLBAgreed++
							}
							if sum.NLBVerdicts == nil {
								sum.NLBVerdicts = map[reach.Verdict]int{}
							}
							sum.NLBVerdicts[c.Analyzer.Verdict]++
						}
						if c.PlainToTLS {
							sum.PlainTLSProbes++
							if c.Agree() {
								sum.PlainTLSAgreed++
							}
						}
						if c.TLSThrough {
							sum.NLBTLSProbes++
							if c.Agree() {
								sum.NLBTLSAgreed++
							}
							if sum.NLBTLSVerdicts == nil {
								sum.NLBTLSVerdicts = map[reach.Verdict]int{}
							}
							sum.NLBTLSVerdicts[c.Analyzer.Verdict]++
						}
						if c.Probe.To.LB && rep.State != nil && rep.State.ClassicLoadBalancers[c.Probe.To.Node] != nil {
							sum.CLBProbes++
							if sum.CLBVerdicts == nil {
								sum.CLBVerdicts = map[reach.Verdict]int{}
							}
							sum.CLBVerdicts[c.Analyzer.Verdict]++
						}
					}
				}
				if opt.Progress != nil {
					opt.Progress(done)
				}
				mu.Unlock()
				if err != nil {
					continue
				}
				if bad := rep.Disagreements(); len(bad) > 0 {
					f := Failure{Seed: seed, Case: bad[0]}
					if opt.ShrinkBudget < 0 {
						f.Shrunk, f.ShrunkCase = sys, bad[0]
					} else {
						f.Shrunk, f.ShrunkCase, f.Tried = ShrinkCase(ctx, sys, bad[0], opt.Backend, opt.ShrinkBudget)
					}
					st, err := Build(f.Shrunk.Name+".yaml", f.Shrunk.YAML())
					if err != nil {
						st = rep.State
					}
					f.Text = fmt.Sprintf("seed %d: %d of %d probes disagree; shrunk from %d to %d parts in %d tries\n%s",
						seed, len(bad), len(rep.Cases), sys.Size(), f.Shrunk.Size(), f.Tried, Explain(f.Shrunk, st, f.ShrunkCase))
					mu.Lock()
					sum.Failures = append(sum.Failures, f)
					if len(sum.Failures) >= opt.MaxFailures {
						stopOnce.Do(func() { close(stop) })
					}
					mu.Unlock()
				}
			}
		})
	}
	for i := range opt.Systems {
		if !opt.Until.IsZero() && time.Now().After(opt.Until) {
			sum.Cut = true
			break
		}
		select {
		case seeds <- opt.Seed + uint64(i):
			continue
		case <-stop:
		case <-ctx.Done():
		}
		break
	}
	close(seeds)
	wg.Wait()
	sort.Slice(sum.Failures, func(i, j int) bool { return sum.Failures[i].Seed < sum.Failures[j].Seed })
	return sum
}

func checkSeed(ctx context.Context, sys *System, opt Options) (*Report, error) {
	st, err := Build(sys.Name+".yaml", sys.YAML())
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	return checkState(ctx, sys, st, Probes(st, sys.Seed, opt.Probes), opt.Backend)
}

// AnalyzerBackend is a backend that answers with the analyzer itself,
// changed by bug where it returns a verdict ("": unchanged). It checks the harness and the
// shrinker without a data plane: with bug nil everything agrees.
func AnalyzerBackend(bug func(r *reach.Result) reach.Verdict) Backend {
	return func(ctx context.Context, st *model.State, name string) (Oracle, func() error, error) {
		n := reach.Compile(st)
		o := func(ctx context.Context, req Request) Outcome {
			if req.Name != "" && !req.To.IsValid() {
				return Outcome{Verdict: reach.NXDomain, Detail: "analyzer"} // the name does not resolve
			}
			to := req.To.String()
			if req.Proto == model.ICMP {
				to = req.To.Addr().String()
			}
			q, err := reach.NewQuery(n, req.From, to, req.Proto.String())
			if err != nil {
				return Outcome{Verdict: reach.Unknown, Detail: err.Error()}
			}
			q.HTTPPath, q.HTTPHost, q.HTTPMethod, q.HTTPHeaders = req.Path, req.Host, req.Method, req.Header
			// An HTTP request without TLS is plain HTTP, which an HTTPS
			// listener answers 400; the request's protocol version as sent.
			q.PlainHTTP, q.HTTPVersion = req.HTTP && !req.TLS || req.PlainToTLS, req.HTTPVersion
			r := reach.Probe(n, q)
			v := r.Verdict
			if v == reach.NoRoute {
				v = reach.Timeout // what a client sees
			}
			if bug != nil {
				if b := bug(r); b != "" {
					v = b
				}
			}
			return Outcome{Verdict: v, Detail: "analyzer"}
		}
		return o, func() error { return nil }, nil
	}
}

// isNLB reports whether a load balancer of the state, by name, is a
// Network Load Balancer.
func isNLB(st *model.State, name string) bool {
	for _, lb := range st.LoadBalancers {
		if lb.Name == name && lb.Type == "network" {
			return true
		}
	}
	return false
}

// nat64Prefix is DNS64's and NAT64's well-known prefix (RFC 6052).
var nat64Prefix = netip.MustParsePrefix("64:ff9b::/96")
