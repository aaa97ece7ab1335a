package reach

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// accept applies the destination ENI's security groups and then asks what
// listens on the destination address and port (reference §7: per network
// mode). It reports whether a socket accepted the packet. It walks past a
// security group drop, so the result also says what would happen if the
// groups allowed it.
func (t *tracer) accept(fs *flowState, f *flow, a *arrival, path *[]Hop) (*socket, bool) {
	D := a.eni
	p := t.pkt(a.srcSeen, f.sport, a.dstAddr, f.dport)
	if D.kind == eniNAT {
		seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: D.comp, AttachedTo: D.attached, Subnet: subnetComp(D), Packet: p})
		t.block(fs, Timeout, func() Explanation {
			m := a.dstAddr.String() + " belongs to NAT gateway " + D.attached.Label() + ", which only carries connections that start inside the VPC: nothing enters through a NAT gateway"
			return Explanation{Code: CodeNATNoInbound, Path: "forward", Hop: seq, Component: D.attached, NetworkInterface: D.comp, Message: m, clause: m}
		})
		return nil, false
	}
	if !a.self {
		t.sgCheck(fs, path, false, D, false, p, a.srcSeen, a.srcRef, f.via)
	}
	switch D.kind {
	case eniEndpoint:
		if D.endpoint != nil && !endpointCarries(D.endpoint.ep.State) {
			seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: D.attached, Packet: p})
			t.block(fs, Timeout, func() Explanation {
				m := "interface endpoint " + D.attached.Label() + " is " + D.endpoint.ep.State + ", not available, so it carries no connection" + acceptHint(D.endpoint.ep.State)
				return Explanation{Code: CodeBadState, Path: "forward", Hop: seq, Component: D.attached, Message: m, clause: m}
			})
			return nil, false
		}
		if t.proto == model.TCP && endpointServes(D.endpoint, f.dport) {
			s := t.n.endpointSocket
			t.add(path, false, Hop{Action: ActionAccepted, Component: D.attached, Packet: p, Socket: s.view})
			return s, true
		}
		seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: D.attached, Packet: p})
		t.block(fs, Timeout, func() Explanation {
			m := "interface endpoint " + D.attached.Label() + " serves only " + endpointPorts(D.endpoint)
			return Explanation{Code: CodeEndpointPort, Path: "forward", Hop: seq, Component: D.attached, Port: f.dport, Message: m, clause: m}
		})
		return nil, false
	case eniEFS:
		if t.proto == model.TCP && f.dport == NFSPort {
			s := t.n.efsSocket
			t.add(path, false, Hop{Action: ActionAccepted, Component: D.comp, Packet: p, Socket: s.view})
			return s, true
		}
		seq := t.add(path, false, Hop{Action: ActionRefused, Blocked: true, Component: D.comp, Packet: p})
		t.block(fs, Refused, func() Explanation {
			m := D.label() + " is an EFS mount target, which serves only tcp/2049 (NFS)"
			return Explanation{Code: CodeNoListener, Path: "forward", Hop: seq, Component: D.comp, Port: f.dport, Message: m, clause: m}
		})
		return nil, false
	case eniTask:
		return t.acceptTask(fs, f, a, path, p)
	case eniHost:
		return t.acceptHost(fs, f, a, path, p)
	}
	seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: D.comp, Packet: p})
	t.block(fs, Timeout, func() Explanation {
		m := D.label() + " is not attached to an instance or task, so nothing answers"
		return Explanation{Code: CodeBadState, Path: "forward", Hop: seq, Component: D.comp, Message: m, clause: m}
	})
	return nil, false
}

// acceptTask handles a packet at an awsvpc task's ENI: the task's
// containers share its network namespace, and their ports exist only on
// the task ENI's address (reference §1, §7).
func (t *tracer) acceptTask(fs *flowState, f *flow, a *arrival, path *[]Hop, p Packet) (*socket, bool) {
	D := a.eni
	tk := D.task
	if tk == nil {
		seq := t.add(path, false, Hop{Action: ActionRefused, Blocked: true, Component: D.comp, Packet: p})
		t.block(fs, Refused, func() Explanation {
			m := D.label() + " belongs to a task that no longer exists"
			return Explanation{Code: CodeTaskNotRunning, Path: "forward", Hop: seq, Component: D.comp, Message: m, clause: m}
		})
		return nil, false
	}
	if !tk.running {
		seq := t.add(path, false, Hop{Action: ActionRefused, Blocked: true, Component: tk.comp, Packet: p})
		t.block(fs, Refused, func() Explanation {
			m := "the task " + tk.name + " is " + string(tk.tk.LastStatus) + ", not RUNNING, so nothing listens on its ENI yet"
			return Explanation{Code: CodeTaskNotRunning, Path: "forward", Hop: seq, Component: tk.comp, Message: m, clause: m}
		})
		return nil, false
	}
	if t.echo {
		return t.answerEcho(tk.comp, path, p, "the task's network namespace answers the echo request (Linux answers ICMP echo by default)")
	}
	s := findSocket(tk.sockets, t.proto, f.dport)
	if s == nil {
		seq := t.add(path, false, Hop{Action: ActionRefused, Blocked: true, Component: tk.comp, Packet: p})
		t.block(fs, Refused, func() Explanation {
			m := "nothing listens on " + t.protoName() + "/" + strconv.Itoa(int(f.dport)) + " in the task " + tk.name + socketList(tk.sockets, " (it listens on ", ")")
			return Explanation{Code: CodeNoListener, Path: "forward", Hop: seq, Component: tk.comp, Port: f.dport, Message: m,
				clause: m + ", so it answers with a reset"}
		})
		return nil, false
	}
	return t.checkBind(fs, f, s, tk.comp, path, p)
}

// checkBind accepts a packet on a socket unless the application listens
// on the loopback address only (it then refuses every packet from outside).
func (t *tracer) checkBind(fs *flowState, f *flow, s *socket, c *Component, path *[]Hop, p Packet) (*socket, bool) {
	if r := s.notReady; r != nil {
		seq := t.add(path, false, Hop{Action: ActionRefused, Blocked: true, Component: c, Packet: p, Socket: s.view})
		t.block(fs, Refused, func() Explanation {
			m := r.message(s)
			return Explanation{Code: CodeTaskStoppedBeforeReady, Path: "forward", Hop: seq, Component: r.svc.comp, Port: s.containerPort, Message: m, clause: m}
		})
		return nil, false
	}
	if s.portElsewhere() {
		seq := t.add(path, false, Hop{Action: ActionRefused, Blocked: true, Component: c, Packet: p, Socket: s.view})
		t.block(fs, Refused, func() Explanation {
			c := "the container " + s.container + " of " + s.task.name + " maps container port " + strconv.Itoa(int(s.containerPort)) +
				", but its application listens on " + portList(s.appPorts) + ", so the connection is refused"
			return Explanation{Code: CodeAppPortMismatch, Path: "forward", Hop: seq, Component: s.task.comp, Port: s.containerPort,
				Message: c + "; make the application listen on " + strconv.Itoa(int(s.containerPort)) + " or map the port it listens on", clause: c}
		})
		return nil, false
	}
	if !s.loopback() {
		t.add(path, false, Hop{Action: ActionAccepted, Component: c, Packet: p, Socket: s.view})
		return s, true
	}
	seq := t.add(path, false, Hop{Action: ActionRefused, Blocked: true, Component: c, Packet: p, Socket: s.view})
	t.block(fs, Refused, func() Explanation {
		c := "the container " + s.container + " of " + s.task.name + " listens on " + s.bind.String() + ":" + strconv.Itoa(int(s.containerPort)) +
			", the loopback address, so connections from outside the container are refused"
		return Explanation{Code: CodeAppBoundToLoopback, Path: "forward", Hop: seq, Component: s.task.comp, Port: s.containerPort,
			Message: c + "; make the application listen on 0.0.0.0", clause: c}
	})
	return nil, false
}

// acceptHost handles a packet at an address of an instance's host network
// namespace: sshd, bridge host ports (bound on 0.0.0.0, so on every
// address of the instance), host-mode containers. Anything else gets a
// reset, and the explanation says where the port really is.
func (t *tracer) acceptHost(fs *flowState, f *flow, a *arrival, path *[]Hop, p Packet) (*socket, bool) {
	D := a.eni
	inst := D.instance
	if inst == nil {
		seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: D.comp, Packet: p})
		t.block(fs, Timeout, func() Explanation {
			m := D.label() + " is attached to no known instance"
			return Explanation{Code: CodeBadState, Path: "forward", Hop: seq, Component: D.comp, Message: m, clause: m}
		})
		return nil, false
	}
	if !inst.running {
		seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: inst.comp, Packet: p})
		t.block(fs, Timeout, func() Explanation {
			m := "the instance " + inst.name + " is " + string(inst.inst.State) + ", not running"
			return Explanation{Code: CodeBadState, Path: "forward", Hop: seq, Component: inst.comp, Message: m, clause: m}
		})
		return nil, false
	}
	if t.echo {
		return t.answerEcho(inst.comp, path, p, "the instance answers the echo request (Linux answers ICMP echo by default)")
	}
	if s := findSocket(inst.sockets, t.proto, f.dport); s != nil {
		if s.kind == "ecs-agent" && !(f.srcENI != nil && f.srcENI.instance == inst && f.srcENI.task == nil) && !OffhostIntrospectionAllowed(inst.inst.UserData) {
			// ecs-init's rule: the introspection port only from the
			// loopback and docker0 (the host and its bridge containers).
			seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: inst.comp, Packet: p, Socket: s.view})
			t.block(fs, Timeout, func() Explanation {
				who := "another host"
				if f.srcENI != nil && f.srcENI.task != nil {
					who = "the awsvpc task " + f.srcENI.task.name + " (its own network interface)"
				}
				m := "the ECS agent's introspection API listens on tcp/" + strconv.Itoa(ECSAgentPort) + " of the container instance " + inst.name +
					", but the ECS-optimized AMI's ecs-init drops connections to it that do not come from the instance itself or its bridge containers (loopback, docker0), and this one comes from " + who +
					"; set ECS_ALLOW_OFFHOST_INTROSPECTION_ACCESS=true in /etc/ecs/ecs.config (the instances' user data) to allow them, besides a security group rule"
				return Explanation{Code: CodeAgentIntrospectionOffhost, Path: "forward", Hop: seq, Component: inst.comp, Port: f.dport, Protocol: t.protoName(), Message: m, clause: m}
			})
			return nil, false
		}
		if s.task == nil {
			t.add(path, false, Hop{Action: ActionAccepted, Component: inst.comp, Packet: p, Socket: s.view})
			return s, true
		}
		a.bridged = s.task.tk.NetworkMode == model.NetworkModeBridge
		return t.checkBind(fs, f, s, s.task.comp, path, p)
	}
	seq := t.add(path, false, Hop{Action: ActionRefused, Blocked: true, Component: inst.comp, Packet: p})
	t.hostRefusal(fs, f, a, inst, seq)
	return nil, false
}

// hostRefusal explains why nothing listens on an instance address and
// port, naming the task that does listen on that port elsewhere.
func (t *tracer) hostRefusal(fs *flowState, f *flow, a *arrival, inst *instanceNode, seq int) {
	D := a.eni
	port := strconv.Itoa(int(f.dport))
	for _, tk := range inst.tasks {
		if tk.tk.NetworkMode != model.NetworkModeAwsvpc || tk.eni == nil {
			continue
		}
		s := findSocket(tk.sockets, t.proto, f.dport)
		if s == nil {
			continue
		}
		E := tk.eni
		t.block(fs, Refused, func() Explanation {
			where := "the task " + tk.name + " listens on " + port + " on its own ENI " + E.label()
			tail := ""
			switch {
			case a.ingressIGW && !E.public.IsValid():
				tail = ", which has no public IP"
			case a.ingressIGW:
				tail = ", whose public IP is " + E.public.String()
			default:
				tail = "; connect to " + E.primary.String() + ":" + port + " instead"
			}
			addr := a.dstAddr.String()
			if a.ingressIGW {
				addr = f.dst.String() + " (" + a.dstAddr.String() + ")"
			}
			m := addr + " is an address of the instance " + inst.name + " on " + D.label() + "; nothing listens on " + t.protoName() + "/" + port +
				" there, because " + where + tail + " (awsvpc: a task's ports exist only on its own ENI)"
			e := Explanation{Code: CodePortOnTaskENI, Path: "forward", Hop: seq, Component: tk.comp, NetworkInterface: E.comp, Address: E.primary, Port: f.dport,
				Protocol: t.protoName(), Message: m}
			e.clause = "nothing listens there: " + where + tail
			return e
		})
		return
	}
	for _, tk := range inst.tasks {
		if tk.tk.NetworkMode != model.NetworkModeBridge && tk.tk.NetworkMode != model.NetworkModeHost {
			continue
		}
		for _, s := range tk.sockets {
			if s.proto != t.proto {
				continue
			}
			if !tk.running && s.ports().Contains(f.dport) {
				t.block(fs, Refused, func() Explanation {
					m := "the task " + tk.name + " would listen on " + port + " but it is " + string(tk.tk.LastStatus) + ", not RUNNING"
					return Explanation{Code: CodeTaskNotRunning, Path: "forward", Hop: seq, Component: tk.comp, Port: f.dport, Message: m, clause: "nothing listens there: " + m}
				})
				return
			}
			if cr := (model.PortRange{First: s.containerPort, Last: s.containerPort + (s.ports().Last - s.port)}); tk.tk.NetworkMode == model.NetworkModeBridge &&
				s.last > s.port && cr.Contains(f.dport) && !s.ports().Contains(f.dport) {
				t.block(fs, Refused, func() Explanation {
					hp := s.port + (f.dport - s.containerPort)
					m := "the container " + s.container + " of " + tk.name + " listens on " + port + " inside its bridge network; Docker publishes its container ports " +
						cr.String() + " on host ports " + s.ports().String() + ", so " + port + " is host port " + strconv.Itoa(int(hp))
					return Explanation{Code: CodeNoHostPortBinding, Path: "forward", Hop: seq, Component: tk.comp, Port: hp, Message: m, clause: "nothing listens there: " + m}
				})
				return
			}
			if tk.tk.NetworkMode == model.NetworkModeBridge && s.containerPort == f.dport && s.port != f.dport {
				t.block(fs, Refused, func() Explanation {
					m := "the container " + s.container + " of " + tk.name + " listens on " + port + " inside its bridge network; Docker publishes it on host port " +
						strconv.Itoa(int(s.port)) + ", not " + port
					return Explanation{Code: CodeNoHostPortBinding, Path: "forward", Hop: seq, Component: tk.comp, Port: s.port, Message: m, clause: "nothing listens there: " + m}
				})
				return
			}
		}
	}
	t.block(fs, Refused, func() Explanation {
		m := "nothing listens on " + t.protoName() + "/" + port + " on the instance " + inst.name + socketList(inst.sockets, " (it listens on ", ")")
		return Explanation{Code: CodeNoListener, Path: "forward", Hop: seq, Component: inst.comp, Port: f.dport, Protocol: t.protoName(), Message: m,
			clause: m + ", so the host answers with a reset"}
	})
}

// socketList returns "tcp/22, tcp/3000" wrapped in pre and post, or "".
func socketList(list []*socket, pre, post string) string {
	if len(list) == 0 {
		return ""
	}
	var b [64]byte
	return string(appendSocketList(b[:0], list, pre, post))
}

// appendSocketList appends what socketList returns to b.
func appendSocketList(b []byte, list []*socket, pre, post string) []byte {
	if len(list) == 0 {
		return b
	}
	b = append(b, pre...)
	for i, x := range list {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, x.proto.String()...)
		b = append(b, '/')
		b = strconv.AppendUint(b, uint64(x.port), 10)
		if x.last > x.port {
			b = append(b, '-')
			b = strconv.AppendUint(b, uint64(x.last), 10)
		}
	}
	return append(b, post...)
}

// portList writes ports as "8080" or "8080, 9090".
func portList(ports []uint16) string {
	out := make([]string, len(ports))
	for i, p := range ports {
		out[i] = strconv.Itoa(int(p))
	}
	return strings.Join(out, ", ")
}

// endpointServes reports whether an interface endpoint answers TCP on
// port: the ports of its service's interface (model.InterfaceEndpointPorts:
// 443 for HTTPS, the SMTP ports for SES's SMTP interface).
func endpointServes(x *endpointNode, port uint16) bool {
	svc := ""
	if x != nil {
		svc = x.service
	}
	return slices.Contains(model.InterfaceEndpointPorts(svc), port)
}

// endpointPorts names what an interface endpoint serves, for a probe on
// another port.
func endpointPorts(x *endpointNode) string {
	if x != nil && x.service == "email-smtp" {
		return "the SMTP ports tcp/" + portList(model.InterfaceEndpointPorts(x.service)) + " (Amazon SES's SMTP interface)"
	}
	return "tcp/443 (HTTPS)"
}
