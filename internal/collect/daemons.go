package collect

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// daemonBatch is how many ARNs DescribeDaemonRevisions and
// DescribeDaemonDeployments take per request ("You can specify up to 20
// ARNs").
const daemonBatch = 20

// collectDaemons collects ECS Managed Daemons: every daemon ListDaemons
// lists (of every cluster) described one by one (describe-daemon, merged
// under "daemons"), every deployment ListDaemonDeployments lists per
// daemon, and every revision a daemon or a deployment names. It returns
// the daemon task definitions the revisions run, for
// describe-daemon-task-definition.
func (r *regionRun) collectDaemons(ctx context.Context) []string {
	var daemonARNs []string
	revisions := map[string]bool{}
	daemonCall := callOf("ecs", "describe-daemon")
	ok := r.run(ctx, daemonCall, func(ctx context.Context, c *counter) (files, error) {
		err := r.tokenPages(ctx, c, "ListDaemons", map[string]any{}, func(out map[string]any) int {
			page := items(out, "daemonSummariesList")
			for _, s := range page {
				if a := fieldOf(s, "daemonArn"); a != "" {
					daemonARNs = append(daemonARNs, a)
				}
			}
			return 0
		})
		if err != nil {
			return nil, err
		}
		daemons := []any{}
		for _, arn := range daemonARNs {
			out, err := r.client.call(ctx, r.region, "ecs", "DescribeDaemon", map[string]any{"daemonArn": arn})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", arn, err)
			}
			c.page(1)
			d, _ := out["daemon"].(map[string]any)
			if d == nil {
				continue
			}
			daemons = append(daemons, d)
			for _, rev := range items(d, "currentRevisions") {
				revisions[fieldOf(rev, "arn")] = true
			}
		}
		return files{daemonCall.File: map[string]any{daemonCall.Key: daemons}}, nil
	})
	r.collectTags(ctx, daemonTags, ok, daemonARNs)
	skipped := errors.New("skipped: describe-daemon failed")

	depCall := callOf("ecs", "describe-daemon-deployments")
	r.run(ctx, depCall, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, skipped
		}
		var arns []string
		for _, d := range daemonARNs {
			err := r.tokenPages(ctx, c, "ListDaemonDeployments", map[string]any{"daemonArn": d}, func(out map[string]any) int {
				for _, s := range items(out, "daemonDeployments") {
					if a := fieldOf(s, "daemonDeploymentArn"); a != "" {
						arns = append(arns, a)
					}
				}
				return 0
			})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", d, err)
			}
		}
		deps, fails, err := r.describeDaemonBatches(ctx, c, "DescribeDaemonDeployments", "daemonDeploymentArns", depCall.Key, arns)
		if err != nil {
			return nil, err
		}
		for _, d := range deps {
			m, _ := d.(map[string]any)
			if t, ok := m["targetDaemonRevision"]; ok {
				revisions[fieldOf(t, "arn")] = true
			}
			for _, s := range items(m, "sourceDaemonRevisions") {
				revisions[fieldOf(s, "arn")] = true
			}
			if rb, ok := m["rollback"]; ok {
				revisions[fieldOf(rb, "rollbackTargetDaemonRevisionArn")] = true
			}
		}
		return ecsFiles(depCall, deps, fails), nil
	})

	var taskDefs []string
	revCall := callOf("ecs", "describe-daemon-revisions")
	r.run(ctx, revCall, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, skipped
		}
		delete(revisions, "")
		arns := make([]string, 0, len(revisions))
		for a := range revisions {
			arns = append(arns, a)
		}
		slices.Sort(arns)
		revs, fails, err := r.describeDaemonBatches(ctx, c, "DescribeDaemonRevisions", "daemonRevisionArns", revCall.Key, arns)
		if err != nil {
			return nil, err
		}
		for _, rev := range revs {
			if td := fieldOf(rev, "daemonTaskDefinitionArn"); td != "" {
				taskDefs = append(taskDefs, td)
			}
		}
		return ecsFiles(revCall, revs, fails), nil
	})
	return taskDefs
}

// describeDaemonBatches describes arns daemonBatch at a time with
// operation, whose request names them in member and whose answer lists
// them under key.
func (r *regionRun) describeDaemonBatches(ctx context.Context, c *counter, operation, member, key string, arns []string) (its, fails []any, err error) {
	for _, b := range batches(arns, daemonBatch) {
		out, err := r.client.call(ctx, r.region, "ecs", operation, map[string]any{member: b})
		if err != nil {
			return nil, nil, err
		}
		page := items(out, key)
		c.page(len(page))
		its, fails = append(its, page...), append(fails, items(out, "failures")...)
	}
	return its, fails, nil
}

// tokenPages makes every request of an ECS list operation that pages
// with nextToken but has no paginator in the botocore model (ListDaemons,
// ListDaemonDeployments), as the aws CLI does not: it follows nextToken
// until an answer has none.
func (r *regionRun) tokenPages(ctx context.Context, c *counter, operation string, in map[string]any, each func(out map[string]any) int) error {
	params := map[string]any{}
	for k, v := range in {
		params[k] = v
	}
	seen := map[string]bool{}
	for {
		out, err := r.client.call(ctx, r.region, "ecs", operation, params)
		if err != nil {
			return err
		}
		c.page(each(out))
		tok, _ := out["nextToken"].(string)
		if tok == "" {
			return nil
		}
		if seen[tok] {
			return fmt.Errorf("ecs %s: the service returned the same page token twice", operation)
		}
		seen[tok] = true
		params["nextToken"] = tok
	}
}
