package server_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"
)

// TestFargateFireLensS3Config: a FireLens configuration file from S3
// (config-file-type s3) is registered as written, but Fargate takes
// config-file-type file only: RunTask, CreateService and UpdateService on
// Fargate are refused with PlatformTaskDefinitionIncompatibilityException
// (aws-samples/amazon-ecs-firelens-examples#32); the file type runs.
func TestFargateFireLensS3Config(t *testing.T) {
	em := newEmulator(t, nil)
	es := newEstateOn(t, em, "t3.medium", 0)
	c := es.c
	reg := func(family, fileType, value string) *string {
		out, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String(family), NetworkMode: ecstypes.NetworkModeAwsvpc,
			RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("512"), Memory: aws.String("1024"),
			ContainerDefinitions: []ecstypes.ContainerDefinition{
				{Name: aws.String("log_router"), Image: aws.String("public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"), Essential: aws.Bool(true),
					FirelensConfiguration: &ecstypes.FirelensConfiguration{Type: ecstypes.FirelensConfigurationTypeFluentbit,
						Options: map[string]string{"config-file-type": fileType, "config-file-value": value}}},
				{Name: aws.String("app"), Image: aws.String("public.ecr.aws/docker/library/node:20"),
					LogConfiguration: &ecstypes.LogConfiguration{LogDriver: ecstypes.LogDriverAwsfirelens}},
			}})
		must(t, err)
		return out.TaskDefinition.TaskDefinitionArn
	}
	s3 := reg("s3conf", "s3", "arn:aws:s3:::logging-config/fluent-bit/outputs.conf")
	file := reg("fileconf", "file", "/fluent-bit/etc/outputs.conf")
	network := &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: es.subnets[:1],
		SecurityGroups: []string{es.open}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}}
	refused := func(what string, err error) {
		t.Helper()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "PlatformTaskDefinitionIncompatibilityException" ||
			ae.ErrorMessage() != "The specified platform does not satisfy the task definition's required capabilities." {
			t.Errorf("%s: err = %v, want PlatformTaskDefinitionIncompatibilityException", what, err)
		}
	}
	_, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: s3, LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: network})
	refused("RunTask", err)
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("s3svc"), TaskDefinition: s3,
		LaunchType: ecstypes.LaunchTypeFargate, DesiredCount: aws.Int32(1), NetworkConfiguration: network})
	refused("CreateService", err)
	out, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: file, LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: network})
	must(t, err)
	if len(out.Tasks) != 1 {
		t.Fatalf("config-file-type file: %d tasks, failures %+v", len(out.Tasks), out.Failures)
	}
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("svc"), TaskDefinition: file,
		LaunchType: ecstypes.LaunchTypeFargate, DesiredCount: aws.Int32(1), NetworkConfiguration: network})
	must(t, err)
	_, err = c.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("svc"), TaskDefinition: s3})
	refused("UpdateService", err)
}
