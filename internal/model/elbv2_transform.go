package model

import (
	"regexp"
	"strings"
)

// Rule transform types (ALB User Guide, "Transforms for listener rules").
const (
	TransformHostHeaderRewrite = "host-header-rewrite"
	TransformURLRewrite        = "url-rewrite"
)

// RuleTransform rewrites a request a listener rule matched before the load
// balancer sends it to the targets: the host header (host-header-rewrite) or
// the URL, path and query string (url-rewrite). AWS takes one rewrite, a
// regular expression and its replacement, per transform.
type RuleTransform struct {
	Type    string
	Regex   string
	Replace string
}

// Rewrite applies the transform to s: the first match of the regular
// expression is replaced, $1, $2 … naming its capture groups. Without a
// match s stays as it is ("the original request is sent to the target").
// ok is false when the regular expression does not compile, which the
// API refuses before a rule is stored.
func (t RuleTransform) Rewrite(s string) (out string, ok bool) {
	re, err := regexp.Compile(t.Regex)
	if err != nil {
		return s, false
	}
	m := re.FindStringSubmatchIndex(s)
	if m == nil {
		return s, true
	}
	var b []byte
	b = re.ExpandString(b, braceGroups(t.Replace), s, m)
	return s[:m[0]] + string(b) + s[m[1]:], true
}

// braceGroups writes $N as ${N}, so that "$1x" is group 1 followed by x
// (Go's template reads $1x as a group named 1x).
func braceGroups(tmpl string) string {
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		c := tmpl[i]
		if c == '$' && i+1 < len(tmpl) && tmpl[i+1] >= '0' && tmpl[i+1] <= '9' {
			j := i + 1
			for j < len(tmpl) && tmpl[j] >= '0' && tmpl[j] <= '9' {
				j++
			}
			b.WriteString("${" + tmpl[i+1:j] + "}")
			i = j - 1
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// ApplyTransforms rewrites a request's host and URL (path with its query
// string, "/p?q") with a rule's transforms.
func ApplyTransforms(ts []RuleTransform, host, url string) (string, string) {
	for _, t := range ts {
		switch t.Type {
		case TransformHostHeaderRewrite:
			host, _ = t.Rewrite(host)
		case TransformURLRewrite:
			url, _ = t.Rewrite(url)
		}
	}
	return host, url
}
