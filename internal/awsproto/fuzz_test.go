package awsproto_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
)

// Operations the fuzzers aim at: deep, list-heavy and map-bearing inputs.
var (
	fuzzFormOps = []struct{ signingName, version, op string }{
		{"ec2", "2016-11-15", "DescribeVpcs"},
		{"ec2", "2016-11-15", "RunInstances"},
		{"ec2", "2016-11-15", "CreateNetworkInsightsPath"},
		{"ec2", "2016-11-15", "AuthorizeSecurityGroupIngress"},
		{"elasticloadbalancing", "2015-12-01", "ModifyListener"},
		{"elasticloadbalancing", "2015-12-01", "CreateLoadBalancer"},
		{"autoscaling", "2011-01-01", "CreateAutoScalingGroup"},
	}
	fuzzJSONOps = []string{"RunTask", "RegisterTaskDefinition", "CreateService", "SubmitTaskStateChange", "PutClusterCapacityProviders"}
)

// checkDecoded fails unless err is a client *apierr.Error, or in is a
// well-formed value tree.
func checkDecoded(t *testing.T, in awsproto.Params, err error) {
	t.Helper()
	if err != nil {
		var e *apierr.Error
		if !errors.As(err, &e) || e.Status() >= 500 {
			t.Fatalf("decode error %v (%T) is not a client error", err, err)
		}
		return
	}
	checkTree(t, map[string]any(in), 0)
}

func checkTree(t *testing.T, v any, depth int) {
	t.Helper()
	if depth > 70 {
		t.Fatalf("value tree deeper than the decoder allows")
	}
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			checkTree(t, e, depth+1)
		}
	case []any:
		for _, e := range x {
			checkTree(t, e, depth+1)
		}
	case string, int64, float64, bool, time.Time, []byte:
	default:
		t.Fatalf("value of unexpected type %T in decoded tree", v)
	}
}

func FuzzDecodeForm(f *testing.F) {
	m := loadModels(f)
	f.Add(uint8(0), "Filter.1.Name=tag%3AName&Filter.1.Value.1=a&Filter.1.Value.2=b&VpcId.1=vpc-1&DryRun=true&MaxResults=5")
	f.Add(uint8(1), "ImageId=ami-1&MinCount=1&MaxCount=1&NetworkInterface.1.PrivateIpAddresses.1.Primary=true&NetworkInterface.1.SecurityGroupId.1=sg-1")
	f.Add(uint8(2), "Source=eni-1&Protocol=tcp&ClientToken=t&FilterAtSource.DestinationPortRange.FromPort=1&TagSpecification.1.Tag.1.Key=k")
	f.Add(uint8(3), "GroupId=sg-1&IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=80&IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0%2F0")
	f.Add(uint8(4), "ListenerArn=a&DefaultActions.member.1.Type=x&DefaultActions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.key=k&DefaultActions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.value=v")
	f.Add(uint8(5), "Name=web&Subnets.member.1=s1&Subnets.member.11=s2&Tags.member.1.Key=k&SecurityGroups=")
	f.Add(uint8(6), "AutoScalingGroupName=a&MinSize=1&MaxSize=2&MixedInstancesPolicy.LaunchTemplate.Overrides.member.1.InstanceType=t3.micro")
	f.Add(uint8(0), "VpcId.999999999=x&Filter.0.Name=y&Filter.01.Value.1=z")
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		target := fuzzFormOps[int(which)%len(fuzzFormOps)]
		full := "Action=" + target.op + "&Version=" + target.version + "&" + body
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(full))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/"+target.signingName+"/aws4_request, SignedHeaders=host, Signature=x")
		tg, err := m.Identify(r, []byte(full))
		if err != nil {
			checkDecoded(t, nil, err)
			return
		}
		in, err := tg.Decode()
		checkDecoded(t, in, err)
	})
}

func FuzzDecodeJSON(f *testing.F) {
	m := loadModels(f)
	f.Add(uint8(0), []byte(`{"taskDefinition":"web","count":2,"networkConfiguration":{"awsvpcConfiguration":{"subnets":["s1"],"assignPublicIp":"ENABLED"}}}`))
	f.Add(uint8(1), []byte(`{"family":"f","containerDefinitions":[{"name":"c","dockerLabels":{"a":"1"},"portMappings":[{"containerPort":80}]}]}`))
	f.Add(uint8(2), []byte(`{"serviceName":"s","desiredCount":1,"loadBalancers":[{"targetGroupArn":"arn","containerPort":80}]}`))
	f.Add(uint8(3), []byte(`{"pullStartedAt":1767323045.678,"pullStoppedAt":"2026-01-02T03:04:05Z"}`))
	f.Add(uint8(4), []byte(`{"cluster":"c","capacityProviders":[],"defaultCapacityProviderStrategy":[{"capacityProvider":"FARGATE","weight":1.5}]}`))
	f.Add(uint8(0), []byte(`[[[[{"count":"2"}]]]]`))
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		op := m.Service("ecs").Operation(fuzzJSONOps[int(which)%len(fuzzJSONOps)])
		in, err := op.DecodeJSON(body)
		checkDecoded(t, in, err)
	})
}

// FuzzIdentify gives Identify arbitrary credential scopes, targets,
// content types, query strings and bodies: it must answer with a target
// or a client error, never panic, and a target it returns must decode to
// a value tree or a client error.
func FuzzIdentify(f *testing.F) {
	m := loadModels(f)
	f.Add("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=x", "", "application/x-www-form-urlencoded", "", []byte("Action=DescribeVpcs&Version=2016-11-15"))
	f.Add("", "AmazonEC2ContainerServiceV20141113.RunTask", "application/x-amz-json-1.1", "", []byte(`{"taskDefinition":"t"}`))
	f.Add("", "", "", "Action=DescribeLoadBalancers&Version=2015-12-01", []byte(nil))
	f.Add("AWS4-HMAC-SHA256 Credential=AKID/20260101/autoscaling/aws4_request", "", "text/plain", "X-Amz-Credential=a%2Fb%2Fc%2Fd%2Faws4_request", []byte("Action=X"))
	f.Add("Credential=////aws4_request,", "AmazonEC2ContainerServiceV20141113.", "application/x-www-form-urlencoded; charset=\"", "%zz", []byte("&&=&"))
	f.Fuzz(func(t *testing.T, auth, target, ct, query string, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(body)))
		r.URL.RawQuery = query
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		if target != "" {
			r.Header.Set("X-Amz-Target", target)
		}
		if ct != "" {
			r.Header.Set("Content-Type", ct)
		}
		tg, err := m.Identify(r, body)
		var e *apierr.Error
		if errors.As(err, &e) && e.Code == awsproto.CodeNotImplemented {
			// A service ecsnet does not emulate: 501, written in the
			// shape its client parses.
			if e.Status() != http.StatusNotImplemented || tg.Service == nil {
				t.Fatalf("NotImplemented with status %d, service %v", e.Status(), tg.Service)
			}
			w := httptest.NewRecorder()
			tg.Service.WriteError(w, "req", err)
			if w.Code != http.StatusNotImplemented || w.Body.Len() == 0 {
				t.Fatalf("NotImplemented written as %d, %d bytes", w.Code, w.Body.Len())
			}
			return
		}
		if err != nil {
			checkDecoded(t, nil, err)
			return
		}
		if tg.Service == nil || tg.Operation == nil {
			t.Fatalf("Identify returned no error and no target: %+v", tg)
		}
		in, err := tg.Decode()
		checkDecoded(t, in, err)
	})
}
