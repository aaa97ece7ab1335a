package collect

import (
	"context"
	"errors"
	"fmt"

	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// The list-tags calls of the resources whose describe call answers no
// tags (internal/snapshot/tags.go): one request per resource, a file
// each (snapshot.ResourceTagsFileName) with the ARN beside the output.
// They are not among snapshot.Calls: a snapshot without them is
// complete, as before round thirty-five.
var (
	eventTagsCall  = snapshot.Call{Service: "events", Operation: "list-tags-for-resource", Key: "Tags"}
	daemonTagsCall = snapshot.Call{Service: "ecs", Operation: "list-tags-for-resource", Key: "tags"}
	acmTagsCall    = snapshot.Call{Service: "acm", Operation: "list-tags-for-certificate", Key: "Tags"}
)

// tagsCall is one resource kind's list-tags call: its operation's input
// member naming the resource and the ARN member written beside the
// output (the one the service's output answers under, or the input's).
type tagsCall struct {
	call           snapshot.Call
	inputMember    string
	arnMember      string
	listedBy, skip string
}

var (
	eventTags  = tagsCall{eventTagsCall, "ResourceARN", "ResourceARN", "events list-rules", "skipped: list-rules failed"}
	daemonTags = tagsCall{daemonTagsCall, "resourceArn", "resourceArn", "ecs describe-daemon", "skipped: describe-daemon failed"}
	acmTags    = tagsCall{acmTagsCall, "CertificateArn", "CertificateArn", "acm list-certificates", "skipped: list-certificates failed"}
)

// collectTags reads the tags of each of arns (listed is false when the
// call listing them failed).
func (r *regionRun) collectTags(ctx context.Context, tc tagsCall, listed bool, arns []string) {
	r.run(ctx, tc.call, func(ctx context.Context, c *counter) (files, error) {
		if !listed {
			return nil, errors.New(tc.skip)
		}
		out := files{}
		for _, arn := range arns {
			if arn == "" {
				continue
			}
			o, err := r.client.call(ctx, r.region, tc.call.Service, operationName(tc.call.Operation), map[string]any{tc.inputMember: arn})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", arn, err)
			}
			c.page(1)
			out[snapshot.ResourceTagsFileName(arn)] = map[string]any{tc.arnMember: arn, tc.call.Key: items(o, tc.call.Key)}
		}
		return out, nil
	})
}
