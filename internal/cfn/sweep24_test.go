package cfn_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
)

func sweep24(file string) string { return repoFile("internal/cfn/testdata/sweep24/" + file) }

// TestSweep24NestedExtraneousKey: the CDK's capacity-provider-codedeploy
// integration test (as synthesized by aws/aws-cdk#38533) writes
// DeploymentConfiguration.TriggerHash on its service, a key the
// AWS::ECS::Service schema's DeploymentConfiguration (additionalProperties
// false) does not have. CloudFormation's validation refuses the stack
// before it creates anything, naming the object by its JSON pointer:
// "#/DeploymentConfiguration: extraneous key [TriggerHash] is not
// permitted". The analyzer warns at the key's line; a strict deployment
// (the endpoint's) fails. Before round twenty-four only top-level keys
// were checked, and the stack was created.
func TestSweep24NestedExtraneousKey(t *testing.T) {
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep24("d1-cp-codedeploy.json"), Name: "d1-cp-codedeploy"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	warned := false
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "Ec2Service04A33183 (AWS::ECS::Service): DeploymentConfiguration.TriggerHash is not a property of AWS::ECS::Service") &&
			strings.Contains(w.Msg, "(#/DeploymentConfiguration: extraneous key [TriggerHash] is not permitted)") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("warnings %v, want DeploymentConfiguration.TriggerHash named as not a property", res.Warnings)
	}

	tpl, err := cfn.ReadTemplate(sweep24("d1-cp-codedeploy.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfn.Deploy(cfn.NewEngine(), tpl, cfn.DeployOptions{StrictProperties: true})
	var ce *cfn.Error
	if !errors.As(err, &ce) || !ce.Validation || ce.Resource != "Ec2Service04A33183" ||
		ce.Msg != "Properties validation failed for resource Ec2Service04A33183 with message: [#/DeploymentConfiguration: extraneous key [TriggerHash] is not permitted]" {
		t.Fatalf("strict deploy: %#v, want the validation failure of Ec2Service04A33183", err)
	}
}

// TestSweep24NestedKeysChecked: the service's objects whose schema admits
// no other keys are checked to their depth (a circuit breaker's,
// an awsvpc configuration's), keys they have pass, and an object written
// as a function call (Fn::If) is not taken for the object itself.
func TestSweep24NestedKeysChecked(t *testing.T) {
	body := `Resources:
  Cluster:
    Type: AWS::ECS::Cluster
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: td
      DeploymentConfiguration:
        MaximumPercent: 200
        DeploymentCircuitBreaker: {Enable: true, Rollback: true, Rolback: true}
        Alarms: !If [Never, {AlarmNames: [], Enable: false, Rollback: false}, !Ref AWS::NoValue]
      NetworkConfiguration:
        AwsvpcConfiguration: {Subnets: [], AssignPublicIP: ENABLED}
Conditions:
  Never: !Equals [a, b]
`
	path := t.TempDir() + "/nested.yaml"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	tpl, err := cfn.ReadTemplate(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfn.Deploy(cfn.NewEngine(), tpl, cfn.DeployOptions{StrictProperties: true})
	var ce *cfn.Error
	want := "Properties validation failed for resource Service with message: [#/DeploymentConfiguration/DeploymentCircuitBreaker: extraneous key [Rolback] is not permitted, " +
		"#/NetworkConfiguration/AwsvpcConfiguration: extraneous key [AssignPublicIP] is not permitted]"
	if !errors.As(err, &ce) || ce.Msg != want {
		t.Fatalf("strict deploy: %v, want %q", err, want)
	}
}

// TestSweep24CircuitBreakerThreshold: the CDK's circuit-breaker-threshold
// integration test writes the configurable circuit breaker ECS added in
// July 2026 (DeploymentCircuitBreaker.ResetOnHealthyTask and
// ThresholdConfiguration); the nested validation takes them as the
// schema's keys: no warning, and a strict deployment creates the
// service.
func TestSweep24CircuitBreakerThreshold(t *testing.T) {
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep24("g1-circuit-breaker-threshold.json"), Name: "g1"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "extraneous key") {
			t.Errorf("warning %q, want none about the circuit breaker's keys", w.Msg)
		}
	}
	tpl, err := cfn.ReadTemplate(sweep24("g1-circuit-breaker-threshold.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cfn.Deploy(cfn.NewEngine(), tpl, cfn.DeployOptions{StrictProperties: true}); err != nil {
		t.Fatalf("strict deploy: %v, want the stack created", err)
	}
}

// TestSweep24ContainsShortForm: a Rules assertion written with the
// !Contains short form (as rensaputra/aws-ecs-cloudformation-infra's
// service template checks a Fargate CPU and memory pair, and AWS's Quick
// Start templates their parameters) is Fn::Contains: the stack deploys
// when the value is in the list, and fails with the AssertDescription
// when it is not. Before round twenty-four the template was refused:
// "unknown tag !Contains".
func TestSweep24ContainsShortForm(t *testing.T) {
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
	path := t.TempDir() + "/contains.yaml"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	tpl, err := cfn.ReadTemplate(path)
	if err != nil {
		t.Fatalf("read: %v, want !Contains taken as Fn::Contains", err)
	}
	if _, err := cfn.Deploy(cfn.NewEngine(), tpl, cfn.DeployOptions{}); err != nil {
		t.Fatalf("deploy with TaskMemory 512: %v, want it created", err)
	}
	_, err = cfn.Deploy(cfn.NewEngine(), tpl, cfn.DeployOptions{Parameters: map[string]string{"TaskMemory": "4096"}})
	if err == nil || !strings.Contains(err.Error(), "For 256 CPU units, TaskMemory must be one of 512, 1024, or 2048 MiB.") {
		t.Fatalf("deploy with TaskMemory 4096: %v, want the rule's AssertDescription", err)
	}
}
