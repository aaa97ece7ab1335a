package server_test

import "testing"

// TestTerraformLambdaFunction applies a Lambda function in a VPC (its
// role, subnets, security group) with an EventBridge rule's permission
// through the real AWS provider: apply, a second plan without changes,
// destroy.
func TestTerraformLambdaFunction(t *testing.T) {
	terraformApply(t, "testdata/terraform/lambda37-function", "us-east-1", "")
}
