package fix

import (
	"cmp"
	"fmt"
	"maps"
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
		out = append(out, f.headerFixes(l)...)
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

// headerFixes: a listener rule that forwards only requests carrying an
// HTTP header (CloudFront's secret origin header, an API key) and a
// client that does not send it. The fix is on the client's side: send
// the header, verified by the same request with it; a rule that forwards
// without the header would defeat its purpose, so this ranks first.
// Only literal values (no wildcards, no regular expressions) can be sent.
func (f *finder) headerFixes(l *model.Listener) []Fix {
	var out []Fix
	for _, r := range sortedRules(f.st, l.ARN) {
		forwards := false
		for _, a := range r.Actions {
			forwards = forwards || len(a.ForwardTargetGroups()) > 0
		}
		if !forwards {
			continue
		}
		headers := map[string]string{}
		for _, c := range r.Conditions {
			if c.Field != "http-header" {
				continue
			}
			if c.HeaderName == "" || len(c.Values) == 0 || strings.ContainsAny(c.Values[0], "*?") {
				headers = nil
				break
			}
			headers[c.HeaderName] = c.Values[0]
		}
		if len(headers) == 0 {
			continue
		}
		var names, flags []string
		for _, k := range slices.Sorted(maps.Keys(headers)) {
			names = append(names, k+": "+headers[k])
			flags = append(flags, "-H '"+k+": "+headers[k]+"'")
		}
		send := strings.Join(names, ", ")
		out = append(out, Fix{
			score: 10, Kind: "client-request", headers: headers,
			Title: fmt.Sprintf("Send the header %s: rule %d of the listener %s:%d forwards only requests that carry it", send, r.Priority, l.Protocol, l.Port),
			Detail: "The listener's rule admits requests by a header the client does not send (a CloudFront origin's secret header, an API key). " +
				"Send it (or call through the client that adds it, such as the CloudFront distribution); a rule that forwards without the header would open what it guards.",
			Commands: []string{fmt.Sprintf("curl -v %s http://<DNS name of the load balancer>:%d%s", strings.Join(flags, " "), l.Port, cmp.Or(f.q.HTTPPath, "/"))},
			Scenario: "# no change: the client sends the header\nexpect:\n  - {from: " + f.from + ", to: \"" + f.to + "\", header: {" + strings.Join(names, ", ") + "}, verdict: http 200}\n",
			apply:    func(*engine.Engine) error { return nil },
		})
	}
	return out
}
