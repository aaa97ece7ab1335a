package cli

import (
	"context"

	"github.com/ecsnet/ecsnet/internal/dataplane"
	"github.com/ecsnet/ecsnet/internal/ui"
)

// realProber attaches to the system `ecsnet up` brought up (named by o)
// and returns the UI's real prober: each probe of the system itself goes
// out as a real packet from the same node, to the same address and client
// port the analyzer's first hop shows. Names resolve against the state
// the SOURCE builds now, which is the state up built (scenario builds are
// deterministic); once the SOURCE changes, the answer says that the system
// that is up is the earlier one.
func realProber(o dpOptions, sys *uiSystem) (func(ctx context.Context, from, to, protocol string) ui.RealOutcome, error) {
	if !dataplane.Privileged() {
		return nil, dataplane.ErrPrivileges
	}
	dp, err := dataplane.Attach(o.options())
	if err != nil {
		return nil, err
	}
	built := sys.engine()
	st, _ := built.Snapshot()
	dp.UseState(st)
	return func(ctx context.Context, from, to, protocol string) ui.RealOutcome {
		out, _ := dp.ProbeSpec(ctx, from, to, protocol)
		r := ui.RealOutcome{Verdict: out.Verdict, Detail: out.Detail}
		if sys.engine() != built {
			r.Detail += " (on the system ecsnet up built before the SOURCE last changed)"
		}
		return r
	}, nil
}
