package server

import (
	"sync"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// asgHealthEvery bounds how often a region's load balancers are asked
// about the instances of groups with health check type ELB while the
// state keeps changing: each ask may compile the network ([choice]: AWS
// does not say how often Auto Scaling polls them).
const asgHealthEvery = 5 * time.Second

// healthPoll is what a region remembers of its last ELB health check of
// one kind (Auto Scaling groups' instances, ECS services' tasks), so that
// a step with nothing new asks nothing.
type healthPoll[K comparable] struct {
	mu      sync.Mutex
	version uint64         // the state version last looked at
	next    time.Time      // when a grace period ends (engine clock)
	at      time.Time      // when the analyzer was last asked (wall clock)
	checked map[K]struct{} // what it was asked about
}

// idle reports whether nothing happened since the last look: the state
// is at version v and no grace period has ended by now.
func (h *healthPoll[K]) idle(v uint64, now time.Time) bool {
	return v == h.version && (h.next.IsZero() || now.Before(h.next))
}

// ask records a look at version v and reports whether the analyzer is
// to be asked about due: at once when one of them was not asked about
// yet (or when force), else at most every asgHealthEvery.
func (h *healthPoll[K]) ask(v uint64, next time.Time, due []K, force bool) bool {
	h.version, h.next = v, next
	fresh := force
	for _, k := range due {
		if _, ok := h.checked[k]; !ok {
			fresh = true
			break
		}
	}
	if !fresh && time.Since(h.at) < asgHealthEvery {
		return false
	}
	h.at, h.checked = time.Now(), make(map[K]struct{}, len(due))
	for _, k := range due {
		h.checked[k] = struct{}{}
	}
	return true
}

// checkGroupHealth is Auto Scaling's ELB health check: the instances of
// groups whose health check type is ELB, InService past the grace period
// (engine.ELBHealthChecks), that a target group of theirs reports
// unhealthy (DescribeTargetHealth's state "unhealthy") or a Classic Load
// Balancer of theirs OutOfService for a failed health check (reason code
// Instance) are reported to the engine, which marks them Unhealthy and
// replaces them. Nothing runs while the state is unchanged and no grace
// period ends; the analyzer runs at once for an instance it was not asked
// about yet, and else at most every asgHealthEvery while the state
// changes.
func (s *Server) checkGroupHealth(r *region) {
	h := &r.health
	h.mu.Lock()
	defer h.mu.Unlock()
	v := r.engine.Version()
	if h.idle(v, r.engine.Now()) {
		return
	}
	due, next := r.engine.ELBHealthChecks()
	ids := make([]model.InstanceID, len(due))
	for i, d := range due {
		ids[i] = d.Instance
	}
	if !h.ask(v, next, ids, false) || len(due) == 0 {
		return
	}
	defer func() {
		if p := recover(); p != nil { // the analyzer's bug must not stop the step loop
			s.log.Error("the ELB health check of Auto Scaling groups panicked", "region", r.name, "panic", p)
		}
	}()
	st, version := r.engine.SharedSnapshot()
	c := elbHealthCache{st: st, version: version, a: s.opts.Analyzer,
		tgs: map[string]map[model.InstanceID]bool{}, clbs: map[string]map[model.InstanceID]bool{}}
	var group string
	var unhealthy []model.InstanceID
	report := func() {
		if len(unhealthy) == 0 {
			return
		}
		if err := r.engine.ReportELBUnhealthy(group, unhealthy); err != nil {
			s.log.Error("reporting unhealthy instances failed", "region", r.name, "group", group, "err", err)
		}
		unhealthy = nil
	}
	for _, d := range due {
		if d.Group != group {
			report()
			group = d.Group
		}
		if c.unhealthy(d) {
			unhealthy = append(unhealthy, d.Instance)
		}
	}
	report()
}

// elbHealthCache asks the analyzer about each load balancer once per
// check, keeping the instances it reports unhealthy.
type elbHealthCache struct {
	st      *model.State
	version uint64
	a       api.Analyzer
	tgs     map[string]map[model.InstanceID]bool // by target group ARN
	clbs    map[string]map[model.InstanceID]bool // by Classic Load Balancer name
}

// unhealthy reports whether a load balancer of the group reports the
// instance unhealthy.
func (c *elbHealthCache) unhealthy(d engine.ELBHealthCheck) bool {
	for _, arn := range d.TargetGroups {
		bad, ok := c.tgs[arn]
		if !ok {
			bad = map[model.InstanceID]bool{}
			for k, h := range c.a.TargetHealth(c.st, c.version, arn) {
				if h.State == "unhealthy" {
					bad[model.InstanceID(k.ID)] = true
				}
			}
			c.tgs[arn] = bad
		}
		if bad[d.Instance] {
			return true
		}
	}
	for _, name := range d.LoadBalancers {
		bad, ok := c.clbs[name]
		if !ok {
			bad = map[model.InstanceID]bool{}
			for id, h := range c.a.ClassicInstanceHealth(c.st, c.version, name) {
				if h.State == "OutOfService" && h.Reason == "Instance" {
					bad[id] = true
				}
			}
			c.clbs[name] = bad
		}
		if bad[d.Instance] {
			return true
		}
	}
	return false
}
