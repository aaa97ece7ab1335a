package cfn

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// SignalWait is what a resource with a CreationPolicy still waits for when
// its deploy ends (DeployOptions.AwaitSignals): CloudFormation keeps it
// CREATE_IN_PROGRESS until Need success signals arrived (from its
// instances' cfn-signal, or SignalResource) or its Timeout runs out, and
// then fails it in Failure's words.
type SignalWait struct {
	// Want is the number of signals asked for (ResourceSignal's Count),
	// Need the number that completes the resource: Want, or for an Auto
	// Scaling group its MinSuccessfulInstancesPercent of Want (Percent).
	Want, Need int
	// Group says the resource is an Auto Scaling group (CloudFormation
	// words its failure as groups' own); Percent is then its
	// MinSuccessfulInstancesPercent.
	Group   bool
	Percent int
	// Timeout is the ResourceSignal's Timeout (PT5M by default).
	Timeout time.Duration
	// Condition says the resource is a wait condition with a handle,
	// which words its failure as wait conditions do.
	Condition bool
	// EnvStack says the resource is Copilot's environment controller
	// waiting for the environment stack EnvStack's update to end
	// (res_copilot_env.go); its one "signal" is its request applied.
	EnvStack string
}

// Failure is the resource's status reason when its Timeout runs out with
// got success signals.
func (w *SignalWait) Failure(got int) string {
	if w.EnvStack != "" {
		return EnvControllerFailure(errors.New(EnvControllerTimedOut))
	}
	if w.Condition {
		return fmt.Sprintf("WaitCondition timed out. Received %d conditions when expecting %d", got, w.Want)
	}
	if w.Group {
		return fmt.Sprintf("Received %d SUCCESS signal(s) out of %d. Unable to satisfy %d%% MinSuccessfulInstancesPercent requirement", got, w.Want, w.Percent)
	}
	return fmt.Sprintf("Failed to receive %d resource signal(s) within the specified duration", w.Want)
}

// defaultSignalTimeout is a ResourceSignal's Timeout when it has none
// (the AWS::CloudFormation CreationPolicy reference: "The default is 5
// minutes").
const defaultSignalTimeout = 5 * time.Minute

// isoDuration is an ISO 8601 duration of the shape CloudFormation takes
// (PT#H#M#S, days allowed); the seconds may have a fraction of up to nine
// digits (PT0.5S, PT1M30.25S: what the CDK's Duration.toIsoString writes
// for milliseconds), the hours and minutes may not (PT1.5M).
var isoDuration = regexp.MustCompile(`^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d{1,9}))?S)?)?$`)

// parseISODuration reads an ISO 8601 duration such as PT15M, PT1H30M or
// PT2.5S; ok is false when s is not one.
func parseISODuration(s string) (time.Duration, bool) {
	m := isoDuration.FindStringSubmatch(s)
	if m == nil || s == "P" || s == "PT" || s[len(s)-1] == 'T' {
		return 0, false
	}
	var d time.Duration
	for i, unit := range []time.Duration{24 * time.Hour, time.Hour, time.Minute, time.Second} {
		if m[i+1] == "" {
			continue
		}
		v, err := strconv.Atoi(m[i+1])
		if err != nil {
			return 0, false
		}
		d += time.Duration(v) * unit
	}
	if frac := m[5]; frac != "" {
		nanos, _ := strconv.Atoi(frac + strings.Repeat("0", 9-len(frac)))
		d += time.Duration(nanos)
	}
	return d, true
}

// maxSignalTimeout is the longest ResourceSignal Timeout CloudFormation
// takes (the CreationPolicy reference: "The maximum time that you can
// specify is 12 hours"), maxPauseTime the longest rolling update
// PauseTime (the UpdatePolicy reference: "The maximum PauseTime is one
// hour (PT1H)").
const (
	maxSignalTimeout = 12 * time.Hour
	maxPauseTime     = time.Hour
)

// checkPolicyTimes refuses a resource whose CreationPolicy ResourceSignal
// Timeout or UpdatePolicy AutoScalingRollingUpdate PauseTime (written, or
// given by a parameter) is not an ISO 8601 duration or is longer than
// CloudFormation allows: the resource fails before anything is made,
// naming the attribute and its line.
func (s *stack) checkPolicyTimes(r *resource) error {
	def := s.tpl.root.get("Resources").get(r.def.name)
	for _, c := range []struct {
		n    *node
		what string
		max  time.Duration
		text string
	}{
		{def.get("CreationPolicy").get("ResourceSignal").get("Timeout"), "CreationPolicy ResourceSignal Timeout", maxSignalTimeout, "12 hours (PT12H)"},
		{def.get("UpdatePolicy").get("AutoScalingRollingUpdate").get("PauseTime"), "UpdatePolicy AutoScalingRollingUpdate PauseTime", maxPauseTime, "one hour (PT1H)"},
	} {
		if c.n == nil || c.n.kind == nullNode {
			continue
		}
		v, err := s.policyValue(c.n)
		if err != nil {
			return s.resourceErr(r, err)
		}
		d, ok := parseISODuration(v)
		switch {
		case !ok:
			return s.resourceErr(r, propErr(c.n.line, "Invalid %s %q: it must be an ISO 8601 duration of the form PT#H#M#S", c.what, v))
		case d > c.max:
			return s.resourceErr(r, propErr(c.n.line, "Invalid %s %q: the maximum is %s", c.what, v, c.text))
		}
	}
	if r.def.typ != typeWaitCondition {
		return nil
	}
	// A wait condition's own Timeout (seconds) has the same maximum.
	t := r.def.props.get("Timeout")
	if t == nil || t.kind == nullNode {
		return nil
	}
	v, err := s.policyValue(t)
	if err != nil {
		return s.resourceErr(r, err)
	}
	if secs, err := strconv.Atoi(v); err == nil && time.Duration(secs)*time.Second > maxSignalTimeout {
		return s.resourceErr(r, propErr(t.line, "Value for Timeout property must be less than 43200"))
	}
	return nil
}

// policyValue evaluates a policy attribute's value (a literal, or a Ref to
// a parameter) to its text; one that is no scalar is "".
func (s *stack) policyValue(n *node) (string, error) {
	s.quiet = true
	v, err := s.eval(n, blockResources)
	s.quiet = false
	if err != nil {
		return "", err
	}
	if v == nil || v.kind != scalarNode {
		return "", nil
	}
	return v.str, nil
}

// signalTimeout is the resource's CreationPolicy ResourceSignal Timeout
// (its default when absent); checkPolicyTimes refused it already when it
// is not an ISO 8601 duration.
func (c *rctx) signalTimeout() time.Duration {
	return c.s.signalTimeoutOf(c.attribute("CreationPolicy").get("ResourceSignal"))
}

// signalTimeoutOf is a ResourceSignal's Timeout, written or given by a
// parameter (its default when absent or not an ISO 8601 duration).
func (s *stack) signalTimeoutOf(signal *node) time.Duration {
	n := signal.get("Timeout")
	if n == nil || n.kind == nullNode {
		return defaultSignalTimeout
	}
	v, err := s.policyValue(n)
	if err != nil {
		return defaultSignalTimeout
	}
	if d, ok := parseISODuration(v); ok {
		return d
	}
	return defaultSignalTimeout
}
