package fix

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// ruleOrderFixes: a listener rule shadows a later one that matches the
// request too (ECS_LB_RULE_SHADOWED). The later rule takes the earlier
// one's priority and every rule from there on moves down one step, in one
// SetRulePriorities call (AWS applies the whole list at once, so the
// priorities may be swapped). Verified by the probe getting a 2xx or 3xx.
func (f *finder) ruleOrderFixes() []Fix {
	var out []Fix
	for _, x := range f.res.Explanations {
		if x.Code != reach.CodeRuleShadowed || x.Component == nil || x.Decided == nil {
			continue
		}
		moved, first := f.st.ListenerRules[x.Component.ARN], f.st.ListenerRules[x.Decided.ARN]
		if moved == nil || first == nil || moved.ListenerARN != first.ListenerARN {
			continue
		}
		l := f.st.Listeners[moved.ListenerARN]
		if l == nil {
			continue
		}
		// The rules from the shadowing one up to the shadowed one, in
		// priority order; the shadowed rule goes first and the others
		// take the next priority each.
		var span []*model.ListenerRule
		for _, r := range sortedRules(f.st, l.ARN) {
			if r.Priority >= first.Priority && r.Priority < moved.Priority {
				span = append(span, r)
			}
		}
		prios := []engine.RulePriority{{RuleARN: moved.ARN, Priority: first.Priority}}
		for i, r := range span {
			next := moved.Priority
			if i+1 < len(span) {
				next = span[i+1].Priority
			}
			prios = append(prios, engine.RulePriority{RuleARN: r.ARN, Priority: next})
		}
		var args, yaml []string
		for _, p := range prios {
			args = append(args, fmt.Sprintf("RuleArn=%s,Priority=%d", p.RuleARN, p.Priority))
		}
		for _, r := range append([]*model.ListenerRule{moved}, span...) {
			yaml = append(yaml, fmt.Sprintf("      - {priority: %d, %s}", priorityOf(prios, r.ARN), ruleSummary(f.st, r)))
		}
		out = append(out, Fix{
			score: 10, Kind: "listener-rule",
			Title: fmt.Sprintf("Give listener rule %d (%s) priority %d, before rule %d (%s)",
				moved.Priority, conditionsOf(moved), first.Priority, first.Priority, conditionsOf(first)),
			Detail: "An Application Load Balancer evaluates a listener's rules from the lowest priority number up and forwards by the first that matches; " +
				"a broader rule numbered first takes every request the narrower one was meant for.",
			Commands: []string{"aws elbv2 set-rule-priorities --rule-priorities " + strings.Join(args, " ")},
			Scenario: fmt.Sprintf("listeners:\n  - port: %d\n    rules:\n%s\n", l.Port, strings.Join(yaml, "\n")),
			apply: func(e *engine.Engine) error {
				_, err := e.SetRulePriorities(prios)
				return err
			},
		})
	}
	return out
}

func priorityOf(prios []engine.RulePriority, arn string) int {
	for _, p := range prios {
		if p.RuleARN == arn {
			return p.Priority
		}
	}
	return 0
}

// conditionsOf names a rule's conditions: "path /api/*".
func conditionsOf(r *model.ListenerRule) string {
	var out []string
	for _, c := range r.Conditions {
		field := strings.TrimSuffix(strings.TrimSuffix(c.Field, "-pattern"), "-header")
		if len(c.RegexValues) > 0 {
			out = append(out, field+" matching "+strings.Join(c.RegexValues, " or "))
			continue
		}
		out = append(out, field+" "+strings.Join(c.Values, " or "))
	}
	if len(out) == 0 {
		return "no condition"
	}
	return strings.Join(out, ", ")
}

// ruleSummary is a rule's conditions and forward target group in the
// scenario file's words.
func ruleSummary(st *model.State, r *model.ListenerRule) string {
	var parts []string
	for _, c := range r.Conditions {
		switch c.Field {
		case "path-pattern":
			parts = append(parts, "path: ["+strings.Join(c.Values, ", ")+"]")
		case "host-header":
			parts = append(parts, "host: ["+strings.Join(c.Values, ", ")+"]")
		}
	}
	for _, a := range r.Actions {
		for _, arn := range a.ForwardTargetGroups() {
			if tg := st.TargetGroups[arn]; tg != nil {
				parts = append(parts, "forward: "+tg.Name)
			}
		}
	}
	return strings.Join(parts, ", ")
}

// basePathFixes: the application behind a path rule answers 404 on the
// path the load balancer forwards, and serves it without the rule's
// prefix (ECS_LB_PATH_NOT_REWRITTEN). The application serves its routes
// under the prefix too (a base path; the routes it had stay, so its health
// check path still answers), in a new task definition revision.
func (f *finder) basePathFixes() []Fix {
	var out []Fix
	for _, x := range f.res.Explanations {
		if x.Code != reach.CodePathNotRewritten || x.Decided == nil {
			continue
		}
		r := f.st.ListenerRules[x.Decided.ARN]
		svc, td := f.serviceTaskDefinition(x)
		if r == nil || td == nil {
			continue
		}
		path, _, _ := strings.Cut(f.q.HTTPPath, "?")
		prefix := ""
		for _, c := range r.Conditions {
			for _, v := range c.Values {
				p, _, ok := strings.Cut(v, "*")
				p = strings.TrimSuffix(p, "/")
				if c.Field == "path-pattern" && ok && p != "" && strings.HasPrefix(path, p+"/") {
					prefix = p
				}
			}
		}
		if prefix == "" {
			continue
		}
		out = append(out, f.urlRewriteFix(r, prefix))
		containers := slices.Clone(td.Containers)
		name := ""
		for i := range containers {
			c := &containers[i]
			if c.Serves == nil || !slices.ContainsFunc(c.PortMappings, func(pm model.PortMapping) bool { return pm.ContainerPort == x.Port }) {
				continue
			}
			serves := maps.Clone(c.Serves)
			for k, v := range c.Serves {
				if strings.HasPrefix(k, "/") {
					serves[prefix+k] = v
				}
			}
			c.Serves, name = serves, c.Name
		}
		if name == "" {
			continue
		}
		in := revisionOf(td, td.NetworkMode, containers)
		cluster := clusterName(svc.ClusterARN)
		out = append(out, Fix{
			score: 15, Kind: "application",
			Title: fmt.Sprintf("Serve the routes of container %s under %s too (a base path), and redeploy %s", name, prefix, svc.Name),
			Detail: "A listener rule's path pattern chooses the rule; the load balancer forwards the request's path unchanged. " +
				"Either the application serves its routes under the prefix the rule matches (a base path or global prefix setting), or a URL rewrite transform on the rule strips it.",
			Commands: []string{
				fmt.Sprintf("# set the application's base path to %s (e.g. app.use('%s', router), server.servlet.context-path=%s), build and push the image, then:", prefix, prefix, prefix),
				fmt.Sprintf("aws ecs register-task-definition --cli-input-json file://%s.json   # the same definition with the new image", td.Family),
				fmt.Sprintf("aws ecs update-service --cluster %s --service %s --task-definition %s --force-new-deployment", cluster, svc.Name, td.Family),
			},
			Scenario: fmt.Sprintf("task_definitions:\n  %s:\n    containers:\n      %s:\n        serves: {%s/*: 200}\n", td.Family, name, prefix),
			apply:    redeployWith(in, cluster, svc.Name),
		})
	}
	return out
}

// urlRewriteFix strips a path rule's prefix at the load balancer: a
// url-rewrite transform on the rule (ALB User Guide, "Transforms for
// listener rules"), which replaces the rule's own url-rewrite if it has one
// that did not match, and keeps a host header rewrite. No redeploy, so it
// ranks before the base path.
func (f *finder) urlRewriteFix(r *model.ListenerRule, prefix string) Fix {
	rw := model.RuleTransform{Type: model.TransformURLRewrite, Regex: "^" + regexp.QuoteMeta(prefix) + "/(.*)$", Replace: "/$1"}
	ts := []model.RuleTransform{rw}
	for _, t := range r.Transforms {
		if t.Type != model.TransformURLRewrite {
			ts = append(ts, t)
		}
	}
	var js []string
	for _, t := range ts {
		cfg := "UrlRewriteConfig"
		if t.Type == model.TransformHostHeaderRewrite {
			cfg = "HostHeaderRewriteConfig"
		}
		re, _ := json.Marshal(t.Regex)
		rp, _ := json.Marshal(t.Replace)
		js = append(js, fmt.Sprintf(`{"Type":"%s","%s":{"Rewrites":[{"Regex":%s,"Replace":%s}]}}`, t.Type, cfg, re, rp))
	}
	port := 0
	if l := f.st.Listeners[r.ListenerARN]; l != nil {
		port = int(l.Port)
	}
	arn := r.ARN
	return Fix{
		score: 12, Kind: "listener-rule",
		Title: fmt.Sprintf("Strip %s at the load balancer: a URL rewrite transform on listener rule %d (%s)", prefix, r.Priority, conditionsOf(r)),
		Detail: "A listener rule's path pattern chooses the rule; the load balancer forwards the request's path unchanged unless a transform rewrites it. " +
			"A url-rewrite transform replaces the path's prefix after the rule matched, so the application gets the routes it serves.",
		Commands: []string{fmt.Sprintf("aws elbv2 modify-rule --rule-arn %s --transforms '[%s]'", arn, strings.Join(js, ","))},
		Scenario: fmt.Sprintf("listeners:\n  - port: %d\n    rules:\n      - {priority: %d, %s, url_rewrite: {regex: %q, replace: %q}}\n",
			port, r.Priority, ruleSummary(f.st, r), rw.Regex, rw.Replace),
		apply: func(e *engine.Engine) error {
			_, err := e.ModifyRule(engine.ModifyRuleInput{RuleARN: arn, Transforms: ts})
			return err
		},
	}
}
