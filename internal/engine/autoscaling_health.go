package engine

import (
	"fmt"
	"slices"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// The health checks that mark an instance of a group Unhealthy, as the
// cause of the activity that terminates it names them ("At <time> an
// instance was taken out of service in response to <cause>.").
const (
	healthCauseUser = "a user health-check"
	healthCauseEC2  = "an EC2 health check indicating it has been terminated or stopped"
	healthCauseELB  = "a ELB system health check failure" // AWS's grammar
)

// SetInstanceHealth sets the health of an instance of a group. An
// Unhealthy instance is replaced (terminated, and the group launches
// another); with respectGrace (AWS's default) not before the group's
// health check grace period has passed since its launch.
func (e *Engine) SetInstanceHealth(id model.InstanceID, status string, respectGrace bool) error {
	if status != "Healthy" && status != "Unhealthy" {
		return errASGValidation("Valid health status values are: [Healthy, Unhealthy]") // probable
	}
	return e.write(func(t *txn) error {
		g, err := t.managedGroup(id)
		if err != nil {
			return err
		}
		c := cloneASG(g)
		c.UnhealthyInstances = slices.DeleteFunc(c.UnhealthyInstances, func(u model.UnhealthyInstance) bool { return u.ID == id })
		if status == "Unhealthy" {
			c.UnhealthyInstances = append(c.UnhealthyInstances, model.UnhealthyInstance{ID: id, RespectGrace: respectGrace})
		}
		t.putASG(c)
		return nil
	})
}

// ELBHealthCheck is an instance whose health Auto Scaling takes from its
// group's load balancers now.
type ELBHealthCheck struct {
	Group         string
	Instance      model.InstanceID
	TargetGroups  []string // the group's target groups (ARNs)
	LoadBalancers []string // the group's Classic Load Balancers
}

// elbCheckFrom reports when Auto Scaling starts acting on the load
// balancers' view of instance i of g, and whether it ever does: g's health
// check type is ELB, its HealthCheck process runs, it has load balancers,
// and i is InService (running, not waiting on a launch hook, leaving,
// in standby or in the warm pool) and not already Unhealthy. It starts
// when both the group's health check grace period after the launch and
// the time a load balancer needs to find a target unhealthy (its
// UnhealthyThreshold consecutive checks, Interval seconds apart; the
// longest of the group's load balancers, counted from the launch: the
// instance registers as soon as it runs) have passed.
func elbCheckFrom(st *model.State, g *model.AutoScalingGroup, i *model.Instance) (time.Time, bool) {
	if !g.ELBHealthCheck() || g.Suspended("HealthCheck") || len(g.TargetGroupARNs)+len(g.LoadBalancerNames) == 0 {
		return time.Time{}, false
	}
	if i == nil || i.State != model.InstanceRunning || i.AutoScalingGroup != g.Name ||
		g.Waiting(i.ID) || g.Leaving(i.ID) || g.InStandby(i.ID) || g.InWarmPool(i.ID) || g.Unhealthy(i.ID) {
		return time.Time{}, false
	}
	wait := g.HealthCheckGracePeriod
	for _, arn := range g.TargetGroupARNs {
		if tg := st.TargetGroups[arn]; tg != nil && tg.HealthCheck.Enabled {
			wait = max(wait, tg.HealthCheck.UnhealthyThreshold*tg.HealthCheck.IntervalSeconds)
		}
	}
	for _, name := range g.LoadBalancerNames {
		if lb := st.ClassicLoadBalancers[name]; lb != nil {
			wait = max(wait, lb.HealthCheck.UnhealthyThreshold*lb.HealthCheck.Interval)
		}
	}
	return i.LaunchTime.Add(time.Duration(wait) * time.Second), true
}

// ELBHealthChecks lists, in group and instance order, the instances whose
// load balancers' health Auto Scaling acts on now (groups with health
// check type ELB, instances InService past the grace period), and when
// the next instance's grace period ends (zero: none is pending). The
// caller asks the load balancers (the analyzer) and reports the unhealthy
// ones with ReportELBUnhealthy.
func (e *Engine) ELBHealthChecks() (due []ELBHealthCheck, next time.Time) {
	now := e.Now()
	if e.dry != nil {
		return e.elbHealthChecks(now)
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	ht := e.holds.startHold()
	due, next = e.elbHealthChecks(now)
	e.holds.endHold(ht, "ELBHealthChecks", 0, false)
	return due, next
}

// elbHealthChecks is ELBHealthChecks under the lock; it allocates nothing
// when no group uses ELB health checks (the server asks every few
// seconds).
func (e *Engine) elbHealthChecks(now time.Time) (due []ELBHealthCheck, next time.Time) {
	st := e.st
	var groups []string
	for name, g := range st.AutoScalingGroups {
		if g.ELBHealthCheck() {
			groups = append(groups, name)
		}
	}
	slices.Sort(groups)
	for _, name := range groups {
		g := st.AutoScalingGroups[name]
		for _, id := range sortedKeys(e.idx.asgMembers[g.Name]) {
			from, ok := elbCheckFrom(st, g, st.Instances[id])
			switch {
			case !ok:
			case now.Before(from):
				if next.IsZero() || from.Before(next) {
					next = from
				}
			default:
				due = append(due, ELBHealthCheck{Group: g.Name, Instance: id,
					TargetGroups: slices.Clone(g.TargetGroupARNs), LoadBalancers: slices.Clone(g.LoadBalancerNames)})
			}
		}
	}
	return due, next
}

// ReportELBUnhealthy marks instances of group Unhealthy because one of the
// group's load balancers reports them unhealthy (the ELB health check);
// the next Step replaces them unless ReplaceUnhealthy is suspended. An
// instance that is no longer checked (see ELBHealthChecks) is left alone,
// so a report that raced a change does nothing.
func (e *Engine) ReportELBUnhealthy(group string, ids []model.InstanceID) error {
	return e.write(func(t *txn) error {
		g := t.st.AutoScalingGroups[group]
		if g == nil {
			return nil
		}
		var c *model.AutoScalingGroup
		for _, id := range ids {
			from, ok := elbCheckFrom(t.st, g, t.st.Instances[id])
			if !ok || t.now.Before(from) || (c != nil && c.Unhealthy(id)) {
				continue
			}
			if c == nil {
				c = cloneASG(g)
			}
			c.UnhealthyInstances = append(c.UnhealthyInstances, model.UnhealthyInstance{ID: id, Cause: healthCauseELB})
		}
		if c != nil {
			t.putASG(c)
		}
		return nil
	})
}

// markStoppedUnhealthy is the EC2 health check of g: an instance stopped
// or stopping outside Auto Scaling (not in the warm pool, not in standby)
// is Unhealthy. Instances terminated outside Auto Scaling are marked by
// TerminateInstances (markTerminatedUnhealthy). Nothing is marked while
// the HealthCheck process is suspended.
func (t *txn) markStoppedUnhealthy(g *model.AutoScalingGroup) {
	if g.Suspended("HealthCheck") {
		return
	}
	var stopped []model.InstanceID // rare: the loop allocates nothing otherwise
	for id := range t.e.idx.asgMembers[g.Name] {
		i := t.st.Instances[id]
		if i == nil || (i.State != model.InstanceStopped && i.State != model.InstanceStopping) ||
			g.InWarmPool(id) || g.InStandby(id) || g.Unhealthy(id) {
			continue
		}
		stopped = append(stopped, id)
	}
	if len(stopped) == 0 {
		return
	}
	slices.Sort(stopped)
	c := cloneASG(g)
	for _, id := range stopped {
		c.UnhealthyInstances = append(c.UnhealthyInstances, model.UnhealthyInstance{ID: id, Cause: healthCauseEC2})
	}
	t.putASG(c)
}

// markTerminatedUnhealthy is the EC2 health check of an instance of a
// group that TerminateInstances terminates (outside Auto Scaling): the
// group marks it Unhealthy, and replaceUnhealthy records the activity.
func (t *txn) markTerminatedUnhealthy(i *model.Instance) {
	if i.AutoScalingGroup == "" || !i.Live() {
		return
	}
	g := t.st.AutoScalingGroups[i.AutoScalingGroup]
	if g == nil || g.Suspended("HealthCheck") || g.InWarmPool(i.ID) || g.InStandby(i.ID) || g.Leaving(i.ID) || g.Unhealthy(i.ID) {
		return
	}
	c := cloneASG(g)
	c.UnhealthyInstances = append(c.UnhealthyInstances, model.UnhealthyInstance{ID: i.ID, Cause: healthCauseEC2})
	t.putASG(c)
}

// replaceUnhealthy takes the group's unhealthy instances out of service
// (unless ReplaceUnhealthy is suspended), each with a "Terminating EC2
// instance" activity whose cause names the health check; scaleGroup then
// launches their replacements. A running instance waits for the grace
// period when it was marked so (SetInstanceHealth respecting it; the ELB
// health check marks none before it ends); it goes through the group's
// termination lifecycle hooks, and scale-in protection does not keep it.
// A stopped one is terminated at once; one terminated outside Auto
// Scaling gets its activity only.
func (t *txn) replaceUnhealthy(g *model.AutoScalingGroup) {
	if len(g.UnhealthyInstances) == 0 || g.Suspended("ReplaceUnhealthy") {
		return
	}
	c, changed := cloneASG(g), false
	keep := c.UnhealthyInstances[:0]
	out := func(id model.InstanceID, cause string) {
		if cause == "" {
			cause = healthCauseUser
		}
		t.addActivity(c, "Terminating EC2 instance: "+string(id),
			fmt.Sprintf("At %s an instance was taken out of service in response to %s.", t.now.UTC().Format(time.RFC3339), cause))
		c.ProtectedInstances = slices.DeleteFunc(c.ProtectedInstances, func(x model.InstanceID) bool { return x == id })
		c.StandbyInstances = slices.DeleteFunc(c.StandbyInstances, func(x model.InstanceID) bool { return x == id })
		changed = true
	}
	for _, u := range g.UnhealthyInstances {
		i := t.st.Instances[u.ID]
		switch {
		case i == nil || i.AutoScalingGroup != g.Name:
			changed = true // gone from the group
		case i.State == model.InstanceTerminated || i.State == model.InstanceShuttingDown:
			if u.Cause == healthCauseEC2 {
				out(u.ID, u.Cause) // terminated outside Auto Scaling
			}
			changed = true
		case g.Leaving(u.ID):
			keep = append(keep, u) // draining, or its termination hooks hold it
		case i.Live() && u.RespectGrace && t.now.Before(i.LaunchTime.Add(time.Duration(g.HealthCheckGracePeriod)*time.Second)):
			keep = append(keep, u)
		case i.Live():
			out(u.ID, u.Cause)
			if t.takeOutOfService(c, u.ID) {
				keep = append(keep, u) // its load balancers drain it, or its termination hooks hold it
			}
		default: // stopped or stopping
			out(u.ID, u.Cause)
			t.terminate(u.ID, userShutdownReason)
		}
	}
	if changed {
		c.UnhealthyInstances = keep
		t.putASG(c)
	}
}
