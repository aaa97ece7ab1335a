package collect_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// ECR repositories (and their images), an ECS service's deployment
// controller and the CodeDeploy applications and deployment groups are
// collected by both collectors and read back: the snapshot holds the
// emulator's repositories with their images' digests and tags (the pull
// checks them: ECS_IMAGE_REPOSITORY_NOT_FOUND, ECS_IMAGE_TAG_NOT_FOUND),
// the service's CODE_DEPLOY controller, and the deployment group that
// pairs the blue/green target groups (reach's root cause says the idle
// member of the pair). Before format thirty-six none of them was
// collected, and the reader dropped deploymentController.
func TestCollectECRAndCodeDeployFromServe(t *testing.T) {
	testCredentials(t)
	srv, url := startStepped(t)
	deployStepped(t, srv, sdkConfig(t, url), corpusStack{name: "bg", template: "internal/cfn/testdata/sweep35/codedeploy-bluegreen.yaml"}, nil)
	e, err := srv.Engine("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"web", "team/api", "empty"} {
		in := engine.CreateRepositoryInput{Name: name}
		if i == 1 {
			in.TagMutability, in.ScanOnPush, in.EncryptionType = "IMMUTABLE", true, "KMS"
		}
		if _, err := e.CreateRepository(in); err != nil {
			t.Fatal(err)
		}
	}
	for i, tag := range []string{"v1", "v2", "latest"} {
		manifest := fmt.Sprintf(`{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":%d,"digest":"sha256:%064x"},"layers":[]}`, 100+i, i+1)
		for _, repo := range []string{"web", "team/api"} {
			if _, err := e.PutImage(engine.PutImageInput{Name: repo, Manifest: manifest, Tag: tag}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A repository policy (get-repository-policy, format thirty-six) on
	// one repository: the others answer RepositoryPolicyNotFoundException.
	if _, err := ecr.NewFromConfig(sdkConfig(t, url)).SetRepositoryPolicy(context.Background(), &ecr.SetRepositoryPolicyInput{RepositoryName: aws.String("team/api"),
		PolicyText: aws.String(`{"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}`)}); err != nil {
		t.Fatal(err)
	}
	repoOnly := cmp.Options{cmpopts.EquateEmpty(), cmpopts.EquateApproxTime(time.Second),
		cmpopts.IgnoreFields(model.Repository{}, "Tags", "LifecyclePolicy"), cmpopts.IgnoreFields(model.RepositoryImage{}, "Manifest"),
		// The images' push times, as the API answers them, may tie
		// (milliseconds): their order is not the analyzer's concern.
		cmpopts.SortSlices(func(a, b model.RepositoryImage) bool { return a.Digest < b.Digest })}
	cdOnly := cmp.Options{cmpopts.EquateEmpty(), cmpopts.EquateApproxTime(time.Second),
		cmpopts.IgnoreFields(model.CodeDeployApp{}, "Tags"), cmpopts.IgnoreFields(model.CodeDeployGroup{}, "Tags", "Config", "LastSuccessful", "LastAttempted", "Created")}
	check := func(t *testing.T, live, snap *model.State) {
		t.Helper()
		if len(live.Repositories) != 3 || len(live.CodeDeployGroups) != 1 || live.Repositories["team/api"].Policy == "" {
			t.Fatalf("live: %d repositories, %d deployment groups, team/api's policy %q", len(live.Repositories), len(live.CodeDeployGroups), live.Repositories["team/api"].Policy)
		}
		if diff := cmp.Diff(live.Repositories, snap.Repositories, repoOnly); diff != "" {
			t.Errorf("repositories (-live +snapshot):\n%s", diff)
		}
		if diff := cmp.Diff(live.CodeDeployApps, snap.CodeDeployApps, cdOnly); diff != "" {
			t.Errorf("CodeDeploy applications (-live +snapshot):\n%s", diff)
		}
		if diff := cmp.Diff(live.CodeDeployGroups, snap.CodeDeployGroups, cdOnly); diff != "" {
			t.Errorf("deployment groups (-live +snapshot):\n%s", diff)
		}
		n := 0
		for arn, s := range live.Services {
			if s.DeploymentController == "CODE_DEPLOY" {
				n++
			}
			if got := snap.Services[arn]; got == nil || got.DeploymentController != s.DeploymentController {
				t.Errorf("service %s: snapshot's controller %v, live %q", arn, got, s.DeploymentController)
			}
		}
		if n != 1 {
			t.Errorf("live: %d CODE_DEPLOY services, want 1", n)
		}
		// The exposure says the idle member of the pair, from the
		// snapshot as from the live state: the CODE_DEPLOY service and
		// its deployment group.
		const idle = "the target group pair of the deployment group"
		l, err := json.Marshal(reach.Exposure(reach.Compile(live)))
		if err != nil {
			t.Fatal(err)
		}
		s, err := json.Marshal(reach.Exposure(reach.Compile(snap)))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(l), idle) || !strings.Contains(string(s), idle) {
			t.Errorf("exposure: live says the pair %v, snapshot %v", strings.Contains(string(l), idle), strings.Contains(string(s), idle))
		}
	}
	live, snap, _ := collectBoth(t, srv, url, nil)
	check(t, live, snap)
	t.Run("Write", func(t *testing.T) {
		dir := t.TempDir()
		if err := snapshot.Write(dir, live); err != nil {
			t.Fatal(err)
		}
		res, err := snapshot.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := res.Engine.Snapshot()
		check(t, live, got)
	})
	t.Run("scripts/collect.sh", func(t *testing.T) {
		dir, b, err := runCollectScript(t, url)
		if err != nil {
			t.Fatalf("collect.sh: %v\n%s", err, b)
		}
		for _, f := range []string{snapshot.ECRRepositoriesFileName, snapshot.ECRImagesFileName, snapshot.ECRPoliciesFileName, snapshot.CodeDeployAppsFileName, snapshot.CodeDeployGroupsFileName} {
			if _, err := os.Stat(filepath.Join(dir, "aws_configs", "us-east-1", f)); err != nil {
				t.Errorf("collect.sh wrote no %s: %v", f, err)
			}
		}
		res, err := snapshot.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range res.Warnings {
			if !strings.Contains(w.String(), "whose task is not in describe-tasks") {
				t.Errorf("warning: %s", w)
			}
		}
		got, _ := res.Engine.Snapshot()
		check(t, live, got)
	})
}
