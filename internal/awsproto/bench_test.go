package awsproto_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

func BenchmarkEncodeDescribeNetworkInterfaces200(b *testing.B) {
	op := loadModels(b).Service("ec2").Operation("DescribeNetworkInterfaces")
	out := describeNetworkInterfacesOutput(200)
	body, _, err := op.MarshalResponse(testRequestID, out)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := op.MarshalResponse(testRequestID, out); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeRunTaskJSON(b *testing.B) {
	op := loadModels(b).Service("ecs").Operation("RunTask")
	out := runTaskOutput()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := op.MarshalResponse(testRequestID, out); err != nil {
			b.Fatal(err)
		}
	}
}

const runTaskBody = `{"cluster":"prod","taskDefinition":"web:3","count":2,"launchType":"FARGATE",
"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-1","subnet-2"],"securityGroups":["sg-1"],"assignPublicIp":"DISABLED"}},
"overrides":{"containerOverrides":[{"name":"web","environment":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]},
"tags":[{"key":"team","value":"net"}],"enableExecuteCommand":true,"clientToken":"5134c5f3-68e0-4fb2-9318-4a47067992b8"}`

func BenchmarkDecodeRunTaskJSON(b *testing.B) {
	m := loadModels(b)
	body := []byte(runTaskBody)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		r.Header.Set("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.RunTask")
		t, err := m.Identify(r, body)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := t.Decode(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeEC2FormFilters(b *testing.B) {
	m := loadModels(b)
	var sb strings.Builder
	sb.WriteString("Action=DescribeNetworkInterfaces&Version=2016-11-15&MaxResults=100")
	for i := 1; i <= 5; i++ {
		n := strconv.Itoa(i)
		sb.WriteString("&Filter." + n + ".Name=tag%3AName" + n)
		for j := 1; j <= 3; j++ {
			sb.WriteString("&Filter." + n + ".Value." + strconv.Itoa(j) + "=value-" + strconv.Itoa(j))
		}
	}
	sb.WriteString("&NetworkInterfaceId.1=eni-1&NetworkInterfaceId.2=eni-2")
	body := []byte(sb.String())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		t, err := m.Identify(r, body)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := t.Decode(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadModels(b *testing.B) {
	for b.Loop() {
		if _, err := awsprotoLoad(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendDescribeNetworkInterfaces200 reuses the output buffer, as
// a server pooling buffers would.
func BenchmarkAppendDescribeNetworkInterfaces200(b *testing.B) {
	op := loadModels(b).Service("ec2").Operation("DescribeNetworkInterfaces")
	out := describeNetworkInterfacesOutput(200)
	buf, _, err := op.MarshalResponse(testRequestID, out)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if buf, _, err = op.AppendResponse(buf[:0], testRequestID, out); err != nil {
			b.Fatal(err)
		}
	}
}
