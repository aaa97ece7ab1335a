package server_test

import (
	"path/filepath"
	"testing"
)

// EC2 instance behaviours found with moto's suite in round 8
// (testdata/boto3/ec2_instances_round8.py).
func TestBoto3EC2InstancesRound8(t *testing.T) {
	requireTool(t, "python3", "-c", "import boto3")
	em := newAccount(t, nil)
	runScript(t, em.URL, "python3", filepath.Join("testdata", "boto3", "ec2_instances_round8.py"))
}
