package fix

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// loopbackHost: a bridge-mode container (or an awsvpc task on EC2) calls localhost for a daemon that
// listens on its container instance (a host port Docker publishes, a host
// mode task: an agent's traces, metrics, a sidecar moved to a daemon),
// and nothing listens in the container's own namespace
// (reach.CodeLoopbackNotListening). Nothing in the system changes: the
// client sends to the instance's private IP (its IMDS local-ipv4, or
// docker0's gateway), and the same probe to that address verifies it.
func (f *finder) loopbackHost(x reach.Explanation) []Fix {
	tk := f.st.Tasks[f.q.From.ARN]
	if tk == nil || tk.ContainerInstanceARN == "" {
		return nil
	}
	td := f.st.TaskDefinitions[tk.TaskDefinitionARN]
	if td == nil || (td.NetworkMode != model.NetworkModeBridge && td.NetworkMode != model.NetworkModeAwsvpc) {
		return nil
	}
	why := "in bridge mode localhost is the container itself; the daemon listens on the instance"
	if td.NetworkMode == model.NetworkModeAwsvpc {
		why = "in awsvpc mode localhost is the task's own namespace; the daemon listens on the instance"
	}
	ci := f.st.ContainerInstances[tk.ContainerInstanceARN]
	if ci == nil {
		return nil
	}
	inst := f.st.Instances[ci.EC2InstanceID]
	if inst == nil {
		return nil
	}
	eni := f.st.NetworkInterfaces[inst.PrimaryENI]
	if eni == nil || len(eni.PrivateIPs) == 0 {
		return nil
	}
	addr := eni.PrivateIPs[0].Addr
	port := x.Port
	if port == 0 {
		port = f.probedPort()
	}
	to := fmt.Sprintf("%s:%d", addr, port)
	return []Fix{{
		score: 8, Kind: "client-url",
		Title: fmt.Sprintf("Send to the container instance's private IP %s instead of localhost (%s)", to, why),
		Detail: "A bridge-mode container has its own network namespace on Docker's bridge: 127.0.0.1 there is the container alone. A daemon on the instance (a host mode task, or a port Docker publishes) " +
			"is reached at the instance's private IP, which the container reads from the instance metadata (local-ipv4), or at docker0's gateway (172.17.0.1 by default).",
		Commands:     []string{"curl -s http://169.254.169.254/latest/meta-data/local-ipv4   # in the container: the instance's private IP, for the client's host setting"},
		Scenario:     "# no change: the client sends to the instance's address\nexpect:\n  - {from: " + f.from + ", to: \"" + to + "\", verdict: connected}\n",
		Verification: Verification{From: f.from, To: to, Protocol: f.proto},
		apply:        func(*engine.Engine) error { return nil },
	}}
}
