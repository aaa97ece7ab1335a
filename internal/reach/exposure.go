package reach

import (
	"cmp"
	"net/netip"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// ExposureEntry is one way in from the internet: a public address, a
// protocol and port range, the security group rule (and the network ACL
// entry) that admit it, and what answers there.
type ExposureEntry struct {
	// Kind is "task", "instance" or "load-balancer": what answers.
	Kind     string     `json:"kind"`
	Resource *Component `json:"resource"`
	// NetworkInterface is the ENI holding the public address.
	NetworkInterface *Component `json:"networkInterface,omitempty"`
	// PublicIP is the address the internet uses: a public IPv4 address,
	// or an IPv6 address (the same inside the VPC).
	PublicIP  netip.Addr `json:"publicIp"`
	PrivateIP netip.Addr `json:"privateIp,omitzero"`
	Protocol  string     `json:"protocol"`
	Ports     PortRange  `json:"ports"`
	// Source is the internet range the security group rule admits.
	Source            netip.Prefix       `json:"source"`
	SecurityGroupRule *SecurityGroupRule `json:"securityGroupRule,omitempty"`
	ACLRule           *ACLRule           `json:"aclRule,omitempty"`
	// Socket is what listens (nil for an open range where nothing does).
	Socket   *Socket    `json:"socket,omitempty"`
	Listener *Component `json:"listener,omitempty"`
	Targets  []string   `json:"targets,omitempty"`
	// Rule is the ALB listener rule the entry's request matches ("" for
	// the default action or a non-ALB entry); Request is that request.
	Rule    string  `json:"rule,omitempty"`
	Request string  `json:"request,omitempty"`
	Verdict Verdict `json:"verdict"`
	Summary string  `json:"summary"`
	// Cause is the first blocking explanation code of a failing entry.
	Cause string `json:"cause,omitempty"`
}

// ExposureReport lists everything reachable from the internet, and the
// internet-facing entry points that fail.
type ExposureReport struct {
	Entries []ExposureEntry `json:"entries"`
	// Failing are internet-facing entry points (load balancer listeners
	// and rules, public task ports) a client cannot use, with why.
	Failing []ExposureEntry `json:"failing"`
	// PrivateLink are the endpoint services of Network Load Balancers
	// (AWS PrivateLink): what each exposes to which consumers.
	PrivateLink []EndpointServiceExposure `json:"privateLink,omitempty"`
	Summary     string                    `json:"summary"`
}

// window is a range of ports on which internet traffic from a source
// range gets through an ENI's security groups, its subnet's network ACL
// (both ways) and its route table back to the internet gateway.
type window struct {
	proto  model.Protocol
	ports  model.PortRange
	source netip.Prefix
	rep    netip.Addr
	rule   *sgRule
	acl    *aclEntry
}

// Exposure reports what the internet can reach: every port of every
// public address whose security groups, network ACL and routes let
// internet traffic in and the reply out, with what listens there (a
// task's container, a Docker host port, sshd, nothing), and every
// listener of internet-facing load balancers with the answer a client
// gets. It intersects the port ranges security group rules admit with
// the listening sockets instead of probing ports one by one. A rule's
// source range is tested with one representative internet address
// (198.51.100.7 when the range holds it).
func Exposure(n *Network) *ExposureReport {
	rep := &ExposureReport{Entries: []ExposureEntry{}, Failing: []ExposureEntry{}}
	memo := map[[3]any][]window{}
	for _, e := range n.eniOrder {
		if !e.public.IsValid() && !e.v6.IsValid() || e.vpc == nil || e.vpc.igw == nil || e.eni.Status() != "in-use" || e.subnet == nil {
			continue
		}
		if n.bpaBlocksInbound(e.subnet) {
			// VPC Block Public Access drops every connection the
			// internet starts to this subnet at the internet gateway.
			continue
		}
		var sockets []*socket
		switch e.kind {
		case eniTask:
			if e.task == nil || !e.task.running {
				continue
			}
			sockets = e.task.sockets
		case eniHost:
			if e.instance == nil || !e.instance.running {
				continue
			}
			sockets = e.instance.sockets
		default:
			continue
		}
		// The public IPv4 address, and the IPv6 address, which the
		// internet gateway forwards untranslated.
		for _, addr := range [2]netip.Addr{e.public, e.v6} {
			if !addr.IsValid() {
				continue
			}
			key := [3]any{e.sgs, e.subnet, addr.Is6()}
			ws, ok := memo[key]
			if !ok {
				ws = n.windows(e, addr.Is6())
				memo[key] = ws
			}
			n.exposeENI(rep, e, addr, ws, sockets)
		}
	}
	n.exposeLoadBalancers(rep)
	// A stable sort by kind, resource, protocol and port: the keys are
	// gathered once and the position breaks ties, so the large entries
	// move once instead of through the stable sort's rotations.
	type sortKey struct {
		kind, label, proto string
		from               uint16
		i                  int
	}
	keys := make([]sortKey, len(rep.Entries))
	for i := range keys {
		x := &rep.Entries[i]
		keys[i] = sortKey{x.Kind, x.Resource.Label(), x.Protocol, x.Ports.From, i}
	}
	slices.SortFunc(keys, func(a, b sortKey) int {
		if c := cmp.Compare(a.kind, b.kind); c != 0 {
			return c
		}
		if c := cmp.Compare(a.label, b.label); c != 0 {
			return c
		}
		if c := cmp.Compare(a.proto, b.proto); c != 0 {
			return c
		}
		if c := cmp.Compare(a.from, b.from); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	// Entry j becomes the entry at keys[j].i: applied in place, cycle by
	// cycle, each entry moved once (a sorted copy doubled the report's
	// memory); keys[j].i = j marks a placed position.
	for start := range keys {
		if keys[start].i == start {
			continue
		}
		first := rep.Entries[start]
		j := start
		for {
			k := keys[j].i
			keys[j].i = j
			if k == start {
				rep.Entries[j] = first
				break
			}
			rep.Entries[j] = rep.Entries[k]
			j = k
		}
	}
	counts := map[Verdict]int{}
	var order []Verdict
	for _, x := range rep.Entries {
		if counts[x.Verdict] == 0 {
			order = append(order, x.Verdict)
		}
		counts[x.Verdict]++
	}
	slices.Sort(order)
	rep.Summary = strconv.Itoa(len(rep.Entries)) + " ways in from the internet"
	if len(rep.Entries) == 1 {
		rep.Summary = "1 way in from the internet"
	}
	var parts []string
	for _, v := range order {
		parts = append(parts, strconv.Itoa(counts[v])+" "+string(v))
	}
	for i, p := range parts {
		if i == 0 {
			rep.Summary += ": "
		} else {
			rep.Summary += ", "
		}
		rep.Summary += p
	}
	switch len(rep.Failing) {
	case 0:
	case 1:
		rep.Summary += "; 1 internet-facing entry point fails"
	default:
		rep.Summary += "; " + strconv.Itoa(len(rep.Failing)) + " internet-facing entry points fail"
	}
	if rep.PrivateLink = n.endpointServiceExposure(); len(rep.PrivateLink) > 0 {
		consumers := 0
		for _, x := range rep.PrivateLink {
			consumers += len(x.Endpoints)
		}
		what := " endpoint services expose"
		if len(rep.PrivateLink) == 1 {
			what = " endpoint service exposes"
		}
		ends := " interface endpoints"
		if consumers == 1 {
			ends = " interface endpoint"
		}
		rep.Summary += "; " + strconv.Itoa(len(rep.PrivateLink)) + what + " load balancers through AWS PrivateLink to " + strconv.Itoa(consumers) + ends
	}
	return rep
}

// windows computes the internet-facing port windows of an ENI's security
// groups and subnet, for IPv4 or IPv6 sources.
func (n *Network) windows(e *eniNode, v6 bool) []window {
	var out []window
	acl := e.subnet.acl
	for _, r := range e.sgs.ingress {
		var sources []netip.Prefix
		switch {
		case r.cidr.IsValid():
			sources = []netip.Prefix{r.cidr}
		case len(r.prefixes) > 0:
			sources = r.prefixes
		default:
			continue // group references never match internet traffic
		}
		protos := []model.Protocol{r.proto}
		if r.proto == model.AllProtocols {
			protos = []model.Protocol{model.TCP, model.UDP}
		} else if !r.proto.HasPorts() {
			continue
		}
		ports := r.ports
		if r.proto == model.AllProtocols {
			ports = model.AllPorts
		}
		for _, src := range sources {
			if src.Addr().Is6() != v6 {
				continue
			}
			addr, ok := representative(src)
			if !ok {
				continue
			}
			// The reply must route back through the internet gateway.
			rr := n.pastGWLBEndpoints(e.subnet, addr)
			if rr == nil || !rr.active || rr.route.Target != model.TargetInternetGateway {
				continue
			}
			for _, p := range protos {
				if acl != nil {
					if back := acl.eval(true, p, addr, DefaultClientPort); back.action != model.Allow {
						continue
					}
					for _, span := range acl.admitted(false, p, addr, ports) {
						out = append(out, window{proto: p, ports: span.ports, source: src, rep: addr, rule: r, acl: span.entry})
					}
					continue
				}
				out = append(out, window{proto: p, ports: ports, source: src, rep: addr, rule: r})
			}
		}
	}
	return out
}

// representative returns an internet address inside a source range:
// 198.51.100.7 when the range holds it, else the first public address
// found among a few candidates.
func representative(p netip.Prefix) (netip.Addr, bool) {
	if p.Addr().Is6() {
		for _, a := range []netip.Addr{DefaultInternetClientV6(), p.Masked().Addr(), p.Masked().Addr().Next(), netip.MustParseAddr("2600::1"), netip.MustParseAddr("2a00::1")} {
			if p.Contains(a) && isPublic(a) {
				return a, true
			}
		}
		return netip.Addr{}, false
	}
	cands := []netip.Addr{DefaultInternetClient(), p.Masked().Addr(), p.Masked().Addr().Next(),
		netip.AddrFrom4([4]byte{1, 1, 1, 1}), netip.AddrFrom4([4]byte{8, 8, 8, 8}), netip.AddrFrom4([4]byte{52, 0, 0, 1}),
		netip.AddrFrom4([4]byte{100, 0, 0, 1}), netip.AddrFrom4([4]byte{130, 0, 0, 1}), netip.AddrFrom4([4]byte{160, 0, 0, 1}),
		netip.AddrFrom4([4]byte{200, 0, 0, 1})}
	for _, a := range cands {
		if p.Contains(a) && isPublic(a) {
			return a, true
		}
	}
	return netip.Addr{}, false
}

type portSpan struct {
	ports model.PortRange
	entry *aclEntry
}

// admitted returns the parts of a port range that a network ACL allows
// for a protocol and peer: rules in number order, first match wins.
func (t *aclTable) admitted(egress bool, proto model.Protocol, peer netip.Addr, r model.PortRange) []portSpan {
	list := t.ingress
	if egress {
		list = t.egress
	}
	undecided := []model.PortRange{r}
	var out []portSpan
	for _, e := range list {
		if len(undecided) == 0 {
			break
		}
		if e.proto != model.AllProtocols && e.proto != proto || !e.cidr.Contains(peer) {
			continue
		}
		er := model.AllPorts
		if e.proto != model.AllProtocols {
			er = e.ports
		}
		var next []model.PortRange
		for _, u := range undecided {
			lo, hi := max(u.First, er.First), min(u.Last, er.Last)
			if lo > hi {
				next = append(next, u)
				continue
			}
			if e.action == model.Allow {
				out = append(out, portSpan{model.PortRange{First: lo, Last: hi}, e})
			}
			if u.First < lo {
				next = append(next, model.PortRange{First: u.First, Last: lo - 1})
			}
			if hi < u.Last {
				next = append(next, model.PortRange{First: hi + 1, Last: u.Last})
			}
		}
		undecided = next
	}
	slices.SortFunc(out, func(a, b portSpan) int { return cmp.Compare(a.ports.First, b.ports.First) })
	return out
}

// exposeENI adds the entries of one ENI: a listening socket in a window
// is connected (refused when the app listens on loopback); the rest of a
// window is open with nothing listening (refused).
func (n *Network) exposeENI(rep *ExposureReport, e *eniNode, addr netip.Addr, ws []window, sockets []*socket) {
	done := map[[2]uint16]bool{}
	for _, w := range ws {
		inside := 0
		for _, s := range sockets {
			if s.proto != w.proto || !w.ports.Overlaps(s.ports()) {
				continue
			}
			// the part of a port range (containerPortRange) the window
			// opens, reported at its first port
			in := model.PortRange{First: max(w.ports.First, s.port), Last: min(w.ports.Last, s.ports().Last)}
			if in.First != s.port {
				s = s.at(in.First)
			}
			inside += in.Len()
			k := [2]uint16{uint16(s.proto), s.port}
			if done[k] {
				continue
			}
			done[k] = true
			x := n.exposureBase(e, addr, w)
			x.Ports = PortRange{in.First, in.Last}
			x.Socket = s.view
			x.Verdict = Connected
			who := ""
			switch {
			case s.task != nil:
				x.Kind, x.Resource = "task", s.task.comp
				who = "the container " + s.container + " of the task " + s.task.name
			default:
				who = s.kind
			}
			port := s.proto.String() + "/" + in.String()
			x.Summary = "connected: " + addr.String() + " " + port + " reaches " + who
			if s.kind == "bridge" {
				cports := model.PortRange{First: s.containerPort, Last: s.containerPort + (in.Last - in.First)}
				x.Summary += " (Docker maps host port " + in.String() + " to container port " + cports.String() + ")"
			}
			if s.portElsewhere() {
				x.Verdict = Refused
				x.Summary = "refused" + x.Summary[len("connected"):] + ", but its application listens on " + portList(s.appPorts) + ", not on container port " + strconv.Itoa(int(s.containerPort))
			}
			if s.loopback() {
				x.Verdict = Refused
				x.Summary = "refused" + x.Summary[len("connected"):] + ", but it listens on " + s.bind.String() + " only, so connections are refused"
			}
			if s.kind == "ecs-agent" && e.instance != nil && !OffhostIntrospectionAllowed(e.instance.inst.UserData) {
				x.Verdict = Timeout
				x.Summary = "timeout: " + addr.String() + " " + port + " is the ECS agent's introspection API, which the ECS-optimized AMI's ecs-init drops for other hosts (ECS_ALLOW_OFFHOST_INTROSPECTION_ACCESS is not true)"
			}
			x.Summary += "; " + ruleText(w)
			rep.Entries = append(rep.Entries, x)
		}
		if int(w.ports.Last)-int(w.ports.First)+1 <= inside {
			continue
		}
		x := n.exposureBase(e, addr, w)
		x.Verdict = Refused
		x.Summary = "refused: " + addr.String() + " " + w.proto.String() + "/" + w.ports.String() + " is open to " + w.source.String() + " but nothing listens"
		if inside > 0 {
			x.Summary += " on the other ports"
		}
		x.Summary += " (the host answers with a reset); " + ruleText(w)
		if e.instance != nil && e.kind == eniHost {
			for _, tk := range e.instance.tasks {
				if tk.eni == nil {
					continue
				}
				for _, s := range tk.sockets {
					if s.proto == w.proto && w.ports.Overlaps(s.ports()) {
						x.Summary += "; the task " + tk.name + " listens on " + strconv.Itoa(int(s.port)) + " on its own ENI " + tk.eni.label()
						if !tk.eni.public.IsValid() {
							x.Summary += ", which has no public IP"
						}
					}
				}
			}
		}
		rep.Entries = append(rep.Entries, x)
	}
}

func (n *Network) exposureBase(e *eniNode, addr netip.Addr, w window) ExposureEntry {
	x := ExposureEntry{Kind: "instance", Resource: e.comp, NetworkInterface: e.comp, PublicIP: addr, PrivateIP: e.primary,
		Protocol: w.proto.String(), Ports: PortRange{w.ports.First, w.ports.Last}, Source: w.source, SecurityGroupRule: w.rule.View()}
	if w.acl != nil {
		x.ACLRule = w.acl.view
	}
	switch {
	case e.task != nil:
		x.Kind, x.Resource = "task", e.task.comp
	case e.instance != nil:
		x.Resource = e.instance.comp
	}
	return x
}

func ruleText(w window) string {
	s := "security group " + w.rule.group.comp.Label() + " allows " + w.rule.proto.String()
	if w.rule.proto.HasPorts() {
		s += "/" + w.rule.ports.String()
	} else {
		s += " (all)"
	}
	return s + " from " + w.source.String()
}

// exposeLoadBalancers probes every listener of every internet-facing load
// balancer from the internet: over IPv4 at its nodes' public addresses,
// and over IPv6 at a dualstack ALB's or NLB's nodes' IPv6 addresses (an
// NLB's TCP listeners: ecsnet does not follow UDP over IPv6).
func (n *Network) exposeLoadBalancers(rep *ExposureReport) {
	for _, lb := range n.lbOrder {
		if lb.lb.Scheme != "internet-facing" || len(lb.nodes) == 0 {
			continue
		}
		var addrs []netip.Addr // the first node's address, per family
		if lb.nodes[0].public.IsValid() {
			addrs = append(addrs, lb.nodes[0].public)
		}
		if (lbIPv6(lb, model.TCP) == "" || lbIPv6(lb, model.UDP) == "") && lb.nodes[0].v6.IsValid() {
			addrs = append(addrs, lb.nodes[0].v6)
		}
		for _, addr := range addrs {
			n.exposeLoadBalancer(rep, lb, addr)
		}
	}
}

// exposeLoadBalancer probes a load balancer's listeners from the internet
// at one of its first node's addresses (its public IPv4 or its IPv6).
func (n *Network) exposeLoadBalancer(rep *ExposureReport, lb *lbNode, addr netip.Addr) {
	for _, l := range lb.listeners {
		for _, p := range []model.Protocol{model.TCP, model.UDP} {
			if listenerProtocols(l.l.Protocol)&protoBit(p) == 0 || addr.Is6() && lbIPv6(lb, p) != "" {
				continue
			}
			q := Query{
				From:     Endpoint{Kind: KindInternet, Spec: "internet", Name: "internet", Address: DefaultInternetClient()},
				To:       Endpoint{Kind: KindLoadBalancer, Spec: lb.lb.Name, Name: lb.lb.Name, ID: lb.lb.Name, ARN: lb.lb.ARN, lb: lb},
				Protocol: p, Port: l.l.Port, IPv6: addr.Is6(),
			}
			if addr.Is6() {
				q.From.Address = DefaultInternetClientV6()
			}
			reqs := []*model.ListenerRule{nil}
			if lb.isALB() {
				reqs = append(reqs, l.rules...)
			}
			for _, rule := range reqs {
				q := q
				if rule != nil && matchesNoPath(rule) {
					continue // no request reaches it: not a way in
				}
				if rule != nil {
					q.HTTPPath, q.HTTPHost, q.HTTPMethod, q.HTTPHeaders = ruleRequest(rule)
				} else if lb.isALB() && len(l.rules) > 0 {
					// The default action answers only a request no rule
					// matches: GET / may match one ("path-pattern /").
					path, ok := defaultActionPath(l, &q)
					if !ok {
						continue // every request matches a rule ("*")
					}
					q.HTTPPath = path
				}
				res := probe(n, &q, 0, false)
				x := ExposureEntry{Kind: "load-balancer", Resource: lb.comp, NetworkInterface: lb.nodes[0].comp, PublicIP: addr,
					PrivateIP: lb.nodes[0].primary, Protocol: p.String(), Ports: PortRange{l.l.Port, l.l.Port}, Listener: l.comp,
					Verdict: res.Verdict, Summary: res.Summary}
				if len(l.rules) > 0 && lb.isALB() {
					x.Rule = ruleLabel(rule)
					req := q.request(lb)
					x.Request = req.method + " " + req.host + req.path
				}
				if b := res.Blocking(); len(b) > 0 {
					x.Cause = b[0].Code
					for _, e := range b {
						if e.Tasks != nil {
							x.Cause = e.Code // the root cause
						}
					}
				}
				if !res.Reachable && !n.idleBlueGreen(res) {
					rep.Failing = append(rep.Failing, x)
					if res.Verdict == Timeout || res.Verdict == NoRoute || res.Verdict == Unknown {
						continue
					}
				}
				for _, h := range res.Forward {
					if h.Component == lb.nodes[0].comp && h.SecurityGroupRule != nil && h.SecurityGroupRule.Direction == "ingress" {
						x.SecurityGroupRule = h.SecurityGroupRule
						x.Source = h.SecurityGroupRule.CIDR
					}
				}
				if !x.Source.IsValid() {
					x.Source = netip.MustParsePrefix("0.0.0.0/0")
					if addr.Is6() {
						x.Source = netip.MustParsePrefix("::/0")
					}
				}
				for _, tgt := range res.Targets {
					name := tgt.Name
					if name == "" {
						name = tgt.ID + ":" + strconv.Itoa(int(tgt.Port))
					}
					x.Targets = append(x.Targets, name)
				}
				rep.Entries = append(rep.Entries, x)
			}
		}
	}
}

// pathPatternPath returns the first of a path-pattern condition's values
// a request path (which starts with "/") can match, its leading wildcard
// made the "/"; false when none can (a pattern such as "a/b/c", which ALB
// accepts and no request matches).
func pathPatternPath(values []string) (string, bool) {
	for _, p := range values {
		switch {
		case strings.HasPrefix(p, "/"):
			return p, true
		case strings.HasPrefix(p, "*") || strings.HasPrefix(p, "?"):
			return "/" + p[1:], true
		}
	}
	return "", false
}

// matchesNoPath reports whether a rule has a path-pattern condition (of
// values, not regular expressions) no request path can match.
func matchesNoPath(r *model.ListenerRule) bool {
	for _, c := range r.Conditions {
		if c.Field == "path-pattern" && len(c.RegexValues) == 0 && len(c.Values) > 0 {
			if _, ok := pathPatternPath(c.Values); !ok {
				return true
			}
		}
	}
	return false
}

// ruleRequest builds a request a listener rule matches: its first path
// pattern (wildcards filled in), host, method and headers.
func ruleRequest(r *model.ListenerRule) (path, host, method string, headers map[string]string) {
	fill := func(p string) string {
		return strings.NewReplacer("*", "x", "?", "x").Replace(p)
	}
	for _, c := range r.Conditions {
		if len(c.RegexValues) > 0 {
			// A string the first expression matches (a path: one that
			// starts with "/"); none when no short one is found.
			v, ok := regexSample(c.RegexValues[0], c.Field == "path-pattern")
			if !ok {
				continue
			}
			switch c.Field {
			case "path-pattern":
				path = v
			case "host-header":
				host = v
			case "http-header":
				if headers == nil {
					headers = map[string]string{}
				}
				headers[c.HeaderName] = v
			}
			continue
		}
		if len(c.Values) == 0 {
			continue
		}
		switch c.Field {
		case "path-pattern":
			// A request path starts with "/": a pattern that starts with a
			// wildcard ("*", "*.jpg") matches it there; one that starts
			// with another character matches no request.
			if p, ok := pathPatternPath(c.Values); ok {
				path = fill(p)
			}
		case "host-header":
			host = fill(c.Values[0])
		case "http-request-method":
			method = c.Values[0]
		case "http-header":
			if headers == nil {
				headers = map[string]string{}
			}
			headers[c.HeaderName] = fill(c.Values[0])
		case "query-string":
			k, v, _ := strings.Cut(c.Values[0], "=")
			if k == "" {
				k = "q"
			}
			path += "?" + fill(k) + "=" + fill(v)
		}
	}
	if path == "" {
		path = "/"
	} else if strings.HasPrefix(path, "?") {
		path = "/" + path
	}
	return path, host, method, headers
}

// idleBlueGreen reports whether a probe's only failure is a target group
// with no registered targets that is the idle member of a CodeDeploy
// blue/green pair: the test listener answers 503 between deployments, by
// design (CodeDeploy User Guide, "ECS blue/green deployments").
func (n *Network) idleBlueGreen(res *Result) bool {
	b := res.Blocking()
	if len(b) != 1 || b[0].Code != CodeNoRegisteredTargets || b[0].Component == nil {
		return false
	}
	return n.CodeDeployIdle(b[0].Component.ARN)
}

// regexSample returns a short string a listener rule's regular expression
// matches: the shortest choice at each repetition and the first of each
// alternation and class (a printable character where the class has one).
// A path must start with "/": the sample gets one when the expression
// still matches it. ok is false when the sample does not match (word
// boundaries, classes without a printable character).
func regexSample(expr string, isPath bool) (string, bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	if !writeSample(re.Simplify(), &b) {
		return "", false
	}
	m, err := regexp.Compile(expr)
	if err != nil {
		return "", false
	}
	s := b.String()
	if isPath && !strings.HasPrefix(s, "/") {
		s = "/" + s
	}
	return s, m.MatchString(s)
}

func writeSample(re *syntax.Regexp, b *strings.Builder) bool {
	switch re.Op {
	case syntax.OpNoMatch:
		return false
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			b.WriteRune(r)
		}
	case syntax.OpCharClass:
		if len(re.Rune) < 2 {
			return false
		}
		c := re.Rune[0]
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if lo, hi := max(re.Rune[i], '!'), min(re.Rune[i+1], '~'); lo <= hi {
				c = lo
				break
			}
		}
		b.WriteRune(c)
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte('x')
	case syntax.OpCapture, syntax.OpPlus:
		return writeSample(re.Sub[0], b)
	case syntax.OpRepeat:
		for range re.Min {
			if !writeSample(re.Sub[0], b) {
				return false
			}
		}
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !writeSample(sub, b) {
				return false
			}
		}
	case syntax.OpAlternate:
		return writeSample(re.Sub[0], b)
	}
	// Star, quest, empty match and the anchors add nothing.
	return true
}

// defaultActionPath is a path of a request that reaches a listener's
// default action (none of its rules matches it): "/" when it does, else a
// path no rule names; false when every path matches a rule.
func defaultActionPath(l *listenerNode, q *Query) (string, bool) {
	for _, path := range []string{"/", "/ecsnet-unmatched-path"} {
		probe := *q
		probe.HTTPPath = path
		matched := false
		for _, r := range l.rules {
			if ruleMatches(r, l.regex[r], &probe, q.From.Address, l.lb) {
				matched = true
				break
			}
		}
		if !matched {
			return path, true
		}
	}
	return "", false
}
