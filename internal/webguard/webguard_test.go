package webguard_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ecsnet/ecsnet/internal/webguard"
)

func req(method, host string, headers ...string) *http.Request {
	r := httptest.NewRequest(method, "/", nil)
	r.Host = host
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	return r
}

func TestHosts(t *testing.T) {
	g, err := webguard.New("ecsnet.internal, 192.0.2.10", "*.dev.example", "[2001:db8::1]")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		host string
		ok   bool
	}{
		{"127.0.0.1:4566", true},
		{"127.1.2.3:4566", true},
		{"[::1]:4566", true},
		{"[::ffff:127.0.0.1]:4566", true},
		{"localhost:4566", true},
		{"LOCALHOST.:4566", true},
		{"api.localhost:4566", true},
		{"localhost", true},
		{"ecsnet.internal:4566", true},
		{"192.0.2.10:4566", true},
		{"[2001:db8::1]:4566", true},
		{"a.dev.example:4566", true},
		{"dev.example:4566", false},
		{"evil.example:4566", false},
		{"localhost.evil.example:4566", false},
		{"127.0.0.1.nip.io:4566", false},
		{"0.0.0.0:4566", false},
		{"192.0.2.11:4566", false},
		{"[fe80::1%25eth0]:4566", false},
		{"", false},
		// Cloud Map's data endpoint: "data-" before an allowed host.
		{"data-127.0.0.1:4566", true},
		{"data-localhost:4566", true},
		{"data-ecsnet.internal:4566", true},
		{"data-192.0.2.10:4566", true},
		{"data-evil.example:4566", false},
		{"data-192.0.2.11:4566", false},
		{"data-:4566", false},
	} {
		err := g.CheckHost(req("GET", tc.host))
		if (err == nil) != tc.ok {
			t.Errorf("Host %q: err %v, want allowed=%v", tc.host, err, tc.ok)
		}
		if err != nil && !webguard.IsRefusal(err) {
			t.Errorf("Host %q: %T is not a refusal", tc.host, err)
		}
	}
	var zero *webguard.Guard
	if zero.CheckHost(req("GET", "localhost:1")) != nil || zero.CheckHost(req("GET", "evil.example")) == nil {
		t.Error("a nil guard must allow loopback names only")
	}
	any, _ := webguard.New("*")
	if any.CheckHost(req("GET", "evil.example")) != nil {
		t.Error(`"*" must allow any host`)
	}
}

func TestBadAllowEntries(t *testing.T) {
	for _, bad := range []string{"evil.example:80", "http://x", "a b", "-x.example", "*.", "x..y"} {
		if _, err := webguard.New(bad); err == nil {
			t.Errorf("New(%q): no error", bad)
		}
	}
}

func TestBoundHost(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:4566": "127.0.0.1", ":4566": "", "0.0.0.0:4566": "", "[::]:4566": "",
		"192.0.2.10:0": "192.0.2.10", "myhost:4566": "myhost", "garbage": "",
	} {
		if got := webguard.BoundHost(addr); got != want {
			t.Errorf("BoundHost(%q) = %q, want %q", addr, got, want)
		}
	}
}

// Headers as browsers send them (Chromium 130, Firefox 133).
func TestBrowserRequests(t *testing.T) {
	const host = "127.0.0.1:4566"
	for _, tc := range []struct {
		name string
		r    *http.Request
		ok   bool
	}{
		{"aws CLI / SDK", req("POST", host, "Authorization", "AWS4-HMAC-SHA256 Credential=x"), true},
		{"curl", req("GET", host), true},
		{"form POST from another site", req("POST", host, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", "document"), false},
		{"form POST, old browser without Sec-Fetch", req("POST", host, "Origin", "https://evil.example"), false},
		{"img GET", req("GET", host, "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Dest", "image"), false},
		{"no-cors fetch POST", req("POST", host, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Dest", "empty"), false},
		{"another port of localhost", req("POST", host, "Origin", "http://localhost:3000", "Sec-Fetch-Site", "same-site", "Sec-Fetch-Mode", "cors"), false},
		{"sandboxed frame", req("POST", host, "Origin", "null", "Sec-Fetch-Site", "cross-site"), false},
		{"Origin null alone", req("POST", host, "Origin", "null"), false},
		{"iframe", req("GET", host, "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", "iframe"), false},
		{"link followed from another site", req("GET", host, "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", "document"), true},
		{"typed address", req("GET", host, "Sec-Fetch-Site", "none", "Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", "document"), true},
		{"the page's own fetch", req("POST", host, "Origin", "http://127.0.0.1:4566", "Sec-Fetch-Site", "same-origin", "Sec-Fetch-Mode", "cors"), true},
		{"own origin, other case", req("POST", host, "Origin", "HTTP://127.0.0.1:4566"), true},
		{"own origin, default port", req("POST", "localhost", "Origin", "http://localhost:80"), true},
		{"https origin to http server", req("POST", host, "Origin", "https://127.0.0.1:4566"), false},
		{"unknown Sec-Fetch-Site", req("POST", host, "Sec-Fetch-Site", "elsewhere"), false},
	} {
		err := webguard.CheckBrowser(tc.r)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err %v, want allowed=%v", tc.name, err, tc.ok)
		}
	}
	r := req("POST", "127.0.0.1:8443", "Origin", "https://127.0.0.1:8443")
	r.TLS = &tls.ConnectionState{}
	if err := webguard.CheckBrowser(r); err != nil {
		t.Errorf("https page of an https server: %v", err)
	}
}

// FuzzCheck: any Host, Origin and Sec-Fetch-* headers give an answer,
// never a panic, and a refusal is always a *Refusal.
func FuzzCheck(f *testing.F) {
	g, err := webguard.New("ecsnet.test", "*.dev.example", "192.0.2.1")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("127.0.0.1:4566", "http://127.0.0.1:4566", "same-origin", "cors", "empty", "POST")
	f.Add("[::1]", "null", "cross-site", "navigate", "document", "GET")
	f.Add("a.dev.example.", "https://[::1]:0", "same-site", "no-cors", "image", "HEAD")
	f.Add("[fe80::1%eth0]:1", "http://user@h/p", "", "", "", "DELETE")
	f.Fuzz(func(t *testing.T, host, origin, site, mode, dest, method string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Method, r.Host = method, host
		for k, v := range map[string]string{"Origin": origin, "Sec-Fetch-Site": site, "Sec-Fetch-Mode": mode, "Sec-Fetch-Dest": dest} {
			if v != "" {
				r.Header.Set(k, v)
			}
		}
		if err := g.Check(r); err != nil && !webguard.IsRefusal(err) {
			t.Fatalf("%T is not a refusal", err)
		}
	})
}
