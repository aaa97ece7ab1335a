package elbproxy

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Classic Load Balancers. A Classic Load Balancer's node is a
// LoadBalancer whose listeners all forward to one group: the registered
// instances, health checked on the load balancer's HealthCheck Target
// (TCP:port, SSL:port, HTTP:port/path, HTTPS:port/path) with its
// interval, timeout and thresholds. It differs from an ALB's node where
// the analyzer says it does (internal/reach/clb.go):
//
//   - each listener sends to its own instance port on the instance's
//     primary private address;
//   - only InService (healthy) instances get traffic: with none, an HTTP
//     listener answers 503 and a TCP listener resets the client's
//     connection (the analyzer's refused, a [choice]): it never fails open;
//   - an HTTP listener answers 502 when the instance refuses, 504 when it
//     does not answer in time, as an ALB's;
//   - a TCP listener is a TCP proxy: it accepts the client, connects to
//     the instance and copies bytes both ways; when the instance refuses
//     it resets the client, when the instance is silent the client hears
//     nothing until the idle timeout (the analyzer's timeout).
//
// HTTPS and SSL listeners end TLS with the node's generated certificate
// (tls.go): an HTTPS listener is the reverse proxy, to the instance in
// HTTP or HTTPS (its InstanceProtocol); an SSL listener the TCP proxy,
// to the instance in TCP or SSL (a TLS handshake without SNI). Classic
// Load Balancer guide, "Listener configurations for Classic Load
// Balancers".

// classicGroup names the one group of a Classic Load Balancer's node.
const classicGroup = "classic"

// NewClassic builds the node of the Classic Load Balancer named name.
// Instances that are not running, in a zone the load balancer does not
// serve, or (without cross-zone load balancing) in another zone than
// opt.Zone get no traffic from this node and are left out.
func NewClassic(st *model.State, name string, opt Options) (*LoadBalancer, error) {
	c := st.ClassicLoadBalancers[name]
	if c == nil {
		return nil, fmt.Errorf("elbproxy: no Classic Load Balancer %s", name)
	}
	if opt.Dial == nil {
		opt.Dial = defaultDial
	}
	idleAttr := c.Attributes["ConnectionSettings.IdleTimeout"]
	opt = opt.withTimeouts(idleAttr)
	crossZone := c.Attributes["CrossZoneLoadBalancing.Enabled"] == "true"
	view := &model.LoadBalancer{Name: c.Name, DNSName: c.DNSName, Type: "classic", Scheme: c.Scheme, VpcID: c.VpcID,
		Nodes: c.Nodes, State: "active", CrossZone: crossZone}
	p := newLoadBalancer(view, opt)
	p.classic = true
	p.silence = idleTimeout(idleAttr)
	settings, hcPort := classicSettings(c)
	g := newGroup(settings)
	g.registered = len(c.Instances)
	ts := classicTargets(st, c, opt.Zone, hcPort)
	g.targets.Store(&ts)
	p.groups[classicGroup] = g
	for _, l := range c.Listeners {
		if l.LoadBalancerPort <= 0 || l.LoadBalancerPort > 65535 {
			continue
		}
		port := uint16(l.LoadBalancerPort)
		p.listeners[port] = &listener{
			l: &model.Listener{Port: port, Protocol: strings.ToUpper(l.Protocol),
				DefaultActions: []model.ListenerAction{{Type: "forward", TargetGroupARN: classicGroup}}},
			port:          strconv.Itoa(l.LoadBalancerPort),
			instancePort:  uint16(l.InstancePort),
			instanceProto: strings.ToUpper(l.InstanceProtocol),
		}
	}
	return p, nil
}

// classicSettings are a Classic Load Balancer's health check as the
// settings of a target group of its instances, and the port checked.
func classicSettings(c *model.ClassicLoadBalancer) (*model.TargetGroup, uint16) {
	proto, hcPort, path := ClassicHealthTarget(c.HealthCheck.Target)
	return &model.TargetGroup{ARN: classicGroup, Protocol: proto, TargetType: "instance", HealthCheck: model.HealthCheck{
		Enabled: true, Protocol: proto, Port: strconv.Itoa(int(hcPort)), Path: path,
		IntervalSeconds: c.HealthCheck.Interval, TimeoutSeconds: c.HealthCheck.Timeout,
		HealthyThreshold: c.HealthCheck.HealthyThreshold, UnhealthyThreshold: c.HealthCheck.UnhealthyThreshold,
		Matcher: "200", // a Classic Load Balancer's HTTP health check passes on 200 only
	}}, hcPort
}

// ClassicHealthTarget splits a Classic Load Balancer's health check target
// ("HTTP:80/health", "TCP:8080") into its protocol, port and path ("/"
// when an HTTP target has none).
func ClassicHealthTarget(target string) (proto string, port uint16, path string) {
	proto, rest, _ := strings.Cut(target, ":")
	num, path, _ := strings.Cut(rest, "/")
	if n, err := strconv.Atoi(num); err == nil && n > 0 && n < 65536 {
		port = uint16(n)
	}
	return strings.ToUpper(proto), port, "/" + path
}

// classicTargets are the instances of a Classic Load Balancer a node in
// zone sends to, health checked on port hcPort: running, in a zone the
// load balancer serves, and (without cross-zone load balancing) in the
// node's zone.
func classicTargets(st *model.State, c *model.ClassicLoadBalancer, zone string, hcPort uint16) []*target {
	crossZone := c.Attributes["CrossZoneLoadBalancing.Enabled"] == "true"
	zones := nodeZones(c.Nodes)
	var ts []*target
	for _, id := range c.Instances {
		i := st.Instances[id]
		if i == nil || !zones[i.AvailabilityZone] || !crossZone && zone != "" && i.AvailabilityZone != zone {
			continue
		}
		addr, ok := targetAddr(st, model.Target{ID: string(id)})
		if !ok {
			continue
		}
		ts = append(ts, &target{
			ID: string(id), Zone: i.AvailabilityZone,
			addr: netip.AddrPortFrom(addr, 0), hc: netip.AddrPortFrom(addr, hcPort),
			state: StateInitial, reason: "Elb.InitialHealthChecking", desc: "Initial health checks in progress",
		})
	}
	return ts
}

// proxyTCP connects one client of a TCP listener to an InService
// instance's instance port and copies bytes both ways. A side that ends
// its half (FIN) has the node end the same half towards the other, which
// may go on sending (TCP half-close, as the NLB's relay and the kernel
// pass it); a side that resets or fails has both closed, the other with
// a reset; a connection idle in both directions for the load balancer's
// idle timeout (ConnectionSettings.IdleTimeout, 60 s by default, times
// the time scale) is closed both ways (a FIN to each: AWS says the load
// balancer closes it).
func (p *LoadBalancer) proxyTCP(c net.Conn, l *listener) {
	g := p.groups[classicGroup]
	t := p.pick(g)
	if t == nil {
		resetConn(c) // no InService instance: the client's connection is reset
		return
	}
	ctx, cancel := context.WithTimeout(p.ctx, p.opt.ConnectTimeout)
	to := netip.AddrPortFrom(t.addr.Addr(), l.instancePort).String()
	b, err := p.opt.Dial(ctx, "tcp", to)
	cancel()
	if err != nil {
		if !isTimeout(err) {
			resetConn(c) // refused or reset by the instance
			return
		}
		// The instance is silent: so is the node, for the idle timeout
		// unscaled (a client that waits less sees a timeout, as the
		// analyzer says, not the node's close).
		c.SetReadDeadline(time.Now().Add(p.silence))
		io.Copy(io.Discard, c)
		return
	}
	b = p.passing(b, to)
	if l.instanceProto == "SSL" {
		// SSL to the instance: a TLS handshake without SNI, the
		// instance's certificate not validated (Classic Load Balancer
		// guide, listener configurations: "Does not insert SNI headers
		// on back-end SSL connections").
		tc := tls.Client(b, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // ELB does not validate instances' certificates
		hctx, cancel := context.WithTimeout(p.ctx, p.opt.ConnectTimeout)
		err := tc.HandshakeContext(hctx)
		cancel()
		if err != nil {
			b.Close()
			resetConn(c) // [choice] the handshake with the instance failed: the client's connection is reset
			return
		}
		b = tc
	}
	if !p.track(b) {
		return
	}
	defer p.untrack(b)
	defer b.Close()
	NewRelay(c, b, p.opt.IdleTimeout).Run()
}
