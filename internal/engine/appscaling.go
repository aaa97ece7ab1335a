package engine

import (
	"fmt"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Application Auto Scaling for ECS services: scalable targets (a service's
// desired count between a minimum and a maximum), their scaling policies
// and scheduled actions, and the scaling activities that change the
// desired count. Registering or updating a target whose service's desired
// count is outside the range sets it into the range at once, with an
// activity. Scheduled actions run on the engine's clock
// (appscaling_schedule.go); ecsnet has no CloudWatch metrics, so scaling
// policies are kept and described, never triggered.

// AppScalingDimension is the one scalable dimension ecsnet models.
const AppScalingDimension = "ecs:service:DesiredCount"

func errAASValidation(format string, args ...any) error {
	return apierr.Newf("ValidationException", format, args...)
}

func errNoScalableTarget(ns, res, dim string) error {
	return apierr.Newf("ObjectNotFoundException",
		"No scalable target registered for service namespace: %s, resource ID: %s, scalable dimension: %s", ns, res, dim)
}

// checkAppScalingTarget checks a target's identity: ecsnet models the ecs
// namespace only ([choice]), and there the ECS service's desired count.
func checkAppScalingTarget(ns, res, dim string) error {
	if ns != "ecs" {
		return errAASValidation("ecsnet models Application Auto Scaling for Amazon ECS services only: service namespace %s is not supported", ns)
	}
	if dim != AppScalingDimension || len(strings.Split(res, "/")) != 3 || !strings.HasPrefix(res, "service/") {
		return errAASValidation("Unsupported service namespace, resource type or scalable dimension") // probable
	}
	return nil
}

// appScalingService returns the active ECS service a resource id
// (service/<cluster>/<service>) names, or nil.
func (t *txn) appScalingService(res string) *model.Service {
	parts := strings.Split(res, "/")
	if len(parts) != 3 {
		return nil
	}
	c, err := t.cluster(parts[1])
	if err != nil {
		return nil
	}
	s, err := t.service(c, parts[2])
	if err != nil || s.Status != "ACTIVE" {
		return nil
	}
	return s
}

// HasScalableService reports whether the ECS service a scalable target's
// resource id (service/<cluster>/<service>) names is active in e.
func HasScalableService(e *Engine, res string) bool {
	var ok bool
	e.Read(func(st *model.State) {
		parts := strings.Split(res, "/")
		if len(parts) != 3 || parts[0] != "service" {
			return
		}
		s := st.Services[e.ecsARN("service/"+parts[1]+"/"+parts[2])]
		ok = s != nil && s.Status == "ACTIVE"
	})
	return ok
}

// RegisterScalableTargetInput is RegisterScalableTarget's input; nil
// fields of an existing target stay as they are.
type RegisterScalableTargetInput struct {
	Namespace, ResourceID, Dimension string
	Min, Max                         *int
	RoleARN                          string
	// DynamicInSuspended, DynamicOutSuspended and ScheduledSuspended are
	// SuspendedState's members, nil when not given.
	DynamicInSuspended, DynamicOutSuspended, ScheduledSuspended *bool
	Tags                                                        model.Tags
}

// RegisterScalableTarget registers a scalable target or updates one. The
// ECS service must exist; a service whose desired count is outside the
// new range is scaled into it (an activity records it).
func (e *Engine) RegisterScalableTarget(in RegisterScalableTargetInput) (*model.ScalableTarget, error) {
	if err := checkAppScalingTarget(in.Namespace, in.ResourceID, in.Dimension); err != nil {
		return nil, err
	}
	var out *model.ScalableTarget
	err := e.write(func(t *txn) error {
		s := t.appScalingService(in.ResourceID)
		if s == nil {
			return errAASValidation("ECS service doesn't exist: %s", in.ResourceID)
		}
		key := model.ScalableTargetKey(in.Namespace, in.ResourceID, in.Dimension)
		old := t.st.ScalableTargets[key]
		var st model.ScalableTarget
		if old != nil {
			if len(in.Tags) > 0 {
				return errAASValidation("The scalable target that you tried to tag already exists. To update tags on an existing scalable target, use the TagResource API.")
			}
			st = *old
		} else {
			if in.Min == nil || in.Max == nil {
				return errAASValidation("MinCapacity and MaxCapacity are required for registering a new scalable target.") // probable
			}
			if len(in.Tags) > 50 {
				return apierr.New("TooManyTagsException", "The number of tags exceeds the limit of 50.") // probable
			}
			st = model.ScalableTarget{
				Namespace: in.Namespace, ResourceID: in.ResourceID, Dimension: in.Dimension, Created: t.now,
				ARN: fmt.Sprintf("arn:%s:application-autoscaling:%s:%s:scalable-target/%s",
					model.Partition(t.e.cfg.Region), t.e.cfg.Region, t.e.cfg.Account, t.e.ids.Hex(36)),
				UUID: t.uuid(), Tags: in.Tags.Clone(),
				RoleARN: fmt.Sprintf("arn:%s:iam::%s:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/"+
					"AWSServiceRoleForApplicationAutoScaling_ECSService", model.Partition(t.e.cfg.Region), t.e.cfg.Account),
			}
		}
		minChanged, maxChanged := in.Min != nil, in.Max != nil
		if in.Min != nil {
			st.Min = *in.Min
		}
		if in.Max != nil {
			st.Max = *in.Max
		}
		if st.Min < 0 || st.Max < 0 {
			return errAASValidation("Minimum and maximum capacity must be greater than or equal to 0") // probable
		}
		if st.Min > st.Max {
			return errAASValidation("Minimum capacity cannot be greater than maximum capacity") // probable
		}
		if in.RoleARN != "" {
			st.RoleARN = in.RoleARN
		}
		for _, f := range []struct {
			in  *bool
			out *bool
		}{{in.DynamicInSuspended, &st.DynamicInSuspended}, {in.DynamicOutSuspended, &st.DynamicOutSuspended},
			{in.ScheduledSuspended, &st.ScheduledSuspended}} {
			if f.in != nil {
				*f.out = *f.in
			}
		}
		put(t, model.KindScalableTarget, t.st.ScalableTargets, key, &st)
		switch {
		case minChanged && s.DesiredCount < st.Min:
			t.scaleService(&st, s, st.Min, fmt.Sprintf("minimum capacity was set to %d", st.Min))
		case maxChanged && s.DesiredCount > st.Max:
			t.scaleService(&st, s, st.Max, fmt.Sprintf("maximum capacity was set to %d", st.Max))
		}
		out = &st
		return nil
	})
	return out, err
}

// scaleService sets an ECS service's desired count for a scalable target
// and records the activity, in AWS's words.
func (t *txn) scaleService(st *model.ScalableTarget, s *model.Service, n int, cause string) {
	ns := cloneService(s)
	ns.DesiredCount = n
	if len(ns.Deployments) > 0 {
		ns.Deployments[0].DesiredCount, ns.Deployments[0].UpdatedAt = n, t.now
	}
	put(t, model.KindService, t.st.Services, ns.ARN, ns)
	a := &model.AppScalingActivity{
		ID: t.uuid(), Namespace: st.Namespace, ResourceID: st.ResourceID, Dimension: st.Dimension,
		Description: fmt.Sprintf("Setting desired count to %d.", n), Cause: cause, StatusCode: "Successful",
		StatusMessage: fmt.Sprintf("Successfully set desired count to %d. Change successfully fulfilled by ecs.", n),
		Start:         t.now, End: t.now,
	}
	put(t, model.KindAppActivity, t.st.ScalingActivities, a.ID, a)
}

// DeregisterScalableTarget deregisters a scalable target with its scaling
// policies and scheduled actions.
func (e *Engine) DeregisterScalableTarget(ns, res, dim string) error {
	return e.write(func(t *txn) error {
		key := model.ScalableTargetKey(ns, res, dim)
		if t.st.ScalableTargets[key] == nil {
			return apierr.Newf("ObjectNotFoundException",
				"No scalable target found for service namespace: %s, resource ID: %s, scalable dimension: %s", ns, res, dim) // probable
		}
		t.deregisterScalableTarget(key)
		return nil
	})
}

func (t *txn) deregisterScalableTarget(key string) {
	del(t, model.KindScalableTarget, t.st.ScalableTargets, key)
	for k := range t.st.AppScalingPolicies {
		if strings.HasPrefix(k, key+"|") {
			del(t, model.KindAppScalingPolicy, t.st.AppScalingPolicies, k)
		}
	}
	for k := range t.st.AppScheduledActions {
		if strings.HasPrefix(k, key+"|") {
			del(t, model.KindAppScheduledAction, t.st.AppScheduledActions, k)
		}
	}
}

// deregisterServiceTargets deregisters the scalable targets of an ECS
// service being deleted: AWS deletes them with the service.
func (t *txn) deregisterServiceTargets(s *model.Service) {
	if len(t.st.ScalableTargets) == 0 {
		return
	}
	if st := model.ServiceScalableTarget(t.st, s); st != nil {
		t.deregisterScalableTarget(model.ScalableTargetKey(st.Namespace, st.ResourceID, st.Dimension))
	}
}

// AppScalingPolicyInput is PutScalingPolicy's input: the configuration of
// its type as given (member names of the wire).
type AppScalingPolicyInput struct {
	Name, Namespace, ResourceID, Dimension string
	Type                                   string
	Config                                 map[string]any
}

// ecsMetricTypes are the predefined metrics of ECS services.
var ecsMetricTypes = []string{"ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization", "ALBRequestCountPerTarget"}

// PutAppScalingPolicy creates or updates a scaling policy of a registered
// scalable target. A target tracking policy owns two CloudWatch alarms
// (AlarmHigh, and AlarmLow unless scale-in is disabled).
func (e *Engine) PutAppScalingPolicy(in AppScalingPolicyInput) (*model.AppScalingPolicy, error) {
	if err := checkAppScalingTarget(in.Namespace, in.ResourceID, in.Dimension); err != nil {
		return nil, err
	}
	if in.Type == "" {
		in.Type = "StepScaling" // [choice]: the type Terraform sends by default
	}
	var out *model.AppScalingPolicy
	err := e.write(func(t *txn) error {
		tkey := model.ScalableTargetKey(in.Namespace, in.ResourceID, in.Dimension)
		st := t.st.ScalableTargets[tkey]
		if st == nil {
			return errNoScalableTarget(in.Namespace, in.ResourceID, in.Dimension)
		}
		if err := checkPolicyConfig(in.Type, in.Config); err != nil {
			return err
		}
		key := model.AppScalingPolicyKey(tkey, in.Name)
		p := &model.AppScalingPolicy{Name: in.Name, Namespace: in.Namespace, ResourceID: in.ResourceID, Dimension: in.Dimension,
			Type: in.Type, Config: in.Config, Created: t.now,
			ARN: fmt.Sprintf("arn:%s:autoscaling:%s:%s:scalingPolicy:%s:resource/%s/%s:policyName/%s", model.Partition(t.e.cfg.Region),
				t.e.cfg.Region, t.e.cfg.Account, st.UUID, in.Namespace, in.ResourceID, in.Name)}
		if old := t.st.AppScalingPolicies[key]; old != nil {
			p.Created, p.AlarmHigh, p.AlarmLow = old.Created, old.AlarmHigh, old.AlarmLow
		}
		if p.Type == "TargetTrackingScaling" {
			if p.AlarmHigh == "" {
				p.AlarmHigh = t.uuid()
			}
			if p.AlarmLow == "" {
				p.AlarmLow = t.uuid()
			}
		} else {
			p.AlarmHigh, p.AlarmLow = "", ""
		}
		put(t, model.KindAppScalingPolicy, t.st.AppScalingPolicies, key, p)
		out = p
		return nil
	})
	return out, err
}

// checkPolicyConfig checks a policy's configuration against its type.
func checkPolicyConfig(typ string, cfg map[string]any) error {
	switch typ {
	case "TargetTrackingScaling":
		tt, _ := cfg["TargetTrackingScalingPolicyConfiguration"].(map[string]any)
		if tt == nil {
			return errAASValidation("TargetTrackingScalingPolicyConfiguration is required for a policy of type TargetTrackingScaling") // probable
		}
		pm, _ := tt["PredefinedMetricSpecification"].(map[string]any)
		_, custom := tt["CustomizedMetricSpecification"]
		if (pm == nil) == !custom {
			return errAASValidation("Exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification must be specified") // probable
		}
		if pm != nil {
			mt, _ := pm["PredefinedMetricType"].(string)
			if !containsString(ecsMetricTypes, mt) {
				return errAASValidation("Unsupported metric type %s for service namespace ecs", mt) // probable
			}
			if label, _ := pm["ResourceLabel"].(string); mt == "ALBRequestCountPerTarget" && label == "" {
				return errAASValidation("ResourceLabel is required for the predefined metric type ALBRequestCountPerTarget") // probable
			}
		}
	case "StepScaling":
		sc, _ := cfg["StepScalingPolicyConfiguration"].(map[string]any)
		if sc == nil {
			return errAASValidation("StepScalingPolicyConfiguration is required for a policy of type StepScaling") // probable
		}
		if steps, _ := sc["StepAdjustments"].([]any); len(steps) == 0 {
			return errAASValidation("StepAdjustments are required for a policy of type StepScaling") // probable
		}
	case "PredictiveScaling":
		if cfg["PredictiveScalingPolicyConfiguration"] == nil {
			return errAASValidation("PredictiveScalingPolicyConfiguration is required for a policy of type PredictiveScaling") // probable
		}
	default:
		return errAASValidation("1 validation error detected: Value '%s' at 'policyType' failed to satisfy constraint: "+
			"Member must satisfy enum value set: [PredictiveScaling, StepScaling, TargetTrackingScaling]", typ)
	}
	return nil
}

func containsString(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// DeleteAppScalingPolicy deletes a scaling policy.
func (e *Engine) DeleteAppScalingPolicy(ns, res, dim, name string) error {
	return e.write(func(t *txn) error {
		key := model.AppScalingPolicyKey(model.ScalableTargetKey(ns, res, dim), name)
		if t.st.AppScalingPolicies[key] == nil {
			return apierr.Newf("ObjectNotFoundException", "No scaling policy found for service namespace: %s, resource ID: %s, "+
				"scalable dimension: %s, policy name: %s", ns, res, dim, name) // probable
		}
		del(t, model.KindAppScalingPolicy, t.st.AppScalingPolicies, key)
		return nil
	})
}

// AppScheduledActionInput is PutScheduledAction's input; fields left
// zero (nil) keep an existing action's.
type AppScheduledActionInput struct {
	Name, Namespace, ResourceID, Dimension string
	Schedule, Timezone                     string
	Start, End                             *time.Time
	Min, Max                               *int
}

// PutAppScheduledAction creates or updates a scheduled action of a
// registered scalable target.
func (e *Engine) PutAppScheduledAction(in AppScheduledActionInput) (*model.AppScheduledAction, error) {
	if err := checkAppScalingTarget(in.Namespace, in.ResourceID, in.Dimension); err != nil {
		return nil, err
	}
	if s := in.Schedule; s != "" && !strings.HasPrefix(s, "at(") && !strings.HasPrefix(s, "rate(") && !strings.HasPrefix(s, "cron(") {
		return nil, errAASValidation("Schedule must be an at, rate or cron expression: %s", s) // probable
	}
	var out *model.AppScheduledAction
	err := e.write(func(t *txn) error {
		tkey := model.ScalableTargetKey(in.Namespace, in.ResourceID, in.Dimension)
		st := t.st.ScalableTargets[tkey]
		if st == nil {
			return errNoScalableTarget(in.Namespace, in.ResourceID, in.Dimension)
		}
		key := model.AppScalingPolicyKey(tkey, in.Name)
		var a model.AppScheduledAction
		if old := t.st.AppScheduledActions[key]; old != nil {
			a = *old
		} else {
			if in.Schedule == "" {
				return errAASValidation("Schedule is required for a new scheduled action") // probable
			}
			a = model.AppScheduledAction{Name: in.Name, Namespace: in.Namespace, ResourceID: in.ResourceID, Dimension: in.Dimension,
				Created: t.now, ARN: fmt.Sprintf("arn:%s:autoscaling:%s:%s:scheduledAction:%s:resource/%s/%s:scheduledActionName/%s",
					model.Partition(t.e.cfg.Region), t.e.cfg.Region, t.e.cfg.Account, st.UUID, in.Namespace, in.ResourceID, in.Name)}
		}
		if in.Schedule != "" {
			a.Schedule = in.Schedule
		}
		if in.Timezone != "" {
			a.Timezone = in.Timezone
		}
		if in.Start != nil {
			a.Start = *in.Start
		}
		if in.End != nil {
			a.End = *in.End
		}
		if in.Min != nil {
			a.Min = in.Min
		}
		if in.Max != nil {
			a.Max = in.Max
		}
		if a.Min != nil && a.Max != nil && *a.Min > *a.Max {
			return errAASValidation("Minimum capacity cannot be greater than maximum capacity") // probable
		}
		a.Next = nextRun(&a, t.now)
		put(t, model.KindAppScheduledAction, t.st.AppScheduledActions, key, &a)
		out = &a
		return nil
	})
	return out, err
}

// DeleteAppScheduledAction deletes a scheduled action.
func (e *Engine) DeleteAppScheduledAction(ns, res, dim, name string) error {
	return e.write(func(t *txn) error {
		key := model.AppScalingPolicyKey(model.ScalableTargetKey(ns, res, dim), name)
		if t.st.AppScheduledActions[key] == nil {
			return apierr.Newf("ObjectNotFoundException", "No scheduled action found for service namespace: %s, resource ID: %s, "+
				"scalable dimension: %s, scheduled action name: %s", ns, res, dim, name) // probable
		}
		del(t, model.KindAppScheduledAction, t.st.AppScheduledActions, key)
		return nil
	})
}

// ScalableTargetOfARN returns the key of the scalable target with a
// ScalableTargetARN, or "".
func ScalableTargetOfARN(st *model.State, arn string) string {
	for k, t := range st.ScalableTargets {
		if t.ARN == arn {
			return k
		}
	}
	return ""
}

// TagScalableTarget adds tags to a scalable target (by ARN) and removes
// the keys in remove.
func (e *Engine) TagScalableTarget(arn string, add model.Tags, remove []string) error {
	return e.write(func(t *txn) error {
		key := ScalableTargetOfARN(t.st, arn)
		if key == "" {
			return apierr.Newf("ResourceNotFoundException", "No scalable target found for ARN: %s", arn) // probable
		}
		st := *t.st.ScalableTargets[key]
		st.Tags = st.Tags.Clone()
		if st.Tags == nil {
			st.Tags = model.Tags{}
		}
		for k, v := range add {
			st.Tags[k] = v
		}
		for _, k := range remove {
			delete(st.Tags, k)
		}
		if len(st.Tags) > 50 {
			return apierr.New("TooManyTagsException", "The number of tags exceeds the limit of 50.") // probable
		}
		put(t, model.KindScalableTarget, t.st.ScalableTargets, key, &st)
		return nil
	})
}
