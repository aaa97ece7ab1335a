package model

import "time"

// Stack is an AWS CloudFormation stack deployed through the emulator's
// API. Its resources are ordinary resources of the State; the stack records
// which, with their events. Deleted stacks stay (Status DELETE_COMPLETE),
// as AWS keeps them visible by stack id.
type Stack struct {
	ID               string // the stack's ARN
	Name             string
	Description      string
	Status           string
	StatusReason     string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	DeletedAt        time.Time
	TemplateBody     string
	Parameters       []StackParameter
	Outputs          []StackOutput
	Tags             []StackTag
	Capabilities     []string
	DisableRollback  bool
	NotificationARNs []string
	RoleARN          string
	TimeoutInMinutes int64
	// TerminationProtection refuses DeleteStack while set.
	TerminationProtection bool
	// Imports are the export names the stack's template imports.
	Imports   []string
	Resources []StackResource // in creation order
	Events    []StackEvent    // oldest first (DescribeStackEvents lists them newest first)
	// ChangeSetID is the change set that created or last updated the stack.
	ChangeSetID string
	// ParentID and RootID are, for a nested stack (an
	// AWS::CloudFormation::Stack resource of another stack), the ARNs of
	// the stack that holds it and of the top-level stack; "" otherwise.
	// A nested stack is created, updated and deleted with its parent.
	ParentID, RootID string
	// Policy is the stack policy document (SetStackPolicy), "" when none.
	Policy string
	// RollbackTriggers and RollbackMonitoringMinutes are the stack's
	// RollbackConfiguration (CreateStack, UpdateStack).
	RollbackTriggers          []RollbackTrigger
	RollbackMonitoringMinutes int64
	// RetainExceptOnCreate is the running operation's RetainExceptOnCreate:
	// its rollback deletes what it created even when their DeletionPolicy
	// is Retain.
	RetainExceptOnCreate bool
	// Waiting holds the logical ids of the ECS services a create waits on
	// to stabilize (the stack stays CREATE_IN_PROGRESS meanwhile); empty
	// when it waits on nothing. WaitUntil is when the wait gives up, and
	// OnFailure what a failure then does (ROLLBACK, DO_NOTHING, DELETE).
	Waiting   []string
	WaitUntil time.Time
	// Held are the resources a create has not made yet (an update: not
	// updated or created yet) because they depend on a resource in
	// Waiting still short of its signals or stability (cfn.Stack.Held;
	// a nested stack's as "LOGICAL/ID"): made once it completes, never if
	// it fails.
	Held []string
	// MonitorUntil, while set, is the end of the operation's monitoring
	// of its rollback triggers (RollbackConfiguration), which starts once
	// every resource is deployed and lasts MonitoringTimeInMinutes.
	MonitorUntil time.Time `json:",omitempty"`
	OnFailure    string
	// Update, while an update waits on its ECS services (Waiting, the
	// stack UPDATE_IN_PROGRESS), is what it applies once they stabilize
	// and what it rolls back to should one fail; in UPDATE_ROLLBACK_FAILED,
	// what ContinueUpdateRollback goes on with; nil otherwise. Never
	// changed in place: replaced whole.
	Update *StackUpdate
	// DriftStatus is the stack's drift as its last DetectStackDrift found
	// it ("": NOT_CHECKED), DriftCheckedAt when; DriftDetections are the
	// last detections, oldest first.
	DriftStatus     string                `json:",omitempty"`
	DriftCheckedAt  time.Time             `json:",omitempty"`
	DriftDetections []StackDriftDetection `json:",omitempty"`
}

// StackUpdate is the rest of a stack update that waits on its ECS
// services: the stack keeps its template, parameters and outputs until
// they stabilize (Resources are the update's already).
type StackUpdate struct {
	TemplateBody string
	Description  string
	Parameters   []StackParameter
	Outputs      []StackOutput
	Imports      []string
	// Cleanup are the resources the update deletes when it completes (the
	// template no longer has them, or they were replaced).
	Cleanup []StackResource
	// Prior are the stack's resources before the update, what a rollback
	// returns to.
	Prior []StackResource
	// Rollback is set when the update failed and its rollback waits on
	// the ECS services it changed back (the stack
	// UPDATE_ROLLBACK_IN_PROGRESS): Cleanup are then what the update
	// created, deleted once those services are stable.
	Rollback bool
}

// StackParameter is a parameter value of a stack.
type StackParameter struct {
	Key           string
	Value         string
	ResolvedValue string // SSM parameter types: the value read from Parameter Store
	NoEcho        bool
}

// StackOutput is an output of a stack.
type StackOutput struct {
	Key         string
	Value       string
	Description string
	ExportName  string
}

// StackTag is a tag of a stack (CloudFormation keeps them in order).
type StackTag struct {
	Key, Value string
}

// StackResource is a resource of a stack.
type StackResource struct {
	LogicalID    string
	PhysicalID   string
	Type         string
	Status       string
	StatusReason string
	UpdatedAt    time.Time
	// Modeled is false for a resource type ecsnet does not model: it
	// completes with a placeholder physical id.
	Modeled bool
	// Props is the resource's template definition, to tell which
	// resources an update changes.
	Props string
	// Keys are the ids, beyond PhysicalID, that deleting it needs.
	Keys map[string]string
	// Resolved are its resolved properties and Attrs its Fn::GetAtt
	// values (JSON), as the deploy that made it saw them: an update
	// leaves it alone when they do not change.
	Resolved string
	Attrs    string
	// DeletionPolicy and UpdateReplacePolicy, as the stack's parameters
	// and conditions made them ("" when absent: Delete). Retain keeps the
	// resource when the stack deletes it (or, UpdateReplacePolicy, when
	// an update replaces it): DELETE_SKIPPED.
	DeletionPolicy      string
	UpdateReplacePolicy string
	// Signals are the UniqueIds of the success signals (cfn-signal) its
	// CreationPolicy received when it was created, each an event.
	Signals []string `json:",omitempty"`
	// Await is set while its CreationPolicy still waits for success
	// signals (the resource CREATE_IN_PROGRESS).
	Await *SignalAwait `json:",omitempty"`
	// Drift is what the last drift detection found (nil: never checked).
	Drift *StackResourceDrift `json:",omitempty"`
}

// StackResourceDrift is a resource's drift as DetectStackDrift or
// DetectStackResourceDrift found it.
type StackResourceDrift struct {
	Status      string // IN_SYNC, MODIFIED, DELETED or NOT_CHECKED
	CheckedAt   time.Time
	Expected    string // the checked properties as the template has them (JSON)
	Actual      string // the same properties as they are (JSON; "" when DELETED)
	Differences []PropertyDifference
}

// PropertyDifference is one property of a drifted resource: its path
// ("/DesiredCount", "/SecurityGroupIngress/1"), the expected and actual
// values (JSON text, "null" for none) and ADD, REMOVE or NOT_EQUAL.
type PropertyDifference struct {
	Path, Expected, Actual, Type string
}

// StackDriftDetection is one DetectStackDrift of a stack.
type StackDriftDetection struct {
	ID          string
	At          time.Time
	DriftStatus string // DRIFTED or IN_SYNC
	Drifted     int    // resources MODIFIED or DELETED
}

// SignalAwait is what a resource's CreationPolicy waits for: Need success
// signals (SignalResource, or its instances' cfn-signal) before Deadline
// (its Timeout after the resource was created).
type SignalAwait struct {
	Want, Need int
	// Group and Percent: an Auto Scaling group, its
	// MinSuccessfulInstancesPercent (its failure is worded as groups').
	Group    bool
	Percent  int
	Deadline time.Time
	// Condition: a wait condition with a handle (its failure is worded
	// as wait conditions').
	Condition bool `json:",omitempty"`
	// EnvStack: Copilot's environment controller waiting for this
	// environment stack's update to end; Need is 0 once its request is
	// applied, Failure then its failure's reason ("" when none).
	EnvStack string `json:",omitempty"`
	// Failure is the UniqueId of a FAILURE signal received, which fails
	// the resource at once.
	Failure string
}

// StackEvent is one entry of a stack's event history.
type StackEvent struct {
	ID           string
	LogicalID    string
	PhysicalID   string
	Type         string
	Status       string
	StatusReason string
	Timestamp    time.Time
	Properties   string
}

// ChangeSet is a CloudFormation change set.
type ChangeSet struct {
	ID              string // the change set's ARN
	Name            string
	StackID         string
	StackName       string
	Type            string // CREATE, UPDATE or IMPORT
	Description     string
	Status          string // CREATE_PENDING, CREATE_COMPLETE, FAILED, DELETE_COMPLETE
	StatusReason    string
	ExecutionStatus string // UNAVAILABLE, AVAILABLE, EXECUTE_COMPLETE, EXECUTE_FAILED, OBSOLETE
	CreatedAt       time.Time
	TemplateBody    string
	Parameters      []StackParameter
	Tags            []StackTag
	Capabilities    []string
	Changes         []ResourceChange
	// RollbackConfigGiven says the change set was made with a
	// RollbackConfiguration (RollbackTriggers, RollbackMonitoringMinutes),
	// which its execution runs with and leaves on the stack.
	RollbackConfigGiven       bool              `json:",omitempty"`
	RollbackTriggers          []RollbackTrigger `json:",omitempty"`
	RollbackMonitoringMinutes int64             `json:",omitempty"`
}

// ResourceChange is one change a change set would make.
type ResourceChange struct {
	Action      string // Add, Modify, Remove
	LogicalID   string
	PhysicalID  string
	Type        string
	Replacement string // True, False, Conditional ("" for Add and Remove)
	// Scope is what the change touches (Properties, Tags, Metadata…)
	// and Details what changes, one entry per change and its cause.
	Scope   []string
	Details []ChangeDetail
	// BeforeContext and AfterContext are the resource's resolved
	// properties (JSON) before and after ("" when unknown).
	BeforeContext, AfterContext string
}

// ChangeDetail is one change of a change set's resource change
// (CloudFormation's ResourceChangeDetail and its ResourceTargetDefinition).
type ChangeDetail struct {
	Attribute          string // Properties, Tags, Metadata…
	Name               string // the property ("" for Tags)
	RequiresRecreation string // Never, Conditionally, Always
	Evaluation         string // Static, Dynamic
	ChangeSource       string // DirectModification, ParameterReference, ResourceReference, ResourceAttribute
	CausingEntity      string // the parameter, resource or "resource.attribute"
	// BeforeValue and AfterValue are the property's resolved values
	// (a string as it is, anything else as JSON; "" when unknown), and
	// ChangeType Add, Remove or Modify.
	BeforeValue, AfterValue string
	ChangeType              string
}

// RollbackTrigger is a rollback trigger of a stack: a CloudWatch alarm.
type RollbackTrigger struct {
	Arn, Type string
}
