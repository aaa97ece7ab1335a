package server_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func logsClient(url string) *cloudwatchlogs.Client {
	return cloudwatchlogs.NewFromConfig(sdkConfig(), func(o *cloudwatchlogs.Options) { o.BaseEndpoint = aws.String(url) })
}

func iamClient(url string) *iam.Client {
	return iam.NewFromConfig(sdkConfig(), func(o *iam.Options) { o.BaseEndpoint = aws.String(url) })
}

// httpStatus returns the HTTP status of an API error.
func httpStatus(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

func TestCloudWatchLogGroups(t *testing.T) {
	em := newEmulator(t, nil)
	c := logsClient(em.URL)
	for _, n := range []string{"/ecs/web", "/ecs/api", "/ecs/worker", "/other/x", "/ecs/batch"} {
		_, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(n), Tags: map[string]string{"team": "a"}})
		must(t, err)
	}
	_, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/ecs/web")})
	if apiCode(err) != "ResourceAlreadyExistsException" {
		t.Errorf("a second /ecs/web: %v", err)
	}
	_, err = c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("bad name")})
	if apiCode(err) != "InvalidParameterException" {
		t.Errorf("a name with a space: %v", err)
	}
	// Pages of two, by name, under a prefix.
	var names []string
	var token *string
	for pages := 0; ; pages++ {
		out, err := c.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/ecs/"), Limit: aws.Int32(2), NextToken: token})
		must(t, err)
		for _, g := range out.LogGroups {
			names = append(names, aws.ToString(g.LogGroupName))
			if !strings.HasSuffix(aws.ToString(g.Arn), ":*") || aws.ToString(g.LogGroupArn)+":*" != aws.ToString(g.Arn) || g.RetentionInDays != nil {
				t.Errorf("group %+v", g)
			}
		}
		if token = out.NextToken; token == nil {
			break
		}
		if pages > 5 {
			t.Fatal("pages do not end")
		}
	}
	if strings.Join(names, " ") != "/ecs/api /ecs/batch /ecs/web /ecs/worker" {
		t.Errorf("groups %v", names)
	}
	// Retention: AWS's values only.
	_, err = c.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("/ecs/web"), RetentionInDays: aws.Int32(2)})
	if apiCode(err) != "InvalidParameterException" || !strings.Contains(err.Error(), "enum value set: [1, 3, 5, 7, 14") {
		t.Errorf("retention 2: %v", err)
	}
	_, err = c.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("/ecs/web"), RetentionInDays: aws.Int32(14)})
	must(t, err)
	out, err := c.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePattern: aws.String("WEB")})
	must(t, err)
	if len(out.LogGroups) != 1 || aws.ToInt32(out.LogGroups[0].RetentionInDays) != 14 {
		t.Fatalf("pattern WEB: %+v", out.LogGroups)
	}
	arn := aws.ToString(out.LogGroups[0].LogGroupArn)
	// Tags by ARN and by name.
	_, err = c.TagResource(ctx, &cloudwatchlogs.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"env": "prod"}})
	must(t, err)
	_, err = c.UntagLogGroup(ctx, &cloudwatchlogs.UntagLogGroupInput{LogGroupName: aws.String("/ecs/web"), Tags: []string{"team"}})
	must(t, err)
	tags, err := c.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	must(t, err)
	if len(tags.Tags) != 1 || tags.Tags["env"] != "prod" {
		t.Errorf("tags %v", tags.Tags)
	}
	// Streams.
	_, err = c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("/ecs/web"), LogStreamName: aws.String("ecs/web/1")})
	must(t, err)
	st, err := c.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("/ecs/web")})
	must(t, err)
	if len(st.LogStreams) != 1 || aws.ToString(st.LogStreams[0].LogStreamName) != "ecs/web/1" {
		t.Errorf("streams %+v", st.LogStreams)
	}
	must(t, func() error {
		_, err := c.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("/ecs/web")})
		return err
	}())
	_, err = c.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("/ecs/web")})
	if apiCode(err) != "ResourceNotFoundException" || !strings.Contains(err.Error(), "The specified log group does not exist.") {
		t.Errorf("deleting twice: %v", err)
	}
}

// A task whose awslogs group does not exist stops with AWS's reason; the
// group made, the next task runs; awslogs-create-group makes it.
func TestAwslogsGroupMustExist(t *testing.T) {
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	lc := logsClient(em.URL)
	subs, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	must(t, err)
	subnet := aws.ToString(subs.Subnets[0].SubnetId)
	_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	td := func(family, group string, create bool, role string) error {
		opts := map[string]string{"awslogs-group": group, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ecs"}
		if create {
			opts["awslogs-create-group"] = "true"
		}
		in := &ecs.RegisterTaskDefinitionInput{Family: aws.String(family), NetworkMode: ecstypes.NetworkModeAwsvpc,
			RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
			ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"),
				LogConfiguration: &ecstypes.LogConfiguration{LogDriver: ecstypes.LogDriverAwslogs, Options: opts}}}}
		if role != "" {
			in.ExecutionRoleArn = aws.String(role)
		}
		_, err := c.ecs.RegisterTaskDefinition(ctx, in)
		return err
	}
	err = td("web", "/ecs/web", false, "")
	if apiCode(err) != "ClientException" || !strings.Contains(err.Error(), "Fargate requires task definition to have execution role ARN to support log driver awslogs.") {
		t.Fatalf("awslogs without an execution role: %v", err)
	}
	role := executionRole(t, em.URL)
	// An awslogs-group of "" (terraform-aws-modules/terraform-aws-ecs#206)
	// is refused.
	if err := td("empty", "", true, role); apiCode(err) != "ClientException" || !strings.Contains(err.Error(), "Log driver awslogs option 'awslogs-group' should not be null or empty.") {
		t.Errorf("an empty awslogs-group: %v", err)
	}
	must(t, td("web", "/ecs/web", false, role))
	must(t, td("auto", "/ecs/auto", true, role))
	run := func(family string) string {
		out, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String(family), LaunchType: ecstypes.LaunchTypeFargate,
			NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{subnet}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}}})
		must(t, err)
		return aws.ToString(out.Tasks[0].TaskArn)
	}
	settle := func(arn string) ecstypes.Task {
		var tk ecstypes.Task
		eventually(t, "task "+arn+" settles", func() bool {
			out, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: []string{arn}})
			must(t, err)
			tk = out.Tasks[0]
			s := aws.ToString(tk.LastStatus)
			return s == "RUNNING" || s == "STOPPED"
		})
		return tk
	}
	tk := settle(run("web"))
	want := "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1"
	if aws.ToString(tk.LastStatus) != "STOPPED" || aws.ToString(tk.StoppedReason) != want || tk.StopCode != ecstypes.TaskStopCodeTaskFailedToStart {
		t.Errorf("without its log group: %s %s %q", aws.ToString(tk.LastStatus), tk.StopCode, aws.ToString(tk.StoppedReason))
	}
	_, err = lc.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/ecs/web")})
	must(t, err)
	if tk := settle(run("web")); aws.ToString(tk.LastStatus) != "RUNNING" {
		t.Errorf("with its log group: %s %q", aws.ToString(tk.LastStatus), aws.ToString(tk.StoppedReason))
	}
	// awslogs-create-group: the driver calls CreateLogGroup with the
	// execution role's credentials, which AmazonECSTaskExecutionRolePolicy
	// does not allow (terraform-aws-modules/terraform-aws-ecs#313): the
	// task stops; with logs:CreateLogGroup allowed, the next one runs and
	// makes the group.
	tk = settle(run("auto"))
	if reason := aws.ToString(tk.StoppedReason); aws.ToString(tk.LastStatus) != "STOPPED" || tk.StopCode != ecstypes.TaskStopCodeTaskFailedToStart ||
		!strings.HasPrefix(reason, "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log group: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ecsTaskExecutionRole/") ||
		!strings.HasSuffix(reason, " is not authorized to perform: logs:CreateLogGroup on resource: arn:aws:logs:us-east-1:123456789012:log-group:/ecs/auto:log-stream: because no identity-based policy allows the logs:CreateLogGroup action : exit status 1") {
		t.Errorf("awslogs-create-group without logs:CreateLogGroup: %s %s %q", aws.ToString(tk.LastStatus), tk.StopCode, reason)
	}
	_, err = iamClient(em.URL).PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("ecsTaskExecutionRole"), PolicyName: aws.String("create-group"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:CreateLogGroup","Resource":"*"}]}`)})
	must(t, err)
	if tk := settle(run("auto")); aws.ToString(tk.LastStatus) != "RUNNING" {
		t.Errorf("awslogs-create-group: %s %q", aws.ToString(tk.LastStatus), aws.ToString(tk.StoppedReason))
	}
	out, err := lc.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/ecs/auto")})
	must(t, err)
	if len(out.LogGroups) != 1 {
		t.Errorf("awslogs-create-group made %d groups", len(out.LogGroups))
	}
}

const trustECSTasks = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// IAM as Terraform's aws_iam_role, aws_iam_role_policy_attachment,
// aws_iam_role_policy, aws_iam_policy and aws_iam_instance_profile drive it.
func TestIAMRolesPoliciesProfiles(t *testing.T) {
	em := newEmulator(t, nil)
	c := iamClient(em.URL)
	r, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("exec"), AssumeRolePolicyDocument: aws.String(trustECSTasks),
		Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("a")}}})
	must(t, err)
	if aws.ToString(r.Role.Arn) != "arn:aws:iam::123456789012:role/exec" || !strings.HasPrefix(aws.ToString(r.Role.RoleId), "AROA") {
		t.Errorf("role %s %s", aws.ToString(r.Role.Arn), aws.ToString(r.Role.RoleId))
	}
	_, err = c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("exec"), AssumeRolePolicyDocument: aws.String(trustECSTasks)})
	if apiCode(err) != "EntityAlreadyExists" || httpStatus(err) != http.StatusConflict {
		t.Errorf("a second role exec: %v", err)
	}
	_, err = c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("bad"), AssumeRolePolicyDocument: aws.String("{not json")})
	if apiCode(err) != "MalformedPolicyDocument" {
		t.Errorf("a trust policy that is not JSON: %v", err)
	}
	got, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("exec")})
	must(t, err)
	// IAM answers documents URL-encoded; clients decode them.
	doc, err := url.QueryUnescape(aws.ToString(got.Role.AssumeRolePolicyDocument))
	if err != nil || doc != trustECSTasks || aws.ToInt32(got.Role.MaxSessionDuration) != 3600 || len(got.Role.Tags) != 1 {
		t.Errorf("GetRole: %q %v %+v", doc, err, got.Role)
	}
	_, err = c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("nope")})
	if apiCode(err) != "NoSuchEntity" || httpStatus(err) != http.StatusNotFound || !strings.Contains(err.Error(), "The role with name nope cannot be found.") {
		t.Errorf("GetRole nope: %v", err)
	}
	// An AWS managed policy and a customer managed one.
	exec := "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
	_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("exec"), PolicyArn: aws.String(exec)})
	must(t, err)
	pol, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(exec)})
	must(t, err)
	if aws.ToInt32(pol.Policy.AttachmentCount) != 1 || aws.ToString(pol.Policy.Path) != "/service-role/" {
		t.Errorf("AWS managed policy %+v", pol.Policy)
	}
	pv, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(exec), VersionId: pol.Policy.DefaultVersionId})
	must(t, err)
	if d, _ := url.QueryUnescape(aws.ToString(pv.PolicyVersion.Document)); !strings.Contains(d, "logs:CreateLogStream") {
		t.Errorf("its document %s", d)
	}
	mine, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("read"), Path: aws.String("/app/"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)})
	must(t, err)
	arn := aws.ToString(mine.Policy.Arn)
	if arn != "arn:aws:iam::123456789012:policy/app/read" || aws.ToString(mine.Policy.DefaultVersionId) != "v1" {
		t.Errorf("policy %s %s", arn, aws.ToString(mine.Policy.DefaultVersionId))
	}
	for i := 0; i < 4; i++ {
		_, err = c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), SetAsDefault: true,
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)})
		must(t, err)
	}
	_, err = c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)})
	if apiCode(err) != "LimitExceeded" {
		t.Errorf("a sixth version: %v", err)
	}
	_, err = c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v5")})
	if apiCode(err) != "DeleteConflict" {
		t.Errorf("deleting the default version: %v", err)
	}
	_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("exec"), PolicyArn: aws.String(arn)})
	must(t, err)
	_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("exec"), PolicyArn: aws.String("arn:aws:iam::123456789012:policy/missing")})
	if apiCode(err) != "NoSuchEntity" {
		t.Errorf("attaching a policy that does not exist: %v", err)
	}
	att, err := c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("exec")})
	must(t, err)
	if len(att.AttachedPolicies) != 2 {
		t.Errorf("attached %+v", att.AttachedPolicies)
	}
	_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("exec"), PolicyName: aws.String("inline"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameters","Resource":"*"}]}`)})
	must(t, err)
	// The instance profile holds one role.
	_, err = c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("ecs-instance")})
	must(t, err)
	_, err = c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("ecs-instance"), RoleName: aws.String("exec")})
	must(t, err)
	_, err = c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("ecs-instance"), RoleName: aws.String("exec")})
	if apiCode(err) != "LimitExceeded" {
		t.Errorf("a second role in a profile: %v", err)
	}
	// Deleting in the order IAM demands, as Terraform does.
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("exec")})
	if apiCode(err) != "DeleteConflict" || httpStatus(err) != http.StatusConflict {
		t.Errorf("deleting a role with policies: %v", err)
	}
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
	if apiCode(err) != "DeleteConflict" {
		t.Errorf("deleting an attached policy: %v", err)
	}
	profs, err := c.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String("exec")})
	must(t, err)
	for _, p := range profs.InstanceProfiles {
		_, err = c.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: p.InstanceProfileName, RoleName: aws.String("exec")})
		must(t, err)
	}
	for _, p := range att.AttachedPolicies {
		_, err = c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("exec"), PolicyArn: p.PolicyArn})
		must(t, err)
	}
	inl, err := c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("exec")})
	must(t, err)
	for _, n := range inl.PolicyNames {
		_, err = c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("exec"), PolicyName: aws.String(n)})
		must(t, err)
	}
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("exec")})
	must(t, err)
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
	must(t, err)
	_, err = c.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String("ecs-instance")})
	must(t, err)
	// ECS's service-linked role.
	sl, err := c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("ecs.amazonaws.com")})
	must(t, err)
	if aws.ToString(sl.Role.Arn) != "arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS" {
		t.Errorf("service-linked role %s", aws.ToString(sl.Role.Arn))
	}
	_, err = c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("ecs.amazonaws.com")})
	if apiCode(err) != "InvalidInput" {
		t.Errorf("a second AWSServiceRoleForECS: %v", err)
	}
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("AWSServiceRoleForECS")})
	if apiCode(err) != "UnmodifiableEntity" {
		t.Errorf("DeleteRole of a service-linked role: %v", err)
	}
	del, err := c.DeleteServiceLinkedRole(ctx, &iam.DeleteServiceLinkedRoleInput{RoleName: aws.String("AWSServiceRoleForECS")})
	must(t, err)
	st, err := c.GetServiceLinkedRoleDeletionStatus(ctx, &iam.GetServiceLinkedRoleDeletionStatusInput{DeletionTaskId: del.DeletionTaskId})
	must(t, err)
	if st.Status != iamtypes.DeletionTaskStatusTypeSucceeded {
		t.Errorf("deletion status %s", st.Status)
	}
	if _, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("AWSServiceRoleForECS")}); apiCode(err) != "NoSuchEntity" {
		t.Errorf("the deleted service-linked role: %v", err)
	}
}

// An instance launched with an instance profile IAM holds answers its ARN,
// path included, and its id (moto's test_instance_iam_instance_profile).
func TestInstanceProfileOnInstance(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	p, err := iamClient(em.URL).CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("ecs"), Path: aws.String("/app/")})
	must(t, err)
	for _, spec := range []*ec2types.IamInstanceProfileSpecification{{Name: aws.String("ecs")}, {Arn: p.InstanceProfile.Arn}} {
		r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
			InstanceType: ec2types.InstanceTypeT3Micro, IamInstanceProfile: spec})
		must(t, err)
		got := r.Instances[0].IamInstanceProfile
		if got == nil || aws.ToString(got.Arn) != "arn:aws:iam::123456789012:instance-profile/app/ecs" || aws.ToString(got.Id) != aws.ToString(p.InstanceProfile.InstanceProfileId) {
			t.Errorf("IamInstanceProfile %+v", got)
		}
	}
}
