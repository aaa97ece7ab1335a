package server_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"
)

// A Parameter Store reference to a Secrets Manager secret that does not
// exist answers with AWS's codes and texts, through the AWS SDK for Go v2.
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

// A Parameter Store reference to a Secrets Manager secret that exists
// answers the secret, as AWS does: a SecureString of version 0 with the
// secret's value, the secret's ARN, and Secrets Manager's answer in
// SourceResult (its "name" and "ARN"); a selector picks a version by
// staging label; GetParameters answers it beside parameters, a missing
// secret among the invalid names (LocalStack's AWS-validated ssm tests
// test_get_secret_parameter and test_get_parameters_and_secrets; a
// published GetParameter answer of 2021, docs/aws-behavior.md).
func TestSSMSecretsManagerReferenceResolved(t *testing.T) {
	em := newEmulator(t, nil)
	c, sm := ssmClient(em.URL), secretsClient(em.URL)
	created, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("db/pass"), SecretString: aws.String("first")})
	must(t, err)
	_, err = sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("db/pass"), SecretString: aws.String("second")})
	must(t, err)
	out, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/aws/reference/secretsmanager/db/pass"), WithDecryption: aws.Bool(true)})
	must(t, err)
	p := out.Parameter
	if aws.ToString(p.Name) != "/aws/reference/secretsmanager/db/pass" || aws.ToString(p.Value) != "second" || p.Type != ssmtypes.ParameterTypeSecureString ||
		p.Version != 0 || aws.ToString(p.ARN) != aws.ToString(created.ARN) || p.LastModifiedDate == nil {
		t.Fatalf("parameter %+v", p)
	}
	var src map[string]any
	must(t, json.Unmarshal([]byte(aws.ToString(p.SourceResult)), &src))
	if src["name"] != "db/pass" || src["ARN"] != aws.ToString(created.ARN) || src["secretString"] != "second" {
		t.Fatalf("SourceResult %v", src)
	}
	prev, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/aws/reference/secretsmanager/db/pass:AWSPREVIOUS"), WithDecryption: aws.Bool(true)})
	must(t, err)
	if aws.ToString(prev.Parameter.Value) != "first" || aws.ToString(prev.Parameter.Selector) != ":AWSPREVIOUS" {
		t.Fatalf("AWSPREVIOUS %+v", prev.Parameter)
	}
	_, err = c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("plain"), Value: aws.String("123"), Type: ssmtypes.ParameterTypeString})
	must(t, err)
	many, err := c.GetParameters(ctx, &ssm.GetParametersInput{WithDecryption: aws.Bool(true), Names: []string{
		"plain", "/aws/reference/secretsmanager/db/pass", "missing", "/aws/reference/secretsmanager/missing"}})
	must(t, err)
	if len(many.Parameters) != 2 || fmt.Sprint(many.InvalidParameters) != "[missing /aws/reference/secretsmanager/missing]" {
		t.Fatalf("GetParameters %+v %v", many.Parameters, many.InvalidParameters)
	}
	_, err = sm.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("db/pass")})
	must(t, err)
	_, err = c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/aws/reference/secretsmanager/db/pass"), WithDecryption: aws.Bool(true)})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ParameterNotFound" {
		t.Fatalf("deleted secret: %v", err)
	}
}
