package snapshot_test

import (
	"path/filepath"
	"testing"
)

// A capacity provider known only from a container instance (a short ARN,
// no clusterArn, several clusters) gets an ARN in the snapshot's
// partition, region and account, not arn:aws:ecs:::.
func TestCapacityProviderARNOfThePartition(t *testing.T) {
	dir := t.TempDir()
	region := filepath.Join(dir, "aws_configs", "cn-north-1")
	writeFile(t, filepath.Join(region, "ecs-describe-clusters.json"), `{"clusters": [
  {"clusterArn": "arn:aws-cn:ecs:cn-north-1:123456789012:cluster/a", "clusterName": "a", "status": "ACTIVE"},
  {"clusterArn": "arn:aws-cn:ecs:cn-north-1:123456789012:cluster/b", "clusterName": "b", "status": "ACTIVE"}]}`)
	writeFile(t, filepath.Join(region, "ecs-describe-container-instances.json"), `{"containerInstances": [
  {"containerInstanceArn": "arn:aws-cn:ecs:cn-north-1:123456789012:container-instance/0123456789abcdef", "ec2InstanceId": "i-0123456789abcdef0",
   "status": "ACTIVE", "agentConnected": true, "capacityProviderName": "spot-cp"}]}`)
	st := state(load(t, dir))
	want := "arn:aws-cn:ecs:cn-north-1:123456789012:capacity-provider/spot-cp"
	if st.CapacityProviders[want] == nil {
		var got []string
		for arn := range st.CapacityProviders {
			got = append(got, arn)
		}
		t.Errorf("capacity providers %v, want %s", got, want)
	}
}
