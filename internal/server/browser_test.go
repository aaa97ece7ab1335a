package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/server"
	"github.com/ecsnet/ecsnet/internal/ui"
)

// Browser safety (issue 12, docs/security.md): requests as a web page on
// another site makes a browser send them are refused, in the service's
// error shape, and change nothing; a Host other than loopback (DNS
// rebinding) is refused on the API, the UI and /moto-api/; real clients
// are unaffected.

// browserEmulator is an emulator on a real listener with the UI mounted,
// as ecsnet serve runs it.
func browserEmulator(t *testing.T, allow ...string) (*server.Server, string) {
	t.Helper()
	srv, err := server.New(server.Options{Registry: services.Registry(), Analyzer: services.Analyzer(), Models: testModels, AllowHosts: allow})
	if err != nil {
		t.Fatal(err)
	}
	srv.Mount("/ui/", ui.New(ui.Options{Engine: func() *engine.Engine { e, _ := srv.Engine(""); return e }, AllowHosts: allow}))
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return srv, hs.URL
}

// send sends a raw request with the given headers ("Host" sets the Host).
func send(t *testing.T, method, u, contentType, body string, headers ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body == "" {
		req.Body = http.NoBody
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "Host" {
			req.Host = headers[i+1]
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func vpcCount(t *testing.T, u string) int {
	t.Helper()
	out, err := sdkClients(u).ec2.DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.Vpcs)
}

const (
	formCT    = "application/x-www-form-urlencoded"
	createVpc = "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0/16"
	evil      = "https://evil.example"
)

// Headers Chromium and Firefox send for each way a page reaches another
// origin.
var (
	formPOST   = []string{"Origin", evil, "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", "document"}
	imgGET     = []string{"Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Dest", "image"}
	noCorsPOST = []string{"Origin", evil, "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Dest", "empty"}
	localPage  = []string{"Origin", "http://localhost:3000", "Sec-Fetch-Site", "same-site", "Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Dest", "empty"}
	nullOrigin = []string{"Origin", "null"}
)

func TestBrowserCrossSiteRefused(t *testing.T) {
	t.Parallel()
	_, u := browserEmulator(t)
	for _, tc := range []struct {
		name, method, url, ct, body string
		headers                     []string
		status                      int
		code                        string
	}{
		{"form POST", "POST", u + "/", formCT, createVpc, formPOST, 403, "UnauthorizedOperation"},
		{"form POST, ELBv2", "POST", u + "/", formCT, "Action=CreateTargetGroup&Version=2015-12-01&Name=tg", formPOST, 403, "AccessDenied"},
		{"form POST, Auto Scaling", "POST", u + "/", formCT, "Action=DeleteAutoScalingGroup&Version=2011-01-01&AutoScalingGroupName=g", formPOST, 403, "AccessDenied"},
		{"img GET ?Action=CreateVpc", "GET", u + "/?" + createVpc, "", "", imgGET, 403, "UnauthorizedOperation"},
		{"img GET, a browser without Sec-Fetch", "GET", u + "/?" + createVpc, "", "", nil, 403, "UnauthorizedOperation"},
		{"no-cors fetch, text/plain", "POST", u + "/?" + createVpc, "text/plain;charset=UTF-8", "x", noCorsPOST, 403, "UnauthorizedOperation"},
		{"no-cors fetch, form", "POST", u + "/", formCT, createVpc, noCorsPOST, 403, "UnauthorizedOperation"},
		{"a page on another port of localhost", "POST", u + "/", formCT, createVpc, localPage, 403, "UnauthorizedOperation"},
		{"Origin null", "POST", u + "/", formCT, createVpc, nullOrigin, 403, "UnauthorizedOperation"},
		{"Sec-Fetch-Site cross-site alone", "POST", u + "/", formCT, createVpc, []string{"Sec-Fetch-Site", "cross-site"}, 403, "UnauthorizedOperation"},
		{"a browser sending neither header (unsigned write)", "POST", u + "/", formCT, createVpc, nil, 403, "UnauthorizedOperation"},
		{"signed, but from a page (cannot happen without a preflight)", "POST", u + "/", formCT, createVpc, append([]string{"Authorization", ec2Auth}, formPOST...), 403, "UnauthorizedOperation"},
		{"ECS JSON with a foreign Origin", "POST", u + "/", "application/x-amz-json-1.1", `{"clusterName":"c"}`,
			append([]string{"X-Amz-Target", "AmazonEC2ContainerServiceV20141113.CreateCluster"}, noCorsPOST...), 403, "AccessDeniedException"},
	} {
		status, body := send(t, tc.method, tc.url, tc.ct, tc.body, tc.headers...)
		if status != tc.status || errorCode([]byte(body)) != tc.code {
			t.Errorf("%s: HTTP %d %s, want %d %s\n%s", tc.name, status, errorCode([]byte(body)), tc.status, tc.code, truncate(body))
		}
	}
	if n := vpcCount(t, u); n != 0 {
		t.Errorf("%d VPCs after refused requests, want 0", n)
	}
	// /moto-api/reset from a page: refused, the state stays.
	if _, err := sdkClients(u).ec2.CreateVpc(context.Background(), &ec2.CreateVpcInput{CidrBlock: ptr("10.1.0.0/16")}); err != nil {
		t.Fatal(err)
	}
	for _, h := range [][]string{formPOST, noCorsPOST, nullOrigin, localPage} {
		if status, body := send(t, "POST", u+server.ResetPath, "", "", h...); status != 403 || !strings.Contains(body, `"error"`) {
			t.Errorf("cross-site reset %v: HTTP %d %s", h, status, body)
		}
	}
	if n := vpcCount(t, u); n != 1 {
		t.Errorf("%d VPCs after refused resets, want 1", n)
	}
	// The UI's own API, from a page elsewhere.
	if status, _ := send(t, "POST", u+"/ui/api/probe", "application/json", `{"from":"internet","to":"10.0.0.1"}`, nullOrigin...); status != 403 {
		t.Errorf("UI probe with Origin null: HTTP %d, want 403", status)
	}
	if status, _ := send(t, "GET", u+"/ui/api/topology", "", "", imgGET...); status != 403 {
		t.Errorf("UI topology from another site: HTTP %d, want 403", status)
	}
}

// Reads need no signature and a followed link is a navigation: both are
// answered, as is the UI's own page calling its API.
func TestBrowserSameOriginAndReadsAllowed(t *testing.T) {
	t.Parallel()
	_, u := browserEmulator(t)
	host := strings.TrimPrefix(u, "http://")
	if status, body := send(t, "GET", u+"/?Action=DescribeVpcs&Version=2016-11-15", "", ""); status != 200 {
		t.Errorf("unsigned GET DescribeVpcs (curl): HTTP %d %s", status, truncate(body))
	}
	nav := []string{"Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", "document"}
	if status, body := send(t, "GET", u+"/ui/", "", "", nav...); status != 200 {
		t.Errorf("a link to the UI followed from another site: HTTP %d %s", status, truncate(body))
	}
	own := []string{"Origin", u, "Sec-Fetch-Site", "same-origin", "Sec-Fetch-Mode", "cors", "Sec-Fetch-Dest", "empty"}
	if status, body := send(t, "GET", u+"/ui/api/topology", "", "", own...); status != 200 {
		t.Errorf("the UI page reading its topology: HTTP %d %s", status, truncate(body))
	}
	if status, body := send(t, "POST", u+"/ui/api/probe", "application/json", `{"from":"internet","to":"10.9.9.9","port":80}`, own...); status == 403 {
		t.Errorf("the UI page probing: HTTP %d %s", status, truncate(body))
	}
	// localhost is loopback too.
	lu := "http://localhost:" + host[strings.LastIndexByte(host, ':')+1:]
	if status, body := send(t, "POST", lu+"/", formCT, createVpc, "Authorization", ec2Auth); status != 200 {
		t.Errorf("signed CreateVpc to localhost: HTTP %d %s", status, truncate(body))
	}
}

// DNS rebinding: a page on evil.example whose name now resolves to
// 127.0.0.1 sends Host: evil.example, and is refused everywhere; a name
// given with --allow-host is answered.
func TestHostNotLoopbackRefused(t *testing.T) {
	t.Parallel()
	_, u := browserEmulator(t, "ecsnet.test")
	signed := []string{"Authorization", ec2Auth}
	for _, host := range []string{"evil.example", "evil.example:" + u[strings.LastIndexByte(u, ':')+1:], "127.0.0.1.evil.example", "0.0.0.0", "localhost.evil.example"} {
		h := append([]string{"Host", host}, signed...)
		if status, body := send(t, "POST", u+"/", formCT, "Action=DescribeVpcs&Version=2016-11-15", h...); status != 403 || errorCode([]byte(body)) != "UnauthorizedOperation" {
			t.Errorf("API with Host %s: HTTP %d %s", host, status, truncate(body))
		}
		if status, body := send(t, "POST", u+"/", formCT, createVpc, h...); status != 403 {
			t.Errorf("API write with Host %s: HTTP %d %s", host, status, truncate(body))
		}
		for _, p := range []string{"/ui/", "/ui/api/topology", "/ui", server.HealthPath} {
			if status, body := send(t, "GET", u+p, "", "", "Host", host); status != 403 {
				t.Errorf("GET %s with Host %s: HTTP %d %s", p, host, status, truncate(body))
			}
		}
		if status, _ := send(t, "POST", u+server.ResetPath, "", "", "Host", host); status != 403 {
			t.Errorf("reset with Host %s: HTTP %d", host, status)
		}
	}
	if n := vpcCount(t, u); n != 0 {
		t.Errorf("%d VPCs, want 0", n)
	}
	if status, body := send(t, "POST", u+"/", formCT, createVpc, "Host", "ecsnet.test:4566", "Authorization", ec2Auth); status != 200 {
		t.Errorf("allowed host: HTTP %d %s", status, truncate(body))
	}
	if status, _ := send(t, "GET", u+"/ui/", "", "", "Host", "ecsnet.test"); status != 200 {
		t.Errorf("UI on the allowed host: HTTP %d", status)
	}
}

func TestBadAllowHost(t *testing.T) {
	if _, err := server.New(server.Options{Registry: services.Registry(), Models: testModels, AllowHosts: []string{"evil.example:80"}}); err == nil {
		t.Error("an allowed host with a port was accepted")
	}
}

// The aws CLI and boto3, as they are, against the emulator on localhost
// and 127.0.0.1; boto3 then resets through /moto-api/reset as test suites
// written for moto do.
func TestRealClientsUnaffected(t *testing.T) {
	requireTool(t, "aws", "--version")
	requireTool(t, "python3", "-c", "import boto3")
	t.Parallel()
	_, u := browserEmulator(t)
	port := u[strings.LastIndexByte(u, ':')+1:]
	env := append(os.Environ(), "AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	run := func(name string, args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return string(out)
	}
	out := run("aws", "--endpoint-url", "http://localhost:"+port, "ec2", "create-vpc", "--cidr-block", "10.0.0.0/16", "--query", "Vpc.VpcId", "--output", "text")
	if !strings.HasPrefix(out, "vpc-") {
		t.Errorf("aws ec2 create-vpc: %q", out)
	}
	run("aws", "--endpoint-url", u, "ecs", "create-cluster", "--cluster-name", "c")
	py := `
import boto3, sys, urllib.request
u = sys.argv[1]
ec2 = boto3.client("ec2", endpoint_url=u)
ec2.create_vpc(CidrBlock="10.1.0.0/16")
assert len(ec2.describe_vpcs()["Vpcs"]) == 2, ec2.describe_vpcs()
ecs = boto3.client("ecs", endpoint_url=u)
assert ecs.list_clusters()["clusterArns"], "no cluster"
urllib.request.urlopen(urllib.request.Request(u + "/moto-api/reset", method="POST")).read()
assert ec2.describe_vpcs()["Vpcs"] == [], "reset left VPCs"
print("ok")
`
	if out := run("python3", "-c", py, u); strings.TrimSpace(out) != "ok" {
		t.Errorf("boto3: %s", out)
	}
}

func ptr(s string) *string { return &s }

// A person who opens the emulator's address in a browser is sent to the
// web UI; a signed GET / (S3's ListBuckets, as the aws CLI sends it) and a
// GET / that asks for no HTML are answered as before.
func TestBrowserAtRootGoesToUI(t *testing.T) {
	t.Parallel()
	_, u := browserEmulator(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(headers ...string) *http.Response {
		req, err := http.NewRequest("GET", u+"/", nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	html := "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	if resp := get("Accept", html, "Sec-Fetch-Site", "none"); resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/ui/" {
		t.Errorf("a browser at /: HTTP %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, h := range [][]string{{"Accept", "*/*"}, {"Accept", html, "Authorization", ec2Auth}, {"Accept", html, "X-Amz-Date", "20260101T000000Z"}} {
		if resp := get(h...); resp.StatusCode == http.StatusFound {
			t.Errorf("%v: redirected to %s", h, resp.Header.Get("Location"))
		}
	}
}
