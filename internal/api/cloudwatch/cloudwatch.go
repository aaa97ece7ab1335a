// Package cloudwatch serves Amazon CloudWatch (monitoring) as far as ECS
// configurations use it: metric and composite alarms (their actions name
// Application Auto Scaling and Auto Scaling policies, whose Alarms list
// them back), their state, actions switch and tags. Metrics are not kept:
// PutMetricData is accepted and dropped; GetMetricData answers only the
// AWS/Events metrics of EventBridge rules (from their invocations). CloudWatch answers three protocols (Query, JSON 1.0, RPC v2
// CBOR); internal/awsproto picks the client's, the handlers are the same.
package cloudwatch

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the CloudWatch handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("cloudwatch", op, h) }
	add("PutMetricAlarm", putMetricAlarm)
	add("PutCompositeAlarm", putCompositeAlarm)
	add("DescribeAlarms", describeAlarms)
	add("DescribeAlarmsForMetric", describeAlarmsForMetric)
	add("DeleteAlarms", deleteAlarms)
	add("EnableAlarmActions", func(c *api.Call) (map[string]any, error) { return switchActions(c, true) })
	add("DisableAlarmActions", func(c *api.Call) (map[string]any, error) { return switchActions(c, false) })
	add("SetAlarmState", setAlarmState)
	add("TagResource", tagResource)
	add("UntagResource", untagResource)
	add("ListTagsForResource", listTagsForResource)
	add("PutMetricData", putMetricData)
	add("GetMetricData", getMetricData)
	add("ListMetrics", listMetrics)
}

func validation(format string, args ...any) error {
	return apierr.Newf("ValidationError", format, args...)
}

// enum checks v against the model's enum of shape (a Coral message, as
// AWS's: "Value 'x' at 'comparisonOperator' failed to satisfy constraint").
func enum(c *api.Call, shape, member, v string) error {
	s := c.Op.Service.Shape(shape)
	if v == "" || s == nil || slices.Contains(s.Enum, v) {
		return nil
	}
	return validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
		v, member, strings.Join(s.Enum, ", "))
}

// configMembers are the PutMetricAlarm members an alarm keeps and
// DescribeAlarms answers back.
var configMembers = []string{"AlarmDescription", "ActionsEnabled", "OKActions", "AlarmActions", "InsufficientDataActions",
	"MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Dimensions", "Period", "Unit", "EvaluationPeriods",
	"DatapointsToAlarm", "Threshold", "ComparisonOperator", "TreatMissingData", "EvaluateLowSampleCountPercentile",
	"Metrics", "ThresholdMetricId"}

var compositeMembers = []string{"AlarmDescription", "ActionsEnabled", "OKActions", "AlarmActions", "InsufficientDataActions",
	"AlarmRule", "ActionsSuppressor", "ActionsSuppressorWaitPeriod", "ActionsSuppressorExtensionPeriod"}

func putMetricAlarm(c *api.Call) (map[string]any, error) {
	in := c.In
	for _, e := range []struct{ shape, member, v string }{
		{"ComparisonOperator", "comparisonOperator", in.String("ComparisonOperator")},
		{"Statistic", "statistic", in.String("Statistic")},
		{"StandardUnit", "unit", in.String("Unit")},
	} {
		if err := enum(c, e.shape, e.member, e.v); err != nil {
			return nil, err
		}
	}
	metrics := in.List("Metrics")
	switch {
	case in.Has("Statistic") && in.Has("ExtendedStatistic"):
		return nil, apierr.New("InvalidParameterCombination", "Statistic and ExtendedStatistic parameters cannot both be specified.")
	case len(metrics) > 0 && in.Has("MetricName"):
		return nil, validation("Metrics list and MetricName cannot both be specified.")
	case len(metrics) == 0 && !in.Has("MetricName"):
		return nil, validation("Either MetricName or Metrics must be specified.")
	case len(metrics) == 0 && !in.Has("Statistic") && !in.Has("ExtendedStatistic"):
		return nil, apierr.New("MissingParameter", "Must specify either Statistic or ExtendedStatistic.")
	case len(metrics) == 0 && !in.Has("Period"):
		return nil, apierr.New("MissingParameter", "Period must be specified.")
	}
	if p, ok := in.Lookup("Period"); ok {
		n, _ := p.(int64)
		if n < 10 || (n != 10 && n != 20 && n != 30 && n%60 != 0) {
			return nil, validation("Period must be 10, 20, 30 or a multiple of 60")
		}
	}
	if in.Int("EvaluationPeriods") < 1 {
		return nil, validation("1 validation error detected: Value '%d' at 'evaluationPeriods' failed to satisfy constraint: Member must have value greater than or equal to 1", in.Int("EvaluationPeriods"))
	}
	if d, ok := in.Lookup("DatapointsToAlarm"); ok {
		if n, _ := d.(int64); n > in.Int("EvaluationPeriods") {
			return nil, validation("DatapointsToAlarm must be less than or equal to EvaluationPeriods")
		}
	}
	if tmd := in.String("TreatMissingData"); tmd != "" && !slices.Contains([]string{"breaching", "notBreaching", "ignore", "missing"}, tmd) {
		return nil, validation("Option %s is not supported. Supported options for parameter TreatMissingData are: [breaching, notBreaching, ignore, missing].", tmd)
	}
	if err := checkActions(c); err != nil {
		return nil, err
	}
	return nil, put(c, false, configMembers)
}

// checkActions refuses an action ARN that is not one: AWS answers
// ValidationError naming the parameter.
func checkActions(c *api.Call) error {
	for _, k := range []string{"AlarmActions", "OKActions", "InsufficientDataActions"} {
		for _, a := range c.In.Strings(k) {
			parts := strings.SplitN(a, ":", 6)
			if len(parts) < 6 || parts[0] != "arn" || parts[2] == "" {
				return validation("Invalid arn syntax: %s", a)
			}
		}
	}
	return nil
}

func put(c *api.Call, composite bool, members []string) error {
	name := c.In.String("AlarmName")
	cfg := map[string]any{}
	for _, m := range members {
		if v, ok := c.In.Lookup(m); ok {
			cfg[m] = v
		}
	}
	enabled := true
	if v := c.In.OptBool("ActionsEnabled"); v != nil {
		enabled = *v
	}
	delete(cfg, "ActionsEnabled")
	return c.Engine.PutMetricAlarm(model.MetricAlarm{Name: name, ARN: engine.AlarmARN(c.Region, c.Account, name),
		Composite: composite, Config: cfg, ActionsEnabled: enabled, Tags: api.KeyValues(c.In.Structs("Tags"), "Key", "Value")})
}

func putCompositeAlarm(c *api.Call) (map[string]any, error) {
	if err := checkActions(c); err != nil {
		return nil, err
	}
	return nil, put(c, true, compositeMembers)
}

// alarmOut renders an alarm as DescribeAlarms does: the lists always
// present, the configuration typed by the model. StateTransitionedTimestamp
// is given for metric alarms too, as AWS does (LocalStack's recordings of
// DescribeAlarms, cloudformation/resources/test_cloudwatch.py); StateUpdated
// changes only with the state.
func alarmOut(c *api.Call, a *model.MetricAlarm) map[string]any {
	shape := c.Op.Service.Shape("MetricAlarm")
	if a.Composite {
		shape = c.Op.Service.Shape("CompositeAlarm")
	}
	out := map[string]any{
		"AlarmName": a.Name, "AlarmArn": a.ARN, "ActionsEnabled": a.ActionsEnabled,
		"AlarmConfigurationUpdatedTimestamp": a.ConfigUpdated.UTC(), "StateValue": a.StateValue,
		"StateReason": a.StateReason, "StateUpdatedTimestamp": a.StateUpdated.UTC(),
		"StateTransitionedTimestamp": a.StateUpdated.UTC(), "OKActions": []any{}, "AlarmActions": []any{},
		"InsufficientDataActions": []any{},
	}
	if !a.Composite {
		out["Dimensions"] = []any{}
	}
	for k, v := range a.Config {
		if m := shape.MemberByName(k); m != nil {
			out[k] = api.Coerce(m.Shape, v)
		}
	}
	return out
}

func describeAlarms(c *api.Call) (map[string]any, error) {
	in := c.In
	names, prefix := in.Strings("AlarmNames"), in.String("AlarmNamePrefix")
	if len(names) > 0 && prefix != "" {
		return nil, apierr.New("InvalidParameterCombination", "AlarmNamePrefix and AlarmNames cannot both be specified.")
	}
	if err := enum(c, "StateValue", "stateValue", in.String("StateValue")); err != nil {
		return nil, err
	}
	types := in.Strings("AlarmTypes")
	if len(types) == 0 {
		types = []string{"MetricAlarm"} // AWS: "If you omit this parameter, only metric alarms are returned"
	}
	for _, t := range types {
		if err := enum(c, "AlarmType", "alarmTypes.member", t); err != nil {
			return nil, err
		}
	}
	n := in.IntOr("MaxRecords", 50)
	if n < 1 || n > 100 {
		return nil, validation("1 validation error detected: Value '%d' at 'maxRecords' failed to satisfy constraint: Member must have value between 1 and 100", n)
	}
	state, action := in.String("StateValue"), in.String("ActionPrefix")
	var alarms []*model.MetricAlarm
	c.Engine.Read(func(st *model.State) {
		for _, a := range st.MetricAlarms {
			typ := "MetricAlarm"
			if a.Composite {
				typ = "CompositeAlarm"
			}
			switch {
			case !slices.Contains(types, typ),
				len(names) > 0 && !slices.Contains(names, a.Name),
				!strings.HasPrefix(a.Name, prefix),
				state != "" && a.StateValue != state,
				action != "" && !slices.ContainsFunc(a.Actions(), func(s string) bool { return strings.HasPrefix(s, action) }):
				continue
			}
			alarms = append(alarms, a)
		}
	})
	sort.Slice(alarms, func(i, j int) bool { return alarms[i].Name < alarms[j].Name })
	page, next, ok := api.Paginate(alarms, func(a *model.MetricAlarm) string { return a.Name }, in.String("NextToken"), int(n))
	if !ok {
		return nil, apierr.New("InvalidNextToken", "The service couldn't process the NextToken.")
	}
	metric, composite := []any{}, []any{}
	for _, a := range page {
		if a.Composite {
			composite = append(composite, alarmOut(c, a))
		} else {
			metric = append(metric, alarmOut(c, a))
		}
	}
	out := map[string]any{"MetricAlarms": metric, "CompositeAlarms": composite}
	if next != "" {
		out["NextToken"] = next
	}
	return out, nil
}

// dims returns an alarm's or a request's dimensions as sorted name=value.
func dims(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, d := range l {
		m, _ := d.(map[string]any)
		if m == nil {
			if p, ok := d.(awsproto.Params); ok {
				m = p
			}
		}
		out = append(out, fmt.Sprint(m["Name"])+"="+fmt.Sprint(m["Value"]))
	}
	sort.Strings(out)
	return out
}

func describeAlarmsForMetric(c *api.Call) (map[string]any, error) {
	in := c.In
	if err := enum(c, "Statistic", "statistic", in.String("Statistic")); err != nil {
		return nil, err
	}
	want := dims(in.List("Dimensions"))
	out := []any{}
	c.Engine.Read(func(st *model.State) {
		var alarms []*model.MetricAlarm
		for _, a := range st.MetricAlarms {
			cfg := a.Config
			str := func(k string) string { s, _ := cfg[k].(string); return s }
			switch {
			case a.Composite, str("MetricName") != in.String("MetricName"), str("Namespace") != in.String("Namespace"),
				in.Has("Statistic") && str("Statistic") != in.String("Statistic"),
				in.Has("ExtendedStatistic") && str("ExtendedStatistic") != in.String("ExtendedStatistic"),
				in.Has("Unit") && str("Unit") != in.String("Unit"),
				in.Has("Period") && fmt.Sprint(api.Coerce(c.Op.Service.Shape("Period"), cfg["Period"])) != fmt.Sprint(in.Int("Period")),
				in.Has("Dimensions") && !slices.Equal(dims(cfg["Dimensions"]), want):
				continue
			}
			alarms = append(alarms, a)
		}
		sort.Slice(alarms, func(i, j int) bool { return alarms[i].Name < alarms[j].Name })
		for _, a := range alarms {
			out = append(out, alarmOut(c, a))
		}
	})
	return map[string]any{"MetricAlarms": out}, nil
}

func deleteAlarms(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteAlarms(c.In.Strings("AlarmNames"))
}

func switchActions(c *api.Call, on bool) (map[string]any, error) {
	return nil, c.Engine.ChangeAlarms(c.In.Strings("AlarmNames"), false, func(a *model.MetricAlarm, _ time.Time) error {
		a.ActionsEnabled = on
		return nil
	})
}

func setAlarmState(c *api.Call) (map[string]any, error) {
	state := c.In.String("StateValue")
	if err := enum(c, "StateValue", "stateValue", state); err != nil {
		return nil, err
	}
	if d := c.In.String("StateReasonData"); d != "" && !strings.HasPrefix(strings.TrimSpace(d), "{") {
		return nil, apierr.New("InvalidFormat", "StateReasonData is invalid JSON")
	}
	name := c.In.String("AlarmName")
	return nil, c.Engine.ChangeAlarms([]string{name}, true, func(a *model.MetricAlarm, now time.Time) error {
		if a.StateValue != state {
			a.StateUpdated = now
		}
		a.StateValue, a.StateReason = state, c.In.String("StateReason")
		return nil
	})
}

// alarmOfARN returns the name of the alarm an ARN names, or
// ResourceNotFoundException as AWS's tagging operations answer.
func alarmOfARN(c *api.Call) (string, error) {
	arn := c.In.String("ResourceARN")
	if name, ok := c.Engine.AlarmByARN(arn); ok {
		return name, nil
	}
	if !strings.HasPrefix(arn, "arn:") || !strings.Contains(arn, ":cloudwatch:") {
		return "", apierr.Newf("InvalidParameterValue", "Invalid ARN: %s", arn)
	}
	return "", apierr.New("ResourceNotFoundException", "Unknown resource "+arn)
}

func tagResource(c *api.Call) (map[string]any, error) {
	name, err := alarmOfARN(c)
	if err != nil {
		return nil, err
	}
	add := api.KeyValues(c.In.Structs("Tags"), "Key", "Value")
	return nil, c.Engine.ChangeAlarms([]string{name}, true, func(a *model.MetricAlarm, _ time.Time) error {
		if a.Tags == nil {
			a.Tags = model.Tags{}
		}
		for k, v := range add {
			a.Tags[k] = v
		}
		if len(a.Tags) > 50 {
			return apierr.New("LimitExceededException", "The maximum number of tags per resource is 50.")
		}
		return nil
	})
}

func untagResource(c *api.Call) (map[string]any, error) {
	name, err := alarmOfARN(c)
	if err != nil {
		return nil, err
	}
	keys := c.In.Strings("TagKeys")
	return nil, c.Engine.ChangeAlarms([]string{name}, true, func(a *model.MetricAlarm, _ time.Time) error {
		for _, k := range keys {
			delete(a.Tags, k)
		}
		return nil
	})
}

func listTagsForResource(c *api.Call) (map[string]any, error) {
	name, err := alarmOfARN(c)
	if err != nil {
		return nil, err
	}
	var tags model.Tags
	c.Engine.Read(func(st *model.State) {
		if a := st.MetricAlarms[name]; a != nil {
			tags = a.Tags
		}
	})
	return map[string]any{"Tags": api.TagList(tags, "Key", "Value")}, nil
}

// putMetricData accepts data points and drops them: ecsnet evaluates no
// metric. The namespace rule is AWS's.
func putMetricData(c *api.Call) (map[string]any, error) {
	if ns := c.In.String("Namespace"); strings.HasPrefix(ns, "AWS/") {
		return nil, apierr.New("InvalidParameterValue", "The value AWS/ for parameter Namespace is invalid.")
	}
	return nil, nil
}

// getMetricData answers the AWS/Events metrics of EventBridge rules from
// their invocations (eventsMetric), every other query Complete and
// without data points.
func getMetricData(c *api.Call) (map[string]any, error) {
	results := []any{}
	start, end := c.In.Time("StartTime"), c.In.Time("EndTime")
	for _, q := range c.In.Structs("MetricDataQueries") {
		if !q.Has("ReturnData") || q.Bool("ReturnData") {
			ts, vs := []any{}, []any{}
			c.Engine.Read(func(st *model.State) { ts, vs = eventsMetric(st, q.Struct("MetricStat"), start, end) })
			results = append(results, map[string]any{"Id": q.String("Id"), "Label": api.Str(q.String("Label")),
				"Timestamps": ts, "Values": vs, "StatusCode": "Complete"})
		}
	}
	return map[string]any{"MetricDataResults": results, "Messages": []any{}}, nil
}

// eventsMetrics are the AWS/Events metrics ecsnet answers: target
// invocations, the failed ones, the rule's firings (TriggeredRules) and
// the events it matched (MatchedEvents: its firings by an event pattern).
var eventsMetrics = []string{"FailedInvocations", "Invocations", "MatchedEvents", "TriggeredRules"}

// eventsMetric answers a MetricStat of the AWS/Events namespace
// (Invocations, FailedInvocations, TriggeredRules, MatchedEvents; the RuleName dimension
// picks a rule, none sums them all) from the rules' invocation history:
// one data point per Period with data in [start, end), newest first, the
// Sum (SampleCount alike; Average, Minimum and Maximum are 1).
func eventsMetric(st *model.State, ms awsproto.Params, start, end time.Time) (ts, vs []any) {
	ts, vs = []any{}, []any{}
	m := ms.Struct("Metric")
	name := m.String("MetricName")
	if m.String("Namespace") != "AWS/Events" || !slices.Contains(eventsMetrics, name) {
		return ts, vs
	}
	rule := ""
	for _, d := range m.Structs("Dimensions") {
		if d.String("Name") == "RuleName" {
			rule = d.String("Value")
		}
	}
	period := time.Duration(ms.IntOr("Period", 60)) * time.Second
	if period <= 0 {
		return ts, vs
	}
	buckets := map[int64]float64{}
	for _, r := range st.EventRules {
		if rule != "" && r.Name != rule {
			continue
		}
		for _, inv := range r.History {
			if inv.At.Before(start) || !inv.At.Before(end) {
				continue
			}
			k := int64(inv.At.Sub(start) / period)
			switch name {
			case "Invocations":
				if inv.Target != "" {
					buckets[k]++
				}
			case "FailedInvocations":
				if inv.Target != "" && inv.Failed {
					buckets[k]++
				}
			case "TriggeredRules", "MatchedEvents":
				if inv.Target == "" { // a firing: a scheduled occurrence or a matched event
					buckets[k]++
				}
			}
		}
	}
	keys := make([]int64, 0, len(buckets))
	for k, v := range buckets {
		if v > 0 {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	slices.Reverse(keys)
	stat := ms.String("Stat")
	for _, k := range keys {
		v := buckets[k]
		if stat == "Average" || stat == "Minimum" || stat == "Maximum" {
			v = 1
		}
		ts = append(ts, start.Add(time.Duration(k)*period).UTC())
		vs = append(vs, v)
	}
	return ts, vs
}

// listMetrics lists the metrics the alarms watch and the AWS/Events
// metrics of the EventBridge rules that were invoked: ecsnet records no
// published metric.
func listMetrics(c *api.Call) (map[string]any, error) {
	out := []any{}
	seen := map[string]bool{}
	c.Engine.Read(func(st *model.State) {
		names := make([]string, 0, len(st.MetricAlarms))
		for n := range st.MetricAlarms {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			cfg := st.MetricAlarms[n].Config
			name, _ := cfg["MetricName"].(string)
			ns, _ := cfg["Namespace"].(string)
			if name == "" || (c.In.Has("Namespace") && ns != c.In.String("Namespace")) || (c.In.Has("MetricName") && name != c.In.String("MetricName")) {
				continue
			}
			key := ns + "|" + name + "|" + strings.Join(dims(cfg["Dimensions"]), ",")
			if seen[key] {
				continue
			}
			seen[key] = true
			d, _ := cfg["Dimensions"].([]any)
			out = append(out, map[string]any{"Namespace": ns, "MetricName": name, "Dimensions": api.Coerce(c.Op.Service.Shape("Dimensions"), d)})
		}
		// The AWS/Events metrics of the rules that were invoked.
		if c.In.Has("Namespace") && c.In.String("Namespace") != "AWS/Events" {
			return
		}
		var rules []string
		for _, r := range st.EventRules {
			if len(r.History) > 0 {
				rules = append(rules, r.Name)
			}
		}
		sort.Strings(rules)
		for _, r := range rules {
			for _, name := range eventsMetrics {
				key := "AWS/Events|" + name + "|RuleName=" + r
				if seen[key] || (c.In.Has("MetricName") && name != c.In.String("MetricName")) {
					continue
				}
				seen[key] = true
				out = append(out, map[string]any{"Namespace": "AWS/Events", "MetricName": name,
					"Dimensions": []any{map[string]any{"Name": "RuleName", "Value": r}}})
			}
		}
	})
	return map[string]any{"Metrics": out}, nil
}
