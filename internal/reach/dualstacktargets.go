package reach

import "github.com/ecsnet/ecsnet/internal/model"

// ipv6TargetsMissing says why an IPv6 target group (IpAddressType ipv6)
// has none of a service's running tasks: ECS registers an awsvpc task in
// it by the task's IPv6 address, and a task without one is not
// registered (engine: registerTaskTargets). A task gets one only when its
// subnet has an IPv6 CIDR block and the dualStackIPv6 account setting was
// enabled when it started (ECS developer guide, "Amazon ECS task
// networking options for the EC2 launch type", dual-stack mode; ELB user
// guide, "Create a target group": an IPv6 target group's targets are
// IPv6 addresses). The explanation is ECS_NO_IPV6_ADDRESS on the first
// such task's ENI.
func (t *tracer) ipv6TargetsMissing(s *serviceNode, tg *tgNode, seq int) (string, Explanation, bool) {
	if tg.tg.IPAddressType != "ipv6" {
		return "", Explanation{}, false
	}
	for _, tk := range s.tasks {
		if !tk.running || tk.tk.NetworkMode != model.NetworkModeAwsvpc || tk.eni == nil || tk.eni.v6.IsValid() {
			continue
		}
		why := "the dualStackIPv6 account setting was not enabled when it started"
		if sub := tk.eni.subnet; sub == nil || len(sub.subnet.IPv6) == 0 {
			why = "its subnet has no IPv6 CIDR block"
		}
		sentence := "ECS registers the tasks of the service " + s.svc.Name + " in the IPv6 target group " + tg.comp.Name +
			" by their IPv6 addresses, and the task " + tk.name + " has none (" + why + "), so it is not registered"
		e := Explanation{Code: CodeNoIPv6Address, Path: "forward", Hop: seq, Component: s.comp, NetworkInterface: tk.eni.comp,
			Message: sentence + ". Fix: enable dualStackIPv6 (and give the subnets IPv6 blocks) and redeploy the service", clause: sentence, said: true}
		return sentence, e, true
	}
	return "", Explanation{}, false
}
