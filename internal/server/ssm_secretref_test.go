package server_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"
)

// A Parameter Store reference to a Secrets Manager secret ecsnet does not
// hold answers with AWS's codes and texts, through the AWS SDK for Go v2.
func TestSSMSecretsManagerReference(t *testing.T) {
	em := newEmulator(t, nil)
	c := ssmClient(em.URL)
	for _, tc := range []struct {
		name       string
		decrypt    bool
		code, text string
	}{
		{"/aws/reference/secretsmanager/db-pass", true, "ParameterNotFound",
			"An error occurred (ParameterNotFound) when referencing Secrets Manager: Secret aws/reference/secretsmanager/db-passnull not found."},
		{"/aws/reference/secretsmanager/db-pass:AWSPREVIOUS", true, "ParameterNotFound",
			"An error occurred (ParameterNotFound) when referencing Secrets Manager: Secret aws/reference/secretsmanager/db-pass:AWSPREVIOUS not found."},
		{"/aws/reference/secretsmanager/db-pass", false, "ValidationException",
			"WithDecryption flag must be True for retrieving a Secret Manager secret."},
		{"/aws/reference/secretsmanager/db-pass:a:b", false, "ValidationException",
			"Invalid parameter name. Please use correct syntax for referencing a version/label  <name>:<version/label>"},
	} {
		_, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(tc.name), WithDecryption: aws.Bool(tc.decrypt)})
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != tc.code || ae.ErrorMessage() != tc.text {
			t.Errorf("%s (decrypt %v): %v, want %s %q", tc.name, tc.decrypt, err, tc.code, tc.text)
		}
	}
	out, err := c.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{"/aws/reference/secretsmanager/db-pass"}, WithDecryption: aws.Bool(true)})
	must(t, err)
	if len(out.Parameters) != 0 || len(out.InvalidParameters) != 1 {
		t.Errorf("GetParameters: %+v %v", out.Parameters, out.InvalidParameters)
	}
}
