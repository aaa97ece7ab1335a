package dataplane

import (
	"context"
	"testing"

	"github.com/ecsnet/ecsnet/internal/reach"
)

// A Fargate task's connection to IMDS, and an awsvpc task's whose agent
// blocks IMDS, fails at once (EINVAL, the blackhole route), not after a
// timeout: TestExamples would take a timeout for the analyzer's no-route.
func TestIMDSFailsAtOnce(t *testing.T) {
	isolated(t)
	for _, c := range []struct{ file, from string }{
		{"examples/failures/analyzer-only/fargate-sidecar-imds.yaml", "app/0"},
		{"examples/failures/awsvpc-block-imds-app-instance-role.yaml", "api/0"},
	} {
		st := loadState(t, c.file)
		s := up(t, st)
		q, err := reach.NewQuery(reach.Compile(st), c.from, "imds", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		q.HTTPMethod = "PUT"
		real, res := s.Probe(context.Background(), q)
		if res.Verdict != reach.NoRoute || real.Verdict != reach.NoRoute {
			t.Errorf("%s: %s → imds: the kernel says %s (%s), the analyzer %s; want no-route from both", c.file, c.from, real.Verdict, real.Detail, res.Verdict)
		}
	}
	// The blocked awsvpc task still reaches its agent's 169.254.170.2
	// (ecs-bridge), for its task role's credentials.
	st := loadState(t, "examples/failures/awsvpc-block-imds-app-instance-role.yaml")
	s := up(t, st)
	q, err := reach.NewQuery(reach.Compile(st), "api/0", "task-metadata", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	if real, res := s.Probe(context.Background(), q); res.Verdict != "http 200" || real.Verdict != res.Verdict {
		t.Errorf("api/0 → task-metadata: the kernel says %s (%s), the analyzer %s; want http 200 from both", real.Verdict, real.Detail, res.Verdict)
	}
}
