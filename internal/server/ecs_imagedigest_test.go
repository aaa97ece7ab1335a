package server_test

import (
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestImageDigests checks, through the Go SDK, ECS's software version
// consistency: a running task's containers report the digest of their
// image (imageDigest; the same for "nginx" and "nginx:latest", the pinned
// one for name@sha256:…), and a service revision lists the digest each
// container's tag resolved to, except for a container whose
// versionConsistency is disabled. A deployment without the circuit
// breaker says so (deploymentCircuitBreaker DISABLED).
func TestImageDigests(t *testing.T) {
	t.Parallel()
	es := newEstateOn(t, newEmulator(t, nil), "t3.micro", 0)
	c := es.c
	pinned := "sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	_, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("img"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{
			{Name: aws.String("a"), Image: aws.String("nginx")},
			{Name: aws.String("b"), Image: aws.String("nginx:latest"), VersionConsistency: ecstypes.VersionConsistencyDisabled, Essential: aws.Bool(false)},
			{Name: aws.String("c"), Image: aws.String("public.ecr.aws/x/y@" + pinned), Essential: aws.Bool(false)}}})
	must(t, err)
	td, err := c.ecs.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("img")})
	must(t, err)
	if v := td.TaskDefinition.ContainerDefinitions[1].VersionConsistency; v != ecstypes.VersionConsistencyDisabled {
		t.Errorf("versionConsistency %q, want disabled", v)
	}
	net := es.awsvpc(es.open)
	net.AwsvpcConfiguration.AssignPublicIp = ecstypes.AssignPublicIpEnabled
	run, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("img"), LaunchType: ecstypes.LaunchTypeFargate,
		NetworkConfiguration: net})
	must(t, err)
	arn := aws.ToString(run.Tasks[0].TaskArn)
	if d := run.Tasks[0].Containers[0].ImageDigest; d != nil {
		t.Errorf("a task not yet pulled reports digest %s", aws.ToString(d))
	}
	eventually(t, "the task runs", func() bool { return aws.ToString(describeTask(t, c, arn).LastStatus) == "RUNNING" })
	digest := regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
	got := map[string]string{}
	for _, ctr := range describeTask(t, c, arn).Containers {
		got[aws.ToString(ctr.Name)] = aws.ToString(ctr.ImageDigest)
	}
	if !digest.MatchString(got["a"]) || got["a"] != got["b"] || got["c"] != pinned {
		t.Errorf("container digests %v: want one sha256 digest for nginx and nginx:latest, the pinned one for c", got)
	}
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("img"), TaskDefinition: aws.String("img"),
		DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: net})
	must(t, err)
	ds, err := c.ecs.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Cluster: aws.String("c"), Service: aws.String("img")})
	must(t, err)
	if len(ds.ServiceDeployments) != 1 {
		t.Fatalf("deployments: %+v", ds.ServiceDeployments)
	}
	dep, err := c.ecs.DescribeServiceDeployments(ctx, &ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{aws.ToString(ds.ServiceDeployments[0].ServiceDeploymentArn)}})
	must(t, err)
	if cb := dep.ServiceDeployments[0].DeploymentCircuitBreaker; cb == nil || cb.Status != ecstypes.ServiceDeploymentRollbackMonitorsStatusDisabled {
		t.Errorf("circuitBreaker %+v, want DISABLED", cb)
	}
	rev, err := c.ecs.DescribeServiceRevisions(ctx, &ecs.DescribeServiceRevisionsInput{ServiceRevisionArns: []string{aws.ToString(ds.ServiceDeployments[0].TargetServiceRevisionArn)}})
	must(t, err)
	images := map[string]string{}
	for _, im := range rev.ServiceRevisions[0].ContainerImages {
		images[aws.ToString(im.ContainerName)] = aws.ToString(im.ImageDigest)
	}
	if len(images) != 3 || images["a"] != got["a"] || images["b"] != "" || images["c"] != pinned {
		t.Errorf("revision's container images %v: want a's and c's digests, none for b (versionConsistency disabled)", images)
	}
}
