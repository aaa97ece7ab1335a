package engine

import "testing"

// FuzzPolicyDocument checks IAM's policy document grammar (a managed
// policy's, a role's trust policy) against any text: a document is
// accepted or refused with an error, never a panic.
func FuzzPolicyDocument(f *testing.F) {
	for _, s := range []string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":["iam:*"],"NotResource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}}}`,
		`{"Version":"2012-10-17","Statement":[{"Sid":"a","Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
		`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":["sts:AssumeRole","sts:TagSession"],"Condition":{"StringEquals":{"sts:ExternalId":["x"]},"Bool":{"aws:SecureTransport":"true"}}}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"arn:aws:iam::123456789012:role/path/name"}]}`,
		`[]`, `{`, `{"Version":{}}`, `{"Statement":[[[[[[[[[[]]]]]]]]]]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		_ = checkManagedPolicyDocument(doc)
		_ = checkTrustPolicy(doc)
		_ = checkPolicyDocument(doc)
	})
}
