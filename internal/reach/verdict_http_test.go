package reach

import (
	"strconv"
	"testing"
)

// TestHTTPVerdict holds the shortcuts of common statuses to the general
// form, and HTTPStatus to its inverse.
func TestHTTPVerdict(t *testing.T) {
	for s := 100; s < 600; s++ {
		v := HTTPVerdict(s)
		if want := Verdict("http " + strconv.Itoa(s)); v != want {
			t.Errorf("HTTPVerdict(%d) = %q, want %q", s, v, want)
		}
		if got := v.HTTPStatus(); got != s {
			t.Errorf("HTTPStatus(%q) = %d", v, got)
		}
	}
}
