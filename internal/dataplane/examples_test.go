package dataplane

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// TestExamples brings every example scenario up and checks each of its
// expectations three ways: the analyzer gives the expected verdict, a
// real connection (or HTTP request) from the same node to the same
// address and client port gives the same, and the two agree.
func TestExamples(t *testing.T) {
	isolated(t)
	files, _ := filepath.Glob(repoFile("examples/seed/*.yaml"))
	more, _ := filepath.Glob(repoFile("examples/failures/*.yaml"))
	tgw, _ := filepath.Glob(repoFile("examples/tgw/*.yaml"))
	tgw = slices.DeleteFunc(tgw, func(f string) bool { return strings.HasSuffix(f, ".cfn.yaml") })
	classic, _ := filepath.Glob(repoFile("examples/classic/*.yaml"))
	classic = slices.DeleteFunc(classic, func(f string) bool { return strings.HasSuffix(f, ".cfn.yaml") })
	ipv6, _ := filepath.Glob(repoFile("examples/ipv6/*.yaml"))
	own, _ := filepath.Glob("testdata/*.yaml")
	// Stories of analyzer-only that the kernel checks too (the other
	// packages' tests read them there): IPv6-only subnets, whose
	// namespaces have no IPv4 address or route, regional NAT gateways
	// (natregional.go), an inspection VPC's appliances (inspection.go) and
	// AWS Network Firewall's and Gateway Load Balancer endpoints (firewall.go,
	// gwlb.go), a weighted forward's failing share (elbproxy's
	// Deterministic turns, requestsInTurn), the instance metadata service
	// (imds.go: its hop limit, Fargate's blackhole), NAT64's absence at an
	// internet gateway, a GWLB endpoint on an ingress route, an IPv6 client
	// of an ipv4 NLB target group (nlbxlat.go), S3 of another Region
	// outside the gateway endpoint's prefix list.
	var checked []string
	for _, f := range []string{"ipv6-only-subnet-no-dns64.yaml", "ipv6-only-ecr-ipv4-image-uri.yaml", "ipv6-only-ecr-dualstack-pull.yaml", "ipv6-only-endpoint-dns-records-ipv4.yaml",
		"regional-nat-zone-not-listed.yaml", "tgw-inspection-vpc-appliance-mode-off.yaml", "network-firewall-egress-allow-list-port.yaml",
		"gwlb-ingress-appliance-health-check-sg.yaml", "nlb-tls-listener-tcp-group-tls-app.yaml",
		"alb-weighted-target-group-empty.yaml", "imds-hop-limit-bridge-container.yaml", "fargate-sidecar-imds.yaml",
		"dual-stack-dns64-no-nat64-route.yaml", "gwlb-ingress-routing-reply-bypass.yaml", "ipv6-nlb-sg.yaml",
		"s3-bucket-global-name-other-region.yaml", "s3-global-name-gateway-other-region.yaml"} {
		checked = append(checked, repoFile("examples/failures/analyzer-only/"+f))
	}
	for _, f := range slices.Concat(files, more, tgw, classic, ipv6, own, checked) {
		name := strings.TrimSuffix(filepath.Base(filepath.Dir(f)), "/") + "/" + filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			sc, err := scenario.Load(f)
			if err != nil {
				t.Fatal(err)
			}
			b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
			if err != nil {
				t.Fatal(err)
			}
			st, _ := b.Engine.Snapshot()
			s := up(t, st)
			n := reach.Compile(st)
			for _, x := range sc.Expect {
				q, err := reach.NewQuery(n, x.From, x.To, x.Protocol)
				if err != nil {
					t.Errorf("line %d: %v", x.Line, err)
					continue
				}
				q.HTTPPath, q.HTTPHost, q.HTTPMethod, q.HTTPHeaders = x.Path, x.Host, x.Method, x.Header
				q.HTTPVersion, _ = reach.ParseHTTPVersion(x.HTTPVersion)
				q.PlainHTTP = x.PlainHTTP
				q.IPv6 = x.IPv6
				real, res := s.Probe(context.Background(), q)
				if string(res.Verdict) != x.Verdict {
					t.Errorf("line %d: %s → %s: the analyzer says %s, the file expects %s", x.Line, x.From, x.To, res.Verdict, x.Verdict)
				}
				if !Agree(res.Verdict, real) {
					t.Errorf("line %d: %s → %s: the kernel says %s (%s), the analyzer %s: %s", x.Line, x.From, x.To, real.Verdict, real.Detail, res.Verdict, res.Summary)
				} else {
					t.Logf("line %d: %s → %s: %s for real (%s), as the analyzer says", x.Line, x.From, x.To, real.Verdict, real.Detail)
				}
			}
		})
	}
}

// The ephemeral port trap for real: a private task's connection out
// through the NAT gateway from client port 1024, below the private
// subnet's inbound 32768-65535, times out on the way back; from 49152 it
// connects.
func TestNACLEphemeralPort(t *testing.T) {
	isolated(t)
	st := loadState(t, "internal/dataplane/testdata/mix.yaml")
	s := up(t, st)
	n := reach.Compile(st)
	for _, c := range []struct {
		port uint16
		want reach.Verdict
	}{{1024, reach.Timeout}, {49152, reach.Connected}} {
		q, err := reach.NewQuery(n, "api/0", "internet:443", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		q.ClientPort = c.port
		real, res := s.Probe(context.Background(), q)
		if res.Verdict != c.want || !Agree(res.Verdict, real) {
			t.Errorf("client port %d: analyzer %s, kernel %s (%s), want %s", c.port, res.Verdict, real.Verdict, real.Detail, c.want)
		}
	}
}

// A route whose target is gone (the NAT gateway deleted) is a blackhole
// for real: the private task's connection out times out, and the
// analyzer says no-route.
func TestBlackholeRoute(t *testing.T) {
	isolated(t)
	st := loadState(t, "internal/dataplane/testdata/mix.yaml").Clone()
	for id, g := range st.NatGateways {
		x := *g
		x.State = "deleted"
		st.NatGateways[id] = &x
	}
	s := up(t, st)
	n := reach.Compile(st)
	q, err := reach.NewQuery(n, "api/0", "internet:443", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	real, res := s.Probe(context.Background(), q)
	if res.Verdict != reach.NoRoute || !Agree(res.Verdict, real) {
		t.Errorf("analyzer %s (%s), kernel %s (%s)", res.Verdict, res.Summary, real.Verdict, real.Detail)
	}
}
