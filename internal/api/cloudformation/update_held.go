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

// An update holds back, as a create does (held.go), what depends on a
// resource it waits on: an ECS service it changed, still to stabilize, or
// an Auto Scaling group whose rolling update waits for its instances'
// signals. CloudFormation updates a resource only once what it depends on
// is UPDATE_COMPLETE: a held resource that existed stands as it was (the
// stack's Held; no cleanup deletes it), a new one is not created yet. When
// what waited is complete, resumeUpdate deploys the update's template
// again over the stack's resources, which makes the held ones, and the
// update goes on: it waits again, or completes.

// isHeld reports whether the resource of logical id id is held back
// (held: cfn.Stack.Held), itself or as a resource of a held nested stack.
func isHeld(held []string, id string) bool {
	return slices.ContainsFunc(held, func(h string) bool { return id == h || strings.HasPrefix(id, h+"/") })
}

// heldExportCheck is an update's export check, skipped while resources
// are held back (the outputs come when the update resumes).
func heldExportCheck(check func(*cfn.Stack) error) func(*cfn.Stack) error {
	return func(out *cfn.Stack) error {
		if len(out.Held) > 0 {
			return nil
		}
		return check(out)
	}
}

// resumeUpdate deploys the update's template (s.Update) again over the
// stack's resources, what waited now complete (s.Waiting: only nested
// stacks that wait for what they hold back), and records what it made.
func resumeUpdate(c *api.Call, s *model.Stack) error {
	u := s.Update
	p, err := parseBody(u.TemplateBody, s.Name)
	if err != nil {
		return err
	}
	in := runInput{p: p, params: u.Parameters, values: map[string]string{}, onFailure: s.OnFailure, retainExceptOnCreate: s.RetainExceptOnCreate}
	for _, sp := range u.Parameters {
		in.values[sp.Key] = sp.Value
	}
	iam, err := c.IAM()
	if err != nil {
		return err
	}
	var exports map[string]cfn.Export
	c.Engine.Read(func(state *model.State) { exports = exportsFor(state, s.ID) })
	o := deployOptions(c.Engine, iam, s, in, exports)
	o.ControlEnv = envController(c)
	o.AwaitSignals, o.HoldDependents, o.HoldOn = true, true, holdOnServices(c)
	o.ServiceCreatesSettleLater = o.HoldOn != nil
	o.Existing = existingOf(s.Resources)
	for _, id := range s.Waiting {
		// A nested stack holding what was held back is deployed again.
		if e, ok := o.Existing[id]; ok && e.Type == typeStackResource {
			e.Props = ""
			o.Existing[id] = e
		}
	}
	o.Check = heldExportCheck(exportCheck(c, s))
	out, err := cfn.Deploy(c.Engine, p.tpl, o)
	if err != nil {
		// What was held back failed (cfn.Deploy undid what it did): the
		// update rolls back.
		rec := newRecorder(c, s)
		msg, failed, verb := err.Error(), "", "update"
		var ce *cfn.Error
		if errors.As(err, &ce) {
			msg, failed = ce.Msg, ce.Resource
			if len(ce.Stack) > 0 {
				failed, _, _ = strings.Cut(ce.Stack[0], " (")
			}
			if r := stackResource(s, failed); r.PhysicalID == "" {
				verb = "create"
				rec.resource(model.StackResource{LogicalID: failed, Type: ce.Type}, statusCreateInProgress, "")
				rec.resource(model.StackResource{LogicalID: failed, Type: ce.Type}, statusCreateFailed, msg)
			} else {
				rec.resource(r, statusUpdateInProgress, "")
				rec.resource(r, statusUpdateFailed, msg)
			}
		}
		return updateWaitFailed(c, rec, s, nil, "", msg, "The following resource(s) failed to "+verb+": ["+failed+"]. ")
	}
	now := c.Engine.Now()
	have := map[string]model.StackResource{}
	for _, r := range s.Resources {
		if r.Status != statusDeleteComplete && r.Status != statusCreateFailed {
			have[r.LogicalID] = r
		}
	}
	created := stackResources(p, out.Resources, out.Skipped, out.PhysicalIDs, statusCreateComplete, now)
	changes := changeOf(out.Resources, out.Skipped, have, p)
	var touched []model.StackResource
	for _, r := range created {
		if changes[r.LogicalID] != cfn.ChangeNone {
			touched = append(touched, r)
		}
	}
	var waiting []string
	if stabilizeTimeout(c) > 0 {
		waiting = servicesToWaitOn(c, touched)
	}
	waiting = withNestedStacks(touched, append(waiting, awaiting(touched)...), out.Held)
	waiting, finished := nestedFinished(s.Waiting, waiting, out.Held)
	rec := newRecorder(c, s)
	finish := nestedFinisher(rec, s, finished, statusUpdateComplete)
	next := *u
	next.Cleanup = slices.Clone(u.Cleanup)
	res := slices.Clone(s.Resources)
	at := map[string]int{}
	for i, r := range res {
		at[r.LogicalID] = i
	}
	put := func(r model.StackResource) {
		if i, ok := at[r.LogicalID]; ok {
			res[i] = r
			return
		}
		at[r.LogicalID] = len(res)
		res = append(res, r)
	}
	for _, r := range created {
		ch := changes[r.LogicalID]
		if ch == cfn.ChangeNone {
			if slices.Contains(finished, r.LogicalID) || slices.Contains(waiting, r.LogicalID) {
				// A nested stack deployed again: its properties and
				// outputs as they are now.
				if i, ok := at[r.LogicalID]; ok {
					res[i].Resolved, res[i].Attrs = r.Resolved, r.Attrs
				}
			}
			continue
		}
		finish(r.LogicalID)
		prev, had := have[r.LogicalID]
		wait := slices.Contains(waiting, r.LogicalID)
		switch {
		case slices.Contains(finished, r.LogicalID) || slices.Contains(s.Waiting, r.LogicalID):
			// A nested stack deployed again (its Change is Modify):
			// recorded as it completes (finish) or waits.
			r.Status, r.StatusReason, r.UpdatedAt = prev.Status, prev.StatusReason, prev.UpdatedAt
			if slices.Contains(finished, r.LogicalID) {
				r.Status, r.UpdatedAt = statusUpdateComplete, now
			}
		case !had || prev.Type != r.Type:
			rec.creating(r)
			if wait {
				r.Status = statusCreateInProgress
				break
			}
			rec.resource(r, statusCreateComplete, r.StatusReason)
		case ch == cfn.ChangeModify:
			rec.resource(r, statusUpdateInProgress, "")
			r.Status = statusUpdateComplete
			if wait {
				r.Status = statusUpdateInProgress
				break
			}
			rec.resource(r, statusUpdateComplete, r.StatusReason)
		default: // replaced: the old one goes with the cleanup
			rec.resource(prev, statusUpdateInProgress, "Requested update requires the creation of a new physical resource; hence creating one.")
			rec.resource(r, statusUpdateInProgress, "Resource creation Initiated")
			old := prev
			old.DeletionPolicy = r.UpdateReplacePolicy
			next.Cleanup = append(next.Cleanup, old)
			r.Status = statusUpdateComplete
			if wait {
				r.Status = statusUpdateInProgress
				break
			}
			rec.resource(r, statusUpdateComplete, r.StatusReason)
		}
		put(r)
	}
	finish("")
	for _, id := range finished {
		if i, ok := at[id]; ok {
			res[i].Status, res[i].UpdatedAt = statusUpdateComplete, now
		}
	}
	if len(out.Held) == 0 {
		next.Outputs, next.Imports = outputsOf(out), out.Imports
	}
	monitor := len(waiting) == 0 && len(out.Held) == 0 && monitors(s)
	done, err := rec.commit(func(st *model.Stack) {
		st.Resources, st.Waiting, st.Held, st.Update = res, waiting, out.Held, &next
		if len(waiting) > 0 {
			st.WaitUntil = now.Add(stabilizeTimeout(c))
		}
		if monitor {
			st.MonitorUntil = monitorEnd(st, now)
		}
	})
	if err != nil {
		return err
	}
	if err := syncNested(c, done, out, p, statusUpdateComplete, now); err != nil {
		return err
	}
	if len(waiting) > 0 || len(out.Held) > 0 || monitor {
		return nil
	}
	return finishUpdate(c, newRecorder(c, done), done, nil, now)
}

// finishUpdate completes an update whose resources are all deployed and
// stable (stable: those that became so just now, their events recorded):
// UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, the cleanup, UPDATE_COMPLETE.
func finishUpdate(c *api.Call, rec *recorder, s *model.Stack, stable []string, now time.Time) error {
	u := s.Update
	rec.stack(statusUpdateCleanup, "")
	deleteResources(c, rec, slices.Clone(u.Cleanup)) // a failed delete is recorded (DELETE_FAILED); the update stands
	rec.stack(statusUpdateComplete, "")
	finished, err := rec.commit(func(st *model.Stack) {
		for i := range st.Resources {
			r := &st.Resources[i]
			if slices.Contains(stable, r.LogicalID) {
				if r.Status == statusCreateInProgress {
					r.Status = statusCreateComplete
				} else {
					r.Status = statusUpdateComplete
				}
				r.UpdatedAt, r.Await = now, nil
			}
		}
		st.Status, st.StatusReason, st.UpdatedAt = statusUpdateComplete, "", now
		st.Outputs, st.Imports, st.Parameters = u.Outputs, u.Imports, u.Parameters
		st.TemplateBody, st.Description = u.TemplateBody, u.Description
		st.Waiting, st.WaitUntil, st.Update, st.MonitorUntil, st.Held = nil, time.Time{}, nil, time.Time{}, nil
	})
	if err == nil {
		// Its nested stacks that updated complete now, with the deletions
		// of their cleanup.
		var nested []string
		for _, r := range finished.Resources {
			if r.Type == typeStackResource {
				nested = append(nested, r.LogicalID)
			}
		}
		err = completeNested(c, finished, nested, now)
	}
	return markChangeSet(c, s.ChangeSetID, "EXECUTE_COMPLETE", err)
}
