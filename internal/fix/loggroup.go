package fix

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// createLogGroup: a service's tasks stop because their awslogs log group
// does not exist (ECS_LOG_GROUP_NOT_FOUND). The group is created
// (CreateLogGroup) and the service redeployed (ECS backs off a service
// whose tasks keep failing to start).
func (f *finder) createLogGroup(x reach.Explanation) []Fix {
	if x.Tasks == nil || x.Tasks.Failure == nil || x.Tasks.Failure.Code != reach.CodeLogGroupNotFound {
		return nil
	}
	group := x.Tasks.Failure.LogGroup
	svc := f.serviceNamed(x.Tasks.Service)
	if group == "" || svc == nil || f.st.LogGroups[group] != nil {
		return nil
	}
	cluster := clusterName(svc.ClusterARN)
	fx := Fix{
		score: 5, Kind: "logs",
		Title: fmt.Sprintf("Create the log group %s (the awslogs driver's awslogs-group) and redeploy %s", group, svc.Name),
		Detail: "The awslogs driver creates a log stream in its awslogs-group, which must exist unless awslogs-create-group is true (the execution role then " +
			"needs logs:CreateLogGroup): CloudWatch Logs answers ResourceNotFoundException and every task stops. In a template or configuration: " +
			"an AWS::Logs::LogGroup or aws_cloudwatch_log_group of that name.",
		Commands: []string{
			"aws logs create-log-group --log-group-name " + group,
			fmt.Sprintf("aws ecs update-service --cluster %s --service %s --force-new-deployment", cluster, svc.Name),
		},
		Scenario: "# scenario files do not list log groups: create " + group + " (Terraform aws_cloudwatch_log_group, CloudFormation AWS::Logs::LogGroup)\n",
		apply: func(e *engine.Engine) error {
			if err := e.CreateLogGroup(engine.LogGroupInput{Name: group}); err != nil {
				return err
			}
			_, err := e.UpdateService(engine.UpdateServiceInput{Cluster: cluster, Service: svc.Name, ForceNewDeployment: true})
			return err
		},
	}
	from, to := serviceTask(f.from, svc.Name), serviceTask(f.to, svc.Name)
	if from != f.from || to != f.to {
		fx.Verification = Verification{From: from, To: to, Protocol: f.proto}
	}
	return []Fix{fx}
}
