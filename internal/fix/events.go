package fix

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// ScheduledRule returns verified fixes for the ECS targets of an
// EventBridge rule whose tasks would not start: AssignPublicIp ENABLED for
// a target in a public subnet without a public IP, and a
// NetworkConfiguration for an awsvpc target that has none (ECS refuses the
// RunTask). Each is applied to a clone of e and verified: the analyzer
// finds no start failure and no refusal for the rule's targets.
func ScheduledRule(e *engine.Engine, name string) ([]Fix, error) {
	st, _ := e.Snapshot()
	r := st.EventRules[model.EventRuleKey(engine.DefaultEventBus, name)]
	if r == nil {
		return nil, engine.EventRuleNotFound(name, engine.DefaultEventBus)
	}
	var out []Fix
	for _, tg := range r.Targets {
		if tg.ECS == nil {
			continue
		}
		for _, netw := range targetNetworks(st, tg) {
			fx := targetNetworkFix(r, tg, netw)
			if verifyScheduled(e, &fx, name) {
				fx.Rank = len(out) + 1
				out = append(out, fx)
				break
			}
		}
	}
	return out, nil
}

// targetNetworks proposes networks for a failing target, best first: its
// own with a public IP; for a target without one, each subnet of the
// account (private first, then public with a public IP) with its VPC's
// default security group.
func targetNetworks(st *model.State, tg model.EventTarget) []*model.AwsVpcConfiguration {
	td := reach.TargetTaskDefinition(st, tg.ECS.TaskDefinitionARN)
	if td == nil {
		return nil
	}
	n := reach.Compile(st)
	if tg.ECS.Network != nil {
		if len(reach.ScheduledTaskStartFailures(n, &tg)) == 0 || tg.ECS.Network.AssignPublicIP {
			return nil
		}
		netw := *tg.ECS.Network
		netw.AssignPublicIP = true
		return []*model.AwsVpcConfiguration{&netw}
	}
	if td.NetworkMode != model.NetworkModeAwsvpc {
		return nil
	}
	var private, public []*model.AwsVpcConfiguration
	for _, s := range sortedSubnets(st) {
		var groups []model.SecurityGroupID
		for _, g := range st.SecurityGroups {
			if g.VpcID == s.VpcID && g.Name == "default" {
				groups = append(groups, g.ID)
			}
		}
		private = append(private, &model.AwsVpcConfiguration{Subnets: []model.SubnetID{s.ID}, SecurityGroups: groups})
		public = append(public, &model.AwsVpcConfiguration{Subnets: []model.SubnetID{s.ID}, SecurityGroups: slices.Clone(groups), AssignPublicIP: true})
	}
	return append(private, public...)
}

// sortedSubnets lists the state's subnets by id.
func sortedSubnets(st *model.State) []*model.Subnet {
	out := slices.Collect(maps.Values(st.Subnets))
	slices.SortFunc(out, func(a, b *model.Subnet) int { return strings.Compare(string(a.ID), string(b.ID)) })
	return out
}

func targetNetworkFix(r *model.EventRule, tg model.EventTarget, netw *model.AwsVpcConfiguration) Fix {
	ip := "DISABLED"
	if netw.AssignPublicIP {
		ip = "ENABLED"
	}
	var sids, gids []string
	for _, s := range netw.Subnets {
		sids = append(sids, string(s))
	}
	for _, g := range netw.SecurityGroups {
		gids = append(gids, string(g))
	}
	title := fmt.Sprintf("Set AssignPublicIp ENABLED in the target %s of the rule %s", tg.ID, r.Name)
	detail := "Its subnets route 0.0.0.0/0 to an internet gateway, which only carries traffic from ENIs with a public IP."
	if tg.ECS.Network == nil {
		title = fmt.Sprintf("Give the target %s of the rule %s a NetworkConfiguration (subnet %s, AssignPublicIp %s)", tg.ID, r.Name, strings.Join(sids, ","), ip)
		detail = "An awsvpc task definition needs one: without it ECS refuses every RunTask the rule calls."
	}
	ecs := fmt.Sprintf("TaskDefinitionArn=%s,TaskCount=%d", tg.ECS.TaskDefinitionARN, max(tg.ECS.TaskCount, 1))
	if tg.ECS.LaunchType != "" {
		ecs += ",LaunchType=" + string(tg.ECS.LaunchType)
	}
	cmd := fmt.Sprintf("aws events put-targets --rule %s --targets 'Id=%s,Arn=%s,RoleArn=%s,EcsParameters={%s,NetworkConfiguration={awsvpcConfiguration={Subnets=[%s],SecurityGroups=[%s],AssignPublicIp=%s}}}'",
		r.Name, tg.ID, tg.ARN, tg.RoleARN, ecs, strings.Join(sids, ","), strings.Join(gids, ","), ip)
	return Fix{score: 25, Kind: "fargate", Title: title, Detail: detail, Commands: []string{cmd},
		Scenario: scheduledScenario(r.Name, netw, tg.ECS.Network == nil),
		apply: func(e *engine.Engine) error {
			nt := tg
			p := *tg.ECS
			n := *netw
			p.Network = &n
			nt.ECS = &p
			_, err := e.PutEventTargets(r.EventBus, r.Name, []model.EventTarget{nt})
			return err
		}}
}

// verifyScheduled applies fx to a clone of e and reports whether the
// rule's ECS targets then start, recording the verification.
func verifyScheduled(e *engine.Engine, fx *Fix, name string) bool {
	c := e.Clone()
	if err := fx.Apply(c); err != nil {
		return false
	}
	st, _ := c.Snapshot()
	r := st.EventRules[model.EventRuleKey(engine.DefaultEventBus, name)]
	n := reach.Compile(st)
	for i := range r.Targets {
		tg := &r.Targets[i]
		if tg.ECS == nil {
			continue
		}
		if td := reach.TargetTaskDefinition(st, tg.ECS.TaskDefinitionARN); td != nil && td.NetworkMode == model.NetworkModeAwsvpc && tg.ECS.Network == nil {
			return false
		}
		if len(reach.ScheduledTaskStartFailures(n, tg)) > 0 {
			return false
		}
	}
	fx.Verification = Verification{From: "rule " + name, To: "task start", Protocol: "tcp", Verdict: reach.Connected,
		Summary: "the tasks the rule starts reach their image registry, secrets and logs"}
	return true
}

// scheduledScenario is the fix as a scheduled_tasks: snippet (subnets by
// id: the scenario names them, the fix cannot).
func scheduledScenario(rule string, netw *model.AwsVpcConfiguration, whole bool) string {
	s := "scheduled_tasks:\n  " + rule + ":\n"
	if whole {
		var ids []string
		for _, id := range netw.Subnets {
			ids = append(ids, string(id))
		}
		s += "    subnets: [" + strings.Join(ids, ", ") + "]\n"
	}
	return s + fmt.Sprintf("    assign_public_ip: %t\n", netw.AssignPublicIP)
}
