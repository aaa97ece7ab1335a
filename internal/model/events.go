package model

import "time"

// EventRule is an Amazon EventBridge rule on an event bus, by
// EventRuleKey: a schedule (rate or cron) or an event pattern, and the
// targets it invokes. ecsnet runs the ECS targets of a scheduled rule (a
// RunTask on the engine's clock) and of a rule whose pattern matches an
// event (ECS's own, or PutEvents'); other targets are kept as configured.
type EventRule struct {
	Name, ARN, EventBus string
	ScheduleExpression  string
	EventPattern        string
	State               string // ENABLED, DISABLED
	Description         string
	RoleARN             string
	ManagedBy           string
	Created             time.Time
	Tags                Tags
	Targets             []EventTarget
	// Next is when the schedule fires next (zero: never: no schedule, or
	// a disabled rule).
	Next time.Time
	// Invocations and FailedInvocations count the target invocations
	// (AWS/Events Invocations and FailedInvocations); LastFailure is the
	// last failed invocation's reason.
	Invocations, FailedInvocations int
	LastFailure                    string
	// History holds the rule's latest invocations (the last
	// MaxEventHistory), from which CloudWatch answers the AWS/Events
	// metrics.
	History []EventInvocation
}

// MaxEventHistory is how many invocations a rule keeps for its metrics.
const MaxEventHistory = 1440

// EventInvocation is one invocation of one target of a rule.
// An entry without Target is a firing of the rule (a scheduled
// occurrence, or an event its pattern matched: TriggeredRules).
type EventInvocation struct {
	At     time.Time
	Target string
	Failed bool
}

// EventRuleKey is an EventRule's key: its bus and name.
func EventRuleKey(bus, name string) string { return bus + "/" + name }

// EventTarget is one target of an EventBridge rule.
type EventTarget struct {
	ID, ARN, RoleARN string
	Input, InputPath string
	// ECS is the target's EcsParameters; nil for a target that is not an
	// ECS cluster.
	ECS *EventECSParameters
	// Config is the rest of the target's configuration as given (retry
	// policy, dead-letter queue, other services' parameters), echoed by
	// ListTargetsByRule.
	Config map[string]any
}

// EventECSParameters is a target's EcsParameters: the RunTask EventBridge
// calls on the target's cluster.
type EventECSParameters struct {
	TaskDefinitionARN        string
	TaskCount                int
	LaunchType               LaunchType
	CapacityProviderStrategy []CapacityProviderStrategyItem
	// Network is the awsvpcConfiguration; nil when the target has no
	// NetworkConfiguration.
	Network              *AwsVpcConfiguration
	PlatformVersion      string
	Group                string
	PropagateTags        string
	ReferenceID          string
	EnableECSManagedTags bool
	EnableExecuteCommand bool
	Tags                 Tags
	PlacementConstraints []PlacementConstraint
	PlacementStrategy    []PlacementStrategy
}

// EventBus is an EventBridge event bus, by name; the account's "default"
// bus always exists.
type EventBus struct {
	Name, ARN, Description string
	Created, Modified      time.Time
	Tags                   Tags
}
