package server_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/server"
)

const (
	ec2Auth = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00"
	ecsAuth = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=00"
	elbAuth = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=00"
)

func newHandler(tb testing.TB) *server.Server {
	tb.Helper()
	srv, err := server.New(server.Options{Registry: services.Registry(), Analyzer: services.Analyzer(), Models: testModels})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { srv.Close() })
	return srv
}

type rawReq struct {
	method, auth, target, contentType string
	body                              []byte
}

func (r rawReq) do(h http.Handler) *httptest.ResponseRecorder {
	method := r.method
	if method == "" {
		method = http.MethodPost
	}
	req := httptest.NewRequest(method, "http://127.0.0.1:4566/", bytes.NewReader(r.body))
	if r.auth != "" {
		req.Header.Set("Authorization", r.auth)
	}
	if r.target != "" {
		req.Header.Set("X-Amz-Target", r.target)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// errorCode extracts the error code from any of the three error envelopes.
func errorCode(body []byte) string {
	var x struct {
		Code   string `xml:"Error>Code"`
		Errors struct {
			Code string `xml:"Error>Code"`
		} `xml:"Errors"`
	}
	if xml.Unmarshal(body, &x) == nil {
		if x.Errors.Code != "" {
			return x.Errors.Code
		}
		return x.Code
	}
	s := string(body)
	if i := strings.Index(s, `"__type":"`); i >= 0 {
		rest := s[i+len(`"__type":"`):]
		return rest[:strings.IndexByte(rest, '"')]
	}
	return ""
}

func TestBadInput(t *testing.T) {
	h := newHandler(t)
	form := "application/x-www-form-urlencoded; charset=utf-8"
	json := "application/x-amz-json-1.1"
	for _, tc := range []struct {
		name   string
		req    rawReq
		status int
		code   string
	}{
		{"ec2 unknown action", rawReq{auth: ec2Auth, contentType: form, body: []byte("Action=DescribeUnicorns&Version=2016-11-15")}, 400, "InvalidAction"},
		{"ec2 malformed form", rawReq{auth: ec2Auth, contentType: form, body: []byte("Action=DescribeVpcs&Version=2016-11-15&%zz")}, 400, "MalformedQueryString"},
		{"ec2 missing parameter", rawReq{auth: ec2Auth, contentType: form, body: []byte("Action=DeleteVpc&Version=2016-11-15")}, 400, "MissingParameter"},
		{"ec2 unknown parameter", rawReq{auth: ec2Auth, contentType: form, body: []byte("Action=DescribeVpcs&Version=2016-11-15&Bogus=1")}, 400, "UnknownParameter"},
		{"ec2 wrong type", rawReq{auth: ec2Auth, contentType: form, body: []byte("Action=DescribeVpcs&Version=2016-11-15&MaxResults=lots")}, 400, "InvalidParameterValue"},
		{"ec2 bad filter", rawReq{auth: ec2Auth, contentType: form, body: []byte("Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=colour&Filter.1.Value.1=red")}, 400, "InvalidParameterValue"},
		{"ec2 bad page size", rawReq{auth: ec2Auth, contentType: form, body: []byte("Action=DescribeVpcs&Version=2016-11-15&MaxResults=2")}, 400, "InvalidParameterValue"},
		{"ec2 bad next token", rawReq{auth: ec2Auth, contentType: form, body: []byte("Action=DescribeVpcs&Version=2016-11-15&NextToken=%21%21")}, 400, "InvalidParameterValue"},
		{"ec2 dry run", rawReq{auth: ec2Auth, contentType: form, body: []byte("Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0/16&DryRun=true")}, 412, "DryRunOperation"},
		{"ec2 dry run of a bad request", rawReq{auth: ec2Auth, contentType: form, body: []byte("Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0/33&DryRun=true")}, 400, "InvalidParameterValue"},
		{"ec2 not implemented", rawReq{auth: ec2Auth, contentType: form, body: []byte("Action=DescribeFpgaImages&Version=2016-11-15")}, 501, "NotImplemented"},
		{"no action", rawReq{contentType: form, body: []byte("Version=2016-11-15")}, 400, "MissingAction"},
		{"nothing at all", rawReq{}, 400, "MissingAction"},
		{"ecs unknown operation", rawReq{auth: ecsAuth, target: "AmazonEC2ContainerServiceV20141113.LaunchRocket", contentType: json, body: []byte("{}")}, 400, "UnknownOperationException"},
		{"ecs not json", rawReq{auth: ecsAuth, target: "AmazonEC2ContainerServiceV20141113.ListClusters", contentType: json, body: []byte("{not json")}, 400, "SerializationException"},
		{"ecs wrong type", rawReq{auth: ecsAuth, target: "AmazonEC2ContainerServiceV20141113.RunTask", contentType: json, body: []byte(`{"taskDefinition":"web","count":"two"}`)}, 400, "SerializationException"},
		{"ecs missing parameter", rawReq{auth: ecsAuth, target: "AmazonEC2ContainerServiceV20141113.RunTask", contentType: json, body: []byte(`{"cluster":"c"}`)}, 400, "InvalidParameterException"},
		{"ecs unknown cluster", rawReq{auth: ecsAuth, target: "AmazonEC2ContainerServiceV20141113.ListTasks", contentType: json, body: []byte(`{"cluster":"nope"}`)}, 400, "ClusterNotFoundException"},
		{"ecs bad max results", rawReq{auth: ecsAuth, target: "AmazonEC2ContainerServiceV20141113.ListClusters", contentType: json, body: []byte(`{"maxResults":1000}`)}, 400, "InvalidParameterException"},
		{"elbv2 missing parameter", rawReq{auth: elbAuth, contentType: form, body: []byte("Action=CreateTargetGroup&Version=2015-12-01")}, 400, "ValidationError"},
		{"elbv2 bad page size", rawReq{auth: elbAuth, contentType: form, body: []byte("Action=DescribeLoadBalancers&Version=2015-12-01&PageSize=401")}, 400, "ValidationError"},
		{"oversized body", rawReq{auth: ec2Auth, contentType: form, body: append([]byte("Action=DescribeVpcs&Version=2016-11-15&X="), bytes.Repeat([]byte("a"), 11<<20)...)}, 413, "RequestEntityTooLarge"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := tc.req.do(h)
			if w.Code != tc.status || errorCode(w.Body.Bytes()) != tc.code {
				t.Errorf("HTTP %d %s, want %d %s\n%s", w.Code, errorCode(w.Body.Bytes()), tc.status, tc.code, truncate(w.Body.String()))
			}
		})
	}
	// Nothing the failed requests did is left: no VPC exists.
	w := rawReq{auth: ec2Auth, contentType: form, body: []byte("Action=DescribeVpcs&Version=2016-11-15")}.do(h)
	if w.Code != 200 || strings.Contains(w.Body.String(), "<item>") {
		t.Errorf("DescribeVpcs after failed requests: HTTP %d %s", w.Code, truncate(w.Body.String()))
	}
}

func truncate(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

// FuzzHandler sends random bodies and headers to the whole handler: it must
// never panic and never answer 500 (501 NotImplemented is fine).
func FuzzHandler(f *testing.F) {
	seeds := []struct {
		svc, target, ct string
		body            string
	}{
		{"ec2", "", "application/x-www-form-urlencoded", "Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1"},
		{"ec2", "", "application/x-www-form-urlencoded", "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0/16"},
		{"ec2", "", "application/x-www-form-urlencoded", "Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=1&MaxCount=1"},
		{"ec2", "", "application/x-www-form-urlencoded", "Action=CreateNetworkInsightsPath&Version=2016-11-15&Source=igw-1&Protocol=tcp&ClientToken=x"},
		{"ecs", "AmazonEC2ContainerServiceV20141113.RunTask", "application/x-amz-json-1.1", `{"taskDefinition":"web","count":2,"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-1"]}}}`},
		{"ecs", "AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition", "application/x-amz-json-1.1", `{"family":"f","containerDefinitions":[{"name":"a","image":"b","memory":5,"portMappings":[{"containerPort":80}]}]}`},
		{"ecs", "AmazonEC2ContainerServiceV20141113.CreateCluster", "application/x-amz-json-1.1", `{"clusterName":"c"}`},
		{"elasticloadbalancing", "", "application/x-www-form-urlencoded", "Action=DescribeTargetHealth&Version=2015-12-01&TargetGroupArn=arn"},
		{"autoscaling", "", "application/x-www-form-urlencoded", "Action=CreateAutoScalingGroup&Version=2011-01-01&AutoScalingGroupName=g&MinSize=1&MaxSize=2"},
		{"", "", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.svc, s.target, s.ct, []byte(s.body))
	}
	srv, err := server.New(server.Options{Registry: services.Registry(), Analyzer: services.Analyzer(), Models: testModels, MaxBodyBytes: 1 << 16})
	if err != nil {
		f.Fatal(err)
	}
	defer srv.Close()
	f.Fuzz(func(t *testing.T, svc, target, ct string, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:4566/", bytes.NewReader(body))
		if svc != "" {
			req.Header.Set("Authorization", fmt.Sprintf("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/%s/aws4_request, SignedHeaders=host, Signature=0", svc))
		}
		if target != "" {
			req.Header.Set("X-Amz-Target", target)
		}
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code >= 500 && w.Code != http.StatusNotImplemented {
			t.Fatalf("HTTP %d for %s %q %q %q:\n%s", w.Code, svc, target, ct, body, truncate(w.Body.String()))
		}
		srv.Step()
	})
}

// TestHealth checks the health endpoint answers before anything else.
func TestHealth(t *testing.T) {
	h := newHandler(t)
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:4566/_ecsnet/health", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	b, _ := io.ReadAll(w.Body)
	if w.Code != 200 || !strings.Contains(string(b), `"status":"ok"`) {
		t.Errorf("health: HTTP %d %s", w.Code, b)
	}
}
