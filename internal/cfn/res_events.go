package cfn

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// typeEventRule is an EventBridge rule: its ECS targets are tasks the
// schedule starts (the engine runs them through RunTask; the analyzer
// checks they can start). Ref is the rule's name ("bus|name" on a custom
// bus), GetAtt Arn its ARN.
const typeEventRule = "AWS::Events::Rule"

func createEventRule(c *rctx) error {
	p := c.p
	name, err := c.name("Name", 64)
	if err != nil {
		return err
	}
	var sched, state, desc, busName, role string
	for k, dst := range map[string]*string{"ScheduleExpression": &sched, "State": &state, "Description": &desc, "EventBusName": &busName, "RoleArn": &role} {
		if *dst, err = p.str(k); err != nil {
			return err
		}
	}
	pattern, err := p.policyDocument("EventPattern", false)
	if err != nil {
		return err
	}
	targets, err := eventTargets(p)
	if err != nil {
		return err
	}
	tags, err := p.tagList()
	if err != nil {
		return err
	}
	e := c.e()
	cfg := e.Config()
	bus := engine.EventBusName(busName)
	r, err := e.PutEventRule(model.EventRule{Name: name, ARN: engine.EventRuleARN(cfg.Region, cfg.Account, bus, name), EventBus: bus,
		ScheduleExpression: sched, EventPattern: pattern, State: state, Description: desc, RoleARN: role, Tags: tags})
	if err != nil {
		if sched != "" {
			return p.at("ScheduleExpression", err)
		}
		return p.at("EventPattern", err)
	}
	if len(targets) > 0 {
		failed, err := e.PutEventTargets(bus, name, targets)
		if err == nil && len(failed) > 0 {
			// The rule's handler fails on a failed entry as on an error.
			err = apierr.New(failed[0].Code, failed[0].Message)
		}
		if err != nil {
			_ = e.DeleteEventRule(bus, name, true)
			return p.at("Targets", err)
		}
	}
	ref := name
	if bus != engine.DefaultEventBus {
		ref = bus + "|" + name
	}
	c.setRef(ref)
	c.set("Arn", r.ARN)
	return nil
}

// eventTargets reads a rule's Targets (EcsParameters as RunTask takes
// them).
func eventTargets(p obj) ([]model.EventTarget, error) {
	list, err := p.objects("Targets")
	if err != nil {
		return nil, err
	}
	var out []model.EventTarget
	for _, t := range list {
		tg := model.EventTarget{}
		if tg.ID, err = t.req("Id"); err != nil {
			return nil, err
		}
		if tg.ARN, err = t.req("Arn"); err != nil {
			return nil, err
		}
		if tg.RoleARN, err = t.str("RoleArn"); err != nil {
			return nil, err
		}
		if tg.Input, err = t.str("Input"); err != nil {
			return nil, err
		}
		if tg.InputPath, err = t.str("InputPath"); err != nil {
			return nil, err
		}
		if t.has("SqsParameters") {
			// SqsParameters' MessageGroupId, kept as the API keeps it
			// (the engine refuses a FIFO queue without it).
			sqs, err := t.object("SqsParameters")
			if err != nil {
				return nil, err
			}
			group, err := sqs.str("MessageGroupId")
			if err != nil {
				return nil, err
			}
			tg.Config = map[string]any{"SqsParameters": map[string]any{"MessageGroupId": group}}
		}
		if t.has("EcsParameters") {
			if tg.ECS, err = ecsParameters(t); err != nil {
				return nil, err
			}
			if tg.RoleARN == "" {
				return nil, t.at("RoleArn", apierr.Newf("ValidationException", "RoleArn is required for target %s.", tg.ARN))
			}
		}
		out = append(out, tg)
	}
	return out, nil
}

func ecsParameters(t obj) (*model.EventECSParameters, error) {
	e, err := t.object("EcsParameters")
	if err != nil {
		return nil, err
	}
	var ps model.EventECSParameters
	if ps.TaskDefinitionARN, err = e.req("TaskDefinitionArn"); err != nil {
		return nil, err
	}
	if ps.TaskCount, err = e.integer("TaskCount", 1); err != nil {
		return nil, err
	}
	lt, err := e.str("LaunchType")
	if err != nil {
		return nil, err
	}
	ps.LaunchType = model.LaunchType(lt)
	if ps.PlatformVersion, err = e.str("PlatformVersion"); err != nil {
		return nil, err
	}
	if ps.Group, err = e.str("Group"); err != nil {
		return nil, err
	}
	if ps.Tags, err = e.tagList(); err != nil {
		return nil, err
	}
	cps, err := e.objects("CapacityProviderStrategy")
	if err != nil {
		return nil, err
	}
	for _, s := range cps {
		item := model.CapacityProviderStrategyItem{}
		if item.CapacityProvider, err = s.req("CapacityProvider"); err != nil {
			return nil, err
		}
		if item.Weight, err = s.integer("Weight", 0); err != nil {
			return nil, err
		}
		if item.Base, err = s.integer("Base", 0); err != nil {
			return nil, err
		}
		ps.CapacityProviderStrategy = append(ps.CapacityProviderStrategy, item)
	}
	if e.has("NetworkConfiguration") {
		nc, err := e.object("NetworkConfiguration")
		if err != nil {
			return nil, err
		}
		if nc.has("AwsVpcConfiguration") {
			v, err := nc.object("AwsVpcConfiguration")
			if err != nil {
				return nil, err
			}
			subnets, err := v.strs("Subnets")
			if err != nil {
				return nil, err
			}
			sgs, err := v.strs("SecurityGroups")
			if err != nil {
				return nil, err
			}
			ip, err := v.str("AssignPublicIp")
			if err != nil {
				return nil, err
			}
			net := &model.AwsVpcConfiguration{AssignPublicIP: ip == "ENABLED"}
			for _, s := range subnets {
				net.Subnets = append(net.Subnets, model.SubnetID(s))
			}
			for _, s := range sgs {
				net.SecurityGroups = append(net.SecurityGroups, model.SecurityGroupID(s))
			}
			ps.Network = net
		}
	}
	return &ps, nil
}

// deleteEventRule removes a rule's targets, then the rule (DeleteRule
// refuses a rule with targets).
func deleteEventRule(e *engine.Engine, ref string) error {
	bus, name, ok := strings.Cut(ref, "|")
	if !ok {
		bus, name = engine.DefaultEventBus, ref
	}
	var ids []string
	e.Read(func(st *model.State) {
		if r := st.EventRules[model.EventRuleKey(bus, name)]; r != nil {
			for _, t := range r.Targets {
				ids = append(ids, t.ID)
			}
		}
	})
	if len(ids) > 0 {
		if _, err := e.RemoveEventTargets(bus, name, ids, true); err != nil {
			return err
		}
	}
	return e.DeleteEventRule(bus, name, true)
}

// typeEventBus is an EventBridge custom event bus, which rules name in
// EventBusName. Ref is its name; GetAtt Arn and Name (CloudFormation User
// Guide, AWS::Events::EventBus, "Return values").
const typeEventBus = "AWS::Events::EventBus"

func createEventBus(c *rctx) error {
	p := c.p
	name, err := p.req("Name")
	if err != nil {
		return err
	}
	desc, err := p.str("Description")
	if err != nil {
		return err
	}
	if src, err := p.str("EventSourceName"); err != nil {
		return err
	} else if src != "" {
		// A partner event bus needs its partner event source, which
		// ecsnet does not model: EventBridge's answer for a missing one.
		return p.at("EventSourceName", apierr.Newf("ResourceNotFoundException", "Event source %s does not exist.", src))
	}
	if strings.Contains(name, "/") {
		return p.at("Name", apierr.New("ValidationException", "Event bus name must not contain '/'."))
	}
	tags, err := p.tagList()
	if err != nil {
		return err
	}
	e := c.e()
	cfg := e.Config()
	b, err := e.CreateEventBus(model.EventBus{Name: name, ARN: engine.EventBusARN(cfg.Region, cfg.Account, name), Description: desc, Tags: tags})
	if err != nil {
		return p.at("Name", err)
	}
	c.setRef(name)
	c.set("Name", name)
	c.set("Arn", b.ARN)
	return nil
}

// updateEventBus changes a bus's Description and Tags in place (Name
// replaces it).
func updateEventBus(c *rctx, old obj, _ []string) error {
	desc, err := c.p.str("Description")
	if err != nil {
		return err
	}
	tags, err := c.p.tagList()
	if err != nil {
		return err
	}
	was, err := old.tagList()
	if err != nil {
		return err
	}
	e := c.e()
	if err := e.UpdateEventBus(c.r.physical, desc); err != nil {
		return c.p.at("Description", err)
	}
	var remove []string
	for k := range was {
		if _, ok := tags[k]; !ok {
			remove = append(remove, k)
		}
	}
	cfg := e.Config()
	if err := e.TagEventResource(engine.EventBusARN(cfg.Region, cfg.Account, c.r.physical), tags, remove); err != nil {
		return c.p.at("Tags", err)
	}
	return nil
}
