package awsproto_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ecsnet/ecsnet/internal/awsproto"
)

// Round trips through boto3 (botocore's serializers and parsers, which the
// aws CLI shares) and through the aws CLI itself. They run wherever python3
// can import boto3, and skip elsewhere.

const boto3Script = `
import json, sys
import boto3, botocore
from botocore.config import Config

kw = dict(endpoint_url=sys.argv[1], region_name="eu-west-3",
          aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
          config=Config(retries={"max_attempts": 1}))
ec2 = boto3.client("ec2", **kw)
ecs = boto3.client("ecs", **kw)
elb = boto3.client("elbv2", **kw)
asg = boto3.client("autoscaling", **kw)

def strip(resp):
    resp.pop("ResponseMetadata", None)
    return resp

def error(fn):
    try:
        fn()
    except botocore.exceptions.ClientError as e:
        return {"Code": e.response["Error"]["Code"], "Message": e.response["Error"]["Message"],
                "Status": e.response["ResponseMetadata"]["HTTPStatusCode"],
                "RequestId": e.response["ResponseMetadata"].get("RequestId")}
    return None

out = {}
out["DescribeVpcs"] = strip(ec2.describe_vpcs(
    VpcIds=["vpc-0a1b2c3d"], MaxResults=5,
    Filters=[{"Name": "tag:Name", "Values": ["main", "prod & co"]}]))
out["DescribeNetworkInterfaces"] = strip(ec2.describe_network_interfaces(
    Filters=[{"Name": "vpc-id", "Values": ["vpc-1"]}]))
out["CreateNetworkInsightsPath"] = strip(ec2.create_network_insights_path(
    Source="eni-1", Destination="igw-1", Protocol="tcp", ClientToken="token-1",
    FilterAtSource={"SourceAddress": "10.0.0.1", "DestinationPortRange": {"FromPort": 443, "ToPort": 443}},
    TagSpecifications=[{"ResourceType": "network-insights-path", "Tags": [{"Key": "k", "Value": "v"}]}]))
out["EC2Error"] = error(lambda: ec2.describe_security_groups(GroupIds=["sg-404"]))
out["DryRun"] = error(lambda: ec2.delete_vpc(VpcId="vpc-1", DryRun=True))
out["RunTask"] = strip(ecs.run_task(
    cluster="prod", taskDefinition="web:3", count=2, launchType="FARGATE",
    networkConfiguration={"awsvpcConfiguration": {"subnets": ["subnet-1"], "assignPublicIp": "ENABLED"}}))
out["ECSError"] = error(lambda: ecs.describe_clusters(clusters=["nope"]))
out["DescribeTargetHealth"] = strip(elb.describe_target_health(TargetGroupArn="arn:tg"))
out["CreateLoadBalancer"] = strip(elb.create_load_balancer(
    Name="web", Subnets=["subnet-1", "subnet-2"], Tags=[{"Key": "env", "Value": "prod"}]))
out["ELBError"] = error(lambda: elb.delete_load_balancer(LoadBalancerArn="arn:lb"))
out["DescribeAutoScalingGroups"] = strip(asg.describe_auto_scaling_groups(AutoScalingGroupNames=["asg-1"]))
print(json.dumps(out, default=str, sort_keys=True))
`

func requireBoto3(t *testing.T) {
	t.Helper()
	if err := exec.Command("python3", "-c", "import boto3").Run(); err != nil {
		t.Skipf("python3 with boto3 is not available: %v", err)
	}
}

func TestBoto3RoundTrips(t *testing.T) {
	requireBoto3(t)
	f := newFakeAWS(t, map[string]any{
		"ec2.DescribeVpcs":                      describeVpcsOutput(),
		"ec2.DescribeNetworkInterfaces":         describeNetworkInterfacesOutput(2),
		"ec2.CreateNetworkInsightsPath":         createNetworkInsightsPathOutput(),
		"ec2.DescribeSecurityGroups":            errSGNotFound,
		"ec2.DeleteVpc":                         awsproto.DryRunOperation(),
		"ecs.RunTask":                           runTaskOutput(),
		"ecs.DescribeClusters":                  errECSInvalid,
		"elbv2.DescribeTargetHealth":            describeTargetHealthOutput(),
		"elbv2.CreateLoadBalancer":              createLoadBalancerOutput(),
		"elbv2.DeleteLoadBalancer":              errLBNotFound,
		"autoscaling.DescribeAutoScalingGroups": describeAutoScalingGroupsOutput(),
	})
	cmd := exec.Command("python3", "-c", boto3Script, f.URL)
	cmd.Env = cleanAWSEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("boto3 script: %v\n%s", err, stderr.String())
	}
	var got map[string]any
	if err := json.Unmarshal(stdout, &got); err != nil {
		t.Fatalf("boto3 output: %v\n%s", err, stdout)
	}

	// What the server decoded from botocore's serializers.
	byOp := map[string]awsproto.Params{}
	f.mu.Lock()
	for _, c := range f.calls {
		byOp[c.Operation] = c.Input
	}
	f.mu.Unlock()
	// botocore fills in the idempotency token.
	if byOp["RunTask"].String("clientToken") == "" {
		t.Error("RunTask: no clientToken decoded")
	}
	delete(byOp["RunTask"], "clientToken")
	wantDecoded := map[string]awsproto.Params{
		"DescribeVpcs": {
			"VpcIds":     []any{"vpc-0a1b2c3d"},
			"MaxResults": int64(5),
			"Filters":    []any{map[string]any{"Name": "tag:Name", "Values": []any{"main", "prod & co"}}},
		},
		"CreateNetworkInsightsPath": {
			"Source": "eni-1", "Destination": "igw-1", "Protocol": "tcp", "ClientToken": "token-1",
			"FilterAtSource": map[string]any{
				"SourceAddress":        "10.0.0.1",
				"DestinationPortRange": map[string]any{"FromPort": int64(443), "ToPort": int64(443)},
			},
			"TagSpecifications": []any{map[string]any{
				"ResourceType": "network-insights-path",
				"Tags":         []any{map[string]any{"Key": "k", "Value": "v"}},
			}},
		},
		"DeleteVpc": {"VpcId": "vpc-1", "DryRun": true},
		"RunTask": {
			"cluster": "prod", "taskDefinition": "web:3", "count": int64(2), "launchType": "FARGATE",
			"networkConfiguration": map[string]any{"awsvpcConfiguration": map[string]any{
				"subnets": []any{"subnet-1"}, "assignPublicIp": "ENABLED",
			}},
		},
		"CreateLoadBalancer": {
			"Name": "web", "Subnets": []any{"subnet-1", "subnet-2"},
			"Tags": []any{map[string]any{"Key": "env", "Value": "prod"}},
		},
		"DescribeAutoScalingGroups": {"AutoScalingGroupNames": []any{"asg-1"}},
	}
	for op, want := range wantDecoded {
		if diff := cmp.Diff(want, byOp[op]); diff != "" {
			t.Errorf("%s decoded from boto3 (-want +got):\n%s", op, diff)
		}
	}

	// What botocore's parsers made of our responses.
	check := func(path string, want any) {
		t.Helper()
		if diff := cmp.Diff(want, dig(got, path)); diff != "" {
			t.Errorf("boto3 %s (-want +got):\n%s", path, diff)
		}
	}
	check("DescribeVpcs.Vpcs.0.VpcId", "vpc-0a1b2c3d")
	check("DescribeVpcs.Vpcs.0.IsDefault", true)
	check("DescribeVpcs.Vpcs.0.Tags.0.Value", `main & <"prod">`)
	check("DescribeVpcs.Vpcs.0.CidrBlockAssociationSet.0.CidrBlockState.State", "associated")
	check("DescribeVpcs.Vpcs.1.Tags", []any{})
	check("DescribeNetworkInterfaces.NetworkInterfaces.1.PrivateIpAddresses.0.Association.PublicIp", "54.0.0.1")
	check("DescribeNetworkInterfaces.NetworkInterfaces.1.Attachment.DeviceIndex", 1.0)
	check("DescribeNetworkInterfaces.NetworkInterfaces.1.Attachment.AttachTime", "2026-01-02 03:04:05.678000+00:00")
	check("DescribeNetworkInterfaces.NetworkInterfaces.1.Groups.1.GroupName", "db")
	check("CreateNetworkInsightsPath.NetworkInsightsPath.FilterAtSource.DestinationPortRange.FromPort", 443.0)
	check("EC2Error", map[string]any{"Code": "InvalidGroup.NotFound", "Message": errSGNotFound.Message, "Status": 400.0, "RequestId": testRequestID})
	check("DryRun", map[string]any{"Code": "DryRunOperation", "Message": "Request would have succeeded, but DryRun flag is set.", "Status": 412.0, "RequestId": testRequestID})
	check("RunTask.tasks.0.createdAt", "2026-01-02 03:04:05.678000+00:00")
	check("RunTask.tasks.0.attachments.0.details.1.value", "eni-1")
	check("RunTask.tasks.0.version", 1.0)
	check("RunTask.failures.0.reason", "RESOURCE:ENI")
	check("ECSError", map[string]any{"Code": "InvalidParameterException", "Message": errECSInvalid.Message, "Status": 400.0, "RequestId": testRequestID})
	check("DescribeTargetHealth.TargetHealthDescriptions.1.TargetHealth.Reason", "Target.Timeout")
	check("DescribeTargetHealth.TargetHealthDescriptions.0.Target.Port", 8080.0)
	check("CreateLoadBalancer.LoadBalancers.0.AvailabilityZones.1.SubnetId", "subnet-2")
	check("CreateLoadBalancer.LoadBalancers.0.SecurityGroups", []any{"sg-1"})
	check("CreateLoadBalancer.LoadBalancers.0.CreatedTime", "2026-01-02 03:04:05.678000+00:00")
	check("ELBError", map[string]any{"Code": "LoadBalancerNotFound", "Message": errLBNotFound.Message, "Status": 400.0, "RequestId": testRequestID})
	check("DescribeAutoScalingGroups.AutoScalingGroups.0.Tags.0.PropagateAtLaunch", true)
	check("DescribeAutoScalingGroups.AutoScalingGroups.0.Instances.0.LifecycleState", "InService")
}

// TestAWSCLIRoundTrip runs the aws CLI (v1) against the fake server.
func TestAWSCLIRoundTrip(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the aws CLI is not installed")
	}
	f := newFakeAWS(t, map[string]any{
		"ec2.DescribeVpcs": describeVpcsOutput(),
		"ecs.RunTask":      errECSInvalid,
	})
	run := func(args ...string) (string, string, error) {
		cmd := exec.Command("aws", append([]string{"--endpoint-url", f.URL, "--region", "eu-west-3", "--output", "json"}, args...)...)
		cmd.Env = cleanAWSEnv()
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		return stdout.String(), stderr.String(), err
	}
	stdout, stderr, err := run("ec2", "describe-vpcs", "--filters", "Name=tag:Name,Values=a,b", "--query", "Vpcs[0].Tags[0].Value")
	if err != nil {
		t.Fatalf("aws ec2 describe-vpcs: %v\n%s", err, stderr)
	}
	if strings.TrimSpace(stdout) != `"main & <\"prod\">"` {
		t.Errorf("aws ec2 describe-vpcs printed %s", stdout)
	}
	want := awsproto.Params{"Filters": []any{map[string]any{"Name": "tag:Name", "Values": []any{"a", "b"}}}}
	if diff := cmp.Diff(want, f.lastCall(t).Input); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	_, stderr, err = run("ecs", "run-task", "--task-definition", "web")
	if err == nil || !strings.Contains(stderr, "(InvalidParameterException) when calling the RunTask operation: "+errECSInvalid.Message) {
		t.Errorf("aws ecs run-task: err %v, stderr %s", err, stderr)
	}
}

// cleanAWSEnv is the environment without any AWS configuration, plus
// dummy credentials.
func cleanAWSEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return append(env, "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_MAX_ATTEMPTS=1")
}

// dig follows a dotted path of keys and list indices into decoded JSON.
func dig(v any, path string) any {
	for _, seg := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[seg]
		case []any:
			i := 0
			for _, c := range seg {
				i = i*10 + int(c-'0')
			}
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}
