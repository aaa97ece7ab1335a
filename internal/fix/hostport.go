package fix

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// hostPortInstead: a client called a bridge task's container port on its
// container instance, where Docker publishes it on another host port (a
// dynamic one from the ephemeral range when hostPort is 0). Nothing in
// the system changes: the task's port is its host port, as DescribeTasks'
// networkBindings give it ("clients that send traffic to these containers
// use the randomly assigned host ports", networking-networkmode-bridge.html).
// A dynamic port changes with every task, so the detail names the ways
// that follow it: a load balancer's target group or Cloud Map SRV records.
func (f *finder) hostPortInstead(x reach.Explanation) []Fix {
	tk := f.taskOf(x)
	pkt, ok := f.hopPacket(x)
	if tk == nil || !ok || !pkt.Destination.IsValid() || x.Port == 0 {
		return nil
	}
	to := netip.AddrPortFrom(pkt.Destination, x.Port).String()
	return []Fix{f.connectInstead(60, "host-port", to, "the task's host port",
		fmt.Sprintf("Connect to host port %d (the task's binding of container port %d) at %s", x.Port, pkt.DestinationPort, to),
		"In bridge mode the container port exists only inside the task's Docker network; the instance answers on the host port Docker published. "+
			"A dynamic host port changes with every task: call the service through a load balancer target group or a Cloud Map SRV record, which ECS keeps up to date with each task's port.",
		networkBindingsCommand(tk))}
}

// connectInstead is a fix that changes nothing in the system: the client
// connects to another address or port (to), which verification probes.
func (f *finder) connectInstead(score int, kind, to, comment, title, detail, command string) Fix {
	return Fix{
		score: score, Kind: kind, Title: title, Detail: detail, Commands: []string{command},
		Scenario:     fmt.Sprintf("# no change: %s\nexpect:\n  - {from: %s, to: \"%s\", verdict: connected}\n", comment, f.from, to),
		apply:        func(*engine.Engine) error { return nil },
		Verification: Verification{From: f.from, To: to, Protocol: f.proto},
	}
}

// networkBindingsCommand shows a task's host port bindings.
func networkBindingsCommand(tk *model.Task) string {
	return fmt.Sprintf(`aws ecs describe-tasks --cluster %s --tasks %s --query "tasks[0].containers[].networkBindings[]"`, clusterName(tk.ClusterARN), taskID(tk.ARN))
}

// bridgeAddressInstead: a client outside a container instance called a
// bridge container at its address on the instance's Docker bridge network
// (ECS_BRIDGE_CONTAINER_ADDRESS), which exists only inside the instance.
// Nothing in the system changes: the container is reached at its
// instance's address and the host port Docker published (the
// explanation's Address and Port). A clustered application (Consul,
// Hazelcast, Akka) that advertises its own address must be told the
// instance's, or run in awsvpc or host network mode.
func (f *finder) bridgeAddressInstead(x reach.Explanation) []Fix {
	tk := f.taskOf(x)
	pkt, ok := f.hopPacket(x)
	if tk == nil || !ok || !x.Address.IsValid() || x.Port == 0 || x.NetworkInterface == nil {
		return nil
	}
	to := netip.AddrPortFrom(x.Address, x.Port).String()
	return []Fix{f.connectInstead(60, "host-port", to, "the instance's address and the task's host port",
		fmt.Sprintf("Connect to %s (the instance's address and the task's host port for container port %d), not the container's bridge address %s", to, pkt.DestinationPort, pkt.Destination),
		"A bridge-mode container's address belongs to Docker's bridge network on its own instance; other hosts reach it at the instance's address and the host port Docker published. "+
			"A clustered application that advertises its own address must advertise the instance's address and host port (Consul's -advertise, Hazelcast's public address), or the task must use the awsvpc network mode, where its address is the VPC's.",
		networkBindingsCommand(tk))}
}

// listenerPortInstead: nothing listens on the probed port of an awsvpc task
// (ECS_NO_LISTENER), whose containers listen on other ports: the client was
// configured with another port, such as a self-managed product's default
// (OpenSearch's 9200 against an Amazon OpenSearch Service domain, which
// serves HTTPS on 443 only). Nothing in the system changes: each port the
// task's containers map for the probe's protocol is tried at the task's
// address, and verification keeps those the probe reaches (the security
// groups on the way admit it).
func (f *finder) listenerPortInstead(x reach.Explanation) []Fix {
	tk := f.taskOf(x)
	if tk == nil || tk.NetworkMode != model.NetworkModeAwsvpc || x.Port == 0 {
		return nil
	}
	var addr netip.Addr
	for _, n := range f.st.NetworkInterfaces {
		if n.OwnerKind == model.OwnedByECSTask && n.ManagedBy == tk.ARN && len(n.PrivateIPs) > 0 {
			addr = n.PrivateIPs[0].Addr
		}
	}
	td := f.st.TaskDefinitions[tk.TaskDefinitionARN]
	if !addr.IsValid() || td == nil {
		return nil
	}
	proto := model.TCP
	if strings.EqualFold(f.proto, "udp") {
		proto = model.UDP
	}
	var out []Fix
	for _, c := range td.Containers {
		for _, pm := range c.PortMappings {
			if pm.Protocol != proto || pm.ContainerPortRange.First != 0 || pm.ContainerPort == x.Port || len(out) == 3 {
				continue
			}
			to := netip.AddrPortFrom(addr, pm.ContainerPort).String()
			out = append(out, f.connectInstead(70, "listener-port", to, "the port the task listens on",
				fmt.Sprintf("Connect to port %d (where the container %s of %s listens), not %d", pm.ContainerPort, c.Name, x.Component.Label(), x.Port),
				fmt.Sprintf("Nothing listens on port %d in the task; its containers listen on the ports of its task definition's port mappings. "+
					"A client library's default port is often the self-managed product's (OpenSearch's 9200), not the managed service's (443).", x.Port),
				fmt.Sprintf(`aws ecs describe-task-definition --task-definition %s --query "taskDefinition.containerDefinitions[].portMappings[]"`, td.Family)))
		}
	}
	return out
}
