package cfn_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestDaemonResources: an AWS::ECS::DaemonTaskDefinition registers a
// daemon task definition (its container definitions as the API's JSON)
// and an AWS::ECS::Daemon runs it on a cluster's Managed Instances
// provider: Ref and Fn::GetAtt answer the ARNs and the status, and
// deleting the stack's resources deletes the daemon and marks the
// definition DELETE_IN_PROGRESS.
func TestDaemonResources(t *testing.T) {
	res := loadText(t, "daemon.yaml", `
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties: {VpcId: !Ref Vpc, GroupDescription: instances}
  Cluster: {Type: AWS::ECS::Cluster, Properties: {ClusterName: ops}}
  Provider:
    Type: AWS::ECS::CapacityProvider
    Properties:
      Name: ops-mi
      ClusterName: !Ref Cluster
      ManagedInstancesProvider:
        InfrastructureRoleArn: arn:aws:iam::123456789012:role/ecsInfrastructureRole
        InstanceLaunchTemplate:
          Ec2InstanceProfileArn: arn:aws:iam::123456789012:instance-profile/ecsInstanceRole
          NetworkConfiguration: {Subnets: [!Ref Subnet], SecurityGroups: [!Ref Group]}
  Agent:
    Type: AWS::ECS::DaemonTaskDefinition
    Properties:
      Family: log-shipper
      Cpu: "256"
      Memory: "512"
      ContainerDefinitions:
        - Name: shipper
          Image: public.ecr.aws/example/shipper:2
          Essential: true
          LogConfiguration: {LogDriver: awslogs, Options: {awslogs-group: ops}}
  Daemon:
    Type: AWS::ECS::Daemon
    Properties:
      DaemonName: shipper
      ClusterArn: !Ref Cluster
      DaemonTaskDefinitionArn: !Ref Agent
      CapacityProviderArns: [!Ref Provider]
      DeploymentConfiguration: {DrainPercent: 10, BakeTimeInMinutes: 0}
      Tags: [{Key: team, Value: ops}]
Outputs:
  Arn: {Value: !GetAtt Daemon.DaemonArn}
  Status: {Value: !GetAtt Daemon.DaemonStatus}
  Definition: {Value: !GetAtt Agent.DaemonTaskDefinitionArn}
`, nil)
	out := res.Outputs
	if !strings.HasSuffix(out["Arn"], ":daemon/ops/shipper") || out["Arn"] != res.PhysicalIDs["Daemon"] || out["Status"] != "ACTIVE" ||
		!strings.HasSuffix(out["Definition"], ":daemon-task-definition/log-shipper:1") {
		t.Fatalf("outputs %v, physical ids %v", out, res.PhysicalIDs)
	}
	res.Engine.Read(func(st *model.State) {
		d := st.Daemons[out["Arn"]]
		if d == nil || d.Tags["team"] != "ops" {
			t.Fatalf("daemon %+v", d)
		}
		dep := st.DaemonDeployments[d.DeploymentARN]
		if dep == nil || dep.Status != "SUCCESSFUL" || dep.Config.DrainPercent != 10 {
			t.Errorf("deployment %+v, want SUCCESSFUL with drainPercent 10", dep)
		}
		if r := st.DaemonRevisions[d.RevisionARN]; r == nil || r.TaskDefinitionARN != out["Definition"] || len(r.CapacityProviderARNs) != 1 {
			t.Errorf("revision %+v", r)
		}
		td := st.DaemonTaskDefinitions[out["Definition"]]
		if td == nil || len(td.Containers) != 1 || !strings.Contains(td.Containers[0].Definition, `"logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"ops"}}`) {
			t.Errorf("daemon task definition %+v", td)
		}
	})
	if err := cfn.DeleteResources(res.Engine, res.Resources); err != nil {
		t.Fatal(err)
	}
	res.Engine.Read(func(st *model.State) {
		if d := st.Daemons[out["Arn"]]; d != nil {
			t.Errorf("daemon left after the stack's deletion: %+v", d)
		}
		if td := st.DaemonTaskDefinitions[out["Definition"]]; td == nil || td.Status != "DELETE_IN_PROGRESS" {
			t.Errorf("daemon task definition after the stack's deletion: %+v", td)
		}
	})
}
