package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// TestManagedInstancesPassRole checks, through the Go SDK, the trap the
// ECS Developer Guide warns of: with only the AWS managed policy
// AmazonECSInfrastructureRolePolicyForManagedInstances, the infrastructure
// role may pass roles named ecsInstanceRole* only, so an instance profile
// whose role is named otherwise (CloudFormation's generated names) makes
// the task fail to start, TaskFailedToStart with the authorization error;
// an inline iam:PassRole on that role, or a role named ecsInstanceRole…,
// lets ECS launch the instance.
func TestManagedInstancesPassRole(t *testing.T) {
	t.Parallel()
	es := newEstateOn(t, newEmulator(t, nil), "t3.micro", 0)
	c, ic := es.c, iamClient(es.url)
	infra := infrastructureRole(t, es.url, "infra", "ecs.amazonaws.com")
	_, err := ic.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("infra"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances")})
	must(t, err)
	profile := func(role string) string {
		infrastructureRole(t, es.url, role, "ec2.amazonaws.com")
		p, err := ic.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String(role + "-profile")})
		must(t, err)
		_, err = ic.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String(role + "-profile"), RoleName: aws.String(role)})
		must(t, err)
		return aws.ToString(p.InstanceProfile.Arn)
	}
	provider := func(name, profileARN string) {
		_, err := c.ecs.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{Name: aws.String(name), Cluster: aws.String("c"),
			ManagedInstancesProvider: &ecstypes.CreateManagedInstancesProviderConfiguration{InfrastructureRoleArn: aws.String(infra),
				InstanceLaunchTemplate: &ecstypes.InstanceLaunchTemplate{Ec2InstanceProfileArn: aws.String(profileARN),
					NetworkConfiguration: &ecstypes.ManagedInstancesNetworkConfiguration{Subnets: es.subnets, SecurityGroups: []string{es.open}}}}})
		must(t, err)
	}
	provider("generated", profile("web-stack-InstanceRole-1A2B3C"))
	provider("named", profile("ecsInstanceRole-web"))
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("job"), NetworkMode: ecstypes.NetworkModeHost,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityManagedInstances},
		ContainerDefinitions:    []ecstypes.ContainerDefinition{{Name: aws.String("job"), Image: aws.String("busybox"), Memory: aws.Int32(256)}}})
	must(t, err)
	run := func(p string) ecstypes.Task {
		out, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("job"),
			CapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String(p), Weight: 1}}})
		must(t, err)
		if len(out.Tasks) != 1 {
			t.Fatalf("RunTask on %s: %d tasks, failures %+v", p, len(out.Tasks), out.Failures)
		}
		return out.Tasks[0]
	}

	tk := run("generated")
	want := "is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/web-stack-InstanceRole-1A2B3C because no identity-based policy allows the iam:PassRole action"
	if tk.StopCode != ecstypes.TaskStopCodeTaskFailedToStart || !strings.Contains(aws.ToString(tk.StoppedReason), want) || aws.ToString(tk.ContainerInstanceArn) != "" {
		t.Errorf("task on a generated role name: %s %s %q on %q, want TaskFailedToStart ...%s", aws.ToString(tk.LastStatus), tk.StopCode,
			aws.ToString(tk.StoppedReason), aws.ToString(tk.ContainerInstanceArn), want)
	}
	if tk := run("named"); aws.ToString(tk.ContainerInstanceArn) == "" || tk.StopCode != "" {
		t.Errorf("task on ecsInstanceRole-web: %s %s %q, want it placed on a new instance", aws.ToString(tk.LastStatus), tk.StopCode, aws.ToString(tk.StoppedReason))
	}

	// The fix AWS gives: an explicit iam:PassRole on the instance role.
	_, err = ic.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("infra"), PolicyName: aws.String("pass-role"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::123456789012:role/web-stack-InstanceRole-1A2B3C"}]}`)})
	must(t, err)
	if tk := run("generated"); aws.ToString(tk.ContainerInstanceArn) == "" || tk.StopCode != "" {
		t.Errorf("with the inline PassRole: %s %s %q, want it placed", aws.ToString(tk.LastStatus), tk.StopCode, aws.ToString(tk.StoppedReason))
	}
}
