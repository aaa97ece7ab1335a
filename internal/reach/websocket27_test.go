package reach

import (
	"bytes"
	"compress/gzip"
	"testing"
)

// TestWebServerEnableNowAfterUnit: `systemctl enable nginx --now` starts
// nginx as `systemctl enable --now nginx` does (systemctl takes its
// options after the unit too), as the user data of a public DevOps book's
// Auto Scaling group writes it; before round twenty-seven the analyzer
// found nothing listening on port 80 and its target group's targets
// failed their health checks. `systemctl enable nginx` alone starts
// nothing until the next boot.
func TestWebServerEnableNowAfterUnit(t *testing.T) {
	const install = "#!/bin/bash\nyum install --assumeyes nginx\n"
	for start, listens := range map[string]bool{
		"systemctl enable nginx --now\n":         true,
		"systemctl enable nginx.service --now\n": true,
		"systemctl enable --now nginx\n":         true,
		"systemctl enable nginx\n":               false,
	} {
		if s := webServerSocket(install + start); (s != nil) != listens || s != nil && (s.port != 80 || s.kind != "nginx") {
			t.Errorf("%q: socket %+v, want listening %v", start, s, listens)
		}
	}
}

// TestWebServerGzipUserData: user data compressed with gzip (Terraform's
// cloudinit_config renders it so by default) starts its web server as
// cloud-init decompresses it; the analyzer read the compressed bytes and
// found nothing listening.
func TestWebServerGzipUserData(t *testing.T) {
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write([]byte("#!/bin/bash\ndnf install -y nginx\nsystemctl enable --now nginx\n"))
	w.Close()
	if s := webServerSocket(z.String()); s == nil || s.port != 80 || s.kind != "nginx" {
		t.Errorf("gzip user data: socket %+v, want nginx on 80", s)
	}
}
