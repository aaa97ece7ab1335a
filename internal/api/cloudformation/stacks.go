package cloudformation

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// A stack operation runs to its end before the request that started it
// is answered (CloudFormation answers at once and works in the
// background): the stack is in a final state — CREATE_COMPLETE,
// ROLLBACK_COMPLETE, … — when a client first looks, except a create that
// waits for its ECS services to stabilize (stabilize.go). Events record
// every step as CloudFormation would have taken it.

// Stack statuses.
const (
	statusCreateInProgress   = "CREATE_IN_PROGRESS"
	statusCreateComplete     = "CREATE_COMPLETE"
	statusCreateFailed       = "CREATE_FAILED"
	statusRollbackInProgress = "ROLLBACK_IN_PROGRESS"
	statusRollbackComplete   = "ROLLBACK_COMPLETE"
	statusDeleteInProgress   = "DELETE_IN_PROGRESS"
	statusDeleteComplete     = engine.StackDeleted
	statusDeleteFailed       = "DELETE_FAILED"
	statusDeleteSkipped      = "DELETE_SKIPPED"
	statusReviewInProgress   = "REVIEW_IN_PROGRESS"
	statusUpdateInProgress   = "UPDATE_IN_PROGRESS"
	statusUpdateComplete     = "UPDATE_COMPLETE"
	statusUpdateFailed       = "UPDATE_FAILED"
	statusUpdateCleanup      = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"
	statusUpdateRollbackIP   = "UPDATE_ROLLBACK_IN_PROGRESS"
	statusUpdateRollbackCln  = "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"
	statusUpdateRollbackDone = "UPDATE_ROLLBACK_COMPLETE"
	statusUpdateRollbackFail = "UPDATE_ROLLBACK_FAILED"
)

// recorder collects a stack's events during one operation, each a
// millisecond after the last so that they sort as they happened.
type recorder struct {
	c      *api.Call
	st     *model.Stack
	now    time.Time
	events []model.StackEvent
}

func newRecorder(c *api.Call, st *model.Stack) *recorder {
	now := c.Engine.Now().Truncate(time.Millisecond)
	if n := len(st.Events); n > 0 && !now.After(st.Events[n-1].Timestamp) {
		now = st.Events[n-1].Timestamp.Add(time.Millisecond)
	}
	return &recorder{c: c, st: st, now: now}
}

func (r *recorder) tick() time.Time {
	t := r.now
	r.now = r.now.Add(time.Millisecond)
	return t
}

// stack records an event of the stack itself.
func (r *recorder) stack(status, reason string) {
	r.events = append(r.events, model.StackEvent{ID: uuid(), LogicalID: r.st.Name, PhysicalID: r.st.ID,
		Type: "AWS::CloudFormation::Stack", Status: status, StatusReason: reason, Timestamp: r.tick()})
}

// resource records an event of a resource.
func (r *recorder) resource(res model.StackResource, status, reason string) {
	r.events = append(r.events, model.StackEvent{ID: uuid(), LogicalID: res.LogicalID, PhysicalID: res.PhysicalID,
		Type: res.Type, Status: status, StatusReason: reason, Timestamp: r.tick(), Properties: res.Props})
}

// creating records CloudFormation's CREATE_IN_PROGRESS events of a
// resource: before its handler ran (no physical id yet), then "Resource
// creation Initiated" with the id, for every type, modeled or not, then
// one "Received SUCCESS signal with UniqueId ID" for each signal its
// CreationPolicy waited for.
func (r *recorder) creating(res model.StackResource) {
	before := res
	before.PhysicalID = ""
	r.resource(before, statusCreateInProgress, "")
	r.resource(res, statusCreateInProgress, "Resource creation Initiated")
	for _, id := range res.Signals {
		r.resource(res, statusCreateInProgress, "Received SUCCESS signal with UniqueId "+id)
	}
}

// commit stores the events and applies fn to the stack record.
func (r *recorder) commit(fn func(s *model.Stack)) (*model.Stack, error) {
	events := r.events
	r.events = nil
	return r.c.Engine.ChangeStack(r.st.ID, func(s *model.Stack) error {
		s.Events = append(s.Events, events...)
		if fn != nil {
			fn(s)
		}
		return nil
	})
}

func uuid() string {
	h := engine.RandomIDs().Hex(32)
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}

// notModeled is the status reason of a resource ecsnet does not model.
func notModeled(typ, reason string) string {
	why := strings.TrimPrefix(strings.TrimPrefix(reason, "not modeled by ecsnet; "), "not modeled by ecsnet ")
	why = strings.TrimSuffix(strings.TrimPrefix(why, "("), ")")
	return "ecsnet does not model " + typ + " (" + why + "): not created, completed with a placeholder physical id"
}

// runInput is what a create or update deploys.
type runInput struct {
	p         *parsed
	params    []model.StackParameter // as recorded (given or default)
	values    map[string]string      // what Deploy takes
	onFailure string                 // ROLLBACK, DO_NOTHING or DELETE
	// retainExceptOnCreate is the request's RetainExceptOnCreate: a
	// rollback deletes what the operation created, Retain or not.
	retainExceptOnCreate bool
}

// exportsFor returns the exports of every live stack but skip.
func exportsFor(st *model.State, skip string) map[string]cfn.Export {
	out := map[string]cfn.Export{}
	for _, s := range st.Stacks {
		if s.ID == skip || s.Status == statusDeleteComplete || s.Status == statusReviewInProgress || waits(s) && s.Update == nil {
			continue
		}
		for _, o := range s.Outputs {
			if o.ExportName != "" {
				out[o.ExportName] = cfn.Export{Name: o.ExportName, Value: o.Value, StackName: s.Name, StackID: s.ID}
			}
		}
	}
	return out
}

// importers returns, for each export of s, the live stacks that import it.
func importers(st *model.State, s *model.Stack) map[string][]string {
	out := map[string][]string{}
	for _, o := range s.Outputs {
		if o.ExportName == "" {
			continue
		}
		for _, other := range st.Stacks {
			if other.ID != s.ID && other.Status != statusDeleteComplete && slices.Contains(other.Imports, o.ExportName) {
				out[o.ExportName] = append(out[o.ExportName], other.Name)
			}
		}
		sort.Strings(out[o.ExportName])
	}
	return out
}

// deployOptions are the options of a deploy into e: Parameter Store
// parameters come from e's (the account's and the public ones).
func deployOptions(e, iam *engine.Engine, st *model.Stack, in runInput, exports map[string]cfn.Export) cfn.DeployOptions {
	return cfn.DeployOptions{
		IAM:             iam,
		KeyPairs:        true,
		Certificates:    true,
		ScalableTargets: true,
		WebACLResources: true,
		LookupSSM: func(name string) (string, bool) {
			var p *model.Parameter
			e.Read(func(state *model.State) { p, _ = e.GetParameter(state, name) })
			if p == nil {
				return "", false
			}
			return p.Value, true
		},
		StackName:  st.Name,
		StackID:    st.ID,
		Parameters: in.values,
		Exports:    exports,
		Names:      engine.RandomIDs(),
		Nested: func(_ *cfn.Template, url string) (*cfn.Template, error) {
			if err := checkTemplateURL(url); err != nil {
				var ae *apierr.Error
				if errors.As(err, &ae) {
					return nil, errors.New(ae.Message)
				}
				return nil, err
			}
			global := iam
			if global == nil {
				global = e
			}
			_, t, err := in.p.nested.get(global, url)
			return t, err
		},
		DisableRollback:  in.onFailure == "DO_NOTHING",
		KeepRetained:     !in.retainExceptOnCreate,
		AWSTags:          true,
		StrictProperties: true,
		// An update waits for the deployments it starts (settleUpdate),
		// unless the emulator does not wait on services.
		ServiceUpdatesSettleLater: e.Config().StackStabilizeTimeout >= 0,
	}
}

// preflight deploys into a copy of the engine to find what CloudFormation
// rejects before it creates anything (parameters, intrinsic functions,
// imports): those are ValidationErrors of the request. Failures of
// resources are left to the real deploy.
//
// For an update (existing set: the stack's resources), the copy is
// updated as the stack would be, and plan says what the update would do
// with each resource it reached (cfn.Resource.Change; a change set's
// Changes).
//
// inactive are the resources the stack's conditions leave out.
func preflight(c *api.Call, st *model.Stack, in runInput, exports map[string]cfn.Export, existing map[string]cfn.Existing) (plan []cfn.Resource, inactive map[string]bool, err error) {
	iam, err := c.IAM()
	if err != nil {
		return nil, nil, err
	}
	clone := c.Engine.Clone()
	iamClone := clone
	if iam != c.Engine {
		iamClone = iam.Clone()
	}
	var created int
	o := deployOptions(clone, iamClone, st, in, exports)
	o.DisableRollback = true
	o.Existing = existing
	o.Failed = func(res []cfn.Resource, sk []cfn.Skipped) {
		created = len(res) + len(sk)
		plan = slices.Clone(res)
	}
	inactive = map[string]bool{}
	o.Inactive = func(ids []string) {
		for _, id := range ids {
			inactive[id] = true
		}
	}
	out, err := cfn.Deploy(clone, in.p.tpl, o)
	if err == nil {
		plan = out.Resources
	}
	var ce *cfn.Error
	if err != nil && errors.As(err, &ce) && ce.Static {
		// Found by CloudFormation's validation of the template with the
		// stack's parameters and conditions (an unresolved reference, a
		// missing mapping key): the request is refused.
		return nil, nil, validation("%s", ce.Msg)
	}
	if err != nil && errors.As(err, &ce) && ce.MissingExport != "" {
		// CloudFormation checks imports before it creates anything.
		return nil, nil, validation("No export named %s found", ce.MissingExport)
	}
	if err != nil && errors.As(err, &ce) && ce.Resource == "" && created == 0 && ce.UnsupportedAttr == "" {
		return nil, nil, validation("%s", strings.TrimPrefix(templateMessage(ce), "Template format error: Template error: "))
	}
	return plan, inactive, nil
}

// failureReason is a failed resource's status reason as CloudFormation's
// resource handlers word it.
func failureReason(ce *cfn.Error) string {
	var ae *apierr.Error
	if !errors.As(ce.Err, &ae) {
		return ce.Msg
	}
	if ce.HandlerCode != "" {
		// The handler's own failure on an unsuccessful item: its message
		// alone, no SDK exception around it.
		return fmt.Sprintf("Resource handler returned message: \"%s\" (RequestToken: %s, HandlerErrorCode: %s)", ae.Message, uuid(), ce.HandlerCode)
	}
	svc := "Ec2"
	switch {
	case strings.HasPrefix(ce.Type, "AWS::ElasticLoadBalancingV2::"):
		svc = "ElasticLoadBalancingV2"
	case strings.HasPrefix(ce.Type, "AWS::AutoScaling::"):
		svc = "AutoScaling"
	case strings.HasPrefix(ce.Type, "AWS::IAM::"):
		svc = "Iam"
	case strings.HasPrefix(ce.Type, "AWS::ServiceDiscovery::"):
		// The SDK for Java v2's name of each service (its service id
		// without spaces), as in "Service: Ec2".
		svc = "ServiceDiscovery"
	case strings.HasPrefix(ce.Type, "AWS::Route53::"):
		svc = "Route53"
	case strings.HasPrefix(ce.Type, "AWS::S3::"):
		svc = "S3"
	case strings.HasPrefix(ce.Type, "AWS::Logs::"):
		svc = "CloudWatchLogs"
	case strings.HasPrefix(ce.Type, "AWS::ApplicationAutoScaling::"):
		svc = "ApplicationAutoScaling"
	case strings.HasPrefix(ce.Type, "AWS::KMS::"):
		svc = "Kms"
	case strings.HasPrefix(ce.Type, "AWS::SecretsManager::"):
		svc = "SecretsManager"
	case strings.HasPrefix(ce.Type, "AWS::CloudWatch::"):
		svc = "CloudWatch"
	case strings.HasPrefix(ce.Type, "AWS::Events::"):
		// The SDK for Java v2's EventBridge client [choice].
		svc = "EventBridge"
	case strings.HasPrefix(ce.Type, "AWS::CertificateManager::"):
		// the SDK for Java v2's ACM client (service id "ACM") [choice]
		svc = "Acm"
	case strings.HasPrefix(ce.Type, "AWS::WAFv2::"):
		// cloudformation-coverage-roadmap#386 quotes "(Service: Wafv2, …".
		svc = "Wafv2"
	case strings.HasPrefix(ce.Type, "AWS::Lambda::"), ce.Type == "AWS::Serverless::Function":
		// "(Service: Lambda, Status Code: 400, …)": aws-samples/amazon-ec2-gitlab-runner#7
		svc = "Lambda"
	case strings.HasPrefix(ce.Type, "AWS::CodeDeploy::"):
		// the SDK for Java v2's CodeDeploy client [choice]
		svc = "CodeDeploy"
	}
	status := ae.HTTPStatus
	if status == 0 {
		status = 400
	}
	if op := ecsCreateOperation(ce.Type); op != "" {
		// ECS's handlers word a refused call their own way, with the
		// service's error in the SDK for Java v1's form.
		prefix := op + " error:"
		if ce.Type == "AWS::ECS::TaskDefinition" {
			// The task definition's handler words it "Create
			// TaskDefinition:" (observed: aws/copilot-cli#2081,
			// towardsthecloud/aws-cdk-examples#1).
			prefix = "Create TaskDefinition:"
		}
		return fmt.Sprintf("Resource handler returned message: \"Invalid request provided: %s %s (Service: AmazonECS; Status Code: %d; Error Code: %s; Request ID: %s; Proxy: null)\" (RequestToken: %s, HandlerErrorCode: InvalidRequest)",
			prefix, ae.Message, status, ae.Code, uuid(), uuid())
	}
	code := "InvalidRequest"
	switch {
	case strings.Contains(ae.Code, "NotFound") || strings.Contains(ae.Code, "Nonexistent"),
		svc == "CodeDeploy" && strings.Contains(ae.Code, "DoesNotExist"):
		code = "NotFound"
	case strings.Contains(ae.Code, "Duplicate") || strings.Contains(ae.Code, "AlreadyExists"):
		code = "AlreadyExists"
	case strings.Contains(ae.Code, "Limit"):
		code = "ServiceLimitExceeded"
	case ae.Code == "UnsupportedOperation" && svc == "AutoScaling":
		// A launch configuration in an account that cannot create one
		// (m-chandler/factorio-spot-pricing#30, aws-samples/aws-cdk-examples#1086).
		code = "GeneralServiceException"
	}
	return fmt.Sprintf("Resource handler returned message: \"%s (Service: %s, Status Code: %d, Request ID: %s)\" (RequestToken: %s, HandlerErrorCode: %s)",
		ae.Message, svc, status, uuid(), uuid(), code)
}

// ecsCreateOperation is the ECS call that creates a resource of type typ,
// as ECS's CloudFormation handlers name it in a failure; "" for types of
// other services.
func ecsCreateOperation(typ string) string {
	switch typ {
	case "AWS::ECS::Service":
		return "CreateService"
	case "AWS::ECS::Cluster":
		return "CreateCluster"
	case "AWS::ECS::CapacityProvider":
		return "CreateCapacityProvider"
	case "AWS::ECS::TaskDefinition":
		return "RegisterTaskDefinition"
	case "AWS::ECS::TaskSet":
		return "CreateTaskSet"
	case "AWS::ECS::ClusterCapacityProviderAssociations":
		return "PutClusterCapacityProviders"
	}
	return ""
}

// stackResources turns what a deploy created and skipped into the
// stack's resources, in creation order (skipped ones last).
func stackResources(p *parsed, created []cfn.Resource, skipped []cfn.Skipped, ids map[string]string, status string, now time.Time) []model.StackResource {
	var out []model.StackResource
	for _, r := range created {
		out = append(out, model.StackResource{LogicalID: r.LogicalID, PhysicalID: r.PhysicalID, Type: r.Type, Status: status,
			UpdatedAt: now, Modeled: true, Props: p.resources[r.LogicalID].Props, Keys: r.Keys, Resolved: r.Props, Attrs: r.Attrs,
			DeletionPolicy: r.DeletionPolicy, UpdateReplacePolicy: r.UpdateReplacePolicy, Signals: r.Signals,
			Await: awaitOf(r.Await, now)})
	}
	for _, s := range skipped {
		id := ids[s.LogicalID]
		if id == "" {
			id = s.PhysicalID
		}
		out = append(out, model.StackResource{LogicalID: s.LogicalID, PhysicalID: id, Type: s.Type, Status: status,
			StatusReason: notModeled(s.Type, s.Reason), UpdatedAt: now, Props: p.resources[s.LogicalID].Props,
			DeletionPolicy: s.DeletionPolicy, UpdateReplacePolicy: s.UpdateReplacePolicy, Await: awaitOf(s.Await, now)})
	}
	return out
}

// create deploys a stack's template into the live engine and records the
// outcome: CREATE_COMPLETE, or the failure and its rollback.
func create(c *api.Call, st *model.Stack, in runInput) (*model.Stack, error) {
	rec := newRecorder(c, st)
	rec.stack(statusCreateInProgress, "User Initiated")
	if _, err := rec.commit(func(s *model.Stack) {
		s.Status, s.StatusReason, s.RetainExceptOnCreate = statusCreateInProgress, "", in.retainExceptOnCreate
	}); err != nil {
		return nil, err
	}
	var exports map[string]cfn.Export
	c.Engine.Read(func(state *model.State) { exports = exportsFor(state, st.ID) })
	var failedCreated []cfn.Resource
	var failedSkipped []cfn.Skipped
	iam, err := c.IAM()
	if err != nil {
		return nil, err
	}
	o := deployOptions(c.Engine, iam, st, in, exports)
	o.ControlEnv = envController(c)
	// The rollback is createFailed's (rollBackCreate), resource by
	// resource, so that one that cannot be deleted is DELETE_FAILED.
	o.DisableRollback = true
	o.AwaitSignals, o.HoldDependents, o.HoldOn = true, true, holdOnServices(c)
	// A service's first deployment runs in the server's steps: the
	// service stays CREATE_IN_PROGRESS until it is stable (settle).
	o.ServiceCreatesSettleLater = o.HoldOn != nil
	o.Failed = func(res []cfn.Resource, sk []cfn.Skipped) {
		failedCreated, failedSkipped = slices.Clone(res), slices.Clone(sk)
	}
	out, err := cfn.Deploy(c.Engine, in.p.tpl, o)
	now := c.Engine.Now()
	if err == nil {
		res := stackResources(in.p, out.Resources, out.Skipped, out.PhysicalIDs, statusCreateComplete, now)
		// CloudFormation waits for its ECS services to stabilize (settle
		// finishes the create).
		var waiting []string
		if d := stabilizeTimeout(c); d > 0 {
			waiting = servicesToWaitOn(c, res)
		}
		// And for the signals of the CreationPolicies still short of
		// them (signal.go).
		waiting = withNestedStacks(res, append(waiting, awaiting(res)...), out.Held)
		for i, r := range res {
			rec.creating(r)
			if slices.Contains(waiting, r.LogicalID) {
				res[i].Status = statusCreateInProgress
				if why := waitingReason(c, r); why != "" {
					rec.resource(r, statusCreateInProgress, why)
				}
				continue
			}
			rec.resource(r, statusCreateComplete, r.StatusReason)
		}
		status := statusCreateComplete
		// With rollback triggers or a monitoring period, the stack stays
		// CREATE_IN_PROGRESS while they are monitored (triggers.go).
		var monitor time.Time
		if len(waiting) == 0 && monitors(st) {
			monitor = monitorEnd(st, now)
		}
		if len(waiting) == 0 && monitor.IsZero() {
			rec.stack(statusCreateComplete, "")
		} else {
			status = statusCreateInProgress
		}
		done, err := rec.commit(func(s *model.Stack) {
			s.Status, s.StatusReason = status, ""
			if len(waiting) > 0 {
				s.Waiting, s.WaitUntil, s.OnFailure = waiting, now.Add(stabilizeTimeout(c)), in.onFailure
			}
			s.Held = out.Held
			if !monitor.IsZero() {
				s.MonitorUntil, s.OnFailure = monitor, in.onFailure
			}
			s.Resources = res
			s.Outputs = outputsOf(out)
			s.Imports = out.Imports
			s.Parameters = resolved(in.params, out)
		})
		if err != nil {
			return done, err
		}
		return done, syncNested(c, done, out, in.p, statusCreateComplete, now)
	}
	return createFailed(c, rec, in, nil, failedCreated, failedSkipped, err)
}

// createFailed records a failed create: the resources created before the
// failure, the failure, and the rollback. prior are the stack's resources
// already recorded (a create that held resources back, held.go); the
// rollback deletes them with the rest.
func createFailed(c *api.Call, rec *recorder, in runInput, prior []model.StackResource, created []cfn.Resource, skipped []cfn.Skipped, err error) (*model.Stack, error) {
	now := c.Engine.Now()
	if ce := (*cfn.Error)(nil); errors.As(err, &ce) && ce.UnsupportedAttr != "" {
		// Found before anything is created (cfn.Deploy undid what it
		// made): the stack fails by itself, no resource events.
		if in.onFailure == "DO_NOTHING" {
			rec.stack(statusCreateFailed, ce.UnsupportedAttr)
			return rec.commit(func(s *model.Stack) {
				s.Status, s.StatusReason, s.Resources = statusCreateFailed, ce.UnsupportedAttr, nil
			})
		}
		return rollBackCreate(c, rec, nil, ce.UnsupportedAttr+" ", in.onFailure, in.retainExceptOnCreate, nil)
	}
	res := stackResources(in.p, created, skipped, nil, statusCreateComplete, now)
	for i := range res {
		if !res[i].Modeled && res[i].PhysicalID == "" {
			res[i].PhysicalID = skippedID(res[i])
		}
		r := res[i]
		rec.creating(r)
		rec.resource(r, statusCreateComplete, r.StatusReason)
	}
	res = append(slices.Clone(prior), res...)
	var ce *cfn.Error
	failedID, reason := "", err.Error()
	if errors.As(err, &ce) {
		reason = failureReason(ce)
		failedID = ce.Resource
	}
	if ce != nil && len(ce.Stack) > 0 && failedID != "" {
		// A resource of a nested stack failed: the nested stack failed,
		// and the parent's AWS::CloudFormation::Stack resource with it.
		outer, arn, why, nerr := embeddedFailure(c, rec.st, in.onFailure, ce, reason)
		if nerr != nil {
			return nil, nerr
		}
		nce := *ce
		nce.Resource, nce.Type, nce.Validation, nce.Initiated = outer, typeStackResource, false, arn
		ce, failedID, reason = &nce, outer, why
	}
	stackReason := "The following resource(s) failed to create: [" + failedID + "]. "
	if failedID != "" {
		f := model.StackResource{LogicalID: failedID, Type: ce.Type, Status: statusCreateFailed, StatusReason: reason, UpdatedAt: now,
			Props: in.p.resources[failedID].Props}
		switch {
		case ce.Validation:
			// Refused by the validation of the stack's resources, before
			// CloudFormation started to create it.
			stackReason = "Validation failed for following resources: [" + failedID + "]. "
		case ce.Initiated != "":
			// Created, then failed (a wait condition that timed out).
			rec.resource(f, statusCreateInProgress, "")
			f.PhysicalID = ce.Initiated
			rec.resource(f, statusCreateInProgress, "Resource creation Initiated")
		default:
			rec.resource(f, statusCreateInProgress, "")
		}
		rec.resource(f, statusCreateFailed, reason)
		res = append(res, f)
	} else {
		// A failure of the stack itself (an output, an export).
		stackReason = strings.TrimSuffix(reason, ".") + ". "
		if in.onFailure != "DO_NOTHING" {
			rec.stack(statusCreateFailed, reason)
		}
	}
	if in.onFailure == "DO_NOTHING" {
		rec.stack(statusCreateFailed, stackReason)
		return rec.commit(func(s *model.Stack) {
			s.Status, s.StatusReason, s.Resources = statusCreateFailed, stackReason, res
		})
	}
	done, rerr := rollBackCreate(c, rec, res, stackReason, in.onFailure, in.retainExceptOnCreate, nil)
	if rerr != nil {
		return done, rerr
	}
	// The rollback deleted the nested stacks it had created.
	return done, deleteNested(c, rec.st.ID, nil, c.Engine.Now())
}

// rollBackCreate undoes a failed create (its resources res, in creation
// order; the failed ones CREATE_FAILED) as CloudFormation does: with
// OnFailure ROLLBACK, ROLLBACK_IN_PROGRESS "<reason>Rollback requested by
// user.", each resource deleted in reverse order (one the operation
// created with Retain kept: DELETE_SKIPPED), ROLLBACK_COMPLETE, or
// ROLLBACK_FAILED when one cannot be deleted (a VPC that still holds a
// retained security group); with OnFailure DELETE, DELETE_IN_PROGRESS
// "<reason>Delete requested by user.", the same deletions, DELETE_COMPLETE
// (or DELETE_FAILED). done, when set, also changes the stack record.
func rollBackCreate(c *api.Call, rec *recorder, res []model.StackResource, reason, onFailure string, exceptOnCreate bool, done func(s *model.Stack)) (*model.Stack, error) {
	res = forRollback(res, exceptOnCreate)
	inProgress, complete, failedStatus := statusRollbackInProgress, statusRollbackComplete, "ROLLBACK_FAILED"
	startReason := reason + "Rollback requested by user."
	if onFailure == "DELETE" {
		inProgress, complete, failedStatus = statusDeleteInProgress, statusDeleteComplete, statusDeleteFailed
		startReason = reason + "Delete requested by user."
	}
	rec.stack(inProgress, startReason)
	for i := len(res) - 1; i >= 0; i-- {
		if res[i].Status == statusCreateFailed {
			// Nothing of it was made: its deletion is a single event.
			res[i].Status, res[i].StatusReason = statusDeleteComplete, ""
			rec.resource(res[i], statusDeleteComplete, "")
		}
	}
	now := c.Engine.Now()
	if failed := deleteResources(c, rec, res); len(failed) > 0 {
		msg := "The following resource(s) failed to delete: [" + strings.Join(failed, ", ") + "]. "
		rec.stack(failedStatus, msg)
		return rec.commit(func(s *model.Stack) {
			s.Status, s.StatusReason, s.Resources = failedStatus, msg, res
			if done != nil {
				done(s)
			}
		})
	}
	rec.stack(complete, "")
	return rec.commit(func(s *model.Stack) {
		s.Status, s.StatusReason, s.Resources = complete, startReason, res
		if onFailure == "DELETE" {
			s.StatusReason, s.DeletedAt = "", now
		}
		if done != nil {
			done(s)
		}
	})
}

// skippedID is the placeholder physical id of a resource ecsnet did not
// create when the deploy that skipped it failed (and so reported no ids).
func skippedID(r model.StackResource) string {
	return r.LogicalID + "-" + strings.ToUpper(engine.RandomIDs().Hex(12))
}

func outputsOf(s *cfn.Stack) []model.StackOutput {
	out := make([]model.StackOutput, 0, len(s.Outputs))
	for _, o := range s.Outputs {
		out = append(out, model.StackOutput{Key: o.Name, Value: o.Value, Description: o.Description, ExportName: o.ExportName})
	}
	return out
}

// resolved fills in the values SSM parameter types resolved to.
func resolved(params []model.StackParameter, s *cfn.Stack) []model.StackParameter {
	out := slices.Clone(params)
	for i, p := range out {
		if v, ok := s.Parameters[p.Key]; ok && v != p.Value {
			out[i].ResolvedValue = v
		}
	}
	return out
}

// deleteResources deletes a stack's modeled resources in reverse creation
// order, recording events; it returns the logical ids that failed. One
// whose DeletionPolicy is Retain (or RetainExceptOnCreate) is kept:
// DELETE_SKIPPED, and nothing else (test_deletion_policy's recording).
func deleteResources(c *api.Call, rec *recorder, res []model.StackResource) []string {
	failed, _ := deleteResourcesWaiting(c, rec, res, false)
	return failed
}

// deleteResourcesWaiting is deleteResources; when canWait, Copilot's
// environment controller whose environment stack is updating stops it:
// the function waits for that update to end and tries again
// (env-controller.js controlEnv, run on Delete as on Create), so the
// controller stays DELETE_IN_PROGRESS and its logical id is returned with
// the resources before it in reverse order not yet deleted.
func deleteResourcesWaiting(c *api.Call, rec *recorder, res []model.StackResource, canWait bool) (failed []string, waiting string) {
	return deleteResourcesFrom(c, rec, res, canWait, nil)
}

// deleteResourcesFrom is deleteResourcesWaiting leaving out the logical
// ids skip (those that already failed in this delete).
func deleteResourcesFrom(c *api.Call, rec *recorder, res []model.StackResource, canWait bool, skip []string) (failed []string, waiting string) {
	for i := len(res) - 1; i >= 0; i-- {
		r := res[i]
		if r.Status == statusDeleteComplete || r.Status == statusDeleteSkipped || slices.Contains(skip, r.LogicalID) {
			continue
		}
		if r.DeletionPolicy == "Retain" || r.DeletionPolicy == "RetainExceptOnCreate" {
			res[i].Status, res[i].StatusReason = statusDeleteSkipped, ""
			rec.resource(res[i], statusDeleteSkipped, "")
			continue
		}
		if r.Status != statusDeleteInProgress {
			// (a controller that waited has its event already)
			rec.resource(r, statusDeleteInProgress, "")
		}
		if r.Modeled && r.Status != statusCreateFailed {
			iam, err := c.IAM()
			if err == nil && r.Type == cfn.TypeEnvController {
				// Copilot's environment controller's Delete
				err = releaseEnv(c, r)
				var busy *cfn.EnvStackBusy
				if canWait && errors.As(err, &busy) {
					res[i].Status, res[i].StatusReason = statusDeleteInProgress, ""
					return failed, r.LogicalID
				}
			} else if err == nil {
				err = cfn.DeleteResourcesWith(c.Engine, iam, []cfn.Resource{{LogicalID: r.LogicalID, Type: r.Type, PhysicalID: r.PhysicalID, Keys: r.Keys}})
			}
			if err != nil {
				reason := err.Error()
				var ae *apierr.Error
				if errors.As(err, &ae) {
					reason = ae.Message
				}
				res[i].Status, res[i].StatusReason = statusDeleteFailed, reason
				rec.resource(res[i], statusDeleteFailed, reason)
				failed = append(failed, r.LogicalID)
				continue
			}
		}
		res[i].Status, res[i].StatusReason = statusDeleteComplete, ""
		rec.resource(res[i], statusDeleteComplete, "")
	}
	return failed, ""
}

// deleteStack deletes a stack's resources and the stack.
func deleteStack(c *api.Call, st *model.Stack) error {
	rec := newRecorder(c, st)
	var inUse map[string][]string
	c.Engine.Read(func(state *model.State) { inUse = importers(state, st) })
	if len(inUse) > 0 {
		names := make([]string, 0, len(inUse))
		for n := range inUse {
			names = append(names, n)
		}
		sort.Strings(names)
		// CloudFormation accepts the request, refuses in an event and
		// leaves the stack as it was.
		rec.stack(st.Status, fmt.Sprintf("Export %s cannot be deleted as it is in use by %s", names[0], strings.Join(inUse[names[0]], " and ")))
		_, err := rec.commit(nil)
		return err
	}
	rec.stack(statusDeleteInProgress, "User Initiated")
	res := slices.Clone(st.Resources)
	if u := st.Update; st.Status == statusUpdateRollbackFail && u != nil && u.Rollback {
		// What the failed update created and its rollback had not yet
		// deleted goes too.
		for _, r := range u.Cleanup {
			if !slices.ContainsFunc(res, func(x model.StackResource) bool { return x.LogicalID == r.LogicalID && x.PhysicalID == r.PhysicalID }) {
				res = append(res, r)
			}
		}
	}
	if st.Status == statusCreateInProgress {
		// A create still waiting for its ECS services is cancelled: those
		// services are "Resource creation cancelled", then deleted with
		// the rest.
		for i := range res {
			if slices.Contains(st.Waiting, res[i].LogicalID) {
				rec.resource(res[i], statusCreateFailed, "Resource creation cancelled")
			}
		}
	}
	if _, err := rec.commit(func(s *model.Stack) {
		s.Status, s.StatusReason, s.Waiting, s.WaitUntil = statusDeleteInProgress, "", nil, time.Time{}
		s.Held = nil
	}); err != nil {
		return err
	}
	if err := markChangeSet(c, st.ChangeSetID, "EXECUTE_FAILED", nil); err != nil {
		return err
	}
	return continueDelete(c, rec, st.ID, res, nil)
}

// continueDelete deletes what is left of a stack's resources res (those
// not DELETE_COMPLETE or DELETE_SKIPPED) and ends the stack's delete;
// when Copilot's environment controller waits for its environment
// stack's update, the stack stays DELETE_IN_PROGRESS waiting on it
// (settleDelete goes on) until EnvControllerDeadline from the first wait.
// failed are resources that already failed to delete.
func continueDelete(c *api.Call, rec *recorder, id string, res []model.StackResource, failed []string) error {
	more, waiting := deleteResourcesFrom(c, rec, res, true, failed)
	failed = append(failed, more...)
	now := c.Engine.Now()
	if waiting != "" {
		_, err := rec.commit(func(s *model.Stack) {
			s.Resources, s.Waiting = res, []string{waiting}
			if s.WaitUntil.IsZero() {
				s.WaitUntil = now.Add(cfn.EnvControllerDeadline)
			}
		})
		return err
	}
	if len(failed) > 0 {
		reason := "The following resource(s) failed to delete: [" + strings.Join(failed, ", ") + "]. "
		rec.stack(statusDeleteFailed, reason)
		_, err := rec.commit(func(s *model.Stack) {
			s.Status, s.StatusReason, s.Resources, s.Waiting, s.WaitUntil = statusDeleteFailed, reason, res, nil, time.Time{}
		})
		return err
	}
	rec.stack(statusDeleteComplete, "")
	if _, err := rec.commit(func(s *model.Stack) {
		s.Status, s.StatusReason, s.Resources, s.DeletedAt = statusDeleteComplete, "", res, now
		s.Waiting, s.WaitUntil = nil, time.Time{}
	}); err != nil {
		return err
	}
	return deleteNested(c, id, nil, now)
}

// isDeleteWait reports whether a stack's delete waits on Copilot's
// environment controller.
func isDeleteWait(s *model.Stack) bool {
	return len(s.Waiting) > 0 && s.Status == statusDeleteInProgress
}

// settleDelete goes on with a delete that waits on Copilot's environment
// controller: the controller tries again (its stackUpdateComplete waiter
// returned) and the delete goes on; after EnvControllerDeadline the
// function gives up (EnvControllerTimedOut), the controller is
// DELETE_FAILED and the rest is deleted, the stack DELETE_FAILED.
func settleDelete(c *api.Call, s *model.Stack) error {
	rec := newRecorder(c, s)
	res := slices.Clone(s.Resources)
	var failed []string
	if !c.Engine.Now().Before(s.WaitUntil) {
		reason := cfn.EnvControllerFailure(errors.New(cfn.EnvControllerTimedOut))
		for i := range res {
			if slices.Contains(s.Waiting, res[i].LogicalID) && res[i].Status == statusDeleteInProgress {
				res[i].Status, res[i].StatusReason = statusDeleteFailed, reason
				rec.resource(res[i], statusDeleteFailed, reason)
				failed = append(failed, res[i].LogicalID)
			}
		}
	}
	return continueDelete(c, rec, s.ID, res, failed)
}

// existingOf returns the live resources of a stack as an update binds
// them.
func existingOf(res []model.StackResource) map[string]cfn.Existing {
	out := map[string]cfn.Existing{}
	for _, r := range res {
		if r.Status == statusDeleteComplete || r.Status == statusCreateFailed || r.PhysicalID == "" {
			continue
		}
		out[r.LogicalID] = cfn.Existing{Type: r.Type, PhysicalID: r.PhysicalID, Keys: r.Keys, Props: r.Resolved, Attrs: r.Attrs}
	}
	return out
}

// exportCheck refuses an update that would change or remove an export
// another stack imports; CloudFormation then rolls the update back.
func exportCheck(c *api.Call, st *model.Stack) func(*cfn.Stack) error {
	var inUse map[string][]string
	c.Engine.Read(func(state *model.State) { inUse = importers(state, st) })
	return func(out *cfn.Stack) error {
		for _, o := range st.Outputs {
			by := inUse[o.ExportName]
			if len(by) == 0 {
				continue
			}
			found := false
			for _, n := range out.Outputs {
				if n.ExportName != o.ExportName {
					continue
				}
				found = true
				if n.Value != o.Value {
					return &cfn.Error{Msg: fmt.Sprintf("Update canceled. Cannot update export %s as it is in use by %s.", o.ExportName, strings.Join(by, " and "))}
				}
			}
			if !found {
				return &cfn.Error{Msg: fmt.Sprintf("Export %s cannot be deleted as it is in use by %s", o.ExportName, strings.Join(by, " and "))}
			}
		}
		return nil
	}
}

// update brings a stack to a new template as CloudFormation does,
// resource by resource (cfn.Deploy with the stack's resources as
// Existing): unchanged resources are left alone, added ones created,
// changed ones updated in place or replaced; then, in
// UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, the resources the template no
// longer has and the old resources of replaced ones are deleted. When the
// new template fails, what the update created is deleted and what it
// updated is changed back (UPDATE_ROLLBACK_COMPLETE): the stack keeps its
// old resources, outputs and template.
func update(c *api.Call, st *model.Stack, in runInput) (*model.Stack, error) {
	rec := newRecorder(c, st)
	rec.stack(statusUpdateInProgress, "User Initiated")
	if _, err := rec.commit(func(s *model.Stack) {
		s.Status, s.StatusReason, s.RetainExceptOnCreate = statusUpdateInProgress, "", in.retainExceptOnCreate
	}); err != nil {
		return nil, err
	}
	var exports map[string]cfn.Export
	c.Engine.Read(func(state *model.State) { exports = exportsFor(state, st.ID) })
	iam, err := c.IAM()
	if err != nil {
		return nil, err
	}
	have := map[string]model.StackResource{}
	for _, r := range st.Resources {
		if r.Status != statusDeleteComplete && r.Status != statusCreateFailed {
			have[r.LogicalID] = r
		}
	}
	var fc []cfn.Resource
	var fs []cfn.Skipped
	o := deployOptions(c.Engine, iam, st, in, exports)
	o.ControlEnv = envController(c)
	o.DisableRollback = false
	o.AwaitSignals = true // a rolling update's signals wait for its PauseTime (signal.go)
	// What depends on a resource the update waits on (an ECS service
	// to stabilize, a rolling update's signals) is updated or created
	// once that completes (update_held.go).
	o.HoldDependents, o.HoldOn = true, holdOnServices(c)
	// A service the update adds is created and waited for as a create's
	// is: its first deployment runs in the server's steps.
	o.ServiceCreatesSettleLater = o.HoldOn != nil
	o.Existing = existingOf(st.Resources)
	o.Check = heldExportCheck(exportCheck(c, st))
	o.Failed = func(r []cfn.Resource, s []cfn.Skipped) { fc, fs = slices.Clone(r), slices.Clone(s) }
	out, err := cfn.Deploy(c.Engine, in.p.tpl, o)
	now := c.Engine.Now()
	if err != nil {
		return updateFailed(c, rec, st, in, have, fc, fs, err)
	}
	created := stackResources(in.p, out.Resources, out.Skipped, out.PhysicalIDs, statusCreateComplete, now)
	changes := changeOf(out.Resources, out.Skipped, have, in.p)
	// CloudFormation waits for the ECS services it created, updated or
	// replaced to stabilize, as a create does (settle finishes the update).
	var waiting []string
	if stabilizeTimeout(c) > 0 {
		var touched []model.StackResource
		for _, r := range created {
			if changes[r.LogicalID] != cfn.ChangeNone {
				touched = append(touched, r)
			}
		}
		waiting = servicesToWaitOn(c, touched)
	}
	// A nested stack holding one of them is UPDATE_IN_PROGRESS (its
	// parent's resource too) until they are stable.
	waiting = withNestedStacks(created, append(waiting, awaiting(created)...), out.Held)
	var newRes []model.StackResource
	keep := map[string]bool{} // old physical ids still in use
	for _, r := range st.Resources {
		if _, live := have[r.LogicalID]; live && isHeld(out.Held, r.LogicalID) {
			// Held back: it stands as it was until the update resumes.
			keep[r.LogicalID] = true
			newRes = append(newRes, have[r.LogicalID])
		}
	}
	for _, r := range created {
		prev, had := have[r.LogicalID]
		wait := slices.Contains(waiting, r.LogicalID)
		switch ch := changes[r.LogicalID]; {
		case ch == cfn.ChangeNone:
			// Left alone: its status and time stay.
			r.Status, r.StatusReason, r.UpdatedAt = prev.Status, prev.StatusReason, prev.UpdatedAt
			keep[r.LogicalID] = true
		case !had || prev.Type != r.Type:
			rec.creating(r)
			if wait {
				r.Status = statusCreateInProgress
				break
			}
			rec.resource(r, statusCreateComplete, r.StatusReason)
		case ch == cfn.ChangeModify:
			r.Status = statusUpdateComplete
			rec.resource(r, statusUpdateInProgress, "")
			keep[r.LogicalID] = true
			if wait {
				r.Status = statusUpdateInProgress
				break
			}
			rec.resource(r, statusUpdateComplete, r.StatusReason)
		default: // replaced
			r.Status = statusUpdateComplete
			rec.resource(prev, statusUpdateInProgress, "Requested update requires the creation of a new physical resource; hence creating one.")
			rec.resource(r, statusUpdateInProgress, "Resource creation Initiated")
			if wait {
				r.Status = statusUpdateInProgress
				break
			}
			rec.resource(r, statusUpdateComplete, r.StatusReason)
		}
		newRes = append(newRes, r)
	}
	// What the template no longer has, and the old resources of replaced
	// ones, go in reverse creation order.
	var gone []model.StackResource
	replacedBy := map[string]model.StackResource{}
	for _, r := range newRes {
		replacedBy[r.LogicalID] = r
	}
	for _, r := range st.Resources {
		if _, live := have[r.LogicalID]; live && !keep[r.LogicalID] {
			if nr, replaced := replacedBy[r.LogicalID]; replaced && nr.Type == r.Type {
				// The old resource of a replaced one goes as its
				// UpdateReplacePolicy says.
				r.DeletionPolicy = nr.UpdateReplacePolicy
			}
			gone = append(gone, r)
		}
	}
	// With rollback triggers or a monitoring period the update waits
	// for them too (triggers.go).
	if len(waiting) > 0 || monitors(st) {
		pending := &model.StackUpdate{TemplateBody: in.p.body, Description: in.p.tpl.Description(), Parameters: resolved(in.params, out),
			Outputs: outputsOf(out), Imports: out.Imports, Cleanup: gone, Prior: slices.Clone(st.Resources)}
		done, err := rec.commit(func(s *model.Stack) {
			s.Resources, s.Update, s.Held = newRes, pending, out.Held
			s.Waiting, s.WaitUntil, s.OnFailure = waiting, now.Add(stabilizeTimeout(c)), in.onFailure
			s.RollbackTriggers, s.RollbackMonitoringMinutes = st.RollbackTriggers, st.RollbackMonitoringMinutes
			if len(waiting) == 0 {
				s.MonitorUntil = monitorEnd(st, now)
			}
		})
		if err != nil {
			return done, err
		}
		return done, syncNested(c, done, out, in.p, statusUpdateComplete, now)
	}
	rec.stack(statusUpdateCleanup, "")
	deleteResources(c, rec, gone) // a failed delete is recorded (DELETE_FAILED); the update stands
	rec.stack(statusUpdateComplete, "")
	done, err := rec.commit(func(s *model.Stack) {
		s.Status, s.StatusReason, s.UpdatedAt = statusUpdateComplete, "", now
		s.Resources, s.Outputs = newRes, outputsOf(out)
		s.Imports = out.Imports
		s.Parameters = resolved(in.params, out)
		s.TemplateBody = in.p.body
		s.Description = in.p.tpl.Description()
	})
	if err != nil {
		return done, err
	}
	return done, syncNested(c, done, out, in.p, statusUpdateComplete, now)
}

// changeOf returns, by logical id, what an update did with each resource
// of the new template (cfn.Resource.Change); a skipped (not modeled)
// resource is unchanged when its template definition is.
func changeOf(res []cfn.Resource, skipped []cfn.Skipped, have map[string]model.StackResource, p *parsed) map[string]string {
	out := map[string]string{}
	for _, r := range res {
		out[r.LogicalID] = r.Change
	}
	for _, sk := range skipped {
		prev, had := have[sk.LogicalID]
		switch {
		case !had || prev.Type != sk.Type:
			out[sk.LogicalID] = cfn.ChangeAdd
		case prev.Props == p.resources[sk.LogicalID].Props:
			out[sk.LogicalID] = cfn.ChangeNone
		default:
			out[sk.LogicalID] = cfn.ChangeModify // nothing to change: not modeled
		}
	}
	return out
}

// updateFailed records a failed update, which cfn.Deploy has rolled back:
// the events of what it did before the failure, the failure, and the
// rollback; the stack keeps its resources, outputs and template.
func updateFailed(c *api.Call, rec *recorder, st *model.Stack, in runInput, have map[string]model.StackResource,
	fc []cfn.Resource, fs []cfn.Skipped, err error) (*model.Stack, error) {
	now := c.Engine.Now()
	if ce := (*cfn.Error)(nil); errors.As(err, &ce) && ce.UnsupportedAttr != "" {
		// Found before anything is changed (cfn.Deploy undid what it
		// did): the stack rolls back with no resource events.
		rec.stack(statusUpdateRollbackIP, ce.UnsupportedAttr)
		rec.stack(statusUpdateRollbackCln, "")
		rec.stack(statusUpdateRollbackDone, "")
		return rec.commit(func(s *model.Stack) { s.Status, s.StatusReason = statusUpdateRollbackDone, "" })
	}
	partial := stackResources(in.p, fc, fs, nil, statusCreateComplete, now)
	changes := changeOf(fc, fs, have, in.p)
	var undo []model.StackResource // what the rollback changes back or deletes
	for i, r := range partial {
		if !r.Modeled {
			if prev, ok := have[r.LogicalID]; ok {
				partial[i].PhysicalID = prev.PhysicalID
			} else {
				partial[i].PhysicalID = skippedID(r)
			}
			r = partial[i]
		}
		prev, had := have[r.LogicalID]
		switch ch := changes[r.LogicalID]; {
		case ch == cfn.ChangeNone:
			continue
		case !had || prev.Type != r.Type:
			rec.creating(r)
			rec.resource(r, statusCreateComplete, r.StatusReason)
		case ch == cfn.ChangeModify:
			rec.resource(r, statusUpdateInProgress, "")
			rec.resource(r, statusUpdateComplete, r.StatusReason)
		default:
			rec.resource(prev, statusUpdateInProgress, "Requested update requires the creation of a new physical resource; hence creating one.")
			rec.resource(r, statusUpdateInProgress, "Resource creation Initiated")
			rec.resource(r, statusUpdateComplete, r.StatusReason)
		}
		undo = append(undo, r)
	}
	reason := err.Error()
	var ce *cfn.Error
	if errors.As(err, &ce) {
		reason = ce.Msg
	}
	if errors.As(err, &ce) && ce.Resource != "" {
		fr := failureReason(ce)
		f := model.StackResource{LogicalID: ce.Resource, Type: ce.Type, Props: in.p.resources[ce.Resource].Props}
		if prev, ok := have[ce.Resource]; ok && prev.Type == ce.Type {
			f.PhysicalID = prev.PhysicalID
			rec.resource(f, statusUpdateInProgress, "")
			rec.resource(f, statusUpdateFailed, fr)
			reason = "The following resource(s) failed to update: [" + ce.Resource + "]. "
		} else {
			rec.resource(f, statusCreateInProgress, "")
			if ce.Initiated != "" {
				f.PhysicalID = ce.Initiated
				rec.resource(f, statusCreateInProgress, "Resource creation Initiated")
			}
			rec.resource(f, statusCreateFailed, fr)
			reason = "The following resource(s) failed to create: [" + ce.Resource + "]. "
		}
	}
	rec.stack(statusUpdateRollbackIP, reason)
	// Updated and replaced resources get their old properties and
	// physical ids back (cfn.Deploy did it); then what the update created
	// is deleted (cfn.Deploy did that too, but for what it keeps: the
	// events only, Modeled cleared).
	res := slices.Clone(st.Resources)
	var undone []int
	for i := len(undo) - 1; i >= 0; i-- {
		r := undo[i]
		if prev, had := have[r.LogicalID]; had && prev.Type == r.Type {
			if j := slices.IndexFunc(res, func(x model.StackResource) bool {
				return x.LogicalID == r.LogicalID && x.Status != statusDeleteComplete
			}); j >= 0 {
				undone = append(undone, j)
			}
		}
	}
	var cleanup []model.StackResource
	for _, r := range undo {
		if changes[r.LogicalID] == cfn.ChangeModify {
			continue
		}
		r.Modeled = false
		if !retainedOnRollback(r, in.retainExceptOnCreate) {
			r.DeletionPolicy = ""
		}
		cleanup = append(cleanup, r)
	}
	if waiting, err := rollbackWaits(c, rec, st, res, undone, cleanup); waiting != nil || err != nil {
		return waiting, err
	}
	rec.stack(statusUpdateRollbackCln, "")
	deleteResources(c, rec, cleanup)
	rec.stack(statusUpdateRollbackDone, "")
	return rec.commit(func(s *model.Stack) {
		s.Status, s.StatusReason, s.Resources = statusUpdateRollbackDone, "", res
	})
}

// retainedOnRollback reports whether the rollback of the operation that
// created r keeps it: its DeletionPolicy is Retain and the operation did
// not set RetainExceptOnCreate (RetainExceptOnCreate as a policy deletes).
func retainedOnRollback(r model.StackResource, exceptOnCreate bool) bool {
	return r.DeletionPolicy == "Retain" && !exceptOnCreate
}

// forRollback returns the resources an operation created, to be deleted
// by its rollback (deleteResources): the policy RetainExceptOnCreate
// deletes, and so does Retain when the operation set RetainExceptOnCreate.
func forRollback(res []model.StackResource, exceptOnCreate bool) []model.StackResource {
	out := slices.Clone(res)
	for i := range out {
		if out[i].DeletionPolicy == "RetainExceptOnCreate" || exceptOnCreate {
			out[i].DeletionPolicy = ""
		}
	}
	return out
}
