package terraform

import (
	"strconv"

	"github.com/zclconf/go-cty/cty"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// aws_elb: a Classic Load Balancer. The provider's defaults:
// cross_zone_load_balancing true, idle_timeout 60, connection_draining
// false (timeout 300); internal false.
func createClassicLoadBalancer(c *rctx) error {
	// availability_zones, subnets and security_groups are sets.
	in := engine.CreateClassicLoadBalancerInput{Name: c.name(32), AvailabilityZones: c.o.strSet("availability_zones"),
		Subnets: subnetIDs(c.o.strSet("subnets")), SecurityGroups: groupIDs(c.o.strSet("security_groups")), Tags: c.plainTags()}
	if c.o.flag("internal") {
		in.Scheme = "internal"
	}
	if len(in.Subnets) == 0 && len(in.AvailabilityZones) > 0 {
		// By zones: the load balancer goes in the default VPC's default
		// subnets, which exist in every account (an ELB the configuration
		// creates before anything else names the default VPC).
		if _, err := c.defaultVPC(); err != nil {
			return err
		}
	}
	for _, l := range c.o.blocks("listener") {
		ip, err := l.integer("instance_port", 0)
		if err != nil {
			return err
		}
		lp, err := l.integer("lb_port", 0)
		if err != nil {
			return err
		}
		in.Listeners = append(in.Listeners, model.ClassicListener{Protocol: l.str("lb_protocol"), LoadBalancerPort: lp,
			InstanceProtocol: l.str("instance_protocol"), InstancePort: ip, SSLCertificateID: l.str("ssl_certificate_id")})
	}
	e := c.e()
	lb, err := e.CreateClassicLoadBalancer(in)
	if err != nil {
		return c.fail("listener", err)
	}
	if err := c.configureClassic(lb.Name); err != nil {
		_ = e.DeleteClassicLoadBalancer(lb.Name)
		return err
	}
	cfg := e.Config()
	c.created(lb.Name, lb.Name)
	c.set("name", lb.Name)
	c.set("arn", model.ClassicLoadBalancerARN(cfg.Region, cfg.Account, lb.Name))
	c.set("dns_name", lb.DNSName)
	c.set("zone_id", engine.ClassicHostedZone(cfg.Region))
	if len(lb.SecurityGroups) > 0 {
		c.set("source_security_group_id", string(lb.SecurityGroups[0]))
	}
	return nil
}

// configureClassic applies health_check, the attributes and instances.
func (c *rctx) configureClassic(name string) error {
	e := c.e()
	if hc := c.o.block("health_check"); hc.v != cty.NilVal {
		var h model.ClassicHealthCheck
		h.Target = hc.str("target")
		for _, f := range []struct {
			key string
			to  *int
		}{{"interval", &h.Interval}, {"timeout", &h.Timeout}, {"healthy_threshold", &h.HealthyThreshold}, {"unhealthy_threshold", &h.UnhealthyThreshold}} {
			n, err := hc.integer(f.key, 0)
			if err != nil {
				return err
			}
			*f.to = n
		}
		if _, err := e.ConfigureClassicHealthCheck(name, h); err != nil {
			return c.fail("health_check", err)
		}
	}
	set := map[string]string{"CrossZoneLoadBalancing.Enabled": "true"}
	if b, err := c.o.boolean("cross_zone_load_balancing"); err != nil {
		return err
	} else if b != nil {
		set["CrossZoneLoadBalancing.Enabled"] = strconv.FormatBool(*b)
	}
	if c.o.has("idle_timeout") {
		n, err := c.o.integer("idle_timeout", 60)
		if err != nil {
			return err
		}
		if n < 1 || n > 4000 {
			return c.errf("idle_timeout", "expected idle_timeout to be in the range (1 - 4000), got %d", n)
		}
		set["ConnectionSettings.IdleTimeout"] = strconv.Itoa(n)
	}
	if c.o.flag("connection_draining") {
		set["ConnectionDraining.Enabled"] = "true"
	}
	if c.o.has("connection_draining_timeout") {
		n, err := c.o.integer("connection_draining_timeout", 300)
		if err != nil {
			return err
		}
		set["ConnectionDraining.Timeout"] = strconv.Itoa(n)
	}
	if _, err := e.UpdateClassicLoadBalancer(name, func(lb *model.ClassicLoadBalancer) error {
		if lb.Attributes == nil {
			lb.Attributes = map[string]string{}
		}
		for k, v := range set {
			lb.Attributes[k] = v
		}
		return nil
	}); err != nil {
		return err
	}
	if ids := c.o.strSet("instances"); len(ids) > 0 {
		var list []model.InstanceID
		for _, id := range ids {
			list = append(list, model.InstanceID(id))
		}
		if _, err := e.RegisterClassicInstances(name, list, false); err != nil {
			return c.fail("instances", err)
		}
	}
	return nil
}
