package reach

import (
	"net/netip"
	"slices"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/model"
)

// flowState is the state of one connection: whether something blocked it
// and, if so, the verdict of the first block.
type flowState struct {
	blocked bool
	verdict Verdict
	first   int // index of the first blocking explanation, -1 when none (or quiet)
	// firewalls are the AWS Network Firewall endpoints the request went
	// through, with its addresses there: firewallSeen by a stateless
	// pass, firewallSFE by the stateful engine (networkfirewall.go).
	firewalls map[firewallFlow]uint8
	// appliances are the Gateway Load Balancer appliances the request
	// went through, by load balancer and appliance (gwlb.go).
	appliances map[string]bool
	// replyMet are the inspection points (GWLB and Network Firewall
	// endpoints, appliance instances' interfaces) the reply went
	// through, by component id (ingressasym.go's replyAround).
	replyMet []string
}

func newFlowState() flowState { return flowState{first: -1} }

// tracer walks packets through a Network and records what happens.
type tracer struct {
	n          *Network
	res        *Result
	quiet      bool // record verdicts only: no hops, no explanations
	proto      model.Protocol
	clientPort uint16
	seq        int
	// pubRef is the public address the client's packet was sent to and
	// the ENI holding it (for the summary).
	pubAddr netip.Addr
	pubENI  *eniNode
	// paths remembers which path each sequence number is on.
	onReturn []bool
	// replyICMP: the reply being walked is an ICMP port unreachable
	// message (the host refused a UDP datagram).
	replyICMP bool
	// replyReset: the reply being walked is a TCP reset a Network Load
	// Balancer passes on from its target, the answer to the client's SYN
	// (ingressasym.go).
	replyReset bool
	// gwlbDepth counts the Gateway Load Balancer health checks under way
	// (a health check that itself meets a GWLB endpoint nests).
	gwlbDepth uint8
	// inspectDepth counts the inspection points (appliances, GWLB
	// endpoints of inspection VPCs) the packet being walked has passed
	// (inspection.go), against routing loops.
	inspectDepth uint8
	// echo: the probe is an ICMP (or ICMPv6) echo request, a ping; its
	// reply is an echo reply.
	echo bool
	// nxSrc: the source ENI of a query whose name does not resolve (for
	// which DNS servers it asked).
	nxSrc *eniNode
	// translated: the flow being walked is a dualstack NLB's connection
	// to a target of the other family than its client's (for the
	// explanation of a target's group that drops it).
	translated bool
	// privateLink: the flow being walked is a Network Load Balancer's
	// connection to a target of a connection that came through AWS
	// PrivateLink (the target sees the node's address, whatever client IP
	// preservation says).
	privateLink bool
	// healthOf: the walk is a health check of this target group's target.
	healthOf *tgNode
	// viaPublicName: the destination is the private address a public
	// name answered the internet with (a public record, a Cloud Map
	// public namespace's); its note explains the miss.
	viaPublicName bool
	// pcxDNSNote: the destination name resolved to a public address for
	// want of a peering connection's DNS option (ec2dns.go).
	pcxDNSNote string
	// query is the probe's query, for an Application Load Balancer that
	// a Network Load Balancer's alb-type target group forwards to (its
	// listener rules read the request); nil outside a probe.
	query *Query
	// chained: the walk is already inside a load balancer a Network Load
	// Balancer forwarded to (one level: an ALB's targets are never load
	// balancers).
	chained bool
	// sni is the name the client sends (TLS SNI, HTTP Host) when the
	// walk is not a probe's: a start check's registry or service name.
	sni string
}

func (t *tracer) protoName() string { return t.proto.String() }

// echoType returns the ICMP type of an echo probe's request (8; ICMPv6
// 128) or, on the return path, of its reply (0; ICMPv6 129).
func (t *tracer) echoType(ret bool) uint8 {
	return echoMessage(ret).Type(t.proto == model.ICMPv6)
}

// echoMessage is an echo probe's message on the forward or return path.
func echoMessage(ret bool) ICMPMessage {
	if ret {
		return EchoReply
	}
	return EchoRequest
}

// echoWhat describes an echo probe's message in a sentence: "icmp echo
// request (type 8)".
func (t *tracer) echoWhat(ret bool) string {
	m := "echo request"
	if ret {
		m = "echo reply"
	}
	return t.protoName() + " " + m + " (type " + strconv.Itoa(int(t.echoType(ret))) + ")"
}

func (t *tracer) pkt(src netip.Addr, sport uint16, dst netip.Addr, dport uint16) Packet {
	return Packet{Protocol: t.proto.String(), Source: src, SourcePort: sport, Destination: dst, DestinationPort: dport}
}

// add appends a hop to a path and returns its sequence number.
func (t *tracer) add(path *[]Hop, ret bool, h Hop) int {
	if t.quiet {
		return 0
	}
	t.seq++
	h.Seq = t.seq
	if t.echo {
		h.Packet.ICMP = echoMessage(ret)
	}
	*path = append(*path, h)
	t.onReturn = append(t.onReturn, ret)
	return t.seq
}

// block records that something drops or refuses the connection. mk
// builds the explanation; it is not called in quiet mode.
func (t *tracer) block(fs *flowState, v Verdict, mk func() Explanation) {
	if v == Refused && t.echo {
		// Nothing answers a ping with a reset: the client sees no reply.
		v = Timeout
	}
	if !fs.blocked {
		fs.blocked, fs.verdict = true, v
	}
	if t.quiet {
		return
	}
	e := mk()
	e.Blocking = true
	if fs.first < 0 {
		fs.first = len(t.res.Explanations)
	}
	t.res.Explanations = append(t.res.Explanations, e)
}

// blockOn is block for a packet on the forward path (ret false) or the
// return path. A reply dropped on its way back leaves the client waiting:
// it times out even when the host refused, for the reset the host sent is
// the reply that never arrives (network ACLs are stateless and filter
// resets as any other packet; reference §8).
func (t *tracer) blockOn(fs *flowState, ret bool, v Verdict, mk func() Explanation) {
	if ret && fs.blocked && fs.verdict == Refused {
		fs.blocked, fs.first = false, -1
	}
	t.block(fs, v, mk)
}

// info records a non-blocking explanation.
func (t *tracer) info(mk func() Explanation) {
	if t.quiet {
		return
	}
	t.res.Explanations = append(t.res.Explanations, mk())
}

func pathName(ret bool) string {
	if ret {
		return "return"
	}
	return "forward"
}

// flow is one connection attempt: a packet from a source to a destination
// address and port, and its reply.
type flow struct {
	srcENI *eniNode   // the ENI that sends; nil for an internet client
	src    netip.Addr // the source address in the header
	// srcRef is the ENI whose private address src is, for security group
	// references; nil when src is translated (internet, NAT, preserved
	// client IP).
	srcRef  *eniNode
	via     []model.SecurityGroupID // groups the packet also counts as coming from (an NLB's)
	sport   uint16
	dst     netip.Addr
	dport   uint16
	dstHint *eniNode // the destination ENI when the caller knows it
	// preserved: an NLB forwards with the client's address; replies
	// return through the NLB whatever the routes say.
	preserved bool
	// translated: a dualstack NLB forwards a client of one family to a
	// target of the other, from its node's address of the target's
	// family, whatever client IP preservation says.
	translated bool
	// top marks the client's own flow (not a load balancer's backend or
	// health check).
	top bool
	// seen is the client's address as a load balancer node sees it, when
	// the way there translated it (a public IP, through internet
	// gateways): what an NLB with client IP preservation passes on.
	seen netip.Addr
	// bridged: the client is a container of a bridge-mode task, whose
	// eth0 is on docker0's network (docker0Takes).
	bridged bool
	// dns64: an IPv6 client of a dual-stack subnet with DNS64 on asked an
	// IPv4-only name: it connects to the synthesized 64:ff9b::/96 address
	// of dst (dns64.go).
	dns64 bool
	// natTGW are the NAT gateways that translated the flow into a transit
	// gateway (nattgw.go), first to last: the same one again is a
	// routing loop.
	natTGW []*natNode
}

type pathKind uint8

const (
	viaLocal           pathKind = iota // within the VPC
	viaIGW                             // the source's own public IP, through the internet gateway
	viaNAT                             // through a NAT gateway, then the internet gateway
	viaInternet                        // from an internet client
	viaGatewayEndpoint                 // to an AWS service through a gateway endpoint
	viaPeering                         // to a peered VPC through a VPC peering connection
	viaEIGW                            // IPv6 to the internet through an egress-only internet gateway
	viaTGW                             // to another VPC through a transit gateway
	viaNATInstance                     // through a NAT instance's ENI, then the internet gateway
)

// arrival is where the forward walk ended.
type arrival struct {
	reached    bool       // the packet got to its destination ENI or left the network
	eni        *eniNode   // the destination ENI; nil when it left the network
	exited     bool       // it left the modelled network (internet host, AWS service)
	srcSeen    netip.Addr // the source address the destination sees
	srcRef     *eniNode   // the ENI of srcSeen, when it is a private address
	dstAddr    netip.Addr // the destination address after translation
	ingressIGW bool       // it entered the destination's VPC through its internet gateway
	kind       pathKind
	nat        *natNode
	// natInner are the NAT gateways that translated the flow into a
	// transit gateway before nat did, first to last (nattgw.go): the
	// reply is translated back at nat, then at each of them in turn.
	natInner []*natNode
	natENI   *eniNode // viaNATInstance: the NAT instance's ENI
	endpoint *endpointNode
	pcx      *model.VpcPeeringConnection // viaPeering
	pcxComp  *Component
	eigw     *Component // viaEIGW
	tgw      *Component // viaTGW: the transit gateway crossed
	vgw      *Component // viaVPN
	// self: the source sends to its own address; the packet never leaves
	// the host, so no security group, network ACL or route applies.
	self bool
	// bridged: a bridge-mode container accepted it (through its host
	// port): its reply leaves from docker0's network (docker0Takes).
	bridged bool
	// inspected are the inspection points the request went through, in
	// order (inspection.go): its reply must go through the same ones.
	inspected []inspectionPass
}

// forward walks a flow's packet from its source to its destination.
func (t *tracer) forward(fs *flowState, f *flow, path *[]Hop) arrival {
	if f.srcENI == nil {
		t.add(path, false, Hop{Action: ActionSent, Component: t.n.internet, Packet: t.pkt(f.src, f.sport, f.dst, f.dport)})
		a := t.fromInternet(fs, f, path, f.src)
		a.kind = viaInternet
		return a
	}
	n := t.n
	S := f.srcENI
	p := t.pkt(f.src, f.sport, f.dst, f.dport)
	if f.dns64 && S.v6.IsValid() && f.dst.Is4() {
		// The client connects to the address DNS64 gave (dns64.go).
		p.Source, p.Destination = S.v6, nat64Addr(f.dst)
	}
	t.add(path, false, Hop{Action: ActionSent, Component: S.comp, AttachedTo: S.attached, Subnet: subnetComp(S), Packet: p})
	if S.eni.HasAddr(f.dst) {
		return arrival{reached: true, eni: S, srcSeen: f.src, srcRef: f.srcRef, dstAddr: f.dst, kind: viaLocal, self: true}
	}
	if docker0Takes(S, f.dst, f.bridged) {
		seq := t.add(path, false, Hop{Action: ActionNoRoute, Blocked: true, Component: S.comp, AttachedTo: S.attached, Subnet: subnetComp(S), Packet: p})
		t.block(fs, NoRoute, func() Explanation {
			m := "the host route " + S.instance.docker0.String() + " dev docker0 of " + S.instance.name + " (Docker's " + docker0What(S.instance) + ") is more specific than its default route, so " +
				f.dst.String() + " is looked for on docker0, not in the VPC; set the Docker daemon's bip to another range in the instance's user data, or use awsvpc mode"
			if f.bridged {
				m = "the bridge-mode containers on " + S.instance.name + " sit on Docker's " + docker0What(S.instance) + " network " + S.instance.docker0.String() +
					" (docker0), so " + f.dst.String() + " is on their own link and is looked for there, not in the VPC, even in the instance's own subnet; set the Docker daemon's bip to another range in the instance's user data, or use awsvpc mode"
			}
			if why := S.instance.bipIgnored; why != "" {
				m += " (" + why + ")"
			}
			return Explanation{Code: CodeDocker0Overlap, Path: "forward", Hop: seq, Component: S.comp, Address: f.dst, Message: m, clause: m}
		})
		return arrival{}
	}
	var dstRef *eniNode
	// A VPC may use a publicly routable CIDR (172.32.0.0/16 is not
	// RFC 1918): an address that is an ENI's private address in the VPC
	// is that ENI, public range or not.
	if !isPublic(f.dst) || f.dst.Is6() || n.eniAt(S.eni.VpcID, f.dst) != nil {
		dstRef = f.dstHint
		if dstRef == nil && !n.lazy {
			dstRef = n.eniAt(S.eni.VpcID, f.dst)
			if dstRef == nil {
				dstRef = n.peeredENI(S, f.dst)
			}
		}
	}
	if S.subnet != nil && S.subnet.rt != nil && (S.subnet.subnet.IPv6Native || f.dns64) && f.dst.Is4() {
		// An IPv4 address in the VPC too: the interface has no IPv4
		// address to reach it from, only DNS64 and NAT64 (VPC User
		// Guide, nat-gateway-nat64-dns64.html: "IPv4-only services in
		// the same VPC").
		return t.nat64(fs, f, path, S, p)
	}
	// Security groups: egress at the source ENI (reference §8).
	t.sgCheck(fs, path, false, S, true, p, f.dst, dstRef, nil)
	if S.subnet == nil || S.subnet.rt == nil {
		t.add(path, false, Hop{Action: ActionNoRoute, Blocked: true, Component: S.comp, Packet: p})
		t.block(fs, NoRoute, func() Explanation {
			return Explanation{Code: CodeNoRouteToDestination, Path: "forward", Component: S.comp, Address: f.dst,
				Message: "the subnet of " + S.label() + " has no route table", clause: "the subnet of " + S.label() + " has no route table"}
		})
		return arrival{}
	}
	rr, ok := t.route(fs, path, false, S.subnet, p, f.dst)
	if !ok {
		if path != nil && len(*path) > 0 {
			t.bridgeAddressHint(fs, f, (*path)[len(*path)-1].Seq) // bridgeaddr.go
		}
		return arrival{}
	}
	if rr.route.Target == model.TargetVpcEndpoint {
		if ep := n.endpoint(model.VpcEndpointID(rr.route.TargetID)); ep != nil && ep.gwlb() {
			return t.forwardThroughGWLB(fs, f, path, S, ep, p)
		}
	}
	return t.onRoute(fs, f, path, S, rr, p)
}

// nat64Prefix is the well-known prefix of NAT64 and DNS64 (RFC 6052).
var nat64Prefix = netip.MustParsePrefix("64:ff9b::/96")

// nat64Addr is the address DNS64 synthesizes for an IPv4 address.
func nat64Addr(v4 netip.Addr) netip.Addr {
	a, b := nat64Prefix.Addr().As16(), v4.As4()
	copy(a[12:], b[:])
	return netip.AddrFrom16(a)
}

// nat64 carries a packet from an interface of an IPv6-only subnet to an
// IPv4 address outside the VPC: the interface has no IPv4 address, so the
// client connects to the address the Route 53 Resolver's DNS64
// synthesizes (64:ff9b::/96 and the IPv4 address), which only the
// subnet's EnableDns64 gives, and a route for it to a NAT gateway
// translates to IPv4 (NAT64). VPC User Guide, nat-gateway-nat64-dns64.html
// ("DNS64 and NAT64"; "you must add a route to the subnet's route table
// that sends 64:ff9b::/96 to the NAT gateway").
func (t *tracer) nat64(fs *flowState, f *flow, path *[]Hop, S *eniNode, p Packet) arrival {
	sn := S.subnet
	if !sn.subnet.EnableDNS64 {
		// No address to connect to: the client's system fails at once
		// (no IPv4 route, ENETUNREACH), before any security group.
		seq := t.add(path, false, Hop{Action: ActionNoRoute, Blocked: true, Component: sn.comp, Subnet: sn.comp, Packet: p})
		t.block(fs, NoRoute, func() Explanation {
			m := "the subnet " + sn.comp.Label() + " is IPv6-only: its network interfaces have no IPv4 address, and " + f.dst.String() +
				" is IPv4 only; without DNS64 on the subnet (EnableDns64) the Route 53 Resolver answers the name with no IPv6 address to connect to. Turn DNS64 on and route 64:ff9b::/96 to a NAT gateway in a public subnet (NAT64)"
			return Explanation{Code: CodeIPv6OnlyNoNAT64, Path: "forward", Hop: seq, Component: sn.comp, Address: f.dst, Message: m, clause: m}
		})
		return arrival{}
	}
	d6 := nat64Addr(f.dst)
	if !f.src.IsValid() || f.src.Is4() {
		// The interface's own address is its IPv6 one: the NAT gateway
		// answers it there.
		f.src = S.v6
	}
	p6 := p
	p6.Source, p6.Destination = S.v6, d6
	// The connection leaves the interface for the synthesized address:
	// the interface's security groups judge it (an IPv6 rule, ::/0).
	t.sgCheck(fs, path, false, S, true, p6, d6, nil, nil)
	rr, ok := t.route(fs, path, false, sn, p6, d6)
	if !ok {
		return arrival{}
	}
	if rr.route.Target != model.TargetNatGateway {
		seq := t.add(path, false, Hop{Action: ActionNoRoute, Blocked: true, Component: sn.rt.comp, Subnet: sn.comp, Packet: p6})
		t.block(fs, NoRoute, func() Explanation {
			m := "DNS64 on the " + dns64Subnet(sn) + " " + sn.comp.Label() + " gives " + d6.String() + " for " + f.dst.String() + ", and the route " + rr.prefix.String() + " sends it to " +
				rr.route.TargetID + ": only a NAT gateway translates 64:ff9b::/96 to IPv4 (NAT64). Route 64:ff9b::/96 to a NAT gateway in a public subnet"
			return Explanation{Code: CodeIPv6OnlyNoNAT64, Path: "forward", Hop: seq, Component: sn.rt.comp, Route: rr.view, Address: f.dst, Message: m, clause: m}
		})
		return arrival{}
	}
	t.info(func() Explanation {
		m := "DNS64 on the " + dns64Subnet(sn) + " " + sn.comp.Label() + " gives " + d6.String() + " for " + f.dst.String() + "; the route " + rr.prefix.String() + " sends it to NAT gateway " + rr.route.TargetID + ", which translates it to IPv4 (NAT64)"
		return Explanation{Code: CodeNAT64, Path: "forward", Component: sn.comp, Message: m}
	})
	return t.onRoute(fs, f, path, S, rr, p6)
}

// onRoute carries a flow's packet on by the route rr of S's subnet.
func (t *tracer) onRoute(fs *flowState, f *flow, path *[]Hop, S *eniNode, rr *rtRoute, p Packet) arrival {
	n := t.n
	switch rr.route.Target {
	case model.TargetLocal:
		D := f.dstHint
		if D == nil && !n.lazy {
			D = n.eniAt(S.eni.VpcID, f.dst)
		}
		if D == nil {
			seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: S.subnet.vpc.comp, Packet: p})
			t.block(fs, Timeout, func() Explanation {
				m := "no network interface in " + string(S.eni.VpcID) + " holds " + f.dst.String() + ", so nothing answers"
				return Explanation{Code: CodeAddressNotAssigned, Path: "forward", Hop: seq, Component: S.subnet.vpc.comp, Address: f.dst, Message: m, clause: m}
			})
			return arrival{}
		}
		if !sameSubnet(D.subnet, S.subnet) {
			t.aclCheck(fs, path, false, S.subnet, true, p)
			t.aclCheck(fs, path, false, D.subnet, false, p)
		}
		return arrival{reached: true, eni: D, srcSeen: f.src, srcRef: f.srcRef, dstAddr: f.dst, kind: viaLocal}
	case model.TargetInternetGateway:
		v := S.subnet.vpc
		if v == nil || v.igwC == nil {
			// A state that lost the VPC or its gateway (a partial
			// snapshot): the route leads nowhere ecsnet knows.
			t.add(path, false, Hop{Action: ActionNoRoute, Blocked: true, Component: S.subnet.rt.comp, Subnet: S.subnet.comp, Packet: p})
			t.block(fs, NoRoute, func() Explanation {
				m := "the route to the internet gateway leads to a gateway or VPC the state does not hold"
				return Explanation{Code: CodeBadStateRoute, Path: "forward", Message: m, clause: m}
			})
			return arrival{}
		}
		if f.dst.Is6() {
			// IPv6 needs no translation: the internet gateway forwards
			// the ENI's own global address (vpc-migrate-ipv6.md).
			t.aclCheck(fs, path, false, S.subnet, true, p)
			if t.bpaDrop(fs, path, v.igwC, t.ownSubnet(S), bpaOutIGW, p) || t.port25Drop(fs, path, v.igwC, f, p) {
				return arrival{}
			}
			t.add(path, false, Hop{Action: ActionRouted, Component: v.igwC, Packet: p})
			a := t.fromInternet(fs, f, path, f.src)
			a.kind = viaIGW
			return a
		}
		if !S.public.IsValid() {
			seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: v.igwC, Packet: p})
			t.block(fs, Timeout, func() Explanation {
				m := S.owned() + " has no public IP, so the internet gateway " + v.igwC.Label() + " cannot give the packet a public source and drops it"
				return Explanation{Code: CodeIGWPublicIPEgress, Path: "forward", Hop: seq, Component: v.igwC, NetworkInterface: S.comp, Message: m, clause: m}
			})
			return arrival{}
		}
		t.aclCheck(fs, path, false, S.subnet, true, p)
		if t.bpaDrop(fs, path, v.igwC, t.ownSubnet(S), bpaOutIGW, p) || t.port25Drop(fs, path, v.igwC, f, p) {
			return arrival{}
		}
		p.Source = S.public
		t.add(path, false, Hop{Action: ActionTranslated, Component: v.igwC, Packet: p})
		a := t.fromInternet(fs, f, path, S.public)
		a.kind = viaIGW
		return a
	case model.TargetEgressOnlyIGW:
		c := n.eigwComp(rr.route.TargetID)
		t.aclCheck(fs, path, false, S.subnet, true, p)
		if t.bpaDrop(fs, path, c, t.ownSubnet(S), bpaOutEIGW, p) || t.port25Drop(fs, path, c, f, p) {
			return arrival{}
		}
		t.add(path, false, Hop{Action: ActionRouted, Component: c, Packet: p})
		a := t.fromInternet(fs, f, path, f.src)
		a.kind, a.eigw = viaEIGW, c
		return a
	case model.TargetNatGateway:
		ng := n.nat(model.NatGatewayID(rr.route.TargetID))
		if f.dst.Is6() && ng != nil {
			t.block(fs, NoRoute, func() Explanation {
				m := "the route to " + rr.prefix.String() + " sends IPv6 to NAT gateway " + ng.comp.Label() + ", which translates only to IPv4 (NAT64, 64:ff9b::/96): it does not forward IPv6 to the IPv6 internet; route ::/0 to an internet gateway or an egress-only internet gateway"
				return Explanation{Code: CodeCannotRoute, Path: "forward", Component: ng.comp, Route: rr.view, Message: m, clause: m}
			})
			return arrival{}
		}
		if ng != nil && ng.ng.Regional() {
			return t.throughRegionalNAT(fs, f, path, S, rr, ng, p)
		}
		if ng == nil || ng.eni == nil {
			t.block(fs, NoRoute, func() Explanation {
				m := "the route to " + rr.prefix.String() + " points at NAT gateway " + rr.route.TargetID + ", which does not exist"
				return Explanation{Code: CodeBadStateRoute, Path: "forward", Route: rr.view, Message: m, clause: m}
			})
			return arrival{}
		}
		if !sameSubnet(ng.subnet, S.subnet) {
			t.aclCheck(fs, path, false, S.subnet, true, p)
			t.aclCheck(fs, path, false, ng.subnet, false, p)
		}
		if ng.ng.State != "available" {
			seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: ng.comp, Packet: p})
			t.block(fs, Timeout, func() Explanation {
				m := "NAT gateway " + ng.comp.Label() + " is " + ng.ng.State + ", not available, so it forwards nothing"
				return Explanation{Code: CodeBadState, Path: "forward", Hop: seq, Component: ng.comp, Message: m, clause: m}
			})
			return arrival{}
		}
		if ng.ng.ConnectivityType == "private" && !t.natRoutesPrivately(ng, f.dst) {
			seq := t.add(path, false, Hop{Action: ActionNoRoute, Blocked: true, Component: ng.comp, Packet: p})
			t.block(fs, NoRoute, func() Explanation {
				m := "NAT gateway " + ng.comp.Label() + " is a private NAT gateway: it cannot reach the internet"
				return Explanation{Code: CodeCannotRoute, Path: "forward", Hop: seq, Component: ng.comp, Message: m, clause: m}
			})
			return arrival{}
		}
		p.Source = ng.ng.PrivateIP
		if nat64Prefix.Contains(p.Destination) {
			p.Destination = f.dst // NAT64: the IPv4 address DNS64 embedded
		}
		seq := t.add(path, false, Hop{Action: ActionTranslated, Component: ng.comp, AttachedTo: nil, Subnet: ng.subnet.comp, Packet: p})
		t.info(func() Explanation {
			m := "the NAT gateway rewrites the source to " + ng.ng.PrivateIP.String() + " and the source port to one of " + model.EphemeralPorts().String()
			if t.echo {
				m = "the NAT gateway rewrites the source to " + ng.ng.PrivateIP.String() + " and the echo identifier (NAT gateways translate ICMP)"
			}
			return Explanation{Code: CodeRemapEphemeralPort, Path: "forward", Hop: seq, Component: ng.comp, Message: m}
		})
		rr2, ok := t.route(fs, path, false, ng.subnet, p, f.dst)
		if !ok {
			return arrival{}
		}
		if rr2.route.Target == model.TargetTransitGateway && f.dst.Is4() {
			return t.natIntoTGW(fs, f, path, ng, rr2, p)
		}
		if rr2.route.Target == model.TargetVpcPeering && f.dst.Is4() {
			return t.natIntoPeering(fs, f, path, ng, rr2, p) // nattgw.go
		}
		out := ng.subnet // the subnet the packet leaves for the internet gateway from
		var passed []inspectionPass
		if ep, _ := t.inspectionTarget(rr2); ep != nil && f.dst.Is4() {
			if rr2, out, ok = t.natPastInspection(fs, path, ng.subnet, ep, p, &passed); !ok { // networkfirewall.go
				return arrival{}
			}
		}
		if rr2.route.Target != model.TargetInternetGateway {
			t.block(fs, NoRoute, func() Explanation {
				m := "the route table of the NAT gateway's subnet sends " + f.dst.String() + " to " + rr2.route.TargetID + ", not to an internet gateway"
				return Explanation{Code: CodeCannotRoute, Path: "forward", Component: out.rt.comp, Route: rr2.view, Message: m, clause: m}
			})
			return arrival{}
		}
		t.aclCheck(fs, path, false, out, true, p)
		if t.bpaDrop(fs, path, out.vpc.igwC, out, bpaOutNAT, p) || t.port25Drop(fs, path, ng.comp, f, p) {
			return arrival{}
		}
		p.Source = ng.ng.PublicIP
		t.add(path, false, Hop{Action: ActionTranslated, Component: ng.subnet.vpc.igwC, Packet: p})
		a := t.fromInternet(fs, f, path, ng.ng.PublicIP)
		a.kind, a.nat = viaNAT, ng
		a.inspected = append(passed, a.inspected...)
		return a
	case model.TargetVpcPeering:
		return t.throughPeering(fs, f, path, S, rr, p)
	case model.TargetTransitGateway:
		return t.throughTGW(fs, f, path, S, rr, p)
	case model.TargetVpnGateway:
		return t.throughVgw(fs, f, path, S, rr, p)
	case model.TargetVpcEndpoint:
		ep := n.endpoint(model.VpcEndpointID(rr.route.TargetID))
		t.aclCheck(fs, path, false, S.subnet, true, p)
		var c *Component
		if ep != nil {
			c = ep.comp
		}
		t.add(path, false, Hop{Action: ActionExited, Component: c, Packet: p})
		return arrival{reached: true, exited: true, srcSeen: f.src, dstAddr: f.dst, kind: viaGatewayEndpoint, endpoint: ep}
	}
	if rr.route.Target == model.TargetInstance || rr.route.Target == model.TargetNetworkInterface {
		if X := t.natInstanceENI(rr); X != nil && f.dst.Is4() && isPublic(f.dst) {
			return t.throughNATInstance(fs, f, path, S, X, p)
		}
		if a, ok := t.forwardThroughAppliance(fs, f, path, S, rr, p); ok { // inspection.go
			return a
		}
	}
	t.block(fs, Unknown, func() Explanation {
		m := "the route to " + rr.prefix.String() + " sends the packet to " + rr.route.TargetID + " (" + rr.route.Target.String() + "); ecsnet does not model traffic through an appliance"
		return Explanation{Code: CodeUnsupportedComponent, Path: "forward", Route: rr.view, Message: m, clause: m}
	})
	return arrival{}
}

// fromInternet delivers a packet from the internet (source src, public)
// to its destination: an ENI's public IP through its VPC's internet
// gateway (1:1 NAT to the primary private address, reference §8), an
// internet host, or nowhere.
func (t *tracer) fromInternet(fs *flowState, f *flow, path *[]Hop, src netip.Addr) arrival {
	n := t.n
	p := t.pkt(src, f.sport, f.dst, f.dport)
	if !isPublic(f.dst) {
		seq := t.add(path, false, Hop{Action: ActionNoRoute, Blocked: true, Component: t.n.internet, Packet: p})
		t.block(fs, NoRoute, func() Explanation {
			m := f.dst.String() + " is a private address; the internet has no route to it"
			return Explanation{Code: CodeNoRouteToDestination, Path: "forward", Hop: seq, Component: t.n.internet, Address: f.dst, Message: m, clause: m}
		})
		if t.peeringRouteHint(fs, f, seq) { // peeringhint.go
			return arrival{}
		}
		if t.bridgeAddressHint(fs, f, seq) { // bridgeaddr.go
			return arrival{}
		}
		if owner := t.holderOf(f); owner != nil {
			t.noPublicIPHint(fs, owner, seq)
		}
		return arrival{}
	}
	ref, held := n.byPublic[f.dst]
	if ng, ok := n.natZoneAddrs[f.dst]; ok && !held {
		t.regionalNATInbound(fs, path, ng, p)
		return arrival{}
	}
	if !held && f.srcENI == nil && !n.lazy {
		// From the internet, an address of no ENI leads nowhere: the
		// internet gateway only translates addresses it has a mapping for.
		seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: t.n.internet, Packet: p})
		t.block(fs, Timeout, func() Explanation {
			m := f.dst.String() + " is not the public IP of any network interface, so no internet gateway accepts the packet"
			if f.dst.Is6() {
				m = f.dst.String() + " is not the IPv6 address of any network interface, so no internet gateway accepts the packet"
			}
			if eip, ok := n.freeEIPs[f.dst]; ok {
				m = f.dst.String() + " is the Elastic IP " + string(eip.AllocationID) + ", which is not associated with any network interface, so the internet gateway drops the packet"
			}
			return Explanation{Code: CodeIGWPrivateIPIngress, Path: "forward", Hop: seq, Address: f.dst, Message: m, clause: m}
		})
		return arrival{}
	}
	if !held {
		if v := n.vpcHoldingIPv6(f.dst); v != nil {
			// An address of a VPC's Amazon-provided IPv6 block is no
			// internet host: the internet carries the packet to that
			// VPC, where no network interface holds it.
			seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: t.n.internet, Packet: p})
			t.block(fs, Timeout, func() Explanation {
				m := f.dst.String() + " is in the IPv6 block of VPC " + string(v.ID) + ", but no network interface holds it: the packet reaches that VPC and nothing answers"
				return Explanation{Code: CodeIGWPrivateIPIngress, Path: "forward", Hop: seq, Address: f.dst, Message: m, clause: m}
			})
			return arrival{}
		}
		if eip, ok := n.freeEIPs[f.dst]; ok {
			seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: t.n.internet, Packet: p})
			t.block(fs, Timeout, func() Explanation {
				m := f.dst.String() + " is the Elastic IP " + string(eip.AllocationID) + ", which is not associated with any network interface, so the internet gateway drops the packet"
				return Explanation{Code: CodeIGWPrivateIPIngress, Path: "forward", Hop: seq, Address: f.dst, Message: m, clause: m}
			})
			return arrival{}
		}
		t.add(path, false, Hop{Action: ActionExited, Component: t.n.internet, Packet: p})
		return arrival{reached: true, exited: true, srcSeen: src, dstAddr: f.dst}
	}
	D := ref.eni
	v := D.vpc
	if f.top {
		t.pubAddr, t.pubENI = f.dst, D
	}
	if v == nil || v.igw == nil || D.eni.Status() == "available" {
		var c *Component
		if v != nil {
			c = v.igwC
		}
		seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: c, Packet: p})
		t.block(fs, Timeout, func() Explanation {
			what, code := "public IP", CodeIGWPrivateIPIngress
			if f.dst.Is6() {
				what = "IPv6 address"
			}
			m := f.dst.String() + " is the " + what + " of " + D.label() + ", which is not attached to anything, so the internet gateway drops the packet"
			if v == nil || v.igw == nil {
				m = f.dst.String() + " is the " + what + " of " + D.label() + ", but its VPC has no internet gateway"
				if g := n.st.VpcEgressOnlyIGW(D.eni.VpcID); g != nil && f.dst.Is6() {
					m += "; its egress-only internet gateway " + string(g.ID) + " lets no connection in from the internet, only the replies to connections started inside the VPC"
					code = CodeEgressOnlyInbound
				}
			}
			return Explanation{Code: code, Path: "forward", Hop: seq, NetworkInterface: D.comp, Address: f.dst, Message: m, clause: m}
		})
		return arrival{}
	}
	if t.bpaDrop(fs, path, v.igwC, D.subnet, bpaIn, p) {
		return arrival{}
	}
	if f.dst.Is6() {
		// IPv6: no translation; the gateway forwards to the ENI's own
		// address.
		t.add(path, false, Hop{Action: ActionRouted, Component: v.igwC, Packet: p})
		ok, via := t.edgeRoute(fs, path, v.igwC, p)
		if !ok {
			return arrival{}
		}
		t.aclCheck(fs, path, false, D.subnet, false, p)
		return arrival{reached: true, eni: D, srcSeen: src, dstAddr: f.dst, ingressIGW: true, inspected: via}
	}
	p.Destination = ref.private
	t.add(path, false, Hop{Action: ActionTranslated, Component: v.igwC, Packet: p})
	ok, via := t.edgeRoute(fs, path, v.igwC, p)
	if !ok {
		return arrival{}
	}
	t.aclCheck(fs, path, false, D.subnet, false, p)
	return arrival{reached: true, eni: D, srcSeen: src, dstAddr: ref.private, ingressIGW: true, inspected: via}
}

// holderOf returns the ENI that holds a flow's private destination
// address (the one the caller meant, or any ENI with it).
func (t *tracer) holderOf(f *flow) *eniNode {
	if f.dstHint != nil {
		return f.dstHint
	}
	for _, e := range t.n.eniOrder {
		if e.eni.HasAddr(f.dst) {
			return e
		}
	}
	return nil
}

// noPublicIPHint explains why an ENI addressed from the internet by its
// private address has no public one.
func (t *tracer) noPublicIPHint(fs *flowState, e *eniNode, seq int) {
	if e.task == nil {
		return
	}
	tk := e.task
	where := "it is the address of the task " + tk.name + " on its ENI " + e.label()
	switch {
	case e.public.IsValid() && t.viaPublicName:
		// Not the client's choice of address: the name's record holds
		// the private one (the note says so), and assignPublicIp is on.
	case e.public.IsValid():
		t.block(fs, NoRoute, func() Explanation {
			m := where + "; address the task by its public IP " + e.public.String() + " instead"
			return Explanation{Code: CodeTaskPrivateAddress, Path: "forward", Hop: seq, Component: tk.comp, NetworkInterface: e.comp, Address: e.primary, Message: m, clause: m}
		})
	case tk.tk.LaunchType == model.LaunchFargate:
		t.block(fs, NoRoute, func() Explanation {
			m := where + ", which has no public IP: the task was started with assignPublicIp DISABLED"
			if e.v6.IsValid() {
				m += " (it also has the IPv6 address " + e.v6.String() + ", which needs no public IP: try --ipv6)"
			}
			return Explanation{Code: CodeTaskNoPublicIP, Path: "forward", Hop: seq, Component: tk.comp, NetworkInterface: e.comp, Address: e.primary, Message: m, clause: m}
		})
	default:
		t.block(fs, NoRoute, func() Explanation {
			m := where + ", which has no public IP: awsvpc task ENIs on EC2 never get one; reach the task through a load balancer or from inside the VPC"
			if e.v6.IsValid() {
				m += " (it also has the IPv6 address " + e.v6.String() + ", which needs no public IP: try --ipv6)"
			}
			return Explanation{Code: CodeAwsvpcNoPublicIP, Path: "forward", Hop: seq, Component: tk.comp, NetworkInterface: e.comp, Address: e.primary, Message: m, clause: m}
		})
	}
}

func subnetComp(e *eniNode) *Component {
	if e.subnet == nil {
		return nil
	}
	return e.subnet.comp
}

// route looks a destination up in a subnet's route table (longest prefix
// wins; reference §8) and records the hop.
func (t *tracer) route(fs *flowState, path *[]Hop, ret bool, sn *subnetNode, p Packet, dst netip.Addr) (*rtRoute, bool) {
	rr := sn.rt.lookup(dst)
	if rr == nil {
		seq := t.add(path, ret, Hop{Action: ActionNoRoute, Blocked: true, Component: sn.rt.comp, Subnet: sn.comp, Packet: p})
		v := NoRoute
		if ret {
			v = Timeout
		}
		t.blockOn(fs, ret, v, func() Explanation {
			m := "route table " + sn.rt.comp.Label() + " of subnet " + sn.comp.Label() + " has no route to " + dst.String()
			if ret {
				m += ", so the reply cannot leave"
			}
			return Explanation{Code: CodeNoRouteToDestination, Path: pathName(ret), Hop: seq, Component: sn.rt.comp, Address: dst, Message: m, clause: m}
		})
		return nil, false
	}
	if !rr.active {
		seq := t.add(path, ret, Hop{Action: ActionNoRoute, Blocked: true, Component: sn.rt.comp, Subnet: sn.comp, Packet: p, Route: rr.view})
		v := NoRoute
		if ret {
			v = Timeout
		}
		t.blockOn(fs, ret, v, func() Explanation {
			m := "the route to " + rr.prefix.String() + " in route table " + sn.rt.comp.Label() + " is a blackhole: its target " + rr.route.TargetID + " no longer exists or cannot forward"
			if c := t.n.st.VpcPeerings[model.VpcPeeringConnectionID(rr.route.TargetID)]; rr.route.Target == model.TargetVpcPeering && c != nil && c.Status == "pending-acceptance" {
				// VPC Peering Guide: a route to a connection in
				// pending-acceptance "has a state of blackhole, and has no
				// effect until the VPC peering connection is in the active
				// state".
				m = "the route to " + rr.prefix.String() + " in route table " + sn.rt.comp.Label() + " is a blackhole: VPC peering connection " + rr.route.TargetID +
					" is pending-acceptance (the accepter VPC's owner has not accepted it), and a route to it has no effect until it is active"
			}
			return Explanation{Code: CodeBadStateRoute, Path: pathName(ret), Hop: seq, Component: sn.rt.comp, Route: rr.view, Address: dst, Message: m, clause: m}
		})
		return nil, false
	}
	t.add(path, ret, Hop{Action: ActionRouted, Component: sn.rt.comp, Subnet: sn.comp, Packet: p, Route: rr.view})
	return rr, true
}

// aclCheck applies a subnet's network ACL to a packet leaving (egress) or
// entering it. Network ACLs are stateless; the port is the packet's
// destination port (reference §8).
func (t *tracer) aclCheck(fs *flowState, path *[]Hop, ret bool, sn *subnetNode, egress bool, p Packet) bool {
	if sn == nil || sn.acl == nil {
		return true
	}
	peer := p.Source
	dir := "ingress"
	if egress {
		peer, dir = p.Destination, "egress"
	}
	icmp := ret && t.replyICMP
	var e *aclEntry
	switch {
	case icmp:
		// A refused UDP datagram is answered with an ICMP port
		// unreachable message (type 3, code 3): an ICMP packet, which
		// network ACLs filter by their ICMP rules (VPC User Guide, "Path
		// MTU Discovery": ICMP errors need network ACL rules of their own).
		p.Protocol, p.SourcePort, p.DestinationPort = "icmp", 0, 0
		e = sn.acl.evalICMP(egress, model.ICMP, peer, 3, 3)
	case t.echo:
		// A ping's request and its reply are ICMP messages of their own
		// types: a stateless network ACL must allow each (type 8 one way,
		// type 0 back; ICMPv6 128 and 129).
		e = sn.acl.evalICMP(egress, t.proto, peer, t.echoType(ret), 0)
	default:
		e = sn.acl.eval(egress, t.proto, peer, p.DestinationPort)
	}
	if e.action == model.Allow {
		t.add(path, ret, Hop{Action: ActionAllowed, Component: sn.acl.comp, Subnet: sn.comp, Direction: dir, Packet: p, ACLRule: e.view})
		return true
	}
	seq := t.add(path, ret, Hop{Action: ActionDenied, Blocked: true, Component: sn.acl.comp, Subnet: sn.comp, Direction: dir, Packet: p, ACLRule: e.view})
	t.blockOn(fs, ret, Timeout, func() Explanation {
		rule := "rule " + strconv.Itoa(e.num)
		if e.num == model.ImplicitDenyRule {
			rule = "the final * rule"
		}
		way, prep := "inbound", " from "
		if egress {
			way, prep = "outbound", " to "
		}
		what := way + " " + t.protoName() + "/" + strconv.Itoa(int(p.DestinationPort)) + prep + peer.String()
		proto := t.protoName()
		switch {
		case icmp:
			what, proto = way+" icmp (port unreachable)"+prep+peer.String(), "icmp"
		case t.echo:
			what = way + " " + t.echoWhat(ret) + prep + peer.String()
		}
		m := "network ACL " + sn.acl.comp.Label() + " of subnet " + sn.comp.Label() + " denies " + what + " (" + rule + ")"
		switch {
		case icmp:
			m += "; the host refuses the UDP datagram with an ICMP port unreachable message, which network ACLs filter as ICMP"
		case ret && t.echo:
			m += "; network ACLs are stateless, so the echo reply needs its own rule"
		case ret:
			m += "; network ACLs are stateless, so the reply to the client's ephemeral port " + strconv.Itoa(int(p.DestinationPort)) + " needs its own rule"
		}
		return Explanation{Code: CodeSubnetACLRestriction, Path: pathName(ret), Hop: seq, Direction: dir, Component: sn.acl.comp, ACLRule: e.view,
			Address: peer, Protocol: proto, Port: p.DestinationPort, Message: m, clause: m}
	})
	return false
}

// sgCheck applies an ENI's security groups to a packet: egress at the
// source, ingress at the destination (reference §8). An ENI without
// security groups (a NAT gateway, an NLB created without them) filters
// nothing.
func (t *tracer) sgCheck(fs *flowState, path *[]Hop, ret bool, e *eniNode, egress bool, p Packet, peer netip.Addr, peerENI *eniNode, via []model.SecurityGroupID) bool {
	dir := "ingress"
	if egress {
		dir = "egress"
	}
	if e.sgs == nil || len(e.sgs.groups) == 0 {
		t.add(path, ret, Hop{Action: ActionAllowed, Component: e.comp, AttachedTo: e.attached, Subnet: subnetComp(e), Direction: dir, Packet: p,
			Note: "no security groups"})
		return true
	}
	port := p.DestinationPort
	if t.echo {
		port = icmpKey(t.echoType(ret), 0)
	}
	r := e.sgs.match(egress, t.proto, port, peer, peerENI, via)
	if r != nil {
		if !t.quiet { // the rule's view is built on first use
			t.add(path, ret, Hop{Action: ActionAllowed, Component: e.comp, AttachedTo: e.attached, Subnet: subnetComp(e), Direction: dir, Packet: p,
				SecurityGroupRule: r.View()})
		}
		return true
	}
	seq := t.add(path, ret, Hop{Action: ActionDenied, Blocked: true, Component: e.comp, AttachedTo: e.attached, Subnet: subnetComp(e), Direction: dir, Packet: p})
	if g, u := unknownRuleCovering(e, egress, t.proto, port); g != nil {
		// A rule whose peer is unknown at analysis time may allow it:
		// the verdict is unknown, not a drop.
		t.blockOn(fs, ret, Unknown, func() Explanation {
			x := t.sgExplanation(e, egress, p, peer, peerENI, seq, ret)
			x.Code = CodeSGRuleUnknownSource
			x.Message += "; but " + g.comp.Label() + " has a rule for " + unknownRuleText(*u) + " whose " + map[bool]string{false: "source", true: "destination"}[egress] +
				" is unknown at analysis time (" + u.Description + "): whether it allows the packet is unknown"
			x.clause = "no known rule of " + e.sgs.groupNames() + " allows " + t.protoName() + "/" + strconv.Itoa(int(p.DestinationPort)) + ", but " + g.comp.Label() + "'s rule for " + unknownRuleText(*u) +
				" has a " + map[bool]string{false: "source", true: "destination"}[egress] + " unknown at analysis time, so whether the packet passes is unknown"
			return x
		})
		return false
	}
	t.blockOn(fs, ret, Timeout, func() Explanation { return t.sgExplanation(e, egress, p, peer, peerENI, seq, ret) })
	return false
}

// unknownRuleCovering returns a rule of one of e's groups whose peer is
// unknown at analysis time (model.SecurityGroup.UnknownRules) and whose
// protocol and ports cover the packet's: asked only after the known
// rules dropped it. For ICMP, port is the message's icmpKey and the
// rule's type and code must cover it, as a known rule's do.
func unknownRuleCovering(e *eniNode, egress bool, proto model.Protocol, port uint16) (*sgNode, *model.SecurityGroupRule) {
	for _, g := range e.sgs.groups {
		if g.sg == nil {
			continue
		}
		for i := range g.sg.UnknownRules {
			r := &g.sg.UnknownRules[i]
			var covers bool
			switch {
			case r.Protocol != proto:
			case isICMP(proto):
				covers = icmpMatch(r.Ports, port)
			default:
				covers = !proto.HasPorts() || r.Ports.First <= port && port <= r.Ports.Last
			}
			if r.Egress == egress && (r.Protocol == model.AllProtocols || covers) {
				return g, r
			}
		}
	}
	return nil, nil
}

func (t *tracer) sgExplanation(e *eniNode, egress bool, p Packet, peer netip.Addr, peerENI *eniNode, seq int, ret bool) Explanation {
	who := peer.String()
	if peerENI != nil {
		switch {
		case peerENI.lb != nil:
			who += " (a node of the load balancer " + peerENI.lb.lb.Name + ")"
		case peerENI.task != nil:
			who += " (the task " + peerENI.task.name + ")"
		case peerENI.instance != nil:
			who += " (the instance " + peerENI.instance.name + ")"
		}
	}
	port := t.protoName() + "/" + strconv.Itoa(int(p.DestinationPort))
	key := p.DestinationPort
	if t.echo {
		port, key = t.echoWhat(ret), icmpKey(t.echoType(ret), 0)
	}
	groups := e.sgs.groupNames()
	word, has, does, it, its := "security group ", "has", "does", "it allows", "its"
	if len(e.sgs.groups) > 1 {
		word, has, does, it, its = "security groups ", "have", "do", "they allow", "their"
	}
	// A rule that covers the port but not the peer is worth naming.
	var near *sgRule
	rules := e.sgs.ingress
	if egress {
		rules = e.sgs.egress
	}
	for _, r := range rules {
		if r.admitsPort(t.proto, key) {
			near = r
			break
		}
	}
	owner := e.label()
	if e.attached != nil {
		owner = e.attached.Label() + "'s ENI " + owner
	}
	var m, clause string
	drop := "the SYN is dropped"
	switch {
	case t.echo:
		drop = "the echo request is dropped"
	case t.proto != model.TCP:
		drop = "the datagram is dropped"
	}
	if egress {
		m = word + groups + " of " + owner + " " + has + " no outbound rule that allows " + port + " to " + who
		clause = "the " + word + groups + " of " + owner + " " + does + " not allow outbound " + port + " to " + who + ", so the packet never leaves"
	} else {
		m = word + groups + " of " + owner + " " + has + " no inbound rule that allows " + port + " from " + who
		subj := "its " + word + groups
		if t.pubENI != e || ret {
			subj = "the " + word + groups + " of " + owner
		}
		clause = subj + " " + does + " not allow " + port
		if near != nil {
			clause += " from " + who + " (" + it + " " + port + " only from " + t.n.sgPeer(near) + ")"
		} else if t.pubENI != e {
			clause += " from " + who
		}
		clause += ", so " + drop
	}
	if near == nil && t.echo {
		// A rule of the message's ICMP type whose code is not the
		// message's: written with the type as both "ports" (from_port 8,
		// to_port 8), it admits echo requests of code 8, which no ping
		// sends (hashicorp/terraform#16260).
		typ := uint16(t.echoType(ret))
		for _, r := range rules {
			if r.proto == t.proto && r.ports != model.AllPorts && r.ports.First == typ && r.ports.Last != 0xFFFF && r.ports.Last != 0 {
				m += "; " + its + " rule for icmp type " + strconv.Itoa(int(typ)) + " admits only code " + strconv.Itoa(int(r.ports.Last)) +
					" (from " + t.n.sgPeer(r) + "), and an echo message has code 0: for ICMP a rule's from and to ports are the type and the code (-1 for any)"
				break
			}
		}
	}
	if near != nil {
		m += "; " + its + " rule for " + port + " admits only " + t.n.sgPeer(near)
		if near.ref != "" && !isPublic(peer) {
			m += " (a group reference matches only the private addresses of ENIs in that group)"
		} else if near.ref != "" && egress {
			// A name that resolves to public addresses (an internet-facing
			// load balancer's) is a public destination, even for a peer
			// in the same VPC.
			m += " (" + peer.String() + " is a public address, which never matches a group reference: a group reference matches only the private addresses of ENIs in that group)"
		} else if near.ref != "" {
			m += " (traffic through an internet gateway or NAT gateway has a public source, which never matches a group reference)"
		}
	}
	if !egress && near != nil && near.cidr.IsValid() && peerENI != nil && peerENI.lb != nil && !near.cidr.Contains(peer) {
		// A rule written for the clients, on a target behind a load
		// balancer that connects from its own nodes.
		why := "the load balancer " + peerENI.lb.lb.Name + " connects to its targets from its nodes' private addresses"
		switch {
		case peerENI.lb.isALB():
			why += "; an Application Load Balancer passes the client's address only in the X-Forwarded-For header"
		case t.translated:
			why += " (a dualstack Network Load Balancer translates a client of the other family: client IP preservation cannot carry its address)"
		case t.privateLink:
			why += " (the connection came through AWS PrivateLink, on which client IP preservation has no effect: the target sees the load balancer's private address)"
		case t.healthOf != nil && (preservesClientIP(t.healthOf.tg) || t.n.servesEndpointService(peerENI.lb)):
			why += " (a health check comes from a node's private address, whatever client IP preservation says"
			if t.n.servesEndpointService(peerENI.lb) {
				why += ", as does every connection through its endpoint service (AWS PrivateLink)"
			}
			why += ")"
		default:
			why += " (client IP preservation is off for this target group)"
		}
		m += "; " + why
		clause += " (" + why + ")"
	}
	if !egress && e.instance != nil && e.kind == eniHost {
		if s := findSocket(e.instance.sockets, t.proto, p.DestinationPort); s != nil && s.task != nil && t.n.dynamicHostPort(s) {
			m += "; " + port + " is the dynamic host port ECS gave the task " + s.task.name + "'s container port " + strconv.Itoa(int(s.containerPort)) +
				" (ECS picks them from the instance's ephemeral range: the rule must admit " + model.DynamicHostPortRule().String() + ")"
		}
	}
	return Explanation{Code: CodeSGRulesMismatch, Path: pathName(ret), Hop: seq, Direction: dirName(egress),
		Component: e.sgs.groups[0].comp, NetworkInterface: e.comp, SecurityGroups: e.sgs.comps, Address: peer, Protocol: t.protoName(), Port: p.DestinationPort,
		Message: m, clause: clause}
}

// sgPeer describes a rule's peer: a CIDR, a group or a prefix list.
func (n *Network) sgPeer(r *sgRule) string {
	switch {
	case r.cidr.IsValid():
		return r.cidr.String()
	case r.ref != "":
		if g := n.sg(r.ref); g != nil {
			return "security group " + g.comp.Label()
		}
		return "security group " + string(r.ref)
	}
	return "prefix list " + string(r.rule.PrefixList)
}

func dirName(egress bool) string {
	if egress {
		return "egress"
	}
	return "ingress"
}

// peeredENI returns the ENI of a peered VPC that holds dst, when S's route
// to dst names an active peering connection (so that security group rules
// referencing the peer's groups apply).
func (n *Network) peeredENI(S *eniNode, dst netip.Addr) *eniNode {
	if S.subnet == nil || S.subnet.rt == nil {
		return nil
	}
	rr := S.subnet.rt.lookup(dst)
	if rr == nil || rr.route.Target != model.TargetVpcPeering {
		return nil
	}
	c := n.st.VpcPeerings[model.VpcPeeringConnectionID(rr.route.TargetID)]
	if c == nil {
		return nil
	}
	peer, ok := c.Peer(S.eni.VpcID)
	if !ok {
		return nil
	}
	return n.eniAt(peer, dst)
}

// tgwRouted reports whether S's route table sends dst to a transit
// gateway.
func (n *Network) tgwRouted(S *eniNode, dst netip.Addr) bool {
	if S.subnet == nil || S.subnet.rt == nil || !dst.IsValid() {
		return false
	}
	rr := S.subnet.rt.lookup(dst)
	return rr != nil && rr.route.Target == model.TargetTransitGateway
}

// peeringComp is a VPC peering connection as a path component.
func (n *Network) peeringComp(c *model.VpcPeeringConnection) *Component {
	return &Component{Type: "vpc-peering-connection", ID: string(c.ID), ARN: n.arn("ec2", "vpc-peering-connection/"+string(c.ID)), Name: c.Tags.Name()}
}

// throughPeering carries a packet across an active VPC peering connection
// to the ENI of the peer VPC that holds its destination
// (vpc-peering-routing.md: the destination must be in the peer VPC's
// CIDR blocks; no transitive routing, no edge-to-edge).
func (t *tracer) throughPeering(fs *flowState, f *flow, path *[]Hop, S *eniNode, rr *rtRoute, p Packet) arrival {
	n := t.n
	c := n.st.VpcPeerings[model.VpcPeeringConnectionID(rr.route.TargetID)]
	peer, ok := model.VpcID(""), false
	if c != nil {
		peer, ok = c.Peer(S.eni.VpcID)
	}
	if !ok {
		t.block(fs, NoRoute, func() Explanation {
			m := "the route to " + rr.prefix.String() + " names VPC peering connection " + rr.route.TargetID + ", which does not connect " + string(S.eni.VpcID)
			return Explanation{Code: CodeBadStateRoute, Path: "forward", Route: rr.view, Message: m, clause: m}
		})
		return arrival{}
	}
	comp := n.peeringComp(c)
	t.aclCheck(fs, path, false, S.subnet, true, p)
	pv := n.vpc(peer)
	if pv == nil && c.InterRegion() {
		// The peer VPC is in another region, whose state this analysis
		// does not hold: what lies beyond the connection is unknown.
		seq := t.add(path, false, Hop{Action: ActionRouted, Component: comp, Packet: p})
		t.block(fs, Unknown, func() Explanation {
			region := c.PeerRegion()
			if peer == c.RequesterVpc {
				region = c.Region
			}
			m := "peering connection " + string(c.ID) + " leads to VPC " + string(peer) + " in region " + region + ", whose state this analysis does not hold: the path beyond it is not followed"
			return Explanation{Code: CodeUnsupportedComponent, Path: "forward", Hop: seq, Component: comp, Address: f.dst, Message: m, clause: m}
		})
		return arrival{}
	}
	if pv == nil || !pv.vpc.Contains(f.dst) {
		seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: comp, Packet: p})
		t.block(fs, Timeout, func() Explanation {
			why := " (no transitive routing)"
			if !f.dst.IsPrivate() {
				// A public address: what the route hoped for is the peer's
				// internet or NAT gateway (VPC Peering Guide, "edge to
				// edge routing through a gateway or private connection").
				why = " (no edge-to-edge routing: a peering connection does not extend to the peer VPC's internet gateway or NAT gateway)"
			}
			m := f.dst.String() + " is not in a CIDR block of the peer VPC " + string(peer) + ", so peering connection " + string(c.ID) + " drops the packet" + why
			return Explanation{Code: CodePCXAddressNotInVpcCIDR, Path: "forward", Hop: seq, Component: comp, Address: f.dst, Message: m, clause: m}
		})
		return arrival{}
	}
	t.add(path, false, Hop{Action: ActionRouted, Component: comp, Packet: p})
	D := f.dstHint
	if D == nil && !n.lazy {
		D = n.eniAt(peer, f.dst)
	}
	if D == nil {
		seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: pv.comp, Packet: p})
		t.block(fs, Timeout, func() Explanation {
			m := "no network interface in " + string(peer) + " holds " + f.dst.String() + ", so nothing answers"
			return Explanation{Code: CodeAddressNotAssigned, Path: "forward", Hop: seq, Component: pv.comp, Address: f.dst, Message: m, clause: m}
		})
		return arrival{}
	}
	t.aclCheck(fs, path, false, D.subnet, false, p)
	return arrival{reached: true, eni: D, srcSeen: f.src, srcRef: f.srcRef, dstAddr: f.dst, kind: viaPeering, pcx: c, pcxComp: comp}
}

// dynamicHostPort tells whether a bridge task's socket is on a host port
// ECS chose (the port mapping's hostPort is 0 or unset).
func (n *Network) dynamicHostPort(s *socket) bool {
	if s.task == nil || s.port == s.containerPort {
		return false
	}
	td := n.st.TaskDefinitions[s.task.tk.TaskDefinitionARN]
	if td == nil {
		return false
	}
	c, ok := td.Container(s.container)
	return ok && slices.ContainsFunc(c.PortMappings, func(pm model.PortMapping) bool {
		return pm.ContainerPort == s.containerPort && pm.HostPort == 0
	})
}

// vpcHoldingIPv6 returns the VPC whose IPv6 block holds a, if any.
func (n *Network) vpcHoldingIPv6(a netip.Addr) *model.VPC {
	if !a.Is6() {
		return nil
	}
	for _, v := range n.st.VPCs {
		for _, b := range v.IPv6 {
			if b.CIDR.Contains(a) {
				return v
			}
		}
	}
	return nil
}

// docker0What names an instance's docker0: Docker's default bridge, or
// the bridge its user data's bip moved.
func docker0What(x *instanceNode) string {
	if x.docker0 == model.DockerDefaultBridge().Masked() {
		return "default bridge"
	}
	return "bridge, moved there by the bip of its user data,"
}

// docker0Takes tells whether the host network namespace of S's instance
// sends dst to docker0 (the instance's docker0 network: 172.17.0.0/16,
// or the bip its user data sets): S is the instance's only ENI (with
// several, the kernel's per-ENI source routing tables hold no docker0
// route), the instance runs Docker's bridge (a bridge mode task), and
// dst is in docker0's network but not in S's subnet (the subnet's
// connected route is more specific when it is) nor the instance's own
// address. For a client that is a bridge container (bridged), all of
// docker0's network but the instance's own addresses.
func docker0Takes(S *eniNode, dst netip.Addr, bridged bool) bool {
	if S.instance == nil || !dst.Is4() || !S.instance.docker0.Contains(dst) {
		return false
	}
	if bridged {
		// A bridge container's eth0 is on docker0's network itself: the
		// whole range is on its link, its own subnet too (only the
		// instance's own addresses answer there, the self case).
		return true
	}
	if S.kind != eniHost || len(S.instance.enis) != 1 {
		return false
	}
	// The subnet's connected route wins when it is at least as specific
	// (eth0's, the older of two equal routes).
	if S.subnet != nil && S.subnet.subnet.CIDR.Contains(dst) && S.subnet.subnet.CIDR.Bits() >= S.instance.docker0.Bits() {
		return false
	}
	for _, x := range S.instance.tasks {
		if x.tk.NetworkMode == model.NetworkModeBridge && x.tk.Active() {
			return true
		}
	}
	return false
}
