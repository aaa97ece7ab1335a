package reach

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// An ALB forward action with several target groups sends each request to
// one of them, chosen by weight ("requests are distributed to individual
// target groups based on their weights", ForwardConfig; a weight of 0
// gets none). The choice does not look at the groups' health: a group
// with no registered or no healthy target answers its share of the
// requests as it would alone (503, or fail-open) [probable]. A probe
// through such an action is traced once per group of a weight above 0;
// the answer is the worst case, as for a weighted record set (query.go),
// with each group's share and verdict.

// WeightedGroup is one target group of a weighted forward action a probe
// met, its share of the requests and what a request sent to it gets.
type WeightedGroup struct {
	TargetGroup string  `json:"targetGroup"`
	ARN         string  `json:"arn"`
	Weight      int     `json:"weight"`
	Share       string  `json:"share"` // "10 %"
	Verdict     Verdict `json:"verdict"`
	// Reported: the result's paths and findings are this group's.
	Reported bool `json:"reported,omitempty"`
}

// weightedForward is the weighted forward action a probe met (the first:
// the listener's rule that matched), recorded by the trace of the main
// group.
type weightedForward struct {
	act              model.ListenerAction
	main             *tgNode
	listenerARN      string
	ruleARN          string // "" for the listener's default action
	listener, ruleAt string // for the messages: "web-alb HTTP:80", "rule 10"
}

// WeightedForwardAt returns the listener and rule (empty for the default
// action) of the weighted forward action whose group this result is
// about; "" when the probe met none.
func (r *Result) WeightedForwardAt() (listenerARN, ruleARN string) {
	if r.weighted == nil {
		return "", ""
	}
	return r.weighted.listenerARN, r.weighted.ruleARN
}

// weightedGroups are the target groups of a's forward action that get
// requests (a weight above 0, an existing group), heaviest first (the
// order of the action for equal weights).
func (n *Network) weightedGroups(a model.ListenerAction) []model.WeightedTargetGroup {
	var out []model.WeightedTargetGroup
	for _, w := range a.TargetGroups {
		if w.Weight > 0 && n.tgs[w.ARN] != nil && !slices.ContainsFunc(out, func(o model.WeightedTargetGroup) bool { return o.ARN == w.ARN }) {
			out = append(out, w)
		}
	}
	slices.SortStableFunc(out, func(a, b model.WeightedTargetGroup) int { return b.Weight - a.Weight })
	return out
}

// forwardTarget returns the target group a forward action sends to: the
// probe's pick of a weighted action's groups, else the one that gets the
// largest share of the requests (model.ListenerAction.MainTargetGroup;
// the data plane's deterministic load balancer picks the same).
func (t *tracer) forwardTarget(a model.ListenerAction) *tgNode {
	if q := t.query; q != nil && q.tgPick != "" {
		if slices.ContainsFunc(a.TargetGroups, func(w model.WeightedTargetGroup) bool { return w.ARN == q.tgPick && w.Weight > 0 }) {
			return t.n.tgs[q.tgPick]
		}
	}
	return t.n.tgs[a.MainTargetGroup()]
}

// noteWeighted records, for a weighted forward action of more than one
// group that gets requests, the action (Probe traces the other groups).
func (t *tracer) noteWeighted(a model.ListenerAction, main *tgNode, l *listenerNode, rule *model.ListenerRule) {
	if t.res.weighted != nil || len(t.n.weightedGroups(a)) < 2 {
		return
	}
	w := &weightedForward{act: a, main: main, listenerARN: l.l.ARN, listener: l.comp.Name, ruleAt: "default action"}
	if rule != nil {
		w.ruleARN, w.ruleAt = rule.ARN, ruleLabel(rule)
	}
	t.res.weighted = w
}

// probeWeightedForward probes q once per target group of the weighted
// forward action res (the main group's trace) met, and answers the worst
// case: the heaviest group whose requests fail, else res.
func probeWeightedForward(n *Network, q Query, res *Result) *Result {
	w := res.weighted
	groups := n.weightedGroups(w.act)
	total := 0
	for _, g := range w.act.TargetGroups {
		total += max(g.Weight, 0)
	}
	worst, worstTG := res, w.main.tg.ARN
	var rows []WeightedGroup
	var failing []string
	for _, g := range groups {
		tg := n.tgs[g.ARN]
		r := res
		if tg != w.main {
			alt := q
			alt.tgPick = g.ARN
			r = probe(n, &alt, 0, false)
			r.weighted = w
		}
		rows = append(rows, WeightedGroup{TargetGroup: tg.comp.Name, ARN: g.ARN, Weight: g.Weight, Share: percent(g.Weight, total), Verdict: r.Verdict})
		if !r.Verdict.Reachable() {
			failing = append(failing, fmt.Sprintf("%s for %s of requests (target group %s)", r.Verdict, percent(g.Weight, total), tg.comp.Name))
			if worst.Verdict.Reachable() {
				worst, worstTG = r, g.ARN
			}
		}
	}
	var said []string
	for i := range rows {
		if rows[i].ARN == worstTG {
			rows[i].Reported = true
		}
		said = append(said, fmt.Sprintf("%s (weight %d, %s): %s", rows[i].TargetGroup, rows[i].Weight, rows[i].Share, rows[i].Verdict))
	}
	worst.WeightedGroups = rows
	at := w.listener + " " + w.ruleAt
	if len(failing) == 0 {
		worst.Notes = append(worst.Notes, "the forward action of "+at+" is weighted; each target group was probed: "+strings.Join(said, "; ")+". Every share gets through")
		return worst
	}
	m := strings.Join(failing, ", ") + ": the forward action of " + at + " sends each request to one of its target groups by weight, whatever their health, so " +
		"that share fails while the others do not (" + strings.Join(said, "; ") + "). This result is that share's; set the failing group's weight to 0 or make its targets healthy"
	worst.Notes = append(worst.Notes, m)
	worst.Summary = strings.Join(failing, ", ") + ". " + worst.Summary
	return worst
}

// weightedEmptyGroups is lint's check of weighted forward actions: an
// ALB listener's (or rule's) forward action whose target group of a
// weight above 0 has no registered target, while another group gets
// requests too. The action picks a group by weight whatever its targets
// (ForwardConfig), so that group's share of the requests gets 503 from
// the load balancer ("no registered targets", HTTP 503: ALB
// troubleshooting) while the rest work: a canary or blue/green split
// whose new group is still empty [probable].
func (l *linter) weightedEmptyGroups() {
	n := l.n
	for _, lb := range n.lbOrder {
		if !lb.isALB() {
			continue
		}
		for _, ln := range lb.listeners {
			if ln.l == nil {
				continue
			}
			check := func(acts []model.ListenerAction, rule *model.ListenerRule) {
				for _, a := range acts {
					if a.Type != "forward" {
						continue
					}
					groups := n.weightedGroups(a)
					if len(groups) < 2 {
						continue
					}
					total := 0
					for _, g := range a.TargetGroups {
						total += max(g.Weight, 0)
					}
					for _, g := range groups {
						tg := n.tgs[g.ARN]
						if tg == nil || tg.tg.Targets.Len() > 0 {
							continue
						}
						at := ruleLabel(rule) + " of listener " + ln.comp.Name
						where := "aws elbv2 modify-listener --listener-arn " + ln.l.ARN
						if rule != nil {
							where = "aws elbv2 modify-rule --rule-arn " + rule.ARN
						}
						l.add(SeverityWarning, CodeNoRegisteredTargets, tg.comp,
							at+" forwards "+percent(g.Weight, total)+" of requests (weight "+fmt.Sprint(g.Weight)+") to target group "+tg.comp.Name+
								", which has no registered targets: the load balancer answers that share with 503 Service Unavailable, whatever the other groups' health (a weighted forward action picks a group by weight alone)",
							"register targets in "+tg.comp.Name+" (a service's load balancer, or aws elbv2 register-targets --target-group-arn "+g.ARN+
								"), or set its weight to 0 until it has some ("+where+" --actions with the ForwardConfig's weight for "+tg.comp.Name+" 0)")
					}
				}
			}
			check(ln.l.DefaultActions, nil)
			for _, r := range ln.rules {
				check(r.Actions, r)
			}
		}
	}
}
