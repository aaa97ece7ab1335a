package server_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// Behaviours LocalStack's AWS-validated tests recorded from AWS
// (tests/aws/services/iam/test_iam_instance_profiles.snapshot.json,
// tests/aws/services/logs/test_logs_groups.snapshot.json,
// tests/aws/services/cloudformation/resources/test_logs.snapshot.json;
// docs/localstack-suite.md, round fourteen), through the Go SDK.

// GetInstanceProfile answers Tags, empty when there are none, where
// CreateInstanceProfile and ListInstanceProfiles leave it out; the roles of
// an instance profile come without MaxSessionDuration.
func TestLocalStackInstanceProfileShape(t *testing.T) {
	em := newAccount(t, nil)
	c := iamClient(em.URL)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	_, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r1"), AssumeRolePolicyDocument: aws.String(trust)})
	must(t, err)
	cp, err := c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("p1")})
	must(t, err)
	if cp.InstanceProfile.Tags != nil {
		t.Errorf("CreateInstanceProfile Tags: %#v", cp.InstanceProfile.Tags)
	}
	g, err := c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("p1")})
	must(t, err)
	if g.InstanceProfile.Tags == nil || len(g.InstanceProfile.Tags) != 0 {
		t.Errorf("GetInstanceProfile of an untagged profile: Tags %#v, want an empty list", g.InstanceProfile.Tags)
	}
	_, err = c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("p1"), RoleName: aws.String("r1")})
	must(t, err)
	g, err = c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("p1")})
	must(t, err)
	if len(g.InstanceProfile.Roles) != 1 || g.InstanceProfile.Roles[0].MaxSessionDuration != nil ||
		aws.ToString(g.InstanceProfile.Roles[0].RoleName) != "r1" {
		t.Errorf("GetInstanceProfile roles: %#v", g.InstanceProfile.Roles)
	}
	l, err := c.ListInstanceProfiles(ctx, &iam.ListInstanceProfilesInput{})
	must(t, err)
	if len(l.InstanceProfiles) != 1 || l.InstanceProfiles[0].Tags != nil || l.InstanceProfiles[0].Roles[0].MaxSessionDuration != nil {
		t.Errorf("ListInstanceProfiles: %#v", l.InstanceProfiles)
	}
	lr, err := c.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String("r1")})
	must(t, err)
	if len(lr.InstanceProfiles) != 1 || lr.InstanceProfiles[0].Roles[0].MaxSessionDuration != nil {
		t.Errorf("ListInstanceProfilesForRole: %#v", lr.InstanceProfiles)
	}
	// GetRole itself still answers MaxSessionDuration.
	r, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r1")})
	must(t, err)
	if aws.ToInt32(r.Role.MaxSessionDuration) != 3600 {
		t.Errorf("GetRole MaxSessionDuration: %v", r.Role.MaxSessionDuration)
	}
}

// ListLogGroups answers names, ARNs and classes of the groups whose name
// matches its pattern (case-sensitive; ^ for a prefix; | between
// alternatives); DescribeLogGroups by pattern leaves out storedBytes and
// deletionProtectionEnabled, which it answers by prefix.
func TestLocalStackListLogGroups(t *testing.T) {
	em := newEmulator(t, nil)
	c := logsClient(em.URL)
	for _, n := range []string{"/ecs/web", "/ecs/api", "/other/web-x", "/ecs/Web2"} {
		_, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(n)})
		must(t, err)
	}
	names := func(pattern string) []string {
		t.Helper()
		in := &cloudwatchlogs.ListLogGroupsInput{}
		if pattern != "" {
			in.LogGroupNamePattern = aws.String(pattern)
		}
		out, err := c.ListLogGroups(ctx, in)
		must(t, err)
		var ns []string
		for _, g := range out.LogGroups {
			if g.LogGroupArn == nil || g.LogGroupClass == "" {
				t.Errorf("ListLogGroups %q: %#v", pattern, g)
			}
			ns = append(ns, aws.ToString(g.LogGroupName))
		}
		return ns
	}
	for pattern, want := range map[string]string{
		"":                 "/ecs/Web2 /ecs/api /ecs/web /other/web-x",
		"web":              "/ecs/web /other/web-x",
		"^/ecs":            "/ecs/Web2 /ecs/api /ecs/web",
		"^/other|api":      "/ecs/api /other/web-x",
		"no-such-group":    "",
		"^/ecs/Web|^/none": "/ecs/Web2",
	} {
		if got := strings.Join(names(pattern), " "); got != want {
			t.Errorf("ListLogGroups %q: %q, want %q", pattern, got, want)
		}
	}
	_, err := c.ListLogGroups(ctx, &cloudwatchlogs.ListLogGroupsInput{LogGroupNamePattern: aws.String("a*b")})
	if apiCode(err) != "InvalidParameterException" {
		t.Errorf("ListLogGroups a*b: %v", err)
	}
	byPattern, err := c.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePattern: aws.String("api")})
	must(t, err)
	if len(byPattern.LogGroups) != 1 || byPattern.LogGroups[0].StoredBytes != nil || byPattern.LogGroups[0].DeletionProtectionEnabled != nil ||
		byPattern.LogGroups[0].CreationTime == nil {
		t.Errorf("DescribeLogGroups by pattern: %#v", byPattern.LogGroups)
	}
	byPrefix, err := c.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/ecs/api")})
	must(t, err)
	if len(byPrefix.LogGroups) != 1 || byPrefix.LogGroups[0].StoredBytes == nil || byPrefix.LogGroups[0].DeletionProtectionEnabled == nil {
		t.Errorf("DescribeLogGroups by prefix: %#v", byPrefix.LogGroups)
	}
}

// AWS::Logs::LogStream makes a stream in its group: Ref is its name
// (generated when LogStreamName is not given), and deleting the stack
// deletes it.
func TestLocalStackCloudFormationLogStream(t *testing.T) {
	em := newEmulator(t, nil)
	cf, lc := cfnClient(em.URL), logsClient(em.URL)
	tmpl := `Resources:
  Group:
    Type: AWS::Logs::LogGroup
    Properties: {RetentionInDays: 731}
  Stream:
    Type: AWS::Logs::LogStream
    Properties: {LogGroupName: !Ref Group}
  Named:
    Type: AWS::Logs::LogStream
    Properties: {LogGroupName: !Ref Group, LogStreamName: app/one}
Outputs:
  GroupName: {Value: !Ref Group}
  StreamName: {Value: !Ref Stream}
  NamedName: {Value: !Ref Named}
`
	cs, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("logs"), TemplateBody: aws.String(tmpl)})
	must(t, err)
	waitStack(t, cf, aws.ToString(cs.StackId), "CREATE_COMPLETE")
	out := stackOutputs(t, cf, "logs")
	if out["NamedName"] != "app/one" || out["StreamName"] == "" {
		t.Fatalf("outputs: %v", out)
	}
	streams, err := lc.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(out["GroupName"])})
	must(t, err)
	got := map[string]bool{}
	for _, s := range streams.LogStreams {
		got[aws.ToString(s.LogStreamName)] = true
	}
	if len(got) != 2 || !got["app/one"] || !got[out["StreamName"]] {
		t.Errorf("streams: %v, outputs %v", got, out)
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("logs")})
	must(t, err)
	waitStack(t, cf, aws.ToString(cs.StackId), "DELETE_COMPLETE")
	if _, err := lc.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(out["GroupName"])}); apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("the group after the stack's deletion: %v", err)
	}
}

// Roles as test_iam_roles recorded: CreateRole answers without
// Description, UpdateRoleDescription with it but without MaxSessionDuration
// and RoleLastUsed; trust policies are checked (prohibited Resource, only
// STS AssumeRole actions); permissions boundaries and attached policies
// need valid ARNs; tags are validated before the role is looked up; attached
// policies list in the order attached.
func TestLocalStackRoles(t *testing.T) {
	em := newAccount(t, nil)
	c := iamClient(em.URL)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	cr, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r1"), AssumeRolePolicyDocument: aws.String(trust), Description: aws.String("first")})
	must(t, err)
	if cr.Role.Description != nil || cr.Role.MaxSessionDuration != nil {
		t.Errorf("CreateRole answer: Description %v, MaxSessionDuration %v", cr.Role.Description, cr.Role.MaxSessionDuration)
	}
	g, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r1")})
	must(t, err)
	if aws.ToString(g.Role.Description) != "first" {
		t.Errorf("GetRole Description: %v", g.Role.Description)
	}
	ud, err := c.UpdateRoleDescription(ctx, &iam.UpdateRoleDescriptionInput{RoleName: aws.String("r1"), Description: aws.String("second")})
	must(t, err)
	if aws.ToString(ud.Role.Description) != "second" || ud.Role.MaxSessionDuration != nil || ud.Role.RoleLastUsed != nil {
		t.Errorf("UpdateRoleDescription answer: %+v", ud.Role)
	}

	refused := func(what, code, msg string, err error) {
		t.Helper()
		if apiCode(err) != code || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: %v, want %s %q", what, err, code, msg)
		}
	}
	for doc, msg := range map[string]string{
		"not valid json": "This policy contains invalid Json",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:InvalidAction"}]}`:                          "AssumeRole policy may only specify STS AssumeRole actions.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"arn:aws:s3:::b"}]}`: "Has prohibited field Resource",
	} {
		_, err := c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("r1"), PolicyDocument: aws.String(doc)})
		refused("UpdateAssumeRolePolicy "+doc, "MalformedPolicyDocument", msg, err)
		_, err = c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r2"), AssumeRolePolicyDocument: aws.String(doc)})
		refused("CreateRole "+doc, "MalformedPolicyDocument", msg, err)
	}
	// Trust policies may name the other STS actions and wildcards.
	ok := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity","sts:Assume*"]}}`
	_, err = c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("r1"), PolicyDocument: aws.String(ok)})
	must(t, err)

	acct := "123456789012"
	if id, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r1")}); err == nil {
		acct = strings.Split(aws.ToString(id.Role.Arn), ":")[4]
	}
	bad := "arn:aws:iam::" + acct + ":not_a_policy/invalid"
	_, err = c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("r1"), PermissionsBoundary: aws.String(bad)})
	refused("a boundary that is no policy ARN", "InvalidInput", "ARN "+bad+" is not valid.", err)
	missing := "arn:aws:iam::" + acct + ":policy/nonexistent-policy"
	_, err = c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r3"), AssumeRolePolicyDocument: aws.String(trust), PermissionsBoundary: aws.String(missing)})
	refused("a boundary that does not exist", "NoSuchEntity", "Scope ARN: "+missing+" does not exist or is not attachable.", err)
	_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r1"), PolicyArn: aws.String("longpolicynamebutnoarn")})
	refused("AttachRolePolicy of a name", "ValidationError", "ARN longpolicynamebutnoarn is not valid.", err)

	// Attached policies, in the order attached.
	emr := "arn:aws:iam::aws:policy/service-role/AmazonElasticMapReduceRole"
	ct := "arn:aws:iam::aws:policy/service-role/AWSControlTowerServiceRolePolicy"
	for _, a := range []string{emr, ct} {
		_, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r1"), PolicyArn: aws.String(a)})
		must(t, err)
	}
	la, err := c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("r1")})
	must(t, err)
	if len(la.AttachedPolicies) != 2 || aws.ToString(la.AttachedPolicies[0].PolicyArn) != emr {
		t.Errorf("ListAttachedRolePolicies: %+v", la.AttachedPolicies)
	}
	page1, err := c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("r1"), MaxItems: aws.Int32(1)})
	must(t, err)
	page2, err := c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("r1"), Marker: page1.Marker})
	must(t, err)
	if !page1.IsTruncated || len(page2.AttachedPolicies) != 1 || aws.ToString(page2.AttachedPolicies[0].PolicyArn) != ct {
		t.Errorf("pages: %+v / %+v", page1.AttachedPolicies, page2.AttachedPolicies)
	}

	// Tags: checked before the role is looked up.
	many := make([]iamtypes.Tag, 51)
	for i := range many {
		many[i] = iamtypes.Tag{Key: aws.String(fmt.Sprint(i)), Value: aws.String("v")}
	}
	_, err = c.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("nope"), Tags: many})
	refused("51 tags on a missing role", "ValidationError", "Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50", err)
	_, err = c.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("r1"), Tags: []iamtypes.Tag{{Key: aws.String("mykey"), Value: aws.String("a")}, {Key: aws.String("MyKey"), Value: aws.String("b")}}})
	refused("keys differing in case", "InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive.", err)
	_, err = c.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("r1"), Tags: []iamtypes.Tag{{Key: aws.String("ok"), Value: aws.String("")}, {Key: aws.String("invalid!key"), Value: aws.String("v")}}})
	refused("a key with !", "ValidationError", "Value at 'tags.2.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern", err)
	_, err = c.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("r1"), Tags: []iamtypes.Tag{{Key: aws.String("k"), Value: aws.String(strings.Repeat("v", 257))}}})
	refused("a 257-character value", "ValidationError", "Value at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256", err)
	_, err = c.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String("r1"), TagKeys: []string{strings.Repeat("k", 129)}})
	refused("untag a 129-character key", "ValidationError", "Value at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint", err)
	_, err = c.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("r1"), Tags: []iamtypes.Tag{{Key: aws.String("empty"), Value: aws.String("")}}})
	must(t, err)
}

// DescribeLogStreams with both logGroupName and logGroupIdentifier is
// ValidationException (DescribeLogGroups' prefix-and-pattern clash stays
// InvalidParameterException); by identifier, a name or an ARN finds the
// group.
func TestLocalStackLogStreamsIdentifier(t *testing.T) {
	em := newEmulator(t, nil)
	c := logsClient(em.URL)
	_, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("g1")})
	must(t, err)
	_, err = c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("g1"), LogStreamName: aws.String("s1")})
	must(t, err)
	_, err = c.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("g1"), LogGroupIdentifier: aws.String("g1")})
	if apiCode(err) != "ValidationException" || !strings.Contains(err.Error(), "LogGroup name and LogGroup ARN are mutually exclusive parameters.") {
		t.Errorf("name and identifier: %v", err)
	}
	_, err = c.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("g"), LogGroupNamePattern: aws.String("g")})
	if apiCode(err) != "InvalidParameterException" {
		t.Errorf("prefix and pattern: %v", err)
	}
	g, err := c.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("g1")})
	must(t, err)
	for _, id := range []string{"g1", aws.ToString(g.LogGroups[0].Arn), aws.ToString(g.LogGroups[0].LogGroupArn)} {
		out, err := c.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupIdentifier: aws.String(id)})
		must(t, err)
		if len(out.LogStreams) != 1 || aws.ToString(out.LogStreams[0].LogStreamName) != "s1" {
			t.Errorf("by identifier %s: %+v", id, out.LogStreams)
		}
	}
}

// An AWS::Logs::LogGroup's RetentionInDays and Tags update in place: the
// same group, its retention changed or removed, its tags replaced.
func TestLocalStackCloudFormationLogGroupUpdate(t *testing.T) {
	em := newEmulator(t, nil)
	cf, lc := cfnClient(em.URL), logsClient(em.URL)
	tmpl := func(props string) string {
		return `Resources:
  LogGroup:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub '${AWS::StackName}-test-log-group'
` + props + `Outputs:
  LogGroupArn: {Value: !GetAtt LogGroup.Arn}
`
	}
	all := tmpl("      RetentionInDays: 7\n      Tags: [{Key: Environment, Value: Dev}, {Key: Team, Value: Engineering}]\n")
	cs, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("lg"), TemplateBody: aws.String(all)})
	must(t, err)
	waitStack(t, cf, aws.ToString(cs.StackId), "CREATE_COMPLETE")
	state := func() (int32, map[string]string, int64) {
		t.Helper()
		g, err := lc.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("lg-test-log-group")})
		must(t, err)
		if len(g.LogGroups) != 1 {
			t.Fatalf("groups: %+v", g.LogGroups)
		}
		tags, err := lc.ListTagsLogGroup(ctx, &cloudwatchlogs.ListTagsLogGroupInput{LogGroupName: aws.String("lg-test-log-group")})
		must(t, err)
		own := map[string]string{} // without CloudFormation's aws:cloudformation:* tags
		for k, v := range tags.Tags {
			if !strings.HasPrefix(k, "aws:") {
				own[k] = v
			}
		}
		return aws.ToInt32(g.LogGroups[0].RetentionInDays), own, aws.ToInt64(g.LogGroups[0].CreationTime)
	}
	days, tags, created := state()
	if days != 7 || tags["Team"] != "Engineering" {
		t.Fatalf("created: %d %v", days, tags)
	}
	update := func(body string) {
		t.Helper()
		_, err := cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("lg"), TemplateBody: aws.String(body)})
		must(t, err)
		waitStack(t, cf, aws.ToString(cs.StackId), "UPDATE_COMPLETE")
	}
	update(tmpl("      RetentionInDays: 14\n      Tags: [{Key: Environment, Value: Prod}, {Key: Project, Value: CloudFormation}]\n"))
	days, tags, c2 := state()
	if days != 14 || tags["Environment"] != "Prod" || tags["Project"] != "CloudFormation" || tags["Team"] != "" || c2 != created {
		t.Errorf("after the update: %d %v (created %d, was %d)", days, tags, c2, created)
	}
	update(tmpl(""))
	days, tags, c3 := state()
	if days != 0 || len(tags) != 0 || c3 != created {
		t.Errorf("after removing the optional properties: %d %v", days, tags)
	}
}

// AWS::IAM::ServerCertificate uploads the certificate to IAM: Ref is its
// name, Fn::GetAtt Arn its ARN; deleting the stack deletes it ("The Server
// Certificate with name X cannot be found.").
func TestLocalStackCloudFormationServerCertificate(t *testing.T) {
	em := newAccount(t, nil)
	cf, ic := cfnClient(em.URL), iamClient(em.URL)
	body, err := os.ReadFile("testdata/certs/cert1.pem")
	must(t, err)
	key, err := os.ReadFile("testdata/certs/key1.pem")
	must(t, err)
	indent := func(s []byte) string {
		return "            " + strings.ReplaceAll(strings.TrimRight(string(s), "\n"), "\n", "\n            ") + "\n"
	}
	tmpl := `Resources:
  Named:
    Type: AWS::IAM::ServerCertificate
    Properties:
      ServerCertificateName: web-cert
      Path: /lb/
      PrivateKey: |
` + indent(key) + `      CertificateBody: |
` + indent(body) + `  Unnamed:
    Type: AWS::IAM::ServerCertificate
    Properties:
      PrivateKey: |
` + indent(key) + `      CertificateBody: |
` + indent(body) + `Outputs:
  Name: {Value: !Ref Named}
  Arn: {Value: !GetAtt Named.Arn}
  Other: {Value: !Ref Unnamed}
`
	cs, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("certs"), TemplateBody: aws.String(tmpl)})
	must(t, err)
	waitStack(t, cf, aws.ToString(cs.StackId), "CREATE_COMPLETE")
	out := stackOutputs(t, cf, "certs")
	if out["Name"] != "web-cert" || !strings.HasSuffix(out["Arn"], ":server-certificate/lb/web-cert") || !strings.HasPrefix(out["Other"], "certs-Unnamed-") {
		t.Fatalf("outputs: %v", out)
	}
	g, err := ic.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("web-cert")})
	must(t, err)
	if aws.ToString(g.ServerCertificate.ServerCertificateMetadata.Arn) != out["Arn"] ||
		strings.TrimSpace(aws.ToString(g.ServerCertificate.CertificateBody)) != strings.TrimSpace(string(body)) {
		t.Errorf("GetServerCertificate: %+v", g.ServerCertificate.ServerCertificateMetadata)
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("certs")})
	must(t, err)
	waitStack(t, cf, aws.ToString(cs.StackId), "DELETE_COMPLETE")
	for _, name := range []string{"web-cert", out["Other"]} {
		_, err := ic.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String(name)})
		if apiCode(err) != "NoSuchEntity" || !strings.Contains(err.Error(), "The Server Certificate with name "+name+" cannot be found.") {
			t.Errorf("%s after the stack's deletion: %v", name, err)
		}
	}
}

// AWS::EC2::KeyPair makes a key pair (Ref its name; KeyPairId and
// KeyFingerprint attributes) whose private key CloudFormation keeps as the
// SecureString /ec2/keypair/<id>; with PublicKeyMaterial the key is
// imported. Deleting the stack deletes both: DescribeKeyPairs is then
// InvalidKeyPair.NotFound "The key pair 'X' does not exist".
func TestLocalStackCloudFormationKeyPair(t *testing.T) {
	em := newAccount(t, nil)
	cf, e, sm := cfnClient(em.URL), sdkClients(em.URL).ec2, ssmClient(em.URL)
	tmpl := `Resources:
  NewKeyPair:
    Type: AWS::EC2::KeyPair
    Properties:
      KeyName: !Sub 'keypair-${AWS::StackName}'
  Imported:
    Type: AWS::EC2::KeyPair
    Properties:
      KeyName: imported
      PublicKeyMaterial: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test
Outputs:
  KeyPairName: {Value: !Ref NewKeyPair}
  KeyPairId: {Value: !GetAtt NewKeyPair.KeyPairId}
  Fingerprint: {Value: !GetAtt NewKeyPair.KeyFingerprint}
`
	cs, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("keys"), TemplateBody: aws.String(tmpl)})
	must(t, err)
	waitStack(t, cf, aws.ToString(cs.StackId), "CREATE_COMPLETE")
	out := stackOutputs(t, cf, "keys")
	if out["KeyPairName"] != "keypair-keys" || !strings.HasPrefix(out["KeyPairId"], "key-") {
		t.Fatalf("outputs: %v", out)
	}
	kp, err := e.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{KeyNames: []string{"keypair-keys", "imported"}})
	must(t, err)
	if len(kp.KeyPairs) != 2 || aws.ToString(kp.KeyPairs[1].KeyFingerprint) != out["Fingerprint"] && aws.ToString(kp.KeyPairs[0].KeyFingerprint) != out["Fingerprint"] {
		t.Errorf("DescribeKeyPairs: %+v", kp.KeyPairs)
	}
	for _, k := range kp.KeyPairs {
		if len(k.Tags) != 0 {
			t.Errorf("%s tags: %v (CloudFormation puts none on a key pair)", aws.ToString(k.KeyName), k.Tags)
		}
	}
	param := "/ec2/keypair/" + out["KeyPairId"]
	p, err := sm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(param), WithDecryption: aws.Bool(true)})
	must(t, err)
	if p.Parameter.Type != "SecureString" || !strings.Contains(aws.ToString(p.Parameter.Value), "PRIVATE KEY") {
		t.Errorf("the private key's parameter: %s %.40q", p.Parameter.Type, aws.ToString(p.Parameter.Value))
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("keys")})
	must(t, err)
	waitStack(t, cf, aws.ToString(cs.StackId), "DELETE_COMPLETE")
	_, err = e.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{KeyNames: []string{"keypair-keys"}})
	if apiCode(err) != "InvalidKeyPair.NotFound" || !strings.Contains(err.Error(), "The key pair 'keypair-keys' does not exist") {
		t.Errorf("after the stack's deletion: %v", err)
	}
	if _, err := sm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(param)}); apiCode(err) != "ParameterNotFound" {
		t.Errorf("the parameter after the stack's deletion: %v", err)
	}
}

// A stack made through a change set tags its resources with its own
// StackId (aws:cloudformation:stack-id), as DescribeStacks answers it; an
// interface endpoint it makes carries no aws:cloudformation:* tags and
// DescribeVpcEndpoints answers it as AWS does: State "available", Tags [],
// the default policy without a Version (a gateway endpoint's keeps
// 2008-10-17).
func TestLocalStackCloudFormationStackIDTagAndEndpoint(t *testing.T) {
	em := newAccount(t, nil)
	cf, e := cfnClient(em.URL), sdkClients(em.URL).ec2
	tmpl := `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""]}
  Rt:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: sg, VpcId: !Ref Vpc, Tags: [{Key: key1, Value: value1}]}
  Logs:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcEndpointType: Interface
      ServiceName: !Sub 'com.amazonaws.${AWS::Region}.logs'
      VpcId: !Ref Vpc
      PrivateDnsEnabled: true
      SubnetIds: [!Ref Subnet]
      SecurityGroupIds: [!Ref Sg]
  S3:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      ServiceName: !Sub 'com.amazonaws.${AWS::Region}.s3'
      VpcId: !Ref Vpc
      RouteTableIds: [!Ref Rt]
Outputs:
  Sg: {Value: !Ref Sg}
  Logs: {Value: !Ref Logs}
  S3: {Value: !Ref S3}
`
	cs, err := cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("tagged"), ChangeSetName: aws.String("c1"),
		ChangeSetType: "CREATE", TemplateBody: aws.String(tmpl)})
	must(t, err)
	waitChangeSet := func() {
		for range 300 {
			d, err := cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: cs.Id})
			must(t, err)
			if d.Status == "CREATE_COMPLETE" {
				return
			}
			if d.Status == "FAILED" {
				t.Fatalf("change set: %s", aws.ToString(d.StatusReason))
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatal("the change set was never created")
	}
	waitChangeSet()
	_, err = cf.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: cs.Id})
	must(t, err)
	waitStack(t, cf, aws.ToString(cs.StackId), "CREATE_COMPLETE")
	out := stackOutputs(t, cf, "tagged")
	sg, err := e.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{out["Sg"]}})
	must(t, err)
	tags := map[string]string{}
	for _, tg := range sg.SecurityGroups[0].Tags {
		tags[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
	}
	if tags["aws:cloudformation:stack-id"] != aws.ToString(cs.StackId) || tags["key1"] != "value1" {
		t.Errorf("the group's tags: %v, stack id %s", tags, aws.ToString(cs.StackId))
	}
	eps, err := e.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{out["Logs"], out["S3"]}})
	must(t, err)
	if len(eps.VpcEndpoints) != 2 {
		t.Fatalf("endpoints: %+v", eps.VpcEndpoints)
	}
	for _, ep := range eps.VpcEndpoints {
		if string(ep.State) != "available" || ep.Tags == nil || len(ep.Tags) != 0 {
			t.Errorf("%s: state %s, tags %v", aws.ToString(ep.VpcEndpointId), ep.State, ep.Tags)
		}
		hasVersion := strings.Contains(aws.ToString(ep.PolicyDocument), `"Version":"2008-10-17"`)
		if hasVersion != (ep.VpcEndpointType == "Gateway") {
			t.Errorf("%s (%s) policy: %s", aws.ToString(ep.VpcEndpointId), ep.VpcEndpointType, aws.ToString(ep.PolicyDocument))
		}
	}
}

// AWS::EC2::PrefixList creates a customer-managed prefix list: Ref and
// PrefixListId its id, Arn its ARN; it carries the template's tags only;
// deleting the stack deletes it.
func TestLocalStackCloudFormationPrefixList(t *testing.T) {
	em := newAccount(t, nil)
	cf, e := cfnClient(em.URL), sdkClients(em.URL).ec2
	tmpl := `Resources:
  NewPrefixList:
    Type: AWS::EC2::PrefixList
    Properties:
      PrefixListName: vpc-1-servers
      AddressFamily: IPv4
      MaxEntries: 10
      Entries:
        - {Cidr: 10.0.0.5/32, Description: Server 1}
        - {Cidr: 10.0.0.10/32, Description: Server 2}
      Tags: [{Key: Name, Value: VPC-1-Servers}]
Outputs:
  Ref: {Value: !Ref NewPrefixList}
  Arn: {Value: !GetAtt NewPrefixList.Arn}
  Id: {Value: !GetAtt NewPrefixList.PrefixListId}
`
	cs, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("pl"), TemplateBody: aws.String(tmpl)})
	must(t, err)
	waitStack(t, cf, aws.ToString(cs.StackId), "CREATE_COMPLETE")
	out := stackOutputs(t, cf, "pl")
	if !strings.HasPrefix(out["Ref"], "pl-") || out["Id"] != out["Ref"] || !strings.HasSuffix(out["Arn"], ":prefix-list/"+out["Ref"]) {
		t.Fatalf("outputs: %v", out)
	}
	d, err := e.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{PrefixListIds: []string{out["Ref"]}})
	must(t, err)
	p := d.PrefixLists[0]
	if aws.ToString(p.PrefixListName) != "vpc-1-servers" || aws.ToInt32(p.MaxEntries) != 10 || aws.ToString(p.PrefixListArn) != out["Arn"] ||
		len(p.Tags) != 1 || aws.ToString(p.Tags[0].Key) != "Name" {
		t.Errorf("prefix list: %+v", p)
	}
	en, err := e.GetManagedPrefixListEntries(ctx, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: aws.String(out["Ref"])})
	must(t, err)
	if len(en.Entries) != 2 {
		t.Errorf("entries: %+v", en.Entries)
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("pl")})
	must(t, err)
	waitStack(t, cf, aws.ToString(cs.StackId), "DELETE_COMPLETE")
	d, err = e.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{PrefixListIds: []string{out["Ref"]}})
	if err == nil && len(d.PrefixLists) == 1 && d.PrefixLists[0].State != "delete-complete" {
		t.Errorf("after the stack's deletion: %+v", d.PrefixLists)
	}
}
