package reach

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Where a log driver connects at start: splunk-url's host and port (the
// scheme's default) and its event path, fluentd's address unless async,
// syslog over TCP; none when the check is off, the driver connects
// nothing (awslogs, UDP syslog) or the destination is the instance itself.
func TestLogDriverCollector(t *testing.T) {
	def := func(driver string, opts map[string]any) model.ContainerDefinition {
		return model.ContainerDefinition{Name: "app", Raw: map[string]any{"logConfiguration": map[string]any{"logDriver": driver, "options": opts}}}
	}
	for _, c := range []struct {
		d    model.ContainerDefinition
		ok   bool
		url  string
		addr string
		port uint16
	}{
		{def("splunk", map[string]any{"splunk-url": "https://hec.example.com"}), true, "https://hec.example.com/services/collector/event/1.0", "192.0.2.130", 443},
		{def("splunk", map[string]any{"splunk-url": "http://10.0.5.10:8088/"}), true, "http://10.0.5.10:8088/services/collector/event/1.0", "10.0.5.10", 8088},
		{def("splunk", map[string]any{"splunk-url": "https://hec.example.com", "splunk-verify-connection": "false"}), false, "", "", 0},
		{def("splunk", map[string]any{"splunk-url": "hec.example.com"}), false, "", "", 0},
		{def("awslogs", map[string]any{"splunk-url": "https://hec.example.com"}), false, "", "", 0},
		{def("fluentd", map[string]any{"fluentd-address": "10.0.5.20:24224"}), true, "", "10.0.5.20", 24224},
		{def("fluentd", map[string]any{"fluentd-address": "tcp://10.0.5.20"}), true, "", "10.0.5.20", 24224},
		{def("fluentd", map[string]any{"fluentd-address": "10.0.5.20:24224", "fluentd-async": "true"}), false, "", "", 0},
		{def("fluentd", map[string]any{"fluentd-address": "localhost:24224"}), false, "", "", 0},
		{def("fluentd", map[string]any{}), false, "", "", 0},
		{def("syslog", map[string]any{"syslog-address": "tcp://logs.example.com"}), true, "", "192.0.2.130", 514},
		{def("syslog", map[string]any{"syslog-address": "tcp+tls://10.0.5.30"}), true, "", "10.0.5.30", 6514},
		{def("syslog", map[string]any{"syslog-address": "udp://10.0.5.30:514"}), false, "", "", 0},
	} {
		h, ok := logDriverCollector(c.d)
		if ok != c.ok || ok && (h.url != c.url || h.addr.String() != c.addr || h.port != c.port) {
			t.Errorf("%v: %+v %v", c.d.Raw, h, ok)
		}
	}
}

// A Fargate service in private subnets with VPC endpoints only, logging
// with the splunk driver to a collector on the internet: the driver's
// check at start times out, the task stops with the daemon's text.
func TestStartCheckSplunkNoPath(t *testing.T) {
	e := build(t, repoFile("examples/failures/splunk-log-driver-private-no-nat.yaml"))
	st := stateOf(e)
	tk := taskNamed(t, st, "ledger/0")
	if tk.LastStatus != model.TaskStopped || !strings.HasPrefix(tk.StoppedReason, "CannotStartContainerError: Error response from daemon: failed to initialize logging driver: Options \"https://http-inputs-acme.splunkcloud.com:443/services/collector/event/1.0\": dial tcp") {
		t.Fatalf("ledger/0 is %s: %q", tk.LastStatus, tk.StoppedReason)
	}
	n := compileEngine(e)
	for _, s := range st.Services {
		fs := ServiceStartFailures(n, s)
		if len(fs) == 0 || fs[0].Code != CodeLogDriverUnreachable || fs[0].Verdict != NoRoute || !fs[0].NeedsInternet || fs[0].Service != "http-inputs-acme.splunkcloud.com" {
			t.Fatalf("%+v", fs)
		}
	}
}

// An awsvpc task on EC2 whose collector is an instance of the VPC that
// admits the tasks' group: the driver connects from the container
// instance's own interface (the Docker daemon's), so the collector's
// group drops it; the hint names the collector's port.
func TestStartCheckSplunkFromInstance(t *testing.T) {
	e := build(t, repoFile("examples/failures/splunk-hec-sg-task-group-ec2.yaml"))
	st := stateOf(e)
	tk := taskNamed(t, st, "checkout/0")
	if tk.LastStatus != model.TaskStopped || !strings.HasSuffix(tk.StoppedReason, `Options "http://10.0.21.10:8088/services/collector/event/1.0": dial tcp 10.0.21.10:8088: i/o timeout`) {
		t.Fatalf("checkout/0 is %s: %q", tk.LastStatus, tk.StoppedReason)
	}
	n := compileEngine(e)
	for _, s := range st.Services {
		fs := ServiceStartFailures(n, s)
		if len(fs) == 0 || fs[0].Code != CodeLogDriverUnreachable || fs[0].Pulls != "instance" || fs[0].Blocked == nil ||
			fs[0].Blocked.Code != CodeSGRulesMismatch || fs[0].Blocked.Component.Name != "splunk-sg" || !strings.Contains(fs[0].Why, "the instance ecs-asg/0") {
			t.Fatalf("%+v", fs)
		}
		if h := StartFixHint(&fs[0]); !strings.HasPrefix(h, "allow inbound tcp/8088 from the instances' security group on security group splunk-sg") {
			t.Errorf("hint = %s", h)
		}
	}
}

// The same system with a fluentd log driver to an aggregator of the VPC
// (fluentd-address, no fluentd-async): the daemon's connection from the
// container instance is dropped by the aggregator's group, the container
// does not start, with the driver's dial error on the aggregator's port.
func TestStartCheckFluentdFromInstance(t *testing.T) {
	src, err := os.ReadFile(repoFile("examples/failures/splunk-hec-sg-task-group-ec2.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	y := strings.NewReplacer("ports: 8088", "ports: 24224", "log_driver: splunk", "log_driver: fluentd",
		"splunk-url: http://10.0.21.10:8088", "fluentd-address: 10.0.21.10:24224", "splunk-token: 00000000-0000-0000-0000-000000000000", "tag: checkout").Replace(string(src))
	path := filepath.Join(t.TempDir(), "fluentd.yaml")
	if err := os.WriteFile(path, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	e := build(t, path)
	st := stateOf(e)
	tk := taskNamed(t, st, "checkout/0")
	if tk.LastStatus != model.TaskStopped || tk.StoppedReason != "CannotStartContainerError: Error response from daemon: failed to initialize logging driver: dial tcp 10.0.21.10:24224: i/o timeout" {
		t.Fatalf("checkout/0 is %s: %q", tk.LastStatus, tk.StoppedReason)
	}
	n := compileEngine(e)
	for _, s := range st.Services {
		fs := ServiceStartFailures(n, s)
		if len(fs) == 0 || fs[0].Code != CodeLogDriverUnreachable || fs[0].Blocked == nil || fs[0].Blocked.Component.Name != "splunk-sg" ||
			!strings.HasPrefix(fs[0].Why, "the fluentd log driver of container checkout cannot reach 10.0.21.10:24224: ") {
			t.Fatalf("%+v", fs)
		}
		if h := StartFixHint(&fs[0]); !strings.HasPrefix(h, "allow inbound tcp/24224 from the instances' security group on security group splunk-sg") {
			t.Errorf("hint = %s", h)
		}
	}
}
