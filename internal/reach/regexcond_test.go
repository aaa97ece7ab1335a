package reach

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestRuleRegexConditions: listener rule conditions with RegexValues (ALB
// User Guide, "Condition types for listener rules": value or regex
// matching) choose the rule: a request whose path, Host header (port
// included) or header matches one of a rule's expressions reaches the
// rule's target group; one that matches none falls to the default action.
// The expression matches anywhere in the value unless anchored [choice].
func TestRuleRegexConditions(t *testing.T) {
	e := build(t, "testdata/alb-url-rewrite.yaml")
	st, _ := e.Snapshot()
	rules := map[int]string{}
	for _, r := range st.ListenerRules {
		rules[r.Priority] = r.ARN
	}
	modify := func(prio int, conds ...model.RuleCondition) {
		if _, err := e.ModifyRule(engine.ModifyRuleInput{RuleARN: rules[prio], Conditions: conds, ResetTransforms: true}); err != nil {
			t.Fatal(err)
		}
	}
	// Rule 10 forwards to the API (which serves /users and /users/*), the
	// default action to the web app (which answers both with 404).
	modify(10, model.RuleCondition{Field: "path-pattern", RegexValues: []string{`^/users(/[0-9]+)?$`}})
	modify(20, model.RuleCondition{Field: "host-header", RegexValues: []string{`^api\.example\.com:8443$`}})
	modify(30, model.RuleCondition{Field: "http-header", HeaderName: "X-Client", RegexValues: []string{`mobile`}})
	// The same rules from the scenario file's path_regex, host_regex and
	// header_regex.
	for _, n := range []*Network{compileEngine(e), compileEngine(build(t, "testdata/alb-regex-conditions.yaml"))} {
		probeRegexRules(t, n)
	}
}

func probeRegexRules(t *testing.T, n *Network) {
	t.Helper()
	for _, c := range []struct {
		path, host string
		header     map[string]string
		want       Verdict
		rule       string
	}{
		{"/users/7", "", nil, HTTP200, "rule 10 [path-pattern matching ^/users(/[0-9]+)?$]"},
		{"/users", "", nil, HTTP200, "rule 10"},
		{"/users/seven", "", nil, HTTPVerdict(404), "the default action"},
		{"/v1/users", "", nil, HTTPVerdict(404), "the default action"},
		{"/users/x", "api.example.com:8443", nil, HTTP200, "rule 20 [host-header matching"},
		{"/users/x", "api.example.com", nil, HTTPVerdict(404), "the default action"},
		{"/users/x", "", map[string]string{"X-Client": "ios-mobile-app"}, HTTP200, "rule 30 [http-header X-Client matching mobile]"},
		{"/users/x", "", map[string]string{"X-Client": "Mobile"}, HTTPVerdict(404), "the default action"},
	} {
		q, err := NewQuery(n, "internet", "shop-alb:80", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		q.HTTPPath, q.HTTPHost, q.HTTPHeaders = c.path, c.host, c.header
		r := Probe(n, q)
		note := ""
		for _, x := range r.Explanations {
			if x.Code == CodeListenerRule {
				note = x.Message
			}
		}
		if r.Verdict != c.want || !strings.Contains(note, " with "+c.rule) {
			t.Errorf("%s (Host %q, %v): %s %q, want %s with %s", c.path, c.host, c.header, r.Verdict, note, c.want, c.rule)
		}
	}
}

// TestExposureRegexRules: the exposure report probes each regex rule with a
// request its expressions match, which the rule takes to the API.
func TestExposureRegexRules(t *testing.T) {
	rep := Exposure(compileEngine(build(t, "testdata/alb-regex-conditions.yaml")))
	seen := map[string]string{}
	for _, x := range append(rep.Entries, rep.Failing...) {
		if strings.HasPrefix(x.Rule, "rule ") {
			seen[x.Rule] = fmt.Sprint(x.Request, " ", x.Verdict)
		}
	}
	for rule, want := range map[string]string{
		"rule 10 [path-pattern matching ^/users(/[0-9]+)?$]":      "/users http 200",
		`rule 20 [host-header matching ^api\.example\.com:8443$]`: "GET api.example.com:8443/ http 404",
	} {
		if got := seen[rule]; !strings.HasSuffix(got, want) {
			t.Errorf("%s: exposure sent %q, want …%q (all: %v)", rule, got, want, seen)
		}
	}
}

// TestRuleHostValuesIgnorePort: a host-header condition's Values match the
// Host header's host without its port (a value cannot name one; regular
// expressions see the header whole), as the data plane's proxy does: a
// request for www.example.com:8080 takes a rule of www.example.com.
func TestRuleHostValuesIgnorePort(t *testing.T) {
	e := build(t, "testdata/alb-url-rewrite.yaml")
	st, _ := e.Snapshot()
	var arn string
	for _, r := range st.ListenerRules {
		if r.Priority == 10 {
			arn = r.ARN
		}
	}
	if _, err := e.ModifyRule(engine.ModifyRuleInput{RuleARN: arn, ResetTransforms: true,
		Conditions: []model.RuleCondition{{Field: "host-header", Values: []string{"www.example.com"}}}}); err != nil {
		t.Fatal(err)
	}
	n := compileEngine(e)
	for _, host := range []string{"www.example.com", "WWW.example.com:8080", "www.example.com:443"} {
		q, err := NewQuery(n, "internet", "shop-alb:80", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		q.HTTPPath, q.HTTPHost = "/users", host
		r := Probe(n, q)
		taken := false
		for _, x := range r.Explanations {
			taken = taken || x.Code == CodeListenerRule && strings.Contains(x.Message, "rule 10")
		}
		if !taken {
			t.Errorf("Host %q: %s, want rule 10 to take it", host, r.Summary)
		}
	}
}
