package fix

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// ruleFixes proposes, for a request no listener rule matched, a rule for
// its path that forwards to one of the target groups the listener's other
// rules use. Each is verified by the probe getting a 2xx or 3xx status.
func (f *finder) ruleFixes() []Fix {
	var out []Fix
	for _, x := range f.res.Explanations {
		if x.Code != reach.CodeNoRuleMatched || x.Component == nil {
			continue
		}
		l := f.st.Listeners[x.Component.ARN]
		if l == nil {
			continue
		}
		path := f.q.HTTPPath
		if path == "" {
			path = "/"
		}
		path, _, _ = strings.Cut(path, "?")
		pattern := path
		if seg, _, ok := strings.Cut(strings.TrimPrefix(path, "/"), "/"); ok || seg != "" {
			pattern = "/" + seg + "*"
		}
		prio := 0
		var tgs []string
		for _, r := range sortedRules(f.st, l.ARN) {
			prio = max(prio, r.Priority)
			for _, a := range r.Actions {
				for _, tg := range a.ForwardTargetGroups() {
					if !slices.Contains(tgs, tg) {
						tgs = append(tgs, tg)
					}
				}
			}
		}
		prio += 10
		for _, tgARN := range tgs {
			tg := f.st.TargetGroups[tgARN]
			if tg == nil {
				continue
			}
			in := engine.CreateRuleInput{ListenerARN: l.ARN, Priority: prio,
				Conditions: []model.RuleCondition{{Field: "path-pattern", Values: []string{pattern}}},
				Actions:    []model.ListenerAction{{Type: "forward", TargetGroupARN: tgARN, Order: 1}}}
			out = append(out, Fix{
				score: 20, Kind: "listener-rule",
				Title: fmt.Sprintf("Add listener rule %d: path %s → target group %s", prio, pattern, tg.Name),
				Commands: []string{fmt.Sprintf("aws elbv2 create-rule --listener-arn %s --priority %d --conditions Field=path-pattern,Values='%s' --actions Type=forward,TargetGroupArn=%s",
					l.ARN, prio, pattern, tgARN)},
				Scenario: fmt.Sprintf("listeners:\n  - port: %d\n    rules:\n      - {priority: %d, path: [%s], forward: %s}\n", l.Port, prio, pattern, tg.Name),
				apply: func(e *engine.Engine) error {
					_, err := e.CreateRule(in)
					return err
				},
			})
		}
	}
	return out
}

func sortedRules(st *model.State, listener string) []*model.ListenerRule {
	var out []*model.ListenerRule
	for _, r := range st.ListenerRules {
		if r.ListenerARN == listener {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b *model.ListenerRule) int { return a.Priority - b.Priority })
	return out
}
