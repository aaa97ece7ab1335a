package elbproxy

import (
	"net"
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Retarget makes an Application Load Balancer's node follow the targets
// st registers in its target groups and their health check settings and
// attributes (its listeners and rules stay as they were built). A target
// that stays keeps its health, its next checks made with the group's
// settings now (ModifyTargetGroup's new path, port, matcher, interval,
// timeout or thresholds; AWS documents no reset of a target's state on
// such a change [choice]); a new
// one starts initial and gets requests once healthy, as at New. A target
// that left (deregistered, or draining) gets no new request at once, but
// the requests it is answering and the node's keep-alive connections to
// it stay for its group's deregistration delay
// (deregistration_delay.timeout_seconds, 300 s by default, times the time
// scale); then the node closes them, and a request still in flight gets
// 502 (ALB User Guide, troubleshooting, HTTP 502: "The deregistration
// delay period elapsed for a request being handled by a target that was
// deregistered"). A target registered again before its delay ends keeps
// them.
//
// A Classic Load Balancer's node follows its registered instances the
// same way, draining one that left for its connection draining timeout
// (ConnectionDraining.Timeout, 300 s by default) when connection
// draining is on (ConnectionDraining.Enabled, off by default); with it
// off the node closes its connections to the instance at once, "any
// in-flight requests made to instances that are de-registering … are not
// completed" (Classic Load Balancers guide, "Configure connection
// draining").
func (p *LoadBalancer) Retarget(st *model.State) {
	zones := nodeZones(p.lb.Nodes)
	for _, arn := range p.groupARNs() {
		g := p.groups[arn]
		tg := st.TargetGroups[arn]
		var now []*target
		var delay time.Duration
		switch {
		case p.classic:
			c := st.ClassicLoadBalancers[p.lb.Name]
			if c != nil {
				settings, hcPort := classicSettings(c)
				g.settings.Store(settings)
				now = classicTargets(st, c, p.opt.Zone, hcPort)
				delay = p.connectionDraining(c)
			}
		case tg != nil:
			g.settings.Store(tg)
			now = buildGroup(st, p.lb, tg, zones, p.opt.Zone).current()
			delay = p.deregistrationDelay(tg)
		default:
			delay = p.deregistrationDelay(g.tg())
		}
		was := g.current()
		for i, t := range now {
			if j := slices.IndexFunc(was, func(o *target) bool { return o.ID == t.ID && o.Port == t.Port && o.addr == t.addr }); j >= 0 {
				was[j].mu.Lock()
				was[j].hc = t.hc // a health check port changed: its next check goes there
				was[j].mu.Unlock()
				now[i] = was[j]
			}
		}
		g.targets.Store(&now)
		for _, o := range was {
			if slices.Contains(now, o) {
				continue
			}
			to := o.addr
			p.mu.Lock()
			if !p.closed {
				var drain *time.Timer
				drain = time.AfterFunc(delay, func() {
					p.mu.Lock()
					delete(p.drains, drain)
					p.mu.Unlock()
					p.endTarget(to)
				})
				if p.drains == nil {
					p.drains = map[*time.Timer]struct{}{}
				}
				p.drains[drain] = struct{}{}
			}
			p.mu.Unlock()
		}
	}
}

// deregistrationDelay is a target group's deregistration_delay.timeout_seconds
// (300 s by default, 0 to 3600) times the time scale.
func (p *LoadBalancer) deregistrationDelay(tg *model.TargetGroup) time.Duration {
	s := 300
	if n, err := strconv.Atoi(tg.Attributes["deregistration_delay.timeout_seconds"]); err == nil && n >= 0 {
		s = n
	}
	if s == 0 {
		return 0
	}
	return p.scaled(s)
}

// connectionDraining is how long a Classic Load Balancer's node keeps a
// deregistered instance's connections: ConnectionDraining.Timeout (300 s
// by default) times the time scale when ConnectionDraining.Enabled, else
// none.
func (p *LoadBalancer) connectionDraining(c *model.ClassicLoadBalancer) time.Duration {
	if c.Attributes["ConnectionDraining.Enabled"] != "true" {
		return 0
	}
	s := 300
	if n, err := strconv.Atoi(c.Attributes["ConnectionDraining.Timeout"]); err == nil && n > 0 {
		s = n
	}
	return p.scaled(s)
}

// endTarget closes the node's connections to a target address (a
// Classic Load Balancer's instance: any port of it), unless a group
// sends to it again.
func (p *LoadBalancer) endTarget(to netip.AddrPort) {
	for _, g := range p.groups {
		if slices.ContainsFunc(g.current(), func(t *target) bool { return t.addr == to }) {
			return
		}
	}
	p.connMu.Lock()
	var cs []*targetConn
	for k, set := range p.toTarget {
		if k != to && (to.Port() != 0 || k.Addr() != to.Addr()) {
			continue
		}
		for c := range set {
			cs = append(cs, c)
		}
	}
	p.connMu.Unlock()
	for _, c := range cs {
		c.Close()
	}
}

// targetConn is one of the node's connections to a target, known until
// it closes.
type targetConn struct {
	net.Conn
	p  *LoadBalancer
	to netip.AddrPort
}

// passing records a connection the node opened to address addr.
func (p *LoadBalancer) passing(c net.Conn, addr string) net.Conn {
	to, err := netip.ParseAddrPort(addr)
	if err != nil {
		return c
	}
	tc := &targetConn{Conn: c, p: p, to: to}
	p.connMu.Lock()
	if p.toTarget == nil {
		p.toTarget = map[netip.AddrPort]map[*targetConn]struct{}{}
	}
	if p.toTarget[to] == nil {
		p.toTarget[to] = map[*targetConn]struct{}{}
	}
	p.toTarget[to][tc] = struct{}{}
	p.connMu.Unlock()
	return tc
}

// CloseWrite ends the connection's sending half (TCP half-close).
func (c *targetConn) CloseWrite() error {
	if hc, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return hc.CloseWrite()
	}
	return nil
}

// SetLinger sets the close's linger (0: a reset).
func (c *targetConn) SetLinger(sec int) error {
	if tc, ok := c.Conn.(interface{ SetLinger(int) error }); ok {
		return tc.SetLinger(sec)
	}
	return nil
}

func (c *targetConn) Close() error {
	c.p.connMu.Lock()
	delete(c.p.toTarget[c.to], c)
	if len(c.p.toTarget[c.to]) == 0 {
		delete(c.p.toTarget, c.to)
	}
	c.p.connMu.Unlock()
	return c.Conn.Close()
}
