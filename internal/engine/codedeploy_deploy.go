package engine

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// The timeline of an ECS blue/green deployment, on the engine's clock
// (codedeploy/latest/userguide/deployment-steps-ecs.html,
// reference-appspec-file-structure-hooks.html#appspec-hooks-ecs): the
// replacement task set starts (Install) and must reach a steady state;
// the test listeners move to it (AllowTestTraffic); with the deployment
// group's deploymentReadyOption STOP_DEPLOYMENT the deployment waits,
// status Ready, for ContinueDeployment; production traffic moves as the
// deployment configuration says (AllowTraffic: all at once, or a canary
// share then the rest, or a linear share every interval); the replacement
// becomes primary and the original task set is drained after the
// termination wait. Hooks name Lambda functions ecsnet does not run: their
// events succeed at once, their diagnostics saying so [choice].

// codeDeployECSEvents are the lifecycle events of an ECS deployment, in
// order; the hooks are those an AppSpec may name.
func codeDeployECSEvents() []string {
	return []string{"BeforeInstall", "Install", "AfterInstall", "AllowTestTraffic", "AfterAllowTestTraffic",
		"BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic"}
}

// CodeDeployHookEvent reports whether an ECS lifecycle event runs an
// AppSpec hook.
func CodeDeployHookEvent(name string) bool {
	switch name {
	case "BeforeInstall", "AfterInstall", "AfterAllowTestTraffic", "BeforeAllowTraffic", "AfterAllowTraffic":
		return true
	}
	return false
}

// WithCodeDeployHookWait makes the Lambda hooks of ECS deployments wait,
// as AWS's do, for the function's PutLifecycleEventHookExecutionStatus,
// which the caller plays (the hook execution id is in the event's
// diagnostics): Succeeded moves the deployment on, Failed fails it
// (HOOK_EXECUTION_FAILURE), and no report within codeDeployHookTimeout
// fails it too. Without it ecsnet, which runs no Lambda function, takes
// each hook as Succeeded at once [choice].
func WithCodeDeployHookWait() Option { return func(e *Engine) { e.codeDeployHookWait = true } }

// codeDeployHookTimeout is how long a hook may take to report [probable:
// CodeDeploy's one-hour limit on a lifecycle event].
const codeDeployHookTimeout = 60 * time.Minute

// hookDone reports whether the hook of d's event ev succeeded (ev is then
// Succeeded); a hook reported Failed, or silent past
// codeDeployHookTimeout, fails d.
func (t *txn) hookDone(d *model.CodeDeployment, g *model.CodeDeployGroup, ev *model.CodeDeployLifecycleEvent) bool {
	switch ev.HookResult {
	case "Succeeded":
		ev.Status, ev.Ended = "Succeeded", t.now
		ev.Message = "Lambda function " + ev.Hook + " reported Succeeded." // choice
		return true
	case "Failed":
		msg := "The deployment failed because a specified lifecycle event hook, " + ev.Hook + ", failed (" + ev.Name + ")." // probable
		ev.Message = msg
		t.failCodeDeployment(d, g, "Failed", "HOOK_EXECUTION_FAILURE", msg)
		return false
	}
	if !t.now.Before(ev.Started.Add(codeDeployHookTimeout)) {
		msg := "The deployment failed because lifecycle event hook " + ev.Hook + " did not report its status within 60 minutes (" + ev.Name + ")." // probable
		ev.Message = msg
		t.failCodeDeployment(d, g, "Failed", "HOOK_EXECUTION_FAILURE", msg)
		return false
	}
	ev.Message = "ecsnet does not invoke Lambda function " + ev.Hook + "; report its result with PutLifecycleEventHookExecutionStatus, lifecycleEventHookExecutionId " +
		ev.HookExecution + "." // choice
	return false
}

// codeDeployInstallTimeout is how long the replacement task set has to
// become steady [probable: CodeDeploy's one-hour timeout].
const codeDeployInstallTimeout = 60 * time.Minute

// CreateCodeDeploymentInput is CreateDeployment's input.
type CreateCodeDeploymentInput struct {
	App, Group, ConfigName string
	Description            string
	Revision               map[string]any
	AppSpecText            string
	AppSpec                *CodeDeployAppSpec
	// AppSpecErr is why the revision is no ECS AppSpec: the deployment
	// of an ECS application answers it.
	AppSpecErr error
	// AlarmConfig is overrideAlarmConfiguration (nil: the group's).
	AlarmConfig map[string]any
}

// codeDeployDiscoveryDelay is how long a deployment of the EC2/On-premises
// or Lambda platform stays Created before it fails [choice].
const codeDeployDiscoveryDelay = 5 * time.Second

// createOutOfModelDeployment records a deployment of the Server or
// Lambda compute platform: ecsnet runs no CodeDeploy agent on instances
// and no Lambda function, so the deployment, Created at first, fails on
// the engine's clock as AWS's does when it finds nothing to deploy to:
// NO_INSTANCES (codedeploy/latest/userguide/error-codes.html) for Server,
// INVALID_LAMBDA_FUNCTION for Lambda [choice].
func (t *txn) createOutOfModelDeployment(a *model.CodeDeployApp, g *model.CodeDeployGroup, cfg string, in CreateCodeDeploymentInput, out **model.CodeDeployment) error {
	for _, k := range sortedKeys(t.st.CodeDeployments) {
		if d := t.st.CodeDeployments[k]; d.App == g.App && d.Group == g.Name && codeDeploymentActive(d) {
			return errCodeDeploy("DeploymentLimitExceededException",
				"The Deployment Group '%s' already has an active Deployment '%s'", g.Name, d.ID)
		}
	}
	d := &model.CodeDeployment{ID: t.codeDeploymentID(), App: g.App, Group: g.Name, ConfigName: cfg, Description: in.Description,
		Creator: "user", Revision: in.Revision, AppSpec: in.AppSpecText, Created: t.now, ComputePlatform: a.ComputePlatform,
		Status: "Created", InstallBy: t.now.Add(codeDeployDiscoveryDelay)}
	t.noteCodeDeployRevision(a, in.Revision, "", g.Name)
	ng := *g
	ng.LastAttempted = d.ID
	put(t, model.KindCodeDeployGroup, t.st.CodeDeployGroups, model.CodeDeployGroupKey(g.App, g.Name), &ng)
	put(t, model.KindCodeDeployment, t.st.CodeDeployments, d.ID, d)
	*out = d
	return nil
}

// failOutOfModelDeployment fails a Server or Lambda deployment whose
// discovery delay has passed; it reports whether d changed.
func (t *txn) failOutOfModelDeployment(d *model.CodeDeployment) bool {
	if t.now.Before(d.InstallBy) {
		return false
	}
	d.Started, d.Completed, d.Status = d.Created, t.now, "Failed"
	if d.ComputePlatform == "Lambda" {
		d.ErrorCode = "INVALID_LAMBDA_FUNCTION"
		d.ErrorMessage = "ecsnet runs no Lambda function: the AppSpec's function cannot be deployed." // choice
	} else {
		d.ErrorCode = "NO_INSTANCES"
		d.ErrorMessage = "The deployment failed because no instances were found for your deployment group. " +
			"Check your deployment group settings to make sure the tags for your Amazon EC2 instances or Auto Scaling groups correctly identify the instances you want to deploy to, and then try again." // probable
	}
	return true
}

// CreateCodeDeployment starts an ECS blue/green deployment: it creates the
// replacement task set (ACTIVE, behind the target group of the pair the
// production listener does not forward to) and the deployment, InProgress
// at its Install event; Step moves it on.
func (e *Engine) CreateCodeDeployment(in CreateCodeDeploymentInput) (*model.CodeDeployment, error) {
	var out *model.CodeDeployment
	err := e.write(func(t *txn) error {
		a := t.st.CodeDeployApps[in.App]
		if in.App == "" {
			return errCodeDeploy("ApplicationNameRequiredException", "Application name is required") // probable
		}
		if a == nil {
			return errNoApplication(in.App)
		}
		if in.Group == "" {
			return errCodeDeploy("DeploymentGroupNameRequiredException", "Deployment Group name is required") // probable
		}
		g := t.st.CodeDeployGroups[model.CodeDeployGroupKey(in.App, in.Group)]
		if g == nil {
			return errCodeDeploy("DeploymentGroupDoesNotExistException", "No Deployment Group found for name: %s", in.Group) // probable
		}
		cfgName := in.ConfigName
		if cfgName == "" {
			cfgName = g.ConfigName
		}
		cfg, ok := t.codeDeployConfig(cfgName)
		if !ok {
			return errCodeDeploy("DeploymentConfigDoesNotExistException", "No deployment configuration found for name: %s", cfgName) // probable
		}
		if in.Revision == nil {
			return errCodeDeploy("RevisionRequiredException", "Revision is required") // probable
		}
		if cfg.ComputePlatform != a.ComputePlatform {
			return errCodeDeploy("InvalidDeploymentConfigNameException",
				"Deployment configuration %s is for the %s compute platform, not %s", cfgName, cfg.ComputePlatform, a.ComputePlatform) // probable
		}
		if a.ComputePlatform != "ECS" {
			return t.createOutOfModelDeployment(a, g, cfgName, in, &out)
		}
		if in.AppSpecErr != nil {
			return in.AppSpecErr
		}
		if in.AppSpec == nil {
			return errCodeDeploy("InvalidRevisionException", "ecsnet reads an ECS AppSpec from appSpecContent or string only") // choice
		}
		for _, k := range sortedKeys(t.st.CodeDeployments) {
			if d := t.st.CodeDeployments[k]; d.App == g.App && d.Group == g.Name && codeDeploymentActive(d) {
				return errCodeDeploy("DeploymentLimitExceededException",
					"The Deployment Group '%s' already has an active Deployment '%s'", g.Name, d.ID)
			}
		}
		if len(g.ECSServices) != 1 || len(g.TargetGroupPairs) != 1 {
			return errCodeDeploy("InvalidECSServiceException", "Deployment group %s has no ECS service and target group pair", g.Name) // probable
		}
		sv, pair := g.ECSServices[0], g.TargetGroupPairs[0]
		s, err := t.codeDeployService(sv.Cluster, sv.Service)
		if err != nil {
			return err
		}
		d := &model.CodeDeployment{ID: t.codeDeploymentID(), App: g.App, Group: g.Name, ConfigName: cfgName, Description: in.Description,
			Creator: "user", Revision: in.Revision, AppSpec: in.AppSpecText, Created: t.now, Started: t.now, ComputePlatform: "ECS",
			Cluster: sv.Cluster, Service: sv.Service, Status: "InProgress", InstallBy: t.now.Add(codeDeployInstallTimeout), AlarmConfig: in.AlarmConfig}
		// The pair's group the production listener forwards to is the
		// original; the other takes the replacement task set.
		var tgs []string
		for _, n := range pair.TargetGroups {
			tg := t.targetGroupNamed(n)
			if tg == nil {
				return errCodeDeploy("InvalidTargetGroupPairException", "Target group %s does not exist", n) // probable
			}
			tgs = append(tgs, tg.ARN)
		}
		prod := t.st.Listeners[pair.ProdListeners[0]]
		if prod == nil {
			return errCodeDeploy("InvalidTargetGroupPairException", "Listener %s does not exist", pair.ProdListeners[0]) // probable
		}
		from, to := tgs[0], tgs[1]
		if forwardsTo(prod.DefaultActions, tgs[1]) && !forwardsTo(prod.DefaultActions, tgs[0]) {
			from, to = tgs[1], tgs[0]
		}
		d.FromTargetGroup, d.ToTargetGroup = from, to
		i := slices.IndexFunc(s.TaskSets, func(ts model.TaskSet) bool { return ts.Status == "PRIMARY" })
		var orig model.TaskSet
		if i >= 0 {
			orig = s.TaskSets[i]
		}
		spec := *in.AppSpec
		launch, strategy, network, platform := orig.LaunchType, orig.CapacityProviders, orig.Network, orig.PlatformVersion
		if len(spec.CapacityProviderStrategy) > 0 {
			launch, strategy = "", spec.CapacityProviderStrategy
		} else if len(strategy) > 0 {
			launch = ""
		}
		if spec.Network != nil {
			network = spec.Network
		}
		if spec.PlatformVersion != "" {
			platform = spec.PlatformVersion
		}
		c := t.st.Clusters[s.ClusterARN]
		p, err := t.planLaunch(c.Name, spec.TaskDefinition, launch, strategy, network, platform, false)
		if err != nil {
			return errCodeDeploy("InvalidRevisionException", "The AppSpec's task definition cannot run: %s", errMessage(err)) // probable
		}
		lb := model.ServiceLoadBalancer{TargetGroupARN: to, ContainerName: spec.ContainerName, ContainerPort: spec.ContainerPort}
		// The replacement's target group is behind the load balancer once
		// the listeners move; until then the pair's other group stands
		// for it in the check [choice].
		check := lb
		if len(targetGroupLoadBalancers(t.st, to)) == 0 {
			check.TargetGroupARN = from
		}
		if err := t.checkServiceLoadBalancer(p.td, check); err != nil {
			return errCodeDeploy("InvalidRevisionException", "The AppSpec's load balancer information is invalid: %s", errMessage(err)) // probable
		}
		ns := cloneService(s)
		ts := t.newTaskSet(ns, d.ID)
		ts.Status = "ACTIVE"
		ts.TaskDefinitionARN, ts.LaunchType, ts.Network = p.td.ARN, p.launch, p.network
		ts.CapacityProviders, ts.LoadBalancers = slices.Clone(strategy), []model.ServiceLoadBalancer{lb}
		if p.fargate {
			ts.PlatformVersion = firstString(platform, "LATEST")
		}
		ns.TaskSets = append(ns.TaskSets, ts)
		d.OriginalTaskSet, d.ReplacementTaskSet = orig.ID, ts.ID
		for _, name := range codeDeployECSEvents() {
			ev := model.CodeDeployLifecycleEvent{Name: name, Status: "Pending", Hook: spec.Hooks[name]}
			if ev.Hook != "" {
				ev.HookExecution = t.uuid()
			}
			d.Events = append(d.Events, ev)
		}
		put(t, model.KindService, t.st.Services, ns.ARN, ns)
		t.noteCodeDeployRevision(a, in.Revision, "", g.Name)
		ng := *g
		ng.LastAttempted = d.ID
		put(t, model.KindCodeDeployGroup, t.st.CodeDeployGroups, model.CodeDeployGroupKey(g.App, g.Name), &ng)
		t.advanceCodeDeployment(d)
		put(t, model.KindCodeDeployment, t.st.CodeDeployments, d.ID, d)
		out = d
		return nil
	})
	return out, err
}

// codeDeploymentActive reports whether a deployment has not ended.
func codeDeploymentActive(d *model.CodeDeployment) bool {
	switch d.Status {
	case "Created", "Queued", "InProgress", "Ready", "Baking":
		return true
	}
	return false
}

// advanceCodeDeployments moves each deployment under way as far as it can
// go now (Step).
func (t *txn) advanceCodeDeployments() {
	for _, k := range sortedKeys(t.st.CodeDeployments) {
		d := t.st.CodeDeployments[k]
		if !codeDeploymentActive(d) {
			continue
		}
		nd := *d
		nd.Events = slices.Clone(d.Events)
		if d.ComputePlatform != "ECS" {
			if t.failOutOfModelDeployment(&nd) {
				put(t, model.KindCodeDeployment, t.st.CodeDeployments, k, &nd)
			}
			continue
		}
		if t.advanceCodeDeployment(&nd) {
			put(t, model.KindCodeDeployment, t.st.CodeDeployments, k, &nd)
		}
	}
}

// advanceCodeDeployment moves d (a copy the caller stores) through its
// lifecycle events as far as the engine's state allows; it reports
// whether d changed.
func (t *txn) advanceCodeDeployment(d *model.CodeDeployment) bool {
	before := fmt.Sprint(*d)
	g := t.st.CodeDeployGroups[model.CodeDeployGroupKey(d.App, d.Group)]
	s, err := t.codeDeployService(d.Cluster, d.Service)
	if g == nil || err != nil {
		t.failCodeDeployment(d, g, "Failed", "ECS_UPDATE_ERROR", "The deployment group or its ECS service no longer exists.") // probable
		return true
	}
	if msg, stop := t.codeDeployAlarmsActive(d, g); stop {
		t.stopOnAlarm(d, g, msg)
		return true
	}
	for codeDeploymentActive(d) {
		i := slices.IndexFunc(d.Events, func(ev model.CodeDeployLifecycleEvent) bool {
			return ev.Status == "Pending" || ev.Status == "InProgress"
		})
		if i < 0 {
			t.terminateOriginal(d, g)
			break
		}
		ev := &d.Events[i]
		if ev.Status == "Pending" {
			ev.Status, ev.Started = "InProgress", t.now
		}
		if CodeDeployHookEvent(ev.Name) {
			if ev.Name == "BeforeAllowTraffic" && !t.readyForTraffic(d, g) {
				break
			}
			if ev.Hook != "" && t.e.codeDeployHookWait {
				if !t.hookDone(d, g, ev) {
					return fmt.Sprint(*d) != before
				}
				continue
			}
			ev.Status, ev.Ended = "Succeeded", t.now
			if ev.Hook != "" {
				ev.Message = "ecsnet does not invoke Lambda function " + ev.Hook + "; the hook is taken as Succeeded." // choice
			}
			continue
		}
		switch ev.Name {
		case "Install":
			if !t.replacementSteady(d, g, s, ev) {
				return fmt.Sprint(*d) != before
			}
		case "AllowTestTraffic":
			for _, l := range g.TargetGroupPairs[0].TestListeners {
				t.pointListener(l, d.FromTargetGroup, d.ToTargetGroup)
			}
		case "AllowTraffic":
			if !t.shiftCodeDeployTraffic(d, g) {
				return fmt.Sprint(*d) != before
			}
		}
		ev.Status, ev.Ended = "Succeeded", t.now
		// Events set out since the loop began move on in this pass.
		s, _ = t.codeDeployService(d.Cluster, d.Service)
		if s == nil {
			break
		}
	}
	return fmt.Sprint(*d) != before
}

// replacementSteady reports whether the replacement task set of d is
// steady (its tasks running, as many as it wants). It fails d when the
// task set's tasks keep failing (as many failures as ECS's deployment
// circuit breaker allows a service of the desired count [choice]) or when
// it is not steady within the install timeout.
func (t *txn) replacementSteady(d *model.CodeDeployment, g *model.CodeDeployGroup, s *model.Service, ev *model.CodeDeployLifecycleEvent) bool {
	i := slices.IndexFunc(s.TaskSets, func(ts model.TaskSet) bool { return ts.ID == d.ReplacementTaskSet })
	if i < 0 {
		t.failCodeDeployment(d, g, "Failed", "ECS_UPDATE_ERROR", "The replacement task set "+d.ReplacementTaskSet+" no longer exists.") // probable
		return false
	}
	ts := s.TaskSets[i]
	want := ts.ComputedDesiredCount(s.DesiredCount)
	running := 0
	if u := t.e.idx.services[svcKey{s.ClusterARN, s.Name}]; u != nil {
		running = u.byStatus[ts.ID][0]
	}
	if ts.StabilityStatus == "STEADY_STATE" && running >= want {
		return true
	}
	// The count is order-free; the reason quoted is the latest stopped
	// task's (by stop time, then ARN).
	failed := 0
	var last *model.Task
	for _, tk := range t.st.Tasks {
		if tk.StartedBy != ts.ID || tk.ClusterARN != s.ClusterARN || tk.LastStatus != model.TaskStopped {
			continue
		}
		if tk.StopCode == "TaskFailedToStart" || tk.StopCode == "EssentialContainerExited" || failedELBHealth(tk) {
			failed++
			if last == nil || tk.StoppedAt.After(last.StoppedAt) || (tk.StoppedAt.Equal(last.StoppedAt) && tk.ARN > last.ARN) {
				last = tk
			}
		}
	}
	if threshold := min(max(3, (s.DesiredCount+1)/2), 200); failed >= threshold {
		msg := fmt.Sprintf("The ECS replacement task set %s failed to reach a steady state: %d of its tasks stopped. The last stopped task's reason: %s",
			ts.ID, failed, last.StoppedReason) // probable
		ev.Message = msg
		t.failCodeDeployment(d, g, "Failed", "ECS_UPDATE_ERROR", msg)
		return false
	}
	if !t.now.Before(d.InstallBy) {
		msg := "The deployment timed out while waiting for the replacement task set to become healthy. This time out period is 60 minutes." // probable
		ev.Message = msg
		t.failCodeDeployment(d, g, "Failed", "TIMEOUT", msg)
		return false
	}
	return false
}

// readyForTraffic reports whether production traffic may move: at once
// with deploymentReadyOption CONTINUE_DEPLOYMENT (the default), after
// ContinueDeployment with STOP_DEPLOYMENT, the deployment Ready until
// then; past its waitTimeInMinutes a Ready deployment stops.
func (t *txn) readyForTraffic(d *model.CodeDeployment, g *model.CodeDeployGroup) bool {
	if d.ReadyContinued {
		return true
	}
	action, wait := readyOption(g)
	if action != "STOP_DEPLOYMENT" {
		return true
	}
	switch {
	case d.Status != "Ready":
		d.Status, d.ReadyUntil = "Ready", t.now.Add(time.Duration(wait)*time.Minute)
	case !t.now.Before(d.ReadyUntil):
		t.failCodeDeployment(d, g, "Stopped", "TIMEOUT",
			"The deployment was stopped because traffic rerouting was not started before the end of the wait period.") // probable
	}
	return false
}

// readyOption is a group's deploymentReadyOption.
func readyOption(g *model.CodeDeployGroup) (action string, waitMinutes int) {
	bg, _ := g.Config["blueGreenDeploymentConfiguration"].(map[string]any)
	ro, _ := bg["deploymentReadyOption"].(map[string]any)
	action, _ = ro["actionOnTimeout"].(string)
	switch w := ro["waitTimeInMinutes"].(type) {
	case float64:
		waitMinutes = int(w)
	case int:
		waitMinutes = w
	case int64:
		waitMinutes = int(w)
	}
	return action, waitMinutes
}

// shiftCodeDeployTraffic moves production traffic as d's configuration says and
// reports whether all of it is on the replacement task set.
func (t *txn) shiftCodeDeployTraffic(d *model.CodeDeployment, g *model.CodeDeployGroup) bool {
	cfg, _ := t.codeDeployConfig(d.ConfigName)
	step := float64(cfg.Percentage)
	switch {
	case d.TrafficWeight == 0 && d.NextShiftAt.IsZero():
		if cfg.Type == "TimeBasedCanary" || cfg.Type == "TimeBasedLinear" {
			d.TrafficWeight = step
		} else {
			d.TrafficWeight = 100
		}
		d.NextShiftAt = t.now
	case !d.NextShiftAt.IsZero() && !t.now.Before(d.NextShiftAt):
		// Each interval due since the last shift moves its share.
		for d.TrafficWeight < 100 && !t.now.Before(d.NextShiftAt) {
			if cfg.Type == "TimeBasedLinear" {
				d.TrafficWeight = min(100, d.TrafficWeight+step)
			} else {
				d.TrafficWeight = 100
			}
			d.NextShiftAt = d.NextShiftAt.Add(time.Duration(cfg.IntervalMinutes) * time.Minute)
		}
	default:
		return false
	}
	if d.TrafficWeight < 100 && !d.NextShiftAt.After(t.now) {
		d.NextShiftAt = d.NextShiftAt.Add(time.Duration(cfg.IntervalMinutes) * time.Minute)
	}
	if d.TrafficWeight >= 100 {
		d.NextShiftAt = time.Time{}
	}
	for _, l := range g.TargetGroupPairs[0].ProdListeners {
		if d.TrafficWeight >= 100 {
			t.pointListener(l, d.FromTargetGroup, d.ToTargetGroup)
		} else {
			t.weighListener(l, d.FromTargetGroup, d.ToTargetGroup, int(d.TrafficWeight))
		}
	}
	if d.TrafficWeight < 100 {
		return false
	}
	// All traffic on the replacement: it becomes the primary task set.
	t.setPrimaryTaskSet(d, d.ReplacementTaskSet, d.OriginalTaskSet, "ACTIVE")
	return true
}

// weighListener makes a listener's default forward actions that send to
// from or to split their traffic: percent to to, the rest to from.
func (t *txn) weighListener(arn, from, to string, percent int) {
	l := t.st.Listeners[arn]
	if l == nil {
		return
	}
	c := *l
	c.DefaultActions = slices.Clone(l.DefaultActions)
	for i, a := range c.DefaultActions {
		if f := a.ForwardTargetGroups(); a.Type != "forward" || (!slices.Contains(f, from) && !slices.Contains(f, to)) {
			continue
		}
		n := a
		n.TargetGroupARN = ""
		n.TargetGroups = []model.WeightedTargetGroup{{ARN: from, Weight: 100 - percent}, {ARN: to, Weight: percent}}
		c.DefaultActions[i] = n
	}
	put(t, model.KindListener, t.st.Listeners, c.ARN, &c)
}

// terminateOriginal ends a deployment whose traffic moved: the original
// task set drains once the group's termination wait has passed, and the
// deployment succeeds.
func (t *txn) terminateOriginal(d *model.CodeDeployment, g *model.CodeDeployGroup) {
	if d.TerminateAt.IsZero() {
		d.TerminateAt = t.now.Add(time.Duration(g.TerminationWaitMinutes) * time.Minute)
	}
	if t.now.Before(d.TerminateAt) {
		return
	}
	if s, err := t.codeDeployService(d.Cluster, d.Service); err == nil {
		ns := cloneService(s)
		drainTaskSet(ns, d.OriginalTaskSet, t.now)
		put(t, model.KindService, t.st.Services, ns.ARN, ns)
	}
	d.Status, d.Completed = "Succeeded", t.now
	ng := *g
	ng.LastSuccessful = d.ID
	put(t, model.KindCodeDeployGroup, t.st.CodeDeployGroups, model.CodeDeployGroupKey(g.App, g.Name), &ng)
}

// failCodeDeployment ends d (status Failed or Stopped) with an error:
// the event under way fails, those after it are skipped, the traffic and
// the primary task set go back to the original and the replacement task
// set drains. When the group's autoRollbackConfiguration asks for it
// (DEPLOYMENT_FAILURE for a failure, DEPLOYMENT_STOP_ON_ALARM for a stop
// of code ALARM_ACTIVE, DEPLOYMENT_STOP_ON_REQUEST for another stop), a
// rollback deployment records the roll back, as AWS's does.
func (t *txn) failCodeDeployment(d *model.CodeDeployment, g *model.CodeDeployGroup, status, code, msg string) {
	for i := range d.Events {
		switch d.Events[i].Status {
		case "InProgress":
			d.Events[i].Status, d.Events[i].Ended = "Failed", t.now
			d.Events[i].ErrorCode = code
			if d.Events[i].Message == "" {
				d.Events[i].Message = msg
			}
		case "Pending":
			d.Events[i].Status = "Skipped"
		}
	}
	d.Status, d.Completed, d.ErrorCode, d.ErrorMessage = status, t.now, code, msg
	d.TerminateAt, d.NextShiftAt, d.ReadyUntil = time.Time{}, time.Time{}, time.Time{}
	t.restoreOriginal(d, g)
	trigger := map[string]string{"Failed": "DEPLOYMENT_FAILURE", "Stopped": "DEPLOYMENT_STOP_ON_REQUEST"}[status]
	if code == "ALARM_ACTIVE" {
		trigger = "DEPLOYMENT_STOP_ON_ALARM"
	}
	if g == nil || !autoRollback(g, trigger) {
		return
	}
	r := &model.CodeDeployment{ID: t.codeDeploymentID(), App: d.App, Group: d.Group, ConfigName: d.ConfigName, Creator: "autoRollback",
		Revision: d.Revision, AppSpec: d.AppSpec, Created: t.now, Started: t.now, Completed: t.now, ComputePlatform: d.ComputePlatform,
		Cluster: d.Cluster, Service: d.Service, Status: "Succeeded", OriginalTaskSet: d.ReplacementTaskSet, ReplacementTaskSet: d.OriginalTaskSet,
		FromTargetGroup: d.ToTargetGroup, ToTargetGroup: d.FromTargetGroup, RollbackOf: d.ID, TrafficWeight: 100,
		RollbackMessage: "Automatic rollback triggered by deployment " + d.ID + " failure"} // probable
	if code == "ALARM_ACTIVE" {
		r.RollbackMessage = "Automatic rollback triggered by deployment " + d.ID + " stopped on alarm" // probable
	}
	for _, name := range codeDeployECSEvents() {
		r.Events = append(r.Events, model.CodeDeployLifecycleEvent{Name: name, Status: "Succeeded", Started: t.now, Ended: t.now})
	}
	d.RollbackDeploymentID = r.ID
	d.RollbackMessage = "Deployment " + d.ID + " failed and was rolled back by deployment " + r.ID + "." // probable
	put(t, model.KindCodeDeployment, t.st.CodeDeployments, r.ID, r)
}

// autoRollback reports whether a group rolls back on event
// (autoRollbackConfiguration enabled and listing it).
func autoRollback(g *model.CodeDeployGroup, event string) bool {
	ar, _ := g.Config["autoRollbackConfiguration"].(map[string]any)
	if on, _ := ar["enabled"].(bool); !on {
		return false
	}
	events, _ := ar["events"].([]any)
	return slices.Contains(events, any(event))
}

// restoreOriginal puts d's traffic back on the original task set, primary
// again, and drains the replacement.
func (t *txn) restoreOriginal(d *model.CodeDeployment, g *model.CodeDeployGroup) {
	if !t.setPrimaryTaskSet(d, d.OriginalTaskSet, d.ReplacementTaskSet, "DRAINING") {
		return
	}
	if g != nil && len(g.TargetGroupPairs) == 1 && d.OriginalTaskSet != "" {
		p := g.TargetGroupPairs[0]
		for _, l := range slices.Concat(p.TestListeners, p.ProdListeners) {
			t.pointListener(l, d.ToTargetGroup, d.FromTargetGroup)
		}
	}
}

// StopCodeDeployment stops a deployment under way. With rollback (or when
// the group's autoRollbackConfiguration lists DEPLOYMENT_STOP_ON_REQUEST)
// the traffic goes back to the original task set, primary again, and the
// replacement drains; without, a deployment whose traffic all moved stays
// where it is, and one whose traffic had not all moved goes back too.
func (e *Engine) StopCodeDeployment(id string, rollback bool) (*model.CodeDeployment, error) {
	var out *model.CodeDeployment
	err := e.write(func(t *txn) error {
		d := t.st.CodeDeployments[id]
		if d == nil {
			return errCodeDeploy("DeploymentDoesNotExistException", "Deployment %s does not exist", id) // probable
		}
		if !codeDeploymentActive(d) {
			return errCodeDeploy("DeploymentAlreadyCompletedException", "The deployment %s has already completed.", id) // probable
		}
		g := t.st.CodeDeployGroups[model.CodeDeployGroupKey(d.App, d.Group)]
		nd := *d
		nd.Events = slices.Clone(d.Events)
		moved := nd.TrafficWeight >= 100
		const stopped = "The deployment was stopped by the user." // probable
		if rollback || !moved || (g != nil && autoRollback(g, "DEPLOYMENT_STOP_ON_REQUEST")) {
			t.failCodeDeployment(&nd, g, "Stopped", "MANUAL_STOP", stopped)
		} else {
			t.stopInPlace(&nd, "MANUAL_STOP", stopped)
		}
		put(t, model.KindCodeDeployment, t.st.CodeDeployments, id, &nd)
		out = &nd
		return nil
	})
	return out, err
}

// ContinueCodeDeployment is ContinueDeployment: a Ready deployment
// (READY_WAIT) moves its production traffic; one waiting out its
// termination wait (TERMINATION_WAIT) drains the original task set now.
func (e *Engine) ContinueCodeDeployment(id, waitType string) error {
	return e.write(func(t *txn) error {
		if id == "" {
			return errCodeDeploy("DeploymentIdRequiredException", "Deployment ID is required") // probable
		}
		d := t.st.CodeDeployments[id]
		if d == nil {
			return errCodeDeploy("DeploymentDoesNotExistException", "Deployment %s does not exist", id) // probable
		}
		if !codeDeploymentActive(d) {
			return errCodeDeploy("DeploymentAlreadyCompletedException", "The deployment %s has already completed.", id) // probable
		}
		nd := *d
		nd.Events = slices.Clone(d.Events)
		switch waitType {
		case "", "READY_WAIT":
			if d.Status != "Ready" {
				return errCodeDeploy("DeploymentIsNotInReadyStateException", "The deployment %s is not in the Ready state.", id) // probable
			}
			nd.Status, nd.ReadyContinued, nd.ReadyUntil = "InProgress", true, time.Time{}
		case "TERMINATION_WAIT":
			if d.TerminateAt.IsZero() || !t.now.Before(d.TerminateAt) {
				return errCodeDeploy("InvalidDeploymentWaitTypeException",
					"The deployment %s is not waiting for the original task set's termination.", id) // probable
			}
			nd.TerminateAt = t.now
		default:
			return errCodeDeploy("InvalidDeploymentWaitTypeException", "The wait type %s is invalid.", waitType) // probable
		}
		t.advanceCodeDeployment(&nd)
		put(t, model.KindCodeDeployment, t.st.CodeDeployments, id, &nd)
		return nil
	})
}

// PutCodeDeployHookStatus is PutLifecycleEventHookExecutionStatus: the
// hooks of ecsnet's deployments have already succeeded (ecsnet runs no
// Lambda function), so a known hook execution answers
// LifecycleEventAlreadyCompletedException. It returns the execution id.
func (e *Engine) PutCodeDeployHookStatus(id, execution, status string) (string, error) {
	err := e.write(func(t *txn) error {
		if id == "" {
			return errCodeDeploy("DeploymentIdRequiredException", "Deployment ID is required") // probable
		}
		d := t.st.CodeDeployments[id]
		if d == nil {
			return errCodeDeploy("DeploymentDoesNotExistException", "Deployment %s does not exist", id) // probable
		}
		switch status {
		case "Succeeded", "Failed":
		default:
			return errCodeDeploy("InvalidLifecycleEventHookExecutionStatusException",
				"The status %s is invalid: it must be Succeeded or Failed.", status) // probable
		}
		i := slices.IndexFunc(d.Events, func(ev model.CodeDeployLifecycleEvent) bool { return execution != "" && ev.HookExecution == execution })
		if i < 0 {
			return errCodeDeploy("InvalidLifecycleEventHookExecutionIdException",
				"The lifecycle event hook execution ID %s is not valid for deployment %s.", execution, id) // probable
		}
		if ev := d.Events[i]; ev.Status != "Pending" && ev.Status != "InProgress" {
			return errCodeDeploy("LifecycleEventAlreadyCompletedException",
				"The lifecycle event %s of deployment %s has already completed: %s.", ev.Name, id, ev.Status) // probable
		}
		if !t.e.codeDeployHookWait || !codeDeploymentActive(d) {
			return nil
		}
		nd := *d
		nd.Events = slices.Clone(d.Events)
		nd.Events[i].HookResult = status
		t.advanceCodeDeployment(&nd)
		put(t, model.KindCodeDeployment, t.st.CodeDeployments, id, &nd)
		return nil
	})
	return execution, err
}

// setPrimaryTaskSet makes task set primary of d's service PRIMARY (the
// service takes its task definition and load balancers) and gives task
// set other the status otherStatus. It reports whether the service was
// found.
func (t *txn) setPrimaryTaskSet(d *model.CodeDeployment, primary, other, otherStatus string) bool {
	s, err := t.codeDeployService(d.Cluster, d.Service)
	if err != nil {
		return false
	}
	ns := cloneService(s)
	for k := range ns.TaskSets {
		switch ts := &ns.TaskSets[k]; ts.ID {
		case primary:
			ts.Status, ts.UpdatedAt = "PRIMARY", t.now
			ns.TaskDefinitionARN, ns.LoadBalancers = ts.TaskDefinitionARN, slices.Clone(ts.LoadBalancers)
		case other:
			ts.Status, ts.UpdatedAt = otherStatus, t.now
		}
	}
	put(t, model.KindService, t.st.Services, ns.ARN, ns)
	return true
}

// stopInPlace ends d, Stopped with an error, where its traffic is: all of
// it moved to the replacement task set, which stays primary, and the
// original is kept (no termination) [probable].
func (t *txn) stopInPlace(d *model.CodeDeployment, code, msg string) {
	for i := range d.Events {
		if d.Events[i].Status == "Pending" || d.Events[i].Status == "InProgress" {
			d.Events[i].Status = "Skipped"
		}
	}
	d.Status, d.Completed, d.TerminateAt = "Stopped", t.now, time.Time{}
	d.ErrorCode, d.ErrorMessage = code, msg
}

// codeDeployAlarmConfig is the alarm configuration that watches d: the
// deployment's overrideAlarmConfiguration when CreateDeployment gave
// one, else its group's alarmConfiguration.
func codeDeployAlarmConfig(d *model.CodeDeployment, g *model.CodeDeployGroup) map[string]any {
	if d.AlarmConfig != nil {
		return d.AlarmConfig
	}
	ac, _ := g.Config["alarmConfiguration"].(map[string]any)
	return ac
}

// codeDeployAlarmsActive reports whether the CloudWatch alarms watching
// d stop it (codedeploy/latest/userguide/monitoring-create-alarms.html:
// "If any of the specified alarms are activated, the deployment stops,
// and the status is updated to Stopped"), and with what message: an
// alarm in ALARM does; an alarm CloudWatch does not have (its state
// cannot be retrieved) does unless ignorePollAlarmFailure is true
// (API_AlarmConfiguration) [probable: CodeDeploy's treatment of a
// missing alarm is not documented].
func (t *txn) codeDeployAlarmsActive(d *model.CodeDeployment, g *model.CodeDeployGroup) (string, bool) {
	ac := codeDeployAlarmConfig(d, g)
	if on, _ := ac["enabled"].(bool); !on || !codeDeploymentActive(d) {
		return "", false
	}
	ignoreMissing, _ := ac["ignorePollAlarmFailure"].(bool)
	alarms, _ := ac["alarms"].([]any)
	var active, missing []string
	for _, a := range alarms {
		m, _ := a.(map[string]any)
		name, _ := m["name"].(string)
		switch al := t.st.MetricAlarms[name]; {
		case name == "":
		case al == nil:
			missing = append(missing, name)
		case al.StateValue == "ALARM":
			active = append(active, name)
		}
	}
	if len(active) > 0 {
		return "One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: " +
			strings.Join(active, ", "), true // probable
	}
	if len(missing) > 0 && !ignoreMissing {
		return "The deployment was stopped because the state of its CloudWatch alarms could not be retrieved: " + strings.Join(missing, ", ") +
			" not found. Set ignorePollAlarmFailure to continue deployments regardless.", true // probable
	}
	return "", false
}

// stopOnAlarm stops d for an alarm (ALARM_ACTIVE): with the group's
// autoRollbackConfiguration listing DEPLOYMENT_STOP_ON_ALARM, or before
// all production traffic moved, the traffic and the primary task set go
// back to the original (and the rollback is recorded); else d stops
// where it is.
func (t *txn) stopOnAlarm(d *model.CodeDeployment, g *model.CodeDeployGroup, msg string) {
	if d.TrafficWeight < 100 || autoRollback(g, "DEPLOYMENT_STOP_ON_ALARM") {
		t.failCodeDeployment(d, g, "Stopped", "ALARM_ACTIVE", msg)
		return
	}
	t.stopInPlace(d, "ALARM_ACTIVE", msg)
}
