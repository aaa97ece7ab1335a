package snapshot_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// A state's pull through cache rules are written as aws ecr
// describe-pull-through-cache-rules prints them and read back; a prefix
// the CLI prints with its trailing "/" (ECR takes both alike) is the
// same rule, another registry's rule is not the account's, and a rule
// without a prefix is skipped with a warning.
func TestPullThroughCacheRules(t *testing.T) {
	st := seedState(t, "alb")
	at := time.Date(2026, 11, 2, 9, 12, 31, 512000000, time.UTC)
	st.PullThroughCacheRules["ecr-public"] = &model.PullThroughCacheRule{Prefix: "ecr-public", UpstreamRegistryURL: "public.ecr.aws",
		UpstreamRegistry: "ecr-public", UpstreamPrefix: "ROOT", Created: at, Updated: at}
	st.PullThroughCacheRules["team/hub"] = &model.PullThroughCacheRule{Prefix: "team/hub", UpstreamRegistryURL: "registry-1.docker.io",
		UpstreamRegistry: "docker-hub", UpstreamPrefix: "library", CredentialARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/hub-AbCdEf",
		Created: at, Updated: at.Add(time.Hour)}
	dir, region := writeSnapshot(t, st)
	res := load(t, dir)
	got, _ := res.Engine.Snapshot()
	if diff := cmp.Diff(st.PullThroughCacheRules, got.PullThroughCacheRules); diff != "" {
		t.Errorf("rules (-written +read):\n%s", diff)
	}
	if r := got.PullThroughCacheRuleOf("team/hub/library/httpd"); r == nil || r.Prefix != "team/hub" {
		t.Errorf("team/hub/library/httpd is covered by %+v, want team/hub", r)
	}
	if r := got.PullThroughCacheRuleOf("team/other"); r != nil {
		t.Errorf("team/other is covered by %+v, want none", r)
	}

	const cli = `{
    "pullThroughCacheRules": [
        {"ecrRepositoryPrefix": "ecr-public/", "upstreamRegistryUrl": "public.ecr.aws", "createdAt": "2026-11-02T09:12:31.512000+00:00", "registryId": "123456789012"},
        {"ecrRepositoryPrefix": "quay", "upstreamRegistryUrl": "quay.io", "createdAt": "2026-11-02T09:12:31+00:00", "registryId": "210987654321"},
        {"upstreamRegistryUrl": "ghcr.io", "createdAt": "2026-11-02T09:12:31+00:00", "registryId": "123456789012"}
    ]
}`
	if err := os.WriteFile(filepath.Join(region, snapshot.ECRPullThroughFileName), []byte(cli), 0o644); err != nil {
		t.Fatal(err)
	}
	res = load(t, dir)
	got, _ = res.Engine.Snapshot()
	if len(got.PullThroughCacheRules) != 1 {
		t.Fatalf("read %d rules, want 1 (ecr-public)", len(got.PullThroughCacheRules))
	}
	r := got.PullThroughCacheRules["ecr-public"]
	if r == nil || r.UpstreamPrefix != "ROOT" || !r.Created.Equal(at) || got.PullThroughCacheRuleOf("ecr-public/nginx/nginx") != r {
		t.Errorf("ecr-public: %+v", r)
	}
	warned := false
	for _, w := range res.Warnings {
		if w.Code == snapshot.CodeBadValue && w.Resource == "ghcr.io" {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning of the rule without a prefix: %v", res.Warnings)
	}
}
