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
	if v, ok := f.serviceVerification(svc.Name); ok {
		fx.Verification = v
	}
	return []Fix{fx}
}

// logGroupCreatePolicy: a Fargate service's tasks stop because their
// execution role may not call logs:CreateLogGroup, which the awslogs
// driver calls when awslogs-create-group is true
// (ECS_LOG_GROUP_CREATE_DENIED). The role gets an inline policy that
// allows it (PutRolePolicy), and the service is redeployed. Creating the
// group alone does not do: the driver calls CreateLogGroup whether or not
// the group exists.
func (f *finder) logGroupCreatePolicy(x reach.Explanation) []Fix {
	if x.Tasks == nil || x.Tasks.Failure == nil || x.Tasks.Failure.Code != reach.CodeLogGroupCreateDenied {
		return nil
	}
	fl := x.Tasks.Failure
	svc := f.serviceNamed(x.Tasks.Service)
	if fl.Role == "" || svc == nil || f.st.Roles[fl.Role] == nil {
		return nil
	}
	const policy = "awslogs-create-group"
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:CreateLogGroup","Resource":"*"}]}`
	role, cluster := fl.Role, clusterName(svc.ClusterARN)
	fx := Fix{
		score: 5, Kind: "iam",
		Title: fmt.Sprintf("Allow logs:CreateLogGroup to the task execution role %s and redeploy %s", role, svc.Name),
		Detail: "With awslogs-create-group true the awslogs driver calls CreateLogGroup with the task execution role's credentials, whether or not the log group " +
			fl.LogGroup + " exists; AmazonECSTaskExecutionRolePolicy allows logs:CreateLogStream and logs:PutLogEvents only. (Or create the group and set awslogs-create-group to false.)",
		Commands: []string{
			fmt.Sprintf("aws iam put-role-policy --role-name %s --policy-name %s --policy-document '%s'", role, policy, doc),
			fmt.Sprintf("aws ecs update-service --cluster %s --service %s --force-new-deployment", cluster, svc.Name),
		},
		Scenario: fmt.Sprintf("iam_roles:\n  %s:\n    policies: {%s: '%s'}\n", role, policy, doc),
		apply: func(e *engine.Engine) error {
			if err := e.PutRolePolicy(role, policy, doc); err != nil {
				return err
			}
			_, err := e.UpdateService(engine.UpdateServiceInput{Cluster: cluster, Service: svc.Name, ForceNewDeployment: true})
			return err
		},
	}
	if v, ok := f.serviceVerification(svc.Name); ok {
		fx.Verification = v
	}
	return []Fix{fx}
}
