package engine

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Auto Scaling warm pools, notifications, metrics collection, standby,
// instance health, instance refreshes and LaunchInstances. Texts marked
// "probable" are ecsnet's best reading where AWS publishes none
// (docs/aws-behavior.md, "Auto Scaling").

func cloneASGExtra(x model.ASGExtra) model.ASGExtra {
	if x.WarmPool != nil {
		w := *x.WarmPool
		x.WarmPool = &w
	}
	x.Notifications = slices.Clone(x.Notifications)
	for i := range x.Notifications {
		x.Notifications[i].Types = slices.Clone(x.Notifications[i].Types)
	}
	x.EnabledMetrics = slices.Clone(x.EnabledMetrics)
	x.InstanceRefreshes = slices.Clone(x.InstanceRefreshes)
	for i := range x.InstanceRefreshes {
		x.InstanceRefreshes[i].ToReplace = slices.Clone(x.InstanceRefreshes[i].ToReplace)
	}
	x.StandbyInstances = slices.Clone(x.StandbyInstances)
	x.LifecycleActions = slices.Clone(x.LifecycleActions)
	x.WarmInstances = slices.Clone(x.WarmInstances)
	x.UnhealthyInstances = slices.Clone(x.UnhealthyInstances)
	x.LaunchClientTokens = slices.Clone(x.LaunchClientTokens)
	x.Removing = slices.Clone(x.Removing)
	x.Added = slices.Clone(x.Added)
	return x
}

// ASGNotificationTypes are the notification types a group can send
// (DescribeAutoScalingNotificationTypes).
var ASGNotificationTypes = []string{"autoscaling:EC2_INSTANCE_LAUNCH", "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
	"autoscaling:EC2_INSTANCE_TERMINATE", "autoscaling:EC2_INSTANCE_TERMINATE_ERROR", "autoscaling:TEST_NOTIFICATION"}

// ASGMetrics are the group metrics whose collection can be enabled
// (DescribeMetricCollectionTypes), in AWS's order.
var ASGMetrics = []string{"GroupMinSize", "GroupMaxSize", "GroupDesiredCapacity", "GroupInServiceInstances",
	"GroupPendingInstances", "GroupStandbyInstances", "GroupTerminatingInstances", "GroupTotalInstances",
	"GroupInServiceCapacity", "GroupPendingCapacity", "GroupStandbyCapacity", "GroupTerminatingCapacity",
	"GroupTotalCapacity", "WarmPoolDesiredCapacity", "WarmPoolWarmedCapacity", "WarmPoolPendingCapacity",
	"WarmPoolTerminatingCapacity", "WarmPoolTotalCapacity", "GroupAndWarmPoolDesiredCapacity",
	"GroupAndWarmPoolTotalCapacity"}

// modifyASG runs f on a copy of group name and stores it.
func (e *Engine) modifyASG(name string, f func(t *txn, c *model.AutoScalingGroup) error) error {
	return e.write(func(t *txn) error {
		g, err := t.asg(name)
		if err != nil {
			return err
		}
		c := cloneASG(g)
		if err := f(t, c); err != nil {
			return err
		}
		t.putASG(c)
		return nil
	})
}

// PutWarmPool creates or replaces a group's warm pool configuration.
// MinSize defaults to 0 and PoolState to Stopped. The pool's instances are
// launched (and stopped or hibernated, as PoolState says) by the next
// Steps (fillWarmPool).
func (e *Engine) PutWarmPool(group string, w model.WarmPool) error {
	if w.PoolState == "" {
		w.PoolState = "Stopped"
	}
	if !slices.Contains([]string{"Stopped", "Running", "Hibernated"}, w.PoolState) {
		return errASGValidation("1 validation error detected: Value '%s' at 'poolState' failed to satisfy constraint: Member must satisfy enum value set: [Hibernated, Running, Stopped]", w.PoolState)
	}
	if w.MinSize < 0 {
		return errASGValidation("1 validation error detected: Value '%d' at 'minSize' failed to satisfy constraint: Member must have value greater than or equal to 0", w.MinSize)
	}
	if w.MaxGroupPreparedCapacity != nil && *w.MaxGroupPreparedCapacity < -1 {
		return errASGValidation("1 validation error detected: Value '%d' at 'maxGroupPreparedCapacity' failed to satisfy constraint: Member must have value greater than or equal to -1", *w.MaxGroupPreparedCapacity)
	}
	return e.modifyASG(group, func(t *txn, c *model.AutoScalingGroup) error {
		spotLC := c.LaunchConfiguration != "" && t.st.LaunchConfigurations[c.LaunchConfiguration] != nil &&
			t.st.LaunchConfigurations[c.LaunchConfiguration].SpotPrice != ""
		if spotLC || (c.MixedInstances != nil && c.MixedInstances.OnDemandPercentageAboveBase < 100) {
			// probable text
			return errASGValidation("You can't add a warm pool to an Auto Scaling group that has a mixed instances policy or a launch template or launch configuration that requests Spot Instances.")
		}
		if slices.ContainsFunc(c.InstanceRefreshes, func(r model.InstanceRefresh) bool { return r.Active() }) {
			return apierr.New("InstanceRefreshInProgress", "An Instance Refresh is already in progress and blocks the execution of this operation.") // probable
		}
		c.WarmPool = &w
		return nil
	})
}

// DeleteWarmPool deletes a group's warm pool and terminates its
// instances. It fails when the group has none.
func (e *Engine) DeleteWarmPool(group string) error {
	return e.modifyASG(group, func(t *txn, c *model.AutoScalingGroup) error {
		if c.WarmPool == nil {
			return errASGValidation("No warm pool found for Auto Scaling group %s.", group) // probable
		}
		for _, id := range c.WarmInstances {
			if i := t.st.Instances[id]; i != nil && i.State != model.InstanceShuttingDown && i.State != model.InstanceTerminated {
				t.terminate(id, userShutdownReason)
			}
		}
		c.WarmPool, c.WarmInstances = nil, nil
		return nil
	})
}

// WarmPoolSize is the number of instances a group's warm pool keeps, as
// AWS sizes it: the group's maximum prepared capacity
// (MaxGroupPreparedCapacity, by default the group's MaxSize) less its
// desired capacity, and at least the pool's MinSize.
func WarmPoolSize(g *model.AutoScalingGroup) int {
	w := g.WarmPool
	if w == nil {
		return 0
	}
	prepared := g.MaxSize
	if w.MaxGroupPreparedCapacity != nil && *w.MaxGroupPreparedCapacity >= 0 {
		prepared = *w.MaxGroupPreparedCapacity
	}
	return max(w.MinSize, prepared-g.DesiredCapacity, 0)
}

// WarmLifecycle is the lifecycle state of an instance in a warm pool of
// PoolState poolState: Warmed:Pending while it launches and is being
// stopped (or hibernated), then Warmed:Stopped, Warmed:Running or
// Warmed:Hibernated; Warmed:Terminating and Warmed:Terminated as it goes.
func WarmLifecycle(i *model.Instance, poolState string) string {
	switch i.State {
	case model.InstanceShuttingDown:
		return "Warmed:Terminating"
	case model.InstanceTerminated:
		return "Warmed:Terminated"
	case model.InstanceStopped:
		if poolState == "Hibernated" {
			return "Warmed:Hibernated"
		}
		return "Warmed:Stopped"
	case model.InstanceRunning:
		if poolState == "Running" {
			return "Warmed:Running"
		}
	}
	return "Warmed:Pending"
}

// fillWarmPool keeps a group's warm pool at its size: it forgets pool
// instances that ended, launches missing ones (each in the zone with the
// fewest pool instances), stops (or hibernates) running ones unless the
// pool keeps them running, and terminates the newest beyond the size.
func (t *txn) fillWarmPool(g *model.AutoScalingGroup) {
	if g.WarmPool == nil && len(g.WarmInstances) == 0 {
		return
	}
	c := cloneASG(g)
	changed := false
	c.WarmInstances = slices.DeleteFunc(c.WarmInstances, func(id model.InstanceID) bool {
		i := t.st.Instances[id]
		gone := i == nil || i.State == model.InstanceShuttingDown || i.State == model.InstanceTerminated || i.AutoScalingGroup != g.Name
		changed = changed || gone
		return gone
	})
	if c.WarmPool == nil {
		if changed {
			t.putASG(c)
		}
		return
	}
	size := WarmPoolSize(c)
	for len(c.WarmInstances) > size {
		// The newest instance leaves first.
		newest := 0
		for k, id := range c.WarmInstances {
			if newerInstance(t.st.Instances[id], t.st.Instances[c.WarmInstances[newest]]) {
				newest = k
			}
		}
		t.terminate(c.WarmInstances[newest], userShutdownReason)
		c.WarmInstances = slices.Delete(c.WarmInstances, newest, newest+1)
		changed = true
	}
	if len(c.WarmInstances) < size && !c.Suspended("Launch") {
		zones := t.asgZones(c)
		for len(c.WarmInstances) < size {
			var subnet *model.Subnet
			fewest := -1
			for _, z := range zones {
				if z.subnet == nil {
					continue
				}
				n := 0
				for _, id := range c.WarmInstances {
					if t.st.Instances[id].AvailabilityZone == z.subnet.AvailabilityZone {
						n++
					}
				}
				if fewest < 0 || n < fewest {
					subnet, fewest = z.subnet, n
				}
			}
			if subnet == nil {
				break
			}
			cp := t.asgCheckpoint()
			inst, err := t.asgLaunch(c, subnet)
			if err != nil {
				t.asgRewind(cp)
				break
			}
			c.WarmInstances = append(c.WarmInstances, inst.ID)
			c.LaunchCount++
			t.addActivity(c, "Launching a new EC2 instance into warm pool: "+string(inst.ID),
				fmt.Sprintf("At %s an instance was launched into the warm pool in response to a difference between the desired and actual warm pool size, increasing the warm pool size from %d to %d.",
					t.now.UTC().Format("2006-01-02T15:04:05Z"), len(c.WarmInstances)-1, len(c.WarmInstances)))
			changed = true
		}
	}
	if c.WarmPool.PoolState != "Running" {
		for _, id := range c.WarmInstances {
			if i := t.st.Instances[id]; i.State == model.InstanceRunning {
				s := *i
				s.State, s.StateReason = model.InstanceStopping, "Client.UserInitiatedShutdown: User initiated shutdown"
				put(t, model.KindInstance, t.st.Instances, id, &s)
				t.instanceDown(&s)
			}
		}
	}
	if changed {
		slices.Sort(c.WarmInstances)
		t.putASG(c)
	}
}

// takeFromWarmPool moves one instance of g's warm pool into the group,
// starting it when it is stopped: scale out draws on the pool before it
// launches new instances. It takes a warmed instance (stopped, hibernated
// or running, not one still being prepared) in the zone with the fewest
// of the group's instances, and reports whether it took one.
func (t *txn) takeFromWarmPool(g *model.AutoScalingGroup, zones []*asgZone, live int) bool {
	if g.WarmPool == nil || len(g.WarmInstances) == 0 {
		return false
	}
	count := map[string]int{}
	for _, z := range zones {
		if z.subnet != nil {
			count[z.subnet.AvailabilityZone] = len(z.live)
		}
	}
	var pick *model.Instance
	for _, id := range g.WarmInstances {
		i := t.st.Instances[id]
		if i == nil || (i.State != model.InstanceStopped && i.State != model.InstanceRunning) {
			continue // still being prepared
		}
		if i.State == model.InstanceRunning && g.WarmPool.PoolState != "Running" {
			continue // about to be stopped
		}
		if pick == nil || count[i.AvailabilityZone] < count[pick.AvailabilityZone] {
			pick = i
		}
	}
	if pick == nil {
		return false
	}
	c := cloneASG(g)
	c.WarmInstances = slices.DeleteFunc(c.WarmInstances, func(x model.InstanceID) bool { return x == pick.ID })
	if pick.State == model.InstanceStopped {
		s := *pick
		s.State, s.StateReason, s.LaunchTime = model.InstancePending, "", t.now
		put(t, model.KindInstance, t.st.Instances, s.ID, &s)
		if err := t.instanceUp(&s); err != nil {
			return false
		}
	}
	if g.NewInstancesProtected {
		c.ProtectedInstances = append(c.ProtectedInstances, pick.ID)
	}
	t.addActivity(c, "Launching a new EC2 instance from warm pool: "+string(pick.ID),
		fmt.Sprintf("At %s an instance was started in response to a difference between desired and actual capacity, increasing the capacity from %d to %d.",
			t.now.UTC().Format("2006-01-02T15:04:05Z"), live, live+ASGWeight(g, pick.Type)))
	t.putASG(c)
	return true
}

// PutNotificationConfiguration makes a group send notifications of the
// given types to an SNS topic (replacing the topic's types).
func (e *Engine) PutNotificationConfiguration(group, topic string, types []string) error {
	for _, typ := range types {
		if !slices.Contains(ASGNotificationTypes, typ) {
			return errASGValidation("Notification type %s is not valid. Valid types are: %s", typ, strings.Join(ASGNotificationTypes, ", ")) // probable
		}
	}
	if !strings.HasPrefix(topic, "arn:") {
		return errASGValidation("Invalid Topic ARN %s", topic) // probable
	}
	if !e.snsTopicARN(topic) {
		return errASGValidation("Unable to publish test message to notification target %s. Please check your target configuration and try again.", topic) // [choice]: the lifecycle hook's text's start
	}
	return e.modifyASG(group, func(t *txn, c *model.AutoScalingGroup) error {
		i := slices.IndexFunc(c.Notifications, func(n model.ASGNotification) bool { return n.TopicARN == topic })
		types = slices.Compact(slices.Sorted(slices.Values(types)))
		if i >= 0 {
			c.Notifications[i].Types = types
		} else {
			c.Notifications = append(c.Notifications, model.ASGNotification{TopicARN: topic, Types: types})
		}
		return nil
	})
}

// snsTopicARN reports whether arn can name an SNS topic Auto Scaling
// publishes its test notification to: arn:PARTITION:sns:REGION:ACCOUNT:NAME
// of the engine's partition, a 12-digit account and a topic name (up to
// 256 letters, digits, hyphens and underscores; a FIFO topic's ".fifo").
// ecsnet emulates no SNS, so a well-formed topic is taken to exist
// ([choice]); another service's ARN or a malformed one is not a topic.
func (e *Engine) snsTopicARN(arn string) bool {
	f := strings.SplitN(arn, ":", 6)
	if len(f) != 6 || f[1] != model.Partition(e.cfg.Region) || f[2] != "sns" || f[3] == "" || len(f[4]) != 12 {
		return false
	}
	for _, c := range f[4] {
		if c < '0' || c > '9' {
			return false
		}
	}
	name := strings.TrimSuffix(f[5], ".fifo")
	if name == "" || len(f[5]) > 256 {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// DeleteNotificationConfiguration stops a group's notifications to a
// topic.
func (e *Engine) DeleteNotificationConfiguration(group, topic string) error {
	return e.modifyASG(group, func(t *txn, c *model.AutoScalingGroup) error {
		i := slices.IndexFunc(c.Notifications, func(n model.ASGNotification) bool { return n.TopicARN == topic })
		if i < 0 {
			return errASGValidation("No notification configuration found for Auto Scaling group %s and topic %s", group, topic) // probable
		}
		c.Notifications = slices.Delete(c.Notifications, i, i+1)
		return nil
	})
}

// EnableMetricsCollection enables group metrics (all of them when metrics
// is empty) at the only granularity AWS has, 1Minute; disable removes
// them.
func (e *Engine) EnableMetricsCollection(group string, metrics []string, granularity string, disable bool) error {
	if !disable && granularity != "1Minute" {
		return errASGValidation("Valid granularity values are: [1Minute]") // probable
	}
	for _, m := range metrics {
		if !slices.Contains(ASGMetrics, m) {
			return errASGValidation("Metric %s is not valid. Valid metrics are: %s", m, strings.Join(ASGMetrics, ", ")) // probable
		}
	}
	if len(metrics) == 0 {
		metrics = ASGMetrics
	}
	return e.modifyASG(group, func(t *txn, c *model.AutoScalingGroup) error {
		for _, m := range metrics {
			c.EnabledMetrics = slices.DeleteFunc(c.EnabledMetrics, func(x model.EnabledMetric) bool { return x.Metric == m })
			if !disable {
				c.EnabledMetrics = append(c.EnabledMetrics, model.EnabledMetric{Metric: m, Granularity: granularity})
			}
		}
		return nil
	})
}

// EnterStandby moves InService instances of a group to Standby: they stay
// in the group but leave its load balancers and do not count towards its
// capacity. With decrement the desired capacity drops by their number
// (not below MinSize); without it the group launches replacements.
func (e *Engine) EnterStandby(group string, ids []model.InstanceID, decrement bool) ([]model.ScalingActivity, *model.AutoScalingGroup, error) {
	var out []model.ScalingActivity
	var res *model.AutoScalingGroup
	err := e.modifyASG(group, func(t *txn, c *model.AutoScalingGroup) error {
		for _, id := range ids {
			i := t.st.Instances[id]
			if i == nil || i.AutoScalingGroup != group || !i.Live() {
				return errASGValidation("The instance %s is not part of Auto Scaling group %s.", id, group)
			}
			if i.State != model.InstanceRunning || c.InStandby(id) || c.InWarmPool(id) {
				return errASGValidation("The instance %s is not in InService.", id) // probable
			}
		}
		before := c.DesiredCapacity
		if decrement {
			if c.DesiredCapacity-len(ids) < c.MinSize {
				return errASGValidation("AutoScalingGroup %s has min-size=%d, max-size=%d, and desired-size=%d. To place into standby %d instances, please update the AutoScalingGroup sizes appropriately.", // probable
					group, c.MinSize, c.MaxSize, c.DesiredCapacity, len(ids))
			}
			c.DesiredCapacity -= len(ids)
		}
		for _, id := range ids {
			for _, tg := range c.TargetGroupARNs {
				t.deregisterInstance(tg, id)
			}
			for _, lb := range c.LoadBalancerNames {
				t.clbRegister(lb, id, false)
			}
			c.StandbyInstances = append(c.StandbyInstances, id)
			cause := fmt.Sprintf("At %s instance %s was moved to standby in response to a user request", t.now.UTC().Format(time.RFC3339), id)
			if decrement {
				cause += fmt.Sprintf(", shrinking the capacity from %d to %d.", before, c.DesiredCapacity)
			} else {
				cause += "."
			}
			t.addActivity(c, "Moving EC2 instance to Standby: "+string(id), cause)
			a := c.Activities[0]
			a.StatusCode, a.EndTime = "InProgress", time.Time{}
			out = append(out, a)
		}
		slices.Sort(c.StandbyInstances)
		if !decrement {
			// The replacement launch starts with the request, as for
			// SetDesiredCapacity; modifyASG then stores c as scaleGroup
			// left it.
			t.putASG(c)
			t.scaleGroup(c)
			*c = *t.st.AutoScalingGroups[group]
		}
		res = c
		return nil
	})
	return out, res, err
}

// ExitStandby moves Standby instances of a group back to InService; the
// desired capacity grows by their number, but not above MaxSize: a group
// that did not decrement its capacity when the instances entered standby
// then has more instances than it needs, and Step terminates the excess
// (as-enter-exit-standby.html).
func (e *Engine) ExitStandby(group string, ids []model.InstanceID) ([]model.ScalingActivity, *model.AutoScalingGroup, error) {
	var out []model.ScalingActivity
	var res *model.AutoScalingGroup
	err := e.modifyASG(group, func(t *txn, c *model.AutoScalingGroup) error {
		for _, id := range ids {
			if !c.InStandby(id) {
				return errASGValidation("The instance %s is not in Standby.", id) // probable
			}
		}
		for _, id := range ids {
			before := c.DesiredCapacity
			// The desired capacity goes up by one, never above MaxSize: at
			// MaxSize the group now has an instance more than it needs,
			// and the next step's scale-in applies the termination policy.
			c.DesiredCapacity = min(c.DesiredCapacity+1, c.MaxSize)
			c.StandbyInstances = slices.DeleteFunc(c.StandbyInstances, func(x model.InstanceID) bool { return x == id })
			cause := fmt.Sprintf("At %s instance %s was moved out of standby in response to a user request, increasing the capacity from %d to %d.",
				t.now.UTC().Format(time.RFC3339), id, before, c.DesiredCapacity)
			if c.DesiredCapacity == before {
				cause = fmt.Sprintf("At %s instance %s was moved out of standby in response to a user request.", t.now.UTC().Format(time.RFC3339), id) // probable
			}
			t.addActivity(c, "Moving EC2 instance out of Standby: "+string(id), cause)
			a := c.Activities[0]
			a.StatusCode, a.EndTime = "PreInService", time.Time{}
			out = append(out, a)
		}
		res = c
		return nil
	})
	return out, res, err
}

// StartInstanceRefreshInput is StartInstanceRefresh's input.
type StartInstanceRefreshInput struct {
	Group                string
	Strategy             string
	Desired              *model.LaunchTemplateRef
	MinHealthyPercentage *int
	MaxHealthyPercentage *int
	InstanceWarmup       *int
	SkipMatching         bool
	AutoRollback         bool
	Preferences          map[string]any
}

// StartInstanceRefresh starts replacing a group's instances, a few at a
// time so that at least MinHealthyPercentage (default 90) of the desired
// capacity stays in service. A desired configuration replaces the
// group's launch template first; with SkipMatching the instances that
// already match it stay. Only one refresh runs at a time.
func (e *Engine) StartInstanceRefresh(in StartInstanceRefreshInput) (string, error) {
	if in.Strategy == "" {
		in.Strategy = "Rolling"
	}
	if in.Strategy != "Rolling" && in.Strategy != "ReplaceRootVolume" {
		return "", errASGValidation("1 validation error detected: Value '%s' at 'strategy' failed to satisfy constraint: Member must satisfy enum value set: [ReplaceRootVolume, Rolling]", in.Strategy)
	}
	minH, maxH := 90, 100
	if in.MinHealthyPercentage != nil {
		minH = *in.MinHealthyPercentage
	}
	if in.MaxHealthyPercentage != nil {
		maxH = *in.MaxHealthyPercentage
	}
	if minH < 0 || minH > 100 {
		return "", errASGValidation("1 validation error detected: Value '%d' at 'preferences.minHealthyPercentage' failed to satisfy constraint: Member must have value less than or equal to 100", minH)
	}
	if maxH < 100 || maxH > 200 || maxH-minH > 100 {
		return "", errASGValidation("The difference between MinHealthyPercentage and MaxHealthyPercentage must not exceed 100 and MaxHealthyPercentage must be between 100 and 200.") // probable
	}
	var id string
	err := e.modifyASG(in.Group, func(t *txn, c *model.AutoScalingGroup) error {
		if slices.ContainsFunc(c.InstanceRefreshes, func(r model.InstanceRefresh) bool { return r.Active() }) {
			return apierr.New("InstanceRefreshInProgress", "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.")
		}
		if in.SkipMatching && in.Desired == nil && c.LaunchTemplate == nil {
			return errASGValidation("SkipMatching is not supported for Auto Scaling groups that use a launch configuration.") // probable
		}
		if in.AutoRollback && in.Desired == nil {
			return errASGValidation("AutoRollback requires a desired configuration.") // probable
		}
		r := model.InstanceRefresh{ID: t.uuid(), Status: "Pending", StartTime: t.now, Strategy: in.Strategy,
			MinHealthyPercentage: minH, MaxHealthyPercentage: maxH, InstanceWarmup: in.InstanceWarmup,
			SkipMatching: in.SkipMatching, AutoRollback: in.AutoRollback, Preferences: in.Preferences}
		if c.LaunchTemplate != nil {
			prev := *c.LaunchTemplate
			r.PreviousTemplate = &prev
		}
		r.PreviousLaunchConfiguration = c.LaunchConfiguration
		if in.Desired != nil {
			var vpc model.VpcID
			if len(c.Subnets) > 0 {
				if s := t.st.Subnets[c.Subnets[0]]; s != nil {
					vpc = s.VpcID
				}
			}
			ref, err := t.asgLaunchSource(in.Desired, "", vpc, nil)
			if err != nil {
				return err
			}
			r.Desired = ref
			d := *ref
			c.LaunchTemplate, c.LaunchConfiguration = &d, ""
		}
		for _, inst := range t.asgInstances(c.Name) {
			if !inst.Live() || inst.State == model.InstanceShuttingDown || c.InStandby(inst.ID) || c.InWarmPool(inst.ID) {
				continue
			}
			if r.SkipMatching && c.LaunchTemplate != nil && inst.LaunchTemplate != nil && t.sameTemplate(*inst.LaunchTemplate, *c.LaunchTemplate) {
				continue
			}
			r.ToReplace = append(r.ToReplace, inst.ID)
		}
		r.Total = len(r.ToReplace)
		id = r.ID
		c.InstanceRefreshes = append([]model.InstanceRefresh{r}, c.InstanceRefreshes...)
		if len(c.InstanceRefreshes) > maxASGActivities {
			c.InstanceRefreshes = c.InstanceRefreshes[:maxASGActivities]
		}
		return nil
	})
	return id, err
}

// sameTemplate reports whether two references resolve to the same
// launch template version.
func (t *txn) sameTemplate(a, b model.LaunchTemplateRef) bool {
	ta, va := t.resolveTemplateVersion(a)
	tb, vb := t.resolveTemplateVersion(b)
	return ta != "" && ta == tb && va == vb
}

// resolveTemplateVersion returns a reference's template id and version
// number ("" when the template or version is gone).
func (t *txn) resolveTemplateVersion(r model.LaunchTemplateRef) (model.LaunchTemplateID, int) {
	lt, err := t.launchTemplate(r)
	if err != nil {
		return "", 0
	}
	v, ok := lt.Version(r.Version)
	if !ok {
		return "", 0
	}
	return lt.ID, v.Number
}

// CancelInstanceRefresh cancels the group's active instance refresh:
// instances already replaced stay. It returns the refresh's id.
func (e *Engine) CancelInstanceRefresh(group string) (string, error) {
	var id string
	err := e.modifyASG(group, func(t *txn, c *model.AutoScalingGroup) error {
		i := slices.IndexFunc(c.InstanceRefreshes, func(r model.InstanceRefresh) bool { return r.Active() && r.Status != "Cancelling" })
		if i < 0 {
			return apierr.Newf("ActiveInstanceRefreshNotFound", "No in progress or pending Instance Refresh found for Auto Scaling group %s", group)
		}
		c.InstanceRefreshes[i].Status = "Cancelling"
		id = c.InstanceRefreshes[i].ID
		return nil
	})
	return id, err
}

// RollbackInstanceRefresh rolls back the group's active instance refresh:
// the group's previous launch template (or configuration) comes back and
// the instances the refresh replaced are replaced again. A refresh
// without a desired configuration cannot be rolled back.
func (e *Engine) RollbackInstanceRefresh(group string) (string, error) {
	var id string
	err := e.modifyASG(group, func(t *txn, c *model.AutoScalingGroup) error {
		i := slices.IndexFunc(c.InstanceRefreshes, func(r model.InstanceRefresh) bool {
			return r.Status == "Pending" || r.Status == "InProgress" || r.Status == "Baking"
		})
		if i < 0 {
			return apierr.Newf("ActiveInstanceRefreshNotFound", "No in progress or pending Instance Refresh found for Auto Scaling group %s", group)
		}
		r := &c.InstanceRefreshes[i]
		if r.Desired == nil {
			return apierr.New("IrreversibleInstanceRefresh", "The instance refresh cannot be rolled back because it was started without a desired configuration.") // probable
		}
		c.LaunchTemplate, c.LaunchConfiguration = r.PreviousTemplate, r.PreviousLaunchConfiguration
		r.Status, r.StatusReason = "RollbackInProgress", "Rollback initiated by user request."
		r.ToReplace = nil
		for _, inst := range t.asgInstances(c.Name) {
			if inst.Live() && inst.State != model.InstanceShuttingDown && !c.InStandby(inst.ID) && !c.InWarmPool(inst.ID) && inst.LaunchTime.After(r.StartTime.Add(-time.Nanosecond)) {
				r.ToReplace = append(r.ToReplace, inst.ID)
			}
		}
		r.Total, r.Replaced = len(r.ToReplace), 0
		id = r.ID
		return nil
	})
	return id, err
}

// stepInstanceRefresh advances a group's active instance refresh by one
// replacement: it terminates the next instance to replace when the group
// keeps MinHealthyPercentage of its desired capacity in service without
// it, and finishes the refresh when every instance is replaced and the
// group is back at capacity.
func (t *txn) stepInstanceRefresh(g *model.AutoScalingGroup) {
	i := slices.IndexFunc(g.InstanceRefreshes, func(r model.InstanceRefresh) bool { return r.Active() })
	if i < 0 {
		return
	}
	c := cloneASG(g)
	r := &c.InstanceRefreshes[i]
	switch r.Status {
	case "Cancelling":
		r.Status, r.EndTime, r.StatusReason = "Cancelled", t.now, ""
		t.putASG(c)
		return
	case "Pending":
		r.Status = "InProgress"
	}
	if g.Suspended("InstanceRefresh") {
		t.putASG(c)
		return
	}
	inService, pending := 0, 0
	for _, inst := range t.asgInstances(c.Name) {
		if c.InStandby(inst.ID) || c.InWarmPool(inst.ID) {
			continue
		}
		switch {
		case c.Leaving(inst.ID) && inst.Live():
			// Draining from its load balancers or held by its termination
			// hooks: the refresh waits for it to go.
			pending++
		case inst.State == model.InstanceRunning:
			inService++
		case inst.State == model.InstancePending:
			pending++
		}
	}
	var left []model.InstanceID
	for _, id := range r.ToReplace {
		if inst := t.st.Instances[id]; inst != nil && inst.Live() && inst.State != model.InstanceShuttingDown && inst.AutoScalingGroup == c.Name && !c.Leaving(id) {
			left = append(left, id)
		}
	}
	r.Replaced = r.Total - len(left)
	if len(left) > 0 && pending == 0 {
		minInService := int(math.Ceil(float64(c.DesiredCapacity) * float64(r.MinHealthyPercentage) / 100))
		// At least one instance at a time, as AWS does when the minimum
		// would block every replacement.
		if inService-1 >= minInService || inService == c.DesiredCapacity && minInService >= c.DesiredCapacity {
			id := left[0]
			c.ProtectedInstances = slices.DeleteFunc(c.ProtectedInstances, func(x model.InstanceID) bool { return x == id })
			t.addActivity(c, "Terminating EC2 instance: "+string(id),
				fmt.Sprintf("At %s an instance was taken out of service in response to an instance refresh.", t.now.UTC().Format(time.RFC3339)))
			if t.takeOutOfService(c, id) {
				pending++ // draining or held: the refresh waits for it
			} else {
				inService--
			}
			left = left[1:]
			r.Replaced++
		}
	}
	if len(left) == 0 && pending == 0 && inService >= c.DesiredCapacity {
		if r.Status == "RollbackInProgress" {
			r.Status = "RollbackSuccessful"
		} else {
			r.Status = "Successful"
		}
		r.EndTime = t.now
	}
	t.putASG(c)
}

// LaunchInstancesInput is LaunchInstances' input.
type LaunchInstancesInput struct {
	Group    string
	Capacity int
	Token    string
	Subnet   model.SubnetID
	Zone     string
}

// LaunchInstances launches instances into a group at once, raising its
// desired capacity by their number (within MaxSize). A client token seen
// before answers the first call's instances again.
func (e *Engine) LaunchInstances(in LaunchInstancesInput) ([]*model.Instance, error) {
	if in.Capacity < 1 || in.Capacity > 100 {
		return nil, errASGValidation("1 validation error detected: Value '%d' at 'requestedCapacity' failed to satisfy constraint: Member must have value between 1 and 100", in.Capacity) // probable
	}
	var out []*model.Instance
	err := e.modifyASG(in.Group, func(t *txn, c *model.AutoScalingGroup) error {
		for _, tok := range c.LaunchClientTokens {
			if tok.Token == in.Token {
				if tok.Capacity != in.Capacity {
					return apierr.New("IdempotentParameterMismatch", "The client token has already been used with different parameters.") // probable
				}
				for _, id := range tok.Instances {
					if inst := t.st.Instances[id]; inst != nil {
						out = append(out, inst)
					}
				}
				return nil
			}
		}
		if c.DesiredCapacity+in.Capacity > c.MaxSize {
			return errASGValidation("New SetDesiredCapacity value %d is above max value %d for the AutoScalingGroup.", c.DesiredCapacity+in.Capacity, c.MaxSize)
		}
		var subnet *model.Subnet
		for _, id := range c.Subnets {
			s := t.st.Subnets[id]
			if s == nil {
				continue
			}
			if (in.Subnet == "" || s.ID == in.Subnet) && (in.Zone == "" || s.AvailabilityZone == in.Zone) {
				subnet = s
				break
			}
		}
		if subnet == nil {
			return errASGValidation("The subnet or Availability Zone you specified is not part of the Auto Scaling group %s.", c.Name) // probable
		}
		tok := model.LaunchToken{Token: in.Token, Capacity: in.Capacity}
		for range in.Capacity {
			inst, err := t.asgLaunch(c, subnet)
			if err != nil {
				return err
			}
			c.LaunchCount++
			c.DesiredCapacity++
			if c.NewInstancesProtected {
				c.ProtectedInstances = append(c.ProtectedInstances, inst.ID)
			}
			t.addActivity(c, "Launching a new EC2 instance: "+string(inst.ID),
				fmt.Sprintf("At %s an instance was launched in response to a LaunchInstances request, increasing the capacity from %d to %d.",
					t.now.UTC().Format(time.RFC3339), c.DesiredCapacity-1, c.DesiredCapacity))
			tok.Instances = append(tok.Instances, inst.ID)
			out = append(out, inst)
		}
		c.LaunchClientTokens = append(c.LaunchClientTokens, tok)
		if len(c.LaunchClientTokens) > 50 {
			c.LaunchClientTokens = c.LaunchClientTokens[1:]
		}
		return nil
	})
	return out, err
}

// pruneStandby forgets standby instances that left the group or ended.
func (t *txn) pruneStandby(g *model.AutoScalingGroup) {
	if len(g.StandbyInstances) == 0 {
		return
	}
	keep := slices.DeleteFunc(slices.Clone(g.StandbyInstances), func(id model.InstanceID) bool {
		i := t.st.Instances[id]
		return i == nil || !i.Live() || i.State == model.InstanceShuttingDown || i.AutoScalingGroup != g.Name
	})
	if len(keep) != len(g.StandbyInstances) {
		c := cloneASG(g)
		c.StandbyInstances = keep
		t.putASG(c)
	}
}
