// Package analysis answers the API's reachability questions with the
// analyzer (internal/reach): Network Insights analyses, in Reachability
// Analyzer's shapes, and target health for DescribeTargetHealth.
//
// Network Insights follows AWS's semantics at the network level and adds
// ecsnet's ECS-level findings where AWS leaves room:
//
//   - NetworkPathFound is Reachability Analyzer's answer: true when the
//     packet reaches the destination's network interface and the reply
//     gets back, whatever listens there (RA "does not send packets" and
//     stops at the ENI). A path to an instance on a port its security
//     group does not open is not found (ENI_SG_RULES_MISMATCH naming the
//     group); a path from the internet gateway to an ENI without a public
//     IP is not found (IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS).
//   - Explanations carry the blocking findings with AWS's codes, and every
//     ECS_* finding of the analyzer (nothing listens on that port of the
//     instance because the awsvpc task listens on its own ENI, the app is
//     bound to 127.0.0.1, …), even on a path that is found: those are
//     ecsnet's additions, under codes AWS does not use.
//   - IPv6: RA analyzes IPv4 only, and its API takes IPv4 addresses only
//     (SourceIp, DestinationIp and the filters' addresses are refused at
//     CreateNetworkInsightsPath). A path between resources that is not
//     found over IPv4 is analyzed again over IPv6 (the ENIs' IPv6
//     addresses, ::/0 routes through internet or egress-only gateways,
//     IPv6 rules and network ACL entries); when it exists there,
//     NetworkPathFound stays RA's false and an ECS_IPV6_PATH_FOUND
//     explanation gives the destination's IPv6 address: the awsvpc task
//     without a public IPv4 address that the internet reaches over IPv6.
package analysis

import (
	"net/netip"
	"strings"
	"sync"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// Analyzer implements api.Analyzer with internal/reach. It caches the
// compiled network of each region's latest state version.
type Analyzer struct {
	mu    sync.Mutex
	cache map[string]compiled // by region
}

type compiled struct {
	version uint64
	st      *model.State
	net     *reach.Network
}

var _ api.Analyzer = (*Analyzer)(nil)

// New returns an analyzer.
func New() *Analyzer { return &Analyzer{cache: map[string]compiled{}} }

// network compiles st, reusing the last compilation of the same state.
func (a *Analyzer) network(st *model.State, version uint64) *reach.Network {
	a.mu.Lock()
	c, ok := a.cache[st.Region]
	a.mu.Unlock()
	if ok && (c.st == st || (version != 0 && c.version == version)) {
		return c.net
	}
	n := reach.Compile(st)
	a.mu.Lock()
	a.cache[st.Region] = compiled{version: version, st: st, net: n}
	a.mu.Unlock()
	return n
}

// TargetHealth implements api.Analyzer.
func (a *Analyzer) TargetHealth(st *model.State, version uint64, tgARN string) map[api.TargetKey]api.TargetHealth {
	out := map[api.TargetKey]api.TargetHealth{}
	for _, h := range reach.TargetHealth(a.network(st, version), tgARN) {
		out[api.TargetKey{ID: h.Target.ID, Port: h.Target.Port}] = api.TargetHealth{State: h.State, Reason: h.Reason, Description: h.Description}
	}
	return out
}

// ClassicInstanceHealth implements api.Analyzer.
func (a *Analyzer) ClassicInstanceHealth(st *model.State, version uint64, name string) map[model.InstanceID]api.TargetHealth {
	out := map[model.InstanceID]api.TargetHealth{}
	for _, h := range reach.ClassicInstanceHealth(a.network(st, version), name) {
		out[model.InstanceID(h.Target.ID)] = api.TargetHealth{State: h.State, Reason: h.Reason, Description: h.Description}
	}
	return out
}

func failed(msg string) api.Analysis { return api.Analysis{Status: "failed", StatusMessage: msg} }

// Analyze implements api.Analyzer.
func (a *Analyzer) Analyze(st *model.State, path *model.NetworkInsightsPath, an *model.NetworkInsightsAnalysis) api.Analysis {
	n := a.network(st, 0)
	q := reach.Query{Protocol: path.Protocol, Port: path.DestinationPort}
	if q.Port == 0 && path.FilterAtSource != nil && path.FilterAtSource.DestinationPorts != nil {
		q.Port = path.FilterAtSource.DestinationPorts.First
	}
	if q.Port == 0 && path.FilterAtDestination != nil && path.FilterAtDestination.DestinationPorts != nil {
		q.Port = path.FilterAtDestination.DestinationPorts.First
	}
	if path.FilterAtSource != nil && path.FilterAtSource.SourcePorts != nil {
		q.ClientPort = path.FilterAtSource.SourcePorts.First
	}
	var err error
	var igw *model.InternetGateway
	srcIP := path.SourceIP
	if !srcIP.IsValid() && path.FilterAtSource != nil {
		srcIP = path.FilterAtSource.SourceAddress
	}
	switch kind(path.Source) {
	case "igw":
		igw = st.InternetGateways[model.InternetGatewayID(id(path.Source))]
		spec := "internet"
		if srcIP.IsValid() {
			spec = "internet:" + srcIP.String()
		}
		q.From, err = reach.Resolve(n, spec)
	case "i", "eni":
		q.From, err = reach.Resolve(n, id(path.Source))
	default:
		return failed("ecsnet analyzes paths from internet gateways, instances and network interfaces; " + path.Source + " is not supported.")
	}
	if err != nil {
		return failed("The source " + path.Source + " could not be analyzed: " + err.Error())
	}
	dstIP := path.DestinationIP
	if !dstIP.IsValid() && path.FilterAtDestination != nil {
		dstIP = path.FilterAtDestination.DestinationAddress
	}
	switch {
	case path.Destination == "" && dstIP.IsValid():
		q.To, err = reach.Resolve(n, dstIP.String())
	case kind(path.Destination) == "igw":
		spec := "internet"
		if dstIP.IsValid() {
			spec = "internet:" + dstIP.String()
		}
		q.To, err = reach.Resolve(n, spec)
	case kind(path.Destination) == "i" || kind(path.Destination) == "eni":
		q.To, err = reach.Resolve(n, id(path.Destination))
		if err == nil && dstIP.IsValid() {
			q.To, err = reach.Resolve(n, dstIP.String())
		}
	default:
		return failed("ecsnet analyzes paths to internet gateways, instances, network interfaces and IP addresses; " + path.Destination + " is not supported.")
	}
	if err != nil {
		return failed("The destination " + path.Destination + " could not be analyzed: " + err.Error())
	}
	if igw != nil && igw.VpcID == "" {
		return api.Analysis{Status: "succeeded", NetworkPathFound: false, Explanations: []model.Explanation{{
			Code: "BAD_STATE_ATTACHMENT", Component: &model.AnalysisComponent{ID: string(igw.ID), ARN: path.SourceARN},
		}}}
	}
	res := reach.Probe(n, q)
	if res.Verdict == reach.Unknown && len(res.Forward) == 0 {
		msg := "The network configuration is not supported."
		if len(res.Explanations) > 0 {
			msg += " " + res.Explanations[0].Message
		}
		return failed(msg)
	}
	_, forward, ret, blocking := res.Insights()
	found := networkFound(res)
	var expl []model.Explanation
	for _, e := range blocking {
		if found && !strings.HasPrefix(e.Code, "ECS_") {
			continue
		}
		if igw != nil && e.Code == reach.CodeNoRouteToDestination && len(forward) == 0 && !publicAddr(e.Address) {
			// From the internet a private address is unroutable; RA, which
			// starts at the internet gateway, reports the gateway's 1:1 NAT:
			// the destination is not the public IP of an ENI.
			e = model.Explanation{Code: reach.CodeIGWPrivateIPIngress, Direction: "ingress", Address: e.Address,
				Component: &model.AnalysisComponent{ID: string(igw.ID), ARN: path.SourceARN, Name: igw.Tags.Name()}}
		}
		expl = append(expl, e)
	}
	// ecsnet's ECS-level findings that do not block (or were not among the
	// blocking ones) ride along under their ECS_* codes.
	for _, e := range ecsFindings(forward, ret) {
		if !hasCode(expl, e.Code) {
			expl = append(expl, e)
		}
	}
	if !found && !srcIP.IsValid() && !dstIP.IsValid() {
		if e, ok := ipv6Path(n, q, path); ok {
			expl = append(expl, e)
		}
	}
	if igw != nil && (len(forward) == 0 || forward[0].Component.ID != string(igw.ID)) {
		// RA starts the path at the internet gateway it was given.
		forward = append([]model.PathComponent{{Component: model.AnalysisComponent{ID: string(igw.ID), ARN: path.SourceARN, Name: igw.Tags.Name()},
			Vpc: &model.AnalysisComponent{ID: string(igw.VpcID)}}}, forward...)
		for i := range forward {
			forward[i].SequenceNumber = i + 1
		}
	}
	return api.Analysis{Status: "succeeded", NetworkPathFound: found, Forward: forward, Return: ret, Explanations: expl}
}

// ipv6Path analyzes a path between resources again over IPv6 and, when
// the packet gets there and the reply back, returns ecsnet's
// ECS_IPV6_PATH_FOUND explanation: the destination's IPv6 address (the
// internet client's, for a path out through a gateway) and the
// destination resource.
func ipv6Path(n *reach.Network, q reach.Query, path *model.NetworkInsightsPath) (model.Explanation, bool) {
	q.IPv6 = true
	r := reach.Probe(n, q)
	if !networkFound(r) || len(r.Forward) == 0 {
		return model.Explanation{}, false
	}
	dst := r.Forward[0].Packet.Destination
	if !dst.Is6() {
		return model.Explanation{}, false
	}
	e := model.Explanation{Code: reach.CodeIPv6PathFound, Direction: "ingress", Address: dst, Port: r.Port,
		Protocols: []model.Protocol{path.Protocol}, Detail: r.Summary}
	if path.Destination != "" {
		e.Component = &model.AnalysisComponent{ID: id(path.Destination), ARN: path.DestinationARN}
	}
	if kind(path.Destination) == "igw" {
		e.Direction = "egress"
	}
	return e, true
}

// publicAddr reports whether a is a public IPv4 address.
func publicAddr(a netip.Addr) bool {
	return a.IsValid() && a.Is4() && !a.IsPrivate() && !a.IsLoopback() && !a.IsLinkLocalUnicast() &&
		!netip.MustParsePrefix("100.64.0.0/10").Contains(a)
}

// networkFound is Reachability Analyzer's NetworkPathFound: the packet got
// to the destination and the reply came back, whatever the socket did.
func networkFound(r *reach.Result) bool {
	switch {
	case r.Verdict == reach.Connected || r.Verdict == reach.Refused:
		return true
	case r.Verdict.HTTPStatus() > 0:
		return true
	}
	return false
}

func ecsFindings(paths ...[]model.PathComponent) []model.Explanation {
	var out []model.Explanation
	for _, p := range paths {
		for _, pc := range p {
			for _, e := range pc.Explanations {
				if strings.HasPrefix(e.Code, "ECS_") && !hasCode(out, e.Code) {
					out = append(out, e)
				}
			}
		}
	}
	return out
}

func hasCode(es []model.Explanation, code string) bool {
	for _, e := range es {
		if e.Code == code {
			return true
		}
	}
	return false
}

// id returns the resource id of an id or ARN.
func id(ref string) string {
	if strings.HasPrefix(ref, "arn:") {
		return ref[strings.LastIndexByte(ref, '/')+1:]
	}
	return ref
}

func kind(ref string) string {
	k, _, _ := strings.Cut(id(ref), "-")
	return k
}
