package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// moto's test_launch_templates (test_describe_launch_template_versions):
// DisableApiTermination in launch template data is kept and answered as
// given (false too); instances launched from the template, or by
// RunInstances with the parameter, are protected from termination.
func TestLaunchTemplateDisableApiTermination(t *testing.T) {
	t.Parallel()
	e := sdkClients(newAccount(t, nil).URL).ec2
	for _, on := range []bool{false, true} {
		name := "protected"
		if !on {
			name = "unprotected"
		}
		_, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String(name),
			LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
				DisableApiTermination: aws.Bool(on)}})
		must(t, err)
		v, err := e.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateName: aws.String(name), Versions: []string{"1"}})
		must(t, err)
		if got := v.LaunchTemplateVersions[0].LaunchTemplateData.DisableApiTermination; got == nil || *got != on {
			t.Errorf("%s: DisableApiTermination %v, want %v", name, got, on)
		}
	}
	// A version without the parameter inherits it from its source version.
	_, err := e.CreateLaunchTemplateVersion(ctx, &ec2.CreateLaunchTemplateVersionInput{LaunchTemplateName: aws.String("protected"),
		SourceVersion: aws.String("1"), LaunchTemplateData: &ec2types.RequestLaunchTemplateData{InstanceType: ec2types.InstanceTypeT3Small}})
	must(t, err)

	launch := func(in *ec2.RunInstancesInput) string {
		t.Helper()
		in.MinCount, in.MaxCount = aws.Int32(1), aws.Int32(1)
		r, err := e.RunInstances(ctx, in)
		must(t, err)
		return aws.ToString(r.Instances[0].InstanceId)
	}
	fromTemplate := launch(&ec2.RunInstancesInput{LaunchTemplate: &ec2types.LaunchTemplateSpecification{LaunchTemplateName: aws.String("protected"), Version: aws.String("2")}})
	direct := launch(&ec2.RunInstancesInput{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro, DisableApiTermination: aws.Bool(true)})
	overridden := launch(&ec2.RunInstancesInput{LaunchTemplate: &ec2types.LaunchTemplateSpecification{LaunchTemplateName: aws.String("protected")}, DisableApiTermination: aws.Bool(false)})
	plain := launch(&ec2.RunInstancesInput{LaunchTemplate: &ec2types.LaunchTemplateSpecification{LaunchTemplateName: aws.String("unprotected")}})
	for id, want := range map[string]bool{fromTemplate: true, direct: true, overridden: false, plain: false} {
		a, err := e.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: aws.String(id), Attribute: ec2types.InstanceAttributeNameDisableApiTermination})
		must(t, err)
		if got := aws.ToBool(a.DisableApiTermination.Value); got != want {
			t.Errorf("%s: disableApiTermination %v, want %v", id, got, want)
		}
	}
	_, err = e.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{fromTemplate}})
	wantAPIError(t, err, "OperationNotPermitted", "The instance '"+fromTemplate+"' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.")
	_, err = e.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{plain}})
	must(t, err)
}

// AWS::EC2::LaunchTemplate's LaunchTemplateData.DisableApiTermination and
// DisableApiStop reach the template as RunInstances' parameters do.
func TestCloudFormationLaunchTemplateDisableApiTermination(t *testing.T) {
	t.Parallel()
	em := newAccount(t, nil)
	cf := cfnClient(em.URL)
	e := sdkClients(em.URL).ec2
	tmpl := `{"Resources": {"LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateName": "guarded",
  "LaunchTemplateData": {"ImageId": "` + testAMI + `", "InstanceType": "t3.micro", "DisableApiTermination": true, "DisableApiStop": "false"}}}}}`
	_, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("guarded"), TemplateBody: aws.String(tmpl)})
	must(t, err)
	waitStack(t, cf, "guarded", cfntypes.StackStatusCreateComplete)
	v, err := e.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateName: aws.String("guarded"), Versions: []string{"1"}})
	must(t, err)
	d := v.LaunchTemplateVersions[0].LaunchTemplateData
	if d.DisableApiTermination == nil || !*d.DisableApiTermination || d.DisableApiStop == nil || *d.DisableApiStop {
		t.Errorf("template data: DisableApiTermination %v, DisableApiStop %v", d.DisableApiTermination, d.DisableApiStop)
	}
}
