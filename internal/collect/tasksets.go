package collect

import (
	"context"
	"errors"
	"fmt"

	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// taskSetsCall is aws ecs describe-task-sets --include TAGS, once per
// service that has task sets (the EXTERNAL and CODE_DEPLOY deployment
// controllers), merged into one file. describe-services answers the
// services' task sets already, without their tags ("include: TAGS" of
// DescribeTaskSets: "Specifies whether to see the resource tags for the
// task set"); the file adds them. It is not among snapshot.Calls: a
// snapshot without it is complete, its task sets untagged.
var taskSetsCall = snapshot.Call{Service: "ecs", Operation: "describe-task-sets", File: snapshot.TaskSetsFileName, Key: "taskSets"}

// collectTaskSets describes, with their tags, the task sets of the
// services describe-services answered that have any; clustersDescribed
// false (describe-clusters failed) skips it, as the other per-cluster
// calls are skipped, so that every region makes extraCallCount calls.
func (r *regionRun) collectTaskSets(ctx context.Context, clustersDescribed bool, services []any) {
	r.run(ctx, taskSetsCall, func(ctx context.Context, c *counter) (files, error) {
		if !clustersDescribed {
			return nil, errors.New("skipped: describe-clusters failed")
		}
		var all, failures []any
		for _, s := range services {
			m, ok := s.(map[string]any)
			if !ok || len(items(m, "taskSets")) == 0 {
				continue
			}
			out, err := r.client.call(ctx, r.region, "ecs", "DescribeTaskSets", map[string]any{"cluster": fieldOf(s, "clusterArn"),
				"service": fieldOf(s, "serviceArn"), "include": []any{"TAGS"}})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", fieldOf(s, "serviceArn"), err)
			}
			page := items(out, taskSetsCall.Key)
			c.page(len(page))
			all, failures = append(all, page...), append(failures, items(out, "failures")...)
		}
		return ecsFiles(taskSetsCall, all, failures), nil
	})
}
