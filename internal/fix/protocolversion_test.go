package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// TestGRPCCallToHTTP1GroupFix: a gRPC call through an HTTPS listener to a
// target group of protocol version HTTP1 is answered 464; the verified fix
// is a copy of the group with protocol version GRPC.
func TestGRPCCallToHTTP1GroupFix(t *testing.T) {
	sc, err := scenario.Load("../reach/testdata/alb-protocol-version.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck))
	if err != nil {
		t.Fatal(err)
	}
	grpc := func(q *reach.Query) { q.HTTPVersion = reach.HTTPVersionGRPC }
	fixes, res, err := fix.Find(b.Engine, "internet", "api-alb:9443", "tcp", fix.Options{Request: grpc})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.HTTPVerdict(464) {
		t.Fatalf("before: %s: %s", res.Verdict, res.Summary)
	}
	for _, f := range fixes {
		if strings.HasPrefix(f.Title, "Forward to a new target group h1-tg-grpc of protocol version GRPC instead of h1-tg (HTTP1)") && f.Verification.Verdict == reach.HTTP200 {
			if !strings.Contains(strings.Join(f.Commands, "\n"), "--protocol-version GRPC") {
				t.Errorf("commands lack --protocol-version GRPC: %q", f.Commands)
			}
			return
		}
	}
	t.Errorf("no verified GRPC copy among %+v", fixes)
}
