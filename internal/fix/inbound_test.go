package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// find probes from → to and returns the verified fixes, failing when the
// probe does not report the cause.
func findFixes(t *testing.T, path string, edit func(string) string, from, to, proto, cause string) []fix.Fix {
	t.Helper()
	e := load(t, path, edit)
	fixes, res, err := fix.Find(e, from, to, proto, fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.HasCode(cause) {
		t.Fatalf("%s → %s: no %s: %s", from, to, cause, res.Summary)
	}
	return fixes
}

func fixTitled(fixes []fix.Fix, prefix string) (fix.Fix, bool) {
	for _, f := range fixes {
		if strings.HasPrefix(f.Title, prefix) && f.Verification.Verdict != "" && len(f.Commands) > 0 {
			return f, true
		}
	}
	return fix.Fix{}, false
}

func titles(fixes []fix.Fix) string {
	var out []string
	for _, f := range fixes {
		out = append(out, f.Kind+": "+f.Title)
	}
	return strings.Join(out, "\n")
}

// TestBehindNAT: a connection to a NAT gateway's Elastic IP is fixed by a
// load balancer in front of the service whose tasks route through that
// gateway and serve the port; for a port no such task serves there is
// none (the load balancer would have nothing to forward to).
func TestBehindNAT(t *testing.T) {
	const story = "../../examples/failures/nat-gateway-inbound.yaml"
	fixes := findFixes(t, story, nil, "internet", "198.51.100.20:8080", "tcp", reach.CodeNATNoInbound)
	f, ok := fixTitled(fixes, "Put an internet-facing Application Load Balancer in front of service api (target type ip, port 8080)")
	if !ok || f.Kind != "load-balancer" || !strings.Contains(f.Detail, "NAT gateway") || f.Verification.Verdict != "http 200" {
		t.Fatalf("no verified load balancer fix:\n%s", titles(fixes))
	}
	fixes = findFixes(t, story, nil, "internet", "198.51.100.20:9090", "tcp", reach.CodeNATNoInbound)
	if _, ok := fixTitled(fixes, "Put an internet-facing"); ok {
		t.Errorf("a load balancer for a port no task serves:\n%s", titles(fixes))
	}
	// Tasks that do not route through the gateway (their subnets have no
	// default route): nothing sits behind it.
	noRoute := func(s string) string {
		return strings.Replace(s, "    routes: [{destination: 0.0.0.0/0, target: nat}]\n", "", 1)
	}
	fixes = findFixes(t, story, noRoute, "internet", "198.51.100.20:8080", "tcp", reach.CodeNATNoInbound)
	if _, ok := fixTitled(fixes, "Put an internet-facing"); ok {
		t.Errorf("a load balancer for tasks not behind the NAT gateway:\n%s", titles(fixes))
	}
}

// TestPingListener: a ping of a load balancer is answered by probing its
// lowest listener instead, with the listener's protocol, for an
// Application and a Classic Load Balancer alike.
func TestPingListener(t *testing.T) {
	otherPort := func(s string) string {
		s = strings.Replace(s, "listeners: [{port: 80, protocol: HTTP, forward: web-tg}]", "listeners: [{port: 8443, protocol: HTTP, forward: web-tg}, {port: 8080, protocol: HTTP, forward: web-tg}]", 1)
		return strings.Replace(s, "{protocol: tcp, ports: 80, cidr: 0.0.0.0/0}", "{protocol: tcp, ports: 8000-8999, cidr: 0.0.0.0/0}", 1)
	}
	fixes := findFixes(t, "../../examples/failures/ping-load-balancer.yaml", otherPort, "internet", "web-alb", "icmp", reach.CodeLBNoICMP)
	f, ok := fixTitled(fixes, "Test the listener tcp/8080 of web-alb instead of ping")
	if !ok || f.Verification.To != "web-alb:8080" || f.Verification.Verdict != "http 200" {
		t.Fatalf("no verified listener probe on 8080:\n%s", titles(fixes))
	}
	clbOK := func(s string) string {
		return strings.ReplaceAll(s, `target: "HTTP:8080/index.html"`, `target: "HTTP:8080/"`)
	}
	fixes = findFixes(t, "../../examples/failures/clb-health-check-path.yaml", clbOK, "internet", "web-elb", "icmp", reach.CodeLBNoICMP)
	if _, ok := fixTitled(fixes, "Test the listener tcp/80 of web-elb instead of ping"); !ok {
		t.Fatalf("no verified listener probe of the Classic Load Balancer:\n%s", titles(fixes))
	}
}

// TestHostPortInstead: a bridge task's container port called on its
// instance is answered on the host port Docker published, dynamic or
// static.
func TestHostPortInstead(t *testing.T) {
	const story = "../../examples/failures/bridge-container-port-on-instance.yaml"
	fixes := findFixes(t, story, nil, "worker-host", "node-0:3000", "tcp", reach.CodeNoHostPortBinding)
	if f, ok := fixTitled(fixes, "Connect to host port 32768 (the task's binding of container port 3000)"); !ok || f.Kind != "host-port" || f.Verification.Verdict != reach.Connected {
		t.Fatalf("no verified host port fix:\n%s", titles(fixes))
	}
	static := func(s string) string { return strings.Replace(s, `ports: ["0:3000"]`, `ports: ["8080:3000"]`, 1) }
	fixes = findFixes(t, story, static, "worker-host", "node-0:3000", "tcp", reach.CodeNoHostPortBinding)
	if f, ok := fixTitled(fixes, "Connect to host port 8080 (the task's binding of container port 3000)"); !ok || !strings.HasSuffix(f.Verification.To, ":8080") {
		t.Fatalf("no verified static host port fix:\n%s", titles(fixes))
	}
}

// TestClassicHealthPath: a Classic Load Balancer whose HTTP health check
// path answers 404 is fixed by a path the application answers 200 on,
// health-looking paths first; a TCP health check or an application that
// answers 200 nowhere gets no such fix.
func TestClassicHealthPath(t *testing.T) {
	const story = "../../examples/failures/clb-health-check-path.yaml"
	paths := func(s string) string {
		return strings.Replace(s, "serves: {/: 200}", "serves: {/: 200, /healthz: 200, /admin: 403}", 1)
	}
	fixes := findFixes(t, story, paths, "internet", "web-elb:80", "tcp", reach.CodeClassicNoInService)
	f, ok := fixTitled(fixes, "Check the health of the Classic Load Balancer web-elb on HTTP:8080/healthz")
	if !ok || f.Kind != "classic-health-check" || f.Verification.Verdict != "http 200" ||
		!strings.Contains(f.Commands[0], "aws elb configure-health-check --load-balancer-name web-elb --health-check Target=HTTP:8080/healthz,Interval=10,Timeout=5,UnhealthyThreshold=2,HealthyThreshold=2") {
		t.Fatalf("no verified /healthz fix:\n%s", titles(fixes))
	}
	none := func(s string) string { return strings.Replace(s, "serves: {/: 200}", "serves: {/: 404}", 1) }
	fixes = findFixes(t, story, none, "internet", "web-elb:80", "tcp", reach.CodeClassicNoInService)
	if _, ok := fixTitled(fixes, "Check the health of the Classic Load Balancer"); ok {
		t.Errorf("a health check path the application does not answer 200 on:\n%s", titles(fixes))
	}
}
