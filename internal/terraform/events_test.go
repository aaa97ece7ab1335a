package terraform_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// aws_cloudwatch_event_rule and aws_cloudwatch_event_target with an
// ecs_target block are an ECS scheduled task: the rule and its target's
// RunTask parameters are created, and the analyzer checks the tasks the
// rule will start (assign_public_ip false in a public subnet: they cannot
// pull their image; true: no finding).
func TestEventRuleECSTarget(t *testing.T) {
	for _, ip := range []string{"false", "true"} {
		res := load(t, "testdata/events", map[string]string{"assign_public_ip": ip})
		for _, s := range res.Skipped {
			if strings.HasPrefix(s.Type, "aws_cloudwatch_event") {
				t.Errorf("skipped %s: %s", s.Address, s.Reason)
			}
		}
		var r *model.EventRule
		res.Engine.Read(func(st *model.State) { r = st.EventRules[model.EventRuleKey("default", "nightly-report")] })
		if r == nil || r.ScheduleExpression != "cron(0 3 * * ? *)" || len(r.Targets) != 1 || r.Targets[0].ECS == nil {
			t.Fatalf("rule %+v", r)
		}
		p := r.Targets[0].ECS
		if p.Group != "reports" || p.LaunchType != "FARGATE" || p.Network == nil || p.Network.AssignPublicIP != (ip == "true") ||
			!strings.Contains(r.Targets[0].ARN, ":cluster/batch") || !strings.Contains(p.TaskDefinitionARN, ":task-definition/report:1") {
			t.Errorf("target %+v %+v", r.Targets[0], p)
		}
		st, _ := res.Engine.Snapshot()
		var codes []string
		for _, f := range reach.Lint(reach.Compile(st)) {
			if f.Resource != nil && f.Resource.Type == "events-rule" {
				codes = append(codes, f.Code)
			}
		}
		want := []string{reach.CodeImagePullFailed}
		if ip == "true" {
			want = nil
		}
		if strings.Join(codes, ",") != strings.Join(want, ",") {
			t.Errorf("assign_public_ip %s: findings %v, want %v", ip, codes, want)
		}
	}
}
