package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A CloudFormation stack or a Terraform configuration lists its log
// groups: a task whose awslogs group none of them creates (and
// awslogs-create-group not true) stops with the agent's text, as on AWS;
// the analyzer names the group (ECS_LOG_GROUP_NOT_FOUND) and the fix that
// creates it is verified. With the group created, the task runs.
func TestLogGroupNothingCreates(t *testing.T) {
	stack := filepath.Join("internal", "cli", "testdata", "loggroup", "stack.yaml")
	config := filepath.Join("internal", "cli", "testdata", "loggroup", "tf")
	for _, c := range []struct{ src, group, reason string }{
		{stack, "/ecs/web", "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist."},
		{config, "/ecs/service/web", "ResourceNotFoundException: The specified log group does not exist."},
	} {
		code, out, errs := run(t, "probe", c.src, "--from", "internet", "--to", "web:80")
		flat := strings.Join(strings.Fields(out), " ")
		if code != ExitFailed || !strings.Contains(out, "ECS_LOG_GROUP_NOT_FOUND") || !strings.Contains(flat, c.reason) ||
			!strings.Contains(out, "Create the log group "+c.group) || !strings.Contains(out, "verified: internet → web:80: CONNECTED") {
			t.Errorf("%s: exit %d:\n%s\n%s", c.src, code, out, errs)
		}
	}

	// The same systems with the group created: the task runs.
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join("..", "..", stack))
	if err != nil {
		t.Fatal(err)
	}
	withGroup := strings.Replace(string(data), "  Cluster:\n    Type: AWS::ECS::Cluster\n",
		"  Cluster:\n    Type: AWS::ECS::Cluster\n  Logs:\n    Type: AWS::Logs::LogGroup\n    Properties: {LogGroupName: /ecs/web}\n", 1)
	os.WriteFile(filepath.Join(dir, "stack.yaml"), []byte(withGroup), 0o644)
	tf := filepath.Join(dir, "tf")
	os.Mkdir(tf, 0o755)
	data, err = os.ReadFile(filepath.Join("..", "..", config, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(tf, "main.tf"), append(data, []byte("resource \"aws_cloudwatch_log_group\" \"web\" {\n  name              = \"/ecs/service/web\"\n  retention_in_days = 7\n}\n")...), 0o644)
	// A group another configuration made, read with a data source, exists.
	ds := filepath.Join(dir, "ds")
	os.Mkdir(ds, 0o755)
	os.WriteFile(filepath.Join(ds, "main.tf"), append(data, []byte("data \"aws_cloudwatch_log_group\" \"web\" {\n  name = \"/ecs/service/web\"\n}\n")...), 0o644)
	for _, src := range []string{filepath.Join(dir, "stack.yaml"), tf, ds} {
		code, out, errs := run(t, "probe", src, "--from", "internet", "--to", "web:80")
		if code != ExitOK || !strings.Contains(out, "CONNECTED") {
			t.Errorf("%s with the log group: exit %d:\n%s\n%s", src, code, out, errs)
		}
	}
}
