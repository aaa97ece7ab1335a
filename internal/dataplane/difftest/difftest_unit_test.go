package difftest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/dataplane"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

func TestGenerateIsDeterministic(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		a, b := Generate(seed, Config{LBs: true}).YAML(), Generate(seed, Config{LBs: true}).YAML()
		if a != b {
			t.Fatalf("seed %d: two runs differ:\n%s\n---\n%s", seed, a, b)
		}
	}
	if Generate(1, Config{}).YAML() == Generate(2, Config{}).YAML() {
		t.Fatal("seeds 1 and 2 give the same system")
	}
}

// Every generated system loads as a scenario file and builds; every
// probe resolves in it and the analyzer walks it.
func TestGeneratedSystemsBuildAndProbesResolve(t *testing.T) {
	// 300 systems, -short or not: fewer do not reach every verdict (an
	// ALB's 504 first shows after about 100), and they load in a second.
	n := 300
	seen := map[string]int{}
	for seed := uint64(1); seed <= uint64(n); seed++ {
		s := Generate(seed, Config{LBs: seed%2 == 0, TGWs: seed%3 == 0, CLBs: seed%5 < 3, NLBs: seed%7 < 4, IPv6: seed%3 != 1, Peering: seed%4 == 0, Zones: seed%6 < 4, TLS: seed%4 < 3, BPA: seed%3 == 0})
		text := s.YAML()
		if _, err := scenario.Parse(s.Name+".yaml", []byte(text)); err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, text)
		}
		st, err := Build(s.Name+".yaml", text)
		if err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, text)
		}
		ps := Probes(st, seed, 12)
		if len(ps) == 0 {
			t.Fatalf("seed %d: no probes", seed)
		}
		cases, err := analyze(st, ps, clientPorts{})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if len(cases) != len(ps) {
			t.Errorf("seed %d: %d of %d probes did not resolve or were unknown to the analyzer", seed, len(ps)-len(cases), len(ps))
		}
		checkClientPorts(t, seed, cases)
		for _, c := range cases {
			seen[string(c.Analyzer.Verdict)]++
			if c.HTTP {
				seen["http"]++
			}
			if c.TLS && c.Analyzer.Verdict.HTTPStatus() != 0 {
				seen["tls http"]++
			}
			if c.Proxied && c.TLS {
				seen["ssl"]++
			}
			if c.Probe.To.V6 || c.To.Addr().Is6() {
				seen["ipv6 "+c.Probe.Proto.String()+" "+string(c.Analyzer.Verdict)]++
			}
			if c.Probe.To.LB && isNLB(st, c.Probe.To.Node) {
				seen["nlb "+c.Probe.Proto.String()+" "+string(c.Analyzer.Verdict)]++
			}
			if c.Probe.To.Name != "" && c.Probe.To.Record == "" {
				seen["name "+string(c.Analyzer.Verdict)]++
			}
			if c.Probe.To.Record != "" {
				seen["record "+string(c.Analyzer.Verdict)]++
				if c.HTTP {
					seen["record http"]++
				}
			}
		}
		if st.BPAOptions[model.BPAOptionsKey].Effective() != model.BPAOff {
			seen["bpa"]++
		}
		for _, tk := range st.Tasks {
			if tk.LastStatus == model.TaskRunning {
				seen[string(tk.NetworkMode)+"/"+string(tk.LaunchType)]++
			}
		}
	}
	// The generator reaches every verdict and network mode.
	for _, k := range []string{"connected", "refused", "timeout", "no-route", "awsvpc/EC2", "awsvpc/FARGATE", "bridge/EC2", "host/EC2", "http", "http 200", "http 504",
		"nlb tcp connected", "nlb tcp timeout", "nlb tcp refused", "nlb udp connected", "nlb udp timeout", "nlb udp refused",
		"ipv6 tcp connected", "ipv6 tcp timeout", "ipv6 tcp refused", "ipv6 tcp no-route", "ipv6 udp connected", "ipv6 icmp connected", "ipv6 icmp timeout",
		"name connected", "name timeout", "name nxdomain", "record connected", "record timeout", "record http",
		"tls http", "ssl", "bpa"} {
		if seen[k] == 0 {
			t.Errorf("no %s in %d systems: %v", k, n, seen)
		}
	}
	t.Logf("%v", seen)
}

func TestAgree(t *testing.T) {
	for _, c := range []struct {
		a, r reach.Verdict
		want bool
	}{
		{reach.Connected, reach.Connected, true},
		{reach.NoRoute, reach.Timeout, true},
		{reach.Timeout, reach.NoRoute, false},
		{reach.Refused, reach.Timeout, false},
		{reach.HTTPVerdict(502), reach.HTTPVerdict(502), true},
	} {
		if got := Agree(c.a, c.r); got != c.want {
			t.Errorf("Agree(%s, %s) = %t", c.a, c.r, got)
		}
	}
}

// The analyzer agrees with itself: the harness compares what it should.
func TestRunAgainstTheAnalyzerAgrees(t *testing.T) {
	sum := Run(context.Background(), Options{Seed: 1, Systems: 100, Backend: AnalyzerBackend(nil), Config: Config{LBs: true, CLBs: true, IPv6: true}})
	if len(sum.Failures) > 0 || len(sum.Errors) > 0 || sum.Agreed != sum.Probes || sum.Systems != 100 {
		t.Fatalf("%s\n%v %v", sum, sum.Errors, sum.Failures)
	}
}

// A synthetic disagreement: a "kernel" that ignores listen: 127.0.0.1.
// The run finds it and the shrinker reduces the system to the task, what
// it needs to run, and the one rule that lets the probe in.
func TestShrinkerMinimisesASyntheticDisagreement(t *testing.T) {
	bug := func(r *reach.Result) reach.Verdict {
		for _, e := range r.Explanations {
			if e.Code == reach.CodeAppBoundToLoopback && r.Verdict == reach.Refused {
				return reach.Connected
			}
		}
		return ""
	}
	be := AnalyzerBackend(bug)
	sum := Run(context.Background(), Options{Seed: 1, Systems: 300, Backend: be, MaxFailures: 1, Parallel: 2})
	if len(sum.Failures) == 0 {
		t.Fatalf("no disagreement found in 300 systems: %s", sum)
	}
	f := sum.Failures[0]
	orig := Generate(f.Seed, Config{})
	if f.Shrunk.Size() >= orig.Size() {
		t.Errorf("not shrunk: %d parts, was %d", f.Shrunk.Size(), orig.Size())
	}
	if f.ShrunkCase.Agree() || f.ShrunkCase.Analyzer.Verdict != reach.Refused || f.ShrunkCase.Real.Verdict != reach.Connected {
		t.Errorf("the shrunk case does not show the disagreement: %+v", f.ShrunkCase)
	}
	if !slices.ContainsFunc(f.Shrunk.Tasks, func(x *Task) bool { return x.Listen == "127.0.0.1" }) {
		t.Errorf("the shrunk system lost the loopback task:\n%s", f.Shrunk.YAML())
	}
	// 1-minimal: no single removal keeps the disagreement.
	if f.Tried >= 400 {
		t.Errorf("budget exhausted")
	}
	for _, c := range candidates(f.Shrunk) {
		rep, err := Check(context.Background(), c, []Probe{f.Case.Probe}, be)
		if err == nil && len(rep.Disagreements()) > 0 {
			t.Errorf("a smaller system still disagrees:\n%s", c.YAML())
			break
		}
	}
	if !strings.Contains(f.Text, "ecsnet probe d") || !strings.Contains(f.Text, "vpcs:") {
		t.Errorf("the report lacks the file or the command:\n%s", f.Text)
	}
	t.Logf("%s", f.Text)
}

// The examples' plumbing: every expect: entry and generated probe of
// every example reaches the backend, and the analyzer agrees with itself.
func TestExamplesAgainstTheAnalyzer(t *testing.T) {
	files := exampleFiles(t)
	total := 0
	for _, f := range files {
		cases, err := CheckExample(context.Background(), f, "ex", 8, AnalyzerBackend(nil))
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		total += len(cases)
		for _, c := range cases {
			if !c.Agree() {
				t.Errorf("%s: %s: analyzer %s, backend %s", f, c.Probe, c.Analyzer.Verdict, c.Real.Verdict)
			}
		}
	}
	if total == 0 {
		t.Fatal("no example probes")
	}
	t.Logf("%d files, %d probes", len(files), total)
}

// Every candidate of every generated system renders (the shrinker tries
// them all).
func TestCandidatesRender(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		for _, c := range candidates(Generate(seed, Config{LBs: true})) {
			_ = c.YAML()
		}
	}
}

// checkClientPorts: each probe source connects from a port of its own
// (clientPorts), one the analyzer was asked with too, and no probe goes
// to a client port.
func checkClientPorts(t *testing.T, seed uint64, cases []Case) {
	t.Helper()
	owner := map[uint16]string{}
	for _, c := range cases {
		port := c.ClientPort &^ 1 // a probe to an NLB takes the next port
		if c.ClientPort < reach.DefaultClientPort || c.ClientPort >= reach.DefaultClientPort+clientPortSpan {
			t.Errorf("seed %d: %s: client port %d outside %d-%d", seed, c.Probe, c.ClientPort, reach.DefaultClientPort, reach.DefaultClientPort+clientPortSpan-1)
		}
		if c.Probe.Proto != model.ICMP && c.Analyzer.ClientPort != c.ClientPort {
			t.Errorf("seed %d: %s: the analyzer's client port %d, the real request's %d", seed, c.Probe, c.Analyzer.ClientPort, c.ClientPort)
		}
		if o, ok := owner[port]; ok && o != c.Probe.From {
			t.Errorf("seed %d: %s and %s share client port %d", seed, o, c.Probe.From, port)
		}
		owner[port] = c.Probe.From
		if p := c.To.Port(); p >= reach.DefaultClientPort && p < reach.DefaultClientPort+clientPortSpan {
			t.Errorf("seed %d: %s goes to a client port (%d)", seed, c.Probe, p)
		}
	}
}

// TestGeneratedTLSCoverage counts, in the systems the kernel test
// generates by default (every feature on), those with a TLS health
// check (an ALB target group's HTTPS, a Classic Load Balancer's SSL or
// HTTPS), a container that speaks TLS, a Classic SSL listener, and an
// NLB's TLS listener to a target group of protocol TLS: each must come in
// a fair share of them (genbpa.go's tlsListeners and tlsTargets,
// gennlb.go's nlbs and nlbTLSTargets), or the kernel never checks the
// analyzer's TLS verdicts.
func TestGeneratedTLSCoverage(t *testing.T) {
	const n = 300
	cfg := Config{LBs: true, TGWs: true, CLBs: true, NLBs: true, IPv6: true, Peering: true, Zones: true, TLS: true, BPA: true}
	var health, serving, ssl, nlbTLS int
	for seed := uint64(1); seed <= n; seed++ {
		s := Generate(seed, cfg)
		st, err := Build(s.Name+".yaml", s.YAML())
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		h, tls, l, nt := false, false, false, false
		for _, x := range st.Listeners {
			nt = nt || dataplane.NLBTLSTargetGroup(st, x)
		}
		for _, tg := range st.TargetGroups {
			h = h || tg.HealthCheck.Protocol == "HTTPS" || tg.HealthCheck.Protocol == "" && tg.Protocol == "HTTPS"
		}
		for _, c := range st.ClassicLoadBalancers {
			h = h || strings.HasPrefix(c.HealthCheck.Target, "SSL:") || strings.HasPrefix(c.HealthCheck.Target, "HTTPS:")
			for _, x := range c.Listeners {
				l = l || strings.EqualFold(x.Protocol, "SSL")
			}
		}
		for _, d := range st.TaskDefinitions {
			for _, c := range d.Containers {
				tls = tls || c.TLS
			}
		}
		for _, b := range []struct {
			ok bool
			n  *int
		}{{h, &health}, {tls, &serving}, {l, &ssl}, {nt, &nlbTLS}} {
			if b.ok {
				*b.n++
			}
		}
	}
	t.Logf("of %d systems: %d with a TLS health check, %d with a container that speaks TLS, %d with a Classic SSL listener, %d with an NLB TLS target group", n, health, serving, ssl, nlbTLS)
	// (Before tlsTargets: 12, 0 and 11 of 300; a Classic Load Balancer
	// comes in about one system in five, so its SSL listeners in fewer.)
	for _, c := range []struct {
		what string
		got  int
		want int
	}{{"a TLS health check", health, n / 10}, {"a container that speaks TLS", serving, n / 10}, {"a Classic SSL listener", ssl, n / 20}, {"an NLB TLS target group", nlbTLS, n / 30}} {
		if c.got < c.want {
			t.Errorf("%d of %d systems have %s, want at least %d", c.got, n, c.what, c.want)
		}
	}
}
