package reach

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// The collector a splunk log driver verifies at start: splunk-url's host
// and port (the scheme's default), its event path; none when the check
// is off or the driver is another.
func TestSplunkCollector(t *testing.T) {
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
	} {
		h, ok := splunkCollector(c.d)
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
