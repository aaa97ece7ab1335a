package cloudformation

import (
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Nested stacks. A stack's AWS::CloudFormation::Stack resources are
// stacks of their own to the API, as in CloudFormation: DescribeStacks
// finds them by name or id (ParentId, RootId), with their parameters,
// outputs, resources and events, named PARENT-LOGICALID-RANDOM. internal/cfn
// deploys them with the parent (their resources are the parent's records
// under "LOGICALID/…", which the parent's delete deletes); these records
// follow the parent: made by its create or update, deleted with it.

// syncNested records the nested stacks a successful create or update of
// parent deployed (out.Nested, at any depth) and marks deleted those of
// its nested stacks the deploy no longer has.
func syncNested(c *api.Call, parent *model.Stack, out *cfn.Stack, p *parsed, status string, now time.Time) error {
	root := parent.RootID
	if root == "" {
		root = parent.ID
	}
	keep := map[string]bool{}
	for _, r := range parent.Resources {
		// A nested stack the update left alone (its resource bound as it
		// was) is not redeployed, and stays.
		if r.Type == typeStackResource && r.Status != statusDeleteComplete {
			keep[r.PhysicalID] = true
		}
	}
	global, gerr := c.IAM()
	for _, n := range out.Nested {
		keep[n.ID] = true
		// A nested stack holding a resource the parent still waits on
		// (an ECS service to stabilize) is CREATE_IN_PROGRESS until it
		// completes (completeNested).
		// An update's is UPDATE_IN_PROGRESS, its new template, outputs
		// and parameters kept aside until it completes (its Update, as
		// the parent's: settleUpdate).
		waiting := slices.Contains(parent.Waiting, n.LogicalID)
		rec := nestedRecord(parent, root, n, status, now)
		if waiting {
			rec.Status = statusCreateInProgress
			if status != statusCreateComplete {
				rec.Status = statusUpdateInProgress
			}
			for i := range rec.Resources {
				path := n.LogicalID + "/" + rec.Resources[i].LogicalID
				if slices.Contains(parent.Waiting, path) {
					rec.Resources[i].Status = statusCreateInProgress
					if status != statusCreateComplete {
						rec.Resources[i].Status = stackResource(parent, path).Status
					}
				}
			}
		}
		// Its template, for GetTemplate and GetTemplateSummary: the S3
		// object its TemplateURL names (n.File), as the deploy read it.
		if gerr == nil {
			if text, tpl, terr := p.nested.get(global, n.File); terr == nil {
				rec.TemplateBody, rec.Description = text, tpl.Description()
			}
		}
		var exists, resumed, updating bool
		var since time.Time
		c.Engine.Read(func(st *model.State) {
			if old := st.Stacks[n.ID]; old != nil {
				exists = true
				// An update resumed (update_held.go): the nested stack's
				// update goes on, completed by completeNested.
				updating = old.Status == statusUpdateInProgress && status == statusUpdateComplete
				// A create resumed (held.go): the nested stack goes on
				// with its create, no update of it.
				resumed = old.Status == statusCreateInProgress && status == statusCreateComplete
				if len(old.Events) > 0 {
					since = old.Events[len(old.Events)-1].Timestamp
				}
			}
		})
		moved := nestedEvents(parent.Events, n.LogicalID, since)
		start := now
		if len(moved) > 0 {
			start = moved[0].Timestamp.Add(-time.Millisecond)
		}
		if !exists {
			rec.Events = []model.StackEvent{
				{ID: uuid(), LogicalID: rec.Name, PhysicalID: rec.ID, Type: typeStackResource, Status: statusCreateInProgress, StatusReason: "User Initiated", Timestamp: start},
			}
			if err := c.Engine.CreateStack(rec); err != nil {
				return err
			}
		}
		if _, err := c.Engine.ChangeStack(n.ID, func(s *model.Stack) error {
			events := s.Events
			created := s.CreatedAt
			if (waiting || updating) && exists && !resumed {
				prior := s.Resources
				if updating && s.Update != nil {
					prior = s.Update.Prior
				}
				rec.Status = statusUpdateInProgress
				rec.Update = &model.StackUpdate{TemplateBody: rec.TemplateBody, Description: rec.Description, Parameters: rec.Parameters,
					Outputs: rec.Outputs, Imports: rec.Imports, Prior: prior}
				rec.TemplateBody, rec.Description, rec.Parameters = s.TemplateBody, s.Description, s.Parameters
				rec.Outputs, rec.Imports = s.Outputs, s.Imports
			}
			*s = *rec
			s.CreatedAt = created
			if updating {
				s.UpdatedAt, s.Events = now, events
				return nil // its events move when it completes (completeNested)
			}
			if exists && !resumed {
				s.UpdatedAt = now
				events = append(events, model.StackEvent{ID: uuid(), LogicalID: s.Name, PhysicalID: s.ID, Type: typeStackResource,
					Status: "UPDATE_IN_PROGRESS", StatusReason: "User Initiated", Timestamp: start})
			}
			events = append(events, moved...)
			if waiting {
				s.Events = events
				return nil
			}
			end := now
			if n := len(events); n > 0 && !end.After(events[n-1].Timestamp) {
				end = events[n-1].Timestamp.Add(time.Millisecond)
			}
			s.Events = append(events, model.StackEvent{ID: uuid(), LogicalID: s.Name, PhysicalID: s.ID, Type: typeStackResource,
				Status: status, Timestamp: end})
			return nil
		}); err != nil {
			return err
		}
	}
	return deleteNested(c, root, keep, now)
}

// withNestedStacks adds to waiting (the logical ids of a create's
// resources that wait) the nested stacks among res that hold one of them,
// or one held back (held: not created yet, cfn.Stack.Held), at any depth:
// a nested stack, and the parent's AWS::CloudFormation::Stack resource,
// are CREATE_COMPLETE only once its resources are.
func withNestedStacks(res []model.StackResource, waiting, held []string) []string {
	out := waiting
	for _, r := range res {
		if r.Type != typeStackResource || slices.Contains(out, r.LogicalID) {
			continue
		}
		under := func(id string) bool { return strings.HasPrefix(id, r.LogicalID+"/") }
		if slices.ContainsFunc(waiting, under) || slices.ContainsFunc(held, under) {
			out = append(out, r.LogicalID)
		}
	}
	return out
}

// completeNested completes the nested stacks among stable (logical ids
// of parent's resources now CREATE_COMPLETE, the parent's events
// recorded): each record takes the events of its resources since its
// last one, then CREATE_COMPLETE.
func completeNested(c *api.Call, parent *model.Stack, stable []string, now time.Time) error {
	for _, id := range stable {
		r := stackResource(parent, id)
		if r.Type != typeStackResource || r.PhysicalID == "" {
			continue
		}
		if _, err := c.Engine.ChangeStack(r.PhysicalID, func(s *model.Stack) error {
			if s.Status != statusCreateInProgress && s.Status != statusUpdateInProgress {
				return nil
			}
			var since time.Time
			if len(s.Events) > 0 {
				since = s.Events[len(s.Events)-1].Timestamp
			}
			moved := nestedEvents(parent.Events, id, since)
			var cleanup []model.StackEvent
			if s.Status == statusUpdateInProgress {
				// The deletions are its cleanup's.
				cleanup = slices.DeleteFunc(slices.Clone(moved), func(e model.StackEvent) bool { return !strings.HasPrefix(e.Status, "DELETE_") })
				moved = slices.DeleteFunc(moved, func(e model.StackEvent) bool { return strings.HasPrefix(e.Status, "DELETE_") })
			}
			s.Events = append(s.Events, moved...)
			self := func(status string) {
				t := now
				if n := len(s.Events); n > 0 && !t.After(s.Events[n-1].Timestamp) {
					t = s.Events[n-1].Timestamp.Add(time.Millisecond)
				}
				s.Events = append(s.Events, model.StackEvent{ID: uuid(), LogicalID: s.Name, PhysicalID: s.ID, Type: typeStackResource,
					Status: status, Timestamp: t})
			}
			if s.Status == statusUpdateInProgress {
				// An update that waited (syncNested): its cleanup, then
				// its new template, outputs and parameters.
				self(statusUpdateCleanup)
				s.Events = append(s.Events, cleanup...)
				self(statusUpdateComplete)
				s.Status, s.UpdatedAt = statusUpdateComplete, now
				if u := s.Update; u != nil {
					s.TemplateBody, s.Description, s.Parameters, s.Outputs, s.Imports = u.TemplateBody, u.Description, u.Parameters, u.Outputs, u.Imports
				}
				s.Update = nil
				for i := range s.Resources {
					switch s.Resources[i].Status {
					case statusCreateInProgress:
						s.Resources[i].Status, s.Resources[i].UpdatedAt = statusCreateComplete, now
					case statusUpdateInProgress:
						s.Resources[i].Status, s.Resources[i].UpdatedAt = statusUpdateComplete, now
					}
				}
				return nil
			}
			self(statusCreateComplete)
			s.Status = statusCreateComplete
			for i := range s.Resources {
				if s.Resources[i].Status == statusCreateInProgress {
					s.Resources[i].Status, s.Resources[i].UpdatedAt = statusCreateComplete, now
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// typeStackResource is the type of a stack's own events.
const typeStackResource = "AWS::CloudFormation::Stack"

// nestedRecord is the record of nested stack n of parent.
func nestedRecord(parent *model.Stack, root string, n *cfn.Stack, status string, now time.Time) *model.Stack {
	s := &model.Stack{ID: n.ID, Name: n.Name, Status: status, CreatedAt: now, ParentID: n.ParentID, RootID: root,
		Capabilities: parent.Capabilities, DisableRollback: parent.DisableRollback, Tags: parent.Tags, Imports: n.Imports,
		Outputs: outputsOf(n), TimeoutInMinutes: int64(n.TimeoutInMinutes)}
	if s.ParentID == "" {
		s.ParentID = parent.ID
	}
	keys := make([]string, 0, len(n.Parameters))
	for k := range n.Parameters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s.Parameters = append(s.Parameters, model.StackParameter{Key: k, Value: n.Parameters[k]})
	}
	prefix := n.LogicalID + "/"
	for _, r := range n.Resources {
		id, ok := strings.CutPrefix(r.LogicalID, prefix)
		if !ok || strings.Contains(id, "/") {
			continue // a resource of a stack nested deeper
		}
		s.Resources = append(s.Resources, model.StackResource{LogicalID: id, PhysicalID: r.PhysicalID, Type: r.Type,
			Status: statusCreateComplete, UpdatedAt: now, Modeled: true})
	}
	for _, sk := range n.Skipped {
		id, ok := strings.CutPrefix(sk.LogicalID, prefix)
		if !ok || strings.Contains(id, "/") {
			continue
		}
		s.Resources = append(s.Resources, model.StackResource{LogicalID: id, PhysicalID: sk.PhysicalID, Type: sk.Type,
			Status: statusCreateComplete, StatusReason: notModeled(sk.Type, sk.Reason), UpdatedAt: now})
	}
	return s
}

// nestedEvents returns the events of the parent's records (events) that
// are a nested stack's own, the stack whose resource path is path (its
// resources' "PATH/LOGICAL", not deeper ones), after since, with the
// nested stack's logical ids.
func nestedEvents(events []model.StackEvent, path string, since time.Time) []model.StackEvent {
	var out []model.StackEvent
	for _, e := range events {
		id, ok := strings.CutPrefix(e.LogicalID, path+"/")
		if !ok || strings.Contains(id, "/") || !e.Timestamp.After(since) {
			continue
		}
		e.LogicalID = id
		out = append(out, e)
	}
	return out
}

// deleteNested marks deleted the live nested stacks under root that keep
// does not hold (all of them when keep is empty: the root was deleted).
func deleteNested(c *api.Call, root string, keep map[string]bool, now time.Time) error {
	var ids []string
	c.Engine.Read(func(st *model.State) {
		for id, s := range st.Stacks {
			if s.RootID == root && !keep[id] && s.Status != engine.StackDeleted {
				ids = append(ids, id)
			}
		}
	})
	sort.Strings(ids)
	// The nested stacks' resource paths and the events of their
	// resources' deletion are the root's records.
	var rootEvents []model.StackEvent
	paths := map[string]string{}
	c.Engine.Read(func(st *model.State) {
		if r := st.Stacks[root]; r != nil {
			rootEvents = r.Events
			for _, res := range r.Resources {
				if res.Type == typeStackResource {
					paths[res.PhysicalID] = res.LogicalID
				}
			}
		}
	})
	for _, id := range ids {
		if _, err := c.Engine.ChangeStack(id, func(s *model.Stack) error {
			var since time.Time
			if len(s.Events) > 0 {
				since = s.Events[len(s.Events)-1].Timestamp
			}
			moved := []model.StackEvent(nil)
			if path, ok := paths[id]; ok {
				moved = nestedEvents(rootEvents, path, since)
			}
			start, end := now, now
			if len(moved) > 0 {
				start = moved[0].Timestamp.Add(-time.Millisecond)
				end = moved[len(moved)-1].Timestamp.Add(time.Millisecond)
			}
			if !start.After(since) {
				start = since.Add(time.Millisecond) // after its own rollback (failNested)
			}
			if !end.After(start) {
				end = start.Add(time.Millisecond)
			}
			s.Events = append(s.Events,
				model.StackEvent{ID: uuid(), LogicalID: s.Name, PhysicalID: s.ID, Type: typeStackResource, Status: statusDeleteInProgress, StatusReason: "User Initiated", Timestamp: start})
			s.Events = append(s.Events, moved...)
			s.Events = append(s.Events,
				model.StackEvent{ID: uuid(), LogicalID: s.Name, PhysicalID: s.ID, Type: typeStackResource, Status: statusDeleteComplete, Timestamp: end})
			s.Status, s.StatusReason, s.DeletedAt = statusDeleteComplete, "", now
			for i := range s.Resources {
				s.Resources[i].Status = statusDeleteComplete
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// embeddedFailure records the nested stack in which a resource of a
// parent's create failed (ce, its reason why): the nested stack, named
// PARENT-LOGICAL-RANDOM, fails as a stack of its own (its resource
// CREATE_FAILED, then CREATE_FAILED with OnFailure DO_NOTHING, else its
// rollback to ROLLBACK_COMPLETE; the parent's rollback then deletes it).
// It returns the parent's AWS::CloudFormation::Stack logical id, the
// nested stack's ARN and the parent resource's reason: "Embedded stack
// ARN was not successfully created: The following resource(s) failed to
// create: [ID]. ".
func embeddedFailure(c *api.Call, parent *model.Stack, onFailure string, ce *cfn.Error, why string) (outer, arn, reason string, err error) {
	outer, _, _ = strings.Cut(ce.Stack[0], " (")
	inner, innerType := ce.Resource, ce.Type
	if len(ce.Stack) > 1 {
		// Deeper: the nested stack's own nested stack failed.
		inner, _, _ = strings.Cut(ce.Stack[1], " (")
		innerType = typeStackResource
	}
	root := parent.RootID
	if root == "" {
		root = parent.ID
	}
	name := parent.Name + "-" + outer + "-" + strings.ToUpper(engine.RandomIDs().Hex(12))
	arn = stackARN(c, name)
	innerReason := "The following resource(s) failed to create: [" + inner + "]. "
	now := c.Engine.Now()
	tick := now
	ev := func(logical, typ, phys, status, reason string) model.StackEvent {
		tick = tick.Add(time.Millisecond)
		return model.StackEvent{ID: uuid(), LogicalID: logical, PhysicalID: phys, Type: typ, Status: status, StatusReason: reason, Timestamp: tick}
	}
	rec := &model.Stack{ID: arn, Name: name, ParentID: parent.ID, RootID: root, CreatedAt: now, Capabilities: parent.Capabilities,
		DisableRollback: onFailure == "DO_NOTHING", Tags: parent.Tags}
	rec.Events = []model.StackEvent{
		ev(name, typeStackResource, arn, statusCreateInProgress, "User Initiated"),
		ev(inner, innerType, "", statusCreateInProgress, ""),
		ev(inner, innerType, "", statusCreateFailed, why),
	}
	failed := model.StackResource{LogicalID: inner, Type: innerType, Status: statusCreateFailed, StatusReason: why, UpdatedAt: now}
	if onFailure == "DO_NOTHING" {
		rec.Events = append(rec.Events, ev(name, typeStackResource, arn, statusCreateFailed, innerReason))
		rec.Status, rec.StatusReason = statusCreateFailed, innerReason
	} else {
		rec.Events = append(rec.Events,
			ev(name, typeStackResource, arn, statusRollbackInProgress, innerReason+"Rollback requested by user."),
			ev(inner, innerType, "", statusDeleteComplete, ""),
			ev(name, typeStackResource, arn, statusRollbackComplete, ""))
		rec.Status, rec.StatusReason = statusRollbackComplete, innerReason+"Rollback requested by user."
		failed.Status, failed.StatusReason = statusDeleteComplete, ""
	}
	rec.Resources = []model.StackResource{failed}
	if err := c.Engine.CreateStack(rec); err != nil {
		return "", "", "", err
	}
	return outer, arn, "Embedded stack " + arn + " was not successfully created: " + innerReason, nil
}

// failNested records, in their own events, the nested stacks of parent
// whose create failed in the background (settleFailed): reasons maps each
// one's logical id in parent to its stack's reason ("The following
// resource(s) failed to create: [ID]. ", or the create timeout's). A
// nested stack shows its resources' events up to their failure, then
// CREATE_FAILED with OnFailure DO_NOTHING, else ROLLBACK_IN_PROGRESS
// ("… Rollback requested by user."), the deletion of its resources and
// ROLLBACK_COMPLETE (the parent's rollback, deleteNested, then deletes it).
// It runs after the parent's events are committed.
func failNested(c *api.Call, parent string, reasons map[string]string, onFailure string, now time.Time) error {
	var events []model.StackEvent
	paths := map[string]string{}
	c.Engine.Read(func(st *model.State) {
		if p := st.Stacks[parent]; p != nil {
			events = p.Events
			for _, r := range p.Resources {
				if _, ok := reasons[r.LogicalID]; ok && r.Type == typeStackResource && r.PhysicalID != "" {
					paths[r.PhysicalID] = r.LogicalID
				}
			}
		}
	})
	// The parent's rollback starts at its last ROLLBACK_IN_PROGRESS (or
	// DELETE_IN_PROGRESS) event: what comes after is the deletion.
	var rollbackAt time.Time
	for _, e := range events {
		if e.Type == typeStackResource && e.PhysicalID == parent && (e.Status == statusRollbackInProgress || e.Status == statusDeleteInProgress) {
			rollbackAt = e.Timestamp
		}
	}
	for _, id := range slices.Sorted(maps.Keys(paths)) {
		path := paths[id]
		if _, err := c.Engine.ChangeStack(id, func(s *model.Stack) error {
			if s.Status != statusCreateInProgress {
				return nil
			}
			var since time.Time
			if len(s.Events) > 0 {
				since = s.Events[len(s.Events)-1].Timestamp
			}
			at := func(t time.Time) time.Time {
				if n := len(s.Events); n > 0 && !t.After(s.Events[n-1].Timestamp) {
					return s.Events[n-1].Timestamp.Add(time.Millisecond)
				}
				return t
			}
			self := func(status, reason string, t time.Time) {
				s.Events = append(s.Events, model.StackEvent{ID: uuid(), LogicalID: s.Name, PhysicalID: s.ID, Type: typeStackResource,
					Status: status, StatusReason: reason, Timestamp: at(t)})
			}
			moved := nestedEvents(events, path, since)
			var deletion []model.StackEvent
			for i, e := range moved {
				if !rollbackAt.IsZero() && e.Timestamp.After(rollbackAt) {
					moved, deletion = moved[:i], moved[i:]
					break
				}
			}
			s.Events = append(s.Events, moved...)
			reason := reasons[path]
			if onFailure == "DO_NOTHING" {
				self(statusCreateFailed, reason, now)
				s.Status, s.StatusReason = statusCreateFailed, reason
				for i := range s.Resources {
					if s.Resources[i].Status == statusCreateInProgress {
						s.Resources[i].Status, s.Resources[i].StatusReason = statusCreateFailed, "Resource creation cancelled"
					}
				}
				return nil
			}
			self(statusRollbackInProgress, reason+"Rollback requested by user.", rollbackAt)
			s.Events = append(s.Events, deletion...)
			end := now
			if n := len(deletion); n > 0 {
				end = deletion[n-1].Timestamp
			}
			self(statusRollbackComplete, "", end)
			s.Status, s.StatusReason = statusRollbackComplete, reason+"Rollback requested by user."
			for i := range s.Resources {
				s.Resources[i].Status, s.Resources[i].StatusReason = statusDeleteComplete, ""
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// rollBackNested records, in their own events, the rollback of the
// nested stacks whose update parent waited on (their records
// UPDATE_IN_PROGRESS, syncNested) when the update failed (updateWaitFailed):
// their resources' events up to the failure, UPDATE_ROLLBACK_IN_PROGRESS
// with reasons' reason (by logical id in parent; "Resource update
// cancelled" for one not named), their resources as before the update;
// then, when finish (the parent's rollback is done), the deletions of its
// cleanup and UPDATE_ROLLBACK_COMPLETE. A rollback that waits on services
// finishes them later (settleRollback, reasons nil).
func rollBackNested(c *api.Call, parent string, reasons map[string]string, finish bool, now time.Time) error {
	var events []model.StackEvent
	paths := map[string]string{}
	c.Engine.Read(func(st *model.State) {
		p := st.Stacks[parent]
		if p == nil {
			return
		}
		events = p.Events
		for _, r := range p.Resources {
			if r.Type == typeStackResource && r.PhysicalID != "" {
				if n := st.Stacks[r.PhysicalID]; n != nil && (n.Status == statusUpdateInProgress || n.Status == statusUpdateRollbackIP) {
					paths[r.PhysicalID] = r.LogicalID
				}
			}
		}
	})
	for _, id := range slices.Sorted(maps.Keys(paths)) {
		path := paths[id]
		if _, err := c.Engine.ChangeStack(id, func(s *model.Stack) error {
			var since time.Time
			if len(s.Events) > 0 {
				since = s.Events[len(s.Events)-1].Timestamp
			}
			self := func(status, reason string) {
				t := now
				if n := len(s.Events); n > 0 && !t.After(s.Events[n-1].Timestamp) {
					t = s.Events[n-1].Timestamp.Add(time.Millisecond)
				}
				s.Events = append(s.Events, model.StackEvent{ID: uuid(), LogicalID: s.Name, PhysicalID: s.ID, Type: typeStackResource,
					Status: status, StatusReason: reason, Timestamp: t})
			}
			moved := nestedEvents(events, path, since)
			deletions := slices.DeleteFunc(slices.Clone(moved), func(e model.StackEvent) bool { return !strings.HasPrefix(e.Status, "DELETE_") })
			moved = slices.DeleteFunc(moved, func(e model.StackEvent) bool { return strings.HasPrefix(e.Status, "DELETE_") })
			s.Events = append(s.Events, moved...)
			if s.Status == statusUpdateInProgress {
				reason, ok := reasons[path]
				if !ok {
					reason = "Resource update cancelled"
				}
				self(statusUpdateRollbackIP, reason)
				s.Status, s.StatusReason = statusUpdateRollbackIP, reason
				if u := s.Update; u != nil {
					s.Resources = u.Prior
				}
				s.Update = nil
			}
			if finish {
				self(statusUpdateRollbackCln, "")
				s.Events = append(s.Events, deletions...)
				self(statusUpdateRollbackDone, "")
				s.Status, s.StatusReason = statusUpdateRollbackDone, ""
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}
