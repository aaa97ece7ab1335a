package server_test

import (
	"path/filepath"
	"testing"
)

// EC2 core networking checks found with moto's suite in round 7
// (testdata/boto3/ec2_core_round7.py).
func TestBoto3EC2CoreRound7(t *testing.T) {
	requireTool(t, "python3", "-c", "import boto3")
	em := newAccount(t, nil)
	runScript(t, em.URL, "python3", filepath.Join("testdata", "boto3", "ec2_core_round7.py"))
}
