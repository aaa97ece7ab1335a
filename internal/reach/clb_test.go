package reach

import (
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// classicExample builds examples/classic/clb-bridge.yaml with each edit
// (old → new) applied to its text, and without its expectations.
func classicExample(t testing.TB, edits ...string) *Network {
	t.Helper()
	path := repoFile("examples/classic/clb-bridge.yaml")
	data := readFile(t, path)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(data, edits[i]) {
			t.Fatalf("edit %q: not in the example", edits[i])
		}
		data = strings.ReplaceAll(data, edits[i], edits[i+1])
	}
	data = data[:strings.Index(data, "\nexpect:")]
	sc, err := scenario.Parse(path, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(StartCheck))
	if err != nil {
		t.Fatal(err)
	}
	return compileEngine(b.Engine)
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func hasInfo(r *Result, code string) bool {
	for _, e := range r.Explanations {
		if e.Code == code {
			return true
		}
	}
	return false
}

func TestClassicLoadBalancer(t *testing.T) {
	t.Run("listener to the instance port of InService instances", func(t *testing.T) {
		n := classicExample(t)
		r := probeSpec(t, n, "internet", "web-elb:80", "tcp")
		checkClean(t, r, HTTP200)
		if len(r.Targets) != 2 || !r.Targets[0].Chosen || r.Targets[0].Port != 8080 || r.Targets[0].Health != HealthHealthy || r.Targets[1].Health != HealthHealthy {
			t.Fatalf("targets = %+v", r.Targets)
		}
		// A new connection from the node's private address to port 8080.
		last := r.Forward[len(r.Forward)-1]
		if last.Packet.DestinationPort != 8080 || isPublic(last.Packet.Source) {
			t.Errorf("last hop = %+v", last)
		}
		for _, h := range ClassicInstanceHealth(n, "web-elb") {
			if h.State != "InService" || h.HealthCheckPort != "8080" {
				t.Errorf("health = %+v", h)
			}
		}
		if ClassicInstanceHealth(n, "nope") != nil {
			t.Error("health of a load balancer that does not exist")
		}
		for _, f := range Lint(n) {
			if f.Code == CodeClassicDynamicPort || f.Code == CodeTaskSGBlocksLB {
				t.Errorf("finding %s: %s", f.Code, f.Message)
			}
		}
	})
	t.Run("dynamic host port: ECS refuses the service", func(t *testing.T) {
		data := strings.Replace(readFile(t, repoFile("examples/classic/clb-bridge.yaml")), `ports: ["8080:80"]`, `ports: [80]`, 1)
		sc, err := scenario.Parse("clb-bridge.yaml", []byte(data[:strings.Index(data, "\nexpect:")]))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sc.Build(engine.WithStartCheck(StartCheck)); err == nil || !strings.Contains(err.Error(), "A host port mapping for the container port 80 is required.") {
			t.Fatalf("build: %v, want ECS's refusal", err)
		}
	})
	t.Run("static host port other than the instance port: OutOfService, 503, no fail-open", func(t *testing.T) {
		n := classicExample(t, `ports: ["8080:80"]`, `ports: ["8081:80"]`)
		r := probeSpec(t, n, "internet", "web-elb:80", "tcp")
		check(t, r, HTTP503, CodeClassicNoInService)
		said := false
		for _, e := range r.Explanations {
			said = said || e.Code == CodeTargetPortRestriction && strings.Contains(e.Message, "on host port 8081; a Classic Load Balancer sends to and checks one fixed instance port (8080)")
		}
		if !said || hasInfo(r, CodeClassicDynamicPort) {
			t.Errorf("want %s naming host port 8081 and not %s: %+v", CodeTargetPortRestriction, CodeClassicDynamicPort, r.Explanations)
		}
		for _, x := range r.Targets {
			if x.Health != HealthUnhealthy || x.Chosen || !strings.Contains(x.Reason, "UnhealthyThreshold") {
				t.Errorf("target = %+v", x)
			}
		}
		for _, h := range ClassicInstanceHealth(n, "web-elb") {
			if h.State != "OutOfService" || h.Reason != "Instance" {
				t.Errorf("health = %+v", h)
			}
		}
		found := false
		for _, f := range Lint(n) {
			found = found || f.Code == CodeTargetPortRestriction
		}
		if !found {
			t.Error("Lint reports no host port other than the instance port")
		}
	})
	t.Run("a TCP listener closes the connection", func(t *testing.T) {
		n := classicExample(t, `ports: ["8080:80"]`, `ports: ["8081:80"]`, `protocol: HTTP, instance_port`, `protocol: TCP, instance_port`)
		r := probeSpec(t, n, "internet", "web-elb:80", "tcp")
		check(t, r, Refused, CodeClassicNoInService)
	})
	t.Run("SSL health check: a TLS handshake the plain port fails", func(t *testing.T) {
		n := classicExample(t, `target: "HTTP:8080/health"`, `target: "SSL:8080"`)
		r := probeSpec(t, n, "internet", "web-elb:80", "tcp")
		check(t, r, HTTP503, CodeClassicNoInService)
		found := false
		for _, e := range r.Explanations {
			found = found || e.Code == CodeTargetUnhealthy && strings.Contains(e.Message, "its health check SSL:8080 fails the TLS handshake: port 8080 answers without TLS")
		}
		if !found {
			t.Errorf("no failed handshake named: %+v", r.Explanations)
		}
		for _, h := range ClassicInstanceHealth(n, "web-elb") {
			if h.State != "OutOfService" || h.Reason != "Instance" {
				t.Errorf("health = %+v", h)
			}
		}
		// sshd on 22 speaks SSH, not TLS: as the kernel's, the handshake fails.
		n = classicExample(t, `target: "HTTP:8080/health"`, `target: "SSL:22"`,
			`{protocol: tcp, ports: 8080, group: elb-sg}`, `{protocol: tcp, ports: 8080, group: elb-sg}, {protocol: tcp, ports: 22, group: elb-sg}`)
		for _, h := range ClassicInstanceHealth(n, "web-elb") {
			if h.State != "OutOfService" {
				t.Errorf("health of SSL:22 = %+v", h)
			}
		}
		// The application speaking TLS on the port completes the handshake.
		n = classicExample(t, `target: "HTTP:8080/health"`, `target: "SSL:8080"`, `serves: {/: 200, /health: 200}`, "serves: {/: 200, /health: 200}\n        tls: true")
		for _, h := range ClassicInstanceHealth(n, "web-elb") {
			if h.State != "InService" {
				t.Errorf("health with TLS = %+v", h)
			}
		}
	})
	t.Run("health check path answers 404", func(t *testing.T) {
		n := classicExample(t, `/health: 200`, `/health: 404`)
		r := probeSpec(t, n, "internet", "web-elb:80", "tcp")
		check(t, r, HTTP503, CodeClassicNoInService)
		found := false
		for _, e := range r.Explanations {
			found = found || e.Code == CodeTargetUnhealthy && strings.Contains(e.Message, "gets 404")
		}
		if !found {
			t.Errorf("no 404 named: %+v", r.Explanations)
		}
		// A TCP health check passes: the instances serve again.
		n = classicExample(t, `/health: 200`, `/health: 404`, `target: "HTTP:8080/health"`, `target: "TCP:8080"`)
		checkClean(t, probeSpec(t, n, "internet", "web-elb:80", "tcp"), HTTP200)
	})
	t.Run("instance security group drops the load balancer", func(t *testing.T) {
		n := classicExample(t, `ports: 8080, group: elb-sg`, `ports: 22, group: elb-sg`)
		r := probeSpec(t, n, "internet", "web-elb:80", "tcp")
		check(t, r, HTTP503, CodeClassicNoInService, CodeSGRulesMismatch)
		found := false
		for _, f := range Lint(n) {
			found = found || f.Code == CodeTaskSGBlocksLB && strings.Contains(f.Message, "Classic Load Balancer web-elb")
		}
		if !found {
			t.Error("Lint does not name the instance security group")
		}
	})
	t.Run("without cross-zone a node sends to its own zone", func(t *testing.T) {
		n := classicExample(t, "cross_zone: true", "cross_zone: false")
		r := probeSpec(t, n, "internet", "web-elb:80", "tcp")
		checkClean(t, r, HTTP200)
		if len(r.Targets) != 1 {
			t.Errorf("targets = %+v", r.Targets)
		}
	})
	t.Run("no registered instance", func(t *testing.T) {
		n := classicExample(t, "    desired: 2\n    launch_type: EC2", "    desired: 0\n    launch_type: EC2")
		r := probeSpec(t, n, "internet", "web-elb:80", "tcp")
		check(t, r, HTTP503, CodeNoRegisteredTargets)
	})
	t.Run("InService by another port: 502 when the instance port refuses, 504 when it is dropped", func(t *testing.T) {
		// The health check TCP:22 passes on sshd.
		n := classicExample(t, `target: "HTTP:8080/health"`, `target: "TCP:22"`, `ports: 8080, group: elb-sg`, `ports: 22, group: elb-sg}, {protocol: tcp, ports: 8080, group: elb-sg`,
			`ports: ["8080:80"]`, `ports: ["9090:80"]`)
		r := probeSpec(t, n, "internet", "web-elb:80", "tcp")
		if r.Verdict != HTTP502 || len(r.Targets) != 2 || r.Targets[0].Health != HealthHealthy || !r.Targets[0].Chosen {
			t.Errorf("%s: %s %+v", r.Verdict, r.Summary, r.Targets)
		}
		n = classicExample(t, `target: "HTTP:8080/health"`, `target: "TCP:22"`, `ports: 8080, group: elb-sg`, `ports: 22, group: elb-sg`)
		r = probeSpec(t, n, "internet", "web-elb:80", "tcp")
		check(t, r, HTTP504, CodeSGRulesMismatch)
	})
	t.Run("lint: a static host port other than the instance port, an awsvpc service", func(t *testing.T) {
		n := classicExample(t, `ports: ["8080:80"]`, `ports: ["9090:80"]`)
		found := false
		for _, f := range Lint(n) {
			found = found || f.Code == CodeTargetPortRestriction && strings.Contains(f.Message, "host port 9090")
		}
		if !found {
			t.Error("Lint does not name the host port 9090")
		}
		// ECS refuses an awsvpc service behind a Classic Load Balancer; a
		// snapshot can still hold one.
		st := n.State().Clone()
		for k, td := range st.TaskDefinitions {
			c := *td
			c.NetworkMode = model.NetworkModeAwsvpc
			st.TaskDefinitions[k] = &c
		}
		found = false
		for _, f := range Lint(Compile(st)) {
			found = found || f.Code == CodeTargetTypeMismatch && strings.Contains(f.Fix, "target type ip")
		}
		if !found {
			t.Error("Lint does not flag the awsvpc service")
		}
	})
	t.Run("internal load balancer from the internet", func(t *testing.T) {
		n := classicExample(t, "    type: classic\n", "    type: classic\n    scheme: internal\n")
		r := probeSpec(t, n, "internet", "web-elb:80", "tcp")
		if r.Reachable {
			t.Errorf("%s: %s", r.Verdict, r.Summary)
		}
	})
}

// LoadBalancerAt finds the load balancer whose node holds an address,
// public or private, and nothing for another address.
func TestLoadBalancerAt(t *testing.T) {
	st, _ := build(t, repoFile("examples/failures/clb-cross-zone-off.yaml")).Snapshot()
	want := ClassicLoadBalancerARN(st, "web-elb")
	n := 0
	for _, e := range st.NetworkInterfaces {
		if e.OwnerKind != model.OwnedByClassicLoadBalancer {
			continue
		}
		n++
		pub, _ := e.PublicIP()
		if got := LoadBalancerAt(st, pub); got != want {
			t.Errorf("public %s: %q, want %q", pub, got, want)
		}
		if got := LoadBalancerAt(st, e.PrimaryIP()); got != want {
			t.Errorf("private %s: %q, want %q", e.PrimaryIP(), got, want)
		}
	}
	if n != 2 {
		t.Fatalf("%d nodes", n)
	}
	if got := LoadBalancerAt(st, netip.MustParseAddr("198.51.100.7")); got != "" {
		t.Errorf("the internet client: %q", got)
	}
}
