package model

import (
	"slices"
	"testing"
)

// Each feature of a task definition asks at placement for the capability
// the agent registers from the release that brought it, and an agent of an
// older release lacks it.
func TestRequiredInstanceAttributesAgentCapabilities(t *testing.T) {
	container := func(raw map[string]any) *TaskDefinition {
		return &TaskDefinition{NetworkMode: NetworkModeBridge, ExecutionRoleARN: "arn:aws:iam::123456789012:role/exec",
			Containers: []ContainerDefinition{{Name: "app", Image: "nginx", Raw: raw}}}
	}
	for _, c := range []struct {
		name  string
		td    *TaskDefinition
		want  string
		older string // an agent release without it
	}{
		{"health check", container(map[string]any{"healthCheck": map[string]any{"command": []any{"CMD-SHELL", "true"}}}), "ecs.capability.container-health-check", "1.16.2"},
		{"Secrets Manager secret", container(map[string]any{"secrets": []any{map[string]any{"name": "DB", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"}}}), "ecs.capability.secrets.asm.environment-variables", "1.22.0"},
		{"Parameter Store secret", container(map[string]any{"secrets": []any{map[string]any{"name": "DB", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/db"}}}), "ecs.capability.secrets.ssm.environment-variables", "1.21.0"},
		{"private registry credentials", container(map[string]any{"repositoryCredentials": map[string]any{"credentialsParameter": "arn:aws:secretsmanager:us-east-1:123456789012:secret:hub-AbCdEf"}}), AttrPrivateRegistryAuthASM, "1.18.0"},
		{"FireLens fluent-bit", container(map[string]any{"firelensConfiguration": map[string]any{"type": "fluentbit"}}), "ecs.capability.firelens.fluentbit", "1.29.1"},
		{"container ordering", container(map[string]any{"dependsOn": []any{map[string]any{"containerName": "init", "condition": "SUCCESS"}}}), "ecs.capability.container-ordering", "1.25.3"},
		{"S3 environment file", container(map[string]any{"environmentFiles": []any{map[string]any{"type": "s3", "value": "arn:aws:s3:::b/app.env"}}}), "ecs.capability.env-files.s3", "1.38.0"},
		{"awslogs with the execution role", &TaskDefinition{NetworkMode: NetworkModeBridge, ExecutionRoleARN: "arn:aws:iam::123456789012:role/exec",
			Containers: []ContainerDefinition{{Name: "app", Image: "nginx", Raw: map[string]any{"logConfiguration": map[string]any{"logDriver": "awslogs"}}}}}, "ecs.capability.execution-role-awslogs", "1.15.2"},
		{"ECR image with the execution role", container(nil), "", ""},
		{"EFS with IAM authorization", &TaskDefinition{NetworkMode: NetworkModeBridge, Raw: map[string]any{"volumes": []any{map[string]any{"name": "data",
			"efsVolumeConfiguration": map[string]any{"fileSystemId": "fs-1", "transitEncryption": "ENABLED", "authorizationConfig": map[string]any{"iam": "ENABLED"}}}}}}, "ecs.capability.efsAuth", "1.37.0"},
	} {
		if c.name == "ECR image with the execution role" {
			c.td.Containers[0].Image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1"
			c.want, c.older = "ecs.capability.execution-role-ecr-pull", "1.15.2"
		}
		got := RequiredInstanceAttributes(c.td)
		if !slices.Contains(got, c.want) {
			t.Errorf("%s: requires %v, want %s among them", c.name, got, c.want)
		}
		if slices.Contains(AgentCapabilities(c.older), c.want) {
			t.Errorf("%s: agent %s registers %s", c.name, c.older, c.want)
		}
		if !slices.Contains(AgentCapabilities(AgentCapabilitySince(c.want)), c.want) || !slices.Contains(AgentCapabilities(""), c.want) {
			t.Errorf("%s: agent %s (or the AMI's) does not register %s", c.name, AgentCapabilitySince(c.want), c.want)
		}
		for _, a := range got {
			if AgentCapabilitySince(a) == "" {
				t.Errorf("%s: placement checks %s, which no agent release brought", c.name, a)
			}
		}
	}
}

func TestPinnedAgentVersion(t *testing.T) {
	for ud, want := range map[string]string{
		"#!/bin/bash\ndocker run --name ecs-agent --detach=true amazon/amazon-ecs-agent:v1.16.2\n": "1.16.2",
		"#!/bin/bash\nyum install -y ecs-init-1.21.0-1.amzn1\n":                                    "1.21.0",
		"#!/bin/bash\ndocker run -d amazon/amazon-ecs-agent:latest\n":                              "",
		"#!/bin/bash\necho ECS_CLUSTER=c >> /etc/ecs/ecs.config\n":                                 "",
	} {
		if got := PinnedAgentVersion(ud); got != want {
			t.Errorf("%q: %q, want %q", ud, got, want)
		}
	}
	if CompareAgentVersions("1.9.0", "1.16.0") >= 0 || CompareAgentVersions("1.16.2", "1.16.0") <= 0 || CompareAgentVersions("", "1.39.0") <= 0 {
		t.Error("agent versions compare as strings, not numbers")
	}
}
