package reach

import (
	"fmt"
	"net/netip"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Verdict is what the client of a probe experiences. The exact condition
// for each value is in the package documentation.
type Verdict string

// Verdicts.
const (
	// Connected: the packet reaches a socket that accepts it and the reply
	// comes back (TCP handshake completes; a UDP datagram is delivered).
	Connected Verdict = "connected"
	// Refused: the packet reaches a host or task where nothing accepts it
	// and the host answers with a TCP reset (ICMP port unreachable for UDP).
	Refused Verdict = "refused"
	// Timeout: the packet (or its reply) is silently dropped by a security
	// group, a network ACL, an internet gateway or a load balancer.
	Timeout Verdict = "timeout"
	// NoRoute: the packet has nowhere to go: no route matches, the route is
	// a blackhole, or a private address is addressed from the internet.
	NoRoute Verdict = "no-route"
	// Unknown: the path goes through something ecsnet does not model (a
	// route to an appliance ENI or instance), or the query was invalid.
	Unknown Verdict = "unknown"
	// NXDomain: the destination name does not resolve from the source's
	// VPC (the Route 53 Resolver answers NXDOMAIN): no packet is sent.
	NXDomain Verdict = "nxdomain"
)

// HTTP verdicts: the status an Application Load Balancer returns.
const (
	HTTP200 Verdict = "http 200"
	HTTP502 Verdict = "http 502"
	HTTP503 Verdict = "http 503"
	HTTP504 Verdict = "http 504"
)

// HTTPVerdict returns the verdict of an HTTP status code ("http 404").
func HTTPVerdict(status int) Verdict {
	switch status {
	case 200:
		return HTTP200
	case 502:
		return HTTP502
	case 503:
		return HTTP503
	case 504:
		return HTTP504
	// Statuses applications and rules commonly answer, without building
	// the string on every probe.
	case 301:
		return "http 301"
	case 302:
		return "http 302"
	case 400:
		return "http 400"
	case 401:
		return "http 401"
	case 403:
		return "http 403"
	case 404:
		return "http 404"
	case 500:
		return "http 500"
	}
	return Verdict("http " + strconv.Itoa(status))
}

// HTTPStatus returns the status code of an HTTP verdict, or 0.
func (v Verdict) HTTPStatus() int {
	if len(v) == 8 && v[:5] == "http " {
		n, err := strconv.Atoi(string(v[5:]))
		if err == nil {
			return n
		}
	}
	return 0
}

// Reachable reports whether the client gets what it asked for: a
// connection, or an HTTP status below 500 from a load balancer.
func (v Verdict) Reachable() bool {
	if v == Connected {
		return true
	}
	s := v.HTTPStatus()
	return s > 0 && s < 500
}

// Component names a resource on a path: its type ("network-interface",
// "security-group", "network-acl", "route-table", "internet-gateway",
// "nat-gateway", "vpc-endpoint", "instance", "task", "load-balancer",
// "listener", "target-group", "internet", …), AWS id, ARN and the name
// people use for it (the Name tag, "ecs-asg/0", "web/0", …).
type Component struct {
	Type string `json:"type"`
	ID   string `json:"id,omitempty"`
	ARN  string `json:"arn,omitempty"`
	Name string `json:"name,omitempty"`
}

// Label returns the name of c when it has one, else its id.
func (c *Component) Label() string {
	if c == nil {
		return ""
	}
	if c.Name != "" {
		return c.Name
	}
	return c.ID
}

// Packet is a packet's header at a hop.
type Packet struct {
	Protocol        string     `json:"protocol"`
	Source          netip.Addr `json:"source"`
	SourcePort      uint16     `json:"sourcePort"`
	Destination     netip.Addr `json:"destination"`
	DestinationPort uint16     `json:"destinationPort"`
	// ICMP is an echo probe's message: "echo-request" (ICMP type 8,
	// ICMPv6 128) or "echo-reply" (0; ICMPv6 129), both code 0. (One
	// byte, in the struct's padding: a TCP probe's hops grow no larger.)
	ICMP ICMPMessage `json:"icmp,omitempty"`
}

// ICMPMessage is the ICMP message a packet of a ping carries; zero for
// any other packet.
type ICMPMessage uint8

// ICMP messages of a ping.
const (
	EchoRequest ICMPMessage = iota + 1
	EchoReply
)

// Type returns the message's ICMP type (v6: ICMPv6): echo request 8
// (128), echo reply 0 (129); the code is 0 (RFC 792, RFC 4443).
func (m ICMPMessage) Type(v6 bool) uint8 {
	switch {
	case m == EchoReply && v6:
		return 129
	case m == EchoReply:
		return 0
	case v6:
		return 128
	}
	return 8
}

func (m ICMPMessage) String() string {
	switch m {
	case EchoRequest:
		return "echo-request"
	case EchoReply:
		return "echo-reply"
	}
	return ""
}

// MarshalText writes the message's name.
func (m ICMPMessage) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads a message's name.
func (m *ICMPMessage) UnmarshalText(b []byte) error {
	switch string(b) {
	case "echo-request":
		*m = EchoRequest
	case "echo-reply":
		*m = EchoReply
	case "":
		*m = 0
	default:
		return fmt.Errorf("unknown ICMP message %q", b)
	}
	return nil
}

// PortRange is an inclusive port range.
type PortRange struct {
	From uint16 `json:"from"`
	To   uint16 `json:"to"`
}

// ICMPTypeCode is an ICMP or ICMPv6 rule's message type and code, as
// EC2's IcmpTypeCode: -1 means any.
type ICMPTypeCode struct {
	Type int `json:"type"`
	Code int `json:"code"`
}

// icmpTypeCode returns a rule's ICMP type and code kept in a port range
// (type in First, code in Last, 0xFFFF for -1), or nil when the range is
// 0-65535 (a rule of a state that keeps no type and code: any).
func icmpTypeCode(p model.Protocol, r model.PortRange) *ICMPTypeCode {
	if !isICMP(p) || r == model.AllPorts {
		return nil
	}
	v := func(x uint16) int {
		if x == 0xFFFF {
			return -1
		}
		return int(x)
	}
	return &ICMPTypeCode{Type: v(r.First), Code: v(r.Last)}
}

// SecurityGroupRule is the security group rule that admitted a packet.
type SecurityGroupRule struct {
	SecurityGroupID   string        `json:"securityGroupId"`
	SecurityGroupName string        `json:"securityGroupName,omitempty"`
	RuleID            string        `json:"securityGroupRuleId,omitempty"`
	Direction         string        `json:"direction"` // "ingress" or "egress"
	Protocol          string        `json:"protocol"`  // "tcp", "udp", "-1"
	PortRange         *PortRange    `json:"portRange,omitempty"`
	ICMPTypeCode      *ICMPTypeCode `json:"icmpTypeCode,omitempty"`
	CIDR              netip.Prefix  `json:"cidr,omitzero"`
	ReferencedGroupID string        `json:"referencedGroupId,omitempty"`
	PrefixListID      string        `json:"prefixListId,omitempty"`
	Description       string        `json:"description,omitempty"`
}

// ACLRule is the network ACL entry that decided a packet.
type ACLRule struct {
	NetworkACLID string        `json:"networkAclId"`
	RuleNumber   int           `json:"ruleNumber"` // 32767 for the final "*" deny
	Egress       bool          `json:"egress"`
	Action       string        `json:"ruleAction"` // "allow" or "deny"
	Protocol     string        `json:"protocol"`
	PortRange    *PortRange    `json:"portRange,omitempty"`
	ICMPTypeCode *ICMPTypeCode `json:"icmpTypeCode,omitempty"`
	CIDR         netip.Prefix  `json:"cidr"`
}

// Route is the route that forwarded a packet.
type Route struct {
	RouteTableID            string       `json:"routeTableId"`
	RouteTableName          string       `json:"routeTableName,omitempty"`
	DestinationCIDR         netip.Prefix `json:"destinationCidr,omitzero"`
	DestinationPrefixListID string       `json:"destinationPrefixListId,omitempty"`
	TargetType              string       `json:"targetType"` // local, internet-gateway, nat-gateway, vpc-endpoint, …
	Target                  string       `json:"target"`     // "local", "igw-…", "nat-…", …
	State                   string       `json:"state"`      // "active" or "blackhole"
	Origin                  string       `json:"origin,omitempty"`
}

// Socket is what accepted (or would accept) a connection.
type Socket struct {
	// Kind is "container" (awsvpc), "bridge" (Docker host port), "host"
	// (host network mode), "sshd", "endpoint" (an AWS service behind an
	// interface endpoint), "listener" (a load balancer listener),
	// "ecs-agent" (the ECS agent's introspection API on a container
	// instance, tcp/51678), or the web server an instance's user data
	// starts ("httpd", "apache2", "nginx").
	Kind          string     `json:"kind"`
	Protocol      string     `json:"protocol"`
	Port          uint16     `json:"port"`
	Address       netip.Addr `json:"address,omitzero"` // the bind address; zero means every address
	Task          string     `json:"task,omitempty"`
	Container     string     `json:"container,omitempty"`
	ContainerPort uint16     `json:"containerPort,omitempty"`
}

// Action is what a hop did with the packet.
type Action string

// Hop actions.
const (
	ActionSent       Action = "sent"       // the source emitted the packet
	ActionAllowed    Action = "allowed"    // a security group or network ACL admitted it
	ActionDenied     Action = "denied"     // a security group or network ACL dropped it
	ActionRouted     Action = "routed"     // a route table forwarded it
	ActionNoRoute    Action = "no-route"   // no usable route
	ActionTranslated Action = "translated" // an internet gateway or NAT gateway rewrote an address
	ActionForwarded  Action = "forwarded"  // a load balancer sent it on to a target
	ActionDropped    Action = "dropped"    // a gateway or load balancer discarded it
	ActionAccepted   Action = "accepted"   // a socket accepted it
	ActionRefused    Action = "refused"    // nothing listens: reset
	ActionExited     Action = "exited"     // it left the modelled network (internet host, AWS service)
	ActionReceived   Action = "received"   // the reply reached the client
	ActionResponded  Action = "responded"  // a load balancer answered itself (fixed response, redirect, 503)
)

// Hop is one step of a forward or return path.
type Hop struct {
	Seq       int        `json:"sequenceNumber"`
	Action    Action     `json:"action"`
	Blocked   bool       `json:"blocked,omitempty"`
	Component *Component `json:"component"`
	// AttachedTo is what an ENI belongs to (instance, task, load
	// balancer, NAT gateway, endpoint).
	AttachedTo        *Component         `json:"attachedTo,omitempty"`
	Subnet            *Component         `json:"subnet,omitempty"`
	Direction         string             `json:"direction,omitempty"` // "ingress" or "egress" for filters
	Packet            Packet             `json:"packet"`
	SecurityGroupRule *SecurityGroupRule `json:"securityGroupRule,omitempty"`
	ACLRule           *ACLRule           `json:"aclRule,omitempty"`
	Route             *Route             `json:"route,omitempty"`
	Socket            *Socket            `json:"socket,omitempty"`
	Note              string             `json:"note,omitempty"`
}

// Explanation says why a path is blocked (Blocking) or adds a detail. Code
// is a Reachability Analyzer explanation code where the meaning matches,
// else an ecsnet ECS_* code (see the package documentation).
type Explanation struct {
	Code      string `json:"code"`
	Blocking  bool   `json:"blocking"`
	Path      string `json:"path"`          // "forward" or "return"
	Hop       int    `json:"hop,omitempty"` // the sequence number of the hop it is about
	Direction string `json:"direction,omitempty"`
	// Component is the resource to change (the security group, the
	// network ACL, the route table, the task …).
	Component         *Component         `json:"component,omitempty"`
	NetworkInterface  *Component         `json:"networkInterface,omitempty"`
	SecurityGroups    []*Component       `json:"securityGroups,omitempty"`
	ACLRule           *ACLRule           `json:"aclRule,omitempty"`
	Route             *Route             `json:"route,omitempty"`
	Address           netip.Addr         `json:"address,omitzero"`
	Protocol          string             `json:"protocol,omitempty"`
	Port              uint16             `json:"port,omitempty"`
	SecurityGroupRule *SecurityGroupRule `json:"securityGroupRule,omitempty"`
	Message           string             `json:"message"`
	// Tasks is set for start-path findings (ECS_TASKS_STOPPED,
	// ECS_IMAGE_PULL_FAILED, …): the stopped tasks and the cause.
	Tasks *TasksStopped `json:"tasksStopped,omitempty"`
	// Packet is the packet the finding is about when its hop is not on
	// the reported paths (a component past the drop, found by walking on).
	Packet *Packet `json:"packet,omitempty"`
	// Decided is, for a finding about another connection (a target's
	// failed health check), the component that blocked that connection.
	Decided *Component `json:"decidedBy,omitempty"`
	// ServerName is the name the dropped flow sends (its TLS SNI or HTTP
	// Host), for an AWS Network Firewall rule that filters by it.
	ServerName string `json:"serverName,omitempty"`

	// clause is the summary's wording of the same finding; said marks a
	// finding another clause already tells.
	clause string
	said   bool
}

// TargetOutcome is what happened (or would happen) to a request a load
// balancer sends to one target.
type TargetOutcome struct {
	ID               string  `json:"id"`
	Port             uint16  `json:"port"`
	AvailabilityZone string  `json:"availabilityZone,omitempty"`
	Name             string  `json:"name,omitempty"` // the task or instance
	Health           string  `json:"health"`         // healthy, unhealthy, unused, draining
	Reason           string  `json:"reason,omitempty"`
	Chosen           bool    `json:"chosen,omitempty"` // the target the reported path goes to
	Verdict          Verdict `json:"verdict"`          // of a connection from the load balancer node
}

// Result is the answer to a probe. It is safe to encode as JSON; the field
// names are stable. Results share immutable data (components, rules)
// with the Network: do not modify them.
type Result struct {
	From       *Endpoint `json:"from"`
	To         *Endpoint `json:"to"`
	Protocol   string    `json:"protocol"`
	Port       uint16    `json:"port"`
	ClientPort uint16    `json:"clientPort"`
	Verdict    Verdict   `json:"verdict"`
	HTTPStatus int       `json:"httpStatus,omitempty"`
	// Reachable is Verdict.Reachable: RA's NetworkPathFound.
	Reachable    bool            `json:"reachable"`
	Summary      string          `json:"summary"`
	Forward      []Hop           `json:"forwardPath"`
	Return       []Hop           `json:"returnPath"`
	Explanations []Explanation   `json:"explanations"`
	Targets      []TargetOutcome `json:"targets,omitempty"`
	Notes        []string        `json:"notes,omitempty"`
	// WeightedGroups: the request met an ALB forward action of several
	// weighted target groups, each probed (weightedforward.go).
	WeightedGroups []WeightedGroup `json:"weightedTargetGroups,omitempty"`

	weighted *weightedForward
}

// Blocking returns the explanations that block the path, in path order.
func (r *Result) Blocking() []Explanation {
	var out []Explanation
	for _, e := range r.Explanations {
		if e.Blocking {
			out = append(out, e)
		}
	}
	return out
}

// HasCode reports whether an explanation of r has the code.
func (r *Result) HasCode(code string) bool {
	for _, e := range r.Explanations {
		if e.Code == code {
			return true
		}
	}
	return false
}
