package engine

import (
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// ECS cluster auto scaling: a task run under an Auto Scaling group
// capacity provider whose managed scaling is on, that no container
// instance can take, does not fail. It is created PROVISIONING, on no
// container instance, and waits for capacity: it counts toward the
// provider's CapacityProviderReservation, so managed scaling grows the
// group, and the task is placed when an instance that fits registers. A
// task that finds no capacity in time stops (TaskFailedToStart); the wait
// is AWS's 30 minutes on the engine's scaled clock. A cluster holds at
// most ProvisioningTasksPerCluster waiting tasks (ECS's quota). Without
// managed scaling the task fails at once, as before cluster auto scaling
// ("Deep dive on Amazon ECS cluster auto scaling"; docs/aws-behavior.md).

// DefaultCapacityWaitTimeout is how long a task waits in PROVISIONING for
// capacity: "provisioning tasks will wait for capacity for between 10 and
// 30 minutes before transitioning to stopped" (the Deep dive); ecsnet
// takes the longest, which users report ("about thirty minutes").
const DefaultCapacityWaitTimeout = 30 * time.Minute

// DefaultProvisioningTasksPerCluster is ECS's quota "Tasks in the
// PROVISIONING state per cluster": 500 (100 in 2020, then 300; see
// docs/aws-behavior.md).
const DefaultProvisioningTasksPerCluster = 500

// errProvisioningLimit is RunTask's answer when the cluster holds
// ProvisioningTasksPerCluster tasks waiting for capacity already and
// another would wait.
func errProvisioningLimit() error {
	return errECSClient("Tasks provisioning capacity limit exceeded.")
}

// capacityWait is how long a task waits for capacity on the engine's
// clock, and the fewest Step passes the wait lasts: CapacityWaitTimeout,
// scaled by ELBTimeScale (AWS's time on the engine's), and as many passes
// as that time holds at StepInterval (none when the engine is not stepped
// on a clock).
func (c *Config) capacityWait() (time.Duration, int) {
	d := c.CapacityWaitTimeout
	if c.ELBTimeScale <= 0 {
		return d, 0
	}
	d = time.Duration(float64(d) * c.ELBTimeScale)
	if c.StepInterval <= 0 {
		return d, 0
	}
	return d, int((d + c.StepInterval - 1) / c.StepInterval)
}

// managedScaling reports whether the capacity provider named provider
// is an Auto Scaling group provider with managed scaling on.
func (t *txn) managedScaling(provider string) bool {
	if provider == "" {
		return false
	}
	cp := t.capacityProvider(provider)
	return cp != nil && !cp.IsFargate() && cp.ManagedScaling && cp.Usable()
}

// awaitCapacity creates a task that waits for capacity (PROVISIONING, no
// container instance).
func (t *txn) awaitCapacity(p *launchPlan, in RunTaskInput, svc *model.Service, cs []model.PlacementConstraint, ss []model.PlacementStrategy) *model.Task {
	tk := t.newTask(p, in, svc)
	tk.LastStatus = model.TaskProvisioning
	tk.AwaitingCapacity = true
	wait, _ := t.e.cfg.capacityWait()
	tk.CapacityWaitUntil = t.now.Add(wait)
	tk.PlacementConstraints, tk.PlacementStrategy = slices.Clone(cs), slices.Clone(ss)
	t.putTask(tk)
	return tk
}

// placeAwaitingTasks is Step's pass over the tasks waiting for capacity,
// oldest first: each that now fits on a container instance of its
// provider's group is placed (it goes on through PENDING to RUNNING as
// any task); one whose wait is over stops, TaskFailedToStart. For the
// others, managed scaling grows their provider's group as their
// CapacityProviderReservation asks (managedScaleOut, for each provider and
// task definition).
func (t *txn) placeAwaitingTasks() {
	x := &t.e.idx
	for arn := range x.waitPasses {
		if _, ok := x.awaiting[arn]; !ok {
			delete(x.waitPasses, arn)
		}
	}
	if len(x.awaiting) == 0 {
		return
	}
	wait, minPasses := t.e.cfg.capacityWait()
	tasks := make([]*model.Task, 0, len(x.awaiting))
	for arn := range x.awaiting {
		if tk := t.st.Tasks[arn]; tk != nil && tk.AwaitingCapacity && tk.DesiredStatus == model.TaskRunning {
			tasks = append(tasks, tk)
		}
	}
	slices.SortFunc(tasks, func(a, b *model.Task) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ARN, b.ARN)
	})
	type group struct{ provider, td string }
	var groups []group
	unplaced := map[group]int{}
	for _, tk := range tasks {
		reason, placed := t.placeAwaiting(tk)
		if placed {
			continue
		}
		x.waitPasses[tk.ARN]++
		// The wait ends at the deadline set when the task began waiting,
		// or sooner under this engine's configuration (a task that began
		// waiting in a scenario's timeless build, then served on the step
		// loop's clock).
		until := tk.CapacityWaitUntil
		if !tk.CreatedAt.IsZero() && tk.CreatedAt.Add(wait).Before(until) {
			until = tk.CreatedAt.Add(wait)
		}
		if !t.now.Before(until) && x.waitPasses[tk.ARN] >= minPasses {
			c := t.stopTask(tk, "TaskFailedToStart", reason, false)
			t.deploymentTaskFailed(c)
			t.advanceTask(c)
			continue
		}
		g := group{tk.CapacityProvider, tk.TaskDefinitionARN}
		if unplaced[g] == 0 {
			groups = append(groups, g)
		}
		unplaced[g]++
	}
	for _, g := range groups {
		t.managedScaleOut([]model.CapacityProviderStrategyItem{{CapacityProvider: g.provider, Weight: 1}}, t.st.TaskDefinitions[g.td], unplaced[g])
	}
}

// placeAwaiting tries to place a task waiting for capacity. When it
// cannot, it says why, as the task's stoppedReason would
// ("TaskFailedToStart: RESOURCE:CPU", …).
func (t *txn) placeAwaiting(tk *model.Task) (string, bool) {
	const none = "TaskFailedToStart: No Container Instances were found in your capacity provider."
	c := t.st.Clusters[tk.ClusterARN]
	td := t.st.TaskDefinitions[tk.TaskDefinitionARN]
	cp := t.capacityProvider(tk.CapacityProvider)
	if c == nil || td == nil || cp == nil || c.Status != "ACTIVE" {
		return none, false
	}
	p := &launchPlan{cluster: c, td: td, provider: cp.Name, network: tk.Network, groupName: tk.Group}
	if g := t.asgByARN(cp.AutoScalingGroupARN); g != nil {
		p.asgName = g.Name
	}
	if tk.Network != nil {
		for _, id := range tk.Network.Subnets {
			if s := t.st.Subnets[id]; s != nil {
				p.subnets = append(p.subnets, s)
			}
		}
	}
	p.cpu, p.mem = taskCPUMem(td, nil)
	placement, err := compilePlacement(td, tk.PlacementConstraints, tk.PlacementStrategy)
	if err != nil {
		return "TaskFailedToStart: " + errMessage(err), false
	}
	p.placement = placement
	cands, err := t.candidates(p, nil)
	if err != nil || len(cands) == 0 {
		return none, false
	}
	ci, failures := t.place(p, cands)
	if ci == nil {
		if len(failures) > 0 {
			return "TaskFailedToStart: " + failures[0].Reason, false
		}
		return none, false
	}
	n := cloneTask(tk)
	n.AwaitingCapacity, n.CapacityWaitUntil = false, time.Time{}
	n.PlacementConstraints, n.PlacementStrategy = nil, nil
	n.LastStatus = model.TaskPending
	n.NextTransition = t.now.Add(t.e.cfg.TaskStartDelay)
	n.Version++
	if err := t.placeTask(n, p, RunTaskInput{StartedBy: tk.StartedBy}, t.serviceOf(tk), ci); err != nil {
		return "TaskFailedToStart: " + errMessage(err), false
	}
	t.putTask(n)
	return "", true
}
