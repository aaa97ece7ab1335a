package scenario

import (
	"maps"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"go.yaml.in/yaml/v3"
)

// itemLines returns the line of each item of the sequence under key in a
// mapping node, padded with the key's (or the node's) line to n items.
func itemLines(node *yaml.Node, key string, n int) []int {
	var out []int
	fallback := 0
	if node != nil {
		fallback = node.Line
		if node.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(node.Content); i += 2 {
				if node.Content[i].Value != key {
					continue
				}
				fallback = node.Content[i].Line
				for _, c := range node.Content[i+1].Content {
					out = append(out, c.Line)
				}
			}
		}
	}
	for len(out) < n {
		out = append(out, fallback)
	}
	return out
}

func (b *builder) targetGroups(sp *fileSpec) error {
	for _, g := range sp.TargetGroups {
		owner := "target group " + strconv.Quote(g.Name)
		vpc, err := b.ref("vpc", g.Value.VPC, g.line("vpc"), owner)
		if err != nil {
			return err
		}
		in := engine.CreateTargetGroupInput{Name: g.Name, Protocol: protocolOr(g.Value.Protocol, "HTTP"), Port: uint16(g.Value.Port),
			VpcID: model.VpcID(vpc), TargetType: g.Value.TargetType, IPAddressType: g.Value.IPAddressType, ProtocolVersion: g.Value.ProtocolVersion, Tags: tags(g.Name, g.Value.Tags)}
		if hc := g.Value.HealthCheck; hc != nil {
			in.HealthCheckProtocol, in.HealthCheckPort, in.HealthCheckPath = hc.Protocol, hc.Port, hc.Path
			in.HealthCheckIntervalSeconds, in.HealthCheckTimeoutSeconds = hc.Interval, hc.Timeout
			in.HealthyThresholdCount, in.UnhealthyThresholdCount, in.Matcher = hc.HealthyThreshold, hc.UnhealthyThreshold, hc.Matcher
		}
		tg, err := b.e.CreateTargetGroup(in)
		if err != nil {
			return b.fail(g.Line, owner, err)
		}
		b.set("target group", g.Name, tg.ARN)
		if len(g.Value.Attributes) > 0 {
			var attrs [][2]string
			for _, k := range slices.Sorted(maps.Keys(g.Value.Attributes)) {
				attrs = append(attrs, [2]string{k, g.Value.Attributes[k]})
			}
			if _, err := b.e.ModifyTargetGroupAttributes(tg.ARN, attrs); err != nil {
				return b.fail(g.Line, owner, err)
			}
		}
		lines := itemLines(g.node, "targets", len(g.Value.Targets))
		for i, t := range g.Value.Targets {
			id := t.ID
			if g.Value.TargetType == "alb" {
				// An Application Load Balancer of load_balancers, by name:
				// registered once the load balancers and their listeners
				// exist (AWS wants a listener on the target's port).
				b.later = append(b.later, func() error {
					arn, err := b.ref("load balancer", t.ID, lines[i], owner)
					if err != nil {
						return err
					}
					if err := b.e.RegisterTargets(tg.ARN, []engine.TargetDescription{{ID: arn, Port: uint16(t.Port)}}); err != nil {
						return b.fail(lines[i], owner, err)
					}
					return nil
				})
				continue
			}
			if _, err := netip.ParseAddr(id); err != nil {
				if id, err = b.ref("instance", t.ID, lines[i], owner); err != nil {
					return err
				}
				// An instance registers once it runs (AWS refuses a
				// pending one): after the instances have started.
				b.later = append(b.later, func() error {
					if err := b.e.RegisterTargets(tg.ARN, []engine.TargetDescription{{ID: id, Port: uint16(t.Port)}}); err != nil {
						return b.fail(lines[i], owner, err)
					}
					return nil
				})
				continue
			}
			if err := b.e.RegisterTargets(tg.ARN, []engine.TargetDescription{{ID: id, Port: uint16(t.Port)}}); err != nil {
				return b.fail(lines[i], owner, err)
			}
		}
	}
	return nil
}

func (b *builder) loadBalancers(sp *fileSpec) error {
	for _, l := range sp.LoadBalancers {
		owner := "load balancer " + strconv.Quote(l.Name)
		if l.Value.Type == "classic" {
			if err := b.classicLoadBalancer(l.Name, l.Line, l.Value, l.line, l.node, owner); err != nil {
				return err
			}
			continue
		}
		if len(l.Value.ProxyProtocol) > 0 {
			return b.errf(l.line("proxy_protocol"), "%s: proxy_protocol is a Classic Load Balancer's (type: classic; its instance ports); a Network Load Balancer's target group takes attributes: {proxy_protocol_v2.enabled: \"true\"}", owner)
		}
		subnets, err := b.subnetIDs(l.Value.Subnets, l.line("subnets"), owner)
		if err != nil {
			return err
		}
		groups, err := b.groupIDs(l.Value.SecurityGroups, l.line("security_groups"), owner)
		if err != nil {
			return err
		}
		in := engine.CreateLoadBalancerInput{Name: l.Name, Type: l.Value.Type, Scheme: l.Value.Scheme, SecurityGroups: groups, Tags: tags(l.Name, l.Value.Tags)}
		if len(l.Value.ElasticIPs) > 0 {
			for i, s := range subnets {
				m := engine.SubnetMapping{SubnetID: s}
				if i < len(l.Value.ElasticIPs) {
					eip, err := b.ref("elastic ip", l.Value.ElasticIPs[i], l.line("elastic_ips"), owner)
					if err != nil {
						return err
					}
					m.AllocationID = model.AllocationID(eip)
				}
				in.SubnetMappings = append(in.SubnetMappings, m)
			}
		} else {
			in.Subnets = subnets
		}
		lb, err := b.e.CreateLoadBalancer(in)
		if err != nil {
			line := l.Line
			if len(l.Value.Subnets) > 0 {
				line = l.line("subnets")
			}
			return b.fail(line, owner, err)
		}
		if t := l.Value.IPAddressType; t != "" && t != "ipv4" {
			// As a user converts one (aws elbv2 set-ip-address-type): the
			// engine's SetIPAddressType checks the type against the load
			// balancer's.
			if _, err := b.e.SetIPAddressType(lb.ARN, t); err != nil {
				return b.fail(l.line("ip_address_type"), owner, err)
			}
		}
		if l.Value.CrossZone != nil {
			// As a user sets it (aws elbv2 modify-load-balancer-attributes
			// load_balancing.cross_zone.enabled): off by default on a
			// Network Load Balancer; the engine checks the key against the
			// load balancer's type.
			if _, err := b.e.ModifyLoadBalancerAttributes(lb.ARN, [][2]string{{"load_balancing.cross_zone.enabled", strconv.FormatBool(*l.Value.CrossZone)}}); err != nil {
				return b.fail(l.line("cross_zone"), owner, err)
			}
		}
		if len(l.Value.Attributes) > 0 {
			// As a user sets them (aws elbv2 modify-load-balancer-attributes):
			// the engine checks each key against the load balancer's type.
			attrs := make([][2]string, 0, len(l.Value.Attributes))
			for _, k := range sortedKeys(l.Value.Attributes) {
				attrs = append(attrs, [2]string{k, l.Value.Attributes[k]})
			}
			if _, err := b.e.ModifyLoadBalancerAttributes(lb.ARN, attrs); err != nil {
				return b.fail(l.line("attributes"), owner, err)
			}
		}
		if v := l.Value.PrivateLinkInbound; v != "" {
			// As a user sets it (aws elbv2 set-security-groups
			// --enforce-security-group-inbound-rules-on-private-link-traffic).
			if _, err := b.e.SetSecurityGroups(lb.ARN, groups, v); err != nil {
				return b.fail(l.line("enforce_security_group_inbound_rules_on_private_link_traffic"), owner, err)
			}
		}
		b.set("load balancer", l.Name, lb.ARN)
		lines := itemLines(l.node, "listeners", len(l.Value.Listeners))
		for i, ls := range l.Value.Listeners {
			proto := ls.Protocol
			if proto == "" {
				proto = "HTTP"
				switch lb.Type {
				case "network":
					proto = "TCP"
				case "gateway":
					proto = "" // a Gateway Load Balancer's listener has no protocol or port
				}
			}
			in := engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: proto, Port: uint16(ls.Port)}
			if ls.Certificate != "" {
				in.Certificates = []string{ls.Certificate}
			}
			acts, err := b.ruleAction(owner, lines[i], ls.Forward, ls.FixedResponse, ls.Redirect, ls.RedirectCode)
			if err != nil {
				return err
			}
			if a := ls.Authenticate; a != nil {
				// The authentication first (order 1), then the action.
				for k := range acts {
					acts[k].Order = k + 2
				}
				acts = append([]model.ListenerAction{{Type: "authenticate-oidc", Order: 1, Authenticate: &model.AuthenticateConfig{
					Issuer: a.Issuer, AuthorizationEndpoint: a.AuthorizationEndpoint, TokenEndpoint: a.TokenEndpoint,
					UserInfoEndpoint: a.UserInfoEndpoint, ClientID: a.ClientID, ClientSecretSet: true}}}, acts...)
			}
			in.DefaultActions = acts
			lst, err := b.e.CreateListener(in)
			if err != nil {
				return b.fail(lines[i], owner, err)
			}
			for k, r := range ls.Rules {
				if err := b.rule(owner, lines[i], lst.ARN, k, r); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// ruleAction builds a listener's or rule's action: forward to a target
// group, a fixed response, or a redirect ("HTTPS:443", "HTTPS", ":8443").
func (b *builder) ruleAction(owner string, line int, forward forwardSpec, fixed int, redirect string, code int) ([]model.ListenerAction, error) {
	switch {
	case forward.TargetGroup != "":
		tg, err := b.ref("target group", forward.TargetGroup, line, owner)
		if err != nil {
			return nil, err
		}
		return []model.ListenerAction{{Type: "forward", TargetGroupARN: tg, Order: 1}}, nil
	case len(forward.TargetGroups) > 0:
		return b.weightedForward(owner, line, forward)
	case fixed != 0:
		return []model.ListenerAction{{Type: "fixed-response", Order: 1,
			FixedResponse: &model.FixedResponse{StatusCode: strconv.Itoa(fixed), ContentType: "text/plain"}}}, nil
	case redirect != "":
		proto, port, _ := strings.Cut(redirect, ":")
		red := map[string]string{"StatusCode": "HTTP_301"}
		switch code {
		case 0, 301:
		case 302:
			red["StatusCode"] = "HTTP_302"
		default:
			return nil, b.errf(line, "%s: redirect_status %d: want 301 or 302", owner, code)
		}
		if proto != "" {
			red["Protocol"] = strings.ToUpper(proto)
		}
		if port != "" {
			red["Port"] = port
		}
		return []model.ListenerAction{{Type: "redirect", Order: 1, Redirect: red}}, nil
	}
	return nil, b.errf(line, "%s: a listener or rule needs forward: (a target group), fixed_response: (a status code) or redirect: (e.g. HTTPS:443)", owner)
}

// rule creates one listener rule.
func (b *builder) rule(owner string, line int, listener string, k int, r listenerRuleSpec) error {
	in := engine.CreateRuleInput{ListenerARN: listener, Priority: r.Priority}
	if in.Priority == 0 {
		in.Priority = (k + 1) * 10
	}
	add := func(field string, vals []string) {
		if len(vals) > 0 {
			in.Conditions = append(in.Conditions, model.RuleCondition{Field: field, Values: vals})
		}
	}
	add("path-pattern", r.Path)
	add("host-header", r.Host)
	add("http-request-method", r.Method)
	add("source-ip", r.SourceIP)
	for _, name := range sortedKeys(r.Header) {
		in.Conditions = append(in.Conditions, model.RuleCondition{Field: "http-header", HeaderName: name, Values: []string{r.Header[name]}})
	}
	addRegex := func(field string, res []string) {
		if len(res) > 0 {
			in.Conditions = append(in.Conditions, model.RuleCondition{Field: field, RegexValues: res})
		}
	}
	addRegex("path-pattern", r.PathRegex)
	addRegex("host-header", r.HostRegex)
	for _, name := range sortedKeys(r.HeaderRegex) {
		in.Conditions = append(in.Conditions, model.RuleCondition{Field: "http-header", HeaderName: name, RegexValues: []string{r.HeaderRegex[name]}})
	}
	if len(r.Query) > 0 {
		var pairs []string
		for _, key := range sortedKeys(r.Query) {
			pairs = append(pairs, key+"="+r.Query[key])
		}
		add("query-string", pairs)
	}
	acts, err := b.ruleAction(owner, line, r.Forward, r.FixedResponse, r.Redirect, r.RedirectCode)
	if err != nil {
		return err
	}
	in.Actions = acts
	if r.Name != "" {
		in.Tags = model.Tags{"Name": r.Name}
	}
	if r.HostRewrite != nil {
		in.Transforms = append(in.Transforms, model.RuleTransform{Type: model.TransformHostHeaderRewrite, Regex: r.HostRewrite.Regex, Replace: r.HostRewrite.Replace})
	}
	if r.URLRewrite != nil {
		in.Transforms = append(in.Transforms, model.RuleTransform{Type: model.TransformURLRewrite, Regex: r.URLRewrite.Regex, Replace: r.URLRewrite.Replace})
	}
	if _, err := b.e.CreateRule(in); err != nil {
		return b.fail(line, owner+" rule "+strconv.Itoa(in.Priority), err)
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// classicLoadBalancer creates a Classic Load Balancer (type: classic) as a
// user does with the Elastic Load Balancing API 2012-06-01:
// CreateLoadBalancer with its listeners, ConfigureHealthCheck,
// ModifyLoadBalancerAttributes (cross-zone) and
// RegisterInstancesWithLoadBalancer.
func (b *builder) classicLoadBalancer(name string, at int, v lbSpec, line func(string) int, node *yaml.Node, owner string) error {
	if len(v.Attributes) > 0 {
		return b.errf(line("attributes"), "%s: attributes are an Application or Network Load Balancer's (a Classic Load Balancer's: cross_zone)", owner)
	}
	subnets, err := b.subnetIDs(v.Subnets, line("subnets"), owner)
	if err != nil {
		return err
	}
	groups, err := b.groupIDs(v.SecurityGroups, line("security_groups"), owner)
	if err != nil {
		return err
	}
	in := engine.CreateClassicLoadBalancerInput{Name: name, Scheme: v.Scheme, Subnets: subnets, SecurityGroups: groups, Tags: tags(name, v.Tags)}
	for _, ls := range v.Listeners {
		if ls.Forward.isSet() || ls.FixedResponse != 0 || ls.Redirect != "" || len(ls.Rules) > 0 {
			return b.errf(line("listeners"), "%s: a Classic Load Balancer's listener forwards to its instances' instance_port: forward, fixed_response, redirect and rules are for type application or network", owner)
		}
		proto := protocolOr(ls.Protocol, "HTTP")
		l := model.ClassicListener{Protocol: proto, LoadBalancerPort: ls.Port, InstanceProtocol: ls.InstanceProtocol, InstancePort: ls.InstancePort, SSLCertificateID: ls.Certificate}
		if l.InstancePort == 0 {
			l.InstancePort = ls.Port
		}
		in.Listeners = append(in.Listeners, l)
	}
	fail := func(key string, err error) error {
		ln := at
		if key != "" {
			ln = line(key)
		}
		return b.fail(ln, owner, err)
	}
	lb, err := b.e.CreateClassicLoadBalancer(in)
	if err != nil {
		return fail("", err)
	}
	b.set("classic load balancer", name, lb.Name)
	if hc := v.HealthCheck; hc != nil {
		h := lb.HealthCheck
		if hc.Target != "" {
			h.Target = hc.Target
		}
		for _, x := range []struct {
			dst *int
			v   int
		}{{&h.Interval, hc.Interval}, {&h.Timeout, hc.Timeout}, {&h.HealthyThreshold, hc.HealthyThreshold}, {&h.UnhealthyThreshold, hc.UnhealthyThreshold}} {
			if x.v != 0 {
				*x.dst = x.v
			}
		}
		if _, err := b.e.ConfigureClassicHealthCheck(name, h); err != nil {
			return fail("health_check", err)
		}
	}
	if v.CrossZone != nil {
		on := strconv.FormatBool(*v.CrossZone)
		if _, err := b.e.UpdateClassicLoadBalancer(name, func(lb *model.ClassicLoadBalancer) error {
			lb.Attributes = maps.Clone(lb.Attributes)
			if lb.Attributes == nil {
				lb.Attributes = map[string]string{}
			}
			lb.Attributes["CrossZoneLoadBalancing.Enabled"] = on
			return nil
		}); err != nil {
			return fail("cross_zone", err)
		}
	}
	if len(v.ProxyProtocol) > 0 {
		// The ELB guide's steps: a ProxyProtocolPolicyType policy, then
		// the policy on each instance port.
		const policy = "ProxyProtocol-policy"
		if err := b.e.CreateClassicPolicy(name, model.ClassicPolicy{Name: policy, TypeName: "ProxyProtocolPolicyType", Attributes: [][2]string{{"ProxyProtocol", "true"}}}); err != nil {
			return fail("proxy_protocol", err)
		}
		for _, port := range v.ProxyProtocol {
			if err := b.e.SetClassicBackendPolicies(name, port, []string{policy}); err != nil {
				return fail("proxy_protocol", err)
			}
		}
	}
	lines := itemLines(node, "instances", len(v.Instances))
	for i, ref := range v.Instances {
		id, err := b.ref("instance", ref, lines[i], owner)
		if err != nil {
			return err
		}
		if _, err := b.e.RegisterClassicInstances(name, []model.InstanceID{model.InstanceID(id)}, false); err != nil {
			return b.fail(lines[i], owner, err)
		}
	}
	return nil
}

// weightedForward is a forward action to weighted target groups
// (ForwardConfig): each by name with its weight (1 when left out), the
// engine checking the weights (0-999) and the count as AWS does.
func (b *builder) weightedForward(owner string, line int, f forwardSpec) ([]model.ListenerAction, error) {
	act := model.ListenerAction{Type: "forward", Order: 1}
	for _, w := range f.TargetGroups {
		if w.Name == "" {
			return nil, b.errf(line, "%s: forward: target_groups: each needs a name (a target group)", owner)
		}
		tg, err := b.ref("target group", w.Name, line, owner)
		if err != nil {
			return nil, err
		}
		weight := 1
		if w.Weight != nil {
			weight = *w.Weight
		}
		act.TargetGroups = append(act.TargetGroups, model.WeightedTargetGroup{ARN: tg, Weight: weight})
	}
	if f.StickinessSeconds != 0 {
		act.Stickiness = &model.ForwardStickiness{Enabled: true, DurationSeconds: f.StickinessSeconds}
	}
	return []model.ListenerAction{act}, nil
}
