package server_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"
)

// RegisterTaskDefinition's checks of references between containers and
// volumes and of awsvpc's rules, with ECS's ClientException texts, through
// the AWS SDK for Go v2; nothing is registered when one fails.
func TestRegisterTaskDefinitionChecks(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL).ecs
	web := func() ecstypes.ContainerDefinition {
		return ecstypes.ContainerDefinition{Name: aws.String("web"), Image: aws.String("nginx"), Memory: aws.Int32(256)}
	}
	for _, tc := range []struct {
		name string
		in   func(in *ecs.RegisterTaskDefinitionInput)
		want string // "" registers
	}{
		{"undeclared volume", func(in *ecs.RegisterTaskDefinitionInput) {
			in.ContainerDefinitions[0].MountPoints = []ecstypes.MountPoint{{SourceVolume: aws.String("data"), ContainerPath: aws.String("/data")}}
		}, "Unknown volume 'data'."},
		{"declared volume", func(in *ecs.RegisterTaskDefinitionInput) {
			in.ContainerDefinitions[0].MountPoints = []ecstypes.MountPoint{{SourceVolume: aws.String("data"), ContainerPath: aws.String("/data")}}
			in.Volumes = []ecstypes.Volume{{Name: aws.String("data")}}
		}, ""},
		{"no essential container", func(in *ecs.RegisterTaskDefinitionInput) {
			in.ContainerDefinitions[0].Essential = aws.Bool(false)
		}, "Task definition doesn't have any essential container."},
		{"links in awsvpc", func(in *ecs.RegisterTaskDefinitionInput) {
			side := web()
			side.Name = aws.String("side")
			in.ContainerDefinitions[0].Links = []string{"side"}
			in.ContainerDefinitions = append(in.ContainerDefinitions, side)
			in.NetworkMode = ecstypes.NetworkModeAwsvpc
		}, "Links are not supported when networkMode=awsvpc."},
		{"links in bridge", func(in *ecs.RegisterTaskDefinitionInput) {
			side := web()
			side.Name = aws.String("side")
			in.ContainerDefinitions[0].Links = []string{"side"}
			in.ContainerDefinitions = append(in.ContainerDefinitions, side)
		}, ""},
		{"hostname in awsvpc", func(in *ecs.RegisterTaskDefinitionInput) {
			in.ContainerDefinitions[0].Hostname = aws.String("web")
			in.NetworkMode = ecstypes.NetworkModeAwsvpc
		}, "hostname is not supported on container when networkMode=awsvpc."},
		{"awsvpc host port", func(in *ecs.RegisterTaskDefinitionInput) {
			in.ContainerDefinitions[0].PortMappings = []ecstypes.PortMapping{{ContainerPort: aws.Int32(80), HostPort: aws.Int32(8080)}}
			in.NetworkMode = ecstypes.NetworkModeAwsvpc
		}, "When networkMode=awsvpc, the host ports and container ports in port mappings must match."},
		{"duplicate names", func(in *ecs.RegisterTaskDefinitionInput) {
			in.ContainerDefinitions = append(in.ContainerDefinitions, web())
		}, "Duplicate container names are not allowed."},
		{"essential SUCCESS dependency", func(in *ecs.RegisterTaskDefinitionInput) {
			init := web()
			init.Name = aws.String("init")
			in.ContainerDefinitions[0].DependsOn = []ecstypes.ContainerDependency{{ContainerName: aws.String("init"), Condition: ecstypes.ContainerConditionSuccess}}
			in.ContainerDefinitions = append(in.ContainerDefinitions, init)
		}, "A dependency container with SUCCESS or COMPLETE condition cannot be an essential container"},
		{"non-essential SUCCESS dependency", func(in *ecs.RegisterTaskDefinitionInput) {
			init := web()
			init.Name, init.Essential = aws.String("init"), aws.Bool(false)
			in.ContainerDefinitions[0].DependsOn = []ecstypes.ContainerDependency{{ContainerName: aws.String("init"), Condition: ecstypes.ContainerConditionSuccess}}
			in.ContainerDefinitions = append(in.ContainerDefinitions, init)
		}, ""},
		{"container cpu above the task's", func(in *ecs.RegisterTaskDefinitionInput) {
			in.Cpu, in.ContainerDefinitions[0].Cpu = aws.String("256"), 512
		}, "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'."},
		{"containers' memoryReservation above the task's memory", func(in *ecs.RegisterTaskDefinitionInput) {
			side := web()
			side.Name, side.Memory, side.MemoryReservation = aws.String("side"), nil, aws.Int32(300)
			in.Memory, in.ContainerDefinitions[0].Memory, in.ContainerDefinitions[0].MemoryReservation = aws.String("512"), nil, aws.Int32(256)
			in.ContainerDefinitions = append(in.ContainerDefinitions, side)
		}, "The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'."},
		{"containers' memoryReservation within the task's memory", func(in *ecs.RegisterTaskDefinitionInput) {
			side := web()
			side.Name, side.Memory, side.MemoryReservation = aws.String("side"), nil, aws.Int32(256)
			in.Memory, in.ContainerDefinitions[0].Memory, in.ContainerDefinitions[0].MemoryReservation = aws.String("512"), nil, aws.Int32(256)
			in.ContainerDefinitions = append(in.ContainerDefinitions, side)
		}, ""},
		{"Fargate bind mount of a host path", func(in *ecs.RegisterTaskDefinitionInput) {
			in.NetworkMode, in.Cpu, in.Memory = ecstypes.NetworkModeAwsvpc, aws.String("256"), aws.String("512")
			in.RequiresCompatibilities = []ecstypes.Compatibility{ecstypes.CompatibilityFargate}
			in.Volumes = []ecstypes.Volume{{Name: aws.String("logs"), Host: &ecstypes.HostVolumeProperties{SourcePath: aws.String("/var/log")}}}
		}, "Fargate compatible task definitions do not support sourcePath"},
		{"Fargate bind mount", func(in *ecs.RegisterTaskDefinitionInput) {
			in.NetworkMode, in.Cpu, in.Memory = ecstypes.NetworkModeAwsvpc, aws.String("256"), aws.String("512")
			in.RequiresCompatibilities = []ecstypes.Compatibility{ecstypes.CompatibilityFargate}
			in.Volumes = []ecstypes.Volume{{Name: aws.String("scratch")}}
		}, ""},
	} {
		in := &ecs.RegisterTaskDefinitionInput{Family: aws.String("f"), ContainerDefinitions: []ecstypes.ContainerDefinition{web()}}
		tc.in(in)
		before, err := c.ListTaskDefinitions(ctx, &ecs.ListTaskDefinitionsInput{})
		must(t, err)
		_, err = c.RegisterTaskDefinition(ctx, in)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "ClientException" || ae.ErrorMessage() != tc.want {
			t.Errorf("%s: %v, want ClientException %q", tc.name, err, tc.want)
		}
		after, err := c.ListTaskDefinitions(ctx, &ecs.ListTaskDefinitionsInput{})
		must(t, err)
		if len(after.TaskDefinitionArns) != len(before.TaskDefinitionArns) {
			t.Errorf("%s: a refused definition was registered", tc.name)
		}
	}
}
