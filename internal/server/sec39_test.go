package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// storedZip is a deployment package of one stored (not compressed) file of
// n random bytes: a zip about n bytes long.
func storedZip(t *testing.T, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	f, err := w.CreateHeader(&zip.FileHeader{Name: "blob.bin", Method: zip.Store})
	must(t, err)
	r := rand.New(rand.NewPCG(1, 2))
	chunk := make([]byte, 1<<16)
	for left := n; left > 0; left -= len(chunk) {
		for i := range chunk {
			chunk[i] = byte(r.Uint32())
		}
		_, err := f.Write(chunk[:min(left, len(chunk))])
		must(t, err)
	}
	must(t, w.Close())
	return b.Bytes()
}

// TestLambdaRequestSizes checks Lambda's own request size quotas through
// the Go SDK: a deployment package of up to 50 MB goes in CreateFunction's
// and UpdateFunctionCode's body (base64, over the server's 10 MiB limit),
// a larger request is refused before it is read with Lambda's 413
// RequestEntityTooLargeException naming the operation, and an invocation's
// payload is bounded at 6 MB (synchronous) or 1 MB (Event).
func TestLambdaRequestSizes(t *testing.T) {
	em := newEmulator(t, nil)
	c := lambdaClient(em.URL)
	role := lambdaRole(t, iamClient(em.URL), "fn-role", "lambda.amazonaws.com")
	big := storedZip(t, 12<<20) // 16 MiB once base64'd
	out, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("big"), Runtime: lambdatypes.RuntimeNodejs20x,
		Handler: aws.String("index.handler"), Role: aws.String(role), Code: &lambdatypes.FunctionCode{ZipFile: big}})
	if err != nil || out.CodeSize != int64(len(big)) {
		t.Fatalf("CreateFunction with a 12 MiB package: %v", err)
	}
	if _, err := c.UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("big"), ZipFile: big[:len(big):len(big)]}); err != nil {
		t.Errorf("UpdateFunctionCode with a 12 MiB package: %v", err)
	}

	// A request over 69,905,067 bytes, as an SDK sends it (its length
	// declared), refused before the server reads it: the body is never
	// made, only streamed if read.
	for _, tc := range []struct{ method, path, op string }{
		{http.MethodPost, "/2015-03-31/functions", "CreateFunction"},
		{http.MethodPut, "/2015-03-31/functions/big/code", "UpdateFunctionCode"},
	} {
		n := int64(69905067 + 1)
		req, err := http.NewRequest(tc.method, em.URL+tc.path, io.LimitReader(zeroReader{}, n))
		must(t, err)
		req.ContentLength = n
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s over the limit: %v", tc.op, err)
		}
		var body struct {
			Type    string
			Message string `json:"message"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		want := "Request must be smaller than 69905067 bytes for the " + tc.op + " operation"
		if resp.StatusCode != http.StatusRequestEntityTooLarge || resp.Header.Get("X-Amzn-Errortype") != "RequestEntityTooLargeException" || body.Message != want {
			t.Errorf("%s over the limit: %d %s %+v, want 413 RequestEntityTooLargeException %q", tc.op, resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"), body, want)
		}
	}

	w := lambda.NewFunctionActiveV2Waiter(c, func(o *lambda.FunctionActiveV2WaiterOptions) { o.MinDelay, o.MaxDelay = 10e6, 50e6 })
	must(t, w.Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("big")}, 30e9))
	invoke := func(typ lambdatypes.InvocationType, n int) (*lambda.InvokeOutput, error) {
		payload := []byte(`{"x":"` + strings.Repeat("a", n-8) + `"}`)
		return c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("big"), InvocationType: typ, Payload: payload})
	}
	if _, err := invoke(lambdatypes.InvocationTypeRequestResponse, 6<<20); err != nil {
		t.Errorf("a 6 MiB synchronous payload: %v", err)
	}
	if _, err := invoke(lambdatypes.InvocationTypeRequestResponse, 6<<20+1); apiCode(err) != "RequestEntityTooLargeException" ||
		lambdaErrMessage(err) != "Request must be smaller than 6291456 bytes for the InvokeFunction operation" {
		t.Errorf("a synchronous payload over 6 MiB: %v", err)
	}
	if out, err := invoke(lambdatypes.InvocationTypeEvent, 1<<20); err != nil || out.StatusCode != http.StatusAccepted {
		t.Errorf("a 1 MiB Event payload: %v", err)
	}
	n := 1<<20 + 100
	if _, err := invoke(lambdatypes.InvocationTypeEvent, n); apiCode(err) != "RequestEntityTooLargeException" ||
		lambdaErrMessage(err) != strconv.Itoa(n)+" byte payload is too large for the Event invocation type (limit 1048576 bytes)" {
		t.Errorf("an Event payload over 1 MiB: %v", err)
	}
}

// zeroReader reads zeros forever.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestBrowserRESTAndNewServicesRefused sends what a web page can make a
// browser send to the services added lately (Lambda's REST-JSON paths,
// Network Firewall's JSON 1.0, S3) and to them through a rebound name:
// each is refused in the service's shape, and nothing is created.
func TestBrowserRESTAndNewServicesRefused(t *testing.T) {
	_, u := browserEmulator(t)
	lambdaAuth := "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00"
	nfwAuth := "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/network-firewall/aws4_request, SignedHeaders=host, Signature=00"
	fn := `{"FunctionName":"evil","Runtime":"nodejs20.x","Role":"arn:aws:iam::123456789012:role/r","Handler":"i.h","Code":{"S3Bucket":"b","S3Key":"k"}}`
	rg := `{"RuleGroupName":"evil","Type":"STATEFUL","Capacity":10,"Rules":"pass tcp any any -> any any (sid:1;)"}`
	nfwTarget := []string{"X-Amz-Target", "NetworkFirewall_20201112.CreateRuleGroup"}
	for _, tc := range []struct {
		name, method, path, ct, body string
		headers                      []string
		status                       int
		code                         string
	}{
		{"Lambda: a form's text/plain POST", "POST", "/2015-03-31/functions", "text/plain", fn, noCorsPOST, 403, ""},
		{"Lambda: a form's POST by a browser sending no Origin", "POST", "/2015-03-31/functions", "text/plain", fn, nil, 0, ""},
		{"Lambda: a presigned-looking URL in a form's action", "POST",
			"/2015-03-31/functions?X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Flambda%2Faws4_request", "text/plain", fn, nil, 403, "AccessDeniedException"},
		{"Lambda: Invoke with a foreign Origin", "POST", "/2015-03-31/functions/evil/invocations", "text/plain", "{}",
			append([]string{"Authorization", lambdaAuth}, noCorsPOST...), 403, "AccessDeniedException"},
		{"Lambda: a rebound name", "POST", "/2015-03-31/functions", "application/json", fn,
			[]string{"Authorization", lambdaAuth, "Host", "evil.example"}, 403, "AccessDeniedException"},
		{"Lambda: a function URL's path, a GET", "GET", "/2021-10-31/functions/evil/url", "", "", imgGET, 403, ""},
		{"Network Firewall: text/plain, unsigned", "POST", "/", "text/plain", rg, nfwTarget, 403, "AccessDeniedException"},
		{"Network Firewall: a rebound name", "POST", "/", "application/x-amz-json-1.0", rg,
			append([]string{"Authorization", nfwAuth, "Host", "evil.example:4566"}, nfwTarget...), 403, "AccessDeniedException"},
		{"S3: a form's POST to a virtual-hosted bucket", "POST", "/", "multipart/form-data; boundary=x", "--x--", []string{"Host", "evil.localhost"}, 403, ""},
	} {
		req, err := http.NewRequest(tc.method, u+tc.path, strings.NewReader(tc.body))
		must(t, err)
		if tc.ct != "" {
			req.Header.Set("Content-Type", tc.ct)
		}
		for i := 0; i+1 < len(tc.headers); i += 2 {
			if tc.headers[i] == "Host" {
				req.Host = tc.headers[i+1]
			} else {
				req.Header.Set(tc.headers[i], tc.headers[i+1])
			}
		}
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		code := resp.Header.Get("X-Amzn-Errortype")
		if code == "" {
			code = errorCode(b)
		}
		code, _, _ = strings.Cut(code, ":")
		switch {
		case resp.StatusCode < 400 || resp.StatusCode >= 500:
			t.Errorf("%s: HTTP %d, want a refusal\n%s", tc.name, resp.StatusCode, truncate(string(b)))
		case tc.status != 0 && (resp.StatusCode != tc.status || tc.code != "" && code != tc.code):
			t.Errorf("%s: HTTP %d %s, want %d %s\n%s", tc.name, resp.StatusCode, code, tc.status, tc.code, truncate(string(b)))
		}
	}
	c := lambdaClient(u)
	if out, err := c.ListFunctions(ctx, &lambda.ListFunctionsInput{}); err != nil || len(out.Functions) != 0 {
		t.Errorf("functions after refused requests: %v %v", out, err)
	}
}

// TestTemplateAliasBomb sends ValidateTemplate and CreateStack a YAML
// template of aliases nested in aliases (a billion laughs: 10^10 nodes
// once followed): refused at once with the parser's ValidationError, as a
// template with any alias is, and no stack is made.
func TestTemplateAliasBomb(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	var b strings.Builder
	b.WriteString("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 10; i++ {
		p := "*l" + strconv.Itoa(i-1)
		b.WriteString("l" + strconv.Itoa(i) + ": &l" + strconv.Itoa(i) + " [" + strings.Repeat(p+", ", 9) + p + "]\n")
	}
	b.WriteString("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Metadata: *l10\n")
	_, err := cf.ValidateTemplate(ctx, &cloudformation.ValidateTemplateInput{TemplateBody: aws.String(b.String())})
	if apiCode(err) != "ValidationError" || !strings.Contains(lambdaErrMessage(err), "YAML aliases (*l") {
		t.Errorf("ValidateTemplate of a billion laughs: %v", err)
	}
	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("laughs"), TemplateBody: aws.String(b.String())})
	if apiCode(err) != "ValidationError" {
		t.Errorf("CreateStack of a billion laughs: %v", err)
	}
}
