package engine_test

import (
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// The schedule expressions of EventBridge's documentation are valid; the
// ones public reports show PutRule refusing are not.
func TestValidScheduleExpression(t *testing.T) {
	for _, ok := range []string{"rate(1 minute)", "rate(5 minutes)", "rate(1 hour)", "rate(12 hours)", "rate(1 day)", "rate(7 days)",
		"cron(0 10 * * ? *)", "cron(15 12 * * ? *)", "cron(0 18 ? * MON-FRI *)", "cron(0 8 1 * ? *)", "cron(0/15 * * * ? *)",
		"cron(0/10 * ? * MON-FRI *)", "cron(0/5 8-17 ? * MON-FRI *)", "cron(0 9 ? * 2#1 *)", "cron(0 10 ? * 6L 2022-2023)", "cron(0 0 L * ? *)",
		"cron(0 12 15W * ? *)", "cron(0 3 * JAN,JUL ? *)"} {
		if !engine.ValidScheduleExpression(ok) {
			t.Errorf("%s: refused", ok)
		}
	}
	for _, bad := range []string{"rate(1 minutes)", "rate(3 minute)", "rate(0 minutes)", "rate(-1 minutes)", "rate(5  minutes)", "rate(5 weeks)",
		"cron(0 12 * * *)", "cron(7 20 * * 1-7 *)", "cron(0 12 ? * ? *)", "cron(60 12 * * ? *)", "cron(0 24 * * ? *)", "cron(0 12 32 * ? *)",
		"cron(*/1 * * * *)", "cron(15 12 ? * -1 *)", "at(2026-01-01T00:00:00)", "rate(5 minutes", ""} {
		if engine.ValidScheduleExpression(bad) {
			t.Errorf("%s: accepted", bad)
		}
	}
}

// A target's task definition may be a family's ARN without revision:
// EventBridge's RunTask takes the latest ACTIVE revision.
func TestEventTargetRunTaskFamily(t *testing.T) {
	r := &model.EventRule{Name: "a-rule-with-a-rather-long-name-indeed"}
	for arn, want := range map[string]string{
		"arn:aws:ecs:us-east-1:123456789012:task-definition/job":   "job",
		"arn:aws:ecs:us-east-1:123456789012:task-definition/job:4": "arn:aws:ecs:us-east-1:123456789012:task-definition/job:4",
	} {
		in := engine.EventTargetRunTask(r, &model.EventTarget{ARN: "arn:aws:ecs:us-east-1:123456789012:cluster/c", ECS: &model.EventECSParameters{TaskDefinitionARN: arn}})
		if in.TaskDefinition != want || in.Count != 1 || in.StartedBy != "events-rule/a-rule-with-a-rather-lon" {
			t.Errorf("%s: %+v", arn, in)
		}
	}
}

// RemoveTargets of a rule an AWS service manages, without force, answers
// each target as a failed entry and removes none; with force it removes
// them. An Id the rule lacks is a failed entry either way.
func TestRemoveEventTargetsManagedRule(t *testing.T) {
	e := engine.New()
	if _, err := e.PutEventRule(model.EventRule{Name: "managed", ARN: "arn:aws:events:us-east-1:123456789012:rule/managed",
		EventBus: engine.DefaultEventBus, EventPattern: `{"source":["aws.ecs"]}`}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.PutEventTargets(engine.DefaultEventBus, "managed", []model.EventTarget{
		{ID: "a", ARN: "arn:aws:sns:us-east-1:123456789012:t"}, {ID: "b", ARN: "arn:aws:sns:us-east-1:123456789012:u"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ChangeEventRule(engine.DefaultEventBus, "managed", func(r *model.EventRule, _ time.Time) error {
		r.ManagedBy = "ecs.amazonaws.com"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	failed, err := e.RemoveEventTargets(engine.DefaultEventBus, "managed", []string{"a", "zz"}, false)
	if err != nil || len(failed) != 2 || failed[0].Code != "ManagedRuleException" || failed[1].Code != "ResourceNotFoundException" ||
		failed[0].Message != "Rule 'managed' is managed by an AWS service can only be modified if force is True." {
		t.Fatalf("without force: %+v %v", failed, err)
	}
	failed, err = e.RemoveEventTargets(engine.DefaultEventBus, "managed", []string{"a", "b"}, true)
	if err != nil || len(failed) != 0 {
		t.Fatalf("with force: %+v %v", failed, err)
	}
	var left int
	e.Read(func(st *model.State) {
		left = len(st.EventRules[model.EventRuleKey(engine.DefaultEventBus, "managed")].Targets)
	})
	if left != 0 {
		t.Errorf("%d targets left", left)
	}
}
