package reach

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Probe answers a query: it walks the packet from the source to the
// destination and back, hop by hop, and says what the client experiences
// and why. It only reads n.
func Probe(n *Network, q Query) *Result {
	if q.r53w != nil && q.r53w.pre != nil && q.r53w.pick == "" {
		return probeWeighted(n, &q)
	}
	res := probe(n, &q, 0, false)
	if res.weighted != nil && q.tgPick == "" {
		return probeWeightedForward(n, q, res) // weightedforward.go
	}
	return res
}

// probeWeighted probes a name whose lookup meets a weighted record set:
// Route 53 answers each lookup with one of its records, chosen by weight
// ("Route 53 sends traffic to a resource based on the weight that you
// assign to the record as a proportion of the total weight for all
// records in the group", Route 53 Developer Guide, routing-policy-
// weighted), so a client may reach the target of any record of a weight
// above 0. Each is probed; the answer is the worst case, the first in
// order of weight that does not reach its target (the heaviest when all
// do), with a note of each record's verdict [choice].
func probeWeighted(n *Network, q *Query) *Result {
	var worst *Result
	var worstID string
	var notes []string
	w := q.r53w
	for _, rec := range w.recs {
		alt, err := n.weightedAlternative(q, rec)
		var res *Result
		if err != nil {
			res = (&tracer{n: n, res: &Result{From: &alt.From, To: &alt.To}}).invalid(err.Error())
		} else {
			res = probe(n, &alt, 0, false)
		}
		target := alt.To.Name
		if target == "" {
			target = alt.To.Spec
		}
		notes = append(notes, fmt.Sprintf("set %q (weight %d) → %s: %s", rec.SetIdentifier, *rec.Weight, target, res.Verdict))
		if worst == nil || worst.Verdict.Reachable() && !res.Verdict.Reachable() {
			worst, worstID = res, rec.SetIdentifier
		}
	}
	name := w.pre.To.Name
	if name == "" {
		name = w.pre.To.Spec
	}
	worst.Notes = append(worst.Notes, fmt.Sprintf("%s meets a weighted record set (%s %s): Route 53 answers each lookup with one of its records, chosen by weight, so a client may reach any of them; each was probed: %s. This result is the worst case, set %q",
		name, w.recs[0].Name, w.recs[0].Type, strings.Join(notes, "; "), worstID))
	return worst
}

// weightedAlternative is q resolved through one record of the weighted
// record set its lookup meets.
func (n *Network) weightedAlternative(q *Query, rec model.RecordSet) (Query, error) {
	alt := *q.r53w.pre
	alt.From, alt.Protocol, alt.Port, alt.ClientPort = q.From, q.Protocol, q.Port, q.ClientPort
	alt.HTTPPath, alt.HTTPHost, alt.IPv6, alt.HTTPMethod, alt.HTTPHeaders = q.HTTPPath, q.HTTPHost, q.IPv6, q.HTTPMethod, q.HTTPHeaders
	alt.r53w = &r53Weighted{pick: rec.SetIdentifier}
	err := n.completeQuery(&alt)
	return alt, err
}

// WeightedRecord is one record of a weighted record set a query's
// lookup meets, and the query resolved through it (Err when that fails).
type WeightedRecord struct {
	SetIdentifier string
	Weight        int64
	Query         Query
	Err           error
}

// WeightedRecords returns, for a query whose destination name meets a
// weighted record set of more than one record a lookup may get, each of
// them (heaviest first, as Probe's worst case tries them) with the query
// resolved through it; nil for any other query.
func (n *Network) WeightedRecords(q Query) []WeightedRecord {
	if q.r53w == nil || q.r53w.pre == nil || q.r53w.pick != "" {
		return nil
	}
	out := make([]WeightedRecord, 0, len(q.r53w.recs))
	for _, rec := range q.r53w.recs {
		alt, err := n.weightedAlternative(&q, rec)
		out = append(out, WeightedRecord{SetIdentifier: rec.SetIdentifier, Weight: *rec.Weight, Query: alt, Err: err})
	}
	return out
}

// probe runs a query through one node of a load balancer destination
// (node is ignored otherwise). A quiet probe records only the verdict.
func probe(n *Network, q *Query, node int, quiet bool) *Result {
	proto := q.Protocol
	if proto == 0 {
		proto = model.TCP
	}
	// v6: the probe is over IPv6 (asked for, or an IPv6 address given).
	v6 := q.IPv6 || q.From.Address.Is6() || q.To.Address.Is6()
	echo := isICMP(proto)
	if echo && v6 {
		proto = model.ICMPv6 // a ping over IPv6 is an ICMPv6 echo request
	}
	clientPort := q.ClientPort
	switch {
	case echo:
		clientPort = 0 // ICMP has no ports
	case clientPort == 0:
		clientPort = DefaultClientPort
	}
	res := &Result{From: &q.From, To: &q.To, Protocol: proto.String(), ClientPort: clientPort}
	if !quiet {
		res.Forward = make([]Hop, 0, 16)
		res.Return = make([]Hop, 0, 16)
	}
	t := &tracer{n: n, res: res, quiet: quiet, proto: proto, clientPort: clientPort, echo: echo, query: q}
	port, err := q.port()
	if err != nil {
		return t.invalid(err.Error())
	}
	res.Port = port
	if d := q.To.scn; d != nil && !q.scMiss && !q.scDiscovery && !quiet {
		res.Notes = append(res.Notes, fmt.Sprintf("%s:%d is a Service Connect endpoint of the namespace %s: the client task's Service Connect proxy connects to a task of %s at port %d (%s), from the client task's address, so security groups and network ACLs apply to that port",
			d.name, q.To.Port, d.ns.Name, d.server.svc.Name, d.target, map[bool]string{true: "its ingressPortOverride, where the server's proxy listens", false: "the container port of " + d.sc.PortName}[d.sc.IngressPortOverride != 0]))
	}
	if q.r53note != "" && !quiet {
		res.Notes = append(res.Notes, q.r53note)
	}
	t.route53Private(q)
	t.viaPublicName = q.r53private
	if q.pcxDNS != nil {
		t.pcxDNSNote = q.r53note
	}
	f := flow{top: true, sport: clientPort, dport: port}
	fs := newFlowState()
	if v6 {
		if msg := mixedFamilies(q); msg != "" {
			return t.invalid(msg)
		}
	}

	// The source.
	switch q.From.Kind {
	case KindInternet:
		f.src = q.From.Address
		if v6 && f.src.Is4() {
			f.src = DefaultInternetClientV6()
			q.From.Address = f.src
		}
	case KindAddress:
		switch e := q.From.eni; {
		case e != nil && e.eni.HasAddr(q.From.Address):
			f.srcENI, f.src, f.srcRef = e, q.From.Address, e
		case e != nil:
			f.srcENI, f.src, f.srcRef = e, e.primary, e
		case isPublic(q.From.Address):
			f.src = q.From.Address
		default:
			return t.invalid("no network interface holds " + q.From.Address.String())
		}
	default:
		var e *eniNode
		switch {
		case q.From.lb != nil && len(q.From.lb.nodes) > 0:
			e = q.From.lb.nodes[0]
		case q.From.task != nil:
			e = q.From.task.addressENI()
			if e == nil && networkModeNoneTask(q.From.task) {
				return t.networkModeNone(&fs, q.From.task) // networkmodenone.go
			}
			if e != nil && !q.From.task.running {
				if msg, ok := t.neverRunning(q.From.task); ok { // tasksets.go
					return t.invalid(msg)
				}
			}
			if e == nil {
				msg := "the task " + q.From.task.name + " has no network interface (network mode " + string(q.From.task.tk.NetworkMode) + ", " + string(q.From.task.tk.LastStatus) + ")"
				if x := n.stoppedCause(q.From.task); x != nil {
					msg += ": " + x.Sentence()
					if !t.quiet {
						t.res.Explanations = append(t.res.Explanations, stoppedExplanation(q.From.task, x, "forward"))
					}
				}
				return t.invalid(msg)
			}
		default:
			e = q.From.eni
		}
		if e == nil {
			return t.invalid(q.From.Spec + " has no network interface")
		}
		f.srcENI, f.src, f.srcRef = e, e.primary, e
		f.bridged = q.From.task != nil && q.From.task.tk.NetworkMode == model.NetworkModeBridge
	}
	if q.To.Kind == KindIMDS {
		if q.From.Kind == KindInternet || v6 {
			return t.invalid("the instance metadata service (169.254.169.254) answers only its own instance and its containers, over IPv4")
		}
		return t.imds(q, port)
	}
	if q.To.Kind == KindTaskMetadata {
		if q.From.Kind == KindInternet || v6 {
			return t.invalid("the ECS task metadata and credentials endpoint (169.254.170.2) answers only tasks and their container instances, over IPv4")
		}
		return t.taskMetadata(q, port)
	}
	if q.To.Kind == KindLoopback {
		if q.From.Kind == KindInternet || v6 {
			return t.invalid("localhost (" + q.To.Address.String() + ") is the source's own network namespace: probe it from a task or an instance, over IPv4")
		}
		return t.loopback(q, port)
	}
	if f.srcENI == nil && q.To.Kind == KindInternet {
		return t.invalid("the source and the destination are both on the internet")
	}
	if v6 && q.From.task != nil && q.From.task.tk.NetworkMode == model.NetworkModeBridge {
		// A bridge task's containers are on Docker's default bridge
		// network, which has no IPv6 unless the daemon enables it (the
		// ECS-optimized AMIs do not): the client has no IPv6 address or
		// route, and fails at once.
		t.block(&fs, NoRoute, func() Explanation {
			m := "the task " + q.From.task.name + " runs in bridge mode: its containers are on Docker's bridge network, which has no IPv6 (Docker turns it on only with \"ipv6\": true in daemon.json), so it has no IPv6 address or route to use; awsvpc tasks use their ENI's IPv6 address, host mode tasks the instance's"
			return Explanation{Code: CodeNoIPv6Address, Path: "forward", Component: f.srcENI.comp, NetworkInterface: f.srcENI.comp, Message: m, clause: m}
		})
		return t.finish(&fs, fs.verdict, nil)
	}
	if v6 && f.srcENI != nil && !f.src.Is6() {
		if !f.srcENI.v6.IsValid() {
			t.noIPv6(&fs, f.srcENI, "source")
			return t.finish(&fs, fs.verdict, nil)
		}
		f.src = f.srcENI.v6
	}

	if q.nx {
		t.nxSrc = f.srcENI
		t.nxdomain(&fs, q)
		return t.finish(&fs, fs.verdict, nil)
	}
	if q.nxName != "" && f.srcENI != nil && q.To.scn == nil {
		// A name: the client asks its VPC's DNS servers first.
		if miss := n.dnsServersUnreachable(f.srcENI); miss != nil {
			t.dnsServerUnreachable(&fs, q, miss)
			return t.finish(&fs, fs.verdict, nil)
		}
	}

	// The destination.
	var dstLB *lbNode
	// sameVPC: the source reaches e by its private address, within its
	// VPC, through a peering connection its route names, or through a
	// transit gateway its route names (the name of a task or instance of
	// another VPC means its private address when the source's route table
	// sends that address to a transit gateway, not to the internet).
	sameVPC := func(e *eniNode) bool {
		if f.srcENI == nil {
			return false
		}
		// By id: a query may hold the nodes of another compile of the
		// same state (the data plane probes with its own).
		if f.srcENI.eni.VpcID == e.eni.VpcID || n.tgwRouted(f.srcENI, e.primary) {
			return true
		}
		p := n.peeredENI(f.srcENI, e.primary)
		return p != nil && p.eni.ID == e.eni.ID
	}
	switch q.To.Kind {
	case KindAWSService, KindInternetHost:
		if f.srcENI == nil {
			return t.invalid("the source and the destination are both on the internet")
		}
		if row, ok := n.dualStackName(q.To.Name); ok && (v6 || f.srcENI.ipv6Only()) {
			// A dual-stack name has AAAA records: an IPv6 client (an
			// IPv6-only interface's always) connects to one over IPv6.
			f.dst = registryAddr6(row.Service)
			if !quiet {
				res.Notes = append(res.Notes, q.To.Name+" is a dual-stack name: it resolves to IPv6 addresses too (ecsnet uses "+f.dst.String()+"), and the source connects over IPv6")
			}
			break
		}
		if src := f.srcENI; (v6 || src.ipv6Only()) && q.To.Kind == KindAWSService && q.To.svcName != "dynamodb" {
			// The VPC's interface endpoint answers the name (private
			// DNS): over IPv6 when it has AAAA records (endpointipv6.go).
			if ep, dst, ok := n.serviceEndpoint(src.eni.VpcID, q.To.svcName, src.eni.AvailabilityZone); ok && dst != nil {
				a, why := endpointIPv6(ep, dst, q.To.svcName)
				if !a.IsValid() {
					t.block(&fs, NoRoute, func() Explanation {
						m := why + "; the source connects over IPv6 and has no AAAA record to connect to"
						return Explanation{Code: CodeNoIPv6Address, Path: "forward", Component: dst.comp, Message: m, clause: m}
					})
					return t.finish(&fs, fs.verdict, nil)
				}
				f.dst, f.dstHint = a, dst
				if !f.src.Is6() && src.v6.IsValid() {
					f.src = src.v6
				}
				if !quiet {
					res.Notes = append(res.Notes, q.To.Name+" resolves to "+a.String()+", the IPv6 address of the interface endpoint "+string(ep.ID)+"'s network interface in "+dst.eni.AvailabilityZone+
						" (private DNS, DNS record IP type "+ep.RecordType()+")")
				}
				break
			}
		}
		if v6 && dns64Client(f.srcENI) {
			// DNS64 (dns64.go): the Resolver synthesizes an AAAA record
			// of the name's IPv4 address.
			addr, dst, note := n.outsideAddr(&q.To, f.srcENI)
			f.dst, f.dstHint, f.dns64 = addr, dst, true
			if !quiet {
				res.Notes = append(res.Notes, note, q.To.Name+" has no AAAA record; DNS64 on the client's subnet answers "+nat64Addr(addr).String()+" (64:ff9b::/96 and its IPv4 address), to which the IPv6 client connects")
			}
			break
		}
		if v6 {
			return t.invalid("ecsnet resolves " + q.To.Name + " to an IPv4 address only; probe it without --ipv6")
		}
		if ep := n.PrivateNameEndpoint(f.srcENI.eni.VpcID, q.To.Name, f.srcENI.eni.AvailabilityZone); ep != nil && !ep.PrivateNameA() {
			// The endpoint's private DNS answers AAAA records only
			// (DnsRecordIpType ipv6): the IPv4 lookup gets no A record.
			t.block(&fs, NXDomain, func() Explanation {
				m := endpointNoIPv4(ep, q.To.svcName)
				if f.srcENI.v6.IsValid() {
					m = "the " + q.To.svcName + " interface endpoint " + string(ep.ID) + " has the DNS record IP type ipv6: its private DNS answers " + q.To.Name + " with AAAA records only (NOERROR, no A record), so an IPv4 lookup gets no address; the source has an IPv6 address and connects over IPv6 (probe it with --ipv6)"
				}
				m += ". Set the DNS record IP type to dualstack (aws ec2 modify-vpc-endpoint --dns-options DnsRecordIpType=dualstack) for IPv4 clients"
				return Explanation{Code: CodeDNSNoData, Path: "forward", Component: t.n.endpointComp(ep), Message: m, clause: m}
			})
			return t.finish(&fs, fs.verdict, nil)
		}
		addr, dst, note := n.outsideAddr(&q.To, f.srcENI)
		f.dst, f.dstHint = addr, dst
		if !quiet {
			res.Notes = append(res.Notes, note)
			if m := n.legacyNameNote(&q.To, f.srcENI); m != "" {
				res.Explanations = append(res.Explanations, Explanation{Code: CodeEndpointLegacyName, Path: "forward", Message: m, clause: m})
			}
		}
	case KindInternet, KindAddress:
		f.dst = q.To.Address
		if v6 && f.dst.Is4() && q.To.Kind == KindInternet {
			f.dst = DefaultInternetClientV6()
			q.To.Address = f.dst
		}
		if e := q.To.eni; e != nil && e.eni.HasAddr(f.dst) && (sameVPC(e) || f.srcENI == nil) {
			f.dstHint = e
		}
	case KindLoadBalancer:
		dstLB = q.To.lb
		if v6 && (dstLB.isALB() || dstLB.isNLB()) && !strings.HasPrefix(dstLB.lb.IPAddressType, "dualstack") {
			// An IPv4 ALB's (or NLB's) DNS name has no AAAA record: an IPv6-only
			// client has no address to connect to, and fails at once.
			t.block(&fs, NoRoute, func() Explanation {
				m := "the load balancer " + dstLB.lb.Name + " has the ip address type ipv4: its DNS name has no AAAA record, so an IPv6 client has no address to connect to (set it to dualstack, which needs subnets with IPv6 CIDR blocks)"
				return Explanation{Code: CodeNoIPv6Address, Path: "forward", Component: dstLB.comp, Message: m, clause: m}
			})
			return t.finish(&fs, fs.verdict, nil)
		}
		if v6 {
			if msg := lbIPv6(dstLB, proto); msg != "" {
				return t.invalid(msg)
			}
		}
		if len(dstLB.nodes) == 0 {
			return t.invalid("the load balancer " + dstLB.lb.Name + " has no nodes")
		}
		if node >= len(dstLB.nodes) {
			node = 0
		}
		e := dstLB.nodes[node]
		switch {
		case v6 && !e.v6.IsValid():
			t.noIPv6(&fs, e, "destination")
			return t.finish(&fs, fs.verdict, nil)
		case v6:
			// A dual-stack load balancer's nodes have IPv6 addresses of
			// their subnets; internet-facing, its DNS name's AAAA records
			// are those addresses, the same inside the VPC.
			f.dst, f.dstHint = e.v6, e
			if dstLB.lb.Scheme == "internal" && f.srcENI == nil {
				t.block(&fs, NoRoute, func() Explanation {
					m := "the load balancer " + dstLB.lb.Name + " is internal: the internet gateway does not forward the internet's traffic to it, over IPv6 either"
					return Explanation{Code: CodeInternalLB, Path: "forward", Component: dstLB.comp, Message: m, clause: m}
				})
			}
		case e.public.IsValid() && dstLB.lb.Scheme != "internal" && f.srcENI != nil:
			// An internet-facing load balancer's DNS name resolves to
			// its nodes' public addresses everywhere, inside its own
			// VPC too (no split-horizon answer): the client goes out
			// through its internet gateway or NAT gateway and comes
			// back in from the internet.
			f.dst = e.public
			if !quiet && sameVPC(e) {
				res.Notes = append(res.Notes, "the load balancer "+dstLB.lb.Name+" is internet-facing: its DNS name resolves to its nodes' public addresses ("+e.public.String()+" in "+e.eni.AvailabilityZone+") inside its VPC too, so the request leaves through the source's internet or NAT gateway and comes back from the gateway's public address")
			}
		case sameVPC(e):
			f.dst, f.dstHint = e.primary, e
		case e.public.IsValid():
			f.dst = e.public
		case dstLB.lb.IPAddressType == "dualstack-without-public-ipv4" && dstLB.lb.Scheme != "internal":
			f.dst, f.dstHint = e.primary, e
			t.block(&fs, NoRoute, func() Explanation {
				m := "the load balancer " + dstLB.lb.Name + " is dualstack-without-public-ipv4: its nodes have no public IPv4 address, so the IPv4 internet cannot reach it; clients use IPv6 (try --ipv6)"
				return Explanation{Code: CodeLBNoPublicIPv4, Path: "forward", Component: dstLB.comp, Message: m, clause: m}
			})
		case f.srcENI != nil:
			// An internal load balancer's DNS name resolves to its
			// nodes' private addresses everywhere: a client of another
			// VPC reaches them if its routes lead there (a peering
			// connection, a transit gateway).
			f.dst, f.dstHint = e.primary, e
		default:
			f.dst, f.dstHint = e.primary, e
			t.block(&fs, NoRoute, func() Explanation {
				m := "the load balancer " + dstLB.lb.Name + " is internal: its DNS name resolves to private addresses, which the internet cannot reach"
				return Explanation{Code: CodeInternalLB, Path: "forward", Component: dstLB.comp, Message: m, clause: m}
			})
		}
	default:
		e := q.To.eni
		if q.To.service != nil {
			t.shortService(q.To.service)
		}
		if q.To.task != nil {
			tk := q.To.task
			if tk.tk.NetworkMode == model.NetworkModeNone {
				t.block(&fs, NoRoute, func() Explanation {
					m := "the task " + tk.name + " uses network mode none: its containers have no external connectivity"
					return Explanation{Code: CodeNetworkModeNone, Path: "forward", Component: tk.comp, Message: m, clause: m}
				})
				return t.finish(&fs, fs.verdict, nil)
			}
			if e == nil {
				t.block(&fs, NoRoute, func() Explanation {
					m := "the task " + tk.name + " is " + string(tk.tk.LastStatus) + " and has no network interface"
					return Explanation{Code: CodeTaskNotRunning, Path: "forward", Component: tk.comp, Message: m, clause: m}
				})
				if x := n.stoppedCause(tk); x != nil {
					t.block(&fs, NoRoute, func() Explanation { return stoppedExplanation(tk, x, "forward") })
				}
				return t.finish(&fs, fs.verdict, nil)
			}
			if tk.tk.NetworkMode == model.NetworkModeBridge {
				// The container port is published on a host port.
				// (a range binding: the host port as far into the host
				// range as the container port is into the container's)
				for _, s := range tk.sockets {
					if s.proto == proto && s.containerPort <= port && int(port-s.containerPort) <= int(s.ports().Last-s.port) {
						hp := s.port + (port - s.containerPort)
						f.dport, res.Port = hp, hp
						break
					}
				}
			}
		}
		if e == nil {
			return t.invalid(q.To.Spec + " has no network interface")
		}
		switch {
		case v6 && !e.v6.IsValid():
			t.noIPv6(&fs, e, "destination")
			return t.finish(&fs, fs.verdict, nil)
		case v6:
			// An IPv6 address is the same inside the VPC and from the
			// internet.
			f.dst = e.v6
		case sameVPC(e):
			f.dst = e.primary
		case e.public.IsValid():
			f.dst = e.public
		default:
			f.dst = e.primary
		}
		f.dstHint = e
	}

	if S := f.srcENI; S != nil && q.From.Kind != KindAddress && S.kind == eniHost && S.instance != nil && len(S.instance.enis) > 1 && f.dst.Is4() {
		// A host with several interfaces sends to an address of one of
		// its interfaces' subnets from that interface (the subnet's
		// connected route names it and its address as the source); to
		// anything else from the primary one (the default route's).
		for _, e := range S.instance.enis {
			if e != S && e.subnet != nil && e.subnet.subnet.CIDR.Contains(f.dst) && !(S.subnet != nil && S.subnet.subnet.CIDR.Contains(f.dst)) {
				f.srcENI, f.src, f.srcRef = e, e.primary, e
				break
			}
		}
	}
	if v6 && q.To.Kind == KindAddress && f.dstHint != nil && f.dstHint.kind == eniLB && f.dstHint.lb != nil {
		if msg := lbIPv6(f.dstHint.lb, proto); msg != "" {
			return t.invalid(msg)
		}
	}
	a := t.forward(&fs, &f, &res.Forward)
	var verdict Verdict
	var lbo *lbOutcome
	switch {
	case echo:
		verdict = t.echoProbe(&fs, &f, &a, &res.Forward, &res.Return)
	case a.eni != nil && a.eni.kind == eniLB:
		o := t.loadBalancer(&fs, &f, &a, q, &res.Forward, &res.Return)
		lbo = &o
		verdict = o.verdict
	case a.eni != nil && a.eni.kind == eniEndpoint && n.privateLinkEndpoint(a.eni) != nil:
		o := t.privateLinkConnection(&fs, &f, &a, n.privateLinkEndpoint(a.eni), &res.Forward, &res.Return)
		lbo = &o
		verdict = o.verdict
	default:
		accepted := a.exited
		if a.eni != nil {
			_, accepted = t.accept(&fs, &f, &a, &res.Forward)
		}
		t.replyICMP = !accepted && proto == model.UDP
		t.reply(&fs, &f, &a, &res.Return)
		t.replyICMP = false
		verdict = flowVerdict(fs, accepted)
	}
	if verdict == Connected && !fs.blocked {
		t.apiGatewayThroughEndpoint(&fs, q, a.eni)
	}
	if fs.blocked {
		verdict = fs.verdict
	}
	r := t.finish(&fs, verdict, lbo)
	if !quiet && (q.To.Kind == KindAWSService || q.To.Kind == KindInternetHost) && f.dstHint == nil {
		// Name the host where the sentence shows its stand-in address.
		r.Summary = strings.ReplaceAll(r.Summary, " "+f.dst.String()+".", " "+q.To.Name+" ("+f.dst.String()+").")
		r.Summary = strings.ReplaceAll(r.Summary, " "+f.dst.String()+";", " "+q.To.Name+" ("+f.dst.String()+");")
	}
	if !quiet && dstLB != nil && len(dstLB.nodes) > 1 {
		for i := range dstLB.nodes {
			if i == node {
				continue
			}
			other := probe(n, q, i, true)
			if other.Verdict != r.Verdict {
				e := dstLB.nodes[i]
				r.Notes = append(r.Notes, "through the node in "+e.eni.AvailabilityZone+" ("+e.primary.String()+") the verdict is "+string(other.Verdict)+
					": clients get either answer, depending on the address DNS gives them")
			}
		}
	}
	return r
}

// lbIPv6 says why a load balancer cannot be probed over IPv6 with a
// protocol, or "": an ipv4 load balancer has no IPv6 address (its DNS
// name has no AAAA record). ecsnet follows IPv6 clients through
// Application Load Balancers, which open their own connections to the
// targets, and over TCP through Network Load Balancers, which pass an
// IPv6 client to an ipv6 target group and translate it for an ipv4 one;
// a dualstack NLB's UDP listeners take IPv6 through a source NAT prefix
// (EnablePrefixForIpv6SourceNat), which ecsnet does not model.
func lbIPv6(lb *lbNode, proto model.Protocol) string {
	switch {
	case lb.isClassic():
		return "the Classic Load Balancer " + lb.lb.Name + " is in a VPC, where Classic Load Balancers have no IPv6 address (their DNS name has no AAAA record; use an ALB or NLB with ip address type dualstack); probe it without --ipv6"
	case !strings.HasPrefix(lb.lb.IPAddressType, "dualstack"):
		return "the load balancer " + lb.lb.Name + " has the ip address type ipv4: its DNS name has no AAAA record and its nodes no IPv6 address (set it to dualstack, which needs subnets with IPv6 CIDR blocks); probe it without --ipv6"
	case lb.isNLB() && proto == model.UDP:
		return "ecsnet follows IPv6 clients through Network Load Balancers over TCP only: a dualstack NLB takes UDP over IPv6 through a source NAT prefix of each subnet (EnablePrefixForIpv6SourceNat), which ecsnet does not model; probe the UDP listener of " + lb.lb.Name + " without --ipv6"
	case !lb.isALB() && !lb.isNLB():
		return "ecsnet follows IPv6 clients through Application and Network Load Balancers only; probe " + lb.lb.Name + " without --ipv6"
	}
	return ""
}

// mixedFamilies says why a query mixes IPv4 and IPv6 addresses, or "".
// A destination name that does not resolve from the source has no
// address to mix (the lookup fails whichever record it asks for).
func mixedFamilies(q *Query) string {
	eps := []*Endpoint{&q.From, &q.To}
	if q.nx {
		eps = eps[:1]
	}
	for _, ep := range eps {
		if ep.Address.Is4() && (ep.Kind == KindAddress || ep.Address != DefaultInternetClient()) {
			return ep.Spec + " is an IPv4 address, but the probe is over IPv6: give IPv6 addresses at both ends (or drop --ipv6)"
		}
	}
	return ""
}

// noIPv6 records that an IPv6 probe's source or destination ENI has no
// IPv6 address, and why: the client's system has no IPv6 route to use
// (or, as the destination, no AAAA record to look up), so the
// connection fails at once.
func (t *tracer) noIPv6(fs *flowState, e *eniNode, role string) {
	t.block(fs, NoRoute, func() Explanation {
		why := ""
		switch {
		case e.subnet == nil || len(e.subnet.subnet.IPv6) == 0:
			sub := string(e.eni.SubnetID)
			if e.subnet != nil {
				sub = e.subnet.comp.Label()
			}
			why = "its subnet " + sub + " has no IPv6 CIDR block (associate a /64 of the VPC's IPv6 block with it)"
		case e.kind == eniLB:
			why = "the nodes of a dualstack load balancer take an IPv6 address of each subnet's IPv6 block, and this node has none in the model"
		case e.task != nil && e.kind == eniTask:
			why = "ECS gives an awsvpc task an IPv6 address only when its subnet has an IPv6 CIDR block and the dualStackIPv6 account setting is enabled when the task starts"
		default:
			why = "none was assigned: the subnet's AssignIpv6AddressOnCreation was off when it was created, and no AssignIpv6Addresses followed"
		}
		m := e.owned() + ", the probe's " + role + ", has no IPv6 address: " + why
		return Explanation{Code: CodeNoIPv6Address, Path: "forward", Component: e.comp, NetworkInterface: e.comp, Message: m, clause: m}
	})
}

// nxdomain blocks a query whose destination is a Cloud Map private DNS
// name asked from a VPC (or the internet) its namespace's hosted zone is
// not associated with: the Route 53 Resolver answers NXDOMAIN and no
// packet leaves (Cloud Map developer guide, "Private DNS namespaces":
// "DNS queries … can be resolved only within the VPC … associate
// additional VPCs with the hosted zone").
func (t *tracer) nxdomain(fs *flowState, q *Query) {
	if q.nxDNSOff {
		t.nxdomainVPCDNSOff(fs, q)
		return
	}
	if q.r53 != nil {
		t.route53NX(fs, q)
		return
	}
	if q.scDiscovery {
		t.serviceConnectDiscovery(fs, q)
		return
	}
	if q.scMiss {
		t.serviceConnectMiss(fs, q)
		return
	}
	d := q.To.dns
	ns := d.ns
	comp := &Component{Type: "cloud-map-namespace", ID: ns.ID, ARN: ns.ARN, Name: ns.Name}
	if q.nxDNSAttr {
		t.nxdomainDNSAttributes(fs, q)
		return
	}
	if q.nxCustomDNS {
		t.nxdomainCustomDNS(fs, q)
		return
	}
	if q.nxHTTP {
		t.block(fs, NXDomain, func() Explanation {
			what := ns.Name + " is a Cloud Map HTTP namespace"
			if ns.Type != model.NamespaceHTTP {
				what = "the Cloud Map service " + d.ds.Name + " of " + ns.Name + " is an HTTP service"
			}
			m := d.fqdn + " does not resolve: " + what + ", which has no hosted zone and registers no DNS records (its instances are found only with the " +
				"DiscoverInstances API), so the Route 53 Resolver answers NXDOMAIN. Find the tasks with aws servicediscovery discover-instances --namespace-name " +
				ns.Name + " --service-name " + d.ds.Name + ", or register the service in a private DNS namespace (A records) for clients that look names up"
			return Explanation{Code: CodeCloudMapHTTPNamespace, Path: "forward", Component: comp, Message: m, clause: m}
		})
		return
	}
	if q.nxSRVOnly {
		t.block(fs, NXDomain, func() Explanation {
			port := ""
			if p, err := q.port(); err == nil {
				port = ":" + strconv.Itoa(int(p))
			}
			m := d.fqdn + " has SRV records only (the Cloud Map service " + d.ds.Name + " registers each task's address and port as an SRV record, as ECS does for the " +
				"bridge and host network modes): a client that connects to " + d.fqdn + port + " looks up its address (A), and Route 53 answers none. " +
				"Look the name up as an SRV record (the address and the host port), or run the service in the awsvpc network mode with A records"
			return Explanation{Code: CodeCloudMapSRVOnly, Path: "forward", Component: comp, Message: m, clause: m}
		})
		return
	}
	if q.nxNoInstance {
		t.cloudMapNoInstance(fs, q, comp)
		return
	}
	t.block(fs, NXDomain, func() Explanation {
		where := "the internet, which the private hosted zone never answers"
		fix := ""
		if q.nxVPC != "" {
			where = "VPC " + string(q.nxVPC)
			if v := t.n.vpcs[q.nxVPC]; v != nil {
				where = "VPC " + v.comp.Label() + " (" + string(q.nxVPC) + ")"
			}
			fix = "; associate the hosted zone " + ns.HostedZoneID + " with " + string(q.nxVPC) + " (aws route53 associate-vpc-with-hosted-zone)"
		}
		home := string(ns.VpcID)
		if v := t.n.vpcs[ns.VpcID]; v != nil {
			home = v.comp.Label() + " (" + string(ns.VpcID) + ")"
		}
		m := d.fqdn + " does not resolve from " + where + ": the Route 53 Resolver answers NXDOMAIN. " + ns.Name +
			" is a Cloud Map private DNS namespace; its hosted zone " + ns.HostedZoneID + " is associated only with VPC " + home
		if len(ns.ZoneVPCs) > 0 {
			m += " and " + strings.Join(vpcIDs(ns.ZoneVPCs), ", ")
		}
		m += fix
		return Explanation{Code: CodeCloudMapZoneNotAssociated, Path: "forward", Component: comp, Message: m, clause: m}
	})
}

// cloudMapNoInstance blocks a query for the name of a Cloud Map service
// none of whose ECS service's tasks runs. ECS registers a task with Cloud
// Map once it is RUNNING and deregisters it when it stops (Amazon ECS
// Developer Guide, "Use service discovery"), and deregistering deletes the
// instance's records (Cloud Map API, DeregisterInstance: "Deletes the
// Amazon Route 53 DNS records and health check, if any, that AWS Cloud Map
// created for the specified instance"): the name has no record left, and
// the Resolver answers NXDOMAIN [probable: Route 53 answers NXDOMAIN for a
// name with no record in the zone; NODATA would need a record below it].
// The cause behind it, when there is one, follows: why the tasks stop
// before they run, as for an empty target group.
func (t *tracer) cloudMapNoInstance(fs *flowState, q *Query, comp *Component) {
	d, s := q.To.dns, q.To.service
	x := t.n.whyNoTasks(s)
	t.block(fs, NXDomain, func() Explanation {
		m := d.fqdn + " does not resolve: the Cloud Map service " + d.ds.Name + " of " + d.ns.Name + " has no instance, for no task of the ECS service " + s.svc.Name +
			" runs (ECS registers a task only once it is RUNNING, and deregisters it when it stops, which deletes its records), so the Route 53 Resolver answers NXDOMAIN"
		clause := m
		switch {
		case x != nil:
			// The cause follows as a finding of its own; the summary
			// tells both.
			clause += "; " + x.Sentence()
		case s.svc.DesiredCount == 0:
			m += "; the service's desired count is 0. Fix: set it to 1 or more (aws ecs update-service --cluster " + s.svc.ClusterARN[strings.LastIndexByte(s.svc.ClusterARN, '/')+1:] + " --service " + s.svc.Name + " --desired-count 1)"
			clause = m
		}
		return Explanation{Code: CodeCloudMapNoInstance, Path: "forward", Component: comp, Message: m, clause: clause}
	})
	if x == nil || t.quiet {
		return
	}
	code := CodeTasksStopped
	msg := x.Sentence()
	if x.Failure != nil {
		code = x.Failure.Code
		msg = "the tasks of the service " + s.svc.Name + " cannot start: " + x.Failure.Why + ". Fix: " + StartFixHint(x.Failure)
	}
	t.block(fs, NXDomain, func() Explanation {
		e := Explanation{Code: code, Path: "forward", Component: s.comp, Message: msg, clause: x.Sentence(), Tasks: x, said: true}
		e.decidedBy(x.Failure)
		return e
	})
}

// nxdomainDNSAttributes blocks a query for a Cloud Map private DNS name
// asked from a VPC its hosted zone is associated with, but whose
// enableDnsSupport or enableDnsHostnames is false: Route 53 answers from a
// private hosted zone only in VPCs with both attributes true (Route 53
// Developer Guide, "Considerations when working with a private hosted
// zone": "To use private hosted zones, you must set the following Amazon
// VPC settings to true: enableDnsHostnames, enableDnsSupport"). The
// component is the VPC, whose attribute decides.
func (t *tracer) nxdomainDNSAttributes(fs *flowState, q *Query) {
	d := q.To.dns
	ns := d.ns
	vn := t.n.vpcs[q.nxVPC]
	if vn == nil {
		return
	}
	v := vn.vpc
	t.block(fs, NXDomain, func() Explanation {
		var off []string
		if !v.EnableDNSSupport {
			off = append(off, "enableDnsSupport")
		}
		if !v.EnableDNSHostnames {
			off = append(off, "enableDnsHostnames")
		}
		m := d.fqdn + " does not resolve from VPC " + vn.comp.Label() + " (" + string(q.nxVPC) + "): its " + strings.Join(off, " and ") +
			" is false, and Route 53 answers from a private hosted zone only in VPCs whose enableDnsHostnames and enableDnsSupport are both true. " +
			ns.Name + " is a Cloud Map private DNS namespace (hosted zone " + ns.HostedZoneID + "); turn on " + strings.Join(off, " and ") + " ("
		for i, a := range off {
			if i > 0 {
				m += "; "
			}
			m += "aws ec2 modify-vpc-attribute --vpc-id " + string(q.nxVPC) + " --" + map[string]string{"enableDnsSupport": "enable-dns-support", "enableDnsHostnames": "enable-dns-hostnames"}[a]
		}
		m += ")"
		return Explanation{Code: CodePrivateZoneDNSOff, Path: "forward", Component: vn.comp, Message: m, clause: m}
	})
}

// nxdomainVPCDNSOff blocks a query by name from a VPC whose DNS
// resolution is off (enableDnsSupport false) and that uses the
// Amazon-provided DNS server: that server does not answer, so the
// client's lookup times out and no packet leaves (Amazon VPC User Guide,
// "DNS attributes for your VPC": if enableDnsSupport "is false, the
// Amazon Route 53 Resolver server that resolves public DNS hostnames to
// IP addresses is not enabled"). The component is the VPC.
func (t *tracer) nxdomainVPCDNSOff(fs *flowState, q *Query) {
	vn := t.n.vpcs[q.nxVPC]
	if vn == nil {
		return
	}
	// A dual-stack client asks the server's IPv6 address too, after the
	// IPv4 one (an IPv6-only client only that): it waits for each in turn.
	asks := "(" + resolverAddr(vn.vpc) + " and 169.254.169.253) does not answer and the lookup times out"
	if e := t.nxSrc; e != nil && e.v6.IsValid() && len(vn.vpc.IPv6) > 0 {
		asks = "does not answer at " + resolverAddr(vn.vpc) + " (nor 169.254.169.253) or at its IPv6 address fd00:ec2::253, which the dual-stack client asks next: the lookup waits for each to time out, then fails"
		if !e.primary.IsValid() {
			asks = "does not answer at fd00:ec2::253, the only one the IPv6-only client asks, and the lookup times out"
		}
	}
	t.block(fs, NXDomain, func() Explanation {
		m := q.nxName + " does not resolve from VPC " + vn.comp.Label() + " (" + string(q.nxVPC) + "): its enableDnsSupport is false, so the Amazon-provided DNS server " +
			asks + ". Turn DNS resolution on " +
			"(aws ec2 modify-vpc-attribute --vpc-id " + string(q.nxVPC) + " --enable-dns-support '{\"Value\":true}')"
		return Explanation{Code: CodeVPCDNSOff, Path: "forward", Component: vn.comp, Message: m, clause: m}
	})
}

// nxdomainCustomDNS blocks a query for a Cloud Map private DNS name
// asked from a VPC whose DHCP options give DNS servers of its own that do
// not forward to the Route 53 Resolver: the namespace's private hosted
// zone is answered by the Resolver only (Amazon ECS Developer Guide,
// "Use service discovery": the names resolve through the VPC's Amazon
// Route 53 Resolver; Route 53 Developer Guide, resolver forwarding rules
// and inbound endpoints for DNS servers of your own). The component is the
// VPC, whose DHCP options decide.
func (t *tracer) nxdomainCustomDNS(fs *flowState, q *Query) {
	d := q.To.dns
	ns := d.ns
	vn := t.n.vpcs[q.nxVPC]
	o := t.n.privateZonesHidden(q.nxVPC)
	if vn == nil || o == nil {
		return
	}
	t.block(fs, NXDomain, func() Explanation {
		m := d.fqdn + " does not resolve from VPC " + vn.comp.Label() + " (" + string(q.nxVPC) + "): its DHCP options set " + o.Tags.NameOr(string(o.ID)) +
			" (" + string(o.ID) + ") gives its own DNS servers (" + strings.Join(o.Options["domain-name-servers"], ", ") + ")" + CustomDNSMarker +
			", which do not forward to the Route 53 Resolver. " + ns.Name + " is a Cloud Map private DNS namespace (hosted zone " + ns.HostedZoneID +
			"), answered by the Resolver only; use the Amazon-provided DNS server in the VPC, or forward " + ns.Name + " from those servers to a Resolver inbound endpoint"
		return Explanation{Code: CodePrivateZoneCustomDNS, Path: "forward", Component: vn.comp, Message: m, clause: m}
	})
}

func vpcIDs(ids []model.VpcID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// invalid returns a result for a query that cannot be walked.
func (t *tracer) invalid(msg string) *Result {
	t.res.Verdict = Unknown
	t.res.Summary = "unknown: " + msg + "."
	if t.res.Explanations == nil {
		t.res.Explanations = []Explanation{}
	}
	return t.res
}

// finish sets the verdict, numbers each path's hops from 1 (as
// Reachability Analyzer does) and writes the summary.
func (t *tracer) finish(fs *flowState, v Verdict, lbo *lbOutcome) *Result {
	r := t.res
	r.Verdict = v
	r.HTTPStatus = v.HTTPStatus()
	r.Reachable = v.Reachable()
	if t.quiet {
		return r
	}
	t.peeringDNSPublic()
	if r.Explanations == nil {
		r.Explanations = []Explanation{}
	}
	if r.Forward == nil {
		r.Forward = []Hop{}
	}
	if r.Return == nil {
		r.Return = []Hop{}
	}
	t.cut(r)
	r.Summary = t.summary(fs, lbo)
	t.renumber(r)
	return r
}

// cut ends each path at the hop that dropped the packet: the walk goes on
// past a drop to find every blocking component (the explanations keep
// them), but a path shows what the packet did. A reply exists only when
// the request arrived: a request dropped on its way (before it reached a
// socket or a load balancer) has no return path; a load balancer's
// request to a target that is dropped has no reply from the target.
func (t *tracer) cut(r *Result) {
	// The hops cut off, by sequence number: few, so a slice (on the stack
	// for most probes) searched from the end, as a map whose later entry
	// wins, rather than a map that grows on the heap. Each points into
	// the paths' arrays, which cut truncates but never overwrites.
	type seqPacket struct {
		seq int
		p   *Packet
	}
	var buf [32]seqPacket
	dropped := buf[:0]
	drop := func(x *Hop) { dropped = append(dropped, seqPacket{x.Seq, &x.Packet}) }
	at := -1
	for i, h := range r.Forward {
		if h.Blocked {
			at = i
			break
		}
	}
	if at >= 0 {
		h := r.Forward[at]
		arrived := h.Action == ActionRefused || h.Action == ActionResponded
		lbLeg := false
		for _, x := range r.Forward[:at] {
			if x.Action == ActionAccepted && x.Component != nil && x.Component.Type == "listener" {
				lbLeg = true
			}
		}
		for k := at + 1; k < len(r.Forward); k++ {
			drop(&r.Forward[k])
		}
		r.Forward = r.Forward[:at+1]
		switch {
		case arrived:
		case lbLeg:
			// The client's connection to the load balancer stands; the
			// target's reply never comes.
			target := h.Packet.Destination
			keep := r.Return[:0:0]
			for k := range r.Return {
				if x := &r.Return[k]; x.Packet.Source == target && target.IsValid() {
					drop(x)
					continue
				}
				keep = append(keep, r.Return[k])
			}
			r.Return = keep
		default:
			for k := range r.Return {
				drop(&r.Return[k])
			}
			r.Return = r.Return[:0]
		}
	}
	for i, h := range r.Return {
		if h.Blocked {
			for k := i + 1; k < len(r.Return); k++ {
				drop(&r.Return[k])
			}
			r.Return = r.Return[:i+1]
			break
		}
	}
	for i := range r.Explanations {
		h := r.Explanations[i].Hop
		if h <= 0 {
			continue
		}
		for j := len(dropped) - 1; j >= 0; j-- {
			if dropped[j].seq == h {
				pk := *dropped[j].p
				r.Explanations[i].Packet = &pk
				r.Explanations[i].Hop = 0
				break
			}
		}
	}
}

// renumber numbers each path's hops from 1, as Reachability Analyzer
// does, and the explanations' hop references with them.
func (t *tracer) renumber(r *Result) {
	var buf [64]int // most probes have fewer hops: no allocation
	var renumber []int
	if k := len(t.onReturn) + 1; k <= len(buf) {
		renumber = buf[:k]
	} else {
		renumber = make([]int, k)
	}
	for i := range r.Forward {
		renumber[r.Forward[i].Seq] = i + 1
		r.Forward[i].Seq = i + 1
	}
	for i := range r.Return {
		renumber[r.Return[i].Seq] = i + 1
		r.Return[i].Seq = i + 1
	}
	for i := range r.Explanations {
		if h := r.Explanations[i].Hop; h > 0 && h < len(renumber) {
			r.Explanations[i].Hop = renumber[h]
		}
	}
}

// addrPort formats "10.0.1.5:3000/tcp" ("[2600:1f18::5]:3000/tcp").
func (t *tracer) addrPort(a netip.Addr, port uint16) string {
	if t.echo {
		return a.String() // a ping has no port
	}
	return netip.AddrPortFrom(a, port).String() + "/" + t.protoName()
}

// resolverAddr names a VPC's Amazon-provided DNS server's address.
func resolverAddr(v *model.VPC) string {
	if a := v.ResolverAddr(); a.IsValid() {
		return a.String()
	}
	return "the VPC's base address plus two"
}
