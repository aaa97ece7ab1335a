package engine

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// loadBalancerAttributeDefaults returns AWS's default attributes of a load
// balancer of lb's type, in the order DescribeLoadBalancerAttributes lists
// them (ELBv2 API reference, LoadBalancerAttribute).
func loadBalancerAttributeDefaults(lb *model.LoadBalancer) [][2]string {
	if lb.Type == lbGateway {
		// A Gateway Load Balancer's attributes (Gateway Load Balancer user
		// guide, "Load balancer attributes"): cross-zone off by default.
		return [][2]string{{"deletion_protection.enabled", "false"},
			{"load_balancing.cross_zone.enabled", strconv.FormatBool(lb.CrossZone)}}
	}
	common := [][2]string{
		{"access_logs.s3.enabled", "false"}, {"access_logs.s3.bucket", ""}, {"access_logs.s3.prefix", ""},
		{"deletion_protection.enabled", "false"}, {"load_balancing.cross_zone.enabled", strconv.FormatBool(lb.CrossZone)},
		{"zonal_shift.config.enabled", "false"},
	}
	if lb.Type == "network" {
		return append(common, [2]string{"dns_record.client_routing_policy", "any_availability_zone"},
			[2]string{"ipv6.deny_all_igw_traffic", "false"})
	}
	return append(common,
		[2]string{"idle_timeout.timeout_seconds", "60"},
		[2]string{"client_keep_alive.seconds", "3600"},
		[2]string{"connection_logs.s3.enabled", "false"}, [2]string{"connection_logs.s3.bucket", ""}, [2]string{"connection_logs.s3.prefix", ""},
		[2]string{"routing.http2.enabled", "true"},
		[2]string{"routing.http.desync_mitigation_mode", "defensive"},
		[2]string{"routing.http.drop_invalid_header_fields.enabled", "false"},
		[2]string{"routing.http.preserve_host_header.enabled", "false"},
		[2]string{"routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false"},
		[2]string{"routing.http.xff_client_port.enabled", "false"},
		[2]string{"routing.http.xff_header_processing.mode", "append"},
		[2]string{"waf.fail_open.enabled", "false"})
}

// targetGroupAttributeDefaults returns AWS's default attributes of a target
// group of tg's type and protocol (ELBv2 API reference,
// TargetGroupAttribute; preserve_client_ip is on except for ip targets over
// TCP and TLS).
func targetGroupAttributeDefaults(tg *model.TargetGroup) [][2]string {
	health := [][2]string{
		{"load_balancing.cross_zone.enabled", "use_load_balancer_configuration"},
		{"target_group_health.dns_failover.minimum_healthy_targets.count", "1"},
		{"target_group_health.dns_failover.minimum_healthy_targets.percentage", "off"},
		{"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1"},
		{"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off"},
	}
	if tg.TargetType == "lambda" {
		// A Lambda target group has one attribute (ELB API reference,
		// TargetGroupAttribute: "supported only if the load balancer is
		// an Application Load Balancer and the target is a Lambda
		// function"); DescribeTargetGroupAttributes of one on AWS lists
		// only it.
		return [][2]string{{"lambda.multi_value_headers.enabled", "false"}}
	}
	if tg.Protocol == "GENEVE" {
		// A GENEVE target group's attributes (Gateway Load Balancer user
		// guide, "Target group attributes"): 5-tuple flow stickiness, and
		// no rebalancing of existing flows when a target goes.
		return [][2]string{
			{"deregistration_delay.timeout_seconds", "300"},
			{"stickiness.enabled", "false"}, {"stickiness.type", "source_ip_dest_ip_proto"},
			{"target_failover.on_deregistration", "no_rebalance"}, {"target_failover.on_unhealthy", "no_rebalance"},
		}
	}
	if tg.Protocol == "HTTP" || tg.Protocol == "HTTPS" {
		return append([][2]string{
			{"deregistration_delay.timeout_seconds", "300"},
			{"stickiness.enabled", "false"}, {"stickiness.type", "lb_cookie"}, {"stickiness.lb_cookie.duration_seconds", "86400"},
			{"stickiness.app_cookie.cookie_name", ""}, {"stickiness.app_cookie.duration_seconds", "86400"},
			{"load_balancing.algorithm.type", "round_robin"}, {"load_balancing.algorithm.anomaly_mitigation", "off"},
			{"slow_start.duration_seconds", "0"},
		}, health...)
	}
	preserve := "true"
	if tg.TargetType == "ip" && (tg.Protocol == "TCP" || tg.Protocol == "TLS") {
		preserve = "false"
	}
	// Connection termination at the end of deregistration is on by
	// default for new UDP and TCP_UDP groups, off for the others
	// (botocore's elbv2 model, TargetGroupAttribute Key).
	terminate := "false"
	if tg.Protocol == "UDP" || tg.Protocol == "TCP_UDP" {
		terminate = "true"
	}
	return append([][2]string{
		{"deregistration_delay.timeout_seconds", "300"}, {"deregistration_delay.connection_termination.enabled", terminate},
		{"stickiness.enabled", "false"}, {"stickiness.type", "source_ip"}, {"proxy_protocol_v2.enabled", "false"},
		{"preserve_client_ip.enabled", preserve},
		{"target_health_state.unhealthy.connection_termination.enabled", "true"},
		{"target_health_state.unhealthy.draining_interval_seconds", "0"},
	}, health...)
}

// withOverrides returns defaults with the values of set.
func withOverrides(defaults [][2]string, set map[string]string) [][2]string {
	out := make([][2]string, len(defaults))
	for i, kv := range defaults {
		if v, ok := set[kv[0]]; ok {
			kv[1] = v
		}
		out[i] = kv
	}
	return out
}

// checkAttributes validates attribute keys against defaults, with ELBv2's
// ValidationError for an unknown key.
func checkAttributes(what string, defaults [][2]string, attrs [][2]string) error {
	if len(attrs) == 0 {
		return apierr.New("ValidationError", "Attributes must be specified")
	}
	known := map[string]bool{}
	for _, kv := range defaults {
		known[kv[0]] = true
	}
	for _, kv := range attrs {
		if !known[kv[0]] {
			return apierr.Newf("ValidationError", "%s attribute key '%s' is not recognized", what, kv[0])
		}
		if len(kv[0]) > 256 || len(kv[1]) > 1024 {
			return apierr.Newf("ValidationError", "%s attribute '%s' is too long", what, kv[0])
		}
	}
	return nil
}

// attributeRule is what values one attribute takes (ELBv2 API reference,
// LoadBalancerAttribute and TargetGroupAttribute, the Key documentation):
// an integer from min to max (zero also where zeroOff: the attribute
// off), or one of values.
type attributeRule struct {
	min, max int
	zeroOff  bool
	values   []string
}

// attributeRuleFor returns the values AWS takes for key, for the
// attributes it constrains beyond true/false (every key ending in
// ".enabled" but the target group's load_balancing.cross_zone.enabled is a
// boolean). stickiness.type depends on the protocol: stickinessTypes.
func attributeRuleFor(key string) (attributeRule, bool) {
	switch key {
	case "idle_timeout.timeout_seconds":
		return attributeRule{min: 1, max: 4000}, true
	case "client_keep_alive.seconds":
		return attributeRule{min: 60, max: 604800}, true
	case "deregistration_delay.timeout_seconds":
		return attributeRule{min: 0, max: 3600}, true
	case "slow_start.duration_seconds":
		return attributeRule{min: 30, max: 900, zeroOff: true}, true
	case "stickiness.lb_cookie.duration_seconds", "stickiness.app_cookie.duration_seconds":
		return attributeRule{min: 1, max: 604800}, true
	case "target_health_state.unhealthy.draining_interval_seconds":
		return attributeRule{min: 0, max: 360000}, true
	case "routing.http.desync_mitigation_mode":
		return attributeRule{values: []string{"monitor", "defensive", "strictest"}}, true
	case "routing.http.xff_header_processing.mode":
		return attributeRule{values: []string{"append", "preserve", "remove"}}, true
	case "dns_record.client_routing_policy":
		return attributeRule{values: []string{"availability_zone_affinity", "partial_availability_zone_affinity", "any_availability_zone"}}, true
	case "load_balancing.algorithm.type":
		return attributeRule{values: []string{"round_robin", "least_outstanding_requests", "weighted_random"}}, true
	case "load_balancing.algorithm.anomaly_mitigation":
		return attributeRule{values: []string{"on", "off"}}, true
	case "target_failover.on_deregistration", "target_failover.on_unhealthy":
		return attributeRule{values: []string{"rebalance", "no_rebalance"}}, true
	}
	return attributeRule{}, false
}

// stickinessTypes returns the stickiness types a target group of protocol
// takes: lb_cookie and app_cookie for an ALB's, source_ip for an NLB's, the
// 2- and 5-tuple ones for a Gateway Load Balancer's (TargetGroupAttribute,
// stickiness.type).
func stickinessTypes(protocol string) []string {
	switch protocol {
	case "HTTP", "HTTPS":
		return []string{"lb_cookie", "app_cookie"}
	case "GENEVE":
		return []string{"source_ip_dest_ip", "source_ip_dest_ip_proto"}
	}
	return []string{"source_ip"}
}

// checkAttributeValues refuses a value AWS does not take for its key:
// ValidationError "… attribute value 'v' for key 'k' is not valid" (the
// wording ecsnet's), and for a stickiness type of another kind of load
// balancer InvalidConfigurationRequest "Stickiness type 'lb_cookie' is not
// supported for target groups with the TCP protocol" (AWS's text).
func checkAttributeValues(what string, tg *model.TargetGroup, attrs [][2]string) error {
	invalid := func(kv [2]string) error {
		return apierr.Newf("ValidationError", "%s attribute value '%s' for key '%s' is not valid", what, kv[1], kv[0])
	}
	for _, kv := range attrs {
		if kv[0] == "load_balancing.cross_zone.enabled" && tg != nil {
			if kv[1] != "true" && kv[1] != "false" && kv[1] != "use_load_balancer_configuration" {
				return invalid(kv)
			}
			continue
		}
		if kv[0] == "stickiness.type" && tg != nil && tg.Protocol != "" {
			if !slices.Contains(stickinessTypes(tg.Protocol), kv[1]) {
				return apierr.Newf("InvalidConfigurationRequest", "Stickiness type '%s' is not supported for target groups with the %s protocol", kv[1], tg.Protocol)
			}
			continue
		}
		rule, ok := attributeRuleFor(kv[0])
		switch {
		case ok && rule.values != nil:
			if !slices.Contains(rule.values, kv[1]) {
				return invalid(kv)
			}
		case ok:
			n, err := strconv.Atoi(kv[1])
			if err != nil || (n < rule.min || n > rule.max) && !(rule.zeroOff && n == 0) {
				return invalid(kv)
			}
		case strings.HasSuffix(kv[0], ".enabled"):
			if kv[1] != "true" && kv[1] != "false" {
				return invalid(kv)
			}
		}
	}
	return nil
}

// otherTypeKey says whether a type of load balancer other than lb's has
// the attribute key: AWS refuses such a key with
// InvalidConfigurationRequest "Load balancer attribute key
// 'idle_timeout.timeout_seconds' is not supported on load balancers with
// type 'network'" (lb's type), not as an unknown key.
func otherTypeKey(lb *model.LoadBalancer, key string) bool {
	for _, typ := range []string{lbApplication, "network", lbGateway} {
		if typ == lb.Type {
			continue
		}
		for _, kv := range loadBalancerAttributeDefaults(&model.LoadBalancer{Type: typ}) {
			if kv[0] == key {
				return true
			}
		}
	}
	return false
}

// LoadBalancerAttributes returns a load balancer's attributes.
func (e *Engine) LoadBalancerAttributes(arn string) ([][2]string, error) {
	var out [][2]string
	var err error
	e.Read(func(st *model.State) {
		lb := st.LoadBalancers[arn]
		if lb == nil {
			err = apierr.New("LoadBalancerNotFound", "One or more load balancers not found")
			return
		}
		out = withOverrides(loadBalancerAttributeDefaults(lb), lb.Attributes)
	})
	return out, err
}

// ModifyLoadBalancerAttributes sets attributes and returns them all.
// load_balancing.cross_zone.enabled also changes how the analyzer spreads
// requests over zones.
func (e *Engine) ModifyLoadBalancerAttributes(arn string, attrs [][2]string) ([][2]string, error) {
	var out [][2]string
	err := e.write(func(t *txn) error {
		lb := t.st.LoadBalancers[arn]
		if lb == nil {
			return apierr.New("LoadBalancerNotFound", "One or more load balancers not found")
		}
		defaults := loadBalancerAttributeDefaults(lb)
		for _, kv := range attrs {
			if !slices.ContainsFunc(defaults, func(d [2]string) bool { return d[0] == kv[0] }) {
				if otherTypeKey(lb, kv[0]) {
					return apierr.Newf("InvalidConfigurationRequest", "Load balancer attribute key '%s' is not supported on load balancers with type '%s'", kv[0], lb.Type)
				}
			}
		}
		if err := checkAttributes("Load balancer", defaults, attrs); err != nil {
			return err
		}
		if err := checkAttributeValues("Load balancer", nil, attrs); err != nil {
			return err
		}
		c := *lb
		c.Attributes = maps.Clone(lb.Attributes)
		if c.Attributes == nil {
			c.Attributes = map[string]string{}
		}
		for _, kv := range attrs {
			if kv[0] == "load_balancing.cross_zone.enabled" {
				v, err := strconv.ParseBool(kv[1])
				if err != nil {
					return apierr.Newf("ValidationError", "Load balancer attribute value '%s' for key 'load_balancing.cross_zone.enabled' is not valid", kv[1])
				}
				if lb.Type == lbApplication && !v {
					// Always on at an ALB's load balancer level; it is
					// turned off per target group (ELB user guide,
					// "Cross-zone load balancing for target groups").
					return apierr.New("ValidationError", "Cross-zone load balancing cannot be disabled for Application Load Balancers; set load_balancing.cross_zone.enabled on the target group instead")
				}
				c.CrossZone = v
				continue
			}
			c.Attributes[kv[0]] = kv[1]
		}
		put(t, model.KindLoadBalancer, t.st.LoadBalancers, c.ARN, &c)
		out = withOverrides(loadBalancerAttributeDefaults(&c), c.Attributes)
		return nil
	})
	return out, err
}

// DefaultAttributes returns the attributes a load balancer or target
// group (by ARN) has before any is set: AWS's defaults for its type.
func (e *Engine) DefaultAttributes(arn string) ([][2]string, error) {
	var out [][2]string
	var err error
	e.Read(func(st *model.State) {
		switch {
		case st.LoadBalancers[arn] != nil:
			out = loadBalancerAttributeDefaults(st.LoadBalancers[arn])
		case st.TargetGroups[arn] != nil:
			out = targetGroupAttributeDefaults(st.TargetGroups[arn])
		default:
			err = apierr.New("LoadBalancerNotFound", "One or more load balancers not found")
		}
	})
	return out, err
}

// TargetGroupAttributes returns a target group's attributes.
func (e *Engine) TargetGroupAttributes(arn string) ([][2]string, error) {
	var out [][2]string
	var err error
	e.Read(func(st *model.State) {
		tg := st.TargetGroups[arn]
		if tg == nil {
			err = apierr.New("TargetGroupNotFound", "One or more target groups not found")
			return
		}
		out = withOverrides(targetGroupAttributeDefaults(tg), tg.Attributes)
	})
	return out, err
}

// ModifyTargetGroupAttributes sets attributes and returns them all.
func (e *Engine) ModifyTargetGroupAttributes(arn string, attrs [][2]string) ([][2]string, error) {
	var out [][2]string
	err := e.write(func(t *txn) error {
		tg := t.st.TargetGroups[arn]
		if tg == nil {
			return apierr.New("TargetGroupNotFound", "One or more target groups not found")
		}
		if err := checkAttributes("Target group", targetGroupAttributeDefaults(tg), attrs); err != nil {
			return err
		}
		if err := checkAttributeValues("Target group", tg, attrs); err != nil {
			return err
		}
		c := *tg
		c.Attributes = maps.Clone(tg.Attributes)
		if c.Attributes == nil {
			c.Attributes = map[string]string{}
		}
		for _, kv := range attrs {
			c.Attributes[kv[0]] = kv[1]
		}
		put(t, model.KindTargetGroup, t.st.TargetGroups, c.ARN, &c)
		out = withOverrides(targetGroupAttributeDefaults(&c), c.Attributes)
		return nil
	})
	return out, err
}

// TargetGroupAttributeDefaults returns AWS's default attributes of a target
// group of tg's type and protocol, as DescribeTargetGroupAttributes lists
// them before any is set (snapshots keep only the others).
func TargetGroupAttributeDefaults(tg *model.TargetGroup) [][2]string {
	return targetGroupAttributeDefaults(tg)
}

// LoadBalancerAttributeDefaults returns AWS's default attributes of a load
// balancer of lb's type, as DescribeLoadBalancerAttributes lists them
// before any is set (snapshots keep only the others).
func LoadBalancerAttributeDefaults(lb *model.LoadBalancer) [][2]string {
	return loadBalancerAttributeDefaults(lb)
}
