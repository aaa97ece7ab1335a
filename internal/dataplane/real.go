package dataplane

import (
	"context"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// UseState gives a system opened with Attach the state it was built
// from, so that it names nodes as the analyzer does and Probe works on
// it (the web UI of a system another process brought up). Call it once,
// before the system is used.
func (s *System) UseState(st *model.State) {
	s.st = st
	s.net = reach.Compile(st)
	s.clock = newResponseClock(st, s.opt.LBTimeScale) // slow.go: how long an HTTP client waits
}

// ProbeSpec is Probe for a source, a destination and a protocol written
// as the CLI and the web UI take them ("internet", "web-alb:80", "tcp").
func (s *System) ProbeSpec(ctx context.Context, from, to, protocol string) (Outcome, *reach.Result) {
	if s.net == nil {
		return Outcome{Verdict: reach.Unknown, Detail: "the system has no state to resolve names with"}, nil
	}
	q, err := reach.NewQuery(s.net, from, to, protocol)
	if err != nil {
		return Outcome{Verdict: reach.Unknown, Detail: err.Error()}, nil
	}
	return s.Probe(ctx, q)
}
