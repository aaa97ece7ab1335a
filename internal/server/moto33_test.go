package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestCreateClusterStatisticsEmpty33 checks, through the Go SDK, that
// CreateCluster answers "statistics": [] as the AWS CLI's create-cluster
// examples show (with settings, capacity providers or tags alike); since
// round thirty-one's include=STATISTICS ecsnet answered the eight counts by
// launch type there, which only DescribeClusters with that include gives.
func TestCreateClusterStatisticsEmpty33(t *testing.T) {
	em := newEmulator(t, nil)
	c := ecs.NewFromConfig(sdkConfig(), func(o *ecs.Options) { o.BaseEndpoint = aws.String(em.URL) })
	out, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("MyCluster"),
		Settings: []ecstypes.ClusterSetting{{Name: ecstypes.ClusterSettingNameContainerInsights, Value: aws.String("enhanced")}},
		Tags:     []ecstypes.Tag{{Key: aws.String("key1"), Value: aws.String("value1")}}})
	must(t, err)
	if n := len(out.Cluster.Statistics); n != 0 {
		t.Errorf("CreateCluster: %d statistics, want none", n)
	}
	if len(out.Cluster.Settings) != 1 || len(out.Cluster.Tags) != 1 {
		t.Errorf("CreateCluster: settings %+v, tags %+v; want the one given of each", out.Cluster.Settings, out.Cluster.Tags)
	}
	d, err := c.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{"MyCluster"},
		Include: []ecstypes.ClusterField{ecstypes.ClusterFieldStatistics}})
	must(t, err)
	if n := len(d.Clusters[0].Statistics); n != 8 {
		t.Errorf("DescribeClusters include=STATISTICS: %d statistics, want 8", n)
	}
}

// TestRegisterTaskDefinitionContainerMemoryAboveTask33 checks, through the
// Go SDK, that RegisterTaskDefinition refuses a container whose memory (its
// hard limit) is above the task's memory: ClientException "The 'memory'
// setting for container 'blah' is greater than for the task." (AWS's answer
// in pulumi/pulumi-awsx#188 and #1220); ecsnet registered it until round
// thirty-three. A container at the task's memory is still registered.
func TestRegisterTaskDefinitionContainerMemoryAboveTask33(t *testing.T) {
	em := newEmulator(t, nil)
	c := ecs.NewFromConfig(sdkConfig(), func(o *ecs.Options) { o.BaseEndpoint = aws.String(em.URL) })
	register := func(family string, fargate bool, container ecstypes.ContainerDefinition) error {
		in := &ecs.RegisterTaskDefinitionInput{Family: aws.String(family), Memory: aws.String("512"),
			ContainerDefinitions: []ecstypes.ContainerDefinition{container}}
		if fargate {
			in.RequiresCompatibilities = []ecstypes.Compatibility{ecstypes.CompatibilityFargate}
			in.NetworkMode = ecstypes.NetworkModeAwsvpc
			in.Cpu = aws.String("256")
		}
		_, err := c.RegisterTaskDefinition(ctx, in)
		return err
	}
	for _, fargate := range []bool{false, true} {
		err := register("over", fargate, ecstypes.ContainerDefinition{Name: aws.String("blah"), Image: aws.String("nginx"), Memory: aws.Int32(1024)})
		wantAPIError(t, err, "ClientException", "The 'memory' setting for container 'blah' is greater than for the task.")
		must(t, register("equal", fargate, ecstypes.ContainerDefinition{Name: aws.String("blah"), Image: aws.String("nginx"), Memory: aws.Int32(512)}))
	}
}
