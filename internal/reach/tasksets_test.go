package reach

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// A service deployed through task sets (CODE_DEPLOY, EXTERNAL) has its
// tasks stopped before they listen as a rolling one does: its task set's
// target group finds them unhealthy and the service's grace period is
// over first (engine.elbStopFrom reads the task set's groups alike).
func TestTaskSetStoppedBeforeAppReady(t *testing.T) {
	const story = "examples/failures/analyzer-only/health-check-grace-period-slow-start.yaml"
	const lbs = "    load_balancers: [{target_group: api-tg, container: api, port: 8080}]\n"
	for _, controller := range []string{"CODE_DEPLOY", "EXTERNAL"} {
		ctl := lbs + "    deployment_controller: " + controller + "\n"
		for _, c := range []struct {
			name    string
			edits   []string
			stopped bool
		}{
			{"no grace period", []string{lbs, ctl}, true},
			{"a grace period of 299 s", []string{lbs, ctl + "    health_check_grace_period: 299\n"}, true},
			{"a grace period of 300 s", []string{lbs, ctl + "    health_check_grace_period: 300\n"}, false},
			{"59 s to start", []string{lbs, ctl, "start_seconds: 150", "start_seconds: 59"}, false},
		} {
			t.Run(controller+"/"+c.name, func(t *testing.T) {
				e := storyEngine(t, story, c.edits...)
				st, _ := e.Snapshot()
				for _, s := range st.Services {
					if s.DeploymentController != controller || len(s.TaskSets) != 1 || s.TaskSets[0].Status != "PRIMARY" {
						t.Fatalf("service %s: controller %q, task sets %+v", s.Name, s.DeploymentController, s.TaskSets)
					}
				}
				n := compileEngine(e)
				q, err := NewQuery(n, "internet", "api-alb:80", "tcp")
				if err != nil {
					t.Fatal(err)
				}
				r := Probe(n, q)
				if got := r.HasCode(CodeTaskStoppedBeforeReady); got != c.stopped {
					t.Fatalf("%s (%s): stopped %v, want %v", r.Verdict, r.Summary, got, c.stopped)
				}
				if c.stopped && r.Verdict != HTTP502 || !c.stopped && r.Verdict != HTTP200 {
					t.Errorf("verdict %s", r.Verdict)
				}
				if c.stopped && !strings.Contains(r.Summary, "(of the task's task set ecs-svc/") || c.stopped && !strings.Contains(r.Summary, ", PRIMARY)") {
					t.Errorf("the summary names no task set: %s", r.Summary)
				}
			})
		}
	}
	// An EXTERNAL service whose task set has no load balancer: nothing
	// health-checks its tasks, so ECS never stops them for it.
	e := storyEngine(t, story, lbs, "    deployment_controller: EXTERNAL\n", "ports: 8080, group: alb-sg", "ports: 8080, cidr: 0.0.0.0/0")
	n := compileEngine(e)
	q, err := NewQuery(n, "internet", "api/0:8080", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	if r := Probe(n, q); r.HasCode(CodeTaskStoppedBeforeReady) || r.Verdict != Connected {
		t.Errorf("%s: %s", r.Verdict, r.Summary)
	}
}

// An EXTERNAL service whose task set's every pull fails: its tasks stay
// PROVISIONING (launched again and again), and a probe from the service
// is the start failure, not a connection from a task that never runs.
func TestTaskSetNeverRunningSource(t *testing.T) {
	e := storyEngine(t, "examples/failures/external-task-set-sg-wrong-port.yaml", "    assign_public_ip: true", "    assign_public_ip: false")
	n := compileEngine(e)
	q, err := NewQuery(n, "web", "10.0.2.77:443", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	if q.From.task == nil || q.From.task.running || q.From.task.tk.LastStatus == model.TaskStopped {
		t.Fatalf("the source is not a task set's task on its way: %+v", q.From.task)
	}
	r := Probe(n, q)
	check(t, r, Unknown, CodeImagePullFailed)
	if !strings.Contains(r.Summary, "never reaches RUNNING") || !strings.Contains(r.Summary, "task set") {
		t.Errorf("summary: %s", r.Summary)
	}
	// With the public IP the pulls work, the tasks run and the probe
	// starts from one.
	n2 := compileEngine(storyEngine(t, "examples/failures/external-task-set-sg-wrong-port.yaml"))
	q2 := mustQuery(t, n2, "web", "10.0.2.77:443")
	if r := Probe(n2, q2); r.Verdict != Timeout || strings.Contains(r.Summary, "never reaches RUNNING") {
		t.Errorf("a running task set's task: %s %s", r.Verdict, r.Summary)
	}
}
