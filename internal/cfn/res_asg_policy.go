package cfn

import (
	"strconv"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

const typeScalingPolicy = "AWS::AutoScaling::ScalingPolicy"

// createScalingPolicy puts an Auto Scaling group's scaling policy
// (PutScalingPolicy: simple, step or target tracking), named as
// CloudFormation names it; Ref and Arn are the policy's ARN.
func createScalingPolicy(c *rctx) error {
	p := c.p
	group, err := p.req("AutoScalingGroupName")
	if err != nil {
		return err
	}
	pol := model.ScalingPolicy{Name: c.s.physicalName(c.r.def.name, 255)}
	if pol.Type, err = p.str("PolicyType"); err != nil {
		return err
	}
	if pol.AdjustmentType, err = p.str("AdjustmentType"); err != nil {
		return err
	}
	if pol.MetricAggregationType, err = p.str("MetricAggregationType"); err != nil {
		return err
	}
	for _, f := range []struct {
		key string
		to  **int
	}{{"ScalingAdjustment", &pol.ScalingAdjustment}, {"MinAdjustmentMagnitude", &pol.MinAdjustmentMagnitude},
		{"Cooldown", &pol.Cooldown}, {"EstimatedInstanceWarmup", &pol.EstimatedInstanceWarmup}} {
		if *f.to, err = p.intPtr(f.key); err != nil {
			return err
		}
	}
	steps, err := p.objects("StepAdjustments")
	if err != nil {
		return err
	}
	for _, st := range steps {
		var s model.StepAdjustment
		if s.ScalingAdjustment, err = st.integer("ScalingAdjustment", 0); err != nil {
			return err
		}
		if s.LowerBound, err = floatPtr(st, "MetricIntervalLowerBound"); err != nil {
			return err
		}
		if s.UpperBound, err = floatPtr(st, "MetricIntervalUpperBound"); err != nil {
			return err
		}
		pol.StepAdjustments = append(pol.StepAdjustments, s)
	}
	tt, err := p.object("TargetTrackingConfiguration")
	if err != nil {
		return err
	}
	if tt.n != nil {
		if pol.TargetTracking, err = targetTracking(tt); err != nil {
			return err
		}
	}
	out, err := c.e().PutScalingPolicy(engine.PutScalingPolicyInput{Group: group, Policy: pol})
	if err != nil {
		return err
	}
	c.keep("AutoScalingGroupName", group)
	c.keep("PolicyName", out.Name)
	c.setRef(out.ARN)
	c.set("Arn", out.ARN)
	c.set("PolicyName", out.Name)
	return nil
}

// targetTracking reads a TargetTrackingConfiguration: a predefined or a
// customized (single) metric, TargetValue and DisableScaleIn.
func targetTracking(tt obj) (*model.TargetTrackingConfiguration, error) {
	out := &model.TargetTrackingConfiguration{}
	pre, err := tt.object("PredefinedMetricSpecification")
	if err != nil {
		return nil, err
	}
	if out.PredefinedMetricType, err = pre.str("PredefinedMetricType"); err != nil {
		return nil, err
	}
	if out.ResourceLabel, err = pre.str("ResourceLabel"); err != nil {
		return nil, err
	}
	cus, err := tt.object("CustomizedMetricSpecification")
	if err != nil {
		return nil, err
	}
	for _, f := range []struct {
		key string
		to  *string
	}{{"MetricName", &out.MetricName}, {"Namespace", &out.Namespace}, {"Statistic", &out.Statistic}, {"Unit", &out.Unit}} {
		if *f.to, err = cus.str(f.key); err != nil {
			return nil, err
		}
	}
	dims, err := cus.objects("Dimensions")
	if err != nil {
		return nil, err
	}
	for _, d := range dims {
		var kv model.KeyValue
		if kv.Name, err = d.str("Name"); err != nil {
			return nil, err
		}
		if kv.Value, err = d.str("Value"); err != nil {
			return nil, err
		}
		out.Dimensions = append(out.Dimensions, kv)
	}
	v, err := floatPtr(tt, "TargetValue")
	if err != nil {
		return nil, err
	}
	if v != nil {
		out.TargetValue = *v
	}
	b, err := tt.boolean("DisableScaleIn")
	if err != nil {
		return nil, err
	}
	out.DisableScaleIn = b != nil && *b
	return out, nil
}

// floatPtr reads a number property (nil when absent).
func floatPtr(o obj, key string) (*float64, error) {
	if !o.has(key) {
		return nil, nil
	}
	s, err := o.str(key)
	if err != nil {
		return nil, err
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, o.invalid(key, "#: expected type: Number, found: String")
	}
	return &f, nil
}
