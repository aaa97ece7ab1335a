package elbv2

import (
	"fmt"
	"slices"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerOps(add func(string, api.Handler)) {
	add("DescribeSSLPolicies", describeSSLPolicies)
	add("DescribeAccountLimits", describeAccountLimits)
	add("AddListenerCertificates", func(c *api.Call) (map[string]any, error) { return listenerCerts(c, false) })
	add("RemoveListenerCertificates", func(c *api.Call) (map[string]any, error) { return listenerCerts(c, true) })
	add("DescribeListenerCertificates", describeListenerCertificates)
	add("SetIpAddressType", func(c *api.Call) (map[string]any, error) {
		typ, err := c.Engine.SetIPAddressType(c.In.String("LoadBalancerArn"), c.In.String("IpAddressType"))
		if err != nil {
			return nil, err
		}
		return map[string]any{"IpAddressType": typ}, nil
	})
	add("ModifyRule", modifyRule)
	add("SetRulePriorities", setRulePriorities)
	registerMore(add)
}

// The ciphers of AWS's security policies, in AWS's priority order
// (elasticloadbalancing/latest/application/describe-ssl-policies.html).
var (
	tls13Ciphers  = []string{"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}
	ciphers201608 = []string{"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256",
		"ECDHE-RSA-AES128-SHA256", "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-GCM-SHA384",
		"ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA",
		"ECDHE-ECDSA-AES256-SHA", "AES128-GCM-SHA256", "AES128-SHA256", "AES128-SHA", "AES256-GCM-SHA384", "AES256-SHA256", "AES256-SHA"}
	ciphersTLS12 = []string{"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256",
		"ECDHE-RSA-AES128-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-SHA384",
		"ECDHE-RSA-AES256-SHA384", "AES128-GCM-SHA256", "AES128-SHA256", "AES256-GCM-SHA384", "AES256-SHA256"}
	ciphersFS = []string{"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256",
		"ECDHE-RSA-AES128-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-SHA384",
		"ECDHE-RSA-AES256-SHA384"}
	ciphersFSRes = []string{"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
		"ECDHE-RSA-AES256-GCM-SHA384"}
)

type sslPolicy struct {
	name      string
	protocols []string
	ciphers   []string
}

func join(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// sslPolicies are ELBv2's predefined security policies (the common ones;
// every one supports application and network load balancers), in the
// order DescribeSSLPolicies lists them (the AWS CLI's describe-ssl-policies
// example 1, "To list the policies used for SSL negotiation by load
// balancer type": 2016-08, the TLS13 ones, TLS-1-2-2017-01, …; not by
// name).
var sslPolicies = []sslPolicy{
	{"ELBSecurityPolicy-2016-08", []string{"TLSv1", "TLSv1.1", "TLSv1.2"}, ciphers201608},
	{"ELBSecurityPolicy-TLS13-1-2-2021-06", []string{"TLSv1.2", "TLSv1.3"}, join(tls13Ciphers, ciphersFS)},
	{"ELBSecurityPolicy-TLS13-1-2-Res-2021-06", []string{"TLSv1.2", "TLSv1.3"}, join(tls13Ciphers, ciphersFSRes)},
	{"ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", []string{"TLSv1.2", "TLSv1.3"}, join(tls13Ciphers, ciphersTLS12)},
	{"ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", []string{"TLSv1.2", "TLSv1.3"}, join(tls13Ciphers, ciphers201608)},
	{"ELBSecurityPolicy-TLS13-1-1-2021-06", []string{"TLSv1.1", "TLSv1.2", "TLSv1.3"}, join(tls13Ciphers, ciphers201608)},
	{"ELBSecurityPolicy-TLS13-1-0-2021-06", []string{"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}, join(tls13Ciphers, ciphers201608)},
	{"ELBSecurityPolicy-TLS13-1-3-2021-06", []string{"TLSv1.3"}, tls13Ciphers},
	{"ELBSecurityPolicy-TLS-1-2-2017-01", []string{"TLSv1.2"}, ciphersTLS12},
	{"ELBSecurityPolicy-TLS-1-1-2017-01", []string{"TLSv1.1", "TLSv1.2"}, ciphers201608},
	{"ELBSecurityPolicy-TLS-1-2-Ext-2018-06", []string{"TLSv1.2"}, ciphers201608},
	{"ELBSecurityPolicy-2015-05", []string{"TLSv1", "TLSv1.1", "TLSv1.2"}, ciphers201608},
	{"ELBSecurityPolicy-FS-1-2-Res-2019-08", []string{"TLSv1.2"}, ciphersFS},
	{"ELBSecurityPolicy-FS-1-2-Res-2020-10", []string{"TLSv1.2"}, ciphersFSRes},
}

func sslPolicyOut(p sslPolicy) map[string]any {
	ciphers := make([]any, len(p.ciphers))
	for i, c := range p.ciphers {
		ciphers[i] = map[string]any{"Name": c, "Priority": i + 1}
	}
	return map[string]any{"Name": p.name, "SslProtocols": p.protocols, "Ciphers": ciphers,
		"SupportedLoadBalancerTypes": []string{"application", "network"}}
}

func describeSSLPolicies(c *api.Call) (map[string]any, error) {
	names := c.In.Strings("Names")
	if t := c.In.String("LoadBalancerType"); t != "" && t != "application" && t != "network" && t != "gateway" {
		return nil, validation("1 validation error detected: Value '%s' at 'loadBalancerType' failed to satisfy constraint: Member must satisfy enum value set: [application, network, gateway]", t)
	}
	// Each policy keyed by its place in the answer: the order the names
	// are given in, else the catalogue's (sslPolicies) [probable: AWS's
	// Describe operations of named resources answer in the order asked].
	type placed struct {
		at int
		p  sslPolicy
	}
	var items []placed
	if len(names) > 0 {
		for k, n := range names {
			if slices.Contains(names[:k], n) {
				continue // a name given twice is one policy
			}
			i := slices.IndexFunc(sslPolicies, func(p sslPolicy) bool { return p.name == n })
			if i < 0 {
				return nil, apierr.New("SSLPolicyNotFound", "One or more of the specified SSL policies could not be found") // probable
			}
			items = append(items, placed{k, sslPolicies[i]})
		}
	} else if c.In.String("LoadBalancerType") != "gateway" {
		for i, p := range sslPolicies {
			items = append(items, placed{i, p})
		}
	}
	key := func(p placed) string { return fmt.Sprintf("%06d", p.at) }
	items, next, err := page(c.In, items, key)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, p := range items {
		out[i] = sslPolicyOut(p.p)
	}
	return map[string]any{"SslPolicies": out, "NextMarker": next}, nil
}

// elbLimits are ELBv2's default quotas per Region
// (elasticloadbalancing/latest/{application,network}/load-balancer-limits.html).
var elbLimits = [][2]string{
	{"application-load-balancers", "50"},
	{"condition-values-per-alb-rule", "5"},
	{"condition-wildcards-per-alb-rule", "5"},
	{"gateway-load-balancers", "100"},
	{"gateway-load-balancers-per-vpc", "100"},
	{"geneve-target-groups", "100"},
	{"listeners-per-application-load-balancer", "50"},
	{"listeners-per-network-load-balancer", "50"},
	{"network-load-balancers", "50"},
	{"rules-per-application-load-balancer", "100"},
	{"target-groups", "3000"},
	{"target-groups-per-action-on-application-load-balancer", "5"},
	{"target-groups-per-action-on-network-load-balancer", "1"},
	{"target-groups-per-application-load-balancer", "100"},
	{"targets-per-application-load-balancer", "1000"},
	{"targets-per-availability-zone-per-gateway-load-balancer", "300"},
	{"targets-per-availability-zone-per-network-load-balancer", "500"},
	{"targets-per-network-load-balancer", "3000"},
}

func describeAccountLimits(c *api.Call) (map[string]any, error) {
	items, next, err := page(c.In, slices.Clone(elbLimits), func(l [2]string) string { return l[0] })
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, l := range items {
		out[i] = map[string]any{"Name": l[0], "Max": l[1]}
	}
	return map[string]any{"Limits": out, "NextMarker": next}, nil
}

func listenerCerts(c *api.Call, remove bool) (map[string]any, error) {
	in := certsIn(c.In)
	known, err := certsKnown(c, in)
	if err != nil {
		return nil, err
	}
	certs, err := c.Engine.AddListenerCertificates(c.In.String("ListenerArn"), in, remove, known)
	if err != nil {
		return nil, err
	}
	if remove {
		return map[string]any{}, nil
	}
	out := make([]any, len(certs))
	for i, cert := range certs {
		out[i] = map[string]any{"CertificateArn": cert, "IsDefault": false}
	}
	return map[string]any{"Certificates": out}, nil
}

func describeListenerCertificates(c *api.Call) (map[string]any, error) {
	var l *model.Listener
	c.Engine.Read(func(st *model.State) { l = st.Listeners[c.In.String("ListenerArn")] })
	if l == nil {
		return nil, apierr.New("ListenerNotFound", "One or more listeners not found")
	}
	type cert struct {
		arn string
		def bool
	}
	var items []cert
	for i, a := range l.Certificates {
		items = append(items, cert{a, i == 0})
	}
	// The default certificate first, then the others by ARN ([choice]): a
	// key that places each certificate whether or not it is still there.
	key := func(x cert) string {
		if x.def {
			return "0" + x.arn
		}
		return "1" + x.arn
	}
	items, next, err := page(c.In, items, key)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, x := range items {
		out[i] = map[string]any{"CertificateArn": x.arn, "IsDefault": x.def}
	}
	return map[string]any{"Certificates": out, "NextMarker": next}, nil
}

func modifyRule(c *api.Call) (map[string]any, error) {
	transforms, err := transformsIn(c.In.Structs("Transforms"))
	if err != nil {
		return nil, err
	}
	in := engine.ModifyRuleInput{RuleARN: c.In.String("RuleArn"), Transforms: transforms, ResetTransforms: c.In.Bool("ResetTransforms")}
	if c.In.Has("Conditions") {
		if err := checkConditionShapes(c.In.Structs("Conditions")); err != nil {
			return nil, err
		}
		in.Conditions = conditionsIn(c.In.Structs("Conditions"))
		if in.Conditions == nil {
			in.Conditions = []model.RuleCondition{}
		}
	}
	if c.In.Has("Actions") {
		if err := checkClientSecrets(c.In.Structs("Actions")); err != nil {
			return nil, err
		}
		in.Actions = actionsIn(c.In.Structs("Actions"))
		if in.Actions == nil {
			in.Actions = []model.ListenerAction{}
		}
	}
	r, err := c.Engine.ModifyRule(in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Rules": []any{ruleOut(r)}}, nil
}

func setRulePriorities(c *api.Call) (map[string]any, error) {
	var in []engine.RulePriority
	for _, p := range c.In.Structs("RulePriorities") {
		in = append(in, engine.RulePriority{RuleARN: p.String("RuleArn"), Priority: int(p.Int("Priority"))})
	}
	rules, err := c.Engine.SetRulePriorities(in)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(rules))
	for i, r := range rules {
		out[i] = ruleOut(r)
	}
	return map[string]any{"Rules": out}, nil
}
