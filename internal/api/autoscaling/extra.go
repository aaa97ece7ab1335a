package autoscaling

import (
	"fmt"
	"slices"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// registerExtra adds the handlers of warm pools, notifications, metrics
// collection, standby, instance health, instance refreshes, predictive
// forecasts and LaunchInstances.
func registerExtra(add func(string, api.Handler)) {
	add("PutWarmPool", putWarmPool)
	add("DescribeWarmPool", describeWarmPool)
	add("DeleteWarmPool", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.DeleteWarmPool(c.In.String("AutoScalingGroupName"))
	})
	add("PutNotificationConfiguration", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.PutNotificationConfiguration(c.In.String("AutoScalingGroupName"), c.In.String("TopicARN"), c.In.Strings("NotificationTypes"))
	})
	add("DeleteNotificationConfiguration", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.DeleteNotificationConfiguration(c.In.String("AutoScalingGroupName"), c.In.String("TopicARN"))
	})
	add("DescribeNotificationConfigurations", describeNotificationConfigurations)
	add("DescribeAutoScalingNotificationTypes", func(*api.Call) (map[string]any, error) {
		return map[string]any{"AutoScalingNotificationTypes": engine.ASGNotificationTypes}, nil
	})
	add("EnableMetricsCollection", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.EnableMetricsCollection(c.In.String("AutoScalingGroupName"), c.In.Strings("Metrics"), c.In.String("Granularity"), false)
	})
	add("DisableMetricsCollection", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.EnableMetricsCollection(c.In.String("AutoScalingGroupName"), c.In.Strings("Metrics"), "", true)
	})
	add("DescribeMetricCollectionTypes", func(*api.Call) (map[string]any, error) {
		metrics := make([]any, len(engine.ASGMetrics))
		for i, m := range engine.ASGMetrics {
			metrics[i] = map[string]any{"Metric": m}
		}
		return map[string]any{"Metrics": metrics, "Granularities": []any{map[string]any{"Granularity": "1Minute"}}}, nil
	})
	add("EnterStandby", func(c *api.Call) (map[string]any, error) {
		if !c.In.Has("ShouldDecrementDesiredCapacity") {
			return nil, validation("1 validation error detected: Value null at 'shouldDecrementDesiredCapacity' failed to satisfy constraint: Member must not be null")
		}
		acts, g, err := c.Engine.EnterStandby(c.In.String("AutoScalingGroupName"), instanceIDs(c.In), c.In.Bool("ShouldDecrementDesiredCapacity"))
		return activitiesOut(g, acts), err
	})
	add("ExitStandby", func(c *api.Call) (map[string]any, error) {
		acts, g, err := c.Engine.ExitStandby(c.In.String("AutoScalingGroupName"), instanceIDs(c.In))
		return activitiesOut(g, acts), err
	})
	add("SetInstanceHealth", func(c *api.Call) (map[string]any, error) {
		respect := !c.In.Has("ShouldRespectGracePeriod") || c.In.Bool("ShouldRespectGracePeriod")
		return nil, c.Engine.SetInstanceHealth(model.InstanceID(c.In.String("InstanceId")), c.In.String("HealthStatus"), respect)
	})
	add("StartInstanceRefresh", startInstanceRefresh)
	add("DescribeInstanceRefreshes", describeInstanceRefreshes)
	add("CancelInstanceRefresh", func(c *api.Call) (map[string]any, error) {
		id, err := c.Engine.CancelInstanceRefresh(c.In.String("AutoScalingGroupName"))
		return map[string]any{"InstanceRefreshId": id}, err
	})
	add("RollbackInstanceRefresh", func(c *api.Call) (map[string]any, error) {
		id, err := c.Engine.RollbackInstanceRefresh(c.In.String("AutoScalingGroupName"))
		return map[string]any{"InstanceRefreshId": id}, err
	})
	add("GetPredictiveScalingForecast", getPredictiveScalingForecast)
	add("LaunchInstances", launchInstances)
}

func activitiesOut(g *model.AutoScalingGroup, acts []model.ScalingActivity) map[string]any {
	out := make([]any, len(acts))
	for i, a := range acts {
		out[i] = activityOut(g, a)
	}
	return map[string]any{"Activities": out}
}

func putWarmPool(c *api.Call) (map[string]any, error) {
	w := model.WarmPool{MinSize: int(c.In.Int("MinSize")), PoolState: c.In.String("PoolState"), MaxGroupPreparedCapacity: c.In.OptInt("MaxGroupPreparedCapacity")}
	if p := c.In.Struct("InstanceReusePolicy"); p != nil && p.Has("ReuseOnScaleIn") {
		v := p.Bool("ReuseOnScaleIn")
		w.ReuseOnScaleIn = &v
	}
	return nil, c.Engine.PutWarmPool(c.In.String("AutoScalingGroupName"), w)
}

// warmPoolOut is a WarmPoolConfiguration (nil without a pool).
func warmPoolOut(w *model.WarmPool) any {
	if w == nil {
		return nil
	}
	out := map[string]any{"MinSize": w.MinSize, "PoolState": w.PoolState}
	if w.MaxGroupPreparedCapacity != nil {
		out["MaxGroupPreparedCapacity"] = *w.MaxGroupPreparedCapacity
	}
	if w.ReuseOnScaleIn != nil {
		out["InstanceReusePolicy"] = map[string]any{"ReuseOnScaleIn": *w.ReuseOnScaleIn}
	}
	return out
}

func describeWarmPool(c *api.Call) (map[string]any, error) {
	g, err := groupOrErr(c, c.In.String("AutoScalingGroupName"))
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(g.WarmInstances))
	for i, id := range g.WarmInstances {
		ids[i] = string(id)
	}
	ids, next, err := page(c.In, ids, func(s string) string { return s }, 50)
	if err != nil {
		return nil, err
	}
	list := []any{}
	c.Engine.Read(func(st *model.State) {
		for _, id := range ids {
			if i := st.Instances[model.InstanceID(id)]; i != nil {
				list = append(list, instanceOut(st, g, i, false))
			}
		}
	})
	return map[string]any{"WarmPoolConfiguration": warmPoolOut(g.WarmPool), "Instances": list, "NextToken": next}, nil
}

func describeNotificationConfigurations(c *api.Call) (map[string]any, error) {
	names := c.In.Strings("AutoScalingGroupNames")
	type row struct{ group, topic, typ string }
	var rows []row
	c.Engine.Read(func(st *model.State) {
		for _, g := range st.AutoScalingGroups {
			if len(names) > 0 && !slices.Contains(names, g.Name) {
				continue
			}
			for _, n := range g.Notifications {
				for _, typ := range n.Types {
					rows = append(rows, row{g.Name, n.TopicARN, typ})
				}
			}
		}
	})
	key := func(r row) string { return r.group + "\x00" + r.topic + "\x00" + r.typ }
	rows, next, err := page(c.In, rows, key, 100)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = map[string]any{"AutoScalingGroupName": r.group, "TopicARN": r.topic, "NotificationType": r.typ}
	}
	return map[string]any{"NotificationConfigurations": out, "NextToken": next}, nil
}

func startInstanceRefresh(c *api.Call) (map[string]any, error) {
	in := engine.StartInstanceRefreshInput{Group: c.In.String("AutoScalingGroupName"), Strategy: c.In.String("Strategy")}
	if d := c.In.Struct("DesiredConfiguration"); d != nil {
		if d.Has("MixedInstancesPolicy") {
			return nil, validation("ecsnet does not model a MixedInstancesPolicy in an instance refresh's desired configuration.")
		}
		in.Desired = launchTemplateIn(d)
	}
	if p := c.In.Struct("Preferences"); p != nil {
		in.MinHealthyPercentage, in.MaxHealthyPercentage = p.OptInt("MinHealthyPercentage"), p.OptInt("MaxHealthyPercentage")
		in.InstanceWarmup = p.OptInt("InstanceWarmup")
		in.SkipMatching, in.AutoRollback = p.Bool("SkipMatching"), p.Bool("AutoRollback")
		in.Preferences = map[string]any(p)
	}
	id, err := c.Engine.StartInstanceRefresh(in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"InstanceRefreshId": id}, nil
}

func describeInstanceRefreshes(c *api.Call) (map[string]any, error) {
	g, err := groupOrErr(c, c.In.String("AutoScalingGroupName"))
	if err != nil {
		return nil, err
	}
	ids := c.In.Strings("InstanceRefreshIds")
	var rows []model.InstanceRefresh
	for _, r := range g.InstanceRefreshes {
		if len(ids) == 0 || slices.Contains(ids, r.ID) {
			rows = append(rows, r)
		}
	}
	// Newest first. A refresh's key is its start time and id, compared
	// backwards: a refresh started between two pages comes before the
	// first, and a token whose refresh is gone since (a group keeps its
	// newest 50) goes on from the refreshes older than it.
	key := func(r model.InstanceRefresh) string { return fmt.Sprintf("%020d %s", r.StartTime.UnixNano(), r.ID) }
	rows, next, err := pageOrdered(c.In, rows, key, api.Descending, 100)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = refreshOut(c, g, r)
	}
	return map[string]any{"InstanceRefreshes": out, "NextToken": next}, nil
}

func refreshOut(c *api.Call, g *model.AutoScalingGroup, r model.InstanceRefresh) map[string]any {
	pct := 100
	if r.Total > 0 {
		pct = 100 * r.Replaced / r.Total
	}
	if r.Status == "Pending" {
		pct = 0
	}
	left := r.Total - r.Replaced
	prefs := map[string]any{}
	for k, v := range r.Preferences {
		prefs[k] = v
	}
	prefs["MinHealthyPercentage"] = r.MinHealthyPercentage
	prefs["MaxHealthyPercentage"] = r.MaxHealthyPercentage
	prefs["SkipMatching"] = r.SkipMatching
	prefs["AutoRollback"] = r.AutoRollback
	for k, v := range map[string]any{"ScaleInProtectedInstances": "Ignore", "StandbyInstances": "Ignore"} {
		if _, ok := prefs[k]; !ok {
			prefs[k] = v
		}
	}
	out := map[string]any{
		"InstanceRefreshId": r.ID, "AutoScalingGroupName": g.Name, "Status": r.Status, "StatusReason": api.Str(r.StatusReason),
		"StartTime": api.Time(r.StartTime), "EndTime": api.Time(r.EndTime), "PercentageComplete": pct, "InstancesToUpdate": left,
		"ProgressDetails": map[string]any{"LivePoolProgress": map[string]any{"PercentageComplete": pct, "InstancesToUpdate": left}},
		"Preferences":     api.Coerce(c.Op.Service.Shape("RefreshPreferences"), prefs),
		"Strategy":        r.Strategy,
	}
	if r.Desired != nil {
		out["DesiredConfiguration"] = map[string]any{"LaunchTemplate": launchTemplateOut(r.Desired)}
	}
	return out
}

// getPredictiveScalingForecast answers a forecast for a predictive
// scaling policy. ecsnet records no load history, so the forecast is
// flat: hourly points over the window, load 0 for each metric
// specification and capacity at the group's desired capacity (ecsnet's
// choice; AWS needs 24 hours of data to forecast at all).
func getPredictiveScalingForecast(c *api.Call) (map[string]any, error) {
	g, err := groupOrErr(c, c.In.String("AutoScalingGroupName"))
	if err != nil {
		return nil, err
	}
	name := c.In.String("PolicyName")
	i := slices.IndexFunc(g.Policies, func(p model.ScalingPolicy) bool { return p.Name == name })
	if i < 0 || g.Policies[i].Type != "PredictiveScaling" {
		return nil, validation("Predictive scaling policy %s not found for Auto Scaling group %s.", name, g.Name) // probable
	}
	start, end := c.In.Time("StartTime").UTC().Truncate(time.Hour), c.In.Time("EndTime").UTC()
	if !end.After(start) {
		return nil, validation("The end time must be after the start time.") // probable
	}
	if end.Sub(start) > 56*24*time.Hour {
		return nil, validation("The forecast window must not exceed 56 days.") // probable
	}
	var stamps []any
	var loads, caps []any
	for t := start; t.Before(end); t = t.Add(time.Hour) {
		stamps = append(stamps, t)
		loads = append(loads, 0.0)
		caps = append(caps, float64(g.DesiredCapacity))
	}
	var forecasts []any
	var specs []any
	if pc := g.Policies[i].Predictive; pc != nil {
		specs, _ = pc["MetricSpecifications"].([]any)
	}
	for _, s := range specs {
		forecasts = append(forecasts, map[string]any{"Timestamps": stamps, "Values": loads,
			"MetricSpecification": api.Coerce(c.Op.Service.Shape("PredictiveScalingMetricSpecification"), s)})
	}
	if forecasts == nil {
		forecasts = []any{}
	}
	return map[string]any{"LoadForecast": forecasts, "CapacityForecast": map[string]any{"Timestamps": stamps, "Values": caps},
		"UpdateTime": time.Now().UTC()}, nil
}

func launchInstances(c *api.Call) (map[string]any, error) {
	in := engine.LaunchInstancesInput{Group: c.In.String("AutoScalingGroupName"), Capacity: int(c.In.Int("RequestedCapacity")), Token: c.In.String("ClientToken")}
	if s := c.In.Strings("SubnetIds"); len(s) > 0 {
		in.Subnet = model.SubnetID(s[0])
	}
	if z := c.In.Strings("AvailabilityZones"); len(z) > 0 {
		in.Zone = z[0]
	}
	if c.In.Has("AvailabilityZoneIds") {
		return nil, validation("ecsnet does not model AvailabilityZoneIds in LaunchInstances; give AvailabilityZones or SubnetIds.")
	}
	insts, err := c.Engine.LaunchInstances(in)
	if err != nil {
		return nil, err
	}
	type key struct{ typ, subnet, az, azID string }
	byKey := map[key][]string{}
	var order []key
	zoneIDs := map[model.SubnetID]string{}
	c.Engine.Read(func(st *model.State) {
		for _, i := range insts {
			if s := st.Subnets[i.SubnetID]; s != nil {
				zoneIDs[s.ID] = s.AvailabilityZoneID
			}
		}
	})
	for _, i := range insts {
		k := key{i.Type, string(i.SubnetID), i.AvailabilityZone, zoneIDs[i.SubnetID]}
		if byKey[k] == nil {
			order = append(order, k)
		}
		byKey[k] = append(byKey[k], string(i.ID))
	}
	out := make([]any, len(order))
	for n, k := range order {
		out[n] = map[string]any{"InstanceType": k.typ, "MarketType": "on-demand", "SubnetId": k.subnet, "AvailabilityZone": k.az,
			"AvailabilityZoneId": api.Str(k.azID), "InstanceIds": byKey[k]}
	}
	return map[string]any{"AutoScalingGroupName": in.Group, "ClientToken": in.Token, "Instances": out, "Errors": []any{}}, nil
}
