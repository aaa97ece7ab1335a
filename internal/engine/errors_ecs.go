package engine

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
)

// ECS errors (awsJson1.1 "__type" codes), with AWS's messages. Sources are
// in docs/aws-behavior.md ("ECS errors").

func errClusterNotFound() error { return apierr.New("ClusterNotFoundException", "Cluster not found.") }

func errServiceNotFound() error { return apierr.New("ServiceNotFoundException", "Service not found.") }

func errServiceNotActive() error {
	return apierr.New("ServiceNotActiveException", "Service was not ACTIVE.")
}

func errECSInvalid(format string, args ...any) error {
	return apierr.Newf("InvalidParameterException", format, args...)
}

func errECSClient(format string, args ...any) error {
	return apierr.Newf("ClientException", format, args...)
}

func errTaskDefinitionNotFound() error { return errECSClient("Unable to describe task definition.") }

func errAssignPublicIP() error {
	return errECSInvalid("Assign public IP is not supported for this launch type.")
}

func errNetworkConfigRequired() error {
	return errECSInvalid("Network Configuration must be provided when networkMode 'awsvpc' is specified.")
}

func errNetworkConfigNotValid() error {
	return errECSInvalid("Network Configuration is not valid for the given networkMode of this task definition.")
}

func errSubnetLookup(all []string, missing string) error {
	return errECSInvalid("Error retrieving subnet information for [%s]: The subnet ID '%s' does not exist (ErrorCode: InvalidSubnetID.NotFound)", strings.Join(all, ", "), missing)
}

func errGroupLookup(all []string, missing string) error {
	return errECSInvalid("Error retrieving security group information for [%s]: The security group '%s' does not exist (ErrorCode: InvalidGroup.NotFound)", strings.Join(all, ", "), missing)
}

// ErrPortMappingProtocol is RegisterTaskDefinition's refusal of a port
// mapping's protocol that is not tcp or udp ("http" is an appProtocol), in
// the words the ECS console uses; the API's own text is not public
// (docs/aws-behavior.md, round twenty-seven). The ECS API and the
// Terraform reader, which parse container definitions before the engine
// sees them, both refuse with it.
func ErrPortMappingProtocol(container string) error {
	return errECSClient("Valid values for portMapping protocol are tcp and udp. Please fix it for the containerDefinition=%s", container)
}

// errPlatformIncompatible: a Fargate launch (RunTask, CreateService,
// UpdateService) of a task definition that needs what Fargate's platform
// does not have, as AWS words it when it refuses one
// (aws-samples/amazon-ecs-firelens-examples#32: a FireLens configuration
// file from S3; the model's PlatformTaskDefinitionIncompatibilityException).
func errPlatformIncompatible() error {
	return apierr.New("PlatformTaskDefinitionIncompatibilityException", "The specified platform does not satisfy the task definition's required capabilities.")
}
