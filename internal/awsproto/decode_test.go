package awsproto_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
)

// formRequest builds a signed-looking form POST for service ("ec2",
// "elasticloadbalancing", ...) with the given body.
func formRequest(signingName, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if signingName != "" {
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/"+signingName+
			"/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=abc")
	}
	return r
}

func jsonRequest(target, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	r.Header.Set("X-Amz-Target", target)
	return r
}

// decodeRequest identifies and decodes r the way a server does.
func decodeRequest(t *testing.T, r *http.Request, body string) (awsproto.Params, error) {
	t.Helper()
	target, err := loadModels(t).Identify(r, []byte(body))
	if err != nil {
		return nil, err
	}
	return target.Decode()
}

type decodeCase struct {
	name string
	req  func() (*http.Request, string)
	want awsproto.Params // when no error
	code string
	msg  string
}

func form(signingName, body string) func() (*http.Request, string) {
	return func() (*http.Request, string) { return formRequest(signingName, body), body }
}

func jsonBody(op, body string) func() (*http.Request, string) {
	return func() (*http.Request, string) {
		return jsonRequest("AmazonEC2ContainerServiceV20141113."+op, body), body
	}
}

func runDecodeCases(t *testing.T, cases []decodeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, body := tc.req()
			got, err := decodeRequest(t, r, body)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("decoded (-want +got):\n%s", diff)
				}
				return
			}
			e, ok := err.(*apierr.Error)
			if !ok {
				t.Fatalf("got %v (%T), want *apierr.Error %s", err, err, tc.code)
			}
			if e.Code != tc.code || e.Message != tc.msg {
				t.Errorf("got %s: %q\nwant %s: %q", e.Code, e.Message, tc.code, tc.msg)
			}
		})
	}
}

func TestDecodeEC2(t *testing.T) {
	const v = "Version=2016-11-15&"
	runDecodeCases(t, []decodeCase{
		{name: "filters", req: form("ec2", v+"Action=DescribeVpcs&Filter.1.Name=tag%3AName&Filter.1.Value.1=a&Filter.1.Value.2=b&Filter.2.Name=x&VpcId.1=vpc-1&DryRun=true&MaxResults=5"),
			want: awsproto.Params{
				"Filters": []any{
					map[string]any{"Name": "tag:Name", "Values": []any{"a", "b"}},
					map[string]any{"Name": "x"},
				},
				"VpcIds": []any{"vpc-1"}, "DryRun": true, "MaxResults": int64(5),
			}},
		{name: "list order follows indices, gaps closed", req: form("ec2", v+"Action=DescribeVpcs&VpcId.10=c&VpcId.2=b&VpcId.1=a&VpcId.99999=d"),
			want: awsproto.Params{"VpcIds": []any{"a", "b", "c", "d"}}},
		{name: "queryName", req: form("ec2", v+"Action=RunInstances&ImageId=ami-1&MinCount=1&MaxCount=1&NetworkInterface.1.DeviceIndex=0&NetworkInterface.1.PrivateIpAddresses.1.PrivateIpAddress=10.0.0.5&NetworkInterface.1.PrivateIpAddresses.1.Primary=true&NetworkInterface.1.SecurityGroupId.1=sg-1"),
			want: awsproto.Params{"ImageId": "ami-1", "MinCount": int64(1), "MaxCount": int64(1), "NetworkInterfaces": []any{map[string]any{
				"DeviceIndex":        int64(0),
				"PrivateIpAddresses": []any{map[string]any{"PrivateIpAddress": "10.0.0.5", "Primary": true}},
				"Groups":             []any{"sg-1"},
			}}}},
		{name: "timestamp ISO 8601", req: form("ec2", v+"Action=DescribeSpotPriceHistory&StartTime=2026-01-02T03%3A04%3A05.678Z&EndTime=1767323045"),
			want: awsproto.Params{
				"StartTime": time.Date(2026, 1, 2, 3, 4, 5, 678e6, time.UTC),
				"EndTime":   time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
			}},
		{name: "blob", req: form("ec2", v+"Action=ImportKeyPair&KeyName=k&PublicKeyMaterial=c3NoLXJzYSBBQUFB"),
			want: awsproto.Params{"KeyName": "k", "PublicKeyMaterial": []byte("ssh-rsa AAAA")}},
		{name: "reserved parameters ignored", req: form("ec2", v+"Action=DescribeVpcs&X-Amz-Date=20260101T000000Z&AWSAccessKeyId=x"),
			want: awsproto.Params{}},

		{name: "missing required", req: form("ec2", v+"Action=CreateNetworkInsightsPath&Protocol=tcp&ClientToken=t"),
			code: "MissingParameter", msg: "The request must contain the parameter Source"},
		{name: "missing required list", req: form("ec2", v+"Action=CreateTags&Tag.1.Key=k"),
			code: "MissingParameter", msg: "The request must contain the parameter resourceIdSet"},
		{name: "not an integer", req: form("ec2", v+"Action=DescribeVpcs&MaxResults=five"),
			code: "InvalidParameterValue", msg: "Value (five) for parameter MaxResults is invalid. Expecting an integer."},
		{name: "integer overflow", req: form("ec2", v+"Action=DescribeVpcs&MaxResults=4294967296"),
			code: "InvalidParameterValue", msg: "Value (4294967296) for parameter MaxResults is invalid. Expecting an integer."},
		{name: "not a boolean", req: form("ec2", v+"Action=DescribeVpcs&DryRun=yes"),
			code: "InvalidParameterValue", msg: "Value (yes) for parameter DryRun is invalid. Expecting true or false."},
		{name: "not a timestamp", req: form("ec2", v+"Action=DescribeSpotPriceHistory&StartTime=yesterday"),
			code: "InvalidParameterValue", msg: "Value (yesterday) for parameter StartTime is invalid. Expecting an ISO 8601 timestamp."},
		{name: "unknown parameter", req: form("ec2", v+"Action=DescribeVpcs&VpcIds.1=vpc-1"),
			code: "UnknownParameter", msg: "The parameter VpcIds is not recognized"},
		{name: "unknown nested parameter", req: form("ec2", v+"Action=DescribeVpcs&Filter.1.Bogus=x"),
			code: "UnknownParameter", msg: "The parameter Filter.1.Bogus is not recognized"},
		{name: "value for a structure", req: form("ec2", v+"Action=CreateNetworkInsightsPath&FilterAtSource=x"),
			code: "UnknownParameter", msg: "The parameter FilterAtSource is not recognized"},
		{name: "huge index", req: form("ec2", v+"Action=DescribeVpcs&VpcId.999999999=vpc-1"),
			code: "UnknownParameter", msg: "The parameter VpcId.999999999 is not recognized"},
		{name: "index 0", req: form("ec2", v+"Action=DescribeVpcs&VpcId.0=vpc-1"),
			code: "UnknownParameter", msg: "The parameter VpcId.0 is not recognized"},
		{name: "index with leading zero", req: form("ec2", v+"Action=DescribeVpcs&VpcId.01=vpc-1"),
			code: "UnknownParameter", msg: "The parameter VpcId.01 is not recognized"},
		{name: "absurd nesting", req: form("ec2", v+"Action=DescribeVpcs&Filter"+strings.Repeat(".1", 100)+"=x"),
			code: "UnknownParameter", msg: "The parameter Filter" + strings.Repeat(".1", 100) + " is not recognized"},
		{name: "unknown action", req: form("ec2", v+"Action=DescribeUnicorns"),
			code: "InvalidAction", msg: "The action DescribeUnicorns is not valid for this web service."},
		{name: "unsigned, by version", req: form("", v+"Action=DescribeUnicorns"),
			code: "InvalidAction", msg: "The action DescribeUnicorns is not valid for this web service."},
		{name: "no action", req: form("ec2", v),
			code: "MissingAction", msg: "Missing Action"},
	})
}

func TestDecodeQuery(t *testing.T) {
	const v = "Version=2015-12-01&"
	const elb = "elasticloadbalancing"
	runDecodeCases(t, []decodeCase{
		{name: "member lists", req: form(elb, v+"Action=CreateLoadBalancer&Name=web&Subnets.member.1=s1&Subnets.member.2=s2&Tags.member.1.Key=k&Tags.member.1.Value=v"),
			want: awsproto.Params{"Name": "web", "Subnets": []any{"s1", "s2"}, "Tags": []any{map[string]any{"Key": "k", "Value": "v"}}}},
		{name: "empty list", req: form(elb, v+"Action=SetSecurityGroups&LoadBalancerArn=arn&SecurityGroups="),
			want: awsproto.Params{"LoadBalancerArn": "arn", "SecurityGroups": []any{}}},
		{name: "map entries", req: form(elb, v+"Action=ModifyListener&ListenerArn=a&DefaultActions.member.1.Type=authenticate-oidc&DefaultActions.member.1.AuthenticateOidcConfig.Issuer=i&DefaultActions.member.1.AuthenticateOidcConfig.AuthorizationEndpoint=a&DefaultActions.member.1.AuthenticateOidcConfig.TokenEndpoint=t&DefaultActions.member.1.AuthenticateOidcConfig.UserInfoEndpoint=u&DefaultActions.member.1.AuthenticateOidcConfig.ClientId=c&DefaultActions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.key=x&DefaultActions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.value=y"),
			want: awsproto.Params{"ListenerArn": "a", "DefaultActions": []any{map[string]any{
				"Type": "authenticate-oidc",
				"AuthenticateOidcConfig": map[string]any{
					"Issuer": "i", "AuthorizationEndpoint": "a", "TokenEndpoint": "t", "UserInfoEndpoint": "u", "ClientId": "c",
					"AuthenticationRequestExtraParams": map[string]any{"x": "y"},
				},
			}}}},
		{name: "unknown parameters ignored", req: form(elb, v+"Action=DescribeLoadBalancers&Bogus=1&Names.member.1.Deep=2&Names.1=x"),
			want: awsproto.Params{}},
		{name: "small gap tolerated", req: form(elb, v+"Action=DescribeLoadBalancers&Names.member.1=a&Names.member.11=b"),
			want: awsproto.Params{"Names": []any{"a", "b"}}},

		{name: "missing required", req: form(elb, v+"Action=CreateLoadBalancer"),
			code: "ValidationError", msg: "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"},
		{name: "two missing", req: form(elb, v+"Action=RegisterTargets"),
			code: "ValidationError", msg: "2 validation errors detected: Value null at 'targetGroupArn' failed to satisfy constraint: Member must not be null; Value null at 'targets' failed to satisfy constraint: Member must not be null"},
		{name: "missing nested", req: form(elb, v+"Action=RegisterTargets&TargetGroupArn=tg&Targets.member.1.Id=i-1&Targets.member.2.Port=80"),
			code: "ValidationError", msg: "1 validation error detected: Value null at 'targets.2.member.id' failed to satisfy constraint: Member must not be null"},
		{name: "not an integer", req: form(elb, v+"Action=DescribeLoadBalancers&PageSize=ten"),
			code: "MalformedInput", msg: "Value 'ten' at 'pageSize' cannot be converted to Integer"},
		{name: "huge index", req: form(elb, v+"Action=DescribeLoadBalancers&Names.member.999999999=a"),
			code: "MalformedInput", msg: "Index 999999999 is illegal"},
		{name: "index 0", req: form(elb, v+"Action=DescribeLoadBalancers&Names.member.0=a"),
			code: "MalformedInput", msg: "0 is not a valid index"},
		{name: "leading zero", req: form(elb, v+"Action=DescribeLoadBalancers&Names.member.01=a"),
			code: "MalformedInput", msg: "Value found where not expected"},
		{name: "sparse", req: form(elb, v+"Action=DescribeLoadBalancers&Names.member.1=a&Names.member.5000=b"),
			code: "MalformedInput", msg: "Excessively sparse input would skip 4,999 list elements"},
		{name: "unknown action", req: form(elb, v+"Action=DescribeUnicorns"),
			code: "InvalidAction", msg: "Could not find operation DescribeUnicorns for version 2015-12-01"},
		{name: "auto scaling by version", req: form("", "Version=2011-01-01&Action=DescribeAutoScalingGroups&AutoScalingGroupNames.member.1=a&MaxRecords=10"),
			want: awsproto.Params{"AutoScalingGroupNames": []any{"a"}, "MaxRecords": int64(10)}},
		{name: "unknown version", req: form("", "Version=1999-01-01&Action=DescribeThings"),
			code: "InvalidAction", msg: "Could not find operation DescribeThings for version 1999-01-01"},
		{name: "malformed form", req: form(elb, v+"Action=DescribeLoadBalancers&Names.member.1=%zz"),
			code: "MalformedQueryString", msg: "The request body is not a valid form."},
	})
}

func TestDecodeJSON(t *testing.T) {
	const missingTD = "1 validation error detected: Value null at 'taskDefinition' failed to satisfy constraint: Member must not be null"
	runDecodeCases(t, []decodeCase{
		{name: "run task", req: jsonBody("RunTask", `{"taskDefinition":"web","count":2,"cluster":null,"bogus":{"x":[1,2]},"enableECSManagedTags":false,
			"networkConfiguration":{"awsvpcConfiguration":{"subnets":["s1",null,"s2"],"assignPublicIp":"ENABLED"}}}`),
			want: awsproto.Params{"taskDefinition": "web", "count": int64(2), "enableECSManagedTags": false,
				"networkConfiguration": map[string]any{"awsvpcConfiguration": map[string]any{"subnets": []any{"s1", "s2"}, "assignPublicIp": "ENABLED"}}}},
		{name: "timestamps", req: jsonBody("SubmitTaskStateChange", `{"pullStartedAt":1767323045.678,"pullStoppedAt":"2026-01-02T03:04:05Z"}`),
			want: awsproto.Params{
				"pullStartedAt": time.Date(2026, 1, 2, 3, 4, 5, 678e6, time.UTC),
				"pullStoppedAt": time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
			}},
		{name: "string map", req: jsonBody("RegisterTaskDefinition", `{"family":"f","containerDefinitions":[{"name":"c","dockerLabels":{"a":"1"}}]}`),
			want: awsproto.Params{"family": "f", "containerDefinitions": []any{map[string]any{"name": "c", "dockerLabels": map[string]any{"a": "1"}}}}},
		{name: "empty body", req: jsonBody("ListClusters", ``), want: awsproto.Params{}},

		{name: "missing required", req: jsonBody("RunTask", `{"count":1}`),
			code: "InvalidParameterException", msg: missingTD},
		{name: "missing required, SSM", req: func() (*http.Request, string) {
			return jsonRequest("AmazonSSM.GetParameter", `{}`), `{}`
		}, code: "ValidationException", msg: "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"},
		{name: "missing nested", req: jsonBody("RunTask", `{"taskDefinition":"t","networkConfiguration":{"awsvpcConfiguration":{}}}`),
			code: "InvalidParameterException", msg: "1 validation error detected: Value null at 'networkConfiguration.awsvpcConfiguration.subnets' failed to satisfy constraint: Member must not be null"},
		{name: "string for integer", req: jsonBody("RunTask", `{"taskDefinition":"t","count":"2"}`),
			code: "SerializationException", msg: "STRING_VALUE can not be converted to an Integer"},
		{name: "fraction for integer", req: jsonBody("RunTask", `{"taskDefinition":"t","count":1.5}`),
			code: "SerializationException", msg: "NUMBER_VALUE can not be converted to an Integer"},
		{name: "number for string", req: jsonBody("RunTask", `{"taskDefinition":5}`),
			code: "SerializationException", msg: "NUMBER_VALUE can not be converted to a String"},
		{name: "boolean for string", req: jsonBody("RunTask", `{"taskDefinition":true}`),
			code: "SerializationException", msg: "TRUE_VALUE can not be converted to a String"},
		{name: "string for boolean", req: jsonBody("RunTask", `{"taskDefinition":"t","enableExecuteCommand":"true"}`),
			code: "SerializationException", msg: "STRING_VALUE can not be converted to a Boolean"},
		{name: "list for structure", req: jsonBody("RunTask", `{"taskDefinition":"t","networkConfiguration":[]}`),
			code: "SerializationException", msg: "Start of list found where not expected"},
		{name: "object for list", req: jsonBody("RunTask", `{"taskDefinition":"t","tags":{}}`),
			code: "SerializationException", msg: "Start of structure or map found where not expected."},
		{name: "object for string", req: jsonBody("RunTask", `{"taskDefinition":{}}`),
			code: "SerializationException", msg: "Start of structure or map found where not expected."},
		{name: "not JSON", req: jsonBody("RunTask", `{"taskDefinition":`),
			code: "SerializationException", msg: ""},
		{name: "trailing data", req: jsonBody("RunTask", `{} {}`),
			code: "SerializationException", msg: ""},
		{name: "top-level list", req: jsonBody("RunTask", `[1]`),
			code: "SerializationException", msg: "Start of list found where not expected"},
		{name: "absurd nesting", req: jsonBody("RunTask", strings.Repeat("[", 20000)+strings.Repeat("]", 20000)),
			code: "SerializationException", msg: ""},
		{name: "unknown operation", req: jsonBody("RunUnicorn", `{}`),
			code: "UnknownOperationException", msg: ""},
		{name: "unknown target prefix, signed", req: func() (*http.Request, string) {
			r := jsonRequest("Foo_20200101.RunTask", `{}`)
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=x")
			return r, `{}`
		}, code: "UnknownOperationException", msg: ""},
	})
}

func TestIdentify(t *testing.T) {
	m := loadModels(t)
	tests := []struct {
		name                       string
		req                        *http.Request
		body                       string
		service, operation, region string
	}{
		{"sigv4 scope wins over version", formRequest("elasticloadbalancing", "Action=DescribeLoadBalancers&Version=2016-11-15"),
			"Action=DescribeLoadBalancers&Version=2016-11-15", "elbv2", "DescribeLoadBalancers", "us-east-1"},
		{"classic elb by version", formRequest("elasticloadbalancing", "Action=DescribeLoadBalancers&Version=2012-06-01"),
			"Action=DescribeLoadBalancers&Version=2012-06-01", "elb", "DescribeLoadBalancers", "us-east-1"},
		{"elbv2 by version", formRequest("elasticloadbalancing", "Action=DescribeLoadBalancers&Version=2015-12-01"),
			"Action=DescribeLoadBalancers&Version=2015-12-01", "elbv2", "DescribeLoadBalancers", "us-east-1"},
		{"ec2 by scope", formRequest("ec2", "Action=DescribeVpcs&Version=2016-11-15"), "Action=DescribeVpcs&Version=2016-11-15", "ec2", "DescribeVpcs", "us-east-1"},
		{"autoscaling by scope", formRequest("autoscaling", "Action=DescribeAutoScalingGroups&Version=2011-01-01"),
			"Action=DescribeAutoScalingGroups&Version=2011-01-01", "autoscaling", "DescribeAutoScalingGroups", "us-east-1"},
		{"ecs by target", jsonRequest("AmazonEC2ContainerServiceV20141113.RunTask", "{}"), "{}", "ecs", "RunTask", ""},
		{"ec2 GET query string", httptest.NewRequest(http.MethodGet, "/?Action=DescribeRegions&Version=2016-11-15", nil), "", "ec2", "DescribeRegions", ""},
		{"presigned", httptest.NewRequest(http.MethodGet, "/?Action=DescribeVpcs&Version=2016-11-15&X-Amz-Credential=AKID%2F20260101%2Feu-west-1%2Fec2%2Faws4_request", nil),
			"", "ec2", "DescribeVpcs", "eu-west-1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			target, err := m.Identify(tc.req, []byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if target.Service.Name != tc.service || target.Operation.Name != tc.operation || target.Region != tc.region {
				t.Errorf("got %s.%s in %q, want %s.%s in %q", target.Service.Name, target.Operation.Name, target.Region,
					tc.service, tc.operation, tc.region)
			}
		})
	}
}

func TestModels(t *testing.T) {
	m := loadModels(t)
	if v := m.BotocoreVersion(); v == "" {
		t.Error("no botocore version recorded")
	}
	want := map[string]awsproto.Protocol{"acm": "json", "application-autoscaling": "json", "autoscaling": "query", "cloudformation": "query", "ec2": "ec2", "ecr": "json", "ecs": "json",
		"efs": "rest-json", "elb": "query", "elbv2": "query", "iam": "query", "logs": "json", "route53": "rest-xml", "servicediscovery": "json", "ssm": "json", "sts": "query",
		"cloudwatch": "query", "kms": "json", "secretsmanager": "json", "resourcegroupstaggingapi": "json", "s3": "rest-xml", "events": "json", "codedeploy": "json", "lambda": "rest-json", "network-firewall": "json", "sqs": "json"}
	var names []string
	for _, s := range m.Services() {
		names = append(names, s.Name)
		if s.Protocol != want[s.Name] {
			t.Errorf("%s protocol %s, want %s", s.Name, s.Protocol, want[s.Name])
		}
		ops := s.OperationNames()
		if len(ops) < 9 { // the Resource Groups Tagging API has 9
			t.Errorf("%s has only %d operations", s.Name, len(ops))
		}
		for _, op := range ops {
			if !s.HasOperation(op) || s.Operation(op).Name != op {
				t.Errorf("%s.%s listed but not found", s.Name, op)
			}
		}
	}
	if diff := cmp.Diff([]string{"acm", "application-autoscaling", "autoscaling", "cloudformation", "cloudwatch", "codedeploy", "ec2", "ecr", "ecs", "efs", "elb", "elbv2", "events", "iam", "kms", "lambda", "logs", "network-firewall", "resourcegroupstaggingapi", "route53", "s3", "secretsmanager", "servicediscovery", "sqs", "ssm", "sts"}, names); diff != "" {
		t.Errorf("services (-want +got):\n%s", diff)
	}
	// CloudWatch answers in three protocols, each its own variant.
	for _, p := range []awsproto.Protocol{awsproto.ProtocolQuery, awsproto.ProtocolJSON, awsproto.ProtocolRPCv2CBOR} {
		if v := m.Service("cloudwatch").Variant(p); v == nil || v.Protocol != p || !v.HasOperation("PutMetricAlarm") {
			t.Errorf("cloudwatch in %s: %v", p, v)
		}
	}
	ec2 := m.Service("ec2")
	if ec2.HasOperation("RunUnicorns") || !ec2.HasOperation("DescribeVpcs") {
		t.Error("HasOperation wrong")
	}
	p := ec2.Operation("DescribeVpcs").Paginator
	if p == nil || p.InputToken[0] != "NextToken" || p.LimitKey != "MaxResults" {
		t.Errorf("DescribeVpcs paginator %+v", p)
	}
	if w := m.Service("elbv2").Operation("CreateLoadBalancer").ResultWrapper; w != "CreateLoadBalancerResult" {
		t.Errorf("result wrapper %q", w)
	}
}
