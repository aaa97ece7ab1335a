package snapshot

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// EventBridge rules (round thirty-four): events list-rules of every event
// bus (merged under "Rules", the key elbv2 describe-rules answers under
// too: told apart by content, an events rule has Name and Arn, an elbv2
// rule RuleArn) and list-targets-by-rule of each rule, one file each with
// the rule and its bus beside the targets (EventTargetsFileName). The ECS
// targets of enabled rules are tasks the schedule will start: check's
// scheduled-task findings read them. A snapshot's rules are not fired by
// its engine (their next occurrence is unknown) [choice].

// EventTargetsFileName is the file name ecsnet collect and
// scripts/collect.sh give one rule's list-targets-by-rule output, with
// the rule's bus and name beside it ({"EventBusName": …, "Rule": …,
// "Targets": […]}).
func EventTargetsFileName(bus, rule string) string {
	return "events-list-targets-by-rule-" + strings.ReplaceAll(bus, "/", "-") + "-" + rule + ".json"
}

// eventsData is what a region's files hold of EventBridge.
type eventsData struct {
	rules   []item[evRule]
	targets []item[evTargets]
}

func (d *eventsData) merge(o *eventsData) {
	d.rules = append(d.rules, o.rules...)
	d.targets = append(d.targets, o.targets...)
}

// evRule is list-rules' Rule.
type evRule struct {
	Name               string `json:"Name"`
	Arn                string `json:"Arn"`
	EventPattern       string `json:"EventPattern,omitempty"`
	ScheduleExpression string `json:"ScheduleExpression,omitempty"`
	State              string `json:"State,omitempty"`
	Description        string `json:"Description,omitempty"`
	RoleArn            string `json:"RoleArn,omitempty"`
	ManagedBy          string `json:"ManagedBy,omitempty"`
	EventBusName       string `json:"EventBusName,omitempty"`
}

// anyRule is an element of a "Rules" list: an elbv2 rule or an events
// rule (their members do not overlap).
type anyRule struct {
	elbRule
	evRule
}

// isEvents reports whether a Rules element is an EventBridge rule.
func (r anyRule) isEvents() bool {
	return r.RuleArn == "" && (r.evRule.Arn != "" || r.EventBusName != "" || r.Name != "")
}

// evTargets is one rule's list-targets-by-rule output and its rule.
type evTargets struct {
	EventBusName string     `json:"EventBusName,omitempty"`
	Rule         string     `json:"Rule"`
	Targets      []evTarget `json:"Targets"`
}

// evTarget is list-targets-by-rule's Target (the members ecsnet models).
type evTarget struct {
	ID            string `json:"Id"`
	Arn           string `json:"Arn"`
	RoleArn       string `json:"RoleArn,omitempty"`
	Input         string `json:"Input,omitempty"`
	InputPath     string `json:"InputPath,omitempty"`
	EcsParameters *struct {
		TaskDefinitionArn        string `json:"TaskDefinitionArn"`
		TaskCount                int    `json:"TaskCount,omitempty"`
		LaunchType               string `json:"LaunchType,omitempty"`
		PlatformVersion          string `json:"PlatformVersion,omitempty"`
		Group                    string `json:"Group,omitempty"`
		PropagateTags            string `json:"PropagateTags,omitempty"`
		ReferenceId              string `json:"ReferenceId,omitempty"`
		EnableECSManagedTags     bool   `json:"EnableECSManagedTags,omitempty"`
		EnableExecuteCommand     bool   `json:"EnableExecuteCommand,omitempty"`
		CapacityProviderStrategy []struct {
			CapacityProvider string `json:"capacityProvider"`
			Weight           int    `json:"weight,omitempty"`
			Base             int    `json:"base,omitempty"`
		} `json:"CapacityProviderStrategy,omitempty"`
		PlacementConstraints []struct {
			Type       string `json:"type"`
			Expression string `json:"expression,omitempty"`
		} `json:"PlacementConstraints,omitempty"`
		PlacementStrategy []struct {
			Type  string `json:"type"`
			Field string `json:"field,omitempty"`
		} `json:"PlacementStrategy,omitempty"`
		NetworkConfiguration *struct {
			AwsvpcConfiguration *struct {
				Subnets        []string `json:"Subnets"`
				SecurityGroups []string `json:"SecurityGroups,omitempty"`
				AssignPublicIp string   `json:"AssignPublicIp,omitempty"`
			} `json:"awsvpcConfiguration,omitempty"`
		} `json:"NetworkConfiguration,omitempty"`
		Tags []ec2Tag `json:"Tags,omitempty"`
	} `json:"EcsParameters,omitempty"`
	// Config is every other member of the target as the file gives it
	// (RetryPolicy, DeadLetterConfig, InputTransformer, SqsParameters,
	// other services' parameters), model.EventTarget's Config.
	Config map[string]any `json:"-"`
}

// evTargetModelled are the members of a target evTarget reads itself.
var evTargetModelled = []string{"Id", "Arn", "RoleArn", "Input", "InputPath", "EcsParameters"}

// UnmarshalJSON reads the modelled members and keeps the others in
// Config, whole numbers as int64 (as the API decodes them).
func (t *evTarget) UnmarshalJSON(b []byte) error {
	type plain evTarget
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	var all map[string]any
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	*t = evTarget(p)
	for k, v := range all {
		if v == nil || slices.Contains(evTargetModelled, k) {
			continue
		}
		if t.Config == nil {
			t.Config = map[string]any{}
		}
		t.Config[k] = wholeNumbers(v)
	}
	return nil
}

// wholeNumbers turns the whole float64 numbers of a decoded JSON value
// into int64.
func wholeNumbers(v any) any {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = wholeNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = wholeNumbers(e)
		}
	}
	return v
}

// dispatchRules reads a "Rules" list: elbv2 rules into rd.rules, events
// rules into rd.events. It returns the key the call is seen as: "Rules"
// (elbv2 describe-rules) or "EventRules"; an empty list is the events
// call's when its file's name says so (events-…).
func (rd *regionData) dispatchRules(f *fileInfo, data []byte, m member) (ok bool, key string) {
	var all []item[anyRule]
	if ok = decodeList(rd, f, data, m, &all); !ok {
		return false, m.key
	}
	key = m.key
	base := f.name[strings.LastIndexAny(f.name, `/\`)+1:]
	if len(all) == 0 && strings.HasPrefix(base, "events-") {
		key = "EventRules"
	}
	elb := false
	for _, it := range all {
		if it.v.isEvents() {
			rd.events.rules = append(rd.events.rules, item[evRule]{it.v.evRule, it.at})
			continue
		}
		elb = true
		rd.rules = append(rd.rules, item[elbRule]{it.v.elbRule, it.at})
	}
	if len(all) > 0 && !elb {
		key = "EventRules"
	}
	return true, key
}

// dispatchEventTargets reads a list-targets-by-rule output ("Targets"),
// its rule beside it.
func (rd *regionData) dispatchEventTargets(f *fileInfo, data []byte, m member, all map[string]span) (ok, handled bool) {
	if m.key != "Targets" {
		return true, false
	}
	at := pos{f, m.val.start}
	var ts []item[evTarget]
	if ok = decodeList(rd, f, data, m, &ts); !ok {
		return false, true
	}
	x := evTargets{Targets: []evTarget{}}
	for _, t := range ts {
		x.Targets = append(x.Targets, t.v)
	}
	if s, found := all["Rule"]; found {
		_ = json.Unmarshal(data[s.start:s.end], &x.Rule)
	}
	if s, found := all["EventBusName"]; found {
		_ = json.Unmarshal(data[s.start:s.end], &x.EventBusName)
	}
	if x.Rule == "" {
		rd.warn(at.warning(CodeBadValue, "", "Targets skipped: the file does not say which EventBridge rule they belong to; "+
			"put its name (and bus) beside them ({\"EventBusName\": …, \"Rule\": …, \"Targets\": […]})"))
		return true, true
	}
	rd.events.targets = append(rd.events.targets, item[evTargets]{x, at})
	return true, true
}

// eventRules puts the EventBridge rules and their targets into the state.
func (b *builder) eventRules() {
	for _, it := range b.rd.events.rules {
		v := it.v
		if v.Name == "" {
			b.rd.warn(it.at.warning(CodeBadValue, v.Arn, "an EventBridge rule without Name skipped"))
			continue
		}
		bus := cmp.Or(v.EventBusName, "default")
		b.st.EventRules[model.EventRuleKey(bus, v.Name)] = &model.EventRule{Name: v.Name, ARN: v.Arn, EventBus: bus, ScheduleExpression: v.ScheduleExpression,
			EventPattern: v.EventPattern, State: v.State, Description: v.Description, RoleARN: v.RoleArn, ManagedBy: v.ManagedBy}
	}
	for _, it := range b.rd.events.targets {
		bus := cmp.Or(it.v.EventBusName, "default")
		r := b.st.EventRules[model.EventRuleKey(bus, it.v.Rule)]
		if r == nil {
			b.rd.warn(it.at.warning(CodeDangling, it.v.Rule, "the targets of EventBridge rule "+it.v.Rule+" (bus "+bus+") skipped: the rule is not in events list-rules"))
			continue
		}
		r.Targets = nil
		for _, t := range it.v.Targets {
			r.Targets = append(r.Targets, eventTarget(t))
		}
	}
}

func eventTarget(t evTarget) model.EventTarget {
	out := model.EventTarget{ID: t.ID, ARN: t.Arn, RoleARN: t.RoleArn, Input: t.Input, InputPath: t.InputPath, Config: t.Config}
	e := t.EcsParameters
	if e == nil {
		return out
	}
	ecs := &model.EventECSParameters{TaskDefinitionARN: e.TaskDefinitionArn, TaskCount: cmp.Or(e.TaskCount, 1), LaunchType: model.LaunchType(e.LaunchType),
		PlatformVersion: e.PlatformVersion, Group: e.Group, PropagateTags: e.PropagateTags, ReferenceID: e.ReferenceId,
		EnableECSManagedTags: e.EnableECSManagedTags, EnableExecuteCommand: e.EnableExecuteCommand, Tags: ec2Tags(e.Tags)}
	for _, s := range e.CapacityProviderStrategy {
		ecs.CapacityProviderStrategy = append(ecs.CapacityProviderStrategy, model.CapacityProviderStrategyItem{CapacityProvider: s.CapacityProvider, Weight: s.Weight, Base: s.Base})
	}
	for _, s := range e.PlacementConstraints {
		ecs.PlacementConstraints = append(ecs.PlacementConstraints, model.PlacementConstraint{Type: s.Type, Expression: s.Expression})
	}
	for _, s := range e.PlacementStrategy {
		ecs.PlacementStrategy = append(ecs.PlacementStrategy, model.PlacementStrategy{Type: s.Type, Field: s.Field})
	}
	if n := e.NetworkConfiguration; n != nil && n.AwsvpcConfiguration != nil {
		v := n.AwsvpcConfiguration
		net := &model.AwsVpcConfiguration{AssignPublicIP: v.AssignPublicIp == "ENABLED"}
		for _, s := range v.Subnets {
			net.Subnets = append(net.Subnets, model.SubnetID(s))
		}
		for _, s := range v.SecurityGroups {
			net.SecurityGroups = append(net.SecurityGroups, model.SecurityGroupID(s))
		}
		ecs.Network = net
	}
	out.ECS = ecs
	return out
}

// eventFiles writes the rules (list-rules) and each rule's targets, when
// the state has rules.
func (w *writer) eventFiles(files map[string]any) {
	if len(w.st.EventRules) == 0 {
		return
	}
	rules := []any{}
	for _, r := range sortedValues(w.st.EventRules) {
		rules = append(rules, evRule{Name: r.Name, Arn: r.ARN, EventPattern: r.EventPattern, ScheduleExpression: r.ScheduleExpression, State: r.State,
			Description: r.Description, RoleArn: r.RoleARN, ManagedBy: r.ManagedBy, EventBusName: r.EventBus})
		ts := []any{}
		for _, t := range r.Targets {
			m := map[string]any{}
			for k, v := range t.Config {
				m[k] = v
			}
			m["Id"], m["Arn"] = t.ID, t.ARN
			for k, v := range map[string]string{"RoleArn": t.RoleARN, "Input": t.Input, "InputPath": t.InputPath} {
				if v != "" {
					m[k] = v
				}
			}
			if e := t.ECS; e != nil {
				ecs := map[string]any{"TaskDefinitionArn": e.TaskDefinitionARN, "TaskCount": e.TaskCount}
				if e.LaunchType != "" {
					ecs["LaunchType"] = string(e.LaunchType)
				}
				if n := e.Network; n != nil {
					ip := "DISABLED"
					if n.AssignPublicIP {
						ip = "ENABLED"
					}
					subnets, groups := []string{}, []string{}
					for _, s := range n.Subnets {
						subnets = append(subnets, string(s))
					}
					for _, g := range n.SecurityGroups {
						groups = append(groups, string(g))
					}
					ecs["NetworkConfiguration"] = map[string]any{"awsvpcConfiguration": map[string]any{"Subnets": subnets, "SecurityGroups": groups, "AssignPublicIp": ip}}
				}
				m["EcsParameters"] = ecs
			}
			ts = append(ts, m)
		}
		files[EventTargetsFileName(r.EventBus, r.Name)] = map[string]any{"EventBusName": r.EventBus, "Rule": r.Name, "Targets": ts}
	}
	files["events-list-rules.json"] = map[string]any{"Rules": rules}
}
