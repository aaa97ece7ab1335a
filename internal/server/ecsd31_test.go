package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestManagedDaemons drives ECS Managed Daemons through the Go SDK: a
// daemon is refused on an unknown cluster, on a provider that is not a
// Managed Instances one and twice by name; created, its deployment goes
// PENDING → IN_PROGRESS → SUCCESSFUL and its revision counts a task on the
// provider's instance; UpdateDaemon makes a new revision and deployment,
// listed newest first and by status; ListDaemons pages; a daemon task
// definition no longer ACTIVE is refused; DeleteDaemon drains the daemon
// (DELETE_IN_PROGRESS, then gone) and refuses a second delete.
func TestManagedDaemons(t *testing.T) {
	t.Parallel()
	es := newEstateOn(t, newEmulator(t, nil), "t3.micro", 0)
	c := es.c
	cpARN := managedInstancesProvider(t, es)
	_, err := c.ecs.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("c"), CapacityProviders: []string{"mi"},
		DefaultCapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{}})
	must(t, err)
	var tdARNs []string
	for _, image := range []string{"agent:1", "agent:2", "agent:3"} {
		out, err := c.ecs.RegisterDaemonTaskDefinition(ctx, &ecs.RegisterDaemonTaskDefinitionInput{Family: aws.String("agent"),
			ContainerDefinitions: []ecstypes.DaemonContainerDefinition{{Name: aws.String("agent"), Image: aws.String(image), Memory: aws.Int32(128)}}})
		must(t, err)
		tdARNs = append(tdARNs, aws.ToString(out.DaemonTaskDefinitionArn))
	}
	create := func(name, cluster, provider string) (*ecs.CreateDaemonOutput, error) {
		return c.ecs.CreateDaemon(ctx, &ecs.CreateDaemonInput{DaemonName: aws.String(name), ClusterArn: aws.String(cluster),
			DaemonTaskDefinitionArn: aws.String(tdARNs[0]), CapacityProviderArns: []string{provider},
			Tags: []ecstypes.Tag{{Key: aws.String("team"), Value: aws.String("platform")}}})
	}
	_, err = create("monitor", "nope", cpARN)
	wantCode(t, err, "ClusterNotFoundException")
	_, err = create("monitor", "c", "FARGATE")
	wantCode(t, err, "InvalidParameterException")
	_, err = c.ecs.DescribeDaemon(ctx, &ecs.DescribeDaemonInput{DaemonArn: aws.String("arn:aws:ecs:us-east-1:123456789012:daemon/c/nope")})
	wantCode(t, err, "DaemonNotFoundException")

	// An instance of the provider, launched for a task.
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"), Memory: aws.Int32(256)}},
		NetworkMode:          ecstypes.NetworkModeAwsvpc, RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityManagedInstances}})
	must(t, err)
	_, err = c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"),
		CapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("mi"), Weight: 1}},
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: es.subnets[:1],
			SecurityGroups: []string{es.open}}}})
	must(t, err)

	created, err := create("monitor", "c", cpARN)
	must(t, err)
	daemonARN, firstDep := aws.ToString(created.DaemonArn), aws.ToString(created.DeploymentArn)
	if !strings.HasSuffix(daemonARN, ":daemon/c/monitor") || !strings.Contains(firstDep, ":daemon-deployment/c/monitor/") ||
		created.Status != ecstypes.DaemonStatusActive || created.CreatedAt == nil {
		t.Fatalf("CreateDaemon: %s %s %s", daemonARN, firstDep, created.Status)
	}
	_, err = create("monitor", "c", cpARN)
	wantCode(t, err, "InvalidParameterException")
	tags, err := c.ecs.ListTagsForResource(ctx, &ecs.ListTagsForResourceInput{ResourceArn: aws.String(daemonARN)})
	must(t, err)
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Value) != "platform" {
		t.Errorf("daemon tags %+v", tags.Tags)
	}
	_, err = c.ecs.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: aws.String(daemonARN), Tags: []ecstypes.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}})
	must(t, err)
	if tags, err = c.ecs.ListTagsForResource(ctx, &ecs.ListTagsForResourceInput{ResourceArn: aws.String(daemonARN)}); err != nil || len(tags.Tags) != 2 {
		t.Errorf("daemon tags after TagResource %+v, %v", tags, err)
	}
	deployment := func(arn string) ecstypes.DaemonDeployment {
		t.Helper()
		out, err := c.ecs.DescribeDaemonDeployments(ctx, &ecs.DescribeDaemonDeploymentsInput{DaemonDeploymentArns: []string{arn}})
		must(t, err)
		if len(out.DaemonDeployments) != 1 {
			t.Fatalf("DescribeDaemonDeployments %s: %+v", arn, out.Failures)
		}
		return out.DaemonDeployments[0]
	}
	eventually(t, "the first deployment succeeds", func() bool { return deployment(firstDep).Status == ecstypes.DaemonDeploymentStatusSuccessful })
	dep := deployment(firstDep)
	if dep.TargetDaemonRevision == nil || aws.ToInt32(dep.TargetDaemonRevision.TotalRunningInstanceCount) != 1 || dep.StartedAt == nil || dep.FinishedAt == nil ||
		dep.DeploymentConfiguration == nil || aws.ToFloat64(dep.DeploymentConfiguration.DrainPercent) != 25 {
		t.Errorf("first deployment: %+v", dep)
	}
	d, err := c.ecs.DescribeDaemon(ctx, &ecs.DescribeDaemonInput{DaemonArn: aws.String(daemonARN)})
	must(t, err)
	if revs := d.Daemon.CurrentRevisions; len(revs) != 1 || revs[0].TotalRunningCount != 1 || len(revs[0].CapacityProviders) != 1 ||
		aws.ToString(revs[0].CapacityProviders[0].Arn) != cpARN || aws.ToString(d.Daemon.ClusterArn) != aws.ToString(dep.ClusterArn) {
		t.Errorf("DescribeDaemon: %+v", d.Daemon)
	}
	firstRev := aws.ToString(dep.TargetDaemonRevision.Arn)
	revs, err := c.ecs.DescribeDaemonRevisions(ctx, &ecs.DescribeDaemonRevisionsInput{DaemonRevisionArns: []string{firstRev, firstRev + "0"}})
	must(t, err)
	if len(revs.DaemonRevisions) != 1 || aws.ToString(revs.DaemonRevisions[0].DaemonTaskDefinitionArn) != tdARNs[0] ||
		len(revs.DaemonRevisions[0].ContainerImages) != 1 || aws.ToString(revs.DaemonRevisions[0].ContainerImages[0].Image) != "agent:1" ||
		len(revs.Failures) != 1 || aws.ToString(revs.Failures[0].Reason) != "MISSING" || !strings.Contains(firstRev, ":daemon-revision/c/monitor/") {
		t.Errorf("DescribeDaemonRevisions: %+v %+v", revs.DaemonRevisions, revs.Failures)
	}

	up, err := c.ecs.UpdateDaemon(ctx, &ecs.UpdateDaemonInput{DaemonArn: aws.String(daemonARN), DaemonTaskDefinitionArn: aws.String(tdARNs[1]),
		CapacityProviderArns: []string{cpARN}, DeploymentConfiguration: &ecstypes.DaemonDeploymentConfiguration{DrainPercent: aws.Float64(50)}})
	must(t, err)
	second := aws.ToString(up.DeploymentArn)
	if second == firstDep || up.UpdatedAt == nil {
		t.Fatalf("UpdateDaemon: %+v", up)
	}
	eventually(t, "the second deployment succeeds", func() bool { return deployment(second).Status == ecstypes.DaemonDeploymentStatusSuccessful })
	if dep := deployment(second); len(dep.SourceDaemonRevisions) != 1 || aws.ToString(dep.SourceDaemonRevisions[0].Arn) != firstRev {
		t.Errorf("second deployment's sources %+v, want %s", dep.SourceDaemonRevisions, firstRev)
	}
	list, err := c.ecs.ListDaemonDeployments(ctx, &ecs.ListDaemonDeploymentsInput{DaemonArn: aws.String(daemonARN)})
	must(t, err)
	if len(list.DaemonDeployments) != 2 || aws.ToString(list.DaemonDeployments[0].DaemonDeploymentArn) != second {
		t.Errorf("ListDaemonDeployments: %+v", list.DaemonDeployments)
	}
	list, err = c.ecs.ListDaemonDeployments(ctx, &ecs.ListDaemonDeploymentsInput{DaemonArn: aws.String(daemonARN),
		Status: []ecstypes.DaemonDeploymentStatus{ecstypes.DaemonDeploymentStatusStopped}})
	must(t, err)
	if len(list.DaemonDeployments) != 0 {
		t.Errorf("ListDaemonDeployments STOPPED: %+v", list.DaemonDeployments)
	}

	_, err = create("logs", "c", cpARN)
	must(t, err)
	var names []string
	var token *string
	for {
		page, err := c.ecs.ListDaemons(ctx, &ecs.ListDaemonsInput{ClusterArn: aws.String("c"), MaxResults: aws.Int32(1), NextToken: token})
		must(t, err)
		for _, s := range page.DaemonSummariesList {
			names = append(names, aws.ToString(s.DaemonArn)[strings.LastIndex(aws.ToString(s.DaemonArn), "/")+1:])
		}
		if token = page.NextToken; token == nil {
			break
		}
	}
	if strings.Join(names, ",") != "logs,monitor" {
		t.Errorf("ListDaemons pages: %v", names)
	}

	_, err = c.ecs.DeleteDaemonTaskDefinition(ctx, &ecs.DeleteDaemonTaskDefinitionInput{DaemonTaskDefinition: aws.String(tdARNs[2])})
	must(t, err)
	_, err = c.ecs.UpdateDaemon(ctx, &ecs.UpdateDaemonInput{DaemonArn: aws.String(daemonARN), DaemonTaskDefinitionArn: aws.String(tdARNs[2]),
		CapacityProviderArns: []string{cpARN}})
	wantCode(t, err, "ClientException")

	del, err := c.ecs.DeleteDaemon(ctx, &ecs.DeleteDaemonInput{DaemonArn: aws.String(daemonARN)})
	must(t, err)
	if del.Status != ecstypes.DaemonStatusDeleteInProgress {
		t.Errorf("DeleteDaemon status %s", del.Status)
	}
	_, err = c.ecs.DeleteDaemon(ctx, &ecs.DeleteDaemonInput{DaemonArn: aws.String(daemonARN)})
	wantCode(t, err, "DaemonNotActiveException")
	eventually(t, "the deleted daemon is gone", func() bool {
		_, err := c.ecs.DescribeDaemon(ctx, &ecs.DescribeDaemonInput{DaemonArn: aws.String(daemonARN)})
		return err != nil
	})
	_, err = c.ecs.DescribeDaemon(ctx, &ecs.DescribeDaemonInput{DaemonArn: aws.String(daemonARN)})
	wantCode(t, err, "DaemonNotFoundException")
}

// managedInstancesProvider creates the ECS Managed Instances capacity
// provider "mi" of cluster c, launching in the estate's first subnet with
// its open group, and returns its ARN.
func managedInstancesProvider(t *testing.T, es *estate) string {
	t.Helper()
	role, profile := infrastructureRole(t, es.url, "ecsInfrastructureRole", "ecs.amazonaws.com"), "arn:aws:iam::123456789012:instance-profile/ecsInstanceRole"
	cp, err := es.c.ecs.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{Name: aws.String("mi"), Cluster: aws.String("c"),
		ManagedInstancesProvider: &ecstypes.CreateManagedInstancesProviderConfiguration{InfrastructureRoleArn: aws.String(role),
			InstanceLaunchTemplate: &ecstypes.InstanceLaunchTemplate{Ec2InstanceProfileArn: aws.String(profile),
				NetworkConfiguration: &ecstypes.ManagedInstancesNetworkConfiguration{Subnets: es.subnets[:1], SecurityGroups: []string{es.open}}}}})
	must(t, err)
	return aws.ToString(cp.CapacityProvider.CapacityProviderArn)
}
