package collect_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ecsnet/ecsnet/internal/cli"
	"github.com/ecsnet/ecsnet/internal/collect"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// ECR pull through cache rules (format thirty-eight) are made through
// the SDK against ecsnet serve, collected by both collectors and read
// back as the emulator holds them. Before round thirty-eight neither the
// emulator nor a snapshot had them.
func TestCollectPullThroughCacheRulesFromServe(t *testing.T) {
	testCredentials(t)
	srv, url := startServe(t)
	ctx := context.Background()
	c := ecr.NewFromConfig(sdkConfig(t, url))
	if _, err := c.CreatePullThroughCacheRule(ctx, &ecr.CreatePullThroughCacheRuleInput{EcrRepositoryPrefix: aws.String("ecr-public"), UpstreamRegistryUrl: aws.String("public.ecr.aws")}); err != nil {
		t.Fatal(err)
	}
	secret := "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf"
	if _, err := c.CreatePullThroughCacheRule(ctx, &ecr.CreatePullThroughCacheRuleInput{EcrRepositoryPrefix: aws.String("docker-hub"),
		UpstreamRegistryUrl: aws.String("registry-1.docker.io"), CredentialArn: aws.String(secret)}); err != nil {
		t.Fatal(err)
	}
	// The errors of the API model: the same prefix twice, Docker Hub
	// without a credential, an unknown prefix.
	var api smithy.APIError
	_, err := c.CreatePullThroughCacheRule(ctx, &ecr.CreatePullThroughCacheRuleInput{EcrRepositoryPrefix: aws.String("ecr-public"), UpstreamRegistryUrl: aws.String("public.ecr.aws")})
	if !errors.As(err, &api) || api.ErrorCode() != "PullThroughCacheRuleAlreadyExistsException" {
		t.Errorf("the same prefix twice: %v", err)
	}
	_, err = c.CreatePullThroughCacheRule(ctx, &ecr.CreatePullThroughCacheRuleInput{EcrRepositoryPrefix: aws.String("hub"), UpstreamRegistryUrl: aws.String("registry-1.docker.io")})
	if !errors.As(err, &api) || api.ErrorCode() != "InvalidParameterException" {
		t.Errorf("Docker Hub without a credential: %v", err)
	}
	_, err = c.DescribePullThroughCacheRules(ctx, &ecr.DescribePullThroughCacheRulesInput{EcrRepositoryPrefixes: []string{"nothing"}})
	if !errors.As(err, &api) || api.ErrorCode() != "PullThroughCacheRuleNotFoundException" {
		t.Errorf("an unknown prefix: %v", err)
	}
	out, err := c.DescribePullThroughCacheRules(ctx, &ecr.DescribePullThroughCacheRulesInput{EcrRepositoryPrefixes: []string{"docker-hub"}})
	if err != nil || len(out.PullThroughCacheRules) != 1 || aws.ToString(out.PullThroughCacheRules[0].CredentialArn) != secret ||
		out.PullThroughCacheRules[0].UpstreamRegistry != "docker-hub" || aws.ToString(out.PullThroughCacheRules[0].UpstreamRepositoryPrefix) != "ROOT" {
		t.Fatalf("describe docker-hub: %+v, %v", out, err)
	}
	// A third rule, deleted again: it is in neither the state nor the
	// snapshot.
	if _, err := c.CreatePullThroughCacheRule(ctx, &ecr.CreatePullThroughCacheRuleInput{EcrRepositoryPrefix: aws.String("quay"), UpstreamRegistryUrl: aws.String("quay.io")}); err != nil {
		t.Fatal(err)
	}
	if d, err := c.DeletePullThroughCacheRule(ctx, &ecr.DeletePullThroughCacheRuleInput{EcrRepositoryPrefix: aws.String("quay")}); err != nil || aws.ToString(d.UpstreamRegistryUrl) != "quay.io" {
		t.Fatalf("delete quay: %+v, %v", d, err)
	}
	opts := cmp.Options{cmpopts.EquateApproxTime(time.Second)}
	check := func(t *testing.T, dir string) {
		t.Helper()
		res, err := snapshot.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := res.Engine.Snapshot()
		e, err := srv.Engine("us-east-1")
		if err != nil {
			t.Fatal(err)
		}
		st, _ := e.Snapshot()
		live := st.PullThroughCacheRules
		if len(live) != 2 {
			t.Fatalf("live: %d rules, want 2", len(live))
		}
		if diff := cmp.Diff(live, got.PullThroughCacheRules, opts); diff != "" {
			t.Errorf("pull through cache rules (-live +snapshot):\n%s", diff)
		}
	}
	t.Run("ecsnet collect", func(t *testing.T) {
		dir := t.TempDir()
		m, err := collect.Run(context.Background(), collect.Options{Regions: []string{"us-east-1"}, EndpointURL: url, Out: dir})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range m.Calls {
			if c.Error != "" {
				t.Errorf("%s failed: %s", c.Call, c.Error)
			}
		}
		check(t, dir)
	})
	t.Run("scripts/collect.sh", func(t *testing.T) {
		dir, b, err := runCollectScript(t, url)
		if err != nil {
			t.Fatalf("collect.sh: %v\n%s", err, b)
		}
		check(t, dir)
	})
}

// An image of a repository under a pull through cache rule's prefix is an
// ECR pull that does not need the repository yet: with the snapshot's
// rules (describe-pull-through-cache-rules as the aws CLI prints it,
// format thirty-eight) a base snapshot's check reports no
// ECS_IMAGE_REPOSITORY_NOT_FOUND for ecr-public/nginx/nginx, nor for a
// ROOT rule's any repository, while without a rule covering it the
// repository that exists nowhere still fails the pull.
func TestCheckBaseSnapshotPullThroughCache(t *testing.T) {
	src, err := os.ReadFile("../../internal/cfn/testdata/sweep35/codedeploy-bluegreen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The output of aws ecr describe-pull-through-cache-rules (aws CLI
	// v2's timestamps), a rule of ECR Public and one of Docker Hub.
	const ecrPublic = `{
    "pullThroughCacheRules": [
        {
            "ecrRepositoryPrefix": "ecr-public",
            "upstreamRegistryUrl": "public.ecr.aws",
            "createdAt": "2026-11-02T09:12:31.512000+00:00",
            "registryId": "123456789012",
            "upstreamRegistry": "ecr-public",
            "updatedAt": "2026-11-02T09:12:31.512000+00:00"
        },
        {
            "ecrRepositoryPrefix": "docker-hub",
            "upstreamRegistryUrl": "registry-1.docker.io",
            "createdAt": "2026-11-02T09:14:02.077000+00:00",
            "registryId": "123456789012",
            "credentialArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf",
            "upstreamRegistry": "docker-hub",
            "upstreamRepositoryPrefix": "ROOT",
            "updatedAt": "2026-11-02T09:14:02.077000+00:00"
        }
    ]
}`
	const root = `{"pullThroughCacheRules": [{"ecrRepositoryPrefix": "ROOT", "upstreamRegistryUrl": "123456789012.dkr.ecr.us-west-2.amazonaws.com",
		"createdAt": "2026-11-02T09:12:31+00:00", "registryId": "123456789012", "upstreamRegistry": "ecr", "upstreamRepositoryPrefix": "ROOT",
		"customRoleArn": "arn:aws:iam::123456789012:role/ecr-cache"}]}`
	for _, tc := range []struct {
		name, rules, repo string
		missing           bool
	}{
		{"no rules", "", "ecr-public/nginx/nginx", true},
		{"ECR Public's prefix", ecrPublic, "ecr-public/nginx/nginx", false},
		{"Docker Hub's prefix", ecrPublic, "docker-hub/library/httpd", false},
		{"no rule's prefix", ecrPublic, "ecr-publicity/nginx", true},
		{"ROOT", root, "anything/at/all", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := baseSnapshotWithRepository(t)
			if tc.rules != "" {
				if err := os.WriteFile(filepath.Join(base, "aws_configs", "us-east-1", snapshot.ECRPullThroughFileName), []byte(tc.rules), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			s := strings.Replace(string(src), "Image: public.ecr.aws/nginx/nginx:latest",
				`Image: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/`+tc.repo+`:latest"`, 1)
			s = strings.Replace(s, "  TaskDef:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n",
				"  TaskDef:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ExecutionRoleArn: !GetAtt ExecRole.Arn\n", 1)
			s = strings.Replace(s, "Resources:\n", `Resources:
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
			var stdout, stderr bytes.Buffer
			cli.Run(cli.IO{Out: &stdout, Err: &stderr}, []string{"check", f, "--base", base})
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

// baseSnapshotWithRepository copies the example shared-vpc snapshot and
// gives its account one ECR repository (web), so that the state knows
// its repositories.
func baseSnapshotWithRepository(t *testing.T) string {
	t.Helper()
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
	if err := os.WriteFile(filepath.Join(region, snapshot.ECRRepositoriesFileName), []byte(repos), 0o644); err != nil {
		t.Fatal(err)
	}
	return base
}
