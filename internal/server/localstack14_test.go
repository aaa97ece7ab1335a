package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/iam"
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
