package server_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"
)

// TestTaskDefinitionRuntimePlatform: RegisterTaskDefinition keeps
// runtimePlatform and DescribeTaskDefinition echoes it (Terraform's and
// CloudFormation's drift checks read it back); one not given is not
// invented; a value outside ECS's enums is a ClientException.
func TestTaskDefinitionRuntimePlatform(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	reg := func(rp *ecstypes.RuntimePlatform) (*ecs.RegisterTaskDefinitionOutput, error) {
		return c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("rp"), NetworkMode: ecstypes.NetworkModeAwsvpc,
			RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
			RuntimePlatform:      rp,
			ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("nginx")}}})
	}
	out, err := reg(&ecstypes.RuntimePlatform{CpuArchitecture: ecstypes.CPUArchitectureArm64, OperatingSystemFamily: ecstypes.OSFamilyLinux})
	must(t, err)
	d, err := c.ecs.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: out.TaskDefinition.TaskDefinitionArn})
	must(t, err)
	if rp := d.TaskDefinition.RuntimePlatform; rp == nil || rp.CpuArchitecture != "ARM64" || rp.OperatingSystemFamily != "LINUX" {
		t.Fatalf("runtimePlatform = %+v, want ARM64/LINUX", rp)
	}
	out, err = reg(nil)
	must(t, err)
	if rp := out.TaskDefinition.RuntimePlatform; rp != nil {
		t.Errorf("runtimePlatform not given came back as %+v", rp)
	}
	for _, rp := range []*ecstypes.RuntimePlatform{{CpuArchitecture: "AARCH64"}, {OperatingSystemFamily: "UBUNTU"}} {
		_, err = reg(rp)
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "ClientException" || !strings.Contains(ae.ErrorMessage(), "Valid values are") {
			t.Errorf("runtimePlatform %+v: err = %v, want ClientException naming the valid values", rp, err)
		}
	}
	l, err := c.ecs.ListTaskDefinitions(ctx, &ecs.ListTaskDefinitionsInput{FamilyPrefix: aws.String("rp")})
	must(t, err)
	if len(l.TaskDefinitionArns) != 2 {
		t.Errorf("revisions = %d, want 2 (a refused registration adds none)", len(l.TaskDefinitionArns))
	}
}

// TestRuntimePlatformPlacement: a Graviton container instance registers
// ecs.cpu-architecture arm64 and an x86 one x86_64; an ARM64 task goes
// only on the first, an X86_64 task only on the second, one without
// runtimePlatform on either; with no instance of its architecture RunTask
// fails with ATTRIBUTE and a service reports the missing attribute.
func TestRuntimePlatformPlacement(t *testing.T) {
	em := newEmulator(t, nil)
	es := newEstateOn(t, em, ec2types.InstanceTypeT3Medium, 0)
	c, sm := es.c, ssmClient(em.URL)
	ami := func(path string) string {
		p, err := sm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/aws/service/ecs/optimized-ami/" + path + "/image_id")})
		must(t, err)
		return aws.ToString(p.Parameter.Value)
	}
	ud := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=c >> /etc/ecs/ecs.config\n"))
	launch := func(image, typ string) error {
		_, err := c.ec2.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(image), InstanceType: ec2types.InstanceType(typ),
			MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: &es.subnets[0], SecurityGroupIds: []string{es.open}, UserData: &ud, IamInstanceProfile: ecsInstanceProfile(t, em.URL)})
		return err
	}
	x86AMI, armAMI := ami("amazon-linux-2/recommended"), ami("amazon-linux-2/arm64/recommended")

	// RunInstances refuses an instance type of the other architecture.
	err := launch(x86AMI, "t4g.medium")
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidParameterValue" ||
		!strings.HasPrefix(ae.ErrorMessage(), "The architecture 'arm64' of the specified instance type does not match the architecture 'x86_64' of the specified AMI.") {
		t.Fatalf("t4g.medium from an x86_64 AMI: err = %v", err)
	}

	must(t, launch(armAMI, "t4g.medium"))
	var cis *ecs.DescribeContainerInstancesOutput
	eventually(t, "the arm64 instance registers", func() bool {
		l, err := c.ecs.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("c")})
		if err != nil || len(l.ContainerInstanceArns) != 1 {
			return false
		}
		cis, err = c.ecs.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String("c"), ContainerInstances: l.ContainerInstanceArns})
		return err == nil
	})
	armCI := aws.ToString(cis.ContainerInstances[0].ContainerInstanceArn)
	if a := attr(cis.ContainerInstances[0].Attributes, "ecs.cpu-architecture"); a != "arm64" {
		t.Fatalf("t4g.medium ecs.cpu-architecture = %q, want arm64", a)
	}

	reg := func(family string, arch ecstypes.CPUArchitecture) string {
		in := &ecs.RegisterTaskDefinitionInput{Family: aws.String(family),
			ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("nginx"), Memory: aws.Int32(128)}}}
		if arch != "" {
			in.RuntimePlatform = &ecstypes.RuntimePlatform{CpuArchitecture: arch, OperatingSystemFamily: ecstypes.OSFamilyLinux}
		}
		out, err := c.ecs.RegisterTaskDefinition(ctx, in)
		must(t, err)
		return aws.ToString(out.TaskDefinition.TaskDefinitionArn)
	}
	armTD, x86TD, anyTD := reg("arm", ecstypes.CPUArchitectureArm64), reg("x86", ecstypes.CPUArchitectureX8664), reg("any", "")
	run := func(td string) *ecs.RunTaskOutput {
		out, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String(td)})
		must(t, err)
		return out
	}
	// No x86_64 instance yet: the X86_64 task is refused, ATTRIBUTE.
	if out := run(x86TD); len(out.Tasks) != 0 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "ATTRIBUTE" ||
		aws.ToString(out.Failures[0].Arn) != armCI {
		t.Fatalf("X86_64 task on an arm64-only cluster: tasks %d, failures %+v; want one ATTRIBUTE failure", len(out.Tasks), out.Failures)
	}
	for _, td := range []string{armTD, anyTD} {
		if out := run(td); len(out.Tasks) != 1 || aws.ToString(out.Tasks[0].ContainerInstanceArn) != armCI {
			t.Fatalf("%s: tasks %d failures %+v, want placed on the arm64 instance", td, len(out.Tasks), out.Failures)
		}
	}
	// A service of the X86_64 definition reports the missing attribute.
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("x86svc"),
		TaskDefinition: aws.String(x86TD), DesiredCount: aws.Int32(1)})
	must(t, err)
	eventually(t, "the service event", func() bool {
		d, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"x86svc"}})
		if err != nil || len(d.Services) != 1 {
			return false
		}
		for _, e := range d.Services[0].Events {
			if strings.Contains(aws.ToString(e.Message), "is missing an attribute required by your task.") {
				return true
			}
		}
		return false
	})

	// An x86_64 instance joins: the X86_64 task goes there, never on arm64.
	must(t, launch(x86AMI, "t3.medium"))
	eventually(t, "the x86_64 instance registers", func() bool {
		l, err := c.ecs.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("c")})
		return err == nil && len(l.ContainerInstanceArns) == 2
	})
	out := run(x86TD)
	if len(out.Tasks) != 1 || aws.ToString(out.Tasks[0].ContainerInstanceArn) == armCI {
		t.Fatalf("X86_64 task: tasks %d failures %+v, want placed on the x86_64 instance", len(out.Tasks), out.Failures)
	}
	// A Fargate task reports its definition's architecture.
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("farm"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		RuntimePlatform:      &ecstypes.RuntimePlatform{CpuArchitecture: ecstypes.CPUArchitectureArm64, OperatingSystemFamily: ecstypes.OSFamilyLinux},
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("nginx")}}})
	must(t, err)
	if f := es.run(t, "farm", 1, es.awsvpc(es.open), ecstypes.LaunchTypeFargate); len(f.Tasks) != 1 || attr(f.Tasks[0].Attributes, "ecs.cpu-architecture") != "arm64" {
		t.Errorf("Fargate ARM64 task: %+v", f)
	}
	// DescribeInstances' architecture filter reads the type's architecture.
	di, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String("architecture"), Values: []string{"arm64"}}}})
	must(t, err)
	if n := len(di.Reservations); n != 1 || di.Reservations[0].Instances[0].InstanceType != "t4g.medium" {
		t.Errorf("architecture=arm64 matched %d reservations, want the t4g.medium's", n)
	}
}

func attr(as []ecstypes.Attribute, name string) string {
	for _, a := range as {
		if aws.ToString(a.Name) == name {
			return aws.ToString(a.Value)
		}
	}
	return ""
}
