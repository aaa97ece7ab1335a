package reach

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// summary writes the one-sentence answer a user of the article would
// understand: the verdict, where the packet went, what blocked it and,
// after "Even if it did", what else would block it.
func (t *tracer) summary(fs *flowState, lbo *lbOutcome) string {
	r := t.res
	var b strings.Builder
	b.WriteString(string(r.Verdict))
	b.WriteString(": ")
	decisive := fs.first
	lead := t.context()
	switch {
	case fs.blocked && decisive >= 0:
	case lbo != nil:
		t.lbSummary(&b, lbo)
		t.alsoBlocked(&b, -1, lbo.backend.first)
		return b.String()
	case r.Verdict == Connected:
		t.connectedSummary(&b)
		return b.String()
	default:
		b.WriteString(t.endpointLabel(r.From) + " cannot reach " + t.endpointLabel(r.To) + ".")
		return b.String()
	}
	if lead != "" {
		b.WriteString(lead)
		b.WriteString("; ")
	}
	b.WriteString(clauseOf(&r.Explanations[decisive]))
	b.WriteString(".")
	t.alsoBlocked(&b, decisive, -1)
	return b.String()
}

// alsoBlocked appends the other blocking findings: "Even if it did, …".
func (t *tracer) alsoBlocked(b *strings.Builder, skip, first int) {
	r := t.res
	prev := skip
	if first >= 0 {
		prev = first
	}
	n := 0
	for i := range r.Explanations {
		e := &r.Explanations[i]
		if !e.Blocking || i == skip || i == first || e.said {
			continue
		}
		switch {
		case prev >= 0 && e.Hop != 0 && e.Hop == r.Explanations[prev].Hop && e.Path == r.Explanations[prev].Path:
			// more about the same hop
			b.WriteString(" ")
			b.WriteString(capitalize(clauseOf(e)))
			b.WriteString(".")
			continue
		case n == 0 && prev >= 0 && filterCode(r.Explanations[prev].Code):
			b.WriteString(" Even if it did, ")
		default:
			b.WriteString(" Also, ")
		}
		b.WriteString(clauseOf(e))
		b.WriteString(".")
		n++
	}
}

func filterCode(c string) bool {
	return c == CodeSGRulesMismatch || c == CodeSubnetACLRestriction || c == CodeNoRouteToDestination || c == CodeIGWPublicIPEgress
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

func clauseOf(e *Explanation) string {
	if e.clause != "" {
		return e.clause
	}
	return e.Message
}

// context describes the public address the client's packet went to.
func (t *tracer) context() string {
	e := t.pubENI
	if e == nil {
		return ""
	}
	s := t.pubAddr.String() + " is the public IP of "
	if t.pubAddr.Is6() {
		s = t.pubAddr.String() + " is the IPv6 address of "
	}
	switch {
	case e.kind == eniHost && e.instance != nil:
		s += "the instance " + e.instance.name + " (" + string(e.eni.ID)
		if e.device >= 0 {
			s += ", ENI " + strconv.Itoa(e.device+1)
		}
		s += ")"
	case e.task != nil:
		s += "the task " + e.task.name + " (its ENI " + string(e.eni.ID) + ")"
	case e.lb != nil:
		s += "the load balancer " + e.lb.lb.Name + " (its node in " + e.eni.AvailabilityZone + ")"
	case e.nat != nil:
		s += "the NAT gateway " + e.nat.comp.Label()
	default:
		s += e.label()
	}
	return s
}

func (t *tracer) endpointLabel(ep *Endpoint) string {
	if ep == nil {
		return "?"
	}
	switch ep.Kind {
	case KindInternet:
		return "the internet (" + ep.Address.String() + ")"
	case KindInstance:
		return "the instance " + ep.Name
	case KindTask:
		return "the task " + ep.Name
	case KindService:
		if ep.task != nil {
			return "the service " + ep.Name + " (task " + ep.task.name + ")"
		}
		return "the service " + ep.Name
	case KindLoadBalancer:
		return "the load balancer " + ep.Name
	case KindENI:
		return ep.ID
	case KindAWSService, KindInternetHost:
		return ep.Name
	}
	if e := ep.eni; e != nil {
		switch {
		case e.task != nil:
			return "the task " + e.task.name + " (" + ep.Address.String() + ")"
		case e.instance != nil && e.kind == eniHost:
			return "the instance " + e.instance.name + " (" + ep.Address.String() + ")"
		case e.lb != nil:
			return "the load balancer " + e.lb.lb.Name + " (" + ep.Address.String() + ")"
		case e.attached != nil:
			return e.attached.Label() + " (" + ep.Address.String() + ")"
		}
	}
	return ep.Address.String()
}

// connectedSummary describes a successful path.
func (t *tracer) connectedSummary(b *strings.Builder) {
	r := t.res
	b.WriteString(t.endpointLabel(r.From))
	b.WriteString(" reaches ")
	b.WriteString(t.endpointLabel(r.To))
	var last *Hop
	for i := range r.Forward {
		if r.Forward[i].Action == ActionAccepted || r.Forward[i].Action == ActionExited {
			last = &r.Forward[i]
		}
	}
	if last != nil && len(r.Forward) > 0 {
		sent := r.Forward[0].Packet
		b.WriteString(" at ")
		b.WriteString(t.addrPort(sent.Destination, sent.DestinationPort))
		if a := last.Packet.Destination; a != sent.Destination {
			b.WriteString(" (" + a.String() + " inside the VPC)")
		}
	}
	how := " inside the VPC"
hops:
	for _, h := range r.Forward {
		if h.Component == nil {
			continue
		}
		if h.Action == ActionRouted && h.Component.Type == "transit-gateway-route-table" {
			how = " through the transit gateway route table " + h.Component.Label()
			break hops
		}
		if h.Action == ActionRouted && h.Packet.Destination.Is6() {
			switch h.Component.Type {
			case "internet-gateway":
				how = " through the internet gateway " + h.Component.Label() + " (IPv6: no translation)"
			case "egress-only-internet-gateway":
				how = " through the egress-only internet gateway " + h.Component.Label()
			}
		}
		if h.Action != ActionTranslated {
			continue
		}
		switch h.Component.Type {
		case "internet-gateway":
			how = " through the internet gateway " + h.Component.Label()
		case "nat-gateway":
			how = " through the NAT gateway " + h.Component.Label()
			break hops
		}
	}
	if last != nil && last.Action == ActionExited {
		if last.Component != nil && last.Component.Type == "vpc-endpoint" {
			how = " through the gateway endpoint " + last.Component.Label()
		} else if t.echo {
			how += " (ecsnet assumes the internet host answers ping)"
		} else {
			how += " (ecsnet assumes the internet host accepts)"
		}
	}
	b.WriteString(how)
	if t.echo {
		b.WriteString(", and the echo reply comes back.")
		return
	}
	if last != nil && last.Socket != nil {
		s := last.Socket
		switch s.Kind {
		case "container", "host":
			b.WriteString(", where the container " + s.Container + " of " + s.Task + " listens")
		case "bridge":
			b.WriteString(", which Docker forwards to port " + strconv.Itoa(int(s.ContainerPort)) + " of the container " + s.Container + " of " + s.Task)
		case "sshd":
			b.WriteString(", where sshd listens")
		case "endpoint":
			b.WriteString(", the interface endpoint")
		}
	}
	b.WriteString(".")
}

// lbSummary describes what a load balancer did with a request.
func (t *tracer) lbSummary(b *strings.Builder, o *lbOutcome) {
	r := t.res
	lb := ""
	if r.To != nil && r.To.lb != nil {
		lb = r.To.lb.lb.Name
	} else if t.pubENI != nil && t.pubENI.lb != nil {
		lb = t.pubENI.lb.lb.Name
	} else if o.listener != nil && o.listener.lb != nil {
		// Reached through an interface endpoint (AWS PrivateLink).
		lb = o.listener.lb.lb.Name + " (through AWS PrivateLink)"
	}
	listener := ""
	if o.listener != nil {
		listener = o.listener.l.Protocol + ":" + strconv.Itoa(int(o.listener.l.Port))
	}
	status := r.Verdict.HTTPStatus()
	if o.ruleChecked {
		listener += " (" + o.request + " matches " + ruleLabel(o.rule) + ")"
	}
	switch o.what {
	case "fixed-response":
		b.WriteString(lb + " answers the request on " + listener + " itself with a fixed response " + strconv.Itoa(status) + ".")
		return
	case "redirect":
		b.WriteString(lb + " answers the request on " + listener + " with a redirect (" + strconv.Itoa(status) + ").")
		return
	}
	verb := "accepts the request on "
	if status == 0 {
		verb = "accepts the connection on "
	}
	b.WriteString(lb + " " + verb + listener)
	target := ""
	if o.target != nil {
		what := "target "
		if o.listener != nil && o.listener.classic != nil {
			what = "the InService instance "
		}
		target = what + o.target.ID + ":" + strconv.Itoa(int(o.target.Port))
		if o.target.Name != "" {
			target += " (" + o.target.Name + ")"
		}
		if o.tg != nil {
			target += " of " + o.tg.comp.Name
		}
	}
	if !o.backend.blocked {
		b.WriteString(" and forwards it to " + target + ", which accepts the connection.")
		unhealthy, reason := 0, ""
		for _, x := range r.Targets {
			if x.Health == "unhealthy" {
				unhealthy++
				reason = x.Reason
			}
		}
		if unhealthy > 0 && unhealthy == len(r.Targets) && o.tg != nil {
			b.WriteString(" But every target of " + o.tg.comp.Name + " fails its health checks (" + reason + "): the load balancer fails open and sends requests to them anyway" +
				t.n.unhealthyReplacement(o.tg.tg.ARN) + ".")
		}
		return
	}
	if target != "" {
		b.WriteString(" and forwards it to " + target)
	}
	b.WriteString(", but ")
	if o.backend.first >= 0 {
		b.WriteString(clauseOf(&r.Explanations[o.backend.first]))
	} else {
		b.WriteString("the target does not answer")
	}
	switch status {
	case 502:
		b.WriteString("; the load balancer answers 502 Bad Gateway.")
	case 503:
		b.WriteString("; the load balancer answers 503 Service Unavailable.")
	case 504:
		b.WriteString("; the load balancer answers 504 Gateway Timeout.")
	default:
		b.WriteString(".")
	}
}

// unhealthyReplacement says who replaces the unhealthy targets of a target
// group: ECS replaces a service's tasks; Auto Scaling replaces a group's
// instances only when the group uses the load balancer's health checks
// (health check type ELB) and neither its HealthCheck nor its
// ReplaceUnhealthy process is suspended; nobody replaces other targets.
func (n *Network) unhealthyReplacement(tgARN string) string {
	for _, s := range n.serviceOrder {
		for _, lb := range serviceLoadBalancers(s.svc) {
			if lb.TargetGroupARN == tgARN {
				return ", while ECS stops the tasks and starts new ones"
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(n.st.AutoScalingGroups)) {
		if g := n.st.AutoScalingGroups[name]; slices.Contains(g.TargetGroupARNs, tgARN) {
			if g.ELBHealthCheck() {
				for _, p := range []string{"HealthCheck", "ReplaceUnhealthy"} {
					if g.Suspended(p) {
						return "; Auto Scaling keeps the instances of " + g.Name + ", whose " + p + " process is suspended"
					}
				}
				if g.HealthCheckType != "ELB" {
					return ", while Auto Scaling replaces the instances of " + g.Name + " (its health check types, " + g.HealthCheckType + ", include ELB)"
				}
				return ", while Auto Scaling replaces the instances of " + g.Name + " (its health check type is ELB)"
			}
			return "; Auto Scaling keeps the instances of " + g.Name + ", whose health check type is EC2"
		}
	}
	return ""
}
