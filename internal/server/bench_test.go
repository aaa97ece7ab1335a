package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/benchcpu"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/server"
)

// In-process benchmarks of whole requests (decode, handler, engine,
// encode), without the network: go test -bench . ./internal/server.

func benchRequest(svc, target string, body []byte) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:4566/", bytes.NewReader(body))
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/"+svc+"/aws4_request, SignedHeaders=host, Signature=0")
	if target != "" {
		req.Header.Set("X-Amz-Target", "AmazonEC2ContainerServiceV20141113."+target)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	} else {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req
}

func call(tb testing.TB, srv *server.Server, svc, target string, body []byte) []byte {
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, benchRequest(svc, target, body))
	if w.Code != 200 {
		tb.Fatalf("%s %s: HTTP %d %s", svc, target, w.Code, truncate(w.Body.String()))
	}
	return w.Body.Bytes()
}

func ec2Form(s string) []byte { return []byte(s + "&Version=2016-11-15") }

func ecsJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// benchEstate is the benchmark's state: a cluster with an m5.24xlarge
// container instance, a bridge task definition and n ENIs.
func benchEstate(b *testing.B, n int) *server.Server {
	srv := newHandler(b)
	vpc := regexp.MustCompile(`<vpcId>(.*?)</vpcId>`).FindSubmatch(call(b, srv, "ec2", "", ec2Form("Action=CreateVpc&CidrBlock=10.0.0.0/16")))[1]
	sub := regexp.MustCompile(`<subnetId>(.*?)</subnetId>`).FindSubmatch(call(b, srv, "ec2", "", ec2Form("Action=CreateSubnet&CidrBlock=10.0.0.0/20&VpcId="+string(vpc))))[1]
	call(b, srv, "ecs", "CreateCluster", ecsJSON(map[string]any{"clusterName": "bench"}))
	inst := regexp.MustCompile(`<instanceId>(.*?)</instanceId>`).FindSubmatch(call(b, srv, "ec2", "",
		ec2Form("Action=RunInstances&ImageId="+testAMI+"&InstanceType=m5.24xlarge&MinCount=1&MaxCount=1&SubnetId="+string(sub))))[1]
	srv.Step()
	doc, _ := json.Marshal(map[string]string{"instanceId": string(inst)})
	call(b, srv, "ecs", "RegisterContainerInstance", ecsJSON(map[string]any{"cluster": "bench", "instanceIdentityDocument": string(doc)}))
	call(b, srv, "ecs", "RegisterTaskDefinition", ecsJSON(map[string]any{"family": "bench", "networkMode": "bridge",
		"containerDefinitions": []any{map[string]any{"name": "app", "image": "nginx", "memory": 4}}}))
	for range n {
		call(b, srv, "ec2", "", ec2Form("Action=CreateNetworkInterface&SubnetId="+string(sub)))
	}
	return srv
}

func BenchmarkRunTask(b *testing.B) {
	srv := benchEstate(b, 0)
	body := ecsJSON(map[string]any{"cluster": "bench", "taskDefinition": "bench", "launchType": "EC2"})
	b.ReportAllocs()
	defer benchcpu.PerOp(b)()
	for b.Loop() {
		call(b, srv, "ecs", "RunTask", body)
	}
}

func BenchmarkDescribeNetworkInterfaces200(b *testing.B) {
	srv := benchEstate(b, 200)
	body := ec2Form("Action=DescribeNetworkInterfaces")
	b.ReportAllocs()
	defer benchcpu.PerOp(b)()
	for b.Loop() {
		call(b, srv, "ec2", "", body)
	}
}

func BenchmarkListClusters(b *testing.B) {
	srv := benchEstate(b, 0)
	body := ecsJSON(map[string]any{})
	b.ReportAllocs()
	defer benchcpu.PerOp(b)()
	for b.Loop() {
		call(b, srv, "ecs", "ListClusters", body)
	}
}

// BenchmarkDescribeNetworkInterfaces200Uncached is the same call with the
// read cache off: every request reads the state and encodes the answer.
func BenchmarkDescribeNetworkInterfaces200Uncached(b *testing.B) {
	srv, err := server.New(server.Options{Registry: services.Registry(), Analyzer: services.Analyzer(), Models: testModels, NoReadCache: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	vpc := regexp.MustCompile(`<vpcId>(.*?)</vpcId>`).FindSubmatch(call(b, srv, "ec2", "", ec2Form("Action=CreateVpc&CidrBlock=10.0.0.0/16")))[1]
	sub := regexp.MustCompile(`<subnetId>(.*?)</subnetId>`).FindSubmatch(call(b, srv, "ec2", "", ec2Form("Action=CreateSubnet&CidrBlock=10.0.0.0/20&VpcId="+string(vpc))))[1]
	for range 200 {
		call(b, srv, "ec2", "", ec2Form("Action=CreateNetworkInterface&SubnetId="+string(sub)))
	}
	body := ec2Form("Action=DescribeNetworkInterfaces")
	b.ReportAllocs()
	defer benchcpu.PerOp(b)()
	for b.Loop() {
		call(b, srv, "ec2", "", body)
	}
}

// BenchmarkDescribeNetworkInterfaces100k reads 100,000 ENIs (two /16
// subnets, made through the engine) in one call and in pages of 1,000, and
// reports how long each call held the engine's read lock, by the CPU time
// of the holding thread: the lock is held to pick the ENIs and the
// resources their output names; paging and encoding happen after.
//
//	go test -run XXX -bench DescribeNetworkInterfaces100k -benchtime 3x ./internal/server
func BenchmarkDescribeNetworkInterfaces100k(b *testing.B) {
	srv := newHandler(b)
	e, err := srv.Engine("us-east-1")
	if err != nil {
		b.Fatal(err)
	}
	for i := range 2 {
		vpc, err := e.CreateVpc(engine.CreateVpcInput{CIDR: fmt.Sprintf("10.%d.0.0/16", i)})
		if err != nil {
			b.Fatal(err)
		}
		sub, err := e.CreateSubnet(engine.CreateSubnetInput{VpcID: vpc.ID, CIDR: fmt.Sprintf("10.%d.0.0/16", i), AvailabilityZone: "us-east-1a"})
		if err != nil {
			b.Fatal(err)
		}
		for range 50000 {
			if _, err := e.CreateNetworkInterface(engine.CreateNetworkInterfaceInput{SubnetID: sub.ID}); err != nil {
				b.Fatal(err)
			}
		}
	}
	e.MeasureHoldCPU(true)
	for _, c := range []struct{ name, params string }{{"whole", ""}, {"page", "&MaxResults=1000"}} {
		b.Run(c.name, func(b *testing.B) {
			e.HoldStats(true)
			body := ec2Form("Action=DescribeNetworkInterfaces" + c.params)
			b.ReportAllocs()
			defer benchcpu.PerOp(b)()
			for b.Loop() {
				w := httptest.NewRecorder()
				w.Body = nil // the answer is not kept
				srv.ServeHTTP(w, benchRequest("ec2", "", body))
				if w.Code != 200 {
					b.Fatalf("HTTP %d", w.Code)
				}
			}
			for _, h := range e.HoldStats(true) {
				if h.Name == "ec2.describeNetworkInterfaces" {
					b.ReportMetric(float64(h.CPUP50.Microseconds())/1000, "lock-cpu-p50-ms")
					b.ReportMetric(float64(h.CPUMax.Microseconds())/1000, "lock-cpu-max-ms")
					b.ReportMetric(float64(h.Max.Microseconds())/1000, "lock-wall-max-ms")
				}
			}
		})
	}
}
