package engine_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// An instance registered with a Classic Load Balancer while it is still
// pending is OutOfService for its own state, as AWS answered goamz's
// integration test (TestDescribeInstanceHealth: ReasonCode "Instance",
// "Instance is in pending state."), not "registration in progress", which
// belongs to a running instance before its first health check.
func TestClassicInstanceHealthOfInstanceStates(t *testing.T) {
	st := model.NewState("123456789012", "us-east-1")
	for id, s := range map[model.InstanceID]model.InstanceState{"i-pending": model.InstancePending, "i-stopped": model.InstanceStopped, "i-running": model.InstanceRunning} {
		st.Instances[id] = &model.Instance{ID: id, State: s}
	}
	for _, c := range []struct {
		id                   model.InstanceID
		state, reason, descr string
	}{
		{"i-pending", "OutOfService", "Instance", "Instance is in pending state."},
		{"i-stopped", "OutOfService", "Instance", "Instance is in stopped state."},
		{"i-running", "InService", "N/A", "N/A"},
		{"i-gone", "OutOfService", "Instance", "Instance is in terminated state."},
	} {
		state, reason, descr := engine.ClassicInstanceHealth(st, c.id)
		if state != c.state || reason != c.reason || descr != c.descr {
			t.Errorf("%s: %s %s %q, want %s %s %q", c.id, state, reason, descr, c.state, c.reason, c.descr)
		}
	}
}
