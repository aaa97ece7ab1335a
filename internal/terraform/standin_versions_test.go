package terraform

import "testing"

// TestVersionMajor: the major a constraint pins; 0 (the newest release,
// what terraform init installs) for none and for a constraint without an
// upper bound.
func TestVersionMajor(t *testing.T) {
	for in, want := range map[string]int{
		"": 0, "3.14.4": 3, "= 3.14.4": 3, "~> 3.14": 3, "~> 5.0.1": 5, ">= 3.0": 0, "> 4": 0,
		">= 4.0, < 5.0": 4, ">= 4.0, < 5.2": 5, ">= 4.0, <= 4.9": 4, "~> 5.0, != 5.1.0": 5,
	} {
		if got := versionMajor(in); got != want {
			t.Errorf("versionMajor(%q) = %d, want %d", in, got, want)
		}
	}
}
