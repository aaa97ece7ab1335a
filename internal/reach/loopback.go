package reach

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// KindLoopback is localhost (127.0.0.0/8) of the probe's source: its own
// network namespace, which no packet leaves ("localhost" or a 127.x
// address).
const KindLoopback EndpointKind = "loopback"

// loopbackEndpoint returns the endpoint for spec s (without its port), or
// false.
func loopbackEndpoint(s string, ep Endpoint) (Endpoint, bool) {
	a, err := netip.ParseAddr(s)
	switch {
	case strings.EqualFold(s, "localhost"):
		a = netip.AddrFrom4([4]byte{127, 0, 0, 1})
	case err != nil || !a.Is4() || !a.IsLoopback():
		return ep, false
	}
	ep.Kind, ep.Name, ep.Address = KindLoopback, "localhost ("+a.String()+")", a
	return ep, true
}

// loopback answers a probe to localhost. The connection never leaves the
// source's network namespace (no security group, network ACL or route
// applies), and which namespace that is depends on the network mode (ECS
// Developer Guide, "Amazon ECS task networking options for EC2"):
//
//   - awsvpc (and Fargate): the task's containers share one namespace, so
//     localhost is every container of the task ("containers that belong
//     to the same task can communicate over the localhost interface");
//   - bridge: each container has its own namespace on Docker's bridge;
//     localhost is the container alone, and the probe's container is the
//     task definition's first [choice]: another container's port, or a
//     daemon's host port on the instance, is not there;
//   - host, or a process of the instance: the instance's namespace, where
//     host mode tasks listen and Docker publishes bridge tasks' host ports
//     (on every address, 127.0.0.1 among them).
//
// Nothing listening is a refusal at once (an RST from the kernel).
func (t *tracer) loopback(q *Query, port uint16) *Result {
	fs := newFlowState()
	r := t.res
	tk := q.From.task
	x := t.sourceInstance(q)
	var src *Component
	switch {
	case tk != nil:
		src = tk.comp
	case x != nil:
		src = x.comp
	default:
		return t.invalid("localhost is the source's own network namespace: probe it from a task or an instance")
	}
	if tk != nil && tk.tk.NetworkMode == model.NetworkModeNone {
		// A task of network mode none has the loopback interface only.
		if len(tk.sockets) == 0 {
			return t.invalid("the task " + tk.name + " has network mode none and listens on no port the analyzer knows")
		}
	}
	pkt := t.pkt(q.To.Address, t.clientPort, q.To.Address, port)
	ns, listeners := t.loopbackNamespace(tk, x)
	t.add(&r.Forward, false, Hop{Action: ActionSent, Component: src, Packet: pkt,
		Note: "localhost is " + ns + ": the connection never leaves it; no security group, network ACL or route table applies"})
	for _, s := range listeners {
		if s.proto != t.proto || !loopbackListens(s, port, tk == nil || tk.tk.NetworkMode == model.NetworkModeHost || (x != nil && tk.tk.NetworkMode == model.NetworkModeBridge && !strings.HasPrefix(ns, "the container"))) {
			continue
		}
		who := src
		if s.task != nil {
			who = s.task.comp
		}
		t.add(&r.Forward, false, Hop{Action: ActionAccepted, Component: who, Packet: pkt, Note: "listening: " + socketWho(s)})
		if t.proto == model.TCP {
			t.add(&r.Return, true, Hop{Action: ActionReceived, Component: src, Packet: pkt.reply()})
		}
		res := t.finish(&fs, Connected, nil)
		if !t.quiet {
			res.Summary = "connected: " + socketWho(s) + " listens on " + q.To.Address.String() + ":" + strconv.Itoa(int(port)) + " in " + ns + "."
		}
		return res
	}
	seq := t.add(&r.Forward, false, Hop{Action: ActionRefused, Blocked: true, Component: src, Packet: pkt})
	t.block(&fs, Refused, func() Explanation {
		m := "nothing listens on " + t.proto.String() + "/" + strconv.Itoa(int(port)) + " in " + ns + ", which is what localhost is there: the kernel refuses the connection at once" +
			t.loopbackElsewhere(tk, x, port)
		return Explanation{Code: CodeLoopbackNotListening, Path: "forward", Hop: seq, Component: src, Port: port, Protocol: t.proto.String(), Message: m, clause: m}
	})
	return t.finish(&fs, fs.verdict, nil)
}

// loopbackNamespace names the source's network namespace and the sockets
// listening in it.
func (t *tracer) loopbackNamespace(tk *taskNode, x *instanceNode) (string, []*socket) {
	switch {
	case tk != nil && tk.tk.NetworkMode == model.NetworkModeBridge:
		first := ""
		if tk.def != nil && len(tk.def.Containers) > 0 {
			first = tk.def.Containers[0].Name
		}
		var own []*socket
		for _, s := range tk.sockets {
			if s.container == first {
				own = append(own, s)
			}
		}
		return "the container " + first + "'s own network namespace (bridge mode: each container has its own, on Docker's bridge)", own
	case tk != nil && tk.tk.NetworkMode != model.NetworkModeHost:
		return "the task " + tk.name + "'s network namespace, which its containers share (" + string(tk.tk.NetworkMode) + " mode)", tk.sockets
	case x != nil:
		return "the instance " + x.name + "'s own network namespace (host mode tasks and published host ports listen there)", x.sockets
	}
	return "the task " + tk.name + "'s network namespace", tk.sockets
}

// loopbackListens reports whether a socket answers port on localhost: in
// a task's or container's namespace its container port (the application
// ports when they are elsewhere), in the instance's its host port.
func loopbackListens(s *socket, port uint16, hostNS bool) bool {
	if slices.Contains(s.appPorts, port) {
		return true
	}
	if s.portElsewhere() {
		return false
	}
	if hostNS {
		return s.port == port || (s.last > 0 && s.port <= port && port <= s.last)
	}
	span := uint16(0)
	if s.last > 0 {
		span = s.last - s.port
	}
	return s.containerPort <= port && port <= s.containerPort+span
}

// socketWho names what listens on a socket.
func socketWho(s *socket) string {
	switch {
	case s.task != nil && s.container != "":
		return "the container " + s.container + " of the task " + s.task.name
	case s.task != nil:
		return "the task " + s.task.name
	case s.kind != "":
		return "the instance's " + s.kind
	}
	return "a process of the instance"
}

// loopbackElsewhere says where port does listen, when it is not in the
// source's namespace: the instance's host port (a daemon's, from a
// bridge container), or another container of a bridge task.
func (t *tracer) loopbackElsewhere(tk *taskNode, x *instanceNode, port uint16) string {
	if tk != nil && tk.tk.NetworkMode == model.NetworkModeAwsvpc {
		// A daemon on the container instance (a host port Docker
		// publishes, a host mode task) listens in the instance's
		// namespace, not the task's.
		if x != nil {
			for _, s := range x.sockets {
				if s.proto == t.proto && loopbackListens(s, port, true) {
					return "; " + socketWho(s) + " listens on the instance's port " + strconv.Itoa(int(port)) +
						": from an awsvpc task, send to the instance's private IP " + x.primary.primary.String() + " (from the instance metadata), which the instance's security group must admit from the task's, not to localhost"
				}
			}
		}
		// Another task (a daemon run as a service of its own) listens
		// on the port in its own namespace.
		for _, o := range t.n.taskOrder {
			if o == tk || !o.running || o.tk.NetworkMode != model.NetworkModeAwsvpc || o.eni == nil {
				continue
			}
			for _, s := range o.sockets {
				if s.proto == t.proto && loopbackListens(s, port, false) {
					return "; " + socketWho(s) + " listens on it in that task's own namespace: send to its address " + o.eni.primary.String() +
						" (or a name of it), or run the process as a container of this task, which shares its localhost"
				}
			}
		}
		return ""
	}
	if tk == nil || tk.tk.NetworkMode != model.NetworkModeBridge {
		return ""
	}
	if tk.def != nil {
		// Another container of the task: its container port, mapped or
		// not, is in its own namespace.
		for i, c := range tk.def.Containers {
			if i == 0 {
				continue
			}
			mapped := slices.ContainsFunc(c.PortMappings, func(pm model.PortMapping) bool { return pm.ContainerPort == port && protoOrTCP(pm.Protocol) == t.proto })
			if mapped || (t.proto == model.TCP && slices.Contains(c.UnmappedAppPorts(), port)) {
				return "; the container " + c.Name + " of the same task listens on it, in its own namespace: reach it by a container link (links: [\"" + c.Name + "\"], the host name " + c.Name +
					") or through a host port Docker publishes on the instance, or use the awsvpc network mode, where the task's containers share localhost"
			}
		}
	}
	if x == nil {
		return ""
	}
	for _, s := range x.sockets {
		if s.proto == t.proto && loopbackListens(s, port, true) {
			return "; " + socketWho(s) + " listens on the instance's port " + strconv.Itoa(int(port)) +
				": from a bridge-mode container, send to the instance's private IP " + x.primary.primary.String() + " (from the instance metadata) or to docker0's gateway " + docker0Gateway(x) + ", not to localhost"
		}
	}
	return ""
}

// docker0Gateway is the host's address on Docker's bridge (the first of
// docker0's range: 172.17.0.1 by default).
func docker0Gateway(x *instanceNode) string {
	if !x.docker0.IsValid() {
		return "172.17.0.1"
	}
	return x.docker0.Masked().Addr().Next().String()
}
