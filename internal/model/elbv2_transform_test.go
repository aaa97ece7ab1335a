package model

import "testing"

func TestRuleTransformRewrite(t *testing.T) {
	for _, tc := range []struct {
		re, repl, in, want string
	}{
		{"^/api/(.*)$", "/$1", "/api/users?id=1", "/users?id=1"},
		{"^/api", "", "/api/x", "/x"},
		{"^/dp/([A-Za-z0-9]+)/?$", "/product.php?id=$1", "/dp/B0X1", "/product.php?id=B0X1"},
		{"^mywebsite-(.+).com$", "internal.dev.$1.myweb.com", "mywebsite-example.com", "internal.dev.example.myweb.com"},
		{"^/v(\\d)/", "/$1x/", "/v2/a", "/2x/a"},
		{"^/nomatch", "/", "/api", "/api"},
		{"a", "b", "aaa", "baa"},
	} {
		got, ok := RuleTransform{Type: TransformURLRewrite, Regex: tc.re, Replace: tc.repl}.Rewrite(tc.in)
		if !ok || got != tc.want {
			t.Errorf("%q -> %q on %q: got %q, %v; want %q", tc.re, tc.repl, tc.in, got, ok, tc.want)
		}
	}
	h, u := ApplyTransforms([]RuleTransform{{Type: TransformHostHeaderRewrite, Regex: "^www\\.", Replace: ""}, {Type: TransformURLRewrite, Regex: "^/api", Replace: ""}}, "www.example.com", "/api/x")
	if h != "example.com" || u != "/x" {
		t.Errorf("ApplyTransforms: %q %q", h, u)
	}
}
