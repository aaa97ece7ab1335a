package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// TestTF32AmazonLinux2Kernel510EBS: Amazon Linux 2's kernel-5.10 image
// on an EBS (standard) root volume, which AWS publishes beside the gp2
// one (/aws/service/ami-amazon-linux-latest/amzn2-ami-kernel-5.10-hvm-x86_64-ebs,
// named in the AWS CDK's aws-ec2 README), is found by a Terraform
// `data "aws_ami"` query of the public configurations read in round
// thirty-two (name "amzn2-ami-kernel*-ebs", owners amazon, architecture
// x86_64): DescribeImages answered none ("Your query returned no
// results"), and the parameter did not exist.
func TestTF32AmazonLinux2Kernel510EBS(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	d, err := c.ec2.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"amazon"}, Filters: []ec2types.Filter{
		{Name: aws.String("name"), Values: []string{"amzn2-ami-kernel*-ebs"}},
		{Name: aws.String("virtualization-type"), Values: []string{"hvm"}},
		{Name: aws.String("architecture"), Values: []string{"x86_64"}},
	}})
	must(t, err)
	if len(d.Images) != 1 || !strings.HasPrefix(aws.ToString(d.Images[0].Name), "amzn2-ami-kernel-5.10-hvm-2.0.") ||
		!strings.HasSuffix(aws.ToString(d.Images[0].Name), "-x86_64-ebs") {
		t.Fatalf("images named amzn2-ami-kernel*-ebs: %+v", d.Images)
	}
	p, err := ssm.NewFromConfig(sdkConfig(), func(o *ssm.Options) { o.BaseEndpoint = aws.String(em.URL) }).GetParameter(ctx,
		&ssm.GetParameterInput{Name: aws.String("/aws/service/ami-amazon-linux-latest/amzn2-ami-kernel-5.10-hvm-x86_64-ebs")})
	must(t, err)
	if aws.ToString(p.Parameter.Value) != aws.ToString(d.Images[0].ImageId) {
		t.Errorf("parameter %s, image %s", aws.ToString(p.Parameter.Value), aws.ToString(d.Images[0].ImageId))
	}
}

// TestTF32StrategyNeedsAssociatedProviders: a capacity provider strategy
// may name only providers associated with the cluster, FARGATE and
// FARGATE_SPOT included ("only need to be associated with a cluster to be
// used", CapacityProviderStrategyItem): CreateService, RunTask and
// UpdateService with FARGATE_SPOT in a cluster that has no capacity
// providers are refused as ECS refuses them (dask/dask-cloudprovider#328),
// and succeed once PutClusterCapacityProviders associates it. A public
// Terraform configuration read in round thirty-two (two services by one
// module with FARGATE and FARGATE_SPOT strategies, no
// aws_ecs_cluster_capacity_providers) was created by ecsnet.
func TestTF32StrategyNeedsAssociatedProviders(t *testing.T) {
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	subnets, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	must(t, err)
	_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx")}}})
	must(t, err)
	network := &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
		Subnets: []string{aws.ToString(subnets.Subnets[0].SubnetId)}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}}
	spot := []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE"), Weight: 1, Base: 1}, {CapacityProvider: aws.String("FARGATE_SPOT"), Weight: 3}}
	const notAssociated = "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again."

	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("app"), TaskDefinition: aws.String("web"),
		DesiredCount: aws.Int32(1), CapacityProviderStrategy: spot, NetworkConfiguration: network})
	wantAPIError(t, err, "InvalidParameterException", notAssociated)
	_, err = c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"),
		CapacityProviderStrategy: spot[1:], NetworkConfiguration: network})
	wantAPIError(t, err, "InvalidParameterException", notAssociated)
	// A service on the FARGATE launch type cannot move to the strategy either.
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("lt"), TaskDefinition: aws.String("web"),
		DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: network})
	must(t, err)
	_, err = c.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("lt"),
		CapacityProviderStrategy: spot, ForceNewDeployment: true})
	wantAPIError(t, err, "InvalidParameterException", notAssociated)

	_, err = c.ecs.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("c"),
		CapacityProviders: []string{"FARGATE", "FARGATE_SPOT"}, DefaultCapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{}})
	must(t, err)
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("app"), TaskDefinition: aws.String("web"),
		DesiredCount: aws.Int32(1), CapacityProviderStrategy: spot, NetworkConfiguration: network})
	must(t, err)
	_, err = c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"),
		CapacityProviderStrategy: spot[1:], NetworkConfiguration: network})
	must(t, err)
	_, err = c.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("lt"),
		CapacityProviderStrategy: spot, ForceNewDeployment: true})
	must(t, err)
}
