package server_test

import "testing"

// TestTerraformLambdaFunction applies a Lambda function in a VPC (its
// role, subnets, security group) with an EventBridge rule's permission
// through the real AWS provider: apply, a second plan without changes,
// destroy.
func TestTerraformLambdaFunction(t *testing.T) {
	terraformApply(t, "testdata/terraform/lambda37-function", "us-east-1", "")
}

// TestTerraformLambdaEventInvokeConfig applies two
// aws_lambda_function_event_invoke_config resources ($LATEST with a
// failure destination, an alias with no retries) through the real AWS
// provider: apply, a second plan without changes, destroy.
func TestTerraformLambdaEventInvokeConfig(t *testing.T) {
	terraformApply(t, "testdata/terraform/lambda38-eventinvoke", "us-east-1", "")
}
