package cfn_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// An AWS::Events::Rule with an ECS target is created, not skipped: the
// rule with its schedule and the target's EcsParameters (network
// configuration included), Ref the rule's name and GetAtt Arn its ARN.
func TestEventRuleECSTarget(t *testing.T) {
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: repoFile("internal/cfn/testdata/events/scheduled-task.yaml"), Name: "sched"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Skipped {
		if s.Type == "AWS::Events::Rule" {
			t.Errorf("the rule was skipped: %+v", s)
		}
	}
	name := res.Outputs["RuleName"]
	if !strings.HasPrefix(name, "sched-NightlyRule-") || res.Outputs["RuleArn"] != "arn:aws:events:us-east-1:123456789012:rule/"+name {
		t.Errorf("outputs %v", res.Outputs)
	}
	var r *model.EventRule
	res.Engine.Read(func(st *model.State) { r = st.EventRules[model.EventRuleKey("default", name)] })
	if r == nil || r.ScheduleExpression != "cron(0 3 * * ? *)" || len(r.Targets) != 1 {
		t.Fatalf("rule %+v", r)
	}
	p := r.Targets[0].ECS
	if p == nil || p.LaunchType != "FARGATE" || p.Group != "nightly" || p.Network == nil || p.Network.AssignPublicIP || len(p.Network.Subnets) != 1 ||
		!strings.HasPrefix(p.TaskDefinitionARN, "arn:aws:ecs:") || !strings.Contains(r.Targets[0].ARN, ":cluster/") {
		t.Errorf("target %+v %+v", r.Targets[0], p)
	}
}

// The analyzer checks the tasks a scheduled rule will start: in a public
// subnet with AssignPublicIp DISABLED they cannot pull their image (the
// internet gateway needs a public IP), and the fix names the target's
// AssignPublicIp; with ENABLED there is no such finding.
func TestEventRuleScheduledTaskStartCheck(t *testing.T) {
	for _, ip := range []string{"DISABLED", "ENABLED"} {
		res, err := cfn.LoadStacks([]cfn.StackInput{{Path: repoFile("internal/cfn/testdata/events/scheduled-task.yaml"), Name: "sched",
			Parameters: map[string]string{"AssignPublicIp": ip}}}, cfn.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var found []reach.Finding
		for _, f := range reach.Lint(reach.Compile(state(res))) {
			if f.Resource != nil && f.Resource.Type == "events-rule" {
				found = append(found, f)
			}
		}
		if ip == "ENABLED" {
			if len(found) != 0 {
				t.Errorf("ENABLED: findings %+v", found)
			}
			continue
		}
		if len(found) != 1 || found[0].Code != reach.CodeImagePullFailed || !strings.Contains(found[0].Fix, "assignPublicIp to ENABLED") ||
			!strings.Contains(found[0].Message, "tasks the rule sched-NightlyRule-") {
			t.Errorf("DISABLED: findings %+v", found)
		}
	}
}
