package cfn

import (
	"fmt"
	"regexp"
	"strconv"
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
}

// Failure is the resource's status reason when its Timeout runs out with
// got success signals.
func (w *SignalWait) Failure(got int) string {
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
// (PT#H#M#S, days allowed).
var isoDuration = regexp.MustCompile(`^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$`)

// parseISODuration reads an ISO 8601 duration such as PT15M or PT1H30M;
// ok is false when s is not one.
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
	return d, true
}

// signalTimeout is the resource's CreationPolicy ResourceSignal Timeout
// (its default when absent or not an ISO 8601 duration).
func (c *rctx) signalTimeout() time.Duration {
	return signalTimeoutOf(c.attribute("CreationPolicy").get("ResourceSignal"))
}

// signalTimeoutOf is a ResourceSignal's Timeout (its default when absent
// or not an ISO 8601 duration).
func signalTimeoutOf(signal *node) time.Duration {
	n := signal.get("Timeout")
	if n == nil || n.kind != scalarNode {
		return defaultSignalTimeout
	}
	if d, ok := parseISODuration(n.str); ok {
		return d
	}
	return defaultSignalTimeout
}
