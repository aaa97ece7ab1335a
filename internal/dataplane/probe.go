package dataplane

import (
	"context"
	"net/netip"
	"strings"

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
	if len(res.Forward) == 0 {
		return Outcome{Verdict: reach.Unknown, Detail: "the analyzer sends no packet: " + res.Summary}, res
	}
	pk := res.Forward[0].Packet
	dst := netip.AddrPortFrom(pk.Destination, pk.DestinationPort)
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
	if lbARN != "" && proto == model.TCP {
		switch lp, dns := s.lbListener(lbARN, dst.Port()); lp {
		case "HTTP":
			host := q.HTTPHost
			if host == "" {
				host = dns
			}
			return s.HTTP(ctx, q.From.Spec, HTTPRequest{To: dst, Host: host, Method: q.HTTPMethod, Path: q.HTTPPath, Header: q.HTTPHeaders, ClientPort: pk.SourcePort}), res
		case "classic TCP":
			return s.DialProxied(ctx, q.From.Spec, pk.SourcePort, dst), res
		}
	}
	return s.Dial(ctx, q.From.Spec, pk.SourcePort, dst, proto), res
}

// lbListener returns the protocol of a load balancer's listener on port
// ("HTTP", "classic TCP" for a Classic Load Balancer's TCP listener, ""
// for any other) and the load balancer's DNS name.
func (s *System) lbListener(lbARN string, port uint16) (proto, dns string) {
	for _, l := range s.st.Listeners {
		if l.LoadBalancerARN == lbARN && l.Port == port {
			if lb := s.st.LoadBalancers[lbARN]; lb != nil {
				dns = lb.DNSName
			}
			if l.Protocol == "HTTP" {
				return "HTTP", dns
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
			switch strings.ToUpper(l.Protocol) {
			case "HTTP":
				return "HTTP", c.DNSName
			case "TCP":
				return "classic TCP", c.DNSName
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
