package server_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/server"
)

// syncBuffer is a log destination safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A describe larger than the streaming threshold is sent as it is encoded
// (chunked, no Content-Length), reads back whole through the SDK, and
// carries the request id of its header; a client that hangs up during it
// is not logged as a handler fault.
func TestLargeDescribeStreamed(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	srv, err := server.New(server.Options{Registry: services.Registry(), Models: testModels,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	vpc := regexp.MustCompile(`<vpcId>(.*?)</vpcId>`).FindSubmatch(call(t, srv, "ec2", "", ec2Form("Action=CreateVpc&CidrBlock=10.0.0.0/16")))[1]
	sub := regexp.MustCompile(`<subnetId>(.*?)</subnetId>`).FindSubmatch(call(t, srv, "ec2", "", ec2Form("Action=CreateSubnet&CidrBlock=10.0.0.0/20&VpcId="+string(vpc))))[1]
	const n = 2500
	for range n {
		call(t, srv, "ec2", "", ec2Form("Action=CreateNetworkInterface&Description="+strings.Repeat("d", 200)+"&SubnetId="+string(sub)))
	}
	out, err := sdkClients(hs.URL).ec2.DescribeNetworkInterfaces(context.Background(), &ec2.DescribeNetworkInterfacesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.NetworkInterfaces) != n {
		t.Fatalf("SDK read %d ENIs, want %d", len(out.NetworkInterfaces), n)
	}

	req, _ := http.NewRequest("POST", hs.URL, strings.NewReader(string(ec2Form("Action=DescribeNetworkInterfaces"))))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", ec2Auth)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("HTTP %d, %v", resp.StatusCode, err)
	}
	if resp.ContentLength != -1 || len(body) < 1<<20 {
		t.Errorf("a %d-byte response was sent with Content-Length %d, want it streamed", len(body), resp.ContentLength)
	}
	id := resp.Header.Get("X-Amzn-Requestid")
	if id == "" || !bytes.Contains(body[:200], []byte("<requestId>"+id+"</requestId>")) || bytes.Count(body, []byte("<networkInterfaceId>")) != n {
		t.Errorf("streamed body: request id %q, %d ENIs:\n%.300s", id, bytes.Count(body, []byte("<networkInterfaceId>")), body)
	}

	// Hang up after the first bytes.
	conn, err := net.Dial("tcp", strings.TrimPrefix(hs.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	form := string(ec2Form("Action=DescribeNetworkInterfaces"))
	_, _ = io.WriteString(conn, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: "+ec2Auth+
		"\r\nContent-Length: "+strconv.Itoa(len(form))+"\r\n\r\n"+form)
	_, _ = conn.Read(make([]byte, 100))
	conn.(*net.TCPConn).SetLinger(0)
	conn.Close()
	time.Sleep(200 * time.Millisecond)
	if l := logs.String(); strings.Contains(l, "does not fit") || strings.Contains(l, "level=ERROR") {
		t.Errorf("a client hanging up was logged as an error:\n%s", l)
	}
}
