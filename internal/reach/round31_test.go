package reach

import (
	"strings"
	"testing"
)

const nlbALBStory = "examples/failures/analyzer-only/nlb-alb-target-sg-vpc-only.yaml"

// An NLB's alb-type target group forwards to the ALB, which takes the
// connection as it takes a client's: its security groups judge the
// client's own address (an alb-type target group keeps its default
// attributes), then its listener, rules and targets give the HTTP answer.
func TestNLBForwardsToALB(t *testing.T) {
	const partner = "internet:203.0.113.10"
	const sgVPC = "ingress: [{protocol: tcp, ports: 80, cidr: 10.0.0.0/16}]"
	t.Run("the ALB's group judges the client's address", func(t *testing.T) {
		n := compileEngine(storyEngine(t, nlbALBStory))
		r := probeSpec(t, n, partner, "partner-nlb:80", "tcp")
		byCode := check(t, r, Timeout, CodeSGRulesMismatch)
		e := byCode[CodeSGRulesMismatch]
		if e.Component == nil || e.Component.Name != "orders-alb-sg" || !strings.Contains(e.Message, "203.0.113.10") {
			t.Errorf("blocking %+v: want orders-alb-sg dropping 203.0.113.10", e)
		}
		if !r.HasCode(CodePreserveClientIPEnabled) {
			t.Errorf("no %s note: %s", CodePreserveClientIPEnabled, codeList(r))
		}
	})
	t.Run("through the ALB to its targets", func(t *testing.T) {
		n := compileEngine(storyEngine(t, nlbALBStory, sgVPC, "ingress: [{protocol: tcp, ports: 80, cidr: 0.0.0.0/0}]"))
		r := probeSpec(t, n, partner, "partner-nlb:80", "tcp")
		if r.Verdict != HTTP200 {
			t.Fatalf("verdict %s (%s), want http 200: %s", r.Verdict, codeList(r), r.Summary)
		}
		hopOf(t, r.Forward, "listener", "orders-alb HTTP:80")
		hopOf(t, r.Forward, "task", "orders/0")
	})
	t.Run("the ALB's answer is the client's", func(t *testing.T) {
		n := compileEngine(storyEngine(t, nlbALBStory, sgVPC, "ingress: [{protocol: tcp, ports: 80, cidr: 0.0.0.0/0}]",
			"ports: 8080, group: orders-alb-sg", "ports: 8080, cidr: 10.9.0.0/16"))
		r := probeSpec(t, n, partner, "partner-nlb:80", "tcp")
		byCode := check(t, r, HTTP504, CodeSGRulesMismatch)
		if c := byCode[CodeSGRulesMismatch].Component; c == nil || c.Name != "orders-task-sg" {
			t.Errorf("blocking at %+v, want orders-task-sg", c)
		}
		if !strings.Contains(r.Summary, "504") {
			t.Errorf("summary %q: want the ALB's 504", r.Summary)
		}
	})
	t.Run("an NLB with security groups: a rule naming them admits the client", func(t *testing.T) {
		n := compileEngine(storyEngine(t, nlbALBStory,
			"  orders-alb-sg: {vpc: main, "+sgVPC+"}",
			"  nlb-sg: {vpc: main, ingress: [{protocol: tcp, ports: 80, cidr: 0.0.0.0/0}]}\n  orders-alb-sg: {vpc: main, ingress: [{protocol: tcp, ports: 80, group: nlb-sg}]}",
			"    elastic_ips: [nlb-a, nlb-b]\n", "    elastic_ips: [nlb-a, nlb-b]\n    security_groups: [nlb-sg]\n"))
		r := probeSpec(t, n, partner, "partner-nlb:80", "tcp")
		if r.Verdict != HTTP200 {
			t.Fatalf("verdict %s (%s), want http 200: %s", r.Verdict, codeList(r), r.Summary)
		}
	})
}

const proxyStory = "examples/failures/analyzer-only/nlb-proxy-protocol-app-not-reading.yaml"

// An NLB target group's proxy protocol v2 and its application's: a header
// the application does not read is answered 400 (health checks too); a
// header it expects and does not get closes the connection unanswered.
func TestNLBProxyProtocol(t *testing.T) {
	const ppOn = `attributes: {proxy_protocol_v2.enabled: "true"}`
	const app = "serves: {/: 200, /health: 200}}"
	t.Run("a header the application does not read", func(t *testing.T) {
		n := compileEngine(storyEngine(t, proxyStory))
		r := probeSpec(t, n, "internet", "web-nlb:80", "tcp")
		byCode := check(t, r, HTTPVerdict(400), CodeProxyProtocolMismatch)
		if c := byCode[CodeProxyProtocolMismatch].Component; c == nil || c.Name != "web-tg" {
			t.Errorf("decided at %+v, want web-tg", c)
		}
		hs := TargetHealth(n, tgARN(t, n, "web-tg"))
		if len(hs) == 0 || hs[0].State != HealthUnhealthy || hs[0].Reason != ReasonResponseCodeMismatch || !hs[0].ProxyProtocol {
			t.Errorf("health %+v: want unhealthy, ResponseCodeMismatch on the proxy header", hs)
		}
	})
	t.Run("the application reads it", func(t *testing.T) {
		n := compileEngine(storyEngine(t, proxyStory, app, app[:len(app)-1]+", proxy_protocol: true}"))
		checkClean(t, probeSpec(t, n, "internet", "web-nlb:80", "tcp"), Connected)
	})
	t.Run("a header the application expects and does not get", func(t *testing.T) {
		n := compileEngine(storyEngine(t, proxyStory, app, app[:len(app)-1]+", proxy_protocol: true}", ppOn, `attributes: {proxy_protocol_v2.enabled: "false"}`))
		r := probeSpec(t, n, "internet", "web-nlb:80", "tcp")
		byCode := check(t, r, Refused, CodeProxyProtocolMismatch)
		if m := byCode[CodeProxyProtocolMismatch].Message; !strings.Contains(m, "closes the connection") {
			t.Errorf("message %q", m)
		}
		hs := TargetHealth(n, tgARN(t, n, "web-tg"))
		if len(hs) == 0 || hs[0].Reason != ReasonFailedHealthChecks || !hs[0].ProxyProtocol {
			t.Errorf("health %+v: want FailedHealthChecks on the missing header", hs)
		}
	})
	t.Run("a TCP health check only connects", func(t *testing.T) {
		n := compileEngine(storyEngine(t, proxyStory, "health_check: {protocol: HTTP, path: /health}", "health_check: {protocol: TCP}"))
		for _, h := range TargetHealth(n, tgARN(t, n, "web-tg")) {
			if h.State != HealthHealthy {
				t.Errorf("health %+v: a TCP check passes whatever the header", h)
			}
		}
	})
}

const bucketStory = "examples/failures/analyzer-only/s3-bucket-global-name-other-region.yaml"

// A bucket's virtual-hosted name on S3's legacy global endpoint
// (BUCKET.s3.amazonaws.com) resolves to the bucket's Region's S3: through
// the VPC's gateway endpoint only for a bucket of the VPC's Region. A
// bucket of an opt-in Region keeps us-east-1's; an unknown bucket is
// taken to be in the VPC's Region.
func TestS3BucketGlobalName(t *testing.T) {
	n := compileEngine(storyEngine(t, bucketStory))
	checkClean(t, probeSpec(t, n, "reports/0", "reports-eu.s3.amazonaws.com:443", "tcp"), Connected)
	checkClean(t, probeSpec(t, n, "reports/0", "unknown-bucket.s3.amazonaws.com:443", "tcp"), Connected)
	r := probeSpec(t, n, "reports/0", "partner-drop.s3.amazonaws.com:443", "tcp")
	check(t, r, NoRoute, CodeNoRouteToDestination)
	if !r.HasCode(CodeEndpointLegacyName) || !strings.Contains(strings.Join(r.Notes, " "), "us-west-2") {
		t.Errorf("codes %s, notes %q: want the legacy name and the bucket's Region us-west-2", codeList(r), r.Notes)
	}
	n = compileEngine(storyEngine(t, bucketStory, "partner-drop: {region: us-west-2}", "partner-drop: {region: af-south-1}"))
	r = probeSpec(t, n, "reports/0", "partner-drop.s3.amazonaws.com:443", "tcp")
	check(t, r, NoRoute, CodeNoRouteToDestination)
	if notes := strings.Join(r.Notes, " "); !strings.Contains(notes, "us-east-1") || !strings.Contains(notes, "400") {
		t.Errorf("notes %q: want us-east-1 answering 400 for an opt-in Region's bucket", notes)
	}
}

const v6OnlyStory = "examples/failures/analyzer-only/ipv6-only-subnet-no-dns64.yaml"

// A task in an IPv6-only subnet reaches an IPv4-only destination only
// through DNS64 (the subnet's EnableDns64) and NAT64 (64:ff9b::/96 routed
// to a NAT gateway).
func TestIPv6OnlySubnetNAT64(t *testing.T) {
	const sub = "ipv6_native: true, route_table: app}"
	const rt = `app: {vpc: main, routes: [{destination: "::/0", target: eigw}]}`
	nat := `app: {vpc: main, routes: [{destination: "::/0", target: eigw}, {destination: "64:ff9b::/96", target: nat}]}`
	t.Run("without DNS64 the task cannot pull", func(t *testing.T) {
		n := compileEngine(storyEngine(t, v6OnlyStory))
		fs := findingsOf(n, CodeImagePullFailed)
		if len(fs) != 1 || !strings.Contains(fs[0].Message, "IPv6-only") || !strings.Contains(fs[0].Fix, "--enable-dns64") {
			t.Fatalf("findings %+v: want the pull failing on the IPv6-only subnet, fixed with DNS64", fs)
		}
	})
	t.Run("DNS64 without a NAT64 route", func(t *testing.T) {
		n := compileEngine(storyEngine(t, v6OnlyStory, sub, "ipv6_native: true, dns64: true, route_table: app}"))
		fs := findingsOf(n, CodeImagePullFailed)
		if len(fs) != 1 || !strings.Contains(fs[0].Message, "64:ff9b::") {
			t.Fatalf("findings %+v: want the synthesized address sent to the egress-only gateway", fs)
		}
	})
	t.Run("DNS64 and NAT64", func(t *testing.T) {
		n := compileEngine(storyEngine(t, v6OnlyStory, sub, "ipv6_native: true, dns64: true, route_table: app}", rt, nat))
		if fs := findingsOf(n, CodeImagePullFailed); len(fs) != 0 {
			t.Fatalf("findings %+v: want the task running", fs)
		}
		r := probeSpec(t, n, "api/0", "example.com:443", "tcp")
		if r.Verdict != Connected || !r.HasCode(CodeNAT64) {
			t.Fatalf("verdict %s (%s): want connected through NAT64: %s", r.Verdict, codeList(r), r.Summary)
		}
		hopOf(t, r.Forward, "nat-gateway", "nat")
	})
}
