package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
)

// fifoRuleTemplate is an AWS::Events::Rule whose target is an SQS FIFO
// queue; SQS is the target's SqsParameters line, or none.
const fifoRuleTemplate = `Resources:
  Orders:
    Type: AWS::Events::Rule
    Properties:
      Name: order-placed
      EventPattern: {source: [shop.orders]}
      Targets:
        - Id: orders-fifo
          Arn: arn:aws:sqs:us-east-1:123456789012:orders.fifo
SQS`

// A CloudFormation AWS::Events::Rule whose target is an SQS FIFO queue
// without SqsParameters fails as EventBridge's PutTargets refuses it
// ("Parameter(s) SqsParameters must be specified for target: ID."), and
// the stack rolls back; with SqsParameters' MessageGroupId the stack is
// created and ListTargetsByRule answers the group id.
func TestCloudFormationEventRuleFIFOTargetRound27(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	bad, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("fifo-bad"),
		TemplateBody: aws.String(strings.Replace(fifoRuleTemplate, "SQS", "", 1))})
	must(t, err)
	waitStack(t, cf, aws.ToString(bad.StackId), cfntypes.StackStatusRollbackComplete)
	found := false
	for _, e := range stackEventsOf(t, cf, aws.ToString(bad.StackId)) {
		found = found || strings.HasPrefix(e, "Orders CREATE_FAILED") && strings.Contains(e, "Parameter(s) SqsParameters must be specified for target: orders-fifo.")
	}
	if !found {
		t.Errorf("no CREATE_FAILED event of Orders naming SqsParameters: %q", stackEventsOf(t, cf, aws.ToString(bad.StackId)))
	}

	good, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("fifo-good"),
		TemplateBody: aws.String(strings.Replace(fifoRuleTemplate, "SQS", "          SqsParameters: {MessageGroupId: orders}\n", 1))})
	must(t, err)
	waitStack(t, cf, aws.ToString(good.StackId), cfntypes.StackStatusCreateComplete)
	tl, err := eventsClient(em.URL).ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("order-placed")})
	must(t, err)
	if len(tl.Targets) != 1 || tl.Targets[0].SqsParameters == nil || aws.ToString(tl.Targets[0].SqsParameters.MessageGroupId) != "orders" {
		t.Errorf("targets %+v", tl.Targets)
	}
}
