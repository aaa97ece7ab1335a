// Package appautoscaling serves Application Auto Scaling (AWS JSON 1.1)
// for Amazon ECS services: scalable targets (a service's desired count
// between a minimum and a maximum), scaling policies, scheduled actions,
// scaling activities and tags. Other service namespaces are refused by
// the engine; describing one answers an empty list.
package appautoscaling

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the Application Auto Scaling handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("application-autoscaling", op, h) }
	add("RegisterScalableTarget", registerScalableTarget)
	add("DescribeScalableTargets", describeScalableTargets)
	add("DeregisterScalableTarget", deregisterScalableTarget)
	add("PutScalingPolicy", putScalingPolicy)
	add("DescribeScalingPolicies", describeScalingPolicies)
	add("DeleteScalingPolicy", deleteScalingPolicy)
	add("PutScheduledAction", putScheduledAction)
	add("DescribeScheduledActions", describeScheduledActions)
	add("DeleteScheduledAction", deleteScheduledAction)
	add("DescribeScalingActivities", describeScalingActivities)
	add("TagResource", tagResource)
	add("UntagResource", untagResource)
	add("ListTagsForResource", listTagsForResource)
}

// target reads the three members that name a scalable target.
func target(in awsproto.Params) (ns, res, dim string) {
	return in.String("ServiceNamespace"), in.String("ResourceId"), in.String("ScalableDimension")
}

func registerScalableTarget(c *api.Call) (map[string]any, error) {
	in := c.In
	ns, res, dim := target(in)
	ss := in.Struct("SuspendedState")
	st, err := c.Engine.RegisterScalableTarget(engine.RegisterScalableTargetInput{
		Namespace: ns, ResourceID: res, Dimension: dim,
		Min: in.OptInt("MinCapacity"), Max: in.OptInt("MaxCapacity"), RoleARN: in.String("RoleARN"),
		DynamicInSuspended:  ss.OptBool("DynamicScalingInSuspended"),
		DynamicOutSuspended: ss.OptBool("DynamicScalingOutSuspended"),
		ScheduledSuspended:  ss.OptBool("ScheduledScalingSuspended"),
		Tags:                model.Tags(in.StringMap("Tags")),
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ScalableTargetARN": st.ARN}, nil
}

func deregisterScalableTarget(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeregisterScalableTarget(target(c.In))
}

// page reads MaxResults (1 to 50, default 50).
func page(c *api.Call) (int, error) {
	n := c.In.IntOr("MaxResults", 50)
	if n < 1 || n > 50 {
		return 0, apierr.Newf("ValidationException", "1 validation error detected: Value '%d' at 'maxResults' failed to satisfy "+
			"constraint: Member must have value less than or equal to 50", n)
	}
	return int(n), nil
}

// paginate answers one page of items (sorted by key) under member.
func paginate[T any](c *api.Call, member string, items []T, key func(T) string, out func(T) map[string]any) (map[string]any, error) {
	n, err := page(c)
	if err != nil {
		return nil, err
	}
	pg, next, ok := api.Paginate(items, key, c.In.String("NextToken"), n)
	if !ok {
		return nil, apierr.New("InvalidNextTokenException", "Invalid NextToken") // probable
	}
	list := make([]any, len(pg))
	for i, x := range pg {
		list[i] = out(x)
	}
	res := map[string]any{member: list}
	if next != "" {
		res["NextToken"] = next
	}
	return res, nil
}

// matches reports whether a resource of the call's namespace matches its
// ResourceId (or ResourceIds) and ScalableDimension filters.
func matches(in awsproto.Params, ns, res, dim string) bool {
	if ns != in.String("ServiceNamespace") {
		return false
	}
	if d := in.String("ScalableDimension"); d != "" && d != dim {
		return false
	}
	if r := in.String("ResourceId"); r != "" && r != res {
		return false
	}
	if ids := in.Strings("ResourceIds"); len(ids) > 0 && !slices.Contains(ids, res) {
		return false
	}
	return true
}

// selectNamed returns the items of a target's named resources (policies,
// scheduled actions) that match the call's target filters and the names
// in member (all when none), sorted by their key, and that key.
func selectNamed[T any](c *api.Call, member string, all func(*model.State) map[string]*T,
	of func(*T) (ns, res, dim, name string)) ([]*T, func(*T) string) {
	names := c.In.Strings(member)
	var items []*T
	c.Engine.Read(func(st *model.State) {
		for _, x := range all(st) {
			ns, res, dim, name := of(x)
			if matches(c.In, ns, res, dim) && (len(names) == 0 || slices.Contains(names, name)) {
				items = append(items, x)
			}
		}
	})
	key := func(x *T) string {
		ns, res, dim, name := of(x)
		return model.AppScalingPolicyKey(model.ScalableTargetKey(ns, res, dim), name)
	}
	sort.Slice(items, func(i, j int) bool { return key(items[i]) < key(items[j]) })
	return items, key
}

func describeScalableTargets(c *api.Call) (map[string]any, error) {
	var items []*model.ScalableTarget
	c.Engine.Read(func(st *model.State) {
		for _, t := range st.ScalableTargets {
			if matches(c.In, t.Namespace, t.ResourceID, t.Dimension) {
				items = append(items, t)
			}
		}
	})
	key := func(t *model.ScalableTarget) string {
		return model.ScalableTargetKey(t.Namespace, t.ResourceID, t.Dimension)
	}
	sort.Slice(items, func(i, j int) bool { return key(items[i]) < key(items[j]) })
	return paginate(c, "ScalableTargets", items, key, func(t *model.ScalableTarget) map[string]any {
		return map[string]any{
			"ServiceNamespace":  t.Namespace,
			"ResourceId":        t.ResourceID,
			"ScalableDimension": t.Dimension,
			"MinCapacity":       t.Min,
			"MaxCapacity":       t.Max,
			"RoleARN":           t.RoleARN,
			"CreationTime":      t.Created,
			"ScalableTargetARN": t.ARN,
			"SuspendedState": map[string]any{
				"DynamicScalingInSuspended":  t.DynamicInSuspended,
				"DynamicScalingOutSuspended": t.DynamicOutSuspended,
				"ScheduledScalingSuspended":  t.ScheduledSuspended,
			},
		}
	})
}

// configMembers are PutScalingPolicy's configuration members, one per
// policy type.
var configMembers = []string{"TargetTrackingScalingPolicyConfiguration", "StepScalingPolicyConfiguration",
	"PredictiveScalingPolicyConfiguration"}

func putScalingPolicy(c *api.Call) (map[string]any, error) {
	in := c.In
	ns, res, dim := target(in)
	cfg := map[string]any{}
	for _, m := range configMembers {
		if v, ok := in.Lookup(m); ok {
			cfg[m] = v
		}
	}
	p, err := c.Engine.PutAppScalingPolicy(engine.AppScalingPolicyInput{Name: in.String("PolicyName"), Namespace: ns,
		ResourceID: res, Dimension: dim, Type: in.String("PolicyType"), Config: cfg})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"PolicyARN": p.ARN}
	if p.Type == "TargetTrackingScaling" {
		out["Alarms"] = alarms(c, p) // a step policy's alarms are the user's own
	}
	return out, nil
}

// alarms are the CloudWatch alarms a target tracking policy owns:
// TargetTracking-<resource id>-AlarmHigh-<uuid> and -AlarmLow-<uuid> (none
// for scale-in when scale-in is disabled); a step scaling policy's are the
// user's alarms whose actions name the policy.
func alarms(c *api.Call, p *model.AppScalingPolicy) []any {
	out := []any{}
	if p.Type != "TargetTrackingScaling" {
		// A step policy lists the CloudWatch alarms whose actions name it.
		c.Engine.Read(func(st *model.State) {
			for _, a := range engine.AlarmsWithAction(st, p.ARN) {
				out = append(out, map[string]any{"AlarmName": a.Name, "AlarmARN": a.ARN})
			}
		})
		return out
	}
	tt, _ := p.Config["TargetTrackingScalingPolicyConfiguration"].(map[string]any)
	noScaleIn, _ := tt["DisableScaleIn"].(bool)
	for _, a := range []struct{ kind, id string }{{"AlarmHigh", p.AlarmHigh}, {"AlarmLow", p.AlarmLow}} {
		if a.kind == "AlarmLow" && noScaleIn {
			continue
		}
		name := "TargetTracking-" + p.ResourceID + "-" + a.kind + "-" + a.id
		out = append(out, map[string]any{"AlarmName": name,
			"AlarmARN": "arn:" + model.Partition(c.Region) + ":cloudwatch:" + c.Region + ":" + c.Account + ":alarm:" + name})
	}
	return out
}

func describeScalingPolicies(c *api.Call) (map[string]any, error) {
	items, key := selectNamed(c, "PolicyNames", func(st *model.State) map[string]*model.AppScalingPolicy { return st.AppScalingPolicies },
		func(p *model.AppScalingPolicy) (string, string, string, string) {
			return p.Namespace, p.ResourceID, p.Dimension, p.Name
		})
	return paginate(c, "ScalingPolicies", items, key, func(p *model.AppScalingPolicy) map[string]any {
		out := map[string]any{
			"PolicyARN":         p.ARN,
			"PolicyName":        p.Name,
			"ServiceNamespace":  p.Namespace,
			"ResourceId":        p.ResourceID,
			"ScalableDimension": p.Dimension,
			"PolicyType":        p.Type,
			"Alarms":            alarms(c, p),
			"CreationTime":      p.Created,
		}
		for _, m := range configMembers {
			if v, ok := p.Config[m]; ok {
				// Stored as given; coerced to the model's types (the
				// store's JSON turns integers into floats).
				out[m] = api.Coerce(c.Op.Service.Shape(m), v)
			}
		}
		return out
	})
}

func deleteScalingPolicy(c *api.Call) (map[string]any, error) {
	ns, res, dim := target(c.In)
	return nil, c.Engine.DeleteAppScalingPolicy(ns, res, dim, c.In.String("PolicyName"))
}

func putScheduledAction(c *api.Call) (map[string]any, error) {
	in := c.In
	ns, res, dim := target(in)
	sta := in.Struct("ScalableTargetAction")
	_, err := c.Engine.PutAppScheduledAction(engine.AppScheduledActionInput{Name: in.String("ScheduledActionName"),
		Namespace: ns, ResourceID: res, Dimension: dim, Schedule: in.String("Schedule"), Timezone: in.String("Timezone"),
		Start: in.OptTime("StartTime"), End: in.OptTime("EndTime"),
		Min: sta.OptInt("MinCapacity"), Max: sta.OptInt("MaxCapacity")})
	return nil, err
}

func describeScheduledActions(c *api.Call) (map[string]any, error) {
	items, key := selectNamed(c, "ScheduledActionNames", func(st *model.State) map[string]*model.AppScheduledAction { return st.AppScheduledActions },
		func(a *model.AppScheduledAction) (string, string, string, string) {
			return a.Namespace, a.ResourceID, a.Dimension, a.Name
		})
	return paginate(c, "ScheduledActions", items, key, func(a *model.AppScheduledAction) map[string]any {
		out := map[string]any{
			"ScheduledActionName": a.Name,
			"ScheduledActionARN":  a.ARN,
			"ServiceNamespace":    a.Namespace,
			"Schedule":            a.Schedule,
			"ResourceId":          a.ResourceID,
			"ScalableDimension":   a.Dimension,
			"CreationTime":        a.Created,
		}
		if a.Timezone != "" {
			out["Timezone"] = a.Timezone
		}
		if !a.Start.IsZero() {
			out["StartTime"] = a.Start
		}
		if !a.End.IsZero() {
			out["EndTime"] = a.End
		}
		sta := map[string]any{}
		if a.Min != nil {
			sta["MinCapacity"] = *a.Min
		}
		if a.Max != nil {
			sta["MaxCapacity"] = *a.Max
		}
		out["ScalableTargetAction"] = sta
		return out
	})
}

func deleteScheduledAction(c *api.Call) (map[string]any, error) {
	ns, res, dim := target(c.In)
	return nil, c.Engine.DeleteAppScheduledAction(ns, res, dim, c.In.String("ScheduledActionName"))
}

func describeScalingActivities(c *api.Call) (map[string]any, error) {
	var items []*model.AppScalingActivity
	c.Engine.Read(func(st *model.State) {
		for _, a := range st.ScalingActivities {
			if matches(c.In, a.Namespace, a.ResourceID, a.Dimension) {
				items = append(items, a)
			}
		}
	})
	// Newest first, as AWS lists them; the key keeps that order.
	key := func(a *model.AppScalingActivity) string {
		return fmt.Sprintf("%020d", math.MaxInt64-a.Start.UnixNano()) + a.ID
	}
	sort.Slice(items, func(i, j int) bool {
		if !items[i].Start.Equal(items[j].Start) {
			return items[i].Start.After(items[j].Start)
		}
		return items[i].ID < items[j].ID
	})
	return paginate(c, "ScalingActivities", items, key, func(a *model.AppScalingActivity) map[string]any {
		return map[string]any{
			"ActivityId":        a.ID,
			"ServiceNamespace":  a.Namespace,
			"ResourceId":        a.ResourceID,
			"ScalableDimension": a.Dimension,
			"Description":       a.Description,
			"Cause":             a.Cause,
			"StartTime":         a.Start,
			"EndTime":           a.End,
			"StatusCode":        a.StatusCode,
			"StatusMessage":     a.StatusMessage,
		}
	})
}

func tagResource(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.TagScalableTarget(c.In.String("ResourceARN"), model.Tags(c.In.StringMap("Tags")), nil)
}

func untagResource(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.TagScalableTarget(c.In.String("ResourceARN"), nil, c.In.Strings("TagKeys"))
}

func listTagsForResource(c *api.Call) (map[string]any, error) {
	arn := c.In.String("ResourceARN")
	var tags model.Tags
	found := false
	c.Engine.Read(func(st *model.State) {
		if k := engine.ScalableTargetOfARN(st, arn); k != "" {
			tags, found = st.ScalableTargets[k].Tags, true
		}
	})
	if !found {
		return nil, apierr.Newf("ResourceNotFoundException", "No scalable target found for ARN: %s", arn) // probable
	}
	out := map[string]any{}
	for k, v := range tags {
		out[k] = v
	}
	return map[string]any{"Tags": out}, nil
}
