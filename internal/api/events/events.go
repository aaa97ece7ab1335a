// Package events serves Amazon EventBridge (AWS JSON 1.1, AWSEvents.*) as
// far as ECS scheduled tasks use it: rules (schedule expressions and event
// patterns) on the default event bus and custom buses, their targets with
// EcsParameters, tags, PutEvents and TestEventPattern. The engine runs a
// scheduled rule's ECS targets on its clock (engine/events.go), and those
// of a rule whose pattern matches ECS's events or PutEvents'
// (engine/events_ecs.go).
package events

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the EventBridge handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("events", op, h) }
	add("PutRule", putRule)
	add("DescribeRule", describeRule)
	add("ListRules", listRules)
	add("DeleteRule", deleteRule)
	add("EnableRule", func(c *api.Call) (map[string]any, error) { return setState(c, "ENABLED") })
	add("DisableRule", func(c *api.Call) (map[string]any, error) { return setState(c, "DISABLED") })
	add("PutTargets", putTargets)
	add("RemoveTargets", removeTargets)
	add("ListTargetsByRule", listTargetsByRule)
	add("ListRuleNamesByTarget", listRuleNamesByTarget)
	add("TagResource", tagResource)
	add("UntagResource", untagResource)
	add("ListTagsForResource", listTagsForResource)
	add("DescribeEventBus", describeEventBus)
	add("ListEventBuses", listEventBuses)
	add("CreateEventBus", createEventBus)
	add("DeleteEventBus", deleteEventBus)
	add("UpdateEventBus", updateEventBus)
	add("PutEvents", putEvents)
	add("TestEventPattern", testEventPattern)
}

var namePattern = regexp.MustCompile(`^[\.\-_A-Za-z0-9]+$`)

// validation is the Coral message of one or more constraint failures.
func validation(msgs ...string) error {
	if len(msgs) == 1 {
		return apierr.New("ValidationException", "1 validation error detected: "+msgs[0])
	}
	return apierr.Newf("ValidationException", "%d validation errors detected: %s", len(msgs), strings.Join(msgs, "; "))
}

func checkName(value, at string, max int) []string {
	var out []string
	if !namePattern.MatchString(value) {
		out = append(out, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+", value, at))
	}
	if len(value) > max {
		out = append(out, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", value, at, max))
	}
	return out
}

func bus(c *api.Call) string { return engine.EventBusName(c.In.String("EventBusName")) }

func putRule(c *api.Call) (map[string]any, error) {
	in := c.In
	name := in.String("Name")
	msgs := checkName(name, "name", 64)
	if s := in.String("State"); s != "" && s != "ENABLED" && s != "DISABLED" && s != "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" {
		msgs = append(msgs, fmt.Sprintf("Value '%s' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]", s))
	}
	if len(in.String("ScheduleExpression")) > 256 {
		msgs = append(msgs, fmt.Sprintf("Value '%s' at 'scheduleExpression' failed to satisfy constraint: Member must have length less than or equal to 256", in.String("ScheduleExpression")))
	}
	if len(msgs) > 0 {
		return nil, validation(msgs...)
	}
	b := bus(c)
	r, err := c.Engine.PutEventRule(model.EventRule{Name: name, ARN: engine.EventRuleARN(c.Region, c.Account, b, name), EventBus: b,
		ScheduleExpression: in.String("ScheduleExpression"), EventPattern: in.String("EventPattern"), State: in.String("State"),
		Description: in.String("Description"), RoleARN: in.String("RoleArn"), Tags: api.KeyValues(in.Structs("Tags"), "Key", "Value")})
	if err != nil {
		return nil, err
	}
	return map[string]any{"RuleArn": r.ARN}, nil
}

func readRule(c *api.Call, name string) (*model.EventRule, error) {
	var r *model.EventRule
	b := bus(c)
	c.Engine.Read(func(st *model.State) { r = st.EventRules[model.EventRuleKey(b, name)] })
	if r == nil {
		return nil, engine.EventRuleNotFound(name, b)
	}
	return r, nil
}

func ruleOut(r *model.EventRule) map[string]any {
	return map[string]any{"Name": r.Name, "Arn": r.ARN, "EventPattern": api.Str(r.EventPattern), "ScheduleExpression": api.Str(r.ScheduleExpression),
		"State": r.State, "Description": api.Str(r.Description), "RoleArn": api.Str(r.RoleARN), "ManagedBy": api.Str(r.ManagedBy), "EventBusName": r.EventBus}
}

func describeRule(c *api.Call) (map[string]any, error) {
	r, err := readRule(c, c.In.String("Name"))
	if err != nil {
		return nil, err
	}
	out := ruleOut(r)
	out["CreatedBy"] = c.Account
	return out, nil
}

func listRules(c *api.Call) (map[string]any, error) {
	b, prefix := bus(c), c.In.String("NamePrefix")
	var rules []*model.EventRule
	var busOK bool
	c.Engine.Read(func(st *model.State) {
		busOK = engine.HasEventBus(st, b)
		for _, r := range st.EventRules {
			if r.EventBus == b && strings.HasPrefix(r.Name, prefix) {
				rules = append(rules, r)
			}
		}
	})
	if !busOK {
		return nil, engine.EventBusNotFound(b)
	}
	sort.Slice(rules, func(i, j int) bool { return rules[i].Name < rules[j].Name })
	page, next, ok := api.Paginate(rules, func(r *model.EventRule) string { return r.Name }, c.In.String("NextToken"), int(c.In.IntOr("Limit", 100)))
	if !ok {
		return nil, apierr.New("ValidationException", "The nextToken provided is invalid.")
	}
	out := make([]any, len(page))
	for i, r := range page {
		out[i] = ruleOut(r)
	}
	return map[string]any{"Rules": out, "NextToken": api.Str(next)}, nil
}

func deleteRule(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteEventRule(bus(c), c.In.String("Name"), c.In.Bool("Force"))
}

func setState(c *api.Call, state string) (map[string]any, error) {
	_, err := c.Engine.ChangeEventRule(bus(c), c.In.String("Name"), func(r *model.EventRule, _ time.Time) error {
		r.State = state
		return nil
	})
	return nil, err
}

// targetIn decodes a Target; ECS parameters become the engine's.
func targetIn(p awsproto.Params) model.EventTarget {
	tg := model.EventTarget{ID: p.String("Id"), ARN: p.String("Arn"), RoleARN: p.String("RoleArn"), Input: p.String("Input"), InputPath: p.String("InputPath")}
	cfg := map[string]any{}
	for k, v := range p {
		switch k {
		case "Id", "Arn", "RoleArn", "Input", "InputPath", "EcsParameters":
		default:
			cfg[k] = v
		}
	}
	if len(cfg) > 0 {
		tg.Config = cfg
	}
	if !p.Has("EcsParameters") {
		return tg
	}
	e := p.Struct("EcsParameters")
	ecs := &model.EventECSParameters{TaskDefinitionARN: e.String("TaskDefinitionArn"), TaskCount: int(e.IntOr("TaskCount", 1)),
		LaunchType: model.LaunchType(e.String("LaunchType")), PlatformVersion: e.String("PlatformVersion"), Group: e.String("Group"),
		PropagateTags: e.String("PropagateTags"), ReferenceID: e.String("ReferenceId"), EnableECSManagedTags: e.Bool("EnableECSManagedTags"),
		EnableExecuteCommand: e.Bool("EnableExecuteCommand"), Tags: api.KeyValues(e.Structs("Tags"), "Key", "Value")}
	for _, s := range e.Structs("CapacityProviderStrategy") {
		ecs.CapacityProviderStrategy = append(ecs.CapacityProviderStrategy, model.CapacityProviderStrategyItem{
			CapacityProvider: s.String("capacityProvider"), Weight: int(s.Int("weight")), Base: int(s.Int("base"))})
	}
	for _, s := range e.Structs("PlacementConstraints") {
		ecs.PlacementConstraints = append(ecs.PlacementConstraints, model.PlacementConstraint{Type: s.String("type"), Expression: s.String("expression")})
	}
	for _, s := range e.Structs("PlacementStrategy") {
		ecs.PlacementStrategy = append(ecs.PlacementStrategy, model.PlacementStrategy{Type: s.String("type"), Field: s.String("field")})
	}
	if n := e.Struct("NetworkConfiguration"); n != nil && n.Has("awsvpcConfiguration") {
		v := n.Struct("awsvpcConfiguration")
		net := &model.AwsVpcConfiguration{AssignPublicIP: v.String("AssignPublicIp") == "ENABLED"}
		for _, s := range v.Strings("Subnets") {
			net.Subnets = append(net.Subnets, model.SubnetID(s))
		}
		for _, s := range v.Strings("SecurityGroups") {
			net.SecurityGroups = append(net.SecurityGroups, model.SecurityGroupID(s))
		}
		ecs.Network = net
	}
	tg.ECS = ecs
	return tg
}

func targetOut(tg model.EventTarget) map[string]any {
	out := map[string]any{}
	for k, v := range tg.Config {
		out[k] = v
	}
	out["Id"], out["Arn"], out["RoleArn"], out["Input"], out["InputPath"] = tg.ID, tg.ARN, api.Str(tg.RoleARN), api.Str(tg.Input), api.Str(tg.InputPath)
	if e := tg.ECS; e != nil {
		m := map[string]any{"TaskDefinitionArn": e.TaskDefinitionARN, "TaskCount": e.TaskCount, "LaunchType": api.Str(e.LaunchType),
			"PlatformVersion": api.Str(e.PlatformVersion), "Group": api.Str(e.Group), "PropagateTags": api.Str(e.PropagateTags),
			"ReferenceId": api.Str(e.ReferenceID), "EnableECSManagedTags": e.EnableECSManagedTags, "EnableExecuteCommand": e.EnableExecuteCommand}
		if len(e.CapacityProviderStrategy) > 0 {
			l := make([]any, len(e.CapacityProviderStrategy))
			for i, s := range e.CapacityProviderStrategy {
				l[i] = map[string]any{"capacityProvider": s.CapacityProvider, "weight": s.Weight, "base": s.Base}
			}
			m["CapacityProviderStrategy"] = l
		}
		if len(e.PlacementConstraints) > 0 {
			l := make([]any, len(e.PlacementConstraints))
			for i, s := range e.PlacementConstraints {
				l[i] = map[string]any{"type": s.Type, "expression": api.Str(s.Expression)}
			}
			m["PlacementConstraints"] = l
		}
		if len(e.PlacementStrategy) > 0 {
			l := make([]any, len(e.PlacementStrategy))
			for i, s := range e.PlacementStrategy {
				l[i] = map[string]any{"type": s.Type, "field": api.Str(s.Field)}
			}
			m["PlacementStrategy"] = l
		}
		if len(e.Tags) > 0 {
			m["Tags"] = api.TagList(e.Tags, "Key", "Value")
		}
		if n := e.Network; n != nil {
			ip := "DISABLED"
			if n.AssignPublicIP {
				ip = "ENABLED"
			}
			m["NetworkConfiguration"] = map[string]any{"awsvpcConfiguration": map[string]any{
				"Subnets": api.Strs(n.Subnets), "SecurityGroups": api.Strs(n.SecurityGroups), "AssignPublicIp": ip}}
		}
		out["EcsParameters"] = m
	}
	return out
}

func failedOut(f []engine.EventTargetFailure) map[string]any {
	l := make([]any, len(f))
	for i, x := range f {
		l[i] = map[string]any{"TargetId": x.TargetID, "ErrorCode": x.Code, "ErrorMessage": x.Message}
	}
	return map[string]any{"FailedEntryCount": len(f), "FailedEntries": l}
}

// needsRole reports a target EventBridge invokes with the target's role:
// an ECS cluster, a Step Functions state machine, CodeBuild, CodePipeline.
func needsRole(tg model.EventTarget) bool {
	if tg.ECS != nil {
		return true
	}
	for _, s := range []string{":ecs:", ":states:", ":codebuild:", ":codepipeline:"} {
		if strings.Contains(tg.ARN, s) {
			return true
		}
	}
	return false
}

func putTargets(c *api.Call) (map[string]any, error) {
	var targets []model.EventTarget
	var failed []engine.EventTargetFailure
	var msgs []string
	for i, p := range c.In.Structs("Targets") {
		tg := targetIn(p)
		msgs = append(msgs, checkName(tg.ID, fmt.Sprintf("targets.%d.member.id", i+1), 64)...)
		f := engine.EventTargetFailed(tg)
		switch {
		case f != nil:
			failed = append(failed, *f)
		case tg.RoleARN == "" && needsRole(tg):
			// An ECS target needs the role EventBridge calls RunTask with.
			return nil, apierr.Newf("ValidationException", "RoleArn is required for target %s.", tg.ARN)
		default:
			targets = append(targets, tg)
		}
	}
	if len(msgs) > 0 {
		return nil, validation(msgs...)
	}
	if len(c.In.Structs("Targets")) > 10 {
		return nil, validation(fmt.Sprintf("Value '%v' at 'targets' failed to satisfy constraint: Member must have length less than or equal to 10", "[...]"))
	}
	more, err := c.Engine.PutEventTargets(bus(c), c.In.String("Rule"), targets)
	if err != nil {
		return nil, err
	}
	return failedOut(append(failed, more...)), nil
}

func removeTargets(c *api.Call) (map[string]any, error) {
	failed, err := c.Engine.RemoveEventTargets(bus(c), c.In.String("Rule"), c.In.Strings("Ids"), c.In.Bool("Force"))
	if err != nil {
		return nil, err
	}
	return failedOut(failed), nil
}

func listTargetsByRule(c *api.Call) (map[string]any, error) {
	r, err := readRule(c, c.In.String("Rule"))
	if err != nil {
		return nil, err
	}
	page, next, ok := api.Paginate(r.Targets, func(t model.EventTarget) string { return t.ID }, c.In.String("NextToken"), int(c.In.IntOr("Limit", 100)))
	if !ok {
		return nil, apierr.New("ValidationException", "The nextToken provided is invalid.")
	}
	out := make([]any, len(page))
	for i, tg := range page {
		out[i] = targetOut(tg)
	}
	return map[string]any{"Targets": out, "NextToken": api.Str(next)}, nil
}

func listRuleNamesByTarget(c *api.Call) (map[string]any, error) {
	b, arn := bus(c), c.In.String("TargetArn")
	var names []string
	c.Engine.Read(func(st *model.State) {
		for _, r := range st.EventRules {
			if r.EventBus != b {
				continue
			}
			for _, tg := range r.Targets {
				if tg.ARN == arn {
					names = append(names, r.Name)
					break
				}
			}
		}
	})
	sort.Strings(names)
	page, next, ok := api.Paginate(names, func(s string) string { return s }, c.In.String("NextToken"), int(c.In.IntOr("Limit", 100)))
	if !ok {
		return nil, apierr.New("ValidationException", "The nextToken provided is invalid.")
	}
	return map[string]any{"RuleNames": page, "NextToken": api.Str(next)}, nil
}

func tagResource(c *api.Call) (map[string]any, error) {
	return nil, tagEventResource(c, api.KeyValues(c.In.Structs("Tags"), "Key", "Value"), nil)
}

func untagResource(c *api.Call) (map[string]any, error) {
	return nil, tagEventResource(c, nil, c.In.Strings("TagKeys"))
}

// tagEventResource tags a rule, a custom bus or the default bus (which AWS
// tags too: LocalStack's recording, docs/aws-behavior.md).
func tagEventResource(c *api.Call, add model.Tags, remove []string) error {
	arn := c.In.String("ResourceARN")
	if arn == engine.EventBusARN(c.Region, c.Account, engine.DefaultEventBus) {
		return c.Engine.TagDefaultEventBus(arn, add, remove)
	}
	return c.Engine.TagEventResource(arn, add, remove)
}

func listTagsForResource(c *api.Call) (map[string]any, error) {
	arn := c.In.String("ResourceARN")
	var tags model.Tags
	var err error
	c.Engine.Read(func(st *model.State) {
		if arn == engine.EventBusARN(c.Region, c.Account, engine.DefaultEventBus) {
			if b := st.EventBuses[engine.DefaultEventBus]; b != nil {
				tags = b.Tags.Clone()
			}
			return
		}
		tags, err = engine.EventResourceTags(st, arn)
		tags = tags.Clone()
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Tags": api.TagList(tags, "Key", "Value")}, nil
}

func busOut(c *api.Call, b *model.EventBus) map[string]any {
	if b == nil || b.Name == engine.DefaultEventBus { // default: its description, once UpdateEventBus gave one
		out := map[string]any{"Name": engine.DefaultEventBus, "Arn": engine.EventBusARN(c.Region, c.Account, engine.DefaultEventBus)}
		if b != nil && b.Description != "" {
			out["Description"] = b.Description
		}
		return out
	}
	return map[string]any{"Name": b.Name, "Arn": b.ARN, "Description": api.Str(b.Description), "CreationTime": api.Time(b.Created), "LastModifiedTime": api.Time(b.Modified)}
}

func describeEventBus(c *api.Call) (map[string]any, error) {
	name := engine.EventBusName(c.In.String("Name"))
	var b *model.EventBus
	c.Engine.Read(func(st *model.State) { b = st.EventBuses[name] })
	if name == engine.DefaultEventBus {
		return busOut(c, b), nil
	}
	if b == nil {
		return nil, engine.EventBusNotFound(name)
	}
	return busOut(c, b), nil
}

func listEventBuses(c *api.Call) (map[string]any, error) {
	prefix := c.In.String("NamePrefix")
	var buses []*model.EventBus
	c.Engine.Read(func(st *model.State) {
		if strings.HasPrefix(engine.DefaultEventBus, prefix) {
			buses = append(buses, st.EventBuses[engine.DefaultEventBus]) // nil until tagged or described
		}
		for _, b := range st.EventBuses {
			if b.Name != engine.DefaultEventBus && strings.HasPrefix(b.Name, prefix) { // default's tags: listed above
				buses = append(buses, b)
			}
		}
	})
	key := func(b *model.EventBus) string {
		if b == nil {
			return engine.DefaultEventBus
		}
		return b.Name
	}
	sort.Slice(buses, func(i, j int) bool { return key(buses[i]) < key(buses[j]) })
	page, next, ok := api.Paginate(buses, key, c.In.String("NextToken"), int(c.In.IntOr("Limit", 100)))
	if !ok {
		return nil, apierr.New("ValidationException", "The nextToken provided is invalid.")
	}
	out := make([]any, len(page))
	for i, b := range page {
		out[i] = busOut(c, b)
	}
	return map[string]any{"EventBuses": out, "NextToken": api.Str(next)}, nil
}

var busNamePattern = regexp.MustCompile(`^[/\.\-_A-Za-z0-9]+$`)

func createEventBus(c *api.Call) (map[string]any, error) {
	name := c.In.String("Name")
	if !busNamePattern.MatchString(name) || len(name) > 256 {
		return nil, validation(fmt.Sprintf("Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+", name))
	}
	if c.In.String("EventSourceName") == "" && strings.Contains(name, "/") {
		// Only a partner event bus (of an event source) has a '/'.
		return nil, apierr.New("ValidationException", "Event bus name must not contain '/'.")
	}
	if src := c.In.String("EventSourceName"); src != "" {
		return nil, apierr.Newf("ResourceNotFoundException", "Event source %s does not exist.", src)
	}
	b, err := c.Engine.CreateEventBus(model.EventBus{Name: name, ARN: engine.EventBusARN(c.Region, c.Account, name),
		Description: c.In.String("Description"), Tags: api.KeyValues(c.In.Structs("Tags"), "Key", "Value")})
	if err != nil {
		return nil, err
	}
	return map[string]any{"EventBusArn": b.ARN, "Description": api.Str(b.Description)}, nil
}

func deleteEventBus(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteEventBus(c.In.String("Name"))
}

// updateEventBus changes a bus's description, the default bus's too. The
// KMS key, dead-letter queue and log configuration are not modelled: they
// are neither kept nor answered ([choice]).
func updateEventBus(c *api.Call) (map[string]any, error) {
	name := engine.EventBusName(c.In.String("Name"))
	desc := c.In.String("Description")
	if err := c.Engine.UpdateEventBus(name, desc); err != nil {
		return nil, err
	}
	var b *model.EventBus
	c.Engine.Read(func(st *model.State) { b = st.EventBuses[name] })
	out := map[string]any{"Name": name, "Arn": engine.EventBusARN(c.Region, c.Account, name), "Description": api.Str(desc)}
	if b != nil && b.ARN != "" {
		out["Arn"] = b.ARN
	}
	return out, nil
}

// putEvents sends each entry to its bus (EventBusName, a name or an ARN;
// default when absent), where the bus's rules match it. An entry without
// Source, DetailType or Detail, with a Detail that is not a JSON object,
// or of a source of AWS's own (aws.*), fails alone.
func putEvents(c *api.Call) (map[string]any, error) {
	entries := c.In.Structs("Entries")
	if len(entries) == 0 || len(entries) > 10 {
		return nil, validation(fmt.Sprintf("Value '%v' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10", "[...]"))
	}
	out := make([]any, len(entries))
	var send []engine.PutEventsEntry
	var at []int
	for i, p := range entries {
		fail := func(code, msg string) { out[i] = map[string]any{"ErrorCode": code, "ErrorMessage": msg} }
		switch {
		case p.String("Source") == "":
			fail("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument.")
		case p.String("DetailType") == "":
			fail("InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument.")
		case p.String("Detail") == "":
			fail("InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument.")
		case strings.HasPrefix(p.String("Source"), "aws."):
			fail("NotAuthorizedForSourceException", "Not authorized for the source.")
		default:
			if _, err := engine.DecodeEvent([]byte(p.String("Detail"))); err != nil {
				fail("MalformedDetail", "Detail is malformed.")
				continue
			}
			send = append(send, engine.PutEventsEntry{Bus: engine.EventBusName(p.String("EventBusName")), Source: p.String("Source"),
				DetailType: p.String("DetailType"), Detail: p.String("Detail"), Resources: p.Strings("Resources"), Time: p.Time("Time")})
			at = append(at, i)
		}
	}
	ids, errs, err := c.Engine.PutEvents(send)
	if err != nil {
		return nil, err
	}
	for j, i := range at {
		if errs[j] != nil {
			out[i] = map[string]any{"ErrorCode": errs[j].Code, "ErrorMessage": errs[j].Message}
			continue
		}
		out[i] = map[string]any{"EventId": ids[j]}
	}
	failed := 0
	for _, o := range out {
		if _, ok := o.(map[string]any)["ErrorCode"]; ok {
			failed++
		}
	}
	return map[string]any{"FailedEntryCount": failed, "Entries": out}, nil
}

// eventEnvelope are the fields TestEventPattern requires of its event (the
// API reference: id, account, source, time, region, detail-type).
var eventEnvelope = []string{"id", "account", "source", "time", "region", "detail-type"}

// testEventPattern answers whether an event matches a pattern, with the
// matcher the rules use.
func testEventPattern(c *api.Call) (map[string]any, error) {
	p, err := engine.ParseEventPattern(c.In.String("EventPattern"))
	if err != nil {
		return nil, err
	}
	ev, err := engine.DecodeEvent([]byte(c.In.String("Event")))
	if err != nil {
		return nil, apierr.New("ValidationException", "Parameter Event is not valid.")
	}
	for _, f := range eventEnvelope {
		if _, ok := ev[f]; !ok {
			return nil, apierr.New("ValidationException", "Parameter Event is not valid.")
		}
	}
	return map[string]any{"Result": p.Matches(ev)}, nil
}
