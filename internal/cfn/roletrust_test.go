package cfn_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestTaskRoleTrustInAnalyzer: the analyzer skips IAM roles but records
// their trust policies, so a service whose execution role trusts
// ecs.amazonaws.com (not ecs-tasks.amazonaws.com) launches no task, and
// one whose role trusts ecs-tasks runs.
func TestTaskRoleTrustInAnalyzer(t *testing.T) {
	src := func(principal string) string {
		return `
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.7.0.0/16}}
  Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.7.1.0/24}}
  Cluster: {Type: AWS::ECS::Cluster}
  ExecRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: [` + principal + `]}, Action: ["sts:AssumeRole"]}]
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      NetworkMode: awsvpc
      RequiresCompatibilities: [FARGATE]
      Cpu: "256"
      Memory: "512"
      ExecutionRoleArn: !GetAtt ExecRole.Arn
      ContainerDefinitions: [{Name: web, Image: nginx}]
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      LaunchType: FARGATE
      TaskDefinition: !Ref Task
      DesiredCount: 1
      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [!Ref Subnet]}}
`
	}
	for _, c := range []struct {
		principal string
		running   int
	}{{"ecs-tasks.amazonaws.com", 1}, {"ecs.amazonaws.com", 0}} {
		tpl, err := cfn.ParseTemplate("roles.yaml", []byte(src(c.principal)))
		if err != nil {
			t.Fatal(err)
		}
		res, err := cfn.LoadStacks([]cfn.StackInput{{Template: tpl, Name: "roles"}}, cfn.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var running int
		var events []string
		res.Engine.Read(func(st *model.State) {
			for _, tk := range st.Tasks {
				if tk.LastStatus == model.TaskRunning {
					running++
				}
			}
			for _, s := range st.Services {
				for _, ev := range s.Events {
					events = append(events, ev.Message)
				}
			}
		})
		if running != c.running {
			t.Errorf("role trusting %s: %d tasks running, want %d (events: %v)", c.principal, running, c.running, events)
		}
		if c.running == 0 && !strings.Contains(strings.Join(events, "\n"), "failed to launch a task with (error ECS was unable to assume the role") {
			t.Errorf("role trusting %s: events %v, want ECS's launch failure", c.principal, events)
		}
	}
}
