package server_test

import (
	"path/filepath"
	"testing"
)

// EC2 networking behaviours through boto3 (testdata/boto3/ec2_network.py),
// against an in-process server whose regions start as a new AWS account's.
func TestBoto3EC2Network(t *testing.T) {
	requireTool(t, "python3", "-c", "import boto3")
	em := newAccount(t, nil)
	runScript(t, em.URL, "python3", filepath.Join("testdata", "boto3", "ec2_network.py"))
}
