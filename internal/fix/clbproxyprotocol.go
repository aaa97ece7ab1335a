package fix

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// clbProxyPolicy is the name the fixes give a new ProxyProtocolPolicyType
// policy (the scenario key proxy_protocol makes the same).
const clbProxyPolicy = "ProxyProtocol-policy"

// classicProxyProtocolFixes: a Classic Load Balancer and its instances'
// application disagree on the proxy protocol line
// (reach.CodeClassicProxyProtocolMismatch). Either the load balancer
// follows the application (the ProxyProtocolPolicyType policy off the
// instance port, or a new one on it: the ELB guide's
// create-load-balancer-policy and set-load-balancer-policies-for-backend-server
// steps), or the application follows the load balancer (a new task
// definition revision standing for nginx's listen … proxy_protocol,
// redeployed). Each is verified: the probe is answered.
func (f *finder) classicProxyProtocolFixes(x reach.Explanation) []Fix {
	if x.Component == nil || x.Port == 0 {
		return nil
	}
	lb := f.st.ClassicLoadBalancers[x.Component.ID]
	if lb == nil {
		return nil
	}
	name, port := lb.Name, int(x.Port)
	var proxy []string
	for _, p := range lb.BackendPolicies[port] {
		if i := slices.IndexFunc(lb.Policies, func(y model.ClassicPolicy) bool { return y.Name == p }); i >= 0 && lb.Policies[i].TypeName == "ProxyProtocolPolicyType" {
			proxy = append(proxy, p)
		}
	}
	on := len(proxy) > 0
	var out []Fix
	if on {
		rest := slices.DeleteFunc(slices.Clone(lb.BackendPolicies[port]), func(p string) bool { return slices.Contains(proxy, p) })
		names := `"[]"`
		if len(rest) > 0 {
			names = strings.Join(rest, " ")
		}
		out = append(out, Fix{
			score: 20, Kind: "load-balancer",
			Title:    fmt.Sprintf("Turn proxy protocol off for instance port %d on Classic Load Balancer %s, as its instances' application expects", port, name),
			Detail:   "The application does not read a PROXY line; it then sees the load balancer's node as the connection's source (the client's address is lost on TCP listeners).",
			Commands: []string{fmt.Sprintf("aws elb set-load-balancer-policies-for-backend-server --load-balancer-name %s --instance-port %d --policy-names %s", name, port, names)},
			Scenario: fmt.Sprintf("load_balancers:\n  %s:\n    proxy_protocol: []   # instance port %d off\n", name, port),
			apply: func(e *engine.Engine) error {
				return e.SetClassicBackendPolicies(name, port, rest)
			},
		})
	} else {
		out = append(out, Fix{
			score: 20, Kind: "load-balancer",
			Title:  fmt.Sprintf("Turn proxy protocol on for instance port %d on Classic Load Balancer %s, as its instances' application expects", port, name),
			Detail: "The load balancer then prepends a proxy protocol v1 line to each connection of its TCP and SSL listeners to the port (not to HTTP or HTTPS health checks).",
			Commands: []string{
				fmt.Sprintf("aws elb create-load-balancer-policy --load-balancer-name %s --policy-name %s --policy-type-name ProxyProtocolPolicyType --policy-attributes AttributeName=ProxyProtocol,AttributeValue=true", name, clbProxyPolicy),
				fmt.Sprintf("aws elb set-load-balancer-policies-for-backend-server --load-balancer-name %s --instance-port %d --policy-names %s", name, port, strings.Join(append(slices.Clone(lb.BackendPolicies[port]), clbProxyPolicy), " ")),
			},
			Scenario: fmt.Sprintf("load_balancers:\n  %s:\n    proxy_protocol: [%d]\n", name, port),
			apply: func(e *engine.Engine) error {
				if err := e.CreateClassicPolicy(name, model.ClassicPolicy{Name: clbProxyPolicy, TypeName: "ProxyProtocolPolicyType", Attributes: [][2]string{{"ProxyProtocol", "true"}}}); err != nil {
					return err
				}
				return e.SetClassicBackendPolicies(name, port, append(slices.Clone(lb.BackendPolicies[port]), clbProxyPolicy))
			},
		})
	}
	// The application's own setting: the services registered with the
	// load balancer.
	return append(out, f.proxyProtocolAppFixes(func(l model.ServiceLoadBalancer) bool { return l.LoadBalancerName == name }, on, [2]string{
		"stop expecting a PROXY line (nginx: listen without proxy_protocol)",
		"read the proxy protocol v1 line the load balancer sends (nginx: listen … proxy_protocol; HAProxy: accept-proxy)",
	}, "The Classic Load Balancer's policies on instance port "+strconv.Itoa(port)+" decide whether each connection starts with a PROXY line; the application must read exactly what it sends.")...)
}
