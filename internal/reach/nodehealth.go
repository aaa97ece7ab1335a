package reach

import "strings"

// Each load balancer node checks the health of each target from its own
// address and routes only to the targets healthy from it ("Each load
// balancer node checks the health of each target … Each load balancer
// node routes requests only to the healthy targets", Health checks for
// Application Load Balancer target groups). A target whose checks pass
// from the probe's node may fail from another (a security group or
// network ACL admitting some of the load balancer's subnets): the node of
// the probe serves it, the other node does not, and DescribeTargetHealth
// reports it unhealthy, as TargetHealth does (health.go: every node that
// routes to it must pass [probable]), so ECS replaces the task.

// otherNodesUnhealthy adds, for each target healthy from node, the
// ECS_TARGET_UNHEALTHY finding of the first other node of lb whose health
// checks of it fail, naming both nodes.
func (t *tracer) otherNodesUnhealthy(node *eniNode, lb *lbNode, tg *tgNode, targets []lbTarget) {
	if t.quiet || len(lb.nodes) < 2 {
		return
	}
	for i := range targets {
		x := &targets[i]
		if x.health.reason != "" {
			continue
		}
		for _, other := range lb.nodes {
			if other == node {
				continue
			}
			list, _ := t.targetsFor(other, lb, tg)
			var y *lbTarget
			for j := range list {
				if list[j].t.ID == x.t.ID && list[j].t.Port == x.t.Port {
					y = &list[j]
					break
				}
			}
			if y == nil {
				continue
			}
			y.health = t.checkHealth(other, lb, tg, y)
			if y.health.reason == "" {
				continue
			}
			y.traffic = x.traffic
			from, to := node, other
			t.info(func() Explanation {
				e := t.unhealthyExplanation(to, lb, tg, y)
				head := "the target " + x.t.ID + " passes the health checks of the node in " + from.eni.AvailabilityZone + " (" + from.primary.String() + "), this request's, but not those of the node in " +
					to.eni.AvailabilityZone + " (" + to.primary.String() + "): each node checks every target from its own address and sends requests only to the targets healthy from it, " +
					"and Elastic Load Balancing reports a target unhealthy when a node's checks fail. "
				e.Message = head + strings.ToUpper(e.Message[:1]) + e.Message[1:] +
					". Admit every load balancer subnet's range (or the load balancer's security group) on the health check port"
				return e
			})
			break
		}
	}
}
