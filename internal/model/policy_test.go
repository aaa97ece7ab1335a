package model

import "testing"

// IAM's wildcards: * crosses '/', ? is one character, '[' and '\' are
// literal, actions compare without case.
func TestWildcardMatch(t *testing.T) {
	for _, c := range []struct {
		p, v string
		fold bool
		want bool
	}{
		{"arn:aws:s3:::logs/AWSLogs/*", "arn:aws:s3:::logs/AWSLogs/123456789012/ELBAccessLogTestFile", false, true},
		{"arn:aws:s3:::logs/*/x", "arn:aws:s3:::logs/a/b/x", false, true},
		{"arn:aws:s3:::logs/?", "arn:aws:s3:::logs/ab", false, false},
		{"arn:aws:s3:::a[1]/*", "arn:aws:s3:::a[1]/k", false, true},
		{`arn:aws:s3:::a\b`, `arn:aws:s3:::a\b`, false, true},
		{"s3:Put*", "S3:PUTOBJECT", true, true},
		{"s3:Put*", "S3:PUTOBJECT", false, false},
		{"*", "anything/at/all", false, true},
	} {
		if got := WildcardMatch(c.p, c.v, c.fold); got != c.want {
			t.Errorf("WildcardMatch(%q, %q, %v) = %v, want %v", c.p, c.v, c.fold, got, c.want)
		}
	}
}
