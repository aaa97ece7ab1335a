package awsproto_test

import (
	"encoding/json"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ecsnet/ecsnet/internal/awsproto"
)

// The client side of the wire (EncodeRequest, DecodeResponse) is checked
// against botocore itself, the library the aws CLI is built on: the same
// parameters serialize to the same form or JSON, and the same answer
// parses to the same tree. It runs wherever python3 can import botocore.

const botocoreSerialize = `
import json, sys
import botocore.session
from botocore import serialize
cases = json.load(sys.stdin)
s = botocore.session.get_session()
out = []
for c in cases:
    m = s.get_service_model(c["service"])
    op = m.operation_model(c["op"])
    ser = serialize.create_serializer(m.metadata["protocol"], include_validation=False)
    req = ser.serialize_to_request(c["params"], op)
    body = req["body"]
    if isinstance(body, bytes):
        body = body.decode()
    if isinstance(body, dict):
        body = "&".join(k + "=" + str(v) for k, v in body.items())
        from urllib.parse import urlencode
        body = urlencode(req["body"])
    out.append({"body": body, "target": req["headers"].get("X-Amz-Target", "")})
json.dump(out, sys.stdout)
`

func botocorePython(t *testing.T, script string, input any) []byte {
	t.Helper()
	if err := exec.Command("python3", "-c", "import botocore").Run(); err != nil {
		t.Skip("python3 with botocore is not available")
	}
	in, _ := json.Marshal(input)
	cmd := exec.Command("python3", "-c", script)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("python: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	return out
}

// botocore's service names for ecsnet's.
var botocoreName = map[string]string{"ec2": "ec2", "ecs": "ecs", "elbv2": "elbv2", "autoscaling": "autoscaling", "efs": "efs"}

func TestEncodeRequestMatchesBotocore(t *testing.T) {
	models := loadModels(t)
	cases := []struct {
		Service string         `json:"service"`
		Op      string         `json:"op"`
		Params  map[string]any `json:"params"`
	}{
		{"ec2", "DescribeVpcs", map[string]any{"VpcIds": []any{"vpc-1", "vpc-2"}, "MaxResults": 5,
			"Filters": []any{map[string]any{"Name": "tag:Name", "Values": []any{"main", "prod & co"}}}}},
		{"ec2", "DescribeLaunchTemplateVersions", map[string]any{"LaunchTemplateId": "lt-1", "Versions": []any{"$Default", "$Latest"}, "NextToken": "t"}},
		{"ec2", "AuthorizeSecurityGroupIngress", map[string]any{"GroupId": "sg-1", "IpPermissions": []any{map[string]any{
			"IpProtocol": "tcp", "FromPort": 3000, "ToPort": 3000, "IpRanges": []any{map[string]any{"CidrIp": "0.0.0.0/0", "Description": "web"}},
			"UserIdGroupPairs": []any{map[string]any{"GroupId": "sg-2"}}}}}},
		{"ec2", "ModifyVpcAttribute", map[string]any{"VpcId": "vpc-1", "EnableDnsHostnames": map[string]any{"Value": true}}},
		{"elbv2", "DescribeTargetGroups", map[string]any{"Names": []any{"a", "b"}, "Marker": "m", "PageSize": 10}},
		{"elbv2", "DescribeListeners", map[string]any{"LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1"}},
		{"elbv2", "AddTags", map[string]any{"ResourceArns": []any{"arn:1"}, "Tags": []any{map[string]any{"Key": "k", "Value": "v"}}}},
		{"autoscaling", "DescribeAutoScalingGroups", map[string]any{"AutoScalingGroupNames": []any{"asg"}, "NextToken": "n",
			"Filters": []any{map[string]any{"Name": "tag:env", "Values": []any{"prod"}}}}},
		{"autoscaling", "DescribeLaunchConfigurations", map[string]any{}},
		{"ecs", "DescribeServices", map[string]any{"cluster": "demo", "services": []any{"web"}, "include": []any{"TAGS"}}},
		{"ecs", "ListTasks", map[string]any{"cluster": "demo", "nextToken": "x"}},
	}
	in := make([]map[string]any, len(cases))
	for i, c := range cases {
		in[i] = map[string]any{"service": botocoreName[c.Service], "op": c.Op, "params": c.Params}
	}
	var want []struct {
		Body   string `json:"body"`
		Target string `json:"target"`
	}
	if err := json.Unmarshal(botocorePython(t, botocoreSerialize, in), &want); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		op := models.Service(c.Service).Operation(c.Op)
		got, err := op.EncodeRequest(c.Params)
		if err != nil {
			t.Errorf("%s: %v", c.Op, err)
			continue
		}
		if c.Service == "ecs" {
			var g, w any
			_ = json.Unmarshal(got.Body, &g)
			_ = json.Unmarshal([]byte(want[i].Body), &w)
			if diff := cmp.Diff(w, g); diff != "" {
				t.Errorf("%s body (-botocore +ecsnet):\n%s", c.Op, diff)
			}
			if got.Target != want[i].Target {
				t.Errorf("%s target %q, botocore %q", c.Op, got.Target, want[i].Target)
			}
			continue
		}
		g, err1 := url.ParseQuery(string(got.Body))
		w, err2 := url.ParseQuery(want[i].Body)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v %v", c.Op, err1, err2)
		}
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("%s form (-botocore +ecsnet):\n%s", c.Op, diff)
		}
	}
}

const botocoreParse = `
import json, sys, datetime
import botocore.session
from botocore import parsers
cases = json.load(sys.stdin)
s = botocore.session.get_session()
def iso(o):
    if isinstance(o, datetime.datetime):
        return o.isoformat()
    if isinstance(o, bytes):
        import base64
        return base64.b64encode(o).decode()
    raise TypeError(type(o))
out = []
for c in cases:
    m = s.get_service_model(c["service"])
    op = m.operation_model(c["op"])
    p = parsers.create_parser(m.metadata["protocol"])
    r = p.parse({"body": c["body"].encode(), "headers": {}, "status_code": 200}, op.output_shape)
    r.pop("ResponseMetadata", None)
    out.append(json.loads(json.dumps(r, default=iso)))
json.dump(out, sys.stdout)
`

// The server's own encoder writes answers; DecodeResponse and botocore
// must read them to the same tree (with timestamps as the CLI prints them).
func TestDecodeResponseMatchesBotocore(t *testing.T) {
	models := loadModels(t)
	cases := []struct {
		service, op string
		out         map[string]any
	}{
		{"ec2", "DescribeVpcs", map[string]any{"Vpcs": []any{map[string]any{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "IsDefault": false,
			"Tags":                    []any{map[string]any{"Key": "Name", "Value": "main"}},
			"CidrBlockAssociationSet": []any{map[string]any{"AssociationId": "a-1", "CidrBlock": "10.0.0.0/16", "CidrBlockState": map[string]any{"State": "associated"}}}}},
			"NextToken": "tok"}},
		{"ec2", "DescribeNetworkInterfaces", map[string]any{"NetworkInterfaces": []any{map[string]any{"NetworkInterfaceId": "eni-1",
			"Attachment": map[string]any{"DeviceIndex": int64(1), "AttachTime": time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "DeleteOnTermination": true},
			"Groups":     []any{map[string]any{"GroupId": "sg-1", "GroupName": "web"}},
			"PrivateIpAddresses": []any{map[string]any{"PrivateIpAddress": "10.0.1.5", "Primary": true,
				"Association": map[string]any{"PublicIp": "203.0.113.2"}}}}}}},
		{"elbv2", "DescribeLoadBalancers", map[string]any{"LoadBalancers": []any{map[string]any{"LoadBalancerArn": "arn:lb", "DNSName": "x.elb",
			"CreatedTime": time.Date(2026, 1, 2, 3, 4, 5, 250000000, time.UTC), "AvailabilityZones": []any{map[string]any{"ZoneName": "us-east-1a", "SubnetId": "subnet-1"}},
			"SecurityGroups": []any{"sg-1", "sg-2"}, "State": map[string]any{"Code": "active"}}}, "NextMarker": "m"}},
		{"elbv2", "DescribeTargetHealth", map[string]any{"TargetHealthDescriptions": []any{map[string]any{
			"Target": map[string]any{"Id": "10.0.1.5", "Port": int64(3000)}, "TargetHealth": map[string]any{"State": "healthy"}}}}},
		{"autoscaling", "DescribeAutoScalingGroups", map[string]any{"AutoScalingGroups": []any{map[string]any{"AutoScalingGroupName": "asg",
			"MinSize": int64(1), "MaxSize": int64(3), "DesiredCapacity": int64(2), "DefaultCooldown": int64(300), "HealthCheckType": "EC2",
			"AvailabilityZones": []any{"us-east-1a"}, "CreatedTime": time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
			"Instances": []any{map[string]any{"InstanceId": "i-1", "AvailabilityZone": "us-east-1a", "LifecycleState": "InService",
				"HealthStatus": "Healthy", "ProtectedFromScaleIn": false}}}}}},
		{"ecs", "DescribeTasks", map[string]any{"tasks": []any{map[string]any{"taskArn": "arn:task", "lastStatus": "RUNNING", "cpu": "256",
			"createdAt":   time.Date(2026, 1, 2, 3, 4, 5, 500000000, time.UTC),
			"attachments": []any{map[string]any{"type": "ElasticNetworkInterface", "details": []any{map[string]any{"name": "subnetId", "value": "subnet-1"}}}}}},
			"failures": []any{}}},
		// REST-JSON (round thirty-four: ecsnet collect reads EFS).
		{"efs", "DescribeMountTargets", map[string]any{"MountTargets": []any{map[string]any{"MountTargetId": "fsmt-1", "FileSystemId": "fs-1",
			"SubnetId": "subnet-1", "LifeCycleState": "available", "IpAddress": "10.0.1.5", "NetworkInterfaceId": "eni-1",
			"AvailabilityZoneName": "us-east-1a", "VpcId": "vpc-1"}}, "NextMarker": "m"}},
		{"efs", "DescribeFileSystems", map[string]any{"FileSystems": []any{map[string]any{"FileSystemId": "fs-1", "CreationToken": "t",
			"CreationTime": time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "LifeCycleState": "available", "NumberOfMountTargets": int64(2),
			"Encrypted": true, "PerformanceMode": "generalPurpose", "Tags": []any{map[string]any{"Key": "Name", "Value": "u"}}}}}},
	}
	var in []map[string]any
	var got []map[string]any
	for _, c := range cases {
		op := models.Service(c.service).Operation(c.op)
		body, _, err := op.MarshalResponse("req-1", c.out)
		if err != nil {
			t.Fatalf("%s: %v", c.op, err)
		}
		g, err := op.DecodeResponse(body)
		if err != nil {
			t.Fatalf("%s: %v", c.op, err)
		}
		got = append(got, g)
		in = append(in, map[string]any{"service": botocoreName[c.service], "op": c.op, "body": string(body)})
	}
	var want []map[string]any
	if err := json.Unmarshal(botocorePython(t, botocoreParse, in), &want); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		// Compare as JSON documents: botocore's numbers arrive as float64.
		gb, _ := json.Marshal(got[i])
		var g map[string]any
		_ = json.Unmarshal(gb, &g)
		if diff := cmp.Diff(want[i], g); diff != "" {
			t.Errorf("%s (-botocore +ecsnet):\n%s", c.op, diff)
		}
	}
}

func TestDecodeError(t *testing.T) {
	models := loadModels(t)
	for _, c := range []struct {
		svc, body, header string
		code, msg         string
	}{
		{"ec2", `<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>The vpc ID 'vpc-1' does not exist</Message></Error></Errors><RequestID>r</RequestID></Response>`, "", "InvalidVpcID.NotFound", "The vpc ID 'vpc-1' does not exist"},
		{"elbv2", `<ErrorResponse><Error><Type>Sender</Type><Code>LoadBalancerNotFound</Code><Message>nope</Message></Error><RequestId>r</RequestId></ErrorResponse>`, "", "LoadBalancerNotFound", "nope"},
		{"ecs", `{"__type":"com.amazonaws.ecs#ClusterNotFoundException","message":"Cluster not found."}`, "", "ClusterNotFoundException", "Cluster not found."},
		{"ecs", `{"message":"x"}`, "ThrottlingException:http://internal", "ThrottlingException", "x"},
	} {
		e := models.Service(c.svc).DecodeError(400, c.header, []byte(c.body))
		if e.Code != c.code || e.Message != c.msg {
			t.Errorf("%s: got %q %q, want %q %q", c.svc, e.Code, e.Message, c.code, c.msg)
		}
	}
	var _ interface{ HTTPStatusCode() int } = (*awsproto.ResponseError)(nil)
}

// A REST-JSON read (EFS's DescribeMountTargets, as ecsnet collect makes
// it) is a GET of the operation's path with its members in the query
// string, as botocore's rest-json serializer makes it.
func TestEncodeRESTJSONRead(t *testing.T) {
	models := loadModels(t)
	req, err := models.Service("efs").Operation("DescribeMountTargets").EncodeRequest(map[string]any{"FileSystemId": "fs-1", "Marker": "m"})
	if err != nil {
		t.Fatal(err)
	}
	if req.Method != "GET" || req.Path != "/2015-02-01/mount-targets?FileSystemId=fs-1&Marker=m" || len(req.Body) != 0 {
		t.Errorf("request %s %s %q", req.Method, req.Path, req.Body)
	}
	e := models.Service("efs").DecodeError(404, "FileSystemNotFound:", []byte(`{"ErrorCode":"FileSystemNotFound","Message":"File system 'fs-1' does not exist."}`))
	if e.Code != "FileSystemNotFound" || e.Message != "File system 'fs-1' does not exist." {
		t.Errorf("error %q %q", e.Code, e.Message)
	}
}
