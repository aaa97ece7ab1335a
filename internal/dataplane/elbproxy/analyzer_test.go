package elbproxy

import (
	"context"
	"net"
	"net/netip"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

func repoFile(rel string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", rel)
}

// standIn is a stand-in for the VPC between an ALB node and its targets,
// without namespaces: every awsvpc task's container port becomes a real
// HTTP server on a loopback address answering as the scenario's serves:
// says, except an application bound to 127.0.0.1, which nothing outside
// its task reaches; a dial to any other address is refused (nothing
// listens there). Security groups are not emulated: the scenarios used
// here admit the load balancer (the data plane test in
// internal/dataplane runs the same comparison on real namespaces).
type standIn struct {
	apps   map[netip.AddrPort]netip.AddrPort
	closed netip.AddrPort
}

func newStandIn(t *testing.T, st *model.State) *standIn {
	s := &standIn{apps: map[netip.AddrPort]netip.AddrPort{}, closed: closedPort(t, "127.0.0.9")}
	for _, tk := range st.Tasks {
		if tk.LastStatus != model.TaskStatus("RUNNING") {
			continue
		}
		td := st.TaskDefinitions[tk.TaskDefinitionARN]
		if td == nil {
			continue
		}
		for _, at := range tk.Attachments {
			if !at.PrivateIP.IsValid() {
				continue
			}
			for _, c := range td.Containers {
				if c.ListenAddress.IsLoopback() {
					continue
				}
				for _, pm := range c.PortMappings {
					a := startApp(t, "127.0.0.2", c.Name, c.Serves)
					a.mu.Lock()
					a.allowedHosts = c.AllowedHosts
					a.mu.Unlock()
					s.apps[netip.AddrPortFrom(at.PrivateIP, pm.ContainerPort)] = a.addr
				}
			}
		}
	}
	return s
}

func (s *standIn) dial(ctx context.Context, network, address string) (net.Conn, error) {
	to := s.closed
	if a, ok := s.apps[netip.MustParseAddrPort(address)]; ok {
		to = a
	}
	var d net.Dialer
	return d.DialContext(ctx, network, to.String())
}

// The proxy and the analyzer, two implementations of the same ELB
// behaviour, give the same HTTP status for the examples' requests through
// their ALBs.
func TestAgreesWithAnalyzer(t *testing.T) {
	type req struct{ path, host string }
	cases := []struct {
		file string
		lb   string
		reqs []req
	}{
		{"examples/seed/alb.yaml", "web-alb", []req{{"/", ""}}},
		{"examples/failures/wrong-health-check-port.yaml", "web-alb", []req{{"/", ""}, {"/nothing", ""}}},
		{"examples/failures/listener-rule-miss.yaml", "shop-alb", []req{{"/api/orders", ""}, {"/products", "www.shop.example"}, {"/products", ""}, {"/", "WWW.shop.example"}}},
		{"examples/failures/app-loopback.yaml", "web-alb", []req{{"/", ""}}},
		{"examples/failures/no-nat.yaml", "web-alb", []req{{"/", ""}}},
		{"examples/failures/missing-ecr-endpoint.yaml", "web-alb", []req{{"/", ""}}},
		{"examples/failures/missing-s3-gateway.yaml", "web-alb", []req{{"/", ""}}},
		{"examples/failures/agent-no-path.yaml", "web-alb", []req{{"/", ""}}},
		// (Security groups and bridge host ports are the kernel's part,
		// checked by the data plane's TestExamples, not this stand-in's.)
		{"examples/failures/health-check-404.yaml", "web-alb", []req{{"/", ""}, {"/health", ""}}},
		// The application's allowed hosts refuse the health check's Host
		// (the target's address) and the load balancer's DNS name.
		{"examples/failures/health-check-allowed-hosts.yaml", "web-alb", []req{{"/", ""}, {"/", "bibxml.example.org"}, {"/health", "BIBXML.example.org"}}},
		{"examples/failures/alb-zone-missing.yaml", "web-alb", []req{{"/", ""}}},
		{"examples/failures/fargate-public-no-ip.yaml", "web-alb", []req{{"/", ""}}},
		// A path rule without and with a url-rewrite transform.
		{"examples/failures/alb-path-prefix-not-stripped.yaml", "shop-alb", []req{{"/api/users/7", ""}, {"/", ""}}},
		{"internal/reach/testdata/alb-url-rewrite.yaml", "shop-alb", []req{{"/api/users/7", ""}, {"/api/users?id=7", ""}, {"/api/orders", ""}, {"/v1/users", ""}, {"/", ""}, {"/bad/users", ""}}},
		// Rules that match by regular expression (RegexValues): /users/7 and
		// the Host with its port reach the API only by an expression;
		// /users/seven and the Host without the port fall to the default
		// action, whose web app answers 404.
		{"internal/reach/testdata/alb-regex-conditions.yaml", "shop-alb", []req{{"/users/7", ""}, {"/users", ""}, {"/users/seven", ""}, {"/users/x", "api.example.com:8443"}, {"/users/x", "api.example.com"}}},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			sc, err := scenario.Load(repoFile(c.file))
			if err != nil {
				t.Fatal(err)
			}
			b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck)) // as the CLI builds
			if err != nil {
				t.Fatal(err)
			}
			st, _ := b.Engine.Snapshot()
			n := reach.Compile(st)
			var lb *model.LoadBalancer
			for _, x := range st.LoadBalancers {
				if x.Name == c.lb {
					lb = x
				}
			}
			if lb == nil {
				t.Fatalf("no load balancer %s", c.lb)
			}
			p, err := New(st, lb.ARN, Options{Dial: newStandIn(t, st).dial, Deterministic: true, TimeScale: 0.01})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			go p.Serve(ln, 80)
			if err := p.Settle(context.Background()); err != nil {
				t.Fatal(err)
			}
			for _, r := range c.reqs {
				q, err := reach.NewQuery(n, "internet", c.lb+":80", "tcp")
				if err != nil {
					t.Fatal(err)
				}
				q.HTTPPath, q.HTTPHost = r.path, r.host
				want := reach.Probe(n, q)
				host := r.host
				if host == "" {
					host = lb.DNSName // what a client resolving the DNS name sends
				}
				resp, body := rawGet(t, "http://"+ln.Addr().String(), r.path, host, nil)
				t.Logf("%s %s (Host %s): analyzer %s (%d targets), proxy %d %q", c.lb, r.path, host, want.Verdict, len(want.Targets), resp.StatusCode, firstLine(body))
				if want.HTTPStatus == 0 || resp.StatusCode != want.HTTPStatus {
					t.Errorf("%s (Host %s): proxy answered %d, the analyzer says %s", r.path, host, resp.StatusCode, want.Verdict)
				}
				// The targets' health, with AWS's reason codes.
				for _, x := range want.Targets {
					found := false
					for _, h := range p.Health() {
						if h.ID == x.ID && h.Port == x.Port {
							found = true
							if h.State != x.Health || h.Reason != x.Reason {
								t.Errorf("target %s:%d: proxy %s %s, analyzer %s %s", x.ID, x.Port, h.State, h.Reason, x.Health, x.Reason)
							}
						}
					}
					if !found {
						t.Errorf("target %s:%d: the analyzer sees it, the proxy does not", x.ID, x.Port)
					}
				}
			}
		})
	}
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\r' || c == '\n' {
			return s[:i]
		}
	}
	return s
}
