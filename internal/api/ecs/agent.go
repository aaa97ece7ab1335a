package ecs

import (
	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// registerAgent adds task scale-in protection, the container agent's state
// reports and ExecuteCommand.
func registerAgent(add func(string, api.Handler)) {
	add("GetTaskProtection", getTaskProtection)
	add("UpdateTaskProtection", updateTaskProtection)
	add("SubmitTaskStateChange", submitTaskStateChange)
	add("SubmitContainerStateChange", submitContainerStateChange)
	add("SubmitAttachmentStateChanges", submitAttachmentStateChanges)
	add("ExecuteCommand", executeCommand)
	add("UpdateContainerAgent", updateContainerAgent)
}

// updateContainerAgent starts a container instance's agent update
// (engine.UpdateContainerAgent) and answers the instance.
func updateContainerAgent(c *api.Call) (map[string]any, error) {
	ci, err := c.Engine.UpdateContainerAgent(c.In.String("cluster"), c.In.String("containerInstance"))
	if err != nil {
		return nil, err
	}
	var out map[string]any
	c.Engine.Read(func(st *model.State) { out = containerInstanceOut(st, ci, false) })
	return map[string]any{"containerInstance": out}, nil
}

func protectionOut(res []engine.TaskProtectionResult, failed []engine.TaskFailure) map[string]any {
	out := make([]any, len(res))
	for i, r := range res {
		p := map[string]any{"taskArn": r.TaskARN, "protectionEnabled": r.Enabled}
		if r.Enabled {
			p["expirationDate"] = api.Time(r.Expiration)
		}
		out[i] = p
	}
	fs := make([]any, len(failed))
	for i, f := range failed {
		fs[i] = map[string]any{"arn": f.ARN, "reason": f.Reason, "detail": api.Str(f.Detail)}
	}
	return map[string]any{"protectedTasks": out, "failures": fs}
}

func getTaskProtection(c *api.Call) (map[string]any, error) {
	res, failed, err := c.Engine.GetTaskProtection(c.In.String("cluster"), c.In.Strings("tasks"))
	if err != nil {
		return nil, err
	}
	return protectionOut(res, failed), nil
}

func updateTaskProtection(c *api.Call) (map[string]any, error) {
	var minutes *int
	if c.In.Has("expiresInMinutes") {
		v := int(c.In.Int("expiresInMinutes"))
		minutes = &v
	}
	res, failed, err := c.Engine.UpdateTaskProtection(c.In.String("cluster"), c.In.Strings("tasks"), c.In.Bool("protectionEnabled"), minutes)
	if err != nil {
		return nil, err
	}
	return protectionOut(res, failed), nil
}

// The agent's reports are acknowledged with "ACK" (probable: the field is
// documented only as "Acknowledgement of the state change.").
func submitTaskStateChange(c *api.Call) (map[string]any, error) {
	if err := c.Engine.SubmitTaskStateChange(c.In.String("cluster"), c.In.String("task"), c.In.String("status"), c.In.String("reason")); err != nil {
		return nil, err
	}
	return map[string]any{"acknowledgment": "ACK"}, nil
}

func submitContainerStateChange(c *api.Call) (map[string]any, error) {
	if err := c.Engine.SubmitContainerStateChange(c.In.String("cluster"), c.In.String("task"), c.In.String("containerName")); err != nil {
		return nil, err
	}
	return map[string]any{"acknowledgment": "ACK"}, nil
}

func submitAttachmentStateChanges(c *api.Call) (map[string]any, error) {
	if len(c.In.Structs("attachments")) == 0 {
		return nil, invalid("attachments can not be empty.") // probable
	}
	var err error
	c.Engine.Read(func(st *model.State) { _, err = activeCluster(c, st) })
	if err != nil {
		return nil, err
	}
	return map[string]any{"acknowledgment": "ACK"}, nil
}

func executeCommand(c *api.Call) (map[string]any, error) {
	if c.In.String("command") == "" {
		return nil, invalid("command must be specified.") // probable
	}
	return nil, c.Engine.ExecuteCommand(c.In.String("cluster"), c.In.String("task"), c.In.String("container"), c.In.Bool("interactive"))
}
