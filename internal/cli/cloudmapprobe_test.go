package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProbeCloudMapNameNoTask: probe --to a Cloud Map name whose service
// runs no task (its Fargate tasks in a public subnet without a public IP
// cannot pull their image) gives the verdict nxdomain (exit 1; 0 with
// --expect nxdomain), names the start failure as its cause and offers
// the verified fix; before, it was bad input (exit 2).
func TestProbeCloudMapNameNoTask(t *testing.T) {
	data, err := os.ReadFile("../../examples/failures/cloud-map-name.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(data), "group: bastion-sg}", "group: web-sg}", 1)
	s = strings.Replace(s, "assign_public_ip: true\n    discovery: api", "assign_public_ip: false\n    discovery: api", 1)
	path := filepath.Join(t.TempDir(), "cloud-map-no-task.yaml")
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "probe", path, "--from", "web", "--to", "api.internal:8080")
	if code != ExitFailed || !strings.Contains(out, "NXDOMAIN") || !strings.Contains(out, "ECS_CLOUD_MAP_NO_INSTANCE") ||
		!strings.Contains(out, "ECS_IMAGE_PULL_FAILED") || !strings.Contains(out, "assignPublicIp=ENABLED") {
		t.Errorf("exit %d\n%s\n%s", code, out, errs)
	}
	if code, out, errs := run(t, "probe", path, "--from", "web", "--to", "api.internal:8080", "--expect", "nxdomain", "--fixes=false"); code != ExitOK {
		t.Errorf("--expect nxdomain: exit %d\n%s\n%s", code, out, errs)
	}
}
