package collect_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ecsnet/ecsnet/internal/cli"
	"github.com/ecsnet/ecsnet/internal/collect"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// EventBridge rules and their targets are collected by both collectors
// (list-rules of every bus, merged under "Rules" as elbv2 describe-rules'
// output is; list-targets-by-rule per rule) and read back apart from
// the load balancers' rules: the rule of
// examples/failures/analyzer-only/scheduled-awsvpc-no-network-configuration.yaml,
// which targets an awsvpc task definition without NetworkConfiguration,
// is in the snapshot with its ECS target, and `ecsnet check SNAPSHOT`
// reports ECS_SCHEDULED_TASK_REFUSED on it as on the scenario. Before
// round thirty-four no collector took the rules and the finding was lost.
func TestCollectEventRulesFromServe(t *testing.T) {
	srv, url := serveScenario(t, "../../examples/failures/analyzer-only/scheduled-awsvpc-no-network-configuration.yaml")
	e, err := srv.Engine("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	// Round thirty-five: the rule's tags (ListTagsForResource) and a
	// target's other members (retry policy, dead-letter queue, input
	// transformer: model.EventTarget's Config) are collected too; they are
	// put through the EventBridge API, as a user puts them.
	eb := eventbridge.NewFromConfig(sdkConfig(t, url))
	var rule *model.EventRule
	e.Read(func(st *model.State) {
		for _, r := range st.EventRules {
			rule = r
		}
	})
	if rule == nil {
		t.Fatal("the scenario has no EventBridge rule")
	}
	ctx := context.Background()
	if _, err := eb.TagResource(ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(rule.ARN),
		Tags: []ebtypes.Tag{{Key: aws.String("team"), Value: aws.String("batch")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := eb.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String(rule.Name), EventBusName: aws.String(rule.EventBus), Targets: []ebtypes.Target{{
		Id: aws.String("queue"), Arn: aws.String("arn:aws:sqs:us-east-1:123456789012:jobs"),
		RetryPolicy:      &ebtypes.RetryPolicy{MaximumRetryAttempts: aws.Int32(4), MaximumEventAgeInSeconds: aws.Int32(600)},
		DeadLetterConfig: &ebtypes.DeadLetterConfig{Arn: aws.String("arn:aws:sqs:us-east-1:123456789012:jobs-dlq")},
		InputTransformer: &ebtypes.InputTransformer{InputPathsMap: map[string]string{"t": "$.time"}, InputTemplate: aws.String(`{"at": <t>}`)},
	}}}); err != nil {
		t.Fatal(err)
	}
	// Config compares as JSON: the API's decoded members and a file's
	// differ in their Go types, not in what they say.
	asJSON := cmp.FilterValues(func(a, b map[string]any) bool { return len(a) > 0 || len(b) > 0 }, cmp.Comparer(func(a, b map[string]any) bool {
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		return string(ja) == string(jb)
	}))
	rulesOnly := cmp.Options{cmpopts.EquateEmpty(), cmpopts.IgnoreFields(model.EventRule{}, "Created", "Next", "Invocations", "FailedInvocations", "LastFailure", "History"), asJSON}
	check := func(t *testing.T, live *model.State, dir string) {
		t.Helper()
		res, err := snapshot.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range res.Warnings {
			t.Errorf("warning: %s", w)
		}
		snap, _ := res.Engine.Snapshot()
		if len(live.EventRules) == 0 {
			t.Fatal("live: no EventBridge rule")
		}
		if r := live.EventRules[model.EventRuleKey(rule.EventBus, rule.Name)]; r == nil || len(r.Tags) == 0 || len(r.Targets) < 2 {
			t.Fatalf("live: the rule's tags and targets were not put: %+v", r)
		}
		if diff := cmp.Diff(live.EventRules, snap.EventRules, rulesOnly); diff != "" {
			t.Errorf("EventBridge rules (-live +snapshot):\n%s", diff)
		}
		if len(snap.ListenerRules) != len(live.ListenerRules) {
			t.Errorf("listener rules: live %d, snapshot %d", len(live.ListenerRules), len(snap.ListenerRules))
		}
		var stdout, stderr bytes.Buffer
		cli.Run(cli.IO{Out: &stdout, Err: &stderr}, []string{"check", dir})
		if out := stdout.String() + stderr.String(); !strings.Contains(out, "ECS_SCHEDULED_TASK_REFUSED") {
			t.Errorf("check of the snapshot does not report ECS_SCHEDULED_TASK_REFUSED:\n%s", out)
		}
	}
	out := t.TempDir()
	if _, err := collect.Run(ctx, collect.Options{Regions: []string{"us-east-1"}, EndpointURL: url, Out: out}); err != nil {
		t.Fatal(err)
	}
	live, _ := e.Snapshot()
	check(t, live, out)
	t.Run("Write", func(t *testing.T) {
		dir := t.TempDir()
		if err := snapshot.Write(dir, live); err != nil {
			t.Fatal(err)
		}
		check(t, live, dir)
	})
	t.Run("scripts/collect.sh", func(t *testing.T) {
		dir, b, err := runCollectScript(t, url)
		if err != nil {
			t.Fatalf("collect.sh: %v\n%s", err, b)
		}
		check(t, live, dir)
	})
}
