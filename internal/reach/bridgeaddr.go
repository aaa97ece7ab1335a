package reach

import (
	"strconv"

	"github.com/ecsnet/ecsnet/internal/model"
)

// bridgeAddressHint explains a destination in the Docker bridge network
// (docker0) of a container instance that runs bridge-mode tasks, sent from
// outside that instance: Docker gives each bridge container an address of
// docker0's network (172.17.0.0/16 unless the daemon's bip moves it), which
// exists only inside its instance ("containers connected to the same
// bridge network can communicate, while providing isolation from
// containers that aren't connected to that bridge network",
// https://docs.docker.com/engine/network/drivers/bridge/; clients "use the
// randomly assigned host ports", AmazonECS/latest/developerguide/
// networking-networkmode-bridge.html). The VPC knows no such address, so
// the packet followed the route for addresses outside the VPC. It names
// the instance and the host port of the first bridge task (by instance
// and task order) whose container publishes the probed port, and reports
// whether it explained. A client on the instance itself reaches docker0
// (docker0Takes), so never comes here.
func (t *tracer) bridgeAddressHint(fs *flowState, f *flow, seq int) bool {
	if !f.dst.Is4() {
		return false
	}
	for _, s := range t.n.st.Subnets {
		if s.CIDR.Contains(f.dst) {
			return false // an address of a subnet: the VPC's own
		}
	}
	var holder *instanceNode
	for _, x := range t.n.instanceOrder {
		if !x.docker0.Contains(f.dst) || x.primary == nil || (f.srcENI != nil && f.srcENI.instance == x) {
			continue
		}
		for _, tk := range x.tasks {
			if tk.tk.NetworkMode != model.NetworkModeBridge || !tk.tk.Active() {
				continue
			}
			if holder == nil {
				holder = x
			}
			for _, s := range tk.sockets {
				if s.proto != t.proto || s.containerPort != f.dport {
					continue
				}
				t.block(fs, NoRoute, func() Explanation {
					m := bridgeNetworkWhat(x, f) + "; the container " + s.container + " of " + tk.name + " publishes its port " + strconv.Itoa(int(f.dport)) +
						" on " + x.name + "'s address " + x.primary.primary.String() + ", host port " + strconv.Itoa(int(s.port)) +
						" (a peer advertising its container address must advertise that one instead)"
					return Explanation{Code: CodeBridgeContainerAddress, Path: "forward", Hop: seq, Component: tk.comp, NetworkInterface: x.primary.comp,
						Address: x.primary.primary, Port: s.port, Message: m, clause: m}
				})
				return true
			}
		}
	}
	if holder == nil {
		return false
	}
	t.block(fs, NoRoute, func() Explanation {
		m := bridgeNetworkWhat(holder, f) + "; no bridge-mode container there publishes " + t.protoName() + "/" + strconv.Itoa(int(f.dport))
		return Explanation{Code: CodeBridgeContainerAddress, Path: "forward", Hop: seq, Component: holder.comp, Address: f.dst, Message: m, clause: m}
	})
	return true
}

// bridgeNetworkWhat says which network dst is in and why the VPC does not
// carry it.
func bridgeNetworkWhat(x *instanceNode, f *flow) string {
	return f.dst.String() + " is an address of " + x.docker0.Masked().String() + ", the Docker " + docker0What(x) + " network (docker0) of the container instance " +
		x.name + " where bridge-mode containers get their addresses; that network exists only inside each instance, not in the VPC, so the packet followed the route for addresses outside the VPC"
}
