package dataplane

import (
	"context"
	"time"

	"github.com/ecsnet/ecsnet/internal/dataplane/elbproxy"
)

// httpCtx bounds an HTTP request when ctx has no deadline: Timeout, plus
// as long as an ALB node waits for a target before it answers 504 (its
// connect timeout at LBTimeScale, and, when a container takes time to
// answer, the longest idle timeout: slow.go). A client that gave up
// sooner would see a timeout where an AWS client, which waits longer
// than ELB's 10 s, sees the 504 the analyzer predicts.
func (s *System) httpCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	connect, _ := elbproxy.Options{TimeScale: s.opt.LBTimeScale}.Timeouts()
	var slow time.Duration
	if s.clock != nil && s.st != nil {
		slow = s.clock.longest(s.st)
	}
	return context.WithTimeout(ctx, s.opt.Timeout+connect+slow)
}
