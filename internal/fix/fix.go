// Package fix finds changes that make a failing probe succeed, and proves
// each one: a candidate is applied to a clone of the engine, the clone runs
// to its steady state, the analyzer probes again, and only candidates whose
// verdict turns to success are returned. Fixes are ranked least privilege
// first (allow the load balancer's security group before a CIDR, a CIDR
// before 0.0.0.0/0) and come as exact aws CLI commands and as a scenario
// change.
//
// For the article's trap (an awsvpc task on EC2 probed on its instance's
// public IP) the candidates are the article's four remedies: a load
// balancer in the VPC, the task's private address from inside the VPC, the
// bridge network mode, and Fargate with a public IP.
package fix

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// Fix is one verified change.
type Fix struct {
	Rank int `json:"rank"`
	// Kind groups fixes: security-group, network-acl, route, load-balancer,
	// private-address, network-mode, fargate, application.
	Kind   string `json:"kind"`
	Title  string `json:"title"`
	Detail string `json:"detail,omitempty"`
	// Commands are aws CLI commands that make the change on AWS.
	Commands []string `json:"awsCli"`
	// Scenario is the same change as a scenario-file snippet.
	Scenario string `json:"scenario"`
	// Verification is the probe that proves the fix, run on a copy of the
	// system with the fix applied.
	Verification Verification `json:"verification"`

	score int
	apply func(e *engine.Engine) error
	// tls: the verification probe's client speaks TLS to HTTPS
	// listeners (the finder's request without its PlainHTTP).
	tls bool
	// sameRequest: the verification probe, though it names other ends
	// (a service for the task it replaces), sends the finder's request
	// (IPv6, the HTTP request).
	sameRequest bool
	// headers: the verification probe's request carries these HTTP
	// headers besides the finder's (a client-side fix: send them).
	headers map[string]string
}

// Verification is the probe that proved a fix and what it answered.
type Verification struct {
	From     string        `json:"from"`
	To       string        `json:"to"`
	Protocol string        `json:"protocol"`
	Verdict  reach.Verdict `json:"verdict"`
	Summary  string        `json:"summary"`
}

// Apply makes the fix's change on e (a clone, for a what-if).
func (f *Fix) Apply(e *engine.Engine) error {
	if err := f.apply(e); err != nil {
		return err
	}
	return e.Converge()
}

// Options tune Find.
type Options struct {
	// Max is the most fixes returned (default 8).
	Max int
	// Reach are the analyzer options used for every probe.
	Reach []reach.Option
	// Request, when set, completes each query (the HTTP request for ALB
	// listener rules: path, host, method, headers).
	Request func(q *reach.Query)
}

// Find probes from → to on e and, when the probe fails, returns the fixes
// that make it (or, for remedies that change how the service is reached, a
// stated equivalent probe) succeed, best first. The result of the original
// probe is returned too.
func Find(e *engine.Engine, from, to, protocol string, o Options) ([]Fix, *reach.Result, error) {
	st, _ := e.Snapshot()
	n := reach.Compile(st, o.Reach...)
	q, err := reach.NewQuery(n, from, to, protocol)
	if err != nil {
		return nil, nil, err
	}
	if o.Request != nil {
		o.Request(&q)
	}
	res := reach.Probe(n, q)
	ruleMiss := res.HasCode(reach.CodeNoRuleMatched)
	// A target that answers in another protocol than the target group's
	// gives an HTTP answer (400) that is a failure all the same.
	tlsMiss := res.HasCode(reach.CodeTargetTLSMismatch)
	// So is the 464 a load balancer answers a request protocol its target
	// group's protocol version does not take.
	tlsMiss = tlsMiss || res.HasCode(reach.CodeLBProtocolVersionMismatch)
	// And a target whose application and NLB target group disagree on the
	// proxy protocol header (400, or a connection closed unanswered).
	tlsMiss = tlsMiss || res.HasCode(reach.CodeProxyProtocolMismatch)
	tlsMiss = tlsMiss || res.HasCode(reach.CodeClassicProxyProtocolMismatch)
	// And the 400 a TLS application answers an NLB's decrypted bytes.
	tlsMiss = tlsMiss || res.Verdict.HTTPStatus() == 400 && res.HasCode(reach.CodeNLBTLSListenerPlainToTLSTarget)
	// And the 400 an HTTPS listener answers a plain HTTP request.
	tlsMiss = tlsMiss || res.HasCode(reach.CodePlainHTTPToHTTPSListener)
	// And the 403 an execute-api endpoint answers a public API's call.
	tlsMiss = tlsMiss || res.HasCode(reach.CodeAPIGatewayPublicThroughEndpoint)
	// A 404 from the target behind a shadowing rule or an unstripped path
	// prefix is a failure too.
	shadowed, unstripped := res.HasCode(reach.CodeRuleShadowed), res.HasCode(reach.CodePathNotRewritten)
	ruleMiss = ruleMiss || shadowed || unstripped
	f := &finder{e: e, st: st, n: n, q: q, res: res, from: from, to: to, proto: protocol, opts: o, strict: ruleMiss || tlsMiss}
	var short []*model.Service
	var shortCodes map[string]string
	if res.Reachable && !res.HasCode(reach.CodeTargetUnhealthy) && !ruleMiss && !tlsMiss {
		// The probe reaches, but maybe through fewer tasks than the
		// service wants: ECS could not place the others.
		short, shortCodes = f.shortServices()
		if len(short) == 0 {
			// Or some of its tasks stop before they run (the start path
			// fails from some subnets only).
			if f.startShort = f.shortStarts(); len(f.startShort) == 0 && !res.HasCode(reach.CodeKeepAliveShorterThanIdle) {
				return nil, res, nil
			}
		}
	}
	var cands []Fix
	keepAlive := false
	if len(short) == 0 && len(f.startShort) == 0 && res.Reachable && res.HasCode(reach.CodeKeepAliveShorterThanIdle) && !res.HasCode(reach.CodeTargetUnhealthy) && !ruleMiss && !tlsMiss {
		// The probe is answered, but a request on a reused connection
		// now and then gets 502.
		cands, keepAlive = f.keepAliveFixes(), true
	} else if len(short) > 0 {
		cands = f.placementFixes(short, shortCodes)
	} else if len(f.startShort) > 0 {
		for _, x := range f.startShort {
			cands = append(cands, f.startPath(x)...)
			cands = append(cands, f.startDefaultGroup(x)...)
		}
	} else if shadowed {
		cands = f.ruleOrderFixes()
	} else if unstripped {
		cands = f.basePathFixes()
	} else if ruleMiss {
		cands = f.ruleFixes()
	} else if res.Reachable && !tlsMiss {
		// The request gets through only because the load balancer fails
		// open: fix the health checks.
		cands = f.healthFixes()
	} else {
		cands = f.candidates()
		cands = append(cands, f.healthFixes()...)
	}
	var out []Fix
	seen := map[string]bool{}
	for _, c := range cands {
		if seen[c.Title] {
			continue
		}
		seen[c.Title] = true
		if keepAlive {
			if v, ok := f.verifyKeepAlive(c); ok {
				c.Verification = v
				out = append(out, c)
			}
			continue
		}
		if len(f.startShort) > 0 {
			// Verified as a placement is: every task of the service
			// runs, and the probe still answers.
			if v, ok := f.verifyRunning(c, f.startShort[0].Component.ARN); ok {
				c.Verification = v
				out = append(out, c)
			}
			continue
		}
		if c.Kind == "placement" {
			if v, ok := f.verifyPlacement(c); ok {
				c.Verification = v
				out = append(out, c)
			}
			continue
		}
		if c.Kind == "health-check" || c.Verification.From == "health-check" {
			if v, ok := f.verifyHealth(c); ok {
				c.Verification = v
				out = append(out, c)
			}
			continue
		}
		if v, ok := f.verify(c); ok {
			c.Verification = v
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b Fix) int { return a.score - b.score })
	max := o.Max
	if max == 0 {
		max = 8
	}
	if len(out) > max {
		out = out[:max]
	}
	for i := range out {
		out[i].Rank = i + 1
	}
	return out, res, nil
}

// finder holds one Find's context.
type finder struct {
	e               *engine.Engine
	st              *model.State
	n               *reach.Network
	q               reach.Query
	res             *reach.Result
	from, to, proto string
	opts            Options
	// strict: a fix must get a 2xx or 3xx answer (a request the listener
	// answered with its default 4xx).
	strict bool
	// startShort: the probe reaches, but a service behind it runs short
	// because some of its tasks stop on the start path (notes with the
	// start failure, one per service).
	startShort []reach.Explanation
}

// probeFixed applies c to a clone of the system and probes from → to on
// the clone, with the finder's request when it is the finder's own probe.
// ok is false when c does not apply or the clone lacks what the query
// names.
func (f *finder) probeFixed(c Fix, from, to, protocol string) (st *model.State, r *reach.Result, ok bool) {
	clone := f.e.Clone()
	if err := c.Apply(clone); err != nil {
		return nil, nil, false
	}
	st, _ = clone.Snapshot()
	n := reach.Compile(st, f.opts.Reach...)
	q, err := reach.NewQuery(n, from, to, protocol)
	if err != nil {
		return nil, nil, false
	}
	if f.opts.Request != nil && (from == f.from && to == f.to || c.sameRequest) {
		f.opts.Request(&q)
	}
	if c.tls {
		q.PlainHTTP = false
	}
	if len(c.headers) > 0 {
		h := maps.Clone(q.HTTPHeaders)
		if h == nil {
			h = map[string]string{}
		}
		maps.Copy(h, c.headers)
		q.HTTPHeaders = h
	}
	return st, reach.Probe(n, q), true
}

// verify applies c to a clone and probes its verification query.
func (f *finder) verify(c Fix) (Verification, bool) {
	v := c.Verification
	if v.From == "" {
		v.From, v.To, v.Protocol = f.from, f.to, f.proto
	}
	_, r, ok := f.probeFixed(c, v.From, v.To, v.Protocol)
	if !ok {
		return Verification{}, false
	}
	v.Verdict, v.Summary = r.Verdict, r.Summary
	if f.strict {
		s := r.Verdict.HTTPStatus()
		return v, r.Verdict == reach.Connected || s >= 200 && s < 400
	}
	return v, r.Reachable
}

// candidates proposes changes for every blocking explanation, then the
// ECS remedies when the trap is the article's.
func (f *finder) candidates() []Fix {
	var out []Fix
	out = append(out, f.peeringDNS()...)
	out = append(out, f.weightZero()...) // weightedforward.go
	for _, x := range f.res.Blocking() {
		switch x.Code {
		case reach.CodeSGRulesMismatch:
			out = append(out, f.securityGroup(x)...)
			out = append(out, f.serviceGroups(x)...)
			out = append(out, f.unattachedGroup(x)...)
			out = append(out, f.sourceGroups(x)...)
			out = append(out, f.nlbGroupRef(x)...)
			out = append(out, f.clientIPOff()...)
			out = append(out, f.viaPublicDNSName(x)...)
			out = append(out, f.privateLinkInboundOff(x)...)
			out = append(out, f.natBypassRoute(x)...)      // nattgw.go
			out = append(out, f.natAllowlistSubnets(x)...) // natallowlist.go
		case reach.CodeBadState:
			out = append(out, f.acceptEndpoint(x)...)
		case reach.CodeAPIGatewayPublicThroughEndpoint:
			out = append(out, f.apiGatewayPrivateDNSOff(x)...)
		case reach.CodeTaskStoppedBeforeReady:
			out = append(out, f.graceForStart(x)...)
		case reach.CodeALBIdPUnreachable:
			out = append(out, f.idpEgress(x)...)
		case reach.CodeProxyProtocolMismatch:
			out = append(out, f.proxyProtocolFixes(x)...)
		case reach.CodeNLBTLSTargetHandshake:
			out = append(out, f.nlbTLSTargetFixes(x)...)
		case reach.CodeNLBTLSListenerPlainToTLSTarget:
			out = append(out, f.nlbTLSOffloadFixes(x)...) // nlbtlsoffload.go
		case reach.CodeClassicProxyProtocolMismatch:
			out = append(out, f.classicProxyProtocolFixes(x)...)
		case reach.CodeIPv6OnlyNoNAT64:
			out = append(out, f.nat64Fix()...)
		case reach.CodeRegionalNATZoneNotServed:
			out = append(out, f.regionalNatZone(x)...)
		case reach.CodeSubnetACLRestriction:
			out = append(out, f.networkACL(x)...)
		case reach.CodeDNSServerUnreachable:
			// The query to the VPC's own DNS server was dropped: the
			// finding that dropped it, fixed as for any packet.
			switch y := x; {
			case x.Component == nil:
			case x.Component.Type == "security-group":
				y.Code = reach.CodeSGRulesMismatch
				out = append(out, f.securityGroup(y)...)
			case x.Component.Type == "network-acl":
				y.Code = reach.CodeSubnetACLRestriction
				out = append(out, f.networkACL(y)...)
			}
		case reach.CodeNLBHairpin:
			// The NLB sends the target's own packet back to it with its
			// own address: without preservation the node's address
			// arrives instead, and the target answers.
			out = append(out, f.clientIPOff()...)
		case reach.CodeNoRouteToDestination, reach.CodeBadStateRoute:
			out = append(out, f.route(x)...)
			out = append(out, f.natForRoute(x)...)
			out = append(out, f.tgwRoute(x)...)
			out = append(out, f.peeringRoute(x)...)
			out = append(out, f.peerWithDestination(x)...)
			if x.Code == reach.CodeBadStateRoute {
				out = append(out, f.acceptPeering(x)...)
			}
			if x.Path == "return" {
				out = append(out, f.publicLBSubnets()...)
			}
		case reach.CodeDocker0Overlap:
			out = append(out, f.moveDocker0(x)...)
		case reach.CodePlacementMissingAttribute:
			out = append(out, f.newerAgent(x)...)
		case reach.CodeIMDSHopLimit:
			out = append(out, f.imdsHopLimit(x)...)
		case reach.CodePCXAddressNotInVpcCIDR:
			out = append(out, f.peerDirectly(x)...)
		case reach.CodeAppBoundToLoopback:
			out = append(out, f.listenEverywhere(x)...)
		case reach.CodeAppPortMismatch:
			out = append(out, f.appOnContainerPort(x)...)
		case reach.CodeImagePullFailed, reach.CodeSecretsUnreachable, reach.CodeEnvFilesUnreachable, reach.CodeFireLensConfigUnreachable, reach.CodeLogsUnreachable, reach.CodeLogDriverUnreachable, reach.CodeAgentCannotRegister, reach.CodeAgentDisconnected:
			out = append(out, f.startPath(x)...)
			out = append(out, f.startDefaultGroup(x)...)
		case reach.CodeAgentNoCredentials:
			out = append(out, f.agentCredentials(x)...)
		case reach.CodeLogGroupNotFound:
			out = append(out, f.createLogGroup(x)...)
		case reach.CodeLogGroupCreateDenied:
			out = append(out, f.logGroupCreatePolicy(x)...)
		case reach.CodeEFSMountUnreachable, reach.CodeEFSNoMountTarget:
			out = append(out, f.efs(x)...)
		case reach.CodeCloudMapZoneNotAssociated:
			out = append(out, f.cloudMapZone(x)...)
		case reach.CodePrivateZoneNotAssociated, reach.CodePrivateZoneSplitHorizon, reach.CodeDNSAliasDangling:
			out = append(out, f.route53()...)
		case reach.CodePrivateZoneDNSOff:
			out = append(out, f.privateZoneDNS()...)
		case reach.CodeVPCDNSOff:
			if id, ok := f.q.UnresolvedVPCDNSOff(); ok {
				out = append(out, f.dnsSupport(id))
			}
		case reach.CodePrivateZoneCustomDNS:
			if id, ok := f.q.UnresolvedCustomDNS(); ok {
				if fx, ok := f.amazonDNS(id); ok {
					out = append(out, fx)
				}
			}
		case reach.CodeTargetTLSMismatch:
			out = append(out, f.targetProtocol(x)...)
		case reach.CodeLBProtocolVersionMismatch:
			out = append(out, f.protocolVersion(x)...)
		case reach.CodePlainHTTPToHTTPSListener:
			out = append(out, f.httpsURL(x)...)
		case reach.CodeTargetResponseSlow:
			out = append(out, f.slowResponseFixes(x)...)
		case reach.CodeSMTPPort25Restricted:
			out = append(out, f.smtpSubmissionPort(x)...)
		case reach.CodeCloudMapSRVOnly:
			out = append(out, f.srvLookup()...)
		case reach.CodeCloudMapHTTPNamespace:
			out = append(out, f.discoverInstances()...)
		case reach.CodeServiceConnectNoProxy:
			out = append(out, f.serviceConnectClient(x)...)
		case reach.CodeImageRefInvalid:
			out = append(out, f.imageRef(x)...)
		case reach.CodeImageRepositoryNotFound:
			out = append(out, f.repository(x)...)
		case reach.CodeImageTagNotFound:
			out = append(out, f.imageTag(x)...)
		case reach.CodeIGWPublicIPEgress, reach.CodeTaskNoPublicIP:
			out = append(out, f.assignPublicIP(x)...)
			if x.Code == reach.CodeIGWPublicIPEgress {
				out = append(out, f.privateSubnetsEgress(x)...)
				out = append(out, f.attachmentEgressNAT(x)...)  // egressigw.go
				out = append(out, f.igwMoreSpecificRoute(x)...) // igwshadow.go
			}
		case reach.CodeNetworkModeNone:
			out = append(out, f.bridgeInsteadOfNone(x)...) // networkmodenone.go
		case reach.CodeEgressOnlyInbound:
			out = append(out, f.route(x)...)
		case reach.CodeTaskRoleUntrusted:
			out = append(out, f.taskRoleTrust(x)...)
		case reach.CodeNoIPv6Address:
			out = append(out, f.endpointIPv6(x)...)
			out = append(out, f.assignIPv6(x)...)
			out = append(out, f.dualStackSetting(x)...)
		case reach.CodeReturnRouteMismatch:
			out = append(out, f.publicLBSubnets()...)
			out = append(out, f.publicNLBTwin()...)
			out = append(out, f.publicIPBehindNAT(x)...)
			out = append(out, f.tgwRoute(x)...)
			out = append(out, f.peeringRoute(x)...)
		case reach.CodeNoTargetsInAZ:
			out = append(out, f.targetZones()...)
			out = append(out, f.crossZone(x)...)
			out = append(out, f.classicZones(x)...)
		case reach.CodeInternalLB:
			out = append(out, f.internetFacingTwin()...)
		case reach.CodeLBNoPublicIPv4:
			out = append(out, f.publicIPv4LB(x)...)
		case reach.CodeListenerPortRestriction:
			out = append(out, f.listenerPort(x)...)
		case reach.CodeTGWAttachAZRestriction, reach.CodeTGWAttachNoRTB, reach.CodeTGWRTBCannotRoute, reach.CodeTGWRTBBadStateRoute:
			out = append(out, f.tgwFixes(x)...)
		case reach.CodePortConflict, reach.CodeENICapacity, reach.CodePlacementZone, reach.CodeSubnetNoFreeAddresses:
			// No task placed at all: the placement fixes, verified by
			// placing every task and probing again.
			if x.Component != nil {
				if s := f.st.Services[x.Component.ARN]; s != nil {
					out = append(out, f.placementFixes([]*model.Service{s}, map[string]string{s.ARN: x.Code})...)
				}
			}
		case reach.CodeNoRegisteredTargets:
			out = append(out, f.forwardToServiceGroup(x)...)
		case reach.CodeDesiredCountZero:
			out = append(out, f.desiredCount(x)...)
		case reach.CodeClassicNoInService:
			out = append(out, f.classicStaticPort(x)...)
			out = append(out, f.classicHealthPath(x)...)
			out = append(out, f.classicHealthPlain(x)...)
		case reach.CodeNoHostPortBinding:
			out = append(out, f.hostPortInstead(x)...)
		case reach.CodeBridgeContainerAddress:
			out = append(out, f.bridgeAddressInstead(x)...)
		case reach.CodeNoListener:
			out = append(out, f.listenerPortInstead(x)...)
		case reach.CodeLBNoICMP:
			out = append(out, f.pingListener(x)...)
		case reach.CodeNATNoInbound:
			out = append(out, f.behindNAT(x)...)
		case reach.CodeVPCBlockPublicAccess:
			out = append(out, f.blockPublicAccess(x)...)
		case reach.CodeENISourceDestCheck:
			out = append(out, f.sourceDestCheck(x)...)
		case reach.CodeApplianceAsymmetric:
			out = append(out, f.applianceMode(x)...) // inspection.go
		case reach.CodeGWLBNoHealthyTargets:
			out = append(out, f.gwlbHealthCheck(x)...) // gwlbhealth.go
		case reach.CodeGWLBGeneveBlocked:
			out = append(out, f.gwlbGeneve(x)...) // gwlbhealth.go
		case reach.CodeLoopbackNotListening:
			out = append(out, f.loopbackHost(x)...) // loopback.go
		case reach.CodeAddressNotAssigned:
			out = append(out, f.staleNodeRecord(x)...) // route53stale.go
		case reach.CodeNetworkFirewallDrop:
			out = append(out, f.networkFirewallPass(x)...) // networkfirewall.go
		case reach.CodeIngressAsymmetric:
			out = append(out, f.ingressSymmetry(x)...) // ingressasym.go
		}
	}
	out = append(out, f.networkACLBoth()...)
	if tk := f.trapTask(); tk != nil {
		out = append(out, f.ecsRemedies(tk)...)
	}
	out = append(out, f.serviceEndpoint()...)
	out = append(out, f.regionalServiceName()...)
	return out
}

// hopPacket returns the packet at the hop an explanation is about.
func (f *finder) hopPacket(x reach.Explanation) (reach.Packet, bool) {
	if x.Packet != nil {
		return *x.Packet, true
	}
	path := f.res.Forward
	if x.Path == "return" {
		path = f.res.Return
	}
	for _, h := range path {
		if h.Seq == x.Hop {
			return h.Packet, true
		}
	}
	if len(path) > 0 {
		return path[len(path)-1].Packet, true
	}
	return reach.Packet{}, false
}

// eniAt returns the ENI holding a private address in a VPC.
func (f *finder) eniAt(vpc model.VpcID, a string) *model.NetworkInterface {
	for _, n := range f.st.NetworkInterfaces {
		if n.VpcID == vpc && n.PrimaryIP().String() == a {
			return n
		}
	}
	return nil
}

// eniWithIPv6 returns the ENI holding an IPv6 address in a VPC.
func (f *finder) eniWithIPv6(vpc model.VpcID, a netip.Addr) *model.NetworkInterface {
	for _, n := range f.st.NetworkInterfaces {
		if n.VpcID == vpc && n.HasAddr(a) {
			return n
		}
	}
	return nil
}

func (f *finder) groupName(id model.SecurityGroupID) string {
	if g := f.st.SecurityGroups[id]; g != nil {
		return g.Name
	}
	return string(id)
}

// preferredGroup picks the group to change among an ENI's: the first that
// is not the VPC's default.
func (f *finder) preferredGroup(ids []model.SecurityGroupID) model.SecurityGroupID {
	for _, id := range ids {
		if g := f.st.SecurityGroups[id]; g != nil && g.Name != "default" {
			return id
		}
	}
	if len(ids) > 0 {
		return ids[0]
	}
	return ""
}

func protoName(p string) string {
	if p == "" {
		return "tcp"
	}
	return strings.ToLower(p)
}

func intp(v int) *int { return &v }

// securityGroup proposes rules for a security group that dropped a packet:
// from (or to) the peer's own group first, then the peer's address, the
// VPC's range, and last the whole internet.
func (f *finder) securityGroup(x reach.Explanation) []Fix {
	pkt, ok := f.hopPacket(x)
	if !ok || x.NetworkInterface == nil {
		return nil
	}
	eni := f.st.NetworkInterfaces[model.NetworkInterfaceID(x.NetworkInterface.ID)]
	if eni == nil {
		return nil
	}
	egress := x.Direction == "egress"
	sg := f.preferredGroup(eni.SecurityGroups)
	if sg == "" {
		return nil
	}
	proto := protoName(pkt.Protocol)
	if pkt.ICMP != 0 {
		return f.securityGroupICMP(pkt, eni, sg, egress)
	}
	port := int(pkt.DestinationPort)
	// A dynamic host port (bridge, hostPort 0) changes with every task:
	// open the range ECS draws them from, not the one port of today's task.
	first, last := port, port
	ports, portsYAML, portsCLI := strconv.Itoa(port), strconv.Itoa(port), "--port "+strconv.Itoa(port)
	if f.dynamicHostPortOf(eni, egress, pkt.Destination, uint16(port)) {
		r := model.DynamicHostPortRule()
		first, last = int(r.First), int(r.Last)
		ports = r.String()
		portsYAML, portsCLI = ports, "--port "+ports
	}
	peer := pkt.Source
	if egress {
		peer = pkt.Destination
	}
	dir, verb := "ingress", "from"
	if egress {
		dir, verb = "egress", "to"
	}
	var out []Fix
	for _, c := range f.sgSources(eni, peer) {
		title := fmt.Sprintf("Allow %s/%s %s %s on security group %s (%s of %s)", proto, ports, verb, c.desc, f.groupName(sg), dir, eniOwner(f.st, eni))
		if first != last {
			title += fmt.Sprintf(": the dynamic host port range, as port %d is the current task's dynamic host port", port)
		}
		perm := c.perm()
		perm.Protocol, perm.FromPort, perm.ToPort = proto, intp(first), intp(last)
		var command, srcYAML string
		switch {
		case c.prefixList != "":
			srcYAML = "prefix_list: " + string(c.prefixList)
			command = fmt.Sprintf("aws ec2 authorize-security-group-%s --group-id %s --ip-permissions 'IpProtocol=%s,FromPort=%d,ToPort=%d,PrefixListIds=[{PrefixListId=%s}]'",
				dir, sg, proto, first, last, c.prefixList)
		case c.group != "":
			srcYAML = "group: " + f.groupName(c.group)
			command = fmt.Sprintf("aws ec2 authorize-security-group-%s --group-id %s --protocol %s %s --source-group %s", dir, sg, proto, portsCLI, c.group)
		case c.cidr.Addr().Is6():
			srcYAML = "cidr: \"" + c.cidr.String() + "\""
			// The CLI's --cidr takes IPv4 only.
			command = fmt.Sprintf("aws ec2 authorize-security-group-%s --group-id %s --ip-permissions 'IpProtocol=%s,FromPort=%d,ToPort=%d,Ipv6Ranges=[{CidrIpv6=%s}]'",
				dir, sg, proto, first, last, c.cidr)
		case len(c.more) > 0:
			ranges := []string{"{CidrIp=" + c.cidr.String() + "}"}
			srcYAML = "cidr: " + c.cidr.String() + "}"
			for _, m := range c.more {
				ranges = append(ranges, "{CidrIp="+m.String()+"}")
				srcYAML += fmt.Sprintf("\n      - {protocol: %s, ports: %s, cidr: %s", proto, portsYAML, m)
			}
			srcYAML = strings.TrimSuffix(srcYAML, "}")
			command = fmt.Sprintf("aws ec2 authorize-security-group-%s --group-id %s --ip-permissions 'IpProtocol=%s,FromPort=%d,ToPort=%d,IpRanges=[%s]'",
				dir, sg, proto, first, last, strings.Join(ranges, ","))
		default:
			srcYAML = "cidr: " + c.cidr.String()
			command = fmt.Sprintf("aws ec2 authorize-security-group-%s --group-id %s --protocol %s %s --cidr %s", dir, sg, proto, portsCLI, c.cidr)
		}
		out = append(out, Fix{
			score: c.score, Kind: "security-group", Title: title,
			Commands: []string{command},
			Scenario: fmt.Sprintf("security_groups:\n  %s:\n    %s:\n      - {protocol: %s, ports: %s, %s}\n", f.groupName(sg), dir, proto, portsYAML, srcYAML),
			apply: func(e *engine.Engine) error {
				_, err := e.AuthorizeSecurityGroup(sg, egress, []engine.IPPermission{perm})
				return err
			},
		})
	}
	return out
}

// sgSource is one source (for ingress) or destination (for egress) a
// proposed security group rule may name: the peer's group, or an address
// block. score ranks it, the narrowest first.
type sgSource struct {
	score      int
	group      model.SecurityGroupID
	prefixList model.PrefixListID
	cidr       netip.Prefix
	// more are further address blocks the same rule admits (the Elastic
	// IPs of a VPC's other NAT gateways).
	more []netip.Prefix
	// desc names it in a fix's title.
	desc string
}

// perm is the rule's source, without protocol and ports.
func (s sgSource) perm() engine.IPPermission {
	switch {
	case s.prefixList != "":
		return engine.IPPermission{PrefixLists: []engine.RuleSource{{Value: string(s.prefixList)}}}
	case s.group != "":
		return engine.IPPermission{Groups: []engine.RuleSource{{Value: string(s.group)}}}
	case s.cidr.Addr().Is6():
		return engine.IPPermission{IPv6CIDRs: []engine.RuleSource{{Value: s.cidr.String()}}}
	}
	p := engine.IPPermission{CIDRs: []engine.RuleSource{{Value: s.cidr.String()}}}
	for _, c := range s.more {
		p.CIDRs = append(p.CIDRs, engine.RuleSource{Value: c.String()})
	}
	return p
}

// sgSources returns what a rule on eni's security group may admit peer
// by: for a peer inside the VPC, its own security group, its address and
// the VPC's block; for one outside it, its address (when the probe named
// an internet address) and anywhere.
func (f *finder) sgSources(eni *model.NetworkInterface, peer netip.Addr) []sgSource {
	var out []sgSource
	cidr := func(score int, c netip.Prefix, desc string) {
		out = append(out, sgSource{score: score, cidr: c, desc: desc})
	}
	host := netip.PrefixFrom(peer, peer.BitLen())
	vpc := f.st.VPCs[eni.VpcID]
	var block netip.Prefix
	var src *model.NetworkInterface
	switch {
	case !peer.IsValid() || vpc == nil:
	case peer.Is6() && len(vpc.IPv6) > 0 && vpc.IPv6[0].CIDR.Contains(peer):
		block, src = vpc.IPv6[0].CIDR, f.eniWithIPv6(eni.VpcID, peer)
	case peer.Is4() && vpc.Contains(peer):
		// The VPC's block that holds the peer: a secondary block's
		// addresses are not in the primary one.
		block, src = vpc.CIDR, f.eniAt(eni.VpcID, peer.String())
		for _, b := range vpc.CIDRs() {
			if b.Contains(peer) {
				block = b
				break
			}
		}
	}
	if block.IsValid() {
		if src != nil {
			if g := f.preferredGroup(src.SecurityGroups); g != "" {
				out = append(out, sgSource{score: 10, group: g, desc: "security group " + f.groupName(g)})
			}
		}
		// A load balancer node's address is one of several and may
		// change, and a task's goes with the task (its replacement has
		// another): never pin either.
		if src == nil || src.OwnerKind != model.OwnedByLoadBalancer && src.OwnerKind != model.OwnedByECSTask {
			cidr(20, host, host.String())
		}
		if src != nil && src.OwnerKind == model.OwnedByLoadBalancer && peer.Is4() && f.admitsOtherNodeSubnet(eni, src) {
			// A node's address changes within its subnet: the subnet's
			// range admits it and its replacements, when the group's
			// rules are written per load balancer subnet and this
			// node's is the one missing.
			if sn := f.st.Subnets[src.SubnetID]; sn != nil && sn.CIDR.Contains(peer) {
				cidr(25, sn.CIDR, "the load balancer's subnet "+sn.Tags.NameOr(string(sn.ID))+" "+sn.CIDR.String())
			}
		}
		cidr(30, block, "the VPC "+block.String())
		return out
	}
	if pv, pcx := f.peerVPC(eni.VpcID, peer); pv != nil {
		// A private address of another VPC of the account, reached
		// through a peering connection or a transit gateway: the
		// peer's own group (across an active peering connection of one
		// Region only, Security group rules: "reference security
		// groups in a peered VPC"), its address, its VPC's block; never
		// anywhere first.
		if src := f.eniAt(pv.ID, peer.String()); src != nil && pcx {
			if g := f.preferredGroup(src.SecurityGroups); g != "" {
				out = append(out, sgSource{score: 10, group: g, desc: "security group " + f.groupName(g) + " of the peered VPC " + pv.Tags.NameOr(string(pv.ID))})
			}
		}
		if src := f.eniAt(pv.ID, peer.String()); src == nil || src.OwnerKind != model.OwnedByLoadBalancer && src.OwnerKind != model.OwnedByECSTask {
			cidr(20, host, host.String())
		}
		pb := pv.CIDR
		for _, b := range pv.CIDRs() {
			if b.Contains(peer) {
				pb = b // a secondary block's addresses are not in the primary one
				break
			}
		}
		cidr(30, pb, "the VPC "+pv.Tags.NameOr(string(pv.ID))+" "+pb.String())
	}
	if pl := f.gatewayPrefixList(eni.SubnetID, peer); pl != nil {
		// A service behind a gateway endpoint on the ENI's route table
		// (S3, DynamoDB): its prefix list names every address it may
		// answer from, the VPC's CIDR none of them (Amazon VPC
		// PrivateLink guide, "Gateway endpoints": "The security groups
		// ... must allow traffic to and from the service ... You can
		// reference the ID of the prefix list").
		out = append(out, sgSource{score: 12, prefixList: pl.ID, desc: "the prefix list " + pl.Name + " (" + string(pl.ID) + ", the gateway endpoint's addresses)"})
	}
	if peer.IsValid() && f.q.From.Kind == reach.KindInternet && f.from != "internet" {
		cidr(20, host, host.String())
	}
	if peer.IsValid() {
		// A client of the account's own VPCs that reaches a public
		// address through a NAT gateway arrives from its Elastic IP:
		// that address, not the VPC's block (nor anywhere), is the one
		// to admit.
		ids := slices.Sorted(maps.Keys(f.st.NatGateways))
		if src := regionalNATSource(f.st, ids, peer, host); src != nil {
			cidr(15, host, src[0].desc)
			if len(src) > 1 {
				out = append(out, src[1])
			}
		}
		for _, id := range ids {
			if ng := f.st.NatGateways[id]; ng.PublicIP == peer && ng.State != "deleted" {
				cidr(15, host, "the NAT gateway "+ng.Tags.NameOr(string(ng.ID))+"'s Elastic IP "+host.String())
				// A VPC with a NAT gateway per zone sends each zone's
				// calls out by its own: the clients in the other zones
				// arrive from the other Elastic IPs (aws-samples/
				// ecs-refarch-cloudformation#45: "you must also add the
				// NAT Gateway EIP addresses (there are 2 NAT Gateways)").
				all := sgSource{score: 14, cidr: host}
				descs := []string{ng.Tags.NameOr(string(ng.ID)) + " " + host.String()}
				for _, oid := range ids {
					o := f.st.NatGateways[oid]
					if o.ID == ng.ID || o.VpcID != ng.VpcID || o.State == "deleted" || !o.PublicIP.IsValid() {
						continue
					}
					p := netip.PrefixFrom(o.PublicIP, o.PublicIP.BitLen())
					all.more = append(all.more, p)
					descs = append(descs, o.Tags.NameOr(string(o.ID))+" "+p.String())
				}
				if len(all.more) > 0 {
					out = append(out, sgSource{score: all.score, cidr: all.cidr, more: all.more,
						desc: "the Elastic IPs of every NAT gateway of the VPC (" + strings.Join(descs, ", ") + ")"})
				}
				break
			}
		}
		// A NAT gateway that forwards to another VPC or network (its
		// subnet routes the destination to a transit gateway) replaces
		// the source with its private address (VPC User Guide, "NAT
		// gateway use cases"): that address is the one the destination
		// sees, the clients' own range never.
		for _, id := range ids {
			if ng := f.st.NatGateways[id]; ng.PrivateIP == peer && ng.State != "deleted" && !ng.Regional() {
				cidr(15, host, "the NAT gateway "+ng.Tags.NameOr(string(ng.ID))+"'s private address "+host.String())
				break
			}
		}
	}
	all := netip.MustParsePrefix("0.0.0.0/0")
	if peer.Is6() {
		all = netip.MustParsePrefix("::/0")
	}
	cidr(40, all, "anywhere ("+all.String()+")")
	return uniqueSources(out)
}

// peerVPC returns the other VPC of the state whose blocks hold the
// private address peer, and whether an active peering connection of one
// Region joins it to vpc (a rule may then name its groups). Of VPCs whose
// ranges overlap, the one the packet can have come from: joined to vpc by
// an active peering connection or a transit gateway both are attached to,
// then one with an interface at peer, then the first by id.
func (f *finder) peerVPC(vpc model.VpcID, peer netip.Addr) (*model.VPC, bool) {
	if !peer.IsValid() || !peer.Is4() || !peer.IsPrivate() {
		return nil, false
	}
	var best *model.VPC
	bestRank, bestPeered := -1, false
	for _, id := range slices.Sorted(maps.Keys(f.st.VPCs)) {
		v := f.st.VPCs[id]
		if id == vpc || !v.Contains(peer) {
			continue
		}
		peered := f.vpcsPeered(vpc, id)
		rank := 0
		if peered || f.vpcsShareTransitGateway(vpc, id) {
			rank += 2
		}
		if f.eniAt(id, peer.String()) != nil {
			rank++
		}
		if rank > bestRank {
			best, bestRank, bestPeered = v, rank, peered
		}
	}
	return best, bestPeered
}

// vpcsPeered reports whether an active peering connection of one Region
// joins VPCs a and b.
func (f *finder) vpcsPeered(a, b model.VpcID) bool {
	for _, c := range f.st.VpcPeerings {
		if c.Status == "active" && c.AccepterRegion == "" &&
			(c.RequesterVpc == a && c.AccepterVpc == b || c.AccepterVpc == a && c.RequesterVpc == b) {
			return true
		}
	}
	return false
}

// vpcsShareTransitGateway reports whether VPCs a and b are attached to one
// transit gateway (attachments not deleted or rejected).
func (f *finder) vpcsShareTransitGateway(a, b model.VpcID) bool {
	gws := map[model.TransitGatewayID]int{}
	for _, x := range f.st.TransitGatewayAttachments {
		if x.ResourceType == model.TGWAttachVPC && x.State != "deleted" && x.State != "rejected" && x.State != "failed" {
			switch x.VpcID {
			case a:
				gws[x.TransitGatewayID] |= 1
			case b:
				gws[x.TransitGatewayID] |= 2
			}
		}
	}
	for _, m := range gws {
		if m == 3 {
			return true
		}
	}
	return false
}

// dynamicHostPort reports whether port is, on the instance that owns eni,
// the host port of a bridge-mode container whose mapping asks for a
// dynamic one (hostPort 0).
// dynamicHostPortOf reports whether port, dropped by a group of eni, is a
// bridge task's dynamic host port: eni's own (ingress), or that of the
// instance at dst the group lets nothing out to (egress: a load balancer's
// group that names the container port, not the instances' ephemeral range).
func (f *finder) dynamicHostPortOf(eni *model.NetworkInterface, egress bool, dst netip.Addr, port uint16) bool {
	if !egress {
		return f.dynamicHostPort(eni, port)
	}
	if !dst.IsValid() {
		return false
	}
	d := f.eniAt(eni.VpcID, dst.String())
	return d != nil && f.dynamicHostPort(d, port)
}

func (f *finder) dynamicHostPort(eni *model.NetworkInterface, port uint16) bool {
	if eni.OwnerKind != model.OwnedByInstance {
		return false
	}
	for _, tk := range f.st.Tasks {
		ci := f.st.ContainerInstances[tk.ContainerInstanceARN]
		if ci == nil || string(ci.EC2InstanceID) != eni.ManagedBy || tk.NetworkMode != model.NetworkModeBridge {
			continue
		}
		td := f.st.TaskDefinitions[tk.TaskDefinitionARN]
		if td == nil {
			continue
		}
		for _, c := range tk.Containers {
			for _, b := range c.NetworkBindings {
				if b.HostPort != port {
					continue
				}
				for _, d := range td.Containers {
					for _, m := range d.PortMappings {
						if d.Name == c.Name && m.ContainerPort == b.ContainerPort && m.HostPort == 0 {
							return true
						}
					}
				}
			}
		}
	}
	return false
}

func eniOwner(st *model.State, n *model.NetworkInterface) string {
	switch n.OwnerKind {
	case model.OwnedByECSTask:
		if tk := st.Tasks[n.ManagedBy]; tk != nil {
			return "task " + st.TaskName(tk)
		}
	case model.OwnedByInstance:
		if i := st.Instances[model.InstanceID(n.ManagedBy)]; i != nil {
			return "instance " + st.InstanceName(i)
		}
	case model.OwnedByLoadBalancer:
		if lb := st.LoadBalancers[n.ManagedBy]; lb != nil {
			return "load balancer " + lb.Name
		}
	}
	return string(n.ID)
}

// vpcPhrase names a VPC in a fix's title: "the VPC NAME" (its Name tag,
// else its id), and "the default VPC (vpc-…)" for the region's default
// VPC, which its owner knows as the default VPC rather than by an id
// (the console and the CLI mark it: IsDefault).
func vpcPhrase(st *model.State, id model.VpcID) string {
	v := st.VPCs[id]
	switch {
	case v == nil:
		return "the VPC " + string(id)
	case v.IsDefault && v.Tags.Name() != "":
		return "the default VPC " + v.Tags.Name() + " (" + string(id) + ")"
	case v.IsDefault:
		return "the default VPC (" + string(id) + ")"
	}
	return "the VPC " + v.Tags.NameOr(string(id))
}

// admitsOtherNodeSubnet reports whether a group of eni has an inbound rule
// whose address range holds the subnet of another node of node's load
// balancer and not node's own: rules written per load balancer subnet.
func (f *finder) admitsOtherNodeSubnet(eni, node *model.NetworkInterface) bool {
	own := f.st.Subnets[node.SubnetID]
	if own == nil {
		return false
	}
	for _, lb := range f.st.LoadBalancers {
		if !slices.ContainsFunc(lb.Nodes, func(n model.LoadBalancerNode) bool { return n.ENI == node.ID }) {
			continue
		}
		for _, n := range lb.Nodes {
			other := f.st.NetworkInterfaces[n.ENI]
			if other == nil || other.ID == node.ID {
				continue
			}
			sn := f.st.Subnets[other.SubnetID]
			if sn == nil || sn.ID == own.ID {
				continue
			}
			for _, g := range eni.SecurityGroups {
				sg := f.st.SecurityGroups[g]
				if sg == nil {
					continue
				}
				for _, r := range sg.Ingress {
					if r.CIDR.IsValid() && r.CIDR.Bits() <= sn.CIDR.Bits() && r.CIDR.Contains(sn.CIDR.Addr()) && !r.CIDR.Contains(own.CIDR.Addr()) {
						return true
					}
				}
			}
		}
	}
	return false
}
