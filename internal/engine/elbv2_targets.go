package engine

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Target types and the health check port that means "the target's port".
const (
	targetInstance = "instance"
	targetIP       = "ip"
	targetLambda   = "lambda"
	targetALB      = "alb"
	trafficPort    = "traffic-port"
)

// A target group's IP address types (TargetGroupIpAddressTypeEnum).
const (
	tgIPv4 = "ipv4"
	tgIPv6 = "ipv6"
)

// CreateTargetGroupInput is CreateTargetGroup's input. Zero values mean
// AWS's defaults.
type CreateTargetGroupInput struct {
	Name            string
	Protocol        string // HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE
	ProtocolVersion string // HTTP1 (default for HTTP/HTTPS), HTTP2, GRPC
	Port            uint16
	VpcID           model.VpcID
	TargetType      string // instance (default), ip, lambda, alb
	IPAddressType   string // ipv4 (default)

	HealthCheckEnabled         *bool
	HealthCheckProtocol        string
	HealthCheckPort            string
	HealthCheckPath            string
	HealthCheckIntervalSeconds int
	HealthCheckTimeoutSeconds  int
	HealthyThresholdCount      int
	UnhealthyThresholdCount    int
	Matcher                    string // HTTP codes (or gRPC codes with ProtocolVersion GRPC)

	Tags model.Tags
	// TagOrder is Tags' keys in the request's order.
	TagOrder []string
}

// tgProtocols returns the target group protocols ecsnet accepts.
func tgProtocols() []string {
	return []string{"HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"}
}

// isALBProtocol reports whether p is an Application Load Balancer protocol.
func isALBProtocol(p string) bool { return p == "HTTP" || p == "HTTPS" }

// CreateTargetGroup creates a target group, as AWS does:
//   - the name has at most 32 alphanumeric characters or hyphens and does not
//     begin or end with a hyphen;
//   - instance, ip and alb target groups need a protocol, a port and an
//     existing VPC; lambda target groups take none of them;
//   - health checks default per protocol (botocore CreateTargetGroupInput):
//     HTTP and HTTPS check HTTP(S) on "/" at the traffic port every 30 s,
//     timeout 6 s (HTTP) or 10 s (HTTPS), 5 healthy / 2 unhealthy, matcher
//     "200"; TCP, TLS, UDP and TCP_UDP check TCP every 30 s, timeout 10 s,
//     5 / 2 (an HTTP check on them matches "200-399"); GENEVE checks TCP
//     port 80 every 10 s, timeout 5 s; lambda checks are off, 35 s / 30 s,
//     5 / 5.
//
// Creating a target group that exists with the same settings returns it;
// different settings fail with DuplicateTargetGroupName.
func (e *Engine) CreateTargetGroup(in CreateTargetGroupInput) (*model.TargetGroup, error) {
	if err := checkTGName(in.Name); err != nil {
		return nil, err
	}
	ttype := in.TargetType
	if ttype == "" {
		ttype = targetInstance
	}
	if !slices.Contains([]string{targetInstance, targetIP, targetLambda, targetALB}, ttype) {
		return nil, errELBEnum(in.TargetType, "targetType", targetInstance, targetIP, targetLambda, targetALB)
	}
	tg := &model.TargetGroup{Name: in.Name, TargetType: ttype, IPAddressType: tgIPv4, Tags: in.Tags.Clone(),
		TagOrder: model.TagOrderAfter(nil, in.TagOrder, in.Tags)}
	switch in.IPAddressType {
	case "", tgIPv4:
	case tgIPv6:
		// IPv6 target groups take ip and instance targets (by the
		// instance's primary IPv6 address), not Lambda functions or ALBs.
		if ttype != targetInstance && ttype != targetIP {
			return nil, errELBValidation("IP address type '%s' is not supported for target groups with target type '%s'", in.IPAddressType, ttype) // [choice] text
		}
		tg.IPAddressType = tgIPv6
	default:
		return nil, errELBEnum(in.IPAddressType, "ipAddressType", tgIPv4, tgIPv6)
	}
	if ttype != targetLambda {
		switch {
		case in.Protocol == "":
			return nil, errELBValidation("A protocol must be specified")
		case !slices.Contains(tgProtocols(), in.Protocol):
			return nil, errELBEnum(in.Protocol, "protocol", tgProtocols()...)
		case in.Port == 0:
			return nil, errELBValidation("A port must be specified")
		case in.VpcID == "":
			return nil, errELBValidation("A VPC ID must be specified")
		case in.Protocol == "GENEVE" && in.Port != 6081:
			// "If the protocol is GENEVE, the supported port is 6081" (CreateTargetGroupInput.Port).
			return nil, errELBValidation("Port must be 6081 for target groups with the GENEVE protocol") // UNVERIFIED text
		case in.Protocol == "GENEVE" && ttype != targetInstance && ttype != targetIP:
			return nil, errELBValidation("Target type '%s' is not supported for target groups with the GENEVE protocol", ttype) // UNVERIFIED text
		case ttype == targetALB && in.Protocol != "TCP":
			return nil, errELBValidation("Target groups with target type 'alb' must use the TCP protocol") // UNVERIFIED text
		}
		tg.Protocol, tg.Port, tg.VpcID = in.Protocol, in.Port, in.VpcID
		if isALBProtocol(in.Protocol) {
			tg.ProtocolVersion = "HTTP1"
			if in.ProtocolVersion != "" {
				if !slices.Contains([]string{"HTTP1", "HTTP2", "GRPC"}, in.ProtocolVersion) {
					return nil, errELBEnum(in.ProtocolVersion, "protocolVersion", "HTTP1", "HTTP2", "GRPC")
				}
				tg.ProtocolVersion = in.ProtocolVersion
			}
		} else if in.ProtocolVersion != "" {
			return nil, errELBValidation("Protocol version is only supported for target groups with the HTTP or HTTPS protocol") // UNVERIFIED text
		}
	}
	hc, err := healthCheck(tg, in)
	if err != nil {
		return nil, err
	}
	tg.HealthCheck = hc
	var out *model.TargetGroup
	err = e.write(func(t *txn) error {
		if ttype != targetLambda {
			if v := t.st.VPCs[in.VpcID]; v == nil {
				return errELBValidation("The VPC ID '%s' is not found", in.VpcID) // UNVERIFIED text
			}
		}
		for _, old := range sortedValues(t.st.TargetGroups) {
			if old.Name != in.Name {
				continue
			}
			if old.Protocol == tg.Protocol && old.Port == tg.Port && old.VpcID == tg.VpcID &&
				old.TargetType == tg.TargetType && old.ProtocolVersion == tg.ProtocolVersion && old.HealthCheck == tg.HealthCheck &&
				old.IPAddressType == tg.IPAddressType {
				out = old
				return nil
			}
			return errDuplicateTGName(in.Name)
		}
		tg.ARN = t.e.cfg.arn("elasticloadbalancing", fmt.Sprintf("targetgroup/%s/%s", in.Name, t.e.ids.Hex(16)))
		tg.CreatedAt = t.now
		put(t, model.KindTargetGroup, t.st.TargetGroups, tg.ARN, tg)
		out = tg
		return nil
	})
	return out, err
}

// checkTGName applies AWS's target group name rules.
func checkTGName(name string) error {
	switch {
	case name == "":
		return errELBValidation("1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null")
	case len(name) > lbNameMax:
		return errELBValidation("Target group name '%s' cannot be longer than '32' characters", name)
	case !alnumHyphen(name):
		return errELBValidation("Target group name '%s' can only contain characters that are alphanumeric characters or hyphens(-)", name)
	case strings.HasPrefix(name, "-") || strings.HasSuffix(name, "-"):
		return errELBValidation("Target group name '%s' cannot begin or end with '-'", name)
	}
	return nil
}

// healthCheck returns a new target group's health check: AWS's defaults for
// its protocol and target type, overridden by what the request gives.
func healthCheck(tg *model.TargetGroup, in CreateTargetGroupInput) (model.HealthCheck, error) {
	hc := DefaultHealthCheck(tg)
	m := ModifyTargetGroupInput{
		HealthCheckEnabled: in.HealthCheckEnabled,
		Interval:           optInt(in.HealthCheckIntervalSeconds), Timeout: optInt(in.HealthCheckTimeoutSeconds),
		Healthy: optInt(in.HealthyThresholdCount), Unhealthy: optInt(in.UnhealthyThresholdCount),
		HealthCheckProtocol: optStr(in.HealthCheckProtocol), HealthCheckPort: optStr(in.HealthCheckPort),
		HealthCheckPath: optStr(in.HealthCheckPath), Matcher: optStr(in.Matcher),
	}
	return applyHealthCheck(tg, hc, m)
}

// DefaultHealthCheck returns the health check AWS gives a target group of
// tg's protocol, protocol version and target type when its create names
// no settings.
func DefaultHealthCheck(tg *model.TargetGroup) model.HealthCheck {
	hc := model.HealthCheck{Enabled: true, Port: trafficPort, IntervalSeconds: 30, HealthyThreshold: 5, UnhealthyThreshold: 2}
	switch {
	case tg.TargetType == targetLambda:
		hc = model.HealthCheck{Enabled: false, Protocol: "HTTP", Path: "/", IntervalSeconds: 35, TimeoutSeconds: 30,
			HealthyThreshold: 5, UnhealthyThreshold: 5, Matcher: "200"}
	case tg.Protocol == "HTTP" || tg.Protocol == "HTTPS":
		// An Application Load Balancer's groups time out at 5 s, HTTPS too
		// (the ALB guide's table); the API reference's 6 and 10 s are a
		// Network Load Balancer group's HTTP and HTTPS checks (below).
		hc.Protocol, hc.Path, hc.Matcher, hc.TimeoutSeconds = tg.Protocol, "/", "200", 5
		if tg.ProtocolVersion == "GRPC" {
			hc.Path, hc.Matcher = "/AWS.ALB/healthcheck", "12"
		}
	case tg.TargetType == targetALB:
		// A Network Load Balancer's group of an Application Load Balancer
		// (protocol TCP) checks it over HTTP: GET / on the traffic port,
		// 6 s, 200-399 (the aws CLI's create-target-group example 4, whose
		// create names no health check settings).
		hc.Protocol, hc.Path, hc.Matcher, hc.TimeoutSeconds = "HTTP", "/", "200-399", 6
	case tg.Protocol == "GENEVE":
		hc.Protocol, hc.Port, hc.IntervalSeconds, hc.TimeoutSeconds = "TCP", "80", 10, 5
	default: // TCP, TLS, UDP, TCP_UDP
		hc.Protocol, hc.TimeoutSeconds = "TCP", 10
	}
	return hc
}

func optInt(v int) *int {
	if v == 0 {
		return nil
	}
	return &v
}

func optStr(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

// ModifyTargetGroupInput changes a target group's health check; nil fields
// stay as they are.
type ModifyTargetGroupInput struct {
	TargetGroupARN      string
	HealthCheckEnabled  *bool
	HealthCheckProtocol *string
	HealthCheckPort     *string
	HealthCheckPath     *string
	Interval            *int
	Timeout             *int
	Healthy             *int
	Unhealthy           *int
	Matcher             *string
}

// applyHealthCheck validates the changes in m against AWS's ranges and
// applies them to hc.
func applyHealthCheck(tg *model.TargetGroup, hc model.HealthCheck, m ModifyTargetGroupInput) (model.HealthCheck, error) {
	if m.HealthCheckEnabled != nil {
		if !*m.HealthCheckEnabled && tg.TargetType != targetLambda {
			return hc, errELBValidation("Health checks cannot be disabled for target groups with target type '%s'", tg.TargetType) // UNVERIFIED text
		}
		hc.Enabled = *m.HealthCheckEnabled
	}
	if p := m.HealthCheckProtocol; p != nil {
		if !slices.Contains(tgProtocols(), *p) {
			// Outside the model's ProtocolEnum: the enum check names every value.
			return hc, errELBEnum(*p, "healthCheckProtocol", tgProtocols()...)
		}
		if !slices.Contains([]string{"HTTP", "HTTPS", "TCP"}, *p) {
			return hc, errELBValidation("Health check protocol '%s' is not supported", *p) // [choice] text; the rule is the model's
		}
		if *p == "TCP" && isALBProtocol(tg.Protocol) {
			return hc, errELBValidation("Health check protocol '%s' is not supported for target groups with the %s protocol", *p, tg.Protocol) // UNVERIFIED text
		}
		if *p != "TCP" && hc.Protocol == "TCP" {
			// An HTTP(S) check on a TCP-family target group: 6 s for HTTP,
			// 10 s for HTTPS unless a timeout is given.
			hc.Path, hc.Matcher = "/", "200-399"
			if m.Timeout == nil {
				hc.TimeoutSeconds = 10
				if *p == "HTTP" {
					hc.TimeoutSeconds = 6
				}
			}
		}
		if *p == "TCP" {
			hc.Path, hc.Matcher = "", ""
		}
		hc.Protocol = *p
	}
	if p := m.HealthCheckPort; p != nil {
		if *p != trafficPort {
			n, err := strconv.Atoi(*p)
			if err != nil || n < 1 || n > 65535 {
				return hc, errELBValidation("Health check port '%s' must be 'traffic-port' or a port number between 1 and 65535", *p) // UNVERIFIED text
			}
		}
		hc.Port = *p
	}
	if p := m.HealthCheckPath; p != nil {
		if hc.Protocol == "TCP" {
			return hc, errELBValidation("Health check path is not supported for the TCP health check protocol") // UNVERIFIED text
		}
		if len(*p) > 1024 {
			return hc, errELBValidation("1 validation error detected: Value '%s' at 'healthCheckPath' failed to satisfy constraint: Member must have length less than or equal to 1024", *p)
		}
		if !strings.HasPrefix(*p, "/") {
			// The API reference's rule ("This path must begin with a
			// '/' character"); the wording of the error is [choice].
			return hc, errELBValidation("Health check path '%s' must begin with a '/' character", *p)
		}
		hc.Path = *p
	}
	for _, r := range []struct {
		v        *int
		dst      *int
		field    string
		min, max int
	}{
		{m.Interval, &hc.IntervalSeconds, "healthCheckIntervalSeconds", 5, 300},
		{m.Timeout, &hc.TimeoutSeconds, "healthCheckTimeoutSeconds", 2, 120},
		{m.Healthy, &hc.HealthyThreshold, "healthyThresholdCount", 2, 10},
		{m.Unhealthy, &hc.UnhealthyThreshold, "unhealthyThresholdCount", 2, 10},
	} {
		if r.v == nil {
			continue
		}
		if *r.v < r.min {
			return hc, errELBValidation("1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %d", *r.v, r.field, r.min)
		}
		if *r.v > r.max {
			return hc, errELBValidation("1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to %d", *r.v, r.field, r.max)
		}
		*r.dst = *r.v
	}
	// The timeout is checked against the interval after both are applied, so a
	// new interval is checked against the protocol's default timeout too (an
	// HTTPS group's check at interval 5 without a timeout is refused). AWS
	// words it two ways: a request that gives both, the timeout not below
	// the interval, is told "Health check timeout 'T' must be smaller than
	// the interval 'I'"; an interval not above the timeout it keeps or
	// defaults to, "Health check interval must be greater than the
	// timeout.". HTTP and HTTPS target groups and Lambda ones (whose check is
	// HTTP too, 35 s / 30 s by default). A Network or Gateway Load
	// Balancer's group (TCP, TLS, UDP, TCP_UDP, GENEVE) may time out at its
	// interval (a TCP check long ran at interval 10 with its fixed timeout
	// 10), not after it: "Health check timeout 'T' must be smaller than or
	// equal to the interval 'I'", whatever the health check's protocol
	// (getmoto/moto#6818, checked against AWS; the same text when only one of
	// the two is given is [choice]).
	if m.Interval != nil || m.Timeout != nil {
		alb := isALBProtocol(tg.Protocol) || tg.TargetType == targetLambda
		switch {
		case alb && hc.IntervalSeconds <= hc.TimeoutSeconds:
			if m.Interval != nil && m.Timeout != nil {
				return hc, errELBValidation("Health check timeout '%d' must be smaller than the interval '%d'", hc.TimeoutSeconds, hc.IntervalSeconds)
			}
			return hc, errELBValidation("Health check interval must be greater than the timeout.")
		case !alb && hc.IntervalSeconds < hc.TimeoutSeconds:
			return hc, errELBValidation("Health check timeout '%d' must be smaller than or equal to the interval '%d'", hc.TimeoutSeconds, hc.IntervalSeconds)
		}
	}
	if m.Matcher != nil {
		if hc.Protocol == "TCP" {
			return hc, errELBValidation("Matcher is not supported for the TCP health check protocol") // UNVERIFIED text
		}
		lo, hi := 200, 499
		if !isALBProtocol(tg.Protocol) {
			hi = 599
		}
		kind := "HTTP"
		if tg.ProtocolVersion == "GRPC" {
			// kubernetes-sigs/aws-load-balancer-controller#2804: "Health
			// check matcher GRPC code '200' must be within '0-99' inclusive".
			lo, hi, kind = 0, 99, "GRPC"
		}
		if !validMatcher(*m.Matcher, lo, hi) {
			return hc, errELBValidation("Health check matcher %s code '%s' must be within '%d-%d' inclusive", kind, *m.Matcher, lo, hi)
		}
		hc.Matcher = *m.Matcher
	}
	return hc, nil
}

// validMatcher reports whether codes ("200", "200,202", "200-299") lie in
// [lo, hi].
func validMatcher(codes string, lo, hi int) bool {
	for _, part := range strings.Split(codes, ",") {
		a, b, isRange := strings.Cut(part, "-")
		x, err := strconv.Atoi(a)
		if err != nil || x < lo || x > hi {
			return false
		}
		if isRange {
			y, err := strconv.Atoi(b)
			if err != nil || y < x || y > hi {
				return false
			}
		}
	}
	return true
}

// ModifyTargetGroup changes a target group's health check settings.
func (e *Engine) ModifyTargetGroup(in ModifyTargetGroupInput) (*model.TargetGroup, error) {
	var out *model.TargetGroup
	err := e.write(func(t *txn) error {
		tg, err := t.targetGroup(in.TargetGroupARN)
		if err != nil {
			return err
		}
		hc, err := applyHealthCheck(tg, tg.HealthCheck, in)
		if err != nil {
			return err
		}
		c := cloneTG(tg)
		c.HealthCheck = hc
		put(t, model.KindTargetGroup, t.st.TargetGroups, c.ARN, c)
		out = c
		return nil
	})
	return out, err
}

// DeleteTargetGroup deletes a target group no listener or rule forwards to
// (ResourceInUse otherwise). Its targets are left alone. As the botocore
// model lists no TargetGroupNotFound for it, deleting an unknown target
// group succeeds.
func (e *Engine) DeleteTargetGroup(arn string) error {
	if !validTGARN(arn) {
		return errBadARN(arn, "target group")
	}
	return e.write(func(t *txn) error {
		if t.st.TargetGroups[arn] == nil {
			return nil
		}
		if tgInUse(t.st, arn) {
			return errTGInUse(arn)
		}
		for seq := range t.st.TargetGroups[arn].Targets.Entries() {
			t.mark(kindTarget, targetRecordID(arn, seq))
		}
		del(t, model.KindTargetGroup, t.st.TargetGroups, arn)
		return nil
	})
}

// tgInUse reports whether a listener or rule forwards to the target group.
func tgInUse(st *model.State, arn string) bool {
	for _, l := range st.Listeners {
		if actionsForward(l.DefaultActions, arn) {
			return true
		}
	}
	for _, r := range st.ListenerRules {
		if actionsForward(r.Actions, arn) {
			return true
		}
	}
	return false
}

func actionsForward(actions []model.ListenerAction, arn string) bool {
	for _, a := range actions {
		if slices.Contains(a.ForwardTargetGroups(), arn) {
			return true
		}
	}
	return false
}

// validTGARN reports whether arn has the shape of a target group ARN.
func validTGARN(arn string) bool {
	_, rest, ok := strings.Cut(arn, ":targetgroup/")
	parts := strings.Split(rest, "/")
	_, elb := model.CutARN(arn, "elasticloadbalancing")
	return ok && elb && len(parts) == 2 && parts[0] != "" && parts[1] != ""
}

func cloneTG(tg *model.TargetGroup) *model.TargetGroup {
	c := *tg
	c.Tags = tg.Tags.Clone()
	return &c
}

// targetGroup returns the target group with the given ARN: ValidationError
// for a malformed ARN, TargetGroupNotFound for an unknown one.
func (t *txn) targetGroup(arn string) (*model.TargetGroup, error) {
	if !validTGARN(arn) {
		return nil, errBadARN(arn, "target group")
	}
	tg := t.st.TargetGroups[arn]
	if tg == nil {
		return nil, errTGNotFound()
	}
	return tg, nil
}

// TargetDescription names a target to register or deregister: an instance
// id or an IPv4 address (or a Lambda/ALB ARN), a port (0 means the target
// group's port) and, for IP targets outside the VPC, an Availability Zone
// or "all".
type TargetDescription struct {
	ID               string
	Port             uint16
	AvailabilityZone string
}

// RegisterTargets registers targets with a target group, as AWS does.
// Targets are keyed by id and port: the same instance or address on two
// ports is two targets, and registering a registered target again changes
// nothing. The port defaults to the target group's.
//   - instance targets must be instance ids of running instances in the
//     target group's VPC (InvalidTarget, listing every offending id);
//   - ip targets must be IPv4; an address inside a subnet of the VPC gets
//     that subnet's zone (and cannot be overridden to "all"); any other
//     address must be private (RFC 1918 or RFC 6598 100.64.0.0/10, never
//     publicly routable) and needs an Availability Zone or "all".
func (e *Engine) RegisterTargets(tgARN string, targets []TargetDescription) error {
	return e.write(func(t *txn) error {
		tg, err := t.targetGroup(tgARN)
		if err != nil {
			return err
		}
		resolved, err := t.checkTargets(tg, targets)
		if err != nil {
			return err
		}
		for _, x := range resolved {
			t.registerTarget(tgARN, x)
		}
		return nil
	})
}

// checkTargets validates targets for tg and returns them with their ports
// and zones filled in.
func (t *txn) checkTargets(tg *model.TargetGroup, targets []TargetDescription) ([]model.Target, error) {
	out := make([]model.Target, 0, len(targets))
	var missing, otherVPC, notRunning, noIPv6 []string
	for _, d := range targets {
		x := model.Target{ID: d.ID, Port: d.Port}
		if x.Port == 0 {
			x.Port = tg.Port
		}
		switch tg.TargetType {
		case targetInstance:
			if !strings.HasPrefix(d.ID, "i-") || len(d.ID) < 3 {
				return nil, errELBValidation("Instance ID '%s' is not valid", d.ID)
			}
			inst := t.st.Instances[model.InstanceID(d.ID)]
			switch {
			case inst == nil:
				missing = append(missing, d.ID)
			case inst.VpcID != tg.VpcID:
				otherVPC = append(otherVPC, d.ID)
			case inst.State != model.InstanceRunning:
				notRunning = append(notRunning, d.ID)
			case tg.IPAddressType == tgIPv6 && !t.instanceHasIPv6(inst):
				noIPv6 = append(noIPv6, d.ID)
			default:
				x.AvailabilityZone = inst.AvailabilityZone
			}
		case targetIP:
			az, err := t.ipTargetZone(tg, d)
			if err != nil {
				return nil, err
			}
			x.AvailabilityZone = az
		case targetLambda:
			x.Port, x.AvailabilityZone = 0, "all"
		case targetALB:
			if err := t.checkALBTarget(tg, x, len(targets)); err != nil {
				return nil, err
			}
		}
		out = append(out, x)
	}
	switch {
	case len(missing) > 0:
		return nil, errInvalidTarget("The following targets are not valid instances: %s", quoteJoin(missing))
	case len(otherVPC) > 0:
		return nil, errInvalidTarget("The following targets are not in the target group VPC '%s': %s", tg.VpcID, quoteJoin(otherVPC))
	case len(notRunning) > 0:
		return nil, errInvalidTarget("The following targets are not in a running state and cannot be registered: %s", quoteJoin(notRunning))
	case len(noIPv6) > 0:
		// AWS's text joins the ids with "', '" and has no outer quotes.
		return nil, errInvalidTarget("The following targets cannot be used with this IPv6 target group because of missing primary IPv6 addresses: %s", strings.Join(noIPv6, "', '"))
	}
	return out, nil
}

// checkALBTarget validates an Application Load Balancer registered in an
// alb-type target group (NLB User Guide, "Use an Application Load
// Balancer as a target of a Network Load Balancer": one Application Load
// Balancer per target group, in the target group's VPC). The load balancer
// must have a listener on the target's port when it is registered: AWS
// refuses it otherwise, with the text aws/aws-cdk#19696 quotes (a
// template that registers it before its listener exists fails to
// deploy, aws/aws-cdk#17208). The codes and the other texts are [choice].
func (t *txn) checkALBTarget(tg *model.TargetGroup, x model.Target, n int) error {
	lb := t.st.LoadBalancers[x.ID]
	if lb == nil || lb.Type != lbApplication {
		return errInvalidTarget("The following targets are not valid Application Load Balancers: '%s'", x.ID)
	}
	if lb.VpcID != tg.VpcID {
		return errInvalidTarget("The following targets are not in the target group VPC '%s': '%s'", tg.VpcID, x.ID)
	}
	if n > 1 {
		return errELBValidation("You can register only one Application Load Balancer per target group")
	}
	for _, r := range tg.Targets.All() {
		if r.ID != x.ID {
			return errELBValidation("You can register only one Application Load Balancer per target group")
		}
	}
	for _, l := range t.st.Listeners {
		if l.LoadBalancerARN == lb.ARN && l.Port == x.Port {
			return nil
		}
	}
	return errELBValidation("If the target type is ALB, the target must have at least one listener that matches the target group port or any specified port overrides")
}

// ipTargetZone validates an ip target and returns the zone it serves.
func (t *txn) ipTargetZone(tg *model.TargetGroup, d TargetDescription) (string, error) {
	a, err := netip.ParseAddr(d.ID)
	if tg.IPAddressType == tgIPv6 {
		if err != nil || !a.Is6() || a.Is4In6() || a.Zone() != "" {
			return "", errELBValidation("The IP address '%s' is not a valid IPv6 address", d.ID) // [choice] text, as for IPv4
		}
	} else if err != nil || !a.Is4() {
		return "", errELBValidation("The IP address '%s' is not a valid IPv4 address", d.ID)
	}
	if s := t.vpcSubnetOf(tg.VpcID, a); s != nil {
		if d.AvailabilityZone != "" && d.AvailabilityZone != s.AvailabilityZone {
			return "", errELBValidation("The IP address '%s' is within the VPC, and cannot have its Availability Zone overridden to '%s' from '%s'",
				d.ID, d.AvailabilityZone, s.AvailabilityZone)
		}
		return s.AvailabilityZone, nil
	}
	// RFC 6598 is the shared address space (carrier-grade NAT) AWS accepts
	// besides RFC 1918.
	rfc6598 := netip.PrefixFrom(netip.AddrFrom4([4]byte{100, 64, 0, 0}), 10)
	if !a.IsPrivate() && !rfc6598.Contains(a) {
		// Rule: botocore TargetTypeEnum doc, "You can't specify publicly
		// routable IP addresses." The message is UNVERIFIED.
		return "", errInvalidTarget("The IP address '%s' is not a private IP address. You can't register publicly routable IP addresses", d.ID)
	}
	if d.AvailabilityZone == "" {
		return "", errELBValidation("The Availability Zone is required for IP address '%s' because it is not in the VPC", d.ID)
	}
	if d.AvailabilityZone != "all" {
		if _, ok := t.e.azID(d.AvailabilityZone); !ok {
			return "", errELBValidation("The Availability Zone '%s' is not valid", d.AvailabilityZone) // UNVERIFIED text
		}
	}
	return d.AvailabilityZone, nil
}

// vpcSubnetOf returns the subnet of vpc that holds a, if any.
func (t *txn) vpcSubnetOf(vpc model.VpcID, a netip.Addr) *model.Subnet {
	for _, s := range sortedValues(t.st.Subnets) {
		if s.VpcID != vpc {
			continue
		}
		if s.CIDR.Contains(a) || slices.ContainsFunc(s.IPv6, func(b model.IPv6Block) bool { return b.CIDR.Contains(a) }) {
			return s
		}
	}
	return nil
}

// instanceHasIPv6 reports whether an instance's primary network interface
// has an IPv6 address, which an IPv6 target group sends its traffic to.
func (t *txn) instanceHasIPv6(inst *model.Instance) bool {
	n := t.st.NetworkInterfaces[inst.PrimaryENI]
	return n != nil && len(n.IPv6) > 0
}

// DeregisterTargets deregisters targets (by id and port; port 0 means the
// target group's port) from a target group. Deregistering a target that is
// not registered succeeds, as on AWS. A target of a group a load balancer
// uses drains first (draining, Target.DeregistrationInProgress) for the
// group's deregistration delay (Config.ELBTimeScale; Step removes it
// then); else, or without a scaled clock, it leaves at once.
func (e *Engine) DeregisterTargets(tgARN string, targets []TargetDescription) error {
	return e.write(func(t *txn) error {
		tg, err := t.targetGroup(tgARN)
		if err != nil {
			return err
		}
		delay := t.deregistrationDelay(tg)
		for _, d := range targets {
			port := d.Port
			if port == 0 {
				port = tg.Port
			}
			// Each drain puts a new version of the group.
			t.drainTarget(t.st.TargetGroups[tgARN], d.ID, port, delay)
		}
		return nil
	})
}

// registerTarget adds a target to a target group without validating it
// (ECS and Auto Scaling register what they launched). A zero port means the
// target group's port; an empty zone is filled in from the instance or the
// subnet holding the address. It does nothing when the target group does
// not exist or the target (id and port) is already registered.
//
// The group's targets are a persistent list (model.TargetList): the new
// version of the group shares all but O(log n) of them with the old one,
// and only the new target is saved (a record of its own, targetRecordID).
func (t *txn) registerTarget(tgARN string, x model.Target) {
	tg := t.st.TargetGroups[tgARN]
	if tg == nil {
		return
	}
	if x.Port == 0 {
		x.Port = tg.Port
	}
	k := targetKey{x.ID, x.Port}
	ix := t.targetIndex(tg)
	if seq, ok := ix.pos[k]; ok {
		if y, _ := tg.Targets.Get(seq); y.Draining && !y.DrainUntil.IsZero() {
			// Registered again while draining: back in service, its
			// initial health checks from now.
			y.Draining, y.DrainUntil, y.RegisteredAt = false, time.Time{}, t.now
			t.setTargets(tg, ix, tg.Targets.Set(seq, y))
			t.mark(kindTarget, targetRecordID(tgARN, seq))
		}
		return
	}
	if old, ok := t.deregs[tgARN][k]; ok {
		// Deregistered earlier in this transaction: it stays, where it was.
		delete(t.deregs[tgARN], k)
		t.setTargets(tg, ix, tg.Targets.Insert(old.seq, old.target))
		ix.add(k, old.seq)
		t.mark(kindTarget, targetRecordID(tgARN, old.seq))
		return
	}
	if x.AvailabilityZone == "" {
		if inst := t.st.Instances[model.InstanceID(x.ID)]; inst != nil {
			x.AvailabilityZone = inst.AvailabilityZone
		} else if a, ok := x.TargetAddr(); ok {
			if s := t.vpcSubnetOf(tg.VpcID, a); s != nil {
				x.AvailabilityZone = s.AvailabilityZone
			}
		}
	}
	if x.RegisteredAt.IsZero() {
		x.RegisteredAt = t.now
	}
	x.Draining = false
	// A sequence number this transaction deregistered stays reserved: the
	// target may come back to it.
	seq := max(tg.Targets.LastSeq(), t.seqFloor[tgARN]) + 1
	t.setTargets(tg, ix, tg.Targets.Insert(seq, x))
	ix.add(k, seq)
	t.mark(kindTarget, targetRecordID(tgARN, seq))
}

// setTargets puts a new version of tg with the given targets, and moves
// its index to it.
func (t *txn) setTargets(tg *model.TargetGroup, ix *tgIndex, list model.TargetList) *model.TargetGroup {
	c := *tg
	c.Tags = tg.Tags.Clone()
	c.Targets = list
	ix.tg = &c
	put(t, model.KindTargetGroup, t.st.TargetGroups, c.ARN, &c)
	return &c
}

// deregisterTarget removes the target (id, port) from a target group. It
// does nothing when either does not exist. It costs O(log n) in the
// group's size, whatever that is.
func (t *txn) deregisterTarget(tgARN, id string, port uint16) {
	tg := t.st.TargetGroups[tgARN]
	if tg == nil {
		return
	}
	ix := t.targetIndex(tg)
	k := targetKey{id, port}
	seq, ok := ix.pos[k]
	if !ok {
		return
	}
	old, _ := tg.Targets.Get(seq)
	t.setTargets(tg, ix, tg.Targets.Delete(seq))
	ix.remove(k)
	t.mark(kindTarget, targetRecordID(tgARN, seq))
	if t.deregs == nil {
		t.deregs = map[string]map[targetKey]deregistered{}
	}
	if t.deregs[tgARN] == nil {
		t.deregs[tgARN] = map[targetKey]deregistered{}
	}
	t.deregs[tgARN][k] = deregistered{seq, old}
	if t.seqFloor == nil {
		t.seqFloor = map[string]uint64{}
	}
	t.seqFloor[tgARN] = max(t.seqFloor[tgARN], seq)
}

// deregistered is a target a transaction deregistered: registered again in
// the same transaction, it keeps its place and registration time.
type deregistered struct {
	seq    uint64
	target model.Target
}

// targetKey is a registered target: its id and port.
type targetKey struct {
	id   string
	port uint16
}

// tgIndex indexes the targets of one version of a target group: each
// target's sequence number in the group's list, and the ports each id is
// registered on, so that registering, deregistering and draining a target
// are not scans of the group.
type tgIndex struct {
	tg    *model.TargetGroup
	pos   map[targetKey]uint64
	ports map[string][]uint16
}

func (ix *tgIndex) add(k targetKey, seq uint64) {
	ix.pos[k] = seq
	ix.ports[k.id] = append(ix.ports[k.id], k.port)
}

func (ix *tgIndex) remove(k targetKey) {
	delete(ix.pos, k)
	ps := slices.DeleteFunc(slices.Clone(ix.ports[k.id]), func(p uint16) bool { return p == k.port })
	if len(ps) == 0 {
		delete(ix.ports, k.id)
	} else {
		ix.ports[k.id] = ps
	}
}

// targetIndex returns tg's target index, rebuilt when tg is not the
// version it describes (the group changed some other way, or a
// transaction was undone).
func (t *txn) targetIndex(tg *model.TargetGroup) *tgIndex {
	ix := t.e.idx.targets[tg.ARN]
	if ix != nil && ix.tg == tg {
		return ix
	}
	ix = &tgIndex{tg: tg, pos: make(map[targetKey]uint64, tg.Targets.Len()), ports: map[string][]uint16{}}
	for seq, x := range tg.Targets.Entries() {
		ix.add(targetKey{x.ID, x.Port}, seq)
	}
	t.e.idx.targets[tg.ARN] = ix
	return ix
}

// drainTerminatedTarget deregisters a terminated instance from the target
// groups it is still registered with, as Elastic Load Balancing does: it
// leaves DescribeTargetHealth's list at once, but asked for by id it stays
// draining (Target.DeregistrationInProgress) until deregistered.
func (t *txn) drainTerminatedTarget(id model.InstanceID) {
	for _, arn := range sortedKeys(t.st.TargetGroups) {
		tg := t.st.TargetGroups[arn]
		ix := t.targetIndex(tg)
		list := tg.Targets
		for _, port := range ix.ports[string(id)] {
			seq := ix.pos[targetKey{string(id), port}]
			if x, _ := list.Get(seq); !x.Draining {
				x.Draining = true
				list = list.Set(seq, x)
				t.mark(kindTarget, targetRecordID(arn, seq))
			}
		}
		if list != tg.Targets {
			t.setTargets(tg, ix, list)
		}
	}
}

// targetGroupLoadBalancers returns, sorted, the ARNs of the load balancers
// whose listeners or listener rules forward to the target group.
func targetGroupLoadBalancers(st *model.State, tgARN string) []string {
	var out []string
	add := func(lb string) {
		if lb != "" && !slices.Contains(out, lb) {
			out = append(out, lb)
		}
	}
	for _, l := range st.Listeners {
		if actionsForward(l.DefaultActions, tgARN) {
			add(l.LoadBalancerARN)
		}
	}
	for _, r := range st.ListenerRules {
		if actionsForward(r.Actions, tgARN) {
			if l := st.Listeners[r.ListenerARN]; l != nil {
				add(l.LoadBalancerARN)
			}
		}
	}
	slices.Sort(out)
	return out
}
