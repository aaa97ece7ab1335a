package server_test

import (
	"encoding/base64"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
)

// An instance in a private subnet whose VPC has the ecs and ecs-telemetry
// interface endpoints but not ecs-agent registers through the ecs
// endpoint and shows agentConnected false (the agent cannot open its ACS
// websocket); once the ecs-agent endpoint exists, the agent connects.
func TestAgentConnectedWithoutACSEndpoint(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	e, s := c.ec2, c.ecs
	vpc, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	vpcID := vpc.Vpc.VpcId
	_, err = e.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: vpcID, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(t, err)
	sub, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpcID, CidrBlock: aws.String("10.0.11.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	subnet := aws.ToString(sub.Subnet.SubnetId)
	g, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("endpoints"), Description: aws.String("endpoints"), VpcId: vpcID})
	must(t, err)
	_, err = e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: g.GroupId, IpPermissions: []ec2types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("10.0.0.0/16")}},
	}}})
	must(t, err)
	endpoint := func(svc string) {
		_, err := e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpcID, ServiceName: aws.String("com.amazonaws.us-east-1." + svc),
			VpcEndpointType: ec2types.VpcEndpointTypeInterface, SubnetIds: []string{subnet}, SecurityGroupIds: []string{aws.ToString(g.GroupId)}, PrivateDnsEnabled: aws.Bool(true)})
		must(t, err)
	}
	endpoint("ecs")
	endpoint("ecs-telemetry")

	_, err = s.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("demo")})
	must(t, err)
	userData := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=demo >> /etc/ecs/ecs.config\n"))
	_, err = e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeM5Large,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: &subnet, UserData: &userData, IamInstanceProfile: ecsInstanceProfile(t, em.URL)})
	must(t, err)
	connected := func() (registered, agentConnected bool) {
		l, err := s.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("demo")})
		if err != nil || len(l.ContainerInstanceArns) != 1 {
			return false, false
		}
		d, err := s.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String("demo"), ContainerInstances: l.ContainerInstanceArns})
		if err != nil || len(d.ContainerInstances) != 1 {
			return false, false
		}
		return true, d.ContainerInstances[0].AgentConnected
	}
	eventually(t, "the instance registers with the cluster", func() bool {
		ok, _ := connected()
		return ok
	})
	if _, on := connected(); on {
		t.Fatal("agentConnected is true without a path to ACS (no ecs-agent endpoint, no NAT)")
	}
	endpoint("ecs-agent")
	eventually(t, "the agent connects once the ecs-agent endpoint exists", func() bool {
		_, on := connected()
		return on
	})
}
