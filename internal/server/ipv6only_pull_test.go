package server_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// Through the AWS SDK for Go v2: Fargate tasks in an IPv6-only subnet
// whose only way out is an egress-only internet gateway run when their
// ECR image names the registry by its dual-stack name
// (ACCOUNT.dkr-ecr.REGION.on.aws), and stop with CannotPullContainerError
// by its IPv4-only name (ACCOUNT.dkr.ecr.REGION.amazonaws.com), which has
// no IPv6 address (ECS Developer Guide, "Using a VPC in IPv6-only mode").
func TestIPv6OnlyFargatePullByDualStackName(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	v, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	must(t, err)
	vpc := v.Vpc.VpcId
	block := netip.MustParsePrefix(aws.ToString(v.Vpc.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock))
	s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, Ipv6Native: aws.Bool(true), Ipv6CidrBlock: aws.String(netip.PrefixFrom(block.Addr(), 64).String())})
	must(t, err)
	eigw, err := c.ec2.CreateEgressOnlyInternetGateway(ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: vpc})
	must(t, err)
	rt, err := c.ec2.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpc})
	must(t, err)
	_, err = c.ec2.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rt.RouteTable.RouteTableId, DestinationIpv6CidrBlock: aws.String("::/0"),
		EgressOnlyInternetGatewayId: eigw.EgressOnlyInternetGateway.EgressOnlyInternetGatewayId})
	must(t, err)
	_, err = c.ec2.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: rt.RouteTable.RouteTableId, SubnetId: s.Subnet.SubnetId})
	must(t, err)

	_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	exec := executionRole(t, em.URL)
	run := func(family, image string) string {
		_, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String(family), NetworkMode: ecstypes.NetworkModeAwsvpc,
			RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
			ExecutionRoleArn: aws.String(exec), ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("api"), Image: aws.String(image)}}})
		must(t, err)
		out, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String(family), LaunchType: ecstypes.LaunchTypeFargate,
			NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{aws.ToString(s.Subnet.SubnetId)}}}})
		must(t, err)
		return aws.ToString(out.Tasks[0].TaskArn)
	}
	dual := run("dual", "123456789012.dkr-ecr.us-east-1.on.aws/api:7")
	classic := run("classic", "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:7")
	var d, k ecstypes.Task
	eventually(t, "both tasks settle", func() bool {
		out, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: []string{dual, classic}})
		if err != nil || len(out.Tasks) != 2 {
			return false
		}
		for _, tk := range out.Tasks {
			if aws.ToString(tk.TaskArn) == dual {
				d = tk
			} else {
				k = tk
			}
		}
		return aws.ToString(d.LastStatus) == "RUNNING" && aws.ToString(k.LastStatus) == "STOPPED" ||
			aws.ToString(d.LastStatus) == "STOPPED"
	})
	if aws.ToString(d.LastStatus) != "RUNNING" {
		t.Errorf("the task by the dual-stack name: %s %q", aws.ToString(d.LastStatus), aws.ToString(d.StoppedReason))
	}
	if r := aws.ToString(k.StoppedReason); k.StopCode != ecstypes.TaskStopCodeTaskFailedToStart ||
		!strings.HasPrefix(r, "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:7") {
		t.Errorf("the task by the IPv4-only name: %s %s %q", aws.ToString(k.LastStatus), k.StopCode, r)
	}
}
