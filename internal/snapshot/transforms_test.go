package snapshot_test

import (
	"reflect"
	"testing"
)

// A listener rule's transforms survive Write and Load (describe-rules'
// Transforms: the rewrite in the config of its type).
func TestRoundTripRuleTransforms(t *testing.T) {
	st := scenarioState(t, "../reach/testdata/alb-url-rewrite.yaml")
	got, _ := roundTrip(t, st)
	n := 0
	for arn, r := range st.ListenerRules {
		g := got.ListenerRules[arn]
		if g == nil || len(g.Transforms) != len(r.Transforms) {
			t.Fatalf("rule %s: %+v after Write and Load, want %+v", arn, g, r.Transforms)
		}
		for i := range r.Transforms {
			n++
			if g.Transforms[i] != r.Transforms[i] {
				t.Errorf("rule %d transform %d: %+v, want %+v", r.Priority, i, g.Transforms[i], r.Transforms[i])
			}
		}
	}
	if n != 4 {
		t.Errorf("%d transforms, want 4", n)
	}
}

// A listener rule's regex conditions (RegexValues in the host-header,
// path-pattern and http-header configs, with the header's name) survive
// Write and Load.
func TestRoundTripRegexConditions(t *testing.T) {
	st := scenarioState(t, "../reach/testdata/alb-regex-conditions.yaml")
	got, _ := roundTrip(t, st)
	n := 0
	for arn, r := range st.ListenerRules {
		g := got.ListenerRules[arn]
		if g == nil || !reflect.DeepEqual(g.Conditions, r.Conditions) {
			t.Errorf("rule %s: %+v after Write and Load, want %+v", arn, g, r.Conditions)
			continue
		}
		for _, c := range r.Conditions {
			n += len(c.RegexValues)
		}
	}
	if n != 3 {
		t.Errorf("%d expressions, want 3", n)
	}
}

// Every kind of listener rule condition survives Write and Load as
// describe-rules answers it: the http-header condition's header name
// (HttpHeaderConfig), the query-string pairs (QueryStringConfig, a key
// or none), source-ip and http-request-method in their configs.
func TestRoundTripRuleConditions(t *testing.T) {
	st := scenarioState(t, "testdata/alb-conditions.yaml")
	got, _ := roundTrip(t, st)
	fields := map[string]bool{}
	for arn, r := range st.ListenerRules {
		g := got.ListenerRules[arn]
		if g == nil || !reflect.DeepEqual(g.Conditions, r.Conditions) {
			t.Errorf("rule %d: %+v after Write and Load, want %+v", r.Priority, g, r.Conditions)
		}
		for _, c := range r.Conditions {
			fields[c.Field] = true
		}
	}
	for _, f := range []string{"http-header", "query-string", "source-ip", "http-request-method", "path-pattern", "host-header"} {
		if !fields[f] {
			t.Errorf("no %s condition in the scenario", f)
		}
	}
}
