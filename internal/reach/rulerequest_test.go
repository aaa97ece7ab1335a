package reach

import (
	"regexp"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestRuleRequestPath: the request exposure sends for a rule's path
// pattern is a path a client can send, starting with "/", that the
// pattern matches.
func TestRuleRequestPath(t *testing.T) {
	for pattern, want := range map[string]string{"*": "/", "*.jpg": "/.jpg", "/api/*": "/api/x", "/x?": "/xx"} {
		r := &model.ListenerRule{Conditions: []model.RuleCondition{{Field: "path-pattern", Values: []string{pattern}}}}
		if path, _, _, _ := ruleRequest(r); path != want || !globMatch(pattern, path) {
			t.Errorf("pattern %q: request path %q, want %q (matched by the pattern)", pattern, path, want)
		}
	}
}

// TestRuleRequestRegex: for a regex condition, exposure sends a request the
// expression matches: a path that starts with "/", a host, a header value;
// an expression no short sample satisfies adds nothing.
func TestRuleRequestRegex(t *testing.T) {
	for _, c := range []struct {
		field, expr string
		ok          bool
	}{
		{"path-pattern", `^/v[0-9]+/orders$`, true},
		{"path-pattern", `orders/(new|old)`, true},
		{"path-pattern", `^/users(/[0-9]+)?$`, true},
		{"path-pattern", `^/a{3}b+c*$`, true},
		{"path-pattern", `^api`, false}, // no path starts with a letter
		{"host-header", `^api[0-9]*\.example\.com(:[0-9]+)?$`, true},
		{"host-header", `(?i)^WWW\.[a-z]+\.test$`, true},
		{"http-header", `[^ ]+mobile\b`, true},
	} {
		v, ok := regexSample(c.expr, c.field == "path-pattern")
		if ok != c.ok {
			t.Errorf("%s %q: sample %q ok %v, want ok %v", c.field, c.expr, v, ok, c.ok)
			continue
		}
		if !ok {
			continue
		}
		if !regexp.MustCompile(c.expr).MatchString(v) || (c.field == "path-pattern" && !strings.HasPrefix(v, "/")) {
			t.Errorf("%s %q: sample %q does not match", c.field, c.expr, v)
		}
		r := &model.ListenerRule{Conditions: []model.RuleCondition{{Field: c.field, HeaderName: "User-Agent", RegexValues: []string{c.expr}}}}
		path, host, _, headers := ruleRequest(r)
		got := map[string]string{"path-pattern": path, "host-header": host, "http-header": headers["User-Agent"]}[c.field]
		if got != v {
			t.Errorf("%s %q: request %q, want %q", c.field, c.expr, got, v)
		}
	}
}

// TestRuleMatchesNoPath: a path pattern that starts with a character other
// than "/" or a wildcard ("a/b/c", which ALB accepts) matches no request
// path; one usable value among several is enough.
func TestRuleMatchesNoPath(t *testing.T) {
	for _, c := range []struct {
		values []string
		none   bool
	}{
		{[]string{"a/b/c"}, true},
		{[]string{"api"}, true},
		{[]string{"a/b/c", "/a/b/c"}, false},
		{[]string{"*"}, false},
		{[]string{"?pi"}, false},
		{[]string{"/api/*"}, false},
	} {
		r := &model.ListenerRule{Conditions: []model.RuleCondition{{Field: "path-pattern", Values: c.values}}}
		if got := matchesNoPath(r); got != c.none {
			t.Errorf("%q: matchesNoPath %v, want %v", c.values, got, c.none)
		}
		if path, _, _, _ := ruleRequest(r); !c.none && (!strings.HasPrefix(path, "/") || !globMatch(pathOf(c.values, path), path)) {
			t.Errorf("%q: request path %q, want one a value matches", c.values, path)
		}
	}
}

// pathOf returns the value of values that matches path ("" if none).
func pathOf(values []string, path string) string {
	for _, v := range values {
		if globMatch(v, path) {
			return v
		}
	}
	return ""
}
