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
	return append([][2]string{
		{"deregistration_delay.timeout_seconds", "300"}, {"deregistration_delay.connection_termination.enabled", "false"},
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

// loadBalancerAttributeRanges are the integer attributes of a load
// balancer and the range ELB takes (ELBv2 API reference,
// LoadBalancerAttribute: idle_timeout.timeout_seconds "The valid range is
// 1-4000 seconds", client_keep_alive.seconds "The valid range is
// 60-604800 seconds").
var loadBalancerAttributeRanges = map[string][2]int{
	"idle_timeout.timeout_seconds": {1, 4000},
	"client_keep_alive.seconds":    {60, 604800},
}

// loadBalancerAttributeChoices are the attributes of a load balancer
// that take one of a few words (ELBv2 API reference,
// LoadBalancerAttribute).
var loadBalancerAttributeChoices = map[string][]string{
	"routing.http.desync_mitigation_mode":     {"monitor", "defensive", "strictest"},
	"routing.http.xff_header_processing.mode": {"append", "preserve", "remove"},
	"dns_record.client_routing_policy":        {"availability_zone_affinity", "partial_availability_zone_affinity", "any_availability_zone"},
}

// checkLoadBalancerAttributeValue validates the value of a load balancer
// attribute as ELB does: the integer attributes within their ranges, the
// words of loadBalancerAttributeChoices, true or false for every
// *.enabled key; any other value is ValidationError "Load balancer
// attribute value 'V' for key 'K' is not valid" [choice: the text of
// the cross-zone attribute's refusal, for them all].
func checkLoadBalancerAttributeValue(key, value string) error {
	bad := apierr.Newf("ValidationError", "Load balancer attribute value '%s' for key '%s' is not valid", value, key)
	if r, ok := loadBalancerAttributeRanges[key]; ok {
		n, err := strconv.Atoi(value)
		if err != nil || n < r[0] || n > r[1] {
			return bad
		}
		return nil
	}
	if words, ok := loadBalancerAttributeChoices[key]; ok {
		if !slices.Contains(words, value) {
			return bad
		}
		return nil
	}
	if strings.HasSuffix(key, ".enabled") && value != "true" && value != "false" {
		return bad
	}
	return nil
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
		if err := checkAttributes("Load balancer", loadBalancerAttributeDefaults(lb), attrs); err != nil {
			return err
		}
		c := *lb
		c.Attributes = maps.Clone(lb.Attributes)
		if c.Attributes == nil {
			c.Attributes = map[string]string{}
		}
		for _, kv := range attrs {
			if err := checkLoadBalancerAttributeValue(kv[0], kv[1]); err != nil {
				return err
			}
			if kv[0] == "load_balancing.cross_zone.enabled" {
				v, _ := strconv.ParseBool(kv[1])
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
		c := *tg
		c.Attributes = maps.Clone(tg.Attributes)
		if c.Attributes == nil {
			c.Attributes = map[string]string{}
		}
		for _, kv := range attrs {
			if kv[0] == "load_balancing.cross_zone.enabled" && kv[1] != "true" && kv[1] != "false" && kv[1] != "use_load_balancer_configuration" {
				return apierr.Newf("ValidationError", "Target group attribute value '%s' for key 'load_balancing.cross_zone.enabled' is not valid", kv[1])
			}
			c.Attributes[kv[0]] = kv[1]
		}
		put(t, model.KindTargetGroup, t.st.TargetGroups, c.ARN, &c)
		out = withOverrides(targetGroupAttributeDefaults(&c), c.Attributes)
		return nil
	})
	return out, err
}
