package model

import (
	"regexp"
	"strings"
)

// logGroupNameRE is CloudWatch Logs' pattern for a log group name.
var logGroupNameRE = regexp.MustCompile(`^[.\-_/#A-Za-z0-9]{1,512}$`)

// ValidLogGroupName reports whether name is a log group name CloudWatch
// Logs accepts.
func ValidLogGroupName(name string) bool { return logGroupNameRE.MatchString(name) }

// AWSLogsGroup returns the log group a container's awslogs driver writes
// to in region, "" when it uses another driver or region.
func AWSLogsGroup(c ContainerDefinition, region string) string {
	if c.LogDriver() != "awslogs" {
		return ""
	}
	if r := c.LogOption("awslogs-region"); r != "" && r != region {
		return ""
	}
	return c.LogOption("awslogs-group")
}

// CreatesLogGroup reports whether a container's awslogs driver creates its
// log group (awslogs-create-group "true", a valid name).
func CreatesLogGroup(c ContainerDefinition) bool {
	return strings.EqualFold(c.LogOption("awslogs-create-group"), "true") && ValidLogGroupName(c.LogOption("awslogs-group"))
}

// MissingLogGroup returns the first log group a task definition's awslogs
// drivers write to in the state's region that the state does not hold and
// the driver does not create (awslogs-create-group), "" when there is none.
// Only meaningful where the state lists every log group (the emulator, a
// CloudFormation stack, a Terraform configuration: engine.WithLogGroupCheck).
func MissingLogGroup(st *State, td *TaskDefinition) string {
	for _, c := range td.Containers {
		group := AWSLogsGroup(c, st.Region)
		if group == "" || st.LogGroups[group] != nil || CreatesLogGroup(c) {
			continue
		}
		return group
	}
	return ""
}

// LogGroupStopReason is the stoppedReason of a task whose awslogs log group
// does not exist: the Fargate agent's, or Docker's awslogs driver's on EC2.
func LogGroupStopReason(fargate bool) string {
	if fargate {
		return "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1"
	}
	return "CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist."
}
