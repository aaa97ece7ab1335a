// Package cloudformation serves AWS CloudFormation (AWS Query, API
// 2010-05-15) on the emulator: stacks created, updated and deleted through
// internal/cfn in the region's engine, so `aws cloudformation deploy`
// builds the live state, with the statuses, events, rollbacks, change sets
// and exports CloudFormation has. Stacks and change sets are records of
// the engine's state, persisted with the rest.
package cloudformation

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the CloudFormation handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("cloudformation", op, h) }
	// What changes stacks runs under the region's stack lock, one at a
	// time with the others and with the background settle.
	change := func(op string, h api.Handler) {
		add(op, func(c *api.Call) (map[string]any, error) {
			defer c.Engine.LockStacks()()
			return h(c)
		})
	}
	change("CreateStack", createStack)
	change("UpdateStack", updateStack)
	change("DeleteStack", deleteStackOp)
	add("DescribeStacks", describeStacks)
	add("ListStacks", listStacks)
	add("DescribeStackEvents", describeStackEvents)
	add("DescribeStackResources", describeStackResources)
	add("DescribeStackResource", describeStackResource)
	add("ListStackResources", listStackResources)
	add("GetTemplate", getTemplate)
	add("GetTemplateSummary", getTemplateSummary)
	add("ValidateTemplate", validateTemplate)
	change("CreateChangeSet", createChangeSet)
	add("DescribeChangeSet", describeChangeSet)
	change("ExecuteChangeSet", executeChangeSet)
	change("DeleteChangeSet", deleteChangeSet)
	add("ListChangeSets", listChangeSets)
	add("ListExports", listExports)
	add("ListImports", listImports)
	change("UpdateTerminationProtection", updateTerminationProtection)
	change("RollbackStack", rollbackStack)
	change("CancelUpdateStack", cancelUpdateStack)
	change("ContinueUpdateRollback", continueUpdateRollback)
	change("DetectStackDrift", detectStackDrift)
	change("DetectStackResourceDrift", detectStackResourceDrift)
	add("DescribeStackDriftDetectionStatus", describeStackDriftDetectionStatus)
	add("DescribeStackResourceDrifts", describeStackResourceDrifts)
	change("SetStackPolicy", setStackPolicy)
	change("SignalResource", signalResource)
	add("GetStackPolicy", getStackPolicy)
	r.AddStep(func(c *api.Call) error {
		unlock, ok := c.Engine.TryLockStacks()
		if !ok {
			return nil // a stack operation is under way: settle at a later step
		}
		defer unlock()
		return settle(c)
	})
}

var (
	nameRE = regexp.MustCompile(`^[a-zA-Z][-a-zA-Z0-9]*$`)
	arnRE  = regexp.MustCompile(`^arn:[-a-zA-Z0-9:/._+]*$`)
)

// checkName checks a name member; withARN also takes a stack's id (a
// CREATE change set's StackName may name its REVIEW_IN_PROGRESS stack).
func checkName(member, name string, withARN bool) error {
	if withARN && arnRE.MatchString(name) {
		return nil
	}
	if !nameRE.MatchString(name) || len(name) > 128 {
		return validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*", name, member)
	}
	return nil
}

func notExist(name string) error { return validation("Stack with id %s does not exist", name) }

// findStack returns the stack a StackName member names.
func findStack(c *api.Call, name string) (*model.Stack, error) {
	var s *model.Stack
	c.Engine.Read(func(st *model.State) { s = engine.LiveStack(st, name) })
	if s == nil {
		return nil, notExist(name)
	}
	return s, nil
}

func stackARN(c *api.Call, name string) string {
	return fmt.Sprintf("arn:%s:cloudformation:%s:%s:stack/%s/%s", model.Partition(c.Region), c.Region, c.Account, name, uuid())
}

// paramsIn resolves the request's Parameters against the template:
// given values, previous values (UsePreviousValue), defaults.
func paramsIn(c *api.Call, p *parsed, prev []model.StackParameter) (runInput, error) {
	in := runInput{p: p, values: map[string]string{}}
	declared := map[string]cfn.Parameter{}
	for _, d := range p.tpl.Parameters() {
		declared[d.Name] = d
	}
	given := map[string]string{}
	var unknown []string
	for _, gp := range c.In.Structs("Parameters") {
		k := gp.String("ParameterKey")
		if _, ok := declared[k]; !ok {
			unknown = append(unknown, k)
			continue
		}
		if gp.Bool("UsePreviousValue") {
			found := false
			for _, pp := range prev {
				if pp.Key == k {
					given[k], found = pp.Value, true
				}
			}
			if !found {
				return in, validation("Invalid input for parameter key %s. Cannot specify usePreviousValue as true for a parameter key not in the previous template", k)
			}
			continue
		}
		given[k] = gp.String("ParameterValue")
	}
	if len(unknown) > 0 {
		return in, validation("Parameters: [%s] do not exist in the template", strings.Join(unknown, ", "))
	}
	var missingSSM []string
	for _, d := range p.tpl.Parameters() {
		v, ok := given[d.Name]
		if !ok {
			if !d.HasDefault {
				continue // cfn reports the missing values
			}
			v = d.Default
		} else {
			in.values[d.Name] = v
		}
		in.params = append(in.params, model.StackParameter{Key: d.Name, Value: v, NoEcho: d.NoEcho})
		if strings.HasPrefix(d.Type, "AWS::SSM::Parameter::Value<") {
			var err error
			c.Engine.Read(func(st *model.State) { _, err = c.Engine.GetParameter(st, v) })
			if err != nil {
				missingSSM = append(missingSSM, v)
			}
		}
	}
	if len(missingSSM) > 0 {
		return in, validation("Unable to fetch parameters [%s] from parameter store for this account.", strings.Join(missingSSM, ","))
	}
	return in, nil
}

func onFailureIn(in awsproto.Params) (string, error) {
	of := in.String("OnFailure")
	if of != "" && in.Has("DisableRollback") {
		return "", validation("You cannot specify both DisableRollback and OnFailure.")
	}
	if in.Bool("DisableRollback") {
		return "DO_NOTHING", nil
	}
	if of == "" {
		of = "ROLLBACK"
	}
	return of, nil
}

func tagsIn(in awsproto.Params) []model.StackTag {
	var out []model.StackTag
	for _, t := range in.Structs("Tags") {
		out = append(out, model.StackTag{Key: t.String("Key"), Value: t.String("Value")})
	}
	return out
}

func createStack(c *api.Call) (map[string]any, error) {
	name := c.In.String("StackName")
	if err := checkName("stackName", name, false); err != nil {
		return nil, err
	}
	p, err := templateIn(c, name)
	if err != nil {
		return nil, err
	}
	if err := p.checkCapabilities(c.In.Strings("Capabilities")); err != nil {
		return nil, err
	}
	if err := p.checkAutoExpand(c.In.Strings("Capabilities")); err != nil {
		return nil, err
	}
	if err := p.checkResourceTypes(c.In); err != nil {
		return nil, err
	}
	if err := checkRollbackConfiguration(c.In); err != nil {
		return nil, err
	}
	if err := checkStackRole(c, c.In.String("RoleARN")); err != nil {
		return nil, err
	}
	in, err := paramsIn(c, p, nil)
	if err != nil {
		return nil, err
	}
	if in.onFailure, err = onFailureIn(c.In); err != nil {
		return nil, err
	}
	in.retainExceptOnCreate = c.In.Bool("RetainExceptOnCreate")
	policy, err := policyIn(c, "StackPolicy")
	if err != nil {
		return nil, err
	}
	var live *model.Stack
	c.Engine.Read(func(st *model.State) { live = engine.LiveStack(st, name) })
	if live != nil && live.Status != statusReviewInProgress {
		return nil, apierr.Newf("AlreadyExistsException", "Stack [%s] already exists", name)
	}
	triggers, minutes, _ := rollbackConfigIn(c.In)
	st := &model.Stack{ID: stackARN(c, name), Name: name, Description: p.tpl.Description(), Status: statusCreateInProgress, Policy: policy,
		RollbackTriggers: triggers, RollbackMonitoringMinutes: minutes,
		CreatedAt: c.Engine.Now(), TemplateBody: p.body, Parameters: in.params, Tags: tagsIn(c.In),
		Capabilities: c.In.Strings("Capabilities"), DisableRollback: in.onFailure == "DO_NOTHING",
		NotificationARNs: c.In.Strings("NotificationARNs"), RoleARN: c.In.String("RoleARN"),
		TimeoutInMinutes: c.In.Int("TimeoutInMinutes"), TerminationProtection: c.In.Bool("EnableTerminationProtection")}
	var exports map[string]cfn.Export
	c.Engine.Read(func(state *model.State) { exports = exportsFor(state, "") })
	if _, _, err := preflight(c, st, in, exports, nil); err != nil {
		return nil, err
	}
	if live != nil {
		// A stack a CREATE change set made (REVIEW_IN_PROGRESS) is created
		// by CreateStack as it is, under its id; its change sets are then
		// OBSOLETE.
		if err := takeOverReview(c, live, st); err != nil {
			return nil, err
		}
	} else if err := c.Engine.CreateStack(st); err != nil {
		return nil, err
	}
	if _, err := create(c, st, in); err != nil {
		return nil, err
	}
	return map[string]any{"StackId": st.ID}, nil
}

// takeOverReview makes st the record of live, a REVIEW_IN_PROGRESS stack
// (its id, creation time and events kept), and marks live's change sets
// OBSOLETE.
func takeOverReview(c *api.Call, live, st *model.Stack) error {
	st.ID, st.CreatedAt = live.ID, live.CreatedAt
	if _, err := c.Engine.ChangeStack(live.ID, func(s *model.Stack) error {
		if s.Status != statusReviewInProgress {
			return apierr.Newf("AlreadyExistsException", "Stack [%s] already exists", s.Name)
		}
		events := s.Events
		*s = *st
		s.Events = events
		return nil
	}); err != nil {
		return err
	}
	var sets []*model.ChangeSet
	c.Engine.Read(func(state *model.State) {
		for _, cs := range state.ChangeSets {
			if cs.StackID == live.ID {
				sets = append(sets, cs)
			}
		}
	})
	for _, cs := range sets {
		obsolete := *cs
		obsolete.ExecutionStatus = "OBSOLETE"
		if err := c.Engine.PutChangeSet(&obsolete); err != nil {
			return err
		}
	}
	return nil
}

// updatable is CloudFormation's check that a stack can be updated.
func updatable(s *model.Stack) error {
	switch s.Status {
	case statusCreateComplete, statusUpdateComplete, statusUpdateRollbackDone, "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE":
		return nil
	}
	return validation("Stack:%s is in %s state and can not be updated.", s.ID, s.Status)
}

// updateInput reads an UpdateStack or CreateChangeSet(UPDATE) request:
// the new template (or the previous one) and parameters.
func updateInput(c *api.Call, s *model.Stack) (runInput, error) {
	var p *parsed
	var err error
	if c.In.Bool("UsePreviousTemplate") {
		if c.In.String("TemplateBody") != "" || c.In.String("TemplateURL") != "" {
			return runInput{}, validation("You cannot specify both usePreviousTemplate and Template Body/Template URL.")
		}
		p, err = parseBody(s.TemplateBody, s.Name)
	} else {
		p, err = templateIn(c, s.Name)
	}
	if err != nil {
		return runInput{}, err
	}
	if err := p.checkCapabilities(c.In.Strings("Capabilities")); err != nil {
		return runInput{}, err
	}
	if err := p.checkResourceTypes(c.In); err != nil {
		return runInput{}, err
	}
	if err := checkRollbackConfiguration(c.In); err != nil {
		return runInput{}, err
	}
	in, err := paramsIn(c, p, s.Parameters)
	if err != nil {
		return runInput{}, err
	}
	in.onFailure = "ROLLBACK"
	in.retainExceptOnCreate = c.In.Bool("RetainExceptOnCreate")
	return in, nil
}

// sameAs reports whether an update would change nothing.
func sameAs(s *model.Stack, in runInput, tags []model.StackTag, tagsGiven bool) bool {
	if in.p.body != s.TemplateBody || len(in.params) != len(s.Parameters) {
		return false
	}
	for i, p := range in.params {
		if p.Key != s.Parameters[i].Key || p.Value != s.Parameters[i].Value {
			return false
		}
	}
	return !tagsGiven || slices.Equal(tags, s.Tags)
}

// rollbackConfigChanged reports whether a request's RollbackConfiguration
// (given) differs from the stack's.
func rollbackConfigChanged(s *model.Stack, triggers []model.RollbackTrigger, minutes int64, given bool) bool {
	return given && (!slices.Equal(triggers, s.RollbackTriggers) || minutes != s.RollbackMonitoringMinutes)
}

func updateStack(c *api.Call) (map[string]any, error) {
	s, err := findStack(c, c.In.String("StackName"))
	if err != nil {
		return nil, err
	}
	if err := updatable(s); err != nil {
		return nil, err
	}
	role := cmp.Or(c.In.String("RoleARN"), s.RoleARN) // the stack's role unless another is given
	if err := checkStackRole(c, role); err != nil {
		return nil, err
	}
	in, err := updateInput(c, s)
	if err != nil {
		return nil, err
	}
	if err := in.p.checkAutoExpand(c.In.Strings("Capabilities")); err != nil {
		return nil, err
	}
	triggers, minutes, rcGiven := rollbackConfigIn(c.In)
	// A template with transforms is processed again by every update, so
	// its update is never refused as empty (LocalStack's AWS-validated
	// test_update_stack_with_same_template_withoutchange_transformation).
	if sameAs(s, in, tagsIn(c.In), c.In.Has("Tags")) && !rollbackConfigChanged(s, triggers, minutes, rcGiven) && !in.p.hasTransforms() {
		return nil, validation("No updates are to be performed.")
	}
	// The new template is validated with the stack's parameters and
	// conditions as CreateStack's is: a refusal leaves the stack as it
	// was.
	newPolicy, err := policyIn(c, "StackPolicy")
	if err != nil {
		return nil, err
	}
	duringUpdate, err := policyIn(c, "StackPolicyDuringUpdate")
	if err != nil {
		return nil, err
	}
	var exports map[string]cfn.Export
	c.Engine.Read(func(state *model.State) { exports = exportsFor(state, s.ID) })
	plan, inactive, err := preflight(c, s, in, exports, existingOf(s.Resources))
	if err != nil {
		return nil, err
	}
	// The stack policy (or the one given for this update) may deny what
	// the update would do: the update then fails before it changes
	// anything.
	// A new StackPolicyBody governs this update too (unless
	// StackPolicyDuringUpdate overrides it) and becomes the stack's policy
	// only if the update succeeds. Without a policy nothing is denied,
	// and the changes are not worked out.
	var denied map[string]string
	if policy := cmp.Or(duringUpdate, newPolicy, s.Policy); policy != "" {
		denied = policyDenials(policy, changesOf(s, in.p, in.params, plan, inactive))
	}
	if denied != nil {
		if _, err := policyDenied(c, s, denied); err != nil {
			return nil, err
		}
		newPolicy = ""
	} else if done, err := update(c, withRollbackConfig(s, triggers, minutes, rcGiven), in); err != nil {
		return nil, err
	} else if done == nil || strings.HasPrefix(done.Status, "UPDATE_ROLLBACK") {
		newPolicy = ""
	}
	if c.In.Has("Tags") || role != s.RoleARN || newPolicy != "" || rcGiven {
		if _, err := c.Engine.ChangeStack(s.ID, func(st *model.Stack) error {
			if c.In.Has("Tags") {
				st.Tags = tagsIn(c.In)
			}
			if rcGiven {
				st.RollbackTriggers, st.RollbackMonitoringMinutes = triggers, minutes
			}
			st.RoleARN = role
			if newPolicy != "" {
				st.Policy = newPolicy
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return map[string]any{"StackId": s.ID}, nil
}

func deleteStackOp(c *api.Call) (map[string]any, error) {
	name := c.In.String("StackName")
	var s *model.Stack
	c.Engine.Read(func(st *model.State) { s = engine.LiveStack(st, name) })
	if s == nil || s.Status == statusDeleteComplete {
		return map[string]any{}, nil // AWS answers a stack that is not there with success
	}
	switch s.Status {
	case statusDeleteInProgress:
		// A retried DeleteStack of a stack being deleted is accepted and
		// changes nothing: the delete under way goes on.
		return map[string]any{}, nil
	case statusUpdateInProgress, statusRollbackInProgress, statusUpdateRollbackIP:
		return nil, validation("Stack [%s] cannot be deleted while in status %s", s.Name, s.Status)
	}
	// A stack in CREATE_IN_PROGRESS (a create waiting for its ECS
	// services) is deleted: CloudFormation cancels the creation
	// (deleteStack).
	if s.TerminationProtection {
		return nil, validation("Stack [%s] cannot be deleted while TerminationProtection is enabled", s.Name)
	}
	if err := checkStackRole(c, cmp.Or(c.In.String("RoleARN"), s.RoleARN)); err != nil {
		return nil, err
	}
	if s.Status == statusReviewInProgress {
		var sets []string
		c.Engine.Read(func(st *model.State) {
			for id, cs := range st.ChangeSets {
				if cs.StackID == s.ID {
					sets = append(sets, id)
				}
			}
		})
		if err := c.Engine.DeleteChangeSets(sets...); err != nil {
			return nil, err
		}
	}
	if err := deleteStack(c, s); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

// ---- reads ----

func paramsOut(ps []model.StackParameter) []map[string]any {
	out := make([]map[string]any, 0, len(ps))
	for _, p := range ps {
		v := p.Value
		if p.NoEcho {
			v = "****"
		}
		m := map[string]any{"ParameterKey": p.Key, "ParameterValue": v}
		if p.ResolvedValue != "" && !p.NoEcho {
			m["ResolvedValue"] = p.ResolvedValue
		}
		out = append(out, m)
	}
	return out
}

func tagsOut(ts []model.StackTag) []map[string]any {
	out := make([]map[string]any, 0, len(ts))
	for _, t := range ts {
		out = append(out, map[string]any{"Key": t.Key, "Value": t.Value})
	}
	return out
}

func stackOut(s *model.Stack) map[string]any {
	outputs := make([]map[string]any, 0, len(s.Outputs))
	for _, o := range s.Outputs {
		if len(s.Waiting) > 0 && s.Update == nil && s.Status != statusDeleteInProgress || strings.HasPrefix(s.Status, "ROLLBACK_") {
			break // a create in progress has no outputs yet, a rolled-back one none
		}
		m := map[string]any{"OutputKey": o.Key, "OutputValue": o.Value}
		if o.Description != "" {
			m["Description"] = o.Description
		}
		if o.ExportName != "" {
			m["ExportName"] = o.ExportName
		}
		outputs = append(outputs, m)
	}
	out := map[string]any{
		"StackId": s.ID, "StackName": s.Name, "ChangeSetId": api.Str(s.ChangeSetID), "Description": api.Str(s.Description),
		"Parameters": paramsOut(s.Parameters), "CreationTime": s.CreatedAt.UTC(), "DeletionTime": api.Time(s.DeletedAt),
		"LastUpdatedTime": api.Time(s.UpdatedAt), "StackStatus": s.Status, "StackStatusReason": api.Str(s.StatusReason),
		"DisableRollback": s.DisableRollback, "NotificationARNs": nonNil(s.NotificationARNs), "Capabilities": nonNil(s.Capabilities),
		"Outputs": outputs, "RoleARN": api.Str(s.RoleARN), "Tags": tagsOut(s.Tags), "EnableTerminationProtection": s.TerminationProtection,
		"DriftInformation": stackDriftInfo(s), "RollbackConfiguration": rollbackConfigOut(s),
		"ParentId": api.Str(s.ParentID), "RootId": api.Str(s.RootID),
	}
	if s.TimeoutInMinutes > 0 {
		out["TimeoutInMinutes"] = s.TimeoutInMinutes
	}
	// AWS leaves out what a stack does not have (outputs, parameters,
	// capabilities); a deleted stack has no change set nor termination
	// protection any more.
	if len(outputs) == 0 {
		delete(out, "Outputs")
	}
	if len(s.Parameters) == 0 {
		delete(out, "Parameters")
	}
	if len(s.Capabilities) == 0 {
		delete(out, "Capabilities")
	}
	if s.Status == statusDeleteComplete {
		delete(out, "ChangeSetId")
		delete(out, "EnableTerminationProtection")
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// pageOf cuts a page of items listed in key order: NextToken is the key
// of the first item of the next.
func pageOf[T any](c *api.Call, items []T, key func(T) string, limit int) ([]T, any, error) {
	return pageOrdered(c, items, key, strings.Compare, limit)
}

// pageOrdered is pageOf for items listed in the order compare gives their
// keys (api.PaginateOrdered).
func pageOrdered[T any](c *api.Call, items []T, key func(T) string, compare func(a, b string) int, limit int) ([]T, any, error) {
	out, next, ok := api.PaginateOrdered(items, key, compare, c.In.String("NextToken"), limit)
	if !ok {
		return nil, nil, validation("Invalid NextToken.")
	}
	if next == "" {
		return out, nil, nil
	}
	return out, next, nil
}

// newestStackFirst is a stack's key in DescribeStacks and ListStacks,
// which list stacks newest first, as CloudFormation does (ties by id).
func newestStackFirst(s *model.Stack) string {
	return fmt.Sprintf("%020d|%s", -s.CreatedAt.UnixNano()+1<<62, s.ID)
}

func describeStacks(c *api.Call) (map[string]any, error) {
	name := c.In.String("StackName")
	var stacks []*model.Stack
	c.Engine.Read(func(st *model.State) {
		if name != "" {
			if s := engine.LiveStack(st, name); s != nil {
				stacks = append(stacks, s)
			}
			return
		}
		for _, s := range st.Stacks {
			if s.Status != statusDeleteComplete {
				stacks = append(stacks, s)
			}
		}
	})
	if name != "" && len(stacks) == 0 {
		return nil, notExist(name)
	}
	page, next, err := pageOf(c, stacks, newestStackFirst, 100)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(page))
	for i, s := range page {
		out[i] = stackOut(s)
	}
	return map[string]any{"Stacks": out, "NextToken": next}, nil
}

func listStacks(c *api.Call) (map[string]any, error) {
	filter := c.In.Strings("StackStatusFilter")
	var stacks []*model.Stack
	c.Engine.Read(func(st *model.State) {
		for _, s := range st.Stacks {
			if len(filter) == 0 || slices.Contains(filter, s.Status) {
				stacks = append(stacks, s)
			}
		}
	})
	page, next, err := pageOf(c, stacks, newestStackFirst, 100)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(page))
	for i, s := range page {
		out[i] = map[string]any{
			"StackId": s.ID, "StackName": s.Name, "TemplateDescription": api.Str(s.Description),
			"CreationTime": s.CreatedAt.UTC(), "LastUpdatedTime": api.Time(s.UpdatedAt), "DeletionTime": api.Time(s.DeletedAt),
			"StackStatus": s.Status, "StackStatusReason": api.Str(s.StatusReason),
			"DriftInformation": stackDriftInfo(s),
		}
	}
	return map[string]any{"StackSummaries": out, "NextToken": next}, nil
}

func describeStackEvents(c *api.Call) (map[string]any, error) {
	name := c.In.String("StackName")
	var s *model.Stack
	c.Engine.Read(func(st *model.State) { s = engine.LiveStack(st, name) })
	if s == nil {
		return nil, validation("Stack [%s] does not exist", name)
	}
	// Newest first. An event's key is its place in the stack's events,
	// which only grow, compared backwards: the events that happen between
	// two pages come before the first, and a token goes on from its own
	// event.
	type event struct {
		seq int
		model.StackEvent
	}
	var events []event
	for i := len(s.Events) - 1; i >= 0; i-- {
		if e := s.Events[i]; !inNested(e.LogicalID) {
			events = append(events, event{i, e})
		}
	}
	key := func(e event) string { return fmt.Sprintf("%010d", e.seq) }
	page, next, err := pageOrdered(c, events, key, api.Descending, 100)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(page))
	for i, e := range page {
		m := map[string]any{
			"StackId": s.ID, "EventId": e.ID, "StackName": s.Name, "LogicalResourceId": e.LogicalID,
			"PhysicalResourceId": e.PhysicalID, "ResourceType": e.Type, "Timestamp": e.Timestamp.UTC(),
			"ResourceStatus": e.Status, "ResourceStatusReason": api.Str(e.StatusReason),
		}
		out[i] = m
	}
	return map[string]any{"StackEvents": out, "NextToken": next}, nil
}

// resourcesOf returns the stack's resources a request names (StackName,
// or PhysicalResourceId; LogicalResourceId narrows).
func resourcesOf(c *api.Call) (*model.Stack, []model.StackResource, error) {
	name, phys, logical := c.In.String("StackName"), c.In.String("PhysicalResourceId"), c.In.String("LogicalResourceId")
	var s *model.Stack
	switch {
	case name != "" && phys != "":
		return nil, nil, validation("Only one of StackName or PhysicalResourceId can be specified")
	case name != "":
		var err error
		if s, err = findStack(c, name); err != nil {
			return nil, nil, err
		}
	case phys != "":
		c.Engine.Read(func(st *model.State) {
			for _, cand := range st.Stacks {
				for _, r := range cand.Resources {
					if r.PhysicalID == phys && cand.Status != statusDeleteComplete && !inNested(r.LogicalID) {
						s = cand
					}
				}
			}
		})
		if s == nil {
			return nil, nil, validation("Stack for %s does not exist", phys)
		}
	default:
		return nil, nil, validation("Either StackName or PhysicalResourceId must be specified")
	}
	var out []model.StackResource
	for _, r := range s.Resources {
		if (logical == "" || r.LogicalID == logical) && !inNested(r.LogicalID) {
			out = append(out, r)
		}
	}
	return s, out, nil
}

// inNested reports whether a logical id of a stack's records is a nested
// stack's resource ("NESTED/LOGICAL"): the nested stack shows it, not the
// parent (which keeps it to delete it).
func inNested(logicalID string) bool { return strings.Contains(logicalID, "/") }

func resourceOut(s *model.Stack, r model.StackResource, tsKey string) map[string]any {
	return map[string]any{
		"StackName": s.Name, "StackId": s.ID, "LogicalResourceId": r.LogicalID, "PhysicalResourceId": api.Str(r.PhysicalID),
		"ResourceType": r.Type, tsKey: r.UpdatedAt.UTC(), "ResourceStatus": r.Status,
		"ResourceStatusReason": api.Str(r.StatusReason),
		"DriftInformation":     resourceDriftInfo(r),
	}
}

func describeStackResources(c *api.Call) (map[string]any, error) {
	s, res, err := resourcesOf(c)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(res))
	for i, r := range res {
		out[i] = resourceOut(s, r, "Timestamp")
	}
	return map[string]any{"StackResources": out}, nil
}

// describeStackResource answers one resource. Its refusals, as AWS words
// them: "Stack 'NAME' does not exist" for a stack that does not, and
// "Resource ID does not exist for stack NAME" naming the stack as the
// request did (its name or its id).
func describeStackResource(c *api.Call) (map[string]any, error) {
	name := c.In.String("StackName")
	var s *model.Stack
	c.Engine.Read(func(st *model.State) { s = engine.LiveStack(st, name) })
	if s == nil {
		return nil, validation("Stack '%s' does not exist", name)
	}
	logical := c.In.String("LogicalResourceId")
	for _, r := range s.Resources {
		if r.LogicalID == logical && !inNested(logical) {
			m := resourceOut(s, r, "LastUpdatedTimestamp")
			m["Metadata"] = resourceMetadata(r.Props)
			return map[string]any{"StackResourceDetail": m}, nil
		}
	}
	return nil, validation("Resource %s does not exist for stack %s", logical, name)
}

func listStackResources(c *api.Call) (map[string]any, error) {
	s, err := findStack(c, c.In.String("StackName"))
	if err != nil {
		return nil, err
	}
	var live []model.StackResource
	for _, r := range s.Resources {
		if inNested(r.LogicalID) {
			continue
		}
		if r.Status != statusDeleteComplete || s.Status == statusDeleteComplete || s.Status == statusRollbackComplete {
			live = append(live, r)
		}
	}
	// [choice] By logical id: a resource's key places it in the list
	// whether or not it is still there, so a resource deleted between two
	// pages skips none of the others (a key that was a place in the list
	// did).
	key := func(r model.StackResource) string { return r.LogicalID }
	page, next, err := pageOf(c, live, key, 100)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(page))
	for i, r := range page {
		m := resourceOut(s, r, "LastUpdatedTimestamp")
		delete(m, "StackName")
		delete(m, "StackId")
		out[i] = m
	}
	return map[string]any{"StackResourceSummaries": out, "NextToken": next}, nil
}

func getTemplate(c *api.Call) (map[string]any, error) {
	if cs := c.In.String("ChangeSetName"); cs != "" {
		if !strings.HasPrefix(cs, "arn:") && c.In.String("StackName") == "" {
			return nil, validation("StackName is a required parameter.")
		}
		set, err := findChangeSet(c, cs, c.In.String("StackName"))
		if err != nil {
			return nil, err
		}
		return map[string]any{"TemplateBody": set.TemplateBody, "StagesAvailable": []string{"Original", "Processed"}}, nil
	}
	s, err := findStack(c, c.In.String("StackName"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"TemplateBody": s.TemplateBody, "StagesAvailable": []string{"Original", "Processed"}}, nil
}

// summaryParams is ValidateTemplate's and GetTemplateSummary's parameter
// list.
func summaryParams(p *parsed, withType bool) []map[string]any {
	out := []map[string]any{}
	for _, d := range p.tpl.Parameters() {
		m := map[string]any{"ParameterKey": d.Name, "NoEcho": d.NoEcho}
		if d.HasDefault {
			m["DefaultValue"] = d.Default
		}
		if d.Description != "" {
			m["Description"] = d.Description
		}
		if withType {
			m["ParameterType"] = d.Type
			if len(d.AllowedValues) > 0 {
				m["ParameterConstraints"] = map[string]any{"AllowedValues": d.AllowedValues}
			}
		}
		out = append(out, m)
	}
	return out
}

// capsOut adds what ValidateTemplate and GetTemplateSummary say of the
// template's capabilities and transforms: nothing when it needs none.
func capsOut(p *parsed, out map[string]any) {
	if len(p.transforms) > 0 {
		out["DeclaredTransforms"] = p.transforms
	}
	need, reason := p.capabilities()
	if need == "" {
		return
	}
	out["Capabilities"] = []string{need}
	out["CapabilitiesReason"] = reason
}

func validateTemplate(c *api.Call) (map[string]any, error) {
	p, err := templateIn(c, "template")
	if err != nil {
		return nil, err
	}
	if err := p.tpl.CheckRegion(c.Engine.Config().Region); err != nil {
		return nil, validation("%s", templateMessage(err))
	}
	if err := p.tpl.CheckReferences(); err != nil {
		return nil, validation("%s", templateMessage(err))
	}
	out := map[string]any{"Parameters": summaryParams(p, false), "Description": api.Str(p.tpl.Description())}
	capsOut(p, out)
	return out, nil
}

func getTemplateSummary(c *api.Call) (map[string]any, error) {
	var p *parsed
	var err error
	if name := c.In.String("StackName"); name != "" {
		s, ferr := findStack(c, name)
		if ferr != nil {
			return nil, ferr
		}
		if s.Status == statusReviewInProgress {
			return nil, validation("GetTemplateSummary cannot be called on REVIEW_IN_PROGRESS stacks.")
		}
		p, err = parseBody(s.TemplateBody, s.Name)
	} else {
		p, err = templateIn(c, "template")
		if err == nil {
			if rerr := p.tpl.CheckRegion(c.Engine.Config().Region); rerr != nil {
				return nil, validation("%s", templateMessage(rerr))
			}
		}
	}
	if err != nil {
		return nil, err
	}
	var types []string
	ids := map[string][]string{}
	for _, id := range p.order {
		t := p.resources[id].Type
		if ids[t] == nil {
			types = append(types, t)
		}
		ids[t] = append(ids[t], id)
	}
	// ResourceIdentifierSummaries: the logical ids of each type (the
	// identifiers an import would take are left out).
	summaries := make([]map[string]any, 0, len(types))
	for _, t := range types {
		summaries = append(summaries, map[string]any{"ResourceType": t, "LogicalResourceIds": ids[t]})
	}
	out := map[string]any{"Parameters": summaryParams(p, true), "Description": api.Str(p.tpl.Description()),
		"ResourceTypes": nonNil(types), "Version": "2010-09-09", "ResourceIdentifierSummaries": summaries}
	if p.metadata != nil {
		out["Metadata"] = metadataText(p.metadata)
	}
	capsOut(p, out)
	return out, nil
}

func listExports(c *api.Call) (map[string]any, error) {
	var exports []cfn.Export
	c.Engine.Read(func(st *model.State) {
		for _, e := range exportsFor(st, "") {
			exports = append(exports, e)
		}
	})
	key := func(e cfn.Export) string { return e.Name }
	page, next, err := pageOf(c, exports, key, 100)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(page))
	for i, e := range page {
		out[i] = map[string]any{"ExportingStackId": e.StackID, "Name": e.Name, "Value": e.Value}
	}
	return map[string]any{"Exports": out, "NextToken": next}, nil
}

func listImports(c *api.Call) (map[string]any, error) {
	name := c.In.String("ExportName")
	var stacks []string
	found := false
	c.Engine.Read(func(st *model.State) {
		_, found = exportsFor(st, "")[name]
		for _, s := range st.Stacks {
			if s.Status != statusDeleteComplete && slices.Contains(s.Imports, name) {
				stacks = append(stacks, s.Name)
			}
		}
	})
	if !found {
		return nil, validation("Export '%s' does not exist.", name)
	}
	if len(stacks) == 0 {
		return nil, validation("Export '%s' is not imported by any stack.", name)
	}
	page, next, err := pageOf(c, stacks, func(s string) string { return s }, 100)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Imports": page, "NextToken": next}, nil
}

func updateTerminationProtection(c *api.Call) (map[string]any, error) {
	s, err := findStack(c, c.In.String("StackName"))
	if err != nil {
		return nil, err
	}
	if s.Status == statusDeleteComplete {
		return nil, notExist(c.In.String("StackName"))
	}
	on := c.In.Bool("EnableTerminationProtection")
	if _, err := c.Engine.ChangeStack(s.ID, func(st *model.Stack) error { st.TerminationProtection = on; return nil }); err != nil {
		return nil, err
	}
	return map[string]any{"StackId": s.ID}, nil
}

// rollbackStack rolls back a stack whose creation failed with rollback
// disabled (CREATE_FAILED): its resources are deleted, ROLLBACK_COMPLETE.
func rollbackStack(c *api.Call) (map[string]any, error) {
	s, err := findStack(c, c.In.String("StackName"))
	if err != nil {
		return nil, err
	}
	if s.Status != statusCreateFailed {
		return nil, validation("Stack %s is in %s state and can not be rolled back", s.ID, s.Status)
	}
	rec := newRecorder(c, s)
	reason := "User Initiated"
	rec.stack(statusRollbackInProgress, reason)
	// The rollback of a create: RetainExceptOnCreate deletes.
	res := forRollback(s.Resources, c.In.Bool("RetainExceptOnCreate"))
	if failed := deleteResources(c, rec, res); len(failed) > 0 {
		msg := "The following resource(s) failed to delete: [" + strings.Join(failed, ", ") + "]. "
		rec.stack("ROLLBACK_FAILED", msg)
		if _, err := rec.commit(func(st *model.Stack) { st.Status, st.StatusReason, st.Resources = "ROLLBACK_FAILED", msg, res }); err != nil {
			return nil, err
		}
		return map[string]any{"StackId": s.ID}, nil
	}
	rec.stack(statusRollbackComplete, "")
	if _, err := rec.commit(func(st *model.Stack) { st.Status, st.StatusReason, st.Resources = statusRollbackComplete, "", res }); err != nil {
		return nil, err
	}
	return map[string]any{"StackId": s.ID}, nil
}

// cancelUpdateStack cancels an update that waits on its ECS services:
// they are "Resource update cancelled" and the update rolls back
// (updateWaitFailed). Every other update finishes before UpdateStack
// answers, so there is none to cancel.
func cancelUpdateStack(c *api.Call) (map[string]any, error) {
	s, err := findStack(c, c.In.String("StackName"))
	if err != nil {
		return nil, err
	}
	if !isUpdateWait(s) {
		return nil, validation("CancelUpdateStack cannot be called from current stack status")
	}
	return map[string]any{}, updateWaitFailed(c, newRecorder(c, s), s, nil, "", "", "User Initiated")
}

// cloudFormationPrincipal is the service principal a stack's service role
// must trust.
const cloudFormationPrincipal = "cloudformation.amazonaws.com"

// checkStackRole refuses a stack's service role (RoleARN) that
// CloudFormation cannot assume: a role the account does not have, or one
// whose trust policy does not name cloudformation.amazonaws.com.
func checkStackRole(c *api.Call, role string) error {
	if role == "" || c.Engine.RoleAssumable(role, cloudFormationPrincipal) {
		return nil
	}
	return validation("Role %s is invalid or cannot be assumed", role)
}
