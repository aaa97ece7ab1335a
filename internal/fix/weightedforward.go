package fix

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// weightZero: the failing share of a weighted ALB forward action
// (reach/weightedforward.go) goes to a target group whose requests fail;
// its weight set to 0, the action sends every request to the others
// ("a weight of 0 gets none"), as a blue/green or canary shift is rolled
// back. The other fixes of the same result make the group itself answer.
func (f *finder) weightZero() []Fix {
	listenerARN, ruleARN := f.res.WeightedForwardAt()
	if listenerARN == "" {
		return nil
	}
	failing := ""
	for _, g := range f.res.WeightedGroups {
		if g.Reported && !g.Verdict.Reachable() {
			failing = g.ARN
		}
	}
	l := f.st.Listeners[listenerARN]
	tg := f.st.TargetGroups[failing]
	if l == nil || tg == nil {
		return nil
	}
	lb := f.st.LoadBalancers[l.LoadBalancerARN]
	if lb == nil {
		return nil
	}
	var acts []model.ListenerAction
	var rule *model.ListenerRule
	if ruleARN == "" {
		acts = l.DefaultActions
	} else if rule = f.st.ListenerRules[ruleARN]; rule != nil {
		acts = rule.Actions
	} else {
		return nil
	}
	if slices.ContainsFunc(acts, func(a model.ListenerAction) bool { return a.Type != "forward" }) {
		return nil // an authenticating action first: its configuration is not all in the model's command
	}
	zeroed := slices.Clone(acts)
	changed := false
	for i := range zeroed {
		if zeroed[i].Type != "forward" || len(zeroed[i].TargetGroups) == 0 {
			continue
		}
		tgs := slices.Clone(zeroed[i].TargetGroups)
		for j := range tgs {
			if tgs[j].ARN == failing && tgs[j].Weight > 0 {
				tgs[j].Weight, changed = 0, true
			}
		}
		zeroed[i].TargetGroups = tgs
	}
	if !changed {
		return nil
	}
	where := fmt.Sprintf("the listener %s:%d of %s", l.Protocol, l.Port, lb.Name)
	cmd := fmt.Sprintf("aws elbv2 modify-listener --listener-arn %s --default-actions '%s'", l.ARN, actionsJSON(zeroed))
	apply := func(e *engine.Engine) error {
		_, err := e.ModifyListener(engine.ModifyListenerInput{ListenerARN: l.ARN, DefaultActions: zeroed})
		return err
	}
	var groups []string
	for _, a := range zeroed {
		for _, w := range a.TargetGroups {
			name := w.ARN
			if g := f.st.TargetGroups[w.ARN]; g != nil {
				name = g.Name
			}
			groups = append(groups, fmt.Sprintf("{name: %s, weight: %d}", name, w.Weight))
		}
	}
	fwd := "forward: {target_groups: [" + strings.Join(groups, ", ") + "]}"
	snippet := fmt.Sprintf("load_balancers:\n  %s:\n    listeners:\n      - {port: %d, protocol: %s, %s}\n", lb.Name, l.Port, l.Protocol, fwd)
	kind := "listener"
	if rule != nil {
		where = fmt.Sprintf("the rule %d of %s", rule.Priority, where)
		cmd = fmt.Sprintf("aws elbv2 modify-rule --rule-arn %s --actions '%s'", rule.ARN, actionsJSON(zeroed))
		apply = func(e *engine.Engine) error {
			_, err := e.ModifyRule(engine.ModifyRuleInput{RuleARN: rule.ARN, Actions: zeroed})
			return err
		}
		kind = "listener-rule"
		snippet = fmt.Sprintf("load_balancers:\n  %s:\n    listeners:\n      - port: %d\n        rules:\n          - {priority: %d, %s}\n", lb.Name, l.Port, rule.Priority, fwd)
	}
	return []Fix{{
		score: 15, Kind: kind,
		Title: fmt.Sprintf("Set the weight of the target group %s to 0 in the forward action of %s, so that its share of the requests goes to the other target groups", tg.Name, where),
		Detail: "A weighted forward action sends each request to one of its target groups by weight, whatever their health; a group of weight 0 gets none. " +
			"Put the weight back once its targets are registered and healthy.",
		Commands: []string{cmd},
		Scenario: snippet,
		apply:    apply,
	}}
}

// actionsJSON is actions as modify-listener's --default-actions (and
// modify-rule's --actions) JSON of forward actions with a ForwardConfig.
func actionsJSON(actions []model.ListenerAction) string {
	type tuple struct {
		TargetGroupArn string
		Weight         int
	}
	type forwardConfig struct {
		TargetGroups []tuple
	}
	type action struct {
		Type           string
		TargetGroupArn string         `json:",omitempty"`
		ForwardConfig  *forwardConfig `json:",omitempty"`
		Order          int            `json:",omitempty"`
	}
	var out []action
	for _, a := range actions {
		x := action{Type: a.Type, Order: a.Order}
		if len(a.TargetGroups) > 0 {
			x.ForwardConfig = &forwardConfig{}
			for _, w := range a.TargetGroups {
				x.ForwardConfig.TargetGroups = append(x.ForwardConfig.TargetGroups, tuple{w.ARN, w.Weight})
			}
		} else {
			x.TargetGroupArn = a.TargetGroupARN
		}
		out = append(out, x)
	}
	b, _ := json.Marshal(out)
	return string(b)
}
