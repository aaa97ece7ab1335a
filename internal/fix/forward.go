package fix

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// forwardToServiceGroup: the request reached a target group with no
// registered targets that no ECS service registers in, while a service
// registers its tasks in another target group of the same VPC, protocol
// and target type (a blue/green switch made by hand on the wrong
// listener, a renamed group). The listener (or rule) that forwards to the
// empty group forwards to the service's group instead.
func (f *finder) forwardToServiceGroup(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	empty := f.st.TargetGroups[x.Component.ARN]
	if empty == nil || empty.Targets.Len() > 0 {
		return nil
	}
	if f.n != nil && f.n.CodeDeployIdle(empty.ARN) {
		return nil // the idle group of a CodeDeploy or ECS blue/green pair: empty by design
	}
	var used []*model.TargetGroup
	for _, s := range sortedServices(f.st) {
		if s.Status != "ACTIVE" {
			continue
		}
		for _, l := range s.LoadBalancers {
			if l.TargetGroupARN == empty.ARN || l.Advanced != nil && l.Advanced.AlternateTargetGroupARN == empty.ARN {
				return nil // a service registers there: why it has none is another story
			}
			o := f.st.TargetGroups[l.TargetGroupARN]
			if o != nil && o.VpcID == empty.VpcID && o.Protocol == empty.Protocol && o.TargetType == empty.TargetType && !slices.Contains(used, o) {
				used = append(used, o)
			}
		}
	}
	var out []Fix
	swap := func(acts []model.ListenerAction, to string) []model.ListenerAction {
		n := slices.Clone(acts)
		for i := range n {
			if n[i].Type == "forward" && slices.Contains(n[i].ForwardTargetGroups(), empty.ARN) {
				n[i] = model.ListenerAction{Type: "forward", TargetGroupARN: to, Order: n[i].Order}
			}
		}
		return n
	}
	forwards := func(acts []model.ListenerAction) bool {
		for _, a := range acts {
			if a.Type == "forward" && slices.Contains(a.ForwardTargetGroups(), empty.ARN) {
				return true
			}
		}
		return false
	}
	var ls []*model.Listener
	for _, l := range f.st.Listeners {
		ls = append(ls, l)
	}
	slices.SortFunc(ls, func(a, b *model.Listener) int { return strings.Compare(a.ARN, b.ARN) })
	for _, to := range used {
		for _, l := range ls {
			lb := f.st.LoadBalancers[l.LoadBalancerARN]
			if lb == nil {
				continue
			}
			if forwards(l.DefaultActions) {
				in := engine.ModifyListenerInput{ListenerARN: l.ARN, DefaultActions: swap(l.DefaultActions, to.ARN)}
				out = append(out, Fix{
					score: 20, Kind: "listener",
					Title: fmt.Sprintf("Forward the listener %s:%d of %s to the target group %s, where the service registers its tasks (not %s, which nothing registers in)", l.Protocol, l.Port, lb.Name, to.Name, empty.Name),
					Detail: "A load balancer answers 503 when the target group it forwards to has no registered targets; ECS registers a service's tasks only in the target groups of its loadBalancers. " +
						"For a CodeDeploy or ECS blue/green service, let the deployment switch the production listener rather than changing it by hand.",
					Commands: []string{fmt.Sprintf("aws elbv2 modify-listener --listener-arn %s --default-actions Type=forward,TargetGroupArn=%s", l.ARN, to.ARN)},
					Scenario: fmt.Sprintf("load_balancers:\n  %s:\n    listeners:\n      - {port: %d, protocol: %s, forward: %s}\n", lb.Name, l.Port, l.Protocol, to.Name),
					apply: func(e *engine.Engine) error {
						_, err := e.ModifyListener(in)
						return err
					},
				})
			}
			for _, r := range sortedRules(f.st, l.ARN) {
				if !forwards(r.Actions) {
					continue
				}
				in := engine.ModifyRuleInput{RuleARN: r.ARN, Actions: swap(r.Actions, to.ARN)}
				out = append(out, Fix{
					score: 20, Kind: "listener-rule",
					Title:    fmt.Sprintf("Forward the rule %d of listener %s:%d of %s to the target group %s, where the service registers its tasks (not %s, which nothing registers in)", r.Priority, l.Protocol, l.Port, lb.Name, to.Name, empty.Name),
					Detail:   "A load balancer answers 503 when the target group it forwards to has no registered targets; ECS registers a service's tasks only in the target groups of its loadBalancers.",
					Commands: []string{fmt.Sprintf("aws elbv2 modify-rule --rule-arn %s --actions Type=forward,TargetGroupArn=%s", r.ARN, to.ARN)},
					apply: func(e *engine.Engine) error {
						_, err := e.ModifyRule(in)
						return err
					},
				})
			}
		}
	}
	return out
}
