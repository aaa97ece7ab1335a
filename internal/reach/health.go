package reach

import (
	"slices"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Target health states and reasons, as DescribeTargetHealth reports them
// (ELB User Guide, "Health checks for your target groups": target health
// status and reason codes; reference §5).
const (
	HealthHealthy     = "healthy"
	HealthUnhealthy   = "unhealthy"
	HealthUnused      = "unused"
	HealthDraining    = "draining"
	HealthUnavailable = "unavailable"

	ReasonTimeout            = "Target.Timeout"
	ReasonFailedHealthChecks = "Target.FailedHealthChecks"
	ReasonNotInUse           = "Target.NotInUse"
	ReasonNotRegistered      = "Target.NotRegistered"
	ReasonInvalidState       = "Target.InvalidState"
	ReasonDeregistration     = "Target.DeregistrationInProgress"
	ReasonHealthCheckOff     = "Target.HealthCheckDisabled"
)

// reasonDescription returns the description AWS gives with a reason.
func reasonDescription(reason string) string {
	switch reason {
	case ReasonTimeout:
		return "Request timed out"
	case ReasonFailedHealthChecks:
		return "Health checks failed"
	case ReasonNotRegistered:
		return "Target is not registered to the target group"
	case ReasonDeregistration:
		return "Target deregistration is in progress"
	case ReasonHealthCheckOff:
		return "Health checks are disabled"
	}
	return ""
}

// TargetRef identifies a target: an instance id or IP address, and a port.
type TargetRef struct {
	ID               string `json:"id"`
	Port             uint16 `json:"port"`
	AvailabilityZone string `json:"availabilityZone,omitempty"`
}

// TargetHealthResult is the health of one target, as DescribeTargetHealth
// would report it, with the failing health check's path.
type TargetHealthResult struct {
	Target          TargetRef `json:"target"`
	HealthCheckPort string    `json:"healthCheckPort"`
	State           string    `json:"state"`
	Reason          string    `json:"reason,omitempty"`
	Description     string    `json:"description,omitempty"`
	// Name is the task or instance behind the target.
	Name string `json:"name,omitempty"`
	// Check is the failing health check from the first load balancer node
	// that fails it, hop by hop (nil when healthy or not checked).
	Check *Result `json:"check,omitempty"`
	// ProtocolMismatch says, when the check failed for it, that the
	// health check's protocol is not the one the application speaks
	// (HTTPS to plain HTTP, or HTTP to TLS): the application's protocol.
	ProtocolMismatch string `json:"protocolMismatch,omitempty"`
	// HostRefused is, when the application refused the check's Host
	// header (its allowed hosts; the check sends the target's address),
	// that header.
	HostRefused string `json:"hostRefused,omitempty"`
	// ProxyProtocol: the check failed on the proxy protocol header (the
	// NLB target group sends one the application does not read, or none
	// where it expects one).
	ProxyProtocol bool `json:"proxyProtocol,omitempty"`
}

// TargetHealth computes the health of a target group's targets (all
// registered ones, or those given), as DescribeTargetHealth reports it:
//
//   - draining (Target.DeregistrationInProgress) between deregistration
//     and removal;
//   - unused, Target.NotInUse, when no listener or rule forwards to the
//     target group, or the target's zone is not one of its load
//     balancer's; Target.InvalidState for a stopped or terminated
//     instance; Target.NotRegistered for a target given but not registered;
//   - unavailable, Target.HealthCheckDisabled, when health checks are off;
//   - else a health check runs from every load balancer node that would
//     route to the target (every node of an ALB; the nodes of the
//     target's zone for an NLB without cross-zone load balancing) to the
//     health check port ("traffic-port" is the registered port), from the
//     node's private address with the load balancer's security groups:
//     healthy when every one connects; unhealthy with Target.Timeout when
//     one is dropped, Target.FailedHealthChecks when one is refused (the
//     first failing node decides).
//
// The initial state (Elb.RegistrationInProgress, Elb.InitialHealthChecking)
// takes time, which the analyzer knows nothing of: it reports the state
// health checks settle on (the emulator's DescribeTargetHealth shows
// initial until then: engine.InitialTargetHealth). The zone is the one
// the load balancer serves the target in (targetZone).
// HTTP and HTTPS health checks that connect get the status the container
// serves on the health check path (ContainerDefinition.Serves; 200 when
// unset), checked against the matcher: Target.ResponseCodeMismatch.
func TargetHealth(n *Network, tgARN string, targets ...model.Target) []TargetHealthResult {
	tg := n.tgs[tgARN]
	if tg == nil {
		return nil
	}
	all := tg.tg.Targets.Slice()
	list := all
	if len(targets) > 0 {
		// One index of the registered targets: the lookups stay linear in
		// the targets asked and registered.
		at := make(map[targetKey]int, len(all))
		for i, y := range all {
			k := targetKey{y.ID, y.Port}
			if _, dup := at[k]; !dup {
				at[k] = i
			}
		}
		list = make([]model.Target, 0, len(targets))
		for _, x := range targets {
			if x.Port == 0 {
				x.Port = tg.tg.Port
			}
			i, ok := at[targetKey{x.ID, x.Port}]
			if !ok {
				list = append(list, model.Target{ID: x.ID, Port: x.Port, AvailabilityZone: "__unregistered"})
				continue
			}
			list = append(list, all[i])
		}
	}
	out := make([]TargetHealthResult, 0, len(list))
	c := healthCache{}
	for _, x := range list {
		out = append(out, n.targetHealth(tg, x, c))
	}
	return out
}

// healthCache holds, per load balancer node, the targets it routes to.
type healthCache map[*eniNode]map[targetKey]*lbTarget

type targetKey struct {
	id   string
	port uint16
}

func (c healthCache) targets(t *tracer, node *eniNode, lb *lbNode, tg *tgNode) map[targetKey]*lbTarget {
	if m, ok := c[node]; ok {
		return m
	}
	list, _ := t.targetsFor(node, lb, tg)
	m := make(map[targetKey]*lbTarget, len(list))
	for i := range list {
		m[targetKey{list[i].t.ID, list[i].t.Port}] = &list[i]
	}
	c[node] = m
	return m
}

func (n *Network) targetHealth(tg *tgNode, x model.Target, cache healthCache) TargetHealthResult {
	r := TargetHealthResult{Target: TargetRef{ID: x.ID, Port: x.Port, AvailabilityZone: x.AvailabilityZone}}
	r.HealthCheckPort = strconv.Itoa(int(hcPort(tg.tg, x)))
	set := func(state, reason, desc string) TargetHealthResult {
		r.State, r.Reason, r.Description = state, reason, desc
		if desc == "" {
			r.Description = reasonDescription(reason)
		}
		return r
	}
	if x.AvailabilityZone == "__unregistered" {
		r.Target.AvailabilityZone = ""
		return set(HealthUnused, ReasonNotRegistered, "")
	}
	if x.Draining {
		return set(HealthDraining, ReasonDeregistration, "")
	}
	if len(tg.lbs) == 0 {
		return set(HealthUnused, ReasonNotInUse, "Target group is not configured to receive traffic from the load balancer")
	}
	var inst *instanceNode
	albTarget := tg.tg.TargetType == "alb"
	if _, ok := x.TargetAddr(); !ok && !albTarget {
		inst = n.instances[model.InstanceID(x.ID)]
		if inst == nil || inst.inst.State == model.InstanceTerminated || inst.inst.State == model.InstanceShuttingDown {
			return set(HealthUnused, ReasonInvalidState, "Target is in the terminated state")
		}
		if inst.inst.State == model.InstanceStopped || inst.inst.State == model.InstanceStopping {
			return set(HealthUnused, ReasonInvalidState, "Target is in the stopped state")
		}
	}
	if x.AvailabilityZone == "" && inst != nil {
		// An instance target serves in its instance's zone (sources that
		// do not record a target's zone, as DescribeTargetHealth does not).
		x.AvailabilityZone = inst.inst.AvailabilityZone
	}
	// An Application Load Balancer target serves in its own zones, the
	// NLB's node sending to the ALB's node of its zone (targetsFor).
	zoneOK := albTarget
	for _, lb := range tg.lbs {
		if z := n.targetZone(lb, tg.tg, x); z == "all" || slices.Contains(lb.zones, z) {
			zoneOK = true
		}
	}
	if !zoneOK {
		// Name the task or instance the unused target is, as for the others.
		if a, ok := x.TargetAddr(); ok {
			if e := n.eniAt(tg.tg.VpcID, a); e != nil && e.task != nil {
				r.Name = e.task.name
			} else if e != nil && e.instance != nil {
				r.Name = e.instance.name
			}
		} else if inst != nil {
			r.Name = inst.name
		}
		return set(HealthUnused, ReasonNotInUse, "Target is in an Availability Zone that is not enabled for the load balancer")
	}
	if !tg.tg.HealthCheck.Enabled {
		return set(HealthUnavailable, ReasonHealthCheckOff, "")
	}
	t := &tracer{n: n, proto: model.TCP, clientPort: DefaultClientPort, quiet: true}
	for _, lb := range tg.lbs {
		for _, node := range lb.nodes {
			y := cache.targets(t, node, lb, tg)[targetKey{x.ID, x.Port}]
			if y == nil {
				continue
			}
			if r.Name == "" {
				r.Name = y.name
			}
			h := t.checkHealth(node, lb, tg, y)
			if h.reason == "" {
				continue
			}
			if h.verdict != Connected {
				r.Check = n.healthCheckResult(node, lb, tg, y)
			}
			switch h.tls {
			case tlsToPlain:
				r.ProtocolMismatch = "HTTP"
			case plainToTLS:
				r.ProtocolMismatch = "HTTPS"
			}
			r.ProxyProtocol = h.proxy
			if h.status == StatusHostNotAllowed && !h.proxy {
				if _, refused := t.hostRefused(y, y.hcPort, healthHost(y)); refused {
					r.HostRefused = healthHost(y)
				}
			}
			return set(HealthUnhealthy, h.reason, h.desc)
		}
	}
	return set(HealthHealthy, "", "")
}

// healthCheckResult walks one health check hop by hop.
func (n *Network) healthCheckResult(node *eniNode, lb *lbNode, tg *tgNode, x *lbTarget) *Result {
	from := Endpoint{Kind: KindLoadBalancer, Spec: lb.lb.Name, Name: lb.lb.Name + " node " + node.eni.AvailabilityZone, ID: lb.lb.Name, ARN: lb.lb.ARN,
		Address: nodeSource(node, x.addr), eni: node, lb: lb}
	to := Endpoint{Kind: KindAddress, Spec: x.addr.String(), Name: x.name, Address: x.addr, Port: x.hcPort, eni: x.eni}
	res := &Result{From: &from, To: &to, Protocol: "tcp", Port: x.hcPort, ClientPort: DefaultClientPort,
		Forward: make([]Hop, 0, 12), Return: make([]Hop, 0, 12)}
	t := &tracer{n: n, res: res, proto: model.TCP, clientPort: DefaultClientPort, healthOf: tg, query: healthQuery(tg, x)}
	f := t.backendFlow(nil, node, lb, tg, x, x.hcPort)
	v, fs := t.connect(&f, &res.Forward, &res.Return)
	return t.finish(&fs, v, nil)
}
