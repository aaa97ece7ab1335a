package terraform_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// An aws_cloudwatch_event_target on an SQS FIFO queue needs sqs_target's
// message_group_id, as EventBridge's PutTargets does ("Parameter(s)
// SqsParameters must be specified for target: ID."); with it the target
// is kept with its SqsParameters.
func TestEventTargetFIFOQueueNeedsGroupRound27(t *testing.T) {
	_, err := terraform.Load("testdata/events-fifo27", terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "aws_cloudwatch_event_target.queue") ||
		!strings.Contains(err.Error(), "Parameter(s) SqsParameters must be specified for target: orders-fifo.") {
		t.Fatalf("a FIFO queue target without sqs_target: %v", err)
	}
	res := load(t, "testdata/events-fifo27", map[string]string{"group": "orders"})
	var r *model.EventRule
	res.Engine.Read(func(st *model.State) { r = st.EventRules[model.EventRuleKey("default", "order-placed")] })
	if r == nil || len(r.Targets) != 1 {
		t.Fatalf("rule %+v", r)
	}
	sqs, _ := r.Targets[0].Config["SqsParameters"].(map[string]any)
	if sqs["MessageGroupId"] != "orders" {
		t.Errorf("target config %v", r.Targets[0].Config)
	}
}
