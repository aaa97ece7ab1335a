package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
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

// TestGRPCMatcherText33 checks, through the Go SDK, the text of a gRPC
// target group's matcher out of range: "Health check matcher GRPC code
// '200' must be within '0-99' inclusive" (AWS's answer quoted in
// kubernetes-sigs/aws-load-balancer-controller#2804); ecsnet said "HTTP
// code" for gRPC target groups too until round thirty-three. CreateTargetGroup
// and ModifyTargetGroup alike; an HTTP/1.1 group keeps "HTTP code".
func TestGRPCMatcherText33(t *testing.T) {
	em := newEmulator(t, nil)
	ec := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	lb := elbv2.NewFromConfig(sdkConfig(), func(o *elbv2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	vpc, err := ec.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	create := func(name, version string, m *elbv2types.Matcher) (*elbv2.CreateTargetGroupOutput, error) {
		return lb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: elbv2types.ProtocolEnumHttp,
			ProtocolVersion: aws.String(version), Port: aws.Int32(80), VpcId: vpc.Vpc.VpcId, Matcher: m})
	}
	_, err = create("grpc", "GRPC", &elbv2types.Matcher{GrpcCode: aws.String("200")})
	wantAPIError(t, err, "ValidationError", "Health check matcher GRPC code '200' must be within '0-99' inclusive")
	tg, err := create("grpc", "GRPC", &elbv2types.Matcher{GrpcCode: aws.String("12")})
	must(t, err)
	_, err = lb.ModifyTargetGroup(ctx, &elbv2.ModifyTargetGroupInput{TargetGroupArn: tg.TargetGroups[0].TargetGroupArn,
		Matcher: &elbv2types.Matcher{GrpcCode: aws.String("100")}})
	wantAPIError(t, err, "ValidationError", "Health check matcher GRPC code '100' must be within '0-99' inclusive")
	_, err = create("http1", "HTTP1", &elbv2types.Matcher{HttpCode: aws.String("600")})
	wantAPIError(t, err, "ValidationError", "Health check matcher HTTP code '600' must be within '200-499' inclusive")
}
