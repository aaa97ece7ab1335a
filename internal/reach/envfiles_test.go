package reach

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestEnvFilesStartPath: a container's environment file (S3) is on the
// task's start path. In private subnets with the ECR and logs interface
// endpoints but no S3 gateway endpoint, the env file's download fails
// first (ECS_ENV_FILES_UNREACHABLE, AWS's stoppedReason), not the image
// layers; with the gateway endpoint on the route table the tasks start.
func TestEnvFilesStartPath(t *testing.T) {
	base, err := os.ReadFile(repoFile("examples/failures/missing-s3-gateway.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(base), "        log_driver: awslogs\n",
		"        log_driver: awslogs\n        environment_files: [arn:aws:s3:::web-config/web.env]\n", 1)
	if src == string(base) {
		t.Fatal("the example's container changed: no log_driver line")
	}
	stopped := func(t *testing.T, yaml string) (reason string, running int) {
		t.Helper()
		st, _ := build(t, writeTemp(t, yaml)).Snapshot()
		for _, tk := range st.Tasks {
			switch tk.LastStatus {
			case model.TaskStopped:
				reason = tk.StoppedReason
			case "RUNNING":
				running++
			}
		}
		return reason, running
	}
	reason, running := stopped(t, src)
	if running != 0 || reason != envFileError {
		t.Errorf("no S3 gateway endpoint: %d running, stopped reason %q, want the env files' error", running, reason)
	}
	n := compileEngine(build(t, writeTemp(t, src)))
	var svc *model.Service
	for _, s := range n.st.Services {
		svc = s
	}
	fs := ServiceStartFailures(n, svc)
	if len(fs) == 0 || fs[0].Code != CodeEnvFilesUnreachable || fs[0].EnvFile != "arn:aws:s3:::web-config/web.env" ||
		!strings.Contains(fs[0].Why, "no S3 gateway endpoint is on the subnet's route table") {
		t.Errorf("start failures = %+v", fs)
	}
	withGateway := strings.Replace(src, "  # no S3 gateway endpoint: ECR keeps image layers in S3\n",
		"  s3: {vpc: main, service: s3, route_tables: [private]}\n", 1)
	if withGateway == src {
		t.Fatal("the example's endpoints changed")
	}
	if reason, running := stopped(t, withGateway); running == 0 {
		t.Errorf("with the S3 gateway endpoint: no task runs (stopped: %q)", reason)
	}
}

// writeTemp writes a scenario to a temporary file.
func writeTemp(t *testing.T, yaml string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
