package model

import (
	"regexp"
	"strings"
)

// Container instance attributes the ECS agent registers for the
// capabilities task definitions need (ECS Developer Guide, "Amazon ECS
// container instance attributes"; task definition parameters,
// requiresAttributes).
const (
	// AttrTaskIAMRole: task IAM roles in the bridge and default network
	// modes (the agent's ECS_ENABLE_TASK_IAM_ROLE).
	AttrTaskIAMRole = "com.amazonaws.ecs.capability.task-iam-role"
	// AttrTaskIAMRoleNetworkHost: task IAM roles in the host network mode
	// (the agent's ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST).
	AttrTaskIAMRoleNetworkHost = "ecs.capability.task-iam-role-network-host"
	// AttrTaskENI: the awsvpc network mode.
	AttrTaskENI = "ecs.capability.task-eni"
)

// RequiredInstanceAttributes returns the container instance attributes
// ECS derives from a task definition when it is registered and checks at
// placement on EC2: a task role needs the task-iam-role capability, and
// in the host network mode the task-iam-role-network-host one; the awsvpc
// network mode needs task-eni. (AWS derives others, the docker remote API
// version and logging drivers among them, which every agent ecsnet models
// registers.)
func RequiredInstanceAttributes(td *TaskDefinition) []string {
	var out []string
	if td.NetworkMode == NetworkModeAwsvpc {
		out = append(out, AttrTaskENI)
	}
	if td.TaskRoleARN != "" {
		switch td.NetworkMode {
		case NetworkModeHost:
			out = append(out, AttrTaskIAMRoleNetworkHost)
		case NetworkModeAwsvpc:
		default:
			out = append(out, AttrTaskIAMRole)
		}
	}
	return out
}

var agentBoolRE = regexp.MustCompile(`(?m)\b(ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST|ECS_ENABLE_TASK_IAM_ROLE)=["']?(\w+)`)

// AgentCapabilityOff reports whether an ECS host's user data turns a
// capability the ECS-optimized AMI's ecs-init enables by default off in
// /etc/ecs/ecs.config (ECS_ENABLE_TASK_IAM_ROLE=false,
// ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=false: ecs-init starts the agent
// with both true, and the file's settings override them).
func AgentCapabilityOff(userData, variable string) bool {
	off := false
	for _, m := range agentBoolRE.FindAllStringSubmatch(CloudInitText(userData), -1) {
		if m[1] == variable {
			off = strings.EqualFold(m[2], "false")
		}
	}
	return off
}
