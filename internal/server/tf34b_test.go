package server_test

import "testing"

// TestTF34bTerraformServiceLevel applies, with the real terraform and
// hashicorp/aws, round thirty-four's second-sweep configuration of
// service-level ECS features (docs/terraform-acceptance.md, "Round
// thirty-four, second sweep"): Fargate services by for_each behind host,
// path and http-header listener rules, each waiting for one of its
// group's rules; Cloud Map registries; Application Auto Scaling targets
// and policies; security group rules of both resources; an EC2 capacity
// provider with managed scaling on the ECS AMI found by its SSM
// parameter's image-id, and a service placed by spread, binpack and a
// memberOf constraint. The second plan must be empty.
func TestTF34bTerraformServiceLevel(t *testing.T) {
	terraformApply(t, "testdata/terraform/tf34b-service-level", "us-east-1", "")
}
