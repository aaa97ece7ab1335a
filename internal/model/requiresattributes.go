package model

import (
	"regexp"
	"slices"
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

// RequiredInstanceAttributes returns the requiresAttributes of a task
// definition (DerivedRequiresAttributes) that ECS checks at placement on
// EC2 and that an ECS agent registers only from some release on
// (agentCapabilities): a task role needs the task-iam-role capability (in
// the awsvpc mode too: ECS lists it there), and in the host network mode
// the task-iam-role-network-host one; the awsvpc network mode needs
// task-eni; the execution role's ECR pulls and awslogs, health checks,
// secrets, private registry credentials, container ordering, FireLens,
// EFS and S3 environment files need theirs. The docker remote API
// versions and the other logging drivers are not checked [choice: they
// depend on the instance's Docker and its ECS_AVAILABLE_LOGGING_DRIVERS,
// which ecsnet does not model].
func RequiredInstanceAttributes(td *TaskDefinition) []string {
	var out []string
	for _, a := range DerivedRequiresAttributes(td) {
		if AgentCapabilitySince(a) != "" {
			out = append(out, a)
		}
	}
	return out
}

// roleAndENIAttributes are the attributes a task definition's network
// mode and task role need.
func roleAndENIAttributes(td *TaskDefinition) []string {
	var out []string
	if td.NetworkMode == NetworkModeAwsvpc {
		out = append(out, AttrTaskENI)
	}
	if td.TaskRoleARN != "" {
		if td.NetworkMode == NetworkModeHost {
			out = append(out, AttrTaskIAMRoleNetworkHost)
		} else {
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

// requiresAttributesOrder is the order in which ECS lists a task
// definition's requiresAttributes: the same relative order in every
// public describe-task-definition output (docs/aws-behavior.md, "Round
// thirty-two: requiresAttributes"); the attributes no output showed
// together are placed by kind [choice].
var requiresAttributesOrder = []string{
	"com.amazonaws.ecs.capability.logging-driver.awslogs",
	"ecs.capability.execution-role-awslogs",
	"ecs.capability.efsAuth",
	"com.amazonaws.ecs.capability.ecr-auth",
	"com.amazonaws.ecs.capability.docker-remote-api.1.19",
	"ecs.capability.efs",
	AttrTaskIAMRole,
	AttrTaskIAMRoleNetworkHost,
	"ecs.capability.container-health-check",
	"ecs.capability.execution-role-ecr-pull",
	AttrPrivateRegistryAuthASM,
	"ecs.capability.secrets.asm.environment-variables",
	"ecs.capability.secrets.ssm.environment-variables",
	"ecs.capability.env-files.s3",
	"ecs.capability.container-ordering",
	"com.amazonaws.ecs.capability.logging-driver.awsfirelens",
	"ecs.capability.firelens.fluentbit",
	"ecs.capability.firelens.fluentd",
	"com.amazonaws.ecs.capability.docker-remote-api.1.18",
	AttrTaskENI,
}

// DerivedRequiresAttributes returns the requiresAttributes ECS derives
// when a task definition is registered, in ECS's order: the log driver
// (logging-driver.DRIVER; awslogs also docker-remote-api.1.19 and, with an
// execution role, execution-role-awslogs), ECR images (ecr-auth; with an
// execution role, execution-role-ecr-pull), a task role (task-iam-role,
// task-iam-role-network-host in the host mode), container health checks,
// secrets from Secrets Manager or Parameter Store, S3 environment files,
// container ordering, FireLens, private registry credentials in Secrets
// Manager (repositoryCredentials), EFS volumes (efsAuth with IAM
// authorization), the awsvpc mode (task-eni) and docker-remote-api.1.18,
// which every public output lists [choice: always]. The docker remote API
// versions of other features (1.21, 1.25, 1.29 …) are not derived.
func DerivedRequiresAttributes(td *TaskDefinition) []string {
	have := map[string]bool{"com.amazonaws.ecs.capability.docker-remote-api.1.18": true}
	exec := td.ExecutionRoleARN != ""
	var extra []string // logging drivers outside the order
	for _, c := range td.Containers {
		switch d := c.LogDriver(); d {
		case "":
		case "awslogs":
			have["com.amazonaws.ecs.capability.logging-driver.awslogs"] = true
			have["com.amazonaws.ecs.capability.docker-remote-api.1.19"] = true
			have["ecs.capability.execution-role-awslogs"] = exec
		case "awsfirelens":
			have["com.amazonaws.ecs.capability.logging-driver.awsfirelens"] = true
		default:
			if a := "com.amazonaws.ecs.capability.logging-driver." + d; !slices.Contains(extra, a) {
				extra = append(extra, a)
			}
		}
		if privateECRImage(c.Image) {
			have["com.amazonaws.ecs.capability.ecr-auth"] = true
			have["ecs.capability.execution-role-ecr-pull"] = exec
		}
		if rc, _ := RawField(c.Raw, "repositoryCredentials").(map[string]any); RawString(rc, "credentialsParameter") != "" {
			have[AttrPrivateRegistryAuthASM] = true
		}
		if RawField(c.Raw, "healthCheck") != nil {
			have["ecs.capability.container-health-check"] = true
		}
		if secrets, _ := RawField(c.Raw, "secrets").([]any); len(secrets) > 0 {
			for _, s := range secrets {
				m, _ := s.(map[string]any)
				if strings.HasPrefix(RawString(m, "valueFrom"), "arn:aws:secretsmanager:") {
					have["ecs.capability.secrets.asm.environment-variables"] = true
				} else {
					have["ecs.capability.secrets.ssm.environment-variables"] = true
				}
			}
		}
		if files, _ := RawField(c.Raw, "environmentFiles").([]any); len(files) > 0 {
			have["ecs.capability.env-files.s3"] = true
		}
		if deps, _ := RawField(c.Raw, "dependsOn").([]any); len(deps) > 0 {
			have["ecs.capability.container-ordering"] = true
		}
		if fc, _ := RawField(c.Raw, "firelensConfiguration").(map[string]any); fc != nil {
			have["ecs.capability.firelens."+strings.ToLower(RawString(fc, "type"))] = true
		}
	}
	for _, a := range roleAndENIAttributes(td) {
		have[a] = true
	}
	if vols, _ := RawField(td.Raw, "volumes").([]any); len(vols) > 0 {
		for _, v := range vols {
			m, _ := v.(map[string]any)
			efs, _ := RawField(m, "efsVolumeConfiguration").(map[string]any)
			if efs == nil {
				continue
			}
			have["ecs.capability.efs"] = true
			if auth, _ := RawField(efs, "authorizationConfig").(map[string]any); strings.EqualFold(RawString(auth, "iam"), "ENABLED") {
				have["ecs.capability.efsAuth"] = true
			}
		}
	}
	var out []string
	for _, a := range requiresAttributesOrder {
		if have[a] {
			out = append(out, a)
		}
	}
	return append(out, extra...)
}

// privateECRImage reports whether image names an ECR private registry
// (ACCOUNT.dkr.ecr[-fips].REGION.amazonaws.com[.cn]/NAME), which the agent
// pulls with ECR's authorization.
func privateECRImage(image string) bool {
	host, _, ok := strings.Cut(image, "/")
	return ok && ECRRegistryRegion(host) != ""
}
