package elbproxy

import (
	"cmp"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Options configure a load balancer node.
type Options struct {
	// Dial opens connections to targets (traffic and health checks). The
	// data plane passes one that dials from inside the node's network
	// namespace; nil dials from the calling process's namespace.
	Dial DialFunc
	// Zone is the node's Availability Zone. It matters only to an NLB
	// without cross-zone load balancing, whose nodes send to their own
	// zone's targets; an ALB node always sends across zones.
	Zone string
	// TimeScale multiplies the health check interval and timeout (1, or 0:
	// AWS's real timing). 0.01 turns a 30 s interval into 300 ms and a 5 s
	// timeout into 50 ms.
	TimeScale float64
	// ConnectTimeout bounds the connection to a target; when it passes the
	// client gets 504. 0: AWS's 10 s, times TimeScale.
	ConnectTimeout time.Duration
	// IdleTimeout bounds how long the node waits for a target's answer (and
	// for a client's next request). 0: the load balancer's attribute
	// idle_timeout.timeout_seconds (default 60 s), times TimeScale.
	IdleTimeout time.Duration
	// MinTimeout is the least a scaled timeout (health check, connect,
	// idle) becomes, so that a busy machine does not turn a slow answer into
	// Target.Timeout or 504. 0: 200 ms.
	MinTimeout time.Duration
	// MinIdleTimeout, when set, is added to the scaled idle timeout (0:
	// the scaled idle timeout is no shorter than MinTimeout). Most of the
	// data plane's targets answer at once, so the only thing a short idle
	// timeout measures there is how long a starved process takes to run
	// the target's answer; added rather than a floor, it keeps two idle
	// timeouts in AWS's order for the targets that take their time
	// (Races).
	MinIdleTimeout time.Duration
	// Deterministic sends each request to the first eligible target in
	// registration order instead of round robin, and the requests of a
	// connection to a weighted forward's target groups in turn, heaviest
	// first, instead of at random by weight (forwardGroup): the paths the
	// analyzer reports, for the differential test.
	Deterministic bool
	// OnHealthChange, when set, is called after a round of the periodic
	// health checks (Start) in which a target became healthy or
	// unhealthy; Health then reports the new states. Each target
	// group's checks call it from their own goroutine (so it may run
	// concurrently), and it must not call Close.
	OnHealthChange func()
}

// Defaults ELB documents.
const (
	// DefaultConnectTimeout is how long an ALB waits for a target's
	// connection before answering 504 (ALB User Guide, troubleshooting,
	// "HTTP 504: Gateway timeout").
	DefaultConnectTimeout = 10 * time.Second
	// DefaultIdleTimeout is the idle_timeout.timeout_seconds default.
	DefaultIdleTimeout = 60 * time.Second
)

// Timeouts returns the connect and idle timeouts a node built with these
// options uses when the load balancer's idle timeout is AWS's default: the
// time a client must be willing to wait to see the node's 504.
func (o Options) Timeouts() (connect, idle time.Duration) {
	o = o.withTimeouts("")
	return o.ConnectTimeout, o.IdleTimeout
}

// withTimeouts fills in the timeouts left zero: AWS's, times TimeScale, no
// shorter than MinTimeout (idleAttr is idle_timeout.timeout_seconds).
func (o Options) withTimeouts(idleAttr string) Options {
	if o.TimeScale <= 0 {
		o.TimeScale = 1
	}
	if o.MinTimeout <= 0 {
		o.MinTimeout = 200 * time.Millisecond
	}
	scale := func(d time.Duration) time.Duration {
		return max(time.Duration(float64(d)*o.TimeScale), o.MinTimeout)
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = scale(DefaultConnectTimeout)
	}
	switch {
	case o.IdleTimeout > 0:
	case o.MinIdleTimeout > 0:
		o.IdleTimeout = o.MinIdleTimeout + time.Duration(float64(idleTimeout(idleAttr))*o.TimeScale)
	default:
		o.IdleTimeout = scale(idleTimeout(idleAttr))
	}
	return o
}

// idleTimeout is a load balancer's idle timeout attribute (seconds),
// unscaled: DefaultIdleTimeout when it is unset or not a positive number.
func idleTimeout(attr string) time.Duration {
	if s, err := strconv.Atoi(attr); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	return DefaultIdleTimeout
}

// nodeZones is the set of Availability Zones a load balancer has nodes in.
func nodeZones(nodes []model.LoadBalancerNode) map[string]bool {
	zones := map[string]bool{}
	for _, n := range nodes {
		zones[n.AvailabilityZone] = true
	}
	return zones
}

// listener is one listener with its rules in priority order.
type listener struct {
	l     *model.Listener
	rules []*model.ListenerRule
	// regex holds each rule's compiled RegexValues by condition index
	// (parallel to rules), compiled once when the node is built.
	regex [][][]*regexp.Regexp
	port  string
	// instancePort and instanceProto: a Classic Load Balancer listener's
	// instance port and protocol (0, "" for an ALB's).
	instancePort  uint16
	instanceProto string
}

// New builds the node of a load balancer from the model: its listeners
// with their rules, and every target group an action forwards to with the
// targets a node may send to. Targets that are draining, in a zone the
// load balancer does not serve, or instances that are not running are
// left out, as ELB leaves them out of service; a target group whose
// registered targets are all left out answers 503.
func New(st *model.State, lbARN string, opt Options) (*LoadBalancer, error) {
	lb := st.LoadBalancers[lbARN]
	if lb == nil {
		return nil, fmt.Errorf("elbproxy: no load balancer %s", lbARN)
	}
	if opt.Dial == nil {
		opt.Dial = defaultDial
	}
	opt = opt.withTimeouts(lb.Attributes["idle_timeout.timeout_seconds"])
	p := newLoadBalancer(lb, opt)
	zones := nodeZones(lb.Nodes)
	for _, l := range st.Listeners {
		if l.LoadBalancerARN != lbARN {
			continue
		}
		x := &listener{l: l, port: strconv.Itoa(int(l.Port))}
		for _, r := range st.ListenerRules {
			if r.ListenerARN == l.ARN {
				x.rules = append(x.rules, r)
			}
		}
		slices.SortFunc(x.rules, func(a, b *model.ListenerRule) int { return cmp.Compare(a.Priority, b.Priority) })
		x.regex = make([][][]*regexp.Regexp, len(x.rules))
		for i, r := range x.rules {
			for j, c := range r.Conditions {
				if len(c.RegexValues) == 0 {
					continue
				}
				if x.regex[i] == nil {
					x.regex[i] = make([][]*regexp.Regexp, len(r.Conditions))
				}
				x.regex[i][j] = model.CompileRegexValues(c.RegexValues)
			}
		}
		p.listeners[l.Port] = x
		actions := slices.Clone(l.DefaultActions)
		for _, r := range x.rules {
			actions = append(actions, r.Actions...)
		}
		for _, a := range actions {
			for _, arn := range forwardARNs(a) {
				if tg := st.TargetGroups[arn]; tg != nil && p.groups[arn] == nil {
					p.groups[arn] = buildGroup(st, lb, tg, zones, opt.Zone)
				}
			}
		}
	}
	return p, nil
}

// forwardARNs lists the target groups a forward action names.
func forwardARNs(a model.ListenerAction) []string {
	if a.Type != "forward" {
		return nil
	}
	out := []string{}
	if a.TargetGroupARN != "" {
		out = append(out, a.TargetGroupARN)
	}
	for _, w := range a.TargetGroups {
		out = append(out, w.ARN)
	}
	return out
}

// servingZone is the zone a target serves in: its registered zone, or
// "all" for an IP target outside the VPC behind an ALB with cross-zone
// load balancing (unless the group turns it off): AWS then ignores the
// zone given (TargetDescription.AvailabilityZone), as reach does.
func servingZone(st *model.State, lb *model.LoadBalancer, tg *model.TargetGroup, t model.Target) string {
	if !lb.IsALB() || tg.Attributes["load_balancing.cross_zone.enabled"] == "false" {
		return t.AvailabilityZone
	}
	a, err := netip.ParseAddr(t.ID)
	v := st.VPCs[tg.VpcID]
	if err != nil || v == nil || slices.ContainsFunc(v.CIDRs(), func(p netip.Prefix) bool { return p.Contains(a) }) ||
		slices.ContainsFunc(v.IPv6, func(b model.IPv6Block) bool { return b.CIDR.Contains(a) }) {
		return t.AvailabilityZone
	}
	return "all"
}

// buildGroup resolves a target group's targets to addresses.
func buildGroup(st *model.State, lb *model.LoadBalancer, tg *model.TargetGroup, zones map[string]bool, nodeZone string) *group {
	g := newGroup(tg)
	var ts []*target
	for _, t := range tg.Targets.All() {
		if t.Draining {
			continue
		}
		g.registered++
		if z := servingZone(st, lb, tg, t); z != "all" && z != "" && !zones[z] {
			continue // Target.NotInUse
		}
		if !lb.IsALB() && !lb.CrossZone && nodeZone != "" && t.AvailabilityZone != "all" && t.AvailabilityZone != nodeZone {
			continue
		}
		addr, ok := targetAddr(st, t)
		if !ok {
			continue
		}
		hcPort := t.Port
		if n, err := strconv.Atoi(tg.HealthCheck.Port); err == nil && n > 0 && n < 65536 {
			hcPort = uint16(n)
		}
		ts = append(ts, &target{
			ID: t.ID, Port: t.Port, Zone: t.AvailabilityZone,
			addr: netip.AddrPortFrom(addr, t.Port), hc: netip.AddrPortFrom(addr, hcPort),
			state: StateInitial, reason: "Elb.InitialHealthChecking", desc: "Initial health checks in progress",
		})
	}
	g.targets.Store(&ts)
	return g
}

// targetAddr is a target's address: an ip target's own, an instance's
// primary private address (a running instance only).
func targetAddr(st *model.State, t model.Target) (netip.Addr, bool) {
	if a, ok := t.TargetAddr(); ok {
		return a, true
	}
	i := st.Instances[model.InstanceID(t.ID)]
	if i == nil || i.State != model.InstanceRunning {
		return netip.Addr{}, false
	}
	eni := st.NetworkInterfaces[i.PrimaryENI]
	if eni == nil {
		return netip.Addr{}, false
	}
	for _, ip := range eni.PrivateIPs {
		if ip.Primary {
			return ip.Addr, true
		}
	}
	if len(eni.PrivateIPs) > 0 {
		return eni.PrivateIPs[0].Addr, true
	}
	return netip.Addr{}, false
}

// Race is one of the timeouts a slow target's answer races: AWS's
// seconds, and how long a node built with the options waits: Wait at
// first, Longest at most. An idle timeout waits its scaled time. A
// health check's timeout waits its scaled time, and a check that timed
// out is tried again with AWS's own (health.go: a busy machine's pause
// is no Target.Timeout), so an answer fails it only after Longest.
type Race struct {
	Seconds       int
	Wait, Longest time.Duration
	// Health: a health check's timeout (else a load balancer's idle
	// timeout).
	Health bool
}

// Races returns every timeout of st's load balancers that a target's
// answer can lose, as nodes built with these options run them: each
// Application and Classic Load Balancer's idle timeout (a target that
// answers later gets 504) and each target group's, and each Classic Load
// Balancer's, health check timeout (Target.Timeout), sorted by seconds.
func (o Options) Races(st *model.State) []Race {
	var out []Race
	idle := func(attr string) {
		w := o.withTimeouts(attr).IdleTimeout
		out = append(out, Race{Seconds: int(idleTimeout(attr) / time.Second), Wait: w, Longest: w})
	}
	health := func(tg *model.TargetGroup) {
		hc, _ := hcSettings(tg)
		p := &LoadBalancer{opt: o.withTimeouts("")}
		w := p.checkTimeout(newGroup(tg))
		out = append(out, Race{Seconds: hc.TimeoutSeconds, Wait: w, Longest: max(w, time.Duration(hc.TimeoutSeconds)*time.Second), Health: true})
	}
	for _, lb := range st.LoadBalancers {
		if lb.IsALB() {
			idle(lb.Attributes["idle_timeout.timeout_seconds"])
		}
	}
	for _, tg := range st.TargetGroups {
		health(tg)
	}
	for _, c := range st.ClassicLoadBalancers {
		idle(c.Attributes["ConnectionSettings.IdleTimeout"])
		settings, _ := classicSettings(c)
		health(settings)
	}
	slices.SortFunc(out, func(a, b Race) int {
		return cmp.Or(cmp.Compare(a.Seconds, b.Seconds), cmp.Compare(a.Wait, b.Wait), cmp.Compare(a.Longest, b.Longest), boolCompare(a.Health, b.Health))
	})
	return slices.Compact(out)
}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
