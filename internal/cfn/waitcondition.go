package cfn

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Wait conditions (AWS::CloudFormation::WaitConditionHandle and
// AWS::CloudFormation::WaitCondition) are not created anywhere: ecsnet has
// no S3 to receive signals. What they answer and when they fail follows
// CloudFormation:
//
//   - Ref of a handle is the presigned S3 URL that cfn-signal (or curl)
//     sends its signals to, on CloudFormation's wait condition bucket of the
//     region; the object's key is the handle's path,
//     <stack ARN>/<uuid>/<handle's logical id>, its colons escaped.
//   - A wait condition's physical id is that path, as an ARN.
//   - A wait condition whose handle nothing else in the stack passes on
//     (no user data, metadata or other property names it) can receive no
//     signal: CloudFormation fails it when its Timeout runs out, "WaitCondition
//     timed out. Received 0 conditions when expecting N", and the stack rolls
//     back. ecsnet fails it at once, as no signal can come [choice]. One whose
//     handle goes to an instance's user data (or anything else) is taken to be
//     signalled, as a CreationPolicy whose instances run cfn-signal is.
//   - A wait condition without Handle (a CreationPolicy one, signalled by
//     SignalResource, which ecsnet does not answer) completes.

const (
	typeWaitCondition       = "AWS::CloudFormation::WaitCondition"
	typeWaitConditionHandle = "AWS::CloudFormation::WaitConditionHandle"
)

// waitHandleURL returns the presigned URL a wait condition handle's Ref
// answers: https://cloudformation-waitcondition-<region>.s3.amazonaws.com/
// <escaped stack ARN>/<uuid>/<logical id>?X-Amz-…. The host outside
// us-east-1 is s3-<region>.amazonaws.com (observed in us-west-2); the query
// is a signature's shape, not a signature [choice].
func waitHandleURL(s *stack, r *resource) string {
	region := s.l.e.Config().Region
	host := "s3-" + region + ".amazonaws.com"
	if region == "us-east-1" {
		host = "s3.amazonaws.com"
	}
	key := strings.ReplaceAll(s.arn, ":", "%3A") + "/" + uuidFrom(s.l.names) + "/" + r.def.name
	return "https://cloudformation-waitcondition-" + region + "." + host + "/" + key +
		"?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-SignedHeaders=host&X-Amz-Expires=86399&X-Amz-Signature=" + strings.ToLower(s.l.names.Hex(64))
}

// waitHandlePath returns the ARN a handle's URL names (its object key,
// unescaped), "" when url is not a handle's URL.
func waitHandlePath(u string) string {
	p, err := url.Parse(u)
	if err != nil || !strings.HasPrefix(p.Host, "cloudformation-waitcondition-") {
		return ""
	}
	return strings.TrimPrefix(p.Path, "/")
}

// waitConditionRef is a wait condition's physical id: the path of its
// handle, when it has one of this stack.
func waitConditionRef(s *stack, r *resource) string {
	if h := s.waitHandle(r); h != nil && h.physical != "" {
		if p := waitHandlePath(h.physical); p != "" {
			return p
		}
	}
	return s.arn + "/" + uuidFrom(s.l.names) + "/" + r.def.name
}

// waitHandle returns the handle of this stack a wait condition's Handle
// names by Ref (nil when it names none).
func (s *stack) waitHandle(r *resource) *resource {
	h := r.def.props.get("Handle")
	name, arg, ok := h.fn()
	if !ok || name != "Ref" || arg == nil || arg.kind != scalarNode {
		return nil
	}
	if to := s.res[arg.str]; to != nil && to.def.typ == typeWaitConditionHandle {
		return to
	}
	return nil
}

// checkWaitCondition fails a wait condition that can receive no signal: its
// handle is one of this stack's, and no other resource names it.
func (s *stack) checkWaitCondition(r *resource, props *node) error {
	h := s.waitHandle(r)
	if h == nil {
		return nil
	}
	for _, d := range s.tpl.resources {
		other := s.res[d.name]
		if other == nil || !other.active || d.name == r.def.name || d.typ == typeWaitCondition {
			continue
		}
		found := false
		for _, part := range []*node{d.props, d.metadata} {
			_ = s.walkRefs(part, func(x ref) error {
				if x.name == h.def.name && !x.getAtt {
					found = true
				}
				return nil
			}, 0)
		}
		if found {
			return nil
		}
	}
	count := 1
	if c := props.get("Count"); c != nil && c.kind == scalarNode {
		if n, err := strconv.Atoi(c.str); err == nil && n > 0 {
			count = n
		}
	}
	s.warnf(r.def.line, "%s waits for %d signal(s) on %s, but nothing in the stack is given %s's URL to signal it: "+
		"CloudFormation fails it when its Timeout runs out", r.def.name, count, h.def.name, h.def.name)
	return s.resourceErr(r, fmt.Errorf("WaitCondition timed out. Received 0 conditions when expecting %d", count))
}
