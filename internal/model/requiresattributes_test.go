package model

import (
	"slices"
	"testing"
)

// A task role asks for the task-iam-role capability in the awsvpc mode
// too (ECS lists it in such definitions' requiresAttributes), and for the
// network-host one in the host mode.
func TestRequiredInstanceAttributesTaskRole(t *testing.T) {
	for _, c := range []struct {
		mode NetworkMode
		want []string
	}{
		{NetworkModeAwsvpc, []string{AttrTaskIAMRole, AttrTaskENI}}, // ECS's order
		{NetworkModeBridge, []string{AttrTaskIAMRole}},
		{NetworkModeHost, []string{AttrTaskIAMRoleNetworkHost}},
	} {
		td := &TaskDefinition{NetworkMode: c.mode, TaskRoleARN: "arn:aws:iam::123456789012:role/app"}
		if got := RequiredInstanceAttributes(td); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.mode, got, c.want)
		}
	}
}
