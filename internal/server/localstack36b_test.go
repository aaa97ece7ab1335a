package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
)

// Behaviours the second part of round thirty-six of LocalStack's
// AWS-validated tests found (docs/localstack-suite.md, "Round thirty-six,
// second part"), through the Go SDK.

// An Fn::Equals condition without exactly two arguments is refused at
// CreateChangeSet with AWS's text
// (tests/aws/services/cloudformation/engine/test_conditions.snapshot.json,
// TestValidateConditions::test_validate_equals_args_len, recorded
// 2025-10-08): the same for three arguments, one, and a value that is no
// list.
func TestLocalStackCloudFormationEqualsArity(t *testing.T) {
	em := newEmulator(t, nil)
	c := cfnClient(em.URL)
	for _, equals := range []string{"[a, b, c]", "[a]", "a"} {
		body := "Conditions:\n  C: {\"Fn::Equals\": " + equals + "}\nResources:\n  P:\n    Type: AWS::SSM::Parameter\n    Condition: C\n    Properties: {Type: String, Value: x}\n  Q:\n    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: x}\n"
		_, err := c.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("equals"), ChangeSetName: aws.String("initial"),
			ChangeSetType: "CREATE", TemplateBody: aws.String(body)})
		wantAPIError(t, err, "ValidationError", "Template error: every Fn::Equals object requires a list of 2 string parameters.")
		if got := httpStatus(err); got != 400 {
			t.Errorf("Fn::Equals %s: HTTP %d, want 400", equals, got)
		}
	}
}
