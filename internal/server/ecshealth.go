package server

import (
	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/engine"
)

// checkServiceHealth is ECS's view of its services' target groups: the
// targets of the running tasks of services with target groups
// (engine.ServiceTargetChecks) are looked up in DescribeTargetHealth's
// answer (the analyzer), and reported to the engine, which counts a
// healthy task toward its deployment and stops an unhealthy one once the
// grace period has passed. As with Auto Scaling's check (checkGroupHealth),
// nothing runs while the state is unchanged and no grace period ends; the
// analyzer runs at once for a task it was not asked about yet, and else at
// most every asgHealthEvery while the state changes. Only "unhealthy"
// fails a task ([choice]: unused and unavailable targets, which ECS's
// documentation does not discuss, count as healthy).
func (s *Server) checkServiceHealth(r *region) {
	h := &r.tasks
	h.mu.Lock()
	defer h.mu.Unlock()
	v, now := r.engine.Version(), r.engine.Now()
	if h.idle(v, now) {
		return
	}
	passed := !h.next.IsZero() && !now.Before(h.next) // a task's grace period ended
	due, next := r.engine.ServiceTargetChecks()
	tasks := make([]string, len(due))
	for i, d := range due {
		tasks[i] = d.Task
	}
	if !h.ask(v, next, tasks, passed) || len(due) == 0 {
		return
	}
	defer func() {
		if p := recover(); p != nil { // the analyzer's bug must not stop the step loop
			s.log.Error("the ELB health check of ECS services panicked", "region", r.name, "panic", p)
		}
	}()
	reports := make([]engine.ServiceTargetHealth, 0, len(due))
	if s.opts.Analyzer == nil {
		for _, d := range due {
			reports = append(reports, engine.ServiceTargetHealth{ServiceTargetCheck: d})
		}
	} else {
		st, version := r.engine.SharedSnapshot()
		tgs := map[string]map[api.TargetKey]api.TargetHealth{}
		for _, d := range due {
			hs, ok := tgs[d.TargetGroup]
			if !ok {
				hs = s.opts.Analyzer.TargetHealth(st, version, d.TargetGroup)
				tgs[d.TargetGroup] = hs
			}
			th := hs[api.TargetKey{ID: d.ID, Port: d.Port}]
			reports = append(reports, engine.ServiceTargetHealth{ServiceTargetCheck: d, Unhealthy: th.State == "unhealthy", Description: th.Description})
		}
	}
	if err := r.engine.ReportServiceTargetHealth(reports); err != nil {
		s.log.Error("reporting the health of service tasks failed", "region", r.name, "err", err)
	}
}
