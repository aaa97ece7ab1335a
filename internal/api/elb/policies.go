package elb

import (
	"slices"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// registerPolicies adds policies, Availability Zones and listener
// certificates.
func registerPolicies(add func(string, api.Handler)) {
	add("CreateLoadBalancerPolicy", func(c *api.Call) (map[string]any, error) {
		p := model.ClassicPolicy{Name: c.In.String("PolicyName"), TypeName: c.In.String("PolicyTypeName")}
		for _, a := range c.In.Structs("PolicyAttributes") {
			p.Attributes = append(p.Attributes, [2]string{a.String("AttributeName"), a.String("AttributeValue")})
		}
		return nil, c.Engine.CreateClassicPolicy(c.In.String("LoadBalancerName"), p)
	})
	add("CreateLBCookieStickinessPolicy", func(c *api.Call) (map[string]any, error) {
		p := model.ClassicPolicy{Name: c.In.String("PolicyName"), TypeName: "LBCookieStickinessPolicyType",
			CookieExpirationPeriod: c.In.Int("CookieExpirationPeriod")}
		return nil, c.Engine.CreateClassicPolicy(c.In.String("LoadBalancerName"), p)
	})
	add("CreateAppCookieStickinessPolicy", func(c *api.Call) (map[string]any, error) {
		p := model.ClassicPolicy{Name: c.In.String("PolicyName"), TypeName: "AppCookieStickinessPolicyType", CookieName: c.In.String("CookieName")}
		if p.CookieName == "" {
			return nil, validation("1 validation error detected: Value null at 'cookieName' failed to satisfy constraint: Member must not be null")
		}
		return nil, c.Engine.CreateClassicPolicy(c.In.String("LoadBalancerName"), p)
	})
	add("DeleteLoadBalancerPolicy", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.DeleteClassicPolicy(c.In.String("LoadBalancerName"), c.In.String("PolicyName"))
	})
	add("DescribeLoadBalancerPolicies", describePolicies)
	add("DescribeLoadBalancerPolicyTypes", describePolicyTypes)
	add("SetLoadBalancerPoliciesOfListener", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.SetClassicListenerPolicies(c.In.String("LoadBalancerName"), int(c.In.Int("LoadBalancerPort")), c.In.Strings("PolicyNames"))
	})
	add("SetLoadBalancerPoliciesForBackendServer", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.SetClassicBackendPolicies(c.In.String("LoadBalancerName"), int(c.In.Int("InstancePort")), c.In.Strings("PolicyNames"))
	})
	add("SetLoadBalancerListenerSSLCertificate", func(c *api.Call) (map[string]any, error) {
		if err := checkCertificates(c, model.ClassicListener{SSLCertificateID: c.In.String("SSLCertificateId")}); err != nil {
			return nil, err
		}
		return nil, c.Engine.SetClassicListenerCertificate(c.In.String("LoadBalancerName"), int(c.In.Int("LoadBalancerPort")), c.In.String("SSLCertificateId"))
	})
	add("EnableAvailabilityZonesForLoadBalancer", func(c *api.Call) (map[string]any, error) { return zones(c, false) })
	add("DisableAvailabilityZonesForLoadBalancer", func(c *api.Call) (map[string]any, error) { return zones(c, true) })
}

func zones(c *api.Call, disable bool) (map[string]any, error) {
	lb, err := c.Engine.SetClassicAvailabilityZones(c.In.String("LoadBalancerName"), c.In.Strings("AvailabilityZones"), disable)
	if err != nil {
		return nil, err
	}
	return map[string]any{"AvailabilityZones": lb.AvailabilityZones}, nil
}

func policyOut(p model.ClassicPolicy) map[string]any {
	attrs := []any{}
	for _, kv := range engine.ClassicPolicyAttributes(p) {
		attrs = append(attrs, map[string]any{"AttributeName": kv[0], "AttributeValue": kv[1]})
	}
	return map[string]any{"PolicyName": p.Name, "PolicyTypeName": p.TypeName, "PolicyAttributeDescriptions": attrs}
}

// describePolicies lists a load balancer's policies; without a load
// balancer, the predefined security policies and the sample ones (each
// named must be one).
func describePolicies(c *api.Call) (map[string]any, error) {
	name := c.In.String("LoadBalancerName")
	out := []any{}
	if name == "" {
		predefined := engine.ClassicPredefinedPolicies()
		names := c.In.Strings("PolicyNames")
		for _, n := range names {
			if !slices.ContainsFunc(predefined, func(p model.ClassicPolicy) bool { return p.Name == n }) {
				return nil, apierr.New("PolicyNotFound", "There is no policy with name "+n) // [choice]: the load balancer's text without one
			}
		}
		for _, p := range predefined {
			if len(names) == 0 || slices.Contains(names, p.Name) {
				out = append(out, policyOut(p))
			}
		}
		return map[string]any{"PolicyDescriptions": out}, nil
	}
	ps, err := c.Engine.ClassicPolicies(name, c.In.Strings("PolicyNames"))
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		out = append(out, policyOut(p))
	}
	return map[string]any{"PolicyDescriptions": out}, nil
}

func describePolicyTypes(c *api.Call) (map[string]any, error) {
	want := c.In.Strings("PolicyTypeNames")
	out := []any{}
	types := engine.ClassicPolicyTypes()
	for _, n := range want {
		if !slices.ContainsFunc(types, func(t engine.ClassicPolicyType) bool { return t.Name == n }) {
			return nil, apierr.New("PolicyTypeNotFound", "There is no policy type with name "+n) // probable
		}
	}
	for _, t := range types {
		if len(want) > 0 && !slices.Contains(want, t.Name) {
			continue
		}
		attrs := make([]any, len(t.Attributes))
		for i, a := range t.Attributes {
			x := map[string]any{"AttributeName": a.Name, "AttributeType": a.Type, "Cardinality": a.Cardinality}
			if a.Default != "" {
				x["DefaultValue"] = a.Default
			}
			attrs[i] = x
		}
		out = append(out, map[string]any{"PolicyTypeName": t.Name, "Description": t.Description, "PolicyAttributeTypeDescriptions": attrs})
	}
	return map[string]any{"PolicyTypeDescriptions": out}, nil
}
