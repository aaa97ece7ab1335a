package dataplane

import (
	"context"
	"net/netip"
	"path/filepath"
	"strings"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// Probe answers a query twice: with the analyzer (reach.Probe on the
// state the system was built from) and with a real connection from the
// same node to the same address, port and client port the analyzer's
// first hop shows (an HTTP request when the destination is a load
// balancer's HTTP listener; an ICMP echo request, Ping, when the query is
// a ping). It needs a system brought up by Up in this process.
func (s *System) Probe(ctx context.Context, q reach.Query) (Outcome, *reach.Result) {
	if s.net == nil {
		return Outcome{Verdict: reach.Unknown, Detail: "the system was attached, not brought up here: no state to probe"}, nil
	}
	res := reach.Probe(s.net, q)
	if name := s.dnsTarget(q); name != "" {
		// A name the system's resolvers answer: the client looks it up
		// for real first (dns.go), then connects to the answer.
		if out, ok := s.probeName(ctx, q, res, name); ok {
			return out, res
		}
	}
	if len(res.Forward) == 0 && q.IPv6 && q.To.Kind == reach.KindLoadBalancer {
		// An IPv6 client of a load balancer by name: the system's hosts
		// file (the name's A and AAAA records) says whether it has an
		// address to connect to.
		if out, ok := s.probeAAAA(ctx, q); ok {
			return out, res
		}
	}
	if len(res.Forward) == 0 && q.IPv6 && res.HasCode(reach.CodeNoIPv6Address) {
		// An endpoint without an IPv6 address: the kernel's check is
		// whether its namespace holds one to connect from or to.
		if out, ok := s.probeNoIPv6(ctx, q); ok {
			return out, res
		}
	}
	if len(res.Forward) == 0 {
		return Outcome{Verdict: reach.Unknown, Detail: "the analyzer sends no packet: " + res.Summary}, res
	}
	pk := res.Forward[0].Packet
	return s.send(ctx, q, res, pk, DNS64Destination(res, netip.AddrPortFrom(pk.Destination, pk.DestinationPort))), res
}

// send makes the real connection of a probe to dst, from the analyzer's
// client port: an HTTP request to a load balancer's HTTP listener (one per
// target group when res, the analyzer's answer, met a weighted forward
// action: the load balancer meets them in turn on one connection), a
// proxied dial to a Classic Load Balancer's TCP listener, else a dial.
func (s *System) send(ctx context.Context, q reach.Query, res *reach.Result, pk reach.Packet, dst netip.AddrPort) Outcome {
	requests := 0
	if res != nil && len(res.WeightedGroups) > 1 {
		requests = len(res.WeightedGroups)
	}
	proto := q.Protocol
	if proto == 0 {
		proto = model.TCP
	}
	lbARN := ""
	switch q.To.Kind {
	case reach.KindLoadBalancer:
		lbARN = q.To.ARN
	case reach.KindAddress:
		// A load balancer node's address (an NLB's Elastic IP, one node of
		// a Classic Load Balancer): the load balancer's listener answers,
		// as the analyzer says.
		lbARN = reach.LoadBalancerAt(s.st, dst.Addr())
	}
	if (q.To.Kind == reach.KindIMDS || q.To.Kind == reach.KindTaskMetadata) && proto == model.TCP {
		// The instance metadata service, the task metadata endpoint: an
		// HTTP request as the SDKs send it (imds.go).
		return s.HTTP(ctx, q.From.Spec, imdsRequest(q, dst, pk.SourcePort))
	}
	if lbARN != "" && proto == model.TCP {
		switch lp, dns := s.lbListener(lbARN, dst.Port()); lp {
		case "HTTP", "HTTPS":
			host := q.HTTPHost
			if host == "" {
				host = dns
			}
			return s.HTTP(ctx, q.From.Spec, HTTPRequest{To: dst, Host: host, Method: q.HTTPMethod, Path: q.HTTPPath, Header: q.HTTPHeaders, ClientPort: pk.SourcePort, TLS: lp == "HTTPS" && !q.PlainHTTP, HTTPVersion: q.HTTPVersion, Requests: requests})
		case "classic TCP":
			return s.DialProxied(ctx, q.From.Spec, pk.SourcePort, dst, false)
		case "classic SSL":
			return s.DialProxied(ctx, q.From.Spec, pk.SourcePort, dst, true)
		case "nlb TLS", "nlb TLS to TLS":
			if s.nodeEndsTLS(lbARN, dst) && !q.PlainHTTP && q.HTTPPath != "" {
				// An HTTP request (a path): over the TLS the node ends,
				// as through an ALB's HTTPS listener, so the client reads
				// what the target answers (400 from a TLS server the node
				// speaks plain to).
				host := q.HTTPHost
				if host == "" {
					host = dns
				}
				return s.HTTP(ctx, q.From.Spec, HTTPRequest{To: dst, Host: host, Method: q.HTTPMethod, Path: q.HTTPPath, Header: q.HTTPHeaders, ClientPort: pk.SourcePort, TLS: true, HTTPVersion: q.HTTPVersion, Requests: requests})
			}
			if s.nodeEndsTLS(lbARN, dst) {
				// The node ends TLS (nlbtls.go): a plain client fails its
				// handshake.
				host := q.HTTPHost
				if host == "" {
					host = dns
				}
				return s.DialTLSNode(ctx, q.From.Spec, pk.SourcePort, dst, host, q.PlainHTTP)
			}
			if q.PlainHTTP {
				// The node passes the connection through (the target
				// group preserves the client's address): no TLS of its
				// own to fail on a plain client's bytes (nlbtls.go).
				return Outcome{Verdict: reach.Unknown, Detail: "a plain client of an NLB's TLS listener whose target group preserves the client's IP address: the data plane passes it through, not ending TLS at the node"}
			}
			if lp == "nlb TLS to TLS" {
				return s.DialTLSThrough(ctx, q.From.Spec, pk.SourcePort, dst) // nlbtls.go
			}
		}
	}
	return s.Dial(ctx, q.From.Spec, pk.SourcePort, dst, proto)
}

// lbListener returns the protocol of a load balancer's listener on port
// ("HTTP", "HTTPS" for an ALB's or a Classic Load Balancer's, "classic
// TCP" and "classic SSL" for a Classic Load Balancer's TCP and SSL
// listeners, "nlb TLS to TLS" for an NLB's TLS listener to a target group
// of protocol TLS, "nlb TLS" for one to a TCP group, "" for any other) and the load balancer's DNS
// name.
func (s *System) lbListener(lbARN string, port uint16) (proto, dns string) {
	for _, l := range s.st.Listeners {
		if l.LoadBalancerARN == lbARN && l.Port == port {
			if lb := s.st.LoadBalancers[lbARN]; lb != nil {
				dns = lb.DNSName
			}
			switch {
			case l.Protocol == "HTTP":
				return "HTTP", dns
			case l.Protocol == "HTTPS" && s.st.LoadBalancers[lbARN] != nil && s.st.LoadBalancers[lbARN].IsALB():
				return "HTTPS", dns
			case NLBTLSTargetGroup(s.st, l):
				return "nlb TLS to TLS", dns
			case l.Protocol == "TLS":
				return "nlb TLS", dns
			}
			return "", dns
		}
	}
	name, ok := strings.CutPrefix(lbARN, reach.ClassicLoadBalancerARN(s.st, ""))
	c := s.st.ClassicLoadBalancers[name]
	if !ok || c == nil {
		return "", ""
	}
	for _, l := range c.Listeners {
		if l.LoadBalancerPort == int(port) {
			switch p := strings.ToUpper(l.Protocol); p {
			case "HTTP", "HTTPS":
				return p, c.DNSName
			case "TCP", "SSL":
				return "classic " + p, c.DNSName
			}
		}
	}
	return "", c.DNSName
}

// Agree reports whether a real outcome agrees with the analyzer's
// verdict. A real timeout agrees with no-route: AWS drops silently, so
// a client cannot tell a missing route from a filter.
func Agree(analyzer reach.Verdict, real Outcome) bool {
	if analyzer == real.Verdict {
		return true
	}
	return analyzer == reach.NoRoute && real.Verdict == reach.Timeout
}

// probeAAAA connects an IPv6 client to a load balancer's name as the
// system's hosts file resolves it: no IPv6 address for the name is
// no-route (nothing to connect to); otherwise the first one is asked.
func (s *System) probeAAAA(ctx context.Context, q reach.Query) (Outcome, bool) {
	lb := s.st.LoadBalancers[q.To.ARN]
	if lb == nil || lb.DNSName == "" {
		return Outcome{}, false
	}
	for _, h := range s.plan.Hosts {
		if strings.EqualFold(h.Name, lb.DNSName) && h.Addr.Is6() {
			proto := q.Protocol
			if proto == 0 {
				proto = model.TCP
			}
			return s.Dial(ctx, q.From.Spec, 0, netip.AddrPortFrom(h.Addr, q.To.Port), proto), true
		}
	}
	return Outcome{Verdict: reach.NoRoute, Detail: "the hosts file gives " + lb.DNSName + " no IPv6 address (no AAAA record)"}, true
}

// probeNoIPv6 checks an IPv6 query whose source or destination the
// analyzer finds without an IPv6 address: when either node's namespace
// holds no global IPv6 address, nothing can be sent (no-route, as a
// client without an address to use or to connect to fails at once);
// otherwise a connection goes to the destination's first one.
func (s *System) probeNoIPv6(ctx context.Context, q reach.Query) (Outcome, bool) {
	from, _, err := s.node(q.From.Spec)
	if err != nil {
		return Outcome{}, false
	}
	to, _, err := s.node(q.To.Spec)
	if err != nil {
		return Outcome{}, false
	}
	for _, n := range []struct{ path, spec string }{{from, q.From.Spec}, {to, q.To.Spec}} {
		if n.path == filepath.Join(s.opt.NetnsDir, s.plan.Nodes["internet"]) {
			continue
		}
		addrs, err := globalIPv6(n.path)
		if err != nil {
			return Outcome{Verdict: reach.Unknown, Detail: err.Error()}, true
		}
		if len(addrs) == 0 {
			return Outcome{Verdict: reach.NoRoute, Detail: n.spec + " holds no IPv6 address"}, true
		}
		if n.path == to {
			proto := q.Protocol
			if proto == 0 {
				proto = model.TCP
			}
			return s.Dial(ctx, q.From.Spec, 0, netip.AddrPortFrom(addrs[0], q.To.Port), proto), true
		}
	}
	return Outcome{}, false
}

// globalIPv6 lists the global IPv6 addresses a namespace holds.
func globalIPv6(path string) ([]netip.Addr, error) {
	fd, err := netns.GetFromPath(path)
	if err != nil {
		return nil, err
	}
	defer fd.Close()
	h, err := netlink.NewHandleAt(fd, unix.NETLINK_ROUTE)
	if err != nil {
		return nil, err
	}
	defer h.Close()
	list, err := h.AddrList(nil, netlink.FAMILY_V6)
	if err != nil {
		return nil, err
	}
	var out []netip.Addr
	for _, a := range list {
		if ip, ok := netip.AddrFromSlice(a.IP); ok && ip.IsGlobalUnicast() && !ip.IsPrivate() {
			out = append(out, ip)
		}
	}
	return out, nil
}
