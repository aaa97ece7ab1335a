package cloudformation

import (
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// CloudFormation creates an AWS::ECS::Service and then waits for it to
// stabilize: the desired count of tasks running in one completed
// deployment. A service whose deployment circuit breaker trips fails
// ("Error occurred during operation 'ECS Deployment Circuit Breaker was
// triggered'."); one that never stabilizes fails after three hours
// ("Service arn:… did not stabilize."). ecsnet's create leaves such a
// stack CREATE_IN_PROGRESS, its services "Resource creation Initiated",
// and settle, a background step of the server, finishes it.

// defaultStabilizeTimeout is how long CloudFormation waits for an ECS
// service to stabilize (aws/aws-toolkit-visual-studio#293,
// aws-cloudformation/cloudformation-coverage-roadmap#150).
const defaultStabilizeTimeout = 3 * time.Hour

// stabilizeTimeout is the engine's configured wait; 0 when the create
// waits on nothing.
func stabilizeTimeout(c *api.Call) time.Duration {
	d := c.Engine.Config().StackStabilizeTimeout
	switch {
	case d < 0:
		return 0
	case d == 0:
		return defaultStabilizeTimeout
	}
	return d
}

// servicesToWaitOn returns the logical ids of the ECS services among res
// that have tasks to start.
func servicesToWaitOn(c *api.Call, res []model.StackResource) []string {
	var out []string
	c.Engine.Read(func(st *model.State) {
		for _, r := range res {
			if r.Modeled && ecsUnstable(c.Engine, st, r.Type, r.PhysicalID) {
				out = append(out, r.LogicalID)
			}
		}
	})
	return out
}

// ecsUnstable reports whether a resource of type typ is an ECS resource
// CloudFormation still waits for: an AWS::ECS::Service or an
// AWS::ECS::ExpressGatewayService (an ECS service too) not yet stable, an
// AWS::ECS::TaskSet not yet in STEADY_STATE.
func ecsUnstable(e *engine.Engine, st *model.State, typ, physicalID string) bool {
	switch typ {
	case "AWS::ECS::Service", typeExpressService:
		s := st.Services[physicalID]
		return s != nil && s.Status == "ACTIVE" && !serviceStable(e, s)
	case typeTaskSet:
		ts, s := taskSetOf(st, physicalID)
		return ts != nil && s.Status == "ACTIVE" && ts.StabilityStatus != "STEADY_STATE"
	case typeCertificate:
		c := st.Certificates[physicalID]
		return c != nil && c.Status == "PENDING_VALIDATION"
	}
	return false
}

// typeCertificate is an ACM certificate, which CloudFormation completes
// once ACM issued it: until then the resource is CREATE_IN_PROGRESS, its
// event naming the DNS record that validates each name ("Content of DNS
// Record is: {Name: …,Type: CNAME,Value: …}", the CloudFormation user
// guide's AWS::CertificateManager::Certificate ValidationMethod), and what
// depends on it waits. A certificate not issued after certificateTimeout
// fails the resource.
const typeCertificate = "AWS::CertificateManager::Certificate"

// certificateTimeout is how long CloudFormation waits for a certificate
// to be issued: about 12 hours (aws-cloudformation/
// cloudformation-coverage-roadmap#130, awsdocs/aws-cloudformation-user-guide#190),
// less than ACM's own 72 hours.
const certificateTimeout = 12 * time.Hour

// certificateTimeoutReason is the reason of a certificate resource that
// was not issued in time ([choice]: CloudFormation's text for a resource
// handler that timed out).
const certificateTimeoutReason = "Resource timed out waiting for completion"

// certificateRecords is the event reason of a certificate waiting for its
// DNS validation: its records, as CloudFormation writes them; "" when it
// waits for none (EMAIL).
func certificateRecords(c *api.Call, arn string) string {
	var parts []string
	c.Engine.Read(func(st *model.State) {
		cert := st.Certificates[arn]
		if cert == nil {
			return
		}
		seen := map[string]bool{}
		for i, n := range cert.SANs {
			name, value, ok := cert.ValidationRecord(i)
			if !ok || seen[name] || slices.Contains(cert.Validated, n) {
				continue
			}
			seen[name] = true
			parts = append(parts, "Content of DNS Record is: {Name: "+name+",Type: CNAME,Value: "+value+"}")
		}
	})
	return strings.Join(parts, " ")
}

const (
	typeTaskSet        = "AWS::ECS::TaskSet"
	typeExpressService = "AWS::ECS::ExpressGatewayService"
)

// taskSetOf finds the task set of an AWS::ECS::TaskSet's physical id
// (Cluster|Service|Id) and its service; nil when either is gone.
func taskSetOf(st *model.State, physicalID string) (*model.TaskSet, *model.Service) {
	parts := strings.Split(physicalID, "|")
	if len(parts) != 3 {
		return nil, nil
	}
	s := st.Services[parts[1]]
	if s == nil {
		for _, x := range st.Services {
			if x.Name == parts[1] && (x.ClusterARN == parts[0] || model.LastSegment(x.ClusterARN) == parts[0]) {
				s = x
				break
			}
		}
	}
	if s == nil {
		return nil, nil
	}
	for i := range s.TaskSets {
		if s.TaskSets[i].ID == parts[2] {
			return &s.TaskSets[i], s
		}
	}
	return nil, nil
}

// holdOnServices is a create's cfn.DeployOptions.HoldOn: an ECS service
// that has tasks to start holds back what depends on it until it
// stabilizes (CloudFormation creates a resource once what it depends on
// is CREATE_COMPLETE, which an ECS service is only when stable); nil when
// the create does not wait on services.
func holdOnServices(c *api.Call) func(typ, physicalID string) bool {
	if stabilizeTimeout(c) <= 0 {
		return nil
	}
	return func(typ, physicalID string) bool {
		if typ != "AWS::ECS::Service" && typ != typeExpressService && typ != typeTaskSet && typ != typeCertificate {
			return false
		}
		waits := false
		c.Engine.Read(func(st *model.State) { waits = ecsUnstable(c.Engine, st, typ, physicalID) })
		return waits
	}
}

// serviceStable reports whether s is stable as CloudFormation sees it,
// as the ECS services-stable waiter does: one deployment, completed, and
// as many tasks running as desired (an update of DesiredCount alone
// starts no deployment, so its one deployment stays COMPLETED while the
// new tasks start, or never start); or a service with nothing to run.
// Call it inside e.Read.
func serviceStable(e *engine.Engine, s *model.Service) bool {
	if s.DesiredCount == 0 && s.SchedulingStrategy != "DAEMON" {
		return true
	}
	if s.UsesTaskSets() {
		return true // task sets: CloudFormation does not wait on them [choice]
	}
	if len(s.Deployments) != 1 || s.Deployments[0].RolloutState != "COMPLETED" {
		return false
	}
	if s.SchedulingStrategy == "DAEMON" {
		return true // a daemon's desired count follows its instances
	}
	running := 0
	for _, c := range e.ServiceTaskCounts(s.ClusterARN, s.Name) {
		running += c[0]
	}
	return running == s.DesiredCount
}

// settle finishes the creates and updates that wait on ECS services:
// complete when every service is stable, failed (and rolled back as the
// stack asked) when one's circuit breaker tripped or the wait timed out.
func settle(c *api.Call) error {
	settles := func(s *model.Stack) bool {
		return waits(s) && s.Status == statusCreateInProgress || isUpdateWait(s) || isRollbackWait(s) || isDeleteWait(s)
	}
	var ids []string
	c.Engine.Read(func(st *model.State) {
		for id, s := range st.Stacks {
			if settles(s) {
				ids = append(ids, id)
			}
		}
	})
	slices.Sort(ids)
	for _, id := range ids {
		// Each stack as it is now: settling one may have changed
		// another (Copilot's environment controller updates its
		// environment stack).
		var s *model.Stack
		c.Engine.Read(func(st *model.State) { s = st.Stacks[id] })
		if s == nil || !settles(s) {
			continue
		}
		settle := settleStack
		switch {
		case isDeleteWait(s):
			settle = settleDelete
		case isRollbackWait(s):
			settle = settleRollback
		case s.Update != nil:
			settle = settleUpdate
		}
		if err := settle(c, s); err != nil {
			return err
		}
	}
	return nil
}

// createTimeoutReason is the stack's status reason when its create's
// TimeoutInMinutes runs out ("Stack creation time exceeded the specified
// timeout. Rollback requested by user.": flynn/flynn#3200,
// PaloAltoNetworks/aws-transit-vpc#5).
const createTimeoutReason = "Stack creation time exceeded the specified timeout."

// timedOut reports whether a create still in progress at now has run
// past its TimeoutInMinutes (counted from the stack's creation).
func timedOut(s *model.Stack, now time.Time) bool {
	return s.TimeoutInMinutes > 0 && s.Status == statusCreateInProgress &&
		!now.Before(s.CreatedAt.Add(time.Duration(s.TimeoutInMinutes)*time.Minute))
}

// waitingServices sorts the services a stack waits on: the logical ids
// of the stable ones, and the first that failed (its circuit breaker
// tripped, or the wait timed out) with the stack event's reason.
func waitingServices(c *api.Call, s *model.Stack) (stable []string, failedID, reason string) {
	now := c.Engine.Now()
	var nested []string
	c.Engine.Read(func(st *model.State) {
		for _, id := range s.Waiting {
			r := stackResource(s, id)
			if r.Type == typeStackResource {
				nested = append(nested, id) // complete once what it holds is
				continue
			}
			if w := r.Await; w != nil && w.EnvStack != "" {
				// Copilot's environment controller (envcontroller.go).
				switch {
				case failedID != "":
				case w.Need == 0 && w.Failure != "":
					failedID, reason = id, w.Failure
				case w.Need == 0:
					stable = append(stable, id)
				case !now.Before(w.Deadline):
					failedID, reason = id, awaitFailure(w, 0)
				}
				continue
			}
			if w := r.Await; w != nil {
				// A CreationPolicy's signals (signal.go).
				switch {
				case failedID != "":
				case w.Failure != "":
					failedID, reason = id, "Received FAILURE signal with UniqueId "+w.Failure
				case len(r.Signals) >= w.Need:
					stable = append(stable, id)
				case !now.Before(w.Deadline):
					failedID, reason = id, awaitFailure(w, len(r.Signals))
				}
				continue
			}
			if r.Type == typeCertificate {
				// Complete once ACM issued it; failed when ACM gave up
				// or CloudFormation's wait ran out.
				cert := st.Certificates[r.PhysicalID]
				switch {
				case cert == nil || cert.Status == "ISSUED":
					stable = append(stable, id)
				case failedID != "":
				case cert.Status != "PENDING_VALIDATION":
					failedID, reason = id, "Resource handler returned message: \"Certificate "+r.PhysicalID+" is in status "+cert.Status+".\" (HandlerErrorCode: NotStabilized)" // [choice]
				case !now.Before(r.UpdatedAt.Add(certificateTimeout)):
					failedID, reason = id, certificateTimeoutReason
				}
				continue
			}
			if r.Type == typeTaskSet {
				// A task set: stable in STEADY_STATE (or gone); one that
				// never gets there fails when the wait times out [choice:
				// the text of a service's].
				switch {
				case !ecsUnstable(c.Engine, st, r.Type, r.PhysicalID):
					stable = append(stable, id)
				case failedID != "":
				case !now.Before(s.WaitUntil):
					failedID, reason = id, "TaskSet "+r.PhysicalID+" did not stabilize."
				}
				continue
			}
			svc := st.Services[r.PhysicalID]
			switch {
			case svc != nil && serviceStable(c.Engine, svc):
				stable = append(stable, id)
			case failedID != "":
			case svc != nil && len(svc.Deployments) > 0 && svc.Deployments[0].RolloutState == "FAILED":
				failedID, reason = id, "Resource handler returned message: \"Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'.\" (RequestToken: "+uuid()+", HandlerErrorCode: GeneralServiceException)"
			case !now.Before(s.WaitUntil):
				failedID, reason = id, "Service "+r.PhysicalID+" did not stabilize."
			}
		}
	})
	// A nested stack is complete once none of its resources waits, the
	// deepest first.
	slices.SortStableFunc(nested, func(a, b string) int { return strings.Count(b, "/") - strings.Count(a, "/") })
	for _, id := range nested {
		under := func(w string) bool { return strings.HasPrefix(w, id+"/") }
		if !slices.ContainsFunc(s.Waiting, func(w string) bool { return under(w) && !slices.Contains(stable, w) }) &&
			!slices.ContainsFunc(s.Held, under) {
			stable = append(stable, id)
			continue
		}
		// Its own TimeoutInMinutes (the AWS::CloudFormation::Stack
		// resource's) ran out: the nested stack fails, and with it its
		// resource in the parent.
		var rec *model.Stack
		c.Engine.Read(func(st *model.State) { rec = st.Stacks[stackResource(s, id).PhysicalID] })
		if failedID == "" && rec != nil && timedOut(rec, now) {
			failedID, reason = id, "Embedded stack "+rec.ID+" was not successfully created: "+createTimeoutReason+" "
		}
	}
	return stable, failedID, reason
}

// settleStack looks at the services one stack waits on.
func settleStack(c *api.Call, s *model.Stack) error {
	now := c.Engine.Now()
	if timedOut(s, now) {
		// The create's TimeoutInMinutes ran out while it waited: what
		// still waits is cancelled and the stack fails as it asked.
		return settleFailed(c, newRecorder(c, s), s, nil, "", createTimeoutReason)
	}
	if monitors(s) {
		if why := rollbackTriggered(c, s); why != "" {
			return settleFailed(c, newRecorder(c, s), s, nil, "", why)
		}
	}
	s, err := controlWaitingEnvs(c, s)
	if err != nil {
		return err
	}
	stable, failedID, reason := waitingServices(c, s)
	if len(s.Waiting) == 0 && !s.MonitorUntil.IsZero() {
		// Deployed and monitored: complete when the period ends.
		if now.Before(s.MonitorUntil) {
			return nil
		}
		rec := newRecorder(c, s)
		rec.stack(statusCreateComplete, "")
		_, err := rec.commit(func(st *model.Stack) {
			st.Status, st.StatusReason, st.WaitUntil, st.MonitorUntil = statusCreateComplete, "", time.Time{}, time.Time{}
		})
		return markChangeSet(c, s.ChangeSetID, "EXECUTE_COMPLETE", err)
	}
	if failedID == "" && len(stable) == 0 {
		return nil
	}
	rec := newRecorder(c, s)
	for _, id := range stable {
		r := stackResource(s, id)
		r.Status = statusCreateComplete
		rec.resource(r, statusCreateComplete, "")
	}
	if failedID == "" {
		left := slices.DeleteFunc(slices.Clone(s.Waiting), func(id string) bool { return slices.Contains(stable, id) })
		if len(s.Held) > 0 && !slices.ContainsFunc(left, func(id string) bool { return stackResource(s, id).Type != typeStackResource }) {
			// What waited is complete: the resources held back behind
			// it are created now (held.go); a nested stack left waits
			// only for those of its own.
			done, err := rec.commit(func(st *model.Stack) {
				st.Waiting, st.Held = left, nil
				for i := range st.Resources {
					if slices.Contains(stable, st.Resources[i].LogicalID) {
						st.Resources[i].Status, st.Resources[i].UpdatedAt, st.Resources[i].Await = statusCreateComplete, now, nil
					}
				}
			})
			if err != nil {
				return err
			}
			if err := completeNested(c, done, stable, now); err != nil {
				return err
			}
			return resumeHeld(c, done)
		}
		// Every resource deployed: the monitoring period of the
		// rollback triggers starts (triggers.go).
		monitor := len(left) == 0 && monitors(s)
		if len(left) == 0 && !monitor {
			rec.stack(statusCreateComplete, "")
		}
		done, err := rec.commit(func(st *model.Stack) {
			st.Waiting = left
			for i := range st.Resources {
				if slices.Contains(stable, st.Resources[i].LogicalID) {
					st.Resources[i].Status, st.Resources[i].UpdatedAt, st.Resources[i].Await = statusCreateComplete, now, nil
				}
			}
			switch {
			case monitor:
				st.MonitorUntil = monitorEnd(st, now)
			case len(left) == 0:
				st.Status, st.StatusReason, st.WaitUntil = statusCreateComplete, "", time.Time{}
			}
		})
		if err == nil {
			err = completeNested(c, done, stable, now)
		}
		if len(left) == 0 && !monitor {
			return markChangeSet(c, s.ChangeSetID, "EXECUTE_COMPLETE", err)
		}
		return err
	}
	return settleFailed(c, rec, s, stable, failedID, reason)
}

// settleFailed records a service that failed to stabilize, cancels the
// others the stack waits on, and rolls the stack back as it asked.
func settleFailed(c *api.Call, rec *recorder, s *model.Stack, stable []string, failedID, reason string) error {
	res := slices.Clone(s.Resources)
	for i := range res {
		id := res[i].LogicalID
		res[i].Await = nil
		switch {
		case slices.Contains(stable, id):
			res[i].Status = statusCreateComplete
		case id == failedID:
			res[i].Status, res[i].StatusReason = statusCreateFailed, reason
			rec.resource(res[i], statusCreateFailed, reason)
		case res[i].Type == typeStackResource && slices.Contains(s.Waiting, id) && strings.HasPrefix(failedID, id+"/"):
			// The nested stack holding what failed fails with it.
			inner, _, _ := strings.Cut(strings.TrimPrefix(failedID, id+"/"), "/")
			why := "Embedded stack " + res[i].PhysicalID + " was not successfully created: The following resource(s) failed to create: [" + inner + "]. "
			res[i].Status, res[i].StatusReason = statusCreateFailed, why
			rec.resource(res[i], statusCreateFailed, why)
		case slices.Contains(s.Waiting, id):
			res[i].Status, res[i].StatusReason = statusCreateFailed, "Resource creation cancelled"
			rec.resource(res[i], statusCreateFailed, "Resource creation cancelled")
		}
	}
	// The nested stacks that fail (holding what failed, timed out, or
	// cancelled) fail in their own events too (failNested), naming their
	// resources that failed or were cancelled.
	nestedReasons := map[string]string{}
	for _, r := range res {
		id := r.LogicalID
		if r.Type != typeStackResource || r.Status != statusCreateFailed {
			continue
		}
		if id == failedID {
			nestedReasons[id] = createTimeoutReason + " "
			continue
		}
		var inner []string
		for _, w := range s.Waiting {
			child, ok := strings.CutPrefix(w, id+"/")
			if ok && !strings.Contains(child, "/") && !slices.Contains(stable, w) {
				inner = append(inner, child)
			}
		}
		nestedReasons[id] = "The following resource(s) failed to create: [" + strings.Join(inner, ", ") + "]. "
		if len(inner) == 0 {
			nestedReasons[id] = "Resource creation cancelled. " // [choice]: it waited only for what it held back
		}
	}
	// A resource of a nested stack: the stack's own resource failed.
	outer, _, _ := strings.Cut(failedID, "/")
	stackReason := "The following resource(s) failed to create: [" + outer + "]. "
	if failedID == "" {
		// A rollback trigger (triggers.go), or the create's timeout.
		stackReason = reason + " "
	}
	if s.OnFailure == "DO_NOTHING" {
		rec.stack(statusCreateFailed, stackReason)
		_, err := rec.commit(func(st *model.Stack) {
			st.Status, st.StatusReason, st.Resources, st.Waiting, st.WaitUntil = statusCreateFailed, stackReason, res, nil, time.Time{}
			st.MonitorUntil, st.Held = time.Time{}, nil
		})
		if err == nil {
			err = failNested(c, s.ID, nestedReasons, s.OnFailure, c.Engine.Now())
		}
		return markChangeSet(c, s.ChangeSetID, "EXECUTE_FAILED", err)
	}
	// The services exist (they failed to stabilize, not to be created):
	// the rollback deletes them with the rest.
	for i := range res {
		if res[i].Status == statusCreateFailed {
			res[i].Status = statusCreateInProgress
		}
	}
	_, err := rollBackCreate(c, rec, res, stackReason, s.OnFailure, s.RetainExceptOnCreate, func(st *model.Stack) {
		st.Waiting, st.WaitUntil, st.MonitorUntil, st.Held = nil, time.Time{}, time.Time{}, nil
	})
	if err == nil {
		err = failNested(c, s.ID, nestedReasons, s.OnFailure, c.Engine.Now())
	}
	if err == nil {
		// The rollback deleted the nested stacks it had created.
		err = deleteNested(c, s.ID, nil, c.Engine.Now())
	}
	return markChangeSet(c, s.ChangeSetID, "EXECUTE_FAILED", err)
}

// markChangeSet sets the execution status of a change set whose
// execution is in progress (the one that created or is updating a stack),
// once that execution completed or failed (err: the commit's, returned
// as it is). A change set executed earlier is left alone.
func markChangeSet(c *api.Call, id, status string, err error) error {
	if err != nil || id == "" {
		return err
	}
	var cs *model.ChangeSet
	c.Engine.Read(func(st *model.State) {
		if x := st.ChangeSets[id]; x != nil && x.ExecutionStatus == "EXECUTE_IN_PROGRESS" {
			cp := *x
			cs = &cp
		}
	})
	if cs == nil {
		return nil
	}
	cs.ExecutionStatus = status
	return c.Engine.PutChangeSet(cs)
}

// stackResource returns the stack's resource of a logical id.
func stackResource(s *model.Stack, id string) model.StackResource {
	for _, r := range s.Resources {
		if r.LogicalID == id {
			return r
		}
	}
	return model.StackResource{LogicalID: id}
}

// waitingReason is the event of a resource that stays CREATE_IN_PROGRESS
// beyond "Resource creation Initiated": a certificate's DNS records.
func waitingReason(c *api.Call, r model.StackResource) string {
	if r.Type != typeCertificate {
		return ""
	}
	return certificateRecords(c, r.PhysicalID)
}
