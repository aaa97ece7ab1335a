package elbproxy

import (
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Request is what listener rules look at in a request.
type Request struct {
	Method string
	Host   string // the Host header, without a port
	// HostHeader is the Host header as sent, port included: what a
	// host-header regex tests ("To match host headers containing a
	// non-standard port ... use regex values", terraform-provider-aws).
	HostHeader string
	Path       string // the URL's path, without the query string
	Query      string // the raw query string, without "?"
	Header     http.Header
	Client     netip.Addr // the address that connected to the load balancer
}

// requestOf extracts the rule inputs from an HTTP request.
func requestOf(r *http.Request, client netip.Addr) Request {
	return Request{Method: r.Method, Host: model.HostName(r.Host), HostHeader: r.Host, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header, Client: client}
}

// Matches reports whether every condition of a listener rule matches a
// request (ELBv2 API reference, the *ConditionConfig shapes): a condition
// matches when one of its values does; path-pattern is compared, case
// sensitive, with the path only; host-header and http-header values are
// compared case-insensitively; * matches any run of characters and ? one
// character in path, host, header and query-string values; a method must
// match exactly, case sensitive; query-string "key=value" pairs compare
// case-insensitively, an empty key matching any key; source-ip tests the
// connecting address, never X-Forwarded-For. A rule without conditions
// matches every request. A condition with RegexValues matches when one of
// its expressions matches (anywhere, unless anchored) the path, the Host
// header as sent or one of the header's values, case sensitive as
// written. Matches compiles them on each call: the proxy's hot path uses
// the ones its listener compiled once (matchesCompiled).
func Matches(conds []model.RuleCondition, r Request) bool {
	var res [][]*regexp.Regexp
	for i, c := range conds {
		if len(c.RegexValues) > 0 {
			if res == nil {
				res = make([][]*regexp.Regexp, len(conds))
			}
			res[i] = model.CompileRegexValues(c.RegexValues)
		}
	}
	return matchesCompiled(conds, res, r)
}

// matchesCompiled is Matches with each condition's RegexValues compiled
// (res, by condition index; nil when no condition has any).
func matchesCompiled(conds []model.RuleCondition, res [][]*regexp.Regexp, r Request) bool {
	for i, c := range conds {
		if len(c.RegexValues) > 0 {
			var re []*regexp.Regexp
			if i < len(res) {
				re = res[i]
			}
			if !regexMatches(c, re, r) {
				return false
			}
			continue
		}
		if !conditionMatches(c, r) {
			return false
		}
	}
	return true
}

// regexMatches tests a regex condition's compiled expressions.
func regexMatches(c model.RuleCondition, re []*regexp.Regexp, r Request) bool {
	switch c.Field {
	case "path-pattern":
		return model.MatchAnyRegex(re, r.Path)
	case "host-header":
		return model.MatchAnyRegex(re, r.HostHeader)
	case "http-header":
		for _, h := range r.Header.Values(c.HeaderName) {
			if model.MatchAnyRegex(re, h) {
				return true
			}
		}
	}
	return false
}

func conditionMatches(c model.RuleCondition, r Request) bool {
	switch c.Field {
	case "path-pattern":
		for _, v := range c.Values {
			if wildcard(v, r.Path) {
				return true
			}
		}
	case "host-header":
		host := strings.ToLower(r.Host)
		for _, v := range c.Values {
			if wildcard(strings.ToLower(v), host) {
				return true
			}
		}
	case "http-header":
		// "If the same header appears multiple times in the request, we
		// search them in order until a match is found."
		for _, h := range r.Header.Values(c.HeaderName) {
			h = strings.ToLower(h)
			for _, v := range c.Values {
				if wildcard(strings.ToLower(v), h) {
					return true
				}
			}
		}
	case "http-request-method":
		for _, v := range c.Values {
			if v == r.Method {
				return true
			}
		}
	case "query-string":
		pairs := queryPairs(r.Query)
		for _, v := range c.Values {
			key, val, _ := strings.Cut(v, "=") // the model's "key=value"; "=value" is any key
			key, val = strings.ToLower(key), strings.ToLower(val)
			for _, p := range pairs {
				if (key == "" || wildcard(key, p[0])) && wildcard(val, p[1]) {
					return true
				}
			}
		}
	case "source-ip":
		for _, v := range c.Values {
			if p, err := netip.ParsePrefix(v); err == nil && p.Contains(r.Client.Unmap()) {
				return true
			}
		}
	}
	return false
}

// queryPairs splits a raw query string into lower-cased, decoded key and
// value pairs.
func queryPairs(raw string) [][2]string {
	var out [][2]string
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if d, err := url.QueryUnescape(k); err == nil {
			k = d
		}
		if d, err := url.QueryUnescape(v); err == nil {
			v = d
		}
		out = append(out, [2]string{strings.ToLower(k), strings.ToLower(v)})
	}
	return out
}

// wildcard matches s against an ELB pattern: * matches zero or more
// characters, ? exactly one, and a backslash makes the next character
// literal ("To search for a literal '*' or '?' character ... escape these
// characters ... using a '\' character"). Nothing else is special: '/'
// and '.' are ordinary characters. Iterative, with one backtrack point,
// so its cost is O(len(p)·len(s)) at worst.
func wildcard(p, s string) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		if pi < len(p) {
			switch c := p[pi]; {
			case c == '*':
				star, mark = pi, si
				pi++
				continue
			case c == '?':
				pi++
				si++
				continue
			case c == '\\' && pi+1 < len(p):
				if p[pi+1] == s[si] {
					pi += 2
					si++
					continue
				}
			case c == s[si]:
				pi++
				si++
				continue
			}
		}
		if star < 0 {
			return false
		}
		mark++
		pi, si = star+1, mark
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
