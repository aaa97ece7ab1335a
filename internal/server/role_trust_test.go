package server_test

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// trustFor is a trust policy that lets service assume a role.
func trustFor(service string) string {
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Allow", "Principal": map[string]any{"Service": service}, "Action": "sts:AssumeRole"}}})
	return string(b)
}

// TestTaskRoleTrust: ECS must be able to assume a task's execution role and
// task role. A role that trusts ecs.amazonaws.com (not ecs-tasks), or does
// not exist, fails RunTask with ECS's ClientException, and a service's
// launches with its "failed to launch a task" event.
func TestTaskRoleTrust(t *testing.T) {
	em := newAccount(t, nil)
	c, im := sdkClients(em.URL), iamClient(em.URL)
	roles := map[string]string{}
	for name, svc := range map[string]string{"exec-ok": "ecs-tasks.amazonaws.com", "exec-wrong": "ecs.amazonaws.com"} {
		r, err := im.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trustFor(svc))})
		must(t, err)
		roles[name] = aws.ToString(r.Role.Arn)
	}
	roles["missing"] = "arn:aws:iam::123456789012:role/never-made"
	subnets, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	must(t, err)
	subnet := aws.ToString(subnets.Subnets[0].SubnetId)
	_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	register := func(family, exec, task string) {
		t.Helper()
		_, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String(family),
			NetworkMode: ecstypes.NetworkModeAwsvpc, RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate},
			Cpu: aws.String("256"), Memory: aws.String("512"), ExecutionRoleArn: aws.String(exec), TaskRoleArn: aws.String(task),
			ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("nginx")}}})
		must(t, err)
	}
	network := &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{subnet},
		AssignPublicIp: ecstypes.AssignPublicIpEnabled}}
	run := func(family string) error {
		_, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String(family),
			LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: network})
		return err
	}
	unable := func(role string) string {
		return "ECS was unable to assume the role '" + role + "' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role."
	}
	register("good", roles["exec-ok"], roles["exec-ok"])
	must(t, run("good"))
	register("wrong-exec", roles["exec-wrong"], roles["exec-ok"])
	wantLimitError(t, "execution role trusting ecs.amazonaws.com", run("wrong-exec"), "ClientException", unable(roles["exec-wrong"]))
	register("missing-task", roles["exec-ok"], roles["missing"])
	wantLimitError(t, "task role that does not exist", run("missing-task"), "ClientException", unable(roles["missing"]))

	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("web"),
		TaskDefinition: aws.String("wrong-exec"), DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: network})
	must(t, err)
	want := "service web failed to launch a task with (error " + unable(roles["exec-wrong"]) + ")."
	eventually(t, "the service's event", func() bool {
		out, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"web"}})
		must(t, err)
		for _, e := range out.Services[0].Events {
			if aws.ToString(e.Message) == want {
				return out.Services[0].RunningCount == 0
			}
		}
		return false
	})

	// Fixing the trust policy lets the next launch start.
	_, err = im.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("exec-wrong"),
		PolicyDocument: aws.String(trustFor("ecs-tasks.amazonaws.com"))})
	must(t, err)
	must(t, run("wrong-exec"))
}

// TestStackRoleTrust: a stack's service role (RoleARN) must exist and trust
// cloudformation.amazonaws.com, on create, update, change sets and delete.
func TestStackRoleTrust(t *testing.T) {
	em := newAccount(t, nil)
	cf, im := cfnClient(em.URL), iamClient(em.URL)
	arns := map[string]string{}
	for name, svc := range map[string]string{"cfn-ok": "cloudformation.amazonaws.com", "cfn-wrong": "ecs-tasks.amazonaws.com"} {
		r, err := im.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trustFor(svc))})
		must(t, err)
		arns[name] = aws.ToString(r.Role.Arn)
	}
	const body = `{"Resources": {"G": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "g"}}}}`
	refused := func(role string) string { return "Role " + role + " is invalid or cannot be assumed" }
	_, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("s"), TemplateBody: aws.String(body), RoleARN: aws.String(arns["cfn-wrong"])})
	wantLimitError(t, "create with a role trusting ecs-tasks", err, "ValidationError", refused(arns["cfn-wrong"]))
	_, err = cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("s"), ChangeSetName: aws.String("cs"),
		ChangeSetType: "CREATE", TemplateBody: aws.String(body), RoleARN: aws.String("arn:aws:iam::123456789012:role/gone")})
	wantLimitError(t, "change set with a role that does not exist", err, "ValidationError", refused("arn:aws:iam::123456789012:role/gone"))

	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("s"), TemplateBody: aws.String(body), RoleARN: aws.String(arns["cfn-ok"])})
	must(t, err)
	eventually(t, "CREATE_COMPLETE", func() bool {
		out, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("s")})
		return err == nil && out.Stacks[0].StackStatus == "CREATE_COMPLETE" && aws.ToString(out.Stacks[0].RoleARN) == arns["cfn-ok"]
	})
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("s"), UsePreviousTemplate: aws.Bool(true),
		RoleARN: aws.String(arns["cfn-wrong"])})
	wantLimitError(t, "update with a role trusting ecs-tasks", err, "ValidationError", refused(arns["cfn-wrong"]))

	// The stack's own role gone: CloudFormation cannot delete with it.
	_, err = im.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("cfn-ok")})
	must(t, err)
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("s")})
	wantLimitError(t, "delete with the stack's role deleted", err, "ValidationError", refused(arns["cfn-ok"]))
	out, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("s")})
	must(t, err)
	if s := out.Stacks[0].StackStatus; s != "CREATE_COMPLETE" {
		t.Errorf("after the refused delete: %s, want the stack as it was", s)
	}
	// Another role that CloudFormation can assume deletes it.
	r, err := im.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("cfn-new"), AssumeRolePolicyDocument: aws.String(trustFor("cloudformation.amazonaws.com"))})
	must(t, err)
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("s"), RoleARN: r.Role.Arn})
	must(t, err)
}

// executionRole makes the ecsTaskExecutionRole a new account lacks until
// the console or a template makes it: trusting ecs-tasks.amazonaws.com,
// with AmazonECSTaskExecutionRolePolicy. It returns the role's ARN.
func executionRole(t *testing.T, url string) string {
	t.Helper()
	im := iamClient(url)
	r, err := im.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("ecsTaskExecutionRole"),
		AssumeRolePolicyDocument: aws.String(trustFor("ecs-tasks.amazonaws.com"))})
	must(t, err)
	_, err = im.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("ecsTaskExecutionRole"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")})
	must(t, err)
	return aws.ToString(r.Role.Arn)
}

// infrastructureRole makes a role named name that trusts service (ECS's
// infrastructure role trusts ecs.amazonaws.com) and returns its ARN.
func infrastructureRole(t *testing.T, url, name, service string) string {
	t.Helper()
	r, err := iamClient(url).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trustFor(service))})
	must(t, err)
	return aws.ToString(r.Role.Arn)
}
