package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// Launch configurations do not support instance types released after
// 2022: CreateLaunchConfiguration with one is Auto Scaling's
// ValidationError (amazon-ecs-ami#188 with m7a.xlarge), and a stack making
// one fails with that text (aws-cdk#28459 with m7i.xlarge). m6a works.
func TestLaunchConfigurationNewInstanceTypes(t *testing.T) {
	t.Parallel()
	em := newAccount(t, nil)
	c, cf := sdkClients(em.URL), cfnClient(em.URL)
	for typ, ok := range map[string]bool{"m7a.xlarge": false, "c7i.large": false, "m6a.large": true} {
		_, err := c.asg.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String("lc-" + typ),
			ImageId: aws.String(testAMI), InstanceType: aws.String(typ)})
		if ok {
			must(t, err)
			continue
		}
		wantAPIError(t, err, "ValidationError", "The specified instance type "+typ+" is not valid")
	}
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("perf"), TemplateBody: aws.String(`
Resources:
  Config:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties: {ImageId: ` + testAMI + `, InstanceType: m7i.xlarge}
`)})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusRollbackComplete)
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: st.StackId})
	must(t, err)
	found := false
	for _, e := range ev.StackEvents {
		if e.ResourceStatus == cfntypes.ResourceStatusCreateFailed && strings.Contains(aws.ToString(e.ResourceStatusReason), "The specified instance type m7i.xlarge is not valid") {
			found = true
		}
	}
	if !found {
		t.Errorf("no CREATE_FAILED event with Auto Scaling's text")
	}
}
