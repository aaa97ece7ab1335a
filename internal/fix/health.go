package fix

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// healthFixes proposes, for targets that fail their health checks, a
// health check that matches what the application serves: the traffic
// port, a path the container answers with a status the matcher accepts.
// Each is verified by the target group's health on a clone.
func (f *finder) healthFixes() []Fix {
	var out []Fix
	seen := map[string]bool{}
	for _, x := range f.res.Explanations {
		if x.Code != reach.CodeTargetUnhealthy || x.Component == nil || seen[x.Component.ARN] {
			continue
		}
		seen[x.Component.ARN] = true
		tg := f.st.TargetGroups[x.Component.ARN]
		if tg == nil {
			continue
		}
		hc := tg.HealthCheck
		if hc.Port != "" && hc.Port != "traffic-port" {
			port := "traffic-port"
			where := "where nothing answers"
			if strings.Contains(x.Message, reach.ReasonTimeout) {
				where = "where its health checks time out"
			}
			out = append(out, f.modifyHealth(tg, fmt.Sprintf("Check the health of %s on the traffic port (it checks port %s, %s)", tg.Name, hc.Port, where),
				"--health-check-port traffic-port", "port: traffic-port", engine.ModifyTargetGroupInput{TargetGroupARN: tg.ARN, HealthCheckPort: &port}))
		}
		if strings.Contains(x.Message, reach.ReasonResponseCodeMismatch) && tg.ProtocolVersion == "GRPC" && strings.Contains(x.Message, "codes: [0]") {
			// A gRPC health check's call answers OK (a health service's
			// method) and the matcher lists other gRPC codes (its default
			// 12, UNIMPLEMENTED): the matcher accepts OK.
			m := "0"
			fx := f.modifyHealth(tg, fmt.Sprintf("Accept gRPC code 0 (OK) in the health check matcher of %s (GrpcCode=0): %s answers OK, which the matcher's gRPC codes %s do not list",
				tg.Name, cmp.Or(hc.Path, "/AWS.ALB/healthcheck"), cmp.Or(hc.Matcher, "12")),
				"--matcher GrpcCode=0", "matcher: \"0\"", engine.ModifyTargetGroupInput{TargetGroupARN: tg.ARN, Matcher: &m})
			fx.score -= 2 // before another path: the health service is the one meant
			fx.Detail = "A target group of protocol version GRPC matches its health check's gRPC status, not an HTTP status, against its matcher's GrpcCode (0-99, default 12, UNIMPLEMENTED: the answer to AWS's default path /AWS.ALB/healthcheck). A health check on a method the application implements, such as /grpc.health.v1.Health/Check, answers 0 (OK)."
			out = append(out, fx)
		} else if strings.Contains(x.Message, reach.ReasonResponseCodeMismatch) {
			if code := mismatchCode(x.Message); code >= 200 && code <= 299 {
				// The health path answers a success the matcher does not
				// list (204 No Content from a health endpoint): the
				// application is healthy; the matcher accepts the code.
				m := fmt.Sprintf("%s,%d", cmp.Or(hc.Matcher, "200"), code)
				fx := f.modifyHealth(tg, fmt.Sprintf("Accept %d in the health check matcher of %s (%s): %s answers %d, a success the matcher %s does not list", code, tg.Name, m, cmp.Or(hc.Path, "/"), code, cmp.Or(hc.Matcher, "200")),
					"--matcher HttpCode="+m, "matcher: \""+m+"\"", engine.ModifyTargetGroupInput{TargetGroupARN: tg.ARN, Matcher: &m})
				fx.score -= 2 // before another path: the health endpoint is the one meant
				fx.Detail = "A target group's matcher lists the HTTP codes a health check counts as healthy (ALB's default 200, NLB's 200-399); a health endpoint that answers 204 No Content is healthy only when the matcher lists it (200,204 or 200-299)."
				out = append(out, fx)
			}
			if path, ok := f.servedPath(tg); ok {
				out = append(out, f.modifyHealth(tg, fmt.Sprintf("Check the health of %s on %s, which the application answers with a status the matcher %s accepts", tg.Name, path, hc.Matcher),
					"--health-check-path "+path, "path: "+path, engine.ModifyTargetGroupInput{TargetGroupARN: tg.ARN, HealthCheckPath: &path}))
			} else if code := mismatchCode(x.Message); code == 401 || code == 403 {
				// The application asks every request for credentials the
				// health check cannot send: no path passes. The matcher
				// admits the answer (an application still answers it,
				// so a target that stopped answering still fails).
				m := fmt.Sprintf("%s,%d", cmp.Or(hc.Matcher, "200"), code)
				fx := f.modifyHealth(tg, fmt.Sprintf("Accept %d in the health check matcher of %s (%s): every path of the application asks for credentials the health check does not send", code, tg.Name, m),
					"--matcher HttpCode="+m, "matcher: \""+m+"\"", engine.ModifyTargetGroupInput{TargetGroupARN: tg.ARN, Matcher: &m})
				fx.Detail = "An ALB health check sends no credentials. Better: a health check path the application answers without authentication (exempt it from the login); meanwhile the matcher can count the login challenge as alive."
				out = append(out, fx)
			} else {
				out = append(out, f.redirectMatcher(tg, mismatchCode(x.Message))...) // healthredirect.go
			}
		}
		out = append(out, f.healthProtocol(tg)...) // healthprotocol.go
		if fx, ok := f.udpHealthPort(tg); ok {
			out = append(out, fx)
		}
		if secs := slowHealthSeconds(x.Message); secs > 0 {
			// The check connects and the application answers, after the
			// check's timeout: a timeout above the answer (2-120 s, below
			// the interval, which goes up with it when it must).
			if fx, ok := f.slowHealthTimeout(tg, secs); ok {
				out = append(out, fx)
			}
			continue
		}
		if strings.Contains(x.Message, reach.ReasonTimeout) && x.Address.IsValid() {
			// The check is dropped: the fixes of a probe from the load
			// balancer to the target's health check port.
			for _, lb := range f.st.LoadBalancers {
				if !slices.ContainsFunc(tgLBs(f.st, tg.ARN), func(a string) bool { return a == lb.ARN }) {
					continue
				}
				fx, _, err := Find(f.e, "lb:"+lb.Name, fmt.Sprintf("%s:%d", x.Address, x.Port), "tcp", Options{Reach: f.opts.Reach})
				if err == nil {
					out = append(out, fx...)
				}
				if len(fx) == 0 {
					// The first node's checks pass: another node's fail (a
					// group or ACL admitting some of the load balancer's
					// subnets), each node checking from its own address.
					fx = f.nodeHealthFixes(lb, x.Address, x.Port)
					out = append(out, fx...)
				}
				if len(fx) == 0 {
					// No single rule lets the check through: the load
					// balancer's group lets out only the traffic port and
					// the targets' group admits only the traffic port.
					if both, ok := f.healthPortBothGroups(lb, tg, x.Address, x.Port); ok {
						out = append(out, both)
					}
				}
				break
			}
		}
	}
	return out
}

// tgLBs returns the load balancers whose listeners or rules forward to a
// target group.
func tgLBs(st *model.State, tg string) []string {
	var out []string
	for _, l := range st.Listeners {
		for _, a := range l.DefaultActions {
			if slices.Contains(a.ForwardTargetGroups(), tg) {
				out = append(out, l.LoadBalancerARN)
			}
		}
	}
	for _, r := range st.ListenerRules {
		for _, a := range r.Actions {
			if slices.Contains(a.ForwardTargetGroups(), tg) {
				if l := st.Listeners[r.ListenerARN]; l != nil {
					out = append(out, l.LoadBalancerARN)
				}
			}
		}
	}
	return out
}

// servedPath returns a path the target group's containers serve with a
// status its matcher accepts, health-looking paths first.
func (f *finder) servedPath(tg *model.TargetGroup) (string, bool) {
	for _, s := range sortedServices(f.st) {
		for _, lb := range s.LoadBalancers {
			if lb.TargetGroupARN != tg.ARN {
				continue
			}
			td := f.st.TaskDefinitions[s.TaskDefinitionARN]
			if td == nil {
				continue
			}
			c, ok := td.Container(lb.ContainerName)
			if !ok || c.Serves == nil {
				continue
			}
			var paths []string
			for p, code := range c.Serves {
				if !strings.ContainsAny(p, "*?") && matcherOK(tg.HealthCheck.Matcher, code) {
					paths = append(paths, p)
				}
			}
			slices.SortFunc(paths, func(a, b string) int {
				ha, hb := strings.Contains(a, "health"), strings.Contains(b, "health")
				if ha != hb {
					if ha {
						return -1
					}
					return 1
				}
				return strings.Compare(a, b)
			})
			if len(paths) > 0 {
				return paths[0], true
			}
		}
	}
	return "", false
}

// mismatchCode is the status of a failed health check's explanation
// ("Health checks failed with these codes: [401]"), 0 when it has none.
func mismatchCode(msg string) int {
	_, rest, ok := strings.Cut(msg, "codes: [")
	if !ok {
		return 0
	}
	digits, _, _ := strings.Cut(rest, "]")
	code, _ := strconv.Atoi(digits)
	return code
}

func matcherOK(matcher string, code int) bool {
	if matcher == "" {
		matcher = "200"
	}
	for _, part := range strings.Split(matcher, ",") {
		var lo, hi int
		if n, _ := fmt.Sscanf(strings.TrimSpace(part), "%d-%d", &lo, &hi); n == 2 {
			if lo <= code && code <= hi {
				return true
			}
		} else if n == 1 && lo == code {
			return true
		}
	}
	return false
}

// modifyHealth builds a health check change, verified by target health.
func (f *finder) modifyHealth(tg *model.TargetGroup, title, flag, yaml string, in engine.ModifyTargetGroupInput) Fix {
	return Fix{
		score: 15, Kind: "health-check", Title: title,
		Detail:   "A target that fails its health checks is replaced by ECS again and again; the health check must ask what the application answers.",
		Commands: []string{fmt.Sprintf("aws elbv2 modify-target-group --target-group-arn %s %s", tg.ARN, flag)},
		Scenario: fmt.Sprintf("target_groups:\n  %s:\n    health_check: {%s}\n", tg.Name, yaml),
		apply: func(e *engine.Engine) error {
			_, err := e.ModifyTargetGroup(in)
			return err
		},
		Verification: Verification{From: "health-check", To: tg.ARN},
	}
}

// verifyHealth applies a health check fix to a clone and checks that
// every target of the group is healthy.
func (f *finder) verifyHealth(c Fix) (Verification, bool) {
	clone := f.e.Clone()
	if err := c.Apply(clone); err != nil {
		return Verification{}, false
	}
	st, _ := clone.Snapshot()
	n := reach.Compile(st, f.opts.Reach...)
	tgARN := c.Verification.To
	hs := reach.TargetHealth(n, tgARN)
	name := tgARN
	if tg := st.TargetGroups[tgARN]; tg != nil {
		name = tg.Name
	}
	v := Verification{From: "health checks", To: name, Protocol: "tcp", Verdict: reach.Verdict(reach.HealthHealthy)}
	if len(hs) == 0 {
		return v, false
	}
	for _, h := range hs {
		if h.State != reach.HealthHealthy {
			return v, false
		}
	}
	v.Summary = fmt.Sprintf("every target of %s is healthy (%d)", name, len(hs))
	return v, true
}

// healthPortBothGroups: health checks on a port other than the traffic
// port time out, and no single rule lets them through: the load
// balancer's security group lets out only the traffic port (as CDK's
// ApplicationLoadBalancedFargateService writes it, aws/aws-cdk#18093) and
// the targets' group admits only the traffic port. The fix adds both
// rules, each naming the other group: egress from the load balancer's
// group to the targets' group and ingress on the targets' group from the
// load balancer's, on the health check port. Verified by target health.
func (f *finder) healthPortBothGroups(lb *model.LoadBalancer, tg *model.TargetGroup, addr netip.Addr, port uint16) (Fix, bool) {
	if len(lb.SecurityGroups) == 0 || port == 0 {
		return Fix{}, false
	}
	var eni *model.NetworkInterface
	for _, n := range f.st.NetworkInterfaces {
		if n.HasAddr(addr) && (eni == nil || n.ID < eni.ID) {
			eni = n
		}
	}
	if eni == nil || len(eni.SecurityGroups) == 0 {
		return Fix{}, false
	}
	lbSG, tSG := lb.SecurityGroups[0], f.preferredGroup(eni.SecurityGroups)
	if tSG == "" || tSG == lbSG {
		return Fix{}, false
	}
	p := int(port)
	egress := engine.IPPermission{Protocol: "tcp", FromPort: intp(p), ToPort: intp(p), Groups: []engine.RuleSource{{Value: string(tSG)}}}
	ingress := engine.IPPermission{Protocol: "tcp", FromPort: intp(p), ToPort: intp(p), Groups: []engine.RuleSource{{Value: string(lbSG)}}}
	ln, tn := f.groupName(lbSG), f.groupName(tSG)
	return Fix{
		score: 12, Kind: "security-group",
		Title: fmt.Sprintf("Allow tcp/%d from security group %s on security group %s, and tcp/%d to security group %s on security group %s (egress): the health check port of %s",
			p, ln, tn, p, tn, ln, tg.Name),
		Detail: "The health checks go from the load balancer's nodes to the targets on the health check port, through both groups: " +
			"the load balancer's group must let them out and the targets' group must let them in. Rules written for the traffic port only pass neither.",
		Commands: []string{
			fmt.Sprintf("aws ec2 authorize-security-group-ingress --group-id %s --protocol tcp --port %d --source-group %s", tSG, p, lbSG),
			fmt.Sprintf("aws ec2 authorize-security-group-egress --group-id %s --ip-permissions 'IpProtocol=tcp,FromPort=%d,ToPort=%d,UserIdGroupPairs=[{GroupId=%s}]'", lbSG, p, p, tSG),
		},
		Scenario: fmt.Sprintf("security_groups:\n  %s:\n    ingress:\n      - {protocol: tcp, ports: %d, group: %s}\n  %s:\n    egress:\n      - {protocol: tcp, ports: %d, group: %s}\n", tn, p, ln, ln, p, tn),
		apply: func(e *engine.Engine) error {
			if _, err := e.AuthorizeSecurityGroup(tSG, false, []engine.IPPermission{ingress}); err != nil && !strings.Contains(err.Error(), "Duplicate") {
				return err
			}
			if _, err := e.AuthorizeSecurityGroup(lbSG, true, []engine.IPPermission{egress}); err != nil && !strings.Contains(err.Error(), "Duplicate") {
				return err
			}
			return nil
		},
		Verification: Verification{From: "health-check", To: tg.ARN},
	}, true
}

// udpHealthPort: a UDP target group's health checks are TCP, HTTP or
// HTTPS (never UDP), on the traffic port by default, where a UDP-only
// application answers nothing. The fix checks a TCP port the target
// container maps instead, and admits it from the load balancer (its
// security group, or the VPC's CIDR for an NLB without one) on the tasks'
// security group. Verified by target health.
func (f *finder) udpHealthPort(tg *model.TargetGroup) (Fix, bool) {
	if tg.Protocol != "UDP" {
		return Fix{}, false
	}
	for _, s := range sortedServices(f.st) {
		if s.Network == nil || len(s.Network.SecurityGroups) == 0 {
			continue // awsvpc tasks only: the task ENI's group takes the rule
		}
		for _, lb := range s.LoadBalancers {
			if lb.TargetGroupARN != tg.ARN {
				continue
			}
			td := f.st.TaskDefinitions[s.TaskDefinitionARN]
			if td == nil {
				continue
			}
			c, ok := td.Container(lb.ContainerName)
			if !ok {
				continue
			}
			var port uint16
			traffic := false
			for _, pm := range c.PortMappings {
				if pm.Protocol != model.UDP && pm.ContainerPort == uint16(lb.ContainerPort) {
					traffic = true
				}
				if pm.Protocol != model.UDP && port == 0 {
					port = pm.ContainerPort
				}
			}
			if port == 0 || (traffic && (tg.HealthCheck.Port == "" || tg.HealthCheck.Port == "traffic-port")) {
				return Fix{}, false // no TCP port to check, or the traffic port answers TCP too
			}
			if tg.HealthCheck.Port == fmt.Sprint(port) {
				return Fix{}, false
			}
			perm := engine.IPPermission{Protocol: "tcp", FromPort: intp(int(port)), ToPort: intp(int(port))}
			from := ""
			for _, arn := range tgLBs(f.st, tg.ARN) {
				if b := f.st.LoadBalancers[arn]; b != nil && len(b.SecurityGroups) > 0 {
					perm.Groups = []engine.RuleSource{{Value: string(b.SecurityGroups[0])}}
					from = "security group " + f.groupName(b.SecurityGroups[0])
					break
				}
			}
			if from == "" {
				v := f.st.VPCs[tg.VpcID]
				if v == nil {
					return Fix{}, false
				}
				perm.CIDRs = []engine.RuleSource{{Value: v.CIDR.String()}}
				from = v.CIDR.String() + " (the load balancer's nodes)"
			}
			sg := s.Network.SecurityGroups[0]
			ps := fmt.Sprint(port)
			src := "--cidr " + strings.TrimSuffix(from, " (the load balancer's nodes)")
			if len(perm.Groups) > 0 {
				src = "--source-group " + perm.Groups[0].Value
			}
			in := engine.ModifyTargetGroupInput{TargetGroupARN: tg.ARN, HealthCheckPort: &ps}
			tcp := "TCP"
			if tg.HealthCheck.Protocol == "" || tg.HealthCheck.Protocol == "UDP" {
				in.HealthCheckProtocol = &tcp
			}
			return Fix{
				score: 14, Kind: "health-check",
				Title: fmt.Sprintf("Check the health of %s on tcp/%d, a TCP port of the container %s, and allow tcp/%d from %s on security group %s",
					tg.Name, port, c.Name, port, from, f.groupName(sg)),
				Detail: "A UDP target group is health-checked over TCP, HTTP or HTTPS, on the traffic port unless told otherwise; " +
					"an application that listens on UDP only never answers it, so every target stays unhealthy and ECS replaces the tasks again and again.",
				Commands: []string{
					fmt.Sprintf("aws elbv2 modify-target-group --target-group-arn %s --health-check-protocol TCP --health-check-port %d", tg.ARN, port),
					fmt.Sprintf("aws ec2 authorize-security-group-ingress --group-id %s --protocol tcp --port %d %s", sg, port, src),
				},
				Scenario: fmt.Sprintf("target_groups:\n  %s:\n    health_check: {protocol: TCP, port: \"%d\"}\n", tg.Name, port),
				apply: func(e *engine.Engine) error {
					if _, err := e.ModifyTargetGroup(in); err != nil {
						return err
					}
					_, err := e.AuthorizeSecurityGroup(sg, false, []engine.IPPermission{perm})
					return err
				},
				Verification: Verification{From: "health-check", To: tg.ARN},
			}, true
		}
	}
	return Fix{}, false
}

// slowHealthTimeout raises a target group's health check timeout above
// the secs its application takes to answer the check's path: at most 120
// s (HealthCheckTimeoutSeconds 2-120), and an ALB's interval above the
// timeout ("Health check timeout must be smaller than the interval"), an
// NLB's not below it (interval 5-300).
func (f *finder) slowHealthTimeout(tg *model.TargetGroup, secs int) (Fix, bool) {
	timeout := secs + 2
	if timeout > 120 {
		return Fix{}, false
	}
	in := engine.ModifyTargetGroupInput{TargetGroupARN: tg.ARN, Timeout: &timeout}
	flag, yaml := fmt.Sprintf("--health-check-timeout-seconds %d", timeout), fmt.Sprintf("timeout: %d", timeout)
	title := fmt.Sprintf("Give the health check of %s a timeout of %d s: its path %s answers in %d s", tg.Name, timeout, cmp.Or(tg.HealthCheck.Path, "/"), secs)
	if tg.HealthCheck.IntervalSeconds <= timeout {
		interval := min(timeout+10, 300)
		in.Interval = &interval
		flag += fmt.Sprintf(" --health-check-interval-seconds %d", interval)
		yaml += fmt.Sprintf(", interval: %d", interval)
		title += fmt.Sprintf(" (and an interval of %d s)", interval)
	}
	fx := f.modifyHealth(tg, title, flag, yaml, in)
	fx.Detail = "The health check gives up after its timeout, though the application would answer. A longer timeout lets the answer in; better still, a health check path that answers at once (one that does not wait on the database or another service)."
	return fx, true
}

// slowHealthSeconds reads from a target's unhealthy explanation how long
// its application takes to answer the health check ("answers in 8 s, not
// within the health check's timeout"); 0 when the check is not slow.
func slowHealthSeconds(msg string) int {
	i := strings.Index(msg, " s, not within the health check's timeout")
	if i < 0 {
		return 0
	}
	j := strings.LastIndex(msg[:i], " answers in ")
	if j < 0 {
		return 0
	}
	secs, err := strconv.Atoi(msg[j+len(" answers in ") : i])
	if err != nil {
		return 0
	}
	return secs
}

// nodeHealthFixes are the fixes of the health check from the first node of
// lb (by zone) whose check of addr:port is dropped, probed from that
// node's interface; nil when every node's passes.
func (f *finder) nodeHealthFixes(lb *model.LoadBalancer, addr netip.Addr, port uint16) []Fix {
	nodes := slices.Clone(lb.Nodes)
	slices.SortFunc(nodes, func(a, b model.LoadBalancerNode) int { return strings.Compare(a.AvailabilityZone, b.AvailabilityZone) })
	for _, node := range nodes[min(1, len(nodes)):] {
		fx, res, err := Find(f.e, "eni:"+string(node.ENI), fmt.Sprintf("%s:%d", addr, port), "tcp", Options{Reach: f.opts.Reach})
		if err != nil || res.Reachable {
			continue
		}
		return fx
	}
	return nil
}
