package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A template's launch template without IamInstanceProfile: the ECS agent
// has no credentials, no instance registers, the load balancer answers
// 503, and the verified fix gives the instances an instance profile.
func TestTemplateInstancesWithoutProfile(t *testing.T) {
	data, err := os.ReadFile("../../examples/cfn/alb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const profile = "        IamInstanceProfile:\n          Arn: !GetAtt ECSInstanceProfile.Arn\n"
	if !strings.Contains(string(data), profile) {
		t.Fatal("the example's launch template names no instance profile")
	}
	path := filepath.Join(t.TempDir(), "no-profile.yaml")
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), profile, "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "probe", path, "--from", "internet", "--to", "ecs-alb:80")
	for _, want := range []string{"HTTP 503", "ECS_AGENT_NO_CREDENTIALS", "NoCredentialProviders",
		"Give the container instances an instance profile (ecsInstanceRole)", "verified: internet → ecs-alb:80: HTTP 200"} {
		if code == ExitOK || !strings.Contains(out, want) {
			t.Errorf("exit %d, output lacks %q:\n%s%s", code, want, out, errs)
		}
	}
}
