package reach

import (
	"net/netip"
	"regexp"

	"github.com/ecsnet/ecsnet/internal/model"
)

// KindTaskMetadata is the ECS endpoint a task's containers ask for their
// task role's credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) and
// their task metadata (ECS_CONTAINER_METADATA_URI_V4): 169.254.170.2 on
// port 80, answered by the ECS container agent of the task's instance, or
// by Fargate ("task-metadata" or the address).
const KindTaskMetadata EndpointKind = "ecs-task-metadata-endpoint"

// taskMetadataAddr is the credentials and task metadata endpoint's
// address (ECS Developer Guide, "Amazon ECS task IAM role": "the
// container ... calls 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").
var taskMetadataAddr = netip.AddrFrom4([4]byte{169, 254, 170, 2})

// taskMetadataEndpoint returns the endpoint for spec s (without its
// port), or false.
func taskMetadataEndpoint(s string, ep Endpoint) (Endpoint, bool) {
	return linkLocalEndpoint(s, ep, KindTaskMetadata, "ECS task metadata and credentials endpoint", taskMetadataAddr, "task-metadata", "ecs-credentials", "169.254.170.2")
}

// taskMetadata answers a probe to 169.254.170.2. Like the instance
// metadata service, the request never enters the VPC: no security group,
// network ACL or route table applies. Who answers (ECS Developer Guide,
// "Amazon ECS task IAM role", "Task metadata endpoint version 4", and the
// ecs-init credentials proxy rules):
//
//   - a Fargate task: Fargate itself;
//   - a task on an EC2 container instance: the instance's ECS agent (a
//     bridge task's containers through docker0, where the agent's
//     iptables rule sends 169.254.170.2:80 to it; an awsvpc task's
//     namespace through the agent's ecs-bridge; a host mode task through
//     the rule on the host's own output);
//   - a process on a container instance (one an ECS agent runs on): the
//     agent, through the same output rule;
//   - an instance without an ECS agent: nothing; the address is
//     link-local and the VPC does not route it, so the client times out
//     ([choice]).
func (t *tracer) taskMetadata(q *Query, port uint16) *Result {
	fs := newFlowState()
	r := t.res
	if port != 80 {
		return t.invalid("the ECS task metadata and credentials endpoint listens on port 80 only (169.254.170.2:80)")
	}
	if t.proto != model.TCP {
		return t.invalid("the ECS task metadata and credentials endpoint answers HTTP over TCP only")
	}
	svc := &Component{Type: "ecs-task-metadata-endpoint", ID: taskMetadataAddr.String(), Name: "ECS task metadata and credentials endpoint"}
	tk := q.From.task
	x := t.sourceInstance(q)
	var src *eniNode
	var srcComp *Component
	switch {
	case tk != nil:
		src, srcComp = tk.eni, tk.comp
	case x != nil:
		src, srcComp = x.primary, x.comp
	default:
		return t.invalid("the ECS task metadata and credentials endpoint answers tasks and their container instances: probe it from a task or an instance")
	}
	if q.From.eni != nil {
		src = q.From.eni
	}
	if src == nil && x != nil {
		src = x.primary
	}
	if tk != nil && tk.tk.NetworkMode == model.NetworkModeNone {
		return t.invalid("the task " + tk.name + " has network mode none: it has no network to ask 169.254.170.2 on")
	}
	pkt := t.imdsPacket(src, port)
	pkt.Destination = taskMetadataAddr
	t.add(&r.Forward, false, Hop{Action: ActionSent, Component: srcComp, Packet: pkt,
		Note: "169.254.170.2 is link-local: the ECS agent (or Fargate) answers it; no security group, network ACL or route table applies"})
	var answeredBy *Component
	var where string
	switch {
	case tk != nil && (tk.tk.LaunchType == model.LaunchFargate || x == nil):
		answeredBy, where = tk.comp, "Fargate answers the task "+tk.name
	case tk != nil:
		answeredBy, where = x.comp, "the ECS agent on "+x.name+" answers the task "+tk.name+" ("+string(tk.tk.NetworkMode)+" mode)"
	case t.n.runsECSAgent(x):
		answeredBy, where = x.comp, "the ECS agent on "+x.name+" answers a process of the instance"
	default:
		t.block(&fs, Timeout, func() Explanation {
			m := "no ECS agent runs on " + x.name + ": nothing answers 169.254.170.2, a link-local address the VPC does not route, so the client times out; the endpoint serves the tasks ECS places on container instances and Fargate"
			return Explanation{Code: CodeTaskMetadataUnavailable, Path: "forward", Component: x.comp, Message: m, clause: m}
		})
		return t.finish(&fs, fs.verdict, nil)
	}
	t.add(&r.Forward, false, Hop{Action: ActionAccepted, Component: svc, AttachedTo: answeredBy, Packet: pkt, Note: where})
	t.add(&r.Return, true, Hop{Action: ActionReceived, Component: srcComp, Packet: pkt.reply()})
	res := t.finish(&fs, HTTPVerdict(200), nil)
	if !t.quiet {
		res.Summary = "http 200: " + where + " on 169.254.170.2 (task role credentials and task metadata)."
	}
	return res
}

// runsECSAgent reports whether an ECS container agent runs on instance
// x: it runs tasks, or it is registered as a container instance.
func (n *Network) runsECSAgent(x *instanceNode) bool {
	if len(x.tasks) > 0 {
		return true
	}
	for _, ci := range n.st.ContainerInstances {
		if ci.EC2InstanceID == x.inst.ID && ci.Status != "INACTIVE" && ci.Status != "REGISTRATION_FAILED" {
			return true
		}
	}
	return false
}

// offhostIntrospection matches the ecs.config setting, written by an
// instance's user data, that lets other hosts call the ECS agent's
// introspection API.
var offhostIntrospection = regexp.MustCompile(`(?m)\bECS_ALLOW_OFFHOST_INTROSPECTION_ACCESS=["']?true\b`)

// OffhostIntrospectionAllowed reports whether a container instance's ECS
// agent introspection API (tcp/51678) answers other hosts and awsvpc
// tasks: the ECS-optimized AMI's ecs-init drops those connections with an
// iptables rule (only the loopback and docker0 interfaces get through)
// unless /etc/ecs/ecs.config sets ECS_ALLOW_OFFHOST_INTROSPECTION_ACCESS=true
// (aws/amazon-ecs-init#354, aws/amazon-ecs-agent#4657).
func OffhostIntrospectionAllowed(userData string) bool {
	return offhostIntrospection.MatchString(userData)
}
