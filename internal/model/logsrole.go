package model

import "strings"

// CreateLogGroupAction is the call the awslogs driver makes, with the task
// execution role's credentials on Fargate, when a container's
// awslogs-create-group is "true".
const CreateLogGroupAction = "logs:CreateLogGroup"

// LogGroupCreateDenied judges whether a Fargate task's execution role may
// create its awslogs log group (awslogs-create-group "true"). The awslogs
// driver calls CreateLogGroup whether or not the group exists, and fails
// on any error but ResourceAlreadyExistsException, so a role that may not
// call it stops the task even when the group is there. It returns "" when
// the role may (or when iam does not hold the role: not ours to judge),
// else the task's stoppedReason (terraform-aws-modules/terraform-aws-ecs#313:
// "failed to create Cloudwatch log group: AccessDeniedException: User:
// arn:aws:sts::…:assumed-role/…/… is not authorized to perform:
// logs:CreateLogGroup on resource: arn:aws:logs:…:log-group:…:log-stream:
// because no identity-based policy allows the logs:CreateLogGroup
// action"). The AWS managed AmazonECSTaskExecutionRolePolicy allows
// logs:CreateLogStream and logs:PutLogEvents, not CreateLogGroup.
func LogGroupCreateDenied(iam *State, roleRef, group, taskID, region, account string, complete bool) string {
	if roleRef == "" || group == "" {
		return ""
	}
	if strings.HasPrefix(roleRef, "arn:") {
		if parts := strings.SplitN(roleRef, ":", 6); len(parts) == 6 && parts[4] != account {
			return "" // another account's role
		}
	}
	r := iam.Roles[RoleName(roleRef)]
	if r == nil {
		return ""
	}
	partition := Partition(region)
	resource := "arn:" + partition + ":logs:" + region + ":" + account + ":log-group:" + group + ":log-stream:"
	because, denied := deniedBecause(roleAllows(iam, r, CreateLogGroupAction, resource, partition, account, complete), CreateLogGroupAction)
	if !denied {
		return ""
	}
	return "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log group: AccessDeniedException: User: arn:" +
		partition + ":sts::" + account + ":assumed-role/" + r.Name + "/" + taskID + " is not authorized to perform: " + CreateLogGroupAction + " on resource: " + resource + because + " : exit status 1"
}
