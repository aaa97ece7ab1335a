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
