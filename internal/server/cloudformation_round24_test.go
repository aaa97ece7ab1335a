package server_test

import (
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// TestCloudFormationRound24NestedExtraneousKey: the CDK's
// capacity-provider-codedeploy integration test, as synthesized by
// aws/aws-cdk#38533, gives its service DeploymentConfiguration.TriggerHash,
// which AWS::ECS::Service's schema does not have. CloudFormation's
// validation fails the service before any resource is created, and the
// stack rolls back: "Properties validation failed for resource
// Ec2Service04A33183 with message: [#/DeploymentConfiguration: extraneous
// key [TriggerHash] is not permitted]". Before round twenty-four only
// top-level keys were validated and the stack was created. Without the
// key the stack is created.
func TestCloudFormationRound24NestedExtraneousKey(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	body, err := os.ReadFile("../cfn/testdata/sweep24/d1-cp-codedeploy.json")
	must(t, err)
	create := func(name, text string) string {
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(text),
			Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
		must(t, err)
		return aws.ToString(out.StackId)
	}
	id := create("cp-codedeploy", string(body))
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	reason := failedEvent(t, cf, id, "Ec2Service04A33183")
	if want := "Properties validation failed for resource Ec2Service04A33183 with message: [#/DeploymentConfiguration: extraneous key [TriggerHash] is not permitted]"; reason != want {
		t.Errorf("service's reason %q, want %q", reason, want)
	}
	ec := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	vpcs, err := ec.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	must(t, err)
	for _, v := range vpcs.Vpcs {
		if !aws.ToBool(v.IsDefault) {
			t.Errorf("VPC %s left after the failed validation, want none created", aws.ToString(v.VpcId))
		}
	}

	text := string(body)
	const key = `"TriggerHash": {`
	i := strings.Index(text, key)
	if i < 0 {
		t.Fatal("the template has no TriggerHash")
	}
	j := strings.Index(text[i:], "-1-1\"\n       ]\n      ]\n     }")
	if j < 0 {
		t.Fatal("the TriggerHash's end not found")
	}
	fixed := strings.TrimRight(text[:i], " \n,") + text[i+j+len("-1-1\"\n       ]\n      ]\n     }"):]
	id = create("cp-codedeploy-fixed", fixed)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
}

// TestCloudFormationRound24CircuitBreakerThreshold: the CDK's
// circuit-breaker-threshold integration test (ResetOnHealthyTask and
// ThresholdConfiguration in the service's circuit breaker, ECS's
// configurable circuit breaker) passes the nested validation and the
// stack is created.
func TestCloudFormationRound24CircuitBreakerThreshold(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	body, err := os.ReadFile("../cfn/testdata/sweep24/g1-circuit-breaker-threshold.json")
	must(t, err)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("cb-threshold"), TemplateBody: aws.String(string(body)),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	waitStack(t, cf, aws.ToString(out.StackId), cfntypes.StackStatusCreateComplete)
}

// TestCloudFormationRound24ContainsShortForm: a YAML template whose Rules
// assert with the !Contains short form is read as Fn::Contains by the
// endpoint: CreateStack refuses parameters the assertion rejects with a
// ValidationError carrying the AssertDescription, and creates the stack
// for parameters it accepts. Before round twenty-four every such
// template was refused as malformed ("unknown tag !Contains").
func TestCloudFormationRound24ContainsShortForm(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	body := `Parameters:
  TaskCpu: {Type: String, Default: "256"}
  TaskMemory: {Type: String, Default: "512"}
Rules:
  Cpu256Memory:
    RuleCondition: !Equals [!Ref TaskCpu, "256"]
    Assertions:
      - Assert: !Contains [["512", "1024", "2048"], !Ref TaskMemory]
        AssertDescription: For 256 CPU units, TaskMemory must be one of 512, 1024, or 2048 MiB.
Resources:
  Cluster:
    Type: AWS::ECS::Cluster
`
	_, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("contains-bad"), TemplateBody: aws.String(body),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("TaskMemory"), ParameterValue: aws.String("4096")}}})
	if err == nil || !strings.Contains(err.Error(), "ValidationError") || !strings.Contains(err.Error(), "For 256 CPU units, TaskMemory must be one of 512, 1024, or 2048 MiB.") {
		t.Errorf("CreateStack with TaskMemory 4096: %v, want a ValidationError with the AssertDescription", err)
	}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("contains-good"), TemplateBody: aws.String(body)})
	must(t, err)
	waitStack(t, cf, aws.ToString(out.StackId), cfntypes.StackStatusCreateComplete)
}
