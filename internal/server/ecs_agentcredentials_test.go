package server_test

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// TestAgentNeedsCredentials: the ECS agent registers an instance with its
// cluster with the credentials of the instance's role, in any region (IAM
// is global: us-east-1 holds it, the instances run in us-west-2). An
// instance launched without an instance profile keeps running and never
// registers, and a service of the cluster logs that it found no container
// instance; associating a profile whose role has
// AmazonEC2ContainerServiceforEC2Role lets it register. An instance whose
// role lacks ecs:RegisterContainerInstance never registers either, until a
// customer managed policy that allows it is attached.
func TestAgentNeedsCredentials(t *testing.T) {
	em := newAccount(t, nil)
	cfg := sdkConfig()
	cfg.Region = "us-west-2"
	e := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	s := ecs.NewFromConfig(cfg, func(o *ecs.Options) { o.BaseEndpoint = aws.String(em.URL) })
	im := iamClient(em.URL)

	_, err := s.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("creds")})
	must(t, err)
	_, err = s.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeBridge,
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("public.ecr.aws/nginx/nginx:latest"), Memory: aws.Int32(128)}}})
	must(t, err)
	_, err = s.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("creds"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web"),
		DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeEc2})
	must(t, err)
	userData := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=creds >> /etc/ecs/ecs.config\n"))
	launch := func(profile *ec2types.IamInstanceProfileSpecification) string {
		t.Helper()
		r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMIIn(cfg.Region)), InstanceType: ec2types.InstanceTypeM5Large,
			MinCount: aws.Int32(1), MaxCount: aws.Int32(1), UserData: &userData, IamInstanceProfile: profile})
		must(t, err)
		return aws.ToString(r.Instances[0].InstanceId)
	}
	running := func(id string) bool {
		d, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
		return err == nil && d.Reservations[0].Instances[0].State.Name == ec2types.InstanceStateNameRunning
	}
	registered := func() []string {
		l, err := s.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("creds")})
		must(t, err)
		if len(l.ContainerInstanceArns) == 0 {
			return nil
		}
		d, err := s.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String("creds"), ContainerInstances: l.ContainerInstanceArns})
		must(t, err)
		var ids []string
		for _, ci := range d.ContainerInstances {
			ids = append(ids, aws.ToString(ci.Ec2InstanceId))
		}
		slices.Sort(ids)
		return ids
	}

	bare := launch(nil)
	eventually(t, "the instance without a profile runs", func() bool { return running(bare) })
	const noInstances = "was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster."
	eventually(t, "the service logs that the cluster has no container instance", func() bool {
		d, err := s.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("creds"), Services: []string{"web"}})
		must(t, err)
		return slices.ContainsFunc(d.Services[0].Events, func(ev ecstypes.ServiceEvent) bool { return strings.Contains(aws.ToString(ev.Message), noInstances) })
	})
	if got := registered(); got != nil {
		t.Fatalf("container instances without credentials: %v", got)
	}

	// A role trusted by EC2 whose only policy is Systems Manager's.
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	_, err = im.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("ssm-only"), AssumeRolePolicyDocument: &trust})
	must(t, err)
	_, err = im.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("ssm-only"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")})
	must(t, err)
	_, err = im.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("ssm-only")})
	must(t, err)
	_, err = im.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("ssm-only"), RoleName: aws.String("ssm-only")})
	must(t, err)
	denied := launch(&ec2types.IamInstanceProfileSpecification{Name: aws.String("ssm-only")})
	eventually(t, "the instance whose role may not register runs", func() bool { return running(denied) })

	// Both instances run, so every Step pass judges both: the pass that
	// registers the one given a profile has judged the other too.
	_, err = e.AssociateIamInstanceProfile(ctx, &ec2.AssociateIamInstanceProfileInput{InstanceId: &bare, IamInstanceProfile: ecsInstanceProfile(t, em.URL)})
	must(t, err)
	eventually(t, "the instance registers once it has a profile", func() bool { return len(registered()) > 0 })
	if got := registered(); !slices.Equal(got, []string{bare}) {
		t.Fatalf("container instances %v, want only %s (the role ssm-only may not register)", got, bare)
	}

	p, err := im.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("ecs-agent"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecs:RegisterContainerInstance","ecs:DiscoverPollEndpoint","ecs:Poll","ecs:Submit*"],"Resource":"*"}]}`)})
	must(t, err)
	_, err = im.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("ssm-only"), PolicyArn: p.Policy.Arn})
	must(t, err)
	want := []string{bare, denied}
	slices.Sort(want)
	eventually(t, "the agent registers once its role may", func() bool { return slices.Equal(registered(), want) })
}
