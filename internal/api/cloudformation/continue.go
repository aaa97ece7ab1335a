package cloudformation

import (
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// ContinueUpdateRollback takes a stack in UPDATE_ROLLBACK_FAILED (an update
// rollback whose ECS service did not stabilize again, settleRollback) on
// to UPDATE_ROLLBACK_COMPLETE: the resources named in ResourcesToSkip
// ("Nested.Resource" for one of a nested stack) are UPDATE_COMPLETE as they
// are; the other failed ones are rolled back again (a failed service gets
// a new deployment of its previous configuration, and the rollback waits
// on it as before), then the cleanup deletes what the update had created.

// skippedDuringRollback is the reason of a resource ContinueUpdateRollback
// skipped ([choice]).
const skippedDuringRollback = "Resource skipped during rollback"

func continueUpdateRollback(c *api.Call) (map[string]any, error) {
	s, err := findStack(c, c.In.String("StackName"))
	if err != nil {
		return nil, err
	}
	if s.Status != statusUpdateRollbackFail || s.ParentID != "" {
		// A nested stack is continued through its root stack.
		return nil, validation("ContinueUpdateRollback cannot be called from current stack status")
	}
	if err := checkStackRole(c, c.In.String("RoleARN")); err != nil {
		return nil, err
	}
	skip := map[string]bool{} // logical ids in the stack's record (a nested one's "Nested/Resource")
	var unknown, notFailed []string
	for _, name := range c.In.Strings("ResourcesToSkip") {
		id := strings.Replace(name, ".", "/", 1)
		i := slices.IndexFunc(s.Resources, func(r model.StackResource) bool { return r.LogicalID == id })
		switch {
		case i < 0:
			unknown = append(unknown, name)
		case s.Resources[i].Status != statusUpdateFailed || s.Resources[i].Type == typeStackResource && !nestedStackDeleted(c, s.Resources[i].PhysicalID):
			notFailed = append(notFailed, name)
		default:
			skip[id] = true
		}
	}
	if len(unknown) > 0 {
		return nil, validation("ResourcesToSkip [%s] do not exist in stack %s", strings.Join(unknown, ", "), s.Name)
	}
	if len(notFailed) > 0 {
		return nil, validation("Resources [%s] cannot be skipped: only resources in UPDATE_FAILED state after a failed rollback can be skipped", strings.Join(notFailed, ", "))
	}
	now := c.Engine.Now()
	rec := newRecorder(c, s)
	if u := s.Update; u != nil && len(u.Prior) > 0 {
		// The previous template could not be deployed again
		// (updateWaitFailed): the rollback starts over.
		for _, r := range s.Resources {
			if skip[r.LogicalID] {
				rec.resource(r, statusUpdateComplete, skippedDuringRollback)
			}
		}
		if err := continueNested(c, s.ID, now); err != nil {
			return nil, err
		}
		s.Waiting, s.MonitorUntil = nil, time.Time{}
		return map[string]any{}, updateWaitFailed(c, rec, s, nil, "", "", "User Initiated")
	}
	var cleanup []model.StackResource
	if s.Update != nil && s.Update.Rollback {
		cleanup = slices.Clone(s.Update.Cleanup)
	}
	rec.stack(statusUpdateRollbackIP, "User Initiated")
	res := slices.Clone(s.Resources)
	var retry []int
	for i, r := range res {
		if r.Status != statusUpdateFailed {
			continue
		}
		if skip[r.LogicalID] {
			rec.resource(r, statusUpdateComplete, skippedDuringRollback)
			res[i].Status, res[i].StatusReason, res[i].UpdatedAt = statusUpdateComplete, skippedDuringRollback, now
			continue
		}
		if r.Type == "AWS::ECS::Service" && r.Modeled {
			// Its previous configuration, deployed again.
			if _, err := c.Engine.UpdateService(engine.UpdateServiceInput{Cluster: r.Keys["Cluster"], Service: r.PhysicalID, ForceNewDeployment: true}); err != nil {
				rec.stack(statusUpdateRollbackFail, "The following resource(s) failed to update: ["+r.LogicalID+"]. ")
				_, cerr := rec.commit(func(st *model.Stack) {
					st.Status, st.StatusReason = statusUpdateRollbackFail, "The following resource(s) failed to update: ["+r.LogicalID+"]. "
				})
				return map[string]any{}, cerr
			}
		}
		retry = append(retry, i)
	}
	if err := continueNested(c, s.ID, now); err != nil {
		return nil, err
	}
	waiting, err := rollbackWaits(c, rec, s, res, retry, cleanup)
	if err != nil || waiting != nil {
		return map[string]any{}, err
	}
	rec.stack(statusUpdateRollbackCln, "")
	deleteResources(c, rec, cleanup)
	rec.stack(statusUpdateRollbackDone, "")
	_, err = rec.commit(func(st *model.Stack) {
		st.Status, st.StatusReason, st.Resources = statusUpdateRollbackDone, "", res
		st.Waiting, st.WaitUntil, st.Update = nil, time.Time{}, nil
	})
	if err == nil {
		err = rollBackNested(c, s.ID, nil, true, c.Engine.Now())
	}
	return map[string]any{}, err
}

// nestedStackDeleted reports whether the nested stack of an
// AWS::CloudFormation::Stack resource is DELETE_IN_PROGRESS,
// DELETE_COMPLETE or DELETE_FAILED, the states in which ResourcesToSkip may
// name that resource (API reference, ContinueUpdateRollback).
func nestedStackDeleted(c *api.Call, id string) bool {
	deleted := true
	c.Engine.Read(func(st *model.State) {
		if n := st.Stacks[id]; n != nil {
			deleted = strings.HasPrefix(n.Status, "DELETE_")
		}
	})
	return deleted
}

// continueNested moves the nested stacks of parent whose rollback failed
// with it (UPDATE_ROLLBACK_FAILED) back to UPDATE_ROLLBACK_IN_PROGRESS, to
// complete with the parent's rollback (rollBackNested).
func continueNested(c *api.Call, parent string, now time.Time) error {
	for _, id := range nestedOf(c, parent, statusUpdateRollbackFail) {
		if _, err := c.Engine.ChangeStack(id, func(s *model.Stack) error {
			s.Events = append(s.Events, nestedEvent(s, statusUpdateRollbackIP, "User Initiated", now))
			s.Status, s.StatusReason = statusUpdateRollbackIP, "User Initiated"
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// nestedOf returns the ids of the nested stacks of parent (at any depth
// its record lists) that are in status.
func nestedOf(c *api.Call, parent, status string) []string {
	var out []string
	c.Engine.Read(func(st *model.State) {
		p := st.Stacks[parent]
		if p == nil {
			return
		}
		for _, r := range p.Resources {
			if r.Type == typeStackResource && r.PhysicalID != "" {
				if n := st.Stacks[r.PhysicalID]; n != nil && n.Status == status {
					out = append(out, n.ID)
				}
			}
		}
	})
	slices.Sort(out)
	return out
}

// nestedEvent is an event of a nested stack itself, a millisecond after its
// last one.
func nestedEvent(s *model.Stack, status, reason string, now time.Time) model.StackEvent {
	t := now.Truncate(time.Millisecond)
	if n := len(s.Events); n > 0 && !t.After(s.Events[n-1].Timestamp) {
		t = s.Events[n-1].Timestamp.Add(time.Millisecond)
	}
	return model.StackEvent{ID: uuid(), LogicalID: s.Name, PhysicalID: s.ID, Type: typeStackResource, Status: status, StatusReason: reason, Timestamp: t}
}

// endNestedRollback ends the rollback of the nested stacks of parent when the
// parent's rollback failed (UPDATE_ROLLBACK_FAILED): each is first rolled
// back as far as the parent's went (rollBackNested, with reasons), then the one holding
// the resource that failed (failedID, "Nested/Resource" in the parent's
// record) is UPDATE_ROLLBACK_FAILED with the resource's name, the others
// UPDATE_ROLLBACK_COMPLETE, as CloudFormation leaves them [choice]; none
// stays UPDATE_IN_PROGRESS or UPDATE_ROLLBACK_IN_PROGRESS.
func endNestedRollback(c *api.Call, parent *model.Stack, reasons map[string]string, failedID string, now time.Time) error {
	if err := rollBackNested(c, parent.ID, reasons, false, now); err != nil {
		return err
	}
	path := map[string]string{}
	for _, r := range parent.Resources {
		if r.Type == typeStackResource {
			path[r.PhysicalID] = r.LogicalID
		}
	}
	for _, id := range nestedOf(c, parent.ID, statusUpdateRollbackIP) {
		p := path[id]
		inner, holds := strings.CutPrefix(failedID, p+"/")
		if _, err := c.Engine.ChangeStack(id, func(s *model.Stack) error {
			if holds {
				inner, _, _ = strings.Cut(inner, "/")
				reason := "The following resource(s) failed to update: [" + inner + "]. "
				s.Events = append(s.Events, nestedEvent(s, statusUpdateRollbackFail, reason, now))
				s.Status, s.StatusReason = statusUpdateRollbackFail, reason
				return nil
			}
			s.Events = append(s.Events, nestedEvent(s, statusUpdateRollbackCln, "", now))
			s.Events = append(s.Events, nestedEvent(s, statusUpdateRollbackDone, "", now))
			s.Status, s.StatusReason = statusUpdateRollbackDone, ""
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}
