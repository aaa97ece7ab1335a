package fix

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// graceForStart: ECS stops a service's tasks before their application
// listens (reach.CodeTaskStoppedBeforeReady). A health check grace period
// that lasts the application's start and the target group's
// HealthyThreshold passing checks after it lets the target become healthy
// before ECS looks (ECS API Reference, CreateService
// healthCheckGracePeriodSeconds: "If your service's tasks take a while to
// start and respond to health checks, you can specify a health check
// grace period"). UpdateService changes it without a new deployment.
func (f *finder) graceForStart(x reach.Explanation) []Fix {
	if x.Component == nil || x.Component.Type != "service" {
		return nil
	}
	svc := f.st.Services[x.Component.ARN]
	if svc == nil {
		return nil
	}
	// The service's task definition and load balancers, and each task
	// set's (EXTERNAL and CODE_DEPLOY controllers: a task set registers
	// its own tasks in its own target groups; the grace period is the
	// service's for all of them).
	type runs struct {
		td  string
		lbs []model.ServiceLoadBalancer
	}
	sets := []runs{{svc.TaskDefinitionARN, svc.LoadBalancers}}
	for _, ts := range svc.TaskSets {
		if ts.Status != "DRAINING" {
			sets = append(sets, runs{ts.TaskDefinitionARN, ts.LoadBalancers})
		}
	}
	need := 0
	for _, r := range sets {
		td := f.st.TaskDefinitions[r.td]
		if td == nil {
			continue
		}
		for _, lb := range r.lbs {
			tg := f.st.TargetGroups[lb.TargetGroupARN]
			c, ok := td.Container(lb.ContainerName)
			if tg == nil || !ok || !tg.HealthCheck.Enabled || c.StartSeconds <= 0 {
				continue
			}
			need = max(need, c.StartSeconds+tg.HealthCheck.HealthyThreshold*tg.HealthCheck.IntervalSeconds)
		}
	}
	if need <= svc.HealthCheckGracePeriod {
		return nil
	}
	cluster, name := clusterName(svc.ClusterARN), svc.Name
	return []Fix{{
		score: 10, Kind: "ecs",
		Title: fmt.Sprintf("Give the service %s a health check grace period of %d s, so ECS lets its tasks start before it acts on their target health", name, need),
		Detail: "ECS ignores the target groups' health of a new task for the grace period; it must last until the application listens and the target group has seen " +
			"its HealthyThreshold passing checks. The change takes effect without a new deployment. Alternatively make the application listen sooner.",
		Commands: []string{fmt.Sprintf("aws ecs update-service --cluster %s --service %s --health-check-grace-period-seconds %d", cluster, name, need)},
		Scenario: fmt.Sprintf("services:\n  %s:\n    health_check_grace_period: %d\n", name, need),
		apply: func(e *engine.Engine) error {
			g := need
			_, err := e.UpdateService(engine.UpdateServiceInput{Cluster: cluster, Service: name, HealthCheckGracePeriod: &g})
			return err
		},
	}}
}
