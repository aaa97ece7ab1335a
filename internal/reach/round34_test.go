package reach

import (
	"github.com/ecsnet/ecsnet/internal/model"
	"strings"
	"testing"
)

// An API Gateway API's default invoke name from a VPC whose execute-api
// endpoint has private DNS goes to the endpoint, which answers a public
// API's call with 403; private DNS off, the name goes out through the NAT
// gateway; other names are not the endpoint's.
func TestAPIGatewayInvokeNameThroughEndpoint(t *testing.T) {
	const story = "examples/failures/analyzer-only/apigw-execute-api-private-dns-public-api.yaml"
	const invoke = "abcd1234.execute-api.us-east-1.amazonaws.com:443"
	probeOf := func(n *Network, to string) *Result {
		q, err := NewQuery(n, "worker/0", to, "tcp")
		if err != nil {
			t.Fatal(err)
		}
		return Probe(n, q)
	}
	t.Run("private DNS on", func(t *testing.T) {
		r := probeOf(compileEngine(storyEngine(t, story)), invoke)
		if r.Verdict != HTTPVerdict(403) || !r.HasCode(CodeAPIGatewayPublicThroughEndpoint) {
			t.Fatalf("verdict %s, codes %+v: want http 403 with %s", r.Verdict, r.Explanations, CodeAPIGatewayPublicThroughEndpoint)
		}
		x := r.Blocking()[0]
		if x.Component == nil || x.Component.Name != "execute-api" || !strings.Contains(x.Message, "*.execute-api.us-east-1.amazonaws.com") {
			t.Errorf("explanation %+v: want the endpoint execute-api and its private DNS name", x)
		}
	})
	t.Run("private DNS off", func(t *testing.T) {
		n := compileEngine(storyEngine(t, story, "security_groups: [endpoints-sg]}", "security_groups: [endpoints-sg], private_dns: false}"))
		r := probeOf(n, invoke)
		if r.Verdict != Connected || r.HasCode(CodeAPIGatewayPublicThroughEndpoint) {
			t.Fatalf("verdict %s: want connected through the NAT gateway: %s", r.Verdict, r.Summary)
		}
	})
	t.Run("not an invoke name", func(t *testing.T) {
		n := compileEngine(storyEngine(t, story))
		for _, to := range []string{"abcd1234-vpce-0123456789abcdef0.execute-api.us-east-1.amazonaws.com:443", "logs:443"} {
			if r := probeOf(n, to); r.HasCode(CodeAPIGatewayPublicThroughEndpoint) {
				t.Errorf("%s: %s, want no %s", to, r.Verdict, CodeAPIGatewayPublicThroughEndpoint)
			}
		}
	})
	for host, want := range map[string]bool{
		"abcd1234.execute-api.us-east-1":           true,
		"abcd1234.execute-api.eu-west-1":           false, // another Region's API
		"abcd1234-vpce-0abc.execute-api.us-east-1": false,
		"execute-api.us-east-1":                    false,
		"a.b.execute-api.us-east-1":                false,
		"abcd1234.execute-api.us-east-1.vpce":      false,
	} {
		if got := apiGatewayInvokeHost(host, "us-east-1"); got != want {
			t.Errorf("apiGatewayInvokeHost(%q) = %v, want %v", host, got, want)
		}
	}
}

// A service's application slower to listen than its target group and
// grace period allow: ECS stops each task before it listens. The
// boundaries: the grace period lasting the start and HealthyThreshold
// passing checks (150 + 5×30 = 300 s), an application that listens before
// UnhealthyThreshold checks have failed (2×30 = 60 s).
func TestTaskStoppedBeforeAppReady(t *testing.T) {
	const story = "examples/failures/analyzer-only/health-check-grace-period-slow-start.yaml"
	const lbs = "    load_balancers: [{target_group: api-tg, container: api, port: 8080}]\n"
	probeALB := func(edits ...string) *Result {
		n := compileEngine(storyEngine(t, story, edits...))
		q, err := NewQuery(n, "internet", "api-alb:80", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		return Probe(n, q)
	}
	for _, c := range []struct {
		name    string
		edits   []string
		stopped bool
	}{
		{"the story: 150 s to start, no grace period", nil, true},
		{"a grace period of 299 s", []string{lbs, lbs + "    health_check_grace_period: 299\n"}, true},
		{"a grace period of 300 s", []string{lbs, lbs + "    health_check_grace_period: 300\n"}, false},
		{"60 s to start", []string{"start_seconds: 150", "start_seconds: 60"}, true},
		{"59 s to start", []string{"start_seconds: 150", "start_seconds: 59"}, false},
		{"health checks every 10 s, unhealthy after 2, healthy after 5", []string{"health_check: {path: /actuator/health}",
			"health_check: {path: /actuator/health, interval: 10, healthy_threshold: 5, unhealthy_threshold: 2}", lbs, lbs + "    health_check_grace_period: 200\n"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := probeALB(c.edits...)
			if got := r.HasCode(CodeTaskStoppedBeforeReady); got != c.stopped {
				t.Fatalf("%s (%s): stopped %v, want %v", r.Verdict, r.Summary, got, c.stopped)
			}
			if c.stopped && r.Verdict != HTTP502 || !c.stopped && r.Verdict != HTTP200 {
				t.Errorf("verdict %s", r.Verdict)
			}
		})
	}
	// Without the target group the service's tasks are never stopped for
	// their target health.
	n := compileEngine(storyEngine(t, story, lbs, "", "ports: 8080, group: alb-sg", "ports: 8080, cidr: 0.0.0.0/0"))
	q, err := NewQuery(n, "internet", "api/0:8080", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	if r := Probe(n, q); r.HasCode(CodeTaskStoppedBeforeReady) || r.Verdict != Connected {
		t.Errorf("no target group: %s %s", r.Verdict, r.Summary)
	}
}

// Private hosted zones that point the start path's service names at
// shared endpoints of a hub VPC, associated with the hub only: the
// spoke's names resolve publicly, and the zones are named.
func TestServiceZonesElsewhere(t *testing.T) {
	const story = "examples/failures/centralized-endpoints-zone-not-associated.yaml"
	n := compileEngine(storyEngine(t, story))
	spoke := n.st.VPCs[vpcByName(t, n, "spoke")]
	zones := n.ServiceZonesElsewhere(spoke.ID, []string{"ecr.api", "ecr.dkr", "s3", "logs"})
	var names []string
	for _, z := range zones {
		names = append(names, z.Name)
	}
	if got := strings.Join(names, " "); got != "api.ecr.us-east-1.amazonaws.com dkr.ecr.us-east-1.amazonaws.com logs.us-east-1.amazonaws.com" {
		t.Errorf("zones %q", got)
	}
	if z := n.ServiceZonesElsewhere(vpcByName(t, n, "hub"), []string{"ecr.api"}); len(z) != 0 {
		t.Errorf("the hub is associated: %v", z)
	}
	// Associated with the spoke: nothing elsewhere.
	n = compileEngine(storyEngine(t, story, "vpcs: [hub]", "vpcs: [hub, spoke]", "vpcs: [hub]", "vpcs: [hub, spoke]", "vpcs: [hub]", "vpcs: [hub, spoke]"))
	if z := n.ServiceZonesElsewhere(vpcByName(t, n, "spoke"), []string{"ecr.api", "ecr.dkr", "logs"}); len(z) != 0 {
		t.Errorf("associated zones: %v", z)
	}
	// A zone whose record does not point at an endpoint of the service.
	n = compileEngine(storyEngine(t, story, `records: {"@": {alias: ecr-api}}`, `records: {"@": {values: [10.1.1.99]}}`))
	if z := n.ServiceZonesElsewhere(vpcByName(t, n, "spoke"), []string{"ecr.api"}); len(z) != 0 {
		t.Errorf("a plain A record: %v", z)
	}
}

func vpcByName(t *testing.T, n *Network, name string) model.VpcID {
	t.Helper()
	for _, v := range n.st.VPCs {
		if v.Tags.Name() == name {
			return v.ID
		}
	}
	t.Fatalf("no VPC %s", name)
	return ""
}

// An ALB that authenticates calls the IdP's token endpoint itself on the
// IdP's redirect back: its groups, and for an internal one a NAT gateway,
// decide; other paths are a signed-in user's.
func TestALBIdPExchange(t *testing.T) {
	const story = "examples/failures/analyzer-only/alb-oidc-sg-egress-targets-only.yaml"
	const egress = "egress: [{protocol: tcp, ports: 8080, group: task-sg}]"
	probeFrom := func(from, path string, edits ...string) *Result {
		n := compileEngine(storyEngine(t, story, edits...))
		q, err := NewQuery(n, from, "admin-alb:443", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		q.HTTPPath = path
		return Probe(n, q)
	}
	probe := func(path string, edits ...string) *Result { return probeFrom("internet", path, edits...) }
	if r := probe(IdPResponsePath + "?code=x"); r.Verdict != HTTPVerdict(500) || !r.HasCode(CodeALBIdPUnreachable) {
		t.Errorf("the story: %s %s", r.Verdict, r.Summary)
	}
	if r := probe("/"); r.Verdict != HTTP200 || r.HasCode(CodeALBIdPUnreachable) {
		t.Errorf("a signed-in request: %s", r.Verdict)
	}
	open := "egress: [{protocol: tcp, ports: 8080, group: task-sg}, {protocol: tcp, ports: 443, cidr: 0.0.0.0/0}]"
	if r := probe(IdPResponsePath, egress, open); r.Verdict != HTTPVerdict(302) {
		t.Errorf("443 out: %s %s", r.Verdict, r.Summary)
	}
	// Internal, in subnets whose only way out is the internet gateway: the
	// nodes have no public address, so the token call goes nowhere (a
	// client inside the VPC).
	r := probeFrom("admin/0", IdPResponsePath, egress, open, "    security_groups: [alb-sg]\n", "    scheme: internal\n    security_groups: [alb-sg]\n")
	if r.Verdict != HTTPVerdict(500) || !r.HasCode(CodeALBIdPUnreachable) {
		t.Errorf("internal without NAT: %s %s", r.Verdict, r.Summary)
	}
	for a, want := range map[string]string{"https://example.okta.com/oauth2/v1/token": "example.okta.com", "https://login.example.com:8443/t": "login.example.com"} {
		if got := idpTokenHost(&model.ListenerAction{Type: "authenticate-oidc", Authenticate: &model.AuthenticateConfig{TokenEndpoint: a}}, "us-east-1"); got != want {
			t.Errorf("idpTokenHost(%s) = %s", a, got)
		}
	}
	if got := idpTokenHost(&model.ListenerAction{Type: "authenticate-cognito", Authenticate: &model.AuthenticateConfig{UserPoolDomain: "acme"}}, "eu-west-1"); got != "acme.auth.eu-west-1.amazoncognito.com" {
		t.Errorf("cognito: %s", got)
	}
}
