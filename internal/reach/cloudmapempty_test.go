package reach

import (
	"os"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// cloudMapVariant builds examples/failures/cloud-map-name.yaml with its
// api tasks' group admitting the web tasks, after the replacements.
func cloudMapVariant(t *testing.T, repl ...string) *Network {
	t.Helper()
	data, err := os.ReadFile(repoFile("examples/failures/cloud-map-name.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(data), "group: bastion-sg}", "group: web-sg}", 1)
	for i := 0; i+1 < len(repl); i += 2 {
		if !strings.Contains(s, repl[i]) {
			t.Fatalf("cloud-map-name.yaml has no %q", repl[i])
		}
		s = strings.Replace(s, repl[i], repl[i+1], 1)
	}
	sc, err := scenario.Parse("cloud-map-variant.yaml", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(StartCheck))
	if err != nil {
		t.Fatal(err)
	}
	return compileEngine(b.Engine)
}

// A Cloud Map name whose ECS service runs no task has no record: the
// lookup gets NXDOMAIN (a verdict, not a query error), and the cause
// behind it, the tasks' start failure, follows as a finding of its own.
func TestCloudMapNameNoInstance(t *testing.T) {
	n := cloudMapVariant(t)
	if r := probeSpec(t, n, "web", "api.internal:8080", "tcp"); r.Verdict != Connected {
		t.Fatalf("with running tasks: web → api.internal:8080 = %s: %s", r.Verdict, r.Summary)
	}

	// The api tasks (Fargate, public subnets) without a public IP cannot
	// pull their image: none runs, none is registered.
	n = cloudMapVariant(t, "assign_public_ip: true\n    discovery: api", "assign_public_ip: false\n    discovery: api")
	r := probeSpec(t, n, "web", "api.internal:8080", "tcp")
	if r.Verdict != NXDomain || len(r.Forward) != 0 {
		t.Fatalf("web → api.internal:8080 = %s (%d hops): %s", r.Verdict, len(r.Forward), r.Summary)
	}
	if !r.HasCode(CodeCloudMapNoInstance) || !r.HasCode(CodeImagePullFailed) {
		t.Errorf("explanations %+v: want %s and %s", r.Explanations, CodeCloudMapNoInstance, CodeImagePullFailed)
	}
	if !strings.Contains(r.Summary, "api.internal does not resolve") || !strings.Contains(r.Summary, "CannotPullContainerError") {
		t.Errorf("summary: %s", r.Summary)
	}

	// As the source, the name stands for a task that does not exist: a
	// query error that says why none runs.
	if _, err := NewQuery(n, "api.internal", "web/0:3000", "tcp"); err == nil || !strings.Contains(err.Error(), "none of whose tasks runs") || !strings.Contains(err.Error(), "CannotPullContainerError") {
		t.Errorf("api.internal → web/0:3000: %v", err)
	}

	// Without a port: the lookup fails all the same (the port is the one
	// the task definition maps, as a running task's would be).
	if r := probeSpec(t, n, "web", "api.internal", "tcp"); r.Verdict != NXDomain || r.Port != 8080 {
		t.Errorf("web → api.internal = %s on %d: %s", r.Verdict, r.Port, r.Summary)
	}

	// Desired count 0: nothing failed, nothing runs; the finding says so.
	n = cloudMapVariant(t, "desired: 2", "desired: 0")
	r = probeSpec(t, n, "web", "api.internal:8080", "tcp")
	if r.Verdict != NXDomain || !r.HasCode(CodeCloudMapNoInstance) || !strings.Contains(r.Summary, "desired count is 0") {
		t.Errorf("desired 0: web → api.internal:8080 = %s: %s", r.Verdict, r.Summary)
	}

	// From the internet the private zone's association decides first.
	r = probeSpec(t, n, "internet", "api.internal:8080", "tcp")
	if r.Verdict != NXDomain || !r.HasCode(CodeCloudMapZoneNotAssociated) || r.HasCode(CodeCloudMapNoInstance) {
		t.Errorf("internet → api.internal:8080 = %s: %s", r.Verdict, r.Summary)
	}
}
