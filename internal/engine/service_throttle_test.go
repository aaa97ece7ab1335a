package engine_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestServiceThrottleRetries: a service whose tasks keep failing to start
// is throttled ("is unable to consistently start tasks successfully"),
// but ECS "doesn't ever stop a failing service from retrying": once the
// back-off (a minute at first, longer each time) is over it launches
// again, and when the cause has gone meanwhile (here the start check, as a
// NAT gateway made after the service would) its tasks run.
func TestServiceThrottleRetries(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	failing := true
	e := engine.New(engine.WithIDs(engine.SeededIDs(1)), engine.WithClock(func() time.Time { return now }),
		engine.WithStartCheck(func(*model.State, *model.Task) string {
			if failing {
				return "CannotPullContainerError: pull image manifest has been retried 5 time(s): i/o timeout"
			}
			return ""
		}))
	svc := fargateService(t, e, 2)
	steps := func(n int, every time.Duration) {
		for range n {
			now = now.Add(every)
			if _, err := e.Step(); err != nil {
				t.Fatal(err)
			}
		}
	}
	running := func() (n int, events []string) {
		e.Read(func(st *model.State) {
			for _, tk := range st.Tasks {
				if tk.LastStatus == model.TaskRunning {
					n++
				}
			}
			for _, ev := range st.Services[svc.ARN].Events {
				events = append(events, ev.Message)
			}
		})
		return n, events
	}
	steps(20, time.Second)
	if n, events := running(); n != 0 || len(events) == 0 || !strings.Contains(events[0], "is unable to consistently start tasks successfully") {
		t.Fatalf("%d tasks running, newest event %q; want the service throttled", n, events)
	}
	failing = false
	steps(20, time.Second) // within the first back-off: nothing launches
	if n, _ := running(); n != 0 {
		t.Fatalf("%d tasks running during the back-off", n)
	}
	steps(10, 5*time.Second) // the minute is over
	if n, events := running(); n != 2 {
		t.Errorf("%d tasks running after the back-off, want 2; events %q", n, events)
	}
}
