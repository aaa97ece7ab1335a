package engine

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // ianaZone on machines without zoneinfo (405 KiB of the ecsnet binary)

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Auto Scaling policies, scheduled actions, processes, instance protection,
// lifecycle hooks, load balancer attachments and scaling activities. They
// live on the group (AWS deletes them with it). Texts marked "probable" are
// ecsnet's best reading where AWS publishes none (docs/aws-behavior.md).

const maxASGActivities = 50

// putASG stores a changed copy of a group.
func (t *txn) putASG(c *model.AutoScalingGroup) {
	put(t, model.KindAutoScalingGroup, t.st.AutoScalingGroups, c.Name, c)
}

// PutScalingPolicyInput is PutScalingPolicy's input.
type PutScalingPolicyInput struct {
	Group  string
	Policy model.ScalingPolicy // Name, Type and the type's fields; ARN is ignored
}

var adjustmentTypes = []string{"ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity"}

// PutScalingPolicy creates or replaces (by name) a scaling policy of a
// group and returns it with its ARN. As on AWS:
//   - PolicyType is SimpleScaling (default), StepScaling,
//     TargetTrackingScaling or PredictiveScaling;
//   - simple and step policies need an AdjustmentType; simple ones a
//     ScalingAdjustment, step ones StepAdjustments;
//   - target tracking needs a TargetTrackingConfiguration with exactly one
//     metric; AWS creates its two CloudWatch alarms (AlarmHigh, AlarmLow).
func (e *Engine) PutScalingPolicy(in PutScalingPolicyInput) (*model.ScalingPolicy, error) {
	p := in.Policy
	if p.Type == "" {
		p.Type = "SimpleScaling"
	}
	switch p.Type {
	case "SimpleScaling", "StepScaling":
		if p.TargetTracking != nil {
			return nil, errASGValidation("TargetTrackingConfiguration is not supported for policy type %s.", p.Type) // probable
		}
		if p.AdjustmentType == "" {
			return nil, errASGValidation("AdjustmentType is required for policy type %s.", p.Type) // probable
		}
		if !slices.Contains(adjustmentTypes, p.AdjustmentType) {
			return nil, errASGValidation("Invalid adjustment type %s.", p.AdjustmentType) // probable
		}
		if p.Type == "SimpleScaling" && p.ScalingAdjustment == nil {
			return nil, errASGValidation("ScalingAdjustment is required for policy type SimpleScaling.") // probable
		}
		if p.Type == "StepScaling" && len(p.StepAdjustments) == 0 {
			return nil, errASGValidation("StepAdjustments is required for policy type StepScaling.") // probable
		}
		if p.MinAdjustmentMagnitude != nil && p.AdjustmentType != "PercentChangeInCapacity" {
			return nil, errASGValidation("MinAdjustmentMagnitude is only supported for policies of adjustment type PercentChangeInCapacity.") // probable
		}
	case "TargetTrackingScaling":
		tt := p.TargetTracking
		if tt == nil {
			return nil, errASGValidation("TargetTrackingConfiguration is required for policy type TargetTrackingScaling.") // probable
		}
		if (tt.PredefinedMetricType == "") == (tt.MetricName == "" && len(tt.Metrics) == 0) {
			return nil, errASGValidation("Exactly one of PredefinedMetricSpecification or CustomizedMetricSpecification must be specified.") // probable
		}
		if err := checkCustomizedMetric(tt); err != nil {
			return nil, err
		}
	case "PredictiveScaling":
	default:
		return nil, errASGValidation("1 validation error detected: Value '%s' at 'policyType' failed to satisfy constraint: Member must be one of SimpleScaling, StepScaling, TargetTrackingScaling, PredictiveScaling", p.Type) // probable
	}
	var out *model.ScalingPolicy
	err := e.write(func(t *txn) error {
		g, err := t.asg(in.Group)
		if err != nil {
			return err
		}
		c := cloneASG(g)
		i := slices.IndexFunc(c.Policies, func(x model.ScalingPolicy) bool { return x.Name == p.Name })
		if i >= 0 {
			p.ARN = c.Policies[i].ARN
			c.Policies[i] = p
		} else {
			p.ARN = t.e.cfg.arn("autoscaling", fmt.Sprintf("scalingPolicy:%s:autoScalingGroupName/%s:policyName/%s",
				t.uuid(), g.Name, p.Name))
			c.Policies = append(c.Policies, p)
		}
		t.putASG(c)
		out = &p
		return nil
	})
	return out, err
}

// policy returns the named policy of a group (by name or ARN). Without a
// group, name is an ARN or the name of a policy of any group, as
// DescribePolicies looks policy names up across the Region's groups when no
// group is given; a name that more than one group's policies carry is
// refused, since it does not say which to act on.
func (t *txn) policy(group, name string) (*model.AutoScalingGroup, int, error) {
	if group != "" {
		g, err := t.asg(group)
		if err != nil {
			return nil, 0, err
		}
		if i := slices.IndexFunc(g.Policies, func(p model.ScalingPolicy) bool { return p.Name == name || p.ARN == name }); i >= 0 {
			return g, i, nil
		}
		return nil, 0, errASGValidation("No scaling policy found for service namespace: autoscaling, resource ID: autoScalingGroupName/%s, policy name: %s", group, name) // probable
	}
	var byName []*model.AutoScalingGroup
	for _, g := range sortedValues(t.st.AutoScalingGroups) {
		if i := slices.IndexFunc(g.Policies, func(p model.ScalingPolicy) bool { return p.ARN == name }); i >= 0 {
			return g, i, nil
		}
		if slices.ContainsFunc(g.Policies, func(p model.ScalingPolicy) bool { return p.Name == name }) {
			byName = append(byName, g)
		}
	}
	switch len(byName) {
	case 0:
		return nil, 0, errASGValidation("No scaling policy found for service namespace: autoscaling, policy name: %s", name) // probable
	case 1:
		g := byName[0]
		return g, slices.IndexFunc(g.Policies, func(p model.ScalingPolicy) bool { return p.Name == name }), nil
	}
	return nil, 0, errASGValidation("More than one Auto Scaling group has a scaling policy named %s: specify AutoScalingGroupName or the policy's ARN.", name) // probable
}

// DeletePolicy deletes a scaling policy (by name within a group, or by ARN).
func (e *Engine) DeletePolicy(group, name string) error {
	return e.write(func(t *txn) error {
		g, i, err := t.policy(group, name)
		if err != nil {
			return err
		}
		c := cloneASG(g)
		c.Policies = slices.Delete(c.Policies, i, i+1)
		t.putASG(c)
		return nil
	})
}

// ExecutePolicyInput is ExecutePolicy's input.
type ExecutePolicyInput struct {
	Group, Policy   string
	MetricValue     *float64
	BreachThreshold *float64
}

// ExecutePolicy runs a simple or step scaling policy now: the group's
// desired capacity changes by the policy's adjustment, within MinSize and
// MaxSize. PercentChangeInCapacity rounds as AWS documents: a change between
// 0 and 1 becomes 1, between -1 and 0 becomes -1, any other is truncated
// toward zero, and MinAdjustmentMagnitude is the least change. A step policy
// picks the step whose bounds hold MetricValue - BreachThreshold.
func (e *Engine) ExecutePolicy(in ExecutePolicyInput) error {
	return e.write(func(t *txn) error {
		g, i, err := t.policy(in.Group, in.Policy)
		if err != nil {
			return err
		}
		p := g.Policies[i]
		adj := 0
		switch p.Type {
		case "SimpleScaling":
			adj = *p.ScalingAdjustment
		case "StepScaling":
			if in.MetricValue == nil || in.BreachThreshold == nil {
				return errASGValidation("MetricValue and BreachThreshold are required when executing a policy of type StepScaling.") // probable
			}
			d := *in.MetricValue - *in.BreachThreshold
			found := false
			for _, s := range p.StepAdjustments {
				lo, hi := math.Inf(-1), math.Inf(1)
				if s.LowerBound != nil {
					lo = *s.LowerBound
				}
				if s.UpperBound != nil {
					hi = *s.UpperBound
				}
				if d >= lo && d < hi || (d == hi && math.IsInf(lo, -1)) {
					adj, found = s.ScalingAdjustment, true
					break
				}
			}
			if !found {
				return errASGValidation("The metric value %g does not fall within any of the step adjustments of policy %s.", d, p.Name) // probable
			}
		default:
			return errASGValidation("Policy type %s is not supported by ExecutePolicy; only SimpleScaling and StepScaling policies can be executed.", p.Type) // probable
		}
		desired := newCapacity(g.DesiredCapacity, p, adj)
		desired = max(g.MinSize, min(g.MaxSize, desired))
		if desired == g.DesiredCapacity {
			return nil
		}
		c := cloneASG(g)
		t.addActivity(c, fmt.Sprintf("Set desired capacity of %s from %d to %d", g.Name, g.DesiredCapacity, desired),
			fmt.Sprintf("At %s policy %s changed the desired capacity from %d to %d.", t.now.UTC().Format(time.RFC3339), p.Name, g.DesiredCapacity, desired))
		c.DesiredCapacity = desired
		t.putASG(c)
		t.scaleGroup(c)
		return nil
	})
}

// newCapacity applies an adjustment to the current capacity.
func newCapacity(cur int, p model.ScalingPolicy, adj int) int {
	switch p.AdjustmentType {
	case "ExactCapacity":
		return adj
	case "PercentChangeInCapacity":
		d := float64(cur) * float64(adj) / 100
		n := int(d) // truncates toward zero
		switch {
		case d > 0 && d < 1:
			n = 1
		case d < 0 && d > -1:
			n = -1
		}
		if m := p.MinAdjustmentMagnitude; m != nil && n != 0 && abs(n) < *m {
			if n > 0 {
				n = *m
			} else {
				n = -*m
			}
		}
		return cur + n
	}
	return cur + adj
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// addActivity records a successful scaling activity on c (a clone).
func (t *txn) addActivity(c *model.AutoScalingGroup, desc, cause string) {
	a := model.ScalingActivity{ID: t.uuid(), Description: desc, Cause: cause, StartTime: t.now, EndTime: t.now, StatusCode: "Successful"}
	c.Activities = append([]model.ScalingActivity{a}, c.Activities...)
	if len(c.Activities) > maxASGActivities {
		c.Activities = c.Activities[:maxASGActivities]
	}
}

// PutScheduledActions creates or replaces (by name) scheduled actions of a
// group. As on AWS an action needs at least one of MinSize, MaxSize and
// DesiredCapacity, a start time not in the past, and an end time after
// its start; a one-off action (no Recurrence) runs at its start time.
// Failed lists the actions that were refused, with AWS's error, for
// BatchPutScheduledUpdateGroupAction; with batch false the first failure is
// the call's error.
func (e *Engine) PutScheduledActions(group string, actions []model.ScheduledAction, batch bool) (failed []ScheduledActionFailure, err error) {
	err = e.write(func(t *txn) error {
		g, err := t.asg(group)
		if err != nil {
			return err
		}
		c := cloneASG(g)
		for _, a := range actions {
			if err := t.checkScheduledAction(a); err != nil {
				if !batch {
					return err
				}
				ae := apierr.As(err)
				failed = append(failed, ScheduledActionFailure{Name: a.Name, Code: ae.Code, Message: ae.Message})
				continue
			}
			if a.StartTime.IsZero() && a.Recurrence == "" {
				a.StartTime = t.now
			}
			i := slices.IndexFunc(c.ScheduledActions, func(x model.ScheduledAction) bool { return x.Name == a.Name })
			if i >= 0 {
				a.ARN = c.ScheduledActions[i].ARN
				c.ScheduledActions[i] = a
			} else {
				a.ARN = t.e.cfg.arn("autoscaling", fmt.Sprintf("scheduledUpdateGroupAction:%s:autoScalingGroupName/%s:scheduledActionName/%s",
					t.uuid(), g.Name, a.Name))
				c.ScheduledActions = append(c.ScheduledActions, a)
			}
		}
		t.putASG(c)
		return nil
	})
	return failed, err
}

// ScheduledActionFailure is one refused action of a batch.
type ScheduledActionFailure struct{ Name, Code, Message string }

func (t *txn) checkScheduledAction(a model.ScheduledAction) error {
	if a.Name == "" {
		return errASGValidation("1 validation error detected: Value null at 'scheduledActionName' failed to satisfy constraint: Member must not be null")
	}
	if a.MinSize == nil && a.MaxSize == nil && a.DesiredCapacity == nil {
		return errASGValidation("At least one of the properties MinSize, MaxSize or DesiredCapacity must be specified.") // probable
	}
	if !a.StartTime.IsZero() && a.StartTime.Before(t.now) {
		return errASGValidation("Given start time is in the past.")
	}
	if !a.EndTime.IsZero() && !a.StartTime.IsZero() && !a.EndTime.After(a.StartTime) {
		return errASGValidation("End time must be after start time.") // probable
	}
	if a.Recurrence != "" && !unixCronValid(a.Recurrence) {
		return errASGValidation("Given recurrence string %q is not a valid Unix cron expression.", a.Recurrence) // [choice] text
	}
	// The sizes an action sets must agree among themselves (those it
	// leaves out are the group's at the time it runs). AWS names the
	// desired capacity first: min 2, max 0, desired 0 is refused for the
	// desired capacity (buildkite/terraform-buildkite-elastic-ci-stack-for-aws#146).
	if a.DesiredCapacity != nil && a.MinSize != nil && *a.DesiredCapacity < *a.MinSize {
		return errASGValidation("Desired capacity must be greater than or equal to min size")
	}
	if a.DesiredCapacity != nil && a.MaxSize != nil && *a.DesiredCapacity > *a.MaxSize {
		return errASGValidation("Desired capacity must be less than or equal to max size") // [choice]: the observed text's counterpart
	}
	if a.MinSize != nil && a.MaxSize != nil && *a.MinSize > *a.MaxSize {
		return errASGValidation("Max size must be greater than or equal to min size") // [choice]
	}
	if a.TimeZone != "" && !ianaZone(a.TimeZone) {
		return errASGValidation("Invalid time zone: %s. Specify a canonical name of an IANA time zone, such as Etc/GMT+9 or Pacific/Tahiti.", a.TimeZone) // [choice] text
	}
	return nil
}

// ianaZone reports whether name is a time zone of the IANA database
// ("Valid values are the canonical names of the IANA time zones",
// PutScheduledUpdateGroupAction's TimeZone), as the embedded copy of the
// database (time/tzdata) knows it: Go's own "Local" is none.
func ianaZone(name string) bool {
	if name == "Local" {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}

// unixCronValid reports whether a scheduled action's Recurrence is a Unix
// cron expression, as Auto Scaling takes it: five fields (minute, hour,
// day of month, month, day of week), each a number in its range, a name
// (month, day of week), *, a range, a list or a step.
func unixCronValid(expr string) bool {
	f := strings.Fields(expr)
	if len(f) != 5 {
		return false
	}
	ranges := [5][2]int{{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}}
	for i, field := range f {
		if !cronFieldValid(field, ranges[i][0], ranges[i][1], i) {
			return false
		}
	}
	return true
}

// DeleteScheduledActions deletes scheduled actions of a group. With batch
// false a missing action is the call's error; with batch true (the Batch
// operation) it is returned among the failures.
func (e *Engine) DeleteScheduledActions(group string, names []string, batch bool) (failed []ScheduledActionFailure, err error) {
	err = e.write(func(t *txn) error {
		g, err := t.asg(group)
		if err != nil {
			return err
		}
		c := cloneASG(g)
		for _, n := range names {
			i := slices.IndexFunc(c.ScheduledActions, func(x model.ScheduledAction) bool { return x.Name == n })
			if i < 0 {
				msg := "Scheduled action name not found" // AWS's text (docs/aws-behavior.md)
				if !batch {
					return errASGValidation("%s", msg)
				}
				failed = append(failed, ScheduledActionFailure{Name: n, Code: "ValidationError", Message: msg})
				continue
			}
			c.ScheduledActions = slices.Delete(c.ScheduledActions, i, i+1)
		}
		t.putASG(c)
		return nil
	})
	return failed, err
}

// runScheduledActions applies the group's one-off actions whose start time
// has come (unless ScheduledActions is suspended) and forgets them, as AWS
// does; recurring actions are stored, not run.
func (t *txn) runScheduledActions(g *model.AutoScalingGroup) {
	if len(g.ScheduledActions) == 0 || g.Suspended("ScheduledActions") {
		return
	}
	var c *model.AutoScalingGroup
	for _, a := range g.ScheduledActions {
		if a.Recurrence != "" || a.StartTime.After(t.now) {
			continue
		}
		if c == nil {
			c = cloneASG(g)
		}
		if a.MinSize != nil {
			c.MinSize = *a.MinSize
		}
		if a.MaxSize != nil {
			c.MaxSize = *a.MaxSize
		}
		if a.DesiredCapacity != nil {
			c.DesiredCapacity = *a.DesiredCapacity
		}
		c.DesiredCapacity = max(c.MinSize, min(c.MaxSize, c.DesiredCapacity))
		c.ScheduledActions = slices.DeleteFunc(c.ScheduledActions, func(x model.ScheduledAction) bool { return x.Name == a.Name })
		t.addActivity(c, fmt.Sprintf("Scheduled action %s: desired capacity %d, min %d, max %d", a.Name, c.DesiredCapacity, c.MinSize, c.MaxSize),
			fmt.Sprintf("At %s a scheduled action update of AutoScalingGroup constraints to min: %d, max: %d, desired: %d changing the desired capacity from %d to %d.",
				a.StartTime.UTC().Format(time.RFC3339), c.MinSize, c.MaxSize, c.DesiredCapacity, g.DesiredCapacity, c.DesiredCapacity))
	}
	if c != nil {
		t.putASG(c)
	}
}

// SuspendProcesses suspends scaling processes of a group (all of them when
// processes is empty). ecsnet honours Launch, Terminate, AddToLoadBalancer
// and ScheduledActions; the others are stored.
func (e *Engine) SuspendProcesses(group string, processes []string, suspend bool) error {
	for _, p := range processes {
		if !slices.Contains(model.ScalingProcesses, p) {
			return errASGValidation("Process %s is not a valid process. Valid processes are: %s", p, strings.Join(model.ScalingProcesses, ", ")) // probable
		}
	}
	if len(processes) == 0 {
		processes = model.ScalingProcesses
	}
	return e.write(func(t *txn) error {
		g, err := t.asg(group)
		if err != nil {
			return err
		}
		c := cloneASG(g)
		for _, p := range processes {
			i := slices.IndexFunc(c.SuspendedProcesses, func(x model.SuspendedProcess) bool { return x.Name == p })
			switch {
			case suspend && i < 0:
				c.SuspendedProcesses = append(c.SuspendedProcesses, model.SuspendedProcess{Name: p,
					Reason: "User suspended at " + t.now.UTC().Format("2006-01-02T15:04:05Z")})
			case !suspend && i >= 0:
				c.SuspendedProcesses = slices.Delete(c.SuspendedProcesses, i, i+1)
			}
		}
		t.putASG(c)
		return nil
	})
}

// SetInstanceProtection protects instances of a group from scale in, or
// lifts the protection. Every instance must belong to the group.
func (e *Engine) SetInstanceProtection(group string, ids []model.InstanceID, protect bool) error {
	return e.write(func(t *txn) error {
		g, err := t.asg(group)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if i := t.st.Instances[id]; i == nil || i.AutoScalingGroup != group || !i.Live() {
				return errASGValidation("The instance %s is not part of Auto Scaling group %s.", id, group)
			}
		}
		c := cloneASG(g)
		for _, id := range ids {
			c.ProtectedInstances = slices.DeleteFunc(c.ProtectedInstances, func(x model.InstanceID) bool { return x == id })
			if protect {
				c.ProtectedInstances = append(c.ProtectedInstances, id)
			}
		}
		slices.Sort(c.ProtectedInstances)
		t.putASG(c)
		return nil
	})
}

// AttachTargetGroups adds target groups to a group (detach removes them and
// deregisters the group's instances from them). Attached target groups
// must exist; the group's total is at most 50.
func (e *Engine) AttachTargetGroups(group string, arns []string, detach bool) error {
	return e.AttachTrafficSources(group, arns, nil, detach)
}

// AttachTrafficSources attaches (detach: detaches) target groups and
// Classic Load Balancers to a group in one change: all of them or, on an
// error, none.
func (e *Engine) AttachTrafficSources(group string, arns, names []string, detach bool) error {
	return e.write(func(t *txn) error {
		g, err := t.asg(group)
		if err != nil {
			return err
		}
		c := cloneASG(g)
		if err := t.attachTargetGroups(g, c, arns, detach); err != nil {
			return err
		}
		if err := t.attachClassicLBs(g, c, names, detach); err != nil {
			return err
		}
		t.putASG(c)
		return nil
	})
}

// attachTargetGroups is AttachTargetGroups on c, the copy of g to store.
func (t *txn) attachTargetGroups(g, c *model.AutoScalingGroup, arns []string, detach bool) error {
	if len(arns) == 0 {
		return nil
	}
	next := slices.Clone(g.TargetGroupARNs)
	for _, a := range arns {
		if detach {
			next = slices.DeleteFunc(next, func(x string) bool { return x == a })
		} else if !slices.Contains(next, a) {
			next = append(next, a)
		}
	}
	if !detach {
		if err := t.asgTargetGroups(arns); err != nil {
			return err
		}
		if len(next) > maxASGTargetGroups {
			return errASGValidation("Too many Target Groups specified for this group. The limit is 50")
		}
		// Attached again: no longer Removing.
		c.Removing = slices.DeleteFunc(c.Removing, func(r model.RemovingLoadBalancer) bool { return slices.Contains(arns, r.TargetGroupARN) })
	}
	c.Added = attachedLater(c.Added, g.TargetGroupARNs, next)
	for _, old := range g.TargetGroupARNs {
		if !slices.Contains(next, old) {
			// The group's instances drain from the detached group
			// (its deregistration delay) as they would leaving it;
			// meanwhile the group lists it as Removing.
			var until time.Time
			for _, inst := range t.asgInstances(g.Name) {
				until = maxTime(until, t.drainInstanceTargets(old, inst.ID))
			}
			c.Removing = t.removing(c.Removing, model.RemovingLoadBalancer{TargetGroupARN: old, Until: until})
		}
	}
	c.TargetGroupARNs = next
	return nil
}

// attachedLater is a group's Added list after its load balancers of one
// kind went from before to after: those newly attached join it, those
// detached leave it.
func attachedLater(added, before, after []string) []string {
	added = slices.DeleteFunc(added, func(x string) bool { return slices.Contains(before, x) && !slices.Contains(after, x) })
	for _, x := range after {
		if !slices.Contains(before, x) && !slices.Contains(added, x) {
			added = append(added, x)
		}
	}
	return added
}

// PutLifecycleHook creates or replaces a lifecycle hook of a group. ecsnet
// stores hooks; instances do not wait in Pending:Wait or Terminating:Wait.
func (e *Engine) PutLifecycleHook(group string, h model.LifecycleHook) error {
	if err := checkLifecycleHook(&h); err != nil {
		return err
	}
	return e.write(func(t *txn) error {
		g, err := t.asg(group)
		if err != nil {
			return err
		}
		c := cloneASG(g)
		i := slices.IndexFunc(c.LifecycleHooks, func(x model.LifecycleHook) bool { return x.Name == h.Name })
		if i >= 0 {
			if h.Transition == "" {
				h.Transition = c.LifecycleHooks[i].Transition
			}
			c.LifecycleHooks[i] = h
		} else {
			if h.Transition == "" {
				return errASGValidation("1 validation error detected: Value null at 'lifecycleTransition' failed to satisfy constraint: Member must not be null") // probable
			}
			if len(c.LifecycleHooks) >= 50 {
				return apierr.New("LimitExceeded", "Lifecycle hooks limit exceeded: 50") // probable
			}
			c.LifecycleHooks = append(c.LifecycleHooks, h)
		}
		t.putASG(c)
		return nil
	})
}

// checkLifecycleHook validates a lifecycle hook and gives it AWS's
// defaults: DefaultResult ABANDON, HeartbeatTimeout 3600 s (30 to 7200).
// Its transition may be empty (PutLifecycleHook on an existing hook keeps
// the hook's).
func checkLifecycleHook(h *model.LifecycleHook) error {
	if h.Transition != "" && h.Transition != lifecycleLaunching && h.Transition != lifecycleTerminating {
		return errASGValidation("Invalid Lifecycle Transition %s", h.Transition) // probable
	}
	if h.DefaultResult == "" {
		h.DefaultResult = "ABANDON"
	}
	if h.DefaultResult != "CONTINUE" && h.DefaultResult != "ABANDON" {
		return errASGValidation("Invalid default result %s; valid values are CONTINUE and ABANDON.", h.DefaultResult) // probable
	}
	if h.HeartbeatTimeout == 0 {
		h.HeartbeatTimeout = 3600
	}
	if h.HeartbeatTimeout < 30 || h.HeartbeatTimeout > 7200 {
		return errASGValidation("Heartbeat timeout must be between 30 and 7200 seconds.") // probable
	}
	return nil
}

// DeleteLifecycleHook deletes a lifecycle hook of a group.
func (e *Engine) DeleteLifecycleHook(group, name string) error {
	return e.write(func(t *txn) error {
		g, err := t.asg(group)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(g.LifecycleHooks, func(x model.LifecycleHook) bool { return x.Name == name })
		if i < 0 {
			return errASGValidation("No Lifecycle Hook found with name %s for group %s", name, group) // probable
		}
		c := cloneASG(g)
		c.LifecycleHooks = slices.Delete(c.LifecycleHooks, i, i+1)
		t.putASG(c)
		return nil
	})
}

// TerminateInstanceInAutoScalingGroup terminates one instance of a group.
// With decrement the desired capacity drops by one (never below MinSize:
// AWS refuses); without it the group launches a replacement. It returns
// the activity.
func (e *Engine) TerminateInstanceInAutoScalingGroup(id model.InstanceID, decrement bool) (model.ScalingActivity, *model.AutoScalingGroup, error) {
	var act model.ScalingActivity
	var out *model.AutoScalingGroup
	err := e.write(func(t *txn) error {
		g, err := t.managedGroup(id)
		if err != nil {
			return err
		}
		c := cloneASG(g)
		if decrement {
			if g.DesiredCapacity <= g.MinSize {
				return errASGValidation("Currently, desiredSize equals minSize (%d). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.", g.MinSize)
			}
			c.DesiredCapacity--
		}
		c.ProtectedInstances = slices.DeleteFunc(c.ProtectedInstances, func(x model.InstanceID) bool { return x == id })
		cause := fmt.Sprintf("At %s instance %s was taken out of service in response to a user request", t.now.UTC().Format(time.RFC3339), id)
		if decrement {
			cause += fmt.Sprintf(", shrinking the capacity from %d to %d.", g.DesiredCapacity, c.DesiredCapacity)
		} else {
			cause += "."
		}
		t.addActivity(c, "Terminating EC2 instance: "+string(id), cause)
		if c.Leaving(id) {
			// Already on its way out (draining, or held by its termination
			// hooks): it goes now.
			for _, tg := range g.TargetGroupARNs {
				t.deregisterInstance(tg, id)
			}
			for _, lb := range g.LoadBalancerNames {
				t.clbRegister(lb, id, false)
			}
			for _, d := range c.Deregistering {
				if i := slices.IndexFunc(c.Activities, func(a model.ScalingActivity) bool { return a.ID == d.Activity }); d.Instance == id && i >= 0 {
					c.Activities[i].StatusCode, c.Activities[i].EndTime = "Successful", t.now
				}
			}
			c.Deregistering = slices.DeleteFunc(c.Deregistering, func(x model.DeregisteringInstance) bool { return x.Instance == id })
			t.terminate(id, userShutdownReason)
		} else {
			t.takeOutOfService(c, id)
		}
		act = c.Activities[0]
		if act.StatusCode == "Successful" {
			act.StatusCode, act.EndTime = "InProgress", time.Time{}
		}
		t.putASG(c)
		out = c
		return nil
	})
	return act, out, err
}

// asgClassicLBs checks that Classic Load Balancers exist.
func (t *txn) asgClassicLBs(names []string) error {
	for _, n := range names {
		if t.st.ClassicLoadBalancers[n] == nil {
			return errASGValidation("Provided Load Balancers may not be valid. Please ensure they exist and try again.")
		}
	}
	return nil
}

// AttachClassicLoadBalancers adds Classic Load Balancers to a group, or
// removes them (deregistering the group's instances).
func (e *Engine) AttachClassicLoadBalancers(group string, names []string, detach bool) error {
	return e.AttachTrafficSources(group, nil, names, detach)
}

// attachClassicLBs is AttachClassicLoadBalancers on c, the copy of g to
// store.
func (t *txn) attachClassicLBs(g, c *model.AutoScalingGroup, names []string, detach bool) error {
	for _, n := range names {
		if detach {
			attached := slices.Contains(c.LoadBalancerNames, n)
			c.LoadBalancerNames = slices.DeleteFunc(c.LoadBalancerNames, func(x string) bool { return x == n })
			var until time.Time
			for _, inst := range t.asgInstances(g.Name) {
				until = maxTime(until, t.drainClassicInstance(n, inst.ID)) // through connection draining, when on
			}
			if attached {
				c.Removing = t.removing(c.Removing, model.RemovingLoadBalancer{LoadBalancerName: n, Until: until})
			}
		} else if !slices.Contains(c.LoadBalancerNames, n) {
			c.Removing = slices.DeleteFunc(c.Removing, func(r model.RemovingLoadBalancer) bool { return r.LoadBalancerName == n })
			if err := t.asgClassicLBs([]string{n}); err != nil {
				return err
			}
			c.LoadBalancerNames = append(c.LoadBalancerNames, n)
		}
	}
	c.Added = attachedLater(c.Added, g.LoadBalancerNames, c.LoadBalancerNames)
	return nil
}

// AttachInstances adds running instances to a group: each must be in one
// of the group's zones and VPC and in no other group; the desired capacity
// grows by their number, within MaxSize. The group registers them in its
// load balancers as it does its own.
func (e *Engine) AttachInstances(group string, ids []model.InstanceID) error {
	return e.write(func(t *txn) error {
		g, err := t.asg(group)
		if err != nil {
			return err
		}
		zones := map[string]model.VpcID{}
		for _, s := range g.Subnets {
			if sub := t.st.Subnets[s]; sub != nil {
				zones[sub.AvailabilityZone] = sub.VpcID
			}
		}
		for _, id := range ids {
			i := t.st.Instances[id]
			if i == nil || i.State != model.InstanceRunning {
				return errASGValidation("Instance %s is not in a valid state. Instances must be running to be attached.", id) // probable
			}
			if i.AutoScalingGroup != "" {
				return errASGValidation("The instance %s is already part of the Auto Scaling group %s.", id, i.AutoScalingGroup) // probable
			}
			if vpc, ok := zones[i.AvailabilityZone]; !ok || vpc != i.VpcID {
				return errASGValidation("The instance %s is not in an Availability Zone or VPC of the Auto Scaling group %s.", id, group) // probable
			}
		}
		desired := g.DesiredCapacity + len(ids)
		if desired > g.MaxSize {
			return errASGValidation("New SetDesiredCapacity value %d is above max value %d for the AutoScalingGroup.", desired, g.MaxSize)
		}
		c := cloneASG(g)
		c.DesiredCapacity = desired
		for _, id := range ids {
			i := *t.st.Instances[id]
			i.AutoScalingGroup = group
			i.Tags = i.Tags.Clone()
			if i.Tags == nil {
				i.Tags = model.Tags{}
			}
			i.Tags[asgNameTag] = group
			put(t, model.KindInstance, t.st.Instances, i.ID, &i)
			t.addActivity(c, "Attaching an existing EC2 instance: "+string(id),
				fmt.Sprintf("At %s an instance was added in response to a user request.", t.now.UTC().Format(time.RFC3339)))
		}
		t.putASG(c)
		return nil
	})
}

// DetachInstances removes instances from a group (they keep running,
// without the aws:autoscaling:groupName tag AttachInstances and launches
// give them); with decrement the desired capacity shrinks by their number
// (not below MinSize), otherwise the group launches replacements.
func (e *Engine) DetachInstances(group string, ids []model.InstanceID, decrement bool) ([]model.ScalingActivity, error) {
	var out []model.ScalingActivity
	err := e.write(func(t *txn) error {
		g, err := t.asg(group)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if i := t.st.Instances[id]; i == nil || i.AutoScalingGroup != group || !i.Live() {
				return errASGValidation("The instance %s is not part of Auto Scaling group %s.", id, group)
			}
		}
		c := cloneASG(g)
		if decrement {
			if c.DesiredCapacity-len(ids) < c.MinSize {
				return errASGValidation("Currently, desiredSize equals minSize (%d). Detaching instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.", c.MinSize) // probable, after TerminateInstanceInAutoScalingGroup's
			}
			c.DesiredCapacity -= len(ids)
		}
		for _, id := range ids {
			for _, tg := range g.TargetGroupARNs {
				t.deregisterInstance(tg, id)
			}
			for _, lb := range g.LoadBalancerNames {
				t.clbRegister(lb, id, false)
			}
			i := *t.st.Instances[id]
			i.AutoScalingGroup = ""
			if _, ok := i.Tags[asgNameTag]; ok {
				i.Tags = i.Tags.Clone()
				delete(i.Tags, asgNameTag)
			}
			put(t, model.KindInstance, t.st.Instances, i.ID, &i)
			c.ProtectedInstances = slices.DeleteFunc(c.ProtectedInstances, func(x model.InstanceID) bool { return x == id })
			c.StandbyInstances = slices.DeleteFunc(c.StandbyInstances, func(x model.InstanceID) bool { return x == id })
			t.addActivity(c, "Detaching EC2 instance: "+string(id),
				fmt.Sprintf("At %s instance %s was detached in response to a user request.", t.now.UTC().Format(time.RFC3339), id))
			out = append(out, c.Activities[0])
		}
		t.putASG(c)
		if !decrement {
			t.scaleGroup(c) // the replacements' launch starts with the request
		}
		return nil
	})
	return out, err
}

// managedGroup returns the Auto Scaling group of a live instance it
// manages, or Auto Scaling's not-found error.
func (t *txn) managedGroup(id model.InstanceID) (*model.AutoScalingGroup, error) {
	inst := t.st.Instances[id]
	var g *model.AutoScalingGroup
	if inst != nil && inst.AutoScalingGroup != "" {
		g = t.st.AutoScalingGroups[inst.AutoScalingGroup]
	}
	if g == nil || !inst.Live() {
		return nil, errASGValidation("Instance Id not found - No managed instance found for instance ID: %s", id)
	}
	return g, nil
}

// The transitions of lifecycle hooks.
const (
	lifecycleLaunching   = "autoscaling:EC2_INSTANCE_LAUNCHING"
	lifecycleTerminating = "autoscaling:EC2_INSTANCE_TERMINATING"
)

// holdForTermination starts the termination hooks' actions for an
// instance that scale in takes out of c: it leaves the group's load
// balancers and capacity at once and is terminated when the actions end.
// It reports false, doing nothing, when c has no termination hook.
func (t *txn) holdForTermination(c *model.AutoScalingGroup, id model.InstanceID) bool {
	held := false
	for _, h := range c.LifecycleHooks {
		if h.Transition == lifecycleTerminating {
			c.LifecycleActions = append(c.LifecycleActions, model.LifecycleAction{Instance: id, Hook: h.Name, Token: t.uuid(), Terminating: true,
				Deadline: t.now.Add(time.Duration(h.HeartbeatTimeout) * time.Second)})
			held = true
		}
	}
	if held {
		for _, tg := range c.TargetGroupARNs {
			t.deregisterInstance(tg, id)
		}
		for _, lb := range c.LoadBalancerNames {
			t.clbRegister(lb, id, false)
		}
	}
	return held
}

// takeOutOfService starts terminating instance id of group c (a copy the
// caller puts), whose "Terminating EC2 instance" activity the caller has
// just added (c.Activities[0]), as Auto Scaling does: the instance is
// deregistered from the group's load balancers first; while they drain
// it (a target group's deregistration delay, a Classic Load Balancer's
// connection draining) it waits in Terminating and the activity is
// WaitingForELBConnectionDraining; then the group's termination lifecycle
// hooks hold it (Terminating:Wait), or it terminates. It reports whether
// the instance is still there, draining or held.
func (t *txn) takeOutOfService(c *model.AutoScalingGroup, id model.InstanceID) bool {
	var until time.Time
	for _, arn := range c.TargetGroupARNs {
		until = maxTime(until, t.drainInstanceTargets(arn, id))
	}
	for _, name := range c.LoadBalancerNames {
		until = maxTime(until, t.drainClassicInstance(name, id))
	}
	if until.After(t.now) {
		d := model.DeregisteringInstance{Instance: id, Until: until}
		if len(c.Activities) > 0 {
			a := &c.Activities[0]
			a.StatusCode, a.EndTime = "WaitingForELBConnectionDraining", time.Time{}
			d.Activity = a.ID
		}
		c.Deregistering = append(c.Deregistering, d)
		return true
	}
	if t.holdForTermination(c, id) {
		return true
	}
	t.terminate(id, userShutdownReason)
	return false
}

// drainInstanceTargets deregisters every target of an instance from a
// target group through draining (the group's deregistration delay) and
// returns when the last of them leaves (zero: at once).
func (t *txn) drainInstanceTargets(tgARN string, id model.InstanceID) time.Time {
	tg := t.st.TargetGroups[tgARN]
	if tg == nil {
		return time.Time{}
	}
	var until time.Time
	delay := t.deregistrationDelay(tg)
	for _, port := range slices.Clone(t.targetIndex(tg).ports[string(id)]) {
		// Each drain puts a new version of the group.
		until = maxTime(until, t.drainTarget(t.st.TargetGroups[tgARN], string(id), port, delay))
	}
	return until
}

// removing records a load balancer detached from a group as Removing
// until its instances have drained (replacing an earlier record of it);
// one with nothing left to drain is gone at once.
func (t *txn) removing(list []model.RemovingLoadBalancer, r model.RemovingLoadBalancer) []model.RemovingLoadBalancer {
	list = slices.DeleteFunc(list, func(x model.RemovingLoadBalancer) bool {
		return x.TargetGroupARN == r.TargetGroupARN && x.LoadBalancerName == r.LoadBalancerName
	})
	if t.due(r.Until) {
		return list
	}
	return append(list, r)
}

// endRemovals forgets the load balancers detached from g whose instances
// have drained: Auto Scaling no longer lists them.
func (t *txn) endRemovals(g *model.AutoScalingGroup) {
	if !slices.ContainsFunc(g.Removing, func(r model.RemovingLoadBalancer) bool { return t.due(r.Until) }) {
		return
	}
	c := cloneASG(g)
	c.Removing = slices.DeleteFunc(c.Removing, func(r model.RemovingLoadBalancer) bool { return t.due(r.Until) })
	t.putASG(c)
}

// maxTime is the later of a and b.
func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// endDeregistrations moves on the instances of g whose load balancers
// have drained them: their activity is done and they go on to the
// termination hooks, or terminate. Instances gone meanwhile are
// forgotten.
func (t *txn) endDeregistrations(g *model.AutoScalingGroup) {
	if len(g.Deregistering) == 0 {
		return
	}
	var c *model.AutoScalingGroup
	for _, d := range g.Deregistering {
		inst := t.st.Instances[d.Instance]
		live := inst != nil && inst.Live() && inst.AutoScalingGroup == g.Name
		if live && !t.due(d.Until) {
			continue
		}
		if c == nil {
			c = cloneASG(g)
		}
		c.Deregistering = slices.DeleteFunc(c.Deregistering, func(x model.DeregisteringInstance) bool { return x.Instance == d.Instance })
		if i := slices.IndexFunc(c.Activities, func(a model.ScalingActivity) bool { return a.ID == d.Activity }); i >= 0 {
			c.Activities[i].StatusCode, c.Activities[i].EndTime = "Successful", t.now
		}
		if live && !t.holdForTermination(c, d.Instance) {
			t.terminate(d.Instance, userShutdownReason)
		}
	}
	if c != nil {
		t.putASG(c)
	}
}

// LifecycleActionInput names a lifecycle action (CompleteLifecycleAction,
// RecordLifecycleActionHeartbeat): by its token or by the instance.
type LifecycleActionInput struct {
	Group, Hook, Token string
	Instance           model.InstanceID
	// Result is CONTINUE or ABANDON (CompleteLifecycleAction); "" records
	// a heartbeat.
	Result string
}

// LifecycleAction completes a launch lifecycle action or records its
// heartbeat. CONTINUE lets the instance go on to InService (it joins the
// group's load balancers at the next step) once no other hook holds it;
// ABANDON terminates it, and the group launches a replacement. A heartbeat
// moves the action's deadline HeartbeatTimeout from now.
func (e *Engine) LifecycleAction(in LifecycleActionInput) error {
	return e.modifyASG(in.Group, func(t *txn, c *model.AutoScalingGroup) error {
		hi := slices.IndexFunc(c.LifecycleHooks, func(h model.LifecycleHook) bool { return h.Name == in.Hook })
		if hi < 0 {
			return errASGValidation("No Lifecycle Hook found with name %s for group %s", in.Hook, c.Name) // probable
		}
		if in.Token == "" && in.Instance == "" {
			return errASGValidation("Either LifecycleActionToken or InstanceId must be specified.") // probable
		}
		ai := slices.IndexFunc(c.LifecycleActions, func(a model.LifecycleAction) bool {
			return a.Hook == in.Hook && (in.Token == "" || a.Token == in.Token) && (in.Instance == "" || a.Instance == in.Instance)
		})
		if ai < 0 {
			if in.Token != "" {
				return errASGValidation("No active Lifecycle Action found with token %s", in.Token)
			}
			return errASGValidation("No active Lifecycle Action found with instance ID %s", in.Instance)
		}
		switch in.Result {
		case "":
			c.LifecycleActions[ai].Deadline = t.now.Add(time.Duration(c.LifecycleHooks[hi].HeartbeatTimeout) * time.Second)
			return nil
		case "CONTINUE", "ABANDON":
		default:
			return errASGValidation("1 validation error detected: Value '%s' at 'lifecycleActionResult' failed to satisfy constraint: Member must satisfy enum value set: [CONTINUE, ABANDON]", in.Result) // probable
		}
		t.endLifecycleAction(c, ai, in.Result)
		return nil
	})
}

// endLifecycleAction removes c's action ai with result CONTINUE or
// ABANDON; an abandoned launch is terminated (with the instance's other
// actions), and the group replaces it.
func (t *txn) endLifecycleAction(c *model.AutoScalingGroup, ai int, result string) {
	id, terminating := c.LifecycleActions[ai].Instance, c.LifecycleActions[ai].Terminating
	c.LifecycleActions = slices.Delete(c.LifecycleActions, ai, ai+1)
	if terminating {
		// CONTINUE or ABANDON, the instance is terminated; ABANDON skips
		// the other termination hooks.
		if result == "ABANDON" {
			c.LifecycleActions = slices.DeleteFunc(c.LifecycleActions, func(a model.LifecycleAction) bool { return a.Instance == id })
		}
		if !c.Leaving(id) {
			if i := t.st.Instances[id]; i != nil && i.Live() {
				t.terminate(id, userShutdownReason)
			}
		}
		return
	}
	if result != "ABANDON" {
		return
	}
	c.LifecycleActions = slices.DeleteFunc(c.LifecycleActions, func(a model.LifecycleAction) bool { return a.Instance == id })
	if i := t.st.Instances[id]; i != nil && i.Live() {
		t.terminate(id, userShutdownReason)
		c.ProtectedInstances = slices.DeleteFunc(c.ProtectedInstances, func(x model.InstanceID) bool { return x == id })
		t.addActivity(c, "Terminating EC2 instance: "+string(id),
			fmt.Sprintf("At %s an instance was taken out of service in response to a launch lifecycle action that was abandoned.", t.now.UTC().Format(time.RFC3339))) // probable
	}
}

// expireLifecycleActions applies the hook's DefaultResult to the actions
// of g whose deadline has passed, and forgets those of instances gone.
func (t *txn) expireLifecycleActions(g *model.AutoScalingGroup) {
	if len(g.LifecycleActions) == 0 {
		return
	}
	c, changed := cloneASG(g), false
	for i := 0; i < len(c.LifecycleActions); {
		a := c.LifecycleActions[i]
		inst := t.st.Instances[a.Instance]
		hi := slices.IndexFunc(c.LifecycleHooks, func(h model.LifecycleHook) bool { return h.Name == a.Hook })
		switch {
		case inst == nil || !inst.Live() || inst.AutoScalingGroup != g.Name || hi < 0:
			c.LifecycleActions = slices.Delete(c.LifecycleActions, i, i+1)
			changed = true
		case !t.now.Before(a.Deadline):
			t.endLifecycleAction(c, i, c.LifecycleHooks[hi].DefaultResult) // removes action i
			changed = true
		default:
			i++
		}
	}
	if changed {
		t.putASG(c)
	}
}

// checkCustomizedMetric applies the rules of a target tracking policy's
// customized metric (CustomizedMetricSpecification's documentation): one
// metric (MetricName, Namespace, Statistic) or metric math (Metrics), not
// both; in metric math each query is either an Expression or a MetricStat,
// query ids are unique, and exactly one query returns data (ReturnData
// defaults to true); the period is 10, 30 or 60 seconds. The texts are
// ecsnet's.
func checkCustomizedMetric(tt *model.TargetTrackingConfiguration) error {
	if tt.Period != 0 && tt.Period != 10 && tt.Period != 30 && tt.Period != 60 {
		return errASGValidation("Period must be one of 10, 30 or 60 seconds.") // probable
	}
	if len(tt.Metrics) == 0 {
		return nil
	}
	if tt.MetricName != "" || tt.Namespace != "" || tt.Statistic != "" {
		return errASGValidation("CustomizedMetricSpecification must specify either a single metric (MetricName, Namespace and Statistic) or Metrics, but not both.") // probable
	}
	ids := map[string]bool{}
	returning := 0
	for _, q := range tt.Metrics {
		m, _ := q.(map[string]any)
		id, _ := m["Id"].(string)
		if ids[id] {
			return errASGValidation("The Id %s is used by more than one metric data query.", id) // probable
		}
		ids[id] = true
		_, expr := m["Expression"]
		_, stat := m["MetricStat"]
		if expr == stat {
			return errASGValidation("Metric data query %s must specify either Expression or MetricStat, but not both.", id) // probable
		}
		if rd, ok := m["ReturnData"].(bool); !ok || rd {
			returning++
		}
	}
	if returning != 1 {
		return errASGValidation("Exactly one metric data query must return data (ReturnData true); %d do.", returning) // probable
	}
	return nil
}
