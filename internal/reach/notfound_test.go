package reach

import (
	"strings"
	"testing"
)

// TestRuleNotFound: a 404 the target answers behind a listener rule is
// explained when a later rule that matches the request too forwards
// elsewhere (ECS_LB_RULE_SHADOWED), or when the application serves the path
// without the rule's path-pattern prefix (ECS_LB_PATH_NOT_REWRITTEN); a 404
// with neither cause, and the paths that answer, carry no such finding.
func TestRuleNotFound(t *testing.T) {
	for _, c := range []struct {
		file, to, path string
		want           Verdict
		code, msg      string
	}{
		{"alb-rule-catch-all-first.yaml", "app-alb:80", "/api/orders", HTTPVerdict(404), CodeRuleShadowed,
			"rule 2 [path-pattern /api/*] matches it too and forwards to api-tg"},
		{"alb-rule-catch-all-first.yaml", "app-alb:80", "/static/app.js", HTTP200, "", ""},
		{"alb-path-prefix-not-stripped.yaml", "shop-alb:80", "/api/users/7", HTTPVerdict(404), CodePathNotRewritten,
			"it does not strip /api. The application answers /api/users/7 with 404 and serves /users/7"},
		{"alb-path-prefix-not-stripped.yaml", "shop-alb:80", "/api/orders", HTTPVerdict(404), "", ""},
		{"alb-path-prefix-not-stripped.yaml", "shop-alb:80", "/", HTTP200, "", ""},
		// Rule 1 (host www.example.com) takes /orders to the front end, which
		// answers 404; rule 2 (/*) matches too, but its API answers 404 as
		// well: no shadowing. With another Host, rule 2 itself answers.
		{"rule-404-no-shadow.yaml", "app-alb:80", "/orders", HTTPVerdict(404), "", ""},
	} {
		file := repoFile("examples/failures/" + c.file)
		if !strings.HasPrefix(c.file, "alb-") {
			file = "testdata/" + c.file
		}
		n := compileEngine(build(t, file))
		q, err := NewQuery(n, "internet", c.to, "tcp")
		if err != nil {
			t.Fatal(err)
		}
		q.HTTPPath = c.path
		if c.file == "rule-404-no-shadow.yaml" {
			q.HTTPHost = "www.example.com"
		}
		r := Probe(n, q)
		if c.code == "" {
			if r.HasCode(CodeRuleShadowed) || r.HasCode(CodePathNotRewritten) || r.Verdict != c.want {
				t.Errorf("%s %s: %s %s", c.file, c.path, r.Verdict, codeList(r))
			}
			continue
		}
		x := check(t, r, c.want, c.code)[c.code]
		if !strings.Contains(x.Message, c.msg) || x.Decided == nil || x.Decided.Type != "listener-rule" || x.Component == nil {
			t.Errorf("%s %s: %+v", c.file, c.path, x)
		}
	}
}

// TestRuleURLRewrite: a rule's url-rewrite transform rewrites the path the
// target gets after the rule matched (ALB User Guide, "Transforms for
// listener rules"): /api/users/7 reaches the API as /users/7, which it
// serves; a rewrite that does not match leaves the path as it came, and the
// prefix still explains the 404. The rule-matched note names the rewritten
// request and host.
func TestRuleURLRewrite(t *testing.T) {
	n := compileEngine(build(t, "testdata/alb-url-rewrite.yaml"))
	for _, c := range []struct {
		path string
		want Verdict
		code string
	}{
		{"/api/users/7", HTTP200, ""},
		{"/api/users?id=7", HTTP200, ""},
		{"/api/orders", HTTPVerdict(404), ""},
		{"/v1/users", HTTPVerdict(404), CodePathNotRewritten},
		{"/", HTTP200, ""},
		{"/bad/users", HTTPVerdict(500), CodeTransformFailed},
	} {
		q, err := NewQuery(n, "internet", "shop-alb:80", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		q.HTTPPath = c.path
		r := Probe(n, q)
		if r.Verdict != c.want || (c.code == "") == (r.HasCode(CodePathNotRewritten) || r.HasCode(CodeTransformFailed)) || (c.code != "" && !r.HasCode(c.code)) {
			t.Errorf("%s: %s %s", c.path, r.Verdict, codeList(r))
		}
		if c.path == "/api/users/7" {
			found := false
			for _, x := range r.Explanations {
				found = found || x.Code == CodeListenerRule && strings.Contains(x.Message, "whose transforms rewrite it to GET /users/7 (Host api.internal)")
			}
			if !found {
				t.Errorf("the rule-matched note: %s", codeList(r))
			}
		}
	}
}
