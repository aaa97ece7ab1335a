package engine

import (
	"encoding/json"
	"math"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// ECS Managed Daemons' tasks: "Amazon ECS deploys exactly one daemon task
// on each container instance of the specified capacity providers. When a
// container instance registers with the cluster, Amazon ECS automatically
// starts daemon tasks. Amazon ECS starts a daemon task before scheduling
// other tasks" (API_CreateDaemon). A daemon task is a model.Task of the
// daemon task definition's twin (a model.TaskDefinition stored under the
// daemon task definition's ARN, DaemonTaskDefinition set), placed on its
// container instance through RunTask's placement (runTask with the
// instance named, as StartTask places), so the analyzer, the data plane
// and the APIs read it as every task. Its group is daemon:<name> and it
// is started by the daemon's deployment ([choice]: ECS's task of a
// service is service:<name>, started by its deployment).

// daemonGroup is the task group of the tasks of the daemon named name.
func daemonGroup(name string) string { return "daemon:" + name }

// daemonTwin returns the twin of daemon task definition dtd, storing it
// when the state has none.
func (t *txn) daemonTwin(dtd *model.DaemonTaskDefinition) *model.TaskDefinition {
	if td := t.st.TaskDefinitions[dtd.ARN]; td != nil && td.DaemonTaskDefinition {
		return td
	}
	td := DaemonTwin(dtd)
	put(t, model.KindTaskDefinition, t.st.TaskDefinitions, td.ARN, td)
	return td
}

// DaemonTwin is the twin of daemon task definition dtd: the task
// definition its daemon tasks run, under its ARN (snapshots build it for
// the daemon tasks they hold). Its network mode is host ([choice]: ECS
// gives daemon tasks a daemon bridge of the instance, 169.254.172.2,
// which ecsnet models as the instance's own network, the daemon's
// traffic leaving through the instance's ENI); the daemon's containers
// bind no host port.
func DaemonTwin(dtd *model.DaemonTaskDefinition) *model.TaskDefinition {
	td := &model.TaskDefinition{ARN: dtd.ARN, Family: dtd.Family, Revision: dtd.Revision, Status: "ACTIVE", NetworkMode: model.NetworkModeHost,
		RequiresCompatibilities: []model.LaunchType{model.LaunchManagedInstances}, Compatibilities: []model.LaunchType{model.LaunchManagedInstances},
		CPU: dtd.CPU, Memory: dtd.Memory, TaskRoleARN: dtd.TaskRoleARN, ExecutionRoleARN: dtd.ExecutionRoleARN,
		RegisteredAt: dtd.RegisteredAt, RegisteredBy: dtd.RegisteredBy, DaemonTaskDefinition: true}
	for _, c := range dtd.Containers {
		td.Containers = append(td.Containers, daemonContainerDefinition(c))
	}
	return td
}

// daemonContainerDefinition is the container definition of a daemon
// container: its name, image, CPU and memory (essential unless it says
// otherwise, as a task definition's container is).
func daemonContainerDefinition(c model.DaemonContainer) model.ContainerDefinition {
	var def struct {
		CPU               int   `json:"cpu"`
		Memory            int   `json:"memory"`
		MemoryReservation int   `json:"memoryReservation"`
		Essential         *bool `json:"essential"`
	}
	_ = json.Unmarshal([]byte(c.Definition), &def) // what RegisterDaemonTaskDefinition's decoder accepted
	return model.ContainerDefinition{Name: c.Name, Image: c.Image, CPU: def.CPU, Memory: def.Memory, MemoryReservation: def.MemoryReservation,
		Essential: def.Essential == nil || *def.Essential}
}

// daemonProviders returns the names of the capacity providers of a
// daemon revision.
func (t *txn) daemonProviders(rev *model.DaemonRevision) []string {
	var out []string
	for _, arn := range rev.CapacityProviderARNs {
		if cp := t.st.CapacityProviders[arn]; cp != nil {
			out = append(out, cp.Name)
		}
	}
	return out
}

// placingDaemons returns the ACTIVE daemons of cluster whose current
// revision runs on capacity provider cp and whose deployment has started,
// by ARN.
func (t *txn) placingDaemons(cluster, cp string) []*model.Daemon {
	var out []*model.Daemon
	for _, d := range sortedValues(t.st.Daemons) {
		if d.ClusterARN != cluster || d.Status != "ACTIVE" {
			continue
		}
		dep, rev := t.st.DaemonDeployments[d.DeploymentARN], t.st.DaemonRevisions[d.RevisionARN]
		if dep == nil || dep.Status == "PENDING" || rev == nil || !slices.Contains(t.daemonProviders(rev), cp) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// daemonReservation is the CPU and memory the daemons of cluster reserve
// on an instance of capacity provider cp: ECS sizes a Managed Instances
// instance for the task it launches it for and the daemons it starts
// first ([choice]).
func (t *txn) daemonReservation(cluster, cp string) (cpu, mem int) {
	for _, d := range t.placingDaemons(cluster, cp) {
		if dtd := t.st.DaemonTaskDefinitions[t.st.DaemonRevisions[d.RevisionARN].TaskDefinitionARN]; dtd != nil {
			c, m := taskCPUMem(t.daemonTwin(dtd), nil)
			cpu, mem = cpu+c, mem+m
		}
	}
	return cpu, mem
}

// startDaemonTask starts daemon d's task of its current revision on
// container instance ci, through RunTask's placement; it reports whether
// a task started.
func (t *txn) startDaemonTask(d *model.Daemon, ci *model.ContainerInstance) bool {
	rev := t.st.DaemonRevisions[d.RevisionARN]
	dtd := t.st.DaemonTaskDefinitions[rev.TaskDefinitionARN]
	c := t.st.Clusters[d.ClusterARN]
	if dtd == nil || c == nil {
		return false
	}
	twin := t.daemonTwin(dtd)
	var tags model.Tags
	if rev.PropagateTags == "DAEMON" {
		tags = d.Tags
	}
	strategy := []model.CapacityProviderStrategyItem{{CapacityProvider: ci.CapacityProvider, Weight: 1}}
	out, err := t.runTask(RunTaskInput{Cluster: c.Name, TaskDefinition: twin.ARN, ContainerInstances: []string{ci.ARN}, CapacityProviderStrategy: strategy,
		Group: daemonGroup(d.Name), StartedBy: model.LastSegment(d.DeploymentARN), Tags: tags, daemonTwin: true}, nil)
	return err == nil && len(out.Tasks) > 0
}

// startDaemonTasks starts, on a container instance that has just
// registered, the task of every daemon of its capacity provider, before
// any other task is placed on it.
func (t *txn) startDaemonTasks(ci *model.ContainerInstance) {
	for _, d := range t.placingDaemons(ci.ClusterARN, ci.CapacityProvider) {
		t.startDaemonTask(d, ci)
	}
}

// daemonTasksOn returns the active tasks of the daemon named name on
// container instance ci, by ARN.
func (t *txn) daemonTasksOn(ci, name string) []*model.Task {
	u := t.e.idx.hosts[ci]
	if u == nil || u.groups[daemonGroup(name)] == 0 {
		return nil
	}
	var out []*model.Task
	for arn := range u.arns {
		if tk := t.st.Tasks[arn]; tk != nil && tk.Group == daemonGroup(name) && t.isDaemonTask(tk) {
			out = append(out, tk)
		}
	}
	slices.SortFunc(out, func(a, b *model.Task) int { return strings.Compare(a.ARN, b.ARN) })
	return out
}

// isDaemonTask reports whether tk runs a daemon task definition's twin.
func (t *txn) isDaemonTask(tk *model.Task) bool {
	td := t.st.TaskDefinitions[tk.TaskDefinitionARN]
	return td != nil && td.DaemonTaskDefinition
}

// stepDaemonTasks keeps every daemon's tasks: one of its revision on each
// ACTIVE container instance of its capacity providers (a task that
// stopped is started again: [choice], ECS drains and replaces the
// instance), tasks of an older revision replaced at most drainPercent of
// the instances at a time, and a deleted daemon's tasks stopped. A daemon
// whose last reconciliation left nothing to do is skipped while its
// cluster's container instances and daemon tasks, its deployment, its
// revision and its daemon task definition stay as they were. Twins that
// no task and no daemon refers to any more are removed.
func (t *txn) stepDaemonTasks() {
	if len(t.st.DaemonTaskDefinitions) == 0 {
		return
	}
	for _, d := range sortedValues(t.st.Daemons) {
		seen := t.daemonSeen(d)
		if prev, ok := t.e.idx.daemonSeen[d.ARN]; ok && prev == seen {
			continue
		}
		if failed := t.reconcileDaemon(d); failed == 0 || !t.daemonStartsFailed(d, failed) {
			t.setDaemonSeen(d.ARN, t.daemonSeen(d))
		}
	}
	t.removeUnusedDaemonTwins()
}

// daemonSeen is what a daemon's reconciliation depends on: the daemon,
// its deployment, revision and daemon task definition (a change puts a
// new value) and its cluster's count of changes to container instances
// and daemon tasks.
type daemonSeen struct {
	daemon *model.Daemon
	dep    *model.DaemonDeployment
	rev    *model.DaemonRevision
	dtd    *model.DaemonTaskDefinition
	gen    uint64
}

func (t *txn) daemonSeen(d *model.Daemon) daemonSeen {
	s := daemonSeen{daemon: d, dep: t.st.DaemonDeployments[d.DeploymentARN], rev: t.st.DaemonRevisions[d.RevisionARN], gen: t.e.idx.daemonGen[d.ClusterARN]}
	if s.rev != nil {
		s.dtd = t.st.DaemonTaskDefinitions[s.rev.TaskDefinitionARN]
	}
	return s
}

// setDaemonSeen records what daemon arn's reconciliation saw, undone
// with the transaction.
func (t *txn) setDaemonSeen(arn string, s daemonSeen) {
	m := t.e.idx.daemonSeen
	prev, had := m[arn]
	m[arn] = s
	t.onUndo(func() {
		if had {
			m[arn] = prev
		} else {
			delete(m, arn)
		}
	})
}

// removeUnusedDaemonTwins removes the twin of every daemon task
// definition that no task (a STOPPED one too, while DescribeTasks shows
// it) and no daemon's current revision refers to: after DeleteDaemon, or
// UpdateDaemon to another daemon task definition, once the last task of
// the old one is gone ([choice]: the twin is ecsnet's own record; it is
// made again if a daemon comes back to it).
func (t *txn) removeUnusedDaemonTwins() {
	x := &t.e.idx
	var inUse map[string]bool
	for _, arn := range sortedKeys(t.st.DaemonTaskDefinitions) {
		td := t.st.TaskDefinitions[arn]
		if td == nil || !td.DaemonTaskDefinition || x.daemonTDTasks[arn] > 0 {
			continue
		}
		if inUse == nil {
			inUse = map[string]bool{}
			for _, d := range t.st.Daemons {
				if rev := t.st.DaemonRevisions[d.RevisionARN]; rev != nil && d.Status == "ACTIVE" {
					inUse[rev.TaskDefinitionARN] = true
				}
			}
		}
		if !inUse[arn] {
			del(t, model.KindTaskDefinition, t.st.TaskDefinitions, arn)
		}
	}
	for arn := range x.daemonSeen {
		if t.st.Daemons[arn] == nil {
			s := x.daemonSeen[arn]
			delete(x.daemonSeen, arn)
			t.onUndo(func() { x.daemonSeen[arn] = s })
		}
	}
}

// DaemonCircuitBreakerThreshold is the number of daemon tasks a daemon
// deployment fails to start before its circuit breaker trips ([choice]:
// the minimum of a service deployment's circuit breaker, 3).
const DaemonCircuitBreakerThreshold = 3

// daemonStartsFailed counts failed daemon task starts against daemon d's
// deployment while it is at work and trips its circuit breaker at the
// threshold: a deployment with a source revision is rolled back to it
// (ROLLBACK_IN_PROGRESS, the daemon's revision is the source again), one
// without (CreateDaemon's) is STOPPED, a rollback that fails too is
// ROLLBACK_FAILED. It reports whether the daemon should try again on the
// next step: not once the deployment has ended (a task that cannot be
// placed waits for a change of the cluster's instances or the daemon's
// tasks, [choice]).
func (t *txn) daemonStartsFailed(d *model.Daemon, failed int) bool {
	dep := t.st.DaemonDeployments[d.DeploymentARN]
	if dep == nil || (dep.Status != "IN_PROGRESS" && dep.Status != "ROLLBACK_IN_PROGRESS") {
		return false
	}
	nd := *dep
	nd.FailureCount += failed
	retry, threshold := true, DaemonCircuitBreakerThreshold
	if dep.Status == "ROLLBACK_IN_PROGRESS" {
		threshold *= 2 // the rollback's own failures, after those that tripped it ([choice])
	}
	if nd.FailureCount >= threshold {
		retry = false
		src := ""
		if len(dep.SourceRevisionARNs) > 0 {
			src = dep.SourceRevisionARNs[0]
		}
		rev := t.st.DaemonRevisions[src]
		switch {
		case dep.Status == "ROLLBACK_IN_PROGRESS":
			nd.Status, nd.StatusReason, nd.StoppedAt = "ROLLBACK_FAILED", "The rollback failed: daemon tasks failed to start.", t.now // [choice] text
		case rev == nil:
			nd.Status, nd.StatusReason, nd.StoppedAt = "STOPPED", "The deployment circuit breaker was triggered: daemon tasks failed to start.", t.now // [choice] text
		default:
			nd.Status, nd.StatusReason = "ROLLBACK_IN_PROGRESS", "The deployment circuit breaker was triggered: daemon tasks failed to start. Rolling back to the previous daemon revision." // [choice] text
			nd.Rollback = &model.DaemonRollback{Reason: "Circuit breaker initiated the rollback.", StartedAt: t.now, TargetRevisionARN: rev.ARN,                                             // [choice] text
				CapacityProviderARNs: slices.Clone(rev.CapacityProviderARNs)}
			retry = true
			dm := *d
			dm.RevisionARN, dm.UpdatedAt = rev.ARN, t.now
			put(t, model.KindDaemon, t.st.Daemons, dm.ARN, &dm)
		}
	}
	put(t, model.KindDaemonDeployment, t.st.DaemonDeployments, nd.ARN, &nd)
	return retry
}

// reconcileDaemon starts and stops daemon d's tasks; it returns the
// number of tasks it meant to start and could not.
func (t *txn) reconcileDaemon(d *model.Daemon) int {
	dep := t.st.DaemonDeployments[d.DeploymentARN]
	if dep == nil || dep.Status == "PENDING" {
		return 0
	}
	var cis []*model.ContainerInstance
	for _, ci := range sortedValues(t.st.ContainerInstances) {
		if ci.ClusterARN == d.ClusterARN && ci.Status == "ACTIVE" {
			cis = append(cis, ci)
		}
	}
	if d.Status != "ACTIVE" {
		for _, ci := range cis {
			for _, tk := range t.daemonTasksOn(ci.ARN, d.Name) {
				t.stopTask(tk, "ServiceSchedulerInitiated", "Daemon deleted (daemon deployment "+model.LastSegment(dep.ARN)+")", false) // [choice] text
			}
		}
		return 0
	}
	rev := t.st.DaemonRevisions[d.RevisionARN]
	dtd := t.st.DaemonTaskDefinitions[rev.TaskDefinitionARN]
	if dtd == nil {
		return 0
	}
	twin := t.daemonTwin(dtd)
	providers := t.daemonProviders(rev)
	type onInstance struct {
		ci       *model.ContainerInstance
		current  []*model.Task // of the revision, desired RUNNING
		old      []*model.Task // of another revision (or provider), desired RUNNING
		inFlight bool          // a replacement under way
		anyOld   bool          // an older task not yet STOPPED
	}
	var hosts []onInstance
	served := 0
	for _, ci := range cis {
		h := onInstance{ci: ci}
		mine := slices.Contains(providers, ci.CapacityProvider)
		for _, tk := range t.daemonTasksOn(ci.ARN, d.Name) {
			cur := mine && tk.TaskDefinitionARN == twin.ARN
			switch {
			case cur && tk.DesiredStatus == model.TaskRunning:
				h.current = append(h.current, tk)
				h.inFlight = h.inFlight || tk.LastStatus != model.TaskRunning
			case !cur:
				h.anyOld = true
				if tk.DesiredStatus == model.TaskRunning {
					h.old = append(h.old, tk)
				} else {
					h.inFlight = true
				}
			}
		}
		if mine {
			served++
		}
		if mine || len(h.old) > 0 {
			hosts = append(hosts, h)
		}
	}
	// drainPercent of the instances are replaced at a time, at least one.
	budget := max(1, int(math.Ceil(float64(served)*dep.Config.DrainPercent/100)))
	for _, h := range hosts {
		if h.inFlight && len(h.old) == 0 {
			budget--
		}
	}
	failed := 0
	for _, h := range hosts {
		mine := slices.Contains(providers, h.ci.CapacityProvider)
		switch {
		case len(h.old) > 0 && budget > 0:
			for _, tk := range h.old {
				t.stopTask(tk, "ServiceSchedulerInitiated", "Deployment replaced task (daemon deployment "+model.LastSegment(dep.ARN)+")", false) // [choice] text
			}
			budget--
		case mine && len(h.current) == 0 && !h.anyOld:
			if !t.startDaemonTask(d, h.ci) {
				failed++
			}
		}
	}
	return failed
}

// daemonSettled reports whether a daemon deployment has done its work:
// every ACTIVE instance of the target revision's capacity providers runs
// the revision's task and no other task of the daemon is left (for
// DeleteDaemon's deployment, none at all).
func (t *txn) daemonSettled(dep *model.DaemonDeployment) bool {
	d := t.st.Daemons[dep.DaemonARN]
	if d == nil {
		return true
	}
	var providers []string
	twinARN, target := "", dep.TargetRevisionARN
	if dep.Rollback != nil {
		target = dep.Rollback.TargetRevisionARN
	}
	if rev := t.st.DaemonRevisions[target]; rev != nil && target != "" {
		providers, twinARN = t.daemonProviders(rev), rev.TaskDefinitionARN
	}
	for _, ci := range t.st.ContainerInstances {
		if ci.ClusterARN != d.ClusterARN || ci.Status != "ACTIVE" {
			continue
		}
		running := false
		for _, tk := range t.daemonTasksOn(ci.ARN, d.Name) {
			if tk.TaskDefinitionARN != twinARN || tk.DesiredStatus != model.TaskRunning {
				return false
			}
			running = running || tk.LastStatus == model.TaskRunning
		}
		if slices.Contains(providers, ci.CapacityProvider) && !running {
			return false
		}
	}
	return true
}
