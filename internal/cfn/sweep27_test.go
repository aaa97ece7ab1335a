package cfn_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
)

func sweep27(name string) string { return filepath.Join("testdata", "sweep27", name) }

// TestSweep27ServiceMonitoring: a service's Monitoring (ECS's
// high-resolution service metrics, the CDK's service-monitoring
// integration test) is a property of AWS::ECS::Service: the analyzer does
// not warn of it and a strict deployment (the endpoint's) creates the
// service. Before round twenty-seven it was refused as an extraneous key.
// Values the schema does not allow fail the service at their line.
func TestSweep27ServiceMonitoring(t *testing.T) {
	body, err := os.ReadFile(sweep27("service-monitoring.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep27("service-monitoring.yaml"), Name: "metrics"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "Monitoring") {
			t.Errorf("warning %q, want none of Monitoring", w.Msg)
		}
	}
	tpl, err := cfn.ReadTemplate(sweep27("service-monitoring.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cfn.Deploy(cfn.NewEngine(), tpl, cfn.DeployOptions{StrictProperties: true}); err != nil {
		t.Fatalf("strict deploy: %v", err)
	}

	const configs = "          - MetricNames: [CPUUtilization]\n            ResolutionSeconds: 20\n          - MetricNames: [MemoryUtilization]\n            ResolutionSeconds: 60\n"
	if !strings.Contains(string(body), configs) {
		t.Fatal("fixture changed")
	}
	for _, c := range []struct{ name, configs, want, at string }{
		{"resolution 30", "          - MetricNames: [CPUUtilization]\n            ResolutionSeconds: 30\n",
			"#/Monitoring/MetricConfigurations/0/ResolutionSeconds: 30 is not a valid enum value (20, 60)", "ResolutionSeconds: 30"},
		{"unknown metric", "          - MetricNames: [CPUUtilization, NetworkRxBytes]\n            ResolutionSeconds: 20\n",
			"#/Monitoring/MetricConfigurations/0/MetricNames: 1: NetworkRxBytes is not a valid enum value (CPUUtilization, MemoryUtilization)", "MetricNames: [CPUUtilization, N"},
		{"three configurations", configs + "          - MetricNames: [CPUUtilization]\n            ResolutionSeconds: 60\n",
			"#/Monitoring/MetricConfigurations: expected maximum item count: 2, found: 3", "MetricConfigurations:"},
		{"no resolution", "          - MetricNames: [MemoryUtilization]\n",
			"Property validation failure: [The property {/Monitoring/MetricConfigurations/0/ResolutionSeconds} is required]", "- MetricNames: [MemoryUtilization]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tmpl := strings.Replace(string(body), configs, c.configs, 1)
			path := filepath.Join(t.TempDir(), "t.yaml")
			if err := os.WriteFile(path, []byte(tmpl), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := cfn.Load(path, nil)
			var ce *cfn.Error
			if !errors.As(err, &ce) || ce.Resource != "Service" || !strings.HasSuffix(ce.Msg, c.want) {
				t.Fatalf("Load = %v, want Service: %s", err, c.want)
			}
			if line := strings.Count(tmpl[:strings.Index(tmpl, c.at)], "\n") + 1; ce.Line != line {
				t.Errorf("line %d, want %d", ce.Line, line)
			}
		})
	}
}

// TestSweep27SignalByStackID: cfn-signal and cfn-init take the stack by
// name or by id, and aws-cloudformation-templates'
// AutoScalingRollingUpdates.yaml gives them `--stack ${AWS::StackId}` (the
// stack's ARN). The group's signals arrive and the launch configuration's
// AWS::CloudFormation::Init is applied; before round twenty-seven the ARN
// was read as a stack named "arn", the group failed ("Received 0 SUCCESS
// signal(s) out of 2 … signals stack arn") and cfn-init was skipped.
// Another stack's ARN still signals nothing here.
func TestSweep27SignalByStackID(t *testing.T) {
	body, err := os.ReadFile("testdata/signal/private-asg.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const byName = "--stack ${AWS::StackName} --resource HostGroup"
	if !strings.Contains(string(body), byName) {
		t.Fatal("fixture changed")
	}
	for _, c := range []struct{ stack, want string }{
		{"${AWS::StackId}", ""},
		{"arn:aws:cloudformation:us-east-1:123456789012:stack/other/0f1e2d3c-0000-4000-8000-000000000000",
			"signals stack arn:aws:cloudformation:us-east-1:123456789012:stack/other/0f1e2d3c-0000-4000-8000-000000000000, not t"},
	} {
		path := filepath.Join(t.TempDir(), "t.yaml")
		tmpl := strings.Replace(string(body), byName, "--stack "+c.stack+" --resource HostGroup", 1)
		if err := os.WriteFile(path, []byte(tmpl), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := cfn.Load(path, map[string]string{"Egress": "nat"})
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("--stack %s: Load = %v, want %q", c.stack, err, c.want)
		}
	}

	const web = `Resources:
  Web:
    Type: AWS::EC2::Instance
    Metadata:
      AWS::CloudFormation::Init:
        config:
          packages:
            yum:
              httpd: []
          services:
            sysvinit:
              httpd:
                enabled: "true"
                ensureRunning: "true"
    Properties:
      ImageId: ami-0123456789abcdef0
      InstanceType: t3.micro
      UserData: !Base64
        Fn::Sub: |
          #!/bin/bash -xe
          /opt/aws/bin/cfn-init -v --stack ${AWS::StackId} --resource Web --region ${AWS::Region}
`
	path := filepath.Join(t.TempDir(), "web.yaml")
	if err := os.WriteFile(path, []byte(web), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: path, Name: "web"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	applied := false
	for _, w := range res.Warnings {
		applied = applied || strings.Contains(w.Msg, "the user data runs cfn-init for Web; ecsnet applies the web server")
	}
	if !applied {
		t.Errorf("warnings %v, want cfn-init --stack ${AWS::StackId} applied", res.Warnings)
	}
}
