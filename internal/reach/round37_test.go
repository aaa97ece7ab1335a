package reach

import (
	"strings"
	"testing"
)

// A task of network mode none calls out: no route at the task itself, and
// the instance it runs on still reaches the service.
func TestProbeFromNetworkModeNone(t *testing.T) {
	const story = "examples/failures/analyzer-only/network-mode-none-worker.yaml"
	n := compileEngine(storyEngine(t, story))
	r := Probe(n, mustQuery(t, n, "worker", "sqs:443"))
	if r.Verdict != NoRoute || !r.HasCode(CodeNetworkModeNone) {
		t.Fatalf("%s: %s", r.Verdict, r.Summary)
	}
	if r := Probe(n, mustQuery(t, n, "ecs-asg/0", "sqs:443")); r.Verdict != Connected {
		t.Errorf("the instance: %s: %s", r.Verdict, r.Summary)
	}
	// The same worker in bridge mode reaches SQS through its instance.
	n = compileEngine(storyEngine(t, story, "network_mode: none", "network_mode: bridge"))
	if r := Probe(n, mustQuery(t, n, "worker", "sqs:443")); r.Verdict != Connected || r.HasCode(CodeNetworkModeNone) {
		t.Errorf("bridge mode: %s: %s", r.Verdict, r.Summary)
	}
}

// An NLB's TLS listener into a TCP group before a TLS application: an
// HTTP request gets 400, a client that sends none connects with a note;
// a TLS group (or a plain application) answers.
func TestNLBTLSOffloadToTLSTarget(t *testing.T) {
	const story = "examples/failures/analyzer-only/nlb-tls-listener-tcp-group-tls-app.yaml"
	n := compileEngine(storyEngine(t, story))
	r := probePath(t, n, "internet", "api-nlb:443", "/")
	if r.Verdict != HTTPVerdict(400) || !r.HasCode(CodeNLBTLSListenerPlainToTLSTarget) || len(r.Blocking()) == 0 {
		t.Fatalf("with a request: %s: %s", r.Verdict, r.Summary)
	}
	r = Probe(n, mustQuery(t, n, "internet", "api-nlb:443"))
	if r.Verdict != Connected || !r.HasCode(CodeNLBTLSListenerPlainToTLSTarget) || len(r.Blocking()) != 0 {
		t.Fatalf("without a request: %s: %s (%d blocking)", r.Verdict, r.Summary, len(r.Blocking()))
	}
	n = compileEngine(storyEngine(t, story, "api: {image: public.ecr.aws/docker/library/nginx:1.27, ports: [8443], tls: true}", "api: {image: public.ecr.aws/docker/library/nginx:1.27, ports: [8443]}"))
	if r := probePath(t, n, "internet", "api-nlb:443", "/"); r.Verdict.HTTPStatus() == 400 || r.HasCode(CodeNLBTLSListenerPlainToTLSTarget) {
		t.Errorf("a plain application behind the TCP group: %s: %s", r.Verdict, r.Summary)
	}
	n = compileEngine(storyEngine(t, story, "api-tg: {vpc: main, protocol: TCP,", "api-tg: {vpc: main, protocol: TLS,"))
	if r := probePath(t, n, "internet", "api-nlb:443", "/"); r.Verdict.HTTPStatus() == 400 || r.HasCode(CodeNLBTLSListenerPlainToTLSTarget) {
		t.Errorf("a TLS group: %s: %s", r.Verdict, r.Summary)
	}
}

// A subnet whose route table lacks the peering route that another zone's
// table has: the missing route is named on that table, not a public IP.
func TestPeeringRouteMissingInOneTable(t *testing.T) {
	const story = "examples/failures/peering-route-one-zone-table.yaml"
	n := compileEngine(storyEngine(t, story))
	r := Probe(n, mustQuery(t, n, "api/1", "10.1.1.4:5432"))
	var named bool
	for _, x := range r.Blocking() {
		if x.Code == CodeNoRouteToDestination && x.Component != nil && x.Component.Name == "private-b" &&
			strings.Contains(x.Message, "10.1.0.0/16") && strings.Contains(x.Message, "app-data") && strings.Contains(x.Message, "private-a has the route") {
			named = true
		}
	}
	if r.Verdict != NoRoute || !named || r.HasCode(CodeTaskNoPublicIP) {
		t.Fatalf("%s: %s", r.Verdict, r.Summary)
	}
	if r := Probe(n, mustQuery(t, n, "api/0", "10.1.1.4:5432")); r.Verdict != Connected {
		t.Errorf("api/0 (private-a): %s: %s", r.Verdict, r.Summary)
	}
	// Without the peering connection the hint has nothing to name.
	n = compileEngine(storyEngine(t, story, "      - {destination: 10.1.0.0/16, target: app-data}\n", "",
		"      - {destination: 10.0.0.0/16, target: app-data}\n", "",
		"vpc_peering_connections:\n  app-data: {requester: app, accepter: data}\n", ""))
	r = Probe(n, mustQuery(t, n, "api/1", "10.1.1.4:5432"))
	for _, x := range r.Blocking() {
		if x.Component != nil && x.Component.Type == "route-table" {
			t.Errorf("no peering connection: %s names route table %s", x.Code, x.Component.Name)
		}
	}
}

// A network ACL of subnets that hold only tasks needs their replies on
// Linux's ephemeral range, not 1024-65535; subnets with a NAT gateway
// (or a load balancer) need the whole range.
func TestNACLEphemeralReturnLinuxSubnets(t *testing.T) {
	n := compileEngine(storyEngine(t, "examples/failures/nacl-app-subnets-container-port.yaml"))
	if fs := findingsOf(n, CodeNACLEphemeralReturn); len(fs) != 0 {
		t.Errorf("tasks only, 32768-65535 admitted: %+v", fs)
	}
	n = compileEngine(storyEngine(t, "examples/failures/nacl-app-subnets-container-port.yaml", "ports: 32768-65535", "ports: 49152-65535"))
	if fs := findingsOf(n, CodeNACLEphemeralReturn); len(fs) != 1 || !strings.Contains(fs[0].Message, "32768") {
		t.Errorf("tasks only, 49152-65535 admitted: %+v, want one naming 32768", fs)
	}
	n = compileEngine(storyEngine(t, "examples/failures/public-nacl-linux-ephemeral-range.yaml"))
	if fs := findingsOf(n, CodeNACLEphemeralReturn); len(fs) == 0 || !strings.Contains(fs[0].Message, "1024") {
		t.Errorf("a NAT gateway's subnets: %+v, want one naming 1024", fs)
	}
}

// An NLB's TCP group takes an HTTPS health check: the lint's fix does not
// ask for a group of protocol HTTPS, which an ALB's group would need.
func TestHealthProtocolMismatchFixNLB(t *testing.T) {
	n := compileEngine(storyEngine(t, "examples/failures/nlb-passthrough-http-health-check-tls-port.yaml"))
	fs := findingsOf(n, CodeTargetUnhealthy)
	if len(fs) == 0 || !strings.Contains(fs[0].Fix, "--health-check-protocol HTTPS") || strings.Contains(fs[0].Fix, "target group of protocol") {
		t.Errorf("NLB: %+v", fs)
	}
	n = compileEngine(storyEngine(t, "examples/failures/alb-https-target-health-check-http.yaml", "    protocol: HTTPS\n    port: 8443", "    protocol: HTTP\n    port: 8443"))
	fs = findingsOf(n, CodeTargetUnhealthy)
	if len(fs) == 0 || !strings.Contains(fs[0].Fix, "forward to a target group of protocol HTTPS") {
		t.Errorf("an ALB's HTTP group: %+v", fs)
	}
}
