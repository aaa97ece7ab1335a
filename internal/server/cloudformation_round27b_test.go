package server_test

import (
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// TestCloudFormationRound27ServiceMonitoring: a stack whose Fargate
// service has Monitoring (ECS's high-resolution service metrics, as the
// CDK's service-monitoring integration test writes it) is created; before
// round twenty-seven the endpoint's validation refused it ("#: extraneous
// key [Monitoring] is not permitted") and rolled the stack back. A
// ResolutionSeconds the schema does not allow fails the service and the
// stack rolls back.
func TestCloudFormationRound27ServiceMonitoring(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	body, err := os.ReadFile("../cfn/testdata/sweep27/service-monitoring.yaml")
	must(t, err)
	create := func(name, text string) string {
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(text)})
		must(t, err)
		return aws.ToString(out.StackId)
	}
	waitStack(t, cf, create("metrics", string(body)), cfntypes.StackStatusCreateComplete)

	bad := strings.Replace(string(body), "ResolutionSeconds: 20", "ResolutionSeconds: 10", 1)
	id := create("metrics-bad", bad)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	if reason, want := failedEvent(t, cf, id, "Service"),
		"Properties validation failed for resource Service with message: #/Monitoring/MetricConfigurations/0/ResolutionSeconds: 10 is not a valid enum value (20, 60)"; reason != want {
		t.Errorf("service's reason %q, want %q", reason, want)
	}
}

// TestRound27AmazonLinux1Parameters: the Amazon Linux 1 parameters of
// /aws/service/ami-amazon-linux-latest/ (amzn-ami-hvm-x86_64-gp2, which
// the CDK's MachineImage.latestAmazonLinux() reads) are published, their
// images described with Amazon Linux 1's names; before round twenty-seven
// GetParameter answered ParameterNotFound, so a template with the
// parameter as an AWS::SSM::Parameter::Value default failed.
func TestRound27AmazonLinux1Parameters(t *testing.T) {
	em := newEmulator(t, nil)
	c := ssmClient(em.URL)
	ec := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	for name, image := range map[string]string{
		"amzn-ami-hvm-x86_64-gp2":         "amzn-ami-hvm-2018.03.0.",
		"amzn-ami-minimal-hvm-x86_64-ebs": "amzn-ami-minimal-hvm-2018.03.0.",
		"amzn2-ami-minimal-hvm-arm64-ebs": "amzn2-ami-minimal-hvm-2.0.",
	} {
		out, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/aws/service/ami-amazon-linux-latest/" + name)})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		id := aws.ToString(out.Parameter.Value)
		imgs, err := ec.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{id}})
		must(t, err)
		if len(imgs.Images) != 1 || !strings.HasPrefix(aws.ToString(imgs.Images[0].Name), image) {
			t.Errorf("%s: image %s described as %+v, want a name %s…", name, id, imgs.Images, image)
		}
	}
}

// TestCloudFormationRound27SignalByStackID: instances whose cfn-signal
// names the stack by its id (`--stack ${AWS::StackId}`, as
// aws-cloudformation-templates' AutoScalingRollingUpdates.yaml writes it)
// signal their group, and the stack is created at once; before round
// twenty-seven the endpoint read the ARN as a stack named "arn" and the
// stack waited, CREATE_IN_PROGRESS, for the policy's Timeout.
func TestCloudFormationRound27SignalByStackID(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	body, err := os.ReadFile("../cfn/testdata/signal/private-asg.yaml")
	must(t, err)
	text := strings.Replace(string(body), "--stack ${AWS::StackName} --resource HostGroup", "--stack ${AWS::StackId} --resource HostGroup", 1)
	if text == string(body) {
		t.Fatal("fixture changed")
	}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("by-id"), TemplateBody: aws.String(text),
		Parameters:   []cfntypes.Parameter{{ParameterKey: aws.String("Egress"), ParameterValue: aws.String("nat")}},
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	waitStack(t, cf, aws.ToString(out.StackId), cfntypes.StackStatusCreateComplete)
}
