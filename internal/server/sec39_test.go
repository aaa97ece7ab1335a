package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/server"
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

// FuzzRESTHandler sends random methods, paths, headers and bodies to the
// handler as the services added lately receive them: Lambda's REST-JSON
// paths (functions, URLs, event invoke configurations, Invoke), Network
// Firewall's JSON 1.0, IAM's policy documents and CloudFormation's SAM
// templates. It must never panic and never answer 500 (501 is fine).
func FuzzRESTHandler(f *testing.F) {
	seeds := []struct{ svc, method, path, target, ct, body string }{
		{"lambda", "POST", "/2015-03-31/functions", "", "application/json", `{"FunctionName":"f","Runtime":"nodejs20.x","Role":"arn:aws:iam::123456789012:role/r","Handler":"i.h","Code":{"ZipFile":"UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="},"Environment":{"Variables":{"A":"b"}},"VpcConfig":{"SubnetIds":["subnet-1"],"SecurityGroupIds":["sg-1"]}}`},
		{"lambda", "POST", "/2015-03-31/functions/f/invocations?Qualifier=1", "Event", "application/json", `{"k":[1,2,{"x":null}]}`},
		{"lambda", "POST", "/2021-10-31/functions/f/url?Qualifier=live", "", "application/json", `{"AuthType":"NONE","Cors":{"AllowOrigins":["*"],"MaxAge":86400}}`},
		{"lambda", "PUT", "/2019-09-25/functions/f/event-invoke-config", "", "application/json", `{"MaximumRetryAttempts":1,"DestinationConfig":{"OnFailure":{"Destination":"arn:aws:sqs:us-east-1:123456789012:q"}}}`},
		{"lambda", "PUT", "/2015-03-31/functions/f/code", "", "application/json", `{"ZipFile":"AAAA","Publish":true}`},
		{"lambda", "GET", "/2015-03-31/functions/?Marker=AAAA&MaxItems=5", "", "", ""},
		{"lambda", "POST", "/2015-03-31/functions/f/policy", "", "application/json", `{"StatementId":"s","Action":"lambda:InvokeFunction","Principal":"s3.amazonaws.com","SourceArn":"arn:aws:s3:::b"}`},
		{"network-firewall", "POST", "/", "NetworkFirewall_20201112.CreateRuleGroup", "application/x-amz-json-1.0", `{"RuleGroupName":"g","Type":"STATEFUL","Capacity":10,"RuleGroup":{"RulesSource":{"RulesSourceList":{"Targets":[".example.com"],"TargetTypes":["TLS_SNI"],"GeneratedRulesType":"DENYLIST"}},"RuleVariables":{"IPSets":{"HOME_NET":{"Definition":["10.0.0.0/8"]}}}}}`},
		{"network-firewall", "POST", "/", "NetworkFirewall_20201112.CreateFirewallPolicy", "application/x-amz-json-1.0", `{"FirewallPolicyName":"p","FirewallPolicy":{"StatelessDefaultActions":["aws:forward_to_sfe"],"StatelessFragmentDefaultActions":["aws:drop"],"StatefulRuleGroupReferences":[{"ResourceArn":"arn:aws:network-firewall:us-east-1:123456789012:stateful-rulegroup/g","Priority":1}]}}`},
		{"network-firewall", "POST", "/", "NetworkFirewall_20201112.ListRuleGroups", "application/x-amz-json-1.0", `{"NextToken":"eyJ4IjoxfQ==","MaxResults":1}`},
		{"iam", "POST", "/", "", "application/x-www-form-urlencoded", "Action=CreatePolicy&Version=2010-05-08&PolicyName=p&PolicyDocument=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D"},
		{"cloudformation", "POST", "/", "", "application/x-www-form-urlencoded", "Action=CreateStack&Version=2010-05-15&StackName=s&Capabilities.member.1=CAPABILITY_IAM&Capabilities.member.2=CAPABILITY_AUTO_EXPAND&TemplateBody=Transform%3A+AWS%3A%3AServerless-2016-10-31%0AResources%3A%0A++F%3A%0A++++Type%3A+AWS%3A%3AServerless%3A%3AFunction%0A++++Properties%3A%0A++++++Runtime%3A+python3.12%0A++++++Handler%3A+a.b%0A++++++InlineCode%3A+x%0A++++++Events%3A%0A++++++++E%3A%0A++++++++++Type%3A+Schedule%0A++++++++++Properties%3A%0A++++++++++++Schedule%3A+rate(1+minute)%0A"},
	}
	for _, s := range seeds {
		f.Add(s.svc, s.method, s.path, s.target, s.ct, []byte(s.body))
	}
	srv, err := server.New(server.Options{Registry: services.Registry(), Analyzer: services.Analyzer(), Models: testModels, MaxBodyBytes: 1 << 16})
	if err != nil {
		f.Fatal(err)
	}
	defer srv.Close()
	f.Fuzz(func(t *testing.T, svc, method, path, target, ct string, body []byte) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n\t#") {
			return
		}
		req, err := http.NewRequest(method, "http://127.0.0.1:4566"+path, bytes.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/"+svc+"/aws4_request, SignedHeaders=host, Signature=0")
		if strings.Contains(target, ".") {
			req.Header.Set("X-Amz-Target", target)
		} else if target != "" {
			req.Header.Set("X-Amz-Invocation-Type", target)
		}
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code >= 500 && w.Code != http.StatusNotImplemented {
			t.Fatalf("HTTP %d for %s %s %s %q %q:\n%s", w.Code, svc, method, path, target, body, truncate(w.Body.String()))
		}
		srv.Step()
	})
}

// TestNetworkFirewallQuotas creates Network Firewall resources through
// boto3 until AWS's default quotas (50 stateful rule groups, 20 firewall
// policies per account and region): the next create is
// LimitExceededException, so a loop of creates cannot grow the state
// without bound; a stateless group still fits, and a deleted group frees
// its place.
func TestNetworkFirewallQuotas(t *testing.T) {
	requireTool(t, "python3", "-c", "import boto3")
	em := newEmulator(t, nil)
	py := `
import boto3, sys
from botocore.exceptions import ClientError
nf = boto3.client("network-firewall", endpoint_url=sys.argv[1], region_name="us-east-1",
    aws_access_key_id="testing", aws_secret_access_key="testing")
def code(f):
    try:
        f()
    except ClientError as e:
        return e.response["Error"]["Code"]
    return "ok"
rules = "pass tcp any any -> any any (sid:1;)"
for i in range(50):
    nf.create_rule_group(RuleGroupName="g%d" % i, Type="STATEFUL", Capacity=10, Rules=rules)
print(code(lambda: nf.create_rule_group(RuleGroupName="g50", Type="STATEFUL", Capacity=10, Rules=rules)))
print(code(lambda: nf.create_rule_group(RuleGroupName="s0", Type="STATELESS", Capacity=10,
    RuleGroup={"RulesSource": {"StatelessRulesAndCustomActions": {"StatelessRules": []}}})))
nf.delete_rule_group(RuleGroupName="g0", Type="STATEFUL")
print(code(lambda: nf.create_rule_group(RuleGroupName="g50", Type="STATEFUL", Capacity=10, Rules=rules)))
pol = {"StatelessDefaultActions": ["aws:forward_to_sfe"], "StatelessFragmentDefaultActions": ["aws:forward_to_sfe"]}
for i in range(20):
    nf.create_firewall_policy(FirewallPolicyName="p%d" % i, FirewallPolicy=pol)
print(code(lambda: nf.create_firewall_policy(FirewallPolicyName="p20", FirewallPolicy=pol)))
`
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "python3", "-c", py, em.URL).CombinedOutput()
	if err != nil {
		t.Fatalf("boto3: %v\n%s", err, out)
	}
	if got, want := strings.Fields(string(out)), []string{"LimitExceededException", "ok", "ok", "LimitExceededException"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("creates past the quotas: %q, want %q", got, want)
	}
}

// TestForEachBomb sends CreateStack a template of Fn::ForEach loops nested
// five deep over 40 values each (10^8 topics from a few lines): refused with
// the loops' error, without expanding them.
func TestForEachBomb(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	vals := make([]any, 40)
	for i := range vals {
		vals[i] = "v" + strconv.Itoa(i)
	}
	key := ""
	for i := range 5 {
		key += "${I" + strconv.Itoa(i) + "}"
	}
	var frag any = map[string]any{"T" + key: map[string]any{"Type": "AWS::SNS::Topic"}}
	for i := 4; i >= 0; i-- {
		name := "Fn::ForEach::L" + strconv.Itoa(i)
		for j := range i {
			name += "${I" + strconv.Itoa(j) + "}"
		}
		frag = map[string]any{name: []any{"I" + strconv.Itoa(i), vals, frag}}
	}
	body, err := json.Marshal(map[string]any{"Transform": "AWS::LanguageExtensions", "Resources": frag})
	must(t, err)
	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("bomb"), TemplateBody: aws.String(string(body))})
	if apiCode(err) != "ValidationError" || !strings.Contains(lambdaErrMessage(err), "the loops make more than") {
		t.Errorf("CreateStack of nested loops making 10^8 resources: %v", err)
	}
}
