package reach

import (
	"slices"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Task sets: a service whose deployment controller is EXTERNAL or
// CODE_DEPLOY runs its tasks in task sets, each with its own task
// definition, network configuration and load balancers (ECS API
// Reference, CreateTaskSet: "loadBalancers — A load balancer object
// representing the load balancer to use with the task set"; the service of
// an EXTERNAL controller has none of its own). The primary task set's
// tasks are what the production listener serves; an ACTIVE one (a
// CodeDeploy replacement, an external canary) is registered in its own
// target group. ECS health-checks every task set's tasks in their task
// set's target groups and stops the unhealthy ones as it does a rolling
// service's (engine.elbStopFrom reads them alike).

// taskLoadBalancers returns the load balancers task tk of service s is
// registered with: its task set's for a service of task sets (none for a
// task that no task set of the service started), else the service's.
func taskLoadBalancers(s *model.Service, tk *model.Task) []model.ServiceLoadBalancer {
	if !s.UsesTaskSets() {
		return s.LoadBalancers
	}
	if ts := s.TaskSetOf(tk); ts != nil && ts.Status != "DRAINING" {
		return ts.LoadBalancers
	}
	return nil
}

// serviceLoadBalancers returns every load balancer a service registers
// tasks with: its own, and its task sets' (not those draining), each once.
func serviceLoadBalancers(s *model.Service) []model.ServiceLoadBalancer {
	if !s.UsesTaskSets() || len(s.TaskSets) == 0 {
		return s.LoadBalancers
	}
	out := slices.Clone(s.LoadBalancers)
	for _, ts := range s.TaskSets {
		if ts.Status == "DRAINING" {
			continue
		}
		for _, lb := range ts.LoadBalancers {
			if !slices.ContainsFunc(out, func(o model.ServiceLoadBalancer) bool {
				return o.TargetGroupARN == lb.TargetGroupARN && o.LoadBalancerName == lb.LoadBalancerName &&
					o.ContainerName == lb.ContainerName && o.ContainerPort == lb.ContainerPort
			}) {
				out = append(out, lb)
			}
		}
	}
	return out
}

// neverRunning: a probe's source task that is not RUNNING (PROVISIONING,
// PENDING) and whose start path fails never sends anything: ECS stops such
// a task (a service of the ECS controller replaces it, a task set's task
// is launched again and again: the engine's EXTERNAL and CODE_DEPLOY task
// sets have no circuit breaker and leave their tasks PROVISIONING). It is
// a start failure, as a stopped task's is, not a source: msg says so, and
// the start failure is the blocking explanation. ok is false when the
// task's start path does not fail (a task on its way to RUNNING).
func (t *tracer) neverRunning(tk *taskNode) (msg string, ok bool) {
	if tk.tk.LastStatus == model.TaskStopped {
		return "", false
	}
	x := t.n.stoppedCause(tk)
	if x == nil || x.Failure == nil {
		return "", false
	}
	what := "the tasks of its service fail to start"
	if tk.service != nil {
		if ts := tk.service.svc.TaskSetOf(tk.tk); ts != nil {
			what = "the tasks of its task set " + ts.ID + " (" + ts.Status + ") fail to start and are launched again"
		}
	}
	msg = "the task " + tk.name + " is " + string(tk.tk.LastStatus) + " and never reaches RUNNING (" + what + "): " + x.Sentence()
	if !t.quiet {
		t.res.Explanations = append(t.res.Explanations, stoppedExplanation(tk, x, "forward"))
	}
	return msg, true
}
