package cloudformation

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// noChanges is CloudFormation's reason for a change set that would change
// nothing (aws cloudformation deploy prints "No changes to deploy").
const noChanges = "The submitted information didn't contain changes. Submit different information to create a change set."

func changeSetNotFound(name string) error {
	e := apierr.Newf("ChangeSetNotFound", "ChangeSet [%s] does not exist", name)
	e.HTTPStatus = 404 // the wire code of ChangeSetNotFoundException
	return e
}

// findChangeSet returns a change set by ARN, or by name within a stack.
func findChangeSet(c *api.Call, name, stackName string) (*model.ChangeSet, error) {
	var cs *model.ChangeSet
	var err error
	c.Engine.Read(func(st *model.State) {
		if cs = st.ChangeSets[name]; cs != nil || strings.HasPrefix(name, "arn:") {
			return
		}
		if stackName == "" {
			err = validation("StackName must be specified if ChangeSetName is not specified as an ARN.")
			return
		}
		s := engine.LiveStack(st, stackName)
		if s == nil {
			err = validation("Stack [%s] does not exist", stackName)
			return
		}
		for _, cand := range st.ChangeSets {
			if cand.StackID == s.ID && cand.Name == name {
				cs = cand
			}
		}
	})
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return nil, changeSetNotFound(name)
	}
	return cs, nil
}

// changesOf compares a stack's resources with a template's, as
// CloudFormation's change sets do: Add for a new resource, Remove for one
// the template no longer has, Modify for one the update would change
// (plan, a dry run of the update: Replacement False when it is updated in
// place, True when it is replaced), nothing for one it leaves alone. A
// resource the dry run did not reach (it failed before), or that ecsnet
// does not model, is compared by its definition and the parameters it
// names: Replacement from its details (Conditional for a type ecsnet
// does not model). Each Modify has its Scope and Details
// (changedetails.go). A resource whose condition is false
// (inactive) is not there: not added, and removed if the stack has it.
func changesOf(s *model.Stack, p *parsed, params []model.StackParameter, plan []cfn.Resource, inactive map[string]bool) []model.ResourceChange {
	var changedParams []string
	if s != nil {
		old := map[string]string{}
		for _, sp := range s.Parameters {
			old[sp.Key] = sp.Value
		}
		for _, np := range params {
			if v, ok := old[np.Key]; !ok || v != np.Value {
				changedParams = append(changedParams, np.Key)
			}
		}
	}
	uses := func(props string) bool {
		for _, k := range changedParams {
			if strings.Contains(props, k) {
				return true
			}
		}
		return false
	}
	planned, resolved := map[string]string{}, map[string]string{}
	replaced, modified := map[string]bool{}, map[string]bool{}
	for _, r := range plan {
		planned[r.LogicalID], resolved[r.LogicalID] = r.Change, r.Props
		replaced[r.LogicalID] = r.Change == cfn.ChangeReplace
		modified[r.LogicalID] = r.Change == cfn.ChangeModify
	}
	modify := func(old model.StackResource, r tplResource, replacement string) model.ResourceChange {
		m := modifyChange{old: old, r: r, newResolved: resolved[old.LogicalID], changedParams: changedParams, replaced: replaced, modified: modified}
		scope, details := m.details()
		if replacement == "True" && replacementOf(details) != "True" {
			replacedByPolicy(old.Type, details)
		}
		switch {
		case replacement != "":
		case len(details) == 0:
			// A change ecsnet cannot trace to a property (through a
			// condition or a mapping).
			replacement = "Conditional"
		default:
			replacement = replacementOf(details)
		}
		return model.ResourceChange{Action: "Modify", LogicalID: old.LogicalID, PhysicalID: old.PhysicalID, Type: r.Type,
			Replacement: replacement, Scope: scope, Details: details, BeforeContext: old.Resolved, AfterContext: m.newResolved}
	}
	var out []model.ResourceChange
	have := map[string]model.StackResource{}
	if s != nil {
		for _, r := range s.Resources {
			if r.Status != statusDeleteComplete && r.Status != statusCreateFailed {
				have[r.LogicalID] = r
			}
		}
	}
	for _, id := range p.order {
		if inactive[id] {
			continue
		}
		r := p.resources[id]
		old, ok := have[id]
		if !ok || old.Type != r.Type {
			out = append(out, model.ResourceChange{Action: "Add", LogicalID: id, Type: r.Type})
			continue
		}
		ch, reached := planned[id]
		switch {
		case reached && ch == cfn.ChangeNone && attributesChanged(old.Props, r.Props):
			// Only its Metadata or policies change: listed, updating
			// nothing of the resource.
			out = append(out, modify(old, r, "False"))
		case reached && ch == cfn.ChangeNone:
		case reached && ch == cfn.ChangeModify:
			out = append(out, modify(old, r, "False"))
		case reached:
			out = append(out, modify(old, r, "True"))
		case old.Props != r.Props || uses(r.Props):
			out = append(out, modify(old, r, ""))
		}
	}
	if s != nil {
		for _, r := range s.Resources {
			if nr, ok := p.resources[r.LogicalID]; (!ok || nr.Type != r.Type || inactive[r.LogicalID]) && r.Status != statusDeleteComplete && r.Status != statusCreateFailed {
				out = append(out, model.ResourceChange{Action: "Remove", LogicalID: r.LogicalID, PhysicalID: r.PhysicalID, Type: r.Type})
			}
		}
	}
	return out
}

func createChangeSet(c *api.Call) (map[string]any, error) {
	stackName, csName := c.In.String("StackName"), c.In.String("ChangeSetName")
	if err := checkName("changeSetName", csName, false); err != nil {
		return nil, err
	}
	typ := c.In.String("ChangeSetType")
	if typ == "" {
		typ = "UPDATE"
	}
	if typ == "IMPORT" {
		return nil, validation("ecsnet does not import existing resources into stacks (ChangeSetType IMPORT).")
	}
	var s *model.Stack
	c.Engine.Read(func(st *model.State) { s = engine.LiveStack(st, stackName) })
	var in runInput
	var err error
	switch {
	case typ == "CREATE" && s != nil && s.Status != statusReviewInProgress:
		return nil, validation("Stack [%s] already exists and cannot be created again with the changeSet [%s].", stackName, csName)
	case typ == "CREATE" && s == nil && strings.HasPrefix(stackName, "arn:"):
		// A stack id names a stack made before (a second CREATE change
		// set of a REVIEW_IN_PROGRESS stack); it cannot name a new one.
		return nil, validation("Stack [%s] does not exist", stackName)
	case typ == "CREATE":
		if err := checkName("stackName", stackName, s != nil); err != nil {
			return nil, err
		}
		p, err := templateIn(c, stackNameOf(s, stackName))
		if err != nil {
			return nil, err
		}
		if err := p.checkCapabilities(c.In.Strings("Capabilities")); err != nil {
			return nil, err
		}
		if err := p.checkResourceTypes(c.In); err != nil {
			return nil, err
		}
		if err := checkRollbackConfiguration(c.In); err != nil {
			return nil, err
		}
		if in, err = paramsIn(c, p, nil); err != nil {
			return nil, err
		}
	case s == nil:
		return nil, validation("Stack [%s] does not exist", stackName)
	case s.Status == statusReviewInProgress:
		return nil, validation("Stack [%s] is in REVIEW_IN_PROGRESS state and can not be updated.", s.ID)
	default:
		if err := updatable(s); err != nil {
			return nil, err
		}
		if in, err = updateInput(c, s); err != nil {
			return nil, err
		}
	}
	if s != nil {
		var dup bool
		c.Engine.Read(func(st *model.State) {
			for _, cs := range st.ChangeSets {
				dup = dup || cs.StackID == s.ID && cs.Name == csName
			}
		})
		if dup {
			return nil, apierr.Newf("AlreadyExistsException", "ChangeSet %s already exists", csName)
		}
	}
	role := c.In.String("RoleARN")
	if role == "" && s != nil {
		role = s.RoleARN
	}
	if err := checkStackRole(c, role); err != nil {
		return nil, err
	}
	probe := s
	if probe == nil {
		probe = &model.Stack{ID: stackARN(c, stackName), Name: stackName}
	}
	var exports map[string]cfn.Export
	c.Engine.Read(func(state *model.State) { exports = exportsFor(state, probe.ID) })
	var existing map[string]cfn.Existing
	if typ != "CREATE" {
		existing = existingOf(s.Resources)
	}
	plan, inactive, err := preflight(c, probe, in, exports, existing)
	if reason, ok := transformFailure(err); ok {
		return failedChangeSet(c, s, stackName, csName, typ, reason)
	}
	if err != nil {
		return nil, err
	}
	now := c.Engine.Now()
	if s == nil {
		s = &model.Stack{ID: probe.ID, Name: stackName, Status: statusReviewInProgress, StatusReason: "User Initiated", CreatedAt: now,
			Description: in.p.tpl.Description(), TemplateBody: in.p.body, Parameters: in.params, Tags: tagsIn(c.In),
			Capabilities: c.In.Strings("Capabilities"), NotificationARNs: c.In.Strings("NotificationARNs"), RoleARN: c.In.String("RoleARN")}
		rec := newRecorder(c, s)
		rec.stack(statusReviewInProgress, "User Initiated")
		s.Events = rec.events
		if err := c.Engine.CreateStack(s); err != nil {
			return nil, err
		}
	}
	cs := &model.ChangeSet{
		ID:   fmt.Sprintf("arn:%s:cloudformation:%s:%s:changeSet/%s/%s", model.Partition(c.Region), c.Region, c.Account, csName, uuid()),
		Name: csName, StackID: s.ID, StackName: s.Name, Type: typ, Description: c.In.String("Description"),
		Status: "CREATE_COMPLETE", ExecutionStatus: "AVAILABLE", CreatedAt: now, TemplateBody: in.p.body,
		Parameters: in.params, Tags: tagsIn(c.In), Capabilities: c.In.Strings("Capabilities"),
	}
	cs.RollbackTriggers, cs.RollbackMonitoringMinutes, cs.RollbackConfigGiven = rollbackConfigIn(c.In)
	if typ == "CREATE" {
		cs.Changes = changesOf(nil, in.p, nil, nil, inactive)
	} else {
		cs.Changes = changesOf(s, in.p, in.params, plan, inactive)
		// As UpdateStack: a new RollbackConfiguration alone is a change
		// (the change set lists no resource changes and executes).
		if sameAs(s, in, cs.Tags, c.In.Has("Tags")) && !rollbackConfigChanged(s, cs.RollbackTriggers, cs.RollbackMonitoringMinutes, cs.RollbackConfigGiven) {
			cs.Changes = nil
			cs.Status, cs.StatusReason, cs.ExecutionStatus = "FAILED", noChanges, "UNAVAILABLE"
		}
	}
	if err := c.Engine.PutChangeSet(cs); err != nil {
		return nil, err
	}
	return map[string]any{"Id": cs.ID, "StackId": s.ID}, nil
}

// transformFailure is the reason of a template one of its transforms
// refused ("Transform AWS::CodeDeployBlueGreen failed with: …"):
// CloudFormation runs transforms after CreateChangeSet has answered, so
// the change set is created and FAILED with that reason (the waiter of
// `aws cloudformation deploy` prints it), where a template it cannot read
// at all is CreateChangeSet's ValidationError.
func transformFailure(err error) (string, bool) {
	var ae *apierr.Error
	if err == nil || !errors.As(err, &ae) || ae.Code != "ValidationError" {
		return "", false
	}
	if strings.HasPrefix(ae.Message, "Transform ") && strings.Contains(ae.Message, " failed with: ") {
		return ae.Message, true
	}
	return "", false
}

// failedChangeSet records change set csName of stack s (a new stack in
// REVIEW_IN_PROGRESS when s is nil) as FAILED for reason, with the
// request's template, nothing to execute.
func failedChangeSet(c *api.Call, s *model.Stack, stackName, csName, typ, reason string) (map[string]any, error) {
	now := c.Engine.Now()
	body := c.In.String("TemplateBody")
	if s == nil {
		if err := checkName("stackName", stackName, false); err != nil {
			return nil, err
		}
		s = &model.Stack{ID: stackARN(c, stackName), Name: stackName, Status: statusReviewInProgress, StatusReason: "User Initiated",
			CreatedAt: now, TemplateBody: body, Tags: tagsIn(c.In), Capabilities: c.In.Strings("Capabilities"), RoleARN: c.In.String("RoleARN")}
		rec := newRecorder(c, s)
		rec.stack(statusReviewInProgress, "User Initiated")
		s.Events = rec.events
		if err := c.Engine.CreateStack(s); err != nil {
			return nil, err
		}
	} else {
		var dup bool
		c.Engine.Read(func(st *model.State) {
			for _, cs := range st.ChangeSets {
				dup = dup || cs.StackID == s.ID && cs.Name == csName
			}
		})
		if dup {
			return nil, apierr.Newf("AlreadyExistsException", "ChangeSet %s already exists", csName)
		}
	}
	cs := &model.ChangeSet{
		ID:   fmt.Sprintf("arn:%s:cloudformation:%s:%s:changeSet/%s/%s", model.Partition(c.Region), c.Region, c.Account, csName, uuid()),
		Name: csName, StackID: s.ID, StackName: s.Name, Type: typ, Description: c.In.String("Description"),
		Status: "FAILED", StatusReason: reason, ExecutionStatus: "UNAVAILABLE", CreatedAt: now, TemplateBody: body,
		Tags: tagsIn(c.In), Capabilities: c.In.Strings("Capabilities"),
	}
	if err := c.Engine.PutChangeSet(cs); err != nil {
		return nil, err
	}
	return map[string]any{"Id": cs.ID, "StackId": s.ID}, nil
}

// changesOut is a change set's Changes; with values (DescribeChangeSet's
// IncludePropertyValues) each detail also has the property's path and
// its values before and after, and each change its resource's properties
// before and after (BeforeContext, AfterContext).
func changesOut(cs *model.ChangeSet, values bool) []map[string]any {
	out := make([]map[string]any, 0, len(cs.Changes))
	for _, ch := range cs.Changes {
		details := make([]map[string]any, 0, len(ch.Details))
		for _, d := range ch.Details {
			target := map[string]any{"Attribute": d.Attribute, "RequiresRecreation": d.RequiresRecreation}
			if d.Name != "" {
				target["Name"] = d.Name
			}
			if values && d.ChangeType != "" {
				target["AttributeChangeType"] = d.ChangeType
				target["Path"] = "/Properties/" + d.Name
				if d.Attribute == "Tags" {
					target["Path"] = "/Properties/Tags"
				}
				if d.ChangeType != "Add" {
					target["BeforeValue"] = d.BeforeValue
				}
				if d.ChangeType != "Remove" {
					target["AfterValue"] = d.AfterValue
				}
			}
			detail := map[string]any{"Target": target, "Evaluation": d.Evaluation, "ChangeSource": d.ChangeSource}
			if d.CausingEntity != "" {
				detail["CausingEntity"] = d.CausingEntity
			}
			details = append(details, detail)
		}
		rc := map[string]any{"Action": ch.Action, "LogicalResourceId": ch.LogicalID, "PhysicalResourceId": api.Str(ch.PhysicalID),
			"ResourceType": ch.Type, "Scope": nonNil(ch.Scope), "Details": details}
		if ch.Replacement != "" {
			rc["Replacement"] = ch.Replacement
		}
		if values && ch.BeforeContext != "" {
			rc["BeforeContext"] = ch.BeforeContext
		}
		if values && ch.AfterContext != "" {
			rc["AfterContext"] = ch.AfterContext
		}
		out = append(out, map[string]any{"Type": "Resource", "ResourceChange": rc})
	}
	return out
}

func describeChangeSet(c *api.Call) (map[string]any, error) {
	cs, err := findChangeSet(c, c.In.String("ChangeSetName"), c.In.String("StackName"))
	if err != nil {
		return nil, err
	}
	out := map[string]any{
		"ChangeSetName": cs.Name, "ChangeSetId": cs.ID, "StackId": cs.StackID, "StackName": cs.StackName,
		"Description": api.Str(cs.Description), "Parameters": paramsOut(cs.Parameters), "CreationTime": cs.CreatedAt.UTC(),
		"ExecutionStatus": cs.ExecutionStatus, "Status": cs.Status, "StatusReason": api.Str(cs.StatusReason),
		"NotificationARNs": []string{}, "Capabilities": nonNil(cs.Capabilities), "Tags": tagsOut(cs.Tags),
		"Changes": changesOut(cs, c.In.Bool("IncludePropertyValues")), "IncludeNestedStacks": false,
		"RollbackConfiguration": rollbackConfigOut(&model.Stack{RollbackTriggers: cs.RollbackTriggers, RollbackMonitoringMinutes: cs.RollbackMonitoringMinutes}),
	}
	// As DescribeStacks: no Parameters nor Tags when there are none (the
	// Capabilities list is always there).
	if len(cs.Parameters) == 0 {
		delete(out, "Parameters")
	}
	if len(cs.Tags) == 0 {
		delete(out, "Tags")
	}
	return out, nil
}

func listChangeSets(c *api.Call) (map[string]any, error) {
	s, err := findStack(c, c.In.String("StackName"))
	if err != nil {
		return nil, err
	}
	var sets []*model.ChangeSet
	c.Engine.Read(func(st *model.State) {
		for _, cs := range st.ChangeSets {
			if cs.StackID == s.ID {
				sets = append(sets, cs)
			}
		}
	})
	key := func(cs *model.ChangeSet) string { return cs.CreatedAt.UTC().Format("20060102150405.000000000") + cs.ID }
	page, next, err := pageOf(c, sets, key, 100)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(page))
	for i, cs := range page {
		out[i] = map[string]any{"StackId": cs.StackID, "StackName": cs.StackName, "ChangeSetId": cs.ID, "ChangeSetName": cs.Name,
			"ExecutionStatus": cs.ExecutionStatus, "Status": cs.Status, "StatusReason": api.Str(cs.StatusReason),
			"CreationTime": cs.CreatedAt.UTC(), "Description": api.Str(cs.Description), "IncludeNestedStacks": false}
	}
	return map[string]any{"Summaries": out, "NextToken": next}, nil
}

func deleteChangeSet(c *api.Call) (map[string]any, error) {
	cs, err := findChangeSet(c, c.In.String("ChangeSetName"), c.In.String("StackName"))
	if err != nil {
		return nil, err
	}
	if cs.ExecutionStatus == "EXECUTE_IN_PROGRESS" {
		return nil, apierr.Newf("InvalidChangeSetStatus", "Cannot delete ChangeSet in status EXECUTE_IN_PROGRESS")
	}
	if err := c.Engine.DeleteChangeSets(cs.ID); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func executeChangeSet(c *api.Call) (map[string]any, error) {
	cs, err := findChangeSet(c, c.In.String("ChangeSetName"), c.In.String("StackName"))
	if err != nil {
		return nil, err
	}
	if cs.Status == "FAILED" {
		return nil, apierr.Newf("InvalidChangeSetStatus", "ChangeSet [%s] cannot be executed in its current status of [%s]", cs.ID, cs.Status)
	}
	if cs.ExecutionStatus != "AVAILABLE" {
		return nil, apierr.Newf("InvalidChangeSetStatus", "ChangeSet [%s] cannot be executed in its current execution status of [%s]", cs.ID, cs.ExecutionStatus)
	}
	s, err := findStack(c, cs.StackID)
	if err != nil {
		return nil, err
	}
	p, err := parseBody(cs.TemplateBody, s.Name)
	if err != nil {
		return nil, err
	}
	in := runInput{p: p, params: cs.Parameters, values: map[string]string{}, onFailure: "ROLLBACK"}
	for _, sp := range cs.Parameters {
		in.values[sp.Key] = sp.Value
	}
	if c.In.Bool("DisableRollback") {
		in.onFailure = "DO_NOTHING"
	}
	in.retainExceptOnCreate = c.In.Bool("RetainExceptOnCreate")
	if cs.Type == "CREATE" && s.Status != statusReviewInProgress {
		return nil, apierr.Newf("InvalidChangeSetStatus", "ChangeSet [%s] cannot be executed in its current status of [%s]", cs.ID, s.Status)
	}
	if cs.Type != "CREATE" {
		if err := updatable(s); err != nil {
			return nil, err
		}

	}
	// The change set is spent; every other change set of the stack goes.
	var others []string
	c.Engine.Read(func(st *model.State) {
		for id, o := range st.ChangeSets {
			if o.StackID == s.ID && id != cs.ID {
				others = append(others, id)
			}
		}
	})
	if err := c.Engine.DeleteChangeSets(others...); err != nil {
		return nil, err
	}
	running := *cs
	running.ExecutionStatus = "EXECUTE_IN_PROGRESS"
	if err := c.Engine.PutChangeSet(&running); err != nil {
		return nil, err
	}
	if _, err := c.Engine.ChangeStack(s.ID, func(st *model.Stack) error {
		st.ChangeSetID = cs.ID
		st.Capabilities = cs.Capabilities
		if cs.Type == "CREATE" {
			// The stack was created (REVIEW_IN_PROGRESS) with the change
			// set; executing it is its first update.
			st.UpdatedAt = c.Engine.Now()
			st.DisableRollback = in.onFailure == "DO_NOTHING"
			st.TemplateBody, st.Parameters, st.Tags = cs.TemplateBody, cs.Parameters, cs.Tags
			st.Description = p.tpl.Description()
			if cs.RollbackConfigGiven {
				st.RollbackTriggers, st.RollbackMonitoringMinutes = cs.RollbackTriggers, cs.RollbackMonitoringMinutes
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	var result *model.Stack
	switch denied := policyDenials(s.Policy, cs.Changes); {
	case cs.Type == "CREATE":
		// create reads the stack as ChangeStack left it: with the change
		// set's RollbackConfiguration.
		if s, err = findStack(c, s.ID); err != nil {
			return nil, err
		}
		result, err = create(c, s, in)
	case denied != nil:
		// The stack policy denies what the change set would do: the
		// update fails before it changes anything.
		result, err = policyDenied(c, s, denied)
	default:
		// The change set's RollbackConfiguration, else the stack's, and
		// the stack keeps the one it gives (as UpdateStack's).
		result, err = update(c, withRollbackConfig(s, cs.RollbackTriggers, cs.RollbackMonitoringMinutes, cs.RollbackConfigGiven), in)
		if err == nil && cs.RollbackConfigGiven {
			_, err = c.Engine.ChangeStack(s.ID, func(st *model.Stack) error {
				st.RollbackTriggers, st.RollbackMonitoringMinutes = cs.RollbackTriggers, cs.RollbackMonitoringMinutes
				return nil
			})
		}
	}
	if err != nil {
		// The operation did not run: the change set is not left
		// EXECUTE_IN_PROGRESS (which nothing would end).
		if merr := markChangeSet(c, cs.ID, "EXECUTE_FAILED", nil); merr != nil {
			return nil, merr
		}
		return nil, err
	}
	// EXECUTE_IN_PROGRESS while the stack's operation goes on (waiting on
	// its ECS services: settle marks it when it ends).
	switch {
	case strings.HasSuffix(result.Status, "_IN_PROGRESS"):
	case strings.HasSuffix(result.Status, "FAILED") || strings.Contains(result.Status, "ROLLBACK") || result.Status == statusDeleteComplete:
		err = markChangeSet(c, cs.ID, "EXECUTE_FAILED", nil)
	default:
		err = markChangeSet(c, cs.ID, "EXECUTE_COMPLETE", nil)
	}
	if err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

// stackNameOf is the name of s, or name when there is no stack yet.
func stackNameOf(s *model.Stack, name string) string {
	if s != nil {
		return s.Name
	}
	return name
}

// attributesChanged reports whether a resource's Metadata, CreationPolicy,
// UpdatePolicy, DeletionPolicy or UpdateReplacePolicy differs between two
// of its definitions (tplResource.Props). A change set lists such a change
// as a Modify of Replacement False, its Scope the attribute (a DependsOn
// change alone is no change).
func attributesChanged(oldDef, newDef string) bool {
	was, now := definitionOf(oldDef), definitionOf(newDef)
	for _, attr := range []string{"Metadata", "CreationPolicy", "UpdatePolicy", "DeletionPolicy", "UpdateReplacePolicy"} {
		if !sameNode(mapGet(was, attr), mapGet(now, attr)) {
			return true
		}
	}
	return false
}

// replacedByPolicy marks the details of a replacement that comes from the
// resource's UpdatePolicy (AutoScalingReplacingUpdate), not from its
// properties' own rules: the properties whose change replaces the group
// there require recreation Always, so that Replacement True and its
// details agree.
func replacedByPolicy(typ string, details []model.ChangeDetail) {
	for i, d := range details {
		if d.Attribute == "Properties" && cfn.ReplacedByUpdatePolicy(typ, d.Name) {
			details[i].RequiresRecreation = "Always"
		}
	}
}
