package collect

import (
	"context"
	"errors"
	"fmt"

	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// The CodeDeploy reads (aws deploy …), in the files
// internal/snapshot/codedeploy.go reads. They are not among
// snapshot.Calls: a snapshot without them is complete, as before format
// thirty-six.
var (
	cdAppsCall   = snapshot.Call{Service: "deploy", Operation: "batch-get-applications", File: snapshot.CodeDeployAppsFileName, Key: "applicationsInfo"}
	cdGroupsCall = snapshot.Call{Service: "deploy", Operation: "batch-get-deployment-groups", File: snapshot.CodeDeployGroupsFileName, Key: "deploymentGroupsInfo"}
)

// cdBatch is how many names one BatchGetApplications or
// BatchGetDeploymentGroups call takes (the API reference: "The maximum
// number of names you can specify is 100").
const cdBatch = 100

// collectCodeDeploy collects the applications (every page of
// ListApplications, then BatchGetApplications) and every application's
// deployment groups (every page of ListDeploymentGroups, then
// BatchGetDeploymentGroups), each merged into one file.
func (r *regionRun) collectCodeDeploy(ctx context.Context) {
	var apps []string
	ok := r.run(ctx, cdAppsCall, func(ctx context.Context, c *counter) (files, error) {
		err := r.client.pages(ctx, r, c, "codedeploy", "ListApplications", nil, func(out map[string]any) int {
			page := items(out, "applications")
			for _, a := range page {
				if s, ok := a.(string); ok {
					apps = append(apps, s)
				}
			}
			return 0 // counted as batch-get-applications answers them
		})
		if err != nil {
			return nil, err
		}
		all := []any{}
		for _, names := range batches(apps, cdBatch) {
			out, err := r.client.call(ctx, r.region, "codedeploy", "BatchGetApplications", map[string]any{"applicationNames": names})
			if err != nil {
				return nil, err
			}
			page := items(out, cdAppsCall.Key)
			c.page(len(page))
			all = append(all, page...)
		}
		return one(cdAppsCall, all), nil
	})
	r.run(ctx, cdGroupsCall, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, errors.New("skipped: deploy batch-get-applications failed")
		}
		all := []any{}
		for _, app := range apps {
			var groups []string
			err := r.client.pages(ctx, r, c, "codedeploy", "ListDeploymentGroups", map[string]any{"applicationName": app}, func(out map[string]any) int {
				page := items(out, "deploymentGroups")
				for _, g := range page {
					if s, ok := g.(string); ok {
						groups = append(groups, s)
					}
				}
				return 0
			})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", app, err)
			}
			for _, names := range batches(groups, cdBatch) {
				out, err := r.client.call(ctx, r.region, "codedeploy", "BatchGetDeploymentGroups", map[string]any{"applicationName": app, "deploymentGroupNames": names})
				if err != nil {
					return nil, fmt.Errorf("%s: %w", app, err)
				}
				page := items(out, cdGroupsCall.Key)
				c.page(len(page))
				all = append(all, page...)
			}
		}
		return one(cdGroupsCall, all), nil
	})
}
