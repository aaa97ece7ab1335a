package awsproto_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/sdkhttp"
)

// Round trips through the AWS SDK for Go v2: the SDK serializes, the fake
// server decodes and encodes with awsproto, the SDK deserializes.

func sdkConfig(f *fakeAWS) aws.Config {
	return aws.Config{
		Region:      "eu-west-3",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		HTTPClient:  sdkhttp.Wrap(f.Client()), // against smithy-go's closed-body race
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
}

func ec2Client(f *fakeAWS) *ec2.Client {
	return ec2.NewFromConfig(sdkConfig(f), func(o *ec2.Options) { o.BaseEndpoint = aws.String(f.URL) })
}

func ecsClient(f *fakeAWS) *ecs.Client {
	return ecs.NewFromConfig(sdkConfig(f), func(o *ecs.Options) { o.BaseEndpoint = aws.String(f.URL) })
}

func elbClient(f *fakeAWS) *elbv2.Client {
	return elbv2.NewFromConfig(sdkConfig(f), func(o *elbv2.Options) { o.BaseEndpoint = aws.String(f.URL) })
}

func asgClient(f *fakeAWS) *autoscaling.Client {
	return autoscaling.NewFromConfig(sdkConfig(f), func(o *autoscaling.Options) { o.BaseEndpoint = aws.String(f.URL) })
}

// wantInput compares what the server decoded with want.
func wantInput(t *testing.T, got call, service, op string, want awsproto.Params) {
	t.Helper()
	if got.Service != service || got.Operation != op || got.Region != "eu-west-3" {
		t.Errorf("identified %s.%s in %q, want %s.%s in eu-west-3", got.Service, got.Operation, got.Region, service, op)
	}
	if diff := cmp.Diff(want, got.Input); diff != "" {
		t.Errorf("%s decoded input (-want +got):\n%s", op, diff)
	}
}

// wantAPIError checks the SDK saw an AWS error with this code, message
// and HTTP status.
func wantAPIError(t *testing.T, err error, code, message string, status int) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v (%T) is not a smithy.APIError", err, err)
	}
	if ae.ErrorCode() != code || ae.ErrorMessage() != message {
		t.Errorf("SDK saw %s: %q, want %s: %q", ae.ErrorCode(), ae.ErrorMessage(), code, message)
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("error %v has no HTTP response", err)
	}
	if re.HTTPStatusCode() != status {
		t.Errorf("HTTP status %d, want %d", re.HTTPStatusCode(), status)
	}
	if re.ServiceRequestID() != testRequestID {
		t.Errorf("request ID %q, want %q", re.ServiceRequestID(), testRequestID)
	}
}

func TestSDKEC2DescribeVpcs(t *testing.T) {
	f := newFakeAWS(t, map[string]any{"ec2.DescribeVpcs": describeVpcsOutput()})
	out, err := ec2Client(f).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{
		VpcIds: []string{"vpc-0a1b2c3d", "vpc-2"},
		Filters: []ec2types.Filter{
			{Name: aws.String("tag:Name"), Values: []string{"main", "prod & co"}},
			{Name: aws.String("is-default"), Values: []string{"false"}},
		},
		MaxResults: aws.Int32(5),
		DryRun:     aws.Bool(false),
	})
	if err != nil {
		t.Fatal(err)
	}
	wantInput(t, f.lastCall(t), "ec2", "DescribeVpcs", awsproto.Params{
		"VpcIds": []any{"vpc-0a1b2c3d", "vpc-2"},
		"Filters": []any{
			map[string]any{"Name": "tag:Name", "Values": []any{"main", "prod & co"}},
			map[string]any{"Name": "is-default", "Values": []any{"false"}},
		},
		"MaxResults": int64(5),
		"DryRun":     false,
	})
	if len(out.Vpcs) != 2 {
		t.Fatalf("got %d VPCs, want 2", len(out.Vpcs))
	}
	v := out.Vpcs[0]
	if aws.ToString(v.VpcId) != "vpc-0a1b2c3d" || aws.ToString(v.CidrBlock) != "10.0.0.0/16" ||
		!aws.ToBool(v.IsDefault) || v.State != ec2types.VpcStateAvailable || v.InstanceTenancy != ec2types.TenancyDefault {
		t.Errorf("VPC decoded as %+v", v)
	}
	wantTags := []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String(`main & <"prod">`)}, {Key: aws.String("empty"), Value: aws.String("")}}
	if diff := cmp.Diff(wantTags, v.Tags, cmpSDK); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if len(v.CidrBlockAssociationSet) != 1 || v.CidrBlockAssociationSet[0].CidrBlockState.State != ec2types.VpcCidrBlockStateCodeAssociated {
		t.Errorf("CIDR associations decoded as %+v", v.CidrBlockAssociationSet)
	}
	if aws.ToBool(out.Vpcs[1].IsDefault) || out.Vpcs[1].IsDefault == nil {
		t.Errorf("second VPC IsDefault = %v, want explicit false", out.Vpcs[1].IsDefault)
	}
}

// cmpSDK ignores the SDK types' unexported document markers.
var cmpSDK = cmpopts.IgnoreUnexported(ec2types.Tag{})

func TestSDKEC2DescribeNetworkInterfaces(t *testing.T) {
	f := newFakeAWS(t, map[string]any{"ec2.DescribeNetworkInterfaces": describeNetworkInterfacesOutput(3)})
	out, err := ec2Client(f).DescribeNetworkInterfaces(context.Background(), &ec2.DescribeNetworkInterfacesInput{
		NetworkInterfaceIds: []string{"eni-00000000"},
		Filters:             []ec2types.Filter{{Name: aws.String("attachment.instance-owner-id"), Values: []string{"amazon-aws"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	wantInput(t, f.lastCall(t), "ec2", "DescribeNetworkInterfaces", awsproto.Params{
		"NetworkInterfaceIds": []any{"eni-00000000"},
		"Filters":             []any{map[string]any{"Name": "attachment.instance-owner-id", "Values": []any{"amazon-aws"}}},
	})
	if len(out.NetworkInterfaces) != 3 {
		t.Fatalf("got %d ENIs, want 3", len(out.NetworkInterfaces))
	}
	eni := out.NetworkInterfaces[2]
	if aws.ToString(eni.NetworkInterfaceId) != "eni-00000002" || aws.ToString(eni.PrivateIpAddress) != "10.0.0.2" ||
		eni.Status != ec2types.NetworkInterfaceStatusInUse || !aws.ToBool(eni.RequesterManaged) {
		t.Errorf("ENI decoded as %+v", eni)
	}
	if eni.Association == nil || aws.ToString(eni.Association.PublicIp) != "54.0.0.1" {
		t.Errorf("association %+v", eni.Association)
	}
	if a := eni.Attachment; a == nil || !aws.ToTime(a.AttachTime).Equal(created) || aws.ToInt32(a.DeviceIndex) != 1 ||
		aws.ToBool(a.DeleteOnTermination) || a.Status != ec2types.AttachmentStatusAttached {
		t.Errorf("attachment %+v", eni.Attachment)
	}
	if len(eni.Groups) != 2 || aws.ToString(eni.Groups[1].GroupName) != "db" {
		t.Errorf("groups %+v", eni.Groups)
	}
	if len(eni.PrivateIpAddresses) != 2 || !aws.ToBool(eni.PrivateIpAddresses[0].Primary) ||
		aws.ToString(eni.PrivateIpAddresses[0].Association.PublicIp) != "54.0.0.1" ||
		aws.ToString(eni.PrivateIpAddresses[1].PrivateIpAddress) != "10.0.0.2" {
		t.Errorf("private IPs %+v", eni.PrivateIpAddresses)
	}
	if len(eni.TagSet) != 1 || aws.ToString(eni.TagSet[0].Value) != "prod" {
		t.Errorf("tags %+v", eni.TagSet)
	}
}

func TestSDKEC2CreateNetworkInsightsPath(t *testing.T) {
	f := newFakeAWS(t, map[string]any{"ec2.CreateNetworkInsightsPath": createNetworkInsightsPathOutput()})
	out, err := ec2Client(f).CreateNetworkInsightsPath(context.Background(), &ec2.CreateNetworkInsightsPathInput{
		ClientToken: aws.String("token-1"),
		Source:      aws.String("eni-1"),
		Destination: aws.String("igw-1"),
		Protocol:    ec2types.ProtocolTcp,
		FilterAtSource: &ec2types.PathRequestFilter{
			SourceAddress:        aws.String("10.0.0.1"),
			DestinationPortRange: &ec2types.RequestFilterPortRange{FromPort: aws.Int32(443), ToPort: aws.Int32(443)},
		},
		TagSpecifications: []ec2types.TagSpecification{{
			ResourceType: ec2types.ResourceTypeNetworkInsightsPath,
			Tags:         []ec2types.Tag{{Key: aws.String("k"), Value: aws.String("v")}},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	wantInput(t, f.lastCall(t), "ec2", "CreateNetworkInsightsPath", awsproto.Params{
		"ClientToken": "token-1",
		"Source":      "eni-1",
		"Destination": "igw-1",
		"Protocol":    "tcp",
		"FilterAtSource": map[string]any{
			"SourceAddress":        "10.0.0.1",
			"DestinationPortRange": map[string]any{"FromPort": int64(443), "ToPort": int64(443)},
		},
		"TagSpecifications": []any{map[string]any{
			"ResourceType": "network-insights-path",
			"Tags":         []any{map[string]any{"Key": "k", "Value": "v"}},
		}},
	})
	p := out.NetworkInsightsPath
	if p == nil || aws.ToString(p.NetworkInsightsPathId) != "nip-1" || !aws.ToTime(p.CreatedDate).Equal(created) ||
		p.FilterAtSource == nil || aws.ToInt32(p.FilterAtSource.DestinationPortRange.ToPort) != 443 || aws.ToInt32(p.DestinationPort) != 443 {
		t.Errorf("path decoded as %+v", p)
	}
}

func TestSDKEC2Errors(t *testing.T) {
	f := newFakeAWS(t, map[string]any{
		"ec2.DescribeVpcs": errVpcNotFound,
		"ec2.DeleteVpc":    awsproto.DryRunOperation(),
		"ec2.DescribeTags": errInternalOops,
	})
	c := ec2Client(f)
	_, err := c.DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{VpcIds: []string{"vpc-404"}})
	wantAPIError(t, err, "InvalidVpcID.NotFound", "The vpc ID 'vpc-404' does not exist", http.StatusBadRequest)

	_, err = c.DeleteVpc(context.Background(), &ec2.DeleteVpcInput{VpcId: aws.String("vpc-1"), DryRun: aws.Bool(true)})
	wantAPIError(t, err, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.", http.StatusPreconditionFailed)
	if !f.lastCall(t).Input.DryRun() {
		t.Error("DryRun not decoded")
	}

	// A non-AWS error never leaks its text.
	_, err = c.DescribeTags(context.Background(), &ec2.DescribeTagsInput{})
	wantAPIError(t, err, "InternalError", "An internal error has occurred", http.StatusInternalServerError)
}

func TestSDKEC2DeleteVpcReturnsTrue(t *testing.T) {
	f := newFakeAWS(t, map[string]any{"ec2.DeleteVpc": nil})
	if _, err := ec2Client(f).DeleteVpc(context.Background(), &ec2.DeleteVpcInput{VpcId: aws.String("vpc-1")}); err != nil {
		t.Fatal(err)
	}
	wantInput(t, f.lastCall(t), "ec2", "DeleteVpc", awsproto.Params{"VpcId": "vpc-1"})
}

func TestSDKECSRunTask(t *testing.T) {
	f := newFakeAWS(t, map[string]any{"ecs.RunTask": runTaskOutput()})
	out, err := ecsClient(f).RunTask(context.Background(), &ecs.RunTaskInput{
		Cluster:        aws.String("prod"),
		TaskDefinition: aws.String("web:3"),
		Count:          aws.Int32(2),
		LaunchType:     ecstypes.LaunchTypeFargate,
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
			Subnets:        []string{"subnet-1", "subnet-2"},
			SecurityGroups: []string{"sg-1"},
			AssignPublicIp: ecstypes.AssignPublicIpDisabled,
		}},
		Overrides: &ecstypes.TaskOverride{ContainerOverrides: []ecstypes.ContainerOverride{{
			Name:        aws.String("web"),
			Environment: []ecstypes.KeyValuePair{{Name: aws.String("A"), Value: aws.String("1")}},
		}}},
		Tags:                 []ecstypes.Tag{{Key: aws.String("team"), Value: aws.String("net")}},
		EnableExecuteCommand: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := f.lastCall(t)
	// The SDK fills in the idempotency token.
	if got.Input.String("clientToken") == "" {
		t.Error("no clientToken decoded")
	}
	delete(got.Input, "clientToken")
	wantInput(t, got, "ecs", "RunTask", awsproto.Params{
		"cluster":        "prod",
		"taskDefinition": "web:3",
		"count":          int64(2),
		"launchType":     "FARGATE",
		"networkConfiguration": map[string]any{"awsvpcConfiguration": map[string]any{
			"subnets":        []any{"subnet-1", "subnet-2"},
			"securityGroups": []any{"sg-1"},
			"assignPublicIp": "DISABLED",
		}},
		"overrides": map[string]any{"containerOverrides": []any{map[string]any{
			"name":        "web",
			"environment": []any{map[string]any{"name": "A", "value": "1"}},
		}}},
		"tags":                 []any{map[string]any{"key": "team", "value": "net"}},
		"enableExecuteCommand": true,
	})
	if len(out.Tasks) != 1 || len(out.Failures) != 1 {
		t.Fatalf("got %d tasks and %d failures", len(out.Tasks), len(out.Failures))
	}
	task := out.Tasks[0]
	if !aws.ToTime(task.CreatedAt).Equal(created) || task.Version != 1 || task.LaunchType != ecstypes.LaunchTypeFargate {
		t.Errorf("task decoded as %+v", task)
	}
	if len(task.Attachments) != 1 || len(task.Attachments[0].Details) != 3 ||
		aws.ToString(task.Attachments[0].Details[1].Value) != "eni-1" {
		t.Errorf("attachments %+v", task.Attachments)
	}
	if task.Containers[0].ExitCode != nil || aws.ToString(task.Containers[0].NetworkInterfaces[0].PrivateIpv4Address) != "10.0.1.5" {
		t.Errorf("containers %+v", task.Containers)
	}
	if aws.ToString(out.Failures[0].Reason) != "RESOURCE:ENI" {
		t.Errorf("failures %+v", out.Failures)
	}
}

func TestSDKECSErrors(t *testing.T) {
	f := newFakeAWS(t, map[string]any{"ecs.RunTask": errECSInvalid})
	_, err := ecsClient(f).RunTask(context.Background(), &ecs.RunTaskInput{TaskDefinition: aws.String("web")})
	wantAPIError(t, err, "InvalidParameterException", errECSInvalid.Message, http.StatusBadRequest)
	var ipe *ecstypes.InvalidParameterException
	if !errors.As(err, &ipe) {
		t.Errorf("SDK did not map the error to its modeled type: %T", err)
	}
}

func TestSDKELBv2DescribeTargetHealth(t *testing.T) {
	f := newFakeAWS(t, map[string]any{"elbv2.DescribeTargetHealth": describeTargetHealthOutput()})
	out, err := elbClient(f).DescribeTargetHealth(context.Background(), &elbv2.DescribeTargetHealthInput{
		TargetGroupArn: aws.String("arn:tg"),
		Targets:        []elbtypes.TargetDescription{{Id: aws.String("10.0.1.5"), Port: aws.Int32(8080)}},
		Include:        []elbtypes.DescribeTargetHealthInputIncludeEnum{elbtypes.DescribeTargetHealthInputIncludeEnumAll},
	})
	if err != nil {
		t.Fatal(err)
	}
	wantInput(t, f.lastCall(t), "elbv2", "DescribeTargetHealth", awsproto.Params{
		"TargetGroupArn": "arn:tg",
		"Targets":        []any{map[string]any{"Id": "10.0.1.5", "Port": int64(8080)}},
		"Include":        []any{"All"},
	})
	d := out.TargetHealthDescriptions
	if len(d) != 2 || d[0].TargetHealth.State != elbtypes.TargetHealthStateEnumHealthy ||
		aws.ToInt32(d[0].Target.Port) != 8080 || d[1].TargetHealth.Reason != elbtypes.TargetHealthReasonEnumTimeout {
		t.Errorf("decoded %+v", d)
	}
}

func TestSDKELBv2CreateLoadBalancer(t *testing.T) {
	f := newFakeAWS(t, map[string]any{"elbv2.CreateLoadBalancer": createLoadBalancerOutput()})
	out, err := elbClient(f).CreateLoadBalancer(context.Background(), &elbv2.CreateLoadBalancerInput{
		Name:           aws.String("web"),
		Subnets:        []string{"subnet-1", "subnet-2"},
		SecurityGroups: []string{"sg-1"},
		Scheme:         elbtypes.LoadBalancerSchemeEnumInternetFacing,
		Tags:           []elbtypes.Tag{{Key: aws.String("env"), Value: aws.String("prod")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	wantInput(t, f.lastCall(t), "elbv2", "CreateLoadBalancer", awsproto.Params{
		"Name":           "web",
		"Subnets":        []any{"subnet-1", "subnet-2"},
		"SecurityGroups": []any{"sg-1"},
		"Scheme":         "internet-facing",
		"Tags":           []any{map[string]any{"Key": "env", "Value": "prod"}},
	})
	lb := out.LoadBalancers
	if len(lb) != 1 || aws.ToString(lb[0].DNSName) != "web-1.us-east-1.elb.amazonaws.com" ||
		!aws.ToTime(lb[0].CreatedTime).Equal(created) || len(lb[0].AvailabilityZones) != 2 ||
		lb[0].State.Code != elbtypes.LoadBalancerStateEnumProvisioning || lb[0].SecurityGroups[0] != "sg-1" {
		t.Errorf("decoded %+v", lb)
	}
}

func TestSDKELBv2Errors(t *testing.T) {
	f := newFakeAWS(t, map[string]any{"elbv2.CreateLoadBalancer": errDuplicateLB})
	_, err := elbClient(f).CreateLoadBalancer(context.Background(), &elbv2.CreateLoadBalancerInput{Name: aws.String("web")})
	wantAPIError(t, err, "DuplicateLoadBalancerName", errDuplicateLB.Message, http.StatusBadRequest)
	var dup *elbtypes.DuplicateLoadBalancerNameException
	if !errors.As(err, &dup) {
		t.Errorf("SDK did not map the error to its modeled type: %T", err)
	}
}

func TestSDKAutoScalingDescribeAutoScalingGroups(t *testing.T) {
	f := newFakeAWS(t, map[string]any{"autoscaling.DescribeAutoScalingGroups": describeAutoScalingGroupsOutput()})
	out, err := asgClient(f).DescribeAutoScalingGroups(context.Background(), &autoscaling.DescribeAutoScalingGroupsInput{
		AutoScalingGroupNames: []string{"asg-1"},
		MaxRecords:            aws.Int32(10),
	})
	if err != nil {
		t.Fatal(err)
	}
	wantInput(t, f.lastCall(t), "autoscaling", "DescribeAutoScalingGroups", awsproto.Params{
		"AutoScalingGroupNames": []any{"asg-1"},
		"MaxRecords":            int64(10),
	})
	g := out.AutoScalingGroups
	if len(g) != 1 || aws.ToInt32(g[0].DesiredCapacity) != 2 || len(g[0].Instances) != 1 ||
		g[0].Instances[0].LifecycleState != "InService" || !aws.ToBool(g[0].Tags[0].PropagateAtLaunch) ||
		!aws.ToTime(g[0].CreatedTime).Equal(created) {
		t.Errorf("decoded %+v", g)
	}
}
