package difftest

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ecsnet/ecsnet/internal/dataplane"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// Outcome is what a real client experienced, in the analyzer's words.
type Outcome struct {
	Verdict reach.Verdict
	Detail  string
}

// Request is one real connection, or one HTTP request (to a load
// balancer), from a node to an address.
type Request struct {
	From  string
	To    netip.AddrPort
	Proto model.Protocol
	// HTTP sends one HTTP request; Host, Path, Method and Header describe
	// it (defaults: the load balancer's DNS name, /, GET).
	HTTP               bool
	Host, Path, Method string
	Header             map[string]string
	// TLS sends the HTTP request over TLS (an HTTPS listener), without
	// validating the certificate (dataplane.HTTPRequest.TLS); with
	// Proxied, the connection (a Classic Load Balancer's SSL listener).
	TLS bool
	// HTTPVersion is the HTTP request's protocol (dataplane.HTTPRequest.HTTPVersion).
	HTTPVersion reach.HTTPVersion
	// Requests, above 1, sends as many HTTP requests on one connection,
	// one per target group of the weighted forward the analyzer met
	// (dataplane.HTTPRequest.Requests).
	Requests int `json:",omitempty"`
	// Proxied: a Classic Load Balancer's TCP listener, whose node
	// completes every handshake itself: the real side waits for the
	// instance's answer through it (dataplane.System.DialProxied).
	Proxied bool
	// TLSThrough: a Network Load Balancer's TLS listener to a target group
	// of protocol TLS: the client completes its TLS handshake with the
	// target's application through the node
	// (dataplane.System.DialTLSThrough).
	TLSThrough bool `json:",omitempty"`
	// PlainToTLS: a plain HTTP request to a Network Load Balancer's TLS
	// listener, whose node ends TLS (dataplane.System.DialTLSNode): the
	// node fails the handshake.
	PlainToTLS bool `json:",omitempty"`
	// ClientPort is the source port (0: reach.DefaultClientPort).
	ClientPort uint16
	// Name: the client first looks this name up for real and connects
	// only when one of its lookups answers To's address (Name's record
	// is To's), or, with To unset, expects no address (NXDOMAIN).
	Name string
}

// clientPorts gives each probe source a client port of its own, from
// reach.DefaultClientPort up in steps of two; a probe to a Network Load
// Balancer takes the port after its source's.
//
// Sources of their own: bridge tasks share their instance's address
// behind docker0's masquerade (instances behind a NAT gateway share its
// address too), and a timed-out connection leaves an unreplied conntrack
// entry for two minutes; another source's connection to the same address
// and port from the same port would clash with it, and the masquerade
// would give it another port (seen: 3246), one the network ACLs may
// treat otherwise than the analyzer's. Ports of the NLB's own: a node
// that keeps the client's address passes the client's port too, so with
// the port of the other probes a datagram through the load balancer and
// one straight to the target would be one flow to the target's conntrack
// (UDP entries outlive a probe), and the second would follow the first's
// way back. Every port is inside every ephemeral range the generator's
// rules name (49152-65535 and wider), as 49152 is.
type clientPorts map[string]uint16

// of returns the source's client port.
func (c clientPorts) of(from string) uint16 {
	p, ok := c[from]
	if !ok {
		p = uint16(reach.DefaultClientPort + 2*(len(c)%(clientPortSpan/2)))
		c[from] = p
	}
	return p
}

// clientPortSpan is how many ports from reach.DefaultClientPort
// clientPorts uses; the probes' destination ports stay out of them (a
// probe from a node to its own address would connect to itself).
const clientPortSpan = 256

// Oracle makes one real connection (or HTTP request) and says what the
// client experienced.
type Oracle func(ctx context.Context, req Request) Outcome

// Backend brings a built system up (under a name distinct from any other
// system up at the same time) and returns its oracle and a function that
// takes it down.
type Backend func(ctx context.Context, st *model.State, name string) (Oracle, func() error, error)

// RetryTimeout is how long a real connection may take when the short
// timeout gave a disagreement and it is asked again.
const RetryTimeout = 5 * time.Second

// Build loads a scenario text and builds it as every command does
// (with the analyzer's start and register checks) and returns its state.
func Build(name, text string) (*model.State, error) {
	sc, err := scenario.Parse(name, []byte(text))
	if err != nil {
		return nil, err
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
	if err != nil {
		return nil, err
	}
	st, _ := b.Engine.Snapshot()
	return st, nil
}

// Agree says whether the analyzer's verdict and the real outcome agree.
// A drop is silent in AWS, so no-route and timeout are the same to a
// client; the analyzer names the cause.
func Agree(analyzer, real reach.Verdict) bool {
	if analyzer == real {
		return true
	}
	return analyzer == reach.NoRoute && real == reach.Timeout
}

// Case is one probe's two answers.
type Case struct {
	Probe Probe
	To    netip.AddrPort
	// HTTP: the real side sends an HTTP request with Host (a load balancer).
	HTTP bool
	// TLS: over TLS, to an ALB's HTTPS listener (Request.TLS).
	TLS bool
	// Proxied: a Classic Load Balancer's TCP listener (Request.Proxied).
	Proxied bool
	// TLSThrough: an NLB's TLS listener to a TLS target group
	// (Request.TLSThrough).
	TLSThrough bool `json:",omitempty"`
	// PlainToTLS: a plain HTTP request to a Network Load Balancer's TLS
	// listener, whose node ends TLS (dataplane.System.DialTLSNode): the
	// node fails the handshake.
	PlainToTLS bool `json:",omitempty"`
	Host       string
	// Requests: Request.Requests (a weighted forward's groups).
	Requests int `json:",omitempty"`
	// ClientPort: Request.ClientPort (clientPorts).
	ClientPort uint16
	// Name: Request.Name (a probe by a weighted name).
	Name     string
	Analyzer *reach.Result
	Real     Outcome
}

// Agree says whether the case's answers agree.
func (c Case) Agree() bool { return Agree(c.Analyzer.Verdict, c.Real.Verdict) }

// Report is the outcome of one system.
type Report struct {
	System *System
	State  *model.State
	Cases  []Case
}

// Disagreements returns the cases whose answers differ.
func (r *Report) Disagreements() []Case {
	var out []Case
	for _, c := range r.Cases {
		if !c.Agree() {
			out = append(out, c)
		}
	}
	return out
}

// nameCase analyzes a probe of a weighted name: through its record
// (Dest.Record, the query resolved through it) or by the name (the
// worst case). The real request goes where the analyzer's first packet
// went, after a lookup of the name that answers that address; a name
// that does not resolve from the client is a lookup that gets no
// address. False when the analyzer cannot walk it, or the record is
// not one a lookup may get.
func nameCase(n *reach.Network, st *model.State, p Probe, q reach.Query) (Case, bool) {
	if p.To.Record != "" {
		found := false
		for _, w := range n.WeightedRecords(q) {
			if w.SetIdentifier == p.To.Record && w.Err == nil {
				q, found = w.Query, true
			}
		}
		if !found {
			return Case{}, false
		}
	}
	res := reach.Probe(n, q)
	if res.Verdict == reach.Unknown {
		return Case{}, false
	}
	c := Case{Probe: p, Analyzer: res, Name: p.To.Name}
	if res.Verdict == reach.NXDomain {
		return c, true
	}
	ex, ok := exampleCase(st, res, p.From)
	if !ok {
		return Case{}, false
	}
	c.To, c.HTTP, c.Host, c.Proxied, c.TLS, c.TLSThrough = ex.Req.To, ex.Req.HTTP, ex.Req.Host, ex.Req.Proxied, ex.Req.TLS, ex.Req.TLSThrough
	c.Requests = ex.Req.Requests
	if ex.Req.Host != "" && c.HTTP {
		c.Host = p.To.Name // the client asks for the name it looked up
	}
	return c, true
}

// analyze runs the probes through the analyzer, each from its source's
// port in ports. A probe the analyzer cannot walk (verdict unknown) or
// whose destination is gone is left out.
func analyze(st *model.State, probes []Probe, ports clientPorts) ([]Case, error) {
	n := reach.Compile(st)
	x := newIndex(st)
	var out []Case
	for _, p := range probes {
		to, ok := p.resolve(x)
		if !ok || !p.sourceOK(x) {
			continue
		}
		spec := to.String()
		switch {
		case p.Proto == model.ICMP && p.To.LB:
			spec = p.To.Node
		case p.Proto == model.ICMP:
			spec = to.Addr().String()
		case p.To.LB:
			spec = p.To.Node + ":" + strconv.Itoa(int(p.Port))
		case p.To.Name != "":
			spec = p.To.Name + ":" + strconv.Itoa(int(p.Port))
		}
		q, err := reach.NewQuery(n, p.From, spec, p.Proto.String())
		if err != nil {
			return nil, fmt.Errorf("probe %s: %w", p, err)
		}
		q.ClientPort = ports.of(p.From)
		if p.To.Name != "" {
			if c, ok := nameCase(n, st, p, q); ok {
				c.ClientPort = q.ClientPort
				out = append(out, c)
			}
			continue
		}
		q.IPv6 = p.To.V6 || to.Addr().Is6()
		q.PlainHTTP = p.Plain
		if p.To.LB && isNLB(st, p.To.Node) {
			q.ClientPort++
		}
		res := reach.Probe(n, q)
		if res.Verdict == reach.Unknown {
			continue
		}
		c := Case{Probe: p, To: dataplane.DNS64Destination(res, to), Analyzer: res, ClientPort: q.ClientPort}
		switch {
		case p.To.LB && p.Proto == model.ICMP:
			// A ping to the node the analyzer walked through.
			if len(res.Forward) == 0 {
				continue
			}
			c.To = netip.AddrPortFrom(res.Forward[0].Packet.Destination, 0)
		case p.To.LB:
			// To the node the analyzer walked through, over HTTP with
			// the DNS name as Host.
			if len(res.Forward) == 0 {
				continue
			}
			pk := res.Forward[0].Packet
			c.To, c.HTTP = netip.AddrPortFrom(pk.Destination, pk.DestinationPort), true
			for _, lb := range st.LoadBalancers {
				if lb.Name == p.To.Node {
					c.Host = lb.DNSName
					// A Network Load Balancer passes the connection
					// (or datagram) through.
					c.HTTP = lb.Type != "network"
					for _, l := range st.Listeners {
						if l.LoadBalancerARN == lb.ARN && l.Port == pk.DestinationPort {
							c.TLS = c.HTTP && l.Protocol == "HTTPS"
							c.TLSThrough = !c.HTTP && dataplane.NLBTLSTargetGroup(st, l)
							c.PlainToTLS = p.Plain && !c.HTTP && dataplane.NLBEndsTLS(st, l)
						}
					}
				}
			}
			if c.HTTP && len(res.WeightedGroups) > 1 {
				c.Requests = len(res.WeightedGroups)
			}
			if cl := st.ClassicLoadBalancers[p.To.Node]; cl != nil {
				// A Classic Load Balancer's HTTP listener takes a request,
				// its TCP listener a proxied connection.
				c.Host, c.HTTP = cl.DNSName, false
				for _, l := range cl.Listeners {
					if l.LoadBalancerPort == int(pk.DestinationPort) {
						p := strings.ToUpper(l.Protocol)
						c.HTTP, c.Proxied = p == "HTTP" || p == "HTTPS", p == "TCP" || p == "SSL"
						c.TLS = p == "HTTPS" || p == "SSL"
					}
				}
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// Check builds a system, runs the probes through the analyzer and the
// backend, and reports both answers of each. Probes of one system run
// concurrently (they are independent connections).
func Check(ctx context.Context, sys *System, probes []Probe, be Backend) (*Report, error) {
	st, err := Build(sys.Name+".yaml", sys.YAML())
	if err != nil {
		return nil, err
	}
	return checkState(ctx, sys, st, probes, be)
}

func checkState(ctx context.Context, sys *System, st *model.State, probes []Probe, be Backend) (*Report, error) {
	cases, err := analyze(st, probes, clientPorts{})
	if err != nil {
		return nil, err
	}
	rep := &Report{System: sys, State: st, Cases: cases}
	if len(cases) == 0 {
		return rep, nil
	}
	oracle, down, err := be(ctx, st, sys.Name)
	if err != nil {
		return nil, err
	}
	reqs := make([]Request, len(rep.Cases))
	for i, c := range rep.Cases {
		reqs[i] = Request{From: c.Probe.From, To: c.To, Proto: c.Probe.Proto, HTTP: c.HTTP, TLS: c.TLS, Host: c.Host, Proxied: c.Proxied, TLSThrough: c.TLSThrough, PlainToTLS: c.PlainToTLS, Requests: c.Requests, ClientPort: c.ClientPort, Name: c.Name}
	}
	agree := func(i int, o Outcome) bool { return Agree(rep.Cases[i].Analyzer.Verdict, o.Verdict) }
	for i, o := range runReal(ctx, oracle, reqs, agree) {
		rep.Cases[i].Real = o
	}
	if err := down(); err != nil {
		return rep, err
	}
	return rep, nil
}

// runReal makes the real requests. Requests to the same address and
// port run one after the other (they share the client port, so at once
// they would be one connection); the others at once. A request whose
// outcome disagrees (agree) is asked again with RetryTimeout: on a loaded
// machine a reset or an answer can take longer than the short timeout.
func runReal(ctx context.Context, oracle Oracle, reqs []Request, agree func(int, Outcome) bool) []Outcome {
	out := make([]Outcome, len(reqs))
	groups := map[string][]int{}
	var keys []string
	for i, r := range reqs {
		k := r.To.String() + "/" + r.Proto.String()
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], i)
	}
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Go(func() {
			for _, i := range groups[k] {
				out[i] = oracle(ctx, reqs[i])
				// Asked again after a pause, twice at most: the previous
				// connection of the group may not be closed yet (its
				// client port is still taken), and on a machine loaded
				// far beyond its cores an answer can take seconds. A
				// disagreement that stays is reported.
				for _, pause := range []time.Duration{100 * time.Millisecond, time.Second} {
					if agree(i, out[i]) {
						break
					}
					time.Sleep(pause)
					rctx, cancel := context.WithTimeout(ctx, RetryTimeout)
					out[i] = oracle(rctx, reqs[i])
					cancel()
				}
			}
		})
	}
	wg.Wait()
	return out
}

// Explain formats a disagreement for a person: the scenario file, the
// command that reproduces the analyzer's side, both answers.
func Explain(sys *System, st *model.State, c Case) string {
	var b strings.Builder
	file := sys.Name + ".yaml"
	fmt.Fprintf(&b, "disagreement on %s (seed %d)\n", c.Probe, sys.Seed)
	fmt.Fprintf(&b, "  analyzer: %s: %s\n", c.Analyzer.Verdict, c.Analyzer.Summary)
	fmt.Fprintf(&b, "  kernel:   %s (%s)\n", c.Real.Verdict, c.Real.Detail)
	fmt.Fprintf(&b, "  reproduce: save the file below as %s and run\n    %s\n", file, c.Probe.Command(file, st))
	fmt.Fprintf(&b, "--- %s\n%s---\n", file, sys.YAML())
	return b.String()
}
