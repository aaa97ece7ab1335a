package reach

import (
	"net/netip"
	"net/url"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// IdPResponsePath is the path an Application Load Balancer's
// authenticate-oidc and authenticate-cognito actions take the identity
// provider's redirect back on (the redirect URI the IdP must be given:
// https://DOMAIN/oauth2/idpresponse).
const IdPResponsePath = "/oauth2/idpresponse"

// idpExchange handles the identity provider's redirect back to an ALB
// whose action list authenticates: on IdPResponsePath the load balancer
// itself calls the IdP's token endpoint (then its user info endpoint)
// over HTTPS from its nodes, "the load balancer must be able to
// communicate with the IdP token endpoint … and the IdP user info
// endpoint", through its security groups, its subnets' network ACLs and
// route table (an internet gateway for an internet-facing load balancer,
// a NAT gateway for an internal one); when it cannot, the client gets
// HTTP 500 (ELB user guide, "Authenticate users using an Application Load
// Balancer"; AWS re:Post Knowledge Center, "elb-configure-authentication-alb":
// "HTTP 500: Internal Server Error … Add an outbound rule to allow traffic
// to the IdP endpoints over HTTPS (port 443)"). When it can, the load
// balancer sets its session cookie and redirects the client to the URL it
// first asked for (302). Other paths: the client is taken to be signed in
// (model.ListenerAction.Authenticate). It reports whether it answered.
func (t *tracer) idpExchange(node *eniNode, l *listenerNode, q *Query, actions []model.ListenerAction, fwd *[]Hop, out *lbOutcome) bool {
	var auth *model.ListenerAction
	for i := range actions {
		if (actions[i].Type == "authenticate-oidc" || actions[i].Type == "authenticate-cognito") && actions[i].Authenticate != nil {
			auth = &actions[i]
		}
	}
	if auth == nil || q.request(l.lb).path != IdPResponsePath {
		return false
	}
	host := idpTokenHost(auth, t.n.st.Region)
	ep, ok := t.n.resolveOutside(host, Endpoint{Kind: KindInternetHost, Spec: host + ":443", Port: 443})
	if !ok {
		ep = Endpoint{Kind: KindInternetHost, Name: host, ID: host, svcName: host}
	}
	addr, _, _ := t.n.outsideAddr(&ep, node)
	from := Endpoint{Kind: KindLoadBalancer, Spec: l.lb.lb.Name, Name: l.lb.lb.Name + " node " + node.eni.AvailabilityZone, ID: l.lb.lb.Name, ARN: l.lb.lb.ARN,
		Address: node.primary, eni: node, lb: l.lb}
	to := ep
	to.Address, to.Port = addr, 443
	res := &Result{From: &from, To: &to, Protocol: "tcp", Port: 443, ClientPort: DefaultClientPort, Forward: make([]Hop, 0, 12), Return: make([]Hop, 0, 12)}
	sub := &tracer{n: t.n, res: res, proto: model.TCP, clientPort: DefaultClientPort}
	f := flow{srcENI: node, src: node.primary, srcRef: node, sport: DefaultClientPort, dst: addr, dport: 443}
	v, fs := sub.connect(&f, &res.Forward, &res.Return)
	p := t.pkt(node.primary, t.clientPort, netip.Addr{}, 0)
	if v == Connected && !fs.blocked {
		out.verdict, out.what = HTTPVerdict(302), "redirect"
		t.add(fwd, false, Hop{Action: ActionResponded, Component: l.comp, Packet: p, Note: "the IdP's token exchanged: session cookie set, redirect to the URL first asked for"})
		return true
	}
	out.verdict, out.what = HTTPVerdict(500), "authenticate"
	seq := t.add(fwd, false, Hop{Action: ActionResponded, Blocked: true, Component: l.comp, Packet: p, Note: "the IdP's token endpoint is out of reach"})
	why := strings.TrimSuffix(sub.finish(&fs, v, nil).Summary, ".")
	// The component that stopped the token call (a security group, a
	// network ACL, a route table), for the fixes that act on it.
	var decided *Component
	for _, x := range res.Explanations {
		if x.Blocking && decided == nil {
			decided = x.Component
		}
	}
	t.block(&out.backend, HTTPVerdict(500), func() Explanation {
		m := "the listener " + l.comp.Name + " authenticates (" + auth.Type + "): on " + IdPResponsePath + " the load balancer calls the IdP's token endpoint " + host +
			":443 from its node " + node.primary.String() + ", and cannot: " + why + "; it answers 500 Internal Server Error. Let the load balancer's security groups, " +
			"its subnets' network ACLs and route table carry HTTPS to the IdP (an internet gateway for an internet-facing load balancer, a NAT gateway for an internal one)"
		return Explanation{Code: CodeALBIdPUnreachable, Path: "forward", Hop: seq, Component: l.comp, Decided: decided, Address: addr, Port: 443, Message: m, clause: m}
	})
	return true
}

// idpTokenHost is the host of the identity provider's token endpoint: an
// OIDC provider's TokenEndpoint URL, or a Cognito user pool domain's
// (DOMAIN.auth.REGION.amazoncognito.com; a custom domain as given).
func idpTokenHost(a *model.ListenerAction, region string) string {
	c := a.Authenticate
	if a.Type == "authenticate-cognito" {
		if strings.Contains(c.UserPoolDomain, ".") {
			return c.UserPoolDomain
		}
		return c.UserPoolDomain + ".auth." + region + ".amazoncognito.com"
	}
	if u, err := url.Parse(c.TokenEndpoint); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return c.TokenEndpoint
}
