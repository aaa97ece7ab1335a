package fix

import (
	"fmt"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// acceptEndpoint: an interface endpoint to an endpoint service that
// requires acceptance waits in pendingAcceptance and carries nothing
// until the service's owner accepts it (PrivateLink guide, "Accept or
// reject connection requests"; AcceptVpcEndpointConnections).
func (f *finder) acceptEndpoint(x reach.Explanation) []Fix {
	if x.Component == nil || x.Component.Type != "vpc-endpoint" {
		return nil
	}
	ep := f.st.VpcEndpoints[model.VpcEndpointID(x.Component.ID)]
	if ep == nil || ep.State != "pendingAcceptance" {
		return nil
	}
	svc, ok := model.VpceServiceID(f.st.Region, ep.ServiceName)
	if !ok || f.st.EndpointServices[svc] == nil {
		return nil
	}
	eid, name := ep.ID, ep.Tags.NameOr(string(ep.ID))
	return []Fix{{
		score: 10, Kind: "vpc-endpoint",
		Title: fmt.Sprintf("Accept the connection of interface endpoint %s to endpoint service %s (pendingAcceptance)", name, svc),
		Detail: "An endpoint service that requires acceptance leaves each new endpoint in pendingAcceptance, carrying nothing, until the service's owner accepts it; " +
			"across accounts the owner runs the command in the service's account. Turning acceptance off (modify-vpc-endpoint-service-configuration --no-acceptance-required) does not accept endpoints already waiting.",
		Commands: []string{fmt.Sprintf("aws ec2 accept-vpc-endpoint-connections --service-id %s --vpc-endpoint-ids %s", svc, eid)},
		Scenario: fmt.Sprintf("vpc_endpoints:\n  %s:\n    accepted: true\n", name),
		apply: func(e *engine.Engine) error {
			items, err := e.SetEndpointConnections(svc, []model.VpcEndpointID{eid}, true)
			if err == nil && len(items) > 0 {
				err = fmt.Errorf("%s: %s", items[0].Code, items[0].Message)
			}
			return err
		},
	}}
}

// privateLinkInboundOff: a Network Load Balancer with security groups
// evaluates their inbound rules on PrivateLink traffic, against the
// client's private address, unless
// EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic is off (NLB guide,
// "Update the security groups for your Network Load Balancer"). Turning
// it off leaves the endpoint's own security groups as the gate.
func (f *finder) privateLinkInboundOff(x reach.Explanation) []Fix {
	if x.Direction != "ingress" || x.NetworkInterface == nil {
		return nil
	}
	eni := f.st.NetworkInterfaces[model.NetworkInterfaceID(x.NetworkInterface.ID)]
	if eni == nil || eni.OwnerKind != model.OwnedByLoadBalancer {
		return nil
	}
	var lb *model.LoadBalancer
	through := false
	for _, h := range f.res.Forward {
		if h.Component != nil && h.Component.Type == "vpc-endpoint" && h.AttachedTo != nil && h.AttachedTo.Type == "load-balancer" {
			lb, through = f.st.LoadBalancers[h.AttachedTo.ARN], true
		}
	}
	if !through || lb == nil || lb.Type != "network" || len(lb.SecurityGroups) == 0 || lb.PrivateLinkInboundOff {
		return nil
	}
	arn, groups := lb.ARN, append([]model.SecurityGroupID(nil), lb.SecurityGroups...)
	ids := make([]string, len(groups))
	for i, g := range groups {
		ids[i] = string(g)
	}
	return []Fix{{
		score: 2, Kind: "load-balancer",
		Title: fmt.Sprintf("Turn off inbound rule evaluation for PrivateLink traffic on Network Load Balancer %s", lb.Name),
		Detail: "The load balancer's security groups then no longer filter connections that arrive through its endpoint service; " +
			"the interface endpoints' own security groups (in the consumers' VPCs) decide who connects.",
		Commands: []string{fmt.Sprintf("aws elbv2 set-security-groups --load-balancer-arn %s --security-groups %s --enforce-security-group-inbound-rules-on-private-link-traffic off",
			arn, strings.Join(ids, " "))},
		Scenario: fmt.Sprintf("load_balancers:\n  %s:\n    enforce_security_group_inbound_rules_on_private_link_traffic: \"off\"\n", lb.Name),
		apply: func(e *engine.Engine) error {
			_, err := e.SetSecurityGroups(arn, groups, "off")
			return err
		},
	}}
}
