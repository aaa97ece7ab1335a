package engine

import (
	"bytes"
	"compress/gzip"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestUserDataAgentConfig: the ECS agent's ECS_CLUSTER and
// ECS_INSTANCE_ATTRIBUTES are found in plain, quoted, shell-escaped and
// gzip-compressed (cloud-init) user data.
func TestUserDataAgentConfig(t *testing.T) {
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write([]byte("--B\r\n\r\necho ECS_CLUSTER=gz >> /etc/ecs/ecs.config\necho 'ECS_INSTANCE_ATTRIBUTES={\"mongo\":\"primary\"}'\n--B--\r\n"))
	w.Close()
	for _, c := range []struct{ ud, cluster, attrs string }{
		{"#!/bin/bash\necho ECS_CLUSTER=a >> /etc/ecs/ecs.config\n", "a", ""},
		{"echo ECS_CLUSTER=b\necho ECS_INSTANCE_ATTRIBUTES={\\\"purchase-option\\\":\\\"spot\\\"} >> /etc/ecs/ecs.config\n", "b", "purchase-option=spot"},
		{"ECS_CLUSTER=c\nECS_INSTANCE_ATTRIBUTES='{\"b\":\"2\",\"a\":\"1\"}'\n", "c", "a=1,b=2"},
		{z.String(), "gz", "mongo=primary"},
		// Bottlerocket's TOML settings
		{"[settings.ecs]\ncluster = \"br\"\n", "br", ""},
		{"[settings.host-containers.admin]\nenabled = true\n\n[ settings.ecs ]\n# the cluster\ncluster = 'arn:aws:ecs:us-east-1:123456789012:cluster/br2'\n", "br2", ""},
		{"settings.ecs.cluster = \"br3\"\n", "br3", ""},
		{"[settings.kubernetes]\ncluster = \"k8s\"\n", "", ""},
	} {
		if got := model.UserDataECSCluster(c.ud); got != c.cluster {
			t.Errorf("cluster of %q = %q, want %q", c.ud, got, c.cluster)
		}
		var got string
		for i, a := range ecsInstanceAttributes(c.ud) {
			if i > 0 {
				got += ","
			}
			got += a.Name + "=" + a.Value
		}
		if got != c.attrs {
			t.Errorf("attributes of %q = %q, want %q", c.ud, got, c.attrs)
		}
	}
}
