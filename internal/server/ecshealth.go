package server

import (
	"sync"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/engine"
)

// svcHealth is what a region remembers of its last ELB health check of
// ECS services' tasks, so that a step with nothing new asks nothing.
type svcHealth struct {
	mu      sync.Mutex
	version uint64              // the state version last looked at
	next    time.Time           // when a task's grace period ends (engine clock)
	at      time.Time           // when the analyzer was last asked (wall clock)
	checked map[string]struct{} // the tasks it was asked about
}

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
	if v == h.version && (h.next.IsZero() || now.Before(h.next)) {
		return
	}
	due, next := r.engine.ServiceTargetChecks()
	passed := !h.next.IsZero() && !now.Before(h.next) // a task's grace period ended
	h.version, h.next = v, next
	fresh := false
	for _, d := range due {
		if _, ok := h.checked[d.Task]; !ok {
			fresh = true
			break
		}
	}
	if !fresh && !passed && time.Since(h.at) < asgHealthEvery {
		return
	}
	h.at, h.checked = time.Now(), make(map[string]struct{}, len(due))
	for _, d := range due {
		h.checked[d.Task] = struct{}{}
	}
	if len(due) == 0 {
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
