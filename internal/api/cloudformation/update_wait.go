package cloudformation

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// An update waits for the ECS services it created, updated or replaced to
// stabilize, as a create does: the stack stays UPDATE_IN_PROGRESS, those
// services UPDATE_IN_PROGRESS (CREATE_IN_PROGRESS when new), and the
// cleanup waits (model.Stack.Update). When they are stable the update
// completes: their UPDATE_COMPLETE, UPDATE_COMPLETE_CLEANUP_IN_PROGRESS,
// the cleanup, UPDATE_COMPLETE. When one fails (its circuit breaker
// trips, or the wait times out) it is UPDATE_FAILED, and the stack rolls
// back: its previous template is deployed over what the update made
// (what the update changed in place changes back, the old resources of
// replaced ones are bound again), and what the update created is deleted
// (UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS).

// settleUpdate looks at the services one update waits on.
func settleUpdate(c *api.Call, s *model.Stack) error {
	now := c.Engine.Now()
	if monitors(s) {
		if why := rollbackTriggered(c, s); why != "" {
			return updateWaitFailed(c, newRecorder(c, s), s, nil, "", why, why+" ")
		}
	}
	s, err := controlWaitingEnvs(c, s)
	if err != nil {
		return err
	}
	stable, failedID, reason := waitingServices(c, s)
	switch {
	case len(s.Waiting) == 0 && !s.MonitorUntil.IsZero():
		// Deployed and monitored: the cleanup waits for the period's end.
		if now.Before(s.MonitorUntil) {
			return nil
		}
	case failedID == "" && len(stable) == 0:
		return nil
	}
	rec := newRecorder(c, s)
	done := func(st string) string {
		if st == statusCreateInProgress {
			return statusCreateComplete
		}
		return statusUpdateComplete
	}
	for _, id := range stable {
		r := stackResource(s, id)
		rec.resource(r, done(r.Status), "")
	}
	left := slices.DeleteFunc(slices.Clone(s.Waiting), func(id string) bool { return slices.Contains(stable, id) })
	markStable := func(res []model.StackResource) {
		for i := range res {
			if slices.Contains(stable, res[i].LogicalID) {
				res[i].Status, res[i].UpdatedAt, res[i].Await = done(res[i].Status), now, nil
			}
		}
	}
	if failedID != "" {
		// A resource of a nested stack: the stack's own resource failed.
		outer, _, _ := strings.Cut(failedID, "/")
		return updateWaitFailed(c, rec, s, stable, failedID, reason, "The following resource(s) failed to update: ["+outer+"]. ")
	}
	if len(s.Held) > 0 && !slices.ContainsFunc(left, func(id string) bool { return stackResource(s, id).Type != typeStackResource }) {
		// What waited is complete: what was held back behind it is
		// updated or created now (update_held.go).
		done, err := rec.commit(func(st *model.Stack) {
			st.Waiting = left
			markStable(st.Resources)
		})
		if err != nil {
			return err
		}
		return resumeUpdate(c, done)
	}
	if len(left) > 0 || monitors(s) && s.MonitorUntil.IsZero() {
		// Still waiting; or every resource is deployed and the
		// monitoring period of the rollback triggers starts.
		// The nested stacks complete with the update's cleanup
		// (finishUpdate), which deletes what they replaced.
		_, err := rec.commit(func(st *model.Stack) {
			st.Waiting = left
			markStable(st.Resources)
			if len(left) == 0 {
				st.MonitorUntil = monitorEnd(st, now)
			}
		})
		return err
	}
	return finishUpdate(c, rec, s, stable, now)
}

// updateWaitFailed records a service an update waited on that failed to
// stabilize (none: CancelUpdateStack), cancels the others, and rolls the
// update back.
func updateWaitFailed(c *api.Call, rec *recorder, s *model.Stack, stable []string, failedID, reason, stackReason string) error {
	u := s.Update
	if !s.MonitorUntil.IsZero() {
		// The rollback does not monitor the triggers.
		if _, err := c.Engine.ChangeStack(s.ID, func(st *model.Stack) error { st.MonitorUntil = time.Time{}; return nil }); err != nil {
			return err
		}
	}
	nestedReasons := map[string]string{}
	for _, id := range s.Waiting {
		if slices.Contains(stable, id) {
			continue
		}
		r := stackResource(s, id)
		why := "Resource update cancelled"
		switch {
		case id == failedID:
			why = reason
		case r.Type == typeStackResource && strings.HasPrefix(failedID, id+"/"):
			// The nested stack holding what failed fails with it, and
			// rolls back (rollBackNested).
			inner, _, _ := strings.Cut(strings.TrimPrefix(failedID, id+"/"), "/")
			nestedReasons[id] = "The following resource(s) failed to update: [" + inner + "]. "
			why = "Embedded stack " + r.PhysicalID + " was not successfully updated. Currently in UPDATE_ROLLBACK_IN_PROGRESS with reason: " + strings.TrimSuffix(nestedReasons[id], " ")
		}
		if r.Status == statusCreateInProgress {
			rec.resource(r, statusCreateFailed, why)
		} else {
			rec.resource(r, statusUpdateFailed, why)
		}
	}
	rec.stack(statusUpdateRollbackIP, stackReason)
	// The previous template, over what the update made.
	prior := map[string]model.StackResource{}
	for _, r := range u.Prior {
		if r.Status != statusDeleteComplete && r.Status != statusCreateFailed {
			prior[r.LogicalID] = r
		}
	}
	current := map[string]model.StackResource{}
	for _, r := range s.Resources {
		current[r.LogicalID] = r
	}
	existing := map[string]cfn.Existing{}
	for id, p := range prior {
		if r, ok := current[id]; ok && r.Type == p.Type && r.PhysicalID == p.PhysicalID {
			// Updated in place (or left alone): changed back in place.
			existing[id] = cfn.Existing{Type: r.Type, PhysicalID: r.PhysicalID, Keys: r.Keys, Props: r.Resolved, Attrs: r.Attrs}
			continue
		}
		// Replaced or removed: the old resource is still there (the
		// cleanup waited), bound again.
		existing[id] = cfn.Existing{Type: p.Type, PhysicalID: p.PhysicalID, Keys: p.Keys, Props: p.Resolved, Attrs: p.Attrs}
	}
	back, err := redeployPrior(c, s, existing)
	restored := slices.Clone(u.Prior)
	if err != nil {
		msg := err.Error()
		var ce *cfn.Error
		if errors.As(err, &ce) {
			msg = ce.Msg
		}
		rec.stack(statusUpdateRollbackFail, msg)
		_, cerr := rec.commit(func(st *model.Stack) {
			st.Status, st.StatusReason = statusUpdateRollbackFail, msg
			// ContinueUpdateRollback starts the rollback over from
			// the stack as it was before the update.
			st.Waiting, st.WaitUntil, st.Held = nil, time.Time{}, nil
			st.Update = &model.StackUpdate{Rollback: true, Prior: u.Prior}
		})
		if cerr == nil {
			cerr = endNestedRollback(c, s, nestedReasons, "", c.Engine.Now())
		}
		return markChangeSet(c, s.ChangeSetID, "EXECUTE_FAILED", cerr)
	}
	changed := map[string]bool{}
	for _, r := range back.Resources {
		if r.Change == cfn.ChangeModify {
			changed[r.LogicalID] = true
		}
	}
	var undone []int // what the rollback changed back
	for i, r := range restored {
		cur, ok := current[r.LogicalID]
		if !ok || r.Status == statusDeleteComplete || r.Status == statusCreateFailed {
			continue
		}
		if changed[r.LogicalID] || cur.PhysicalID != r.PhysicalID || slices.Contains(s.Waiting, r.LogicalID) {
			undone = append(undone, i)
		}
	}
	// What the update created: new resources, and the new resources of
	// replaced ones.
	var created []model.StackResource
	for _, r := range s.Resources {
		if p, had := prior[r.LogicalID]; !had || p.Type != r.Type || p.PhysicalID != r.PhysicalID {
			created = append(created, r)
		}
	}
	if waiting, err := rollbackWaits(c, rec, s, restored, undone, forRollback(created, s.RetainExceptOnCreate)); waiting != nil || err != nil {
		if err == nil {
			err = rollBackNested(c, s.ID, nestedReasons, false, c.Engine.Now())
		}
		return err
	}
	rec.stack(statusUpdateRollbackCln, "")
	deleteResources(c, rec, forRollback(created, s.RetainExceptOnCreate))
	rec.stack(statusUpdateRollbackDone, "")
	_, err = rec.commit(func(st *model.Stack) {
		st.Status, st.StatusReason, st.Resources = statusUpdateRollbackDone, "", restored
		st.Waiting, st.WaitUntil, st.Update, st.Held = nil, time.Time{}, nil, nil
	})
	if err == nil {
		err = rollBackNested(c, s.ID, nestedReasons, true, c.Engine.Now())
	}
	return markChangeSet(c, s.ChangeSetID, "EXECUTE_FAILED", err)
}

// redeployPrior deploys a stack's previous template (the one it keeps
// while an update waits) with its previous parameters over existing.
func redeployPrior(c *api.Call, s *model.Stack, existing map[string]cfn.Existing) (*cfn.Stack, error) {
	p, err := parseBody(s.TemplateBody, s.Name)
	if err != nil {
		return nil, err
	}
	in := runInput{p: p, params: s.Parameters, values: map[string]string{}, onFailure: "ROLLBACK"}
	for _, sp := range s.Parameters {
		in.values[sp.Key] = sp.Value
	}
	iam, err := c.IAM()
	if err != nil {
		return nil, err
	}
	var exports map[string]cfn.Export
	c.Engine.Read(func(state *model.State) { exports = exportsFor(state, s.ID) })
	o := deployOptions(c.Engine, iam, s, in, exports)
	o.ControlEnv = envController(c)
	o.Existing = existing
	return cfn.Deploy(c.Engine, p.tpl, o)
}

// rollbackWaits records the resources a rollback changed back (restored,
// at the indices back): UPDATE_IN_PROGRESS, then UPDATE_COMPLETE for all
// but the ECS services that now have to stabilize again. When there are
// such services, the rollback waits on them as the update did (the stack
// stays UPDATE_ROLLBACK_IN_PROGRESS, settleRollback finishes it, deleting
// cleanup then) and rollbackWaits returns the stack it committed; else
// nil, and the caller goes on with the cleanup.
func rollbackWaits(c *api.Call, rec *recorder, s *model.Stack, restored []model.StackResource, back []int, cleanup []model.StackResource) (*model.Stack, error) {
	now := c.Engine.Now()
	var waiting []string
	if d := stabilizeTimeout(c); d > 0 {
		var changed []model.StackResource
		for _, i := range back {
			changed = append(changed, restored[i])
		}
		waiting = servicesToWaitOn(c, changed)
	}
	for _, i := range back {
		r := restored[i]
		rec.resource(r, statusUpdateInProgress, "")
		restored[i].StatusReason, restored[i].UpdatedAt = "", now
		if slices.Contains(waiting, r.LogicalID) {
			restored[i].Status = statusUpdateInProgress
			continue
		}
		rec.resource(r, statusUpdateComplete, "")
		restored[i].Status = statusUpdateComplete
	}
	if len(waiting) == 0 {
		return nil, nil
	}
	return rec.commit(func(st *model.Stack) {
		st.Status, st.Resources, st.Held = statusUpdateRollbackIP, restored, nil
		st.Waiting, st.WaitUntil = waiting, now.Add(stabilizeTimeout(c))
		st.Update = &model.StackUpdate{Rollback: true, Cleanup: cleanup}
	})
}

// settleRollback looks at the services a rollback waits on: once they are
// stable, UPDATE_COMPLETE, the cleanup of what the update created,
// UPDATE_ROLLBACK_COMPLETE; one that fails to stabilize again leaves the
// stack UPDATE_ROLLBACK_FAILED.
func settleRollback(c *api.Call, s *model.Stack) error {
	now := c.Engine.Now()
	stable, failedID, reason := waitingServices(c, s)
	if failedID == "" && len(stable) == 0 {
		return nil
	}
	rec := newRecorder(c, s)
	res := slices.Clone(s.Resources)
	for i, r := range res {
		switch {
		case slices.Contains(stable, r.LogicalID):
			rec.resource(r, statusUpdateComplete, "")
			res[i].Status, res[i].UpdatedAt = statusUpdateComplete, now
		case r.LogicalID == failedID:
			rec.resource(r, statusUpdateFailed, reason)
			res[i].Status, res[i].StatusReason, res[i].UpdatedAt = statusUpdateFailed, reason, now
		}
	}
	if failedID != "" {
		outer, _, _ := strings.Cut(failedID, "/")
		msg := "The following resource(s) failed to update: [" + outer + "]. "
		rec.stack(statusUpdateRollbackFail, msg)
		_, err := rec.commit(func(st *model.Stack) {
			st.Status, st.StatusReason, st.Resources = statusUpdateRollbackFail, msg, res
			// What the update created waits for ContinueUpdateRollback's
			// cleanup.
			st.Waiting, st.WaitUntil = nil, time.Time{}
			st.Update = &model.StackUpdate{Rollback: true, Cleanup: s.Update.Cleanup}
		})
		if err == nil {
			err = endNestedRollback(c, s, nil, failedID, c.Engine.Now())
		}
		return markChangeSet(c, s.ChangeSetID, "EXECUTE_FAILED", err)
	}
	left := slices.DeleteFunc(slices.Clone(s.Waiting), func(id string) bool { return slices.Contains(stable, id) })
	if len(left) > 0 {
		_, err := rec.commit(func(st *model.Stack) { st.Waiting, st.Resources = left, res })
		return err
	}
	rec.stack(statusUpdateRollbackCln, "")
	deleteResources(c, rec, slices.Clone(s.Update.Cleanup))
	rec.stack(statusUpdateRollbackDone, "")
	_, err := rec.commit(func(st *model.Stack) {
		st.Status, st.StatusReason, st.Resources = statusUpdateRollbackDone, "", res
		st.Waiting, st.WaitUntil, st.Update = nil, time.Time{}, nil
	})
	if err == nil {
		err = rollBackNested(c, s.ID, nil, true, c.Engine.Now())
	}
	return markChangeSet(c, s.ChangeSetID, "EXECUTE_FAILED", err)
}

// isRollbackWait reports whether a stack is an update rollback waiting on
// the services it changed back.
func isRollbackWait(s *model.Stack) bool {
	return len(s.Waiting) > 0 && s.Update != nil && s.Update.Rollback && s.Status == statusUpdateRollbackIP
}

// isUpdateWait reports whether a stack is an update waiting on services.
func isUpdateWait(s *model.Stack) bool {
	return waits(s) && s.Update != nil && s.Status == statusUpdateInProgress
}
