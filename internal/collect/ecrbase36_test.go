package collect_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cli"
)

// A template deployed with --base a snapshot pulls from a repository the
// snapshot's account already has: the snapshot's ecr
// describe-repositories puts it in the state, so the pull finds it,
// while an image of a repository that exists nowhere still fails
// (ECS_IMAGE_REPOSITORY_NOT_FOUND). Before format thirty-six the
// snapshot's repositories were not read: the template's own repository
// made the state's list, and the existing one was reported missing.
func TestCheckBaseSnapshotKnowsRepositories(t *testing.T) {
	base := t.TempDir()
	region := filepath.Join(base, "aws_configs", "us-east-1")
	if err := os.MkdirAll(region, 0o755); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("../../examples/snapshots/shared-vpc/aws_configs/us-east-1/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example snapshot (%v)", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(region, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	repos := `{"repositories": [{"repositoryArn": "arn:aws:ecr:us-east-1:123456789012:repository/web", "registryId": "123456789012", "repositoryName": "web",
		"repositoryUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web", "createdAt": "2026-01-01T00:00:00Z", "imageTagMutability": "MUTABLE"}]}`
	if err := os.WriteFile(filepath.Join(region, "ecr-describe-repositories.json"), []byte(repos), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("../../internal/cfn/testdata/sweep35/codedeploy-bluegreen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The blue/green template's service pulls from the account's
	// registry (an execution role for it), and the template makes a
	// repository of its own.
	template := func(repo string) string {
		s := strings.Replace(string(src), "Image: public.ecr.aws/nginx/nginx:latest",
			`Image: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/`+repo+`:latest"`, 1)
		s = strings.Replace(s, "  TaskDef:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n",
			"  TaskDef:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ExecutionRoleArn: !GetAtt ExecRole.Arn\n", 1)
		s = strings.Replace(s, "Resources:\n", `Resources:
  OtherRepo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: other
  ExecRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: ecs-tasks.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]
`, 1)
		f := filepath.Join(t.TempDir(), "bg.yaml")
		if err := os.WriteFile(f, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	for _, tc := range []struct {
		repo    string
		missing bool
	}{{"web", false}, {"missing", true}} {
		t.Run(tc.repo, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			cli.Run(cli.IO{Out: &stdout, Err: &stderr}, []string{"check", template(tc.repo), "--base", base})
			out := stdout.String() + stderr.String()
			if !strings.Contains(out, " 0 sources with errors") {
				t.Fatalf("the template did not deploy:\n%s", out)
			}
			if got := strings.Contains(out, "ECS_IMAGE_REPOSITORY_NOT_FOUND"); got != tc.missing {
				t.Errorf("ECS_IMAGE_REPOSITORY_NOT_FOUND reported %v, want %v:\n%s", got, tc.missing, out)
			}
		})
	}
}
