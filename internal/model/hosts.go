package model

import (
	"net"
	"strings"
)

// HostAllowed reports whether an application whose allowed hosts are
// allowed answers a request whose Host header is host, as Django's host
// check does (ALLOWED_HOSTS): nil allows every host; the host, without
// its port and case-insensitively, must equal one of them, or end with
// one that starts with "." (".example.com" takes example.com and its
// subdomains); "*" allows every host.
func HostAllowed(allowed []string, host string) bool {
	if allowed == nil {
		return true
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, a := range allowed {
		a = strings.ToLower(a)
		switch {
		case a == "*" || a == host:
			return true
		case strings.HasPrefix(a, ".") && (host == a[1:] || strings.HasSuffix(host, a)):
			return true
		}
	}
	return false
}
