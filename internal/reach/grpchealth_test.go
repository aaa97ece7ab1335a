package reach

import (
	"strings"
	"testing"
)

// The gRPC status of an ALB's gRPC health check: what the application
// serves, in gRPC's words; AWS's own default path is never implemented.
func TestGRPCHealthStatus(t *testing.T) {
	for _, c := range []struct {
		path   string
		status int
		want   int
	}{
		{"/grpc.health.v1.Health/Check", 200, 0},
		{"/grpc.health.v1.Health/Check", 404, 12},
		{"/AWS.ALB/healthcheck", 200, 12}, // no application implements AWS.ALB
		{"/orders.v1.Orders/List", 503, 14},
		{"/orders.v1.Orders/List", 401, 16},
		{"/orders.v1.Orders/List", 403, 7},
		{"/orders.v1.Orders/List", 500, 2},
	} {
		if got := GRPCHealthStatus(c.path, c.status); got != c.want {
			t.Errorf("GRPCHealthStatus(%s, %d) = %d, want %d", c.path, c.status, got, c.want)
		}
	}
}

// aws/copilot-cli#5958: a gRPC target group's health check on the gRPC
// health service answers OK (0), which the default matcher (12) does not
// list; with the matcher GrpcCode 0 the targets are healthy, and with
// AWS's default path and matcher (12, UNIMPLEMENTED) too.
func TestGRPCHealthCheckMatcher(t *testing.T) {
	n := buildStory(t, "analyzer-only/alb-grpc-health-check-default-code-12.yaml")
	var arn string
	for a, tg := range n.st.TargetGroups {
		if tg.Name == "api-tg" {
			arn = a
		}
	}
	hs := TargetHealth(n, arn)
	if len(hs) == 0 {
		t.Fatal("no targets")
	}
	for _, h := range hs {
		if h.State != HealthUnhealthy || h.Reason != ReasonResponseCodeMismatch || !strings.Contains(h.Description, "codes: [0]") {
			t.Errorf("default matcher: %+v", h)
		}
	}
	tg := n.st.TargetGroups[arn]
	for _, c := range []struct{ path, matcher string }{
		{"/grpc.health.v1.Health/Check", "0"},
		{"/AWS.ALB/healthcheck", "12"},
		{"/AWS.ALB/healthcheck", ""},
	} {
		tg.HealthCheck.Path, tg.HealthCheck.Matcher = c.path, c.matcher
		for _, h := range TargetHealth(Compile(n.st), arn) {
			if h.State != HealthHealthy {
				t.Errorf("%s with matcher %q: %+v", c.path, c.matcher, h)
			}
		}
	}
}
