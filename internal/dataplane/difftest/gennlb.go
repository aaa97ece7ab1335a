package difftest

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// NLB is a Network Load Balancer, with or without security groups (one
// created without them never has any), in front of instances registered
// by hand (instance target groups: the client's address preserved by
// default) or the tasks of an awsvpc service (ip target groups).
type NLB struct {
	Name      string
	Internal  bool
	Subnets   []string
	SGs       []string
	Listeners []NLBListener
	// Instances are registered in the instance target groups by hand;
	// Service names the awsvpc service (a Task) of the ip target groups.
	Instances []string
	Service   string
	// DualStack: ip address type dualstack (genipv6.go, nlbsIPv6).
	DualStack bool `json:",omitempty"`
}

// NLBListener is a listener (TCP, TLS, UDP or TCP_UDP) on Port that
// forwards to a target group of its own (TargetType instance or ip,
// protocol TGProtocol, port TGPort); Preserve is the target group's
// preserve_client_ip.enabled attribute ("" for AWS's default).
type NLBListener struct {
	Port                 int
	Protocol, TGProtocol string
	TargetType, Preserve string
	TGPort               int
	Certificate          bool
	// IPv6: the target group's ip address type is ipv6 (a dualstack
	// load balancer's ip targets, registered by their IPv6 addresses).
	IPv6 bool `json:",omitempty"`
}

// nlbUDPPort is the port the generated services serve UDP on.
const nlbUDPPort = 5353

// nlbs adds, to about two systems in five, a Network Load Balancer in one
// subnet per zone of a VPC, in front of that VPC's instances or of a new
// awsvpc service: TCP, TLS, UDP and TCP_UDP listeners, client IP
// preservation by default, on or off, the groups usually open to the
// clients, the targets' groups often referencing the load balancer's.
// It draws from r, a stream of its own.
func (g *gen) nlbs(r *rand.Rand) {
	if r.Float64() >= 0.4 {
		return
	}
	saved := g.r
	g.r = r
	defer func() { g.r = saved }()
	vpc := pick(g, g.s.VPCs)
	var subs []*Subnet
	for _, sn := range g.s.Subnets {
		if sn.VPC == vpc.Name {
			subs = append(subs, sn)
		}
	}
	if len(subs) == 0 {
		return
	}
	n := &NLB{Name: "nlb0", Internal: vpc.IGW == "" || g.chance(0.3)}
	zones := map[string]bool{}
	for _, sn := range subs {
		if !zones[sn.AZ] && (len(n.Subnets) == 0 || g.chance(0.6)) {
			zones[sn.AZ] = true
			n.Subnets = append(n.Subnets, sn.Name)
		}
	}
	if g.chance(0.8) {
		n.SGs = g.someSGs(vpc.Name)
	}
	var inVPC []*Instance
	for _, in := range g.s.Instances {
		if g.vpcOf(in.Subnet) == vpc {
			inVPC = append(inVPC, in)
		}
	}
	// The listeners first: a service gets a UDP port when one takes UDP.
	type want struct {
		port  int
		proto string
	}
	var ls []want
	if g.chance(0.8) {
		ls = append(ls, want{80, "TCP"})
	}
	if g.chance(0.3) {
		ls = append(ls, want{443, "TLS"})
	}
	if g.chance(0.4) {
		ls = append(ls, want{53, "UDP"})
	}
	if len(ls) == 0 || g.chance(0.3) {
		ls = append(ls, want{5000, "TCP_UDP"})
	}
	udp := slices.ContainsFunc(ls, func(w want) bool { return w.proto == "UDP" || w.proto == "TCP_UDP" })
	targetType := "ip"
	var svc *Task
	if len(inVPC) > 0 && g.chance(0.5) {
		targetType = "instance"
		for _, in := range inVPC {
			if len(n.Instances) == 0 || g.chance(0.7) {
				n.Instances = append(n.Instances, in.Name)
			}
		}
	} else {
		svc = &Task{Name: "s1", Service: true, Desired: 1 + g.intn(2), Mode: "awsvpc", Fargate: true, Public: g.chance(0.85)}
		svc.Subnet = pick(g, subs).Name
		if g.chance(0.9) {
			// Usually where the image can be pulled: a public address in
			// a subnet routed to the internet gateway.
			for _, sn := range subs {
				if g.publicRoute(sn) {
					svc.Subnet, svc.Public = sn.Name, g.chance(0.95)
					break
				}
			}
		}
		svc.SGs = g.someSGs(vpc.Name)
		svc.Ports = []Port{{Container: pick(g, containerPorts), Proto: "tcp"}}
		if udp && g.chance(0.9) {
			svc.Ports = append(svc.Ports, Port{Container: nlbUDPPort, Proto: "udp"})
		}
		if g.chance(0.1) {
			svc.Listen = "127.0.0.1"
		}
		g.s.Tasks = append(g.s.Tasks, svc)
		n.Service = svc.Name
	}
	tcpPort := func() int {
		if svc != nil {
			return svc.Ports[0].Container
		}
		return pick(g, []int{22, 22, 80, 3000, 8080, 9000})
	}
	udpPort := func() int {
		if svc != nil && g.chance(0.9) {
			return nlbUDPPort
		}
		return pick(g, []int{nlbUDPPort, 3000, 8080})
	}
	preserve := func() string { return pick(g, []string{"", "", "true", "false"}) }
	for _, w := range ls {
		l := NLBListener{Port: w.port, Protocol: w.proto, TGProtocol: w.proto, TargetType: targetType}
		switch w.proto {
		case "TCP":
			l.TGPort, l.Preserve = tcpPort(), preserve()
		case "TLS":
			l.TGProtocol, l.TGPort, l.Preserve, l.Certificate = pick(g, []string{"TCP", "TLS"}), tcpPort(), preserve(), true
		default:
			l.TGPort = udpPort()
		}
		n.Listeners = append(n.Listeners, l)
	}
	sgs := map[string]*SG{}
	for _, sg := range g.s.SGs {
		sgs[sg.Name] = sg
	}
	// Usually the load balancer's group lets the clients in.
	if len(n.SGs) > 0 && g.chance(0.85) {
		x := sgs[n.SGs[0]]
		for _, l := range n.Listeners {
			for _, p := range nlbProtos(l.Protocol) {
				x.Ingress = addRule(x.Ingress, Rule{Proto: p, Ports: strconv.Itoa(l.Port), CIDR: pick(g, []string{"0.0.0.0/0", "0.0.0.0/0", vpc.CIDR})})
			}
		}
	}
	// The targets' groups: the load balancer's group (admitted even
	// when the client's address is preserved), the VPC, or everyone.
	var targetSGs []string
	if svc != nil {
		targetSGs = svc.SGs[:1]
	}
	for _, in := range inVPC {
		if slices.Contains(n.Instances, in.Name) && len(in.SGs) > 0 {
			targetSGs = append(targetSGs, in.SGs[0])
		}
	}
	for _, name := range targetSGs {
		if !g.chance(0.85) {
			continue
		}
		x := sgs[name]
		for _, l := range n.Listeners {
			for _, p := range nlbProtos(l.TGProtocol) {
				r := Rule{Proto: p, Ports: strconv.Itoa(l.TGPort)}
				switch k := g.r.Float64(); {
				case k < 0.55 && len(n.SGs) > 0:
					r.Group = pick(g, n.SGs)
				case k < 0.8:
					r.CIDR = vpc.CIDR
				default:
					r.CIDR = "0.0.0.0/0"
				}
				x.Ingress = addRule(x.Ingress, r)
			}
		}
	}
	g.s.NLBs = append(g.s.NLBs, n)
}

// nlbProtos are the transport protocols of an NLB listener or target
// group protocol, as security group rules name them.
func nlbProtos(p string) []string {
	switch p {
	case "UDP":
		return []string{"udp"}
	case "TCP_UDP":
		return []string{"tcp", "udp"}
	}
	return []string{"tcp"}
}

// networkLBs returns the Network Load Balancers that still have a subnet
// and a listener.
func (s *System) networkLBs() []*NLB {
	var out []*NLB
	for _, n := range s.NLBs {
		for _, sn := range s.Subnets {
			if slices.Contains(n.Subnets, sn.Name) && len(n.Listeners) > 0 {
				out = append(out, n)
				break
			}
		}
	}
	return out
}

// nlbTargetGroupsYAML renders the Network Load Balancers' target groups.
func (s *System) nlbTargetGroupsYAML(w func(string, ...any)) {
	for _, n := range s.networkLBs() {
		var vpc string
		for _, sn := range n.Subnets {
			if v := s.vpcOfSubnet(sn); v != "" {
				vpc = v
				break
			}
		}
		for i, l := range n.Listeners {
			w("  %s-l%d-tg:\n    vpc: %s\n    protocol: %s\n    port: %d\n    target_type: %s\n", n.Name, i, vpc, l.TGProtocol, l.TGPort, l.TargetType)
			if l.Preserve != "" {
				w("    attributes: {preserve_client_ip.enabled: %q}\n", l.Preserve)
			}
			if l.IPv6 && s.nlbDualStack(n) {
				w("    ip_address_type: ipv6\n")
			}
			if l.TargetType == "instance" {
				var ts []string
				for _, in := range n.Instances {
					if slices.ContainsFunc(s.Instances, func(x *Instance) bool { return x.Name == in }) {
						ts = append(ts, "{id: "+in+", port: "+strconv.Itoa(l.TGPort)+"}")
					}
				}
				if len(ts) > 0 {
					w("    targets: [%s]\n", strings.Join(ts, ", "))
				}
			}
		}
	}
}

// nlbYAML renders the Network Load Balancers, leaving out the subnets
// and groups the shrinker removed.
func (s *System) nlbYAML(w func(string, ...any)) {
	for _, n := range s.networkLBs() {
		scheme := "internet-facing"
		if n.Internal {
			scheme = "internal"
		}
		subs := slices.DeleteFunc(slices.Clone(n.Subnets), func(x string) bool { return s.vpcOfSubnet(x) == "" })
		w("  %s:\n    type: network\n    scheme: %s\n    subnets: [%s]\n", n.Name, scheme, strings.Join(subs, ", "))
		sgs := slices.DeleteFunc(slices.Clone(n.SGs), func(x string) bool { return !slices.ContainsFunc(s.SGs, func(y *SG) bool { return y.Name == x }) })
		if len(sgs) > 0 {
			w("    security_groups: [%s]\n", strings.Join(sgs, ", "))
		}
		if s.nlbDualStack(n) {
			w("    ip_address_type: dualstack\n")
		}
		w("    listeners:\n")
		for i, l := range n.Listeners {
			w("      - {port: %d, protocol: %s, forward: %s-l%d-tg", l.Port, l.Protocol, n.Name, i)
			if l.Certificate {
				w(", certificate: %s", nlbCertificate)
			}
			w("}\n")
		}
	}
}

// nlbCertificate is the certificate of the generated TLS listeners.
const nlbCertificate = "arn:aws:acm:us-east-1:123456789012:certificate/0e0e0e0e-0000-4000-8000-000000000000"

// nlbServiceLBs returns a service's load_balancers entries for the
// Network Load Balancers' ip target groups.
func (s *System) nlbServiceLBs(t *Task) []string {
	var out []string
	for _, n := range s.networkLBs() {
		if n.Service != t.Name {
			continue
		}
		for i, l := range n.Listeners {
			if l.TargetType != "ip" {
				continue
			}
			for _, p := range t.Ports {
				if p.Container == l.TGPort {
					out = append(out, "{target_group: "+n.Name+"-l"+strconv.Itoa(i)+"-tg, container: app, port: "+strconv.Itoa(l.TGPort)+"}")
					break
				}
			}
		}
	}
	return out
}

// nlbTLSTargets makes the targets of a Network Load Balancer with a TLS
// listener speak TLS in about half the systems that have one, from a
// stream of its own (after tlsTargets): its awsvpc service, or the
// bridge and host tasks of the instances it registers. Its TLS listeners forward to TLS or TCP target
// groups (nlbs), so every pairing comes: TLS to a TLS server, TLS to a
// plain one whose handshake fails (the client reset,
// ECS_NLB_TLS_TARGET_HANDSHAKE; sshd among them), and the decrypted bytes
// in plain to either.
func (g *gen) nlbTLSTargets(r *rand.Rand) {
	for _, n := range g.s.NLBs {
		if !slices.ContainsFunc(n.Listeners, func(l NLBListener) bool { return l.Protocol == "TLS" }) || r.Float64() >= 0.5 {
			continue
		}
		for _, t := range g.s.Tasks {
			switch {
			case n.Service != "" && t.Name == n.Service:
				t.TLS = true
			case n.Service == "" && !t.Fargate && t.Mode != "awsvpc":
				t.TLS = true // the tasks on the instances, as tlsTargets's Classic ones
			}
		}
	}
}
