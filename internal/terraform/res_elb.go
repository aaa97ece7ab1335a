package terraform

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// arnSuffix is what Terraform's arn_suffix attributes hold: the ARN after
// "loadbalancer/" or the "targetgroup/…" part.
func arnSuffix(arn string) string {
	if i := strings.Index(arn, ":loadbalancer/"); i >= 0 {
		return arn[i+len(":loadbalancer/"):]
	}
	if i := strings.LastIndex(arn, ":"); i >= 0 {
		return arn[i+1:]
	}
	return arn
}

// aws_lb: internal defaults to false (internet-facing), load_balancer_type
// to application.
func createLoadBalancer(c *rctx) error {
	if err := c.needCollection(c.o, "set", "subnets", "security_groups"); err != nil {
		return err
	}
	in := engine.CreateLoadBalancerInput{Name: c.nameOr(32, "tf-lb-"), Type: c.o.str("load_balancer_type"), Subnets: subnetIDs(c.o.strs("subnets")),
		SecurityGroups: groupIDs(c.o.strs("security_groups")), IPAddressType: c.o.str("ip_address_type"), Tags: c.plainTags()}
	if c.o.flag("internal") {
		in.Scheme = "internal"
	}
	for _, m := range c.o.blocks("subnet_mapping") {
		in.SubnetMappings = append(in.SubnetMappings, engine.SubnetMapping{SubnetID: model.SubnetID(m.str("subnet_id")),
			AllocationID: model.AllocationID(m.str("allocation_id")), PrivateIPv4: m.str("private_ipv4_address")})
	}
	if len(in.SubnetMappings) > 0 {
		in.Subnets = nil
	}
	lb, err := c.e().CreateLoadBalancer(in)
	if err != nil {
		return c.fail("subnets", err)
	}
	keys := [][2]string{{"enable_deletion_protection", "deletion_protection.enabled"}}
	if lb.Type != "application" {
		// The provider sends cross-zone for network and gateway load
		// balancers only: an ALB's is always on (and false is refused).
		keys = append(keys, [2]string{"enable_cross_zone_load_balancing", "load_balancing.cross_zone.enabled"})
	} else {
		// Read, not sent: an ALB balances across zones whatever the
		// argument says (the provider's documentation: "For application
		// load balancer this feature is always enabled (true) and cannot
		// be disabled"), which is what ecsnet models.
		c.o.get("enable_cross_zone_load_balancing")
	}
	attrs := c.attributes(keys)
	if lb.Type == "application" {
		attrs = append(attrs, c.attributes([][2]string{{"idle_timeout", "idle_timeout.timeout_seconds"},
			{"drop_invalid_header_fields", "routing.http.drop_invalid_header_fields.enabled"},
			{"preserve_host_header", "routing.http.preserve_host_header.enabled"}})...)
	}
	if len(attrs) > 0 {
		if _, err := c.e().ModifyLoadBalancerAttributes(lb.ARN, attrs); err != nil {
			return c.fail(attrs[0][0], err)
		}
	}
	c.created(lb.ARN, lb.ARN)
	c.set("arn", lb.ARN)
	c.set("arn_suffix", arnSuffix(lb.ARN))
	c.set("name", lb.Name)
	c.set("dns_name", lb.DNSName)
	if lb.Type == "gateway" {
		c.set("zone_id", "") // a Gateway Load Balancer has no DNS name
	} else {
		c.set("zone_id", lb.CanonicalHostedZoneID) // the region's and type's (an NLB's differs from an ALB's)
	}
	c.set("vpc_id", string(lb.VpcID))
	return nil
}

func createTargetGroup(c *rctx) error {
	vpc, err := c.opt("vpc_id")
	if err != nil {
		return err
	}
	in := engine.CreateTargetGroupInput{Name: c.nameOr(32, "tf-"), Protocol: c.o.str("protocol"), ProtocolVersion: c.o.str("protocol_version"),
		VpcID: model.VpcID(vpc), TargetType: c.o.str("target_type"), IPAddressType: c.o.str("ip_address_type"), Tags: c.plainTags()}
	port, err := c.o.integer("port", 0)
	if err != nil {
		return err
	}
	in.Port = uint16(port)
	if hc := c.o.block("health_check"); hc.v != cty.NilVal {
		if b, err := hc.boolean("enabled"); err != nil {
			return err
		} else {
			in.HealthCheckEnabled = b
		}
		// A health_check block sends the schema's defaults for what it
		// leaves out (protocol HTTP, port traffic-port, interval 30,
		// thresholds 3), not the API's defaults for the group's protocol;
		// a path and a matcher are sent only when the health check's
		// protocol is not TCP (resourceTargetGroupCreate), and a Lambda
		// group's port and protocol never.
		in.HealthCheckProtocol, in.HealthCheckPort = cmp.Or(hc.str("protocol"), "HTTP"), cmp.Or(hc.str("port"), "traffic-port")
		if !strings.EqualFold(in.HealthCheckProtocol, "TCP") {
			in.HealthCheckPath, in.Matcher = hc.str("path"), hc.str("matcher")
		}
		if in.TargetType == "lambda" {
			in.HealthCheckProtocol, in.HealthCheckPort = "", ""
		}
		for k, p := range map[string]*int{"interval": &in.HealthCheckIntervalSeconds, "timeout": &in.HealthCheckTimeoutSeconds,
			"healthy_threshold": &in.HealthyThresholdCount, "unhealthy_threshold": &in.UnhealthyThresholdCount} {
			def := map[string]int{"interval": 30, "healthy_threshold": 3, "unhealthy_threshold": 3}[k]
			if *p, err = hc.integer(k, def); err != nil {
				return err
			}
		}
	}
	tg, err := c.e().CreateTargetGroup(in)
	if err != nil {
		return c.fail("port", err)
	}
	// load_balancing_cross_zone_enabled ("true", "false" or
	// "use_load_balancer_configuration") is the group's own cross-zone
	// setting, which decides whether a node sends to targets in other
	// zones (the analyzer reads it).
	keys := [][2]string{{"deregistration_delay", "deregistration_delay.timeout_seconds"}, {"load_balancing_algorithm_type", "load_balancing.algorithm.type"},
		{"load_balancing_cross_zone_enabled", "load_balancing.cross_zone.enabled"}}
	if tg.Protocol != "HTTP" && tg.Protocol != "HTTPS" && tg.Protocol != "" {
		// Network Load Balancer target groups only.
		keys = append(keys, [2]string{"preserve_client_ip", "preserve_client_ip.enabled"}, [2]string{"proxy_protocol_v2", "proxy_protocol_v2.enabled"})
	}
	attrs, err := c.targetGroupStickiness(tg)
	if err != nil {
		return err
	}
	attrs = append(attrs, c.attributes(keys)...)
	if ths := c.o.block("target_health_state"); ths.v != cty.NilVal && !ths.v.IsNull() && (tg.Protocol == "TCP" || tg.Protocol == "TLS") {
		// Sent for TCP and TLS groups only
		// (expandTargetGroupTargetHealthStateAttributes).
		d, err := ths.integer("unhealthy_draining_interval", 0)
		if err != nil {
			return err
		}
		attrs = append(attrs, [2]string{"target_health_state.unhealthy.connection_termination.enabled", strconv.FormatBool(ths.flag("enable_unhealthy_connection_termination"))},
			[2]string{"target_health_state.unhealthy.draining_interval_seconds", strconv.Itoa(d)})
	}
	// slow_start is sent only when above 0 (the provider's
	// targetGroupAttributes.expand on create).
	if n, err := c.o.integer("slow_start", 0); err != nil {
		return err
	} else if n > 0 {
		attrs = append(attrs, [2]string{"slow_start.duration_seconds", strconv.Itoa(n)})
	}
	if len(attrs) > 0 {
		if _, err := c.e().ModifyTargetGroupAttributes(tg.ARN, attrs); err != nil {
			key := "preserve_client_ip"
			switch msg := err.Error(); {
			case strings.Contains(msg, "tickiness"):
				key = "stickiness"
			case strings.Contains(msg, "slow_start"):
				key = "slow_start"
			case strings.Contains(msg, "algorithm"):
				key = "load_balancing_algorithm_type"
			case strings.Contains(msg, "deregistration"):
				key = "deregistration_delay"
			}
			return c.fail(key, err)
		}
	}
	c.created(tg.ARN, "")
	c.set("arn", tg.ARN)
	c.set("arn_suffix", arnSuffix(tg.ARN))
	c.set("name", tg.Name)
	return nil
}

// targetGroupStickiness reads a target group's stickiness block into the
// attributes the provider sends (expandTargetGroupStickinessAttributes):
// stickiness.enabled and stickiness.type whatever the protocol, and the
// cookie's duration (and an app cookie's name) for an HTTP or HTTPS group
// only; nothing for a Lambda or ALB-type group. ELB checks the type
// against the protocol, enabled or not: lb_cookie on a TCP group is
// refused, InvalidConfigurationRequest "Stickiness type 'lb_cookie' is not
// supported for target groups with the TCP protocol"
// (hashicorp/terraform-provider-aws#15603, hashicorp/boundary-reference-
// architecture#14).
func (c *rctx) targetGroupStickiness(tg *model.TargetGroup) ([][2]string, error) {
	st := c.o.block("stickiness")
	if st.v == cty.NilVal || st.v.IsNull() {
		return nil, nil
	}
	if tt := tg.TargetType; tt != "" && tt != "instance" && tt != "ip" {
		return nil, nil
	}
	enabled, typ := st.flag("enabled"), st.str("type")
	if typ == "" {
		return nil, nil // unknown until apply
	}
	if b, _ := st.boolean("enabled"); b == nil {
		enabled = true // the schema's default
	}
	out := [][2]string{{"stickiness.enabled", strconv.FormatBool(enabled)}, {"stickiness.type", typ}}
	cookieName := st.str("cookie_name") // read for every protocol; sent for HTTP(S) only
	d, err := st.integer("cookie_duration", 86400)
	if err != nil {
		return nil, err
	}
	if tg.Protocol == "HTTP" || tg.Protocol == "HTTPS" {
		switch typ {
		case "lb_cookie":
			out = append(out, [2]string{"stickiness.lb_cookie.duration_seconds", strconv.Itoa(d)})
		case "app_cookie":
			out = append(out, [2]string{"stickiness.app_cookie.cookie_name", cookieName}, [2]string{"stickiness.app_cookie.duration_seconds", strconv.Itoa(d)})
		}
	}
	return out, nil
}

// actions reads default_action or action blocks.
func (c *rctx) actions(bs []obj) ([]model.ListenerAction, error) {
	var out []model.ListenerAction
	for i, a := range bs {
		x := model.ListenerAction{Type: a.str("type")}
		var err error
		if x.Order, err = a.integer("order", i+1); err != nil {
			return nil, err
		}
		switch x.Type {
		case "forward":
			x.TargetGroupARN = a.str("target_group_arn")
			for _, f := range a.blocks("forward") {
				for _, t := range f.blocks("target_group") {
					w, err := t.integer("weight", 1)
					if err != nil {
						return nil, err
					}
					x.TargetGroups = append(x.TargetGroups, model.WeightedTargetGroup{ARN: t.str("arn"), Weight: w})
				}
			}
			for _, f := range a.blocks("forward") {
				// A forward's group-level stickiness: which of the
				// weighted groups a client keeps, not whether it is
				// reached; read so ELB's range check is the reader's.
				if st := f.block("stickiness"); st.v != cty.NilVal && !st.v.IsNull() && st.flag("enabled") {
					d, err := st.integer("duration", 0)
					if err != nil {
						return nil, err
					}
					x.Stickiness = &model.ForwardStickiness{Enabled: true, DurationSeconds: d}
				} else if st.v != cty.NilVal && !st.v.IsNull() {
					st.str("duration") // read: disabled stickiness sends no duration that matters
				}
			}
			if x.TargetGroupARN == "" && len(x.TargetGroups) == 1 {
				x.TargetGroupARN, x.TargetGroups = x.TargetGroups[0].ARN, nil
			}
		case "fixed-response":
			fr := a.block("fixed_response")
			x.FixedResponse = &model.FixedResponse{StatusCode: fr.str("status_code"), ContentType: fr.str("content_type"), MessageBody: fr.str("message_body")}
		case "redirect":
			r := a.block("redirect")
			x.Redirect = map[string]string{}
			for k, key := range map[string]string{"Protocol": "protocol", "Port": "port", "Host": "host", "Path": "path", "Query": "query", "StatusCode": "status_code"} {
				if v := r.str(key); v != "" {
					x.Redirect[k] = v
				}
			}
		case "authenticate-oidc", "authenticate-cognito":
			c.l.warnf(a.rng, "%s: %s actions are not modeled; ecsnet treats requests as authenticated", c.addr, x.Type)
			continue
		case "jwt-validation":
			j := a.block("jwt_validation")
			x.JwtValidation = &model.JwtValidationConfig{Issuer: j.str("issuer"), JwksEndpoint: j.str("jwks_endpoint")}
		}
		out = append(out, x)
	}
	return out, nil
}

func createListener(c *rctx) error {
	lb, err := c.req("load_balancer_arn")
	if err != nil {
		return err
	}
	port, err := c.o.integer("port", 0)
	if err != nil {
		return err
	}
	acts, err := c.actions(c.o.blocks("default_action"))
	if err != nil {
		return err
	}
	in := engine.CreateListenerInput{LoadBalancerARN: lb, Protocol: c.o.str("protocol"), Port: uint16(port), DefaultActions: acts,
		SSLPolicy: c.o.str("ssl_policy"), Tags: c.plainTags()}
	if in.Protocol == "" {
		// The provider's default: HTTP for an ALB, TCP for an NLB, none for
		// a Gateway Load Balancer (whose listener takes no protocol).
		in.Protocol = "HTTP"
		c.read(func(st *model.State) {
			if l := st.LoadBalancers[lb]; l != nil && l.Type == "network" {
				in.Protocol = "TCP"
			} else if l != nil && l.Type == "gateway" {
				in.Protocol = ""
			}
		})
	}
	if cert := c.o.str("certificate_arn"); cert != "" {
		in.Certificates = []string{cert}
	}
	ls, err := c.e().CreateListener(in)
	if err != nil {
		key := "default_action"
		if strings.Contains(err.Error(), "ertificate") {
			key = "certificate_arn"
		} else if strings.Contains(strings.ToLower(err.Error()), "port") {
			key = "port"
		}
		return c.fail(key, err)
	}
	c.created(ls.ARN, "")
	c.set("arn", ls.ARN)
	c.listenerCertificate(c.o.str("certificate_arn"))
	return nil
}

// aws_lb_listener_rule: without priority, Terraform gives the next one
// after the listener's highest.
func createListenerRule(c *rctx) error {
	ls, err := c.req("listener_arn")
	if err != nil {
		return err
	}
	// The provider's schema wants at least one of each (MinItems 1):
	// Terraform refuses the rule at validate, before ELB would.
	for _, b := range []string{"condition", "action"} {
		if len(c.o.blocks(b)) == 0 {
			return c.errf(b, "Insufficient %s blocks: At least 1 %q blocks are required.", b, b)
		}
	}
	prio, err := c.o.integer("priority", 0)
	if err != nil {
		return err
	}
	if prio == 0 {
		c.read(func(st *model.State) {
			for _, r := range st.ListenerRules {
				if r.ListenerARN == ls && r.Priority > prio {
					prio = r.Priority
				}
			}
		})
		prio++
	}
	acts, err := c.actions(c.o.blocks("action"))
	if err != nil {
		return err
	}
	in := engine.CreateRuleInput{ListenerARN: ls, Priority: prio, Actions: acts, Tags: c.plainTags()}
	for _, cond := range c.o.blocks("condition") {
		if f := cond.get("field"); !f.IsNull() {
			// The provider's 1.x form (condition { field, values }), removed
			// in its 3.0.
			return c.errf("condition", `Unsupported argument: an argument named "field" is not expected here (provider 3.0 removed condition's field and values: write %s { values = [...] })`, strings.ReplaceAll(asString(f), "-", "_"))
		}
		for key, field := range map[string]string{"host_header": "host-header", "path_pattern": "path-pattern",
			"http_request_method": "http-request-method", "source_ip": "source-ip"} {
			if b := cond.block(key); b.v != cty.NilVal {
				rc := model.RuleCondition{Field: field, Values: b.strs("values")}
				if key == "host_header" || key == "path_pattern" {
					// regex_values (provider 6.x; "Conflicts with values"):
					// the engine refuses both together, as AWS does.
					rc.RegexValues = b.strs("regex_values")
				}
				in.Conditions = append(in.Conditions, rc)
			}
		}
		if b := cond.block("http_header"); b.v != cty.NilVal {
			in.Conditions = append(in.Conditions, model.RuleCondition{Field: "http-header", HeaderName: b.str("http_header_name"), Values: b.strs("values"), RegexValues: b.strs("regex_values")})
		}
		if qs := cond.blocks("query_string"); len(qs) > 0 {
			rc := model.RuleCondition{Field: "query-string"}
			for _, kv := range qs {
				rc.Values = append(rc.Values, kv.str("key")+"="+kv.str("value"))
			}
			in.Conditions = append(in.Conditions, rc)
		}
	}
	// transform blocks (provider 6.x, terraform-provider-aws pull request
	// 44702): type, and host_header_rewrite_config or url_rewrite_config
	// with one rewrite block (regex, replace); the engine refuses what AWS
	// refuses.
	for _, tb := range c.o.blocks("transform") {
		rt := model.RuleTransform{Type: tb.str("type")}
		key := "url_rewrite_config"
		if rt.Type == model.TransformHostHeaderRewrite {
			key = "host_header_rewrite_config"
		}
		if b := tb.block(key); b.v != cty.NilVal {
			if rw := b.block("rewrite"); rw.v != cty.NilVal {
				rt.Regex, rt.Replace = rw.str("regex"), rw.str("replace")
			}
		}
		in.Transforms = append(in.Transforms, rt)
	}
	r, err := c.e().CreateRule(in)
	if err != nil {
		if len(in.Transforms) > 0 && (strings.Contains(err.Error(), "ransform") || strings.Contains(err.Error(), "egex") || strings.Contains(err.Error(), "'Replace'")) {
			return c.fail("transform", err)
		}
		return c.fail("condition", err)
	}
	c.created(r.ARN, "")
	c.set("arn", r.ARN)
	c.out["priority"] = cty.NumberIntVal(int64(prio))
	return nil
}

func createTGAttachment(c *rctx) error {
	tg, err := c.req("target_group_arn")
	if err != nil {
		return err
	}
	id, err := c.req("target_id")
	if err != nil {
		return err
	}
	port, err := c.o.integer("port", 0)
	if err != nil {
		return err
	}
	if err := c.e().RegisterTargets(tg, []engine.TargetDescription{{ID: id, Port: uint16(port), AvailabilityZone: c.o.str("availability_zone")}}); err != nil {
		return c.fail("target_id", err)
	}
	c.created(tg+"-"+strconv.Itoa(int(crc(id))), "")
	return nil
}

func createASGAttachment(c *rctx) error {
	asg, err := c.req("autoscaling_group_name")
	if err != nil {
		return err
	}
	tg, key := c.o.str("lb_target_group_arn"), "lb_target_group_arn"
	if tg == "" && c.o.str("alb_target_group_arn") != "" {
		// The provider's name for it before 5.0.
		tg, key = c.o.str("alb_target_group_arn"), "alb_target_group_arn"
	}
	if tg == "" {
		// A Classic Load Balancer (elb).
		elb, err := c.req("elb")
		if err != nil {
			return err
		}
		if err := c.e().AttachClassicLoadBalancers(asg, []string{elb}, false); err != nil {
			return c.fail("elb", err)
		}
		c.created(fmt.Sprintf("%s-%d", asg, crc(elb)), "")
		return nil
	}
	var g *model.AutoScalingGroup
	c.read(func(st *model.State) { g = st.AutoScalingGroups[asg] })
	if g == nil {
		return c.errf("autoscaling_group_name", "AutoScalingGroup name not found - AutoScalingGroup '%s' not found", asg)
	}
	tgs := append(append([]string{}, g.TargetGroupARNs...), tg)
	if _, err := c.e().UpdateAutoScalingGroup(engine.UpdateAutoScalingGroupInput{Name: asg, TargetGroupARNs: tgs}); err != nil {
		return c.fail(key, err)
	}
	c.created(fmt.Sprintf("%s-%d", asg, crc(tg)), "")
	return nil
}

// attributes maps the provider's arguments that are set to ELBv2
// attribute keys (ModifyLoadBalancerAttributes, ModifyTargetGroupAttributes).
func (c *rctx) attributes(pairs [][2]string) [][2]string {
	var out [][2]string
	for _, p := range pairs {
		if v := c.o.str(p[0]); v != "" {
			out = append(out, [2]string{p[1], v})
		}
	}
	return out
}
