package elbproxy

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Target health states and reason codes, as DescribeTargetHealth names
// them.
const (
	StateInitial   = "initial"
	StateHealthy   = "healthy"
	StateUnhealthy = "unhealthy"

	ReasonTimeout              = "Target.Timeout"
	ReasonFailedHealthChecks   = "Target.FailedHealthChecks"
	ReasonResponseCodeMismatch = "Target.ResponseCodeMismatch"
)

// HealthCheckUserAgent is the User-Agent of ELB's HTTP health checks.
const HealthCheckUserAgent = "ELB-HealthChecker/2.0"

// group is a target group with the targets this node may send to.
type group struct {
	// settings is the target group as the node last saw it: its health
	// check settings and attributes (Retarget replaces them).
	settings   atomic.Pointer[model.TargetGroup]
	registered int // registered targets, draining ones excluded
	// targets are those the node sends new requests to; Retarget
	// replaces them while requests run.
	targets atomic.Pointer[[]*target]
	next    atomic.Uint64
}

// newGroup is a group of target group tg, without targets yet.
func newGroup(tg *model.TargetGroup) *group {
	g := &group{}
	g.settings.Store(tg)
	return g
}

// tg is the target group as the node sees it now.
func (g *group) tg() *model.TargetGroup { return g.settings.Load() }

// current are the group's targets now.
func (g *group) current() []*target {
	if ts := g.targets.Load(); ts != nil {
		return *ts
	}
	return nil
}

// target is one registered target and its health as this node sees it.
type target struct {
	ID   string
	Port uint16
	Zone string
	addr netip.AddrPort

	mu            sync.Mutex
	hc            netip.AddrPort // where health checks go
	state         string
	reason, desc  string
	passes, fails int
	checks        int
}

// checkAddr is where the target's health checks go.
func (t *target) checkAddr() netip.AddrPort {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.hc
}

// TargetHealth is a target's health as a node sees it.
type TargetHealth struct {
	TargetGroupARN string
	ID             string
	Port           uint16
	Address        string // the address and port the node sends to
	State          string // initial, healthy, unhealthy
	Reason         string // "" when healthy
	Description    string
	Checks         int // health checks run so far
}

func (t *target) health() (state string, reason, desc string, checks int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.state, t.reason, t.desc, t.checks
}

func (t *target) healthy() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.state == StateHealthy
}

// record applies one health check's result (ALB User Guide, "Health checks
// for your target groups"): a new target "must pass one health check to be
// considered healthy"; a healthy one becomes unhealthy after
// UnhealthyThreshold consecutive failures, an unhealthy one healthy after
// HealthyThreshold consecutive successes. An initial target that keeps
// failing becomes unhealthy after UnhealthyThreshold failures (AWS does not
// say; ecsnet's choice). It reports whether the target's state changed.
func (t *target) record(hc model.HealthCheck, ok bool, reason, desc string) (changed bool) {
	healthyN, unhealthyN := hc.HealthyThreshold, hc.UnhealthyThreshold
	if healthyN <= 0 {
		healthyN = 5
	}
	if unhealthyN <= 0 {
		unhealthyN = 2
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.checks++
	was := t.state
	if ok {
		t.fails = 0
		t.passes++
		if t.state == StateInitial || t.passes >= healthyN {
			t.state, t.reason, t.desc = StateHealthy, "", ""
		}
		return t.state != was
	}
	t.passes = 0
	t.fails++
	if t.state == StateUnhealthy || t.fails >= unhealthyN {
		t.state, t.reason, t.desc = StateUnhealthy, reason, desc
	}
	return t.state != was
}

// hcSettings returns a target group's health check with AWS's defaults
// filled in where the model leaves a zero.
func hcSettings(tg *model.TargetGroup) (hc model.HealthCheck, proto string) {
	hc = tg.HealthCheck
	proto = hc.Protocol
	if proto == "" {
		proto = tg.Protocol
	}
	switch proto {
	case "HTTP", "HTTPS":
	case "SSL": // a Classic Load Balancer's: a TLS handshake
	default:
		proto = "TCP"
	}
	if hc.IntervalSeconds <= 0 {
		hc.IntervalSeconds = 30
	}
	if hc.TimeoutSeconds <= 0 {
		hc.TimeoutSeconds = 5
		if proto != "HTTP" {
			hc.TimeoutSeconds = 10
		}
	}
	if hc.Path == "" {
		hc.Path = "/"
	}
	if hc.Matcher == "" {
		hc.Matcher = "200"
		if tg.Protocol == "TCP" || tg.Protocol == "TLS" || tg.Protocol == "UDP" || tg.Protocol == "TCP_UDP" {
			hc.Matcher = "200-399" // an NLB's HTTP health check
		}
	}
	return hc, proto
}

// matcherAccepts reports whether a health check matcher ("200",
// "200,202", "200-299") accepts a status code.
func matcherAccepts(matcher string, code int) bool {
	for _, part := range strings.Split(matcher, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			continue
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil {
				continue
			}
		}
		if code >= a && code <= b {
			return true
		}
	}
	return false
}

// scaled is an AWS duration in seconds multiplied by the time scale.
func (p *LoadBalancer) scaled(seconds int) time.Duration {
	return max(time.Duration(float64(time.Duration(seconds)*time.Second)*p.opt.TimeScale), time.Millisecond)
}

// check runs one health check against a target (ALB User Guide, "Health
// checks for your target groups", reason codes): a connection that times
// out is Target.Timeout, one refused or reset Target.FailedHealthChecks,
// an HTTP status outside the matcher Target.ResponseCodeMismatch. Each
// check opens its own connection and closes it after.
func (p *LoadBalancer) check(ctx context.Context, g *group, t *target, timeout time.Duration) (ok bool, reason, desc string) {
	deadline := time.Now().Add(timeout)
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	hc, proto := hcSettings(g.tg())
	if proto == "TCP" || proto == "SSL" {
		c, err := p.opt.Dial(ctx, "tcp", t.checkAddr().String())
		if err != nil {
			return failure(err)
		}
		defer c.Close()
		if proto == "SSL" {
			// A Classic Load Balancer's SSL health check passes when the
			// TLS handshake completes (no SNI; certificates are not
			// validated, as for the node's back-end SSL connections).
			tc := tls.Client(c, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // as ELB
			if err := tc.HandshakeContext(ctx); err != nil {
				return failure(err)
			}
			tc.Close()
		}
		return true, "", ""
	}
	scheme := "http"
	if proto == "HTTPS" {
		scheme = "https"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, scheme+"://"+t.checkAddr().String()+hc.Path, nil)
	if err != nil {
		return false, ReasonFailedHealthChecks, "Health checks failed"
	}
	req.Header.Set("User-Agent", HealthCheckUserAgent)
	req.Close = true
	resp, err := healthClient(p.opt.Dial, deadline).Do(req)
	if err != nil {
		return failure(err)
	}
	resp.Body.Close()
	if !matcherAccepts(hc.Matcher, resp.StatusCode) {
		return false, ReasonResponseCodeMismatch, "Health checks failed with these codes: [" + strconv.Itoa(resp.StatusCode) + "]"
	}
	return true, "", ""
}

func failure(err error) (bool, string, string) {
	if isTimeout(err) {
		return false, ReasonTimeout, "Request timed out"
	}
	return false, ReasonFailedHealthChecks, "Health checks failed"
}

// isTimeout reports whether a connection error is a timeout (including a
// network the node cannot reach: AWS answers no drop with ICMP, so a
// client only ever sees silence).
func isTimeout(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) {
		return false
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return true
	}
	return errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH)
}

// checkTimeout is a health check's timeout: HealthCheckTimeoutSeconds,
// scaled, no shorter than MinTimeout.
func (p *LoadBalancer) checkTimeout(g *group) time.Duration {
	hc, _ := hcSettings(g.tg())
	return max(p.scaled(hc.TimeoutSeconds), p.opt.MinTimeout)
}

// healthClient is the client of one HTTP health check: its own
// connection, closed after, dialled within the check's deadline (the
// HTTP transport does not pass the request's deadline to its dial).
func healthClient(dial DialFunc, deadline time.Time) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				ctx, cancel := context.WithDeadline(ctx, deadline)
				defer cancel()
				return dial(ctx, network, addr)
			},
			DisableKeepAlives:  true,
			DisableCompression: true,
			// ELB does not validate targets' certificates.
			TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // as ELB
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// round runs one health check of every target still initial,
// concurrently; the nth round of Settle (from 0) waits 2^n times the
// check's timeout, up to AWS's own HealthCheckTimeoutSeconds, so that a
// machine too busy to answer within a scaled timeout is not taken for a
// target that drops the check (a drop fails at any timeout).
func (p *LoadBalancer) round(ctx context.Context, n int) {
	var wg sync.WaitGroup
	for _, g := range p.groups {
		hc, _ := hcSettings(g.tg())
		timeout := min(p.checkTimeout(g)<<min(n, 10), max(time.Duration(hc.TimeoutSeconds)*time.Second, p.checkTimeout(g)))
		for _, t := range g.current() {
			if s, _, _, _ := t.health(); s != StateInitial {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, r, d := p.check(ctx, g, t, timeout)
				if ctx.Err() == nil {
					t.record(hc, ok, r, d)
				}
			}()
		}
	}
	wg.Wait()
}

// Settle runs health check rounds back to back, without waiting for the
// interval, until no target is in the initial state (at most the largest
// UnhealthyThreshold rounds), so that requests sent right after see the
// steady state the analyzer describes.
func (p *LoadBalancer) Settle(ctx context.Context) error {
	for n := 0; ctx.Err() == nil; n++ {
		settled := true
		for _, g := range p.groups {
			for _, t := range g.current() {
				if s, _, _, _ := t.health(); s == StateInitial {
					settled = false
				}
			}
		}
		if settled {
			return nil
		}
		p.round(ctx, n)
	}
	return ctx.Err()
}

// healthLoop checks one target group's targets every interval, with the
// group's health check settings as they are at each round (Retarget may
// change them).
func (p *LoadBalancer) healthLoop(g *group) {
	defer p.wg.Done()
	hc, _ := hcSettings(g.tg())
	every := p.scaled(hc.IntervalSeconds)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-p.ctx.Done():
			return
		case <-tick.C:
		}
		hc, _ = hcSettings(g.tg())
		if now := p.scaled(hc.IntervalSeconds); now != every {
			every = now
			tick.Reset(every)
		}
		var wg sync.WaitGroup
		var changed atomic.Bool
		for _, t := range g.current() {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, r, d := p.check(p.ctx, g, t, p.checkTimeout(g))
				if real := time.Duration(hc.TimeoutSeconds) * time.Second; !ok && r == ReasonTimeout && real > p.checkTimeout(g) {
					// A scaled timeout is shorter than a busy machine's
					// pauses: only a target silent for ELB's own timeout
					// is Target.Timeout.
					ok, r, d = p.check(p.ctx, g, t, real)
				}
				if p.ctx.Err() == nil && t.record(hc, ok, r, d) && p.opt.OnHealthChange != nil {
					changed.Store(true)
				}
			}()
		}
		wg.Wait()
		if changed.Load() {
			p.opt.OnHealthChange()
		}
	}
}

// Health returns every target's health as this node sees it, by target
// group ARN and registration order.
func (p *LoadBalancer) Health() []TargetHealth {
	var out []TargetHealth
	for _, arn := range p.groupARNs() {
		g := p.groups[arn]
		for _, t := range g.current() {
			s, r, d, n := t.health()
			out = append(out, TargetHealth{TargetGroupARN: arn, ID: t.ID, Port: t.Port, Address: t.addr.String(),
				State: s, Reason: r, Description: d, Checks: n})
		}
	}
	return out
}
