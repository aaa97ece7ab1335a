package server_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestDaemonTwinsRemoved: the twin of a daemon task definition (the task
// definition its daemon tasks run) goes once no task and no daemon refers
// to it: after UpdateDaemon to another daemon task definition, when the
// old revision's stopped tasks have expired, and after DeleteDaemon. The
// daemon task definitions themselves stay describable. Before round
// thirty-three's daemons33b the twins stayed for ever.
func TestDaemonTwinsRemoved(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil, engine.WithStoppedTaskRetention(time.Second))
	es := newEstateOn(t, em, "t3.micro", 0)
	c := es.c
	cpARN := managedInstancesProvider(t, es)
	var tdARNs []string
	for _, family := range []string{"agent", "collector"} {
		out, err := c.ecs.RegisterDaemonTaskDefinition(ctx, &ecs.RegisterDaemonTaskDefinitionInput{Family: aws.String(family),
			ContainerDefinitions: []ecstypes.DaemonContainerDefinition{{Name: aws.String(family), Image: aws.String(family + ":1"), Memory: aws.Int32(128)}}})
		must(t, err)
		tdARNs = append(tdARNs, aws.ToString(out.DaemonTaskDefinitionArn))
	}
	_, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeHost,
		ContainerDefinitions:    []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"), Memory: aws.Int32(256)}},
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityManagedInstances}})
	must(t, err)
	_, err = c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"),
		CapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("mi"), Weight: 1}}})
	must(t, err)

	eng, err := em.srv.Engine("us-east-1")
	must(t, err)
	twins := func() map[string]bool {
		out := map[string]bool{}
		eng.Read(func(st *model.State) {
			for arn, td := range st.TaskDefinitions {
				if td.DaemonTaskDefinition {
					out[arn] = true
				}
			}
		})
		return out
	}
	running := func(td string) func() bool {
		return func() bool {
			list, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), DaemonName: aws.String("monitor")})
			must(t, err)
			if len(list.TaskArns) != 1 {
				return false
			}
			out, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: list.TaskArns})
			must(t, err)
			return len(out.Tasks) == 1 && aws.ToString(out.Tasks[0].TaskDefinitionArn) == td && aws.ToString(out.Tasks[0].LastStatus) == "RUNNING"
		}
	}

	created, err := c.ecs.CreateDaemon(ctx, &ecs.CreateDaemonInput{DaemonName: aws.String("monitor"), ClusterArn: aws.String("c"),
		DaemonTaskDefinitionArn: aws.String(tdARNs[0]), CapacityProviderArns: []string{cpARN}})
	must(t, err)
	daemonARN := aws.ToString(created.DaemonArn)
	eventually(t, "the daemon's task runs", running(tdARNs[0]))
	if tw := twins(); !tw[tdARNs[0]] || len(tw) != 1 {
		t.Fatalf("twins %v, want %s's", tw, tdARNs[0])
	}

	_, err = c.ecs.UpdateDaemon(ctx, &ecs.UpdateDaemonInput{DaemonArn: aws.String(daemonARN), DaemonTaskDefinitionArn: aws.String(tdARNs[1]),
		CapacityProviderArns: []string{cpARN}})
	must(t, err)
	eventually(t, "the new daemon task definition's task runs", running(tdARNs[1]))
	eventually(t, "the old twin goes once its stopped task has expired", func() bool {
		tw := twins()
		return !tw[tdARNs[0]] && tw[tdARNs[1]]
	})

	_, err = c.ecs.DeleteDaemon(ctx, &ecs.DeleteDaemonInput{DaemonArn: aws.String(daemonARN)})
	must(t, err)
	eventually(t, "no twin is left after DeleteDaemon", func() bool { return len(twins()) == 0 })
	for _, arn := range tdARNs {
		out, err := c.ecs.DescribeDaemonTaskDefinition(ctx, &ecs.DescribeDaemonTaskDefinitionInput{DaemonTaskDefinition: aws.String(arn)})
		must(t, err)
		if aws.ToString(out.DaemonTaskDefinition.DaemonTaskDefinitionArn) != arn {
			t.Errorf("DescribeDaemonTaskDefinition %s: %s", arn, aws.ToString(out.DaemonTaskDefinition.DaemonTaskDefinitionArn))
		}
	}
}

// TestDaemonDeploymentCircuitBreaker: a daemon task that cannot be placed
// on its instance (the new daemon task definition's memory is more than
// the instance has) trips the daemon deployment's circuit breaker, which
// rolls the daemon back to its previous revision: the deployment ends
// ROLLBACK_SUCCESSFUL with circuitBreaker TRIGGERED and its rollback, the
// daemon's revision is the old one and its task runs again. A daemon
// whose first deployment cannot place its task is STOPPED. Before round
// thirty-three's daemons33b the start was retried every step and the
// deployment stayed IN_PROGRESS.
func TestDaemonDeploymentCircuitBreaker(t *testing.T) {
	t.Parallel()
	es := newEstateOn(t, newEmulator(t, nil), "t3.micro", 0)
	c := es.c
	cpARN := managedInstancesProvider(t, es)
	var tdARNs []string
	for _, mem := range []int32{128, 4 << 20} {
		out, err := c.ecs.RegisterDaemonTaskDefinition(ctx, &ecs.RegisterDaemonTaskDefinitionInput{Family: aws.String("agent"),
			ContainerDefinitions: []ecstypes.DaemonContainerDefinition{{Name: aws.String("agent"), Image: aws.String("agent"), Memory: aws.Int32(mem)}}})
		must(t, err)
		tdARNs = append(tdARNs, aws.ToString(out.DaemonTaskDefinitionArn))
	}
	_, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeHost,
		ContainerDefinitions:    []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"), Memory: aws.Int32(256)}},
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityManagedInstances}})
	must(t, err)
	_, err = c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"),
		CapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("mi"), Weight: 1}}})
	must(t, err)
	deployment := func(arn string) ecstypes.DaemonDeployment {
		t.Helper()
		out, err := c.ecs.DescribeDaemonDeployments(ctx, &ecs.DescribeDaemonDeploymentsInput{DaemonDeploymentArns: []string{arn}})
		must(t, err)
		if len(out.DaemonDeployments) != 1 {
			t.Fatalf("DescribeDaemonDeployments %s: %+v", arn, out.Failures)
		}
		return out.DaemonDeployments[0]
	}
	runningTD := func(name string) string {
		list, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), DaemonName: aws.String(name)})
		must(t, err)
		if len(list.TaskArns) != 1 {
			return ""
		}
		out, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: list.TaskArns})
		must(t, err)
		if len(out.Tasks) != 1 || aws.ToString(out.Tasks[0].LastStatus) != "RUNNING" {
			return ""
		}
		return aws.ToString(out.Tasks[0].TaskDefinitionArn)
	}

	created, err := c.ecs.CreateDaemon(ctx, &ecs.CreateDaemonInput{DaemonName: aws.String("monitor"), ClusterArn: aws.String("c"),
		DaemonTaskDefinitionArn: aws.String(tdARNs[0]), CapacityProviderArns: []string{cpARN}})
	must(t, err)
	daemonARN := aws.ToString(created.DaemonArn)
	eventually(t, "the daemon's task runs", func() bool { return runningTD("monitor") == tdARNs[0] })
	first, err := c.ecs.DescribeDaemon(ctx, &ecs.DescribeDaemonInput{DaemonArn: aws.String(daemonARN)})
	must(t, err)
	firstRev := aws.ToString(first.Daemon.CurrentRevisions[0].Arn)

	up, err := c.ecs.UpdateDaemon(ctx, &ecs.UpdateDaemonInput{DaemonArn: aws.String(daemonARN), DaemonTaskDefinitionArn: aws.String(tdARNs[1]),
		CapacityProviderArns: []string{cpARN}})
	must(t, err)
	eventually(t, "the deployment rolls back", func() bool {
		return deployment(aws.ToString(up.DeploymentArn)).Status == ecstypes.DaemonDeploymentStatusRollbackSuccessful
	})
	dep := deployment(aws.ToString(up.DeploymentArn))
	if cb := dep.CircuitBreaker; cb == nil || cb.Status != ecstypes.DaemonDeploymentRollbackMonitorsStatusTriggered || cb.FailureCount < cb.Threshold {
		t.Errorf("circuit breaker %+v, want TRIGGERED at its threshold", cb)
	}
	if rb := dep.Rollback; rb == nil || aws.ToString(rb.RollbackTargetDaemonRevisionArn) != firstRev || len(rb.RollbackCapacityProviders) != 1 || rb.StartedAt == nil {
		t.Errorf("rollback %+v, want to %s", rb, firstRev)
	}
	eventually(t, "the first daemon task definition's task runs again", func() bool { return runningTD("monitor") == tdARNs[0] })
	d, err := c.ecs.DescribeDaemon(ctx, &ecs.DescribeDaemonInput{DaemonArn: aws.String(daemonARN)})
	must(t, err)
	if len(d.Daemon.CurrentRevisions) != 1 || aws.ToString(d.Daemon.CurrentRevisions[0].Arn) != firstRev {
		t.Errorf("the daemon's revisions after the rollback: %+v, want %s", d.Daemon.CurrentRevisions, firstRev)
	}

	// A daemon with no revision to roll back to stops its deployment.
	big, err := c.ecs.CreateDaemon(ctx, &ecs.CreateDaemonInput{DaemonName: aws.String("big"), ClusterArn: aws.String("c"),
		DaemonTaskDefinitionArn: aws.String(tdARNs[1]), CapacityProviderArns: []string{cpARN}})
	must(t, err)
	eventually(t, "the first deployment stops", func() bool {
		return deployment(aws.ToString(big.DeploymentArn)).Status == ecstypes.DaemonDeploymentStatusStopped
	})
	if dep := deployment(aws.ToString(big.DeploymentArn)); dep.Rollback != nil || dep.StoppedAt == nil || aws.ToString(dep.StatusReason) == "" {
		t.Errorf("the stopped deployment: rollback %+v stoppedAt %v reason %q", dep.Rollback, dep.StoppedAt, aws.ToString(dep.StatusReason))
	}
}
