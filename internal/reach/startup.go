package reach

import (
	"strconv"

	"github.com/ecsnet/ecsnet/internal/model"
)

// notReady is why ECS stops a service's task before its application
// listens (ContainerDefinition.StartSeconds): the target group finds the
// target unhealthy, and the service's health check grace period is over
// before the target is healthy again.
type notReady struct {
	startSeconds int
	grace        int
	// unhealthyAt is when the target group finds the target unhealthy
	// (UnhealthyThreshold checks, Interval seconds apart), healthyAt when
	// it would be healthy again (HealthyThreshold passing checks after the
	// application listens), both from the task's start.
	unhealthyAt, healthyAt int
	tg                     *model.TargetGroup
	svc                    *serviceNode
	// taskSet is the task's task set, for a service of task sets (nil
	// for a rolling one).
	taskSet *model.TaskSet
}

// startupStop reports whether ECS stops task x's container before its
// application listens, and why. A rolling-update service with a target
// group for the container stops a task whose target is unhealthy once
// the health check grace period is over ("the period of time, in seconds,
// that the Amazon ECS service scheduler ignores unhealthy Elastic Load
// Balancing ... target health checks after a task has first started",
// ECS API Reference, CreateService healthCheckGracePeriodSeconds; ECS
// developer guide, "Troubleshoot service load balancers": "Task failed
// ELB health checks"). The target group finds a target unhealthy after
// UnhealthyThreshold failed checks, Interval seconds apart, and healthy
// again after HealthyThreshold passing ones (ELB user guide, "Health
// checks for Application Load Balancer target groups"). An application
// that takes StartSeconds to listen is stopped when it is not listening
// by then (StartSeconds >= UnhealthyThreshold × Interval, as the engine
// counts the wait: engine.elbStopFrom) and the grace period ends before
// HealthyThreshold checks have passed after it listens (grace <
// StartSeconds + HealthyThreshold × Interval); ECS starts another task,
// which goes the same way. A task of a task set (EXTERNAL and CODE_DEPLOY
// controllers) is checked in its task set's target groups, the grace
// period still the service's. Check timeouts and the registration's own
// delay are not counted [choice].
func (n *Network) startupStop(x *taskNode, container string) *notReady {
	if x.service == nil || x.def == nil {
		return nil
	}
	s := x.service.svc
	c, ok := x.def.Container(container)
	if !ok || c.StartSeconds <= 0 {
		return nil
	}
	var worst *notReady
	for _, lb := range taskLoadBalancers(s, x.tk) { // a task set's own, for EXTERNAL and CODE_DEPLOY (tasksets.go)
		if lb.TargetGroupARN == "" || lb.ContainerName != container {
			continue
		}
		tg := n.st.TargetGroups[lb.TargetGroupARN]
		if tg == nil || !tg.HealthCheck.Enabled {
			continue
		}
		hc := tg.HealthCheck
		r := &notReady{startSeconds: c.StartSeconds, grace: s.HealthCheckGracePeriod, tg: tg, svc: x.service, taskSet: s.TaskSetOf(x.tk),
			unhealthyAt: hc.UnhealthyThreshold * hc.IntervalSeconds, healthyAt: c.StartSeconds + hc.HealthyThreshold*hc.IntervalSeconds}
		if c.StartSeconds >= r.unhealthyAt && r.grace < r.healthyAt && (worst == nil || r.healthyAt > worst.healthyAt) {
			worst = r
		}
	}
	return worst
}

// message says why the task never listens.
func (r *notReady) message(s *socket) string {
	hc := r.tg.HealthCheck
	return "the application of container " + s.container + " of " + s.task.name + " takes " + strconv.Itoa(r.startSeconds) + " s to listen on " +
		strconv.Itoa(int(s.containerPort)) + "; the target group " + r.tg.Name + r.ofTaskSet() + " finds the target unhealthy after " + strconv.Itoa(hc.UnhealthyThreshold) +
		" failed checks " + strconv.Itoa(hc.IntervalSeconds) + " s apart (" + strconv.Itoa(r.unhealthyAt) + " s) and the service " + r.svc.svc.Name +
		"'s health check grace period is " + strconv.Itoa(r.grace) + " s: ECS stops the task (\"Task failed ELB health checks\") before it listens and starts another, which goes the same way, so nothing ever listens. " +
		"Give the service a health check grace period of " + strconv.Itoa(r.healthyAt) + " s or more (the start and " + strconv.Itoa(hc.HealthyThreshold) +
		" passing checks), or make the application listen sooner"
}

// ofTaskSet names the task set whose target group it is, for a service of
// task sets ("" for a rolling one).
func (r *notReady) ofTaskSet() string {
	if r.taskSet == nil {
		return ""
	}
	return " (of the task's task set " + r.taskSet.ID + ", " + r.taskSet.Status + ")"
}
