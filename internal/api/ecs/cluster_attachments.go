package ecs

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"

	"github.com/ecsnet/ecsnet/internal/model"
)

// The resources ECS attaches to a cluster (the cluster's "attachments",
// answered by DescribeClusters with include ATTACHMENTS and by the calls
// that change them): for each Auto Scaling group capacity provider of the
// cluster with managed scaling, an "as_policy" (the target tracking
// policy ECS puts on the group); with managed draining, a
// "managed_draining" (the group's termination lifecycle hook); for a
// default Service Connect namespace, an "sc"
// (awscli/examples/ecs/create-cluster.rst, describe-clusters.rst,
// update-cluster.rst, put-cluster-capacity-providers.rst).

// attachmentPhase is where a call leaves the cluster's attachments: settled
// (a read, or a change of other settings), created by the call (CreateCluster)
// or updated by it (PutClusterCapacityProviders).
type attachmentPhase int

const (
	attachmentsSettled attachmentPhase = iota
	attachmentsCreating
	attachmentsUpdating
)

// managedDrainingHook is the termination lifecycle hook ECS puts on the
// Auto Scaling group of a capacity provider with managed draining.
const managedDrainingHook = "ecs-managed-draining-termination-hook"

// clusterAttachmentsOut sets out["attachments"] and out["attachmentsStatus"]
// for c, when c has any. removed are the capacity providers the call took
// off the cluster (PutClusterCapacityProviders: their attachments are
// answered DELETING).
func clusterAttachmentsOut(st *model.State, c *model.Cluster, phase attachmentPhase, removed []string, out map[string]any) {
	var list []any
	add := func(kind, provider, status string, details []any) {
		list = append(list, map[string]any{"id": attachmentID(c.ARN, kind, provider), "type": kind, "status": status, "details": details})
	}
	// An attachment ECS is creating is PRECREATED in CreateCluster's
	// answer and ACTIVE in PutClusterCapacityProviders'; once created
	// (any later read) it is CREATED.
	created := "CREATED"
	switch phase {
	case attachmentsCreating:
		created = "PRECREATED"
	case attachmentsUpdating:
		created = "ACTIVE"
	}
	providerAttachments := func(name, status string) {
		cp := providerByName(st, name)
		if cp == nil || cp.IsFargate() {
			return
		}
		if cp.ManagedScaling {
			add("as_policy", name, status, []any{
				map[string]any{"name": "capacityProviderName", "value": name},
				map[string]any{"name": "scalingPolicyName", "value": "ECSManagedAutoScalingPolicy-" + attachmentID(c.ARN, "policy", name)},
			})
		}
		if !cp.ManagedDrainingDisabled {
			add("managed_draining", name, status, []any{
				map[string]any{"name": "capacityProviderName", "value": name},
				map[string]any{"name": "autoScalingLifecycleHookName", "value": managedDrainingHook},
			})
		}
	}
	for _, name := range c.CapacityProviders {
		providerAttachments(name, created)
	}
	for _, name := range removed {
		if !slices.Contains(c.CapacityProviders, name) {
			providerAttachments(name, "DELETING")
		}
	}
	if c.ServiceConnectNamespace != "" {
		status := "ATTACHED"
		if phase == attachmentsCreating {
			status = "PRECREATED"
		}
		add("sc", c.ServiceConnectNamespace, status, []any{})
	}
	if len(list) == 0 {
		return
	}
	out["attachments"] = list
	out["attachmentsStatus"] = "UPDATE_COMPLETE"
	if phase != attachmentsSettled {
		out["attachmentsStatus"] = "UPDATE_IN_PROGRESS"
	}
}

// providerByName is the ACTIVE capacity provider named name (nil for
// FARGATE, FARGATE_SPOT or none).
func providerByName(st *model.State, name string) *model.CapacityProvider {
	for _, cp := range st.CapacityProviders {
		if cp.Name == name && cp.Status == "ACTIVE" {
			return cp
		}
	}
	return nil
}

// attachmentID is a cluster attachment's id, in the UUID form ECS gives:
// derived from the cluster, the kind and the provider, so every read
// answers the same id [choice].
func attachmentID(cluster, kind, provider string) string {
	sum := sha256.Sum256([]byte(cluster + "\x00" + kind + "\x00" + provider))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
