package cfn_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestDaemonTasksFromTemplate: a stack's AWS::ECS::Daemon runs a real
// task on the instance its Managed Instances provider launches for the
// stack's service, of the daemon task definition's twin, which the
// analyzer reads as every task's definition (before round thirty-three
// the daemon started no task).
func TestDaemonTasksFromTemplate(t *testing.T) {
	res := loadText(t, "daemon-tasks.yaml", `
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.4.0.0/16}}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.4.1.0/24, AvailabilityZone: us-east-1a}
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties: {VpcId: !Ref Vpc, GroupDescription: hosts}
  Cluster: {Type: AWS::ECS::Cluster, Properties: {ClusterName: edge}}
  Provider:
    Type: AWS::ECS::CapacityProvider
    Properties:
      Name: edge-mi
      ClusterName: !Ref Cluster
      ManagedInstancesProvider:
        InfrastructureRoleArn: arn:aws:iam::123456789012:role/ecsInfrastructureRole
        InstanceLaunchTemplate:
          Ec2InstanceProfileArn: arn:aws:iam::123456789012:instance-profile/ecsInstanceRole
          NetworkConfiguration: {Subnets: [!Ref Subnet], SecurityGroups: [!Ref Group]}
  Collector:
    Type: AWS::ECS::DaemonTaskDefinition
    Properties:
      Family: metrics
      Cpu: "128"
      Memory: "256"
      ContainerDefinitions:
        - {Name: collector, Image: public.ecr.aws/example/collector:7}
  Daemon:
    Type: AWS::ECS::Daemon
    Properties:
      DaemonName: metrics
      ClusterArn: !Ref Cluster
      DaemonTaskDefinitionArn: !Ref Collector
      CapacityProviderArns: [!Ref Provider]
  App:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: api
      NetworkMode: awsvpc
      RequiresCompatibilities: [MANAGED_INSTANCES]
      ContainerDefinitions:
        - {Name: api, Image: example/api:3, Memory: 256, PortMappings: [{ContainerPort: 8080}]}
  Service:
    Type: AWS::ECS::Service
    DependsOn: Daemon
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: !Ref App
      DesiredCount: 1
      CapacityProviderStrategy: [{CapacityProvider: !Ref Provider, Weight: 1}]
      NetworkConfiguration:
        AwsvpcConfiguration: {Subnets: [!Ref Subnet], SecurityGroups: [!Ref Group]}
Outputs:
  Definition: {Value: !GetAtt Collector.DaemonTaskDefinitionArn}
`, nil)
	def := res.Outputs["Definition"]
	res.Engine.Read(func(st *model.State) {
		var daemon, app *model.Task
		for _, tk := range st.Tasks {
			switch {
			case tk.Group == "daemon:metrics" && tk.Active():
				daemon = tk
			case tk.ServiceName != "" && tk.Active():
				app = tk
			}
		}
		if daemon == nil || app == nil {
			t.Fatalf("daemon task %+v, application task %+v", daemon, app)
		}
		if daemon.TaskDefinitionARN != def || daemon.ContainerInstanceARN != app.ContainerInstanceARN || daemon.LaunchType != model.LaunchManagedInstances {
			t.Errorf("daemon task %+v, want %s on the application's instance %s", daemon, def, app.ContainerInstanceARN)
		}
		if td := st.TaskDefinitions[daemon.TaskDefinitionARN]; td == nil || !td.DaemonTaskDefinition || td.NetworkMode != model.NetworkModeHost ||
			len(td.Containers) != 1 || td.Containers[0].Image != "public.ecr.aws/example/collector:7" {
			t.Errorf("the daemon task's definition %+v", td)
		}
	})
}
