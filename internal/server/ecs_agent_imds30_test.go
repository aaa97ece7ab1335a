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
)

// TestAgentNeedsMetadataService: the ECS agent reads its identity and its
// role's credentials from the instance metadata service
// (aws/amazon-ecs-agent#140, #447), so an instance launched with
// MetadataOptions HttpEndpoint disabled runs but never registers with its
// cluster, though its profile's role may; ModifyInstanceMetadataOptions
// HttpEndpoint enabled lets it register.
func TestAgentNeedsMetadataService(t *testing.T) {
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	e := c.ec2
	s := ecs.NewFromConfig(sdkConfig(), func(o *ecs.Options) { o.BaseEndpoint = aws.String(em.URL) })
	_, err := s.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("imds")})
	must(t, err)
	_, err = s.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeBridge,
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("public.ecr.aws/nginx/nginx:latest"), Memory: aws.Int32(128)}}})
	must(t, err)
	_, err = s.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("imds"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web"),
		DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeEc2})
	must(t, err)
	userData := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=imds >> /etc/ecs/ecs.config\n"))
	launch := func(md *ec2types.InstanceMetadataOptionsRequest) string {
		t.Helper()
		r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-0c1f2a3b4d5e6f708"), InstanceType: ec2types.InstanceTypeM5Large,
			MinCount: aws.Int32(1), MaxCount: aws.Int32(1), UserData: &userData, IamInstanceProfile: ecsInstanceProfile(t, em.URL), MetadataOptions: md})
		must(t, err)
		return aws.ToString(r.Instances[0].InstanceId)
	}
	running := func(id string) bool {
		d, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
		return err == nil && d.Reservations[0].Instances[0].State.Name == ec2types.InstanceStateNameRunning
	}
	registered := func() []string {
		l, err := s.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("imds")})
		must(t, err)
		if len(l.ContainerInstanceArns) == 0 {
			return nil
		}
		d, err := s.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String("imds"), ContainerInstances: l.ContainerInstanceArns})
		must(t, err)
		var ids []string
		for _, ci := range d.ContainerInstances {
			ids = append(ids, aws.ToString(ci.Ec2InstanceId))
		}
		slices.Sort(ids)
		return ids
	}
	id := launch(&ec2types.InstanceMetadataOptionsRequest{HttpEndpoint: ec2types.InstanceMetadataEndpointStateDisabled})
	eventually(t, "the instance whose metadata service is off runs", func() bool { return running(id) })
	const noInstances = "No Container Instances were found in your cluster."
	eventually(t, "the service logs that the cluster has no container instance", func() bool {
		d, err := s.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("imds"), Services: []string{"web"}})
		must(t, err)
		return slices.ContainsFunc(d.Services[0].Events, func(ev ecstypes.ServiceEvent) bool { return strings.Contains(aws.ToString(ev.Message), noInstances) })
	})
	// A second instance with the metadata service on registers; the Step
	// pass that registers it has judged the first one too.
	other := launch(nil)
	eventually(t, "the instance with its metadata service on registers", func() bool { return len(registered()) > 0 })
	if got := registered(); !slices.Equal(got, []string{other}) {
		t.Fatalf("container instances %v, want only %s (%s's metadata service is off)", got, other, id)
	}
	_, err = e.ModifyInstanceMetadataOptions(ctx, &ec2.ModifyInstanceMetadataOptionsInput{InstanceId: &id, HttpEndpoint: ec2types.InstanceMetadataEndpointStateEnabled})
	must(t, err)
	want := []string{id, other}
	slices.Sort(want)
	eventually(t, "the instance registers once its metadata service is on", func() bool { return slices.Equal(registered(), want) })
}
