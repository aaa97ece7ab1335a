package cfn

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// clbNameMax is the longest Classic Load Balancer name.
const clbNameMax = 32

// clbProps are the properties of AWS::ElasticLoadBalancing::LoadBalancer
// (the CloudFormation resource specification).
var clbProps = []string{"AccessLoggingPolicy", "AppCookieStickinessPolicy", "AvailabilityZones", "ConnectionDrainingPolicy",
	"ConnectionSettings", "CrossZone", "HealthCheck", "Instances", "LBCookieStickinessPolicy", "Listeners", "LoadBalancerName",
	"Policies", "Scheme", "SecurityGroups", "Subnets", "Tags"}

// AWS::ElasticLoadBalancing::LoadBalancer, a Classic Load Balancer. Ref:
// the name; Fn::GetAtt CanonicalHostedZoneName, CanonicalHostedZoneNameID,
// DNSName, SourceSecurityGroup.GroupName and SourceSecurityGroup.OwnerAlias.
// Each property is the API call CloudFormation makes for it
// (CreateLoadBalancer, ConfigureHealthCheck, the policy calls,
// ModifyLoadBalancerAttributes, RegisterInstancesWithLoadBalancer); if
// one fails, the load balancer is deleted again.
func createClassicLoadBalancer(c *rctx) error {
	p := c.p
	name, err := c.name("LoadBalancerName", clbNameMax)
	if err != nil {
		return err
	}
	in := engine.CreateClassicLoadBalancerInput{Name: name}
	if in.Scheme, err = p.str("Scheme"); err != nil {
		return err
	}
	if in.AvailabilityZones, err = p.strs("AvailabilityZones"); err != nil {
		return err
	}
	subnets, err := p.strs("Subnets")
	if err != nil {
		return err
	}
	in.Subnets = toSubnetIDs(subnets)
	groups, err := p.strs("SecurityGroups")
	if err != nil {
		return err
	}
	in.SecurityGroups = toGroupIDs(groups)
	// The stack's tags, without the Name tag ecsnet gives other resources:
	// a load balancer is named by its LoadBalancerName, and a Name tag
	// would count toward its 10.
	if in.Tags, err = p.tagList(); err != nil {
		return err
	}
	c.stackTags(in.Tags)
	listeners, err := p.objects("Listeners")
	if err != nil {
		return err
	}
	listenerPolicies := map[int][]string{}
	for _, l := range listeners {
		var cl model.ClassicListener
		if cl.Protocol, err = l.req("Protocol"); err != nil {
			return err
		}
		if cl.LoadBalancerPort, err = l.integer("LoadBalancerPort", 0); err != nil {
			return err
		}
		if cl.InstancePort, err = l.integer("InstancePort", 0); err != nil {
			return err
		}
		if cl.InstanceProtocol, err = l.str("InstanceProtocol"); err != nil {
			return err
		}
		if cl.SSLCertificateID, err = l.str("SSLCertificateId"); err != nil {
			return err
		}
		names, err := l.strs("PolicyNames")
		if err != nil {
			return err
		}
		if len(names) > 0 {
			listenerPolicies[cl.LoadBalancerPort] = names
		}
		in.Listeners = append(in.Listeners, cl)
	}
	if len(in.Subnets) == 0 {
		c.defaultVPC("names zones, not subnets")
	}
	lb, err := c.e().CreateClassicLoadBalancer(in)
	if err != nil {
		key := "Listeners"
		if msg := err.Error(); containsAny(msg, "name") {
			key = "LoadBalancerName"
		} else if containsAny(msg, "ecurity group") {
			key = "SecurityGroups"
		} else if containsAny(msg, "ubnet", "vailability", "zone") {
			key = "Subnets"
			if !p.has(key) {
				key = "AvailabilityZones"
			}
		}
		return p.at(key, err)
	}
	if err := configureClassic(c, name, listenerPolicies); err != nil {
		_ = c.e().DeleteClassicLoadBalancer(name)
		return err
	}
	c.read(func(st *model.State) { lb = st.ClassicLoadBalancers[name] })
	c.setRef(name)
	c.set("DNSName", lb.DNSName)
	c.set("CanonicalHostedZoneName", lb.DNSName)
	cfg := c.e().Config()
	c.set("CanonicalHostedZoneNameID", engine.ClassicHostedZone(cfg.Region))
	group := ""
	c.read(func(st *model.State) {
		if len(lb.SecurityGroups) > 0 && st.SecurityGroups[lb.SecurityGroups[0]] != nil {
			group = st.SecurityGroups[lb.SecurityGroups[0]].Name
		}
	})
	c.set("SourceSecurityGroup.GroupName", group)
	c.set("SourceSecurityGroup.OwnerAlias", cfg.Account)
	return nil
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// configureClassic applies the properties CloudFormation sets after
// CreateLoadBalancer.
func configureClassic(c *rctx, name string, listenerPolicies map[int][]string) error {
	p, e := c.p, c.e()
	if err := classicHealthCheck(c, name); err != nil {
		return err
	}
	// Stickiness policies, then the others.
	for _, kind := range []string{"AppCookieStickinessPolicy", "LBCookieStickinessPolicy"} {
		list, err := p.objects(kind)
		if err != nil {
			return err
		}
		for _, o := range list {
			// Their attributes are derived from the fields
			// (engine.ClassicPolicyAttributes), as for the API's calls.
			pol := model.ClassicPolicy{TypeName: kind + "Type"}
			if pol.Name, err = o.req("PolicyName"); err != nil {
				return err
			}
			if kind == "AppCookieStickinessPolicy" {
				if pol.CookieName, err = o.req("CookieName"); err != nil {
					return err
				}
			} else {
				n, err := o.integer("CookieExpirationPeriod", 0)
				if err != nil {
					return err
				}
				pol.CookieExpirationPeriod = int64(n)
			}
			if err := e.CreateClassicPolicy(name, pol); err != nil {
				return p.at(kind, err)
			}
		}
	}
	policies, err := p.objects("Policies")
	if err != nil {
		return err
	}
	backend := map[int][]string{}
	for _, o := range policies {
		var pol model.ClassicPolicy
		if pol.Name, err = o.req("PolicyName"); err != nil {
			return err
		}
		if pol.TypeName, err = o.req("PolicyType"); err != nil {
			return err
		}
		attrs, err := o.objects("Attributes")
		if err != nil {
			return err
		}
		for _, a := range attrs {
			k, err := a.req("Name")
			if err != nil {
				return err
			}
			v, err := a.str("Value")
			if err != nil {
				return err
			}
			pol.Attributes = append(pol.Attributes, [2]string{k, v})
		}
		if err := e.CreateClassicPolicy(name, pol); err != nil {
			return p.at("Policies", err)
		}
		for key, to := range map[string]map[int][]string{"InstancePorts": backend, "LoadBalancerPorts": listenerPolicies} {
			ports, err := o.strs(key)
			if err != nil {
				return err
			}
			for _, s := range ports {
				n, err := strconv.Atoi(s)
				if err != nil {
					return o.invalid(key, "expected type: Number, found: String (%q)", s)
				}
				to[n] = append(to[n], pol.Name)
			}
		}
	}
	for port, names := range listenerPolicies {
		if err := e.SetClassicListenerPolicies(name, port, names); err != nil {
			return p.at("Listeners", err)
		}
	}
	for port, names := range backend {
		if err := e.SetClassicBackendPolicies(name, port, names); err != nil {
			return p.at("Policies", err)
		}
	}
	if err := classicAttributes(c, name); err != nil {
		return err
	}
	instances, err := p.strs("Instances")
	if err != nil {
		return err
	}
	if len(instances) > 0 {
		ids := make([]model.InstanceID, len(instances))
		for i, s := range instances {
			ids[i] = model.InstanceID(s)
		}
		if _, err := e.RegisterClassicInstances(name, ids, false); err != nil {
			return p.at("Instances", err)
		}
	}
	return nil
}

// classicHealthCheck configures the health check c.p names, if any.
func classicHealthCheck(c *rctx, name string) error {
	p := c.p
	if !p.has("HealthCheck") {
		return nil
	}
	h, err := p.object("HealthCheck")
	if err != nil {
		return err
	}
	var hc model.ClassicHealthCheck
	if hc.Target, err = h.req("Target"); err != nil {
		return err
	}
	for _, f := range []struct {
		key string
		to  *int
	}{{"Interval", &hc.Interval}, {"Timeout", &hc.Timeout}, {"HealthyThreshold", &hc.HealthyThreshold}, {"UnhealthyThreshold", &hc.UnhealthyThreshold}} {
		if _, err := h.req(f.key); err != nil {
			return err
		}
		if *f.to, err = h.integer(f.key, 0); err != nil {
			return err
		}
	}
	if _, err := c.e().ConfigureClassicHealthCheck(name, hc); err != nil {
		return p.at("HealthCheck", err)
	}
	return nil
}

// classicAttributes sets CrossZone, ConnectionDrainingPolicy,
// ConnectionSettings and AccessLoggingPolicy (the attributes of
// ModifyLoadBalancerAttributes, by the names the model keeps them under).
func classicAttributes(c *rctx, name string) error {
	p := c.p
	set := map[string]string{}
	cross, err := p.boolean("CrossZone")
	if err != nil {
		return err
	}
	if cross != nil {
		set["CrossZoneLoadBalancing.Enabled"] = strconv.FormatBool(*cross)
	}
	if p.has("ConnectionDrainingPolicy") {
		o, err := p.object("ConnectionDrainingPolicy")
		if err != nil {
			return err
		}
		on, err := o.boolean("Enabled")
		if err != nil {
			return err
		}
		if on == nil {
			_, err := o.req("Enabled")
			return err
		}
		set["ConnectionDraining.Enabled"] = strconv.FormatBool(*on)
		if o.has("Timeout") {
			n, err := o.integer("Timeout", 0)
			if err != nil {
				return err
			}
			if n < 1 || n > 3600 {
				return o.invalid("Timeout", "ConnectionDraining Timeout must be between 1 and 3600 seconds.")
			}
			set["ConnectionDraining.Timeout"] = strconv.Itoa(n)
		}
	}
	if p.has("ConnectionSettings") {
		o, err := p.object("ConnectionSettings")
		if err != nil {
			return err
		}
		if _, err := o.req("IdleTimeout"); err != nil {
			return err
		}
		n, err := o.integer("IdleTimeout", 0)
		if err != nil {
			return err
		}
		if n < 1 || n > 4000 {
			return o.invalid("IdleTimeout", "IdleTimeout must be between 1 and 4000 seconds.")
		}
		set["ConnectionSettings.IdleTimeout"] = strconv.Itoa(n)
	}
	if p.has("AccessLoggingPolicy") {
		o, err := p.object("AccessLoggingPolicy")
		if err != nil {
			return err
		}
		on, err := o.boolean("Enabled")
		if err != nil {
			return err
		}
		if on == nil {
			_, err := o.req("Enabled")
			return err
		}
		bucket, err := o.req("S3BucketName")
		if err != nil {
			return err
		}
		prefix, err := o.str("S3BucketPrefix")
		if err != nil {
			return err
		}
		n, err := o.integer("EmitInterval", 60)
		if err != nil {
			return err
		}
		if n != 5 && n != 60 {
			return o.invalid("EmitInterval", "EmitInterval must be 5 or 60 minutes.")
		}
		set["AccessLog.Enabled"], set["AccessLog.S3BucketName"], set["AccessLog.S3BucketPrefix"] = strconv.FormatBool(*on), bucket, prefix
		set["AccessLog.EmitInterval"] = strconv.Itoa(n)
	}
	if len(set) == 0 {
		return nil
	}
	_, err = c.e().UpdateClassicLoadBalancer(name, func(lb *model.ClassicLoadBalancer) error {
		if lb.Attributes == nil {
			lb.Attributes = map[string]string{}
		}
		for k, v := range set {
			lb.Attributes[k] = v
		}
		return nil
	})
	return err
}

// updateClassicLoadBalancer changes a Classic Load Balancer in place: its
// zones or subnets, security groups, instances, health check, attributes
// and tags ("Update requires: No interruption" in the
// AWS::ElasticLoadBalancing::LoadBalancer reference).
func updateClassicLoadBalancer(c *rctx, old obj, changed []string) error {
	name, e := c.r.physical, c.e()
	diff := func(key string) (add, remove []string, err error) {
		now, err := c.p.strs(key)
		if err != nil {
			return nil, nil, err
		}
		was, err := old.strs(key)
		if err != nil {
			return nil, nil, err
		}
		return without(now, was), without(was, now), nil
	}
	for _, prop := range changed {
		var err error
		switch prop {
		case "AvailabilityZones":
			add, remove, derr := diff(prop)
			if derr != nil {
				return derr
			}
			if len(add) > 0 {
				_, err = e.SetClassicAvailabilityZones(name, add, false)
			}
			if err == nil && len(remove) > 0 {
				_, err = e.SetClassicAvailabilityZones(name, remove, true)
			}
		case "Subnets":
			add, remove, derr := diff(prop)
			if derr != nil {
				return derr
			}
			if len(add) > 0 {
				_, err = e.SetClassicSubnets(name, toSubnetIDs(add), false)
			}
			if err == nil && len(remove) > 0 {
				_, err = e.SetClassicSubnets(name, toSubnetIDs(remove), true)
			}
		case "SecurityGroups":
			groups, gerr := c.p.strs(prop)
			if gerr != nil {
				return gerr
			}
			_, err = e.SetClassicSecurityGroups(name, toGroupIDs(groups))
		case "Instances":
			add, remove, derr := diff(prop)
			if derr != nil {
				return derr
			}
			if len(add) > 0 {
				_, err = e.RegisterClassicInstances(name, toInstanceIDs(add), false)
			}
			if err == nil && len(remove) > 0 {
				_, err = e.RegisterClassicInstances(name, toInstanceIDs(remove), true)
			}
		case "HealthCheck":
			if err := classicHealthCheck(c, name); err != nil {
				return err // at its line already
			}
		case "CrossZone", "ConnectionDrainingPolicy", "ConnectionSettings", "AccessLoggingPolicy":
			if err := classicAttributes(c, name); err != nil {
				return err
			}
		case "Tags":
			err = retag(c, old, func(ch engine.TagChange) error {
				if _, named := ch.Add["Name"]; named {
					if was, _ := c.p.tagList(); was["Name"] == "" {
						delete(ch.Add, "Name") // ecsnet's own Name tag: not on a load balancer
					}
				}
				return e.TagClassicLoadBalancers([]string{name}, ch)
			})
		}
		if err != nil {
			return c.p.at(prop, err)
		}
	}
	return nil
}

// without returns the items of a not in b.
func without(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

func toInstanceIDs(ss []string) []model.InstanceID {
	out := make([]model.InstanceID, len(ss))
	for i, s := range ss {
		out[i] = model.InstanceID(s)
	}
	return out
}
