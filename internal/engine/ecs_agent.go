package engine

import (
	"slices"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// ECS task scale-in protection, the container agent's state reports and
// ExecuteCommand.

// TaskProtectionResult is one task's protection (GetTaskProtection,
// UpdateTaskProtection).
type TaskProtectionResult struct {
	TaskARN    string
	Enabled    bool
	Expiration time.Time
}

// TaskFailure is one task a call could not read or change, with ECS's
// reason (MISSING, TASK_NOT_VALID).
type TaskFailure struct{ ARN, Reason, Detail string }

// GetTaskProtection returns the scale-in protection of tasks of a cluster;
// tasks that are not in it are failures (MISSING). Expired protection reads
// as disabled.
func (e *Engine) GetTaskProtection(cluster string, refs []string) ([]TaskProtectionResult, []TaskFailure, error) {
	return e.taskProtection(cluster, refs, nil, 0)
}

// UpdateTaskProtection sets or clears the scale-in protection of service
// tasks for expiresInMinutes (1 to 2,880, default 120), as ECS documents.
// A standalone task is a TASK_NOT_VALID failure, a stopped or unknown one
// MISSING. A protected task is not stopped by its service's scale-in nor
// replaced by a deployment until the protection ends.
func (e *Engine) UpdateTaskProtection(cluster string, refs []string, enabled bool, expiresInMinutes *int) ([]TaskProtectionResult, []TaskFailure, error) {
	minutes := 120
	if expiresInMinutes != nil {
		minutes = *expiresInMinutes
		if minutes < 1 || minutes > 2880 {
			return nil, nil, errECSInvalid("expiresInMinutes must be between 1 and 2880.") // probable text; range per ECS docs
		}
	}
	return e.taskProtection(cluster, refs, &enabled, minutes)
}

func (e *Engine) taskProtection(cluster string, refs []string, enable *bool, minutes int) ([]TaskProtectionResult, []TaskFailure, error) {
	if len(refs) == 0 {
		return nil, nil, errECSInvalid("Tasks cannot be empty.") // probable
	}
	if len(refs) > 10 {
		return nil, nil, errECSInvalid("The maximum number of tasks is 10.") // probable; the model caps the list at 10
	}
	var out []TaskProtectionResult
	var failed []TaskFailure
	body := func(t *txn) error {
		c, err := t.cluster(cluster)
		if err != nil {
			return err
		}
		for _, ref := range refs {
			tk, err := t.task(c, ref)
			if err != nil || tk.DesiredStatus == model.TaskStopped {
				arn := ref
				if tk != nil {
					arn = tk.ARN
				} else if len(ref) < 4 || ref[:4] != "arn:" {
					arn = t.e.ecsARN("task/" + c.Name + "/" + ref)
				}
				failed = append(failed, TaskFailure{ARN: arn, Reason: "MISSING"})
				continue
			}
			if enable != nil {
				if tk.ServiceName == "" {
					failed = append(failed, TaskFailure{ARN: tk.ARN, Reason: "TASK_NOT_VALID",
						Detail: "The task is not part of a service. Task protection can only be set on tasks that belong to a service."}) // probable detail
					continue
				}
				n := cloneTask(tk)
				n.ProtectedUntil = time.Time{}
				if *enable {
					n.ProtectedUntil = t.now.Add(time.Duration(minutes) * time.Minute).Truncate(time.Second)
				}
				n.Version++
				t.putTask(n)
				tk = n
			}
			r := TaskProtectionResult{TaskARN: tk.ARN}
			if tk.Protected(t.now) {
				r.Enabled, r.Expiration = true, tk.ProtectedUntil
			}
			out = append(out, r)
		}
		return nil
	}
	if enable != nil {
		err := e.write(body)
		return out, failed, err
	}
	var err error
	e.Read(func(st *model.State) { err = body(&txn{e: e, st: st, now: e.Now()}) })
	return out, failed, err
}

// SubmitTaskStateChange takes the container agent's report of a task's
// state. ecsnet's engine runs the task lifecycle itself, so a report is
// acknowledged once the cluster and task are known; a STOPPED report of a
// task still running stops it (EssentialContainerExited, with the
// report's reason), as a task the agent saw stop does.
func (e *Engine) SubmitTaskStateChange(cluster, ref, status, reason string) error {
	return e.write(func(t *txn) error {
		c, err := t.cluster(cluster)
		if err != nil {
			return err
		}
		tk, err := t.task(c, ref)
		if err != nil {
			return err
		}
		switch status {
		case "", "PENDING", "RUNNING", "MANIFEST_PULLED", "ACTIVATING", "DEACTIVATING", "STOPPING", "DEPROVISIONING":
		case "STOPPED":
			if tk.DesiredStatus != model.TaskStopped {
				if reason == "" {
					reason = "Essential container in task exited"
				}
				t.stopTask(tk, "EssentialContainerExited", reason, false)
			}
		default:
			return errECSInvalid("status should be one of [PENDING,RUNNING,STOPPED]") // probable
		}
		return nil
	})
}

// SubmitContainerStateChange takes the agent's report of one container:
// the task and a container of that name must exist.
func (e *Engine) SubmitContainerStateChange(cluster, ref, container string) error {
	return e.readTask(cluster, ref, func(tk *model.Task) error {
		if container == "" || slices.ContainsFunc(tk.Containers, func(ct model.Container) bool { return ct.Name == container }) {
			return nil
		}
		return errECSInvalid("The referenced container was not found.") // probable
	})
}

// ExecuteCommand would open a Session Manager session in a container.
// ecsnet runs no ECS Exec agent (SSM agent) in its tasks, so after the
// cluster and task are resolved it answers as ECS does for a task whose
// exec agent is not running.
func (e *Engine) ExecuteCommand(cluster, ref, container string, interactive bool) error {
	return e.readTask(cluster, ref, func(tk *model.Task) error {
		switch {
		case !interactive:
			return errECSInvalid("Interactive is the only mode supported currently.")
		case tk.LastStatus != model.TaskRunning:
			return errECSInvalid("The execute command failed because the task is not in RUNNING state.") // probable
		case container != "" && !slices.ContainsFunc(tk.Containers, func(ct model.Container) bool { return ct.Name == container }):
			return errECSInvalid("The container %s does not exist in the task.", container) // probable
		case container == "" && len(tk.Containers) > 1:
			return errECSInvalid("The task has more than one container. Specify a container name and try again.") // probable
		}
		return errECSInvalid("The execute command failed because execute command was not enabled when the task was run or the execute command agent isn’t running. Wait and try the command again or run a new task with execute command enabled and try again.")
	})
}

// readTask resolves a cluster and one of its tasks under the read lock
// and hands the task to fn.
func (e *Engine) readTask(cluster, ref string, fn func(*model.Task) error) error {
	var err error
	e.Read(func(st *model.State) {
		t := &txn{e: e, st: st}
		c, err2 := t.cluster(cluster)
		if err2 != nil {
			err = err2
			return
		}
		tk, err2 := t.task(c, ref)
		if err2 != nil {
			err = err2
			return
		}
		err = fn(tk)
	})
	return err
}
