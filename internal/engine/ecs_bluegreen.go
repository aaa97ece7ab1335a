package engine

import (
	"crypto/sha256"
	"encoding/base64"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// ECS's own blue/green deployments (deploymentConfiguration.strategy
// BLUE_GREEN, the deployment controller ECS). A service's deployments
// take turns between each load balancer's two target groups: the first
// registers its tasks in targetGroupArn, the next in the
// advancedConfiguration's alternateTargetGroupArn, the one after in
// targetGroupArn again (Deployment.Alternate). An update walks the
// lifecycle stages one per Step pass (ServiceDeploymentLifecycleStage in
// the ECS API reference):
//
//	RECONCILE_SERVICE   (only when more than one older revision is active:
//	                     the older in-progress ones are stopped)
//	PRE_SCALE_UP        lifecycle hooks (ecsnet runs no Lambda: SUCCEEDED)
//	SCALE_UP            the green tasks start, registered in the green group
//	POST_SCALE_UP       every green task running and healthy
//	TEST_TRAFFIC_SHIFT  the test listener rule forwards to the green group
//	POST_TEST_TRAFFIC_SHIFT
//	PRODUCTION_TRAFFIC_SHIFT  the production rule's weights: green 100, blue 0
//	POST_PRODUCTION_TRAFFIC_SHIFT
//	BAKE_TIME           bakeTimeInMinutes with both revisions running
//	CLEAN_UP            the blue tasks stop; the deployment completes
//
// A green revision that trips the deployment circuit breaker (with
// rollback) or that StopServiceDeployment stops is rolled back: the
// listener rules forward to the blue group again, the green tasks stop
// and the blue revision is the service's again.

// Deployment strategies and lifecycle stages.
const (
	StrategyRolling   = "ROLLING"
	StrategyBlueGreen = "BLUE_GREEN"
	StrategyLinear    = "LINEAR"
	StrategyCanary    = "CANARY"
)

// blueGreenStages are the lifecycle stages of a blue/green deployment, in
// order.
var blueGreenStages = []string{"RECONCILE_SERVICE", "PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT",
	"POST_TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP"}

// hookStages are the stages a lifecycle hook may name
// (DeploymentLifecycleHookStage).
var hookStages = []string{"RECONCILE_SERVICE", "PRE_SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT",
	"PRE_PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT"}

// IsBlueGreen reports whether s deploys by ECS blue/green, or its linear
// or canary variant (the same stages, production traffic shifted in
// steps).
func IsBlueGreen(s *model.Service) bool {
	return s.DeploymentController == "" && shifting(s.DeploymentConfig)
}

func shifting(dc *model.DeploymentConfiguration) bool {
	return dc != nil && (dc.Strategy == StrategyBlueGreen || dc.Strategy == StrategyLinear || dc.Strategy == StrategyCanary)
}

// checkStrategy validates the blue/green, linear and canary members of a
// merged deploymentConfiguration.
func checkStrategy(dc *model.DeploymentConfiguration, in *DeploymentConfigInput) error {
	switch dc.Strategy {
	case "", StrategyRolling, StrategyBlueGreen:
	case StrategyLinear:
		if dc.StepPercent <= 0 || dc.StepPercent > 100 {
			return errECSInvalid("linearConfiguration.stepPercent must be greater than 0 and at most 100 for the LINEAR deployment strategy.") // probable
		}
	case StrategyCanary:
		if dc.CanaryPercent <= 0 || dc.CanaryPercent > 100 {
			return errECSInvalid("canaryConfiguration.canaryPercent must be greater than 0 and at most 100 for the CANARY deployment strategy.") // probable
		}
	default:
		return errECSInvalid("deploymentConfiguration.strategy should be one of [ROLLING,BLUE_GREEN,LINEAR,CANARY]") // probable
	}
	if in.Linear != nil && dc.Strategy != StrategyLinear || in.Canary != nil && dc.Strategy != StrategyCanary {
		return errECSInvalid("linearConfiguration is only valid with the LINEAR deployment strategy, canaryConfiguration with CANARY.") // probable
	}
	for _, m := range []int{dc.StepBakeTimeInMinutes, dc.CanaryBakeTimeInMinutes} {
		if m < 0 || m > 1440 {
			return errECSInvalid("The bake time of a step must be between 0 and 1440 minutes.") // probable
		}
	}
	if dc.BakeTimeInMinutes < 0 || dc.BakeTimeInMinutes > 1440 {
		return errECSInvalid("bakeTimeInMinutes must be between 0 and 1440.") // probable
	}
	for _, h := range dc.LifecycleHooks {
		switch h.TargetType {
		case "", hookLambda:
			if h.HookTargetARN == "" || h.RoleARN == "" || len(h.Stages) == 0 {
				return errECSInvalid("A lifecycle hook requires a hookTargetArn, a roleArn and at least one lifecycleStage.") // probable
			}
		case hookPause:
			if len(h.Stages) == 0 {
				return errECSInvalid("A lifecycle hook requires at least one lifecycleStage.") // probable
			}
		default:
			return errECSInvalid("targetType should be one of [AWS_LAMBDA,PAUSE]") // probable
		}
		if h.TimeoutMinutes != 0 && (h.TimeoutMinutes < 1 || h.TimeoutMinutes > maxHookTimeoutMinutes) {
			return errECSInvalid("timeoutConfiguration.timeoutInMinutes must be between 1 and %d.", maxHookTimeoutMinutes) // probable
		}
		switch h.TimeoutAction {
		case "", HookContinue, HookRollback:
		default:
			return errECSInvalid("timeoutConfiguration.action should be one of [ROLLBACK,CONTINUE]") // probable
		}
		for _, st := range h.Stages {
			if !slices.Contains(hookStages, st) {
				return errECSInvalid("lifecycleStages should be one of [%s]", strings.Join(hookStages, ",")) // probable
			}
		}
	}
	return nil
}

// checkBlueGreen validates a blue/green service's load balancers: each
// target group needs an advancedConfiguration whose alternate target
// group differs from it and exists, whose production listener rule
// exists and forwards to one of the two, and a role ECS calls Elastic
// Load Balancing with.
func (t *txn) checkBlueGreen(s *model.Service) error {
	if !IsBlueGreen(s) {
		if shifting(s.DeploymentConfig) && s.DeploymentController != "" {
			return errECSInvalid("The deployment strategy %s requires the ECS deployment controller.", s.DeploymentConfig.Strategy) // probable
		}
		return nil
	}
	for _, lb := range s.LoadBalancers {
		if lb.TargetGroupARN == "" {
			return errECSInvalid("Blue/green deployments are not supported with Classic Load Balancers.") // probable
		}
		a := lb.Advanced
		if a == nil || a.AlternateTargetGroupARN == "" {
			return errECSInvalid("advancedConfiguration with an alternateTargetGroupArn is required for each load balancer of a service with the %s deployment strategy.", s.DeploymentConfig.Strategy) // probable
		}
		if a.AlternateTargetGroupARN == lb.TargetGroupARN {
			return errECSInvalid("The alternate target group must be different from the target group %s.", lb.TargetGroupARN) // probable
		}
		if _, err := t.targetGroup(a.AlternateTargetGroupARN); err != nil {
			return errECSInvalid("The alternate target group %s does not exist.", a.AlternateTargetGroupARN) // probable
		}
		if a.RoleARN == "" {
			return errECSInvalid("advancedConfiguration.roleArn is required for blue/green deployments with a load balancer.") // probable
		}
		if a.ProductionListenerRule == "" {
			return errECSInvalid("advancedConfiguration.productionListenerRule is required for blue/green deployments with a load balancer.") // probable
		}
		for _, ref := range []string{a.ProductionListenerRule, a.TestListenerRule} {
			if ref == "" {
				continue
			}
			acts, ok := t.ruleActions(ref)
			if !ok {
				return errECSInvalid("The listener rule %s does not exist.", ref) // probable
			}
			if !slices.ContainsFunc(acts, func(x model.ListenerAction) bool {
				f := x.ForwardTargetGroups()
				return slices.Contains(f, lb.TargetGroupARN) || slices.Contains(f, a.AlternateTargetGroupARN)
			}) {
				return errECSInvalid("The listener rule %s does not forward to the target group %s or the alternate target group %s.", ref, lb.TargetGroupARN, a.AlternateTargetGroupARN) // probable
			}
		}
	}
	return nil
}

// ruleActions returns the actions of a listener rule, or the default
// actions of a listener (a Network Load Balancer's "rule").
func (t *txn) ruleActions(ref string) ([]model.ListenerAction, bool) {
	if r := t.st.ListenerRules[ref]; r != nil {
		return r.Actions, true
	}
	if l := t.st.Listeners[ref]; l != nil {
		return l.DefaultActions, true
	}
	return nil, false
}

// shiftRule points pct percent of a listener rule's (or listener's)
// traffic at one of a load balancer's two target groups (alternate: the
// alternate one): its forward action's weights become pct and 100-pct
// (a share above 0 is at least 1).
func (t *txn) shiftRule(ref string, lb model.ServiceLoadBalancer, alternate bool, pct float64) {
	if ref == "" || lb.Advanced == nil {
		return
	}
	to, from := lb.TargetGroupARN, lb.Advanced.AlternateTargetGroupARN
	if alternate {
		to, from = from, to
	}
	toWeight := min(100, int(math.Round(pct)))
	if pct > 0 && toWeight == 0 {
		toWeight = 1
	}
	if pct < 100 && toWeight == 100 {
		toWeight = 99
	}
	shift := func(acts []model.ListenerAction) ([]model.ListenerAction, bool) {
		out := slices.Clone(acts)
		changed := false
		for i, a := range out {
			f := a.ForwardTargetGroups()
			if !slices.Contains(f, to) && !slices.Contains(f, from) {
				continue
			}
			// The weights of the two groups change in place; a group the
			// action did not name is added.
			tgs := slices.Clone(a.TargetGroups)
			if len(tgs) == 0 && a.TargetGroupARN != "" {
				tgs = []model.WeightedTargetGroup{{ARN: a.TargetGroupARN, Weight: 1}}
			}
			for _, arn := range []string{to, from} {
				if !slices.ContainsFunc(tgs, func(w model.WeightedTargetGroup) bool { return w.ARN == arn }) {
					tgs = append(tgs, model.WeightedTargetGroup{ARN: arn})
				}
			}
			for j := range tgs {
				switch tgs[j].ARN {
				case to:
					tgs[j].Weight = toWeight
				case from:
					tgs[j].Weight = 100 - toWeight
				}
			}
			n := a
			n.TargetGroupARN, n.TargetGroups = "", tgs
			if !slices.Equal(n.TargetGroups, a.TargetGroups) || a.TargetGroupARN != "" {
				out[i], changed = n, true
			}
		}
		return out, changed
	}
	if r := t.st.ListenerRules[ref]; r != nil {
		if acts, ok := shift(r.Actions); ok {
			c := *r
			c.Actions = acts
			put(t, model.KindListenerRule, t.st.ListenerRules, c.ARN, &c)
		}
		return
	}
	if l := t.st.Listeners[ref]; l != nil {
		if acts, ok := shift(l.DefaultActions); ok {
			c := *l
			c.DefaultActions = acts
			put(t, model.KindListener, t.st.Listeners, c.ARN, &c)
		}
	}
}

// shiftTraffic points the production (prod) or test listener rules of
// every load balancer of s at the target groups of a deployment
// (alternate: the alternate groups).
func (t *txn) shiftTraffic(s *model.Service, prod, alternate bool) {
	t.shiftPercent(s, prod, alternate, 100)
}

// shiftPercent is shiftTraffic for pct percent of the traffic.
func (t *txn) shiftPercent(s *model.Service, prod, alternate bool, pct float64) {
	for _, lb := range s.LoadBalancers {
		if lb.Advanced == nil {
			continue
		}
		ref := lb.Advanced.TestListenerRule
		if prod {
			ref = lb.Advanced.ProductionListenerRule
		}
		t.shiftRule(ref, lb, alternate, pct)
	}
}

// newBlueGreenDeployment sets up a new deployment of a blue/green service
// whose older deployments are old (newest first): it registers in the
// group the production revision (the oldest) does not use, and starts at
// RECONCILE_SERVICE when an older deployment is still in progress.
func (t *txn) newBlueGreenDeployment(d *model.Deployment, old []model.Deployment) {
	if len(old) == 0 {
		return
	}
	d.Alternate = !old[len(old)-1].Alternate
	d.Stage, d.StageAt = "PRE_SCALE_UP", t.now
	if len(old) > 1 {
		d.Stage = "RECONCILE_SERVICE"
	}
}

// blueGreenInProgress reports whether s's newest deployment is a
// blue/green deployment under way.
func blueGreenInProgress(s *model.Service) bool {
	return IsBlueGreen(s) && len(s.Deployments) > 1 && s.Deployments[0].Stage != "" && s.Deployments[0].RolloutState == "IN_PROGRESS"
}

// advanceBlueGreen moves the blue/green deployment of ns on by at most
// one lifecycle stage (current: its tasks whose desired status is
// RUNNING). It returns how many tasks it stopped and whether it rolled
// the deployment back.
func (t *txn) advanceBlueGreen(ns *model.Service, u *svcUsage, current, batch int) (int, bool) {
	d := &ns.Deployments[0]
	if i := awaitingHook(d); i >= 0 {
		r := d.Runs()[i]
		if !t.due(r.ExpiresAt) {
			return 0, false // paused until ContinueServiceDeployment or the timeout
		}
		setHookStatus(d, i, hookTimedOut, t.now)
		if r.TimeoutAction == HookRollback {
			t.rollbackBlueGreen(ns, "Service deployment rolled back because the lifecycle hook "+r.ID+" timed out.") // [choice] reason text
			return 0, true
		}
	}
	next := func() {
		if t.pauseAt(ns, d, d.Stage) {
			return
		}
		i := slices.Index(blueGreenStages, d.Stage)
		d.Stage, d.StageAt, d.UpdatedAt = blueGreenStages[i+1], t.now, t.now
	}
	switch d.Stage {
	case "RECONCILE_SERVICE":
		// The revisions between the production one (the oldest) and the
		// new one were in progress: their tasks stop and production goes
		// back to the oldest revision.
		middle := ns.Deployments[1 : len(ns.Deployments)-1]
		ids := map[string]bool{}
		for _, m := range middle {
			ids[m.ID] = true
		}
		tasks := t.deploymentTasks(u, func(k deployKey) bool { return ids[k.startedBy] }, batch, false)
		for _, tk := range tasks {
			t.stopTask(tk, "ServiceSchedulerInitiated", "Deployment replaced task (deployment "+d.ID+")", false)
		}
		if len(tasks) > 0 {
			return len(tasks), false
		}
		blue := ns.Deployments[len(ns.Deployments)-1]
		t.shiftTraffic(ns, true, blue.Alternate)
		t.shiftTraffic(ns, false, blue.Alternate)
		for i := range middle {
			middle[i].Status, middle[i].UpdatedAt = "INACTIVE", t.now
		}
		ns.PastDeployments = append(slices.Clone(middle), ns.PastDeployments...)
		ns.PastDeployments = ns.PastDeployments[:min(len(ns.PastDeployments), maxPastDeployments)]
		ns.Deployments = []model.Deployment{*d, blue}
		d = &ns.Deployments[0]
		next()
	case "PRE_SCALE_UP":
		next()
	case "SCALE_UP":
		if breakerOn(ns) && d.FailedTasks >= breakerThreshold(ns.DesiredCount) {
			if ns.DeploymentConfig.CircuitBreakerRollback {
				t.rollbackBlueGreen(ns, "Service deployment rolled back because the circuit breaker threshold was exceeded.")
				return 0, true
			}
			return 0, false // the rolling path marks it FAILED
		}
		if current >= ns.DesiredCount && t.greenSettled(ns, u) {
			next()
		}
	case "POST_SCALE_UP", "POST_TEST_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT":
		next()
	case "TEST_TRAFFIC_SHIFT":
		t.shiftTraffic(ns, false, d.Alternate)
		next()
	case "PRODUCTION_TRAFFIC_SHIFT":
		// BLUE_GREEN shifts all at once; LINEAR by stepPercent every
		// stepBakeTimeInMinutes; CANARY canaryPercent, then the rest after
		// canaryBakeTimeInMinutes.
		dc := ns.DeploymentConfig
		step, wait := 100.0, 0
		switch dc.Strategy {
		case StrategyLinear:
			step, wait = dc.StepPercent, dc.StepBakeTimeInMinutes
		case StrategyCanary:
			step, wait = dc.CanaryPercent, dc.CanaryBakeTimeInMinutes
			if d.Shifted > 0 {
				step = 100 - d.Shifted
			}
		}
		if d.Shifted > 0 && !t.due(d.StageAt.Add(time.Duration(wait)*time.Minute)) {
			break
		}
		if d.Shifted == 0 && t.pauseAt(ns, d, "PRE_PRODUCTION_TRAFFIC_SHIFT") {
			break
		}
		d.Shifted = min(100, d.Shifted+step)
		t.shiftPercent(ns, true, d.Alternate, d.Shifted)
		d.StageAt, d.UpdatedAt = t.now, t.now
		if d.Shifted >= 100 {
			next()
		}
	case "BAKE_TIME":
		if t.due(d.StageAt.Add(time.Duration(ns.DeploymentConfig.BakeTimeInMinutes) * time.Minute)) {
			next()
		}
	}
	return 0, false
}

// greenSettled reports whether the running tasks of ns's newest
// deployment are all healthy in its target groups (see targetsSettled).
func (t *txn) greenSettled(ns *model.Service, u *svcUsage) bool {
	if !t.e.serviceTargetHealth || !serviceWithTargets(ns) {
		return true
	}
	for arn := range u.wanted {
		tk := t.st.Tasks[arn]
		if tk == nil || tk.StartedBy != ns.Deployments[0].ID {
			continue
		}
		if tk.LastStatus != model.TaskRunning || !tk.TargetsHealthy {
			return false
		}
	}
	return true
}

// rollbackBlueGreen rolls ns's newest (green) deployment back: the
// listener rules forward to the blue revision's groups, the green tasks
// stop, and the blue revision (the next deployment) is the service's
// again.
func (t *txn) rollbackBlueGreen(ns *model.Service, reason string) {
	if len(ns.Deployments) < 2 {
		return
	}
	green, blue := ns.Deployments[0], ns.Deployments[1]
	t.shiftTraffic(ns, true, blue.Alternate)
	t.shiftTraffic(ns, false, blue.Alternate)
	if u := t.e.idx.services[svcKey{ns.ClusterARN, ns.Name}]; u != nil {
		for _, tk := range t.deploymentTasks(u, func(k deployKey) bool { return k.startedBy == green.ID }, len(u.wanted), false) {
			t.stopTask(tk, "ServiceSchedulerInitiated", "Deployment rolled back (deployment "+green.ID+")", false)
		}
	}
	green.Status, green.RolloutState, green.UpdatedAt = "INACTIVE", "FAILED", t.now
	green.RolledBack, green.RollbackReason, green.RollbackAt = true, reason, t.now
	blue.Status, blue.UpdatedAt = "PRIMARY", t.now
	ns.Deployments = slices.Clone(ns.Deployments[1:])
	ns.Deployments[0] = blue
	ns.PastDeployments = append([]model.Deployment{green}, ns.PastDeployments...)
	ns.PastDeployments = ns.PastDeployments[:min(len(ns.PastDeployments), maxPastDeployments)]
	ns.TaskDefinitionARN = blue.TaskDefinitionARN
	if blue.Network != nil {
		ns.Network = blue.Network
	}
	t.event(ns, "(service %s) (deployment %s) deployment rolled back to %s: %s", ns.Name, green.ID, blue.ID, reason)
}

// StopBlueGreenDeployment rolls back the in-progress blue/green deployment
// id of a service (StopServiceDeployment with stopType ROLLBACK).
func (e *Engine) StopBlueGreenDeployment(cluster, service, id string) error {
	return e.write(func(t *txn) error {
		c, err := t.cluster(cluster)
		if err != nil {
			return err
		}
		s, err := t.service(c, service)
		if err != nil {
			return err
		}
		if !blueGreenInProgress(s) || s.Deployments[0].ID != id {
			return errECSInvalid("The service deployment is not in progress.") // probable
		}
		ns := cloneService(s)
		t.rollbackBlueGreen(ns, "Service deployment rolled back by StopServiceDeployment.")
		put(t, model.KindService, t.st.Services, ns.ARN, ns)
		return nil
	})
}

// deploymentByID finds a deployment of s, current or retired.
func deploymentByID(s *model.Service, id string) *model.Deployment {
	for i := range s.Deployments {
		if s.Deployments[i].ID == id {
			return &s.Deployments[i]
		}
	}
	for i := range s.PastDeployments {
		if s.PastDeployments[i].ID == id {
			return &s.PastDeployments[i]
		}
	}
	return nil
}

// taskTargetGroup is the target group a task of svc registers in for lb:
// the alternate one when its deployment takes the alternate turn.
func taskTargetGroup(svc *model.Service, tk *model.Task, lb model.ServiceLoadBalancer) string {
	if lb.Advanced == nil || lb.Advanced.AlternateTargetGroupARN == "" {
		return lb.TargetGroupARN
	}
	if d := deploymentByID(svc, tk.StartedBy); d != nil && d.Alternate {
		return lb.Advanced.AlternateTargetGroupARN
	}
	return lb.TargetGroupARN
}

// StageIndex is the position of a lifecycle stage in a blue/green
// deployment (PRE_PRODUCTION_TRAFFIC_SHIFT, a hook stage, comes just
// before PRODUCTION_TRAFFIC_SHIFT); -1 for none.
func StageIndex(stage string) int {
	if stage == "PRE_PRODUCTION_TRAFFIC_SHIFT" {
		return slices.Index(blueGreenStages, "PRODUCTION_TRAFFIC_SHIFT")
	}
	return slices.Index(blueGreenStages, stage)
}

// Lifecycle hook target types, actions and statuses
// (DeploymentLifecycleHookTargetType, DeploymentLifecycleHookAction,
// DeploymentLifecycleHookStatus).
const (
	hookLambda   = "AWS_LAMBDA"
	hookPause    = "PAUSE"
	HookContinue = "CONTINUE"
	HookRollback = "ROLLBACK"

	hookAwaiting  = "AWAITING_ACTION"
	hookSucceeded = "SUCCEEDED"
	hookFailed    = "FAILED"
	hookTimedOut  = "TIMED_OUT"
)

// A PAUSE hook's timeoutConfiguration: timeoutInMinutes between 1 and
// 20160, 1440 and ROLLBACK by default
// (DeploymentLifecycleHookTimeoutConfiguration, ECS API reference).
const (
	maxHookTimeoutMinutes     = 20160
	defaultHookTimeoutMinutes = 1440
)

// pauseAt reports whether a PAUSE lifecycle hook holds d at stage: the
// first of the service's PAUSE hooks for stage that has not run in d yet
// starts, AWAITING_ACTION, with a new hookId and its timeout.
func (t *txn) pauseAt(ns *model.Service, d *model.Deployment, stage string) bool {
	if ns.DeploymentConfig == nil {
		return false
	}
	runs := d.Runs()
	for i, h := range ns.DeploymentConfig.LifecycleHooks {
		if h.TargetType != hookPause || !slices.Contains(h.Stages, stage) ||
			slices.ContainsFunc(runs, func(r model.HookRun) bool { return r.Hook == i && r.Stage == stage }) {
			continue
		}
		mins := h.TimeoutMinutes
		if mins == 0 {
			mins = defaultHookTimeoutMinutes
		}
		action := h.TimeoutAction
		if action == "" {
			action = HookRollback
		}
		r := model.HookRun{ID: pauseHookID(ns.ARN, d.ID, i, stage), Hook: i, Stage: stage, Status: hookAwaiting,
			ExpiresAt: t.now.Add(time.Duration(mins) * time.Minute), TimeoutAction: action}
		list := append(slices.Clone(runs), r)
		d.HookRuns, d.UpdatedAt = &list, t.now
		return true
	}
	return false
}

// pauseHookID is a PAUSE hook run's hookId: ecs-pause- and 43 URL-safe
// base64 characters, as AWS shows them (pause-lifecycle-hooks.html),
// derived from the service, deployment, hook and stage.
func pauseHookID(service, deployment string, hook int, stage string) string {
	sum := sha256.Sum256([]byte(service + "\x00" + deployment + "\x00" + strconv.Itoa(hook) + "\x00" + stage))
	return "ecs-pause-" + base64.RawURLEncoding.EncodeToString(sum[:])
}

// awaitingHook is the index in d's hook runs of the one AWAITING_ACTION,
// or -1.
func awaitingHook(d *model.Deployment) int {
	return slices.IndexFunc(d.Runs(), func(r model.HookRun) bool { return r.Status == hookAwaiting })
}

// setHookStatus replaces d's hook runs with run i in status.
func setHookStatus(d *model.Deployment, i int, status string, now time.Time) {
	list := slices.Clone(d.Runs())
	list[i].Status = status
	d.HookRuns, d.UpdatedAt = &list, now
}

// ContinueServiceDeployment acts on the PAUSE hook hookID that holds the
// in-progress deployment id of a service: CONTINUE ("" too) lets it go on
// to its next lifecycle stage at the next Step, ROLLBACK rolls it back to
// the previous service revision.
func (e *Engine) ContinueServiceDeployment(cluster, service, id, hookID, action string) error {
	switch action {
	case "", HookContinue, HookRollback:
	default:
		return errECSInvalid("action should be one of [ROLLBACK,CONTINUE]") // probable
	}
	return e.write(func(t *txn) error {
		c, err := t.cluster(cluster)
		if err != nil {
			return err
		}
		s, err := t.service(c, service)
		if err != nil {
			return err
		}
		d := deploymentByID(s, id)
		if d == nil {
			return apierr.New("ServiceDeploymentNotFoundException", "The service deployment does not exist.") // probable
		}
		i := slices.IndexFunc(d.Runs(), func(r model.HookRun) bool { return r.ID == hookID })
		if i < 0 {
			return errECSInvalid("The lifecycle hook %s was not found in the service deployment.", hookID) // [choice]
		}
		if !blueGreenInProgress(s) || s.Deployments[0].ID != id {
			return errECSInvalid("The service deployment is not in progress.") // [choice]
		}
		if r := d.Runs()[i]; r.Status != hookAwaiting {
			return errECSInvalid("The lifecycle hook %s is in %s status, not AWAITING_ACTION.", hookID, r.Status) // [choice]
		}
		ns := cloneService(s)
		nd := &ns.Deployments[0]
		if action == HookRollback {
			setHookStatus(nd, i, hookFailed, t.now)
			t.rollbackBlueGreen(ns, "Service deployment rolled back by ContinueServiceDeployment.") // [choice] reason text
		} else {
			setHookStatus(nd, i, hookSucceeded, t.now)
		}
		put(t, model.KindService, t.st.Services, ns.ARN, ns)
		return nil
	})
}
