package engine

import (
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

// Step runs one pass of the asynchronous side of AWS: instances boot and
// register with ECS, NAT gateways become available, tasks move through
// their lifecycle, services and Auto Scaling groups converge. Only
// transitions that are due (Config.TaskStartDelay) happen; reading state
// never moves it. It reports whether anything changed.
func (e *Engine) Step() (bool, error) {
	changed := false
	err := e.write(func(t *txn) error {
		if err := t.step(); err != nil {
			return err
		}
		changed = len(t.order) > 0
		return nil
	})
	return changed, err
}

// Converge runs Step until nothing changes (at most 100 passes): scenario
// files use it to reach the steady state AWS would reach.
func (e *Engine) Converge() error {
	for range 100 {
		changed, err := e.Step()
		if err != nil || !changed {
			return err
		}
	}
	return nil
}

func (t *txn) due(at time.Time) bool { return !t.now.Before(at) }

func (t *txn) step() error {
	delay := t.e.cfg.TaskStartDelay
	for _, ng := range sortedValues(t.st.NatGateways) {
		if ng.State == "pending" && t.due(ng.NextTransition) {
			c := *ng
			c.State = "available"
			put(t, model.KindNatGateway, t.st.NatGateways, c.ID, &c)
		}
	}
	t.expirePeerings()
	if err := t.reconcileAutoScalingGroups(); err != nil {
		return err
	}
	for _, inst := range sortedValues(t.st.Instances) {
		switch {
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
	for _, inst := range sortedValues(t.st.Instances) {
		if inst.State != model.InstanceRunning {
			continue
		}
		name := ecsClusterFromUserData(inst.UserData)
		if name == "" {
			continue
		}
		c := t.st.Clusters[t.e.clusterARN(name)]
		if c == nil || c.Status != "ACTIVE" || t.registered(inst.ID) {
			continue
		}
		t.registerContainerInstance(c, inst, RegisterContainerInstanceInput{})
	}
	for _, ci := range sortedValues(t.st.ContainerInstances) {
		if ci.Status == "REGISTERING" && t.due(ci.RegisteredAt.Add(delay)) {
			c := *ci
			c.Status = "ACTIVE"
			c.Version++
			put(t, model.KindContainerInstance, t.st.ContainerInstances, c.ARN, &c)
		}
	}
	for _, tk := range sortedValues(t.st.Tasks) {
		if tk.LastStatus != model.TaskStopped && t.due(tk.NextTransition) {
			t.advanceTask(tk)
		}
	}
	for _, s := range sortedValues(t.st.Services) {
		if s.Status != "INACTIVE" {
			t.reconcileService(s)
		}
	}
	return nil
}

// registered reports whether an instance has a live container instance.
func (t *txn) registered(id model.InstanceID) bool {
	for _, ci := range t.st.ContainerInstances {
		if ci.EC2InstanceID == id && ci.Status != "INACTIVE" {
			return true
		}
	}
	return false
}

// advanceTask moves a task one step through PROVISIONING → PENDING →
// RUNNING, or, once it should stop, through DEPROVISIONING → STOPPED.
func (t *txn) advanceTask(tk *model.Task) {
	next := t.now.Add(t.e.cfg.TaskStartDelay)
	if tk.DesiredStatus == model.TaskStopped {
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
				t.advanceTask(c)
				return
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
	}
}
