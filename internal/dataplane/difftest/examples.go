package difftest

import (
	"context"
	"fmt"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/dataplane"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// ExampleCase is one probe of an example file: an expect: entry (Line >
// 0) or a generated probe, with both answers.
type ExampleCase struct {
	Line     int    // the expect: entry's line, 0 for a generated probe
	Probe    string // what a person types: --from X --to Y
	Req      Request
	Expected string // the file's verdict, for expect: entries
	Analyzer *reach.Result
	Real     Outcome
}

// Agree says whether the analyzer and the kernel agree.
func (c ExampleCase) Agree() bool { return Agree(c.Analyzer.Verdict, c.Real.Verdict) }

// LoadExample builds an example: a scenario file, or a CloudFormation
// template (.json, or a .yaml file holding a template), as the CLI does.
// It returns the state and the file's expect: entries.
func LoadExample(path string) (*model.State, []scenario.Expectation, error) {
	opts := []engine.Option{engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck)}
	if strings.Contains(filepath.ToSlash(path), "/cfn/") || strings.HasSuffix(path, ".cfn.yaml") {
		res, err := cfn.Load(path, nil, opts...)
		if err != nil {
			return nil, nil, err
		}
		st, _ := res.Engine.Snapshot()
		return st, nil, nil
	}
	sc, err := scenario.Load(path)
	if err != nil {
		return nil, nil, err
	}
	b, err := sc.Build(opts...)
	if err != nil {
		return nil, nil, err
	}
	st, _ := b.Engine.Snapshot()
	return st, sc.Expect, nil
}

// CheckExample runs an example's expect: entries and n generated probes
// through the analyzer and the backend. The real connection goes where
// the analyzer's packet went first (the address a name resolves to);
// through an ALB it is an HTTP request.
func CheckExample(ctx context.Context, path, name string, n int, be Backend) ([]ExampleCase, error) {
	st, expects, err := LoadExample(path)
	if err != nil {
		return nil, err
	}
	net := reach.Compile(st)
	ports := clientPorts{}
	var cases []ExampleCase
	for _, e := range expects {
		q, err := reach.NewQuery(net, e.From, e.To, e.Protocol)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, e.Line, err)
		}
		q.ClientPort = ports.of(e.From)
		q.HTTPPath, q.HTTPHost, q.HTTPMethod, q.HTTPHeaders = e.Path, e.Host, e.Method, e.Header
		q.HTTPVersion, _ = reach.ParseHTTPVersion(e.HTTPVersion)
		q.PlainHTTP = e.PlainHTTP
		q.IPv6 = e.IPv6
		res := reach.Probe(net, q)
		c, ok := exampleCase(st, res, e.From)
		if !ok {
			continue
		}
		c.Line, c.Expected, c.Probe = e.Line, e.Verdict, "--from "+e.From+" --to "+e.To
		if e.IPv6 {
			c.Probe += " --ipv6"
		}
		if c.Req.HTTP {
			c.Req.HTTPVersion = q.HTTPVersion
		}
		if e.HTTPVersion != "" {
			c.Probe += " --http-version " + e.HTTPVersion
		}
		if e.PlainHTTP {
			c.Probe += " --plain-http"
			c.Req.TLS = false // an http:// URL, whatever the listener's protocol
			// To an NLB's TLS listener: a plain request its node fails
			// where it ends TLS.
			c.Req.PlainToTLS = !c.Req.HTTP && !c.Req.Proxied && q.To.Kind == reach.KindLoadBalancer
		}
		if e.Protocol != "" && e.Protocol != "tcp" {
			c.Probe += " --protocol " + e.Protocol
		}
		if e.Host != "" {
			c.Req.Host = e.Host
		}
		c.Req.Path, c.Req.Method, c.Req.Header = e.Path, e.Method, e.Header
		cases = append(cases, c)
	}
	gen, err := analyze(st, Probes(st, 1, n), ports)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, g := range gen {
		to := g.To.String()
		if g.Probe.To.LB {
			to = g.Probe.To.Node + ":" + strconv.Itoa(int(g.Probe.Port))
		}
		c := ExampleCase{Probe: "--from " + g.Probe.From + " --to " + to, Analyzer: g.Analyzer,
			Req: Request{From: g.Probe.From, To: g.To, Proto: g.Probe.Proto, HTTP: g.HTTP, TLS: g.TLS, Proxied: g.Proxied, TLSThrough: g.TLSThrough, PlainToTLS: g.PlainToTLS, Host: g.Host, Requests: g.Requests, ClientPort: g.ClientPort}}
		if g.Probe.Proto == model.UDP {
			c.Probe += " --protocol udp"
		}
		if g.Probe.Plain {
			c.Probe += " --plain-http"
		}
		cases = append(cases, c)
	}
	if len(cases) == 0 {
		return nil, nil
	}
	oracle, down, err := be(ctx, st, name)
	if err != nil {
		return nil, err
	}
	reqs := make([]Request, len(cases))
	for i, c := range cases {
		reqs[i] = c.Req
	}
	agree := func(i int, o Outcome) bool { return Agree(cases[i].Analyzer.Verdict, o.Verdict) }
	for i, o := range runReal(ctx, oracle, reqs, agree) {
		cases[i].Real = o
	}
	return cases, down()
}

// exampleCase makes the real request for an analyzed probe: to the
// address and port of the analyzer's first packet. False when the
// analyzer could not walk the probe.
func exampleCase(st *model.State, res *reach.Result, from string) (ExampleCase, bool) {
	if res.Verdict == reach.Unknown || len(res.Forward) == 0 {
		return ExampleCase{}, false
	}
	pk := res.Forward[0].Packet
	proto := model.TCP
	switch pk.Protocol {
	case "udp":
		proto = model.UDP
	case "icmp", "icmpv6":
		proto = model.ICMP // an echo request (over IPv6, ICMPv6)
	}
	req := Request{From: from, To: netip.AddrPortFrom(pk.Destination, pk.DestinationPort), Proto: proto, ClientPort: res.ClientPort}
	lbARN, lbName := "", ""
	if res.To != nil && res.To.Kind == reach.KindLoadBalancer {
		lbARN, lbName = res.To.ARN, res.To.Name
	} else if res.To != nil && res.To.Kind == reach.KindAddress {
		// A load balancer node's address: its listener answers.
		lbARN = reach.LoadBalancerAt(st, pk.Destination)
	}
	if lbARN != "" {
		for _, lb := range st.LoadBalancers {
			if lb.ARN == lbARN || lbName != "" && lb.Name == lbName {
				// The analyzer's default Host is the DNS name.
				req.HTTP, req.Host = lb.Type == "application", lb.DNSName
				for _, l := range st.Listeners {
					if l.LoadBalancerARN == lb.ARN && l.Port == pk.DestinationPort {
						req.TLS = req.HTTP && l.Protocol == "HTTPS"
						req.TLSThrough = !req.HTTP && dataplane.NLBTLSTargetGroup(st, l)
					}
				}
			}
		}
		for _, c := range st.ClassicLoadBalancers {
			if reach.ClassicLoadBalancerARN(st, c.Name) != lbARN {
				continue
			}
			for _, l := range c.Listeners {
				if l.LoadBalancerPort == int(pk.DestinationPort) {
					p := strings.ToUpper(l.Protocol)
					req.HTTP, req.Proxied, req.Host = p == "HTTP" || p == "HTTPS", p == "TCP" || p == "SSL", c.DNSName
					req.TLS = p == "HTTPS" || p == "SSL"
				}
			}
		}
	}
	if !pk.Destination.IsValid() {
		return ExampleCase{}, false
	}
	if req.HTTP && len(res.WeightedGroups) > 1 {
		req.Requests = len(res.WeightedGroups) // one per group of the weighted forward
	}
	return ExampleCase{Req: req, Analyzer: res}, true
}
