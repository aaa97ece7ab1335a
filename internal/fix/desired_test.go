package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/model"
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

// A service held at desiredCount 0 by its Application Auto Scaling
// target (MaxCapacity 0): the cause says so, and the verified fix raises
// the target's range, since a desired count set by hand would be scaled
// back.
func TestDesiredCountZeroByScalableTarget(t *testing.T) {
	base := mustRead(t, "../../examples/failures/missing-ecr-endpoint.yaml")
	base = strings.Replace(base, "  # no ecr.dkr endpoint\n", "  ecr-dkr: {vpc: main, service: ecr.dkr, subnets: [private-a, private-b], security_groups: [endpoints-sg]}\n", 1)
	sc, err := scenario.Parse("target.yaml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck))
	if err != nil {
		t.Fatal(err)
	}
	var res string
	b.Engine.Read(func(st *model.State) {
		for _, s := range st.Services {
			if s.Name == "web" {
				res = "service/" + s.ClusterARN[strings.LastIndexByte(s.ClusterARN, '/')+1:] + "/web"
			}
		}
	})
	zero := 0
	if _, err := b.Engine.RegisterScalableTarget(engine.RegisterScalableTargetInput{Namespace: "ecs", ResourceID: res,
		Dimension: engine.AppScalingDimension, Min: &zero, Max: &zero}); err != nil {
		t.Fatal(err)
	}
	if err := b.Engine.Converge(); err != nil {
		t.Fatal(err)
	}
	fixes, pr, err := fix.Find(b.Engine, "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if pr.Verdict != reach.HTTP503 || !pr.HasCode(reach.CodeDesiredCountZero) {
		t.Fatalf("%s: %s", pr.Verdict, pr.Summary)
	}
	for _, x := range pr.Blocking() {
		if x.Code == reach.CodeDesiredCountZero && !strings.Contains(x.Message, "MaxCapacity 0") {
			t.Errorf("cause: %s", x.Message)
		}
	}
	var got *fix.Fix
	for i := range fixes {
		if strings.Contains(fixes[i].Title, "scalable target") {
			got = &fixes[i]
		}
		if strings.Contains(fixes[i].Title, "desired count") {
			t.Errorf("a desired count fix the target would undo: %+v", fixes[i])
		}
	}
	if got == nil || got.Verification.Verdict != reach.HTTP200 || !strings.Contains(got.Commands[0], "register-scalable-target") {
		t.Fatalf("fix: %+v (all: %+v)", got, fixes)
	}
}
