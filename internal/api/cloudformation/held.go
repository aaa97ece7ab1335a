package cloudformation

import (
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// A create holds back the resources that depend (Ref, Fn::GetAtt,
// Fn::Sub, DependsOn) on a resource still waiting for its CreationPolicy's
// signals (cfn.Stack.Held, the stack's Held): CloudFormation creates a
// resource only once what it depends on is CREATE_COMPLETE. When the last
// signal wait completes, resumeHeld creates them (their events after the
// waiting resource's CREATE_COMPLETE) and the stack's outputs; when a wait
// fails, they are never created and the rollback deletes the rest.

// resumeHeld deploys the stack's template again over the resources it has
// (bound as they are; s.Held already cleared), creating those it held
// back, and records them: the
// stack completes, or waits again for what the new ones wait for, or
// fails and rolls back as it asked.
func resumeHeld(c *api.Call, s *model.Stack) error {
	p, err := parseBody(s.TemplateBody, s.Name)
	if err != nil {
		return err
	}
	in := runInput{p: p, params: s.Parameters, values: map[string]string{}, onFailure: s.OnFailure,
		retainExceptOnCreate: s.RetainExceptOnCreate}
	for _, sp := range s.Parameters {
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
	o.Existing = existingOf(s.Resources)
	for _, id := range s.Waiting {
		// A nested stack still waiting holds resources held back: it
		// is deployed again (under its name and ARN), not bound as it is.
		if e, ok := o.Existing[id]; ok && e.Type == typeStackResource {
			e.Props = ""
			o.Existing[id] = e
		}
	}
	o.DisableRollback, o.AwaitSignals, o.HoldDependents, o.HoldOn = true, true, true, holdOnServices(c)
	o.ServiceCreatesSettleLater = o.HoldOn != nil
	had := map[string]bool{}
	for _, r := range s.Resources {
		had[r.LogicalID] = true
	}
	var failedCreated []cfn.Resource
	var failedSkipped []cfn.Skipped
	o.Failed = func(res []cfn.Resource, sk []cfn.Skipped) {
		failedCreated, failedSkipped = newResources(res, sk, had)
	}
	rec := newRecorder(c, s)
	out, err := cfn.Deploy(c.Engine, p.tpl, o)
	if err != nil {
		_, err = createFailed(c, rec, in, s.Resources, failedCreated, failedSkipped, err)
		return markChangeSet(c, s.ChangeSetID, "EXECUTE_FAILED", err)
	}
	now := c.Engine.Now()
	created, skipped := newResources(out.Resources, out.Skipped, had)
	res := stackResources(p, created, skipped, out.PhysicalIDs, statusCreateComplete, now)
	var waiting []string
	if stabilizeTimeout(c) > 0 {
		waiting = servicesToWaitOn(c, res)
	}
	waiting = withNestedStacks(res, append(waiting, awaiting(res)...), out.Held)
	waiting, finished := nestedFinished(s.Waiting, waiting, out.Held)
	finish := nestedFinisher(rec, s, finished, statusCreateComplete)
	for i, r := range res {
		finish(r.LogicalID)
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
	finish("")
	redeployed := map[string]cfn.Resource{}
	for _, r := range out.Resources {
		if slices.Contains(finished, r.LogicalID) || slices.Contains(waiting, r.LogicalID) {
			redeployed[r.LogicalID] = r
		}
	}
	complete := len(waiting) == 0 && len(out.Held) == 0
	monitor := complete && monitors(s)
	if complete && !monitor {
		rec.stack(statusCreateComplete, "")
	}
	done, err := rec.commit(func(st *model.Stack) {
		st.Resources = append(slices.Clone(st.Resources), res...)
		for i := range st.Resources {
			r := &st.Resources[i]
			if n, ok := redeployed[r.LogicalID]; ok {
				// The nested stack's properties and outputs as deployed now.
				r.Resolved, r.Attrs = n.Props, n.Attrs
			}
			if slices.Contains(finished, r.LogicalID) {
				r.Status, r.UpdatedAt = statusCreateComplete, now
			}
		}
		st.Waiting, st.Held = waiting, out.Held
		if len(waiting) > 0 {
			st.WaitUntil = now.Add(stabilizeTimeout(c))
		}
		if len(out.Held) == 0 {
			st.Outputs = outputsOf(out)
			st.Imports = out.Imports
		}
		switch {
		case monitor:
			st.MonitorUntil = monitorEnd(st, now)
		case complete:
			st.Status, st.StatusReason, st.WaitUntil = statusCreateComplete, "", time.Time{}
		}
	})
	if err != nil {
		return err
	}
	if err := syncNested(c, done, out, p, statusCreateComplete, now); err != nil {
		return err
	}
	if complete && !monitor {
		return markChangeSet(c, s.ChangeSetID, "EXECUTE_COMPLETE", nil)
	}
	return nil
}

// newResources are the resources of a deploy that the stack did not have
// (had): those it created this time.
func newResources(res []cfn.Resource, sk []cfn.Skipped, had map[string]bool) ([]cfn.Resource, []cfn.Skipped) {
	var created []cfn.Resource
	var skipped []cfn.Skipped
	for _, r := range res {
		if !had[r.LogicalID] {
			created = append(created, r)
		}
	}
	for _, x := range sk {
		if !had[x.LogicalID] {
			skipped = append(skipped, x)
		}
	}
	return created, skipped
}

// nestedFinished splits the nested stacks that waited (prev) for what they
// held back: those that still wait, because something under them waits or
// is held, join waiting; the others are finished, deepest first.
func nestedFinished(prev, waiting, held []string) (stillWaiting, finished []string) {
	for _, id := range prev {
		under := func(w string) bool { return strings.HasPrefix(w, id+"/") }
		if slices.ContainsFunc(waiting, under) || slices.ContainsFunc(held, under) {
			waiting = append(waiting, id)
		} else {
			finished = append(finished, id)
		}
	}
	slices.SortStableFunc(finished, func(a, b string) int { return strings.Count(b, "/") - strings.Count(a, "/") })
	return waiting, finished
}

// nestedFinisher returns finish(next), which records each finished nested
// stack not yet recorded with status, but for those next is inside of
// ("" records all that are left): a nested stack completes after what it
// holds, before what comes after it.
func nestedFinisher(rec *recorder, s *model.Stack, finished []string, status string) func(next string) {
	pending := slices.Clone(finished)
	return func(next string) {
		pending = slices.DeleteFunc(pending, func(id string) bool {
			if strings.HasPrefix(next, id+"/") {
				return false
			}
			rec.resource(stackResource(s, id), status, "")
			return true
		})
	}
}
