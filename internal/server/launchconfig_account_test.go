package server_test

import (
	"net/http/httptest"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/server"
)

// TestAccountWithoutLaunchConfigurations, through the AWS SDK for Go v2:
// an account created after October 1, 2024 (ecsnet serve
// --no-launch-configurations) cannot create launch configurations:
// CreateLaunchConfiguration is UnsupportedOperation with Auto Scaling's
// text, and a stack that makes one fails at it with the handler's
// GeneralServiceException and rolls back. Launch templates still work,
// and an account of the default kind still creates launch configurations.
func TestAccountWithoutLaunchConfigurations(t *testing.T) {
	t.Parallel()
	srv, err := server.New(server.Options{
		Registry: services.Registry(), Analyzer: services.Analyzer(), EngineOptions: services.EngineOptions(),
		StepInterval: 10 * time.Millisecond, Models: testModels, DefaultVPC: true, NoLaunchConfigurations: true,
	})
	must(t, err)
	hs := httptest.NewServer(srv)
	go srv.StepLoop()
	t.Cleanup(func() { hs.Close(); srv.Close() })
	c, cf := sdkClients(hs.URL), cfnClient(hs.URL)
	const text = "The Launch Configuration creation operation is not available in your account. Use launch templates to create configuration templates for your Auto Scaling groups."
	lc := &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String("lc"), ImageId: aws.String(testAMI),
		InstanceType: aws.String("t3.micro")}
	_, err = c.asg.CreateLaunchConfiguration(ctx, lc)
	wantLimitError(t, "CreateLaunchConfiguration in a new account", err, "UnsupportedOperation", text)
	_, err = c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("hosts"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro}})
	must(t, err)

	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("old"), TemplateBody: aws.String(`
Resources:
  Config:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties: {ImageId: ` + testAMI + `, InstanceType: t3.micro}
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {LaunchConfigurationName: !Ref Config, MinSize: "0", MaxSize: "1", AvailabilityZones: !GetAZs ""}
`)})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusRollbackComplete)
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: st.StackId})
	must(t, err)
	reason := regexp.MustCompile(`^Resource handler returned message: "` + regexp.QuoteMeta(text) +
		` \(Service: AutoScaling, Status Code: 400, Request ID: [-0-9a-f]{36}\)" \(RequestToken: [-0-9a-f]{36}, HandlerErrorCode: GeneralServiceException\)$`)
	if !slices.ContainsFunc(ev.StackEvents, func(e cfntypes.StackEvent) bool {
		return aws.ToString(e.LogicalResourceId) == "Config" && e.ResourceStatus == cfntypes.ResourceStatusCreateFailed &&
			reason.MatchString(aws.ToString(e.ResourceStatusReason))
	}) {
		t.Errorf("no Config CREATE_FAILED with the handler's reason: %+v", ev.StackEvents)
	}

	// An account of the default kind (created before October 2024).
	old := sdkClients(newAccount(t, nil).URL)
	_, err = old.asg.CreateLaunchConfiguration(ctx, lc)
	must(t, err)
}
