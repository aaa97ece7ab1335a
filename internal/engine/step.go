package engine

import (
	"container/heap"
	"slices"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// StartCheck decides whether a task can start: whether it reaches its image
// registry and what else it needs. It returns "" when the task can start,
// else the stoppedReason AWS would report (CannotPullContainerError,
// ResourceInitializationError, …). The analyzer provides it; the engine
// itself knows no reachability. It must only read st.
type StartCheck func(st *model.State, tk *model.Task) string

// WithStartCheck installs the check Step runs before a task leaves
// PROVISIONING (awsvpc) or PENDING.
func WithStartCheck(c StartCheck) Option { return func(e *Engine) { e.startCheck = c } }

// WithSecretCheck makes tasks whose container secrets name a Secrets
// Manager secret or SSM parameter that does not exist stop as on AWS
// (after the start check: the agent fetches secrets once it reaches the
// services, before it creates log streams). The emulator turns it on with
// reach.SecretCheck; analyzed sources, which need not list secrets, leave
// it off.
func WithSecretCheck(c StartCheck) Option { return func(e *Engine) { e.secretCheck = c } }

// InstanceCheck decides whether an instance can do something over the
// network: "" when it can, else why not. The analyzer provides it; it must
// only read st.
type InstanceCheck func(st *model.State, inst *model.Instance) string

// WithSignalCheck installs the check SignalFailure runs: whether an
// instance's cfn-signal reaches AWS CloudFormation (a CreationPolicy's
// success signal). Without it every signal is taken to arrive.
func WithSignalCheck(c InstanceCheck) Option { return func(e *Engine) { e.signalCheck = c } }

// SignalFailure returns why the instance's cfn-signal cannot reach AWS
// CloudFormation, "" when it can (or no check is installed, or the
// instance is unknown).
func (e *Engine) SignalFailure(id model.InstanceID) string {
	if e.signalCheck == nil {
		return ""
	}
	var why string
	e.Read(func(st *model.State) {
		if inst := st.Instances[id]; inst != nil {
			why = e.signalCheck(st, inst)
		}
	})
	return why
}

// EnvFileCheck tells why a task cannot start for its containers'
// environmentFiles ("" when it can): st is the task's region's state,
// global the state holding the S3 buckets.
type EnvFileCheck func(st, global *model.State, tk *model.Task) string

// WithEnvFileCheck checks, as a task starts, that the S3 objects its
// containers' environmentFiles name exist. Buckets live in the state of
// the partition's global region (WithIAM): without it, S3 is not known
// and nothing is checked.
func WithEnvFileCheck(c EnvFileCheck) Option { return func(e *Engine) { e.envFileCheck = c } }

// RegisterCheck decides whether the ECS agent on an instance can register
// it with its cluster: reason is "" when the agent reaches the ecs
// endpoint (RegisterContainerInstance; through an interface endpoint or
// the internet), else why not. connected says whether it also reaches
// the agent's communication service (the ecs-agent endpoint, ACS):
// without it the instance registers with agentConnected false and ECS
// places no task on it. The analyzer provides it. It must only read st.
type RegisterCheck func(st *model.State, inst *model.Instance) (reason string, connected bool)

// WithRegisterCheck installs the check Step runs before an instance's agent
// registers it: an instance whose agent cannot reach ECS never registers,
// as on AWS, and tasks stay unplaced.
func WithRegisterCheck(c RegisterCheck) Option { return func(e *Engine) { e.registerCheck = c } }

// WithDeclaredIAM marks every instance the engine launches (RunInstances,
// Auto Scaling, fleets) as one whose source declares its instance profile
// (model.Instance.IAMDeclared): a launch without a profile has none, and
// the RegisterCheck may refuse its agent credentials. Sources that declare
// IAM (CloudFormation templates, Terraform configurations) set it; scenario
// files and snapshots do not, and their instances' credentials are unknown.
func WithDeclaredIAM() Option { return func(e *Engine) { e.declaredIAM = true } }

// WithIAM makes the engine an emulated region of an account whose IAM
// (roles, managed policies, instance profiles) lives in the engine find
// returns: IAM is global, and its state is the partition's IAM region's
// (us-east-1; the engine itself there). Every instance the engine launches
// declares its instance profile (WithDeclaredIAM), and an instance's ECS
// agent registers only with credentials that allow it, as on AWS: a
// profile whose role's policies allow ecs:RegisterContainerInstance
// (model.AgentCredentials, judged against the whole of the account's IAM).
// An instance without them keeps running unregistered, and its agent tries
// again at every Step, so a profile associated later lets it register.
func WithIAM(find func() (*Engine, error)) Option {
	return func(e *Engine) { e.iam, e.declaredIAM = find, true }
}

// DeclareIAM is WithDeclaredIAM from now on: the instances launched
// afterwards carry IAMDeclared, those launched before keep theirs (a
// template deployed onto a scenario or snapshot that did not declare IAM).
func (e *Engine) DeclareIAM() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.declaredIAM = true
}

// Step runs one pass of the asynchronous side of AWS: instances boot and
// register with ECS, NAT gateways become available, tasks move through
// their lifecycle, services and Auto Scaling groups converge. Only
// transitions that are due (Config.TaskStartDelay) happen; reading state
// never moves it. It reports whether anything changed.
//
// A pass is bounded: it moves at most Config.TaskTransitionsPerStep tasks,
// and each service starts or stops at most Config.ServiceLaunchBatch. It
// runs as a series of small transactions (stepChunk tasks each), so that
// requests are served between them and none waits for a whole pass.
func (e *Engine) Step() (bool, error) {
	changed := false
	run := func(name string, fn func(t *txn) error) error {
		return e.writeAs(name, 0, func(t *txn) error {
			if err := fn(t); err != nil {
				return err
			}
			changed = changed || len(t.order) > 0
			return nil
		})
	}
	if err := run("Step.infrastructure", func(t *txn) error { return t.stepInfrastructure() }); err != nil {
		return changed, err
	}
	if err := run("Step.placeAwaitingTasks", func(t *txn) error { t.placeAwaitingTasks(); return nil }); err != nil {
		return changed, err
	}
	if err := run("Step.scheduledScaling", func(t *txn) error { t.runAppScheduledActions(); return nil }); err != nil {
		return changed, err
	}
	if err := run("Step.scheduledRules", func(t *txn) error { t.runScheduledRules(); return nil }); err != nil {
		return changed, err
	}
	if err := run("Step.codeDeployments", func(t *txn) error { t.advanceCodeDeployments(); return nil }); err != nil {
		return changed, err
	}
	ps := &passState{seen: map[string]bool{}}
	defer func() {
		e.mu.Lock()
		ht := e.holds.startHold()
		for _, d := range ps.later {
			heap.Push(&e.idx.due, d)
		}
		e.holds.endHold(ht, "Step.requeue", 0, true)
		e.mu.Unlock()
	}()
	for budget := e.cfg.TaskTransitionsPerStep; budget > 0; {
		n := 0
		if err := run("Step.advanceDueTasks", func(t *txn) error { n = t.advanceDueTasks(ps, min(budget, stepChunk)); return nil }); err != nil {
			return changed, err
		}
		if n < min(budget, stepChunk) {
			break
		}
		budget -= n
	}
	if e.cfg.StoppedTaskRetention > 0 {
		for budget := e.cfg.TaskTransitionsPerStep; budget > 0; {
			n := 0
			if err := run("Step.expireStoppedTasks", func(t *txn) error { n = t.expireStoppedTasks(min(budget, stepChunk)); return nil }); err != nil {
				return changed, err
			}
			if n < min(budget, stepChunk) {
				break
			}
			budget -= n
		}
	}
	var services []string
	e.Read(func(st *model.State) {
		for _, s := range st.Services {
			if s.Status != "INACTIVE" {
				services = append(services, s.ARN)
			}
		}
	})
	slices.Sort(services)
	for _, arn := range services {
		for left := e.cfg.ServiceLaunchBatch; left > 0; {
			n := 0
			err := run("Step.reconcileService", func(t *txn) error {
				if s := t.st.Services[arn]; s != nil && s.Status != "INACTIVE" {
					n = t.reconcileService(s, min(left, stepChunk))
				}
				return nil
			})
			if err != nil {
				return changed, err
			}
			if n < min(left, stepChunk) {
				break
			}
			left -= n
		}
	}
	return changed, nil
}

// stepChunk is how many tasks one of Step's transactions starts, stops or
// moves at most.
const stepChunk = 25

// passState is what one Step remembers across its transactions: the tasks
// it moved (a task moves once per pass) and the due entries it set aside
// for the next pass.
type passState struct {
	seen  map[string]bool
	later []dueTask
}

// Converge runs Step until nothing changes: scenario files use it to reach
// the steady state AWS would reach. It gives up after 100 passes plus one
// per batch of tasks the services want (Config.ServiceLaunchBatch).
func (e *Engine) Converge() error {
	passes := 100
	e.Read(func(st *model.State) {
		for _, s := range st.Services {
			passes += 3 * s.DesiredCount / e.cfg.ServiceLaunchBatch
		}
	})
	for range passes {
		changed, err := e.Step()
		if err != nil || !changed {
			return err
		}
	}
	return nil
}

// ConvergeInfrastructure runs Step's first pass (NAT gateways, Auto
// Scaling groups, instances, container instances) until nothing changes,
// leaving tasks and services where they are: what CloudFormation waits
// for when it creates an Auto Scaling group, an instance or a NAT gateway,
// while an ECS service's deployment goes on beside it. It gives up after
// 100 passes, as Converge does.
func (e *Engine) ConvergeInfrastructure() error {
	for range 100 {
		changed := false
		err := e.writeAs("Step.infrastructure", 0, func(t *txn) error {
			n := len(t.order)
			if err := t.stepInfrastructure(); err != nil {
				return err
			}
			changed = len(t.order) > n
			return nil
		})
		if err != nil || !changed {
			return err
		}
	}
	return nil
}

func (t *txn) due(at time.Time) bool { return !t.now.Before(at) }

// stepInfrastructure moves NAT gateways, Auto Scaling groups, instances
// and container instances on.
func (t *txn) stepInfrastructure() error {
	delay := t.e.cfg.TaskStartDelay
	x := &t.e.idx
	for _, id := range sortedKeys(x.pendingNATs) {
		if ng := t.st.NatGateways[id]; ng != nil && t.due(ng.NextTransition) {
			t.natGatewayOn(ng)
		}
	}
	t.removeDrainedTargets(t.e.cfg.TaskTransitionsPerStep)
	t.endClassicDraining()
	t.expirePeerings()
	t.expireDeletedTGWs()
	t.expireDeletedPrefixLists()
	t.stepBPA()
	t.maintainFleets()
	t.stepSDOperations()
	t.stepEFS()
	t.stepVpcEndpoints()
	t.stepLambda()
	t.finishCapacityProviderDeletions()
	t.scaleInIdleManagedInstances()
	t.stepDaemonDeployments()
	t.validateCertificates()
	t.stepDaemonTasks()
	if err := t.reconcileAutoScalingGroups(); err != nil {
		return err
	}
	for _, id := range sortedKeys(x.instWork) {
		inst := t.st.Instances[id]
		switch {
		case inst == nil:
		case inst.State == model.InstancePending && t.due(inst.LaunchTime.Add(delay)):
			c := *inst
			c.State = model.InstanceRunning
			put(t, model.KindInstance, t.st.Instances, c.ID, &c)
			t.agentReconnect(c.ID)
		case inst.State == model.InstanceShuttingDown:
			t.finishTermination(inst)
		case inst.State == model.InstanceStopping:
			c := *inst
			c.State = model.InstanceStopped
			put(t, model.KindInstance, t.st.Instances, c.ID, &c)
		}
	}
	var unregistered []model.InstanceID
	for id := range x.ecsHosts {
		if !t.registered(id) {
			unregistered = append(unregistered, id)
		}
	}
	slices.Sort(unregistered)
	for _, id := range unregistered {
		inst := t.st.Instances[id]
		c := t.st.Clusters[t.e.clusterARN(model.UserDataECSCluster(inst.UserData))]
		if c == nil || c.Status != "ACTIVE" || t.registered(inst.ID) {
			continue
		}
		if t.agentCredentials(inst) != nil {
			continue // no credentials, or no permission: the agent retries
		}
		connected := true
		if t.e.registerCheck != nil {
			why, ok := t.e.registerCheck(t.st, inst)
			if why != "" {
				continue
			}
			connected = ok
		}
		ci := t.registerContainerInstance(c, inst, RegisterContainerInstanceInput{Attributes: ecsInstanceAttributes(inst.UserData)})
		if !connected && ci.AgentConnected {
			nc := *ci
			nc.AgentConnected = false
			put(t, model.KindContainerInstance, t.st.ContainerInstances, nc.ARN, &nc)
		}
	}
	if t.e.registerCheck != nil {
		// An agent registered without its communication service
		// connects once the path to it is there.
		for _, ci := range sortedValues(t.st.ContainerInstances) {
			if ci.AgentConnected || ci.Status == "INACTIVE" {
				continue
			}
			if inst := t.st.Instances[ci.EC2InstanceID]; inst != nil && inst.State == model.InstanceRunning {
				if why, ok := t.e.registerCheck(t.st, inst); why == "" && ok {
					nc := *ci
					nc.AgentConnected = true
					nc.Version++
					put(t, model.KindContainerInstance, t.st.ContainerInstances, nc.ARN, &nc)
				}
			}
		}
	}
	for _, arn := range sortedKeys(x.registering) {
		if ci := t.st.ContainerInstances[arn]; ci != nil && t.due(ci.RegisteredAt.Add(delay)) {
			c := *ci
			c.Status = "ACTIVE"
			c.Version++
			put(t, model.KindContainerInstance, t.st.ContainerInstances, c.ARN, &c)
		}
	}
	for _, arn := range sortedKeys(x.agentUpdates) {
		t.advanceAgentUpdate(t.st.ContainerInstances[arn])
	}
	return nil
}

// advanceDueTasks moves on up to budget tasks whose next transition is
// due, taking them from the due index so that Step never walks every task.
// It returns how many it moved.
func (t *txn) advanceDueTasks(ps *passState, budget int) int {
	return t.popDue(&t.e.idx.due, 0, budget, func(d dueTask) bool {
		tk := t.st.Tasks[d.arn]
		// Entries go stale when a task changes (it gets a new entry) or
		// a transaction that added them is undone: drop those.
		if tk == nil || !moving(tk) || !tk.NextTransition.Equal(d.at) {
			return false
		}
		if ps.seen[d.arn] { // moved in this pass already: the next one
			ps.later = append(ps.later, d)
			return false
		}
		ps.seen[d.arn] = true
		t.advanceTask(tk)
		return true
	})
}

// expireStoppedTasks removes up to budget tasks that have been STOPPED for
// longer than Config.StoppedTaskRetention, as ECS drops stopped tasks from
// DescribeTasks and ListTasks. It returns how many it removed.
func (t *txn) expireStoppedTasks(budget int) int {
	return t.popDue(&t.e.idx.stopped, t.e.cfg.StoppedTaskRetention, budget, func(d dueTask) bool {
		tk := t.st.Tasks[d.arn]
		if tk == nil || tk.LastStatus != model.TaskStopped || !tk.StoppedAt.Equal(d.at) {
			return false // stale
		}
		t.deleteTask(tk)
		return true
	})
}

// registered reports whether an instance has a live container instance.
func (t *txn) registered(id model.InstanceID) bool { return t.e.idx.liveCIs[id] > 0 }

// advanceTask moves a task one step through PROVISIONING → PENDING →
// RUNNING, or, once it should stop, through DEPROVISIONING → STOPPED.
func (t *txn) advanceTask(tk *model.Task) {
	next := t.now.Add(t.e.cfg.TaskStartDelay)
	if tk.DesiredStatus == model.TaskStopped {
		if tk.LastStatus == model.TaskRunning || tk.LastStatus == model.TaskDeactivating {
			// ECS deregisters a service task from its target groups and
			// holds it DEACTIVATING while its targets drain (the
			// deregistration delay), then stops it.
			if end := t.taskDrainEnd(tk); end.After(t.now) {
				if tk.LastStatus != model.TaskDeactivating || !tk.NextTransition.Equal(end) {
					c := cloneTask(tk)
					c.LastStatus, c.NextTransition = model.TaskDeactivating, end
					c.Version++
					t.putTask(c)
				}
				return
			}
		}
		if len(tk.Attachments) > 0 && tk.LastStatus != model.TaskDeprovisioning && tk.LastStatus != model.TaskProvisioning {
			c := cloneTask(tk)
			c.LastStatus, c.NextTransition = model.TaskDeprovisioning, next
			for i := range c.Attachments {
				c.Attachments[i].Status = "DETACHING"
			}
			for i := range c.Containers {
				c.Containers[i].LastStatus = model.TaskStopped
			}
			c.Version++
			t.putTask(c)
			return
		}
		t.finishStop(tk)
		return
	}
	switch tk.LastStatus {
	case model.TaskProvisioning, model.TaskPending:
		// A task is checked once, in its first state: PROVISIONING for
		// tasks with an ENI, PENDING for the others.
		first := tk.LastStatus == model.TaskProvisioning || len(tk.Attachments) == 0
		if t.e.startCheck != nil && first {
			if reason := t.e.startCheck(t.st, tk); reason != "" {
				c := t.stopTask(tk, "TaskFailedToStart", reason, false)
				t.deploymentTaskFailed(c)
				t.advanceTask(c)
				return
			}
		}
		if t.e.secretCheck != nil && first {
			if reason := t.e.secretCheck(t.st, tk); reason != "" {
				c := t.stopTask(tk, "TaskFailedToStart", reason, false)
				t.deploymentTaskFailed(c)
				t.advanceTask(c)
				return
			}
		}
		if t.e.envFileCheck != nil && first {
			reason := ""
			t.e.readIAM(t.st, func(global *model.State, complete bool) {
				if complete {
					reason = t.e.envFileCheck(t.st, global, tk)
				}
			})
			if reason != "" {
				c := t.stopTask(tk, "TaskFailedToStart", reason, false)
				t.deploymentTaskFailed(c)
				t.advanceTask(c)
				return
			}
		}
		if first {
			if td := t.st.TaskDefinitions[tk.TaskDefinitionARN]; td != nil {
				if reason := t.logGroupCreateDenied(tk, td); reason != "" {
					c := t.stopTask(tk, "TaskFailedToStart", reason, false)
					t.deploymentTaskFailed(c)
					t.advanceTask(c)
					return
				}
			}
		}
		if t.e.logGroupCheck && first {
			if td := t.st.TaskDefinitions[tk.TaskDefinitionARN]; td != nil {
				if reason := t.logGroupFailure(tk, td); reason != "" {
					c := t.stopTask(tk, "TaskFailedToStart", reason, false)
					t.deploymentTaskFailed(c)
					t.advanceTask(c)
					return
				}
			}
		}
		c := cloneTask(tk)
		c.NextTransition = next
		c.Version++
		if c.LastStatus == model.TaskProvisioning {
			c.LastStatus = model.TaskPending
			for i := range c.Attachments {
				c.Attachments[i].Status = "ATTACHED"
			}
			t.putTask(c)
			return
		}
		c.LastStatus, c.PullStartedAt, c.StartedAt = model.TaskRunning, t.now, t.now
		for i := range c.Containers {
			c.Containers[i].LastStatus = model.TaskRunning
		}
		t.putTask(c)
		t.registerTaskTargets(c)
		t.registerTaskInstances(c)
		if s := t.serviceOf(c); s != nil && !(t.e.serviceTargetHealth && serviceWithTargets(s)) {
			t.deploymentTaskHealthy(c) // RUNNING is healthy: nothing health-checks it
		}
	}
}

// agentCredentials judges an instance's agent's credentials against the
// account's IAM (WithIAM): nil when they let it register, or when the
// engine has no IAM to judge them by. The IAM region's engine is read
// under its read lock while this engine's write lock is held; IAM's
// engine never takes another region's lock while holding its own, so
// the two cannot wait on each other.
func (t *txn) agentCredentials(inst *model.Instance) *model.AgentCredentialFailure {
	if !inst.IAMDeclared {
		// Only the metadata service's options are judged then (an
		// agent without it has no credentials whatever IAM says).
		return model.AgentCredentials(t.st, inst, t.e.cfg.Region, t.e.cfg.Account, false)
	}
	var f *model.AgentCredentialFailure
	t.e.readIAM(t.st, func(st *model.State, complete bool) {
		if complete {
			f = model.AgentCredentials(st, inst, t.e.cfg.Region, t.e.cfg.Account, true)
		}
	})
	return f
}

// readIAM calls fn with the state that holds the account's IAM, for a
// caller that holds this engine's state own under its lock: the IAM
// region's (WithIAM; complete: a role it lacks does not exist), read under
// its read lock unless it is this engine's; or, without it, own (complete
// false: the roles its source declared).
func (e *Engine) readIAM(own *model.State, fn func(st *model.State, complete bool)) {
	if e.iam == nil {
		fn(own, false)
		return
	}
	ie, err := e.iam()
	switch {
	case err != nil || ie == nil:
	case ie.core == e.core:
		fn(own, true)
	default:
		ie.Read(func(st *model.State) { fn(st, true) })
	}
}
