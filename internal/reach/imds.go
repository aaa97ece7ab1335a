package reach

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// KindIMDS is the instance metadata service (IMDS) of the probe's source:
// 169.254.169.254 on port 80, a link-local address every EC2 instance
// answers for itself ("imds" or the address).
const KindIMDS EndpointKind = "instance-metadata-service"

// imdsAddr is IMDS's IPv4 address (EC2 User Guide, "Access instance
// metadata for an EC2 instance").
var imdsAddr = netip.AddrFrom4([4]byte{169, 254, 169, 254})

// imdsEndpoint returns the IMDS endpoint for spec s (without its port),
// or false.
func imdsEndpoint(s string, ep Endpoint) (Endpoint, bool) {
	return linkLocalEndpoint(s, ep, KindIMDS, "instance metadata service", imdsAddr, "imds", "instance-metadata", "169.254.169.254")
}

// linkLocalEndpoint returns the endpoint of kind at addr for spec s when
// s is one of its names (its address written out among them), or false.
func linkLocalEndpoint(s string, ep Endpoint, kind EndpointKind, name string, addr netip.Addr, names ...string) (Endpoint, bool) {
	if !slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(s, n) }) {
		return ep, false
	}
	ep.Kind, ep.Name, ep.Address = kind, name, addr
	return ep, true
}

// imdsPort is the one port IMDS answers on.
const imdsPort = 80

// imdsTokenHeader carries an IMDSv2 session token on a request.
const imdsTokenHeader = "X-aws-ec2-metadata-token"

// imds answers a probe to the instance metadata service. The request
// never leaves the instance: IMDS is a link-local service of the
// instance's hypervisor, which security groups and network ACLs do not
// filter and route tables do not route (VPC User Guide, security group
// rules: "traffic to and from ... Amazon EC2 instance metadata" is not
// filtered). What decides it is where the client runs and the instance's
// metadata options (EC2 User Guide, "Instance metadata access
// considerations"):
//
//   - a process on the instance, or a container of a host mode task, is
//     one hop from IMDS; a container of a bridge mode task is two (the
//     response crosses docker0 into the container's network namespace);
//     an awsvpc task on EC2 uses its own ENI of the instance, one hop
//     ([choice]), unless the agent's ECS_AWSVPC_BLOCK_IMDS=true blocks it
//     (the task's namespace gets no route to it);
//   - an IMDSv2 token request is a PUT whose response IMDS sends with the
//     IP TTL of HttpPutResponseHopLimit: farther away than that it is
//     dropped on the way and the client times out (the SDKs then fall back
//     to IMDSv1, which HttpTokens required answers 401);
//   - a GET without a token (IMDSv1) is answered 401 when HttpTokens is
//     required, else 200;
//   - with HttpEndpoint disabled nothing answers ([choice]: a timeout);
//     Fargate tasks have no instance metadata at all: the connection
//     fails at once with EINVAL (no route, as the analyzer says it).
func (t *tracer) imds(q *Query, port uint16) *Result {
	fs := newFlowState()
	r := t.res
	if port != imdsPort {
		return t.invalid("the instance metadata service listens on port 80 only (169.254.169.254:80)")
	}
	if isICMP(t.proto) || t.proto != model.TCP {
		return t.invalid("the instance metadata service answers HTTP over TCP only")
	}
	svc := &Component{Type: "instance-metadata-service", ID: imdsAddr.String(), Name: "instance metadata service"}
	tk := q.From.task
	x := t.sourceInstance(q)
	src := q.From.eni
	srcComp := (*Component)(nil)
	switch {
	case tk != nil:
		srcComp = tk.comp
	case x != nil:
		srcComp = x.comp
	}
	if tk != nil && (tk.tk.LaunchType == model.LaunchFargate || x == nil) {
		// Fargate: no instance, no metadata service.
		t.add(&r.Forward, false, Hop{Action: ActionSent, Component: srcComp, Packet: t.imdsPacket(src, port)})
		t.block(&fs, NoRoute, func() Explanation {
			m := "the task " + tk.name + " runs on AWS Fargate, which has no instance metadata service: a connection to 169.254.169.254 fails at once (connect: invalid argument, EINVAL); a task's credentials come from its task role (the ECS credentials endpoint, 169.254.170.2), its metadata from ECS_CONTAINER_METADATA_URI_V4"
			return Explanation{Code: CodeIMDSUnavailable, Path: "forward", Component: tk.comp, Message: m, clause: m}
		})
		return t.finish(&fs, fs.verdict, nil)
	}
	if x == nil {
		return t.invalid("the instance metadata service answers processes and containers on an EC2 instance: probe it from an instance or a task on one")
	}
	if tk != nil && tk.tk.NetworkMode == model.NetworkModeNone {
		return t.invalid("the task " + tk.name + " has network mode none: it has no network to ask the instance metadata service on")
	}
	opts := model.DefaultMetadataOptions()
	if x.inst.Metadata != nil {
		opts = *x.inst.Metadata
	}
	hops, where := 1, "a process on "+x.name
	if tk != nil {
		switch tk.tk.NetworkMode {
		case model.NetworkModeBridge:
			hops, where = 2, "the task "+tk.name+" (bridge mode: its containers are behind docker0, one hop further than the instance)"
		case model.NetworkModeAwsvpc:
			where = "the task " + tk.name + " (awsvpc: its own ENI of " + x.name + ")"
		default:
			where = "the task " + tk.name + " (host mode: the instance's network namespace)"
		}
	}
	if src == nil {
		src = x.primary
	}
	t.add(&r.Forward, false, Hop{Action: ActionSent, Component: srcComp, Packet: t.imdsPacket(src, port),
		Note: "169.254.169.254 is link-local: the instance's hypervisor answers it; no security group, network ACL or route table applies"})
	if tk != nil && tk.tk.NetworkMode == model.NetworkModeAwsvpc && awsvpcBlocksIMDS(x.inst) {
		t.block(&fs, NoRoute, func() Explanation {
			m := "the ECS agent on " + x.name + " blocks the instance metadata service for awsvpc tasks (ECS_AWSVPC_BLOCK_IMDS=true in /etc/ecs/ecs.config): the task's network namespace has no route to 169.254.169.254; the task's credentials come from its task role"
			return Explanation{Code: CodeIMDSUnavailable, Path: "forward", Component: x.comp, Message: m, clause: m}
		})
		return t.finish(&fs, fs.verdict, nil)
	}
	if opts.HTTPEndpoint == "disabled" {
		t.block(&fs, Timeout, func() Explanation {
			m := "the instance metadata service of " + x.name + " is turned off (HttpEndpoint disabled): nothing answers 169.254.169.254"
			return Explanation{Code: CodeIMDSUnavailable, Path: "forward", Component: x.comp, Message: m, clause: m}
		})
		return t.finish(&fs, fs.verdict, nil)
	}
	method := strings.ToUpper(q.HTTPMethod)
	if method == "" {
		method = "GET"
	}
	t.add(&r.Forward, false, Hop{Action: ActionAccepted, Component: svc, AttachedTo: x.comp, Packet: t.imdsPacket(src, port),
		Note: method + " " + imdsPath(q, method) + " from " + where})
	if method == "PUT" && hops > opts.HopLimit {
		t.add(&r.Return, true, Hop{Action: ActionDropped, Blocked: true, Component: x.comp, Packet: t.imdsPacket(src, port).reply(),
			Note: "the token response leaves IMDS with IP TTL " + strconv.Itoa(opts.HopLimit) + " (HttpPutResponseHopLimit) and the client is " + strconv.Itoa(hops) + " hops away: it expires on docker0"})
		t.block(&fs, Timeout, func() Explanation {
			m := "the IMDSv2 token request (PUT /latest/api/token) from " + where + " gets no answer: " + x.name + "'s HttpPutResponseHopLimit is " + strconv.Itoa(opts.HopLimit) +
				" and the response needs " + strconv.Itoa(hops) + " hops, so it is dropped on the way and the client times out (the AWS SDKs then fall back to IMDSv1"
			if opts.HTTPTokens == "required" {
				m += ", which HttpTokens required answers 401: no instance role credentials"
			} else {
				m += " after a delay"
			}
			m += "); AWS recommends a hop limit of 2 in a container environment, or a task role for the containers' credentials"
			return Explanation{Code: CodeIMDSHopLimit, Path: "return", Component: x.comp, Message: m, clause: m}
		})
		return t.finish(&fs, fs.verdict, nil)
	}
	status := 200
	sum := "http 200: " + where + " reaches the instance metadata service of " + x.name
	if method != "PUT" && opts.HTTPTokens == "required" && q.HTTPHeaders[imdsTokenHeader] == "" {
		status = 401
		sum = "http 401: " + x.name + " requires IMDSv2 (HttpTokens required): a request without a session token (IMDSv1) is answered 401 Unauthorized; PUT /latest/api/token first and send the token in " + imdsTokenHeader
		t.info(func() Explanation {
			return Explanation{Code: CodeIMDSTokenRequired, Path: "forward", Component: x.comp, Message: sum[len("http 401: "):]}
		})
	}
	t.add(&r.Return, true, Hop{Action: ActionReceived, Component: srcComp, Packet: t.imdsPacket(src, port).reply()})
	res := t.finish(&fs, HTTPVerdict(status), nil)
	if !t.quiet {
		res.Summary = sum + "."
	}
	return res
}

// sourceInstance is the EC2 instance the probe's source runs on: a task's
// instance, the instance itself, or the one its ENI is attached to (nil
// for none: a Fargate task, the internet, an ENI of no instance).
func (t *tracer) sourceInstance(q *Query) *instanceNode {
	switch {
	case q.From.task != nil:
		return q.From.task.instance
	case q.From.instance != nil:
		return q.From.instance
	case q.From.eni != nil && q.From.eni.eni.Attachment != nil:
		return t.n.instances[q.From.eni.eni.Attachment.InstanceID]
	}
	return nil
}

// imdsPacket is the client's packet to IMDS.
func (t *tracer) imdsPacket(src *eniNode, port uint16) Packet {
	var a netip.Addr
	if src != nil {
		a = src.primary
	}
	return t.pkt(a, t.clientPort, imdsAddr, port)
}

// reply is the packet answering p.
func (p Packet) reply() Packet {
	p.Source, p.Destination = p.Destination, p.Source
	p.SourcePort, p.DestinationPort = p.DestinationPort, p.SourcePort
	return p
}

// awsvpcBlocksIMDS reports whether the instance's ECS agent blocks IMDS
// for awsvpc tasks: ECS_AWSVPC_BLOCK_IMDS=true in the ecs.config its user
// data writes (ECS Developer Guide, "Amazon ECS container agent
// configuration").
func awsvpcBlocksIMDS(i *model.Instance) bool {
	text := model.CloudInitText(i.UserData)
	for _, v := range []string{"ECS_AWSVPC_BLOCK_IMDS=true", "ECS_AWSVPC_BLOCK_IMDS=\"true\"", "ECS_AWSVPC_BLOCK_IMDS='true'"} {
		if strings.Contains(text, v) {
			return true
		}
	}
	return false
}

// AWSVPCBlocksIMDS reports whether the instance's ECS agent blocks IMDS
// for its awsvpc tasks (ECS_AWSVPC_BLOCK_IMDS=true), for the data plane.
func AWSVPCBlocksIMDS(i *model.Instance) bool { return awsvpcBlocksIMDS(i) }

// IMDSPath is the path of a query's request to IMDS with method (the
// token's for a PUT), for the data plane's client.
func IMDSPath(q *Query, method string) string { return imdsPath(q, method) }

// imdsPath is the request's path: the token's for a PUT, else the
// query's (default the metadata root).
func imdsPath(q *Query, method string) string {
	switch {
	case q.HTTPPath != "" && q.HTTPPath != "/":
		return q.HTTPPath
	case method == "PUT":
		return "/latest/api/token"
	}
	return "/latest/meta-data/"
}
