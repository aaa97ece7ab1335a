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
