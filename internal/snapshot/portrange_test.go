package snapshot_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// TestPortRangeRoundTrip: a task definition's containerPortRange and a
// bridge task's range binding (containerPortRange, hostPortRange) are
// written as describe-task-definitions and describe-tasks write them and
// read back as ranges; the probes on the snapshot match the original's.
func TestPortRangeRoundTrip(t *testing.T) {
	st := scenarioState(t, "../../internal/dataplane/testdata/port-range-bridge.yaml")
	dir, _ := writeSnapshot(t, st)
	back := state(load(t, dir))
	want, got := ranges(st), ranges(back)
	if len(want) != 6 || len(got) != len(want) {
		t.Fatalf("range mappings and bindings: %d read back, %d written (%v)", len(got), len(want), want)
	}
	for k := range want {
		if !got[k] {
			t.Errorf("%s not read back (got %v)", k, got)
		}
	}
	for _, to := range []string{"rtp/0:9003", "rtp/1:9000"} {
		if a, b := probe(t, st, "internet", to), probe(t, back, "internet", to); a.Verdict != reach.Connected || b.Verdict != a.Verdict {
			t.Errorf("%s: %s on the state, %s on its snapshot", to, a.Verdict, b.Verdict)
		}
	}
}

// ranges lists a state's range port mappings and bindings as text.
func ranges(st *model.State) map[string]bool {
	out := map[string]bool{}
	for _, td := range st.TaskDefinitions {
		for _, c := range td.Containers {
			for _, pm := range c.PortMappings {
				if pm.IsRange() {
					out["mapping "+td.Family+" "+pm.Protocol.String()+"/"+pm.ContainerPortRange.String()] = true
				}
			}
		}
	}
	for _, tk := range st.Tasks {
		for _, c := range tk.Containers {
			for _, b := range c.NetworkBindings {
				if b.IsRange() {
					out["binding "+b.Protocol.String()+"/"+b.ContainerPortRange.String()+" on "+b.HostPortRange.String()] = true
				}
			}
		}
	}
	return out
}
