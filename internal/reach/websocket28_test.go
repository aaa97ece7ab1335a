package reach

import "testing"

// TestWebServerStartedByDebianInstall: on Debian and Ubuntu, installing
// nginx or apache2 with apt starts it (the package's maintainer scripts
// start the service), as hashicorp/terraform-provider-aws's examples/eip
// user data relies on ("apt-get install -y nginx > /tmp/nginx.log" and
// nothing else); before round twenty-eight the analyzer found nothing
// listening. yum and dnf install without starting.
func TestWebServerStartedByDebianInstall(t *testing.T) {
	for ud, kind := range map[string]string{
		"#!/bin/bash -v\napt-get update -y\napt-get install -y nginx > /tmp/nginx.log\n": "nginx",
		"#!/bin/bash\napt install -y apache2\n":                                          "apache2",
		"#!/bin/bash\nyum install -y httpd\n":                                            "",
		"#!/bin/bash\ndnf install -y nginx\n":                                            "",
		"#!/bin/bash\nyum install -y nginx\nsystemctl start nginx\n":                     "nginx",
	} {
		s := webServerSocket(ud)
		if got := ""; s != nil {
			got = s.kind
			if got != kind {
				t.Errorf("%q: %s, want %q", ud, got, kind)
			}
		} else if kind != "" {
			t.Errorf("%q: nothing listens, want %s", ud, kind)
		}
	}
}
