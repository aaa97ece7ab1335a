package server_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/internal/server"
	"github.com/ecsnet/ecsnet/internal/store"
	"github.com/ecsnet/ecsnet/internal/store/bolt"
)

// apiError is err's code and message, "" when err is no AWS error.
func apiError(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	return fmt.Sprint(err)
}

// KMS validates the tags of CreateKey and TagResource (lengths, then
// duplicate keys, more than 50, the reserved aws: prefix) and refuses an
// alias for an AWS managed key.
func TestKMSTagValidationRound26(t *testing.T) {
	em := newEmulator(t, nil)
	c := kmsClient(em.URL)
	tag := func(k, v string) kmstypes.Tag { return kmstypes.Tag{TagKey: aws.String(k), TagValue: aws.String(v)} }
	long := strings.Repeat("k", 129)
	many := make([]kmstypes.Tag, 51)
	for i := range many {
		many[i] = tag(fmt.Sprintf("k%d", i), "v")
	}
	for _, tc := range []struct {
		tags []kmstypes.Tag
		want string
	}{
		{[]kmstypes.Tag{tag("a", "1"), tag(long, "2")}, "ValidationException: 1 validation error detected: Value '" + long + "' at 'tags.2.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{[]kmstypes.Tag{tag("a", strings.Repeat("v", 257)), tag("", "x")}, "ValidationException: 2 validation errors detected: Value '" + strings.Repeat("v", 257) + "' at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256; Value '' at 'tags.2.member.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{[]kmstypes.Tag{tag("a", "1"), tag("a", "2")}, "TagException: Duplicate tag keys"},
		{many, "TagException: Too many tags"},
		{[]kmstypes.Tag{tag("AWS:team", "x")}, "TagException: Tags beginning with aws: are reserved"},
	} {
		if _, err := c.CreateKey(ctx, &kms.CreateKeyInput{Tags: tc.tags}); apiError(err) != tc.want {
			t.Errorf("CreateKey: %s\nwant %s", apiError(err), tc.want)
		}
	}
	keys, err := c.ListKeys(ctx, &kms.ListKeysInput{})
	must(t, err)
	if len(keys.Keys) != 0 {
		t.Errorf("refused CreateKey calls left %d keys", len(keys.Keys))
	}
	k, err := c.CreateKey(ctx, &kms.CreateKeyInput{Tags: []kmstypes.Tag{tag("Team", "web"), tag("team", "db")}})
	must(t, err) // tag keys are case sensitive
	id := k.KeyMetadata.KeyId
	if _, err := c.TagResource(ctx, &kms.TagResourceInput{KeyId: id, Tags: []kmstypes.Tag{tag("aws:cloudformation:stack-name", "x")}}); apiError(err) != "TagException: Tags beginning with aws: are reserved" {
		t.Errorf("TagResource aws:: %s", apiError(err))
	}
	if _, err := c.TagResource(ctx, &kms.TagResourceInput{KeyId: id, Tags: many[:49]}); apiError(err) != "TagException: Too many tags" {
		t.Errorf("TagResource to 51 tags: %s", apiError(err))
	}
	_, err = c.TagResource(ctx, &kms.TagResourceInput{KeyId: id, Tags: many[:48]})
	must(t, err)
	tags, err := c.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: id, Limit: aws.Int32(1000)})
	must(t, err)
	if len(tags.Tags) != 50 {
		t.Errorf("%d tags, want 50", len(tags.Tags))
	}

	// An alias for an AWS managed key: its key policy allows no CreateAlias.
	ebs, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/ebs")})
	must(t, err)
	want := "AccessDeniedException: User: arn:aws:iam::123456789012:root is not authorized to perform: kms:CreateAlias on resource: " +
		aws.ToString(ebs.KeyMetadata.Arn) + " because no resource-based policy allows the kms:CreateAlias action"
	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/my-ebs"), TargetKeyId: ebs.KeyMetadata.KeyId}); apiError(err) != want {
		t.Errorf("CreateAlias to the AWS managed key: %s\nwant %s", apiError(err), want)
	}
	_, err = c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/mine"), TargetKeyId: id})
	must(t, err)
	if _, err := c.UpdateAlias(ctx, &kms.UpdateAliasInput{AliasName: aws.String("alias/mine"), TargetKeyId: ebs.KeyMetadata.Arn}); apiCode(err) != "AccessDeniedException" {
		t.Errorf("UpdateAlias to the AWS managed key: %s", apiError(err))
	}
	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/aws/mine"), TargetKeyId: id}); apiCode(err) != "NotAuthorizedException" {
		t.Errorf("CreateAlias alias/aws/mine: %s", apiError(err))
	}
}

// AssumeRole answers PackedPolicySize, how full the packed session
// policies and tags are in percent: 16 for a small session policy, as AWS
// answered; more than 100 fails PackedPolicyTooLarge.
func TestSTSPackedPolicySizeRound26(t *testing.T) {
	em := newEmulator(t, nil)
	c := sts.NewFromConfig(sdkConfig(), func(o *sts.Options) { o.BaseEndpoint = aws.String(em.URL) })
	role := aws.String("arn:aws:iam::123456789012:role/app")
	small := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}`
	out, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role, RoleSessionName: aws.String("s1"), Policy: aws.String(small)})
	must(t, err)
	if got := aws.ToInt32(out.PackedPolicySize); got != 16 {
		t.Errorf("PackedPolicySize of a small policy %d, want 16", got)
	}
	out, err = c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role, RoleSessionName: aws.String("s1")})
	must(t, err)
	if out.PackedPolicySize != nil {
		t.Errorf("PackedPolicySize without session policy or tags: %d", aws.ToInt32(out.PackedPolicySize))
	}
	// A policy of 2,048 characters of ordinary IAM text fits.
	var stmts []string
	for i := 0; len(strings.Join(stmts, ",")) < 1900; i++ {
		stmts = append(stmts, fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket-%d/prefix-%d/*"}`, i, i*7, i*13))
	}
	big := `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
	out, err = c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role, RoleSessionName: aws.String("s1"), Policy: aws.String(big)})
	must(t, err)
	t.Logf("a %d-character policy packs to %d%%", len(big), aws.ToInt32(out.PackedPolicySize))
	if got := aws.ToInt32(out.PackedPolicySize); got <= 16 || got > 100 {
		t.Errorf("PackedPolicySize of a %d-character policy %d", len(big), got)
	}
	var tags []ststypes.Tag
	for i := 0; i < 50; i++ {
		tags = append(tags, ststypes.Tag{Key: aws.String(fmt.Sprintf("key-%02d-%x", i, i*7919)), Value: aws.String(fmt.Sprintf("%x-%x-%x", i*104729, i*1299709, i*15485863))})
	}
	_, err = c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role, RoleSessionName: aws.String("s1"), Tags: tags})
	if msg := apiError(err); !strings.HasPrefix(msg, "PackedPolicyTooLarge: Packed size of session tags consumes ") || !strings.HasSuffix(msg, "% of allotted space.") {
		t.Errorf("50 long session tags: %s", msg)
	}
	fed, err := c.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("fed"), Policy: aws.String(small)})
	must(t, err)
	if got := aws.ToInt32(fed.PackedPolicySize); got != 16 {
		t.Errorf("GetFederationToken PackedPolicySize %d, want 16", got)
	}
}

// PutTargets answers a target EventBridge cannot take as a failed entry
// and adds the others: an SQS FIFO queue without SqsParameters.
func TestEventsPutTargetsFailedEntriesRound26(t *testing.T) {
	em := newEmulator(t, nil)
	c := eventsClient(em.URL)
	_, err := c.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`{"source":["aws.ecs"]}`)})
	must(t, err)
	out, err := c.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("r"), Targets: []ebtypes.Target{
		{Id: aws.String("fifo"), Arn: aws.String("arn:aws:sqs:us-east-1:123456789012:jobs.fifo")},
		{Id: aws.String("grouped"), Arn: aws.String("arn:aws:sqs:us-east-1:123456789012:jobs.fifo"), SqsParameters: &ebtypes.SqsParameters{MessageGroupId: aws.String("g")}},
		{Id: aws.String("std"), Arn: aws.String("arn:aws:sqs:us-east-1:123456789012:jobs")},
	}})
	must(t, err)
	if out.FailedEntryCount != 1 || len(out.FailedEntries) != 1 || aws.ToString(out.FailedEntries[0].TargetId) != "fifo" ||
		aws.ToString(out.FailedEntries[0].ErrorCode) != "ValidationException" ||
		aws.ToString(out.FailedEntries[0].ErrorMessage) != "Parameter(s) SqsParameters must be specified for target: fifo." {
		t.Errorf("failed entries %d %+v", out.FailedEntryCount, out.FailedEntries)
	}
	l, err := c.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("r")})
	must(t, err)
	var ids []string
	for _, tg := range l.Targets {
		ids = append(ids, aws.ToString(tg.Id))
	}
	if strings.Join(ids, ",") != "grouped,std" {
		t.Errorf("targets %v", ids)
	}
	rm, err := c.RemoveTargets(ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String("r"), Ids: []string{"std", "fifo"}})
	must(t, err)
	if rm.FailedEntryCount != 1 || aws.ToString(rm.FailedEntries[0].ErrorCode) != "ResourceNotFoundException" {
		t.Errorf("RemoveTargets failed entries %+v", rm.FailedEntries)
	}
}

// An emulator serving a China region (--region cn-north-1) takes S3 ARNs
// of its partition: a flow log to arn:aws-cn:s3:::BUCKET is created, and
// one to a missing bucket is an unsuccessful item, not an invalid ARN.
func TestFlowLogsPartitionRound26(t *testing.T) {
	em := newEmulatorWith(t, server.Options{Region: "cn-north-1"})
	cfg := sdkConfig()
	cfg.Region = "cn-north-1"
	e := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	_, err = s3Client(em.URL, "cn-north-1", true).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("flows"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint("cn-north-1")}})
	must(t, err)
	for _, tc := range []struct{ dest, unsuccessful string }{
		{"arn:aws-cn:s3:::flows/vpc/", ""},
		{"arn:aws-cn:s3:::nope", "LogDestination: nope does not exist"},
	} {
		out, err := e.CreateFlowLogs(ctx, &ec2.CreateFlowLogsInput{ResourceType: ec2types.FlowLogsResourceTypeVpc, ResourceIds: []string{aws.ToString(v.Vpc.VpcId)},
			TrafficType: ec2types.TrafficTypeAll, LogDestinationType: ec2types.LogDestinationTypeS3, LogDestination: aws.String(tc.dest)})
		if err != nil {
			t.Errorf("%s: %v", tc.dest, err)
			continue
		}
		got := ""
		if len(out.Unsuccessful) > 0 {
			got = aws.ToString(out.Unsuccessful[0].Error.Message)
		}
		if got != tc.unsuccessful || (tc.unsuccessful == "") != (len(out.FlowLogIds) == 1) {
			t.Errorf("%s: flow logs %v, unsuccessful %q", tc.dest, out.FlowLogIds, got)
		}
	}
	if _, err := e.CreateFlowLogs(ctx, &ec2.CreateFlowLogsInput{ResourceType: ec2types.FlowLogsResourceTypeVpc, ResourceIds: []string{aws.ToString(v.Vpc.VpcId)},
		TrafficType: ec2types.TrafficTypeAll, LogDestinationType: ec2types.LogDestinationTypeS3, LogDestination: aws.String("arn:aws-cn:s3:::")}); apiCode(err) != "InvalidParameter" {
		t.Errorf("an S3 ARN without bucket: %v", err)
	}
}

// DescribeInstanceStatus answers a stopped instance (IncludeAllInstances)
// with "not-applicable" checks and no reachability check, a running one
// with "ok" and reachability "passed"; a pending one is "initializing".
func TestDescribeInstanceStatusStatesRound26(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.0.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(2), MaxCount: aws.Int32(2),
		InstanceType: ec2types.InstanceTypeT3Micro, SubnetId: s.Subnet.SubnetId})
	must(t, err)
	a, b := aws.ToString(r.Instances[0].InstanceId), aws.ToString(r.Instances[1].InstanceId)
	status := func(id string, all bool) *ec2types.InstanceStatus {
		t.Helper()
		d, err := e.DescribeInstanceStatus(ctx, &ec2.DescribeInstanceStatusInput{InstanceIds: []string{id}, IncludeAllInstances: aws.Bool(all)})
		must(t, err)
		if len(d.InstanceStatuses) == 0 {
			return nil
		}
		return &d.InstanceStatuses[0]
	}
	if st := status(a, true); st.InstanceState.Name == ec2types.InstanceStateNamePending &&
		(st.InstanceStatus.Status != ec2types.SummaryStatusInitializing || st.InstanceStatus.Details[0].Status != ec2types.StatusTypeInitializing) {
		t.Errorf("a pending instance: %+v", st.InstanceStatus)
	}
	must(t, ec2.NewInstanceRunningWaiter(e, func(o *ec2.InstanceRunningWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{a, b}}, waitFor))
	_, err = e.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{b}})
	must(t, err)
	must(t, ec2.NewInstanceStoppedWaiter(e, func(o *ec2.InstanceStoppedWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{b}}, waitFor))
	// The checks of a just-launched instance initialize first (round 27).
	must(t, ec2.NewInstanceStatusOkWaiter(e, func(o *ec2.InstanceStatusOkWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, &ec2.DescribeInstanceStatusInput{InstanceIds: []string{a}}, waitFor))
	if st := status(a, false); st == nil || st.InstanceStatus.Status != ec2types.SummaryStatusOk || len(st.SystemStatus.Details) != 1 ||
		st.SystemStatus.Details[0].Status != ec2types.StatusTypePassed {
		t.Errorf("a running instance: %+v", st)
	}
	if st := status(b, false); st != nil {
		t.Errorf("a stopped instance without IncludeAllInstances: %+v", st)
	}
	if st := status(b, true); st == nil || st.InstanceStatus.Status != ec2types.SummaryStatusNotApplicable ||
		st.SystemStatus.Status != ec2types.SummaryStatusNotApplicable || len(st.InstanceStatus.Details) != 0 {
		t.Errorf("a stopped instance: %+v %+v", st.InstanceStatus, st.SystemStatus)
	}
}

// A Route 53 operation and the change it answers are kept together: while
// the store cannot write, ChangeResourceRecordSets fails and leaves no
// record; once it can, every ChangeInfo an operation answers (the
// record's change, the zone's deletion) is one GetChange knows.
func TestRoute53ChangeKeptWithOperationRound26(t *testing.T) {
	b, err := bolt.Open(filepath.Join(t.TempDir(), "state.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	disk := &laterFullDisk{Store: b}
	_, url := startOn(t, disk, true)
	c := route53Client(url)
	z, err := c.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("example.com"), CallerReference: aws.String("r26")})
	must(t, err)
	zone := z.HostedZone.Id
	upsert := &route53.ChangeResourceRecordSetsInput{HostedZoneId: zone, ChangeBatch: &r53types.ChangeBatch{Comment: aws.String("www"),
		Changes: []r53types.Change{{Action: r53types.ChangeActionUpsert, ResourceRecordSet: &r53types.ResourceRecordSet{
			Name: aws.String("www.example.com"), Type: r53types.RRTypeA, TTL: aws.Int64(60), ResourceRecords: []r53types.ResourceRecord{{Value: aws.String("192.0.2.1")}}}}}}}
	disk.full.Store(true)
	if out, err := c.ChangeResourceRecordSets(ctx, upsert); err == nil {
		t.Fatalf("ChangeResourceRecordSets on a full disk answered %+v", out.ChangeInfo)
	}
	disk.full.Store(false)
	rs, err := c.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: zone})
	must(t, err)
	for _, r := range rs.ResourceRecordSets {
		if r.Type == r53types.RRTypeA {
			t.Errorf("the failed change left %s", aws.ToString(r.Name))
		}
	}
	known := func(what string, info *r53types.ChangeInfo) {
		t.Helper()
		g, err := c.GetChange(ctx, &route53.GetChangeInput{Id: info.Id})
		if err != nil || aws.ToString(g.ChangeInfo.Id) != aws.ToString(info.Id) || g.ChangeInfo.Status != r53types.ChangeStatusInsync {
			t.Errorf("GetChange of %s's change %s: %+v %v", what, aws.ToString(info.Id), g, err)
		}
	}
	known("CreateHostedZone", z.ChangeInfo)
	// The store fails the write after the next one: the operation and its
	// change are one write, so an answered change is a kept one.
	disk.skip.Store(1)
	disk.full.Store(true)
	if ch, err := c.ChangeResourceRecordSets(ctx, upsert); err == nil {
		disk.full.Store(false)
		known("ChangeResourceRecordSets (the next write failing)", ch.ChangeInfo)
	}
	disk.full.Store(false)
	ch, err := c.ChangeResourceRecordSets(ctx, upsert)
	must(t, err)
	known("ChangeResourceRecordSets", ch.ChangeInfo)
	if aws.ToString(ch.ChangeInfo.Comment) != "www" {
		t.Errorf("comment %q", aws.ToString(ch.ChangeInfo.Comment))
	}
	upsert.ChangeBatch.Changes[0].Action = r53types.ChangeActionDelete
	_, err = c.ChangeResourceRecordSets(ctx, upsert)
	must(t, err)
	d, err := c.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: zone})
	must(t, err)
	known("DeleteHostedZone", d.ChangeInfo)
}

// laterFullDisk is a store that, while full, refuses every write but the
// first skip ones.
type laterFullDisk struct {
	*bolt.Store
	full atomic.Bool
	skip atomic.Int32
}

func (d *laterFullDisk) Apply(changes []store.Change) error {
	if d.full.Load() && d.skip.Add(-1) < 0 {
		return fmt.Errorf("write %s: %w", d.Path(), syscall.ENOSPC)
	}
	return d.Store.Apply(changes)
}

// IAM users and access keys as Terraform's aws_iam_user and
// aws_iam_access_key drive them: create, get, list, tags, two keys at
// most, deactivate, delete the keys, then the user.
func TestIAMUsersAccessKeysRound26(t *testing.T) {
	em := newEmulator(t, nil)
	c := iamClient(em.URL)
	u, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ci"), Path: aws.String("/deploy/"),
		Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("web")}}})
	must(t, err)
	if aws.ToString(u.User.Arn) != "arn:aws:iam::123456789012:user/deploy/ci" || !strings.HasPrefix(aws.ToString(u.User.UserId), "AIDA") || len(u.User.Tags) != 1 {
		t.Errorf("CreateUser %+v", u.User)
	}
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("CI")}); apiError(err) != "EntityAlreadyExists: User with name CI already exists." {
		t.Errorf("a second user differing in case: %s", apiError(err))
	}
	g, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("ci")})
	must(t, err)
	if aws.ToString(g.User.UserId) != aws.ToString(u.User.UserId) {
		t.Errorf("GetUser %+v", g.User)
	}
	if _, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nobody")}); apiError(err) != "NoSuchEntity: The user with name nobody cannot be found." {
		t.Errorf("GetUser nobody: %s", apiError(err))
	}
	l, err := c.ListUsers(ctx, &iam.ListUsersInput{PathPrefix: aws.String("/deploy/")})
	must(t, err)
	if len(l.Users) != 1 || aws.ToString(l.Users[0].UserName) != "ci" {
		t.Errorf("ListUsers %+v", l.Users)
	}
	var keys []string
	for range 2 {
		k, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ci")})
		must(t, err)
		if !strings.HasPrefix(aws.ToString(k.AccessKey.AccessKeyId), "AKIA") || len(aws.ToString(k.AccessKey.SecretAccessKey)) != 40 || k.AccessKey.Status != iamtypes.StatusTypeActive {
			t.Errorf("CreateAccessKey %+v", k.AccessKey)
		}
		keys = append(keys, aws.ToString(k.AccessKey.AccessKeyId))
	}
	if _, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ci")}); apiError(err) != "LimitExceeded: Cannot exceed quota for AccessKeysPerUser: 2" {
		t.Errorf("a third key: %s", apiError(err))
	}
	_, err = c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: aws.String(keys[0]), Status: iamtypes.StatusTypeInactive})
	must(t, err)
	lk, err := c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("ci")})
	must(t, err)
	if len(lk.AccessKeyMetadata) != 2 || lk.AccessKeyMetadata[0].Status != iamtypes.StatusTypeInactive || lk.AccessKeyMetadata[1].Status != iamtypes.StatusTypeActive {
		t.Errorf("ListAccessKeys %+v", lk.AccessKeyMetadata)
	}
	if _, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("ci")}); apiError(err) != "DeleteConflict: Cannot delete entity, must delete access keys first." {
		t.Errorf("DeleteUser with keys: %s", apiError(err))
	}
	if _, err := c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: aws.String("AKIAIOSFODNN7EXAMPLE")}); apiError(err) != "NoSuchEntity: The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found." {
		t.Errorf("DeleteAccessKey of another key: %s", apiError(err))
	}
	_, err = c.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String("ci"), TagKeys: []string{"team"}})
	must(t, err)
	tags, err := c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("ci")})
	must(t, err)
	if len(tags.Tags) != 0 {
		t.Errorf("tags after UntagUser %+v", tags.Tags)
	}
	for _, k := range keys {
		_, err = c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: aws.String(k)})
		must(t, err)
	}
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("ci")})
	must(t, err)
	if _, err := c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("ci")}); apiCode(err) != "NoSuchEntity" {
		t.Errorf("ListAccessKeys of a deleted user: %s", apiError(err))
	}
}
