package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestServiceWithoutGroupsDescribedWithout: a Fargate service created
// without securityGroups runs its tasks in the VPC's default group
// (API_AwsVpcConfiguration; the engine's TestDefaultSecurityGroup checks the task's
// interface), and DescribeServices gives back the
// configuration as it was given, without groups: Terraform's second plan
// of such a service (rathishsekar/registry) wanted to remove the default
// group ecsnet described, where the provider's security_groups is
// optional, not computed [choice].
func TestServiceWithoutGroupsDescribedWithout(t *testing.T) {
	t.Parallel()
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	subs, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	must(t, err)
	subnet := aws.ToString(subs.Subnets[0].SubnetId)
	_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("reg")})
	must(t, err)
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("registry"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("512"), Memory: aws.String("1024"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("registry"), Image: aws.String("public.ecr.aws/docker/library/registry:2")}}})
	must(t, err)
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("reg"), ServiceName: aws.String("registry"),
		TaskDefinition: aws.String("registry"), DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate,
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{subnet},
			AssignPublicIp: ecstypes.AssignPublicIpEnabled}}})
	must(t, err)
	out, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("reg"), Services: []string{"registry"}})
	must(t, err)
	if len(out.Services) != 1 || out.Services[0].NetworkConfiguration == nil {
		t.Fatalf("services %+v", out.Services)
	}
	if got := out.Services[0].NetworkConfiguration.AwsvpcConfiguration.SecurityGroups; len(got) != 0 {
		t.Errorf("securityGroups %v, want none (none were given)", got)
	}
}
