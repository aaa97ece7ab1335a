package awsproto_test

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
)

func TestMarshalResponseWire(t *testing.T) {
	m := loadModels(t)
	ts := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		service, op string
		out         map[string]any
		contentType string
		want        string
	}{
		{"ec2", "DescribeVpcs", map[string]any{
			"Vpcs": []any{map[string]any{
				"VpcId": "vpc-1", "IsDefault": true,
				"Tags": []any{map[string]any{"Key": "a&b", "Value": "<x>\"'\n"}},
			}},
			"NextToken": nil,
		}, "text/xml;charset=UTF-8",
			`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId>` +
				`<vpcSet><item><isDefault>true</isDefault><tagSet><item><key>a&amp;b</key><value>&lt;x&gt;&quot;&apos;&#xA;</value></item></tagSet>` +
				`<vpcId>vpc-1</vpcId></item></vpcSet></DescribeVpcsResponse>`}, // model order
		{"ec2", "DeleteVpc", nil, "text/xml;charset=UTF-8",
			`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<DeleteVpcResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId><return>true</return></DeleteVpcResponse>`},
		{"ec2", "CreateNetworkInsightsPath", map[string]any{"NetworkInsightsPath": map[string]any{"CreatedDate": ts, "DestinationPort": int32(80)}},
			"text/xml;charset=UTF-8",
			`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<CreateNetworkInsightsPathResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId>` +
				`<networkInsightsPath><createdDate>2026-01-02T03:04:05.000Z</createdDate><destinationPort>80</destinationPort></networkInsightsPath>` +
				`</CreateNetworkInsightsPathResponse>`},
		{"elbv2", "DescribeLoadBalancers", map[string]any{
			"LoadBalancers": []any{map[string]any{"LoadBalancerName": "web", "SecurityGroups": []string{"sg-1", "sg-2"}}},
		}, "text/xml",
			`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<DescribeLoadBalancersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeLoadBalancersResult>` +
				`<LoadBalancers><member><LoadBalancerName>web</LoadBalancerName><SecurityGroups><member>sg-1</member><member>sg-2</member></SecurityGroups></member></LoadBalancers>` +
				`</DescribeLoadBalancersResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeLoadBalancersResponse>`},
		{"autoscaling", "DeleteAutoScalingGroup", nil, "text/xml",
			`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<DeleteAutoScalingGroupResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">` +
				`<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DeleteAutoScalingGroupResponse>`},
		{"ecs", "ListClusters", map[string]any{"clusterArns": []string{"a\"b"}, "nextToken": nil}, "application/x-amz-json-1.1",
			`{"clusterArns":["a\"b"]}`},
		{"ecs", "DescribeTasks", map[string]any{"tasks": []any{map[string]any{
			"createdAt": ts.Add(123 * time.Millisecond), "startedAt": ts, "version": 3,
			"overrides": map[string]any{"containerOverrides": []any{map[string]any{"environment": []any{}}}},
		}}}, "application/x-amz-json-1.1",
			`{"tasks":[{"createdAt":1767323045.123,"overrides":{"containerOverrides":[{"environment":[]}]},"startedAt":1767323045,"version":3}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.service+"."+tc.op, func(t *testing.T) {
			op := m.Service(tc.service).Operation(tc.op)
			body, ct, err := op.MarshalResponse("req-1", tc.out)
			if err != nil {
				t.Fatal(err)
			}
			if ct != tc.contentType {
				t.Errorf("Content-Type %q, want %q", ct, tc.contentType)
			}
			if string(body) != tc.want {
				t.Errorf("body\n got %s\nwant %s", body, tc.want)
			}
		})
	}
}

func TestMarshalResponseRejectsBadOutput(t *testing.T) {
	m := loadModels(t)
	tests := []struct {
		service, op string
		out         map[string]any
		path, msg   string
	}{
		{"ec2", "DescribeVpcs", map[string]any{"Vpcs": []any{map[string]any{"VpcID": "typo"}}},
			"Vpcs[0].VpcID", `shape Vpc has no member "VpcID"`},
		{"ec2", "DescribeVpcs", map[string]any{"Vpcs": []any{map[string]any{"IsDefault": "yes"}}},
			"Vpcs[0].IsDefault", "want a bool for Boolean, got string"},
		{"ec2", "DescribeVpcs", map[string]any{"Vpcs": map[string]any{}},
			"Vpcs", "want a list for VpcList, got map[string]interface {}"},
		{"ec2", "DeleteVpc", map[string]any{"Return": true}, "Return", "operation has no output"},
		{"ecs", "RunTask", map[string]any{"tasks": []any{map[string]any{"createdAt": "yesterday"}}},
			"tasks[0].createdAt", "want a time.Time for Timestamp, got string"},
		{"elbv2", "DescribeTargetHealth", map[string]any{"TargetHealthDescriptions": []any{map[string]any{"Target": map[string]any{"Port": 1.5}}}},
			"TargetHealthDescriptions[0].Target.Port", "want an integer for Port, got float64"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			_, _, err := m.Service(tc.service).Operation(tc.op).MarshalResponse("r", tc.out)
			var ee *awsproto.EncodeError
			if !errors.As(err, &ee) {
				t.Fatalf("got %v, want *EncodeError", err)
			}
			if ee.Path != tc.path || ee.Problem != tc.msg {
				t.Errorf("got %s: %s\nwant %s: %s", ee.Path, ee.Problem, tc.path, tc.msg)
			}
		})
	}

	// WriteResponse answers a handler bug with a generic InternalError.
	w := httptest.NewRecorder()
	err := m.Service("ec2").Operation("DescribeVpcs").WriteResponse(w, "r", map[string]any{"Bogus": 1})
	if err == nil || w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), "<Code>InternalError</Code>") {
		t.Errorf("WriteResponse: err %v, status %d, body %s", err, w.Code, w.Body)
	}
}

func TestWriteError(t *testing.T) {
	m := loadModels(t)
	tests := []struct {
		service string
		err     error
		status  int
		header  map[string]string
		body    string
	}{
		{"ec2", apierr.New("InvalidVpcID.NotFound", "The vpc ID 'vpc-<1>' does not exist"), 400,
			map[string]string{"Content-Type": "text/xml;charset=UTF-8", "X-Amzn-Requestid": "req-1"},
			`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>The vpc ID &apos;vpc-&lt;1&gt;&apos; does not exist</Message></Error></Errors><RequestID>req-1</RequestID></Response>`},
		{"ec2", awsproto.DryRunOperation(), 412, nil,
			`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<Response><Errors><Error><Code>DryRunOperation</Code><Message>Request would have succeeded, but DryRun flag is set.</Message></Error></Errors><RequestID>req-1</RequestID></Response>`},
		{"elbv2", apierr.New("LoadBalancerNotFound", "One or more load balancers not found"), 400,
			map[string]string{"Content-Type": "text/xml"},
			`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>Sender</Type><Code>LoadBalancerNotFound</Code>` +
				`<Message>One or more load balancers not found</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`},
		{"autoscaling", errors.New("disk on fire at /var/db"), 500, nil,
			`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<ErrorResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><Error><Type>Receiver</Type><Code>InternalError</Code>` +
				`<Message>An internal error has occurred</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`},
		{"ecs", apierr.New("ClusterNotFoundException", "Cluster not found."), 400,
			map[string]string{"Content-Type": "application/x-amz-json-1.1", "X-Amzn-Errortype": "ClusterNotFoundException", "X-Amzn-Requestid": "req-1"},
			`{"__type":"ClusterNotFoundException","message":"Cluster not found."}`},
		{"ecs", &apierr.Error{Code: "UnknownOperationException"}, 400, nil, `{"__type":"UnknownOperationException"}`},
		{"", apierr.New("MissingAction", "Missing Action"), 400, nil,
			`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<ErrorResponse><Error><Type>Sender</Type><Code>MissingAction</Code><Message>Missing Action</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`},
	}
	for _, tc := range tests {
		t.Run(tc.service+" "+tc.err.Error(), func(t *testing.T) {
			w := httptest.NewRecorder()
			var svc *awsproto.Service
			if tc.service != "" {
				svc = m.Service(tc.service)
			}
			svc.WriteError(w, "req-1", tc.err)
			if w.Code != tc.status {
				t.Errorf("status %d, want %d", w.Code, tc.status)
			}
			for k, v := range tc.header {
				if got := w.Header().Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if w.Body.String() != tc.body {
				t.Errorf("body\n got %s\nwant %s", w.Body, tc.body)
			}
		})
	}
}

func TestParamsAccessors(t *testing.T) {
	p := awsproto.Params{
		"S": "x", "N": int64(7), "B": true, "F": 1.5, "T": created, "Blob": []byte("b"),
		"L":  []any{"a", "b"},
		"St": map[string]any{"Inner": "y"},
		"Ls": []any{map[string]any{"K": "v"}, "not a struct"},
		"M":  map[string]any{"k": "v"},
	}
	if p.String("S") != "x" || p.Int("N") != 7 || !p.Bool("B") || p.Float("F") != 1.5 || !p.Time("T").Equal(created) ||
		string(p.Blob("Blob")) != "b" || p.Struct("St").String("Inner") != "y" || len(p.Strings("L")) != 2 ||
		len(p.Structs("Ls")) != 1 || p.StringMap("M")["k"] != "v" || p.IntOr("Missing", 9) != 9 || p.IntOr("N", 9) != 7 {
		t.Error("accessor returned the wrong value")
	}
	// Wrong types and absent members give zero values, never a panic.
	var nilParams awsproto.Params
	if p.String("N") != "" || p.Int("S") != 0 || p.Struct("S") != nil || p.Struct("Missing").String("x") != "" ||
		nilParams.Has("x") || nilParams.Strings("x") != nil || p.DryRun() {
		t.Error("accessor on a wrong type or absent member returned a non-zero value")
	}
	if !p.Has("S") || p.Has("Missing") {
		t.Error("Has is wrong")
	}
}

// StreamResponse sends a large XML response in pieces whose concatenation
// is exactly what MarshalResponse builds; a small one, or JSON, stays
// whole in the buffer.
func TestStreamResponse(t *testing.T) {
	m := loadModels(t)
	for _, tc := range []struct {
		svc, op string
		out     map[string]any
	}{
		{"ec2", "DescribeNetworkInterfaces", describeNetworkInterfacesOutput(300)},
		{"ec2", "DescribeVpcs", describeVpcsOutput()},
	} {
		op := m.Service(tc.svc).Operation(tc.op)
		whole, _, err := op.MarshalResponse(testRequestID, tc.out)
		if err != nil {
			t.Fatal(err)
		}
		for _, limit := range []int{1, 4096, len(whole) + 1} {
			var got bytes.Buffer
			chunks := 0
			var buf bytes.Buffer
			streamed, err := op.StreamResponse(&buf, testRequestID, tc.out, limit, func(b []byte) error {
				chunks++
				got.Write(b)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !streamed {
				got.Write(buf.Bytes())
			}
			if !bytes.Equal(got.Bytes(), whole) {
				t.Errorf("%s limit %d: streamed body differs from the marshalled one", tc.op, limit)
			}
			if wantStream := limit < len(whole); streamed != wantStream || (streamed && chunks < 2) {
				t.Errorf("%s limit %d: streamed %v in %d chunks", tc.op, limit, streamed, chunks)
			}
		}
	}
	// A write error ends the encoding and comes back as it is.
	op := m.Service("ec2").Operation("DescribeNetworkInterfaces")
	gone := errors.New("client gone")
	var buf bytes.Buffer
	if _, err := op.StreamResponse(&buf, testRequestID, describeNetworkInterfacesOutput(300), 1, func([]byte) error { return gone }); err != gone {
		t.Errorf("write error: got %v", err)
	}
	// JSON is built whole.
	jop := m.Service("ecs").Operation("RunTask")
	buf.Reset()
	if streamed, err := jop.StreamResponse(&buf, testRequestID, runTaskOutput(), 1, func([]byte) error { t.Error("JSON streamed"); return nil }); err != nil || streamed || buf.Len() == 0 {
		t.Errorf("JSON: streamed %v, %d bytes, err %v", streamed, buf.Len(), err)
	}
}

// BenchmarkStreamDescribeNetworkInterfaces2000 encodes a 1.5 MB response
// through a 64 KiB buffer: the memory it takes is the buffer's, not the
// response's (compare BenchmarkEncodeDescribeNetworkInterfaces200's B/op).
func BenchmarkStreamDescribeNetworkInterfaces2000(b *testing.B) {
	op := loadModels(b).Service("ec2").Operation("DescribeNetworkInterfaces")
	out := describeNetworkInterfacesOutput(2000)
	var buf bytes.Buffer
	n := 0
	if _, err := op.StreamResponse(&buf, testRequestID, out, 64<<10, func(c []byte) error { n += len(c); return nil }); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if _, err := op.StreamResponse(&buf, testRequestID, out, 64<<10, func([]byte) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalDescribeNetworkInterfaces2000(b *testing.B) {
	op := loadModels(b).Service("ec2").Operation("DescribeNetworkInterfaces")
	out := describeNetworkInterfacesOutput(2000)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := op.MarshalResponse(testRequestID, out); err != nil {
			b.Fatal(err)
		}
	}
}
