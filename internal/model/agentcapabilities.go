package model

import (
	"regexp"
	"strconv"
	"strings"
)

// agentCapabilities are the capability attributes a task definition can
// require that the ECS agent registers only from a given release on (the
// agent's CHANGELOG: ECR pulls 1.7.0, awslogs 1.9.0, task IAM roles
// 1.11.0 and in the host mode 1.12.0, task ENIs 1.15.0, the task
// execution role's ECR pulls and awslogs 1.16.0, Docker health checks
// 1.17.0, private registry credentials from Secrets Manager 1.19.0,
// Parameter Store secrets 1.22.0, Secrets Manager secrets 1.23.0,
// container ordering 1.26.0, FireLens 1.30.0, EFS volumes 1.35.0, their
// IAM authorization 1.38.0, S3 environment files 1.39.0).
var agentCapabilities = []struct{ attribute, since string }{
	{"com.amazonaws.ecs.capability.ecr-auth", "1.7.0"},
	{"com.amazonaws.ecs.capability.logging-driver.awslogs", "1.9.0"},
	{AttrTaskIAMRole, "1.11.0"},
	{AttrTaskIAMRoleNetworkHost, "1.12.0"},
	{AttrTaskENI, "1.15.0"},
	{"ecs.capability.execution-role-ecr-pull", "1.16.0"},
	{"ecs.capability.execution-role-awslogs", "1.16.0"},
	{"ecs.capability.task-cpu-mem-limit", "1.16.0"},
	{"ecs.capability.container-health-check", "1.17.0"},
	{AttrPrivateRegistryAuthASM, "1.19.0"},
	{"ecs.capability.secrets.ssm.environment-variables", "1.22.0"},
	{"ecs.capability.secrets.asm.environment-variables", "1.23.0"},
	{"ecs.capability.container-ordering", "1.26.0"},
	{"com.amazonaws.ecs.capability.logging-driver.awsfirelens", "1.30.0"},
	{"ecs.capability.firelens.fluentbit", "1.30.0"},
	{"ecs.capability.firelens.fluentd", "1.30.0"},
	{"ecs.capability.efs", "1.35.0"},
	{"ecs.capability.efsAuth", "1.38.0"},
	{"ecs.capability.env-files.s3", "1.39.0"},
}

// AttrPrivateRegistryAuthASM: a container's repositoryCredentials (a
// private registry's credentials in Secrets Manager).
const AttrPrivateRegistryAuthASM = "ecs.capability.private-registry-authentication.secretsmanager"

// AgentCapabilities returns the capability attributes of agentCapabilities
// an ECS agent of the given version registers, in the table's order (all
// of them for an unknown version).
func AgentCapabilities(version string) []string {
	out := make([]string, 0, len(agentCapabilities))
	for _, c := range agentCapabilities {
		if CompareAgentVersions(version, c.since) >= 0 {
			out = append(out, c.attribute)
		}
	}
	return out
}

// AgentCapabilitySince returns the first agent release that registers a
// capability attribute ("" for one every agent ecsnet models registers).
func AgentCapabilitySince(attribute string) string {
	for _, c := range agentCapabilities {
		if c.attribute == attribute {
			return c.since
		}
	}
	return ""
}

// CompareAgentVersions compares two agent versions (1.16.2) number by
// number; an empty or unreadable version is the newest.
func CompareAgentVersions(a, b string) int {
	pa, oka := agentVersionNumbers(a)
	pb, okb := agentVersionNumbers(b)
	switch {
	case !oka && !okb:
		return 0
	case !oka:
		return 1
	case !okb:
		return -1
	}
	for i := range pa {
		if pa[i] != pb[i] {
			if pa[i] < pb[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

func agentVersionNumbers(v string) ([3]int, bool) {
	var out [3]int
	parts := strings.SplitN(strings.TrimPrefix(v, "v"), ".", 3)
	if len(parts) != 3 {
		return out, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return out, false
		}
		out[i] = n
	}
	return out, true
}

var pinnedAgentRE = regexp.MustCompile(`amazon-ecs-agent:v?(\d+\.\d+\.\d+)\b|\becs-init-(\d+\.\d+\.\d+)\b`)

// PinnedAgentVersion returns the ECS agent release an instance's user
// data installs on an AMI without the ECS-optimized AMI's agent: the agent
// container it runs (amazon/amazon-ecs-agent:v1.16.2, the agent's
// installation on other Linux AMIs) or the ecs-init package it installs
// (ecs-init-1.16.2, whose version is the agent's). "" when it names none
// (the AMI's own agent).
func PinnedAgentVersion(userData string) string {
	m := pinnedAgentRE.FindStringSubmatch(CloudInitText(userData))
	if m == nil {
		return ""
	}
	if m[1] != "" {
		return m[1]
	}
	return m[2]
}
