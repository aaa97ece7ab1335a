package collect

import (
	"context"
	"errors"
	"fmt"
)

// collectEFS collects Amazon EFS: every file system, every file system's
// mount targets (DescribeMountTargets takes one file system; merged under
// "MountTargets") and every access point. Their security groups are their
// ENIs', in describe-network-interfaces.
func (r *regionRun) collectEFS(ctx context.Context) {
	var ids []string
	ok := r.all(ctx, callOf("efs", "describe-file-systems"), nil, "FileSystemId", &ids)
	mtCall := callOf("efs", "describe-mount-targets")
	r.run(ctx, mtCall, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, errors.New("skipped: describe-file-systems failed")
		}
		var all []any
		for _, id := range ids {
			err := r.client.pages(ctx, r, c, "efs", "DescribeMountTargets", map[string]any{"FileSystemId": id}, func(out map[string]any) int {
				page := items(out, mtCall.Key)
				all = append(all, page...)
				return len(page)
			})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", id, err)
			}
		}
		return one(mtCall, all), nil
	})
	r.all(ctx, callOf("efs", "describe-access-points"), nil, "", nil)
}
