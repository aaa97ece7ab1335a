package engine

import (
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// ECS takes the health of a service's tasks from the service's target
// groups: a task whose target a target group finds unhealthy is stopped
// ("Task failed ELB health checks in (target-group ARN)") once the
// service's healthCheckGracePeriodSeconds has passed, and the scheduler
// starts another; a deployment completes only when its tasks are healthy.
// The engine knows no reachability: the server asks the analyzer about
// the tasks ServiceTargetChecks lists and reports what it finds with
// ReportServiceTargetHealth. Without WithServiceTargetHealth (analyzed
// sources, which nothing health-checks) a running task counts as healthy.

// WithServiceTargetHealth makes the deployments of services with target
// groups wait for their tasks' health, which the caller reports
// (ServiceTargetChecks, ReportServiceTargetHealth); the emulator turns it
// on.
func WithServiceTargetHealth() Option { return func(e *Engine) { e.serviceTargetHealth = true } }

// elbHealthStopPrefix starts the stoppedReason of a task ECS stopped for
// failing its target group's health checks.
const elbHealthStopPrefix = "Task failed ELB health checks in (target-group "

// failedELBHealth reports whether a task was stopped for failing ELB
// health checks.
func failedELBHealth(tk *model.Task) bool {
	return tk.StopCode == "ServiceSchedulerInitiated" && strings.HasPrefix(tk.StoppedReason, elbHealthStopPrefix)
}

// ServiceTargetCheck is a target of a running service task whose health
// ECS acts on.
type ServiceTargetCheck struct {
	Task        string // the task's ARN
	TargetGroup string // ARN
	ID          string // the target: an IP address (awsvpc) or an instance id
	Port        uint16
}

// ServiceTargetHealth is what a target group says of a ServiceTargetCheck.
type ServiceTargetHealth struct {
	ServiceTargetCheck
	Unhealthy bool
	// Description is the target health's description ("Health checks
	// failed", "Request timed out", …), which the service event quotes.
	Description string
}

// serviceWithTargets reports whether ECS health-checks s's tasks in
// target groups: a rolling-update service with a target group, or a
// service of the CODE_DEPLOY or EXTERNAL controller one of whose task
// sets has one (API_TaskSet, stabilityStatus: a task set is steady when
// "all tasks are reporting a healthy status from the load balancers").
func serviceWithTargets(s *model.Service) bool {
	if s == nil || s.Status == "INACTIVE" {
		return false
	}
	if s.DeploymentController != "" {
		return slices.ContainsFunc(s.TaskSets, taskSetWithTargets)
	}
	return slices.ContainsFunc(s.LoadBalancers, withTargetGroup)
}

// taskSetWithTargets reports whether a task set registers its tasks in a
// target group.
func taskSetWithTargets(ts model.TaskSet) bool {
	return slices.ContainsFunc(ts.LoadBalancers, withTargetGroup)
}

func withTargetGroup(lb model.ServiceLoadBalancer) bool { return lb.TargetGroupARN != "" }

// elbStopFrom is when ECS may stop a task of s for failing its target
// groups' health checks: the service's health check grace period after
// the task started, and no sooner than the longest of its target groups
// (its task set's, for a task of a task set)
// needs to find a target unhealthy (UnhealthyThreshold checks, Interval
// seconds apart; the target registers as the task starts).
func elbStopFrom(st *model.State, s *model.Service, tk *model.Task) time.Time {
	wait := s.HealthCheckGracePeriod
	lbs := s.LoadBalancers
	if ts := s.TaskSetOf(tk); ts != nil {
		lbs = ts.LoadBalancers
	}
	for _, lb := range lbs {
		if tg := st.TargetGroups[lb.TargetGroupARN]; tg != nil && tg.HealthCheck.Enabled {
			wait = max(wait, tg.HealthCheck.UnhealthyThreshold*tg.HealthCheck.IntervalSeconds)
		}
	}
	return tk.StartedAt.Add(time.Duration(wait) * time.Second)
}

// ServiceTargetChecks lists, by task ARN, the targets of the running tasks
// of services with target groups (nil without WithServiceTargetHealth),
// and when the next of them may be stopped for being unhealthy (zero:
// none is waiting). The caller asks the target groups (the analyzer) and
// reports with ReportServiceTargetHealth.
func (e *Engine) ServiceTargetChecks() (due []ServiceTargetCheck, next time.Time) {
	if !e.serviceTargetHealth {
		return nil, time.Time{}
	}
	now := e.Now()
	if e.dry != nil {
		return e.serviceTargetChecks(now)
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	ht := e.holds.startHold()
	due, next = e.serviceTargetChecks(now)
	e.holds.endHold(ht, "ServiceTargetChecks", 0, false)
	return due, next
}

func (e *Engine) serviceTargetChecks(now time.Time) (due []ServiceTargetCheck, next time.Time) {
	st := e.st
	var arns []string // rare: the loop allocates nothing without them
	for arn, s := range st.Services {
		if serviceWithTargets(s) {
			arns = append(arns, arn)
		}
	}
	slices.Sort(arns)
	for _, arn := range arns {
		s := st.Services[arn]
		u := e.idx.services[svcKey{s.ClusterARN, s.Name}]
		if u == nil || u.running == 0 {
			continue
		}
		for _, ta := range sortedKeys(u.wanted) {
			tk := st.Tasks[ta]
			if tk == nil || tk.LastStatus != model.TaskRunning {
				continue
			}
			if from := elbStopFrom(st, s, tk); now.Before(from) && (next.IsZero() || from.Before(next)) {
				next = from
			}
			for _, x := range taskTargetsOf(st, s, tk, now) {
				due = append(due, ServiceTargetCheck{Task: ta, TargetGroup: x.tg, ID: x.target.ID, Port: x.target.Port})
			}
		}
	}
	return due, next
}

// ReportServiceTargetHealth records what the target groups say of the
// targets of service tasks (ServiceTargetChecks): a task whose targets
// are all healthy counts as healthy for its deployment; one found
// unhealthy past elbStopFrom is stopped (stopCode ServiceSchedulerInitiated,
// "Task failed ELB health checks in (target-group ARN)"), with the service
// events ECS writes, and the scheduler replaces it on the next Step. A
// report about a task no longer running does nothing.
func (e *Engine) ReportServiceTargetHealth(reports []ServiceTargetHealth) error {
	if !e.serviceTargetHealth || len(reports) == 0 {
		return nil
	}
	return e.write(func(t *txn) error {
		// The first unhealthy target of each task decides; a task with
		// none is healthy.
		var order []string
		bad := map[string]*ServiceTargetHealth{}
		for i := range reports {
			r := &reports[i]
			if _, seen := bad[r.Task]; !seen {
				order = append(order, r.Task)
				bad[r.Task] = nil
			}
			if r.Unhealthy && bad[r.Task] == nil {
				bad[r.Task] = r
			}
		}
		services := map[string]*model.Service{} // changed copies, by ARN
		var changed []string
		for _, ta := range order {
			tk := t.st.Tasks[ta]
			if tk == nil || tk.LastStatus != model.TaskRunning || tk.DesiredStatus != model.TaskRunning {
				continue
			}
			s := t.serviceOf(tk)
			if !serviceWithTargets(s) {
				continue
			}
			r := bad[ta]
			if r == nil {
				if !tk.TargetsHealthy {
					c := cloneTask(tk)
					c.TargetsHealthy = true
					t.putTask(c)
					// A healthy task resets its deployment's failures.
					if ns := services[s.ARN]; ns != nil {
						if i := slices.IndexFunc(ns.Deployments, func(d model.Deployment) bool { return d.ID == tk.StartedBy }); i >= 0 {
							ns.Deployments[i].FailedTasks = 0
						}
					} else {
						t.deploymentTaskHealthy(c)
					}
				}
				continue
			}
			if t.now.Before(elbStopFrom(t.st, s, tk)) {
				continue // the grace period, or the checks a target needs to be unhealthy
			}
			ns := services[s.ARN]
			if ns == nil {
				ns = cloneService(s)
				services[s.ARN] = ns
				changed = append(changed, s.ARN)
			}
			who := "(task " + model.LastSegment(tk.ARN) + ")"
			if tk.NetworkMode != model.NetworkModeAwsvpc {
				who = "(instance " + r.ID + ")"
			}
			why := r.Description
			if why == "" {
				why = "Health checks failed"
			}
			t.event(ns, "(service %s) %s (port %d) is unhealthy in (target-group %s) due to (reason %s).", s.Name, who, r.Port, r.TargetGroup, why)
			t.stopTask(tk, "ServiceSchedulerInitiated", elbHealthStopPrefix+r.TargetGroup+")", false)
			if i := slices.IndexFunc(ns.Deployments, func(d model.Deployment) bool { return d.ID == tk.StartedBy }); i >= 0 {
				ns.Deployments[i].FailedTasks++
			}
			t.event(ns, "(service %s) has stopped 1 running tasks: %s.", s.Name, taskList([]string{model.LastSegment(tk.ARN)}))
		}
		for _, arn := range changed {
			put(t, model.KindService, t.st.Services, arn, services[arn])
		}
		return nil
	})
}

// targetsSettled reports whether the running tasks of s count as healthy
// for its deployment: a service without target groups, an engine whose
// caller reports no target health, or every running task found healthy.
func (t *txn) targetsSettled(s *model.Service, u *svcUsage) bool {
	return !t.e.serviceTargetHealth || !serviceWithTargets(s) || u.healthy >= u.running
}

// deploymentTaskFailed counts a failed task of a service deployment (one
// that failed to start, tk being stopped) in the deployment's
// consecutive failures (Deployment.FailedTasks).
func (t *txn) deploymentTaskFailed(tk *model.Task) {
	t.bumpFailedTasks(tk, func(n int) int { return n + 1 })
}

// deploymentTaskHealthy resets the consecutive failures of tk's
// deployment: tk reached a healthy state (RUNNING, and healthy in the
// service's target groups when ECS health-checks it there).
func (t *txn) deploymentTaskHealthy(tk *model.Task) {
	t.bumpFailedTasks(tk, func(int) int { return 0 })
}

func (t *txn) bumpFailedTasks(tk *model.Task, f func(int) int) {
	if tk.ServiceName == "" || tk.StartedBy == "" {
		return
	}
	s := t.serviceOf(tk)
	if s == nil {
		return
	}
	i := slices.IndexFunc(s.Deployments, func(d model.Deployment) bool { return d.ID == tk.StartedBy })
	if i < 0 || f(s.Deployments[i].FailedTasks) == s.Deployments[i].FailedTasks {
		return
	}
	ns := cloneService(s)
	ns.Deployments[i].FailedTasks = f(ns.Deployments[i].FailedTasks)
	put(t, model.KindService, t.st.Services, ns.ARN, ns)
}
