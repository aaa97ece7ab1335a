package terraform

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Application Auto Scaling for ECS services: aws_appautoscaling_target
// (RegisterScalableTarget: a service's desired count outside the range is
// set into it), aws_appautoscaling_policy (PutScalingPolicy) and
// aws_appautoscaling_scheduled_action (PutScheduledAction). Targets of
// other namespaces, or of an ECS service not in this system, are skipped.

// appTarget reads the three arguments that name a scalable target; skip
// is why the instance is skipped ("" when it is not).
func appTarget(c *rctx) (ns, res, dim, skip string, err error) {
	for _, a := range []string{"service_namespace", "resource_id", "scalable_dimension"} {
		if c.o.has(a) && !c.o.get(a).IsKnown() {
			return "", "", "", a + " depends on a value ecsnet does not know (" + c.unknownWhy(a) + ")", nil
		}
	}
	if ns, err = c.req("service_namespace"); err != nil {
		return
	}
	if res, err = c.req("resource_id"); err != nil {
		return
	}
	if dim, err = c.req("scalable_dimension"); err != nil {
		return
	}
	if ns != "ecs" {
		skip = "ecsnet models Application Auto Scaling for ECS services only"
	}
	return
}

func createAppScalingTarget(c *rctx) error {
	return c.later(func() error {
		ns, res, dim, skip, err := appTarget(c)
		if err != nil || skip != "" {
			c.skip = skip
			return err
		}
		if !engine.HasScalableService(c.e(), res) {
			c.skip = "its ECS service " + res + " is not in this system (give the configuration that creates it, or --base)"
			return nil
		}
		in := engine.RegisterScalableTargetInput{Namespace: ns, ResourceID: res, Dimension: dim, RoleARN: c.o.str("role_arn"),
			Tags: c.plainTags()}
		for _, f := range []struct {
			arg string
			to  **int
		}{{"min_capacity", &in.Min}, {"max_capacity", &in.Max}} {
			if _, err := c.req(f.arg); err != nil {
				return err
			}
			n, err := c.o.integer(f.arg, 0)
			if err != nil {
				return err
			}
			*f.to = &n
		}
		ss := c.o.block("suspended_state")
		for _, f := range []struct {
			arg string
			to  **bool
		}{{"dynamic_scaling_in_suspended", &in.DynamicInSuspended}, {"dynamic_scaling_out_suspended", &in.DynamicOutSuspended},
			{"scheduled_scaling_suspended", &in.ScheduledSuspended}} {
			if *f.to, err = ss.boolean(f.arg); err != nil {
				return err
			}
		}
		if len(in.Tags) == 0 {
			in.Tags = nil
		}
		st, err := c.e().RegisterScalableTarget(in)
		if err != nil {
			return c.fail("resource_id", err)
		}
		c.created(res, "")
		c.set("arn", st.ARN)
		c.set("role_arn", st.RoleARN)
		return nil
	})
}

// appPolicyBlocks are aws_appautoscaling_policy's configuration blocks,
// by the API member each is.
var appPolicyBlocks = [][2]string{
	{"target_tracking_scaling_policy_configuration", "TargetTrackingScalingPolicyConfiguration"},
	{"step_scaling_policy_configuration", "StepScalingPolicyConfiguration"},
	{"predictive_scaling_policy_configuration", "PredictiveScalingPolicyConfiguration"},
}

func createAppScalingPolicy(c *rctx) error {
	return c.later(func() error {
		ns, res, dim, skip, err := appTarget(c)
		if err != nil || skip != "" {
			c.skip = skip
			return err
		}
		name, err := c.req("name")
		if err != nil {
			return err
		}
		unordered := c.unorderedScalableTargets(res)
		if !appTargetKnown(c, ns, res, dim) {
			if len(unordered.pending) > 0 {
				// The configuration registers the target, after the
				// policy: Terraform may put the policy first, and
				// Application Auto Scaling refuses it.
				_, err := c.e().PutAppScalingPolicy(engine.AppScalingPolicyInput{Name: name, Namespace: ns, ResourceID: res, Dimension: dim, Type: "StepScaling"})
				if err == nil {
					err = errors.New("no scalable target registered")
				}
				return c.fail("resource_id", fmt.Errorf("%w (%s registers it, but %s does not depend on it, so Terraform may create the policy first: set resource_id = %s.resource_id, or add depends_on = [%s])",
					err, unordered.pending[0], c.addr, unordered.pending[0], unordered.pending[0]))
			}
			c.skip = "its scalable target " + res + " is not in this system"
			return nil
		}
		if len(unordered.done) > 0 {
			c.l.warnf(c.r.rng, "%s does not depend on %s, which registers its scalable target: Terraform may create the policy first, and Application Auto Scaling then refuses it (\"ObjectNotFoundException: No scalable target registered for service namespace: %s, resource ID: %s, scalable dimension: %s\"); set resource_id = %s.resource_id, or add depends_on = [%s]",
				c.addr, unordered.done[0], ns, res, dim, unordered.done[0], unordered.done[0])
		}
		typ := c.o.str("policy_type")
		if typ == "" {
			typ = "StepScaling" // the provider's default
		}
		in := engine.AppScalingPolicyInput{Name: name, Namespace: ns, ResourceID: res, Dimension: dim, Type: typ, Config: map[string]any{}}
		for _, b := range appPolicyBlocks {
			if bs := c.o.blocks(b[0]); len(bs) > 0 {
				in.Config[b[1]] = wireOf(bs[0])
			}
		}
		c.samePolicyWarning(ns, res, dim, name)
		p, err := c.e().PutAppScalingPolicy(in)
		if err != nil {
			return c.fail("name", err)
		}
		c.created(name, "")
		c.set("arn", p.ARN)
		c.set("name", name)
		c.set("policy_type", typ)
		return nil
	})
}

// samePolicyWarning warns of a second aws_appautoscaling_policy of the
// same name on the same scalable target: PutScalingPolicy "creates or
// updates" the target's policy of that name, so both resources are one
// policy, the last applied wins, and every later plan changes it back to
// the other's configuration.
func (c *rctx) samePolicyWarning(ns, res, dim, name string) {
	if c.l.scalingPolicies == nil {
		c.l.scalingPolicies = map[string]string{}
	}
	key := strings.Join([]string{ns, res, dim, name}, "|")
	first, ok := c.l.scalingPolicies[key]
	if !ok {
		c.l.scalingPolicies[key] = c.addr
		return
	}
	c.l.warnf(c.r.rng, "%s and %s are the same scaling policy (%q on %s %s): Application Auto Scaling keeps one policy per name on a scalable target (PutScalingPolicy creates or updates it), so the last applied wins and every later plan changes it back to the other's configuration; give each its own name",
		first, c.addr, name, res, dim)
}

// pendingDeps returns the module's pending nodes by key, and every
// resource the resource being created depends on, directly or through
// other pending nodes.
func (c *rctx) pendingDeps() (nodes map[string]*node, deps map[string]bool) {
	nodes = map[string]*node{}
	for _, n := range c.mi.pending {
		nodes[n.key] = n
	}
	deps = map[string]bool{}
	var walk func(k string)
	walk = func(k string) {
		if n := nodes[k]; n != nil {
			for _, d := range n.deps {
				if !deps[d] {
					deps[d] = true
					walk(d)
				}
			}
		}
	}
	walk(c.r.key())
	return nodes, deps
}

// scalableTargetsUnordered are the module's aws_appautoscaling_target
// resources a policy does not depend on, even through others: pending
// (not yet evaluated: ecsnet's order puts the policy first) and done
// (already registered with the policy's resource_id).
type scalableTargetsUnordered struct{ pending, done []string }

func (c *rctx) unorderedScalableTargets(res string) scalableTargetsUnordered {
	var out scalableTargetsUnordered
	nodes, deps := c.pendingDeps()
	for _, r := range c.mi.mod.resources {
		k := r.key()
		if r.typ != "aws_appautoscaling_target" || deps[k] || nodes[k] == nil {
			continue
		}
		switch {
		case !c.mi.done[k] && !c.mi.failed[k]:
			out.pending = append(out.pending, k)
		case c.mi.done[k] && anyAttr(c.mi.res[k], "resource_id", func(id string) bool { return id == res }):
			out.done = append(out.done, k)
		}
	}
	return out
}

func appTargetKnown(c *rctx, ns, res, dim string) bool {
	known := false
	c.e().Read(func(st *model.State) { known = st.ScalableTargets[model.ScalableTargetKey(ns, res, dim)] != nil })
	return known
}

func createAppScheduledAction(c *rctx) error {
	return c.later(func() error {
		ns, res, dim, skip, err := appTarget(c)
		if err != nil || skip != "" {
			c.skip = skip
			return err
		}
		in := engine.AppScheduledActionInput{Namespace: ns, ResourceID: res, Dimension: dim, Timezone: c.o.str("timezone")}
		if in.Name, err = c.req("name"); err != nil {
			return err
		}
		if in.Schedule, err = c.req("schedule"); err != nil {
			return err
		}
		if !appTargetKnown(c, ns, res, dim) {
			c.skip = "its scalable target " + res + " is not in this system"
			return nil
		}
		for _, f := range []struct {
			arg string
			to  **time.Time
		}{{"start_time", &in.Start}, {"end_time", &in.End}} {
			if s := c.o.str(f.arg); s != "" {
				t, err := time.Parse(time.RFC3339, s)
				if err != nil {
					return c.errf(f.arg, "%s: %q is not an RFC 3339 time", f.arg, s)
				}
				*f.to = &t
			}
		}
		sta := c.o.block("scalable_target_action")
		for _, f := range []struct {
			arg string
			to  **int
		}{{"min_capacity", &in.Min}, {"max_capacity", &in.Max}} {
			if sta.has(f.arg) {
				n, err := sta.integer(f.arg, 0)
				if err != nil {
					return err
				}
				*f.to = &n
			}
		}
		a, err := c.e().PutAppScheduledAction(in)
		if err != nil {
			return c.fail("name", err)
		}
		c.created(a.Name+"-"+ns+"-"+res, "")
		c.set("arn", a.ARN)
		return nil
	})
}

// wireListBlocks are the nested blocks that are lists on the wire (the
// others are single objects), by their API member names.
var wireListBlocks = map[string]string{"step_adjustment": "StepAdjustments", "dimensions": "Dimensions", "metrics": "Metrics"}

// wireOf converts a configuration block to the API's structure: member
// names in PascalCase, nested blocks as objects or lists, empty values
// (those of a plan or state) left out.
func wireOf(o obj) map[string]any {
	out := map[string]any{}
	if o.v == cty.NilVal || o.v.IsNull() || !o.v.IsKnown() || !o.v.Type().IsObjectType() {
		return out
	}
	for name := range o.v.Type().AttributeTypes() {
		v := o.get(name)
		if v.IsNull() || !v.IsKnown() {
			continue
		}
		key := pascal(name)
		t := v.Type()
		if t.IsObjectType() || (t.IsListType() || t.IsSetType() || t.IsTupleType()) && !elementsPrimitive(v) {
			var items []any
			for _, b := range o.blocks(name) {
				items = append(items, wireOf(b))
			}
			if k, ok := wireListBlocks[name]; ok {
				if len(items) > 0 {
					out[k] = items
				}
			} else if len(items) > 0 {
				out[key] = items[0]
			}
			continue
		}
		if x := primitive(v); x != nil {
			out[key] = x
		}
	}
	return out
}

// elementsPrimitive reports whether a collection holds no objects.
func elementsPrimitive(v cty.Value) bool {
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if et := e.Type(); et.IsObjectType() || et.IsMapType() {
			return false
		}
	}
	return true
}

// primitive converts a string, number or bool (nil for an empty string).
func primitive(v cty.Value) any {
	switch v.Type() {
	case cty.String:
		if s := v.AsString(); s != "" {
			return s
		}
	case cty.Number:
		f := v.AsBigFloat()
		if i, acc := f.Int64(); acc == big.Exact {
			return i
		}
		x, _ := f.Float64()
		return x
	case cty.Bool:
		return v.True()
	}
	return nil
}

// pascal turns a snake_case argument into its API member name.
func pascal(s string) string {
	var b strings.Builder
	for _, w := range strings.Split(s, "_") {
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}
