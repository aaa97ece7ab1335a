package cfn_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// TestSweep16 loads each public template of round sixteen
// (testdata/sweep16, sources in its README) as `ecsnet check` does and
// asserts the verdict a correct analysis gives: the templates AWS deploys
// load without an ecsnet error and have the error findings (or none)
// their network earns; those AWS refuses are refused with AWS's reason.
func TestSweep16(t *testing.T) {
	worker := map[string]string{"AppName": "my-app", "EnvName": "test", "WorkloadName": "dogworker", "ContainerImage": "nginx",
		"TaskCPU": "256", "TaskMemory": "512", "TaskCount": "1"}
	nlb := map[string]string{"AppName": "my-app", "EnvName": "test", "WorkloadName": "fe", "ContainerImage": "nginx", "ContainerPort": "80",
		"TaskCPU": "256", "TaskMemory": "512", "TaskCount": "1", "LogRetention": "30", "TargetContainer": "fe", "TargetPort": "443",
		"NLBPort": "443", "DNSDelegated": "false"}
	job := map[string]string{"AppName": "my-app", "EnvName": "test", "WorkloadName": "mailer", "Schedule": "rate(1 hour)",
		"ContainerImage": "nginx", "TaskCPU": "256", "TaskMemory": "512", "TaskCount": "1", "LogRetention": "30"}
	env := cfn.StackInput{Path: repoFile("internal/cfn/testdata/sweep16/copilot-env.yml"), Name: "my-app-test"}
	cases := []struct {
		name   string
		stacks []cfn.StackInput
		err    string   // the refusal, or "" when the template deploys
		errors []string // the codes of the error findings, sorted
	}{
		{name: "efs", stacks: one("t1-efs.json")},
		{name: "secret", stacks: one("t2-secret.json")},
		// The NLB's security group admits nothing: its listener times out
		// (exposure says so); no lint finding names it.
		{name: "special-listener", stacks: one("t3-special-listener.json")},
		{name: "existing-namespace", stacks: one("t4-existing-namespace.json")},
		{name: "scheduled-task", stacks: one("t5-scheduled-task.json")},
		{name: "public-private-switch", stacks: one("t6-public-private-switch.json")},
		{name: "exec-command", stacks: one("t9-exec-command.json")},
		// sg-abcdefghijklmnopq is no group of the account.
		{name: "additional-sg", stacks: one("t10-additional-sg.json"), err: "The security group 'sg-abcdefghijklmnopq' does not exist"},
		// The ALB's group allows no egress ("Disallow all traffic") and
		// nothing opens the instances' dynamic ports to it: its health
		// checks time out.
		{name: "ec2-alb-capacity-providers", stacks: one("t12-ec2-alb-capacity-providers.json"), errors: []string{"ECS_DYNAMIC_PORTS_BLOCKED", "ECS_TARGET_UNHEALTHY", "ECS_TASK_SG_BLOCKS_LB"}},
		// DesiredCount is a custom resource's answer: read as the default.
		{name: "copilot-worker", stacks: []cfn.StackInput{env, {Path: repoFile("internal/cfn/testdata/sweep16/t7-copilot-worker.yml"), Name: "my-app-test-dogworker", Parameters: worker}}},
		// The fixture leaves the Lambda's S3Bucket and S3Key empty.
		{name: "copilot-nlb", stacks: []cfn.StackInput{env, {Path: repoFile("internal/cfn/testdata/sweep16/t8-copilot-nlb.yml"), Name: "my-app-test-fe", Parameters: nlb}},
			err: "[/Resources/EnvControllerFunction/Properties/Code/S3Bucket] 'null' values are not allowed in templates"},
		// The stand-in environment has no load balancer to export; the
		// hint names the given stack whose export it would be.
		{name: "copilot-job", stacks: []cfn.StackInput{env, {Path: repoFile("internal/cfn/testdata/sweep16/t11-copilot-job.yml"), Name: "my-app-test-mailer", Parameters: job}},
			err: "No export named my-app-test-PublicLoadBalancerDNS found; " + repoFile("internal/cfn/testdata/sweep16/copilot-env.yml") +
				", deployed as stack my-app-test, does not export it (its exports: my-app-test-ClusterId, "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := cfn.LoadStacks(c.stacks, cfn.LoadOptions{SSM: map[string]string{"/cdk-bootstrap/hnb659fds/version": "21"},
				EngineOptions: []engine.Option{engine.WithStartCheck(reach.StartCheck)}})
			if c.err != "" {
				var ce *cfn.Error
				if !errors.As(err, &ce) || !strings.Contains(ce.Msg, c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range reach.Lint(reach.Compile(state(res))) {
				if f.Severity == reach.SeverityError && !slices.Contains(got, f.Code) {
					got = append(got, f.Code)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, c.errors) {
				t.Errorf("error findings %v, want %v", got, c.errors)
			}
		})
	}
}

func one(file string) []cfn.StackInput {
	return []cfn.StackInput{{Path: repoFile("internal/cfn/testdata/sweep16/" + file), Name: strings.TrimSuffix(file, ".json")}}
}

// TestCustomResourceAnswerAsNumber: a number property given by Fn::GetAtt
// of a custom resource (whose function ecsnet does not run) is read as the
// property's default, with a warning naming the attribute, instead of
// failing as a string (Copilot's worker services take DesiredCount from
// their DynamicDesiredCount function).
func TestCustomResourceAnswerAsNumber(t *testing.T) {
	tpl, err := cfn.ParseTemplate("count.yaml", []byte(`
Resources:
  Count:
    Type: Custom::DesiredCount
    Properties: {ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:count}
  Cluster: {Type: AWS::ECS::Cluster}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [EC2]
      ContainerDefinitions: [{Name: web, Image: nginx, Memory: 128}]
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: !Ref Task
      DesiredCount: !GetAtt Count.DesiredCount
      EnableExecuteCommand: !GetAtt Count.Exec
`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := cfn.LoadStacks([]cfn.StackInput{{Template: tpl, Name: "count"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var said []string
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "the answer of a custom resource's function") {
			said = append(said, w.Msg)
		}
	}
	if len(said) != 2 || !strings.Contains(said[0], "#/DesiredCount is Fn::GetAtt Count.DesiredCount") || !strings.Contains(said[0], "read as 1") ||
		!strings.Contains(said[1], "#/EnableExecuteCommand is Fn::GetAtt Count.Exec") {
		t.Errorf("warnings %q, want DesiredCount read as 1 and EnableExecuteCommand as absent", said)
	}
	svc := state(res).Services[res.PhysicalIDs["Service"]]
	if svc == nil || svc.DesiredCount != 1 {
		t.Errorf("service %+v, want desired count 1", svc)
	}
}

// TestNullValueRefused: a null anywhere in a template is refused before
// anything is read, as CloudFormation refuses it (and the emulator's
// CreateStack), with the JSON pointer of the first.
func TestNullValueRefused(t *testing.T) {
	_, err := cfn.ParseTemplate("null.yaml", []byte("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code:\n        S3Bucket:\n        S3Key: k\n"))
	var ce *cfn.Error
	if !errors.As(err, &ce) || ce.Line != 6 || ce.Msg != "[/Resources/Fn/Properties/Code/S3Bucket] 'null' values are not allowed in templates" {
		t.Fatalf("err = %#v, want the null at line 6", err)
	}
}
