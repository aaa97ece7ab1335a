package ui

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// maxSuggest bounds the example probes built from the state.
const maxSuggest = 5

// suggest builds example probes from the state, for a system that comes
// without a scenario's expect: list (ecsnet serve): the internet to each
// load balancer's first listener, the internet to a public IP on the port
// a task there serves (the article's curl), and an instance to a task.
// The names are the pickers' specs, so every example resolves.
func (b *builder) suggest(pick []pickItem) []Probe {
	var out []Probe
	seen := map[string]bool{}
	add := func(p Probe) {
		if len(out) < maxSuggest && !seen[p.From+"|"+p.To] {
			seen[p.From+"|"+p.To] = true
			out = append(out, p)
		}
	}
	firstInstance := ""
	for _, it := range pick {
		if it.Kind == "instance" {
			firstInstance = it.Spec
			break
		}
	}
	for _, it := range pick {
		if it.Kind != "load-balancer" || len(it.Ports) == 0 {
			continue
		}
		from := "internet"
		if !strings.Contains(it.Label, "internet-facing") {
			if firstInstance == "" {
				continue
			}
			from = firstInstance
		}
		add(Probe{From: from, To: it.Spec + ":" + strconv.Itoa(int(it.Ports[0])), Note: "a load balancer's listener"})
	}
	for _, e := range sorted(b.st.NetworkInterfaces) {
		port, what := b.publicPort(e)
		if port == 0 {
			continue
		}
		for _, p := range e.PrivateIPs {
			if p.PublicIP != nil {
				add(Probe{From: "internet", To: p.PublicIP.PublicIP.String() + ":" + strconv.Itoa(int(port)), Note: "the public IP of " + b.eniOwnerName(e) + ", on the port of " + what})
				break
			}
		}
	}
	if firstInstance != "" {
		for _, it := range pick {
			if it.Kind == "task" && len(it.Ports) > 0 {
				add(Probe{From: firstInstance, To: it.Spec + ":" + strconv.Itoa(int(it.Ports[0])), Note: "an instance to a task"})
				break
			}
		}
	}
	return out
}

// publicPort returns the port a probe of an ENI's public IP would try:
// its task's port (awsvpc), the host port of a task on its instance
// (bridge, host), or the port of an awsvpc task on that instance (which
// listens on another ENI: the article's trap). 0 when none.
func (b *builder) publicPort(e *model.NetworkInterface) (uint16, string) {
	st := b.st
	if e.OwnerKind == model.OwnedByECSTask {
		if tk := st.Tasks[e.ManagedBy]; tk != nil && tk.Active() {
			if ps := b.taskDefPorts(st.TaskDefinitions[tk.TaskDefinitionARN]); len(ps) > 0 {
				return ps[0], "task " + b.nm.tasks[tk.ARN]
			}
		}
		return 0, ""
	}
	if e.Attachment == nil || e.Attachment.InstanceID == "" {
		return 0, ""
	}
	inst := e.Attachment.InstanceID
	for _, tk := range b.hostTasks[inst] {
		for _, c := range tk.Containers {
			for _, nb := range c.NetworkBindings {
				if nb.HostPort != 0 {
					return nb.HostPort, "task " + b.nm.tasks[tk.ARN]
				}
			}
		}
	}
	var tasks []*model.Task
	for _, tk := range st.Tasks {
		if !tk.Active() || len(tk.Attachments) == 0 {
			continue
		}
		if te := st.NetworkInterfaces[tk.Attachments[0].ENI]; te != nil && te.Attachment != nil && te.Attachment.InstanceID == inst {
			tasks = append(tasks, tk)
		}
	}
	slices.SortFunc(tasks, func(x, y *model.Task) int { return strings.Compare(b.nm.tasks[x.ARN], b.nm.tasks[y.ARN]) })
	for _, tk := range tasks {
		if ps := b.taskDefPorts(st.TaskDefinitions[tk.TaskDefinitionARN]); len(ps) > 0 {
			return ps[0], "task " + b.nm.tasks[tk.ARN]
		}
	}
	return 0, ""
}
