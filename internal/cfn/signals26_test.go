package cfn_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
)

// TestSweep26CfnInitSources: cfn-init's sources (a directory → the URL of
// an archive it downloads and unpacks there, before files) are read. A
// site unpacked into httpd's document root serves its index page (HTTP
// 200 through the Classic Load Balancer, where before round twenty-six
// only an index page from files did); a source cfn-init cannot fetch (not
// an http or https URL) or place (a relative directory) stops cfn-init
// there, before its files and services: httpd never starts (503), where
// before the sources were ignored and the site served.
func TestSweep26CfnInitSources(t *testing.T) {
	load := func(path string) []string {
		t.Helper()
		res, err := cfn.LoadStacks([]cfn.StackInput{{Path: path, Name: "elb-access-logs", Parameters: map[string]string{"KeyName": "k1"}}}, cfn.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return clbVerdicts(t, res)
	}
	const files = "          files:\n            /var/www/html/index.html:"
	site := sweep25Variant(t, "elb-access-logs.yaml", files,
		"          sources:\n            /var/www/html: https://github.com/example/site/tarball/main\n          files:\n            /var/www/html/about.html:")
	if got := load(site); len(got) != 1 || got[0] != "http 200" {
		t.Errorf("site unpacked into /var/www/html: load balancer verdicts %q, want http 200", got)
	}
	for _, bad := range []string{"/opt/app: ftp://example.com/app.tgz", "app: https://example.com/app.zip", "/opt/app: [https://example.com/app.zip]"} {
		v := sweep25Variant(t, "elb-access-logs.yaml", files, "          sources:\n            "+bad+"\n"+files)
		if got := load(v); len(got) != 1 || got[0] != "http 503" {
			t.Errorf("sources %s: load balancer verdicts %q, want http 503 (cfn-init stops at its sources)", bad, got)
		}
	}
}
