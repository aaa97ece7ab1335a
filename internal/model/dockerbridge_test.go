package model

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

func TestUserDataDockerBIP(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("#cloud-boothook\necho '{\"bip\": \"192.168.254.1/24\"}' > /etc/docker/daemon.json\n"))
	zw.Close()
	for _, c := range []struct {
		name, text string
		bip        string // "" for none
		ignored    string // part of why it does not take effect; "" when it does
	}{
		{"none", "#!/bin/bash\necho ECS_CLUSTER=demo >> /etc/ecs/ecs.config\n", "", ""},
		{"a script that restarts Docker", "#!/bin/bash\ncat <<EOF >/etc/docker/daemon.json\n{\"bip\": \"192.168.254.1/24\"}\nEOF\nsystemctl restart docker --no-block\n", "192.168.254.1/24", ""},
		{"service docker restart", "#!/bin/sh\necho '{\"bip\":\"10.9.0.1/16\"}' > /etc/docker/daemon.json\nservice docker restart\n", "10.9.0.1/16", ""},
		{"a script that leaves Docker running", "#!/bin/bash\necho '{\"bip\": \"192.168.254.1/24\"}' > /etc/docker/daemon.json\n", "192.168.254.1/24", "does not restart it"},
		{"a restart before the write", "#!/bin/bash\nsystemctl restart docker\necho '{\"bip\": \"192.168.254.1/24\"}' > /etc/docker/daemon.json\n", "192.168.254.1/24", "does not restart it"},
		{"escaped quotes", "#!/bin/bash\necho \"{\\\"bip\\\": \\\"192.168.254.1/24\\\"}\" > /etc/docker/daemon.json\nsystemctl restart docker\n", "192.168.254.1/24", ""},
		{"a cloud boothook", "#cloud-boothook\necho '{\"bip\": \"192.168.254.1/24\"}' > /etc/docker/daemon.json\n", "192.168.254.1/24", ""},
		{"cloud-config write_files", "#cloud-config\nwrite_files:\n  - path: /etc/docker/daemon.json\n    content: |\n      {\"bip\": \"192.168.254.1/24\"}\n", "192.168.254.1/24", ""},
		{"dockerd's --bip in OPTIONS", "#cloud-boothook\necho 'OPTIONS=\"--bip=10.250.0.1/24\"' >> /etc/sysconfig/docker\n", "10.250.0.1/24", ""},
		{"MIME: the boothook part", "Content-Type: multipart/mixed; boundary=\"B\"\n\n--B\nContent-Type: text/cloud-boothook\n\n#cloud-boothook\necho '{\"bip\": \"192.168.254.1/24\"}' > /etc/docker/daemon.json\n--B\nContent-Type: text/x-shellscript\n\n#!/bin/bash\necho ECS_CLUSTER=demo >> /etc/ecs/ecs.config\n--B--\n", "192.168.254.1/24", ""},
		{"a cloud boothook, gzip-compressed", gz.String(), "192.168.254.1/24", ""},
		{"the network's first address", "#cloud-boothook\necho '{\"bip\": \"192.168.254.0/24\"}' > /etc/docker/daemon.json\n", "", "cannot be the network's first address"},
		{"not a format cloud-init runs", "{\"bip\": \"192.168.254.1/24\"}\n", "192.168.254.1/24", "neither a script"},
		{"a script that never runs", "#!/bin/bash -xe echo hi\n{\"bip\": \"192.168.254.1/24\"}\nsystemctl restart docker\n", "192.168.254.1/24", "never runs"},
	} {
		t.Run(c.name, func(t *testing.T) {
			bip, why := UserDataDockerBIP(c.text)
			got := ""
			if bip.IsValid() {
				got = bip.String()
			}
			if got != c.bip || (c.ignored == "") != (why == "") || !strings.Contains(why, c.ignored) {
				t.Errorf("= %q, %q; want %q, %q", got, why, c.bip, c.ignored)
			}
			want := DockerDefaultBridge().String()
			if c.bip != "" && c.ignored == "" {
				want = c.bip
			}
			if b := (&Instance{UserData: c.text}).DockerBridge().String(); b != want {
				t.Errorf("DockerBridge = %s, want %s", b, want)
			}
		})
	}
}
