package fix

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// targetProtocol: a target group whose protocol is not the one its ECS
// tasks' application speaks (HTTPS to plain HTTP, HTTP to TLS). A target
// group's protocol cannot be modified (ModifyTargetGroup has no Protocol),
// so the fix is a copy of the group with the application's protocol (its
// health check too, when it followed the group's), the listeners and rules
// that forwarded to the old group forwarding to the copy, and the services
// registering in the copy instead (UpdateService loadBalancers, a new
// deployment).
func (f *finder) targetProtocol(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	tg := f.st.TargetGroups[x.Component.ARN]
	if tg == nil || (tg.Protocol != "HTTP" && tg.Protocol != "HTTPS") {
		return nil
	}
	want := "HTTP"
	if tg.Protocol == "HTTP" {
		want = "HTTPS"
	}
	return f.copyTargetGroup(tg, want, tg.ProtocolVersion, strings.ToLower(want),
		func(name, svcs string) string {
			return fmt.Sprintf("Forward to a new target group %s of protocol %s instead of %s (%s), and %s", name, want, tg.Name, tg.Protocol, registerIn(svcs))
		},
		"A target group's protocol is the one the load balancer speaks to its targets, and it cannot be modified. "+
			"The application speaks "+want+": a copy of the group with that protocol, the listener forwarding to it, and a new deployment of the service registering its tasks there.",
		fmt.Sprintf("target_groups:\n  %s:\n    protocol: %s\n", tg.Name, want))
}

// protocolVersion: the ALB answers 464 for a request whose protocol the
// target group's protocol version does not take (an HTTP listener's
// HTTP/1.1 requests for a group of HTTP2 or GRPC; a gRPC call for a group
// of HTTP1). The protocol version cannot be modified: a copy of the group
// with the version the requests take (HTTP1, or GRPC for gRPC calls),
// forwarded to and registered in as targetProtocol does.
func (f *finder) protocolVersion(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	tg := f.st.TargetGroups[x.Component.ARN]
	if tg == nil {
		return nil
	}
	have, want, suffix := cmp.Or(tg.ProtocolVersion, "HTTP1"), "HTTP1", "http1"
	why := "an HTTP/1.1 request (an HTTP listener's are all HTTP/1.1), which a group of protocol version " + have + " answers with 464"
	if have == "HTTP1" {
		want, suffix = "GRPC", "grpc"
		why = "a gRPC call, which a group of protocol version HTTP1 answers with 464"
	}
	return f.copyTargetGroup(tg, tg.Protocol, want, suffix,
		func(name, svcs string) string {
			return fmt.Sprintf("Forward to a new target group %s of protocol version %s instead of %s (%s), and %s", name, want, tg.Name, have, registerIn(svcs))
		},
		"A target group's protocol version is how the load balancer talks to its targets, and it cannot be modified; the request is "+why+". "+
			"A copy of the group with protocol version "+want+", the listener forwarding to it, and a new deployment of the service registering its tasks there.",
		fmt.Sprintf("target_groups:\n  %s:\n    protocol_version: %s\n", tg.Name, want))
}

// registerIn says who registers in a copied target group: the ECS
// services (svcs, their names), or the old group's targets by hand.
func registerIn(svcs string) string {
	if svcs == "" {
		return "register its targets in it"
	}
	return "register the service " + svcs + " in it"
}

// copyTargetGroup makes a copy of tg with another protocol or protocol
// version (suffix names it), points the listeners and rules that forward
// to tg at it, and moves the ECS services registered in tg to it (or,
// when none is, registers tg's targets in it as they were registered, by
// hand).
func (f *finder) copyTargetGroup(tg *model.TargetGroup, want, version, suffix string, title func(name, svcs string) string, detail, scenario string) []Fix {
	var svcs []*model.Service
	for _, s := range sortedServices(f.st) {
		if s.Status == "ACTIVE" && slices.ContainsFunc(runLoadBalancers(s, nil), func(l model.ServiceLoadBalancer) bool { return l.TargetGroupARN == tg.ARN }) {
			svcs = append(svcs, s)
		}
	}
	simple := func(acts []model.ListenerAction) bool {
		for _, a := range acts {
			if a.Type == "forward" && a.TargetGroupARN != tg.ARN && slices.ContainsFunc(a.TargetGroups, func(w model.WeightedTargetGroup) bool { return w.ARN == tg.ARN }) {
				return false // weighted forwarding: a design choice
			}
		}
		return true
	}
	var listeners []*model.Listener
	for _, l := range f.st.Listeners {
		for _, a := range l.DefaultActions {
			if a.Type == "forward" && a.TargetGroupARN == tg.ARN {
				listeners = append(listeners, l)
				break
			}
		}
		if !simple(l.DefaultActions) {
			return nil
		}
	}
	var rules []*model.ListenerRule
	for _, r := range f.st.ListenerRules {
		for _, a := range r.Actions {
			if a.Type == "forward" && a.TargetGroupARN == tg.ARN {
				rules = append(rules, r)
				break
			}
		}
		if !simple(r.Actions) {
			return nil
		}
	}
	// Without a service registering in the group, its targets were
	// registered by hand (instances, addresses): the copy gets them too.
	var hand []engine.TargetDescription
	if len(svcs) == 0 {
		for _, x := range tg.Targets.All() {
			if !x.Draining {
				hand = append(hand, engine.TargetDescription{ID: x.ID, Port: x.Port, AvailabilityZone: x.AvailabilityZone})
			}
		}
	}
	if len(svcs)+len(hand) == 0 || len(listeners)+len(rules) == 0 {
		return nil
	}
	slices.SortFunc(listeners, func(a, b *model.Listener) int { return strings.Compare(a.ARN, b.ARN) })
	slices.SortFunc(rules, func(a, b *model.ListenerRule) int { return strings.Compare(a.ARN, b.ARN) })
	name := freeName(f.tgNameTaken, tg.Name+"-"+suffix)
	hc := tg.HealthCheck
	hcProto := hc.Protocol
	if hcProto == "" || hcProto == tg.Protocol {
		hcProto = want
	}
	if hcProto == "TLS" {
		hcProto = "TCP" // TLS is no health check protocol (HTTP, HTTPS, TCP): a TLS group's default
	}
	path, matcher := hc.Path, hc.Matcher
	if hcProto == "TCP" {
		path, matcher = "", "" // a TCP health check only connects
	}
	if version == "GRPC" && tg.ProtocolVersion != "GRPC" {
		// A gRPC group's health check is a gRPC call: its own defaults
		// (/AWS.ALB/healthcheck, gRPC code 12), not the HTTP check's.
		path, matcher = "", ""
	}
	in := engine.CreateTargetGroupInput{Name: name, Protocol: want, ProtocolVersion: version, Port: tg.Port, VpcID: tg.VpcID, TargetType: tg.TargetType,
		HealthCheckProtocol: hcProto, HealthCheckPort: hc.Port, HealthCheckPath: path, HealthCheckIntervalSeconds: hc.IntervalSeconds, HealthCheckTimeoutSeconds: hc.TimeoutSeconds,
		HealthyThresholdCount: hc.HealthyThreshold, UnhealthyThresholdCount: hc.UnhealthyThreshold, Matcher: matcher, Tags: model.Tags{"Name": name}}
	swap := func(acts []model.ListenerAction, arn string) []model.ListenerAction {
		out := slices.Clone(acts)
		for i := range out {
			if out[i].Type == "forward" && out[i].TargetGroupARN == tg.ARN {
				out[i].TargetGroupARN = arn
			}
		}
		return out
	}
	versionFlag, pathFlag := "", " --health-check-path "+hcPathOr(hc.Path)
	if version != "" && version != "HTTP1" {
		versionFlag = " --protocol-version " + version
	}
	if path == "" && matcher == "" {
		pathFlag = "" // the group's defaults
	}
	cmds := []string{fmt.Sprintf(`TG_ARN=$(aws elbv2 create-target-group --name %s --protocol %s%s --port %d --vpc-id %s --target-type %s --health-check-protocol %s%s --query 'TargetGroups[0].TargetGroupArn' --output text)`,
		name, want, versionFlag, tg.Port, tg.VpcID, tg.TargetType, hcProto, pathFlag)}
	for _, l := range listeners {
		cmds = append(cmds, fmt.Sprintf(`aws elbv2 modify-listener --listener-arn %s --default-actions Type=forward,TargetGroupArn="$TG_ARN"`, l.ARN))
	}
	for _, r := range rules {
		cmds = append(cmds, fmt.Sprintf(`aws elbv2 modify-rule --rule-arn %s --actions Type=forward,TargetGroupArn="$TG_ARN"`, r.ARN))
	}
	if len(hand) > 0 {
		var ts []string
		for _, x := range hand {
			t := fmt.Sprintf("Id=%s,Port=%d", x.ID, x.Port)
			if x.AvailabilityZone == "all" {
				t += ",AvailabilityZone=all"
			}
			ts = append(ts, t)
		}
		cmds = append(cmds, `aws elbv2 register-targets --target-group-arn "$TG_ARN" --targets `+strings.Join(ts, " "))
	}
	var names []string
	for _, s := range svcs {
		var lbs []string
		moved := slices.Clone(runLoadBalancers(s, nil))
		for i, x := range moved {
			arn := x.TargetGroupARN
			if arn == tg.ARN {
				arn = `"$TG_ARN"`
				moved[i].TargetGroupARN = arn
			}
			lbs = append(lbs, fmt.Sprintf("targetGroupArn=%s,containerName=%s,containerPort=%d", arn, x.ContainerName, x.ContainerPort))
		}
		// A service of task sets moves in a replacing task set; a
		// CODE_DEPLOY one's target groups are its deployment group's
		// pair, which no deployment changes: no such fix.
		c, _, ok := serviceUpdate(f.st, s, nil, engine.UpdateServiceInput{Cluster: clusterName(s.ClusterARN), Service: s.Name, LoadBalancers: moved},
			fmt.Sprintf("aws ecs update-service --cluster %s --service %s --load-balancers %s", clusterName(s.ClusterARN), s.Name, strings.Join(lbs, " ")))
		if !ok {
			return nil
		}
		cmds = append(cmds, c...)
		names = append(names, s.Name)
	}
	return []Fix{{
		score: 10, Kind: "target-group",
		Title:    title(name, strings.Join(names, ", ")),
		Detail:   detail,
		Commands: cmds,
		Scenario: scenario,
		apply: func(e *engine.Engine) error {
			ntg, err := e.CreateTargetGroup(in)
			if err != nil {
				return err
			}
			for _, l := range listeners {
				if _, err := e.ModifyListener(engine.ModifyListenerInput{ListenerARN: l.ARN, DefaultActions: swap(l.DefaultActions, ntg.ARN)}); err != nil {
					return err
				}
			}
			for _, r := range rules {
				if _, err := e.ModifyRule(engine.ModifyRuleInput{RuleARN: r.ARN, Actions: swap(r.Actions, ntg.ARN)}); err != nil {
					return err
				}
			}
			if len(hand) > 0 {
				if err := e.RegisterTargets(ntg.ARN, hand); err != nil {
					return err
				}
			}
			for _, s := range svcs {
				lbs := slices.Clone(runLoadBalancers(s, nil))
				for i := range lbs {
					if lbs[i].TargetGroupARN == tg.ARN {
						lbs[i].TargetGroupARN = ntg.ARN
					}
				}
				if err := applyServiceUpdate(e, engine.UpdateServiceInput{Cluster: clusterName(s.ClusterARN), Service: s.Name, LoadBalancers: lbs}); err != nil {
					return err
				}
			}
			return nil
		},
	}}
}
