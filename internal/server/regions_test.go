package server_test

import (
	"html"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/server"
)

func authFor(svc, region string) string {
	return "AWS4-HMAC-SHA256 Credential=AKID/20260101/" + region + "/" + svc + "/aws4_request, SignedHeaders=host, Signature=00"
}

// A region AWS does not have is refused as AWS refuses a credential scoped
// to it, never served by the default region; AWS's regions and the
// --region name are served, each with its own state.
func TestRegions(t *testing.T) {
	srv, err := server.New(server.Options{Registry: services.Registry(), Models: testModels, Region: "local-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	form := "application/x-www-form-urlencoded"
	for _, tc := range []struct {
		svc, region, target, ct, body string
		status                        int
		code                          string
	}{
		{"ec2", "xx-fake-1", "", form, "Action=DescribeVpcs&Version=2016-11-15", 401, "AuthFailure"},
		{"ec2", "us-east-1x", "", form, "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0/16", 401, "AuthFailure"},
		{"ecs", "not_a_region", "AmazonEC2ContainerServiceV20141113.ListClusters", "application/x-amz-json-1.1", "{}", 403, "InvalidSignatureException"},
		{"elasticloadbalancing", "cn-north-1", "", form, "Action=DescribeLoadBalancers&Version=2015-12-01", 403, "SignatureDoesNotMatch"},
	} {
		w := rawReq{auth: authFor(tc.svc, tc.region), target: tc.target, contentType: tc.ct, body: []byte(tc.body)}.do(srv)
		if w.Code != tc.status || errorCode(w.Body.Bytes()) != tc.code ||
			!strings.Contains(html.UnescapeString(w.Body.String()), "Credential should be scoped to a valid region, not '"+tc.region+"'.") {
			t.Errorf("%s in %q: HTTP %d %s\n%s", tc.svc, tc.region, w.Code, errorCode(w.Body.Bytes()), truncate(w.Body.String()))
		}
	}
	if !srv.Empty() {
		t.Error("a refused region opened an engine")
	}
	create := "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0/16"
	for _, region := range []string{"eu-west-3", "local-1", "ap-southeast-7"} {
		if w := (rawReq{auth: authFor("ec2", region), contentType: form, body: []byte(create)}).do(srv); w.Code != 200 {
			t.Errorf("CreateVpc in %s: HTTP %d %s", region, w.Code, truncate(w.Body.String()))
		}
	}
	// Unsigned reads go to the default region.
	w := rawReq{contentType: form, body: []byte("Action=DescribeVpcs&Version=2016-11-15")}.do(srv)
	if w.Code != 200 || strings.Count(w.Body.String(), "<vpcId>") != 1 {
		t.Errorf("unsigned DescribeVpcs (default region local-1): HTTP %d %s", w.Code, truncate(w.Body.String()))
	}
}
