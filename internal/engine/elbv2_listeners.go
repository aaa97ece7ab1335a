package engine

import (
	"cmp"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Listener limits and defaults.
const (
	maxListenersPerLB = 50
	maxRulePriority   = 50000
	maxForwardTGs     = 5
	// defaultSSLPolicy is the policy HTTPS and TLS listeners get when the
	// request names none (the API's long-standing default; UNVERIFIED that
	// it is still the default today).
	defaultSSLPolicy = "ELBSecurityPolicy-2016-08"
)

// listenerProtocols returns the listener protocols of a load balancer type,
// in the order AWS lists them in its error message (the NLB order is from a
// real message; the ALB order is UNVERIFIED).
func listenerProtocols(lbType string) []string {
	if lbType == lbNetwork {
		return []string{"UDP", "TCP", "TCP_UDP", "TLS"}
	}
	// In AWS's order: "Listener protocol 'TCP' must be one of 'HTTPS, HTTP'"
	// (hashicorp/terraform-provider-aws issue 6173).
	return []string{"HTTPS", "HTTP"}
}

// CreateListenerInput is CreateListener's input.
type CreateListenerInput struct {
	LoadBalancerARN string
	Protocol        string
	Port            uint16
	DefaultActions  []model.ListenerAction
	Certificates    []string // certificate ARNs; HTTPS and TLS need one
	SSLPolicy       string
	// MutualAuth is the HTTPS listener's mutual TLS setting (nil: off);
	// AlpnPolicy a TLS listener's ALPN policy.
	MutualAuth *MutualAuthInput
	AlpnPolicy []string
	Tags       model.Tags
	TagOrder   []string // Tags' keys in the request's order
	// CertificateKnown tells whether a certificate ARN names a certificate
	// (IAM or ACM); nil accepts every ARN.
	CertificateKnown func(arn string) bool
}

// CreateListener adds a listener to a load balancer, as AWS does:
//   - ALBs listen on HTTP or HTTPS, NLBs on TCP, TLS, UDP or TCP_UDP;
//     HTTPS and TLS need a certificate; a Gateway Load Balancer's listener
//     takes neither protocol nor port (it listens to all IP packets on all
//     ports) and forwards to a GENEVE target group;
//   - one listener per port (DuplicateListener; repeating an identical
//     request returns the existing listener);
//   - default actions forward (to one target group or a weighted
//     ForwardConfig), return a fixed response or redirect (ALB only); a
//     forwarded-to target group must exist, be in the load balancer's VPC,
//     speak a compatible protocol and not already serve another load
//     balancer.
func (e *Engine) CreateListener(in CreateListenerInput) (*model.Listener, error) {
	var out *model.Listener
	err := e.write(func(t *txn) error {
		lb, err := t.loadBalancer(in.LoadBalancerARN)
		if err != nil {
			return err
		}
		if err := t.checkCertificatesKnown(in.CertificateKnown, in.Certificates); err != nil {
			return err
		}
		if err := checkListenerProtocol(lb, in.Protocol, in.Port, in.Certificates); err != nil {
			return err
		}
		actions, err := t.checkActions(lb, in.Protocol, in.Port, in.DefaultActions, "defaultActions")
		if err != nil {
			return err
		}
		l := &model.Listener{LoadBalancerARN: lb.ARN, Port: in.Port, Protocol: in.Protocol, DefaultActions: actions,
			Certificates: slices.Clone(in.Certificates), Tags: in.Tags.Clone(), TagOrder: model.TagOrderAfter(nil, in.TagOrder, in.Tags)}
		if l.MutualAuth, err = t.checkMutualAuth(in.Protocol, in.MutualAuth); err != nil {
			return err
		}
		if l.AlpnPolicy, err = checkAlpn(in.Protocol, in.AlpnPolicy); err != nil {
			return err
		}
		if in.Protocol == "HTTPS" || in.Protocol == "TLS" {
			l.SSLPolicy = in.SSLPolicy
			if l.SSLPolicy == "" {
				l.SSLPolicy = defaultSSLPolicy
			}
		}
		count := 0
		for _, old := range sortedValues(t.st.Listeners) {
			if old.LoadBalancerARN != lb.ARN {
				continue
			}
			count++
			if old.Port == in.Port {
				if old.Protocol == l.Protocol && reflect.DeepEqual(old.DefaultActions, l.DefaultActions) &&
					slices.Equal(old.Certificates, l.Certificates) && old.SSLPolicy == l.SSLPolicy {
					out = old
					return nil
				}
				return errDuplicateListener(lb.ARN)
			}
		}
		if count >= maxListenersPerLB {
			return apierr.New("TooManyListeners", "You've reached the limit on the number of listeners per load balancer") // model doc text
		}
		name, id := lbNameID(lb.ARN)
		l.ARN = t.e.cfg.arn("elasticloadbalancing", fmt.Sprintf("listener/%s/%s/%s/%s",
			lbARNSegment(lb.Type), name, id, t.e.ids.Hex(16)))
		put(t, model.KindListener, t.st.Listeners, l.ARN, l)
		out = l
		return nil
	})
	return out, err
}

// checkListenerProtocol validates a listener's protocol, port and
// certificates for its load balancer.
func checkListenerProtocol(lb *model.LoadBalancer, protocol string, port uint16, certs []string) error {
	if lb.Type == lbGateway {
		// "You can't specify a protocol [a port] for a Gateway Load
		// Balancer" (CreateListenerInput); the texts are UNVERIFIED.
		if protocol != "" {
			return errELBValidation("Protocol cannot be specified for listeners of a Gateway Load Balancer")
		}
		if port != 0 {
			return errELBValidation("Port cannot be specified for listeners of a Gateway Load Balancer")
		}
		return nil
	}
	if protocol == "" {
		return errELBValidation("A protocol must be specified") // UNVERIFIED for listeners
	}
	allowed := listenerProtocols(lb.Type)
	if !slices.Contains(allowed, protocol) {
		return errELBValidation("Listener protocol '%s' must be one of '%s'", protocol, strings.Join(allowed, ", "))
	}
	if port == 0 {
		return errELBValidation("A port must be specified") // UNVERIFIED for listeners
	}
	if (protocol == "HTTPS" || protocol == "TLS") && len(certs) == 0 {
		return errELBValidation("A certificate must be specified for %s listeners", protocol)
	}
	return nil
}

// checkActions validates listener or rule actions for a load balancer and
// listener protocol, returning them with their orders filled in.
func (t *txn) checkActions(lb *model.LoadBalancer, protocol string, port uint16, actions []model.ListenerAction, field string) ([]model.ListenerAction, error) {
	if len(actions) == 0 {
		return nil, errELBValidation("1 validation error detected: Value '[]' at '%s' failed to satisfy constraint: Member must have length greater than or equal to 1", field)
	}
	out := make([]model.ListenerAction, 0, len(actions))
	for i, a := range actions {
		switch a.Type {
		case "forward", "fixed-response", "redirect", "authenticate-oidc", "authenticate-cognito", "jwt-validation":
		default:
			return nil, errELBEnum(a.Type, field+".member.type", "forward", "authenticate-oidc", "authenticate-cognito", "redirect", "fixed-response", "jwt-validation")
		}
		if lb.Type != lbApplication && a.Type != "forward" {
			return nil, apierr.Newf("InvalidLoadBalancerAction", "Action type '%s' is not supported for load balancers of type '%s'", a.Type, lb.Type) // UNVERIFIED text
		}
		c := a
		c.TargetGroups = slices.Clone(a.TargetGroups)
		if c.Order == 0 && len(actions) > 1 {
			c.Order = i + 1 // a lone action without one stays without (AWS answers none)
		}
		switch a.Type {
		case "forward":
			if err := t.checkForward(lb, protocol, &c); err != nil {
				return nil, err
			}
		case "fixed-response":
			if a.FixedResponse == nil || !fixedStatusOK(a.FixedResponse.StatusCode) {
				code := ""
				if a.FixedResponse != nil {
					code = a.FixedResponse.StatusCode
				}
				return nil, errELBValidation("1 validation error detected: Value '%s' at 'fixedResponseConfig.statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(2|4|5)\\d\\d$", code)
			}
			switch a.FixedResponse.ContentType {
			case "", "text/plain", "text/css", "text/html", "application/javascript", "application/json":
			default:
				// The valid values are the model's; the text is moto's (UNVERIFIED).
				return nil, apierr.New("InvalidLoadBalancerAction", "The ContentType must be one of:'text/html', 'application/json', 'application/javascript', 'text/css', 'text/plain'")
			}
			fr := *a.FixedResponse
			c.FixedResponse = &fr
		case "authenticate-oidc", "authenticate-cognito":
			auth, err := checkAuthenticate(a, protocol)
			if err != nil {
				return nil, err
			}
			c.Authenticate = auth
		case "jwt-validation":
			jwt, err := checkJwtValidation(a, protocol)
			if err != nil {
				return nil, err
			}
			c.JwtValidation = jwt
		case "redirect":
			code := a.Redirect["StatusCode"]
			if code != "HTTP_301" && code != "HTTP_302" {
				return nil, errELBEnum(code, "redirectConfig.statusCode", "HTTP_301", "HTTP_302")
			}
			if redirectLoops(a.Redirect, protocol, port) {
				// [obs] kubernetes-sigs/aws-load-balancer-controller#487, #1752.
				return nil, apierr.New("InvalidLoadBalancerAction", "The redirect configuration is not valid because it creates a loop.")
			}
			c.Redirect = maps.Clone(a.Redirect)
		}
		out = append(out, c)
	}
	terminal := 0
	for _, a := range out {
		if a.Type == "forward" || a.Type == "fixed-response" || a.Type == "redirect" {
			terminal++
		}
	}
	if terminal == 0 {
		return nil, apierr.New("InvalidLoadBalancerAction", "An authenticate action must be followed by a forward, fixed-response or redirect action") // probable
	}
	if terminal != 1 {
		return nil, apierr.New("InvalidLoadBalancerAction", "Only one forward, fixed-response or redirect action can be specified") // UNVERIFIED text
	}
	slices.SortStableFunc(out, func(a, b model.ListenerAction) int { return a.Order - b.Order })
	if last := out[len(out)-1].Type; last != "forward" && last != "fixed-response" && last != "redirect" {
		return nil, apierr.New("InvalidLoadBalancerAction", "An authenticate action must be followed by a forward, fixed-response or redirect action") // probable
	}
	return out, nil
}

// redirectLoops reports whether a redirect of a listener (protocol, port)
// sends a request back to the URL it came from: the API reference's
// RedirectActionConfig wants at least one of the protocol, hostname, port
// or path modified ("Any components that you do not modify retain their
// original values"; a changed query alone still loops). A component left
// out, given as its own keyword (#{protocol}, #{port}, #{host}, /#{path}) or
// as the listener's own protocol or port is not modified.
func redirectLoops(cfg map[string]string, protocol string, port uint16) bool {
	same := func(v string, keeps ...string) bool {
		return v == "" || slices.Contains(keeps, v)
	}
	return same(cfg["Protocol"], "#{protocol}", protocol) &&
		same(cfg["Port"], "#{port}", strconv.Itoa(int(port))) &&
		same(cfg["Host"], "#{host}") &&
		same(cfg["Path"], "/#{path}")
}

// checkAuthenticate validates an authenticate-oidc or authenticate-cognito
// action (ALB HTTPS listeners only) and fills in AWS's defaults: session
// cookie AWSELBAuthSessionCookie, scope openid, a 604800-second (7-day)
// session, and authenticate for unauthenticated requests.
func checkAuthenticate(a model.ListenerAction, protocol string) (*model.AuthenticateConfig, error) {
	if protocol != "HTTPS" {
		return nil, apierr.Newf("InvalidLoadBalancerAction", "Action type '%s' is supported only for HTTPS listeners", a.Type) // probable
	}
	if a.Authenticate == nil {
		member := "AuthenticateOidcConfig"
		if a.Type == "authenticate-cognito" {
			member = "AuthenticateCognitoConfig"
		}
		return nil, errELBValidation("%s must be specified for action type '%s'", member, a.Type) // probable
	}
	c := *a.Authenticate
	if c.ExtraParams != nil {
		c.ExtraParams = maps.Clone(c.ExtraParams)
	}
	var required [][2]string
	if a.Type == "authenticate-oidc" {
		required = [][2]string{{"issuer", c.Issuer}, {"authorizationEndpoint", c.AuthorizationEndpoint},
			{"tokenEndpoint", c.TokenEndpoint}, {"userInfoEndpoint", c.UserInfoEndpoint}, {"clientId", c.ClientID}}
	} else {
		required = [][2]string{{"userPoolArn", c.UserPoolARN}, {"userPoolClientId", c.UserPoolClientID}, {"userPoolDomain", c.UserPoolDomain}}
	}
	for _, r := range required {
		if r[1] == "" {
			return nil, errELBValidation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", r[0])
		}
	}
	if a.Type == "authenticate-oidc" && !c.ClientSecretSet {
		return nil, errELBValidation("A client secret must be specified for action type 'authenticate-oidc'") // probable
	}
	if c.SessionCookieName == "" {
		c.SessionCookieName = "AWSELBAuthSessionCookie"
	}
	if c.Scope == "" {
		c.Scope = "openid"
	}
	if c.SessionTimeout == 0 {
		c.SessionTimeout = 604800
	}
	if c.SessionTimeout < 1 || c.SessionTimeout > 604800 {
		return nil, errELBValidation("Session timeout must be between 1 and 604800 seconds") // probable; the range is AWS's (7 days)
	}
	switch c.OnUnauthenticatedRequest {
	case "":
		c.OnUnauthenticatedRequest = "authenticate"
	case "deny", "allow", "authenticate":
	default:
		return nil, errELBEnum(c.OnUnauthenticatedRequest, "onUnauthenticatedRequest", "deny", "allow", "authenticate")
	}
	return &c, nil
}

// checkForward validates a forward action's target groups.
func (t *txn) checkForward(lb *model.LoadBalancer, protocol string, a *model.ListenerAction) error {
	switch {
	case a.TargetGroupARN == "" && len(a.TargetGroups) == 0:
		return errELBValidation("A target group ARN must be specified") // UNVERIFIED text
	case a.TargetGroupARN != "" && len(a.TargetGroups) > 0 &&
		(len(a.TargetGroups) != 1 || a.TargetGroups[0].ARN != a.TargetGroupARN):
		return errELBValidation("You cannot specify both a target group ARN and a forward config with different target groups") // UNVERIFIED text
	case len(a.TargetGroups) > maxForwardTGs:
		return errELBValidation("1 validation error detected: Value at 'forwardConfig.targetGroups' failed to satisfy constraint: Member must have length less than or equal to %d", maxForwardTGs)
	}
	if a.TargetGroupARN == "" && len(a.TargetGroups) == 1 {
		a.TargetGroupARN = a.TargetGroups[0].ARN
	}
	var limited []string
	for _, arn := range a.ForwardTargetGroups() {
		if !validTGARN(arn) {
			return errBadARN(arn, "target group")
		}
		tg := t.st.TargetGroups[arn]
		if tg == nil {
			// A forward action's unknown target group is named, unlike
			// DescribeTargetGroups' "One or more target groups not found".
			return errForwardTGNotFound(arn)
		}
		if tg.TargetType != targetLambda && tg.VpcID != lb.VpcID {
			return errTGOtherVPC(tg.ARN, lb.ARN)
		}
		if !listenerTGCompatible(lb, protocol, tg) {
			return errIncompatibleProtocols()
		}
		if tg.ProtocolVersion == "GRPC" && protocol == "HTTP" {
			// gRPC rides on HTTP/2, which an ALB negotiates with its
			// clients on HTTPS listeners only.
			return apierr.Newf("InvalidLoadBalancerAction", "Listener protocol '%s' is not supported with a target group with the protocol-version '%s'", protocol, tg.ProtocolVersion)
		}
		if tg.IPAddressType == tgIPv6 && !isDualstack(lb.IPAddressType) {
			return errELBValidation("You cannot associate an IPv6 target group with a load balancer that has an '%s' IP address type", cmp.Or(lb.IPAddressType, "ipv4"))
		}
		for _, other := range targetGroupLoadBalancers(t.st, tg.ARN) {
			if other != lb.ARN {
				limited = append(limited, tg.ARN)
				break
			}
		}
	}
	for _, w := range a.TargetGroups {
		if w.Weight < 0 || w.Weight > 999 {
			return errELBValidation("1 validation error detected: Value '%d' at 'forwardConfig.targetGroups.member.weight' failed to satisfy constraint: Member must have value less than or equal to 999", w.Weight)
		}
	}
	if len(limited) > 0 {
		return errTGAssociationLimit(limited)
	}
	if st := a.Stickiness; st != nil && (st.DurationSeconds < 1 || st.DurationSeconds > 604800) {
		// The range is the API's (TargetGroupStickinessDurationSeconds).
		return errELBValidation("Target group stickiness duration must be between 1 and 604800 seconds") // probable
	}
	return nil
}

// listenerTGCompatible reports whether a listener protocol can forward to a
// target group: HTTP(S) listeners to HTTP(S) and Lambda target groups; NLB
// TCP to TCP or TCP_UDP, TLS to TCP or TLS, UDP to UDP or TCP_UDP, TCP_UDP
// to TCP_UDP; alb-type target groups behind TCP listeners only.
func listenerTGCompatible(lb *model.LoadBalancer, protocol string, tg *model.TargetGroup) bool {
	switch tg.TargetType {
	case targetLambda:
		return lb.Type == lbApplication
	case targetALB:
		return lb.Type == lbNetwork && protocol == "TCP"
	}
	if lb.Type == lbApplication {
		return isALBProtocol(tg.Protocol)
	}
	if lb.Type == lbGateway || tg.Protocol == "GENEVE" {
		return lb.Type == lbGateway && tg.Protocol == "GENEVE"
	}
	switch protocol {
	case "TCP":
		return tg.Protocol == "TCP" || tg.Protocol == "TCP_UDP"
	case "TLS":
		return tg.Protocol == "TCP" || tg.Protocol == "TLS"
	case "UDP":
		return tg.Protocol == "UDP" || tg.Protocol == "TCP_UDP"
	case "TCP_UDP":
		return tg.Protocol == "TCP_UDP"
	}
	return false
}

// validListenerARN reports whether arn has the shape of a listener ARN.
func validListenerARN(arn string) bool {
	_, rest, ok := strings.Cut(arn, ":listener/")
	_, elb := model.CutARN(arn, "elasticloadbalancing")
	return ok && elb && len(strings.Split(rest, "/")) == 4
}

// listener returns the listener with the given ARN.
func (t *txn) listener(arn string) (*model.Listener, error) {
	if !validListenerARN(arn) {
		return nil, errBadARN(arn, "listener")
	}
	l := t.st.Listeners[arn]
	if l == nil {
		return nil, errListenerNotFound()
	}
	return l, nil
}

// ModifyListenerInput changes a listener; zero or nil fields stay as they
// are.
type ModifyListenerInput struct {
	ListenerARN    string
	Protocol       string
	Port           uint16
	DefaultActions []model.ListenerAction
	Certificates   []string
	SSLPolicy      string
	MutualAuth     *MutualAuthInput
	AlpnPolicy     []string
	// CertificateKnown is CreateListenerInput's.
	CertificateKnown func(arn string) bool
}

// ModifyListener changes a listener's port, protocol, certificates or
// default actions, with CreateListener's rules. Moving to a port another
// listener of the load balancer uses fails with "Listener port '<port>' is
// already in use"; changing HTTPS to HTTP (or TLS to TCP) drops the
// certificates and security policy.
func (e *Engine) ModifyListener(in ModifyListenerInput) (*model.Listener, error) {
	var out *model.Listener
	err := e.write(func(t *txn) error {
		l, err := t.listener(in.ListenerARN)
		if err != nil {
			return err
		}
		if err := t.checkCertificatesKnown(in.CertificateKnown, in.Certificates); err != nil {
			return err
		}
		lb := t.st.LoadBalancers[l.LoadBalancerARN]
		c := *l
		c.Certificates = slices.Clone(l.Certificates)
		if in.Protocol != "" {
			c.Protocol = in.Protocol
		}
		if in.Port != 0 {
			c.Port = in.Port
		}
		if in.Certificates != nil {
			// The new default certificate; the additional ones stay.
			c.Certificates = slices.Clone(in.Certificates)
			if len(l.Certificates) > 1 {
				for _, x := range l.Certificates[1:] {
					if !slices.Contains(c.Certificates, x) {
						c.Certificates = append(c.Certificates, x)
					}
				}
			}
		}
		if c.Protocol == "" || c.Protocol == "HTTP" || c.Protocol == "TCP" || c.Protocol == "UDP" || c.Protocol == "TCP_UDP" { // "": a Gateway Load Balancer's
			c.Certificates, c.SSLPolicy = nil, ""
		} else {
			if in.SSLPolicy != "" {
				c.SSLPolicy = in.SSLPolicy
			}
			if c.SSLPolicy == "" {
				c.SSLPolicy = defaultSSLPolicy
			}
		}
		if err := checkListenerProtocol(lb, c.Protocol, c.Port, c.Certificates); err != nil {
			return err
		}
		if in.MutualAuth != nil {
			if c.MutualAuth, err = t.checkMutualAuth(c.Protocol, in.MutualAuth); err != nil {
				return err
			}
		} else if c.Protocol != "HTTPS" {
			c.MutualAuth = nil
		}
		if len(in.AlpnPolicy) > 0 {
			if c.AlpnPolicy, err = checkAlpn(c.Protocol, in.AlpnPolicy); err != nil {
				return err
			}
		} else if c.Protocol != "TLS" {
			c.AlpnPolicy = ""
		}
		if c.Protocol != l.Protocol {
			c.Attributes = nil // the attributes of one protocol do not apply to the other
		}
		actions := l.DefaultActions
		if in.DefaultActions != nil {
			actions = in.DefaultActions
		}
		if c.DefaultActions, err = t.checkActions(lb, c.Protocol, c.Port, actions, "defaultActions"); err != nil {
			return err
		}
		for _, other := range t.st.Listeners {
			if other.ARN != l.ARN && other.LoadBalancerARN == l.LoadBalancerARN && other.Port == c.Port {
				return errELBValidation("Listener port '%d' is already in use", c.Port)
			}
		}
		put(t, model.KindListener, t.st.Listeners, c.ARN, &c)
		out = &c
		return nil
	})
	return out, err
}

// DeleteListener deletes a listener and its rules.
func (e *Engine) DeleteListener(arn string) error {
	return e.write(func(t *txn) error {
		if _, err := t.listener(arn); err != nil {
			return err
		}
		t.deleteListener(arn)
		return nil
	})
}

// deleteListener deletes a listener with its rules.
func (t *txn) deleteListener(arn string) {
	for _, r := range sortedValues(t.st.ListenerRules) {
		if r.ListenerARN == arn {
			del(t, model.KindListenerRule, t.st.ListenerRules, r.ARN)
		}
	}
	del(t, model.KindListener, t.st.Listeners, arn)
}

// CreateRuleInput is CreateRule's input.
type CreateRuleInput struct {
	ListenerARN string
	Priority    int
	Conditions  []model.RuleCondition
	Actions     []model.ListenerAction
	// Transforms rewrite the requests the rule matches.
	Transforms []model.RuleTransform
	Tags       model.Tags
	TagOrder   []string // Tags' keys in the request's order
}

// ruleFields are the condition fields AWS knows.
func ruleFields() []string {
	return []string{"http-header", "http-request-method", "host-header", "path-pattern", "query-string", "source-ip"}
}

// CreateRule adds a rule to an Application Load Balancer listener: a
// priority from 1 to 50000 that no other rule of the listener has
// (PriorityInUse), at least one condition (path-pattern, host-header, …)
// and actions with the listener's rules for actions.
func (e *Engine) CreateRule(in CreateRuleInput) (*model.ListenerRule, error) {
	if in.Priority < 1 || in.Priority > maxRulePriority {
		bound, rel := 1, "greater than or equal to"
		if in.Priority > maxRulePriority {
			bound, rel = maxRulePriority, "less than or equal to"
		}
		return nil, errELBValidation("1 validation error detected: Value '%d' at 'priority' failed to satisfy constraint: Member must have value %s %d", in.Priority, rel, bound)
	}
	conds, err := checkConditions(in.Conditions)
	if err != nil {
		return nil, err
	}
	transforms, err := checkTransforms(in.Transforms)
	if err != nil {
		return nil, err
	}
	var out *model.ListenerRule
	err = e.write(func(t *txn) error {
		l, err := t.listener(in.ListenerARN)
		if err != nil {
			return err
		}
		lb := t.st.LoadBalancers[l.LoadBalancerARN]
		if lb.Type != lbApplication {
			return errELBConfig("Rules are only supported for listeners of Application Load Balancers") // UNVERIFIED text
		}
		for _, r := range t.st.ListenerRules {
			if r.ListenerARN == l.ARN && r.Priority == in.Priority {
				return errPriorityInUse(in.Priority)
			}
		}
		actions, err := t.checkActions(lb, l.Protocol, l.Port, in.Actions, "actions")
		if err != nil {
			return err
		}
		_, rest, _ := strings.Cut(l.ARN, ":listener/")
		r := &model.ListenerRule{
			ARN: t.e.cfg.arn("elasticloadbalancing", fmt.Sprintf("listener-rule/%s/%s",
				rest, t.e.ids.Hex(16))),
			ListenerARN: l.ARN,
			Tags:        in.Tags.Clone(),
			TagOrder:    model.TagOrderAfter(nil, in.TagOrder, in.Tags),
			Priority:    in.Priority,
			Conditions:  conds,
			Actions:     actions,
			Transforms:  transforms,
		}
		put(t, model.KindListenerRule, t.st.ListenerRules, r.ARN, r)
		out = r
		return nil
	})
	return out, err
}

// DeleteRule deletes a listener rule.
func (e *Engine) DeleteRule(arn string) error {
	return e.write(func(t *txn) error {
		_, rest, ok := strings.Cut(arn, ":listener-rule/")
		if _, elb := model.CutARN(arn, "elasticloadbalancing"); !ok || !elb || len(strings.Split(rest, "/")) != 5 {
			return errBadARN(arn, "rule")
		}
		if t.st.ListenerRules[arn] == nil {
			if isDefaultRule(t.st, arn) {
				// "You can't delete the default rule" (DeleteRule); the
				// text follows ModifyRule's ([choice]).
				return apierr.Newf("OperationNotPermitted", "Default rule '%s' cannot be deleted", arn)
			}
			return errRuleNotFound()
		}
		del(t, model.KindListenerRule, t.st.ListenerRules, arn)
		return nil
	})
}

// fixedStatusOK reports whether s is a 2XX, 4XX or 5XX status code.
func fixedStatusOK(s string) bool {
	return len(s) == 3 && (s[0] == '2' || s[0] == '4' || s[0] == '5') &&
		s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9'
}

// checkConditions validates a rule's conditions: at least one, of a known
// field, each with 1-128 character values (a query string's key and value
// 128 each).
func checkConditions(in []model.RuleCondition) ([]model.RuleCondition, error) {
	if len(in) == 0 {
		return nil, errELBValidation("A rule must have at least one condition") // UNVERIFIED text
	}
	conds := make([]model.RuleCondition, len(in))
	for i, c := range in {
		if !slices.Contains(ruleFields(), c.Field) {
			return nil, errELBEnum(c.Field, "conditions.member.field", ruleFields()...)
		}
		if len(c.RegexValues) > 0 {
			if err := checkRegexValues(c); err != nil {
				return nil, err
			}
			conds[i] = model.RuleCondition{Field: c.Field, HeaderName: c.HeaderName, RegexValues: slices.Clone(c.RegexValues)}
			continue
		}
		if len(c.Values) == 0 {
			return nil, errELBValidation("A condition value must be specified") // UNVERIFIED text
		}
		for _, v := range c.Values {
			if c.Field == "query-string" {
				// key=value: each side has its own limit.
				k, val, _ := strings.Cut(v, "=")
				if len(k) > 128 {
					return nil, errELBValidation("The 'Key' value is too long; the limit is '128'")
				}
				if len(val) > 128 {
					return nil, errELBValidation("The 'Value' value is too long; the limit is '128'")
				}
				continue
			}
			if v == "" || len(v) > 128 {
				return nil, errELBValidation("The '%s' value is too long; the limit is '128'", c.Field)
			}
		}
		if c.Field == "http-header" && c.HeaderName == "" {
			return nil, errELBValidation("A header name must be specified for an 'http-header' condition") // probable
		}
		conds[i] = model.RuleCondition{Field: c.Field, HeaderName: c.HeaderName, Values: slices.Clone(c.Values)}
	}
	n := 0
	for _, c := range conds {
		n += len(c.Values) + len(c.RegexValues)
	}
	if n > maxRuleConditionValues {
		return nil, errELBValidation("A rule can only have '%d' condition values and regex values", maxRuleConditionValues)
	}
	return conds, nil
}

// maxRuleConditionValues is how many values and regular expressions a
// rule's conditions may have in all (ALB quota "Condition values per
// rule"; a query string's key/value pair counts one).
const maxRuleConditionValues = 5

// maxRegexValueLen is the longest of a condition's RegexValues (ELB API
// reference, the *ConditionConfig shapes: "The maximum length of each
// string is 128 characters").
const maxRegexValueLen = 128

// checkRegexValues validates a condition's regular expressions: only
// host-header, path-pattern and http-header take them (RuleCondition:
// "Specify only when Field is http-header, host-header, or
// path-pattern"), not together with Values (the console offers value or
// regex matching; terraform-provider-aws: "Conflicts with values"), each
// of 1 to 128 characters, and an expression ALB's engine accepts (no
// lookarounds, backreferences, atomic groups, possessive quantifiers,
// recursion or Unicode classes). The texts are ecsnet's [choice] in
// AWS's shape.
func checkRegexValues(c model.RuleCondition) error {
	if !slices.Contains(model.RegexFields(), c.Field) {
		return errELBValidation("'RegexValues' can be specified only with 'host-header', 'path-pattern' or 'http-header'")
	}
	if len(c.Values) > 0 {
		return errELBValidation("You cannot specify both 'Values' and 'RegexValues' in a '%s' condition", c.Field)
	}
	for _, v := range c.RegexValues {
		if v == "" {
			return errELBValidation("A '%s' regular expression must not be empty", c.Field)
		}
		if len(v) > maxRegexValueLen {
			return errELBValidation("The '%s' value is too long; the limit is '%d'", c.Field, maxRegexValueLen)
		}
		if !model.ValidRuleRegex(v) {
			return errELBValidation("The regular expression '%s' is not valid", v)
		}
	}
	if c.Field == "http-header" && c.HeaderName == "" {
		return errELBValidation("A header name must be specified for an 'http-header' condition")
	}
	return nil
}

// checkCertificatesKnown refuses a certificate ARN that names no
// certificate, as ELB does (CertificateNotFound), and an ACM certificate
// of the region that is not issued (PENDING_VALIDATION, timed out,
// revoked, …): ELB answers UnsupportedCertificate "The certificate '<arn>'
// must have a fully-qualified domain name, a supported signature, and a
// supported key size." (the error Terraform users meet when a listener is
// created before aws_acm_certificate_validation completes:
// cloudposse/terraform-aws-acm-request-certificate#58,
// hashicorp/terraform-provider-aws#41789). known nil is a reader's check
// (a template or configuration read as a SOURCE), which names any ARN.
func (t *txn) checkCertificatesKnown(known func(string) bool, certs []string) error {
	if known == nil {
		return nil
	}
	for _, c := range certs {
		if !known(c) {
			return apierr.Newf("CertificateNotFound", "Certificate '%s' not found", c)
		}
		if x := t.st.Certificates[c]; x != nil && x.Status != "ISSUED" {
			return errUnsupportedCertificate(c)
		}
	}
	return nil
}

// errUnsupportedCertificate is ELB's refusal of a certificate that is not
// issued (the text is ELB's whatever the reason).
func errUnsupportedCertificate(arn string) error {
	return apierr.Newf("UnsupportedCertificate", "The certificate '%s' must have a fully-qualified domain name, a supported signature, and a supported key size.", arn)
}

// isDualstack reports whether a load balancer IP address type gives the
// nodes IPv6 addresses (dualstack, dualstack-without-public-ipv4).
func isDualstack(typ string) bool { return strings.HasPrefix(typ, "dualstack") }

// checkJwtValidation validates a jwt-validation action (ALB HTTPS
// listeners only, like the authenticate actions): its
// JwtValidationConfig's Issuer and JwksEndpoint are required.
func checkJwtValidation(a model.ListenerAction, protocol string) (*model.JwtValidationConfig, error) {
	if protocol != "HTTPS" {
		return nil, apierr.Newf("InvalidLoadBalancerAction", "Action type '%s' is supported only for HTTPS listeners", a.Type) // probable, as for authenticate actions
	}
	if a.JwtValidation == nil {
		return nil, errELBValidation("JwtValidationConfig must be specified for action type 'jwt-validation'") // probable
	}
	c := *a.JwtValidation
	for _, r := range [][2]string{{"issuer", c.Issuer}, {"jwksEndpoint", c.JwksEndpoint}} {
		if r[1] == "" {
			return nil, errELBValidation("1 validation error detected: Value null at 'jwtValidationConfig.%s' failed to satisfy constraint: Member must not be null", r[0])
		}
	}
	return &c, nil
}
