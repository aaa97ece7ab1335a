package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
)

// createSweepStack creates a stack from a template of
// internal/cfn/testdata/sweep and waits for CREATE_COMPLETE.
func createSweepStack(t *testing.T, cf *cloudformation.Client, name, file string, params ...cfntypes.Parameter) *cloudformation.DescribeStacksOutput {
	t.Helper()
	_, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name),
		TemplateBody: sweepTemplate(t, file), Parameters: params, Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityAutoExpand}})
	must(t, err)
	// The SDK's waiter, polling as often as the other waiter tests poll
	// (its default first delay is 30 s).
	w := cloudformation.NewStackCreateCompleteWaiter(cf, func(o *cloudformation.StackCreateCompleteWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax })
	if err := w.Wait(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)}, patience); err != nil {
		t.Fatalf("%s: %v; events: %v", name, err, stackEventsOf(t, cf, name))
	}
	d, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
	must(t, err)
	return d
}

func stackOutput(d *cloudformation.DescribeStacksOutput, key string) string {
	for _, o := range d.Stacks[0].Outputs {
		if aws.ToString(o.OutputKey) == key {
			return aws.ToString(o.OutputValue)
		}
	}
	return ""
}

// TestCloudFormationSweepRound12: fixes of the twelfth sweep, through
// the SDK. A Bottlerocket cluster (the AMI from AWS's public Bottlerocket
// parameter, the cluster named in its TOML user data) gets its container
// instance; a task definition's EFS volume reads back from
// DescribeTaskDefinition under the API's names; a Cloud Map service keeps
// its custom health check's FailureThreshold.
func TestCloudFormationSweepRound12(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	sd := servicediscovery.NewFromConfig(sdkConfig(), func(o *servicediscovery.Options) { o.BaseEndpoint = aws.String(em.URL) })

	createSweepStack(t, cf, "bottlerocket", "bottlerocket.yaml")
	eventually(t, "the Bottlerocket host's registration", func() bool {
		l, err := c.ecs.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("bottlerocket")})
		must(t, err)
		return len(l.ContainerInstanceArns) == 1
	})

	d := createSweepStack(t, cf, "efs", "efs-volume.yaml")
	td, err := c.ecs.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("efs-task")})
	must(t, err)
	if len(td.TaskDefinition.Volumes) != 1 || td.TaskDefinition.Volumes[0].EfsVolumeConfiguration == nil {
		t.Fatalf("volumes = %+v, want the EFS volume", td.TaskDefinition.Volumes)
	}
	efs := td.TaskDefinition.Volumes[0].EfsVolumeConfiguration
	fs := stackOutput(d, "FileSystemId")
	if aws.ToString(efs.FileSystemId) != fs || !strings.HasPrefix(fs, "fs-") || efs.TransitEncryption != "ENABLED" ||
		efs.AuthorizationConfig == nil || efs.AuthorizationConfig.Iam != "ENABLED" || aws.ToString(efs.AuthorizationConfig.AccessPointId) != stackOutput(d, "AccessPointId") {
		t.Errorf("efsVolumeConfiguration = %+v (authorization %+v), want file system %s, transit encryption and IAM authorization on its access point", efs, efs.AuthorizationConfig, fs)
	}

	d = createSweepStack(t, cf, "cloudmap", "cloudmap-health.yaml")
	s, err := sd.GetService(ctx, &servicediscovery.GetServiceInput{Id: aws.String(stackOutput(d, "ServiceId"))})
	must(t, err)
	if h := s.Service.HealthCheckCustomConfig; h == nil || aws.ToInt32(h.FailureThreshold) != 1 {
		t.Errorf("HealthCheckCustomConfig = %+v, want FailureThreshold 1", h)
	}
}
