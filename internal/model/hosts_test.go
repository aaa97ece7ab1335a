package model

import "testing"

// TestHostAllowed: Django's host check (ALLOWED_HOSTS): exact names
// without the port and case, ".example.com" for the domain and its
// subdomains, "*" for any; nil allows every host, an empty list none.
func TestHostAllowed(t *testing.T) {
	for _, c := range []struct {
		allowed []string
		host    string
		want    bool
	}{
		{nil, "10.0.1.85:8000", true},
		{[]string{}, "example.com", false},
		{[]string{"example.com"}, "example.com", true},
		{[]string{"example.com"}, "EXAMPLE.com:8443", true},
		{[]string{"example.com"}, "www.example.com", false},
		{[]string{"example.com"}, "10.0.1.85:8000", false},
		{[]string{".example.com"}, "example.com", true},
		{[]string{".example.com"}, "api.example.com", true},
		{[]string{".example.com"}, "badexample.com", false},
		{[]string{"*"}, "10.0.1.85:8000", true},
		{[]string{"10.0.1.85"}, "10.0.1.85:8000", true},
		{[]string{"example.com"}, "example.com.", true},
	} {
		if got := HostAllowed(c.allowed, c.host); got != c.want {
			t.Errorf("HostAllowed(%q, %q) = %v, want %v", c.allowed, c.host, got, c.want)
		}
	}
}
