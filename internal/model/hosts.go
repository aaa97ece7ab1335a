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
	host = strings.ToLower(strings.TrimSuffix(HostName(host), "."))
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

// HostName is a Host header without its port: what listener rules'
// host-header values and applications' host checks compare (a
// host-header regex sees the header whole).
func HostName(h string) string {
	if strings.IndexByte(h, ':') < 0 {
		return h
	}
	if host, _, err := net.SplitHostPort(h); err == nil {
		return host
	}
	return h
}
