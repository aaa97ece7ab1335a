package reach

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// EnvFileCheck is the engine's environmentFiles check
// (engine.WithEnvFileCheck): a container's environmentFiles entry of type
// s3 names an object (arn:aws:s3:::BUCKET/KEY) that the task's agent
// downloads before the containers start; a missing one stops the task
// with the agent's ResourceInitializationError, as reported from Fargate
// (the object's HeadObject answers 403 to an execution role without
// s3:ListBucket, which AWS's documented policy for environment files
// grants: s3:GetObject and s3:GetBucketLocation only). global is the state
// holding the buckets.
func EnvFileCheck(st, global *model.State, tk *model.Task) string {
	td := st.TaskDefinitions[tk.TaskDefinitionARN]
	if td == nil {
		return ""
	}
	for _, d := range td.Containers {
		for _, x := range rawList(d.Raw, "environmentFiles") {
			m, _ := x.(map[string]any)
			if t := model.RawString(m, "type"); t != "" && t != "s3" {
				continue
			}
			ref, ok := model.CutS3ARN(model.RawString(m, "value"))
			if !ok {
				continue
			}
			bucket, key, _ := strings.Cut(ref, "/")
			if global.Buckets[bucket] != nil && global.S3Objects[model.S3ObjectKey(bucket, key)] != nil {
				continue
			}
			return "ResourceInitializationError: failed to download env files: service call has been retried 1 time(s): " +
				"operation error S3: HeadObject, https response error StatusCode: 403, api error Forbidden: Forbidden"
		}
	}
	return ""
}
