package server_test

import (
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// TestCloudFormationRound29WebACLAssociation: an AWS::WAFv2::WebACLAssociation
// of the stack's own ALB is created (ecsnet models no web ACL: both are
// placeholders), and one whose ResourceArn names an ALB of the account that
// does not exist fails as AssociateWebACL refuses it,
// WAFNonexistentItemException "AWS WAF couldn’t perform the operation
// because your resource doesn’t exist." (the text
// kubernetes-sigs/aws-load-balancer-controller#2022 quotes), and the stack
// rolls back. Before round twenty-nine the second stack was created.
func TestCloudFormationRound29WebACLAssociation(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	body, err := os.ReadFile("../cfn/testdata/sweep29/waf-alb.yaml")
	must(t, err)
	own, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("guarded"), TemplateBody: aws.String(string(body))})
	must(t, err)
	waitStack(t, cf, aws.ToString(own.StackId), cfntypes.StackStatusCreateComplete)

	gone := "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/gone/0123456789abcdef"
	other, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("elsewhere"), TemplateBody: aws.String(string(body)),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("ProtectedArn"), ParameterValue: aws.String(gone)}}})
	must(t, err)
	waitStack(t, cf, aws.ToString(other.StackId), cfntypes.StackStatusRollbackComplete)
	events, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: other.StackId})
	must(t, err)
	const want = "Resource handler returned message: \"AWS WAF couldn’t perform the operation because your resource doesn’t exist. (Service: Wafv2, Status Code: 400, Request ID: "
	found := false
	for _, e := range events.StackEvents {
		if aws.ToString(e.LogicalResourceId) == "ShieldLink" && e.ResourceStatus == cfntypes.ResourceStatusCreateFailed {
			reason := aws.ToString(e.ResourceStatusReason)
			found = true
			if !strings.HasPrefix(reason, want) || !strings.HasSuffix(reason, "HandlerErrorCode: NotFound)") {
				t.Errorf("ShieldLink CREATE_FAILED %q, want %q… HandlerErrorCode: NotFound)", reason, want)
			}
		}
	}
	if !found {
		t.Error("no CREATE_FAILED event of ShieldLink")
	}
}
