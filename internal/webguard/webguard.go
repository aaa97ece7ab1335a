// Package webguard keeps web pages from driving ecsnet's local servers
// (ecsnet serve, its /ui/ and /moto-api/ paths, and ecsnet ui), which
// listen on the user's own machine, usually on 127.0.0.1, with no
// credentials to check.
//
// Two checks, both on request headers only (docs/security.md has the
// threat model):
//
//   - Host: a request is answered only when its Host names a loopback
//     address (localhost, *.localhost, 127.0.0.0/8, ::1) or a name the
//     user allowed (--allow-host, and the address the server was bound
//     to), or the "data-" form of one of those (data-127.0.0.1,
//     data-localhost: where the SDKs send Cloud Map's DiscoverInstances).
//     A page on evil.example whose name an attacker re-points at
//     127.0.0.1 (DNS rebinding) still sends Host: evil.example.
//   - Browser: a request a browser sends on behalf of another site is
//     refused: Sec-Fetch-Site cross-site or same-site (another port of
//     localhost is the same site), an Origin other than the server's own,
//     and Origin: null (sandboxed frames, data: and file: pages). A
//     top-level navigation (a link the user follows, GET or HEAD) is let
//     through: it reads nothing into the other site and changes nothing.
//
// The aws CLI, the SDKs and test scripts send neither Origin nor
// Sec-Fetch-* headers, so they pass the browser check unchanged.
package webguard

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// Guard holds the host names a server answers besides loopback ones. The
// zero value allows loopback names only.
type Guard struct {
	any      bool
	names    map[string]bool // lower case, no trailing dot
	addrs    map[netip.Addr]bool
	suffixes []string // ".example.com" for "*.example.com"
}

// New returns a guard that also allows the given hosts: names
// (ecsnet.internal), IP addresses (192.0.2.10, ::1, [2001:db8::1]),
// "*.example.com" for every name under example.com, or "*" for any host
// (which gives up the protection against DNS rebinding). Entries may be
// comma-separated lists; empty entries are ignored.
func New(allow ...string) (*Guard, error) {
	g := &Guard{names: map[string]bool{}, addrs: map[netip.Addr]bool{}}
	for _, list := range allow {
		for _, h := range strings.Split(list, ",") {
			h = strings.TrimSpace(h)
			if h == "" {
				continue
			}
			if err := g.add(h); err != nil {
				return nil, err
			}
		}
	}
	return g, nil
}

func (g *Guard) add(h string) error {
	if h == "*" {
		g.any = true
		return nil
	}
	if a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")); err == nil {
		g.addrs[a.Unmap().WithZone("")] = true
		return nil
	}
	name := strings.ToLower(strings.TrimSuffix(h, "."))
	wild := strings.HasPrefix(name, "*.")
	if wild {
		name = name[2:]
	}
	if !validName(name) {
		if _, _, err := net.SplitHostPort(h); err == nil {
			return fmt.Errorf("allowed host %q: give a host name or address without a port", h)
		}
		return fmt.Errorf("allowed host %q: not a host name, an IP address, *.DOMAIN or *", h)
	}
	if wild {
		g.suffixes = append(g.suffixes, "."+name)
	} else {
		g.names[name] = true
	}
	return nil
}

// validName reports whether s is a DNS name (letters, digits, hyphens and
// underscores in dot-separated labels).
func validName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// BoundHost returns the host of a listen address ("192.0.2.10:4566" →
// "192.0.2.10") when it names one host, and "" for a wildcard (":4566",
// "0.0.0.0:4566", "[::]:4566"): a server bound to a specific address
// answers requests for it.
func BoundHost(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return ""
	}
	if a, err := netip.ParseAddr(host); err == nil && a.IsUnspecified() {
		return ""
	}
	return host
}

// Refusal is why a request was refused.
type Refusal struct {
	Reason string
}

func (r *Refusal) Error() string { return r.Reason }

// IsRefusal reports whether err is a *Refusal.
func IsRefusal(err error) bool {
	var r *Refusal
	return errors.As(err, &r)
}

// Check returns a *Refusal when the request's Host is not allowed or a
// browser sent it from another site, else nil.
func (g *Guard) Check(r *http.Request) error {
	if err := g.CheckHost(r); err != nil {
		return err
	}
	return CheckBrowser(r)
}

// CheckHost returns a *Refusal unless the request's Host is a loopback
// name or address, or allowed.
func (g *Guard) CheckHost(r *http.Request) error {
	if g.allowed(r.Host) {
		return nil
	}
	return &Refusal{Reason: fmt.Sprintf("ecsnet answers only requests for loopback host names (localhost, 127.0.0.1, ::1) and those allowed with --allow-host; Host %q is neither: "+
		"if every client that can reach the port is trusted, start ecsnet with --allow-host %s (docs/security.md)", r.Host, hostName(r.Host))}
}

// hostName is the name part of a Host header, without its port or an
// IPv6 address's brackets: what --allow-host takes.
func hostName(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return strings.Trim(hostport, "[]")
}

func (g *Guard) allowed(hostport string) bool {
	if g != nil && g.any {
		return true
	}
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	if host == "" {
		return false
	}
	// The SDKs send Cloud Map's DiscoverInstances to the "data-" form of
	// the endpoint's host (botocore's hostPrefix): the same server.
	if rest, ok := strings.CutPrefix(strings.ToLower(host), "data-"); ok && rest != "" {
		if _, err := netip.ParseAddr(rest); err == nil || rest == "localhost" {
			host = rest
		}
	}
	if a, err := netip.ParseAddr(host); err == nil {
		a = a.Unmap()
		if a.Zone() != "" {
			return false
		}
		return a.IsLoopback() || (g != nil && g.addrs[a])
	}
	name := strings.ToLower(strings.TrimSuffix(host, "."))
	if name == "localhost" || strings.HasSuffix(name, ".localhost") {
		return true
	}
	if g == nil {
		return false
	}
	if g.names[name] || strings.HasPrefix(name, "data-") && g.names[name[len("data-"):]] {
		return true
	}
	for _, s := range g.suffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// CheckBrowser returns a *Refusal when the request is one a browser sent on
// behalf of another site: Sec-Fetch-Site cross-site or same-site (other
// than a top-level GET or HEAD navigation), an Origin that is not the
// server's own, or Origin: null.
func CheckBrowser(r *http.Request) error {
	switch site := strings.ToLower(r.Header.Get("Sec-Fetch-Site")); site {
	case "", "same-origin", "none":
	case "cross-site", "same-site":
		if !navigation(r) {
			return &Refusal{Reason: "ecsnet refuses requests that a web browser sends on behalf of another site (Sec-Fetch-Site: " + site + "); docs/security.md"}
		}
	default:
		return &Refusal{Reason: fmt.Sprintf("ecsnet refuses requests with an unknown Sec-Fetch-Site %q; docs/security.md", site)}
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return nil
	}
	if origin == "null" {
		return &Refusal{Reason: "ecsnet refuses requests from an opaque origin (Origin: null), as sandboxed frames and file: pages send them; docs/security.md"}
	}
	if !sameOrigin(origin, r) {
		return &Refusal{Reason: fmt.Sprintf("ecsnet refuses requests that a web page on %s sends; only its own pages may call it (docs/security.md)", origin)}
	}
	return nil
}

// navigation reports whether a request is a top-level navigation: the user
// following a link or typing an address. It reads and changes nothing the
// other site can see.
func navigation(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if strings.ToLower(r.Header.Get("Sec-Fetch-Mode")) != "navigate" {
		return false
	}
	dest := strings.ToLower(r.Header.Get("Sec-Fetch-Dest"))
	return dest == "" || dest == "document"
}

// sameOrigin reports whether origin (scheme://host[:port]) is the origin of
// the server the request was sent to.
func sameOrigin(origin string, r *http.Request) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || u.Path != "" || u.User != nil {
		return false
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if !strings.EqualFold(u.Scheme, scheme) {
		return false
	}
	return hostPortEqual(u.Host, r.Host, scheme)
}

func hostPortEqual(a, b, scheme string) bool {
	norm := func(hp string) string {
		hp = strings.ToLower(hp)
		h, p, err := net.SplitHostPort(hp)
		if err != nil {
			h, p = strings.TrimSuffix(strings.TrimPrefix(hp, "["), "]"), ""
		}
		if p == "" || (scheme == "http" && p == "80") || (scheme == "https" && p == "443") {
			p = ""
		}
		return net.JoinHostPort(strings.TrimSuffix(h, "."), p)
	}
	return norm(a) == norm(b)
}
