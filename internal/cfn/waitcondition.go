package cfn

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
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
//     back. The analyzer fails it at once, as no signal can come [choice]. One whose
//     handle goes to an instance's user data (or anything else) is taken to be
//     signalled, as a CreationPolicy whose instances run cfn-signal is.
//   - A wait condition without Handle (a CreationPolicy one, signalled by
//     cfn-signal --resource NAME or SignalResource) completes when another
//     resource writes its logical id (user data running cfn-signal for
//     it), else fails, "Failed to receive N resource signal(s) within the
//     specified duration", N its ResourceSignal's Count.
//   - A deploy that awaits signals (DeployOptions.AwaitSignals, the
//     emulator) leaves either kind waiting instead of failing it: for its
//     CreationPolicy's Timeout, or its own Timeout (seconds), during which
//     SignalResource counts.

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

// checkWaitCondition fails a wait condition that can receive no signal:
// its handle is one of this stack's and no other resource names it, or it
// has no handle (a CreationPolicy one, signalled by cfn-signal --resource
// NAME or SignalResource) and no other resource's properties or metadata
// write its logical id. Its creation was initiated (its physical id set)
// before CloudFormation's wait ran out.
func (s *stack) checkWaitCondition(r *resource, props *node) error {
	h := s.waitHandle(r)
	signal := s.tpl.root.get("Resources").get(r.def.name).get("CreationPolicy").get("ResourceSignal")
	policy := h == nil && signal != nil
	if h == nil && !policy {
		return nil
	}
	for _, d := range s.tpl.resources {
		other := s.res[d.name]
		if other == nil || !other.active || d.name == r.def.name || d.typ == typeWaitCondition {
			continue
		}
		for _, part := range []*node{d.props, d.metadata} {
			if h != nil && s.refersTo(part, h.def.name) || policy && writes(part, r.def.name, 0) {
				return nil
			}
		}
	}
	count, msg := 1, "WaitCondition timed out. Received 0 conditions when expecting %d"
	what := h
	if policy {
		msg = "Failed to receive %d resource signal(s) within the specified duration"
		what = r
	}
	n := props.get("Count")
	if policy {
		n = signal.get("Count")
	}
	if n != nil && n.kind == scalarNode {
		if v, err := strconv.Atoi(n.str); err == nil && v > 0 {
			count = v
		}
	}
	hint := "nothing in the stack can signal it: no user data, metadata or other property passes " + what.def.name +
		"'s URL on; CloudFormation fails the wait condition when its Timeout runs out"
	if policy {
		hint = "nothing in the stack can signal it: no user data, metadata or other property names " + r.def.name +
			", as cfn-signal --resource " + r.def.name + " would; CloudFormation fails it when its CreationPolicy's Timeout runs out"
	}
	if s.l.awaitSignals {
		// The emulator waits for the Timeout (SignalResource may come):
		// a CreationPolicy's ResourceSignal Timeout, or the wait
		// condition's own Timeout in seconds.
		w := &SignalWait{Want: count, Need: count, Condition: !policy, Timeout: defaultSignalTimeout}
		if policy {
			w.Timeout = s.signalTimeoutOf(signal)
		} else if t := props.get("Timeout"); t != nil && t.kind == scalarNode {
			if secs, err := strconv.Atoi(t.str); err == nil && secs > 0 {
				w.Timeout = time.Duration(secs) * time.Second
			}
		}
		r.await = w
		return nil
	}
	out := s.resourceErr(r, fmt.Errorf(msg, count))
	var ce *Error
	if errors.As(out, &ce) {
		ce.Initiated, ce.Hint = waitConditionRef(s, r), hint
	}
	return out
}

// refersTo reports whether a value has a Ref (or an Fn::Sub variable) to
// name.
func (s *stack) refersTo(n *node, name string) bool {
	found := false
	_ = s.walkRefs(n, func(x ref) error {
		if x.name == name && !x.getAtt {
			found = true
		}
		return nil
	}, 0)
	return found
}

// writes reports whether a string of a value holds name as a word (as
// "cfn-signal --resource NAME" does).
func writes(n *node, name string, depth int) bool {
	if n == nil || depth > maxDepth {
		return false
	}
	switch n.kind {
	case scalarNode:
		for _, w := range strings.FieldsFunc(n.str, func(c rune) bool {
			return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
		}) {
			if w == name {
				return true
			}
		}
	case listNode:
		for _, it := range n.items {
			if writes(it, name, depth+1) {
				return true
			}
		}
	case mapNode:
		for _, f := range n.fields {
			if writes(f.val, name, depth+1) {
				return true
			}
		}
	}
	return false
}
