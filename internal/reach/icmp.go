package reach

// echoProbe finishes a ping (an ICMP or ICMPv6 echo request) once the
// forward walk has arrived: the destination's security groups, then who
// answers, then the echo reply's way back. Security groups are stateful
// for ICMP echo too (the reply to an allowed request is allowed); network
// ACLs are not, so the reply (type 0; ICMPv6 129) needs rules of its own.
// Linux answers echo requests by default (net.ipv4.icmp_echo_ignore_all
// is 0), so a running instance or task answers; a load balancer's nodes
// answer none and forward none to targets.
func (t *tracer) echoProbe(fs *flowState, f *flow, a *arrival, fwd, ret *[]Hop) Verdict {
	accepted := a.exited // an internet host answers ([choice]), as it accepts TCP
	switch {
	case a.eni != nil && a.eni.kind == eniLB:
		t.lbEcho(fs, a, fwd)
		return flowVerdict(*fs, false)
	case a.eni != nil:
		_, accepted = t.accept(fs, f, a, fwd)
	}
	if accepted {
		t.reply(fs, f, a, ret)
	}
	if !accepted && !fs.blocked {
		return Timeout
	}
	return flowVerdict(*fs, accepted)
}

// answerEcho records a host's echo reply being sent: the request is
// accepted by the kernel, no socket.
func (t *tracer) answerEcho(c *Component, path *[]Hop, p Packet, note string) (*socket, bool) {
	t.add(path, false, Hop{Action: ActionAccepted, Component: c, Packet: p, Note: note})
	return nil, true
}

// lbEcho records a ping that reached a load balancer's node: after the
// node's security groups, the node drops it. Load balancers answer only
// on their listeners (an ALB's HTTP and HTTPS, an NLB's TCP, TLS and UDP,
// a Classic Load Balancer's HTTP, HTTPS, TCP and SSL): no listener takes
// ICMP, so nothing answers the echo request and nothing is forwarded to
// the targets ([choice]: AWS documents the listener protocols, not the
// drop itself).
func (t *tracer) lbEcho(fs *flowState, a *arrival, path *[]Hop) {
	D := a.eni
	lb := D.lb
	p := t.pkt(a.srcSeen, 0, a.dstAddr, 0)
	t.sgCheck(fs, path, false, D, false, p, a.srcSeen, a.srcRef, nil)
	c := D.comp
	name := D.label()
	if lb != nil {
		c, name = lb.comp, lb.lb.Name
	}
	seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: c, Packet: p})
	t.block(fs, Timeout, func() Explanation {
		kind := "load balancer"
		switch {
		case lb == nil:
		case lb.isClassic():
			kind = "Classic Load Balancer"
		case lb.isNLB():
			kind = "Network Load Balancer"
		case lb.isALB():
			kind = "Application Load Balancer"
		}
		m := "the " + kind + " " + name + " does not answer ping: its nodes take only their listeners' protocols, answer no ICMP echo request and forward none to the targets; ping a target itself, or probe a listener over tcp"
		return Explanation{Code: CodeLBNoICMP, Path: "forward", Hop: seq, Component: c, NetworkInterface: D.comp, Protocol: t.protoName(), Message: m, clause: m}
	})
}
