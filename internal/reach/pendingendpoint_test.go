package reach

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// An interface endpoint still pending (CreateVpcEndpoint answers pending
// for interface endpoints; AWS provisions it before it carries traffic)
// carries no connection: the probe that reached it through its private
// DNS name times out at the endpoint and says why; once available, the
// same probe connects.
func TestProbeToPendingInterfaceEndpoint(t *testing.T) {
	e := buildWith(t, repoFile("examples/failures/missing-ecr-endpoint.yaml"), engine.WithStartCheck(StartCheck))
	st, _ := e.Snapshot()
	st = st.Clone()
	found := false
	for id, ep := range st.VpcEndpoints {
		if strings.HasSuffix(ep.ServiceName, ".ecr.api") {
			c := *ep
			c.State = "pending"
			st.VpcEndpoints[id] = &c
			found = true
		}
	}
	if !found {
		t.Fatal("the scenario has no ecr.api endpoint")
	}
	r := probeSpec(t, Compile(st), "web-alb", "ecr", "tcp")
	got := check(t, r, Timeout, CodeBadState)
	if m := got[CodeBadState].Message; !strings.Contains(m, "is pending, not available") || !strings.Contains(m, "still provisioning") {
		t.Errorf("the reason: %q", m)
	}
	if r := probeSpec(t, compileEngine(e), "web-alb", "ecr", "tcp"); r.Verdict != Connected {
		t.Errorf("the available endpoint: %s: %s", r.Verdict, r.Summary)
	}
}
