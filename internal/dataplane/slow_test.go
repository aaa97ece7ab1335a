package dataplane

import (
	"context"
	"testing"
	"time"
)

// TestSlowClientWaits: an HTTP client of a system whose containers take
// their time waits for the longest idle timeout too (it would otherwise
// give up before the node's 504, or before a slow answer that comes in
// time), in the process that brought the system up and in one that
// attached to it and was given the state (the web UI's real probes).
func TestSlowClientWaits(t *testing.T) {
	st := loadState(t, "internal/dataplane/testdata/slow-targets.yaml")
	s := &System{opt: Options{Timeout: time.Second, LBTimeScale: 0.01}}
	s.UseState(st)
	ctx, cancel := s.httpCtx(context.Background())
	defer cancel()
	dl, _ := ctx.Deadline()
	// patient-alb's idle timeout (200 s) is 2 s + 2 s at 0.01.
	if left := time.Until(dl); left < time.Second+4*time.Second {
		t.Errorf("the client waits %v, want more than Timeout and patient-alb's 4 s idle timeout", left)
	}
	for _, c := range []struct {
		secs   int
		health bool
		min    time.Duration
		max    time.Duration
	}{
		{90, false, 2600 * time.Millisecond, 4 * time.Second}, // after report-alb's 2.6 s, before patient-alb's 4 s
		{30, false, 0, 2600 * time.Millisecond},               // before both
		{8, true, 5 * time.Second, time.Minute},               // after the 5 s health check timeout, AWS's own (tried again)
		{3, true, 0, 200 * time.Millisecond},                  // before the first, scaled, try
	} {
		if d := s.clock.delay(c.secs, c.health); d <= c.min || d >= c.max {
			t.Errorf("an answer of %d s (health check %t) waits %v, want between %v and %v", c.secs, c.health, d, c.min, c.max)
		}
	}
}
