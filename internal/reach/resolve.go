package reach

import (
	"errors"
	"fmt"
	"github.com/ecsnet/ecsnet/internal/suggest"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// EndpointKind says what an Endpoint is.
type EndpointKind string

// Endpoint kinds.
const (
	KindInternet     EndpointKind = "internet"
	KindAddress      EndpointKind = "address"
	KindENI          EndpointKind = "network-interface"
	KindInstance     EndpointKind = "instance"
	KindTask         EndpointKind = "task"
	KindService      EndpointKind = "service"
	KindLoadBalancer EndpointKind = "load-balancer"
)

// DefaultInternetClient returns the internet client's address when a
// probe says "internet" without one: 198.51.100.7 (TEST-NET-2, RFC 5737).
func DefaultInternetClient() netip.Addr { return netip.AddrFrom4([4]byte{198, 51, 100, 7}) }

// DefaultInternetClientV6 returns the internet client's IPv6 address
// when an IPv6 probe says "internet" without one: 2001:db8::7 (the
// documentation prefix, RFC 3849).
func DefaultInternetClientV6() netip.Addr { return netip.MustParseAddr("2001:db8::7") }

// DefaultClientPort is the client's source port when a query names none:
// 49152 is inside every ephemeral range AWS documents (Linux 32768-61000,
// Windows 49152-65535, ELB and NAT gateways 1024-65535; reference §8).
const DefaultClientPort = 49152

// Endpoint is a resolved probe source or destination.
type Endpoint struct {
	Kind EndpointKind `json:"kind"`
	// Spec is what the user wrote.
	Spec string `json:"spec"`
	Name string `json:"name,omitempty"`
	ID   string `json:"id,omitempty"`
	ARN  string `json:"arn,omitempty"`
	// Address is the address given (an IP endpoint, "internet:ADDR").
	Address netip.Addr `json:"address,omitzero"`
	// Port is the port the spec gave ("web/0:3000"), or 0.
	Port uint16 `json:"port,omitempty"`

	eni      *eniNode
	instance *instanceNode
	task     *taskNode
	service  *serviceNode
	lb       *lbNode
	// service is the AWS service or registry of an outside destination.
	svcName string
	// s3Region is, for a bucket's virtual-hosted name on S3's legacy
	// global endpoint (BUCKET.s3.amazonaws.com), the Region whose S3
	// addresses its DNS answers with (globalBucketRegion).
	s3Region string
	// dns is the Cloud Map name the endpoint was resolved from.
	dns *cloudMapName
	// addressLookup: the Cloud Map name was given with a port, so the
	// client looks up its address (A or AAAA), as curl, browsers and most
	// clients do; without a port it looks up its SRV record (address and
	// port) [choice].
	addressLookup bool
	// ec2name: the endpoint was given by the public DNS name of a public
	// address (its lookup), resolved from the source (ec2dns.go).
	ec2name bool
	// scn is the Service Connect endpoint name it was resolved from.
	scn *serviceConnectName
	// host is the ECS Express Mode endpoint name a load balancer was
	// named by: the request's Host header unless the query gives one.
	host string
	// r53name is the name of a dns-name endpoint (route53.go).
	r53name string
	// elbMiss: a dns-name endpoint given by an Elastic Load Balancing
	// DNS name of the Region that no load balancer has (elbnames.go).
	elbMiss bool
	// lookup is the DNS name the endpoint was given by, which the client
	// looks up (a load balancer's DNS name, a Cloud Map, Route 53, ECS
	// Express Mode, AWS service or internet host name); "" when it was
	// given by an id, a resource name or an address.
	lookup string
}

// named is an entry of the name index.
type named struct {
	eni      *eniNode
	instance *instanceNode
	task     *taskNode
	service  *serviceNode
	lb       *lbNode
	dns      *cloudMapName
	scn      *serviceConnectName
	// host: an ECS Express Mode endpoint (lb is its load balancer).
	host string
}

// cloudMapName is a Cloud Map DNS name: <service>.<namespace>, resolvable
// only inside the namespace's VPC.
type cloudMapName struct {
	fqdn string
	ns   *model.Namespace
	ds   *model.DiscoveryService
	reg  model.ServiceRegistry
}

// serviceConnectName is a Service Connect endpoint name (a client
// alias's dnsName, discoveryName.namespace or the short discoveryName):
// only the Service Connect proxy of a task whose service has Service
// Connect enabled in the namespace answers it ("These applications can
// connect through the Service Connect proxy but can't resolve Service
// Connect endpoint names", ECS developer guide, "Service Connect
// concepts"). The proxy sends the connection to a server task at its
// container port, or at ingressPortOverride where its own proxy listens.
type serviceConnectName struct {
	name   string
	ns     *model.Namespace
	server *serviceNode
	sc     model.ServiceConnectService
	// ports are the ports the name answers at (the client aliases'; the
	// container port when the endpoint has no alias); target is the
	// server task's port the connection goes to.
	ports  []uint16
	target uint16
	// aliases is set on a discovery name that is no endpoint name (the
	// endpoint has client aliases of other names): the Cloud Map service
	// name, which no task resolves; aliases are the endpoint's names and
	// ports the clients use instead.
	aliases []model.ServiceConnectEndpoint
}

func (x named) kind() string {
	switch {
	case x.instance != nil:
		return "instance"
	case x.task != nil:
		return "task"
	case x.service != nil:
		return "service"
	case x.lb != nil:
		return "load balancer"
	}
	return "ENI"
}

func (x named) same(y named) bool {
	return x.eni == y.eni && x.instance == y.instance && x.task == y.task && x.service == y.service && x.lb == y.lb && x.dns == y.dns && x.scn == y.scn && x.host == y.host
}

func (n *Network) addName(name string, x named) {
	if name == "" {
		return
	}
	ys := n.names[name]
	for _, y := range ys {
		if y.same(x) {
			return
		}
	}
	n.names[name] = append(ys, x)
}

func (n *Network) indexNames() {
	if len(n.names) == 0 {
		// Sized for what follows (about two names per ENI and three per
		// instance and task), so that it does not grow step by step.
		n.names = make(map[string][]named, 2*len(n.eniOrder)+3*len(n.instanceOrder)+3*len(n.taskOrder))
	}
	for _, e := range n.eniOrder {
		n.addName(string(e.eni.ID), named{eni: e})
		n.addName(e.eni.Tags.Name(), named{eni: e})
	}
	// NAT gateways and interface endpoints resolve to their (first) ENI.
	for _, ng := range sortedMap(n.nats) {
		if ng.eni != nil {
			n.addName(string(ng.ng.ID), named{eni: ng.eni})
			n.addName(ng.ng.Tags.Name(), named{eni: ng.eni})
		}
	}
	for _, ep := range sortedMap(n.endpoints) {
		if len(ep.ep.NetworkInterfaces) > 0 {
			if e := n.enis[ep.ep.NetworkInterfaces[0]]; e != nil {
				n.addName(string(ep.ep.ID), named{eni: e})
				n.addName(ep.ep.Tags.Name(), named{eni: e})
			}
		}
	}
	for _, i := range n.instanceOrder {
		x := named{instance: i}
		n.addName(i.name, x)
		n.addName(string(i.inst.ID), x)
		n.addName(i.comp.ARN, x)
	}
	for _, t := range n.taskOrder {
		x := named{task: t}
		n.addName(t.name, x)
		n.addName(t.comp.ID, x)
		n.addName(t.tk.ARN, x)
	}
	for _, s := range n.serviceOrder {
		x := named{service: s}
		n.addName(s.svc.Name, x)
		n.addName(s.svc.ARN, x)
		if i := strings.LastIndex(s.svc.ClusterARN, "/"); i >= 0 {
			n.addName(s.svc.ClusterARN[i+1:]+"/"+s.svc.Name, x)
		}
	}
	// Cloud Map names resolve to the tasks of the ECS services that
	// register with them.
	for _, ds := range sortedMap(n.st.DiscoveryServices) {
		ns := n.st.Namespaces[ds.NamespaceID]
		if ns == nil || ns.Type == model.NamespaceHTTP || ds.Type == "HTTP" {
			continue // API-only discovery: no DNS name
		}
		for _, sv := range n.serviceOrder {
			for _, reg := range sv.svc.ServiceRegistries {
				if reg.RegistryARN == ds.ARN {
					d := &cloudMapName{fqdn: ds.Name + "." + ns.Name, ns: ns, ds: ds, reg: reg}
					n.addName(d.fqdn, named{service: sv, dns: d})
				}
			}
		}
	}
	for _, lb := range n.lbOrder {
		x := named{lb: lb}
		n.addName(lb.lb.Name, x)
		n.addName(lb.lb.DNSName, x)
		n.addName(strings.ToLower(lb.lb.DNSName), x)
		if lb.lb.DNSName != "" {
			// The name with the dualstack prefix answers as the name
			// itself: A records, and AAAA records for a dualstack load
			// balancer (AWS re:Post, "elb-configure-with-ipv6").
			n.addName("dualstack."+strings.ToLower(lb.lb.DNSName), x)
		}
		n.addName(lb.lb.ARN, x)
	}
	// An ECS Express Mode endpoint (NAME.ecs.REGION.on.aws, a name AWS
	// points at the service's load balancer) resolves to the load
	// balancer whose listener rule matches it as a host header, and a
	// request by that name carries it as its Host. The rule is what a
	// snapshot has of the endpoint too (DescribeRules).
	for _, lb := range n.lbOrder {
		for _, l := range lb.listeners {
			for _, r := range l.rules {
				for _, c := range r.Conditions {
					if c.Field != "host-header" {
						continue
					}
					for _, v := range c.Values {
						if h := strings.ToLower(v); strings.HasSuffix(h, ".on.aws") && !strings.ContainsAny(h, "*?") {
							n.addName(h, named{lb: lb, host: h})
						}
					}
				}
			}
		}
	}
	n.indexServiceConnect()
	n.indexHTTPDiscoveryNames()
}

// indexHTTPDiscoveryNames names the Cloud Map services of HTTP namespaces
// (and HTTP services) that ECS services register with, as
// SERVICE.NAMESPACE: no DNS answers them (a query of one is NXDOMAIN with
// its reason), but a client that writes the name is a story to explain.
// A name that already names something (a Service Connect endpoint) keeps
// naming it.
func (n *Network) indexHTTPDiscoveryNames() {
	for _, ds := range sortedMap(n.st.DiscoveryServices) {
		ns := n.st.Namespaces[ds.NamespaceID]
		if ns == nil || ns.Type != model.NamespaceHTTP && ds.Type != "HTTP" {
			continue
		}
		fqdn := strings.ToLower(ds.Name + "." + ns.Name)
		if len(n.names[fqdn]) > 0 {
			continue
		}
		for _, sv := range n.serviceOrder {
			for _, reg := range sv.svc.ServiceRegistries {
				if reg.RegistryARN == ds.ARN {
					n.addName(fqdn, named{service: sv, dns: &cloudMapName{fqdn: fqdn, ns: ns, ds: ds, reg: reg}})
				}
			}
		}
	}
}

// indexServiceConnect names the Service Connect endpoints of the
// services with Service Connect enabled. A name that already names a
// resource (a short discovery name equal to a service's name) keeps
// naming it: write discoveryName.namespace or the client alias [choice].
func (n *Network) indexServiceConnect() {
	var taken map[string]bool // the names before Service Connect's, made at the first such service
	for _, sv := range n.serviceOrder {
		cfg := sv.svc.ServiceConnectConfig
		if !sv.svc.ServiceConnect || cfg == nil || !cfg.Enabled || sv.svc.Status == "INACTIVE" {
			continue
		}
		ns := n.st.Namespaces[cfg.NamespaceID]
		if ns == nil {
			continue
		}
		td := n.st.TaskDefinitions[sv.svc.TaskDefinitionARN]
		for _, sc := range cfg.Services {
			_, pm, ok := model.ServiceConnectPort(td, sc.PortName)
			if !ok {
				continue
			}
			if taken == nil {
				taken = make(map[string]bool, len(n.names))
				for k := range n.names {
					taken[k] = true
				}
			}
			target := pm.ContainerPort
			if sc.IngressPortOverride != 0 {
				target = sc.IngressPortOverride
			}
			byName := map[string]*serviceConnectName{}
			var order []string
			for _, ep := range model.ServiceConnectEndpoints(sc, ns.Name, pm.ContainerPort) {
				d := byName[ep.DNSName]
				if d == nil {
					d = &serviceConnectName{name: ep.DNSName, ns: ns, server: sv, sc: sc, target: target}
					byName[ep.DNSName] = d
					order = append(order, ep.DNSName)
				}
				d.ports = append(d.ports, ep.Port)
			}
			for _, name := range order {
				if !taken[name] {
					n.addName(name, named{service: sv, scn: byName[name]})
				}
			}
			if len(sc.ClientAliases) == 0 {
				continue
			}
			// The discovery name is the Cloud Map service's name, not an
			// endpoint: indexed to say so when a client asks it.
			aliases := model.ServiceConnectEndpoints(sc, ns.Name, pm.ContainerPort)
			discovery := model.ServiceConnectDiscoveryName(sc)
			for _, name := range []string{discovery, discovery + "." + ns.Name} {
				if byName[name] != nil || taken[name] {
					continue
				}
				d := &serviceConnectName{name: name, ns: ns, server: sv, sc: sc, target: target, aliases: aliases}
				for _, a := range aliases {
					d.ports = append(d.ports, a.Port)
				}
				byName[name] = d
				n.addName(name, named{service: sv, scn: d})
			}
		}
	}
}

// Resolve turns a probe endpoint spec into an Endpoint. Specs:
//
//	internet                  an internet client (198.51.100.7)
//	internet:198.51.100.7     an internet client with that address
//	203.0.113.2               an address (private or public)
//	2600:1f18::5, [2600:1f18::5]:3000
//	                          an IPv6 address (a probe over IPv6)
//	internet:2001:db8::9      an internet client with that IPv6 address
//	eni-0a1b…                 an ENI
//	i-0a1b…, ecs-asg/0        an instance, by id, ARN, Name tag or <asg>/<n>
//	web/0, <task id>, <ARN>   a task, by id, ARN or <service>/<n>
//	web                       a service: its first running task
//	web-alb, <DNS name>       a load balancer, by name, DNS name or ARN
//	nat-…, vpce-…             a NAT gateway's or interface endpoint's ENI
//	api.example.com           a name under a Route 53 hosted zone: a dns-name
//	                          endpoint NewQuery resolves from the source
//
// Any spec may end with ":<port>", and may start with a kind to settle an
// ambiguous name ("instance:web", "service:web", "task:", "lb:", "eni:",
// "ip:").
func Resolve(n *Network, spec string) (Endpoint, error) {
	s := strings.TrimSpace(spec)
	ep := Endpoint{Spec: spec}
	if s == "" {
		return ep, errors.New("empty endpoint")
	}
	if err := badEndpointSyntax(s); err != nil {
		return ep, err
	}
	if x, ok, err := n.resolveIPv6(s, ep); ok || err != nil {
		return x, err
	}
	if i := strings.LastIndexByte(s, ':'); i > 0 && i < len(s)-1 && allDigits(s[i+1:]) {
		p, err := strconv.Atoi(s[i+1:])
		if err != nil || p < 0 || p > 65535 {
			return ep, fmt.Errorf("port %q is not between 0 and 65535", s[i+1:])
		}
		ep.Port = uint16(p)
		s = s[:i]
	}
	kind := ""
	if k, rest, ok := strings.Cut(s, ":"); ok && !strings.HasPrefix(s, "arn:") {
		switch k {
		case "internet", "ip", "eni", "instance", "task", "service", "lb", "load-balancer":
			kind, s = k, rest
		}
	}
	if s == "internet" || kind == "internet" {
		ep.Kind, ep.Name, ep.Address = KindInternet, "internet", DefaultInternetClient()
		if kind == "internet" {
			a, err := netip.ParseAddr(s)
			if err != nil || !a.Is4() {
				return ep, fmt.Errorf("internet:%s: want an IPv4 address", s)
			}
			if !isPublic(a) {
				return ep, fmt.Errorf("internet:%s: %s is not a public address", s, a)
			}
			ep.Address = a
		}
		return ep, nil
	}
	if kind == "" || kind == "ip" {
		if x, ok := imdsEndpoint(s, ep); ok {
			return x, nil
		}
		if x, ok := taskMetadataEndpoint(s, ep); ok {
			return x, nil
		}
		if x, ok := loopbackEndpoint(s, ep); ok { // loopback.go
			return x, nil
		}
	}
	if a, err := netip.ParseAddr(s); err == nil && (kind == "" || kind == "ip") {
		if !a.Is4() {
			return ep, fmt.Errorf("%s: not an IPv4 address; write an IPv6 address as [ADDR]:PORT or ADDR", s)
		}
		return n.addressEndpoint(ep, a), nil
	} else if kind == "ip" {
		return ep, fmt.Errorf("%q is not an IPv4 address", s)
	}
	cands := n.names[s]
	if kind != "" {
		var keep []named
		for _, c := range cands {
			ck := c.kind()
			if (kind == "lb" || kind == "load-balancer") && ck == "load balancer" || kind == "eni" && ck == "ENI" || kind == ck {
				keep = append(keep, c)
			}
		}
		cands = keep
	}
	switch len(cands) {
	case 0:
		if kind == "" {
			if x, ok := n.ec2PublicName(s, ep); ok {
				return x, nil
			}
			if x, ok := n.route53Name(s, ep); ok {
				x.lookup = x.r53name
				return x, nil
			}
			if x, ok := n.unknownELBName(s, ep); ok {
				return x, nil
			}
			if x, ok := n.resolveOutside(s, ep); ok {
				x.lookup = strings.ToLower(s)
				return x, nil
			}
		}
		return ep, n.unknownName(s)
	case 1:
	default:
		if t := onlyRunningTask(cands); t != nil {
			cands = []named{*t}
			break
		}
		var kinds []string
		for _, c := range cands {
			kinds = append(kinds, c.kind())
		}
		return ep, fmt.Errorf("%q names more than one resource (%s); prefix it with instance:, task:, service:, lb: or eni:", s, strings.Join(kinds, ", "))
	}
	c := cands[0]
	switch {
	case c.instance != nil:
		ep.Kind, ep.instance, ep.eni = KindInstance, c.instance, c.instance.primary
		ep.Name, ep.ID, ep.ARN = c.instance.name, string(c.instance.inst.ID), c.instance.comp.ARN
	case c.task != nil:
		ep.Kind, ep.task = KindTask, c.task
		ep.Name, ep.ID, ep.ARN = c.task.name, c.task.comp.ID, c.task.tk.ARN
	case c.service != nil && c.scn != nil:
		d := c.scn
		t, why := n.runningTask(c.service)
		if t == nil {
			return ep, fmt.Errorf("the Service Connect endpoint %s has no task to send to: %s", d.name, why)
		}
		if ep.Port == 0 {
			ep.Port = d.ports[0]
		} else if d.aliases == nil && !slices.Contains(d.ports, ep.Port) {
			ps := make([]string, len(d.ports))
			for i, p := range d.ports {
				ps[i] = strconv.Itoa(int(p))
			}
			return ep, fmt.Errorf("the Service Connect endpoint %s listens on port %s (its client alias), not %d", d.name, strings.Join(ps, ", "), ep.Port)
		}
		ep.Kind, ep.service, ep.task, ep.scn = KindService, c.service, t, d
		ep.Name, ep.ID, ep.ARN = d.name, c.service.svc.Name, c.service.svc.ARN
	case c.service != nil && c.dns != nil:
		// With no running task the service has no Cloud Map instance and
		// its name no record: the lookup fails, a verdict (completeQuery).
		t, _ := n.runningTask(c.service)
		ep.Kind, ep.service, ep.task, ep.dns, ep.lookup = KindService, c.service, t, c.dns, c.dns.fqdn
		ep.Name, ep.ID, ep.ARN = c.dns.fqdn, c.service.svc.Name, c.service.svc.ARN
		ep.addressLookup = ep.Port != 0
		if ep.Port == 0 {
			if c.dns.reg.Port != 0 {
				ep.Port = c.dns.reg.Port
			} else if c.dns.reg.ContainerPort != 0 {
				ep.Port = c.dns.reg.ContainerPort
			} else if t == nil {
				// No task to read a port from: the first port its task
				// definition maps (the lookup fails before any is used).
				ep.Port = n.firstMappedPort(c.service.svc)
			}
		}
	case c.service != nil:
		t := c.service.firstTask()
		if t == nil {
			if x := n.whyNoTasks(c.service); x != nil {
				return ep, fmt.Errorf("service %s has no tasks: %s", c.service.svc.Name, x.Sentence())
			}
			return ep, fmt.Errorf("service %s has no tasks", c.service.svc.Name)
		}
		ep.Kind, ep.service, ep.task = KindService, c.service, t
		ep.Name, ep.ID, ep.ARN = c.service.svc.Name, c.service.svc.Name, c.service.svc.ARN
	case c.lb != nil:
		ep.Kind, ep.lb, ep.host = KindLoadBalancer, c.lb, c.host
		ep.Name, ep.ID, ep.ARN = c.lb.lb.Name, c.lb.lb.Name, c.lb.lb.ARN
		if c.host != "" || strings.EqualFold(strings.TrimPrefix(strings.ToLower(s), "dualstack."), c.lb.lb.DNSName) {
			ep.lookup = strings.ToLower(s)
		}
	default:
		ep.Kind, ep.eni = KindENI, c.eni
		ep.Name, ep.ID, ep.ARN = c.eni.comp.Label(), string(c.eni.eni.ID), c.eni.comp.ARN
	}
	if ep.task != nil {
		ep.eni = ep.task.addressENI()
	}
	return ep, nil
}

// firstMappedPort is the first container port the service's task
// definitions map over TCP (0 when none does).
func (n *Network) firstMappedPort(s *model.Service) uint16 {
	for _, td := range n.runTaskDefinitions(s) {
		for _, c := range td.Containers {
			for _, pm := range c.PortMappings {
				if pm.Protocol != model.UDP && pm.ContainerPort != 0 {
					return pm.ContainerPort
				}
			}
		}
	}
	return 0
}

// onlyRunningTask: a name shared only by tasks, exactly one of them
// RUNNING, names that one. A one-off task run again under the same name
// (its Name tag) while the stopped one is still listed, as ECS lists
// stopped tasks for a while, means the running one [choice].
func onlyRunningTask(cands []named) *named {
	var run *named
	for i := range cands {
		c := &cands[i]
		if c.task == nil || c.instance != nil || c.service != nil || c.lb != nil {
			return nil
		}
		if c.task.tk.LastStatus == model.TaskRunning {
			if run != nil {
				return nil
			}
			run = c
		}
	}
	return run
}

// addressEndpoint resolves an address: the ENI holding it as a public,
// private or IPv6 address, if any.
func (n *Network) addressEndpoint(ep Endpoint, a netip.Addr) Endpoint {
	ep.Kind, ep.Address, ep.Name = KindAddress, a, a.String()
	if r, ok := n.byPublic[a]; ok {
		ep.eni = r.eni
	} else {
		for _, e := range n.eniOrder {
			if e.eni.HasAddr(a) {
				ep.eni = e
				break
			}
		}
	}
	if ep.eni != nil {
		ep.ID = string(ep.eni.eni.ID)
	}
	return ep
}

// resolveIPv6 reads an IPv6 endpoint: "[2600:1f18::1]:3000",
// "[2600:1f18::1]", "2600:1f18::1", each optionally after "ip:" or
// "internet:" (an internet client at that address). ok is false when s
// is no IPv6 literal.
func (n *Network) resolveIPv6(s string, ep Endpoint) (Endpoint, bool, error) {
	kind := ""
	for _, k := range []string{"ip:", "internet:"} {
		if rest, found := strings.CutPrefix(s, k); found && (strings.HasPrefix(rest, "[") || strings.Count(rest, ":") >= 2) {
			kind, s = k, rest
		}
	}
	host := s
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return ep, false, fmt.Errorf("%q: missing ']' after the IPv6 address", ep.Spec)
		}
		host = s[1:end]
		if rest := s[end+1:]; rest != "" {
			port, ok := strings.CutPrefix(rest, ":")
			if !ok || !allDigits(port) {
				return ep, false, fmt.Errorf("%q: want [IPv6]:PORT", ep.Spec)
			}
			p, err := strconv.Atoi(port)
			if err != nil || p > 65535 {
				return ep, false, fmt.Errorf("port %q is not between 0 and 65535", port)
			}
			ep.Port = uint16(p)
		}
	} else if strings.Count(s, ":") < 2 || strings.HasPrefix(s, "arn:") {
		return ep, false, nil
	}
	a, err := netip.ParseAddr(host)
	if err != nil || !a.Is6() || a.Is4In6() || a.Zone() != "" {
		if strings.HasPrefix(s, "[") || kind != "" {
			return ep, false, fmt.Errorf("%q is not an IPv6 address", host)
		}
		return ep, false, nil
	}
	if kind == "internet:" {
		if !isPublic(a) {
			return ep, false, fmt.Errorf("internet:%s: %s is not a global unicast address", host, a)
		}
		ep.Kind, ep.Name, ep.Address = KindInternet, "internet", a
		return ep, true, nil
	}
	return n.addressEndpoint(ep, a), true, nil
}

// firstTask returns the service's first RUNNING task (by name order),
// else its first active task, else its first task. Of a service of task
// sets, a RUNNING task of its primary task set comes first: the task set
// the production listener serves (servicerun.go).
func (s *serviceNode) firstTask() *taskNode {
	if runs := serviceRuns(s.svc); runs[0].set != nil && runs[0].set.Status == "PRIMARY" {
		for _, t := range s.tasks {
			if t.running && runs[0].owns(t.tk) {
				return t
			}
		}
	}
	for _, t := range s.tasks {
		if t.running {
			return t
		}
	}
	for _, t := range s.tasks {
		if t.tk.Active() {
			return t
		}
	}
	if len(s.tasks) > 0 {
		return s.tasks[0]
	}
	return nil
}

// addressENI returns the ENI whose address reaches the task: its own
// (awsvpc), else its instance's primary ENI (bridge, host).
func (t *taskNode) addressENI() *eniNode {
	if t.eni != nil {
		return t.eni
	}
	if t.tk.NetworkMode != model.NetworkModeAwsvpc && t.tk.NetworkMode != model.NetworkModeNone && t.instance != nil {
		return t.instance.primary
	}
	return nil
}

func (n *Network) unknownName(s string) error {
	var known []string
	for _, i := range n.instanceOrder {
		known = append(known, i.name)
	}
	for _, t := range n.taskOrder {
		if t.tk.Active() {
			known = append(known, t.name)
		}
	}
	for _, sv := range n.serviceOrder {
		known = append(known, sv.svc.Name)
	}
	for _, lb := range n.lbOrder {
		known = append(known, lb.lb.Name)
	}
	slices.Sort(known)
	known = slices.Compact(known)
	const most = 20
	list := strings.Join(known, ", ")
	if len(known) > most {
		list = strings.Join(known[:most], ", ") + ", … (" + strconv.Itoa(len(known)-most) + " more)"
	}
	if list == "" {
		list = "nothing"
	}
	// "internet" is a name too, for --from (internt → internet).
	return fmt.Errorf("no instance, task, service, load balancer or ENI is named %q%s; known: %s", s, closest(s, append(known, "internet")), list)
}

// closest suggests the known name nearest to s, as ` (did you mean
// "x"?)`, or "".
func closest(s string, known []string) string {
	if best, ok := suggest.Closest(s, known); ok {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// badEndpointSyntax catches what people type that is no endpoint: a URL,
// or an address or name whose port is not a number.
func badEndpointSyntax(s string) error {
	if scheme, rest, ok := strings.Cut(s, "://"); ok {
		return fmt.Errorf("%q is a URL: give HOST:PORT (e.g. %s), and the HTTP path with --path", s, hostPortOf(scheme, rest))
	}
	if strings.HasPrefix(s, "[") || strings.Count(s, ":") > 1 && !strings.HasPrefix(s, "arn:") && !strings.Contains(s, ".") {
		return nil // an IPv6 literal, or a form Resolve reads on
	}
	i := strings.LastIndexByte(s, ':')
	if i <= 0 || strings.HasPrefix(s, "arn:") {
		return nil
	}
	head, port := s[:i], s[i+1:]
	switch head {
	case "internet", "ip", "eni", "instance", "task", "service", "lb", "load-balancer":
		return nil // a kind prefix, not a port
	}
	if port == "" {
		return fmt.Errorf("%q: the port after ':' is missing", s)
	}
	if !allDigits(port) {
		if len(port) > 5 && strings.Trim(port, "0123456789") == "" {
			return fmt.Errorf("%q: port %s is not between 0 and 65535", s, port)
		}
		return fmt.Errorf("%q: port %q is not a number", s, port)
	}
	return nil
}

// hostPortOf rewrites a URL's host as HOST:PORT, with the scheme's port.
func hostPortOf(scheme, rest string) string {
	host, _, _ := strings.Cut(rest, "/")
	if strings.Contains(host, ":") {
		return host
	}
	switch strings.ToLower(scheme) {
	case "https":
		return host + ":443"
	}
	return host + ":80"
}

func allDigits(s string) bool {
	if len(s) == 0 || len(s) > 5 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// globalUnicast is IPv6's global unicast space (RFC 4291 §2.4): what a
// VPC's Amazon-provided blocks and the internet use.
var globalUnicast = netip.MustParsePrefix("2000::/3")

// isPublic reports whether a is publicly routable: not private (RFC
// 1918), shared (RFC 6598), loopback, link-local, multicast or reserved;
// for IPv6, a global unicast address (2000::/3; the documentation range
// 2001:db8::/32 counts, so that examples can use it as RFC 5737's
// ranges are used for IPv4).
func isPublic(a netip.Addr) bool {
	if a.Is6() && !a.Is4In6() {
		return globalUnicast.Contains(a)
	}
	if !a.Is4() || a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsMulticast() || a.IsUnspecified() {
		return false
	}
	b := a.As4()
	switch {
	case b[0] == 100 && b[1]&0xc0 == 64: // 100.64.0.0/10
		return false
	case b[0] == 0 || b[0] >= 240:
		return false
	}
	return true
}

// Query is one probe: a packet from From to To.
type Query struct {
	From Endpoint
	To   Endpoint
	// Protocol is TCP, UDP or ICMP (TCP when zero). ICMP probes with an
	// echo request (a ping; over IPv6, an ICMPv6 echo request) and has no
	// port.
	Protocol model.Protocol
	// Port is the destination port; 0 means To.Port, else the
	// destination's natural port (a task's first container port, a load
	// balancer's first listener).
	Port uint16
	// ClientPort is the client's source port (DefaultClientPort when 0):
	// the port replies go back to, which stateless network ACLs check.
	ClientPort uint16
	// HTTPPath and HTTPHost describe the request for ALB listener rules
	// ("/" and the load balancer's DNS name by default).
	HTTPPath string
	HTTPHost string
	// IPv6 walks the probe over IPv6: the source's and destination's
	// IPv6 addresses, the internet client 2001:db8::7. An IPv6 address
	// at either end implies it.
	IPv6 bool
	// HTTPVersion is the request's protocol through an ALB (HTTP/1.1 when
	// zero). An HTTP listener takes HTTP/1.1 only; a target group's
	// protocol version decides the rest (464). A byte beside IPv6: the
	// query stays in its allocation size class.
	HTTPVersion HTTPVersion
	// PlainHTTP: the client speaks plain HTTP whatever the listener's
	// protocol (an http:// URL to an HTTPS listener's port, which answers
	// 400); else it speaks TLS to HTTPS listeners.
	PlainHTTP bool // beside HTTPVersion, in its padding
	// HTTPMethod ("GET" by default) and HTTPHeaders complete the request
	// (http-request-method and http-header conditions); a query string
	// may follow the path ("/search?q=1").
	HTTPMethod  string
	HTTPHeaders map[string]string
	// nx: To is a Cloud Map name that does not resolve from the source's
	// VPC (nxVPC; "" for the internet): the verdict is NXDomain.
	nx    bool
	nxVPC model.VpcID
	// nxDNSAttr: the namespace's zone is associated with nxVPC, but that
	// VPC's enableDnsSupport or enableDnsHostnames is false, so the
	// Resolver does not answer from the private hosted zone.
	nxDNSAttr bool
	// nxCustomDNS: the VPC's DHCP options give DNS servers of its own
	// that do not forward the private hosted zone to the Resolver.
	nxCustomDNS bool
	// nxSRVOnly: the name has SRV records only and the client looks up
	// its address (the name was given with a port).
	nxSRVOnly bool
	// nxHTTP: the name is a Cloud Map service's in an HTTP namespace
	// (API-only discovery): no DNS record exists.
	nxHTTP bool
	// nxNoInstance: the name is a Cloud Map service's with no instance
	// (no task of the ECS service runs): Cloud Map holds no record of it.
	nxNoInstance bool
	// nxDNSOff: To was given by a DNS name, and the source's VPC has DNS
	// resolution off with the Amazon-provided DNS server: no name
	// resolves. resolverSilent says that server does not answer at all,
	// whichever explanation the query gives.
	nxDNSOff       bool
	resolverSilent bool
	// nxName is the name the client looks up ("" for a destination given
	// by address): it asks its VPC's DNS servers first (nxDNSOff: they do
	// not answer).
	nxName string
	// scMiss: To is a Service Connect endpoint name the source cannot
	// resolve (nx is set too): scWhy says why, scClient is the source's
	// service when it is a task of one. scPort is the server task's port a
	// resolved Service Connect name sends to.
	scMiss bool
	scWhy  string
	// scDiscovery: To is the discovery name (the Cloud Map service's
	// name) of a Service Connect endpoint whose client aliases name it
	// otherwise: no task resolves it (nx is set too; scWhy says also why
	// the source could not resolve the aliases, when it could not).
	scDiscovery bool
	scClient    *model.Service
	scPort      uint16
	// r53w: a lookup of To meets a weighted record set (nil otherwise,
	// so that the common query stays small).
	r53w *r53Weighted
	// tgPick: the target group (ARN) of a weighted ALB forward action
	// this probe sends the request to (weightedforward.go); "" for the
	// heaviest.
	tgPick string
	// r53: To is a Route 53 name that does not resolve from the source
	// (nx is set too); r53chain are the records a lookup followed,
	// r53note says what the name resolved to (route53.go).
	r53      *r53Miss
	r53chain []string
	r53note  string
	// r53cnames are the CNAME targets the lookup followed.
	r53cnames []string
	// r53private: the name answered the internet with a private address.
	r53private bool
	// r53zone and r53rec are the hosted zone and record whose alias or
	// CNAME named the load balancer the name resolved to.
	r53zone *model.HostedZone
	r53rec  *model.RecordSet
	// pcxDNS: To is an instance's public DNS name that resolved to its
	// public address for want of a peering connection's DNS resolution
	// (ec2dns.go); nil otherwise, so that the common query stays small.
	pcxDNS *pcxDNSMiss
}

// ServiceConnectMiss reports whether the query's destination is a
// Service Connect endpoint name that does not resolve from the source,
// the source's ECS service (nil for a standalone task or anything that
// is not a task) and the endpoint's namespace.
func (q *Query) ServiceConnectMiss() (*model.Service, *model.Namespace, bool) {
	if !q.scMiss || q.To.scn == nil {
		return nil, nil, false
	}
	return q.scClient, q.To.scn.ns, true
}

// Unresolved reports whether the query's destination is a Cloud Map name
// that does not resolve from the source's VPC (NXDomain), and that VPC
// ("" for the internet).
func (q *Query) Unresolved() (model.VpcID, bool) { return q.nxVPC, q.nx }

// UnresolvedDNSAttributes reports whether the query's destination is a
// Cloud Map private DNS name that does not resolve from the source's VPC
// because that VPC's enableDnsSupport or enableDnsHostnames is false
// (the namespace's hosted zone is associated with it), and that VPC.
func (q *Query) UnresolvedDNSAttributes() (model.VpcID, bool) {
	return q.nxVPC, q.nx && q.nxDNSAttr
}

// UnresolvedCustomDNS reports whether the query's destination is a Cloud
// Map private DNS name that does not resolve from the source's VPC
// because that VPC's DHCP options give DNS servers that do not forward
// to the Route 53 Resolver, and that VPC.
func (q *Query) UnresolvedCustomDNS() (model.VpcID, bool) {
	return q.nxVPC, q.nx && q.nxCustomDNS
}

// ResolverSilent reports whether the query's destination was given by a
// DNS name and the source's VPC has DNS resolution off (enableDnsSupport
// false) with the Amazon-provided DNS server, which then answers nothing:
// the client's lookup times out. It also returns that VPC.
func (q *Query) ResolverSilent() (model.VpcID, bool) {
	return q.nxVPC, q.nx && q.resolverSilent
}

// UnresolvedVPCDNSOff reports whether the query's destination does not
// resolve because of ResolverSilent alone (no private hosted zone or Cloud
// Map namespace explains it first), and that VPC.
func (q *Query) UnresolvedVPCDNSOff() (model.VpcID, bool) {
	return q.nxVPC, q.nx && q.nxDNSOff
}

// SRVOnly reports whether the query's destination is a Cloud Map name
// with SRV records only that the client looks up as an address (the name
// was given with a port), and the name.
func (q *Query) SRVOnly() (string, bool) {
	if !q.nx || !q.nxSRVOnly || q.To.dns == nil {
		return "", false
	}
	return q.To.dns.fqdn, true
}

// HTTPDiscovery reports whether the query's destination is the name of a
// Cloud Map service that only the API discovers (an HTTP namespace's), its
// namespace and service names, and what DiscoverInstances returns as
// probe destinations (each registered task as TASK:PORT, the query's
// port).
func (q *Query) HTTPDiscovery() (namespace, service string, instances []string, ok bool) {
	if !q.nx || !q.nxHTTP || q.To.dns == nil {
		return "", "", nil, false
	}
	port, err := q.port()
	if err != nil {
		return "", "", nil, false
	}
	if sv := q.To.service; sv != nil {
		for _, t := range sv.tasks {
			if t.addressENI() != nil { // registered while it has an address
				instances = append(instances, t.name+":"+strconv.Itoa(int(port)))
			}
		}
	}
	return q.To.dns.ns.Name, q.To.dns.ds.Name, instances, true
}

// NewQuery resolves a source and a destination spec (see Resolve) and a
// protocol ("tcp" when empty, "udp", or "icmp": an echo request, a ping;
// "icmpv6" is the same over IPv6). An ICMP destination has no port.
func NewQuery(n *Network, from, to, protocol string) (Query, error) {
	q := Query{Protocol: model.TCP}
	switch strings.ToLower(protocol) {
	case "", "tcp":
	case "udp":
		q.Protocol = model.UDP
	case "icmp":
		q.Protocol = model.ICMP
	case "icmpv6":
		q.Protocol, q.IPv6 = model.ICMP, true
	default:
		return q, fmt.Errorf("protocol %q: want tcp, udp or icmp", protocol)
	}
	var err error
	if q.From, err = Resolve(n, from); err != nil {
		return q, fmt.Errorf("from: %w", err)
	}
	if f := q.From; f.dns != nil && f.service != nil && f.task == nil {
		// A Cloud Map name as the source stands for a task of its
		// service: with none running there is no client.
		_, why := n.runningTask(f.service)
		return q, fmt.Errorf("from: %s is the Cloud Map name of the service %s, none of whose tasks runs: %s", f.dns.fqdn, f.service.svc.Name, why)
	}
	if q.To, err = Resolve(n, to); err != nil {
		return q, fmt.Errorf("to: %w", err)
	}
	if q.To.Kind == KindInternet && q.To.Address == DefaultInternetClient() && q.From.Kind == KindInternet {
		return q, errors.New("from and to are both the internet")
	}
	if q.From.Kind == KindDNSName {
		return q, fmt.Errorf("from: %s is a DNS name: give the task, instance or address that asks it", q.From.Name)
	}
	var pre Query
	if q.To.Kind == KindDNSName {
		pre = q
	}
	if err := n.completeQuery(&q); err != nil {
		return q, err
	}
	if q.r53w != nil && len(q.r53w.recs) > 1 {
		kept := pre // only a weighted query keeps a copy (on the heap)
		q.r53w.pre = &kept
	}
	return q, nil
}

// completeQuery resolves a query's destination from its source (a Route
// 53 name, a Cloud Map or Service Connect name) once both endpoints are
// known.
func (n *Network) completeQuery(q *Query) error {
	lookup := q.To.lookup
	q.nxName = lookup
	if q.To.Kind == KindDNSName && q.To.elbMiss {
		n.resolveUnknownELBName(q) // elbnames.go
	} else if q.To.Kind == KindDNSName {
		n.resolveRoute53(q)
	}
	if q.From.Kind == KindInternet && (q.To.Kind == KindAWSService || q.To.Kind == KindInternetHost) {
		return fmt.Errorf("from and to are both on the internet (%s is reached from a VPC: give a task, instance or address as --from)", q.To.Name)
	}
	if d := q.To.dns; d != nil {
		var vpc model.VpcID
		switch {
		case q.From.eni != nil:
			vpc = q.From.eni.eni.VpcID
		case q.From.task != nil && q.From.task.addressENI() != nil:
			vpc = q.From.task.addressENI().eni.VpcID
		case q.From.lb != nil:
			vpc = q.From.lb.lb.VpcID
		}
		if d.ns.Type == model.NamespaceHTTP || d.ds.Type == "HTTP" {
			// API-only discovery: no hosted zone holds the name.
			q.nxVPC, q.nx, q.nxHTTP = vpc, true, true
		} else if d.ns.Type == model.NamespaceDNSPublic && vpc == "" && q.From.Kind == KindInternet && q.To.service != nil {
			n.publicCloudMapName(q, d)
		} else if !d.ns.ResolvesIn(vpc) {
			// Not an error: the client's lookup fails (a verdict).
			q.nxVPC = vpc
			q.nx = true
		} else if q.To.addressLookup && d.ds.HasRecord("SRV") && !d.ds.HasRecord("A") && !d.ds.HasRecord("AAAA") {
			// An address lookup of a name with SRV records only: Route
			// 53 answers no address.
			q.nxVPC, q.nx, q.nxSRVOnly = vpc, true, true
		} else if v := n.st.VPCs[vpc]; v != nil && d.ns.Type == model.NamespaceDNSPrivate && (!v.EnableDNSSupport || !v.EnableDNSHostnames) {
			// A private hosted zone answers only in a VPC whose
			// enableDnsSupport and enableDnsHostnames are both true.
			q.nxVPC, q.nx, q.nxDNSAttr = vpc, true, true
		} else if d.ns.Type == model.NamespaceDNSPrivate && n.privateZonesHidden(vpc) != nil {
			// The VPC's own DNS servers never ask the Resolver.
			q.nxVPC, q.nx, q.nxCustomDNS = vpc, true, true
		}
	}
	if lookup != "" && q.To.scn == nil {
		// With DNS resolution off, the Amazon-provided DNS server answers
		// nothing: no name resolves from the VPC (Amazon VPC User Guide,
		// "DNS attributes for your VPC").
		if vpc := sourceVPC(&q.From); vpc != "" {
			if v := n.st.VPCs[vpc]; v != nil && n.dnsOff(v) {
				if !q.nx {
					q.nx, q.nxVPC, q.nxDNSOff, q.nxName = true, vpc, true, lookup
				}
				q.resolverSilent = q.nxVPC == vpc
			}
		}
	}
	if d := q.To.dns; d != nil && q.To.service != nil && q.To.task == nil && !q.nx {
		// No task runs, so ECS has registered no instance and Cloud Map
		// holds no record of the name: the Resolver answers NXDOMAIN.
		q.nxVPC, q.nx, q.nxNoInstance = sourceVPC(&q.From), true, true
	}
	if q.To.ec2name && !q.nx {
		n.resolveEC2PublicName(q)
	}
	if d := q.To.scn; d != nil && d.aliases != nil {
		// A discovery name: no client resolves it (a verdict).
		q.nx, q.scDiscovery = true, true
		q.scWhy, q.scClient = n.serviceConnectClient(q.From, d.ns)
	} else if d != nil {
		if why, client := n.serviceConnectClient(q.From, d.ns); why != "" {
			// Not an error: the client's lookup fails (a verdict).
			q.nx, q.scMiss, q.scWhy, q.scClient = true, true, why, client
		} else {
			q.scPort = d.target
		}
	}
	_, err := q.port()
	return err
}

// publicCloudMapName resolves a name of a Cloud Map public DNS namespace
// for the internet: its records hold the tasks' private addresses, never
// their public IPs ("The DNS records created for a service discovery
// service always register with the private IP address for the task,
// rather than the public IP address, even when public namespaces are
// used"), so the internet's client is sent to a private address, which
// it does not route. The destination becomes that address, with the
// Route 53 note a public record of a private address gets.
func (n *Network) publicCloudMapName(q *Query, d *cloudMapName) {
	tk, _ := n.runningTask(q.To.service)
	if tk == nil {
		return // no record: what the service's tasks say stands
	}
	var a netip.Addr
	if e := tk.addressENI(); e != nil && tk.def != nil && tk.def.NetworkMode == model.NetworkModeAwsvpc {
		a = e.primary
	} else if tk.instance != nil && tk.instance.primary != nil {
		a = tk.instance.primary.primary // SRV records name the instance's private address
	}
	if !a.IsValid() || isPublic(a) {
		return
	}
	kind := "A"
	if !d.ds.HasRecord("A") && d.ds.HasRecord("SRV") {
		kind = "SRV"
	}
	chain := []string{d.fqdn + " (" + kind + " record in the Cloud Map public DNS namespace " + d.ns.Name + ", " + d.ns.ID + ", registered by ECS for the task " + tk.name + ")"}
	q.To = n.addressEndpoint(Endpoint{Spec: q.To.Spec, Port: q.To.Port}, a)
	q.r53chain = chain
	q.r53note = dnsNote(d.fqdn, chain, "the task's private address "+a.String()+" (Cloud Map registers a task's private IP, never its public one, even in a public namespace)", true)
	q.r53note += "; to call the service by name from the internet, put an internet-facing load balancer in front of it and point a public record (an alias) at the load balancer"
	if e := tk.addressENI(); e != nil && e.public.IsValid() {
		q.r53note += " (the task itself answers on its public IP " + e.public.String() + ", which changes with every task)"
	}
	q.r53private = true
}

// port returns the destination port the query means.
func (q *Query) port() (uint16, error) {
	if isICMP(q.Protocol) {
		if q.Port != 0 || q.To.Port != 0 {
			return 0, fmt.Errorf("to: an ICMP echo request has no port; give %s without one", strings.TrimSuffix(q.To.Spec, ":"+strconv.Itoa(int(q.To.Port))))
		}
		return 0, nil
	}
	if q.Port != 0 {
		return q.Port, nil
	}
	if q.scPort != 0 {
		return q.scPort, nil
	}
	if q.To.Port != 0 {
		return q.To.Port, nil
	}
	proto := q.Protocol
	if proto == 0 {
		proto = model.TCP
	}
	switch {
	case q.To.Kind == KindAWSService || q.To.Kind == KindInternetHost:
		return 443, nil
	case q.To.Kind == KindIMDS, q.To.Kind == KindTaskMetadata:
		return imdsPort, nil
	case q.To.Kind == KindLoopback:
		return 0, fmt.Errorf("to: localhost needs a port (%s:PORT)", q.To.Spec)
	case q.To.task != nil:
		for _, s := range q.To.task.sockets {
			if s.proto == proto {
				return s.port, nil
			}
		}
		if q.To.task.def != nil {
			for _, c := range q.To.task.def.Containers {
				for _, pm := range c.PortMappings {
					if protoOrTCP(pm.Protocol) == proto {
						return pm.ContainerPorts().First, nil // a range: its first port
					}
				}
			}
		}
		return 0, fmt.Errorf("to: task %s has no %s port mapping; give a port (%s:PORT)", q.To.task.name, proto, q.To.Spec)
	case q.To.lb != nil:
		for _, l := range q.To.lb.listeners {
			if listenerProtocols(l.l.Protocol)&protoBit(proto) != 0 {
				return l.l.Port, nil
			}
		}
		return 0, fmt.Errorf("to: load balancer %s has no %s listener; give a port (%s:PORT)", q.To.lb.lb.Name, proto, q.To.Spec)
	}
	if q.To.Address.Is6() {
		return 0, fmt.Errorf("to: give a port ([%s]:PORT)", q.To.Address)
	}
	return 0, fmt.Errorf("to: give a port (%s:PORT)", q.To.Spec)
}

// runningTask is the service's first running task, or nil and why it has
// none (the reason its tasks stopped, when there is one).
func (n *Network) runningTask(s *serviceNode) (*taskNode, string) {
	for _, t := range s.tasks {
		if t.running {
			return t, ""
		}
	}
	if x := n.whyNoTasks(s); x != nil {
		return nil, x.Sentence()
	}
	return nil, "the service " + s.svc.Name + " has no running task"
}
