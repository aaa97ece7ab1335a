package terraform

import (
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// aws_cloudwatch_event_rule: an EventBridge rule (a schedule or an event
// pattern). Its id is the name on the default bus, "bus/name" on another,
// as the provider's.
func createEventRule(c *rctx) error {
	name := c.name(64)
	bus := engine.EventBusName(c.o.str("event_bus_name"))
	state := c.o.str("state")
	if state == "" {
		state = "ENABLED"
		if b, err := c.o.boolean("is_enabled"); err != nil {
			return err
		} else if b != nil && !*b {
			state = "DISABLED"
		}
	}
	e := c.e()
	cfg := e.Config()
	r, err := e.PutEventRule(model.EventRule{Name: name, ARN: engine.EventRuleARN(cfg.Region, cfg.Account, bus, name), EventBus: bus,
		ScheduleExpression: c.o.str("schedule_expression"), EventPattern: c.o.str("event_pattern"), State: state,
		Description: c.o.str("description"), RoleARN: c.o.str("role_arn"), Tags: c.plainTags()})
	if err != nil {
		if c.o.has("schedule_expression") {
			return c.fail("schedule_expression", err)
		}
		return c.fail("event_pattern", err)
	}
	id := name
	if bus != engine.DefaultEventBus {
		id = bus + "/" + name
	}
	c.created(id, name)
	c.set("name", name)
	c.set("arn", r.ARN)
	c.set("state", r.State)
	return nil
}

// aws_cloudwatch_event_target: a target of a rule; an ecs_target block
// makes it an ECS scheduled task (RunTask with its parameters when the
// rule fires). Its id is "<rule>-<target_id>".
func createEventTarget(c *rctx) error {
	rule, err := c.req("rule")
	if err != nil {
		return err
	}
	arn, err := c.req("arn")
	if err != nil {
		return err
	}
	bus := engine.EventBusName(c.o.str("event_bus_name"))
	id := c.o.str("target_id")
	if id == "" {
		id = c.nameOr(64, "terraform-")
	}
	tg := model.EventTarget{ID: id, ARN: arn, RoleARN: c.o.str("role_arn"), Input: c.o.str("input"), InputPath: c.o.str("input_path")}
	if c.o.has("sqs_target") {
		// sqs_target's message_group_id is the target's SqsParameters (the
		// engine refuses a FIFO queue without it).
		tg.Config = map[string]any{"SqsParameters": map[string]any{"MessageGroupId": c.o.block("sqs_target").str("message_group_id")}}
	}
	if c.o.has("ecs_target") {
		b := c.o.block("ecs_target")
		p := &model.EventECSParameters{TaskDefinitionARN: b.str("task_definition_arn"), LaunchType: model.LaunchType(b.str("launch_type")),
			PlatformVersion: b.str("platform_version"), Group: b.str("group"), PropagateTags: b.str("propagate_tags"),
			EnableECSManagedTags: b.flag("enable_ecs_managed_tags"), EnableExecuteCommand: b.flag("enable_execute_command")}
		if p.TaskDefinitionARN == "" {
			return c.errf("ecs_target", "ecs_target: task_definition_arn is required")
		}
		if p.TaskCount, err = b.integer("task_count", 1); err != nil {
			return err
		}
		for _, s := range b.blocks("capacity_provider_strategy") {
			item := model.CapacityProviderStrategyItem{CapacityProvider: s.str("capacity_provider")}
			if item.Weight, err = s.integer("weight", 0); err != nil {
				return err
			}
			if item.Base, err = s.integer("base", 0); err != nil {
				return err
			}
			p.CapacityProviderStrategy = append(p.CapacityProviderStrategy, item)
		}
		if b.has("network_configuration") {
			n := b.block("network_configuration")
			net := &model.AwsVpcConfiguration{AssignPublicIP: n.flag("assign_public_ip")}
			for _, s := range n.strs("subnets") {
				net.Subnets = append(net.Subnets, model.SubnetID(s))
			}
			for _, s := range n.strs("security_groups") {
				net.SecurityGroups = append(net.SecurityGroups, model.SecurityGroupID(s))
			}
			p.Network = net
		}
		tg.ECS = p
		if tg.RoleARN == "" {
			return c.errf("role_arn", "creating EventBridge Target: ValidationException: RoleArn is required for target %s.", arn)
		}
	}
	var known bool
	c.read(func(st *model.State) { known = st.EventRules[model.EventRuleKey(bus, rule)] != nil })
	if !known {
		c.skip = "its rule " + rule + " is not in this system"
		return nil
	}
	failed, err := c.e().PutEventTargets(bus, rule, []model.EventTarget{tg})
	if err != nil {
		return c.fail("rule", err)
	}
	if len(failed) > 0 { // the provider fails on a failed entry
		return c.fail("arn", apierr.New(failed[0].Code, failed[0].Message))
	}
	c.created(rule+"-"+id, "")
	c.set("target_id", id)
	return nil
}
