package server_test

import (
	"path/filepath"
	"testing"
)

// The operations and behaviours of issue 10 through boto3: each script in
// testdata/boto3 runs against its own in-process server, whose regions
// start as a new AWS account's (with the default VPC), and asserts what
// AWS answers (see the scripts' docstrings).
func TestBoto3Ops(t *testing.T) {
	for _, script := range []string{"autoscaling_ops.py", "ec2_ops.py", "ecs_ops.py", "ecs_round3.py", "ecs_round6.py", "ecs_round7.py", "elbv2_ops.py", "elb_classic.py", "elb_classic_policies.py", "elb_classic_cfn.py", "ecs_agent.py", "elbv2_health.py", "autoscaling_launch.py", "logs_iam.py", "iam_certs.py", "acm_ops.py", "elbv2_round8.py"} {
		t.Run(script, func(t *testing.T) {
			requireTool(t, "python3", "-c", "import boto3")
			em := newAccount(t, nil)
			runScript(t, em.URL, "python3", filepath.Join("testdata", "boto3", script))
		})
	}
}
