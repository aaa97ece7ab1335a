package ui

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// TestNamesMatchState checks that the names computed for a whole state at
// once are the ones State.InstanceName and State.TaskName give.
func TestNamesMatchState(t *testing.T) {
	for _, path := range []string{"../../examples/seed/article.yaml", "../../examples/seed/alb.yaml", "../../examples/seed/bridge.yaml", "../../examples/seed/fargate.yaml", "testdata/fifty.yaml"} {
		sc, err := scenario.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		b, err := sc.Build(engine.WithStartCheck(reach.StartCheck))
		if err != nil {
			t.Fatal(err)
		}
		b.Engine.Read(func(st *model.State) {
			nm := newNames(st)
			for _, i := range st.Instances {
				if got, want := nm.instances[i.ID], st.InstanceName(i); got != want {
					t.Errorf("%s: instance %s named %q, want %q", path, i.ID, got, want)
				}
			}
			for _, tk := range st.Tasks {
				if got, want := nm.tasks[tk.ARN], st.TaskName(tk); got != want {
					t.Errorf("%s: task %s named %q, want %q", path, tk.ARN, got, want)
				}
			}
		})
	}
}

func TestMakeQuery(t *testing.T) {
	for _, tc := range []struct {
		to   string
		port int
		want string
	}{
		{"203.0.113.2", 3000, "203.0.113.2:3000"},
		{"203.0.113.2:80", 3000, "203.0.113.2:3000"},
		{"203.0.113.2:80", 0, "203.0.113.2:80"},
		{"internet:198.51.100.9", 443, "internet:198.51.100.9:443"},
		{" web-alb ", 80, "web-alb:80"},
	} {
		q, err := makeQuery("internet", tc.to, tc.port, "")
		if err != nil || q.To != tc.want || q.Protocol != "tcp" {
			t.Errorf("makeQuery(%q, %d) = %+v, %v; want to %q", tc.to, tc.port, q, err, tc.want)
		}
	}
}

// A ping has no port: makeQuery drops the port field and a port written
// into the destination.
func TestMakeQueryPing(t *testing.T) {
	for _, tc := range []struct {
		to   string
		port int
		want string
	}{
		{"203.0.113.2", 3000, "203.0.113.2"},
		{"web:80", 0, "web"},
		{"internet:198.51.100.9", 443, "internet:198.51.100.9"},
	} {
		q, err := makeQuery("internet", tc.to, tc.port, "ICMP")
		if err != nil || q.To != tc.want || q.Protocol != "icmp" {
			t.Errorf("makeQuery(%q, %d, icmp) = %+v, %v; want to %q", tc.to, tc.port, q, err, tc.want)
		}
	}
	if _, err := makeQuery("internet", "web", 0, "sctp"); err == nil || err.Error() != "protocol: want tcp, udp or icmp" {
		t.Errorf("sctp: %v", err)
	}
}
