package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// A service with desiredCount 0 behind a load balancer: the cause of the
// 503 is that no task is wanted, not what would stop a task from starting
// (here the missing ecr.dkr endpoint), and the verified fix sets the
// desired count.
func TestDesiredCountZero(t *testing.T) {
	base := mustRead(t, "../../examples/failures/missing-ecr-endpoint.yaml")
	base = strings.Replace(base, "    desired: 2\n", "    desired: 0\n", 1)
	withDkr := strings.Replace(base, "  # no ecr.dkr endpoint\n", "  ecr-dkr: {vpc: main, service: ecr.dkr, subnets: [private-a, private-b], security_groups: [endpoints-sg]}\n", 1)
	cases := []struct {
		name, data string
		fixed      bool // the desired count alone makes the probe succeed
	}{
		{"start-path-ok", withDkr, true},
		{"image-pull-would-fail", base, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc, err := scenario.Parse(c.name+".yaml", []byte(c.data))
			if err != nil {
				t.Fatal(err)
			}
			b, err := sc.Build(engine.WithStartCheck(reach.StartCheck))
			if err != nil {
				t.Fatal(err)
			}
			fixes, res, err := fix.Find(b.Engine, "internet", "web-alb:80", "tcp", fix.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != reach.HTTP503 || !res.HasCode(reach.CodeDesiredCountZero) {
				t.Fatalf("%s: %s", res.Verdict, res.Summary)
			}
			for _, x := range res.Blocking() {
				if x.Code == reach.CodeImagePullFailed {
					t.Errorf("the image pull is blamed: %s", x.Message)
				}
			}
			if !strings.Contains(res.Summary, "desiredCount 0") {
				t.Errorf("summary: %s", res.Summary)
			}
			var got *fix.Fix
			for i := range fixes {
				if fixes[i].Kind == "service" && strings.Contains(fixes[i].Title, "desired count") {
					got = &fixes[i]
				}
			}
			if c.fixed != (got != nil) {
				t.Fatalf("desired count fix verified = %v, want %v: %+v", got != nil, c.fixed, fixes)
			}
			if got != nil && (got.Verification.Verdict != reach.HTTP200 || !strings.Contains(got.Commands[0], "--desired-count 1")) {
				t.Errorf("fix: %+v", got)
			}
		})
	}
}
