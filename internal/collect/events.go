package collect

import (
	"context"
	"errors"
	"fmt"

	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// collectEvents lists the EventBridge rules of every event bus (merged
// under "Rules", as list-rules prints them) and each rule's targets
// (list-targets-by-rule, a file per rule with its bus and name beside:
// snapshot.EventTargetsFileName). ListEventBuses has no paginator in the
// CLI's model: its NextToken is followed here. It runs before the ECS
// calls, which describe the task definitions the ECS targets name.
func (r *regionRun) collectEvents(ctx context.Context) {
	type ruleRef struct{ bus, name string }
	var rules []ruleRef
	var ruleARNs []string
	lr := callOf("events", "list-rules")
	ok := r.run(ctx, lr, func(ctx context.Context, c *counter) (files, error) {
		var buses []string
		in := map[string]any{}
		for {
			out, err := r.client.call(ctx, r.region, "events", "ListEventBuses", in)
			if err != nil {
				return nil, err
			}
			for _, b := range items(out, "EventBuses") {
				buses = append(buses, fieldOf(b, "Name"))
			}
			next, _ := out["NextToken"].(string)
			if next == "" || next == in["NextToken"] {
				break
			}
			in["NextToken"] = next
		}
		all := []any{}
		for _, bus := range buses {
			err := r.client.pages(ctx, r, c, "events", "ListRules", map[string]any{"EventBusName": bus}, func(out map[string]any) int {
				page := items(out, "Rules")
				all = append(all, page...)
				for _, it := range page {
					rules = append(rules, ruleRef{bus, fieldOf(it, "Name")})
					ruleARNs = append(ruleARNs, fieldOf(it, "Arn"))
				}
				return len(page)
			})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", bus, err)
			}
		}
		return files{lr.File: map[string]any{"Rules": all}}, nil
	})
	tc := callOf("events", "list-targets-by-rule")
	r.run(ctx, tc, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, errors.New("skipped: list-rules failed")
		}
		out := files{}
		for _, rule := range rules {
			all := []any{}
			err := r.client.pages(ctx, r, c, "events", "ListTargetsByRule", map[string]any{"Rule": rule.name, "EventBusName": rule.bus}, func(o map[string]any) int {
				page := items(o, "Targets")
				all = append(all, page...)
				for _, t := range page {
					if m, ok := t.(map[string]any); ok {
						if arn := fieldOf(m["EcsParameters"], "TaskDefinitionArn"); arn != "" {
							r.eventTaskDefinitions = append(r.eventTaskDefinitions, arn)
						}
					}
				}
				return len(page)
			})
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", rule.bus, rule.name, err)
			}
			out[snapshot.EventTargetsFileName(rule.bus, rule.name)] = map[string]any{"EventBusName": rule.bus, "Rule": rule.name, "Targets": all}
		}
		return out, nil
	})
	r.collectTags(ctx, eventTags, ok, ruleARNs)
}

// collectEventsThenECS collects the EventBridge rules, then ECS (one
// chain: ECS describes the task definitions the rules' targets name).
func (r *regionRun) collectEventsThenECS(ctx context.Context) {
	r.collectEvents(ctx)
	r.collectECS(ctx)
}
