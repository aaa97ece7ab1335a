package cfn_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS::ApplicationAutoScaling::ScalableTarget and ::ScalingPolicy are
// engine calls: the service created with DesiredCount 0 under a target of
// MinCapacity 2 runs two tasks; Ref of the target is
// "ResourceId|ScalableDimension|ServiceNamespace", a policy's its ARN; the
// scheduled action and both policies are kept.
func TestAppAutoScalingResources(t *testing.T) {
	res, err := cfn.Load("testdata/appscaling.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Skipped {
		if strings.HasPrefix(s.Type, "AWS::ApplicationAutoScaling::") {
			t.Errorf("skipped %s: %s", s.LogicalID, s.Reason)
		}
	}
	if id := res.Outputs["TargetId"]; id != "service/ecs-alb/web|ecs:service:DesiredCount|ecs" {
		t.Errorf("Ref of the target: %q", id)
	}
	if arn := res.Outputs["CpuPolicyArn"]; !strings.Contains(arn, ":scalingPolicy:") ||
		!strings.HasSuffix(arn, ":resource/ecs/service/ecs-alb/web:policyName/cpu") {
		t.Errorf("policy ARN %q", arn)
	}
	res.Engine.Read(func(st *model.State) {
		var svc *model.Service
		for _, s := range st.Services {
			svc = s
		}
		running := 0
		for _, tk := range st.Tasks {
			if tk.LastStatus == "RUNNING" {
				running++
			}
		}
		if svc == nil || svc.DesiredCount != 2 || running != 2 {
			t.Errorf("service %+v with %d running tasks, want desired 2 and 2 running", svc, running)
		}
		tg := st.ScalableTargets["service/ecs-alb/web|ecs:service:DesiredCount|ecs"]
		if tg == nil || tg.Min != 2 || tg.Max != 6 || len(st.AppScalingPolicies) != 2 || len(st.AppScheduledActions) != 1 {
			t.Errorf("target %+v, %d policies, %d scheduled actions", tg, len(st.AppScalingPolicies), len(st.AppScheduledActions))
		}
	})
	// Deleting the stack deletes them.
	if err := cfn.DeleteResources(res.Engine, res.Resources); err != nil {
		t.Fatal(err)
	}
	res.Engine.Read(func(st *model.State) {
		if len(st.ScalableTargets)+len(st.AppScalingPolicies)+len(st.AppScheduledActions) != 0 {
			t.Errorf("left: %v %v %v", st.ScalableTargets, st.AppScalingPolicies, st.AppScheduledActions)
		}
	})
}
