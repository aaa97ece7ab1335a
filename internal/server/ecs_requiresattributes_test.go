package server_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// TestHostModeTaskRoleNeedsAttribute: a task role in the host network
// mode requires the instance attribute ecs.capability.task-iam-role-network-host,
// which the agent registers unless its ecs.config sets
// ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=false: RunTask on such an instance
// fails with the reason ATTRIBUTE; without the task role it runs.
func TestHostModeTaskRoleNeedsAttribute(t *testing.T) {
	em := newEmulator(t, nil)
	es := newEstateOn(t, em, "m5.large", 0)
	c := es.c
	ud := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=c >> /etc/ecs/ecs.config\necho ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=false >> /etc/ecs/ecs.config\n"))
	_, err := c.ec2.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), InstanceType: "m5.large", MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		SubnetId: &es.subnets[0], SecurityGroupIds: []string{es.open}, UserData: &ud, IamInstanceProfile: ecsInstanceProfile(t, es.url)})
	must(t, err)
	var ciARN string
	eventually(t, "the instance registers", func() bool {
		l, err := c.ecs.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("c")})
		if err != nil || len(l.ContainerInstanceArns) != 1 {
			return false
		}
		ciARN = l.ContainerInstanceArns[0]
		return true
	})
	d, err := c.ecs.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String("c"), ContainerInstances: []string{ciARN}})
	must(t, err)
	var names []string
	for _, a := range d.ContainerInstances[0].Attributes {
		names = append(names, aws.ToString(a.Name))
	}
	if all := strings.Join(names, " "); strings.Contains(all, "ecs.capability.task-iam-role-network-host") || !strings.Contains(all, "com.amazonaws.ecs.capability.task-iam-role") {
		t.Errorf("attributes %s: want task-iam-role without task-iam-role-network-host", all)
	}
	r, err := iamClient(em.URL).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("exporter"), AssumeRolePolicyDocument: aws.String(trustFor("ecs-tasks.amazonaws.com"))})
	must(t, err)
	run := func(family string, role *string) *ecs.RunTaskOutput {
		_, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String(family), NetworkMode: ecstypes.NetworkModeHost, TaskRoleArn: role,
			ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("exporter"), Image: aws.String("nginx"), Memory: aws.Int32(128),
				PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(9100), HostPort: aws.Int32(9100)}}}}})
		must(t, err)
		out, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String(family), LaunchType: ecstypes.LaunchTypeEc2})
		must(t, err)
		return out
	}
	if out := run("with-role", r.Role.Arn); len(out.Tasks) != 0 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "ATTRIBUTE" {
		t.Errorf("task role in host mode: tasks %d, failures %+v, want one ATTRIBUTE failure", len(out.Tasks), out.Failures)
	}
	if out := run("no-role", nil); len(out.Tasks) != 1 {
		t.Errorf("no task role: failures %+v, want a task", out.Failures)
	}
}
