package server_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"
)

// TestFargateWindowsPlatformVersion: Fargate's Windows and Linux platform
// versions are separate ("The latest Windows platform version is 1.0.0"):
// a Windows task runs on 1.0.0, given or not; a Linux version for it, or
// 1.0.0 for a Linux task, is refused as ECS refuses an unknown version.
// (Copilot's Windows service template gives PlatformVersion 1.0.0.)
func TestFargateWindowsPlatformVersion(t *testing.T) {
	em := newEmulator(t, nil)
	es := newEstateOn(t, em, "t3.medium", 0)
	c := es.c
	reg := func(os ecstypes.OSFamily) string {
		out, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("w" + string(os)), NetworkMode: ecstypes.NetworkModeAwsvpc,
			RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("1024"), Memory: aws.String("2048"),
			RuntimePlatform:      &ecstypes.RuntimePlatform{CpuArchitecture: ecstypes.CPUArchitectureX8664, OperatingSystemFamily: os},
			ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("mcr.microsoft.com/windows/servercore/iis")}}})
		must(t, err)
		return aws.ToString(out.TaskDefinition.TaskDefinitionArn)
	}
	windows, linux := reg(ecstypes.OSFamilyWindowsServer2019Core), reg(ecstypes.OSFamilyLinux)
	run := func(td, version string) (*ecs.RunTaskOutput, error) {
		in := &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: &td, LaunchType: ecstypes.LaunchTypeFargate,
			NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: es.subnets[:1],
				SecurityGroups: []string{es.open}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}}}
		if version != "" {
			in.PlatformVersion = &version
		}
		return c.ecs.RunTask(ctx, in)
	}
	for _, v := range []string{"1.0.0", "LATEST", ""} {
		out, err := run(windows, v)
		must(t, err)
		if len(out.Tasks) != 1 || aws.ToString(out.Tasks[0].PlatformVersion) != "1.0.0" {
			t.Errorf("Windows task with platform version %q: %+v, want it on 1.0.0", v, out.Tasks)
		}
	}
	for _, x := range []struct{ td, version string }{{windows, "1.4.0"}, {linux, "1.0.0"}} {
		_, err := run(x.td, x.version)
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidParameterException" || ae.ErrorMessage() != "The specified platform version does not exist." {
			t.Errorf("platform version %s: err = %v, want InvalidParameterException", x.version, err)
		}
	}
	out, err := run(linux, "")
	must(t, err)
	if aws.ToString(out.Tasks[0].PlatformVersion) != "1.4.0" {
		t.Errorf("Linux task on %q, want 1.4.0", aws.ToString(out.Tasks[0].PlatformVersion))
	}
}
