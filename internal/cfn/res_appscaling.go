package cfn

import (
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

const (
	typeScalableTarget   = "AWS::ApplicationAutoScaling::ScalableTarget"
	typeAppScalingPolicy = "AWS::ApplicationAutoScaling::ScalingPolicy"
)

// createScalableTarget registers an Application Auto Scaling scalable
// target (RegisterScalableTarget) with its scheduled actions; Ref and Id
// are "ResourceId|ScalableDimension|ServiceNamespace". A target whose ECS
// service is not in the system is skipped, unless the deploy checks them
// (DeployOptions.ScalableTargets), where it fails as AWS fails it.
func createScalableTarget(c *rctx) error {
	p := c.p
	ns, _ := p.str("ServiceNamespace")
	res, _ := p.str("ResourceId")
	dim, _ := p.str("ScalableDimension")
	if ns != "ecs" {
		return c.skipAs("ecsnet models Application Auto Scaling for ECS services only")
	}
	if !engine.HasScalableService(c.e(), res) && !c.s.l.scalableTargets {
		return c.skipAs("its ECS service " + res + " is not in this system (give the stack that creates it, or --base)")
	}
	if err := registerScalableTarget(c); err != nil {
		return err
	}
	id := model.ScalableTargetKey(ns, res, dim)
	c.setRef(id)
	c.set("Id", id)
	return nil
}

// registerScalableTarget registers (or updates) the target of c's
// properties and puts its scheduled actions.
func registerScalableTarget(c *rctx) error {
	p := c.p
	var in engine.RegisterScalableTargetInput
	var err error
	for _, f := range []struct {
		key string
		to  *string
	}{{"ServiceNamespace", &in.Namespace}, {"ResourceId", &in.ResourceID}, {"ScalableDimension", &in.Dimension}} {
		if *f.to, err = p.req(f.key); err != nil {
			return err
		}
	}
	if in.RoleARN, err = p.str("RoleARN"); err != nil {
		return err
	}
	for _, k := range []string{"MinCapacity", "MaxCapacity"} {
		if !p.has(k) {
			return p.missing(k)
		}
	}
	if in.Min, err = p.intPtr("MinCapacity"); err != nil {
		return err
	}
	if in.Max, err = p.intPtr("MaxCapacity"); err != nil {
		return err
	}
	ss, err := p.object("SuspendedState")
	if err != nil {
		return err
	}
	for _, f := range []struct {
		key string
		to  **bool
	}{{"DynamicScalingInSuspended", &in.DynamicInSuspended}, {"DynamicScalingOutSuspended", &in.DynamicOutSuspended},
		{"ScheduledScalingSuspended", &in.ScheduledSuspended}} {
		if *f.to, err = ss.boolean(f.key); err != nil {
			return err
		}
	}
	e := c.e()
	if _, err := e.RegisterScalableTarget(in); err != nil {
		return p.at("ResourceId", err)
	}
	actions, err := p.objects("ScheduledActions")
	if err != nil {
		return err
	}
	for _, a := range actions {
		sa := engine.AppScheduledActionInput{Namespace: in.Namespace, ResourceID: in.ResourceID, Dimension: in.Dimension}
		if sa.Name, err = a.req("ScheduledActionName"); err != nil {
			return err
		}
		if sa.Schedule, err = a.req("Schedule"); err != nil {
			return err
		}
		if sa.Timezone, err = a.str("Timezone"); err != nil {
			return err
		}
		for _, f := range []struct {
			key string
			to  **time.Time
		}{{"StartTime", &sa.Start}, {"EndTime", &sa.End}} {
			s, err := a.str(f.key)
			if err != nil || s == "" {
				if err != nil {
					return err
				}
				continue
			}
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return a.invalid(f.key, "#: expected type: Timestamp, found: %s", s)
			}
			*f.to = &t
		}
		sta, err := a.object("ScalableTargetAction")
		if err != nil {
			return err
		}
		if sa.Min, err = sta.intPtr("MinCapacity"); err != nil {
			return err
		}
		if sa.Max, err = sta.intPtr("MaxCapacity"); err != nil {
			return err
		}
		if _, err := e.PutAppScheduledAction(sa); err != nil {
			return a.at("ScheduledActionName", err)
		}
	}
	return nil
}

// updateScalableTarget registers the target again with its new capacity,
// role, suspended state and scheduled actions (those gone are deleted).
func updateScalableTarget(c *rctx, old obj, _ []string) error {
	if err := registerScalableTarget(c); err != nil {
		return err
	}
	keep := map[string]bool{}
	actions, _ := c.p.objects("ScheduledActions")
	for _, a := range actions {
		n, _ := a.str("ScheduledActionName")
		keep[n] = true
	}
	gone, _ := old.objects("ScheduledActions")
	ns, _ := c.p.str("ServiceNamespace")
	res, _ := c.p.str("ResourceId")
	dim, _ := c.p.str("ScalableDimension")
	for _, a := range gone {
		if n, _ := a.str("ScheduledActionName"); !keep[n] {
			if err := c.e().DeleteAppScheduledAction(ns, res, dim, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// appPolicyConfigs are a scaling policy's configuration properties, named
// as the API names them.
var appPolicyConfigs = []string{"TargetTrackingScalingPolicyConfiguration", "StepScalingPolicyConfiguration",
	"PredictiveScalingPolicyConfiguration"}

// createAppScalingPolicy puts an Application Auto Scaling scaling policy
// on the target ScalingTargetId names (or ResourceId, ScalableDimension
// and ServiceNamespace); Ref and Arn are the policy's ARN.
func createAppScalingPolicy(c *rctx) error {
	p := c.p
	in := engine.AppScalingPolicyInput{Config: map[string]any{}}
	var err error
	if in.Name, err = p.req("PolicyName"); err != nil {
		return err
	}
	if in.Type, err = p.req("PolicyType"); err != nil {
		return err
	}
	id, err := p.str("ScalingTargetId")
	if err != nil {
		return err
	}
	if t := strings.Split(id, "|"); len(t) == 3 {
		in.ResourceID, in.Dimension, in.Namespace = t[0], t[1], t[2]
	} else {
		in.ResourceID, _ = p.str("ResourceId")
		in.Dimension, _ = p.str("ScalableDimension")
		in.Namespace, _ = p.str("ServiceNamespace")
		if in.ResourceID == "" || in.Dimension == "" || in.Namespace == "" {
			return p.invalid("ScalingTargetId", "Either ScalingTargetId or all three of [ResourceId, ScalableDimension, ServiceNamespace] must be specified")
		}
	}
	known := false
	c.read(func(st *model.State) {
		known = st.ScalableTargets[model.ScalableTargetKey(in.Namespace, in.ResourceID, in.Dimension)] != nil
	})
	if !known {
		return c.skipAs("its scalable target " + in.ResourceID + " is not in this system")
	}
	for _, k := range appPolicyConfigs {
		if v := p.get(k); v != nil {
			in.Config[k] = v.toAny()
		}
	}
	out, err := c.e().PutAppScalingPolicy(in)
	if err != nil {
		return p.at("PolicyName", err)
	}
	c.keep("ServiceNamespace", in.Namespace)
	c.keep("ResourceId", in.ResourceID)
	c.keep("ScalableDimension", in.Dimension)
	c.keep("PolicyName", in.Name)
	c.setRef(out.ARN)
	c.set("Arn", out.ARN)
	return nil
}

// updateAppScalingPolicy puts the policy again with its new configuration.
func updateAppScalingPolicy(c *rctx, _ obj, _ []string) error { return createAppScalingPolicy(c) }
