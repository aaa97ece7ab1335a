package awsproto_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A REST-JSON request is told by its method and path: labels, the query
// string and the body each bind their members, and a literal segment wins
// over a label ("file-systems/replication-configurations" is not a file
// system id).
func TestRESTJSONIdentifyAndDecode(t *testing.T) {
	m := loadModels(t)
	sign := func(r *http.Request) {
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-west-2/elasticfilesystem/aws4_request, SignedHeaders=host, Signature=x")
	}
	cases := []struct {
		method, url, body string
		op                string
		want              map[string]string
	}{
		{"GET", "/2015-02-01/file-systems?FileSystemId=fs-1&MaxItems=5", "", "DescribeFileSystems", map[string]string{"FileSystemId": "fs-1"}},
		{"DELETE", "/2015-02-01/file-systems/fs-2", "", "DeleteFileSystem", map[string]string{"FileSystemId": "fs-2"}},
		{"GET", "/2015-02-01/file-systems/replication-configurations", "", "DescribeReplicationConfigurations", nil},
		{"GET", "/2015-02-01/tags/fs-3/", "", "DescribeTags", map[string]string{"FileSystemId": "fs-3"}},
		{"PUT", "/2015-02-01/mount-targets/fsmt-4/security-groups", `{"SecurityGroups":["sg-1"]}`, "ModifyMountTargetSecurityGroups", map[string]string{"MountTargetId": "fsmt-4"}},
		{"POST", "/2015-02-01/file-systems", `{"CreationToken":"t"}`, "CreateFileSystem", map[string]string{"CreationToken": "t"}},
		{"DELETE", "/2015-02-01/resource-tags/arn%3Aaws%3Aelasticfilesystem%3Aus-west-2%3A1%3Afile-system%2Ffs-5?tagKeys=a&tagKeys=b", "", "UntagResource",
			map[string]string{"ResourceId": "arn:aws:elasticfilesystem:us-west-2:1:file-system/fs-5"}},
	}
	for _, tc := range cases {
		r := httptest.NewRequest(tc.method, tc.url, strings.NewReader(tc.body))
		sign(r)
		target, err := m.Identify(r, []byte(tc.body))
		if err != nil {
			t.Fatalf("%s %s: %v", tc.method, tc.url, err)
		}
		if target.Service.Name != "efs" || target.Operation.Name != tc.op || target.Region != "us-west-2" {
			t.Fatalf("%s %s: got %s.%s in %s, want efs.%s", tc.method, tc.url, target.Service.Name, target.Operation.Name, target.Region, tc.op)
		}
		in, err := target.Decode()
		if err != nil {
			t.Fatalf("%s: %v", tc.op, err)
		}
		for k, v := range tc.want {
			if in.String(k) != v {
				t.Errorf("%s: %s = %q, want %q", tc.op, k, in.String(k), v)
			}
		}
		if tc.op == "DescribeFileSystems" && in.Int("MaxItems") != 5 {
			t.Errorf("MaxItems = %d, want 5", in.Int("MaxItems"))
		}
		if tc.op == "UntagResource" && strings.Join(in.Strings("TagKeys"), ",") != "a,b" {
			t.Errorf("TagKeys = %v", in.Strings("TagKeys"))
		}
	}
	// No operation for the path: an error, not a panic or a 500.
	r := httptest.NewRequest("PATCH", "/2015-02-01/file-systems", nil)
	sign(r)
	if _, err := m.Identify(r, nil); err == nil {
		t.Error("PATCH /2015-02-01/file-systems identified an operation")
	}
	// A missing required label value is BadRequest.
	r = httptest.NewRequest("POST", "/2015-02-01/mount-targets", strings.NewReader(`{}`))
	sign(r)
	target, err := m.Identify(r, []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := target.Decode(); err == nil || !strings.Contains(err.Error(), "BadRequest") {
		t.Errorf("CreateMountTarget without FileSystemId: %v, want BadRequest", err)
	}
}
