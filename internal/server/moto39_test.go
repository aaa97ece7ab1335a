package server_test

import (
	"crypto/sha1"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// samlResponse is a SAML 2.0 response of the form IdPs post to AWS, with
// the assertion's elements under the prefix saml (when prefixed) or in the
// default namespace, and the given attributes.
func samlResponse(prefixed bool, attrs map[string]string) string {
	p := ""
	if prefixed {
		p = "saml:"
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r" Version="2.0">`)
	b.WriteString(`<` + p + `Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">https://idp.example.com/response</` + p + `Issuer>`)
	b.WriteString(`<` + p + `Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a" Version="2.0">`)
	b.WriteString(`<` + p + `Issuer>https://idp.example.com/saml</` + p + `Issuer>`)
	b.WriteString(`<` + p + `Subject><` + p + `NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">7ca82df9-1bad</` + p + `NameID>`)
	b.WriteString(`<` + p + `SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><` + p + `SubjectConfirmationData NotOnOrAfter="2030-01-01T13:00:00.000Z" Recipient="https://signin.aws.amazon.com/saml"/></` + p + `SubjectConfirmation></` + p + `Subject>`)
	b.WriteString(`<` + p + `AttributeStatement>`)
	for name, value := range attrs {
		b.WriteString(`<` + p + `Attribute Name="` + name + `"><` + p + `AttributeValue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">` + value + `</` + p + `AttributeValue></` + p + `Attribute>`)
	}
	b.WriteString(`</` + p + `AttributeStatement></` + p + `Assertion></samlp:Response>`)
	return base64.StdEncoding.EncodeToString([]byte(b.String()))
}

// TestAssumeRoleWithSAML39: AssumeRoleWithSAML names the session by the
// assertion's RoleSessionName attribute and answers the assertion's
// subject, subject type (the NameID format without its SAML prefix),
// issuer, audience and the NameQualifier hash of the STS API reference;
// its credentials are the role's. A RoleSessionName AWS refuses is
// InvalidIdentityToken. (ecsnet answered NotImplemented before round 39.)
func TestAssumeRoleWithSAML39(t *testing.T) {
	em := newEmulator(t, nil)
	c := stsClient(em.URL, sdkConfig())
	role := "arn:aws:iam::123456789012:role/test-role"
	provider := "arn:aws:iam::123456789012:saml-provider/TestProvFed"
	for _, prefixed := range []bool{false, true} {
		out, err := c.AssumeRoleWithSAML(ctx, &sts.AssumeRoleWithSAMLInput{
			RoleArn: aws.String(role), PrincipalArn: aws.String(provider),
			SAMLAssertion: aws.String(samlResponse(prefixed, map[string]string{
				"https://aws.amazon.com/SAML/Attributes/Role":            provider + "," + role,
				"https://aws.amazon.com/SAML/Attributes/RoleSessionName": "testuser@example.com",
			})),
		})
		if err != nil {
			t.Fatalf("prefixed=%v: %v", prefixed, err)
		}
		if got := aws.ToString(out.AssumedRoleUser.Arn); got != "arn:aws:sts::123456789012:assumed-role/test-role/testuser@example.com" {
			t.Fatalf("prefixed=%v: assumed role arn %s", prefixed, got)
		}
		if !strings.HasPrefix(aws.ToString(out.AssumedRoleUser.AssumedRoleId), "AROA") || !strings.HasSuffix(aws.ToString(out.AssumedRoleUser.AssumedRoleId), ":testuser@example.com") {
			t.Fatalf("assumed role id %s", aws.ToString(out.AssumedRoleUser.AssumedRoleId))
		}
		sum := sha1.Sum([]byte("https://idp.example.com/saml" + "123456789012" + "/TestProvFed"))
		if aws.ToString(out.Subject) != "7ca82df9-1bad" || aws.ToString(out.SubjectType) != "persistent" ||
			aws.ToString(out.Issuer) != "https://idp.example.com/saml" || aws.ToString(out.Audience) != "https://signin.aws.amazon.com/saml" ||
			aws.ToString(out.NameQualifier) != base64.StdEncoding.EncodeToString(sum[:]) {
			t.Fatalf("prefixed=%v: subject %q type %q issuer %q audience %q qualifier %q", prefixed, aws.ToString(out.Subject),
				aws.ToString(out.SubjectType), aws.ToString(out.Issuer), aws.ToString(out.Audience), aws.ToString(out.NameQualifier))
		}
		if out.Credentials == nil || out.Credentials.Expiration == nil || !strings.HasPrefix(aws.ToString(out.Credentials.AccessKeyId), "ASIA") {
			t.Fatalf("credentials %+v", out.Credentials)
		}
		cfg := sdkConfig()
		cfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(out.Credentials.AccessKeyId),
			aws.ToString(out.Credentials.SecretAccessKey), aws.ToString(out.Credentials.SessionToken))
		who, err := stsClient(em.URL, cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil || aws.ToString(who.Arn) != aws.ToString(out.AssumedRoleUser.Arn) {
			t.Fatalf("caller of the SAML session: %+v %v", who, err)
		}
	}
	_, err := c.AssumeRoleWithSAML(ctx, &sts.AssumeRoleWithSAMLInput{
		RoleArn: aws.String(role), PrincipalArn: aws.String(provider),
		SAMLAssertion: aws.String(samlResponse(false, map[string]string{"https://aws.amazon.com/SAML/Attributes/RoleSessionName": "a b"})),
	})
	if apiCode(err) != "InvalidIdentityToken" || !strings.Contains(err.Error(), "RoleSessionName in AuthnResponse must match") {
		t.Fatalf("session name with a space: %v", err)
	}
}

// TestSessionPolicyLength39: an inline session policy of more than 2,048
// characters is refused before it is packed, by AssumeRole and
// GetFederationToken alike (moto's test_federation_token_with_too_long_policy;
// ecsnet packed the policy and, repetitive text compressing well, issued
// the credentials). 2,048 characters exactly are accepted.
func TestSessionPolicyLength39(t *testing.T) {
	em := newEmulator(t, nil)
	c := stsClient(em.URL, sdkConfig())
	policy := func(n int) string {
		head := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::`
		tail := `"}]}`
		return head + strings.Repeat("b", n-len(head)-len(tail)) + tail
	}
	long := policy(2049)
	_, err := c.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("foo"), DurationSeconds: aws.Int32(3600), Policy: aws.String(long)})
	if apiCode(err) != "ValidationError" || !strings.Contains(err.Error(), "at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048") {
		t.Fatalf("GetFederationToken with a 2,049-character policy: %v", err)
	}
	_, err = c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/r"), RoleSessionName: aws.String("s0"), Policy: aws.String(long)})
	if apiCode(err) != "ValidationError" || !strings.Contains(err.Error(), "Member must have length less than or equal to 2048") {
		t.Fatalf("AssumeRole with a 2,049-character policy: %v", err)
	}
	if _, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/r"), RoleSessionName: aws.String("s1"), Policy: aws.String(policy(2048))}); err != nil {
		t.Fatalf("AssumeRole with a 2,048-character policy: %v", err)
	}
}

// TestParametersByPathRootLevel39: a parameter named without a leading
// slash (`foo`) is a root-level parameter: GetParametersByPath of `/`
// answers it (by its own name) with the `/name` ones, recursively or not,
// and so does DescribeParameters' Path filter; under `/x` it is not
// (getmoto/moto#1700 shows AWS's answer; moto's test_get_parameters_by_path).
func TestParametersByPathRootLevel39(t *testing.T) {
	em := newEmulator(t, nil)
	c := ssmClient(em.URL)
	for _, name := range []string{"foo", "/bar", "/x/deep", "baz"} {
		if _, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(name), Value: aws.String("v"), Type: ssmtypes.ParameterTypeString}); err != nil {
			t.Fatal(err)
		}
	}
	names := func(ps []ssmtypes.Parameter) string {
		var out []string
		for _, p := range ps {
			out = append(out, aws.ToString(p.Name))
		}
		return strings.Join(out, ",")
	}
	top, err := c.GetParametersByPath(ctx, &ssm.GetParametersByPathInput{Path: aws.String("/")})
	if err != nil || names(top.Parameters) != "/bar,baz,foo" {
		t.Fatalf("by path / (one level): %s %v", names(top.Parameters), err)
	}
	all, err := c.GetParametersByPath(ctx, &ssm.GetParametersByPathInput{Path: aws.String("/"), Recursive: aws.Bool(true)})
	if err != nil || names(all.Parameters) != "/bar,/x/deep,baz,foo" {
		t.Fatalf("by path / (recursive): %s %v", names(all.Parameters), err)
	}
	under, err := c.GetParametersByPath(ctx, &ssm.GetParametersByPathInput{Path: aws.String("/x")})
	if err != nil || names(under.Parameters) != "/x/deep" {
		t.Fatalf("by path /x: %s %v", names(under.Parameters), err)
	}
	d, err := c.DescribeParameters(ctx, &ssm.DescribeParametersInput{ParameterFilters: []ssmtypes.ParameterStringFilter{{Key: aws.String("Path"), Option: aws.String("OneLevel"), Values: []string{"/"}}}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range d.Parameters {
		got = append(got, aws.ToString(p.Name))
	}
	seen := map[string]bool{}
	for _, n := range got {
		seen[n] = true
	}
	if len(got) != 3 || !seen["foo"] || !seen["baz"] || !seen["/bar"] {
		t.Fatalf("Path filter / (one level): %v", got)
	}
}

// TestPutParameterModelChecks39: PutParameter refuses an empty Value (the
// message leaves the sensitive value out, as AWS's does) and a Type outside
// its enum, and GetParameters more than ten names, before anything else
// (moto's test_put_parameter_empty_string_value,
// test_put_parameter_invalid_type and test_get_parameters_errors; ecsnet
// stored the empty value and the type "str", and answered eleven names).
func TestPutParameterModelChecks39(t *testing.T) {
	em := newEmulator(t, nil)
	c := ssmClient(em.URL)
	_, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("empty"), Value: aws.String(""), Type: ssmtypes.ParameterTypeString})
	if apiCode(err) != "ValidationException" || !strings.Contains(err.Error(), "1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1") {
		t.Fatalf("empty value: %v", err)
	}
	_, err = c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("typed"), Value: aws.String("v"), Type: ssmtypes.ParameterType("str")})
	if apiCode(err) != "ValidationException" || !strings.Contains(err.Error(), "Value 'str' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]") {
		t.Fatalf("type str: %v", err)
	}
	var names []string
	for _, n := range "abcdefghijk" {
		if _, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(string(n)), Value: aws.String("v"), Type: ssmtypes.ParameterTypeString}); err != nil {
			t.Fatal(err)
		}
		names = append(names, string(n))
	}
	_, err = c.GetParameters(ctx, &ssm.GetParametersInput{Names: names})
	if apiCode(err) != "ValidationException" || !strings.Contains(err.Error(), "Value '[a, b, c, d, e, f, g, h, i, j, k]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10") {
		t.Fatalf("eleven names: %v", err)
	}
	if out, err := c.GetParameters(ctx, &ssm.GetParametersInput{Names: names[:10]}); err != nil || len(out.Parameters) != 10 {
		t.Fatalf("ten names: %v", err)
	}
	// An overwrite without Type keeps the parameter's own.
	if _, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("a"), Value: aws.String("w"), Overwrite: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
}

// TestDescribeParametersFilterChecks39: DescribeParameters refuses Filters
// with ParameterFilters, a filter key given twice, a filter without values
// (a tag key alone is a filter on the tag's presence), Type and Tier values
// outside their enums, and Path values that are not paths or are under
// /aws or /ssm (moto's test_describe_parameters_needs_param,
// test_describe_parameters_invalid_parameter_filters and
// test_describe_parameters_invalid_path; ecsnet answered each).
func TestDescribeParametersFilterChecks39(t *testing.T) {
	em := newEmulator(t, nil)
	c := ssmClient(em.URL)
	if _, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/spam/eggs"), Value: aws.String("v"), Type: ssmtypes.ParameterTypeString,
		Tags: []ssmtypes.Tag{{Key: aws.String("spam"), Value: aws.String("eggs")}}}); err != nil {
		t.Fatal(err)
	}
	f := func(key string, values ...string) ssmtypes.ParameterStringFilter {
		return ssmtypes.ParameterStringFilter{Key: aws.String(key), Values: values}
	}
	for _, tc := range []struct {
		in   ssm.DescribeParametersInput
		code string
		text string
	}{
		{ssm.DescribeParametersInput{Filters: []ssmtypes.ParametersFilter{{Key: ssmtypes.ParametersFilterKeyName, Values: []string{"x"}}}, ParameterFilters: []ssmtypes.ParameterStringFilter{f("Name", "x")}},
			"ValidationException", "You can use either Filters or ParameterFilters in a single request."},
		{ssm.DescribeParametersInput{ParameterFilters: []ssmtypes.ParameterStringFilter{f("Name", "a"), f("Name", "b")}},
			"ValidationException", "The following filter is duplicated in the request: Name. A request can contain only one occurrence of a specific filter."},
		{ssm.DescribeParametersInput{ParameterFilters: []ssmtypes.ParameterStringFilter{f("Name")}},
			"ValidationException", "The following filter values are missing : null for filter key Name"},
		{ssm.DescribeParametersInput{ParameterFilters: []ssmtypes.ParameterStringFilter{f("Tier", "test")}},
			"InvalidFilterValue", "The following filter value is not valid: test. Valid values include: [Standard, Advanced, Intelligent-Tiering]"},
		{ssm.DescribeParametersInput{ParameterFilters: []ssmtypes.ParameterStringFilter{f("Type", "test")}},
			"InvalidFilterValue", "The following filter value is not valid: test. Valid values include: [String, StringList, SecureString]"},
		{ssm.DescribeParametersInput{ParameterFilters: []ssmtypes.ParameterStringFilter{f("Path", "/aws", "/ssm")}},
			"ValidationException", `Filters for common parameters can't be prefixed with "aws" or "ssm" (case-insensitive).`},
		{ssm.DescribeParametersInput{ParameterFilters: []ssmtypes.ParameterStringFilter{f("Path", "//")}},
			"ValidationException", "The parameter doesn't meet the parameter name requirements."},
		{ssm.DescribeParametersInput{ParameterFilters: []ssmtypes.ParameterStringFilter{f("Path", "test")}},
			"ValidationException", "The parameter doesn't meet the parameter name requirements."},
	} {
		_, err := c.DescribeParameters(ctx, &tc.in)
		if apiCode(err) != tc.code || !strings.Contains(err.Error(), tc.text) {
			t.Fatalf("want %s %q, got %v", tc.code, tc.text, err)
		}
	}
	// A tag key alone filters on the tag's presence; a valid path is answered.
	out, err := c.DescribeParameters(ctx, &ssm.DescribeParametersInput{ParameterFilters: []ssmtypes.ParameterStringFilter{f("tag:spam")}})
	if err != nil || len(out.Parameters) != 1 {
		t.Fatalf("tag presence: %+v %v", out, err)
	}
	out, err = c.DescribeParameters(ctx, &ssm.DescribeParametersInput{ParameterFilters: []ssmtypes.ParameterStringFilter{f("Path", "/spam/")}})
	if err != nil || len(out.Parameters) != 1 {
		t.Fatalf("path /spam/: %+v %v", out, err)
	}
}
