package server_test

import (
	"path/filepath"
	"testing"
)

// EC2 networking Describe filters through boto3 (testdata/boto3/ec2_filters.py).
func TestBoto3EC2Filters(t *testing.T) {
	requireTool(t, "python3", "-c", "import boto3")
	em := newAccount(t, nil)
	runScript(t, em.URL, "python3", filepath.Join("testdata", "boto3", "ec2_filters.py"))
}
