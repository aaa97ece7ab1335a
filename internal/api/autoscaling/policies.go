package autoscaling

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// registerOps adds the handlers of policies, scheduled actions, processes,
// protection, hooks, load balancer attachments and activities.
func registerOps(add func(string, api.Handler)) {
	add("PutScalingPolicy", putScalingPolicy)
	add("DescribePolicies", describePolicies)
	add("DeletePolicy", deletePolicy)
	add("ExecutePolicy", executePolicy)
	add("PutScheduledUpdateGroupAction", putScheduledUpdateGroupAction)
	add("BatchPutScheduledUpdateGroupAction", batchPutScheduledUpdateGroupAction)
	add("DescribeScheduledActions", describeScheduledActions)
	add("DeleteScheduledAction", deleteScheduledAction)
	add("BatchDeleteScheduledAction", batchDeleteScheduledAction)
	add("SuspendProcesses", func(c *api.Call) (map[string]any, error) { return processes(c, true) })
	add("ResumeProcesses", func(c *api.Call) (map[string]any, error) { return processes(c, false) })
	add("DescribeScalingProcessTypes", describeScalingProcessTypes)
	add("SetInstanceProtection", setInstanceProtection)
	add("AttachLoadBalancerTargetGroups", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.AttachTargetGroups(c.In.String("AutoScalingGroupName"), c.In.Strings("TargetGroupARNs"), false)
	})
	add("DetachLoadBalancerTargetGroups", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.AttachTargetGroups(c.In.String("AutoScalingGroupName"), c.In.Strings("TargetGroupARNs"), true)
	})
	add("DescribeLoadBalancerTargetGroups", describeLoadBalancerTargetGroups)
	add("AttachLoadBalancers", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.AttachClassicLoadBalancers(c.In.String("AutoScalingGroupName"), c.In.Strings("LoadBalancerNames"), false)
	})
	add("DetachLoadBalancers", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.AttachClassicLoadBalancers(c.In.String("AutoScalingGroupName"), c.In.Strings("LoadBalancerNames"), true)
	})
	add("DescribeLoadBalancers", func(c *api.Call) (map[string]any, error) {
		g, err := groupOrErr(c, c.In.String("AutoScalingGroupName"))
		if err != nil {
			return nil, err
		}
		states := attachmentStates(c, g, true)
		out := make([]any, len(states))
		for i, x := range states {
			out[i] = map[string]any{"LoadBalancerName": x.id, "State": x.state}
		}
		return map[string]any{"LoadBalancers": out}, nil
	})
	add("AttachTrafficSources", func(c *api.Call) (map[string]any, error) { return trafficSources(c, false) })
	add("DetachTrafficSources", func(c *api.Call) (map[string]any, error) { return trafficSources(c, true) })
	add("DescribeTrafficSources", describeTrafficSources)
	add("PutLifecycleHook", putLifecycleHook)
	add("DescribeLifecycleHooks", describeLifecycleHooks)
	add("DeleteLifecycleHook", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.DeleteLifecycleHook(c.In.String("AutoScalingGroupName"), c.In.String("LifecycleHookName"))
	})
	add("DescribeLifecycleHookTypes", func(*api.Call) (map[string]any, error) {
		return map[string]any{"LifecycleHookTypes": []string{"autoscaling:EC2_INSTANCE_LAUNCHING", "autoscaling:EC2_INSTANCE_TERMINATING"}}, nil
	})
	add("CompleteLifecycleAction", lifecycleAction)
	add("RecordLifecycleActionHeartbeat", lifecycleAction)
	add("TerminateInstanceInAutoScalingGroup", terminateInstanceInAutoScalingGroup)
	add("AttachInstances", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.AttachInstances(c.In.String("AutoScalingGroupName"), instanceIDs(c.In))
	})
	add("DetachInstances", func(c *api.Call) (map[string]any, error) {
		if !c.In.Has("ShouldDecrementDesiredCapacity") {
			return nil, validation("1 validation error detected: Value null at 'shouldDecrementDesiredCapacity' failed to satisfy constraint: Member must not be null")
		}
		acts, err := c.Engine.DetachInstances(c.In.String("AutoScalingGroupName"), instanceIDs(c.In), c.In.Bool("ShouldDecrementDesiredCapacity"))
		if err != nil {
			return nil, err
		}
		g, err := groupOrErr(c, c.In.String("AutoScalingGroupName"))
		if err != nil {
			return nil, err
		}
		out := make([]any, len(acts))
		for i, a := range acts {
			out[i] = activityOut(g, a)
		}
		return map[string]any{"Activities": out}, nil
	})
	add("DescribeAccountLimits", describeAccountLimits)
	add("DescribeScalingActivities", describeScalingActivities)
	add("DescribeAdjustmentTypes", func(*api.Call) (map[string]any, error) {
		var out []any
		for _, t := range []string{"ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity"} {
			out = append(out, map[string]any{"AdjustmentType": t})
		}
		return map[string]any{"AdjustmentTypes": out}, nil
	})
	add("DescribeTerminationPolicyTypes", func(*api.Call) (map[string]any, error) {
		return map[string]any{"TerminationPolicyTypes": []string{"ClosestToNextInstanceHour", "Default", "NewestInstance",
			"OldestInstance", "OldestLaunchConfiguration", "OldestLaunchTemplate", "AllocationStrategy"}}, nil
	})
}

func optFloat(in awsproto.Params, name string) *float64 {
	if !in.Has(name) {
		return nil
	}
	v := in.Float(name)
	return &v
}

func putScalingPolicy(c *api.Call) (map[string]any, error) {
	in := c.In
	p := model.ScalingPolicy{
		Name: in.String("PolicyName"), Type: in.String("PolicyType"), AdjustmentType: in.String("AdjustmentType"),
		ScalingAdjustment: in.OptInt("ScalingAdjustment"), MinAdjustmentMagnitude: in.OptInt("MinAdjustmentMagnitude"),
		Cooldown: in.OptInt("Cooldown"), MetricAggregationType: in.String("MetricAggregationType"),
		EstimatedInstanceWarmup: in.OptInt("EstimatedInstanceWarmup"), Enabled: !in.Has("Enabled") || in.Bool("Enabled"),
	}
	if p.MinAdjustmentMagnitude == nil {
		p.MinAdjustmentMagnitude = in.OptInt("MinAdjustmentStep")
	}
	for _, s := range in.Structs("StepAdjustments") {
		p.StepAdjustments = append(p.StepAdjustments, model.StepAdjustment{LowerBound: optFloat(s, "MetricIntervalLowerBound"),
			UpperBound: optFloat(s, "MetricIntervalUpperBound"), ScalingAdjustment: int(s.Int("ScalingAdjustment"))})
	}
	if tt := in.Struct("TargetTrackingConfiguration"); tt != nil {
		x := &model.TargetTrackingConfiguration{TargetValue: tt.Float("TargetValue"), DisableScaleIn: tt.Bool("DisableScaleIn")}
		if pm := tt.Struct("PredefinedMetricSpecification"); pm != nil {
			x.PredefinedMetricType, x.ResourceLabel = pm.String("PredefinedMetricType"), pm.String("ResourceLabel")
		}
		if cm := tt.Struct("CustomizedMetricSpecification"); cm != nil {
			x.MetricName, x.Namespace, x.Statistic, x.Unit = cm.String("MetricName"), cm.String("Namespace"), cm.String("Statistic"), cm.String("Unit")
			x.Period, x.Metrics = int(cm.Int("Period")), cm.List("Metrics")
			for _, d := range cm.Structs("Dimensions") {
				x.Dimensions = append(x.Dimensions, model.KeyValue{Name: d.String("Name"), Value: d.String("Value")})
			}
		}
		p.TargetTracking = x
	}
	if pc := in.Struct("PredictiveScalingConfiguration"); pc != nil {
		p.Predictive = map[string]any(pc)
	}
	out, err := c.Engine.PutScalingPolicy(engine.PutScalingPolicyInput{Group: in.String("AutoScalingGroupName"), Policy: p})
	if err != nil {
		return nil, err
	}
	return map[string]any{"PolicyARN": out.ARN, "Alarms": policyAlarms(c, in.String("AutoScalingGroupName"), out)}, nil
}

// policyAlarms are the CloudWatch alarms a target tracking policy owns:
// AWS creates TargetTracking-<group>-AlarmHigh-<uuid> and -AlarmLow-<uuid>.
func policyAlarms(c *api.Call, group string, p *model.ScalingPolicy) []any {
	if p.Type != "TargetTrackingScaling" {
		// Other policies list the CloudWatch alarms whose actions name them.
		out := []any{}
		c.Engine.Read(func(st *model.State) {
			for _, a := range engine.AlarmsWithAction(st, p.ARN) {
				out = append(out, map[string]any{"AlarmName": a.Name, "AlarmARN": a.ARN})
			}
		})
		return out
	}
	id := p.ARN[strings.Index(p.ARN, "scalingPolicy:")+len("scalingPolicy:"):]
	id, _, _ = strings.Cut(id, ":")
	var out []any
	for _, kind := range []string{"AlarmHigh", "AlarmLow"} {
		if kind == "AlarmLow" && p.TargetTracking != nil && p.TargetTracking.DisableScaleIn {
			continue
		}
		name := "TargetTracking-" + group + "-" + kind + "-" + id
		out = append(out, map[string]any{"AlarmName": name,
			"AlarmARN": model.ARN(c.Region, "cloudwatch", c.Account, "alarm:"+name)})
	}
	return out
}

func policyOut(c *api.Call, g *model.AutoScalingGroup, p model.ScalingPolicy) map[string]any {
	out := map[string]any{
		"AutoScalingGroupName": g.Name, "PolicyName": p.Name, "PolicyARN": p.ARN, "PolicyType": p.Type,
		"AdjustmentType": api.Str(p.AdjustmentType), "ScalingAdjustment": p.ScalingAdjustment, "MinAdjustmentMagnitude": p.MinAdjustmentMagnitude,
		"Cooldown": p.Cooldown, "MetricAggregationType": api.Str(p.MetricAggregationType), "EstimatedInstanceWarmup": p.EstimatedInstanceWarmup,
		"Enabled": p.Enabled, "Alarms": policyAlarms(c, g.Name, &p),
	}
	if p.MinAdjustmentMagnitude != nil {
		out["MinAdjustmentStep"] = *p.MinAdjustmentMagnitude
	}
	if p.Type == "StepScaling" {
		steps := make([]any, len(p.StepAdjustments))
		for i, s := range p.StepAdjustments {
			steps[i] = map[string]any{"MetricIntervalLowerBound": s.LowerBound, "MetricIntervalUpperBound": s.UpperBound, "ScalingAdjustment": s.ScalingAdjustment}
		}
		out["StepAdjustments"] = steps
		if p.MetricAggregationType == "" {
			out["MetricAggregationType"] = "Average"
		}
	}
	if tt := p.TargetTracking; tt != nil {
		x := map[string]any{"TargetValue": tt.TargetValue, "DisableScaleIn": tt.DisableScaleIn}
		if tt.PredefinedMetricType != "" {
			x["PredefinedMetricSpecification"] = map[string]any{"PredefinedMetricType": tt.PredefinedMetricType, "ResourceLabel": api.Str(tt.ResourceLabel)}
		} else {
			dims := make([]any, len(tt.Dimensions))
			for i, d := range tt.Dimensions {
				dims[i] = map[string]any{"Name": d.Name, "Value": d.Value}
			}
			cm := map[string]any{"MetricName": tt.MetricName, "Namespace": tt.Namespace,
				"Statistic": tt.Statistic, "Unit": api.Str(tt.Unit), "Dimensions": dims}
			if len(tt.Metrics) > 0 {
				// The metric math form: its queries as given (coerced back
				// to the model's types, as the store's JSON turns integers
				// into floats).
				cm = map[string]any{"Metrics": api.Coerce(c.Op.Service.Shape("TargetTrackingMetricDataQueries"), tt.Metrics)}
			}
			if tt.Period != 0 {
				cm["Period"] = tt.Period
			}
			x["CustomizedMetricSpecification"] = cm
		}
		out["TargetTrackingConfiguration"] = x
	}
	if p.Predictive != nil {
		// Stored as given; coerced to the model's types (the store's JSON
		// turns integers into floats).
		out["PredictiveScalingConfiguration"] = api.Coerce(c.Op.Service.Shape("PredictiveScalingConfiguration"), map[string]any(p.Predictive))
	}
	return out
}

// groupsCovered returns the groups a describe call covers: the one named,
// or every group when none is; a name that matches none is AWS's
// validation error.
func groupsCovered(st *model.State, group string) ([]*model.AutoScalingGroup, error) {
	if group != "" {
		g := st.AutoScalingGroups[group]
		if g == nil {
			return nil, validation("AutoScalingGroup name not found - null")
		}
		return []*model.AutoScalingGroup{g}, nil
	}
	out := make([]*model.AutoScalingGroup, 0, len(st.AutoScalingGroups))
	for _, g := range st.AutoScalingGroups {
		out = append(out, g)
	}
	return out, nil
}

func describePolicies(c *api.Call) (map[string]any, error) {
	group := c.In.String("AutoScalingGroupName")
	names, types := c.In.Strings("PolicyNames"), c.In.Strings("PolicyTypes")
	type row struct {
		g *model.AutoScalingGroup
		p model.ScalingPolicy
	}
	var rows []row
	var err error
	c.Engine.Read(func(st *model.State) {
		var groups []*model.AutoScalingGroup
		if groups, err = groupsCovered(st, group); err != nil {
			return
		}
		for _, g := range groups {
			for _, p := range g.Policies {
				if (len(names) == 0 || slices.Contains(names, p.Name) || slices.Contains(names, p.ARN)) && (len(types) == 0 || slices.Contains(types, p.Type)) {
					rows = append(rows, row{g, p})
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	key := func(r row) string { return r.g.Name + "\x00" + r.p.Name }
	rows, next, err := page(c.In, rows, key, 50)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = policyOut(c, r.g, r.p)
	}
	return map[string]any{"ScalingPolicies": out, "NextToken": next}, nil
}

func deletePolicy(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeletePolicy(c.In.String("AutoScalingGroupName"), c.In.String("PolicyName"))
}

func executePolicy(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.ExecutePolicy(engine.ExecutePolicyInput{Group: c.In.String("AutoScalingGroupName"), Policy: c.In.String("PolicyName"),
		MetricValue: optFloat(c.In, "MetricValue"), BreachThreshold: optFloat(c.In, "BreachThreshold")})
}

func scheduledActionIn(in awsproto.Params) model.ScheduledAction {
	a := model.ScheduledAction{Name: in.String("ScheduledActionName"), StartTime: in.Time("StartTime"), EndTime: in.Time("EndTime"),
		Recurrence: in.String("Recurrence"), TimeZone: in.String("TimeZone"),
		MinSize: in.OptInt("MinSize"), MaxSize: in.OptInt("MaxSize"), DesiredCapacity: in.OptInt("DesiredCapacity")}
	if a.StartTime.IsZero() {
		a.StartTime = in.Time("Time")
	}
	return a
}

func putScheduledUpdateGroupAction(c *api.Call) (map[string]any, error) {
	_, err := c.Engine.PutScheduledActions(c.In.String("AutoScalingGroupName"), []model.ScheduledAction{scheduledActionIn(c.In)}, false)
	return nil, err
}

func failuresOut(failed []engine.ScheduledActionFailure) []any {
	out := make([]any, len(failed))
	for i, f := range failed {
		out[i] = map[string]any{"ScheduledActionName": f.Name, "ErrorCode": f.Code, "ErrorMessage": f.Message}
	}
	return out
}

func batchPutScheduledUpdateGroupAction(c *api.Call) (map[string]any, error) {
	var actions []model.ScheduledAction
	for _, a := range c.In.Structs("ScheduledUpdateGroupActions") {
		actions = append(actions, scheduledActionIn(a))
	}
	failed, err := c.Engine.PutScheduledActions(c.In.String("AutoScalingGroupName"), actions, true)
	if err != nil {
		return nil, err
	}
	return map[string]any{"FailedScheduledUpdateGroupActions": failuresOut(failed)}, nil
}

func describeScheduledActions(c *api.Call) (map[string]any, error) {
	group, names := c.In.String("AutoScalingGroupName"), c.In.Strings("ScheduledActionNames")
	from, to := c.In.Time("StartTime"), c.In.Time("EndTime")
	type row struct {
		g *model.AutoScalingGroup
		a model.ScheduledAction
	}
	var rows []row
	var err error
	c.Engine.Read(func(st *model.State) {
		var groups []*model.AutoScalingGroup
		if groups, err = groupsCovered(st, group); err != nil {
			return
		}
		for _, g := range groups {
			for _, a := range g.ScheduledActions {
				if len(names) > 0 && !slices.Contains(names, a.Name) {
					continue
				}
				if !from.IsZero() && a.StartTime.Before(from) || !to.IsZero() && a.StartTime.After(to) {
					continue
				}
				rows = append(rows, row{g, a})
			}
		}
	})
	if err != nil {
		return nil, err
	}
	key := func(r row) string { return r.g.Name + "\x00" + r.a.Name }
	rows, next, err := page(c.In, rows, key, 100)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(rows))
	for i, r := range rows {
		a := r.a
		out[i] = map[string]any{"AutoScalingGroupName": r.g.Name, "ScheduledActionName": a.Name, "ScheduledActionARN": a.ARN,
			"Time": api.Time(a.StartTime), "StartTime": api.Time(a.StartTime), "EndTime": api.Time(a.EndTime), "Recurrence": api.Str(a.Recurrence),
			"TimeZone": api.Str(a.TimeZone), "MinSize": a.MinSize, "MaxSize": a.MaxSize, "DesiredCapacity": a.DesiredCapacity}
	}
	return map[string]any{"ScheduledUpdateGroupActions": out, "NextToken": next}, nil
}

func deleteScheduledAction(c *api.Call) (map[string]any, error) {
	_, err := c.Engine.DeleteScheduledActions(c.In.String("AutoScalingGroupName"), []string{c.In.String("ScheduledActionName")}, false)
	return nil, err
}

func batchDeleteScheduledAction(c *api.Call) (map[string]any, error) {
	failed, err := c.Engine.DeleteScheduledActions(c.In.String("AutoScalingGroupName"), c.In.Strings("ScheduledActionNames"), true)
	if err != nil {
		return nil, err
	}
	return map[string]any{"FailedScheduledActions": failuresOut(failed)}, nil
}

func processes(c *api.Call, suspend bool) (map[string]any, error) {
	return nil, c.Engine.SuspendProcesses(c.In.String("AutoScalingGroupName"), c.In.Strings("ScalingProcesses"), suspend)
}

func describeScalingProcessTypes(*api.Call) (map[string]any, error) {
	out := make([]any, len(model.ScalingProcesses))
	for i, p := range model.ScalingProcesses {
		out[i] = map[string]any{"ProcessName": p}
	}
	return map[string]any{"Processes": out}, nil
}

func instanceIDs(in awsproto.Params) []model.InstanceID {
	var ids []model.InstanceID
	for _, id := range in.Strings("InstanceIds") {
		ids = append(ids, model.InstanceID(id))
	}
	return ids
}

func setInstanceProtection(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.SetInstanceProtection(c.In.String("AutoScalingGroupName"), instanceIDs(c.In), c.In.Bool("ProtectedFromScaleIn"))
}

func groupOrErr(c *api.Call, name string) (*model.AutoScalingGroup, error) {
	var g *model.AutoScalingGroup
	c.Engine.Read(func(st *model.State) { g = st.AutoScalingGroups[name] })
	if g == nil {
		return nil, validation("AutoScalingGroup name not found - null")
	}
	return g, nil
}

func describeLoadBalancerTargetGroups(c *api.Call) (map[string]any, error) {
	g, err := groupOrErr(c, c.In.String("AutoScalingGroupName"))
	if err != nil {
		return nil, err
	}
	items, next, err := page(c.In, attachmentStates(c, g, false), func(s attachmentState) string { return s.id }, 100)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, x := range items {
		out[i] = map[string]any{"LoadBalancerTargetGroupARN": x.id, "State": x.state}
	}
	return map[string]any{"LoadBalancerTargetGroups": out, "NextToken": next}, nil
}

// attachmentState is a load balancer of a group (a target group's ARN or
// a Classic Load Balancer's name) with the state Auto Scaling lists it in.
type attachmentState struct{ id, state string }

// attachmentStates are the group's target groups (classic: its Classic
// Load Balancers) and their states: InService when given at the group's
// creation; when attached later Added (after Adding, which ecsnet's
// immediate registration skips), and InService once an instance of the
// group passes the load balancer's health check, which only a group with
// health check type ELB waits for ([choice]: InService while one passes;
// AWS does not say whether it ever goes back to Added); Removing once
// detached, until the group's instances have drained from it (then it is
// no longer listed).
func attachmentStates(c *api.Call, g *model.AutoScalingGroup, classic bool) []attachmentState {
	attached := g.TargetGroupARNs
	if classic {
		attached = g.LoadBalancerNames
	}
	out := make([]attachmentState, 0, len(attached))
	var passes func(string) bool
	for _, id := range attached {
		state := "InService"
		if slices.Contains(g.Added, id) {
			state = "Added"
			if g.ELBHealthCheck() {
				if passes == nil {
					passes = instancePasses(c, g, classic)
				}
				if passes(id) {
					state = "InService"
				}
			}
		}
		out = append(out, attachmentState{id, state})
	}
	for _, r := range g.Removing {
		id := r.TargetGroupARN
		if classic {
			id = r.LoadBalancerName
		}
		if id != "" {
			out = append(out, attachmentState{id, "Removing"})
		}
	}
	return out
}

// instancePasses returns a function that says whether an instance of g
// passes the health check of a target group (classic: a Classic Load
// Balancer): healthy by the analyzer, past the checks a new target needs.
func instancePasses(c *api.Call, g *model.AutoScalingGroup, classic bool) func(string) bool {
	st, version := c.Engine.SharedSnapshot()
	member := func(id model.InstanceID) bool { i := st.Instances[id]; return i != nil && i.AutoScalingGroup == g.Name }
	return func(id string) bool {
		if classic {
			lb := st.ClassicLoadBalancers[id]
			if lb == nil {
				return false
			}
			checked := c.Analyzer.ClassicInstanceHealth(st, version, id)
			for _, inst := range lb.Instances {
				if state, _, _ := engine.ClassicInstanceHealth(st, inst); !member(inst) || state != "InService" {
					continue
				}
				if h, ok := checked[inst]; ok && h.State != "InService" {
					continue
				}
				if _, _, initial := c.Engine.InitialClassicInstanceHealth(lb, inst, true); !initial {
					return true
				}
			}
			return false
		}
		tg := st.TargetGroups[id]
		if tg == nil {
			return false
		}
		health := c.Analyzer.TargetHealth(st, version, id)
		initial := c.Engine.InitialTargetHealth(st, tg)
		for _, t := range tg.Targets.All() {
			if t.Draining || !member(model.InstanceID(t.ID)) || health[api.TargetKey{ID: t.ID, Port: t.Port}].State != "healthy" {
				continue
			}
			if _, _, still := initial(t, true); !still {
				return true
			}
		}
		return false
	}
}

// trafficSources attaches or detaches traffic sources: Classic Load
// Balancers (type elb, by name) and ELBv2 target groups (type elbv2, the
// default when an ARN is given).
func trafficSources(c *api.Call, detach bool) (map[string]any, error) {
	var arns, names []string
	for _, s := range c.In.Structs("TrafficSources") {
		typ := s.String("Type")
		if typ == "" {
			typ = "elb"
			if strings.HasPrefix(s.String("Identifier"), "arn:") {
				typ = "elbv2"
			}
		}
		switch typ {
		case "elbv2":
			arns = append(arns, s.String("Identifier"))
		case "elb":
			names = append(names, s.String("Identifier"))
		default:
			return nil, validation("ecsnet attaches traffic sources of types elb (Classic Load Balancers) and elbv2 (target groups); %q is not modelled.", typ)
		}
	}
	return nil, c.Engine.AttachTrafficSources(c.In.String("AutoScalingGroupName"), arns, names, detach)
}

// trafficSource is a traffic source of a group with its state and type.
type trafficSource struct {
	attachmentState
	typ string
}

func describeTrafficSources(c *api.Call) (map[string]any, error) {
	g, err := groupOrErr(c, c.In.String("AutoScalingGroupName"))
	if err != nil {
		return nil, err
	}
	var items []trafficSource
	typ := c.In.String("TrafficSourceType")
	for _, kind := range []string{"elb", "elbv2"} {
		if typ == "" || typ == kind {
			for _, x := range attachmentStates(c, g, kind == "elb") {
				items = append(items, trafficSource{x, kind})
			}
		}
	}
	items, next, err := page(c.In, items, func(s trafficSource) string { return s.typ + " " + s.id }, 50)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, x := range items {
		out[i] = map[string]any{"TrafficSource": x.id, "Identifier": x.id, "Type": x.typ, "State": x.state}
	}
	return map[string]any{"TrafficSources": out, "NextToken": next}, nil
}

func hookIn(in awsproto.Params) model.LifecycleHook {
	return model.LifecycleHook{Name: in.String("LifecycleHookName"), Transition: in.String("LifecycleTransition"), RoleARN: in.String("RoleARN"),
		NotificationTargetARN: in.String("NotificationTargetARN"), NotificationMetadata: in.String("NotificationMetadata"),
		HeartbeatTimeout: int(in.Int("HeartbeatTimeout")), DefaultResult: in.String("DefaultResult")}
}

func putLifecycleHook(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.PutLifecycleHook(c.In.String("AutoScalingGroupName"), hookIn(c.In))
}

func describeLifecycleHooks(c *api.Call) (map[string]any, error) {
	g, err := groupOrErr(c, c.In.String("AutoScalingGroupName"))
	if err != nil {
		return nil, err
	}
	names := c.In.Strings("LifecycleHookNames")
	out := []any{}
	for _, h := range g.LifecycleHooks {
		if len(names) > 0 && !slices.Contains(names, h.Name) {
			continue
		}
		out = append(out, map[string]any{"LifecycleHookName": h.Name, "AutoScalingGroupName": g.Name, "LifecycleTransition": h.Transition,
			"RoleARN": api.Str(h.RoleARN), "NotificationTargetARN": api.Str(h.NotificationTargetARN), "NotificationMetadata": api.Str(h.NotificationMetadata),
			"HeartbeatTimeout": h.HeartbeatTimeout, "GlobalTimeout": min(100*h.HeartbeatTimeout, 172800), "DefaultResult": h.DefaultResult})
	}
	return map[string]any{"LifecycleHooks": out}, nil
}

// lifecycleAction answers CompleteLifecycleAction and
// RecordLifecycleActionHeartbeat: the action of an instance waiting on a
// launch hook, named by its token or its instance.
func lifecycleAction(c *api.Call) (map[string]any, error) {
	in := engine.LifecycleActionInput{Group: c.In.String("AutoScalingGroupName"), Hook: c.In.String("LifecycleHookName"),
		Token: c.In.String("LifecycleActionToken"), Instance: model.InstanceID(c.In.String("InstanceId"))}
	if c.Op.Name == "CompleteLifecycleAction" {
		if !c.In.Has("LifecycleActionResult") {
			return nil, validation("1 validation error detected: Value null at 'lifecycleActionResult' failed to satisfy constraint: Member must not be null")
		}
		in.Result = c.In.String("LifecycleActionResult")
	}
	if err := c.Engine.LifecycleAction(in); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func activityOut(g *model.AutoScalingGroup, a model.ScalingActivity) map[string]any {
	progress := 0
	switch a.StatusCode {
	case "Successful", "Failed", "Cancelled":
		progress = 100
	}
	return map[string]any{"ActivityId": a.ID, "AutoScalingGroupName": g.Name, "AutoScalingGroupARN": g.ARN, "Description": a.Description,
		"Cause": a.Cause, "StartTime": api.Time(a.StartTime), "EndTime": api.Time(a.EndTime), "StatusCode": a.StatusCode,
		"StatusMessage": api.Str(a.StatusMsg), "Progress": progress, "Details": "{}"}
}

func terminateInstanceInAutoScalingGroup(c *api.Call) (map[string]any, error) {
	if !c.In.Has("ShouldDecrementDesiredCapacity") {
		return nil, validation("1 validation error detected: Value null at 'shouldDecrementDesiredCapacity' failed to satisfy constraint: Member must not be null")
	}
	act, g, err := c.Engine.TerminateInstanceInAutoScalingGroup(model.InstanceID(c.In.String("InstanceId")), c.In.Bool("ShouldDecrementDesiredCapacity"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"Activity": activityOut(g, act)}, nil
}

// describeAccountLimits reports AWS's default quotas: 500 groups and 200
// launch configurations per Region.
func describeAccountLimits(c *api.Call) (map[string]any, error) {
	var groups, lcs int
	c.Engine.Read(func(st *model.State) { groups, lcs = len(st.AutoScalingGroups), len(st.LaunchConfigurations) })
	return map[string]any{"MaxNumberOfAutoScalingGroups": 500, "MaxNumberOfLaunchConfigurations": 200,
		"NumberOfAutoScalingGroups": groups, "NumberOfLaunchConfigurations": lcs}, nil
}

func describeScalingActivities(c *api.Call) (map[string]any, error) {
	group, ids := c.In.String("AutoScalingGroupName"), c.In.Strings("ActivityIds")
	type row struct {
		g *model.AutoScalingGroup
		a model.ScalingActivity
	}
	var rows []row
	c.Engine.Read(func(st *model.State) {
		for _, g := range st.AutoScalingGroups {
			if group != "" && g.Name != group {
				continue
			}
			for _, a := range g.Activities {
				if len(ids) == 0 || slices.Contains(ids, a.ID) {
					rows = append(rows, row{g: g, a: a})
				}
			}
		}
	})
	// Newest first, as AWS lists them. An activity's key is its start
	// time, its group's name and its id, compared backwards: the
	// activities that start between two pages come before the first, and
	// a token whose activity is gone since (a group keeps its newest 50)
	// goes on from the activities older than it, where a key that named
	// a place in the list, or only the activity, answered some twice or
	// skipped them. [choice] Activities that start at the same instant
	// come in backward order of group name and id.
	key := func(r row) string { return fmt.Sprintf("%020d %s %s", r.a.StartTime.UnixNano(), r.g.Name, r.a.ID) }
	limit := 100
	if c.In.Has("MaxRecords") {
		limit = int(c.In.Int("MaxRecords"))
		if limit < 1 || limit > 100 {
			return nil, validation("1 validation error detected: Value '%d' at 'maxRecords' failed to satisfy constraint: Member must have value between 1 and 100", limit)
		}
	}
	if err := checkToken(c.In); err != nil {
		return nil, err
	}
	rows, next, ok := api.PaginateOrdered(rows, key, api.Descending, c.In.String("NextToken"), limit)
	if !ok {
		return nil, errInvalidToken(c.In.String("NextToken"))
	}
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = activityOut(r.g, r.a)
	}
	res := map[string]any{"Activities": out}
	if next != "" {
		res["NextToken"] = next
	}
	return res, nil
}
