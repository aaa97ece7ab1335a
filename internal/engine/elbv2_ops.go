package engine

import (
	"fmt"
	"hash/fnv"
	"net/netip"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Listener certificates, rule changes and IP address types.

const maxListenerCertificates = 25

// AddListenerCertificates adds certificates to an HTTPS or TLS listener's
// certificate list (the default certificate stays first). At most 25 per
// listener, AWS's default quota.
//
// known (nil: every ARN) tells whether a certificate ARN to add names a
// certificate; with it, an ACM certificate not issued is refused
// (UnsupportedCertificate: hashicorp/terraform-provider-aws via
// govuk-paas/paas-cf#3063's aws_lb_listener_certificate).
func (e *Engine) AddListenerCertificates(arn string, certs []string, remove bool, known func(string) bool) ([]string, error) {
	if len(certs) == 0 {
		return nil, errELBValidation("1 validation error detected: Value '[]' at 'certificates' failed to satisfy constraint: Member must have length greater than or equal to 1") // probable
	}
	var out []string
	err := e.write(func(t *txn) error {
		l, err := t.listener(arn)
		if err != nil {
			return err
		}
		if l.Protocol != "HTTPS" && l.Protocol != "TLS" {
			return apierr.Newf("InvalidConfigurationRequest", "Listener protocol '%s' does not support certificates", l.Protocol) // probable
		}
		if !remove {
			if err := t.checkCertificatesKnown(known, certs); err != nil {
				return err
			}
		}
		c := *l
		c.Certificates = slices.Clone(l.Certificates)
		for _, cert := range certs {
			switch {
			case remove && len(c.Certificates) > 0 && c.Certificates[0] == cert:
				return apierr.New("OperationNotPermitted", "The default certificate cannot be removed from the listener") // probable
			case remove:
				c.Certificates = slices.DeleteFunc(c.Certificates, func(x string) bool { return x == cert })
			case !slices.Contains(c.Certificates, cert):
				c.Certificates = append(c.Certificates, cert)
			}
		}
		if len(c.Certificates) > maxListenerCertificates+1 {
			return apierr.Newf("TooManyCertificates", "You've reached the limit on the number of certificates per load balancer") // probable
		}
		put(t, model.KindListener, t.st.Listeners, c.ARN, &c)
		out = certs
		return nil
	})
	return out, err
}

// ModifyRuleInput is ModifyRule's input; nil fields stay as they are.
type ModifyRuleInput struct {
	RuleARN    string
	Conditions []model.RuleCondition
	Actions    []model.ListenerAction
	// Transforms replace the rule's transforms; ResetTransforms removes
	// them (AWS takes one or the other).
	Transforms      []model.RuleTransform
	ResetTransforms bool
}

// ModifyRule replaces a rule's conditions, actions or transforms, with
// CreateRule's rules. The default rule's actions are the listener's default
// actions, and it takes no transforms ("You can't add a transform to a
// default rule", ALB User Guide).
func (e *Engine) ModifyRule(in ModifyRuleInput) (*model.ListenerRule, error) {
	var conds []model.RuleCondition
	if in.Conditions != nil {
		var err error
		if conds, err = checkConditions(in.Conditions); err != nil {
			return nil, err
		}
	}
	if in.ResetTransforms && len(in.Transforms) > 0 {
		return nil, errELBValidation("You cannot specify both 'Transforms' and 'ResetTransforms'") // [choice] text
	}
	transforms, err := checkTransforms(in.Transforms)
	if err != nil {
		return nil, err
	}
	var out *model.ListenerRule
	err = e.write(func(t *txn) error {
		r := t.st.ListenerRules[in.RuleARN]
		if r == nil {
			if isDefaultRule(t.st, in.RuleARN) {
				if len(transforms) > 0 {
					return errELBValidation("Transforms cannot be added to a default rule") // [choice] text
				}
				// A default rule changes with ModifyListener (AWS's text,
				// FeLvi-zzz/tentez#32).
				return apierr.Newf("OperationNotPermitted", "Default rule '%s' cannot be modified", in.RuleARN)
			}
			return errRuleNotFound()
		}
		l, err := t.listener(r.ListenerARN)
		if err != nil {
			return err
		}
		lb := t.st.LoadBalancers[l.LoadBalancerARN]
		c := *r
		if conds != nil {
			c.Conditions = conds
		}
		if in.Actions != nil {
			if c.Actions, err = t.checkActions(lb, l.Protocol, l.Port, in.Actions, "actions"); err != nil {
				return err
			}
		}
		switch {
		case in.ResetTransforms:
			c.Transforms = nil
		case transforms != nil:
			c.Transforms = transforms
		}
		put(t, model.KindListenerRule, t.st.ListenerRules, c.ARN, &c)
		out = &c
		return nil
	})
	return out, err
}

// RulePriority is one rule's new priority.
type RulePriority struct {
	RuleARN  string
	Priority int
}

// SetRulePriorities changes the priorities of rules of one listener at
// once; afterwards no two rules of the listener share a priority
// (PriorityInUse otherwise).
func (e *Engine) SetRulePriorities(in []RulePriority) ([]*model.ListenerRule, error) {
	for _, p := range in {
		if p.Priority < 1 || p.Priority > maxRulePriority {
			return nil, errELBValidation("1 validation error detected: Value '%d' at 'rulePriorities.member.priority' failed to satisfy constraint: Member must have value between 1 and %d", p.Priority, maxRulePriority)
		}
	}
	var out []*model.ListenerRule
	err := e.write(func(t *txn) error {
		changed := map[string]int{}
		listeners := map[string]bool{}
		for _, p := range in {
			r := t.st.ListenerRules[p.RuleARN]
			if r == nil {
				for _, l := range t.st.Listeners {
					if defaultRuleARNOf(l.ARN) == p.RuleARN {
						return apierr.New("OperationNotPermitted", "Default rule priority cannot be modified") // probable
					}
				}
				return errRuleNotFound()
			}
			changed[r.ARN] = p.Priority
			listeners[r.ListenerARN] = true
		}
		for l := range listeners {
			seen := map[int]bool{}
			for _, r := range sortedValues(t.st.ListenerRules) {
				if r.ListenerARN != l {
					continue
				}
				prio := r.Priority
				if p, ok := changed[r.ARN]; ok {
					prio = p
				}
				if seen[prio] {
					return errPriorityInUse(prio)
				}
				seen[prio] = true
			}
		}
		for _, p := range in {
			c := *t.st.ListenerRules[p.RuleARN]
			c.Priority = p.Priority
			put(t, model.KindListenerRule, t.st.ListenerRules, c.ARN, &c)
			out = append(out, &c)
		}
		return nil
	})
	return out, err
}

// SetIPAddressType sets a load balancer's IP address type: ipv4 or
// dualstack (and dualstack-without-public-ipv4 for an internet-facing
// Application Load Balancer). Going dual-stack needs an IPv6 block in every
// subnet and gives each node ENI an IPv6 address; going back to ipv4 takes
// them away. Without public IPv4 the nodes of an internet-facing ALB give
// back their public IPv4 addresses, and get new ones when it returns.
func (e *Engine) SetIPAddressType(arn, typ string) (string, error) {
	err := e.write(func(t *txn) error {
		lb, err := t.loadBalancer(arn)
		if err != nil {
			return err
		}
		if err := checkIPAddressType(lb.Type, lb.Scheme, typ); err != nil {
			return err
		}
		if !isDualstack(typ) {
			for _, tg := range sortedValues(t.st.TargetGroups) {
				if tg.IPAddressType == tgIPv6 && slices.Contains(targetGroupLoadBalancers(t.st, tg.ARN), lb.ARN) {
					return errELBValidation("You cannot set the IP address type to '%s' for a load balancer associated with an IPv6 target group", typ) // [choice] text
				}
			}
		}
		for _, n := range lb.Nodes {
			if s := t.st.Subnets[n.SubnetID]; typ != "ipv4" && s != nil {
				if _, ok := subnetIPv6Block(s); !ok {
					return errELBValidation("You must specify subnets with an associated IPv6 CIDR block.")
				}
			}
		}
		for _, n := range lb.Nodes {
			eni := t.st.NetworkInterfaces[n.ENI]
			if eni == nil {
				continue
			}
			c := cloneENI(eni)
			switch {
			case typ == "ipv4":
				c.IPv6 = nil
			case len(c.IPv6) == 0:
				v6, err := t.allocIPv6(t.st.Subnets[n.SubnetID], 1, nil)
				if err != nil {
					return err
				}
				c.IPv6 = v6
			}
			pub := c.PrivateIPs[0].PublicIP
			wantPublic := lb.Scheme == lbInternetFacing && typ != ipDualstackNoPublic
			switch {
			case wantPublic && pub == nil:
				a, err := t.allocPublicIP(netip.Addr{})
				if err != nil {
					return err
				}
				c.PrivateIPs[0].PublicIP = &model.PublicIPAssociation{PublicIP: a, IPOwnerID: "amazon"}
			case !wantPublic && pub != nil && pub.AllocationID == "":
				c.PrivateIPs[0].PublicIP = nil
			}
			t.putENI(c)
		}
		c := cloneLB(lb)
		c.IPAddressType = typ
		put(t, model.KindLoadBalancer, t.st.LoadBalancers, c.ARN, c)
		return nil
	})
	return typ, err
}

// DefaultRuleARN is the ARN of a listener's default rule (derived from the
// listener's, so it is stable without being stored).
func DefaultRuleARN(listenerARN string) string {
	h := fnv.New64a()
	h.Write([]byte(listenerARN))
	return strings.Replace(listenerARN, ":listener/", ":listener-rule/", 1) + fmt.Sprintf("/%016x", h.Sum64())
}

func defaultRuleARNOf(listenerARN string) string { return DefaultRuleARN(listenerARN) }

// isDefaultRule reports whether arn is the default rule of a listener of st.
func isDefaultRule(st *model.State, arn string) bool {
	for _, l := range st.Listeners {
		if DefaultRuleARN(l.ARN) == arn {
			return true
		}
	}
	return false
}
