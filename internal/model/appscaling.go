package model

import (
	"strings"
	"time"
)

// ScalableTarget is an Application Auto Scaling scalable target: an ECS
// service's desired count (namespace ecs, resource id
// service/<cluster>/<service>, dimension ecs:service:DesiredCount) kept
// between MinCapacity and MaxCapacity. It is keyed by ScalableTargetKey.
type ScalableTarget struct {
	Namespace, ResourceID, Dimension string
	Min, Max                         int
	RoleARN                          string
	// DynamicInSuspended, DynamicOutSuspended and ScheduledSuspended are
	// the target's SuspendedState.
	DynamicInSuspended, DynamicOutSuspended, ScheduledSuspended bool
	Created                                                     time.Time
	ARN                                                         string // ScalableTargetARN
	// UUID is the id in the ARNs of the target's policies and scheduled
	// actions (…:scalingPolicy:<uuid>:resource/…).
	UUID string
	Tags Tags
}

// ScalableTargetKey is a scalable target's key, in the shape of
// CloudFormation's Ref of one: resource id|dimension|namespace.
func ScalableTargetKey(namespace, resourceID, dimension string) string {
	return resourceID + "|" + dimension + "|" + namespace
}

// AppScalingPolicy is an Application Auto Scaling scaling policy (target
// tracking or step scaling) of a scalable target. Its configuration is
// kept as given (the wire's member names); AlarmIDs are the uuids of the
// CloudWatch alarms a target tracking policy owns (AlarmHigh, AlarmLow).
type AppScalingPolicy struct {
	Name, ARN                        string
	Namespace, ResourceID, Dimension string
	Type                             string // TargetTrackingScaling, StepScaling
	Config                           map[string]any
	AlarmHigh, AlarmLow              string
	Created                          time.Time
}

// AppScalingPolicyKey is a policy's key: its target's key and its name.
func AppScalingPolicyKey(target, name string) string { return target + "|" + name }

// AppScheduledAction is an Application Auto Scaling scheduled action: a
// schedule (at(…), rate(…), cron(…)) that sets a target's capacity range.
type AppScheduledAction struct {
	Name, ARN                        string
	Namespace, ResourceID, Dimension string
	Schedule, Timezone               string
	Start, End                       time.Time // zero: not set
	Min, Max                         *int
	Created                          time.Time
	// Next is when the action runs next (zero: never again).
	Next time.Time
}

// AppAppScalingActivity is an Application Auto Scaling scaling activity.
type AppScalingActivity struct {
	ID                               string
	Namespace, ResourceID, Dimension string
	Description, Cause               string
	StatusCode, StatusMessage        string
	Start, End                       time.Time
}

// ServiceScalableTarget returns the Application Auto Scaling target of an
// ECS service's desired count, or nil.
func ServiceScalableTarget(st *State, s *Service) *ScalableTarget {
	if len(st.ScalableTargets) == 0 {
		return nil
	}
	cluster := s.ClusterARN[strings.LastIndexByte(s.ClusterARN, '/')+1:]
	return st.ScalableTargets[ScalableTargetKey("ecs", "service/"+cluster+"/"+s.Name, "ecs:service:DesiredCount")]
}
