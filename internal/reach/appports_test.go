package reach

import (
	"strings"
	"testing"
)

// TestAppPortMismatch: a port mapping whose container port is not a port
// the application listens on is refused with ECS_APP_PORT_MISMATCH, in
// the awsvpc, bridge (through the host port) and host network modes; an
// application that listens on its container port among others answers.
func TestAppPortMismatch(t *testing.T) {
	n := compileEngine(build(t, "testdata/app-ports.yaml"))
	for _, c := range []struct {
		to   string
		want Verdict
		msg  string
	}{
		{"vpc-wrong:80", Refused, "maps container port 80, but its application listens on 3000, 3001"},
		{"bridged:8080", Refused, "maps container port 80, but its application listens on 3000"},
		{"hosted:9000", Refused, "maps container port 9000, but its application listens on 3000"},
		{"vpc-right:80", Connected, ""},
	} {
		r := probeSpec(t, n, "client", c.to, "tcp")
		if c.want == Connected {
			checkClean(t, r, Connected)
			continue
		}
		x := check(t, r, c.want, CodeAppPortMismatch)[CodeAppPortMismatch]
		if !strings.Contains(x.Message, c.msg) || x.Port == 0 || x.Component == nil {
			t.Errorf("%s: %+v", c.to, x)
		}
	}
}
