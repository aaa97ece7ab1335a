package server_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// CreatePolicy refuses, with IAM's text, the documents of LocalStack's
// AWS-validated TestPolicyDocumentValidity (tests/aws/services/iam/
// test_iam_policies.py, Apache-2.0; texts from moto's
// tests/test_iam/test_iam_policies.py, Apache-2.0, and LocalStack's
// validator for the IAM path text) that ecsnet took until round
// thirty-eight: resource ARNs of an unknown partition, without a service,
// of IAM or S3 with a Region, IAM paths of no IAM resource type, the
// legacy parser's resources and date conditions. And it still takes the
// valid documents of the same table that look close to them.
func TestIAMPolicyDocumentResourcesAndDates(t *testing.T) {
	t.Parallel()
	ic := iamClient(newEmulator(t, nil).URL)
	const b = `"arn:aws:s3:::example_bucket"`
	stmt := func(members string) string {
		return `{"Version":"2012-10-17","Statement":{` + members + `}}`
	}
	date := func(op, v string) string {
		return stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":` + b + `,"Condition":{"` + op + `":{"a":"` + v + `"}}`)
	}
	legacy := "The policy failed legacy parsing"
	refused := []struct{ doc, msg string }{
		{stmt(`"Effect":"Allow","NotAction":"s3s:ListBucket","Resource":"a:bsdfdsafsad"`), `Partition "bsdfdsafsad" is not valid for resource "arn:bsdfdsafsad:*:*:*:*".`},
		{stmt(`"Effect":"Allow","NotAction":"s3s:ListBucket","Resource":"a:b:cadfsdf"`), `Partition "b" is not valid for resource "arn:b:cadfsdf:*:*:*".`},
		{stmt(`"Effect":"Allow","NotAction":"s3s:ListBucket","Resource":"a:b:c:d:e:f:g:h"`), `Partition "b" is not valid for resource "arn:b:c:d:e:f:g:h".`},
		{stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":"aws:s3:::example_bucket"`), `Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".`},
		{stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":["arn:error:s3:::example_bucket","arn:error:s3::example_bucket"]`), `Partition "error" is not valid for resource "arn:error:s3:::example_bucket".`},
		{stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:iam:::example_bucket"`), `IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.`},
		{stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3::example_bucket"`), legacy},
		{stmt(`"Effect":"Allow","Resource":"arn:aws:s3::example_bucket"`), legacy},
		{stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws"`), "Resource vendor must be fully qualified and cannot contain regexes."},
		{stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:iam:us-east-1::example_bucket"`), "IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information."},
		{stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:us-east-1::example_bucket"`), "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information."},
		{date("DateGreaterThan", "sdfdsf"), legacy},
		{stmt(`"Effect":"Allow","Condition":{"DateGreaterThan":{"a":"sdfdsf"}}`), legacy},
		{stmt(`"Effect":"Allow","NotAction":"s3:ListBucket","Resource":"arn:aws::::example_bucket"`), legacy},
		{stmt(`"Effect":"allow","Resource":"arn:aws:s3:us-east-1::example_bucket"`), legacy},
		{stmt(`"Effect":"Allow","Action":"s3:ListBucket","NotResource":"arn:aws:s3::example_bucket"`), legacy},
		{date("DateLessThanEquals", "234-13"), legacy},
		{date("DateLessThanEquals", "2016-12-13t2:00:00.593194+1"), legacy},
		{date("DateLessThanEquals", "2016-12-13t2:00:00.1999999999+10:59"), legacy},
		{date("DateLessThan", "9223372036854775808"), legacy},
		{stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:error:s3:::example_bucket","Condition":{"DateGreaterThan":{"a":"sdfdsf"}}`), legacy},
		{stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws::fdsasf"`), legacy},
	}
	for i, c := range refused {
		_, err := ic.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(fmt.Sprintf("refused-%d", i)), PolicyDocument: aws.String(c.doc)})
		wantAPIError(t, err, "MalformedPolicyDocument", c.msg)
	}
	taken := []string{
		stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:iam:::user/example_bucket"`),
		stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s33:::example_bucket"`),
		stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:fdsasf"`),
		stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:cloudwatch:us-east-1::example_bucket"`),
		stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:invalid-service:us-east-1::example_bucket"`),
		stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:us-west-2:123456789012:accesspoint/ap"`),
		stmt(`"Effect":"Allow","Action":"iam:PassRole","Resource":["arn:aws:iam::123456789012:root","arn:aws-cn:iam::123456789012:role/x","arn:*:iam::*:role/*"]`),
		stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":` + b + `,"Condition":{"DateGreaterThan":{"aws:CurrentTime":"2017-07-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2017-12-31T23:59:59Z"}}`),
		stmt(`"Effect":"Allow","Action":"s3:ListBucket","Resource":` + b + `,"Condition":{"DateLessThanEquals":{"a":["2016-12-13t2:00:00.593194+01:00","1500000000"]},"DateGreaterThan":{"aws:EpochTime":1500000000}}`),
	}
	for i, doc := range taken {
		if _, err := ic.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(fmt.Sprintf("taken-%d", i)), PolicyDocument: aws.String(doc)}); err != nil {
			t.Errorf("taken-%d refused: %v", i, err)
		}
	}
}

// A role's trust policy names a principal in each statement (IAM:
// "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException:
// The passed in policy has a statement with no principals!", as
// terraform-aws-modules/terraform-aws-iam#47 and
// cloudposse/terraform-aws-cloudwatch-logs#7 quote it), for CreateRole
// and UpdateAssumeRolePolicy; an identity-based policy (managed, or a
// role's or user's inline policy) names none ("Policy document should not
// specify a principal.", hashicorp/terraform#13449).
func TestIAMPolicyPrincipals(t *testing.T) {
	t.Parallel()
	ic := iamClient(newEmulator(t, nil).URL)
	const noPrincipal = "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!"
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	bare := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}`
	_, err := ic.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("bare"), AssumeRolePolicyDocument: aws.String(bare)})
	wantAPIError(t, err, "MalformedPolicyDocument", noPrincipal)
	_, err = ic.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(trust)})
	must(t, err)
	_, err = ic.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("r"), PolicyDocument: aws.String(bare)})
	wantAPIError(t, err, "MalformedPolicyDocument", noPrincipal)

	const named = "Policy document should not specify a principal."
	withPrincipal := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`
	_, err = ic.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p"), PolicyDocument: aws.String(withPrincipal)})
	wantAPIError(t, err, "MalformedPolicyDocument", named)
	_, err = ic.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("p"), PolicyDocument: aws.String(withPrincipal)})
	wantAPIError(t, err, "MalformedPolicyDocument", named)
	_, err = ic.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")})
	must(t, err)
	_, err = ic.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("p"), PolicyDocument: aws.String(withPrincipal)})
	wantAPIError(t, err, "MalformedPolicyDocument", named)
	_, err = ic.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("p"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)})
	must(t, err)
}

// An inline policy's grammar is checked as a managed policy's (IAM:
// "Syntax errors in policy."): unknown members, an Effect that is neither
// Allow nor Deny, both Action and NotAction.
func TestIAMInlinePolicySyntax(t *testing.T) {
	t.Parallel()
	ic := iamClient(newEmulator(t, nil).URL)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	_, err := ic.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(trust)})
	must(t, err)
	_, err = ic.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")})
	must(t, err)
	for i, doc := range []string{
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Extra field":"value"}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"invalid","Action":"s3:ListBucket","Resource":"*"}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"s3:ListBucket","Action":"iam:dsf","Resource":"*"}}`,
		`{"Version":"2012-10-17","Statement":[]}`,
		`{"Version":"2013-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}}`,
	} {
		_, err := ic.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String(fmt.Sprint("p", i)), PolicyDocument: aws.String(doc)})
		wantAPIError(t, err, "MalformedPolicyDocument", "Syntax errors in policy.")
		_, err = ic.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String(fmt.Sprint("p", i)), PolicyDocument: aws.String(doc)})
		wantAPIError(t, err, "MalformedPolicyDocument", "Syntax errors in policy.")
	}
	// A version-less inline policy is taken (it is 2008-10-17).
	_, err = ic.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("old"),
		PolicyDocument: aws.String(`{"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}}`)})
	must(t, err)
}
