package engine

import (
	"container/heap"
	"slices"
	"strconv"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Elastic Load Balancing's transient health states, on a clock scaled by
// Config.ELBTimeScale (docs/aws-behavior.md):
//
//   - a target newly registered with a target group a load balancer
//     uses is "initial" (Elb.RegistrationInProgress until its first health
//     check, HealthCheckIntervalSeconds after registration, then
//     Elb.InitialHealthChecking) until it has passed the checks a new
//     target needs (one for an Application Load Balancer, "After your
//     target is registered, it must pass one health check to be
//     considered healthy"; HealthyThresholdCount for Network and Gateway
//     Load Balancers) or failed UnhealthyThresholdCount of them;
//   - a deregistered target is "draining" (Target.DeregistrationInProgress)
//     for the group's deregistration_delay.timeout_seconds, then gone;
//   - an instance newly registered with a Classic Load Balancer is
//     OutOfService ("Instance registration is still in progress.", then
//     "Instance has not passed the configured HealthyThreshold number of
//     health checks consecutively.") until HealthyThreshold checks passed.
//
// Which state a target settles on (healthy, unhealthy, unused, …) is the
// analyzer's: the engine knows no reachability and only says how long the
// way there takes. With ELBTimeScale zero (analyzed sources, scenario
// files) there is no way there: targets settle at once and deregistered
// ones leave at once.

// Target health reasons and descriptions of the transient states (ALB
// User Guide, "Health checks for Application Load Balancer target
// groups", reason codes).
const (
	ReasonRegistrationInProgress = "Elb.RegistrationInProgress"
	ReasonInitialHealthChecking  = "Elb.InitialHealthChecking"
	DescRegistrationInProgress   = "Target registration is in progress"
	DescInitialHealthChecking    = "Initial health checks in progress"

	// Classic Load Balancer descriptions (API InstanceState).
	ClassicDescRegistering   = "Instance registration is still in progress."
	ClassicDescNotYetHealthy = "Instance has not passed the configured HealthyThreshold number of health checks consecutively."
	ClassicDescDeregistering = "Instance deregistration currently in progress."
	ClassicDescNotRegistered = "Instance is not currently registered with the LoadBalancer."
)

// elbDuration is seconds of Elastic Load Balancing's time on the engine's
// clock: scaled by Config.ELBTimeScale (zero: no time at all).
func (c *Config) elbDuration(seconds int) time.Duration {
	if c.ELBTimeScale <= 0 || seconds <= 0 {
		return 0
	}
	return time.Duration(float64(seconds) * float64(time.Second) * c.ELBTimeScale)
}

// checksDone is how many health checks, interval seconds apart, ran
// between since and now: the first one interval after since. Many (as
// good as settled) when the engine scales no time or since is unknown.
func (c *Config) checksDone(since, now time.Time, interval int) int {
	d := c.elbDuration(interval)
	if d <= 0 || since.IsZero() {
		return 1 << 30
	}
	if now.Before(since) {
		return 0
	}
	return int(min(now.Sub(since)/d, 1<<30))
}

// InitialTargetHealth returns a function that says, for a target x of
// tg, whether it is still in its initial health checks at the engine's
// time (now), and with which reason and description: healthy is the state
// its checks settle on (healthy or unhealthy: the analyzer's). A target
// group no load balancer uses runs no checks (its targets are unused,
// never initial). st is a state the caller reads (SharedSnapshot); the
// function, made once per target group, costs O(1) a target.
func (e *Engine) InitialTargetHealth(st *model.State, tg *model.TargetGroup) func(x model.Target, healthy bool) (reason, desc string, initial bool) {
	never := func(model.Target, bool) (string, string, bool) { return "", "", false }
	if tg == nil || !tg.HealthCheck.Enabled || e.cfg.ELBTimeScale <= 0 {
		return never
	}
	lbs := targetGroupLoadBalancers(st, tg.ARN)
	if len(lbs) == 0 {
		return never
	}
	// An Application Load Balancer takes a new target after one check.
	alb := slices.ContainsFunc(lbs, func(arn string) bool { lb := st.LoadBalancers[arn]; return lb != nil && lb.Type == "application" })
	now, hc := e.Now(), tg.HealthCheck
	return func(x model.Target, healthy bool) (string, string, bool) {
		if x.Draining || x.RegisteredAt.IsZero() {
			return "", "", false
		}
		need := hc.UnhealthyThreshold
		if healthy {
			need = hc.HealthyThreshold
			if alb {
				need = 1
			}
		}
		switch n := e.cfg.checksDone(x.RegisteredAt, now, hc.IntervalSeconds); {
		case n == 0:
			return ReasonRegistrationInProgress, DescRegistrationInProgress, true
		case n < need:
			return ReasonInitialHealthChecking, DescInitialHealthChecking, true
		}
		return "", "", false
	}
}

// InitialClassicInstanceHealth says whether an instance registered with a
// Classic Load Balancer is still OutOfService for its first health checks,
// with the reason code and description: healthy is what its checks
// settle on (the analyzer's).
func (e *Engine) InitialClassicInstanceHealth(lb *model.ClassicLoadBalancer, id model.InstanceID, healthy bool) (reason, desc string, initial bool) {
	if lb == nil || e.cfg.ELBTimeScale <= 0 {
		return "", "", false
	}
	at, ok := lb.RegisteredAt[id]
	if !ok {
		return "", "", false
	}
	need := lb.HealthCheck.UnhealthyThreshold
	if healthy {
		need = lb.HealthCheck.HealthyThreshold
	}
	switch n := e.cfg.checksDone(at, e.Now(), lb.HealthCheck.Interval); {
	case n == 0:
		return "ELB", ClassicDescRegistering, true
	case n < need:
		return "Instance", ClassicDescNotYetHealthy, true
	}
	return "", "", false
}

// deregistrationDelay is how long a target deregistered from tg drains:
// its deregistration_delay.timeout_seconds (default 300), scaled; zero
// when no load balancer uses the group ([choice]: no node has
// connections to drain) or the engine scales no time.
func (t *txn) deregistrationDelay(tg *model.TargetGroup) time.Duration {
	if t.e.cfg.ELBTimeScale <= 0 || len(targetGroupLoadBalancers(t.st, tg.ARN)) == 0 {
		return 0
	}
	v := "300"
	for _, kv := range withOverrides(targetGroupAttributeDefaults(tg), tg.Attributes) {
		if kv[0] == "deregistration_delay.timeout_seconds" {
			v = kv[1]
		}
	}
	s, err := strconv.Atoi(v)
	if err != nil {
		return 0
	}
	return t.e.cfg.elbDuration(s)
}

// drainTarget deregisters the target (id, port) of tg through draining:
// it stays, Draining, until now+delay, when Step removes it
// (removeDrainedTargets). With no delay it goes at once. It returns when
// the target leaves (zero: it is gone already, or was never there).
func (t *txn) drainTarget(tg *model.TargetGroup, id string, port uint16, delay time.Duration) time.Time {
	if delay <= 0 {
		t.deregisterTarget(tg.ARN, id, port)
		return time.Time{}
	}
	ix := t.targetIndex(tg)
	seq, ok := ix.pos[targetKey{id, port}]
	if !ok {
		return time.Time{}
	}
	x, _ := tg.Targets.Get(seq)
	switch {
	case x.Draining && x.DrainUntil.IsZero():
		// A terminated instance's target, draining until deregistered.
		t.deregisterTarget(tg.ARN, id, port)
		return time.Time{}
	case x.Draining:
		return x.DrainUntil // its delay runs already
	}
	x.Draining, x.DrainUntil = true, t.now.Add(delay)
	t.setTargets(tg, ix, tg.Targets.Set(seq, x))
	t.mark(kindTarget, targetRecordID(tg.ARN, seq))
	t.pushDrain(targetRecordID(tg.ARN, seq), x.DrainUntil)
	return x.DrainUntil
}

// taskDrainEnd is when the last of a stopping service task's targets
// still draining leaves its target group (zero: none drains).
func (t *txn) taskDrainEnd(tk *model.Task) time.Time {
	var end time.Time
	for _, x := range t.taskTargets(tk) {
		tg := t.st.TargetGroups[x.tg]
		if tg == nil {
			continue
		}
		seq, ok := t.targetIndex(tg).pos[targetKey{x.target.ID, x.target.Port}]
		if !ok {
			continue
		}
		if y, _ := tg.Targets.Get(seq); y.Draining && y.DrainUntil.After(end) {
			end = y.DrainUntil
		}
	}
	return end
}

// pushDrain queues a draining target (by its record id) for removal at
// at; a stale entry (the target changed since) is dropped when popped.
func (t *txn) pushDrain(id string, at time.Time) {
	heap.Push(&t.e.idx.draining, dueTask{at: at, arn: id})
}

// removeDrainedTargets removes the targets whose deregistration delay has
// ended, at most budget of them, and reports how many it removed.
func (t *txn) removeDrainedTargets(budget int) int {
	return t.popDue(&t.e.idx.draining, 0, budget, func(d dueTask) bool {
		arn, seq, ok := parseTargetRecordID(d.arn)
		if !ok {
			return false
		}
		tg := t.st.TargetGroups[arn]
		if tg == nil {
			return false
		}
		y, ok := tg.Targets.Get(seq)
		if !ok || !y.Draining || !y.DrainUntil.Equal(d.at) {
			return false // stale: registered again, or already gone
		}
		t.deregisterTarget(arn, y.ID, y.Port)
		return true
	})
}

// EndDeletedServicesDraining ends at once the deregistration delay of the
// targets of every task of the deleted (DRAINING) ECS services named (by
// ARN), so that the tasks stop at the next Step: CloudFormation's delete of an
// AWS::ECS::Service (and the rollback of one) waits until the service is
// INACTIVE, its targets drained, before it deletes what the service
// stood on; ecsnet's stack operations run within the request, so that
// wait is taken at once. It reports whether a target was removed.
func (e *Engine) EndDeletedServicesDraining(serviceARNs []string) (bool, error) {
	return e.endDraining(func(svc *model.Service, _ *model.Task) bool {
		return svc.Status == "DRAINING" && slices.Contains(serviceARNs, svc.ARN)
	})
}

// EndDeletedTaskSetsDraining is EndDeletedServicesDraining for the tasks
// of deleted (DRAINING) task sets, named by id: CloudFormation's delete of
// an AWS::ECS::TaskSet waits until the task set is gone, its tasks
// stopped, before it deletes what they stood on (their security groups).
func (e *Engine) EndDeletedTaskSetsDraining(taskSetIDs []string) (bool, error) {
	return e.endDraining(func(svc *model.Service, tk *model.Task) bool {
		ts := svc.TaskSetOf(tk)
		return ts != nil && ts.Status == "DRAINING" && slices.Contains(taskSetIDs, ts.ID)
	})
}

// endDraining ends the deregistration delay of the targets of every live
// task of a service for which ended holds.
func (e *Engine) endDraining(ending func(svc *model.Service, tk *model.Task) bool) (bool, error) {
	var ended bool
	err := e.write(func(t *txn) error {
		for _, arn := range sortedKeys(t.st.Tasks) {
			tk := t.st.Tasks[arn]
			if tk.LastStatus == "STOPPED" {
				continue
			}
			svc := t.serviceOf(tk)
			if svc == nil || !ending(svc, tk) {
				continue
			}
			for _, x := range t.taskTargets(tk) {
				tg := t.st.TargetGroups[x.tg]
				if tg == nil {
					continue
				}
				seq, ok := t.targetIndex(tg).pos[targetKey{x.target.ID, x.target.Port}]
				if !ok {
					continue
				}
				if y, _ := tg.Targets.Get(seq); y.Draining {
					t.deregisterTarget(tg.ARN, y.ID, y.Port)
					ended = true
				}
			}
			if ended && tk.LastStatus == model.TaskDeactivating && tk.NextTransition.After(t.now) {
				// It waited for the drain: it moves on now.
				c := cloneTask(tk)
				c.NextTransition = t.now
				c.Version++
				t.putTask(c)
			}
		}
		return nil
	})
	return ended, err
}
