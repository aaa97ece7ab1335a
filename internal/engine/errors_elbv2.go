package engine

import (
	"fmt"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
)

// ELBv2 errors (Query protocol, API 2015-12-01), with AWS's codes and
// messages. Every code here is HTTP 400 ("Sender"). The message texts come
// from real AWS output quoted in public issues unless the comment says
// otherwise; docs/research/aws-facts.md §2 lists the sources.

func errELBValidation(format string, args ...any) error {
	return apierr.Newf("ValidationError", format, args...)
}

func errELBConfig(format string, args ...any) error {
	return apierr.Newf("InvalidConfigurationRequest", format, args...)
}

// errELBEnum is the generic AWS input-validation text for a value outside
// an enum.
func errELBEnum(value, field string, allowed ...string) error {
	return errELBValidation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
		value, field, strings.Join(allowed, ", "))
}

func errLBNotFound() error {
	return apierr.New("LoadBalancerNotFound", "One or more load balancers not found")
}

func errTGNotFound() error {
	return apierr.New("TargetGroupNotFound", "One or more target groups not found")
}

// errForwardTGNotFound: a forward action (CreateListener, ModifyListener,
// CreateRule, ModifyRule) naming a well-formed ARN of no target group
// (aws/copilot-cli#3833, through CloudFormation's listener handler:
// "Target groups 'arn:…' not found", status 400).
func errForwardTGNotFound(arn string) error {
	return apierr.Newf("TargetGroupNotFound", "Target groups '%s' not found", arn)
}

func errListenerNotFound() error {
	return apierr.New("ListenerNotFound", "One or more listeners not found")
}

// errRuleNotFound: code from the model; the text follows the sibling
// "One or more … not found" messages (UNVERIFIED).
func errRuleNotFound() error {
	return apierr.New("RuleNotFound", "One or more rules not found")
}

func errBadARN(arn, kind string) error {
	return errELBValidation("'%s' is not a valid %s ARN", arn, kind)
}

func errDuplicateLBName(name string) error {
	return apierr.Newf("DuplicateLoadBalancerName", "A load balancer with the same name '%s' exists, but with different settings", name)
}

func errDuplicateTGName(name string) error {
	return apierr.Newf("DuplicateTargetGroupName", "A target group with the same name '%s' exists, but with different settings", name)
}

func errDuplicateListener(lbARN string) error {
	return apierr.Newf("DuplicateListener", "A listener already exists on this port for this load balancer '%s'", lbARN)
}

func errPriorityInUse(p int) error {
	return apierr.Newf("PriorityInUse", "Priority '%d' is currently in use", p)
}

func errTGInUse(tgARN string) error {
	return apierr.Newf("ResourceInUse", "Target group '%s' is currently in use by a listener or a rule", tgARN)
}

func errTGOtherVPC(tgARN, lbARN string) error {
	return errELBConfig("Target group '%s' is in a different VPC than load balancer '%s'", tgARN, lbARN)
}

func errTGAssociationLimit(tgARNs []string) error {
	return apierr.Newf("TargetGroupAssociationLimit", "The following target groups cannot be associated with more than one load balancer: %s", strings.Join(tgARNs, ", "))
}

// errIncompatibleProtocols: the quoted AWS text ends after "protocols"; the
// list of target groups AWS may append is UNVERIFIED and left out.
func errIncompatibleProtocols() error {
	return apierr.New("IncompatibleProtocols", "The listener and the following target groups have incompatible protocols")
}

func errInvalidTarget(format string, args ...any) error {
	return apierr.Newf("InvalidTarget", format, args...)
}

func errELBInvalidSubnet(format string, args ...any) error {
	return apierr.Newf("InvalidSubnet", format, args...)
}

// quoteJoin renders ids as AWS lists them in target errors: 'a', 'b'.
func quoteJoin(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = fmt.Sprintf("'%s'", id)
	}
	return strings.Join(q, ", ")
}
