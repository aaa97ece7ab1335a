package reach

import "github.com/ecsnet/ecsnet/internal/model"

// networkModeNone answers a probe from a running task of network mode
// none (CodeNetworkModeNone, as a probe to one): its containers get a
// loopback interface only ("The task has no external network
// connectivity", Amazon ECS Developer Guide, task-networking.html), so a
// connection out fails at once (the kernel has no route: ENETUNREACH).
// The image pull and the log driver are the agent's and Docker's, on the
// instance, so the task runs.
func (t *tracer) networkModeNone(fs *flowState, tk *taskNode) *Result {
	t.block(fs, NoRoute, func() Explanation {
		m := "the task " + tk.name + " uses network mode none: its containers have a loopback interface only, so they have no route to anything outside the task (use bridge or awsvpc for a task that calls out)"
		return Explanation{Code: CodeNetworkModeNone, Path: "forward", Component: tk.comp, Message: m, clause: m}
	})
	return t.finish(fs, fs.verdict, nil)
}

// networkModeNoneTask reports whether tk runs with network mode none.
func networkModeNoneTask(tk *taskNode) bool {
	return tk != nil && tk.tk.NetworkMode == model.NetworkModeNone && tk.tk.Active()
}
