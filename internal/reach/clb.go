package reach

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Classic Load Balancers (reference §5a). A Classic Load Balancer is
// compiled as a load balancer of type "classic": its nodes, security
// groups, scheme and listeners are followed as an ALB's or NLB's are;
// behind a listener it differs:
//
//   - it registers instances, never addresses, and sends to the
//     listener's one instance port on the instance's primary private
//     address, from the node's private address (a new connection, as an
//     ALB opens);
//   - an instance is InService when its health check (the target
//     PROTOCOL:PORT[/path]) connects from the node and, for HTTP and
//     HTTPS, answers 200; else OutOfService;
//   - a node sends only to InService instances of the zones the load
//     balancer serves (of its own zone without cross-zone load
//     balancing); with none it answers an HTTP or HTTPS listener's
//     request with 503 and closes a TCP or SSL connection: it never fails
//     open as an ALB does;
//   - an HTTP listener's request to an instance that refuses answers 502,
//     one that is dropped 504.

// classicARN returns the ARN of a Classic Load Balancer.
func (n *Network) classicARN(name string) string {
	return ClassicLoadBalancerARN(n.st, name)
}

// ClassicLoadBalancerARN is the ARN the analyzer names a Classic Load
// Balancer by (an endpoint's ARN, a component's): its tagging ARN,
// model.ClassicLoadBalancerARN in st's region and account.
func ClassicLoadBalancerARN(st *model.State, name string) string {
	return model.ClassicLoadBalancerARN(st.Region, st.Account, name)
}

// LoadBalancerAt returns the ARN of the load balancer
// (ClassicLoadBalancerARN for a Classic Load Balancer) whose node
// holds a, as a private or public address, or "": a probe to that address
// asks the load balancer's listener, as the analyzer's does.
func LoadBalancerAt(st *model.State, a netip.Addr) string {
	for _, n := range st.NetworkInterfaces {
		if n.OwnerKind != model.OwnedByLoadBalancer && n.OwnerKind != model.OwnedByClassicLoadBalancer {
			continue
		}
		pub, _ := n.PublicIP()
		if !n.HasAddr(a) && pub != a {
			continue
		}
		if n.OwnerKind == model.OwnedByClassicLoadBalancer {
			return ClassicLoadBalancerARN(st, n.ManagedBy)
		}
		return n.ManagedBy
	}
	return ""
}

// compileClassic adds a Classic Load Balancer to the network as a load
// balancer of type "classic".
func (n *Network) compileClassic(c *model.ClassicLoadBalancer) {
	arn := n.classicARN(c.Name)
	view := &model.LoadBalancer{ARN: arn, Name: c.Name, DNSName: c.DNSName, Type: "classic", Scheme: c.Scheme, VpcID: c.VpcID,
		Nodes: c.Nodes, SecurityGroups: c.SecurityGroups, State: "active", IPAddressType: "ipv4",
		CrossZone: c.Attributes["CrossZoneLoadBalancing.Enabled"] == "true", CreatedAt: c.CreatedAt, Tags: c.Tags}
	x := &lbNode{lb: view, clb: c, comp: &Component{Type: "load-balancer", ID: c.Name, ARN: arn, Name: c.Name}}
	for _, node := range sortedNodes(c.Nodes) {
		if e := n.enis[node.ENI]; e != nil {
			x.nodes = append(x.nodes, e)
			x.zones = append(x.zones, node.AvailabilityZone)
		}
	}
	for i := range c.Listeners {
		l := &c.Listeners[i]
		id := l.Protocol + ":" + strconv.Itoa(l.LoadBalancerPort)
		x.listeners = append(x.listeners, &listenerNode{lb: x, classic: l,
			l:    &model.Listener{ARN: arn + "/listener/" + strconv.Itoa(l.LoadBalancerPort), LoadBalancerARN: arn, Port: uint16(l.LoadBalancerPort), Protocol: l.Protocol},
			comp: &Component{Type: "listener", ID: id, Name: c.Name + " " + id}})
	}
	n.lbs[arn] = x
	n.lbOrder = append(n.lbOrder, x)
}

// isClassic reports whether lb is a Classic Load Balancer.
func (lb *lbNode) isClassic() bool { return lb.clb != nil }

// isNLB reports whether lb is a Network Load Balancer.
func (lb *lbNode) isNLB() bool { return lb.lb.Type == "network" }

// classicHealthTarget splits a health check target "HTTP:80/health" into
// its protocol, port and path ("/" for an HTTP check without one).
func classicHealthTarget(target string) (proto string, port uint16, path string) {
	proto, rest, _ := strings.Cut(target, ":")
	num, path, _ := strings.Cut(rest, "/")
	p, _ := strconv.Atoi(num)
	if p > 0 && p < 65536 {
		port = uint16(p)
	}
	return strings.ToUpper(proto), port, "/" + path
}

// classicTargets returns the registered instances a node sends to, in
// registration order: running or not (health decides), in a zone the load
// balancer serves, and in the node's zone without cross-zone load
// balancing. registered reports whether any instance is registered.
func (t *tracer) classicTargets(node *eniNode, lb *lbNode, port uint16) (out []lbTarget, registered bool) {
	_, hcPort, _ := classicHealthTarget(lb.clb.HealthCheck.Target)
	for _, id := range lb.clb.Instances {
		registered = true
		i := t.n.instances[id]
		if i == nil || i.primary == nil {
			continue
		}
		az := i.inst.AvailabilityZone
		if !slices.Contains(lb.zones, az) || !lb.lb.CrossZone && az != node.eni.AvailabilityZone {
			continue
		}
		y := lbTarget{t: model.Target{ID: string(id), Port: port, AvailabilityZone: az}, instance: i, eni: i.primary,
			addr: i.primary.primary, name: i.name, hcPort: hcPort}
		if s := findSocket(i.sockets, model.TCP, port); s != nil && s.task != nil {
			y.name = s.task.name
		}
		out = append(out, y)
	}
	return out, registered
}

// Classic Load Balancer instance health descriptions, as
// DescribeInstanceHealth gives them.
const (
	ClassicFailedChecks = "Instance has failed at least the UnhealthyThreshold number of health checks consecutively."
)

// classicHealth runs a Classic Load Balancer's health check on an
// instance from a node: InService (reason "") when it connects, for SSL
// and HTTPS targets completes the TLS handshake, and for HTTP and HTTPS
// targets the application answers 200.
func (t *tracer) classicHealth(node *eniNode, lb *lbNode, x *lbTarget) healthOutcome {
	if !x.instance.running {
		return healthOutcome{verdict: Timeout, reason: "Instance", desc: "Instance is in " + string(x.instance.inst.State) + " state."}
	}
	proto, _, path := classicHealthTarget(lb.clb.HealthCheck.Target)
	f := flow{srcENI: node, src: node.primary, srcRef: node, sport: t.clientPort, dst: x.addr, dport: x.hcPort, dstHint: x.eni}
	v := t.healthVerdict(f)
	if v != Connected {
		return healthOutcome{verdict: v, reason: "Instance", desc: ClassicFailedChecks}
	}
	if proto == "SSL" {
		// An SSL health check is a TLS handshake (without SNI), which a
		// port that does not speak TLS fails (Classic Load Balancer
		// guide, "Configure health checks for your Classic Load Balancer").
		if tls, known, _ := t.appTLS(x, x.hcPort); known && !tls {
			return healthOutcome{verdict: v, reason: "Instance", desc: ClassicFailedChecks, tls: tlsToPlain}
		}
		return healthOutcome{verdict: v}
	}
	if proto != "HTTP" && proto != "HTTPS" {
		// A TCP or SSL check only connects (with the proxy protocol line
		// when the port has it): it passes either way.
		return healthOutcome{verdict: v}
	}
	if c, ok := socketContainer(targetSocket(x, x.hcPort)); ok && c.ProxyProtocol {
		// An HTTP(S) health check never carries the proxy protocol line:
		// an application that expects one reads the request as a broken
		// header and closes the connection.
		return healthOutcome{verdict: v, reason: "Instance", desc: ClassicFailedChecks, proxy: true}
	}
	status := t.appStatus(x, x.hcPort, healthCheckHost, path)
	if tls, known, _ := t.appTLS(x, x.hcPort); known && tls != (proto == "HTTPS") {
		// HTTPS to plain HTTP fails the handshake; plain HTTP to TLS is
		// answered 400.
		if !tls {
			return healthOutcome{verdict: v, reason: "Instance", desc: ClassicFailedChecks, tls: tlsToPlain}
		}
		status = StatusPlainHTTPToTLS
	}
	if status != 200 {
		return healthOutcome{verdict: v, status: status, reason: "Instance", desc: ClassicFailedChecks}
	}
	return healthOutcome{verdict: v, status: 200}
}

// classicRequest follows a request (HTTP, HTTPS) or connection (TCP, SSL)
// that a Classic Load Balancer's listener accepted to the listener's
// instance port on an InService instance.
func (t *tracer) classicRequest(client *flow, node *eniNode, l *listenerNode, q *Query, fwd, ret *[]Hop, out *lbOutcome) {
	lb := l.lb
	if t.plainHTTPToHTTPS(node, l, q, fwd, out) {
		return
	}
	layer7 := l.classic.Protocol == "HTTP" || l.classic.Protocol == "HTTPS"
	none := HTTP503
	if !layer7 {
		none = Refused // [choice] the node closes the client's connection
	}
	out.what = "forward"
	port := uint16(l.classic.InstancePort)
	p := t.pkt(node.primary, t.clientPort, netip.Addr{}, 0)
	targets, registered := t.classicTargets(node, lb, port)
	if len(targets) == 0 {
		out.verdict = none
		seq := t.add(fwd, false, Hop{Action: ActionResponded, Blocked: true, Component: l.comp, AttachedTo: lb.comp, Packet: p})
		if !registered {
			t.block(&out.backend, none, func() Explanation {
				m := "no instance is registered with the Classic Load Balancer " + lb.lb.Name + ", so it " + classicNoneVerb(layer7)
				return Explanation{Code: CodeNoRegisteredTargets, Path: "forward", Hop: seq, Component: lb.comp, Message: m, clause: m}
			})
			return
		}
		t.block(&out.backend, none, func() Explanation {
			m := "no instance registered with the Classic Load Balancer " + lb.lb.Name + " is in an Availability Zone it serves (" + strings.Join(lb.zones, ", ") + ")"
			if !lb.lb.CrossZone {
				m = "no instance registered with the Classic Load Balancer " + lb.lb.Name + " is in the node's Availability Zone " + node.eni.AvailabilityZone + " (cross-zone load balancing is off)"
			}
			return Explanation{Code: CodeNoTargetsInAZ, Path: "forward", Hop: seq, Component: lb.comp, Message: m, clause: m}
		})
		return
	}
	inService := 0
	for i := range targets {
		x := &targets[i]
		x.health = t.classicHealth(node, lb, x)
		if x.instance.running {
			x.traffic = t.quietConnect(flow{srcENI: node, src: node.primary, srcRef: node, sport: t.clientPort, dst: x.addr, dport: port, dstHint: x.eni})
		} else {
			x.traffic = Timeout
		}
		if x.health.reason == "" {
			inService++
		}
	}
	chosen := -1
	for i := range targets {
		if targets[i].health.reason == "" {
			chosen = i
			break
		}
	}
	for i := range targets {
		x := &targets[i]
		o := TargetOutcome{ID: x.t.ID, Port: port, AvailabilityZone: x.t.AvailabilityZone, Name: x.name, Health: HealthHealthy, Verdict: x.traffic, Chosen: i == chosen}
		if x.health.reason != "" {
			o.Health, o.Reason = HealthUnhealthy, x.health.desc
			t.info(func() Explanation { return t.classicUnhealthy(lb, x) })
		}
		if !t.quiet {
			t.res.Targets = append(t.res.Targets, o)
		}
		if i == chosen {
			oc := o
			out.target = &oc
		}
	}
	if chosen < 0 {
		out.verdict = none
		seq := t.add(fwd, false, Hop{Action: ActionResponded, Blocked: true, Component: l.comp, AttachedTo: lb.comp, Packet: p})
		t.block(&out.backend, none, func() Explanation {
			m := "none of the " + strconv.Itoa(len(targets)) + " instances the Classic Load Balancer " + lb.lb.Name + " sends to from " + node.eni.AvailabilityZone +
				" is InService (health check " + lb.clb.HealthCheck.Target + ") and a Classic Load Balancer does not fail open"
			if !layer7 {
				m += ": it " + classicNoneVerb(layer7)
			}
			return Explanation{Code: CodeClassicNoInService, Path: "forward", Hop: seq, Component: lb.comp, Port: targets[0].hcPort, Message: m, clause: m}
		})
		// The first instance's health check, hop by hop, when the network
		// drops it: the blocking rule is the root cause (and what a fix
		// changes).
		if x := &targets[0]; x.instance.running && x.health.verdict != Connected && x.health.verdict != Refused {
			hf := flow{srcENI: node, src: node.primary, srcRef: node, sport: t.clientPort, dst: x.addr, dport: x.hcPort, dstHint: x.eni}
			saved := t.proto
			t.proto = model.TCP
			_, fs := t.connect(&hf, fwd, ret)
			t.proto = saved
			if fs.blocked && fs.first >= 0 && !out.backend.blocked {
				out.backend = fs
			}
		}
		return
	}
	x := &targets[chosen]
	out.chosen = x
	t.add(fwd, false, Hop{Action: ActionForwarded, Component: l.comp, AttachedTo: lb.comp, Packet: t.pkt(node.primary, t.clientPort, x.addr, port)})
	bf := flow{srcENI: node, src: node.primary, srcRef: node, sport: t.clientPort, dst: x.addr, dport: port, dstHint: x.eni}
	v, fs := t.connect(&bf, fwd, ret)
	if fs.blocked && !out.backend.blocked {
		out.backend = fs
	}
	inst := l.classic.InstanceProtocol
	if inst == "" {
		inst = l.classic.Protocol
	}
	tls, known, app := t.appTLS(x, port)
	if v == Connected && t.classicProxyProtocol(l, x, port, app, out) {
		return
	}
	if !layer7 {
		out.verdict = v
		if v == Unknown {
			out.verdict = Timeout
		}
		if v == Connected && known && inst == "SSL" && !tls {
			// [choice] the node's TLS handshake with the instance fails:
			// it resets the client's connection.
			out.verdict = Refused
			t.block(&out.backend, Refused, func() Explanation {
				m := "the listener " + l.comp.Name + " sends SSL (TLS) to " + x.t.ID + ":" + strconv.Itoa(int(port)) + ", where " + app.String() +
					" answers plain TCP, so the handshake fails and the load balancer closes the client's connection. Make the listener's instance protocol TCP"
				return Explanation{Code: CodeTargetTLSMismatch, Path: "forward", Component: l.comp, Address: x.addr, Port: port, Message: m, clause: m}
			})
		}
		return
	}
	switch v {
	case Connected:
		req := q.request(lb)
		out.verdict = HTTPVerdict(t.appStatus(x, port, req.host, req.path))
		switch {
		case known && inst == "HTTPS" && !tls:
			// ELB's HTTPS to a plain HTTP instance: the handshake fails (502).
			out.verdict = HTTP502
			t.block(&out.backend, HTTP502, func() Explanation {
				m := "the listener " + l.comp.Name + " sends HTTPS to " + x.t.ID + ":" + strconv.Itoa(int(port)) + ", where " + app.String() +
					" answers plain HTTP, so the handshake fails and the load balancer answers 502 Bad Gateway. Make the listener's instance protocol HTTP"
				return Explanation{Code: CodeTargetTLSMismatch, Path: "forward", Component: l.comp, Address: x.addr, Port: port, Message: m, clause: m}
			})
			return
		case known && inst == "HTTP" && tls:
			out.verdict = HTTPVerdict(StatusPlainHTTPToTLS)
			t.block(&out.backend, out.verdict, func() Explanation {
				m := "the listener " + l.comp.Name + " sends plain HTTP to " + x.t.ID + ":" + strconv.Itoa(int(port)) + ", where " + app.String() +
					" speaks TLS, so it answers 400 Bad Request (a plain HTTP request to an HTTPS port). Make the listener's instance protocol HTTPS"
				return Explanation{Code: CodeTargetTLSMismatch, Path: "forward", Component: l.comp, Address: x.addr, Port: port, Message: m, clause: m}
			})
			return
		}
		if c, ok := socketContainer(targetSocket(x, port)); ok && keepAliveTooShort(c, lb) {
			// This request is answered; the next on a reused
			// connection may not be.
			t.info(func() Explanation {
				return Explanation{Code: CodeKeepAliveShorterThanIdle, Path: "forward", Component: lb.comp, Decided: l.comp, Message: keepAliveShort(c, lb) + "; " + keepAliveHint(c, lb)}
			})
		}
		if secs := t.appResponseSeconds(x, port, req.path); secs > 0 && timedOut(secs, lbIdleTimeout(lb)) {
			out.verdict = HTTP504
			t.blockSlow(&out.backend, lb, x, port, app, req.path, secs)
		}
	case Refused, Unknown:
		out.verdict = HTTP502
	case Timeout, NoRoute:
		out.verdict = HTTP504
	default:
		out.verdict = v
	}
}

// classicSendsProxyProtocol reports whether a Classic Load Balancer's
// listener prepends a proxy protocol v1 line to its connections to an
// instance port: a policy of type ProxyProtocolPolicyType with
// ProxyProtocol true on the port (SetLoadBalancerPoliciesForBackendServer),
// and a TCP or SSL back end (ELB guide, enable-proxy-protocol: "when you
// use TCP (layer 4) for both front-end and back-end connections"; an HTTP
// back end gets X-Forwarded-For instead [choice]).
func classicSendsProxyProtocol(lb *model.ClassicLoadBalancer, instProto string, port uint16) bool {
	if instProto != "TCP" && instProto != "SSL" {
		return false
	}
	return classicProxyPolicy(lb, port) != ""
}

// classicProxyPolicy returns the name of the proxy protocol policy on an
// instance port of a Classic Load Balancer ("" when none).
func classicProxyPolicy(lb *model.ClassicLoadBalancer, port uint16) string {
	for _, name := range lb.BackendPolicies[int(port)] {
		for _, p := range lb.Policies {
			if p.Name != name || p.TypeName != "ProxyProtocolPolicyType" {
				continue
			}
			for _, a := range p.Attributes {
				if a[0] == "ProxyProtocol" && strings.EqualFold(a[1], "true") {
					return name
				}
			}
		}
	}
	return ""
}

// classicProxyProtocol judges a connection a Classic Load Balancer's
// listener opened to an instance's application against the proxy protocol
// (the connection connected): a line the application does not expect is
// read as a malformed request (400); a line it expects and does not get
// makes it read the client's bytes as a broken header and close the
// connection (refused; 502 behind an HTTP listener). It reports whether
// it decided the outcome.
func (t *tracer) classicProxyProtocol(l *listenerNode, x *lbTarget, port uint16, app appName, out *lbOutcome) bool {
	c, ok := socketContainer(targetSocket(x, port))
	if !ok {
		return false
	}
	lb := l.lb
	inst := l.classic.InstanceProtocol
	if inst == "" {
		inst = l.classic.Protocol
	}
	sends := classicSendsProxyProtocol(lb.clb, inst, port)
	if sends == c.ProxyProtocol {
		return false
	}
	who := x.t.ID + ":" + strconv.Itoa(int(port))
	if sends {
		out.verdict = HTTPVerdict(400)
		t.block(&out.backend, out.verdict, func() Explanation {
			m := "the Classic Load Balancer " + lb.lb.Name + " has proxy protocol on instance port " + strconv.Itoa(int(port)) + " (policy " + classicProxyPolicy(lb.clb, port) +
				", ProxyProtocolPolicyType): the listener " + l.comp.Name + " prepends a proxy protocol v1 line (\"PROXY TCP4 <client> <node> <ports>\") to each connection to " + who +
				", where " + app.String() + " does not expect one, reads it as a malformed request and answers 400 Bad Request. Take the policy off the instance port, or have the application expect the header (nginx: listen … proxy_protocol)"
			return Explanation{Code: CodeClassicProxyProtocolMismatch, Path: "forward", Component: lb.comp, Decided: l.comp, Address: x.addr, Port: port, Message: m, clause: m}
		})
		return true
	}
	out.verdict = Refused
	why := "no ProxyProtocolPolicyType policy is on instance port " + strconv.Itoa(int(port))
	if inst != "TCP" && inst != "SSL" {
		// The load balancer answers the client itself.
		out.verdict = HTTP502
		why = "its instance protocol is " + inst + ", and the load balancer sends the proxy protocol line on TCP and SSL back ends only"
	} else if classicProxyPolicy(lb.clb, port) != "" {
		why = "its policy is on the port but the listener's instance protocol is " + inst
	}
	t.block(&out.backend, out.verdict, func() Explanation {
		m := app.String() + " at " + who + " expects a proxy protocol line first, but the listener " + l.comp.Name + " of the Classic Load Balancer " + lb.lb.Name +
			" sends none (" + why + "): the application reads the client's first bytes as a broken header and closes the connection without an answer (nginx: \"broken header … while reading PROXY protocol\")"
		if out.verdict == HTTP502 {
			m += ", and the load balancer answers 502 Bad Gateway"
		}
		m += ". Turn proxy protocol on for the instance port (a ProxyProtocolPolicyType policy, TCP listeners), or the application's proxy protocol off"
		return Explanation{Code: CodeClassicProxyProtocolMismatch, Path: "forward", Component: lb.comp, Decided: l.comp, Address: x.addr, Port: port, Message: m, clause: m}
	})
	return true
}

func classicNoneVerb(layer7 bool) string {
	if layer7 {
		return "answers 503 Service Unavailable"
	}
	return "closes the client's connection"
}

// classicUnhealthy says why an instance is OutOfService, and names a
// bridge task behind it that publishes the container port on another
// (dynamic) host port.
func (t *tracer) classicUnhealthy(lb *lbNode, x *lbTarget) Explanation {
	who := x.t.ID
	if x.name != "" && x.name != x.t.ID {
		who += " (" + x.name + ")"
	}
	hc := lb.clb.HealthCheck.Target
	m := "the instance " + who + " registered with the Classic Load Balancer " + lb.lb.Name + " is OutOfService (" + x.health.desc + ")"
	code := CodeTargetUnhealthy
	switch {
	case !x.instance.running:
	case x.health.tls == tlsToPlain:
		port := strconv.Itoa(int(x.hcPort))
		if proto, _, _ := classicHealthTarget(hc); proto == "SSL" {
			m += ": its health check " + hc + " fails the TLS handshake: port " + port + " answers without TLS, and an SSL health check passes only when the handshake completes (TCP:" + port + " checks the connection alone)"
		} else {
			m += ": its health check " + hc + " fails the TLS handshake: port " + port + " answers plain HTTP"
		}
	case x.health.proxy:
		m += ": its health check " + hc + " carries no proxy protocol line (an HTTP or HTTPS health check never does, whatever the port's policies), and the application on port " +
			strconv.Itoa(int(x.hcPort)) + " expects one: it closes the connection. Check TCP:" + strconv.Itoa(int(x.hcPort)) + " instead, or let the application answer health checks on a port without proxy protocol"
	case x.health.status != 0:
		m += ": its health check " + hc + " gets " + strconv.Itoa(x.health.status) + "; a Classic Load Balancer's HTTP health check passes on 200 only"
	case x.health.verdict == Refused:
		m += ": its health check " + hc + " is refused: nothing listens on port " + strconv.Itoa(int(x.hcPort))
	default:
		m += ": its health check " + hc + " is dropped on the way"
	}
	if tk, host, cport, dynamic := t.otherPortBehindClassic(lb, x); tk != nil {
		code = CodeTargetPortRestriction
		m += ". The task " + tk.name + " publishes container port " + strconv.Itoa(int(cport)) + " on host port " + strconv.Itoa(int(host))
		if dynamic {
			code = CodeClassicDynamicPort
			m += " (a dynamic host port: hostPort 0 in its task definition)"
		}
		m += "; a Classic Load Balancer sends to and checks one fixed instance port (" + strconv.Itoa(int(x.t.Port)) +
			"): set the hostPort to it, or use an Application Load Balancer, whose target groups take each task's port"
	}
	return Explanation{Code: code, Path: "forward", Component: lb.comp, Address: x.addr, Port: x.hcPort, Message: m}
}

// otherPortBehindClassic returns a running bridge task on the instance
// whose service uses the Classic Load Balancer and whose container port is
// published on a host port other than the target's instance port, that
// host port and container port, and whether the task definition leaves
// the host port dynamic (hostPort 0, which ECS refuses for a service
// behind a Classic Load Balancer; a state imported from elsewhere may
// still hold it).
func (t *tracer) otherPortBehindClassic(lb *lbNode, x *lbTarget) (*taskNode, uint16, uint16, bool) {
	for _, tk := range x.instance.tasks {
		if !tk.running || tk.service == nil || tk.tk.NetworkMode != model.NetworkModeBridge {
			continue
		}
		for _, sl := range taskLoadBalancers(tk.service.svc, tk.tk) {
			if sl.LoadBalancerName != lb.clb.Name {
				continue
			}
			for _, c := range tk.tk.Containers {
				if c.Name != sl.ContainerName {
					continue
				}
				for _, b := range c.NetworkBindings {
					if b.ContainerPort == sl.ContainerPort && b.HostPort != x.t.Port {
						return tk, b.HostPort, b.ContainerPort, dynamicMapping(tk.def, c.Name, b.ContainerPort)
					}
				}
			}
		}
	}
	return nil, 0, 0, false
}

// dynamicMapping reports whether task definition td publishes container
// port cport of container name on a dynamic host port (hostPort 0).
func dynamicMapping(td *model.TaskDefinition, name string, cport uint16) bool {
	if td == nil {
		return false
	}
	c, ok := td.Container(name)
	if !ok {
		return false
	}
	return slices.ContainsFunc(c.PortMappings, func(pm model.PortMapping) bool { return pm.ContainerPort == cport && pm.HostPort == 0 })
}

// ClassicInstanceHealth is the state of each instance registered with a
// Classic Load Balancer, as DescribeInstanceHealth reports it: InService,
// or OutOfService with a reason code (Instance, ELB) and description. An
// instance is InService when its health check passes from every node
// that sends to it (health checks run from each node; a node of another
// zone sends to it only with cross-zone load balancing). Nil when the
// network has no Classic Load Balancer of that name.
func ClassicInstanceHealth(n *Network, name string) []TargetHealthResult {
	lb := n.lbs[n.classicARN(name)]
	if lb == nil {
		return nil
	}
	_, hcPort, _ := classicHealthTarget(lb.clb.HealthCheck.Target)
	t := &tracer{n: n, proto: model.TCP, clientPort: DefaultClientPort, quiet: true}
	out := make([]TargetHealthResult, 0, len(lb.clb.Instances))
	for _, id := range lb.clb.Instances {
		r := TargetHealthResult{Target: TargetRef{ID: string(id)}, HealthCheckPort: strconv.Itoa(int(hcPort)), State: "InService"}
		i := n.instances[id]
		switch {
		case i == nil:
			r.State, r.Reason, r.Description = "OutOfService", "Instance", "Instance is in terminated state."
		case !slices.Contains(lb.zones, i.inst.AvailabilityZone):
			r.Target.AvailabilityZone = i.inst.AvailabilityZone
			r.State, r.Reason, r.Description = "OutOfService", "ELB", "Instance is in the EC2 Availability Zone for which LoadBalancer is not configured to route traffic to."
		default:
			r.Target.AvailabilityZone, r.Name = i.inst.AvailabilityZone, i.name
			for _, node := range lb.nodes {
				if !lb.lb.CrossZone && node.eni.AvailabilityZone != i.inst.AvailabilityZone {
					continue
				}
				x := lbTarget{t: model.Target{ID: string(id), AvailabilityZone: i.inst.AvailabilityZone}, instance: i, eni: i.primary, hcPort: hcPort, name: i.name}
				if i.primary == nil {
					continue
				}
				x.addr = i.primary.primary
				if h := t.classicHealth(node, lb, &x); h.reason != "" {
					r.State, r.Reason, r.Description = "OutOfService", h.reason, h.desc
					break
				}
			}
		}
		out = append(out, r)
	}
	return out
}

// sortedNodes returns load balancer nodes by Availability Zone.
func sortedNodes(nodes []model.LoadBalancerNode) []model.LoadBalancerNode {
	out := slices.Clone(nodes)
	slices.SortFunc(out, func(a, b model.LoadBalancerNode) int { return cmp.Compare(a.AvailabilityZone, b.AvailabilityZone) })
	return out
}

// classicService checks a service behind a Classic Load Balancer: its
// container port must be published on a listener's instance port (a
// dynamic host port never is), and the instances' security groups must
// admit the load balancer on the instance and health check ports.
func (l *linter) classicService(s *serviceNode, slb model.ServiceLoadBalancer, td *model.TaskDefinition, lb *lbNode) {
	if td.NetworkMode == model.NetworkModeAwsvpc {
		// ECS refuses this at CreateService; a snapshot or a changed
		// task definition can still hold it.
		l.add(SeverityError, CodeTargetTypeMismatch, s.comp, "the service "+s.svc.Name+" uses network mode awsvpc behind the Classic Load Balancer "+lb.lb.Name+
			": a Classic Load Balancer registers instances, never a task's ENI, so none of its tasks is ever registered",
			"use an Application Load Balancer (or a Network Load Balancer) with a target group of target type ip")
		return
	}
	c, ok := td.Container(slb.ContainerName)
	if !ok || len(lb.nodes) == 0 {
		return
	}
	var host uint16
	found := false
	for _, pm := range c.PortMappings {
		if pm.ContainerPort == slb.ContainerPort {
			host, found = pm.HostPort, true
			if td.NetworkMode == model.NetworkModeHost {
				host = pm.ContainerPort
			}
		}
	}
	if !found {
		return
	}
	ports := map[uint16]bool{}
	for _, ls := range lb.listeners {
		ports[uint16(ls.classic.InstancePort)] = true
	}
	switch {
	case host == 0:
		l.add(SeverityError, CodeClassicDynamicPort, s.comp, "the service "+s.svc.Name+" runs behind the Classic Load Balancer "+lb.lb.Name+
			" with a dynamic host port (hostPort 0 for container port "+strconv.Itoa(int(slb.ContainerPort))+"): a Classic Load Balancer sends to one fixed instance port, so its instances stay OutOfService and it answers 503",
			"set hostPort to the listener's instance port in the task definition (one task per instance), or move the service to an Application Load Balancer, whose target groups take each task's host port")
		return
	case !ports[host]:
		var list []string
		for _, ls := range lb.listeners {
			list = append(list, strconv.Itoa(ls.classic.InstancePort))
		}
		l.add(SeverityError, CodeTargetPortRestriction, s.comp, "the service "+s.svc.Name+" publishes container port "+strconv.Itoa(int(slb.ContainerPort))+" on host port "+strconv.Itoa(int(host))+
			", but the Classic Load Balancer "+lb.lb.Name+" sends to instance port "+strings.Join(list, ", "),
			"set the task definition's hostPort to the listener's instance port, or the listener's InstancePort to "+strconv.Itoa(int(host)))
		return
	}
	_, hcPort, _ := classicHealthTarget(lb.clb.HealthCheck.Target)
	node := lb.nodes[0]
	seen := map[*instanceNode]bool{}
	for _, tk := range s.tasks {
		i := tk.instance
		if !tk.running || i == nil || i.primary == nil || seen[i] {
			continue
		}
		seen[i] = true
		target := i.primary
		if len(target.sgs.groups) == 0 {
			continue
		}
		for _, hp := range []uint16{host, hcPort} {
			if hp == 0 || target.sgs.match(false, model.TCP, hp, node.primary, node, nil) != nil {
				continue
			}
			port := strconv.Itoa(int(hp))
			l.add(SeverityError, CodeTaskSGBlocksLB, target.sgs.groups[0].comp, "security group "+target.sgs.groupNames()+" of the instance "+i.name+
				" does not allow tcp/"+port+" from the Classic Load Balancer "+lb.lb.Name+": its health checks time out (OutOfService) and requests get 503",
				"allow tcp/"+port+" from security group "+node.sgs.groupNames()+" on "+target.sgs.groupNames())
			break
		}
	}
}
