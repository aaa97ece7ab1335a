package reach

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// A standalone task that failed to start: a probe from it or to it names
// the start-path failure (not only "no network interface"), the private
// DNS of the endpoints that exist is the stated cause, and Lint reports
// the task.
func TestStandaloneStoppedTaskCause(t *testing.T) {
	n := compileEngine(build(t, "testdata/standalone-nodns.yaml"))
	check := func(r *Result, verdict Verdict) {
		t.Helper()
		if r.Verdict != verdict {
			t.Errorf("verdict = %s, want %s (%s)", r.Verdict, verdict, r.Summary)
		}
		var x *Explanation
		for i := range r.Explanations {
			if r.Explanations[i].Code == CodeImagePullFailed {
				x = &r.Explanations[i]
			}
		}
		if x == nil || !x.Blocking || x.Tasks == nil || x.Tasks.Task != "job" || x.Tasks.Failure == nil {
			t.Fatalf("no blocking %s explanation about the task job: %+v", CodeImagePullFailed, r.Explanations)
		}
		if !strings.Contains(x.Tasks.Reason, "ResourceInitializationError") || !strings.Contains(x.Tasks.Failure.Why, "has private DNS disabled") {
			t.Errorf("reason %q, cause %q", x.Tasks.Reason, x.Tasks.Failure.Why)
		}
		if !strings.Contains(r.Summary, "the task job stopped before it ran (stopCode TaskFailedToStart") {
			t.Errorf("summary = %s", r.Summary)
		}
	}
	check(probeSpec(t, n, "job", "ecr:443", "tcp"), Unknown)
	check(probeSpec(t, n, "10.0.11.4", "job:8080", "tcp"), NoRoute)

	var got *Finding
	for _, f := range Lint(n) {
		if f.Code == CodeImagePullFailed {
			got = &f
		}
	}
	if got == nil {
		t.Fatalf("Lint reports no %s", CodeImagePullFailed)
	}
	if !strings.Contains(got.Message, "the task job stopped before it ran") || !strings.Contains(got.Fix, "enable private DNS") {
		t.Errorf("finding = %+v", *got)
	}
}

// A service with no task cannot be an endpoint; the error says why it has
// none (here: its instances' agents cannot register), not only that.
func TestServiceWithoutTasksSaysWhy(t *testing.T) {
	n := compileEngine(buildWith(t, repoFile("examples/failures/agent-no-path.yaml"), engine.WithStartCheck(StartCheck), engine.WithRegisterCheck(RegisterCheck)))
	_, err := NewQuery(n, "internet", "web:80", "tcp")
	if err == nil || !strings.Contains(err.Error(), "service web has no tasks: no container instance is registered for the service web: the ECS agent cannot reach ECS") {
		t.Errorf("err = %v", err)
	}
}
