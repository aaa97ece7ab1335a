package collect

import (
	"context"
	"errors"
	"fmt"

	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// The ECR reads, in the files internal/snapshot/ecr.go reads. They are not
// among snapshot.Calls: a snapshot without them is complete, as before
// format thirty-six (its state holds no repository, and every image of the
// account's registry is taken to exist).
var (
	ecrReposCall  = snapshot.Call{Service: "ecr", Operation: "describe-repositories", File: snapshot.ECRRepositoriesFileName, Key: "repositories"}
	ecrImagesCall = snapshot.Call{Service: "ecr", Operation: "describe-images", File: snapshot.ECRImagesFileName, Key: "imageDetails"}
	// ecrPoliciesCall is every repository's get-repository-policy, merged
	// (a repository without a policy answers
	// RepositoryPolicyNotFoundException and is left out).
	ecrPoliciesCall = snapshot.Call{Service: "ecr", Operation: "get-repository-policy", File: snapshot.ECRPoliciesFileName, Key: "repositoryPolicies"}
	// ecrPullThroughCall is the registry's pull through cache rules
	// (format thirty-eight).
	ecrPullThroughCall = snapshot.Call{Service: "ecr", Operation: "describe-pull-through-cache-rules", File: snapshot.ECRPullThroughFileName, Key: "pullThroughCacheRules"}
)

// collectECR collects the account's private repositories in the region
// (every page of describe-repositories) and every repository's images
// (every page of describe-images, merged under "imageDetails": each
// detail names its repository), every repository's policy, and the
// registry's pull through cache rules (every page).
func (r *regionRun) collectECR(ctx context.Context) {
	r.all(ctx, ecrPullThroughCall, nil, "", nil)
	var names []string
	ok := r.all(ctx, ecrReposCall, nil, "repositoryName", &names)
	r.run(ctx, ecrImagesCall, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, errors.New("skipped: ecr describe-repositories failed")
		}
		all := []any{}
		for _, name := range names {
			err := r.client.pages(ctx, r, c, "ecr", "DescribeImages", map[string]any{"repositoryName": name}, func(out map[string]any) int {
				page := items(out, ecrImagesCall.Key)
				all = append(all, page...)
				return len(page)
			})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		}
		return one(ecrImagesCall, all), nil
	})
	r.run(ctx, ecrPoliciesCall, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, errors.New("skipped: ecr describe-repositories failed")
		}
		all := []any{}
		for _, name := range names {
			out, err := r.client.call(ctx, r.region, "ecr", "GetRepositoryPolicy", map[string]any{"repositoryName": name})
			var api *awsproto.ResponseError
			switch {
			case errors.As(err, &api) && api.Code == "RepositoryPolicyNotFoundException":
				continue
			case err != nil:
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			c.page(1)
			all = append(all, map[string]any{"registryId": out["registryId"], "repositoryName": out["repositoryName"], "policyText": out["policyText"]})
		}
		return one(ecrPoliciesCall, all), nil
	})
}
