package reach

import "github.com/ecsnet/ecsnet/internal/model"

// replyPorts returns the ephemeral ports a network ACL must admit the
// replies on, for connections in one direction (outbound: connections its
// subnets' interfaces open). Load balancer nodes and NAT gateways open
// theirs from 1024-65535, and a client outside the subnets may use any of
// them; Linux (awsvpc task ENIs, container instances and their bridge and
// host mode containers) opens its own from 32768-60999
// (net.ipv4.ip_local_port_range). "Ephemeral ports", Amazon VPC User
// Guide (nacl-ephemeral-ports.html): "Many Linux kernels (including the
// Amazon Linux kernel) use ports 32768-61000 … Elastic Load Balancing uses
// ports 1024-65535 … a NAT gateway uses ports 1024-65535". A subnet
// without interfaces is judged on the whole range.
func (n *Network) replyPorts(a *model.NetworkACL, outbound bool) []uint16 {
	all := []uint16{1024, 32768, 49152, 60999, 65535}
	if !outbound {
		return all
	}
	subnets := map[model.SubnetID]bool{}
	for _, as := range a.Associations {
		subnets[as.SubnetID] = true
	}
	linux := false
	for _, e := range n.eniOrder {
		if e.subnet == nil || !subnets[e.subnet.subnet.ID] {
			continue
		}
		if e.kind != eniTask && e.kind != eniHost {
			return all
		}
		linux = true
	}
	if !linux {
		return all
	}
	return []uint16{32768, 49152, 60999}
}
