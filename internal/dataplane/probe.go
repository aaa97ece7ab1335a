package dataplane

import (
	"context"
	"net/netip"

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
	if q.To.Kind == reach.KindLoadBalancer && proto == model.TCP && s.httpListener(q.To.ARN, dst.Port()) {
		host := q.HTTPHost
		if host == "" {
			if lb := s.st.LoadBalancers[q.To.ARN]; lb != nil {
				host = lb.DNSName
			}
		}
		return s.HTTP(ctx, q.From.Spec, HTTPRequest{To: dst, Host: host, Method: q.HTTPMethod, Path: q.HTTPPath, Header: q.HTTPHeaders, ClientPort: pk.SourcePort}), res
	}
	return s.Dial(ctx, q.From.Spec, pk.SourcePort, dst, proto), res
}

func (s *System) httpListener(lbARN string, port uint16) bool {
	for _, l := range s.st.Listeners {
		if l.LoadBalancerARN == lbARN && l.Port == port {
			return l.Protocol == "HTTP"
		}
	}
	return false
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
