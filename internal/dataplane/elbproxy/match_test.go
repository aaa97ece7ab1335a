package elbproxy

import (
	"net/http"
	"net/netip"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

func TestWildcard(t *testing.T) {
	cases := []struct {
		p, s string
		want bool
	}{
		{"/api/*", "/api/orders", true},
		{"/api/*", "/api/", true},
		{"/api/*", "/api", false},
		{"/api/*", "/API/orders", false},
		{"*", "", true},
		{"*", "/a/b/c", true}, // '/' is an ordinary character
		{"/img/*.png", "/img/a/b.png", true},
		{"/img/*.png", "/img/a/b.jpg", false},
		{"/v?/x", "/v1/x", true},
		{"/v?/x", "/v10/x", false},
		{"?", "", false},
		{"a*b*c", "aXXbYYc", true},
		{"a*b*c", "aXXbYY", false},
		{"*.example.com", "www.example.com", true},
		{"*.example.com", "example.com", false},
		{`/literal\*`, "/literal*", true},
		{`/literal\*`, "/literalX", false},
		{`what\?`, "what?", true},
		{"", "", true},
		{"", "x", false},
		{"**", "abc", true},
	}
	for _, c := range cases {
		if got := wildcard(c.p, c.s); got != c.want {
			t.Errorf("wildcard(%q, %q) = %v, want %v", c.p, c.s, got, c.want)
		}
	}
}

// Listener rule conditions, each as the ELBv2 API reference describes it.
func TestMatches(t *testing.T) {
	base := Request{Method: "GET", Host: "www.shop.example", HostHeader: "www.shop.example:8080", Path: "/api/orders", Query: "Lang=EN&debug&q=a%20b",
		Header: http.Header{"User-Agent": {"curl/8.0"}, "X-Env": {"prod", "Canary"}}, Client: netip.MustParseAddr("198.51.100.7")}
	cond := func(field string, vals ...string) model.RuleCondition {
		return model.RuleCondition{Field: field, Values: vals}
	}
	hdr := func(name string, vals ...string) model.RuleCondition {
		return model.RuleCondition{Field: "http-header", HeaderName: name, Values: vals}
	}
	re := func(field string, res ...string) model.RuleCondition {
		return model.RuleCondition{Field: field, RegexValues: res}
	}
	cases := []struct {
		name  string
		conds []model.RuleCondition
		want  bool
	}{
		{"no conditions match everything", nil, true},
		{"path exact", []model.RuleCondition{cond("path-pattern", "/api/orders")}, true},
		{"path wildcard", []model.RuleCondition{cond("path-pattern", "/api/*")}, true},
		{"path is case sensitive", []model.RuleCondition{cond("path-pattern", "/API/*")}, false},
		{"path excludes the query", []model.RuleCondition{cond("path-pattern", "*Lang*")}, false},
		{"one of the values", []model.RuleCondition{cond("path-pattern", "/web/*", "/api/*")}, true},
		{"host case-insensitive", []model.RuleCondition{cond("host-header", "WWW.SHOP.EXAMPLE")}, true},
		{"host wildcard", []model.RuleCondition{cond("host-header", "*.shop.example")}, true},
		{"host other", []model.RuleCondition{cond("host-header", "api.shop.example")}, false},
		{"method exact", []model.RuleCondition{cond("http-request-method", "GET")}, true},
		{"method case sensitive", []model.RuleCondition{cond("http-request-method", "get")}, false},
		{"method no wildcard", []model.RuleCondition{cond("http-request-method", "G*")}, false},
		{"header value case-insensitive", []model.RuleCondition{hdr("user-agent", "CURL/*")}, true},
		{"header repeated: any occurrence", []model.RuleCondition{hdr("X-Env", "canary")}, true},
		{"header absent", []model.RuleCondition{hdr("X-Missing", "*")}, false},
		{"query key=value case-insensitive", []model.RuleCondition{cond("query-string", "lang=en")}, true},
		{"query any key", []model.RuleCondition{cond("query-string", "=EN")}, true},
		{"query decoded value", []model.RuleCondition{cond("query-string", "q=a b")}, true},
		{"query wildcard", []model.RuleCondition{cond("query-string", "lang=e?")}, true},
		{"query key without value", []model.RuleCondition{cond("query-string", "debug=")}, true},
		{"query no such pair", []model.RuleCondition{cond("query-string", "lang=fr")}, false},
		{"source-ip in CIDR", []model.RuleCondition{cond("source-ip", "198.51.100.0/24")}, true},
		{"source-ip outside", []model.RuleCondition{cond("source-ip", "10.0.0.0/8", "192.0.2.0/24")}, false},
		{"all conditions must match", []model.RuleCondition{cond("path-pattern", "/api/*"), cond("host-header", "api.shop.example")}, false},
		{"all conditions match", []model.RuleCondition{cond("path-pattern", "/api/*"), cond("host-header", "www.*"), cond("source-ip", "0.0.0.0/0")}, true},
		{"unknown field never matches", []model.RuleCondition{cond("authenticate", "x")}, false},
		{"path regex", []model.RuleCondition{re("path-pattern", `^/api/[a-z]+$`)}, true},
		{"path regex unanchored", []model.RuleCondition{re("path-pattern", `orders`)}, true},
		{"path regex anchored", []model.RuleCondition{re("path-pattern", `^orders`)}, false},
		{"path regex case sensitive", []model.RuleCondition{re("path-pattern", `^/API/`)}, false},
		{"path regex one of", []model.RuleCondition{re("path-pattern", `^/web`, `^/api`)}, true},
		{"host regex includes the port", []model.RuleCondition{re("host-header", `^www\.shop\.example:8080$`)}, true},
		{"host regex without the port", []model.RuleCondition{re("host-header", `^www\.shop\.example$`)}, false},
		{"header regex any occurrence", []model.RuleCondition{{Field: "http-header", HeaderName: "x-env", RegexValues: []string{`^Can`}}}, true},
		{"header regex absent", []model.RuleCondition{{Field: "http-header", HeaderName: "X-Missing", RegexValues: []string{`.*`}}}, false},
		{"regex and values conditions", []model.RuleCondition{re("path-pattern", `^/api/`), cond("host-header", "www.*")}, true},
	}
	for _, c := range cases {
		if got := Matches(c.conds, base); got != c.want {
			t.Errorf("%s: Matches = %v, want %v", c.name, got, c.want)
		}
	}
	// source-ip tests the connection's address, never X-Forwarded-For.
	r := base
	r.Header = http.Header{"X-Forwarded-For": {"10.1.2.3"}}
	if Matches([]model.RuleCondition{cond("source-ip", "10.0.0.0/8")}, r) {
		t.Error("source-ip matched X-Forwarded-For")
	}
}

// The redirect action's defaults and keywords.
func TestRedirectLocation(t *testing.T) {
	l := &listener{l: &model.Listener{Port: 80, Protocol: "HTTP"}, port: "80"}
	cases := []struct {
		cfg  map[string]string
		url  string
		want string
		code int
	}{
		{map[string]string{"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}, "/a/b?x=1", "https://shop.example/a/b?x=1", 301},
		{map[string]string{"Host": "new.#{host}", "Path": "/v2/#{path}", "StatusCode": "HTTP_302"}, "/a", "http://new.shop.example/v2/a", 302},
		{map[string]string{"Port": "8080", "Query": "from=#{port}"}, "/", "http://shop.example:8080/?from=80", 301},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(http.MethodGet, "http://shop.example"+c.url, nil)
		resp := redirect(req, c.cfg, l)
		if got := resp.Header.Get("Location"); got != c.want || resp.StatusCode != c.code {
			t.Errorf("%v on %s: %d %s, want %d %s", c.cfg, c.url, resp.StatusCode, got, c.code, c.want)
		}
	}
}
