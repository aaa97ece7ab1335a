package fix

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// idpEgress: an ALB that authenticates cannot reach the identity
// provider's token endpoint from its nodes (reach.CodeALBIdPUnreachable).
// When none of its security groups lets HTTPS out to the IdP, an egress
// rule for tcp/443 to 0.0.0.0/0 on its first group does ("Add an outbound
// rule to allow traffic to the IdP endpoints over HTTPS (port 443)", AWS
// re:Post Knowledge Center, elb-configure-authentication-alb; the IdP's
// addresses are not fixed). A route table without a way out (an internal
// load balancer's subnets without a NAT gateway) gets a NAT gateway
// ("For internal load balancers … configure a NAT gateway"); a network
// ACL is left to the probe of the token endpoint the explanation
// describes.
func (f *finder) idpEgress(x reach.Explanation) []Fix {
	if x.Component == nil || x.Component.Type != "listener" {
		return nil
	}
	l := f.st.Listeners[x.Component.ARN]
	if l == nil {
		return nil
	}
	lb := f.st.LoadBalancers[l.LoadBalancerARN]
	if lb == nil || len(lb.SecurityGroups) == 0 {
		return nil
	}
	if x.Decided != nil && x.Decided.Type == "route-table" {
		// No way out of the load balancer's subnets (an internal one's
		// without a NAT gateway): one, as for any private subnet.
		return f.natForRoute(reach.Explanation{Code: reach.CodeNoRouteToDestination, Component: x.Decided, Address: x.Address, Port: x.Port})
	}
	if x.Decided == nil || x.Decided.Type != "security-group" {
		return nil // a network ACL: the probe of the token endpoint's
	}
	sg := f.preferredGroup(lb.SecurityGroups)
	if sg == "" {
		return nil
	}
	port := 443
	perm := engine.IPPermission{Protocol: "tcp", FromPort: &port, ToPort: &port, CIDRs: []engine.RuleSource{{Value: "0.0.0.0/0", Description: "the identity provider's endpoints"}}}
	name := f.groupName(sg)
	return []Fix{{
		score: 10, Kind: "security-group",
		Title: fmt.Sprintf("Allow tcp/443 to 0.0.0.0/0 on security group %s (egress of load balancer %s), so it reaches the identity provider's token endpoint", name, lb.Name),
		Detail: "The load balancer itself calls the IdP's token and user info endpoints when the IdP redirects the client back to /oauth2/idpresponse; " +
			"the IdP's addresses are its own and change, so the rule names no narrower range.",
		Commands: []string{fmt.Sprintf("aws ec2 authorize-security-group-egress --group-id %s --protocol tcp --port 443 --cidr 0.0.0.0/0", sg)},
		Scenario: fmt.Sprintf("security_groups:\n  %s:\n    egress:\n      - {protocol: tcp, ports: 443, cidr: 0.0.0.0/0}\n", name),
		apply: func(e *engine.Engine) error {
			_, err := e.AuthorizeSecurityGroup(sg, true, []engine.IPPermission{perm})
			return err
		},
	}}
}
