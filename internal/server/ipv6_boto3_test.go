package server_test

import (
	"path/filepath"
	"testing"
)

// IPv6 through boto3 (testdata/boto3/ipv6_ops.py).
func TestBoto3IPv6(t *testing.T) {
	requireTool(t, "python3", "-c", "import boto3")
	em := newAccount(t, nil)
	runScript(t, em.URL, "python3", filepath.Join("testdata", "boto3", "ipv6_ops.py"))
}
