package cfn_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestManagedInstancesProvider: an AWS::ECS::CapacityProvider with a
// ManagedInstancesProvider (and ClusterName) is the cluster's ECS Managed
// Instances provider; a service of a task definition requiring
// MANAGED_INSTANCES with its strategy runs a task on an instance ECS
// launched in the provider's subnet, the task's ENI with a private address
// only.
func TestManagedInstancesProvider(t *testing.T) {
	res := loadText(t, "mi.yaml", `
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a, MapPublicIpOnLaunch: true}
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties: {VpcId: !Ref Vpc, GroupDescription: tasks}
  Cluster: {Type: AWS::ECS::Cluster, Properties: {ClusterName: mi}}
  Provider:
    Type: AWS::ECS::CapacityProvider
    Properties:
      Name: mi-cp
      ClusterName: !Ref Cluster
      ManagedInstancesProvider:
        InfrastructureRoleArn: arn:aws:iam::123456789012:role/ecsInfrastructureRole
        InfrastructureOptimization: {ScaleInAfter: 600}
        InstanceLaunchTemplate:
          Ec2InstanceProfileArn: arn:aws:iam::123456789012:instance-profile/ecsInstanceRole
          NetworkConfiguration: {Subnets: [!Ref Subnet], SecurityGroups: [!Ref Group]}
          InstanceRequirements:
            VCpuCount: {Min: 4}
            MemoryMiB: {Min: 4096}
  Associations:
    Type: AWS::ECS::ClusterCapacityProviderAssociations
    Properties:
      Cluster: !Ref Cluster
      CapacityProviders: [!Ref Provider]
      DefaultCapacityProviderStrategy: [{CapacityProvider: !Ref Provider, Weight: 1}]
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: web
      NetworkMode: awsvpc
      RequiresCompatibilities: [MANAGED_INSTANCES]
      ContainerDefinitions: [{Name: web, Image: nginx, Memory: 512, PortMappings: [{ContainerPort: 80}]}]
  Service:
    Type: AWS::ECS::Service
    DependsOn: Associations
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: !Ref Task
      DesiredCount: 1
      CapacityProviderStrategy: [{CapacityProvider: !Ref Provider, Weight: 1}]
      NetworkConfiguration:
        AwsvpcConfiguration: {Subnets: [!Ref Subnet], SecurityGroups: [!Ref Group]}
`, nil)
	res.Engine.Read(func(st *model.State) {
		var tk *model.Task
		for _, x := range st.Tasks {
			tk = x
		}
		if tk == nil || tk.CapacityProvider != "mi-cp" || tk.LaunchType != model.LaunchManagedInstances {
			t.Fatalf("task %+v, want one the provider placed", tk)
		}
		ci := st.ContainerInstances[tk.ContainerInstanceARN]
		inst := st.Instances[ci.EC2InstanceID]
		if string(inst.SubnetID) != res.PhysicalIDs["Subnet"] || inst.Type != "m5.xlarge" {
			t.Errorf("managed instance %s in %s, want an m5.xlarge (the first type with 4 vCPUs) in the provider's subnet", inst.Type, inst.SubnetID)
		}
		if _, ok := st.NetworkInterfaces[inst.PrimaryENI].PublicIP(); !ok {
			t.Errorf("the managed instance has no public IP")
		}
		if ip, ok := st.NetworkInterfaces[tk.ENI()].PublicIP(); ok {
			t.Errorf("the task's ENI has public IP %v", ip)
		}
		for _, cp := range st.CapacityProviders {
			if cp.Name == "mi-cp" && (cp.ManagedInstances.ScaleInAfter == nil || *cp.ManagedInstances.ScaleInAfter != 600) {
				t.Errorf("InfrastructureOptimization.ScaleInAfter: %v, want 600", cp.ManagedInstances.ScaleInAfter)
			}
		}
	})
}
