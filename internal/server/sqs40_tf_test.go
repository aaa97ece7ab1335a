package server_test

import "testing"

// TestTerraformSQSQueues applies a worker queue, its dead-letter queue
// (aws_sqs_queue_redrive_policy, aws_sqs_queue_redrive_allow_policy), a
// FIFO queue and a queue policy through the real AWS provider: apply, a
// second plan without changes, destroy.
func TestTerraformSQSQueues(t *testing.T) {
	terraformApply(t, "testdata/terraform/sqs40-queues", "us-east-1", "")
}
